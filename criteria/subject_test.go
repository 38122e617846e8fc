package criteria_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
)

// scoreEnv is a host's Subject without a Validate method: nothing
// refuses a NaN or an infinity in it before the rules read it.
type scoreEnv struct {
	Score *float64 `expr:"score"`
	OK    bool     `expr:"ok"`
	// Rate is the declared fact rate, read as facts.rate.
	Rate any `expr:"-"`
}

func (e *scoreEnv) AsOf() time.Time                               { return asOf }
func (e *scoreEnv) HasRole(string) (bool, bool)                   { return false, false }
func (e *scoreEnv) BusinessModel() (string, bool)                 { return "", false }
func (e *scoreEnv) SME() (bool, bool)                             { return false, false }
func (e *scoreEnv) Certification(string, []string) (string, bool) { return "", false }
func (e *scoreEnv) Fact(name string) (any, bool) {
	if name != "rate" || e.Rate == nil {
		return nil, false
	}
	return e.Rate, true
}

// A measure that reads a number no decision can rest on leaves its
// criterion undecided, even from a Subject that does not refuse such
// numbers itself.
func TestMeasureNotFiniteFromAHostSubject(t *testing.T) {
	set, err := criteria.Compile(criteria.Config{
		Criteria:     []criteria.Criterion{{ID: "M", Title: criteria.NewText("Measured"), Measure: "score", Pass: "score >= 80"}},
		Requirements: []criteria.Requirement{{ID: "M.1", Criterion: "M", Title: criteria.NewText("ok"), When: "ok", Source: "test"}},
	}, criteria.WithEnv(&scoreEnv{}))
	require.NoError(t, err)
	tests := []struct {
		name   string
		score  float64
		want   criteria.Outcome
		reason string
	}{
		{name: "a score", score: 85, want: criteria.Met, reason: "85 passes score >= 80"},
		{name: "+Inf", score: math.Inf(1), want: criteria.Indeterminate, reason: "an infinite score would pass score >= 80: no decision rests on it"},
		{name: "NaN", score: math.NaN(), want: criteria.Indeterminate, reason: "NaN is no score"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), &scoreEnv{Score: &tt.score, OK: true})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Criteria[0].Outcome, tt.reason)
			if tt.want == criteria.Indeterminate {
				assert.Contains(t, res.Criteria[0].Reason, "measure: ", tt.reason)
				assert.False(t, res.Criteria[0].HasScore, tt.reason)
			}
		})
	}
}

// The same holds for a criterion's score read from a declared fact.
func TestScoreNotFiniteFromAHostSubject(t *testing.T) {
	set, err := criteria.Compile(criteria.Config{
		Facts:        []criteria.FactDecl{{Name: "rate", Type: "float"}},
		Criteria:     []criteria.Criterion{{ID: "S", Title: criteria.NewText("Scored"), Score: "facts.rate", Pass: "score >= 0.5"}},
		Requirements: []criteria.Requirement{{ID: "S.1", Criterion: "S", Title: criteria.NewText("ok"), When: "ok", Source: "test"}},
	}, criteria.WithEnv(&scoreEnv{}))
	require.NoError(t, err)
	tests := []struct {
		name   string
		rate   float64
		want   criteria.Outcome
		reason string
	}{
		{name: "a rate", rate: 0.75, want: criteria.Met, reason: "0.75 passes score >= 0.5"},
		{name: "+Inf", rate: math.Inf(1), want: criteria.Indeterminate, reason: "an infinite score would pass: no decision rests on it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), &scoreEnv{OK: true, Rate: tt.rate})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Criteria[0].Outcome, tt.reason)
			if tt.want == criteria.Indeterminate {
				assert.Contains(t, res.Criteria[0].Reason, "score: ", tt.reason)
			}
		})
	}
}
