//go:build linux

package bench

import (
	"fmt"
	"os"
	"testing"

	"github.com/safe-aeo/engine/criteria"
)

// TestCPULoad prints the CPU time of loading 1,000 requirements, for
// development on a loaded machine: BENCH_CPU=1 go test -run CPULoad.
func TestCPULoad(t *testing.T) {
	if os.Getenv("BENCH_CPU") == "" {
		t.Skip("set BENCH_CPU=1")
	}
	repeated := largeProgramme(loadProgramme(t), 1000)
	distinct := largeProgramme(loadProgramme(t), 1000)
	for i := range distinct.Requirements {
		r := &distinct.Requirements[i]
		r.When = fmt.Sprintf("(%s) && %q != ''", r.When, r.ID)
		if r.Partly != "" {
			r.Partly = fmt.Sprintf("(%s) && %q != ''", r.Partly, r.ID)
		}
	}
	for _, cfg := range []criteria.Config{repeated, distinct} {
		d := cpuPerOp(5, func(int) {
			if _, err := criteria.Compile(cfg, criteria.WithEnv(&Operator{})); err != nil {
				t.Fatal(err)
			}
		})
		fmt.Printf("load 1000 requirements: %v CPU\n", d)
	}
}
