package phases

import (
	"fmt"
	"strings"
)

// The enumerations below share one pattern (as slog.Level does): String and
// MarshalText give a stable lowercase token, UnmarshalText accepts exactly
// those tokens, and the zero value is either the natural starting point or an
// explicit "unknown" that validation refuses.

// enumName returns the token of v, or "Type(n)" when v is out of range.
func enumName[T ~uint8](names []string, v T, typ string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

// enumMarshal returns the token of v, or an error when v is out of range.
func enumMarshal[T ~uint8](names []string, v T, typ string) ([]byte, error) {
	if int(v) < len(names) {
		return []byte(names[v]), nil
	}
	return nil, fmt.Errorf("phases: invalid %s %d", typ, v)
}

// enumUnmarshal sets *v to the value whose token is text.
func enumUnmarshal[T ~uint8](names []string, v *T, text []byte, typ string) error {
	for i, n := range names {
		if n == string(text) {
			*v = T(i)
			return nil
		}
	}
	return fmt.Errorf("phases: unknown %s %q (want one of %s)", typ, text, strings.Join(names, ", "))
}

// A Project is one of the workstreams of the seed that own the tasks of a
// phase ("Trade Management project", "Communication Strategy", ...). The zero
// value, UnknownProject, is not a valid owner.
type Project uint8

const (
	// UnknownProject is the zero Project; validation refuses it.
	UnknownProject Project = iota
	// TradeManagement is the Trade Management project, which also carries
	// system (IT) support in the seed.
	TradeManagement
	// Communication is the Communication (Strategy) project.
	Communication
	// Legislative is the Legislative project.
	Legislative
	// HRDevelopment is the HR Development project.
	HRDevelopment
	// RiskManagement is the Risk Management and Intelligence project.
	RiskManagement
)

var projectNames = [...]string{"unknown", "trade-management", "communication", "legislative", "hr-development", "risk-management"}

// String returns p as text.
func (p Project) String() string { return enumName(projectNames[:], p, "Project") }

// MarshalText encodes p as its token.
func (p Project) MarshalText() ([]byte, error) { return enumMarshal(projectNames[:], p, "project") }

// UnmarshalText sets p from its token, e.g. "trade-management".
func (p *Project) UnmarshalText(text []byte) error {
	return enumUnmarshal(projectNames[:], p, text, "project")
}

// An OperatorType is the role of an operator in the supply chain. Types are
// admitted to the programme in waves (see [Admission]). The zero value,
// UnknownType, is refused.
type OperatorType uint8

const (
	// UnknownType is the zero OperatorType; it is never admitted.
	UnknownType OperatorType = iota
	// Importer is an importer.
	Importer
	// Exporter is an exporter.
	Exporter
	// Broker is a customs broker.
	Broker
	// Carrier is a carrier (transport).
	Carrier
	// Forwarder is a freight forwarder.
	Forwarder
	// Port is a port, airport or terminal operator.
	Port
	// Warehouse is a warehouse operator.
	Warehouse
)

var operatorTypeNames = [...]string{"unknown", "importer", "exporter", "broker", "carrier", "forwarder", "port", "warehouse"}

// String returns t as text.
func (t OperatorType) String() string { return enumName(operatorTypeNames[:], t, "OperatorType") }

// MarshalText encodes t as its token.
func (t OperatorType) MarshalText() ([]byte, error) {
	return enumMarshal(operatorTypeNames[:], t, "operator type")
}

// UnmarshalText sets t from its token, e.g. "broker".
func (t *OperatorType) UnmarshalText(text []byte) error {
	return enumUnmarshal(operatorTypeNames[:], t, text, "operator type")
}

// A Size is the size class of an operator, used for the cross-section of the
// pilot. The zero value, UnknownSize, is refused.
type Size uint8

const (
	// UnknownSize is the zero Size; it is never admitted.
	UnknownSize Size = iota
	// SME is a small or medium-sized enterprise.
	SME
	// Large is a large company.
	Large
	// Multinational is a multinational company.
	Multinational
)

var sizeNames = [...]string{"unknown", "sme", "large", "multinational"}

// String returns z as text.
func (z Size) String() string { return enumName(sizeNames[:], z, "Size") }

// MarshalText encodes z as its token.
func (z Size) MarshalText() ([]byte, error) { return enumMarshal(sizeNames[:], z, "size") }

// UnmarshalText sets z from its token, e.g. "sme".
func (z *Size) UnmarshalText(text []byte) error {
	return enumUnmarshal(sizeNames[:], z, text, "size")
}

// An EventKind says what an [Event] records. The zero value, UnknownEvent, is
// refused by [Plan.Apply].
type EventKind uint8

const (
	// UnknownEvent is the zero EventKind; Apply refuses it.
	UnknownEvent EventKind = iota
	// TaskDone records that the task Event.ID is done.
	TaskDone
	// MilestoneReached records that the milestone Event.ID is reached.
	MilestoneReached
	// EvaluationHeld records an evaluation of the programme.
	EvaluationHeld
	// OperatorsAdmitted records the admission of Event.Operators.
	OperatorsAdmitted
	// BenefitIntroduced records that the benefit Event.ID is introduced.
	BenefitIntroduced
	// IndicatorRecorded records Event.Value as the latest value of the
	// performance indicator Event.ID.
	IndicatorRecorded
	// ProgrammeLoaded records which parts of the programme structure
	// Event.Programme defines; gate 1 reads this record.
	ProgrammeLoaded
	// AdvancePhase leaves the current phase; it is refused while one of the
	// phase's gates is blocked.
	AdvancePhase
)

var eventKindNames = [...]string{"unknown", "task-done", "milestone-reached", "evaluation-held",
	"operators-admitted", "benefit-introduced", "indicator-recorded", "programme-loaded", "advance-phase"}

// String returns k as text.
func (k EventKind) String() string { return enumName(eventKindNames[:], k, "EventKind") }

// MarshalText encodes k as its token.
func (k EventKind) MarshalText() ([]byte, error) {
	return enumMarshal(eventKindNames[:], k, "event kind")
}

// UnmarshalText sets k from its token, e.g. "task-done".
func (k *EventKind) UnmarshalText(text []byte) error {
	return enumUnmarshal(eventKindNames[:], k, text, "event kind")
}

// A GateKind names a rule that must hold: to leave a phase (the phase's
// [Gate]s) or, for GatePilot, GateAdmission and GateBenefits, also whenever
// operators are admitted or benefits introduced. The zero value, UnknownGate,
// is refused by validation.
type GateKind uint8

const (
	// UnknownGate is the zero GateKind.
	UnknownGate GateKind = iota
	// GateTasks holds when every task of the phase that is not optional is
	// done.
	GateTasks
	// GateMilestones holds when every milestone of the phase is reached.
	GateMilestones
	// GateProgrammeStructure holds when the loaded programme defines every
	// part of [StructureSections]: requirements, application, certification,
	// validation, benefits, suspension and appeal.
	GateProgrammeStructure
	// GatePilot holds when the pilot is small and representative: between one
	// and Pilot.MaxOperators operators, every size of Pilot.Sizes present and,
	// if Pilot.Volunteers, only volunteers.
	GatePilot
	// GateAdmission holds when operators of wave Gate.Wave have been admitted.
	// Admission in sequence is also enforced on every OperatorsAdmitted event.
	GateAdmission
	// GateEvaluations holds when the first Gate.Evaluations scheduled
	// evaluations have been held.
	GateEvaluations
	// GateBenefits holds when every benefit of stage Gate.Stage or earlier is
	// introduced. Introduction in sequence is also enforced on every
	// BenefitIntroduced event.
	GateBenefits
)

var gateKindNames = [...]string{"unknown", "tasks", "milestones", "programme-structure", "pilot",
	"admission", "evaluations", "benefits"}

// String returns g as text.
func (g GateKind) String() string { return enumName(gateKindNames[:], g, "GateKind") }

// MarshalText encodes g as its token.
func (g GateKind) MarshalText() ([]byte, error) { return enumMarshal(gateKindNames[:], g, "gate") }

// UnmarshalText sets g from its token, e.g. "programme-structure".
func (g *GateKind) UnmarshalText(text []byte) error {
	return enumUnmarshal(gateKindNames[:], g, text, "gate")
}

// A Measure says where the value of an [Indicator] comes from. The zero
// value, Recorded, takes it from IndicatorRecorded events; the others are
// computed from the state.
type Measure uint8

const (
	// Recorded indicators take the latest IndicatorRecorded value.
	Recorded Measure = iota
	// OperatorsAdmittedCount counts every admitted operator.
	OperatorsAdmittedCount
	// PilotOperatorsCount counts operators admitted before the enlargement
	// phase.
	PilotOperatorsCount
	// EvaluationsHeldCount counts scheduled evaluations held, on time or late.
	EvaluationsHeldCount
	// BenefitsIntroducedCount counts introduced benefits.
	BenefitsIntroducedCount
)

var measureNames = [...]string{"recorded", "operators-admitted", "pilot-operators", "evaluations-held", "benefits-introduced"}

// String returns m as text.
func (m Measure) String() string { return enumName(measureNames[:], m, "Measure") }

// MarshalText encodes m as its token.
func (m Measure) MarshalText() ([]byte, error) { return enumMarshal(measureNames[:], m, "measure") }

// UnmarshalText sets m from its token, e.g. "pilot-operators".
func (m *Measure) UnmarshalText(text []byte) error {
	return enumUnmarshal(measureNames[:], m, text, "measure")
}

// A Goal says how an [Indicator]'s value is compared with its target. The
// zero value, NoTarget, means the indicator is only reported.
type Goal uint8

const (
	// NoTarget indicators are reported without a target.
	NoTarget Goal = iota
	// AtLeast is met when the value is at least the target.
	AtLeast
	// AtMost is met when the value is at most the target.
	AtMost
)

var goalNames = [...]string{"none", "at-least", "at-most"}

// String returns g as text.
func (g Goal) String() string { return enumName(goalNames[:], g, "Goal") }

// MarshalText encodes g as its token.
func (g Goal) MarshalText() ([]byte, error) { return enumMarshal(goalNames[:], g, "goal") }

// UnmarshalText sets g from its token, e.g. "at-most".
func (g *Goal) UnmarshalText(text []byte) error {
	return enumUnmarshal(goalNames[:], g, text, "goal")
}

// An IndicatorStatus is how an indicator stands against its target in a
// [Report]. The zero value is NotMeasured.
type IndicatorStatus uint8

const (
	// NotMeasured means a recorded indicator has no value yet.
	NotMeasured IndicatorStatus = iota
	// Untargeted means there is a value but no target to compare it with.
	Untargeted
	// Met means the value meets the target.
	Met
	// NotMet means the value misses the target.
	NotMet
)

var indicatorStatusNames = [...]string{"not-measured", "no-target", "met", "not-met"}

// String returns s as text.
func (s IndicatorStatus) String() string {
	return enumName(indicatorStatusNames[:], s, "IndicatorStatus")
}

// MarshalText encodes s as its token.
func (s IndicatorStatus) MarshalText() ([]byte, error) {
	return enumMarshal(indicatorStatusNames[:], s, "indicator status")
}

// UnmarshalText sets s from its token, e.g. "not-met".
func (s *IndicatorStatus) UnmarshalText(text []byte) error {
	return enumUnmarshal(indicatorStatusNames[:], s, text, "indicator status")
}

// An EvaluationStatus is the standing of one scheduled evaluation in a
// [Report]. The zero value is Pending.
type EvaluationStatus uint8

const (
	// Pending means not held, and the due date has not passed.
	Pending EvaluationStatus = iota
	// Held means held on or before the due date.
	Held
	// HeldLate means held after the due date.
	HeldLate
	// Overdue means not held, and the due date has passed.
	Overdue
)

var evaluationStatusNames = [...]string{"pending", "held", "held-late", "overdue"}

// String returns s as text.
func (s EvaluationStatus) String() string {
	return enumName(evaluationStatusNames[:], s, "EvaluationStatus")
}

// MarshalText encodes s as its token.
func (s EvaluationStatus) MarshalText() ([]byte, error) {
	return enumMarshal(evaluationStatusNames[:], s, "evaluation status")
}

// UnmarshalText sets s from its token, e.g. "overdue".
func (s *EvaluationStatus) UnmarshalText(text []byte) error {
	return enumUnmarshal(evaluationStatusNames[:], s, text, "evaluation status")
}

// A PhaseStatus is the standing of a phase in a [Report]. The zero value is
// Ahead.
type PhaseStatus uint8

const (
	// Ahead means the phase has not been entered.
	Ahead PhaseStatus = iota
	// Current means the programme is in the phase.
	Current
	// Done means the phase has been left.
	Done
)

var phaseStatusNames = [...]string{"ahead", "current", "done"}

// String returns s as text.
func (s PhaseStatus) String() string { return enumName(phaseStatusNames[:], s, "PhaseStatus") }

// MarshalText encodes s as its token.
func (s PhaseStatus) MarshalText() ([]byte, error) {
	return enumMarshal(phaseStatusNames[:], s, "phase status")
}

// UnmarshalText sets s from its token, e.g. "current".
func (s *PhaseStatus) UnmarshalText(text []byte) error {
	return enumUnmarshal(phaseStatusNames[:], s, text, "phase status")
}
