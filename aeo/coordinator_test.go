package aeo_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
)

func lcAssign(k aeo.EventKind, at time.Time, officer string) aeo.Event {
	ev := lcOfficer(k, at)
	ev.Coordinator = officer
	return ev
}

// TestCoordinatorRotation: the coordinator rotates after the period the
// programme sets, the outgoing one mentors the new one for the overlap,
// and neither is a party to the operator's appeals while they serve.
func TestCoordinatorRotation(t *testing.T) {
	l := lcLifecycle(t, "eu") // rotation 5y, mentoring 3m
	f := lcAuthorized(t, l, lcDay(2025, 1, 6), "", "AEOC", "AEOS")
	f.do(lcAssign(aeo.EventAssignCoordinator, lcDay(2025, 2, 3), "officer-c"))
	require.Equal(t, &aeo.ClientCoordinator{Officer: "officer-c", Since: lcDay(2025, 2, 3), RotationDue: lcDate(2030, time.February, 3)}, f.a.Coordinator)

	due := l.Due(f.a, lcDay(2030, 2, 4))
	require.NotEmpty(t, due)
	assert.Equal(t, aeo.DueCoordinatorRotation, due[len(due)-1].Kind)
	assert.True(t, due[len(due)-1].Overdue, "five years on, the rotation is overdue")

	requireRule(t, f.try(lcAssign(aeo.EventRotateCoordinator, lcDay(2026, 1, 5), "officer-c")),
		aeo.ErrInvalidEvent, "event.coordinator", "a rotation brings a new officer")
	rot := lcAssign(aeo.EventRotateCoordinator, lcDay(2026, 1, 5), "officer-d")
	rot.Interest = true
	requireRule(t, f.try(rot), aeo.ErrConflictOfInterest, "coordinator-interest", "Annex 4: no shares in the company")
	f.do(lcAssign(aeo.EventRotateCoordinator, lcDay(2026, 1, 5), "officer-d"))
	assert.Equal(t, &aeo.ClientCoordinator{
		Officer: "officer-d", Since: lcDay(2026, 1, 5), RotationDue: lcDate(2031, time.January, 5),
		Mentor: "officer-c", MentorUntil: lcDate(2026, time.April, 5),
	}, f.a.Coordinator, "the outgoing coordinator mentors the new one for 3 months")
	due = l.Due(f.a, lcDay(2026, 2, 1))
	assert.Equal(t, aeo.DueItem{Kind: aeo.DueMentoringEnd, Rule: "coordinator.mentoring", Due: lcDate(2026, time.April, 5)}, due[0])

	// A suspension is appealed; the coordinators may not rule on it.
	f.do(lcSuspend(lcDay(2026, 3, 2), "security"))
	f.do(lcAppeal(lcDay(2026, 3, 9), aeo.StageCustomsReview, aeo.DecisionNone))
	requireRule(t, f.try(lcRuling(aeo.EventDismissAppeal, lcDay(2026, 4, 1), "officer-d", aeo.ActorOfficer)),
		aeo.ErrConflictOfInterest, "coordinator-not-party", "the coordinator is not a party to the operator's appeals (Annex 4)")
	requireRule(t, f.try(lcRuling(aeo.EventDismissAppeal, lcDay(2026, 4, 5), "officer-c", aeo.ActorOfficer)),
		aeo.ErrConflictOfInterest, "coordinator-not-party", "nor is the mentor, on the last day of the overlap")
	require.NoError(t, f.fork().try(lcRuling(aeo.EventDismissAppeal, lcDay(2026, 4, 6), "officer-c", aeo.ActorOfficer)),
		"once the mentoring has ended, the former coordinator is a colleague like any other")
	f.do(lcRuling(aeo.EventAllowAppeal, lcDay(2026, 4, 1), "officer-r", aeo.ActorOfficer))
	assert.Equal(t, aeo.StatusAuthorized, f.a.Status)

	// The coordinator does not approve a decision on the operator.
	f.do(lcWithReasons(lcOfficer(aeo.EventProposeRevocation, lcDay(2026, 5, 4))))
	f.do(lcWithReasons(lcOperator(aeo.EventObservations, lcDay(2026, 5, 11))))
	rev := lcDecide(aeo.EventRevoke, lcDay(2026, 5, 18))
	rev.Approver = "officer-d"
	requireRule(t, f.try(rev), aeo.ErrConflictOfInterest, "coordinator-not-approver", "decisions on the operator are evaluated by colleagues")
}

func TestCoordinatorWithoutRules(t *testing.T) {
	l := lcNew(t, aeo.LifecycleConfig{})
	f := lcStart(t, l).do(lcLodge(lcDay(2025, 1, 6), "", "AEO"))
	requireRule(t, f.try(lcAssign(aeo.EventRotateCoordinator, lcDay(2025, 1, 7), "officer-d")),
		aeo.ErrInvalidTransition, "coordinator-assigned", "a rotation needs a coordinator to replace")
	requireRule(t, f.try(lcAssign(aeo.EventAssignCoordinator, lcDay(2025, 1, 7), "")),
		aeo.ErrInvalidEvent, "event.coordinator", "the coordinator is named")
	f.do(lcAssign(aeo.EventAssignCoordinator, lcDay(2025, 1, 7), "officer-c"))
	f.do(lcAssign(aeo.EventRotateCoordinator, lcDay(2025, 2, 7), "officer-d"))
	assert.Equal(t, &aeo.ClientCoordinator{Officer: "officer-d", Since: lcDay(2025, 2, 7)}, f.a.Coordinator,
		"without a mentoring period the outgoing coordinator leaves at once; without a rotation period none is due")
	assert.Empty(t, l.Due(f.a, lcDay(2040, 1, 1)))
}
