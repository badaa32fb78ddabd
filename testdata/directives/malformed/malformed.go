package malformed

func f() {
	_ = 1 /* want `asynclint:ignore needs a reason after the check list` */ //asynclint:ignore unawaited
	_ = 2 /* want `asynclint:ignore needs a check and a reason` */ //asynclint:ignore
	_ = 3 //asynclint:ignore sendchek typo in the name // want `asynclint:ignore names unknown check sendchek \(known: unawaited, blockingcall, lockacrossawait, sendcheck\)`
	_ = 4 //asynclint:ignroe unawaited misspelled verb // want `unknown directive asynclint:ignroe`
	_ = 5 //asynclint:ignore unawaited,sendcheck well-formed directives are not reported here
	_ = 6 //asynclint:ignore unawaited // the golangci spelling of a reason is fine
}

/* want `asynclint:blocking needs a reason` */ //asynclint:blocking
func g() {}

//asynclint:nonblocking only reads a cached value
func h() {}
