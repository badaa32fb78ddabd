package blockingcall

import (
	"path"
	"strings"
)

// step is one function in a blocking chain, kept as parts so that each
// package can print the chain in its own terms: its own functions by bare
// name, standard-library functions by full path, other packages by package
// name. An operation that is not a call (a channel receive, say) has only a
// Name.
type step struct {
	Pkg  string // import path, or "" for an operation
	Recv string // receiver type name of a method, "*T" for a pointer receiver
	Name string
}

// mayBlock is the fact exported for every function that can reach a
// blocking operation through static calls.
//
// Chain starts with the function itself and ends with the operation that
// blocks (a catalog function, a channel operation, a nested runtime) or with
// a function annotated //asynclint:blocking. It is the shortest chain found
// to the lowest tier; ties go to the first call in source order.
//
// First and Leaf are text, not token.Pos: a position does not survive into
// another package's pass, whose file set may not hold the file at all (go
// vet's holds only the lines of the objects that export data mentions). The
// column is kept so that other packages point at the exact call.
type mayBlock struct {
	Chain  []step
	Tier   int    // 1: always blocks; 2: may block (locks, file metadata)
	First  string // file:line:col of the function's call that starts the chain
	Leaf   string // file:line:col of the blocking operation, "" for an annotation
	Reason string // the //asynclint:blocking reason, when the chain ends in one
}

func (*mayBlock) AFact() {}

func (f *mayBlock) String() string {
	from := ""
	if len(f.Chain) > 0 {
		from = f.Chain[0].Pkg
	}
	s := chainString(f.Chain, from)
	if f.Tier > 1 {
		s = "tier2: " + s
	}
	return "mayBlock(" + s + ")"
}

// chainString renders steps as "a -> b -> net/http.Get", naming functions
// of package from by their bare names.
func chainString(steps []step, from string) string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.string(from)
	}
	return strings.Join(names, " -> ")
}

// string renders s the way types.Func.FullName does, with the package
// qualifier shortened as described on step.
func (s step) string(from string) string {
	if s.Pkg == "" {
		return s.Name
	}
	q := ""
	switch {
	case s.Pkg == from:
	case isStdPath(s.Pkg):
		q = s.Pkg + "."
	default:
		q = path.Base(s.Pkg) + "."
	}
	if s.Recv == "" {
		return q + s.Name
	}
	if recv, ok := strings.CutPrefix(s.Recv, "*"); ok {
		return "(*" + q + recv + ")." + s.Name
	}
	return "(" + q + s.Recv + ")." + s.Name
}

// isStdPath reports whether an import path belongs to the standard library
// (no dot in its first element).
func isStdPath(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}
