package phases

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// A Report is the progress of an implementation as of a date: per phase the
// done and open tasks, milestones, gates with the reason each is blocked and
// indicators against their targets; then the evaluation schedule, the
// admission waves and the benefits. Lists follow the order of the plan, so
// the output is stable. A Report is plain data with JSON tags, owned by the
// caller (it shares no slices with the plan or the state); [Report.Text]
// renders it for people. The zero Report is empty.
type Report struct {
	Plan       string    `json:"plan"`
	AsOf       time.Time `json:"as_of"`
	Phase      int       `json:"phase"`
	Completed  time.Time `json:"completed,omitzero"`
	PilotStart time.Time `json:"pilot_start,omitzero"`
	// Invalid says why no progress could be reported (an unusable plan or a
	// state that cannot belong to it); the other lists are then empty.
	Invalid string `json:"invalid,omitempty"`
	// Blocking lists the blocked gates of the current phase: what stands
	// between the programme and the next phase.
	Blocking    []GateReport       `json:"blocking,omitempty"`
	Phases      []PhaseReport      `json:"phases,omitempty"`
	Evaluations []EvaluationReport `json:"evaluations,omitempty"`
	Overdue     int                `json:"overdue_evaluations"`
	Waves       []WaveReport       `json:"waves,omitempty"`
	Benefits    []BenefitReport    `json:"benefits,omitempty"`
}

// A PhaseReport is the progress of one phase. Gates of phases already left
// are reported as passed (they held when the phase was left); gates of the
// current and later phases are checked against the state.
type PhaseReport struct {
	Number     int               `json:"number"`
	Name       string            `json:"name"`
	Status     PhaseStatus       `json:"status"`
	Entered    time.Time         `json:"entered,omitzero"` // unknown for phase 1
	Left       time.Time         `json:"left,omitzero"`
	Done       []TaskReport      `json:"done,omitempty"`
	Open       []TaskReport      `json:"open,omitempty"`
	Milestones []MilestoneReport `json:"milestones,omitempty"`
	Gates      []GateReport      `json:"gates,omitempty"`
	Indicators []IndicatorReport `json:"indicators,omitempty"`
}

// A TaskReport is a task and, if done, the date it was done.
type TaskReport struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Owners      []Project `json:"owners,omitempty"`
	Deliverable string    `json:"deliverable,omitempty"`
	Optional    bool      `json:"optional,omitempty"`
	Done        time.Time `json:"done,omitzero"`
}

// A MilestoneReport is a milestone and, if reached, the date.
type MilestoneReport struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Reached time.Time `json:"reached,omitzero"`
}

// A GateReport is the standing of one gate of a phase.
type GateReport struct {
	Phase   int      `json:"phase"`
	Gate    GateKind `json:"gate"`
	Blocked bool     `json:"blocked"`
	Reason  string   `json:"reason,omitempty"`
}

// An IndicatorReport is an indicator's value against its target.
type IndicatorReport struct {
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Unit    string          `json:"unit,omitempty"`
	Measure Measure         `json:"measure"`
	Goal    Goal            `json:"goal"`
	Target  float64         `json:"target,omitempty"`
	Value   float64         `json:"value"`
	On      time.Time       `json:"on,omitzero"` // date of a recorded value
	Status  IndicatorStatus `json:"status"`
}

// An EvaluationReport is one scheduled evaluation.
type EvaluationReport struct {
	Number int              `json:"number"`
	Due    time.Time        `json:"due"`
	Held   time.Time        `json:"held,omitzero"`
	Status EvaluationStatus `json:"status"`
}

// A WaveReport is one admission wave: whether it is open as of the report
// date, when it opens, and how many of its operators are admitted.
type WaveReport struct {
	Wave     int            `json:"wave"`
	Types    []OperatorType `json:"types"`
	Open     bool           `json:"open"`
	Opens    time.Time      `json:"opens,omitzero"` // zero for the first wave, or while the previous wave has no operator
	Admitted int            `json:"admitted"`
	Pilot    int            `json:"pilot"` // of which pilot operators
}

// A BenefitReport is a benefit and, if introduced, the date.
type BenefitReport struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Stage      int       `json:"stage"`
	Introduced time.Time `json:"introduced,omitzero"`
}

// Report returns the progress recorded in s as of asOf, which decides which
// evaluations are overdue and which waves are open. Report never fails: for
// a nil or empty plan, or a state that cannot belong to p, it returns a
// report whose Invalid field says why.
func (p *Plan) Report(s State, asOf time.Time) Report {
	r := Report{Plan: p.Name(), AsOf: asOf}
	if !p.usable() {
		r.Invalid = "no plan"
		return r
	}
	if err := p.checkState(&s); err != nil {
		r.Invalid = err.Error()
		return r
	}
	s.Phase = max(s.Phase, 1)
	r.Phase = s.Phase
	r.PilotStart = s.PilotStart
	if p.completed(&s) {
		r.Completed = s.Left[len(p.cfg.Phases)-1]
	}
	r.Evaluations = p.schedule(&s, asOf)
	held := 0
	for _, e := range r.Evaluations {
		switch e.Status {
		case Overdue:
			r.Overdue++
		case Held, HeldLate:
			held++
		}
	}
	for i, ph := range p.cfg.Phases {
		n := i + 1
		pr := PhaseReport{Number: n, Name: ph.Name}
		switch {
		case n < s.Phase || p.completed(&s):
			pr.Status = Done
			pr.Left = s.Left[i]
		case n == s.Phase:
			pr.Status = Current
		}
		if n > 1 && n-2 < len(s.Left) {
			pr.Entered = s.Left[n-2]
		}
		for _, t := range ph.Tasks {
			tr := TaskReport{ID: t.ID, Name: t.Name, Owners: slices.Clone(t.Owners), Deliverable: t.Deliverable, Optional: t.Optional}
			if d, ok := s.Tasks[t.ID]; ok {
				tr.Done = d
				pr.Done = append(pr.Done, tr)
			} else {
				pr.Open = append(pr.Open, tr)
			}
		}
		for _, m := range ph.Milestones {
			pr.Milestones = append(pr.Milestones, MilestoneReport{ID: m.ID, Name: m.Name, Reached: s.Milestones[m.ID]})
		}
		for _, g := range ph.Gates {
			gr := GateReport{Phase: n, Gate: g.Kind}
			if pr.Status != Done {
				gr.Reason = p.checkGate(n, g, &s)
				gr.Blocked = gr.Reason != ""
			}
			pr.Gates = append(pr.Gates, gr)
			if gr.Blocked && pr.Status == Current {
				r.Blocking = append(r.Blocking, gr)
			}
		}
		for _, ind := range ph.Indicators {
			pr.Indicators = append(pr.Indicators, p.indicator(ind, &s, held))
		}
		r.Phases = append(r.Phases, pr)
	}
	for i, w := range p.cfg.Admission.Waves {
		wr := WaveReport{Wave: i + 1, Types: slices.Clone(w.Types)}
		opens, open := p.waveOpens(&s, i+1)
		if open {
			wr.Opens = opens
		}
		wr.Open = open && s.Phase >= p.cfg.Pilot.Phase && !asOf.Before(opens)
		for _, op := range s.Operators {
			if p.waveOf[op.Operator.Type] == i+1 {
				wr.Admitted++
				if op.Pilot {
					wr.Pilot++
				}
			}
		}
		r.Waves = append(r.Waves, wr)
	}
	for _, b := range p.cfg.Benefits {
		r.Benefits = append(r.Benefits, BenefitReport{ID: b.ID, Name: b.Name, Stage: b.Stage, Introduced: s.Benefits[b.ID]})
	}
	return r
}

// indicator measures ind in s; held is the number of scheduled evaluations
// held.
func (p *Plan) indicator(ind Indicator, s *State, held int) IndicatorReport {
	ir := IndicatorReport{ID: ind.ID, Name: ind.Name, Unit: ind.Unit, Measure: ind.Measure, Goal: ind.Goal, Target: ind.Target}
	measured := true
	switch ind.Measure {
	case Recorded:
		m, ok := s.Indicators[ind.ID]
		ir.Value, ir.On, measured = m.Value, m.On, ok
	case OperatorsAdmittedCount:
		ir.Value = float64(len(s.Operators))
	case PilotOperatorsCount:
		for _, op := range s.Operators {
			if op.Pilot {
				ir.Value++
			}
		}
	case EvaluationsHeldCount:
		ir.Value = float64(held)
	case BenefitsIntroducedCount:
		for _, b := range p.cfg.Benefits {
			if _, ok := s.Benefits[b.ID]; ok {
				ir.Value++
			}
		}
	}
	switch {
	case !measured:
		ir.Status = NotMeasured
	case ind.Goal == AtLeast:
		ir.Status = metIf(ir.Value >= ind.Target)
	case ind.Goal == AtMost:
		ir.Status = metIf(ir.Value <= ind.Target)
	default:
		ir.Status = Untargeted
	}
	return ir
}

func metIf(ok bool) IndicatorStatus {
	if ok {
		return Met
	}
	return NotMet
}

// Text renders r for people: a summary of where the programme stands and
// what blocks the next phase, then every phase, the evaluation schedule, the
// admission waves and the benefits. Dates are printed as YYYY-MM-DD.
func (r Report) Text() string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	pf := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }

	pf("plan: %s\n", r.Plan)
	if r.Invalid != "" {
		pf("as of %s: no report: %s\n", day(r.AsOf), r.Invalid)
		w.Flush()
		return b.String()
	}
	cur := ""
	if r.Phase >= 1 && r.Phase <= len(r.Phases) {
		cur = r.Phases[r.Phase-1].Name
	}
	switch {
	case !r.Completed.IsZero():
		pf("as of %s: all %d phases done, programme completed on %s\n", day(r.AsOf), len(r.Phases), day(r.Completed))
	default:
		pf("as of %s: phase %d of %d, %s\n", day(r.AsOf), r.Phase, len(r.Phases), cur)
	}
	if r.PilotStart.IsZero() {
		pf("pilot: not started\n")
	} else {
		pf("pilot: started %s\n", day(r.PilotStart))
	}
	if r.Completed.IsZero() {
		if len(r.Blocking) == 0 {
			pf("next phase: no gate blocked\n")
		} else {
			pf("next phase: blocked by\n")
			for _, g := range r.Blocking {
				pf("  %s: %s\n", g.Gate, g.Reason)
			}
		}
	}
	pf("overdue evaluations: %d\n", r.Overdue)

	for _, ph := range r.Phases {
		pf("\nphase %d, %s: %s", ph.Number, ph.Name, ph.Status)
		if !ph.Entered.IsZero() {
			pf(", entered %s", day(ph.Entered))
		}
		if !ph.Left.IsZero() {
			pf(", left %s", day(ph.Left))
		}
		pf("\n  tasks: %d done, %d open\n", len(ph.Done), len(ph.Open))
		for _, t := range ph.Done {
			pf("    [x]\t%s\t%s\t%s\n", t.ID, day(t.Done), taskText(t))
		}
		for _, t := range ph.Open {
			pf("    [ ]\t%s\t-\t%s\n", t.ID, taskText(t))
		}
		if len(ph.Milestones) > 0 {
			pf("  milestones:\n")
			for _, m := range ph.Milestones {
				if m.Reached.IsZero() {
					pf("    [ ]\t%s\t-\t%s\n", m.ID, m.Name)
				} else {
					pf("    [x]\t%s\t%s\t%s\n", m.ID, day(m.Reached), m.Name)
				}
			}
		}
		if len(ph.Gates) > 0 {
			pf("  gates:\n")
			for _, g := range ph.Gates {
				switch {
				case ph.Status == Done:
					pf("    passed\t%s\n", g.Gate)
				case g.Blocked:
					pf("    blocked\t%s: %s\n", g.Gate, g.Reason)
				default:
					pf("    holds\t%s\n", g.Gate)
				}
			}
		}
		if len(ph.Indicators) > 0 {
			pf("  indicators:\n")
			for _, ind := range ph.Indicators {
				pf("    %s\t%s\t%s\t%s\n", ind.ID, valueText(ind), targetText(ind), ind.Status)
			}
		}
	}

	pf("\nevaluations:\n")
	if len(r.Evaluations) == 0 {
		pf("  none scheduled (the pilot has not started)\n")
	}
	for _, e := range r.Evaluations {
		held := "-"
		if !e.Held.IsZero() {
			held = "held " + day(e.Held)
		}
		pf("  %d\tdue %s\t%s\t%s\n", e.Number, day(e.Due), held, e.Status)
	}

	pf("\nadmission waves:\n")
	for _, wr := range r.Waves {
		types := make([]string, len(wr.Types))
		for i, t := range wr.Types {
			types[i] = t.String()
		}
		state := "closed"
		switch {
		case wr.Open && wr.Opens.IsZero():
			state = "open"
		case wr.Open:
			state = "open since " + day(wr.Opens)
		case !wr.Opens.IsZero():
			state = "opens " + day(wr.Opens)
		}
		pf("  wave %d\t%s\t%s\t%d admitted, %d in the pilot\n", wr.Wave, strings.Join(types, ", "), state, wr.Admitted, wr.Pilot)
	}

	if len(r.Benefits) > 0 {
		pf("\nbenefits:\n")
		for _, bn := range r.Benefits {
			if bn.Introduced.IsZero() {
				pf("  stage %d\t[ ]\t%s\t-\t%s\n", bn.Stage, bn.ID, bn.Name)
			} else {
				pf("  stage %d\t[x]\t%s\t%s\t%s\n", bn.Stage, bn.ID, day(bn.Introduced), bn.Name)
			}
		}
	}
	w.Flush()
	return b.String()
}

func taskText(t TaskReport) string {
	s := t.Name
	if t.Optional {
		s += " [optional]"
	}
	if len(t.Owners) > 0 {
		owners := make([]string, len(t.Owners))
		for i, o := range t.Owners {
			owners[i] = o.String()
		}
		s += " (" + strings.Join(owners, ", ") + ")"
	}
	return s
}

func valueText(ind IndicatorReport) string {
	if ind.Status == NotMeasured {
		return "-"
	}
	v := strconv.FormatFloat(ind.Value, 'g', -1, 64)
	if ind.Unit != "" {
		v += " " + ind.Unit
	}
	if !ind.On.IsZero() {
		v += " on " + day(ind.On)
	}
	return v
}

func targetText(ind IndicatorReport) string {
	if ind.Goal == NoTarget {
		return "no target"
	}
	return ind.Goal.String() + " " + strconv.FormatFloat(ind.Target, 'g', -1, 64)
}
