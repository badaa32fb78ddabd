// Package unawaited defines an Analyzer that reports futures that are
// created and never awaited.
//
// # Analyzer unawaited
//
// unawaited: report futures that are created and never awaited
//
// Futures are lazy: a runtime.Future does nothing until something polls it.
// A future that is created and then dropped never runs, silently. This
// check follows every future returned by a call (runtime.Async,
// runtime.Sleep, your own functions and methods, generic ones included)
// through variables, conversions, interfaces and slices, and reports it when
// no path consumes it.
//
// A future is consumed by runtime.Await, Join2, Join3, JoinAll, Race,
// Timeout, Spawn, SpawnOn, SpawnLocal, BlockOn and Run; by a direct call of
// its Poll method; by returning it; by storing it in a field, global, map,
// channel or shared slice; by a closure that consumes it; and by passing it
// to a function that consumes that parameter. Whether a function consumes a
// parameter is known across packages through a fact, shown as
// consumes(0,2) (indices of the parameters, receiver not counted); calls to
// unknown functions (interface methods, function values, the standard
// library) count as consuming.
//
// WRONG:
//
//	func handle(t *runtime.Task) {
//		notify(user) // future returned by notify is never awaited (it will not run)
//		runtime.Sleep(time.Second) // future returned by runtime.Sleep is never awaited (it will not run)
//		f := fetch(url) // future f (from fetch) is never awaited (it will not run)
//		g := fetch(a) // future g is overwritten before it is awaited (the first one will not run)
//		g = fetch(b)
//		runtime.Await(t, g)
//	}
//
// RIGHT:
//
//	func handle(t *runtime.Task) {
//		runtime.Await(t, notify(user))
//		runtime.Await(t, runtime.Sleep(time.Second))
//		body := runtime.Await(t, fetch(url))
//		a, b := runtime.Join2(t, fetch(a), fetch(b))
//	}
//
// The other reports say what happened to the future:
//
//	fs = append(fs, fetch(u)) // futures appended to fs are never awaited (they will not run)
//	drop(fetch(u)) // future passed to drop is never awaited (drop ignores its parameter)
//	n.Name() // future passed to named.Name is never awaited (named.Name ignores its receiver)
//
// The fix: await the future, join it with the others, spawn it if it should
// run on its own, or return it to a caller that awaits it. Inside a task,
// the check suggests "Await the future", which rewrites `doWork(x)` to
// `runtime.Await(t, doWork(x))` and `_ = f` to `runtime.Await(t, f)`. It is
// offered only where the result compiles: the task's name and the
// runtime's package name must not be shadowed there, the task parameter
// must be named, and the future's type must let Await infer its result (not
// `any`).
//
// Package-level declarations count too: `var _ = fetch(u)` drops its
// future in the package initializer.
//
// A loop that never returns, such as a server's `for { ... }`, leaks the
// future each iteration drops: the next iteration makes a new one and the
// old one is gone.
//
// Futures are lazy, so skipping one on an error path or in one branch is
// legitimate: by default the check reports only futures that no path
// consumes. With -unawaited.strict it also reports a future that some path
// consumes and another path does not, with the return that leaks it as a
// related position, as lostcancel does for context cancel functions:
//
//	f := fetch(u) // future f (from fetch) is not awaited on every path (it will not run when the function returns early)
//	if cached {
//		return cache // this return is reached without awaiting it
//	}
//	return runtime.Await(t, f)
//
// A loop that awaits every element of the slice the futures were appended
// to (`for _, f := range fs { runtime.Await(t, f) }`) consumes them all,
// even on the path where it runs zero times.
//
// Diagnostic categories: discarded (a statement or a blank assignment),
// unused (a variable never awaited), overwritten, slice, dropped-param and
// strict.
//
// Not reported: a *runtime.JoinHandle that is dropped (the spawned task runs
// anyway, as tokio::spawn detaches); futures stored in fields, maps, globals
// or channels, which someone else may await; a future awaited in a deferred
// closure; and futures left behind on paths that end in a panic, os.Exit,
// log.Fatal or t.Fatal.
//
// Not caught, by design or for now:
//
//   - a variable whose address is taken (captured by a closure that assigns
//     it, or passed as a pointer) is treated as one box, so overwriting it
//     before awaiting is not reported;
//   - by default, a variable assigned in every iteration of a loop and
//     awaited once after the loop: the earlier iterations' futures are lost,
//     but one path does await a future created there (-unawaited.strict
//     reports it: the next iteration replaces it before it runs);
//   - a future captured by a closure that awaits it counts as awaited on
//     every path, since the closure may run at any time (it is often
//     deferred);
//   - a future kept in a struct that leaves the function, or passed to a
//     parameter of a type that is neither a future nor a slice, array or
//     pointer of futures, counts as consumed;
//   - futures made by conversions rather than calls (a PollFunc literal that
//     is assigned and dropped), and futures returned by a call in a go or
//     defer statement, are not tracked;
//   - your own helpers that never return (they always panic) are not known,
//     only the standard ones above.
//
// Suppress a report with a reason on the line or the line above:
//
//	//asynclint:ignore unawaited the warm-up future is dropped on purpose
//	warmUp()
package unawaited
