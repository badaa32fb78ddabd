module github.com/asynclint/asynclint/examples/pitfalls

go 1.26.0

tool github.com/asynclint/asynclint/cmd/asynclint

require github.com/asynclint/asynclint v0.0.0

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
)

replace github.com/asynclint/asynclint => ../..
