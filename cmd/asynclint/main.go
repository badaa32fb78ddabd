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
//	-<check>.<flag>     a check's own flag, e.g. -unawaited.strict; "asynclint help <check>" lists them
//	-config file.json   configuration file (internal/config.Config: disable, extra
//	                    blocking functions, must-not-hold types, ...); unknown
//	                    keys are an error. Flags given on the command line
//	                    override it. Default: $ASYNCLINT_CONFIG.
//	-format f           output format: text (default), json, sarif, github
//	-json               same as -format json
//	-fix                apply the first suggested fix of every finding, then
//	                    report the findings that remain
//	-diff               print the fixes as a unified diff instead of the
//	                    findings; change no file
//	-tags list          comma-separated build tags, as for go build
//	-test               also analyze test files (default true)
//
// The directives check, which reports malformed //asynclint: comments, always
// runs standalone: a malformed directive would otherwise silently suppress
// nothing.
//
// # Output
//
//   - text: one "file:line:col: message (check)" line per finding, sorted
//     by file, position, check and message, then a tab-indented
//     "file:line:col: message" line per related position.
//   - json: {"findings": [...], "problems": [...]}; each finding has check,
//     category, posn, end, message, related and fixes (see the schema on
//     internal/output.JSONReport).
//   - sarif: SARIF 2.1.0 with one rule per check (id, summary, full
//     documentation, help link to docs/checks.md#<check>) and results with
//     start and end positions, related locations and fixes. File URIs are
//     relative to %SRCROOT%, the working directory: run from the repository
//     root when uploading to GitHub code scanning.
//   - github: GitHub Actions workflow commands,
//     "::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=asynclint/<check>::message".
//
// File names are relative to the working directory when inside it. Findings
// go to standard output. Load and type errors go to standard error as the
// compiler prints them, in every format, and are also part of the json,
// sarif and github output. With -fix, each applied fix is reported on
// standard error.
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
// With -fix, the findings that no fix resolved are printed and give exit
// 3, as golangci-lint --fix reports the issues it could not fix and fails;
// a check offers a fix only where the rewritten code compiles, so those
// findings need a person. (x/tools' own drivers, and go vet -fix, print
// nothing and exit 0 after fixing; the go vet protocol keeps that.)
//
// Under go vet, asynclint speaks the unitchecker protocol and go vet decides
// the exit status: 1 on findings or errors, 0 when clean (and 0 with -json,
// which prints go vet's JSON to standard output). The output is go vet's;
// -format, -diff and -test do not apply there (go vet has its own -tags),
// while -fix, the enable flags, the checks' own flags, -disable and -config
// work. go vet runs the tool in each package's directory, so give -config
// an absolute path. go vet caches results by flags, not by the content of
// the file a flag names; name the file in the ASYNCLINT_CONFIG environment
// variable instead of -config, and editing it invalidates the cache.
//
// # Memory and the result cache
//
// Standalone, packages are type-checked and analyzed in dependency order, as
// soon as their imports are done, one per CPU at a time; once a package's
// checks have run, only its types and facts are kept. Results are cached
// per package (findings and facts), keyed by the binary, the settings, the
// toolchain and the contents of the package and of what it imports. A run
// in which every package hits prints the cached findings without
// type-checking anything; for directory patterns ("./...") the package
// listing is cached as well, and reused without running the go command
// while the directories, files, go.mod, go.work and go env it came from are
// unchanged. Environment:
//
//	ASYNCLINT_CACHE   the cache directory (default: asynclint/results in the
//	                  user cache directory), or "off"
//	ASYNCLINT_DEBUG   "cache": report on standard error how many packages
//	                  the cache served and how many were analyzed
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
