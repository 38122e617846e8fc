package lifecycle

import (
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// The handlers of the status events. Each reads s.from and s.ev, checks
// its guards and builds s.next; run has already checked the transition
// table, the time order, the actor and the role.

func (s *step) needReasons() error {
	for _, r := range s.ev.Reasons {
		if strings.TrimSpace(r) != "" {
			return nil
		}
	}
	return s.fail("reasons", ErrNoReasons, "%s must state its reasons or grounds in writing", s.ev.Kind)
}

func (s *step) needEvidence() error {
	for _, r := range s.ev.Evidence {
		if strings.TrimSpace(r) != "" {
			return nil
		}
	}
	return s.fail("evidence", ErrNoReasons, "%s must reference its evidence", s.ev.Kind)
}

// fourEyes checks that a decision has an approver other than the proposer
// and other than the operator's client coordinator.
func (s *step) fourEyes() error {
	ev := s.ev
	switch {
	case strings.TrimSpace(ev.Approver) == "":
		return s.fail("four-eyes", ErrFourEyes, "%s needs an approver", ev.Kind)
	case ev.Approver == ev.Actor:
		return s.fail("four-eyes", ErrFourEyes, "%s is both proposer and approver", ev.Actor)
	case s.from.Coordinator.party(ev.Approver, ev.At):
		return s.fail("coordinator-not-approver", ErrConflictOfInterest,
			"%s is the operator's client coordinator; a colleague approves (Annex 4)", ev.Approver)
	}
	return nil
}

// checkBars refuses an application for a type whose re-application bar
// runs on the day of the event.
func (s *step) checkBars(types []string) error {
	for _, b := range s.from.Bars {
		if slices.Contains(types, b.Type) && calendar.Date(s.ev.At).Before(b.Until) {
			return s.fail(b.Rule, ErrReapplicationBarred, "%s may be applied for again from %s", b.Type, day(b.Until))
		}
	}
	return nil
}

// addBars bars re-applications for the types of a decision, per the
// programme's bar of the given name (after_refusal, ...).
func (s *step) addBars(name string, types []TypeState) {
	for _, t := range types {
		p, rule := s.l.cfg.barPeriod(t.Type, name, t.Grade)
		if p.IsZero() {
			continue
		}
		b := ReapplicationBar{Type: t.Type, Until: s.deadline(p, s.ev.At), Rule: rule, Seq: s.from.Seq}
		s.next.Bars = slices.DeleteFunc(s.next.Bars, func(o ReapplicationBar) bool { return o.Type == t.Type })
		s.next.Bars = append(s.next.Bars, b)
	}
	slices.SortFunc(s.next.Bars, func(x, y ReapplicationBar) int { return strings.Compare(x.Type, y.Type) })
}

// sampleSize returns how many of n declared sites the validation sample
// must cover.
func (l *Machine) sampleSize(n int) int {
	if n == 0 {
		return 1 // the operator's premises
	}
	v := l.cfg.Validation
	if v.SampleMinimum == 0 && v.SamplePercent == 0 {
		return n
	}
	k := max(v.SampleMinimum, (n*v.SamplePercent+99)/100, 1)
	return min(k, n)
}

// complete reports whether the validation sample satisfies every
// condition: enough sites found satisfactory by a method that counts for
// the operator (a visit, unless validation.relax allows another) and
// none found wanting.
func (l *Machine) complete(v ValidationState, classes []string) bool {
	count := 0
	for _, r := range v.Sites {
		if !r.Satisfied {
			return false
		}
		if !l.cfg.Validation.counts(r.Method, classes, "") {
			continue
		}
		count++
	}
	return count >= max(v.Required, 1)
}

func sortedCopy(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return out
}

// separate refuses a list of types that mixes a separate certificate
// with other types: each certificate has an authorization of its own.
func (s *step) separate(types []string) error {
	if len(types) < 2 {
		return nil
	}
	for _, t := range types {
		if s.l.cfg.certificate(t) {
			return s.fail("certificates."+t, ErrInvalidEvent,
				"%s is a separate certificate, applied for on its own: keep one authorization per certificate", t)
		}
	}
	return nil
}

func (s *step) lodge() error {
	ev := s.ev
	if len(ev.Types) == 0 {
		return s.fail("event.types", ErrInvalidEvent, "an application names the authorization types applied for")
	}
	if err := s.separate(ev.Types); err != nil {
		return err
	}
	if err := s.checkBars(ev.Types); err != nil {
		return err
	}
	old := s.next
	bars := slices.DeleteFunc(old.Bars, func(b ReapplicationBar) bool { return !calendar.Date(ev.At).Before(b.Until) })
	// A new application starts afresh; what outlives an application is
	// kept: the coordinator, the operator's open issues and its treatment
	// cycle, the bars still running, an appealable decision and the
	// appeal track, and the chain.
	s.next = Authorization{
		Status:        StatusLodged,
		Applied:       sortedCopy(ev.Types),
		Grade:         ev.Grade,
		Sites:         sortedCopy(ev.Sites),
		Classes:       sortedCopy(ev.Classes),
		LodgedAt:      ev.At,
		AcceptanceDue: s.deadline(s.l.cfg.AcceptanceDeadline, ev.At),
		Validation:    ValidationState{Required: s.l.sampleSize(len(ev.Sites))},
		Coordinator:   old.Coordinator,
		Issues:        old.Issues,
		Control:       old.Control,
		Bars:          bars,
		Decision:      old.Decision,
		Appeal:        old.Appeal,
		Seq:           old.Seq,
		Head:          old.Head,
		LastAt:        old.LastAt,
	}
	return nil
}

func (s *step) returnIncomplete() error {
	if err := s.needReasons(); err != nil {
		return err
	}
	n := &s.next
	n.Status = StatusIncomplete
	n.AcceptanceDue = time.Time{}
	n.CompletionDue = s.deadline(s.l.cfg.CompletionWindow, s.ev.At)
	return nil
}

func (s *step) resubmit() error {
	ev := s.ev
	if after(ev.At, s.from.CompletionDue) {
		return s.fail("completion_window", ErrLate, "the application had to be completed by %s", day(s.from.CompletionDue))
	}
	n := &s.next
	if len(ev.Types) > 0 {
		if err := s.separate(ev.Types); err != nil {
			return err
		}
		if err := s.checkBars(ev.Types); err != nil {
			return err
		}
		n.Applied = sortedCopy(ev.Types)
	}
	if ev.Grade != "" {
		n.Grade = ev.Grade
	}
	if len(ev.Sites) > 0 {
		n.Sites = sortedCopy(ev.Sites)
		n.Validation = ValidationState{CustomsRequested: n.Validation.CustomsRequested, Required: s.l.sampleSize(len(ev.Sites))}
	}
	if len(ev.Classes) > 0 {
		n.Classes = sortedCopy(ev.Classes)
	}
	n.Status = StatusLodged
	n.CompletionDue = time.Time{}
	n.AcceptanceDue = s.deadline(s.l.cfg.AcceptanceDeadline, ev.At)
	return nil
}

func (s *step) accept() error {
	n := &s.next
	n.Status = StatusExamination
	n.AcceptedAt = s.ev.At
	n.AcceptanceDue = time.Time{}
	n.DecisionDue = s.deadline(s.l.cfg.DecisionDeadline, s.ev.At)
	n.DecisionExtended = false
	return nil
}

// decision returns the appealable decision the event takes about types.
func (s *step) decision(kind DecisionKind, types []TypeState) *AppealableDecision {
	return &AppealableDecision{
		Kind:       kind,
		At:         s.ev.At,
		Effective:  calendar.Date(s.ev.At),
		Seq:        s.from.Seq,
		DecidedBy:  s.ev.Actor,
		ApprovedBy: s.ev.Approver,
		Types:      slices.Clone(types),
	}
}

// appliedTypes returns the types applied for, with the grade applied for.
func (s *step) appliedTypes(grade string) []TypeState {
	out := make([]TypeState, len(s.from.Applied))
	for i, t := range s.from.Applied {
		out[i] = TypeState{Type: t, Grade: grade}
	}
	return out
}

func (s *step) reject() error {
	if err := s.needReasons(); err != nil {
		return err
	}
	s.next.Status = StatusNotAccepted
	s.next.Decision = s.decision(DecisionNonAcceptance, s.appliedTypes(s.from.Grade))
	return nil
}

func (s *step) extendDeadline() error {
	if err := s.needReasons(); err != nil {
		return err
	}
	a, ext := s.from, s.l.cfg.DecisionExtension
	switch {
	case ext.IsZero():
		return s.fail("decision_extension", ErrNoExtension, "the programme sets no extension of the decision deadline")
	case a.DecisionExtended:
		return s.fail("decision_extension", ErrNoExtension, "the decision deadline was already extended, to %s", day(a.DecisionDue))
	case a.DecisionDue.IsZero():
		return s.fail("decision_extension", ErrNoExtension, "no decision deadline runs")
	case after(s.ev.At, a.DecisionDue):
		return s.fail("decision_deadline", ErrLate, "the deadline passed on %s; extend it before it expires", day(a.DecisionDue))
	}
	s.next.DecisionDue = s.deadline(ext, a.DecisionDue)
	s.next.DecisionExtended = true
	return nil
}

func (s *step) validate() error {
	a, ev := s.from, s.ev
	if a.Status.held() && a.ReassessmentOpen.IsZero() {
		return s.fail("reassessment-open", ErrInvalidTransition, "validating a held authorization needs an open reassessment")
	}
	r := ev.Validation
	switch {
	case r == nil:
		return s.fail("event.validation", ErrInvalidEvent, "no validation report")
	case r.Method == ValidationUnknown || r.Method > ValidationRemote:
		return s.fail("event.validation", ErrInvalidEvent, "unknown validation method %d", r.Method)
	}
	if err := s.needEvidence(); err != nil {
		return err
	}
	if r.Method == ValidationThirdParty {
		switch {
		case !s.l.cfg.Validation.ThirdParty:
			return s.fail("validation.third_party", ErrNotPermitted, "the programme accepts no third-party validation")
		case a.Validation.CustomsRequested:
			return s.fail("customs-validation-requested", ErrNotPermitted, "the applicant asked Customs to validate")
		case strings.TrimSpace(r.Validator) == "":
			return s.fail("event.validation", ErrInvalidEvent, "a third-party report names its validator")
		case len(s.l.cfg.Validation.Validators) > 0 && !slices.Contains(s.l.cfg.Validation.Validators, r.Validator):
			return s.fail("validation.validators", ErrNotPermitted, "%s is not a designated validator", r.Validator)
		}
	} else if r.Validator != "" {
		return s.fail("event.validation", ErrInvalidEvent, "a validator is named only for a third-party report")
	}
	if err := s.checkJoint(); err != nil {
		return err
	}
	sites := ev.Sites
	if len(a.Sites) == 0 {
		if len(sites) > 0 {
			return s.fail("event.sites", ErrInvalidEvent, "the operator declared no sites")
		}
		sites = []string{""}
	} else {
		if len(sites) == 0 {
			return s.fail("event.sites", ErrInvalidEvent, "name the sites validated")
		}
		for _, site := range sites {
			if !slices.Contains(a.Sites, site) {
				return s.fail("event.sites", ErrInvalidEvent, "site %q was not declared", site)
			}
		}
	}
	v := &s.next.Validation
	satisfied := r.Satisfied && (r.Joint == nil || r.Joint.Satisfied)
	for _, site := range sites {
		res := SiteResult{Site: site, Method: r.Method, Satisfied: satisfied, At: ev.At}
		if r.Joint != nil {
			res.Partner, res.PartnerSatisfied = r.Joint.Partner, r.Joint.Satisfied
		}
		if i := slices.IndexFunc(v.Sites, func(x SiteResult) bool { return x.Site == site }); i >= 0 {
			// A satisfactory review on paper after a satisfactory visit
			// does not undo the visit; a site found wanting is wanting.
			prev := v.Sites[i]
			if satisfied && prev.Satisfied && s.l.cfg.Validation.counts(prev.Method, a.Classes, "") && !s.l.cfg.Validation.counts(r.Method, a.Classes, "") {
				continue
			}
			v.Sites[i] = res
		} else {
			v.Sites = append(v.Sites, res)
		}
	}
	slices.SortFunc(v.Sites, func(x, y SiteResult) int { return strings.Compare(x.Site, y.Site) })
	s.recordChecks(v, r, satisfied)
	v.Complete = s.l.complete(*v, a.Classes)
	switch {
	case !v.Complete:
		v.CompletedAt = time.Time{}
	case !a.Validation.Complete:
		v.CompletedAt = ev.At
	}
	return nil
}

// checkAssessment checks that the event rests on an assessment of the
// current programme version that recommends each type with its grade.
func (s *step) checkAssessment(want []TypeGrade) error {
	ref := s.ev.Assessment
	switch {
	case ref == nil:
		return s.fail("assessment-required", ErrNotRecommended, "%s rests on an assessment; none given", s.ev.Kind)
	case ref.Fingerprint != s.fp:
		return s.fail("current-programme-assessment", ErrStaleAssessment,
			"the assessment is of programme version %q, the current one is %q", ref.Fingerprint, s.fp)
	case ref.AsOf.IsZero() || ref.AsOf.After(s.ev.At):
		return s.fail("assessment-date", ErrStaleAssessment, "the assessment is dated %s, after the %s", stamp(ref.AsOf), s.ev.Kind)
	}
	for _, w := range want {
		if !slices.Contains(ref.Recommended, w) {
			if w.Grade == "" {
				return s.fail("recommended", ErrNotRecommended, "the assessment does not recommend %s without a grade", w.Type)
			}
			return s.fail("recommended", ErrNotRecommended, "the assessment does not recommend %s at grade %s", w.Type, w.Grade)
		}
	}
	return nil
}

func (s *step) checkValidated() error {
	v := s.from.Validation
	if !v.Complete {
		ok := 0
		for _, r := range v.Sites {
			if r.Satisfied && s.l.cfg.Validation.counts(r.Method, s.from.Classes, "") {
				ok++
			}
		}
		return s.fail("validation-complete", ErrNotValidated,
			"%d of the %d sites the sample needs were found satisfactory by %s, with no site found wanting",
			ok, max(v.Required, 1), s.l.methodsFor(s.from.Classes))
	}
	return s.checkRequirementsVerified()
}

func (s *step) grant() error {
	a, ev := s.from, s.ev
	if err := s.fourEyes(); err != nil {
		return err
	}
	if len(ev.Types) == 0 {
		return s.fail("event.types", ErrInvalidEvent, "name the types granted")
	}
	want := make([]TypeGrade, len(ev.Types))
	for i, t := range ev.Types {
		if !slices.Contains(a.Applied, t) {
			return s.fail("event.types", ErrInvalidEvent, "%s was not applied for", t)
		}
		want[i] = TypeGrade{Type: t, Grade: ev.Grade}
	}
	if err := s.checkAssessment(want); err != nil {
		return err
	}
	if err := s.checkValidated(); err != nil {
		return err
	}
	n := &s.next
	n.Status = StatusAuthorized
	n.Types = nil
	for _, t := range sortedCopy(ev.Types) {
		n.Types = append(n.Types, TypeState{Type: t, Grade: ev.Grade})
	}
	n.DecidedAt = ev.At
	n.EffectiveAt = calendar.Date(ev.At)
	if p := s.l.cfg.EffectAfter; !p.IsZero() {
		n.EffectiveAt = s.deadline(p, ev.At)
	}
	v, _ := s.l.cfg.validity(ev.Types)
	n.ValidUntil = s.deadline(v.Term, n.EffectiveAt)
	n.Renewal = nil
	n.RevalidationDue = s.deadline(s.l.cfg.Revalidation.Cycle, ev.At)
	n.SelfAssessmentDue = s.deadline(s.l.cfg.Monitoring.SelfAssessment, ev.At)
	n.SpotCheckDue = s.deadline(s.l.cfg.Monitoring.SpotCheck, ev.At)
	n.Decision = nil
	n.Bars = slices.DeleteFunc(n.Bars, func(b ReapplicationBar) bool { return slices.Contains(ev.Types, b.Type) })
	s.startCycle()
	return nil
}

func (s *step) refuse() error {
	if err := s.fourEyes(); err != nil {
		return err
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	grade := s.from.Grade
	if s.ev.Grade != "" {
		grade = s.ev.Grade
	}
	types := s.appliedTypes(grade)
	s.next.Status = StatusRefused
	s.next.Decision = s.decision(DecisionRefusal, types)
	s.addBars("after_refusal", types)
	return nil
}

// heldTypes returns the indexes in s.from.Types of the types named, or of
// every type held when none is named.
func (s *step) heldTypes(names []string) ([]int, error) {
	if len(names) == 0 {
		idx := make([]int, len(s.from.Types))
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	var idx []int
	for _, t := range names {
		i := s.from.typeIndex(t)
		if i < 0 {
			return nil, s.fail("event.types", ErrInvalidEvent, "%s is not held", t)
		}
		idx = append(idx, i)
	}
	slices.Sort(idx)
	return idx, nil
}

// remove removes the types at idx from s.next.Types and returns them as
// they stood.
func (s *step) remove(idx []int) []TypeState {
	removed := make([]TypeState, len(idx))
	for i, j := range idx {
		removed[i] = s.from.Types[j]
	}
	s.next.Types = slices.DeleteFunc(s.next.Types, func(t TypeState) bool {
		return slices.ContainsFunc(removed, func(r TypeState) bool { return r.Type == t.Type })
	})
	return removed
}

// closeHeld clears what runs only while types are held.
func (s *step) closeHeld() {
	n := &s.next
	n.Types = nil
	n.ReassessmentOpen = time.Time{}
	n.CorrectiveAction = nil
	n.Renewal = nil
	s.clearProposal()
}

func (s *step) clearProposal() {
	zero := time.Time{}
	s.next.RevocationProposedAt, s.next.HearingEnds, s.next.HeardAt = zero, zero, zero
}

func (s *step) withdraw() error {
	a, ev := s.from, s.ev
	if a.Status.pending() {
		if len(ev.Types) > 0 {
			return s.fail("event.types", ErrInvalidEvent, "an application is withdrawn whole")
		}
		s.next.Status = StatusWithdrawn
		s.addBars("after_withdrawal", s.appliedTypes(a.Grade))
		return nil
	}
	idx, err := s.heldTypes(ev.Types)
	if err != nil {
		return err
	}
	if a.Status == StatusRevocationProposed && len(idx) != len(a.Types) {
		return s.fail("withdraw-whole", ErrInvalidTransition, "while a revocation is proposed the authorization is surrendered whole")
	}
	removed := s.remove(idx)
	s.addBars("after_withdrawal", removed)
	if len(s.next.Types) == 0 {
		s.next.Status = StatusWithdrawn
		s.closeHeld()
		return nil
	}
	s.next.Status = derive(s.next.Types)
	return nil
}

func (s *step) startReassessment() error {
	a := s.from
	if !a.ReassessmentOpen.IsZero() {
		return s.fail("reassessment-open", ErrInvalidTransition, "a reassessment is open since %s", stamp(a.ReassessmentOpen))
	}
	s.next.ReassessmentOpen = s.ev.At
	s.next.Validation = ValidationState{CustomsRequested: a.Validation.CustomsRequested, Required: s.l.sampleSize(len(a.Sites))}
	return nil
}

func (s *step) confirmReassessment() error {
	a, ev := s.from, s.ev
	if a.ReassessmentOpen.IsZero() {
		return s.fail("reassessment-open", ErrInvalidTransition, "no reassessment is open")
	}
	want := make([]TypeGrade, len(a.Types))
	for i, t := range a.Types {
		want[i] = TypeGrade{Type: t.Type, Grade: t.Grade}
		if ev.Grade != "" {
			want[i].Grade = ev.Grade
		}
	}
	if err := s.checkAssessment(want); err != nil {
		return err
	}
	if err := s.checkValidated(); err != nil {
		return err
	}
	n := &s.next
	for i := range n.Types {
		n.Types[i].Grade = want[i].Grade
	}
	n.ReassessmentOpen = time.Time{}
	n.RevalidationDue = s.deadline(s.l.cfg.Revalidation.Cycle, ev.At)
	return nil
}

func (s *step) requestCorrectiveAction() error {
	if err := s.needReasons(); err != nil {
		return err
	}
	if c := s.from.CorrectiveAction; c != nil {
		return s.fail("corrective-action-open", ErrInvalidTransition, "a corrective action is open since %s", stamp(c.RequestedAt))
	}
	p := s.ev.Period
	if p.IsZero() {
		p = s.l.cfg.CorrectiveAction.Deadline
	}
	s.next.CorrectiveAction = &CorrectiveAction{RequestedAt: s.ev.At, Due: s.deadline(p, s.ev.At)}
	return nil
}

func (s *step) extendCorrectiveAction() error {
	c, ext := s.from.CorrectiveAction, s.l.cfg.CorrectiveAction.Extension
	switch {
	case c == nil:
		return s.fail("corrective-action-open", ErrInvalidTransition, "no corrective action is open")
	case ext.IsZero():
		return s.fail("corrective_action.extension", ErrNoExtension, "the programme sets no extension of corrective action")
	case c.Extended:
		return s.fail("corrective_action.extension", ErrNoExtension, "the deadline was already extended, to %s", day(c.Due))
	case c.Due.IsZero():
		return s.fail("corrective_action.extension", ErrNoExtension, "no corrective-action deadline runs")
	case after(s.ev.At, c.Due):
		return s.fail("corrective_action.deadline", ErrLate, "the deadline passed on %s; extend it before it expires", day(c.Due))
	}
	s.next.CorrectiveAction.Due = s.deadline(ext, c.Due)
	s.next.CorrectiveAction.Extended = true
	return nil
}

func (s *step) completeCorrectiveAction() error {
	if s.from.CorrectiveAction == nil {
		return s.fail("corrective-action-open", ErrInvalidTransition, "no corrective action is open")
	}
	if err := s.needEvidence(); err != nil {
		return err
	}
	s.next.CorrectiveAction = nil
	return nil
}

// suspend suspends the types named, the types that depend on the failing
// criterion, or, when neither is given, every type in force. Types already
// suspended are left as they are.
func (s *step) suspend() error {
	a, ev := s.from, s.ev
	if err := s.needReasons(); err != nil {
		return err
	}
	targets := slices.Clone(ev.Types)
	for _, t := range ev.Types {
		if a.typeIndex(t) < 0 {
			return s.fail("event.types", ErrInvalidEvent, "%s is not held", t)
		}
	}
	if ev.Criterion != "" {
		deps, ok := s.l.dependsOn[ev.Criterion]
		if !ok {
			return s.fail("event.criterion", ErrInvalidEvent, "no authorization type is declared to depend on criterion %q", ev.Criterion)
		}
		targets = append(targets, deps...)
	}
	if len(targets) == 0 {
		for _, t := range a.Types {
			targets = append(targets, t.Type)
		}
	}
	var before []TypeState
	p := ev.Period
	if p.IsZero() {
		p = s.l.cfg.Suspension.Period
	}
	for i, t := range s.next.Types {
		if t.Suspended || !slices.Contains(targets, t.Type) {
			continue
		}
		before = append(before, t)
		s.next.Types[i] = TypeState{
			Type:           t.Type,
			Grade:          t.Grade,
			Suspended:      true,
			SuspendedAt:    ev.At,
			Criterion:      ev.Criterion,
			SuspensionEnds: s.deadline(p, ev.At),
			RemedyDue:      s.deadline(s.l.cfg.Suspension.RemedyDeadline, ev.At),
			RevocationDue:  s.deadline(s.l.cfg.Suspension.ToRevocation, ev.At),
		}
	}
	if len(before) == 0 {
		return s.fail("nothing-to-suspend", ErrInvalidTransition, "no type in force is concerned")
	}
	s.next.Status = derive(s.next.Types)
	s.next.Decision = s.decision(DecisionSuspension, before)
	return nil
}

// liftTypes clears the suspension of the types at idx of s.next.Types.
func (s *step) liftTypes(idx []int) {
	for _, i := range idx {
		t := s.next.Types[i]
		s.next.Types[i] = TypeState{Type: t.Type, Grade: t.Grade}
	}
}

func (s *step) lift() error {
	a, ev := s.from, s.ev
	var idx []int
	for _, t := range ev.Types {
		i := a.typeIndex(t)
		if i < 0 || !a.Types[i].Suspended {
			return s.fail("event.types", ErrInvalidEvent, "%s is not suspended", t)
		}
		idx = append(idx, i)
	}
	if len(ev.Types) == 0 {
		for i, t := range a.Types {
			if t.Suspended {
				idx = append(idx, i)
			}
		}
	}
	s.liftTypes(idx)
	if a.Status == StatusRevocationProposed {
		s.clearProposal()
	}
	s.next.Status = derive(s.next.Types)
	return nil
}

func (s *step) proposeRevocation() error {
	if err := s.needReasons(); err != nil {
		return err
	}
	n := &s.next
	n.Status = StatusRevocationProposed
	n.RevocationProposedAt = s.ev.At
	n.HearingEnds = s.deadline(s.l.cfg.HearingPeriod, s.ev.At)
	n.HeardAt = time.Time{}
	return nil
}

// heard checks the right to be heard before a revocation (UCC Art 22(6)).
func (s *step) heard() error {
	a := s.from
	if s.l.cfg.HearingPeriod.IsZero() {
		return nil
	}
	if a.Status != StatusRevocationProposed {
		return s.fail("right-to-be-heard", ErrNotHeard, "propose the revocation first: the holder has %s to be heard", s.l.cfg.HearingPeriod)
	}
	if a.HeardAt.IsZero() && !after(s.ev.At, a.HearingEnds) {
		return s.fail("right-to-be-heard", ErrNotHeard, "the holder may be heard until %s", day(a.HearingEnds))
	}
	return nil
}

func (s *step) revoke() error {
	if err := s.fourEyes(); err != nil {
		return err
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	if err := s.heard(); err != nil {
		return err
	}
	idx, err := s.heldTypes(s.ev.Types)
	if err != nil {
		return err
	}
	removed := s.remove(idx)
	s.next.Decision = s.decision(DecisionRevocation, removed)
	s.addBars("after_revocation", removed)
	if len(s.next.Types) == 0 {
		s.next.Status = StatusRevoked
		s.closeHeld()
		return nil
	}
	s.clearProposal()
	s.next.Status = derive(s.next.Types)
	return nil
}

func (s *step) annul() error {
	if err := s.fourEyes(); err != nil {
		return err
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	idx, _ := s.heldTypes(nil)
	removed := s.remove(idx)
	d := s.decision(DecisionAnnulment, removed)
	d.Effective = s.from.EffectiveAt
	s.next.Decision = d
	s.addBars("after_annulment", removed)
	s.next.Status = StatusAnnulled
	s.closeHeld()
	return nil
}

// monitor records a monitoring activity and, for a self-assessment or a
// spot check, moves the next one of its kind.
func (s *step) monitor() error {
	ev, n := s.ev, &s.next
	switch ev.Monitoring {
	case MonitoringOther:
	case MonitoringSelfAssessment:
		n.SelfAssessmentDue = s.deadline(s.l.cfg.Monitoring.SelfAssessment, ev.At)
	case MonitoringSpotCheck:
		n.SpotCheckDue = s.deadline(s.l.cfg.Monitoring.SpotCheck, ev.At)
	default:
		return s.fail("event.monitoring", ErrInvalidEvent, "unknown monitoring kind %d", ev.Monitoring)
	}
	return nil
}
