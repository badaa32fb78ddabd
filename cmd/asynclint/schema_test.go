package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// testdata/sarif-schema-2.1.0.json is the official OASIS SARIF 2.1.0 schema
// (errata01), as shipped in the Go module github.com/securego/gosec/v2
// v2.30.0 at report/sarif/testdata. It is a JSON Schema draft-04 document;
// jsonSchema below implements the keywords it uses, which spares asynclint
// a validator library as a dependency.

// jsonSchema validates JSON values (as decoded into any) against a schema.
type jsonSchema struct {
	root map[string]any
}

func loadSARIFSchema(t *testing.T) *jsonSchema {
	t.Helper()
	data, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	return &jsonSchema{root: root}
}

// validate returns every violation of the root schema by doc (JSON text).
func (s *jsonSchema) validate(doc []byte) []string {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return []string{err.Error()}
	}
	var errs []string
	s.check(s.root, v, "$", &errs)
	return errs
}

func (s *jsonSchema) check(schema map[string]any, v any, path string, errs *[]string) {
	fail := func(format string, args ...any) {
		*errs = append(*errs, path+": "+fmt.Sprintf(format, args...))
	}
	if ref, ok := schema["$ref"].(string); ok {
		// In draft-04, $ref replaces the rest of the schema.
		target, err := s.resolve(ref)
		if err != nil {
			fail("%v", err)
			return
		}
		s.check(target, v, path, errs)
		return
	}
	if t, ok := schema["type"]; ok && !hasType(t, v) {
		fail("got %s, want type %v", jsonType(v), t)
		return
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || reflect.DeepEqual(e, v)
		}
		if !found {
			fail("%v is not one of %v", v, enum)
		}
	}
	if n, ok := v.(float64); ok {
		if min, ok := schema["minimum"].(float64); ok && n < min {
			fail("%v is less than the minimum %v", n, min)
		}
		if max, ok := schema["maximum"].(float64); ok && n > max {
			fail("%v is more than the maximum %v", n, max)
		}
	}
	if str, ok := v.(string); ok {
		if pat, ok := schema["pattern"].(string); ok {
			if re, err := regexp.Compile(pat); err != nil {
				fail("bad pattern %q: %v", pat, err)
			} else if !re.MatchString(str) {
				fail("%q does not match %q", str, pat)
			}
		}
		switch schema["format"] {
		case "uri":
			if u, err := url.Parse(str); err != nil || !u.IsAbs() {
				fail("%q is not an absolute URI", str)
			}
		case "uri-reference":
			if _, err := url.Parse(str); err != nil {
				fail("%q is not a URI reference", str)
			}
		case "date-time":
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				fail("%q is not a date-time", str)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		if min, ok := schema["minItems"].(float64); ok && float64(len(arr)) < min {
			fail("%d items, want at least %v", len(arr), min)
		}
		if unique, _ := schema["uniqueItems"].(bool); unique {
			seen := make(map[string]bool)
			for _, item := range arr {
				key, _ := json.Marshal(item) // map keys are sorted: a canonical form
				if seen[string(key)] {
					fail("duplicate item %s", key)
				}
				seen[string(key)] = true
			}
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, item := range arr {
				s.check(items, item, fmt.Sprintf("%s[%d]", path, i), errs)
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		if req, ok := schema["required"].([]any); ok {
			for _, r := range req {
				if _, ok := obj[r.(string)]; !ok {
					fail("missing required property %q", r)
				}
			}
		}
		props, _ := schema["properties"].(map[string]any)
		for name, val := range obj {
			if p, ok := props[name].(map[string]any); ok {
				s.check(p, val, path+"."+name, errs)
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("property %q is not allowed", name)
				}
			case map[string]any:
				s.check(ap, val, path+"."+name, errs)
			}
		}
	}
	if anyOf, ok := schema["anyOf"].([]any); ok && s.matches(anyOf, v) == 0 {
		fail("matches none of anyOf")
	}
	if oneOf, ok := schema["oneOf"].([]any); ok {
		if n := s.matches(oneOf, v); n != 1 {
			fail("matches %d of oneOf, want 1", n)
		}
	}
}

// matches counts the schemas in list that v satisfies.
func (s *jsonSchema) matches(list []any, v any) int {
	n := 0
	for _, sub := range list {
		var errs []string
		s.check(sub.(map[string]any), v, "", &errs)
		if len(errs) == 0 {
			n++
		}
	}
	return n
}

func (s *jsonSchema) resolve(ref string) (map[string]any, error) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	var cur any = s.root
	for _, part := range strings.Split(ref[2:], "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("bad $ref %q", ref)
		}
		cur = m[part]
	}
	target, ok := cur.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("unresolved $ref %q", ref)
	}
	return target, nil
}

func hasType(t any, v any) bool {
	switch t := t.(type) {
	case string:
		got := jsonType(v)
		return got == t || t == "number" && got == "integer"
	case []any:
		for _, tt := range t {
			if hasType(tt, v) {
				return true
			}
		}
	}
	return false
}

func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if v == math.Trunc(v) {
			return "integer"
		}
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// TestSchemaValidatorRejects proves that the validator can fail: each
// mutation of a valid log breaks a different rule of the schema.
func TestSchemaValidatorRejects(t *testing.T) {
	schema := loadSARIFSchema(t)
	valid := `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
		{"ruleId": "r", "message": {"text": "m"}, "locations": [{"physicalLocation": {
			"artifactLocation": {"uri": "a.go"}, "region": {"startLine": 1, "startColumn": 1}}}]}]}]}`
	if errs := schema.validate([]byte(valid)); len(errs) > 0 {
		t.Fatalf("valid log rejected: %v", errs)
	}
	for _, tc := range []struct{ name, from, to, want string }{
		{"bad version", `"2.1.0"`, `"2.0.0"`, "is not one of"},
		{"missing message", `"message": {"text": "m"}, `, ``, `missing required property "message"`},
		{"unknown property", `"ruleId": "r"`, `"ruleId": "r", "severity": "high"`, `property "severity" is not allowed`},
		{"line zero", `"startLine": 1`, `"startLine": 0`, "less than the minimum"},
		{"string line", `"startLine": 1`, `"startLine": "1"`, "want type integer"},
		{"message without text", `{"text": "m"}`, `{}`, "anyOf"},
	} {
		doc := strings.Replace(valid, tc.from, tc.to, 1)
		errs := schema.validate([]byte(doc))
		if !strings.Contains(strings.Join(errs, "\n"), tc.want) {
			t.Errorf("%s: got errors %q, want one containing %q", tc.name, errs, tc.want)
		}
	}
}
