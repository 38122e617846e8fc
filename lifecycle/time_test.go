package lifecycle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// granted takes an AEO application through to a grant on at, under l.
func granted(t *testing.T, l *lifecycle.Machine, at time.Time, types ...string) *flow {
	t.Helper()
	return startFlow(t, l).
		do(lodgeEvent(at.AddDate(0, -3, 0), "", types...)).
		do(acceptEvent(at.AddDate(0, -3, 1))).
		do(validateEvent(at.AddDate(0, 0, -7), lifecycle.ValidationOnSite, true)).
		do(grantEvent(at, "", types...))
}

// dueOf returns the due items of a as of asOf, keyed "kind rule".
func dueOf(l *lifecycle.Machine, a lifecycle.Authorization, asOf time.Time) map[string]string {
	out := map[string]string{}
	for _, d := range l.Due(a, asOf) {
		v := d.Due.Format(time.DateOnly)
		if !d.From.IsZero() {
			v = d.From.Format(time.DateOnly) + ".." + v
		}
		if d.Overdue {
			v += " overdue"
		}
		out[d.Kind.String()+" "+d.Rule] = v
	}
	return out
}

// TestValidityRenewalLapse follows Korea's five-year term with a renewal
// review: the term runs from the day the grant takes effect, a renewal is
// lodged within the window and renewed for a further term from the end
// of the last; without one, validity ends, Due says a lapse is owed, and
// only an officer's lapse event changes the status.
func TestValidityRenewalLapse(t *testing.T) {
	cfg := lifecycle.Config{
		EffectAfter: calendar.Days(5),
		Validity:    lifecycle.ValidityRules{Term: calendar.Years(5), RenewalWindow: calendar.Months(6), RenewalDecision: calendar.Days(30)},
	}
	l := newMachine(t, cfg)
	f := granted(t, l, ymd(2024, 3, 1), "AEO")
	require.Equal(t, dateAt(2029, 3, 6), f.a.ValidUntil, "five years from the day the grant takes effect (2024-03-06)")
	assert.Equal(t, map[string]string{
		"renewal validity.renewal_window": "2028-09-06..2029-03-06",
		"expiry validity.term":            "2029-03-06",
	}, dueOf(l, f.a, ymd(2025, 1, 1)), "Due lists the renewal window and the expiry")

	tests := []struct {
		name   string
		ev     lifecycle.Event
		err    error
		rule   string
		reason string
	}{
		{"renewal before the window", operatorEvent(lifecycle.EventLodgeRenewal, ymd(2028, 9, 5)), lifecycle.ErrEarly, "validity.renewal_window",
			"the window opens six months before the end of validity"},
		{"lapse before expiry", officerEvent(lifecycle.EventLapse, ymd(2029, 3, 6)), lifecycle.ErrEarly, "validity.term",
			"the last day of validity is still valid"},
		{"renewal after expiry", operatorEvent(lifecycle.EventLodgeRenewal, ymd(2029, 3, 7)), lifecycle.ErrLate, "validity.term",
			"a renewal after the end of validity is too late: the authorization lapses"},
		{"renew with nothing lodged", decideEvent(lifecycle.EventRenew, ymd(2028, 10, 1)), lifecycle.ErrInvalidTransition, "renewal-open",
			"Customs renews only a renewal lodged"},
	}
	for _, tt := range tests {
		requireRule(t, f.fork().try(tt.ev), tt.err, tt.rule, tt.reason)
	}

	// Renewed: a further five years from the end of the last term.
	r := f.fork().do(operatorEvent(lifecycle.EventLodgeRenewal, ymd(2028, 12, 1)))
	assert.Equal(t, "2028-12-31", dueOf(l, r.a, ymd(2028, 12, 2))["renewal_decision validity.renewal_decision"], "30 days to decide the renewal")
	assert.True(t, r.a.Active("AEO", ymd(2029, 4, 1)), "a renewal lodged in time keeps the authorization in force until decided")
	requireRule(t, r.fork().try(officerEvent(lifecycle.EventLapse, ymd(2029, 4, 1))), lifecycle.ErrInvalidTransition, "renewal-pending",
		"no lapse while a renewal lodged in time awaits its decision")
	renew := decideEvent(lifecycle.EventRenew, ymd(2029, 1, 15))
	renew.Assessment = assessmentRef(ymd(2029, 1, 15), "", "AEO")
	r.do(renew)
	assert.Equal(t, dateAt(2034, 3, 6), r.a.ValidUntil, "renewed from the end of the last term")

	// Not renewed: after the last day Due says the lapse is owed, nothing
	// is in force, and the status is the officer's to change.
	assert.Equal(t, map[string]string{"lapse validity.term": "2029-03-07 overdue"}, dueOf(l, f.a, ymd(2029, 3, 10)))
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, "the engine changes no status by itself")
	assert.False(t, f.a.Active("AEO", ymd(2029, 3, 7)), "nothing is in force beyond the term")
	assert.True(t, f.a.Active("AEO", ymd(2029, 3, 6)), "the last day is in force")
	f.do(officerEvent(lifecycle.EventLapse, ymd(2029, 3, 10)))
	assert.Equal(t, lifecycle.StatusLapsed, f.a.Status)
	assert.Empty(t, l.Due(f.a, ymd(2029, 3, 11)))
	f.do(lodgeEvent(ymd(2029, 4, 1), "", "AEO"))
}

// TestWorkingDayDeadlines counts deadlines in working days of the
// programme's calendar, rolls a calendar deadline off a holiday, and
// refuses an event whose deadline falls in a year with no holidays
// listed.
func TestWorkingDayDeadlines(t *testing.T) {
	cal := calendar.MustCompile(calendar.Config{
		WorkingWeek: []calendar.Weekday{calendar.Weekday(time.Sunday), calendar.Weekday(time.Monday), calendar.Weekday(time.Tuesday),
			calendar.Weekday(time.Wednesday), calendar.Weekday(time.Thursday)},
		Holidays: map[string][]calendar.Holiday{"2025": {{Date: dateAt(2025, 3, 30), Name: "Eid al-Fitr"}, {Date: dateAt(2025, 3, 31)}}},
	})
	cfg := lifecycle.Config{
		AcceptanceDeadline: calendar.WorkingDays(5),
		DecisionDeadline:   calendar.Period{Days: 30, Roll: calendar.RollNext},
	}
	_, err := lifecycle.New(cfg, testFP, nil)
	require.Error(t, err, "working days need a calendar")
	l, err := lifecycle.New(cfg, testFP, nil, lifecycle.WithCalendar(cal))
	require.NoError(t, err)

	f := startFlow(t, l).do(lodgeEvent(ymd(2025, 3, 26), "", "AEO")) // a Wednesday
	assert.Equal(t, dateAt(2025, 4, 6), f.a.AcceptanceDue,
		"Sunday-to-Thursday week: Thu 27, then Sun 30 and Mon 31 are Eid, Tue 1, Wed 2, Thu 3, Sun 6")
	f.do(acceptEvent(ymd(2025, 2, 28).AddDate(0, 1, 0))) // 28 March
	assert.Equal(t, dateAt(2025, 4, 27), f.a.DecisionDue, "30 days from 28 March is Sunday 27 April, a working day here")

	late := startFlow(t, l)
	requireRule(t, late.try(lodgeEvent(ymd(2025, 12, 28), "", "AEO")), lifecycle.ErrCalendar, "calendar",
		"five working days from 28 December 2025 run into 2026, whose holidays are not listed")
	require.ErrorIs(t, late.try(lodgeEvent(ymd(2025, 12, 28), "", "AEO")), calendar.ErrNoHolidays)
}

// TestHearingOnRequest follows the GCC rule: a hearing the operator
// requests is scheduled within 15 days; after the minutes it has 7 days
// for further arguments.
func TestHearingOnRequest(t *testing.T) {
	l := newMachine(t, lifecycle.Config{Hearings: lifecycle.HearingRules{ScheduleWithin: calendar.Days(15), SubmissionsAfter: calendar.Days(7)}})
	f := granted(t, l, ymd(2025, 1, 6), "AEO")
	f.do(withReasons(operatorEvent(lifecycle.EventRequestHearing, ymd(2025, 2, 3))))
	assert.Equal(t, map[string]string{"hearing_schedule hearings.schedule_within": "2025-02-18 overdue"}, dueOf(l, f.a, ymd(2025, 2, 20)))
	requireRule(t, f.try(withReasons(operatorEvent(lifecycle.EventRequestHearing, ymd(2025, 2, 4)))), lifecycle.ErrInvalidTransition, "hearing-open",
		"one hearing at a time")
	sched := officerEvent(lifecycle.EventScheduleHearing, ymd(2025, 2, 10))
	requireRule(t, f.try(sched), lifecycle.ErrInvalidEvent, "event.hearing_on", "a schedule names the day")
	sched.HearingOn = ymd(2025, 2, 17)
	f.do(sched)
	hold := officerEvent(lifecycle.EventHoldHearing, ymd(2025, 2, 14))
	hold.Evidence = []string{"minutes"}
	requireRule(t, f.try(hold), lifecycle.ErrEarly, "hearing-date", "a hearing is held on the day scheduled")
	hold.At = ymd(2025, 2, 17)
	f.do(hold)
	assert.Equal(t, map[string]string{"hearing_submissions hearings.submissions_after": "2025-02-24"}, dueOf(l, f.a, ymd(2025, 2, 18)))
	requireRule(t, f.fork().try(withReasons(operatorEvent(lifecycle.EventHearingSubmission, ymd(2025, 2, 25)))), lifecycle.ErrLate,
		"hearings.submissions_after", "further arguments after seven days are late")
	f.do(withReasons(operatorEvent(lifecycle.EventHearingSubmission, ymd(2025, 2, 24))))
	assert.Nil(t, f.a.Hearing, "the hearing ends with the submission")
}

// TestBenefitDenialAppeal follows C-TPAT (6 USC 967): benefits denied
// while the status stands, appealable within 90 days; an allowed appeal
// restores them.
func TestBenefitDenialAppeal(t *testing.T) {
	cfg := lifecycle.Config{Appeal: lifecycle.AppealRules{
		Stages:  []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30), DecisionDeadline: calendar.Days(180)}},
		Windows: map[string]calendar.Period{"benefit_denial": calendar.Days(90)},
	}}
	l := newMachine(t, cfg)
	f := granted(t, l, ymd(2025, 1, 6), "AEO")
	deny := withReasons(officerEvent(lifecycle.EventDenyBenefits, ymd(2025, 3, 3)))
	requireRule(t, f.try(deny), lifecycle.ErrInvalidEvent, "event.benefits", "a denial names the benefits")
	deny.Benefits = []string{"reduced_examination", "fast_lane"}
	f.do(deny)
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, "a denial of benefits is not a refusal of status")
	assert.True(t, f.a.Denied("fast_lane"))
	requireRule(t, f.fork().try(appealEvent(ymd(2025, 6, 2), lifecycle.StageCustomsReview, lifecycle.DecisionBenefitDenial)),
		lifecycle.ErrLate, "appeal.windows.benefit_denial", "91 days after the denial")
	f.do(appealEvent(ymd(2025, 6, 1), lifecycle.StageCustomsReview, lifecycle.DecisionBenefitDenial))
	assert.Equal(t, dateAt(2025, 11, 28), f.a.Appeal.DecisionDue, "180 days to decide")
	allow := withReasons(lifecycle.Event{Kind: lifecycle.EventAllowAppeal, At: ymd(2025, 7, 1), Actor: "reviewer", Role: lifecycle.ActorOfficer})
	f.do(allow)
	assert.Empty(t, f.a.DeniedBenefits, "the allowed appeal restores the benefits")
}

// TestInformalReviewOnly follows Canada PIP: a refusal is open only to an
// informal review, a revocation to the formal appeal.
func TestInformalReviewOnly(t *testing.T) {
	cfg := lifecycle.Config{Appeal: lifecycle.AppealRules{
		Stages:         []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)}},
		InformalReview: lifecycle.InformalReviewRules{Decisions: []string{"refusal"}, Window: calendar.Days(30), DecisionDeadline: calendar.Days(60)},
	}}
	l := newMachine(t, cfg)
	f := startFlow(t, l).
		do(lodgeEvent(ymd(2025, 1, 6), "", "PIP")).
		do(acceptEvent(ymd(2025, 1, 7))).
		do(decideEvent(lifecycle.EventRefuse, ymd(2025, 3, 3)))
	requireRule(t, f.try(appealEvent(ymd(2025, 3, 10), lifecycle.StageCustomsReview, lifecycle.DecisionNone)), lifecycle.ErrNotPermitted,
		"appeal.informal_review", "a refusal has no formal appeal")
	requireRule(t, f.fork().try(appealEvent(ymd(2025, 4, 3), lifecycle.StageInformalReview, lifecycle.DecisionNone)), lifecycle.ErrLate,
		"appeal.informal_review.window", "31 days after the refusal")
	f.do(appealEvent(ymd(2025, 4, 2), lifecycle.StageInformalReview, lifecycle.DecisionNone))
	assert.Equal(t, dateAt(2025, 6, 1), f.a.Appeal.DecisionDue)
	f.do(withReasons(lifecycle.Event{Kind: lifecycle.EventDismissAppeal, At: ymd(2025, 5, 2), Actor: "reviewer", Role: lifecycle.ActorOfficer}))
	requireRule(t, f.try(appealEvent(ymd(2025, 5, 3), lifecycle.StageCustomsReview, lifecycle.DecisionNone)), lifecycle.ErrInvalidTransition,
		"nothing-to-appeal", "the informal review is the end of the road")

	bad := cfg
	bad.Appeal.Excluded = []string{"refusal"}
	bad.Appeal.Windows = map[string]calendar.Period{"refusal": calendar.Days(10)}
	require.Error(t, bad.Validate(), "a decision both excluded and open to informal review, or with a formal window, is a contradiction")
}

// TestSeparateCertificate follows India: the AEO-LO certificate beside
// the T1/T2/T3 tiers is applied for on its own, and after revocation it
// bars re-application for 3 years while T1/T2 bar for 1.
func TestSeparateCertificate(t *testing.T) {
	cfg := lifecycle.Config{
		ReapplyBar:   lifecycle.ReapplyBar{AfterRevocation: calendar.Years(1), ByGrade: map[string]lifecycle.ReapplyBar{"T3": {AfterRevocation: calendar.Years(3)}}},
		Certificates: map[string]lifecycle.CertificateRules{"LO": {ReapplyBar: lifecycle.ReapplyBar{AfterRevocation: calendar.Years(3)}}},
	}
	l, err := lifecycle.New(cfg, testFP, map[string][]string{"compliance": {"AEO", "LO"}})
	require.NoError(t, err)
	requireRule(t, startFlow(t, l).try(lodgeEvent(ymd(2025, 1, 6), "T2", "AEO", "LO")), lifecycle.ErrInvalidEvent, "certificates.LO",
		"a separate certificate is applied for on its own")
	lo := granted(t, l, ymd(2025, 3, 3), "LO")
	lo.do(decideEvent(lifecycle.EventRevoke, ymd(2025, 6, 2)))
	require.Len(t, lo.a.Bars, 1)
	assert.Equal(t, "certificates.LO.reapply_bar.after_revocation", lo.a.Bars[0].Rule)
	assert.Equal(t, dateAt(2028, 6, 2), lo.a.Bars[0].Until)

	_, err = lifecycle.New(lifecycle.Config{Certificates: map[string]lifecycle.CertificateRules{"XX": {}}}, testFP, map[string][]string{"c": {"AEO"}})
	require.Error(t, err, "a certificate names an authorization type of the programme")
}
