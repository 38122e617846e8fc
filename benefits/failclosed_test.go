package benefits_test

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
)

// TestCatalogue_Decide_threeValued decides eligibility rules in
// three-valued logic, as requirements are: a rule whose facts are partly
// missing is decided when the facts present settle it.
func TestCatalogue_Decide_threeValued(t *testing.T) {
	cfg := benefits.Config{
		Catalogues: []string{"none"},
		Facts:      []criteria.FactDecl{{Name: "a", Type: "bool"}, {Name: "b", Type: "bool"}, {Name: "score", Type: "float"}},
		Add: []benefits.Benefit{
			{ID: "and", Title: "a and b", Eligible: "facts.a && facts.b", Source: "test"},
			{ID: "or", Title: "not a or b", Eligible: "!facts.a || facts.b", Source: "test"},
			{ID: "score", Title: "score not below 80", Eligible: "not (facts.score < 80)", Source: "test"},
			{ID: "fails", Title: "a rule that fails", Eligible: "facts.a && int(grade) > 0", Source: "test"},
		},
	}
	c, err := benefits.Compile(cfg)
	require.NoError(t, err)
	at := date(2025, 9, 1)
	h := func(facts map[string]any) *benefits.Holder {
		return &benefits.Holder{Status: "authorized", Grade: "A", Facts: facts}
	}
	tests := []struct {
		name    string
		benefit string
		facts   map[string]any
		want    benefits.Status
		missing []string
		reason  string
		why     string
	}{
		{name: "and, a false, b missing", benefit: "and", facts: map[string]any{"a": false},
			want: benefits.NotEligible, missing: nil,
			why: "a && b cannot hold with a false, whatever b is"},
		{name: "and, a true, b missing", benefit: "and", facts: map[string]any{"a": true},
			want: benefits.CannotDecide, missing: []string{"facts.b"}, reason: "cannot decide",
			why: "a && b with a true depends on b"},
		{name: "and, both true", benefit: "and", facts: map[string]any{"a": true, "b": true},
			want: benefits.Granted, why: "both facts present and true"},
		{name: "or, a false, b missing", benefit: "or", facts: map[string]any{"a": false},
			want: benefits.Granted, missing: nil,
			why: "!a || b holds with a false, whatever b is"},
		{name: "or, a true, b missing", benefit: "or", facts: map[string]any{"a": true},
			want: benefits.CannotDecide, missing: []string{"facts.b"},
			why: "!a || b with a true depends on b"},
		{name: "or, nothing known", benefit: "or", facts: nil,
			want: benefits.CannotDecide, missing: []string{"facts.a", "facts.b"},
			why: "nothing settles the rule"},
		{name: "score NaN", benefit: "score", facts: map[string]any{"score": math.NaN()},
			want: benefits.CannotDecide, missing: []string{"facts.score"}, reason: "facts.score not a finite number",
			why: "not (NaN < 80) is true: a NaN must not grant the benefit"},
		{name: "score infinite", benefit: "score", facts: map[string]any{"score": math.Inf(1)},
			want: benefits.CannotDecide, missing: []string{"facts.score"}, reason: "not a finite number",
			why: "an infinite score is no score"},
		{name: "score finite", benefit: "score", facts: map[string]any{"score": 85.0},
			want: benefits.Granted, why: "a real score of 85 is not below 80"},
		{name: "NaN fact not read", benefit: "and", facts: map[string]any{"a": true, "b": true, "score": math.NaN()},
			want: benefits.Granted, why: "a NaN in a fact the rule does not read changes nothing"},
		{name: "failing leaf settled", benefit: "fails", facts: map[string]any{"a": false},
			want: benefits.NotEligible,
			why:  "a && (failing) is false with a false: the rule is not run on the facts present"},
		{name: "failing rule", benefit: "fails", facts: map[string]any{"a": true},
			want: benefits.CannotDecide, reason: "rule failed",
			why: "int(\"A\") fails: the benefit is neither granted nor refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Decide(h(tt.facts), tt.benefit, at)
			require.NoError(t, err)
			if got.Status != tt.want {
				t.Fatalf("Decide(%s) = %v (%s), want %v; %s", tt.benefit, got.Status, got.Reason, tt.want, tt.why)
			}
			if diff := cmp.Diff(tt.missing, got.Missing); diff != "" {
				t.Errorf("Missing mismatch (-want +got):\n%s%s", diff, tt.why)
			}
			assert.Contains(t, got.Reason, tt.reason, tt.why)
		})
	}
}

// TestCatalogue_Decide_stairwayThreeValued decides stairway steps in
// three-valued logic too.
func TestCatalogue_Decide_stairwayThreeValued(t *testing.T) {
	cfg := benefits.Config{
		Catalogues: []string{"none"},
		Facts:      []criteria.FactDecl{{Name: "audited", Type: "bool"}},
		Steps: []benefits.Step{
			{Level: 1, Title: "compliant", Source: "test"},
			{Level: 2, Title: "low risk or audited", When: `risk_level == "low" || facts.audited`, Source: "test"},
			{Level: 3, Title: "low risk and audited", When: `risk_level == "low" && facts.audited`, Source: "test"},
		},
		Add: []benefits.Benefit{
			{ID: "two", Title: "on step 2", Level: 2, Source: "test"},
			{ID: "three", Title: "on step 3", Level: 3, Source: "test"},
		},
	}
	c, err := benefits.Compile(cfg)
	require.NoError(t, err)
	at := date(2025, 9, 1)
	tests := []struct {
		name      string
		risk      string
		facts     map[string]any
		two       benefits.Status
		three     benefits.Status
		threeMiss []string
		why       string
	}{
		{name: "low risk, audit unknown", risk: "low", two: benefits.Granted, three: benefits.CannotDecide, threeMiss: []string{"facts.audited"},
			why: "step 2 holds on low risk alone; step 3 needs the audit too"},
		{name: "high risk, audit unknown", risk: "high", two: benefits.CannotDecide, three: benefits.CannotDecide, threeMiss: []string{"facts.audited"},
			why: "step 2 depends on the audit for a high-risk holder, and no higher step is decided before it"},
		{name: "high risk, audited", risk: "high", facts: map[string]any{"audited": true}, two: benefits.Granted, three: benefits.NotEligible,
			why: "step 3 needs low risk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &benefits.Holder{Status: "authorized", RiskLevel: tt.risk, Facts: tt.facts}
			two, err := c.Decide(h, "two", at)
			require.NoError(t, err)
			assert.Equal(t, tt.two, two.Status, "%s: %s", two.Reason, tt.why)
			three, err := c.Decide(h, "three", at)
			require.NoError(t, err)
			assert.Equal(t, tt.three, three.Status, "%s: %s", three.Reason, tt.why)
			if tt.threeMiss != nil {
				assert.Equal(t, tt.threeMiss, three.Missing, tt.why)
			}
		})
	}
}

// TestCatalogue_Decide_stairwayFails checks that a stairway step whose
// rule fails leaves the benefits above it undecided, never refused or
// granted.
func TestCatalogue_Decide_stairwayFails(t *testing.T) {
	cfg := benefits.Config{
		Catalogues: []string{"none"},
		Steps: []benefits.Step{
			{Level: 1, Title: "graded", When: `grade != "none"`, Source: "test"},
			{Level: 2, Title: "numbered grade", When: "int(grade) > 1", Source: "test"},
		},
		Add: []benefits.Benefit{
			{ID: "one", Title: "on step 1", Level: 1, Source: "test"},
			{ID: "two", Title: "on step 2", Level: 2, Source: "test"},
		},
	}
	c, err := benefits.Compile(cfg)
	require.NoError(t, err)
	at := date(2025, 9, 1)
	tests := []struct {
		name    string
		grade   string
		benefit string
		want    benefits.Status
		reason  string
		why     string
	}{
		{name: "step rule fails", grade: "AA", benefit: "two", want: benefits.CannotDecide,
			reason: "stairway step 2 (numbered grade): rule failed",
			why:    "int(\"AA\") fails: the holder's step cannot be decided, and neither can the benefit"},
		{name: "below the failing step", grade: "AA", benefit: "one", want: benefits.Granted,
			why: "step 1 holds: a failure further up does not touch it"},
		{name: "step rule holds", grade: "3", benefit: "two", want: benefits.Granted, why: "grade 3 reads as a number above 1"},
		{name: "step rule false", grade: "1", benefit: "two", want: benefits.NotEligible,
			reason: "the holder stands on step 1 (graded)", why: "grade 1 is not above 1"},
		{name: "grade unknown", grade: "", benefit: "one", want: benefits.CannotDecide,
			reason: "cannot decide the holder's stairway step 1 (graded)",
			why:    "an unknown grade leaves even the first step undecided"},
		{name: "on no step", grade: "none", benefit: "one", want: benefits.NotEligible,
			reason: "the holder stands on no step", why: "the first step's rule is false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.Decide(&benefits.Holder{Status: "authorized", Grade: tt.grade}, tt.benefit, at)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Status, "%s: %s", got.Reason, tt.why)
			assert.Contains(t, got.Reason, tt.reason, tt.why)
		})
	}
}

// failingWriter fails every write, as a full disk or a closed connection
// does.
type failingWriter struct{ writes int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.writes++
	return 0, errors.New("disk full")
}

func TestWriteJSON_failures(t *testing.T) {
	err := benefits.WriteJSON(io.Discard, []benefits.Record{{Benefit: "b", Operator: "o", At: date(2025, 1, 1), Quantity: math.NaN()}})
	assert.ErrorContains(t, err, "benefits: record 1: ", "a record JSON cannot hold is refused with its number, not written half")
	many := make([]benefits.Record, 2000)
	for i := range many {
		many[i] = benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 1, 1), Quantity: 1, Ref: strings.Repeat("x", 40)}
	}
	w := &failingWriter{}
	err = benefits.WriteJSON(w, many)
	assert.EqualError(t, err, "disk full", "a write that fails while the records are streamed stops the writing")
	assert.Equal(t, 1, w.writes, "nothing is written after the first failure")
	err = benefits.WriteJSON(&failingWriter{}, many[:1])
	assert.EqualError(t, err, "disk full", "and so does the last write")
}
