package lifecycle

import (
	"fmt"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// The lifecycle of an authorization is a table of transitions, kept as
// data below so that people who do not read Go (customs lawyers, auditors)
// can review it: the status machine (statusTable), the appeal track that
// runs beside it (appealTable) and what an allowed appeal does to the
// status (appealEffects). [Transitions], [AppealTransitions] and
// [AppealEffects] return them; [Machine.Mermaid] and [Machine.DOT]
// draw them.
//
// The guards that refuse an event the table allows are in the handlers
// (lifecycle_apply.go); each refusal is a *RuleError naming its rule.

// edge is a row of statusTable: event moves each status of from to one of
// to; a nil to means the status does not change.
type edge struct {
	from  []Status
	event EventKind
	to    []Status
	note  string
}

func statuses(s ...Status) []Status { return s }

var (
	pending = statuses(StatusLodged, StatusIncomplete, StatusExamination)
	held    = statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended, StatusRevocationProposed)
	closed  = statuses(StatusNotAccepted, StatusRefused, StatusRevoked, StatusWithdrawn, StatusAnnulled, StatusLapsed)
	// heard are the statuses in which the operator may ask for a hearing:
	// a pending examination, an authorization held, or a decision that
	// may be under appeal (the guard hearing-subject checks that one is).
	heard = statuses(StatusExamination, StatusAuthorized, StatusPartlySuspended, StatusSuspended, StatusRevocationProposed,
		StatusNotAccepted, StatusRefused, StatusRevoked, StatusAnnulled)
	// issueStatuses are the statuses in which an operator's issues are
	// raised and answered: any, once something was lodged.
	issueStatuses = append(append(slices.Clone(pending), held...), closed...)
)

var statusTable = []edge{
	// Application (WCO AEO Implementation Guidance, Annex 1: accept
	// applications, vet, verify; UCC Art 22).
	{statuses(StatusNone), EventLodge, statuses(StatusLodged), "an operator lodges an application with its self-assessment"},
	{closed, EventLodge, statuses(StatusLodged), "a new application, unless a re-application bar runs"},
	{statuses(StatusLodged), EventReturn, statuses(StatusIncomplete), "Customs returns an incomplete application, saying what is missing"},
	{statuses(StatusIncomplete), EventResubmit, statuses(StatusLodged), "the applicant completes it within the completion window"},
	{statuses(StatusLodged), EventAccept, statuses(StatusExamination), "Customs accepts a complete application; the decision deadline starts"},
	{statuses(StatusLodged, StatusIncomplete), EventReject, statuses(StatusNotAccepted), "Customs does not accept the application (appealable)"},
	{statuses(StatusExamination), EventExtendDeadline, nil, "the decision deadline is extended once, before it expires"},
	{statuses(StatusLodged, StatusIncomplete, StatusExamination, StatusAuthorized, StatusPartlySuspended, StatusSuspended),
		EventRequestCustomsValidation, nil, "the applicant asks Customs, not a third-party validator, to validate (SAFE)"},
	{statuses(StatusExamination, StatusAuthorized, StatusPartlySuspended, StatusSuspended), EventValidate, nil,
		"a validation report: document review, on-site visit, or a third-party report Customs accepts; held statuses need an open reassessment"},
	{statuses(StatusExamination), EventGrant, statuses(StatusAuthorized), "grant, four eyes, on a current assessment that recommends it and a completed validation"},
	{statuses(StatusExamination), EventRefuse, statuses(StatusRefused), "refusal, four eyes, with reasons (appealable)"},
	{pending, EventWithdraw, statuses(StatusWithdrawn), "the applicant withdraws the application"},

	// Monitoring, reassessment and revalidation.
	{held, EventMonitor, nil, "a monitoring activity is recorded"},
	{statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended), EventStartReassessment, nil, "a reassessment or revalidation opens"},
	{statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended), EventConfirmReassessment, nil,
		"the reassessment closes on a current assessment and a completed validation; the revalidation cycle restarts"},
	{statuses(StatusExamination, StatusAuthorized, StatusPartlySuspended, StatusSuspended, StatusRevocationProposed),
		EventRequestCorrectiveAction, nil, "corrective action is requested by a deadline"},
	{statuses(StatusExamination, StatusAuthorized, StatusPartlySuspended, StatusSuspended, StatusRevocationProposed),
		EventExtendCorrectiveAction, nil, "the corrective-action deadline is extended once, before it expires"},
	{statuses(StatusExamination, StatusAuthorized, StatusPartlySuspended, StatusSuspended, StatusRevocationProposed),
		EventCompleteCorrectiveAction, nil, "the corrective action is verified as taken"},

	// Suspension (UCC Art 23(4)(b); DA Art 16-18, 30).
	{statuses(StatusAuthorized, StatusPartlySuspended), EventSuspend, statuses(StatusPartlySuspended, StatusSuspended),
		"the types that depend on the failing criterion are suspended, the others stay in force (DA Art 30)"},
	{statuses(StatusPartlySuspended, StatusSuspended), EventLift, statuses(StatusAuthorized, StatusPartlySuspended),
		"the suspension of some or all types is lifted (DA Art 18)"},
	{statuses(StatusRevocationProposed), EventLift, statuses(StatusAuthorized, StatusPartlySuspended),
		"the proposed revocation is withdrawn and the suspensions named (all by default) are lifted"},

	// Revocation, annulment, surrender.
	{statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended), EventProposeRevocation, statuses(StatusRevocationProposed),
		"Customs notifies its intention to revoke and its grounds; the holder may be heard (UCC Art 22(6))"},
	{statuses(StatusRevocationProposed), EventObservations, nil, "the holder states its views"},
	{statuses(StatusAuthorized), EventRevoke, statuses(StatusRevoked, StatusAuthorized), "revocation, whole or of some types, four eyes (appealable)"},
	{statuses(StatusPartlySuspended, StatusRevocationProposed), EventRevoke, statuses(StatusRevoked, StatusAuthorized, StatusPartlySuspended, StatusSuspended),
		"revocation, whole or of some types, four eyes (appealable)"},
	{statuses(StatusSuspended), EventRevoke, statuses(StatusRevoked, StatusSuspended), "revocation, whole or of some types, four eyes (appealable)"},
	{held, EventAnnul, statuses(StatusAnnulled), "annulment: granted on incorrect or incomplete information; effective from the original effective date"},
	{statuses(StatusAuthorized), EventWithdraw, statuses(StatusWithdrawn, StatusAuthorized), "the holder surrenders some or all types"},
	{statuses(StatusPartlySuspended), EventWithdraw, statuses(StatusWithdrawn, StatusAuthorized, StatusPartlySuspended, StatusSuspended),
		"the holder surrenders some or all types"},
	{statuses(StatusSuspended), EventWithdraw, statuses(StatusWithdrawn, StatusSuspended), "the holder surrenders some or all types"},
	{statuses(StatusRevocationProposed), EventWithdraw, statuses(StatusWithdrawn), "the holder surrenders the whole authorization"},

	// Validity and renewal: a term, a renewal window, lapse (recorded by
	// an officer, never by the engine).
	{statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended), EventLodgeRenewal, nil,
		"the holder lodges a renewal within the renewal window, before the term ends"},
	{statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended), EventRenew, nil,
		"the renewal is granted on a current assessment, four eyes: a further term from the end of the last"},
	{statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended), EventRefuseRenewal, nil,
		"the renewal is refused, four eyes, with reasons (appealable); the authorization runs to the end of its term"},
	{held, EventLapse, statuses(StatusLapsed), "the term ended with no renewal lodged in time: an officer records the lapse"},

	// Benefits denied while the status stands (C-TPAT, 6 USC 967).
	{statuses(StatusAuthorized, StatusPartlySuspended), EventDenyBenefits, nil, "benefits are denied in whole or part, with reasons (appealable)"},
	{held, EventRestoreBenefits, nil, "the denial of benefits ends"},

	// Hearings the operator requests (GCC AEO appeal rules).
	{heard, EventRequestHearing, nil, "the operator asks to be heard"},
	{heard, EventScheduleHearing, nil, "Customs schedules the hearing, within the time the programme sets"},
	{heard, EventHoldHearing, nil, "the hearing is held and its minutes recorded"},
	{heard, EventHearingSubmission, nil, "the operator submits further arguments after the minutes, in time"},

	// Operators' issues (WCO note on AEO for e-commerce, section IX), in
	// any status once something was lodged.
	{issueStatuses, EventRaiseIssue, nil, "the operator raises an issue; Customs acknowledges and answers it within the programme's times"},
	{issueStatuses, EventAcknowledgeIssue, nil, "Customs acknowledges receipt of the issue"},
	{issueStatuses, EventAnswerIssue, nil, "Customs answers the issue in writing"},
	{issueStatuses, EventCloseIssue, nil, "the answered issue is closed, saying how it was resolved"},

	// The treatment cycle of trusted traders (AEO Implementation
	// Guidance, Annex 3), from the examination on.
	{append(statuses(StatusExamination), held...), EventControlStep, nil,
		"a step of the ten-step treatment cycle is recorded, in order, with its date and officer"},

	// Client coordinator (Annex 4).
	{append(slices.Clone(pending), held...), EventAssignCoordinator, nil, "a client coordinator is assigned"},
	{append(slices.Clone(pending), held...), EventRotateCoordinator, nil,
		"the coordinator rotates; the outgoing one mentors the new one"},

	// Data exchange with partners and electronic updates (WCO AEO
	// Implementation Guidance, IT needs: "exchange AEO data with other
	// Mutual Recognition countries", "accept/process changes/updates
	// electronically from AEO"). None changes the status.
	{consenting, EventGiveConsent, nil, "the holder consents to the exchange of its AEO data with named partners"},
	{consenting, EventWithdrawConsent, nil, "the holder withdraws its consent; partners it was sent to are told, the status stands"},
	{exported, EventExportRecords, nil, "exchange records are sent to partners: only with consent, or to tell them it was withdrawn"},
	{append(slices.Clone(pending), held...), EventNotifyChange, nil,
		"the holder notifies changes (a new site, new directors, a changed business model); what they affect is put up for reassessment"},
	{append(slices.Clone(pending), held...), EventReviewChange, nil, "the reassessment of notified changes closes on a current assessment"},
}

var (
	// consenting are the statuses in which the operator may give or
	// withdraw consent: from the application on, and after the
	// authorization ended, when a revocation may still be sent.
	consenting = append(append(slices.Clone(pending), held...), closed...)
	// exported are the statuses whose records may be sent to partners:
	// an authorization held, or one that ended (its end is news to them).
	exported = append(slices.Clone(held), closed...)
)

// appealEdge is a row of appealTable.
type appealEdge struct {
	from  []AppealPhase
	event EventKind
	to    AppealPhase
	note  string
}

func phases(p ...AppealPhase) []AppealPhase { return p }

var appealTable = []appealEdge{
	{phases(AppealNone, AppealDismissed, AppealAllowed, AppealWithdrawn), EventRequestReasons, AppealReasonsRequested,
		"the reasons for a decision are requested (RKC Standard 10.3)"},
	{phases(AppealReasonsRequested), EventGiveReasons, AppealReasonsGiven, "Customs gives the reasons in writing"},
	{phases(AppealNone, AppealReasonsRequested, AppealReasonsGiven, AppealDismissed, AppealAllowed, AppealWithdrawn), EventLodgeAppeal, AppealLodged,
		"an appeal is lodged in writing with grounds, within the window (RKC 10.4-10.8): at the first stage, or at the next after a dismissal"},
	{phases(AppealLodged), EventAllowAppeal, AppealAllowed, "the appeal is allowed and given effect (RKC 10.10, 10.12)"},
	{phases(AppealLodged), EventDismissAppeal, AppealDismissed, "the appeal is dismissed with reasons and notice of the further appeal (RKC 10.11)"},
	{phases(AppealReasonsRequested, AppealReasonsGiven, AppealLodged, AppealDismissed), EventWithdrawAppeal, AppealWithdrawn,
		"the appellant withdraws"},
}

// effect is a row of appealEffects.
type effect struct {
	against DecisionKind
	from    []Status
	to      []Status
	note    string
}

var appealEffects = []effect{
	{DecisionNonAcceptance, statuses(StatusNotAccepted), statuses(StatusExamination),
		"the application is accepted; the decision deadline runs from the ruling"},
	{DecisionRefusal, statuses(StatusRefused), statuses(StatusExamination),
		"the application is examined again; nothing grants by itself"},
	{DecisionSuspension, statuses(StatusPartlySuspended, StatusSuspended), statuses(StatusAuthorized, StatusPartlySuspended),
		"the types that decision suspended are lifted"},
	{DecisionSuspension, statuses(StatusRevocationProposed), statuses(StatusRevocationProposed),
		"the types that decision suspended are lifted; the proposed revocation stands"},
	{DecisionRevocation, statuses(StatusRevoked), statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended),
		"the revoked types are restored as they stood"},
	{DecisionRevocation, statuses(StatusAuthorized), statuses(StatusAuthorized, StatusPartlySuspended),
		"the types revoked in part are restored as they stood, beside those still held"},
	{DecisionRevocation, statuses(StatusPartlySuspended), statuses(StatusPartlySuspended),
		"the types revoked in part are restored as they stood, beside those still held"},
	{DecisionRevocation, statuses(StatusSuspended), statuses(StatusPartlySuspended, StatusSuspended),
		"the types revoked in part are restored as they stood, beside those still held"},
	{DecisionRevocation, statuses(StatusRevocationProposed), statuses(StatusRevocationProposed),
		"the revoked types are restored as they stood; the proposed revocation stands"},
	{DecisionAnnulment, statuses(StatusAnnulled), statuses(StatusAuthorized, StatusPartlySuspended, StatusSuspended),
		"the annulled types are restored as they stood"},
}

// A Transition is one edge of the status machine: Event may move an
// authorization in status From to one of the statuses To. A nil To means
// the status does not change. Guards may still refuse the event.
type Transition struct {
	From  Status
	Event EventKind
	To    []Status
	Note  string
}

// Transitions returns the status machine, sorted by status and event. The
// slice is fresh: the caller may keep or change it.
func Transitions() []Transition {
	var out []Transition
	for _, e := range statusTable {
		for _, f := range e.from {
			out = append(out, Transition{From: f, Event: e.event, To: slices.Clone(e.to), Note: e.note})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].Event < out[j].Event
	})
	return out
}

// An AppealTransition is one edge of the appeal track: Event moves an
// appeal in phase From to phase To.
type AppealTransition struct {
	From  AppealPhase
	Event EventKind
	To    AppealPhase
	Note  string
}

// AppealTransitions returns the appeal track, sorted by phase and event.
// The slice is fresh.
func AppealTransitions() []AppealTransition {
	var out []AppealTransition
	for _, e := range appealTable {
		for _, f := range e.from {
			out = append(out, AppealTransition{From: f, Event: e.event, To: e.to, Note: e.note})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].Event < out[j].Event
	})
	return out
}

// An AppealEffect says what an allowed appeal against a decision of kind
// Against does to an authorization in status From: it moves it to one of
// To. In other statuses the ruling is recorded and the status is left as
// it is; an allowed appeal against an omission changes no status.
type AppealEffect struct {
	Against DecisionKind
	From    Status
	To      []Status
	Note    string
}

// AppealEffects returns the effects of allowed appeals, sorted by decision
// kind and status. The slice is fresh.
func AppealEffects() []AppealEffect {
	var out []AppealEffect
	for _, e := range appealEffects {
		for _, f := range e.from {
			out = append(out, AppealEffect{Against: e.against, From: f, To: slices.Clone(e.to), Note: e.note})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Against != out[j].Against {
			return out[i].Against < out[j].Against
		}
		return out[i].From < out[j].From
	})
	return out
}

// eventRoles says who may apply each event. The appeal rulings
// (allow_appeal, dismiss_appeal) depend on the stage; see
// AppealStage.Reviewer.
var eventRoles = [numEvents]ActorRole{
	EventLodge:                    ActorOperator,
	EventReturn:                   ActorOfficer,
	EventResubmit:                 ActorOperator,
	EventAccept:                   ActorOfficer,
	EventReject:                   ActorOfficer,
	EventExtendDeadline:           ActorOfficer,
	EventRequestCustomsValidation: ActorOperator,
	EventValidate:                 ActorOfficer,
	EventGrant:                    ActorOfficer,
	EventRefuse:                   ActorOfficer,
	EventWithdraw:                 ActorOperator,
	EventMonitor:                  ActorOfficer,
	EventStartReassessment:        ActorOfficer,
	EventConfirmReassessment:      ActorOfficer,
	EventRequestCorrectiveAction:  ActorOfficer,
	EventExtendCorrectiveAction:   ActorOfficer,
	EventCompleteCorrectiveAction: ActorOfficer,
	EventSuspend:                  ActorOfficer,
	EventLift:                     ActorOfficer,
	EventProposeRevocation:        ActorOfficer,
	EventObservations:             ActorOperator,
	EventRevoke:                   ActorOfficer,
	EventAnnul:                    ActorOfficer,
	EventAssignCoordinator:        ActorOfficer,
	EventRotateCoordinator:        ActorOfficer,
	EventLodgeRenewal:             ActorOperator,
	EventRenew:                    ActorOfficer,
	EventRefuseRenewal:            ActorOfficer,
	EventLapse:                    ActorOfficer,
	EventDenyBenefits:             ActorOfficer,
	EventRestoreBenefits:          ActorOfficer,
	EventRequestHearing:           ActorOperator,
	EventScheduleHearing:          ActorOfficer,
	EventHoldHearing:              ActorOfficer,
	EventHearingSubmission:        ActorOperator,
	EventRaiseIssue:               ActorOperator,
	EventAcknowledgeIssue:         ActorOfficer,
	EventAnswerIssue:              ActorOfficer,
	EventCloseIssue:               ActorOfficer,
	EventControlStep:              ActorOfficer,
	EventRequestReasons:           ActorOperator,
	EventGiveReasons:              ActorOfficer,
	EventLodgeAppeal:              ActorOperator,
	EventWithdrawAppeal:           ActorOperator,
	EventGiveConsent:              ActorOperator,
	EventWithdrawConsent:          ActorOperator,
	EventExportRecords:            ActorOfficer,
	EventNotifyChange:             ActorOperator,
	EventReviewChange:             ActorOfficer,
}

// Role returns the role that may apply events of kind k, or ActorUnknown
// for the appeal rulings, whose role depends on the stage: an officer at
// customs_review, the review body at independent_review, the court at
// judicial.
func (k EventKind) Role() ActorRole {
	if int(k) < len(eventRoles) {
		return eventRoles[k]
	}
	return ActorUnknown
}

// A Machine applies events to authorizations under one programme's time
// rules. It is the compiled form of a [Config].
//
// A Machine is immutable and safe for concurrent use by multiple
// goroutines. It holds no authorization: the caller keeps each
// [Authorization] and its [Record]s and passes the state in.
//
// # Guards
//
// Besides the transition table, Apply enforces these rules; a refusal is a
// [*RuleError] whose Rule is the name below (or the programme-file key of
// a time rule) and whose Err is the sentinel in brackets.
//
//   - transition: the event is not in the table for the status or appeal
//     phase [ErrInvalidTransition].
//   - state: the state given is inconsistent (it did not come from Apply)
//     and the event would make a move the table does not allow
//     [ErrInvalidTransition].
//   - event.kind, event.at, event.actor, event.types, event.sites,
//     event.stage, event.validation, event.coordinator, event.criterion:
//     the event is malformed [ErrInvalidEvent].
//   - event-order: the event is dated before the previous one
//     [ErrOutOfOrder].
//   - role: the actor's role may not apply it [ErrNotPermitted].
//   - reasons: refusals, rejections, returns, suspensions, proposed
//     revocations, revocations, annulments, requests for corrective
//     action, given reasons, appeals, rulings and observations must state
//     reasons or grounds [ErrNoReasons].
//   - evidence: validation reports and completed corrective actions must
//     reference evidence [ErrNoReasons].
//   - four-eyes: grant, refusal, revocation and annulment need an approver
//     other than the proposer [ErrFourEyes].
//   - coordinator-not-approver: the client coordinator may not approve
//     them [ErrConflictOfInterest].
//   - assessment-required, recommended: a grant or confirmation needs an
//     assessment recommending each type and grade [ErrNotRecommended].
//   - current-programme-assessment, assessment-date: the assessment is of
//     the current programme version and not dated after the event
//     [ErrStaleAssessment].
//   - validation-complete: the validation sample is complete
//     [ErrNotValidated].
//   - validation.third_party, customs-validation-requested: a third-party
//     report is accepted only if the programme allows it and the
//     applicant did not ask for Customs [ErrNotPermitted].
//   - reassessment-open: validation of a held authorization and
//     confirmation need an open reassessment, starting one needs none
//     open [ErrInvalidTransition].
//   - nothing-to-suspend, nothing-to-appeal, coordinator-assigned,
//     corrective-action-open, appeal-stage-order, appeal-exhausted,
//     withdraw-whole: the state the event needs is absent
//     [ErrInvalidTransition].
//   - right-to-be-heard: with hearing_period set, a revocation must be
//     proposed first and waits for the holder's observations or the end
//     of the period [ErrNotHeard].
//   - reapply_bar.*: a new application within a bar
//     [ErrReapplicationBarred].
//   - completion_window, appeal.windows.*, appeal.stages[i].window,
//     decision_deadline, corrective_action.deadline: lodged or asked too
//     late [ErrLate].
//   - decision_extension, corrective_action.extension: no extension set,
//     or already used [ErrNoExtension].
//   - appeal.excluded: the programme excludes appeals against the
//     decision [ErrNotPermitted].
//   - reviewer-not-decider, coordinator-not-party: an appeal reviewer who
//     took or approved the decision, or who is the operator's client
//     coordinator or mentor [ErrConflictOfInterest].
//   - coordinator-interest: a coordinator with a declared interest in the
//     operator [ErrConflictOfInterest].
//   - calendar: a deadline the event sets falls in a year whose holidays
//     the programme's calendar does not list [ErrCalendar].
//   - validity.term, validity.renewal_window (or certificates.T.validity.*):
//     nothing to renew or lapse without a term [ErrNotPermitted]; a renewal
//     before the window [ErrEarly] or after the end of validity [ErrLate];
//     a lapse before the end of validity [ErrEarly].
//   - renewal-open, renewal-pending: a renewal decided with none lodged,
//     a second renewal lodged, a lapse while a renewal lodged in time
//     awaits its decision [ErrInvalidTransition].
//   - nothing-to-restore, event.benefits: benefits restored with none
//     denied, denied twice or not named [ErrInvalidTransition,
//     ErrInvalidEvent].
//   - hearing-subject, hearing-open, hearing-requested, hearing-scheduled,
//     hearing-held: a hearing with nothing to be heard on, one at a time,
//     in order [ErrInvalidTransition]; hearing-date: held before the day
//     scheduled [ErrEarly]; hearings.submissions_after: further arguments
//     too late [ErrLate].
//   - appeal.informal_review, appeal.informal_review.window: a decision
//     open only to the informal review appealed at a formal stage, or the
//     reverse [ErrNotPermitted], or asked for too late [ErrLate].
//   - certificates.T: a separate certificate applied for together with
//     other types [ErrInvalidEvent].
//   - consent, consent-given, event.partners: data sent to a partner
//     without the holder's consent in force (other than the notice of its
//     withdrawal) [ErrNoConsent]; consent given twice or withdrawn when
//     none is in force [ErrInvalidTransition]; no partner, or one the
//     programme does not exchange with [ErrInvalidEvent].
//   - event.records, event.changes, changes.kinds: an export that names
//     no record, a notification that names no change or a kind the
//     programme does not list [ErrInvalidEvent]; change-assessment: a
//     review on an assessment older than the change [ErrStaleAssessment];
//     nothing-to-review [ErrInvalidTransition].
//   - validation-complete also covers physical verification: a grant or
//     confirmation waits until visits (or the methods validation.relax
//     allows, with its source) have validated the sample and verified
//     every requirement the assessment marks for on-site verification
//     [ErrNotValidated].
//   - validation.joint, validation.joint.partners: a joint validation
//     where the programme allows none, or with another partner
//     [ErrNotPermitted]; both sides' findings must be recorded
//     [ErrInvalidEvent, ErrNoReasons].
//   - coordinator.capacity: an assignment without the operator's workload
//     or the coordinator's portfolio [ErrInvalidEvent], or one that would
//     exceed the capacity [ErrOverloaded].
//   - event.issue, issue-open, issue-acknowledged, issue-answered: an
//     issue not named, raised twice, acknowledged twice, or closed before
//     it is answered [ErrInvalidEvent, ErrInvalidTransition].
//   - event.step, control-cycle-order, control_cycle.skip,
//     control_cycle.changed_control: a step of the treatment cycle
//     unnamed, out of order or skipped by the programme
//     [ErrInvalidEvent, ErrInvalidTransition], or a re-analysis before the
//     changed method of control has run its period [ErrEarly].
type Machine struct {
	cfg         Config
	cal         *calendar.Calendar
	fingerprint string
	dependsOn   map[string][]string
	edges       [numStatuses][numEvents][]Status // nil slice with ok=false: not allowed
	allowed     [numStatuses][numEvents]bool
	appeal      [numPhases][numEvents]AppealPhase
	appealOK    [numPhases][numEvents]bool
	review      []int // indexes of the review stages in cfg.Appeal.Stages, in order; nil: the RKC chain
	// types are the programme's authorization types, sorted, when New
	// was told them (closed); otherwise any type is accepted.
	types  []string
	closed bool
	// partners are the partners data is exchanged with, by ID (see
	// WithPartners); nil: any partner named, each needing consent.
	partners map[string]ExchangePartner
}

// New compiles cfg for the programme version with the given
// fingerprint. dependsOn maps a criterion ID to the authorization types
// that depend on it (EU: "competence" to AEOC, "security" to AEOS), for
// the suspension cascade; a criterion all types depend on lists them all.
//
// New returns cfg's problems as a list (see
// [Config.Validate]) or an error for an empty fingerprint or an
// empty name in dependsOn. It copies cfg and dependsOn.
func New(cfg Config, fingerprint string, dependsOn map[string][]string, opts ...Option) (*Machine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(fingerprint) == "" {
		return nil, fmt.Errorf("lifecycle: lifecycle needs the fingerprint of the programme version")
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	l := &Machine{cfg: cfg.clone(), cal: o.cal, fingerprint: fingerprint, dependsOn: map[string][]string{}}
	if l.cal == nil {
		var needs diag.List
		cfg.fields(func(key string, p calendar.Period) {
			if p.WorkingDays != 0 || p.Roll == calendar.RollNext || p.Roll == calendar.RollPrevious {
				needs.Add(key, "period %s counts working days or rolls off non-working days: the programme needs a calendar (its working week and holidays)", p)
			}
		}, func(string, string) {})
		if err := needs.Err(); err != nil {
			return nil, err
		}
		l.cal = calendar.MustCompile(calendar.Config{})
	}
	for _, c := range slices.Sorted(maps.Keys(dependsOn)) {
		if strings.TrimSpace(c) == "" {
			return nil, fmt.Errorf("lifecycle: lifecycle: dependsOn has an empty criterion")
		}
		types := slices.Clone(dependsOn[c])
		for _, t := range types {
			if strings.TrimSpace(t) == "" {
				return nil, fmt.Errorf("lifecycle: lifecycle: dependsOn[%q] has an empty type", c)
			}
		}
		slices.Sort(types)
		l.dependsOn[c] = slices.Compact(types)
	}
	for _, e := range statusTable {
		for _, f := range e.from {
			l.allowed[f][e.event] = true
			l.edges[f][e.event] = e.to
		}
	}
	for _, e := range appealTable {
		for _, f := range e.from {
			l.appealOK[f][e.event] = true
			l.appeal[f][e.event] = e.to
		}
	}
	var types []string
	for _, ts := range dependsOn {
		types = append(types, ts...)
	}
	var unknown diag.List
	for _, t := range slices.Sorted(maps.Keys(l.cfg.Certificates)) {
		if len(dependsOn) > 0 && !slices.Contains(types, t) {
			unknown.Add("certificates."+t, "%s is not an authorization type of the programme", t)
		}
	}
	if err := unknown.Err(); err != nil {
		return nil, err
	}
	l.types, l.closed = slices.Clone(o.types), o.closed
	for _, t := range l.types {
		if strings.TrimSpace(t) == "" {
			return nil, fmt.Errorf("lifecycle: WithTypes has an empty type")
		}
	}
	slices.Sort(l.types)
	l.types = slices.Compact(l.types)
	if err := l.setPartners(o.partners); err != nil {
		return nil, err
	}
	for i, s := range l.cfg.Appeal.Stages {
		if s.Stage != StageRequestReasons {
			l.review = append(l.review, i)
		}
	}
	return l, nil
}

// An Option configures [New].
type Option func(*options)

type options struct {
	cal      *calendar.Calendar
	types    []string
	closed   bool
	partners []ExchangePartner
}

// WithTypes gives the machine the authorization types the programme
// defines (AEOC, AEOS, AEOF; a single AEO). An event naming any other type
// (an application for a type the programme does not grant) is then
// refused by the rule event.types, at the lodge rather than at the grant.
func WithTypes(types ...string) Option {
	return func(o *options) {
		o.types, o.closed = append(o.types, types...), true
	}
}

// WithCalendar sets the calendar deadlines are counted in: the
// programme's working week, public holidays and default roll. Without
// one, New refuses periods in working days and periods that roll, and
// counts the others in calendar days.
func WithCalendar(c *calendar.Calendar) Option { return func(o *options) { o.cal = c } }

// Calendar returns the calendar l counts deadlines in.
func (l *Machine) Calendar() *calendar.Calendar { return l.cal }

// Config returns a copy of the configuration l was built from.
func (l *Machine) Config() Config { return l.cfg.clone() }

// Fingerprint returns the fingerprint of the programme version l checks
// assessments against.
func (l *Machine) Fingerprint() string { return l.fingerprint }

// Permitted returns the events the transition table allows for a, in
// order. Guards are not evaluated: Apply may still refuse them.
func (l *Machine) Permitted(a Authorization) []EventKind {
	var out []EventKind
	phase := AppealNone
	if a.Appeal != nil {
		phase = a.Appeal.Phase
	}
	for k := EventKind(1); k < numEvents; k++ {
		if k.appeal() {
			if int(phase) < numPhases && l.appealOK[phase][k] {
				out = append(out, k)
			}
		} else if int(a.Status) < numStatuses && l.allowed[a.Status][k] {
			out = append(out, k)
		}
	}
	return out
}

// Apply applies ev to a and returns the new state and the record of the
// event, to be appended to the operator's audit trail.
//
// Apply is a pure function: it never modifies a (nor ev), and the result
// shares no slice with either. If the event is refused, Apply returns a
// unchanged, a zero Record and a [*RuleError] that names the rule; see
// [Machine] for the rules. Apply never takes a decision by itself: time
// passing changes nothing until an event says so ([Machine.Due] lists
// what is due).
func (l *Machine) Apply(a Authorization, ev Event) (Authorization, Record, error) {
	return l.apply(a, ev, l.fingerprint)
}

// apply applies ev under the programme version fp (Replay passes each
// record's own).
func (l *Machine) apply(a Authorization, ev Event, fp string) (Authorization, Record, error) {
	s := &step{l: l, fp: fp, from: a, ev: ev}
	if err := s.run(); err != nil {
		return a, Record{}, err
	}
	next := s.next
	next.normalize()
	rec := Record{
		Seq:         a.Seq,
		Prev:        a.Head,
		Event:       ev.clone(),
		From:        a.Status,
		To:          next.Status,
		Fingerprint: fp,
	}
	h, err := rec.digest()
	if err != nil {
		return a, Record{}, s.fail("event", ErrInvalidEvent, "cannot encode the record: %v", err)
	}
	rec.Hash = h
	next.Seq = a.Seq + 1
	next.Head = h
	next.LastAt = ev.At
	return next, rec, nil
}

// step is one application of an event: the state before (from, never
// modified), the state being built (next) and the event.
type step struct {
	l    *Machine
	fp   string
	from Authorization
	next Authorization
	ev   Event
	// calErr is the first deadline the calendar could not count.
	calErr error
}

// deadline returns the last day of period p started at t, counted in
// the programme's calendar, or the zero time when p is not set. A
// deadline the calendar cannot count (a year with no holidays listed) is
// remembered, and run refuses the event.
func (s *step) deadline(p calendar.Period, t time.Time) time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	d, err := s.l.cal.Add(p, t)
	if err != nil && s.calErr == nil {
		s.calErr = err
	}
	return d
}

func (s *step) fail(rule string, err error, format string, args ...any) error {
	return &RuleError{Rule: rule, Event: s.ev.Kind, Status: s.from.Status, Detail: fmt.Sprintf(format, args...), Err: err}
}

func (s *step) run() error {
	ev, a := s.ev, s.from
	if ev.Kind == EventUnknown || ev.Kind >= numEvents {
		return s.fail("event.kind", ErrInvalidEvent, "unknown event kind %d", ev.Kind)
	}
	if int(a.Status) >= numStatuses {
		return s.fail("transition", ErrInvalidTransition, "unknown status %d", a.Status)
	}
	phase := AppealNone
	if a.Appeal != nil {
		phase = a.Appeal.Phase
	}
	if ev.Kind.appeal() {
		if int(phase) >= numPhases || !s.l.appealOK[phase][ev.Kind] {
			return s.fail("transition", ErrInvalidTransition, "not possible while the appeal is %s", phase)
		}
	} else if !s.l.allowed[a.Status][ev.Kind] {
		return s.fail("transition", ErrInvalidTransition, "not possible in status %s", a.Status)
	}
	if ev.At.IsZero() {
		return s.fail("event.at", ErrInvalidEvent, "the event has no time")
	}
	if y := ev.At.Year(); y < 1 || y > 9999 {
		return s.fail("event.at", ErrInvalidEvent, "dated in the year %d, outside the years 1 to 9999", y)
	}
	if msg := periodProblem(ev.Period); msg != "" {
		return s.fail("event.period", ErrInvalidEvent, "%s", msg)
	}
	if ev.At.Before(a.LastAt) {
		return s.fail("event-order", ErrOutOfOrder, "dated %s, before the previous event (%s)", stamp(ev.At), stamp(a.LastAt))
	}
	if strings.TrimSpace(ev.Actor) == "" {
		return s.fail("event.actor", ErrInvalidEvent, "the event names no actor")
	}
	// The audit trail hashes the event's JSON, which cannot hold invalid
	// UTF-8 as it is: refused here, so that no two events hash the same.
	if path, bad := invalidText(&s.ev); bad {
		return s.fail("event."+path, ErrInvalidEvent, "not valid UTF-8 text")
	}
	if !utf8.ValidString(s.fp) {
		return s.fail("fingerprint", ErrInvalidEvent, "the programme fingerprint is not valid UTF-8 text")
	}
	if want := ev.Kind.Role(); want != ActorUnknown && ev.Role != want {
		return s.fail("role", ErrNotPermitted, "%s is for the %s, not the %s", ev.Kind, want, ev.Role)
	}
	if err := s.checkLists(); err != nil {
		return err
	}
	if s.l.closed {
		for _, t := range ev.Types {
			if _, ok := slices.BinarySearch(s.l.types, t); ok {
				continue
			}
			if len(s.l.types) == 0 {
				return s.fail("event.types", ErrInvalidEvent, "%q: the programme defines no authorization types", t)
			}
			return s.fail("event.types", ErrInvalidEvent, "%q is not an authorization type of the programme (its types: %s)", t, strings.Join(s.l.types, ", "))
		}
	}
	s.next = a.clone()
	if err := s.handle(); err != nil {
		return err
	}
	if s.calErr != nil {
		return s.fail("calendar", fmt.Errorf("%w: %w", ErrCalendar, s.calErr), "a deadline of this event cannot be counted")
	}
	// A deadline counted from a date near the year 9999 would fall where
	// neither the calendar nor JSON can hold it.
	if path, bad := timeOutOfRange(&s.next); bad {
		return s.fail("event.at", ErrInvalidEvent, "%s would fall after the year 9999", path)
	}
	if !ev.Kind.appeal() {
		if to := s.l.edges[a.Status][ev.Kind]; to == nil && s.next.Status != a.Status ||
			to != nil && !slices.Contains(to, s.next.Status) {
			// Only a state that did not come from Apply (its status
			// disagrees with its types) or a bug can get here; refuse
			// rather than record a move the table does not allow.
			return s.fail("state", ErrInvalidTransition, "would move to %s, which the table does not allow; the state given is inconsistent", s.next.Status)
		}
	}
	return nil
}

// checkLists refuses empty or repeated names in the event's lists.
func (s *step) checkLists() error {
	check := func(rule string, list []string) error {
		seen := make(map[string]bool, len(list))
		for _, v := range list {
			if strings.TrimSpace(v) == "" {
				return s.fail(rule, ErrInvalidEvent, "an empty name")
			}
			if seen[v] {
				return s.fail(rule, ErrInvalidEvent, "%q given twice", v)
			}
			seen[v] = true
		}
		return nil
	}
	if err := check("event.types", s.ev.Types); err != nil {
		return err
	}
	if err := check("event.benefits", s.ev.Benefits); err != nil {
		return err
	}
	if err := check("event.partners", s.ev.Partners); err != nil {
		return err
	}
	if err := check("event.records", s.ev.Records); err != nil {
		return err
	}
	if err := check("event.classes", s.ev.Classes); err != nil {
		return err
	}
	if r := s.ev.Validation; r != nil {
		if err := check("event.validation.requirements", r.Requirements); err != nil {
			return err
		}
	}
	return check("event.sites", s.ev.Sites)
}

func (s *step) handle() error {
	switch s.ev.Kind {
	case EventLodge:
		return s.lodge()
	case EventReturn:
		return s.returnIncomplete()
	case EventResubmit:
		return s.resubmit()
	case EventAccept:
		return s.accept()
	case EventReject:
		return s.reject()
	case EventExtendDeadline:
		return s.extendDeadline()
	case EventRequestCustomsValidation:
		s.next.Validation.CustomsRequested = true
		return nil
	case EventValidate:
		return s.validate()
	case EventGrant:
		return s.grant()
	case EventRefuse:
		return s.refuse()
	case EventWithdraw:
		return s.withdraw()
	case EventMonitor:
		return s.monitor()
	case EventStartReassessment:
		return s.startReassessment()
	case EventConfirmReassessment:
		return s.confirmReassessment()
	case EventRequestCorrectiveAction:
		return s.requestCorrectiveAction()
	case EventExtendCorrectiveAction:
		return s.extendCorrectiveAction()
	case EventCompleteCorrectiveAction:
		return s.completeCorrectiveAction()
	case EventSuspend:
		return s.suspend()
	case EventLift:
		return s.lift()
	case EventProposeRevocation:
		return s.proposeRevocation()
	case EventObservations:
		if err := s.needReasons(); err != nil {
			return err
		}
		s.next.HeardAt = s.ev.At
		return nil
	case EventRevoke:
		return s.revoke()
	case EventAnnul:
		return s.annul()
	case EventAssignCoordinator:
		return s.assignCoordinator()
	case EventRotateCoordinator:
		return s.rotateCoordinator()
	case EventLodgeRenewal:
		return s.lodgeRenewal()
	case EventRenew:
		return s.renew()
	case EventRefuseRenewal:
		return s.refuseRenewal()
	case EventLapse:
		return s.lapse()
	case EventDenyBenefits:
		return s.denyBenefits()
	case EventRestoreBenefits:
		return s.restoreBenefits()
	case EventRequestHearing:
		return s.requestHearing()
	case EventScheduleHearing:
		return s.scheduleHearing()
	case EventHoldHearing:
		return s.holdHearing()
	case EventHearingSubmission:
		return s.hearingSubmission()
	case EventRaiseIssue:
		return s.raiseIssue()
	case EventAcknowledgeIssue:
		return s.acknowledgeIssue()
	case EventAnswerIssue:
		return s.answerIssue()
	case EventCloseIssue:
		return s.closeIssue()
	case EventControlStep:
		return s.controlStep()
	case EventRequestReasons:
		return s.requestReasons()
	case EventGiveReasons:
		return s.giveReasons()
	case EventLodgeAppeal:
		return s.lodgeAppeal()
	case EventAllowAppeal, EventDismissAppeal:
		return s.rule()
	case EventWithdrawAppeal:
		return s.withdrawAppeal()
	case EventGiveConsent:
		return s.giveConsent()
	case EventWithdrawConsent:
		return s.withdrawConsent()
	case EventExportRecords:
		return s.exportRecords()
	case EventNotifyChange:
		return s.notifyChange()
	case EventReviewChange:
		return s.reviewChange()
	}
	return s.fail("event.kind", ErrInvalidEvent, "unhandled event kind")
}

// stamp formats t for error messages.
func stamp(t time.Time) string { return t.Format(time.RFC3339) }

// day formats a deadline for error messages.
func day(t time.Time) string { return t.Format(time.DateOnly) }
