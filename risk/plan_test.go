package risk_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// demoRisks are the risks of an operator dealing in excise goods whose
// records and security are found wanting.
func demoRisks(t testing.TB, m *risk.Model) []risk.Risk {
	t.Helper()
	got, err := m.Map(t.Context(), fullOperator(), []criteria.Finding{
		{Requirement: "B.1", Outcome: criteria.NotMet},
		{Requirement: "K.2", Criterion: "security", Outcome: criteria.Partly},
		{Requirement: "C.1", Outcome: criteria.NotMet},
	})
	require.NoError(t, err)
	valuation, ok := m.Rate("possible", "moderate")
	require.True(t, ok)
	valuation.ID = "valuation"
	return append(got.Risks, valuation)
}

func TestModel_Plan(t *testing.T) {
	m := demoModel(t)
	risks := demoRisks(t, m)
	at := day("2025-01-31")
	type uncovered struct {
		Risk   string
		Reason risk.UncoveredReason
	}
	tests := []struct {
		name      string
		risks     []risk.Risk
		budget    float64
		controls  []string
		hours     float64
		uncovered []uncovered
		reason    string
	}{{
		name:   "no staff",
		risks:  risks,
		budget: 0,
		uncovered: []uncovered{{"excise", risk.BudgetExhausted}, {"records", risk.BudgetExhausted},
			{"security", risk.BudgetExhausted}, {"valuation", risk.BudgetExhausted}, {"solvency", risk.BudgetExhausted}},
		reason: "with no hours nothing is covered, and every risk says it is the budget",
	}, {
		name:     "ample staff",
		risks:    risks,
		budget:   1000,
		controls: []string{"accounts", "physical"},
		hours:    16*2 + 4*12,
		reason:   "the cheapest set covering everything: accounting control (records, valuation, solvency) and physical inspection (excise, security), 80 hours",
	}, {
		name:      "short of staff",
		risks:     risks,
		budget:    50,
		controls:  []string{"physical", "self"},
		hours:     48 + 2,
		uncovered: []uncovered{{"valuation", risk.BudgetExhausted}, {"solvency", risk.BudgetExhausted}},
		reason: "in 50 hours, physical inspection (excise, security) and the self-assessment review (records) cover 12 of 15; " +
			"the accounting control with the spot check would cover only 11, the post-clearance audit alone 10",
	}, {
		name:      "a risk no control addresses",
		risks:     append(slices.Clone(risks), risk.Risk{ID: "smuggling", Rating: "extreme", Weight: 8}),
		budget:    1000,
		controls:  []string{"accounts", "physical"},
		hours:     80,
		uncovered: []uncovered{{"smuggling", risk.NoControl}},
		reason:    "a risk outside the catalogue needs a new control, not more staff",
	}, {
		name: "duplicates",
		risks: []risk.Risk{
			{ID: "security", Weight: 1},
			{ID: "security", Weight: 4},
			{ID: "records", Weight: 2},
		},
		budget:    13,
		controls:  []string{"spot"},
		hours:     12,
		uncovered: []uncovered{{"records", risk.BudgetExhausted}},
		reason:    "risks are identified by ID and the heaviest duplicate counts: security (4) beats records (2) for the 13 hours",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := m.Plan(tt.risks, tt.budget, at)
			var ids []string
			for _, c := range plan.Controls {
				ids = append(ids, c.ID)
			}
			var unc []uncovered
			for _, u := range plan.Uncovered {
				unc = append(unc, uncovered{u.Risk, u.Reason})
			}
			if diff := cmp.Diff(tt.controls, ids); diff != "" {
				t.Errorf("controls mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			if diff := cmp.Diff(tt.uncovered, unc); diff != "" {
				t.Errorf("uncovered mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			assert.InDelta(t, tt.hours, plan.Hours, 1e-9, tt.reason)
			assert.LessOrEqual(t, plan.Hours, tt.budget+1e-9, "a plan never exceeds its budget")
			assert.True(t, plan.Exact)
		})
	}
}

func TestModel_Plan_review(t *testing.T) {
	m := demoModel(t)
	plan := m.Plan(nil, 100, day("2025-01-31"))
	assert.Equal(t, day("2025-04-30"), plan.ChangeMethod, "three months from 31 January end on 30 April (month-end clamping)")
	assert.Equal(t, day("2026-01-31"), plan.Reanalyse, "the ten steps are repeated a year on")

	cfg := demo()
	cfg.Review = risk.Review{}
	m2, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	plan = m2.Plan(nil, 100, day("2025-01-31"))
	assert.True(t, plan.ChangeMethod.IsZero(), "no period, no date")
	assert.True(t, plan.Reanalyse.IsZero())
}

// TestModel_Plan_reviewCalendar counts review periods in working days on
// the programme's calendar: its working week, its holidays and its roll.
func TestModel_Plan_reviewCalendar(t *testing.T) {
	// A Sunday-to-Thursday week with a holiday on Sunday 2 February 2025.
	cal, err := calendar.Compile(calendar.Config{
		WorkingWeek: []calendar.Weekday{calendar.Weekday(time.Sunday), calendar.Weekday(time.Monday), calendar.Weekday(time.Tuesday), calendar.Weekday(time.Wednesday), calendar.Weekday(time.Thursday)},
		Holidays:    map[string][]calendar.Holiday{"2025": {{Date: day("2025-02-02"), Name: "Holiday"}}},
	})
	require.NoError(t, err)
	tests := []struct {
		name     string
		review   risk.Review
		at       string
		cal      *calendar.Calendar
		change   string
		again    string
		problems int
		reason   string
	}{
		{name: "working days on the programme's week", review: risk.Review{ChangeMethodAfter: calendar.WorkingDays(3)}, at: "2025-01-30", cal: cal,
			change: "2025-02-05", reason: "from Thursday 30 January: Friday and Saturday are off, Sunday 2 February a holiday; Monday 3, Tuesday 4, Wednesday 5"},
		{name: "without a calendar, Monday to Friday", review: risk.Review{ChangeMethodAfter: calendar.WorkingDays(3)}, at: "2025-01-30",
			change: "2025-02-04", reason: "Friday 31, Monday 3, Tuesday 4: no holiday, Saturday and Sunday off"},
		{name: "calendar months keep their meaning", review: risk.Review{ChangeMethodAfter: calendar.Months(3), ReanalyseAfter: calendar.Years(1)}, at: "2025-01-31", cal: cal,
			change: "2025-04-30", again: "2026-01-31", reason: "a plain period needs no working day, so the calendar changes nothing"},
		{name: "a year the calendar does not list", review: risk.Review{ReanalyseAfter: calendar.WorkingDays(5)}, at: "2025-12-29", cal: cal,
			again: "2026-01-05", problems: 1, reason: "2026 has no holiday list: counted Monday to Friday (30, 31 December, 1, 2 and 5 January) and the plan says so"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := demo()
			cfg.Review = tt.review
			opts := []risk.Option{risk.WithEnv(&operatorEnv{})}
			if tt.cal != nil {
				opts = append(opts, risk.WithCalendar(tt.cal))
			}
			m, err := risk.Compile(cfg, opts...)
			require.NoError(t, err)
			plan := m.Plan(nil, 100, day(tt.at))
			want := func(s string) time.Time {
				if s == "" {
					return time.Time{}
				}
				return day(s)
			}
			assert.Equal(t, want(tt.change), plan.ChangeMethod, tt.reason)
			assert.Equal(t, want(tt.again), plan.Reanalyse, tt.reason)
			assert.Len(t, plan.DateProblems, tt.problems, tt.reason)
			for _, p := range plan.DateProblems {
				assert.Contains(t, p, "review.reanalyse_after", tt.reason)
			}
		})
	}
}

func TestModel_Plan_golden(t *testing.T) {
	m := demoModel(t)
	plan := m.Plan(demoRisks(t, m), 60, day("2025-01-31"))
	b, err := json.MarshalIndent(plan, "", "  ")
	require.NoError(t, err)
	golden(t, "plan.json", append(b, '\n'))
}

// TestModel_Plan_bruteForce checks Plan against every subset of controls
// on small random cases: the same covered weight, and, since ties are
// broken by hours and then by IDs, the same controls.
func TestModel_Plan_bruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		nRisks := 1 + rng.IntN(8)
		nControls := 1 + rng.IntN(10)
		cfg := risk.Config{Matrix: matrix5()}
		var risks []risk.Risk
		for i := range nRisks {
			id := fmt.Sprintf("r%d", i)
			cfg.Risks = append(cfg.Risks, risk.RiskDecl{ID: id, Likelihood: "rare", Consequence: "minor"})
			// Small integer weights make ties common, to exercise the
			// tie-breaks.
			risks = append(risks, risk.Risk{ID: id, Weight: float64(rng.IntN(4))})
		}
		for i := range nControls {
			var addr []string
			for j := range nRisks {
				if rng.IntN(3) == 0 {
					addr = append(addr, fmt.Sprintf("r%d", j))
				}
			}
			if len(addr) == 0 {
				addr = []string{fmt.Sprintf("r%d", rng.IntN(nRisks))}
			}
			cfg.Controls = append(cfg.Controls, risk.Control{
				ID: fmt.Sprintf("c%02d", i), Kind: risk.SpotCheck, Addresses: addr,
				Hours: float64(1 + rng.IntN(8)), Frequency: float64(1 + rng.IntN(3)),
			})
		}
		budget := float64(rng.IntN(30))
		m, err := risk.Compile(cfg)
		require.NoError(t, err)
		plan := m.Plan(risks, budget, day("2025-01-01"))
		want := bruteForce(cfg, risks, budget)
		var got []string
		for _, c := range plan.Controls {
			got = append(got, c.ID)
		}
		require.True(t, plan.Exact)
		require.InDelta(t, want.weight, plan.CoveredWeight, 1e-9, "case %d: covered weight", n)
		if diff := cmp.Diff(want.ids, got); diff != "" {
			t.Fatalf("case %d: controls mismatch (-brute force +Plan):\n%s", n, diff)
		}
	}
}

type bruteChoice struct {
	ids          []string
	weight, cost float64
}

// bruteForce tries every subset of controls, keeping the most weight, then
// the fewest hours, then the lexicographically first sorted IDs. Subsets
// with a control that adds nothing are never preferred, as they cost
// more.
func bruteForce(cfg risk.Config, risks []risk.Risk, budget float64) bruteChoice {
	weight := map[string]float64{}
	for _, r := range risks {
		weight[r.ID] = math.Max(weight[r.ID], r.Weight)
	}
	ctl := slices.Clone(cfg.Controls)
	slices.SortFunc(ctl, func(a, b risk.Control) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	var best *bruteChoice
	for mask := 0; mask < 1<<len(ctl); mask++ {
		var c bruteChoice
		covered := map[string]bool{}
		for i, ct := range ctl {
			if mask&(1<<i) == 0 {
				continue
			}
			c.ids = append(c.ids, ct.ID)
			c.cost += ct.Hours * ct.Frequency
			for _, a := range ct.Addresses {
				covered[a] = true
			}
		}
		if c.cost > budget {
			continue
		}
		for id := range covered {
			c.weight += weight[id]
		}
		if best == nil || c.weight > best.weight || c.weight == best.weight && c.cost < best.cost ||
			c.weight == best.weight && c.cost == best.cost && slices.Compare(c.ids, best.ids) < 0 {
			best = &c
		}
	}
	return *best
}
