// Command golangci-lint is golangci-lint v2 with the asynclint plugin linked
// in: what `golangci-lint custom` builds from .custom-gcl.yml, written out by
// hand so that the plugin test can build it offline from the module cache.
package main

import (
	"fmt"
	"os"

	"github.com/golangci/golangci-lint/v2/pkg/commands"
	"github.com/golangci/golangci-lint/v2/pkg/exitcodes"

	_ "github.com/asynclint/asynclint/golangci"
)

func main() {
	info := commands.BuildInfo{Version: "2.15.0-asynclint", Commit: "?", Date: "?", GoVersion: "?"}
	if err := commands.Execute(info); err != nil {
		fmt.Fprintf(os.Stderr, "The command is terminated due to an error: %v\n", err)
		os.Exit(exitcodes.Failure)
	}
}
