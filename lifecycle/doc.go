// Package lifecycle is the authorization lifecycle of an Authorized
// Economic Operator programme: application, acceptance, validation,
// decision, monitoring, reassessment, corrective action, suspension,
// revocation, annulment and appeal, as an event-sourced state machine with
// the time rules a national law sets, the integrity guards of the WCO
// guidance, and a hash-chained audit trail.
//
// # Model
//
// A [Config] is plain data: the time rules of one programme (decision
// deadlines, appeal windows, re-application bars, suspension limits,
// revalidation and monitoring cycles), usually decoded from the
// lifecycle: section of a programme file (see package aeo). [New]
// validates it and returns a [Machine], immutable and safe for concurrent
// use.
//
// The Machine holds no state. The caller keeps each operator's
// [Authorization] (status, types held, deadlines, appeal track) and its
// [Trail] of [Record]s, and passes the state in:
//
//	next, rec, err := m.Apply(state, ev)
//
// Apply is pure: it returns the new state and the audit record to append,
// or a [*RuleError] naming the rule that refused the event, and then
// changes nothing. Time is always an input: each [Event] carries its date,
// and [Machine.Due] lists what is owed as of a date the caller passes.
// Nothing here reads the wall clock, and nothing grants a status by
// itself: only an officer's recorded decision, under four eyes, moves an
// authorization.
//
// # Time rules
//
// Deadlines are calendar days held as midnight UTC; an act on the last
// day is in time. Periods may count working days of the programme's
// calendar ([WithCalendar]), run to the end of a month, and roll off a
// non-working day; an event whose deadline the calendar cannot count (a
// year with no holidays listed) is refused. A status may be granted for
// a term ([ValidityRules]) with a renewal window; without a renewal
// lodged in time nothing is in force after the term, Due says a lapse is
// owed, and an officer records it. Hearings the operator requests
// ([HearingRules]), benefit denials, decisions open only to an informal
// review and separate certificates ([CertificateRules]) have their own
// time limits.
//
// # The guidance's method
//
// Validation is physical by default: only visits count, unless the
// programme relaxes it with a source ([ValidationRules], validation.go);
// a validation may be done by a joint team with a partner administration.
// A client coordinator's portfolio is weighed against the programme's
// capacity, from a snapshot the host passes with the assignment
// (portfolio.go). Operators raise issues that Customs acknowledges,
// answers and closes within the programme's times (issues.go), and the
// ten-step treatment cycle of trusted traders is recorded step by step
// (cycle.go). [Machine.Queue] shows, across the operators the host
// passes in, what is due, each coordinator's load and where each
// operator stands in its cycle.
//
// # Statuses and appeals
//
// [Transitions] returns the status table (none, lodged, incomplete,
// examination, authorized, suspended, revoked and the rest) and
// [AppealTransitions] the appeal track that runs beside it: an appeal
// does not suspend the decision appealed. [AppealEffects] says what an
// allowed appeal restores. [Machine.Mermaid] and [Machine.DOT] draw them
// with the programme's time rules.
//
// # Consent, exchange and electronic updates
//
// A holder's AEO data goes to a partner administration only with its
// consent to that partner ([EventGiveConsent], [EventWithdrawConsent];
// [Authorization.ConsentTo]); each sending is an [EventExportRecords] of
// the trail, naming who sent which records to whom, and the guard refuses
// one without consent (the members of a customs union, which share the
// status by law, need none: [WithPartners]). A withdrawal puts a notice
// to each partner that received data on the work queue; the status is
// unchanged. A holder notifies changes electronically
// ([EventNotifyChange]): the changes section ([ChangeRules]) says what
// each kind puts up for reassessment and by when, and the reassessment
// waits in [Machine.Due] until an officer closes it
// ([EventReviewChange]) on an assessment made after the change. Package
// exchange builds the records from the state and the trail
// ([Machine.Walk]).
//
// # Audit trail
//
// Each Record carries the event as applied, the status before and after,
// the fingerprint of the programme version it was applied under, and the
// SHA-256 of its canonical encoding chained to the record before.
// [Trail.Verify] and [Trail.VerifyHead] detect a record changed, removed,
// inserted or reordered; [Machine.Replay] rebuilds the state from a trail
// and checks that every record is reproduced.
//
// # Errors
//
// Refused events are [*RuleError]s wrapping a sentinel ([ErrFourEyes],
// [ErrLate], [ErrInvalidTransition] ...), for errors.Is. Problems in a
// Config are a [diag.List] whose paths are the programme-file keys
// (appeal.stages[0].window).
package lifecycle
