package lifecycle

import "github.com/safe-aeo/engine/internal/enum"

// The enumerations of the authorization lifecycle. Each is a small integer
// type with String, MarshalText and UnmarshalText, so that records and
// states carry stable lowercase tokens ("examination", "grant",
// "customs_review") rather than numbers. The tokens are part of the record
// format: renaming one changes the hash of every record that uses it.

func enumString(names []string, i uint8, typ string) string { return enum.Name(names, i, typ) }

func enumMarshal(names []string, i uint8, typ string) ([]byte, error) {
	return enum.Marshal("lifecycle", names, i, typ)
}

func enumParse(names []string, text []byte, typ string) (uint8, error) {
	return enum.Parse[uint8]("lifecycle", names, text, typ)
}

// Status is the status of an authorization: where an application or an
// authorization stands in its lifecycle. The zero value, [StatusNone], is
// the status of an operator that has lodged nothing yet.
//
// The statuses and the events that move between them are listed in
// [Transitions].
type Status uint8

// The statuses of an authorization.
const (
	// StatusNone: nothing lodged yet.
	StatusNone Status = iota
	// StatusLodged: an application has been lodged and awaits the check
	// that it is complete (acceptance).
	StatusLodged
	// StatusIncomplete: the application was returned as incomplete; the
	// applicant may complete and resubmit it.
	StatusIncomplete
	// StatusNotAccepted: the application was not accepted (left
	// incomplete, or inadmissible). An appealable decision.
	StatusNotAccepted
	// StatusExamination: the application was accepted; vetting and
	// validation are under way and the decision deadline runs.
	StatusExamination
	// StatusRefused: the application was refused. An appealable decision.
	StatusRefused
	// StatusAuthorized: every authorization type held is in force
	// (monitoring, reassessment and revalidation happen here).
	StatusAuthorized
	// StatusPartlySuspended: some types held are suspended, others are in
	// force (EU DA Art 30: failing competence suspends AEOC only).
	StatusPartlySuspended
	// StatusSuspended: every type held is suspended; no benefits apply.
	StatusSuspended
	// StatusRevocationProposed: Customs has notified its intention to
	// revoke and the holder may be heard (India: a suspension not
	// remedied in time turns into a proposed revocation).
	StatusRevocationProposed
	// StatusRevoked: the authorization was revoked. An appealable decision.
	StatusRevoked
	// StatusWithdrawn: the applicant withdrew the application, or the
	// holder surrendered the authorization.
	StatusWithdrawn
	// StatusAnnulled: the authorization was annulled because it was
	// granted on incorrect or incomplete information; annulment takes
	// effect from the original effective date. An appealable decision.
	StatusAnnulled
	// StatusLapsed: the authorization's term of validity ended with no
	// renewal lodged in time, and an officer recorded the lapse.
	StatusLapsed

	numStatuses = iota
)

var statusNames = [...]string{
	"none", "lodged", "incomplete", "not_accepted", "examination", "refused",
	"authorized", "partly_suspended", "suspended", "revocation_proposed",
	"revoked", "withdrawn", "annulled", "lapsed",
}

// String returns s as text.
func (s Status) String() string { return enumString(statusNames[:], uint8(s), "Status") }

// MarshalText encodes s as its token, e.g. "partly_suspended".
func (s Status) MarshalText() ([]byte, error) {
	return enumMarshal(statusNames[:], uint8(s), "status")
}

// UnmarshalText decodes a token written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := enumParse(statusNames[:], b, "status")
	*s = Status(v)
	return err
}

// held reports whether s is a status in which the operator holds at least
// one authorization type (in force or suspended).
func (s Status) held() bool {
	switch s {
	case StatusAuthorized, StatusPartlySuspended, StatusSuspended, StatusRevocationProposed:
		return true
	}
	return false
}

// pending reports whether s is a status of an application not yet decided.
func (s Status) pending() bool {
	switch s {
	case StatusLodged, StatusIncomplete, StatusExamination:
		return true
	}
	return false
}

// EventKind is what an [Event] does. The zero value, EventUnknown, is not
// a valid event.
type EventKind uint8

// The events of the lifecycle. The role that may apply each is given in
// brackets; see [ActorRole].
const (
	EventUnknown EventKind = iota

	// Application.

	// EventLodge lodges an application for Event.Types (operator).
	EventLodge
	// EventReturn returns a lodged application as incomplete (officer).
	EventReturn
	// EventResubmit resubmits a returned application (operator).
	EventResubmit
	// EventAccept accepts an application as complete; the decision
	// deadline starts (officer).
	EventAccept
	// EventReject does not accept an application (officer).
	EventReject
	// EventExtendDeadline extends the decision deadline, once (officer).
	EventExtendDeadline
	// EventRequestCustomsValidation is the applicant's request that
	// Customs, not a third-party validator, validate (operator).
	EventRequestCustomsValidation
	// EventValidate records a validation report: a document review, an
	// on-site visit or a third-party validator's report that Customs
	// accepts (officer).
	EventValidate
	// EventGrant grants Event.Types with Event.Grade (officer, with a
	// different approver).
	EventGrant
	// EventRefuse refuses the application (officer, with a different
	// approver).
	EventRefuse
	// EventWithdraw withdraws the application, or surrenders some or all
	// types held, at the operator's request (operator).
	EventWithdraw

	// Monitoring and reassessment.

	// EventMonitor records a monitoring activity (officer).
	EventMonitor
	// EventStartReassessment opens a reassessment or revalidation
	// (officer).
	EventStartReassessment
	// EventConfirmReassessment closes a reassessment with a current
	// assessment and a completed validation (officer).
	EventConfirmReassessment
	// EventRequestCorrectiveAction asks the operator to take corrective
	// action by a deadline (officer).
	EventRequestCorrectiveAction
	// EventExtendCorrectiveAction extends the corrective-action deadline,
	// once (officer).
	EventExtendCorrectiveAction
	// EventCompleteCorrectiveAction records that the corrective action
	// was taken and verified (officer).
	EventCompleteCorrectiveAction

	// Suspension, revocation, annulment.

	// EventSuspend suspends Event.Types, or the types that depend on
	// Event.Criterion, or every type in force (officer).
	EventSuspend
	// EventLift lifts the suspension of Event.Types or of every suspended
	// type, and withdraws a proposed revocation (officer).
	EventLift
	// EventProposeRevocation notifies the holder that Customs intends to
	// revoke (officer).
	EventProposeRevocation
	// EventObservations records the holder's observations on a proposed
	// revocation: the right to be heard (operator).
	EventObservations
	// EventRevoke revokes Event.Types or the whole authorization (officer,
	// with a different approver).
	EventRevoke
	// EventAnnul annuls the authorization (officer, with a different
	// approver).
	EventAnnul

	// Client coordinator.

	// EventAssignCoordinator assigns a Customs client coordinator
	// (officer).
	EventAssignCoordinator
	// EventRotateCoordinator replaces the client coordinator; the
	// outgoing one mentors the new one for the overlap the programme sets
	// (officer).
	EventRotateCoordinator

	// Validity and renewal.

	// EventLodgeRenewal lodges the renewal of an authorization granted
	// for a term, within the renewal window (operator).
	EventLodgeRenewal
	// EventRenew renews the authorization for a further term, on a
	// current assessment, four eyes (officer).
	EventRenew
	// EventRefuseRenewal refuses the renewal, four eyes, with reasons
	// (officer). An appealable decision; the authorization runs to the
	// end of its term.
	EventRefuseRenewal
	// EventLapse records that the term ended with no renewal lodged in
	// time (officer). The engine never lapses an authorization by itself.
	EventLapse

	// Benefits.

	// EventDenyBenefits denies the benefits of Event.Benefits to a holder
	// whose status stands, with reasons (officer). An appealable decision
	// with its own window (C-TPAT: 90 days).
	EventDenyBenefits
	// EventRestoreBenefits ends the denial of Event.Benefits, or of every
	// benefit denied (officer).
	EventRestoreBenefits

	// Hearings the operator requests.

	// EventRequestHearing asks for a hearing on a pending application,
	// an authorization held or a pending appeal (operator).
	EventRequestHearing
	// EventScheduleHearing schedules the hearing requested, on
	// Event.HearingOn (officer).
	EventScheduleHearing
	// EventHoldHearing records that the hearing was held, with its
	// minutes as evidence (officer).
	EventHoldHearing
	// EventHearingSubmission records the operator's further arguments
	// after the minutes (operator).
	EventHearingSubmission

	// Operators' issues (WCO note on AEO for e-commerce: "a formalized
	// method of communication, which ensures that issues are properly
	// received, addressed and resolved").

	// EventRaiseIssue records an issue the operator raises, named by
	// Event.Issue and stated in Event.Reasons (operator).
	EventRaiseIssue
	// EventAcknowledgeIssue acknowledges receipt of the issue (officer).
	EventAcknowledgeIssue
	// EventAnswerIssue answers the issue, in Event.Reasons (officer).
	EventAnswerIssue
	// EventCloseIssue closes an answered issue, saying in Event.Reasons
	// how it was resolved (officer).
	EventCloseIssue

	// The treatment cycle of trusted traders.

	// EventControlStep records a step of the ten-step treatment cycle,
	// Event.Step (officer).
	EventControlStep

	// Appeal (RKC General Annex Chapter 10).

	// EventRequestReasons asks for the reasons of a decision (operator).
	EventRequestReasons
	// EventGiveReasons gives the reasons asked for (officer).
	EventGiveReasons
	// EventLodgeAppeal lodges an appeal, in writing with grounds, at
	// Event.Stage (operator).
	EventLodgeAppeal
	// EventAllowAppeal allows the pending appeal (the reviewer of the
	// stage).
	EventAllowAppeal
	// EventDismissAppeal dismisses the pending appeal (the reviewer of the
	// stage).
	EventDismissAppeal
	// EventWithdrawAppeal withdraws the appeal (operator).
	EventWithdrawAppeal

	// Data exchange and electronic updates (consent.go, notify.go).

	// EventGiveConsent records the holder's consent to the exchange of
	// its AEO data with Event.Partners (operator).
	EventGiveConsent
	// EventWithdrawConsent withdraws that consent for Event.Partners, or
	// for every partner when none is named; the status is unchanged
	// (operator).
	EventWithdrawConsent
	// EventExportRecords records that the holder's exchange records
	// (Event.Records) were sent to Event.Partners (officer).
	EventExportRecords
	// EventNotifyChange records the holder's notification of changes
	// (Event.Changes) and puts a reassessment of what they affect on the
	// work queue (operator).
	EventNotifyChange
	// EventReviewChange closes the reassessment of the changes notified,
	// of the kinds in Event.Changes or all, on a current assessment
	// (officer).
	EventReviewChange

	numEvents = iota
)

var eventNames = [...]string{
	"unknown",
	"lodge", "return", "resubmit", "accept", "reject", "extend_deadline",
	"request_customs_validation", "validate", "grant", "refuse", "withdraw",
	"monitor", "start_reassessment", "confirm_reassessment",
	"request_corrective_action", "extend_corrective_action", "complete_corrective_action",
	"suspend", "lift", "propose_revocation", "observations", "revoke", "annul",
	"assign_coordinator", "rotate_coordinator",
	"lodge_renewal", "renew", "refuse_renewal", "lapse",
	"deny_benefits", "restore_benefits",
	"request_hearing", "schedule_hearing", "hold_hearing", "hearing_submission",
	"raise_issue", "acknowledge_issue", "answer_issue", "close_issue",
	"control_step",
	"request_reasons", "give_reasons", "lodge_appeal", "allow_appeal", "dismiss_appeal", "withdraw_appeal",
	"give_consent", "withdraw_consent", "export_records", "notify_change", "review_change",
}

// String returns k as text.
func (k EventKind) String() string { return enumString(eventNames[:], uint8(k), "EventKind") }

// MarshalText encodes k as its token, e.g. "lodge_appeal".
func (k EventKind) MarshalText() ([]byte, error) {
	return enumMarshal(eventNames[:], uint8(k), "event kind")
}

// UnmarshalText decodes a token written by MarshalText.
func (k *EventKind) UnmarshalText(b []byte) error {
	v, err := enumParse(eventNames[:], b, "event kind")
	*k = EventKind(v)
	return err
}

// appeal reports whether k belongs to the appeal track, which runs beside
// the status: an appeal does not suspend the decision appealed (UCC Art
// 45(1)).
func (k EventKind) appeal() bool { return k >= EventRequestReasons && k <= EventWithdrawAppeal }

// ActorRole is the capacity in which the actor of an [Event] acts. The zero
// value, ActorUnknown, is not valid.
type ActorRole uint8

// The roles of actors.
const (
	ActorUnknown ActorRole = iota
	// ActorOperator: the applicant or holder, or its representative.
	ActorOperator
	// ActorOfficer: a customs officer (including the client coordinator
	// and the customs reviewer of an appeal).
	ActorOfficer
	// ActorReviewBody: the authority independent of Customs that hears
	// the second appeal (RKC Standard 10.5).
	ActorReviewBody
	// ActorCourt: the judicial authority (RKC Standard 10.6).
	ActorCourt
)

var roleNames = [...]string{"unknown", "operator", "officer", "review_body", "court"}

// String returns r as text.
func (r ActorRole) String() string { return enumString(roleNames[:], uint8(r), "ActorRole") }

// MarshalText encodes r as its token, e.g. "officer".
func (r ActorRole) MarshalText() ([]byte, error) {
	return enumMarshal(roleNames[:], uint8(r), "role")
}

// UnmarshalText decodes a token written by MarshalText.
func (r *ActorRole) UnmarshalText(b []byte) error {
	v, err := enumParse(roleNames[:], b, "role")
	*r = ActorRole(v)
	return err
}

// ValidationMethod is how a validation report was obtained. The zero value
// is not valid.
type ValidationMethod uint8

// The validation methods.
const (
	ValidationUnknown ValidationMethod = iota
	// ValidationDocumentReview: a review of documents at Customs.
	ValidationDocumentReview
	// ValidationOnSite: a visit by Customs to the operator's premises.
	ValidationOnSite
	// ValidationThirdParty: the report of a designated third-party
	// validator, accepted by Customs (SAFE: Customs retains the final
	// authority). Counts as a visit.
	ValidationThirdParty
	// ValidationRemote: an online validation session with the operator
	// (WCO note on AEO for e-commerce: online authorization and
	// validation). It does not count as a visit.
	ValidationRemote
)

var methodNames = [...]string{"unknown", "document_review", "on_site", "third_party", "remote"}

// String returns m as text.
func (m ValidationMethod) String() string {
	return enumString(methodNames[:], uint8(m), "ValidationMethod")
}

// MarshalText encodes m as its token, e.g. "on_site".
func (m ValidationMethod) MarshalText() ([]byte, error) {
	return enumMarshal(methodNames[:], uint8(m), "validation method")
}

// UnmarshalText decodes a token written by MarshalText.
func (m *ValidationMethod) UnmarshalText(b []byte) error {
	v, err := enumParse(methodNames[:], b, "validation method")
	*m = ValidationMethod(v)
	return err
}

// visit reports whether m is a visit to premises.
func (m ValidationMethod) visit() bool {
	return m == ValidationOnSite || m == ValidationThirdParty
}

// AppealStage is a stage of the appeal procedure of RKC General Annex
// Chapter 10, in order. The zero value, StageNone, means no stage.
type AppealStage uint8

// The appeal stages.
const (
	StageNone AppealStage = iota
	// StageRequestReasons: the reasons for the decision are given on
	// request (Standard 10.3).
	StageRequestReasons
	// StageCustomsReview: the initial appeal to Customs (Standard 10.4).
	StageCustomsReview
	// StageIndependentReview: a further appeal to an authority
	// independent of Customs (Standard 10.5).
	StageIndependentReview
	// StageJudicial: the final appeal to a judicial authority (Standard
	// 10.6).
	StageJudicial
	// StageInformalReview: an informal review by Customs, the only route
	// for the decisions the programme lists under appeal.informal_review
	// (Canada PIP: a denied application). It is not one of the RKC
	// stages and leads to no further stage.
	StageInformalReview

	numStages = iota
)

var stageNames = [...]string{"none", "request_reasons", "customs_review", "independent_review", "judicial", "informal_review"}

// String returns s as text.
func (s AppealStage) String() string { return enumString(stageNames[:], uint8(s), "AppealStage") }

// MarshalText encodes s as its token, e.g. "customs_review".
func (s AppealStage) MarshalText() ([]byte, error) {
	return enumMarshal(stageNames[:], uint8(s), "appeal stage")
}

// UnmarshalText decodes a token written by MarshalText.
func (s *AppealStage) UnmarshalText(b []byte) error {
	v, err := enumParse(stageNames[:], b, "appeal stage")
	*s = AppealStage(v)
	return err
}

// Reviewer returns the role that rules on appeals at stage s: an officer
// at customs_review, the review body at independent_review, the court at
// judicial.
func (s AppealStage) Reviewer() ActorRole {
	switch s {
	case StageIndependentReview:
		return ActorReviewBody
	case StageJudicial:
		return ActorCourt
	}
	return ActorOfficer
}

// AppealPhase is where the appeal track of an authorization stands. The
// zero value, AppealNone, means no appeal has been made.
type AppealPhase uint8

// The appeal phases.
const (
	AppealNone AppealPhase = iota
	// AppealReasonsRequested: the reasons for a decision were requested.
	AppealReasonsRequested
	// AppealReasonsGiven: the reasons were given; the window to appeal
	// runs from that day.
	AppealReasonsGiven
	// AppealLodged: an appeal is pending at AppealState.Stage.
	AppealLodged
	// AppealDismissed: the appeal was dismissed at AppealState.Stage; it
	// may be taken to the next stage within that stage's window.
	AppealDismissed
	// AppealAllowed: the appeal was allowed and its effect given.
	AppealAllowed
	// AppealWithdrawn: the appellant withdrew the appeal.
	AppealWithdrawn

	numPhases = iota
)

var phaseNames = [...]string{"none", "reasons_requested", "reasons_given", "lodged", "dismissed", "allowed", "withdrawn"}

// String returns p as text.
func (p AppealPhase) String() string { return enumString(phaseNames[:], uint8(p), "AppealPhase") }

// MarshalText encodes p as its token, e.g. "dismissed".
func (p AppealPhase) MarshalText() ([]byte, error) {
	return enumMarshal(phaseNames[:], uint8(p), "appeal phase")
}

// UnmarshalText decodes a token written by MarshalText.
func (p *AppealPhase) UnmarshalText(b []byte) error {
	v, err := enumParse(phaseNames[:], b, "appeal phase")
	*p = AppealPhase(v)
	return err
}

// DecisionKind is the kind of an appealable decision. The zero value,
// DecisionNone, means no decision.
type DecisionKind uint8

// The appealable decisions. Their tokens are the keys of appeal.windows
// and appeal.excluded in the programme file.
const (
	DecisionNone DecisionKind = iota
	// DecisionNonAcceptance: an application was not accepted.
	DecisionNonAcceptance
	// DecisionRefusal: an application was refused (C-TPAT: a denial).
	DecisionRefusal
	// DecisionSuspension: types were suspended.
	DecisionSuspension
	// DecisionRevocation: types, or the whole authorization, were revoked
	// (Canada: a cancellation; C-TPAT: an expulsion).
	DecisionRevocation
	// DecisionAnnulment: the authorization was annulled.
	DecisionAnnulment
	// DecisionOmission: no decision was taken within the deadline (RKC
	// Standard 10.2; UCC Art 44(1)). Appealed with Event.Against set to
	// DecisionOmission once the acceptance or decision deadline has
	// passed.
	DecisionOmission
	// DecisionBenefitDenial: benefits were denied to a holder whose
	// status stands (C-TPAT, 6 USC 967: appealable within 90 days).
	DecisionBenefitDenial
	// DecisionRenewalRefusal: the renewal of an authorization granted for
	// a term was refused.
	DecisionRenewalRefusal
)

var decisionNames = [...]string{"none", "non_acceptance", "refusal", "suspension", "revocation", "annulment", "omission", "benefit_denial", "renewal_refusal"}

// String returns d as text.
func (d DecisionKind) String() string {
	return enumString(decisionNames[:], uint8(d), "DecisionKind")
}

// MarshalText encodes d as its token, e.g. "refusal".
func (d DecisionKind) MarshalText() ([]byte, error) {
	return enumMarshal(decisionNames[:], uint8(d), "decision kind")
}

// UnmarshalText decodes a token written by MarshalText.
func (d *DecisionKind) UnmarshalText(b []byte) error {
	v, err := enumParse(decisionNames[:], b, "decision kind")
	*d = DecisionKind(v)
	return err
}

// DueKind is the kind of a [DueItem] in an officer's work queue.
type DueKind uint8

// The kinds of due items, with the event that usually answers them.
const (
	DueNone DueKind = iota
	// DueAcceptance: check the lodged application (accept, return or
	// reject). Set by acceptance_deadline.
	DueAcceptance
	// DueCompletion: the applicant must complete the returned
	// application; afterwards it may be rejected. Set by
	// completion_window.
	DueCompletion
	// DueDecision: grant or refuse; after it the omission is appealable.
	// Set by decision_deadline and decision_extension.
	DueDecision
	// DueEffect: the authorization takes effect. Set by effect_after.
	DueEffect
	// DueSuspensionEnd: the suspension period of a type ends; lift or
	// decide. Set by suspension.period.
	DueSuspensionEnd
	// DueRemedy: the holder must remedy the suspended type. Set by
	// suspension.remedy_deadline.
	DueRemedy
	// DueProposeRevocation: a suspension not remedied turns into a
	// proposed revocation. Set by suspension.to_revocation.
	DueProposeRevocation
	// DueHearing: the hearing period of a proposed revocation ends; the
	// decision may then be taken. Set by hearing_period.
	DueHearing
	// DueCorrectiveAction: the corrective action must be completed. Set
	// by corrective_action.deadline and corrective_action.extension.
	DueCorrectiveAction
	// DueRevalidationNotice: notify the holder of the coming
	// revalidation. Set by revalidation.notice.
	DueRevalidationNotice
	// DueRevalidation: start the reassessment. Set by revalidation.cycle.
	DueRevalidation
	// DueCoordinatorRotation: rotate the client coordinator. Set by
	// coordinator.rotation.
	DueCoordinatorRotation
	// DueMentoringEnd: the outgoing coordinator's mentoring ends. Set by
	// coordinator.mentoring.
	DueMentoringEnd
	// DueReasons: give the reasons requested. Set by the
	// decision_deadline of the request_reasons appeal stage.
	DueReasons
	// DueAppealDecision: decide the pending appeal. Set by the
	// decision_deadline of its appeal stage.
	DueAppealDecision
	// DueSelfAssessment: the holder's periodic self-assessment is due.
	// Set by monitoring.self_assessment.
	DueSelfAssessment
	// DueSpotCheck: a spot check of the holder is due. Set by
	// monitoring.spot_check.
	DueSpotCheck
	// DueRenewal: the last day to lodge the renewal; DueItem.From is the
	// day the renewal window opens. Set by validity.renewal_window; with
	// no window, the expiry item says until when a renewal may be lodged.
	DueRenewal
	// DueExpiry: the last day of validity. Set by validity.term.
	DueExpiry
	// DueLapse: the term ended with no renewal lodged in time: the lapse
	// is owed, from the day after the last day of validity. Set by
	// validity.term.
	DueLapse
	// DueRenewalDecision: decide the renewal lodged. Set by
	// validity.renewal_decision.
	DueRenewalDecision
	// DueHearingSchedule: schedule the hearing the operator requested.
	// Set by hearings.schedule_within.
	DueHearingSchedule
	// DueHearingSubmissions: the operator's further arguments after the
	// hearing's minutes are due. Set by hearings.submissions_after.
	DueHearingSubmissions
	// DueReassessment: reassess what a change the holder notified
	// affects (DueItem.Change, .Requirements, .Criteria). Set by
	// changes.reassess_within or changes.kinds.K.reassess_within; without
	// one it is due from the notification and never overdue.
	DueReassessment
	// DueConsentNotice: tell a partner (DueItem.Partner) that the holder
	// withdrew its consent, so that it deletes the data it received and
	// stops recognising the status. Due from the withdrawal.
	DueConsentNotice
	// DueIssueAcknowledgement: acknowledge the issue the operator raised
	// (DueItem.Issue). Set by issues.acknowledge_within.
	DueIssueAcknowledgement
	// DueIssueAnswer: answer the issue the operator raised. Set by
	// issues.answer_within.
	DueIssueAnswer
	// DueControlStep: record the next step of the treatment cycle
	// (DueItem.Step). Set by control_cycle.within, control_cycle.repeat
	// and control_cycle.changed_control.
	DueControlStep
)

var dueNames = [...]string{
	"none", "acceptance", "completion", "decision", "effect", "suspension_end", "remedy",
	"propose_revocation", "hearing", "corrective_action", "revalidation_notice", "revalidation",
	"coordinator_rotation", "mentoring_end", "reasons", "appeal_decision",
	"self_assessment", "spot_check",
	"renewal", "expiry", "lapse", "renewal_decision", "hearing_schedule", "hearing_submissions",
	"reassessment", "consent_notice",
	"issue_acknowledgement", "issue_answer", "control_step",
}

// MonitoringKind says what a monitor event records.
type MonitoringKind uint8

// The kinds of monitoring. The zero value, MonitoringOther, is any other
// monitoring activity; it moves no monitoring deadline.
const (
	MonitoringOther MonitoringKind = iota
	// MonitoringSelfAssessment: the holder's periodic self-assessment was
	// received and reviewed.
	MonitoringSelfAssessment
	// MonitoringSpotCheck: Customs carried out a (random) spot check.
	MonitoringSpotCheck
)

var monitoringNames = [...]string{"other", "self_assessment", "spot_check"}

// String returns k as text.
func (k MonitoringKind) String() string {
	return enumString(monitoringNames[:], uint8(k), "MonitoringKind")
}

// MarshalText encodes k as other, self_assessment or spot_check.
func (k MonitoringKind) MarshalText() ([]byte, error) {
	return enumMarshal(monitoringNames[:], uint8(k), "monitoring kind")
}

// UnmarshalText decodes other, self_assessment or spot_check.
func (k *MonitoringKind) UnmarshalText(b []byte) error {
	v, err := enumParse(monitoringNames[:], b, "monitoring kind")
	if err == nil {
		*k = MonitoringKind(v)
	}
	return err
}

// String returns d as text.
func (d DueKind) String() string { return enumString(dueNames[:], uint8(d), "DueKind") }

// MarshalText encodes d as its token, e.g. "decision".
func (d DueKind) MarshalText() ([]byte, error) {
	return enumMarshal(dueNames[:], uint8(d), "due kind")
}

// UnmarshalText decodes a token written by MarshalText.
func (d *DueKind) UnmarshalText(b []byte) error {
	v, err := enumParse(dueNames[:], b, "due kind")
	*d = DueKind(v)
	return err
}
