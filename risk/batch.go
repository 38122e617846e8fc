package risk

import (
	"context"
	"iter"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// An Entry is one declaration of a batch, with the AEO profile of its
// operator.
type Entry struct {
	Declaration Declaration `json:"declaration"`
	// Operator is the operator's AEO profile; the zero value means no AEO
	// status.
	Operator Operator `json:"operator,omitzero"`
}

// A Summary is what a selectivity profile did to a batch of declarations:
// how many went down each lane, what each rule did, and how declarations
// of each AEO status and treatment fared. Counts are sums, so a summary
// does not depend on how the batch was spread over workers.
type Summary struct {
	Total int `json:"total"`
	// Lanes counts declarations per lane; Shares divides by Total;
	// Expected repeats the configured expected rates for comparison.
	Lanes    LaneCounts `json:"lanes"`
	Shares   LaneRates  `json:"shares"`
	Expected LaneRates  `json:"expected"`
	// Causes counts declarations by what decided their lane.
	Causes CauseCounts `json:"causes"`
	// Rules are the rules in configuration order.
	Rules []RuleStats `json:"rules"`
	// Statuses are the operator statuses met, sorted.
	Statuses []GroupStats `json:"statuses"`
	// Treatments are the AEO treatments in configuration order, then
	// "none" for declarations without one; those never applied are left
	// out.
	Treatments []GroupStats `json:"treatments"`
}

// LaneCounts counts declarations per lane.
type LaneCounts struct {
	Red    int `json:"red"`
	Yellow int `json:"yellow"`
	Blue   int `json:"blue"`
	Green  int `json:"green"`
}

// Get returns the count of lane l.
func (c LaneCounts) Get(l Lane) int {
	switch l {
	case Red:
		return c.Red
	case Yellow:
		return c.Yellow
	case Blue:
		return c.Blue
	case Green:
		return c.Green
	}
	return 0
}

func (c *LaneCounts) add(l Lane, n int) {
	switch l {
	case Red:
		c.Red += n
	case Yellow:
		c.Yellow += n
	case Blue:
		c.Blue += n
	case Green:
		c.Green += n
	}
}

func (c *LaneCounts) merge(o LaneCounts) {
	c.Red += o.Red
	c.Yellow += o.Yellow
	c.Blue += o.Blue
	c.Green += o.Green
}

func (c LaneCounts) total() int { return c.Red + c.Yellow + c.Blue + c.Green }

func (c LaneCounts) shares() LaneRates {
	var r LaneRates
	if n := c.total(); n > 0 {
		for _, l := range Lanes() {
			r.set(l, float64(c.Get(l))/float64(n))
		}
	}
	return r
}

// CauseCounts counts declarations by cause.
type CauseCounts struct {
	Default int `json:"default"`
	Rule    int `json:"rule"`
	Random  int `json:"random"`
	// Error counts declarations sent to the error lane by a rule that
	// failed.
	Error int `json:"error"`
}

// RuleStats is what one rule did over a batch.
type RuleStats struct {
	Rule string `json:"rule"`
	Lane Lane   `json:"lane"`
	// Fired counts declarations the rule fired on; Spared those it
	// matched but its rate spared; Skipped those it left out for a
	// missing fact; Failed those it failed on (sent to the error lane);
	// Decided those whose lane it decided by firing.
	Fired   int `json:"fired"`
	Spared  int `json:"spared"`
	Skipped int `json:"skipped"`
	Failed  int `json:"failed"`
	Decided int `json:"decided"`
	// Share is Fired / Total.
	Share float64 `json:"share"`
}

// GroupStats counts the lanes of one group of declarations: one operator
// status, or one treatment.
type GroupStats struct {
	Group  string     `json:"group"`
	Total  int        `json:"total"`
	Lanes  LaneCounts `json:"lanes"`
	Shares LaneRates  `json:"shares"`
}

// tally is one worker's share of a summary.
type tally struct {
	counts
	lanes      LaneCounts
	causes     CauseCounts
	statuses   map[string]*LaneCounts
	treatments []LaneCounts // by treatment, then none
}

func (s *Selector) newTally() *tally {
	n := len(s.cfg.Rules)
	return &tally{
		counts:     counts{fired: make([]int, n), spared: make([]int, n), skipped: make([]int, n), failed: make([]int, n), decided: make([]int, n)},
		statuses:   map[string]*LaneCounts{},
		treatments: make([]LaneCounts, len(s.treatments)+1),
	}
}

func (t *tally) add(dec *Decision, ti int) {
	t.lanes.add(dec.Lane, 1)
	switch dec.Cause {
	case ByRule:
		t.causes.Rule++
	case ByRandom:
		t.causes.Random++
	case ByError:
		t.causes.Error++
	default:
		t.causes.Default++
	}
	lc := t.statuses[dec.Status]
	if lc == nil {
		lc = &LaneCounts{}
		// A copy: the status may be a view of a buffer the caller reuses.
		t.statuses[strings.Clone(dec.Status)] = lc
	}
	lc.add(dec.Lane, 1)
	if ti < 0 {
		ti = len(t.treatments) - 1
	}
	t.treatments[ti].add(dec.Lane, 1)
}

func (t *tally) merge(o *tally) {
	for i := range t.fired {
		t.fired[i] += o.fired[i]
		t.spared[i] += o.spared[i]
		t.skipped[i] += o.skipped[i]
		t.failed[i] += o.failed[i]
		t.decided[i] += o.decided[i]
	}
	t.lanes.merge(o.lanes)
	t.causes.Default += o.causes.Default
	t.causes.Rule += o.causes.Rule
	t.causes.Random += o.causes.Random
	t.causes.Error += o.causes.Error
	for k, v := range o.statuses {
		lc := t.statuses[k]
		if lc == nil {
			lc = &LaneCounts{}
			t.statuses[k] = lc
		}
		lc.merge(*v)
	}
	for i := range t.treatments {
		t.treatments[i].merge(o.treatments[i])
	}
}

func (s *Selector) summary(t *tally) Summary {
	sum := Summary{Total: t.lanes.total(), Lanes: t.lanes, Shares: t.lanes.shares(), Expected: s.cfg.ExpectedRates, Causes: t.causes}
	sum.Rules = make([]RuleStats, len(s.cfg.Rules))
	for i, r := range s.cfg.Rules {
		rs := RuleStats{Rule: r.ID, Lane: r.Lane, Fired: t.fired[i], Spared: t.spared[i], Skipped: t.skipped[i], Failed: t.failed[i], Decided: t.decided[i]}
		if sum.Total > 0 {
			rs.Share = float64(rs.Fired) / float64(sum.Total)
		}
		sum.Rules[i] = rs
	}
	keys := make([]string, 0, len(t.statuses))
	for k := range t.statuses {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		lc := *t.statuses[k]
		sum.Statuses = append(sum.Statuses, GroupStats{Group: k, Total: lc.total(), Lanes: lc, Shares: lc.shares()})
	}
	for i, lc := range t.treatments {
		if lc.total() == 0 {
			continue
		}
		name := "none"
		if i < len(s.treatments) {
			name = s.treatments[i].ID
		}
		sum.Treatments = append(sum.Treatments, GroupStats{Group: name, Total: lc.total(), Lanes: lc, Shares: lc.shares()})
	}
	return sum
}

// batchSize is how many entries a worker takes at a time: large enough
// that handing batches over costs little, small enough to spread a short
// stream over every worker.
const batchSize = 256

// SelectBatch selects the lane of every entry of entries, on workers
// goroutines (GOMAXPROCS when workers < 1), and summarises the decisions.
// It is how an administration sees what a profile will do before
// activating it. entries is consumed on the calling goroutine; the entries
// it yields are copied, so it may reuse them, but not the slices and maps
// they refer to (Types, Facts), which workers read later. The summary is the
// same whatever the number of workers and however they are scheduled.
// SelectBatch returns early with ctx's error when ctx is done.
func (s *Selector) SelectBatch(ctx context.Context, entries iter.Seq[Entry], workers int) (Summary, error) {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	work := make(chan []Entry, workers)
	free := make(chan []Entry, 2*workers)
	tallies := make([]*tally, workers)
	var wg sync.WaitGroup
	for w := range workers {
		t := s.newTally()
		tallies[w] = t
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chunk := range work {
				if ctx.Err() == nil {
					s.selectChunk(chunk, t)
				}
				select {
				case free <- chunk[:0]:
				default:
				}
			}
		}()
	}
	chunk := make([]Entry, 0, batchSize)
	send := func() bool {
		select {
		case work <- chunk:
		case <-ctx.Done():
			return false
		}
		select {
		case chunk = <-free:
		default:
			chunk = make([]Entry, 0, batchSize)
		}
		return true
	}
	for e := range entries {
		chunk = append(chunk, e)
		if len(chunk) == batchSize {
			if !send() {
				break
			}
		}
	}
	if len(chunk) > 0 && ctx.Err() == nil {
		send()
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Summary{}, err
	}
	total := tallies[0]
	for _, t := range tallies[1:] {
		total.merge(t)
	}
	return s.summary(total), nil
}

func (s *Selector) selectChunk(chunk []Entry, t *tally) {
	ss := s.sessions.Get().(*Session)
	defer s.sessions.Put(ss)
	for i := range chunk {
		e := &chunk[i]
		var dec Decision
		ti := ss.decide(&e.Declaration, &e.Operator, &dec, &t.counts)
		t.add(&dec, ti)
	}
}

// A Tally counts decisions into a Summary as SelectBatch does, for a host
// that runs selection on its own goroutines (a replay of a year of
// declarations read from files, say). A Tally is not safe for concurrent
// use: give each goroutine its own, from the same Selector, and Merge
// them at the end; the summary does not depend on how declarations were
// spread over tallies.
type Tally struct {
	s *Selector
	t *tally
	// ss is the tally's own session, since one goroutine uses it: no
	// trip to the Selector's pool for each declaration.
	ss *Session
}

// NewTally returns an empty tally of s's decisions.
func (s *Selector) NewTally() *Tally {
	return &Tally{s: s, t: s.newTally(), ss: s.Session()}
}

// Select chooses the lane of d for op as Selector.Select does, and counts
// the decision, with every rule's outcome (not only the first MaxListed).
// It does not allocate.
func (t *Tally) Select(d *Declaration, op *Operator) Decision {
	if d == nil {
		d = &noDeclaration
	}
	var dec Decision
	ti := t.ss.decide(d, op, &dec, &t.t.counts)
	t.t.add(&dec, ti)
	return dec
}

// Merge adds o's counts to t. Both must come from the same Selector;
// Merge reports whether they did, and leaves t unchanged otherwise.
func (t *Tally) Merge(o *Tally) bool {
	if o.s != t.s {
		return false
	}
	t.t.merge(o.t)
	return true
}

// Summary summarises the decisions counted so far.
func (t *Tally) Summary() Summary { return t.s.summary(t.t) }
