// Package c is analyzed in full only with -tags extra.
package c

// C is always built.
func C() int { return 0 }
