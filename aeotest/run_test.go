package aeotest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
