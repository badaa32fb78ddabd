package runtime

import (
	"sync"
	"sync/atomic"
)

// registryShards spreads the live-task registry over several locks so that
// workers spawning and completing tasks at once rarely contend.
const registryShards = 32

// registry tracks the live tasks of a runtime, so that Close can find and
// cancel the ones suspended forever, and Tasks can list them. Tasks are
// linked intrusively (taskHeader.regPrev/regNext): adding one never allocates.
type registry struct {
	live   atomic.Int64
	shards [registryShards]regShard
}

type regShard struct {
	mu   sync.Mutex
	head *taskHeader // guarded by mu
	_    [48]byte    // keep shards on separate cache lines
}

func (r *registry) shard(h *taskHeader) *regShard { return &r.shards[h.id%registryShards] }

func (r *registry) add(h *taskHeader) {
	r.live.Add(1)
	s := r.shard(h)
	s.mu.Lock()
	h.regNext = s.head
	if s.head != nil {
		s.head.regPrev = h
	}
	s.head = h
	s.mu.Unlock()
}

// remove unlinks h and returns the number of live tasks left.
func (r *registry) remove(h *taskHeader) int64 {
	s := r.shard(h)
	s.mu.Lock()
	if h.regPrev != nil {
		h.regPrev.regNext = h.regNext
	} else {
		s.head = h.regNext
	}
	if h.regNext != nil {
		h.regNext.regPrev = h.regPrev
	}
	h.regPrev, h.regNext = nil, nil
	s.mu.Unlock()
	return r.live.Add(-1)
}

func (r *registry) count() int64 { return r.live.Load() }

// snapshot returns the live tasks at one moment (each shard is consistent).
func (r *registry) snapshot() []*taskHeader {
	var out []*taskHeader
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		for h := s.head; h != nil; h = h.regNext {
			out = append(out, h)
		}
		s.mu.Unlock()
	}
	return out
}
