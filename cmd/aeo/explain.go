package main

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/criteria"
)

// explained is one finding behind a failing case: the requirement, its
// outcome, its rule and the values the rule read.
type explained struct {
	Requirement string            `json:"requirement"`
	Title       string            `json:"title"`
	Outcome     string            `json:"outcome"`
	When        string            `json:"when,omitempty"`
	Read        map[string]string `json:"read,omitempty"`
	Missing     []string          `json:"missing,omitempty"`
	Failed      []string          `json:"failed,omitempty"`
	Reason      string            `json:"reason,omitempty"`
	// readOrder keeps the facts in the order the rule reads them.
	readOrder []string
}

// explainCase returns the findings behind the mismatches of a case: the
// requirement a mismatch names, and for a criterion or an authorization
// that did not come out as expected, the requirements of the criteria that
// failed it or left it pending.
func explainCase(p *aeo.Programme, res aeotest.CaseResult) []explained {
	a := res.Assessment
	var ids []string
	add := func(id string) {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	undecided := func(criterion string) {
		for _, f := range a.Findings {
			if f.Criterion == criterion && !f.Outcome.Satisfied() && f.Outcome != criteria.NotApplicable {
				add(f.Requirement)
			}
		}
	}
	for _, m := range res.Mismatches {
		kind, id, _ := strings.Cut(m.What, " ")
		switch {
		case m.Part != aeotest.PartAssessment:
		case kind == "requirement":
			add(id)
		case kind == "criterion":
			undecided(id)
		case kind == "authorization":
			if au, ok := a.Authorization(id); ok {
				for _, c := range append(append([]string(nil), au.Failed...), au.Pending...) {
					undecided(c)
				}
			}
		}
	}
	rules := map[string]criteria.Requirement{}
	for _, r := range p.File().Requirements {
		rules[r.ID] = r
	}
	var out []explained
	for _, id := range ids {
		if f, ok := a.Finding(id); ok {
			out = append(out, explainFinding(f, rules[id].When))
		}
	}
	return out
}

// explainFinding describes a finding with its rule and the values read.
func explainFinding(f criteria.Finding, when string) explained {
	e := explained{Requirement: f.Requirement, Title: f.Title, Outcome: token(f.Outcome), When: when, Missing: f.Missing, Reason: f.Reason}
	for _, v := range f.Facts {
		if v.Fact == "as_of" {
			continue
		}
		if e.Read == nil {
			e.Read = map[string]string{}
		}
		e.Read[v.Fact] = fullValue(v.Value())
		e.readOrder = append(e.readOrder, v.Fact)
	}
	for _, c := range f.Failed {
		e.Failed = append(e.Failed, fmt.Sprintf("%s %s %s, found %s", c.Subject, c.Op, c.Threshold, aeo.FormatValue(c.Actual)))
	}
	if f.Equivalence != "" {
		e.Reason = strings.TrimSpace(e.Reason + " satisfied by " + f.Equivalence)
	}
	return e
}

// lines formats e for a person, one fact a line.
func (e explained) lines() []string {
	out := []string{fmt.Sprintf("%s %s: %s", e.Requirement, e.Title, e.Outcome)}
	if e.When != "" {
		out = append(out, "  when: "+e.When)
	}
	for _, f := range e.readOrder {
		out = append(out, fmt.Sprintf("  read: %s = %s", f, e.Read[f]))
	}
	if len(e.Missing) > 0 {
		out = append(out, "  missing: "+strings.Join(e.Missing, ", "))
	}
	for _, f := range e.Failed {
		out = append(out, "  failed: "+f)
	}
	if e.Reason != "" {
		out = append(out, "  "+e.Reason)
	}
	return out
}

func writeExplained(w io.Writer, es []explained) {
	if len(es) == 0 {
		return
	}
	fmt.Fprintln(w, "      why:")
	for _, e := range es {
		for _, l := range e.lines() {
			fmt.Fprintf(w, "        %s\n", l)
		}
	}
}

// maxValue bounds a value shown in full, so that a long list does not
// drown the explanation.
const maxValue = 240

var midnight = regexp.MustCompile(`T00:00:00Z`)

// fullValue shows a value read by a rule in full, as compact JSON with
// dates as the author writes them, where aeo.FormatValue summarises
// lists ("2 entries"): explaining a failure needs the entries.
func fullValue(v any) string {
	switch v.(type) {
	case nil, string, float64, int, bool, time.Time:
		return aeo.FormatValue(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return aeo.FormatValue(v)
	}
	s := midnight.ReplaceAllString(string(b), "")
	if len(s) > maxValue {
		s = s[:maxValue] + "…"
	}
	return s
}
