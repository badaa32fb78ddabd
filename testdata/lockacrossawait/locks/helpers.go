package locks

import "github.com/asynclint/asynclint/runtime"

// load awaits: a call to it is an await point.
func load(t *runtime.Task) int { // want load:"maySuspend"
	return runtime.Await(t, fetch())
}

// loadTwice reaches an await through another helper.
func loadTwice(t *runtime.Task) int { // want loadTwice:"maySuspend"
	return load(t) + load(t)
}

// start only spawns: it takes the task but never suspends.
func start(t *runtime.Task) *runtime.JoinHandle[int] {
	return runtime.Spawn(t, fetch())
}

// countdown recurses without awaiting: it never suspends.
func countdown(t *runtime.Task, n int) int {
	if n == 0 {
		return 0
	}
	return countdown(t, n-1)
}

// pingpong recurses and awaits on the way.
func ping(t *runtime.Task, n int) { // want ping:"maySuspend"
	if n > 0 {
		pong(t, n-1)
	}
}

func pong(t *runtime.Task, n int) { // want pong:"maySuspend"
	runtime.Await(t, runtime.YieldNow())
	ping(t, n)
}

// viaClosure suspends inside a closure it calls.
func viaClosure(t *runtime.Task) { // want viaClosure:"maySuspend"
	func() { runtime.Await(t, fetch()) }()
}

// viaGo awaits only in a goroutine, which does not suspend the caller.
func viaGo(t *runtime.Task) {
	go func() { runtime.Await(t, fetch()) }()
}

// bump locks and fully releases its own lock.
func (s *store) bump() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data++
}

// InvalidHelperAwaits calls a helper that awaits while holding the lock.
func InvalidHelperAwaits(t *runtime.Task, s *store) { // want InvalidHelperAwaits:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	s.data = loadTwice(t)
	s.mu.Unlock()
}

// ValidHelperSpawns calls helpers that take the task but never suspend.
func ValidHelperSpawns(t *runtime.Task, s *store) { // want ValidHelperSpawns:"maySuspend"
	s.mu.Lock()
	h := start(t)
	s.data = countdown(t, 3)
	viaGo(t)
	s.mu.Unlock()
	runtime.Await(t, h)
}

// ValidHelperReleases calls a helper that locks and fully releases before
// the await.
func ValidHelperReleases(t *runtime.Task, s *store) { // want ValidHelperReleases:"maySuspend"
	s.bump()
	runtime.Await(t, fetch())
}

// InvalidMutualRecursion holds the lock across a call into a recursive pair
// that awaits.
func InvalidMutualRecursion(t *runtime.Task, s *store) { // want InvalidMutualRecursion:"maySuspend"
	s.mu.Lock() // want `s\.mu \(sync\.Mutex\) is held across an await`
	ping(t, 2)
	viaClosure(t)
	s.mu.Unlock()
}
