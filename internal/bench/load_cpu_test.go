//go:build linux

package bench

import (
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/expr-lang/expr/vm"

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

// TestCPUCorpus prints, for each rule of the corpus, the CPU time per
// evaluation on the engine over that on expr, worst first: the no-cliff
// check on a loaded machine. BENCH_CPU=1 go test -run CPUCorpus.
func TestCPUCorpus(t *testing.T) {
	if os.Getenv("BENCH_CPU") == "" {
		t.Skip("set BENCH_CPU=1")
	}
	cases := compileCorpus(t, 64)
	type row struct {
		i           int
		src         string
		ratio       float64
		engine, raw time.Duration
	}
	var rows []row
	var v vm.VM
	for i, c := range cases {
		c.envs = c.decided(t)
		r := c.model.Runner()
		e := cpuPerOp(20000, func(k int) { _, _ = c.run(r, c.envs[k%len(c.envs)]) })
		x := cpuPerOp(20000, func(k int) { _, _ = c.runPlain(&v, c.envs[k%len(c.envs)]) })
		r.Release()
		rows = append(rows, row{i, c.rule.Src, ratio(e, x), e, x})
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a].ratio > rows[b].ratio })
	over := 0
	for _, r := range rows {
		if r.ratio > 1.2 {
			over++
		}
	}
	fmt.Printf("corpus: %d rules, %d slower than 1.2x expr\n", len(rows), over)
	for _, r := range rows[:10] {
		fmt.Printf("r%03d %.2fx engine %v expr %v  %s\n", r.i, r.ratio, r.engine, r.raw, r.src)
	}
}
