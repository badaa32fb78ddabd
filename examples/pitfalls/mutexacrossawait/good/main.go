// Command good is mutexacrossawait/bad with the critical sections kept
// short: the cache unlocks before awaiting the database and locks again to
// store the result, so no task ever suspends while holding the mutex. (When
// a lock must stay held across an await, use runtime.Mutex, whose Lock
// suspends the task instead of blocking the worker.)
//
//	$ go run ./mutexacrossawait/good
//	[lang=en for ana lang=en for bo]
package main

import (
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// prefsCache remembers each user's preferences.
type prefsCache struct {
	mu    sync.Mutex // protects prefs
	prefs map[string]string
}

// loadPrefs reads user's preferences from the database (5 ms).
func loadPrefs(user string) runtime.Future[string] {
	return runtime.Async(func(t *runtime.Task) string {
		runtime.Await(t, runtime.Sleep(5*time.Millisecond))
		return "lang=en for " + user
	})
}

func (c *prefsCache) get(t *runtime.Task, user string) string {
	c.mu.Lock()
	p, ok := c.prefs[user]
	c.mu.Unlock()
	if ok {
		return p
	}
	p = runtime.Await(t, loadPrefs(user))
	c.mu.Lock()
	c.prefs[user] = p
	c.mu.Unlock()
	return p
}

func main() {
	time.AfterFunc(time.Second, func() {
		fmt.Println("deadlock: the worker is blocked on cache.mu, held by a task suspended at an await")
		os.Exit(1)
	})
	cache := &prefsCache{prefs: make(map[string]string)}
	lookup := func(user string) runtime.Future[string] {
		return runtime.Async(func(t *runtime.Task) string { return cache.get(t, user) })
	}
	prefs := runtime.Run(runtime.JoinAll(lookup("ana"), lookup("bo")), runtime.WithWorkers(1))
	fmt.Println(prefs)
}
