package risk

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func randomProblem(rng *rand.Rand, nControls, nRisks int) *problem {
	p := &problem{words: (nRisks + 63) / 64, budget: float64(5 + rng.IntN(40))}
	for range nRisks {
		p.weight = append(p.weight, float64(1+rng.IntN(8)))
	}
	for range nControls {
		c := make(bitset, p.words)
		for j := range nRisks {
			if rng.IntN(4) == 0 {
				c.set(j)
			}
		}
		c.set(rng.IntN(nRisks))
		p.cover = append(p.cover, c)
		p.cost = append(p.cost, float64(1+rng.IntN(12)))
	}
	return p
}

func (p *problem) value(set []int) (weight, cost float64) {
	covered := make(bitset, p.words)
	for _, i := range set {
		covered.or(p.cover[i])
		cost += p.cost[i]
	}
	return p.gain(covered, make(bitset, p.words)), cost
}

// TestGreedyBound checks the guarantee Plan states for a search cut short:
// the modified greedy choice covers at least ½(1−1/e) of the optimum.
func TestGreedyBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	bound := (1 - 1/math.E) / 2
	worst := 1.0
	for range 2000 {
		p := randomProblem(rng, 1+rng.IntN(12), 1+rng.IntN(20))
		g := p.greedy()
		set, exact := p.solve(maxPlanNodes)
		require.True(t, exact)
		opt, cost := p.value(set)
		require.LessOrEqual(t, cost, p.budget+1e-9)
		gw, gc := p.value(g.set)
		require.InDelta(t, g.weight, gw, 1e-9, "greedy reports the weight of its set")
		require.LessOrEqual(t, gc, p.budget+1e-9, "greedy stays within the budget")
		require.GreaterOrEqual(t, opt+1e-9, gw, "the exact search is never beaten by greedy")
		if opt > 0 {
			worst = math.Min(worst, gw/opt)
			require.GreaterOrEqual(t, gw/opt, bound, "greedy ratio below ½(1−1/e)")
		}
	}
	t.Logf("worst greedy/optimum ratio over 2000 cases: %.3f (guarantee %.3f)", worst, bound)
}

// TestSolveCutShort checks that a search stopped by its node limit still
// returns a feasible choice at least as good as greedy, and says it is not
// proven optimal.
func TestSolveCutShort(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := randomProblem(rng, 40, 60)
	p.budget = 60
	set, exact := p.solve(1000)
	assert.False(t, exact, "1000 nodes cannot settle 40 controls")
	w, c := p.value(set)
	assert.LessOrEqual(t, c, p.budget+1e-9)
	assert.GreaterOrEqual(t, w+1e-9, p.greedy().weight)
}

// exhaustive returns the choice Plan documents, found by trying every
// set of controls: the most weight within the budget, then the fewest
// hours, then the lexicographically first set of indexes (controls are
// sorted by ID). Weights and costs are whole numbers, so no tolerance is
// needed.
func (p *problem) exhaustive() choice {
	n := len(p.cost)
	var best choice
	for mask := range 1 << n {
		var set []int
		for i := range n {
			if mask&(1<<i) != 0 {
				set = append(set, i)
			}
		}
		w, c := p.value(set)
		if c > p.budget {
			continue
		}
		cur := choice{set: set, weight: w, cost: c}
		switch {
		case mask == 0, w > best.weight, w == best.weight && c < best.cost:
			best = cur
		case w == best.weight && c == best.cost && lexLess(set, best.set):
			best = cur
		}
	}
	return best
}

func lexLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// TestSolveMatchesExhaustiveSearch checks the exact search against every
// set of controls, ties included: random small problems with few distinct
// weights and costs tie often.
func TestSolveMatchesExhaustiveSearch(t *testing.T) {
	tests := []struct {
		name      string
		seed      uint64
		maxCost   int
		maxWeight int
		reason    string
	}{
		{name: "varied", seed: 7, maxCost: 12, maxWeight: 8, reason: "weights and costs spread out: one best choice"},
		{name: "ties", seed: 8, maxCost: 2, maxWeight: 2, reason: "many choices of equal weight and cost: the order decides"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(tt.seed, 1))
			for k := range 400 {
				p := randomProblem(rng, 1+rng.IntN(10), 1+rng.IntN(12))
				for i := range p.cost {
					p.cost[i] = float64(1 + rng.IntN(tt.maxCost))
				}
				for j := range p.weight {
					p.weight[j] = float64(1 + rng.IntN(tt.maxWeight))
				}
				p.budget = float64(rng.IntN(3 * tt.maxCost))
				want := p.exhaustive()
				set, exact := p.solve(maxPlanNodes)
				require.True(t, exact, "case %d: a small problem is solved exactly", k)
				w, c := p.value(set)
				got := choice{set: set, weight: w, cost: c}
				if len(got.set) == 0 {
					got.set = nil
				}
				require.Equal(t, want, got, "case %d (budget %v, costs %v): %s", k, p.budget, p.cost, tt.reason)
			}
		})
	}
}

// TestGainAcrossWords checks the bitsets of more than 64 risks: a risk in
// a later word is counted with its own weight.
func TestGainAcrossWords(t *testing.T) {
	const n = 130
	p := &problem{words: (n + 63) / 64}
	for i := range n {
		p.weight = append(p.weight, float64(i+1))
	}
	set := func(idx ...int) bitset {
		b := make(bitset, p.words)
		for _, i := range idx {
			b.set(i)
		}
		return b
	}
	tests := []struct {
		name    string
		c       []int
		covered []int
		want    float64
		reason  string
	}{
		{name: "one per word", c: []int{0, 64, 129}, want: 1 + 65 + 130, reason: "risks 0, 64 and 129 weigh 1, 65 and 130"},
		{name: "some covered", c: []int{0, 64, 129}, covered: []int{64}, want: 1 + 130, reason: "risk 64 is covered already"},
		{name: "last bits of a word", c: []int{63, 127}, covered: []int{0}, want: 64 + 128, reason: "the last bit of each word counts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := set(tt.c...)
			assert.Equal(t, tt.want, p.gain(c, set(tt.covered...)), tt.reason)
			for i := range n {
				assert.Equal(t, slices.Contains(tt.c, i), c.has(i), "risk %d: %s", i, tt.reason)
			}
		})
	}
}

// TestGreedyTakesTheBestRatio checks the modified greedy choice as
// documented: repeatedly the affordable control with the most new weight
// per hour, then the best single control if it covers more. Costs are
// distinct primes above any gain, so no two ratios tie.
func TestGreedyTakesTheBestRatio(t *testing.T) {
	primes := []float64{101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157}
	rng := rand.New(rand.NewPCG(9, 10))
	for k := range 500 {
		nControls, nRisks := 1+rng.IntN(len(primes)), 1+rng.IntN(10)
		p := randomProblem(rng, nControls, nRisks)
		for j := range p.weight {
			p.weight[j] = float64(1 + rng.IntN(9)) // at most 90 in all: below every cost
		}
		perm := rng.Perm(len(primes))
		for i := range p.cost {
			p.cost[i] = primes[perm[i]]
		}
		p.budget = float64(rng.IntN(600))

		// The reference: the documented steps, written out.
		var want choice
		covered := make(bitset, p.words)
		taken := make([]bool, nControls)
		for {
			pick, best := -1, 0.0
			for i := range nControls {
				if taken[i] || want.cost+p.cost[i] > p.budget {
					continue
				}
				if g := p.gain(p.cover[i], covered); g > 0 && g/p.cost[i] > best {
					pick, best = i, g/p.cost[i]
				}
			}
			if pick < 0 {
				break
			}
			taken[pick] = true
			want.weight += p.gain(p.cover[pick], covered)
			want.cost += p.cost[pick]
			covered.or(p.cover[pick])
		}
		for i := range nControls {
			if taken[i] {
				want.set = append(want.set, i)
			}
		}
		for i := range nControls {
			w := p.gain(p.cover[i], make(bitset, p.words))
			if p.cost[i] <= p.budget && (w > want.weight || w == want.weight && w > 0 && p.cost[i] < want.cost) {
				want = choice{set: []int{i}, weight: w, cost: p.cost[i]}
			}
		}
		require.Equal(t, want, p.greedy(), "case %d: budget %v, costs %v", k, p.budget, p.cost)
	}
}

func TestSortRisks(t *testing.T) {
	tests := []struct {
		reason string
		in     []Risk
		want   []string
	}{
		{"the heavier first, whatever the products",
			[]Risk{{ID: "a", Weight: 5, Product: 9}, {ID: "b", Weight: 10, Product: 2}},
			[]string{"b", "a"}},
		{"equal weights: the larger product first, whatever the IDs",
			[]Risk{{ID: "a", Weight: 5, Product: 3}, {ID: "b", Weight: 5, Product: 9}},
			[]string{"b", "a"}},
		{"equal weights and products: by ID",
			[]Risk{{ID: "b", Weight: 5, Product: 3}, {ID: "a", Weight: 5, Product: 3}},
			[]string{"a", "b"}},
		{"all three keys at once",
			[]Risk{{ID: "c", Weight: 1, Product: 25}, {ID: "z", Weight: 4, Product: 1}, {ID: "y", Weight: 4, Product: 6}, {ID: "x", Weight: 4, Product: 6}},
			[]string{"x", "y", "z", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			rs := slices.Clone(tt.in)
			sortRisks(rs)
			var got []string
			for _, r := range rs {
				got = append(got, r.ID)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestFits(t *testing.T) {
	tests := []struct {
		reason       string
		budget, cost float64
		want         bool
	}{
		{"a cost equal to a small budget fits", 10, 10, true},
		{"a cost equal to a large budget fits", 1e5, 1e5, true},
		{"a cost equal to a budget of one hour fits", 1, 1, true},
		{"a cost a hair within a large budget fits", 2e6, 2e6 - 1e-3, true},
		{"a cost over a small budget does not", 10, 10.001, false},
		{"a cost over a large budget does not", 1e5, 1e5 + 1, false},
		{"nothing fits a zero budget but nothing", 0, 0.5, false},
		{"a free control fits a zero budget", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			p := &problem{budget: tt.budget}
			assert.Equal(t, tt.want, p.fits(tt.cost))
		})
	}
}

// TestSolveCheaperOfEqualWeight is a case where the greedy start covers as
// much weight as the optimum but at a higher cost: the search must prefer
// the cheaper choice.
func TestSolveCheaperOfEqualWeight(t *testing.T) {
	p := &problem{words: 1, budget: 10, weight: []float64{6, 6}}
	both, first, second := make(bitset, 1), make(bitset, 1), make(bitset, 1)
	both.set(0)
	both.set(1)
	first.set(0)
	second.set(1)
	p.cover = []bitset{both, first, second}
	p.cost = []float64{4.5, 1, 4}
	g := p.greedy()
	require.Equal(t, 12.0, g.weight, "greedy covers both risks")
	set, exact := p.solve(1000)
	assert.True(t, exact)
	assert.Equal(t, []int{0}, set, "one control of 4.5 hours covers what the greedy start covers in 5")
	weight, cost := p.value(set)
	assert.Equal(t, 12.0, weight)
	assert.Equal(t, 4.5, cost)
}

func TestNear(t *testing.T) {
	tests := []struct {
		reason string
		a, b   float64
		want   bool
	}{
		{"equal", 3, 3, true},
		{"within a relative billionth", 1e6, 1e6 + 1e-4, true},
		{"within an absolute billionth near zero", 0, 1e-10, true},
		{"apart", 3, 3.001, false},
		{"opposite signs are not near", 5, -5, false},
		{"far apart near zero", 0, 1e-6, false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			assert.Equal(t, tt.want, near(tt.a, tt.b))
			assert.Equal(t, tt.want, near(tt.b, tt.a), "near is symmetric")
		})
	}
}
