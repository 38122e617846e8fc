// Package decode reads programme files, YAML or JSON (JSON is read as the
// YAML it is), into Go values strictly: an unknown key, a duplicate key, a
// value of the wrong type are each reported with the file, line and column,
// all at once. Keys are the `json` tags of the Go types, so one schema
// serves both formats and encoding/json.
package decode

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/suggest"
)

// maxNodes bounds the work of decoding one document, so that a file of
// nested aliases (a "billion laughs") cannot exhaust memory.
const maxNodes = 1_000_000

// A Doc is a parsed programme file.
type Doc struct {
	File   string
	root   *yaml.Node
	lines  []string
	limits Limits
}

var yamlLine = regexp.MustCompile(`line (\d+)(?::(\d+))?`)

// packagePrefix is the prefix of an error from one of the engine's
// packages.
var packagePrefix = regexp.MustCompile(`^(aeo|aeotest|benefits|calendar|criteria|exchange|lifecycle|phases|risk|vendors): `)

// Parse parses data, the contents of the file named file, within the
// default Limits.
func Parse(file string, data []byte) (*Doc, error) {
	return ParseLimited(file, data, Limits{})
}

// ParseLimited parses data, the contents of the file named file, refusing
// a file over lim's size or number of entries before building its tree.
// The problem is then a diag.List whose error wraps diag.ErrTooLarge.
func ParseLimited(file string, data []byte, lim Limits) (*Doc, error) {
	if err := lim.TooLarge(file, int64(len(data))); err != nil {
		return nil, err
	}
	if max := lim.maxEntries(); max >= 0 {
		if over, line := countEntries(data, max); over {
			return nil, lim.tooManyEntries(file, line)
		}
	}
	var root yaml.Node
	if err := safeUnmarshal(data, &root); err != nil {
		e := &diag.Error{File: file, Line: 1, Column: 1, Message: strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			e.Line, _ = strconv.Atoi(m[1])
			if m[2] != "" {
				e.Column, _ = strconv.Atoi(m[2])
			}
			e.Message = strings.TrimSpace(yamlLine.ReplaceAllString(e.Message, ""))
			e.Message = strings.TrimPrefix(strings.TrimPrefix(e.Message, ":"), " ")
		}
		return nil, diag.List{e}
	}
	if len(root.Content) == 0 {
		return nil, diag.List{{File: file, Line: 1, Column: 1, Message: "the file is empty"}}
	}
	return &Doc{File: file, root: root.Content[0], lines: strings.Split(string(data), "\n"), limits: lim}, nil
}

func safeUnmarshal(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("cannot parse: %v", r)
		}
	}()
	return yaml.Unmarshal(data, n)
}

// Decode decodes the document into v, a pointer, strictly. It returns every
// problem found, each with its position; fields that decoded are set even
// when others did not.
func (d *Doc) Decode(v any) diag.List {
	dec := &decoder{doc: d, maxEntries: d.limits.maxEntries()}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return diag.List{{File: d.File, Message: fmt.Sprintf("decode: need a non-nil pointer, not %T", v)}}
	}
	dec.value(d.root, rv.Elem(), "")
	return dec.errs
}

// DecodeAt decodes the value at path (as Locate reads it) into v, a
// pointer, strictly, laying it over what v already holds: fields and map
// keys the value names are set, the others kept; lists and single values
// are replaced. Problems carry the full path from the document's root.
// It reports a problem when nothing is at path.
func (d *Doc) DecodeAt(path string, v any) diag.List {
	n, exact := d.Locate(path)
	if !exact {
		return diag.List{{File: d.File, Line: n.Line, Column: n.Column, Path: path, Message: "nothing at this path"}}
	}
	dec := &decoder{doc: d, maxEntries: d.limits.maxEntries()}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return diag.List{{File: d.File, Message: fmt.Sprintf("decode: need a non-nil pointer, not %T", v)}}
	}
	dec.value(n, rv.Elem(), path)
	return dec.errs
}

// DecodeInto parses data and decodes it into v in one step, within the
// default Limits.
func DecodeInto(file string, data []byte, v any) (*Doc, error) {
	return DecodeLimited(file, data, v, Limits{})
}

// DecodeLimited is DecodeInto within lim.
func DecodeLimited(file string, data []byte, v any, lim Limits) (*Doc, error) {
	doc, err := ParseLimited(file, data, lim)
	if err != nil {
		return nil, err
	}
	return doc, doc.Decode(v).Err()
}

type decoder struct {
	doc        *Doc
	errs       diag.List
	nodes      int
	entries    int
	maxEntries int
}

// entry counts one entry of a list or mapping and reports whether the
// document is still within its limit, failing once when it is not.
func (dec *decoder) entry(n *yaml.Node, path string) bool {
	dec.entries++
	if dec.maxEntries < 0 || dec.entries <= dec.maxEntries {
		return true
	}
	if dec.entries == dec.maxEntries+1 {
		dec.errs = append(dec.errs, &diag.Error{File: dec.doc.File, Line: n.Line, Column: n.Column, Path: path, Err: diag.ErrTooLarge,
			Message: fmt.Sprintf("the file has more than %d entries in its lists and mappings", dec.maxEntries)})
	}
	return false
}

func (dec *decoder) fail(n *yaml.Node, path, format string, args ...any) {
	dec.errs = append(dec.errs, &diag.Error{File: dec.doc.File, Line: n.Line, Column: n.Column, Path: path, Message: fmt.Sprintf(format, args...)})
}

// A TextsUnmarshaler is a value written either as one text or as a
// mapping of keys to texts, such as an operator-facing text given per
// language. UnmarshalText reads the one text; UnmarshalTextEntry reads
// one entry of the mapping, in the order written, into a value the
// decoder has first set to its zero value.
type TextsUnmarshaler interface {
	UnmarshalText(text []byte) error
	UnmarshalTextEntry(key, text string) error
}

var (
	textsUnmarshaler = reflect.TypeOf((*TextsUnmarshaler)(nil)).Elem()
	textUnmarshaler  = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
	timeType         = reflect.TypeOf(time.Time{})
)

func (dec *decoder) value(n *yaml.Node, v reflect.Value, path string) {
	dec.nodes++
	if dec.nodes > maxNodes {
		if dec.nodes == maxNodes+1 {
			dec.fail(n, path, "the document is too large or nests aliases too deeply")
		}
		return
	}
	if n.Kind == yaml.AliasNode {
		dec.value(n.Alias, v, path)
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		v.Set(reflect.Zero(v.Type()))
		return
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		dec.value(n, v.Elem(), path)
		return
	}
	if v.Type() == timeType {
		dec.time(n, v, path)
		return
	}
	if reflect.PointerTo(v.Type()).Implements(textsUnmarshaler) {
		dec.texts(n, v, path)
		return
	}
	if reflect.PointerTo(v.Type()).Implements(textUnmarshaler) && (n.Kind == yaml.ScalarNode || v.Kind() != reflect.Struct) {
		// A type that reads itself from text; a struct among them may also
		// be written as a mapping of its fields.
		if n.Kind != yaml.ScalarNode {
			dec.fail(n, path, "want a single value, not %s", kindName(n))
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			// The problem is placed by its path; the package that
			// reported it ("criteria: ") is not the author's business.
			dec.fail(n, path, "%s", packagePrefix.ReplaceAllString(err.Error(), ""))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		dec.structure(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			dec.fail(n, path, "want a list, not %s", kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			if !dec.entry(c, diag.Index(path, i)) {
				return
			}
			dec.value(c, s.Index(i), diag.Index(path, i))
		}
		v.Set(s)
	case reflect.Map:
		dec.mapping(n, v, path)
	case reflect.Interface:
		// Any value: a programme's extra fact. Its numbers must be finite,
		// since no rule means a NaN (not (NaN < 80) is true) and JSON
		// cannot hold one.
		if !dec.finite(n, path) {
			return
		}
		var x any
		if err := n.Decode(&x); err != nil {
			dec.fail(n, path, "%v", err)
			return
		}
		if x != nil {
			v.Set(reflect.ValueOf(normalise(x)))
		}
	default:
		dec.scalar(n, v, path)
	}
}

// finite reports whether the value n holds no number that is NaN or
// infinite, failing at the first it finds; it counts the entries of the
// lists and mappings it walks against the limits.
func (dec *decoder) finite(n *yaml.Node, path string) bool {
	dec.nodes++
	if dec.nodes > maxNodes {
		if dec.nodes == maxNodes+1 {
			dec.fail(n, path, "the document is too large or nests aliases too deeply")
		}
		return false
	}
	switch n.Kind {
	case yaml.AliasNode:
		return dec.finite(n.Alias, path)
	case yaml.ScalarNode:
		if n.Tag != "!!float" {
			return true
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			// YAML's own spellings: .nan, .inf, -.Inf ...
			low := strings.ToLower(n.Value)
			if strings.HasSuffix(low, ".nan") || strings.HasSuffix(low, ".inf") {
				f = math.NaN()
			}
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			dec.fail(n, path, "want a finite number, not %q", n.Value)
			return false
		}
		return true
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if !dec.entry(c, diag.Index(path, i)) || !dec.finite(c, diag.Index(path, i)) {
				return false
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			p := diag.Join(path, k.Value)
			if !dec.entry(k, p) || !dec.finite(n.Content[i+1], p) {
				return false
			}
		}
	}
	return true
}

// texts decodes a TextsUnmarshaler from one text or a mapping of texts.
// A problem with an entry is placed at its key.
func (dec *decoder) texts(n *yaml.Node, v reflect.Value, path string) {
	v.Set(reflect.Zero(v.Type()))
	u := v.Addr().Interface().(TextsUnmarshaler)
	switch n.Kind {
	case yaml.ScalarNode:
		if err := u.UnmarshalText([]byte(n.Value)); err != nil {
			dec.fail(n, path, "%s", packagePrefix.ReplaceAllString(err.Error(), ""))
		}
		return
	case yaml.MappingNode:
	default:
		dec.fail(n, path, "want a text, or a mapping from language to text, not %s", kindName(n))
		return
	}
	if len(n.Content) == 0 {
		dec.fail(n, path, "want a text, or a mapping from language to text, not an empty mapping")
		return
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		if val.Kind == yaml.AliasNode {
			val = val.Alias
		}
		if k.Kind != yaml.ScalarNode {
			dec.fail(k, path, "keys must be single values")
			continue
		}
		p := Key(path, k.Value)
		if !dec.entry(k, p) {
			return
		}
		if prev, dup := seen[k.Value]; dup {
			dec.fail(k, p, "duplicate key %q (first at line %d)", k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		if val.Kind != yaml.ScalarNode || val.Tag == "!!null" {
			dec.fail(val, p, "want a text, not %s", kindName(val))
			continue
		}
		if err := u.UnmarshalTextEntry(k.Value, val.Value); err != nil {
			dec.fail(k, p, "%s", packagePrefix.ReplaceAllString(err.Error(), ""))
		}
	}
}

// normalise turns YAML's map[string]interface{} and ints into the shapes
// encoding/json produces, so that facts read the same from either format.
func normalise(x any) any {
	switch t := x.(type) {
	case map[string]any:
		for k, v := range t {
			t[k] = normalise(v)
		}
	case []any:
		for i, v := range t {
			t[i] = normalise(v)
		}
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	case time.Time:
		return t.Format("2006-01-02")
	}
	return x
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping of keys"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "this"
}

type field struct {
	index []int
	name  string
}

// fields lists the keys of struct type t with their field indexes,
// following encoding/json: the json tag names a key, "-" hides a field,
// and an embedded struct without a tag contributes its own keys.
func fields(t reflect.Type) []field {
	var out []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				for _, inner := range fields(ft) {
					inner.index = append([]int{i}, inner.index...)
					out = append(out, inner)
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, field{index: []int{i}, name: name})
	}
	return out
}

func (dec *decoder) structure(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		dec.fail(n, path, "want a mapping of keys, not %s", kindName(n))
		return
	}
	fs := fields(v.Type())
	byName := make(map[string]field, len(fs))
	for _, f := range fs {
		byName[f.name] = f
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		key := k.Value
		if k.Tag == "!!merge" {
			dec.fail(k, path, "merge keys (<<) are not supported; repeat the keys")
			continue
		}
		if prev, dup := seen[key]; dup {
			dec.fail(k, diag.Join(path, key), "duplicate key %q (first at line %d)", key, prev.Line)
			continue
		}
		seen[key] = k
		if !dec.entry(k, diag.Join(path, key)) {
			return
		}
		f, ok := byName[key]
		if !ok {
			dec.fail(k, diag.Join(path, key), "unknown key %q%s", key, suggestKey(key, fs))
			continue
		}
		fv, err := fieldByIndexAlloc(v, f.index)
		if err != nil {
			dec.fail(k, diag.Join(path, key), "%v", err)
			continue
		}
		dec.value(val, fv, diag.Join(path, key))
	}
}

func fieldByIndexAlloc(v reflect.Value, index []int) (reflect.Value, error) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, nil
}

// suggestKey proposes the closest known key, for typos.
func suggestKey(key string, fs []field) string {
	names := make([]string, 0, len(fs))
	for _, f := range fs {
		names = append(names, f.name)
	}
	if best := Closest(key, names, false); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	sort.Strings(names)
	if len(names) > 12 {
		return ""
	}
	return fmt.Sprintf("; known keys: %s", strings.Join(names, ", "))
}

// Closest returns the entry of known nearest to word when it is near
// enough to be a typo of it (at most two edits, or a quarter of the
// word's length for long words), and "" otherwise. With fold, case is
// ignored. Of entries equally near, one that holds the word's characters
// in order (a letter left out: "43" for "4-3") is preferred, then the
// first.
func Closest(word string, known []string, fold bool) string {
	best, bestD, bestSub := "", max(3, len(word)/4+1), false
	w := word
	if fold {
		w = strings.ToLower(word)
	}
	for _, k := range known {
		c := k
		if fold {
			c = strings.ToLower(k)
		}
		d := suggest.Distance(w, c)
		sub := subsequence(w, c)
		if d < bestD || d == bestD && sub && !bestSub {
			best, bestD, bestSub = k, d, sub
		}
	}
	return best
}

// subsequence reports whether the bytes of a appear in b in order.
func subsequence(a, b string) bool {
	i := 0
	for j := 0; i < len(a) && j < len(b); j++ {
		if a[i] == b[j] {
			i++
		}
	}
	return i == len(a)
}

// Suggest returns a clause to end a message about an unknown word with:
// "; did you mean "x"?" for the closest entry of known, else the known
// entries when there are at most 12 of them, else "".
func Suggest(word string, known []string, fold bool) string {
	if best := Closest(word, known, fold); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	if len(known) == 0 || len(known) > 12 {
		return ""
	}
	return "; known: " + strings.Join(known, ", ")
}

func (dec *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		dec.fail(n, path, "want a mapping of keys, not %s", kindName(n))
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		dec.fail(n, path, "decode: map keys must be strings")
		return
	}
	// A map already holding keys (DecodeAt laying one value over another)
	// keeps those the document does not name.
	m := v
	if v.IsNil() {
		m = reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			dec.fail(k, path, "keys must be single values")
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			dec.fail(k, diag.Join(path, k.Value), "duplicate key %q (first at line %d)", k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
		if !dec.entry(k, diag.Join(path, k.Value)) {
			break
		}
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" && v.Type().Elem().Kind() != reflect.Interface {
			// A key set to null is not there: a profile that says
			// "D.1: null" has no answer for D.1, and one laid over
			// another removes it. (A map of any values keeps the null.)
			m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), reflect.Value{})
			continue
		}
		ev := reflect.New(v.Type().Elem()).Elem()
		dec.value(val, ev, diag.Join(path, k.Value))
		m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), ev)
	}
	v.Set(m)
}

func (dec *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		dec.fail(n, path, "want a single value, not %s", kindName(n))
		return
	}
	s := n.Value
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil || n.Tag == "!!str" && n.Style != 0 {
			dec.fail(n, path, "want true or false, not %q", s)
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 10, v.Type().Bits())
		if err != nil {
			dec.fail(n, path, "want a whole number, not %q", s)
			return
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		i, err := strconv.ParseUint(strings.ReplaceAll(s, "_", ""), 10, v.Type().Bits())
		if err != nil {
			dec.fail(n, path, "want a whole number of zero or more, not %q", s)
			return
		}
		v.SetUint(i)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), v.Type().Bits())
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			// NaN and infinities parse, but no rule means them and JSON
			// cannot hold them.
			dec.fail(n, path, "want a finite number, not %q", s)
			return
		}
		v.SetFloat(f)
	default:
		dec.fail(n, path, "decode: cannot decode into %s", v.Type())
	}
}

func (dec *decoder) time(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		dec.fail(n, path, "want a date such as 2024-05-01, not %s", kindName(n))
		return
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339, time.RFC3339Nano} {
		if t, err := time.Parse(layout, n.Value); err == nil {
			v.Set(reflect.ValueOf(t))
			return
		}
	}
	dec.fail(n, path, "want a date such as 2024-05-01 or 2024-05-01T10:00:00Z, not %q", n.Value)
}

// ErrNoPath is returned by Locate when no part of a path exists.
var ErrNoPath = errors.New("decode: path not in document")

// Locate returns the node a path such as "requirements[3].when" names, or
// the deepest node on the way when the rest does not exist (a missing key
// is reported at the mapping that lacks it).
func (d *Doc) Locate(path string) (*yaml.Node, bool) {
	n := d.root
	exact := true
	for _, seg := range splitPath(path) {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		next := (*yaml.Node)(nil)
		if seg.index >= 0 {
			if n.Kind == yaml.SequenceNode && seg.index < len(n.Content) {
				next = n.Content[seg.index]
			}
		} else if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg.key {
					next = n.Content[i+1]
					break
				}
			}
		}
		if next == nil {
			exact = false
			break
		}
		n = next
	}
	return n, exact
}

type segment struct {
	key   string
	index int
}

// splitPath splits a path such as a.b[2].c or m["k.1"] into segments; a
// quoted key (as Key writes one) may hold dots and brackets.
func splitPath(p string) []segment {
	var out []segment
	for p != "" {
		switch {
		case p[0] == '.':
			p = p[1:]
		case strings.HasPrefix(p, `["`):
			key, n, ok := quotedKey(p[1:])
			if !ok {
				return out
			}
			out = append(out, segment{key: key, index: -1})
			p = p[1+n:]
			if !strings.HasPrefix(p, "]") {
				return out
			}
			p = p[1:]
		case p[0] == '[':
			num, rest, ok := strings.Cut(p[1:], "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil {
				return out
			}
			out = append(out, segment{index: i})
			p = rest
		default:
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			out = append(out, segment{key: p[:end], index: -1})
			p = p[end:]
		}
	}
	return out
}

// quotedKey reads the Go-quoted string at the start of s, returning it
// and the bytes it took.
func quotedKey(s string) (string, int, bool) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", 0, false
	}
	key, err := strconv.Unquote(q)
	return key, len(q), err == nil
}

// Key returns the path of key k of the mapping at path: path.k, or
// path["k"] when k holds characters a path uses (. [ ] ") or is empty.
func Key(path, k string) string {
	if k == "" || strings.ContainsAny(k, `.[]"`) {
		return path + "[" + strconv.Quote(k) + "]"
	}
	return diag.Join(path, k)
}

// Resolve sets the file, line and column of e from its path. When e points
// inside an expression (ExprLine > 0), the position is that of the
// expression's character in the file, for plain, quoted and block scalars.
func (d *Doc) Resolve(e *diag.Error) {
	if e.Line > 0 && e.File != "" {
		return
	}
	e.File = d.File
	n, exact := d.Locate(e.Path)
	e.Line, e.Column = n.Line, n.Column
	if !exact || e.ExprLine == 0 || n.Kind != yaml.ScalarNode {
		return
	}
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The text starts on the line after the indicator, at the block's
		// indentation.
		line := n.Line + e.ExprLine
		indent := 0
		if n.Line < len(d.lines) {
			// The block's indentation is that of its first line; later
			// lines keep theirs relative to it, inside the expression.
			l := d.lines[n.Line]
			indent = len(l) - len(strings.TrimLeft(l, " "))
		}
		e.Line, e.Column = line, indent+e.ExprColumn
	case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
		if e.ExprLine == 1 {
			e.Column = n.Column + e.ExprColumn
		} else {
			e.Line += e.ExprLine - 1
		}
	default:
		if e.ExprLine == 1 {
			e.Column = n.Column + e.ExprColumn - 1
		} else {
			e.Line += e.ExprLine - 1
		}
	}
}

// KeyPosition is Position for a path as Locate reads it
// ("cases[1].profile.roles[0]", `self_assessment["D.1"]`).
func (d *Doc) KeyPosition(path string) (line, column int, ok bool) {
	segs := splitPath(path)
	keys := make([]any, len(segs))
	for i, s := range segs {
		if s.index >= 0 {
			keys[i] = s.index
		} else {
			keys[i] = s.key
		}
	}
	return d.Position(keys...)
}

// Position returns the line and column of the node that keys name, each a
// mapping key (a string, which may hold dots: "A.1") or a list index (an
// int): the position of the key itself for a mapping entry. When part of
// the path does not exist it returns the position of the deepest node
// that does, and ok is false.
func (d *Doc) Position(keys ...any) (line, column int, ok bool) {
	n := d.root
	line, column = n.Line, n.Column
	for _, k := range keys {
		for n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		var next, at *yaml.Node
		switch k := k.(type) {
		case int:
			if n.Kind == yaml.SequenceNode && k >= 0 && k < len(n.Content) {
				next, at = n.Content[k], n.Content[k]
			}
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						next, at = n.Content[i+1], n.Content[i]
						break
					}
				}
			}
		}
		if next == nil {
			return line, column, false
		}
		n, line, column = next, at.Line, at.Column
	}
	return line, column, true
}
