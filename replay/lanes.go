package replay

import (
	"context"
	"errors"
	"iter"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/risk"
)

// Declarations replays a host's own declarations through both
// programmes' selectivity and reports what changes. entries is consumed
// on the calling goroutine; each entry is copied, so the iterator may
// reuse its variable, but not the slices and maps an entry refers to
// (Types, Facts), which workers read later. Records are numbered from 1 in
// problems. Declarations returns early with ctx's error when ctx is done.
func (r *Replayer) Declarations(ctx context.Context, entries iter.Seq[risk.Entry]) (*LaneReport, error) {
	return r.lanes(ctx, nil, func(p *pipe) {
		produceSeq(p, entries, func(j *job, e risk.Entry) { j.entries = append(j.entries, e) })
	})
}

// DeclarationFiles replays the declarations of inputs (JSON Lines, CSV
// or documents, gzip-compressed or not) through both programmes'
// selectivity, streaming, and reports what changes.
func (r *Replayer) DeclarationFiles(ctx context.Context, inputs []Input) (*LaneReport, error) {
	return r.lanes(ctx, inputs, func(p *pipe) {
		p.header = r.declHeader
		p.produceInputs()
	})
}

func (r *Replayer) lanes(ctx context.Context, inputs []Input, produce func(*pipe)) (*LaneReport, error) {
	oldSel, newSel := r.old.Selector(), r.new.Selector()
	switch {
	case oldSel == nil && newSel == nil:
		return nil, errors.New("replay: neither programme has a selectivity section")
	case oldSel == nil:
		return nil, errors.New("replay: the old programme has no selectivity section")
	case newSel == nil:
		return nil, errors.New("replay: the new programme has no selectivity section")
	}
	c, ws, err := r.run(ctx, inputs, produce, func() worker {
		return &laneWorker{r: r, old: oldSel.NewTally(), new: newSel.NewTally(), notes: notes{},
			oldFacts: map[string]any{}, newFacts: map[string]any{}}
	})
	if err != nil {
		return nil, err
	}
	w := ws[0].(*laneWorker)
	for _, o := range ws[1:] {
		o := o.(*laneWorker)
		w.old.Merge(o.old)
		w.new.Merge(o.new)
		for a := range w.matrix {
			for b := range w.matrix[a] {
				w.matrix[a][b] += o.matrix[a][b]
			}
		}
		w.notes.merge(o.notes)
	}
	rep := &LaneReport{
		Records: c.records, Replayed: c.replayed, Skipped: c.skipped, Problems: c.problems,
		Old: complete(w.old.Summary(), oldSel), New: complete(w.new.Summary(), newSel),
		Facts: w.notes.list(names(inputs)), Listed: c.listed, ListLimit: r.o.listed, Declarations: c.declarations,
	}
	for _, in := range inputs {
		rep.Inputs = append(rep.Inputs, in.Name)
	}
	for i, a := range risk.Lanes() {
		for k, b := range risk.Lanes() {
			rep.Matrix.Counts[i][k] = w.matrix[a][b]
		}
	}
	rep.finish()
	return rep, nil
}

// complete lists every treatment of sel in the summary, in configuration
// order and then "none", even those never applied, so that the summaries
// of shards line up.
func complete(s risk.Summary, sel *risk.Selector) risk.Summary {
	have := map[string]risk.GroupStats{}
	for _, g := range s.Treatments {
		have[g.Group] = g
	}
	var out []risk.GroupStats
	for _, t := range sel.Config().AEO {
		out = append(out, groupOr(have, t.ID))
	}
	s.Treatments = append(out, groupOr(have, "none"))
	if s.Statuses == nil {
		s.Statuses = []risk.GroupStats{}
	}
	return s
}

func groupOr(have map[string]risk.GroupStats, id string) risk.GroupStats {
	if g, ok := have[id]; ok {
		return g
	}
	return risk.GroupStats{Group: id}
}

// laneWorker decodes declarations and selects their lanes under both
// programmes.
type laneWorker struct {
	r        *Replayer
	old, new *risk.Tally
	matrix   [risk.Red + 1][risk.Red + 1]int
	dec      declDecoder
	csv      csvDecoder
	notes    notes
	e        risk.Entry
	raw      []rawFact
	// oldFacts and newFacts are each programme's view of a declaration's
	// facts, reused from one declaration to the next.
	oldFacts, newFacts map[string]any
}

func (w *laneWorker) process(_ context.Context, j *job) {
	switch {
	case j.doc:
		w.document(j)
	case j.data != nil:
		eachLine(w.r, j, func(line int, text []byte) {
			var err *lineError
			if j.csv != nil {
				err = w.csv.entry(j.csv, text, &w.e)
			} else {
				err = w.dec.decode(text, &w.e)
			}
			if err != nil {
				j.problems = append(j.problems, Problem{Input: j.input, Line: line, Column: err.col, Message: err.msg, Skipped: true})
				return
			}
			raw := w.dec.facts
			if j.csv != nil {
				raw = w.csv.facts
			}
			w.replay(j, &w.e, line, raw)
		})
	default:
		for i := range j.entries {
			e := &j.entries[i]
			j.records++
			w.replay(j, e, j.lines[i], w.hostFacts(e.Declaration.Facts))
		}
	}
}

// hostFacts lists facts given as a map, in name order so that problems
// come out in the same order every time.
func (w *laneWorker) hostFacts(m map[string]any) []rawFact {
	w.raw = w.raw[:0]
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.raw = append(w.raw, rawFact{name: k, value: m[k]})
	}
	return w.raw
}

// replay selects e's lane under both programmes.
func (w *laneWorker) replay(j *job, e *risk.Entry, line int, raw []rawFact) {
	d := &e.Declaration
	var oldFacts, newFacts map[string]any
	if len(raw) > 0 {
		at := Problem{Input: j.input, Line: line}
		splitFacts(w.r.declFacts, raw, w.oldFacts, w.newFacts, at, w.notes, &j.problems)
		oldFacts, newFacts = w.oldFacts, w.newFacts
	}
	d.Facts = oldFacts
	a := w.old.Select(d, &e.Operator)
	d.Facts = newFacts
	b := w.new.Select(d, &e.Operator)
	d.Facts = nil
	w.matrix[a.Lane][b.Lane]++
	j.replayed++
	if a.Lane == b.Lane {
		return
	}
	if w.r.o.changes != nil {
		j.out = appendLaneChange(j.out, j, line, e, &a, &b)
	}
	if len(j.declChanges) < w.r.o.listed {
		dc := DeclarationChange{Input: j.input, Line: line, Declaration: strings.Clone(d.ID), Operator: strings.Clone(d.Operator),
			Old: laneDecision(&a), New: laneDecision(&b)}
		if j.input < len(j.names) {
			dc.File = j.names[j.input]
		}
		j.declChanges = append(j.declChanges, dc)
	}
}

func laneDecision(d *risk.Decision) LaneDecision {
	return LaneDecision{Lane: d.Lane, Cause: d.Cause, Rule: d.Rule}
}

// A DeclarationChange is a declaration whose lane changes, where it was
// read.
type DeclarationChange struct {
	Input       int          `json:"input"`
	File        string       `json:"file,omitempty"`
	Line        int          `json:"line"`
	Declaration string       `json:"declaration"`
	Operator    string       `json:"operator,omitempty"`
	Old         LaneDecision `json:"old"`
	New         LaneDecision `json:"new"`
}

// A LaneDecision is a lane and what decided it: a rule (named), the
// random selection, or nothing (green by default).
type LaneDecision struct {
	Lane  risk.Lane  `json:"lane"`
	Cause risk.Cause `json:"cause"`
	Rule  string     `json:"rule,omitempty"`
}

// document replays a YAML or JSON list of entries, read whole.
func (w *laneWorker) document(j *job) {
	name := ""
	if j.input < len(j.names) {
		name = j.names[j.input]
	}
	var entries []risk.Entry
	doc, err := decode.DecodeInto(name, j.data, &entries)
	bad := map[int]bool{}
	if err != nil {
		var list diag.List
		if !errors.As(err, &list) || doc == nil {
			j.records++
			j.problems = append(j.problems, docProblem(j, err)...)
			return
		}
		for _, e := range list {
			i, ok := entryIndex(e.Path)
			if !ok {
				j.records++
				j.problems = append(j.problems, docProblem(j, err)...)
				return
			}
			bad[i] = true
			j.problems = append(j.problems, Problem{Input: j.input, Line: e.Line, Column: e.Column,
				Message: strings.TrimPrefix(e.Path+": ", ": ") + e.Message, Skipped: true})
		}
	}
	for i := range entries {
		j.records++
		if bad[i] {
			continue
		}
		line := 1
		if n, ok := doc.Locate("[" + strconv.Itoa(i) + "]"); ok {
			line = n.Line
		}
		e := &entries[i]
		if e.Declaration.ID == "" {
			j.problems = append(j.problems, Problem{Input: j.input, Line: line, Skipped: true,
				Message: "declaration.id is required: the random draws and the report name a declaration by it"})
			continue
		}
		w.replay(j, e, line, w.hostFacts(e.Declaration.Facts))
	}
}

// entryIndex reads the entry index that starts a path such as
// "[3].declaration.value".
func entryIndex(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "[")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "]")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(num)
	return i, err == nil
}

// docProblem turns a document's decoding error into problems.
func docProblem(j *job, err error) []Problem {
	var list diag.List
	if !errors.As(err, &list) {
		return []Problem{{Input: j.input, Line: 1, Message: err.Error(), Skipped: true}}
	}
	var out []Problem
	for _, e := range list {
		msg := e.Message
		if e.Path != "" {
			msg = e.Path + ": " + msg
		}
		out = append(out, Problem{Input: j.input, Line: max(e.Line, 1), Column: e.Column, Message: msg, Skipped: true})
	}
	return out
}

// A LaneReport is what replaying declarations through two versions of a
// selectivity profile shows: how lanes move (old lane × new lane), the
// rules that fire more or less often, the shares against the expected
// rates, and each version's summary. Counts add up across shards (see
// Merge).
type LaneReport struct {
	// Inputs names the inputs read, in order.
	Inputs []string `json:"inputs,omitempty"`
	// Records counts the declarations met, bad ones included; Replayed
	// those replayed; Skipped the bad ones left out; Problems every
	// problem found, those that did not stop a declaration from being
	// replayed included.
	Records  int `json:"records"`
	Replayed int `json:"replayed"`
	Skipped  int `json:"skipped"`
	Problems int `json:"problems"`
	// Changed counts the declarations whose lane changes.
	Changed int    `json:"changed"`
	Matrix  Matrix `json:"matrix"`
	// Rules compares what each rule does under both versions, the rules
	// that fire more often first.
	Rules []RuleChange `json:"rules"`
	// Expected compares the share of each lane with its expected rate,
	// under each version.
	Expected []ExpectedRate `json:"expected"`
	// Facts counts the declarations carrying facts that one version does
	// not declare.
	Facts []FactNote `json:"facts,omitempty"`
	// Old and New are what each version's selectivity did, as
	// risk.Selector.SelectBatch summarises it.
	Old risk.Summary `json:"old"`
	New risk.Summary `json:"new"`
	// Declarations are the first declarations whose lane changes, and
	// Listed the first problems, in input order, at most ListLimit of
	// each.
	Declarations []DeclarationChange `json:"declarations"`
	Listed       []Problem           `json:"listed_problems,omitempty"`
	ListLimit    int                 `json:"list_limit"`
}

// A Matrix counts declarations by old lane (rows) and new lane
// (columns), in the order of Lanes: red, yellow, blue, green. The
// diagonal holds the declarations whose lane is unchanged.
type Matrix struct {
	Lanes  [4]risk.Lane  `json:"lanes"`
	Counts [4][4]int     `json:"counts"`
	Shares [4][4]float64 `json:"shares"`
}

// A RuleChange compares one rule under both versions, matched by ID.
type RuleChange struct {
	Rule string `json:"rule"`
	// In is "both", "old" or "new": the versions that have the rule.
	In      string    `json:"in"`
	OldLane risk.Lane `json:"old_lane,omitempty"`
	NewLane risk.Lane `json:"new_lane,omitempty"`
	// OldFired and NewFired count the declarations the rule fired on;
	// Change is their difference, new minus old.
	OldFired int `json:"old_fired"`
	NewFired int `json:"new_fired"`
	Change   int `json:"change"`
	// OldShare and NewShare divide the counts by the declarations
	// replayed.
	OldShare float64 `json:"old_share"`
	NewShare float64 `json:"new_share"`
	// OldSkipped and NewSkipped count the declarations on which the rule
	// could not be evaluated (a fact missing, or absent to that version).
	OldSkipped int `json:"old_skipped"`
	NewSkipped int `json:"new_skipped"`
	// OldFailed and NewFailed count the declarations on which the rule
	// failed at run time, which went to the error lane: a rule that
	// fails on real declarations is to be fixed before activation.
	OldFailed int `json:"old_failed"`
	NewFailed int `json:"new_failed"`
}

// An ExpectedRate compares a lane's share with the rate a version's
// profile expects of it. Select does not top selections up to the
// expected rates (a decision must be replayable from the declaration
// alone), so a shortfall is what an administration looks at before
// activating a profile.
type ExpectedRate struct {
	Programme string    `json:"programme"`
	Lane      risk.Lane `json:"lane"`
	Rate      float64   `json:"rate"`
	Share     float64   `json:"share"`
	// Expected is Rate times the declarations replayed, rounded; Count
	// the declarations in the lane; Shortfall how many fewer than
	// expected (0 when at or above).
	Expected  int `json:"expected"`
	Count     int `json:"count"`
	Shortfall int `json:"shortfall"`
}

// finish computes what follows from the counts: shares, changes, rule
// comparisons and expected rates. A report merged from shards is finished
// again, from its summed counts, so that it equals a single run's.
func (l *LaneReport) finish() {
	l.Matrix.Lanes = [4]risk.Lane{risk.Red, risk.Yellow, risk.Blue, risk.Green}
	if l.Declarations == nil {
		l.Declarations = []DeclarationChange{}
	}
	l.Changed = 0
	total := 0
	for i := range l.Matrix.Counts {
		for k, n := range l.Matrix.Counts[i] {
			total += n
			if i != k {
				l.Changed += n
			}
		}
	}
	for i := range l.Matrix.Counts {
		for k, n := range l.Matrix.Counts[i] {
			l.Matrix.Shares[i][k] = share(n, total)
		}
	}
	l.Old, l.New = resummarise(l.Old), resummarise(l.New)
	l.Rules = compareRules(l.Old, l.New)
	l.Expected = nil
	for _, s := range []struct {
		name string
		sum  risk.Summary
	}{{"old", l.Old}, {"new", l.New}} {
		for _, lane := range []risk.Lane{risk.Red, risk.Yellow, risk.Blue} {
			rate := s.sum.Expected.Get(lane)
			if rate == 0 {
				continue
			}
			e := ExpectedRate{Programme: s.name, Lane: lane, Rate: rate, Share: s.sum.Shares.Get(lane),
				Expected: int(rate*float64(s.sum.Total) + 0.5), Count: s.sum.Lanes.Get(lane)}
			e.Shortfall = max(0, e.Expected-e.Count)
			l.Expected = append(l.Expected, e)
		}
	}
	if l.Expected == nil {
		l.Expected = []ExpectedRate{}
	}
}

func share(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) / float64(total)
}

// resummarise recomputes a summary's shares from its counts.
func resummarise(s risk.Summary) risk.Summary {
	s.Total = s.Lanes.Red + s.Lanes.Yellow + s.Lanes.Blue + s.Lanes.Green
	s.Shares = laneShares(s.Lanes)
	s.Rules = slices.Clone(s.Rules)
	for i := range s.Rules {
		s.Rules[i].Share = share(s.Rules[i].Fired, s.Total)
	}
	regroup := func(gs []risk.GroupStats) []risk.GroupStats {
		out := slices.Clone(gs)
		for i := range out {
			lc := out[i].Lanes
			out[i].Total = lc.Red + lc.Yellow + lc.Blue + lc.Green
			out[i].Shares = laneShares(lc)
		}
		return out
	}
	s.Statuses, s.Treatments = regroup(s.Statuses), regroup(s.Treatments)
	return s
}

func laneShares(c risk.LaneCounts) risk.LaneRates {
	n := c.Red + c.Yellow + c.Blue + c.Green
	return risk.LaneRates{Red: share(c.Red, n), Yellow: share(c.Yellow, n), Blue: share(c.Blue, n), Green: share(c.Green, n)}
}

// compareRules matches the rules of both versions by ID: the old
// version's in its order, then those only the new one has, then sorted
// by change, largest increase first.
func compareRules(old, new risk.Summary) []RuleChange {
	byID := map[string]*RuleChange{}
	var out []*RuleChange
	for _, r := range old.Rules {
		rc := &RuleChange{Rule: r.Rule, In: "old", OldLane: r.Lane, OldFired: r.Fired, OldShare: r.Share, OldSkipped: r.Skipped, OldFailed: r.Failed}
		byID[r.Rule] = rc
		out = append(out, rc)
	}
	for _, r := range new.Rules {
		rc := byID[r.Rule]
		if rc == nil {
			rc = &RuleChange{Rule: r.Rule, In: "new"}
			byID[r.Rule] = rc
			out = append(out, rc)
		} else {
			rc.In = "both"
		}
		rc.NewLane, rc.NewFired, rc.NewShare, rc.NewSkipped, rc.NewFailed = r.Lane, r.Fired, r.Share, r.Skipped, r.Failed
	}
	res := make([]RuleChange, len(out))
	for i, rc := range out {
		rc.Change = rc.NewFired - rc.OldFired
		res[i] = *rc
	}
	slices.SortStableFunc(res, func(a, b RuleChange) int { return b.Change - a.Change })
	return res
}

// appendLaneChange writes one changed declaration as a JSON line.
func appendLaneChange(b []byte, j *job, line int, e *risk.Entry, a, n *risk.Decision) []byte {
	b = append(b, `{"kind":"declaration","input":`...)
	b = strconv.AppendInt(b, int64(j.input), 10)
	if j.names != nil && j.input < len(j.names) {
		b = append(b, `,"file":`...)
		b = appendJSONString(b, j.names[j.input])
	}
	b = append(b, `,"line":`...)
	b = strconv.AppendInt(b, int64(line), 10)
	b = append(b, `,"declaration":`...)
	b = appendJSONString(b, e.Declaration.ID)
	if e.Declaration.Operator != "" {
		b = append(b, `,"operator":`...)
		b = appendJSONString(b, e.Declaration.Operator)
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, a.Status)
	for _, d := range []struct {
		key string
		dec *risk.Decision
	}{{"old", a}, {"new", n}} {
		b = append(b, `,"`...)
		b = append(b, d.key...)
		b = append(b, `":{"lane":"`...)
		b = append(b, d.dec.Lane.String()...)
		b = append(b, `","cause":"`...)
		b = append(b, d.dec.Cause.String()...)
		b = append(b, '"')
		if d.dec.Rule != "" {
			b = append(b, `,"rule":`...)
			b = appendJSONString(b, d.dec.Rule)
		}
		if d.dec.Treatment != "" {
			b = append(b, `,"treatment":`...)
			b = appendJSONString(b, d.dec.Treatment)
		}
		b = append(b, '}')
	}
	return append(b, "}\n"...)
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
