package phases_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safe-aeo/engine/phases"
)

// knownErrors are the sentinels every refusal must wrap.
var knownErrors = []error{
	phases.ErrInvalidPlan, phases.ErrInvalidState, phases.ErrInvalidEvent, phases.ErrUnknownTask,
	phases.ErrUnknownMilestone, phases.ErrUnknownBenefit, phases.ErrUnknownIndicator, phases.ErrDuplicate,
	phases.ErrOutOfOrder, phases.ErrGateBlocked,
}

// fuzzer decodes fuzz bytes into events, three bytes per step (operation,
// argument, days since the previous event as a signed byte), and applies
// them, checking after each Apply that:
//   - Apply did not panic and did not modify its input;
//   - a refused event returned the state unchanged, with a known sentinel;
//   - an accepted event's state survives a JSON round trip, is dated with
//     the event, and never moves back a phase;
//   - the report of the state encodes as JSON and renders as text (checked
//     after each phase change and at the end).
type fuzzer struct {
	t    *testing.T
	p    *phases.Plan
	cfg  phases.Config
	s    phases.State
	at   time.Time
	ids  map[string][]string
	took int
}

func (f *fuzzer) apply(ev phases.Event, at time.Time) {
	t := f.t
	f.took++
	before := snapshot(t, f.s)
	next, err := f.p.Apply(f.s, ev, at)
	if got := snapshot(t, f.s); got != before {
		t.Fatalf("Apply(%v) modified its input:\nbefore %s\nafter  %s", ev.Kind, before, got)
	}
	if err != nil {
		if diff := cmp.Diff(f.s, next, equateStates); diff != "" {
			t.Fatalf("refused %v (%v) changed the state (-want +got):\n%s", ev.Kind, err, diff)
		}
		known := false
		for _, k := range knownErrors {
			known = known || errors.Is(err, k)
		}
		if !known {
			t.Fatalf("Apply(%v) error %v wraps no sentinel", ev.Kind, err)
		}
		return
	}
	b, err := json.Marshal(next)
	if err != nil {
		t.Fatalf("state after %v does not encode: %v", ev.Kind, err)
	}
	var back phases.State
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("state after %v does not decode: %v\n%s", ev.Kind, err, b)
	}
	if diff := cmp.Diff(next, back, equateStates); diff != "" {
		t.Fatalf("JSON round trip after %v mismatch (-want +got):\n%s", ev.Kind, diff)
	}
	if !next.Updated.Equal(at) {
		t.Fatalf("Updated = %v after an event dated %v", next.Updated, at)
	}
	if next.Phase < max(f.s.Phase, 1) {
		t.Fatalf("phase went back from %d to %d", f.s.Phase, next.Phase)
	}
	f.s, f.at = next, at
	if ev.Kind == phases.AdvancePhase {
		f.report()
	}
}

// report checks that the report of the current state is usable. It is
// costly, so it runs after each phase change and at the end of a sequence.
func (f *fuzzer) report() {
	t := f.t
	r := f.p.Report(f.s, f.at)
	if r.Invalid != "" {
		t.Fatalf("report of an accepted state is invalid: %s", r.Invalid)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("report does not encode: %v", err)
	}
	if r.Text() == "" {
		t.Fatal("empty text report")
	}
}

// pick returns the arg-th ID of a kind, or an unknown ID past the end.
func (f *fuzzer) pick(kind string, arg byte) string {
	ids := f.ids[kind]
	if i := int(arg) % (len(ids) + 1); i < len(ids) {
		return ids[i]
	}
	return "no-such-" + kind
}

func (f *fuzzer) step(op, arg byte, days int8) {
	at := f.at.AddDate(0, 0, int(days))
	switch op % 11 {
	case 0:
		f.apply(phases.Event{Kind: phases.TaskDone, ID: f.pick("task", arg)}, at)
	case 1:
		f.apply(phases.Event{Kind: phases.MilestoneReached, ID: f.pick("milestone", arg)}, at)
	case 2:
		f.apply(phases.Event{Kind: phases.EvaluationHeld}, at)
	case 3:
		ops := make([]phases.Operator, 1+int(arg)%3)
		for i := range ops {
			b := int(arg) + 7*i
			ops[i] = phases.Operator{
				ID:        fmt.Sprintf("op-%d", b%24),
				Type:      phases.OperatorType(b % 9), // includes unknown and out of range
				Size:      phases.Size(b / 9 % 5),
				Volunteer: b%4 != 0,
			}
		}
		f.apply(phases.Event{Kind: phases.OperatorsAdmitted, Operators: ops}, at)
	case 4:
		f.apply(phases.Event{Kind: phases.BenefitIntroduced, ID: f.pick("benefit", arg)}, at)
	case 5:
		v := float64(int8(arg))
		if arg == 0x7f {
			v = math.Inf(1)
		}
		f.apply(phases.Event{Kind: phases.IndicatorRecorded, ID: f.pick("indicator", arg), Value: v}, at)
	case 6:
		var prog phases.Programme
		switch arg {
		case 0xff:
		case 0xfe:
			prog = &panickyProgramme{}
		default:
			var secs fakeProgramme
			for i, sec := range phases.StructureSections() {
				if arg&(1<<i) != 0 {
					secs = append(secs, sec)
				}
			}
			prog = secs
		}
		f.apply(phases.Event{Kind: phases.ProgrammeLoaded, Programme: prog}, at)
	case 7:
		f.apply(phases.Event{Kind: phases.AdvancePhase}, at)
	case 8:
		// Finish the current phase, so that sequences reach later phases.
		ph := f.cfg.Phases[max(f.s.Phase, 1)-1]
		for _, task := range ph.Tasks {
			if task.Optional && arg&1 == 0 {
				continue
			}
			f.apply(phases.Event{Kind: phases.TaskDone, ID: task.ID}, at)
		}
		for _, m := range ph.Milestones {
			f.apply(phases.Event{Kind: phases.MilestoneReached, ID: m.ID}, at)
		}
	case 9:
		f.apply(phases.Event{Kind: phases.OperatorsAdmitted, Operators: pilotOperators()}, at)
		for stage := 1; stage <= int(arg)%4; stage++ {
			for _, b := range f.cfg.Benefits {
				if b.Stage == stage {
					f.apply(phases.Event{Kind: phases.BenefitIntroduced, ID: b.ID}, at)
				}
			}
		}
	case 10:
		// Malformed events: any kind with fields it may not take.
		f.apply(phases.Event{Kind: phases.EventKind(arg % 10), ID: f.pick("task", arg),
			Operators: pilotOperators()[:int(arg)%2], Value: float64(arg % 3)}, at)
	}
}

func FuzzApply(f *testing.F) {
	// Three bytes per step: operation, argument, days since the last event.
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1, 0, 0, 1, 7, 0, 1})
	f.Add([]byte{8, 1, 30, 6, 0x7f, 0, 7, 0, 1, 8, 0, 60, 7, 0, 1, 9, 1, 30, 8, 0, 30, 7, 0, 1})
	f.Add([]byte{8, 1, 30, 6, 0x7f, 0, 7, 0, 1, 8, 0, 60, 7, 0, 1, 9, 1, 30, 8, 0, 30, 7, 0, 1,
		8, 0, 90, 2, 0, 100, 7, 0, 5, 3, 5, 100, 8, 0, 100, 2, 0, 90, 7, 0, 1, 8, 0, 10, 7, 0, 1,
		3, 12, 0, 2, 0, 60, 7, 0, 1, 8, 0, 30, 7, 0, 1, 8, 0, 30, 7, 0, 1, 9, 3, 30, 8, 1, 30, 7, 0, 1,
		8, 0, 30, 7, 0, 1, 7, 0, 1})
	f.Add([]byte{6, 0xfe, 0, 6, 0xff, 0, 5, 0x7f, 0, 3, 200, 0, 10, 3, 0, 4, 2, 0xf0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p := phases.Default()
		fz := &fuzzer{t: t, p: p, cfg: p.Config(), at: date(2025, 1, 6), ids: map[string][]string{}}
		for _, ph := range fz.cfg.Phases {
			for _, task := range ph.Tasks {
				fz.ids["task"] = append(fz.ids["task"], task.ID)
			}
			for _, m := range ph.Milestones {
				fz.ids["milestone"] = append(fz.ids["milestone"], m.ID)
			}
			for _, ind := range ph.Indicators {
				fz.ids["indicator"] = append(fz.ids["indicator"], ind.ID)
			}
		}
		for _, b := range fz.cfg.Benefits {
			fz.ids["benefit"] = append(fz.ids["benefit"], b.ID)
		}
		for len(data) >= 3 && fz.took < 300 {
			fz.step(data[0], data[1], int8(data[2]))
			data = data[3:]
		}
		fz.report()
	})
}
