// Package suppress exercises internal/report with a probe check named
// "unawaited" that reports every call to mark().
package suppress

func mark() {}

func cases() {
	mark() // want `marked`

	mark() //asynclint:ignore unawaited the probe call is intentional

	//asynclint:ignore unawaited applies to the next line
	mark()

	//asynclint:ignore blockingcall,unawaited a list naming this check works too
	mark()

	mark() //asynclint:ignore blockingcall names another check only // want `marked`

	//asynclint:ignore unawaited nothing to suppress on the next line // want `asynclint:ignore for unawaited suppresses nothing here \(remove it\)`
	_ = 1

	mark() /* want `marked` */ //asynclint:ignore unawaited

	x := 1 //asynclint:ignore unawaited a trailing directive does not cover the next line // want `suppresses nothing`
	mark() // want `marked`
	_ = x
}
