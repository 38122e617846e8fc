package lifecycle_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/lifecycle"
)

// Tests of checks the other tests pass by: the bounds of a period part by
// part, the grounds and the treatment cycle's rules in the programme file,
// the order of items alike in date and kind, and walking a trail.

// problems returns "path: message" for each problem of cfg, or nil.
func problems(t *testing.T, cfg lifecycle.Config) []string {
	t.Helper()
	err := cfg.Validate()
	if err == nil {
		return nil
	}
	var list diag.List
	require.True(t, errors.As(err, &list), "Validate returns a diag.List, got %T", err)
	var out []string
	for _, e := range list {
		out = append(out, e.Path+": "+e.Message)
	}
	return out
}

func TestPeriodBoundsPartByPart(t *testing.T) {
	const maxDays = 366 * lifecycle.MaxPeriodYears
	tests := []struct {
		name   string
		p      calendar.Period
		ok     bool
		reason string
	}{
		{"years at the bound", calendar.Period{Years: lifecycle.MaxPeriodYears}, true, "200 years is the longest period"},
		{"a century in months", calendar.Period{Months: 1200}, true, "100 years written in months"},
		{"months over the bound", calendar.Period{Months: 12*lifecycle.MaxPeriodYears + 1}, false, "a month more than 200 years"},
		{"days at the bound", calendar.Period{Days: maxDays}, true, "200 years of 366 days"},
		{"days over the bound", calendar.Period{Days: maxDays + 1}, false, "a day more than the bound"},
		{"working days at the bound", calendar.Period{WorkingDays: maxDays}, true, "working days are bounded as days are"},
		{"working days over the bound", calendar.Period{WorkingDays: maxDays + 1}, false, "a working day more than the bound"},
		{"years and days at the bound", calendar.Period{Years: 100, Days: 366 * 100}, true, "parts adding up to the bound"},
		{"years and days over the bound", calendar.Period{Years: 100, Days: 366*100 + 1}, false, "parts adding up to a day more"},
		{"months and working days over the bound", calendar.Period{Months: 12 * 100, WorkingDays: 366 * 100}, false,
			"1200 months count as 1200 × 31 days, more than 100 years of 366 days"},
		{"months and working days at the bound", calendar.Period{Months: 100, WorkingDays: maxDays - 31*100}, true,
			"100 months of 31 days and the rest in working days reach the bound exactly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, lifecycle.Config{Suspension: lifecycle.SuspensionRules{Period: tt.p}})
			if tt.ok {
				assert.Empty(t, got, tt.reason)
				return
			}
			want := []string{"suspension.period: period " + tt.p.String() + " is longer than 200 years"}
			assert.Equal(t, want, got, tt.reason)
		})
	}
}

func TestConfigChecks(t *testing.T) {
	tests := []struct {
		name   string
		cfg    lifecycle.Config
		want   []string
		reason string
	}{{
		name:   "every site in the sample",
		cfg:    lifecycle.Config{Validation: lifecycle.ValidationRules{SampleMinimum: 0, SamplePercent: 100}},
		reason: "100 per cent is the largest share: every site is validated",
	}, {
		name:   "more than every site",
		cfg:    lifecycle.Config{Validation: lifecycle.ValidationRules{SamplePercent: 101}},
		want:   []string{"validation.sample_percent: must be between 0 and 100, got 101"},
		reason: "a share of the sites is at most all of them",
	}, {
		name:   "a negative share",
		cfg:    lifecycle.Config{Validation: lifecycle.ValidationRules{SampleMinimum: 1, SamplePercent: -1}},
		want:   []string{"validation.sample_percent: must be between 0 and 100, got -1"},
		reason: "a share below 0 is no share",
	}, {
		name: "a stage listed twice",
		cfg: lifecycle.Config{Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{
			{Stage: lifecycle.StageCustomsReview}, {Stage: lifecycle.StageCustomsReview},
		}}},
		want:   []string{"appeal.stages[1].stage: customs_review must come before customs_review; list each stage once"},
		reason: "RKC Chapter 10: each stage once, in order",
	}, {
		name: "a stage beyond the last",
		cfg: lifecycle.Config{Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{
			{Stage: lifecycle.StageJudicial}, {Stage: lifecycle.StageInformalReview + 1},
		}}},
		want:   []string{"appeal.stages[1].stage: want one of request_reasons, customs_review, independent_review, judicial"},
		reason: "a stage number no stage has is refused, not ordered",
	}, {
		name: "a negative time for a known step",
		cfg: lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{
			Within: map[string]calendar.Period{"trader_file": {Days: 30}, "treatment_plan": {Days: -1}},
		}},
		want:   []string{"control_cycle.within.treatment_plan: period -1d is negative"},
		reason: "the time of each step is checked, the last step's too",
	}, {
		name: "grounds stated with their sources",
		cfg: lifecycle.Config{Grounds: lifecycle.GroundRules{
			Suspension: []lifecycle.Ground{{Text: "the holder no longer meets a criterion", Source: "UCC Art 16"}},
			Revocation: []lifecycle.Ground{{Text: "fraud", Source: "UCC Art 28"}},
		}},
		reason: "a ground in words the operator can read, with its legal source, is what the public document needs",
	}, {
		name: "grounds without text or source",
		cfg: lifecycle.Config{Grounds: lifecycle.GroundRules{
			Suspension: []lifecycle.Ground{{Text: "fine", Source: "UCC"}, {Text: " ", Source: "UCC Art 16"}},
			Revocation: []lifecycle.Ground{{Text: "fraud", Source: "\t"}, {}},
		}},
		want: []string{
			"grounds.suspension[1].text: state the ground",
			"grounds.revocation[0].source: a ground needs its legal source",
			"grounds.revocation[1].text: state the ground",
			"grounds.revocation[1].source: a ground needs its legal source",
		},
		reason: "a ground no one can read, or one with no law behind it, cannot be published",
	}, {
		name: "a time for an unknown step",
		cfg: lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{
			Within: map[string]calendar.Period{"analysis": {Days: 20}, "audit": {Days: 10}},
		}},
		want:   []string{`control_cycle.within.audit: unknown step "audit"; want one of trader_file, analysis`},
		reason: "a misspelt step would set no deadline at all",
	}, {
		name: "a negative time for an unknown step",
		cfg: lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{
			Within: map[string]calendar.Period{"audit": {Days: -1}},
		}},
		want: []string{
			"control_cycle.within.audit: period -1d is negative",
			`control_cycle.within.audit: unknown step "audit"`,
		},
		reason: "the period under an unknown key is checked as a period too",
	}, {
		name: "skips",
		cfg: lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{
			Within:         map[string]calendar.Period{"audit_prepared": {Days: 10}},
			ChangedControl: calendar.Period{Months: 3},
			Skip: []lifecycle.ControlStep{
				lifecycle.StepAuditPrepared, lifecycle.StepNone, lifecycle.StepTraderFile, lifecycle.StepTreatmentPlan,
				lifecycle.StepAuditPrepared, lifecycle.StepControlChanged,
			},
		}},
		want: []string{
			"control_cycle.within.audit_prepared: a time for audit_prepared, which control_cycle.skip skips",
			"control_cycle.skip[1]: want one of trader_file",
			"control_cycle.skip[2]: trader_file opens or closes the cycle and cannot be skipped",
			"control_cycle.skip[3]: treatment_plan opens or closes the cycle and cannot be skipped",
			"control_cycle.skip[4]: audit_prepared listed twice",
			"control_cycle.within.audit_prepared: a time for audit_prepared, which control_cycle.skip skips",
			"control_cycle.changed_control: a period for the changed method of control, which control_cycle.skip skips",
		},
		reason: "the cycle opens with the trader's file and closes with the plan of treatment; a skipped step has no time",
	}, {
		name: "the last step and beyond",
		cfg: lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{
			Skip: []lifecycle.ControlStep{lifecycle.StepControlProgramme, lifecycle.StepTreatmentPlan + 1},
		}},
		want:   []string{"control_cycle.skip[1]: want one of trader_file"},
		reason: "the step after the last is no step; the one before the plan may be skipped",
	}, {
		name: "coordinator bands",
		cfg: lifecycle.Config{Coordinator: lifecycle.CoordinatorRules{Capacity: 100, Size: []lifecycle.WeightBand{
			{Min: 0, Weight: 1}, {Min: math.NaN(), Weight: 2}, {Min: -5, Weight: 3}, {Min: 10, Weight: 0}, {Min: 10, Weight: 4},
		}}},
		want: []string{
			"coordinator.size[1].min: must be a finite number of 0 or more",
			"coordinator.size[1].min: bands go up",
			"coordinator.size[2].min: must be a finite number of 0 or more",
			"coordinator.size[2].min: bands go up",
			"coordinator.size[4].min: bands go up: 10 is not above 10",
		},
		reason: "a band's lower bound is a finite number of 0 or more, above the one before; a weight of 0 is allowed",
	}, {
		name: "coordinator capacity not finite",
		cfg: lifecycle.Config{Coordinator: lifecycle.CoordinatorRules{Capacity: math.Inf(1),
			Complexity: map[string]float64{"simple": 1}}},
		want:   []string{"coordinator.capacity: must be a finite number of 0 or more"},
		reason: "an infinite capacity limits nothing",
	}, {
		name: "coordinator capacity with weights",
		cfg: lifecycle.Config{Coordinator: lifecycle.CoordinatorRules{Capacity: 0.5,
			Complexity: map[string]float64{"simple": 1}}},
		reason: "a capacity below one weight is still a capacity",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.cfg)
			require.Len(t, got, len(tt.want), "%s\n%s", tt.reason, strings.Join(got, "\n"))
			for i, w := range tt.want {
				assert.True(t, strings.HasPrefix(got[i], w), "problem %d is %q, want it to start %q; %s", i, got[i], w, tt.reason)
			}
		})
	}
}

func TestDueOrderOfItemsAlike(t *testing.T) {
	day := ymd(2025, 3, 3)
	at := day.AddDate(0, 1, 0)

	t.Run("kinds due the same day", func(t *testing.T) {
		l := newMachine(t, lifecycle.Config{
			Revalidation: lifecycle.RevalidationRules{Cycle: calendar.Years(1)},
			Monitoring:   lifecycle.MonitoringRules{SelfAssessment: calendar.Years(1), SpotCheck: calendar.Years(1)},
		})
		f := authorizedFlow(t, l, day, "", "AEOS")
		due := calendar.Date(day.AddDate(1, 0, 15))
		want := []lifecycle.DueItem{
			{Kind: lifecycle.DueRevalidation, Rule: "revalidation.cycle", Due: due},
			{Kind: lifecycle.DueSelfAssessment, Rule: "monitoring.self_assessment", Due: due},
			{Kind: lifecycle.DueSpotCheck, Rule: "monitoring.spot_check", Due: due},
		}
		if diff := cmp.Diff(want, l.Due(f.a, at)); diff != "" {
			t.Errorf("items due the same day are listed by kind (-want +got):\n%s", diff)
		}
	})

	t.Run("consent notices by partner", func(t *testing.T) {
		l := newPartnerMachine(t, lifecycle.Config{})
		f := authorizedFlow(t, l, day, "", "AEOS")
		f.do(consentEvent(lifecycle.EventGiveConsent, at, "US")).
			do(consentEvent(lifecycle.EventGiveConsent, at, "PL")).
			do(exportEvent(at, []string{"XX/OP-1#5"}, "US", "PL")).
			do(consentEvent(lifecycle.EventWithdrawConsent, at.AddDate(0, 0, 1)))
		want := []lifecycle.DueItem{
			{Kind: lifecycle.DueConsentNotice, Rule: "consent", Due: calendar.Date(at.AddDate(0, 0, 1)), Partner: "PL"},
			{Kind: lifecycle.DueConsentNotice, Rule: "consent", Due: calendar.Date(at.AddDate(0, 0, 1)), Partner: "US"},
		}
		if diff := cmp.Diff(want, l.Due(f.a, at.AddDate(0, 0, 1))); diff != "" {
			t.Errorf("notices alike in date and kind are listed by partner (-want +got):\n%s", diff)
		}
	})

	t.Run("reassessments by change", func(t *testing.T) {
		l := newMachine(t, lifecycle.Config{Changes: lifecycle.ChangeRules{ReassessWithin: calendar.Period{Days: 60}}})
		f := authorizedFlow(t, l, day, "", "AEOS")
		f.do(notifyEvent(at, lifecycle.Change{Kind: "new_site"}, lifecycle.Change{Kind: "business_model"}))
		due := calendar.Date(at.AddDate(0, 0, 60))
		want := []lifecycle.DueItem{
			{Kind: lifecycle.DueReassessment, Rule: "changes.reassess_within", Due: due, Change: "business_model"},
			{Kind: lifecycle.DueReassessment, Rule: "changes.reassess_within", Due: due, Change: "new_site"},
		}
		if diff := cmp.Diff(want, l.Due(f.a, at)); diff != "" {
			t.Errorf("reassessments alike in date are listed by change, not in the order notified (-want +got):\n%s", diff)
		}
	})

	t.Run("issues by reference", func(t *testing.T) {
		l := newMachine(t, lifecycle.Config{Issues: lifecycle.IssueRules{AcknowledgeWithin: calendar.Period{Days: 5}}})
		f := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
		for _, id := range []string{"Q-2", "Q-1"} {
			ev := withReasons(operatorEvent(lifecycle.EventRaiseIssue, day), "which office clears our declarations?")
			ev.Issue = id
			f.do(ev)
		}
		due := dateAt(2025, time.March, 8)
		want := []lifecycle.DueItem{
			{Kind: lifecycle.DueIssueAcknowledgement, Rule: "issues.acknowledge_within", Due: due, Issue: "Q-1"},
			{Kind: lifecycle.DueIssueAcknowledgement, Rule: "issues.acknowledge_within", Due: due, Issue: "Q-2"},
		}
		if diff := cmp.Diff(want, l.Due(f.a, day)); diff != "" {
			t.Errorf("acknowledgements alike in date are listed by issue (-want +got):\n%s", diff)
		}
	})
}

func TestIssueNamed(t *testing.T) {
	day := ymd(2025, time.March, 3)
	l := newMachine(t, lifecycle.Config{Issues: lifecycle.IssueRules{AnswerWithin: calendar.Period{Days: 30}}})
	f := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
	raise := withReasons(operatorEvent(lifecycle.EventRaiseIssue, day), "may we lodge electronically?")
	raise.Issue = "Q-1"
	f.do(raise)
	for _, k := range []lifecycle.EventKind{lifecycle.EventAcknowledgeIssue, lifecycle.EventAnswerIssue, lifecycle.EventCloseIssue} {
		for _, id := range []string{"", "  "} {
			ev := withReasons(officerEvent(k, day.AddDate(0, 0, 1)), "answered by letter")
			ev.Issue = id
			requireRule(t, f.try(ev), lifecycle.ErrInvalidEvent, "event.issue", k.String()+" names the issue it acts on")
		}
	}
}

func TestNotifyChangeAgain(t *testing.T) {
	day := ymd(2025, 3, 3)
	at := day.AddDate(0, 1, 0)
	tests := []struct {
		name     string
		cfg      lifecycle.ChangeRules
		changes  [][]lifecycle.Change // one notification per entry
		want     []lifecycle.PendingChange
		wantDue  []lifecycle.DueItem
		reason   string
		asOfDays int
	}{{
		name:    "a listed kind with no deadline",
		cfg:     lifecycle.ChangeRules{Kinds: map[string]lifecycle.ChangeKind{"new_directors": {Requirements: []string{"A.1"}}}},
		changes: [][]lifecycle.Change{{{Kind: "new_directors"}}},
		want: []lifecycle.PendingChange{{Kind: "new_directors", Notified: at, Seq: 4, Requirements: []string{"A.1"},
			Rule: "changes.kinds.new_directors"}},
		wantDue: []lifecycle.DueItem{{Kind: lifecycle.DueReassessment, Rule: "changes.kinds.new_directors",
			Due: calendar.Date(at), Change: "new_directors", Requirements: []string{"A.1"}}},
		asOfDays: 100,
		reason:   "with no deadline the reassessment is due from the notification, under the kind's own rule, and never overdue",
	}, {
		name:     "any kind, no deadline",
		changes:  [][]lifecycle.Change{{{Kind: "new_owner"}}},
		want:     []lifecycle.PendingChange{{Kind: "new_owner", Notified: at, Seq: 4, Rule: "changes"}},
		wantDue:  []lifecycle.DueItem{{Kind: lifecycle.DueReassessment, Rule: "changes", Due: calendar.Date(at), Change: "new_owner"}},
		asOfDays: 100,
		reason:   "a programme that lists no kinds takes any change, under the section's rule",
	}, {
		name: "the same kind notified again",
		cfg:  lifecycle.ChangeRules{ReassessWithin: calendar.Period{Days: 60}},
		changes: [][]lifecycle.Change{
			{{Kind: "new_site", Detail: "a warehouse"}, {Kind: "new_owner"}},
			{{Kind: "new_site", Detail: "a second warehouse"}},
		},
		want: []lifecycle.PendingChange{
			{Kind: "new_site", Detail: "a second warehouse", Notified: at.AddDate(0, 0, 10), Seq: 5,
				Due: calendar.Date(at.AddDate(0, 0, 70)), Rule: "changes.reassess_within"},
			{Kind: "new_owner", Notified: at, Seq: 4, Due: calendar.Date(at.AddDate(0, 0, 60)), Rule: "changes.reassess_within"},
		},
		wantDue: []lifecycle.DueItem{
			{Kind: lifecycle.DueReassessment, Rule: "changes.reassess_within", Due: calendar.Date(at.AddDate(0, 0, 60)), Change: "new_owner"},
			{Kind: lifecycle.DueReassessment, Rule: "changes.reassess_within", Due: calendar.Date(at.AddDate(0, 0, 70)), Change: "new_site"},
		},
		asOfDays: 10,
		reason:   "a second notification of a kind still open joins it: one reassessment, by the later deadline",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMachine(t, lifecycle.Config{Changes: tt.cfg})
			f := authorizedFlow(t, l, day, "", "AEOS")
			for i, chs := range tt.changes {
				f.do(notifyEvent(at.AddDate(0, 0, 10*i), chs...))
			}
			if diff := cmp.Diff(tt.want, f.a.Changes); diff != "" {
				t.Errorf("pending changes mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
			if diff := cmp.Diff(tt.wantDue, l.Due(f.a, at.AddDate(0, 0, tt.asOfDays))); diff != "" {
				t.Errorf("Due mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
		})
	}
}

func TestChangeString(t *testing.T) {
	tests := []struct {
		ch     lifecycle.Change
		want   string
		reason string
	}{
		{lifecycle.Change{Kind: "new_site"}, "new_site", "a change without detail is its kind"},
		{lifecycle.Change{Kind: "new_site", Detail: "a bonded warehouse"}, "new_site (a bonded warehouse)", "the detail follows in brackets"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.ch.String(), tt.reason)
	}
}

func TestWalk(t *testing.T) {
	f := sampleHistory(t)
	states, err := f.l.ReplayStates(f.recs)
	require.NoError(t, err)

	var seen []lifecycle.Record
	var befores, afters []lifecycle.Authorization
	visit := func(r lifecycle.Record, before, after lifecycle.Authorization) {
		seen = append(seen, r)
		befores = append(befores, before)
		afters = append(afters, after)
	}
	got, err := f.l.Walk(f.recs, visit)
	require.NoError(t, err)
	if diff := cmp.Diff(f.a, got); diff != "" {
		t.Errorf("Walk ends where the live state is (-live +walked):\n%s", diff)
	}
	if diff := cmp.Diff([]lifecycle.Record(f.recs), seen); diff != "" {
		t.Errorf("visit is called with each record, in order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(states, afters); diff != "" {
		t.Errorf("the state after each record is the replayed one (-want +got):\n%s", diff)
	}
	wantBefore := append([]lifecycle.Authorization{{}}, states[:len(states)-1]...)
	if diff := cmp.Diff(wantBefore, befores); diff != "" {
		t.Errorf("the state before each record is the one after the record before it (-want +got):\n%s", diff)
	}

	got, err = lifecycle.WalkVersions(f.recs, func(string) *lifecycle.Machine { return f.l }, nil)
	require.NoError(t, err, "a walk without a visitor is a replay")
	if diff := cmp.Diff(f.a, got); diff != "" {
		t.Errorf("WalkVersions without a visitor mismatch (-live +walked):\n%s", diff)
	}

	forged := copyRecords(f.recs)
	forged[7].To = lifecycle.StatusSuspended
	forged = rechain(t, forged)
	seen = nil
	_, err = f.l.Walk(forged, visit)
	require.ErrorIs(t, err, lifecycle.ErrReplayMismatch, "a walk verifies the trail as Replay does")
	assert.Len(t, seen, 7, "the records before the forged one are visited")
}

func TestOmissionOfAcceptance(t *testing.T) {
	l := machineFor(t, "gcc") // acceptance_deadline: 30d
	day := ymd(2025, time.January, 10)
	tests := []struct {
		name   string
		at     time.Time
		accept bool
		ok     bool
		reason string
	}{
		{"on the last day", ymd(2025, time.February, 9), false, false, "on the 30th day the application may still be accepted"},
		{"the day after", ymd(2025, time.February, 10), false, true, "RKC 10.2: an application left unaccepted past the deadline is an appealable omission"},
		{"accepted in time", ymd(2025, time.February, 10), true, false, "once accepted, acceptance is no longer owed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
			if tt.accept {
				f.do(acceptEvent(day.AddDate(0, 0, 3)))
			}
			err := f.try(appealEvent(tt.at, lifecycle.StageCustomsReview, lifecycle.DecisionOmission))
			if !tt.ok {
				requireRule(t, err, lifecycle.ErrInvalidTransition, "nothing-to-appeal", tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, lifecycle.DecisionOmission, f.a.Appeal.Decision.Kind, tt.reason)
			assert.Equal(t, dateAt(2025, time.February, 9), f.a.Appeal.Decision.At, "the omission dates from the missed deadline")
		})
	}
}

func TestWeight(t *testing.T) {
	l := newMachine(t, capacityConfig())
	tests := []struct {
		name    string
		w       lifecycle.Workload
		want    float64
		wantErr string
		reason  string
	}{
		{"smallest", lifecycle.Workload{Employees: intp(0), Declarations: intp(0), Complexity: "simple"}, 2 + 1 + 0,
			"", "no employees and no declarations fall in the first bands, which start at 0"},
		{"just below a band", lifecycle.Workload{Employees: intp(49), Declarations: intp(9999), Complexity: "complex"}, 2 + 1 + 10,
			"", "49 employees and 9,999 declarations stay in the first bands"},
		{"on a band's lower bound", lifecycle.Workload{Employees: intp(50), Declarations: intp(10000), Complexity: "complex"}, 5 + 8 + 10,
			"", "a band counts from its Min included"},
		{"top bands", lifecycle.Workload{Employees: intp(1000), Declarations: intp(100000), Complexity: "multinational"}, 30 + 15 + 25,
			"", "MultiCom's scale: 30 + 15 + 25"},
		{"negative employees", lifecycle.Workload{Employees: intp(-1), Declarations: intp(10), Complexity: "simple"}, 0,
			"the operator's workload gives no employees, which coordinator.capacity weighs", "a negative count is no count"},
		{"nothing known", lifecycle.Workload{Declarations: intp(-3)}, 0,
			"the operator's workload gives no employees, declarations, complexity, which coordinator.capacity weighs",
			"fail closed: every missing measure is named"},
		{"unknown complexity", lifecycle.Workload{Employees: intp(10), Declarations: intp(10), Complexity: "tricky"}, 0,
			`unknown complexity "tricky"; want one of complex, multinational, simple`, "a class the programme does not weigh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := l.Weight(tt.w)
			if tt.wantErr != "" {
				require.EqualError(t, err, tt.wantErr, tt.reason)
				assert.Zero(t, got, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.InDelta(t, tt.want, got, 1e-9, tt.reason)
		})
	}

	only := []struct {
		rules lifecycle.CoordinatorRules
		w     lifecycle.Workload
	}{
		{lifecycle.CoordinatorRules{Capacity: 10, Complexity: map[string]float64{"simple": 1}}, lifecycle.Workload{Complexity: "simple"}},
		{lifecycle.CoordinatorRules{Capacity: 10, Size: []lifecycle.WeightBand{{Weight: 1}}}, lifecycle.Workload{Employees: intp(5)}},
		{lifecycle.CoordinatorRules{Capacity: 10, Volume: []lifecycle.WeightBand{{Weight: 1}}}, lifecycle.Workload{Declarations: intp(5)}},
	}
	for _, o := range only {
		w, err := newMachine(t, lifecycle.Config{Coordinator: o.rules}).Weight(o.w)
		require.NoError(t, err, "a programme weighs only by the measures it sets, and asks for no other")
		assert.InDelta(t, 1, w, 1e-9)
	}

	none, err := newMachine(t, lifecycle.Config{}).Weight(lifecycle.Workload{})
	require.NoError(t, err, "a programme without a capacity weighs nothing")
	assert.Zero(t, none)
}

func TestCapacityLimit(t *testing.T) {
	day := ymd(2025, time.March, 3)
	w := &lifecycle.Workload{Employees: intp(1000), Declarations: intp(100000), Complexity: "multinational"} // 70
	// The allowance for rounding: an assignment overloads only beyond
	// capacity × (1 + 1e-12), counted as the engine counts it.
	capacity := 100.0
	edge := capacity * (1 + 1e-12)
	tests := []struct {
		name    string
		p       lifecycle.Portfolio
		wantErr error
		reason  string
	}{
		{"filled to capacity", lifecycle.Portfolio{Load: 30, Operators: 3}, nil, "30 + 70 is the capacity of 100, not beyond it"},
		{"just beyond capacity", lifecycle.Portfolio{Load: 30.5, Operators: 3}, lifecycle.ErrOverloaded, "30.5 + 70 exceeds 100"},
		{"within the rounding allowance", lifecycle.Portfolio{Load: edge - 70, Operators: 3}, nil,
			"weights are fractions whose sum may miss the capacity in the last digits: a load that reaches it within that allowance fits"},
		{"an empty portfolio", lifecycle.Portfolio{}, nil, "a coordinator with no operators yet"},
		{"negative load", lifecycle.Portfolio{Load: -1}, lifecycle.ErrInvalidEvent, "a load below 0 is no load"},
		{"negative operators", lifecycle.Portfolio{Load: 1, Operators: -1}, lifecycle.ErrInvalidEvent, "a count below 0 is no count"},
		{"load not a number", lifecycle.Portfolio{Load: math.NaN()}, lifecycle.ErrInvalidEvent, "NaN compares false with everything: refuse it"},
		{"infinite load", lifecycle.Portfolio{Load: math.Inf(-1)}, lifecycle.ErrInvalidEvent, "an infinite load is no load"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMachine(t, capacityConfig())
			f := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
			ev := officerEvent(lifecycle.EventAssignCoordinator, day.AddDate(0, 0, 1))
			p := tt.p
			ev.Coordinator, ev.Workload, ev.Portfolio = "officer Visser", w, &p
			err := f.try(ev)
			if tt.wantErr != nil {
				requireRule(t, err, tt.wantErr, "coordinator.capacity", tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.InDelta(t, 70, f.a.Coordinator.Weight, 1e-9, "the operator's weight is kept for the next snapshot")
		})
	}
}

func TestQueueText(t *testing.T) {
	asOf := dateAt(2025, time.April, 12)
	tests := []struct {
		name   string
		q      lifecycle.Queue
		want   string
		reason string
	}{{
		name:   "empty",
		q:      lifecycle.Queue{AsOf: asOf},
		want:   "Work queue as of 2025-04-12\n\nDue\n  nothing\n",
		reason: "an empty queue says so, and shows no empty sections",
	}, {
		name: "coordinators without capacity, mentoring, over capacity",
		q: lifecycle.Queue{AsOf: asOf, Coordinators: []lifecycle.CoordinatorLoad{
			{Officer: "officer Jansen", Mentoring: []string{"ABCXYZ"}},
			{Officer: "officer Smit", Operators: []string{"OP-1"}, Load: 0},
			{Officer: "officer Visser", Operators: []string{"A", "B"}, Mentoring: []string{"C"}, Load: 120, Capacity: 100, Over: true, Overdue: 1},
		}},
		want: "Work queue as of 2025-04-12\n\nCoordinators\n" +
			"  officer Jansen       load 0, 0 operator(s); mentoring ABCXYZ\n" +
			"  officer Smit         load 0, 1 operator(s): OP-1\n" +
			"  officer Visser       load 120 of 100 OVER CAPACITY, 2 operator(s): A, B; mentoring C; 1 overdue\n" +
			"\nDue\n  nothing\n",
		reason: "no capacity shows no limit; a mentor with no operators of its own lists whom it mentors; an overload is flagged",
	}, {
		name: "items and cycles",
		q: lifecycle.Queue{AsOf: asOf, Items: []lifecycle.QueueItem{
			{Operator: "OP-1", DueItem: lifecycle.DueItem{Kind: lifecycle.DueSuspensionEnd, Rule: "suspension.period", Type: "AEOS", Due: dateAt(2025, time.April, 1), Overdue: true}},
			{Operator: "OP-1", Officer: "officer Smit", DueItem: lifecycle.DueItem{Kind: lifecycle.DueIssueAnswer, Rule: "issues.answer_within", Issue: "Q-1", Due: dateAt(2025, time.April, 20)}},
			{Operator: "OP-2", DueItem: lifecycle.DueItem{Kind: lifecycle.DueControlStep, Rule: "control_cycle.repeat", Step: lifecycle.StepTraderFile, Due: dateAt(2025, time.May, 1)}},
			{Operator: "OP-3", DueItem: lifecycle.DueItem{Kind: lifecycle.DueConsentNotice, Rule: "consent", Partner: "PL", Due: dateAt(2025, time.May, 2)}},
		}, Cycles: []lifecycle.CycleStanding{
			{Operator: "OP-2", Cycle: 1, Last: lifecycle.StepTreatmentPlan, LastAt: dateAt(2025, time.March, 1), LastBy: "officer-a", Next: lifecycle.StepTraderFile, NextDue: dateAt(2025, time.May, 1)},
			{Operator: "OP-4", Cycle: 2, Last: lifecycle.StepAnalysis, LastAt: dateAt(2025, time.March, 2), LastBy: "officer-b"},
			{Operator: "OP-5", Next: lifecycle.StepTraderFile, Overdue: true},
		}},
		want: "Work queue as of 2025-04-12\n\nDue\n" +
			"! 2025-04-01  OP-1         suspension_end AEOS                -                    (suspension.period)\n" +
			"  2025-04-20  OP-1         issue_answer Q-1                   officer Smit         (issues.answer_within)\n" +
			"  2025-05-01  OP-2         control_step trader_file           -                    (control_cycle.repeat)\n" +
			"  2025-05-02  OP-3         consent_notice                     -                    (consent)\n" +
			"\nTreatment cycle\n" +
			"  OP-2         cycle 1, step 10 treatment_plan on 2025-03-01 by officer-a; next step 1 trader_file by 2025-05-01\n" +
			"  OP-4         cycle 2, step 2 analysis on 2025-03-02 by officer-b; cycle complete\n" +
			"  OP-5         not started; next step 1 trader_file (overdue)\n",
		reason: "an item names its type, issue or step; one with no coordinator falls to no one (-); a cycle with nothing next is complete",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.q.Text()); diff != "" {
				t.Errorf("Text mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
		})
	}
}

func TestQueueLoads(t *testing.T) {
	day := ymd(2025, time.March, 3)
	cfg := capacityConfig()
	cfg.Coordinator.Mentoring = calendar.Period{Months: 1}
	cfg.DecisionDeadline = calendar.Period{Days: 10}
	l := newMachine(t, cfg)
	assign := func(f *flow, k lifecycle.EventKind, at time.Time, officer string, w lifecycle.Workload, load float64) {
		ev := officerEvent(k, at)
		ev.Coordinator, ev.Workload, ev.Portfolio = officer, &w, &lifecycle.Portfolio{Load: load}
		f.do(ev)
	}
	heavy := lifecycle.Workload{Employees: intp(1000), Declarations: intp(100000), Complexity: "multinational"} // 70
	light := lifecycle.Workload{Employees: intp(10), Declarations: intp(10), Complexity: "complex"}             // 13

	big := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day))
	assign(big, lifecycle.EventAssignCoordinator, day, "officer Visser", heavy, 0)
	small := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day))
	assign(small, lifecycle.EventAssignCoordinator, day, "officer Visser", light, 0)
	assign(small, lifecycle.EventRotateCoordinator, day.AddDate(0, 0, 5), "officer Jansen", light, 0)
	// Filled exactly to capacity: the host's snapshot was taken when the
	// officer's load was 30, and it has grown since, as loads do.
	exact := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
	assign(exact, lifecycle.EventAssignCoordinator, day, "officer Jansen", lifecycle.Workload{Employees: intp(1000), Declarations: intp(100000), Complexity: "simple"}, 0) // 45
	cases := []lifecycle.Case{{Operator: "BIG", State: big.a}, {Operator: "SMALL", State: small.a}, {Operator: "EXACT", State: exact.a}}
	// The allowance for rounding: a load is over the capacity only beyond
	// capacity × (1 + 1e-12), counted as the engine counts it.
	capacity := 100.0
	edge := capacity * (1 + 1e-12)

	tests := []struct {
		name   string
		asOf   time.Time
		cases  []lifecycle.Case
		want   []lifecycle.CoordinatorLoad
		reason string
	}{{
		name:  "mentoring, overdue",
		asOf:  day.AddDate(0, 0, 12),
		cases: cases,
		want: []lifecycle.CoordinatorLoad{
			{Officer: "officer Jansen", Operators: []string{"EXACT", "SMALL"}, Load: 45 + 13, Capacity: 100, Overdue: 1},
			{Officer: "officer Visser", Operators: []string{"BIG"}, Mentoring: []string{"SMALL"}, Load: 70, Capacity: 100, Overdue: 1},
		},
		reason: "the outgoing coordinator mentors until the overlap ends; each coordinator counts its operators' overdue items",
	}, {
		name:  "mentoring over",
		asOf:  day.AddDate(0, 1, 6),
		cases: cases[1:2],
		want: []lifecycle.CoordinatorLoad{
			{Officer: "officer Jansen", Operators: []string{"SMALL"}, Load: 13, Capacity: 100, Overdue: 1},
		},
		reason: "the day after the mentoring ends the mentor no longer carries the operator",
	}, {
		name:  "at capacity, then over",
		asOf:  day,
		cases: []lifecycle.Case{{Operator: "BIG", State: big.a}, {Operator: "EXACT", State: withCoordinator(exact.a, "officer Visser", 30)}},
		want: []lifecycle.CoordinatorLoad{
			{Officer: "officer Visser", Operators: []string{"BIG", "EXACT"}, Load: 100, Capacity: 100},
		},
		reason: "a load equal to the capacity is not over it",
	}, {
		name:   "below capacity",
		asOf:   day,
		cases:  []lifecycle.Case{{Operator: "EXACT", State: withCoordinator(exact.a, "officer Smit", 30)}},
		want:   []lifecycle.CoordinatorLoad{{Officer: "officer Smit", Operators: []string{"EXACT"}, Load: 30, Capacity: 100}},
		reason: "a load below the capacity is not over it",
	}, {
		name:   "at the edge of the rounding allowance",
		asOf:   day,
		cases:  []lifecycle.Case{{Operator: "EXACT", State: withCoordinator(exact.a, "officer Smit", edge)}},
		want:   []lifecycle.CoordinatorLoad{{Officer: "officer Smit", Operators: []string{"EXACT"}, Load: edge, Capacity: 100}},
		reason: "weights are fractions whose sum may miss the capacity in the last digits: a load within that allowance is not over it",
	}, {
		name:  "over",
		asOf:  day,
		cases: []lifecycle.Case{{Operator: "BIG", State: big.a}, {Operator: "EXACT", State: withCoordinator(exact.a, "officer Visser", 30.5)}},
		want: []lifecycle.CoordinatorLoad{
			{Officer: "officer Visser", Operators: []string{"BIG", "EXACT"}, Load: 100.5, Capacity: 100, Over: true},
		},
		reason: "a load beyond the capacity is flagged for the office to rebalance",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := l.Queue(tt.cases, tt.asOf)
			if diff := cmp.Diff(tt.want, q.Coordinators); diff != "" {
				t.Errorf("coordinators mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
		})
	}
}

// withCoordinator returns a with its coordinator replaced, as a host's
// record of another assignment would hold it.
func withCoordinator(a lifecycle.Authorization, officer string, weight float64) lifecycle.Authorization {
	a.Coordinator = &lifecycle.ClientCoordinator{Officer: officer, Weight: weight}
	return a
}

// requireSorted checks that xs is not empty and that each entry comes
// strictly after the one before it, naming the entries out of order.
func requireSorted[T any](t *testing.T, xs []T, before func(x, y T) bool, describe func(T) string) {
	t.Helper()
	require.NotEmpty(t, xs)
	for i := 1; i < len(xs); i++ {
		assert.True(t, before(xs[i-1], xs[i]), "%s (entry %d) is not after %s: sorted, once each", describe(xs[i]), i, describe(xs[i-1]))
	}
}

func TestTablesSorted(t *testing.T) {
	// Each table is listed in order, one entry per edge, so that a
	// reviewer reads it as a table and a diff shows what changed.
	tr := lifecycle.Transitions()
	requireSorted(t, tr, func(x, y lifecycle.Transition) bool {
		return x.From < y.From || x.From == y.From && x.Event < y.Event
	}, func(x lifecycle.Transition) string {
		return fmt.Sprintf("transition %s on %s", x.Event, x.From)
	})
	at := lifecycle.AppealTransitions()
	requireSorted(t, at, func(x, y lifecycle.AppealTransition) bool {
		return x.From < y.From || x.From == y.From && x.Event < y.Event
	}, func(x lifecycle.AppealTransition) string {
		return fmt.Sprintf("appeal transition %s in %s", x.Event, x.From)
	})
	ef := lifecycle.AppealEffects()
	requireSorted(t, ef, func(x, y lifecycle.AppealEffect) bool {
		return x.Against < y.Against || x.Against == y.Against && x.From < y.From
	}, func(x lifecycle.AppealEffect) string {
		return fmt.Sprintf("appeal effect %s from %s", x.Against, x.From)
	})

	tr[0].To[0], ef[0].To[0] = lifecycle.StatusNone, lifecycle.StatusNone
	assert.NotEqual(t, lifecycle.StatusNone, lifecycle.Transitions()[0].To[0], "the slices are fresh: changing one changes no table")
	assert.NotEqual(t, lifecycle.StatusNone, lifecycle.AppealEffects()[0].To[0], "the slices are fresh: changing one changes no table")
}

func TestAppealAfterReasons(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.January, 6)
	refused := day.AddDate(0, 0, 60)
	tests := []struct {
		name    string
		given   bool
		against lifecycle.DecisionKind
		ok      bool
		reason  string
	}{
		{"naming the decision", false, lifecycle.DecisionRefusal, true, "the appeal is against the decision whose reasons were requested"},
		{"naming none", true, lifecycle.DecisionNone, true, "an appeal naming no decision is against the one whose reasons were given"},
		{"naming the decision after the reasons", true, lifecycle.DecisionRefusal, true, "the refusal, named, after its reasons were given"},
		{"naming another decision", false, lifecycle.DecisionSuspension, false, "the reasons requested are those of the refusal"},
		{"naming another after the reasons", true, lifecycle.DecisionRevocation, false, "nor, once given, does another decision take its place"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := startFlow(t, l).do(lodgeEvent(day, "", "AEOC")).do(acceptEvent(day)).
				do(decideEvent(lifecycle.EventRefuse, refused)).
				do(operatorEvent(lifecycle.EventRequestReasons, refused.AddDate(0, 0, 2)))
			if tt.given {
				f.do(withReasons(officerEvent(lifecycle.EventGiveReasons, refused.AddDate(0, 0, 9))))
			}
			err := f.try(appealEvent(refused.AddDate(0, 0, 20), lifecycle.StageCustomsReview, tt.against))
			if !tt.ok {
				requireRule(t, err, lifecycle.ErrInvalidTransition, "nothing-to-appeal", tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, lifecycle.AppealLodged, f.a.Appeal.Phase, tt.reason)
			assert.Equal(t, lifecycle.DecisionRefusal, f.a.Appeal.Decision.Kind, tt.reason)
		})
	}
}

func TestQueueOrder(t *testing.T) {
	day := ymd(2025, time.March, 3)
	l := newMachine(t, lifecycle.Config{AcceptanceDeadline: calendar.Period{Days: 30}, DecisionDeadline: calendar.Period{Days: 10}})
	lodged := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))                                          // acceptance due 2 April
	examined := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day.AddDate(0, 0, 20))) // decision due 2 April
	cases := []lifecycle.Case{
		{Operator: "ZED", State: lodged.a},
		{Operator: "ACME", State: examined.a},
		{Operator: "ACME", State: lodged.a}, // a second file of the same operator
	}
	q := l.Queue(cases, day)
	var got []string
	for _, it := range q.Items {
		got = append(got, it.Operator+" "+it.Kind.String()+" "+day0(it.Due))
	}
	want := []string{"ACME acceptance 2025-04-02", "ACME decision 2025-04-02", "ZED acceptance 2025-04-02"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items due the same day are listed by operator, then by kind (-want +got):\n%s", diff)
	}
}

func day0(t time.Time) string { return t.Format(time.DateOnly) }

func TestChangeKindToken(t *testing.T) {
	tests := []struct {
		kind   string
		ok     bool
		reason string
	}{
		{"az", true, "lower-case letters, first and last"},
		{"AZ", true, "upper-case letters, first and last"},
		{"09", true, "digits, first and last"},
		{"new_site-2", true, "'_' and '-' join the words"},
		{"a`", false, "the character before 'a'"},
		{"a{", false, "the character after 'z'"},
		{"a@", false, "the character before 'A'"},
		{"a[", false, "the character after 'Z'"},
		{"a/", false, "the character before '0'"},
		{"a:", false, "the character after '9'"},
		{"new site", false, "no spaces"},
		{"é", false, "letters are ASCII, as in the programme file's other keys"},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			got := problems(t, lifecycle.Config{Changes: lifecycle.ChangeRules{Kinds: map[string]lifecycle.ChangeKind{tt.kind: {}}}})
			if tt.ok {
				assert.Empty(t, got, tt.reason)
				return
			}
			want := []string{"changes.kinds." + tt.kind + ": a kind of change is a token of letters, digits and '_', such as new_site"}
			assert.Equal(t, want, got, tt.reason)
		})
	}
}

func TestPartners(t *testing.T) {
	tests := []struct {
		name     string
		partners []lifecycle.ExchangePartner
		wantErr  string
		reason   string
	}{
		{"empty ID", []lifecycle.ExchangePartner{{ID: "PL"}, {ID: " "}}, "lifecycle: an exchange partner has an empty ID", "a partner is named"},
		{"twice", []lifecycle.ExchangePartner{{ID: "PL"}, {ID: "US"}, {ID: "PL", NoConsent: true}}, `lifecycle: exchange partner "PL" given twice`,
			"one entry per partner, so that its consent rule is not in doubt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lifecycle.New(lifecycle.Config{}, testFP, nil, lifecycle.WithPartners(tt.partners...))
			require.EqualError(t, err, tt.wantErr, tt.reason)
		})
	}

	l := newPartnerMachine(t, lifecycle.Config{})
	assert.Equal(t, []lifecycle.ExchangePartner{{ID: "PL"}, {ID: "US"}, {ID: "XB", NoConsent: true}}, l.Partners(), "sorted by ID")
	assert.Nil(t, newMachine(t, lifecycle.Config{}).Partners(), "nil when none was set")

	day := ymd(2025, 3, 3)
	f := authorizedFlow(t, l, day, "", "AEOS")
	err := f.try(consentEvent(lifecycle.EventGiveConsent, day.AddDate(0, 1, 0), "ZZ"))
	requireRule(t, err, lifecycle.ErrInvalidEvent, "event.partners", "consent to a partner the programme does not exchange with")
	assert.Contains(t, err.Error(), `the programme exchanges no data with "ZZ"; it exchanges with PL, US, XB`, "the refusal lists the partners")

	open := authorizedFlow(t, newMachine(t, lifecycle.Config{}), day, "", "AEOS")
	require.NoError(t, open.try(consentEvent(lifecycle.EventGiveConsent, day.AddDate(0, 1, 0), "ZZ")),
		"without a list of partners, any partner the host names is taken")
}

func TestConsentInForce(t *testing.T) {
	l := newPartnerMachine(t, lifecycle.Config{})
	day := ymd(2025, 3, 3)
	given, withdrawn := ymd(2025, 4, 7), ymd(2025, 5, 5)
	f := authorizedFlow(t, l, day, "", "AEOS").
		do(consentEvent(lifecycle.EventGiveConsent, given, "PL")).
		do(exportEvent(given, []string{"XX/OP-1#5"}, "PL")).
		do(consentEvent(lifecycle.EventWithdrawConsent, withdrawn, "PL"))
	tests := []struct {
		at     time.Time
		want   bool
		reason string
	}{
		{given.AddDate(0, 0, -1), false, "not before it is given"},
		{dateAt(2025, time.April, 7), true, "from the day it is given, at any hour"},
		{withdrawn.AddDate(0, 0, -1), true, "until the day before the withdrawal"},
		{dateAt(2025, time.May, 5), false, "not on the day of the withdrawal"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, f.a.ConsentTo("PL", tt.at), "%s: %s", tt.at.Format(time.DateOnly), tt.reason)
	}
	assert.False(t, f.a.ConsentTo("US", given), "no consent to a partner never named")

	f.do(consentEvent(lifecycle.EventGiveConsent, withdrawn.AddDate(0, 0, 3), "PL"))
	want := []lifecycle.ConsentState{{Partner: "PL", Given: withdrawn.AddDate(0, 0, 3), Exported: given, NoticeDue: true}}
	if diff := cmp.Diff(want, f.a.Consent); diff != "" {
		t.Errorf("a renewed consent keeps what was sent and the notice owed (-want +got):\n%s", diff)
	}
	f.do(exportEvent(withdrawn.AddDate(0, 0, 4), []string{"XX/OP-1#9"}, "PL"))
	assert.False(t, f.a.Consent[0].NoticeDue, "data sent under the renewed consent settles the notice")
}

func TestAllowedAppealReopens(t *testing.T) {
	cfg := lifecycle.Config{
		DecisionDeadline: calendar.Period{Days: 120},
		ReapplyBar:       lifecycle.ReapplyBar{AfterRefusal: calendar.Period{Years: 1}, AfterWithdrawal: calendar.Period{Years: 1}},
		Appeal:           lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Period{Days: 30}}}},
	}
	l := newMachine(t, cfg)
	day := ymd(2025, time.January, 6)
	ruling := day.AddDate(0, 2, 0)
	tests := []struct {
		name         string
		decide       lifecycle.Event
		accepted     bool
		wantAccepted time.Time
		wantBars     []lifecycle.ReapplicationBar
		reason       string
	}{{
		name:         "non-acceptance overturned",
		decide:       decideEvent(lifecycle.EventReject, day.AddDate(0, 0, 10)),
		wantAccepted: ruling,
		wantBars:     []lifecycle.ReapplicationBar{{Type: "AEOS", Until: dateAt(2025, time.December, 9), Rule: "reapply_bar.after_withdrawal", Seq: 1}},
		reason:       "the application is accepted by the ruling and examined from then; the earlier withdrawal's bar stays",
	}, {
		name:         "refusal overturned",
		decide:       decideEvent(lifecycle.EventRefuse, day.AddDate(0, 0, 40)),
		accepted:     true,
		wantAccepted: day,
		wantBars:     []lifecycle.ReapplicationBar{{Type: "AEOS", Until: dateAt(2025, time.December, 9), Rule: "reapply_bar.after_withdrawal", Seq: 1}},
		reason:       "the examination reopens as it was accepted; the refusal's bar is lifted, the earlier withdrawal's stays",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// An application for AEOS, withdrawn: its bar outlives it.
			f := startFlow(t, l).do(lodgeEvent(day.AddDate(0, -1, 0), "", "AEOS")).
				do(withReasons(operatorEvent(lifecycle.EventWithdraw, day.AddDate(0, 0, -28)))).
				do(lodgeEvent(day, "", "AEOC"))
			if tt.accepted {
				f.do(acceptEvent(day))
			}
			f.do(tt.decide)
			require.Len(t, f.a.Bars, len(tt.wantBars)+btoi(tt.accepted), "the refusal bars a new application; a non-acceptance does not")
			f.do(appealEvent(tt.decide.At.AddDate(0, 0, 5), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
			f.do(rulingEvent(lifecycle.EventAllowAppeal, ruling, "officer-r", lifecycle.ActorOfficer))
			assert.Equal(t, lifecycle.StatusExamination, f.a.Status, tt.reason)
			assert.Equal(t, tt.wantAccepted, f.a.AcceptedAt, tt.reason)
			assert.Equal(t, dateAt(2025, time.July, 4), f.a.DecisionDue, "120 days from the ruling")
			if diff := cmp.Diff(tt.wantBars, f.a.Bars); diff != "" {
				t.Errorf("bars mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestRenewalRefusalOverturned(t *testing.T) {
	cfg := lifecycle.Config{
		Validity: lifecycle.ValidityRules{Term: calendar.Years(5), RenewalWindow: calendar.Months(6), RenewalDecision: calendar.Days(30)},
		Appeal:   lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)}}},
	}
	l := newMachine(t, cfg)
	f := granted(t, l, ymd(2024, 3, 1), "AEO").
		do(operatorEvent(lifecycle.EventLodgeRenewal, ymd(2028, 12, 1))).
		do(decideEvent(lifecycle.EventRefuseRenewal, ymd(2028, 12, 20))).
		do(appealEvent(ymd(2029, 1, 5), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
	require.Nil(t, f.a.Renewal, "the refusal closed the renewal")

	ruling := ymd(2029, 2, 1)
	allowed := f.fork().do(rulingEvent(lifecycle.EventAllowAppeal, ruling, "officer-r", lifecycle.ActorOfficer))
	assert.Equal(t, &lifecycle.Renewal{LodgedAt: ruling, DecisionDue: dateAt(2029, time.March, 3)}, allowed.a.Renewal,
		"RKC 10.12: the renewal is open again from the ruling, with a new decision deadline")
	assert.Equal(t, lifecycle.StatusAuthorized, allowed.a.Status)

	relodged := f.fork().do(operatorEvent(lifecycle.EventLodgeRenewal, ymd(2029, 1, 10))).
		do(rulingEvent(lifecycle.EventAllowAppeal, ruling, "officer-r", lifecycle.ActorOfficer))
	assert.Equal(t, &lifecycle.Renewal{LodgedAt: ymd(2029, 1, 10), DecisionDue: dateAt(2029, time.February, 9)}, relodged.a.Renewal,
		"a renewal lodged again meanwhile is the one that runs")

	dismissed := f.fork().do(rulingEvent(lifecycle.EventDismissAppeal, ruling, "officer-r", lifecycle.ActorOfficer))
	assert.Nil(t, dismissed.a.Renewal, "a dismissed appeal leaves the renewal refused")
}

func TestResubmitKeepsWhatItDoesNotRestate(t *testing.T) {
	cfg := lifecycle.Config{
		AcceptanceDeadline: calendar.Days(30),
		CompletionWindow:   calendar.Days(30),
		Validation:         lifecycle.ValidationRules{SampleMinimum: 2},
	}
	l := newMachine(t, cfg)
	day := ymd(2025, 1, 6)
	at := day.AddDate(0, 0, 10)
	type want struct {
		applied, sites, classes []string
		grade                   string
		required                int
	}
	kept := want{applied: []string{"AEOC", "AEOS"}, sites: []string{"S-1", "S-2", "S-3"}, classes: []string{"sme"}, grade: "T1", required: 2}
	tests := []struct {
		name   string
		edit   func(*lifecycle.Event)
		want   want
		reason string
	}{{
		name:   "nothing restated",
		edit:   func(*lifecycle.Event) {},
		want:   kept,
		reason: "a completed application keeps its types, grade, sites and classes",
	}, {
		name:   "types",
		edit:   func(ev *lifecycle.Event) { ev.Types = []string{"AEOS"} },
		want:   want{applied: []string{"AEOS"}, sites: kept.sites, classes: kept.classes, grade: "T1", required: 2},
		reason: "the types restated replace those applied for",
	}, {
		name:   "grade",
		edit:   func(ev *lifecycle.Event) { ev.Grade = "T2" },
		want:   want{applied: kept.applied, sites: kept.sites, classes: kept.classes, grade: "T2", required: 2},
		reason: "a grade restated replaces the grade",
	}, {
		name:   "sites",
		edit:   func(ev *lifecycle.Event) { ev.Sites = []string{"S-9"} },
		want:   want{applied: kept.applied, sites: []string{"S-9"}, classes: kept.classes, grade: "T1", required: 1},
		reason: "new sites replace the old, and the sample is drawn from them again: at least 2, never more than there are",
	}, {
		name:   "classes",
		edit:   func(ev *lifecycle.Event) { ev.Classes = []string{"importer", "carrier"} },
		want:   want{applied: kept.applied, sites: kept.sites, classes: []string{"carrier", "importer"}, grade: "T1", required: 2},
		reason: "classes restated replace the classes, sorted",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lodge := lodgeEvent(day, "T1", "AEOS", "AEOC")
			lodge.Sites, lodge.Classes = []string{"S-3", "S-1", "S-2"}, []string{"sme"}
			f := startFlow(t, l).do(lodge).
				do(operatorEvent(lifecycle.EventRequestCustomsValidation, day.AddDate(0, 0, 1))).
				do(withReasons(officerEvent(lifecycle.EventReturn, day.AddDate(0, 0, 5))))
			ev := operatorEvent(lifecycle.EventResubmit, at)
			tt.edit(&ev)
			f.do(ev)
			got := want{applied: f.a.Applied, sites: f.a.Sites, classes: f.a.Classes, grade: f.a.Grade, required: f.a.Validation.Required}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("resubmitted application mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
			assert.True(t, f.a.Validation.CustomsRequested, "the request that Customs validate stands; %s", tt.reason)
			assert.Equal(t, lifecycle.StatusLodged, f.a.Status)
			assert.Equal(t, dateAt(2025, time.February, 15), f.a.AcceptanceDue, "the acceptance deadline runs again from the resubmission")
			assert.True(t, f.a.CompletionDue.IsZero(), "nothing is left to complete")
		})
	}
}

func TestGrantAndRefusalDetails(t *testing.T) {
	day := ymd(2025, 1, 6)
	l := newMachine(t, lifecycle.Config{Validation: lifecycle.ValidationRules{SampleMinimum: 2}})
	examined := func(t *testing.T, grade string) *flow {
		lodge := lodgeEvent(day, grade, "AEOS")
		lodge.Sites = []string{"S-1", "S-2", "S-3"}
		return startFlow(t, l).do(lodge).do(acceptEvent(day))
	}

	t.Run("a site validated again", func(t *testing.T) {
		f := examined(t, "")
		f.do(validateEvent(day.AddDate(0, 0, 2), lifecycle.ValidationOnSite, false, "S-1"))
		f.do(validateEvent(day.AddDate(0, 0, 9), lifecycle.ValidationOnSite, true, "S-1"))
		want := []lifecycle.SiteResult{{Site: "S-1", Method: lifecycle.ValidationOnSite, Satisfied: true, At: day.AddDate(0, 0, 9)}}
		if diff := cmp.Diff(want, f.a.Validation.Sites); diff != "" {
			t.Errorf("a second visit to a site replaces the first, even the first site of the list (-want +got):\n%s", diff)
		}
		err := f.try(grantEvent(day.AddDate(0, 0, 10), "", "AEOS"))
		requireRule(t, err, lifecycle.ErrNotValidated, "validation-complete", "one site of the two the sample needs")
		assert.Contains(t, err.Error(), ": 1 of the 2 sites the sample needs were found satisfactory", "the refusal counts the sites that count")
	})

	tests := []struct {
		name    string
		grade   string
		granted string
		wantMsg string
		reason  string
	}{
		{"no grade", "", "", "the assessment does not recommend AEOS without a grade", "an ungraded grant needs an ungraded recommendation"},
		{"another grade", "T1", "T2", "the assessment does not recommend AEOS at grade T2", "a grant at a grade needs a recommendation at that grade"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := examined(t, tt.grade).
				do(validateEvent(day.AddDate(0, 0, 2), lifecycle.ValidationOnSite, true, "S-1", "S-2"))
			ev := grantEvent(day.AddDate(0, 0, 10), tt.granted, "AEOS")
			ev.Assessment = assessmentRef(ev.At, "T9", "AEOS")
			err := f.try(ev)
			requireRule(t, err, lifecycle.ErrNotRecommended, "recommended", tt.reason)
			assert.Contains(t, err.Error(), tt.wantMsg, tt.reason)
		})
	}

	refusals := []struct {
		name   string
		grade  string
		want   string
		reason string
	}{
		{"at the grade applied for", "", "T1", "a refusal naming no grade refuses the grade applied for"},
		{"at the grade named", "T2", "T2", "a refusal may name the grade refused"},
	}
	for _, tt := range refusals {
		t.Run("refused "+tt.name, func(t *testing.T) {
			f := examined(t, "T1")
			ev := decideEvent(lifecycle.EventRefuse, day.AddDate(0, 0, 20))
			ev.Grade = tt.grade
			f.do(ev)
			assert.Equal(t, []lifecycle.TypeState{{Type: "AEOS", Grade: tt.want}}, f.a.Decision.Types, tt.reason)
		})
	}
}

func TestSuspendAndLiftNamedTypes(t *testing.T) {
	l := machineFor(t, "eu") // hearing_period: 30d
	day := ymd(2025, 1, 6)
	f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
	at := day.AddDate(0, 3, 0)

	first := withReasons(officerEvent(lifecycle.EventSuspend, at))
	first.Types = []string{"AEOC"} // the first type held
	f.do(first)
	assert.Equal(t, lifecycle.StatusPartlySuspended, f.a.Status, "a type named is suspended, the other stays in force")
	assert.True(t, f.a.Types[0].Suspended, "AEOC is suspended")
	assert.False(t, f.a.Types[1].Suspended, "AEOS is not")

	f.do(withReasons(officerEvent(lifecycle.EventProposeRevocation, at.AddDate(0, 0, 10))))
	require.Equal(t, lifecycle.StatusRevocationProposed, f.a.Status)
	require.False(t, f.a.HearingEnds.IsZero())
	f.do(officerEvent(lifecycle.EventLift, at.AddDate(0, 0, 20)))
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, "lifting the suspension ends the proposed revocation")
	assert.True(t, f.a.RevocationProposedAt.IsZero(), "the proposal is cleared")
	assert.True(t, f.a.HearingEnds.IsZero(), "and the hearing period with it")
	requireRule(t, f.try(decideEvent(lifecycle.EventRevoke, at.AddDate(0, 2, 0))), lifecycle.ErrNotHeard, "right-to-be-heard",
		"a revocation is proposed again, and the holder heard, before it is decided")
}

// fullConfig sets every list and map of a Config, validly.
func fullConfig() lifecycle.Config {
	on := true
	return lifecycle.Config{
		DecisionDeadline: calendar.Days(120),
		ReapplyBar:       lifecycle.ReapplyBar{AfterRevocation: calendar.Years(3), ByGrade: map[string]lifecycle.ReapplyBar{"T3": {AfterRevocation: calendar.Years(1)}}},
		Appeal: lifecycle.AppealRules{
			Stages:         []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)}},
			Windows:        map[string]calendar.Period{"suspension": calendar.Days(15)},
			Excluded:       []string{"annulment"},
			InformalReview: lifecycle.InformalReviewRules{Decisions: []string{"refusal"}, Window: calendar.Days(30)},
		},
		Validation: lifecycle.ValidationRules{
			RequireOnSite: &on, ThirdParty: true, Validators: []string{"Bureau Veritas"},
			Relax: []lifecycle.OnSiteRelaxation{{Classes: []string{"sme"}, Requirements: []string{"I.1"},
				Methods: []lifecycle.ValidationMethod{lifecycle.ValidationRemote}, Source: "guidance"}},
			Joint: lifecycle.JointRules{Partners: []string{"NL"}},
		},
		Coordinator: lifecycle.CoordinatorRules{Capacity: 100, Size: []lifecycle.WeightBand{{Weight: 1}}, Volume: []lifecycle.WeightBand{{Weight: 2}},
			Complexity: map[string]float64{"simple": 1}},
		ControlCycle: lifecycle.ControlCycleRules{Within: map[string]calendar.Period{"analysis": calendar.Days(20)}, Skip: []lifecycle.ControlStep{lifecycle.StepFileProcessed}},
		Changes:      lifecycle.ChangeRules{Kinds: map[string]lifecycle.ChangeKind{"new_site": {Requirements: []string{"I.1"}, Criteria: []string{"security"}}}},
		Grounds:      lifecycle.GroundRules{Suspension: []lifecycle.Ground{{Text: "a criterion no longer met", Source: "UCC Art 16"}}},
		Certificates: map[string]lifecycle.CertificateRules{"LO": {ReapplyBar: lifecycle.ReapplyBar{AfterRevocation: calendar.Years(2)},
			AppealWindows: map[string]calendar.Period{"revocation": calendar.Days(60)}}},
		Sources: map[string]lifecycle.RuleSource{"decision_deadline": {Ref: "UCC Art 22(3)"}},
	}
}

func TestConfigIsCopied(t *testing.T) {
	cfg := fullConfig()
	l, err := lifecycle.New(cfg, testFP, map[string][]string{"security": {"AEOS", "LO"}})
	require.NoError(t, err)
	scribble := func(c *lifecycle.Config) {
		c.ReapplyBar.ByGrade["T3"] = lifecycle.ReapplyBar{AfterRevocation: calendar.Years(9)}
		c.Appeal.Stages[0].Window = calendar.Days(1)
		c.Appeal.Windows["suspension"] = calendar.Days(1)
		c.Appeal.Excluded[0] = "refusal"
		c.Appeal.InformalReview.Decisions[0] = "revocation"
		*c.Validation.RequireOnSite = false
		c.Validation.Validators[0] = "anyone"
		c.Validation.Relax[0].Classes[0] = "everyone"
		c.Validation.Relax[0].Requirements[0] = "A.1"
		c.Validation.Relax[0].Methods[0] = lifecycle.ValidationDocumentReview
		c.Validation.Joint.Partners[0] = "XX"
		c.Coordinator.Size[0].Weight = 50
		c.Coordinator.Volume[0].Weight = 50
		c.Coordinator.Complexity["simple"] = 50
		c.ControlCycle.Within["analysis"] = calendar.Days(1)
		c.ControlCycle.Skip[0] = lifecycle.StepAnalysis
		c.Changes.Kinds["new_site"].Requirements[0] = "A.1"
		c.Changes.Kinds["new_site"].Criteria[0] = "solvency"
		c.Grounds.Suspension[0].Text = "anything"
		c.Certificates["LO"].AppealWindows["revocation"] = calendar.Days(1)
		c.Certificates["LO"] = lifecycle.CertificateRules{}
		c.Sources["decision_deadline"] = lifecycle.RuleSource{Ref: "nothing"}
	}
	scribble(&cfg)
	if diff := cmp.Diff(fullConfig(), l.Config(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("changing the configuration given to New changed the machine's (-want +got):\n%s", diff)
	}
	got := l.Config()
	scribble(&got)
	if diff := cmp.Diff(fullConfig(), l.Config(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("changing the configuration Config returned changed the machine's (-want +got):\n%s", diff)
	}
}

func TestControlStepEvent(t *testing.T) {
	day := ymd(2025, time.March, 3)
	l := newMachine(t, lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{Within: map[string]calendar.Period{"trader_file": {Days: 30}}}})
	f := authorizedFlow(t, l, day, "", "AEO")
	for _, st := range []lifecycle.ControlStep{lifecycle.StepNone, lifecycle.StepTreatmentPlan + 1} {
		ev := officerEvent(lifecycle.EventControlStep, day.AddDate(0, 1, 0))
		ev.Step = st
		requireRule(t, f.try(ev), lifecycle.ErrInvalidEvent, "event.step", "a step of the ten, by number 1 to 10")
	}

	// The step due is shown while the file is open: held or examined.
	due := func(a lifecycle.Authorization, at time.Time) []lifecycle.ControlStep {
		var out []lifecycle.ControlStep
		for _, d := range l.Due(a, at) {
			if d.Kind == lifecycle.DueControlStep {
				out = append(out, d.Step)
			}
		}
		return out
	}
	at := day.AddDate(0, 0, 20)
	assert.Equal(t, []lifecycle.ControlStep{lifecycle.StepTraderFile}, due(f.a, at), "the grant puts the trader's file on the queue")
	revoked := f.fork().do(withReasons(officerEvent(lifecycle.EventProposeRevocation, at))).
		do(decideEvent(lifecycle.EventRevoke, at.AddDate(0, 0, 1)))
	require.Equal(t, lifecycle.StatusRevoked, revoked.a.Status)
	assert.Empty(t, due(revoked.a, at.AddDate(0, 0, 1)), "no treatment of a trader whose authorization is revoked")
	reapplied := revoked.do(lodgeEvent(at.AddDate(0, 0, 2), "", "AEO"))
	assert.Empty(t, due(reapplied.a, at.AddDate(0, 0, 2)), "nor while a new application waits to be accepted")
	reapplied.do(acceptEvent(at.AddDate(0, 0, 3)))
	assert.Equal(t, []lifecycle.ControlStep{lifecycle.StepTraderFile}, due(reapplied.a, at.AddDate(0, 0, 3)),
		"the cycle outlives the application and is due again once the new one is examined")
}

func TestAuditError_Error(t *testing.T) {
	tests := []struct {
		name   string
		e      lifecycle.AuditError
		want   string
		reason string
	}{
		{"tampered", lifecycle.AuditError{Index: 3, Detail: "hash mismatch", Err: lifecycle.ErrTampered},
			"lifecycle: audit record 3: hash mismatch: " + strings.TrimPrefix(lifecycle.ErrTampered.Error(), "lifecycle: "),
			"the record, what is wrong, and the sentinel once prefixed"},
		{"no sentinel", lifecycle.AuditError{Index: 0, Detail: "empty trail"},
			"lifecycle: audit record 0: empty trail", "without an underlying error the detail says it all"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error(), tt.reason)
	}
}

func TestQueueWithoutCapacity(t *testing.T) {
	day := ymd(2025, time.March, 3)
	l := newMachine(t, lifecycle.Config{})
	assert.Equal(t, lifecycle.Queue{AsOf: day}, l.Queue(nil, day), "no cases, an empty queue")

	f := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
	q := l.Queue([]lifecycle.Case{{Operator: "OP", State: withCoordinator(f.a, "officer Smit", 30)}}, day)
	assert.Equal(t, []lifecycle.CoordinatorLoad{{Officer: "officer Smit", Operators: []string{"OP"}, Load: 30}}, q.Coordinators,
		"without a capacity no load is over it, whatever weight the host's state carries")
}

func TestQueueCycles(t *testing.T) {
	day := ymd(2025, time.March, 3)
	cfg := lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{Within: map[string]calendar.Period{"trader_file": {Days: 30}}}}
	l := newMachine(t, cfg)
	step := func(f *flow, at time.Time, st lifecycle.ControlStep) {
		ev := officerEvent(lifecycle.EventControlStep, at)
		ev.Step, ev.Evidence = st, []string{"report"}
		f.do(ev)
	}
	done := authorizedFlow(t, l, day, "", "AEO")
	for i, st := range []lifecycle.ControlStep{lifecycle.StepTraderFile, lifecycle.StepAnalysis, lifecycle.StepFileProcessed,
		lifecycle.StepControlChanged, lifecycle.StepReanalysis, lifecycle.StepAuditPrepared, lifecycle.StepAuditDone,
		lifecycle.StepAuditReport, lifecycle.StepControlProgramme, lifecycle.StepTreatmentPlan} {
		step(done, day.AddDate(0, 1, i), st)
	}
	require.Equal(t, lifecycle.StepNone, done.a.Control.Next, "without control_cycle.repeat nothing is due after the plan")
	idle := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
	idle.a.Control = &lifecycle.ControlCycle{} // a host's record of a cycle never started, nothing due
	due := authorizedFlow(t, l, day, "", "AEO")

	q := l.Queue([]lifecycle.Case{{Operator: "DONE", State: done.a}, {Operator: "IDLE", State: idle.a}, {Operator: "DUE", State: due.a}}, day)
	var got []string
	for _, c := range q.Cycles {
		got = append(got, c.Operator)
	}
	assert.Equal(t, []string{"DONE", "DUE"}, got, "an operator is listed once it has started a cycle, or has one due; not otherwise")
}

func TestDenied(t *testing.T) {
	a := lifecycle.Authorization{DeniedBenefits: []lifecycle.BenefitDenial{{Benefit: "fast-lane"}, {Benefit: "fewer-checks"}}}
	tests := []struct {
		benefit string
		want    bool
		reason  string
	}{
		{"fast-lane", true, "a benefit denied"},
		{"fewer-checks", true, "another benefit denied"},
		{"priority", false, "a benefit not denied, while others are"},
		{"", false, "no benefit"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, a.Denied(tt.benefit), "%q: %s", tt.benefit, tt.reason)
	}
	assert.False(t, lifecycle.Authorization{}.Denied("fast-lane"), "nothing denied")
}

func TestRecordSharesNothingWithTheEvent(t *testing.T) {
	day := ymd(2025, time.March, 3)
	l := newMachine(t, capacityConfig())
	tests := []struct {
		name   string
		w      lifecycle.Workload
		reason string
	}{
		{"employees and declarations", lifecycle.Workload{Employees: intp(10), Declarations: intp(10), Complexity: "simple"}, "both counts are the record's own"},
		{"employees only", lifecycle.Workload{Employees: intp(10), Complexity: "simple"}, "a count not given stays not given"},
		{"declarations only", lifecycle.Workload{Declarations: intp(10), Complexity: "simple"}, "a count not given stays not given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := startFlow(t, l).do(lodgeEvent(day, "", "AEO"))
			ev := officerEvent(lifecycle.EventAssignCoordinator, day.AddDate(0, 0, 1))
			w := tt.w
			ev.Coordinator, ev.Workload, ev.Portfolio = "officer Visser", &w, &lifecycle.Portfolio{}
			_, rec, err := l.Apply(f.a, ev)
			if err != nil {
				// A workload missing a measure is refused: the refusal
				// must not fail on the count that is missing.
				requireRule(t, err, lifecycle.ErrInvalidEvent, "coordinator.capacity", tt.reason)
				return
			}
			if w.Employees != nil {
				*w.Employees = 999
			}
			if w.Declarations != nil {
				*w.Declarations = 999
			}
			ev.Portfolio.Load = 999
			require.NoError(t, lifecycle.Trail(append(f.recs, rec)).Verify(), "the record shares nothing with the event given; %s", tt.reason)
			assert.Equal(t, tt.w.Employees == nil, rec.Event.Workload.Employees == nil, tt.reason)
			assert.Equal(t, tt.w.Declarations == nil, rec.Event.Workload.Declarations == nil, tt.reason)
		})
	}
}

func TestOutOfRangeValues(t *testing.T) {
	// Values a host may hold by mistake, or forge: they must not panic.
	assert.Equal(t, lifecycle.ActorUnknown, (lastKind + 1).Role(), "an event kind beyond the last has no role")
	assert.Equal(t, lifecycle.ActorUnknown, lifecycle.EventKind(255).Role())

	l := machineFor(t, "eu")
	phase := lifecycle.AppealWithdrawn + 1
	a := lifecycle.Authorization{Status: lifecycle.StatusAuthorized, Appeal: &lifecycle.AppealState{Phase: phase}}
	isAppeal := func(k lifecycle.EventKind) bool { return k >= lifecycle.EventRequestReasons && k <= lastAppealKind }
	got := l.Permitted(a)
	assert.NotEmpty(t, got, "the status's own events stay permitted")
	for _, k := range got {
		assert.False(t, isAppeal(k), "no appeal event is permitted in an appeal phase beyond the last (%s)", k)
	}
	got = l.Permitted(lifecycle.Authorization{Status: lifecycle.StatusLapsed + 1})
	assert.NotEmpty(t, got, "an appeal may still be requested: its track runs beside the status")
	for _, k := range got {
		assert.True(t, isAppeal(k), "no event of the status track is permitted in a status beyond the last (%s)", k)
	}

	_, _, err := l.Apply(lifecycle.Authorization{Status: lifecycle.StatusLapsed + 1}, lodgeEvent(ymd(2025, 1, 6), "", "AEOC"))
	requireRule(t, err, lifecycle.ErrInvalidTransition, "transition", "an event on a status beyond the last is refused")
	_, _, err = l.Apply(a, appealEvent(ymd(2025, 1, 6), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
	requireRule(t, err, lifecycle.ErrInvalidTransition, "transition", "an appeal event in a phase beyond the last is refused")

	// Without declared dependencies any type may be a separate certificate.
	_, err = lifecycle.New(lifecycle.Config{Certificates: map[string]lifecycle.CertificateRules{"LO": {}}}, testFP, nil)
	require.NoError(t, err, "a programme that declares no types cannot refuse a certificate's type")
}

func TestEventListsChecked(t *testing.T) {
	day := ymd(2025, 1, 6)
	l := newPartnerMachine(t, lifecycle.Config{})
	f := startFlow(t, l).do(lodgeEvent(day, "", "AEOC"))
	lists := []struct {
		rule string
		set  func(*lifecycle.Event, []string)
	}{
		{"event.types", func(e *lifecycle.Event, v []string) { e.Types = v }},
		{"event.benefits", func(e *lifecycle.Event, v []string) { e.Benefits = v }},
		{"event.partners", func(e *lifecycle.Event, v []string) { e.Partners = v }},
		{"event.records", func(e *lifecycle.Event, v []string) { e.Records = v }},
		{"event.classes", func(e *lifecycle.Event, v []string) { e.Classes = v }},
		{"event.validation.requirements", func(e *lifecycle.Event, v []string) {
			e.Validation = &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Requirements: v}
		}},
		{"event.sites", func(e *lifecycle.Event, v []string) { e.Sites = v }},
	}
	for _, list := range lists {
		for _, bad := range []struct {
			entries []string
			msg     string
		}{{[]string{"a", " "}, "an empty name"}, {[]string{"a", "b", "a"}, `"a" given twice`}} {
			t.Run(list.rule+" "+bad.msg, func(t *testing.T) {
				// Every other list is valid, so that the check of this one
				// is what refuses the event.
				ev := officerEvent(lifecycle.EventAccept, day)
				list.set(&ev, bad.entries)
				err := f.try(ev)
				requireRule(t, err, lifecycle.ErrInvalidEvent, list.rule, "each list of an event names each entry once")
				assert.Contains(t, err.Error(), bad.msg)
			})
		}
	}
}

func TestObservations(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, 1, 6)
	f := authorizedFlow(t, l, day, "", "AEOC").do(withReasons(officerEvent(lifecycle.EventProposeRevocation, day.AddDate(0, 2, 0))))
	at := day.AddDate(0, 2, 10)
	requireRule(t, f.try(operatorEvent(lifecycle.EventObservations, at)), lifecycle.ErrNoReasons, "reasons",
		"the holder's views are stated")
	f.do(withReasons(operatorEvent(lifecycle.EventObservations, at), "the breach was remedied"))
	assert.Equal(t, at, f.a.HeardAt, "the holder is heard on the day it states its views")
}

func TestValidationChecksAndRules(t *testing.T) {
	day := ymd(2025, 1, 6)
	cfg := lifecycle.Config{Validation: lifecycle.ValidationRules{Relax: []lifecycle.OnSiteRelaxation{
		{Classes: []string{"sme"}, Requirements: []string{"I.1"}, Methods: []lifecycle.ValidationMethod{lifecycle.ValidationRemote}, Source: "guidance"},
		{Methods: []lifecycle.ValidationMethod{lifecycle.ValidationDocumentReview, lifecycle.ValidationRemote}, Source: "national rule"},
	}}}
	var got []string
	for _, r := range cfg.Rules() {
		if strings.HasPrefix(r.Key, "validation.relax") {
			got = append(got, r.Key+": "+r.Value)
		}
	}
	assert.Equal(t, []string{
		"validation.relax[0]: remote for sme on I.1",
		"validation.relax[1]: document_review, remote",
	}, got, "a relaxation is listed with its methods, and the classes and requirements it is limited to, if any")

	l := newMachine(t, lifecycle.Config{})
	lodge := lodgeEvent(day, "", "AEO")
	lodge.Sites = []string{"S-1"}
	f := startFlow(t, l).do(lodge).do(acceptEvent(day))
	report := func(at time.Time, m lifecycle.ValidationMethod, reqs ...string) lifecycle.Event {
		ev := validateEvent(at, m, true, "S-1")
		ev.Validation.Requirements = reqs
		return ev
	}
	f.do(report(day.AddDate(0, 0, 1), lifecycle.ValidationOnSite, "I.2", "I.1")).
		do(report(day.AddDate(0, 0, 2), lifecycle.ValidationDocumentReview, "I.1"))
	want := []lifecycle.RequirementCheck{
		{Requirement: "I.1", Method: lifecycle.ValidationDocumentReview},
		{Requirement: "I.1", Method: lifecycle.ValidationOnSite},
		{Requirement: "I.2", Method: lifecycle.ValidationOnSite},
	}
	if diff := cmp.Diff(want, f.a.Validation.Checks); diff != "" {
		t.Errorf("the requirements verified are listed by requirement, then method (-want +got):\n%s", diff)
	}
}

func TestGrantRefusalNamesWhatCounts(t *testing.T) {
	day := ymd(2025, 1, 6)
	relaxed := lifecycle.Config{Validation: lifecycle.ValidationRules{Relax: []lifecycle.OnSiteRelaxation{
		{Classes: []string{"sme"}, Methods: []lifecycle.ValidationMethod{lifecycle.ValidationRemote}, Source: "guidance"},
	}}}
	tests := []struct {
		name    string
		cfg     lifecycle.Config
		classes []string
		want    string
		reason  string
	}{
		{"visits only", lifecycle.Config{}, nil, "found satisfactory by visits, with no site found wanting", "by default only a visit counts"},
		{"not of the class relaxed", relaxed, []string{"importer"}, "found satisfactory by visits, with no site found wanting",
			"a relaxation for SMEs does not count for another operator"},
		{"of the class relaxed", relaxed, []string{"sme"}, "found satisfactory by visits or remote, with no site found wanting",
			"for an SME a remote session counts too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMachine(t, tt.cfg)
			lodge := lodgeEvent(day, "", "AEO")
			lodge.Classes = tt.classes
			f := startFlow(t, l).do(lodge).do(acceptEvent(day))
			err := f.try(grantEvent(day.AddDate(0, 0, 10), "", "AEO"))
			requireRule(t, err, lifecycle.ErrNotValidated, "validation-complete", tt.reason)
			assert.Contains(t, err.Error(), tt.want, tt.reason)
		})
	}
}

func TestEventYears(t *testing.T) {
	l := newMachine(t, lifecycle.Config{})
	f := startFlow(t, l)
	require.NoError(t, f.try(lodgeEvent(time.Date(1, time.January, 2, 9, 0, 0, 0, time.UTC), "", "AEO")),
		"the year 1 is the first JSON and the calendar can hold")
	require.NoError(t, f.try(acceptEvent(time.Date(9999, time.January, 2, 9, 0, 0, 0, time.UTC))),
		"and the year 9999 the last")

	closed, err := lifecycle.New(lifecycle.Config{}, testFP, nil, lifecycle.WithTypes())
	require.NoError(t, err)
	err = startFlow(t, closed).try(lodgeEvent(ymd(2025, 1, 6), "", "AEO"))
	requireRule(t, err, lifecycle.ErrInvalidEvent, "event.types", "a programme closed to types it does not list")
	assert.Contains(t, err.Error(), `"AEO": the programme defines no authorization types`, "and which lists none says so")
}

func TestRefuseRenewal(t *testing.T) {
	l := newMachine(t, lifecycle.Config{Validity: lifecycle.ValidityRules{Term: calendar.Years(5), RenewalDecision: calendar.Days(30)}})
	f := granted(t, l, ymd(2024, 3, 1), "AEO")
	at := ymd(2028, 12, 20)
	requireRule(t, f.try(decideEvent(lifecycle.EventRefuseRenewal, at)), lifecycle.ErrInvalidTransition, "renewal-open",
		"Customs refuses only a renewal lodged")
	f.do(operatorEvent(lifecycle.EventLodgeRenewal, ymd(2028, 12, 1)))
	noApprover := decideEvent(lifecycle.EventRefuseRenewal, at)
	noApprover.Approver = ""
	requireRule(t, f.try(noApprover), lifecycle.ErrFourEyes, "four-eyes", "a refusal of renewal is a decision: four eyes")
	noReasons := decideEvent(lifecycle.EventRefuseRenewal, at)
	noReasons.Reasons = nil
	requireRule(t, f.try(noReasons), lifecycle.ErrNoReasons, "reasons", "and it states its reasons")
	f.do(decideEvent(lifecycle.EventRefuseRenewal, at))
	assert.Nil(t, f.a.Renewal, "the renewal is closed")
	require.NotNil(t, f.a.Decision)
	assert.Equal(t, lifecycle.DecisionRenewalRefusal, f.a.Decision.Kind, "an appealable decision")
	assert.Equal(t, []lifecycle.TypeState{{Type: "AEO"}}, f.a.Decision.Types)
}

func TestRestoreBenefits(t *testing.T) {
	l := newMachine(t, lifecycle.Config{})
	day := ymd(2025, 1, 6)
	restore := func(at time.Time, benefits ...string) lifecycle.Event {
		ev := officerEvent(lifecycle.EventRestoreBenefits, at)
		ev.Benefits = benefits
		return ev
	}
	f := granted(t, l, day, "AEO")
	requireRule(t, f.try(restore(day.AddDate(0, 1, 0))), lifecycle.ErrInvalidTransition, "nothing-to-restore", "no benefit is denied")
	deny := withReasons(officerEvent(lifecycle.EventDenyBenefits, day.AddDate(0, 1, 0)))
	deny.Benefits = []string{"fast_lane", "reduced_examination", "priority"}
	f.do(deny)
	requireRule(t, f.try(restore(day.AddDate(0, 2, 0), "mutual_recognition")), lifecycle.ErrInvalidEvent, "event.benefits",
		"only a benefit denied is restored")

	one := f.fork().do(restore(day.AddDate(0, 2, 0), "fast_lane"))
	var left []string
	for _, d := range one.a.DeniedBenefits {
		left = append(left, d.Benefit)
	}
	assert.Equal(t, []string{"priority", "reduced_examination"}, left, "a benefit named is restored, the others stay denied")

	all := f.fork().do(restore(day.AddDate(0, 2, 0)))
	assert.Empty(t, all.a.DeniedBenefits, "a restoration naming none restores every benefit denied")
}

func TestHearingSubject(t *testing.T) {
	cfg := lifecycle.Config{
		Hearings: lifecycle.HearingRules{ScheduleWithin: calendar.Days(15)},
		Appeal:   lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)}}},
	}
	l := newMachine(t, cfg)
	day := ymd(2025, 1, 6)
	f := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day)).
		do(decideEvent(lifecycle.EventRefuse, day.AddDate(0, 1, 0)))
	request := func(at time.Time) lifecycle.Event {
		return withReasons(operatorEvent(lifecycle.EventRequestHearing, at))
	}
	requireRule(t, f.try(request(day.AddDate(0, 1, 2))), lifecycle.ErrInvalidTransition, "hearing-subject",
		"a refused application has nothing left to be heard on")
	f.do(appealEvent(day.AddDate(0, 1, 5), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
	require.NoError(t, f.fork().try(request(day.AddDate(0, 1, 6))), "while its appeal is pending the appellant may be heard")
	f.do(rulingEvent(lifecycle.EventDismissAppeal, day.AddDate(0, 2, 0), "officer-r", lifecycle.ActorOfficer))
	requireRule(t, f.try(request(day.AddDate(0, 2, 1))), lifecycle.ErrInvalidTransition, "hearing-subject",
		"once the appeal is dismissed there is nothing to be heard on")
}
