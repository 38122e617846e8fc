package aeotest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
)

const programme = `
programme: {name: Small programme, version: "1"}
criteria:
  - {id: compliance, title: Compliance record}
  - {id: solvency, title: Financial solvency}
requirements:
  - id: C.1
    criterion: compliance
    title: No serious infringements in three years
    when: none(compliance.infringements, .severity == "serious" && within(.date, "3y"))
    source: test
  - id: S.1
    criterion: solvency
    title: No negative net assets
    when: all(financials, .net_assets >= 0)
    source: test
authorizations:
  - {id: AEO, title: Authorized Economic Operator}
selectivity:
  rules:
    - {id: weapons, lane: red, when: 'hs_chapter == "93"', source: test}
  seed: test-seed
lifecycle: {decision_deadline: 120d}
`

const fixtures = `
base:
  operator_id: XX2
  name: Wrong Expectations Ltd
  roles: [importer]
  compliance: {infringements: []}
  financials: [{year: 2024, net_assets: -5}]
cases:
  - name: passes
    as_of: 2025-03-31
    expect:
      requirements: {C.1: met, S.1: not_met}
      authorizations: {AEO: refuse}
  - name: wrong expectations
    as_of: 2025-03-31
    expect:
      requirements: {S.1: met, Z.9: met}
      criteria: {solvency: met}
      authorizations: {AEO: recommend}
    declarations:
      - declaration: {id: D-1, hs_code: "930190"}
        lane: green
    lifecycle:
      - event: {kind: lodge, at: 2025-04-01, actor: op, role: operator, types: [AEO]}
        status: examination
      - event: {kind: grant, at: 2025-04-02, actor: officer-a, role: officer, types: [AEO]}
        refused: transition
`

// TestRunCase checks that each kind of expectation a case can get wrong
// comes back as a typed mismatch naming the part, the item, what was
// wanted and what the programme gave.
func TestRunCase(t *testing.T) {
	p, err := aeo.Parse("programme.yaml", []byte(programme))
	require.NoError(t, err)
	fx, err := aeotest.ParseFixtures(nil, "fixtures.yaml", []byte(fixtures))
	require.NoError(t, err)

	res := aeotest.RunCase(t.Context(), p, fx.Cases[0])
	require.True(t, res.Passed(), "a case whose expectations hold has no mismatch: %v", res.Lines())

	res = aeotest.RunCase(t.Context(), p, fx.Cases[1])
	require.Empty(t, res.Err)
	const c = "wrong expectations"
	want := []aeotest.Mismatch{
		{Case: c, Part: aeotest.PartAssessment, What: "authorization AEO", Want: "recommend", Got: "refuse", Detail: "failed: solvency"},
		{Case: c, Part: aeotest.PartAssessment, What: "criterion solvency", Want: "met", Got: "not_met"},
		{Case: c, Part: aeotest.PartAssessment, What: "requirement S.1", Want: "met", Got: "not_met"},
		{Case: c, Part: aeotest.PartAssessment, What: "requirement Z.9", Detail: "not in the programme"},
		{Case: c, Part: aeotest.PartLifecycle, What: "lifecycle step 1 (lodge)", Want: "status examination", Got: "lodged"},
		{Case: c, Part: aeotest.PartDeclarations, What: "declaration 1 (D-1)", Want: "lane green", Got: "red", Detail: "rule weapons"},
	}
	if diff := cmp.Diff(want, res.Mismatches); diff != "" {
		t.Errorf("RunCase mismatches (-want +got):\n%s", diff)
	}
	require.Len(t, res.Steps, 2, "every step is tried, for coverage")
	require.Equal(t, "transition", res.Steps[1].Refused, "a grant before acceptance is refused, as the step expects")
}

// TestMismatchString checks the one-line form authors read in the
// command's output.
func TestMismatchString(t *testing.T) {
	tests := []struct {
		m      aeotest.Mismatch
		want   string
		reason string
	}{{
		m:      aeotest.Mismatch{What: "requirement A.1", Want: "met", Got: "not_met", Detail: "missing financials"},
		want:   "requirement A.1: want met, got not_met (missing financials)",
		reason: "the usual form: want, got and why",
	}, {
		m:      aeotest.Mismatch{What: "criterion Q", Detail: "not in the programme"},
		want:   "criterion Q: not in the programme",
		reason: "an item the programme lacks has only its detail",
	}, {
		m:      aeotest.Mismatch{What: "lifecycle step 2 (grant)", Got: "refused", Detail: "four eyes required"},
		want:   "lifecycle step 2 (grant): got refused (four eyes required)",
		reason: "a step refused that expected no refusal",
	}}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q; %s", tt.m, got, tt.want, tt.reason)
		}
	}
}

const timedProgramme = `
programme: {name: Timed programme, version: "1"}
criteria:
  - {id: compliance, title: Compliance record}
requirements:
  - id: C.1
    criterion: compliance
    title: No serious infringements in three years
    when: none(compliance.infringements, .severity == "serious" && within(.date, "3y"))
    source: test
authorizations:
  - {id: AEO, title: Authorized Economic Operator}
lifecycle:
  decision_deadline: 120d
  effect_after: 5d
  reapply_bar: {after_revocation: 3y}
  validity: {term: 5y, renewal_window: 6m}
`

const timedFixtures = `
base:
  operator_id: XX3
  name: Timed Ltd
  roles: [importer]
  compliance: {infringements: []}
cases:
  - name: dates hold
    as_of: 2025-03-31
    lifecycle:
      - event: {kind: lodge, at: 2025-04-01, actor: op, role: operator, types: [AEO]}
      - event: {kind: accept, at: 2025-04-02, actor: officer-a, role: officer}
        dates: {decision_due: 2025-07-31, effective: none}
        due: {decision_deadline: 2025-07-31}
      - event: {kind: validate, at: 2025-05-02, actor: officer-a, role: officer, validation: {method: on_site, satisfied: true}, evidence: [r1]}
      - event: {kind: grant, at: 2025-06-02, actor: officer-a, approver: officer-b, role: officer, types: [AEO], reasons: [met]}
        use_assessment: true
        status: authorized
        dates: {effective: 2025-06-07, valid_until: 2030-06-07, renewal_opens: 2029-12-07}
    expect:
      due_as_of: 2030-06-09
      due: {validity.term: 2030-06-08, decision_deadline: none}
  - name: dates wrong
    as_of: 2025-03-31
    lifecycle:
      - event: {kind: lodge, at: 2025-04-01, actor: op, role: operator, types: [AEO]}
      - event: {kind: accept, at: 2025-04-02, actor: officer-a, role: officer}
        dates: {decision_due: 2025-08-01}
        due: {decision_deadline: 2025-08-01, effect_after: 2025-04-07}
`

// TestRunCaseDates checks the dates a lifecycle case states: the dates
// of a step's state, the items of Due at a step and at the end, "none"
// for what must not be set, steps without expectations left unchecked,
// and the time rules a case exercises.
func TestRunCaseDates(t *testing.T) {
	p, err := aeo.Parse("programme.yaml", []byte(timedProgramme))
	require.NoError(t, err)
	fx, err := aeotest.ParseFixtures(nil, "fixtures.yaml", []byte(timedFixtures))
	require.NoError(t, err)

	res := aeotest.RunCase(t.Context(), p, fx.Cases[0])
	require.True(t, res.Passed(), "a step with no expectation is applied, not checked; the dates hold: %v", res.Lines())
	assert.Equal(t, map[string]bool{"decision_deadline": true, "effect_after": true, "validity.term": true, "validity.renewal_window": true},
		res.TimeRules, "the time rules whose dates or items the case checked")

	res = aeotest.RunCase(t.Context(), p, fx.Cases[1])
	want := []string{
		"lifecycle step 2 (accept) date decision_due: want 2025-08-01, got 2025-07-31",
		"lifecycle step 2 (accept) due decision_deadline: want 2025-08-01, got 2025-07-31",
		"lifecycle step 2 (accept) due effect_after: want 2025-04-07, got none (due: decision_deadline 2025-07-31)",
	}
	assert.Equal(t, want, res.Lines())
}

// TestParseFixturesDateKeys checks that an unknown date key is refused
// when the fixtures are read, at its line and column.
func TestParseFixturesDateKeys(t *testing.T) {
	src := "cases:\n  - name: a\n    as_of: 2025-01-01\n    lifecycle:\n      - event: {kind: lodge}\n        dates: {decision_date: 2025-01-01, bar_ends.AEO: none}\n"
	_, err := aeotest.ParseFixtures(nil, "fx.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `fx.yaml:6:32: cases[0].lifecycle[0].dates.decision_date: unknown date "decision_date"`)
	assert.NotContains(t, err.Error(), "bar_ends.AEO")
}
