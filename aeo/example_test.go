package aeo_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/safe-aeo/engine/aeo"
)

// Example assesses an applicant against a small national programme that
// extends the SAFE baseline, and prints the recommendation and the
// requirements that stand in its way.
func Example() {
	prog, err := aeo.Parse("national.yaml", []byte(`
programme: {name: Demo national programme, version: "2025.1"}
extends: baseline
drop: [D, E, F, G, H, I, J, K, L, M]
override:
  - id: A.1
    source: SAFE Annex IV A; National Customs Act, Art. 12 (two years)
    when: none(compliance.infringements, .severity in ["serious", "repeated"] && within(.date, "2y"))
`))
	if err != nil {
		log.Fatal(err)
	}
	yes := true
	prof := &aeo.Profile{
		OperatorID: "XX01",
		Name:       "Demo Imports",
		Roles:      []string{"importer"},
		Compliance: &aeo.Compliance{
			Infringements:      []aeo.Infringement{{Date: time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC), Severity: "serious"}},
			UnpaidDuties:       new(bool),
			DeclarationQuality: &yes, DesignatedPersonsChecked: &yes,
		},
		Records:    &aeo.Records{AuditTrail: &yes, CustomsAccess: &yes, InternalControls: &yes, Licences: &yes, Archiving: &yes, ITSecurity: &yes, Integrated: &yes},
		Financials: []aeo.FinancialYear{{Year: 2024, NetAssets: 1e6, TaxesPaid: true}},
	}
	a, err := prog.Assess(context.Background(), prof, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	for _, au := range a.Authorizations {
		fmt.Println(au.ID, au.Recommendation, au.Failed)
	}
	for _, f := range a.Findings {
		if !f.Outcome.Satisfied() {
			fmt.Println(f.Requirement, f.Outcome, "-", f.Source)
		}
	}
	// Output:
	// AEO refuse [A]
	// A.1 not met - SAFE Annex IV A; National Customs Act, Art. 12 (two years)
}
