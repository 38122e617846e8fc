package replay

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
)

// Operators assesses a host's own profiles (the register of operators)
// under both programmes as of asOf and reports the outcomes that change.
// profiles is consumed on the calling goroutine; the profiles it yields
// are read by workers later, so it must not change them. Records are
// numbered from 1 in problems.
func (r *Replayer) Operators(ctx context.Context, profiles iter.Seq[*aeo.Profile], asOf time.Time) (*OperatorReport, error) {
	return r.operators(ctx, nil, asOf, func(p *pipe) {
		produceSeq(p, profiles, func(j *job, prof *aeo.Profile) { j.profiles = append(j.profiles, prof) })
	})
}

// OperatorFiles assesses the profiles of inputs (JSON Lines, CSV, or one
// YAML or JSON profile per document) under both programmes as of asOf,
// streaming, and reports the outcomes that change.
func (r *Replayer) OperatorFiles(ctx context.Context, inputs []Input, asOf time.Time) (*OperatorReport, error) {
	return r.operators(ctx, inputs, asOf, func(p *pipe) {
		p.header = r.profileHeader
		p.produceInputs()
	})
}

func (r *Replayer) operators(ctx context.Context, inputs []Input, asOf time.Time, produce func(*pipe)) (*OperatorReport, error) {
	c, ws, err := r.run(ctx, inputs, produce, func() worker {
		return &operatorWorker{r: r, asOf: asOf, transitions: map[Change]int{}, notes: notes{},
			oldFacts: map[string]any{}, newFacts: map[string]any{}, seen: map[string]string{}}
	})
	if err != nil {
		return nil, err
	}
	w := ws[0].(*operatorWorker)
	for _, o := range ws[1:] {
		o := o.(*operatorWorker)
		for k, n := range o.transitions {
			w.transitions[k] += n
		}
		w.changed += o.changed
		w.notes.merge(o.notes)
	}
	rep := &OperatorReport{
		AsOf: asOf, Records: c.records, Replayed: c.replayed, Skipped: c.skipped, Problems: c.problems,
		Changed: w.changed, Facts: w.notes.list(names(inputs)), Operators: c.operators, Listed: c.listed, ListLimit: r.o.listed,
	}
	for _, in := range inputs {
		rep.Inputs = append(rep.Inputs, in.Name)
	}
	for k, n := range w.transitions {
		rep.Outcomes = append(rep.Outcomes, OutcomeChange{Kind: k.Kind, ID: k.ID, Old: k.Old, New: k.New, Operators: n})
	}
	rep.finish()
	return rep, nil
}

// An OperatorReport is what assessing the register under two versions of
// a programme shows: how many operators see an outcome change, each
// change of outcome with how many operators it concerns, and the first
// operators concerned.
type OperatorReport struct {
	Inputs []string  `json:"inputs,omitempty"`
	AsOf   time.Time `json:"as_of"`
	// Records counts the profiles met, bad ones included; Replayed those
	// assessed under both versions; Skipped the bad ones; Problems every
	// problem found.
	Records  int `json:"records"`
	Replayed int `json:"replayed"`
	Skipped  int `json:"skipped"`
	Problems int `json:"problems"`
	// Changed counts the operators with at least one outcome changing.
	Changed int `json:"changed"`
	// Outcomes counts the operators whose outcome of a requirement,
	// criterion or authorization goes from Old to New.
	Outcomes []OutcomeChange `json:"outcomes"`
	// Facts counts the profiles carrying facts that one version does not
	// declare: that version assesses them without the fact.
	Facts []FactNote `json:"facts,omitempty"`
	// Operators are the first operators whose outcomes change, in input
	// order, at most ListLimit; Listed the first problems.
	Operators []OperatorChange `json:"operators"`
	Listed    []Problem        `json:"listed_problems,omitempty"`
	ListLimit int              `json:"list_limit"`
}

// An OutcomeChange counts the operators whose outcome of one requirement,
// criterion or authorization goes from Old to New.
type OutcomeChange struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Old       string `json:"old"`
	New       string `json:"new"`
	Operators int    `json:"operators"`
}

// A Change is one outcome that differs for one operator. Kind is
// requirement, criterion or authorization; an ID only one version has is
// "absent" in the other.
type Change struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// An OperatorChange is an operator whose outcomes change, where its
// profile was read.
type OperatorChange struct {
	Input    int      `json:"input"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line"`
	Operator string   `json:"operator"`
	Name     string   `json:"name,omitempty"`
	Changes  []Change `json:"changes"`
}

var kindOrder = map[string]int{"authorization": 0, "criterion": 1, "requirement": 2}

// finish sorts what a replay or a merge gathered: authorizations first,
// the most common changes first within each kind.
func (o *OperatorReport) finish() {
	slices.SortFunc(o.Outcomes, func(a, b OutcomeChange) int {
		return cmp.Or(cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]), cmp.Compare(b.Operators, a.Operators),
			cmp.Compare(a.ID, b.ID), cmp.Compare(a.Old, b.Old), cmp.Compare(a.New, b.New))
	})
	if o.Outcomes == nil {
		o.Outcomes = []OutcomeChange{}
	}
	if o.Operators == nil {
		o.Operators = []OperatorChange{}
	}
}

// operatorWorker decodes profiles and assesses them under both versions.
type operatorWorker struct {
	r                  *Replayer
	asOf               time.Time
	a, b               aeo.Assessment
	transitions        map[Change]int
	changed            int
	notes              notes
	oldFacts, newFacts map[string]any
	raw                []rawFact
	seen               map[string]string
	changes            []Change
	csv                csvDecoder
}

func (w *operatorWorker) process(ctx context.Context, j *job) {
	name := func() string {
		if j.input < len(j.names) {
			return j.names[j.input]
		}
		return ""
	}
	switch {
	case j.doc:
		j.records++
		var p aeo.Profile
		doc, err := decode.DecodeInto(name(), j.data, &p)
		if err != nil {
			j.problems = append(j.problems, docProblem(j, err)...)
			return
		}
		w.replay(ctx, j, &p, 1, func(path string) (int, int) {
			n, _ := doc.Locate(path)
			return n.Line, n.Column
		})
	case j.data != nil:
		eachLine(w.r, j, func(line int, text []byte) {
			var p aeo.Profile
			var doc *decode.Doc
			var err error
			if j.csv != nil {
				err = w.csvProfile(j.csv, name(), text, &p)
			} else {
				doc, err = decode.DecodeInto(name(), text, &p)
			}
			if err != nil {
				for _, pr := range docProblem(j, err) {
					pr.Line = line
					j.problems = append(j.problems, pr)
				}
				return
			}
			w.replay(ctx, j, &p, line, func(path string) (int, int) {
				if doc == nil {
					return line, 0
				}
				n, _ := doc.Locate(path)
				return line, n.Column
			})
		})
	default:
		for i, p := range j.profiles {
			j.records++
			if p == nil {
				j.problems = append(j.problems, Problem{Input: j.input, Line: j.lines[i], Message: "no profile (nil)", Skipped: true})
				continue
			}
			w.replay(ctx, j, p, j.lines[i], nil)
		}
	}
}

// replay assesses p under both versions. locate finds the line and column
// of a path in the profile's source, when known.
func (w *operatorWorker) replay(ctx context.Context, j *job, p *aeo.Profile, line int, locate func(string) (int, int)) {
	w.raw = w.raw[:0]
	for _, k := range slices.Sorted(maps.Keys(p.Facts)) {
		rf := rawFact{name: k, value: p.Facts[k]}
		if locate != nil {
			rf.line, rf.col = locate("facts." + k)
		}
		w.raw = append(w.raw, rf)
	}
	at := Problem{Input: j.input, Line: line}
	splitFacts(w.r.profFacts, w.raw, w.oldFacts, w.newFacts, at, w.notes, &j.problems)
	po, pn := *p, *p
	po.Facts, pn.Facts = w.oldFacts, w.newFacts
	if err := w.r.old.AssessInto(ctx, &po, w.asOf, &w.a); err != nil {
		j.problems = append(j.problems, Problem{Input: j.input, Line: line, Skipped: true, Message: "old: " + err.Error()})
		return
	}
	if err := w.r.new.AssessInto(ctx, &pn, w.asOf, &w.b); err != nil {
		j.problems = append(j.problems, Problem{Input: j.input, Line: line, Skipped: true, Message: "new: " + err.Error()})
		return
	}
	j.replayed++
	w.changes = w.diff(w.changes[:0])
	if len(w.changes) == 0 {
		return
	}
	w.changed++
	for _, c := range w.changes {
		w.transitions[c]++
	}
	id := p.OperatorID
	if id == "" {
		id = p.Name
	}
	oc := OperatorChange{Input: j.input, Line: line, Operator: id, Name: p.Name, Changes: slices.Clone(w.changes)}
	if j.input < len(j.names) {
		oc.File = j.names[j.input]
	}
	j.operators = append(j.operators, oc)
	if w.r.o.changes != nil {
		b, err := json.Marshal(struct {
			Kind string `json:"kind"`
			OperatorChange
		}{"operator", oc})
		if err == nil {
			j.out = append(append(j.out, b...), '\n')
		}
	}
}

// diff lists the outcomes that differ between w.a and w.b:
// authorizations, criteria, then requirements, each in the old version's
// order and then the new one's.
func (w *operatorWorker) diff(out []Change) []Change {
	type pair struct{ id, outcome string }
	var olds, news []pair
	add := func(kind string) {
		clear(w.seen)
		for _, p := range news {
			w.seen[p.id] = p.outcome
		}
		for _, p := range olds {
			n, ok := w.seen[p.id]
			if !ok {
				n = "absent"
			}
			if n != p.outcome {
				out = append(out, Change{Kind: kind, ID: p.id, Old: p.outcome, New: n})
			}
			w.seen[p.id] = "\x00" // matched
		}
		for _, p := range news {
			if w.seen[p.id] != "\x00" {
				out = append(out, Change{Kind: kind, ID: p.id, Old: "absent", New: p.outcome})
			}
		}
	}
	for _, au := range w.a.Authorizations {
		olds = append(olds, pair{au.ID, recommendation(au.Recommendation.String(), au.Grade)})
	}
	for _, au := range w.b.Authorizations {
		news = append(news, pair{au.ID, recommendation(au.Recommendation.String(), au.Grade)})
	}
	add("authorization")
	olds, news = olds[:0], news[:0]
	for _, c := range w.a.Criteria {
		olds = append(olds, pair{c.ID, c.Outcome.String()})
	}
	for _, c := range w.b.Criteria {
		news = append(news, pair{c.ID, c.Outcome.String()})
	}
	add("criterion")
	olds, news = olds[:0], news[:0]
	for _, f := range w.a.Findings {
		olds = append(olds, pair{f.Requirement, f.Outcome.String()})
	}
	for _, f := range w.b.Findings {
		news = append(news, pair{f.Requirement, f.Outcome.String()})
	}
	add("requirement")
	return out
}

func recommendation(r, grade string) string {
	if grade != "" {
		return r + " " + grade
	}
	return r
}

// profileKeys are the top-level keys of a profile, with whether each is
// a list of strings (written "a;b" in a CSV cell).
var profileKeys = func() map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeFor[aeo.Profile]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || name == "facts" {
			continue
		}
		out[name] = f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String
	}
	return out
}()

// profileHeader maps a header row of profiles: profile keys (operator_id,
// name, roles, employees...), dotted paths into them
// (records.accounting_system), facts as facts.NAME or, for a fact either
// programme declares, NAME.
func (r *Replayer) profileHeader(names []string, sep byte) (*header, []Problem) {
	h := &header{sep: sep}
	var probs []Problem
	seen := map[string]int{}
	for i, raw := range names {
		name := strings.TrimSpace(raw)
		c := column{name: name, field: profileField, path: strings.Split(name, ".")}
		switch _, known := profileKeys[c.path[0]]; {
		case c.path[0] == "facts" && len(c.path) == 2 && c.path[1] != "":
			c.field, c.fact = factField, c.path[1]
		case known:
		case len(c.path) == 1 && r.profFacts[name] != (factSpec{}):
			c.field, c.fact = factField, name
		default:
			probs = append(probs, Problem{Column: i + 1, Message: fmt.Sprintf("column %d: %s, nor a fact either programme declares (write facts.NAME)",
				i+1, unknownKey("", name, sortedStrings(slices.Collect(maps.Keys(profileKeys)))))})
			continue
		}
		key := name
		if c.field == factField {
			key = "facts." + c.fact
			c.ftype = r.profFacts[c.fact].typ()
		}
		if prev, dup := seen[key]; dup {
			probs = append(probs, Problem{Column: i + 1, Message: fmt.Sprintf("column %d: %q is column %d already", i+1, name, prev)})
			continue
		}
		seen[key] = i + 1
		h.cols = append(h.cols, c)
	}
	return h, probs
}

// csvProfile decodes one CSV line of profiles: the cells become a mapping
// decoded as strictly as a profile file.
func (w *operatorWorker) csvProfile(h *header, name string, line []byte, p *aeo.Profile) error {
	if err := w.csv.split(h, line); err != nil {
		return diag.List{{Column: err.col, Message: err.msg}}
	}
	m := map[string]any{}
	var probs diag.List
	for i, c := range h.cols {
		v := w.csv.fields[i]
		if v == "" {
			continue
		}
		if c.field == factField {
			facts, _ := m["facts"].(map[string]any)
			if facts == nil {
				facts = map[string]any{}
				m["facts"] = facts
			}
			facts[c.fact] = cellValue(c.ftype, v)
			continue
		}
		var val any = v
		switch {
		case v[0] == '[' || v[0] == '{':
			if err := yaml.Unmarshal([]byte(v), &val); err != nil {
				probs = append(probs, &diag.Error{Column: w.csv.starts[i] + 1, Message: fmt.Sprintf("column %d (%s): %v", i+1, c.name, err)})
				continue
			}
		case v == "true" || v == "false":
			val = v == "true"
		case len(c.path) == 1 && profileKeys[c.name]:
			var list []any
			for s := range strings.SplitSeq(v, ";") {
				if s = strings.TrimSpace(s); s != "" {
					list = append(list, s)
				}
			}
			val = list
		}
		if !setPath(m, c.path, val) {
			probs = append(probs, &diag.Error{Column: w.csv.starts[i] + 1, Message: fmt.Sprintf("column %d (%s): conflicts with another column", i+1, c.name)})
		}
	}
	if len(probs) > 0 {
		return probs
	}
	b, err := yaml.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := decode.DecodeInto(name, b, p); err != nil {
		var list diag.List
		if errors.As(err, &list) {
			for _, e := range list {
				e.Line = 0
				for i, c := range h.cols {
					if e.Path == c.name || strings.HasPrefix(e.Path, c.name+".") || strings.HasPrefix(e.Path, c.name+"[") {
						e.Column = w.csv.starts[i] + 1
						e.Message = fmt.Sprintf("column %d (%s): %s", i+1, c.name, e.Message)
						e.Path = ""
						break
					}
				}
			}
		}
		return err
	}
	return nil
}

// setPath sets m[path[0]][path[1]]... to v, reporting false when a
// value is already there.
func setPath(m map[string]any, path []string, v any) bool {
	for _, k := range path[:len(path)-1] {
		next, ok := m[k]
		if !ok {
			nm := map[string]any{}
			m[k] = nm
			m = nm
			continue
		}
		nm, ok := next.(map[string]any)
		if !ok {
			return false
		}
		m = nm
	}
	last := path[len(path)-1]
	if _, ok := m[last]; ok {
		return false
	}
	m[last] = v
	return true
}
