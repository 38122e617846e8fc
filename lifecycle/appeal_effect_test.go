package lifecycle_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// Tests of the appeal track at its edges: the window counted from the
// reasons given, what is left to withdraw after a dismissal, and what an
// allowed appeal restores.

// TestAppealWindowAfterReasons checks that the window of the first review
// stage runs from the decision while its reasons are only requested, and
// from the day they were given once they are (RKC 10.3, 10.8).
func TestAppealWindowAfterReasons(t *testing.T) {
	l := newMachine(t, lifecycle.Config{Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{
		{Stage: lifecycle.StageRequestReasons},
		{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)},
	}}})
	day := ymd(2025, time.January, 6)
	refused := ymd(2025, time.March, 3) // the window from the refusal ends on 2 April
	given := ymd(2025, time.March, 24)  // the window from the reasons ends on 23 April
	tests := []struct {
		name   string
		given  bool
		at     time.Time
		ok     bool
		reason string
	}{
		{"requested, within the window of the refusal", false, ymd(2025, time.March, 28), true,
			"reasons requested but not yet given: the window runs from the refusal"},
		{"requested, on the last day of the window", false, ymd(2025, time.April, 2), true,
			"30 days from 3 March end on 2 April"},
		{"requested, after the window of the refusal", false, ymd(2025, time.April, 3), false,
			"asking for reasons that never came does not stop the window of the refusal"},
		{"given, after the window of the refusal", true, ymd(2025, time.April, 10), true,
			"once given, the window runs from the reasons: the appellant could not appeal what it had not been told"},
		{"given, on the last day of the window from them", true, ymd(2025, time.April, 23), true,
			"30 days from 24 March end on 23 April"},
		{"given, after the window from them", true, ymd(2025, time.April, 24), false,
			"the reasons restart the window once, they do not keep it open"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day)).
				do(decideEvent(lifecycle.EventRefuse, refused)).
				do(operatorEvent(lifecycle.EventRequestReasons, refused.AddDate(0, 0, 2)))
			if tt.given {
				f.do(withReasons(officerEvent(lifecycle.EventGiveReasons, given)))
			}
			err := f.try(appealEvent(tt.at, lifecycle.StageCustomsReview, lifecycle.DecisionNone))
			if !tt.ok {
				requireRule(t, err, lifecycle.ErrLate, "appeal.stages[1].window", tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, lifecycle.AppealLodged, f.a.Appeal.Phase, tt.reason)
			assert.Equal(t, lifecycle.DecisionRefusal, f.a.Appeal.Decision.Kind, tt.reason)
		})
	}
}

// TestWithdrawAfterDismissal checks that an appeal dismissed at a stage
// with a further stage may still be withdrawn (the appellant gives up the
// further appeal), and one dismissed at the last stage, or at an informal
// review, which ends the track, may not.
func TestWithdrawAfterDismissal(t *testing.T) {
	informal := newMachine(t, lifecycle.Config{Appeal: lifecycle.AppealRules{
		Stages:         []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30)}},
		InformalReview: lifecycle.InformalReviewRules{Decisions: []string{"refusal"}, Window: calendar.Days(30)},
	}})
	day := ymd(2025, time.January, 6)
	refused := day.AddDate(0, 0, 60)
	tests := []struct {
		name   string
		l      *lifecycle.Machine
		stages []lifecycle.AppealStage
		ok     bool
		reason string
	}{
		{"dismissed at the first of two stages", machineFor(t, "eu"), []lifecycle.AppealStage{lifecycle.StageCustomsReview}, true,
			"the independent review is still open: the appellant may withdraw instead of going on"},
		{"dismissed at the last stage", machineFor(t, "eu"),
			[]lifecycle.AppealStage{lifecycle.StageCustomsReview, lifecycle.StageIndependentReview}, false,
			"the ruling at the last stage ends the appeal: nothing is left to withdraw"},
		{"dismissed at the informal review", informal, []lifecycle.AppealStage{lifecycle.StageInformalReview}, false,
			"the informal review is the end of the road for a refusal open only to it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := startFlow(t, tt.l).do(lodgeEvent(day, "", "AEOC")).do(acceptEvent(day)).
				do(decideEvent(lifecycle.EventRefuse, refused))
			at := refused
			for _, st := range tt.stages {
				reviewer, role := "officer-r", lifecycle.ActorOfficer
				if st == lifecycle.StageIndependentReview {
					reviewer, role = "tribunal", lifecycle.ActorReviewBody
				}
				f.do(appealEvent(at.AddDate(0, 0, 5), st, lifecycle.DecisionNone)).
					do(rulingEvent(lifecycle.EventDismissAppeal, at.AddDate(0, 0, 10), reviewer, role))
				at = at.AddDate(0, 0, 10)
			}
			require.Equal(t, lifecycle.AppealDismissed, f.a.Appeal.Phase)
			err := f.try(withReasons(operatorEvent(lifecycle.EventWithdrawAppeal, at.AddDate(0, 0, 1))))
			if !tt.ok {
				requireRule(t, err, lifecycle.ErrInvalidTransition, "appeal-exhausted", tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, lifecycle.AppealWithdrawn, f.a.Appeal.Phase, tt.reason)
			assert.Nil(t, f.a.Decision, "a withdrawn appeal leaves the refusal standing, no longer appealable")
		})
	}
}

// TestAllowedAppealRestores checks what an allowed appeal against a
// suspension, a revocation in part and an annulment gives back: the types
// that decision took, as they stood, whichever their place in the list.
func TestAllowedAppealRestores(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.January, 6)
	at := ymd(2025, time.June, 2)
	propose := func(f *flow) *flow {
		return f.do(withReasons(officerEvent(lifecycle.EventProposeRevocation, at.AddDate(0, 0, -40))))
	}
	tests := []struct {
		name      string
		before    func(*flow) *flow
		decide    lifecycle.Event
		against   lifecycle.DecisionKind
		decided   lifecycle.Status
		wantTypes []string
		reason    string
	}{{
		name:      "the suspension of the first type",
		decide:    suspendEvent(at, "competence"),
		against:   lifecycle.DecisionSuspension,
		decided:   lifecycle.StatusPartlySuspended,
		wantTypes: []string{"AEOC", "AEOS"},
		reason:    "competence suspended AEOC, the first type listed; the allowed appeal lifts it",
	}, {
		name:      "the revocation of one type of two",
		before:    propose,
		decide:    decideEvent(lifecycle.EventRevoke, at, "AEOS"),
		against:   lifecycle.DecisionRevocation,
		decided:   lifecycle.StatusAuthorized,
		wantTypes: []string{"AEOC", "AEOS"},
		reason:    "AEOS, revoked while AEOC stays held, is restored beside it and its re-application bar lifted",
	}, {
		name:      "the revocation of the first type",
		before:    propose,
		decide:    decideEvent(lifecycle.EventRevoke, at, "AEOC"),
		against:   lifecycle.DecisionRevocation,
		decided:   lifecycle.StatusAuthorized,
		wantTypes: []string{"AEOC", "AEOS"},
		reason:    "AEOC is restored in its place, before AEOS",
	}, {
		name:      "the annulment",
		decide:    decideEvent(lifecycle.EventAnnul, at),
		against:   lifecycle.DecisionAnnulment,
		decided:   lifecycle.StatusAnnulled,
		wantTypes: []string{"AEOC", "AEOS"},
		reason:    "the annulled authorization is restored as it stood",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
			if tt.before != nil {
				tt.before(f)
			}
			f.do(tt.decide)
			require.Equal(t, tt.decided, f.a.Status, "the decision took effect")
			require.Less(t, len(f.a.ActiveTypes(at)), 2, "the decision took a type")
			f.do(appealEvent(at.AddDate(0, 0, 10), lifecycle.StageCustomsReview, tt.against)).
				do(rulingEvent(lifecycle.EventAllowAppeal, at.AddDate(0, 0, 40), "officer-r", lifecycle.ActorOfficer))
			assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, tt.reason)
			assert.Equal(t, tt.wantTypes, f.a.ActiveTypes(at.AddDate(0, 0, 40)), tt.reason)
			assert.Empty(t, f.a.Bars, "the bars the decision set are lifted with it")
		})
	}
}

// TestAllowedAppealListsATypeOnce gives an allowed appeal against a
// revocation a state in which the revoked type is held again (a state not
// made by Apply, as a host may store one): the type is not listed twice.
func TestAllowedAppealListsATypeOnce(t *testing.T) {
	l := machineFor(t, "eu")
	at := ymd(2025, time.June, 2)
	f := authorizedFlow(t, l, ymd(2025, time.January, 6), "", "AEOC", "AEOS").
		do(withReasons(officerEvent(lifecycle.EventProposeRevocation, at.AddDate(0, 0, -40)))).
		do(decideEvent(lifecycle.EventRevoke, at, "AEOC")).
		do(appealEvent(at.AddDate(0, 0, 10), lifecycle.StageCustomsReview, lifecycle.DecisionRevocation))
	require.Len(t, f.a.Appeal.Decision.Types, 1)
	a := f.a
	a.Types = append([]lifecycle.TypeState{f.a.Appeal.Decision.Types[0]}, f.a.Types...)
	next, _, err := l.Apply(a, rulingEvent(lifecycle.EventAllowAppeal, at.AddDate(0, 0, 40), "officer-r", lifecycle.ActorOfficer))
	require.NoError(t, err)
	var got []string
	for _, ty := range next.Types {
		got = append(got, ty.Type)
	}
	if diff := cmp.Diff([]string{"AEOC", "AEOS"}, got); diff != "" {
		t.Errorf("a type already held is not restored a second time (-want +got):\n%s", diff)
	}
}
