package bench

// Natural forms: the same workloads with their rules written as authors
// write them (let, clamps with integer literals, list membership, filter,
// reduce, pipes), run through the engine's public paths: criteria.Set
// for Assess, risk.Model.MapInto for Risk and risk.Session.Select for
// Lane. They sit next to the rewritten forms (bench_test.go), so that a
// regression on either shows.

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/internal/rules"
	"github.com/safe-aeo/engine/risk"
)

func loadNatural(t testing.TB) criteria.Config {
	t.Helper()
	data, err := os.ReadFile("testdata/assess-natural.yaml")
	require.NoError(t, err)
	var cfg criteria.Config
	_, err = decode.DecodeInto("testdata/assess-natural.yaml", data, &cfg)
	require.NoError(t, err)
	require.Len(t, cfg.Requirements, 50)
	return cfg
}

// RiskNatural is RiskModel as an analyst writes it: each dimension
// clamped with integer literals, a let for the base, ternaries mixing
// ints and floats.
var RiskNatural = []Dimension{
	{"compliance", 0.30, "let base = 25 * serious_infringements + 10 * infringements_3y + 200 * error_rate + (late_rate > 0.1 ? 15 : 0); max(0, min(100, base))"},
	{"financial", 0.20, "let debt = debt_ratio > 2 ? 80 : debt_ratio > 1 ? 40 : 10; max(0, min(100, debt + (unpaid_duties > 0 ? 20 : 0)))"},
	{"origin", 0.20, "max(0, min(100, 100 * origin_risk * (aeo ? 0.5 : 1)))"},
	{"goods", 0.20, "max(0, min(100, 100 * high_risk_share + (sector in ['chemicals', 'weapons', 'tobacco', 'pharma'] ? 30 : 0)))"},
	{"history", 0.10, "let age = years_trading < 2 ? 60 : years_trading < 5 ? 30 : 0; max(0, min(100, age + (aeo ? 0 : 20)))"},
}

// RiskClamped is RiskModel in the forms the lowering covered before it
// covered clamps with integer literals: each dimension clamped to 0..100,
// as a risk.Model requires, with float literals.
var RiskClamped = func() []Dimension {
	out := make([]Dimension, len(RiskModel))
	for i, d := range RiskModel {
		d.Expr = "max(0.0, min(100.0, float(" + d.Expr + ")))"
		out[i] = d
	}
	return out
}()

// riskMapModel compiles dims as a risk.Model over RiskInput.
func riskMapModel(t testing.TB, dims []Dimension) *risk.Model {
	t.Helper()
	cfg := risk.Config{}
	for _, l := range RiskLevels {
		cfg.Levels = append([]risk.LevelBand{{Level: l.Level, Min: l.Min}}, cfg.Levels...)
	}
	for _, d := range dims {
		cfg.Dimensions = append(cfg.Dimensions, risk.Dimension{ID: d.Name, Weight: d.Weight, Score: d.Expr})
	}
	m, err := risk.Compile(cfg, risk.WithEnv(&RiskInput{}))
	require.NoError(t, err)
	return m
}

// laneSelector compiles lane rules as a selectivity profile: every rule
// fires at its rate of 1, no random lane, the highest lane wins, as
// LaneGo's first match over red then yellow. The draw and the origin's
// risk are declared facts; the AEO status is the operator's.
func laneSelector(t testing.TB, red, yellow []string) *risk.Selector {
	t.Helper()
	cfg := risk.SelectivityConfig{Facts: []criteria.FactDecl{{Name: "origin_risk", Type: "float"}, {Name: "draw", Type: "float"}}}
	for i, w := range red {
		cfg.Rules = append(cfg.Rules, risk.Rule{ID: fmt.Sprint("red", i), Lane: risk.Red, When: w})
	}
	for i, w := range yellow {
		cfg.Rules = append(cfg.Rules, risk.Rule{ID: fmt.Sprint("yellow", i), Lane: risk.Yellow, When: w})
	}
	s, err := risk.CompileSelectivity(cfg)
	require.NoError(t, err)
	return s
}

// LaneNatural is Lanes as a risk officer writes rules of a selectivity
// profile: one condition a rule, a let, list membership.
var LaneNatural = struct{ Red, Yellow []string }{
	Red: []string{
		`hs_chapter in ["93", "36"]`,
		`let risky = facts.origin_risk >= 0.9; risky && operator.status == "none"`,
		`facts.draw < ("AEOF" in operator.types ? 0.002 : 0.01)`,
	},
	Yellow: []string{
		`value > 100000 && operator.status == "none"`,
		`facts.origin_risk >= 0.6 && facts.draw < 0.2`,
		`hs_chapter in ["28", "29", "38"] && !any(operator.types, # in ["AEOS", "AEOF"])`,
	},
}

// LaneRewritten is the same profile in the forms the lowering covered
// before it covered let.
var LaneRewritten = struct{ Red, Yellow []string }{
	Red: []string{
		`hs_chapter in ["93", "36"] || facts.origin_risk >= 0.9 && operator.status == "none" || facts.draw < (operator.grade == "F" ? 0.002 : 0.01)`,
	},
	Yellow: []string{
		`value > 100000 && operator.status == "none" || facts.origin_risk >= 0.6 && facts.draw < 0.2 || hs_chapter in ["28", "29", "38"] && operator.grade != "S" && operator.grade != "F"`,
	},
}

// laneInput is a bench Declaration as the Selector reads it.
type laneInput struct {
	d  risk.Declaration
	op *risk.Operator
}

func laneInputs(ds []*Declaration) []laneInput {
	out := make([]laneInput, len(ds))
	for i, d := range ds {
		in := laneInput{d: risk.Declaration{ID: fmt.Sprint("D", i), HSCode: fmt.Sprintf("%02d0000", d.HSChapter), Origin: d.Origin, Value: d.Value,
			Facts: map[string]any{"origin_risk": d.OriginRisk, "draw": d.Draw}}}
		if d.AEOStatus != "" {
			// The grade carries the type's last letter for the rewritten
			// form, which reads no list.
			in.op = &risk.Operator{Status: "authorized", Types: []string{d.AEOStatus}, Grade: d.AEOStatus[3:]}
		}
		out[i] = in
	}
	return out
}

// TestAgreeNatural checks the natural forms, through the engine's public
// paths, against the handwritten Go of each workload.
func TestAgreeNatural(t *testing.T) {
	t.Run("assess", func(t *testing.T) {
		cfg := loadProgramme(t)
		plan, goForm := NewPlan(cfg), NewGoRules(cfg)
		set := compileSet(t, loadNatural(t))
		var d Decision
		var res criteria.Result
		for i, o := range Operators(1, agreeInputs) {
			var want Assessment
			plan.Assess(o, goForm, &d, &want)
			require.NoError(t, set.DecideInto(t.Context(), o, &res))
			if diff := cmp.Diff(want, fromResult(res)); diff != "" {
				t.Fatalf("operator %d: natural programme differs from Go (-go +natural):\n%s", i, diff)
			}
		}
	})
	for _, form := range []struct {
		name string
		dims []Dimension
	}{{"risk rewritten", RiskClamped}, {"risk natural", RiskNatural}} {
		t.Run(form.name, func(t *testing.T) {
			m := riskMapModel(t, form.dims)
			var out risk.Map
			for i, in := range RiskInputs(1, agreeInputs) {
				score, level := RiskGo(in)
				require.NoError(t, m.MapInto(t.Context(), in, nil, &out))
				if math.Abs(out.Score-score) > 1e-9 || out.Level != level || out.Provisional {
					t.Fatalf("input %d (%+v): go %v %s, map %v %s (%+v)", i, *in, score, level, out.Score, out.Level, out.Contributions)
				}
			}
		})
	}
	for _, form := range []struct {
		name        string
		red, yellow []string
	}{{"lane rewritten", LaneRewritten.Red, LaneRewritten.Yellow}, {"lane natural", LaneNatural.Red, LaneNatural.Yellow}} {
		t.Run(form.name, func(t *testing.T) {
			ss := laneSelector(t, form.red, form.yellow).Session()
			ds := Declarations(1, agreeInputs)
			for i, in := range laneInputs(ds) {
				want := LaneGo(ds[i])
				if got := ss.Select(&in.d, in.op).Lane.String(); got != want {
					t.Fatalf("declaration %d (%+v): go %s, select %s", i, *ds[i], want, got)
				}
			}
		})
	}
}

// TestLaneSelectAllocs holds lane selection through a Session, on the
// natural forms, to no allocation per declaration.
func TestLaneSelectAllocs(t *testing.T) {
	ss := laneSelector(t, LaneNatural.Red, LaneNatural.Yellow).Session()
	ins := laneInputs(Declarations(2, nInputs))
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		in := &ins[i%nInputs]
		_ = ss.Select(&in.d, in.op)
		i++
	})
	if allocs != 0 {
		t.Errorf("Select allocates %v times per declaration, want 0", allocs)
	}
}

func BenchmarkAssessNatural(b *testing.B) {
	ops := Operators(3, nInputs)
	set := compileSet(b, loadNatural(b))
	ctx := context.Background()
	b.Run("engine", func(b *testing.B) {
		var res criteria.Result
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := set.EvaluateInto(ctx, ops[i%nInputs], &res); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("decide", func(b *testing.B) {
		var res criteria.Result
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if err := set.DecideInto(ctx, ops[i%nInputs], &res); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkRiskMap runs the risk workload through risk.Model.MapInto, in
// the rewritten and the natural forms.
func BenchmarkRiskMap(b *testing.B) {
	ins := RiskInputs(3, nInputs)
	ctx := context.Background()
	for _, form := range []struct {
		name string
		dims []Dimension
	}{{"rewritten", RiskClamped}, {"natural", RiskNatural}} {
		b.Run(form.name, func(b *testing.B) {
			m := riskMapModel(b, form.dims)
			var out risk.Map
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := m.MapInto(ctx, ins[i%nInputs], nil, &out); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkLaneSelect runs the lane workload through risk.Session.Select,
// in the rewritten and the natural forms.
func BenchmarkLaneSelect(b *testing.B) {
	ins := laneInputs(Declarations(3, nInputs))
	for _, form := range []struct {
		name        string
		red, yellow []string
	}{{"rewritten", LaneRewritten.Red, LaneRewritten.Yellow}, {"natural", LaneNatural.Red, LaneNatural.Yellow}} {
		b.Run(form.name, func(b *testing.B) {
			ss := laneSelector(b, form.red, form.yellow).Session()
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				in := &ins[i%nInputs]
				if dec := ss.Select(&in.d, in.op); dec.Lane == risk.NoLane {
					b.Fatal("no lane")
				}
				i++
			}
		})
	}
}

// TestNaturalLowered checks that the natural and rewritten forms of the
// risk and lane workloads take the fast path, on environments shaped as
// the ones risk.Model and risk.Selector evaluate them on.
func TestNaturalLowered(t *testing.T) {
	rm, err := rules.NewModel(&RiskInput{})
	require.NoError(t, err)
	for _, d := range append(append([]Dimension(nil), RiskNatural...), RiskClamped...) {
		p, err := rm.Compile(d.Expr, rules.Number)
		require.NoError(t, err, d.Expr)
		ok, why := p.Fast()
		require.True(t, ok, "%s: %s", d.Expr, why)
	}
	lm, err := rules.NewModel(&laneEnv{}, rules.WithFacts(map[string]rules.FactType{"origin_risk": rules.FactFloat, "draw": rules.FactFloat}))
	require.NoError(t, err)
	for _, w := range append(append(append(append([]string(nil), LaneNatural.Red...), LaneNatural.Yellow...), LaneRewritten.Red...), LaneRewritten.Yellow...) {
		p, err := lm.Compile(w, rules.Bool)
		require.NoError(t, err, w)
		ok, why := p.Fast()
		require.True(t, ok, "%s: %s", w, why)
	}
}

// BenchmarkNaturalParallel runs the natural forms through the engine's
// public paths on every P: one goroutine per P, each with its own result
// (and, for Lane, either the Selector's pool or its own Session). Run with
// -cpu 1,2: ns/op at 1 over ns/op at 2 is the parallel speed-up on two
// cores, meaningful only on a machine with nothing else running.
func BenchmarkNaturalParallel(b *testing.B) {
	ctx := context.Background()
	ops := Operators(3, nInputs)
	set := compileSet(b, loadNatural(b))
	b.Run("assess/explained", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var res criteria.Result
			for i := 0; pb.Next(); i++ {
				if err := set.EvaluateInto(ctx, ops[i%nInputs], &res); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("assess/decide", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var res criteria.Result
			for i := 0; pb.Next(); i++ {
				if err := set.DecideInto(ctx, ops[i%nInputs], &res); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	ins := RiskInputs(3, nInputs)
	m := riskMapModel(b, RiskNatural)
	b.Run("risk/map", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var out risk.Map
			for i := 0; pb.Next(); i++ {
				if err := m.MapInto(ctx, ins[i%nInputs], nil, &out); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	lins := laneInputs(Declarations(3, nInputs))
	sel := laneSelector(b, LaneNatural.Red, LaneNatural.Yellow)
	b.Run("lane/select", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				in := &lins[i%nInputs]
				if dec := sel.Select(&in.d, in.op); dec.Lane == risk.NoLane {
					b.Error("no lane")
					return
				}
			}
		})
	})
	b.Run("lane/session", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			ss := sel.Session()
			for i := 0; pb.Next(); i++ {
				in := &lins[i%nInputs]
				if dec := ss.Select(&in.d, in.op); dec.Lane == risk.NoLane {
					b.Error("no lane")
					return
				}
			}
		})
	})
}
