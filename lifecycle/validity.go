package lifecycle

import (
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// The handlers of validity and renewal, benefit denials and the hearings
// the operator requests.
//
// Validity: an authorization granted for a term (validity.term) is valid
// until ValidUntil. The holder may lodge its renewal within the renewal
// window (validity.renewal_window) up to the last day of validity;
// Customs renews it for a further term from the end of the last, or
// refuses (appealable). With no renewal lodged in time the authorization
// lapses on expiry: Due lists the lapse as owed and an officer records
// it. The engine never lapses an authorization by itself, but nothing is
// in force beyond the term (Authorization.Active).

// typeNames returns the types held, or applied for when none is held.
func (a Authorization) typeNames() []string {
	if len(a.Types) == 0 {
		return a.Applied
	}
	out := make([]string, len(a.Types))
	for i, t := range a.Types {
		out[i] = t.Type
	}
	return out
}

// term returns the validity rules of a and their key prefix, or a
// refusal when the programme grants a's types for no term.
func (s *step) term() (ValidityRules, string, error) {
	v, prefix := s.l.cfg.validity(s.from.typeNames())
	if v.Term.IsZero() || s.from.ValidUntil.IsZero() {
		return v, prefix, s.fail(prefix+"term", ErrNotPermitted, "the authorization is not granted for a term: nothing to renew or lapse")
	}
	return v, prefix, nil
}

// renewalOpens returns the first day a renewal may be lodged, or the zero
// time when it may be lodged at any time before expiry.
func renewalOpens(v ValidityRules, validUntil time.Time) time.Time {
	if v.RenewalWindow.IsZero() || validUntil.IsZero() {
		return time.Time{}
	}
	return v.RenewalWindow.Negate().AddTo(validUntil)
}

func (s *step) lodgeRenewal() error {
	a, ev := s.from, s.ev
	v, prefix, err := s.term()
	if err != nil {
		return err
	}
	if r := a.Renewal; r != nil {
		return s.fail("renewal-open", ErrInvalidTransition, "a renewal lodged on %s awaits its decision", day(r.LodgedAt))
	}
	if opens := renewalOpens(v, a.ValidUntil); !opens.IsZero() && calendar.Date(ev.At).Before(opens) {
		return s.fail(prefix+"renewal_window", ErrEarly, "the renewal window opens on %s, %s before the end of validity on %s", day(opens), v.RenewalWindow, day(a.ValidUntil))
	}
	if after(ev.At, a.ValidUntil) {
		return s.fail(prefix+"term", ErrLate, "validity ended on %s; the authorization lapses and a new application is needed", day(a.ValidUntil))
	}
	s.next.Renewal = &Renewal{LodgedAt: ev.At, DecisionDue: s.deadline(v.RenewalDecision, ev.At)}
	return nil
}

func (s *step) renew() error {
	a, ev := s.from, s.ev
	if err := s.fourEyes(); err != nil {
		return err
	}
	v, _, err := s.term()
	if err != nil {
		return err
	}
	if a.Renewal == nil {
		return s.fail("renewal-open", ErrInvalidTransition, "no renewal has been lodged")
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
	n := &s.next
	for i := range n.Types {
		n.Types[i].Grade = want[i].Grade
	}
	n.ValidUntil = s.deadline(v.Term, a.ValidUntil)
	n.Renewal = nil
	return nil
}

func (s *step) refuseRenewal() error {
	if err := s.fourEyes(); err != nil {
		return err
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	if s.from.Renewal == nil {
		return s.fail("renewal-open", ErrInvalidTransition, "no renewal has been lodged")
	}
	s.next.Renewal = nil
	s.next.Decision = s.decision(DecisionRenewalRefusal, s.from.Types)
	return nil
}

func (s *step) lapse() error {
	a := s.from
	_, prefix, err := s.term()
	if err != nil {
		return err
	}
	if !after(s.ev.At, a.ValidUntil) {
		return s.fail(prefix+"term", ErrEarly, "the authorization is valid until %s", day(a.ValidUntil))
	}
	if r := a.Renewal; r != nil {
		return s.fail("renewal-pending", ErrInvalidTransition, "a renewal lodged in time on %s awaits its decision", day(r.LodgedAt))
	}
	s.next.Status = StatusLapsed
	s.closeHeld()
	return nil
}

func (s *step) denyBenefits() error {
	ev := s.ev
	if err := s.needReasons(); err != nil {
		return err
	}
	if len(ev.Benefits) == 0 {
		return s.fail("event.benefits", ErrInvalidEvent, "name the benefits denied")
	}
	for _, b := range ev.Benefits {
		if s.from.Denied(b) {
			return s.fail("event.benefits", ErrInvalidEvent, "%s is already denied", b)
		}
		s.next.DeniedBenefits = append(s.next.DeniedBenefits, BenefitDenial{Benefit: b, At: ev.At, Seq: s.from.Seq})
	}
	slices.SortFunc(s.next.DeniedBenefits, func(x, y BenefitDenial) int { return strings.Compare(x.Benefit, y.Benefit) })
	d := s.decision(DecisionBenefitDenial, nil)
	d.Benefits = sortedCopy(ev.Benefits)
	s.next.Decision = d
	return nil
}

func (s *step) restoreBenefits() error {
	ev := s.ev
	if len(s.from.DeniedBenefits) == 0 {
		return s.fail("nothing-to-restore", ErrInvalidTransition, "no benefit is denied")
	}
	for _, b := range ev.Benefits {
		if !s.from.Denied(b) {
			return s.fail("event.benefits", ErrInvalidEvent, "%s is not denied", b)
		}
	}
	s.next.DeniedBenefits = slices.DeleteFunc(s.next.DeniedBenefits, func(d BenefitDenial) bool {
		return len(ev.Benefits) == 0 || slices.Contains(ev.Benefits, d.Benefit)
	})
	return nil
}

// hearingOpen reports whether the hearing h has not ended on the day of
// t: requested and not yet held, or held with the operator's submissions
// still due.
func hearingOpen(h *HearingRequest, t time.Time) bool {
	return h != nil && (h.HeldAt.IsZero() || !after(t, h.SubmissionsDue))
}

func (s *step) requestHearing() error {
	a, ev := s.from, s.ev
	if slices.Contains(closed, a.Status) && (a.Appeal == nil || a.Appeal.Phase != AppealLodged) {
		return s.fail("hearing-subject", ErrInvalidTransition, "nothing to be heard on: no examination, authorization or pending appeal")
	}
	if hearingOpen(a.Hearing, ev.At) {
		return s.fail("hearing-open", ErrInvalidTransition, "a hearing requested on %s has not ended", day(a.Hearing.RequestedAt))
	}
	s.next.Hearing = &HearingRequest{RequestedAt: ev.At, ScheduleDue: s.deadline(s.l.cfg.Hearings.ScheduleWithin, ev.At)}
	return nil
}

func (s *step) scheduleHearing() error {
	h, ev := s.from.Hearing, s.ev
	switch {
	case h == nil || !h.HeldAt.IsZero():
		return s.fail("hearing-requested", ErrInvalidTransition, "no hearing is requested")
	case !h.ScheduledAt.IsZero():
		return s.fail("hearing-requested", ErrInvalidTransition, "the hearing is scheduled for %s", day(h.On))
	case ev.HearingOn.IsZero():
		return s.fail("event.hearing_on", ErrInvalidEvent, "name the day of the hearing")
	case calendar.Date(ev.HearingOn).Before(calendar.Date(ev.At)):
		return s.fail("event.hearing_on", ErrInvalidEvent, "the hearing cannot be scheduled for %s, before the day it is scheduled", day(ev.HearingOn))
	}
	// Scheduling late is recorded all the same: the deadline binds
	// Customs, and Due shows it overdue; refusing the act would help
	// nobody.
	s.next.Hearing.ScheduledAt = ev.At
	s.next.Hearing.On = calendar.Date(ev.HearingOn)
	return nil
}

func (s *step) holdHearing() error {
	h, ev := s.from.Hearing, s.ev
	switch {
	case h == nil || h.ScheduledAt.IsZero() || !h.HeldAt.IsZero():
		return s.fail("hearing-scheduled", ErrInvalidTransition, "no hearing is scheduled")
	case calendar.Date(ev.At).Before(h.On):
		return s.fail("hearing-date", ErrEarly, "the hearing is scheduled for %s", day(h.On))
	}
	if err := s.needEvidence(); err != nil {
		return err
	}
	s.next.Hearing.HeldAt = ev.At
	s.next.Hearing.SubmissionsDue = s.deadline(s.l.cfg.Hearings.SubmissionsAfter, ev.At)
	return nil
}

func (s *step) hearingSubmission() error {
	h, ev := s.from.Hearing, s.ev
	if h == nil || h.HeldAt.IsZero() {
		return s.fail("hearing-held", ErrInvalidTransition, "no hearing has been held")
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	if after(ev.At, h.SubmissionsDue) {
		return s.fail("hearings.submissions_after", ErrLate, "further arguments were due by %s", day(h.SubmissionsDue))
	}
	s.next.Hearing = nil
	return nil
}
