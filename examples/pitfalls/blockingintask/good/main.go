// Command good is blockingintask/bad with the delay awaited: runtime.Sleep
// suspends the task and frees the worker, so the five users wait their 50 ms
// at the same time. (A call that can only block, such as a legacy client,
// belongs in runtime.SpawnBlocking, which runs it off the workers.)
//
//	$ go run ./blockingintask/good
//	5 replies in 50ms (concurrent would take 50ms)
package main

import (
	"fmt"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

const rateLimitDelay = 50 * time.Millisecond

// politeDelay keeps the bot under the API's rate limit.
func politeDelay(t *runtime.Task) {
	runtime.Await(t, runtime.Sleep(rateLimitDelay))
}

// fetchReply asks the API for a reply to user.
func fetchReply(t *runtime.Task, user string) string {
	politeDelay(t)
	return "hi " + user
}

func main() {
	users := []string{"ana", "bo", "chen", "dee", "eli"}
	start := time.Now()
	replies := runtime.Run(runtime.Async(func(t *runtime.Task) []string {
		var pending []runtime.Future[string]
		for _, u := range users {
			pending = append(pending, runtime.Async(func(t *runtime.Task) string {
				return fetchReply(t, u)
			}))
		}
		return runtime.Await(t, runtime.JoinAll(pending...))
	}), runtime.WithWorkers(1))
	fmt.Printf("%d replies in %v (concurrent would take %v)\n",
		len(replies), time.Since(start).Round(10*time.Millisecond), rateLimitDelay)
}
