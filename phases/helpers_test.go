package phases_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/phases"
)

// date returns midnight UTC on the given day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fakeProgramme stands in for *aeo.Programme.
type fakeProgramme []string

func (f fakeProgramme) Sections() []string { return f }

// obligedProgramme also reports Customs' obligations it does not meet.
type obligedProgramme struct{ sections, open []string }

func (o obligedProgramme) Sections() []string        { return o.sections }
func (o obligedProgramme) OpenObligations() []string { return o.open }

// panickyProgramme behaves like a nil *aeo.Programme whose Sections
// dereferences its receiver.
type panickyProgramme struct{ sections *[]string }

func (p *panickyProgramme) Sections() []string { return *p.sections }

// fullProgramme defines every part of the programme structure.
var fullProgramme = fakeProgramme(phases.StructureSections())

// equateStates compares states as JSON would: empty and nil maps and
// slices are equal, and times are compared with Time.Equal (go-cmp uses the
// Equal method).
var equateStates = cmpopts.EquateEmpty()

func mustApply(t testing.TB, p *phases.Plan, s phases.State, ev phases.Event, at time.Time) phases.State {
	t.Helper()
	next, err := p.Apply(s, ev, at)
	require.NoError(t, err, "Apply(%v %q) on %s", ev.Kind, ev.ID, at.Format(time.DateOnly))
	return next
}

// finishPhase marks every required task and every milestone of phase n done
// on at.
func finishPhase(t testing.TB, p *phases.Plan, s phases.State, n int, at time.Time) phases.State {
	t.Helper()
	ph := p.Config().Phases[n-1]
	for _, task := range ph.Tasks {
		if !task.Optional {
			s = mustApply(t, p, s, phases.Event{Kind: phases.TaskDone, ID: task.ID}, at)
		}
	}
	for _, m := range ph.Milestones {
		s = mustApply(t, p, s, phases.Event{Kind: phases.MilestoneReached, ID: m.ID}, at)
	}
	return s
}

// introduceStage introduces every benefit of the given stage on at.
func introduceStage(t testing.TB, p *phases.Plan, s phases.State, stage int, at time.Time) phases.State {
	t.Helper()
	for _, b := range p.Config().Benefits {
		if b.Stage == stage {
			s = mustApply(t, p, s, phases.Event{Kind: phases.BenefitIntroduced, ID: b.ID}, at)
		}
	}
	return s
}

// pilotOperators returns ten volunteer importers and exporters: three SMEs,
// four large companies and three multinationals.
func pilotOperators() []phases.Operator {
	sizes := []phases.Size{phases.SME, phases.SME, phases.SME, phases.Large, phases.Large,
		phases.Large, phases.Large, phases.Multinational, phases.Multinational, phases.Multinational}
	ops := make([]phases.Operator, len(sizes))
	for i, z := range sizes {
		typ := phases.Importer
		if i%2 == 1 {
			typ = phases.Exporter
		}
		ops[i] = phases.Operator{ID: fmt.Sprintf("op-%02d", i+1), Type: typ, Size: z, Volunteer: true}
	}
	return ops
}

// assertRoundTrip checks that s survives a JSON round trip.
func assertRoundTrip(t testing.TB, s phases.State) {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	var back phases.State
	require.NoError(t, json.Unmarshal(b, &back))
	if diff := cmp.Diff(s, back, equateStates); diff != "" {
		t.Errorf("JSON round trip of State mismatch (-want +got):\n%s", diff)
	}
}

// snapshot returns a JSON copy of s, to check later that s was not changed.
func snapshot(t testing.TB, s phases.State) string {
	t.Helper()
	b, err := json.Marshal(s)
	require.NoError(t, err)
	return string(b)
}

// toEnlargement drives the default plan from the start to phase 5
// (Enlargement) with the ten-operator pilot, launched on 2025-07-01, the
// first evaluation held, stage 1 benefits introduced and a few indicators
// recorded. The last event is dated 2025-12-20.
func toEnlargement(t testing.TB) phases.State {
	t.Helper()
	p := phases.Default()
	var s phases.State
	s = finishPhase(t, p, s, 1, date(2025, 2, 28))
	s = mustApply(t, p, s, phases.Event{Kind: phases.ProgrammeLoaded, Programme: fullProgramme}, date(2025, 2, 28))
	s = mustApply(t, p, s, phases.Event{Kind: phases.AdvancePhase}, date(2025, 3, 3))

	s = finishPhase(t, p, s, 2, date(2025, 5, 5))
	s = mustApply(t, p, s, phases.Event{Kind: phases.IndicatorRecorded, ID: "officers-briefed", Value: 140}, date(2025, 5, 5))
	s = mustApply(t, p, s, phases.Event{Kind: phases.AdvancePhase}, date(2025, 5, 5))

	s = mustApply(t, p, s, phases.Event{Kind: phases.OperatorsAdmitted, Operators: pilotOperators()}, date(2025, 6, 2))
	s = finishPhase(t, p, s, 3, date(2025, 7, 1))
	s = introduceStage(t, p, s, 1, date(2025, 7, 1))
	s = mustApply(t, p, s, phases.Event{Kind: phases.AdvancePhase}, date(2025, 7, 15))

	s = finishPhase(t, p, s, 4, date(2025, 11, 3))
	s = mustApply(t, p, s, phases.Event{Kind: phases.EvaluationHeld}, date(2025, 12, 15))
	s = mustApply(t, p, s, phases.Event{Kind: phases.IndicatorRecorded, ID: "point-of-contact-hours", Value: 62.5}, date(2025, 12, 15))
	s = mustApply(t, p, s, phases.Event{Kind: phases.AdvancePhase}, date(2025, 12, 20))
	return s
}
