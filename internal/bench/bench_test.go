package bench

// This file is the only place outside internal/rules that imports expr: the
// "expr" form of each workload runs the same expressions directly on
// expr's VM (expr.Compile with expr.Env, one reused vm.VM per goroutine),
// so that the engine is measured against both the floor (handwritten Go)
// and the engine it is built on, in the same run.

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/internal/rules"
)

// Sinks keep the compiler from removing the work of a benchmark whose
// result is otherwise unused (the Go forms inline).
var (
	sinkFloat  float64
	sinkString string
)

// nInputs is the number of generated inputs benchmarks cycle through, so
// that branches are not all predicted the same way.
const nInputs = 1024

func loadProgramme(t testing.TB) criteria.Config {
	t.Helper()
	data, err := os.ReadFile("testdata/assess.yaml")
	require.NoError(t, err)
	var cfg criteria.Config
	_, err = decode.DecodeInto("testdata/assess.yaml", data, &cfg)
	require.NoError(t, err)
	require.Len(t, cfg.Requirements, 50)
	return cfg
}

// ---------------------------------------------------------------- expr form

var withinCall = regexp.MustCompile(`within\((.*?), ("[^"]*")\)`)

// exprSource does by hand what the engine's patcher does: within(d, "3y")
// counts back from the assessment date.
func exprSource(src string) string {
	return withinCall.ReplaceAllString(src, `within_period($1, as_of, $2)`)
}

var withinPeriod = expr.Function("within_period", func(args ...any) (any, error) {
	d, asOf, err := twoDates(args) // a date not set fails, as the engine's within does
	if err != nil {
		return nil, err
	}
	p, err := calendar.ParsePeriod(args[2].(string))
	if err != nil {
		return nil, err
	}
	start := calendar.Date(p.Negate().AddTo(asOf))
	day := calendar.Date(d)
	return day.After(start) && !day.After(calendar.Date(asOf)), nil
}, new(func(time.Time, time.Time, string) bool))

// exprRules is the expr form of the assess workload.
type exprRules struct {
	when, partly, sme []*vm.Program
	score, pass       map[int]*vm.Program
	grant             map[int]*vm.Program
	vm                vm.VM
}

func newExprRules(t testing.TB, cfg criteria.Config) *exprRules {
	t.Helper()
	compile := func(src string, env any) *vm.Program {
		if src == "" {
			return nil
		}
		p, err := expr.Compile(exprSource(src), expr.Env(env), withinPeriod)
		require.NoError(t, err, src)
		return p
	}
	e := &exprRules{score: map[int]*vm.Program{}, pass: map[int]*vm.Program{}, grant: map[int]*vm.Program{}}
	for _, r := range cfg.Requirements {
		e.when = append(e.when, compile(r.When, &Operator{}))
		e.partly = append(e.partly, compile(r.Partly, &Operator{}))
		var sme string
		if r.SME != nil {
			sme = r.SME.When
		}
		e.sme = append(e.sme, compile(sme, &Operator{}))
	}
	for i, c := range cfg.Criteria {
		if c.Score != "" {
			e.score[i] = compile(c.Score, &Decision{})
		}
		if c.Pass != "" {
			e.pass[i] = compile(c.Pass, &Decision{})
		}
	}
	for i, a := range cfg.Authorizations {
		if a.Grant != "" {
			e.grant[i] = compile(a.Grant, &Decision{})
		}
	}
	return e
}

func (e *exprRules) Rule(i int, which string, o *Operator) tri {
	p := e.when[i]
	switch which {
	case "partly":
		p = e.partly[i]
	case "sme":
		p = e.sme[i]
	}
	out, err := e.vm.Run(p, o)
	if b, ok := out.(bool); err == nil && ok {
		return of(b)
	}
	return unknown // a nil record or a missing fact: the VM fails
}

func (e *exprRules) Score(c int, d *Decision) (float64, bool) {
	p, ok := e.score[c]
	if !ok {
		return 0, false
	}
	out, err := e.vm.Run(p, d)
	if err != nil {
		return 0, false
	}
	f, _ := rules.ToFloat(out)
	return f, true
}

func (e *exprRules) Pass(c int, d *Decision) (bool, bool) {
	p, ok := e.pass[c]
	if !ok {
		return false, false
	}
	out, err := e.vm.Run(p, d)
	b, isBool := out.(bool)
	return b, err == nil && isBool
}

func (e *exprRules) Grant(a int, d *Decision) (bool, bool, bool) {
	p, ok := e.grant[a]
	if !ok {
		return false, false, false
	}
	out, err := e.vm.Run(p, d)
	b, isBool := out.(bool)
	return b, err == nil && isBool, true
}

// ---------------------------------------------------------------- engine forms

func compileSet(t testing.TB, cfg criteria.Config) *criteria.Set {
	t.Helper()
	set, err := criteria.Compile(cfg, criteria.WithEnv(&Operator{}))
	require.NoError(t, err)
	return set
}

// fromResult reduces the engine's Result to an Assessment.
func fromResult(res criteria.Result) Assessment {
	var a Assessment
	for i, f := range res.Findings {
		a.Requirements[i] = f.Outcome
	}
	for i, c := range res.Criteria {
		a.Criteria[i] = c.Outcome
		a.Scores[i] = c.Score
	}
	for i, r := range res.Authorizations {
		a.Auth[i] = r.Recommendation
	}
	return a
}

// rulesForm is the engine's evaluator, internal/rules, in the scaffold
// the Go and expr forms share: it isolates the evaluator from the
// explanations criteria.Set.Evaluate builds (facts read, failed
// comparisons, reasons).
type rulesForm struct {
	when, partly, sme []*rules.Program
	score, pass       map[int]*rules.Program
	grant             map[int]*rules.Program
	r, dr             *rules.Runner
	missing           []string
}

func newRulesForm(t testing.TB, cfg criteria.Config) *rulesForm {
	t.Helper()
	facts := map[string]rules.FactType{}
	for _, f := range cfg.Facts {
		facts[f.Name] = rules.FactType(f.Type)
	}
	subject, err := rules.NewModel(&Operator{}, rules.WithFacts(facts))
	require.NoError(t, err)
	decision, err := rules.NewModel(&Decision{})
	require.NoError(t, err)
	compile := func(m *rules.Model, src string, k rules.Kind) *rules.Program {
		if src == "" {
			return nil
		}
		p, err := m.Compile(src, k)
		require.NoError(t, err, src)
		return p
	}
	f := &rulesForm{score: map[int]*rules.Program{}, pass: map[int]*rules.Program{}, grant: map[int]*rules.Program{},
		r: subject.Runner(), dr: decision.Runner()}
	for _, r := range cfg.Requirements {
		f.when = append(f.when, compile(subject, r.When, rules.Bool))
		f.partly = append(f.partly, compile(subject, r.Partly, rules.Bool))
		var sme string
		if r.SME != nil {
			sme = r.SME.When
		}
		f.sme = append(f.sme, compile(subject, sme, rules.Bool))
	}
	for i, c := range cfg.Criteria {
		if c.Score != "" {
			f.score[i] = compile(decision, c.Score, rules.Number)
		}
		if c.Pass != "" {
			f.pass[i] = compile(decision, c.Pass, rules.Bool)
		}
	}
	for i, a := range cfg.Authorizations {
		if a.Grant != "" {
			f.grant[i] = compile(decision, a.Grant, rules.Bool)
		}
	}
	return f
}

func (f *rulesForm) Rule(i int, which string, o *Operator) tri {
	p := f.when[i]
	switch which {
	case "partly":
		p = f.partly[i]
	case "sme":
		p = f.sme[i]
	}
	if f.missing = p.Missing(o, f.missing[:0]); len(f.missing) > 0 {
		v, known := f.r.Decide(p, o)
		if !known {
			return unknown
		}
		return of(v)
	}
	v, err := f.r.Bool(p, o)
	if err != nil {
		return unknown
	}
	return of(v)
}

func (f *rulesForm) Score(c int, d *Decision) (float64, bool) {
	p, ok := f.score[c]
	if !ok {
		return 0, false
	}
	v, err := f.dr.Number(p, d)
	return v, err == nil
}

func (f *rulesForm) Pass(c int, d *Decision) (bool, bool) {
	p, ok := f.pass[c]
	if !ok {
		return false, false
	}
	v, err := f.dr.Bool(p, d)
	return v, err == nil
}

func (f *rulesForm) Grant(a int, d *Decision) (bool, bool, bool) {
	p, ok := f.grant[a]
	if !ok {
		return false, false, false
	}
	v, err := f.dr.Bool(p, d)
	return v, err == nil, true
}

func fastOK(p *rules.Program) bool    { ok, _ := p.Fast(); return ok }
func fastWhy(p *rules.Program) string { _, why := p.Fast(); return why }

type riskEngine struct {
	m     *rules.Model
	progs []*rules.Program
}

func newRiskEngine(t testing.TB) *riskEngine {
	t.Helper()
	m, err := rules.NewModel(&RiskInput{})
	require.NoError(t, err)
	e := &riskEngine{m: m}
	for _, d := range RiskModel {
		p, err := m.Compile(d.Expr, rules.Number)
		require.NoError(t, err, d.Expr)
		require.True(t, fastOK(p), "%s: %s", d.Expr, fastWhy(p))
		e.progs = append(e.progs, p)
	}
	return e
}

func (e *riskEngine) score(r *rules.Runner, in *RiskInput) (float64, string, error) {
	score := 0.0
	for i, p := range e.progs {
		v, err := r.Number(p, in)
		if err != nil {
			return 0, "", err
		}
		score += RiskModel[i].Weight * Clamp(v)
	}
	score = Clamp(score)
	return score, Level(score), nil
}

func newRiskExpr(t testing.TB) []*vm.Program {
	t.Helper()
	var out []*vm.Program
	for _, d := range RiskModel {
		p, err := expr.Compile(d.Expr, expr.Env(&RiskInput{}))
		require.NoError(t, err)
		out = append(out, p)
	}
	return out
}

func riskExpr(v *vm.VM, progs []*vm.Program, in *RiskInput) (float64, string, error) {
	score := 0.0
	for i, p := range progs {
		out, err := v.Run(p, in)
		if err != nil {
			return 0, "", err
		}
		x, _ := rules.ToFloat(out)
		score += RiskModel[i].Weight * Clamp(x)
	}
	score = Clamp(score)
	return score, Level(score), nil
}

type laneEngine struct {
	m     *rules.Model
	progs []*rules.Program
}

func newLaneEngine(t testing.TB) *laneEngine {
	t.Helper()
	m, err := rules.NewModel(&Declaration{})
	require.NoError(t, err)
	e := &laneEngine{m: m}
	for _, l := range Lanes {
		p, err := m.Compile(l.When, rules.Bool)
		require.NoError(t, err, l.When)
		require.True(t, fastOK(p), "%s: %s", l.When, fastWhy(p))
		e.progs = append(e.progs, p)
	}
	return e
}

func (e *laneEngine) lane(r *rules.Runner, d *Declaration) (string, error) {
	for i, p := range e.progs {
		ok, err := r.Bool(p, d)
		if err != nil {
			return "", err
		}
		if ok {
			return Lanes[i].Lane, nil
		}
	}
	return "green", nil
}

func newLaneExpr(t testing.TB) []*vm.Program {
	t.Helper()
	var out []*vm.Program
	for _, l := range Lanes {
		p, err := expr.Compile(l.When, expr.Env(&Declaration{}))
		require.NoError(t, err)
		out = append(out, p)
	}
	return out
}

func laneExpr(v *vm.VM, progs []*vm.Program, d *Declaration) (string, error) {
	for i, p := range progs {
		out, err := v.Run(p, d)
		if err != nil {
			return "", err
		}
		if out.(bool) {
			return Lanes[i].Lane, nil
		}
	}
	return "green", nil
}

// ---------------------------------------------------------------- agreement

// agreeInputs is how many generated inputs TestAgree checks per workload.
const agreeInputs = 10000

func TestAgree(t *testing.T) {
	t.Run("assess", func(t *testing.T) {
		cfg := loadProgramme(t)
		plan, goForm, exprForm, rulesF := NewPlan(cfg), NewGoRules(cfg), newExprRules(t, cfg), newRulesForm(t, cfg)
		set := compileSet(t, cfg)
		var d1, d2, d3 Decision
		seen := map[criteria.Outcome]int{}
		recs := map[criteria.Recommendation]int{}
		for i, o := range Operators(1, agreeInputs) {
			var want, viaExpr, viaRules Assessment
			plan.Assess(o, goForm, &d1, &want)
			plan.Assess(o, exprForm, &d2, &viaExpr)
			plan.Assess(o, rulesF, &d3, &viaRules)
			res, err := set.Evaluate(t.Context(), o)
			require.NoError(t, err)
			viaEngine := fromResult(res)
			for name, got := range map[string]Assessment{"expr": viaExpr, "rules": viaRules, "engine": viaEngine} {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Fatalf("operator %d: %s form differs from Go (-go +%s):\n%s", i, name, name, diff)
				}
			}
			for _, oc := range want.Requirements[:len(cfg.Requirements)] {
				seen[oc]++
			}
			for _, r := range want.Auth[:len(cfg.Authorizations)] {
				recs[r]++
			}
		}
		t.Logf("outcomes %v, recommendations %v", seen, recs)
		for _, oc := range []criteria.Outcome{criteria.Met, criteria.NotMet, criteria.Partly, criteria.Indeterminate, criteria.NotApplicable, criteria.Equivalent} {
			require.NotZero(t, seen[oc], "the inputs never give %v", oc)
		}
		for _, r := range []criteria.Recommendation{criteria.Recommend, criteria.Refuse, criteria.Pending} {
			require.NotZero(t, recs[r], "the inputs never give %v", r)
		}
	})
	t.Run("risk", func(t *testing.T) {
		eng, progs := newRiskEngine(t), newRiskExpr(t)
		r := eng.m.Runner()
		var v vm.VM
		levels := map[string]int{}
		for i, in := range RiskInputs(1, agreeInputs) {
			s1, l1 := RiskGo(in)
			s2, l2, err := riskExpr(&v, progs, in)
			require.NoError(t, err)
			s3, l3, err := eng.score(r, in)
			require.NoError(t, err)
			if s1 != s2 || s1 != s3 || l1 != l2 || l1 != l3 {
				t.Fatalf("input %d (%+v): go %v %s, expr %v %s, engine %v %s", i, *in, s1, l1, s2, l2, s3, l3)
			}
			levels[l1]++
		}
		t.Logf("levels %v", levels)
		require.Len(t, levels, 3, "the inputs must reach every level")
	})
	t.Run("lane", func(t *testing.T) {
		eng, progs := newLaneEngine(t), newLaneExpr(t)
		r := eng.m.Runner()
		var v vm.VM
		lanes := map[string]int{}
		for i, d := range Declarations(1, agreeInputs) {
			l1 := LaneGo(d)
			l2, err := laneExpr(&v, progs, d)
			require.NoError(t, err)
			l3, err := eng.lane(r, d)
			require.NoError(t, err)
			if l1 != l2 || l1 != l3 {
				t.Fatalf("declaration %d (%+v): go %s, expr %s, engine %s", i, *d, l1, l2, l3)
			}
			lanes[l1]++
		}
		t.Logf("lanes %v", lanes)
		require.Len(t, lanes, 3, "the inputs must reach every lane")
	})
}

// TestLaneAllocs holds the lane rule to no allocation per declaration.
func TestLaneAllocs(t *testing.T) {
	eng := newLaneEngine(t)
	r := eng.m.Runner()
	ds := Declarations(2, nInputs)
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := eng.lane(r, ds[i%nInputs]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs != 0 {
		t.Errorf("lane rule allocates %v times per declaration, want 0", allocs)
	}
}

// ---------------------------------------------------------------- benchmarks

func BenchmarkAssess(b *testing.B) {
	cfg := loadProgramme(b)
	plan := NewPlan(cfg)
	ops := Operators(3, nInputs)
	b.Run("go", func(b *testing.B) {
		g := NewGoRules(cfg)
		var d Decision
		var out Assessment
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			plan.Assess(ops[i%nInputs], g, &d, &out)
			i++
		}
	})
	b.Run("expr", func(b *testing.B) {
		e := newExprRules(b, cfg)
		var d Decision
		var out Assessment
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			plan.Assess(ops[i%nInputs], e, &d, &out)
			i++
		}
	})
	b.Run("rules", func(b *testing.B) {
		f := newRulesForm(b, cfg)
		var d Decision
		var out Assessment
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			plan.Assess(ops[i%nInputs], f, &d, &out)
			i++
		}
	})
	// engine replays into one reused Result, as the other forms reuse
	// their Assessment; engine-fresh allocates a new Result per operator.
	b.Run("engine", func(b *testing.B) {
		set := compileSet(b, cfg)
		ctx := context.Background()
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
	// decide replays decisions only (DecideInto): outcomes, criteria and
	// recommendations without explanations.
	b.Run("decide", func(b *testing.B) {
		set := compileSet(b, cfg)
		ctx := context.Background()
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
	b.Run("engine-fresh", func(b *testing.B) {
		set := compileSet(b, cfg)
		ctx := context.Background()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := set.Evaluate(ctx, ops[i%nInputs]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkAssessParallel(b *testing.B) {
	cfg := loadProgramme(b)
	plan := NewPlan(cfg)
	ops := Operators(3, nInputs)
	b.Run("go", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			g := NewGoRules(cfg)
			var d Decision
			var out Assessment
			for i := 0; pb.Next(); i++ {
				plan.Assess(ops[i%nInputs], g, &d, &out)
			}
		})
	})
	b.Run("expr", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			e := newExprRules(b, cfg)
			var d Decision
			var out Assessment
			for i := 0; pb.Next(); i++ {
				plan.Assess(ops[i%nInputs], e, &d, &out)
			}
		})
	})
	b.Run("rules", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			f := newRulesForm(b, cfg)
			var d Decision
			var out Assessment
			for i := 0; pb.Next(); i++ {
				plan.Assess(ops[i%nInputs], f, &d, &out)
			}
		})
	})
	b.Run("engine", func(b *testing.B) {
		set := compileSet(b, cfg)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			var res criteria.Result
			for i := 0; pb.Next(); i++ {
				if err := set.EvaluateInto(ctx, ops[i%nInputs], &res); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("decide", func(b *testing.B) {
		set := compileSet(b, cfg)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			ctx := context.Background()
			var res criteria.Result
			for i := 0; pb.Next(); i++ {
				if err := set.DecideInto(ctx, ops[i%nInputs], &res); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkRisk(b *testing.B) {
	ins := RiskInputs(3, nInputs)
	b.Run("go", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkFloat, sinkString = RiskGo(ins[i%nInputs])
			i++
		}
	})
	b.Run("expr", func(b *testing.B) {
		progs := newRiskExpr(b)
		var v vm.VM
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, _, err := riskExpr(&v, progs, ins[i%nInputs]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("engine", func(b *testing.B) {
		eng := newRiskEngine(b)
		r := eng.m.Runner()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, _, err := eng.score(r, ins[i%nInputs]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkRiskParallel(b *testing.B) {
	ins := RiskInputs(3, nInputs)
	b.Run("go", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var s float64
			for i := 0; pb.Next(); i++ {
				x, _ := RiskGo(ins[i%nInputs])
				s += x
			}
			if s < 0 { // never: keeps the work live
				b.Error(s)
			}
		})
	})
	b.Run("expr", func(b *testing.B) {
		progs := newRiskExpr(b)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var v vm.VM
			for i := 0; pb.Next(); i++ {
				if _, _, err := riskExpr(&v, progs, ins[i%nInputs]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("engine", func(b *testing.B) {
		eng := newRiskEngine(b)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := eng.m.Runner()
			for i := 0; pb.Next(); i++ {
				if _, _, err := eng.score(r, ins[i%nInputs]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkLane(b *testing.B) {
	ds := Declarations(3, nInputs)
	b.Run("go", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			sinkString = LaneGo(ds[i%nInputs])
			i++
		}
	})
	b.Run("expr", func(b *testing.B) {
		progs := newLaneExpr(b)
		var v vm.VM
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := laneExpr(&v, progs, ds[i%nInputs]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("engine", func(b *testing.B) {
		eng := newLaneEngine(b)
		r := eng.m.Runner()
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := eng.lane(r, ds[i%nInputs]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkLaneParallel(b *testing.B) {
	ds := Declarations(3, nInputs)
	b.Run("go", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			n := 0
			for i := 0; pb.Next(); i++ {
				n += len(LaneGo(ds[i%nInputs]))
			}
			if n < 0 { // never: keeps the work live
				b.Error(n)
			}
		})
	})
	b.Run("expr", func(b *testing.B) {
		progs := newLaneExpr(b)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			var v vm.VM
			for i := 0; pb.Next(); i++ {
				if _, err := laneExpr(&v, progs, ds[i%nInputs]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
	b.Run("engine", func(b *testing.B) {
		eng := newLaneEngine(b)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			r := eng.m.Runner()
			for i := 0; pb.Next(); i++ {
				if _, err := eng.lane(r, ds[i%nInputs]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// largeProgramme repeats the fixture's requirements to n, with fresh IDs.
func largeProgramme(cfg criteria.Config, n int) criteria.Config {
	out := cfg
	out.Requirements = nil
	out.Equivalences = nil
	for i := 0; len(out.Requirements) < n; i++ {
		for _, r := range cfg.Requirements {
			if len(out.Requirements) == n {
				break
			}
			r.ID = fmt.Sprintf("%s-%d", r.ID, i)
			out.Requirements = append(out.Requirements, r)
		}
	}
	return out
}

// BenchmarkLoad compiles a 1,000-requirement programme: type checking,
// optimisation and lowering of every expression. In "repeated" the
// fixture's 50 rules recur twenty times, as rules recur in a programme
// (a model compiles a text once); in "distinct" each requirement's texts
// differ, so that each is parsed, checked, lowered and compiled.
func BenchmarkLoad(b *testing.B) {
	repeated := largeProgramme(loadProgramme(b), 1000)
	distinct := largeProgramme(loadProgramme(b), 1000)
	for i := range distinct.Requirements {
		r := &distinct.Requirements[i]
		// A constant the optimiser folds away: the rule is the same,
		// its text is not.
		r.When = fmt.Sprintf("(%s) && %q != ''", r.When, r.ID)
		if r.Partly != "" {
			r.Partly = fmt.Sprintf("(%s) && %q != ''", r.Partly, r.ID)
		}
	}
	for _, form := range []struct {
		name string
		cfg  criteria.Config
	}{{"repeated", repeated}, {"distinct", distinct}} {
		b.Run(form.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := criteria.Compile(form.cfg, criteria.WithEnv(&Operator{})); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestLowered checks that the fixture programme's expressions all take the
// fast path, so that a change in the lowering that leaves some to the VM
// shows here rather than only as a slower benchmark.
func TestLowered(t *testing.T) {
	cfg := loadProgramme(t)
	facts := map[string]rules.FactType{}
	for _, f := range cfg.Facts {
		facts[f.Name] = rules.FactType(f.Type)
	}
	m, err := rules.NewModel(&Operator{}, rules.WithFacts(facts))
	require.NoError(t, err)
	var not []string
	for _, r := range cfg.Requirements {
		for _, src := range []string{r.When, r.Partly} {
			if src == "" {
				continue
			}
			p, err := m.Compile(src, rules.Bool)
			require.NoError(t, err)
			if ok, why := p.Fast(); !ok {
				not = append(not, r.ID+": "+why)
			}
		}
	}
	d, err := rules.NewModel(&Decision{})
	require.NoError(t, err)
	check := func(id, src string, k rules.Kind) {
		if src == "" {
			return
		}
		p, err := d.Compile(src, k)
		require.NoError(t, err)
		if ok, why := p.Fast(); !ok {
			not = append(not, id+": "+why)
		}
	}
	for _, c := range cfg.Criteria {
		check(c.ID+".score", c.Score, rules.Number)
		check(c.ID+".pass", c.Pass, rules.Bool)
	}
	for _, a := range cfg.Authorizations {
		check(a.ID+".grant", a.Grant, rules.Bool)
	}
	require.Empty(t, not, strings.Join(not, "\n"))
}
