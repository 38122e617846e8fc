package risk_test

import (
	"context"
	"encoding"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/risk"
)

// TestCompile_everyProblem reaches each check of Compile: a programme
// with any of these mistakes must be refused with the problem named at
// its path, never compiled into a model that maps silently.
func TestCompile_everyProblem(t *testing.T) {
	type problem struct{ Path, Message string }
	tests := []struct {
		name   string
		edit   func(*risk.Config)
		want   []problem
		reason string
	}{{
		name: "dimension without an ID or score",
		edit: func(c *risk.Config) {
			c.Dimensions[0].ID = ""
			c.Dimensions[1].ID = "bad id"
			c.Dimensions[2].Score = " "
			c.Dimensions[3].Weight = math.Inf(1)
			c.Dimensions[4].Weight = math.NaN()
		},
		want: []problem{
			{"dimensions[0]", "id is required"},
			{"dimensions[1].id", `id "bad id" may hold only letters, digits, '.', '_' and '-'`},
			{"dimensions[2]", "score is required: an expression giving the dimension's risk from 0 to 100"},
			{"dimensions[3].weight", "weight must be a positive number"},
			{"dimensions[4].weight", "weight must be a positive number"},
		},
		reason: "a dimension needs an ID, a finite positive weight and a score",
	}, {
		name: "levels",
		edit: func(c *risk.Config) {
			c.Levels = []risk.LevelBand{{Level: "", Min: 5}, {Level: "x", Min: 150}, {Level: "x", Min: 120}, {Level: "y", Min: math.NaN()}}
		},
		want: []problem{
			{"levels[0].level", "level is required: the name of the band"},
			{"levels[0].min", "the first band must start at 0, so that every score has a level"},
			{"levels[1].min", "min must be between 0 and 100"},
			{"levels[2].level", `level "x" defined twice`},
			{"levels[2].min", "min must be between 0 and 100"},
			{"levels[3].min", "min must be between 0 and 100"},
		},
		reason: "every score from 0 to 100 must fall in exactly one named band",
	}, {
		name: "no levels",
		edit: func(c *risk.Config) {
			c.Levels = nil
		},
		want:   []problem{{"levels", "levels are required with dimensions: the bands of the overall score, e.g. low from 0, medium from 40, high from 70"}},
		reason: "a score without bands gives no level",
	}, {
		name: "unknown unscored policy",
		edit: func(c *risk.Config) {
			c.Unscored = 9
		},
		want:   []problem{{"unscored", "unscored must be worst or refer"}},
		reason: "only worst and refer exist: nothing drops an unscored dimension",
	}, {
		name: "risks",
		edit: func(c *risk.Config) {
			c.Risks[1].ID = "excise"
			c.Risks[2].Likelihood = ""
			c.Risks[3].Consequence = "dire"
			c.Findings, c.Controls = nil, nil
		},
		want: []problem{
			{"risks[1].id", `risk "excise" defined twice`},
			{"risks[2].likelihood", "likelihood is required: a label of the matrix's likelihood scale"},
			{"risks[3].consequence", `unknown consequence "dire" (known: insignificant, major, minor, moderate, severe)`},
		},
		reason: "a risk is rated on labels of the matrix",
	}, {
		name: "findings",
		edit: func(c *risk.Config) {
			c.Findings[0].Outcomes = []criteria.Outcome{99}
			c.Findings[1].Requirements = []string{"B.[", ""}
			c.Findings[2].Risk = ""
			c.Findings[3].Likelihood = "often"
			c.Findings[3].Consequence = "dire"
		},
		want: []problem{
			{"findings[0].outcomes[0]", "unknown outcome 99 (want not_met, partly, indeterminate, met, not_applicable or equivalent)"},
			{"findings[1].requirements[0]", `bad pattern "B.[": use * for any run of characters and ? for one`},
			{"findings[1].requirements[1]", `bad pattern "": use * for any run of characters and ? for one`},
			{"findings[2]", "risk is required: the ID of the risk the findings raise"},
			{"findings[3].likelihood", `unknown likelihood "often" (known: almost_certain, likely, possible, rare, unlikely)`},
			{"findings[3].consequence", `unknown consequence "dire" (known: insignificant, major, minor, moderate, severe)`},
		},
		reason: "a finding rule must name outcomes, patterns and a risk that exist",
	}, {
		name: "controls",
		edit: func(c *risk.Config) {
			c.Controls[1].ID = "physical"
			c.Controls[2].Kind = risk.SelfAssessmentReview + 1
			c.Controls[3].Frequency = 0
			c.Controls[4].Addresses = nil
			c.Controls[5].Hours = math.Inf(1)
			c.Review.ChangeMethodAfter.Days = -1
		},
		want: []problem{
			{"controls[1].id", `control "physical" defined twice`},
			{"controls[2].kind", "kind is required: physical_inspection, documentary_check, accounting_control, post_clearance_audit, spot_check or self_assessment_review"},
			{"controls[3].frequency", "frequency must be a positive number: occurrences per year"},
			{"controls[4]", "addresses is required: the IDs of the risks the control covers"},
			{"controls[5].hours", "hours must be a positive number: the staff hours of one occurrence"},
			{"review.change_method_after", "the period must not be negative"},
		},
		reason: "a control must have a kind, a cost and the risks it covers",
	}, {
		name: "matrix scales",
		edit: func(c *risk.Config) {
			c.Matrix.Likelihood = nil
			c.Matrix.Consequence = []string{"minor", " "}
			c.Risks, c.Findings, c.Controls = nil, nil, nil
		},
		want: []problem{
			{"matrix.likelihood", "the likelihood scale needs at least one label"},
			{"matrix.consequence[1]", "empty label"},
		},
		reason: "a matrix needs labels on both scales",
	}, {
		name: "matrix too large",
		edit: func(c *risk.Config) {
			c.Matrix.Likelihood = make([]string, 101)
			for i := range c.Matrix.Likelihood {
				c.Matrix.Likelihood[i] = fmt.Sprint("l", i)
			}
			c.Risks, c.Findings, c.Controls = nil, nil, nil
		},
		want:   []problem{{"matrix.likelihood", "the likelihood scale has more than 100 labels"}},
		reason: "a scale is bounded, so that rating a cell stays cheap",
	}, {
		name: "matrix ratings",
		edit: func(c *risk.Config) {
			c.Matrix.Ratings = []risk.RatingBand{{Rating: "", Min: 3, Weight: -1}, {Rating: "high", Min: 5, Weight: 1}, {Rating: "high", Min: 9, Weight: math.NaN()}}
		},
		want: []problem{
			{"matrix.ratings[0].rating", "rating is required: the name of the band"},
			{"matrix.ratings[0].weight", "weight must be a positive number"},
			{"matrix.ratings[0].min", "the lowest band must start at 1 or below, so that every cell has a rating"},
			{"matrix.ratings[2].rating", `rating "high" defined twice`},
			{"matrix.ratings[2].weight", "weight must be a positive number"},
			{"matrix.ratings", "give a weight to every rating or to none"},
		},
		reason: "ratings must be named, weighted alike and start low enough",
	}, {
		name: "no ratings",
		edit: func(c *risk.Config) {
			c.Matrix.Ratings = nil
		},
		want:   []problem{{"matrix.ratings", "ratings are required: the rating bands, lowest first"}},
		reason: "a matrix without ratings rates nothing",
	}, {
		name: "grid",
		edit: func(c *risk.Config) {
			c.Matrix.Likelihood = []string{"rare", "unlikely", "possible", "likely", "almost_certain"}
			c.Matrix.Grid = [][]string{
				{"low", "low", "low", "low", "low"},
				{"low", "low", "low", "medium"},
				{"low", "low", "medium", "high", "scarlet"},
			}
		},
		want: []problem{
			{"matrix.grid", "the grid needs one row per likelihood (5), lowest first; it has 3"},
			{"matrix.grid[1]", "each row needs one rating per consequence (5); this one has 4"},
			{"matrix.grid[2][4]", `unknown rating "scarlet" (known: extreme, high, low, medium)`},
		},
		reason: "a grid gives one known rating per cell",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := demo()
			tt.edit(&cfg)
			m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
			require.Error(t, err, tt.reason)
			assert.Nil(t, m)
			var list diag.List
			require.True(t, errors.As(err, &list), "Compile returns a diag.List, got %T", err)
			var got []problem
			for _, e := range list {
				got = append(got, problem{e.Path, e.Message})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

func TestCompile_hostFacts(t *testing.T) {
	_, err := risk.Compile(demo(), risk.WithEnv(&operatorEnv{}), risk.WithFacts(criteria.FactDecl{Name: "Bad Name", Type: "int"}))
	assert.ErrorContains(t, err, `fact name "Bad Name" must be lower case`, "a host's bad declaration is refused too")
	assert.Panics(t, func() { risk.MustCompile(risk.Config{Levels: []risk.LevelBand{{Level: "x", Min: 3}}}) },
		"MustCompile panics on a configuration fixed at build time that does not compile")
	_, err = risk.CompileSelectivity(risk.SelectivityConfig{}, risk.WithFacts(criteria.FactDecl{Name: "x", Type: "decimal"}))
	assert.ErrorContains(t, err, `unknown fact type "decimal"`)
	assert.Panics(t, func() { risk.MustCompileSelectivity(risk.SelectivityConfig{RandomLane: risk.Green}) })
}

func TestCompileSelectivity_everyProblem(t *testing.T) {
	type problem struct{ Path, Message string }
	tests := []struct {
		name   string
		edit   func(*risk.SelectivityConfig)
		want   []problem
		reason string
	}{{
		name: "rule IDs and policies",
		edit: func(c *risk.SelectivityConfig) {
			c.Rules[0].ID = ""
			c.Rules[1].ID = "no spaces"
			c.Rules[2].IfMissing = risk.Fire + 1
			c.Rules[3].Rate = math.NaN()
		},
		want: []problem{
			{"rules[0]", "id is required"},
			{"rules[1].id", `id "no spaces" may hold only letters, digits, '.', '_' and '-'`},
			{"rules[2].if_missing", "if_missing must be skip or fire"},
			{"rules[3].rate", "rate must be between 0 and 1 (0.3 selects 30% of matching declarations)"},
		},
		reason: "a rule needs an ID, a policy that exists and a rate that is a share",
	}, {
		name: "treatments",
		edit: func(c *risk.SelectivityConfig) {
			c.AEO[0].ID = "none"
			c.AEO[1].ID = "none"
			c.AEO[1].RandomFactor = ptr(math.Inf(1))
			c.AEO[1].Downgrade = risk.LaneMap{Red: risk.Lane(9)}
			c.MRA = append(c.MRA, risk.Recognition{Programme: " ", Treatment: "none", From: day("2025-01-01"), Until: day("2024-01-01")})
			c.ExpectedRates.Blue = math.NaN()
		},
		want: []problem{
			{"expected_rates.blue", "a rate must be between 0 and 1"},
			{"aeo[0].id", `"none" is reserved for operators without a treatment`},
			{"aeo[1].id", `"none" is reserved for operators without a treatment`},
			{"aeo[1].id", `treatment "none" defined twice`},
			{"aeo[1].random_factor", "a factor must be a number of 0 or more (0.2 keeps a fifth of the selections)"},
			{"aeo[1].downgrade.red", "a downgrade must lead to a lower lane than red"},
			{"mra[0].treatment", `unknown treatment "aeo-customs": name one listed under aeo (known: none)`},
			{"mra[1]", "programme is required: the partner programme, as operators' partner field names it"},
			{"mra[1].until", "until is before from"},
		},
		reason: "treatments and recognitions must be consistent",
	}, {
		name: "too many rules",
		edit: func(c *risk.SelectivityConfig) {
			c.Rules = make([]risk.Rule, 1<<16)
			for i := range c.Rules {
				c.Rules[i] = risk.Rule{ID: fmt.Sprint("r", i), Lane: risk.Red, When: "true"}
			}
		},
		want:   []problem{{"rules", "at most 65535 rules"}},
		reason: "decisions record rules by a 16-bit index",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := lanes()
			tt.edit(&cfg)
			s, err := risk.CompileSelectivity(cfg)
			require.Error(t, err, tt.reason)
			assert.Nil(t, s)
			var list diag.List
			require.True(t, errors.As(err, &list), "CompileSelectivity returns a diag.List, got %v", err)
			var got []problem
			for _, e := range list {
				got = append(got, problem{e.Path, e.Message})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

// textEnum is what every enumeration of the package implements.
type textEnum interface {
	fmt.Stringer
	encoding.TextMarshaler
}

func TestEnums_text(t *testing.T) {
	type codec struct {
		name   string
		values []textEnum
		bad    textEnum // a value out of range
		next   textEnum // the value just past the last one
		decode func([]byte) (textEnum, error)
		want   string // the error for an unknown token
	}
	tests := []codec{
		{name: "ControlKind", values: []textEnum{risk.PhysicalInspection, risk.DocumentaryCheck, risk.AccountingControl, risk.PostClearanceAudit, risk.SpotCheck, risk.SelfAssessmentReview},
			bad:    risk.ControlKind(42),
			next:   risk.SelfAssessmentReview + 1,
			decode: func(b []byte) (textEnum, error) { var v risk.ControlKind; err := v.UnmarshalText(b); return v, err },
			want:   `unknown control kind "x" (want physical_inspection, documentary_check, accounting_control, post_clearance_audit, spot_check or self_assessment_review)`},
		{name: "DimensionStatus", values: []textEnum{risk.Unknown, risk.Scored, risk.Failed},
			bad:    risk.DimensionStatus(42),
			next:   risk.Failed + 1,
			decode: func(b []byte) (textEnum, error) { var v risk.DimensionStatus; err := v.UnmarshalText(b); return v, err },
			want:   `risk: unknown dimension status "x" (want unknown, scored or failed)`},
		{name: "Cause", values: []textEnum{risk.ByDefault, risk.ByRule, risk.ByRandom, risk.ByError},
			bad:    risk.Cause(42),
			next:   risk.ByError + 1,
			decode: func(b []byte) (textEnum, error) { var v risk.Cause; err := v.UnmarshalText(b); return v, err },
			want:   `risk: unknown cause "x" (want default, rule, random or error)`},
		{name: "UncoveredReason", values: []textEnum{risk.NoControl, risk.BudgetExhausted},
			bad:    risk.UncoveredReason(42),
			next:   risk.BudgetExhausted + 1,
			decode: func(b []byte) (textEnum, error) { var v risk.UncoveredReason; err := v.UnmarshalText(b); return v, err },
			want:   `risk: unknown reason "x" (want no_control or budget_exhausted)`},
		{name: "MissingPolicy", values: []textEnum{risk.Skip, risk.Fire},
			bad:    risk.MissingPolicy(42),
			next:   risk.Fire + 1,
			decode: func(b []byte) (textEnum, error) { var v risk.MissingPolicy; err := v.UnmarshalText(b); return v, err },
			want:   `unknown policy "x" (want skip or fire)`},
		{name: "UnscoredPolicy", values: []textEnum{risk.Worst, risk.Refer},
			bad:    risk.UnscoredPolicy(42),
			next:   risk.Refer + 1,
			decode: func(b []byte) (textEnum, error) { var v risk.UnscoredPolicy; err := v.UnmarshalText(b); return v, err },
			want:   `unknown policy "x" (want worst or refer)`},
		{name: "Lane", values: []textEnum{risk.NoLane, risk.Green, risk.Blue, risk.Yellow, risk.Red},
			bad:    risk.Lane(42),
			next:   risk.Red + 1,
			decode: func(b []byte) (textEnum, error) { var v risk.Lane; err := v.UnmarshalText(b); return v, err },
			want:   `unknown lane "x" (want red, yellow, blue or green)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for _, v := range tt.values {
				b, err := v.MarshalText()
				require.NoError(t, err)
				assert.Equal(t, v.String(), string(b), "String and MarshalText agree")
				assert.False(t, seen[string(b)], "tokens are distinct")
				seen[string(b)] = true
				back, err := tt.decode(b)
				require.NoError(t, err)
				assert.Equal(t, v, back, "%s reads back", b)
			}
			for _, bad := range []textEnum{tt.bad, tt.next} {
				_, err := bad.MarshalText()
				assert.ErrorContains(t, err, "risk: invalid", "a value out of range cannot be written")
				assert.Regexp(t, `^`+tt.name+`\([0-9]+\)$`, bad.String(), "a value out of range shows its number")
			}
			assert.Equal(t, tt.name+"(42)", tt.bad.String())
			_, err := tt.decode([]byte("x"))
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestModel_Map_conditionSettled(t *testing.T) {
	cfg := demo()
	cfg.Risks[0].When = `years_trading < 3 && contains_any(hs_chapters, ["22", "24"])`
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	tests := []struct {
		name      string
		years     *int
		want      []string
		undecided int
		reason    string
	}{
		{name: "settled false", years: ptr(12), want: nil,
			reason: "an established trader has no such risk whatever its goods: the missing chapters change nothing"},
		{name: "settled by nothing", years: ptr(1), want: []string{"profile (undecided)"}, undecided: 1,
			reason: "a new trader whose goods are unknown may carry the risk: it is raised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := fullOperator()
			env.Chapters, env.YearsTrading = nil, tt.years
			got, err := m.Map(t.Context(), env, nil)
			require.NoError(t, err)
			var causes []string
			for _, r := range got.Risks {
				if r.ID == "excise" {
					causes = r.Causes
				}
			}
			assert.Equal(t, tt.want, causes, tt.reason)
			assert.Len(t, got.Undecided, tt.undecided, tt.reason)
		})
	}
}

func TestModel_Map_conditionFails(t *testing.T) {
	cfg := demo()
	cfg.Risks[0].When = `int(hs_chapters[0]) > 20`
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	env := fullOperator()
	env.Chapters = []string{"2O"}
	got, err := m.Map(t.Context(), env, nil)
	require.NoError(t, err)
	require.Len(t, got.Undecided, 1)
	assert.Contains(t, got.Undecided[0].Reason, "condition failed: ")
	require.Len(t, got.Risks, 1)
	assert.Equal(t, []string{"profile (undecided)"}, got.Risks[0].Causes, "a condition that fails raises its risk")
}

func TestModel_Map_findingByCriterion(t *testing.T) {
	m := demoModel(t)
	env := fullOperator()
	env.Chapters = []string{"08"}
	got, err := m.Map(t.Context(), env, []criteria.Finding{{Criterion: "security", Outcome: criteria.NotMet}, {Outcome: criteria.NotMet}})
	require.NoError(t, err)
	require.Len(t, got.Risks, 1)
	assert.Equal(t, []string{"security not_met"}, got.Risks[0].Causes, "a criterion-level finding is named by its criterion; one naming neither raises nothing")
}

func TestModel_Map_cancelledBetweenRisks(t *testing.T) {
	cfg := demo()
	cfg.Dimensions = nil
	cfg.Levels = nil
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = m.Map(ctx, fullOperator(), nil)
	assert.ErrorIs(t, err, context.Canceled, "the context is honoured between risk conditions too")
}

func TestModel_Rate_unknown(t *testing.T) {
	m := demoModel(t)
	_, ok := m.Rate("often", "major")
	assert.False(t, ok, "an unknown likelihood rates nothing")
	_, ok = m.Rate("likely", "dire")
	assert.False(t, ok, "an unknown consequence rates nothing")
	r, ok := m.Rate("likely", "major")
	require.True(t, ok)
	assert.Equal(t, 16, r.Product)
	assert.True(t, strings.HasPrefix(m.Config().Dimensions[0].ID, "organisation"))
}

func TestModel_Map_dimensionFails(t *testing.T) {
	cfg := demo()
	cfg.Dimensions[3].Score = "int(hs_chapters[0])"
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	env := fullOperator()
	env.Chapters = []string{"2O"}
	got, err := m.Map(t.Context(), env, nil)
	require.NoError(t, err)
	c := got.Contributions[3]
	assert.Equal(t, risk.Failed, c.Status)
	assert.Contains(t, c.Reason, "score failed: ")
	assert.Equal(t, 100.0, c.Score, "a dimension whose score fails counts at the worst")
	assert.Equal(t, "not scored: goods; counted at the worst score, 100", got.Reason)
}

func TestModel_Map_worstCause(t *testing.T) {
	cfg := demo()
	cfg.Findings = []risk.FindingRule{
		{Requirements: []string{"X.1"}, Risk: "records", Likelihood: "almost_certain", Consequence: "minor"},
		{Requirements: []string{"X.2"}, Risk: "records", Likelihood: "unlikely", Consequence: "severe"},
		{Requirements: []string{"X.3"}, Risk: "records"},
	}
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	tests := []struct {
		order      []string
		likelihood string
		product    int
		reason     string
	}{
		{[]string{"X.1", "X.2"}, "almost_certain", 10, "two high cells of product 10: the more likely one rates the risk"},
		{[]string{"X.2", "X.1"}, "almost_certain", 10, "whatever order the findings come in"},
		{[]string{"X.1", "X.3"}, "likely", 12, "of two high cells, the greater product rates the risk"},
		{[]string{"X.3", "X.1"}, "likely", 12, "whatever order the findings come in"},
	}
	for _, tt := range tests {
		env := fullOperator()
		env.Chapters = []string{"08"}
		var fs []criteria.Finding
		for _, id := range tt.order {
			fs = append(fs, criteria.Finding{Requirement: id, Outcome: criteria.NotMet})
		}
		got, err := m.Map(t.Context(), env, fs)
		require.NoError(t, err)
		require.Len(t, got.Risks, 1)
		assert.Equal(t, tt.likelihood, got.Risks[0].Likelihood, tt.reason)
		assert.Equal(t, tt.product, got.Risks[0].Product, tt.reason)
		assert.Len(t, got.Risks[0].Causes, 2, "every cause is listed")
	}
}

func TestDecision_Equal(t *testing.T) {
	s := lanesSelector(t)
	d := decl("E1")
	a, b := s.Select(&d, nil), s.Select(&d, nil)
	assert.True(t, a.Equal(b), "the same declaration gives an equal decision")
	d.ID = "E2"
	c := s.Select(&d, nil)
	assert.False(t, a.Equal(c), "another declaration gives another decision")
	assert.True(t, cmp.Equal(a, b), "go-cmp compares decisions through Equal")
}
