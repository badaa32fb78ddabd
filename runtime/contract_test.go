package runtime

import "time"

// The contract with internal/asyncapi: these signatures are recognized by the
// analyzers, so changing one must fail to compile here first.

var (
	_ func(*Task, Future[int]) int                           = Await[int]
	_ func(func(*Task) int) Future[int]                      = Async[int]
	_ func(*Runtime, Future[int]) int                        = BlockOn[int]
	_ func(Future[int], ...Option) int                       = Run[int]
	_ func(*Task, Future[int]) *JoinHandle[int]              = Spawn[int]
	_ func(*Runtime, Future[int]) *JoinHandle[int]           = SpawnOn[int]
	_ func(*Task, Future[int]) *JoinHandle[int]              = SpawnLocal[int]
	_ func(*Task, func() int) *JoinHandle[int]               = SpawnBlocking[int]
	_ func(*Task, Future[int], Future[string]) (int, string) = Join2[int, string]
	_ func(...Future[int]) Future[[]int]                     = JoinAll[int]
	_ func(...Future[int]) Future[int]                       = Race[int]
	_ func(time.Duration) Future[struct{}]                   = Sleep
	_ func(time.Duration, Future[int]) Future[Timed[int]]    = Timeout[int]
	_ func() Future[struct{}]                                = YieldNow
	_ Future[int]                                            = (*JoinHandle[int])(nil)
	_ Future[int]                                            = PollFunc[int](nil)
)
