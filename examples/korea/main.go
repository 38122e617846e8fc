// Command korea runs Korea's AEO programme: four assessment areas, internal control scored with an 80-point gate, and grades A, AA and AAA by the legal-compliance score on the applicants of its fixtures, printing the
// national outcome for each and why.
//
//	go run ./examples/korea
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
		fmt.Fprintln(os.Stderr, "korea:", err)
		os.Exit(1)
	}
}
