package criteria_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
)

// The default rules decide on what is known: a required requirement not
// met (or only partly) fails its criterion, and a failed criterion refuses
// the authorization, whatever is still undecided. A programme's own pass
// or grant rule that does not hold, with something undecided, leaves the
// decision open instead: it may hold once the facts are in.
func TestDefaultRulesDecideOnWhatIsKnown(t *testing.T) {
	base := func() criteria.Config {
		req := func(id, crit string, level criteria.Level) criteria.Requirement {
			return criteria.Requirement{ID: id, Criterion: crit, Title: criteria.NewText(id), Level: level,
				When: "facts." + id + " == 'met'", Partly: "facts." + id + " == 'partly'", Source: "test"}
		}
		return criteria.Config{
			Facts: []criteria.FactDecl{{Name: "a1", Type: "string"}, {Name: "a2", Type: "string"}, {Name: "a3", Type: "string"},
				{Name: "b1", Type: "string"}},
			Criteria: []criteria.Criterion{{ID: "A", Title: criteria.NewText("A")}, {ID: "B", Title: criteria.NewText("B")}},
			Requirements: []criteria.Requirement{
				req("a1", "A", criteria.Required), req("a2", "A", criteria.Required), req("a3", "A", criteria.Desired),
				req("b1", "B", criteria.Required),
			},
			Authorizations: []criteria.Authorization{{ID: "AEO", Title: criteria.NewText("AEO")}},
		}
	}
	tests := []struct {
		name   string
		mod    func(*criteria.Config)
		facts  map[string]any
		crits  map[string]criteria.Outcome
		rec    criteria.Recommendation
		reason string
	}{{
		name:   "required not met beside an undecided one",
		facts:  map[string]any{"a1": "no", "a3": "met", "b1": "met"},
		crits:  map[string]criteria.Outcome{"A": criteria.NotMet, "B": criteria.Met},
		rec:    criteria.Refuse,
		reason: "a1 not met fails A whatever a2 turns out to be; A failed refuses AEO",
	}, {
		name:   "required partly met beside an undecided one",
		facts:  map[string]any{"a1": "partly", "a3": "met", "b1": "met"},
		crits:  map[string]criteria.Outcome{"A": criteria.NotMet, "B": criteria.Met},
		rec:    criteria.Refuse,
		reason: "under the default rule a required requirement only partly met fails its criterion too",
	}, {
		name:   "desired not met beside an undecided required one",
		facts:  map[string]any{"a1": "met", "a3": "no", "b1": "met"},
		crits:  map[string]criteria.Outcome{"A": criteria.Indeterminate, "B": criteria.Met},
		rec:    criteria.Pending,
		reason: "a desired requirement does not decide A; a2 is still open, so A and AEO are pending",
	}, {
		name:   "a failed criterion beside a pending one",
		facts:  map[string]any{"a1": "met", "a3": "met", "b1": "no"},
		crits:  map[string]criteria.Outcome{"A": criteria.Indeterminate, "B": criteria.NotMet},
		rec:    criteria.Refuse,
		reason: "under the default grant B failed refuses AEO, whatever A turns out to be",
	}, {
		name:   "every criterion met",
		facts:  map[string]any{"a1": "met", "a2": "met", "a3": "no", "b1": "met"},
		crits:  map[string]criteria.Outcome{"A": criteria.Met, "B": criteria.Met},
		rec:    criteria.Recommend,
		reason: "every required requirement met: a desired one not met does not hold it back",
	}, {
		name: "own pass rule not holding, with something undecided",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Pass = "required.not_met == 0 && required.indeterminate == 0"
		},
		facts:  map[string]any{"a1": "no", "a3": "met", "b1": "met"},
		crits:  map[string]criteria.Outcome{"A": criteria.Indeterminate, "B": criteria.Met},
		rec:    criteria.Pending,
		reason: "a programme's pass rule is not the default: with a2 undecided A stays open",
	}, {
		name: "own pass rule not holding, everything decided",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Pass = "required.not_met == 0"
		},
		facts:  map[string]any{"a1": "no", "a2": "met", "a3": "met", "b1": "met"},
		crits:  map[string]criteria.Outcome{"A": criteria.NotMet, "B": criteria.Met},
		rec:    criteria.Refuse,
		reason: "nothing undecided: a pass rule that does not hold fails the criterion",
	}, {
		name: "own grant not holding, with a criterion pending",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grant = "not_met == 0 && indeterminate == 0"
		},
		facts:  map[string]any{"a1": "met", "a3": "met", "b1": "no"},
		crits:  map[string]criteria.Outcome{"A": criteria.Indeterminate, "B": criteria.NotMet},
		rec:    criteria.Pending,
		reason: "a programme's grant rule is not the default: with A pending the recommendation stays open",
	}, {
		name: "own grant not holding, nothing pending",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grant = "not_met == 0"
		},
		facts:  map[string]any{"a1": "met", "a2": "met", "a3": "met", "b1": "no"},
		crits:  map[string]criteria.Outcome{"A": criteria.Met, "B": criteria.NotMet},
		rec:    criteria.Refuse,
		reason: "nothing pending: a grant rule that does not hold refuses",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base()
			if tt.mod != nil {
				tt.mod(&cfg)
			}
			set, err := criteria.Compile(cfg)
			require.NoError(t, err)
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			got := map[string]criteria.Outcome{}
			for _, c := range res.Criteria {
				got[c.ID] = c.Outcome
			}
			if diff := cmp.Diff(tt.crits, got); diff != "" {
				t.Errorf("criteria (-want +got):\n%s\n%s", diff, tt.reason)
			}
			a, _ := res.Authorization("AEO")
			assert.Equal(t, tt.rec, a.Recommendation, tt.reason)
		})
	}
}

// Evaluate takes assessment dates in the years 0 to 9999, which a result
// can be written in JSON with, and refuses any other.
func TestEvaluateDateRange(t *testing.T) {
	set := criteria.MustCompile(eu())
	tests := []struct {
		name   string
		date   time.Time
		err    string
		reason string
	}{
		{name: "year 0", date: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), reason: "the first year accepted"},
		{name: "year 9999", date: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), reason: "the last year accepted"},
		{name: "year -1", date: time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC), err: "criteria: the assessment date is in the year -1, outside the years 0 to 9999",
			reason: "a year before 0 cannot be written as an RFC 3339 date"},
		{name: "year 10000", date: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), err: "criteria: the assessment date is in the year 10000, outside the years 0 to 9999",
			reason: "nor can a five-digit year"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), &criteria.Facts{Date: tt.date, Values: map[string]any{"compliance": true}})
			if tt.err != "" {
				assert.EqualError(t, err, tt.err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.date, res.AsOf, tt.reason)
		})
	}
}

// The first value past the last outcome or recommendation is as invalid
// as any other: it has no text and no token.
func TestEnumsFirstInvalid(t *testing.T) {
	tests := []struct {
		name   string
		text   func() string
		token  func() ([]byte, error)
		want   string
		err    string
		reason string
	}{{
		name:   "outcome",
		text:   criteria.Outcome(criteria.Equivalent + 1).String,
		token:  criteria.Outcome(criteria.Equivalent + 1).MarshalText,
		want:   "Outcome(6)",
		err:    "criteria: invalid outcome 6",
		reason: "Equivalent is the last outcome",
	}, {
		name:   "recommendation",
		text:   criteria.Recommendation(criteria.Refuse + 1).String,
		token:  criteria.Recommendation(criteria.Refuse + 1).MarshalText,
		want:   "Recommendation(3)",
		err:    "criteria: invalid recommendation 3",
		reason: "Refuse is the last recommendation",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.text(), tt.reason)
			_, err := tt.token()
			assert.EqualError(t, err, tt.err, tt.reason)
		})
	}
}

// A criterion is not applicable when none of its requirements applies;
// one whose only applicable requirements are bonuses is still decided.
func TestCriterionApplicability(t *testing.T) {
	cfg := criteria.Config{
		Facts: []criteria.FactDecl{{Name: "extra", Type: "bool"}, {Name: "warehouse", Type: "bool"}},
		Criteria: []criteria.Criterion{
			{ID: "additional", Title: criteria.NewText("Additional standards")},
			{ID: "premises", Title: criteria.NewText("Premises")},
		},
		Requirements: []criteria.Requirement{
			{ID: "add.1", Criterion: "additional", Title: criteria.NewText("extra"), Level: criteria.Bonus, Points: 2, When: "facts.extra", Source: "GACC additional standard"},
			{ID: "prem.1", Criterion: "premises", Title: criteria.NewText("warehouse"), When: "facts.warehouse", Roles: []string{"warehouse_keeper"}, Source: "SAFE I"},
		},
	}
	set := criteria.MustCompile(cfg)
	tests := []struct {
		name   string
		facts  map[string]any
		want   map[string]criteria.Outcome
		reason string
	}{{
		name:   "bonus earned",
		facts:  map[string]any{"extra": true, "warehouse": true},
		want:   map[string]criteria.Outcome{"additional": criteria.Met, "premises": criteria.NotApplicable},
		reason: "a bonus requirement applies, so its criterion is decided; an importer keeps no warehouse",
	}, {
		name:   "bonus not earned",
		facts:  map[string]any{"extra": false, "warehouse": true},
		want:   map[string]criteria.Outcome{"additional": criteria.Met, "premises": criteria.NotApplicable},
		reason: "a bonus not earned is not a requirement not met",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			got := map[string]criteria.Outcome{}
			for _, c := range res.Criteria {
				got[c.ID] = c.Outcome
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("criteria (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

// A grant may name criteria: criteria.ID.passed is whether the criterion
// was met, and its tallies are the criterion's own.
func TestGrantReadsCriteria(t *testing.T) {
	cfg := criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "a", Type: "bool"}, {Name: "b", Type: "bool"}, {Name: "b2", Type: "bool"}},
		Criteria: []criteria.Criterion{{ID: "A", Title: criteria.NewText("A")}, {ID: "B", Title: criteria.NewText("B")}},
		Requirements: []criteria.Requirement{
			{ID: "a", Criterion: "A", Title: criteria.NewText("a"), When: "facts.a", Source: "test"},
			{ID: "b", Criterion: "B", Title: criteria.NewText("b"), When: "facts.b", Source: "test"},
			{ID: "b2", Criterion: "B", Title: criteria.NewText("b2"), When: "facts.b2", Level: criteria.Desired, Source: "test"},
		},
		Authorizations: []criteria.Authorization{
			{ID: "A-only", Title: criteria.NewText("A decides"), Grant: `criteria["A"].passed`},
			{ID: "B-desired", Title: criteria.NewText("B with its desired requirement"), Grant: `criteria.B.passed && criteria.B.desired.met == 1`},
		},
	}
	set := criteria.MustCompile(cfg)
	tests := []struct {
		name   string
		facts  map[string]any
		want   map[string]criteria.Recommendation
		reason string
	}{{
		name:   "A met, B not",
		facts:  map[string]any{"a": true, "b": false, "b2": true},
		want:   map[string]criteria.Recommendation{"A-only": criteria.Recommend, "B-desired": criteria.Refuse},
		reason: "A passed whatever B did; B failed its required requirement",
	}, {
		name:   "A not met, B met without its desired requirement",
		facts:  map[string]any{"a": false, "b": true, "b2": false},
		want:   map[string]criteria.Recommendation{"A-only": criteria.Refuse, "B-desired": criteria.Refuse},
		reason: "A did not pass; B passed but its desired requirement was not met",
	}, {
		name:   "both met in full",
		facts:  map[string]any{"a": true, "b": true, "b2": true},
		want:   map[string]criteria.Recommendation{"A-only": criteria.Recommend, "B-desired": criteria.Recommend},
		reason: "every condition holds",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			got := map[string]criteria.Recommendation{}
			for _, a := range res.Authorizations {
				got[a.ID] = a.Recommendation
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("recommendations (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

// A criterion's tally counts each outcome of its requirements; the
// inapplicable ones are counted apart and carry no points or weight.
func TestCriterionTally(t *testing.T) {
	req := func(id string, mod func(*criteria.Requirement)) criteria.Requirement {
		r := criteria.Requirement{ID: id, Criterion: "G", Title: criteria.NewText(id), When: "facts." + id + " == 'met'",
			Partly: "facts." + id + " == 'partly'", Source: "SAFE G"}
		if mod != nil {
			mod(&r)
		}
		return r
	}
	cfg := criteria.Config{
		Scoring:  criteria.Scoring{Met: 2, Partly: 1, NotMet: -1},
		Criteria: []criteria.Criterion{{ID: "G", Title: criteria.NewText("Cargo security")}},
		Requirements: []criteria.Requirement{
			req("met", nil), req("partly", nil), req("notmet", nil), req("unknown", nil),
			req("seals", func(r *criteria.Requirement) { r.Roles = []string{"exporter"} }),
			req("iso", nil),
		},
		Equivalences: []criteria.Equivalence{{ID: "iso28000", Certification: "ISO 28000", Satisfies: []string{"iso"}}},
	}
	for _, r := range cfg.Requirements {
		cfg.Facts = append(cfg.Facts, criteria.FactDecl{Name: r.ID, Type: "string"})
	}
	set := criteria.MustCompile(cfg)
	f := &criteria.Facts{Date: asOf, Roles: []string{"importer"}, Certificates: map[string]string{"ISO 28000": "cert-1"},
		Values: map[string]any{"met": "met", "partly": "partly", "notmet": "no", "seals": "met", "iso": "no"}}
	res, err := set.Evaluate(t.Context(), f)
	require.NoError(t, err)
	want := criteria.Tally{Met: 1, Partly: 1, NotMet: 1, Indeterminate: 1, NotApplicable: 1, Equivalent: 1,
		Applicable: 5, Points: 2 + 1 - 1 + 2, Weight: 5, WeightMet: 2, WeightPartly: 1}
	if diff := cmp.Diff(want, res.Criteria[0].Tally); diff != "" {
		t.Errorf("tally (-want +got):\n%s\nmet, partly, not met, unknown, an exporter's requirement and one satisfied by ISO 28000: one of each outcome", diff)
	}
}

// DecideInto into a Result already used allocates nothing per operator,
// whatever the operator: the lists of failed and pending criteria, the
// findings and the verify-on-site list reuse the Result's memory.
func TestDecideIntoAllocatesNothing(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop what it holds")
	}
	cfg := eu()
	for i := range cfg.Requirements {
		cfg.Requirements[i].Evidence = []criteria.Evidence{criteria.OnSite}
	}
	set := criteria.MustCompile(cfg)
	ops := []*criteria.Facts{
		subject(map[string]any{"compliance": true, "competence": true, "security": true}),
		subject(map[string]any{"compliance": true, "competence": false}),
		subject(map[string]any{"compliance": false, "security": true}),
	}
	var res criteria.Result
	ctx := t.Context()
	for _, o := range ops {
		require.NoError(t, set.DecideInto(ctx, o, &res))
	}
	allocs := allocsPerOperator(t, ops, func(o *criteria.Facts) error { return set.DecideInto(ctx, o, &res) })
	assert.Zero(t, allocs, "DecideInto allocates %v times per operator", allocs)
}

// allocsPerOperator returns how many times eval allocates per call, run
// over ops in turn.
func allocsPerOperator(t *testing.T, ops []*criteria.Facts, eval func(*criteria.Facts) error) float64 {
	i := 0
	return testing.AllocsPerRun(300, func() {
		if err := eval(ops[i%len(ops)]); err != nil {
			t.Fatal(err)
		}
		i++
	})
}

// EvaluateInto into a Result already used writes the findings' missing
// facts and failed comparisons, and the criteria's reasons, into memory
// the Result keeps: explaining allocates only for what it must make anew
// (a reason quoting values, a value boxed to be shown), none here.
func TestEvaluateIntoReusesExplanations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop what it holds")
	}
	cfg := eu()
	cfg.Facts = append(cfg.Facts, criteria.FactDecl{Name: "years", Type: "int"})
	cfg.Requirements[0].When = "facts.compliance && facts.years >= 3"
	set := criteria.MustCompile(cfg)
	ops := []*criteria.Facts{
		// Each leaves a criterion undecided, whose reason is written
		// once per count at compile time.
		subject(map[string]any{"compliance": true, "years": 1, "competence": true}),
		subject(map[string]any{"compliance": true, "competence": false}),
		subject(map[string]any{"years": 5, "security": true}),
	}
	var res criteria.Result
	ctx := t.Context()
	for _, o := range ops {
		require.NoError(t, set.EvaluateInto(ctx, o, &res))
	}
	f, _ := res.Finding("compliance")
	require.Equal(t, []string{"facts.compliance"}, f.Missing, "the last operator leaves a fact missing")
	require.NoError(t, set.EvaluateInto(ctx, ops[0], &res))
	f, _ = res.Finding("compliance")
	require.Equal(t, []criteria.Comparison{{Subject: "facts.years", Op: ">=", Threshold: "3", Actual: 1}}, f.Failed, "the first fails a comparison")
	require.Equal(t, criteria.CriterionResult{ID: "security", Title: "Security", Outcome: criteria.Indeterminate, Tally: criteria.Tally{Applicable: 1, Indeterminate: 1, Weight: 1}, Reason: "1 requirement(s) undecided"},
		res.Criteria[2], "the first leaves security undecided, and says so")
	allocs := allocsPerOperator(t, ops, func(o *criteria.Facts) error { return set.EvaluateInto(ctx, o, &res) })
	assert.Zero(t, allocs, "EvaluateInto allocates %v times per operator", allocs)
}
