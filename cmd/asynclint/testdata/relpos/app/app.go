package app

import (
	"example.com/relpos/lib"
	"github.com/asynclint/asynclint/runtime"
)

func Handle(t *runtime.Task) {
	lib.Mid()
}
