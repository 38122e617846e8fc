package aeo_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/diag"
)

// writeFiles writes name: content pairs under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
}

const partnerBase = "programme: {name: Partner base, version: '1'}\nextends: baseline\ndrop: [M]\n"

func TestLoadExtends(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"partner-base.yaml":          partnerBase,
		"national/ok.yaml":           "programme: {name: National, version: '1'}\nextends: ../partner-base.yaml\n",
		"national/escape.yaml":       "programme: {name: National, version: '1'}\nextends: ../../outside.yaml\n",
		"national/missing.yaml":      "programme: {name: National, version: '1'}\nextends: partner-bse.yaml\n",
		"national/partner-base.yaml": partnerBase,
		"national/typo.yaml":         "programme: {name: National, version: '1'}\nextends: basline\n",
		"cycle/a.yaml":               "programme: {name: A, version: '1'}\nextends: b.yaml\n",
		"cycle/b.yaml":               "programme: {name: B, version: '1'}\nextends: c.yaml\n",
		"cycle/c.yaml":               "programme: {name: C, version: '1'}\nextends: a.yaml\n",
	})
	in := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	tests := []struct {
		name   string
		file   string
		root   string
		want   string // the one problem; empty for success
		reason string
	}{
		{name: "parent within the root", file: "national/ok.yaml", root: dir,
			reason: "extends may climb with .. to a file under the root the caller chose"},
		{name: "parent outside the default root", file: "national/ok.yaml",
			want:   `national/ok.yaml:2:10: extends: extends "../partner-base.yaml": the file is outside the root national; name it relative to this file, under the root (aeo.WithRoot, or --root on the aeo command, sets a wider one)`,
			reason: "without WithRoot the root is the programme's own folder: .. is refused, with the way to allow it"},
		{name: "escape from the root", file: "national/escape.yaml", root: dir,
			want:   `national/escape.yaml:2:10: extends: extends "../../outside.yaml": the file is outside the root .; name it relative to this file, under the root (aeo.WithRoot, or --root on the aeo command, sets a wider one)`,
			reason: "a root is a boundary: nothing above it is read"},
		{name: "missing parent", file: "national/missing.yaml", root: dir,
			want:   `national/missing.yaml:2:10: extends: extends "partner-bse.yaml": no such file (looked for national/partner-bse.yaml); did you mean "partner-base.yaml"?`,
			reason: "a missing parent is reported at the extends key, with the nearest file"},
		{name: "baseline misspelt", file: "national/typo.yaml", root: dir,
			want:   `national/typo.yaml:2:10: extends: extends "basline": no such file (looked for national/basline); did you mean "baseline"?`,
			reason: "a near miss of baseline is named"},
		{name: "cycle", file: "cycle/a.yaml", root: dir,
			want:   `cycle/c.yaml:2:10: extends: programmes extend each other in a cycle: cycle/a.yaml extends cycle/b.yaml extends cycle/c.yaml extends cycle/a.yaml`,
			reason: "a cycle is reported with its chain, at the extends that closes it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []aeo.Option
			if tt.root != "" {
				opts = append(opts, aeo.WithRoot(tt.root))
			}
			p, err := aeo.Load(in(tt.file), opts...)
			if tt.want == "" {
				require.NoError(t, err, tt.reason)
				assert.Equal(t, "National", p.Name())
				return
			}
			require.Error(t, err, tt.reason)
			var list diag.List
			require.True(t, errors.As(err, &list), "a diag.List, got %T: %v", err, err)
			require.Len(t, list, 1, "%v", err)
			// Problems name files as the caller did; the test strips the
			// temporary folder.
			got := strings.ReplaceAll(list[0].Error(), dir+string(filepath.Separator), "")
			got = strings.ReplaceAll(got, dir, ".")
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestLoadOutsideRoot(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a/p.yaml": partnerBase})
	_, err := aeo.Load(filepath.Join(dir, "a", "p.yaml"), aeo.WithRoot(filepath.Join(dir, "b")))
	require.ErrorContains(t, err, "is outside the root", "the programme itself must be under the root")
}

func TestProfileErrorPosition(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"p.yaml":       "programme: {name: P, version: '1'}\nextends: baseline\nfacts: [{name: vat_years, type: int}]\n",
		"profile.yaml": "operator_id: X\nfacts:\n  vat_yaers: 3\n  vat_years: three\n",
	})
	p, err := aeo.Load(filepath.Join(dir, "p.yaml"))
	require.NoError(t, err)
	prof, err := aeo.LoadProfile(filepath.Join(dir, "profile.yaml"))
	require.NoError(t, err)
	_, err = p.Assess(context.Background(), prof, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	var pe *aeo.ProfileError
	require.ErrorAs(t, err, &pe)
	var list diag.List
	require.ErrorAs(t, err, &list, "the problems are a diag.List with positions")
	file := filepath.Join(dir, "profile.yaml")
	require.Len(t, list, 2)
	assert.Equal(t, file+`:4:14: facts.vat_years: want int, got three (string)`, list[1].Error())
	assert.Equal(t, file+`:3:14: facts.vat_yaers: the programme declares no such fact; did you mean "vat_years"?`, list[0].Error())
}

func TestCompareIdenticalRulesAreSame(t *testing.T) {
	a, err := aeo.Parse("a.yaml", []byte("programme: {name: A, version: '1'}\nextends: baseline\n"))
	require.NoError(t, err)
	b, err := aeo.Parse("b.yaml", []byte("programme: {name: B, version: '1'}\nextends: baseline\noverride: [{id: A.1, when: 'len(compliance.infringements) == 0'}]\n"))
	require.NoError(t, err)
	// An empty profile decides nothing: every requirement is
	// indeterminate on it under both programmes.
	samples := []*aeo.Profile{{OperatorID: "EMPTY"}}
	c, err := aeo.Compare(context.Background(), a, b, samples, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	rel := map[string]aeo.Match{}
	for _, m := range c.Matches {
		rel[m.Requirement] = m
	}
	assert.Equal(t, aeo.Same, rel["B.1"].Relation, "an identical inherited rule is the same, though no sample decides it")
	assert.Equal(t, aeo.Different, rel["A.1"].Relation, "a changed rule no sample decides stays different")
	assert.Equal(t, len(c.Matches)-1, c.Summary["same"], "every inherited rule but the overridden one is the same")
}

func TestCompareReportsSampleDisagreementBeside(t *testing.T) {
	a, err := aeo.Parse("a.yaml", []byte("programme: {name: A, version: '1'}\nextends: baseline\n"))
	require.NoError(t, err)
	b, err := aeo.Parse("b.yaml", []byte("programme: {name: B, version: '1'}\nextends: baseline\nequivalences: [{id: iso, certification: ISO 28000, satisfies: [A.1]}]\n"))
	require.NoError(t, err)
	prof, err := aeo.ProfileFromMap(map[string]any{
		"operator_id":    "ISO-HOLDER",
		"compliance":     map[string]any{"infringements": []any{map[string]any{"date": "2024-06-01", "severity": "serious"}}},
		"certifications": []any{map[string]any{"kind": "ISO 28000"}},
	})
	require.NoError(t, err)
	c, err := aeo.Compare(context.Background(), a, b, []*aeo.Profile{prof}, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	m := c.Matches[0]
	require.Equal(t, "A.1", m.Requirement)
	assert.Equal(t, aeo.Same, m.Relation, "the rule is identical")
	assert.Equal(t, "looser on the samples: B accepts 1 sample(s) A refuses", m.Samples, "what the samples show is reported beside")
	assert.Equal(t, []string{"ISO-HOLDER"}, m.Disagree)
}

func TestEval(t *testing.T) {
	p, err := aeo.Parse("p.yaml", []byte("programme: {name: P, version: '1'}\nextends: baseline\nfacts: [{name: vat_years, type: int}]\n"))
	require.NoError(t, err)
	prof, err := aeo.ProfileFromMap(map[string]any{"operator_id": "X", "established": "2010-05-01", "facts": map[string]any{"vat_years": 4}, "roles": []any{"importer"}})
	require.NoError(t, err)
	asOf := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		src     string
		typ     string
		value   any
		decided bool
		missing []string
		reason  string
	}{
		{src: "years_since(established)", typ: "number", value: 14, decided: true, reason: "a number, counted from as_of"},
		{src: "facts.vat_years >= 2", typ: "boolean", value: true, decided: true, reason: "a declared fact, typed"},
		{src: "roles", typ: "list", value: []string{"importer"}, decided: true, reason: "a list"},
		{src: "compliance.unpaid_duties == false", typ: "absent", decided: false, missing: []string{"compliance.unpaid_duties"}, reason: "a condition whose fact is missing is undecided, never false"},
		{src: `"importer" in roles || compliance.unpaid_duties == false`, typ: "boolean", value: true, decided: true, missing: []string{"compliance.unpaid_duties"}, reason: "the facts present decide an or"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			ev, err := p.Eval(context.Background(), tt.src, prof, asOf)
			require.NoError(t, err)
			assert.Equal(t, tt.typ, ev.Type, tt.reason)
			assert.Equal(t, tt.decided, ev.Decided, tt.reason)
			assert.Equal(t, tt.missing, ev.Missing, tt.reason)
			if tt.decided {
				assert.EqualValues(t, tt.value, ev.Value, tt.reason)
			}
		})
	}
	_, err = p.Eval(context.Background(), "years_since(now())", prof, asOf)
	var list diag.List
	require.ErrorAs(t, err, &list, "a problem in the expression is a diag list")
	assert.Contains(t, list[0].Message, "use as_of")
	assert.Equal(t, 13, list[0].ExprColumn)
}

// TestEvalParallel evaluates on one programme from many goroutines, as a
// console serving several authors would; run it under -race.
func TestEvalParallel(t *testing.T) {
	p, err := aeo.Baseline()
	require.NoError(t, err)
	prof, err := aeo.ParseProfile("profile.yaml", aeo.BaselineProfile())
	require.NoError(t, err)
	asOf := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				ev, err := p.Eval(context.Background(), "years_since(established) >= 3 && len(financials) > 0", prof, asOf)
				if !assert.NoError(t, err, "goroutine %d", i) || !assert.Equal(t, true, ev.Value) {
					return
				}
			}
		}()
	}
	wg.Wait()
}
