package aeo_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/safe-aeo/engine/aeo"
)

// One operator from application to authorization, a partial suspension
// and a successful appeal, under EU-style time rules.
func ExampleLifecycle_Apply() {
	cfg := aeo.LifecycleConfig{
		DecisionDeadline:  aeo.Period{Days: 120}, // UCC Art 22(3)
		DecisionExtension: aeo.Period{Days: 60},  // DA Art 28
		EffectAfter:       aeo.Period{Days: 5},   // DA Art 29
		Suspension:        aeo.SuspensionRules{Period: aeo.Period{Days: 30}},
		Appeal: aeo.AppealRules{Stages: []aeo.AppealStageRule{
			{Stage: aeo.StageCustomsReview, Window: aeo.Period{Days: 30}, DecisionDeadline: aeo.Period{Days: 60}},
		}},
	}
	const fingerprint = "sha256:5e0c1d" // the programme version's, from Programme.Fingerprint
	lc, err := aeo.NewLifecycle(cfg, fingerprint, map[string][]string{
		"compliance": {"AEOC", "AEOS"},
		"competence": {"AEOC"},
		"security":   {"AEOS"},
	})
	if err != nil {
		log.Fatal(err)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }
	both := []string{"AEOC", "AEOS"}
	events := []aeo.Event{
		{Kind: aeo.EventLodge, At: day(1, 6), Actor: "ACME Ltd", Role: aeo.ActorOperator, Types: both},
		{Kind: aeo.EventAccept, At: day(1, 10), Actor: "officer Lee", Role: aeo.ActorOfficer},
		{Kind: aeo.EventValidate, At: day(2, 20), Actor: "officer Lee", Role: aeo.ActorOfficer,
			Validation: &aeo.ValidationReport{Method: aeo.ValidationOnSite, Satisfied: true},
			Evidence:   []string{"visit report 2025-014"}},
		{Kind: aeo.EventGrant, At: day(3, 3), Actor: "officer Lee", Approver: "officer Ng", Role: aeo.ActorOfficer,
			Types: both, Reasons: []string{"all criteria met"},
			Assessment: &aeo.AssessmentRef{Fingerprint: fingerprint, AsOf: day(2, 28),
				Recommended: []aeo.Recommendation{{Type: "AEOC"}, {Type: "AEOS"}}}},
		{Kind: aeo.EventSuspend, At: day(6, 2), Actor: "officer Lee", Role: aeo.ActorOfficer,
			Criterion: "security", Reasons: []string{"loading dock left unsecured"}},
		{Kind: aeo.EventLodgeAppeal, At: day(6, 20), Actor: "ACME Ltd", Role: aeo.ActorOperator,
			Stage: aeo.StageCustomsReview, Reasons: []string{"the dock was secured on 28 May"},
			Evidence: []string{"contractor's certificate"}},
		{Kind: aeo.EventAllowAppeal, At: day(7, 15), Actor: "officer Diaz", Role: aeo.ActorOfficer,
			Reasons: []string{"the measure was in place before the suspension"}},
	}

	var a aeo.Authorization // the host stores this, and the records
	var trail []aeo.Record
	for _, ev := range events {
		next, rec, err := lc.Apply(a, ev)
		if err != nil {
			log.Fatal(err)
		}
		a, trail = next, append(trail, rec)
		fmt.Printf("%-13s %-17s in force: %v\n", ev.Kind, a.Status, a.ActiveTypes(ev.At.AddDate(0, 0, 5)))
	}
	if err := aeo.VerifyHead(trail, a.Head); err != nil {
		log.Fatal(err)
	}
	fmt.Println("decision was due", a.DecisionDue.Format(time.DateOnly), "- in effect from", a.EffectiveAt.Format(time.DateOnly))
	fmt.Println(len(trail), "records, chain verified; appeal", a.Appeal.Phase)
	// Output:
	// lodge         lodged            in force: []
	// accept        examination       in force: []
	// validate      examination       in force: []
	// grant         authorized        in force: [AEOC AEOS]
	// suspend       partly_suspended  in force: [AEOC]
	// lodge_appeal  partly_suspended  in force: [AEOC]
	// allow_appeal  authorized        in force: [AEOC AEOS]
	// decision was due 2025-05-10 - in effect from 2025-03-08
	// 7 records, chain verified; appeal allowed
}

// A refused event names the rule that refused it and leaves the state as
// it was.
func ExampleLifecycle_Apply_refused() {
	lc, err := aeo.NewLifecycle(aeo.LifecycleConfig{}, "sha256:5e0c1d", nil)
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	a, _, err := lc.Apply(aeo.Authorization{}, aeo.Event{Kind: aeo.EventLodge, At: at, Actor: "ACME Ltd", Role: aeo.ActorOperator, Types: []string{"AEO"}})
	if err != nil {
		log.Fatal(err)
	}
	a, _, err = lc.Apply(a, aeo.Event{Kind: aeo.EventAccept, At: at, Actor: "officer Lee", Role: aeo.ActorOfficer})
	if err != nil {
		log.Fatal(err)
	}
	// A refusal without a second officer.
	_, _, err = lc.Apply(a, aeo.Event{Kind: aeo.EventRefuse, At: at, Actor: "officer Lee", Role: aeo.ActorOfficer, Reasons: []string{"insolvent"}})
	var re *aeo.RuleError
	if errors.As(err, &re) {
		fmt.Println(re.Rule, errors.Is(err, aeo.ErrFourEyes))
	}
	fmt.Println(err)
	fmt.Println(a.Status)
	// Output:
	// four-eyes true
	// aeo: refuse in examination: four eyes required (rule four-eyes): refuse needs an approver
	// examination
}

// Due lists what is due on an authorization for an officer's work queue.
func ExampleLifecycle_Due() {
	lc, err := aeo.NewLifecycle(aeo.LifecycleConfig{
		AcceptanceDeadline: aeo.Period{Days: 30}, // GCC
		DecisionDeadline:   aeo.Period{Days: 120},
	}, "sha256:5e0c1d", nil)
	if err != nil {
		log.Fatal(err)
	}
	a, _, err := lc.Apply(aeo.Authorization{}, aeo.Event{
		Kind: aeo.EventLodge, At: time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC),
		Actor: "ACME Ltd", Role: aeo.ActorOperator, Types: []string{"AEO"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range lc.Due(a, time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC)) {
		fmt.Println(it.Kind, it.Rule, it.Due.Format(time.DateOnly), "overdue:", it.Overdue)
	}
	// Output:
	// acceptance acceptance_deadline 2025-02-01 overdue: true
}
