package risk_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/risk"
)

// lanes is a selectivity profile in the style of ASYCUDA's: rules over the
// declaration, a minimum random rate, and AEO treatments lowering
// intervention, at home and under an MRA.
func lanes() risk.SelectivityConfig {
	return risk.SelectivityConfig{
		Facts: []criteria.FactDecl{{Name: "risk_score", Type: "float"}},
		Rules: []risk.Rule{
			{ID: "apples-us", Lane: risk.Red, When: `hs_code == "080810" && origin == "US"`,
				Source: "ASYCUDA++ functional manual §6.11 (example criterion)"},
			{ID: "weapons", Lane: risk.Red, Priority: 10, Fixed: true, When: `hs_chapter == "93"`},
			{ID: "scored", Lane: risk.Red, When: "facts.risk_score >= 80"},
			{ID: "high-value", Lane: risk.Yellow, When: "value > 100000"},
			{ID: "excise", Lane: risk.Yellow, Rate: 0.5, When: `hs_chapter in ["22", "24"]`},
			{ID: "no-origin", Lane: risk.Yellow, IfMissing: risk.Fire, When: `origin == "XX"`},
			{ID: "inward-processing", Lane: risk.Blue, When: `procedure startsWith "51"`},
			{ID: "low-value", Lane: risk.Green, When: "value < 150"},
		},
		ExpectedRates: risk.LaneRates{Red: 0.08, Yellow: 0.15, Blue: 0.05, Green: 0.72},
		MinRandomRate: 0.05,
		AEO: []risk.Treatment{
			{ID: "aeo-security", Statuses: []string{"authorized"}, Types: []string{"AEOS", "AEOF"},
				RuleFactor: ptr(0.2), RandomFactor: ptr(0.2), Downgrade: risk.LaneMap{Red: risk.Yellow},
				Source: "GACC Order 251: advanced certified below 20% of the regular inspection rate"},
			{ID: "aeo-customs", Statuses: []string{"authorized"}, RuleFactor: ptr(0.5), RandomFactor: ptr(0.5)},
		},
		MRA:  []risk.Recognition{{Programme: "US C-TPAT", Treatment: "aeo-customs", From: day("2024-01-01")}},
		Seed: "test-seed",
	}
}

func lanesSelector(t testing.TB) *risk.Selector {
	t.Helper()
	s, err := risk.CompileSelectivity(lanes())
	require.NoError(t, err)
	return s
}

func decl(id string) risk.Declaration {
	return risk.Declaration{ID: id, Date: day("2025-03-01"), HSCode: "847130", Origin: "DE", Value: 2000, Procedure: "4000",
		Facts: map[string]any{"risk_score": 10.0}}
}

func TestSelector_Select_precedence(t *testing.T) {
	cfg := lanes()
	cfg.MinRandomRate = 0
	cfg.Rules[4].Rate = 0 // excise always fires here
	s := risk.MustCompileSelectivity(cfg)
	tests := []struct {
		name   string
		edit   func(*risk.Declaration)
		lane   risk.Lane
		cause  risk.Cause
		rule   string
		fired  []string
		reason string
	}{{
		name:   "nothing",
		lane:   risk.Green,
		cause:  risk.ByDefault,
		reason: "a declaration no rule selects goes green",
	}, {
		name:   "green rule",
		edit:   func(d *risk.Declaration) { d.Value = 100 },
		lane:   risk.Green,
		cause:  risk.ByRule,
		rule:   "low-value",
		fired:  []string{"low-value"},
		reason: "a green rule decides green and says so",
	}, {
		name:   "blue and green",
		edit:   func(d *risk.Declaration) { d.Value, d.Procedure = 100, "5100" },
		lane:   risk.Blue,
		cause:  risk.ByRule,
		rule:   "inward-processing",
		fired:  []string{"inward-processing", "low-value"},
		reason: "blue beats green",
	}, {
		name:   "yellow, blue",
		edit:   func(d *risk.Declaration) { d.HSCode, d.Procedure = "220830", "5100" },
		lane:   risk.Yellow,
		cause:  risk.ByRule,
		rule:   "excise",
		fired:  []string{"excise", "inward-processing"},
		reason: "yellow beats blue",
	}, {
		name:   "every lane",
		edit:   func(d *risk.Declaration) { d.HSCode, d.Origin, d.Value, d.Procedure = "080810", "US", 120, "5100" },
		lane:   risk.Red,
		cause:  risk.ByRule,
		rule:   "apples-us",
		fired:  []string{"apples-us", "inward-processing", "low-value"},
		reason: "red beats yellow, blue and green (ASYCUDA: Red → Yellow → Blue → Green)",
	}, {
		name:   "priority within a lane",
		edit:   func(d *risk.Declaration) { d.HSCode = "930100"; d.Facts["risk_score"] = 95.0 },
		lane:   risk.Red,
		cause:  risk.ByRule,
		rule:   "weapons",
		fired:  []string{"weapons", "scored"},
		reason: "of two red rules the higher priority is named as deciding, though declared later",
	}, {
		name:   "missing field fires",
		edit:   func(d *risk.Declaration) { d.Origin = "" },
		lane:   risk.Yellow,
		cause:  risk.ByRule,
		rule:   "no-origin",
		fired:  []string{"no-origin"},
		reason: "a rule with if_missing: fire sends a declaration without an origin to its lane; apples-us is skipped",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decl("D1")
			if tt.edit != nil {
				tt.edit(&d)
			}
			got := s.Select(&d, nil)
			assert.Equal(t, tt.lane, got.Lane, tt.reason)
			assert.Equal(t, tt.cause, got.Cause, tt.reason)
			assert.Equal(t, tt.rule, got.Rule, tt.reason)
			if diff := cmp.Diff(tt.fired, got.Fired()); diff != "" {
				t.Errorf("fired mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			assert.Equal(t, len(tt.fired), got.NumFired())
			assert.Equal(t, "none", got.Status, "no operator is status none")
		})
	}
}

func TestSelector_Select_aeo(t *testing.T) {
	cfg := lanes()
	cfg.MinRandomRate = 0
	s := risk.MustCompileSelectivity(cfg)
	apples := func(id string) risk.Declaration {
		d := decl(id)
		d.HSCode, d.Origin = "080810", "US"
		return d
	}
	// Find declarations whose apples-us draw falls in known places.
	tests := []struct {
		name      string
		op        *risk.Operator
		d         risk.Declaration
		treatment string
		lanes     map[risk.Lane]int
		reason    string
	}{{
		name:   "no AEO",
		op:     &risk.Operator{ID: "OP1", Status: "none"},
		d:      apples(""),
		lanes:  map[risk.Lane]int{risk.Red: 1000},
		reason: "without a treatment the red rule selects every matching declaration",
	}, {
		name:      "AEO security",
		op:        &risk.Operator{ID: "OP2", Status: "Authorized", Types: []string{"AEOC", "AEOS"}},
		d:         apples(""),
		treatment: "aeo-security",
		lanes:     map[risk.Lane]int{risk.Yellow: 200, risk.Green: 800},
		reason:    "an AEOS holder keeps about a fifth of the selections (factor 0.2), downgraded from red to a documentary check",
	}, {
		name:      "AEO customs only",
		op:        &risk.Operator{ID: "OP3", Status: "authorized", Types: []string{"AEOC"}},
		d:         apples(""),
		treatment: "aeo-customs",
		lanes:     map[risk.Lane]int{risk.Red: 500, risk.Green: 500},
		reason:    "an AEOC holder matches the second treatment: half the selections, lane unchanged",
	}, {
		name:   "suspended",
		op:     &risk.Operator{ID: "OP4", Status: "suspended", Types: []string{"AEOS"}},
		d:      apples(""),
		lanes:  map[risk.Lane]int{risk.Red: 1000},
		reason: "a suspended AEO gets no treatment",
	}, {
		name:      "MRA partner",
		op:        &risk.Operator{ID: "OP5", Partner: "us c-tpat"},
		d:         apples(""),
		treatment: "aeo-customs",
		lanes:     map[risk.Lane]int{risk.Red: 500, risk.Green: 500},
		reason:    "a C-TPAT member is treated as the MRA says, the programme name compared ignoring case",
	}, {
		name: "MRA not yet in force",
		op:   &risk.Operator{ID: "OP5", Partner: "US C-TPAT"},
		d: func() risk.Declaration {
			d := apples("")
			d.Date = day("2023-12-31")
			return d
		}(),
		lanes:  map[risk.Lane]int{risk.Red: 1000},
		reason: "the arrangement covers declarations from 1 January 2024",
	}, {
		name: "fixed rule",
		op:   &risk.Operator{ID: "OP2", Status: "authorized", Types: []string{"AEOS"}},
		d: func() risk.Declaration {
			d := decl("")
			d.HSCode = "930200"
			return d
		}(),
		treatment: "aeo-security",
		lanes:     map[risk.Lane]int{risk.Red: 1000},
		reason:    "a fixed rule (weapons) is neither thinned nor downgraded for AEOs",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[risk.Lane]int{}
			for i := range 1000 {
				d := tt.d
				d.ID = fmt.Sprintf("AEO%05d", i)
				dec := s.Select(&d, tt.op)
				got[dec.Lane]++
				assert.Equal(t, tt.treatment, dec.Treatment, tt.reason)
				if dec.Lane == risk.Yellow && tt.treatment == "aeo-security" {
					assert.Equal(t, risk.Red, dec.From, "a downgraded decision says where it came from")
				}
			}
			for lane, want := range tt.lanes {
				// Binomial: 5 standard deviations of 1000 draws.
				p := float64(want) / 1000
				tol := 5*math.Sqrt(1000*p*(1-p)) + 0.5
				assert.InDelta(t, want, got[lane], tol, "%s: lane %s; %s", tt.name, lane, tt.reason)
			}
		})
	}
}

func TestSelector_Select_skipped(t *testing.T) {
	cfg := lanes()
	cfg.MinRandomRate = 0
	s := risk.MustCompileSelectivity(cfg)
	tests := []struct {
		name            string
		facts           map[string]any
		skipped, failed []string
		lane            risk.Lane
		reason          string
	}{
		{name: "fact absent", facts: map[string]any{}, skipped: []string{"scored"}, lane: risk.Green,
			reason: "a rule reading an absent extra fact is skipped, not false"},
		{name: "fact nil", facts: map[string]any{"risk_score": nil}, skipped: []string{"scored"}, lane: risk.Green,
			reason: "nil counts as absent"},
		{name: "fact of the wrong type", facts: map[string]any{"risk_score": "high"}, failed: []string{"scored"}, lane: risk.Red,
			reason: "a rule failing at run time is not skipped: it sends the declaration to the error lane, red by default"},
		{name: "fact not finite", facts: map[string]any{"risk_score": math.NaN()}, failed: []string{"scored"}, lane: risk.Red,
			reason: "a NaN score would make risk_score > 80 false: the rule fails instead"},
		{name: "fact present", facts: map[string]any{"risk_score": 12}, lane: risk.Green,
			reason: "an int is accepted for a float fact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := decl("S1")
			d.Facts = tt.facts
			got := s.Select(&d, nil)
			if diff := cmp.Diff(tt.skipped, got.Skipped()); diff != "" {
				t.Errorf("skipped mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			if diff := cmp.Diff(tt.failed, got.Failed()); diff != "" {
				t.Errorf("failed mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			assert.Equal(t, tt.lane, got.Lane, tt.reason)
			assert.Equal(t, len(tt.failed) > 0, got.Error != "", tt.reason)
		})
	}
}

// TestSelector_rates checks random and rule rates over 100,000
// declarations, within five standard deviations of a binomial count.
func TestSelector_rates(t *testing.T) {
	const n = 100_000
	cfg := risk.SelectivityConfig{
		Rules: []risk.Rule{
			{ID: "sampled", Lane: risk.Blue, Rate: 0.3, When: `procedure == "4000"`},
			{ID: "sampled-fixed", Lane: risk.Yellow, Rate: 0.1, Fixed: true, When: `origin == "CN"`},
		},
		MinRandomRate: 0.05,
		RandomLane:    risk.Red,
		AEO:           []risk.Treatment{{ID: "aeo", Statuses: []string{"authorized"}, RuleFactor: ptr(0.2), RandomFactor: ptr(0.2)}},
		Seed:          "rates",
	}
	s := risk.MustCompileSelectivity(cfg)
	aeo := &risk.Operator{Status: "authorized"}
	type count struct{ random, sampled, fixed, both int }
	run := func(op *risk.Operator) count {
		var c count
		for i := range n {
			d := risk.Declaration{ID: fmt.Sprintf("R%08d", i), Procedure: "4000", Origin: "CN"}
			dec := s.Select(&d, op)
			random := dec.Draw < dec.RandomRate
			fired := map[string]bool{}
			for _, id := range dec.Fired() {
				fired[id] = true
			}
			if random {
				c.random++
			}
			if fired["sampled"] {
				c.sampled++
			}
			if fired["sampled-fixed"] {
				c.fixed++
			}
			if random && fired["sampled"] {
				c.both++
			}
		}
		return c
	}
	within := func(name string, got int, p float64, reason string) {
		t.Helper()
		tol := 5 * math.Sqrt(n*p*(1-p))
		assert.InDelta(t, n*p, got, tol, "%s: %d of %d, want %.0f ± %.0f; %s", name, got, n, n*p, tol, reason)
	}
	plain := run(nil)
	within("random", plain.random, 0.05, "the minimum random rate")
	within("sampled", plain.sampled, 0.3, "a rule with rate 0.3 selects 30% of matches")
	within("fixed", plain.fixed, 0.1, "rate 0.1")
	within("random and sampled", plain.both, 0.05*0.3, "the random draw and a rule's draw are independent")
	reduced := run(aeo)
	within("AEO random", reduced.random, 0.01, "an AEO with random factor 0.2 is drawn a fifth as often")
	within("AEO sampled", reduced.sampled, 0.06, "rule factor 0.2 thins a rate of 0.3 to 0.06")
	within("AEO fixed", reduced.fixed, 0.1, "a fixed rule is not thinned")
}

// TestSelector_Draw_uniform checks the draw is uniform over 20 bins with a
// chi-square test at the 0.1% level (19 degrees of freedom: 43.82), for
// IDs that differ only in their last characters.
func TestSelector_Draw_uniform(t *testing.T) {
	s := lanesSelector(t)
	const n, bins = 100_000, 20
	var hist [bins]int
	for i := range n {
		u := s.Draw(fmt.Sprintf("2025/IM/%07d", i))
		require.True(t, u >= 0 && u < 1, "draw %v outside [0, 1)", u)
		hist[int(u*bins)]++
	}
	var chi2 float64
	for _, h := range hist {
		e := float64(n) / bins
		chi2 += (float64(h) - e) * (float64(h) - e) / e
	}
	assert.Less(t, chi2, 43.82, "chi-square %.1f over %v", chi2, hist)
}

func TestSelector_replay(t *testing.T) {
	s1 := lanesSelector(t)
	s2 := lanesSelector(t)
	other, err := risk.CompileSelectivity(lanes(), risk.WithSeed("another-seed"))
	require.NoError(t, err)
	ops := []*risk.Operator{nil, {Status: "authorized", Types: []string{"AEOS"}}, {Partner: "US C-TPAT"}}
	differ := 0
	for i := range 2000 {
		d := decl(fmt.Sprintf("RP%06d", i))
		if i%3 == 0 {
			d.HSCode = "220300"
		}
		op := ops[i%len(ops)]
		a, b := s1.Select(&d, op), s2.Select(&d, op)
		ja, err := json.Marshal(a)
		require.NoError(t, err)
		jb, err := json.Marshal(b)
		require.NoError(t, err)
		require.Equal(t, string(ja), string(jb), "the same programme, seed, declaration and operator give the same decision")
		require.Equal(t, a, s1.Select(&d, op), "selecting again gives the same decision")
		if other.Select(&d, op).Draw != a.Draw {
			differ++
		}
	}
	assert.Greater(t, differ, 1990, "another seed gives other draws")
}

func TestSelector_Select_json(t *testing.T) {
	s := lanesSelector(t)
	d := decl("2025/IM/0000042")
	d.HSCode, d.Origin, d.Procedure = "080810", "US", "5100"
	dec := s.Select(&d, &risk.Operator{Status: "authorized", Types: []string{"AEOS"}})
	b, err := json.MarshalIndent(dec, "", "  ")
	require.NoError(t, err)
	golden(t, "decision.json", append(b, '\n'))
}

func TestSelector_Select_allocs(t *testing.T) {
	cfg := profile50()
	s := risk.MustCompileSelectivity(cfg)
	d := benchDecl(7)
	op := &risk.Operator{Status: "authorized", Types: []string{"AEOC"}}
	allocs := testing.AllocsPerRun(200, func() {
		if dec := s.Select(&d, op); dec.Lane == risk.NoLane {
			t.Fatal("no lane")
		}
	})
	assert.Zero(t, allocs, "Select allocates %v times per declaration", allocs)
}

func TestSelector_Select_nil(t *testing.T) {
	s := lanesSelector(t)
	dec := s.Select(nil, nil)
	assert.Contains(t, []risk.Lane{risk.Green, risk.Yellow, risk.Red}, dec.Lane, "a nil declaration gets a lane, not a panic")
	assert.Equal(t, []string{"no-origin", "low-value"}, dec.Fired(),
		"every string is missing, so of the rules reading one only if_missing: fire fires; numbers are never missing (value 0 < 150)")
}

func TestSelector_concurrent(t *testing.T) {
	s := lanesSelector(t)
	want := make([]risk.Decision, 500)
	for i := range want {
		d := decl(fmt.Sprintf("C%04d", i))
		want[i] = s.Select(&d, nil)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range want {
				j := (i + g*37) % len(want)
				d := decl(fmt.Sprintf("C%04d", j))
				if got := s.Select(&d, nil); got != want[j] {
					t.Errorf("declaration %d: concurrent decision differs", j)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestCompileSelectivity_errors(t *testing.T) {
	type problem struct {
		Path       string
		Message    string
		ExprLine   int
		ExprColumn int
	}
	tests := []struct {
		name   string
		edit   func(*risk.SelectivityConfig)
		want   []problem
		reason string
	}{{
		name: "rules",
		edit: func(c *risk.SelectivityConfig) {
			c.Rules[0].When = `hs_code == 80810`
			c.Rules[1].Lane = risk.NoLane
			c.Rules[2].ID = "apples-us"
			c.Rules[3].When = "value >"
			c.Rules[4].Rate = 1.5
			c.Rules[5].When = "facts.weight > 3"
			c.Rules[6].When = ""
		},
		want: []problem{
			{Path: "rules[0].when", Message: "cannot apply == to a string and a number", ExprLine: 1, ExprColumn: 9},
			{Path: "rules[1].lane", Message: "lane is required: red, yellow, blue or green"},
			{Path: "rules[2].id", Message: `rule "apples-us" defined twice`},
			{Path: "rules[3].when", Message: "unexpected token EOF", ExprLine: 1, ExprColumn: 7},
			{Path: "rules[4].rate", Message: "rate must be between 0 and 1 (0.3 selects 30% of matching declarations)"},
			{Path: "rules[5].when", Message: `unknown fact "weight": declare it under facts with its type`, ExprLine: 1, ExprColumn: 1},
			{Path: "rules[6]", Message: "when is required: the condition under which the rule fires"},
		},
		reason: "every rule problem is reported, with the position inside the expression",
	}, {
		name: "rates and treatments",
		edit: func(c *risk.SelectivityConfig) {
			c.MinRandomRate = -0.1
			c.ExpectedRates = risk.LaneRates{Red: 0.5, Yellow: 0.6}
			c.RandomLane = risk.Green
			c.AEO[0].RuleFactor = ptr(-1.0)
			c.AEO[0].Downgrade = risk.LaneMap{Yellow: risk.Red}
			c.AEO[1].Statuses = nil
			c.MRA[0].Treatment = "aeo"
			c.Seed = ""
		},
		want: []problem{
			{Path: "min_random_rate", Message: "a rate must be between 0 and 1"},
			{Path: "expected_rates", Message: "the expected rates add up to 1.1, more than 1"},
			{Path: "random_lane", Message: "random_lane must be red, yellow or blue"},
			{Path: "aeo[0].rule_factor", Message: "a factor must be a number of 0 or more (0.2 keeps a fifth of the selections)"},
			{Path: "aeo[0].downgrade.yellow", Message: "a downgrade must lead to a lower lane than yellow"},
			{Path: "aeo[1]", Message: "statuses is required: the operator statuses the treatment applies to, e.g. authorized (only a treatment reached through mra may list none)"},
			{Path: "mra[0].treatment", Message: `unknown treatment "aeo": name one listed under aeo (known: aeo-customs, aeo-security)`},
			{Path: "seed", Message: "seed is required when selection is random: a secret string that keys the draws (or pass it with WithSeed)"},
		},
		reason: "rates, lanes, treatments and the seed are checked",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := lanes()
			tt.edit(&cfg)
			_, err := risk.CompileSelectivity(cfg)
			var list diag.List
			require.True(t, errors.As(err, &list), "CompileSelectivity returns ConfigErrors, got %v", err)
			var got []problem
			for _, e := range list {
				got = append(got, problem{e.Path, e.Message, e.ExprLine, e.ExprColumn})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

func TestCompileSelectivity_seedOption(t *testing.T) {
	cfg := lanes()
	cfg.Seed = ""
	_, err := risk.CompileSelectivity(cfg, risk.WithSeed("kept-in-a-vault"))
	assert.NoError(t, err, "a seed passed by the host satisfies the requirement")
	cfg.MinRandomRate = 0
	cfg.Rules = cfg.Rules[:1]
	cfg.AEO, cfg.MRA = nil, nil
	_, err = risk.CompileSelectivity(cfg)
	assert.NoError(t, err, "a profile without random selection needs no seed")
}

func TestLane_text(t *testing.T) {
	for _, l := range append(risk.Lanes(), risk.NoLane) {
		b, err := l.MarshalText()
		require.NoError(t, err)
		var back risk.Lane
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, l, back)
	}
	var l risk.Lane
	assert.EqualError(t, l.UnmarshalText([]byte("amber")), `unknown lane "amber" (want red, yellow, blue or green)`)
	assert.True(t, risk.Red > risk.Yellow && risk.Yellow > risk.Blue && risk.Blue > risk.Green, "lanes order by precedence")
}

// A treatment that only partner programmes reach lists no domestic status:
// it applies to the partner's operators and to no domestic one.
func TestTreatmentReachedOnlyThroughMRA(t *testing.T) {
	rate := 0.0
	cfg := risk.SelectivityConfig{
		Rules: []risk.Rule{{ID: "excise", Lane: risk.Yellow, When: `hs_chapter == "22"`, Source: "test"}},
		AEO:   []risk.Treatment{{ID: "partner", RuleFactor: &rate, Source: "test"}},
		MRA:   []risk.Recognition{{Programme: "US C-TPAT", Treatment: "partner"}},
		Seed:  "test-seed",
	}
	s := risk.MustCompileSelectivity(cfg)
	d := &risk.Declaration{ID: "D1", HSCode: "220300"}
	partner := s.Select(d, &risk.Operator{Partner: "US C-TPAT"})
	domestic := s.Select(d, &risk.Operator{Status: "authorized"})
	assert.Equal(t, risk.Green, partner.Lane, "the partner's AEO is spared the excise rule")
	assert.Equal(t, risk.Yellow, domestic.Lane, "a domestic operator does not get a treatment with no statuses")

	cfg.MRA = nil
	_, err := risk.CompileSelectivity(cfg)
	assert.ErrorContains(t, err, "statuses is required", "a treatment nobody reaches still needs its statuses")
}

// A Decision lists at most MaxListed rule outcomes, and counts them all.
func TestDecision_listsAtMostMaxListed(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		reason string
	}{
		{name: "exactly MaxListed", n: risk.MaxListed, reason: "every outcome fits the list"},
		{name: "more than MaxListed", n: risk.MaxListed + 4, reason: "the list stops at MaxListed; the count goes on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := risk.SelectivityConfig{}
			var want []string
			for i := range tt.n {
				id := fmt.Sprintf("r%02d", i)
				cfg.Rules = append(cfg.Rules, risk.Rule{ID: id, Lane: risk.Yellow, When: "value > 0"})
				if i < risk.MaxListed {
					want = append(want, id)
				}
			}
			s, err := risk.CompileSelectivity(cfg)
			require.NoError(t, err)
			d := decl("D-1")
			dec := s.Select(&d, nil)
			assert.Equal(t, want, dec.Fired(), tt.reason)
			assert.Equal(t, tt.n, dec.NumFired(), tt.reason)
			assert.Equal(t, "r00", dec.Rule, "the first rule in precedence decides")
		})
	}
}
