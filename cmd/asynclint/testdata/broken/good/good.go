// Package good compiles but has a malformed directive.
package good

// G is fine apart from its directive.
func G() int {
	//asynclint:ignore unawaited
	return 1
}
