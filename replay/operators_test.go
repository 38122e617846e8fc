package replay

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; rerun with -update and review the diff:\n%s", path, got)
	}
}

// versions loads the test programmes: new declares a fact old does not.
func versions(t *testing.T) (*aeo.Programme, *aeo.Programme) {
	t.Helper()
	old, err := aeo.Load("testdata/old.yaml")
	require.NoError(t, err)
	nw, err := aeo.Load("testdata/new.yaml")
	require.NoError(t, err)
	return old, nw
}

var asOf = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

func TestOperatorFiles(t *testing.T) {
	old, nw := versions(t)
	tests := []struct {
		name      string
		inputs    []string
		changed   int
		skipped   int
		problems  []string
		vatInOld  int
		reason    string
		goldenOut string
	}{{
		name:    "jsonl",
		inputs:  []string{"testdata/profiles.jsonl"},
		changed: 5, skipped: 1,
		problems: []string{
			`testdata/profiles.jsonl:4:35: employes: unknown key "employes"; did you mean "employees"?`,
			`testdata/profiles.jsonl:5:164: fact "compliance_score": want float, got high (string); new declares it float, so reads it as absent (its rules that read it are indeterminate)`,
			`testdata/profiles.jsonl:5:164: fact "compliance_score": want float, got high (string); old declares it float, so reads it as absent (its rules that read it are indeterminate)`,
			`testdata/profiles.jsonl:7:197: fact "nope" is declared by neither programme; left out`,
		},
		vatInOld:  4,
		reason:    "a fact the old version does not declare is absent to it, not an abort; the other problems are named by line",
		goldenOut: "operators-jsonl",
	}, {
		name:    "csv",
		inputs:  []string{"testdata/profiles.csv"},
		changed: 3, skipped: 1,
		problems:  []string{`testdata/profiles.csv:5:21: column 5 (financials): want a finite number, not "lots"`},
		vatInOld:  2,
		reason:    "CSV columns name profile keys, paths into them, and facts (bare when a programme declares them)",
		goldenOut: "operators-csv",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(old, nw, WithWorkers(2))
			require.NoError(t, err)
			in, err := Expand(tt.inputs, nil, Auto)
			require.NoError(t, err)
			rep, err := r.OperatorFiles(t.Context(), in, asOf)
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.changed, rep.Changed)
			assert.Equal(t, tt.skipped, rep.Skipped)
			var got []string
			for _, p := range rep.Listed {
				got = append(got, p.String())
			}
			assert.Equal(t, tt.problems, got, tt.reason)
			require.Len(t, rep.Facts, 1)
			fn := rep.Facts[0]
			assert.Equal(t, []any{"vat_registered_years", "old", tt.vatInOld, tt.inputs[0], rep.Operators[0].Line},
				[]any{fn.Fact, fn.Programme, fn.Records, fn.First.File, fn.First.Line}, "the fact, the version lacking it, how often, and where first")
			full := r.Report(nil, rep)
			var text, csv bytes.Buffer
			require.NoError(t, full.WriteText(&text))
			require.NoError(t, full.WriteCSV(&csv))
			golden(t, tt.goldenOut+".txt", fingerprints(text.Bytes()))
			golden(t, tt.goldenOut+".csv", csv.Bytes())
		})
	}
}

// fingerprints hides the programmes' fingerprints, which change with any
// edit of the test programmes.
func fingerprints(b []byte) []byte {
	lines := strings.SplitAfter(string(b), "\n")
	for i, l := range lines {
		if k := strings.Index(l, "(sha256:"); k >= 0 {
			lines[i] = l[:k] + "(sha256:…)\n"
		}
	}
	return []byte(strings.Join(lines, ""))
}

// TestOperators checks the iterator form against assessing each profile
// by hand, and shards of the register against the whole.
func TestOperators(t *testing.T) {
	old, nw := versions(t)
	data, err := os.ReadFile("testdata/profiles.jsonl")
	require.NoError(t, err)
	var profiles []*aeo.Profile
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var p aeo.Profile
		if json.Unmarshal(line, &p) == nil && p.Name != "Four" && p.Name != "" {
			profiles = append(profiles, &p)
		}
	}
	// P2 by hand: V.1 is not met under new, so AEO is refused.
	p2 := *profiles[1]
	a, err := nw.Assess(t.Context(), &p2, asOf)
	require.NoError(t, err)
	au, _ := a.Authorization("AEO")
	require.Equal(t, "refuse", au.Recommendation.String())

	r, err := New(old, nw, WithWorkers(2))
	require.NoError(t, err)
	rep, err := r.Operators(t.Context(), slices.Values(profiles), asOf)
	require.NoError(t, err)
	assert.Equal(t, len(profiles), rep.Replayed)
	i := slices.IndexFunc(rep.Operators, func(oc OperatorChange) bool { return oc.Operator == "P2" })
	require.GreaterOrEqual(t, i, 0)
	assert.Contains(t, rep.Operators[i].Changes, Change{Kind: "authorization", ID: "AEO", Old: "recommend", New: "refuse"})
	assert.Equal(t, 2, rep.Operators[i].Line, "a host's records are numbered from 1")

	var shards []*Report
	for k := range 3 {
		rs, err := New(old, nw, WithShard(Shard{Index: k, Count: 3}))
		require.NoError(t, err)
		part, err := rs.Operators(t.Context(), slices.Values(profiles), asOf)
		require.NoError(t, err)
		shards = append(shards, rs.Report(nil, part))
	}
	merged, err := Merge(shards...)
	require.NoError(t, err)
	if diff := cmp.Diff(r.Report(nil, rep), merged); diff != "" {
		t.Errorf("merged shards of the register differ from the whole (-whole +merged):\n%s", diff)
	}
}

// TestOperatorFiles_documents reads a directory of YAML profiles, the
// register as aeo impact read it before.
func TestOperatorFiles_documents(t *testing.T) {
	old, nw := versions(t)
	dir := write(t, map[string][]byte{
		"a.yaml": []byte("operator_id: D1\nname: Doc One\nroles: [importer]\ncompliance: {infringements: []}\nfinancials: [{year: 2024, net_assets: 1}]\nfacts:\n  compliance_score: 90\n  vat_registered_years: 1\n"),
		"b.yml":  []byte("operator_id: D2\nname: Doc Two\nfacts:\n  vat_registered_years: lots\n"),
		"c.txt":  []byte("not a profile"),
	})
	in, err := Expand([]string{dir}, nil, Auto)
	require.NoError(t, err)
	require.Len(t, in, 2, "a directory gives its record files only")
	r, err := New(old, nw)
	require.NoError(t, err)
	rep, err := r.OperatorFiles(t.Context(), in, asOf)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Replayed)
	require.Len(t, rep.Listed, 1)
	assert.Equal(t, filepath.Join(dir, "b.yml"), rep.Listed[0].File)
	assert.Equal(t, 4, rep.Listed[0].Line, "the line of the fact in the document")
	assert.Contains(t, rep.Listed[0].Message, `fact "vat_registered_years": want int, got lots (string)`)
	require.Len(t, rep.Facts, 1)
	assert.Equal(t, 8, rep.Facts[0].First.Line, "a fact the old version does not declare is named where it is")
}
