package phases_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/phases"
)

// satisfied returns a state of the default plan in phase n in which every
// gate of every phase holds: all tasks and milestones of phases up to n
// done, the full programme loaded, a ten-operator pilot launched on
// 2025-07-01 (admitted 2025-06-02), both first-year evaluations held, a
// broker admitted, every benefit introduced. Each row of TestGates breaks
// one thing.
func satisfied(n int) phases.State {
	p := phases.Default()
	d := date(2025, 6, 2)
	s := phases.State{
		Phase:      n,
		Updated:    date(2026, 7, 1),
		PilotStart: date(2025, 7, 1),
		Programme:  &phases.ProgrammeRecord{Loaded: d, Sections: phases.StructureSections()},
		Evaluations: []time.Time{
			date(2025, 12, 15), date(2026, 6, 22),
		},
		Tasks:      map[string]time.Time{},
		Milestones: map[string]time.Time{},
		Benefits:   map[string]time.Time{},
	}
	for i := 1; i < n; i++ {
		s.Left = append(s.Left, d)
	}
	for _, ph := range p.Config().Phases[:n] {
		for _, t := range ph.Tasks {
			s.Tasks[t.ID] = d
		}
		for _, m := range ph.Milestones {
			s.Milestones[m.ID] = d
		}
	}
	for _, op := range pilotOperators() {
		s.Operators = append(s.Operators, phases.AdmittedOperator{Operator: op, Admitted: d, Phase: 3, Pilot: true})
	}
	s.Operators = append(s.Operators, phases.AdmittedOperator{
		Operator: phases.Operator{ID: "broker-1", Type: phases.Broker, Size: phases.SME},
		Admitted: date(2025, 12, 20), Phase: 5,
	})
	for _, b := range p.Config().Benefits {
		s.Benefits[b.ID] = date(2025, 7, 1)
	}
	return s
}

// Helpers that break one thing in a state built by satisfied.
func without[V any](m map[string]V, ids ...string) map[string]V {
	for _, id := range ids {
		delete(m, id)
	}
	return m
}

func pilotOnly(s phases.State, keep func(phases.AdmittedOperator) bool) []phases.AdmittedOperator {
	var out []phases.AdmittedOperator
	for _, op := range s.Operators {
		if !op.Pilot || keep(op) {
			out = append(out, op)
		}
	}
	return out
}

func TestGates(t *testing.T) {
	tests := []struct {
		name   string
		phase  int
		edit   func(s *phases.State)
		gate   phases.GateKind // UnknownGate: the phase may be left
		want   string          // part of the reason
		reason string
	}{
		// tasks
		{
			name: "all tasks done", phase: 2, edit: func(*phases.State) {},
			reason: "a phase whose gates all hold can be left",
		},
		{
			name: "required task open", phase: 2,
			edit: func(s *phases.State) { without(s.Tasks, "p2-scope") },
			gate: phases.GateTasks, want: "open tasks: p2-scope",
			reason: "every required task of the phase must be done (Nine phases, Phase Two)",
		},
		{
			name: "optional task open", phase: 2,
			edit:   func(s *phases.State) { without(s.Tasks, "p2-infrastructure", "p2-committee-selects") },
			reason: "tasks the seed only suggests ('consider') do not block the phase",
		},
		{
			name: "earlier phase's task open", phase: 2,
			edit:   func(s *phases.State) { without(s.Tasks, "p1-scope") },
			reason: "the tasks gate looks at the current phase only; phase 1's gate held when it was left",
		},
		// milestones
		{
			name: "milestone not reached", phase: 1,
			edit: func(s *phases.State) { without(s.Milestones, "p1-structure-approved") },
			gate: phases.GateMilestones, want: "milestones not reached: p1-structure-approved",
			reason: "phase 1 ends when the Director General approves the structure (Phase One, final step)",
		},
		// programme structure
		{
			name: "no programme", phase: 1,
			edit: func(s *phases.State) { s.Programme = nil },
			gate: phases.GateProgrammeStructure, want: "no programme loaded",
			reason: "phase 1 cannot end without a programme structure to check",
		},
		{
			name: "programme without suspension and appeal", phase: 1,
			edit: func(s *phases.State) {
				s.Programme.Sections = []string{"application", "benefits", "certification", "requirements", "validation"}
			},
			gate: phases.GateProgrammeStructure, want: "programme does not define: suspension, appeal",
			reason: "the structure must include removal or suspension and an appeal procedure (Phase One)",
		},
		{
			name: "programme defining nothing", phase: 1,
			edit:   func(s *phases.State) { s.Programme.Sections = nil },
			gate:   phases.GateProgrammeStructure,
			want:   "requirements, application, certification, validation, benefits, suspension, appeal",
			reason: "every missing part is named, in the order of StructureSections",
		},
		{
			name: "Customs' obligations open", phase: 1,
			edit: func(s *phases.State) {
				s.Programme.Open = []string{"D.C2 Procedures for raising issues: set lifecycle.issues", "M.C1 Monitor and re-validate: set lifecycle.revalidation"}
			},
			gate: phases.GateProgrammeStructure, want: "Customs' obligations the programme does not yet meet: D.C2",
			reason: "Customs' own side of the programme (SAFE Annex IV) is part of its structure",
		},
		{
			name: "programme with extra sections", phase: 1,
			edit: func(s *phases.State) {
				s.Programme.Sections = append(phases.StructureSections(), "mutual-recognition")
			},
			reason: "parts beyond the required ones do no harm",
		},
		// pilot
		{
			name: "no pilot operators", phase: 3,
			edit: func(s *phases.State) {
				s.Operators = pilotOnly(*s, func(phases.AdmittedOperator) bool { return false })
			},
			gate: phases.GatePilot, want: "no pilot operators admitted",
			reason: "a pilot needs operators",
		},
		{
			name: "eleven pilot operators", phase: 3,
			edit: func(s *phases.State) {
				s.Operators = append(s.Operators, phases.AdmittedOperator{
					Operator: phases.Operator{ID: "op-11", Type: phases.Importer, Size: phases.SME, Volunteer: true},
					Admitted: date(2025, 6, 2), Phase: 3, Pilot: true,
				})
			},
			gate: phases.GatePilot, want: "11 pilot operators, at most 10",
			reason: "start small, no more than ten (Phase Two; Phase Three)",
		},
		{
			name: "no SME in the pilot", phase: 3,
			edit: func(s *phases.State) {
				s.Operators = pilotOnly(*s, func(op phases.AdmittedOperator) bool { return op.Operator.Size != phases.SME })
			},
			gate: phases.GatePilot, want: "no pilot operator of size sme",
			reason: "the pilot is a cross-section including SMEs (Phase Two)",
		},
		{
			name: "neither SME nor multinational", phase: 3,
			edit: func(s *phases.State) {
				s.Operators = pilotOnly(*s, func(op phases.AdmittedOperator) bool { return op.Operator.Size == phases.Large })
			},
			gate: phases.GatePilot, want: "no pilot operator of size sme, multinational",
			reason: "every missing size is named",
		},
		{
			name: "conscripted pilot operator", phase: 3,
			edit: func(s *phases.State) { s.Operators[4].Operator.Volunteer = false },
			gate: phases.GatePilot, want: "not volunteers: op-05",
			reason: "for a pilot, operators should be selected using volunteers (Phase Two, lessons learned)",
		},
		{
			name: "three operators, one of each size", phase: 3,
			edit: func(s *phases.State) {
				s.Operators = pilotOnly(*s, func(op phases.AdmittedOperator) bool {
					return slices.Contains([]string{"op-01", "op-04", "op-08"}, op.Operator.ID)
				})
			},
			reason: "a pilot smaller than ten is fine if it is a cross-section",
		},
		{
			name: "enlargement operators do not count", phase: 3,
			edit: func(s *phases.State) {
				for i := range 5 {
					s.Operators = append(s.Operators, phases.AdmittedOperator{
						Operator: phases.Operator{ID: fmt.Sprintf("late-%d", i), Type: phases.Exporter, Size: phases.Large},
						Admitted: date(2026, 1, 5), Phase: 5,
					})
				}
			},
			reason: "only operators admitted before enlargement are pilot operators",
		},
		// benefits
		{
			name: "stage 1 benefit missing", phase: 3,
			edit: func(s *phases.State) { without(s.Benefits, "training") },
			gate: phases.GateBenefits, want: "not introduced: training",
			reason: "Customs must follow through with the benefits promised (Annex 1, Third Phase)",
		},
		{
			name: "later stage missing at stage 1 gate", phase: 3,
			edit:   func(s *phases.State) { without(s.Benefits, "member-lane", "periodic-declarations") },
			reason: "the phase 3 gate asks for stage 1 only",
		},
		{
			name: "stage 3 benefit missing", phase: 8,
			edit: func(s *phases.State) { without(s.Benefits, "alternative-control-place") },
			gate: phases.GateBenefits, want: "stages up to 3 not introduced: alternative-control-place",
			reason: "phase 8 is the sequenced implementation of further tested benefits",
		},
		// evaluations
		{
			name: "pilot not started", phase: 4,
			edit: func(s *phases.State) { s.PilotStart = time.Time{}; s.Evaluations = nil },
			gate: phases.GateEvaluations, want: "the pilot has not started",
			reason: "evaluations are due from the pilot start",
		},
		{
			name: "six-month evaluation not held", phase: 4,
			edit: func(s *phases.State) { s.Evaluations = nil },
			gate: phases.GateEvaluations, want: "evaluation 1 (due 2026-01-01) not held",
			reason: "evaluate the programme after 6 months (Annex 1, Third Phase)",
		},
		{
			name: "six-month evaluation held late", phase: 4,
			edit:   func(s *phases.State) { s.Evaluations = []time.Time{date(2026, 2, 10)} },
			reason: "a late evaluation still counts for the gate; the report flags it as late",
		},
		{
			name: "only the first of two evaluations", phase: 5,
			edit: func(s *phases.State) { s.Evaluations = s.Evaluations[:1] },
			gate: phases.GateEvaluations, want: "evaluation 2 (due 2026-07-01) not held",
			reason: "every six months for the first year (Phase Five)",
		},
		{
			name: "two evaluations in the first six months", phase: 5,
			edit: func(s *phases.State) { s.Evaluations = []time.Time{date(2025, 9, 1), date(2025, 12, 1)} },
			gate: phases.GateEvaluations, want: "evaluation 2 (due 2026-07-01) not held",
			reason: "two evaluations in one period count once: the cadence is one per six months",
		},
		// admission
		{
			name: "no broker yet", phase: 5,
			edit: func(s *phases.State) {
				s.Operators = slices.DeleteFunc(s.Operators, func(op phases.AdmittedOperator) bool {
					return op.Operator.Type == phases.Broker
				})
			},
			gate: phases.GateAdmission, want: "no operator of wave 2 (broker) admitted; it opens on 2025-12-02",
			reason: "enlargement brings in the next entity, brokers (Phase Two; Annex 1, Fourth Phase)",
		},
		{
			name: "no importer or broker at all", phase: 5,
			edit: func(s *phases.State) { s.Operators = nil },
			gate: phases.GateAdmission, want: "wave 1 has none yet",
			reason: "the waves come in sequence",
		},
	}
	p := phases.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := satisfied(tt.phase)
			tt.edit(&s)
			before := snapshot(t, s)
			next, err := p.Apply(s, phases.Event{Kind: phases.AdvancePhase}, date(2026, 7, 1))
			require.Equal(t, before, snapshot(t, s), "Apply modified its input")
			if tt.gate == phases.UnknownGate {
				require.NoError(t, err, tt.reason)
				assert.Equal(t, tt.phase+1, next.Phase, tt.reason)
				return
			}
			var ge *phases.GateError
			require.ErrorAs(t, err, &ge, tt.reason)
			assert.ErrorIs(t, err, phases.ErrGateBlocked)
			assert.Equal(t, tt.gate, ge.Gate, "%v; %s", err, tt.reason)
			assert.Equal(t, tt.phase, ge.Phase, tt.reason)
			assert.Contains(t, ge.Reason, tt.want, tt.reason)
			if diff := cmp.Diff(s, next, equateStates); diff != "" {
				t.Errorf("refused AdvancePhase changed the state (-want +got):\n%s", diff)
			}

			// The report says the same.
			r := p.Report(s, date(2026, 7, 1))
			i := slices.IndexFunc(r.Blocking, func(g phases.GateReport) bool { return g.Gate == tt.gate })
			require.GreaterOrEqual(t, i, 0, "report does not list gate %v as blocking: %+v", tt.gate, r.Blocking)
			assert.Equal(t, ge.Reason, r.Blocking[i].Reason)
		})
	}
}

func TestGatesAllBlockedReported(t *testing.T) {
	p := phases.Default()
	_, err := p.Apply(phases.State{}, phases.Event{Kind: phases.AdvancePhase}, date(2025, 1, 6))
	var gates []phases.GateKind
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ge *phases.GateError
		require.True(t, errors.As(e, &ge), "%v", e)
		gates = append(gates, ge.Gate)
	}
	assert.Equal(t, []phases.GateKind{phases.GateTasks, phases.GateMilestones, phases.GateProgrammeStructure}, gates,
		"every blocked gate of phase 1 is reported, in the plan's order")
	assert.ErrorIs(t, err, phases.ErrGateBlocked)
}
