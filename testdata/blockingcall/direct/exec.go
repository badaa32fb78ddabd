package direct

import (
	"os"
	"os/exec"

	"github.com/asynclint/asynclint/runtime"
)

func run(t *runtime.Task) error { // want run:"mayBlock\\(run -> \\(\\*os/exec\\.Cmd\\)\\.Run\\)"
	return exec.Command("true").Run() // want `exec.Command\("true"\).Run blocks the worker thread; use runtime.SpawnBlocking`
}

func output(t *runtime.Task, cmd *exec.Cmd) { // want output:"mayBlock\\(output -> \\(\\*os/exec\\.Cmd\\)\\.Output\\)"
	cmd.Output() // want `cmd.Output blocks the worker thread; use runtime.SpawnBlocking`
}

func processWait(t *runtime.Task, p *os.Process) { // want processWait:"mayBlock\\(processWait -> \\(\\*os\\.Process\\)\\.Wait\\)"
	p.Wait() // want `p.Wait blocks the worker thread; use runtime.SpawnBlocking`
}

func command(t *runtime.Task) *exec.Cmd {
	return exec.Command("true") // only builds the command
}
