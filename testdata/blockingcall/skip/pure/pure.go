// Package pure neither imports the runtime nor blocks: blockingcall must
// not build its SSA.
package pure // want "ssa skipped"

import "strings"

func Upper(s string) string { return strings.ToUpper(s) }
