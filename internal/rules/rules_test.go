package rules

import (
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type infringement struct {
	Date     time.Time `expr:"date"`
	Severity string    `expr:"severity"`
}

type security struct {
	Seals *bool `expr:"seals"`
}

type profile struct {
	YearsTrading   *int              `expr:"years_trading"`
	Infringements  []infringement    `expr:"infringements"`
	Security       *security         `expr:"security"`
	Roles          []string          `expr:"roles"`
	SelfAssessment map[string]string `expr:"self_assessment"`
}

type testEnv struct {
	*profile
	AsOf  time.Time      `expr:"as_of"`
	Extra map[string]any `expr:"-"`
}

func (e *testEnv) Fact(name string) (any, bool) {
	v, ok := e.Extra[name]
	return v, ok
}

func ptr[T any](v T) *T { return &v }

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func newModel(t testing.TB) *Model {
	m, err := NewModel(&testEnv{}, WithFacts(map[string]FactType{"score": FactFloat, "grade": FactString}))
	require.NoError(t, err)
	return m
}

func fullEnv() *testEnv {
	return &testEnv{
		profile: &profile{
			YearsTrading:   ptr(5),
			Infringements:  []infringement{{Date: day("2022-03-01"), Severity: "minor"}, {Date: day("2019-01-01"), Severity: "serious"}},
			Security:       &security{Seals: ptr(true)},
			Roles:          []string{"importer"},
			SelfAssessment: map[string]string{"G.3": "yes"},
		},
		AsOf:  day("2024-06-30"),
		Extra: map[string]any{"score": 85.0},
	}
}

func TestCompileErrors(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		name, src string
		kind      Kind
		want      Error
		reason    string
	}{
		{name: "type mismatch", src: "years_trading >= 'x'", kind: Bool, want: Error{Line: 1, Column: 15, Message: "cannot apply >= to a number and a string"},
			reason: "type errors are found at load time, with the column of the operator"},
		{name: "unknown name", src: "yeras_trading > 3", kind: Bool, want: Error{Line: 1, Column: 1, Message: "unknown name yeras_trading; did you mean years_trading?"},
			reason: "a misspelt fact is a load error, never a silent nil"},
		{name: "undeclared extra fact", src: "years_trading > 1 &&\nfacts.scor > 3", kind: Bool, want: Error{Line: 2, Column: 1, Message: `unknown fact "scor": did you mean facts.score? Otherwise declare it under facts with its type`},
			reason: "extra facts must be declared, and the position is on the second line"},
		{name: "extra fact typed", src: "facts.score == 'high'", kind: Bool, want: Error{Line: 1, Column: 13, Message: "cannot apply == to a number and a string"},
			reason: "declared extra facts are type-checked with their declared type"},
		{name: "not a condition", src: "years_trading + 1", kind: Bool, want: Error{Line: 1, Column: 1, Message: "expression must be a condition (true or false), but it is a number"},
			reason: "a rule must be a condition"},
		{name: "not a number", src: "roles", kind: Number, want: Error{Line: 1, Column: 1, Message: "expression must be a number, but it is a list"},
			reason: "a score must be a number"},
		{name: "bad period", src: "within(as_of, '3q')", kind: Bool, want: Error{Line: 1, Column: 15, Message: `period "3q": unknown unit "q"; use y, m, w, d or wd`},
			reason: "periods are checked at load time"},
		{name: "bad date literal", src: "as_of > date('2024-13-45')", kind: Bool, want: Error{Line: 1, Column: 9, Message: `date("2024-13-45") is not a valid date: invalid date 2024-13-45`},
			reason: "a date written out is checked at load time, not found wrong on every evaluation"},
		{name: "bad duration literal", src: "as_of - as_of < duration('72hours')", kind: Bool, want: Error{Line: 1, Column: 17, Message: `duration("72hours") is not a valid duration: time: unknown unit "hours" in duration "72hours"; write it in hours, minutes or seconds ("72h", "90m"), and count days and years with days_between or within`},
			reason: "so is a duration"},
		{name: "now disabled", src: "now() > as_of", kind: Bool, want: Error{Line: 1, Column: 1, Message: `unknown name now: rules never read the clock; use as_of, the date of the assessment (years_since(d), days_since(d) and within(d, "3y") count from it)`},
			reason: "rules never read the wall clock"},
		{name: "empty", src: "  ", kind: Bool, want: Error{Line: 1, Column: 1, Message: "empty expression"},
			reason: "an empty rule is an error, not true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := m.Compile(tt.src, tt.kind)
			require.Error(t, err, tt.reason)
			var e *Error
			require.ErrorAs(t, err, &e)
			if diff := cmp.Diff(tt.want, *e); diff != "" {
				t.Errorf("Compile(%q) mismatch (-want +got):\n%s\n%s", tt.src, diff, tt.reason)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	m := newModel(t)
	tests := []struct {
		name        string
		src         string
		env         func() *testEnv
		want        bool
		wantMissing []string
		wantFacts   []string
		reason      string
	}{
		{name: "pointer int", src: "years_trading >= 3", env: fullEnv, want: true, wantFacts: []string{"years_trading"},
			reason: "optional numbers are pointers and compare as numbers"},
		{name: "pointer bool root", src: "security.seals", env: fullEnv, want: true, wantFacts: []string{"security.seals"},
			reason: "an optional boolean can be the whole rule"},
		{name: "within window", src: "none(infringements, .severity == 'serious' && within(.date, '3y'))", env: fullEnv, want: true,
			wantFacts: []string{"infringements", "as_of"},
			reason:    "the serious infringement of 2019 is outside the 3 years before 2024-06-30"},
		{name: "years since", src: "all(infringements, years_since(.date) >= 2)", env: fullEnv, want: true,
			wantFacts: []string{"infringements", "as_of"}, reason: "2022-03-01 is 2 whole years before 2024-06-30"},
		{name: "extra fact", src: "facts.score >= 80", env: fullEnv, want: true, wantFacts: []string{"facts.score"},
			reason: "declared extra facts are read from the FactSource"},
		{name: "map key", src: "self_assessment['G.3'] == 'yes'", env: fullEnv, want: true, wantFacts: []string{`self_assessment["G.3"]`},
			reason: "a self-assessment answer is a fact of its own"},
		{name: "missing map key", src: "self_assessment['G.4'] == 'yes'", env: fullEnv, wantMissing: []string{`self_assessment["G.4"]`},
			wantFacts: []string{`self_assessment["G.4"]`}, reason: "an unanswered question is missing, not 'no'"},
		{name: "missing pointer", src: "years_trading >= 3", env: func() *testEnv { e := fullEnv(); e.YearsTrading = nil; return e },
			wantMissing: []string{"years_trading"}, wantFacts: []string{"years_trading"}, reason: "nil means not supplied"},
		{name: "missing nested", src: "security.seals && years_trading > 1", env: func() *testEnv { e := fullEnv(); e.Security = nil; return e },
			wantMissing: []string{"security.seals"}, wantFacts: []string{"security.seals", "years_trading"}, reason: "a nil parent makes its fields missing"},
		{name: "missing extra", src: "facts.score >= 80", env: func() *testEnv { e := fullEnv(); e.Extra = nil; return e },
			wantMissing: []string{"facts.score"}, wantFacts: []string{"facts.score"}, reason: "an absent extra fact is missing"},
		{name: "missing embedded", src: "'importer' in roles", env: func() *testEnv { return &testEnv{AsOf: day("2024-01-01")} },
			wantMissing: []string{"roles"}, wantFacts: []string{"roles"}, reason: "a nil embedded profile makes all its facts missing"},
		{name: "let variable", src: "let y = years_trading; y > 3", env: fullEnv, want: true, wantFacts: []string{"years_trading"},
			reason: "let variables are not facts"},
		{name: "contains_any", src: "contains_any(roles, ['exporter', 'importer'])", env: fullEnv, want: true, wantFacts: []string{"roles"},
			reason: "collection helper"},
		{name: "contains_all", src: "contains_all(roles, ['exporter', 'importer'])", env: fullEnv, want: false, wantFacts: []string{"roles"},
			reason: "collection helper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Compile(tt.src, Bool)
			require.NoError(t, err, tt.reason)
			env := tt.env()
			assert.Equal(t, tt.wantFacts, p.Facts(), tt.reason)
			missing := p.Missing(env, nil)
			assert.Equal(t, tt.wantMissing, missing, tt.reason)
			if len(missing) > 0 {
				return
			}
			r := m.Runner()
			defer r.Release()
			got, err := r.Bool(p, env)
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestFailedComparisons(t *testing.T) {
	m := newModel(t)
	p, err := m.Compile("years_trading >= 7 && facts.score >= 80 && 'exporter' in roles", Bool)
	require.NoError(t, err)
	r := m.Runner()
	defer r.Release()
	got := r.Failed(p, fullEnv())
	want := []Comparison{{Subject: "years_trading", Op: ">=", Threshold: "7", Actual: 5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Failed mismatch (-want +got):\n%s", diff)
	}
}

func TestAppendFailed(t *testing.T) {
	m := newModel(t)
	p, err := m.Compile("years_trading >= 7 && facts.score >= 80", Bool)
	require.NoError(t, err)
	r := m.Runner()
	defer r.Release()
	prior := Comparison{Subject: "kept", Op: "==", Threshold: "1", Actual: 2}
	dst := make([]Comparison, 1, 8)
	dst[0] = prior
	got := r.AppendFailed(dst, p, fullEnv())
	want := []Comparison{prior, {Subject: "years_trading", Op: ">=", Threshold: "7", Actual: 5}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AppendFailed mismatch (-want +got):\n%s", diff)
	}
	assert.Same(t, &dst[0], &got[0], "what fits in dst's array is appended there, not to a new one")
	passing := fullEnv()
	passing.YearsTrading = ptr(9)
	assert.Equal(t, dst, r.AppendFailed(dst, p, passing), "a condition whose comparisons all hold appends nothing")
}

func TestRunErrorIsNotAPass(t *testing.T) {
	m := newModel(t)
	p, err := m.Compile("infringements[5].severity == 'minor'", Bool)
	require.NoError(t, err)
	r := m.Runner()
	defer r.Release()
	_, err = r.Bool(p, fullEnv())
	require.Error(t, err, "an index out of range is an error the caller reports as indeterminate")
}

func TestMemoryBudget(t *testing.T) {
	m, err := NewModel(&testEnv{}, WithMemoryBudget(1000))
	require.NoError(t, err)
	p, err := m.Compile("len(map(1..100000, # * 2)) > 0", Bool)
	require.NoError(t, err)
	r := m.Runner()
	defer r.Release()
	_, err = r.Bool(p, fullEnv())
	require.Error(t, err, "an expression that allocates past the budget stops with an error")
}

func TestMaxNodes(t *testing.T) {
	m, err := NewModel(&testEnv{}, WithMaxNodes(10))
	require.NoError(t, err)
	_, err = m.Compile("1+1+1+1+1+1+1+1+1+1+1+1+1 > 0", Bool)
	require.Error(t, err, "an expression past the node budget is refused at load")
}

func TestConcurrentRuns(t *testing.T) {
	m := newModel(t)
	p, err := m.Compile("none(infringements, .severity == 'serious' && within(.date, '3y')) && facts.score >= 80", Bool)
	require.NoError(t, err)
	env := fullEnv()
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				r := m.Runner()
				ok, err := r.Bool(p, env)
				r.Release()
				if err != nil || !ok {
					t.Errorf("Bool = %v, %v; want true, nil", ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"years_trading >= 3",
		"none(infringements, .severity == 'serious' && within(.date, '3y'))",
		"facts.score >= 80 && 'importer' in roles",
		"self_assessment['G.3'] == 'yes'",
		"security.seals",
		"let y = years_trading; y > 3",
		"years_since(infringements[0].date) > 1",
	} {
		f.Add(s)
	}
	m := newModel(f)
	env := fullEnv()
	f.Fuzz(func(t *testing.T, src string) {
		p, err := m.Compile(src, Bool)
		if err != nil {
			var e *Error
			if !assert.ErrorAs(t, err, &e) {
				t.Fatalf("Compile(%q) error %T, want *Error", src, err)
			}
			return
		}
		_ = p.Missing(env, nil)
		r := m.Runner()
		defer r.Release()
		_, _ = r.Bool(p, env)
		_ = r.Failed(p, env)
		_ = p.Missing(&testEnv{}, nil)
	})
}

func TestDecideThreeValued(t *testing.T) {
	m := newModel(t)
	noYears := func() *testEnv { e := fullEnv(); e.YearsTrading = nil; return e }
	tests := []struct {
		name      string
		src       string
		env       func() *testEnv
		want      bool
		wantKnown bool
		reason    string
	}{
		{name: "or decided by the present branch", src: "facts.score >= 80 || years_trading >= 3", env: noYears, want: true, wantKnown: true,
			reason: "a true branch decides an or, whatever the other's facts"},
		{name: "or undecided", src: "facts.score >= 90 || years_trading >= 3", env: noYears, wantKnown: false,
			reason: "a false branch leaves the or to the missing one"},
		{name: "and decided false", src: "facts.score >= 90 && years_trading >= 3", env: noYears, want: false, wantKnown: true,
			reason: "a false branch decides an and"},
		{name: "and undecided", src: "facts.score >= 80 && years_trading >= 3", env: noYears, wantKnown: false,
			reason: "a true branch leaves the and to the missing one"},
		{name: "not of undecided", src: "!(years_trading >= 3)", env: noYears, wantKnown: false, reason: "not keeps unknown unknown"},
		{name: "nested", src: "(years_trading > 1 && facts.score > 1) || 'importer' in roles", env: noYears, want: true, wantKnown: true,
			reason: "the right branch decides"},
		{name: "all present", src: "years_trading >= 3 && facts.score >= 80", env: fullEnv, want: true, wantKnown: true,
			reason: "with every fact present Decide is Bool"},
		{name: "leaf not a combination", src: "years_trading >= 3", env: noYears, wantKnown: false, reason: "a plain condition on a missing fact is unknown"},
		{name: "let: or decided by the present branch", src: "let s = facts.score; s >= 80 || years_trading >= 3", env: noYears, want: true, wantKnown: true,
			reason: "a let at the top does not hide the or: its true branch decides"},
		{name: "let: or undecided", src: "let s = facts.score; s >= 90 || years_trading >= 3", env: noYears, wantKnown: false,
			reason: "the let's branch false leaves the or to the missing fact"},
		{name: "let read by the missing branch", src: "let y = years_trading; facts.score >= 80 || y >= 3", env: noYears, want: true, wantKnown: true,
			reason: "a let whose value is missing only matters to the branches that read it"},
		{name: "let read by both branches", src: "let y = years_trading; y >= 90 || y >= 3 && facts.score >= 80", env: noYears, wantKnown: false,
			reason: "every branch reads the missing let: nothing decides"},
		{name: "lets that read lets", src: "let s = facts.score; let t = s * 2; t >= 160 && years_trading >= 3", env: fullEnv, want: true, wantKnown: true,
			reason: "a leaf carries the lets its lets read, in order"},
		{name: "let read in a predicate", src: "let r = 'importer'; any(roles, # == r) || years_trading >= 3", env: noYears, want: true, wantKnown: true,
			reason: "a let read inside a predicate goes with the leaf that holds the predicate"},
		{name: "let of a constant", src: "let least = 3; facts.score >= 80 && years_trading >= least", env: noYears, wantKnown: false,
			reason: "the branch reading the let of a constant still reads a missing fact"},
		{name: "let and with a false branch", src: "let s = facts.score; s < 10 && years_trading >= 3", env: noYears, want: false, wantKnown: true,
			reason: "a false branch decides an and, under a let too"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Compile(tt.src, Bool)
			require.NoError(t, err)
			r := m.Runner()
			defer r.Release()
			got, known := r.Decide(p, tt.env())
			assert.Equal(t, tt.wantKnown, known, tt.reason)
			if known {
				assert.Equal(t, tt.want, got, tt.reason)
			}
		})
	}
}
