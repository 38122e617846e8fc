package criteria

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/internal/rules"
)

// A Subject is what requirements are evaluated against: the operator's
// facts as of a date. Package aeo's profile environment is the Subject
// hosts normally use; Facts is a plain one for programmes without a
// profile. Implementations must be safe to read from several goroutines.
//
// A Subject that may hold values no rule can rest on (a NaN or an
// infinity, which make "not (x < 80)" true) should also have a method
// Validate() error; Evaluate calls it first and refuses the subject when
// it reports a problem, as it does for *Facts.
type Subject interface {
	// AsOf is the assessment date every date rule counts from.
	AsOf() time.Time
	// HasRole reports whether the operator acts in role, and whether its
	// roles are known at all.
	HasRole(role string) (has, known bool)
	// BusinessModel returns the operator's business model (e-commerce
	// model "1".."4", fulfilment "4-1".."4-3"), if known.
	BusinessModel() (model string, known bool)
	// SME reports whether the operator is a small or medium-sized
	// enterprise, and whether that is known.
	SME() (sme, known bool)
	// Certification returns the identifier of a certification of the
	// given kind, issued by one of issuers (any issuer when empty), valid
	// on AsOf.
	Certification(kind string, issuers []string) (id string, ok bool)
	// Fact returns a declared extra fact.
	Fact(name string) (any, bool)
}

// A Function is a function rule authors may call in expressions. It must be
// safe for concurrent use: one Set is evaluated from many goroutines.
type Function struct {
	Name string
	Doc  string
	// Fn receives the call's arguments, preceded by the Subject when
	// Subject is true.
	Fn func(args ...any) (any, error)
	// Types are signatures for type checking, such as
	// new(func(string) bool); with Subject, include the leading subject
	// parameter as any: new(func(any, string) bool).
	Types   []any
	Subject bool
}

// An Option configures Compile.
type Option func(*options)

type options struct {
	env      Subject
	funcs    []Function
	maxNodes uint
	memory   uint
	steps    int
	evidence []Evidence
	lang     language.Tag
}

// WithEnv sets the type of Subject expressions are checked against, by a
// prototype: a pointer to a struct whose fields, named by their `expr`
// tags, are the facts. Evaluate must then be given Subjects of that type.
// The default is *Facts.
func WithEnv(prototype Subject) Option { return func(o *options) { o.env = prototype } }

// WithFunctions adds functions rule authors may call.
func WithFunctions(fs ...Function) Option {
	return func(o *options) { o.funcs = append(o.funcs, fs...) }
}

// WithEvidence sets the kinds of evidence requirements may call for, as a
// programme's vocabulary declares them; the default is self_assessment,
// document and on_site. On-site evidence keeps its meaning whatever the
// list: a met requirement that calls for it is still to be verified on
// site.
func WithEvidence(kinds ...Evidence) Option {
	return func(o *options) { o.evidence = append(o.evidence, kinds...) }
}

// WithLanguage sets the programme's language: the language of its plain
// texts, and the one findings, criteria and authorizations are titled and
// explained in (see [Text.In]). The default is English.
func WithLanguage(lang language.Tag) Option { return func(o *options) { o.lang = lang } }

// WithMaxNodes bounds the size of each expression (default 2000 nodes).
func WithMaxNodes(n uint) Option { return func(o *options) { o.maxNodes = n } }

// WithMaxSteps bounds the work of one evaluation of one expression, in
// steps (each loop counts the length it goes over; default 1,000,000).
func WithMaxSteps(n uint) Option { return func(o *options) { o.steps = int(min(n, 1<<40)) } }

// WithMemoryBudget bounds, in bytes, the strings, lists and maps one
// expression may build during one evaluation (default 16 MiB).
func WithMemoryBudget(n uint) Option { return func(o *options) { o.memory = n } }

// A Set is a compiled criteria configuration. It is immutable and safe for
// concurrent use by multiple goroutines.
type Set struct {
	cfg       Config
	subject   *rules.Model
	decision  *rules.Model
	envType   reflect.Type
	reqs      []*requirement
	crits     []*criterion
	auths     []*authorization
	critIndex map[string]int
	reqIndex  map[string]int
	numFacts  int
	maxFacts  int
	numOnSite int
	// undecidedReasons[n] is a criterion's reason when n of its
	// requirements are undecided.
	undecidedReasons []string
	// views reports whether any authorization expression reads the
	// criteria (criteria.ID...), so that evaluation builds them only then.
	views bool
}

type requirement struct {
	Requirement
	index       int
	crit        int
	when        *rules.Program
	partly      *rules.Program
	appliesIf   *rules.Program
	sme         *rules.Program
	equivalents []*Equivalence
	weight      float64
	onSite      bool
	level       Level
	// messages are the requirement's messages by outcome, chosen once
	// here, and title its title, both in the programme's language.
	messages [numOutcomes]Message
	title    string
	// notApplicable are the reasons given when the requirement does not
	// apply, written once here rather than on every evaluation.
	notForRoles, notForModels, notApplies string
}

type criterion struct {
	Criterion
	title   string
	reqs    []int
	score   *rules.Program
	measure *rules.Program
	pass    *rules.Program
}

type authorization struct {
	Authorization
	title    string
	crits    []int
	includes []int
	grant    *rules.Program
	grades   []*rules.Program
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]*$`)
var factName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Compile validates cfg and compiles every expression in it. It reports
// every problem it finds, not only the first, as a list of *diag.Error
// whose paths name the place in the configuration (requirements[3].when).
func Compile(cfg Config, opts ...Option) (*Set, error) {
	o := options{env: &Facts{}, lang: language.English}
	for _, opt := range opts {
		opt(&o)
	}
	if len(o.evidence) == 0 {
		o.evidence = []Evidence{SelfAssessment, Document, OnSite}
	}
	evidence := make([]string, len(o.evidence))
	for i, e := range o.evidence {
		evidence[i] = string(e)
	}
	var errs diag.List
	facts := map[string]rules.FactType{}
	rules.Declare(facts, "facts", len(cfg.Facts), func(i int) (string, string) { return cfg.Facts[i].Name, cfg.Facts[i].Type }, &errs)
	for key, v := range map[string]float64{"met": cfg.Scoring.Met, "partly": cfg.Scoring.Partly, "not_met": cfg.Scoring.NotMet} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs.Add(diag.Join("scoring", key), "points must be a finite number")
		}
	}
	var funcs []rules.Func
	for _, f := range o.funcs {
		funcs = append(funcs, rules.Func{Name: f.Name, Doc: f.Doc, Fn: f.Fn, Types: f.Types, Env: f.Subject})
	}
	mopts := []rules.ModelOption{rules.WithFacts(facts), rules.WithFuncs(funcs...), rules.WithMaxNodes(o.maxNodes), rules.WithMemoryBudget(o.memory), rules.WithLimits(rules.Limits{MaxSteps: o.steps})}
	subject, err := rules.NewModel(o.env, mopts...)
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	decision, err := rules.NewModel(&decisionEnv{}, rules.WithFacts(facts), rules.WithMaxNodes(o.maxNodes), rules.WithMemoryBudget(o.memory), rules.WithLimits(rules.Limits{MaxSteps: o.steps}))
	if err != nil {
		return nil, fmt.Errorf("criteria: %w", err)
	}
	s := &Set{
		cfg:       cfg,
		subject:   subject,
		decision:  decision,
		envType:   reflect.TypeOf(o.env),
		critIndex: map[string]int{},
		reqIndex:  map[string]int{},
	}
	compile := func(m *rules.Model, path, src string, k rules.Kind) *rules.Program {
		return m.CompileAt(path, src, k, &errs)
	}

	for i, c := range cfg.Criteria {
		p := diag.Index("criteria", i)
		checkID(&errs, p, c.ID)
		if _, dup := s.critIndex[c.ID]; dup && c.ID != "" {
			errs.Add(diag.Join(p, "id"), "criterion %q defined twice", c.ID)
		}
		if c.Side != "" && !valid(c.Side, SideAEO, SideCustoms, SideJoint) {
			errs.Add(diag.Join(p, "side"), "unknown side %q (want aeo, customs or joint)", c.Side)
		}
		cr := &criterion{Criterion: c, title: c.Title.In(o.lang)}
		if c.Measure != "" {
			if c.Score != "" {
				errs.Add(p, "give a criterion either a score (over its tallies) or a measure (over the operator's facts), not both")
			}
			cr.measure = compile(subject, diag.Join(p, "measure"), c.Measure, rules.Number)
		}
		if c.Score != "" {
			cr.score = compile(decision, diag.Join(p, "score"), c.Score, rules.Number)
		}
		if c.Pass != "" {
			cr.pass = compile(decision, diag.Join(p, "pass"), c.Pass, rules.Bool)
		}
		s.critIndex[c.ID] = len(s.crits)
		s.crits = append(s.crits, cr)
	}
	customs := map[string]bool{}
	for i, r := range cfg.Requirements {
		p := diag.Index("requirements", i)
		checkID(&errs, p, r.ID)
		if _, dup := s.reqIndex[r.ID]; (dup || customs[r.ID]) && r.ID != "" {
			errs.Add(diag.Join(p, "id"), "requirement %q defined twice", r.ID)
		}
		if r.Side == SideCustoms {
			checkCustoms(&errs, p, r, s.critIndex)
			customs[r.ID] = true
			continue
		}
		if len(r.MetBy) > 0 {
			errs.Add(diag.Join(p, "met_by"), "met_by says how the programme meets an obligation of Customs: it belongs to requirements with side: customs")
		}
		rq := &requirement{Requirement: r, index: i, weight: r.Weight, level: r.Level, title: r.Title.In(o.lang),
			notForRoles:  "applies to " + strings.Join(r.Roles, ", ") + " only",
			notForModels: "applies to business models " + strings.Join(r.BusinessModels, ", ") + " only",
			notApplies:   "does not apply: " + r.AppliesIf}
		if rq.level == "" {
			rq.level = Required
		}
		if (r.Messages.Internal != "" || !r.Messages.Operator.IsZero()) && r.Messages.NotMet != nil {
			errs.Add(diag.Join(p, "messages"), "give the not_met message either under not_met or as the short form (internal, operator), not both")
		}
		for oc := range rq.messages {
			rq.messages[oc] = r.Messages.For(Outcome(oc), o.lang)
		}
		if rq.weight == 0 {
			rq.weight = 1
		}
		if !(r.Weight >= 0) || math.IsInf(r.Weight, 0) {
			errs.Add(diag.Join(p, "weight"), "weight must be a finite number of 0 or more")
		}
		if math.IsNaN(r.Points) || math.IsInf(r.Points, 0) {
			errs.Add(diag.Join(p, "points"), "points must be a finite number")
		}
		ci, ok := s.critIndex[r.Criterion]
		switch {
		case r.Criterion == "":
			errs.Add(p, "criterion is required: name the criterion this requirement belongs to")
		case !ok:
			errs.Add(diag.Join(p, "criterion"), "unknown criterion %q%s", r.Criterion, known(s.critIndex))
		default:
			rq.crit = ci
			s.crits[ci].reqs = append(s.crits[ci].reqs, len(s.reqs))
		}
		if strings.TrimSpace(r.Source) == "" {
			errs.Add(p, "source is required: name the SAFE item or the article of national law the requirement encodes")
		}
		if strings.TrimSpace(rq.title) == "" {
			errs.Add(p, "title is required")
		}
		if !valid(rq.level, Required, Desired, Bonus) {
			errs.Add(diag.Join(p, "level"), "unknown level %q (want required, desired or bonus)", r.Level)
		}
		if r.Side != "" && !valid(r.Side, SideAEO, SideCustoms, SideJoint) {
			errs.Add(diag.Join(p, "side"), "unknown side %q (want aeo, customs or joint)", r.Side)
		}
		checkSites(&errs, p, r.Sites)
		if r.Points != 0 && rq.level != Bonus {
			errs.Add(diag.Join(p, "points"), "points are earned by bonus requirements only; set level: bonus or use scoring")
		}
		for j, e := range r.Evidence {
			if !valid(e, o.evidence...) {
				errs.Add(diag.Index(diag.Join(p, "evidence"), j), "unknown evidence %q%s", e, decode.Suggest(string(e), evidence, true))
			}
			rq.onSite = rq.onSite || e == OnSite
		}
		if rq.onSite {
			s.numOnSite++
		}
		if strings.TrimSpace(r.When) == "" {
			errs.Add(p, "when is required: the condition under which the requirement is met")
		} else {
			rq.when = compile(subject, diag.Join(p, "when"), r.When, rules.Bool)
		}
		if r.Partly != "" {
			rq.partly = compile(subject, diag.Join(p, "partly"), r.Partly, rules.Bool)
		}
		if r.AppliesIf != "" {
			rq.appliesIf = compile(subject, diag.Join(p, "applies_if"), r.AppliesIf, rules.Bool)
		}
		if r.SME != nil {
			rq.sme = compile(subject, diag.Join(p, "sme.when"), r.SME.When, rules.Bool)
		}
		for _, p := range []*rules.Program{rq.when, rq.sme} {
			if p != nil {
				s.numFacts += p.NumFacts()
				s.maxFacts = max(s.maxFacts, p.NumFacts())
			}
		}
		// Indexes count the requirements evaluated: Customs' obligations
		// are not among them.
		s.reqIndex[r.ID] = len(s.reqs)
		s.reqs = append(s.reqs, rq)
	}
	eqIDs := map[string]bool{}
	for i := range cfg.Equivalences {
		e := &cfg.Equivalences[i]
		p := diag.Index("equivalences", i)
		checkID(&errs, p, e.ID)
		if eqIDs[e.ID] && e.ID != "" {
			errs.Add(diag.Join(p, "id"), "equivalence %q defined twice", e.ID)
		}
		eqIDs[e.ID] = true
		if strings.TrimSpace(e.Certification) == "" {
			errs.Add(p, "certification is required: the kind of certification, e.g. \"ISO 28000\"")
		}
		if len(e.Satisfies) == 0 {
			errs.Add(p, "satisfies is required: the requirement IDs the certification satisfies")
		}
		checkEquivalence(&errs, p, e)
		for j, id := range e.Satisfies {
			ri, ok := s.reqIndex[id]
			if customs[id] {
				errs.Add(diag.Index(diag.Join(p, "satisfies"), j), "%s binds Customs: no operator's certification satisfies it", id)
				continue
			}
			if !ok {
				errs.Add(diag.Index(diag.Join(p, "satisfies"), j), "unknown requirement %q", id)
				continue
			}
			s.reqs[ri].equivalents = append(s.reqs[ri].equivalents, e)
		}
	}
	authIndex := map[string]int{}
	for i, a := range cfg.Authorizations {
		p := diag.Index("authorizations", i)
		checkID(&errs, p, a.ID)
		if _, dup := authIndex[a.ID]; dup && a.ID != "" {
			errs.Add(diag.Join(p, "id"), "authorization %q defined twice", a.ID)
		}
		au := &authorization{Authorization: a, title: a.Title.In(o.lang)}
		for j, id := range a.Criteria {
			ci, ok := s.critIndex[id]
			if !ok {
				errs.Add(diag.Index(diag.Join(p, "criteria"), j), "unknown criterion %q%s", id, known(s.critIndex))
				continue
			}
			au.crits = append(au.crits, ci)
		}
		for j, id := range a.Includes {
			ai, ok := authIndex[id]
			if !ok {
				errs.Add(diag.Index(diag.Join(p, "includes"), j), "unknown authorization %q: a combined authorization may include only authorizations listed before it", id)
				continue
			}
			au.includes = append(au.includes, ai)
		}
		if len(a.Includes) > 0 && (a.Grant != "" || len(a.Grades) > 0 || len(a.Criteria) > 0) {
			errs.Add(p, "a combined authorization (includes) takes its criteria, grant and grades from the authorizations it includes")
		}
		if len(a.Criteria) == 0 && len(a.Includes) == 0 {
			for ci := range s.crits {
				au.crits = append(au.crits, ci)
			}
		}
		if len(a.Includes) > 0 {
			seen := map[int]bool{}
			for _, ai := range au.includes {
				for _, ci := range s.auths[ai].crits {
					if !seen[ci] {
						seen[ci] = true
						au.crits = append(au.crits, ci)
					}
				}
			}
		}
		if a.Grant != "" {
			au.grant = compile(decision, diag.Join(p, "grant"), a.Grant, rules.Bool)
			s.views = checkCriteriaRefs(&errs, diag.Join(p, "grant"), au.grant, s.critIndex) || s.views
		}
		gradeIDs := map[string]bool{}
		for j, g := range a.Grades {
			gp := diag.Index(diag.Join(p, "grades"), j)
			checkID(&errs, gp, g.ID)
			if gradeIDs[g.ID] {
				errs.Add(diag.Join(gp, "id"), "grade %q defined twice", g.ID)
			}
			gradeIDs[g.ID] = true
			prog := compile(decision, diag.Join(gp, "when"), g.When, rules.Bool)
			s.views = checkCriteriaRefs(&errs, diag.Join(gp, "when"), prog, s.critIndex) || s.views
			au.grades = append(au.grades, prog)
		}
		authIndex[a.ID] = len(s.auths)
		s.auths = append(s.auths, au)
	}
	most := 0
	for i, c := range s.crits {
		most = max(most, len(c.reqs))
		if len(c.reqs) == 0 {
			errs.Add(diag.Index("criteria", i), "criterion %q has no requirements", c.ID)
		}
		checkCriteriaRefs(&errs, diag.Join(diag.Index("criteria", i), "pass"), c.pass, s.critIndex)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	s.undecidedReasons = make([]string, most+1)
	for n := 1; n <= most; n++ {
		s.undecidedReasons[n] = strconv.Itoa(n) + " requirement(s) undecided"
	}
	return s, nil
}

func checkID(errs *diag.List, path, id string) {
	if id == "" {
		errs.Add(path, "id is required")
		return
	}
	if !idPattern.MatchString(id) {
		errs.Add(diag.Join(path, "id"), "id %q may hold only letters, digits, '.', '_' and '-'", id)
	}
}

func known(m map[string]int) string {
	if len(m) == 0 || len(m) > 20 {
		return ""
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return " (known: " + strings.Join(ids, ", ") + ")"
}

// checkCriteriaRefs reports criteria["X"] references to criteria that do
// not exist, which would otherwise fail only at run time.
func checkCriteriaRefs(errs *diag.List, path string, p *rules.Program, crits map[string]int) bool {
	if p == nil {
		return false
	}
	reads := false
	for _, f := range p.Facts() {
		if strings.HasPrefix(f, "criteria") {
			reads = true
		}
		id, ok := strings.CutPrefix(f, `criteria["`)
		if !ok {
			continue
		}
		id = strings.TrimSuffix(strings.SplitN(id, `"]`, 2)[0], `"]`)
		if _, ok := crits[id]; !ok {
			errs.Add(path, "unknown criterion %q in %s%s", id, f, known(crits))
		}
	}
	return reads
}

// MustCompile is like Compile but panics on error. It is for
// configurations fixed at build time, in tests and examples.
func MustCompile(cfg Config, opts ...Option) *Set {
	s, err := Compile(cfg, opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Config returns the configuration s was compiled from. The returned value
// shares slices with s: treat it as read-only.
func (s *Set) Config() Config { return s.cfg }

// Functions returns the functions rule authors may call, with their
// descriptions, sorted by name.
func (s *Set) Functions() []Function {
	var out []Function
	for _, f := range append(s.subject.Funcs(), rules.Shorthands()...) {
		if strings.HasPrefix(f.Name, "within_period") {
			continue
		}
		out = append(out, Function{Name: f.Name, Doc: f.Doc})
	}
	return out
}
