package config

import (
	"strings"
	"testing"
)

func TestDecodeStrict(t *testing.T) {
	good := `{"disable":["sendcheck"],"unawaited":{"strict":true},
	 "blockingcall":{"level":"strict","functions":[{"func":"(*example.com/lib.Client).Fetch","hint":"use FetchAsync"}],
	  "allow":["example.com/lib.Quick"],"offload":["example.com/pool.Go"]},
	 "lockacrossawait":{"mustnothold":[{"type":"runtime/trace.Region","reason":"regions must end on the goroutine that began them"}]},
	 "sendcheck":{"unsafe":[{"type":"example.com/lib.Cache"}]}}`
	c, err := Decode(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if c.Enabled("sendcheck") || !c.Enabled("unawaited") || !c.Unawaited.Strict {
		t.Errorf("decoded %+v", c)
	}
	if got := c.Blockingcall.Functions[0].Hint; got != "use FetchAsync" {
		t.Errorf("hint = %q", got)
	}

	for _, tc := range []struct{ in, want string }{
		{`{"unawaited":{"strict":true,"bogus":1}}`, `asynclint config: unknown key "unawaited.bogus" (known at this level: strict)`},
		{`{"blockingcall":{"functions":[{"func":"a.F"},{"func":"a.G","hnit":"x"}]}}`, `unknown key "blockingcall.functions[1].hnit" (known at this level: func, hint)`},
		{`{"disabled":["sendcheck"]}`, `unknown key "disabled" (known at this level: blockingcall, disable, lockacrossawait, sendcheck, unawaited)`},
		{`{"blockingcall":{"level":"loud"}}`, `blockingcall.level: "loud"`},
		{`{"disable":["nope"]}`, `disable: unknown check "nope"`},
		{`{"blockingcall":{"functions":[{"func":"Fetch"}]}}`, `blockingcall.functions[0].func`},
		{`{"sendcheck":{"nosend":[{"type":"*lib.T"}]}}`, `sendcheck.nosend[0].type`},
	} {
		_, err := Decode(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Decode(%s) error = %v, want it to contain %q", tc.in, err, tc.want)
		}
	}
}

func TestValidFunc(t *testing.T) {
	for _, ok := range []string{"time.Sleep", "net/http.Get", "(*net/http.Client).Do", "(example.com/x.T).M"} {
		if err := ValidFunc(ok); err != nil {
			t.Errorf("ValidFunc(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Sleep", "time.", "(*net/http.Client)", "(*net/http.Client).", ".Sleep"} {
		if ValidFunc(bad) == nil {
			t.Errorf("ValidFunc(%q) = nil, want an error", bad)
		}
	}
}
