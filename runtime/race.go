package runtime

// raceFuture is the future returned by Race.
type raceFuture[T any] struct {
	fan     fanIn
	kids    []fanChild
	futs    []Future[T]
	started bool
	done    bool
	winner  T
}

// Race returns a future that polls every future of fs concurrently and is
// ready with the value of the first one to be ready; the others are then
// dropped (cancelled: suspended async bodies unwind and run their defers).
// Each child is polled only when its own waker fired. A panic in a child
// drops the others and propagates. Race panics if fs is empty.
func Race[T any](fs ...Future[T]) Future[T] {
	if len(fs) == 0 {
		panic("runtime: Race of no futures would never complete")
	}
	checkFutures("Race", fs)
	r := &raceFuture[T]{kids: make([]fanChild, len(fs)), futs: append([]Future[T](nil), fs...)}
	r.fan.init(r.kids)
	return r
}

func (r *raceFuture[T]) Poll(cx *Cx) Poll[T] {
	if r.done {
		panic("runtime: Race future polled after it completed")
	}
	first := !r.started
	r.started = true
	r.fan.pollWoken(cx, r.kids, first, r.pollChild, r.drop)
	if !r.done {
		return Pending[T]()
	}
	r.drop(cx)
	v := r.winner
	var zero T
	r.winner = zero
	return Ready(v)
}

func (r *raceFuture[T]) pollChild(i int, cx *Cx) bool {
	f := r.futs[i]
	if f == nil {
		return false
	}
	if v, ok := f.Poll(cx).Value(); ok {
		r.futs[i] = nil
		r.winner, r.done = v, true
		return true
	}
	return false
}

// drop cancels the children still pending.
func (r *raceFuture[T]) drop(cx *Cx) {
	r.done = true
	for i, f := range r.futs {
		if f != nil {
			r.futs[i] = nil
			dropFuture(f, cx)
		}
	}
}
