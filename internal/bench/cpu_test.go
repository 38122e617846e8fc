//go:build linux

package bench

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// threadCPU returns the CPU time the calling thread has used.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTime = 3 // CLOCK_THREAD_CPUTIME_ID
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

// cpuPerOp runs f n times on a locked thread and returns CPU time per call:
// unlike wall time, it does not count the time other processes on a
// shared machine take.
func cpuPerOp(n int, f func(i int)) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for i := 0; i < n/10; i++ {
		f(i)
	}
	start := threadCPU()
	for i := 0; i < n; i++ {
		f(i)
	}
	return (threadCPU() - start) / time.Duration(n)
}

// TestCPURatios prints CPU time per operation of each form, interleaved,
// for development on a loaded machine: BENCH_CPU=1 go test -run CPURatios.
func TestCPURatios(t *testing.T) {
	if os.Getenv("BENCH_CPU") == "" {
		t.Skip("set BENCH_CPU=1")
	}
	cfg := loadProgramme(t)
	plan := NewPlan(cfg)
	ops := Operators(3, nInputs)
	g, e, rf, set := NewGoRules(cfg), newExprRules(t, cfg), newRulesForm(t, cfg), compileSet(t, cfg)
	var d Decision
	var out Assessment
	var res criteria.Result
	ins := RiskInputs(3, nInputs)
	re, rx := newRiskEngine(t), newRiskExpr(t)
	rr := re.m.Runner()
	ds := Declarations(3, nInputs)
	le, lx := newLaneEngine(t), newLaneExpr(t)
	lr := le.m.Runner()
	ctx := t.Context()
	nset := compileSet(t, loadNatural(t))
	rmc, rmn := riskMapModel(t, RiskClamped), riskMapModel(t, RiskNatural)
	var rmap risk.Map
	lsr := laneSelector(t, LaneRewritten.Red, LaneRewritten.Yellow).Session()
	lsn := laneSelector(t, LaneNatural.Red, LaneNatural.Yellow).Session()
	lins := laneInputs(ds)
	for round := 0; round < 3; round++ {
		a := []time.Duration{
			cpuPerOp(20000, func(i int) { plan.Assess(ops[i%nInputs], g, &d, &out) }),
			cpuPerOp(2000, func(i int) { plan.Assess(ops[i%nInputs], e, &d, &out) }),
			cpuPerOp(20000, func(i int) { plan.Assess(ops[i%nInputs], rf, &d, &out) }),
			cpuPerOp(5000, func(i int) { _ = set.EvaluateInto(ctx, ops[i%nInputs], &res) }),
			cpuPerOp(5000, func(i int) { _ = set.DecideInto(ctx, ops[i%nInputs], &res) }),
			cpuPerOp(5000, func(i int) { _ = nset.EvaluateInto(ctx, ops[i%nInputs], &res) }),
			cpuPerOp(5000, func(i int) { _ = nset.DecideInto(ctx, ops[i%nInputs], &res) }),
		}
		r := []time.Duration{
			cpuPerOp(2000000, func(i int) { sinkFloat, sinkString = RiskGo(ins[i%nInputs]) }),
			cpuPerOp(100000, func(i int) { _, _, _ = riskExpr(&e.vm, rx, ins[i%nInputs]) }),
			cpuPerOp(1000000, func(i int) { _, _, _ = re.score(rr, ins[i%nInputs]) }),
			cpuPerOp(500000, func(i int) { _ = rmc.MapInto(ctx, ins[i%nInputs], nil, &rmap) }),
			cpuPerOp(500000, func(i int) { _ = rmn.MapInto(ctx, ins[i%nInputs], nil, &rmap) }),
		}
		l := []time.Duration{
			cpuPerOp(2000000, func(i int) { sinkString = LaneGo(ds[i%nInputs]) }),
			cpuPerOp(200000, func(i int) { _, _ = laneExpr(&e.vm, lx, ds[i%nInputs]) }),
			cpuPerOp(2000000, func(i int) { _, _ = le.lane(lr, ds[i%nInputs]) }),
			cpuPerOp(1000000, func(i int) { in := &lins[i%nInputs]; _ = lsr.Select(&in.d, in.op) }),
			cpuPerOp(1000000, func(i int) { in := &lins[i%nInputs]; _ = lsn.Select(&in.d, in.op) }),
		}
		fmt.Printf("assess go %v expr %v (%.1fx) rules %v (%.1fx) explained %v (%.1fx) decide %v (%.1fx) natural explained %v (%.1fx) decide %v (%.1fx)\n",
			a[0], a[1], ratio(a[1], a[0]), a[2], ratio(a[2], a[0]), a[3], ratio(a[3], a[0]), a[4], ratio(a[4], a[0]), a[5], ratio(a[5], a[0]), a[6], ratio(a[6], a[0]))
		fmt.Printf("risk   go %v expr %v (%.1fx) rules %v (%.1fx) map rewritten %v (%.1fx) natural %v (%.1fx)\n",
			r[0], r[1], ratio(r[1], r[0]), r[2], ratio(r[2], r[0]), r[3], ratio(r[3], r[0]), r[4], ratio(r[4], r[0]))
		fmt.Printf("lane   go %v expr %v (%.1fx) rules %v (%.1fx) select rewritten %v (%.1fx) natural %v (%.1fx)\n",
			l[0], l[1], ratio(l[1], l[0]), l[2], ratio(l[2], l[0]), l[3], ratio(l[3], l[0]), l[4], ratio(l[4], l[0]))
	}
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }
