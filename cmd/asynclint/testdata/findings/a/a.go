// Package a has malformed asynclint directives.
package a

// F has a directive without a reason.
func F() int {
	//asynclint:ignore unawaited
	return 1
}

// G has a directive with a typo in its verb.
func G() int {
	return 2 //asynclint:ingore unawaited the typo makes this suppress nothing
}
