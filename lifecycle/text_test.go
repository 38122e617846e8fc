package lifecycle_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/lifecycle"
)

// TestInvalidUTF8IsRefused checks that no event whose text is not valid
// UTF-8 gets into a trail: encoding/json writes such bytes as U+FFFD, so
// "ACME\xffLtd" and "ACME\xfeLtd" would hash the same and a change from
// one to the other would pass Verify, VerifyHead and Replay.
func TestInvalidUTF8IsRefused(t *testing.T) {
	l := machineFor(t, "eu")
	tests := []struct {
		name   string
		edit   func(*lifecycle.Event)
		rule   string
		reason string
	}{
		{"actor", func(e *lifecycle.Event) { e.Actor = "ACME\xffLtd" }, "event.actor", "the actor is part of the hashed record"},
		{"reason", func(e *lifecycle.Event) { e.Reasons = []string{"ok", "bad \xfe byte"} }, "event.reasons[1]", "every list entry is checked"},
		{"type", func(e *lifecycle.Event) { e.Types = []string{"AEOC", "AEO\xc3"} }, "event.types[1]", "a truncated multi-byte character is invalid too"},
		{"evidence", func(e *lifecycle.Event) { e.Evidence = []string{"\xed\xa0\x80"} }, "event.evidence[0]", "an encoded surrogate is not valid UTF-8"},
		{"grade", func(e *lifecycle.Event) { e.Grade = "\x80" }, "event.grade", "a lone continuation byte"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := startFlow(t, l)
			ev := lodgeEvent(ymd(2025, 1, 6), "", "AEOC")
			tt.edit(&ev)
			requireRule(t, f.try(ev), lifecycle.ErrInvalidEvent, tt.rule, tt.reason)
		})
	}
	// Valid text of any script is accepted, U+FFFD included.
	f := startFlow(t, l)
	ev := lodgeEvent(ymd(2025, 1, 6), "", "AEOC")
	ev.Actor = "ACME\uFFFDLtd — Société Générale 株式会社"
	f.do(ev)
}

// TestTamperedBytesAreFound checks that a record changed to hold bytes
// that are not UTF-8, which hash as the record it replaced, is found by
// Verify, VerifyHead and Replay.
func TestTamperedBytesAreFound(t *testing.T) {
	l := machineFor(t, "eu")
	f := startFlow(t, l)
	ev := lodgeEvent(ymd(2025, 1, 6), "", "AEOC")
	ev.Actor = "ACME\uFFFDLtd"
	f.do(ev)
	f.do(acceptEvent(ymd(2025, 1, 7)))
	require.NoError(t, lifecycle.Trail(f.recs).VerifyHead(f.a.Head))

	tampered := append([]lifecycle.Record(nil), f.recs...)
	tampered[0].Event.Actor = "ACME\xfeLtd"
	for name, err := range map[string]error{
		"Verify":     lifecycle.Trail(tampered).Verify(),
		"VerifyHead": lifecycle.Trail(tampered).VerifyHead(f.a.Head),
	} {
		var ae *lifecycle.AuditError
		require.ErrorAs(t, err, &ae, name)
		require.ErrorIs(t, err, lifecycle.ErrTampered, name)
		require.Equal(t, 0, ae.Index, name)
	}
	_, err := l.Replay(tampered)
	require.ErrorIs(t, err, lifecycle.ErrTampered, "Replay")
}

// TestUnknownTypeRefusedAtLodge checks that an application for a type the
// programme does not define is refused when it is lodged, not lodged,
// accepted and validated to fail only at the grant.
func TestUnknownTypeRefusedAtLodge(t *testing.T) {
	open := machineFor(t, "eu")
	l, err := lifecycle.New(loadConfig(t, "eu"), testFP, testDependsOn(), lifecycle.WithTypes("AEOC", "AEOS", "AEOF"))
	require.NoError(t, err)
	none, err := lifecycle.New(loadConfig(t, "eu"), testFP, testDependsOn(), lifecycle.WithTypes())
	require.NoError(t, err)
	tests := []struct {
		name   string
		l      *lifecycle.Machine
		types  []string
		ok     bool
		reason string
	}{
		{"known types", l, []string{"AEOC", "AEOS"}, true, "the programme's types are applied for"},
		{"a misspelt type", l, []string{"AEOC", "AOES"}, false, "AOES is no type of the programme: refused with its rule at the lodge"},
		{"a type of another programme", l, []string{"AEO"}, false, "the single SAFE status is not the EU's"},
		{"case matters", l, []string{"aeoc"}, false, "types are IDs, compared exactly as the grant compares them"},
		{"no types defined", none, []string{"AEO"}, false, "a programme that defines no types grants none"},
		{"types not given", open, []string{"ANYTHING"}, true, "a machine not told the types (built without a programme) accepts any"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := startFlow(t, tt.l).try(lodgeEvent(ymd(2025, 1, 6), "", tt.types...))
			if tt.ok {
				require.NoError(t, err, tt.reason)
				return
			}
			requireRule(t, err, lifecycle.ErrInvalidEvent, "event.types", tt.reason)
		})
	}
	// A resubmission naming an unknown type is refused too.
	f := startFlow(t, l).do(lodgeEvent(ymd(2025, 1, 6), "", "AEOC")).do(withReasons(officerEvent(lifecycle.EventReturn, ymd(2025, 1, 7))))
	ev := operatorEvent(lifecycle.EventResubmit, ymd(2025, 1, 8))
	ev.Types = []string{"AEOX"}
	requireRule(t, f.try(ev), lifecycle.ErrInvalidEvent, "event.types", "resubmitting for an unknown type")
	ev.Types = []string{"AEOS"}
	require.NoError(t, f.try(ev), "resubmitting for a known type")
}
