package risk_test

import (
	"encoding/json"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// coded is a selectivity profile whose rule reads a commodity code as a
// number: a code keyed with a letter O for a zero ("93O1") makes it fail.
func coded(mod func(*risk.SelectivityConfig)) risk.SelectivityConfig {
	cfg := risk.SelectivityConfig{
		Facts: []criteria.FactDecl{{Name: "code", Type: "string"}},
		Rules: []risk.Rule{
			{ID: "arms", Lane: risk.Yellow, When: "int(facts.code) >= 9301 && int(facts.code) <= 9307"},
			{ID: "heavy", Lane: risk.Blue, When: "gross_mass > 20000"},
			{ID: "cheap", Lane: risk.Green, When: "value < 150"},
		},
		AEO: []risk.Treatment{{ID: "aeo", Statuses: []string{"authorized"}, RuleFactor: ptr(0.0), RandomFactor: ptr(0.0),
			Downgrade: risk.LaneMap{Red: risk.Blue, Yellow: risk.Blue}}},
		Seed: "test-seed",
	}
	if mod != nil {
		mod(&cfg)
	}
	return cfg
}

func TestSelector_failingRule(t *testing.T) {
	aeo := &risk.Operator{ID: "OP1", Status: "authorized"}
	tests := []struct {
		name   string
		mod    func(*risk.SelectivityConfig)
		d      risk.Declaration
		op     *risk.Operator
		lane   risk.Lane
		cause  risk.Cause
		rule   string
		fired  []string
		failed []string
		error  string
		reason string
	}{{
		name:  "a readable code",
		d:     risk.Declaration{ID: "D1", Value: 500, Facts: map[string]any{"code": "9302"}},
		lane:  risk.Yellow,
		cause: risk.ByRule, rule: "arms", fired: []string{"arms"},
		reason: "9302 is within 9301..9307: the rule fires as written",
	}, {
		name:  "a code with a letter",
		d:     risk.Declaration{ID: "D2", Value: 500, Facts: map[string]any{"code": "93O1"}},
		lane:  risk.Red,
		cause: risk.ByError, rule: "arms", failed: []string{"arms"},
		error:  "rule arms failed: ",
		reason: "a rule that cannot read the code says nothing about the goods: the declaration goes to the error lane, red by default, never green",
	}, {
		name: "if_missing fire also fires",
		mod: func(c *risk.SelectivityConfig) {
			c.Rules[0].IfMissing = risk.Fire
			c.ErrorLane = risk.Blue
		},
		d:     risk.Declaration{ID: "D3", Value: 500, Facts: map[string]any{"code": "93O1"}},
		lane:  risk.Yellow,
		cause: risk.ByRule, rule: "arms", fired: []string{"arms"}, failed: []string{"arms"},
		error:  "rule arms failed: ",
		reason: "a rule that fires when it cannot tell (if_missing: fire) fires when it fails too, so its own lane applies above a milder error lane",
	}, {
		name: "error lane configured",
		mod: func(c *risk.SelectivityConfig) {
			c.ErrorLane = risk.Yellow
		},
		d:     risk.Declaration{ID: "D4", Value: 500, Facts: map[string]any{"code": "93O1"}},
		lane:  risk.Yellow,
		cause: risk.ByError, rule: "arms", failed: []string{"arms"},
		error:  "rule arms failed: ",
		reason: "an administration may send failures to a documentary check instead",
	}, {
		name:  "no treatment lowers the error lane",
		d:     risk.Declaration{ID: "D5", Value: 500, Facts: map[string]any{"code": "93O1"}},
		op:    aeo,
		lane:  risk.Red,
		cause: risk.ByError, rule: "arms", failed: []string{"arms"},
		error:  "rule arms failed: ",
		reason: "the AEO treatment (rule factor 0, red and yellow to blue) lowers risk-based selection, not the handling of a broken rule",
	}, {
		name:  "the error lane beats a green rule",
		mod:   func(c *risk.SelectivityConfig) { c.ErrorLane = risk.Blue },
		d:     risk.Declaration{ID: "D6", Value: 100, Facts: map[string]any{"code": "93O1"}},
		lane:  risk.Blue,
		cause: risk.ByError, rule: "arms", fired: []string{"cheap"}, failed: []string{"arms"},
		error:  "rule arms failed: ",
		reason: "the low-value rule would release the declaration, but a rule failed on it",
	}, {
		name: "a higher lane still wins",
		mod: func(c *risk.SelectivityConfig) {
			c.ErrorLane = risk.Blue
			c.Rules = append(c.Rules, risk.Rule{ID: "all", Lane: risk.Yellow, When: "value > 0"})
		},
		d:     risk.Declaration{ID: "D6", Value: 500, Facts: map[string]any{"code": "93O1"}},
		lane:  risk.Yellow,
		cause: risk.ByRule, rule: "all", fired: []string{"all"}, failed: []string{"arms"},
		error:  "rule arms failed: ",
		reason: "the error lane is proposed like any other lane: the highest proposed wins, and the failure is still reported",
	}, {
		name: "a rule reaching the error lane first decides",
		mod: func(c *risk.SelectivityConfig) {
			c.ErrorLane = risk.Yellow
			c.Rules = append(c.Rules, risk.Rule{ID: "all", Lane: risk.Yellow, Priority: 5, When: "value > 0"})
		},
		d:     risk.Declaration{ID: "D6", Value: 500, Facts: map[string]any{"code": "93O1"}},
		lane:  risk.Yellow,
		cause: risk.ByRule, rule: "all", fired: []string{"all"}, failed: []string{"arms"},
		error:  "rule arms failed: ",
		reason: "all comes before arms in precedence and already proposed yellow, the error lane: the first to propose the lane decides it, and the failure is still reported",
	}, {
		name:  "a NaN mass",
		d:     risk.Declaration{ID: "D7", Value: 500, GrossMass: math.NaN(), Facts: map[string]any{"code": "0101"}},
		lane:  risk.Red,
		cause: risk.ByError, rule: "heavy", failed: []string{"heavy"},
		error:  "rule heavy failed: a number it reads is NaN or infinite",
		reason: "NaN > 20000 is false: a rule reading a NaN fails instead of letting the declaration through",
	}, {
		name:  "an infinite value",
		d:     risk.Declaration{ID: "D8", Value: math.Inf(-1), Facts: map[string]any{"code": "0101"}},
		lane:  risk.Red,
		cause: risk.ByError, rule: "cheap", failed: []string{"cheap"},
		error:  "rule cheap failed: a number it reads is NaN or infinite",
		reason: "-Inf < 150 would send the declaration green by the low-value rule",
	}, {
		name: "a NaN fact",
		mod: func(c *risk.SelectivityConfig) {
			c.Facts = append(c.Facts, criteria.FactDecl{Name: "score", Type: "float"})
			c.Rules = append(c.Rules, risk.Rule{ID: "scored", Lane: risk.Yellow, When: "facts.score > 80"})
		},
		d:     risk.Declaration{ID: "D9", Value: 500, Facts: map[string]any{"code": "0101", "score": math.NaN()}},
		lane:  risk.Red,
		cause: risk.ByError, rule: "scored", failed: []string{"scored"},
		error:  "rule scored failed: a number it reads is NaN or infinite",
		reason: "a NaN risk score is no score: the rule fails",
	}, {
		name: "a NaN fact with if_missing fire",
		mod: func(c *risk.SelectivityConfig) {
			c.Facts = append(c.Facts, criteria.FactDecl{Name: "score", Type: "float"})
			c.Rules = append(c.Rules, risk.Rule{ID: "scored", Lane: risk.Yellow, IfMissing: risk.Fire, When: "facts.score > 80"})
			c.ErrorLane = risk.Blue
		},
		d:     risk.Declaration{ID: "D10", Value: 500, Facts: map[string]any{"code": "0101", "score": math.Inf(1)}},
		lane:  risk.Yellow,
		cause: risk.ByRule, rule: "scored", fired: []string{"scored"}, failed: []string{"scored"},
		error:  "rule scored failed: a number it reads is NaN or infinite",
		reason: "an infinite fact fails the rule, which fires as with a missing fact",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := risk.CompileSelectivity(coded(tt.mod))
			require.NoError(t, err)
			dec := s.Select(&tt.d, tt.op)
			assert.Equal(t, tt.lane, dec.Lane, tt.reason)
			assert.Equal(t, tt.cause, dec.Cause, tt.reason)
			assert.Equal(t, tt.rule, dec.Rule, tt.reason)
			assert.Equal(t, tt.fired, dec.Fired(), tt.reason)
			assert.Equal(t, tt.failed, dec.Failed(), tt.reason)
			assert.Equal(t, len(tt.failed), dec.NumFailed(), tt.reason)
			if tt.error == "" {
				assert.Empty(t, dec.Error, tt.reason)
			} else {
				assert.Contains(t, dec.Error, tt.error, tt.reason)
				assert.NotContains(t, dec.Error, "\n", "the reason is one line, without the expression and caret")
			}
			b, err := json.Marshal(dec)
			require.NoError(t, err)
			if len(tt.failed) > 0 {
				assert.Contains(t, string(b), `"failed":["`, "the JSON form lists the failed rules")
				assert.Contains(t, string(b), `"cause":"`+tt.cause.String()+`"`)
			}
			assert.Equal(t, dec, s.Select(&tt.d, tt.op), "a failure is decided the same way every time")
		})
	}
}

func TestSelector_errorLaneConfig(t *testing.T) {
	for _, tt := range []struct {
		lane   risk.Lane
		ok     bool
		reason string
	}{
		{risk.NoLane, true, "omitted means red"},
		{risk.Red, true, "physical examination"},
		{risk.Yellow, true, "documentary check"},
		{risk.Blue, true, "post-clearance audit"},
		{risk.Green, false, "a failing rule must never release a declaration"},
		{risk.Red + 1, false, "not a lane"},
	} {
		_, err := risk.CompileSelectivity(coded(func(c *risk.SelectivityConfig) { c.ErrorLane = tt.lane }))
		if tt.ok {
			assert.NoError(t, err, tt.reason)
		} else {
			assert.ErrorContains(t, err, "error_lane: error_lane must be red, yellow or blue", tt.reason)
		}
	}
}

func TestSelector_SelectBatch_failures(t *testing.T) {
	s := risk.MustCompileSelectivity(coded(nil))
	codes := []string{"9302", "93O1", "0101", "O101"}
	entries := func(yield func(risk.Entry) bool) {
		for i := range 400 {
			e := risk.Entry{Declaration: risk.Declaration{ID: string(rune('a'+i%26)) + string(rune('0'+i%10)) + string(rune('A'+i/26)),
				Value: 500, Facts: map[string]any{"code": codes[i%4]}}}
			if !yield(e) {
				return
			}
		}
	}
	sum, err := s.SelectBatch(t.Context(), entries, 2)
	require.NoError(t, err)
	assert.Equal(t, 200, sum.Causes.Error, "half the codes cannot be read: those declarations went to the error lane")
	assert.Equal(t, 200, sum.Lanes.Red, "the error lane is red")
	assert.Equal(t, 100, sum.Lanes.Yellow, "9302 fires the arms rule")
	assert.Equal(t, 100, sum.Lanes.Green)
	byRule := map[string]risk.RuleStats{}
	for _, r := range sum.Rules {
		byRule[r.Rule] = r
	}
	assert.Equal(t, 200, byRule["arms"].Failed, "the summary shows which rule fails, and how often, before the profile is activated")
	assert.Equal(t, 100, byRule["arms"].Decided, "a failure is not counted as the rule deciding by firing")
	assert.Equal(t, 0, byRule["heavy"].Failed)
	assert.Equal(t, []string{"arms", "cheap", "heavy"}, slices.Sorted(maps.Keys(byRule)))
}

// The random draw is made only when there is a random rate: Draw is 0
// when RandomRate is 0, and the selector's Draw otherwise.
func TestSelector_drawOnlyWithARandomRate(t *testing.T) {
	aeo := &risk.Operator{ID: "OP1", Status: "authorized"}
	d := risk.Declaration{ID: "D1", Value: 500, Facts: map[string]any{"code": "0101"}}
	tests := []struct {
		name   string
		mod    func(*risk.SelectivityConfig)
		op     *risk.Operator
		rate   float64
		reason string
	}{
		{name: "no random selection", rate: 0, reason: "the profile sets no random rate"},
		{name: "random selection", mod: func(c *risk.SelectivityConfig) { c.MinRandomRate = 0.1 }, rate: 0.1, reason: "a tenth at random"},
		{name: "an AEO spared random selection", mod: func(c *risk.SelectivityConfig) { c.MinRandomRate = 0.1 }, op: aeo, rate: 0,
			reason: "the treatment's random factor of 0 leaves no random rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := risk.CompileSelectivity(coded(tt.mod))
			require.NoError(t, err)
			dec := s.Select(&d, tt.op)
			assert.Equal(t, tt.rate, dec.RandomRate, tt.reason)
			if tt.rate == 0 {
				assert.Zero(t, dec.Draw, "no random rate, no draw: %s", tt.reason)
			} else {
				assert.Equal(t, s.Draw(d.ID), dec.Draw, tt.reason)
			}
		})
	}
}
