package lifecycle

import "strings"

// The Customs client coordinator (WCO AEO Implementation Guidance,
// Annex 4): the operator's single contact point in Customs. For good
// governance the coordinator rotates after a period, with a mentoring
// overlap; holds no shares in the operator; has decisions on the operator
// evaluated by colleagues; and is never a party to the operator's
// objections and appeals. The lifecycle enforces these as:
//
//   - coordinator-interest: an officer who declared an interest in the
//     operator (Event.Interest) is not assigned;
//   - coordinator-not-approver: the coordinator, or the mentor during the
//     overlap, does not approve a grant, refusal, revocation or
//     annulment (see step.fourEyes);
//   - coordinator-not-party: the coordinator, or the mentor during the
//     overlap, does not rule on the operator's appeals (see step.rule);
//   - coordinator.rotation and coordinator.mentoring: the rotation and the
//     end of mentoring appear in [Machine.Due];
//   - coordinator.capacity: an assignment that would take the
//     coordinator's portfolio beyond the capacity is refused (see
//     portfolio.go).

func (s *step) coordinatorNamed() error {
	ev := s.ev
	if strings.TrimSpace(ev.Coordinator) == "" {
		return s.fail("event.coordinator", ErrInvalidEvent, "name the officer assigned as coordinator")
	}
	if ev.Interest {
		return s.fail("coordinator-interest", ErrConflictOfInterest,
			"%s declared an interest in the operator and cannot be its coordinator (Annex 4)", ev.Coordinator)
	}
	return nil
}

func (s *step) assignCoordinator() error {
	if c := s.from.Coordinator; c != nil {
		return s.fail("coordinator-assigned", ErrInvalidTransition, "%s is the coordinator; rotate instead", c.Officer)
	}
	if err := s.coordinatorNamed(); err != nil {
		return err
	}
	w, err := s.checkCapacity()
	if err != nil {
		return err
	}
	s.next.Coordinator = &ClientCoordinator{
		Officer:     s.ev.Coordinator,
		Since:       s.ev.At,
		RotationDue: s.deadline(s.l.cfg.Coordinator.Rotation, s.ev.At),
		Weight:      w,
	}
	return nil
}

func (s *step) rotateCoordinator() error {
	c := s.from.Coordinator
	if c == nil {
		return s.fail("coordinator-assigned", ErrInvalidTransition, "no coordinator is assigned; assign one first")
	}
	if err := s.coordinatorNamed(); err != nil {
		return err
	}
	if s.ev.Coordinator == c.Officer {
		return s.fail("event.coordinator", ErrInvalidEvent, "%s is already the coordinator", c.Officer)
	}
	w, err := s.checkCapacity()
	if err != nil {
		return err
	}
	next := &ClientCoordinator{
		Officer:     s.ev.Coordinator,
		Since:       s.ev.At,
		RotationDue: s.deadline(s.l.cfg.Coordinator.Rotation, s.ev.At),
		Weight:      w,
	}
	if m := s.l.cfg.Coordinator.Mentoring; !m.IsZero() {
		next.Mentor = c.Officer
		next.MentorUntil = s.deadline(m, s.ev.At)
	}
	s.next.Coordinator = next
	return nil
}
