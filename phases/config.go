package phases

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
)

// Config is the plain-data form of a [Plan]: the phases with their tasks,
// milestones, indicators and gates, and the parameters of the rules (pilot
// limits, admission waves, evaluation cadence, benefit stages). It is what an
// administration keeps as a file; [Decode] reads it from JSON and [New]
// validates it. Every item carries a Source naming the part of the seed it
// comes from.
//
// The zero Config is not a valid plan. The usual way to build one is to start
// from Default().Config() and change it.
type Config struct {
	Name        string    `json:"name"`               // shown in reports
	Source      string    `json:"source,omitempty"`   // the document the plan follows
	Phases      []Phase   `json:"phases"`             // in order; at least one
	Pilot       Pilot     `json:"pilot"`              // pilot limits (GatePilot)
	Admission   Admission `json:"admission"`          // admission waves (GateAdmission)
	Evaluations Cadence   `json:"evaluations"`        // evaluation schedule (GateEvaluations)
	Benefits    []Benefit `json:"benefits,omitempty"` // benefit stages (GateBenefits)
}

// A Phase is one step of the national implementation approach. Phases are
// numbered from 1 in the order of Config.Phases.
type Phase struct {
	Number     int         `json:"number"` // 1-based position in Config.Phases
	Name       string      `json:"name"`
	Goal       string      `json:"goal,omitempty"` // the phase's heading in the seed
	Source     string      `json:"source,omitempty"`
	Tasks      []Task      `json:"tasks,omitempty"`
	Milestones []Milestone `json:"milestones,omitempty"`
	Indicators []Indicator `json:"indicators,omitempty"`
	Gates      []Gate      `json:"gates,omitempty"` // what must hold to leave the phase
}

// A Task is a piece of work in a phase, owned by zero or more projects (the
// seed names no project for some tasks). Task IDs are unique in a plan.
type Task struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Owners      []Project `json:"owners,omitempty"`
	Deliverable string    `json:"deliverable,omitempty"`
	// Optional tasks (the seed says "consider", or "where required") are
	// reported but not required by GateTasks.
	Optional bool   `json:"optional,omitempty"`
	Source   string `json:"source,omitempty"`
}

// A Milestone is a dated achievement of a phase. Milestone IDs are unique in
// a plan.
type Milestone struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
}

// An Indicator is a performance indicator reported with its phase. Its
// value is recorded by events or computed from the state (see [Measure]),
// and compared with Target as Goal says. Indicator IDs are unique in a plan.
type Indicator struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Unit    string  `json:"unit,omitempty"`
	Measure Measure `json:"measure"`
	Goal    Goal    `json:"goal"`
	Target  float64 `json:"target,omitempty"`
	Source  string  `json:"source,omitempty"`
}

// A Gate is a condition for leaving its phase. Only the parameter of its
// kind may be set: Evaluations for GateEvaluations, Stage for GateBenefits,
// Wave for GateAdmission.
type Gate struct {
	Kind        GateKind `json:"kind"`
	Evaluations int      `json:"evaluations,omitempty"`
	Stage       int      `json:"stage,omitempty"`
	Wave        int      `json:"wave,omitempty"`
	Source      string   `json:"source,omitempty"`
}

// A Benefit is a simplification offered to members. Benefits are introduced
// by stage: none of stage n before every benefit of earlier stages.
type Benefit struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Stage  int    `json:"stage"`
	Source string `json:"source,omitempty"`
}

// Pilot sets the limits of the pilot. Operators admitted from phase Phase
// until phase EnlargementPhase is entered are pilot operators.
type Pilot struct {
	Phase            int    `json:"phase"`             // first phase in which operators may be admitted
	EnlargementPhase int    `json:"enlargement_phase"` // from this phase on the pilot limits no longer apply
	MaxOperators     int    `json:"max_operators"`     // at most this many pilot operators
	Sizes            []Size `json:"sizes,omitempty"`   // the pilot must include each of these sizes
	Volunteers       bool   `json:"volunteers"`        // pilot operators must be volunteers
	StartMilestone   string `json:"start_milestone"`   // reaching it starts the pilot (and the evaluation clock)
	Source           string `json:"source,omitempty"`
}

// Admission sets the order in which operator types join the programme: the
// types of wave n+1 may be admitted IntervalMonths after the first operator
// of wave n was admitted. A type in no wave is never admitted.
type Admission struct {
	Waves          []Wave `json:"waves"`
	IntervalMonths int    `json:"interval_months"`
	Source         string `json:"source,omitempty"`
}

// A Wave is a group of operator types admitted together.
type Wave struct {
	Types  []OperatorType `json:"types"`
	Source string         `json:"source,omitempty"`
}

// Cadence sets the evaluation schedule: one evaluation every EveryMonths in
// the first ForMonths after the pilot starts.
type Cadence struct {
	EveryMonths int    `json:"every_months"`
	ForMonths   int    `json:"for_months"`
	Source      string `json:"source,omitempty"`
}

// maxMonths bounds every interval in a Config (100 years), which keeps every
// date derived from an event within the years that JSON can encode.
const maxMonths = 1200

// A Plan is a validated, immutable implementation plan. Build one with
// [Default], [New] or [Decode]. A Plan is safe for concurrent use by
// multiple goroutines. The zero Plan and a nil *Plan are not usable: their
// methods return errors wrapping [ErrInvalidPlan] (or, for Report, an empty
// report).
type Plan struct {
	cfg        Config // never modified after New
	tasks      map[string]ref
	milestones map[string]ref
	indicators map[string]ref
	benefits   map[string]int // index in cfg.Benefits
	waveOf     map[OperatorType]int
	maxStage   int
	scheduled  int // number of scheduled evaluations
}

// ref locates an item: phase number (1-based) and index within the phase.
type ref struct{ phase, index int }

//go:embed plan.json
var defaultPlanJSON []byte

var defaultPlan = sync.OnceValue(func() *Plan {
	p, err := Decode(bytes.NewReader(defaultPlanJSON))
	if err != nil {
		// The embedded plan is fixed at build time and covered by tests, so
		// this is a programmer error, not an input error.
		panic(err)
	}
	return p
})

// Default returns the plan of the seed: the nine phases of the WCO AEO
// Implementation Guidance with the tasks, milestones, indicators and gates of
// its phase pages and Annex 1, a pilot of at most ten volunteer operators
// (SME, large and multinational), importers and exporters first and the
// other types in waves six months apart, evaluations every six months in the
// first year, and benefits in three stages. Every call returns the same
// immutable Plan.
func Default() *Plan { return defaultPlan() }

// Decode reads a [Config] from JSON and validates it with [New]. Unknown
// fields and trailing data are errors.
func Decode(r io.Reader) (*Plan, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var cfg Config
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("phases: decode plan: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("phases: decode plan: trailing data after the plan: %w", ErrInvalidPlan)
	}
	return New(cfg)
}

// New validates cfg and returns the Plan it describes. It reports every
// problem it finds as a [*ConfigError], joined with errors.Join. New keeps
// its own copy of cfg.
func New(cfg Config) (*Plan, error) {
	cfg = cfg.clone()
	p := &Plan{
		cfg:        cfg,
		tasks:      map[string]ref{},
		milestones: map[string]ref{},
		indicators: map[string]ref{},
		benefits:   map[string]int{},
		waveOf:     map[OperatorType]int{},
	}
	v := &validator{}
	p.index(v)
	p.validate(v)
	if len(v.errs) > 0 {
		return nil, errors.Join(v.errs...)
	}
	return p, nil
}

// Config returns a copy of the configuration p was built from; changing it
// does not change p. Pass the changed copy to [New] to extend a plan.
func (p *Plan) Config() Config {
	if p == nil {
		return Config{}
	}
	return p.cfg.clone()
}

// Name returns the name of the plan.
func (p *Plan) Name() string {
	if p == nil {
		return ""
	}
	return p.cfg.Name
}

// usable reports whether p can apply events and make reports.
func (p *Plan) usable() bool { return p != nil && len(p.cfg.Phases) > 0 && p.tasks != nil }

type validator struct{ errs []error }

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, &ConfigError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// index builds the lookup tables and reports duplicate or missing IDs.
func (p *Plan) index(v *validator) {
	for i, ph := range p.cfg.Phases {
		for j, t := range ph.Tasks {
			path := fmt.Sprintf("phases[%d].tasks[%d]", i, j)
			if t.ID == "" {
				v.add(path+".id", "missing task ID")
			} else if _, dup := p.tasks[t.ID]; dup {
				v.add(path+".id", "duplicate task ID %q", t.ID)
			} else {
				p.tasks[t.ID] = ref{i + 1, j}
			}
		}
		for j, m := range ph.Milestones {
			path := fmt.Sprintf("phases[%d].milestones[%d]", i, j)
			if m.ID == "" {
				v.add(path+".id", "missing milestone ID")
			} else if _, dup := p.milestones[m.ID]; dup {
				v.add(path+".id", "duplicate milestone ID %q", m.ID)
			} else {
				p.milestones[m.ID] = ref{i + 1, j}
			}
		}
		for j, ind := range ph.Indicators {
			path := fmt.Sprintf("phases[%d].indicators[%d]", i, j)
			if ind.ID == "" {
				v.add(path+".id", "missing indicator ID")
			} else if _, dup := p.indicators[ind.ID]; dup {
				v.add(path+".id", "duplicate indicator ID %q", ind.ID)
			} else {
				p.indicators[ind.ID] = ref{i + 1, j}
			}
		}
	}
	for i, b := range p.cfg.Benefits {
		path := fmt.Sprintf("benefits[%d]", i)
		if b.ID == "" {
			v.add(path+".id", "missing benefit ID")
		} else if _, dup := p.benefits[b.ID]; dup {
			v.add(path+".id", "duplicate benefit ID %q", b.ID)
		} else {
			p.benefits[b.ID] = i
		}
		p.maxStage = max(p.maxStage, b.Stage)
	}
	for i, w := range p.cfg.Admission.Waves {
		for j, t := range w.Types {
			path := fmt.Sprintf("admission.waves[%d].types[%d]", i, j)
			if t == UnknownType || int(t) >= len(operatorTypeNames) {
				v.add(path, "invalid operator type %v", t)
			} else if w0, dup := p.waveOf[t]; dup {
				v.add(path, "operator type %v already in wave %d", t, w0)
			} else {
				p.waveOf[t] = i + 1
			}
		}
	}
	if c := p.cfg.Evaluations; c.EveryMonths > 0 && c.ForMonths >= 0 {
		p.scheduled = c.ForMonths / c.EveryMonths
	}
}

func (p *Plan) validate(v *validator) {
	c := &p.cfg
	n := len(c.Phases)
	if c.Name == "" {
		v.add("name", "missing plan name")
	}
	if n == 0 {
		v.add("phases", "no phases")
	}
	for i, ph := range c.Phases {
		path := fmt.Sprintf("phases[%d]", i)
		if ph.Number != i+1 {
			v.add(path+".number", "number %d, want %d: phases are numbered in order from 1", ph.Number, i+1)
		}
		if ph.Name == "" {
			v.add(path+".name", "missing phase name")
		}
		for j, t := range ph.Tasks {
			tp := fmt.Sprintf("%s.tasks[%d]", path, j)
			if t.Name == "" {
				v.add(tp+".name", "missing task name")
			}
			for k, o := range t.Owners {
				if o == UnknownProject || int(o) >= len(projectNames) {
					v.add(fmt.Sprintf("%s.owners[%d]", tp, k), "invalid project %v", o)
				} else if slices.Contains(t.Owners[:k], o) {
					v.add(fmt.Sprintf("%s.owners[%d]", tp, k), "duplicate owner %v", o)
				}
			}
		}
		for j, m := range ph.Milestones {
			if m.Name == "" {
				v.add(fmt.Sprintf("%s.milestones[%d].name", path, j), "missing milestone name")
			}
		}
		for j, ind := range ph.Indicators {
			ip := fmt.Sprintf("%s.indicators[%d]", path, j)
			if ind.Name == "" {
				v.add(ip+".name", "missing indicator name")
			}
			if int(ind.Measure) >= len(measureNames) {
				v.add(ip+".measure", "invalid measure %v", ind.Measure)
			}
			switch {
			case int(ind.Goal) >= len(goalNames):
				v.add(ip+".goal", "invalid goal %v", ind.Goal)
			case math.IsNaN(ind.Target) || math.IsInf(ind.Target, 0):
				v.add(ip+".target", "target must be a finite number")
			case ind.Goal == NoTarget && ind.Target != 0:
				v.add(ip+".target", "target %v without a goal", ind.Target)
			}
		}
		seen := map[GateKind]bool{}
		for j, g := range ph.Gates {
			p.validateGate(v, fmt.Sprintf("%s.gates[%d]", path, j), g, seen)
		}
	}

	pl := c.Pilot
	switch {
	case pl.Phase < 1 || pl.Phase > n:
		v.add("pilot.phase", "phase %d is not a phase of the plan", pl.Phase)
	case pl.EnlargementPhase <= pl.Phase || pl.EnlargementPhase > n:
		v.add("pilot.enlargement_phase", "phase %d must come after the pilot phase %d and be a phase of the plan", pl.EnlargementPhase, pl.Phase)
	}
	if pl.MaxOperators < 1 {
		v.add("pilot.max_operators", "must be at least 1")
	}
	for i, z := range pl.Sizes {
		if z == UnknownSize || int(z) >= len(sizeNames) {
			v.add(fmt.Sprintf("pilot.sizes[%d]", i), "invalid size %v", z)
		} else if slices.Contains(pl.Sizes[:i], z) {
			v.add(fmt.Sprintf("pilot.sizes[%d]", i), "duplicate size %v", z)
		}
	}
	if len(pl.Sizes) > pl.MaxOperators && pl.MaxOperators >= 1 {
		v.add("pilot.sizes", "%d sizes cannot all fit in a pilot of %d", len(pl.Sizes), pl.MaxOperators)
	}
	if _, ok := p.milestones[pl.StartMilestone]; !ok {
		v.add("pilot.start_milestone", "unknown milestone %q", pl.StartMilestone)
	}

	ad := c.Admission
	if len(ad.Waves) == 0 {
		v.add("admission.waves", "no waves: no operator could be admitted")
	}
	for i, w := range ad.Waves {
		if len(w.Types) == 0 {
			v.add(fmt.Sprintf("admission.waves[%d].types", i), "empty wave")
		}
	}
	if ad.IntervalMonths < 0 || ad.IntervalMonths > maxMonths {
		v.add("admission.interval_months", "must be between 0 and %d", maxMonths)
	}

	ev := c.Evaluations
	if ev.EveryMonths < 1 || ev.EveryMonths > maxMonths {
		v.add("evaluations.every_months", "must be between 1 and %d", maxMonths)
	}
	if ev.ForMonths < 0 || ev.ForMonths > maxMonths {
		v.add("evaluations.for_months", "must be between 0 and %d", maxMonths)
	}

	for i, b := range c.Benefits {
		if b.Name == "" {
			v.add(fmt.Sprintf("benefits[%d].name", i), "missing benefit name")
		}
		if b.Stage < 1 {
			v.add(fmt.Sprintf("benefits[%d].stage", i), "stage must be at least 1")
		}
	}
}

func (p *Plan) validateGate(v *validator, path string, g Gate, seen map[GateKind]bool) {
	if g.Kind == UnknownGate || int(g.Kind) >= len(gateKindNames) {
		v.add(path+".kind", "invalid gate %v", g.Kind)
		return
	}
	if seen[g.Kind] {
		v.add(path+".kind", "duplicate gate %v", g.Kind)
	}
	seen[g.Kind] = true
	param := func(name string, val, lo, hi int, mine bool) {
		switch {
		case !mine && val != 0:
			v.add(path+"."+name, "gate %v takes no %s", g.Kind, name)
		case mine && (val < lo || val > hi):
			if hi < lo {
				v.add(path+"."+name, "gate %v needs %s, but the plan has none", g.Kind, name)
			} else {
				v.add(path+"."+name, "%s %d out of range [%d, %d]", name, val, lo, hi)
			}
		}
	}
	param("evaluations", g.Evaluations, 1, p.scheduled, g.Kind == GateEvaluations)
	param("stage", g.Stage, 1, p.maxStage, g.Kind == GateBenefits)
	param("wave", g.Wave, 1, len(p.cfg.Admission.Waves), g.Kind == GateAdmission)
}

// clone returns a deep copy of c.
func (c Config) clone() Config {
	c.Phases = slices.Clone(c.Phases)
	for i := range c.Phases {
		ph := &c.Phases[i]
		ph.Tasks = slices.Clone(ph.Tasks)
		for j := range ph.Tasks {
			ph.Tasks[j].Owners = slices.Clone(ph.Tasks[j].Owners)
		}
		ph.Milestones = slices.Clone(ph.Milestones)
		ph.Indicators = slices.Clone(ph.Indicators)
		ph.Gates = slices.Clone(ph.Gates)
	}
	c.Pilot.Sizes = slices.Clone(c.Pilot.Sizes)
	c.Admission.Waves = slices.Clone(c.Admission.Waves)
	for i := range c.Admission.Waves {
		c.Admission.Waves[i].Types = slices.Clone(c.Admission.Waves[i].Types)
	}
	c.Benefits = slices.Clone(c.Benefits)
	return c
}
