// Command novet is a go vet -vettool that checks nothing: one analyzer
// that returns at once, under the same unitchecker protocol as asynclint.
// lintbench times it to show what go vet itself spends on any external
// tool (a -flags and a -V=full call, and a facts-only action for every
// dependency, the standard library included, which go vet skips for its
// own analyzers), so that asynclint -vettool can be compared with that
// floor as well as with go vet.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

var nothing = &analysis.Analyzer{
	Name: "nothing",
	Doc:  "nothing: checks nothing",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { unitchecker.Main(nothing) }
