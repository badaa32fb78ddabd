package direct

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/asynclint/asynclint/runtime"
)

func scan(t *runtime.Task) (s string) { // want scan:"mayBlock\\(scan -> fmt\\.Scanln\\)"
	fmt.Scanln(&s) // want `fmt.Scanln blocks the worker thread; read stdin on the blocking pool with runtime.SpawnBlocking`
	return s
}

func fscanStdin(t *runtime.Task) (n int) { // want fscanStdin:"mayBlock\\(fscanStdin -> fmt\\.Fscan\\)"
	fmt.Fscan(os.Stdin, &n) // want `fmt.Fscan blocks the worker thread; read stdin on the blocking pool with runtime.SpawnBlocking`
	return n
}

func readLine(t *runtime.Task) string { // want readLine:"mayBlock\\(readLine -> \\(\\*bufio\\.Reader\\)\\.ReadString\\)"
	r := bufio.NewReader(os.Stdin)
	line, _ := r.ReadString('\n') // want `r.ReadString blocks the worker thread; read stdin on the blocking pool with runtime.SpawnBlocking`
	return line
}

func scanLines(t *runtime.Task) (n int) { // want scanLines:"mayBlock\\(scanLines -> \\(\\*bufio\\.Scanner\\)\\.Scan\\)"
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() { // want `sc.Scan blocks the worker thread; read stdin on the blocking pool with runtime.SpawnBlocking`
		n++
	}
	return n
}

func readAllStdin(t *runtime.Task) []byte { // want readAllStdin:"mayBlock\\(readAllStdin -> io\\.ReadAll\\)"
	b, _ := io.ReadAll(os.Stdin) // want `io.ReadAll blocks the worker thread; read stdin on the blocking pool with runtime.SpawnBlocking`
	return b
}

// The same functions on in-memory readers do not block.
func inMemory(t *runtime.Task, in string) (n int) {
	fmt.Fscan(strings.NewReader(in), &n)
	r := bufio.NewReader(strings.NewReader(in))
	r.ReadString('\n')
	io.ReadAll(strings.NewReader(in))
	return n
}

func sprint(t *runtime.Task) string {
	return fmt.Sprint(1) // no input
}
