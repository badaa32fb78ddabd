// Package nosend holds values bound to one worker (runtime.NoSend) captured
// by tasks that may run on another worker.
package nosend

import "github.com/asynclint/asynclint/runtime"

type localCache struct {
	runtime.NoSend
	m map[string]int
}

// Embedding, behind a pointer.
func embedded(t *runtime.Task) {
	l := &localCache{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return l.m["k"] // want `l is captured by a task spawned with runtime.Spawn but its type \*localCache contains runtime.NoSend \(bound to one worker; use SpawnLocal\)`
	}))
}

// A value of the embedding type itself.
func byValue(t *runtime.Task) {
	var l localCache
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return len(l.m) // want `l is captured by a task spawned with runtime.Spawn but its type localCache contains runtime.NoSend`
	}))
}

type session struct {
	id    int
	cache localCache
}

type server struct {
	name string
	s    *session
}

// Nested structs: a named field two levels down, through a pointer.
func nested(t *runtime.Task) {
	srv := server{s: &session{}}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) string {
		return srv.name // want `srv is captured by a task spawned with runtime.Spawn but its type server contains runtime.NoSend`
	}))
}

// A slice of worker-bound values.
func slices(t *runtime.Task) {
	caches := []*localCache{{}, {}}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return len(caches) // want `caches is captured by a task spawned with runtime.Spawn but its type \[\]\*localCache contains runtime.NoSend`
	}))
}

// Arrays and map values.
func arraysAndMaps(t *runtime.Task) {
	var arr [2]localCache
	byName := map[string]*session{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return len(arr[0].m) + len(byName) // want `arr is captured .* its type \[2\]localCache contains runtime.NoSend` `byName is captured .* its type map\[string\]\*session contains runtime.NoSend`
	}))
}

// The marker itself.
func marker(t *runtime.Task) {
	var ns runtime.NoSend
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) runtime.NoSend {
		return ns // want `ns is captured by a task spawned with runtime.Spawn but its type runtime.NoSend contains runtime.NoSend`
	}))
}

// SpawnOn, from outside any task.
func spawnOn(rt *runtime.Runtime) {
	l := &localCache{}
	runtime.SpawnOn(rt, runtime.Async(func(t *runtime.Task) int {
		return len(l.m) // want `l is captured by a task spawned with runtime.SpawnOn but its type \*localCache contains runtime.NoSend`
	}))
}

// Through a local variable holding the Async future.
func throughLocal(t *runtime.Task) {
	l := &localCache{}
	f := runtime.Async(func(t *runtime.Task) int {
		return len(l.m) // want `l is captured by a task spawned with runtime.Spawn`
	})
	runtime.Spawn(t, f)
}

// Through a runtime combinator wrapping the future.
func throughTimeout(t *runtime.Task) {
	l := &localCache{}
	runtime.Spawn(t, runtime.Timeout(5, runtime.Async(func(t *runtime.Task) int {
		return len(l.m) // want `l is captured by a task spawned with runtime.Spawn`
	})))
}

// Through JoinAll: the joined futures run inside the spawned task.
func throughJoinAll(t *runtime.Task) {
	l := &localCache{}
	runtime.Spawn(t, runtime.JoinAll(
		runtime.Async(func(t *runtime.Task) int { return 1 }),
		runtime.Async(func(t *runtime.Task) int {
			return len(l.m) // want `l is captured by a task spawned with runtime.Spawn`
		}),
	))
}

// A nested closure inside the task still runs in the task.
func nestedClosure(t *runtime.Task) {
	l := &localCache{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		get := func() int { return len(l.m) } // want `l is captured by a task spawned with runtime.Spawn`
		return get()
	}))
}

// A PollFunc future spawned directly.
func pollFunc(t *runtime.Task) {
	l := &localCache{}
	runtime.Spawn[int](t, runtime.PollFunc[int](func(cx *runtime.Cx) runtime.Poll[int] {
		return runtime.Ready(len(l.m)) // want `l is captured by a task spawned with runtime.Spawn`
	}))
}

// Recursive types are walked without looping.
type node struct {
	next *node
	kids []node
	pin  *localCache
}

func recursive(t *runtime.Task) {
	n := &node{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		return n.next == nil // want `n is captured by a task spawned with runtime.Spawn but its type \*node contains runtime.NoSend`
	}))
}

type list struct{ next *list }

// A recursive type without NoSend is fine.
func recursiveClean(t *runtime.Task) {
	l := &list{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		return l.next == nil
	}))
}

// SpawnLocal keeps the task on this worker: allowed.
func local(t *runtime.Task) {
	l := &localCache{}
	runtime.SpawnLocal(t, runtime.Async(func(t *runtime.Task) int {
		return len(l.m)
	}))
}

// SpawnBlocking's closure is not a task: NoSend is not its concern.
func blocking(t *runtime.Task) {
	l := &localCache{}
	runtime.SpawnBlocking(t, func() int { return len(l.m) })
}

// Awaiting a future runs it inside this task: allowed.
func awaited(t *runtime.Task) int {
	l := &localCache{}
	return runtime.Await(t, runtime.Async(func(t *runtime.Task) int {
		return len(l.m)
	}))
}

// Channels and interfaces do not contain their contents statically.
func channelsAndInterfaces(t *runtime.Task) {
	ch := make(chan *localCache, 1)
	var anything any = &localCache{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		return ch != nil && anything != nil
	}))
}
