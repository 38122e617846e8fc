package report_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/phases"
	"github.com/safe-aeo/engine/report"
)

// TestReportsSayWhatTheyCannotShow renders reports over incomplete or
// damaged inputs: each must say what it could not show rather than draw
// a picture that looks complete.
func TestReportsSayWhatTheyCannotShow(t *testing.T) {
	p, err := aeo.Load("testdata/programme.yaml")
	require.NoError(t, err)
	var hist report.History
	for _, f := range fixtures(t) {
		if f.name == "history" {
			hist = f.report.(report.History)
		}
	}
	require.NotEmpty(t, hist.Trail)
	tampered := append(lifecycle.Trail(nil), hist.Trail...)
	tampered[6].Event.Reasons = []string{"nothing happened"}
	cut := hist.Trail[:5]

	cases := []struct {
		name    string
		r       renderer
		want    []string
		notWant []string
		reason  string
	}{
		{name: "history without rules", r: report.History{Trail: hist.Trail, AsOf: hist.AsOf},
			want: []string{"the deadlines cannot be computed"}, notWant: []string{"<h2>Deadlines</h2>"},
			reason: "without the lifecycle rules no deadline is drawn, and the page says why"},
		{name: "tampered trail", r: report.History{Machine: hist.Machine, Trail: tampered, AsOf: hist.AsOf},
			want:   []string{"The audit trail does not verify", "application lodged"},
			reason: "a record changed after the fact: the events before it are shown under a warning"},
		{name: "trail cut short", r: report.History{Machine: hist.Machine, Trail: cut, Head: hist.Head, AsOf: hist.AsOf},
			want:   []string{"The audit trail does not verify"},
			reason: "records cut off the end are caught by the head kept with the state"},
		{name: "empty trail", r: report.History{Machine: hist.Machine},
			want:   []string{"No event has been recorded.", "nothing lodged"},
			reason: "an operator that lodged nothing"},
		{name: "ledger without baselines", r: report.Benefits{Report: emptyLedgerReport(t, p)},
			want:   []string{"No benefit in this report has a baseline", "No record falls in this period."},
			reason: "no chart is drawn when nothing can be compared"},
		{name: "unusable plan", r: report.Phases{Report: phases.Report{Plan: "broken", Invalid: "the state names phase 12 of a 9-phase plan"}},
			want:   []string{"No progress can be reported: the state names phase 12"},
			reason: "a state that does not fit the plan is reported, not drawn"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, tt.r.WriteHTML(&buf, report.Options{}))
			for _, w := range tt.want {
				assert.Contains(t, buf.String(), w, tt.reason)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, buf.String(), w, tt.reason)
			}
		})
	}
}

func emptyLedgerReport(t *testing.T, p *aeo.Programme) benefits.Report {
	t.Helper()
	r, err := benefits.NewLedger(p.Benefits()).Report(day(2025, 1, 1), day(2025, 2, 1), benefits.GroupBy{Benefit: true})
	require.NoError(t, err)
	return r
}
