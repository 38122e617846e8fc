package lifecycle

import (
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// The appeal track (RKC General Annex Chapter 10): reasons on request
// (10.3), an appeal to Customs (10.4), then to an independent authority
// (10.5), then to a court (10.6); each lodged in writing with grounds
// (10.7) within a window (10.8); rulings with reasons and notice of the
// further appeal (10.11); an allowed appeal given effect (10.12). A missed
// decision deadline is itself appealable (10.2: "omission").

// reviewChain returns the review stages of the programme, in order: those
// it lists, or the RKC chain when it lists none.
func (l *Machine) reviewChain() []AppealStage {
	if len(l.review) == 0 {
		return []AppealStage{StageCustomsReview, StageIndependentReview, StageJudicial}
	}
	out := make([]AppealStage, len(l.review))
	for i, j := range l.review {
		out[i] = l.cfg.Appeal.Stages[j].Stage
	}
	return out
}

// final reports whether st is the last review stage.
func (l *Machine) final(st AppealStage) bool {
	chain := l.reviewChain()
	return chain[len(chain)-1] == st
}

// target returns the decision the event appeals: the latest appealable
// decision, or the omission of a decision whose deadline has passed.
func (s *step) target() (AppealableDecision, error) {
	a, ev := s.from, s.ev
	switch ev.Against {
	case DecisionOmission:
		var missed time.Time
		switch {
		case a.Status == StatusExamination && after(ev.At, a.DecisionDue):
			missed = a.DecisionDue
		case a.Status == StatusLodged && after(ev.At, a.AcceptanceDue):
			missed = a.AcceptanceDue
		default:
			return AppealableDecision{}, s.fail("nothing-to-appeal", ErrInvalidTransition, "no deadline for a decision has passed")
		}
		return AppealableDecision{Kind: DecisionOmission, At: missed, Effective: missed, Seq: a.Seq}, nil
	case DecisionNone:
		if a.Decision == nil {
			return AppealableDecision{}, s.fail("nothing-to-appeal", ErrInvalidTransition, "there is no appealable decision")
		}
	default:
		if a.Decision == nil || a.Decision.Kind != ev.Against {
			latest := "none"
			if a.Decision != nil {
				latest = a.Decision.Kind.String()
			}
			return AppealableDecision{}, s.fail("nothing-to-appeal", ErrInvalidTransition,
				"no %s to appeal; the latest appealable decision is %s", ev.Against, latest)
		}
	}
	return a.Decision.clone(), nil
}

func (s *step) notExcluded(d AppealableDecision) error {
	if !s.l.cfg.appealable(d.Kind) {
		return s.fail("appeal.excluded", ErrNotPermitted, "the programme provides no appeal against a %s", d.Kind)
	}
	return nil
}

// lodgedLate checks that the event falls within window, counted from base.
func (s *step) lodgedLate(rule string, window calendar.Period, base time.Time) error {
	if end := s.deadline(window, base); after(s.ev.At, end) {
		return s.fail(rule, ErrLate, "the window of %s from %s ended on %s", window, day(base), day(end))
	}
	return nil
}

func (s *step) requestReasons() error {
	d, err := s.target()
	if err != nil {
		return err
	}
	if cur := s.from.Appeal; cur != nil && cur.Decision.same(d) {
		return s.fail("appeal-stage-order", ErrInvalidTransition, "the %s was already taken to %s", d.Kind, cur.Stage)
	}
	if err := s.notExcluded(d); err != nil {
		return err
	}
	rule, _ := s.l.stage(StageRequestReasons)
	if err := s.lodgedLate(s.l.stageKey(StageRequestReasons, "window"), rule.Window, d.At); err != nil {
		return err
	}
	s.next.Appeal = &AppealState{
		Decision:           d,
		Phase:              AppealReasonsRequested,
		Stage:              StageRequestReasons,
		ReasonsRequestedAt: s.ev.At,
		ReasonsDue:         s.deadline(rule.DecisionDeadline, s.ev.At),
	}
	return nil
}

func (s *step) giveReasons() error {
	if err := s.needReasons(); err != nil {
		return err
	}
	s.next.Appeal.Phase = AppealReasonsGiven
	s.next.Appeal.ReasonsGivenAt = s.ev.At
	return nil
}

// lodgeInformal lodges a request for the informal review of a decision
// the programme opens only to it: within its window from the decision
// (or from the reasons given), once.
func (s *step) lodgeInformal() error {
	ev, cur := s.ev, s.from.Appeal
	var d AppealableDecision
	base := time.Time{}
	if cur != nil && (cur.Phase == AppealReasonsRequested || cur.Phase == AppealReasonsGiven) {
		d = cur.Decision.clone()
		base = d.At
		if cur.Phase == AppealReasonsGiven {
			base = cur.ReasonsGivenAt
		}
	} else {
		var err error
		if d, err = s.target(); err != nil {
			return err
		}
		if cur != nil && cur.Decision.same(d) {
			return s.fail("appeal-exhausted", ErrInvalidTransition, "the %s was already taken to %s (%s)", d.Kind, cur.Stage, cur.Phase)
		}
		base = d.At
	}
	if !s.l.cfg.informal(d.Kind) {
		return s.fail("appeal.informal_review", ErrNotPermitted, "a %s is appealed at the programme's appeal stages, not by informal review", d.Kind)
	}
	r := s.l.cfg.Appeal.InformalReview
	if err := s.lodgedLate("appeal.informal_review.window", r.Window, base); err != nil {
		return err
	}
	next := &AppealState{Decision: d, Phase: AppealLodged, Stage: StageInformalReview, LodgedAt: ev.At,
		DecisionDue: s.deadline(r.DecisionDeadline, ev.At)}
	if cur != nil && cur.Decision.same(d) {
		next.ReasonsRequestedAt, next.ReasonsGivenAt = cur.ReasonsRequestedAt, cur.ReasonsGivenAt
	}
	s.next.Appeal = next
	return nil
}

// window returns the window of the first review stage for an appeal
// against d, and its programme-file key: a separate certificate's own
// window, the window for d's kind, or the stage's.
func (s *step) window(d AppealableDecision, stage AppealStageRule) (calendar.Period, string) {
	kind := d.Kind.String()
	if types := s.from.typeNames(); len(types) == 1 {
		if cr, ok := s.l.cfg.Certificates[types[0]]; ok {
			if w, ok := cr.AppealWindows[kind]; ok {
				return w, "certificates." + types[0] + ".appeal_windows." + kind
			}
		}
	}
	if w, ok := s.l.cfg.Appeal.Windows[kind]; ok {
		return w, "appeal.windows." + kind
	}
	return stage.Window, s.l.stageKey(stage.Stage, "window")
}

func (s *step) lodgeAppeal() error {
	ev := s.ev
	if err := s.needReasons(); err != nil {
		return err
	}
	if ev.Stage == StageInformalReview {
		return s.lodgeInformal()
	}
	chain := s.l.reviewChain()
	pos := slices.Index(chain, ev.Stage)
	if pos < 0 {
		names := make([]string, len(chain))
		for i, c := range chain {
			names[i] = c.String()
		}
		return s.fail("event.stage", ErrInvalidEvent, "lodge at one of the programme's stages: %s", strings.Join(names, ", "))
	}
	rule, _ := s.l.stage(ev.Stage)
	cur := s.from.Appeal
	phase := AppealNone
	if cur != nil {
		phase = cur.Phase
	}
	next := &AppealState{Phase: AppealLodged, Stage: ev.Stage, LodgedAt: ev.At, DecisionDue: s.deadline(rule.DecisionDeadline, ev.At)}
	if phase == AppealDismissed && pos > 0 && chain[pos-1] == cur.Stage {
		// A further appeal against the same decision, within the window
		// of this stage from the dismissal.
		if err := s.lodgedLate(s.l.stageKey(ev.Stage, "window"), rule.Window, cur.DecidedAt); err != nil {
			return err
		}
		next.Decision = cur.Decision.clone()
		next.ReasonsRequestedAt, next.ReasonsGivenAt = cur.ReasonsRequestedAt, cur.ReasonsGivenAt
		s.next.Appeal = next
		return nil
	}
	var d AppealableDecision
	base := time.Time{}
	switch phase {
	case AppealReasonsRequested, AppealReasonsGiven:
		d = cur.Decision.clone()
		if ev.Against != DecisionNone && ev.Against != d.Kind {
			return s.fail("nothing-to-appeal", ErrInvalidTransition, "the reasons requested are those of the %s", d.Kind)
		}
		base = d.At
		if phase == AppealReasonsGiven {
			base = cur.ReasonsGivenAt
		}
		next.ReasonsRequestedAt, next.ReasonsGivenAt = cur.ReasonsRequestedAt, cur.ReasonsGivenAt
	default:
		var err error
		if d, err = s.target(); err != nil {
			return err
		}
		if cur != nil && cur.Decision.same(d) {
			if phase == AppealDismissed && !s.l.final(cur.Stage) {
				return s.fail("appeal-stage-order", ErrInvalidTransition, "dismissed at %s; the next stage is %s", cur.Stage, chain[slices.Index(chain, cur.Stage)+1])
			}
			return s.fail("appeal-exhausted", ErrInvalidTransition, "the %s was already appealed, ending at %s (%s)", d.Kind, cur.Stage, cur.Phase)
		}
		base = d.At
	}
	if pos != 0 {
		return s.fail("appeal-stage-order", ErrInvalidTransition, "an appeal is lodged first at %s", chain[0])
	}
	if err := s.notExcluded(d); err != nil {
		return err
	}
	if s.l.cfg.informal(d.Kind) {
		return s.fail("appeal.informal_review", ErrNotPermitted, "a %s is open only to an informal review (stage informal_review)", d.Kind)
	}
	window, key := s.window(d, rule)
	if err := s.lodgedLate(key, window, base); err != nil {
		return err
	}
	next.Decision = d
	s.next.Appeal = next
	return nil
}

// consume marks the decision d as appealed to the end, so that it is no
// longer the target of a new appeal.
func (s *step) consume(d AppealableDecision) {
	if s.next.Decision != nil && s.next.Decision.same(d) {
		s.next.Decision = nil
	}
}

// rule handles allow_appeal and dismiss_appeal.
func (s *step) rule() error {
	a, ev := s.from, s.ev
	cur := a.Appeal
	if want := cur.Stage.Reviewer(); ev.Role != want {
		return s.fail("role", ErrNotPermitted, "a ruling at %s is for the %s, not the %s", cur.Stage, want, ev.Role)
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	if d := cur.Decision; ev.Actor == d.DecidedBy || ev.Actor == d.ApprovedBy {
		return s.fail("reviewer-not-decider", ErrConflictOfInterest, "%s took or approved the %s appealed", ev.Actor, d.Kind)
	}
	if a.Coordinator.party(ev.Actor, ev.At) {
		return s.fail("coordinator-not-party", ErrConflictOfInterest,
			"%s is the operator's client coordinator, who is not a party to its appeals (Annex 4)", ev.Actor)
	}
	ap := s.next.Appeal
	ap.DecidedAt, ap.Reviewer = ev.At, ev.Actor
	if ev.Kind == EventDismissAppeal {
		ap.Phase = AppealDismissed
		chain := s.l.reviewChain()
		if i := slices.Index(chain, cur.Stage); i >= 0 && i+1 < len(chain) {
			rule, _ := s.l.stage(chain[i+1])
			ap.NextWindowEnds = s.deadline(rule.Window, ev.At)
		} else {
			s.consume(cur.Decision)
		}
		return nil
	}
	ap.Phase = AppealAllowed
	s.consume(cur.Decision)
	return s.giveEffect(cur.Decision)
}

func (s *step) withdrawAppeal() error {
	cur := s.from.Appeal
	if cur.Phase == AppealDismissed && (s.l.final(cur.Stage) || cur.Stage == StageInformalReview) {
		return s.fail("appeal-exhausted", ErrInvalidTransition, "the appeal ended at %s; nothing is left to withdraw", cur.Stage)
	}
	s.next.Appeal.Phase = AppealWithdrawn
	s.consume(cur.Decision)
	return nil
}

// giveEffect gives effect to an allowed appeal against d (RKC 10.12): it
// undoes the decision if the authorization still stands as the decision
// left it, per appealEffects. Otherwise the ruling is recorded and the
// state left as it is: Customs then acts on it with the ordinary events.
func (s *step) giveEffect(d AppealableDecision) error {
	n := &s.next
	from := n.Status
	switch d.Kind {
	case DecisionNonAcceptance, DecisionRefusal:
		if (d.Kind == DecisionNonAcceptance && from != StatusNotAccepted) || (d.Kind == DecisionRefusal && from != StatusRefused) {
			return nil
		}
		n.Status = StatusExamination
		if d.Kind == DecisionNonAcceptance {
			n.AcceptedAt = s.ev.At
		}
		n.DecisionDue = s.deadline(s.l.cfg.DecisionDeadline, s.ev.At)
		n.DecisionExtended = false
		n.Bars = slices.DeleteFunc(n.Bars, func(b ReapplicationBar) bool { return b.Seq == d.Seq })
	case DecisionSuspension:
		if !from.held() {
			return nil
		}
		var idx []int
		for _, t := range d.Types {
			if i := n.typeIndex(t.Type); i >= 0 && n.Types[i].Suspended && n.Types[i].SuspendedAt.Equal(d.At) {
				idx = append(idx, i)
			}
		}
		s.liftTypes(idx)
		if from != StatusRevocationProposed {
			n.Status = derive(n.Types)
		}
	case DecisionBenefitDenial:
		n.DeniedBenefits = slices.DeleteFunc(n.DeniedBenefits, func(b BenefitDenial) bool { return b.Seq == d.Seq })
	case DecisionRenewalRefusal:
		if !from.held() || n.Renewal != nil {
			return nil
		}
		v, _ := s.l.cfg.validity(n.typeNames())
		n.Renewal = &Renewal{LodgedAt: s.ev.At, DecisionDue: s.deadline(v.RenewalDecision, s.ev.At)}
	case DecisionRevocation, DecisionAnnulment:
		restorable := from == StatusRevoked && d.Kind == DecisionRevocation ||
			from == StatusAnnulled && d.Kind == DecisionAnnulment ||
			from.held() && d.Kind == DecisionRevocation
		if !restorable {
			return nil
		}
		for _, t := range d.Types {
			if n.typeIndex(t.Type) < 0 {
				n.Types = append(n.Types, t)
			}
		}
		slices.SortFunc(n.Types, func(x, y TypeState) int { return strings.Compare(x.Type, y.Type) })
		n.Bars = slices.DeleteFunc(n.Bars, func(b ReapplicationBar) bool { return b.Seq == d.Seq })
		if from != StatusRevocationProposed {
			n.Status = derive(n.Types)
		}
	}
	if n.Status == from {
		return nil
	}
	for _, e := range appealEffects {
		if e.against == d.Kind && slices.Contains(e.from, from) && slices.Contains(e.to, n.Status) {
			return nil
		}
	}
	return s.fail("state", ErrInvalidTransition, "allowing the appeal would move %s to %s, which the table does not allow; the state given is inconsistent", from, n.Status)
}
