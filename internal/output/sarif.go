package output

import (
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// SARIF 2.1.0 (OASIS). These structs cover the part of the object model
// asynclint fills in. honnef.co/go/tools/sarif was considered and rejected:
// it has no fullDescription, and it always emits "suppressions", as null
// when there are none, which the 2.1.0 schema rejects.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

	// RepoURL is asynclint's home; rule help links point into its docs.
	RepoURL = "https://github.com/asynclint/asynclint"

	srcRoot = "%SRCROOT%"
)

type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	FullDescription      sarifMessage `json:"fullDescription"`
	Help                 sarifMessage `json:"help"`
	HelpURI              string       `json:"helpUri"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
	Properties       map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// sarifRegion holds either a line/column range (for locations) or a byte
// range (for the deleted region of a replacement): both are exact, and byte
// offsets spare consumers any column arithmetic when applying a fix.
type sarifRegion struct {
	StartLine   int  `json:"startLine,omitempty"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifContent `json:"insertedContent,omitempty"`
}

type sarifContent struct {
	Text string `json:"text"`
}

// HelpURI returns the address of check's section in docs/checks.md.
func HelpURI(check string) string {
	return RepoURL + "/blob/main/docs/checks.md#" + check
}

// WriteSARIF writes r as a SARIF 2.1.0 log with one run. Each check is a
// rule (id = check name) carrying its summary and full documentation;
// each finding is a result with start and end positions, its related
// positions and its suggested fixes. Problems become error notifications
// of the invocation, which then did not execute successfully.
//
// Columns are given in UTF-16 code units, SARIF's default and what GitHub
// code scanning expects; file names are relative to %SRCROOT%, the working
// directory.
func WriteSARIF(w io.Writer, r *Report) error {
	s := &sarifWriter{root: r.Root, src: make(map[string][]byte)}
	driver := sarifDriver{
		Name:           "asynclint",
		Version:        r.Version,
		InformationURI: RepoURL,
		Rules:          []sarifRule{},
	}
	ruleIndex := make(map[string]int)
	for _, c := range r.Checks {
		ruleIndex[c.Name] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   c.Name,
			Name:                 c.Name,
			ShortDescription:     sarifMessage{Text: c.Summary},
			FullDescription:      sarifMessage{Text: c.Doc},
			Help:                 sarifMessage{Text: c.Doc, Markdown: c.Markdown},
			HelpURI:              HelpURI(c.Name),
			DefaultConfiguration: sarifConfig{Level: "error"},
		})
	}

	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(r.Problems) == 0}},
		ColumnKind:  "utf16CodeUnits",
		Results:     []sarifResult{},
	}
	if r.Root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: dirURI(r.Root)}}
	}
	for _, p := range r.Problems {
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: p.Message}}
		if file, line, col, ok := splitPosn(p.Posn); ok {
			n.Locations = []sarifLocation{{PhysicalLocation: &sarifPhysicalLocation{
				ArtifactLocation: s.artifact(file),
				Region:           &sarifRegion{StartLine: atoi(line), StartColumn: max(atoi(col), 1)},
			}}}
		}
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, n)
	}

	for _, f := range r.Findings {
		idx, ok := ruleIndex[f.Check]
		if !ok {
			idx = -1 // the schema's "not given"; cannot happen for checks that ran
		}
		res := sarifResult{
			RuleID:    f.Check,
			RuleIndex: idx,
			Level:     "error",
			Message:   sarifMessage{Text: f.Message},
			Locations: []sarifLocation{},
		}
		if f.Posn.File != "" {
			res.Locations = append(res.Locations, s.location(f.Posn, f.End, nil))
		}
		if f.Category != "" {
			res.Properties = map[string]any{"category": f.Category}
		}
		for i, rel := range f.Related {
			id := i + 1
			loc := s.location(rel.Posn, rel.End, &sarifMessage{Text: rel.Message})
			loc.ID = &id
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		for _, fix := range f.Fixes {
			res.Fixes = append(res.Fixes, s.fix(fix))
		}
		run.Results = append(run.Results, res)
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Version: sarifVersion, Schema: sarifSchema, Runs: []sarifRun{run}})
}

type sarifWriter struct {
	root string
	src  map[string][]byte // file -> content, for UTF-16 columns; nil if unreadable
}

func (s *sarifWriter) artifact(file string) sarifArtifactLoc {
	if filepath.IsAbs(file) {
		return sarifArtifactLoc{URI: fileURI(file)}
	}
	return sarifArtifactLoc{URI: (&url.URL{Path: filepath.ToSlash(file)}).EscapedPath(), URIBaseID: srcRoot}
}

// location renders a finding's or a related position's place. A position
// without a line gets no region (the whole file), and one without a file no
// physical location: SARIF allows both, and a made-up line 0 would not
// validate.
func (s *sarifWriter) location(start, end Position, msg *sarifMessage) sarifLocation {
	loc := sarifLocation{Message: msg}
	if start.File == "" {
		return loc
	}
	loc.PhysicalLocation = &sarifPhysicalLocation{ArtifactLocation: s.artifact(start.File)}
	if !start.IsValid() {
		return loc
	}
	if !end.IsValid() {
		end = start
	}
	loc.PhysicalLocation.Region = &sarifRegion{
		StartLine:   start.Line,
		StartColumn: s.column(start),
		EndLine:     end.Line,
		EndColumn:   s.column(end),
	}
	return loc
}

func (s *sarifWriter) fix(fix Fix) sarifFix {
	out := sarifFix{Description: sarifMessage{Text: fix.Message}}
	byFile := make(map[string]int) // file -> index in ArtifactChanges, in order of first edit
	for _, e := range fix.Edits {
		i, ok := byFile[e.File]
		if !ok {
			i = len(out.ArtifactChanges)
			byFile[e.File] = i
			out.ArtifactChanges = append(out.ArtifactChanges, sarifArtifactChange{ArtifactLocation: s.artifact(e.File)})
		}
		off, length := e.Start.Offset, e.End.Offset-e.Start.Offset
		rep := sarifReplacement{DeletedRegion: sarifRegion{ByteOffset: &off, ByteLength: &length}}
		if e.New != "" {
			rep.InsertedContent = &sarifContent{Text: e.New}
		}
		out.ArtifactChanges[i].Replacements = append(out.ArtifactChanges[i].Replacements, rep)
	}
	return out
}

// column converts p's byte column into UTF-16 code units, counting from 1.
// If the file cannot be read, the byte column is the best answer left.
func (s *sarifWriter) column(p Position) int {
	src, ok := s.src[p.File]
	if !ok {
		name := p.File
		if !filepath.IsAbs(name) && s.root != "" {
			name = filepath.Join(s.root, name)
		}
		src, _ = os.ReadFile(name)
		s.src[p.File] = src
	}
	lineStart := p.Offset - (p.Column - 1)
	if src == nil || p.Column < 1 || lineStart < 0 || p.Offset > len(src) {
		return max(p.Column, 1)
	}
	col := 1
	for b := src[lineStart:p.Offset]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			col += 2 // a surrogate pair
		} else {
			col++
		}
	}
	return col
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
