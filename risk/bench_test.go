package risk_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// profile50 is a 50-rule selectivity profile of the kind an office runs:
// commodity and origin criteria, value thresholds, procedures, transport
// modes, a declarant watch list and the operator's status.
func profile50() risk.SelectivityConfig {
	var rs []risk.Rule
	add := func(lane risk.Lane, when string) {
		rs = append(rs, risk.Rule{ID: fmt.Sprintf("r%02d", len(rs)), Lane: lane, Priority: len(rs) % 3, When: when})
	}
	origins := []string{"US", "CN", "TR", "IN", "BR"}
	for i := range 20 {
		lane := risk.Yellow
		if i%4 == 0 {
			lane = risk.Red
		}
		add(lane, fmt.Sprintf(`hs_code startsWith "%02d%02d" && origin == %q`, 1+i*4, i%10, origins[i%len(origins)]))
	}
	for i := range 10 {
		add(risk.Yellow, fmt.Sprintf(`value > %d && origin in ["CN", "VN", "BD", "PK"] && hs_chapter == "%02d"`, 20000+i*5000, 50+i))
	}
	for i := range 5 {
		add(risk.Blue, fmt.Sprintf(`procedure == "%d00"`, 51+i))
	}
	for i := range 5 {
		add(risk.Yellow, fmt.Sprintf(`transport_mode == "%d" && hs_chapter in ["22", "24", "27"] && value > %d`, 1+i, 1000*i))
	}
	for i := range 5 {
		add(risk.Red, fmt.Sprintf(`declarant == "DCL%03d"`, i))
	}
	for range 3 {
		add(risk.Yellow, `operator.status == "suspended" && value > 500`)
	}
	add(risk.Yellow, `gross_mass > 10000 && value < 1000`)
	add(risk.Green, `value < 150 && !operator.aeo`)
	return risk.SelectivityConfig{
		Rules:         rs,
		ExpectedRates: risk.LaneRates{Red: 0.05, Yellow: 0.15, Blue: 0.05},
		MinRandomRate: 0.02,
		AEO: []risk.Treatment{
			{ID: "aeo", Statuses: []string{"authorized"}, RuleFactor: ptr(0.2), RandomFactor: ptr(0.2), Downgrade: risk.LaneMap{Red: risk.Yellow}},
		},
		Seed: "bench",
	}
}

func benchDecl(i int) risk.Declaration {
	return risk.Declaration{
		ID:            fmt.Sprintf("2025/IM/%07d", i),
		Date:          time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		Office:        "CTN01",
		Direction:     "import",
		HSCode:        fmt.Sprintf("%02d%02d10", 1+(i%25)*4, i%10),
		Origin:        []string{"US", "CN", "DE", "TR"}[i%4],
		Value:         float64(i%50) * 1000,
		GrossMass:     float64(i%20) * 800,
		Declarant:     fmt.Sprintf("DCL%03d", i%40),
		Operator:      "OP1",
		Procedure:     "4000",
		TransportMode: "1",
	}
}

func BenchmarkSelect(b *testing.B) {
	s := risk.MustCompileSelectivity(profile50())
	d := benchDecl(7)
	op := &risk.Operator{Status: "authorized", Types: []string{"AEOC"}}
	b.ReportAllocs()
	for b.Loop() {
		if dec := s.Select(&d, op); dec.Lane == risk.NoLane {
			b.Fatal("no lane")
		}
	}
}

func BenchmarkSelectParallel(b *testing.B) {
	s := risk.MustCompileSelectivity(profile50())
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		d := benchDecl(7)
		for pb.Next() {
			if dec := s.Select(&d, nil); dec.Lane == risk.NoLane {
				b.Error("no lane")
				return
			}
		}
	})
}

func BenchmarkSelectBatch(b *testing.B) {
	s := risk.MustCompileSelectivity(profile50())
	const n = 100_000
	entries := make([]risk.Entry, n)
	for i := range entries {
		entries[i].Declaration = benchDecl(i)
		if i%10 == 0 {
			entries[i].Operator = risk.Operator{Status: "authorized"}
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		sum, err := s.SelectBatch(b.Context(), slices.Values(entries), 0)
		if err != nil {
			b.Fatal(err)
		}
		if sum.Total != n {
			b.Fatalf("total %d, want %d", sum.Total, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "decl/s")
}

func BenchmarkRiskMap(b *testing.B) {
	m := demoModel(b)
	env := fullOperator()
	findings := []criteria.Finding{
		{Requirement: "B.1", Outcome: criteria.NotMet},
		{Requirement: "K.2", Criterion: "security", Outcome: criteria.Partly},
		{Requirement: "A.1", Outcome: criteria.Met},
	}
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Map(ctx, env, findings); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	m := demoModel(b)
	risks := demoRisks(b, m)
	at := time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if p := m.Plan(risks, 60, at); !p.Exact {
			b.Fatal("not exact")
		}
	}
}

func BenchmarkCompileSelectivity(b *testing.B) {
	cfg := profile50()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := risk.CompileSelectivity(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
