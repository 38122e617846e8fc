package phases_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/phases"
)

// requireGate requires err to be a single *GateError of the given gate
// whose reason contains want.
func requireGate(t *testing.T, err error, gate phases.GateKind, want string) {
	t.Helper()
	require.ErrorIs(t, err, phases.ErrGateBlocked)
	var ge *phases.GateError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, gate, ge.Gate, "gate; error: %v", err)
	assert.Contains(t, ge.Reason, want)
}

// TestWalkTenOperatorPilot walks a pilot of ten operators through all nine
// phases of the default plan, checking at each phase that the gates refuse
// what the seed says must not happen yet.
func TestWalkTenOperatorPilot(t *testing.T) {
	p := phases.Default()
	var s phases.State
	advance := phases.Event{Kind: phases.AdvancePhase}
	try := func(ev phases.Event, y int, m time.Month, d int) error {
		t.Helper()
		before := snapshot(t, s)
		next, err := p.Apply(s, ev, date(y, m, d))
		require.Error(t, err, "Apply(%v) should be refused", ev.Kind)
		require.Equal(t, before, snapshot(t, next), "a refused event must return the state unchanged")
		return err
	}

	// Phase 1, Preface & Analysis: the programme structure gates the exit.
	s = finishPhase(t, p, s, 1, date(2025, 2, 28))
	requireGate(t, try(advance, 2025, 3, 3), phases.GateProgrammeStructure, "no programme loaded")
	s = mustApply(t, p, s, phases.Event{Kind: phases.ProgrammeLoaded,
		Programme: fakeProgramme{"requirements", "application", "certification", "validation", "benefits", "suspension"}}, date(2025, 3, 1))
	requireGate(t, try(advance, 2025, 3, 3), phases.GateProgrammeStructure, "programme does not define: appeal")
	s = mustApply(t, p, s, phases.Event{Kind: phases.ProgrammeLoaded, Programme: fullProgramme}, date(2025, 3, 3))
	s = mustApply(t, p, s, advance, date(2025, 3, 3))
	require.Equal(t, 2, s.Phase)

	// Phase 2, Strategic Planning: no operator may be admitted before the pilot phase.
	err := try(phases.Event{Kind: phases.OperatorsAdmitted, Operators: pilotOperators()[:1]}, 2025, 4, 1)
	require.ErrorIs(t, err, phases.ErrOutOfOrder)
	s = finishPhase(t, p, s, 2, date(2025, 5, 5))
	s = mustApply(t, p, s, advance, date(2025, 5, 5))

	// Phase 3, Pilot Execution: ten volunteers, a cross-section of sizes.
	s = mustApply(t, p, s, phases.Event{Kind: phases.OperatorsAdmitted, Operators: pilotOperators()}, date(2025, 6, 2))
	requireGate(t, try(phases.Event{Kind: phases.OperatorsAdmitted, Operators: []phases.Operator{
		{ID: "op-11", Type: phases.Importer, Size: phases.SME, Volunteer: true}}}, 2025, 6, 3),
		phases.GatePilot, "at most 10")
	requireGate(t, try(phases.Event{Kind: phases.OperatorsAdmitted, Operators: []phases.Operator{
		{ID: "broker-1", Type: phases.Broker, Size: phases.Large, Volunteer: true}}}, 2025, 6, 3),
		phases.GateAdmission, "opens on 2025-12-02")
	require.ErrorIs(t, try(phases.Event{Kind: phases.EvaluationHeld}, 2025, 6, 3), phases.ErrOutOfOrder,
		"no evaluation before the pilot starts")
	s = finishPhase(t, p, s, 3, date(2025, 7, 1))
	require.Equal(t, date(2025, 7, 1), s.PilotStart)
	requireGate(t, try(advance, 2025, 7, 1), phases.GateBenefits, "expedited-clearance, point-of-contact, front-of-line, training")
	requireGate(t, try(phases.Event{Kind: phases.BenefitIntroduced, ID: "member-lane"}, 2025, 7, 1),
		phases.GateBenefits, "earlier stages are not complete")
	s = introduceStage(t, p, s, 1, date(2025, 7, 1))
	s = mustApply(t, p, s, advance, date(2025, 7, 15))

	// Phase 4, Monitoring & Evaluation: the six-month evaluation gates the exit.
	s = finishPhase(t, p, s, 4, date(2025, 11, 3))
	requireGate(t, try(advance, 2025, 11, 3), phases.GateEvaluations, "evaluation 1 (due 2026-01-01) not held")
	s = mustApply(t, p, s, phases.Event{Kind: phases.EvaluationHeld}, date(2025, 12, 15))
	s = mustApply(t, p, s, advance, date(2025, 12, 20))

	// Phase 5, Enlargement: brokers six months after the first importers,
	// no longer bound by the pilot limits; the second evaluation.
	s = mustApply(t, p, s, phases.Event{Kind: phases.OperatorsAdmitted, Operators: []phases.Operator{
		{ID: "broker-1", Type: phases.Broker, Size: phases.SME},
		{ID: "broker-2", Type: phases.Broker, Size: phases.Large},
	}}, date(2025, 12, 20))
	s = finishPhase(t, p, s, 5, date(2026, 3, 2))
	requireGate(t, try(advance, 2026, 3, 2), phases.GateEvaluations, "evaluation 2 (due 2026-07-01) not held")
	s = mustApply(t, p, s, phases.Event{Kind: phases.EvaluationHeld}, date(2026, 6, 22))
	s = mustApply(t, p, s, advance, date(2026, 6, 30))

	// Phase 6, Implement Pilot.
	s = finishPhase(t, p, s, 6, date(2026, 9, 1))
	s = mustApply(t, p, s, advance, date(2026, 9, 1))

	// Phase 7, Further Pilots: stage 2 benefits.
	s = finishPhase(t, p, s, 7, date(2026, 11, 2))
	s = introduceStage(t, p, s, 2, date(2026, 11, 2))
	s = mustApply(t, p, s, advance, date(2026, 12, 1))

	// Phase 8, Implement all pilots: the third wave and stage 3 benefits.
	s = mustApply(t, p, s, phases.Event{Kind: phases.OperatorsAdmitted, Operators: []phases.Operator{
		{ID: "carrier-1", Type: phases.Carrier, Size: phases.Multinational},
		{ID: "port-1", Type: phases.Port, Size: phases.Large},
	}}, date(2027, 1, 11))
	s = finishPhase(t, p, s, 8, date(2027, 2, 1))
	requireGate(t, try(advance, 2027, 2, 1), phases.GateBenefits, "periodic-declarations")
	s = introduceStage(t, p, s, 3, date(2027, 2, 1))
	s = mustApply(t, p, s, advance, date(2027, 3, 1))

	// Phase 9, Completion of the programme (the optional legislation task
	// left open: the seed's footnote makes it conditional).
	s = finishPhase(t, p, s, 9, date(2027, 6, 1))
	s = mustApply(t, p, s, advance, date(2027, 6, 1))
	require.Equal(t, 9, s.Phase)
	require.Len(t, s.Left, 9)
	require.ErrorIs(t, try(advance, 2027, 6, 2), phases.ErrOutOfOrder, "nothing follows phase 9")

	// The programme still admits operators after completion.
	s = mustApply(t, p, s, phases.Event{Kind: phases.OperatorsAdmitted, Operators: []phases.Operator{
		{ID: "warehouse-1", Type: phases.Warehouse, Size: phases.SME},
	}}, date(2027, 7, 1))
	assertRoundTrip(t, s)

	r := p.Report(s, date(2027, 7, 1))
	assert.Equal(t, date(2027, 6, 1), r.Completed)
	assert.Empty(t, r.Blocking)
	assert.Zero(t, r.Overdue)
	for _, ph := range r.Phases {
		assert.Equal(t, phases.Done, ph.Status, "phase %d", ph.Number)
		for _, g := range ph.Gates {
			assert.False(t, g.Blocked, "phase %d gate %v", ph.Number, g.Gate)
		}
	}
	indicators := map[string]phases.IndicatorReport{}
	for _, ph := range r.Phases {
		for _, ind := range ph.Indicators {
			indicators[ind.ID] = ind
		}
	}
	assert.Equal(t, 10.0, indicators["pilot-operators"].Value)
	assert.Equal(t, phases.Met, indicators["pilot-operators"].Status)
	assert.Equal(t, 15.0, indicators["operators-admitted"].Value)
	assert.Equal(t, phases.Met, indicators["evaluations-first-year"].Status)
	assert.Equal(t, phases.Met, indicators["benefits-introduced"].Status)
	wantWaves := []int{10, 2, 3}
	for i, w := range r.Waves {
		assert.Equal(t, wantWaves[i], w.Admitted, "wave %d", w.Wave)
		assert.True(t, w.Open, "wave %d", w.Wave)
	}
	for _, e := range r.Evaluations {
		assert.Equal(t, phases.Held, e.Status, "evaluation %d", e.Number)
	}
}
