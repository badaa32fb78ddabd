// Command bad answers five users on a one-worker runtime. Each reply waits
// 50 ms to respect an API's rate limit, but the wait is time.Sleep, hidden
// in a helper: it blocks the worker thread instead of suspending the task,
// so the users are served one after another.
//
//	$ go run ./blockingintask/bad
//	5 replies in 250ms (concurrent would take 50ms)
package main

import (
	"fmt"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

const rateLimitDelay = 50 * time.Millisecond

// politeDelay keeps the bot under the API's rate limit.
func politeDelay() {
	time.Sleep(rateLimitDelay)
}

// fetchReply asks the API for a reply to user.
func fetchReply(user string) string {
	politeDelay()
	return "hi " + user
}

func main() {
	users := []string{"ana", "bo", "chen", "dee", "eli"}
	start := time.Now()
	replies := runtime.Run(runtime.Async(func(t *runtime.Task) []string {
		var pending []runtime.Future[string]
		for _, u := range users {
			pending = append(pending, runtime.Async(func(t *runtime.Task) string {
				return fetchReply(u)
			}))
		}
		return runtime.Await(t, runtime.JoinAll(pending...))
	}), runtime.WithWorkers(1))
	fmt.Printf("%d replies in %v (concurrent would take %v)\n",
		len(replies), time.Since(start).Round(10*time.Millisecond), rateLimitDelay)
}
