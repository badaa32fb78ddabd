// Package gallerytest holds the tests of examples/pitfalls, the gallery of
// async pitfalls: asynclint must report exactly the pitfalls the bad
// programs demonstrate, nothing in their corrected twins, and the gallery's
// README command must show them with exit code 3.
//
// The gallery is its own module, so that linting this one reports nothing;
// the tests live here, in the root module, because they need the analyzers.
package gallerytest
