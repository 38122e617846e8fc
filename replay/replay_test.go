package replay

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/risk"
)

// truth selects every entry's lane under both programmes one by one,
// with Selector.Select: what a replay must find, however it reads and
// splits its input.
func truth(old, nw *aeo.Programme, es []risk.Entry) (m [4][4]int, changed []string) {
	pos := map[risk.Lane]int{risk.Red: 0, risk.Yellow: 1, risk.Blue: 2, risk.Green: 3}
	for i := range es {
		e := &es[i]
		a := old.Selector().Select(&e.Declaration, &e.Operator)
		b := nw.Selector().Select(&e.Declaration, &e.Operator)
		m[pos[a.Lane]][pos[b.Lane]]++
		if a.Lane != b.Lane {
			changed = append(changed, e.Declaration.ID)
		}
	}
	return m, changed
}

// csvOf writes entries as CSV with separator sep.
func csvOf(es []risk.Entry, sep string) []byte {
	var b bytes.Buffer
	cols := []string{"id", "date", "office", "direction", "hs_code", "origin", "dispatch", "value", "gross_mass",
		"operator", "procedure", "transport_mode", "operator.id", "operator.status", "operator.types", "operator.partner"}
	b.WriteString(strings.Join(cols, sep) + "\n")
	for _, e := range es {
		d, op := e.Declaration, e.Operator
		cells := []string{d.ID, d.Date.Format("2006-01-02"), d.Office, d.Direction, d.HSCode, d.Origin, d.Dispatch,
			strconv.FormatFloat(d.Value, 'g', -1, 64), strconv.FormatFloat(d.GrossMass, 'g', -1, 64),
			d.Operator, d.Procedure, d.TransportMode, op.ID, op.Status, strings.Join(op.Types, ";"), op.Partner}
		b.WriteString(strings.Join(cells, sep) + "\n")
	}
	return b.Bytes()
}

func gz(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, err := zw.Write(data)
	require.NoError(tb, err)
	require.NoError(tb, zw.Close())
	return b.Bytes()
}

// write writes files into a temporary directory and returns its path.
func write(tb testing.TB, files map[string][]byte) string {
	tb.Helper()
	dir := tb.TempDir()
	for name, data := range files {
		require.NoError(tb, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	return dir
}

func bytesInput(name string, data []byte) Input {
	return Input{Name: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
}

func TestDeclarationFiles_formats(t *testing.T) {
	old, nw := programmes(t)
	es := entries(3000)
	want, changed := truth(old, nw, es)
	require.NotEmpty(t, changed, "the two versions must differ on the sample for the test to mean anything")
	doc, err := json.Marshal(es[:500])
	require.NoError(t, err)
	wantDoc, _ := truth(old, nw, es[:500])
	data := jsonl(t, es)
	dir := write(t, map[string][]byte{
		"d.jsonl":    data,
		"d.jsonl.gz": gz(t, data),
		"d.ndjson":   bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n")),
		"d.csv":      csvOf(es, ","),
		"d.csv.gz":   gz(t, csvOf(es, ",")),
		"d.tsv":      csvOf(es, "\t"),
		"d.json":     doc,
		"gzipped":    gz(t, data),
	})
	tests := []struct {
		name   string
		inputs func() []Input
		want   [4][4]int
		reason string
	}{
		{name: "jsonl", inputs: func() []Input { return []Input{File(filepath.Join(dir, "d.jsonl"), Auto)} }, want: want,
			reason: "JSON Lines as encoding/json writes risk.Entry"},
		{name: "jsonl-gz", inputs: func() []Input { return []Input{File(filepath.Join(dir, "d.jsonl.gz"), Auto)} }, want: want,
			reason: "gzip is decompressed"},
		{name: "crlf", inputs: func() []Input { return []Input{File(filepath.Join(dir, "d.ndjson"), Auto)} }, want: want,
			reason: "lines ending in CRLF, as written on Windows"},
		{name: "gzip-by-content", inputs: func() []Input { return []Input{File(filepath.Join(dir, "gzipped"), JSONL)} }, want: want,
			reason: "gzip is recognised by its magic number, not its name"},
		{name: "csv", inputs: func() []Input { return []Input{File(filepath.Join(dir, "d.csv"), Auto)} }, want: want,
			reason: "CSV under a header row of declaration and operator fields"},
		{name: "csv-gz", inputs: func() []Input { return []Input{File(filepath.Join(dir, "d.csv.gz"), Auto)} }, want: want,
			reason: "compressed CSV"},
		{name: "tsv", inputs: func() []Input { return []Input{File(filepath.Join(dir, "d.tsv"), Auto)} }, want: want,
			reason: "tab-separated"},
		{name: "stdin", inputs: func() []Input { return []Input{Reader("-", bytes.NewReader(data), Auto)} }, want: want,
			reason: "standard input is JSON Lines"},
		{name: "document", inputs: func() []Input { return []Input{File(filepath.Join(dir, "d.json"), Auto)} }, want: wantDoc,
			reason: "a JSON (or YAML) list of entries, read whole"},
		{name: "glob", inputs: func() []Input {
			in, err := Expand([]string{filepath.Join(dir, "d.*sv")}, nil, Auto)
			require.NoError(t, err)
			require.Len(t, in, 2)
			return in
		}, want: double(want), reason: "a glob gives every file it matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(old, nw, WithWorkers(2))
			require.NoError(t, err)
			rep, err := r.DeclarationFiles(t.Context(), tt.inputs())
			require.NoError(t, err)
			assert.Equal(t, tt.want, rep.Matrix.Counts, tt.reason)
			assert.Zero(t, rep.Problems, "no problems: %v", rep.Listed)
			n := 0
			for _, row := range tt.want {
				for _, c := range row {
					n += c
				}
			}
			assert.Equal(t, n, rep.Records)
			assert.Equal(t, n, rep.Replayed)
		})
	}
}

func double(m [4][4]int) [4][4]int {
	for i := range m {
		for k := range m[i] {
			m[i][k] *= 2
		}
	}
	return m
}

func TestDeclarations_iterator(t *testing.T) {
	old, nw := programmes(t)
	es := entries(2000)
	want, changed := truth(old, nw, es)
	var out bytes.Buffer
	r, err := New(old, nw, WithWorkers(3), WithChanges(&out), WithListed(5))
	require.NoError(t, err)
	rep, err := r.Declarations(t.Context(), slices.Values(es))
	require.NoError(t, err)
	assert.Equal(t, want, rep.Matrix.Counts, "a host's iterator replays as files do")
	assert.Equal(t, len(changed), rep.Changed)
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var c struct {
			Declaration string `json:"declaration"`
			Line        int    `json:"line"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &c))
		got = append(got, c.Declaration)
		assert.Equal(t, es[c.Line-1].Declaration.ID, c.Declaration, "the line of an iterator's record is its number from 1")
	}
	assert.Equal(t, changed, got, "every changed declaration is written, in input order")
	require.Len(t, rep.Declarations, 5, "the report lists the first changes only")
	for i, dc := range rep.Declarations {
		assert.Equal(t, changed[i], dc.Declaration)
	}
}

// TestDeterministic checks that the report does not depend on the
// number of workers or on how they are scheduled.
func TestDeterministic(t *testing.T) {
	old, nw := programmes(t)
	es := entries(4000)
	data := append(jsonl(t, es[:2000]), []byte("{not json\n")...)
	data = append(data, jsonl(t, es[2000:])...)
	var first *LaneReport
	var firstChanges string
	for _, workers := range []int{1, 2, 3, 8} {
		var out bytes.Buffer
		r, err := New(old, nw, WithWorkers(workers), WithChanges(&out), WithMaxLine(4096))
		require.NoError(t, err)
		rep, err := r.DeclarationFiles(t.Context(), []Input{bytesInput("d.jsonl", data)})
		require.NoError(t, err)
		if first == nil {
			first, firstChanges = rep, out.String()
			continue
		}
		if diff := cmp.Diff(first, rep); diff != "" {
			t.Errorf("workers=%d: the report depends on the workers (-1 +%d):\n%s", workers, workers, diff)
		}
		assert.Equal(t, firstChanges, out.String(), "workers=%d: the changes come out in input order", workers)
	}
	assert.Equal(t, 1, first.Skipped)
	assert.Equal(t, 2001, first.Listed[0].Line, "the bad line is named by its line")
}

// TestShardMerge checks that the shards of a replay, merged from their
// JSON reports, give the report of a single run.
func TestShardMerge(t *testing.T) {
	old, nw := programmes(t)
	es := entries(3000)
	bad := []byte("{\"declaration\":{\"id\":\"BAD\",\"value\":\"abc\"}}\n")
	files := map[string][]byte{}
	var inputs []Input
	for i := range 5 {
		part := slices.Concat(jsonl(t, es[i*600:i*600+300]), bad, jsonl(t, es[i*600+300:(i+1)*600]))
		name := fmt.Sprintf("day-%d.jsonl", i)
		files[name] = part
		inputs = append(inputs, bytesInput(name, part))
	}
	single := func(opts ...Option) *Report {
		r, err := New(old, nw, opts...)
		require.NoError(t, err)
		rep, err := r.DeclarationFiles(t.Context(), inputs)
		require.NoError(t, err)
		return r.Report(rep, nil)
	}
	want := single(WithListed(3))
	for _, by := range []ShardBy{ByLine, ByFile} {
		for _, n := range []int{2, 3, 7} {
			t.Run(fmt.Sprintf("%s-%d", by, n), func(t *testing.T) {
				var shards []*Report
				for i := n - 1; i >= 0; i-- { // any order
					rep := single(WithListed(3), WithShard(Shard{Index: i, Count: n, By: by}))
					b, err := json.Marshal(rep)
					require.NoError(t, err)
					var back Report
					require.NoError(t, json.Unmarshal(b, &back))
					shards = append(shards, &back)
				}
				got, err := Merge(shards...)
				require.NoError(t, err)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("merged shards differ from a single run (-single +merged):\n%s", diff)
				}
				_, err = Merge(shards[1:]...)
				assert.ErrorContains(t, err, "missing", "a shard missing is refused")
				_, err = Merge(append(shards, shards[0])...)
				assert.ErrorContains(t, err, "twice", "a shard given twice is refused")
			})
		}
	}
	other := single(WithShard(Shard{Index: 0, Count: 2}))
	other.New.Fingerprint = "sha256:other"
	_, err := Merge(single(WithShard(Shard{Index: 1, Count: 2})), other)
	assert.ErrorContains(t, err, "other programmes", "reports of other programmes are refused")
}

// TestParallelReplays runs replays of one Replayer at the same time, for
// the race detector.
func TestParallelReplays(t *testing.T) {
	old, nw := programmes(t)
	es := entries(1000)
	want, _ := truth(old, nw, es)
	r, err := New(old, nw, WithWorkers(2))
	require.NoError(t, err)
	data := jsonl(t, es)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := r.DeclarationFiles(t.Context(), []Input{bytesInput("d.jsonl", data)})
			if assert.NoError(t, err) {
				assert.Equal(t, want, rep.Matrix.Counts)
			}
		}()
	}
	wg.Wait()
}

func TestProgress(t *testing.T) {
	old, nw := programmes(t)
	es := entries(5000)
	data := jsonl(t, es)
	var seen []Progress
	r, err := New(old, nw, WithWorkers(2), WithMaxLine(16<<10), WithProgress(func(p Progress) { seen = append(seen, p) }))
	require.NoError(t, err)
	_, err = r.DeclarationFiles(t.Context(), []Input{bytesInput("d.jsonl", data)})
	require.NoError(t, err)
	require.Greater(t, len(seen), 5, "progress is reported block by block")
	for i := 1; i < len(seen); i++ {
		assert.GreaterOrEqual(t, seen[i].Records, seen[i-1].Records, "progress only goes forward")
		assert.GreaterOrEqual(t, seen[i].Bytes, seen[i-1].Bytes)
	}
	last := seen[len(seen)-1]
	assert.Equal(t, len(es), last.Records)
	assert.Equal(t, int64(len(data)), last.Size, "the size of the input is known, for the time left")
	assert.Equal(t, int64(len(data)), last.Bytes)
}

func TestCancel(t *testing.T) {
	old, nw := programmes(t)
	es := entries(3000)
	r, err := New(old, nw, WithWorkers(2))
	require.NoError(t, err)
	ctx, cancel := contextWithCancel(t)
	n := 0
	_, err = r.Declarations(ctx, func(yield func(risk.Entry) bool) {
		for _, e := range es {
			if n++; n == 1000 {
				cancel()
			}
			if !yield(e) {
				return
			}
		}
	})
	assert.ErrorIs(t, err, errCanceled, "a cancelled replay returns the context's error")
	assert.Less(t, n, len(es), "and stops reading")
}

// TestReport_golden renders a replay of declarations as text, CSV and
// JSON.
func TestReport_golden(t *testing.T) {
	old, nw := programmes(t)
	es := entries(3000)
	es[10].Declaration.Facts = map[string]any{"risk_score": 95.0}
	es[11].Declaration.Facts = map[string]any{"risk_score": 12.0}
	data := slices.Concat(jsonl(t, es[:100]), []byte(`{"declaration":{"id":"B1","hs_code":930100}}`+"\n"), jsonl(t, es[100:]))
	r, err := New(old, nw, WithListed(4))
	require.NoError(t, err)
	rep, err := r.DeclarationFiles(t.Context(), []Input{bytesInput("year.jsonl", data)})
	require.NoError(t, err)
	full := r.Report(rep, nil)
	var text, csv, js bytes.Buffer
	require.NoError(t, full.WriteText(&text))
	require.NoError(t, full.WriteCSV(&csv))
	enc := json.NewEncoder(&js)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(full))
	golden(t, "declarations.txt", fingerprints(text.Bytes()))
	golden(t, "declarations.csv", csv.Bytes())
	golden(t, "declarations.json", js.Bytes())
}

// TestFailingRules checks that the declarations a rule fails on are
// counted per rule and per cause in a report, in shards merged as in a
// single run, and named in the text: a rule that fails sends declarations
// to the error lane, which an administration must see before activating
// a profile.
func TestFailingRules(t *testing.T) {
	prog := func(version, lane string) *aeo.Programme {
		p, err := aeo.Parse("p.yaml", []byte(`
programme: {name: coded, version: "`+version+`"}
criteria: [{id: A, title: A}]
requirements: [{id: A.1, criterion: A, title: t, source: s, when: "true"}]
selectivity:
  facts: [{name: code, type: string}]
  error_lane: `+lane+`
  rules:
    - {id: arms, lane: yellow, when: "int(facts.code) >= 9301 && int(facts.code) <= 9307"}
`))
		require.NoError(t, err)
		return p
	}
	old, nw := prog("1", "red"), prog("2", "blue")
	var es []risk.Entry
	for i, code := range []string{"9302", "93O1", "0101", "O1O1", "9305", "9306", "93O7", "1234"} {
		es = append(es, risk.Entry{Declaration: risk.Declaration{ID: fmt.Sprintf("D%d", i), Value: 500, Facts: map[string]any{"code": code}}})
	}
	data := jsonl(t, es)
	run := func(opts ...Option) *Report {
		r, err := New(old, nw, opts...)
		require.NoError(t, err)
		rep, err := r.DeclarationFiles(t.Context(), []Input{bytesInput("codes.jsonl", data)})
		require.NoError(t, err)
		return r.Report(rep, nil)
	}
	whole := run()
	var shards []*Report
	for i := range 2 {
		shards = append(shards, run(WithShard(Shard{Index: i, Count: 2, By: ByLine})))
	}
	merged, err := Merge(shards...)
	require.NoError(t, err)
	for _, rep := range []*Report{whole, merged} {
		l := rep.Declarations
		require.NotNil(t, l)
		require.Len(t, l.Rules, 1)
		assert.Equal(t, 3, l.Rules[0].OldFailed, "three codes hold a letter O")
		assert.Equal(t, 3, l.Rules[0].NewFailed)
		assert.Equal(t, 3, l.Old.Causes.Error, "the old profile sent them to its error lane")
		assert.Equal(t, 3, l.Old.Lanes.Red)
		assert.Equal(t, 3, l.New.Lanes.Blue, "the new one to its own")
		assert.Equal(t, 3, l.New.Rules[0].Failed)
		var b bytes.Buffer
		require.NoError(t, rep.WriteText(&b))
		assert.Contains(t, b.String(), "Rules that fail on declarations, sending them to the error lane: arms (old 3, new 3)")
	}
	assert.Equal(t, whole.Declarations.Rules, merged.Declarations.Rules, "shards add up to the whole")
}
