package risk_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/risk"
)

// labels returns n labels p0, p1, ...
func labels(p string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprint(p, i)
	}
	return out
}

// What Compile's checks allow at their limits compiles: the checks refuse
// what is past the limit only.
func TestCompile_limitsAccepted(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*risk.Config)
		check  func(t *testing.T, m *risk.Model)
		reason string
	}{{
		name: "100 labels on each scale",
		edit: func(c *risk.Config) {
			c.Matrix.Likelihood, c.Matrix.Consequence = labels("l", 100), labels("c", 100)
			c.Risks, c.Findings, c.Controls = nil, nil, nil
		},
		check: func(t *testing.T, m *risk.Model) {
			r, ok := m.Rate("l99", "c99")
			require.True(t, ok, "the last cell is rated")
			assert.Equal(t, 10000, r.Product)
			assert.Equal(t, "extreme", r.Rating)
			r, ok = m.Rate("l0", "c0")
			require.True(t, ok, "the first cell is rated")
			assert.Equal(t, "low", r.Rating)
		},
		reason: "a scale may hold 100 labels",
	}, {
		name: "unscored dimensions referred",
		edit: func(c *risk.Config) {
			c.Unscored = risk.Refer
		},
		reason: "refer is one of the two policies",
	}, {
		name: "a band from 100",
		edit: func(c *risk.Config) {
			c.Levels = append(c.Levels, risk.LevelBand{Level: "extreme", Min: 100})
		},
		reason: "the last band may start at the highest score, 100: only a score of 100 reaches it",
	}, {
		name: "small positive weights and costs",
		edit: func(c *risk.Config) {
			c.Dimensions[0].Weight = 1e-9
			c.Controls[0].Hours = 0.25
			c.Controls[0].Frequency = 0.5
		},
		reason: "any positive weight, hours or frequency will do",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := demo()
			tt.edit(&cfg)
			m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
			require.NoError(t, err, tt.reason)
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

// Zero is not a positive weight, hours or frequency.
func TestCompile_zeroRefused(t *testing.T) {
	cfg := demo()
	cfg.Dimensions[0].Weight = 0
	cfg.Controls[0].Hours = 0
	cfg.Controls[1].Frequency = 0
	_, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	var list diag.List
	require.True(t, errors.As(err, &list), "Compile returns a diag.List, got %v", err)
	got := map[string]string{}
	for _, e := range list {
		got[e.Path] = e.Message
	}
	assert.Equal(t, map[string]string{
		"dimensions[0].weight":  "weight must be a positive number",
		"controls[0].hours":     "hours must be a positive number: the staff hours of one occurrence",
		"controls[1].frequency": "frequency must be a positive number: occurrences per year",
	}, got, "a dimension that weighs nothing, or a control that costs nothing, is a mistake")
}

// An unknown label's message lists the known ones when they are few
// enough to read (up to 20), and leaves the list out beyond that.
func TestCompile_unknownLabelListsTheKnown(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		list   bool
		reason string
	}{
		{name: "twenty", n: 20, list: true, reason: "twenty labels are still listed"},
		{name: "twenty-one", n: 21, list: false, reason: "beyond twenty the list is noise"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := demo()
			cfg.Matrix.Likelihood = labels("l", tt.n)
			cfg.Risks = []risk.RiskDecl{{ID: "r", Title: "r", Likelihood: "often", Consequence: "minor"}}
			cfg.Findings, cfg.Controls = nil, nil
			_, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
			require.Error(t, err)
			want := `risks[0].likelihood: unknown likelihood "often"`
			if tt.list {
				sorted := labels("l", tt.n)
				slices.Sort(sorted)
				want += " (known: " + strings.Join(sorted, ", ") + ")"
			}
			assert.Equal(t, want, err.Error(), tt.reason)
		})
	}
}

// A grid row with more ratings than there are consequences is refused,
// not read past the end of the matrix.
func TestCompile_gridRowTooLong(t *testing.T) {
	cfg := demo()
	cfg.Matrix.Grid = [][]string{
		{"low", "low", "low", "low", "low"},
		{"low", "low", "low", "medium", "medium"},
		{"low", "low", "medium", "high", "high", "extreme"},
		{"low", "medium", "high", "high", "extreme"},
		{"medium", "high", "high", "extreme", "extreme"},
	}
	_, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.Error(t, err)
	assert.Equal(t, "matrix.grid[2]: each row needs one rating per consequence (5); this one has 6", err.Error())
}
