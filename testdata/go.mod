// Module asynclint.test holds the analysistest packages of every pass,
// namespaced <pass>/<feature>. go.work puts the real runtime (the repository
// root) next to it, so testdata never uses a stub of the runtime API.
module asynclint.test

go 1.26.0
