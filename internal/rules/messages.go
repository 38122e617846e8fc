package rules

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/safe-aeo/engine/internal/suggest"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
)

// This file restates expr's compiler messages in the terms of the files a
// rule author writes: keys of the YAML profile ("compliance has no field
// infringments"), not Go types ("type aeo.Compliance has no field
// infringments"); kinds of value (a number, a date, a list), not float64,
// time.Time or []interface {}; and with the name the author probably meant.

// inAuthorTerms returns e with its message in a rule author's terms.
func (m *Model) inAuthorTerms(e *Error) *Error {
	e.Message = m.authorTerms(e.Message)
	return e
}

// authorTerms rewrites a compiler message of an expression checked against
// m.
func (m *Model) authorTerms(msg string) string {
	for _, r := range messageRewrites {
		if sub := r.re.FindStringSubmatch(msg); sub != nil {
			return r.fn(m, sub)
		}
	}
	return msg
}

type rewrite struct {
	re *regexp.Regexp
	fn func(m *Model, sub []string) string
}

var messageRewrites = []rewrite{
	{regexp.MustCompile(`^type (\S+) has no field (\S+)$`), func(m *Model, sub []string) string {
		t := m.lookupType(sub[1])
		return fmt.Sprintf("%s has no field %q%s", m.recordName(sub[1], t), sub[2], quoted(suggestName(sub[2], fieldNames(t))))
	}},
	{regexp.MustCompile(`^type (\S+) has no method (\S+)$`), func(m *Model, sub []string) string {
		t := m.lookupType(sub[1])
		return fmt.Sprintf("%s has no field or function %q%s", m.recordName(sub[1], t), sub[2], quoted(suggestName(sub[2], fieldNames(t))))
	}},
	{regexp.MustCompile(`^unknown name (\S+)$`), func(m *Model, sub []string) string {
		name := sub[1]
		switch name {
		case "now", "today", "time":
			return fmt.Sprintf("unknown name %s: rules never read the clock; use as_of, the date of the assessment (years_since(d), days_since(d) and within(d, \"3y\") count from it)", name)
		}
		return "unknown name " + name + suggestName(name, m.names())
	}},
	{regexp.MustCompile(`^unknown fact "([^"]*)": (.*)$`), func(m *Model, sub []string) string {
		facts := make([]string, 0, len(m.facts))
		for f := range m.facts {
			facts = append(facts, f)
		}
		if s := suggestName(sub[1], facts); s != "" {
			best := strings.TrimSuffix(strings.TrimPrefix(s, "; did you mean "), "?")
			return fmt.Sprintf("unknown fact %q: did you mean facts.%s? Otherwise %s", sub[1], best, sub[2])
		}
		return sub[0]
	}},
	{regexp.MustCompile(`^invalid operation: (\S+) \(mismatched types (.+) and (.+)\)$`), func(m *Model, sub []string) string {
		return fmt.Sprintf("cannot apply %s to %s and %s", sub[1], m.typeTerm(sub[2]), m.typeTerm(sub[3]))
	}},
	{regexp.MustCompile(`^invalid operation: (\S+) \(mismatched type (.+)\)$`), func(m *Model, sub []string) string {
		return fmt.Sprintf("cannot apply %s to %s", sub[1], m.typeTerm(sub[2]))
	}},
	{regexp.MustCompile(`^cannot use (.+) as argument \(type (.+)\) to call (\S+)\s*$`), func(m *Model, sub []string) string {
		return fmt.Sprintf("%s wants %s here, not %s", sub[3], m.typeTerm(sub[2]), m.typeTerm(sub[1]))
	}},
	{regexp.MustCompile(`^builtin (\S+) takes only array \(got (.+)\)$`), func(m *Model, sub []string) string {
		return fmt.Sprintf("%s takes a list, not %s", sub[1], m.typeTerm(sub[2]))
	}},
	{regexp.MustCompile(`^predicate should return boolean \(got (.+)\)$`), func(m *Model, sub []string) string {
		return fmt.Sprintf("the condition inside must be true or false, not %s", m.typeTerm(sub[1]))
	}},
	{regexp.MustCompile(`^type (\S+) does not support indexing$`), func(m *Model, sub []string) string {
		return fmt.Sprintf("%s cannot be indexed with [ ]", m.typeTerm(sub[1]))
	}},
	{regexp.MustCompile(`^cannot use (.+) to get an element from (.+)$`), func(m *Model, sub []string) string {
		return fmt.Sprintf("cannot use %s to get an element from %s", m.typeTerm(sub[1]), m.typeTerm(sub[2]))
	}},
}

// typePaths maps each record type an expression can reach to the path an
// author writes to reach it: "compliance", "financials[]" (an element of
// financials). The shortest path wins when there are several.
func (m *Model) typePaths() map[reflect.Type]string {
	out := map[reflect.Type]string{}
	type item struct {
		t    reflect.Type
		path string
	}
	queue := []item{{m.env.Elem(), ""}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		t := it.t
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
				it.path += "[]"
			} else if t.Kind() == reflect.Map {
				it.path += "[key]"
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == reflect.TypeOf(time.Time{}) {
			continue
		}
		if _, seen := out[t]; seen {
			continue
		}
		out[t] = it.path
		for _, f := range exprFields(t) {
			p := f.name
			if it.path != "" {
				p = it.path + "." + f.name
			}
			queue = append(queue, item{f.t, p})
		}
	}
	return out
}

type exprField struct {
	name string
	t    reflect.Type
}

// exprFields lists the fields expressions read on struct type t, under
// their expr tags, with embedded structs flattened as expr does.
func exprFields(t reflect.Type) []exprField {
	var out []exprField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("expr")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" {
			// An embedded struct's fields are promoted, even when the
			// embedded type itself is unexported.
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, exprFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		name := tag
		if name == "" {
			name = f.Name
		}
		out = append(out, exprField{name, f.Type})
	}
	return out
}

// lookupType returns the record type whose Go name is name ("aeo.Compliance",
// "*aeo.Compliance"), or nil.
func (m *Model) lookupType(name string) reflect.Type {
	name = strings.TrimPrefix(name, "*")
	for t := range m.typePaths() {
		if t.String() == name {
			return t
		}
	}
	return nil
}

// recordName names a record type by its path: "compliance", "each element
// of financials".
func (m *Model) recordName(goName string, t reflect.Type) string {
	if t == nil {
		return "this value"
	}
	p := m.typePaths()[t]
	switch {
	case p == "":
		return "the profile"
	case strings.HasSuffix(p, "[]"):
		return "each element of " + strings.TrimSuffix(p, "[]")
	case strings.HasSuffix(p, "[key]"):
		return "each value of " + strings.TrimSuffix(p, "[key]")
	}
	return p
}

func fieldNames(t reflect.Type) []string {
	if t == nil {
		return nil
	}
	var out []string
	for _, f := range exprFields(t) {
		out = append(out, f.name)
	}
	return out
}

// typeTerm names a Go type as a kind of value.
func (m *Model) typeTerm(goType string) string {
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(goType), "*"))
	switch t {
	case "bool":
		return "true or false"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "time.Time":
		return "a date"
	case "time.Duration":
		return "a duration"
	case "interface {}", "interface{}", "unknown":
		return "a value of unknown type"
	case "nil", "<nil>":
		return "nil"
	}
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case strings.HasPrefix(t, "func("):
		return "a function"
	}
	if rt := m.lookupType(t); rt != nil {
		if p := m.typePaths()[rt]; p != "" {
			return "a record (" + m.recordName(t, rt) + ")"
		}
		return "a record"
	}
	return "a record"
}

// names lists what an expression may name at its top level: the
// environment's fields, the functions, expr's builtins and facts.
func (m *Model) names() []string {
	var out []string
	for _, f := range exprFields(m.env.Elem()) {
		out = append(out, f.name)
	}
	for _, f := range m.funcs {
		out = append(out, f.Name)
	}
	for _, f := range shorthandDocs {
		out = append(out, f.Name)
	}
	out = append(out, builtin.Names...)
	if len(m.facts) > 0 {
		out = append(out, "facts")
	}
	return out
}

// suggestName proposes the candidate closest to name, as "; did you mean
// x?", when one is close enough to be a typo of it.
func suggestName(name string, candidates []string) string {
	best, bestD := "", 3
	if len(name) <= 4 {
		bestD = 2
	}
	sort.Strings(candidates)
	for _, c := range candidates {
		if c == name || strings.HasPrefix(c, "fact_") || c == "within_period" {
			continue
		}
		if d := suggest.Distance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", best)
}

// quoted turns "; did you mean x?" into "; did you mean "x"?", for a
// message that quotes the name it corrects.
func quoted(suggestion string) string {
	name, ok := strings.CutPrefix(suggestion, "; did you mean ")
	if !ok {
		return suggestion
	}
	return fmt.Sprintf("; did you mean %q?", strings.TrimSuffix(name, "?"))
}

// recheckCalls makes the checker look again inside every call. expr keeps
// the type a call had on a first pass and then skips its arguments, so a
// problem inside them found before the patcher ran ("unknown name now" in
// years_between(established, now())) would be lost, and the expression
// accepted, to fail on every evaluation. Clearing the types of calls after
// patching has the final pass check every argument. It is a repeatable
// visitor, as expr calls them, so that it runs after every other patcher
// and the type-check before it.
type recheckCalls struct{}

func (recheckCalls) Reset()             {}
func (recheckCalls) ShouldRepeat() bool { return false }

func (recheckCalls) Visit(n *ast.Node) {
	if c, ok := (*n).(*ast.CallNode); ok {
		c.SetType(nil)
	}
}
