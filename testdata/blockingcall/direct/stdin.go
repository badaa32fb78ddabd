package direct

import (
	"fmt"

	"github.com/asynclint/asynclint/runtime"
)

func scan(t *runtime.Task) (s string) { // want scan:"mayBlock\\(scan -> fmt\\.Scanln\\)"
	fmt.Scanln(&s) // want `fmt.Scanln blocks the worker thread; read stdin on the blocking pool with runtime.SpawnBlocking`
	return s
}

func sprint(t *runtime.Task) string {
	return fmt.Sprint(1) // no input
}
