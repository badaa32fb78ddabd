package output

import (
	"encoding/json"
	"io"
)

// JSONReport is the document printed by -format json (and -json):
//
//	{
//	  "findings": [
//	    {
//	      "check":    "unawaited",             // analyzer name
//	      "category": "discarded",             // sub-kind, may be absent
//	      "posn":     {"file": "a/a.go", "line": 3, "column": 2, "offset": 40},
//	      "end":      {"file": "a/a.go", "line": 3, "column": 9, "offset": 47},
//	      "message":  "future returned by doWork is never awaited (it will not run)",
//	      "related":  [{"posn": {...}, "end": {...}, "message": "..."}],   // may be absent
//	      "fixes":    [{"message": "Await the future",
//	                    "edits": [{"file": "a/a.go", "start": {...}, "end": {...}, "new": "..."}]}]
//	    }
//	  ],
//	  "problems": [ {"posn": "b/b.go:4:9", "message": "undefined: x"} ]
//	}
//
// File names are relative to the working directory when they are inside
// it. A finding or related position without a place in the source has
// line 0, and file "" when it has no file either. Both arrays are always present, possibly empty. Findings are sorted by
// file, line, column, check and message.
type JSONReport struct {
	Findings []Finding `json:"findings"`
	Problems []Problem `json:"problems"`
}

// WriteJSON writes r as an indented JSONReport.
func WriteJSON(w io.Writer, r *Report) error {
	doc := JSONReport{Findings: r.Findings, Problems: r.Problems}
	if doc.Findings == nil {
		doc.Findings = []Finding{}
	}
	if doc.Problems == nil {
		doc.Problems = []Problem{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
