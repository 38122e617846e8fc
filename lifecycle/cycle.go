package lifecycle

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
)

// The treatment cycle of trusted traders: "Ten practical steps to set up
// a sustainable treatment programme for Trusted Traders" (WCO AEO
// Implementation Guidance, Annex 3). Steps 1 to 8 build the trader's file
// (TT-file) and the risk analysis: gather what is known, analyse it,
// process it into the file, change the method of control for a while,
// re-analyse, prepare an audit, carry it out, analyse everything after it.
// Steps 9 and 10 draw up the control programme and the plan of treatment,
// which package risk computes (Model.Plan); the cycle records that they
// were drawn up. "It is very important for the 10 steps to be regularly
// repeated": after the plan of treatment a new cycle starts.
//
// Each step is a control_step event (Event.Step) by an officer, in the
// audit trail with its date, its officer and its evidence. Steps come in
// order; a step may be recorded again (several partial audits), a step
// the programme skips (control_cycle.skip) is passed over, and a new
// cycle may start before the last one ends only with reasons.
// control_cycle.within sets the time each step may take, counted from
// the step before (the first from the grant, or from control_cycle.repeat
// after the last plan of treatment), and the next step is on the work
// queue with its due date.

// ControlStep is a step of the treatment cycle. The zero value,
// StepNone, is no step.
type ControlStep uint8

// The ten steps of Annex 3.
const (
	StepNone ControlStep = iota
	// StepTraderFile: step 1, what is known about the trader is gathered
	// (its goods, procedures, revenue interest, the results of controls,
	// its reputation with the tax department and other agencies) and the
	// trader's file opened.
	StepTraderFile
	// StepAnalysis: step 2, the information and the controls so far are
	// analysed: a first, rough risk analysis.
	StepAnalysis
	// StepFileProcessed: step 3, the information is processed
	// systematically into the trader's file.
	StepFileProcessed
	// StepControlChanged: step 4, the method of control is changed for a
	// period (three months in Annex 3; control_cycle.changed_control).
	StepControlChanged
	// StepReanalysis: step 5, the results of the changed controls are
	// re-analysed and incorporated in the file.
	StepReanalysis
	// StepAuditPrepared: step 6, an audit is prepared: what will be
	// examined.
	StepAuditPrepared
	// StepAuditDone: step 7, the audit is carried out; its report is the
	// event's evidence.
	StepAuditDone
	// StepAuditReport: step 8, all the information is analysed after the
	// audit and incorporated in the file: the complete picture of the
	// trader and its risks.
	StepAuditReport
	// StepControlProgramme: step 9, the control programme is drawn up:
	// which controls address the risks, how often and by whom.
	StepControlProgramme
	// StepTreatmentPlan: step 10, the plan of treatment is drawn up: which
	// risks are covered with the staff available. It closes the cycle.
	StepTreatmentPlan

	numSteps = iota
)

var stepNames = [...]string{
	"none", "trader_file", "analysis", "file_processed", "control_changed", "reanalysis",
	"audit_prepared", "audit_done", "audit_report", "control_programme", "treatment_plan",
}

// String returns s as text.
func (s ControlStep) String() string { return enumString(stepNames[:], uint8(s), "ControlStep") }

// MarshalText encodes s as its token, e.g. "audit_prepared".
func (s ControlStep) MarshalText() ([]byte, error) {
	return enumMarshal(stepNames[:], uint8(s), "control step")
}

// UnmarshalText decodes a token written by MarshalText.
func (s *ControlStep) UnmarshalText(b []byte) error {
	v, err := enumParse(stepNames[:], b, "control step")
	*s = ControlStep(v)
	return err
}

// Number returns the step's number in Annex 3, 1 to 10; 0 for StepNone.
func (s ControlStep) Number() int { return int(s) }

// ControlCycleRules set the time rules of the treatment cycle. The zero
// value sets none: the steps are tracked, in order, without deadlines.
type ControlCycleRules struct {
	// Within sets, by step (trader_file, analysis, ...), the time to
	// record it, counted from the step before; for trader_file, from the
	// grant (or, in a later cycle, see Repeat).
	Within map[string]calendar.Period `json:"within,omitempty"`
	// ChangedControl: how long the changed method of control of step 4
	// runs (Annex 3: "for a period of three months"). The re-analysis
	// (step 5) is refused before it ends, and its Within counts from its
	// end.
	ChangedControl calendar.Period `json:"changed_control,omitzero"`
	// Repeat: time from the plan of treatment to the first step of the
	// next cycle (Annex 3: the ten steps "regularly repeated").
	Repeat calendar.Period `json:"repeat,omitzero"`
	// Skip lists the steps the programme does not take; the cycle passes
	// over them. trader_file and treatment_plan cannot be skipped.
	Skip []ControlStep `json:"skip,omitempty"`
}

func (r ControlCycleRules) fields(period func(key string, p calendar.Period), value func(key, v string)) {
	for s := StepTraderFile; s < numSteps; s++ {
		if p, ok := r.Within[s.String()]; ok {
			period("control_cycle.within."+s.String(), p)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.Within)) {
		if _, ok := parseStep(k); !ok {
			period("control_cycle.within."+k, r.Within[k])
		}
	}
	period("control_cycle.changed_control", r.ChangedControl)
	period("control_cycle.repeat", r.Repeat)
	for i, s := range r.Skip {
		value(diag.Index("control_cycle.skip", i), s.String())
	}
}

func (r ControlCycleRules) validate(l *diag.List) {
	for _, k := range slices.Sorted(maps.Keys(r.Within)) {
		if _, ok := parseStep(k); !ok {
			l.Add("control_cycle.within."+k, "unknown step %q; want one of %s", k, strings.Join(stepNames[1:], ", "))
		}
	}
	seen := map[ControlStep]bool{}
	for i, s := range r.Skip {
		key := diag.Index("control_cycle.skip", i)
		switch {
		case s == StepNone || s >= numSteps:
			l.Add(key, "want one of %s", strings.Join(stepNames[1:], ", "))
		case s == StepTraderFile || s == StepTreatmentPlan:
			l.Add(key, "%s opens or closes the cycle and cannot be skipped", s)
		case seen[s]:
			l.Add(key, "%s listed twice", s)
		}
		seen[s] = true
		if _, ok := r.Within[s.String()]; ok {
			l.Add("control_cycle.within."+s.String(), "a time for %s, which control_cycle.skip skips", s)
		}
	}
	if !r.ChangedControl.IsZero() && slices.Contains(r.Skip, StepControlChanged) {
		l.Add("control_cycle.changed_control", "a period for the changed method of control, which control_cycle.skip skips")
	}
}

func parseStep(s string) (ControlStep, bool) {
	var st ControlStep
	if err := st.UnmarshalText([]byte(s)); err != nil || st == StepNone {
		return StepNone, false
	}
	return st, true
}

// A ControlCycle is where an operator stands in the treatment cycle:
// the current cycle's steps so far, and the step due next.
type ControlCycle struct {
	// Cycle counts the cycles, 1 for the first.
	Cycle int `json:"cycle"`
	// Steps are the current cycle's steps, in order; the audit trail
	// keeps those of earlier cycles.
	Steps []StepRecord `json:"steps,omitempty"`
	// ChangedUntil is the last day of the changed method of control (step
	// 4), when control_cycle.changed_control is set.
	ChangedUntil time.Time `json:"changed_until,omitzero"`
	// Next is the step due next, NextFrom the first day it may be recorded
	// (the end of the changed method of control, for the re-analysis) and
	// NextDue its deadline, set by NextRule; NextDue is zero when the
	// programme sets no time for it.
	Next     ControlStep `json:"next,omitempty"`
	NextFrom time.Time   `json:"next_from,omitzero"`
	NextDue  time.Time   `json:"next_due,omitzero"`
	NextRule string      `json:"next_rule,omitempty"`
}

// A StepRecord is one step of the treatment cycle as recorded.
type StepRecord struct {
	Step     ControlStep `json:"step"`
	At       time.Time   `json:"at"`
	Officer  string      `json:"officer"`
	Evidence []string    `json:"evidence,omitempty"`
}

// Last returns the latest step recorded in the current cycle, or
// StepNone.
func (c *ControlCycle) Last() StepRecord {
	if c == nil || len(c.Steps) == 0 {
		return StepRecord{}
	}
	return c.Steps[len(c.Steps)-1]
}

func (c ControlCycle) clone() ControlCycle {
	c.Steps = slices.Clone(c.Steps)
	for i := range c.Steps {
		c.Steps[i].Evidence = slices.Clone(c.Steps[i].Evidence)
	}
	return c
}

func (c *ControlCycle) normalize() {
	c.Steps = nilIfEmpty(c.Steps)
	for i := range c.Steps {
		c.Steps[i].Evidence = nilIfEmpty(c.Steps[i].Evidence)
	}
}

// after returns the step that follows s in the programme's cycle, or
// StepNone after the plan of treatment.
func (r ControlCycleRules) after(s ControlStep) ControlStep {
	for n := s + 1; n < numSteps; n++ {
		if !slices.Contains(r.Skip, n) {
			return n
		}
	}
	return StepNone
}

func (s *step) controlStep() error {
	ev, r := s.ev, s.l.cfg.ControlCycle
	st := ev.Step
	if st == StepNone || st >= numSteps {
		return s.fail("event.step", ErrInvalidEvent, "name the step of the treatment cycle: one of %s", strings.Join(stepNames[1:], ", "))
	}
	if slices.Contains(r.Skip, st) {
		return s.fail("control_cycle.skip", ErrInvalidEvent, "the programme skips %s", st)
	}
	c := s.from.Control
	last := c.Last().Step
	fresh := c == nil || len(c.Steps) == 0
	complete := last == StepTreatmentPlan
	switch {
	case st == last:
		// A step recorded again: a further partial audit, say.
	case st == StepTraderFile && (fresh || complete):
	case st == StepTraderFile:
		// A new cycle before the last one ends: the trader started other
		// activities, the law changed. Say why.
		if !hasText(ev.Reasons) {
			return s.fail("reasons", ErrNoReasons, "a new cycle before the plan of treatment of cycle %d must state its reasons", c.Cycle)
		}
	case fresh || complete:
		return s.fail("control-cycle-order", ErrInvalidTransition, "a cycle starts with %s", StepTraderFile)
	case st != r.after(last):
		return s.fail("control-cycle-order", ErrInvalidTransition, "%s follows %s; the next step is %s", st, last, r.after(last))
	}
	if st == StepAuditDone && !hasText(ev.Evidence) {
		return s.fail("evidence", ErrNoReasons, "the audit's report is the evidence of %s", st)
	}
	if st == StepReanalysis && c != nil && !c.ChangedUntil.IsZero() && !after(ev.At, c.ChangedUntil) {
		return s.fail("control_cycle.changed_control", ErrEarly, "the changed method of control runs until %s", day(c.ChangedUntil))
	}
	var next ControlCycle
	switch {
	case st == StepTraderFile && st != last:
		cycle := 0
		if c != nil {
			cycle = c.Cycle
		}
		next = ControlCycle{Cycle: cycle + 1}
	default:
		next = c.clone()
	}
	next.Steps = append(next.Steps, StepRecord{Step: st, At: ev.At, Officer: ev.Actor, Evidence: slices.Clone(ev.Evidence)})
	if st == StepControlChanged {
		next.ChangedUntil = s.deadline(r.ChangedControl, ev.At)
	}
	next.Next, next.NextFrom, next.NextDue, next.NextRule = StepNone, time.Time{}, time.Time{}, ""
	if n := r.after(st); n != StepNone {
		next.Next = n
		from := ev.At
		if n == StepReanalysis && !next.ChangedUntil.IsZero() {
			next.NextFrom = next.ChangedUntil.AddDate(0, 0, 1)
			from = next.ChangedUntil
		}
		next.NextRule = "control_cycle.within." + n.String()
		next.NextDue = s.deadline(r.Within[n.String()], from)
	} else if !r.Repeat.IsZero() {
		next.Next = StepTraderFile
		next.NextRule = "control_cycle.repeat"
		next.NextDue = s.deadline(r.Repeat, ev.At)
	}
	s.next.Control = &next
	return nil
}

// startCycle puts the first step of the treatment cycle on the work
// queue when a grant makes the operator a trusted trader and no cycle
// has started.
func (s *step) startCycle() {
	if s.next.Control != nil {
		return
	}
	p, ok := s.l.cfg.ControlCycle.Within[StepTraderFile.String()]
	if !ok || p.IsZero() {
		return
	}
	s.next.Control = &ControlCycle{
		Next:     StepTraderFile,
		NextDue:  s.deadline(p, s.ev.At),
		NextRule: "control_cycle.within." + StepTraderFile.String(),
	}
}

// cycleDue adds the step of the treatment cycle due on a.
func cycleDue(a *Authorization, add func(DueItem)) {
	c := a.Control
	if c == nil || c.Next == StepNone || c.NextDue.IsZero() || !(a.Status.held() || a.Status == StatusExamination) {
		return
	}
	add(DueItem{Kind: DueControlStep, Rule: c.NextRule, Step: c.Next, Due: c.NextDue, From: c.NextFrom})
}
