package risk

import (
	"math"
	"math/bits"
	"sort"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// A TreatmentPlan is the plan of treatment for one operator (Annex 3,
// step 10): the controls chosen from the catalogue within a budget of
// staff hours, the risks they cover, the risks left uncovered and why,
// and when the plan is next reviewed. The plan owns its slices. It is
// internal to Customs and has no operator view: see the package
// documentation.
type TreatmentPlan struct {
	// At is the date the plan was drawn up, as passed to Plan.
	At time.Time `json:"at"`
	// Budget is the staff hours a year available; Hours those the chosen
	// controls take (hours × frequency, summed).
	Budget float64 `json:"budget"`
	Hours  float64 `json:"hours"`
	// Controls are the chosen controls, by ID.
	Controls []PlannedControl `json:"controls"`
	// Covered and Uncovered partition the risks passed to Plan, each
	// sorted as Map sorts risks.
	Covered   []CoveredRisk `json:"covered"`
	Uncovered []Uncovered   `json:"uncovered"`
	// CoveredWeight and TotalWeight sum the weights of the covered and of
	// all risks.
	CoveredWeight float64 `json:"covered_weight"`
	TotalWeight   float64 `json:"total_weight"`
	// Exact reports that the choice is proven to cover the most risk
	// weight the budget allows. When the search was too large, the plan is
	// the better of a greedy choice and the best of the partial search,
	// and covers at least ½(1−1/e) ≈ 32% of the best possible weight (in
	// practice much more).
	Exact bool `json:"exact"`
	// ChangeMethod is when the method of control is to be changed, and
	// Reanalyse when the risks are to be re-analysed and the plan drawn
	// up again (see Review); zero when the programme sets no period.
	ChangeMethod time.Time `json:"change_method,omitzero"`
	Reanalyse    time.Time `json:"reanalyse,omitzero"`
	// DateProblems says which review dates the programme's calendar could
	// not count (a year with no holidays listed, say): each is then
	// counted as without a calendar (working days Monday to Friday, no
	// holidays), and an officer should check it.
	DateProblems []string `json:"date_problems,omitempty"`
}

// reviewDate is at moved by the review period p, key in the programme, on
// the model's calendar; zero when p is.
func (m *Model) reviewDate(plan *TreatmentPlan, key string, p calendar.Period, at time.Time) time.Time {
	if p.IsZero() {
		return time.Time{}
	}
	if m.cal == nil {
		return p.AddTo(at)
	}
	t, err := m.cal.Add(p, at)
	if err != nil {
		plan.DateProblems = append(plan.DateProblems, "review."+key+": "+err.Error()+"; counted Monday to Friday without holidays")
		return p.AddTo(at)
	}
	return t
}

// A PlannedControl is a control chosen for a plan of treatment.
type PlannedControl struct {
	ID        string      `json:"id"`
	Title     string      `json:"title,omitempty"`
	Kind      ControlKind `json:"kind"`
	Owner     string      `json:"owner,omitempty"`
	Hours     float64     `json:"hours"`
	Frequency float64     `json:"frequency"`
	// YearlyHours is Hours × Frequency.
	YearlyHours float64 `json:"yearly_hours"`
	// Risks are the risks of the plan the control addresses, sorted as
	// the plan's risks.
	Risks []string `json:"risks"`
}

// A CoveredRisk is a risk the plan covers, and the chosen controls that
// cover it.
type CoveredRisk struct {
	Risk   string   `json:"risk"`
	Rating string   `json:"rating,omitempty"`
	Weight float64  `json:"weight"`
	By     []string `json:"by"`
}

// An Uncovered risk is one the plan leaves uncovered, with the reason and,
// for BudgetExhausted, the controls that would have covered it.
type Uncovered struct {
	Risk     string          `json:"risk"`
	Rating   string          `json:"rating,omitempty"`
	Weight   float64         `json:"weight"`
	Reason   UncoveredReason `json:"reason"`
	Controls []string        `json:"controls,omitempty"`
}

// maxPlanNodes bounds the exact search of a plan. The search is
// deterministic, so whether a given case is solved exactly does not vary
// between runs or machines.
const maxPlanNodes = 1 << 21

// Plan draws up a plan of treatment for risks (usually Map's) within
// budgetHours staff hours a year, as of at. A risk is covered when at
// least one chosen control addresses it; the plan covers as much risk
// weight as the budget allows, then, among choices covering the same
// weight, takes the one with the fewest hours, then the one whose sorted
// control IDs come first, so that the same inputs always give the same
// plan. Risks are identified by ID; of duplicates the heaviest counts.
// A negative or NaN budget counts as zero.
//
// The choice is a budgeted maximum coverage problem, which is NP-hard.
// Plan solves it exactly by branch and bound, which is fast for the tens
// of controls a plan for one operator involves; TreatmentPlan.Exact
// reports when the search was cut short instead.
func (m *Model) Plan(risks []Risk, budgetHours float64, at time.Time) TreatmentPlan {
	if !(budgetHours > 0) {
		budgetHours = 0
	}
	plan := TreatmentPlan{At: at, Budget: budgetHours, Exact: true}
	plan.ChangeMethod = m.reviewDate(&plan, "change_method_after", m.cfg.Review.ChangeMethodAfter, at)
	plan.Reanalyse = m.reviewDate(&plan, "reanalyse_after", m.cfg.Review.ReanalyseAfter, at)

	// The risks, unique by ID, in the order of a map.
	byID := map[string]int{}
	var rs []Risk
	for _, r := range risks {
		if math.IsNaN(r.Weight) || r.Weight < 0 {
			r.Weight = 0
		}
		if i, ok := byID[r.ID]; ok {
			if r.Weight > rs[i].Weight {
				rs[i] = r
			}
			continue
		}
		byID[r.ID] = len(rs)
		rs = append(rs, r)
	}
	sortRisks(rs)
	for i, r := range rs {
		byID[r.ID] = i
		plan.TotalWeight += r.Weight
	}

	// The controls that address at least one of the risks, by ID.
	p := problem{budget: budgetHours, words: (len(rs) + 63) / 64}
	for _, r := range rs {
		p.weight = append(p.weight, r.Weight)
	}
	addressedBy := make([][]string, len(rs))
	var cands []*control
	for i := range m.controls {
		c := &m.controls[i]
		relevant := false
		for _, ri := range c.risks {
			if j, ok := byID[m.risks[ri].ID]; ok {
				relevant = true
				addressedBy[j] = append(addressedBy[j], c.ID)
			}
		}
		if relevant {
			cands = append(cands, c)
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].ID < cands[j].ID })
	for _, c := range cands {
		cover := make(bitset, p.words)
		for _, ri := range c.risks {
			if j, ok := byID[m.risks[ri].ID]; ok {
				cover.set(j)
			}
		}
		p.cover = append(p.cover, cover)
		p.cost = append(p.cost, c.Hours*c.Frequency)
	}
	chosen, exact := p.solve(maxPlanNodes)
	plan.Exact = exact

	covered := make(bitset, p.words)
	by := make([][]string, len(rs))
	for _, ci := range chosen {
		c := cands[ci]
		pc := PlannedControl{ID: c.ID, Title: c.Title, Kind: c.Kind, Owner: c.Owner, Hours: c.Hours, Frequency: c.Frequency, YearlyHours: p.cost[ci]}
		for j := range rs {
			if p.cover[ci].has(j) {
				pc.Risks = append(pc.Risks, rs[j].ID)
				by[j] = append(by[j], c.ID)
			}
		}
		covered.or(p.cover[ci])
		plan.Hours += pc.YearlyHours
		plan.Controls = append(plan.Controls, pc)
	}
	for j, r := range rs {
		if covered.has(j) {
			plan.Covered = append(plan.Covered, CoveredRisk{Risk: r.ID, Rating: r.Rating, Weight: r.Weight, By: by[j]})
			plan.CoveredWeight += r.Weight
			continue
		}
		u := Uncovered{Risk: r.ID, Rating: r.Rating, Weight: r.Weight, Reason: NoControl}
		if len(addressedBy[j]) > 0 {
			u.Reason, u.Controls = BudgetExhausted, addressedBy[j]
			sort.Strings(u.Controls)
		}
		plan.Uncovered = append(plan.Uncovered, u)
	}
	return plan
}

// A bitset is a set of risks, by index.
type bitset []uint64

func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) or(c bitset) {
	for i := range b {
		b[i] |= c[i]
	}
}

// problem is a budgeted maximum coverage problem: choose controls whose
// cost fits the budget so as to maximise the weight of the risks covered.
type problem struct {
	budget float64
	words  int
	weight []float64 // per risk
	cost   []float64 // per control
	cover  []bitset  // per control
}

// gain returns the weight of the risks in c not in covered.
func (p *problem) gain(c, covered bitset) float64 {
	var g float64
	for k, w := range c {
		w &^= covered[k]
		for w != 0 {
			g += p.weight[k*64+bits.TrailingZeros64(w)]
			w &= w - 1
		}
	}
	return g
}

func (p *problem) fits(cost float64) bool { return cost <= p.budget*(1+1e-12)+1e-9 }

// A choice is a set of controls (increasing indexes) with its weight and
// cost.
type choice struct {
	set          []int
	weight, cost float64
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// better reports whether a is preferred to b: more weight, then less cost,
// then the lexicographically smaller set of indexes (controls are sorted
// by ID).
func better(a, b choice) bool {
	if !near(a.weight, b.weight) {
		return a.weight > b.weight
	}
	if !near(a.cost, b.cost) {
		return a.cost < b.cost
	}
	for i := 0; i < len(a.set) && i < len(b.set); i++ {
		if a.set[i] != b.set[i] {
			return a.set[i] < b.set[i]
		}
	}
	return len(a.set) < len(b.set)
}

// solve returns the chosen controls and whether the choice is proven
// optimal within limit search nodes.
func (p *problem) solve(limit int) ([]int, bool) {
	best := p.greedy()
	n := len(p.cost)
	if n == 0 {
		return nil, true
	}
	// suffix[i] is what controls i.. can cover at all: the bound.
	suffix := make([]bitset, n+1)
	suffix[n] = make(bitset, p.words)
	for i := n - 1; i >= 0; i-- {
		suffix[i] = append(bitset(nil), suffix[i+1]...)
		suffix[i].or(p.cover[i])
	}
	covered := make([]bitset, n+1)
	for i := range covered {
		covered[i] = make(bitset, p.words)
	}
	var (
		nodes int
		cut   bool
		set   []int
	)
	var dfs func(i int, weight, cost float64)
	dfs = func(i int, weight, cost float64) {
		nodes++
		if nodes > limit {
			cut = true
			return
		}
		cur := choice{set: set, weight: weight, cost: cost}
		if better(cur, best) {
			best = choice{set: append([]int(nil), set...), weight: weight, cost: cost}
		}
		if i == n {
			return
		}
		bound := weight + p.gain(suffix[i], covered[i])
		// Every extension costs more than this node, so it can only win
		// on weight.
		if bound < best.weight && !near(bound, best.weight) || near(bound, best.weight) && cost >= best.cost {
			return
		}
		if g := p.gain(p.cover[i], covered[i]); g > 0 && p.fits(cost+p.cost[i]) {
			copy(covered[i+1], covered[i])
			covered[i+1].or(p.cover[i])
			set = append(set, i)
			dfs(i+1, weight+g, cost+p.cost[i])
			set = set[:len(set)-1]
			if cut {
				return
			}
		}
		copy(covered[i+1], covered[i])
		dfs(i+1, weight, cost)
	}
	dfs(0, 0, 0)
	return best.set, !cut
}

// greedy is the modified greedy algorithm for budgeted maximum coverage
// (Khuller, Moss and Naor, 1999): repeatedly take the affordable control
// with the most new weight per hour, then compare with the best single
// control. It guarantees at least ½(1−1/e) of the optimum.
func (p *problem) greedy() choice {
	n := len(p.cost)
	covered := make(bitset, p.words)
	taken := make([]bool, n)
	var g choice
	for {
		pick, pickGain := -1, 0.0
		for i := range n {
			if taken[i] || !p.fits(g.cost+p.cost[i]) {
				continue
			}
			gain := p.gain(p.cover[i], covered)
			if gain <= 0 {
				continue
			}
			if pick < 0 {
				pick, pickGain = i, gain
				continue
			}
			r, pr := gain/p.cost[i], pickGain/p.cost[pick]
			switch {
			case !near(r, pr) && r > pr,
				near(r, pr) && gain > pickGain && !near(gain, pickGain):
				pick, pickGain = i, gain
			}
		}
		if pick < 0 {
			break
		}
		taken[pick] = true
		covered.or(p.cover[pick])
		g.weight += pickGain
		g.cost += p.cost[pick]
	}
	for i := range n {
		if taken[i] {
			g.set = append(g.set, i)
		}
	}
	empty := make(bitset, p.words)
	for i := range n {
		if !p.fits(p.cost[i]) {
			continue
		}
		single := choice{set: []int{i}, weight: p.gain(p.cover[i], empty), cost: p.cost[i]}
		if single.weight > 0 && better(single, g) {
			g = single
		}
	}
	return g
}
