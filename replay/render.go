package replay

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/safe-aeo/engine/risk"
)

// WriteText writes the report for people: the lane-change matrix, the
// lane changes, the rules that fire more or less often, the expected
// rates a version falls short of, the outcomes that change with the first
// operators concerned, the facts a version does not declare, and the
// first problems.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p("old: %s %s (%s)\nnew: %s %s (%s)\n", r.Old.Name, r.Old.Version, r.Old.Fingerprint, r.New.Name, r.New.Version, r.New.Fingerprint)
	if r.Shard.split() {
		p("shard %s: a part of the input only; merge the shards' JSON reports for the whole\n", r.Shard)
	}
	if l := r.Declarations; l != nil {
		l.writeText(bw)
	}
	if o := r.Operators; o != nil {
		o.writeText(bw)
	}
	return bw.Flush()
}

func (l *LaneReport) writeText(w *bufio.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\nDeclarations: %s read from %s, %s replayed through both selectivity profiles", num(l.Records), inputsText(l.Inputs), num(l.Replayed))
	if l.Skipped > 0 || l.Problems > 0 {
		p(", %s bad (not replayed), %s problem(s)", num(l.Skipped), num(l.Problems))
	}
	p("\n")
	p("\nLanes, old (rows) by new (columns):\n")
	p("  %-8s %12s %12s %12s %12s\n", "", "red", "yellow", "blue", "green")
	for i, lane := range l.Matrix.Lanes {
		p("  %-8s", lane)
		for k := range l.Matrix.Lanes {
			p(" %12s", num(l.Matrix.Counts[i][k]))
		}
		p("\n")
	}
	p("%s declaration(s) change lane (%s of those replayed)\n", num(l.Changed), pct(share(l.Changed, l.Replayed)))
	for i, a := range l.Matrix.Lanes {
		for k, b := range l.Matrix.Lanes {
			if i != k && l.Matrix.Counts[i][k] > 0 {
				p("  %-6s -> %-6s %12s  %8s\n", a, b, num(l.Matrix.Counts[i][k]), pct(l.Matrix.Shares[i][k]))
			}
		}
	}
	if len(l.Declarations) > 0 {
		title := "Declarations whose lane changes"
		if l.Changed > len(l.Declarations) {
			title += fmt.Sprintf(" (the first %d of %s)", len(l.Declarations), num(l.Changed))
		}
		p("\n%s:\n", title)
		for _, dc := range l.Declarations {
			p("  %-20s %s -> %s  (%s)\n", dc.Declaration, decisionText(dc.Old), decisionText(dc.New), Problem{File: dc.File, Line: dc.Line}.Position())
		}
	}
	p("\nLane shares       red   yellow     blue    green\n")
	for _, s := range []struct {
		name string
		sum  risk.Summary
	}{{"old", l.Old}, {"new", l.New}} {
		sh := s.sum.Shares
		p("  %-9s %8s %8s %8s %8s\n", s.name, pct(sh.Red), pct(sh.Yellow), pct(sh.Blue), pct(sh.Green))
	}
	var short []ExpectedRate
	for _, e := range l.Expected {
		if e.Shortfall > 0 {
			short = append(short, e)
		}
	}
	if len(short) > 0 {
		p("\nBelow the expected rates (selections are not topped up):\n")
		for _, e := range short {
			p("  %s %-7s expected %s (%s), got %s (%s): %s short\n", e.Programme, e.Lane, pct(e.Rate), num(e.Expected), pct(e.Share), num(e.Count), num(e.Shortfall))
		}
	}
	var more, less, same []RuleChange
	for _, rc := range l.Rules {
		switch {
		case rc.Change > 0:
			more = append(more, rc)
		case rc.Change < 0:
			less = append(less, rc)
		default:
			same = append(same, rc)
		}
	}
	rules := func(title string, rcs []RuleChange) {
		if len(rcs) == 0 {
			return
		}
		p("\n%s\n  %-20s %-12s %12s %12s %12s\n", title, "rule", "lane", "old fired", "new fired", "change")
		for _, rc := range rcs {
			lane := rc.NewLane.String()
			switch {
			case rc.In == "old":
				lane = rc.OldLane.String() + " (old only)"
			case rc.In == "new":
				lane += " (new only)"
			case rc.OldLane != rc.NewLane:
				lane = rc.OldLane.String() + "->" + lane
			}
			p("  %-20s %-12s %12s %12s %+12d\n", rc.Rule, lane, num(rc.OldFired), num(rc.NewFired), rc.Change)
		}
	}
	rules("Rules that fire more often:", more)
	rules("Rules that fire less often:", less)
	var failing []string
	for _, rc := range l.Rules {
		if rc.OldFailed > 0 || rc.NewFailed > 0 {
			failing = append(failing, fmt.Sprintf("%s (old %s, new %s)", rc.Rule, num(rc.OldFailed), num(rc.NewFailed)))
		}
	}
	if len(failing) > 0 {
		// A rule that fails sends its declarations to the error lane:
		// what to fix before the profile is activated.
		p("\nRules that fail on declarations, sending them to the error lane: %s\n", strings.Join(failing, ", "))
	}
	if len(same) > 0 {
		var ids []string
		for _, rc := range same {
			ids = append(ids, rc.Rule)
		}
		p("\nRules that fire as often: %s\n", strings.Join(ids, ", "))
	}
	writeFacts(w, l.Facts, "declarations")
	writeProblems(w, l.Listed, l.Problems)
}

func (o *OperatorReport) writeText(w *bufio.Writer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("\nOperators: %s profile(s) read from %s, %s assessed under both versions as of %s", num(o.Records), inputsText(o.Inputs), num(o.Replayed), o.AsOf.Format("2006-01-02"))
	if o.Skipped > 0 || o.Problems > 0 {
		p(", %s bad (not assessed), %s problem(s)", num(o.Skipped), num(o.Problems))
	}
	p("\n%s operator(s) see an outcome change\n", num(o.Changed))
	if len(o.Outcomes) > 0 {
		p("\n  %-14s %-14s %-28s %10s\n", "kind", "id", "old -> new", "operators")
		for _, c := range o.Outcomes {
			p("  %-14s %-14s %-28s %10s\n", c.Kind, c.ID, c.Old+" -> "+c.New, num(c.Operators))
		}
	}
	if len(o.Operators) > 0 {
		title := "Operators whose outcomes change"
		if o.Changed > len(o.Operators) {
			title += fmt.Sprintf(" (the first %d of %s)", len(o.Operators), num(o.Changed))
		}
		p("\n%s:\n", title)
		for _, oc := range o.Operators {
			p("  %s (%s)\n", oc.Operator, Problem{File: oc.File, Line: oc.Line}.Position())
			for _, c := range oc.Changes {
				p("    %-14s %-14s %s -> %s\n", c.Kind, c.ID, c.Old, c.New)
			}
		}
	}
	writeFacts(w, o.Facts, "profiles")
	writeProblems(w, o.Listed, o.Problems)
}

func decisionText(d LaneDecision) string {
	switch d.Cause {
	case risk.ByRule:
		return d.Lane.String() + " (" + d.Rule + ")"
	case risk.ByRandom:
		return d.Lane.String() + " (random)"
	}
	return d.Lane.String()
}

func writeFacts(w *bufio.Writer, notes []FactNote, what string) {
	if len(notes) == 0 {
		return
	}
	fmt.Fprintf(w, "\nFacts one version does not declare (that version replays the %s without them):\n", what)
	for _, n := range notes {
		fmt.Fprintf(w, "  %-24s not declared by %s, in %s %s (first at %s)\n", n.Fact, n.Programme, num(n.Records), what, n.First.Position())
	}
}

func writeProblems(w *bufio.Writer, listed []Problem, total int) {
	if total == 0 {
		return
	}
	title := "Problems"
	if total > len(listed) {
		title += fmt.Sprintf(" (the first %d of %s)", len(listed), num(total))
	}
	fmt.Fprintf(w, "\n%s:\n", title)
	for _, pr := range listed {
		fmt.Fprintf(w, "  %s\n", pr)
	}
}

func inputsText(inputs []string) string {
	switch len(inputs) {
	case 0:
		return "the host's iterator"
	case 1:
		return inputs[0]
	}
	return fmt.Sprintf("%d inputs", len(inputs))
}

// num writes n with thousands separators.
func num(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// pct writes a share as a percentage with two decimals.
func pct(r float64) string { return strconv.FormatFloat(100*r, 'f', 2, 64) + "%" }

// WriteCSV writes the report's tables as CSV for a spreadsheet: each table
// under its own header row, after a blank line, and every row starting
// with the table's name (lanes, rules, expected, facts, outcomes,
// operators, problems), so that one table is a grep away.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	first := true
	table := func(head ...string) {
		if !first {
			cw.Flush()
			io.WriteString(w, "\n")
		}
		first = false
		cw.Write(head)
	}
	row := func(cells ...any) {
		rec := make([]string, len(cells))
		for i, c := range cells {
			switch v := c.(type) {
			case float64:
				rec[i] = strconv.FormatFloat(v, 'g', -1, 64)
			case fmt.Stringer:
				rec[i] = v.String()
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		cw.Write(rec)
	}
	if l := r.Declarations; l != nil {
		table("table", "old", "new", "declarations", "share")
		for i, a := range l.Matrix.Lanes {
			for k, b := range l.Matrix.Lanes {
				row("lanes", a, b, l.Matrix.Counts[i][k], l.Matrix.Shares[i][k])
			}
		}
		table("table", "rule", "in", "old_lane", "new_lane", "old_fired", "new_fired", "change", "old_share", "new_share", "old_skipped", "new_skipped", "old_failed", "new_failed")
		for _, rc := range l.Rules {
			row("rules", rc.Rule, rc.In, laneCell(rc.OldLane), laneCell(rc.NewLane), rc.OldFired, rc.NewFired, rc.Change, rc.OldShare, rc.NewShare, rc.OldSkipped, rc.NewSkipped, rc.OldFailed, rc.NewFailed)
		}
		table("table", "declaration", "operator", "file", "line", "old_lane", "old_cause", "old_rule", "new_lane", "new_cause", "new_rule")
		for _, dc := range l.Declarations {
			row("declarations", dc.Declaration, dc.Operator, dc.File, dc.Line, dc.Old.Lane, dc.Old.Cause, dc.Old.Rule, dc.New.Lane, dc.New.Cause, dc.New.Rule)
		}
		table("table", "programme", "lane", "rate", "share", "expected", "count", "shortfall")
		for _, e := range l.Expected {
			row("expected", e.Programme, e.Lane, e.Rate, e.Share, e.Expected, e.Count, e.Shortfall)
		}
		writeCSVNotes(table, row, "declaration_facts", l.Facts)
		writeCSVProblems(table, row, "declaration_problems", l.Listed)
	}
	if o := r.Operators; o != nil {
		table("table", "kind", "id", "old", "new", "operators")
		for _, c := range o.Outcomes {
			row("outcomes", c.Kind, c.ID, c.Old, c.New, c.Operators)
		}
		table("table", "operator", "file", "line", "kind", "id", "old", "new")
		for _, oc := range o.Operators {
			for _, c := range oc.Changes {
				row("operators", oc.Operator, oc.File, oc.Line, c.Kind, c.ID, c.Old, c.New)
			}
		}
		writeCSVNotes(table, row, "profile_facts", o.Facts)
		writeCSVProblems(table, row, "profile_problems", o.Listed)
	}
	cw.Flush()
	return cw.Error()
}

func laneCell(l risk.Lane) string {
	if l == risk.NoLane {
		return ""
	}
	return l.String()
}

func writeCSVNotes(table func(...string), row func(...any), name string, notes []FactNote) {
	if len(notes) == 0 {
		return
	}
	table("table", "fact", "not_declared_by", "records", "first_file", "first_line")
	for _, n := range notes {
		row(name, n.Fact, n.Programme, n.Records, n.First.File, n.First.Line)
	}
}

func writeCSVProblems(table func(...string), row func(...any), name string, ps []Problem) {
	if len(ps) == 0 {
		return
	}
	table("table", "file", "line", "column", "skipped", "message")
	for _, p := range ps {
		row(name, p.File, p.Line, p.Column, p.Skipped, p.Message)
	}
}
