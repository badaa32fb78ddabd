// Command bad looks up two users' preferences through a cache guarded by a
// sync.Mutex. On a miss it awaits the database while still holding the
// lock. The first lookup suspends with the mutex held; the second one then
// blocks the only worker on that mutex, so the first can never resume: the
// program deadlocks, and a watchdog reports it.
//
//	$ go run ./mutexacrossawait/bad
//	deadlock: the worker is blocked on cache.mu, held by a task suspended at an await
//	exit status 1
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
	defer c.mu.Unlock()
	if p, ok := c.prefs[user]; ok {
		return p
	}
	p := runtime.Await(t, loadPrefs(user))
	c.prefs[user] = p
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
