package lifecycle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/lifecycle"
)

func assignEvent(k lifecycle.EventKind, at time.Time, officer string) lifecycle.Event {
	ev := officerEvent(k, at)
	ev.Coordinator = officer
	return ev
}

// TestCoordinatorRotation: the coordinator rotates after the period the
// programme sets, the outgoing one mentors the new one for the overlap,
// and neither is a party to the operator's appeals while they serve.
func TestCoordinatorRotation(t *testing.T) {
	l := machineFor(t, "eu") // rotation 5y, mentoring 3m
	f := authorizedFlow(t, l, ymd(2025, 1, 6), "", "AEOC", "AEOS")
	f.do(assignEvent(lifecycle.EventAssignCoordinator, ymd(2025, 2, 3), "officer-c"))
	require.Equal(t, &lifecycle.ClientCoordinator{Officer: "officer-c", Since: ymd(2025, 2, 3), RotationDue: dateAt(2030, time.February, 3)}, f.a.Coordinator)

	due := l.Due(f.a, ymd(2030, 2, 4))
	require.NotEmpty(t, due)
	assert.Equal(t, lifecycle.DueCoordinatorRotation, due[len(due)-1].Kind)
	assert.True(t, due[len(due)-1].Overdue, "five years on, the rotation is overdue")

	requireRule(t, f.try(assignEvent(lifecycle.EventRotateCoordinator, ymd(2026, 1, 5), "officer-c")),
		lifecycle.ErrInvalidEvent, "event.coordinator", "a rotation brings a new officer")
	rot := assignEvent(lifecycle.EventRotateCoordinator, ymd(2026, 1, 5), "officer-d")
	rot.Interest = true
	requireRule(t, f.try(rot), lifecycle.ErrConflictOfInterest, "coordinator-interest", "Annex 4: no shares in the company")
	f.do(assignEvent(lifecycle.EventRotateCoordinator, ymd(2026, 1, 5), "officer-d"))
	assert.Equal(t, &lifecycle.ClientCoordinator{
		Officer: "officer-d", Since: ymd(2026, 1, 5), RotationDue: dateAt(2031, time.January, 5),
		Mentor: "officer-c", MentorUntil: dateAt(2026, time.April, 5),
	}, f.a.Coordinator, "the outgoing coordinator mentors the new one for 3 months")
	due = l.Due(f.a, ymd(2026, 2, 1))
	assert.Equal(t, lifecycle.DueItem{Kind: lifecycle.DueMentoringEnd, Rule: "coordinator.mentoring", Due: dateAt(2026, time.April, 5)}, due[0])

	// A suspension is appealed; the coordinators may not rule on it.
	f.do(suspendEvent(ymd(2026, 3, 2), "security"))
	f.do(appealEvent(ymd(2026, 3, 9), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
	requireRule(t, f.try(rulingEvent(lifecycle.EventDismissAppeal, ymd(2026, 4, 1), "officer-d", lifecycle.ActorOfficer)),
		lifecycle.ErrConflictOfInterest, "coordinator-not-party", "the coordinator is not a party to the operator's appeals (Annex 4)")
	requireRule(t, f.try(rulingEvent(lifecycle.EventDismissAppeal, ymd(2026, 4, 5), "officer-c", lifecycle.ActorOfficer)),
		lifecycle.ErrConflictOfInterest, "coordinator-not-party", "nor is the mentor, on the last day of the overlap")
	require.NoError(t, f.fork().try(rulingEvent(lifecycle.EventDismissAppeal, ymd(2026, 4, 6), "officer-c", lifecycle.ActorOfficer)),
		"once the mentoring has ended, the former coordinator is a colleague like any other")
	f.do(rulingEvent(lifecycle.EventAllowAppeal, ymd(2026, 4, 1), "officer-r", lifecycle.ActorOfficer))
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status)

	// The coordinator does not approve a decision on the operator.
	f.do(withReasons(officerEvent(lifecycle.EventProposeRevocation, ymd(2026, 5, 4))))
	f.do(withReasons(operatorEvent(lifecycle.EventObservations, ymd(2026, 5, 11))))
	rev := decideEvent(lifecycle.EventRevoke, ymd(2026, 5, 18))
	rev.Approver = "officer-d"
	requireRule(t, f.try(rev), lifecycle.ErrConflictOfInterest, "coordinator-not-approver", "decisions on the operator are evaluated by colleagues")
}

func TestCoordinatorWithoutRules(t *testing.T) {
	l := newMachine(t, lifecycle.Config{})
	f := startFlow(t, l).do(lodgeEvent(ymd(2025, 1, 6), "", "AEO"))
	requireRule(t, f.try(assignEvent(lifecycle.EventRotateCoordinator, ymd(2025, 1, 7), "officer-d")),
		lifecycle.ErrInvalidTransition, "coordinator-assigned", "a rotation needs a coordinator to replace")
	requireRule(t, f.try(assignEvent(lifecycle.EventAssignCoordinator, ymd(2025, 1, 7), "")),
		lifecycle.ErrInvalidEvent, "event.coordinator", "the coordinator is named")
	f.do(assignEvent(lifecycle.EventAssignCoordinator, ymd(2025, 1, 7), "officer-c"))
	f.do(assignEvent(lifecycle.EventRotateCoordinator, ymd(2025, 2, 7), "officer-d"))
	assert.Equal(t, &lifecycle.ClientCoordinator{Officer: "officer-d", Since: ymd(2025, 2, 7)}, f.a.Coordinator,
		"without a mentoring period the outgoing coordinator leaves at once; without a rotation period none is due")
	assert.Empty(t, l.Due(f.a, ymd(2040, 1, 1)))
}
