package aeo_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
)

// twoVersions returns a programme and its next version, which declares a
// fact (years registered for VAT) the first does not.
func twoVersions(t *testing.T) (*aeo.Programme, *aeo.Programme) {
	t.Helper()
	const base = `
programme: {name: Facts programme, version: "%s"}
facts:
  - {name: compliance_score, type: float}
%s
criteria:
  - {id: compliance, title: Compliance record}
requirements:
  - {id: C.2, criterion: compliance, title: Score, when: "facts.compliance_score >= 80", source: test}
%s
authorizations:
  - {id: AEO, title: Authorized Economic Operator}
`
	old, err := aeo.Parse("old.yaml", []byte(sprintf(base, "1", "", "")))
	require.NoError(t, err)
	nw, err := aeo.Parse("new.yaml", []byte(sprintf(base, "2", "  - {name: vat_registered_years, type: int}",
		`  - {id: V.1, criterion: compliance, title: VAT, when: "facts.vat_registered_years >= 3", source: test}`)))
	require.NoError(t, err)
	return old, nw
}

func TestImpact_factsOneVersionLacks(t *testing.T) {
	old, nw := twoVersions(t)
	asOf := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		facts   map[string]any
		want    []aeo.Change
		wantErr string
		reason  string
	}{{
		name:  "new fact",
		facts: map[string]any{"compliance_score": 90.0, "vat_registered_years": 1.0},
		want: []aeo.Change{
			{Profile: "P", Kind: "fact", ID: "vat_registered_years", Old: "not declared", New: "read"},
			{Profile: "P", Kind: "requirement", ID: "V.1", Old: "absent", New: "not met"},
			{Profile: "P", Kind: "criterion", ID: "compliance", Old: "met", New: "not met"},
			{Profile: "P", Kind: "authorization", ID: "AEO", Old: "recommend", New: "refuse"},
		},
		reason: "a fact only the new version declares is absent to the old one, and said so; before, it stopped the comparison",
	}, {
		name:    "typo",
		facts:   map[string]any{"compliance_scor": 90.0},
		wantErr: `fact "compliance_scor": the programme declares no such fact; did you mean "compliance_score"?`,
		reason:  "a fact neither version declares is a mistake in the profile, as it is for Assess",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof := &aeo.Profile{OperatorID: "P", Facts: tt.facts}
			got, err := aeo.Impact(t.Context(), old, nw, []*aeo.Profile{prof}, asOf)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr, tt.reason)
				assert.ErrorContains(t, err, "profile 1 (P)", "the error names the profile")
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestCompare_factsOneProgrammeLacks(t *testing.T) {
	old, nw := twoVersions(t)
	samples := []*aeo.Profile{
		{OperatorID: "S1", Facts: map[string]any{"compliance_score": 90.0, "vat_registered_years": 5.0}},
		{OperatorID: "S2", Facts: map[string]any{"compliance_score": 50.0, "vat_registered_years": 3.0}},
	}
	c, err := aeo.Compare(t.Context(), nw, old, samples, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err, "a fact B does not declare does not stop the comparison")
	assert.Equal(t, []aeo.IgnoredFact{
		{Sample: 0, Operator: "S1", Programme: "B", Fact: "vat_registered_years", Problem: "not declared"},
		{Sample: 1, Operator: "S2", Programme: "B", Fact: "vat_registered_years", Problem: "not declared"},
	}, c.Ignored, "the facts each programme assessed without are listed, with the sample")

	_, err = aeo.Compare(t.Context(), nw, old, []*aeo.Profile{{OperatorID: "S3", Facts: map[string]any{"compliance_scor": 1.0}}}, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
	require.ErrorContains(t, err, "did you mean", "a fact neither programme declares is a typo until proven otherwise")
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
