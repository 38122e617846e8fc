package aeo_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/safe-aeo/engine/aeo"
)

// lcFuzzBytes is how many bytes of fuzz input make one event.
const lcFuzzBytes = 5

// lcFuzzEvent makes an event from 5 bytes of fuzz input. Most events are
// well-formed for the state (the right role, reasons, a current
// assessment), so that sequences get deep; the rest are malformed in one
// way or another.
func lcFuzzEvent(a aeo.Authorization, b []byte, at *time.Time) aeo.Event {
	k := aeo.EventKind((b[0] & 0x3f) % uint8(lcLastKind+2)) // includes EventUnknown and one past the last
	switch {
	case b[1] == 0xff:
		*at = at.AddDate(0, 0, -1) // out of order
	case b[1]&0x80 != 0:
		*at = at.AddDate(0, 0, int(b[1]&0x7f)*7)
	default:
		*at = at.AddDate(0, 0, int(b[1]&0x3f))
	}
	actors := []string{"officer-a", "officer-b", "coord-1", "coord-2", "reviewer", "operator", "", "tribunal"}
	ev := aeo.Event{Kind: k, At: *at, Actor: actors[b[2]&7], Approver: actors[(b[2]>>3)&7]}
	switch {
	case b[2]&0xc0 == 0xc0:
		ev.Role = aeo.ActorRole(b[4] % 6) // any role, valid or not
	case k == aeo.EventAllowAppeal || k == aeo.EventDismissAppeal:
		ev.Role = aeo.ActorOfficer
		if a.Appeal != nil {
			ev.Role = a.Appeal.Stage.Reviewer()
		}
	default:
		ev.Role = k.Role()
	}
	if ev.Role == aeo.ActorOperator && b[2]&0x20 == 0 {
		ev.Actor = "operator"
	}
	types := [][]string{nil, {"AEOC"}, {"AEOS"}, {"AEOC", "AEOS"}}[b[3]&3]
	if k == aeo.EventLodge && types == nil && b[3]&0x80 == 0 {
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
		ev.Assessment = &aeo.AssessmentRef{Fingerprint: lcFP, AsOf: *at}
	case 2:
		ev.Assessment = &aeo.AssessmentRef{Fingerprint: "sha256:stale", AsOf: *at}
	case 3:
		ev.Assessment = &aeo.AssessmentRef{Fingerprint: lcFP, AsOf: at.AddDate(0, 0, 1)}
	}
	if ev.Assessment != nil {
		recommend := ev.Types
		if k == aeo.EventConfirmReassessment || len(recommend) == 0 {
			recommend = nil
			for _, t := range a.Types {
				recommend = append(recommend, t.Type)
			}
		}
		for _, t := range recommend {
			grade := ev.Grade
			if k == aeo.EventConfirmReassessment && grade == "" {
				if i := typeIndexOf(a, t); i >= 0 {
					grade = a.Types[i].Grade
				}
			}
			ev.Assessment.Recommended = append(ev.Assessment.Recommended, aeo.Recommendation{Type: t, Grade: grade})
		}
	}
	if k == aeo.EventValidate || b[3]&0x40 != 0 {
		m := aeo.ValidationMethod(1 + (b[4]>>2)%4) // document_review, on_site, third_party, invalid
		ev.Validation = &aeo.ValidationReport{Method: m, Satisfied: b[4]&0x10 == 0}
		if m == aeo.ValidationThirdParty {
			ev.Validation.Validator = "validators"
		}
	}
	ev.Stage = aeo.AppealStage(1 + (b[4]>>5)%4)
	if b[4]&0x80 != 0 {
		ev.Against = aeo.DecisionOmission
	}
	ev.Criterion = []string{"", "competence", "security", "honesty"}[(b[0]>>6)&3]
	ev.Coordinator = []string{"coord-1", "coord-2"}[b[1]&1]
	ev.Interest = b[1]&0x7e == 0x7e
	if b[1]&0x40 != 0 && b[3]&0x20 != 0 {
		ev.Period = aeo.Period{Months: 1}
	}
	return ev
}

func typeIndexOf(a aeo.Authorization, typ string) int {
	for i, t := range a.Types {
		if t.Type == typ {
			return i
		}
	}
	return -1
}

// lcFuzzSeed encodes a sequence of events as fuzz input.
func lcFuzzSeed(events ...[lcFuzzBytes]byte) []byte {
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
	l, err := aeo.NewLifecycle(lcModelConfig(), lcFP, lcDependsOn())
	if err != nil {
		f.Fatal(err)
	}
	k := func(e aeo.EventKind) byte { return byte(e) }
	// lodge, accept, validate, grant (AEOC+AEOS, current assessment),
	// suspend competence, lodge appeal, allow it.
	happy := lcFuzzSeed(
		[lcFuzzBytes]byte{k(aeo.EventLodge), 1, 0, 3, 0},
		[lcFuzzBytes]byte{k(aeo.EventAccept), 1, 0, 0, 0},
		[lcFuzzBytes]byte{k(aeo.EventValidate), 1, 0, 0, 4},
		[lcFuzzBytes]byte{k(aeo.EventGrant), 1, 0x08, 3 | 1<<3, 0},
		[lcFuzzBytes]byte{k(aeo.EventSuspend) | 1<<6, 5, 0, 0, 0},
		[lcFuzzBytes]byte{k(aeo.EventLodgeAppeal), 3, 5, 0, 1 << 5},
		[lcFuzzBytes]byte{k(aeo.EventAllowAppeal), 20, 4, 0, 0},
	)
	f.Add(happy)
	f.Add(append(append([]byte{}, happy...), lcFuzzSeed(
		[lcFuzzBytes]byte{k(aeo.EventProposeRevocation), 1, 0, 0, 0},
		[lcFuzzBytes]byte{k(aeo.EventRevoke), 1, 0x08, 1, 0},
		[lcFuzzBytes]byte{k(aeo.EventRequestReasons), 1, 5, 0, 0},
		[lcFuzzBytes]byte{k(aeo.EventGiveReasons), 1, 0, 0, 0},
		[lcFuzzBytes]byte{k(aeo.EventLodgeAppeal), 1, 5, 0, 1 << 5},
		[lcFuzzBytes]byte{k(aeo.EventDismissAppeal), 1, 4, 0, 0},
		[lcFuzzBytes]byte{k(aeo.EventLodgeAppeal), 1, 5, 0, 2 << 5},
	)...))
	f.Add([]byte{0, 0xff, 0xff, 0xff, 0xff, 200, 200, 200, 200, 200})
	f.Add(lcFuzzSeed([lcFuzzBytes]byte{k(aeo.EventLodge), 0, 0, 0, 0}, [lcFuzzBytes]byte{k(aeo.EventAccept), 0x85, 0, 0, 0},
		[lcFuzzBytes]byte{k(aeo.EventLodgeAppeal), 0, 5, 0, 0x80 | 1<<5}))

	base := lcDay(2025, 1, 6)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a aeo.Authorization
		var recs []aeo.Record
		at := base
		for i := 0; i+lcFuzzBytes <= len(data) && i < 300*lcFuzzBytes; i += lcFuzzBytes {
			ev := lcFuzzEvent(a, data[i:i+lcFuzzBytes], &at)
			before, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			next, rec, err := l.Apply(a, ev)
			after, _ := json.Marshal(a)
			if !bytes.Equal(before, after) {
				t.Fatalf("event %d (%s) modified the input state", i/lcFuzzBytes, ev.Kind)
			}
			if err != nil {
				var re *aeo.RuleError
				if !errors.As(err, &re) {
					t.Fatalf("event %d (%s): error %T is not a *RuleError: %v", i/lcFuzzBytes, ev.Kind, err, err)
				}
				if got, _ := json.Marshal(next); !bytes.Equal(before, got) {
					t.Fatalf("event %d (%s) was refused (%v) but the state changed", i/lcFuzzBytes, ev.Kind, err)
				}
				continue
			}
			if rec.From != a.Status || rec.To != next.Status {
				t.Fatalf("event %d (%s): record %s → %s, states %s → %s", i/lcFuzzBytes, ev.Kind, rec.From, rec.To, a.Status, next.Status)
			}
			a = next
			recs = append(recs, rec)
		}
		if err := aeo.VerifyHead(recs, a.Head); err != nil {
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
		var back []aeo.Record
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
