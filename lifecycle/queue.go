package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A Queue is the work queue across operators as of a date: everything
// due on each, with the officer responsible (the client coordinator),
// each coordinator's load against the programme's capacity, and where
// each operator stands in the treatment cycle. [Machine.Queue] builds it
// from the states the host keeps; it is a value the caller owns.
type Queue struct {
	AsOf  time.Time   `json:"as_of"`
	Items []QueueItem `json:"items,omitempty"`
	// Coordinators is each coordinator's portfolio, by officer.
	Coordinators []CoordinatorLoad `json:"coordinators,omitempty"`
	// Unassigned lists the operators with an application pending or a
	// status held and no client coordinator.
	Unassigned []string `json:"unassigned,omitempty"`
	// Cycles is where each operator that has started a treatment cycle,
	// or has one due, stands in it, by operator.
	Cycles []CycleStanding `json:"cycles,omitempty"`
}

// A QueueItem is one item due on one operator, and the officer it falls
// to: the operator's client coordinator ("" when none is assigned).
type QueueItem struct {
	Operator string `json:"operator"`
	Officer  string `json:"officer,omitempty"`
	DueItem
}

// A CoordinatorLoad is one coordinator's portfolio: the operators the
// officer coordinates (and mentors, after a rotation, until the mentoring
// ends), the sum of their weights, the programme's capacity (zero: none
// set) and whether the load exceeds it.
type CoordinatorLoad struct {
	Officer   string   `json:"officer"`
	Operators []string `json:"operators,omitempty"`
	Mentoring []string `json:"mentoring,omitempty"`
	Load      float64  `json:"load"`
	Capacity  float64  `json:"capacity,omitempty"`
	Over      bool     `json:"over,omitempty"`
	// Overdue counts the items of the coordinator's operators past due.
	Overdue int `json:"overdue,omitempty"`
}

// A CycleStanding is where one operator stands in the treatment cycle:
// the cycle, the last step recorded (when, by whom), and the step due
// next with its date.
type CycleStanding struct {
	Operator string      `json:"operator"`
	Officer  string      `json:"officer,omitempty"`
	Cycle    int         `json:"cycle"`
	Last     ControlStep `json:"last,omitempty"`
	LastAt   time.Time   `json:"last_at,omitzero"`
	LastBy   string      `json:"last_by,omitempty"`
	Next     ControlStep `json:"next,omitempty"`
	NextDue  time.Time   `json:"next_due,omitzero"`
	Overdue  bool        `json:"overdue,omitempty"`
}

// Queue builds the work queue of cases as of asOf: the items of
// [Machine.Due] of every case, sorted by due date, operator and kind;
// each coordinator's portfolio (see [Machine.Portfolio]); the operators
// without a coordinator; and where each stands in the treatment cycle.
// Cases are read, never changed; an operator listed twice is counted
// twice.
func (l *Machine) Queue(cases []Case, asOf time.Time) Queue {
	q := Queue{AsOf: asOf, Items: make([]QueueItem, 0, 4*len(cases))}
	loads := map[string]*CoordinatorLoad{}
	load := func(officer string) *CoordinatorLoad {
		if c, ok := loads[officer]; ok {
			return c
		}
		c := &CoordinatorLoad{Officer: officer, Capacity: l.cfg.Coordinator.Capacity}
		loads[officer] = c
		return c
	}
	var due []DueItem // reused from one operator to the next
	for i := range cases {
		// By pointer: an Authorization is large, and a queue may cover
		// every operator of an office.
		c := &cases[i]
		a := &c.State
		officer := ""
		if c.active() {
			co := a.Coordinator
			officer = co.Officer
			cl := load(officer)
			cl.Operators = append(cl.Operators, c.Operator)
			cl.Load += co.Weight
			if co.Mentor != "" && !after(asOf, co.MentorUntil) {
				m := load(co.Mentor)
				m.Mentoring = append(m.Mentoring, c.Operator)
			}
		} else if a.Status.held() || a.Status.pending() {
			q.Unassigned = append(q.Unassigned, c.Operator)
		}
		due = l.due(a, asOf, due[:0])
		for _, d := range due {
			q.Items = append(q.Items, QueueItem{Operator: c.Operator, Officer: officer, DueItem: d})
			if d.Overdue && officer != "" {
				load(officer).Overdue++
			}
		}
		if ct := a.Control; ct != nil && (len(ct.Steps) > 0 || ct.Next != StepNone) {
			last := ct.Last()
			st := CycleStanding{Operator: c.Operator, Officer: officer, Cycle: ct.Cycle, Last: last.Step, LastAt: last.At, LastBy: last.Officer, Next: ct.Next}
			if ct.Next != StepNone {
				st.NextDue = ct.NextDue
				st.Overdue = after(asOf, ct.NextDue)
			}
			q.Cycles = append(q.Cycles, st)
		}
	}
	if len(q.Items) == 0 {
		q.Items = nil
	}
	slices.SortStableFunc(q.Items, func(x, y QueueItem) int {
		if c := x.Due.Compare(y.Due); c != 0 {
			return c
		}
		if c := strings.Compare(x.Operator, y.Operator); c != 0 {
			return c
		}
		return int(x.Kind) - int(y.Kind)
	})
	for _, officer := range sortedKeys(loads) {
		c := loads[officer]
		slices.Sort(c.Operators)
		slices.Sort(c.Mentoring)
		c.Over = c.Capacity > 0 && c.Load > c.Capacity*(1+1e-12)
		q.Coordinators = append(q.Coordinators, *c)
	}
	slices.Sort(q.Unassigned)
	slices.SortStableFunc(q.Cycles, func(x, y CycleStanding) int { return strings.Compare(x.Operator, y.Operator) })
	return q
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Text renders the queue for an officer: the coordinators' loads, the
// operators without one, the items due (overdue marked), and where each
// operator stands in the treatment cycle.
func (q Queue) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Work queue as of %s\n", day(q.AsOf))
	if len(q.Coordinators) > 0 {
		b.WriteString("\nCoordinators\n")
		for _, c := range q.Coordinators {
			capacity := ""
			if c.Capacity > 0 {
				capacity = " of " + number(c.Capacity)
				if c.Over {
					capacity += " OVER CAPACITY"
				}
			}
			fmt.Fprintf(&b, "  %-20s load %s%s, %d operator(s)", c.Officer, number(c.Load), capacity, len(c.Operators))
			if len(c.Operators) > 0 {
				fmt.Fprintf(&b, ": %s", strings.Join(c.Operators, ", "))
			}
			if len(c.Mentoring) > 0 {
				fmt.Fprintf(&b, "; mentoring %s", strings.Join(c.Mentoring, ", "))
			}
			if c.Overdue > 0 {
				fmt.Fprintf(&b, "; %d overdue", c.Overdue)
			}
			b.WriteString("\n")
		}
	}
	if len(q.Unassigned) > 0 {
		fmt.Fprintf(&b, "\nNo coordinator: %s\n", strings.Join(q.Unassigned, ", "))
	}
	b.WriteString("\nDue\n")
	if len(q.Items) == 0 {
		b.WriteString("  nothing\n")
	}
	for _, it := range q.Items {
		mark := " "
		if it.Overdue {
			mark = "!"
		}
		what := it.Kind.String()
		switch {
		case it.Type != "":
			what += " " + it.Type
		case it.Issue != "":
			what += " " + it.Issue
		case it.Step != StepNone:
			what += " " + it.Step.String()
		}
		officer := it.Officer
		if officer == "" {
			officer = "-"
		}
		fmt.Fprintf(&b, "%s %s  %-12s %-34s %-20s (%s)\n", mark, day(it.Due), it.Operator, what, officer, it.Rule)
	}
	if len(q.Cycles) > 0 {
		b.WriteString("\nTreatment cycle\n")
		for _, c := range q.Cycles {
			if c.Last != StepNone {
				fmt.Fprintf(&b, "  %-12s cycle %d, step %d %s on %s by %s", c.Operator, c.Cycle, c.Last.Number(), c.Last, day(c.LastAt), c.LastBy)
			} else {
				fmt.Fprintf(&b, "  %-12s not started", c.Operator)
			}
			if c.Next != StepNone {
				fmt.Fprintf(&b, "; next step %d %s", c.Next.Number(), c.Next)
				if !c.NextDue.IsZero() {
					fmt.Fprintf(&b, " by %s", day(c.NextDue))
				}
				if c.Overdue {
					b.WriteString(" (overdue)")
				}
			} else {
				b.WriteString("; cycle complete")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
