package lifecycle

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
)

// Config holds the time rules of an authorization's lifecycle:
// the lifecycle section of a programme file. It is plain data; the JSON
// names of its fields are the keys of the programme file.
//
// The zero value is a valid configuration that sets no time rule: no
// deadline, no bar, no window (appeals may be lodged at any time), no
// cycle. Every rule is set by the programme, and every [calendar.Period] left zero
// means "not set": there is no default taken from any one country.
// Sources records, per rule, the legal reference a lawyer can check.
type Config struct {
	// AcceptanceDeadline: time for Customs to check that a lodged
	// application is complete, from lodgement (GCC: 30 days).
	AcceptanceDeadline calendar.Period `json:"acceptance_deadline,omitzero"`
	// CompletionWindow: time for the applicant to complete a returned
	// application, from its return (GCC: 30 days).
	CompletionWindow calendar.Period `json:"completion_window,omitzero"`
	// DecisionDeadline: time to decide, from acceptance (EU: 120 days,
	// UCC Art 22(3)).
	DecisionDeadline calendar.Period `json:"decision_deadline,omitzero"`
	// DecisionExtension: the one extension of the decision deadline,
	// added to it (EU: 60 days, DA Art 28).
	DecisionExtension calendar.Period `json:"decision_extension,omitzero"`
	// EffectAfter: a grant takes effect this long after the decision (EU:
	// 5 days, DA Art 29). Zero: on the day of the decision.
	EffectAfter calendar.Period `json:"effect_after,omitzero"`
	// HearingPeriod: time the holder has to state its views on a proposed
	// revocation (EU: 30 days, DA Art 8(1)). When set, a revocation must
	// be proposed first and is refused until the holder has been heard
	// or the period has ended.
	HearingPeriod calendar.Period `json:"hearing_period,omitzero"`

	Validation       ValidationRules       `json:"validation,omitzero"`
	Suspension       SuspensionRules       `json:"suspension,omitzero"`
	CorrectiveAction CorrectiveActionRules `json:"corrective_action,omitzero"`
	ReapplyBar       ReapplyBar            `json:"reapply_bar,omitzero"`
	Appeal           AppealRules           `json:"appeal,omitzero"`
	Revalidation     RevalidationRules     `json:"revalidation,omitzero"`
	Monitoring       MonitoringRules       `json:"monitoring,omitzero"`
	Coordinator      CoordinatorRules      `json:"coordinator,omitzero"`
	Validity         ValidityRules         `json:"validity,omitzero"`
	Hearings         HearingRules          `json:"hearings,omitzero"`
	// Changes lists the changes a holder notifies electronically and
	// what each puts up for reassessment (notify.go).
	Changes ChangeRules `json:"changes,omitzero"`
	// Issues sets the time Customs has to acknowledge and to answer an
	// issue an operator raises (see [IssueRules]).
	Issues IssueRules `json:"issues,omitzero"`
	// ControlCycle sets the time rules of the ten-step treatment cycle of
	// trusted traders (see [ControlCycleRules]).
	ControlCycle ControlCycleRules `json:"control_cycle,omitzero"`
	// Grounds states the grounds for suspension and revocation, for the
	// programme's public document (see [GroundRules]).
	Grounds GroundRules `json:"grounds,omitzero"`
	// Certificates sets the time rules of authorization types that are
	// separate certificates (India: the AEO-LO logistics-operator
	// certificate beside the AEO-T1/T2/T3 tiers of traders), keyed by
	// type. A separate certificate is applied for on its own, and its
	// rules replace the general ones where they are set.
	Certificates map[string]CertificateRules `json:"certificates,omitempty"`

	// Sources maps a rule's key ("decision_deadline",
	// "appeal.stages[0].window", or a section such as "reapply_bar") to
	// the legal source of its value.
	Sources map[string]RuleSource `json:"sources,omitempty"`
}

// ValidationRules say when the validation of an application, or of a
// reassessment, is complete. The zero value requires every declared site
// to be validated satisfactorily by a visit (an on-site visit, or a
// third-party report Customs accepts), and every requirement the
// assessment marks for verification on site to be verified by one; it
// accepts no third-party report and no joint validation.
//
// "Customs should always verify physically (this means at company
// premises, not only paper-based evaluation) whether the self assessment
// the trader provided is accurate" (WCO AEO Implementation Guidance,
// lessons learned): a document review or a remote session counts only
// where a relaxation in Relax, with its source, allows it.
type ValidationRules struct {
	// SampleMinimum and SamplePercent choose the sample of an operator's
	// sites that must be validated: at least SampleMinimum sites and at
	// least SamplePercent per cent of them (rounded up), never more than
	// there are. When both are zero every site is validated. When the
	// sample satisfies every condition, the other sites are covered (the
	// guidance: "3 of 25 premises").
	SampleMinimum int `json:"sample_minimum,omitempty"`
	SamplePercent int `json:"sample_percent,omitempty"`
	// RequireOnSite is true by default: only on-site visits and
	// third-party reports count towards the sample. Writing it true
	// changes nothing; writing it false is refused: say which operators or
	// requirements another method may serve under Relax, with the source.
	RequireOnSite *bool `json:"require_on_site,omitempty"`
	// Relax lists where a method other than a visit counts: for some
	// classes of operator (a role, "sme", a business model) and for some
	// requirements, each with its legal source.
	Relax []OnSiteRelaxation `json:"relax,omitempty"`
	// Joint accepts validations by a joint team with a partner
	// administration (see [JointRules]).
	Joint JointRules `json:"joint,omitzero"`
	// ThirdParty: Customs accepts reports of designated third-party
	// validators, unless the applicant asked Customs to validate.
	ThirdParty bool `json:"third_party,omitempty"`
	// Validators, when given, are the third-party validators Customs has
	// designated: a report by any other is refused. Empty accepts any
	// validator the officer records (the designation is then the host's
	// to check).
	Validators []string `json:"validators,omitempty"`
}

// SuspensionRules are the periods that run from a suspension.
type SuspensionRules struct {
	// Period: how long a suspension lasts unless the event states the
	// period the holder notified (EU DA Art 17: at most 30 days while
	// Customs establishes the facts).
	Period calendar.Period `json:"period,omitzero"`
	// RemedyDeadline: time for the holder to remedy.
	RemedyDeadline calendar.Period `json:"remedy_deadline,omitzero"`
	// ToRevocation: a suspension not remedied within this time turns into
	// a proposed revocation (India: 60 days).
	ToRevocation calendar.Period `json:"to_revocation,omitzero"`
}

// CorrectiveActionRules are the corrective-action deadline and its one
// extension (GCC: 90 days, extendable by 90).
type CorrectiveActionRules struct {
	Deadline  calendar.Period `json:"deadline,omitzero"`
	Extension calendar.Period `json:"extension,omitzero"`
}

// ReapplyBar holds the periods after which a new application is accepted
// for an authorization type, counted from the decision. ByGrade overrides
// the periods for a grade or tier held or applied for (India: T1/T2 one
// year after revocation, T3/LO three years); a zero period in an override
// keeps the general one, and an override may not have its own ByGrade.
type ReapplyBar struct {
	AfterRefusal    calendar.Period       `json:"after_refusal,omitzero"`
	AfterRevocation calendar.Period       `json:"after_revocation,omitzero"`
	AfterWithdrawal calendar.Period       `json:"after_withdrawal,omitzero"`
	AfterAnnulment  calendar.Period       `json:"after_annulment,omitzero"`
	ByGrade         map[string]ReapplyBar `json:"by_grade,omitempty"`
}

// AppealRules set the appeal procedure (RKC General Annex Chapter 10).
type AppealRules struct {
	// Stages are the stages of the procedure, in the order of
	// [AppealStage]. Each but the first review stage is reached only by
	// the dismissal of the one before. When no review stage is listed,
	// the RKC chain customs_review, independent_review, judicial applies
	// without time limits.
	Stages []AppealStageRule `json:"stages,omitempty"`
	// Windows overrides the window of the first review stage per kind of
	// decision appealed, keyed by the [DecisionKind] token (C-TPAT:
	// refusal 90d, suspension 30d).
	Windows map[string]calendar.Period `json:"windows,omitempty"`
	// Excluded lists decision kinds that cannot be appealed under the
	// programme at all.
	Excluded []string `json:"excluded,omitempty"`
	// InformalReview lists decision kinds open only to an informal
	// review by Customs, not to the formal stages (Canada PIP: a denied
	// application is reviewed informally; a cancellation is appealed).
	InformalReview InformalReviewRules `json:"informal_review,omitzero"`
}

// InformalReviewRules set the informal review: which decisions are open
// only to it, and its time limits. It is lodged as an appeal at stage
// informal_review, ruled on by an officer, and ends there.
type InformalReviewRules struct {
	Decisions []string `json:"decisions,omitempty"`
	// Window: time to ask for the review, from the decision. Zero: no
	// limit.
	Window calendar.Period `json:"window,omitzero"`
	// DecisionDeadline: time for Customs to conclude it, from the
	// request.
	DecisionDeadline calendar.Period `json:"decision_deadline,omitzero"`
}

// ValidityRules set a fixed term of validity (Korea: 5 years, renewed on
// a renewal review). An authorization granted for a term is valid until
// the term, counted from the day the grant takes effect, ends; it lapses
// then unless a renewal was lodged in time. The engine never lapses it by
// itself: [Machine.Due] says a lapse is owed and an officer records it.
// The zero value sets no term: the authorization is valid until it is
// revoked (EU).
type ValidityRules struct {
	// Term: how long a grant, or a renewal, is valid.
	Term calendar.Period `json:"term,omitzero"`
	// RenewalWindow: a renewal may be lodged from this long before the
	// end of validity up to its last day. Zero: at any time before it.
	// Counted back in calendar years, months and days.
	RenewalWindow calendar.Period `json:"renewal_window,omitzero"`
	// RenewalDecision: time for Customs to decide a renewal, from its
	// lodgement (Korea: 30 days of document review).
	RenewalDecision calendar.Period `json:"renewal_decision,omitzero"`
}

// HearingRules set the time limits of a hearing the operator requests
// (GCC AEO appeal rules: scheduled within 15 days of the request; 7 days
// after the minutes for further arguments). This is not the hearing
// period of a proposed revocation (hearing_period), which Customs opens.
type HearingRules struct {
	// ScheduleWithin: Customs schedules the hearing within this time of
	// the request.
	ScheduleWithin calendar.Period `json:"schedule_within,omitzero"`
	// SubmissionsAfter: after the minutes of the hearing, the operator
	// may submit further arguments within this time.
	SubmissionsAfter calendar.Period `json:"submissions_after,omitzero"`
}

// CertificateRules are the time rules of a separate certificate; each
// that is set replaces the general rule for authorizations of that
// certificate.
type CertificateRules struct {
	ReapplyBar ReapplyBar    `json:"reapply_bar,omitzero"`
	Validity   ValidityRules `json:"validity,omitzero"`
	// AppealWindows overrides the window of the first review stage per
	// kind of decision, as appeal.windows does.
	AppealWindows map[string]calendar.Period `json:"appeal_windows,omitempty"`
}

// An AppealStageRule sets the time limits of one appeal stage.
type AppealStageRule struct {
	Stage AppealStage `json:"stage"`
	// Window: time to lodge at this stage, from the decision (or the day
	// its reasons were given) for the first review stage, from the
	// dismissal at the previous stage otherwise. Zero: no limit.
	Window calendar.Period `json:"window,omitzero"`
	// DecisionDeadline: time to decide, from the lodgement.
	DecisionDeadline calendar.Period `json:"decision_deadline,omitzero"`
}

// RevalidationRules set the revalidation cycle.
type RevalidationRules struct {
	// Cycle: time from the grant, and from each confirmed reassessment,
	// to the next revalidation (C-TPAT: 4 years; China: 5).
	Cycle calendar.Period `json:"cycle,omitzero"`
	// Notice: how long before the revalidation the holder is notified
	// (GCC: 6 months).
	Notice calendar.Period `json:"notice,omitzero"`
}

// MonitoringRules set how often an authorized operator is monitored
// between revalidations (WCO note on AEO for e-commerce: monitoring by
// periodic self-assessment and random spot checks). Each period runs from
// the grant and from the last monitor event of its kind.
type MonitoringRules struct {
	// SelfAssessment: the holder sends a self-assessment at least this
	// often.
	SelfAssessment calendar.Period `json:"self_assessment,omitzero"`
	// SpotCheck: Customs spot-checks the holder at least this often.
	SpotCheck calendar.Period `json:"spot_check,omitzero"`
}

// CoordinatorRules set the rotation of the Customs client coordinator
// (WCO AEO Implementation Guidance, Annex 4). The guidance recommends
// rotation and a mentoring period but sets no numbers.
type CoordinatorRules struct {
	// Rotation: time after an assignment at which the coordinator should
	// rotate.
	Rotation calendar.Period `json:"rotation,omitzero"`
	// Mentoring: the overlap during which the outgoing coordinator
	// mentors the new one.
	Mentoring calendar.Period `json:"mentoring,omitzero"`
	// Capacity is the portfolio one coordinator may carry, in the units
	// of the weights below (say 100 for an officer's full time); zero sets
	// no limit. When set, assigning a coordinator, or rotating to one,
	// needs the operator's workload and the coordinator's portfolio, and
	// is refused when the portfolio would exceed the capacity (Annex 4: a
	// coordinator serves several operators "depending on the size,
	// volumes and complexity of the companies involved").
	Capacity float64 `json:"capacity,omitempty"`
	// Size, Volume and Complexity weigh an operator in a portfolio; its
	// weight is the sum of the three. Size and Volume are bands over the
	// operator's employees and its declarations a year; Complexity maps
	// the class an officer names at the assignment (say simple, complex)
	// to its weight.
	Size       []WeightBand       `json:"size,omitempty"`
	Volume     []WeightBand       `json:"volume,omitempty"`
	Complexity map[string]float64 `json:"complexity,omitempty"`
}

// A RuleSource is the legal source of a rule's value.
type RuleSource struct {
	Ref string `json:"ref"`           // e.g. "UCC Art 22(3); DA Art 28"
	URL string `json:"url,omitempty"` // where the text can be read
	// Unverified marks a value recalled from the instrument but not
	// checked against its text ([R] in the project's reference notes).
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// A Rule is one time rule a [Config] sets.
type Rule struct {
	Key    string     // the programme-file key, relative to the lifecycle section
	Value  string     // the value as written, e.g. "120d" or "true"
	Source RuleSource // from Sources: the key's own entry, else its nearest section's
}

// Rules lists every rule c sets, in programme-file order, with its
// source. It is meant for people who audit a programme.
func (c Config) Rules() []Rule {
	var out []Rule
	c.walk(func(key, value string) {
		out = append(out, Rule{Key: key, Value: value, Source: c.sourceOf(key)})
	})
	return out
}

func (c Config) sourceOf(key string) RuleSource {
	for k := key; k != ""; k = parentKey(k) {
		if s, ok := c.Sources[k]; ok {
			return s
		}
	}
	return RuleSource{}
}

// TimeRule reports whether key names a time rule the programme sets, as
// [Config.Rules] lists them (decision_deadline, appeal.stages[0].window).
func (l *Machine) TimeRule(key string) bool {
	found := false
	l.cfg.walk(func(k, _ string) {
		if k == key {
			found = true
		}
	})
	return found
}

// parentKey returns the key of the section holding key: "appeal.stages"
// for "appeal.stages[0]", "appeal" for "appeal.stages".
func parentKey(key string) string {
	i := strings.LastIndexAny(key, ".[")
	if i < 0 {
		return ""
	}
	return key[:i]
}

// walk calls f for every rule c sets, in programme-file order.
func (c Config) walk(f func(key, value string)) {
	c.fields(func(key string, p calendar.Period) {
		if !p.IsZero() {
			f(key, p.String())
		}
	}, f)
}

// fields calls period for every period field of c, set or not, and value
// for every other rule c sets, in programme-file order: the one list of
// the lifecycle's keys, which Validate and Rules both read.
func (c Config) fields(period func(key string, p calendar.Period), value func(key, v string)) {
	period("acceptance_deadline", c.AcceptanceDeadline)
	period("completion_window", c.CompletionWindow)
	period("decision_deadline", c.DecisionDeadline)
	period("decision_extension", c.DecisionExtension)
	period("effect_after", c.EffectAfter)
	period("hearing_period", c.HearingPeriod)
	if v := c.Validation; v.SampleMinimum != 0 {
		value("validation.sample_minimum", fmt.Sprint(v.SampleMinimum))
	}
	if v := c.Validation; v.SamplePercent != 0 {
		value("validation.sample_percent", fmt.Sprint(v.SamplePercent))
	}
	if r := c.Validation.RequireOnSite; r != nil {
		value("validation.require_on_site", fmt.Sprint(*r))
	}
	if c.Validation.ThirdParty {
		value("validation.third_party", "true")
	}
	for i, v := range c.Validation.Validators {
		value(diag.Index("validation.validators", i), v)
	}
	c.Validation.fields(value)
	period("suspension.period", c.Suspension.Period)
	period("suspension.remedy_deadline", c.Suspension.RemedyDeadline)
	period("suspension.to_revocation", c.Suspension.ToRevocation)
	period("corrective_action.deadline", c.CorrectiveAction.Deadline)
	period("corrective_action.extension", c.CorrectiveAction.Extension)
	bar := func(prefix string, b ReapplyBar) {
		period(prefix+"after_refusal", b.AfterRefusal)
		period(prefix+"after_revocation", b.AfterRevocation)
		period(prefix+"after_withdrawal", b.AfterWithdrawal)
		period(prefix+"after_annulment", b.AfterAnnulment)
	}
	bar("reapply_bar.", c.ReapplyBar)
	for _, g := range slices.Sorted(maps.Keys(c.ReapplyBar.ByGrade)) {
		bar("reapply_bar.by_grade."+g+".", c.ReapplyBar.ByGrade[g])
	}
	for i, s := range c.Appeal.Stages {
		key := diag.Index("appeal.stages", i)
		value(key+".stage", s.Stage.String())
		period(key+".window", s.Window)
		period(key+".decision_deadline", s.DecisionDeadline)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Appeal.Windows)) {
		period("appeal.windows."+k, c.Appeal.Windows[k])
	}
	for i, k := range c.Appeal.Excluded {
		value(diag.Index("appeal.excluded", i), k)
	}
	period("revalidation.cycle", c.Revalidation.Cycle)
	period("revalidation.notice", c.Revalidation.Notice)
	period("monitoring.self_assessment", c.Monitoring.SelfAssessment)
	period("monitoring.spot_check", c.Monitoring.SpotCheck)
	period("coordinator.rotation", c.Coordinator.Rotation)
	period("coordinator.mentoring", c.Coordinator.Mentoring)
	c.Coordinator.fields(value)
	validity := func(prefix string, v ValidityRules) {
		period(prefix+"term", v.Term)
		period(prefix+"renewal_window", v.RenewalWindow)
		period(prefix+"renewal_decision", v.RenewalDecision)
	}
	validity("validity.", c.Validity)
	period("hearings.schedule_within", c.Hearings.ScheduleWithin)
	period("hearings.submissions_after", c.Hearings.SubmissionsAfter)
	for i, k := range c.Appeal.InformalReview.Decisions {
		value(diag.Index("appeal.informal_review.decisions", i), k)
	}
	period("appeal.informal_review.window", c.Appeal.InformalReview.Window)
	period("appeal.informal_review.decision_deadline", c.Appeal.InformalReview.DecisionDeadline)
	c.Changes.fields(period, value)
	c.Issues.fields(period)
	c.ControlCycle.fields(period, value)
	for _, t := range slices.Sorted(maps.Keys(c.Certificates)) {
		cr, prefix := c.Certificates[t], "certificates."+t+"."
		bar(prefix+"reapply_bar.", cr.ReapplyBar)
		validity(prefix+"validity.", cr.Validity)
		for _, k := range slices.Sorted(maps.Keys(cr.AppealWindows)) {
			period(prefix+"appeal_windows."+k, cr.AppealWindows[k])
		}
	}
}

// MaxPeriodYears bounds every period of the lifecycle, in the
// programme and in events: no legal period runs for centuries, and one
// that did would put deadlines past the year 9999, which neither the
// calendar's arithmetic (it wraps into the past) nor JSON can hold.
const MaxPeriodYears = 200

// periodProblem says what is wrong with p as a lifecycle period: negative,
// or longer than MaxPeriodYears; "" when nothing is.
func periodProblem(p calendar.Period) string {
	switch {
	case p.Negative():
		return fmt.Sprintf("period %s is negative", p)
	case p.Years > MaxPeriodYears || p.Months > 12*MaxPeriodYears || p.Days > 366*MaxPeriodYears ||
		p.WorkingDays > 366*MaxPeriodYears ||
		366*p.Years+31*p.Months+p.Days+p.WorkingDays > 366*MaxPeriodYears:
		return fmt.Sprintf("period %s is longer than %d years", p, MaxPeriodYears)
	}
	return ""
}

// Validate reports every problem in c, or nil. The error is a list of
// problems, each with the programme-file key of the value at fault,
// relative to the lifecycle section ("decision_extension",
// "appeal.stages[1].stage").
func (c Config) Validate() error {
	var l diag.List
	negative := func(key string, p calendar.Period) {
		if msg := periodProblem(p); msg != "" {
			l.Add(key, "%s", msg)
		}
	}
	c.fields(negative, func(string, string) {})

	if !c.DecisionExtension.IsZero() && c.DecisionDeadline.IsZero() {
		l.Add("decision_extension", "an extension needs a decision_deadline to extend")
	}
	if v := c.Validation.SampleMinimum; v < 0 {
		l.Add("validation.sample_minimum", "must not be negative, got %d", v)
	}
	if v := c.Validation.SamplePercent; v < 0 || v > 100 {
		l.Add("validation.sample_percent", "must be between 0 and 100, got %d", v)
	}
	if !c.CorrectiveAction.Extension.IsZero() && c.CorrectiveAction.Deadline.IsZero() {
		l.Add("corrective_action.extension", "an extension needs a corrective_action.deadline to extend")
	}
	for _, g := range slices.Sorted(maps.Keys(c.ReapplyBar.ByGrade)) {
		key := "reapply_bar.by_grade." + g
		if strings.TrimSpace(g) == "" {
			l.Add("reapply_bar.by_grade", "a grade must be named")
		}
		if len(c.ReapplyBar.ByGrade[g].ByGrade) > 0 {
			l.Add(key+".by_grade", "an override by grade cannot have overrides of its own")
		}
	}

	last := StageNone
	for i, s := range c.Appeal.Stages {
		key := diag.Index("appeal.stages", i) + ".stage"
		switch {
		case s.Stage == StageInformalReview:
			l.Add(key, "the informal review is set under appeal.informal_review, not among the stages")
		case s.Stage == StageNone || s.Stage >= numStages:
			l.Add(key, "want one of request_reasons, customs_review, independent_review, judicial")
		case s.Stage <= last:
			l.Add(key, "%s must come before %s; list each stage once, in the order of RKC Chapter 10", s.Stage, last)
		default:
			last = s.Stage
		}
	}
	checkWindows := func(path string, windows map[string]calendar.Period) {
		for _, k := range slices.Sorted(maps.Keys(windows)) {
			if d, ok := parseDecision(k); !ok {
				l.Add(path+k, "unknown decision %q; want one of %s", k, strings.Join(decisionNames[1:], ", "))
			} else if !c.appealable(d) {
				l.Add(path+k, "a window for %s, which appeal.excluded excludes", k)
			} else if c.informal(d) {
				l.Add(path+k, "a window for %s, which is open only to the informal review; set appeal.informal_review.window", k)
			}
		}
	}
	checkWindows("appeal.windows.", c.Appeal.Windows)
	seen := map[string]bool{}
	for i, k := range c.Appeal.Excluded {
		key := diag.Index("appeal.excluded", i)
		if _, ok := parseDecision(k); !ok {
			l.Add(key, "unknown decision %q; want one of %s", k, strings.Join(decisionNames[1:], ", "))
		}
		if seen[k] {
			l.Add(key, "%s listed twice", k)
		}
		seen[k] = true
	}
	seenInformal := map[string]bool{}
	for i, k := range c.Appeal.InformalReview.Decisions {
		key := diag.Index("appeal.informal_review.decisions", i)
		d, ok := parseDecision(k)
		switch {
		case !ok || d == DecisionOmission:
			l.Add(key, "unknown decision %q; want one of %s", k, strings.Join(decisionNames[1:len(decisionNames)-1], ", "))
		case !c.appealable(d):
			l.Add(key, "%s is in appeal.excluded: a decision is either excluded from appeal or open to an informal review", k)
		case seenInformal[k]:
			l.Add(key, "%s listed twice", k)
		}
		seenInformal[k] = true
	}
	if len(c.Appeal.InformalReview.Decisions) == 0 && !reflect.ValueOf(c.Appeal.InformalReview).IsZero() {
		l.Add("appeal.informal_review.decisions", "name the decisions open only to the informal review")
	}
	validity := func(prefix string, v ValidityRules) {
		if v.Term.IsZero() {
			if !v.RenewalWindow.IsZero() {
				l.Add(prefix+"renewal_window", "a renewal window needs a term of validity (%sterm)", prefix)
			}
			if !v.RenewalDecision.IsZero() {
				l.Add(prefix+"renewal_decision", "a renewal decision deadline needs a term of validity (%sterm)", prefix)
			}
		}
		if !v.RenewalWindow.IsZero() && !v.RenewalWindow.Plain() {
			l.Add(prefix+"renewal_window", "the renewal window counts back from the end of validity: write it in calendar years, months, weeks or days, without an anchor or a roll")
		}
		if longer(v.RenewalWindow, v.Term) {
			l.Add(prefix+"renewal_window", "renewal window %s is longer than the term %s", v.RenewalWindow, v.Term)
		}
	}
	validity("validity.", c.Validity)
	for _, t := range slices.Sorted(maps.Keys(c.Certificates)) {
		prefix := "certificates." + t + "."
		if strings.TrimSpace(t) == "" {
			l.Add("certificates", "a certificate must be named by its authorization type")
		}
		cr := c.Certificates[t]
		if len(cr.ReapplyBar.ByGrade) > 0 {
			l.Add(prefix+"reapply_bar.by_grade", "a separate certificate has no grades; set its bar directly")
		}
		validity(prefix+"validity.", cr.Validity)
		checkWindows(prefix+"appeal_windows.", cr.AppealWindows)
	}
	if !c.Revalidation.Notice.IsZero() && !c.Revalidation.Notice.Plain() {
		l.Add("revalidation.notice", "the notice counts back from the revalidation: write it in calendar years, months, weeks or days, without an anchor or a roll")
	}
	if !c.Revalidation.Notice.IsZero() && c.Revalidation.Cycle.IsZero() {
		l.Add("revalidation.notice", "a notice needs a revalidation.cycle")
	}
	if longer(c.Revalidation.Notice, c.Revalidation.Cycle) {
		l.Add("revalidation.notice", "notice %s is longer than the cycle %s", c.Revalidation.Notice, c.Revalidation.Cycle)
	}
	c.Changes.validate(&l)
	if longer(c.Coordinator.Mentoring, c.Coordinator.Rotation) {
		l.Add("coordinator.mentoring", "mentoring %s is longer than the rotation period %s", c.Coordinator.Mentoring, c.Coordinator.Rotation)
	}
	c.Validation.validate(&l)
	c.Coordinator.validate(&l)
	c.ControlCycle.validate(&l)
	c.Grounds.validate(&l)

	set := map[string]bool{}
	c.walk(func(key, _ string) {
		for k := key; k != ""; k = parentKey(k) {
			set[k] = true
		}
	})
	for _, k := range slices.Sorted(maps.Keys(c.Sources)) {
		key := "sources." + k
		if !set[k] {
			l.Add(key, "no rule %q is set; a source must name a rule of this section, e.g. decision_deadline or appeal.stages[0].window", k)
		}
		if strings.TrimSpace(c.Sources[k].Ref) == "" {
			l.Add(key+".ref", "a source needs a reference")
		}
	}
	return l.Err()
}

// longer reports whether a, added to a fixed date, ends after b does. Both
// must be set.
func longer(a, b calendar.Period) bool {
	if a.IsZero() || b.IsZero() {
		return false
	}
	ref := time.Date(2001, time.January, 1, 0, 0, 0, 0, time.UTC)
	return a.AddTo(ref).After(b.AddTo(ref))
}

func parseDecision(s string) (DecisionKind, bool) {
	var d DecisionKind
	if err := d.UnmarshalText([]byte(s)); err != nil || d == DecisionNone {
		return DecisionNone, false
	}
	return d, true
}

// appealable reports whether the programme allows an appeal against d.
func (c Config) appealable(d DecisionKind) bool {
	return !slices.Contains(c.Appeal.Excluded, d.String())
}

// informal reports whether d is open only to the informal review.
func (c Config) informal(d DecisionKind) bool {
	return slices.Contains(c.Appeal.InformalReview.Decisions, d.String())
}

// clone returns a deep copy of c, so that a Machine shares nothing with
// its caller.
func (c Config) clone() Config {
	out := c
	out.ReapplyBar.ByGrade = nil
	if c.ReapplyBar.ByGrade != nil {
		out.ReapplyBar.ByGrade = make(map[string]ReapplyBar, len(c.ReapplyBar.ByGrade))
		for k, v := range c.ReapplyBar.ByGrade {
			v.ByGrade = nil
			out.ReapplyBar.ByGrade[k] = v
		}
	}
	out.Appeal.Stages = slices.Clone(c.Appeal.Stages)
	out.Appeal.Excluded = slices.Clone(c.Appeal.Excluded)
	out.Appeal.Windows = cloneMap(c.Appeal.Windows)
	out.Appeal.InformalReview.Decisions = slices.Clone(c.Appeal.InformalReview.Decisions)
	out.Sources = cloneMap(c.Sources)
	out.Changes = c.Changes.clone()
	out.Validation = c.Validation.clone()
	out.Coordinator = c.Coordinator.clone()
	out.ControlCycle.Within = cloneMap(c.ControlCycle.Within)
	out.ControlCycle.Skip = slices.Clone(c.ControlCycle.Skip)
	out.Grounds = c.Grounds.clone()
	if c.Certificates != nil {
		out.Certificates = make(map[string]CertificateRules, len(c.Certificates))
		for k, v := range c.Certificates {
			v.ReapplyBar.ByGrade = nil
			v.AppealWindows = cloneMap(v.AppealWindows)
			out.Certificates[k] = v
		}
	}
	return out
}

func cloneMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// barPeriod returns the bar of the given name (after_refusal,
// after_revocation, after_withdrawal, after_annulment) for type typ held
// or applied for with grade, and the programme-file key that sets it: a
// separate certificate's own bar first, then the grade's, then the
// general one.
func (c Config) barPeriod(typ, name, grade string) (calendar.Period, string) {
	pick := func(b ReapplyBar) calendar.Period {
		switch name {
		case "after_refusal":
			return b.AfterRefusal
		case "after_revocation":
			return b.AfterRevocation
		case "after_withdrawal":
			return b.AfterWithdrawal
		case "after_annulment":
			return b.AfterAnnulment
		}
		return calendar.Period{}
	}
	if cr, ok := c.Certificates[typ]; ok {
		if p := pick(cr.ReapplyBar); !p.IsZero() {
			return p, "certificates." + typ + ".reapply_bar." + name
		}
	}
	if g, ok := c.ReapplyBar.ByGrade[grade]; ok && grade != "" {
		if p := pick(g); !p.IsZero() {
			return p, "reapply_bar.by_grade." + grade + "." + name
		}
	}
	return pick(c.ReapplyBar), "reapply_bar." + name
}

// validity returns the validity rules for an authorization of the given
// types, and the programme-file prefix of their keys: a separate
// certificate's own rules where it sets a term, else the general ones.
func (c Config) validity(types []string) (ValidityRules, string) {
	if len(types) == 1 {
		if cr, ok := c.Certificates[types[0]]; ok && !cr.Validity.Term.IsZero() {
			return cr.Validity, "certificates." + types[0] + ".validity."
		}
	}
	return c.Validity, "validity."
}

// certificate reports whether typ is a separate certificate.
func (c Config) certificate(typ string) bool {
	_, ok := c.Certificates[typ]
	return ok
}
