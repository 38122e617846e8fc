package replay

import (
	"github.com/safe-aeo/engine/internal/suggest"
	"github.com/safe-aeo/engine/risk"
)

// declDecoder decodes declaration entries, one line at a time, without
// allocating: the strings of the entry it fills are views of the line,
// valid until the line's block is reused, and its Types and facts are the
// decoder's own slices, reused from line to line.
type declDecoder struct {
	scratch []byte
	types   []string
	facts   []rawFact
	dates   dateCache
}

// A rawFact is a declared fact as read, before it is checked against
// either programme.
type rawFact struct {
	name  string
	value any
	line  int // where the fact is, when not on the record's first line
	col   int
}

// The keys of an entry line, the JSON names of risk.Entry, Declaration
// and Operator.
var (
	entryKeys       = []string{"declaration", "operator"}
	declarationKeys = []string{"id", "date", "office", "direction", "hs_code", "origin", "dispatch", "value",
		"gross_mass", "declarant", "operator", "procedure", "transport_mode", "facts"}
	operatorKeys = []string{"id", "status", "types", "grade", "partner"}

	// The keys as they appear in a line, quoted and followed by a colon.
	declarationQuoted = quoteKeys(declarationKeys)
	operatorQuoted    = quoteKeys(operatorKeys)
)

func quoteKeys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = `"` + k + `":`
	}
	return out
}

// decode reads one JSON line, {"declaration": {...}, "operator": {...}},
// into e, which it resets first.
func (d *declDecoder) decode(line []byte, e *risk.Entry) *lineError {
	*e = risk.Entry{}
	d.scratch, d.types, d.facts = d.scratch[:0], d.types[:0], d.facts[:0]
	s := scan{b: line, scratch: &d.scratch}
	var seen uint8
	for more := s.enter("the line"); more; more = s.more("the line") {
		var key string
		at := s.i
		switch {
		case s.expectKey(`"declaration":`):
			key = "declaration"
		case s.expectKey(`"operator":`):
			key = "operator"
		default:
			var ok bool
			if key, at, ok = s.key("the line"); !ok {
				break
			}
		}
		if s.err != nil {
			break
		}
		switch key {
		case "declaration":
			if seen&1 != 0 {
				s.failAt(at, `"declaration" is given twice`)
				break
			}
			seen |= 1
			d.declaration(&s, &e.Declaration)
		case "operator":
			if seen&2 != 0 {
				s.failAt(at, `"operator" is given twice`)
				break
			}
			seen |= 2
			if !s.null() {
				d.operator(&s, &e.Operator)
			}
		default:
			s.failAt(at, unknownKey("", key, entryKeys))
		}
	}
	if s.err != nil {
		return s.err
	}
	if s.ws(); s.i < len(s.b) {
		s.fail("unexpected text after the object: " + s.token())
		return s.err
	}
	if seen&1 == 0 {
		return &lineError{col: 1, msg: `no "declaration": want {"declaration": {...}, "operator": {...}}`}
	}
	if e.Declaration.ID == "" {
		return &lineError{col: 1, msg: "declaration.id is required: the random draws and the report name a declaration by it"}
	}
	return nil
}

// declarationKey returns the position of a declaration key in
// declarationKeys, or -1.
func declarationKey(key string) int {
	switch key {
	case "id":
		return 0
	case "date":
		return 1
	case "office":
		return 2
	case "direction":
		return 3
	case "hs_code":
		return 4
	case "origin":
		return 5
	case "dispatch":
		return 6
	case "value":
		return 7
	case "gross_mass":
		return 8
	case "declarant":
		return 9
	case "operator":
		return 10
	case "procedure":
		return 11
	case "transport_mode":
		return 12
	case "facts":
		return 13
	}
	return -1
}

func (d *declDecoder) declaration(s *scan, decl *risk.Declaration) {
	var seen uint16
	expect := 0
	for more := s.enter("declaration"); more; more = s.more("declaration") {
		var key string
		var at, k int
		// A file comes from one encoder, which writes the keys in one
		// order: try the key that followed the last one before scanning.
		if at, k = s.i, expect; s.expectKey(declarationQuoted[expect]) {
			key = declarationKeys[k]
		} else {
			var ok bool
			if key, at, ok = s.key("declaration"); !ok {
				return
			}
			k = declarationKey(key)
		}
		expect = (k + 1) % len(declarationKeys)
		if k < 0 {
			s.failAt(at, unknownKey("declaration.", key, declarationKeys))
			return
		}
		if seen&(1<<k) != 0 {
			s.failAt(at, "declaration."+key+" is given twice")
			return
		}
		seen |= 1 << k
		switch k {
		case 0:
			decl.ID = stringField(s, "declaration.", key)
		case 1:
			at := s.i
			if v := stringField(s, "declaration.", key); v != "" && s.err == nil {
				t, ok := d.dates.parseDate(v)
				if !ok {
					s.failAt(at, `declaration.date: want a date such as "2025-03-31", not `+quote(v))
				}
				decl.Date = t
			}
		case 2:
			decl.Office = stringField(s, "declaration.", key)
		case 3:
			decl.Direction = stringField(s, "declaration.", key)
		case 4:
			decl.HSCode = stringField(s, "declaration.", key)
		case 5:
			decl.Origin = stringField(s, "declaration.", key)
		case 6:
			decl.Dispatch = stringField(s, "declaration.", key)
		case 7:
			decl.Value = numberField(s, "declaration.", key)
		case 8:
			decl.GrossMass = numberField(s, "declaration.", key)
		case 9:
			decl.Declarant = stringField(s, "declaration.", key)
		case 10:
			decl.Operator = stringField(s, "declaration.", key)
		case 11:
			decl.Procedure = stringField(s, "declaration.", key)
		case 12:
			decl.TransportMode = stringField(s, "declaration.", key)
		case 13:
			d.readFacts(s)
		}
	}
}

func (d *declDecoder) operator(s *scan, op *risk.Operator) {
	var seen uint8
	expect := 0
	for more := s.enter("operator"); more; more = s.more("operator") {
		var key string
		var at, k int
		if at, k = s.i, expect; s.expectKey(operatorQuoted[expect]) {
			key = operatorKeys[k]
		} else {
			var ok bool
			if key, at, ok = s.key("operator"); !ok {
				return
			}
			k = index(operatorKeys, key)
		}
		expect = (k + 1) % len(operatorKeys)
		if k < 0 {
			s.failAt(at, unknownKey("operator.", key, operatorKeys))
			return
		}
		if seen&(1<<k) != 0 {
			s.failAt(at, "operator."+key+" is given twice")
			return
		}
		seen |= 1 << k
		switch key {
		case "id":
			op.ID = stringField(s, "operator.", key)
		case "status":
			op.Status = stringField(s, "operator.", key)
		case "grade":
			op.Grade = stringField(s, "operator.", key)
		case "partner":
			op.Partner = stringField(s, "operator.", key)
		case "types":
			if s.null() {
				continue
			}
			s.list("operator.types", func() {
				if s.peek() != '"' {
					s.fail("operator.types: want a list of strings, not " + s.token())
					return
				}
				d.types = append(d.types, s.str())
			})
			op.Types = d.types
		}
	}
}

// readFacts reads declaration.facts: names and values (a string, number,
// true or false, or a list of them), checked against the programmes
// later.
func (d *declDecoder) readFacts(s *scan) {
	if s.null() {
		return
	}
	s.object("declaration.facts", func(key string, at int) {
		for _, f := range d.facts {
			if f.name == key {
				s.failAt(at, "declaration.facts."+key+" is given twice")
				return
			}
		}
		v := scalarOrList(s, "declaration.facts."+key)
		d.facts = append(d.facts, rawFact{name: key, value: v, col: at + 1})
	})
}

// scalarOrList reads a fact's value as a Go value: string, float64, bool,
// nil, or []any of those.
func scalarOrList(s *scan, what string) any {
	switch c := s.peek(); {
	case c == '"':
		return s.str()
	case c == '[':
		var out []any
		s.list(what, func() {
			if s.peek() == '[' || s.peek() == '{' {
				s.fail(what + ": want a list of single values, not " + s.token())
				return
			}
			out = append(out, scalarOrList(s, what))
		})
		if out == nil {
			out = []any{}
		}
		return out
	case c == '{':
		s.fail(what + ": want a single value or a list, not an object")
		return nil
	case c == 't' || c == 'f' || c == 'n':
		v, ok := s.literal()
		if !ok {
			s.fail(what + ": want a value, not " + s.token())
		}
		return v
	}
	f, ok := s.number()
	if !ok {
		s.fail(what + ": want a value, not " + s.token())
	}
	return f
}

// stringField reads a string or null, the value of prefix+key.
func stringField(s *scan, prefix, key string) string {
	switch s.peek() {
	case '"':
		return s.str()
	case 'n':
		if s.null() {
			return ""
		}
	}
	s.fail(prefix + key + ": want a string, not " + s.token())
	return ""
}

// numberField reads a number or null, the value of prefix+key.
func numberField(s *scan, prefix, key string) float64 {
	if s.null() {
		return 0
	}
	at := s.i
	f, ok := s.number()
	if !ok {
		s.i = at
		s.fail(prefix + key + ": want a number, not " + s.token())
	}
	return f
}

func index(keys []string, key string) int {
	for i, k := range keys {
		if k == key {
			return i
		}
	}
	return -1
}

// unknownKey describes an unknown key, with the closest known one.
func unknownKey(prefix, key string, known []string) string {
	msg := "unknown field " + quote(prefix+key)
	if s := closest(key, known); s != "" {
		return msg + " (did you mean " + quote(prefix+s) + "?)"
	}
	return msg
}

func quote(s string) string { return string(appendJSONString(nil, s)) }

// closest returns the known name nearest to s, if one is near.
func closest(s string, known []string) string {
	best, bestD := "", 3
	if len(s) > 64 {
		return ""
	}
	for _, k := range known {
		if d := suggest.Distance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}
