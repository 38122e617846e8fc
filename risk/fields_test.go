package risk_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// TestSelectFieldPresence checks, field by field, that a rule reading a
// declaration field is skipped when the field is empty, and evaluated
// when it is not: each rule compares its field with a value the
// declaration never has, so that it is evaluated and does not fire.
func TestSelectFieldPresence(t *testing.T) {
	fields := []struct {
		name string
		set  func(*risk.Declaration)
	}{
		{"id", func(d *risk.Declaration) { d.ID = "D-1" }},
		{"office", func(d *risk.Declaration) { d.Office = "BEANR000" }},
		{"direction", func(d *risk.Declaration) { d.Direction = "import" }},
		{"hs_code", func(d *risk.Declaration) { d.HSCode = "850440" }},
		{"origin", func(d *risk.Declaration) { d.Origin = "CN" }},
		{"dispatch", func(d *risk.Declaration) { d.Dispatch = "DE" }},
		{"declarant", func(d *risk.Declaration) { d.Declarant = "BE0123" }},
		{"operator_id", func(d *risk.Declaration) { d.Operator = "BE0456" }},
		{"procedure", func(d *risk.Declaration) { d.Procedure = "4000" }},
		{"transport_mode", func(d *risk.Declaration) { d.TransportMode = "1" }},
	}
	cfg := risk.SelectivityConfig{Seed: "fields"}
	for _, f := range fields {
		cfg.Rules = append(cfg.Rules, risk.Rule{ID: f.name, Lane: risk.Red, When: f.name + ` == "never"`})
	}
	s := risk.MustCompileSelectivity(cfg)
	for _, f := range fields {
		t.Run(f.name, func(t *testing.T) {
			var empty risk.Declaration
			dec := s.Select(&empty, nil)
			assert.Contains(t, dec.Skipped(), f.name, "an empty %s is missing: the rule reading it is skipped", f.name)

			var d risk.Declaration
			f.set(&d)
			dec = s.Select(&d, nil)
			assert.NotContains(t, dec.Skipped(), f.name, "a %s given is present: the rule reading it is evaluated", f.name)
			assert.Len(t, dec.Skipped(), len(fields)-1, "every other field is still missing")
			assert.Empty(t, dec.Fired())
			assert.Equal(t, risk.Green, dec.Lane)
		})
	}
}

// TestSelectCounts checks the number of rules of each outcome on one
// declaration, next to the lists that name them.
func TestSelectCounts(t *testing.T) {
	cfg := risk.SelectivityConfig{
		Facts: []criteria.FactDecl{{Name: "score", Type: "float"}, {Name: "code", Type: "string"}},
		Rules: []risk.Rule{
			{ID: "fires", Lane: risk.Yellow, When: `origin == "CN"`},
			{ID: "fires-too", Lane: risk.Blue, When: `value > 10`},
			{ID: "spared", Lane: risk.Red, Rate: 0.000001, When: `origin == "CN"`},
			{ID: "skipped", Lane: risk.Red, When: `facts.score > 50`},
			{ID: "skipped-too", Lane: risk.Red, When: `office == "X"`},
			{ID: "skipped-three", Lane: risk.Red, When: `dispatch == "X"`},
			{ID: "fails", Lane: risk.Yellow, When: `int(facts.code) > 3`},
			{ID: "false", Lane: risk.Red, When: `origin == "US"`},
		},
		Seed: "counts",
	}
	s := risk.MustCompileSelectivity(cfg)
	d := risk.Declaration{ID: "D-7", Origin: "CN", Value: 100, Facts: map[string]any{"code": "93O1"}}
	dec := s.Select(&d, nil)
	assert.Equal(t, []string{"fires", "fires-too"}, dec.Fired())
	assert.Equal(t, []string{"spared"}, dec.Spared())
	assert.Equal(t, []string{"skipped", "skipped-too", "skipped-three"}, dec.Skipped())
	assert.Equal(t, []string{"fails"}, dec.Failed())
	assert.Equal(t, 2, dec.NumFired())
	assert.Equal(t, 1, dec.NumSpared())
	assert.Equal(t, 3, dec.NumSkipped())
	assert.Equal(t, 1, dec.NumFailed())
	assert.Equal(t, risk.Red, dec.Lane, "the failing rule sends it to the error lane, red by default")
}

// TestSelectOperatorLists checks that rules read the operator's types and
// its partner programme's types as given, and an operator without them as
// holding none.
func TestSelectOperatorLists(t *testing.T) {
	cfg := risk.SelectivityConfig{
		Rules: []risk.Rule{
			{ID: "security", Lane: risk.Blue, When: `"AEOS" in operator.types`},
			{ID: "partner-security", Lane: risk.Yellow, When: `"AEOS" in operator.partner_types`},
			{ID: "no-types", Lane: risk.Red, When: `len(operator.types) == 0 && len(operator.partner_types) == 0 && value > 1000`},
		},
		Seed: "lists",
	}
	s := risk.MustCompileSelectivity(cfg)
	d := risk.Declaration{ID: "D-1", Value: 5000}
	tests := []struct {
		name   string
		op     *risk.Operator
		fired  []string
		reason string
	}{
		{"own types", &risk.Operator{Status: "authorized", Types: []string{"AEOC", "AEOS"}}, []string{"security"},
			"the operator's types are read as given"},
		{"partner's types", &risk.Operator{Partner: "Partnerland AEO", PartnerTypes: []string{"AEOS"}}, []string{"partner-security"},
			"the partner programme's types are read as given"},
		{"none", &risk.Operator{Status: "authorized"}, []string{"no-types"},
			"an operator whose types are not given holds none"},
		{"no operator", nil, []string{"no-types"}, "a declaration without an operator reads empty lists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := s.Select(&d, tt.op)
			if diff := cmp.Diff(tt.fired, dec.Fired()); diff != "" {
				t.Errorf("fired (-want +got):\n%s\n%s", diff, tt.reason)
			}
			assert.Empty(t, dec.Failed(), tt.reason)
		})
	}
}

// TestSelectFactsOffTheFastPath checks that a rule the fast path does not
// cover, run on expr's VM, reads the declared facts as the fast path does.
func TestSelectFactsOffTheFastPath(t *testing.T) {
	cfg := risk.SelectivityConfig{
		Facts: []criteria.FactDecl{{Name: "score", Type: "float"}},
		Rules: []risk.Rule{
			{ID: "typed", Lane: risk.Yellow, When: `type(facts.score) == "float" && facts.score > 50`},
		},
		Seed: "vm",
	}
	s := risk.MustCompileSelectivity(cfg)
	tests := []struct {
		name   string
		facts  map[string]any
		fired  bool
		reason string
	}{
		{"present and high", map[string]any{"score": 80.0}, true, "the VM reads the fact given"},
		{"present and low", map[string]any{"score": 20.0}, false, "and its value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := risk.Declaration{ID: "D-1", Facts: tt.facts}
			dec := s.Select(&d, nil)
			require.Empty(t, dec.Failed(), dec.Error)
			assert.Equal(t, tt.fired, len(dec.Fired()) == 1, tt.reason)
		})
	}
}

// TestSelectOrderOfEqualRules checks that of rules of the same lane and
// priority that fire, the first written decides, and a higher priority
// decides over it.
func TestSelectOrderOfEqualRules(t *testing.T) {
	rules := []risk.Rule{
		{ID: "first", Lane: risk.Red, When: `origin == "CN"`},
		{ID: "second", Lane: risk.Red, When: `value > 10`},
		{ID: "third", Lane: risk.Red, When: `origin != ""`},
	}
	s := risk.MustCompileSelectivity(risk.SelectivityConfig{Rules: rules, Seed: "order"})
	d := risk.Declaration{ID: "D-1", Origin: "CN", Value: 100}
	dec := s.Select(&d, nil)
	assert.Equal(t, "first", dec.Rule, "equal lanes and priorities: the order written")

	rules[2].Priority = 1
	s = risk.MustCompileSelectivity(risk.SelectivityConfig{Rules: rules, Seed: "order"})
	dec = s.Select(&d, nil)
	assert.Equal(t, "third", dec.Rule, "a higher priority decides")
}

// TestSelectivityRuleCount checks the bound on the number of rules at
// its edge: rules as many as a decision can index compile, one more is
// refused.
func TestSelectivityRuleCount(t *testing.T) {
	const most = 1<<16 - 1
	cfg := risk.SelectivityConfig{Seed: "many", Rules: make([]risk.Rule, most)}
	for i := range cfg.Rules {
		cfg.Rules[i] = risk.Rule{ID: "r" + strconv.Itoa(i), Lane: risk.Yellow, When: `value > 10`}
	}
	_, err := risk.CompileSelectivity(cfg)
	require.NoError(t, err, "%d rules", most)
	cfg.Rules = append(cfg.Rules, risk.Rule{ID: "one-more", Lane: risk.Yellow, When: `value > 10`})
	_, err = risk.CompileSelectivity(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "at most 65535 rules")
}

// TestSeedNeededByFactors checks when a treatment's factors make the
// selection random, so that a seed is required: a factor other than 1
// scales a rate, so the draw decides.
func TestSeedNeededByFactors(t *testing.T) {
	tests := []struct {
		name       string
		rule, rand *float64
		seed       bool
		reason     string
	}{
		{"no factors", nil, nil, false, "a treatment that changes no rate draws nothing"},
		{"factors of 1", ptr(1.0), ptr(1.0), false, "a factor of 1 changes no rate"},
		{"a rule factor", ptr(0.2), nil, true, "a rule factor of 0.2 fires a fifth of the time: a draw"},
		{"a random factor", nil, ptr(0.5), true, "a random factor makes a random rate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := risk.SelectivityConfig{
				Rules: []risk.Rule{{ID: "r", Lane: risk.Red, When: `origin == "CN"`}},
				AEO:   []risk.Treatment{{ID: "aeo", Statuses: []string{"authorized"}, RuleFactor: tt.rule, RandomFactor: tt.rand}},
			}
			_, err := risk.CompileSelectivity(cfg)
			if !tt.seed {
				assert.NoError(t, err, tt.reason)
				return
			}
			require.Error(t, err, tt.reason)
			assert.Contains(t, err.Error(), "seed is required when selection is random", tt.reason)
		})
	}
}
