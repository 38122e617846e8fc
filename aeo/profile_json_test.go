package aeo_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
)

// TestProfileJSONDates checks that a profile reads the same from JSON as
// from a file: dates as 2024-02-01 or RFC 3339, strictly.
func TestProfileJSONDates(t *testing.T) {
	tests := []struct {
		name   string
		json   string
		want   time.Time
		err    string
		reason string
	}{
		{"date", `{"operator_id": "X", "established": "2024-02-01"}`, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), "", "the date format programme and profile files use"},
		{"RFC 3339", `{"operator_id": "X", "established": "2024-02-01T00:00:00Z"}`, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), "", "what encoding/json writes"},
		{"loose date", `{"operator_id": "X", "established": "2024-2-1"}`, time.Time{}, `established: want a date such as 2024-05-01`, "refused as ParseProfile refuses it"},
		{"unknown key", `{"operator_id": "X", "establishd": "2024-02-01"}`, time.Time{}, `unknown key "establishd"; did you mean "established"?`, "strict as the files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p aeo.Profile
			err := json.Unmarshal([]byte(tt.json), &p)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.True(t, tt.want.Equal(p.Established), tt.reason)
			file, err := aeo.ParseProfile("p.json", []byte(tt.json))
			require.NoError(t, err)
			if diff := cmp.Diff(*file, p, cmpopts.IgnoreUnexported(aeo.Profile{})); diff != "" {
				t.Errorf("the same profile as from a file (-file +json):\n%s", diff)
			}
		})
	}
	// A profile survives a JSON round trip.
	prof, err := aeo.LoadProfile("testdata/profiles/importer.yaml")
	require.NoError(t, err)
	b, err := json.Marshal(prof)
	require.NoError(t, err)
	var back aeo.Profile
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, prof.Established, back.Established)
	assert.Equal(t, prof.Compliance.Infringements, back.Compliance.Infringements)
}

// TestAssessmentDateInRange checks that an as_of date a JSON result could
// not hold is refused rather than breaking the output later.
func TestAssessmentDateInRange(t *testing.T) {
	p, err := aeo.Baseline()
	require.NoError(t, err)
	prof := &aeo.Profile{OperatorID: "X"}
	for _, y := range []int{-1, 10000, 300000} {
		_, err := p.Assess(context.Background(), prof, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC))
		require.ErrorContains(t, err, "outside the years 0 to 9999", "year %d", y)
	}
	a, err := p.Assess(context.Background(), prof, time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	_, err = json.Marshal(a)
	require.NoError(t, err, "the last day JSON can hold")
}
