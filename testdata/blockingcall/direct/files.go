package direct

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/asynclint/asynclint/runtime"
)

func readFile(t *runtime.Task) { // want readFile:"mayBlock\\(readFile -> os\\.ReadFile\\)"
	os.ReadFile("config.json") // want `os.ReadFile blocks the worker thread; use runtime.SpawnBlocking`
}

func fileRead(t *runtime.Task, f *os.File, buf []byte) { // want fileRead:"mayBlock\\(fileRead -> \\(\\*os\\.File\\)\\.Read\\)"
	f.Read(buf) // want `f.Read blocks the worker thread; use runtime.SpawnBlocking`
}

func walk(t *runtime.Task) { // want walk:"mayBlock\\(walk -> path/filepath\\.WalkDir\\)"
	filepath.WalkDir(".", func(string, fs.DirEntry, error) error { return nil }) // want `filepath.WalkDir blocks the worker thread; use runtime.SpawnBlocking`
}

func removeAll(t *runtime.Task) { // want removeAll:"mayBlock\\(removeAll -> os\\.RemoveAll\\)"
	os.RemoveAll("/tmp/x") // want `os.RemoveAll blocks the worker thread; use runtime.SpawnBlocking`
}

func openDefault(t *runtime.Task) { // want openDefault:"mayBlock\\(tier2: openDefault -> os\\.Open\\)"
	os.Open("config.json") // tier 2: only reported in Poll methods and at -level=strict
}

func joinPath(t *runtime.Task) string {
	return filepath.Join("a", "b") // pure
}
