// Package asyncapi is the single model of the runtime API that every asynclint
// pass shares. It recognizes, by types.Object and package path and never by
// spelling:
//
//   - futures: any type whose method set has Poll(*runtime.Cx) runtime.Poll[T],
//     including interfaces, generic instantiations, *JoinHandle[T], type
//     parameters constrained by Future, and user types (future.go);
//   - the runtime's functions and methods, in one table that says which
//     arguments each consumes, whether it suspends, spawns or blocks (table.go);
//   - task context: the code that runs on a worker (context.go);
//   - await points (table.go, Suspension).
//
// It also provides the shared SSA analyzer (ssa.go), so that SSA is built at
// most once per package, never for the standard library, and only when a pass
// asks for it.
package asyncapi
