package risk

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/safe-aeo/engine/calendar"

	"github.com/safe-aeo/engine/criteria"
)

// An Option configures Compile and CompileSelectivity.
type Option func(*options)

type options struct {
	env      any
	facts    []criteria.FactDecl
	funcs    []criteria.Function
	maxNodes uint
	memory   uint
	steps    int
	seed     *string
	cal      *calendar.Calendar
}

// WithCalendar sets the calendar the review periods of a plan of
// treatment are counted in (review.change_method_after and
// review.reanalyse_after): the programme's working week and holidays, for
// a period in working days or with a roll. Without one, working days are
// Monday to Friday with no holiday. CompileSelectivity ignores it.
func WithCalendar(c *calendar.Calendar) Option { return func(o *options) { o.cal = c } }

// WithEnv sets the type of the operator environment that dimension scores
// and risk conditions are checked against, by a prototype: a pointer to a
// struct whose fields, named by their `expr` tags, are the facts. If the
// type has a method Fact(name string) (any, bool), declared extra facts
// are read through it as facts.NAME. Model.Map must then be given values
// of that type. The default is *Facts. CompileSelectivity ignores it: lane
// rules read declarations.
func WithEnv(prototype any) Option { return func(o *options) { o.env = prototype } }

// WithFacts declares extra facts expressions may read as facts.NAME, in
// addition to those the configuration declares. A host passes the facts
// its programme declares for operators.
func WithFacts(facts ...criteria.FactDecl) Option {
	return func(o *options) { o.facts = append(o.facts, facts...) }
}

// WithFunctions adds functions rule authors may call.
func WithFunctions(fs ...criteria.Function) Option {
	return func(o *options) { o.funcs = append(o.funcs, fs...) }
}

// WithMaxNodes bounds the size of each expression (default 2000 nodes).
func WithMaxNodes(n uint) Option { return func(o *options) { o.maxNodes = n } }

// WithMaxSteps bounds the work of one evaluation of one expression, in
// steps (see internal/rules: each loop counts the length it goes over);
// 0 keeps the default, 1,000,000.
func WithMaxSteps(n uint) Option { return func(o *options) { o.steps = int(min(n, 1<<40)) } }

// WithMemoryBudget bounds, in bytes, the strings, lists and maps one
// expression may build during one evaluation (default 16 MiB).
func WithMemoryBudget(n uint) Option { return func(o *options) { o.memory = n } }

// WithSeed replaces the seed of a selectivity configuration, so that a
// host can keep the seed out of the published programme file (see
// "Random selection" in the package documentation).
func WithSeed(seed string) Option { return func(o *options) { o.seed = &seed } }

// Facts is the default operator environment: every fact is a declared
// extra fact, read as facts.NAME. Package aeo's profile environment is the
// one hosts normally pass with WithEnv.
type Facts struct {
	// Date is the date of the risk mapping, read as as_of by years_since,
	// days_since and within.
	Date time.Time `expr:"as_of"`
	// Values holds the declared facts by name.
	Values map[string]any `expr:"-"`
}

// Fact returns f.Values[name].
func (f *Facts) Fact(name string) (any, bool) {
	v, ok := f.Values[name]
	return v, ok
}

// Validate reports a fact no score may rest on: a number that is NaN or
// infinite. Map calls it and refuses such facts.
func (f *Facts) Validate() error {
	for _, v := range f.Values {
		if criteria.Finite(v) {
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(f.Values)) {
			if !criteria.Finite(f.Values[name]) {
				return fmt.Errorf("risk: fact %q is %v, not a finite number", name, f.Values[name])
			}
		}
	}
	return nil
}
