// Command good is unsafecapture/bad without shared state: each spawned
// task counts into its own map and returns it, and the spawner merges the
// results as it awaits them: every map has a single writer at any time.
//
//	$ go run ./unsafecapture/good
//	13 distinct words, "async" appears 98462 times
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
		var tasks []*runtime.JoinHandle[map[string]int]
		for _, doc := range docs {
			tasks = append(tasks, runtime.Spawn(t, runtime.Async(func(t *runtime.Task) map[string]int {
				local := make(map[string]int)
				for _, w := range strings.Fields(doc) {
					local[w]++
				}
				return local
			})))
		}
		for _, h := range tasks {
			for w, n := range runtime.Await(t, h) {
				counts[w] += n
			}
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
