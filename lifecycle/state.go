package lifecycle

import (
	"slices"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// An Authorization is the state of one operator's application and
// authorization: what [Machine.Apply] reads and returns. The caller
// stores it (it is plain JSON-tagged data), together with the [Record]s
// that produced it; the library keeps nothing.
//
// The zero value is the state of an operator that has lodged nothing. Keep
// one Authorization per operator across applications: the re-application
// bars are recorded in it. Deadlines are calendar dates (midnight UTC of
// the day); an act on the day of a deadline is in time. An Authorization is
// a value: Apply never modifies the one it is given, and its slices are
// not shared with the result.
type Authorization struct {
	Status Status `json:"status"`

	// Applied is the authorization types applied for, Grade the grade or
	// tier applied for, and Sites the premises declared, as lodged.
	Applied []string `json:"applied,omitempty"`
	Grade   string   `json:"grade,omitempty"`
	Sites   []string `json:"sites,omitempty"`
	// Classes are the classes of operator the host named when the
	// application was lodged (its roles, "sme", its business model); the
	// relaxations of on-site verification that name a class read them.
	Classes []string `json:"classes,omitempty"`

	LodgedAt      time.Time `json:"lodged_at,omitzero"`
	AcceptanceDue time.Time `json:"acceptance_due,omitzero"`
	CompletionDue time.Time `json:"completion_due,omitzero"`
	AcceptedAt    time.Time `json:"accepted_at,omitzero"`
	// DecisionDue is the decision deadline, extended when
	// DecisionExtended.
	DecisionDue      time.Time `json:"decision_due,omitzero"`
	DecisionExtended bool      `json:"decision_extended,omitempty"`

	Validation ValidationState `json:"validation,omitzero"`

	// Types is the authorization types held since the grant, sorted by
	// type; empty before a grant and after a whole revocation, withdrawal
	// or annulment.
	Types       []TypeState `json:"types,omitempty"`
	DecidedAt   time.Time   `json:"decided_at,omitzero"`   // the grant
	EffectiveAt time.Time   `json:"effective_at,omitzero"` // the grant takes effect

	// RevalidationDue is the next revalidation; ReassessmentOpen is when
	// the open reassessment started (zero when none is open).
	RevalidationDue  time.Time `json:"revalidation_due,omitzero"`
	ReassessmentOpen time.Time `json:"reassessment_open,omitzero"`

	// SelfAssessmentDue and SpotCheckDue are the next monitoring of each
	// kind (monitoring.self_assessment, monitoring.spot_check).
	SelfAssessmentDue time.Time `json:"self_assessment_due,omitzero"`
	SpotCheckDue      time.Time `json:"spot_check_due,omitzero"`

	CorrectiveAction *CorrectiveAction `json:"corrective_action,omitempty"`

	// RevocationProposedAt, HearingEnds and HeardAt follow a proposed
	// revocation: the holder may be heard until HearingEnds.
	RevocationProposedAt time.Time `json:"revocation_proposed_at,omitzero"`
	HearingEnds          time.Time `json:"hearing_ends,omitzero"`
	HeardAt              time.Time `json:"heard_at,omitzero"`

	Coordinator *ClientCoordinator `json:"coordinator,omitempty"`

	// ValidUntil is the last day of validity of an authorization granted
	// for a term (validity.term), moved by each renewal; zero when the
	// programme sets no term. Renewal is the renewal lodged and not yet
	// decided.
	ValidUntil time.Time `json:"valid_until,omitzero"`
	Renewal    *Renewal  `json:"renewal,omitempty"`

	// DeniedBenefits is the benefits denied to the holder, sorted by
	// benefit; the status stands.
	DeniedBenefits []BenefitDenial `json:"denied_benefits,omitempty"`

	// Hearing is the hearing the operator requested, until it ends.
	Hearing *HearingRequest `json:"hearing,omitempty"`

	// Issues is the issues the operator raised that are not yet closed,
	// sorted by ID.
	Issues []Issue `json:"issues,omitempty"`

	// Control is the ten-step treatment cycle of the operator as a trusted
	// trader, once started.
	Control *ControlCycle `json:"control,omitempty"`

	// Bars is the re-application bars in force or past, sorted by type.
	Bars []ReapplicationBar `json:"bars,omitempty"`

	// Decision is the latest appealable decision not yet appealed to the
	// end; Appeal is the appeal track.
	Decision *AppealableDecision `json:"decision,omitempty"`
	Appeal   *AppealState        `json:"appeal,omitempty"`

	// Consent is the holder's consent to the exchange of its data, per
	// partner, sorted by partner; Changes the changes it notified whose
	// reassessment is open, in the order notified (consent.go,
	// notify.go).
	Consent []ConsentState  `json:"consent,omitempty"`
	Changes []PendingChange `json:"changes,omitempty"`

	// Seq is the number of records so far, Head the hash of the last one
	// (the empty string before the first), LastAt the time of the last
	// event. Keep Head where the records cannot rewrite it: see
	// [Trail.VerifyHead].
	Seq    int       `json:"seq"`
	Head   string    `json:"head,omitempty"`
	LastAt time.Time `json:"last_at,omitzero"`
}

// TypeState is the state of one authorization type held (EU: AEOC, AEOS).
type TypeState struct {
	Type  string `json:"type"`
	Grade string `json:"grade,omitempty"`
	// Suspended types give no benefits. The other fields describe the
	// suspension and are zero when the type is not suspended.
	Suspended      bool      `json:"suspended,omitempty"`
	SuspendedAt    time.Time `json:"suspended_at,omitzero"`
	Criterion      string    `json:"criterion,omitempty"`
	SuspensionEnds time.Time `json:"suspension_ends,omitzero"`
	RemedyDue      time.Time `json:"remedy_due,omitzero"`
	RevocationDue  time.Time `json:"revocation_due,omitzero"`
}

// ValidationState is the progress of the validation of an application or
// of a reassessment.
type ValidationState struct {
	// CustomsRequested: the applicant asked Customs to validate rather
	// than a third-party validator.
	CustomsRequested bool `json:"customs_requested,omitempty"`
	// Required is the number of sites the sample must cover.
	Required int `json:"required,omitempty"`
	// Sites is the latest finding per site, sorted by site. A site named
	// "" stands for the operator's premises when it declared no sites.
	Sites       []SiteResult `json:"sites,omitempty"`
	Complete    bool         `json:"complete,omitempty"`
	CompletedAt time.Time    `json:"completed_at,omitzero"`
	// Checks are the requirements verified by satisfactory reports, and
	// how, sorted; see [RequirementCheck].
	Checks []RequirementCheck `json:"checks,omitempty"`
}

// SiteResult is the latest validation finding at one site. Satisfied is
// the finding that counts: for a joint validation, both sides'. Partner
// and PartnerSatisfied record the partner administration's side of a
// joint validation.
type SiteResult struct {
	Site             string           `json:"site,omitempty"`
	Method           ValidationMethod `json:"method"`
	Satisfied        bool             `json:"satisfied,omitempty"`
	At               time.Time        `json:"at"`
	Partner          string           `json:"partner,omitempty"`
	PartnerSatisfied bool             `json:"partner_satisfied,omitempty"`
}

// CorrectiveAction is a corrective action requested of the operator.
type CorrectiveAction struct {
	RequestedAt time.Time `json:"requested_at"`
	Due         time.Time `json:"due,omitzero"`
	Extended    bool      `json:"extended,omitempty"`
}

// ClientCoordinator is the operator's Customs client coordinator (WCO AEO
// Implementation Guidance, Annex 4) and, after a rotation, the outgoing
// coordinator who mentors the new one until MentorUntil.
type ClientCoordinator struct {
	Officer     string    `json:"officer"`
	Since       time.Time `json:"since"`
	RotationDue time.Time `json:"rotation_due,omitzero"`
	Mentor      string    `json:"mentor,omitempty"`
	MentorUntil time.Time `json:"mentor_until,omitzero"`
	// Weight is the operator's weight in the coordinator's portfolio
	// under coordinator.capacity, as computed at the assignment; zero
	// when the programme sets no capacity.
	Weight float64 `json:"weight,omitempty"`
}

// party reports whether officer is the coordinator, or the mentor during
// the overlap, at t.
func (c *ClientCoordinator) party(officer string, t time.Time) bool {
	if c == nil {
		return false
	}
	if c.Officer == officer {
		return true
	}
	return c.Mentor == officer && !calendar.Date(t).After(c.MentorUntil)
}

// A Renewal is a renewal lodged and not yet decided.
type Renewal struct {
	LodgedAt    time.Time `json:"lodged_at"`
	DecisionDue time.Time `json:"decision_due,omitzero"`
}

// A BenefitDenial is a benefit denied to a holder by the decision
// recorded at Seq.
type BenefitDenial struct {
	Benefit string    `json:"benefit"`
	At      time.Time `json:"at"`
	Seq     int       `json:"seq"`
}

// A HearingRequest is a hearing the operator asked for: Customs schedules
// it by ScheduleDue, holds it on the day scheduled (On), and the operator
// may submit further arguments until SubmissionsDue.
type HearingRequest struct {
	RequestedAt    time.Time `json:"requested_at"`
	ScheduleDue    time.Time `json:"schedule_due,omitzero"`
	ScheduledAt    time.Time `json:"scheduled_at,omitzero"`
	On             time.Time `json:"on,omitzero"`
	HeldAt         time.Time `json:"held_at,omitzero"`
	SubmissionsDue time.Time `json:"submissions_due,omitzero"`
}

// A ReapplicationBar bars new applications for Type until Until. Rule is
// the programme-file key that set it; Seq the record of the decision.
type ReapplicationBar struct {
	Type  string    `json:"type"`
	Until time.Time `json:"until"`
	Rule  string    `json:"rule"`
	Seq   int       `json:"seq"`
}

// An AppealableDecision is a decision the operator may appeal.
type AppealableDecision struct {
	Kind DecisionKind `json:"kind"`
	// At is the day the decision was taken, or for an omission the
	// deadline missed; appeal windows run from it.
	At time.Time `json:"at"`
	// Effective is the day the decision takes effect; an annulment takes
	// effect from the original effective date of the authorization.
	Effective time.Time `json:"effective,omitzero"`
	// Seq is the record of the decision.
	Seq int `json:"seq"`
	// DecidedBy and ApprovedBy are the officers who took it; neither may
	// review an appeal against it.
	DecidedBy  string `json:"decided_by,omitempty"`
	ApprovedBy string `json:"approved_by,omitempty"`
	// Types is the types the decision concerned, as they stood before it,
	// so that an allowed appeal can restore them.
	Types []TypeState `json:"types,omitempty"`
	// Benefits is the benefits a benefit denial denied.
	Benefits []string `json:"benefits,omitempty"`
}

func (d AppealableDecision) clone() AppealableDecision {
	d.Types = slices.Clone(d.Types)
	d.Benefits = slices.Clone(d.Benefits)
	return d
}

func (d AppealableDecision) same(o AppealableDecision) bool {
	return d.Kind == o.Kind && d.Seq == o.Seq && d.At.Equal(o.At)
}

// AppealState is the appeal track of an authorization: one appeal, from
// the request for reasons to the last stage. It runs beside the status; an
// appeal does not suspend the decision appealed (UCC Art 45(1)).
type AppealState struct {
	Decision AppealableDecision `json:"decision"`
	Phase    AppealPhase        `json:"phase"`
	// Stage is the current stage, or the last one reached.
	Stage AppealStage `json:"stage"`

	ReasonsRequestedAt time.Time `json:"reasons_requested_at,omitzero"`
	ReasonsDue         time.Time `json:"reasons_due,omitzero"`
	ReasonsGivenAt     time.Time `json:"reasons_given_at,omitzero"`

	LodgedAt time.Time `json:"lodged_at,omitzero"`
	// DecisionDue is the deadline for ruling at Stage.
	DecisionDue time.Time `json:"decision_due,omitzero"`
	DecidedAt   time.Time `json:"decided_at,omitzero"`
	Reviewer    string    `json:"reviewer,omitempty"`
	// NextWindowEnds is the last day to lodge at the next stage after a
	// dismissal (zero: no limit, or no next stage).
	NextWindowEnds time.Time `json:"next_window_ends,omitzero"`
}

// Active reports whether the operator holds type typ in force on the day
// of asOf: granted, taken effect, not suspended, not revoked, and within
// its term of validity or with a renewal lodged in time and not yet
// decided. Benefits tied to a type apply only while it is active. An
// authorization past its term is not active even before its lapse is
// recorded: the status is the officer's to change, but nothing is in
// force beyond the term.
func (a Authorization) Active(typ string, asOf time.Time) bool {
	if !a.Status.held() || calendar.Date(asOf).Before(a.EffectiveAt) || a.Expired(asOf) {
		return false
	}
	i := a.typeIndex(typ)
	return i >= 0 && !a.Types[i].Suspended
}

// ActiveTypes returns the types active on the day of asOf (see Active), in
// order.
func (a Authorization) ActiveTypes(asOf time.Time) []string {
	var out []string
	for _, t := range a.Types {
		if a.Active(t.Type, asOf) {
			out = append(out, t.Type)
		}
	}
	return out
}

// Expired reports whether the term of validity ended before the day of
// asOf with no renewal pending.
func (a Authorization) Expired(asOf time.Time) bool {
	return a.Renewal == nil && after(asOf, a.ValidUntil)
}

// Denied reports whether benefit is denied to the holder.
func (a Authorization) Denied(benefit string) bool {
	return slices.ContainsFunc(a.DeniedBenefits, func(d BenefitDenial) bool { return d.Benefit == benefit })
}

func (a Authorization) typeIndex(typ string) int {
	for i := range a.Types {
		if a.Types[i].Type == typ {
			return i
		}
	}
	return -1
}

// clone returns a deep copy of a.
func (a Authorization) clone() Authorization {
	c := a
	c.Applied = slices.Clone(a.Applied)
	c.Sites = slices.Clone(a.Sites)
	c.Classes = slices.Clone(a.Classes)
	c.Validation.Sites = slices.Clone(a.Validation.Sites)
	c.Validation.Checks = slices.Clone(a.Validation.Checks)
	c.Issues = slices.Clone(a.Issues)
	if a.Control != nil {
		v := a.Control.clone()
		c.Control = &v
	}
	c.Types = slices.Clone(a.Types)
	c.Bars = slices.Clone(a.Bars)
	c.DeniedBenefits = slices.Clone(a.DeniedBenefits)
	c.Consent = slices.Clone(a.Consent)
	c.Changes = clonePending(a.Changes)
	if a.Renewal != nil {
		v := *a.Renewal
		c.Renewal = &v
	}
	if a.Hearing != nil {
		v := *a.Hearing
		c.Hearing = &v
	}
	if a.CorrectiveAction != nil {
		v := *a.CorrectiveAction
		c.CorrectiveAction = &v
	}
	if a.Coordinator != nil {
		v := *a.Coordinator
		c.Coordinator = &v
	}
	if a.Decision != nil {
		v := a.Decision.clone()
		c.Decision = &v
	}
	if a.Appeal != nil {
		v := *a.Appeal
		v.Decision = v.Decision.clone()
		c.Appeal = &v
	}
	return c
}

// normalize turns empty slices into nil, so that a state compares equal to
// its JSON round trip.
func (a *Authorization) normalize() {
	a.Applied = nilIfEmpty(a.Applied)
	a.Sites = nilIfEmpty(a.Sites)
	a.Classes = nilIfEmpty(a.Classes)
	a.Validation.Sites = nilIfEmpty(a.Validation.Sites)
	a.Validation.Checks = nilIfEmpty(a.Validation.Checks)
	a.Issues = nilIfEmpty(a.Issues)
	if a.Control != nil {
		a.Control.normalize()
	}
	a.Types = nilIfEmpty(a.Types)
	a.Bars = nilIfEmpty(a.Bars)
	a.DeniedBenefits = nilIfEmpty(a.DeniedBenefits)
	a.Consent = nilIfEmpty(a.Consent)
	a.Changes = nilIfEmpty(a.Changes)
	if a.Decision != nil {
		a.Decision.Types = nilIfEmpty(a.Decision.Types)
		a.Decision.Benefits = nilIfEmpty(a.Decision.Benefits)
	}
	if a.Appeal != nil {
		a.Appeal.Decision.Types = nilIfEmpty(a.Appeal.Decision.Types)
		a.Appeal.Decision.Benefits = nilIfEmpty(a.Appeal.Decision.Benefits)
	}
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// derive returns the status that the types held give: authorized when all
// are in force, suspended when none is, partly suspended otherwise; none
// when no type is held.
func derive(types []TypeState) Status {
	var active, suspended int
	for _, t := range types {
		if t.Suspended {
			suspended++
		} else {
			active++
		}
	}
	switch {
	case active > 0 && suspended == 0:
		return StatusAuthorized
	case active > 0:
		return StatusPartlySuspended
	case suspended > 0:
		return StatusSuspended
	}
	return StatusNone
}

// An Event is something that happens to an authorization: an act of the
// operator, an officer, a review body or a court. Kind says what; the
// other fields say who, when, why and with what. Fields that do not apply
// to Kind must be left zero: they are recorded and hashed as given.
type Event struct {
	Kind EventKind `json:"kind"`
	// At is when the event happened, as the host knows it. Events must be
	// applied in order of At. Deadlines count calendar days of At in its
	// own location.
	At    time.Time `json:"at"`
	Actor string    `json:"actor"`
	Role  ActorRole `json:"role"`
	// Approver is the second officer of a grant, refusal, revocation or
	// annulment (four eyes).
	Approver string `json:"approver,omitempty"`
	// Reasons are the reasons for a decision, the grounds of an appeal or
	// the holder's observations, in writing.
	Reasons []string `json:"reasons,omitempty"`
	// Evidence references documents kept by the host (reports, visit
	// minutes, letters).
	Evidence []string `json:"evidence,omitempty"`

	// Types: types applied for (lodge, resubmit), granted (grant), or
	// acted on (suspend, lift, revoke, withdraw); empty means all where
	// that makes sense.
	Types []string `json:"types,omitempty"`
	// Grade: the grade or tier applied for (lodge), granted (grant), or
	// confirmed (confirm_reassessment).
	Grade string `json:"grade,omitempty"`
	// Sites: the premises declared (lodge, resubmit) or validated
	// (validate).
	Sites []string `json:"sites,omitempty"`
	// Classes: the classes of operator the applicant belongs to (lodge,
	// resubmit): its roles, "sme", its business model, as the host names
	// them; the relaxations of on-site verification read them.
	Classes []string `json:"classes,omitempty"`
	// Criterion: the criterion whose failure causes a suspension; the
	// types that depend on it are suspended.
	Criterion string `json:"criterion,omitempty"`
	// Period: the period the holder notified for a suspension (EU DA Art
	// 16(2)) or Customs set for a corrective action, overriding the
	// programme's.
	Period calendar.Period `json:"period,omitzero"`
	// Assessment: the assessment a grant or confirmation rests on.
	Assessment *AssessmentRef `json:"assessment,omitempty"`
	// Validation: the validation report of a validate event.
	Validation *ValidationReport `json:"validation,omitempty"`
	// Stage: the appeal stage lodged at (lodge_appeal).
	Stage AppealStage `json:"stage,omitempty"`
	// Against: the decision appealed (request_reasons, lodge_appeal);
	// zero means the latest appealable decision. Set DecisionOmission to
	// appeal a missed deadline.
	Against DecisionKind `json:"against,omitempty"`
	// Coordinator: the officer assigned as client coordinator, and
	// Interest whether that officer declared a financial or personal
	// interest in the operator (Annex 4: no shares), which bars the
	// assignment.
	Coordinator string `json:"coordinator,omitempty"`
	Interest    bool   `json:"interest,omitempty"`
	// Monitoring: what a monitor event records (a self-assessment
	// reviewed, a spot check); zero for any other monitoring.
	Monitoring MonitoringKind `json:"monitoring,omitempty"`
	// Benefits: the benefits denied (deny_benefits) or restored
	// (restore_benefits).
	Benefits []string `json:"benefits,omitempty"`
	// HearingOn: the day a hearing is scheduled for (schedule_hearing).
	HearingOn time.Time `json:"hearing_on,omitzero"`
	// Partners: the partners a consent concerns (give_consent,
	// withdraw_consent) or data was sent to (export_records).
	Partners []string `json:"partners,omitempty"`
	// Records: the exchange records an export sent, each by its key and
	// digest, so that the trail says which records went where.
	Records []string `json:"records,omitempty"`
	// Changes: what a notification reports (notify_change), or the kinds
	// of change a review closes (review_change; empty: all).
	Changes []Change `json:"changes,omitempty"`
	// Workload: the operator's size, volume and complexity, which weigh
	// it in the coordinator's portfolio (assign_coordinator,
	// rotate_coordinator, under coordinator.capacity).
	Workload *Workload `json:"workload,omitempty"`
	// Portfolio: the coordinator's portfolio as the host knows it when
	// the event is applied (assign_coordinator, rotate_coordinator); see
	// [Machine.Portfolio].
	Portfolio *Portfolio `json:"portfolio,omitempty"`
	// Issue: the host's reference of an issue the operator raised
	// (raise_issue and the events that answer it).
	Issue string `json:"issue,omitempty"`
	// Step: the step of the treatment cycle recorded (control_step).
	Step ControlStep `json:"step,omitempty"`
}

func (e Event) clone() Event {
	e.Reasons = slices.Clone(e.Reasons)
	e.Benefits = slices.Clone(e.Benefits)
	e.Evidence = slices.Clone(e.Evidence)
	e.Types = slices.Clone(e.Types)
	e.Sites = slices.Clone(e.Sites)
	e.Partners = slices.Clone(e.Partners)
	e.Records = slices.Clone(e.Records)
	e.Changes = cloneChanges(e.Changes)
	e.Classes = slices.Clone(e.Classes)
	if e.Assessment != nil {
		v := *e.Assessment
		v.Recommended = slices.Clone(v.Recommended)
		v.VerifyOnSite = slices.Clone(v.VerifyOnSite)
		e.Assessment = &v
	}
	if e.Validation != nil {
		v := *e.Validation
		v.Requirements = slices.Clone(v.Requirements)
		if v.Joint != nil {
			j := *v.Joint
			j.Team = slices.Clone(j.Team)
			j.Findings = slices.Clone(j.Findings)
			v.Joint = &j
		}
		e.Validation = &v
	}
	if e.Workload != nil {
		v := *e.Workload
		if v.Employees != nil {
			n := *v.Employees
			v.Employees = &n
		}
		if v.Declarations != nil {
			n := *v.Declarations
			v.Declarations = &n
		}
		e.Workload = &v
	}
	if e.Portfolio != nil {
		v := *e.Portfolio
		e.Portfolio = &v
	}
	return e
}

// ValidationReport is the finding of a validation at the sites of
// Event.Sites (or at the operator's premises when it declared none).
type ValidationReport struct {
	Method ValidationMethod `json:"method"`
	// Validator names the third-party validator whose report Customs
	// accepts; empty for Customs' own validation.
	Validator string `json:"validator,omitempty"`
	// Satisfied: every condition examined is met at these sites.
	Satisfied bool `json:"satisfied,omitempty"`
	// Requirements are the IDs of the requirements the report verified;
	// empty means every requirement examined at these sites.
	Requirements []string `json:"requirements,omitempty"`
	// Joint is the partner administration's side of a validation by a
	// joint team, accepted where validation.joint names the partner.
	Joint *JointValidation `json:"joint,omitempty"`
}

// AssessmentRef identifies the assessment a decision rests on: the
// fingerprint of the programme version that produced it, its date, and
// what it recommends.
type AssessmentRef struct {
	Fingerprint string      `json:"fingerprint"`
	AsOf        time.Time   `json:"as_of"`
	Recommended []TypeGrade `json:"recommended,omitempty"`
	// VerifyOnSite is the requirements the assessment found met on paper
	// that must be verified on site: a grant or confirmation waits until
	// validation reports have verified each (see [ValidationRules]).
	VerifyOnSite []string `json:"verify_on_site,omitempty"`
}

// A TypeGrade is an authorization type an assessment recommends, with
// its grade or tier if the programme grades it.
type TypeGrade struct {
	Type  string `json:"type"`
	Grade string `json:"grade,omitempty"`
}
