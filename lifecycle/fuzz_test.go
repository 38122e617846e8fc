package lifecycle_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// fuzzBytes is how many bytes of fuzz input make one event.
const fuzzBytes = 5

// fuzzEvent makes an event from 5 bytes of fuzz input. Most events are
// well-formed for the state (the right role, reasons, a current
// assessment), so that sequences get deep; the rest are malformed in one
// way or another.
func fuzzEvent(a lifecycle.Authorization, b []byte, at *time.Time) lifecycle.Event {
	k := lifecycle.EventKind((b[0] & 0x3f) % uint8(lastKind+2)) // includes EventUnknown and one past the last
	switch {
	case b[1] == 0xff:
		*at = at.AddDate(0, 0, -1) // out of order
	case b[1]&0x80 != 0:
		*at = at.AddDate(0, 0, int(b[1]&0x7f)*7)
	default:
		*at = at.AddDate(0, 0, int(b[1]&0x3f))
	}
	actors := []string{"officer-a", "officer-b", "coord-1", "coord-2", "reviewer", "operator", "", "tribunal"}
	ev := lifecycle.Event{Kind: k, At: *at, Actor: actors[b[2]&7], Approver: actors[(b[2]>>3)&7]}
	switch {
	case b[2]&0xc0 == 0xc0:
		ev.Role = lifecycle.ActorRole(b[4] % 6) // any role, valid or not
	case k == lifecycle.EventAllowAppeal || k == lifecycle.EventDismissAppeal:
		ev.Role = lifecycle.ActorOfficer
		if a.Appeal != nil {
			ev.Role = a.Appeal.Stage.Reviewer()
		}
	default:
		ev.Role = k.Role()
	}
	if ev.Role == lifecycle.ActorOperator && b[2]&0x20 == 0 {
		ev.Actor = "operator"
	}
	types := [][]string{nil, {"AEOC"}, {"AEOS"}, {"AEOC", "AEOS"}}[b[3]&3]
	if k == lifecycle.EventLodge && types == nil && b[3]&0x80 == 0 {
		types = []string{"AEOC", "AEOS"}
	}
	ev.Types = types
	if b[3]&4 != 0 {
		ev.Grade = "T3"
	}
	if b[4]&1 == 0 {
		ev.Reasons = []string{"reasons"}
	}
	if b[4]&2 == 0 {
		ev.Evidence = []string{"evidence"}
	}
	switch (b[3] >> 3) & 3 {
	case 1:
		ev.Assessment = &lifecycle.AssessmentRef{Fingerprint: testFP, AsOf: *at}
	case 2:
		ev.Assessment = &lifecycle.AssessmentRef{Fingerprint: "sha256:stale", AsOf: *at}
	case 3:
		ev.Assessment = &lifecycle.AssessmentRef{Fingerprint: testFP, AsOf: at.AddDate(0, 0, 1)}
	}
	if ev.Assessment != nil {
		recommend := ev.Types
		if k == lifecycle.EventConfirmReassessment || len(recommend) == 0 {
			recommend = nil
			for _, t := range a.Types {
				recommend = append(recommend, t.Type)
			}
		}
		for _, t := range recommend {
			grade := ev.Grade
			if k == lifecycle.EventConfirmReassessment && grade == "" {
				if i := typeIndexOf(a, t); i >= 0 {
					grade = a.Types[i].Grade
				}
			}
			ev.Assessment.Recommended = append(ev.Assessment.Recommended, lifecycle.TypeGrade{Type: t, Grade: grade})
		}
	}
	if k == lifecycle.EventValidate || b[3]&0x40 != 0 {
		m := lifecycle.ValidationMethod(1 + (b[4]>>2)%4) // document_review, on_site, third_party, invalid
		ev.Validation = &lifecycle.ValidationReport{Method: m, Satisfied: b[4]&0x10 == 0}
		if m == lifecycle.ValidationThirdParty {
			ev.Validation.Validator = "validators"
		}
	}
	ev.Stage = lifecycle.AppealStage(1 + (b[4]>>5)%4)
	if b[4]&0x80 != 0 {
		ev.Against = lifecycle.DecisionOmission
	}
	ev.Criterion = []string{"", "competence", "security", "honesty"}[(b[0]>>6)&3]
	ev.Coordinator = []string{"coord-1", "coord-2"}[b[1]&1]
	ev.Interest = b[1]&0x7e == 0x7e
	if b[1]&0x40 != 0 && b[3]&0x20 != 0 {
		ev.Period = calendar.Period{Months: 1}
	}
	if b[4]&0x08 != 0 {
		ev.Benefits = []string{"fast_lane"}
	}
	if k == lifecycle.EventScheduleHearing && b[3]&0x02 == 0 {
		ev.HearingOn = at.AddDate(0, 0, int(b[4]&0x0f))
	}
	switch k {
	case lifecycle.EventGiveConsent, lifecycle.EventWithdrawConsent, lifecycle.EventExportRecords:
		ev.Partners = [][]string{nil, {"PL"}, {"PL", "US"}, {"US", "US"}}[b[4]>>6]
		if b[3]&0x10 == 0 {
			ev.Records = []string{"XX/OP-1#1"}
		}
	case lifecycle.EventNotifyChange, lifecycle.EventReviewChange:
		if b[4]&0x20 == 0 {
			ev.Changes = []lifecycle.Change{{Kind: []string{"new_site", "new_directors"}[b[4]>>7], Sites: [][]string{nil, {"S-9"}}[b[3]&1]}}
		}
	}
	ev.Issue = []string{"Q-1", "Q-2", "", "Q-1"}[(b[0]>>4)&3]
	ev.Step = lifecycle.ControlStep((b[4] >> 4) % 12) // includes none and one past the last
	if c := a.Control; k == lifecycle.EventControlStep && c != nil && b[4]&0x04 == 0 {
		ev.Step = c.Next // the step due, most of the time
	}
	if k == lifecycle.EventAssignCoordinator || k == lifecycle.EventRotateCoordinator {
		if b[3]&0x10 == 0 {
			n := int(b[4]) * 40
			ev.Workload = &lifecycle.Workload{Employees: &n, Complexity: []string{"simple", "complex", "", "unknown"}[b[4]&3]}
		}
		if b[3]&0x20 == 0 {
			ev.Portfolio = &lifecycle.Portfolio{Load: float64(b[2] & 0x3f), Operators: int(b[2] & 7)}
		}
	}
	if ev.Validation != nil && b[0]&0x80 != 0 {
		ev.Validation.Joint = &lifecycle.JointValidation{Partner: "Country Y Customs", Team: []string{"officer-y"}, Satisfied: b[4]&0x20 == 0, Findings: []string{"findings"}}
	}
	if k == lifecycle.EventLodgeRenewal && !a.ValidUntil.IsZero() && b[4]&0x40 != 0 && a.ValidUntil.After(*at) {
		*at = a.ValidUntil // the last day of validity, inside the renewal window
		ev.At = *at
	}
	return ev
}

func typeIndexOf(a lifecycle.Authorization, typ string) int {
	for i, t := range a.Types {
		if t.Type == typ {
			return i
		}
	}
	return -1
}

// fuzzSeed encodes a sequence of events as fuzz input.
func fuzzSeed(events ...[fuzzBytes]byte) []byte {
	var out []byte
	for _, e := range events {
		out = append(out, e[:]...)
	}
	return out
}

// FuzzLifecycle applies a sequence of events made from the input and
// checks the invariants: no panic; a refused event is a *RuleError and
// changes nothing, not even the input; the records verify and end at the
// head; replaying them, also after a JSON round trip, gives the live
// state.
func FuzzLifecycle(f *testing.F) {
	// The model's rules, with some counted in working days of a calendar
	// that lists the holidays of 2025 and 2026 only: events later than
	// that are refused by the calendar rule rather than given a deadline
	// that may fall on a holiday.
	cfg := modelConfig()
	cfg.AcceptanceDeadline = calendar.WorkingDays(3)
	cfg.Hearings = lifecycle.HearingRules{ScheduleWithin: calendar.WorkingDays(10), SubmissionsAfter: calendar.Period{Days: 7, Roll: calendar.RollNext}}
	cfg.Suspension.RemedyDeadline = calendar.Period{Months: 1, End: calendar.AnchorMonth}
	cfg.Coordinator.Capacity = 100
	cfg.Coordinator.Size = []lifecycle.WeightBand{{Min: 0, Weight: 5}, {Min: 250, Weight: 20}, {Min: 5000, Weight: 40}}
	cfg.Coordinator.Complexity = map[string]float64{"simple": 0, "complex": 30}
	cfg.Validation.Joint.Partners = []string{"Country Y Customs"}
	cfg.Validation.Relax = []lifecycle.OnSiteRelaxation{{Methods: []lifecycle.ValidationMethod{lifecycle.ValidationRemote}, Classes: []string{"vendor"}, Source: "fuzz"}}
	cfg.ControlCycle.ChangedControl = calendar.Period{Months: 3}
	cfg.ControlCycle.Within["analysis"] = calendar.WorkingDays(10)
	cal := calendar.MustCompile(calendar.Config{Holidays: map[string][]calendar.Holiday{
		"2025": {{Date: dateAt(2025, time.May, 1)}, {Date: dateAt(2025, time.December, 25)}},
		"2026": {{Date: dateAt(2026, time.January, 1)}},
	}})
	l, err := lifecycle.New(cfg, testFP, testDependsOn(), lifecycle.WithCalendar(cal))
	if err != nil {
		f.Fatal(err)
	}
	k := func(e lifecycle.EventKind) byte { return byte(e) }
	// lodge, accept, validate, grant (AEOC+AEOS, current assessment),
	// suspend competence, lodge appeal, allow it.
	happy := fuzzSeed(
		[fuzzBytes]byte{k(lifecycle.EventLodge), 1, 0, 3, 0},
		[fuzzBytes]byte{k(lifecycle.EventAccept), 1, 0, 0, 0},
		[fuzzBytes]byte{k(lifecycle.EventValidate), 1, 0, 0, 4},
		[fuzzBytes]byte{k(lifecycle.EventGrant), 1, 0x08, 3 | 1<<3, 0},
		[fuzzBytes]byte{k(lifecycle.EventSuspend) | 1<<6, 5, 0, 0, 0},
		[fuzzBytes]byte{k(lifecycle.EventLodgeAppeal), 3, 5, 0, 1 << 5},
		[fuzzBytes]byte{k(lifecycle.EventAllowAppeal), 20, 4, 0, 0},
	)
	f.Add(happy)
	f.Add(append(append([]byte{}, happy...), fuzzSeed(
		[fuzzBytes]byte{k(lifecycle.EventProposeRevocation), 1, 0, 0, 0},
		[fuzzBytes]byte{k(lifecycle.EventRevoke), 1, 0x08, 1, 0},
		[fuzzBytes]byte{k(lifecycle.EventRequestReasons), 1, 5, 0, 0},
		[fuzzBytes]byte{k(lifecycle.EventGiveReasons), 1, 0, 0, 0},
		[fuzzBytes]byte{k(lifecycle.EventLodgeAppeal), 1, 5, 0, 1 << 5},
		[fuzzBytes]byte{k(lifecycle.EventDismissAppeal), 1, 4, 0, 0},
		[fuzzBytes]byte{k(lifecycle.EventLodgeAppeal), 1, 5, 0, 2 << 5},
	)...))
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0xff, 200, 200, 200, 200, 200})
	f.Add(fuzzSeed([fuzzBytes]byte{k(lifecycle.EventLodge), 0, 0, 0, 0}, [fuzzBytes]byte{k(lifecycle.EventAccept), 0x85, 0, 0, 0},
		[fuzzBytes]byte{k(lifecycle.EventLodgeAppeal), 0, 5, 0, 0x80 | 1<<5}))

	base := ymd(2025, 1, 6)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a lifecycle.Authorization
		var recs []lifecycle.Record
		at := base
		for i := 0; i+fuzzBytes <= len(data) && i < 300*fuzzBytes; i += fuzzBytes {
			ev := fuzzEvent(a, data[i:i+fuzzBytes], &at)
			before, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			next, rec, err := l.Apply(a, ev)
			after, _ := json.Marshal(a)
			if !bytes.Equal(before, after) {
				t.Fatalf("event %d (%s) modified the input state", i/fuzzBytes, ev.Kind)
			}
			if err != nil {
				var re *lifecycle.RuleError
				if errors.As(err, &re) && re.Rule == "calendar" && !errors.Is(err, lifecycle.ErrCalendar) {
					t.Fatalf("event %d (%s): a calendar refusal does not wrap ErrCalendar: %v", i/fuzzBytes, ev.Kind, err)
				}
				if !errors.As(err, &re) {
					t.Fatalf("event %d (%s): error %T is not a *RuleError: %v", i/fuzzBytes, ev.Kind, err, err)
				}
				if got, _ := json.Marshal(next); !bytes.Equal(before, got) {
					t.Fatalf("event %d (%s) was refused (%v) but the state changed", i/fuzzBytes, ev.Kind, err)
				}
				continue
			}
			if rec.From != a.Status || rec.To != next.Status {
				t.Fatalf("event %d (%s): record %s → %s, states %s → %s", i/fuzzBytes, ev.Kind, rec.From, rec.To, a.Status, next.Status)
			}
			a = next
			recs = append(recs, rec)
		}
		if err := lifecycle.Trail(recs).VerifyHead(a.Head); err != nil {
			t.Fatalf("the trail does not verify: %v", err)
		}
		got, err := l.Replay(recs)
		if err != nil {
			t.Fatalf("Replay: %v", err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Fatalf("Replay mismatch (-live +replayed):\n%s", diff)
		}
		b, err := json.Marshal(recs)
		if err != nil {
			t.Fatal(err)
		}
		var back []lifecycle.Record
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		got, err = l.Replay(back)
		if err != nil {
			t.Fatalf("Replay after a JSON round trip: %v", err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Fatalf("Replay after a JSON round trip mismatch (-live +replayed):\n%s", diff)
		}
	})
}
