// Package b names a check that does not exist.
package b

// H is suppressed for a check that does not exist.
func H() int {
	return 3 //asynclint:ignore nosuchcheck,unawaited reason given
}
