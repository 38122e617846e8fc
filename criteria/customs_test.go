package criteria_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

func customsConfig(obligation criteria.Requirement) criteria.Config {
	cfg := equivalenceConfig()
	cfg.Requirements = append([]criteria.Requirement{obligation}, cfg.Requirements...)
	return cfg
}

// An obligation of Customs is kept in the configuration but never
// evaluated against an operator.
func TestCustomsSideNotEvaluated(t *testing.T) {
	set, err := criteria.Compile(customsConfig(criteria.Requirement{ID: "B.C1", Criterion: "B", Title: criteria.NewText("Customs' access to records, as national law provides"),
		Side: criteria.SideCustoms, MetBy: []string{"lifecycle.issues"}, Source: "SAFE B"}))
	require.NoError(t, err)
	res, err := set.Evaluate(t.Context(), subject(map[string]any{"records": true, "fenced": true}))
	require.NoError(t, err)
	_, found := res.Finding("B.C1")
	assert.False(t, found, "Customs' obligation is not a finding on the operator")
	f, ok := res.Finding("I.1")
	require.True(t, ok, "the requirements after it keep their place")
	assert.Equal(t, criteria.Met, f.Outcome)
	assert.Len(t, set.Config().Requirements, 3, "the configuration keeps the obligation")
}

func TestCustomsSideCompile(t *testing.T) {
	tests := []struct {
		name   string
		req    criteria.Requirement
		eq     []criteria.Equivalence
		paths  []string
		reason string
	}{{
		name:   "a rule",
		req:    criteria.Requirement{ID: "B.C1", Criterion: "B", Title: criteria.NewText("x"), Side: criteria.SideCustoms, When: "true", Evidence: []criteria.Evidence{criteria.Document}, Source: "s"},
		paths:  []string{"requirements[0].when", "requirements[0].evidence"},
		reason: "an obligation of Customs is not decided on the operator's facts",
	}, {
		name:   "met_by on the operator's side",
		req:    criteria.Requirement{ID: "B.9", Criterion: "B", Title: criteria.NewText("x"), When: "true", MetBy: []string{"lifecycle"}, Source: "s"},
		paths:  []string{"requirements[0].met_by"},
		reason: "met_by belongs to Customs' obligations",
	}, {
		name:   "satisfied by a certificate",
		req:    criteria.Requirement{ID: "B.C1", Criterion: "B", Title: criteria.NewText("x"), Side: criteria.SideCustoms, Source: "s"},
		eq:     []criteria.Equivalence{{ID: "iso", Certification: "ISO 28000", Satisfies: []string{"B.C1"}}},
		paths:  []string{"equivalences[0].satisfies[0]"},
		reason: "no operator's certificate meets an obligation of Customs",
	}, {
		name:   "a level other than required",
		req:    criteria.Requirement{ID: "B.C1", Criterion: "B", Title: criteria.NewText("x"), Side: criteria.SideCustoms, Level: criteria.Desired, Source: "s"},
		paths:  []string{"requirements[0].level"},
		reason: "an obligation binds Customs in full: it is not desired or a bonus",
	}, {
		name:   "unknown criterion, no source",
		req:    criteria.Requirement{ID: "Z.C1", Criterion: "Z", Title: criteria.NewText("x"), Side: criteria.SideCustoms},
		paths:  []string{"requirements[0].criterion", "requirements[0]"},
		reason: "an obligation belongs to a criterion and has its source",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := customsConfig(tt.req)
			cfg.Equivalences = tt.eq
			_, err := criteria.Compile(cfg)
			require.Error(t, err, tt.reason)
			var got []string
			for _, e := range err.(diag.List) {
				got = append(got, e.Path)
			}
			assert.ElementsMatch(t, tt.paths, got, tt.reason)
		})
	}
}

func TestBindsCustoms(t *testing.T) {
	tests := []struct {
		side   criteria.Side
		want   bool
		reason string
	}{
		{side: criteria.SideCustoms, want: true, reason: "side customs is Customs' own obligation"},
		{side: criteria.SideAEO, want: false, reason: "the operator's side"},
		{side: criteria.SideJoint, want: false, reason: "a joint requirement is still shown by the operator"},
		{side: "", want: false, reason: "the default side is the operator's"},
	}
	for _, tt := range tests {
		t.Run(string(tt.side), func(t *testing.T) {
			assert.Equal(t, tt.want, criteria.Requirement{ID: "B.1", Side: tt.side}.BindsCustoms(), tt.reason)
		})
	}
}

// An obligation may say level: required, which is what it is anyway.
func TestCustomsSideRequiredLevel(t *testing.T) {
	_, err := criteria.Compile(customsConfig(criteria.Requirement{ID: "B.C1", Criterion: "B", Title: criteria.NewText("x"), Side: criteria.SideCustoms,
		Level: criteria.Required, MetBy: []string{"lifecycle.issues"}, Source: "SAFE B"}))
	assert.NoError(t, err, "required is an obligation's level: saying so is no mistake")
}
