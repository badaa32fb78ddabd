package output

import (
	"bufio"
	"fmt"
	"io"
)

// WriteText writes one line per finding,
//
//	file:line:col: message (check)
//
// followed by an indented line for each related position. Problems are not
// included: the driver prints them to standard error with WriteProblems.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "%s: %s (%s)\n", f.Posn, f.Message, f.Check)
		for _, rel := range f.Related {
			fmt.Fprintf(bw, "\t%s: %s\n", rel.Posn, rel.Message)
		}
	}
	return bw.Flush()
}

// WriteProblems writes each problem as the compiler would print it,
// "file:line:col: message", or the bare message when it has no position.
func WriteProblems(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, p := range r.Problems {
		if p.Posn != "" {
			fmt.Fprintf(bw, "%s: %s\n", p.Posn, p.Message)
		} else {
			fmt.Fprintln(bw, p.Message)
		}
	}
	return bw.Flush()
}
