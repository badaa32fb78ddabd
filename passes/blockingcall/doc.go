// Package blockingcall defines an analyzer that reports blocking calls in
// code that runs on a runtime worker, directly or through helper functions
// in any package.
//
// # Analyzer blockingcall
//
// blockingcall: report blocking calls inside tasks and Poll methods
//
// A worker runs one task poll at a time. A task that blocks its goroutine
// (time.Sleep, a channel receive, file or network I/O, os/exec, a
// sync.WaitGroup) freezes the worker and every task queued on it. Inside a
// task, await the runtime's equivalent instead, or move the blocking work to
// the blocking pool with runtime.SpawnBlocking.
//
// Task context is the body of an Async literal, any function with a
// *runtime.Task parameter, Poll methods of futures, PollFunc literals, and
// closures those call synchronously. Closures passed to SpawnBlocking (or
// to a configured offload function) and bodies of go statements are not.
//
// WRONG:
//
//	runtime.Async(func(t *runtime.Task) string {
//		time.Sleep(time.Second) // time.Sleep blocks the worker thread; use runtime.Sleep
//		return fetchJoke()      // call to fetchJoke blocks the worker (fetchJoke -> httpGet -> net/http.Get)
//	})
//
// RIGHT:
//
//	runtime.Async(func(t *runtime.Task) string {
//		runtime.Await(t, runtime.Sleep(time.Second))
//		h := runtime.SpawnBlocking(t, fetchJoke)
//		return runtime.Await(t, h)
//	})
//
// The suggested fix rewrites a direct call time.Sleep(d) to
// runtime.Await(t, runtime.Sleep(d)) where that compiles: the task and the
// runtime's package name resolve there, and the file uses time for more
// than Sleep.
//
// What blocks comes from one catalog of standard-library functions, in two
// tiers. Tier 1 always blocks: time.Sleep; channel receives and sends
// (including for range ch, <-time.After(d) and <-ctx.Done()) and select
// without default; sync.WaitGroup.Wait and sync.Cond.Wait; net dials,
// accepts, DNS lookups and reads and writes of concrete connections; TLS
// dials and handshakes; net/http clients and servers; net/smtp; os/exec;
// file reads and writes (but not writes to os.Stdout and os.Stderr, which
// are treated like fmt.Println and the log package: terminal output is not
// reported), filepath.Walk and os.RemoveAll; reading stdin
// (fmt.Scan, and fmt.Fscan, io.ReadAll and bufio readers and scanners made
// from os.Stdin in the function);
// database/sql queries, execs, transactions and pings; x/sync's
// errgroup.Wait and semaphore.Acquire. runtime.BlockOn and runtime.Run
// inside a task start a nested runtime on the worker, a likely deadlock,
// and are reported too.
//
// Tier 2 may block: sync.Mutex.Lock, sync.RWMutex.Lock and RLock,
// sync.Once.Do, os.Open, os.Stat and other file metadata calls, os/user
// lookups. Short critical sections are fine in a task, so tier 2 is only
// reported in Poll methods and PollFunc literals, where nothing may block,
// and in tasks with -blockingcall.level=strict.
//
// Calls through interfaces (io.Reader.Read) are reported only when the
// dynamic type is known within the function: an *os.File or a concrete
// connection converted to the interface there. Calls on a net.Conn or
// net.Listener are reported as such.
//
// Helper functions are followed across packages, including packages that do
// not import the runtime: every function that reaches a blocking call
// through static calls gets a mayBlock fact naming the shortest chain, and
// a call to it in task context is reported with that chain (category
// "transitive"; direct calls have category "direct"). The related
// positions are the helper's first call on the chain and the blocking call
// at its end.
//
// Configuration (flags, or the blockingcall section of the config file):
//
//	-blockingcall.level=strict                          report tier 2 in tasks too
//	-blockingcall.functions 'example.com/lib.Fetch=use lib.FetchAsync'
//	                                                    more blocking functions, with a hint
//	-blockingcall.allow 'example.com/lib.Quick'         never reported, never followed
//	-blockingcall.offload 'example.com/pool.Submit'     runs its function arguments off the worker
//
// Functions are spelled as types.Func.FullName prints them:
// "example.com/lib.Fetch", "(*example.com/lib.Client).Do".
//
// Annotations on a function declaration: //asynclint:blocking <reason>
// marks it blocking (for cgo or assembly the analysis cannot see into);
// //asynclint:nonblocking <reason> stops a chain that is wrong, for example
// a receive from a channel that is always ready.
//
// Not caught: calls through function values, interface methods whose
// dynamic type is not visible in the function, closures handed to other
// functions (only direct calls of a closure are followed), readers of
// os.Stdin made in another function, and blocking in assembly or cgo
// without an annotation. To suppress one report, write
// //asynclint:ignore blockingcall <reason> on the line or the line above.
package blockingcall
