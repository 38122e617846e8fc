package criteria_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/safe-aeo/engine/criteria"
)

func ExampleSet_Evaluate() {
	set, err := criteria.Compile(criteria.Config{
		Facts: []criteria.FactDecl{
			{Name: "infringements_3y", Type: "int"},
			{Name: "equity_ratio", Type: "float"},
		},
		Criteria: []criteria.Criterion{
			{ID: "A", Title: criteria.NewText("Compliance record")},
			{ID: "C", Title: criteria.NewText("Financial viability")},
		},
		Requirements: []criteria.Requirement{
			{ID: "A.1", Criterion: "A", Title: criteria.NewText("No infringements"), When: "facts.infringements_3y == 0", Source: "SAFE Annex IV A"},
			{ID: "C.1", Criterion: "C", Title: criteria.NewText("Solvency"), When: "facts.equity_ratio >= 0.2", Source: "SAFE Annex IV C"},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	res, err := set.Evaluate(context.Background(), &criteria.Facts{
		Date:   time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC),
		Values: map[string]any{"infringements_3y": 0},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Findings {
		fmt.Println(f.Requirement, f.Outcome, f.Missing)
	}
	// Output:
	// A.1 met []
	// C.1 indeterminate [facts.equity_ratio]
}

func ExampleCompile_error() {
	_, err := criteria.Compile(criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "equity_ratio", Type: "float"}},
		Criteria: []criteria.Criterion{{ID: "C", Title: criteria.NewText("Financial viability")}},
		Requirements: []criteria.Requirement{
			{ID: "C.1", Criterion: "C", Title: criteria.NewText("Solvency"), When: "facts.equity_ratio >= 'high'", Source: "SAFE Annex IV C"},
			{ID: "C.2", Criterion: "X", Title: criteria.NewText("Bankruptcy"), When: "true"},
		},
	})
	fmt.Println(err)
	// Output:
	// requirements[0].when:1:20: cannot apply >= to a number and a string
	// requirements[1].criterion: unknown criterion "X" (known: C)
	// requirements[1]: source is required: name the SAFE item or the article of national law the requirement encodes
}

func ExampleSet_DecideInto() {
	set, err := criteria.Compile(criteria.Config{
		Facts: []criteria.FactDecl{{Name: "infringements_3y", Type: "int"}},
		Criteria: []criteria.Criterion{
			{ID: "A", Title: criteria.NewText("Compliance record")},
		},
		Requirements: []criteria.Requirement{
			{ID: "A.1", Criterion: "A", Title: criteria.NewText("No infringements"), When: "facts.infringements_3y == 0", Source: "SAFE Annex IV A"},
		},
		Authorizations: []criteria.Authorization{{ID: "AEOC", Title: criteria.NewText("Customs simplifications"), Criteria: []string{"A"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	// A replay over a register: one Result, reused, and no explanations.
	var res criteria.Result
	for _, n := range []int{0, 2} {
		err := set.DecideInto(context.Background(), &criteria.Facts{
			Date:   time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC),
			Values: map[string]any{"infringements_3y": n},
		}, &res)
		if err != nil {
			log.Fatal(err)
		}
		a, _ := res.Authorization("AEOC")
		fmt.Println(n, res.Findings[0].Outcome, a.Recommendation, res.Findings[0].Facts == nil)
	}
	// Output:
	// 0 met recommend true
	// 2 not met refuse true
}
