module github.com/asynclint/asynclint

go 1.26.0
