// Command lintbench measures asynclint against the linters people already
// run, side by side in one run: go vet with its default analyzers,
// staticcheck, asynclint standalone, asynclint as go vet -vettool, and
// novet, a -vettool that checks nothing (the floor of any external vet
// tool). The tools take turns round by round. It reports wall time, CPU time (user+system, including child processes) and
// peak RSS (the largest single process in the tree), with ratios to a
// baseline, on two corpora:
//
//   - xtools: every package of golang.org/x/tools@v0.52.0, copied from the
//     module cache into a scratch module (a large real code base that does
//     not use the runtime);
//   - async: a generated module of N packages that use the runtime heavily
//     (internal/corpusgen), at N and 10×N to check scaling.
//
// Cold runs use an empty GOCACHE and empty result caches (vet keeps its
// results in GOCACHE, staticcheck and asynclint standalone in caches of
// their own, so warm runs mostly measure the caches); warm runs repeat with
// the caches primed by a first run.
//
// Usage, from the repository root:
//
//	go run ./bench/lintbench -corpus xtools -runs 3
//	go run ./bench/lintbench -corpus async -n 20 -runs 3
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

var (
	corpus    = flag.String("corpus", "xtools", "corpus: xtools, async, or all")
	n         = flag.Int("n", 20, "packages in the async corpus (also run at 10×n)")
	runs      = flag.Int("runs", 3, "repetitions per tool and cache state")
	tools     = flag.String("tools", "vet,staticcheck,asynclint,asynclint-vet,novet-vet", "tools to run, comma-separated")
	warmOnly  = flag.Bool("warm-only", false, "skip the cold-cache runs")
	scratch   = flag.String("dir", "", "scratch directory (default: a temporary directory)")
	keep      = flag.Bool("keep", false, "keep the scratch directory")
	xtoolsVer = flag.String("xtools", "v0.52.0", "golang.org/x/tools version for the xtools corpus")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("lintbench: ")
	flag.Parse()

	root, err := repoRoot()
	if err != nil {
		log.Fatal(err)
	}
	dir := *scratch
	if dir == "" {
		if dir, err = os.MkdirTemp("", "lintbench"); err != nil {
			log.Fatal(err)
		}
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	bin := filepath.Join(dir, "bin")
	if err := buildTools(root, bin); err != nil {
		log.Fatal(err)
	}

	var corpora []corpusSpec
	if *corpus == "xtools" || *corpus == "all" {
		c, err := xtoolsCorpus(dir)
		if err != nil {
			log.Fatal(err)
		}
		corpora = append(corpora, c)
	}
	if *corpus == "async" || *corpus == "all" {
		for _, size := range []int{*n, 10 * *n} {
			c, err := asyncCorpus(root, dir, size)
			if err != nil {
				log.Fatal(err)
			}
			corpora = append(corpora, c)
		}
	}
	if len(corpora) == 0 {
		log.Fatalf("unknown -corpus %q", *corpus)
	}

	selected := strings.Split(*tools, ",")
	for _, c := range corpora {
		fmt.Printf("\n## %s (%s)\n\n", c.name, c.dir)
		for _, cache := range []string{"cold", "warm"} {
			if cache == "cold" && *warmOnly {
				continue
			}
			var ts []tool
			for _, t := range toolset(bin) {
				if slices.Contains(selected, t.name) {
					ts = append(ts, t)
				}
			}
			printTable(c.name, cache, measure(c, ts, cache, dir))
		}
	}
}

type corpusSpec struct {
	name string
	dir  string
	env  []string // extra environment, e.g. GOWORK
}

type tool struct {
	name string
	args func(bin string) []string // command line, run in the corpus directory
}

func toolset(bin string) []tool {
	return []tool{
		{"vet", func(string) []string { return []string{"go", "vet", "./..."} }},
		{"staticcheck", func(bin string) []string { return []string{filepath.Join(bin, "staticcheck"), "./..."} }},
		{"asynclint", func(bin string) []string { return []string{filepath.Join(bin, "asynclint"), "./..."} }},
		{"asynclint-vet", func(bin string) []string {
			return []string{"go", "vet", "-vettool=" + filepath.Join(bin, "asynclint"), "./..."}
		}},
		// The floor of any go vet -vettool: see ./novet.
		{"novet-vet", func(bin string) []string {
			return []string{"go", "vet", "-vettool=" + filepath.Join(bin, "novet"), "./..."}
		}},
	}
}

type sample struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	exit      int
}

type row struct {
	tool    string
	samples []sample
}

// measure runs each tool on c runs times. The tools take turns, round by
// round, so that a machine that slows down or speeds up during the
// measurement (other work, thermal limits) affects them alike. Cold runs
// start each time from empty caches; warm runs share, per tool, caches
// primed by an untimed run in this invocation. A tool that fails to run is reported and left
// out.
func measure(c corpusSpec, ts []tool, cache, dir string) []row {
	rows := make([]row, len(ts))
	failed := make([]bool, len(ts))
	warmCache := func(t tool) string { return filepath.Join(dir, "gocache-warm-"+c.name+"-"+t.name) }
	for i, t := range ts {
		rows[i].tool = t.name
		if cache == "warm" {
			// Primed afresh: a cache left by earlier invocations (other
			// binaries, other tool IDs) is larger, and the go command's
			// lookups in it are measurably slower.
			os.RemoveAll(warmCache(t))
			os.RemoveAll(warmCache(t) + ".results")
			if _, err := run(c, t, warmCache(t), dir); err != nil {
				log.Printf("%s on %s (%s): %v", t.name, c.name, cache, err)
				failed[i] = true
			}
		}
	}
	for round := 0; round < *runs; round++ {
		for i, t := range ts {
			if failed[i] {
				continue
			}
			gocache := warmCache(t)
			if cache == "cold" {
				gocache = filepath.Join(dir, fmt.Sprintf("gocache-cold-%s-%s-%d", c.name, t.name, round))
			}
			s, err := run(c, t, gocache, dir)
			if cache == "cold" {
				os.RemoveAll(gocache)
				os.RemoveAll(gocache + ".results")
			}
			if err != nil {
				log.Printf("%s on %s (%s): %v", t.name, c.name, cache, err)
				failed[i] = true
				continue
			}
			rows[i].samples = append(rows[i].samples, s)
		}
	}
	var out []row
	for i, r := range rows {
		if !failed[i] {
			out = append(out, r)
		}
	}
	return out
}

func run(c corpusSpec, t tool, gocache, dir string) (sample, error) {
	argv := t.args(filepath.Join(dir, "bin"))
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = c.dir
	// The corpus's environment comes last and wins: a workspace corpus
	// must not get -mod=mod, which the go command rejects there.
	cmd.Env = append(os.Environ(), "GOCACHE="+gocache, "GOFLAGS=-mod=mod",
		"STATICCHECK_CACHE="+filepath.Join(gocache+".results", "staticcheck"),
		"ASYNCLINT_CACHE="+filepath.Join(gocache+".results", "asynclint"))
	cmd.Env = append(cmd.Env, c.env...)
	cmd.Stdout = io.Discard
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		return sample{}, err
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s := sample{
		wall:   wall,
		cpu:    time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		maxRSS: ru.Maxrss * 1024,
		exit:   cmd.ProcessState.ExitCode(),
	}
	// Findings are expected (exit 1 under vet, 3 standalone); crashes and
	// failures to load are not, and must not pass for findings.
	errText := stderr.String()
	if strings.Contains(errText, "panic:") || strings.Contains(errText, "internal error") {
		return s, fmt.Errorf("crashed:\n%s", tail(errText, 40))
	}
	if strings.HasPrefix(errText, "go: ") || (t.name == "asynclint" && s.exit == 1) {
		return s, fmt.Errorf("did not run (exit %d):\n%s", s.exit, tail(errText, 20))
	}
	if s.exit != 0 && s.exit != 1 && s.exit != 3 {
		return s, fmt.Errorf("exit %d:\n%s", s.exit, tail(stderr.String(), 20))
	}
	return s, nil
}

func printTable(corpus, cache string, rows []row) {
	if len(rows) == 0 {
		return
	}
	fmt.Printf("%s cache, median of %d run(s); ratios against %s\n\n", cache, *runs, rows[0].tool)
	fmt.Printf("| tool | wall | cpu | peak RSS | wall ratio | cpu ratio | RSS ratio | exit |\n|---|---|---|---|---|---|---|---|\n")
	base := summarize(rows[0].samples)
	for _, r := range rows {
		s := summarize(r.samples)
		fmt.Printf("| %s | %s | %s | %d MB | %.2f | %.2f | %.2f | %d |\n",
			r.tool, s.wall.Round(time.Millisecond), s.cpu.Round(time.Millisecond), s.maxRSS>>20,
			ratio(s.wall, base.wall), ratio(s.cpu, base.cpu), float64(s.maxRSS)/float64(max(base.maxRSS, 1)), s.exit)
		var walls []string
		for _, x := range r.samples {
			walls = append(walls, x.wall.Round(time.Millisecond).String())
		}
		fmt.Fprintf(os.Stderr, "%s/%s/%s walls: %s\n", corpus, cache, r.tool, strings.Join(walls, " "))
	}
	fmt.Println()
}

// summarize returns the per-field medians.
func summarize(ss []sample) sample {
	med := func(f func(sample) int64) int64 {
		v := make([]int64, len(ss))
		for i, s := range ss {
			v[i] = f(s)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return sample{
		wall:   time.Duration(med(func(s sample) int64 { return int64(s.wall) })),
		cpu:    time.Duration(med(func(s sample) int64 { return int64(s.cpu) })),
		maxRSS: med(func(s sample) int64 { return s.maxRSS }),
		exit:   ss[0].exit,
	}
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }

func buildTools(root, bin string) error {
	if err := sh(root, nil, "go", "build", "-o", filepath.Join(bin, "asynclint"), "./cmd/asynclint"); err != nil {
		return err
	}
	if err := sh(root, nil, "go", "build", "-o", filepath.Join(bin, "novet"), "./bench/lintbench/novet"); err != nil {
		return err
	}
	// staticcheck at the version the project pins, from the module proxy.
	return sh(root, []string{"GOBIN=" + bin, "GOFLAGS="}, "go", "install", "honnef.co/go/tools/cmd/staticcheck@v0.8.2")
}

// xtoolsCorpus copies golang.org/x/tools from the module cache into a
// writable scratch module, so every tool analyzes it as its main module.
func xtoolsCorpus(dir string) (corpusSpec, error) {
	dst := filepath.Join(dir, "xtools")
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err != nil {
		if err := sh(dir, []string{"GOFLAGS="}, "go", "mod", "download", "golang.org/x/tools@"+*xtoolsVer); err != nil {
			return corpusSpec{}, err
		}
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			return corpusSpec{}, err
		}
		src := filepath.Join(strings.TrimSpace(string(out)), "golang.org", "x", "tools@"+*xtoolsVer)
		if err := copyTree(src, dst); err != nil {
			return corpusSpec{}, err
		}
		// Resolve the corpus's own dependencies once, untimed.
		if err := sh(dst, []string{"GOWORK=off", "GOFLAGS=-mod=mod"}, "go", "list", "-deps", "-test", "./..."); err != nil {
			return corpusSpec{}, err
		}
	}
	return corpusSpec{name: "xtools", dir: dst, env: []string{"GOWORK=off"}}, nil
}

func asyncCorpus(root, dir string, size int) (corpusSpec, error) {
	dst := filepath.Join(dir, fmt.Sprintf("async-%d", size))
	if _, err := os.Stat(filepath.Join(dst, "go.mod")); err != nil {
		if err := sh(root, nil, "go", "run", "./bench/gencorpus", "-n", fmt.Sprint(size), "-o", dst); err != nil {
			return corpusSpec{}, err
		}
	}
	return corpusSpec{name: fmt.Sprintf("async-%d", size), dir: dst, env: []string{"GOWORK=" + filepath.Join(dst, "go.work"), "GOFLAGS="}}, nil
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func sh(dir string, env []string, argv ...string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", strings.Join(argv, " "), err, tail(string(out), 30))
	}
	return nil
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run lintbench from inside the asynclint module")
	}
	return filepath.Dir(mod), nil
}

func tail(s string, lines int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > lines {
		ls = ls[len(ls)-lines:]
	}
	return strings.Join(ls, "\n")
}
