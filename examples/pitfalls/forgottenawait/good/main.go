// Command good is forgottenawait/bad with the future awaited: each message
// is in the audit log before its reply goes out.
//
//	$ go run ./forgottenawait/good
//	ok: hello
//	ok: how are you?
//	ok: bye
//	audit log holds 3 of 3 messages
package main

import (
	"fmt"
	"time"

	"github.com/asynclint/asynclint/runtime"
)

// auditLog is an append-only record of handled messages.
type auditLog struct {
	entries []string
}

// Append returns a future that stores msg after a write to storage (5 ms).
// Nothing happens until the future is awaited.
func (l *auditLog) Append(msg string) runtime.Future[struct{}] {
	return runtime.Async(func(t *runtime.Task) struct{} {
		runtime.Await(t, runtime.Sleep(5*time.Millisecond))
		l.entries = append(l.entries, msg)
		return struct{}{}
	})
}

func handle(t *runtime.Task, audit *auditLog, msg string) string {
	runtime.Await(t, audit.Append(msg))
	return "ok: " + msg
}

func main() {
	audit := &auditLog{}
	messages := []string{"hello", "how are you?", "bye"}
	runtime.Run(runtime.Async(func(t *runtime.Task) struct{} {
		for _, msg := range messages {
			fmt.Println(handle(t, audit, msg))
		}
		return struct{}{}
	}))
	fmt.Printf("audit log holds %d of %d messages\n", len(audit.entries), len(messages))
}
