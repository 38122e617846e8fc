package criteria_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

// failing is a programme whose every kind of rule can be made to fail at
// run time: facts.code is a string that int() cannot read when it is not a
// number ("93O1", with a letter O), and facts.n may be zero.
func failing(mod func(*criteria.Config)) criteria.Config {
	cfg := criteria.Config{
		Facts: []criteria.FactDecl{{Name: "code", Type: "string"}, {Name: "x", Type: "float"}, {Name: "n", Type: "int"},
			{Name: "flag", Type: "bool"}, {Name: "ok", Type: "bool"}},
		Criteria: []criteria.Criterion{{ID: "A", Title: criteria.NewText("A")}},
		Requirements: []criteria.Requirement{
			{ID: "A.1", Criterion: "A", Title: criteria.NewText("ok"), When: "facts.ok", Source: "test"},
		},
		Authorizations: []criteria.Authorization{{ID: "AEO", Title: criteria.NewText("AEO")}},
	}
	if mod != nil {
		mod(&cfg)
	}
	return cfg
}

func TestFailClosed(t *testing.T) {
	good := map[string]any{"code": "93O1", "x": 10.0, "n": 0, "flag": true, "ok": true}
	tests := []struct {
		name   string
		mod    func(*criteria.Config)
		facts  map[string]any
		check  func(t *testing.T, r criteria.Result)
		reason string
	}{{
		name: "applies_if fails",
		mod: func(c *criteria.Config) {
			c.Requirements[0].AppliesIf = "int(facts.code) > 0"
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			f, _ := r.Finding("A.1")
			assert.Equal(t, criteria.Indeterminate, f.Outcome)
			assert.Contains(t, f.Reason, "applicability rule failed")
			assert.Equal(t, criteria.Indeterminate, r.Criteria[0].Outcome)
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Pending, a.Recommendation)
		},
		reason: "a requirement whose applicability cannot be computed neither applies nor drops out: it is undecided, and the authorization pending",
	}, {
		name: "applies_if missing, settled by the facts present",
		mod: func(c *criteria.Config) {
			c.Requirements[0].AppliesIf = "facts.flag || facts.x > 0"
		},
		facts: map[string]any{"flag": true, "ok": true},
		check: func(t *testing.T, r criteria.Result) {
			f, _ := r.Finding("A.1")
			assert.Equal(t, criteria.Met, f.Outcome)
		},
		reason: "flag || x applies whatever x is when flag is true: three-valued logic, as for when",
	}, {
		name: "applies_if missing, settled not to apply",
		mod: func(c *criteria.Config) {
			c.Requirements[0].AppliesIf = "facts.flag && facts.x > 0"
		},
		facts: map[string]any{"flag": false, "ok": false},
		check: func(t *testing.T, r criteria.Result) {
			f, _ := r.Finding("A.1")
			assert.Equal(t, criteria.NotApplicable, f.Outcome)
		},
		reason: "flag && x cannot hold when flag is false, whatever x is",
	}, {
		name: "applies_if missing, not settled",
		mod: func(c *criteria.Config) {
			c.Requirements[0].AppliesIf = "facts.flag && facts.x > 0"
		},
		facts: map[string]any{"flag": true, "ok": true},
		check: func(t *testing.T, r criteria.Result) {
			f, _ := r.Finding("A.1")
			assert.Equal(t, criteria.Indeterminate, f.Outcome)
			assert.Equal(t, []string{"facts.x"}, f.Missing)
			assert.Equal(t, "applicability cannot be decided", f.Reason)
		},
		reason: "flag && x with flag true depends on the missing x",
	}, {
		name: "measure fails",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Measure = "int(facts.code)"
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			assert.Equal(t, criteria.Indeterminate, r.Criteria[0].Outcome)
			assert.Contains(t, r.Criteria[0].Reason, "measure: ")
			assert.False(t, r.Criteria[0].HasScore)
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Pending, a.Recommendation)
		},
		reason: "a measure that fails gives no score and no pass: the criterion is undecided",
	}, {
		name: "measure not finite",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Measure = "facts.x / facts.n"
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			assert.Equal(t, criteria.Indeterminate, r.Criteria[0].Outcome)
			assert.Contains(t, r.Criteria[0].Reason, "measure: ")
			assert.False(t, math.IsInf(r.Criteria[0].Score, 0), "no infinite score is reported")
		},
		reason: "10 / 0 is no measure of anything: undecided, never a pass on +Inf",
	}, {
		name: "measure missing",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Measure = "facts.x"
		},
		facts: map[string]any{"ok": true},
		check: func(t *testing.T, r criteria.Result) {
			assert.Equal(t, criteria.Indeterminate, r.Criteria[0].Outcome)
			assert.Equal(t, "measure: missing facts.x", r.Criteria[0].Reason)
		},
		reason: "a measure whose facts are missing leaves the criterion undecided",
	}, {
		name: "score fails",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Score = "facts.x * 2"
			c.Criteria[0].Pass = "score >= 0"
		},
		facts: map[string]any{"ok": true},
		check: func(t *testing.T, r criteria.Result) {
			assert.Equal(t, criteria.Indeterminate, r.Criteria[0].Outcome)
			assert.Equal(t, "score: missing facts.x", r.Criteria[0].Reason)
		},
		reason: "a score that cannot be computed decides nothing, though its pass would hold on a zero",
	}, {
		name: "score not finite",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Score = "100 * weight_met / (weight - weight)"
			c.Criteria[0].Pass = "score >= 80"
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			assert.Equal(t, criteria.Indeterminate, r.Criteria[0].Outcome)
			assert.Contains(t, r.Criteria[0].Reason, "score: ")
			assert.False(t, r.Criteria[0].HasScore)
		},
		reason: "a division by zero gives +Inf, which passes score >= 80: it must leave the criterion undecided",
	}, {
		name: "score over nothing applicable",
		mod: func(c *criteria.Config) {
			c.Requirements[0].Roles = []string{"carrier"}
			c.Criteria[0].Score = "100 * weight_met / weight"
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			assert.Equal(t, criteria.NotApplicable, r.Criteria[0].Outcome)
			assert.False(t, r.Criteria[0].HasScore, "0/0 is no score")
		},
		reason: "a criterion none of whose requirements applies is not applicable, with no NaN score",
	}, {
		name: "pass fails",
		mod: func(c *criteria.Config) {
			c.Criteria[0].Pass = "facts.x > 0"
		},
		facts: map[string]any{"ok": true},
		check: func(t *testing.T, r criteria.Result) {
			assert.Equal(t, criteria.Indeterminate, r.Criteria[0].Outcome)
			assert.Equal(t, "pass: missing facts.x", r.Criteria[0].Reason)
		},
		reason: "a pass condition that cannot be decided never passes",
	}, {
		name: "grant fails",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grant = "int(facts.code) > 0"
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Pending, a.Recommendation)
			assert.Contains(t, a.Reason, "grant: ")
		},
		reason: "a grant condition that fails leaves the recommendation pending",
	}, {
		name: "higher grade fails",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grades = []criteria.Grade{{ID: "A", When: "true"}, {ID: "AA", When: "int(facts.code) > 3"}}
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Pending, a.Recommendation)
			assert.Empty(t, a.Grade, "no grade is given while a higher one cannot be decided")
			assert.Contains(t, a.Reason, "grade AA cannot be decided")
		},
		reason: "a failing grade rule must not give the lowest grade: the operator might be AA",
	}, {
		name: "higher grade missing",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grades = []criteria.Grade{{ID: "A", When: "true"}, {ID: "AA", When: "facts.x > 3"}}
		},
		facts: map[string]any{"ok": true},
		check: func(t *testing.T, r criteria.Result) {
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Pending, a.Recommendation)
			assert.Equal(t, "grade AA cannot be decided: missing facts.x", a.Reason)
		},
		reason: "a grade whose facts are missing might hold",
	}, {
		name: "lower grade fails under a higher one that holds",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grades = []criteria.Grade{{ID: "A", When: "int(facts.code) > 3"}, {ID: "AA", When: "facts.flag"}}
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Recommend, a.Recommendation)
			assert.Equal(t, "AA", a.Grade)
			assert.Empty(t, a.Reason)
		},
		reason: "the highest grade that holds is given: a lower one's failure changes nothing",
	}, {
		name: "no grade holds",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grades = []criteria.Grade{{ID: "A", When: "facts.x > 50"}, {ID: "AA", When: "facts.x > 90"}}
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Refuse, a.Recommendation)
			assert.Empty(t, a.Grade)
			assert.Equal(t, "no grade's condition holds: facts.x > 50, found 10", a.Reason)
		},
		reason: "every grade decided false refuses, naming the lowest grade's failed comparison",
	}, {
		name: "grade fails on a refused authorization",
		mod: func(c *criteria.Config) {
			c.Authorizations[0].Grades = []criteria.Grade{{ID: "A", When: "int(facts.code) > 3"}}
		},
		facts: map[string]any{"code": "93O1", "ok": false},
		check: func(t *testing.T, r criteria.Result) {
			a, _ := r.Authorization("AEO")
			assert.Equal(t, criteria.Refuse, a.Recommendation)
		},
		reason: "grades are tried only once the authorization would be granted: a failed criterion refuses first",
	}, {
		name: "when fails",
		mod: func(c *criteria.Config) {
			c.Requirements[0].When = "int(facts.code) > 3"
		},
		facts: good,
		check: func(t *testing.T, r criteria.Result) {
			f, _ := r.Finding("A.1")
			assert.Equal(t, criteria.Indeterminate, f.Outcome)
			assert.Contains(t, f.Reason, "rule failed: ")
			assert.Empty(t, f.Failed)
		},
		reason: "a rule that fails at run time is undecided, never met or not met",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := criteria.Compile(failing(tt.mod))
			require.NoError(t, err)
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err, tt.reason)
			tt.check(t, res)
			// Whatever failed, the result can be written as JSON: no NaN
			// or infinity reaches it.
			_, err = json.Marshal(res)
			require.NoError(t, err, tt.reason)
		})
	}
}

func TestFactsRefusesNonFinite(t *testing.T) {
	set := criteria.MustCompile(failing(func(c *criteria.Config) {
		c.Requirements[0].When = "not (facts.x < 80)"
	}))
	for _, tt := range []struct {
		name   string
		value  any
		reason string
	}{
		{name: "NaN", value: math.NaN(), reason: "not (NaN < 80) is true: a NaN would meet the requirement"},
		{name: "+Inf", value: math.Inf(1), reason: "an infinite score is no score"},
		{name: "-Inf float32", value: float32(math.Inf(-1)), reason: "every float kind is checked"},
		{name: "pointer to NaN", value: ptr(math.NaN()), reason: "a pointer is followed"},
		{name: "NaN in a list", value: []any{1.0, math.NaN()}, reason: "list elements are checked"},
		{name: "NaN in a float list", value: []float64{math.NaN()}, reason: "typed lists too"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := set.Evaluate(t.Context(), subject(map[string]any{"x": tt.value, "ok": true}))
			require.Error(t, err, tt.reason)
			assert.Contains(t, err.Error(), `fact "x"`)
			assert.Contains(t, err.Error(), "not a finite number")
		})
	}
	_, err := set.Evaluate(t.Context(), subject(map[string]any{"x": 1e308, "ok": true, "code": "a", "n": ptr(2.0)}))
	require.NoError(t, err, "large but finite numbers are facts like any other")
}

func TestPartlyDecidedByTheFactsPresent(t *testing.T) {
	set := criteria.MustCompile(failing(func(c *criteria.Config) {
		c.Requirements[0].When = "facts.ok && facts.flag"
		c.Requirements[0].Partly = "facts.ok || !facts.flag"
	}))
	tests := []struct {
		name   string
		facts  map[string]any
		want   criteria.Outcome
		reason string
	}{
		{name: "partly", facts: map[string]any{"ok": true, "flag": false}, want: criteria.Partly,
			reason: "all facts present: ok && flag fails, ok || !flag holds"},
		{name: "not met, partly undecided", facts: map[string]any{"ok": false}, want: criteria.NotMet,
			reason: "ok false settles when (false) but leaves partly (false || !flag) undecided: not met, never partly on a guess"},
		{name: "partly settled with a fact missing", facts: map[string]any{"flag": false}, want: criteria.Partly,
			reason: "flag false settles when (false) and partly (true) whatever ok is"},
		{name: "when undecided", facts: map[string]any{"ok": true}, want: criteria.Indeterminate,
			reason: "ok true leaves when (true && flag) undecided: indeterminate, though partly would hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			f, _ := res.Finding("A.1")
			assert.Equal(t, tt.want, f.Outcome, tt.reason)
		})
	}
}

func TestEnumsText(t *testing.T) {
	for o := criteria.Indeterminate; o <= criteria.Equivalent; o++ {
		b, err := o.MarshalText()
		require.NoError(t, err)
		var back criteria.Outcome
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, o, back, "outcome %s reads back", b)
	}
	_, err := criteria.Outcome(99).MarshalText()
	assert.EqualError(t, err, "criteria: invalid outcome 99")
	assert.Equal(t, "Outcome(99)", criteria.Outcome(99).String())
	var o criteria.Outcome = criteria.Met
	assert.ErrorContains(t, o.UnmarshalText([]byte("passed")), `unknown outcome "passed"`)
	assert.Equal(t, criteria.Met, o, "a bad token leaves the outcome as it was")

	for r := criteria.Pending; r <= criteria.Refuse; r++ {
		b, err := r.MarshalText()
		require.NoError(t, err)
		var back criteria.Recommendation
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, r, back, "recommendation %s reads back", b)
		assert.Equal(t, string(b), r.String())
	}
	_, err = criteria.Recommendation(7).MarshalText()
	assert.EqualError(t, err, "criteria: invalid recommendation 7")
	assert.Equal(t, "Recommendation(7)", criteria.Recommendation(7).String())
	r := criteria.Refuse
	assert.ErrorContains(t, r.UnmarshalText([]byte("grant")), `unknown recommendation "grant"`)
	assert.Equal(t, criteria.Refuse, r, "a bad token leaves the recommendation as it was")
}

func TestFactValueJSON(t *testing.T) {
	var v criteria.FactValue
	require.NoError(t, json.Unmarshal([]byte(`{"fact": "facts.x", "value": 3}`), &v))
	assert.Equal(t, "facts.x", v.Fact)
	assert.Equal(t, 3.0, v.Value())
	assert.Error(t, json.Unmarshal([]byte(`{"fact": 3}`), &v), "a fact name that is not text is refused")
	assert.Equal(t, "facts.x", v.Fact, "and leaves the value as it was")
}

func TestWhy(t *testing.T) {
	tests := []struct {
		a      criteria.AuthorizationResult
		want   string
		reason string
	}{
		{criteria.AuthorizationResult{}, "", "nothing to add"},
		{criteria.AuthorizationResult{Failed: []string{"A", "B"}}, "failed: A, B", "the criteria that failed"},
		{criteria.AuthorizationResult{Pending: []string{"C"}}, "pending: C", "the criteria pending"},
		{criteria.AuthorizationResult{Reason: "grade AA cannot be decided"}, "grade AA cannot be decided", "the reason alone"},
		{criteria.AuthorizationResult{Failed: []string{"A"}, Pending: []string{"C"}, Reason: "r"}, "failed: A; pending: C; r", "all three, in that order"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.a.Why(), tt.reason)
	}
}

func ptr[T any](v T) *T { return &v }

func TestExpression_Eval(t *testing.T) {
	set := criteria.MustCompile(failing(nil))
	tests := []struct {
		name    string
		src     string
		facts   map[string]any
		value   any
		decided bool
		missing []string
		err     string
		reason  string
	}{
		{name: "number", src: "facts.x * 2", facts: map[string]any{"x": 2.5}, value: 5.0, decided: true,
			reason: "an expression of any type gives its value"},
		{name: "number, fact missing", src: "facts.x * 2", missing: []string{"facts.x"},
			reason: "an expression whose facts are missing is not run"},
		{name: "number fails", src: "int(facts.code) * 2", facts: map[string]any{"code": "93O1"}, err: "93O1",
			reason: "a failure at run time is reported, never a value"},
		{name: "condition settled", src: "facts.ok || facts.flag", facts: map[string]any{"ok": true}, value: true, decided: true, missing: []string{"facts.flag"},
			reason: "a condition is decided in three-valued logic, as a requirement is"},
		{name: "condition not settled", src: "facts.ok && facts.flag", facts: map[string]any{"ok": true}, missing: []string{"facts.flag"},
			reason: "ok && flag with flag missing is undecided"},
		{name: "condition fails", src: "int(facts.code) > 0", facts: map[string]any{"code": "93O1"}, err: "93O1",
			reason: "a condition that fails is undecided, with the failure"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := set.Expression(tt.src)
			require.NoError(t, err)
			ev, err := x.Eval(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			assert.Equal(t, tt.decided, ev.Decided, tt.reason)
			assert.Equal(t, tt.value, ev.Value, tt.reason)
			assert.Equal(t, tt.missing, ev.Missing, tt.reason)
			if tt.err == "" {
				assert.NoError(t, ev.Err, tt.reason)
			} else {
				assert.ErrorContains(t, ev.Err, tt.err, tt.reason)
			}
		})
	}
	_, err := set.Expression("facts.nope > 1")
	var list diag.List
	require.True(t, errors.As(err, &list), "a problem in the expression is a diag.List")
	assert.Equal(t, "expression", list[0].Path)
	x, err := set.Expression("true")
	require.NoError(t, err)
	type other struct{ criteria.Facts }
	_, err = x.Eval(t.Context(), &other{})
	assert.ErrorContains(t, err, "criteria: Eval needs a *criteria.Facts")
	_, err = x.Eval(t.Context(), nil)
	assert.Error(t, err, "nil is no subject")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = x.Eval(ctx, subject(nil))
	assert.ErrorIs(t, err, context.Canceled)
}
