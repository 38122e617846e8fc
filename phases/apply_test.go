package phases_test

import (
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/phases"
)

func TestApply(t *testing.T) {
	imp := func(id string) phases.Operator {
		return phases.Operator{ID: id, Type: phases.Importer, Size: phases.SME, Volunteer: true}
	}
	admit := func(ops ...phases.Operator) phases.Event {
		return phases.Event{Kind: phases.OperatorsAdmitted, Operators: ops}
	}
	// inPhase returns a satisfied state moved back or forward to phase n
	// with an earlier Updated, for event rows.
	inPhase := func(n int, edit func(*phases.State)) func() phases.State {
		return func() phases.State {
			s := satisfied(n)
			s.Updated = date(2025, 6, 2)
			if edit != nil {
				edit(&s)
			}
			return s
		}
	}
	start := func() phases.State { return phases.State{} }
	at := date(2025, 6, 2)

	tests := []struct {
		name    string
		state   func() phases.State
		ev      phases.Event
		at      time.Time
		wantErr error           // nil: accepted
		gate    phases.GateKind // for ErrGateBlocked
		check   func(t *testing.T, s phases.State)
		reason  string
	}{
		// Malformed events and dates.
		{name: "unknown kind", state: start, ev: phases.Event{}, at: at, wantErr: phases.ErrInvalidEvent,
			reason: "the zero EventKind records nothing"},
		{name: "kind out of range", state: start, ev: phases.Event{Kind: 200}, at: at, wantErr: phases.ErrInvalidEvent,
			reason: "only declared kinds are applied"},
		{name: "no date", state: start, ev: phases.Event{Kind: phases.TaskDone, ID: "p1-scope"}, wantErr: phases.ErrInvalidEvent,
			reason: "time is an input: an undated event cannot be placed"},
		{name: "year too large", state: start, ev: phases.Event{Kind: phases.TaskDone, ID: "p1-scope"},
			at: date(9950, 1, 1), wantErr: phases.ErrInvalidEvent,
			reason: "derived dates (due evaluations, wave openings) must stay encodable in JSON"},
		{name: "zone offset with seconds", state: start, ev: phases.Event{Kind: phases.TaskDone, ID: "p1-scope"},
			at: time.Date(2025, 1, 6, 0, 0, 0, 0, time.FixedZone("LMT", 17*60+30)), wantErr: phases.ErrInvalidEvent,
			reason: "RFC 3339 cannot express the offset, so the state would not round-trip"},
		{name: "dated before the latest event", state: inPhase(3, nil), ev: phases.Event{Kind: phases.EvaluationHeld},
			at: date(2025, 6, 1), wantErr: phases.ErrOutOfOrder,
			reason: "events are applied in date order"},
		{name: "same date as the latest event", state: inPhase(3, nil), ev: phases.Event{Kind: phases.EvaluationHeld},
			at: date(2025, 6, 2), check: func(t *testing.T, s phases.State) { assert.Len(t, s.Evaluations, 3) },
			reason: "several events may happen on one day"},
		{name: "task without ID", state: start, ev: phases.Event{Kind: phases.TaskDone}, at: at, wantErr: phases.ErrInvalidEvent,
			reason: "a task event names its task"},
		{name: "task with operators", state: start,
			ev: phases.Event{Kind: phases.TaskDone, ID: "p1-scope", Operators: []phases.Operator{imp("x")}}, at: at,
			wantErr: phases.ErrInvalidEvent, reason: "fields the kind does not take are refused, not ignored"},
		{name: "evaluation with ID", state: inPhase(4, nil), ev: phases.Event{Kind: phases.EvaluationHeld, ID: "x"}, at: at,
			wantErr: phases.ErrInvalidEvent, reason: "fields the kind does not take are refused"},
		{name: "value on a task", state: start, ev: phases.Event{Kind: phases.TaskDone, ID: "p1-scope", Value: 1}, at: at,
			wantErr: phases.ErrInvalidEvent, reason: "only indicators take a value"},
		{name: "programme on advance", state: start, ev: phases.Event{Kind: phases.AdvancePhase, Programme: fullProgramme}, at: at,
			wantErr: phases.ErrInvalidEvent, reason: "the programme is recorded by ProgrammeLoaded only"},

		// Tasks and milestones.
		{name: "task done", state: start, ev: phases.Event{Kind: phases.TaskDone, ID: "p1-scope"}, at: at,
			check: func(t *testing.T, s phases.State) {
				assert.Equal(t, at, s.Tasks["p1-scope"])
				assert.Equal(t, 1, s.Phase)
			},
			reason: "a task of the current phase can be done"},
		{name: "unknown task", state: start, ev: phases.Event{Kind: phases.TaskDone, ID: "p1-nothing"}, at: at,
			wantErr: phases.ErrUnknownTask, reason: "only tasks of the plan are tracked"},
		{name: "task of a later phase", state: start, ev: phases.Event{Kind: phases.TaskDone, ID: "p3-applications"}, at: at,
			wantErr: phases.ErrOutOfOrder, reason: "work of a phase not yet entered is not recorded"},
		{name: "task of an earlier phase", state: inPhase(3, func(s *phases.State) { without(s.Tasks, "p2-infrastructure") }),
			ev: phases.Event{Kind: phases.TaskDone, ID: "p2-infrastructure"}, at: at,
			reason: "an optional task left open can still be done later"},
		{name: "task done twice", state: inPhase(2, nil), ev: phases.Event{Kind: phases.TaskDone, ID: "p1-scope"}, at: at,
			wantErr: phases.ErrDuplicate, reason: "the first date of completion stands"},
		{name: "unknown milestone", state: start, ev: phases.Event{Kind: phases.MilestoneReached, ID: "x"}, at: at,
			wantErr: phases.ErrUnknownMilestone, reason: "only milestones of the plan are tracked"},
		{name: "milestone of a later phase", state: start, ev: phases.Event{Kind: phases.MilestoneReached, ID: "p3-pilot-launched"},
			at: at, wantErr: phases.ErrOutOfOrder, reason: "the pilot cannot launch in phase 1"},
		{name: "pilot launch starts the pilot",
			state: inPhase(3, func(s *phases.State) { s.PilotStart = time.Time{}; without(s.Milestones, "p3-pilot-launched") }),
			ev:    phases.Event{Kind: phases.MilestoneReached, ID: "p3-pilot-launched"}, at: date(2025, 7, 1),
			check:  func(t *testing.T, s phases.State) { assert.Equal(t, date(2025, 7, 1), s.PilotStart) },
			reason: "the evaluation clock starts at the pilot-launch milestone"},

		// Evaluations.
		{name: "evaluation before the pilot", state: inPhase(3, func(s *phases.State) { s.PilotStart = time.Time{} }),
			ev: phases.Event{Kind: phases.EvaluationHeld}, at: at, wantErr: phases.ErrOutOfOrder,
			reason: "there is nothing to evaluate before the pilot starts"},

		// Admissions.
		{name: "admission before the pilot phase", state: inPhase(2, func(s *phases.State) { s.Operators = nil }),
			ev: admit(imp("a")), at: at, wantErr: phases.ErrOutOfOrder,
			reason: "operators are admitted from the pilot phase on"},
		{name: "operator without ID", state: inPhase(3, nil), ev: admit(phases.Operator{Type: phases.Importer, Size: phases.SME}),
			at: at, wantErr: phases.ErrInvalidEvent, reason: "operators are tracked by ID"},
		{name: "operator without type", state: inPhase(3, nil), ev: admit(phases.Operator{ID: "a", Size: phases.SME}),
			at: at, wantErr: phases.ErrInvalidEvent, reason: "the type decides the wave"},
		{name: "operator without size", state: inPhase(3, nil), ev: admit(phases.Operator{ID: "a", Type: phases.Importer}),
			at: at, wantErr: phases.ErrInvalidEvent, reason: "the size decides the cross-section"},
		{name: "operator already admitted", state: inPhase(5, nil), ev: admit(imp("op-01")), at: at,
			wantErr: phases.ErrDuplicate, reason: "an operator is admitted once"},
		{name: "same operator twice in one event", state: inPhase(5, nil), ev: admit(imp("new"), imp("new")), at: at,
			wantErr: phases.ErrDuplicate, reason: "an operator is admitted once"},
		{name: "eleventh pilot operator", state: inPhase(3, nil), ev: admit(imp("op-11")), at: at,
			wantErr: phases.ErrGateBlocked, gate: phases.GatePilot,
			reason: "start small, no more than ten (Phase Two)"},
		{name: "batch overflowing the pilot", state: inPhase(3, func(s *phases.State) { s.Operators = s.Operators[:8] }),
			ev: admit(imp("a"), imp("b"), imp("c")), at: at, wantErr: phases.ErrGateBlocked, gate: phases.GatePilot,
			reason: "the whole event is refused if any operator breaks the limit"},
		{name: "tenth pilot operator", state: inPhase(3, func(s *phases.State) { s.Operators = s.Operators[:9] }),
			ev: admit(imp("op-10b")), at: at,
			check:  func(t *testing.T, s phases.State) { assert.True(t, s.Operators[len(s.Operators)-1].Pilot) },
			reason: "ten is allowed"},
		{name: "conscripted pilot operator", state: inPhase(3, func(s *phases.State) { s.Operators = nil }),
			ev: admit(phases.Operator{ID: "a", Type: phases.Exporter, Size: phases.Large}), at: at,
			wantErr: phases.ErrGateBlocked, gate: phases.GatePilot,
			reason: "pilot operators are volunteers (Phase Two, lessons learned)"},
		{name: "non-volunteer after enlargement", state: inPhase(5, nil),
			ev: admit(phases.Operator{ID: "a", Type: phases.Exporter, Size: phases.Large}), at: at,
			check:  func(t *testing.T, s phases.State) { assert.False(t, s.Operators[len(s.Operators)-1].Pilot) },
			reason: "the pilot limits end with enlargement"},
		{name: "broker with the first importers", state: inPhase(3, func(s *phases.State) { s.Operators = nil }),
			ev: admit(imp("a"), phases.Operator{ID: "b", Type: phases.Broker, Size: phases.Large, Volunteer: true}), at: at,
			wantErr: phases.ErrGateBlocked, gate: phases.GateAdmission,
			reason: "brokers come six months after importers and exporters (Annex 1, Third Phase)"},
		{name: "broker without importers", state: inPhase(5, func(s *phases.State) { s.Operators = nil }),
			ev: admit(phases.Operator{ID: "b", Type: phases.Broker, Size: phases.Large}), at: at,
			wantErr: phases.ErrGateBlocked, gate: phases.GateAdmission,
			reason: "the waves come in sequence"},
		{name: "broker six months after the first importer", state: inPhase(5, nil),
			ev: admit(phases.Operator{ID: "b", Type: phases.Broker, Size: phases.Large}), at: date(2025, 12, 2),
			reason: "the interval runs from the first admission of the previous wave"},
		{name: "broker a day early", state: inPhase(5, func(s *phases.State) { s.Operators = s.Operators[:10] }),
			ev: admit(phases.Operator{ID: "b", Type: phases.Broker, Size: phases.Large}), at: date(2025, 12, 1),
			wantErr: phases.ErrGateBlocked, gate: phases.GateAdmission,
			reason: "allow time between each entity (Annex 1, Fourth Phase)"},
		{name: "carrier too soon after brokers", state: inPhase(5, func(s *phases.State) { s.Updated = date(2026, 3, 1) }),
			ev: admit(phases.Operator{ID: "c", Type: phases.Carrier, Size: phases.Large}), at: date(2026, 3, 1),
			wantErr: phases.ErrGateBlocked, gate: phases.GateAdmission,
			reason: "the third wave opens six months after the first broker (2025-12-20)"},
		{name: "carrier after the interval", state: inPhase(5, func(s *phases.State) { s.Updated = date(2026, 6, 20) }),
			ev: admit(phases.Operator{ID: "c", Type: phases.Carrier, Size: phases.Large}), at: date(2026, 6, 20),
			reason: "the third wave opens six months after the first broker"},

		// Benefits.
		{name: "unknown benefit", state: inPhase(3, nil), ev: phases.Event{Kind: phases.BenefitIntroduced, ID: "tax-holiday"}, at: at,
			wantErr: phases.ErrUnknownBenefit, reason: "only benefits of the plan are tracked"},
		{name: "benefit before any member", state: inPhase(3, func(s *phases.State) { s.Operators = nil; s.Benefits = nil }),
			ev: phases.Event{Kind: phases.BenefitIntroduced, ID: "training"}, at: at, wantErr: phases.ErrOutOfOrder,
			reason: "benefits are allocated to admitted members (Annex 1, Third Phase)"},
		{name: "benefit introduced twice", state: inPhase(3, nil), ev: phases.Event{Kind: phases.BenefitIntroduced, ID: "training"},
			at: at, wantErr: phases.ErrDuplicate, reason: "the first date of introduction stands"},
		{name: "stage 2 before stage 1 is complete", state: inPhase(3, func(s *phases.State) { s.Benefits = nil }),
			ev: phases.Event{Kind: phases.BenefitIntroduced, ID: "member-lane"}, at: at,
			wantErr: phases.ErrGateBlocked, gate: phases.GateBenefits,
			reason: "benefits are introduced in a sequenced manner (Phase Two)"},
		{name: "stage 1 in any order", state: inPhase(3, func(s *phases.State) { s.Benefits = nil }),
			ev: phases.Event{Kind: phases.BenefitIntroduced, ID: "training"}, at: at,
			reason: "benefits of one stage come in any order"},

		// Indicators.
		{name: "indicator recorded", state: inPhase(3, nil),
			ev: phases.Event{Kind: phases.IndicatorRecorded, ID: "member-lane-uses", Value: 0}, at: at,
			check: func(t *testing.T, s phases.State) {
				assert.Equal(t, phases.Measurement{Value: 0, On: at}, s.Indicators["member-lane-uses"])
			},
			reason: "zero is a valid measurement"},
		{name: "unknown indicator", state: inPhase(3, nil), ev: phases.Event{Kind: phases.IndicatorRecorded, ID: "x", Value: 1}, at: at,
			wantErr: phases.ErrUnknownIndicator, reason: "only indicators of the plan are tracked"},
		{name: "computed indicator", state: inPhase(3, nil),
			ev: phases.Event{Kind: phases.IndicatorRecorded, ID: "pilot-operators", Value: 3}, at: at,
			wantErr: phases.ErrUnknownIndicator, reason: "computed indicators come from the state, not from events"},
		{name: "NaN indicator", state: inPhase(3, nil),
			ev: phases.Event{Kind: phases.IndicatorRecorded, ID: "member-lane-uses", Value: math.NaN()}, at: at,
			wantErr: phases.ErrInvalidEvent, reason: "JSON cannot hold NaN"},

		// Programme.
		{name: "programme loaded", state: start, ev: phases.Event{Kind: phases.ProgrammeLoaded,
			Programme: fakeProgramme{"appeal", "", "benefits", "appeal"}}, at: at,
			check: func(t *testing.T, s phases.State) {
				assert.Equal(t, &phases.ProgrammeRecord{Loaded: at, Sections: []string{"appeal", "benefits"}}, s.Programme)
			},
			reason: "sections are recorded sorted, without blanks or repeats"},
		{name: "programme with Customs' obligations open", state: start, ev: phases.Event{Kind: phases.ProgrammeLoaded,
			Programme: obligedProgramme{sections: phases.StructureSections(), open: []string{"D.C2 Procedures for raising issues: set lifecycle.issues", ""}}}, at: at,
			check: func(t *testing.T, s phases.State) {
				assert.Equal(t, []string{"D.C2 Procedures for raising issues: set lifecycle.issues"}, s.Programme.Open)
			},
			reason: "a programme that lists Customs' obligations reports those it does not meet; blanks are dropped"},
		{name: "nil programme", state: start, ev: phases.Event{Kind: phases.ProgrammeLoaded}, at: at,
			wantErr: phases.ErrInvalidEvent, reason: "loading nothing is a mistake, not an empty programme"},
		{name: "programme whose Sections panics", state: start,
			ev: phases.Event{Kind: phases.ProgrammeLoaded, Programme: &panickyProgramme{}}, at: at,
			wantErr: phases.ErrInvalidEvent, reason: "a panic in the caller's Sections must not cross Apply"},

		// Advancing.
		{name: "advance past the last phase", state: inPhase(9, func(s *phases.State) { s.Left = append(s.Left, date(2025, 6, 2)) }),
			ev: phases.Event{Kind: phases.AdvancePhase}, at: at, wantErr: phases.ErrOutOfOrder,
			reason: "nothing follows completion"},
		{name: "advance out of the last phase", state: inPhase(9, nil), ev: phases.Event{Kind: phases.AdvancePhase}, at: at,
			check: func(t *testing.T, s phases.State) {
				assert.Equal(t, 9, s.Phase)
				assert.Len(t, s.Left, 9)
			},
			reason: "leaving phase 9 completes the programme"},

		// States that cannot belong to the plan.
		{name: "phase out of range", state: func() phases.State { return phases.State{Phase: 10} },
			ev: phases.Event{Kind: phases.AdvancePhase}, at: at, wantErr: phases.ErrInvalidState,
			reason: "the plan has nine phases"},
		{name: "negative phase", state: func() phases.State { return phases.State{Phase: -1} },
			ev: phases.Event{Kind: phases.AdvancePhase}, at: at, wantErr: phases.ErrInvalidState,
			reason: "phases count from 1"},
		{name: "history does not match the phase", state: func() phases.State { return phases.State{Phase: 3} },
			ev: phases.Event{Kind: phases.AdvancePhase}, at: at, wantErr: phases.ErrInvalidState,
			reason: "phase 3 means phases 1 and 2 were left"},
		{name: "unencodable pilot start", state: inPhase(4, func(s *phases.State) { s.PilotStart = date(9990, 1, 1) }),
			ev: phases.Event{Kind: phases.TaskDone, ID: "p4-evaluate"}, at: at, wantErr: phases.ErrInvalidState,
			reason: "due dates derived from it would not encode"},
	}
	p := phases.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.state()
			before := snapshot(t, s)
			got, err := p.Apply(s, tt.ev, tt.at)
			require.Equal(t, before, snapshot(t, s), "Apply modified its input; %s", tt.reason)
			if tt.wantErr == nil {
				require.NoError(t, err, tt.reason)
				assert.Equal(t, tt.at, got.Updated, "Updated is the event date")
				assertRoundTrip(t, got)
				if tt.check != nil {
					tt.check(t, got)
				}
				return
			}
			require.ErrorIs(t, err, tt.wantErr, tt.reason)
			assert.Regexp(t, "^phases: ", err.Error(), "errors carry the package prefix")
			if tt.gate != phases.UnknownGate {
				var ge *phases.GateError
				require.ErrorAs(t, err, &ge, tt.reason)
				assert.Equal(t, tt.gate, ge.Gate, "%v; %s", err, tt.reason)
			}
			if diff := cmp.Diff(s, got, equateStates); diff != "" {
				t.Errorf("refused event changed the state (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyNilPlan(t *testing.T) {
	for _, p := range []*phases.Plan{nil, {}} {
		s := phases.State{Phase: 1}
		got, err := p.Apply(s, phases.Event{Kind: phases.AdvancePhase}, date(2025, 1, 6))
		require.ErrorIs(t, err, phases.ErrInvalidPlan)
		assert.Equal(t, s, got)
	}
}

// TestApplyResultSharesNothing checks that changing the returned state
// cannot reach back into the state that was passed in.
func TestApplyResultSharesNothing(t *testing.T) {
	p := phases.Default()
	s := satisfied(5)
	s.Updated = date(2025, 6, 2)
	before := snapshot(t, s)
	got := mustApply(t, p, s, phases.Event{Kind: phases.IndicatorRecorded, ID: "member-lane-uses", Value: 4}, date(2026, 7, 1))
	got.Tasks["p1-scope"] = date(2030, 1, 1)
	got.Milestones["p1-structure-approved"] = date(2030, 1, 1)
	got.Benefits["training"] = date(2030, 1, 1)
	got.Indicators["x"] = phases.Measurement{}
	got.Operators[0].Operator.ID = "changed"
	got.Evaluations[0] = date(2030, 1, 1)
	got.Left[0] = date(2030, 1, 1)
	got.Programme.Sections[0] = "changed"
	assert.Equal(t, before, snapshot(t, s))
}

// TestPlanConcurrentUse applies events and makes reports from many
// goroutines on the shared default plan; run with -race.
func TestPlanConcurrentUse(t *testing.T) {
	p := phases.Default()
	base := toEnlargement(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := base
			for j := range 20 {
				var err error
				s, err = p.Apply(s, phases.Event{Kind: phases.IndicatorRecorded, ID: "member-lane-uses", Value: float64(i*100 + j)},
					date(2026, 1, 1+j))
				if err != nil {
					t.Error(err)
					return
				}
				_ = p.Report(s, date(2026, 2, 1)).Text()
			}
		}()
	}
	wg.Wait()
}
