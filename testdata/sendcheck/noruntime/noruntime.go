// Package noruntime cannot reach the runtime: sendcheck must skip it
// without building SSA.
package noruntime

func spawnish(f func()) { go f() }

func shared() int {
	counter := 0
	spawnish(func() { counter++ })
	counter++
	return counter
}
