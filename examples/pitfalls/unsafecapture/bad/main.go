// Command bad counts words across documents, one spawned task per
// document. runtime.Spawn may run each task on any worker, in parallel with
// the others, and every task writes the one map that the spawner created:
// a data race. Depending on scheduling it miscounts or crashes with
// "concurrent map writes"; go run -race reports it every time.
//
//	$ go run ./unsafecapture/bad
//	fatal error: concurrent map writes
package main

import (
	"fmt"
	"strings"

	"github.com/asynclint/asynclint/runtime"
)

func main() {
	docs := corpus(64)
	counts := make(map[string]int)
	runtime.Run(runtime.Async(func(t *runtime.Task) struct{} {
		var tasks []*runtime.JoinHandle[struct{}]
		for _, doc := range docs {
			tasks = append(tasks, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) struct{} {
				for _, w := range strings.Fields(doc) {
					counts[w]++
				}
				return struct{}{}
			})))
		}
		for _, h := range tasks {
			runtime.Await(t, h)
		}
		return struct{}{}
	}), runtime.WithWorkers(4))
	fmt.Printf("%d distinct words, %q appears %d times\n", len(counts), "async", counts["async"])
}

// corpus returns n documents of 20,000 words each.
func corpus(n int) []string {
	words := strings.Fields("await the future or it never runs async code on a cooperative runtime")
	docs := make([]string, n)
	for i := range docs {
		var b strings.Builder
		for j := range 20000 {
			b.WriteString(words[(i+j)%len(words)])
			b.WriteByte(' ')
		}
		docs[i] = b.String()
	}
	return docs
}
