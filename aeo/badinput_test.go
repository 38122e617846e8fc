package aeo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/risk"
)

// The bad-input table: hostile and mistaken inputs, each of which must get
// a clear error or an undecided outcome (indeterminate, pending, referred
// to an officer, the error lane, cannot decide) with its reason. None may
// panic, exhaust memory or pass silently, and a refused input changes no
// state. Hostile expressions with their budgets, and vocabulary typos,
// have tables of their own.

// badProgramme exercises every kind of rule the engine runs on a profile:
// facts.code is a commodity code that int() cannot read when it holds a
// letter ("93O1"), facts.n a count that may be zero.
const badProgramme = `
programme: {name: bad inputs, version: "1"}
facts:
  - {name: compliance_score, type: float}
  - {name: code, type: string}
  - {name: n, type: int}
  - {name: a, type: bool}
  - {name: b, type: bool}
criteria:
  - {id: A, title: Compliance}
  - {id: C, title: Codes}
  - {id: M, title: Measured, measure: "facts.compliance_score / facts.n"}
requirements:
  - {id: A.1, criterion: A, title: Score not below 80, source: test, when: "not (facts.compliance_score < 80)"}
  - {id: C.1, criterion: C, title: Code valid, source: test, when: "int(facts.code) > 0"}
  - {id: M.1, criterion: M, title: Counted, source: test, when: "facts.n >= 0"}
authorizations:
  - id: AEO
    title: AEO
    criteria: [A]
    grades:
      - {id: A, when: "true"}
      - {id: AA, when: "int(facts.code) > 9000"}
  - {id: CODES, title: Codes, criteria: [C]}
  - {id: MEASURED, title: Measured, criteria: [M]}
risk:
  dimensions:
    - {id: compliance, weight: 3, score: "100 - facts.compliance_score"}
    - {id: codes, weight: 1, score: "int(facts.code) % 100"}
    - {id: ratio, weight: 1, score: "facts.compliance_score / facts.n"}
  levels: [{level: low, min: 0}, {level: medium, min: 35}, {level: high, min: 65}]
  matrix:
    likelihood: [unlikely, likely]
    consequence: [minor, major]
    ratings: [{rating: low, min: 1}, {rating: high, min: 3}]
  risks:
    - {id: arms, when: "int(facts.code) >= 9301 && int(facts.code) <= 9307", likelihood: likely, consequence: major}
selectivity:
  facts: [{name: code, type: string}]
  rules:
    - {id: arms, lane: yellow, if_missing: fire, when: "int(facts.code) >= 9301 && int(facts.code) <= 9307"}
    - {id: cheap, lane: green, when: "value < 150"}
benefits:
  catalogues: [none]
  add:
    - {id: and, title: a and b, eligible: "facts.a && facts.b", source: test}
    - {id: or, title: not a or b, eligible: "!facts.a || facts.b", source: test}
    - {id: scored, title: score not below 80, eligible: "not (facts.compliance_score < 80)", source: test}
    - {id: coded, title: code read, eligible: "int(facts.code) > 0", source: test}
`

var badProg = sync.OnceValues(func() (*aeo.Programme, error) { return aeo.Parse("bad.yaml", []byte(badProgramme)) })

func mustBadProg(t *testing.T) *aeo.Programme {
	t.Helper()
	p, err := badProg()
	require.NoError(t, err)
	return p
}

// profile returns a profile with the given extra facts.
func profileWithFacts(facts map[string]any) *aeo.Profile {
	return &aeo.Profile{OperatorID: "XX1", Name: "Operator", Roles: []string{"importer"}, Facts: facts}
}

var asOfBad = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// A verdict is what the engine made of an input it did not refuse.
type verdict struct {
	outcome string // indeterminate, pending, referred, red, cannot_decide ...
	why     string // the reason given
}

func assess(t *testing.T, p *aeo.Programme, prof *aeo.Profile) *aeo.Assessment {
	t.Helper()
	a, err := p.Assess(t.Context(), prof, asOfBad)
	require.NoError(t, err)
	_, err = json.Marshal(a)
	require.NoError(t, err, "an assessment is always writable as JSON: no NaN reaches it")
	return a
}

func finding(t *testing.T, a *aeo.Assessment, id string) verdict {
	t.Helper()
	f, ok := a.Finding(id)
	require.True(t, ok)
	return verdict{f.Outcome.String(), f.Reason}
}

func authorization(t *testing.T, a *aeo.Assessment, id string) verdict {
	t.Helper()
	r, ok := a.Authorization(id)
	require.True(t, ok)
	return verdict{r.Recommendation.String(), r.Why()}
}

func mapRisk(t *testing.T, p *aeo.Programme, facts map[string]any) risk.Map {
	t.Helper()
	prof := profileWithFacts(facts)
	m, err := p.MapRisk(t.Context(), prof, assess(t, p, prof))
	require.NoError(t, err)
	_, err = json.Marshal(m)
	require.NoError(t, err, "a risk map is always writable as JSON")
	return m
}

func entitlement(t *testing.T, p *aeo.Programme, id string, facts map[string]any) verdict {
	t.Helper()
	e, err := p.Benefits().Decide(&benefits.Holder{Status: "authorized", Facts: facts}, id, asOfBad)
	require.NoError(t, err)
	return verdict{e.Status.String(), e.Reason}
}

func lane(t *testing.T, p *aeo.Programme, d risk.Declaration) verdict {
	t.Helper()
	dec := p.Selector().Select(&d, &risk.Operator{Status: "authorized"})
	return verdict{dec.Lane.String(), dec.Error}
}

// Large inputs are built once, outside the rows' memory accounting.
var (
	// A profile of a million infringements (some 40 MB).
	millionInfringements = sync.OnceValue(func() []byte {
		var b bytes.Buffer
		b.WriteString("operator_id: X\nname: X\ncompliance:\n  infringements:\n")
		for range 1_000_000 {
			b.WriteString("    - {date: 2020-01-01, severity: minor}\n")
		}
		return b.Bytes()
	})
	// A programme of 690,000 one-line requirements (some 50 MB).
	hugeProgramme = sync.OnceValue(func() []byte {
		var b bytes.Buffer
		b.WriteString("programme: {name: huge, version: '1'}\ncriteria: [{id: A, title: A}]\nrequirements:\n")
		for i := range 690_000 {
			fmt.Fprintf(&b, "  - {id: R%d, criterion: A, title: t, source: s, when: 'true'}\n", i)
		}
		return b.Bytes()
	})
)

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// prepare builds large inputs before memory is measured.
		prepare func()
		// run feeds the input to the engine. It returns the error of a
		// refused input, or the verdict on an accepted one.
		run func(t *testing.T) (verdict, error)
		// wantErr, when set, is part of the error the input must get;
		// otherwise want is the verdict's outcome and wantWhy part of its
		// reason.
		wantErr string
		want    string
		wantWhy string
		// tooLarge marks an input refused for its size: its error wraps
		// diag.ErrTooLarge.
		tooLarge bool
		reason   string
	}{
		// Malformed files.
		{
			name: "programme syntax error",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("p.yaml", []byte("programme: [\n"))
				return verdict{}, err
			},
			wantErr: "p.yaml:1:1: did not find expected node content",
			reason:  "a YAML syntax error is a positioned problem",
		},
		{
			name: "empty programme",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("p.yaml", nil)
				return verdict{}, err
			},
			wantErr: "p.yaml:1:1: the file is empty",
			reason:  "an empty file is no programme",
		},
		{
			name: "programme of binary garbage",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("p.yaml", []byte("\x00\x01\xff\xfe programme"))
				return verdict{}, err
			},
			wantErr: "p.yaml:",
			reason:  "bytes that are not text are refused with the file's name",
		},
		{
			name: "programme nested ten thousand deep",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("p.yaml", []byte("programme: "+strings.Repeat("[", 10_000)+strings.Repeat("]", 10_000)))
				return verdict{}, err
			},
			wantErr: "p.yaml:1:",
			reason:  "deep nesting is refused, not a stack overflow",
		},
		{
			name: "programme with a NaN in scoring",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("p.yaml", []byte("programme: {name: x, version: '1'}\nscoring: {met: .nan}\ncriteria: []\nrequirements: []\n"))
				return verdict{}, err
			},
			wantErr: `p.yaml:2:16: scoring.met: want a finite number, not ".nan"`,
			reason:  "points that are not a number cannot be totalled",
		},
		{
			name: "programme over the size limit",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("p.yaml", []byte(badProgramme), aeo.WithMaxFileSize(1024))
				return verdict{}, err
			},
			wantErr: "p.yaml:1:1: the file has", tooLarge: true,
			reason: "a programme larger than the host allows is refused before it is parsed",
		},
		{
			name:    "programme of 690,000 one-line requirements",
			prepare: func() { hugeProgramme() },
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("huge.yaml", hugeProgramme())
				return verdict{}, err
			},
			wantErr: "huge.yaml:1:1: the file has", tooLarge: true,
			reason: "50 MB ran past 300 s at 3.3 GB: the default size limit (8 MiB) refuses it at once",
		},
		{
			name:    "programme of 690,000 requirements, size unbounded",
			prepare: func() { hugeProgramme() },
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("huge.yaml", hugeProgramme(), aeo.WithMaxFileSize(-1))
				return verdict{}, err
			},
			wantErr: "huge.yaml:", tooLarge: true,
			reason: "with no size limit, the entry limit (100,000) still refuses it, counted on the bytes before any tree is built",
		},
		{
			name: "programme with too many entries",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("p.yaml", []byte(badProgramme), aeo.WithMaxEntries(20))
				return verdict{}, err
			},
			wantErr: "more than 20 entries", tooLarge: true,
			reason: "the host's entry limit applies to programmes",
		},
		{
			name: "profile syntax error",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: [unclosed\n"))
				return verdict{}, err
			},
			wantErr: "a.yaml:",
			reason:  "a profile that is not YAML is refused with its position",
		},
		{
			name: "profile with an unknown key",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\ncomplience: {infringements: []}\n"))
				return verdict{}, err
			},
			wantErr: `a.yaml:2:1: complience: unknown key "complience"; did you mean "compliance"?`,
			reason:  "a misspelt key would leave the compliance record missing",
		},
		{
			name: "profile with a duplicate key",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\nname: Y\n"))
				return verdict{}, err
			},
			wantErr: `a.yaml:2:1: name: duplicate key "name" (first at line 1)`,
			reason:  "which of two values counts is not for the engine to guess",
		},
		{
			name: "profile with roles as a string",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\nroles: importer\n"))
				return verdict{}, err
			},
			wantErr: `a.yaml:2:8: roles: want a list, not "importer"`,
			reason:  "a value of the wrong shape is refused, not coerced",
		},
		{
			name: "profile with an impossible date",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\nestablished: 2009-13-45\n"))
				return verdict{}, err
			},
			wantErr: "a.yaml:2:14: established: want a date",
			reason:  "month 13 is no date",
		},
		{
			name: "profile with an absurd count",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\nemployees: 99999999999999999999999\n"))
				return verdict{}, err
			},
			wantErr: `a.yaml:2:12: employees: want a whole number, not "99999999999999999999999"`,
			reason:  "a count that overflows is refused, not wrapped",
		},
		{
			name: "profile with an infinite compliance score",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\ncompliance: {infringements: [], compliance_score: .inf}\n"))
				return verdict{}, err
			},
			wantErr: `a.yaml:2:51: compliance.compliance_score: want a finite number, not ".inf"`,
			reason:  "an infinite score would pass any threshold",
		},
		{
			name: "profile with a NaN extra fact",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\nfacts: {compliance_score: .nan}\n"))
				return verdict{}, err
			},
			wantErr: `a.yaml:2:27: facts.compliance_score: want a finite number, not ".nan"`,
			reason:  "not (facts.compliance_score < 80) is true on NaN, which recommended the operator, and JSON cannot hold it",
		},
		{
			name: "profile with an infinity deep in a fact",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", []byte("name: X\nfacts:\n  history: [1, 2, -.inf]\n"))
				return verdict{}, err
			},
			wantErr: `a.yaml:3:19: facts.history[2]: want a finite number, not "-.inf"`,
			reason:  "every number of an extra fact is checked, with its position",
		},
		{
			name: "profile of nested aliases",
			run: func(t *testing.T) (verdict, error) {
				src := "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
					"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nfacts: {x: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}\n"
				_, err := aeo.ParseProfile("a.yaml", []byte(src))
				return verdict{}, err
			},
			wantErr: "more than 100000 entries", tooLarge: true,
			reason: "a billion laughs is refused once its expansion passes the entry limit",
		},
		{
			name:    "profile of a million infringements",
			prepare: func() { millionInfringements() },
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", millionInfringements())
				return verdict{}, err
			},
			wantErr: "a.yaml:1:1: the file has", tooLarge: true,
			reason: "refused after 50 s and 1.4 GB before: the size limit refuses it before parsing",
		},
		{
			name:    "profile of a million infringements, size unbounded",
			prepare: func() { millionInfringements() },
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ParseProfile("a.yaml", millionInfringements(), aeo.WithMaxFileSize(-1))
				return verdict{}, err
			},
			wantErr: "more than 100000 entries", tooLarge: true,
			reason: "the entry limit refuses it from its bytes, before the tree is built",
		},
		{
			name: "profile file over the limit on disk",
			run: func(t *testing.T) (verdict, error) {
				path := filepath.Join(t.TempDir(), "big.yaml")
				require.NoError(t, os.WriteFile(path, bytes.Repeat([]byte("# padding\n"), 2000), 0o644))
				_, err := aeo.LoadProfile(path, aeo.WithMaxFileSize(1000))
				return verdict{}, err
			},
			wantErr: "big.yaml:1:1: the file has 20000 bytes, more than the 1000 allowed", tooLarge: true,
			reason: "a file is refused by its size before it is read",
		},

		// Numbers that cannot be trusted, set from Go.
		{
			name: "NaN fact set from Go",
			run: func(t *testing.T) (verdict, error) {
				_, err := mustBadProg(t).Assess(ctx, profileWithFacts(map[string]any{"compliance_score": math.NaN()}), asOfBad)
				return verdict{}, err
			},
			wantErr: `fact "compliance_score": NaN is not a finite number`,
			reason:  "the same NaN as in a file, given by a host: refused, never met",
		},
		{
			name: "infinite compliance score set from Go",
			run: func(t *testing.T) (verdict, error) {
				prof := profileWithFacts(nil)
				prof.Compliance = &aeo.Compliance{ComplianceScore: ptr(math.Inf(1))}
				_, err := mustBadProg(t).Assess(ctx, prof, asOfBad)
				return verdict{}, err
			},
			wantErr: "compliance.compliance_score is +Inf, not a finite number",
			reason:  "profile fields are checked as extra facts are",
		},
		{
			name: "NaN equity set from Go",
			run: func(t *testing.T) (verdict, error) {
				prof := profileWithFacts(nil)
				prof.Financials = []aeo.FinancialYear{{Year: 2024, NetAssets: 1, Equity: math.NaN()}}
				_, err := mustBadProg(t).Assess(ctx, prof, asOfBad)
				return verdict{}, err
			},
			wantErr: "financials[0].equity is NaN, not a finite number",
			reason:  "equity >= 0 is false on NaN, and its negation true",
		},
		{
			name: "NaN fact set from Go, risk map",
			run: func(t *testing.T) (verdict, error) {
				p := mustBadProg(t)
				ok := profileWithFacts(map[string]any{"compliance_score": 90.0})
				a := assess(t, p, ok)
				_, err := p.MapRisk(ctx, profileWithFacts(map[string]any{"compliance_score": math.Inf(-1)}), a)
				return verdict{}, err
			},
			wantErr: `fact "compliance_score": -Inf is not a finite number`,
			reason:  "100 - (-Inf) would be an infinite dimension score",
		},
		{
			name: "NaN in a mapping given to ProfileFromMap",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.ProfileFromMap(map[string]any{"name": "X", "facts": map[string]any{"compliance_score": math.NaN()}})
				return verdict{}, err
			},
			wantErr: "facts.compliance_score: NaN is not a finite number",
			reason:  "a mapping built in Go is checked with the path of the bad value",
		},
		{
			name: "fact of the wrong type",
			run: func(t *testing.T) (verdict, error) {
				_, err := mustBadProg(t).Assess(ctx, profileWithFacts(map[string]any{"n": "three"}), asOfBad)
				return verdict{}, err
			},
			wantErr: `fact "n": want int`,
			reason:  "a count given as text is refused, not read as zero",
		},
		{
			name: "fact not declared",
			run: func(t *testing.T) (verdict, error) {
				_, err := mustBadProg(t).Assess(ctx, profileWithFacts(map[string]any{"complianse_score": 90.0}), asOfBad)
				return verdict{}, err
			},
			wantErr: `fact "complianse_score": the programme declares no such fact; did you mean "compliance_score"?`,
			reason:  "a misspelt fact would leave the real one missing",
		},
		{
			name: "no profile",
			run: func(t *testing.T) (verdict, error) {
				_, err := mustBadProg(t).Assess(ctx, nil, asOfBad)
				return verdict{}, err
			},
			wantErr: "aeo: Assess needs a profile",
			reason:  "nil is refused, not a panic",
		},

		// Rules that fail: requirements, criteria, authorizations.
		{
			name: "requirement rule fails",
			run: func(t *testing.T) (verdict, error) {
				return finding(t, assess(t, mustBadProg(t), profileWithFacts(map[string]any{"code": "93O1"})), "C.1"), nil
			},
			want: "indeterminate", wantWhy: "rule failed",
			reason: "int(\"93O1\") fails: the requirement is undecided, never met or not met",
		},
		{
			name: "failing requirement leaves the authorization pending",
			run: func(t *testing.T) (verdict, error) {
				return authorization(t, assess(t, mustBadProg(t), profileWithFacts(map[string]any{"code": "93O1"})), "CODES"), nil
			},
			want: "pending", wantWhy: "pending: C",
			reason: "an undecided criterion cannot be recommended",
		},
		{
			name: "failing grade rule",
			run: func(t *testing.T) (verdict, error) {
				return authorization(t, assess(t, mustBadProg(t), profileWithFacts(map[string]any{"compliance_score": 90.0, "code": "93O1"})), "AEO"), nil
			},
			want: "pending", wantWhy: "grade AA cannot be decided",
			reason: "a failing grade rule gave recommend at the lowest grade: it must be pending with its reason",
		},
		{
			name: "measure divides by zero",
			run: func(t *testing.T) (verdict, error) {
				return authorization(t, assess(t, mustBadProg(t), profileWithFacts(map[string]any{"compliance_score": 90.0, "n": 0})), "MEASURED"), nil
			},
			want: "pending", wantWhy: "pending: M",
			reason: "90 / 0 is +Inf, no measure of anything: the criterion is undecided and nothing NaN or infinite reaches JSON",
		},
		{
			name: "compliance score missing",
			run: func(t *testing.T) (verdict, error) {
				return finding(t, assess(t, mustBadProg(t), profileWithFacts(nil)), "A.1"), nil
			},
			want:   "indeterminate",
			reason: "not (score < 80) on a missing score is undecided, never met",
		},

		// Risk.
		{
			name: "risk dimension fails",
			run: func(t *testing.T) (verdict, error) {
				m := mapRisk(t, mustBadProg(t), map[string]any{"compliance_score": 70.0, "code": "93O1", "n": 10})
				return verdict{fmt.Sprintf("%s %.1f", m.Level, m.Score), m.Reason}, nil
			},
			want: "medium 39.4", wantWhy: "not scored: codes; counted at the worst score, 100",
			reason: "renormalised over the dimensions scored the operator came out low ((3 × 30 + 7) / 4 = 24.3); " +
				"with the failing dimension at its worst the score is (3 × 30 + 100 + 7) / 5 = 39.4, medium: the level can only overstate",
		},
		{
			name: "risk dimension divided by zero",
			run: func(t *testing.T) (verdict, error) {
				m := mapRisk(t, mustBadProg(t), map[string]any{"compliance_score": 95.0, "code": "0101", "n": 0})
				return verdict{m.Contributions[2].Status.String(), m.Contributions[2].Reason}, nil
			},
			want: "failed", wantWhy: "division by zero",
			reason: "95 / 0 is refused by the arithmetic, not turned into +Inf: failed and counted at 100",
		},
		{
			name: "risk dimension above 100",
			run: func(t *testing.T) (verdict, error) {
				m := mapRisk(t, mustBadProg(t), map[string]any{"compliance_score": -50.0, "code": "0101", "n": 1})
				return verdict{m.Contributions[0].Status.String(), m.Contributions[0].Reason}, nil
			},
			want: "failed", wantWhy: "score 150 is outside 0..100",
			reason: "a score of 150 is a rule or data error, not a risk of 150: failed, counted at 100",
		},
		{
			name: "risk dimensions unknown",
			run: func(t *testing.T) (verdict, error) {
				m := mapRisk(t, mustBadProg(t), nil)
				return verdict{m.Level, m.Reason}, nil
			},
			want: "high", wantWhy: "not scored: compliance, codes, ratio",
			reason: "an operator that supplies nothing is mapped at the highest level, provisionally, not at none",
		},
		{
			name: "risk referred to an officer",
			run: func(t *testing.T) (verdict, error) {
				p, err := aeo.Parse("bad.yaml", []byte(strings.Replace(badProgramme, "  levels:", "  unscored: refer\n  levels:", 1)))
				require.NoError(t, err)
				m := mapRisk(t, p, map[string]any{"compliance_score": 10.0, "code": "93O1", "n": 1})
				return verdict{fmt.Sprintf("referred=%v level=%q", m.Referred, m.Level), m.Reason}, nil
			},
			want: `referred=true level=""`, wantWhy: "referred to an officer",
			reason: "under unscored: refer the level is left to an officer",
		},
		{
			name: "inherent risk condition fails",
			run: func(t *testing.T) (verdict, error) {
				m := mapRisk(t, mustBadProg(t), map[string]any{"compliance_score": 90.0, "code": "93O1", "n": 1})
				require.Len(t, m.Risks, 1)
				return verdict{m.Risks[0].ID, strings.Join(m.Risks[0].Causes, ", ")}, nil
			},
			want: "arms", wantWhy: "profile (undecided)",
			reason: "an arms risk nobody could rule out is raised, so that a plan of treatment covers it",
		},
		{
			name: "unknown unscored policy",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("bad.yaml", []byte(strings.Replace(badProgramme, "  levels:", "  unscored: ignore\n  levels:", 1)))
				return verdict{}, err
			},
			wantErr: `bad.yaml:31:13: risk.unscored: unknown policy "ignore" (want worst or refer)`,
			reason:  "there is no policy that drops an unscored dimension",
		},

		// Lanes.
		{
			name: "lane rule fails with if_missing: fire",
			run: func(t *testing.T) (verdict, error) {
				return lane(t, mustBadProg(t), risk.Declaration{ID: "D1", Value: 500, Facts: map[string]any{"code": "93O1"}}), nil
			},
			want: "red", wantWhy: "rule arms failed",
			reason: "the declaration went green: a failing rule sends it to the error lane, red by default, which no AEO treatment lowers",
		},
		{
			name: "declaration value NaN",
			run: func(t *testing.T) (verdict, error) {
				return lane(t, mustBadProg(t), risk.Declaration{ID: "D2", Value: math.NaN(), Facts: map[string]any{"code": "0101"}}), nil
			},
			want: "red", wantWhy: "rule cheap failed: a number it reads is NaN or infinite",
			reason: "NaN < 150 is false and its declaration would be judged on nothing: the rule fails",
		},
		{
			name: "green error lane",
			run: func(t *testing.T) (verdict, error) {
				_, err := aeo.Parse("bad.yaml", []byte(strings.Replace(badProgramme, "  rules:\n    - {id: arms", "  error_lane: green\n  rules:\n    - {id: arms", 1)))
				return verdict{}, err
			},
			wantErr: "bad.yaml:40:15: selectivity.error_lane: error_lane must be red, yellow or blue",
			reason:  "a programme cannot release the declarations its rules fail on",
		},

		// Benefits.
		{
			name: "benefit settled by the facts present: and",
			run: func(t *testing.T) (verdict, error) {
				return entitlement(t, mustBadProg(t), "and", map[string]any{"a": false}), nil
			},
			want:   "not_eligible",
			reason: "a && b with a false is not eligible whatever b: 'cannot decide' would ask for a fact that changes nothing",
		},
		{
			name: "benefit settled by the facts present: or",
			run: func(t *testing.T) (verdict, error) {
				return entitlement(t, mustBadProg(t), "or", map[string]any{"a": false}), nil
			},
			want:   "granted",
			reason: "!a || b with a false is eligible whatever b",
		},
		{
			name: "benefit not settled",
			run: func(t *testing.T) (verdict, error) {
				return entitlement(t, mustBadProg(t), "and", map[string]any{"a": true}), nil
			},
			want: "cannot_decide", wantWhy: "cannot decide",
			reason: "a && b with a true depends on the missing b",
		},
		{
			name: "benefit on a NaN fact",
			run: func(t *testing.T) (verdict, error) {
				return entitlement(t, mustBadProg(t), "scored", map[string]any{"compliance_score": math.NaN()}), nil
			},
			want: "cannot_decide", wantWhy: "facts.compliance_score not a finite number",
			reason: "not (NaN < 80) must not grant a benefit",
		},
		{
			name: "benefit rule fails",
			run: func(t *testing.T) (verdict, error) {
				return entitlement(t, mustBadProg(t), "coded", map[string]any{"code": "93O1"}), nil
			},
			want: "cannot_decide", wantWhy: "rule failed",
			reason: "a rule that fails neither grants nor refuses",
		},
		{
			name: "benefit use of NaN minutes",
			run: func(t *testing.T) (verdict, error) {
				l := benefits.NewLedger(mustBadProg(t).Benefits())
				err := l.Add(benefits.Record{Benefit: "or", Operator: "XX1", At: asOfBad, Quantity: 1, Minutes: math.NaN()},
					&benefits.Holder{Operator: "XX1", Status: "authorized", Facts: map[string]any{"a": false}})
				assert.Equal(t, 0, l.Len(), "a refused record leaves the ledger as it was")
				return verdict{}, err
			},
			wantErr: "minutes",
			reason:  "a use that cannot be measured is refused and recorded nowhere",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.prepare != nil {
				tt.prepare()
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var v verdict
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic on a bad input: %v; %s", r, tt.reason)
					}
				}()
				v, err = tt.run(t)
			}()
			runtime.ReadMemStats(&after)
			// A refused input costs little more than reading it: no tree of
			// a million nodes, no gigabytes.
			const budget = 64 << 20
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(budget), "memory spent on one bad input; %s", tt.reason)
			if tt.wantErr != "" {
				require.Error(t, err, tt.reason)
				assert.Contains(t, err.Error(), tt.wantErr, tt.reason)
				assert.Equal(t, tt.tooLarge, errors.Is(err, diag.ErrTooLarge), "only an oversized input wraps diag.ErrTooLarge: %v", err)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.want, v.outcome, "%s (%s)", tt.reason, v.why)
			assert.Contains(t, v.why, tt.wantWhy, tt.reason)
		})
	}
}

// TestBadInputChangesNothing checks that a refused profile leaves the
// assessment a host reuses as it was.
func TestBadInputChangesNothing(t *testing.T) {
	p := mustBadProg(t)
	var a aeo.Assessment
	require.NoError(t, p.AssessInto(t.Context(), profileWithFacts(map[string]any{"compliance_score": 90.0}), asOfBad, &a))
	before, err := json.Marshal(&a)
	require.NoError(t, err)
	for _, prof := range []*aeo.Profile{
		profileWithFacts(map[string]any{"compliance_score": math.NaN()}),
		profileWithFacts(map[string]any{"undeclared": 1}),
		func() *aeo.Profile {
			pr := profileWithFacts(nil)
			pr.Personnel = &aeo.Personnel{TrainedShare: ptr(math.Inf(1))}
			return pr
		}(),
	} {
		require.Error(t, p.AssessInto(t.Context(), prof, asOfBad, &a))
		after, err := json.Marshal(&a)
		require.NoError(t, err)
		assert.JSONEq(t, string(before), string(after), "a refused profile changes nothing in the assessment it was to overwrite")
	}
}

// TestProfileNumbersAllChecked sets each float of a profile, found by
// reflection, to NaN in turn: every one must be refused, so that a float
// added to the profile later cannot slip past the check.
func TestProfileNumbersAllChecked(t *testing.T) {
	p := mustBadProg(t)
	for _, path := range floatFields(t) {
		t.Run(path, func(t *testing.T) {
			prof := profileWithFacts(nil)
			setFloat(t, prof, path, math.NaN())
			_, err := p.Assess(t.Context(), prof, asOfBad)
			var pe *aeo.ProfileError
			require.True(t, errors.As(err, &pe), "a NaN in %s is refused as a ProfileError, got %v", path, err)
			assert.Contains(t, err.Error(), "NaN, not a finite number")
		})
	}
}

func ptr[T any](v T) *T { return &v }

// floatFields lists the paths, by Go field name, of every float in a
// profile: a.B for a field of a struct, a[].B for one in a list.
func floatFields(t *testing.T) []string {
	t.Helper()
	var out []string
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			ft := f.Type
			name := prefix + f.Name
			switch {
			case ft.Kind() == reflect.Float64 || ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Float64:
				out = append(out, name)
			case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
				walk(name+".", ft.Elem())
			case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
				walk(name+"[].", ft.Elem())
			case ft.Kind() == reflect.Struct && ft != reflect.TypeOf(time.Time{}):
				walk(name+".", ft)
			}
		}
	}
	walk("", reflect.TypeOf(aeo.Profile{}))
	require.NotEmpty(t, out)
	return out
}

// setFloat sets the float at path, allocating what lies on the way.
func setFloat(t *testing.T, prof *aeo.Profile, path string, x float64) {
	t.Helper()
	v := reflect.ValueOf(prof).Elem()
	for _, part := range strings.Split(path, ".") {
		name, list := strings.CutSuffix(part, "[]")
		v = v.FieldByName(name)
		require.True(t, v.IsValid(), "no field %s", part)
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			if v.Elem().Kind() == reflect.Float64 {
				v.Elem().SetFloat(x)
				return
			}
			v = v.Elem()
		}
		if list {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			v = v.Index(0)
		}
	}
	v.SetFloat(x)
}
