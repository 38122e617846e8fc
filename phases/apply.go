package phases

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Apply returns the state that follows from applying ev, which happened at
// at, to s. Apply has no side effects: it never modifies s (the result shares
// no maps or slices with it), and callers persist the result.
//
// Apply refuses an event by returning s unchanged with an error:
//   - [ErrInvalidPlan] if p is nil or empty, [ErrInvalidState] if s cannot
//     belong to p, [ErrInvalidEvent] if ev or at is malformed;
//   - [ErrOutOfOrder] if at is before s.Updated or the event comes too early
//     (see the sentinel's documentation);
//   - [ErrUnknownTask], [ErrUnknownMilestone], [ErrUnknownBenefit] or
//     [ErrUnknownIndicator] for an ID the plan does not define, and
//     [ErrDuplicate] for one already recorded;
//   - a [*GateError] if an admission breaks the pilot limits or the order of
//     the waves, if a benefit comes before an earlier stage is complete, or if
//     AdvancePhase is applied while a gate of the current phase is blocked.
//     When several gates are blocked the error joins one *GateError per gate.
func (p *Plan) Apply(s State, ev Event, at time.Time) (State, error) {
	if !p.usable() {
		return s, fmt.Errorf("phases: apply with a nil or empty plan: %w", ErrInvalidPlan)
	}
	if err := p.checkState(&s); err != nil {
		return s, err
	}
	if err := checkDate(at); err != nil {
		return s, err
	}
	if at.Before(s.Updated) {
		return s, fmt.Errorf("phases: %v dated %s, before the latest event (%s): %w", ev.Kind, day(at), day(s.Updated), ErrOutOfOrder)
	}
	if err := checkFields(ev); err != nil {
		return s, err
	}
	next := s.clone()
	var err error
	switch ev.Kind {
	case TaskDone:
		err = p.taskDone(&next, ev.ID, at)
	case MilestoneReached:
		err = p.milestoneReached(&next, ev.ID, at)
	case EvaluationHeld:
		err = p.evaluationHeld(&next, at)
	case OperatorsAdmitted:
		err = p.operatorsAdmitted(&next, ev.Operators, at)
	case BenefitIntroduced:
		err = p.benefitIntroduced(&next, ev.ID, at)
	case IndicatorRecorded:
		err = p.indicatorRecorded(&next, ev.ID, ev.Value, at)
	case ProgrammeLoaded:
		err = programmeLoaded(&next, ev.Programme, at)
	case AdvancePhase:
		err = p.advance(&next, at)
	}
	if err != nil {
		return s, err
	}
	next.Updated = at
	return next, nil
}

// checkState reports why s cannot be a state of p, or nil.
func (p *Plan) checkState(s *State) error {
	n := len(p.cfg.Phases)
	ph := max(s.Phase, 1)
	switch {
	case s.Phase < 0 || s.Phase > n:
		return fmt.Errorf("phases: state in phase %d, plan has phases 1 to %d: %w", s.Phase, n, ErrInvalidState)
	case len(s.Left) != ph-1 && !(ph == n && len(s.Left) == n):
		return fmt.Errorf("phases: state in phase %d records %d phases left: %w", ph, len(s.Left), ErrInvalidState)
	}
	// Due dates and wave openings are derived from these dates; keep them
	// where the derived dates can still be encoded.
	if !s.PilotStart.IsZero() && checkDate(s.PilotStart) != nil {
		return fmt.Errorf("phases: state pilot start %v unusable: %w", s.PilotStart, ErrInvalidState)
	}
	for _, op := range s.Operators {
		if checkDate(op.Admitted) != nil {
			return fmt.Errorf("phases: state operator %q admission date %v unusable: %w", op.Operator.ID, op.Admitted, ErrInvalidState)
		}
	}
	return nil
}

// completed reports whether every phase of p has been left in s.
func (p *Plan) completed(s *State) bool { return len(s.Left) >= len(p.cfg.Phases) }

// checkFields reports an event whose fields do not fit its kind.
func checkFields(ev Event) error {
	if ev.Kind == UnknownEvent || int(ev.Kind) >= len(eventKindNames) {
		return fmt.Errorf("phases: event kind %v: %w", ev.Kind, ErrInvalidEvent)
	}
	takesID := ev.Kind == TaskDone || ev.Kind == MilestoneReached || ev.Kind == BenefitIntroduced || ev.Kind == IndicatorRecorded
	var why string
	switch {
	case takesID && ev.ID == "":
		why = "needs an ID"
	case !takesID && ev.ID != "":
		why = "takes no ID"
	case ev.Kind != IndicatorRecorded && ev.Value != 0:
		why = "takes no value"
	case ev.Kind == IndicatorRecorded && (math.IsNaN(ev.Value) || math.IsInf(ev.Value, 0)):
		why = "needs a finite value"
	case ev.Kind == OperatorsAdmitted && len(ev.Operators) == 0:
		why = "needs operators"
	case ev.Kind != OperatorsAdmitted && len(ev.Operators) != 0:
		why = "takes no operators"
	case ev.Kind == ProgrammeLoaded && ev.Programme == nil:
		why = "needs a programme"
	case ev.Kind != ProgrammeLoaded && ev.Programme != nil:
		why = "takes no programme"
	default:
		return nil
	}
	return fmt.Errorf("phases: %v %s: %w", ev.Kind, why, ErrInvalidEvent)
}

func (p *Plan) taskDone(s *State, id string, at time.Time) error {
	r, ok := p.tasks[id]
	switch {
	case !ok:
		return fmt.Errorf("phases: task-done %q: %w", id, ErrUnknownTask)
	case r.phase > s.Phase:
		return fmt.Errorf("phases: task-done %q: task of phase %d, current phase is %d: %w", id, r.phase, s.Phase, ErrOutOfOrder)
	}
	if _, dup := s.Tasks[id]; dup {
		return fmt.Errorf("phases: task-done %q: done on %s: %w", id, day(s.Tasks[id]), ErrDuplicate)
	}
	put(&s.Tasks, id, at)
	return nil
}

func (p *Plan) milestoneReached(s *State, id string, at time.Time) error {
	r, ok := p.milestones[id]
	switch {
	case !ok:
		return fmt.Errorf("phases: milestone-reached %q: %w", id, ErrUnknownMilestone)
	case r.phase > s.Phase:
		return fmt.Errorf("phases: milestone-reached %q: milestone of phase %d, current phase is %d: %w", id, r.phase, s.Phase, ErrOutOfOrder)
	}
	if _, dup := s.Milestones[id]; dup {
		return fmt.Errorf("phases: milestone-reached %q: reached on %s: %w", id, day(s.Milestones[id]), ErrDuplicate)
	}
	put(&s.Milestones, id, at)
	if id == p.cfg.Pilot.StartMilestone {
		s.PilotStart = at
	}
	return nil
}

func (p *Plan) evaluationHeld(s *State, at time.Time) error {
	if s.PilotStart.IsZero() {
		return fmt.Errorf("phases: evaluation-held before the pilot starts (milestone %q): %w", p.cfg.Pilot.StartMilestone, ErrOutOfOrder)
	}
	s.Evaluations = append(s.Evaluations, at)
	return nil
}

func (p *Plan) operatorsAdmitted(s *State, ops []Operator, at time.Time) error {
	pl := &p.cfg.Pilot
	if s.Phase < pl.Phase {
		return fmt.Errorf("phases: operators-admitted in phase %d, before the pilot phase %d: %w", s.Phase, pl.Phase, ErrOutOfOrder)
	}
	pilot := s.Phase < pl.EnlargementPhase
	nPilot := 0
	for _, op := range s.Operators {
		if op.Pilot {
			nPilot++
		}
	}
	for _, op := range ops {
		switch {
		case op.ID == "":
			return fmt.Errorf("phases: operators-admitted: operator without an ID: %w", ErrInvalidEvent)
		case op.Type == UnknownType || int(op.Type) >= len(operatorTypeNames):
			return fmt.Errorf("phases: operators-admitted %q: invalid type %v: %w", op.ID, op.Type, ErrInvalidEvent)
		case op.Size == UnknownSize || int(op.Size) >= len(sizeNames):
			return fmt.Errorf("phases: operators-admitted %q: invalid size %v: %w", op.ID, op.Size, ErrInvalidEvent)
		}
		if slices.ContainsFunc(s.Operators, func(a AdmittedOperator) bool { return a.Operator.ID == op.ID }) {
			return fmt.Errorf("phases: operators-admitted %q: %w", op.ID, ErrDuplicate)
		}
		gate := func(g GateKind, format string, args ...any) error {
			return &GateError{Phase: s.Phase, Gate: g, Reason: fmt.Sprintf(format, args...)}
		}
		w := p.waveOf[op.Type]
		if w == 0 {
			return gate(GateAdmission, "operator %q: type %v is in no admission wave", op.ID, op.Type)
		}
		if opens, open := p.waveOpens(s, w); !open {
			return gate(GateAdmission, "operator %q: wave %d (%s) follows wave %d (%s), which has no operator yet",
				op.ID, w, p.waveTypes(w), w-1, p.waveTypes(w-1))
		} else if at.Before(opens) {
			return gate(GateAdmission, "operator %q: wave %d (%s) opens on %s, %d months after the first operator of wave %d",
				op.ID, w, p.waveTypes(w), day(opens), p.cfg.Admission.IntervalMonths, w-1)
		}
		if pilot {
			if pl.Volunteers && !op.Volunteer {
				return gate(GatePilot, "operator %q is not a volunteer; pilot operators must volunteer", op.ID)
			}
			if nPilot++; nPilot > pl.MaxOperators {
				return gate(GatePilot, "operator %q would be pilot operator %d; the pilot takes at most %d", op.ID, nPilot, pl.MaxOperators)
			}
		}
		s.Operators = append(s.Operators, AdmittedOperator{Operator: op, Admitted: at, Phase: s.Phase, Pilot: pilot})
	}
	return nil
}

func (p *Plan) benefitIntroduced(s *State, id string, at time.Time) error {
	i, ok := p.benefits[id]
	if !ok {
		return fmt.Errorf("phases: benefit-introduced %q: %w", id, ErrUnknownBenefit)
	}
	if _, dup := s.Benefits[id]; dup {
		return fmt.Errorf("phases: benefit-introduced %q: introduced on %s: %w", id, day(s.Benefits[id]), ErrDuplicate)
	}
	if len(s.Operators) == 0 {
		return fmt.Errorf("phases: benefit-introduced %q: no operator admitted to receive it: %w", id, ErrOutOfOrder)
	}
	stage := p.cfg.Benefits[i].Stage
	var open []string
	for _, b := range p.cfg.Benefits {
		if _, ok := s.Benefits[b.ID]; !ok && b.Stage < stage {
			open = append(open, b.ID)
		}
	}
	if len(open) > 0 {
		return &GateError{Phase: s.Phase, Gate: GateBenefits, Reason: fmt.Sprintf(
			"benefit %q is of stage %d; earlier stages are not complete: %s not introduced", id, stage, strings.Join(open, ", "))}
	}
	put(&s.Benefits, id, at)
	return nil
}

func (p *Plan) indicatorRecorded(s *State, id string, v float64, at time.Time) error {
	r, ok := p.indicators[id]
	if !ok {
		return fmt.Errorf("phases: indicator-recorded %q: %w", id, ErrUnknownIndicator)
	}
	if m := p.cfg.Phases[r.phase-1].Indicators[r.index].Measure; m != Recorded {
		return fmt.Errorf("phases: indicator-recorded %q: computed (%v), not recorded: %w", id, m, ErrUnknownIndicator)
	}
	put(&s.Indicators, id, Measurement{Value: v, On: at})
	return nil
}

// programmeLoaded records the sections prog defines. Sections is the
// caller's code, so a panic in it (say, from a nil *aeo.Programme) is turned
// into an error rather than crossing Apply.
func programmeLoaded(s *State, prog Programme, at time.Time) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("phases: programme-loaded: Sections panicked: %v: %w", r, ErrInvalidEvent)
		}
	}()
	var secs []string
	for _, sec := range prog.Sections() {
		if sec != "" {
			secs = append(secs, sec)
		}
	}
	slices.Sort(secs)
	s.Programme = &ProgrammeRecord{Loaded: at, Sections: slices.Compact(secs)}
	if o, ok := prog.(Obligations); ok {
		for _, ob := range o.OpenObligations() {
			if strings.TrimSpace(ob) != "" {
				s.Programme.Open = append(s.Programme.Open, ob)
			}
		}
	}
	return nil
}

func (p *Plan) advance(s *State, at time.Time) error {
	if p.completed(s) {
		return fmt.Errorf("phases: advance-phase: all %d phases are done: %w", len(p.cfg.Phases), ErrOutOfOrder)
	}
	var blocked []error
	for _, g := range p.cfg.Phases[s.Phase-1].Gates {
		if why := p.checkGate(s.Phase, g, s); why != "" {
			blocked = append(blocked, &GateError{Phase: s.Phase, Gate: g.Kind, Reason: why})
		}
	}
	switch len(blocked) {
	case 0:
	case 1:
		return blocked[0]
	default:
		return errors.Join(blocked...)
	}
	s.Left = append(s.Left, at)
	if s.Phase < len(p.cfg.Phases) {
		s.Phase++
	}
	return nil
}
