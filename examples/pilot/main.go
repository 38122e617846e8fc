// Command pilot walks a national AEO programme through the nine-phase
// implementation approach of the WCO AEO Implementation Guidance and its
// Annex 1 (the National Programme Guide), with the default plan of package
// phases:
//
//   - phase 1 ends only when the loaded programme defines the whole
//     structure (requirements, application, certification, validation,
//     benefits, suspension and appeal): the first draft (draft.yaml) lacks
//     suspension and appeal and is refused, the final one
//     (programme.yaml) passes;
//   - the pilot starts small: ten volunteer importers and exporters, SMEs,
//     large companies and multinationals (pilot.yaml); an eleventh is
//     refused, and so are brokers before their wave opens;
//   - the programme is evaluated every six months in the first year, and
//     the phases that need it wait for the evaluations;
//   - brokers are admitted six months after the first importers, carriers
//     and ports in the wave after; benefits are introduced in sequence,
//     and the programme's own benefits follow the plan's milestones.
//
// The progress report (phases.Report, as text) is printed at the key
// points; with -full it is printed whole each time, otherwise without the
// detail of each phase until the end. Every date is fixed.
//
//	go run ./examples/pilot
//	go run ./examples/pilot -full
package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/phases"
)

//go:embed draft.yaml programme.yaml pilot.yaml
var files embed.FS

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pilot:", err)
		os.Exit(1)
	}
}

// An entrant is an operator that joins, or tries to join, the programme.
type entrant struct {
	ID        string              `yaml:"id"`
	Name      string              `yaml:"name"`
	Type      phases.OperatorType `yaml:"type"`
	Size      phases.Size         `yaml:"size"`
	Sector    string              `yaml:"sector"`
	Volunteer bool                `yaml:"volunteer"`
}

// roster is pilot.yaml.
type roster struct {
	Pilot    []entrant `yaml:"pilot"`
	Eleventh []entrant `yaml:"eleventh"`
	Brokers  []entrant `yaml:"brokers"`
	Carriers []entrant `yaml:"carriers"`
}

// operators returns the entrants as the plan knows them.
func operators(es []entrant) []phases.Operator {
	out := make([]phases.Operator, len(es))
	for i, e := range es {
		out[i] = phases.Operator{ID: e.ID, Type: e.Type, Size: e.Size, Volunteer: e.Volunteer}
	}
	return out
}

// date returns midnight UTC on the given day.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func run(w io.Writer, args []string) error {
	fl := flag.NewFlagSet("pilot", flag.ContinueOnError)
	fl.SetOutput(w)
	full := fl.Bool("full", false, "print the whole progress report at every key point")
	if err := fl.Parse(args); err != nil {
		return err
	}
	draft, err := aeo.LoadFS(files, "draft.yaml")
	if err != nil {
		return err
	}
	final, err := aeo.LoadFS(files, "programme.yaml")
	if err != nil {
		return err
	}
	data, err := files.ReadFile("pilot.yaml")
	if err != nil {
		return err
	}
	var ros roster
	if err := yaml.Unmarshal(data, &ros); err != nil {
		return fmt.Errorf("pilot.yaml: %w", err)
	}

	t := &tracker{w: w, plan: phases.Default(), prog: final, full: *full}
	fmt.Fprintf(w, "%s\nProgramme: %s %s\n", t.plan.Name(), final.Name(), final.Version())
	advance := phases.Event{Kind: phases.AdvancePhase}

	// Phase 1, Preface & Analysis: the programme structure gates the exit.
	t.heading(1)
	t.finishPhase(1, date(2025, 2, 28))
	t.apply(phases.Event{Kind: phases.ProgrammeLoaded, Programme: draft}, date(2025, 2, 28),
		fmt.Sprintf("draft programme %s loaded: defines %s", draft.Version(), strings.Join(draft.Sections(), ", ")))
	t.refuse(advance, date(2025, 3, 3), "leave phase 1 with the draft")
	t.apply(phases.Event{Kind: phases.ProgrammeLoaded, Programme: final}, date(2025, 3, 3),
		fmt.Sprintf("final programme %s loaded: defines %s", final.Version(), strings.Join(final.Sections(), ", ")))
	t.apply(advance, date(2025, 3, 3), "phase 1 left")
	t.report(date(2025, 3, 3))

	// Phase 2, Strategic Planning: no operator before the pilot phase.
	t.heading(2)
	t.refuse(phases.Event{Kind: phases.OperatorsAdmitted, Operators: operators(ros.Pilot[:1])}, date(2025, 4, 1),
		"admit "+ros.Pilot[0].Name+" before the pilot phase")
	t.finishPhase(2, date(2025, 5, 5))
	t.apply(phases.Event{Kind: phases.IndicatorRecorded, ID: "officers-briefed", Value: 140}, date(2025, 5, 5),
		"140 officers given seminars on the programme")
	t.apply(advance, date(2025, 5, 5), "phase 2 left")

	// Phase 3, Pilot Execution: ten volunteers, a cross-section of sizes.
	t.heading(3)
	t.apply(phases.Event{Kind: phases.OperatorsAdmitted, Operators: operators(ros.Pilot)}, date(2025, 6, 2),
		"the ten pilot operators admitted:")
	for _, e := range ros.Pilot {
		fmt.Fprintf(w, "                %s %-28s %-8s %-13s %s\n", e.ID, e.Name, e.Type, e.Size, e.Sector)
	}
	e11 := ros.Eleventh[0]
	t.refuse(phases.Event{Kind: phases.OperatorsAdmitted, Operators: operators(ros.Eleventh)}, date(2025, 6, 3),
		fmt.Sprintf("admit an eleventh volunteer, %s (%s, %s)", e11.Name, e11.Type, e11.Size))
	t.refuse(phases.Event{Kind: phases.OperatorsAdmitted, Operators: operators(ros.Brokers[:1])}, date(2025, 6, 3),
		"admit the broker "+ros.Brokers[0].Name)
	t.refuse(phases.Event{Kind: phases.EvaluationHeld}, date(2025, 6, 3), "evaluate before the pilot starts")
	t.finishPhase(3, date(2025, 7, 1))
	t.refuse(advance, date(2025, 7, 1), "leave phase 3 before the first benefits")
	t.refuse(phases.Event{Kind: phases.BenefitIntroduced, ID: "member-lane"}, date(2025, 7, 1), "introduce the member lane (stage 2) first")
	t.introduceStage(1, date(2025, 7, 1))
	t.apply(advance, date(2025, 7, 15), "phase 3 left")
	t.report(date(2025, 7, 15))

	// Phase 4, Monitoring & Evaluation: the six-monthly evaluation.
	t.heading(4)
	t.finishPhase(4, date(2025, 11, 3))
	t.refuse(advance, date(2025, 11, 3), "leave phase 4 before the first evaluation")
	t.apply(phases.Event{Kind: phases.EvaluationHeld}, date(2025, 12, 15), "first six-monthly evaluation held with the private sector committee and the pilot operators")
	t.apply(phases.Event{Kind: phases.IndicatorRecorded, ID: "point-of-contact-hours", Value: 62.5}, date(2025, 12, 15),
		"62.5 hours of point-of-contact consultation recorded")
	t.apply(advance, date(2025, 12, 20), "phase 4 left")

	// Phase 5, Enlargement: brokers after the interval, no longer bound
	// by the pilot limits; the second evaluation.
	t.heading(5)
	t.apply(phases.Event{Kind: phases.OperatorsAdmitted, Operators: operators(ros.Brokers)}, date(2025, 12, 20),
		fmt.Sprintf("brokers admitted (wave 2): %s, %s", ros.Brokers[0].Name, ros.Brokers[1].Name))
	t.finishPhase(5, date(2026, 3, 2))
	t.refuse(advance, date(2026, 3, 2), "leave phase 5 before the second evaluation")
	t.apply(phases.Event{Kind: phases.EvaluationHeld}, date(2026, 6, 22), "second six-monthly evaluation held")
	t.report(date(2026, 6, 22))
	t.apply(advance, date(2026, 6, 30), "phase 5 left")

	// Phases 6 to 9.
	t.heading(6)
	t.finishPhase(6, date(2026, 9, 1))
	t.apply(advance, date(2026, 9, 1), "phase 6 left")
	t.heading(7)
	t.finishPhase(7, date(2026, 11, 2))
	t.introduceStage(2, date(2026, 11, 2))
	t.apply(advance, date(2026, 12, 1), "phase 7 left")
	t.heading(8)
	t.apply(phases.Event{Kind: phases.OperatorsAdmitted, Operators: operators(ros.Carriers)}, date(2027, 1, 11),
		fmt.Sprintf("carriers and ports admitted (wave 3): %s, %s", ros.Carriers[0].Name, ros.Carriers[1].Name))
	t.finishPhase(8, date(2027, 2, 1))
	t.refuse(advance, date(2027, 2, 1), "leave phase 8 before the stage 3 benefits")
	t.introduceStage(3, date(2027, 2, 1))
	t.apply(advance, date(2027, 3, 1), "phase 8 left")
	t.heading(9)
	t.finishPhase(9, date(2027, 6, 1))
	t.apply(advance, date(2027, 6, 1), "phase 9 left: the programme is complete")
	t.full = true
	t.report(date(2027, 6, 1))
	return t.err
}

// A tracker applies events to the implementation state and prints what
// happens. The first unexpected outcome is kept in err, and everything
// after it is skipped, so that the walk-through reads straight.
type tracker struct {
	w     io.Writer
	plan  *phases.Plan
	prog  *aeo.Programme
	state phases.State
	full  bool
	err   error
}

// heading prints the heading of phase n.
func (t *tracker) heading(n int) {
	if t.err != nil {
		return
	}
	ph := t.plan.Config().Phases[n-1]
	fmt.Fprintf(t.w, "\nPhase %d, %s\n", ph.Number, ph.Name)
}

// apply applies an event that must be accepted and prints note.
func (t *tracker) apply(ev phases.Event, at time.Time, note string) {
	if t.err != nil {
		return
	}
	next, err := t.plan.Apply(t.state, ev, at)
	if err != nil {
		t.err = fmt.Errorf("%s on %s: %w", ev.Kind, at.Format(time.DateOnly), err)
		return
	}
	t.state = next
	if note != "" {
		fmt.Fprintf(t.w, "  %s  %s\n", at.Format(time.DateOnly), note)
	}
}

// refuse applies an event that must be refused, and prints why: the gate
// and its reason for a *phases.GateError, the error otherwise.
func (t *tracker) refuse(ev phases.Event, at time.Time, what string) {
	if t.err != nil {
		return
	}
	next, err := t.plan.Apply(t.state, ev, at)
	if err == nil {
		t.state = next
		t.err = fmt.Errorf("%s on %s was accepted; the plan should refuse it", what, at.Format(time.DateOnly))
		return
	}
	fmt.Fprintf(t.w, "  %s  refused: %s\n", at.Format(time.DateOnly), what)
	gates := gateErrors(err)
	if len(gates) == 0 {
		fmt.Fprintf(t.w, "                %v\n", err)
		return
	}
	for _, ge := range gates {
		fmt.Fprintf(t.w, "                gate %s of phase %d: %s\n", ge.Gate, ge.Phase, ge.Reason)
	}
}

// gateErrors returns the *phases.GateErrors in err, which may join
// several.
func gateErrors(err error) []*phases.GateError {
	var ge *phases.GateError
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*phases.GateError
		for _, e := range joined.Unwrap() {
			out = append(out, gateErrors(e)...)
		}
		return out
	}
	if errors.As(err, &ge) {
		return []*phases.GateError{ge}
	}
	return nil
}

// finishPhase marks every required task and every milestone of phase n
// done on at.
func (t *tracker) finishPhase(n int, at time.Time) {
	ph := t.plan.Config().Phases[n-1]
	tasks := 0
	for _, task := range ph.Tasks {
		if !task.Optional {
			t.apply(phases.Event{Kind: phases.TaskDone, ID: task.ID}, at, "")
			tasks++
		}
	}
	var ms []string
	for _, m := range ph.Milestones {
		t.apply(phases.Event{Kind: phases.MilestoneReached, ID: m.ID}, at, "")
		ms = append(ms, m.ID)
	}
	note := fmt.Sprintf("%d required tasks of phase %d done", tasks, n)
	if len(ms) > 0 {
		note += "; milestone " + strings.Join(ms, ", ") + " reached"
	}
	if t.err == nil {
		fmt.Fprintf(t.w, "  %s  %s\n", at.Format(time.DateOnly), note)
	}
}

// introduceStage introduces every benefit of a stage of the plan on at.
func (t *tracker) introduceStage(stage int, at time.Time) {
	var ids []string
	for _, b := range t.plan.Config().Benefits {
		if b.Stage == stage {
			t.apply(phases.Event{Kind: phases.BenefitIntroduced, ID: b.ID}, at, "")
			ids = append(ids, b.ID)
		}
	}
	if t.err == nil {
		fmt.Fprintf(t.w, "  %s  stage %d benefits introduced: %s\n", at.Format(time.DateOnly), stage, strings.Join(ids, ", "))
	}
}

// report prints the progress report as of at: whole, or all but the
// phases (the summary, the evaluations, the admission waves and the
// benefits of the plan); then the
// programme's own benefits a pilot AEO holds, which follow the plan's
// milestones.
func (t *tracker) report(at time.Time) {
	if t.err != nil {
		return
	}
	text := t.plan.Report(t.state, at).Text()
	fmt.Fprintf(t.w, "\n  ---- progress report as of %s ----\n", at.Format(time.DateOnly))
	if t.full {
		fmt.Fprint(t.w, indent(text))
	} else {
		// The summary says what blocks the next phase; the phases
		// themselves are left out, the schedule, waves and benefits kept.
		blocks := strings.Split(strings.TrimRight(text, "\n"), "\n\n")
		for i, b := range blocks {
			if i == 0 || !strings.HasPrefix(b, "phase ") {
				fmt.Fprint(t.w, indent(b+"\n\n"))
			}
		}
	}
	h := benefits.Holder{Status: "authorized", Types: []string{"AEO"}, Milestones: t.state.Milestones}
	var granted int
	var later []string
	for _, e := range t.prog.Benefits().Eligible(&h, at) {
		switch e.Status {
		case benefits.Granted:
			granted++
		case benefits.NotYetIntroduced:
			later = append(later, e.Benefit+" ("+e.Reason+")")
		}
	}
	slices.Sort(later)
	fmt.Fprintf(t.w, "  benefits of the programme file for an AEO on this date: %d granted", granted)
	if len(later) > 0 {
		fmt.Fprintf(t.w, "; not yet introduced: %s", strings.Join(later, "; "))
	}
	fmt.Fprintln(t.w)
}

// indent marks the lines of the report off from the walk-through.
func indent(s string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			b.WriteString("  | ")
		}
		b.WriteString(l)
	}
	return b.String()
}
