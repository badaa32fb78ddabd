// Command gencorpus writes the synthetic async-heavy module used by
// lintbench: go run ./bench/gencorpus -n 20 -o /tmp/corpus.
package main

import (
	"flag"
	"log"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/asynclint/asynclint/internal/corpusgen"
)

func main() {
	n := flag.Int("n", 20, "number of packages")
	out := flag.String("o", "", "output directory (required)")
	flag.Parse()
	if *out == "" {
		log.Fatal("gencorpus: -o is required")
	}
	mod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" {
		log.Fatal("gencorpus: run from inside the asynclint module")
	}
	if err := corpusgen.Generate(*out, filepath.Dir(strings.TrimSpace(string(mod))), *n); err != nil {
		log.Fatal(err)
	}
}
