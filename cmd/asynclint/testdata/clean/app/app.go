// Package app has nothing for asynclint to report.
package app

// Sum adds its arguments.
func Sum(xs ...int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}
