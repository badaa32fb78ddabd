package lockacrossawait

import "testing"

func TestLockset(t *testing.T) {
	a := &lockset{}
	a.add("s.mu", 2)
	a.add("g", 1)
	if got, want := a.String(), "{g, s.mu}"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}

	b := a.fork()
	b.remove("s.mu")
	b.add("g", 0)
	if got, want := a.String(), "{g, s.mu}"; got != want {
		t.Errorf("fork shares state: original became %q, want %q", got, want)
	}

	m := a.merge(b) // union of keys and of sites
	if got, want := m.String(), "{g, s.mu}"; got != want {
		t.Errorf("merge = %q, want %q", got, want)
	}
	if got := m.locks[0].sites; len(got) != 2 || got[0] != 0 || got[1] != 1 {
		t.Errorf("merged sites of g = %v, want [0 1]", got)
	}
	if m.equal(a) || !m.equal(b.merge(a)) {
		t.Error("equal: merge is not order-independent, or ignores sites")
	}

	var unreachable *lockset
	if got := unreachable.merge(b); !got.equal(b) {
		t.Errorf("merge with unreachable = %v, want %v", got, b)
	}
	if unreachable.String() != "unreachable" || unreachable.equal(&lockset{}) {
		t.Error("a nil lockset must be unreachable, unlike an empty one")
	}
}
