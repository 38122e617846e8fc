package phases

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// checkGate reports why gate g of phase ph is blocked in s, or "" if it
// holds. s must be valid for p.
func (p *Plan) checkGate(ph int, g Gate, s *State) string {
	phase := &p.cfg.Phases[ph-1]
	switch g.Kind {
	case GateTasks:
		var open []string
		for _, t := range phase.Tasks {
			if _, done := s.Tasks[t.ID]; !done && !t.Optional {
				open = append(open, t.ID)
			}
		}
		if len(open) > 0 {
			return "open tasks: " + strings.Join(open, ", ")
		}
	case GateMilestones:
		var open []string
		for _, m := range phase.Milestones {
			if _, ok := s.Milestones[m.ID]; !ok {
				open = append(open, m.ID)
			}
		}
		if len(open) > 0 {
			return "milestones not reached: " + strings.Join(open, ", ")
		}
	case GateProgrammeStructure:
		if s.Programme == nil {
			return "no programme loaded"
		}
		var missing []string
		for _, sec := range StructureSections() {
			if !slices.Contains(s.Programme.Sections, sec) {
				missing = append(missing, sec)
			}
		}
		if len(missing) > 0 {
			return "programme does not define: " + strings.Join(missing, ", ")
		}
		if open := s.Programme.Open; len(open) > 0 {
			return "Customs' obligations the programme does not yet meet: " + strings.Join(open, "; ")
		}
	case GatePilot:
		return p.checkPilot(s)
	case GateAdmission:
		for _, op := range s.Operators {
			if p.waveOf[op.Operator.Type] == g.Wave {
				return ""
			}
		}
		opens, open := p.waveOpens(s, g.Wave)
		switch {
		case !open:
			return fmt.Sprintf("no operator of wave %d (%s) admitted; wave %d has none yet", g.Wave, p.waveTypes(g.Wave), g.Wave-1)
		case opens.IsZero():
			return fmt.Sprintf("no operator of wave %d (%s) admitted", g.Wave, p.waveTypes(g.Wave))
		default:
			return fmt.Sprintf("no operator of wave %d (%s) admitted; it opens on %s", g.Wave, p.waveTypes(g.Wave), day(opens))
		}
	case GateEvaluations:
		if s.PilotStart.IsZero() {
			return "the pilot has not started"
		}
		var missing []string
		for _, e := range p.schedule(s, time.Time{})[:g.Evaluations] {
			if e.Held.IsZero() {
				missing = append(missing, fmt.Sprintf("evaluation %d (due %s) not held", e.Number, day(e.Due)))
			}
		}
		return strings.Join(missing, "; ")
	case GateBenefits:
		var open []string
		for _, b := range p.cfg.Benefits {
			if _, ok := s.Benefits[b.ID]; !ok && b.Stage <= g.Stage {
				open = append(open, b.ID)
			}
		}
		if len(open) > 0 {
			return fmt.Sprintf("benefits of stages up to %d not introduced: %s", g.Stage, strings.Join(open, ", "))
		}
	}
	return ""
}

// checkPilot reports why the pilot is not small and representative, or "".
func (p *Plan) checkPilot(s *State) string {
	pl := &p.cfg.Pilot
	n := 0
	var sizes []Size
	var conscripts []string
	for _, op := range s.Operators {
		if !op.Pilot {
			continue
		}
		n++
		sizes = append(sizes, op.Operator.Size)
		if pl.Volunteers && !op.Operator.Volunteer {
			conscripts = append(conscripts, op.Operator.ID)
		}
	}
	if n == 0 {
		return "no pilot operators admitted"
	}
	var why []string
	if n > pl.MaxOperators {
		why = append(why, fmt.Sprintf("%d pilot operators, at most %d", n, pl.MaxOperators))
	}
	var missing []string
	for _, z := range pl.Sizes {
		if !slices.Contains(sizes, z) {
			missing = append(missing, z.String())
		}
	}
	if len(missing) > 0 {
		why = append(why, "no pilot operator of size "+strings.Join(missing, ", "))
	}
	if len(conscripts) > 0 {
		why = append(why, "not volunteers: "+strings.Join(conscripts, ", "))
	}
	return strings.Join(why, "; ")
}

// waveOpens returns the date from which operators of wave w may be admitted.
// It reports false if wave w-1 has no operator yet; the first wave is open
// from the start (zero date).
func (p *Plan) waveOpens(s *State, w int) (time.Time, bool) {
	if w <= 1 {
		return time.Time{}, true
	}
	var first time.Time
	for _, op := range s.Operators {
		if p.waveOf[op.Operator.Type] == w-1 && (first.IsZero() || op.Admitted.Before(first)) {
			first = op.Admitted
		}
	}
	if first.IsZero() {
		return time.Time{}, false
	}
	return addMonths(first, p.cfg.Admission.IntervalMonths), true
}

// waveTypes lists the operator types of wave w, e.g. "importer, exporter".
func (p *Plan) waveTypes(w int) string {
	if w < 1 || w > len(p.cfg.Admission.Waves) {
		return ""
	}
	names := make([]string, 0, len(p.cfg.Admission.Waves[w-1].Types))
	for _, t := range p.cfg.Admission.Waves[w-1].Types {
		names = append(names, t.String())
	}
	return strings.Join(names, ", ")
}

// schedule returns the scheduled evaluations: one every EveryMonths from
// the pilot start for ForMonths. Evaluations held are matched to due dates
// in date order: the one for due date n is the first not yet matched that
// was held on or after due date n-1 (the pilot start for n = 1), so two
// evaluations in one period count once. Overdue is judged against asOf; a
// zero asOf marks nothing overdue. It returns nil before the pilot starts.
func (p *Plan) schedule(s *State, asOf time.Time) []EvaluationReport {
	if s.PilotStart.IsZero() || p.scheduled == 0 {
		return nil
	}
	held := s.Evaluations
	if !slices.IsSortedFunc(held, time.Time.Compare) {
		held = slices.SortedFunc(slices.Values(held), time.Time.Compare)
	}
	out := make([]EvaluationReport, p.scheduled)
	prev, j := s.PilotStart, 0
	for i := range out {
		due := addMonths(s.PilotStart, (i+1)*p.cfg.Evaluations.EveryMonths)
		for j < len(held) && held[j].Before(prev) {
			j++
		}
		e := EvaluationReport{Number: i + 1, Due: due}
		switch {
		case j < len(held):
			e.Held, e.Status = held[j], Held
			if held[j].After(due) {
				e.Status = HeldLate
			}
			j++
		case !asOf.IsZero() && asOf.After(due):
			e.Status = Overdue
		}
		out[i] = e
		prev = due
	}
	return out
}
