package lockacrossawait

import (
	"slices"
	"strings"
)

// held is one lock that may be held at a program point.
type held struct {
	key   string // canonical access path of the lock, plus "(r)" for a read hold
	sites []int  // indices into the analysis' site table: where it may have been locked, sorted
}

// lockset is the dataflow state: the locks that may be held on some path to
// a program point. It is kept sorted by key so that equality and String are
// deterministic. A nil lockset is unreachable code.
type lockset struct {
	locks []held
}

// fork returns a copy of ls that the caller may modify.
func (ls *lockset) fork() *lockset {
	if ls == nil {
		return nil
	}
	c := &lockset{locks: make([]held, len(ls.locks))}
	for i, h := range ls.locks {
		c.locks[i] = held{key: h.key, sites: slices.Clone(h.sites)}
	}
	return c
}

// merge returns the union of ls and other: a lock held on either path may
// be held after the join, locked at any of the sites of either.
func (ls *lockset) merge(other *lockset) *lockset {
	if ls == nil {
		return other.fork()
	}
	if other == nil {
		return ls.fork()
	}
	out := ls.fork()
	for _, h := range other.locks {
		for _, s := range h.sites {
			out.add(h.key, s)
		}
	}
	return out
}

// add records that key is held, locked at site.
func (ls *lockset) add(key string, site int) {
	i, found := slices.BinarySearchFunc(ls.locks, key, func(h held, k string) int { return strings.Compare(h.key, k) })
	if !found {
		ls.locks = slices.Insert(ls.locks, i, held{key: key})
	}
	h := &ls.locks[i]
	if j, ok := slices.BinarySearch(h.sites, site); !ok {
		h.sites = slices.Insert(h.sites, j, site)
	}
}

// has reports whether key may be held.
func (ls *lockset) has(key string) bool {
	_, found := slices.BinarySearchFunc(ls.locks, key, func(h held, k string) int { return strings.Compare(h.key, k) })
	return found
}

// remove records that key is released, on whichever site locked it.
func (ls *lockset) remove(key string) {
	ls.locks = slices.DeleteFunc(ls.locks, func(h held) bool { return h.key == key })
}

// equal reports whether ls and other hold the same locks from the same sites.
func (ls *lockset) equal(other *lockset) bool {
	if ls == nil || other == nil {
		return ls == other
	}
	return slices.EqualFunc(ls.locks, other.locks, func(a, b held) bool {
		return a.key == b.key && slices.Equal(a.sites, b.sites)
	})
}

// String prints the held keys, for debugging and for tests of the state.
func (ls *lockset) String() string {
	if ls == nil {
		return "unreachable"
	}
	keys := make([]string, len(ls.locks))
	for i, h := range ls.locks {
		keys[i] = h.key
	}
	return "{" + strings.Join(keys, ", ") + "}"
}
