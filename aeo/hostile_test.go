package aeo_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
)

// hostileProgramme is a programme of one requirement whose rule is when,
// with the limits section given (if any).
func hostileProgramme(when, limits string) string {
	return fmt.Sprintf(`programme: {name: Hostile, version: "1"}
criteria: [{id: A, title: Compliance}]
requirements:
  - id: A.1
    criterion: A
    title: A rule from a bad or hostile author
    source: test
    when: %q
%s`, when, limits)
}

// hostileProfile is a complete enough profile, changed by change.
func hostileProfile(change func(p *aeo.Profile)) *aeo.Profile {
	years := 5
	decl := 120
	p := &aeo.Profile{OperatorID: "XE0001", Name: "Example Imports Ltd", Country: "XE", Roles: []string{"importer"},
		YearsTrading: &years, DeclarationsPerYear: &decl,
		Compliance: &aeo.Compliance{Infringements: []aeo.Infringement{}},
		Financials: []aeo.FinancialYear{{Year: 2024, NetAssets: 1e5, Equity: 5e4, TaxesPaid: true}}}
	if change != nil {
		change(p)
	}
	return p
}

// TestHostileRules runs rules that a careless or hostile author (or a
// hostile profile) makes run long, build much, or compute a number that
// is not finite. Each ends in a clear error at load or an indeterminate
// outcome with its reason, within its budget: never a crash, a hang, an
// exhausted memory or a silent answer. Rows that must decide say so.
func TestHostileRules(t *testing.T) {
	long := strings.Repeat("a", 30_000)
	many := func(n int) func(p *aeo.Profile) {
		return func(p *aeo.Profile) {
			p.Compliance.Infringements = make([]aeo.Infringement, n)
			for i := range p.Compliance.Infringements {
				p.Compliance.Infringements[i] = aeo.Infringement{Date: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Severity: "minor"}
			}
		}
	}
	tests := []struct {
		name    string
		when    string
		limits  string
		profile func(p *aeo.Profile)
		timeout time.Duration // a deadline on the assessment, if any
		loadErr string        // the load fails with this
		ctxErr  error         // the assessment fails with this
		orCtx   bool          // or with the deadline, on a slow machine
		reason  string        // the requirement is indeterminate with this
		outcome criteria.Outcome
		why     string
	}{{
		name: "string doubled forty times", when: `len(reduce(1..40, #acc + #acc, "x")) > 0`, reason: "bytes of memory",
		why: "2^40 bytes: it passed validation and then ran the host out of memory",
	}, {
		name: "concatenation loop under a deadline", when: `len(reduce(1..99999, #acc + "x", "")) > 0`, timeout: 50 * time.Millisecond,
		reason: "bytes of memory", orCtx: true,
		why: "the strings built add up to 5 GB; a 50 ms deadline was honoured only after 12 s: now the memory budget or the deadline stops it",
	}, {
		name: "quadratic count over 20,000 infringements", profile: many(20_000),
		when:   `count(compliance.infringements, count(compliance.infringements, .severity == "minor") == 2) > 0`,
		reason: "steps", why: "4e8 steps ran 9 s",
	}, {
		name: "pattern from a 30 KB operator name", when: `name matches name`, profile: func(p *aeo.Profile) { p.Name = long },
		reason: "pattern longer than", why: "a regular expression built from a profile value ran 15 s",
	}, {
		name: "division of literals by zero", when: `1 / 0 > 5`, loadErr: "division by zero",
		why: "+Inf > 5 was met",
	}, {
		name: "power of literals", when: `10 ** 400 > 1`, loadErr: "overflows", why: "+Inf > 1 was met",
	}, {
		name: "division by zero at run time", when: `declarations_per_year / (years_trading - 5) > 1`,
		reason: "division by zero", why: "a profile value makes the divisor zero: +Inf must not pass",
	}, {
		name: "integer overflow", when: `declarations_per_year * declarations_per_year * declarations_per_year > 0`,
		profile: func(p *aeo.Profile) { n := 9_000_000; p.DeclarationsPerYear = &n },
		reason:  "overflows", why: "the product wraps to a negative number",
	}, {
		name: "sum past the largest float", when: `sum(financials, .net_assets) > 0`,
		profile: func(p *aeo.Profile) {
			p.Financials = append(p.Financials, aeo.FinancialYear{Year: 2023, NetAssets: math.MaxFloat64}, aeo.FinancialYear{Year: 2022, NetAssets: math.MaxFloat64})
		},
		reason: "overflows", why: "+Inf would be met",
	}, {
		name: "NaN parsed from a profile value", when: `float(name) > 0 || float(name) <= 0`,
		profile: func(p *aeo.Profile) { p.Name = "NaN" }, reason: "not a number",
		why: "NaN compares false both ways: the rule must not decide on it",
	}, {
		name: "deep nesting", when: strings.Repeat("(1 + ", 3000) + "1" + strings.Repeat(")", 3000) + " > 0",
		loadErr: "maximum allowed nodes", why: "refused at load: past the size bound of an expression (2,000 nodes)",
	}, {
		name: "huge range", when: `len(1..1000000000) > 0`, reason: "bytes of memory",
		why: "a range is built before it is used: 16 GB",
	}, {
		name: "string repeat", when: `len(repeat(name, 1000000)) > 0`, profile: func(p *aeo.Profile) { p.Name = long },
		reason: "bytes of memory", why: "30 GB, checked before it is built",
	}, {
		name: "replace that grows", when: `len(replace(name, "a", name)) > 0`, profile: func(p *aeo.Profile) { p.Name = long },
		reason: "bytes of memory", why: "900 MB from two 30 KB strings, checked before it is built",
	}, {
		name: "map growth", when: `len(map(1..300000, {{"a": #, "b": #, "c": #}})) > 0`, reason: "bytes of memory",
		why: "a map literal built again for each element",
	}, {
		name: "nested regular expression from the profile", when: `name matches ("(" + name + "+)+$")`,
		profile: func(p *aeo.Profile) { p.Name = strings.Repeat("ab", 200) }, reason: "pattern longer than",
		why: "a pattern built at run time is capped",
	}, {
		name: "catastrophic pattern from the programme", when: `name matches "^(a+)+$"`, profile: func(p *aeo.Profile) { p.Name = long + "!" },
		outcome: criteria.NotMet, why: "Go's regexp matches in linear time: a pattern from the programme decides",
	}, {
		name: "cancelled inside one rule", limits: "limits: {max_steps: 100000000000}", profile: many(20_000),
		when:    `count(compliance.infringements, count(compliance.infringements, .severity == "minor") == 2) > 0`,
		timeout: 50 * time.Millisecond, ctxErr: context.DeadlineExceeded,
		why: "with the steps budget raised past what the loop needs, the deadline stops the rule itself",
	}, {
		name: "programme lowers the steps budget", limits: "limits: {max_steps: 1000}", profile: many(5_000),
		when: `all(compliance.infringements, .severity == "minor")`, reason: "budget of 1000 steps",
		why: "the programme's limits override the default",
	}, {
		name: "programme lowers the memory budget", limits: "limits: {max_memory: 1000}",
		when: `len(map(1..1000, # * 2)) > 0`, reason: "budget of 1000 bytes",
		why: "the programme's limits override the default",
	}, {
		name: "negative limits", limits: "limits: {max_steps: -1}", when: `true`, loadErr: "max_steps must not be negative",
		why: "a limit cannot be negative",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, err := aeo.Parse("hostile.yaml", []byte(hostileProgramme(tt.when, tt.limits)))
			if tt.loadErr != "" {
				require.Error(t, err, tt.why)
				assert.Contains(t, err.Error(), tt.loadErr, tt.why)
				return
			}
			require.NoError(t, err, tt.why)
			ctx := t.Context()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			a, err := prog.Assess(ctx, hostileProfile(tt.profile), time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC))
			if tt.ctxErr != nil {
				require.True(t, errors.Is(err, tt.ctxErr), "Assess = %v; %s", err, tt.why)
				return
			}
			if tt.orCtx && errors.Is(err, context.DeadlineExceeded) {
				return
			}
			require.NoError(t, err, tt.why)
			f, ok := a.Finding("A.1")
			require.True(t, ok)
			if tt.reason == "" {
				assert.Equal(t, tt.outcome, f.Outcome, tt.why)
				return
			}
			assert.Equal(t, criteria.Indeterminate, f.Outcome, tt.why)
			assert.Contains(t, f.Reason, tt.reason, tt.why)
		})
	}
}
