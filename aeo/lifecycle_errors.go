package aeo

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by [Lifecycle.Apply], always wrapped in a [*RuleError]
// that names the rule, and by [Verify] and [Lifecycle.Replay], wrapped in
// an [*AuditError]. Test for them with errors.Is.
var (
	// ErrInvalidTransition: the event is not possible in the current
	// status or appeal phase (see [Transitions]), or the state it needs
	// is absent (no reassessment open, nothing left to suspend, nothing
	// to appeal).
	ErrInvalidTransition = errors.New("aeo: invalid transition")
	// ErrInvalidEvent: the event is malformed: unknown kind, no time, no
	// actor, an unknown or repeated type or site, a missing field.
	ErrInvalidEvent = errors.New("aeo: invalid event")
	// ErrNoReasons: a decision, a return, a hearing or an appeal that must
	// state its reasons or grounds in writing does not.
	ErrNoReasons = errors.New("aeo: reasons required")
	// ErrOutOfOrder: the event is dated before the previous one.
	ErrOutOfOrder = errors.New("aeo: event out of order")
	// ErrNotPermitted: the actor's role may not apply the event, or the
	// programme does not allow it (a third-party validation it does not
	// accept or that the applicant declined, an appeal it excludes).
	ErrNotPermitted = errors.New("aeo: not permitted")
	// ErrFourEyes: a grant, refusal, revocation or annulment has no
	// approver, or the approver is the proposer.
	ErrFourEyes = errors.New("aeo: four eyes required")
	// ErrConflictOfInterest: the officer has a conflict of interest: an
	// appeal reviewer who took the decision or is the operator's client
	// coordinator, a coordinator who approves a decision on the operator,
	// or a coordinator with a declared interest in it.
	ErrConflictOfInterest = errors.New("aeo: conflict of interest")
	// ErrLate: lodged after its window: an appeal, a resubmission, or an
	// extension asked for after the deadline it extends.
	ErrLate = errors.New("aeo: lodged too late")
	// ErrReapplicationBarred: a new application within the bar the
	// programme sets after a refusal, revocation, withdrawal or annulment.
	ErrReapplicationBarred = errors.New("aeo: re-application barred")
	// ErrNotRecommended: a grant or a confirmation without an assessment,
	// or of a type or grade the assessment does not recommend.
	ErrNotRecommended = errors.New("aeo: not recommended by the assessment")
	// ErrNotValidated: a grant or a confirmation before the validation is
	// complete.
	ErrNotValidated = errors.New("aeo: validation not complete")
	// ErrStaleAssessment: the assessment is of another programme version
	// (fingerprint), or dated after the decision.
	ErrStaleAssessment = errors.New("aeo: assessment not of the current programme")
	// ErrNoExtension: the programme sets no extension, or it was used.
	ErrNoExtension = errors.New("aeo: no extension available")
	// ErrNotHeard: a revocation before the holder was heard or the
	// hearing period ended.
	ErrNotHeard = errors.New("aeo: holder not heard")
	// ErrTampered: an audit record was changed, removed, inserted or
	// reordered.
	ErrTampered = errors.New("aeo: audit trail tampered")
	// ErrReplayMismatch: replaying a record's event does not reproduce
	// the record: it was made under other rules, or by other code.
	ErrReplayMismatch = errors.New("aeo: replay does not reproduce the record")
)

// A RuleError reports an event that [Lifecycle.Apply] refused, and the
// rule that refused it.
//
// Rule is either the name of a guard ("four-eyes", "transition",
// "reviewer-not-decider", ...) or the programme-file key of the time rule
// that refused the event ("reapply_bar.after_revocation",
// "appeal.stages[1].window"). The guards are listed in the package
// documentation of the lifecycle (see [Lifecycle]). Err is one of the
// sentinel errors above.
type RuleError struct {
	Rule   string    // the rule that refused the event
	Event  EventKind // the event refused
	Status Status    // the status it was refused in
	Detail string    // what exactly was wrong, for people
	Err    error     // the sentinel, for errors.Is
}

// Error describes the problem.
func (e *RuleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "aeo: %s in %s: %s (rule %s)", e.Event, e.Status, strings.TrimPrefix(lcErrText(e.Err), "aeo: "), e.Rule)
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *RuleError) Unwrap() error { return e.Err }

func lcErrText(err error) string {
	if err == nil {
		return "refused"
	}
	return err.Error()
}

// An AuditError reports the first record of an audit trail that fails
// [Verify] or [Lifecycle.Replay]. Index is the 0-based position of the
// record in the slice given.
type AuditError struct {
	Index  int
	Detail string
	Err    error // ErrTampered or ErrReplayMismatch; may wrap a *RuleError
}

// Error describes the problem.
func (e *AuditError) Error() string {
	s := fmt.Sprintf("aeo: audit record %d: %s", e.Index, e.Detail)
	if e.Err != nil {
		s += ": " + strings.TrimPrefix(e.Err.Error(), "aeo: ")
	}
	return s
}

// Unwrap returns the underlying error.
func (e *AuditError) Unwrap() error { return e.Err }
