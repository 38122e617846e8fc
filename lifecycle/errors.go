package lifecycle

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by [Machine.Apply], always wrapped in a [*RuleError]
// that names the rule, and by [Trail.Verify] and [Machine.Replay], wrapped in
// an [*AuditError]. Test for them with errors.Is.
var (
	// ErrInvalidTransition: the event is not possible in the current
	// status or appeal phase (see [Transitions]), or the state it needs
	// is absent (no reassessment open, nothing left to suspend, nothing
	// to appeal).
	ErrInvalidTransition = errors.New("lifecycle: invalid transition")
	// ErrInvalidEvent: the event is malformed: unknown kind, no time, no
	// actor, an unknown or repeated type or site, a missing field.
	ErrInvalidEvent = errors.New("lifecycle: invalid event")
	// ErrNoReasons: a decision, a return, a hearing or an appeal that must
	// state its reasons or grounds in writing does not.
	ErrNoReasons = errors.New("lifecycle: reasons required")
	// ErrOutOfOrder: the event is dated before the previous one.
	ErrOutOfOrder = errors.New("lifecycle: event out of order")
	// ErrNotPermitted: the actor's role may not apply the event, or the
	// programme does not allow it (a third-party validation it does not
	// accept or that the applicant declined, an appeal it excludes).
	ErrNotPermitted = errors.New("lifecycle: not permitted")
	// ErrFourEyes: a grant, refusal, revocation or annulment has no
	// approver, or the approver is the proposer.
	ErrFourEyes = errors.New("lifecycle: four eyes required")
	// ErrConflictOfInterest: the officer has a conflict of interest: an
	// appeal reviewer who took the decision or is the operator's client
	// coordinator, a coordinator who approves a decision on the operator,
	// or a coordinator with a declared interest in it.
	ErrConflictOfInterest = errors.New("lifecycle: conflict of interest")
	// ErrLate: lodged after its window: an appeal, a resubmission, or an
	// extension asked for after the deadline it extends.
	ErrLate = errors.New("lifecycle: lodged too late")
	// ErrReapplicationBarred: a new application within the bar the
	// programme sets after a refusal, revocation, withdrawal or annulment.
	ErrReapplicationBarred = errors.New("lifecycle: re-application barred")
	// ErrNotRecommended: a grant or a confirmation without an assessment,
	// or of a type or grade the assessment does not recommend.
	ErrNotRecommended = errors.New("lifecycle: not recommended by the assessment")
	// ErrNotValidated: a grant or a confirmation before the validation is
	// complete.
	ErrNotValidated = errors.New("lifecycle: validation not complete")
	// ErrStaleAssessment: the assessment is of another programme version
	// (fingerprint), or dated after the decision.
	ErrStaleAssessment = errors.New("lifecycle: assessment not of the current programme")
	// ErrNoExtension: the programme sets no extension, or it was used.
	ErrNoExtension = errors.New("lifecycle: no extension available")
	// ErrNotHeard: a revocation before the holder was heard or the
	// hearing period ended.
	ErrNotHeard = errors.New("lifecycle: holder not heard")
	// ErrEarly: lodged before its window opens (a renewal before the
	// renewal window), or an act before the time it waits for (a lapse
	// before the term ends).
	ErrEarly = errors.New("lifecycle: too early")
	// ErrCalendar: a deadline the event sets cannot be counted in the
	// programme's calendar (a year whose holidays are not listed); the
	// event is refused rather than given a deadline that may fall on a
	// holiday.
	ErrCalendar = errors.New("lifecycle: deadline cannot be counted")
	// ErrNoConsent: AEO data sent to a partner without the holder's
	// consent to that partner in force.
	ErrNoConsent = errors.New("lifecycle: no consent to exchange the data")
	// ErrOverloaded: the client coordinator's portfolio would exceed the
	// capacity the programme sets (coordinator.capacity).
	ErrOverloaded = errors.New("lifecycle: coordinator's portfolio full")
	// ErrTampered: an audit record was changed, removed, inserted or
	// reordered.
	ErrTampered = errors.New("lifecycle: audit trail tampered")
	// ErrReplayMismatch: replaying a record's event does not reproduce
	// the record: it was made under other rules, or by other code.
	ErrReplayMismatch = errors.New("lifecycle: replay does not reproduce the record")
)

// A RuleError reports an event that [Machine.Apply] refused, and the
// rule that refused it.
//
// Rule is either the name of a guard ("four-eyes", "transition",
// "reviewer-not-decider", ...) or the programme-file key of the time rule
// that refused the event ("reapply_bar.after_revocation",
// "appeal.stages[1].window"). The guards are listed in the package
// documentation of the lifecycle (see [Machine]). Err is one of the
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
	fmt.Fprintf(&b, "lifecycle: %s in %s: %s (rule %s)", e.Event, e.Status, strings.TrimPrefix(errText(e.Err), "lifecycle: "), e.Rule)
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel.
func (e *RuleError) Unwrap() error { return e.Err }

func errText(err error) string {
	if err == nil {
		return "refused"
	}
	return err.Error()
}

// An AuditError reports the first record of an audit trail that fails
// [Trail.Verify] or [Machine.Replay]. Index is the 0-based position of the
// record in the slice given.
type AuditError struct {
	Index  int
	Detail string
	Err    error // ErrTampered or ErrReplayMismatch; may wrap a *RuleError
}

// Error describes the problem.
func (e *AuditError) Error() string {
	s := fmt.Sprintf("lifecycle: audit record %d: %s", e.Index, e.Detail)
	if e.Err != nil {
		s += ": " + strings.TrimPrefix(e.Err.Error(), "lifecycle: ")
	}
	return s
}

// Unwrap returns the underlying error.
func (e *AuditError) Unwrap() error { return e.Err }
