//go:build extra

package c

// Extra exists only with the extra build tag.
func Extra() int {
	//asynclint:ignore blockingcall
	return 1
}
