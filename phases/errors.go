package phases

import (
	"errors"
	"fmt"
)

// Sentinel errors. [Plan.Apply] wraps them with the event and its context;
// classify with errors.Is. Their text carries no "phases:" prefix because
// they are only ever returned wrapped in one.
var (
	// ErrInvalidPlan reports a plan that fails validation (every
	// [*ConfigError] wraps it) or a nil or empty *Plan.
	ErrInvalidPlan = errors.New("invalid plan")
	// ErrInvalidState reports a State that cannot belong to the plan, such
	// as a phase number out of range.
	ErrInvalidState = errors.New("invalid state")
	// ErrInvalidEvent reports a malformed event: an unknown kind, a missing
	// or unusable date, a field the kind does not take, an operator without
	// an ID, type or size, a non-finite indicator value.
	ErrInvalidEvent = errors.New("invalid event")
	// ErrUnknownTask reports a task ID that the plan does not define.
	ErrUnknownTask = errors.New("unknown task")
	// ErrUnknownMilestone reports a milestone ID that the plan does not
	// define.
	ErrUnknownMilestone = errors.New("unknown milestone")
	// ErrUnknownBenefit reports a benefit ID that the plan does not define.
	ErrUnknownBenefit = errors.New("unknown benefit")
	// ErrUnknownIndicator reports an indicator ID that the plan does not
	// define as a recorded indicator.
	ErrUnknownIndicator = errors.New("unknown indicator")
	// ErrDuplicate reports a task, milestone or benefit already recorded, or
	// an operator already admitted.
	ErrDuplicate = errors.New("already recorded")
	// ErrOutOfOrder reports an event that comes too early: dated before the
	// latest applied event, for a task or milestone of a phase not yet
	// entered, an evaluation before the pilot starts, an admission before the
	// pilot phase, a benefit before any operator is admitted, or an advance
	// past the last phase.
	ErrOutOfOrder = errors.New("out of order")
	// ErrGateBlocked is wrapped by every [*GateError].
	ErrGateBlocked = errors.New("gate blocked")
)

// A GateError reports a gate that refused an event: an AdvancePhase while
// the gate is blocked, or an admission or benefit that breaks the sequence
// or the pilot limits. It wraps [ErrGateBlocked].
type GateError struct {
	Phase  int      // the phase whose gate refused the event (the current phase)
	Gate   GateKind // which rule
	Reason string   // what is missing, e.g. "programme does not define: appeal"
}

// Error describes the problem.
func (e *GateError) Error() string {
	return fmt.Sprintf("phases: phase %d gate %s blocked: %s", e.Phase, e.Gate, e.Reason)
}

// Unwrap returns the underlying error.
func (e *GateError) Unwrap() error { return ErrGateBlocked }

// A ConfigError reports one problem in a [Config]. [New] and [Decode] return
// every problem they find, joined with errors.Join, in the order of the
// configuration. A ConfigError wraps [ErrInvalidPlan].
type ConfigError struct {
	Path string // where in the configuration, e.g. "phases[2].tasks[0].id"
	Msg  string // what is wrong, e.g. "duplicate task ID"
}

// Error describes the problem.
func (e *ConfigError) Error() string { return fmt.Sprintf("phases: %s: %s", e.Path, e.Msg) }

// Unwrap returns the underlying error.
func (e *ConfigError) Unwrap() error { return ErrInvalidPlan }
