package lifecycle_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// One operator from application to authorization, a partial suspension
// and a successful appeal, under EU-style time rules.
func ExampleMachine_Apply() {
	cfg := lifecycle.Config{
		DecisionDeadline:  calendar.Period{Days: 120}, // UCC Art 22(3)
		DecisionExtension: calendar.Period{Days: 60},  // DA Art 28
		EffectAfter:       calendar.Period{Days: 5},   // DA Art 29
		Suspension:        lifecycle.SuspensionRules{Period: calendar.Period{Days: 30}},
		Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{
			{Stage: lifecycle.StageCustomsReview, Window: calendar.Period{Days: 30}, DecisionDeadline: calendar.Period{Days: 60}},
		}},
	}
	const fingerprint = "sha256:5e0c1d" // the programme version's, from Programme.Fingerprint
	lc, err := lifecycle.New(cfg, fingerprint, map[string][]string{
		"compliance": {"AEOC", "AEOS"},
		"competence": {"AEOC"},
		"security":   {"AEOS"},
	})
	if err != nil {
		log.Fatal(err)
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }
	both := []string{"AEOC", "AEOS"}
	events := []lifecycle.Event{
		{Kind: lifecycle.EventLodge, At: day(1, 6), Actor: "ACME Ltd", Role: lifecycle.ActorOperator, Types: both},
		{Kind: lifecycle.EventAccept, At: day(1, 10), Actor: "officer Lee", Role: lifecycle.ActorOfficer},
		{Kind: lifecycle.EventValidate, At: day(2, 20), Actor: "officer Lee", Role: lifecycle.ActorOfficer,
			Validation: &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true},
			Evidence:   []string{"visit report 2025-014"}},
		{Kind: lifecycle.EventGrant, At: day(3, 3), Actor: "officer Lee", Approver: "officer Ng", Role: lifecycle.ActorOfficer,
			Types: both, Reasons: []string{"all criteria met"},
			Assessment: &lifecycle.AssessmentRef{Fingerprint: fingerprint, AsOf: day(2, 28),
				Recommended: []lifecycle.TypeGrade{{Type: "AEOC"}, {Type: "AEOS"}}}},
		{Kind: lifecycle.EventSuspend, At: day(6, 2), Actor: "officer Lee", Role: lifecycle.ActorOfficer,
			Criterion: "security", Reasons: []string{"loading dock left unsecured"}},
		{Kind: lifecycle.EventLodgeAppeal, At: day(6, 20), Actor: "ACME Ltd", Role: lifecycle.ActorOperator,
			Stage: lifecycle.StageCustomsReview, Reasons: []string{"the dock was secured on 28 May"},
			Evidence: []string{"contractor's certificate"}},
		{Kind: lifecycle.EventAllowAppeal, At: day(7, 15), Actor: "officer Diaz", Role: lifecycle.ActorOfficer,
			Reasons: []string{"the measure was in place before the suspension"}},
	}

	var a lifecycle.Authorization // the host stores this, and the records
	var trail []lifecycle.Record
	for _, ev := range events {
		next, rec, err := lc.Apply(a, ev)
		if err != nil {
			log.Fatal(err)
		}
		a, trail = next, append(trail, rec)
		fmt.Printf("%-13s %-17s in force: %v\n", ev.Kind, a.Status, a.ActiveTypes(ev.At.AddDate(0, 0, 5)))
	}
	if err := lifecycle.Trail(trail).VerifyHead(a.Head); err != nil {
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
func ExampleMachine_Apply_refused() {
	lc, err := lifecycle.New(lifecycle.Config{}, "sha256:5e0c1d", nil)
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	a, _, err := lc.Apply(lifecycle.Authorization{}, lifecycle.Event{Kind: lifecycle.EventLodge, At: at, Actor: "ACME Ltd", Role: lifecycle.ActorOperator, Types: []string{"AEO"}})
	if err != nil {
		log.Fatal(err)
	}
	a, _, err = lc.Apply(a, lifecycle.Event{Kind: lifecycle.EventAccept, At: at, Actor: "officer Lee", Role: lifecycle.ActorOfficer})
	if err != nil {
		log.Fatal(err)
	}
	// A refusal without a second officer.
	_, _, err = lc.Apply(a, lifecycle.Event{Kind: lifecycle.EventRefuse, At: at, Actor: "officer Lee", Role: lifecycle.ActorOfficer, Reasons: []string{"insolvent"}})
	var re *lifecycle.RuleError
	if errors.As(err, &re) {
		fmt.Println(re.Rule, errors.Is(err, lifecycle.ErrFourEyes))
	}
	fmt.Println(err)
	fmt.Println(a.Status)
	// Output:
	// four-eyes true
	// lifecycle: refuse in examination: four eyes required (rule four-eyes): refuse needs an approver
	// examination
}

// Due lists what is due on an authorization for an officer's work queue.
func ExampleMachine_Due() {
	lc, err := lifecycle.New(lifecycle.Config{
		AcceptanceDeadline: calendar.Period{Days: 30}, // GCC
		DecisionDeadline:   calendar.Period{Days: 120},
	}, "sha256:5e0c1d", nil)
	if err != nil {
		log.Fatal(err)
	}
	a, _, err := lc.Apply(lifecycle.Authorization{}, lifecycle.Event{
		Kind: lifecycle.EventLodge, At: time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC),
		Actor: "ACME Ltd", Role: lifecycle.ActorOperator, Types: []string{"AEO"},
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
