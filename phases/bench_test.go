package phases_test

import (
	"testing"

	"github.com/safe-aeo/engine/phases"
)

// BenchmarkApply measures one Apply on a mid-programme state (phase 5,
// eleven operators, about fifty tasks done); the cost is dominated by the
// copy of the state that keeps Apply pure.
func BenchmarkApply(b *testing.B) {
	p := phases.Default()
	s := toEnlargement(b)
	at := date(2026, 1, 12)
	benches := []struct {
		name string
		ev   phases.Event
	}{
		{"task-done", phases.Event{Kind: phases.TaskDone, ID: "p5-expand"}},
		{"operators-admitted", phases.Event{Kind: phases.OperatorsAdmitted, Operators: []phases.Operator{
			{ID: "broker-1", Type: phases.Broker, Size: phases.SME},
		}}},
		{"advance-phase-blocked", phases.Event{Kind: phases.AdvancePhase}},
	}
	for _, bb := range benches {
		b.Run(bb.name, func(b *testing.B) {
			_, wantErr := p.Apply(s, bb.ev, at)
			b.ReportAllocs()
			for b.Loop() {
				_, err := p.Apply(s, bb.ev, at)
				if (err == nil) != (wantErr == nil) {
					b.Fatalf("Apply(%v) = %v, want %v", bb.ev.Kind, err, wantErr)
				}
			}
		})
	}
}

// BenchmarkReport measures a report and its text on the same state.
func BenchmarkReport(b *testing.B) {
	p := phases.Default()
	s := toEnlargement(b)
	at := date(2026, 8, 3)
	b.Run("data", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if r := p.Report(s, at); r.Invalid != "" {
				b.Fatal(r.Invalid)
			}
		}
	})
	b.Run("text", func(b *testing.B) {
		r := p.Report(s, at)
		b.ReportAllocs()
		for b.Loop() {
			if r.Text() == "" {
				b.Fatal("empty text")
			}
		}
	})
}
