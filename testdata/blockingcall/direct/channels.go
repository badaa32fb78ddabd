package direct

import (
	"context"

	"github.com/asynclint/asynclint/runtime"
)

func receive(t *runtime.Task, ch chan int) int { // want receive:"mayBlock\\(receive -> channel receive\\)"
	return <-ch // want `channel receive blocks the worker thread; use runtime.Chan or a future`
}

func receiveOK(t *runtime.Task, ch chan int) (int, bool) { // want receiveOK:"mayBlock\\(receiveOK -> channel receive\\)"
	v, ok := <-ch // want `channel receive blocks the worker thread; use runtime.Chan or a future`
	return v, ok
}

func send(t *runtime.Task, ch chan int) { // want send:"mayBlock\\(send -> channel send\\)"
	ch <- 1 // want `channel send blocks the worker thread; use runtime.Chan`
}

func rangeChan(t *runtime.Task, ch chan int) (n int) { // want rangeChan:"mayBlock\\(rangeChan -> channel receive\\)"
	for v := range ch { // want `range over channel ch blocks the worker thread; use runtime.Chan or a future`
		n += v
	}
	return n
}

func done(t *runtime.Task, ctx context.Context) { // want done:"mayBlock\\(done -> channel receive\\)"
	<-ctx.Done() // want `receive from ctx.Done\(\) blocks the worker thread; use runtime.Chan or a future`
}

func runtimeChan(t *runtime.Task, ch *runtime.Chan[int]) int {
	v, _ := ch.Recv(t) // suspends the task instead
	return v
}

func channelsOutsideTask(ch chan int) int { // want channelsOutsideTask:"mayBlock\\(channelsOutsideTask -> channel send\\)"
	ch <- 1
	return <-ch
}
