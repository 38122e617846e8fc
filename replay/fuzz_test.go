package replay

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/safe-aeo/engine/risk"
)

// FuzzDecodeLine checks that the declaration decoder never panics, and
// that what it accepts survives a round trip through encoding/json.
func FuzzDecodeLine(f *testing.F) {
	for _, s := range []string{
		`{"declaration":{"id":"D1","date":"2025-03-01","hs_code":"930100","value":12.5,"facts":{"a":[1,"b"],"c":null}},"operator":{"id":"O","types":["AEO"]}}`,
		`{"declaration":{"id":"D\u00e9\n","value":-1e300,"gross_mass":0.1}}`,
		`{"declaration":{"id":"D2","date":"2025-03-01T10:00:00+02:00"},"operator":null}`,
		`{"declaration":{"id":"D3","value":"abc"}}`,
		`{"declaration":{"id":"D4","hs_co`,
		`{"declaration":{"id":"\ud83d\ude00"}} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var d declDecoder
		var e risk.Entry
		if err := d.decode(line, &e); err != nil {
			if err.col < 1 || err.col > len(line)+1 {
				t.Fatalf("column %d outside the line of %d bytes: %s", err.col, len(line), err.msg)
			}
			return
		}
		if e.Declaration.ID == "" {
			t.Fatal("accepted a declaration without an ID")
		}
		e.Declaration.Facts = nil
		for _, rf := range d.facts {
			if e.Declaration.Facts == nil {
				e.Declaration.Facts = map[string]any{}
			}
			e.Declaration.Facts[rf.name] = rf.value
		}
		want := cloneEntry(e)
		b, err := json.Marshal(want)
		if err != nil {
			return // a NaN cannot be written; the decoder never reads one
		}
		var d2 declDecoder
		var got risk.Entry
		if err := d2.decode(b, &got); err != nil {
			t.Fatalf("cannot read back %s: %s", b, err.msg)
		}
		got.Declaration.Facts = nil
		for _, rf := range d2.facts {
			if got.Declaration.Facts == nil {
				got.Declaration.Facts = map[string]any{}
			}
			got.Declaration.Facts[rf.name] = rf.value
		}
		if diff := cmp.Diff(want, cloneEntry(got), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip of %s changes the entry:\n%s", line, diff)
		}
	})
}

// cloneEntry copies the strings of an entry decoded from a line, which
// are views of it.
func cloneEntry(e risk.Entry) risk.Entry {
	b, _ := json.Marshal(e)
	var out risk.Entry
	_ = json.Unmarshal(b, &out)
	out.Declaration.Date = e.Declaration.Date
	out.Declaration.Facts = e.Declaration.Facts
	return out
}

// FuzzNumber checks the fast path of number parsing against strconv.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"0", "-0", "12.5", "1234567890.12345", "0.1", "1e5", "123456789012345678", "9007199254740993", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sc := scan{b: []byte(s)}
		got, ok := sc.number()
		if !ok || sc.i != len(s) {
			return
		}
		want, err := strconv.ParseFloat(strings.TrimLeft(s, " \t\r\n"), 64) // number skips the spaces before a value
		if err != nil && !math.IsInf(want, 0) {
			t.Fatalf("number(%q) = %v, but strconv refuses it: %v", s, got, err)
		}
		if err == nil && got != want {
			t.Fatalf("number(%q) = %v, strconv gives %v", s, got, want)
		}
	})
}

// FuzzSplitFields checks that splitting a CSV line never panics and
// that the positions it reports lie in the line.
func FuzzSplitFields(f *testing.F) {
	for _, s := range []string{`a,b,c`, `"a,b",c`, `"a""b",`, `"open`, `a"b,c`, ``, `,`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var starts []int
		fields, err := splitFields([]byte(s), ',', nil, &starts)
		if err != nil {
			if err.col < 1 || err.col > len(s)+1 {
				t.Fatalf("column %d outside the line", err.col)
			}
			return
		}
		if len(fields) != len(starts) || len(fields) == 0 {
			t.Fatalf("%d fields, %d starts", len(fields), len(starts))
		}
		for _, st := range starts {
			if st < 0 || st > len(s) {
				t.Fatalf("start %d outside the line", st)
			}
		}
	})
}

// FuzzDeclarationFiles puts arbitrary bytes through the whole pipeline,
// as JSON Lines and as CSV: no panic, no error, and every record met is
// replayed or skipped.
func FuzzDeclarationFiles(f *testing.F) {
	old, nw := programmes(f)
	f.Add([]byte("{\"declaration\":{\"id\":\"A\"}}\n\n{bad\n"), false)
	f.Add([]byte("id,hs_code,value\nA,930100,1\nB,,x\n"), true)
	f.Add([]byte{0x1f, 0x8b, 8, 0, 0, 0}, false)
	f.Fuzz(func(t *testing.T, data []byte, csv bool) {
		r, err := New(old, nw, WithWorkers(2), WithMaxLine(256))
		if err != nil {
			t.Fatal(err)
		}
		in := bytesInput("fuzz.jsonl", data)
		if csv {
			in.Name = "fuzz.csv"
		}
		rep, err := r.DeclarationFiles(t.Context(), []Input{in})
		if err != nil {
			t.Fatalf("a bad input stopped the run: %v", err)
		}
		if rep.Records != rep.Replayed+rep.Skipped {
			t.Fatalf("%d records, %d replayed, %d skipped", rep.Records, rep.Replayed, rep.Skipped)
		}
	})
}
