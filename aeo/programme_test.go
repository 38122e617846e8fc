package aeo_test

import (
	"context"
	"errors"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/phases"
)

func TestBaselineLoads(t *testing.T) {
	p, err := aeo.Baseline()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(p.Fingerprint(), "sha256:"))
	again, err := aeo.Parse("safe.yaml", aeo.BaselineFile())
	require.NoError(t, err)
	assert.Equal(t, p.Fingerprint(), again.Fingerprint(), "the fingerprint depends on the programme only")
	for _, r := range p.File().Requirements {
		assert.NotEmpty(t, r.Source, "requirement %s carries its source", r.ID)
	}
}

func TestLoadReportsEveryProblemWithPosition(t *testing.T) {
	_, err := aeo.Load("testdata/broken/programme.yaml")
	require.Error(t, err)
	var list diag.List
	require.True(t, errors.As(err, &list), "error is a list of ConfigErrors, got %T", err)
	var got []string
	for _, e := range list {
		got = append(got, e.Error())
	}
	want := []string{
		`testdata/broken/programme.yaml:7:11: facts[0].type: unknown fact type "flaot" (want int, float, bool, string, date or strings)`,
		`testdata/broken/programme.yaml:12:22: requirements[0].when: compliance has no field "infringments"; did you mean "infringements"?`,
		`testdata/broken/programme.yaml:15:16: requirements[1].criterion: unknown criterion "Q" (known: A, B, C, D, E, F, G, H, I, J, K, L, M)`,
		`testdata/broken/programme.yaml:19:21: requirements[1].when: cannot apply >= to a number and a string`,
		`testdata/broken/programme.yaml:21:9: requirements[2].id: requirement "A.1" is inherited: change it under override, or drop it first`,
		`testdata/broken/programme.yaml:26:5: requirements[2].colour: unknown key "colour"`,
		`testdata/broken/programme.yaml:29:22: override[0].when: cannot apply >= to a list and a number`,
		`testdata/broken/programme.yaml:30:8: drop[0]: cannot drop "Z.9": no inherited criterion or requirement has that ID`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems mismatch (-want +got):\n%s", diff)
	}
}

func TestParseErrorsAreTyped(t *testing.T) {
	tests := []struct {
		name, src, want, reason string
	}{
		{name: "syntax", src: "programme: [\n", want: "bad.yaml:1:1: did not find expected node content", reason: "a YAML syntax error is a positioned ConfigError"},
		{name: "no name", src: "programme: {version: '1'}\ncriteria: []\nrequirements: []\n", want: "bad.yaml:1:12: programme.name: the programme needs a name",
			reason: "a programme must be named so that decisions can cite it"},
		{name: "extends a file from memory", src: "programme: {name: x, version: '1'}\nextends: other.yaml\n", want: `bad.yaml:2:10: extends: extends "other.yaml": only "baseline" can be extended here`,
			reason: "Parse has no file system to read another file from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := aeo.Parse("bad.yaml", []byte(tt.src))
			require.Error(t, err, tt.reason)
			var ce *diag.Error
			require.True(t, errors.As(err, &ce), "typed error, got %T", err)
			assert.Contains(t, err.Error(), tt.want, tt.reason)
		})
	}
}

func TestExtendsOverrideDrop(t *testing.T) {
	base, err := aeo.Baseline()
	require.NoError(t, err)
	reqs := base.File().Requirements
	require.NotEmpty(t, reqs)
	first := reqs[0]
	src := `programme: {name: National, version: "2025.1", country: XX}
extends: baseline
override:
  - id: ` + first.ID + `
    level: desired
    note: relaxed nationally
drop: [` + reqs[len(reqs)-1].ID + `]
requirements:
  - id: N.1
    criterion: ` + first.Criterion + `
    title: National addition
    when: years_trading >= 3
    source: National Customs Act, Art. 1
`
	p, err := aeo.Parse("national.yaml", []byte(src))
	require.NoError(t, err)
	got := p.File().Requirements
	assert.Len(t, got, len(reqs), "one dropped, one added")
	assert.Equal(t, criteria.Desired, got[0].Level, "the override relaxes the requirement")
	assert.Equal(t, first.When, got[0].When, "fields the override leaves out are inherited")
	assert.Equal(t, "N.1", got[len(got)-1].ID)
	assert.NotEqual(t, base.Fingerprint(), p.Fingerprint())
}

func TestAssessConcurrently(t *testing.T) {
	p, err := aeo.Baseline()
	require.NoError(t, err)
	prof := exampleProfile(p)
	asOf := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	want, err := p.Assess(t.Context(), prof, asOf)
	require.NoError(t, err)
	wantText := want.Text()
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				a, err := p.Assess(context.Background(), prof, asOf)
				if err != nil {
					t.Error(err)
					return
				}
				if a.Text() != wantText {
					t.Error("a concurrent assessment differs from the serial one")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestAssessRejectsUndeclaredFacts(t *testing.T) {
	p, err := aeo.Baseline()
	require.NoError(t, err)
	prof := exampleProfile(p)
	prof.Facts = map[string]any{"made_up": 3}
	_, err = p.Assess(t.Context(), prof, time.Now())
	var pe *aeo.ProfileError
	require.ErrorAs(t, err, &pe, "an undeclared extra fact is a typo until proven otherwise")
}

// exampleProfile answers every self-assessment question with yes and
// supplies the structured facts of an established importer.
func exampleProfile(p *aeo.Programme) *aeo.Profile {
	prof, err := aeo.LoadProfile("testdata/profiles/importer.yaml")
	if err != nil {
		panic(err)
	}
	prof.SelfAssessment = map[string]string{}
	for _, r := range p.File().Requirements {
		prof.SelfAssessment[r.ID] = "yes"
	}
	return prof
}

func FuzzParse(f *testing.F) {
	// Small seeds keep the fuzzer fast: each input is loaded and compiled
	// whole, so the full baseline as a seed would allow a few runs a second.
	if b, err := os.ReadFile("testdata/broken/programme.yaml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("programme: {name: x, version: '1'}\ncriteria: [{id: A, title: A}]\nrequirements: [{id: A.1, criterion: A, title: t, when: 'years_trading > 2', source: s}]\n"))
	f.Add([]byte("programme: {name: x, version: '1'}\nextends: baseline\ndrop: [B, C, D, E, F, G, H, I, J, K, L, M]\noverride: [{id: A.1, when: 'within(as_of, \"2y\")'}]\n"))
	f.Add([]byte(`{"programme": {"name": "j", "version": "1"}, "facts": [{"name": "s", "type": "float"}], "criteria": [{"id": "K", "title": "k", "measure": "facts.s"}], "requirements": [{"id": "K.1", "criterion": "K", "title": "t", "when": "facts.s >= 80 || sme", "source": "s"}], "authorizations": [{"id": "AEO", "title": "a", "grades": [{"id": "A", "when": "criteria.K.score >= 80"}]}]}`))
	f.Add([]byte("programme: {name: x, version: '1'}\ncriteria: [{id: A, title: A}]\nrequirements: [{id: A.1, criterion: A, title: t, when: 'true', source: s}]\nlifecycle: {decision_deadline: 120d, appeal: {stages: [{stage: customs_review, window: 30d}]}}\nselectivity: {rules: [{id: r, lane: red, when: 'hs_chapter == \"93\"'}]}\n"))
	prof := &aeo.Profile{Name: "fuzz"}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		p, err := aeo.Parse("fuzz.yaml", data)
		if err != nil {
			var ce *diag.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Parse error %T (%v), want *ConfigError", err, err)
			}
			return
		}
		if _, err := p.Assess(context.Background(), prof, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatalf("Assess after Parse: %v", err)
		}
	})
}

// A loaded programme is what the phases tracker's first gate reads.
var _ phases.Programme = (*aeo.Programme)(nil)

func TestSectionsForPhaseOne(t *testing.T) {
	p, err := aeo.Load("../examples/eu/programme.yaml")
	require.NoError(t, err)
	assert.Equal(t, []string{"appeal", "application", "certification", "requirements", "suspension"}, p.Sections(),
		"the EU programme sets no validation rules or benefits section, which phase 1's gate will name")
}

// A NaN cannot reach the fingerprint: the decoder refuses it in a file,
// and Compile refuses it from Go, each as a ConfigError, never a panic.
func TestNonFiniteNumbersAreConfigErrors(t *testing.T) {
	_, err := aeo.Parse("nan.yaml", []byte("programme: {name: x, version: '1'}\ncriteria: [{id: A, title: A}]\nrequirements: [{id: A.1, criterion: A, title: t, when: 'true', source: s, weight: NaN}]\n"))
	require.ErrorContains(t, err, `nan.yaml:3:83: requirements[0].weight: want a finite number, not "NaN"`)

	f := aeo.File{Programme: aeo.Meta{Name: "x", Version: "1"}}
	f.Criteria = []criteria.Criterion{{ID: "A", Title: criteria.NewText("A")}}
	f.Requirements = []criteria.Requirement{{ID: "A.1", Criterion: "A", Title: criteria.NewText("t"), When: "true", Source: "s", Weight: math.NaN()}}
	_, err = aeo.Compile(f)
	var ce *diag.Error
	require.ErrorAs(t, err, &ce, "a NaN set from Go is a configuration problem")
	assert.Contains(t, err.Error(), "requirements[0].weight: weight must be a finite number of 0 or more")
}
