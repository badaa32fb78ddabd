// Package h1 speaks HTTP/1.1 with pipelining on both ends, for the chat bot:
// a server that answers the requests pipelined on one connection
// concurrently (each after a fixed delay), and an async client whose
// requests are awaited by tasks of the asynclint runtime, with no goroutine
// per request.
//
// net/http parses the messages on both ends (http.ReadRequest and
// http.ReadResponse), so what travels is real HTTP/1.1; what this package
// adds is the scheduling that net/http lacks for this story. Its server
// serves the requests pipelined on a connection one after the other, so
// overlapping slow requests need a connection each, and its client blocks a
// goroutine per request.
package h1
