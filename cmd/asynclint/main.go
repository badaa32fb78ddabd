// Command asynclint reports the classic pitfalls of code written for the
// github.com/asynclint/asynclint/runtime async runtime: futures that are
// never awaited, blocking calls inside tasks, sync locks held across an
// await, and values captured by a spawned task that are not safe to share.
//
// Usage:
//
//	asynclint [flags] [packages]         analyze packages (default ./...)
//	asynclint help                       list the checks
//	asynclint help <check>               print a check's documentation
//	asynclint help -markdown             print docs/checks.md
//	go vet -vettool=$(which asynclint) [flags] [packages]
//
// # Flags
//
//	-<check>=false      disable one check; -<check> (=true) runs only the checks named so
//	-disable a,b        disable the listed checks
//	-<check>.<flag>     a check's own flag, e.g. -unawaited.strict
//	-config file.json   configuration file (the shared Config: disable, extra
//	                    blocking functions, must-not-hold types, ...); unknown
//	                    keys are an error. Flags given on the command line
//	                    override it.
//	-format f           output format: text (default), json, sarif, github
//	-json               same as -format json
//	-fix                apply the first suggested fix of every finding
//	-diff               with or without -fix: print the fixes as a unified
//	                    diff and change no file
//	-tags list          build tags, as for go build
//	-test               also analyze test files (default true)
//
// The formats:
//
//   - text: one "file:line:col: message (check)" line per finding, sorted
//     by position, and an indented line per related position.
//   - json: a document {"findings": [...], "problems": [...]}; the schema
//     is documented on internal/output.JSONReport.
//   - sarif: SARIF 2.1.0, one rule per check, for code scanning uploads.
//   - github: GitHub Actions ::error annotations.
//
// Findings go to standard output. Load and type errors go to standard
// error in every format, and are also part of the json, sarif and github
// documents.
//
// # Exit codes
//
// Standalone:
//
//	0  no findings
//	3  findings were reported (with -fix: findings remain that no fix resolved)
//	1  a package failed to load or type-check, or a check failed; the
//	   compiler's messages are printed, and findings in the packages that
//	   did load are still reported
//	2  bad flag or usage; the usage message is printed
//
// Under go vet, asynclint speaks the unitchecker protocol and go vet decides
// the exit status: 1 on findings or errors, 0 when clean. There the output
// is go vet's (text, or JSON with -json); -format, -fix, -diff, -tags and
// -test are go vet's business or unavailable. -config works, but go vet
// runs the tool in each package's directory, so give it an absolute path.
//
// # Suppression
//
// A finding is suppressed by
//
//	//asynclint:ignore <check>[,<check>] <reason>
//
// on its line or the line above. The reason is required, and a directive
// that suppresses nothing is itself reported.
package main

import (
	"os"
	"path/filepath"
)

func main() {
	args := os.Args[1:]
	if isVetInvocation(args) {
		os.Exit(vetMain(args))
	}
	os.Exit(run(args, os.Stdout, os.Stderr))
}

// isVetInvocation reports whether the go command is driving us through the
// unitchecker protocol: it asks "-V=full" to key its cache, "-flags" to learn
// our flags, and then passes the flags and one *.cfg file per package.
func isVetInvocation(args []string) bool {
	for _, a := range args {
		if a == "-V=full" || a == "--V=full" || a == "-flags" || a == "--flags" {
			return true
		}
	}
	return len(args) > 0 && filepath.Ext(args[len(args)-1]) == ".cfg"
}
