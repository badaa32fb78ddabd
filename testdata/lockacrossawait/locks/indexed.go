package locks

import (
	"sync"

	"github.com/asynclint/asynclint/runtime"
)

// shard is one slot of a sharded map.
type shard struct {
	mu sync.Mutex // protects m
	m  map[string]int
}

// sharded spreads its keys over shards, each with its own lock.
type sharded struct {
	shards [16]shard
	slice  []shard
	ptrs   []*sync.Mutex
	next   int
}

// ValidShardRecomputed recomputes the shard index for the Lock, the store
// and the Unlock: three equal expressions of an unchanged parameter.
func ValidShardRecomputed(t *runtime.Task, c *sharded, k string, h uint8) { // want ValidShardRecomputed:"maySuspend"
	c.shards[h%16].mu.Lock()
	c.shards[h%16].m[k] = 1
	c.shards[h%16].mu.Unlock()
	runtime.Await(t, fetch())
}

// InvalidShardRecomputed holds the recomputed shard's lock across the await.
func InvalidShardRecomputed(t *runtime.Task, c *sharded, h uint8) { // want InvalidShardRecomputed:"maySuspend"
	c.shards[h%16].mu.Lock() // want `^c\.shards\[h%16\]\.mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	c.shards[h%16].mu.Unlock()
}

// ValidShardLocal indexes with a local computed once.
func ValidShardLocal(t *runtime.Task, c *sharded, k string) { // want ValidShardLocal:"maySuspend"
	i := len(k) % len(c.shards)
	c.shards[i].mu.Lock()
	c.shards[i].m[k]++
	c.shards[i].mu.Unlock()
	runtime.Await(t, fetch())
}

// ValidConstIndex locks and unlocks the same element of an array pointer.
func ValidConstIndex(t *runtime.Task, mus *[4]sync.Mutex) { // want ValidConstIndex:"maySuspend"
	mus[1].Lock()
	mus[1].Unlock()
	runtime.Await(t, fetch())
}

// InvalidOtherConstIndex unlocks another element than it locked.
func InvalidOtherConstIndex(t *runtime.Task, mus *[4]sync.Mutex) { // want InvalidOtherConstIndex:"maySuspend" InvalidOtherConstIndex:`^acquires \$1\[1\]; releases \$1\[2\]$`
	mus[1].Lock() // want `^mus\[1\] \(sync\.Mutex\) is held across an await`
	mus[2].Unlock()
	runtime.Await(t, fetch())
}

// ValidMapIndex locks and unlocks the mutex a map holds under one key.
func ValidMapIndex(t *runtime.Task, mus map[string]*sync.Mutex, k string) { // want ValidMapIndex:"maySuspend"
	mus[k].Lock()
	mus[k].Unlock()
	runtime.Await(t, fetch())
}

// InvalidMapOtherKey unlocks the mutex of another key: k and j may differ.
func InvalidMapOtherKey(t *runtime.Task, mus map[string]*sync.Mutex, k, j string) { // want InvalidMapOtherKey:"maySuspend" InvalidMapOtherKey:`^acquires \$1\[\$2\]; releases \$1\[\$3\]$`
	mus[k].Lock() // want `^mus\[k\] \(sync\.Mutex\) is held across an await`
	mus[j].Unlock()
	runtime.Await(t, fetch())
}

// ValidMapCommaOk unlocks the mutex found by a comma-ok lookup.
func ValidMapCommaOk(t *runtime.Task, mus map[string]*sync.Mutex, k string) { // want ValidMapCommaOk:"maySuspend"
	if mu, ok := mus[k]; ok {
		mu.Lock()
		mus[k].Unlock()
	}
	runtime.Await(t, fetch())
}

// ValidSliceIndex locks through a slice field, reloaded for the Unlock.
func ValidSliceIndex(t *runtime.Task, c *sharded, i int) { // want ValidSliceIndex:"maySuspend"
	c.slice[i].mu.Lock()
	c.slice[i].mu.Unlock()
	runtime.Await(t, fetch())
}

// ValidSliceOfPointers locks through a slice of mutex pointers.
func ValidSliceOfPointers(t *runtime.Task, c *sharded, i int) { // want ValidSliceOfPointers:"maySuspend"
	c.ptrs[i+1].Lock()
	c.ptrs[i+1].Unlock()
	runtime.Await(t, fetch())
}

// InvalidSliceOfPointers holds c.ptrs[i+1] across the await.
func InvalidSliceOfPointers(t *runtime.Task, c *sharded, i int) { // want InvalidSliceOfPointers:"maySuspend"
	c.ptrs[i+1].Lock() // want `^c\.ptrs\[i\+1\] \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	c.ptrs[i+1].Unlock()
}

// ValidScopedClosure locks and defers the unlock in a closure called on the
// spot: the lock is released before the await.
func ValidScopedClosure(t *runtime.Task, c *sharded, h uint8, k string) { // want ValidScopedClosure:"maySuspend"
	func() {
		c.shards[h%16].mu.Lock()
		defer c.shards[h%16].mu.Unlock()
		c.shards[h%16].m[k]++
	}()
	runtime.Await(t, fetch())
}

// ValidReassignedAfterUnlock reassigns the index only after the critical
// section.
func ValidReassignedAfterUnlock(t *runtime.Task, mus []sync.Mutex, i int) { // want ValidReassignedAfterUnlock:"maySuspend"
	mus[i].Lock()
	mus[i].Unlock()
	i++
	runtime.Await(t, fetch())
	use(i)
}

// InvalidIndexIncremented unlocks the next element, not the locked one.
func InvalidIndexIncremented(t *runtime.Task, mus []sync.Mutex, i int) { // want InvalidIndexIncremented:"maySuspend" InvalidIndexIncremented:`^acquires \$1\[\$2\]; releases \$1\[\(\$2 \+ 1\)\]$`
	mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
	i++
	mus[i].Unlock()
	runtime.Await(t, fetch())
}

// InvalidCapturedIndexIncremented does the same with an index that a
// closure captures, so that it lives in memory: the store between the two
// loads changes it.
func InvalidCapturedIndexIncremented(t *runtime.Task, mus []sync.Mutex, i int) { // want InvalidCapturedIndexIncremented:"maySuspend"
	get := func() int { return i }
	mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
	i++
	mus[i].Unlock()
	runtime.Await(t, fetch())
	use(get())
}

// ValidCapturedIndex reads an index that a closure also reads and that is
// assigned only before the critical section.
func ValidCapturedIndex(t *runtime.Task, mus []sync.Mutex, i int) { // want ValidCapturedIndex:"maySuspend"
	i++
	get := func() int { return i }
	mus[i].Lock()
	mus[i].Unlock()
	runtime.Await(t, fetch())
	use(get())
	i++
}

// InvalidSpawnedIndexChanges reads, in a spawned body, an index that the
// spawner assigns after spawning: the spawner runs meanwhile on another
// worker, so the two reads may see different values.
func InvalidSpawnedIndexChanges(t *runtime.Task, mus []sync.Mutex, gate *sync.Mutex) { // want InvalidSpawnedIndexChanges:"maySuspend"
	i := 0
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		gate.Lock()
		mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
		gate.Unlock()
		gate.Lock()
		mus[i].Unlock()
		gate.Unlock()
		return runtime.Await(t, fetch())
	}))
	gate.Lock()
	i = 1
	gate.Unlock()
	runtime.Await(t, h)
}

// ValidSpawnedIndexCopied reads, in a spawned body, an index that nothing
// assigns after the spawn: the body has its own copy.
func ValidSpawnedIndexCopied(t *runtime.Task, mus []sync.Mutex, i int) { // want ValidSpawnedIndexCopied:"maySuspend"
	i++
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		mus[i].Lock()
		mus[i].Unlock()
		return runtime.Await(t, fetch())
	}))
	runtime.Await(t, h)
}

// ValidSpawnPerIteration captures the loop variable, a new one in each
// iteration, that nothing assigns after the spawn.
func ValidSpawnPerIteration(t *runtime.Task, mus []sync.Mutex) { // want ValidSpawnPerIteration:"maySuspend"
	for i := range mus {
		h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			mus[i].Lock()
			mus[i].Unlock()
			return runtime.Await(t, fetch())
		}))
		runtime.Await(t, h)
	}
}

// InvalidSpawnThenAdvance assigns the captured index after the spawn, in
// the next iteration of a loop around it.
func InvalidSpawnThenAdvance(t *runtime.Task, mus []sync.Mutex, n int) {
	i := 0
	for range n {
		runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
			mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
			mus[i].Unlock()
			return runtime.Await(t, fetch())
		}))
		i++
	}
}

// InvalidClosureIncrements changes the index inside a closure called
// between the Lock and the Unlock.
func InvalidClosureIncrements(t *runtime.Task, mus []sync.Mutex, i int) { // want InvalidClosureIncrements:"maySuspend"
	bump := func() { i++ }
	mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
	bump()
	mus[i].Unlock()
	runtime.Await(t, fetch())
}

// InvalidFieldIndex indexes with a field, which the call in between may
// change: the two loads are not provably equal.
func InvalidFieldIndex(t *runtime.Task, c *sharded) { // want InvalidFieldIndex:"maySuspend"
	c.shards[c.next].mu.Lock() // want `^c\.shards\[c\.next\]\.mu \(sync\.Mutex\) is held across an await`
	c.advance()
	c.shards[c.next].mu.Unlock()
	runtime.Await(t, fetch())
}

func (c *sharded) advance() { c.next = (c.next + 1) % len(c.shards) }

// InvalidCallIndex indexes with a call's result: each call may return
// another index.
func InvalidCallIndex(t *runtime.Task, mus []sync.Mutex) { // want InvalidCallIndex:"maySuspend"
	mus[pick()].Lock() // want `^mus\[pick\(\)\] \(sync\.Mutex\) is held across an await`
	mus[pick()].Unlock()
	runtime.Await(t, fetch())
}

func pick() int { return 0 }

// InvalidLockNextInLoop locks element i at the end of an iteration and
// unlocks "element i" at the start of the next one, where i has moved on:
// the first lock is still held at the await.
func InvalidLockNextInLoop(t *runtime.Task, mus []sync.Mutex) { // want InvalidLockNextInLoop:"maySuspend"
	for i := range mus {
		if i > 0 {
			mus[i].Unlock()
		}
		runtime.Await(t, fetch())
		mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
	}
}

// InvalidLockAllThenAwait locks every element, then awaits.
func InvalidLockAllThenAwait(t *runtime.Task, mus []sync.Mutex) { // want InvalidLockAllThenAwait:"maySuspend"
	for i := range mus {
		mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
	}
	runtime.Await(t, fetch())
	for i := range mus {
		mus[i].Unlock()
	}
}

// ValidLockPerElement locks and unlocks each element in its iteration.
func ValidLockPerElement(t *runtime.Task, mus []sync.Mutex) { // want ValidLockPerElement:"maySuspend"
	for i := range mus {
		mus[i].Lock()
		mus[i].Unlock()
		runtime.Await(t, fetch())
	}
}

// InvalidUnlockNewIndex unlocks, at the top of each iteration, the element
// of the new index (the caller locked the first one): the element locked at
// the end of the previous iteration had another index and is still held at
// the await.
func InvalidUnlockNewIndex(t *runtime.Task, mus []sync.Mutex, idxs []int) { // want InvalidUnlockNewIndex:"maySuspend"
	for _, i := range idxs {
		mus[i].Unlock()
		runtime.Await(t, fetch())
		mus[i].Lock() // want `^mus\[i\] \(sync\.Mutex\) is held across an await`
	}
}

// unlockShard releases shard i.
func (c *sharded) unlockShard(i uint8) { // want unlockShard:`^releases \$0\.shards\[\$1\]\.mu$`
	c.shards[i].mu.Unlock()
}

// lockShard returns with shard i held.
func (c *sharded) lockShard(i uint8) { // want lockShard:`^acquires \$0\.shards\[\$1\]\.mu$`
	c.shards[i].mu.Lock()
}

// ValidHelperUnlocksShard releases the shard it locked through a helper
// called with the same index.
func ValidHelperUnlocksShard(t *runtime.Task, c *sharded, h uint8) { // want ValidHelperUnlocksShard:"maySuspend"
	c.shards[h%16].mu.Lock()
	c.unlockShard(h % 16)
	runtime.Await(t, fetch())
}

// InvalidHelperUnlocksOtherShard releases another shard than it locked.
func InvalidHelperUnlocksOtherShard(t *runtime.Task, c *sharded, h uint8) { // want InvalidHelperUnlocksOtherShard:"maySuspend" InvalidHelperUnlocksOtherShard:`^acquires \$1\.shards\[\(\$2 % 16\)\]\.mu; releases \$1\.shards\[\(\$2 % 8\)\]\.mu$`
	c.shards[h%16].mu.Lock() // want `^c\.shards\[h%16\]\.mu \(sync\.Mutex\) is held across an await`
	c.unlockShard(h % 8)
	runtime.Await(t, fetch())
}

// InvalidHelperLocksShard holds the shard a helper locked across the
// await; the message spells the helper's path with the caller's argument.
func InvalidHelperLocksShard(t *runtime.Task, c *sharded, h uint8) { // want InvalidHelperLocksShard:"maySuspend"
	c.lockShard(h % 16) // want `^c\.shards\[h % 16\]\.mu \(sync\.Mutex\) is held across an await`
	runtime.Await(t, fetch())
	c.shards[h%16].mu.Unlock()
}

// ValidHelperLocksShard releases the helper's shard before the await.
func ValidHelperLocksShard(t *runtime.Task, c *sharded, h uint8) { // want ValidHelperLocksShard:"maySuspend"
	c.lockShard(h % 16)
	c.shards[h%16].mu.Unlock()
	runtime.Await(t, fetch())
}

// lockDollar locks the mutex of a key that looks like a parameter.
func lockDollar(mus map[string]*sync.Mutex) { // want lockDollar:`^acquires \$0\["\\x240"\]$`
	mus["$0"].Lock()
}

// ValidDollarKey unlocks what lockDollar locked: the key is a constant,
// not the helper's parameter.
func ValidDollarKey(t *runtime.Task, mus map[string]*sync.Mutex) { // want ValidDollarKey:"maySuspend"
	lockDollar(mus)
	mus["$0"].Unlock()
	runtime.Await(t, fetch())
}
