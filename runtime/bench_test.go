package runtime

import (
	"iter"
	"sync"
	"sync/atomic"
	"testing"
)

const spawnBatch = 100_000

// reportCPU adds a cpu-ns/op metric measured since start (see processCPU).
func reportCPU(b *testing.B, start int64, n int) {
	if start > 0 && n > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(n), "cpu-ns/op")
	}
}

// BenchmarkSpawn spawns and completes 100k tasks per op, beside the
// goroutine + WaitGroup baseline.
func BenchmarkSpawn(b *testing.B) {
	b.Run("pollfunc", func(b *testing.B) {
		rt := New()
		defer rt.Close()
		b.ReportAllocs()
		for b.Loop() {
			BlockOn(rt, Async(func(t *Task) int {
				var left atomic.Int64
				left.Store(spawnBatch)
				done := &countingFuture{}
				task := PollFunc[int](func(*Cx) Poll[int] {
					if left.Add(-1) == 0 {
						done.fire()
					}
					return Ready(0)
				})
				for range spawnBatch {
					Spawn(t, Future[int](task))
				}
				return Await(t, done)
			}))
		}
	})
	b.Run("async", func(b *testing.B) {
		rt := New()
		defer rt.Close()
		b.ReportAllocs()
		for b.Loop() {
			BlockOn(rt, Async(func(t *Task) int {
				var left atomic.Int64
				left.Store(spawnBatch)
				done := &countingFuture{}
				for range spawnBatch {
					Spawn(t, Async(func(*Task) int {
						if left.Add(-1) == 0 {
							done.fire()
						}
						return 0
					}))
				}
				return Await(t, done)
			}))
		}
	})
	b.Run("goroutine", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var wg sync.WaitGroup
			wg.Add(spawnBatch)
			for range spawnBatch {
				go func() { wg.Done() }()
			}
			wg.Wait()
		}
	})
}

// BenchmarkAwaitReady measures Await of an already ready future: it must not
// allocate.
func BenchmarkAwaitReady(b *testing.B) {
	rt := New(WithWorkers(1))
	defer rt.Close()
	ready := PollFunc[int](func(*Cx) Poll[int] { return Ready(1) })
	BlockOn(rt, Async(func(t *Task) int {
		b.ReportAllocs()
		b.ResetTimer()
		s := 0
		for range b.N {
			s += Await(t, Future[int](ready))
		}
		return s
	}))
}

// BenchmarkWakeRoundTrip measures pending -> wake -> resume of an async body
// on a one-worker runtime, beside two goroutines handing off through
// unbuffered channels.
func BenchmarkWakeRoundTrip(b *testing.B) {
	b.Run("runtime", func(b *testing.B) {
		rt := New(WithWorkers(1))
		defer rt.Close()
		var y yieldFuture
		BlockOn(rt, Async(func(t *Task) int {
			b.ReportAllocs()
			b.ResetTimer()
			cpu := processCPU()
			for range b.N {
				y.yielded = false
				Await(t, Future[struct{}](&y))
			}
			reportCPU(b, cpu, b.N)
			return 0
		}))
	})
	b.Run("goroutine", func(b *testing.B) {
		ping, pong := make(chan struct{}), make(chan struct{})
		go func() {
			for range ping {
				pong <- struct{}{}
			}
		}()
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			ping <- struct{}{}
			<-pong
		}
		reportCPU(b, cpu, b.N)
		close(ping)
	})
}

// BenchmarkCoroSwitch measures one resume/suspend round trip of the
// runtime's coroutine, beside iter.Pull used directly.
func BenchmarkCoroSwitch(b *testing.B) {
	b.Run("coro", func(b *testing.B) {
		c := newCoro(false)
		defer c.stop()
		j := &loopJob{c: c}
		c.start(j)
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			c.resume()
		}
		reportCPU(b, cpu, b.N)
		j.stop = true
		c.resume()
	})
	b.Run("iter.Pull", func(b *testing.B) {
		next, stop := iter.Pull(func(yield func(struct{}) bool) {
			for yield(struct{}{}) {
			}
		})
		defer stop()
		b.ReportAllocs()
		cpu := processCPU()
		for b.Loop() {
			next()
		}
		reportCPU(b, cpu, b.N)
	})
}

// loopJob suspends its coroutine until told to stop.
type loopJob struct {
	c    *coro
	stop bool
}

func (j *loopJob) run() {
	for !j.stop {
		j.c.suspend()
	}
}
