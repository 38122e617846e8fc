package phases_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/phases"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./phases -run %s -update", t.Name())
	if got != string(want) {
		t.Errorf("output differs from %s; rerun with -update and review the diff:\n%s", path, got)
	}
}

func TestReportGolden(t *testing.T) {
	p := phases.Default()
	tests := []struct {
		name   string
		state  func(t *testing.T) phases.State
		asOf   time.Time
		reason string
	}{
		{
			name:   "start",
			state:  func(*testing.T) phases.State { return phases.State{} },
			asOf:   date(2025, 1, 6),
			reason: "a new administration sees every phase ahead and what blocks phase 1",
		},
		{
			name: "enlargement",
			state: func(t *testing.T) phases.State {
				s := toEnlargement(t)
				s = mustApply(t, p, s, phases.Event{Kind: phases.OperatorsAdmitted, Operators: []phases.Operator{
					{ID: "broker-1", Type: phases.Broker, Size: phases.SME},
				}}, date(2026, 1, 12))
				s = mustApply(t, p, s, phases.Event{Kind: phases.TaskDone, ID: "p5-expand"}, date(2026, 2, 2))
				s = mustApply(t, p, s, phases.Event{Kind: phases.IndicatorRecorded, ID: "member-lane-uses", Value: 37}, date(2026, 3, 2))
				return s
			},
			asOf:   date(2026, 8, 3),
			reason: "mid-programme: the second evaluation overdue, a task open, the third wave opening",
		},
		{
			name: "late-evaluation",
			state: func(t *testing.T) phases.State {
				s := toEnlargement(t)
				return mustApply(t, p, s, phases.Event{Kind: phases.EvaluationHeld}, date(2026, 7, 20))
			},
			asOf:   date(2026, 8, 3),
			reason: "an evaluation held after its due date is reported late, not overdue",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := p.Report(tt.state(t), tt.asOf)
			golden(t, "report_"+tt.name+".txt", r.Text())
			var b bytes.Buffer
			require.NoError(t, encodeJSON(&b, r))
			golden(t, "report_"+tt.name+".json", b.String())

			var back phases.Report
			require.NoError(t, json.Unmarshal(b.Bytes(), &back), "Report JSON decodes")
			assert.Equal(t, r.Text(), back.Text(), "the text of a decoded report is the same; %s", tt.reason)
		})
	}
}

func TestReportEvaluations(t *testing.T) {
	p := phases.Default()
	base := toEnlargement(t) // pilot launched 2025-07-01; evaluation held 2025-12-15
	tests := []struct {
		name   string
		held   []time.Time // added after base
		asOf   time.Time
		want   []phases.EvaluationStatus
		reason string
	}{
		{name: "second not yet due", asOf: date(2026, 6, 1),
			want:   []phases.EvaluationStatus{phases.Held, phases.Pending},
			reason: "an evaluation is pending until its due date passes"},
		{name: "second due today", asOf: date(2026, 7, 1),
			want:   []phases.EvaluationStatus{phases.Held, phases.Pending},
			reason: "the due date itself is not overdue"},
		{name: "second overdue", asOf: date(2026, 7, 2),
			want:   []phases.EvaluationStatus{phases.Held, phases.Overdue},
			reason: "overdue is judged against the as-of date"},
		{name: "second held late", held: []time.Time{date(2026, 7, 20)}, asOf: date(2026, 8, 1),
			want:   []phases.EvaluationStatus{phases.Held, phases.HeldLate},
			reason: "late evaluations are flagged"},
		{name: "second held on time", held: []time.Time{date(2026, 6, 30)}, asOf: date(2026, 8, 1),
			want:   []phases.EvaluationStatus{phases.Held, phases.Held},
			reason: "every six months for the first year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := base
			for _, h := range tt.held {
				s = mustApply(t, p, s, phases.Event{Kind: phases.EvaluationHeld}, h)
			}
			r := p.Report(s, tt.asOf)
			var got []phases.EvaluationStatus
			overdue := 0
			for _, e := range r.Evaluations {
				got = append(got, e.Status)
				if e.Status == phases.Overdue {
					overdue++
				}
			}
			assert.Equal(t, tt.want, got, tt.reason)
			assert.Equal(t, overdue, r.Overdue)
			assert.Equal(t, date(2026, 1, 1), r.Evaluations[0].Due)
			assert.Equal(t, date(2026, 7, 1), r.Evaluations[1].Due)
		})
	}
}

func TestReportInvalid(t *testing.T) {
	tests := []struct {
		name   string
		plan   *phases.Plan
		state  phases.State
		want   string
		reason string
	}{
		{name: "nil plan", plan: nil, want: "no plan", reason: "Report never panics"},
		{name: "phase out of range", plan: phases.Default(), state: phases.State{Phase: 12},
			want: "state in phase 12", reason: "a state from another plan is reported, not guessed at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.plan.Report(tt.state, date(2025, 1, 6))
			assert.Contains(t, r.Invalid, tt.want, tt.reason)
			assert.Empty(t, r.Phases)
			assert.Contains(t, r.Text(), "no report: ")
		})
	}
}

// TestReportOwnsItsSlices checks that changing a report cannot change the
// plan it came from.
func TestReportOwnsItsSlices(t *testing.T) {
	p := phases.Default()
	r := p.Report(phases.State{}, date(2025, 1, 6))
	r.Phases[0].Open[2].Owners[0] = phases.Legislative
	r.Waves[0].Types[0] = phases.Broker
	cfg := p.Config()
	assert.Equal(t, phases.TradeManagement, cfg.Phases[0].Tasks[2].Owners[0])
	assert.Equal(t, phases.Importer, cfg.Admission.Waves[0].Types[0])
}
