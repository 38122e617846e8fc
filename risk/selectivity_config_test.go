package risk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/risk"
)

// TestSelectorConfigIsACopy checks that neither the configuration given
// to CompileSelectivity nor the one Config returns shares memory with the
// selector: changing them changes no lane.
func TestSelectorConfigIsACopy(t *testing.T) {
	cfg := lanes()
	s := risk.MustCompileSelectivity(cfg)
	want := s.Config()
	require.NotEmpty(t, want.AEO)
	require.NotEmpty(t, want.AEO[0].Statuses)

	got := s.Config()
	got.Rules[0].ID = "changed"
	got.AEO[0].Statuses[0] = "changed"
	got.Facts[0].Name = "changed"
	if got.AEO[0].RuleFactor != nil {
		*got.AEO[0].RuleFactor = 42
	}
	cfg.Rules[0].ID = "changed too"
	cfg.AEO[0].Statuses[0] = "changed too"
	assert.Equal(t, want, s.Config(), "the selector keeps its own copy and hands out copies")
}

// What CompileSelectivity's checks allow at their limits compiles, and a
// profile that selects nothing at random needs no seed.
func TestCompileSelectivity_limitsAccepted(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*risk.SelectivityConfig)
		reason string
	}{{
		name: "deterministic without a seed",
		edit: func(c *risk.SelectivityConfig) {
			c.Seed, c.MinRandomRate, c.AEO, c.MRA = "", 0, nil, nil
			c.Rules = []risk.Rule{
				{ID: "weapons", Lane: risk.Red, When: `hs_chapter == "93"`},
				{ID: "all", Lane: risk.Yellow, Rate: 1, When: "value > 100000"},
			}
		},
		reason: "no random rate, every rule at rate 1 (given or by default) and no treatment factor: nothing is drawn, so no seed is needed",
	}, {
		name: "rates at their bounds",
		edit: func(c *risk.SelectivityConfig) {
			c.MinRandomRate = 1
			c.Rules[0].Rate = 1
			c.ExpectedRates = risk.LaneRates{Red: 0.25, Yellow: 0.25, Blue: 0.25, Green: 0.25}
		},
		reason: "a rate of 1, and expected rates that add up to exactly 1, are within bounds",
	}, {
		name: "factors of 0",
		edit: func(c *risk.SelectivityConfig) {
			c.AEO[0].RuleFactor, c.AEO[0].RandomFactor = ptr(0.0), ptr(0.0)
		},
		reason: "a factor of 0 spares every selection the factor applies to",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := lanes()
			tt.edit(&cfg)
			_, err := risk.CompileSelectivity(cfg)
			assert.NoError(t, err, tt.reason)
		})
	}
}
