package rules

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigEnv is an environment with long lists and a long string, for the
// budgets.
func bigEnv(n int) *fzEnv {
	e := fzEnvFull()
	e.Items = make([]fzItem, n)
	for i := range e.Items {
		e.Items[i] = fzItem{N: i, X: float64(i), S: "x"}
	}
	e.Ints = make([]int, n)
	for i := range e.Ints {
		e.Ints[i] = i
	}
	e.S = strings.Repeat("a", 30_000)
	return e
}

// TestBudgets checks that what would run for long or build too much
// stops with a LimitError, on the lowered closures and on the VM, and
// that what fits the budget runs.
func TestBudgets(t *testing.T) {
	m := fzModel(t) // 1000 bytes of memory
	tests := []struct {
		name   string
		src    string
		n      int    // length of the environment's lists
		want   string // LimitError.What; "" when the rule must run
		reason string
	}{
		{name: "nested count", src: "count(items, count(items, .n == 1) == 2) > 0", n: 20_000, want: "steps",
			reason: "a quadratic loop over 20,000 entries is 4e8 steps"},
		{name: "nested quantifier", src: "all(ints, any(ints, # == 1))", n: 5_000, want: "steps",
			reason: "each inner loop counts its length"},
		{name: "long single loop fits", src: "count(items, .n > 10) > 0", n: 20_000,
			reason: "one loop over 20,000 entries is 20,000 steps"},
		{name: "membership in a list", src: "none(ints, (# + 100000) in ints)", n: 5_000, want: "steps",
			reason: "x in list scans the list"},
		{name: "string doubling", src: "len(reduce(1..40, #acc + #acc, 'x')) > 0", want: "memory",
			reason: "2^40 bytes of string"},
		{name: "string concatenation loop", src: "len(reduce(1..99999, #acc + 'x', '')) > 0", want: "memory",
			reason: "the strings built add up quadratically"},
		{name: "huge range", src: "len(1..1000000000) > 0", want: "memory",
			reason: "a range is built before it is used"},
		{name: "map over a range", src: "len(map(1..100000, # * 2)) > 0", want: "memory",
			reason: "a range of 100,000 ints is 1.6 MB"},
		{name: "repeat", src: "len(repeat(s, 100000)) > 0", n: 1, want: "memory",
			reason: "repeat's size is checked before the string is built"},
		{name: "replace", src: "len(replace(s, 'a', s)) > 0", n: 1, want: "memory",
			reason: "a replacement that grows the string is checked before it is built"},
		{name: "pattern from the profile", src: "s matches s", n: 1, want: "pattern",
			reason: "a 30 KB pattern built from a profile value is refused"},
		{name: "short pattern from the profile", src: "t matches t", n: 1,
			reason: "a short pattern from the profile is allowed"},
		{name: "constant pattern", src: "s matches '^a+$'", n: 1,
			reason: "a constant pattern comes from the programme and is not capped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Compile(tt.src, Bool)
			require.NoError(t, err)
			env := bigEnv(tt.n)
			r := m.Runner()
			defer r.Release()
			for _, run := range []struct {
				name string
				fn   func() error
			}{
				{"runner", func() error { _, err := r.Bool(p, env); return err }},
				{"vm", func() error { _, err := r.RunVM(p, env); return err }},
			} {
				err := run.fn()
				if tt.want == "" {
					assert.NoError(t, err, "%s: %s", run.name, tt.reason)
					continue
				}
				var le *LimitError
				if assert.ErrorAs(t, err, &le, "%s: %s", run.name, tt.reason) {
					assert.Equal(t, tt.want, le.What, "%s: %s", run.name, tt.reason)
				}
			}
		})
	}
}

// TestContextInsideRule checks that a context done during a long rule
// stops it, on both evaluators.
func TestContextInsideRule(t *testing.T) {
	m, err := NewModel(&fzEnv{}, WithLimits(Limits{MaxSteps: 1 << 40}))
	require.NoError(t, err)
	p, err := m.Compile("count(items, count(items, .n == 1) == 2) > 0", Bool)
	require.NoError(t, err)
	env := bigEnv(50_000)
	for _, name := range []string{"runner", "vm"} {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			r := m.Runner()
			defer r.Release()
			r.SetContext(ctx)
			if name == "runner" {
				_, err = r.Bool(p, env)
			} else {
				_, err = r.RunVM(p, env)
			}
			require.ErrorIs(t, err, context.DeadlineExceeded, "2.5e9 steps cannot finish before the deadline; the context stops the rule")
		})
	}
}

// TestArithmetic checks that arithmetic never answers with a number that
// is not finite: on literals it is refused when the rule is compiled, on
// values when it runs, on both evaluators.
func TestArithmetic(t *testing.T) {
	m := fzModel(t)
	tests := []struct {
		name       string
		src        string
		env        func(*fzEnv)
		compileErr bool
		reason     string
	}{
		{name: "division of literals by zero", src: "1 / 0 > 5", compileErr: true,
			reason: "expr's optimiser would fold it into +Inf, then true"},
		{name: "power of literals", src: "10 ** 400 > 1", compileErr: true, reason: "+Inf"},
		{name: "literal overflow", src: "9223372036854775807 + 1 > 0", compileErr: true, reason: "integer overflow"},
		{name: "division by a zero field", src: "i / j > 5", env: func(e *fzEnv) { e.J = 0 },
			reason: "x / 0 is +Inf: the rule fails"},
		{name: "zero by zero", src: "(i - 7) / j > 5", env: func(e *fzEnv) { e.J = 0 }, reason: "0 / 0 is NaN"},
		{name: "float overflow", src: "f * 1e308 * 10 > 0", env: func(e *fzEnv) { e.F = 1e10 }, reason: "+Inf"},
		{name: "power overflow", src: "f ** 400 > 1", env: func(e *fzEnv) { e.F = 10 }, reason: "+Inf"},
		{name: "int overflow", src: "i * 2 > 0", env: func(e *fzEnv) { e.I = 1 << 62 }, reason: "wraps to a negative"},
		{name: "int sum overflow", src: "sum(ints) > 0", env: func(e *fzEnv) { e.Ints = []int{1 << 62, 1 << 62} },
			reason: "a sum that wraps"},
		{name: "float sum overflow", src: "sum(floats) > 0", env: func(e *fzEnv) { e.Floats = []float64{1e308, 1e308} },
			reason: "+Inf"},
		{name: "negation overflow", src: "-i > 0", env: func(e *fzEnv) { e.I = -1 << 63 }, reason: "-MinInt is MinInt"},
		{name: "int of a huge float", src: "int(f) > 0", env: func(e *fzEnv) { e.F = 1e300 }, reason: "does not fit"},
		{name: "float of NaN text", src: "float(s) > 0", env: func(e *fzEnv) { e.S = "NaN" }, reason: "parses into NaN"},
		{name: "mean overflow", src: "mean(floats) > 0", env: func(e *fzEnv) { e.Floats = []float64{1e308, 1e308} },
			reason: "+Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Compile(tt.src, Bool)
			if tt.compileErr {
				var e *Error
				require.ErrorAs(t, err, &e, tt.reason)
				t.Log(e)
				return
			}
			require.NoError(t, err)
			env := fzEnvFull()
			tt.env(env)
			r := m.Runner()
			defer r.Release()
			_, err = r.Bool(p, env)
			var ae *ArithmeticError
			require.ErrorAs(t, err, &ae, tt.reason)
			_, err = r.RunVM(p, env)
			require.ErrorAs(t, err, &ae, "VM: %s", tt.reason)
			t.Log(ae)
		})
	}
}

func TestLimitErrorText(t *testing.T) {
	for _, e := range []*LimitError{{What: "steps", Limit: 10}, {What: "memory", Limit: 20}, {What: "pattern", Limit: 30}} {
		assert.Contains(t, e.Error(), strconv.Itoa(e.Limit), "the message names the limit")
		assert.Contains(t, e.Error(), e.What, "the message names what ran out")
	}
}

// FuzzBudget runs arbitrary expressions under a small budget, on an
// environment with long lists and strings: whatever the expression,
// evaluation ends (no panic, no hang: the budget and the context bound
// it), the lowered closures and the VM agree unless the budget stopped
// one of them, and the Runner is usable afterwards.
func FuzzBudget(f *testing.F) {
	for _, s := range []string{
		"len(reduce(1..40, #acc + #acc, 'x')) > 0",
		"len(reduce(1..99999, #acc + 'x', '')) > 0",
		"count(items, count(items, .n == 1) == 2) > 0",
		"s matches s",
		"len(repeat(s, 1000)) > 0",
		"len(replace(s, 'a', s)) > 0",
		"all(1..100000, # > 0)",
		"len(map(1..5000, {{'a': #}})) > 0",
		"sum(map(items, .x)) / len(items) > 1",
		"let l = filter(ints, # % 2 == 0); len(l) > 0 && all(l, # in ints)",
		"i * i * i * i > 0",
		"upper(s) + lower(s) != ''",
	} {
		f.Add(s)
	}
	m, err := NewModel(&fzEnv{}, WithLimits(Limits{MaxSteps: 20_000, MaxMemory: 100_000, MaxPattern: 64}),
		WithFacts(map[string]FactType{"fi": FactInt, "ff": FactFloat}))
	require.NoError(f, err)
	env := bigEnv(2_000)
	f.Fuzz(func(t *testing.T, src string) {
		p, err := m.Compile(src, Any)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		r := m.Runner()
		defer r.Release()
		r.SetContext(ctx)
		got, gerr := r.Run(p, env)
		want, werr := r.RunVM(p, env)
		stopped := func(err error) bool {
			var le *LimitError
			return errors.As(err, &le) || errors.Is(err, context.DeadlineExceeded)
		}
		if !stopped(gerr) && !stopped(werr) {
			if (gerr == nil) != (werr == nil) || gerr == nil && !sameAny(got, want) {
				t.Fatalf("%q: runner %v, %v; VM %v, %v", src, got, gerr, want, werr)
			}
		}
		// The budget of one evaluation is not the next one's.
		q, err := m.Compile("i > 0", Bool)
		require.NoError(t, err)
		ok, err := r.Bool(q, env)
		require.NoError(t, err)
		require.True(t, ok)
	})
}
