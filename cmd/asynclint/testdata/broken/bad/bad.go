// Package bad does not compile.
package bad

// F returns an undefined name.
func F() int {
	return undefinedName
}
