package risk_test

import (
	"context"
	"fmt"
	"log"
	"slices"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// exampleConfig maps an operator on two of the guidance's dimensions and
// rates risks on a three-by-three matrix.
func exampleConfig() risk.Config {
	return risk.Config{
		Dimensions: []risk.Dimension{
			{ID: "compliance", Title: "Records of compliance", Weight: 2, Score: "min(100, 25 * facts.infringements)"},
			{ID: "goods", Title: "Type of goods", Weight: 1, Score: "facts.excise ? 80 : 20"},
		},
		Levels: []risk.LevelBand{{Level: "low", Min: 0}, {Level: "medium", Min: 35}, {Level: "high", Min: 65}},
		Matrix: risk.Matrix{
			Likelihood:  []string{"unlikely", "possible", "likely"},
			Consequence: []string{"minor", "moderate", "major"},
			Ratings:     []risk.RatingBand{{Rating: "low", Min: 1}, {Rating: "medium", Min: 3}, {Rating: "high", Min: 6}},
		},
		Risks: []risk.RiskDecl{
			{ID: "excise", When: "facts.excise", Likelihood: "possible", Consequence: "major"},
			{ID: "records", Likelihood: "likely", Consequence: "moderate"},
			{ID: "security", Likelihood: "unlikely", Consequence: "major"},
		},
		Findings: []risk.FindingRule{
			{Requirements: []string{"B.*"}, Risk: "records"},
			{Criteria: []string{"security"}, Risk: "security"},
		},
		Controls: []risk.Control{
			{ID: "audit", Kind: risk.PostClearanceAudit, Addresses: []string{"records", "excise"}, Hours: 40, Frequency: 1, Owner: "audit unit"},
			{ID: "inspection", Kind: risk.PhysicalInspection, Addresses: []string{"excise"}, Hours: 3, Frequency: 6, Owner: "border team"},
			{ID: "spot", Kind: risk.SpotCheck, Addresses: []string{"security"}, Hours: 4, Frequency: 4, Owner: "client coordinator"},
		},
		Review: risk.Review{ChangeMethodAfter: calendar.Period{Months: 3}, ReanalyseAfter: calendar.Period{Years: 1}},
	}
}

var exampleFacts = []criteria.FactDecl{{Name: "infringements", Type: "int"}, {Name: "excise", Type: "bool"}}

func ExampleModel_Map() {
	m, err := risk.Compile(exampleConfig(), risk.WithFacts(exampleFacts...))
	if err != nil {
		log.Fatal(err)
	}
	rm, err := m.Map(context.Background(),
		&risk.Facts{Values: map[string]any{"excise": true}},
		[]criteria.Finding{{Requirement: "B.2", Outcome: criteria.NotMet}, {Requirement: "K.1", Criterion: "security", Outcome: criteria.Partly}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("score %.0f, level %s, provisional %v, coverage %.2f\n", rm.Score, rm.Level, rm.Provisional, rm.Coverage)
	for _, c := range rm.Contributions {
		fmt.Println(c.Dimension, c.Status, c.Score, c.Missing)
	}
	for _, r := range rm.Risks {
		fmt.Println(r.ID, r.Likelihood, r.Consequence, r.Rating, r.Causes)
	}
	// Output:
	// score 93, level high, provisional true, coverage 0.33
	// compliance unknown 100 [facts.infringements]
	// goods scored 80 []
	// excise possible major high [profile]
	// records likely moderate high [B.2 not_met]
	// security unlikely major medium [K.1 partly]
}

func ExampleCompile_error() {
	cfg := exampleConfig()
	cfg.Dimensions[1].Score = "facts.excise * 80"
	cfg.Controls[2].Addresses = []string{"smuggling"}
	_, err := risk.Compile(cfg, risk.WithFacts(exampleFacts...))
	fmt.Println(err)
	// Output:
	// dimensions[1].score:1:14: cannot apply * to true or false and a number
	// controls[2].addresses[0]: unknown risk "smuggling" (known: excise, records, security)
}

func ExampleModel_Plan() {
	m := risk.MustCompile(exampleConfig(), risk.WithFacts(exampleFacts...))
	rm, err := m.Map(context.Background(),
		&risk.Facts{Values: map[string]any{"excise": true, "infringements": 1}},
		[]criteria.Finding{{Requirement: "B.2", Outcome: criteria.NotMet}, {Requirement: "K.1", Criterion: "security", Outcome: criteria.Partly}})
	if err != nil {
		log.Fatal(err)
	}
	plan := m.Plan(rm.Risks, 36, time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC))
	for _, c := range plan.Controls {
		fmt.Printf("%s (%s, %s): %g h/year for %v\n", c.ID, c.Kind, c.Owner, c.YearlyHours, c.Risks)
	}
	for _, u := range plan.Uncovered {
		fmt.Println("uncovered:", u.Risk, u.Reason, u.Controls)
	}
	fmt.Printf("%g of %g hours, exact %v\n", plan.Hours, plan.Budget, plan.Exact)
	fmt.Println("change method:", plan.ChangeMethod.Format(time.DateOnly))
	fmt.Println("re-analyse:", plan.Reanalyse.Format(time.DateOnly))
	// Output:
	// inspection (physical_inspection, border team): 18 h/year for [excise]
	// spot (spot_check, client coordinator): 16 h/year for [security]
	// uncovered: records budget_exhausted [audit]
	// 34 of 36 hours, exact true
	// change method: 2025-04-30
	// re-analyse: 2026-01-31
}

func exampleSelectivity() risk.SelectivityConfig {
	return risk.SelectivityConfig{
		Rules: []risk.Rule{
			{ID: "apples-us", Lane: risk.Red, When: `hs_code == "080810" && origin == "US"`},
			{ID: "high-value", Lane: risk.Yellow, When: "value > 100000"},
			{ID: "inward-processing", Lane: risk.Blue, When: `procedure startsWith "51"`},
		},
		MinRandomRate: 0.02,
		AEO: []risk.Treatment{
			{ID: "aeo", Statuses: []string{"authorized"}, RuleFactor: ptr(0.0), RandomFactor: ptr(0.2)},
		},
		Seed: "example",
	}
}

func ExampleSelector_Select() {
	s, err := risk.CompileSelectivity(exampleSelectivity())
	if err != nil {
		log.Fatal(err)
	}
	d := risk.Declaration{ID: "2025/IM/000123", HSCode: "080810", Origin: "US", Value: 250000, Procedure: "5100"}
	for _, op := range []*risk.Operator{nil, {Status: "authorized", Types: []string{"AEOC"}}} {
		dec := s.Select(&d, op)
		fmt.Println(dec.Status, dec.Lane, dec.Cause, dec.Rule, dec.Fired(), dec.Spared())
	}
	// Output:
	// none red rule apples-us [apples-us high-value inward-processing] []
	// authorized green default  [] [apples-us high-value inward-processing]
}

func ExampleCompileSelectivity_error() {
	cfg := exampleSelectivity()
	cfg.Rules[0].When = `hs_code == 80810`
	cfg.Rules[1].Lane = risk.NoLane
	_, err := risk.CompileSelectivity(cfg)
	fmt.Println(err)
	// Output:
	// rules[0].when:1:9: cannot apply == to a string and a number
	// rules[1].lane: lane is required: red, yellow, blue or green
}

func ExampleSelector_SelectBatch() {
	s := risk.MustCompileSelectivity(exampleSelectivity())
	var entries []risk.Entry
	for i := range 10_000 {
		e := risk.Entry{Declaration: risk.Declaration{ID: fmt.Sprintf("D%06d", i), Value: float64(i * 20), Procedure: "4000"}}
		if i%2 == 0 {
			e.Operator = risk.Operator{Status: "authorized"}
		}
		entries = append(entries, e)
	}
	sum, err := s.SelectBatch(context.Background(), slices.Values(entries), 4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("red %.3f yellow %.3f green %.3f\n", sum.Shares.Red, sum.Shares.Yellow, sum.Shares.Green)
	for _, g := range sum.Statuses {
		fmt.Printf("%s: %d declarations, %.3f red\n", g.Group, g.Total, g.Shares.Red)
	}
	// Output:
	// red 0.012 yellow 0.244 green 0.743
	// authorized: 5000 declarations, 0.005 red
	// none: 5000 declarations, 0.020 red
}
