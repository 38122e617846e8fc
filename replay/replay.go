package replay

import (
	"errors"
	"io"
	"runtime"
	"strconv"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/rules"
)

// A Replayer replays records through two versions of a programme, old and
// new. Make one with New; the zero value is not usable. It holds no state
// between replays and is safe for concurrent use: one Replayer may run
// several replays at the same time, though they then share the writer of
// WithChanges and the functions of WithProgress and WithProblemFunc.
type Replayer struct {
	old, new *aeo.Programme
	o        options
	// declFacts are the declaration facts either selectivity section
	// declares; profFacts the profile facts either programme declares.
	declFacts, profFacts map[string]factSpec
}

// factSpec is how each programme declares a fact.
type factSpec struct {
	inOld, inNew bool
	old, new     rules.FactType
}

// An Option configures a Replayer.
type Option func(*options)

type options struct {
	workers     int
	shard       Shard
	maxProblems int
	listed      int
	maxLine     int
	changes     io.Writer
	progress    func(Progress)
	onProblem   func(Problem)
}

// WithWorkers sets how many goroutines decode and replay records; below 1
// (the default) means GOMAXPROCS. The report does not depend on it.
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }

// WithShard makes the replay take one shard of its input (see Shard).
func WithShard(s Shard) Option { return func(o *options) { o.shard = s } }

// WithMaxProblems stops a replay that finds more than n problems, with a
// *TooManyProblemsError; by default a replay never stops for problems.
func WithMaxProblems(n int) Option { return func(o *options) { o.maxProblems = max(n, 0) } }

// WithListed sets how many problems, and how many operators whose
// outcomes change, a report lists (the first, in input order); all are
// counted. The default is 100.
func WithListed(n int) Option { return func(o *options) { o.listed = max(n, 0) } }

// WithMaxLine bounds the length of one line, and so the memory a replay
// takes (a few blocks of this size per worker); a longer line is a
// problem and is skipped. The default is 1 MiB.
func WithMaxLine(n int) Option { return func(o *options) { o.maxLine = n } }

// WithChanges writes every record whose lane or outcomes change to w, as
// one JSON object per line, in input order (see the package
// documentation).
func WithChanges(w io.Writer) Option { return func(o *options) { o.changes = w } }

// WithProgress calls f as the replay goes on, after each block of
// records, from one goroutine at a time. f should return quickly; a host
// that prints progress decides how often from its own clock.
func WithProgress(f func(Progress)) Option { return func(o *options) { o.progress = f } }

// WithProblemFunc calls f with every problem as it is found, in input
// order, from one goroutine at a time.
func WithProblemFunc(f func(Problem)) Option { return func(o *options) { o.onProblem = f } }

// New prepares the replay of old and new, which must both be given.
func New(old, new *aeo.Programme, opts ...Option) (*Replayer, error) {
	if old == nil || new == nil {
		return nil, errors.New("replay: need both programmes")
	}
	o := options{maxProblems: -1, listed: 100, maxLine: 1 << 20}
	for _, opt := range opts {
		opt(&o)
	}
	if o.workers < 1 {
		o.workers = runtime.GOMAXPROCS(0)
	}
	if o.maxLine < 1 {
		o.maxLine = 1 << 20
	}
	if err := o.shard.check(); err != nil {
		return nil, errors.New("replay: " + err.Error())
	}
	r := &Replayer{old: old, new: new, o: o}
	r.profFacts = specs(old.File().Facts, new.File().Facts)
	var oldSel, newSel []criteria.FactDecl
	if s := old.Selector(); s != nil {
		oldSel = s.Config().Facts
	}
	if s := new.Selector(); s != nil {
		newSel = s.Config().Facts
	}
	r.declFacts = specs(oldSel, newSel)
	return r, nil
}

func specs(old, new []criteria.FactDecl) map[string]factSpec {
	out := map[string]factSpec{}
	for _, f := range old {
		s := out[f.Name]
		s.inOld, s.old = true, rules.FactType(f.Type)
		out[f.Name] = s
	}
	for _, f := range new {
		s := out[f.Name]
		s.inNew, s.new = true, rules.FactType(f.Type)
		out[f.Name] = s
	}
	return out
}

// side names the two programmes in reports.
type side uint8

const (
	oldSide side = iota
	newSide
)

func (s side) String() string {
	if s == newSide {
		return "new"
	}
	return "old"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
