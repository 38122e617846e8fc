package lifecycle_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/lifecycle"
)

// TestLifecycleConfigValidate_validity covers the checks of validity
// terms, separate certificates and the informal review: each bad setting
// is refused with its key, so that no deadline is computed from it.
func TestLifecycleConfigValidate_validity(t *testing.T) {
	anchored, err := calendar.ParsePeriod("1m+eom")
	require.NoError(t, err)
	tests := []struct {
		name   string
		cfg    lifecycle.Config
		want   []string // path: message part
		reason string
	}{{
		name: "renewal without a term",
		cfg: lifecycle.Config{Validity: lifecycle.ValidityRules{
			RenewalWindow: calendar.Months(6), RenewalDecision: calendar.Days(30),
		}},
		want: []string{
			"validity.renewal_window: a renewal window needs a term of validity (validity.term)",
			"validity.renewal_decision: a renewal decision deadline needs a term of validity (validity.term)",
		},
		reason: "a renewal counts from the end of a validity that is not set",
	}, {
		name: "renewal window anchored",
		cfg: lifecycle.Config{Validity: lifecycle.ValidityRules{
			Term: calendar.Years(3), RenewalWindow: anchored,
		}},
		want:   []string{"validity.renewal_window: the renewal window counts back from the end of validity"},
		reason: "a window counted back cannot end on a month's last day",
	}, {
		name: "renewal window longer than the term",
		cfg: lifecycle.Config{Validity: lifecycle.ValidityRules{
			Term: calendar.Years(1), RenewalWindow: calendar.Months(18),
		}},
		want:   []string{"validity.renewal_window: renewal window 18m is longer than the term 1y"},
		reason: "a renewal could then be lodged before the grant",
	}, {
		name: "renewal window as long as the term",
		cfg: lifecycle.Config{Validity: lifecycle.ValidityRules{
			Term: calendar.Years(1), RenewalWindow: calendar.Months(12),
		}},
		reason: "a window of the whole term is the longest allowed",
	}, {
		name: "separate certificates",
		cfg: lifecycle.Config{Certificates: map[string]lifecycle.CertificateRules{
			" ": {},
			"AEO-LO": {
				ReapplyBar:    lifecycle.ReapplyBar{ByGrade: map[string]lifecycle.ReapplyBar{"T1": {}}},
				Validity:      lifecycle.ValidityRules{RenewalWindow: calendar.Months(3)},
				AppealWindows: map[string]calendar.Period{"dismissal": calendar.Days(30), "refusal": calendar.Days(-1)},
			},
		}},
		want: []string{
			"certificates: a certificate must be named by its authorization type",
			"certificates.AEO-LO.appeal_windows.refusal: period -1d is negative",
			"certificates.AEO-LO.reapply_bar.by_grade: a separate certificate has no grades",
			"certificates.AEO-LO.validity.renewal_window: a renewal window needs a term of validity (certificates.AEO-LO.validity.term)",
			`certificates.AEO-LO.appeal_windows.dismissal: unknown decision "dismissal"`,
		},
		reason: "a separate certificate's rules are checked as the general ones are, under its own keys",
	}, {
		name: "informal review",
		cfg: lifecycle.Config{Appeal: lifecycle.AppealRules{
			Stages:   []lifecycle.AppealStageRule{{Stage: lifecycle.StageInformalReview}},
			Windows:  map[string]calendar.Period{"refusal": calendar.Days(30)},
			Excluded: []string{"annulment"},
			InformalReview: lifecycle.InformalReviewRules{
				Decisions: []string{"refusal", "omission", "dismissal", "annulment", "refusal"},
			},
		}},
		want: []string{
			"appeal.stages[0].stage: the informal review is set under appeal.informal_review, not among the stages",
			"appeal.windows.refusal: a window for refusal, which is open only to the informal review",
			`appeal.informal_review.decisions[1]: unknown decision "omission"`,
			`appeal.informal_review.decisions[2]: unknown decision "dismissal"`,
			"appeal.informal_review.decisions[3]: annulment is in appeal.excluded",
			"appeal.informal_review.decisions[4]: refusal listed twice",
		},
		reason: "a decision is open to the formal stages, or to the informal review only, or excluded: never two at once",
	}, {
		name: "informal review without decisions",
		cfg: lifecycle.Config{Appeal: lifecycle.AppealRules{
			InformalReview: lifecycle.InformalReviewRules{Window: calendar.Days(30)},
		}},
		want:   []string{"appeal.informal_review.decisions: name the decisions open only to the informal review"},
		reason: "a window for a review of nothing is a mistake",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.want) == 0 {
				require.NoError(t, err, tt.reason)
				return
			}
			var list diag.List
			require.True(t, errors.As(err, &list), "Validate returns a diag.List, got %v; %s", err, tt.reason)
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			for _, w := range tt.want {
				found := false
				for _, g := range got {
					found = found || len(g) >= len(w) && g[:len(w)] == w
				}
				assert.True(t, found, "want a problem starting %q among:\n%s\n%s", w, cmp.Diff(nil, got), tt.reason)
			}
			_, err = lifecycle.New(tt.cfg, testFP, nil)
			require.Error(t, err, "New validates; %s", tt.reason)
		})
	}
}

func TestMachine_TimeRule(t *testing.T) {
	l := machineFor(t, "eu")
	assert.True(t, l.TimeRule("decision_deadline"), "the EU sets a decision deadline")
	assert.True(t, l.TimeRule("reapply_bar.after_revocation"), "and a bar after revocation")
	assert.False(t, l.TimeRule("decision_deadlines"), "a key the programme does not set is no time rule")
	assert.False(t, l.TimeRule(""), "nor is an empty key")
}

func TestMonitoringKind_text(t *testing.T) {
	for _, k := range []lifecycle.MonitoringKind{lifecycle.MonitoringOther, lifecycle.MonitoringSelfAssessment, lifecycle.MonitoringSpotCheck} {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var back lifecycle.MonitoringKind
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, k, back, "%s reads back", b)
	}
	k := lifecycle.MonitoringSpotCheck
	assert.Error(t, k.UnmarshalText([]byte("audit")), "an unknown kind is refused")
	assert.Equal(t, lifecycle.MonitoringSpotCheck, k, "and leaves the kind as it was")
}

func TestLifecycleSuspendTypeNotHeld(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.March, 3)
	f := authorizedFlow(t, l, day, "", "AEOC")
	err := f.try(suspendEvent(day.AddDate(0, 2, 0), "", "AEOS"))
	requireRule(t, err, lifecycle.ErrInvalidEvent, "event.types", "a type the operator does not hold cannot be suspended")
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, "and the refusal changes nothing")
}

// TestSeparateCertificateRules: a separate certificate's own validity
// term and appeal window replace the general ones for an authorization of
// that certificate alone.
func TestSeparateCertificateRules(t *testing.T) {
	cfg := lifecycle.Config{
		Validity: lifecycle.ValidityRules{Term: calendar.Years(5)},
		Appeal:   lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)}}},
		Certificates: map[string]lifecycle.CertificateRules{"LO": {
			Validity:      lifecycle.ValidityRules{Term: calendar.Years(2)},
			AppealWindows: map[string]calendar.Period{"refusal": calendar.Days(10)},
		}},
	}
	l, err := lifecycle.New(cfg, testFP, map[string][]string{"compliance": {"AEO", "LO"}})
	require.NoError(t, err)

	lo := granted(t, l, ymd(2025, 3, 3), "LO")
	aeo := granted(t, l, ymd(2025, 3, 3), "AEO")
	assert.Equal(t, lo.a.ValidUntil.AddDate(3, 0, 0), aeo.a.ValidUntil, "the certificate is valid 2 years, the status 5")
	assert.Contains(t, dueOf(l, lo.a, lo.a.ValidUntil.AddDate(0, 0, 2)), "lapse certificates.LO.validity.term", "its lapse cites its own rule")

	refused := ymd(2025, 5, 5)
	f := startFlow(t, l).do(lodgeEvent(ymd(2025, 1, 6), "", "LO")).do(acceptEvent(ymd(2025, 1, 7))).
		do(decideEvent(lifecycle.EventRefuse, refused))
	requireRule(t, f.fork().try(appealEvent(refused.AddDate(0, 0, 11), lifecycle.StageCustomsReview, lifecycle.DecisionNone)),
		lifecycle.ErrLate, "certificates.LO.appeal_windows.refusal", "the certificate's 10 days, not the stage's 30")
	f.do(appealEvent(refused.AddDate(0, 0, 10), lifecycle.StageCustomsReview, lifecycle.DecisionNone))

	g := startFlow(t, l).do(lodgeEvent(ymd(2025, 1, 6), "", "AEO")).do(acceptEvent(ymd(2025, 1, 7))).
		do(decideEvent(lifecycle.EventRefuse, refused))
	g.do(appealEvent(refused.AddDate(0, 0, 30), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
}

// TestInformalReviewAfterReasons: the window of an informal review runs
// from the day the reasons were given, when the operator asked for them.
func TestInformalReviewAfterReasons(t *testing.T) {
	cfg := lifecycle.Config{Appeal: lifecycle.AppealRules{
		Stages:         []lifecycle.AppealStageRule{{Stage: lifecycle.StageRequestReasons}, {Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)}},
		InformalReview: lifecycle.InformalReviewRules{Decisions: []string{"refusal"}, Window: calendar.Days(30)},
	}}
	l := newMachine(t, cfg)
	refused := ymd(2025, 3, 3)
	f := startFlow(t, l).do(lodgeEvent(ymd(2025, 1, 6), "", "PIP")).do(acceptEvent(ymd(2025, 1, 7))).
		do(decideEvent(lifecycle.EventRefuse, refused)).
		do(operatorEvent(lifecycle.EventRequestReasons, refused.AddDate(0, 0, 2)))
	asked := f.fork()
	asked.do(appealEvent(refused.AddDate(0, 0, 30), lifecycle.StageInformalReview, lifecycle.DecisionNone))
	requireRule(t, f.fork().try(appealEvent(refused.AddDate(0, 0, 31), lifecycle.StageInformalReview, lifecycle.DecisionNone)),
		lifecycle.ErrLate, "appeal.informal_review.window", "reasons asked for but not given: the window runs from the refusal")
	f.do(withReasons(officerEvent(lifecycle.EventGiveReasons, refused.AddDate(0, 0, 9))))
	requireRule(t, f.fork().try(appealEvent(refused.AddDate(0, 0, 40), lifecycle.StageInformalReview, lifecycle.DecisionNone)),
		lifecycle.ErrLate, "appeal.informal_review.window", "30 days from the reasons given on day 9 end on day 39")
	f.do(appealEvent(refused.AddDate(0, 0, 39), lifecycle.StageInformalReview, lifecycle.DecisionNone))
}

// TestResubmitWithTypes: a returned application may be resubmitted for
// other types, checked as a lodgement is.
func TestResubmitWithTypes(t *testing.T) {
	cfg := lifecycle.Config{
		CompletionWindow: calendar.Days(30),
		Certificates:     map[string]lifecycle.CertificateRules{"LO": {}},
	}
	l, err := lifecycle.New(cfg, testFP, map[string][]string{"compliance": {"AEOC", "AEOS", "LO"}})
	require.NoError(t, err)
	day := ymd(2025, 1, 6)
	f := startFlow(t, l).do(lodgeEvent(day, "", "AEOC")).do(withReasons(officerEvent(lifecycle.EventReturn, day.AddDate(0, 0, 5))))
	bad := operatorEvent(lifecycle.EventResubmit, day.AddDate(0, 0, 10))
	bad.Types = []string{"AEOS", "LO"}
	requireRule(t, f.try(bad), lifecycle.ErrInvalidEvent, "certificates.LO", "a separate certificate is applied for on its own, on resubmission too")
	ok := operatorEvent(lifecycle.EventResubmit, day.AddDate(0, 0, 10))
	ok.Types = []string{"AEOS", "AEOC"}
	f.do(ok)
	assert.Equal(t, []string{"AEOC", "AEOS"}, f.a.Applied, "the resubmission names the types now applied for, sorted")
}

// TestDueSuspendedTypesInOrder: the due items of types suspended on the
// same day are listed by type.
func TestDueSuspendedTypesInOrder(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.March, 3)
	f := authorizedFlow(t, l, day, "", "AEOS", "AEOC")
	at := day.AddDate(0, 2, 0)
	f.do(suspendEvent(at, "solvency"))
	var types []string
	for _, d := range l.Due(f.a, at) {
		if d.Kind == lifecycle.DueSuspensionEnd {
			types = append(types, d.Type)
		}
	}
	assert.Equal(t, []string{"AEOC", "AEOS"}, types, "same day, same kind: by type")
}

// TestReplayVersionsUnknown: a record of a programme version nobody
// knows is a mismatch, unless it was tampered with, which is reported as
// such first.
func TestReplayVersionsUnknown(t *testing.T) {
	f := sampleHistory(t)
	none := func(string) *lifecycle.Machine { return nil }
	_, err := lifecycle.ReplayVersions(f.recs, none)
	require.ErrorIs(t, err, lifecycle.ErrReplayMismatch, "no machine for the fingerprint")
	assert.ErrorContains(t, err, "no version of the programme has fingerprint")

	tampered := append([]lifecycle.Record(nil), f.recs...)
	tampered[0].Event.Actor = "someone else"
	_, err = lifecycle.ReplayVersions(tampered, none)
	require.ErrorIs(t, err, lifecycle.ErrTampered, "a changed record is tampering, whatever its version")
	assert.NotErrorIs(t, err, lifecycle.ErrReplayMismatch)
}
