package aeo_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

// programmeWith is a programme extending the baseline with one requirement
// of its own (under criterion A), written as YAML lines after "when:".
func programmeWith(extra string) string {
	return `programme: {name: Vocabulary test, version: "1"}
extends: baseline
requirements:
  - id: X.1
    criterion: A
    title: A national requirement
    source: test
` + extra
}

// TestProgrammeVocabulary is the table of mistaken and hostile values in
// programmes: each is refused at load with its line and column and, where
// a known value is near, what was meant.
func TestProgrammeVocabulary(t *testing.T) {
	tests := []struct {
		name string
		src  string
		// want are substrings of the problems, each "line:col: path: message"
		// after the file name; empty means the programme loads.
		want   []string
		reason string
	}{{
		name:   "misspelt role",
		src:    programmeWith("    roles: [importr]\n    when: \"true\"\n"),
		want:   []string{`8:13: requirements[0].roles[0]: unknown role "importr"; did you mean "importer"?`},
		reason: "a misspelt role made the requirement not applicable to everyone",
	}, {
		name:   "American spelling of a role",
		src:    programmeWith("    roles: [fulfilment_center]\n    when: \"true\"\n"),
		want:   []string{`unknown role "fulfilment_center"; did you mean "fulfilment_centre"?`},
		reason: "two letters swapped are still a typo",
	}, {
		name:   "business model without its dash",
		src:    programmeWith("    business_models: [\"43\"]\n    when: \"true\"\n"),
		want:   []string{`8:23: requirements[0].business_models[0]: unknown business model "43"; did you mean "4-3"?`},
		reason: "model 4-3 written 43 matched no operator",
	}, {
		name:   "misspelt severity in a rule",
		src:    programmeWith("    when: none(compliance.infringements, .severity == \"serius\")\n"),
		want:   []string{`8:55: requirements[0].when: unknown severity "serius"; did you mean "serious"? compared with compliance.infringements.severity`},
		reason: `none(..., .severity == "serius") was met whatever the record`,
	}, {
		name:   "misspelt severity in a list",
		src:    programmeWith("    when: none(compliance.infringements, .severity in [\"serious\", \"repaeted\"])\n"),
		want:   []string{`8:67: requirements[0].when: unknown severity "repaeted"; did you mean "repeated"?`},
		reason: "each literal of an in-list is checked at its own column",
	}, {
		name:   "misspelt role tested for membership",
		src:    programmeWith("    applies_if: '\"importr\" in roles'\n    when: \"true\"\n"),
		want:   []string{`8:18: requirements[0].applies_if: unknown role "importr"; did you mean "importer"? compared with roles`},
		reason: `"importr" in roles made the requirement apply to nobody`,
	}, {
		name:   "misspelt business model compared",
		src:    programmeWith("    when: business_model == \"43\" || true\n"),
		want:   []string{`8:29: requirements[0].when: unknown business model "43"`},
		reason: "a comparison with a business model no operator has is never true",
	}, {
		name:   "contains_any with a misspelt role",
		src:    programmeWith("    when: contains_any(roles, [\"carier\"])\n"),
		want:   []string{`unknown role "carier"; did you mean "carrier"?`},
		reason: "contains_any tests membership as in does",
	}, {
		name:   "misspelt certification in has_cert",
		src:    programmeWith("    when: has_cert(\"ISO 2800\")\n"),
		want:   []string{`8:20: requirements[0].when: unknown certification "ISO 2800"; did you mean "ISO 28000"?`},
		reason: "has_cert of a kind no operator holds is never true",
	}, {
		name:   "self-assessment answer in the wrong case",
		src:    programmeWith("    when: self_assessment[\"X.1\"] == \"Yes\"\n"),
		want:   []string{`unknown self-assessment answer "Yes"; did you mean "yes"?`},
		reason: "answers are compared exactly; Yes is never given",
	}, {
		name:   "partner role and country in a predicate",
		src:    programmeWith("    when: all(partners, .role != \"suplier\" || .country == \"Germany\")\n"),
		want:   []string{`unknown role "suplier"; did you mean "supplier"? compared with partners.role`, `unknown country code "Germany"`},
		reason: "a partner's role is a role or a partner role; countries are ISO 3166 codes",
	}, {
		name:   "misspelt evidence",
		src:    programmeWith("    evidence: [onsite]\n    when: \"true\"\n"),
		want:   []string{`8:16: requirements[0].evidence[0]: unknown evidence "onsite"; did you mean "on_site"?`},
		reason: "evidence kinds come from the vocabulary too",
	}, {
		name: "misspelt role in an override",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
override:
  - {id: G.5, roles: [exporter, carier]}
`,
		want:   []string{`4:33: override[0].roles[1]: unknown role "carier"; did you mean "carrier"?`},
		reason: "an inherited requirement changed under override is checked where the override wrote it",
	}, {
		name: "misspelt certification of an equivalence",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
equivalences:
  - {id: tapa, certification: ISO 2800, satisfies: [G.1]}
`,
		want:   []string{`4:31: equivalences[0].certification: unknown certification "ISO 2800"; did you mean "ISO 28000"?`},
		reason: "an equivalence no operator's certificate matches never applies",
	}, {
		name: "misspelt role of a benefit",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
benefits:
  catalogues: [none]
  add:
    - {id: b1, title: A benefit, source: test, roles: [importr], eligible: '"exportr" in roles'}
`,
		want: []string{
			`6:56: benefits.add[0].roles[0]: unknown role "importr"`,
			`6:77: benefits.add[0].eligible: unknown role "exportr"; did you mean "exporter"?`,
		},
		reason: "benefits are limited by the same roles",
	}, {
		name: "misspelt value in a risk rule",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
risk:
  dimensions:
    - {id: d, weight: 1, score: 'any(incidents, .kind == "theeft") ? 80 : 10'}
  levels: [{level: low, min: 0}, {level: high, min: 50}]
`,
		want:   []string{`5:58: risk.dimensions[0].score: unknown kind of incident "theeft"; did you mean "theft"?`},
		reason: "a risk score over a kind no incident has never rises",
	}, {
		name: "a value the programme declares",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
vocabulary:
  roles:
    - {values: [bonded_transporter], source: "national customs act, art. 3"}
requirements:
  - {id: X.1, criterion: A, title: t, source: test, roles: [bonded_transporter], when: '"bonded_transporter" in roles'}
`,
		reason: "a programme extends the vocabulary with its sources",
	}, {
		name: "a group without source",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
vocabulary:
  roles:
    - {values: [bonded_transporter]}
`,
		want:   []string{`5:7: vocabulary.roles[0]: source is required`},
		reason: "every value carries its source, as every requirement does",
	}, {
		name: "a value declared twice in one file",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
vocabulary:
  roles:
    - {values: [bonded_transporter, bonded_transporter], source: a}
`,
		want:   []string{`5:37: vocabulary.roles[0].values[1]: role "bonded_transporter" declared twice`},
		reason: "a repeated value is a slip",
	}, {
		name: "an empty value",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
vocabulary:
  site_kinds:
    - {values: [""], source: a}
`,
		want:   []string{`vocabulary.site_kinds[0].values[0]: empty kind of site`},
		reason: "an empty value would make a missing one look known",
	}, {
		name: "an unknown set",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
vocabulary:
  rolls:
    - {values: [x], source: a}
`,
		want:   []string{`4:3: vocabulary.rolls: unknown key "rolls"; did you mean "roles"?`},
		reason: "the sets are closed too",
	}, {
		name: "a baseline value repeated by a programme",
		src: `programme: {name: Vocabulary test, version: "1"}
extends: baseline
vocabulary:
  roles:
    - {values: [importer], source: "national customs act, art. 1"}
`,
		reason: "a programme may declare again, with its own source, a value the baseline declares",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := aeo.Parse("p.yaml", []byte(tt.src))
			if len(tt.want) == 0 {
				require.NoError(t, err, tt.reason)
				return
			}
			require.Error(t, err, tt.reason)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w, tt.reason)
			}
			var list diag.List
			require.True(t, errors.As(err, &list))
			for _, e := range list {
				assert.Positive(t, e.Line, "%s: every problem has its line", e)
			}
		})
	}
}

// TestStandaloneProgrammeHasTheVocabulary checks that a programme that
// does not extend the baseline still has the baseline's vocabulary.
func TestStandaloneProgrammeHasTheVocabulary(t *testing.T) {
	src := `programme: {name: Standalone, version: "1"}
criteria: [{id: A, title: a}]
requirements:
  - {id: A.1, criterion: A, title: t, source: s, roles: [importr], when: "true"}
`
	_, err := aeo.Parse("p.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `p.yaml:4:58: requirements[0].roles[0]: unknown role "importr"`)

	p, err := aeo.Parse("p.yaml", []byte(strings.Replace(src, "importr", "importer", 1)))
	require.NoError(t, err)
	assert.Contains(t, p.Vocabulary().Values("roles"), "fulfilment_centre")
	base, err := aeo.Baseline()
	require.NoError(t, err)
	assert.Equal(t, base.Vocabulary(), p.Vocabulary(), "a standalone programme has the baseline's vocabulary, and nothing else")
}

// profileWith is a clean baseline profile with lines added at the top
// level.
func profileWith(extra string) string {
	return `operator_id: XX1
name: Vocabulary Ltd
` + extra
}

// TestProfileVocabulary is the table of mistaken values in profiles: each
// is refused by ParseProfile with its line and column, and by Assess.
func TestProfileVocabulary(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []string
		reason string
	}{{
		name:   "misspelt role",
		src:    profileWith("roles: [importr]\n"),
		want:   []string{`3:9: roles[0]: unknown role "importr"; did you mean "importer"?`},
		reason: "the importer's requirements would not apply to it",
	}, {
		name:   "American spelling of a role",
		src:    profileWith("roles: [fulfilment_center]\n"),
		want:   []string{`unknown role "fulfilment_center"; did you mean "fulfilment_centre"?`},
		reason: "the fulfilment centre's requirements would not apply to it",
	}, {
		name:   "business model 43",
		src:    profileWith("business_model: \"43\"\n"),
		want:   []string{`3:17: business_model: unknown business model "43"; did you mean "4-3"?`},
		reason: "no requirement for model 4-3 would apply",
	}, {
		name:   "misspelt severity",
		src:    profileWith("compliance:\n  infringements:\n    - {date: 2024-01-10, severity: serius}\n"),
		want:   []string{`5:36: compliance.infringements[0].severity: unknown severity "serius"; did you mean "serious"?`},
		reason: "a serious infringement spelt serius escaped A.1",
	}, {
		name:   "infringement without severity",
		src:    profileWith("compliance:\n  infringements:\n    - {date: 2024-01-10}\n"),
		want:   []string{`compliance.infringements[0].severity: empty severity`},
		reason: "an infringement of no severity would count as not serious",
	}, {
		name:   "infringement without date",
		src:    profileWith("compliance:\n  infringements:\n    - {severity: serious}\n"),
		want:   []string{`5:7: compliance.infringements[0]: date is required`},
		reason: "an infringement without a date falls outside every period",
	}, {
		name:   "answer in capitals",
		src:    profileWith("self_assessment: {D.1: \"Yes\"}\n"),
		want:   []string{`3:24: self_assessment["D.1"]: unknown self-assessment answer "Yes"; did you mean "yes"?`},
		reason: "an answer the rules never compare with leaves the item not met or worse, met",
	}, {
		name:   "certification kind in lower case",
		src:    profileWith("certifications: [{kind: iso 28000}]\n"),
		want:   []string{`unknown certification "iso 28000"; did you mean "ISO 28000"?`},
		reason: "one spelling per kind, the vocabulary's",
	}, {
		name:   "country written out",
		src:    profileWith("sites: [{id: S1, country: Germany}]\n"),
		want:   []string{`sites[0].country: unknown country code "Germany"`},
		reason: "rules compare ISO 3166 codes",
	}, {
		name:   "partner role",
		src:    profileWith("partners: [{name: P, role: suplier}]\n"),
		want:   []string{`partners[0].role: unknown role "suplier"; did you mean "supplier"?`},
		reason: "a partner's role is closed too",
	}, {
		name:   "incident without kind",
		src:    profileWith("incidents: [{date: 2024-01-01, reported: true}]\n"),
		want:   []string{`incidents[0].kind: empty kind of incident`},
		reason: "an incident of no kind cannot be weighed",
	}, {
		name:   "an undeclared fact",
		src:    profileWith("facts: {watchlist: true}\n"),
		want:   []string{`3:20: facts.watchlist: the programme declares no such fact`},
		reason: "extra facts are declared by the programme; their problems are located too",
	}, {
		name:   "a clean profile",
		src:    profileWith("roles: [importer, fulfilment_centre]\nbusiness_model: \"4-3\"\ncountry: XX\nself_assessment: {D.1: \"yes\", D.2: partly, D.3: \"no\", E.2: null}\n"),
		reason: "every value known; a null answer is no answer",
	}}
	p, err := aeo.Baseline()
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof, err := p.ParseProfile("profile.yaml", []byte(tt.src))
			if len(tt.want) == 0 {
				require.NoError(t, err, tt.reason)
				_, err = p.Assess(context.Background(), prof, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
				require.NoError(t, err)
				return
			}
			require.Error(t, err, tt.reason)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), "profile.yaml:", tt.reason)
				assert.Contains(t, err.Error(), w, tt.reason)
			}
			// Decoded without the programme, the same profile is refused by
			// Assess: a host that builds profiles in Go gets no silent
			// answer either.
			loose, err := aeo.ParseProfile("profile.yaml", []byte(tt.src))
			require.NoError(t, err)
			_, err = p.Assess(context.Background(), loose, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
			var pe *aeo.ProfileError
			require.True(t, errors.As(err, &pe), "Assess refuses it: %v; %s", err, tt.reason)
			require.NotEmpty(t, pe.Errors)
		})
	}
}

// TestProgrammeExtendsProfileVocabulary checks that a value the programme
// declares is a profile value under that programme only.
func TestProgrammeExtendsProfileVocabulary(t *testing.T) {
	ext, err := aeo.Parse("p.yaml", []byte(`programme: {name: Extended, version: "1"}
extends: baseline
vocabulary:
  roles:
    - {values: [bonded_transporter], source: "national customs act, art. 3"}
`))
	require.NoError(t, err)
	prof := &aeo.Profile{OperatorID: "X", Roles: []string{"bonded_transporter"}}
	asOf := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = ext.Assess(context.Background(), prof, asOf)
	require.NoError(t, err)
	base, err := aeo.Baseline()
	require.NoError(t, err)
	_, err = base.Assess(context.Background(), prof, asOf)
	require.ErrorContains(t, err, `roles[0]: unknown role "bonded_transporter"`)
}

// TestVocabularyCoversTheEngine checks the vocabulary against what the
// engine itself writes: the built-in benefit catalogues' roles and
// business models, and the kinds of evidence criteria gives meaning to.
func TestVocabularyCoversTheEngine(t *testing.T) {
	p, err := aeo.Parse("p.yaml", []byte(`programme: {name: With benefits, version: "1"}
extends: baseline
benefits: {}
`))
	require.NoError(t, err, "every built-in catalogue's roles and business models are in the vocabulary")
	for _, e := range []criteria.Evidence{criteria.SelfAssessment, criteria.Document, criteria.OnSite} {
		assert.Contains(t, p.Vocabulary().Values("evidence"), string(e))
	}
	for key, vals := range p.Vocabulary().Enums() {
		assert.NotEmpty(t, vals, "%s has values", key)
	}
}

// FuzzProfileVocabulary feeds profiles to ParseProfile: nothing panics,
// every problem has a position, and a profile ParseProfile accepts is
// accepted by Assess.
func FuzzProfileVocabulary(f *testing.F) {
	for _, s := range []string{
		"operator_id: X\nroles: [importr]\n",
		"business_model: \"43\"\ncountry: DE\n",
		"compliance: {infringements: [{date: 2024-01-01, severity: serius}]}\n",
		"self_assessment: {D.1: \"yes\", D.2: Yes}\n",
		"partners: [{name: a, role: supplier, country: XX}]\n",
		"certifications: [{kind: ISO 28000}]\n",
	} {
		f.Add(s)
	}
	p, err := aeo.Baseline()
	if err != nil {
		f.Fatal(err)
	}
	asOf := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src string) {
		prof, err := p.ParseProfile("f.yaml", []byte(src))
		if err != nil {
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("ParseProfile(%q) error is %T, want a diag.List", src, err)
			}
			for _, e := range list {
				if e.Line < 1 {
					t.Fatalf("ParseProfile(%q): %v has no line", src, e)
				}
			}
			return
		}
		if _, err := p.Assess(context.Background(), prof, asOf); err != nil {
			t.Fatalf("ParseProfile(%q) accepted a profile Assess refuses: %v", src, err)
		}
	})
}

// FuzzRuleVocabulary feeds a requirement's rule to the loader: nothing
// panics, and a programme that loads compares no closed field with a
// value outside the vocabulary.
func FuzzRuleVocabulary(f *testing.F) {
	for _, s := range []string{
		`none(compliance.infringements, .severity in ["serious", "repeated"])`,
		`"importr" in roles`,
		`business_model == "4-3"`,
		`has_cert("ISO 28000")`,
		`all(partners, .role == "supplier" && .country != "XX")`,
	} {
		f.Add(s)
	}
	base, err := aeo.Baseline()
	if err != nil {
		f.Fatal(err)
	}
	voc := base.Vocabulary()
	closed := map[string][]string{
		"roles":                             voc.Values("roles"),
		"business_model":                    voc.Values("business_models"),
		"compliance.infringements.severity": voc.Values("severities"),
		"self_assessment":                   voc.Values("answers"),
		"certifications.kind":               voc.Values("certifications"),
	}
	f.Fuzz(func(t *testing.T, when string) {
		// A programme of its own, not extending the baseline, compiles
		// fast enough to fuzz and has the same vocabulary.
		f := aeo.File{Programme: aeo.Meta{Name: "fuzz", Version: "1"}}
		f.Criteria = []criteria.Criterion{{ID: "A", Title: criteria.NewText("a")}}
		f.Requirements = []criteria.Requirement{{ID: "X.1", Criterion: "A", Title: criteria.NewText("t"), Source: "s", When: when}}
		if _, err := aeo.Compile(f); err != nil {
			return
		}
		for _, l := range rules.Literals(&aeo.Profile{}, when) {
			if vals, ok := closed[l.Field]; ok && !contains(vals, l.Value) {
				t.Fatalf("Compile accepted %q, which compares %s with %q", when, l.Field, l.Value)
			}
		}
	})
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// operatorViewProgramme adds to the baseline what puts internal text into
// an assessment: an applicability condition naming a watch list, rules
// that fail at run time on a profile's value, an internal message, a
// threshold, a fact the operator is not told of, a criterion measure, a
// grant rule and a grade that fail.
const operatorViewProgramme = `programme: {name: Operator view test, version: "1"}
extends: baseline
facts:
  - {name: code, type: string}
  - {name: score, type: float}
  - {name: vetting_flag, type: bool}
  - {name: watch_code, type: string}
criteria:
  - {id: X, title: National checks, measure: float(facts.code)}
requirements:
  - {id: X.1, criterion: X, title: Watch list, source: s, applies_if: 'facts.watch_code != "SECRET-WATCHLIST-42"', when: "true"}
  - {id: X.2, criterion: X, title: Code, source: s, when: 'int(facts.code) > 3'}
  - id: X.3
    criterion: X
    title: Score
    source: s
    when: facts.score >= 87.25
    messages:
      not_met: {internal: "INTERNAL-NOTE-3141: refer to the vetting unit", operator: Your score is below the programme's threshold.}
  - {id: X.4, criterion: X, title: Vetting, source: s, when: facts.vetting_flag == false}
authorizations:
  - {id: AEO, title: Authorized Economic Operator, grant: facts.score > 87.25}
  - {id: GRADED, title: Graded, criteria: [A], grades: [{id: G1, when: int(facts.code) > 1}]}
`

// TestOperatorViewHoldsNothingInternal searches the operator view, as JSON
// and as text, for every internal message, rule text, reason, missing
// fact and fact value of the assessment: none may be there.
func TestOperatorViewHoldsNothingInternal(t *testing.T) {
	p, err := aeo.Parse("p.yaml", []byte(operatorViewProgramme))
	require.NoError(t, err)
	prof, err := p.LoadProfile("testdata/profiles/importer.yaml")
	require.NoError(t, err)
	prof.Facts = map[string]any{"code": "93O1", "score": 12.5, "watch_code": "SECRET-WATCHLIST-42"}
	prof.Financials[0].CoveredBy = "PARENT-GUARANTEE-7731"
	prof.Compliance.Infringements[0].Description = "VETTING-NOTE-5521"
	asOf := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	a, err := p.Assess(context.Background(), prof, asOf)
	require.NoError(t, err)

	var secrets []string
	add := func(ss ...string) {
		for _, s := range ss {
			s = strings.TrimSpace(s)
			if len(s) >= 6 && s != prof.Name && s != prof.OperatorID && s != asOf.Format(time.DateOnly) {
				secrets = append(secrets, s)
			}
		}
	}
	for _, f := range a.Findings {
		add(f.Reason, f.Messages.Internal)
		add(f.Missing...)
		for _, c := range f.Failed {
			add(c.Subject, c.Threshold, aeo.FormatValue(c.Actual))
		}
		for _, v := range f.Facts {
			add(aeo.FormatValue(v.Value()), strings.Trim(aeo.FormatValue(v.Value()), `"`))
		}
	}
	for _, c := range a.Criteria {
		add(c.Reason)
	}
	for _, au := range a.Authorizations {
		add(au.Reason)
	}
	file := p.File()
	for _, r := range file.Requirements {
		add(r.When, r.Partly, r.AppliesIf, r.Messages.Internal)
		if r.SME != nil {
			add(r.SME.When)
		}
		for _, o := range []criteria.Outcome{criteria.NotMet, criteria.Partly, criteria.Indeterminate} {
			add(r.Messages.Written(o).Internal)
		}
	}
	for _, c := range file.Criteria {
		add(c.Measure, c.Score, c.Pass)
	}
	for _, au := range file.Authorizations {
		add(au.Grant)
		for _, g := range au.Grades {
			add(g.When)
		}
	}
	internalJSON, err := json.Marshal(a)
	require.NoError(t, err)
	internalText := a.Text()
	// The search can fail: the internal view holds what the operator view
	// must not.
	for _, s := range []string{"SECRET-WATCHLIST-42", "93O1", "INTERNAL-NOTE-3141", "87.25", "vetting_flag", "PARENT-GUARANTEE-7731"} {
		assert.Contains(t, string(internalJSON)+internalText, s, "the internal view shows %s", s)
	}

	op := a.OperatorView()
	opJSON, err := json.Marshal(op)
	require.NoError(t, err)
	opText := op.Text()
	for _, s := range secrets {
		assert.NotContains(t, string(opJSON), s, "operator JSON")
		assert.NotContains(t, opText, s, "operator text")
	}
	for _, key := range []string{`"facts"`, `"failed"`, `"missing"`, `"reason"`, `"internal"`} {
		assert.NotContains(t, string(opJSON), key, "the operator JSON has no %s", key)
	}
	assert.Contains(t, opText, "Your score is below the programme's threshold.", "the operator message written for the outcome is shown")
}

// TestOperatorView is the table of findings and what the operator is told
// of them: the message written for the outcome, or nothing.
func TestOperatorView(t *testing.T) {
	p, err := aeo.Parse("p.yaml", []byte(operatorViewProgramme))
	require.NoError(t, err)
	base, err := p.LoadProfile("testdata/profiles/importer.yaml")
	require.NoError(t, err)
	asOf := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		edit   func(*aeo.Profile)
		req    string
		want   criteria.Outcome
		told   string // the operator message, or "" for none
		reason string
	}{{
		name:   "met carries no message",
		req:    "A.1",
		want:   criteria.Met,
		reason: "a met finding never carries the not-met text (it said the record shows a serious infringement)",
	}, {
		name: "not met carries its not-met text",
		edit: func(p *aeo.Profile) {
			p.Compliance.Infringements = append(p.Compliance.Infringements, aeo.Infringement{Date: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC), Severity: "serious"})
		},
		req:    "A.1",
		want:   criteria.NotMet,
		told:   "Your compliance record shows a serious or repeated infringement",
		reason: "the message written for not met",
	}, {
		name:   "indeterminate carries its own text",
		edit:   func(p *aeo.Profile) { p.Compliance = nil },
		req:    "A.1",
		want:   criteria.Indeterminate,
		told:   "Customs cannot yet assess your compliance record",
		reason: "not the not-met text: nothing was found against the operator",
	}, {
		name: "partly met carries its own text",
		edit: func(p *aeo.Profile) {
			p.Financials[0].NetAssets = -10
		},
		req:    "C.1",
		want:   criteria.Partly,
		told:   "Your latest financial statements show positive net assets",
		reason: "partly met is told apart from not met",
	}, {
		name:   "not applicable by a condition says nothing",
		edit:   func(p *aeo.Profile) { p.Facts = map[string]any{"watch_code": "SECRET-WATCHLIST-42"} },
		req:    "X.1",
		want:   criteria.NotApplicable,
		reason: "the applicability condition names a watch list",
	}, {
		name:   "a rule failing at run time says nothing without a message",
		edit:   func(p *aeo.Profile) { p.Facts = map[string]any{"code": "93O1"} },
		req:    "X.2",
		want:   criteria.Indeterminate,
		reason: "the error quotes the rule and the value; no message was written for it",
	}, {
		name:   "an internal message stays internal",
		edit:   func(p *aeo.Profile) { p.Facts = map[string]any{"score": 12.5} },
		req:    "X.3",
		want:   criteria.NotMet,
		told:   "Your score is below the programme's threshold.",
		reason: "the operator text, and not the internal note beside it",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prof := *base
			prof.Compliance = &aeo.Compliance{}
			*prof.Compliance = *base.Compliance
			prof.Financials = append([]aeo.FinancialYear(nil), base.Financials...)
			if tt.edit != nil {
				tt.edit(&prof)
			}
			a, err := p.Assess(context.Background(), &prof, asOf)
			require.NoError(t, err)
			f, ok := a.OperatorView().Finding(tt.req)
			require.True(t, ok)
			require.Equal(t, tt.want, f.Outcome, tt.reason)
			assert.Empty(t, f.Messages.Internal, tt.reason)
			assert.Empty(t, f.Reason, tt.reason)
			if tt.told == "" {
				assert.Empty(t, f.Messages.Operator, tt.reason)
			} else {
				assert.Contains(t, f.Messages.Operator, tt.told, tt.reason)
			}
			internal, _ := a.Finding(tt.req)
			assert.Equal(t, tt.told == "", internal.Messages.Operator == "", "the internal view carries the same operator text; %s", tt.reason)
		})
	}
}

// TestBaselineOperatorText checks that every baseline requirement tells
// the operator something for each outcome that is not a success.
func TestBaselineOperatorText(t *testing.T) {
	p, err := aeo.Baseline()
	require.NoError(t, err)
	var reqs []criteria.Requirement
	for _, r := range p.File().Requirements {
		if r.Side != criteria.SideCustoms { // Customs' own obligations are never put to the operator
			reqs = append(reqs, r)
		}
	}
	require.Len(t, reqs, 59)
	langs := []language.Tag{language.English, language.French, language.Spanish}
	for _, lang := range langs {
		// No two texts alike in one language: each outcome of each
		// requirement says its own thing.
		seen := map[string]string{}
		for _, r := range reqs {
			assert.True(t, r.Title.Has(lang, language.English), "%s has a title in %s", r.ID, lang)
			for _, o := range []criteria.Outcome{criteria.NotMet, criteria.Partly, criteria.Indeterminate} {
				op := r.Messages.Written(o).Operator
				require.True(t, op.Has(lang, language.English), "%s %s has operator text in %s", r.ID, o, lang)
				text := op.In(language.English, lang)
				assert.NotEmpty(t, text, "%s has operator text for %s in %s", r.ID, o, lang)
				assert.True(t, strings.HasSuffix(text, "."), "%s %s in %s: a sentence", r.ID, o, lang)
				if lang != language.English {
					assert.NotEqual(t, op.In(language.English), text, "%s %s: the %s text is a translation, not the English", r.ID, o, lang)
				}
				if prev, dup := seen[text]; dup {
					t.Errorf("%s %s repeats in %s the text of %s", r.ID, o, lang, prev)
				}
				seen[text] = r.ID + " " + o.String()
			}
			assert.Empty(t, r.Messages.Written(criteria.Met), "%s: a met finding says nothing", r.ID)
		}
	}
	for _, c := range p.File().Criteria {
		for _, lang := range langs {
			assert.True(t, c.Title.Has(lang, language.English), "criterion %s has a title in %s", c.ID, lang)
		}
	}
	for _, m := range p.MissingTexts(langs...) {
		assert.NotContains(t, m.Path, "messages", "the baseline's operator messages lack no language: %+v", m)
		assert.NotContains(t, m.Path, "title", "the baseline's titles lack no language: %+v", m)
	}
}
