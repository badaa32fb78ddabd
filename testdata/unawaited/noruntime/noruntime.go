// Package noruntime does not reach the runtime: the unawaited pass must skip
// it without building SSA, even though it has a Future of its own.
package noruntime

import "fmt"

type Cx struct{}

type Poll[T any] struct{ v T }

type Future[T any] interface{ Poll(cx *Cx) Poll[T] }

func make() Future[int] { return nil }

func Dropped() {
	make()
	fmt.Println("no runtime here")
}
