package lifecycle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/lifecycle"
)

// The tests of the guidance's method in the lifecycle: physical
// verification by default, joint validations, coordinators' portfolios,
// operators' issues, the ten-step treatment cycle and the work queue.

func intp(n int) *int { return &n }

// examinedWith lodges an application with classes and sites, and accepts
// it.
func examinedWith(t *testing.T, l *lifecycle.Machine, day time.Time, classes []string, sites ...string) *flow {
	ev := lodgeEvent(day, "", "AEO")
	ev.Classes, ev.Sites = classes, sites
	return startFlow(t, l).do(ev).do(acceptEvent(day))
}

func TestValidationOnSite(t *testing.T) {
	day := ymd(2025, time.March, 3)
	remoteForVendors := lifecycle.OnSiteRelaxation{
		Classes: []string{"vendor"}, Methods: []lifecycle.ValidationMethod{lifecycle.ValidationRemote},
		Source: "WCO note on AEO for e-commerce, section VIII",
	}
	papersForSolvency := lifecycle.OnSiteRelaxation{
		Requirements: []string{"C.1"}, Methods: []lifecycle.ValidationMethod{lifecycle.ValidationDocumentReview},
		Source: "national rule: financial statements are audited documents",
	}
	report := func(m lifecycle.ValidationMethod, reqs ...string) lifecycle.Event {
		ev := validateEvent(day.AddDate(0, 0, 5), m, true)
		ev.Validation.Requirements = reqs
		return ev
	}
	tests := []struct {
		name     string
		relax    []lifecycle.OnSiteRelaxation
		classes  []string
		reports  []lifecycle.Event
		verify   []string // the assessment's requirements to verify on site
		wantRule string   // "" when the grant goes through
		reason   string
	}{{
		name:     "document review alone",
		reports:  []lifecycle.Event{report(lifecycle.ValidationDocumentReview)},
		wantRule: "validation-complete",
		reason:   "Customs should always verify physically: by default a paper review completes nothing",
	}, {
		name:    "visit",
		reports: []lifecycle.Event{report(lifecycle.ValidationOnSite)},
		verify:  []string{"C.1", "I.1"},
		reason:  "a visit whose report lists no requirements verified everything examined",
	}, {
		name:    "remote session of a vendor",
		relax:   []lifecycle.OnSiteRelaxation{remoteForVendors},
		classes: []string{"vendor", "sme"},
		reports: []lifecycle.Event{report(lifecycle.ValidationRemote)},
		verify:  []string{"I.1"},
		reason:  "the programme lets an online session count for vendors, who are abroad",
	}, {
		name:     "remote session of an importer",
		relax:    []lifecycle.OnSiteRelaxation{remoteForVendors},
		classes:  []string{"importer"},
		reports:  []lifecycle.Event{report(lifecycle.ValidationRemote)},
		wantRule: "validation-complete",
		reason:   "a relaxation for vendors does not serve an importer",
	}, {
		name:     "remote session, classes unknown",
		relax:    []lifecycle.OnSiteRelaxation{remoteForVendors},
		reports:  []lifecycle.Event{report(lifecycle.ValidationRemote)},
		wantRule: "validation-complete",
		reason:   "fail closed: with no class given at lodgement, no relaxation by class applies",
	}, {
		name:     "visit that left a requirement out",
		reports:  []lifecycle.Event{report(lifecycle.ValidationOnSite, "I.1")},
		verify:   []string{"C.1", "I.1"},
		wantRule: "validation-complete",
		reason:   "C.1 is to be verified on site and the visit's report says it verified I.1 only",
	}, {
		name:    "papers for the requirement the programme relaxes",
		relax:   []lifecycle.OnSiteRelaxation{papersForSolvency},
		reports: []lifecycle.Event{report(lifecycle.ValidationOnSite, "I.1"), report(lifecycle.ValidationDocumentReview, "C.1")},
		verify:  []string{"C.1", "I.1"},
		reason:  "the programme lets a document review verify C.1; the visit verified I.1",
	}, {
		name:     "papers for a requirement the programme does not relax",
		relax:    []lifecycle.OnSiteRelaxation{papersForSolvency},
		reports:  []lifecycle.Event{report(lifecycle.ValidationOnSite, "C.1"), report(lifecycle.ValidationDocumentReview, "I.1")},
		verify:   []string{"C.1", "I.1"},
		wantRule: "validation-complete",
		reason:   "the relaxation names C.1, not I.1",
	}, {
		name:     "papers for the relaxed requirement without a visit",
		relax:    []lifecycle.OnSiteRelaxation{papersForSolvency},
		reports:  []lifecycle.Event{report(lifecycle.ValidationDocumentReview, "C.1")},
		verify:   []string{"C.1"},
		wantRule: "validation-complete",
		reason:   "a relaxation by requirement does not relax the visit of the sites",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMachine(t, lifecycle.Config{Validation: lifecycle.ValidationRules{Relax: tt.relax}})
			f := examinedWith(t, l, day, tt.classes)
			for _, r := range tt.reports {
				f.do(r)
			}
			grant := grantEvent(day.AddDate(0, 0, 10), "", "AEO")
			grant.Assessment.VerifyOnSite = tt.verify
			err := f.try(grant)
			if tt.wantRule == "" {
				require.NoError(t, err, tt.reason)
				assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, tt.reason)
				return
			}
			requireRule(t, err, lifecycle.ErrNotValidated, tt.wantRule, tt.reason)
		})
	}
}

func TestValidationConfig(t *testing.T) {
	off := false
	tests := []struct {
		name   string
		cfg    lifecycle.ValidationRules
		paths  []string
		reason string
	}{{
		name:   "switched off",
		cfg:    lifecycle.ValidationRules{RequireOnSite: &off},
		paths:  []string{"validation.require_on_site"},
		reason: "on-site verification is relaxed with a source, never switched off",
	}, {
		name: "relaxation without source or method",
		cfg:  lifecycle.ValidationRules{Relax: []lifecycle.OnSiteRelaxation{{Classes: []string{"sme", "sme"}}}},
		paths: []string{"validation.relax[0].source", "validation.relax[0].methods",
			"validation.relax[0].classes[1]"},
		reason: "a relaxation states its source and what counts instead of a visit",
	}, {
		name:   "a visit as relaxation",
		cfg:    lifecycle.ValidationRules{Relax: []lifecycle.OnSiteRelaxation{{Methods: []lifecycle.ValidationMethod{lifecycle.ValidationOnSite}, Source: "x"}}},
		paths:  []string{"validation.relax[0].methods[0]"},
		reason: "a visit always counts; only document reviews and remote sessions are relaxations",
	}, {
		name:   "partner named twice",
		cfg:    lifecycle.ValidationRules{Joint: lifecycle.JointRules{Partners: []string{"Y", "Y", " "}}},
		paths:  []string{"validation.joint.partners[1]", "validation.joint.partners[2]"},
		reason: "each partner administration is named once",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lifecycle.Config{Validation: tt.cfg}.Validate()
			require.Error(t, err, tt.reason)
			var got []string
			for _, e := range err.(diag.List) {
				got = append(got, e.Path)
			}
			assert.ElementsMatch(t, tt.paths, got, tt.reason)
		})
	}
}

func TestJointValidation(t *testing.T) {
	day := ymd(2025, time.March, 3)
	joint := func(partner string, ours, theirs bool) lifecycle.Event {
		ev := validateEvent(day.AddDate(0, 0, 5), lifecycle.ValidationOnSite, ours, "plant-x")
		ev.Reasons = []string{"records reconcile with the monthly declaration"}
		ev.Validation.Joint = &lifecycle.JointValidation{Partner: partner, Team: []string{"inspector Y. Smit"}, Satisfied: theirs,
			Findings: []string{"cross-border authorisation used as granted"}}
		return ev
	}
	withPartners := lifecycle.Config{Validation: lifecycle.ValidationRules{Joint: lifecycle.JointRules{Partners: []string{"Customs of country Y"}}}}
	tests := []struct {
		name          string
		cfg           lifecycle.Config
		ev            func() lifecycle.Event
		wantRule      string
		wantErr       error
		wantSatisfied bool
		reason        string
	}{{
		name:     "not allowed",
		ev:       func() lifecycle.Event { return joint("Customs of country Y", true, true) },
		wantRule: "validation.joint", wantErr: lifecycle.ErrNotPermitted,
		reason: "a joint validation counts where the programme allows it",
	}, {
		name:     "another partner",
		cfg:      withPartners,
		ev:       func() lifecycle.Event { return joint("Customs of country Z", true, true) },
		wantRule: "validation.joint.partners", wantErr: lifecycle.ErrNotPermitted,
		reason: "only the partner administrations the programme names",
	}, {
		name: "partner's findings missing",
		cfg:  withPartners,
		ev: func() lifecycle.Event {
			ev := joint("Customs of country Y", true, true)
			ev.Validation.Joint.Findings = nil
			return ev
		},
		wantRule: "event.validation", wantErr: lifecycle.ErrInvalidEvent,
		reason: "both sides' findings are recorded",
	}, {
		name: "Customs' findings missing",
		cfg:  withPartners,
		ev: func() lifecycle.Event {
			ev := joint("Customs of country Y", true, true)
			ev.Reasons = nil
			return ev
		},
		wantRule: "reasons", wantErr: lifecycle.ErrNoReasons,
		reason: "both sides' findings are recorded",
	}, {
		name:          "both satisfied",
		cfg:           withPartners,
		ev:            func() lifecycle.Event { return joint("Customs of country Y", true, true) },
		wantSatisfied: true,
		reason:        "the site is satisfactory when both sides found it so",
	}, {
		name:   "the partner found a fault",
		cfg:    withPartners,
		ev:     func() lifecycle.Event { return joint("Customs of country Y", true, false) },
		reason: "a fault either side found leaves the site wanting",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMachine(t, tt.cfg)
			f := examinedWith(t, l, day, nil, "plant-x")
			err := f.try(tt.ev())
			if tt.wantRule != "" {
				requireRule(t, err, tt.wantErr, tt.wantRule, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			site := f.a.Validation.Sites[0]
			assert.Equal(t, "Customs of country Y", site.Partner, tt.reason)
			assert.Equal(t, tt.wantSatisfied, site.Satisfied, tt.reason)
			assert.Equal(t, tt.wantSatisfied, f.a.Validation.Complete, tt.reason)
			assert.Equal(t, tt.ev().Validation.Joint.Satisfied, site.PartnerSatisfied, "the partner's own finding is kept")
		})
	}
}

// capacityConfig weighs operators after Annex 4: MultiCom, a multinational
// with 5,000 staff and 200,000 declarations a year, takes 50-80% of its
// coordinator's time; ABC/XYZ, 40-50% beside 15 other clients.
func capacityConfig() lifecycle.Config {
	return lifecycle.Config{Coordinator: lifecycle.CoordinatorRules{
		Capacity:   100,
		Size:       []lifecycle.WeightBand{{Min: 0, Weight: 2}, {Min: 50, Weight: 5}, {Min: 250, Weight: 15}, {Min: 1000, Weight: 30}},
		Volume:     []lifecycle.WeightBand{{Min: 0, Weight: 1}, {Min: 10000, Weight: 8}, {Min: 100000, Weight: 15}},
		Complexity: map[string]float64{"simple": 0, "complex": 10, "multinational": 25},
	}}
}

func TestCoordinatorCapacity(t *testing.T) {
	day := ymd(2025, time.March, 3)
	multiCom := &lifecycle.Workload{Employees: intp(5000), Declarations: intp(200000), Complexity: "multinational"}
	assign := func(w *lifecycle.Workload, p *lifecycle.Portfolio) lifecycle.Event {
		ev := officerEvent(lifecycle.EventAssignCoordinator, day.AddDate(0, 0, 1))
		ev.Coordinator, ev.Workload, ev.Portfolio = "officer Visser", w, p
		return ev
	}
	tests := []struct {
		name       string
		ev         lifecycle.Event
		wantErr    error
		wantWeight float64
		reason     string
	}{{
		name:       "room in the portfolio",
		ev:         assign(multiCom, &lifecycle.Portfolio{Load: 20, Operators: 2}),
		wantWeight: 70,
		reason:     "MultiCom weighs 30 + 15 + 25 = 70 and the coordinator carries 20",
	}, {
		name:    "overloaded",
		ev:      assign(multiCom, &lifecycle.Portfolio{Load: 48, Operators: 16}),
		wantErr: lifecycle.ErrOverloaded,
		reason:  "48 + 70 exceeds the capacity of 100: the assignment is refused",
	}, {
		name:    "no workload",
		ev:      assign(nil, &lifecycle.Portfolio{}),
		wantErr: lifecycle.ErrInvalidEvent,
		reason:  "under a capacity the operator must be weighed",
	}, {
		name:    "workload incomplete",
		ev:      assign(&lifecycle.Workload{Employees: intp(12), Complexity: "simple"}, &lifecycle.Portfolio{}),
		wantErr: lifecycle.ErrInvalidEvent,
		reason:  "fail closed: volume unknown, the weight is unknown",
	}, {
		name:    "unknown complexity",
		ev:      assign(&lifecycle.Workload{Employees: intp(12), Declarations: intp(10), Complexity: "tricky"}, &lifecycle.Portfolio{}),
		wantErr: lifecycle.ErrInvalidEvent,
		reason:  "a class of complexity the programme does not weigh",
	}, {
		name:    "no portfolio",
		ev:      assign(multiCom, nil),
		wantErr: lifecycle.ErrInvalidEvent,
		reason:  "the host passes the coordinator's portfolio in; without it the capacity cannot be checked",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMachine(t, capacityConfig())
			f := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
			err := f.try(tt.ev)
			if tt.wantErr != nil {
				requireRule(t, err, tt.wantErr, "coordinator.capacity", tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.InDelta(t, tt.wantWeight, f.a.Coordinator.Weight, 1e-9, tt.reason)
		})
	}

	t.Run("portfolio and rotation", func(t *testing.T) {
		l := newMachine(t, capacityConfig())
		abc := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).
			do(assign(&lifecycle.Workload{Employees: intp(1200), Declarations: intp(40000), Complexity: "complex"}, &lifecycle.Portfolio{}))
		refused := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
		refused.a.Status = lifecycle.StatusRefused // a closed file counts in no portfolio
		refused.a.Coordinator = &lifecycle.ClientCoordinator{Officer: "officer Visser", Weight: 50}
		cases := []lifecycle.Case{{Operator: "ABC", State: abc.a}, {Operator: "OLD", State: refused.a}}
		p := l.Portfolio(cases, "officer Visser")
		assert.Equal(t, lifecycle.Portfolio{Load: 48, Operators: 1}, p, "ABC/XYZ weighs 30 + 8 + 10; the refused file is not in the portfolio")

		multi := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(assign(multiCom, &lifecycle.Portfolio{}))
		rotate := officerEvent(lifecycle.EventRotateCoordinator, day.AddDate(0, 0, 2))
		rotate.Coordinator, rotate.Workload, rotate.Portfolio = "officer Visser", multiCom, &p
		multi.a.Coordinator.Officer = "officer Jansen"
		requireRule(t, multi.try(rotate), lifecycle.ErrOverloaded, "coordinator.capacity", "rotating MultiCom to ABC/XYZ's coordinator would exceed the capacity")
	})
}

func TestCoordinatorConfig(t *testing.T) {
	tests := []struct {
		name   string
		cfg    lifecycle.CoordinatorRules
		paths  []string
		reason string
	}{{
		name:   "capacity without weights",
		cfg:    lifecycle.CoordinatorRules{Capacity: 100},
		paths:  []string{"coordinator.capacity"},
		reason: "a capacity is measured in weights",
	}, {
		name:   "weights without capacity",
		cfg:    lifecycle.CoordinatorRules{Complexity: map[string]float64{"simple": 1}},
		paths:  []string{"coordinator"},
		reason: "weights limit nothing without a capacity",
	}, {
		name: "bands out of order",
		cfg: lifecycle.CoordinatorRules{Capacity: 100, Size: []lifecycle.WeightBand{{Min: 10, Weight: 1}, {Min: 5, Weight: -2}},
			Complexity: map[string]float64{"odd": -1}},
		paths:  []string{"coordinator.size[0].min", "coordinator.size[1].min", "coordinator.size[1].weight", "coordinator.complexity.odd"},
		reason: "bands start at 0 and go up, weights are not negative",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := lifecycle.Config{Coordinator: tt.cfg}.Validate()
			require.Error(t, err, tt.reason)
			var got []string
			for _, e := range err.(diag.List) {
				got = append(got, e.Path)
			}
			assert.ElementsMatch(t, tt.paths, got, tt.reason)
		})
	}
}

func TestIssues(t *testing.T) {
	day := ymd(2025, time.March, 3)
	l := newMachine(t, lifecycle.Config{Issues: lifecycle.IssueRules{AcknowledgeWithin: calendar.Period{Days: 5}, AnswerWithin: calendar.Period{Days: 30}}})
	issue := func(k lifecycle.EventKind, at time.Time, id string, reasons ...string) lifecycle.Event {
		ev := officerEvent(k, at)
		if k == lifecycle.EventRaiseIssue {
			ev = operatorEvent(k, at)
		}
		ev.Issue, ev.Reasons = id, reasons
		return ev
	}
	f := startFlow(t, l)
	requireRule(t, f.try(issue(lifecycle.EventRaiseIssue, day, "Q-1", "?")), lifecycle.ErrInvalidTransition, "transition",
		"an operator that has lodged nothing has no file to raise an issue on")
	f.do(lodgeEvent(day, "", "AEO"))
	requireRule(t, f.try(issue(lifecycle.EventRaiseIssue, day, "Q-1")), lifecycle.ErrNoReasons, "reasons", "an issue is stated")
	requireRule(t, f.try(issue(lifecycle.EventRaiseIssue, day, "", "?")), lifecycle.ErrInvalidEvent, "event.issue", "an issue has a reference")
	f.do(issue(lifecycle.EventRaiseIssue, day, "Q-1", "which office clears our monthly declaration?"))
	requireRule(t, f.try(issue(lifecycle.EventRaiseIssue, day, "Q-1", "again")), lifecycle.ErrInvalidTransition, "issue-open", "one issue, one reference")

	due := l.Due(f.a, day.AddDate(0, 0, 6))
	require.Len(t, due, 2)
	assert.Equal(t, lifecycle.DueIssueAcknowledgement, due[0].Kind)
	assert.Equal(t, dateAt(2025, time.March, 8), due[0].Due)
	assert.True(t, due[0].Overdue, "acknowledgement was due within 5 days")
	assert.Equal(t, "Q-1", due[0].Issue)
	assert.Equal(t, lifecycle.DueIssueAnswer, due[1].Kind)
	assert.Equal(t, "issues.answer_within", due[1].Rule)
	assert.Equal(t, dateAt(2025, time.April, 2), due[1].Due)

	f.do(issue(lifecycle.EventAcknowledgeIssue, day.AddDate(0, 0, 2), "Q-1"))
	requireRule(t, f.try(issue(lifecycle.EventAcknowledgeIssue, day.AddDate(0, 0, 2), "Q-1")), lifecycle.ErrInvalidTransition, "issue-acknowledged", "acknowledged once")
	requireRule(t, f.try(issue(lifecycle.EventCloseIssue, day.AddDate(0, 0, 3), "Q-1", "done")), lifecycle.ErrInvalidTransition, "issue-answered",
		"an issue is answered before it is closed")
	requireRule(t, f.try(issue(lifecycle.EventAnswerIssue, day.AddDate(0, 0, 3), "Q-2", "x")), lifecycle.ErrInvalidTransition, "issue-open", "no such issue")
	f.do(issue(lifecycle.EventAnswerIssue, day.AddDate(0, 0, 10), "Q-1", "the office of the region where the goods are kept"))
	assert.Empty(t, l.Due(f.a, day.AddDate(0, 0, 10)), "answered: nothing is due")
	f.do(issue(lifecycle.EventCloseIssue, day.AddDate(0, 0, 12), "Q-1", "the operator confirmed the answer by letter"))
	assert.Empty(t, f.a.Issues, "a closed issue leaves the state; the trail keeps it")
	assert.Len(t, f.recs, 5)
}

func TestControlCycle(t *testing.T) {
	day := ymd(2025, time.March, 3)
	cfg := lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{
		Within:         map[string]calendar.Period{"trader_file": {Days: 30}, "analysis": {Days: 20}, "reanalysis": {Days: 14}},
		ChangedControl: calendar.Period{Months: 3},
		Repeat:         calendar.Period{Years: 1},
		Skip:           []lifecycle.ControlStep{lifecycle.StepFileProcessed},
	}}
	l := newMachine(t, cfg)
	step := func(at time.Time, s lifecycle.ControlStep, evidence ...string) lifecycle.Event {
		ev := officerEvent(lifecycle.EventControlStep, at)
		ev.Step, ev.Evidence = s, evidence
		return ev
	}
	f := authorizedFlow(t, l, day, "", "AEO")
	granted := f.a.DecidedAt
	due := l.Due(f.a, granted)
	require.Len(t, due, 1, "the grant puts the trader's file on the work queue")
	assert.Equal(t, lifecycle.DueControlStep, due[0].Kind)
	assert.Equal(t, lifecycle.StepTraderFile, due[0].Step)
	assert.Equal(t, "control_cycle.within.trader_file", due[0].Rule)
	assert.Equal(t, dateAt(2025, time.April, 17), due[0].Due)

	at := granted.AddDate(0, 0, 3)
	requireRule(t, f.try(step(at, lifecycle.StepAnalysis)), lifecycle.ErrInvalidTransition, "control-cycle-order", "a cycle starts with the trader's file")
	f.do(step(at, lifecycle.StepTraderFile, "TT-file 2025/17"))
	assert.Equal(t, 1, f.a.Control.Cycle)
	due = l.Due(f.a, at)
	require.Len(t, due, 1)
	assert.Equal(t, lifecycle.StepAnalysis, due[0].Step)
	assert.Equal(t, dateAt(2025, time.April, 10), due[0].Due, "analysis within 20 days of the file")

	requireRule(t, f.try(step(at, lifecycle.StepFileProcessed)), lifecycle.ErrInvalidEvent, "control_cycle.skip", "the programme skips step 3")
	requireRule(t, f.try(step(at, lifecycle.StepAuditPrepared)), lifecycle.ErrInvalidTransition, "control-cycle-order", "steps come in order")
	f.do(step(at.AddDate(0, 0, 5), lifecycle.StepAnalysis))
	assert.Equal(t, lifecycle.StepControlChanged, f.a.Control.Next, "step 3 is skipped")
	f.do(step(at.AddDate(0, 0, 6), lifecycle.StepControlChanged))
	due = l.Due(f.a, at.AddDate(0, 0, 6))
	require.Len(t, due, 1)
	assert.Equal(t, lifecycle.StepReanalysis, due[0].Step)
	assert.Equal(t, dateAt(2025, time.June, 28), due[0].From, "the re-analysis opens after three months of changed controls")
	assert.Equal(t, dateAt(2025, time.July, 11), due[0].Due, "and is due 14 days after they end")
	requireRule(t, f.try(step(at.AddDate(0, 1, 0), lifecycle.StepReanalysis)), lifecycle.ErrEarly, "control_cycle.changed_control",
		"Annex 3: the changed method runs three months before it is re-analysed")

	at = dateAt(2025, time.August, 1)
	f.do(step(at, lifecycle.StepReanalysis)).do(step(at, lifecycle.StepAuditPrepared))
	requireRule(t, f.try(step(at, lifecycle.StepAuditDone)), lifecycle.ErrNoReasons, "evidence", "the audit's report is its evidence")
	f.do(step(at, lifecycle.StepAuditDone, "audit report 2025-44")).do(step(at.AddDate(0, 0, 7), lifecycle.StepAuditDone, "partial audit report 2025-51"))
	f.do(step(at.AddDate(0, 0, 8), lifecycle.StepAuditReport)).do(step(at.AddDate(0, 0, 9), lifecycle.StepControlProgramme)).
		do(step(at.AddDate(0, 0, 10), lifecycle.StepTreatmentPlan))
	assert.Len(t, f.a.Control.Steps, 10, "ten steps recorded: step 3 skipped, step 7 twice")
	due = l.Due(f.a, at.AddDate(0, 0, 10))
	require.Len(t, due, 1)
	assert.Equal(t, "control_cycle.repeat", due[0].Rule)
	assert.Equal(t, lifecycle.StepTraderFile, due[0].Step)
	assert.Equal(t, dateAt(2026, time.August, 11), due[0].Due, "the ten steps regularly repeated: a year after the plan")

	f.do(step(at.AddDate(0, 2, 0), lifecycle.StepTraderFile))
	assert.Equal(t, 2, f.a.Control.Cycle)
	assert.Len(t, f.a.Control.Steps, 1, "a new cycle starts its own steps; the trail keeps the old ones")
	f.do(step(at.AddDate(0, 2, 1), lifecycle.StepAnalysis))
	requireRule(t, f.try(step(at.AddDate(0, 2, 2), lifecycle.StepTraderFile)), lifecycle.ErrNoReasons, "reasons",
		"a cycle restarted before its plan of treatment says why")
	restart := withReasons(step(at.AddDate(0, 2, 2), lifecycle.StepTraderFile), "the trader started excise warehousing")
	f.do(restart)
	assert.Equal(t, 3, f.a.Control.Cycle)
}

func TestQueue(t *testing.T) {
	day := ymd(2025, time.March, 3)
	cfg := capacityConfig()
	cfg.DecisionDeadline = calendar.Period{Days: 120}
	cfg.Issues = lifecycle.IssueRules{AcknowledgeWithin: calendar.Period{Days: 5}, AnswerWithin: calendar.Period{Days: 30}}
	cfg.ControlCycle = lifecycle.ControlCycleRules{Within: map[string]calendar.Period{"trader_file": {Days: 30}, "analysis": {Days: 20}}}
	l := newMachine(t, cfg)
	assign := func(at time.Time, officer string, w lifecycle.Workload, cases []lifecycle.Case) lifecycle.Event {
		ev := officerEvent(lifecycle.EventAssignCoordinator, at)
		p := l.Portfolio(cases, officer)
		ev.Coordinator, ev.Workload, ev.Portfolio = officer, &w, &p
		return ev
	}
	var cases []lifecycle.Case
	add := func(op string, f *flow) { cases = append(cases, lifecycle.Case{Operator: op, State: f.a}) }

	multi := authorizedFlow(t, l, day, "", "AEO")
	multi.do(assign(day.AddDate(0, 0, 16), "officer Visser", lifecycle.Workload{Employees: intp(5000), Declarations: intp(200000), Complexity: "multinational"}, cases))
	add("MULTICOM", multi)
	abc := authorizedFlow(t, l, day, "", "AEO")
	abc.do(assign(day.AddDate(0, 0, 16), "officer Jansen", lifecycle.Workload{Employees: intp(1200), Declarations: intp(40000), Complexity: "complex"}, cases))
	step := officerEvent(lifecycle.EventControlStep, day.AddDate(0, 0, 20))
	step.Step = lifecycle.StepTraderFile
	abc.do(step)
	add("ABCXYZ", abc)
	small := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day.AddDate(0, 0, 2)))
	small.do(assign(day.AddDate(0, 0, 3), "officer Jansen", lifecycle.Workload{Employees: intp(12), Declarations: intp(300), Complexity: "simple"}, cases))
	raise := operatorEvent(lifecycle.EventRaiseIssue, day.AddDate(0, 0, 4))
	raise.Issue, raise.Reasons = "Q-7", []string{"can we lodge the application documents electronically?"}
	small.do(raise)
	add("SMALLCO", small)
	add("NEWCO", startFlow(t, l).do(lodgeEvent(day.AddDate(0, 0, 30), "", "AEO")))

	q := l.Queue(cases, day.AddDate(0, 0, 40))
	require.Len(t, q.Coordinators, 2)
	assert.Equal(t, "officer Jansen", q.Coordinators[0].Officer)
	assert.InDelta(t, 48+3, q.Coordinators[0].Load, 1e-9, "ABC/XYZ 48, SmallCo 2 + 1 + 0")
	assert.Equal(t, []string{"ABCXYZ", "SMALLCO"}, q.Coordinators[0].Operators)
	assert.InDelta(t, 70, q.Coordinators[1].Load, 1e-9)
	assert.Equal(t, []string{"NEWCO"}, q.Unassigned)
	require.Len(t, q.Cycles, 2)

	checkGolden(t, "queue.txt", q.Text())
}
