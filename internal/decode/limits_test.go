package decode

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/diag"
)

// exactEntries counts the entries of the lists and mappings of a parsed
// document, without following aliases.
func exactEntries(n *yaml.Node) int {
	total := 0
	switch n.Kind {
	case yaml.DocumentNode:
	case yaml.SequenceNode:
		total += len(n.Content)
	case yaml.MappingNode:
		total += len(n.Content) / 2
	default:
		return 0
	}
	for _, c := range n.Content {
		total += exactEntries(c)
	}
	return total
}

func TestCountEntries(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   int
		reason string
	}{
		{name: "block mapping", src: "a: 1\nb: 2\n", want: 2, reason: "each key: value pair is an entry"},
		{name: "block list", src: "- a\n- b\n- c\n", want: 3, reason: "each - item is an entry"},
		{name: "nested", src: "items:\n  - id: a\n    when: x\n  - id: b\n", want: 6, reason: "1 key, 2 items, 3 pairs"},
		{name: "compact list of lists", src: "- - a\n  - b\n- c\n", want: 4, reason: "- - a opens two lists on one line"},
		{name: "flow", src: "a: [1, 2, 3]\nb: {x: 1, y: 2}\n", want: 7, reason: "2 keys, 3 items, 2 pairs"},
		{name: "empty flow", src: "a: []\nb: {}\n", want: 2, reason: "an empty collection holds nothing"},
		{name: "trailing comma", src: "a: [1, 2,]\n", want: 3, reason: "a trailing comma adds no entry"},
		{name: "json", src: `{"a": [1, 2], "b": {"c": "d, e: [f]"}}`, want: 5, reason: "JSON is flow YAML; strings are skipped"},
		{name: "quoted", src: "a: \"x: y, - z\"\nb: 'it''s: [1, 2]'\n", want: 2, reason: "quoted strings hold no entries"},
		{name: "comments", src: "# a: 1\nb: 2 # c: 3\n", want: 1, reason: "comments hold no entries"},
		{name: "hash in a word", src: "a: x#y: 1\n", want: 2, reason: "# starts a comment only after a space; ': ' then counts (YAML refuses this file)"},
		{name: "block scalar", src: "a: |\n  - not an item\n  b: not a key\nc: 1\n", want: 2, reason: "a block scalar's text is text"},
		{name: "folded in a list", src: "- >-\n  x: y\n  - z\n- k: v\n", want: 3, reason: "a folded scalar as a list item"},
		{name: "block scalar with blank lines", src: "a: |\n  x\n\n  - y\nb: 1\n", want: 2, reason: "blank lines do not end a block scalar"},
		{name: "multi-line flow", src: "a: [1,\n  2,\n  {b: 3}]\n", want: 5, reason: "a flow collection may span lines"},
		{name: "url", src: "a: http://example.org/x\n", want: 1, reason: "a colon not followed by a space separates nothing"},
		{name: "apostrophe", src: "name: O'Brien\nrole: importer\n", want: 2, reason: "a quote inside a plain word starts no string"},
		{name: "empty value", src: "a:\nb:\n", want: 2, reason: "a key with no value is an entry"},
		{name: "document marker", src: "---\na: 1\n", want: 1, reason: "--- is no list item"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			over, _ := countEntries([]byte(tt.src), tt.want)
			assert.False(t, over, "%d entries are within a limit of %d; %s", tt.want, tt.want, tt.reason)
			over, _ = countEntries([]byte(tt.src), tt.want-1)
			assert.True(t, over, "%d entries exceed a limit of %d; %s", tt.want, tt.want-1, tt.reason)
			var n yaml.Node
			if yaml.Unmarshal([]byte(tt.src), &n) == nil {
				assert.LessOrEqual(t, exactEntries(&n), tt.want, "the count is never below the parser's: %s", tt.reason)
			}
		})
	}
}

func TestParseLimited(t *testing.T) {
	list := "items:\n" + strings.Repeat("  - {id: a, when: x}\n", 1000)
	tests := []struct {
		name     string
		src      string
		lim      Limits
		wantLine int
		wantMsg  string
		reason   string
	}{
		{name: "within the defaults", src: list, reason: "1000 items of 2 keys are 3001 entries"},
		{name: "too many entries", src: list, lim: Limits{MaxEntries: 3000}, wantLine: 1001,
			wantMsg: "more than 3000 entries", reason: "the entry past the limit is on the last line"},
		{name: "unbounded entries", src: list, lim: Limits{MaxEntries: -1}, reason: "a negative limit is no limit"},
		{name: "too many bytes", src: list, lim: Limits{MaxBytes: 1000}, wantLine: 1,
			wantMsg: "more than the 1000 allowed", reason: "the size is checked before anything is parsed"},
		{name: "unbounded bytes", src: list, lim: Limits{MaxBytes: -1}, reason: "a negative limit is no limit"},
		{name: "exactly the size", src: "name: x\n", lim: Limits{MaxBytes: 8}, reason: "the limit is inclusive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			_, err := DecodeLimited("big.yaml", []byte(tt.src), &d, tt.lim)
			if tt.wantMsg == "" {
				require.NoError(t, err, tt.reason)
				return
			}
			require.Error(t, err, tt.reason)
			assert.True(t, errors.Is(err, diag.ErrTooLarge), "a host can tell an oversized input apart: %v", err)
			var e *diag.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, "big.yaml", e.File)
			assert.Equal(t, tt.wantLine, e.Line, tt.reason)
			assert.Contains(t, e.Message, tt.wantMsg, tt.reason)
		})
	}
}

// TestDecodeCountsAliases checks that the decoder counts entries again as
// it decodes, following aliases, which the lexer cannot see.
func TestDecodeCountsAliases(t *testing.T) {
	src := "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	var v map[string]any
	_, err := DecodeLimited("alias.yaml", []byte(src), &v, Limits{MaxEntries: 50})
	require.Error(t, err, "b expands to 10 lists of 10: 122 entries in all")
	assert.True(t, errors.Is(err, diag.ErrTooLarge))
	assert.Contains(t, err.Error(), ": b[")
	_, err = DecodeLimited("alias.yaml", []byte(src), &v, Limits{MaxEntries: 200})
	require.NoError(t, err)
}

func TestDecodeRefusesNonFiniteAny(t *testing.T) {
	tests := []struct {
		name, src, want, reason string
	}{
		{name: "nan", src: "any: {score: .nan}\n", want: `fuzz.yaml:1:14: any.score: want a finite number, not ".nan"`,
			reason: "a NaN fact would make not (score < 80) true"},
		{name: "inf in a list", src: "any: [1, -.Inf]\n", want: `fuzz.yaml:1:10: any[1]: want a finite number, not "-.Inf"`,
			reason: "an infinity anywhere in the value"},
		{name: "upper case", src: "any: .NaN\n", want: `fuzz.yaml:1:6: any: want a finite number, not ".NaN"`,
			reason: "every YAML spelling"},
		{name: "through an alias", src: "x: &n .inf\nany: [*n]\n", want: `want a finite number, not ".inf"`,
			reason: "an alias is followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d struct {
				X   any `json:"x"`
				Any any `json:"any"`
			}
			_, err := DecodeInto("fuzz.yaml", []byte(tt.src), &d)
			require.Error(t, err, tt.reason)
			assert.Contains(t, err.Error(), tt.want, tt.reason)
		})
	}
	var d struct {
		Any any `json:"any"`
	}
	_, err := DecodeInto("ok.yaml", []byte("any: {score: 1e300, name: .nan-ish, s: '.nan'}\n"), &d)
	require.NoError(t, err, "a large finite number, and strings, are values like any other")
}

// FuzzCountEntries checks the lexer's promise: on any document YAML
// parses, it never counts fewer entries than the parser finds.
func FuzzCountEntries(f *testing.F) {
	f.Add("a: 1\nb: [1, 2]\n")
	f.Add("- - a\n  - b\n- {x: 'y, z', w: \"q: [r]\"}\n")
	f.Add("a: |\n  - x\nb: >-\n  y: z\nc: 1\n")
	f.Add(`{"a": [1, {"b": 2}], "c": "d"}`)
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		var n yaml.Node
		if err := yamlSafe([]byte(src), &n); err != nil {
			return
		}
		exact := exactEntries(&n)
		if exact == 0 {
			return
		}
		if over, _ := countEntries([]byte(src), exact-1); !over {
			t.Fatalf("countEntries saw at most %d entries in %q; the parser found %d", exact-1, src, exact)
		}
	})
}

func yamlSafe(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("panic")
		}
	}()
	return yaml.Unmarshal(data, n)
}
