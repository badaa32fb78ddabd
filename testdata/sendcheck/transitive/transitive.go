// Package transitive reaches the runtime only through package ctor and
// neither spawns nor declares future constructors: sendcheck must skip it
// without building SSA.
package transitive

import "asynclint.test/sendcheck/constructors/ctor"

func size(l *ctor.Local) int { return l.N }
