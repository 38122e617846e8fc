package lifecycle

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/safe-aeo/engine/diag"
)

// Client coordinators' portfolios. "A Customs officer can function as a
// Customs Client Coordinator for more than one operator depending on the
// size, volumes and complexity of the companies involved" (WCO AEO
// Implementation Guidance, Annex 4: MultiCom's coordinator spends 50-80%
// of the time on MultiCom alone; ABC/XYZ's 40-50%, and serves 15 other
// clients). coordinator.capacity is what one coordinator may carry, and
// coordinator.size, .volume and .complexity weigh each operator.
//
// A Machine holds no operator's state, let alone every operator's, so it
// cannot know a coordinator's portfolio by itself. The host passes it in:
// an assign_coordinator or rotate_coordinator event carries the
// operator's Workload and the coordinator's Portfolio as the host knows
// it at that moment (the sum of the weights of the operators the officer
// already serves, which [Machine.Portfolio] computes from the states the
// host keeps). Apply weighs the operator, refuses the assignment when
// the portfolio would exceed the capacity, and keeps the weight in the
// state (ClientCoordinator.Weight), so that the next snapshot counts it.
// Both are recorded in the audit trail, so the decision can be replayed
// on the figures it was taken on. [Machine.Queue] shows each
// coordinator's load beside the work due.

// A WeightBand is one band of a scale: a value of Min or more (up to the
// next band's Min) weighs Weight.
type WeightBand struct {
	Min    float64 `json:"min"`
	Weight float64 `json:"weight"`
}

// A Workload is what weighs an operator in a coordinator's portfolio:
// its employees (size), its declarations a year (volume) and the class of
// complexity an officer judges it to be in. A nil count is unknown; a
// programme that weighs by it then refuses the assignment rather than
// guess.
type Workload struct {
	Employees    *int   `json:"employees,omitempty"`
	Declarations *int   `json:"declarations,omitempty"`
	Complexity   string `json:"complexity,omitempty"`
}

// A Portfolio is a coordinator's portfolio as the host knows it: the sum
// of the weights of the operators the officer coordinates (Load), and how
// many they are, not counting the operator of the event.
type Portfolio struct {
	Load      float64 `json:"load"`
	Operators int     `json:"operators"`
}

func (c CoordinatorRules) clone() CoordinatorRules {
	out := c
	out.Size = slices.Clone(c.Size)
	out.Volume = slices.Clone(c.Volume)
	out.Complexity = cloneMap(c.Complexity)
	return out
}

func (c CoordinatorRules) fields(value func(key, v string)) {
	if c.Capacity != 0 {
		value("coordinator.capacity", number(c.Capacity))
	}
	bands := func(key string, bs []WeightBand) {
		for i, b := range bs {
			value(diag.Index(key, i), fmt.Sprintf("from %s: %s", number(b.Min), number(b.Weight)))
		}
	}
	bands("coordinator.size", c.Size)
	bands("coordinator.volume", c.Volume)
	for _, k := range slices.Sorted(maps.Keys(c.Complexity)) {
		value("coordinator.complexity."+k, number(c.Complexity[k]))
	}
}

func number(f float64) string { return fmt.Sprintf("%g", f) }

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func (c CoordinatorRules) validate(l *diag.List) {
	weighs := len(c.Size) > 0 || len(c.Volume) > 0 || len(c.Complexity) > 0
	switch {
	case !finite(c.Capacity) || c.Capacity < 0:
		l.Add("coordinator.capacity", "must be a finite number of 0 or more")
	case c.Capacity > 0 && !weighs:
		l.Add("coordinator.capacity", "a capacity needs weights: coordinator.size, coordinator.volume or coordinator.complexity")
	case c.Capacity == 0 && weighs:
		l.Add("coordinator", "weights without a capacity weigh nothing: set coordinator.capacity")
	}
	bands := func(key string, bs []WeightBand) {
		for i, b := range bs {
			k := diag.Index(key, i)
			if !finite(b.Min) || b.Min < 0 {
				l.Add(k+".min", "must be a finite number of 0 or more")
			}
			if !finite(b.Weight) || b.Weight < 0 {
				l.Add(k+".weight", "must be a finite number of 0 or more")
			}
			if i == 0 && b.Min != 0 {
				l.Add(k+".min", "the first band starts at 0, so that every operator falls in a band")
			}
			if i > 0 && !(b.Min > bs[i-1].Min) {
				l.Add(k+".min", "bands go up: %s is not above %s", number(b.Min), number(bs[i-1].Min))
			}
		}
	}
	bands("coordinator.size", c.Size)
	bands("coordinator.volume", c.Volume)
	for _, k := range slices.Sorted(maps.Keys(c.Complexity)) {
		if strings.TrimSpace(k) == "" {
			l.Add("coordinator.complexity", "a class of complexity must be named")
		}
		if w := c.Complexity[k]; !finite(w) || w < 0 {
			l.Add("coordinator.complexity."+k, "must be a finite number of 0 or more")
		}
	}
}

// band returns the weight of value v on the scale bs.
func band(bs []WeightBand, v float64) float64 {
	w := 0.0
	for _, b := range bs {
		if v >= b.Min {
			w = b.Weight
		}
	}
	return w
}

// Weight returns the weight of an operator with workload w in a
// coordinator's portfolio: the sum of its size, volume and complexity
// weights. It returns an error, saying what is missing, when the
// programme weighs by something w does not give; zero when the programme
// sets no capacity.
func (l *Machine) Weight(w Workload) (float64, error) {
	c := l.cfg.Coordinator
	if c.Capacity == 0 {
		return 0, nil
	}
	var missing []string
	total := 0.0
	if len(c.Size) > 0 {
		if w.Employees == nil || *w.Employees < 0 {
			missing = append(missing, "employees")
		} else {
			total += band(c.Size, float64(*w.Employees))
		}
	}
	if len(c.Volume) > 0 {
		if w.Declarations == nil || *w.Declarations < 0 {
			missing = append(missing, "declarations")
		} else {
			total += band(c.Volume, float64(*w.Declarations))
		}
	}
	if len(c.Complexity) > 0 {
		cw, ok := c.Complexity[w.Complexity]
		switch {
		case w.Complexity == "":
			missing = append(missing, "complexity")
		case !ok:
			return 0, fmt.Errorf("unknown complexity %q; want one of %s", w.Complexity, strings.Join(slices.Sorted(maps.Keys(c.Complexity)), ", "))
		default:
			total += cw
		}
	}
	if len(missing) > 0 {
		return 0, fmt.Errorf("the operator's workload gives no %s, which coordinator.capacity weighs", strings.Join(missing, ", "))
	}
	return total, nil
}

// checkCapacity weighs the operator and refuses an assignment that
// would take the coordinator's portfolio beyond coordinator.capacity. It
// returns the operator's weight.
func (s *step) checkCapacity() (float64, error) {
	c := s.l.cfg.Coordinator
	if c.Capacity == 0 {
		return 0, nil
	}
	ev := s.ev
	if ev.Workload == nil {
		return 0, s.fail("coordinator.capacity", ErrInvalidEvent, "the programme limits coordinators' portfolios: give the operator's workload")
	}
	w, err := s.l.Weight(*ev.Workload)
	if err != nil {
		return 0, s.fail("coordinator.capacity", ErrInvalidEvent, "%v", err)
	}
	p := ev.Portfolio
	switch {
	case p == nil:
		return 0, s.fail("coordinator.capacity", ErrInvalidEvent, "the programme limits coordinators' portfolios: give %s's portfolio as it stands", ev.Coordinator)
	case !finite(p.Load) || p.Load < 0 || p.Operators < 0:
		return 0, s.fail("coordinator.capacity", ErrInvalidEvent, "the portfolio's load and operators must be numbers of 0 or more")
	case p.Load+w > c.Capacity*(1+1e-12):
		return 0, s.fail("coordinator.capacity", ErrOverloaded, "%s carries %s of %s; this operator weighs %s",
			ev.Coordinator, number(p.Load), number(c.Capacity), number(w))
	}
	return w, nil
}

// A Case is one operator's state as the host keeps it, for the views
// across operators: [Machine.Portfolio] and [Machine.Queue].
type Case struct {
	Operator string        `json:"operator"`
	State    Authorization `json:"state"`
}

// active reports whether a coordinator's assignment to c counts in a
// portfolio: while an application is pending or a status is held.
func (c *Case) active() bool {
	return c.State.Coordinator != nil && (c.State.Status.held() || c.State.Status.pending())
}

// Portfolio returns officer's portfolio among cases: the operators the
// officer coordinates while their application is pending or a status is
// held, and the sum of their weights. It is the snapshot an
// assign_coordinator or rotate_coordinator event carries; leave out the
// operator of the event.
func (l *Machine) Portfolio(cases []Case, officer string) Portfolio {
	var p Portfolio
	for i := range cases {
		if c := &cases[i]; c.active() && c.State.Coordinator.Officer == officer {
			p.Load += c.State.Coordinator.Weight
			p.Operators++
		}
	}
	return p
}
