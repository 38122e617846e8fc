package report_test

import (
	"bytes"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/report"
)

func TestPublicationMarkdown(t *testing.T) {
	p, err := aeo.Load("testdata/programme.yaml")
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, report.Publication{Programme: p}.WriteMarkdown(&buf, report.Options{}))
	md := buf.String()
	for _, want := range []string{"# ", "## What an operator must show", "## Rights of appeal", "## Suspension and revocation", "## Time limits"} {
		assert.Contains(t, md, want)
	}
	require.Error(t, report.Publication{}.WriteMarkdown(&buf, report.Options{}), "a publication needs its programme")
}

// TestPublicationGradesInLanguage publishes a programme whose grade
// titles are written per language: each reader gets the grades in theirs,
// and a grade written in one language only in that one.
func TestPublicationGradesInLanguage(t *testing.T) {
	p, err := aeo.Parse("graded.yaml", []byte(`programme: {name: Graded, version: "1", language: en}
criteria:
  - {id: A, title: Compliance}
requirements:
  - {id: A.1, criterion: A, title: Compliance record, when: "years_trading >= 1", source: "National law, s. 1"}
authorizations:
  - id: AEO
    title: Authorized Economic Operator
    grades:
      - {id: A, title: {en: Grade A (score 80 or more), fr: Catégorie A (score d'au moins 80)}, when: "true", source: "National law, s. 2"}
      - {id: AA, title: Grade AA, when: "true", source: "National law, s. 2"}
`))
	require.NoError(t, err)
	tests := []struct {
		lang, want, not, reason string
	}{
		{"fr", "Catégorie A (score d'au moins 80)", "Grade A (score 80 or more)", "a French reader gets the French title"},
		{"en", "Grade A (score 80 or more)", "Catégorie A", "an English reader the English one"},
		{"fr", "Grade AA", "", "a title written in the programme's language only is shown as written"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		require.NoError(t, report.Publication{Programme: p}.WriteMarkdown(&buf, report.Options{Language: tt.lang}), tt.reason)
		assert.Contains(t, buf.String(), tt.want, tt.reason)
		if tt.not != "" {
			assert.NotContains(t, buf.String(), tt.not, tt.reason)
		}
	}
	missing := p.MissingTexts(language.French)
	require.Len(t, missing, 4, "the criterion, requirement and authorization titles and grade AA lack French: %v", missing)
}

func TestPublicationEscapesMarkdown(t *testing.T) {
	p, err := aeo.Parse("p.yaml", []byte(`programme: {name: "Evil *bold* [link](http://x) <b>", version: "1"}
criteria: [{id: A, title: "A_b"}]
requirements: [{id: A.1, criterion: A, title: "x | y", when: "true", source: "s"}]
`))
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, report.Publication{Programme: p}.WriteMarkdown(&buf, report.Options{}))
	md := buf.String()
	assert.NotContains(t, md, "[link](", "a programme's text cannot open a link")
	assert.NotContains(t, md, "<b>", "nor write HTML")
	assert.True(t, strings.Contains(md, `\*bold\*`), "markup is escaped")
}

// publishedProgrammes are the programmes of the examples and the built-in
// baseline, by the name of their golden files.
func publishedProgrammes(t *testing.T) map[string]*aeo.Programme {
	t.Helper()
	out := map[string]*aeo.Programme{}
	base, err := aeo.Baseline()
	require.NoError(t, err)
	out["baseline"] = base
	files, err := filepath.Glob("../examples/*/*.yaml")
	require.NoError(t, err)
	// A file others extend (a customs union's shared part) is published
	// through the programmes that extend it, not on its own.
	parents := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, line := range strings.Split(string(data), "\n") {
			if parent, ok := strings.CutPrefix(line, "extends: "); ok {
				parents[filepath.Join(filepath.Dir(f), strings.TrimSpace(parent))] = true
			}
		}
	}
	for _, f := range files {
		if parents[f] {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if !strings.HasPrefix(string(data), "programme:") && !strings.Contains(string(data), "\nprogramme:\n") {
			continue // a fixtures file, a profile, a plan
		}
		if strings.Contains(string(data), "\ncases:") {
			continue
		}
		p, err := aeo.Load(f)
		require.NoError(t, err, f)
		name := filepath.Base(filepath.Dir(f)) + "-" + strings.TrimSuffix(filepath.Base(f), ".yaml")
		out[name] = p
	}
	require.GreaterOrEqual(t, len(out), 10, "every example programme is published")
	return out
}

// TestPublicationGolden publishes every example programme, as Markdown
// and as HTML, and compares each with its golden file in
// testdata/publish.
func TestPublicationGolden(t *testing.T) {
	for name, p := range publishedProgrammes(t) {
		for _, format := range []string{"md", "html"} {
			t.Run(name+"."+format, func(t *testing.T) {
				var buf bytes.Buffer
				pub := report.Publication{Programme: p}
				if format == "md" {
					require.NoError(t, pub.WriteMarkdown(&buf, report.Options{}))
				} else {
					require.NoError(t, pub.WriteHTML(&buf, report.Options{}))
				}
				golden := filepath.Join("testdata", "publish", name+"."+format)
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
					require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
				}
				want, err := os.ReadFile(golden)
				require.NoError(t, err)
				if diff := cmp.Diff(string(want), buf.String()); diff != "" {
					t.Errorf("%s differs from %s; rerun with -update and review the diff (-want +got):\n%s", name, golden, diff)
				}
			})
		}
	}
}

// secrets lists what of a programme file is internal: every rule, every
// note, every internal message, the risk and selectivity sections, the
// coordinators' weights and the treatment cycle. Strings shorter than
// five characters, and single words (a rule that is one name, such as
// "points"), are left out: they would match ordinary words.
func secrets(p *aeo.Programme) []string {
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if s = strings.TrimSpace(s); len(s) >= 5 && strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
				out = append(out, s)
			}
		}
	}
	f := p.File()
	for _, r := range f.Requirements {
		add(r.When, r.Partly, r.AppliesIf, r.Note, r.Messages.Internal)
		if r.SME != nil {
			add(r.SME.When, r.SME.Note)
		}
	}
	for _, c := range f.Criteria {
		add(c.Score, c.Measure, c.Pass, c.Note)
	}
	for _, e := range f.Equivalences {
		add(e.Note)
	}
	for _, au := range f.Authorizations {
		add(au.Grant, au.Note)
		for _, g := range au.Grades {
			add(g.When, g.Note)
		}
	}
	for _, fd := range f.Facts {
		add(fd.Description)
	}
	if cat := p.Benefits(); cat != nil {
		for _, b := range cat.Benefits() {
			add(b.Eligible, b.Note)
		}
		for _, s := range cat.Steps() {
			add(s.When, s.Note)
		}
	}
	if f.Risk != nil {
		for _, d := range f.Risk.Dimensions {
			add(d.Score, d.Note)
		}
		for _, r := range f.Risk.Risks {
			add(r.When, r.Note)
		}
	}
	if f.Selectivity != nil {
		for _, r := range f.Selectivity.Rules {
			add(r.When)
		}
		add(f.Selectivity.Seed)
	}
	if lc := f.Lifecycle; lc != nil {
		for _, s := range lc.Sources {
			add(s.Note)
		}
		for _, r := range lc.Validation.Relax {
			add(r.Note)
		}
	}
	return out
}

// TestPublicationShowsNothingInternal searches every published example, in
// every language and both formats, for anything internal.
func TestPublicationShowsNothingInternal(t *testing.T) {
	for name, p := range publishedProgrammes(t) {
		secret := secrets(p)
		require.NotEmpty(t, secret, "%s has rules: the search must have something to look for", name)
		for _, lang := range []string{"en", "fr", "es"} {
			var md, page bytes.Buffer
			pub := report.Publication{Programme: p}
			require.NoError(t, pub.WriteMarkdown(&md, report.Options{Language: lang}))
			require.NoError(t, pub.WriteHTML(&page, report.Options{Language: lang}))
			text := html.UnescapeString(page.String())
			plain := strings.NewReplacer(`\`, "").Replace(md.String())
			for _, s := range secret {
				if containsWord(text, s) || containsWord(plain, s) {
					t.Errorf("the %s publication in %s shows internal material: %q", name, lang, s)
				}
			}
		}
	}
}
