package criteria_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

var asOf = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

func yes() *bool { b := true; return &b }

func subject(values map[string]any) *criteria.Facts {
	return &criteria.Facts{Date: asOf, Values: values, Roles: []string{"importer"}}
}

// china is a points-total programme: met 0, partly −1, not met −2, a bonus
// item, pass iff no −2 item and 100 + points >= 95, at most 3 partly items
// in internal control.
func china() criteria.Config {
	var reqs []criteria.Requirement
	for _, id := range []string{"ic1", "ic2", "ic3", "ic4", "ic5"} {
		reqs = append(reqs, criteria.Requirement{ID: id, Criterion: "internal_control", Title: criteria.NewText(id),
			When: "facts." + id + " == 'met'", Partly: "facts." + id + " == 'partly'", Source: "GACC standard"})
	}
	for _, id := range []string{"fs1", "fs2", "fs3"} {
		reqs = append(reqs, criteria.Requirement{ID: id, Criterion: "finance", Title: criteria.NewText(id),
			When: "facts." + id + " == 'met'", Partly: "facts." + id + " == 'partly'", Source: "GACC standard"})
	}
	reqs = append(reqs, criteria.Requirement{ID: "bonus", Criterion: "finance", Title: criteria.NewText("bonus"), Level: criteria.Bonus, Points: 2,
		When: "facts.bonus == 'met'", Source: "GACC additional standard"})
	var facts []criteria.FactDecl
	for _, r := range reqs {
		facts = append(facts, criteria.FactDecl{Name: r.ID, Type: "string"})
	}
	return criteria.Config{
		Facts:   facts,
		Scoring: criteria.Scoring{Met: 0, Partly: -1, NotMet: -2},
		Criteria: []criteria.Criterion{
			{ID: "internal_control", Title: criteria.NewText("Internal control"), Pass: "true"},
			{ID: "finance", Title: criteria.NewText("Financial status"), Pass: "true"},
		},
		Requirements: reqs,
		Authorizations: []criteria.Authorization{{
			ID: "advanced", Title: criteria.NewText("Advanced certified"),
			Grant: `required.not_met == 0 && 100 + points >= 95 && criteria["internal_control"].partly <= 3`,
		}},
	}
}

func chinaFacts(over map[string]string) map[string]any {
	m := map[string]any{"ic1": "met", "ic2": "met", "ic3": "met", "ic4": "met", "ic5": "met", "fs1": "met", "fs2": "met", "fs3": "met", "bonus": "no"}
	for k, v := range over {
		m[k] = v
	}
	return m
}

func TestPointsTotal(t *testing.T) {
	set := criteria.MustCompile(china())
	fiveMinus := map[string]string{"ic1": "partly", "ic2": "partly", "ic3": "partly", "fs1": "partly", "fs2": "partly"}
	sixMinus := map[string]string{"ic1": "partly", "ic2": "partly", "ic3": "partly", "fs1": "partly", "fs2": "partly", "fs3": "partly"}
	withBonus := map[string]string{"bonus": "met"}
	for k, v := range sixMinus {
		withBonus[k] = v
	}
	tests := []struct {
		name       string
		over       map[string]string
		want       criteria.Recommendation
		wantPoints float64
		reason     string
	}{
		{name: "all met", want: criteria.Recommend, wantPoints: 0, reason: "100 + 0 >= 95"},
		{name: "total exactly 95", over: fiveMinus, want: criteria.Recommend, wantPoints: -5,
			reason: "five items partly met give exactly 95, which passes"},
		{name: "total 94", over: sixMinus, want: criteria.Refuse, wantPoints: -6, reason: "94 is below 95"},
		{name: "one not met", over: map[string]string{"ic1": "no"}, want: criteria.Refuse, wantPoints: -2,
			reason: "any −2 item refuses, whatever the total"},
		{name: "four partly in internal control", over: map[string]string{"ic1": "partly", "ic2": "partly", "ic3": "partly", "ic4": "partly"},
			want: criteria.Refuse, wantPoints: -4, reason: "at most three items partly met in internal control, though 96 >= 95"},
		{name: "bonus lifts total", over: withBonus, want: criteria.Recommend, wantPoints: -4,
			reason: "the +2 bonus lifts 94 to 96; a bonus item not met costs nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(chinaFacts(tt.over)))
			require.NoError(t, err)
			a, ok := res.Authorization("advanced")
			require.True(t, ok)
			assert.Equal(t, tt.want, a.Recommendation, tt.reason)
			assert.Equal(t, tt.wantPoints, a.Tally.Points, tt.reason)
		})
	}
}

// korea is a gate plus grades: internal control scored, pass at 80;
// grades by a declared compliance score.
func korea() criteria.Config {
	var reqs []criteria.Requirement
	for _, id := range []string{"k1", "k2", "k3", "k4"} {
		reqs = append(reqs, criteria.Requirement{ID: id, Criterion: "internal_control", Title: criteria.NewText(id), When: "facts." + id, Source: "KCS notice"})
	}
	reqs = append(reqs, criteria.Requirement{ID: "s1", Criterion: "solvency", Title: criteria.NewText("debt ratio"), When: "facts.debt_ratio < 2 * facts.industry_ratio", Source: "KCS"})
	return criteria.Config{
		Facts: []criteria.FactDecl{{Name: "k1", Type: "bool"}, {Name: "k2", Type: "bool"}, {Name: "k3", Type: "bool"}, {Name: "k4", Type: "bool"},
			{Name: "debt_ratio", Type: "float"}, {Name: "industry_ratio", Type: "float"}, {Name: "compliance_score", Type: "float"}},
		Criteria: []criteria.Criterion{
			{ID: "internal_control", Title: criteria.NewText("Internal control"), Score: "100 * weight_met / weight", Pass: "score >= 80"},
			{ID: "solvency", Title: criteria.NewText("Financial solvency")},
		},
		Requirements: reqs,
		Authorizations: []criteria.Authorization{{ID: "AEO", Title: criteria.NewText("AEO"), Grades: []criteria.Grade{
			{ID: "A", When: "facts.compliance_score >= 80"},
			{ID: "AA", When: "facts.compliance_score >= 90"},
			{ID: "AAA", When: "facts.compliance_score >= 95"},
		}}},
	}
}

func TestGrades(t *testing.T) {
	set := criteria.MustCompile(korea())
	base := func(score float64, k4 bool) map[string]any {
		return map[string]any{"k1": true, "k2": true, "k3": true, "k4": k4, "debt_ratio": 150.0, "industry_ratio": 100.0, "compliance_score": score}
	}
	tests := []struct {
		name      string
		facts     map[string]any
		want      criteria.Recommendation
		wantGrade string
		reason    string
	}{
		{name: "A", facts: base(85, true), want: criteria.Recommend, wantGrade: "A", reason: "80 <= score < 90"},
		{name: "AA", facts: base(90, true), want: criteria.Recommend, wantGrade: "AA", reason: "90 is AA"},
		{name: "AAA", facts: base(97, true), want: criteria.Recommend, wantGrade: "AAA", reason: "95 and over"},
		{name: "below A", facts: base(75, true), want: criteria.Refuse, reason: "no grade holds, so no recommendation"},
		{name: "internal control 75", facts: base(97, false), want: criteria.Refuse, reason: "3 of 4 met is 75 < 80: the gate fails"},
		{name: "score missing", facts: func() map[string]any { m := base(0, true); delete(m, "compliance_score"); return m }(),
			want: criteria.Pending, reason: "a grade that cannot be computed leaves the recommendation pending"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			a, _ := res.Authorization("AEO")
			assert.Equal(t, tt.want, a.Recommendation, tt.reason)
			assert.Equal(t, tt.wantGrade, a.Grade, tt.reason)
		})
	}
}

// eu has two authorization types on overlapping criteria and a combined one.
func eu() criteria.Config {
	req := func(id, crit string) criteria.Requirement {
		return criteria.Requirement{ID: id, Criterion: crit, Title: criteria.NewText(id), When: "facts." + id, Source: "UCC Art 39"}
	}
	return criteria.Config{
		Facts: []criteria.FactDecl{{Name: "compliance", Type: "bool"}, {Name: "competence", Type: "bool"}, {Name: "security", Type: "bool"}},
		Criteria: []criteria.Criterion{
			{ID: "compliance", Title: criteria.NewText("Compliance")}, {ID: "competence", Title: criteria.NewText("Competence")}, {ID: "security", Title: criteria.NewText("Security")},
		},
		Requirements: []criteria.Requirement{req("compliance", "compliance"), req("competence", "competence"), req("security", "security")},
		Authorizations: []criteria.Authorization{
			{ID: "AEOC", Title: criteria.NewText("Customs simplifications"), Criteria: []string{"compliance", "competence"}},
			{ID: "AEOS", Title: criteria.NewText("Security and safety"), Criteria: []string{"compliance", "security"}},
			{ID: "AEOF", Title: criteria.NewText("Full"), Includes: []string{"AEOC", "AEOS"}},
		},
	}
}

func TestAuthorizationTypes(t *testing.T) {
	set := criteria.MustCompile(eu())
	tests := []struct {
		name   string
		facts  map[string]any
		want   map[string]criteria.Recommendation
		reason string
	}{
		{name: "full", facts: map[string]any{"compliance": true, "competence": true, "security": true},
			want:   map[string]criteria.Recommendation{"AEOC": criteria.Recommend, "AEOS": criteria.Recommend, "AEOF": criteria.Recommend},
			reason: "both types recommended, so the combined one too"},
		{name: "security fails", facts: map[string]any{"compliance": true, "competence": true, "security": false},
			want:   map[string]criteria.Recommendation{"AEOC": criteria.Recommend, "AEOS": criteria.Refuse, "AEOF": criteria.Refuse},
			reason: "security decides AEOS only (UCC Art 39(e))"},
		{name: "competence unknown", facts: map[string]any{"compliance": true, "security": true},
			want:   map[string]criteria.Recommendation{"AEOC": criteria.Pending, "AEOS": criteria.Recommend, "AEOF": criteria.Pending},
			reason: "a missing fact leaves AEOC pending, not refused"},
		{name: "one type refused, the other pending", facts: map[string]any{"compliance": true, "competence": false},
			want:   map[string]criteria.Recommendation{"AEOC": criteria.Refuse, "AEOS": criteria.Pending, "AEOF": criteria.Refuse},
			reason: "a combined authorization is refused when one type it includes is, even if another is still pending"},
		{name: "compliance fails", facts: map[string]any{"compliance": false, "competence": true, "security": true},
			want:   map[string]criteria.Recommendation{"AEOC": criteria.Refuse, "AEOS": criteria.Refuse, "AEOF": criteria.Refuse},
			reason: "compliance underlies both types"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			got := map[string]criteria.Recommendation{}
			for _, a := range res.Authorizations {
				got[a.ID] = a.Recommendation
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("recommendations mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

func TestRequirementOutcomes(t *testing.T) {
	cfg := criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "manual", Type: "bool"}, {Name: "procedure", Type: "bool"}, {Name: "ratio", Type: "float"}, {Name: "items", Type: "strings"}},
		Criteria: []criteria.Criterion{{ID: "G", Title: criteria.NewText("Cargo security")}},
		Requirements: []criteria.Requirement{
			{ID: "G.1", Criterion: "G", Title: criteria.NewText("Security manual"), When: "facts.manual", Source: "SAFE G.1",
				SME: &criteria.Alternative{When: "facts.procedure", Note: "a written procedure suffices for SMEs"}, Evidence: []criteria.Evidence{criteria.Document, criteria.OnSite}},
			{ID: "G.2", Criterion: "G", Title: criteria.NewText("Seals"), When: "facts.ratio >= 0.5", Roles: []string{"exporter", "carrier"}, Source: "SAFE G.3"},
			{ID: "G.3", Criterion: "G", Title: criteria.NewText("ISO seals"), When: "facts.ratio >= 0.9 && facts.manual", Source: "SAFE G.3"},
			{ID: "G.4", Criterion: "G", Title: criteria.NewText("Index error"), When: "facts.items[3] == 'x'", Source: "test"},
			{ID: "G.5", Criterion: "G", Title: criteria.NewText("Equivalence"), When: "facts.manual", Source: "SAFE G"},
			{ID: "G.6", Criterion: "G", Title: criteria.NewText("Model 3 only"), When: "true", BusinessModels: []string{"3"}, Source: "e-commerce note"},
		},
		Equivalences: []criteria.Equivalence{{ID: "iso28000", Certification: "ISO 28000", Satisfies: []string{"G.5"}}},
	}
	set := criteria.MustCompile(cfg)
	s := &criteria.Facts{Date: asOf, Roles: []string{"importer"}, IsSME: yes(), Model: "1",
		Values:       map[string]any{"manual": false, "procedure": true, "ratio": 0.6, "items": []string{"a"}},
		Certificates: map[string]string{"ISO 28000": "cert-1"}}
	res, err := set.Evaluate(t.Context(), s)
	require.NoError(t, err)
	tests := []struct {
		id     string
		want   criteria.Outcome
		check  func(t *testing.T, f criteria.Finding)
		reason string
	}{
		{id: "G.1", want: criteria.Met, check: func(t *testing.T, f criteria.Finding) {
			assert.True(t, f.SME)
			assert.True(t, f.VerifyOnSite, "met on paper, still to verify on site")
		}, reason: "an SME meets the proportionate alternative"},
		{id: "G.2", want: criteria.NotApplicable, check: func(t *testing.T, f criteria.Finding) {
			assert.Equal(t, "applies to exporter, carrier only", f.Reason)
		}, reason: "an importer does not seal containers"},
		{id: "G.3", want: criteria.NotMet, check: func(t *testing.T, f criteria.Finding) {
			assert.Equal(t, []criteria.Comparison{{Subject: "facts.ratio", Op: ">=", Threshold: "0.9", Actual: 0.6}}, f.Failed)
			assert.Equal(t, []string{"facts.ratio", "facts.manual"}, factNames(f))
		}, reason: "a failed comparison reports the threshold and the actual value"},
		{id: "G.4", want: criteria.Indeterminate, check: func(t *testing.T, f criteria.Finding) {
			assert.Contains(t, f.Reason, "rule failed")
		}, reason: "a runtime error makes the requirement indeterminate, never met"},
		{id: "G.5", want: criteria.Equivalent, check: func(t *testing.T, f criteria.Finding) {
			assert.Equal(t, "iso28000: cert-1", f.Equivalence)
		}, reason: "a valid ISO 28000 satisfies the requirement"},
		{id: "G.6", want: criteria.NotApplicable, reason: "business model 1 is not model 3"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			f, ok := res.Finding(tt.id)
			require.True(t, ok)
			assert.Equal(t, tt.want, f.Outcome, tt.reason)
			if tt.check != nil {
				tt.check(t, f)
			}
		})
	}
	assert.Equal(t, []string{"G.1"}, res.VerifyOnSite)
	op := res.OperatorView()
	for _, f := range op.Findings {
		assert.Empty(t, f.Facts, "the operator view omits fact values")
		assert.Empty(t, f.Failed, "the operator view omits internal comparisons")
	}
}

func factNames(f criteria.Finding) []string {
	var out []string
	for _, v := range f.Facts {
		out = append(out, v.Fact)
	}
	return out
}

func TestCompileReportsEverything(t *testing.T) {
	cfg := criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "x", Type: "decimal"}, {Name: "Bad Name", Type: "int"}},
		Criteria: []criteria.Criterion{{ID: "A", Title: criteria.NewText("A")}, {ID: "A", Title: criteria.NewText("again")}, {ID: "E", Title: criteria.NewText("empty")}},
		Requirements: []criteria.Requirement{
			{ID: "A.1", Criterion: "A", Title: criteria.NewText("t"), When: "facts.x > 1", Source: "s", Level: "mandatory"},
			{ID: "A.1", Criterion: "A", Title: criteria.NewText("t"), When: "facts.y", Source: "s", Evidence: []criteria.Evidence{"photo"}},
			{ID: "A.3", Criterion: "A", Title: criteria.NewText("t"), When: "true", Source: "s", Points: 3},
		},
		Equivalences:   []criteria.Equivalence{{ID: "e", Certification: "ISO 28000", Satisfies: []string{"Z.9"}}},
		Authorizations: []criteria.Authorization{{ID: "AEO", Title: criteria.NewText("AEO"), Criteria: []string{"Q"}, Grant: `criteria["Q"].passed`}},
	}
	_, err := criteria.Compile(cfg)
	require.Error(t, err)
	var list diag.List
	require.True(t, errors.As(err, &list))
	got := list.Error()
	for _, want := range []string{
		`facts[0].type: unknown fact type "decimal"`,
		`facts[1].name: fact name "Bad Name" must be lower case`,
		`criteria[1].id: criterion "A" defined twice`,
		`criteria[2]: criterion "E" has no requirements`,
		`requirements[0].level: unknown level "mandatory"`,
		`requirements[1].id: requirement "A.1" defined twice`,
		`requirements[1].when:1:1: unknown fact "y"`,
		`requirements[1].evidence[0]: unknown evidence "photo"`,
		`requirements[2].points: points are earned by bonus requirements only`,
		`equivalences[0].satisfies[0]: unknown requirement "Z.9"`,
		`authorizations[0].criteria[0]: unknown criterion "Q"`,
		`authorizations[0].grant: unknown criterion "Q" in criteria["Q"]`,
	} {
		assert.Contains(t, got, want)
	}
}

func TestEvaluateWrongSubject(t *testing.T) {
	set := criteria.MustCompile(eu())
	type other struct{ criteria.Facts }
	_, err := set.Evaluate(t.Context(), &other{})
	require.Error(t, err, "a subject of another type than compiled for is refused, not misread")
}

func TestEvaluateCancelled(t *testing.T) {
	set := criteria.MustCompile(eu())
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := set.Evaluate(ctx, subject(nil))
	require.ErrorIs(t, err, context.Canceled)
}

func TestEvaluateConcurrent(t *testing.T) {
	set := criteria.MustCompile(china())
	want, err := set.Evaluate(t.Context(), subject(chinaFacts(map[string]string{"ic1": "partly"})))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				got, err := set.Evaluate(context.Background(), subject(chinaFacts(map[string]string{"ic1": "partly"})))
				if err != nil {
					t.Error(err)
					return
				}
				if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b criteria.FactValue) bool { return a.Fact == b.Fact && a.Value() == b.Value() }),
					cmpopts.IgnoreUnexported(criteria.Result{})); diff != "" {
					t.Errorf("goroutine %d: mismatch (-want +got):\n%s", g, diff)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func FuzzCompile(f *testing.F) {
	f.Add("facts.ic1 == 'met'", "not_met == 0 && 100 + points >= 95")
	f.Add("facts.ic1 in ['met', 'partly']", `criteria["internal_control"].partly <= 3`)
	f.Add("len(facts.ic1) > 2", "score >= 80")
	f.Fuzz(func(t *testing.T, when, grant string) {
		cfg := china()
		cfg.Requirements[0].When = when
		cfg.Authorizations[0].Grant = grant
		set, err := criteria.Compile(cfg)
		if err != nil {
			var ce *diag.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Compile error %T, want *ConfigError", err)
			}
			return
		}
		if _, err := set.Evaluate(context.Background(), subject(chinaFacts(nil))); err != nil {
			t.Fatalf("Evaluate after Compile(%q, %q): %v", when, grant, err)
		}
		if _, err := set.Evaluate(context.Background(), subject(nil)); err != nil {
			t.Fatalf("Evaluate on no facts after Compile(%q, %q): %v", when, grant, err)
		}
	})
}

func TestDecisionDetails(t *testing.T) {
	cfg := criteria.Config{
		Facts: []criteria.FactDecl{{Name: "experience", Type: "float"}, {Name: "training", Type: "bool"}, {Name: "score", Type: "float"}, {Name: "ok", Type: "bool"}},
		Criteria: []criteria.Criterion{
			{ID: "competence", Title: criteria.NewText("Competence")},
			{ID: "compliance", Title: criteria.NewText("Legal compliance"), Measure: "facts.score"},
			{ID: "other", Title: criteria.NewText("Other")},
		},
		Requirements: []criteria.Requirement{
			{ID: "c1", Criterion: "competence", Title: criteria.NewText("3 years or training"), When: "facts.experience >= 3 || facts.training", Source: "IA Art 27"},
			{ID: "l1", Criterion: "compliance", Title: criteria.NewText("score known"), When: "facts.score >= 0", Source: "KCS"},
			{ID: "o1", Criterion: "other", Title: criteria.NewText("other"), When: "facts.ok", Source: "x"},
		},
		Authorizations: []criteria.Authorization{
			{ID: "graded", Title: criteria.NewText("Graded"), Criteria: []string{"compliance"}, Grades: []criteria.Grade{
				{ID: "A", When: `criteria["compliance"].score >= 80`}, {ID: "AA", When: `criteria["compliance"].score >= 90`}}},
			{ID: "default", Title: criteria.NewText("Default grant"), Criteria: []string{"competence", "other"}},
			{ID: "custom", Title: criteria.NewText("Custom grant"), Criteria: []string{"competence"}, Grant: "points >= 1"},
		},
	}
	set := criteria.MustCompile(cfg)
	tests := []struct {
		name   string
		facts  map[string]any
		check  func(t *testing.T, r criteria.Result)
		reason string
	}{
		{name: "or decided without the missing fact", facts: map[string]any{"experience": 5.0, "score": 92.0, "ok": true},
			check: func(t *testing.T, r criteria.Result) {
				f, _ := r.Finding("c1")
				assert.Equal(t, criteria.Met, f.Outcome)
				assert.Equal(t, []string{"facts.training"}, f.Missing)
			}, reason: "five years' experience meets 'experience or training' whatever the training record"},
		{name: "measure grades", facts: map[string]any{"experience": 5.0, "score": 92.0, "ok": true},
			check: func(t *testing.T, r criteria.Result) {
				a, _ := r.Authorization("graded")
				assert.Equal(t, "AA", a.Grade)
				assert.Equal(t, criteria.Recommend, a.Recommendation)
			}, reason: "a measure over the operator's facts gives the criterion its score, which grades read"},
		{name: "refuse beats pending", facts: map[string]any{"score": 92.0, "ok": false},
			check: func(t *testing.T, r criteria.Result) {
				a, _ := r.Authorization("default")
				assert.Equal(t, criteria.Refuse, a.Recommendation)
				assert.Equal(t, []string{"other"}, a.Failed)
				assert.Equal(t, []string{"competence"}, a.Pending)
			}, reason: "under the default grant a failed criterion decides, whatever is pending"},
		{name: "grant reason", facts: map[string]any{"experience": 5.0, "score": 50.0, "ok": true},
			check: func(t *testing.T, r criteria.Result) {
				a, _ := r.Authorization("custom")
				assert.Equal(t, criteria.Refuse, a.Recommendation)
				assert.Equal(t, "grant condition does not hold: points >= 1, found 0", a.Reason)
				g, _ := r.Authorization("graded")
				assert.Equal(t, "no grade's condition holds: criteria.compliance.score >= 80, found 50", g.Reason)
			}, reason: "a refusal says which condition failed and by how much"},
		{name: "measure missing", facts: map[string]any{"experience": 5.0, "ok": true},
			check: func(t *testing.T, r criteria.Result) {
				assert.Equal(t, criteria.Indeterminate, r.Criteria[1].Outcome)
				a, _ := r.Authorization("graded")
				assert.Equal(t, criteria.Pending, a.Recommendation)
			}, reason: "a measure whose facts are missing leaves the criterion undecided"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			tt.check(t, res)
		})
	}
}

func TestCriterionNotMetBeatsUndecided(t *testing.T) {
	cfg := eu()
	cfg.Requirements = append(cfg.Requirements, criteria.Requirement{ID: "compliance2", Criterion: "compliance", Title: criteria.NewText("second"), When: "facts.competence", Source: "x"})
	set := criteria.MustCompile(cfg)
	res, err := set.Evaluate(t.Context(), subject(map[string]any{"compliance": false}))
	require.NoError(t, err)
	assert.Equal(t, criteria.NotMet, res.Criteria[0].Outcome,
		"a required requirement not met fails the criterion under the default rule, whatever else is undecided")
}

func TestEvaluateIntoReuses(t *testing.T) {
	set := criteria.MustCompile(china())
	var res criteria.Result
	for _, tt := range []struct {
		over   map[string]string
		want   criteria.Recommendation
		reason string
	}{
		{over: map[string]string{"ic1": "no"}, want: criteria.Refuse, reason: "a not met item refuses"},
		{over: nil, want: criteria.Recommend, reason: "the same Result, reused, holds nothing of the previous evaluation"},
		{over: map[string]string{"ic1": "partly", "ic2": "partly", "ic3": "partly", "ic4": "partly"}, want: criteria.Refuse, reason: "four partly items"},
	} {
		require.NoError(t, set.EvaluateInto(t.Context(), subject(chinaFacts(tt.over)), &res))
		fresh, err := set.Evaluate(t.Context(), subject(chinaFacts(tt.over)))
		require.NoError(t, err)
		if diff := cmp.Diff(fresh, res, cmp.Comparer(func(a, b criteria.FactValue) bool { return a.Fact == b.Fact && a.Value() == b.Value() }),
			cmpopts.IgnoreUnexported(criteria.Result{})); diff != "" {
			t.Errorf("EvaluateInto differs from Evaluate (-fresh +reused):\n%s\n%s", diff, tt.reason)
		}
		a, _ := res.Authorization("advanced")
		assert.Equal(t, tt.want, a.Recommendation, tt.reason)
	}
}

func TestDetachSharesNothing(t *testing.T) {
	set := criteria.MustCompile(criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "ratio", Type: "float"}, {Name: "years", Type: "int"}, {Name: "manual", Type: "bool"}},
		Criteria: []criteria.Criterion{{ID: "finance", Title: criteria.NewText("Finance")}, {ID: "security", Title: criteria.NewText("Security")}},
		Requirements: []criteria.Requirement{
			{ID: "solvency", Criterion: "finance", Title: criteria.NewText("Solvency"), When: "facts.ratio >= 0.2 && facts.years >= 3", Source: "x", Evidence: []criteria.Evidence{criteria.OnSite}},
			{ID: "manual", Criterion: "security", Title: criteria.NewText("Manual"), When: "facts.manual", Source: "x"},
		},
		Authorizations: []criteria.Authorization{{ID: "AEO", Title: criteria.NewText("AEO"), Criteria: []string{"finance", "security"}}},
	})
	byFact := cmp.Comparer(func(a, b criteria.FactValue) bool { return a.Fact == b.Fact && a.Value() == b.Value() })
	first := subject(map[string]any{"ratio": 0.1, "years": 1})
	second := subject(map[string]any{"ratio": 0.5, "years": 9, "manual": true})
	want, err := set.Evaluate(t.Context(), first)
	require.NoError(t, err)
	var res criteria.Result
	require.NoError(t, set.EvaluateInto(t.Context(), first, &res))
	kept := res.Detach()
	solvency, _ := kept.Finding("solvency")
	manual, _ := kept.Finding("manual")
	a, _ := kept.Authorization("AEO")
	require.Len(t, solvency.Failed, 2, "the copy has failed comparisons to lose")
	require.Equal(t, []string{"facts.manual"}, manual.Missing, "the copy has missing facts to lose")
	require.NotEmpty(t, solvency.Facts, "the copy has fact values to lose")
	require.Equal(t, []string{"finance"}, a.Failed, "the copy has failed criteria to lose")

	require.NoError(t, set.EvaluateInto(t.Context(), second, &res))
	if diff := cmp.Diff(want, kept, byFact, cmpopts.IgnoreUnexported(criteria.Result{})); diff != "" {
		t.Errorf("a detached result changed with the next evaluation into the one it came from (-want +got):\n%s", diff)
	}
	again, _ := res.Finding("solvency")
	assert.Empty(t, again.Failed, "the reused result holds the second evaluation")
}
