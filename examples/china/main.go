// Command china runs China's certification standard for Advanced Certified Enterprises: items scored met 0, partly -1, not met -2, bonus items, and a pass at 100 + points >= 95 with no -2 item on the applicants of its fixtures, printing the
// national outcome for each and why.
//
//	go run ./examples/china
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
		fmt.Fprintln(os.Stderr, "china:", err)
		os.Exit(1)
	}
}
