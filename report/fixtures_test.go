package report_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/phases"
	"github.com/safe-aeo/engine/report"
)

// A renderer is any of the reports.
type renderer interface {
	WriteHTML(w io.Writer, o report.Options) error
}

// A fixture is one report over the test data, with the number of A4 pages
// it prints on (checked in a browser).
type fixture struct {
	name   string
	report renderer
	pages  int
	// operator marks the reports the operator receives: they must show
	// nothing internal.
	operator bool
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var asOf = day(2025, 3, 31)

// fixtures builds every report over the test programme and applicants.
// Every date is fixed, so that the output is the same on every run.
func fixtures(t testing.TB) []fixture {
	t.Helper()
	p, err := aeo.Load("testdata/programme.yaml")
	require.NoError(t, err)
	assess := func(name string) (*aeo.Profile, *aeo.Assessment) {
		prof, err := aeo.LoadProfile("testdata/" + name + ".yaml")
		require.NoError(t, err)
		a, err := p.Assess(context.Background(), prof, asOf)
		require.NoError(t, err)
		return prof, a
	}
	carrierProf, carrier := assess("carrier")
	missingProf, missing := assess("missing")
	compliantProf, compliant := assess("compliant")

	dossier := func(prof *aeo.Profile, a *aeo.Assessment) report.Dossier {
		m, err := p.MapRisk(context.Background(), prof, a)
		require.NoError(t, err)
		plan := p.Risk().Plan(m.Risks, 60, asOf)
		return report.Dossier{Programme: p, Assessment: a, Risk: &m, Plan: &plan}
	}
	_ = compliantProf
	return []fixture{
		{name: "dossier-carrier", report: dossier(carrierProf, carrier), pages: 4},
		{name: "dossier-missing", report: dossier(missingProf, missing), pages: 4},
		{name: "letter-carrier", report: report.Letter{Programme: p, Assessment: carrier}, pages: 1, operator: true},
		{name: "letter-missing", report: report.Letter{Programme: p, Assessment: missing}, pages: 2, operator: true},
		{name: "benefits", report: benefitsReport(t, p), pages: 1},
		{name: "history", report: history(t, p, compliantProf, compliant), pages: 1},
		{name: "phases", report: progress(t, p), pages: 1},
		{name: "publication", report: report.Publication{Programme: p}, operator: true},
	}
}

// benefitsReport is a year of an operator's use of four benefits, three
// of them with a baseline: one above it, one below, one far below.
func benefitsReport(t testing.TB, p *aeo.Programme) report.Benefits {
	t.Helper()
	var recs []benefits.Record
	for m := time.January; m <= time.December; m++ {
		at := day(2025, m, 10)
		recs = append(recs,
			benefits.Record{Benefit: "safe.release.fast-lane", Operator: "XX0100000001", At: at, Quantity: float64(41 + int(m)%4), Minutes: float64(20 * (41 + int(m)%4))},
			benefits.Record{Benefit: "safe.release.fewer-examinations", Operator: "XX0100000001", At: at, Quantity: 4, NormalQuantity: 2},
			benefits.Record{Benefit: "safe.release.before-payment", Operator: "XX0100000001", At: at, Quantity: 12},
			benefits.Record{Benefit: "safe.release.reduced-data", Operator: "XX0100000001", At: at, Quantity: 120},
		)
	}
	l := benefits.NewLedger(p.Benefits())
	require.NoError(t, l.Restore(recs))
	r, err := l.Report(day(2025, 1, 1), day(2026, 1, 1), benefits.GroupBy{Benefit: true, Interval: benefits.Quarter})
	require.NoError(t, err)
	return report.Benefits{Title: "Harbourside Imports Ltd, 2025", Catalogue: p.Benefits(), Report: r}
}

// history takes the compliant importer from its application to its
// authorization, a suspension for a conveyance finding and its lifting,
// then a reassessment still open.
func history(t testing.TB, p *aeo.Programme, prof *aeo.Profile, a *aeo.Assessment) report.History {
	t.Helper()
	lc := p.Lifecycle()
	d := func(days int) time.Time { return asOf.AddDate(0, 0, days) }
	ref := a.Ref()
	var sites []string
	for _, s := range prof.Sites {
		sites = append(sites, s.ID)
	}
	officer := lifecycle.ActorOfficer
	events := []lifecycle.Event{
		{Kind: lifecycle.EventLodge, At: d(1), Actor: prof.Name, Role: lifecycle.ActorOperator, Types: []string{"AEO"}, Sites: sites},
		{Kind: lifecycle.EventAccept, At: d(8), Actor: "officer Amara", Role: officer},
		{Kind: lifecycle.EventAssignCoordinator, At: d(8), Actor: "officer Amara", Role: officer, Coordinator: "officer Chen"},
		{Kind: lifecycle.EventValidate, At: d(40), Actor: "officer Amara", Role: officer, Sites: sites,
			Validation: &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true}, Evidence: []string{"visit report V-2025-031"}},
		{Kind: lifecycle.EventGrant, At: d(55), Actor: "officer Amara", Approver: "officer Okafor", Role: officer, Types: []string{"AEO"},
			Reasons: []string{"every criterion met; see assessment"}, Assessment: &ref},
		{Kind: lifecycle.EventMonitor, At: d(150), Actor: "officer Chen", Role: officer, Monitoring: lifecycle.MonitoringSpotCheck},
		{Kind: lifecycle.EventSuspend, At: d(210), Actor: "officer Chen", Approver: "officer Okafor", Role: officer, Criterion: "I",
			Reasons: []string{"perimeter fence breached at the warehouse; not repaired"}},
		{Kind: lifecycle.EventLift, At: d(232), Actor: "officer Chen", Role: officer, Reasons: []string{"fence repaired; checked on site"}},
		{Kind: lifecycle.EventMonitor, At: d(300), Actor: "officer Chen", Role: officer, Monitoring: lifecycle.MonitoringSelfAssessment},
	}
	var auth lifecycle.Authorization
	var trail lifecycle.Trail
	for i, ev := range events {
		next, rec, err := lc.Apply(auth, ev)
		require.NoError(t, err, fmt.Sprintf("event %d (%s)", i+1, ev.Kind))
		auth, trail = next, append(trail, rec)
	}
	return report.History{Machine: lc, Trail: trail, Head: auth.Head, Operator: prof.Name, AsOf: d(400)}
}

// progress is the default nine-phase plan in its fourth phase: phases 1
// to 3 done, the pilot running, the first evaluation overdue.
func progress(t testing.TB, p *aeo.Programme) report.Phases {
	t.Helper()
	plan := phases.Default()
	cfg := plan.Config()
	var s phases.State
	at := day(2025, 1, 6)
	apply := func(ev phases.Event) {
		t.Helper()
		next, err := plan.Apply(s, ev, at)
		require.NoError(t, err, fmt.Sprintf("%s %s", ev.Kind, ev.ID))
		s = next
	}
	finish := func(n int, upTo int) {
		ph := cfg.Phases[n-1]
		for i, task := range ph.Tasks {
			if i >= upTo {
				return
			}
			apply(phases.Event{Kind: phases.TaskDone, ID: task.ID})
			at = at.AddDate(0, 0, 3)
		}
		for _, m := range ph.Milestones {
			apply(phases.Event{Kind: phases.MilestoneReached, ID: m.ID})
		}
	}
	finish(1, 99)
	apply(phases.Event{Kind: phases.ProgrammeLoaded, Programme: p})
	apply(phases.Event{Kind: phases.AdvancePhase})
	finish(2, 99)
	apply(phases.Event{Kind: phases.AdvancePhase})
	var pilot []phases.Operator
	sizes := []phases.Size{phases.SME, phases.Large, phases.Multinational}
	for i := range 8 {
		typ := phases.Importer
		if i%2 == 1 {
			typ = phases.Exporter
		}
		pilot = append(pilot, phases.Operator{ID: fmt.Sprintf("XX%010d", i+1), Type: typ, Size: sizes[i%3], Volunteer: true})
	}
	apply(phases.Event{Kind: phases.OperatorsAdmitted, Operators: pilot})
	finish(3, 99)
	for _, b := range cfg.Benefits {
		if b.Stage == 1 {
			apply(phases.Event{Kind: phases.BenefitIntroduced, ID: b.ID})
		}
	}
	apply(phases.Event{Kind: phases.AdvancePhase})
	at = at.AddDate(0, 2, 0)
	ph4 := cfg.Phases[3]
	for i, task := range ph4.Tasks {
		if i >= len(ph4.Tasks)/2 {
			break
		}
		apply(phases.Event{Kind: phases.TaskDone, ID: task.ID})
	}
	return report.Phases{Report: plan.Report(s, day(2026, 2, 2))}
}
