package decode

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
)

type item struct {
	ID    string   `json:"id"`
	When  string   `json:"when,omitempty"`
	Tags  []string `json:"tags,omitempty"`
	Count int      `json:"count,omitempty"`
}

type inner struct {
	Level float64 `json:"level,omitempty"`
}

type doc struct {
	Name   string            `json:"name"`
	Items  []item            `json:"items"`
	On     bool              `json:"on,omitempty"`
	Date   time.Time         `json:"date,omitzero"`
	Period calendar.Period   `json:"period,omitzero"`
	Labels map[string]string `json:"labels,omitempty"`
	Any    any               `json:"any,omitempty"`
	inner
	Ptr *inner `json:"ptr,omitempty"`
}

func TestDecode(t *testing.T) {
	src := `name: demo
items:
  - id: a
    when: x > 1
    tags: [p, q]
  - {id: b, count: 3}
on: true
date: 2024-05-01
period: 1y6m
labels: {k: v}
any: {n: 1, l: [1, "x"]}
level: 0.5
ptr: {level: 2}
`
	var got doc
	_, err := DecodeInto("f.yaml", []byte(src), &got)
	require.NoError(t, err)
	want := doc{
		Name:   "demo",
		Items:  []item{{ID: "a", When: "x > 1", Tags: []string{"p", "q"}}, {ID: "b", Count: 3}},
		On:     true,
		Date:   time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		Period: calendar.Period{Years: 1, Months: 6},
		Labels: map[string]string{"k": "v"},
		Any:    map[string]any{"n": 1.0, "l": []any{1.0, "x"}},
		inner:  inner{Level: 0.5},
		Ptr:    &inner{Level: 2},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(doc{})); diff != "" {
		t.Errorf("DecodeInto mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeJSON(t *testing.T) {
	var got doc
	_, err := DecodeInto("f.json", []byte(`{"name": "j", "items": [{"id": "a", "count": 2}]}`), &got)
	require.NoError(t, err, "JSON is read as the YAML it is")
	require.Equal(t, 2, got.Items[0].Count)
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []string
		reason string
	}{
		{name: "unknown key with suggestion", src: "name: x\nitems: []\nnmae: y\n",
			want: []string{`f.yaml:3:1: nmae: unknown key "nmae"; did you mean "name"?`}, reason: "typos are caught and a fix is proposed"},
		{name: "all problems at once", src: "name: x\nitems:\n  - id: a\n    count: many\n  - id: b\n    colour: red\non: perhaps\n",
			want: []string{
				`f.yaml:4:12: items[0].count: want a whole number, not "many"`,
				`f.yaml:6:5: items[1].colour: unknown key "colour"; known keys: count, id, tags, when`,
				`f.yaml:7:5: on: want true or false, not "perhaps"`,
			}, reason: "every problem is reported, each at its own line and column"},
		{name: "duplicate key", src: "name: x\nname: y\n",
			want: []string{`f.yaml:2:1: name: duplicate key "name" (first at line 1)`}, reason: "a repeated key would silently overwrite"},
		{name: "wrong shape", src: "name: [a]\nitems: {id: a}\n",
			want:   []string{`f.yaml:1:7: name: want a single value, not a list`, `f.yaml:2:8: items: want a list, not a mapping of keys`},
			reason: "shape errors name the expected shape"},
		{name: "not a finite number", src: "level: NaN\nptr: {level: .inf}\n",
			want:   []string{`f.yaml:1:8: level: want a finite number, not "NaN"`, `f.yaml:2:14: ptr.level: want a finite number, not ".inf"`},
			reason: "NaN parses as a float but means nothing in a rule, and JSON (the fingerprint) cannot hold it"},
		{name: "bad date and period", src: "date: tomorrow\nperiod: 3q\n",
			want: []string{`f.yaml:1:7: date: want a date such as 2024-05-01 or 2024-05-01T10:00:00Z, not "tomorrow"`,
				`f.yaml:2:9: period: period "3q": unknown unit "q"; use y, m, w, d or wd`}, reason: "typed scalars are checked"},
		{name: "syntax", src: "name: x\n  items: [\n", want: []string{`f.yaml:2:1: mapping values are not allowed in this context`},
			reason: "syntax errors carry the line"},
		{name: "empty", src: "", want: []string{`f.yaml:1:1: the file is empty`}, reason: "an empty file is an error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			_, err := DecodeInto("f.yaml", []byte(tt.src), &d)
			require.Error(t, err, tt.reason)
			var list diag.List
			require.True(t, errors.As(err, &list), "error is a diag.List: %T", err)
			var got []string
			for _, e := range list {
				got = append(got, e.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
		})
	}
}

func TestResolveExpressionPositions(t *testing.T) {
	src := "items:\n  - id: a\n    when: x >= 'y'\n  - id: b\n    when: \"x >= 'y'\"\n  - id: c\n    when: |\n      a &&\n        x >= 'y'\n"
	d, err := Parse("f.yaml", []byte(src))
	require.NoError(t, err)
	tests := []struct {
		path              string
		exprLine, exprCol int
		wantLine, wantCol int
		reason            string
	}{
		{"items[0].when", 1, 3, 3, 13, "plain scalar: the column inside the expression is added to the value's"},
		{"items[1].when", 1, 3, 5, 14, "quoted scalar: one more for the quote"},
		{"items[2].when", 2, 5, 9, 11, "block scalar: the line after the indicator, at the block's indentation"},
		{"items[5].when", 0, 0, 2, 3, "a path past the end points at the nearest node, here the list"},
	}
	for _, tt := range tests {
		e := &diag.Error{Path: tt.path, ExprLine: tt.exprLine, ExprColumn: tt.exprCol, Message: "m"}
		d.Resolve(e)
		if e.Line != tt.wantLine || e.Column != tt.wantCol {
			t.Errorf("Resolve(%s) = %d:%d, want %d:%d; %s", tt.path, e.Line, e.Column, tt.wantLine, tt.wantCol, tt.reason)
		}
	}
}

func TestAliasBomb(t *testing.T) {
	src := "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	var v map[string]any
	_, err := DecodeInto("bomb.yaml", []byte(src), &v)
	require.Error(t, err, "nested aliases must not expand without bound")
}

func FuzzDecode(f *testing.F) {
	f.Add("name: demo\nitems:\n  - id: a\n    when: x > 1\n")
	f.Add(`{"name": "j", "items": [{"id": "a", "count": 2}], "period": "3y"}`)
	f.Add("date: 2024-05-01\nlabels: {a: b}\nany: [1, {x: y}]\n")
	f.Add("a: &a [1]\nitems: *a\n")
	f.Fuzz(func(t *testing.T, src string) {
		var d doc
		doc, err := DecodeInto("fuzz.yaml", []byte(src), &d)
		if err != nil {
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("DecodeInto error %T, want diag.List", err)
			}
			return
		}
		for _, p := range []string{"items[0].when", "name", "labels.x", "items[9]"} {
			e := &diag.Error{Path: p, ExprLine: 1, ExprColumn: 2}
			doc.Resolve(e)
		}
	})
}

func TestDecodeAtLaysOver(t *testing.T) {
	src := `base: {name: base, labels: {a: "1", b: "2"}, items: [{id: x}], ptr: {level: 1}}
over: {labels: {b: "3", a: null}, items: [{id: y}], date: 2024-5-1}
`
	d, err := Parse("f.yaml", []byte(src))
	require.NoError(t, err)
	var got doc
	require.Empty(t, d.DecodeAt("base", &got))
	errs := d.DecodeAt("over", &got)
	want := doc{Name: "base", Labels: map[string]string{"b": "3"}, Items: []item{{ID: "y"}}, Ptr: &inner{Level: 1}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(doc{})); diff != "" {
		t.Errorf("DecodeAt mismatch (-want +got):\n%s", diff)
	}
	require.Len(t, errs, 1, "the malformed date is reported")
	require.Equal(t, `f.yaml:2:59: over.date: want a date such as 2024-05-01 or 2024-05-01T10:00:00Z, not "2024-5-1"`, errs[0].Error())
	require.NotEmpty(t, d.DecodeAt("nowhere", &got), "nothing at the path is a problem")
}

func TestLocateQuotedKeys(t *testing.T) {
	d, err := Parse("f.yaml", []byte("answers:\n  D.1: \"yes\"\n  \"a[b]\": no\n"))
	require.NoError(t, err)
	for key, line := range map[string]int{"D.1": 2, "a[b]": 3} {
		p := Key("answers", key)
		n, exact := d.Locate(p)
		require.True(t, exact, "%s is found", p)
		require.Equal(t, line, n.Line, p)
	}
	require.Equal(t, "answers.plain", Key("answers", "plain"))
	require.Equal(t, `answers["D.1"]`, Key("answers", "D.1"))
}
