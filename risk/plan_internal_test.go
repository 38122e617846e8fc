package risk

import (
	"math"
	"math/rand/v2"
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
