package replay

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/risk"
)

// ReportFormat is the version of the report's JSON shape; Merge refuses
// reports of another.
const ReportFormat = 1

// A Report is what a replay found, for people (WriteText), spreadsheets
// (WriteCSV) and tools (its JSON encoding). The JSON of a shard's report
// is what Merge reads: it holds every count, so that the merged report is
// the one a single run gives.
type Report struct {
	Format int     `json:"format"`
	Old    Version `json:"old"`
	New    Version `json:"new"`
	// Shard is the part of the input the report covers; the zero value
	// for all of it.
	Shard        Shard           `json:"shard"`
	Declarations *LaneReport     `json:"declarations,omitempty"`
	Operators    *OperatorReport `json:"operators,omitempty"`
}

// A Version identifies one of the two programmes.
type Version struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
}

func versionOf(p *aeo.Programme) Version {
	return Version{Name: p.Name(), Version: p.Version(), Fingerprint: p.Fingerprint()}
}

// Report puts the results of r's replays (either may be nil) in one
// report.
func (r *Replayer) Report(declarations *LaneReport, operators *OperatorReport) *Report {
	rep := &Report{Format: ReportFormat, Old: versionOf(r.old), New: versionOf(r.new), Declarations: declarations, Operators: operators}
	if r.o.shard.split() {
		rep.Shard = r.o.shard
	}
	return rep
}

// Merge combines the reports of the shards of one replay (every shard of
// the same count and unit, over the same inputs and programmes) into the
// report a single run over the whole input gives. It refuses reports that
// do not fit together, and a set with a shard missing or twice.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("replay: merge: no reports")
	}
	first := reports[0]
	if first.Format != ReportFormat {
		return nil, fmt.Errorf("replay: merge: report format %d, want %d", first.Format, ReportFormat)
	}
	n := max(first.Shard.Count, 1)
	seen := make([]bool, n)
	for i, r := range reports {
		switch {
		case r.Format != first.Format:
			return nil, fmt.Errorf("replay: merge: report %d: format %d, report 1 has %d", i+1, r.Format, first.Format)
		case r.Old.Fingerprint != first.Old.Fingerprint || r.New.Fingerprint != first.New.Fingerprint:
			return nil, fmt.Errorf("replay: merge: report %d compares other programmes (%s %s against %s %s)", i+1, r.Old.Name, r.Old.Version, r.New.Name, r.New.Version)
		case max(r.Shard.Count, 1) != n || r.Shard.By != first.Shard.By:
			return nil, fmt.Errorf("replay: merge: report %d is shard %s, report 1 shard %s", i+1, r.Shard, first.Shard)
		case (r.Declarations == nil) != (first.Declarations == nil) || (r.Operators == nil) != (first.Operators == nil):
			return nil, fmt.Errorf("replay: merge: report %d replays other records than report 1", i+1)
		}
		if seen[r.Shard.Index] {
			return nil, fmt.Errorf("replay: merge: shard %d/%d given twice", r.Shard.Index, n)
		}
		seen[r.Shard.Index] = true
	}
	var missing []string
	for i, ok := range seen {
		if !ok {
			missing = append(missing, fmt.Sprint(i))
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("replay: merge: shards %s of %d missing", strings.Join(missing, ", "), n)
	}
	out := &Report{Format: ReportFormat, Old: first.Old, New: first.New}
	for i, r := range reports {
		if r.Declarations != nil {
			if out.Declarations == nil {
				out.Declarations = &LaneReport{Inputs: r.Declarations.Inputs, ListLimit: r.Declarations.ListLimit,
					Old: emptyLike(r.Declarations.Old), New: emptyLike(r.Declarations.New)}
			}
			if err := out.Declarations.add(r.Declarations); err != nil {
				return nil, fmt.Errorf("replay: merge: report %d: %w", i+1, err)
			}
		}
		if r.Operators != nil {
			if out.Operators == nil {
				out.Operators = &OperatorReport{Inputs: r.Operators.Inputs, AsOf: r.Operators.AsOf, ListLimit: r.Operators.ListLimit}
			}
			if err := out.Operators.add(r.Operators); err != nil {
				return nil, fmt.Errorf("replay: merge: report %d: %w", i+1, err)
			}
		}
	}
	if out.Declarations != nil {
		out.Declarations.finish()
	}
	if out.Operators != nil {
		out.Operators.finish()
	}
	return out, nil
}

// emptyLike returns a summary with s's rules, treatments and expected
// rates and no counts.
func emptyLike(s risk.Summary) risk.Summary {
	out := risk.Summary{Expected: s.Expected, Statuses: []risk.GroupStats{}}
	for _, r := range s.Rules {
		out.Rules = append(out.Rules, risk.RuleStats{Rule: r.Rule, Lane: r.Lane})
	}
	for _, g := range s.Treatments {
		out.Treatments = append(out.Treatments, risk.GroupStats{Group: g.Group})
	}
	return out
}

func (l *LaneReport) add(o *LaneReport) error {
	if !slices.Equal(l.Inputs, o.Inputs) {
		return errors.New("the declarations were read from other inputs")
	}
	l.Records += o.Records
	l.Replayed += o.Replayed
	l.Skipped += o.Skipped
	l.Problems += o.Problems
	for i := range l.Matrix.Counts {
		for k := range l.Matrix.Counts[i] {
			l.Matrix.Counts[i][k] += o.Matrix.Counts[i][k]
		}
	}
	if err := addSummary(&l.Old, o.Old); err != nil {
		return fmt.Errorf("old: %w", err)
	}
	if err := addSummary(&l.New, o.New); err != nil {
		return fmt.Errorf("new: %w", err)
	}
	l.Facts = mergeNotes(l.Facts, o.Facts)
	l.Listed = firstProblems(append(slices.Clone(l.Listed), o.Listed...), l.ListLimit)
	ds := append(slices.Clone(l.Declarations), o.Declarations...)
	slices.SortStableFunc(ds, func(a, b DeclarationChange) int {
		return comparePos(Problem{Input: a.Input, Line: a.Line}, Problem{Input: b.Input, Line: b.Line})
	})
	l.Declarations = ds[:min(len(ds), l.ListLimit)]
	return nil
}

func (o *OperatorReport) add(x *OperatorReport) error {
	if !slices.Equal(o.Inputs, x.Inputs) {
		return errors.New("the profiles were read from other inputs")
	}
	if !o.AsOf.Equal(x.AsOf) {
		return fmt.Errorf("the profiles were assessed as of %s, not %s", x.AsOf.Format("2006-01-02"), o.AsOf.Format("2006-01-02"))
	}
	o.Records += x.Records
	o.Replayed += x.Replayed
	o.Skipped += x.Skipped
	o.Problems += x.Problems
	o.Changed += x.Changed
	idx := map[Change]int{}
	for i, c := range o.Outcomes {
		idx[Change{c.Kind, c.ID, c.Old, c.New}] = i
	}
	for _, c := range x.Outcomes {
		k := Change{c.Kind, c.ID, c.Old, c.New}
		if i, ok := idx[k]; ok {
			o.Outcomes[i].Operators += c.Operators
			continue
		}
		idx[k] = len(o.Outcomes)
		o.Outcomes = append(o.Outcomes, c)
	}
	o.Facts = mergeNotes(o.Facts, x.Facts)
	o.Listed = firstProblems(append(slices.Clone(o.Listed), x.Listed...), o.ListLimit)
	ops := append(slices.Clone(o.Operators), x.Operators...)
	slices.SortStableFunc(ops, func(a, b OperatorChange) int {
		return comparePos(Problem{Input: a.Input, Line: a.Line}, Problem{Input: b.Input, Line: b.Line})
	})
	o.Operators = ops[:min(len(ops), o.ListLimit)]
	return nil
}

// firstProblems sorts problems by position and keeps the first n.
func firstProblems(ps []Problem, n int) []Problem {
	slices.SortStableFunc(ps, compareProblems)
	return ps[:min(len(ps), n)]
}

// addSummary adds the counts of o to s, two summaries of one selectivity
// profile over different declarations.
func addSummary(s *risk.Summary, o risk.Summary) error {
	if len(s.Rules) != len(o.Rules) || len(s.Treatments) != len(o.Treatments) {
		return errors.New("the summaries are of different selectivity profiles")
	}
	s.Total += o.Total
	addLanes(&s.Lanes, o.Lanes)
	s.Causes.Default += o.Causes.Default
	s.Causes.Rule += o.Causes.Rule
	s.Causes.Random += o.Causes.Random
	s.Causes.Error += o.Causes.Error
	for i, r := range o.Rules {
		d := &s.Rules[i]
		if d.Rule != r.Rule {
			return fmt.Errorf("rule %d is %q in one report and %q in another", i+1, d.Rule, r.Rule)
		}
		d.Fired += r.Fired
		d.Spared += r.Spared
		d.Skipped += r.Skipped
		d.Failed += r.Failed
		d.Decided += r.Decided
	}
	for i, g := range o.Treatments {
		if s.Treatments[i].Group != g.Group {
			return fmt.Errorf("treatment %d is %q in one report and %q in another", i+1, s.Treatments[i].Group, g.Group)
		}
		addLanes(&s.Treatments[i].Lanes, g.Lanes)
	}
	for _, g := range o.Statuses {
		i := slices.IndexFunc(s.Statuses, func(x risk.GroupStats) bool { return x.Group == g.Group })
		if i < 0 {
			s.Statuses = append(s.Statuses, risk.GroupStats{Group: g.Group})
			i = len(s.Statuses) - 1
		}
		addLanes(&s.Statuses[i].Lanes, g.Lanes)
	}
	sort.Slice(s.Statuses, func(i, k int) bool { return s.Statuses[i].Group < s.Statuses[k].Group })
	return nil
}

func addLanes(c *risk.LaneCounts, o risk.LaneCounts) {
	c.Red += o.Red
	c.Yellow += o.Yellow
	c.Blue += o.Blue
	c.Green += o.Green
}
