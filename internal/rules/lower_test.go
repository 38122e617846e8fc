package rules

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fzEnvFull() *fzEnv {
	d := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	pi, pf, pb, ps := 4, 2.5, true, "abc"
	ok := true
	return &fzEnv{
		fzBase: &fzBase{Level: 3, Tags: []string{"a", "b"}},
		I:      7, J: 2, F: 1.5, G: -2, S: "abc", T: "", B: true, D: d,
		AsOf: time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC),
		PI:   &pi, PF: &pf, PB: &pb, PS: &ps,
		Items: []fzItem{
			{N: 1, X: 1.5, S: "a", B: true, D: d, P: &pi, Sub: &fzSub{V: 2, OK: &ok}},
			{N: -2, X: 0.5, S: "b", D: d.AddDate(-5, 0, 0)},
		},
		Ptrs:   []*fzItem{{N: 1, B: true}, nil},
		Ints:   []int{3, 1, 2},
		Floats: []float64{0.5, 1.5},
		Strs:   []string{"x", "y"},
		Bools:  []bool{true, false, true},
		Sub:    &fzSub{V: 1, OK: &ok, W: "w"},
		Rec:    fzSub{V: 9},
		M:      map[string]string{"a": "A"},
		MI:     map[string]int{"a": 5},
		MP:     map[string]*fzSub{"a": {V: 3}, "nil": nil},
		U8:     7,
		Extra:  map[string]any{"fi": 3.0, "ff": 2, "fb": true, "fs": "s", "fd": "2024-01-02"},
	}
}

// TestLowering checks each node kind the lowering covers: the program is
// lowered, gives the value expected, and agrees with the VM (checkSame,
// which also compares Failed and Decide).
func TestLowering(t *testing.T) {
	m := fzModel(t)
	tests := []struct {
		name    string
		src     string
		env     func(*fzEnv)
		want    any // nil: only agreement with the VM is checked
		wantErr bool
		reason  string
	}{
		// Literals and fields.
		{name: "int literal", src: "7", want: 7, reason: "ints are Go ints"},
		{name: "float literal", src: "1.5", want: 1.5, reason: "floats are float64"},
		{name: "field", src: "i", want: 7, reason: "a field read at its offset"},
		{name: "embedded pointer field", src: "level", want: 3, reason: "fields of an embedded *struct are promoted"},
		{name: "nil embedded pointer", src: "level", env: func(e *fzEnv) { e.fzBase = nil }, wantErr: true,
			reason: "expr fails on a nil embedded struct, as reflect's FieldByIndex does"},
		{name: "pointer field", src: "pi + 1", want: 5, reason: "a pointer is dereferenced where used"},
		{name: "nil pointer in arithmetic", src: "pi + 1", env: func(e *fzEnv) { e.PI = nil }, wantErr: true,
			reason: "nil + 1 fails in expr"},
		{name: "nested pointer", src: "sub.v * 2", want: 2.0, reason: "member chains read through pointers"},
		{name: "nil nested pointer", src: "sub.v > 0", env: func(e *fzEnv) { e.Sub = nil }, wantErr: true,
			reason: "a field of a nil record fails"},
		{name: "struct value field", src: "rec.v", want: 9.0, reason: "a struct-valued field is read in place"},
		{name: "map key", src: "m['a'] + m['zz']", want: "A", reason: "an absent key gives the zero value"},
		{name: "map of records", src: "mp['a'].v", want: 3.0, reason: "a pointer from a map is followed"},
		{name: "nil record in map", src: "mp['nil'].v", wantErr: true, reason: "a nil record from a map fails"},
		{name: "list index", src: "ints[0] + ints[-1]", want: 5, reason: "negative indexes count from the end"},
		{name: "index out of range", src: "ints[5]", wantErr: true, reason: "an index out of range fails"},
		// Operators.
		{name: "int division is float", src: "i / j", want: 3.5, reason: "expr divides ints as floats"},
		{name: "int with float", src: "i + f", want: 8.5, reason: "an int meeting a float becomes a float"},
		{name: "modulo by zero", src: "i % (j - 2)", wantErr: true, reason: "an integer division by zero fails"},
		{name: "power", src: "j ** 3", want: 8.0, reason: "** is math.Pow"},
		{name: "unary minus", src: "-i", want: -7, reason: "negation keeps the type"},
		{name: "not", src: "!b", want: false, reason: "! on a bool"},
		{name: "nil in an int equality", src: "+pi == 1", env: func(e *fzEnv) { e.PI = nil }, wantErr: true,
			reason: "the checker types +pi int, so expr compares with OpEqualInt, which fails on nil"},
		{name: "int equals float", src: "j == 2.0", want: true, reason: "numbers compare by value across int and float"},
		{name: "string order", src: "s < 'abd'", want: true, reason: "strings compare bytewise"},
		{name: "dates", src: "d < as_of", want: true, reason: "dates compare by instant"},
		{name: "nil pointer equals nil", src: "pi == nil", env: func(e *fzEnv) { e.PI = nil }, want: true,
			reason: "a nil pointer is nil"},
		{name: "value is not nil", src: "i == nil", want: false, reason: "a value is never nil"},
		{name: "nil slice", src: "strs == nil", env: func(e *fzEnv) { e.Strs = nil }, want: true,
			reason: "a nil list is nil, an empty one is not"},
		{name: "short circuit skips a failure", src: "false && sub.v > 0", env: func(e *fzEnv) { e.Sub = nil }, want: false,
			reason: "the right operand of && is not evaluated"},
		{name: "nil passes through ||", src: "(b || pb) == nil", env: func(e *fzEnv) { e.B, e.PB = false, nil }, want: true,
			reason: "the VM returns the right operand of || as it is"},
		{name: "nil fails as an operand", src: "(pb || b) == nil", env: func(e *fzEnv) { e.PB = nil }, wantErr: true,
			reason: "the left operand of || must be a boolean"},
		{name: "ternary", src: "b ? i : j", want: 7, reason: "?: picks a branch"},
		{name: "ternary int and float", src: "c ? 1 : 0.5", want: nil, reason: "the branches' Go types differ: Run is left to the VM, Number is lowered"},
		{name: "coalesce", src: "pf ?? 0", env: func(e *fzEnv) { e.PF = nil }, want: nil, reason: "?? takes the right side for nil"},
		{name: "in constant strings", src: "s in ['abc', 'x']", want: true, reason: "a small set is scanned"},
		{name: "not in", src: "s not in ['abc', 'x']", want: false, reason: "not in is fused"},
		{name: "in ints with nil", src: "pi in [0, 1]", env: func(e *fzEnv) { e.PI = nil }, want: false,
			reason: "a nil needle is in no array of values"},
		{name: "in mixed array", src: "f in [1, 1.5]", want: true, reason: "ints and floats compare by value"},
		{name: "in list", src: "'x' in strs", want: true, reason: "membership in a slice field"},
		{name: "in map", src: "'a' in m", want: true, reason: "membership by key"},
		{name: "contains with nil", src: "ps contains 'b'", env: func(e *fzEnv) { e.PS = nil }, want: false,
			reason: "string operators are false on nil, not failures"},
		{name: "matches", src: "s matches '^a.c$'", want: true, reason: "the pattern is compiled once"},
		// Builtins and predicates.
		{name: "all", src: "all(items, .n != 0)", want: true, reason: "all over a list of structs"},
		{name: "any on pointers", src: "any(ptrs, .b)", want: true, reason: "stops before the nil element"},
		{name: "nil element", src: "all(ptrs, .b)", wantErr: true, reason: "a field of a nil element fails"},
		{name: "none", src: "none(ints, # > 3)", want: true, reason: "# is the element"},
		{name: "one", src: "one(items, .b)", want: true, reason: "exactly one"},
		{name: "count with threshold", src: "count(bools, #) >= 2", want: true, reason: "expr's optimiser stops counting at 2"},
		{name: "sum of ints", src: "sum(ints)", want: 6, reason: "a sum of ints is an int"},
		{name: "sum of floats", src: "sum(items, .x) > 1", want: true, reason: "a sum of floats starts from the int 0"},
		{name: "len of string", src: "len('é' + s)", want: 4, reason: "len counts characters"},
		{name: "len of list", src: "len(items) + len(m)", want: 3, reason: "len of lists and maps"},
		{name: "round", src: "round(f) + floor(g) + ceil(1)", want: 1.0, reason: "rounding returns floats"},
		{name: "int and float", src: "int(f) + float(i)", want: 8.0, reason: "conversions"},
		{name: "max of ints", src: "max(i, j, 3)", want: 7, reason: "max keeps the type of its arguments"},
		{name: "min of mixed", src: "min(100, f * 100) > 0", want: true, reason: "mixed literals and floats compare exactly"},
		{name: "abs", src: "abs(g)", want: 2.0, reason: "abs keeps the type"},
		// let, lists built, strings.
		{name: "let", src: "let x = i * 2; x + x", want: 28, reason: "a variable is computed once and read from a slot"},
		{name: "let of a record", src: "let r = items[0]; r.n + r.sub.v", want: 3.0, reason: "a variable may hold a record"},
		{name: "let of a nil pointer", src: "let p = pi; p == nil", env: func(e *fzEnv) { e.PI = nil }, want: true,
			reason: "a variable holding nil is nil"},
		{name: "nested let", src: "let a = 1; let z = a + i; z * 2", want: 16, reason: "variables see those declared before"},
		{name: "let in a predicate", src: "all(items, let y = .n; y * y >= 1)", want: true, reason: "a variable per element"},
		{name: "let of a list built", src: "let l = filter(items, .b); len(l) == 1 && l[0].n == 1", want: true,
			reason: "a variable may hold a list a rule built"},
		{name: "filter", src: "len(filter(ints, # > 1))", want: 2, reason: "filter keeps the elements the predicate holds for"},
		{name: "filter of records", src: "all(filter(items, .n > 0), .b)", want: true, reason: "records are kept by reference"},
		{name: "filter and map", src: "filter(items, .n > 0) | map(.x) | sum()", want: 1.5, reason: "expr folds filter | map into one node"},
		{name: "map", src: "map(items, .n)[1]", want: -2, reason: "map builds a list of the predicate's values"},
		{name: "first and last", src: "first(ints) + last(ints)", want: 5, reason: "the first and last elements"},
		{name: "last of records", src: "last(items).s", want: "b", reason: "a record from a list"},
		{name: "first of an empty list", src: "first(filter(ints, # > 9)) == nil", want: true, reason: "first of an empty list is nil"},
		{name: "find", src: "find(items, .n < 0).s", want: "b", reason: "the first element the predicate holds for"},
		{name: "find nothing", src: "find(items, .n > 9) == nil", want: true, reason: "nil when none"},
		{name: "findIndex", src: "findIndex(ints, # == 2)", want: 2, reason: "the index of the first match"},
		{name: "findLastIndex", src: "findLastIndex(ints, # > 9) == nil", want: true, reason: "nil when none"},
		{name: "reduce", src: "reduce(items, #acc + .x, 0)", want: 2.0, reason: "an int start with float steps is a float"},
		{name: "reduce of strings", src: "reduce(strs, #acc + #, '')", want: "xy", reason: "a string accumulator"},
		{name: "range", src: "sum(1..4)", want: 10, reason: "a range is a list of ints"},
		{name: "range in a quantifier", src: "all(1..i, # > 0)", want: true, reason: "a range built at run time"},
		{name: "slice", src: "len(ints[1:]) + ints[:1][0]", want: 5, reason: "slices share the list"},
		// expr's backward loops, run forwards over the reversed list.
		{name: "findLastIndex beneath an operator", src: "i + findLastIndex(ints, # > 1)", want: 9,
			reason: "the VM's findLastIndex left its loop condition on the stack, and + read it: the guard loops forwards"},
		{name: "findLast in a ternary", src: "len(strs) + (findLast(items, .n > 5) == nil ? 1 : 2)", want: 3,
			reason: "the same with findLast, found nothing: the stray false was added to 1"},
		{name: "last of filter in a list", src: "max([i, last(filter(items, .n > 0)).n]) + findLast(ints, # < 3)", want: 9,
			reason: "the optimiser turns last(filter(...)) into findLast"},
		{name: "findLastIndex not found", src: "findLastIndex(ints, # > 5) == nil && findLastIndex(ints, # > 2) == 0", want: true,
			reason: "expr's findLastIndex gives nil when nothing matches"},
		// List literals of computed elements.
		{name: "list literal of floats", src: "max([f, g, 0.5]) + sum([f, g])", want: 1.0, reason: "a literal of one number type is built like any list"},
		{name: "list literal of ints", src: "min([i, j]) * len([i, j, 3])", want: 6, reason: "ints stay ints"},
		{name: "list literal of strings", src: "s in [t, lower('ABC')] && none([s, t], # == 'zz')", want: true, reason: "membership and quantifiers over a literal"},
		{name: "list literal of bools", src: "all([b, i > 0], #)", want: true, reason: "bools too"},
		{name: "list literal in a predicate", src: "all(items, .n in [i, j, 1, -2])", want: true, reason: "built again for each element"},
		// Lists that may be missing.
		{name: "list or empty", src: "len(sub?.l ?? []) + len(rec.l ?? []) + count(items[0].sub?.l ?? [], # > 0)", want: 0,
			reason: "a nil list is taken as [], as expr's ?? takes a nil slice for nil"},
		{name: "list or empty, set", src: "sum(sub?.l ?? []) + len(sub?.l ?? [])", env: func(e *fzEnv) { e.Sub.L = []int{4, 5} }, want: 11,
			reason: "a list that is there is read as it is"},
		{name: "list or empty, nil record", src: "none(sub?.l ?? [], # > 0) && (sub?.l ?? []) != nil && (rec.l ?? []) != nil", env: func(e *fzEnv) { e.Sub = nil }, want: true,
			reason: "a nil record ends the chain with nil, and [] is an empty list, not nil"},
		// Optional keys of maps.
		{name: "optional key", src: "(m?.['a'] ?? 'x') + (m?.['zz'] ?? 'y') + string(mi?.['a'])", want: "A5",
			reason: "a set map gives its value, and the zero value for a key it lacks, as m[key] does"},
		{name: "optional key of a nil map", src: "(m?.['a'] ?? 'x') + string(mi?.['a'] == nil)", env: func(e *fzEnv) { e.M, e.MI = nil, nil }, want: "xtrue",
			reason: "a nil map ends the chain with nil, where m[key] gives the zero value"},
		// Map literals.
		{name: "in a map literal", src: "s in {'abc': true, 'x': false} && !(t in {'abc': 1})", want: true, reason: "in tests the keys"},
		{name: "key of a map literal", src: "{'abc': 1, 'b': 2}[s] + ({'a': 1.5}?.[t] ?? 0.5) + {'a': 3, 'a': 4}.a", want: 4.5,
			reason: "a key it has gives its value, one it lacks nil, not 0; a key written twice keeps the first value, as expr's VM does"},
		{name: "missing key of a map literal", src: "{'a': 1}[t] == nil && get({'a': 'x'}, s) == nil && len({'a': 1, 'b': 2}) == 2", want: true,
			reason: "expr's literal is a map[string]any"},
		// Counting groups.
		{name: "count of groups", src: "len(groupBy(items, .s)) * 100 + len(groupBy(ints, # % 2)) * 10 + len(groupBy(bools, #))", want: 222,
			reason: "len(groupBy(...)) counts the distinct keys"},
		{name: "count of float groups", src: "len(groupBy(floats, #))", env: func(e *fzEnv) { e.Floats = []float64{0, math.Copysign(0, -1), math.NaN(), math.NaN(), 1} }, want: 4,
			reason: "as the keys of a Go map: 0 and -0 are one key, and each NaN a key of its own"},
		{name: "count of no groups", src: "len(groupBy(strs, #)) + len(groupBy(items, .sub?.w ?? ''))", env: func(e *fzEnv) { e.Strs = nil }, want: 1,
			reason: "a nil list has no groups; a key may be computed: both items give ''"},
		// Bitwise builtins.
		{name: "bitwise", src: "bitand(i, 3) + bitor(j, 8) + bitxor(i, j) + bitnand(i, j) + bitshl(j, 2) + bitshr(i, 1) + bitnot(j)", want: 3 + 10 + 5 + 5 + 8 + 3 - 3,
			reason: "expr's bitwise builtins on ints"},
		{name: "unsigned shift", src: "bitushr(-1, 60)", want: 15, reason: "bitushr shifts the bits as unsigned"},
		{name: "negative shift", src: "bitshl(i, -j)", wantErr: true, reason: "a negative shift count fails, as in expr"},
		// Methods of dates.
		{name: "date parts", src: "d.Year() * 1000 + d.YearDay() + d.Day() + d.Hour() + d.Minute() + d.Second() + d.Nanosecond()", want: 2024062,
			reason: "the int methods of a date are called directly"},
		{name: "month and weekday", src: "int(d.Month()) * 10 + int(as_of.Weekday())", want: 30,
			reason: "int of a date's month (March) or weekday (30 June 2024 is a Sunday, 0): their own types compare with nothing else"},
		{name: "date comparisons", src: "d.Before(as_of) && as_of.After(d) && !d.Equal(as_of) && d.Equal(d)", want: true,
			reason: "Before, After and Equal compare instants"},
		{name: "date arithmetic", src: "d.AddDate(0, 4, 0) > as_of && as_of.AddDate(-1, 0, -i).Year() == 2023", want: true,
			reason: "AddDate gives a date, whose methods may be called in turn"},
		{name: "zero date", src: "d.IsZero() && d.Year() == 1", env: func(e *fzEnv) { e.D = time.Time{} }, want: true,
			reason: "a date not set is the zero time, as in expr"},
		{name: "date method in a predicate", src: "any(items, .d.Year() < 2020)", want: true, reason: "the element's date"},
		{name: "method of a nil date", src: "pd.Year() > 0", env: func(e *fzEnv) { e.PD = nil }, wantErr: true,
			reason: "a method of a nil pointer fails, as in expr"},
		{name: "date difference", src: "as_of - d > duration('2880h') && d - as_of < duration('-1h') && as_of.Sub(d) >= duration('2904h')", want: true,
			reason: "the difference of two dates is a Duration, ordered against durations: 121 days"},
		{name: "duration in hours", src: "(as_of - d).Hours() / 24 + as_of.Sub(d).Minutes() / 1440 + (d - d).Seconds()", want: 242.0,
			reason: "the float methods of a Duration"},
		{name: "difference from a zero date", src: "as_of - d > duration('1h')", env: func(e *fzEnv) { e.D = time.Time{} }, want: true,
			reason: "a zero date is year 1: the difference saturates, as time.Sub does"},
		{name: "slice ending before the start", src: "len(ints[:-9]) + len(ints[-9:-8]) + len(ints[:-3])", want: 0,
			reason: "an end still negative after counting from the end is clamped to 0, as runtime.Slice does: the slice is empty and starts at the list"},
		{name: "string slice", src: "s[:2] + s[1:] + s[1:2]", want: "abbcb", reason: "a string is cut like a list, in bytes"},
		{name: "string slice clamped", src: "s[-2:] + s[:-1] + s[2:99] + s[5:] + s[2:1] + s[:-9] + s[-9:]", want: "bcabcabc", reason: "negative bounds count from the end; bounds out of range are clamped, never an error"},
		{name: "string slice of multibyte", src: "s[:1]", env: func(e *fzEnv) { e.S = "été" }, want: "\xc3",
			reason: "bytes, not runes, as runtime.Slice cuts: half a character"},
		{name: "string slice of a field bound", src: "s[j:] == 'c' && s[:i] == s", want: true, reason: "bounds may be computed"},
		{name: "take", src: "take(ints, 2)[1]", want: 1, reason: "the first n elements"},
		{name: "reverse", src: "reverse(ints)[0]", want: 2, reason: "a list in reverse order"},
		{name: "sort", src: "sort(ints)[0]", want: 1, reason: "a sorted copy"},
		{name: "uniq", src: "len(uniq(concat(strs, strs)))", want: 2, reason: "the first of equal elements"},
		{name: "mean and median", src: "mean(ints) + median(floats)", want: 3.0, reason: "aggregates of numbers"},
		{name: "array as a list", src: "all(['a', 'zz'], m[#] != 'x')", want: true, reason: "a constant array is a list; a map read by a computed key"},
		{name: "computed key of records", src: "mp[s == 'abc' ? 'a' : 'b'].v", want: 3.0, reason: "a record read by a computed key"},
		{name: "get", src: "get(m, 'zz') == nil", want: true, reason: "get gives nil for a key that is absent"},
		{name: "optional", src: "sub?.v ?? 0", env: func(e *fzEnv) { e.Sub = nil }, want: 0, reason: "a?.b of a nil a is nil"},
		{name: "optional of a record", src: "(sub?.w ?? '-') == 'w'", want: true, reason: "a?.b of a record is its field"},
		{name: "strings", src: "upper(s) + lower('X') + trim(' a ') + trimPrefix(s, 'a')", want: "ABCxabc", reason: "string builtins"},
		{name: "split", src: "split('a,b,,c', ',')[3]", want: "c", reason: "split into a list of strings"},
		{name: "join", src: "join(strs, '+')", want: "x+y", reason: "join a list of strings"},
		{name: "indexOf", src: "indexOf(s, 'c') + lastIndexOf(s, 'a')", want: 2, reason: "byte indexes"},
		{name: "replace and repeat", src: "replace(repeat(s, 2), 'b', '')", want: "acac", reason: "sizes checked before building"},
		{name: "string of a number", src: "string(i) + string(f)", want: "71.5", reason: "as fmt prints it"},
		{name: "int of a string", src: "int('42') + 1", want: 43, reason: "strconv.Atoi"},
		{name: "sortBy", src: "sortBy(items, .x, 'desc')[0].n + sortBy(ptrs[:1], .n)[0].n", want: 2,
			reason: "records in the order runtime.SortBy gives"},
		{name: "keys", src: "len(keys(m)) + len(values(m))", want: 2, reason: "a map's keys and values"},
		// Calls.
		{name: "years since", src: "years_since(items[1].d)", want: 5, reason: "as_of is the reference date"},
		{name: "days between", src: "days_between(d, as_of)", want: 121, reason: "calendar days"},
		{name: "within", src: "within(d, '1y')", want: true, reason: "the period ends on as_of"},
		{name: "zero date", src: "within(d, '1y')", env: func(e *fzEnv) { e.D = time.Time{} }, wantErr: true,
			reason: "a date that is not set fails"},
		{name: "extra facts", src: "facts.fi + facts.ff", want: 5.0, reason: "declared facts are converted to their type"},
		{name: "missing fact", src: "facts.fb", env: func(e *fzEnv) { e.Extra = nil }, wantErr: true, reason: "a missing fact fails"},
		{name: "user function", src: "twice(i)", want: 14, reason: "functions get boxed arguments"},
		{name: "function lying about its type", src: "liar(i) > 0", want: true, reason: "the VM decides when a function returns another type"},
		{name: "function error", src: "grumpy(g)", wantErr: true, reason: "a function's error is the program's"},
		{name: "function panic", src: "grumpy(13)", wantErr: true, reason: "a panic becomes an error, through the VM"},
		{name: "environment function", src: "level_of()", want: 3, reason: "$env is passed as given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Compile(tt.src, Any)
			require.NoError(t, err)
			require.Empty(t, p.why, "not lowered; %s", tt.reason)
			env := fzEnvFull()
			if tt.env != nil {
				tt.env(env)
			}
			checkSame(t, m, p, env)
			r := m.Runner()
			defer r.Release()
			got, err := r.Run(p, env)
			if tt.wantErr {
				assert.Error(t, err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			if tt.want != nil {
				assert.Equal(t, tt.want, got, tt.reason)
			}
		})
	}
}

// TestNotLowered checks that what the lowering leaves to the VM still
// runs, with the VM's results, and says why it is not lowered.
func TestNotLowered(t *testing.T) {
	m := fzModel(t)
	tests := []struct {
		src, why, reason string
	}{
		{src: "u8 > 1", why: "uint8", reason: "only int and float64 numbers are read"},
		{src: "s in {'abc': i}", why: "not constants", reason: "a map literal with a computed value is not lowered"},
		{src: "{'a': 1, 'b': 2.5}[s] == nil", why: "not constants of one kind", reason: "nor one mixing ints and floats: expr keeps each value's Go type"},
		{src: "as_of - d == duration('2904h')", why: "== between duration", reason: "== on durations is left to the VM"},
		{src: "max([i, f]) > 0", why: "list literal mixing int and float", reason: "expr keeps each element's Go type: max of ints and floats gives either"},
		{src: "len([pi, 1]) == 2", why: "may be nil", reason: "expr keeps the pointer itself in a literal: max([pi, 1]) fails"},
		{src: "sub?.v ?? 0", why: "varying type", reason: "the result is the float v or the int 0: Run is left to the VM"},
		{src: "len(groupBy(items, .s)['a']) > 0", why: "builtin groupBy", reason: "groupBy builds a map of lists: only its length is lowered"},
		{src: "len(groupBy(items, .sub?.w)) > 0", why: "may be nil", reason: "a nil key is a group of its own"},
		{src: "type(pi) == 'int'", why: "builtin type", reason: "type names expr's own kinds"},
		{src: "shout(ps) == 'X'", why: "optional argument", reason: "a nil may reach a function"},
		{src: "(false || pb) == nil", why: "disagree", reason: "the optimiser folds false || pb to pb and types it bool, so the compiler does not dereference it"},
		{src: "(true && (c ? pb : sub.ok)) == true", why: "holds a pointer", reason: "the folded ternary is typed bool: its pointer is compared, not its value"},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			p, err := m.Compile(tt.src, Any)
			require.NoError(t, err)
			ok, why := p.Fast()
			assert.False(t, ok, tt.reason)
			assert.Contains(t, why, tt.why, tt.reason)
			env := fzEnvFull()
			checkSame(t, m, p, env)
			r := m.Runner()
			defer r.Release()
			_, err = r.Run(p, env)
			assert.NoError(t, err, tt.reason)
		})
	}
}

// TestFastMissingValues compares the fast paths of Missing and Values with
// the reflective walk on generated environments.
func TestFastMissingValues(t *testing.T) {
	m := fzModel(t)
	srcs := []string{"level > 0 && tags != nil", "sub.ok && sub.w != ''", "pi > 0 || pf > 0 || pb || ps != '' || pd != nil",
		"mp['a'].v > 0", "m['a'] == 'x'", "len(items) + len(strs) > 0", "d < as_of", "facts.fi > 0", "rec.v > 0"}
	for seed := 0; seed < 200; seed++ {
		data := make([]byte, 64)
		for i := range data {
			data[i] = byte(seed*31 + i*7)
		}
		for _, env := range append(fzEnvs(&bytes{b: data}), &fzEnv{}) {
			for _, src := range srcs {
				p, err := m.Compile(src, Bool)
				require.NoError(t, err)
				rv := reflectValueOf(env)
				for _, pa := range p.paths {
					if pa.fast == nil {
						continue
					}
					ptr := envData(any(env), p.envType)
					require.Equal(t, pa.present(rv, env), pa.fast.present(ptr), "%s: %s", src, pa.name)
					var want any
					if v := pa.value(rv, env); v.IsValid() {
						want = deref(v.Interface())
					}
					a, ok := walk(ptr, pa.fast.hops)
					if !ok {
						a = nil
					}
					got := Value{ptr: a, fp: pa.fast}.Interface()
					require.True(t, sameAny(want, got), "%s: %s: %v, %v", src, pa.name, want, got)
				}
			}
		}
	}
}

func reflectValueOf(v any) reflect.Value { return reflect.ValueOf(v) }
