package report_test

import (
	"bytes"
	"context"
	"html"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/report"
)

// internals lists what of an assessment must never reach the operator:
// internal messages, reasons, the facts read and their values, the
// comparisons that failed, and the rule text of every requirement,
// criterion and authorization of the programme. Strings shorter than
// four characters are left out: they would match ordinary words.
func internals(p *aeo.Programme, a *aeo.Assessment) []string {
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if s = strings.TrimSpace(s); len(s) >= 4 {
				out = append(out, s)
			}
		}
	}
	for _, f := range a.Findings {
		add(f.Messages.Internal, f.Reason)
		add(f.Missing...)
		for _, v := range f.Facts {
			if v.Fact == "as_of" {
				continue
			}
			// A fact's path (records.audit_trail) is rule vocabulary; a
			// bare name (partners) is an ordinary word, not a leak.
			if strings.ContainsAny(v.Fact, "._[") {
				add(v.Fact)
			}
			add(leaves(reflect.ValueOf(v.Value()), 0)...)
		}
		for _, c := range f.Failed {
			add(c.Subject, c.Op+" "+c.Threshold)
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
		add(r.When, r.Partly, r.AppliesIf, r.Note, r.Messages.Internal)
		if r.SME != nil {
			add(r.SME.When, r.SME.Note)
		}
	}
	for _, c := range file.Criteria {
		add(c.Score, c.Measure, c.Pass, c.Note)
	}
	for _, au := range file.Authorizations {
		add(au.Grant, au.Note)
		for _, g := range au.Grades {
			add(g.When)
		}
	}
	return out
}

// leaves returns the values inside v as a report could print them:
// strings, dates, and numbers of four digits or more (smaller ones would
// match any count or date in the page).
func leaves(v reflect.Value, depth int) []string {
	if !v.IsValid() || depth > 6 {
		return nil
	}
	if t, ok := v.Interface().(time.Time); ok {
		return []string{t.Format(time.DateOnly)}
	}
	var out []string
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = leaves(v.Elem(), depth+1)
		}
	case reflect.String:
		out = []string{v.String()}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if n := v.Int(); n >= 1000 || n <= -1000 {
			out = []string{strconv.FormatInt(n, 10)}
		}
	case reflect.Float64, reflect.Float32:
		if f := v.Float(); f >= 1000 || f <= -1000 {
			out = []string{strconv.FormatFloat(f, 'f', -1, 64)}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			out = append(out, leaves(v.Index(i), depth+1)...)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			out = append(out, leaves(v.MapIndex(k), depth+1)...)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out = append(out, leaves(v.Field(i), depth+1)...)
			}
		}
	}
	return out
}

// containsWord reports whether s occurs in page as a whole word: not
// preceded or followed by a letter or digit.
func containsWord(page, s string) bool {
	for i := 0; ; {
		j := strings.Index(page[i:], s)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(s)
		before, _ := utf8.DecodeLastRuneInString(page[:start])
		after, _ := utf8.DecodeRuneInString(page[end:])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = start + 1
	}
}

func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// TestLetterShowsNothingInternal searches every operator letter, in every
// language, for everything internal to its assessment; the dossier of the
// same assessment is searched too, to show that the search finds what is
// there.
func TestLetterShowsNothingInternal(t *testing.T) {
	p, err := aeo.Load("testdata/programme.yaml")
	require.NoError(t, err)
	for _, name := range []string{"carrier", "missing", "compliant"} {
		prof, err := aeo.LoadProfile("testdata/" + name + ".yaml")
		require.NoError(t, err)
		a, err := p.Assess(context.Background(), prof, asOf)
		require.NoError(t, err)
		secret := internals(p, a)
		require.NotEmpty(t, secret)
		internalMessages := 0
		for _, f := range a.Findings {
			if f.Messages.Internal != "" && !f.Outcome.Satisfied() && f.Outcome != criteria.NotApplicable {
				internalMessages++
			}
		}
		var dossier bytes.Buffer
		require.NoError(t, report.Dossier{Programme: p, Assessment: a}.WriteHTML(&dossier, report.Options{}))
		found := 0
		for _, s := range secret {
			if strings.Contains(dossier.String(), html.EscapeString(s)) {
				found++
			}
		}
		if internalMessages > 0 || name != "compliant" {
			assert.Positive(t, found, "%s: the dossier shows none of the internal material, so the search cannot be trusted", name)
		}
		for _, lang := range []string{"en", "fr", "es"} {
			var letter bytes.Buffer
			require.NoError(t, report.Letter{Programme: p, Assessment: a}.WriteHTML(&letter, report.Options{Language: lang}))
			page := html.UnescapeString(letter.String())
			for _, s := range secret {
				// As a whole word: "breach" is not leaked by "breaches",
				// nor 40000 by a hash that contains those digits.
				if containsWord(page, s) {
					t.Errorf("the %s letter in %s shows internal material: %q", name, lang, s)
				}
			}
		}
	}
}
