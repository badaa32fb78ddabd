// Package lockacrossawait defines an Analyzer that reports sync locks held
// across an await point.
//
// # Analyzer lockacrossawait
//
// lockacrossawait: report sync locks held across an await point
//
// Tasks share a few worker threads and give a worker up only at an await
// point. A task that suspends while it holds a sync.Mutex keeps the mutex
// locked while other tasks run on its worker. When one of them calls Lock on
// that mutex, it blocks the worker thread itself, not just its task: the
// task holding the mutex can never be polled again on that worker to unlock
// it. On a runtime with one worker (runtime.WithWorkers(1)) that is a
// deadlock; with more workers, every such task freezes one more worker.
// This is Rust's "never .await while holding a std::sync::Mutex" (clippy's
// await_holding_lock).
//
// WRONG:
//
//	func (s *Store) Refresh(t *runtime.Task) {
//		s.mu.Lock() // want: s.mu (sync.Mutex) is held across an await (a task that locks it blocks this worker; unlock before awaiting or use runtime.Mutex)
//		s.data = runtime.Await(t, fetch()) // related: await while s.mu is held
//		s.mu.Unlock()
//	}
//
// RIGHT: await first, then hold the lock only for the update:
//
//	func (s *Store) Refresh(t *runtime.Task) {
//		data := runtime.Await(t, fetch())
//		s.mu.Lock()
//		s.data = data
//		s.mu.Unlock()
//	}
//
// or, when the critical section must span the await, use the runtime's own
// lock, whose Lock(t) suspends the task instead of blocking the worker:
//
//	s.amu.Lock(t) // s.amu is a runtime.Mutex
//	s.data = runtime.Await(t, fetch())
//	s.amu.Unlock()
//
// The analysis is path-sensitive: a lock is reported when it may be held on
// some path that reaches an await point. Unlocking before the await, in
// every branch, before an early return, or in each loop iteration when the
// await is outside the loop is fine. defer mu.Unlock() keeps the lock held
// until the function returns, so any later await is reported, and so is an
// await in a closure deferred after it (defers run last in, first out). A
// closure called on the spot shares the caller's locks: a scoped
// func() { mu.Lock(); defer mu.Unlock(); ... }() releases before what
// follows it. The body of a range-over-func loop, and the function that
// once.Do, sort.Slice and the other standard calls that call back
// synchronously run, count as running inside that call, zero or more times:
// an await there is an await of the caller, and an unlock there may not
// happen (once.Do runs its function only the first time). TryLock and
// TryRLock hold the lock on the branch where they succeeded.
//
// Locks are identified by access path: s.mu, s.inner.mu, embedded mutexes
// (s.Lock() locks s.Mutex), package-level mutexes, parameters, and
// sync.Locker values, so l.Unlock() releases mu when l holds &mu; a
// getter called twice with the same arguments (s.mutex().Lock() ...
// s.mutex().Unlock()) is assumed to return the same lock. An index is
// part of the path when it is provably the same value at the Lock and at
// the Unlock: c.shards[h%16].mu, mus[1] and mus[k] (a map) match when the
// index is a constant, a parameter, or a local not assigned in between,
// recomputed with the same operations; helpers that lock or unlock by index
// (c.unlockShard(h%16)) match too. An index read from a field, a global or
// a call, or a variable assigned in between, matches nothing else, so
// mus[i].Lock(); i++; mus[i].Unlock() is still reported. RLock reports
// "read-locked": a writer that arrives meanwhile blocks its worker the same
// way. An await that the lock reaches only in the loop's next iteration is
// marked "(next iteration)".
//
// Await points are runtime.Await, Join2 and Join3, the suspending methods
// of the runtime's sync types (Mutex.Lock(t), Chan.Recv(t), ...), calls to
// functions that may reach one of those, in any package (the maySuspend
// fact), functions without a body (assembly, go:linkname) that take the
// *runtime.Task, and dynamic calls that receive it. A function that
// takes the task only to spawn work is not an await point.
// runtime.Mutex and runtime.RWMutex are made to be held across an await and
// are never reported.
//
// runtime.LockOSThread is tracked as a lock too, until
// runtime.UnlockOSThread: async bodies run as coroutines, and Go throws
// ("coro: OS thread locking must match locking at coroutine creation") when
// a coroutine switches away while it is wired to its thread.
//
// Configuration: extra types whose values must not be held across an
// await, each with a reason shown in the message (the mustnothold setting,
// or the repeatable -lockacrossawait.mustnothold=pkg/path.Type=reason
// flag). A configured type with a Lock method is treated like sync.Mutex
// (Lock, RLock, TryLock, Unlock, RUnlock). Any other configured type is a
// guard: a call that returns one acquires it and its End, Close, Finish,
// Release, Stop or Unlock method releases it, as trace.StartRegion and
// (*trace.Region).End do:
//
//	region := trace.StartRegion(ctx, "load") // want: region (trace.Region) is held across an await (<configured reason>)
//	v := runtime.Await(t, load())
//	region.End()
//
// There is no suggested fix: moving an unlock changes what the critical
// section protects.
//
// Helper functions are followed, in any package, through a lockEffect
// fact: a helper that returns with its caller's lock held
// (func (s *S) lock() { s.mu.Lock() }) is reported at its call, and a
// helper that releases its caller's lock (s.unlock(), or a
// condition-variable wait that unlocks, awaits and locks again) releases it
// for the caller.
//
// Not caught: helpers called through an interface or a function value,
// and helpers in packages that do not import the runtime, are not
// followed. A lock reached through a value the analysis cannot name
// (chosen by a phi of two different mutexes, received from a channel)
// matches only the same SSA value. A deferred unlock inside a conditional
// is assumed to run. Suppress a finding that is intended, with a reason,
// on the line of the Lock or the line above:
//
//	//asynclint:ignore lockacrossawait the only other user runs on the blocking pool
package lockacrossawait
