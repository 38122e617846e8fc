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
