package replay

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/safe-aeo/engine/internal/rules"
)

// A FactNote counts the records carrying a fact that one of the two
// programmes does not declare. That programme reads them without it, as
// if it were absent: its rules that would read it are indeterminate (lane
// rules are skipped, or fire if they say if_missing: fire). This is the
// case impact analysis exists for (a new version that adds a fact, or
// drops one), so it is counted and reported, not treated as an error.
type FactNote struct {
	Fact string `json:"fact"`
	// Programme is "old" or "new": the one that does not declare Fact.
	Programme string `json:"programme"`
	Records   int    `json:"records"`
	// First is where the fact was first met, in input order.
	First Problem `json:"first"`
}

type noteKey struct {
	fact string
	side side
}

// notes are a worker's fact notes.
type notes map[noteKey]*FactNote

func (n notes) add(fact string, s side, at Problem) {
	k := noteKey{fact, s}
	if fn := n[k]; fn != nil {
		fn.Records++
		if comparePos(at, fn.First) < 0 {
			fn.First = at
		}
		return
	}
	fact = strings.Clone(fact) // a view of the line, which will be reused
	n[noteKey{fact, s}] = &FactNote{Fact: fact, Programme: s.String(), Records: 1, First: at}
}

// merge adds o's notes to n.
func (n notes) merge(o notes) {
	for k, fn := range o {
		if mine := n[k]; mine != nil {
			mine.Records += fn.Records
			if comparePos(fn.First, mine.First) < 0 {
				mine.First = fn.First
			}
			continue
		}
		c := *fn
		n[k] = &c
	}
}

// list returns the notes sorted by fact and programme, naming the files
// of their first positions from names.
func (n notes) list(names []string) []FactNote {
	out := make([]FactNote, 0, len(n))
	for _, fn := range n {
		f := *fn
		if f.First.Input < len(names) {
			f.First.File = names[f.First.Input]
		}
		out = append(out, f)
	}
	slices.SortFunc(out, compareNotes)
	return out
}

func compareNotes(a, b FactNote) int {
	return cmp.Or(cmp.Compare(a.Fact, b.Fact), cmp.Compare(a.Programme, b.Programme))
}

// mergeNotes merges two sorted lists of notes.
func mergeNotes(a, b []FactNote) []FactNote {
	n := notes{}
	for _, l := range [][]FactNote{a, b} {
		for _, fn := range l {
			c := fn
			n.merge(notes{{c.Fact, sideOf(c.Programme)}: &c})
		}
	}
	return n.list(nil)
}

func sideOf(s string) side {
	if s == "new" {
		return newSide
	}
	return oldSide
}

// splitFacts checks the facts of one record against both programmes'
// declarations and fills each programme's view: a fact a programme does
// not declare is left out of its view (and noted), one of the wrong type
// is left out and reported as a problem, one neither declares is a
// problem. oldOut and newOut are cleared first.
func splitFacts(specs map[string]factSpec, facts []rawFact, oldOut, newOut map[string]any,
	at Problem, n notes, problems *[]Problem) {
	clear(oldOut)
	clear(newOut)
	for _, f := range facts {
		spec, ok := specs[f.name]
		pos := at
		if f.line > 0 {
			pos.Line = f.line
		}
		if f.col > 0 {
			pos.Column = f.col
		}
		if !ok {
			pos.Message = fmt.Sprintf("fact %q is declared by neither programme; left out", f.name)
			*problems = append(*problems, pos)
			continue
		}
		if f.value == nil {
			continue
		}
		for _, s := range []side{oldSide, newSide} {
			declared, t, out := spec.inOld, spec.old, oldOut
			if s == newSide {
				declared, t, out = spec.inNew, spec.new, newOut
			}
			if !declared {
				n.add(f.name, s, pos)
				continue
			}
			v, err := rules.ConvertFact(t, f.value)
			if err != nil {
				pos.Message = fmt.Sprintf("fact %q: %v; %s declares it %s, so reads it as absent (its rules that read it are indeterminate)", f.name, err, s, t)
				*problems = append(*problems, pos)
				continue
			}
			out[f.name] = v
		}
	}
}
