package output

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteGitHub writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request:
//
//	::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=asynclint/CHECK::MESSAGE
//
// Related positions are appended to the message, one per line, because an
// annotation has a single location. Problems become ::error commands titled
// "asynclint", with a location when they have one; so do findings, which
// may lack a line or a file.
func WriteGitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, p := range r.Problems {
		props := []string{"title=asynclint"}
		if file, line, col, ok := splitPosn(p.Posn); ok {
			props = []string{"file=" + ghProperty(file), "line=" + line, "col=" + col, "title=asynclint"}
		}
		fmt.Fprintf(bw, "::error %s::%s\n", strings.Join(props, ","), ghData(p.Message))
	}
	for _, f := range r.Findings {
		msg := f.Message
		for _, rel := range f.Related {
			msg += "\n" + rel.Posn.String() + ": " + rel.Message
		}
		fmt.Fprintf(bw, "::error %s::%s\n", ghLocation(f.Posn, f.End, "asynclint/"+f.Check), ghData(msg))
	}
	return bw.Flush()
}

// ghLocation renders the properties of a finding's annotation. A finding
// without a line is annotated on its file, and one without a file on the
// run, as the runner does for commands that omit those properties.
func ghLocation(start, end Position, title string) string {
	var props []string
	if start.File != "" {
		props = append(props, "file="+ghProperty(start.File))
	}
	if start.IsValid() {
		if !end.IsValid() {
			end = start
		}
		props = append(props, fmt.Sprintf("line=%d,col=%d,endLine=%d,endColumn=%d",
			start.Line, max(start.Column, 1), end.Line, max(end.Column, 1)))
	}
	return strings.Join(append(props, "title="+ghProperty(title)), ",")
}

// ghData escapes a workflow command's message, as the runner's
// toolkit does: percent first, then line breaks.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value, which additionally must not contain
// the ':' and ',' that delimit properties.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// splitPosn splits "file:line:col" (or "file:line"), taking the numbers from
// the right so that file names containing ':' survive.
func splitPosn(posn string) (file, line, col string, ok bool) {
	parts := strings.Split(posn, ":")
	n := len(parts)
	isNum := func(s string) bool { _, err := strconv.Atoi(s); return err == nil }
	switch {
	case n >= 3 && isNum(parts[n-1]) && isNum(parts[n-2]):
		return strings.Join(parts[:n-2], ":"), parts[n-2], parts[n-1], true
	case n >= 2 && isNum(parts[n-1]):
		return strings.Join(parts[:n-1], ":"), parts[n-1], "1", true
	}
	return "", "", "", false
}
