package runtime

import (
	"sync"
	"testing"
)

// Benchmarks beside the Go baselines they compete with, so that benchstat
// shows the ratio.

// BenchmarkChanPingPong measures one round trip of a value between two tasks
// through unbuffered Chans on a one-worker runtime, against two goroutines
// and unbuffered Go channels.
func BenchmarkChanPingPong(b *testing.B) {
	b.Run("runtime", func(b *testing.B) {
		ping, pong := NewChan[int](0), NewChan[int](0)
		Run(Async(func(t *Task) int {
			h := Spawn(t, Async(func(t *Task) int {
				for {
					v, ok := ping.Recv(t)
					if !ok {
						return 0
					}
					pong.Send(t, v)
				}
			}))
			b.ResetTimer()
			for i := range b.N {
				ping.Send(t, i)
				pong.Recv(t)
			}
			b.StopTimer()
			ping.Close()
			Await(t, h)
			return 0
		}), WithWorkers(1))
	})
	b.Run("goroutine", func(b *testing.B) {
		ping, pong := make(chan int), make(chan int)
		go func() {
			for v := range ping {
				pong <- v
			}
		}()
		b.ResetTimer()
		for i := range b.N {
			ping <- i
			<-pong
		}
		b.StopTimer()
		close(ping)
	})
}

// BenchmarkMutexContended measures lock/unlock pairs of one Mutex shared by 8
// tasks on 2 workers, against sync.Mutex shared by 8 goroutines.
func BenchmarkMutexContended(b *testing.B) {
	const tasks = 8
	b.Run("runtime", func(b *testing.B) {
		var m Mutex
		counter := 0
		Run(Async(func(t *Task) int {
			hs := make([]*JoinHandle[int], tasks)
			b.ResetTimer()
			for i := range hs {
				n := b.N / tasks
				if i < b.N%tasks {
					n++
				}
				hs[i] = Spawn(t, Async(func(t *Task) int {
					for range n {
						m.Lock(t)
						counter++
						m.Unlock()
					}
					return 0
				}))
			}
			awaitAll(t, hs)
			return 0
		}), WithWorkers(2))
		if counter != b.N {
			b.Fatalf("got %d increments; want %d", counter, b.N)
		}
	})
	b.Run("sync", func(b *testing.B) {
		var m sync.Mutex
		var wg sync.WaitGroup
		counter := 0
		b.ResetTimer()
		for i := range tasks {
			n := b.N / tasks
			if i < b.N%tasks {
				n++
			}
			wg.Go(func() {
				for range n {
					m.Lock()
					counter++
					m.Unlock()
				}
			})
		}
		wg.Wait()
		if counter != b.N {
			b.Fatalf("got %d increments; want %d", counter, b.N)
		}
	})
}

// BenchmarkMutexUncontended is the cost of Lock/Unlock when nobody waits.
func BenchmarkMutexUncontended(b *testing.B) {
	b.Run("runtime", func(b *testing.B) {
		var m Mutex
		Run(Async(func(t *Task) int {
			for range b.N {
				m.Lock(t)
				m.Unlock()
			}
			return 0
		}), WithWorkers(1))
	})
	b.Run("sync", func(b *testing.B) {
		var m sync.Mutex
		for range b.N {
			m.Lock()
			m.Unlock()
		}
	})
}
