package aeo_test

import (
	"testing"

	"github.com/safe-aeo/engine/aeotest"
)

// TestScenarios runs every programme's fixtures: each scenario folder holds
// a programme and the cases its rule authors pinned, so a regression is a
// data change.
func TestScenarios(t *testing.T) {
	for _, dir := range []string{"baseline", "testdata/method", "../examples/eu", "../examples/korea", "../examples/china"} {
		t.Run(dir, func(t *testing.T) {
			aeotest.Run(t, "", dir+"/fixtures.yaml")
		})
	}
}
