package risk_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/risk"
)

func TestModel_Map_dimensions(t *testing.T) {
	m := demoModel(t)
	type contrib struct {
		Dimension string
		Status    risk.DimensionStatus
		Score     float64
		Share     float64
		Missing   []string
	}
	tests := []struct {
		name        string
		env         func() *operatorEnv
		wantScore   float64
		wantLevel   string
		provisional bool
		coverage    float64
		want        []contrib
		reason      string
	}{{
		name:      "every fact supplied",
		env:       fullOperator,
		wantScore: (1*10 + 3*25 + 1*40 + 2*90 + 1*60) / 8.0,
		wantLevel: "medium",
		coverage:  1,
		want: []contrib{
			{"organisation", risk.Scored, 10, 1.0 / 8, nil},
			{"compliance", risk.Scored, 25, 3.0 / 8, nil},
			{"volume", risk.Scored, 40, 1.0 / 8, nil},
			{"goods", risk.Scored, 90, 2.0 / 8, nil},
			{"procedures", risk.Scored, 60, 1.0 / 8, nil},
		},
		reason: "the overall score is the weighted mean of the five dimensions: 365/8 = 45.6, medium from 35",
	}, {
		name: "compliance record missing",
		env: func() *operatorEnv {
			e := fullOperator()
			e.Infringements = nil
			return e
		},
		wantScore:   (1*10 + 3*100 + 1*40 + 2*90 + 1*60) / 8.0,
		wantLevel:   "high",
		provisional: true,
		coverage:    5.0 / 8,
		want: []contrib{
			{"organisation", risk.Scored, 10, 1.0 / 8, nil},
			{"compliance", risk.Unknown, 100, 3.0 / 8, []string{"infringements"}},
			{"volume", risk.Scored, 40, 1.0 / 8, nil},
			{"goods", risk.Scored, 90, 2.0 / 8, nil},
			{"procedures", risk.Scored, 60, 1.0 / 8, nil},
		},
		reason: "a dimension whose facts are missing is unknown, not low risk: it counts at the worst score, 100, " +
			"so that an operator hiding its record is never mapped lower than one showing it (590/8 is high), and the map is provisional",
	}, {
		name: "many infringements",
		env: func() *operatorEnv {
			e := fullOperator()
			e.Infringements = ptr(9)
			return e
		},
		wantScore: (1*10 + 3*100 + 1*40 + 2*90 + 1*60) / 8.0,
		wantLevel: "high",
		coverage:  1,
		want: []contrib{
			{"organisation", risk.Scored, 10, 1.0 / 8, nil},
			{"compliance", risk.Scored, 100, 3.0 / 8, nil},
			{"volume", risk.Scored, 40, 1.0 / 8, nil},
			{"goods", risk.Scored, 90, 2.0 / 8, nil},
			{"procedures", risk.Scored, 60, 1.0 / 8, nil},
		},
		reason: "the compliance score is capped at 100 by the expression; 590/8 = 73.75 is high",
	}, {
		name: "a clean record, on a band's edge",
		env: func() *operatorEnv {
			e := fullOperator()
			e.Infringements = ptr(2)
			e.Chapters = []string{"08"}
			e.Procedures = []string{"transit"}
			return e
		},
		wantScore: (1*10 + 3*50 + 1*40 + 2*30 + 1*20) / 8.0,
		wantLevel: "medium",
		coverage:  1,
		want: []contrib{
			{"organisation", risk.Scored, 10, 1.0 / 8, nil},
			{"compliance", risk.Scored, 50, 3.0 / 8, nil},
			{"volume", risk.Scored, 40, 1.0 / 8, nil},
			{"goods", risk.Scored, 30, 2.0 / 8, nil},
			{"procedures", risk.Scored, 20, 1.0 / 8, nil},
		},
		reason: "280/8 = 35 is the first score of the medium band: a band starts at its min",
	}, {
		name: "no infringement",
		env: func() *operatorEnv {
			e := fullOperator()
			e.Infringements = ptr(0)
			return e
		},
		wantScore: (1*10 + 3*0 + 1*40 + 2*90 + 1*60) / 8.0,
		wantLevel: "medium",
		coverage:  1,
		want: []contrib{
			{"organisation", risk.Scored, 10, 1.0 / 8, nil},
			{"compliance", risk.Scored, 0, 3.0 / 8, nil},
			{"volume", risk.Scored, 40, 1.0 / 8, nil},
			{"goods", risk.Scored, 90, 2.0 / 8, nil},
			{"procedures", risk.Scored, 60, 1.0 / 8, nil},
		},
		reason: "a score of 0 is within 0..100: scored, not failed",
	}, {
		name:        "nothing supplied",
		env:         func() *operatorEnv { return &operatorEnv{AsOf: day("2025-01-31")} },
		wantScore:   100,
		wantLevel:   "high",
		provisional: true,
		want: []contrib{
			{"organisation", risk.Unknown, 100, 1.0 / 8, []string{"years_trading"}},
			{"compliance", risk.Unknown, 100, 3.0 / 8, []string{"infringements"}},
			{"volume", risk.Unknown, 100, 1.0 / 8, []string{"declarations"}},
			{"goods", risk.Unknown, 100, 2.0 / 8, []string{"hs_chapters"}},
			{"procedures", risk.Unknown, 100, 1.0 / 8, []string{"procedures"}},
		},
		reason: "with no dimension scored the operator is mapped at the highest level, provisionally, never at a level of 0",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Map(t.Context(), tt.env(), nil)
			require.NoError(t, err)
			assert.InDelta(t, tt.wantScore, got.Score, 1e-9, tt.reason)
			assert.Equal(t, tt.wantLevel, got.Level, tt.reason)
			assert.Equal(t, tt.provisional, got.Provisional, tt.reason)
			assert.InDelta(t, tt.coverage, got.Coverage, 1e-9, tt.reason)
			var gotC []contrib
			var sum float64
			for _, c := range got.Contributions {
				gotC = append(gotC, contrib{c.Dimension, c.Status, c.Score, c.Share, c.Missing})
				sum += c.Points
			}
			if diff := cmp.Diff(tt.want, gotC, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
				t.Errorf("contributions mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			assert.InDelta(t, got.Score, sum, 1e-9, "the contributions add up to the score")
		})
	}
}

func TestModel_Map_failedDimension(t *testing.T) {
	cfg := demo()
	cfg.Dimensions = []risk.Dimension{
		{ID: "ratio", Weight: 1, Score: "100 / years_trading"},
		{ID: "negative", Weight: 1, Score: "-5"},
		{ID: "ok", Weight: 2, Score: "50"},
	}
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	env := fullOperator()
	env.YearsTrading = ptr(0)
	got, err := m.Map(t.Context(), env, nil)
	require.NoError(t, err)
	assert.Equal(t, risk.Failed, got.Contributions[0].Status, "100/0 is a division by zero, not +Inf")
	assert.Contains(t, got.Contributions[0].Reason, "division by zero")
	assert.Equal(t, risk.Failed, got.Contributions[1].Status, "a negative score is refused, not clamped")
	assert.Equal(t, 75.0, got.Score, "failed dimensions count at 100 like unknown ones: (100 + 100 + 2 × 50) / 4")
	assert.Equal(t, "high", got.Level)
	assert.True(t, got.Provisional)
	assert.Equal(t, 0.5, got.Coverage)
	assert.Equal(t, "not scored: ratio, negative; counted at the worst score, 100", got.Reason)
}

func TestModel_Map_unscoredPolicy(t *testing.T) {
	tests := []struct {
		name         string
		policy       risk.UnscoredPolicy
		infringement *int
		years        *int
		wantScore    float64
		wantLevel    string
		referred     bool
		reason       string
	}{{
		name: "worst, complete", policy: risk.Worst, infringement: ptr(0), years: ptr(12),
		wantScore: (1*10 + 3*0 + 1*40 + 2*90 + 1*60) / 8.0, wantLevel: "medium",
		reason: "with every dimension scored the policy changes nothing",
	}, {
		name: "refer, complete", policy: risk.Refer, infringement: ptr(0), years: ptr(12),
		wantScore: (1*10 + 3*0 + 1*40 + 2*90 + 1*60) / 8.0, wantLevel: "medium",
		reason: "with every dimension scored the policy changes nothing",
	}, {
		name: "worst, record missing", policy: risk.Worst, years: ptr(12),
		wantScore: (1*10 + 3*100 + 1*40 + 2*90 + 1*60) / 8.0, wantLevel: "high",
		reason: "the missing record counts at 100: a level that can only overstate",
	}, {
		name: "refer, record missing", policy: risk.Refer, years: ptr(12),
		wantScore: (1*10 + 3*100 + 1*40 + 2*90 + 1*60) / 8.0, referred: true,
		reason: "under refer no level is given while a dimension is unscored: an officer sets it; the score is still the worst case",
	}, {
		name: "refer, a dimension fails", policy: risk.Refer, infringement: ptr(0), years: ptr(0),
		wantScore: (1*100 + 3*0 + 1*40 + 2*90 + 1*60) / 8.0, referred: true,
		reason: "a dimension whose score fails (100 / 0) is referred like a missing one",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := demo()
			cfg.Unscored = tt.policy
			cfg.Dimensions[0].Score = "years_trading >= 10 ? 10 : 100 / years_trading"
			m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
			require.NoError(t, err)
			env := fullOperator()
			env.Infringements, env.YearsTrading = tt.infringement, tt.years
			got, err := m.Map(t.Context(), env, nil)
			require.NoError(t, err)
			assert.InDelta(t, tt.wantScore, got.Score, 1e-9, tt.reason)
			assert.Equal(t, tt.wantLevel, got.Level, tt.reason)
			assert.Equal(t, tt.referred, got.Referred, tt.reason)
			assert.Equal(t, tt.referred, strings.Contains(got.Reason, "referred to an officer"), tt.reason)
			_, err = json.Marshal(got)
			assert.NoError(t, err, "a map is always writable as JSON")
		})
	}
	cfg := demo()
	cfg.Unscored = risk.Refer + 1
	_, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	assert.ErrorContains(t, err, "unscored: unscored must be worst or refer", "an unknown policy set from Go is refused")
}

func TestModel_Map_nonFiniteFacts(t *testing.T) {
	m := risk.MustCompile(risk.Config{
		Dimensions: []risk.Dimension{{ID: "compliance", Weight: 1, Score: "facts.score"}},
		Levels:     []risk.LevelBand{{Level: "low", Min: 0}, {Level: "high", Min: 50}},
	}, risk.WithFacts(criteria.FactDecl{Name: "score", Type: "float"}))
	for _, v := range []any{math.NaN(), math.Inf(1), []any{math.Inf(-1)}} {
		_, err := m.Map(t.Context(), &risk.Facts{Values: map[string]any{"score": v}}, nil)
		assert.ErrorContains(t, err, `risk: fact "score" is`, "a NaN or infinite fact is refused, never scored")
	}
	got, err := m.Map(t.Context(), &risk.Facts{Values: map[string]any{"score": 20.0}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "low", got.Level)
}

func TestModel_Map_risks(t *testing.T) {
	m := demoModel(t)
	type rated struct {
		ID, Likelihood, Consequence, Rating string
		Product                             int
		Weight                              float64
		Causes                              []string
	}
	tests := []struct {
		name     string
		env      func() *operatorEnv
		findings []criteria.Finding
		want     []rated
		reason   string
	}{{
		name: "inherent risk only",
		env:  fullOperator,
		want: []rated{{"excise", "possible", "major", "high", 12, 4, []string{"profile"}}},
		reason: "chapter 22 (beverages) raises the excise risk whatever the assessment found; " +
			"possible × major = 3 × 4 = 12 is high",
	}, {
		name: "findings mapped",
		env: func() *operatorEnv {
			e := fullOperator()
			e.Chapters = []string{"08"}
			return e
		},
		findings: []criteria.Finding{
			{Requirement: "B.2", Criterion: "records", Outcome: criteria.Partly},
			{Requirement: "B.3", Criterion: "records", Outcome: criteria.Met},
			{Requirement: "K.1", Criterion: "security", Outcome: criteria.NotMet},
			{Requirement: "C.1", Criterion: "solvency", Outcome: criteria.Indeterminate},
			{Requirement: "C.3", Criterion: "solvency", Outcome: criteria.NotMet},
		},
		want: []rated{
			{"security", "unlikely", "severe", "high", 10, 4, []string{"K.1 not_met"}},
			{"records", "possible", "moderate", "medium", 9, 2, []string{"B.2 partly"}},
			{"solvency", "rare", "major", "low", 4, 1, []string{"C.1 indeterminate"}},
		},
		reason: "unlikely × severe = 2 × 5 = 10 is high; a partly met B requirement is rated possible, not likely; " +
			"met findings raise nothing; a criterion pattern catches K.1; C.3 is not mapped; risks sort by weight then product",
	}, {
		name: "worst finding wins",
		env: func() *operatorEnv {
			e := fullOperator()
			e.Chapters = []string{"08"}
			return e
		},
		findings: []criteria.Finding{
			{Requirement: "B.2", Outcome: criteria.Partly},
			{Requirement: "B.1", Outcome: criteria.NotMet},
			{Requirement: "B.1", Outcome: criteria.NotMet},
		},
		want: []rated{
			{"records", "likely", "moderate", "high", 12, 4, []string{"B.1 not_met", "B.2 partly"}},
		},
		reason: "several findings raising one risk give one risk, rated by the worst, with every cause listed once",
	}, {
		name: "one finding twice",
		env: func() *operatorEnv {
			e := fullOperator()
			e.Chapters = []string{"08"}
			return e
		},
		findings: []criteria.Finding{
			{Requirement: "B.1", Outcome: criteria.NotMet},
			{Requirement: "B.1", Outcome: criteria.NotMet},
		},
		want: []rated{
			{"records", "likely", "moderate", "high", 12, 4, []string{"B.1 not_met"}},
		},
		reason: "the same cause twice is listed once",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Map(t.Context(), tt.env(), tt.findings)
			require.NoError(t, err)
			var gotR []rated
			for _, r := range got.Risks {
				gotR = append(gotR, rated{r.ID, r.Likelihood, r.Consequence, r.Rating, r.Product, r.Weight, r.Causes})
			}
			if diff := cmp.Diff(tt.want, gotR); diff != "" {
				t.Errorf("risks mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

func TestModel_Map_undecided(t *testing.T) {
	m := demoModel(t)
	env := fullOperator()
	env.Chapters = nil
	got, err := m.Map(t.Context(), env, nil)
	require.NoError(t, err)
	if diff := cmp.Diff([]risk.Undecided{{Risk: "excise", Missing: []string{"hs_chapters"}}}, got.Undecided); diff != "" {
		t.Errorf("undecided mismatch (-want +got):\n%s", diff)
	}
	require.Len(t, got.Risks, 1)
	assert.Equal(t, []string{"profile (undecided)"}, got.Risks[0].Causes,
		"an inherent risk that cannot be ruled out is raised, so that a plan of treatment covers it, and listed as undecided")
}

func TestModel_Map_errors(t *testing.T) {
	m := demoModel(t)
	_, err := m.Map(t.Context(), &risk.Facts{}, nil)
	assert.ErrorContains(t, err, "risk: Map needs a *risk_test.operatorEnv, got *risk.Facts")
	_, err = m.Map(t.Context(), nil, nil)
	assert.Error(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = m.Map(ctx, fullOperator(), nil)
	assert.True(t, errors.Is(err, context.Canceled), "a cancelled context stops the mapping")
}

func TestModel_Rate_grid(t *testing.T) {
	cfg := risk.Config{Matrix: risk.Matrix{
		Likelihood:  []string{"low", "high"},
		Consequence: []string{"minor", "major"},
		Ratings:     []risk.RatingBand{{Rating: "green"}, {Rating: "amber"}, {Rating: "red"}},
		Grid:        [][]string{{"green", "amber"}, {"amber", "red"}},
	}}
	m, err := risk.Compile(cfg)
	require.NoError(t, err)
	tests := []struct {
		l, c, want string
		weight     float64
		reason     string
	}{
		{"low", "minor", "green", 1, "an explicit grid rates each cell; without rating weights the weight is the product"},
		{"low", "major", "amber", 2, "row low, column major"},
		{"high", "minor", "amber", 2, "row high, column minor"},
		{"high", "major", "red", 4, "the top cell"},
	}
	for _, tt := range tests {
		r, ok := m.Rate(tt.l, tt.c)
		require.True(t, ok)
		assert.Equal(t, tt.want, r.Rating, tt.reason)
		assert.Equal(t, tt.weight, r.Weight, tt.reason)
	}
	_, ok := m.Rate("medium", "minor")
	assert.False(t, ok, "an unknown label is reported, not rated")
}

func TestCompile_errors(t *testing.T) {
	type problem struct {
		Path       string
		Message    string
		ExprLine   int
		ExprColumn int
	}
	tests := []struct {
		name   string
		edit   func(*risk.Config)
		want   []problem
		reason string
	}{{
		name: "expression errors",
		edit: func(c *risk.Config) {
			c.Dimensions[1].Score = "infringements > 'many'"
			c.Dimensions[2].Score = "volume_of_trade * 2"
			c.Risks[0].When = "hs_chapters"
		},
		want: []problem{
			{Path: "dimensions[1].score", Message: "cannot apply > to a number and a string", ExprLine: 1, ExprColumn: 15},
			{Path: "dimensions[2].score", Message: "unknown name volume_of_trade", ExprLine: 1, ExprColumn: 1},
			{Path: "risks[0].when", Message: "expression must be a condition (true or false), but it is a list", ExprLine: 1, ExprColumn: 1},
		},
		reason: "expression errors carry the path of the key and the position inside the expression",
	}, {
		name: "structure",
		edit: func(c *risk.Config) {
			c.Dimensions[0].Weight = 0
			c.Dimensions[3].ID = "compliance"
			c.Levels[1].Min = 0
			c.Risks[1].Likelihood = "often"
			c.Findings[0].Risk = "record"
			c.Findings[2].Requirements, c.Findings[2].Criteria = nil, nil
			c.Controls[0].Kind = 0
			c.Controls[1].Addresses = []string{"valuation", "fraud"}
			c.Controls[2].Hours = -1
			c.Review.ReanalyseAfter = calendar.Period{Months: -1}
		},
		want: []problem{
			{Path: "dimensions[0].weight", Message: "weight must be a positive number"},
			{Path: "dimensions[3].id", Message: `dimension "compliance" defined twice`},
			{Path: "levels[1].min", Message: "bands must be listed lowest first, each min above the one before"},
			{Path: "risks[1].likelihood", Message: `unknown likelihood "often" (known: almost_certain, likely, possible, rare, unlikely)`},
			{Path: "findings[0].risk", Message: `unknown risk "record": declare it under risks (known: excise, records, security, solvency, valuation)`},
			{Path: "findings[2]", Message: "give requirements or criteria: the ID patterns of the findings that raise the risk"},
			{Path: "controls[0].kind", Message: "kind is required: physical_inspection, documentary_check, accounting_control, post_clearance_audit, spot_check or self_assessment_review"},
			{Path: "controls[1].addresses[1]", Message: `unknown risk "fraud" (known: excise, records, security, solvency, valuation)`},
			{Path: "controls[2].hours", Message: "hours must be a positive number: the staff hours of one occurrence"},
			{Path: "review.reanalyse_after", Message: "the period must not be negative"},
		},
		reason: "every structural problem is reported at once, in configuration order",
	}, {
		name: "matrix",
		edit: func(c *risk.Config) {
			c.Matrix.Ratings[2].Min = 5
			c.Matrix.Ratings[3].Weight = 0
			c.Matrix.Likelihood[4] = "rare"
		},
		want: []problem{
			{Path: "matrix.likelihood[4]", Message: `label "rare" given twice`},
			{Path: "matrix.ratings[2].min", Message: "bands must be listed lowest first, each min above the one before"},
			{Path: "matrix.ratings", Message: "give a weight to every rating or to none"},
		},
		reason: "rating bands must be ordered and weighted consistently",
	}, {
		name: "no matrix",
		edit: func(c *risk.Config) {
			c.Matrix = risk.Matrix{}
			c.Risks = c.Risks[:1]
			c.Findings, c.Controls = nil, nil
		},
		want: []problem{
			{Path: "matrix", Message: "matrix is required with risks: the likelihood and consequence scales and the ratings"},
		},
		reason: "risks cannot be rated without a matrix, and the missing matrix is reported once",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := demo()
			tt.edit(&cfg)
			_, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
			require.Error(t, err)
			var list diag.List
			require.True(t, errors.As(err, &list), "Compile returns ConfigErrors, got %T", err)
			var got []problem
			for _, e := range list {
				got = append(got, problem{e.Path, e.Message, e.ExprLine, e.ExprColumn})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			var one *diag.Error
			assert.True(t, errors.As(err, &one), "errors.As finds a single *ConfigError")
		})
	}
}

func TestCompile_badOptions(t *testing.T) {
	_, err := risk.Compile(demo(), risk.WithEnv(operatorEnv{}))
	assert.ErrorContains(t, err, "risk: rules: environment prototype must be a pointer to a struct")
	var list diag.List
	assert.False(t, errors.As(err, &list), "a bad prototype is the host's mistake, not the programme's")

	_, err = risk.Compile(demo(), risk.WithEnv(&operatorEnv{}), risk.WithFacts(criteria.FactDecl{Name: "turnover", Type: "money"}))
	assert.ErrorContains(t, err, `fact "turnover": unknown fact type "money"`)
}

func TestCompile_copiesConfig(t *testing.T) {
	cfg := demo()
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	cfg.Findings[0].Requirements[0] = "Z.*"
	cfg.Matrix.Likelihood[0] = "changed"
	got, err := m.Map(t.Context(), fullOperator(), []criteria.Finding{{Requirement: "B.1", Outcome: criteria.NotMet}})
	require.NoError(t, err)
	require.Len(t, got.Risks, 2)
	assert.Equal(t, "records", got.Risks[1].ID, "changing the caller's configuration after Compile changes nothing")
	assert.Equal(t, "likely", got.Risks[1].Likelihood)
}

func TestMap_JSON(t *testing.T) {
	m := demoModel(t)
	got, err := m.Map(t.Context(), fullOperator(), []criteria.Finding{
		{Requirement: "B.1", Criterion: "records", Outcome: criteria.NotMet},
		{Requirement: "K.2", Criterion: "security", Outcome: criteria.Partly},
	})
	require.NoError(t, err)
	b, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	golden(t, "map.json", append(b, '\n'))
}

// A map without dimensions rates risks only: it has no score, no level and
// no coverage, and is still written as JSON.
func TestModel_Map_noDimensions(t *testing.T) {
	cfg := demo()
	cfg.Dimensions, cfg.Levels = nil, nil
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	got, err := m.Map(t.Context(), fullOperator(), nil)
	require.NoError(t, err)
	assert.Zero(t, got.Score, "no dimension, no score")
	assert.Empty(t, got.Level, "no score, no level")
	assert.Zero(t, got.Coverage, "no configured weight: nothing scored, never 0/0")
	assert.False(t, got.Provisional, "nothing left unscored")
	require.Len(t, got.Risks, 1, "the inherent excise risk is still raised")
	_, err = json.Marshal(got)
	assert.NoError(t, err)
}
