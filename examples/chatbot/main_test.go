package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// mainChildEnv makes the test binary run the command's main with the
// arguments in it (separated by spaces), so that the tests below exercise
// the command as a user runs it: flags, output and exit status.
const mainChildEnv = "CHATBOT_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(mainChildEnv); ok {
		os.Args = append([]string{"chatbot"}, strings.Fields(args)...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs the command with args and returns its output and exit code.
func runMain(t *testing.T, args string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainChildEnv+"="+args)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func TestCommandReport(t *testing.T) {
	out, errs, code := runMain(t, "-users 20 -workers 2")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errs)
	}
	for _, want := range []string{
		"async: 20 users on 2 workers (HTTP: pipelined, 2 connections)",
		"total ", "(ideal 200ms)",
		"latency p50 ", " p90 ", " p99 ",
		"peak memory",
		"@user", // a sample reply
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCommandBadInput(t *testing.T) {
	for _, c := range []struct {
		args string
		code int
		want string
	}{
		{"-users ten", 2, `invalid value "ten" for flag -users`},
		{"-users 0", 1, "chatbot: users and workers must be positive"},
		{"-http spdy -users 5", 1, `chatbot: unknown HTTP stack "spdy"`},
		{"-cpuprofile /nonexistent/dir/cpu.out", 1, "chatbot: open /nonexistent/dir/cpu.out"},
	} {
		_, errs, code := runMain(t, c.args)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}
