// Package taskparam exercises asyncapi.TaskParam: the task in scope of a
// function or closure, for fixes that insert runtime.Await(t, ...).
package taskparam

import "github.com/asynclint/asynclint/runtime"

func param(t *runtime.Task) { // want `task t`
	captured := func() { // want `task t`
		_ = t
	}
	captured()
	notCaptured := func() {} // want `no task`
	notCaptured()
	own := func(inner *runtime.Task) {} // want `task inner`
	own(t)
}

func none() {} // want `no task`
