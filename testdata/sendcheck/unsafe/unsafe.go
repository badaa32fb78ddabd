// Package unsafe holds standard-library values that are not safe for
// concurrent use, shared between a spawned task and its spawner. Any method
// call on them counts as a write.
package unsafe

import (
	"bufio"
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/asynclint/asynclint/runtime"
)

func mathRand(t *runtime.Task) int {
	rng := rand.New(rand.NewSource(1))
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		return rng.Intn(10) // want `rng is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*rand.Rand is not safe for concurrent use and the task may run on another worker; use SpawnLocal or a runtime.Mutex\)`
	}))
	n := rng.Intn(10)
	return n + runtime.Await(t, h)
}

func buffer(t *runtime.Task) string {
	var buf bytes.Buffer
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		buf.WriteString("task") // want `buf is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: bytes.Buffer is not safe`
		return 0
	}))
	fmt.Fprintf(&buf, "spawner")
	runtime.Await(t, h)
	return buf.String()
}

func builder(t *runtime.Task) {
	sb := &strings.Builder{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		sb.WriteByte('x') // want `sb is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*strings.Builder is not safe`
		return 0
	}))
	_ = sb.Len()
}

func bufioWriter(t *runtime.Task) {
	w := bufio.NewWriter(os.Stdout)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		w.WriteString("task") // want `w is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*bufio.Writer is not safe`
		return 0
	}))
	w.Flush()
}

func bufioScanner(t *runtime.Task) {
	sc := bufio.NewScanner(os.Stdin)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		return sc.Scan() // want `sc is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*bufio.Scanner is not safe`
	}))
	_ = sc.Text()
}

func containerList(t *runtime.Task) {
	queue := list.New()
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		queue.PushBack(1) // want `queue is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*list.List is not safe`
		return 0
	}))
	queue.Remove(queue.Front())
}

func hashes(t *runtime.Task) {
	sum := sha256.New()
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		sum.Write([]byte("task")) // want `sum is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: hash.Hash is not safe`
		return 0
	}))
	sum.Reset()
}

func concreteHash(t *runtime.Task) {
	h64 := fnv.New64a()
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) uint64 {
		return h64.Sum64() // want `h64 is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: hash.Hash64 is not safe`
	}))
	h64.Write(nil)
}

func tabWriter(t *runtime.Task) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 1, ' ', 0)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		fmt.Fprintln(tw, "a\tb") // want `tw is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*tabwriter.Writer is not safe`
		return 0
	}))
	tw.Flush()
}

func jsonEncoder(t *runtime.Task) {
	enc := json.NewEncoder(os.Stdout)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		enc.Encode("task") // want `enc is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*json.Encoder is not safe`
		return 0
	}))
	enc.Encode("spawner")
}

func jsonDecoder(t *runtime.Task) {
	dec := json.NewDecoder(os.Stdin)
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) bool {
		return dec.More() // want `dec is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: \*json.Decoder is not safe`
	}))
	var v any
	dec.Decode(&v)
}

// Moved in: after the spawn only the task uses the buffer.
func movedIn(t *runtime.Task) {
	var buf bytes.Buffer
	buf.WriteString("header")
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		buf.WriteString("body")
		return buf.Len()
	}))
}

// Used again only after the task was awaited.
func afterAwait(t *runtime.Task) string {
	sb := &strings.Builder{}
	h := runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		sb.WriteString("task")
		return 0
	}))
	runtime.Await(t, h)
	sb.WriteString("spawner")
	return sb.String()
}

// SpawnBlocking: the closure runs on the blocking pool, another thread.
func blockingPool(t *runtime.Task) {
	w := bufio.NewWriter(os.Stdout)
	runtime.SpawnBlocking(t, func() error {
		return w.Flush() // want `w is captured by a task spawned with runtime.SpawnBlocking and also used by the spawner \(data race: \*bufio.Writer is not safe for concurrent use and the closure runs on another thread; use a sync.Mutex\)`
	})
	w.WriteString("more")
}

type report struct {
	title string
	body  bytes.Buffer
}

// An unsafe value inside a captured struct: the message names the field's
// type.
func field(t *runtime.Task) {
	r := &report{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		r.body.WriteString("task") // want `r is captured by a task spawned with runtime.Spawn and also used by the spawner \(data race: bytes.Buffer is not safe`
		return 0
	}))
	r.body.WriteString("spawner")
}

// Different fields of the same struct: the title is not the buffer.
func otherField(t *runtime.Task) {
	r := &report{}
	runtime.Spawn(t, runtime.Async(func(t *runtime.Task) int {
		r.body.WriteString("task")
		return 0
	}))
	_ = r.title
}
