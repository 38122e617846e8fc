package phases_test

import (
	"encoding"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/phases"
)

// enumCase describes one enumeration: its values in order, as text
// marshalers, and a fresh unmarshaler.
type enumCase struct {
	name   string
	values []fmt.Stringer
	fresh  func() encoding.TextUnmarshaler
	bad    fmt.Stringer // a value out of range
	want   []string     // tokens, in order
}

func values[T fmt.Stringer](vs ...T) []fmt.Stringer {
	out := make([]fmt.Stringer, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

func TestEnumsText(t *testing.T) {
	tests := []enumCase{
		{name: "Project", values: values(phases.UnknownProject, phases.TradeManagement, phases.Communication, phases.Legislative,
			phases.HRDevelopment, phases.RiskManagement),
			fresh: func() encoding.TextUnmarshaler { return new(phases.Project) }, bad: phases.Project(99),
			want: []string{"unknown", "trade-management", "communication", "legislative", "hr-development", "risk-management"}},
		{name: "OperatorType", values: values(phases.UnknownType, phases.Importer, phases.Exporter, phases.Broker, phases.Carrier,
			phases.Forwarder, phases.Port, phases.Warehouse),
			fresh: func() encoding.TextUnmarshaler { return new(phases.OperatorType) }, bad: phases.OperatorType(99),
			want: []string{"unknown", "importer", "exporter", "broker", "carrier", "forwarder", "port", "warehouse"}},
		{name: "Size", values: values(phases.UnknownSize, phases.SME, phases.Large, phases.Multinational),
			fresh: func() encoding.TextUnmarshaler { return new(phases.Size) }, bad: phases.Size(99),
			want: []string{"unknown", "sme", "large", "multinational"}},
		{name: "EventKind", values: values(phases.UnknownEvent, phases.TaskDone, phases.MilestoneReached, phases.EvaluationHeld,
			phases.OperatorsAdmitted, phases.BenefitIntroduced, phases.IndicatorRecorded, phases.ProgrammeLoaded, phases.AdvancePhase),
			fresh: func() encoding.TextUnmarshaler { return new(phases.EventKind) }, bad: phases.EventKind(99),
			want: []string{"unknown", "task-done", "milestone-reached", "evaluation-held", "operators-admitted",
				"benefit-introduced", "indicator-recorded", "programme-loaded", "advance-phase"}},
		{name: "GateKind", values: values(phases.UnknownGate, phases.GateTasks, phases.GateMilestones, phases.GateProgrammeStructure,
			phases.GatePilot, phases.GateAdmission, phases.GateEvaluations, phases.GateBenefits),
			fresh: func() encoding.TextUnmarshaler { return new(phases.GateKind) }, bad: phases.GateKind(99),
			want: []string{"unknown", "tasks", "milestones", "programme-structure", "pilot", "admission", "evaluations", "benefits"}},
		{name: "Measure", values: values(phases.Recorded, phases.OperatorsAdmittedCount, phases.PilotOperatorsCount,
			phases.EvaluationsHeldCount, phases.BenefitsIntroducedCount),
			fresh: func() encoding.TextUnmarshaler { return new(phases.Measure) }, bad: phases.Measure(99),
			want: []string{"recorded", "operators-admitted", "pilot-operators", "evaluations-held", "benefits-introduced"}},
		{name: "Goal", values: values(phases.NoTarget, phases.AtLeast, phases.AtMost),
			fresh: func() encoding.TextUnmarshaler { return new(phases.Goal) }, bad: phases.Goal(99),
			want: []string{"none", "at-least", "at-most"}},
		{name: "IndicatorStatus", values: values(phases.NotMeasured, phases.Untargeted, phases.Met, phases.NotMet),
			fresh: func() encoding.TextUnmarshaler { return new(phases.IndicatorStatus) }, bad: phases.IndicatorStatus(99),
			want: []string{"not-measured", "no-target", "met", "not-met"}},
		{name: "EvaluationStatus", values: values(phases.Pending, phases.Held, phases.HeldLate, phases.Overdue),
			fresh: func() encoding.TextUnmarshaler { return new(phases.EvaluationStatus) }, bad: phases.EvaluationStatus(99),
			want: []string{"pending", "held", "held-late", "overdue"}},
		{name: "PhaseStatus", values: values(phases.Ahead, phases.Current, phases.Done),
			fresh: func() encoding.TextUnmarshaler { return new(phases.PhaseStatus) }, bad: phases.PhaseStatus(99),
			want: []string{"ahead", "current", "done"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Len(t, tt.values, len(tt.want))
			for i, v := range tt.values {
				assert.Equal(t, tt.want[i], v.String(), "String is the wire token")
				text, err := v.(encoding.TextMarshaler).MarshalText()
				require.NoError(t, err)
				assert.Equal(t, tt.want[i], string(text))
				back := tt.fresh()
				require.NoError(t, back.UnmarshalText(text))
				assert.Equal(t, v, reflect.ValueOf(back).Elem().Interface(), "round trip of %s", text)
			}
			assert.Equal(t, tt.name+"(99)", tt.bad.String(), "out-of-range values print their number")
			_, err := tt.bad.(encoding.TextMarshaler).MarshalText()
			assert.Error(t, err, "out-of-range values do not marshal")
			assert.Error(t, tt.fresh().UnmarshalText([]byte("no-such-token")), "unknown tokens are refused")
		})
	}
}
