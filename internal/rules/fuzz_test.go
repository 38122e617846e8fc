package rules

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The differential test: expressions generated over a fact model that has
// every shape the lowering covers (and some it does not) are run on the
// fast evaluator and on expr's VM, on generated environments, and must
// give the same value, or both fail.

type fzSub struct {
	V  float64 `expr:"v"`
	OK *bool   `expr:"ok"`
	W  string  `expr:"w"`
	L  []int   `expr:"l"`
}

type fzItem struct {
	N   int       `expr:"n"`
	X   float64   `expr:"x"`
	S   string    `expr:"s"`
	B   bool      `expr:"b"`
	D   time.Time `expr:"d"`
	P   *int      `expr:"p"`
	Sub *fzSub    `expr:"sub"`
}

type fzBase struct {
	Level int      `expr:"level"`
	Tags  []string `expr:"tags"`
	Score *float64 `expr:"score"`
}

type fzEnv struct {
	*fzBase
	I      int               `expr:"i"`
	J      int               `expr:"j"`
	F      float64           `expr:"f"`
	G      float64           `expr:"g"`
	S      string            `expr:"s"`
	T      string            `expr:"t"`
	B      bool              `expr:"b"`
	C      bool              `expr:"c"`
	D      time.Time         `expr:"d"`
	AsOf   time.Time         `expr:"as_of"`
	PI     *int              `expr:"pi"`
	PF     *float64          `expr:"pf"`
	PB     *bool             `expr:"pb"`
	PS     *string           `expr:"ps"`
	PD     *time.Time        `expr:"pd"`
	Items  []fzItem          `expr:"items"`
	Ptrs   []*fzItem         `expr:"ptrs"`
	Ints   []int             `expr:"ints"`
	Floats []float64         `expr:"floats"`
	Strs   []string          `expr:"strs"`
	Bools  []bool            `expr:"bools"`
	Sub    *fzSub            `expr:"sub"`
	Rec    fzSub             `expr:"rec"`
	M      map[string]string `expr:"m"`
	MI     map[string]int    `expr:"mi"`
	MP     map[string]*fzSub `expr:"mp"`
	U8     uint8             `expr:"u8"`
	Extra  map[string]any    `expr:"-"`
}

func (e *fzEnv) Fact(name string) (any, bool) {
	v, ok := e.Extra[name]
	return v, ok
}

func fzModel(t testing.TB) *Model {
	m, err := NewModel(&fzEnv{},
		WithFacts(map[string]FactType{"fi": FactInt, "ff": FactFloat, "fb": FactBool, "fs": FactString, "fd": FactDate}),
		WithMemoryBudget(1000),
		WithFuncs(
			Func{Name: "twice", Types: []any{new(func(int) int)}, Fn: func(args ...any) (any, error) {
				return args[0].(int) * 2, nil
			}},
			Func{Name: "shout", Types: []any{new(func(string) string)}, Fn: func(args ...any) (any, error) {
				return strings.ToUpper(args[0].(string)), nil
			}},
			// liar declares an int and returns a float for odd inputs.
			Func{Name: "liar", Types: []any{new(func(int) int)}, Fn: func(args ...any) (any, error) {
				if n := args[0].(int); n%2 != 0 {
					return float64(n), nil
				}
				return args[0], nil
			}},
			// grumpy fails on negative input and panics on 13.
			Func{Name: "grumpy", Types: []any{new(func(float64) bool)}, Fn: func(args ...any) (any, error) {
				x := args[0].(float64)
				if x == 13 {
					panic("thirteen")
				}
				if x < 0 {
					return nil, errors.New("negative")
				}
				return x > 1, nil
			}},
			Func{Name: "level_of", Env: true, Types: []any{new(func(any) int)}, Fn: func(args ...any) (any, error) {
				e := args[0].(*fzEnv)
				if e.fzBase == nil {
					return nil, errors.New("no base")
				}
				return e.Level, nil
			}},
		))
	require.NoError(t, err)
	return m
}

// bytes feeds the generators; past the end it gives zeros.
type bytes struct {
	b []byte
	i int
}

func (b *bytes) next() int {
	if b.i >= len(b.b) {
		return 0
	}
	b.i++
	return int(b.b[b.i-1])
}

func (b *bytes) pick(opts ...string) string { return opts[b.next()%len(opts)] }

// gen generates expressions of a type; depth bounds the size.
type gen struct {
	*bytes
	depth int
	item  string // the element type in a predicate: "item", "int", "float", "string", "bool", or ""
}

func (g *gen) sub(f func() string) string {
	if g.depth > 4 {
		return ""
	}
	g.depth++
	defer func() { g.depth-- }()
	return f()
}

func (g *gen) in(item string, f func() string) string {
	old := g.item
	g.item = item
	defer func() { g.item = old }()
	return f()
}

func (g *gen) boolean() string {
	leaf := func() string {
		opts := []string{"b", "c", "pb", "sub.ok", "true", "false", "facts.fb", "rec.ok", "mp['a'].ok"}
		if g.item == "item" {
			opts = append(opts, ".b", ".sub.ok", ".p == nil", ".sub == nil")
		}
		if g.item == "bool" {
			opts = append(opts, "#")
		}
		return g.pick(opts...)
	}
	if g.depth > 4 {
		return leaf()
	}
	switch g.next() % 25 {
	case 22:
		return g.sub(func() string {
			list := g.pick("items", "ptrs", "ints", "floats", "strs", "bools", "1..3", "['a', 'b']")
			return "len(filter(" + list + ", " + g.in(itemOf(list), g.boolean) + ")) " + g.pick(">", "==", "<=") + " " + g.pick("0", "1", "2")
		})
	case 23:
		return g.sub(func() string {
			return "let w = " + g.pick("items", "filter(items, .b)", "reverse(items)", "take(ptrs, 2)") + "; " +
				g.pick("all", "any", "none") + "(w, " + g.in("item", g.boolean) + ")"
		})
	case 24:
		return g.sub(func() string {
			return g.pick("first", "last") + "(" + g.pick("items", "filter(items, .n > 0)", "ptrs") + ")" + g.pick("?.b ?? false", ".b", " == nil")
		})
	case 0, 1:
		return leaf()
	case 2:
		return g.sub(func() string { return g.number() + " " + g.pick("<", ">", "<=", ">=", "==", "!=") + " " + g.number() })
	case 3:
		return g.sub(func() string { return g.str() + " " + g.pick("<", ">=", "==", "!=") + " " + g.str() })
	case 4:
		return g.sub(func() string {
			switch g.next() % 5 {
			case 0:
				return g.date() + "." + g.pick("Before", "After", "Equal") + "(" + g.date() + ")"
			case 1:
				return g.date() + " - " + g.date() + " " + g.pick("<", ">", "<=", ">=") + " " + g.pick("duration('72h')", "duration('-1h')", "("+g.date()+" - "+g.date()+")", g.date()+".Sub("+g.date()+")")
			}
			return g.date() + " " + g.pick("<", ">", "<=", ">=", "==", "!=") + " " + g.date()
		})
	case 5:
		return g.sub(func() string { return g.boolean() + " " + g.pick("&&", "||", "and", "or") + " " + g.boolean() })
	case 6:
		return g.sub(func() string { return g.pick("!", "not ") + "(" + g.boolean() + ")" })
	case 7:
		return g.sub(func() string {
			return g.str() + " " + g.pick("in", "not in") + " " + g.pick("strs", "tags", "['a', 'b']", "m", "['a', 1]")
		})
	case 8:
		return g.sub(func() string {
			return g.number() + " in " + g.pick("ints", "floats", "[1, 2, 3]", "[1.5, 2]", "[0, 1.0]", "1..3")
		})
	case 9:
		return g.sub(func() string {
			fn := g.pick("all", "any", "none", "one")
			list := g.pick("items", "ptrs", "ints", "floats", "strs", "bools")
			return fn + "(" + list + ", " + g.in(itemOf(list), g.boolean) + ")"
		})
	case 10:
		return g.sub(func() string {
			return g.pick("pi", "pf", "pb", "ps", "pd", "sub", "items", "m", "i", "s", "score") + " " + g.pick("==", "!=") + " nil"
		})
	case 11:
		return g.sub(func() string {
			return g.str() + " " + g.pick("contains", "startsWith", "endsWith", "matches") + " " + g.pick("'a'", "s", "ps", "'^a.*'")
		})
	case 12:
		return g.sub(func() string { return g.boolean() + " ? " + g.boolean() + " : " + g.boolean() })
	case 13:
		return g.sub(func() string { return "(" + g.boolean() + ") ?? " + g.boolean() })
	case 14:
		return g.sub(func() string { return "within(" + g.date() + ", '" + g.pick("3y", "90d", "1m", "2w") + "')" })
	case 15:
		return g.sub(func() string { return "grumpy(" + g.number() + ")" })
	case 16:
		return g.sub(func() string { return g.number() + " == " + g.pick("nil", "i", "f", "1", "0.5") })
	case 17:
		return g.sub(func() string { return "pb ?? " + g.boolean() })
	case 18:
		return g.sub(func() string { return g.str() + " in " + g.pick("mi", "m", "{'a': 1}") })
	case 19:
		return g.sub(func() string { return g.number() + " > 0 " + g.pick("&&", "||") + " pb" })
	case 20:
		return g.sub(func() string { return "let v = " + g.number() + "; v > 1" })
	}
	return g.sub(func() string {
		return "count(" + g.pick("items", "ptrs") + ", " + g.in("item", g.boolean) + ") " + g.pick(">", ">=", "<", "<=", "==") + " " + g.pick("0", "1", "2", "3")
	})
}

func itemOf(list string) string {
	switch list {
	case "items", "ptrs":
		return "item"
	case "ints":
		return "int"
	case "floats":
		return "float"
	case "strs":
		return "string"
	case "bools":
		return "bool"
	}
	return ""
}

func (g *gen) number() string {
	leaf := func() string {
		opts := []string{"i", "j", "f", "g", "pi", "pf", "level", "score", "0", "1", "2", "-3", "0.5", "1e300", "facts.fi", "facts.ff",
			"mi['a']", "mi['zz']", "sub.v", "rec.v", "u8", "mp['a'].v", "9223372036854775807"}
		switch g.item {
		case "item":
			opts = append(opts, ".n", ".x", ".p", ".sub.v", "#index")
		case "int", "float":
			opts = append(opts, "#", "#index")
		}
		return g.pick(opts...)
	}
	if g.depth > 4 {
		return leaf()
	}
	switch g.next() % 27 {
	case 26:
		return g.sub(func() string {
			if g.next()%3 == 0 {
				return "len(filter([" + g.str() + ", " + g.str() + "], # in [" + g.str() + ", 'a'] || # in {'b': true, 'zz': false}))"
			}
			return g.pick("max", "min", "sum") + "([" + g.number() + ", " + g.number() + "])"
		})
	case 25:
		return g.sub(func() string {
			if g.next()%5 == 0 {
				return "bitnot(" + g.number() + ")"
			}
			return g.pick("bitand", "bitor", "bitxor", "bitnand", "bitshl", "bitshr", "bitushr") + "(" + g.number() + ", " + g.number() + ")"
		})
	case 20:
		return g.sub(func() string { return "max(0, min(100, " + g.number() + "))" })
	case 21:
		return g.sub(func() string {
			return "(" + g.pick("pi", "pf", "score", "sum(floats)", "mi?.['a']", "mi?.[s]", "{'a': 1, 'abc': 2, 'a': 3}[s]", "{'é': 1.5}?.["+g.str()+"]") + " ?? " + g.pick("0", "1", "50") + ") " + g.pick("*", "+", "-") + " " + g.pick("2", "100", "f", "1")
		})
	case 22:
		return g.sub(func() string {
			return g.pick("reduce(ints, #acc + #, 0)", "reduce(items, #acc + .x, 0)", "sum(map(items, .x))", "mean(floats)", "median(ints)",
				"len(sub?.l ?? [])", "sum(sub?.l ?? [])", "count(items[0].sub?.l ?? [], # > i)", "len(rec.l ?? [])",
				"len(groupBy(items, .s))", "len(groupBy(floats, #))", "len(groupBy(ints, # % 3))", "len(groupBy(items, .x * 0))",
				"len(groupBy(bools, #))", "len(groupBy(strs, upper(#)))",
				"findIndex(ints, # > 0) ?? -1", "max(ints) ?? 0", "len(1..j)", "count(map(items, .n), # > 0)",
				"first(sortBy(items, .x)).n", "last(sortBy(items, .s, 'desc')).n")
		})
	case 23:
		return g.sub(func() string { return "let u = " + g.number() + "; u " + g.pick("+", "*", "-") + " " + g.number() })
	case 24:
		return g.sub(func() string {
			return g.pick("indexOf", "lastIndexOf") + "(" + g.str() + ", " + g.pick("'a'", "s", "''") + ")"
		})
	case 0, 1, 2:
		return leaf()
	case 3, 4:
		return g.sub(func() string {
			return "(" + g.number() + " " + g.pick("+", "-", "*", "/", "%", "**") + " " + g.number() + ")"
		})
	case 5:
		return g.sub(func() string { return "-" + g.number() })
	case 6:
		return g.sub(func() string { return "len(" + g.pick("strs", "items", "s", "ps", "m", "tags", "ptrs") + ")" })
	case 7:
		return g.sub(func() string {
			list := g.pick("items", "ptrs", "bools")
			if list == "bools" && g.next()%2 == 0 {
				return "count(bools)"
			}
			return "count(" + list + ", " + g.in(itemOf(list), g.boolean) + ")"
		})
	case 8:
		return g.sub(func() string {
			list := g.pick("items", "ptrs", "ints", "floats")
			if list == "ints" || list == "floats" {
				if g.next()%2 == 0 {
					return "sum(" + list + ")"
				}
			}
			return "sum(" + list + ", " + g.in(itemOf(list), g.number) + ")"
		})
	case 9:
		return g.sub(func() string { return g.pick("abs", "floor", "ceil", "round", "int", "float") + "(" + g.number() + ")" })
	case 10:
		return g.sub(func() string { return g.pick("max", "min") + "(" + g.number() + ", " + g.number() + ")" })
	case 11:
		return g.sub(func() string { return g.boolean() + " ? " + g.number() + " : " + g.number() })
	case 12:
		return g.sub(func() string { return g.pick("pi", "pf", "score") + " ?? " + g.number() })
	case 13:
		return g.sub(func() string {
			switch g.next() % 3 {
			case 0:
				if g.next()%3 == 0 {
					return "int(" + g.date() + "." + g.pick("Month", "Weekday") + "())"
				}
				return g.date() + "." + g.pick("Year", "YearDay", "Day", "Hour") + "()"
			case 1:
				return "(" + g.date() + " - " + g.date() + ")." + g.pick("Hours", "Minutes", "Seconds") + "()"
			}
			return g.pick("years_since", "days_since") + "(" + g.date() + ")"
		})
	case 14:
		return g.sub(func() string { return g.pick("twice", "liar") + "(" + g.number() + ")" })
	case 15:
		return g.sub(func() string {
			return g.pick("ints", "floats", "items") + "[" + g.number() + "]" + g.pick("", "", ".n")
		})
	case 16:
		return g.sub(func() string { return "level_of()" })
	case 17:
		return g.sub(func() string {
			return "sum(" + g.pick("ints", "floats") + ") " + g.pick("+", "-", "*", "/") + " " + g.number()
		})
	case 18:
		return g.sub(func() string { return "+" + g.number() })
	}
	return g.sub(func() string { return "days_between(" + g.date() + ", " + g.date() + ")" })
}

func (g *gen) str() string {
	leaf := func() string {
		opts := []string{"s", "t", "ps", "'a'", "''", "'é'", "facts.fs", "m['a']", "m['zz']", "sub.w", "mp['zz'].w", "strs[0]"}
		switch g.item {
		case "item":
			opts = append(opts, ".s")
		case "string":
			opts = append(opts, "#")
		}
		return g.pick(opts...)
	}
	if g.depth > 4 {
		return leaf()
	}
	switch g.next() % 10 {
	case 6:
		return g.sub(func() string { return g.pick("upper", "lower", "trim", "string") + "(" + g.str() + ")" })
	case 7:
		return g.sub(func() string {
			return g.pick("join(strs, ", "split(s, 'b')[0] + (", "replace(s, 'a', ", "trimPrefix(s, ") + g.str() + ")"
		})
	case 8:
		return g.sub(func() string {
			return g.pick("first(strs) ?? ''", "last(split(s, ''))", "get(m, 'a') ?? 'x'", "sub?.w ?? ''", "m?.[s] ?? 'x'", "m?.['a'] ?? t")
		})
	case 9:
		return g.sub(func() string { return "(" + g.str() + ")[" + g.pick("i:", ":j", "-1:", "1:2", "j:i", ":") + "]" })
	case 0, 1, 2:
		return leaf()
	case 3:
		return g.sub(func() string { return g.str() + " + " + g.str() })
	case 4:
		return g.sub(func() string { return g.boolean() + " ? " + g.str() + " : " + g.str() })
	}
	return g.sub(func() string { return "shout(" + g.str() + ")" })
}

func (g *gen) date() string {
	opts := []string{"d", "as_of", "pd", "facts.fd"}
	switch g.item {
	case "item":
		opts = append(opts, ".d")
	}
	d := g.pick(opts...)
	if g.depth < 4 && g.next()%4 == 0 {
		g.depth++
		d += ".AddDate(" + g.number() + ", " + g.pick("0", "1", "-13", "i") + ", " + g.pick("0", "-1", "400", "j") + ")"
		g.depth--
	}
	return d
}

func (g *gen) expr() string {
	switch g.next() % 4 {
	case 0:
		return g.number()
	case 1:
		return g.str()
	}
	return g.boolean()
}

// fzEnvs generates environments: some fields nil, some lists empty or
// holding nil pointers, edge values for numbers.
func fzEnvs(b *bytes) []*fzEnv {
	day := func(n int) time.Time { return time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n*37) }
	nums := []float64{0, 1, -1, 2.5, 13, math.Copysign(0, -1), 1e300, math.Inf(1), math.NaN(), 3}
	ints := []int{0, 1, -1, 2, 3, 7, -9, 13, math.MaxInt, math.MinInt}
	strs := []string{"", "a", "b", "abc", "é", "zz", "A"}
	var out []*fzEnv
	for k := 0; k < 4; k++ {
		pick := func() int { return b.next() }
		i := func() int { return ints[pick()%len(ints)] }
		f := func() float64 { return nums[pick()%len(nums)] }
		s := func() string { return strs[pick()%len(strs)] }
		maybe := func() bool { return pick()%3 != 0 }
		e := &fzEnv{I: i(), J: i(), F: f(), G: f(), S: s(), T: s(), B: maybe(), C: maybe(), U8: uint8(pick())}
		if maybe() {
			e.D = day(pick() % 50)
		}
		e.AsOf = day(40 + pick()%10)
		if maybe() {
			e.fzBase = &fzBase{Level: i(), Tags: []string{s(), s()}}
			if maybe() {
				x := f()
				e.Score = &x
			}
		}
		if maybe() {
			x := i()
			e.PI = &x
		}
		if maybe() {
			x := f()
			e.PF = &x
		}
		if maybe() {
			x := maybe()
			e.PB = &x
		}
		if maybe() {
			x := s()
			e.PS = &x
		}
		if maybe() {
			x := day(pick() % 50)
			e.PD = &x
		}
		for n := pick() % 4; n > 0; n-- {
			it := fzItem{N: i(), X: f(), S: s(), B: maybe()}
			if maybe() {
				it.D = day(pick() % 50)
			}
			if maybe() {
				x := i()
				it.P = &x
			}
			if maybe() {
				ok := maybe()
				it.Sub = &fzSub{V: f(), OK: &ok, W: s()}
			}
			e.Items = append(e.Items, it)
			if maybe() {
				e.Ptrs = append(e.Ptrs, &it)
			} else {
				e.Ptrs = append(e.Ptrs, nil)
			}
			e.Ints = append(e.Ints, i())
			e.Floats = append(e.Floats, f())
			e.Strs = append(e.Strs, s())
			e.Bools = append(e.Bools, maybe())
		}
		if maybe() {
			ok := maybe()
			e.Sub = &fzSub{V: f(), OK: &ok, W: s()}
			if maybe() {
				e.Sub.L = []int{i(), i()}
			}
		}
		e.Rec = fzSub{V: f(), W: s()}
		if maybe() {
			e.M = map[string]string{"a": s(), s(): "x"}
			e.MI = map[string]int{"a": i()}
			e.MP = map[string]*fzSub{"a": {V: f(), W: s()}}
			if maybe() {
				e.MP["zz"] = nil
			}
		}
		if maybe() {
			e.Extra = map[string]any{"fi": []any{3, 2.0, 2.5, "x", nil, int64(9)}[pick()%6], "ff": []any{1.5, 2, "x", nil}[pick()%4],
				"fb": []any{true, false, "x"}[pick()%3], "fs": []any{"a", 1}[pick()%2], "fd": []any{"2024-01-02", day(3), "junk"}[pick()%3]}
		}
		out = append(out, e)
	}
	return out
}

// fastEval runs fn directly, reporting its error; a panic is errDefer.
func fastEval[T any](r *Runner, fp *fastProg, fn eval[T], env any) (v T, err error) {
	if !r.fr.start(fp, env) {
		return v, errDefer
	}
	r.fr.bud.reset()
	if fp.slots != nil {
		r.fr.prepare(fp.slots)
	}
	defer func() {
		if recover() != nil {
			err = errDefer
		}
		r.fr.finish()
	}()
	return fn(&r.fr)
}

func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

func sameAny(a, b any) bool {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if okA && okB {
		return sameFloat(fa, fb)
	}
	// Printing compares values holding NaN, which DeepEqual does not.
	return reflect.TypeOf(a) == reflect.TypeOf(b) && (reflect.DeepEqual(a, b) || fmt.Sprintf("%#v", a) == fmt.Sprintf("%#v", b))
}

// checkSame runs p on env on both evaluators and reports any difference.
// It returns whether the fast path produced a value.
func checkSame(t *testing.T, m *Model, p *Program, env *fzEnv) bool {
	t.Helper()
	r := m.Runner()
	defer r.Release()
	fp := &p.fast
	fast := false
	mismatch := func(what string, fv, vv any, ferr, verr error) {
		t.Fatalf("%s of %q on %s: fast gives %v, %v; VM gives %v, %v", what, p.src, describeEnv(env), fv, ferr, vv, verr)
	}
	if fp.b != nil {
		fv, ferr := fastEval(r, fp, fp.b, env)
		vv, verr := r.vmBool(p, env)
		switch {
		case ferr == errDefer:
		case ferr == nil && (verr != nil || fv != vv), ferr != nil && verr == nil:
			mismatch("Bool", fv, vv, ferr, verr)
		}
		fast = fast || ferr == nil
		// What callers see, fallbacks included, is exactly the VM's.
		gv, gerr := r.Bool(p, env)
		if gv != vv || fmt.Sprint(gerr) != fmt.Sprint(verr) {
			mismatch("Runner.Bool", gv, vv, gerr, verr)
		}
	}
	if fp.n != nil {
		fv, ferr := fastEval(r, fp, fp.n, env)
		vv, verr := r.vmNumber(p, env)
		switch {
		case ferr == errDefer:
		case ferr == nil && (verr != nil || !sameFloat(fv, vv)), ferr != nil && verr == nil:
			mismatch("Number", fv, vv, ferr, verr)
		}
		fast = fast || ferr == nil
		gv, gerr := r.Number(p, env)
		if !sameFloat(gv, vv) || fmt.Sprint(gerr) != fmt.Sprint(verr) {
			mismatch("Runner.Number", gv, vv, gerr, verr)
		}
	}
	if fp.a != nil {
		fv, ferr := fastEval(r, fp, fp.a, env)
		vv, verr := r.runVM(p.prog, p.vars, env)
		switch {
		case ferr == errDefer:
		case ferr == nil && (verr != nil || !sameAny(fv, vv)), ferr != nil && verr == nil:
			mismatch("Run", fv, vv, ferr, verr)
		}
		fast = fast || ferr == nil
		gv, gerr := r.Run(p, env)
		if !sameAny(gv, vv) || fmt.Sprint(gerr) != fmt.Sprint(verr) {
			mismatch("Runner.Run", gv, vv, gerr, verr)
		}
	}
	// Failed and Decide run parts of the program, lowered with it.
	vr := m.Runner()
	defer vr.Release()
	vr.fr.vmOnly = true
	defer func() { vr.fr.vmOnly = false }()
	if p.kind == Bool {
		if got, want := r.Failed(p, env), vr.Failed(p, env); !reflect.DeepEqual(got, want) && !sameComparisons(got, want) {
			t.Fatalf("Failed of %q on %s: fast gives %v, VM gives %v", p.src, describeEnv(env), got, want)
		}
		gv, gk := r.Decide(p, env)
		wv, wk := vr.Decide(p, env)
		if gv != wv || gk != wk {
			t.Fatalf("Decide of %q on %s: fast gives %v, %v, VM gives %v, %v", p.src, describeEnv(env), gv, gk, wv, wk)
		}
	}
	return fast
}

func sameComparisons(a, b []Comparison) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Subject != y.Subject || x.Op != y.Op || x.Threshold != y.Threshold || !sameAny(x.Actual, y.Actual) {
			return false
		}
	}
	return true
}

func describeEnv(e *fzEnv) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%+v", *e)
	if e.fzBase != nil {
		fmt.Fprintf(&b, " base=%+v", *e.fzBase)
	}
	for _, p := range []any{e.PI, e.PF, e.PB, e.PS, e.Sub} {
		if !reflect.ValueOf(p).IsNil() {
			fmt.Fprintf(&b, " %v", reflect.ValueOf(p).Elem())
		}
	}
	return b.String()
}

var fzSeeds = []string{
	"i + j > 2 && pb",
	"all(items, .n > 0 && .sub.v > 1)",
	"any(ptrs, .b) || none(ints, # > 3)",
	"sum(floats) / 2 >= f",
	"count(items, .p != nil) >= 2",
	"'a' in strs && s in ['a', 'b']",
	"pi ?? 3",
	"within(d, '3y') && years_since(pd) > 1",
	"facts.ff * 2 > facts.fi",
	"level > 2 || score == nil",
	"mp['a'].ok ?? false",
	"max(i, j, 3) % 2 == 1",
	"liar(i) + 1",
	"grumpy(f)",
	"level_of() > 0",
	"len(s) + len(strs) + len(m)",
	"ints[i % 3] > 0",
	"-sum(floats)",
	"sum(floats) + 1",
	"s contains 'a' || ps startsWith 'a'",
	"i / j > 0.5",
	"f ** 2 < 10",
	"round(f) == ceil(g)",
	"items[-1].sub.v > 0",
	"pf > 1 ? pi : j",
	"rec.v + sub.v",
	"mi['zz'] == 0 && m['zz'] == ''",
	"shout(t) == 'A'",
	"u8 > 1",
	"i in [1, 2.0, 3]",
	"f in [1, 2.0, 3]",
	"true && pb",
	"(true && pb) == nil",
	"(pb || false) != nil",
}

func FuzzFastVsVM(f *testing.F) {
	for i, s := range fzSeeds {
		f.Add([]byte{byte(i)}, s)
	}
	m := fzModel(f)
	f.Fuzz(func(t *testing.T, data []byte, src string) {
		b := &bytes{b: data}
		// Half the inputs come from the generator, driven by the
		// fuzzer's bytes: mutated source text is mostly not valid.
		if src == "" || len(src) > 300 || len(data) > 1 && data[1]%2 == 0 {
			src = (&gen{bytes: b}).expr()
		}
		kind := Any
		if len(data) > 0 && data[0]%2 == 0 {
			kind = Bool // Bool programs also carry Failed and Decide
		}
		p, err := m.Compile(src, kind)
		if err != nil {
			return
		}
		for _, env := range fzEnvs(b) {
			checkSame(t, m, p, env)
		}
	})
}

// TestFastVsVM runs the differential check on generated expressions
// without the fuzzing engine, so that it runs with go test, and checks
// that most of them are lowered.
func TestFastVsVM(t *testing.T) {
	m := fzModel(t)
	lowered, compiled, fast := 0, 0, 0
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for seed := 0; seed < n; seed++ {
		data := make([]byte, 64)
		x := uint32(seed)*2654435761 + 1
		for i := range data {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			data[i] = byte(x)
		}
		b := &bytes{b: data}
		src := (&gen{bytes: b}).expr()
		if seed < len(fzSeeds) {
			src = fzSeeds[seed]
		}
		kind := Any
		if seed%2 == 0 {
			kind = Bool
		}
		p, err := m.Compile(src, kind)
		if err != nil {
			continue
		}
		compiled++
		if p.why == "" {
			lowered++
		}
		for _, env := range fzEnvs(b) {
			if checkSame(t, m, p, env) {
				fast++
			}
		}
	}
	t.Logf("%d expressions compiled, %d lowered, %d fast evaluations", compiled, lowered, fast)
	if lowered*10 < compiled*6 {
		t.Errorf("only %d of %d generated expressions are lowered", lowered, compiled)
	}
}
