// Command eu runs the European Union's AEO programme: the five criteria of UCC Art 39 and IA Art 24-28, the AEOC and AEOS authorizations held together as AEOF, and the EU lifecycle periods on the applicants of its fixtures, printing the
// national outcome for each and why.
//
//	go run ./examples/eu
package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/safe-aeo/engine/examples/internal/casebook"
)

//go:embed programme.yaml fixtures.yaml
var files embed.FS

func main() {
	if err := casebook.Run(os.Stdout, files); err != nil {
		fmt.Fprintln(os.Stderr, "eu:", err)
		os.Exit(1)
	}
}
