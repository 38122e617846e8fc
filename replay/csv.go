package replay

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/safe-aeo/engine/internal/rules"
	"github.com/safe-aeo/engine/risk"
)

// A header maps the columns of a CSV input to what they hold.
type header struct {
	cols []column
	sep  byte
}

// A column of a CSV input: a field of the declaration or its operator, a
// declared fact, or (for profiles) a path into the profile.
type column struct {
	name  string
	field field
	fact  string   // for factField
	path  []string // for profileField
	ftype rules.FactType
}

type field uint8

const (
	idField field = iota
	dateField
	officeField
	directionField
	hsCodeField
	originField
	dispatchField
	valueField
	grossMassField
	declarantField
	operatorField
	procedureField
	transportModeField
	opIDField
	opStatusField
	opTypesField
	opGradeField
	opPartnerField
	factField
	profileField
)

// declColumns are the column names of declaration fields, the JSON names
// of risk.Declaration and, prefixed with "operator.", of risk.Operator.
var declColumns = map[string]field{
	"id": idField, "date": dateField, "office": officeField, "direction": directionField,
	"hs_code": hsCodeField, "origin": originField, "dispatch": dispatchField, "value": valueField,
	"gross_mass": grossMassField, "declarant": declarantField, "operator": operatorField,
	"procedure": procedureField, "transport_mode": transportModeField,
	"operator.id": opIDField, "operator.status": opStatusField, "operator.types": opTypesField,
	"operator.grade": opGradeField, "operator.partner": opPartnerField,
}

// declHeader maps a header row of declarations: declaration fields (also
// written declaration.NAME), operator.id, operator.status,
// operator.types (separated by ";"), operator.grade, operator.partner,
// and facts as facts.NAME or, for a fact either programme declares, NAME.
func (r *Replayer) declHeader(names []string, sep byte) (*header, []Problem) {
	h := &header{sep: sep}
	var probs []Problem
	seen := map[string]int{}
	for i, raw := range names {
		name := strings.TrimSpace(raw)
		name = strings.TrimPrefix(name, "declaration.")
		c := column{name: name}
		if f, ok := declColumns[name]; ok {
			c.field = f
		} else if fact, ok := strings.CutPrefix(name, "facts."); ok && fact != "" {
			c.field, c.fact = factField, fact
		} else if _, ok := r.declFacts[name]; ok {
			c.field, c.fact = factField, name
		} else {
			known := make([]string, 0, len(declColumns))
			for k := range declColumns {
				known = append(known, k)
			}
			probs = append(probs, Problem{Column: i + 1, Message: fmt.Sprintf("column %d: %s, nor a fact either programme declares (write facts.NAME)", i+1, unknownKey("", name, sortedStrings(known)))})
			continue
		}
		key := name
		if c.field == factField {
			key = "facts." + c.fact
			c.ftype = r.declFacts[c.fact].typ()
		}
		if prev, dup := seen[key]; dup {
			probs = append(probs, Problem{Column: i + 1, Message: fmt.Sprintf("column %d: %q is column %d already", i+1, name, prev)})
			continue
		}
		seen[key] = i + 1
		h.cols = append(h.cols, c)
	}
	if _, ok := seen["id"]; !ok && len(probs) == 0 {
		probs = append(probs, Problem{Column: 1, Message: "no id column: the random draws and the report name a declaration by it"})
	}
	return h, probs
}

// typ returns the type a fact is read as from text: the old programme's
// when it declares the fact, else the new one's.
func (s factSpec) typ() rules.FactType {
	if s.inOld {
		return s.old
	}
	return s.new
}

// csvDecoder decodes CSV lines, reusing its buffers.
type csvDecoder struct {
	fields []string
	starts []int
	types  []string
	facts  []rawFact
	dates  dateCache
}

// split splits a line into fields.
func (d *csvDecoder) split(h *header, line []byte) *lineError {
	var err *lineError
	d.fields, err = splitFields(line, h.sep, d.fields[:0], &d.starts)
	if err != nil {
		return err
	}
	if len(d.fields) != len(h.cols) {
		return &lineError{col: 1, msg: fmt.Sprintf("%d fields, where the header row has %d", len(d.fields), len(h.cols))}
	}
	return nil
}

// entry decodes one line of declarations into e.
func (d *csvDecoder) entry(h *header, line []byte, e *risk.Entry) *lineError {
	*e = risk.Entry{}
	d.types, d.facts = d.types[:0], d.facts[:0]
	if err := d.split(h, line); err != nil {
		return err
	}
	decl, op := &e.Declaration, &e.Operator
	for i, c := range h.cols {
		v := d.fields[i]
		if v == "" {
			continue
		}
		fail := func(msg string) *lineError {
			return &lineError{col: d.starts[i] + 1, msg: fmt.Sprintf("column %d (%s): %s", i+1, c.name, msg)}
		}
		switch c.field {
		case idField:
			decl.ID = v
		case dateField:
			t, ok := d.dates.parseDate(v)
			if !ok {
				return fail(fmt.Sprintf("want a date such as 2025-03-31, not %q", v))
			}
			decl.Date = t
		case officeField:
			decl.Office = v
		case directionField:
			decl.Direction = v
		case hsCodeField:
			decl.HSCode = v
		case originField:
			decl.Origin = v
		case dispatchField:
			decl.Dispatch = v
		case valueField, grossMassField:
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fail(fmt.Sprintf("want a number, not %q", v))
			}
			if c.field == valueField {
				decl.Value = f
			} else {
				decl.GrossMass = f
			}
		case declarantField:
			decl.Declarant = v
		case operatorField:
			decl.Operator = v
		case procedureField:
			decl.Procedure = v
		case transportModeField:
			decl.TransportMode = v
		case opIDField:
			op.ID = v
		case opStatusField:
			op.Status = v
		case opTypesField:
			for t := range strings.SplitSeq(v, ";") {
				if t = strings.TrimSpace(t); t != "" {
					d.types = append(d.types, t)
				}
			}
			op.Types = d.types
		case opGradeField:
			op.Grade = v
		case opPartnerField:
			op.Partner = v
		case factField:
			d.facts = append(d.facts, rawFact{name: c.fact, value: cellValue(c.ftype, v), col: d.starts[i] + 1})
		}
	}
	if decl.ID == "" {
		return &lineError{col: 1, msg: "the id is empty: the random draws and the report name a declaration by it"}
	}
	return nil
}

// cellValue reads a fact's cell as its declared type would have it in
// JSON; a cell that does not parse is left as text, for the programmes to
// report as mistyped.
func cellValue(t rules.FactType, v string) any {
	switch t {
	case rules.FactInt, rules.FactFloat:
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return f
		}
	case rules.FactBool:
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	case rules.FactStrings:
		var out []any
		for s := range strings.SplitSeq(v, ";") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		if out == nil {
			out = []any{}
		}
		return out
	}
	return v
}

// splitFields splits a CSV line (RFC 4180, one record per line) into
// fields, appended to fields, and their byte offsets into starts. Fields
// are views of line, or of fresh memory when they hold doubled quotes.
func splitFields(line []byte, sep byte, fields []string, starts *[]int) ([]string, *lineError) {
	var st []int
	if starts != nil {
		st = (*starts)[:0]
	}
	i := 0
	for {
		start := i
		var f string
		if i < len(line) && line[i] == '"' {
			i++
			var buf []byte
			from := i
			for {
				k := bytes.IndexByte(line[i:], '"')
				if k < 0 {
					return fields, &lineError{col: start + 1, msg: "a quoted field is not closed (one record per line: a field may not hold a line break)"}
				}
				i += k
				if i+1 < len(line) && line[i+1] == '"' {
					buf = append(buf, line[from:i+1]...)
					i += 2
					from = i
					continue
				}
				break
			}
			if buf != nil {
				f = string(append(buf, line[from:i]...))
			} else {
				f = view(line[from:i])
			}
			i++
			if i < len(line) && line[i] != sep {
				return fields, &lineError{col: i + 1, msg: "text after the closing quote of a field"}
			}
		} else {
			k := bytes.IndexByte(line[i:], sep)
			if k < 0 {
				k = len(line) - i
			}
			f = view(line[i : i+k])
			i += k
		}
		fields = append(fields, strings.TrimSpace(f))
		st = append(st, start)
		if i >= len(line) {
			break
		}
		i++ // the separator
		if i == len(line) {
			fields = append(fields, "")
			st = append(st, i)
			break
		}
	}
	if starts != nil {
		*starts = st
	}
	return fields, nil
}

func sortedStrings(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
