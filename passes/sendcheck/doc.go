// Package sendcheck defines an Analyzer that reports values a spawned task
// shares unsafely with other code: Go's missing Send check.
//
// # Analyzer sendcheck
//
// sendcheck: report values shared unsafely with spawned tasks
//
// A task spawned with runtime.Spawn or runtime.SpawnOn may run on any worker
// thread, at the same time as the code that spawned it. Go closures capture
// variables by reference, so everything the task's Async closure mentions is
// shared with the spawner. Rust refuses to compile such code unless the future
// is Send; Go compiles it, and the race shows up under load. The pass reports
// two mistakes, with the categories nosend and race; the spawn, and for a
// race the other access, are related positions.
//
// Values bound to one worker. A value whose type contains runtime.NoSend (by
// embedding, in a field, behind a pointer, in an array, slice or map, at any
// depth) must stay on the worker that made it:
//
//	type localCache struct {
//		runtime.NoSend
//		m map[string]int
//	}
//
//	l := &localCache{}
//	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
//		return l.m["k"] // l is captured by a task spawned with runtime.Spawn but its type *localCache contains runtime.NoSend (bound to one worker; use SpawnLocal)
//	}))
//
// Fix it by pinning the task to the current worker:
//
//	runtime.SpawnLocal(t, runtime.Async(func(t *runtime.Task) int {
//		return l.m["k"]
//	}))
//
// Racy shared state. After the spawn, both the task and someone else (the
// spawner before it awaits the task's JoinHandle, or another spawned task)
// touch the same value and at least one of them writes:
//
//	counter := 0
//	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
//		counter++ // counter is captured by a task spawned with runtime.Spawn and also written by the spawner (data race: the task may run on another worker; use SpawnLocal, a runtime.Mutex, or an atomic)
//		return 0
//	}))
//	counter++
//	runtime.Await(t, h)
//
// On a runtime with several workers the two increments run on two threads with
// no happens-before edge between them: increments are lost, and `go test
// -race` reports the pair. The spawn itself and the Await of the handle are
// synchronization points, so writing before Spawn or after Await is fine:
//
//	counter := 0
//	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
//		counter++
//		return 0
//	}))
//	runtime.Await(t, h)
//	counter++
//
// The shared values checked for races are captured variables that are
// assigned (including fields reached through a captured pointer), the
// package's own package-level variables that the task uses, maps that are
// written (assignment, delete, clear) and values of types that are not
// safe for concurrent use, where any method call counts as a write:
// *math/rand.Rand and the math/rand/v2 Rand, PCG and ChaCha8,
// bytes.Buffer and bytes.Reader, strings.Builder and strings.Reader,
// bufio.Reader, Writer, ReadWriter and Scanner, container/list.List,
// container/ring.Ring, text/tabwriter.Writer, the encoders and decoders of
// encoding/json, encoding/gob, encoding/xml, and encoding/csv's Reader and
// Writer, and any value implementing hash.Hash. The flag -sendcheck.unsafe
// (or config sendcheck.unsafe) adds types to that table, and
// -sendcheck.nosend (config sendcheck.nosend) adds types that behave like
// runtime.NoSend.
//
// What a task captures: the free variables of the Async (or PollFunc)
// closure passed to Spawn or SpawnOn, directly or through local variables
// and runtime combinators, and the arguments of a future constructor whose
// result is spawned, as in runtime.Spawn(t, useLocal(l)). A fact,
// capturesParams, records which parameters a constructor puts into its future
// (captured by its closure or stored in the returned struct), across packages.
// A second fact, spawnsParams, marks spawn helpers: functions that pass a
// future parameter on to Spawn or SpawnOn, like func Go[T any](t
// *runtime.Task, f runtime.Future[T]). A call of a helper is checked like a
// spawn, and the message names the helper.
//
// A method value as the body (runtime.Async(s.run), runtime.PollFunc[int](c.Poll))
// runs the method on its receiver, which the task shares; the finding is on
// the access in the method when the method is in the package, otherwise at
// the spawn. A named function as the body shares the package's variables it
// uses. A value of a user future type spawned as it is
// (runtime.Spawn[int](t, c)) shares itself with its Poll method.
//
// SpawnBlocking runs its closure on the blocking pool, another thread, so its
// captures are checked for races too. runtime.NoSend is not reported there:
// the blocking pool is the runtime's sanctioned way to run plain code off the
// worker, its closure is not a task and cannot use worker-bound runtime state,
// and reporting every NoSend value handed to it would flag the very hand-off
// it exists for. SpawnLocal is never checked: its task stays on
// the spawner's worker and the two never run at the same time.
//
// Not reported, on purpose:
//
//   - values used only by the task after the spawn (moved in), and read-only
//     captures;
//   - accesses with a sync.Mutex, sync.RWMutex, runtime.Mutex or
//     runtime.RWMutex held on both sides, including the same element of a
//     mutex array (s.mus[0], or s.mus[i] with the same i) and a sync.Locker
//     holding the mutex (a read lock counts only on a side that reads,
//     against a write lock on the other), and accesses inside a closure
//     handed to a helper that calls it with the lock held, as in
//     s.withLock(func() { s.tot++ }) or withLock(&s.mu, func() { ... }): a
//     fifth fact, lockedCalls, records which function parameter a helper
//     calls, before it returns, only while holding which mutex of its
//     parameters (or a package-level one), also through another such
//     helper and across packages. A helper that calls the closure after
//     unlocking or on some path without the lock, runs it with a go or
//     defer statement, or stores it, has no fact, and neither does a
//     closure that is also called or kept some other way;
//   - sync/atomic values and functions, sync.Map, channels and the runtime's
//     own synchronization types: they are made for sharing;
//   - accesses after the spawner awaited or joined the task's JoinHandle
//     (also through a slice of handles awaited in a loop or with JoinAll,
//     through a function that awaits its parameter on every path, recorded
//     by a fourth fact, awaitsParams, or on the branch of an awaited Timeout
//     of the handle where TimedOut is false), or waited on a WaitGroup the
//     task calls Done on (Wait, or an awaited WaitFuture), or received from
//     a channel, runtime.Chan or Oneshot the task sends on or closes (Recv,
//     an awaited RecvFuture, or an awaited FromGoChan);
//   - futures that are only awaited or joined (Await, Join2, JoinAll): they
//     run inside the current task, never concurrently with it;
//   - values whose type is a type parameter: a generic function is not judged
//     by the instantiations it cannot see (clippy #6947). A concrete
//     instantiation of a generic type that holds a NoSend is reported.
//
// Accesses inside functions and methods that the task or the spawner calls
// count at the call: a third fact, paramAccesses, records which parts of the
// memory its parameters point to a function reads or writes without holding
// a lock, so that tr.record() in the task conflicts with tr.count = 0 in the
// spawner. Functions that lock around their accesses have none. Accesses
// inside a closure that the function makes and that runs before it returns
// count as the function's, as in func (s *store) add() { s.each(func() {
// s.tot++ }) }: a closure called directly, or handed to a helper that calls
// its function parameter before returning (a sixth fact, callsParams,
// records those parameters) or to a standard-library function that calls it
// back, such as sort.Slice or (*sync.Once).Do, with the locks held around
// those calls. A closure run with go or defer, stored, returned (as the body
// of a returned future, for one) or handed to any other function may run
// after the call, and is left out; so is a closure of a parameter the
// function reassigns.
//
// Not caught: writes to slice or array elements (tasks filling their own
// element of a shared slice are the common, correct pattern), calls through
// interfaces and function values (including a lock helper called as a
// method value), functions of packages that neither import
// the runtime directly nor declare a function taking or returning a future
// (the pass skips those packages), other packages' variables, and spawns
// written as go or defer statements. Closures that the
// spawner makes are treated as running where they are made. A constructor
// argument is checked for races only when its type is in the unsafe table,
// since the fact does not say how the future uses it.
//
// To suppress a report, say why on the line or the line above:
//
//	//asynclint:ignore sendcheck the task is awaited before the map is used again
package sendcheck
