package direct

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/asynclint/asynclint/runtime"
)

// Output to the terminal is not reported, whichever way it is written: as
// with fmt.Println and the log package, so with os.Stdout and os.Stderr
// themselves.
func terminal(t *runtime.Task, b []byte) {
	fmt.Println("hello")
	log.Print("hello")
	os.Stdout.Write(b)
	os.Stderr.WriteString("hello\n")
	var w io.Writer = os.Stdout
	fmt.Fprintln(w, "hello")
}

// A file is not the terminal.
func toFile(t *runtime.Task, f *os.File, b []byte) { // want toFile:"mayBlock\\(toFile -> \\(\\*os\\.File\\)\\.Write\\)"
	f.Write(b) // want `f.Write blocks the worker thread; use runtime.SpawnBlocking`
}
