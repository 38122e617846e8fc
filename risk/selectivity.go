package risk

import (
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

// SelectivityConfig is the selectivity part of a programme (the programme
// file's selectivity: section): the lane rules applied to each declaration,
// the random selection, the expected rates per lane, and how AEO status,
// at home or in a partner programme recognised under a mutual recognition
// arrangement, lowers intervention. It is plain data.
type SelectivityConfig struct {
	// Facts declares extra declaration facts rules may read as
	// facts.NAME, from Declaration.Facts.
	Facts []criteria.FactDecl `json:"facts,omitempty"`
	// Rules are the lane rules (ASYCUDA's selectivity criteria).
	Rules []Rule `json:"rules,omitempty"`
	// ExpectedRates are the shares of declarations the administration
	// expects in each lane. Select does not top selections up to them
	// (see the package documentation); Summary reports the actual shares
	// beside them.
	ExpectedRates LaneRates `json:"expected_rates,omitzero"`
	// MinRandomRate is the share of declarations selected at random,
	// whatever the rules say (ASYCUDA's minimum random rate), before AEO
	// treatments scale it.
	MinRandomRate float64 `json:"min_random_rate,omitempty"`
	// RandomLane is the lane random selection sends a declaration to;
	// default red.
	RandomLane Lane `json:"random_lane,omitempty"`
	// ErrorLane is the lane a declaration goes to when a lane rule fails
	// on it at run time (a code int() cannot read, a number that is NaN):
	// red, yellow or blue; default red, the strictest. A rule that cannot
	// be evaluated says nothing about the declaration, so it never
	// releases it, and no AEO treatment lowers the error lane.
	ErrorLane Lane `json:"error_lane,omitempty"`
	// AEO lists the treatments of operators by AEO status, authorization
	// type and grade, most specific first: the first that matches an
	// operator applies.
	AEO []Treatment `json:"aeo,omitempty"`
	// MRA lists the partner programmes whose AEOs are recognised, each
	// given a treatment. It applies when no treatment matches the
	// operator's own status.
	MRA []Recognition `json:"mra,omitempty"`
	// Seed keys the random draws, so that the same seed and declaration
	// always give the same draw. Keep it secret (see WithSeed).
	Seed string `json:"seed,omitempty"`
}

// A Rule is one lane rule: when its condition holds for a declaration, the
// rule fires (at its rate) and proposes its lane.
type Rule struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	Lane  Lane   `json:"lane"`
	// Priority orders rules of the same lane, highest first, to name the
	// rule that decided a lane; it never overrides lane precedence.
	Priority int `json:"priority,omitempty"`
	// When is a condition over the declaration (see the package
	// documentation for the names it may use).
	When string `json:"when"`
	// Rate is the share of matching declarations the rule selects, from
	// 0 to 1 (ASYCUDA's "RedLane IS 30" is 0.3); omitted or 0 means all.
	Rate float64 `json:"rate,omitempty"`
	// Fixed exempts the rule from AEO treatments: neither its rate nor
	// its lane is lowered (for intelligence-led or safety and security
	// targeting).
	Fixed bool `json:"fixed,omitempty"`
	// IfMissing says what happens when a fact the rule reads is absent:
	// skip (the default) or fire.
	IfMissing  MissingPolicy `json:"if_missing,omitempty"`
	Source     string        `json:"source,omitempty"`
	Unverified bool          `json:"unverified,omitempty"`
	Note       string        `json:"note,omitempty"`
}

// LaneRates gives a rate, from 0 to 1, per lane.
type LaneRates struct {
	Red    float64 `json:"red,omitempty"`
	Yellow float64 `json:"yellow,omitempty"`
	Blue   float64 `json:"blue,omitempty"`
	Green  float64 `json:"green,omitempty"`
}

// Get returns the rate of lane l (0 for NoLane).
func (r LaneRates) Get(l Lane) float64 {
	switch l {
	case Red:
		return r.Red
	case Yellow:
		return r.Yellow
	case Blue:
		return r.Blue
	case Green:
		return r.Green
	}
	return 0
}

func (r *LaneRates) set(l Lane, v float64) {
	switch l {
	case Red:
		r.Red = v
	case Yellow:
		r.Yellow = v
	case Blue:
		r.Blue = v
	case Green:
		r.Green = v
	}
}

// LaneMap maps lanes to lower ones, for an AEO treatment that downgrades
// selections (red to yellow: a documentary check instead of a physical
// examination). NoLane leaves a lane as it is.
type LaneMap struct {
	Red    Lane `json:"red,omitempty"`
	Yellow Lane `json:"yellow,omitempty"`
	Blue   Lane `json:"blue,omitempty"`
}

func (m LaneMap) apply(l Lane) Lane {
	to := NoLane
	switch l {
	case Red:
		to = m.Red
	case Yellow:
		to = m.Yellow
	case Blue:
		to = m.Blue
	}
	if to == NoLane {
		return l
	}
	return to
}

// A Treatment lowers intervention for operators with a given AEO status,
// authorization type and grade. China's advanced certified enterprises,
// for instance, see an average inspection rate below 20% of that of
// regular enterprises: a rule and random factor of 0.2.
type Treatment struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// Statuses are the operator statuses the treatment applies to, e.g.
	// authorized (compared ignoring case). A treatment that partner
	// programmes reach through mra, and no domestic operator, lists none.
	Statuses []string `json:"statuses"`
	// Types, if given, require the operator to hold one of these
	// authorization types (AEOC, AEOS); Grades one of these grades or
	// tiers.
	Types  []string `json:"types,omitempty"`
	Grades []string `json:"grades,omitempty"`
	// RuleFactor multiplies the rate of every red, yellow or blue rule
	// that is not Fixed; RandomFactor the random rate. Omitted means 1 (no change); 0 means
	// never selected that way. Rates are capped at 1.
	RuleFactor   *float64 `json:"rule_factor,omitempty"`
	RandomFactor *float64 `json:"random_factor,omitempty"`
	// Downgrade lowers the lane proposed by rules that are not Fixed and
	// by random selection.
	Downgrade  LaneMap `json:"downgrade,omitzero"`
	Source     string  `json:"source,omitempty"`
	Unverified bool    `json:"unverified,omitempty"`
	Note       string  `json:"note,omitempty"`
}

// A Recognition recognises the AEOs of a partner programme under a mutual
// recognition arrangement, treating them as Treatment says.
type Recognition struct {
	// Programme is the partner programme, as in Operator.Partner
	// (compared ignoring case), e.g. "US C-TPAT".
	Programme string `json:"programme"`
	// Treatment is the ID of the treatment given to its members.
	Treatment string `json:"treatment"`
	// From and Until, if given, bound the dates (inclusive) of the
	// declarations the arrangement covers.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Types, if given, are the partner's authorization types the
	// arrangement covers (an MRA may cover security types only): a
	// member is recognised only while it holds one of them in force
	// (Operator.PartnerTypes).
	Types      []string `json:"types,omitempty"`
	Source     string   `json:"source,omitempty"`
	Unverified bool     `json:"unverified,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// A Selector is a compiled selectivity configuration. It is immutable
// (apart from a pool of scratch environments) and safe for concurrent use
// by multiple goroutines. A Selector must not be copied.
type Selector struct {
	cfg        SelectivityConfig
	model      *rules.Model
	rules      []laneRule // in precedence order: lane, priority, position
	treatments []treatment
	mra        []recognition
	random     uint64 // hash prefix of the random draw
	minRandom  float64
	randomLane Lane
	errorLane  Lane
	// readsVendor reports that some lane rule reads the vendor's fields,
	// which a declaration's environment then carries.
	readsVendor bool
	factNames   []string  // the declared facts, as FactAt serves them
	sessions    sync.Pool // of *Session, for Select
}

type laneRule struct {
	*Rule
	index  int // position in the configuration
	prog   *rules.Program
	need   fieldSet // declaration fields the rule reads
	facts  []int    // extra facts the rule reads, by position in factNames
	rate   float64
	prefix uint64 // hash prefix of the rule's draw
}

type treatment struct {
	*Treatment
	ruleFactor, randomFactor float64
}

type recognition struct {
	*Recognition
	treatment int
}

// maxRules bounds a profile, since decisions record rules by a 16-bit
// index.
const maxRules = 1<<16 - 1

// CompileSelectivity validates cfg and compiles every lane rule against
// the declaration environment. It reports every problem it finds as
// diag.List whose paths are relative to the selectivity section
// (rules[3].when). Options WithFacts, WithFunctions, WithMaxNodes,
// WithMemoryBudget and WithSeed apply; WithEnv does not.
func CompileSelectivity(cfg SelectivityConfig, opts ...Option) (*Selector, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	// The Selector keeps its own copies of what it reads when selecting,
	// so that a caller changing its configuration afterwards changes
	// nothing.
	cfg.Rules = clone(cfg.Rules)
	cfg.AEO = clone(cfg.AEO)
	for i := range cfg.AEO {
		t := &cfg.AEO[i]
		t.Statuses, t.Types, t.Grades = clone(t.Statuses), clone(t.Types), clone(t.Grades)
		t.RuleFactor, t.RandomFactor = clonePtr(t.RuleFactor), clonePtr(t.RandomFactor)
	}
	cfg.MRA = clone(cfg.MRA)
	for i := range cfg.MRA {
		cfg.MRA[i].Types = clone(cfg.MRA[i].Types)
	}
	c := &compiler{}
	facts := c.facts(o.facts, cfg.Facts, "facts")
	// The lane environment is the package's own: its facts cannot panic.
	model, err := newModel(&laneEnv{}, facts, &o, rules.WithTrustedEnv())
	if err != nil {
		return nil, err
	}
	s := &Selector{cfg: cfg.clone(), model: model, minRandom: cfg.MinRandomRate, randomLane: cfg.RandomLane, errorLane: cfg.ErrorLane, factNames: model.FactNames()}
	s.sessions.New = func() any { return s.Session() }
	seed := cfg.Seed
	if o.seed != nil {
		seed = *o.seed
	}
	random := cfg.MinRandomRate > 0
	if len(cfg.Rules) > maxRules {
		c.errs.Add("rules", "at most %d rules", maxRules)
	}
	ids := map[string]bool{}
	for i := range cfg.Rules {
		r := &cfg.Rules[i]
		p := diag.Index("rules", i)
		c.checkID(p, r.ID)
		if ids[r.ID] && r.ID != "" {
			c.errs.Add(diag.Join(p, "id"), "rule %q defined twice", r.ID)
		}
		ids[r.ID] = true
		if !r.Lane.valid() {
			c.errs.Add(diag.Join(p, "lane"), "lane is required: red, yellow, blue or green")
		}
		lr := laneRule{Rule: r, index: i, rate: r.Rate}
		if lr.rate == 0 {
			lr.rate = 1
		}
		if !(r.Rate >= 0 && r.Rate <= 1) {
			c.errs.Add(diag.Join(p, "rate"), "rate must be between 0 and 1 (0.3 selects 30%% of matching declarations)")
		}
		random = random || lr.rate < 1
		if r.IfMissing > Fire {
			c.errs.Add(diag.Join(p, "if_missing"), "if_missing must be skip or fire")
		}
		if strings.TrimSpace(r.When) == "" {
			c.errs.Add(p, "when is required: the condition under which the rule fires")
		} else if lr.prog = c.compile(model, diag.Join(p, "when"), r.When, rules.Bool); lr.prog != nil {
			lr.need, lr.facts = reads(lr.prog, s.factNames)
			s.readsVendor = s.readsVendor || lr.need&fVendor != 0
		}
		lr.prefix = hashPrefix(seed, "rule", r.ID)
		s.rules = append(s.rules, lr)
	}
	sort.SliceStable(s.rules, func(i, j int) bool {
		a, b := s.rules[i], s.rules[j]
		if a.Lane != b.Lane {
			return a.Lane > b.Lane
		}
		return a.Priority > b.Priority
	})
	checkRate := func(p string, v float64) {
		if !(v >= 0 && v <= 1) {
			c.errs.Add(p, "a rate must be between 0 and 1")
		}
	}
	checkRate("min_random_rate", cfg.MinRandomRate)
	var sum float64
	for _, l := range Lanes() {
		v := cfg.ExpectedRates.Get(l)
		checkRate(diag.Join("expected_rates", l.String()), v)
		sum += v
	}
	if sum > 1+1e-9 {
		c.errs.Add("expected_rates", "the expected rates add up to %g, more than 1", sum)
	}
	switch {
	case s.randomLane == NoLane:
		s.randomLane = Red
	case !s.randomLane.valid() || s.randomLane == Green:
		c.errs.Add("random_lane", "random_lane must be red, yellow or blue")
	}
	if s.errorLane == NoLane {
		s.errorLane = Red
	} else if !s.errorLane.valid() || s.errorLane == Green {
		c.errs.Add("error_lane", "error_lane must be red, yellow or blue: a rule that fails never releases a declaration")
	}

	tIndex := map[string]int{}
	for i := range cfg.AEO {
		t := &cfg.AEO[i]
		p := diag.Index("aeo", i)
		c.checkID(p, t.ID)
		if t.ID == "none" {
			c.errs.Add(diag.Join(p, "id"), `"none" is reserved for operators without a treatment`)
		}
		if _, dup := tIndex[t.ID]; dup && t.ID != "" {
			c.errs.Add(diag.Join(p, "id"), "treatment %q defined twice", t.ID)
		} else {
			tIndex[t.ID] = i
		}
		if len(t.Statuses) == 0 && !reachedByMRA(cfg.MRA, t.ID) {
			c.errs.Add(p, "statuses is required: the operator statuses the treatment applies to, e.g. authorized (only a treatment reached through mra may list none)")
		}
		tr := treatment{Treatment: t, ruleFactor: 1, randomFactor: 1}
		factor := func(key string, f *float64, dst *float64) {
			if f == nil {
				return
			}
			if !(*f >= 0) || math.IsInf(*f, 0) {
				c.errs.Add(diag.Join(p, key), "a factor must be a number of 0 or more (0.2 keeps a fifth of the selections)")
				return
			}
			*dst = *f
			random = random || *f != 1
		}
		factor("rule_factor", t.RuleFactor, &tr.ruleFactor)
		factor("random_factor", t.RandomFactor, &tr.randomFactor)
		for _, from := range []Lane{Red, Yellow, Blue} {
			to := t.Downgrade.apply(from)
			if to != from && (!to.valid() || to > from) {
				c.errs.Add(diag.Join(diag.Join(p, "downgrade"), from.String()), "a downgrade must lead to a lower lane than %s", from)
			}
		}
		s.treatments = append(s.treatments, tr)
	}
	for i := range cfg.MRA {
		rc := &cfg.MRA[i]
		p := diag.Index("mra", i)
		if strings.TrimSpace(rc.Programme) == "" {
			c.errs.Add(p, "programme is required: the partner programme, as operators' partner field names it")
		}
		ti, ok := tIndex[rc.Treatment]
		if !ok {
			c.errs.Add(diag.Join(p, "treatment"), "unknown treatment %q: name one listed under aeo%s", rc.Treatment, known(tIndex))
		}
		if !rc.From.IsZero() && !rc.Until.IsZero() && rc.Until.Before(rc.From) {
			c.errs.Add(diag.Join(p, "until"), "until is before from")
		}
		checkRecognition(p, rc, &c.errs)
		s.mra = append(s.mra, recognition{Recognition: rc, treatment: ti})
	}
	if random && seed == "" {
		c.errs.Add("seed", "seed is required when selection is random: a secret string that keys the draws (or pass it with WithSeed)")
	}
	s.random = hashPrefix(seed, "random", "")
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// reachedByMRA reports whether a partner programme under mra applies the
// treatment id: such a treatment needs no domestic statuses.
func reachedByMRA(mra []Recognition, id string) bool {
	for _, r := range mra {
		if r.Treatment == id {
			return true
		}
	}
	return false
}

// MustCompileSelectivity is like CompileSelectivity but panics on error.
// It is for configurations fixed at build time, in tests and examples.
func MustCompileSelectivity(cfg SelectivityConfig, opts ...Option) *Selector {
	s, err := CompileSelectivity(cfg, opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Config returns a copy of the configuration s was compiled from: a
// caller may change it without changing s.
func (s *Selector) Config() SelectivityConfig { return s.cfg.clone() }

// clone returns a deep copy of c, sharing no slice or pointer with it.
func (c SelectivityConfig) clone() SelectivityConfig {
	c.Facts = clone(c.Facts)
	c.Rules = clone(c.Rules)
	c.AEO = clone(c.AEO)
	for i := range c.AEO {
		t := &c.AEO[i]
		t.Statuses, t.Types, t.Grades = clone(t.Statuses), clone(t.Types), clone(t.Grades)
		t.RuleFactor, t.RandomFactor = clonePtr(t.RuleFactor), clonePtr(t.RandomFactor)
	}
	c.MRA = clone(c.MRA)
	return c
}

// treatment returns the index of the treatment that applies to o on date,
// or -1.
func (s *Selector) treatment(o *Operator, date time.Time) int {
	for i := range s.treatments {
		if s.treatments[i].matches(o) {
			return i
		}
	}
	if o.Partner == "" {
		return -1
	}
	return s.recognised(o.Partner, o.PartnerTypes, date)
}

func (t *treatment) matches(o *Operator) bool {
	if !containsFold(t.Statuses, o.Status) {
		return false
	}
	if len(t.Types) > 0 {
		held := false
		for _, ty := range o.Types {
			held = held || containsFold(t.Types, ty)
		}
		if !held {
			return false
		}
	}
	return len(t.Grades) == 0 || containsFold(t.Grades, o.Grade)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func clone[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append([]T(nil), s...)
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
