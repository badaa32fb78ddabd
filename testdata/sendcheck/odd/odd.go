// Package odd holds unusual shapes of spawning code: sendcheck must neither
// crash nor report on them, except where noted.
package odd

import "github.com/asynclint/asynclint/runtime"

type local struct {
	runtime.NoSend
	n int
}

func (l *local) body(t *runtime.Task) int { return l.n } // want body:"paramAccesses\\(0.f1:r\\)"

// A method value as the task body captures its receiver.
func methodValue(t *runtime.Task) {
	l := &local{}
	runtime.Spawn(t, runtime.Async(l.body)) // want `l is captured by a task spawned with runtime.Spawn but its type \*local contains runtime.NoSend`
}

func named(t *runtime.Task) int { return 1 }

// A named function as the body captures nothing.
func namedBody(t *runtime.Task) {
	runtime.Spawn(t, runtime.Async(named))
}

// A future received as a parameter: nothing is known about its captures
// here; the function becomes a spawn helper for its callers.
func parameter(t *runtime.Task, f runtime.Future[int]) { // want parameter:"spawnsParams\\(1\\)"
	runtime.Spawn(t, f)
}

// A nil future.
func nilFuture(t *runtime.Task) {
	runtime.Spawn[int](t, nil)
}

// A future from an interface method: no fact.
type maker interface {
	Make(*local) runtime.Future[int]
}

func interfaceCtor(t *runtime.Task, m maker) {
	runtime.Spawn(t, m.Make(&local{}))
}

// Spawning inside a goroutine and inside a deferred closure.
func nested(rt *runtime.Runtime) {
	n := 0
	go func() {
		runtime.SpawnOn(rt, runtime.Async(func(t *runtime.Task) int { return n }))
	}()
	defer func() {
		runtime.SpawnOn(rt, runtime.Async(func(t *runtime.Task) int { return n }))
	}()
}

// A recursive closure spawned from itself.
func recursive(t *runtime.Task) {
	var step func(t *runtime.Task) int
	step = func(t *runtime.Task) int {
		runtime.Spawn(t, runtime.Async(step))
		return 0
	}
	runtime.Spawn(t, runtime.Async(step))
}

// A handle spawned and immediately spawned again through Spawn's result.
func spawnHandle(t *runtime.Task) {
	h := runtime.Spawn(t, runtime.Async(named))
	runtime.Spawn(t, h)
}

// Generic spawner instantiated with a concrete type.
func spawnAll[T any](t *runtime.Task, vs []T) {
	for _, v := range vs {
		runtime.Spawn(t, runtime.Async(func(t *runtime.Task) T { return v }))
	}
}

func instantiate(t *runtime.Task) {
	spawnAll(t, []*local{{}})
}

// Package-level closures.
var spawnLater = func(t *runtime.Task, l *local) {
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return l.n // want `l is captured by a task spawned with runtime.Spawn`
	}))
}
