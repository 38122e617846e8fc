package risk_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/risk"
)

// stream returns n entries of a mixed population: a tenth AEOS holders,
// a tenth AEOC holders, some C-TPAT members and a few suspended AEOs.
func stream(n int) []risk.Entry {
	chapters := []string{"08", "22", "24", "84", "93", "61", "85", "30"}
	origins := []string{"US", "CN", "DE", "", "TR", "IN"}
	ops := []risk.Operator{
		{ID: "SEC", Status: "authorized", Types: []string{"AEOS"}},
		{ID: "CUS", Status: "authorized", Types: []string{"AEOC"}},
		{ID: "CTP", Partner: "US C-TPAT"},
		{ID: "SUS", Status: "suspended", Types: []string{"AEOS"}},
	}
	out := make([]risk.Entry, n)
	for i := range out {
		d := risk.Declaration{
			ID:        fmt.Sprintf("B%08d", i),
			Date:      day("2025-03-01"),
			HSCode:    chapters[i%len(chapters)] + "0810",
			Origin:    origins[(i/3)%len(origins)],
			Value:     float64((i * 7919) % 200000),
			Procedure: []string{"4000", "5100", "4071"}[(i/7)%3],
			Facts:     map[string]any{"risk_score": float64((i * 31) % 100)},
		}
		out[i].Declaration = d
		switch i % 20 {
		case 0, 1:
			out[i].Operator = ops[0]
		case 2, 3:
			out[i].Operator = ops[1]
		case 4:
			out[i].Operator = ops[2]
		case 5:
			out[i].Operator = ops[3]
		}
	}
	return out
}

func TestSelector_SelectBatch(t *testing.T) {
	s := lanesSelector(t)
	entries := stream(20_000)
	// The summary, worked out declaration by declaration.
	var want risk.LaneCounts
	fired := map[string]int{}
	statuses := map[string]int{}
	for i := range entries {
		e := &entries[i]
		dec := s.Select(&e.Declaration, &e.Operator)
		switch dec.Lane {
		case risk.Red:
			want.Red++
		case risk.Yellow:
			want.Yellow++
		case risk.Blue:
			want.Blue++
		case risk.Green:
			want.Green++
		}
		for _, id := range dec.Fired() {
			fired[id]++
		}
		statuses[dec.Status]++
	}
	var first risk.Summary
	for _, workers := range []int{1, 3, 8, 0} {
		got, err := s.SelectBatch(t.Context(), slices.Values(entries), workers)
		require.NoError(t, err)
		assert.Equal(t, len(entries), got.Total)
		assert.Equal(t, want, got.Lanes, "workers=%d: the batch agrees with Select", workers)
		for _, r := range got.Rules {
			assert.Equal(t, fired[r.Rule], r.Fired, "rule %s", r.Rule)
		}
		for _, g := range got.Statuses {
			assert.Equal(t, statuses[g.Group], g.Total, "status %s", g.Group)
		}
		if workers == 1 {
			first = got
			continue
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("workers=%d: summary depends on scheduling (-1 worker +%d):\n%s", workers, workers, diff)
		}
	}
	share := first.Shares.Red + first.Shares.Yellow + first.Shares.Blue + first.Shares.Green
	assert.InDelta(t, 1, share, 1e-9, "the lane shares add up to one")
	b, err := json.MarshalIndent(first, "", "  ")
	require.NoError(t, err)
	golden(t, "summary.json", append(b, '\n'))
}

func TestSelector_SelectBatch_cancel(t *testing.T) {
	s := lanesSelector(t)
	ctx, cancel := context.WithCancel(t.Context())
	entries := stream(10_000)
	var seq iter.Seq[risk.Entry] = func(yield func(risk.Entry) bool) {
		for i, e := range entries {
			if i == 3000 {
				cancel()
			}
			if !yield(e) {
				return
			}
		}
	}
	_, err := s.SelectBatch(ctx, seq, 4)
	assert.True(t, errors.Is(err, context.Canceled), "a cancelled batch returns the context's error, got %v", err)
}

func TestSelector_SelectBatch_empty(t *testing.T) {
	s := lanesSelector(t)
	got, err := s.SelectBatch(t.Context(), slices.Values([]risk.Entry(nil)), 2)
	require.NoError(t, err)
	assert.Equal(t, 0, got.Total)
	assert.Equal(t, risk.LaneRates{}, got.Shares, "no declaration, no share: zero, never 0/0")
	assert.Len(t, got.Rules, len(lanes().Rules), "every rule is listed, even with nothing selected")
	for _, r := range got.Rules {
		assert.Zero(t, r.Share, "%s: a rule that saw no declaration has no share, not 0/0", r.Rule)
	}
}

func TestTally(t *testing.T) {
	s := lanesSelector(t)
	other := lanesSelector(t)
	entries := stream(5_000)
	want, err := s.SelectBatch(t.Context(), slices.Values(entries), 1)
	require.NoError(t, err)
	tests := []struct {
		name   string
		split  int
		reason string
	}{
		{name: "one", split: 1, reason: "one tally counts what SelectBatch counts"},
		{name: "three", split: 3, reason: "tallies merged give the summary of the whole batch, however the entries were spread"},
		{name: "uneven", split: 7, reason: "tallies of different sizes merge the same"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tallies := make([]*risk.Tally, tt.split)
			for i := range tallies {
				tallies[i] = s.NewTally()
			}
			for i := range entries {
				e := &entries[i]
				dec := tallies[(i*i)%tt.split].Select(&e.Declaration, &e.Operator)
				require.Equal(t, s.Select(&e.Declaration, &e.Operator), dec, "%s: Tally.Select decides as Select", e.Declaration.ID)
			}
			for _, o := range tallies[1:] {
				require.True(t, tallies[0].Merge(o))
			}
			if diff := cmp.Diff(want, tallies[0].Summary()); diff != "" {
				t.Errorf("%s (-SelectBatch +tallies):\n%s", tt.reason, diff)
			}
		})
	}
	tl := s.NewTally()
	assert.False(t, tl.Merge(other.NewTally()), "a tally of another selector does not merge")
	assert.Equal(t, 0, tl.Summary().Total, "and leaves the tally unchanged")
}
