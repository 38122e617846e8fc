package benefits

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

// An Option configures Compile. Options never fail.
type Option func(*options)

type options struct {
	maxNodes uint
	memory   uint
	steps    int
}

// WithMaxNodes bounds the size of each expression (default 2000 nodes).
func WithMaxNodes(n uint) Option { return func(o *options) { o.maxNodes = n } }

// WithMaxSteps bounds the work of one evaluation of one expression, in
// steps (each loop counts the length it goes over; default 1,000,000).
func WithMaxSteps(n uint) Option { return func(o *options) { o.steps = int(min(n, 1<<40)) } }

// WithMemoryBudget bounds, in bytes, the strings, lists and maps one
// expression may build during one evaluation (default 16 MiB).
func WithMemoryBudget(n uint) Option { return func(o *options) { o.memory = n } }

// defaultTypeGroups are the type groups the built-in catalogues use. Each
// lists the single SAFE status ("AEO") and the EU authorization that
// carries the group's benefits, so that the catalogues fit both without
// configuration; other programmes set Config.TypeGroups.
var defaultTypeGroups = map[string][]string{
	"security":        {"AEO", "AEOS"},
	"simplifications": {"AEO", "AEOC"},
}

// DefaultTypeGroups returns the default type groups (see
// [Config].TypeGroups) as a fresh map.
func DefaultTypeGroups() map[string][]string {
	out := make(map[string][]string, len(defaultTypeGroups))
	for k, v := range defaultTypeGroups {
		out[k] = slices.Clone(v)
	}
	return out
}

// A Catalogue is a compiled benefits configuration: the benefits a
// programme offers, with their eligibility rules, activations, baselines
// and units. Make one with [Compile]; the zero Catalogue offers nothing.
// A Catalogue is immutable and safe for concurrent use by multiple
// goroutines.
type Catalogue struct {
	benefits  []*compiled
	index     map[string]int
	steps     []*step
	partners  map[string]Partner
	groups    map[string][]string
	model     *rules.Model
	stepNames []string // "step N (title)", by level-1
}

// compiled is one benefit, ready to decide. Reasons that do not depend on
// the holder are built once here, so that deciding allocates little.
type compiled struct {
	Benefit
	accept        []string // acceptable types; nil means any
	eligible      *rules.Program
	activation    Activation
	hasActivation bool
	baseline      Baseline
	hasBaseline   bool

	reasonNotIntroduced string
	reasonRoles         string
	reasonModels        string
	reasonRequires      string
	reasonEligible      string
	reasonLevel         string
}

type step struct {
	Step
	when *rules.Program
}

// entry is a benefit being assembled, with the path of the configuration
// element that last set each part, for error messages.
type entry struct {
	Benefit
	origin       string // "add[2]", "override[0]" or "" for a built-in
	eligiblePath string
	levelPath    string
}

var (
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]*$`)
	unitPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// DefaultMeasure is the unit of a benefit that names none.
const DefaultMeasure = "uses"

// Compile validates cfg, assembles the catalogues it names with its drops,
// overrides and additions, and compiles every expression. It reports every
// problem it finds, not only the first, as [diag.List] whose paths are
// relative to the benefits section (add[2].eligible, activation.X.date).
func Compile(cfg Config, opts ...Option) (*Catalogue, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var errs diag.List

	facts := map[string]rules.FactType{}
	rules.Declare(facts, "facts", len(cfg.Facts), func(i int) (string, string) { return cfg.Facts[i].Name, cfg.Facts[i].Type }, &errs)
	model, err := rules.NewModel(&env{}, rules.WithFacts(facts), rules.WithMaxNodes(o.maxNodes), rules.WithMemoryBudget(o.memory), rules.WithLimits(rules.Limits{MaxSteps: o.steps}))
	if err != nil {
		return nil, fmt.Errorf("benefits: %w", err)
	}
	c := &Catalogue{model: model, index: map[string]int{}, partners: map[string]Partner{}}
	compile := func(path, src string) *rules.Program {
		return model.CompileAt(path, src, rules.Bool, &errs)
	}

	// Catalogues.
	names := cfg.Catalogues
	if len(names) == 0 {
		names = Catalogues()
	}
	var entries []*entry
	var steps []Step
	stepsPath := ""
	seenCat := map[string]bool{}
	for i, name := range names {
		p := diag.Index("catalogues", i)
		if name == noCatalogues {
			if len(names) > 1 {
				errs.Add(p, "none excludes every other catalogue; list either none or the catalogues to include")
			}
			continue
		}
		if seenCat[name] {
			errs.Add(p, "catalogue %q listed twice", name)
			continue
		}
		seenCat[name] = true
		if !slices.Contains(Catalogues(), name) {
			errs.Add(p, "unknown catalogue %q (want safe, operator, ecommerce, stairway or none)", name)
			continue
		}
		f, err := loadBuiltin(name)
		if err != nil {
			return nil, err
		}
		for _, b := range f.Benefits {
			entries = append(entries, &entry{Benefit: b})
		}
		if len(f.Steps) > 0 {
			steps = f.Steps
		}
	}
	if len(cfg.Steps) > 0 {
		steps, stepsPath = cfg.Steps, "steps"
	}
	find := func(id string) int {
		for i, e := range entries {
			if e.ID == id {
				return i
			}
		}
		return -1
	}

	// Drop, then override, then add.
	for i, id := range cfg.Drop {
		j := find(id)
		if j < 0 {
			errs.Add(diag.Index("drop", i), "unknown benefit %q: nothing to drop", id)
			continue
		}
		entries = slices.Delete(entries, j, j+1)
	}
	for i, ov := range cfg.Override {
		p := diag.Index("override", i)
		if ov.ID == "" {
			errs.Add(p, "id is required: name the benefit to override")
			continue
		}
		j := find(ov.ID)
		if j < 0 {
			errs.Add(diag.Join(p, "id"), "unknown benefit %q: nothing to override (use add for a new benefit)", ov.ID)
			continue
		}
		e := entries[j]
		merge(&e.Benefit, ov)
		e.origin = p
		if ov.Eligible != "" {
			e.eligiblePath = diag.Join(p, "eligible")
		}
		if ov.Level != 0 {
			e.levelPath = diag.Join(p, "level")
		}
	}
	for i, b := range cfg.Add {
		p := diag.Index("add", i)
		if b.Catalogue == "" {
			b.Catalogue = CatalogueProgramme
		}
		if b.ID != "" && find(b.ID) >= 0 {
			errs.Add(diag.Join(p, "id"), "benefit %q already exists; change it with override, or drop it first", b.ID)
			continue
		}
		entries = append(entries, &entry{Benefit: b, origin: p, eligiblePath: diag.Join(p, "eligible"), levelPath: diag.Join(p, "level")})
	}

	// Per-benefit settings keyed by ID, in ID order so that problems are
	// reported in a stable order.
	for _, id := range slices.Sorted(maps.Keys(cfg.Measures)) {
		p := diag.Join("measures", id)
		j := find(id)
		if j < 0 {
			errs.Add(p, "unknown benefit %q", id)
			continue
		}
		unit := cfg.Measures[id]
		if !unitPattern.MatchString(unit) {
			errs.Add(p, "measure %q must be lower case letters, digits and _, e.g. crossings or minutes_saved", unit)
			continue
		}
		entries[j].Measure = unit
	}
	activation := map[string]Activation{}
	for _, id := range slices.Sorted(maps.Keys(cfg.Activation)) {
		p := diag.Join("activation", id)
		a := cfg.Activation[id]
		if find(id) < 0 {
			errs.Add(p, "unknown benefit %q", id)
			continue
		}
		if a.Date.IsZero() && a.Milestone == "" {
			errs.Add(p, "an activation needs a date, a milestone, or both")
			continue
		}
		activation[id] = a
	}
	baselines := map[string]Baseline{}
	for _, id := range slices.Sorted(maps.Keys(cfg.Baselines)) {
		p := diag.Join("baselines", id)
		bl := cfg.Baselines[id]
		if find(id) < 0 {
			errs.Add(p, "unknown benefit %q", id)
			continue
		}
		if !finiteNonNegative(bl.NormalMinutes) {
			errs.Add(diag.Join(p, "normal_minutes"), "normal_minutes must be a number of zero or more")
		}
		if !finiteNonNegative(bl.ExpectedPerMonth) {
			errs.Add(diag.Join(p, "expected_per_month"), "expected_per_month must be a number of zero or more")
		}
		baselines[id] = bl
	}

	// Type groups and partners.
	c.groups = DefaultTypeGroups()
	for _, name := range slices.Sorted(maps.Keys(cfg.TypeGroups)) {
		p := diag.Join("type_groups", name)
		types := cfg.TypeGroups[name]
		if !idPattern.MatchString(name) {
			errs.Add(p, "group name %q may hold only letters, digits, '.', '_' and '-'", name)
		}
		if len(types) == 0 {
			errs.Add(p, "a type group lists at least one authorization type")
		}
		for i, t := range types {
			if strings.TrimSpace(t) == "" {
				errs.Add(diag.Index(p, i), "empty authorization type")
			}
		}
		c.groups[name] = slices.Clone(types)
	}
	for i, pt := range cfg.Partners {
		p := diag.Index("partners", i)
		_, dup := c.partners[pt.Programme]
		switch {
		case strings.TrimSpace(pt.Programme) == "":
			errs.Add(p, "empty partner programme")
		case dup:
			errs.Add(p, "partner programme %q listed twice", pt.Programme)
		case !pt.Until.IsZero() && pt.Until.Before(pt.From):
			errs.Add(diag.Join(p, "until"), "recognition of %q ends before it starts", pt.Programme)
		}
		pt.Types, pt.As = slices.Clone(pt.Types), maps.Clone(pt.As)
		c.partners[pt.Programme] = pt
	}
	checkPartners(cfg.Partners, &errs)

	// Stairway steps.
	for i, s := range steps {
		p := diag.Index(stepsPath, i)
		if stepsPath == "" {
			p = fmt.Sprintf("built-in stairway step %d", i+1)
		}
		if s.Level != i+1 {
			errs.Add(diag.Join(p, "level"), "steps are levels 1, 2, 3 ... in order: want level %d, not %d", i+1, s.Level)
		}
		if strings.TrimSpace(s.Title) == "" {
			errs.Add(p, "title is required")
		}
		st := &step{Step: s}
		if s.When != "" {
			st.when = compile(diag.Join(p, "when"), s.When)
		}
		c.steps = append(c.steps, st)
		c.stepNames = append(c.stepNames, fmt.Sprintf("step %d (%s)", s.Level, s.Title))
	}

	// Each benefit.
	for _, e := range entries {
		at := func(field string) string {
			if e.origin == "" {
				return "built-in benefit " + e.ID + "." + field
			}
			return diag.Join(e.origin, field)
		}
		if e.ID == "" {
			errs.Add(e.origin, "id is required")
		} else if !idPattern.MatchString(e.ID) {
			errs.Add(at("id"), "id %q may hold only letters, digits, '.', '_' and '-'", e.ID)
		}
		if _, dup := c.index[e.ID]; dup && e.ID != "" {
			errs.Add(at("id"), "benefit %q defined twice", e.ID)
			continue
		}
		if strings.TrimSpace(e.Title) == "" {
			errs.Add(e.origin, "title is required")
		}
		if strings.TrimSpace(e.Source) == "" {
			errs.Add(e.origin, "source is required: name the document the benefit comes from")
		}
		if e.Measure == "" {
			e.Measure = DefaultMeasure
		}
		if !unitPattern.MatchString(e.Measure) {
			errs.Add(at("measure"), "measure %q must be lower case letters, digits and _, e.g. crossings or minutes_saved", e.Measure)
		}
		for i, r := range e.Roles {
			if strings.TrimSpace(r) == "" {
				errs.Add(diag.Index(at("roles"), i), "empty role")
			}
		}
		for i, t := range e.DependsOn {
			if strings.TrimSpace(t) == "" {
				errs.Add(diag.Index(at("depends_on"), i), "empty authorization type")
			}
		}
		if e.Level < 0 || e.Level > len(c.steps) {
			p := e.levelPath
			if p == "" {
				p = stepsPath
			}
			if len(c.steps) == 0 {
				errs.Add(p, "benefit %q is on step %d of the stairway, but the programme has no stairway steps (include the stairway catalogue or set steps)", e.ID, e.Level)
			} else {
				errs.Add(p, "benefit %q is on step %d of the stairway, which has steps 1 to %d", e.ID, e.Level, len(c.steps))
			}
		}
		cb := &compiled{Benefit: e.Benefit}
		cb.Roles = slices.Clone(e.Roles)
		cb.BusinessModels = slices.Clone(e.BusinessModels)
		cb.DependsOn = slices.Clone(e.DependsOn)
		if e.Eligible != "" {
			p := e.eligiblePath
			if p == "" {
				p = at("eligible")
			}
			cb.eligible = compile(p, e.Eligible)
		}
		cb.activation, cb.hasActivation = activation[e.ID]
		cb.baseline, cb.hasBaseline = baselines[e.ID]
		cb.accept = c.expand(cb.DependsOn)
		c.reasons(cb)
		c.index[e.ID] = len(c.benefits)
		c.benefits = append(c.benefits, cb)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// MustCompile is like Compile but panics on error. It is for
// configurations fixed at build time, in tests and examples.
func MustCompile(cfg Config, opts ...Option) *Catalogue {
	c, err := Compile(cfg, opts...)
	if err != nil {
		panic(err)
	}
	return c
}

// merge sets in b every field that is set in ov.
func merge(b *Benefit, ov Benefit) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&b.Catalogue, ov.Catalogue)
	set(&b.Heading, ov.Heading)
	set(&b.Title, ov.Title)
	set(&b.Text, ov.Text)
	set(&b.Eligible, ov.Eligible)
	set(&b.Measure, ov.Measure)
	set(&b.Source, ov.Source)
	set(&b.Note, ov.Note)
	if ov.Roles != nil {
		b.Roles = ov.Roles
	}
	if ov.BusinessModels != nil {
		b.BusinessModels = ov.BusinessModels
	}
	if ov.DependsOn != nil {
		b.DependsOn = ov.DependsOn
	}
	if ov.Level != 0 {
		b.Level = ov.Level
	}
	b.MRA = b.MRA || ov.MRA
	b.Vendors = b.Vendors || ov.Vendors
	b.Applicants = b.Applicants || ov.Applicants
	b.Unverified = b.Unverified || ov.Unverified
}

// expand turns DependsOn into the sorted list of acceptable authorization
// types, replacing group names by their types; nil means any type.
func (c *Catalogue) expand(dependsOn []string) []string {
	if len(dependsOn) == 0 {
		return nil
	}
	var out []string
	for _, d := range dependsOn {
		if g, ok := c.groups[d]; ok {
			out = append(out, g...)
		} else {
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// reasons builds the holder-independent reasons of b.
func (c *Catalogue) reasons(b *compiled) {
	if b.hasActivation {
		a := b.activation
		switch {
		case !a.Date.IsZero() && a.Milestone != "":
			b.reasonNotIntroduced = fmt.Sprintf("introduced on %s once milestone %q is reached", day(a.Date), a.Milestone)
		case a.Milestone != "":
			b.reasonNotIntroduced = fmt.Sprintf("introduced when milestone %q is reached", a.Milestone)
		default:
			b.reasonNotIntroduced = "introduced on " + day(a.Date)
		}
	}
	b.reasonRoles = "for " + strings.Join(b.Roles, ", ") + " only"
	b.reasonModels = "for business models " + strings.Join(b.BusinessModels, ", ") + " only"
	var req strings.Builder
	if len(b.DependsOn) == 0 {
		req.WriteString("requires AEO status in force")
	} else {
		req.WriteString("requires ")
		for i, d := range b.DependsOn {
			if i > 0 {
				req.WriteString(" or ")
			}
			if g, ok := c.groups[d]; ok {
				fmt.Fprintf(&req, "%s (%s)", d, strings.Join(g, ", "))
			} else {
				req.WriteString(d)
			}
		}
		req.WriteString(" in force")
	}
	if b.Applicants {
		req.WriteString(", or a pending application")
	}
	if b.MRA {
		req.WriteString(", or membership of a partner programme recognised under mutual recognition")
	}
	if b.Vendors {
		req.WriteString(", or registration as a non-resident vendor")
	}
	b.reasonRequires = req.String()
	if b.eligible != nil {
		b.reasonEligible = "condition not met: " + b.Eligible
	}
	if b.Level > 0 && b.Level <= len(c.stepNames) {
		b.reasonLevel = "requires stairway " + c.stepNames[b.Level-1]
	}
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func finiteNonNegative(f float64) bool { return f >= 0 && !math.IsInf(f, 1) }

// Len returns the number of benefits in c.
func (c *Catalogue) Len() int { return len(c.benefits) }

// Benefits returns the benefits of c in order (catalogues in the order
// configured, then the programme's additions), as they stand after drops,
// overrides and measures. The slice is a fresh copy; its benefits share
// their lists with c and must not be modified.
func (c *Catalogue) Benefits() []Benefit {
	out := make([]Benefit, len(c.benefits))
	for i, b := range c.benefits {
		out[i] = b.Benefit
	}
	return out
}

// Benefit returns the benefit with the given ID.
func (c *Catalogue) Benefit(id string) (Benefit, bool) {
	i, ok := c.index[id]
	if !ok {
		return Benefit{}, false
	}
	return c.benefits[i].Benefit, true
}

// Steps returns the steps of the stairway of simplifications, lowest first.
func (c *Catalogue) Steps() []Step {
	out := make([]Step, len(c.steps))
	for i, s := range c.steps {
		out[i] = s.Step
	}
	return out
}

// Baseline returns the programme's baseline for benefit id, if it set one.
func (c *Catalogue) Baseline(id string) (Baseline, bool) {
	i, ok := c.index[id]
	if !ok || !c.benefits[i].hasBaseline {
		return Baseline{}, false
	}
	return c.benefits[i].baseline, true
}

// Activation returns when benefit id is introduced, if the programme set
// an activation for it.
func (c *Catalogue) Activation(id string) (Activation, bool) {
	i, ok := c.index[id]
	if !ok || !c.benefits[i].hasActivation {
		return Activation{}, false
	}
	return c.benefits[i].activation, true
}

// Types returns the authorization types of which a holder of benefit id
// must hold one in force, type groups expanded, sorted; nil when any AEO
// status will do or c has no such benefit.
func (c *Catalogue) Types(id string) []string {
	i, ok := c.index[id]
	if !ok {
		return nil
	}
	return c.expand(c.benefits[i].DependsOn)
}
