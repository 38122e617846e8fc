package rules

import (
	"cmp"
	"math"
	"reflect"
	"slices"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/expr-lang/expr/ast"

	"github.com/safe-aeo/engine/calendar"
)

// A loop iterates over a list: each element's address (or, for a list of
// pointers, the pointer) goes in the frame's item.
type loop struct {
	hdr  eval[unsafe.Pointer]
	size uintptr
	ind  bool
}

func (lo *loop) at(data unsafe.Pointer, i int) unsafe.Pointer {
	p := unsafe.Add(data, uintptr(i)*lo.size)
	if lo.ind {
		p = *(*unsafe.Pointer)(p)
	}
	return p
}

// scan reads the list lo iterates over and charges a step for each of
// its elements, as the VM charges the scan of a loop's list.
func (lo *loop) scan(f *frame) (*sliceHeader, error) {
	h, err := lo.hdr(f)
	if err != nil {
		return nil, err
	}
	s := (*sliceHeader)(h)
	return s, f.bud.step(s.len)
}

// predicate lowers the predicate of a builtin over list l.
func (lw *lowerer) predicate(l value, n ast.Node) value {
	p, ok := n.(*ast.PredicateNode)
	if !ok {
		lw.fail("predicate %T", n)
	}
	lw.scopes = append(lw.scopes, l.rt.Elem())
	v := lw.node(p.Node)
	lw.scopes = lw.scopes[:len(lw.scopes)-1]
	if v.raw {
		// The VM uses the body's value as it is, a pointer: sum fails on
		// it, and so do the others, which assert a bool.
		lw.fail("predicate whose value is a pointer")
	}
	return v
}

func (lw *lowerer) list(n ast.Node) (value, *loop) {
	l := lw.asList(lw.node(n))
	et := l.rt.Elem()
	return l, &loop{hdr: l.at.addr(), size: et.Size(), ind: et.Kind() == reflect.Pointer}
}

func (lw *lowerer) builtin(n *ast.BuiltinNode) value {
	if n.Map != nil && n.Name != "filter" {
		lw.fail("%s with a map", n.Name)
	}
	if v, ok := lw.listBuiltin(n); ok {
		return v
	}
	if n.Name == "date" || n.Name == "duration" {
		if c, ok := lw.constBuiltin(n); ok {
			switch x := c.(type) {
			case time.Time:
				return cTime(x)
			case time.Duration:
				return cDur(x)
			}
		}
	}
	if v, ok := lw.stringBuiltin(n); ok {
		return v
	}
	args := n.Arguments
	switch n.Name {
	case "all", "any", "none", "one":
		l, lo := lw.list(args[0])
		pred := strict(lw.predicate(l, args[1]))
		if pred.k != kBool {
			lw.fail("predicate of a %s", pred.k)
		}
		return value{k: kBool, b: quantifier(n.Name, lo, pred.b)}
	case "count":
		l, lo := lw.list(args[0])
		var pred value
		if len(args) == 2 {
			pred = strict(lw.predicate(l, args[1]))
		} else {
			lw.scopes = append(lw.scopes, l.rt.Elem())
			pred = lw.pointer(&ast.PointerNode{})
			lw.scopes = lw.scopes[:len(lw.scopes)-1]
		}
		if pred.k != kBool {
			lw.fail("count of a %s", pred.k)
		}
		threshold := 0
		if n.Threshold != nil {
			threshold = *n.Threshold
		}
		return value{k: kInt, i: count(lo, pred.b, threshold)}
	case "sum":
		l, lo := lw.list(args[0])
		var v value
		if len(args) == 2 {
			v = strict(lw.predicate(l, args[1]))
		} else {
			lw.scopes = append(lw.scopes, l.rt.Elem())
			v = lw.pointer(&ast.PointerNode{})
			lw.scopes = lw.scopes[:len(lw.scopes)-1]
		}
		switch {
		case v.loose:
			lw.fail("sum of sums")
		case v.k == kInt:
			return value{k: kInt, i: sumInt(lo, v.i)}
		case v.k == kFloat:
			// The VM starts from the int 0: an empty sum is an int.
			return value{k: kFloat, loose: true, f: sumFloat(lo, v.f)}
		}
		lw.fail("sum of a %s", v.k)
	case "len":
		if g, ok := args[0].(*ast.BuiltinNode); ok && g.Name == "groupBy" {
			return lw.groupCount(g)
		}
		return lw.length(strict(lw.node(args[0])))
	case "abs":
		v := strict(lw.node(args[0]))
		switch {
		case v.k == kInt:
			e := v.i
			return fold(value{k: kInt, i: func(f *frame) (int, error) {
				x, err := e(f)
				if x == math.MinInt {
					return 0, errFail
				}
				if x < 0 {
					x = -x
				}
				return x, err
			}}, v)
		case v.k == kFloat:
			e := v.f
			return fold(value{k: kFloat, loose: v.loose, lmax: v.lmax, f: func(f *frame) (float64, error) {
				x, err := e(f)
				if x < 0 {
					x = -x
				}
				return x, err
			}}, v)
		}
		lw.fail("abs of a %s", v.k)
	case "floor", "ceil", "round":
		v := strict(lw.node(args[0]))
		if !isNum(v) {
			lw.fail("%s of a %s", n.Name, v.k)
		}
		fn := map[string]func(float64) float64{"floor": math.Floor, "ceil": math.Ceil, "round": math.Round}[n.Name]
		e := toFloat(v).f
		if v.k == kInt {
			fn = func(x float64) float64 { return x } // builtin.Float
		}
		return fold(value{k: kFloat, f: func(f *frame) (float64, error) {
			x, err := e(f)
			return fn(x), err
		}}, v)
	case "get":
		return lw.get(lw.node(args[0]), strict(lw.node(args[1])))
	case "int":
		if v, ok := lw.intOfDatePart(args[0]); ok {
			return v
		}
		v := strict(lw.node(args[0]))
		switch v.k {
		case kString:
			return value{k: kInt, i: intOfString(v.s)}
		case kInt:
			return v
		case kFloat:
			e := v.f
			return fold(value{k: kInt, i: func(f *frame) (int, error) {
				x, err := e(f)
				if !(x > -(1<<63) && x < 1<<63) {
					return 0, errFail // out of range, or NaN: checkedInt fails
				}
				return int(x), err
			}}, v)
		}
		lw.fail("int of a %s", v.k)
	case "float":
		v := strict(lw.node(args[0]))
		if !isNum(v) {
			lw.fail("float of a %s", v.k)
		}
		v = toFloat(v)
		v.loose = false // float(int 0) is 0.0
		return v
	case "max", "min":
		return lw.minMax(n.Name, args)
	case "bitand", "bitor", "bitxor", "bitnand", "bitshl", "bitshr", "bitushr", "bitnot":
		return lw.bits(n.Name, args)
	}
	lw.fail("builtin %s", n.Name)
	return value{}
}

func quantifier(name string, lo *loop, pred eval[bool]) eval[bool] {
	// all stops at the first false, any and none at the first true; one
	// counts every element.
	stopOn, stopped := false, false
	switch name {
	case "any":
		stopOn, stopped = true, true
	case "none":
		stopOn, stopped = true, false
	case "one":
		return func(f *frame) (bool, error) {
			n, err := count(lo, pred, 0)(f)
			return n == 1, err
		}
	}
	return func(f *frame) (bool, error) {
		s, err := lo.scan(f)
		if err != nil {
			return false, err
		}
		item, index := f.item, f.index
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			x, err := pred(f)
			if err != nil {
				f.item, f.index = item, index
				return false, err
			}
			if x == stopOn {
				f.item, f.index = item, index
				return stopped, nil
			}
		}
		f.item, f.index = item, index
		return !stopped, nil
	}
}

// count counts the elements pred holds for; with a threshold, expr's
// optimiser stops once that many are found.
func count(lo *loop, pred eval[bool], threshold int) eval[int] {
	return func(f *frame) (int, error) {
		s, err := lo.scan(f)
		if err != nil {
			return 0, err
		}
		item, index := f.item, f.index
		n := 0
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			x, err := pred(f)
			if err != nil {
				f.item, f.index = item, index
				return 0, err
			}
			if x {
				n++
				if threshold > 0 && n >= threshold {
					break
				}
			}
		}
		f.item, f.index = item, index
		return n, nil
	}
}

func sumInt(lo *loop, v eval[int]) eval[int] {
	return func(f *frame) (int, error) {
		s, err := lo.scan(f)
		if err != nil {
			return 0, err
		}
		item, index := f.item, f.index
		acc := 0
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			x, err := v(f)
			if err == nil {
				acc, err = addI(x, acc) // runtime.Add(element, accumulator)
			}
			if err != nil {
				f.item, f.index = item, index
				return 0, err
			}
		}
		f.item, f.index = item, index
		return acc, nil
	}
}

func sumFloat(lo *loop, v eval[float64]) eval[float64] {
	return func(f *frame) (float64, error) {
		s, err := lo.scan(f)
		if err != nil {
			return 0, err
		}
		item, index := f.item, f.index
		var acc float64
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			x, err := v(f)
			if err == nil {
				acc, err = addF(x, acc)
			}
			if err != nil {
				f.item, f.index = item, index
				return 0, err
			}
		}
		f.item, f.index = item, index
		return acc, nil
	}
}

// length lowers len: elements of a list or map, characters (not bytes) of
// a string.
func (lw *lowerer) length(v value) value {
	switch v.k {
	case kString:
		e := v.s
		return fold(value{k: kInt, i: func(f *frame) (int, error) {
			s, err := e(f)
			if err != nil {
				return 0, err
			}
			if err := f.step(strSteps(len(s))); err != nil {
				return 0, err
			}
			return utf8.RuneCountInString(s), nil
		}}, v)
	case kList:
		at := v.at.addr()
		return value{k: kInt, i: func(f *frame) (int, error) {
			p, err := at(f)
			if err != nil {
				return 0, err
			}
			return (*sliceHeader)(p).len, nil
		}}
	case kMap:
		at, mt := v.at.addr(), v.rt
		return value{k: kInt, i: func(f *frame) (int, error) {
			p, err := at(f)
			if err != nil {
				return 0, err
			}
			return reflect.NewAt(mt, p).Elem().Len(), nil
		}}
	}
	lw.fail("len of a %s", v.k)
	return value{}
}

// minMax lowers max and min of numbers, or of one list of numbers. With
// ints and floats mixed, the result's Go type is the winning argument's:
// such a call is lowered only when its ints are literals exact as floats
// (or loose numbers, see value.loose), and its result is loose.
func (lw *lowerer) minMax(name string, args []ast.Node) value {
	if len(args) == 1 {
		return lw.minMaxList(name, args[0])
	}
	vs := make([]value, len(args))
	mixed, loose := false, false
	for i, a := range args {
		vs[i] = strict(lw.node(a))
		if !isNum(vs[i]) {
			lw.fail("%s of a %s", name, vs[i].k)
		}
		loose = loose || vs[i].loose
		mixed = mixed || vs[i].k != vs[0].k
	}
	lmax := 0.0
	if mixed || loose {
		for i, v := range vs {
			if v.k == kInt {
				var ok bool
				if vs[i], ok = looseInt(v); !ok {
					lw.fail("%s of ints and floats", name)
				}
			}
			lmax = math.Max(lmax, vs[i].lmax)
		}
	}
	max := name == "max"
	if vs[0].k == kInt {
		es := make([]eval[int], len(vs))
		for i, v := range vs {
			es[i] = v.i
		}
		return fold(value{k: kInt, i: extreme(es, max)}, vs...)
	}
	es := make([]eval[float64], len(vs))
	for i, v := range vs {
		es[i] = v.f
	}
	if mixed || loose {
		return value{k: kFloat, loose: true, lmax: lmax, f: extremeOf(vs, es, max)}
	}
	return fold(value{k: kFloat, f: extreme(es, max)}, vs...)
}

// minMaxList lowers max(list) and min(list): nil for an empty list.
func (lw *lowerer) minMaxList(name string, a ast.Node) value {
	l := lw.asList(lw.node(a))
	at, max := l.at.addr(), name == "max"
	switch scalarKind(l.rt.Elem()) {
	case kInt:
		return value{k: kInt, null: true, i: extremeList[int](at, max)}
	case kFloat:
		return value{k: kFloat, null: true, f: extremeList[float64](at, max)}
	}
	lw.fail("%s of a list of %s", name, l.rt.Elem())
	return value{}
}

func extremeList[T number](at eval[unsafe.Pointer], max bool) eval[T] {
	return func(f *frame) (T, error) {
		p, err := at(f)
		if err != nil {
			return 0, err
		}
		s := *(*sliceHeader)(p)
		if err := f.bud.step(s.len); err != nil {
			return 0, err
		}
		if s.len == 0 {
			return 0, errNil
		}
		xs := unsafe.Slice((*T)(s.data), s.len)
		m := xs[0]
		for _, x := range xs[1:] {
			if max && m < x || !max && m > x {
				m = x
			}
		}
		return m, nil
	}
}

// extremeOf is extreme, with a constant first argument folded into the
// closure: min(100, x), max(0, x).
func extremeOf(vs []value, es []eval[float64], max bool) eval[float64] {
	if len(vs) != 2 || !vs[0].konst || vs[1].konst {
		return extreme(es, max)
	}
	c, e := cval(es[0]), es[1]
	return func(f *frame) (float64, error) {
		x, err := e(f)
		if max && c < x || !max && c > x {
			return x, err
		}
		return c, err
	}
}

// extreme keeps the first of equal arguments and lets NaN through as
// builtin.minMax does: an argument replaces the current one only when
// strictly greater (max) or smaller (min).
func extreme[T number](es []eval[T], max bool) eval[T] {
	return func(f *frame) (T, error) {
		m, err := es[0](f)
		if err != nil {
			return 0, err
		}
		for _, e := range es[1:] {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			if max && m < x || !max && m > x {
				m = x
			}
		}
		return m, nil
	}
}

// call lowers a call of a function the model defines, or of a method of
// a date.
func (lw *lowerer) call(n *ast.CallNode) value {
	if m, ok := n.Callee.(*ast.MemberNode); ok && m.Method {
		return lw.method(m, n.Arguments, false)
	}
	id, ok := n.Callee.(*ast.IdentifierNode)
	if !ok {
		lw.fail("call of %s", n.Callee)
	}
	if _, ok := lw.conf.Functions[id.Value]; !ok {
		lw.fail("call of %s", id.Value)
	}
	var user *Func
	for i := range lw.m.funcs {
		if lw.m.funcs[i].Name == id.Value {
			user = &lw.m.funcs[i]
		}
	}
	args := n.Arguments
	switch id.Value {
	case "days_between", "years_between":
		a, b := lw.date(args[0]), lw.date(args[1])
		between := calendar.DaysBetween
		if id.Value == "years_between" {
			between = calendar.YearsBetween
		}
		return value{k: kInt, i: func(f *frame) (int, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			if x.IsZero() || y.IsZero() {
				return 0, errFail // twoDates: date is not set
			}
			return between(x, y), nil
		}}
	case "within_period":
		d, asOf := lw.date(args[0]), lw.date(args[1])
		s, ok := args[2].(*ast.StringNode)
		if !ok {
			lw.fail("period that is not a literal")
		}
		p, err := calendar.ParsePeriod(s.Value)
		if err != nil {
			lw.fail("bad period")
		}
		back := p.Negate()
		return value{k: kBool, b: func(f *frame) (bool, error) {
			x, err := d(f)
			if err != nil {
				return false, err
			}
			y, err := asOf(f)
			if err != nil {
				return false, err
			}
			if x.IsZero() || y.IsZero() {
				return false, errFail
			}
			start := calendar.Date(back.AddTo(y))
			day := calendar.Date(x)
			return day.After(start) && !day.After(calendar.Date(y)), nil
		}}
	}
	if id.Value == "contains_any" || id.Value == "contains_all" {
		return lw.containsList(id.Value == "contains_all", args)
	}
	if user == nil && len(id.Value) > 5 && id.Value[:5] == "fact_" && len(args) == 2 {
		return lw.fact(FactType(id.Value[5:]), args)
	}
	if user == nil {
		lw.fail("call of %s", id.Value)
	}
	return lw.userCall(user, n)
}

// date lowers an argument passed as a time.Time.
func (lw *lowerer) date(n ast.Node) eval[time.Time] {
	v := strict(lw.node(n))
	if v.k != kTime {
		lw.fail("date argument of kind %s", v.k)
	}
	return v.t
}

var (
	factSourceType   = reflect.TypeOf((*FactSource)(nil)).Elem()
	indexedFactsType = reflect.TypeOf((*IndexedFactSource)(nil)).Elem()
)

// fact lowers facts.NAME, patched into fact_TYPE($env, "NAME"), with the
// conversions of ConvertFact but without boxing the value.
func (lw *lowerer) fact(t FactType, args []ast.Node) value {
	if id, ok := args[0].(*ast.IdentifierNode); !ok || id.Value != "$env" {
		lw.fail("fact of something else than $env")
	}
	s, ok := args[1].(*ast.StringNode)
	if !ok {
		lw.fail("fact name that is not a literal")
	}
	if !lw.m.env.Implements(factSourceType) {
		lw.fail("environment without extra facts")
	}
	lw.facts = true
	name := s.Value
	get := func(f *frame) (any, bool) {
		if f.facts == nil {
			return nil, false
		}
		v, ok := f.facts.Fact(name)
		return v, ok && v != nil
	}
	if idx, ok := lw.m.factIdx[name]; ok && lw.m.env.Implements(indexedFactsType) {
		get = func(f *frame) (any, bool) {
			if f.ifacts == nil {
				return nil, false
			}
			v, ok := f.ifacts.FactAt(idx)
			return v, ok && v != nil
		}
	}
	switch t {
	case FactInt:
		return value{k: kInt, i: func(f *frame) (int, error) {
			v, ok := get(f)
			if !ok {
				return 0, errFail
			}
			if x, ok := v.(int); ok {
				return x, nil
			}
			if x, ok := ToFloat(v); ok && x == float64(int(x)) {
				return int(x), nil
			}
			return 0, errFail
		}}
	case FactFloat:
		return value{k: kFloat, f: func(f *frame) (float64, error) {
			v, ok := get(f)
			if !ok {
				return 0, errFail
			}
			if x, ok := v.(float64); ok {
				return x, nil
			}
			if x, ok := ToFloat(v); ok {
				return x, nil
			}
			return 0, errFail
		}}
	case FactBool:
		return value{k: kBool, b: func(f *frame) (bool, error) {
			v, ok := get(f)
			if x, isBool := v.(bool); ok && isBool {
				return x, nil
			}
			return false, errFail
		}}
	case FactString:
		return value{k: kString, s: func(f *frame) (string, error) {
			v, ok := get(f)
			if x, isString := v.(string); ok && isString {
				return x, nil
			}
			return "", errFail
		}}
	case FactDate:
		return value{k: kTime, t: func(f *frame) (time.Time, error) {
			v, ok := get(f)
			if !ok {
				return time.Time{}, errFail
			}
			x, err := ConvertFact(FactDate, v)
			if err != nil {
				return time.Time{}, errFail
			}
			return x.(time.Time), nil
		}}
	}
	lw.fail("fact of type %s", t)
	return value{}
}

// userCall lowers a call of a Func: the arguments are boxed as the VM
// boxes them, and the result must be of the declared type, or the VM
// decides.
func (lw *lowerer) userCall(fn *Func, n *ast.CallNode) value {
	boxes := make([]eval[any], len(n.Arguments))
	for i, a := range n.Arguments {
		v := lw.node(a)
		switch {
		case v.k == kEnv:
			boxes[i] = func(f *frame) (any, error) { return f.iface, nil }
		case v.null || v.loose:
			lw.fail("optional argument")
		default:
			if boxes[i] = box(v); boxes[i] == nil {
				lw.fail("argument of kind %s", v.k)
			}
		}
	}
	lw.user = true
	call := fn.Fn
	args := func(f *frame) ([]any, int, error) {
		start := len(f.args)
		for _, b := range boxes {
			x, err := b(f)
			if err != nil {
				clear(f.args[start:])
				f.args = f.args[:start]
				return nil, 0, err
			}
			f.args = append(f.args, x)
		}
		return f.args[start:len(f.args):len(f.args)], start, nil
	}
	invoke := func(f *frame) (any, error) {
		in, start, err := args(f)
		if err != nil {
			return nil, err
		}
		out, err := call(in...)
		clear(in)
		f.args = f.args[:start]
		return out, err
	}
	switch scalarKind(n.Type()) {
	case kBool:
		return value{k: kBool, b: unbox[bool](invoke)}
	case kInt:
		return value{k: kInt, i: unbox[int](invoke)}
	case kFloat:
		return value{k: kFloat, f: unbox[float64](invoke)}
	case kString:
		return value{k: kString, s: unbox[string](invoke)}
	case kTime:
		return value{k: kTime, t: unbox[time.Time](invoke)}
	}
	lw.fail("function returning %s", n.Type())
	return value{}
}

func unbox[T any](e eval[any]) eval[T] {
	return func(f *frame) (T, error) {
		v, err := e(f)
		if err != nil {
			var z T
			return z, err
		}
		x, ok := v.(T)
		if !ok {
			return x, errDefer
		}
		return x, nil
	}
}

// bitOps are expr's bitwise builtins of two ints; a negative shift fails.
var bitOps = map[string]func(x, y int) (int, error){
	"bitand":  func(x, y int) (int, error) { return x & y, nil },
	"bitor":   func(x, y int) (int, error) { return x | y, nil },
	"bitxor":  func(x, y int) (int, error) { return x ^ y, nil },
	"bitnand": func(x, y int) (int, error) { return x &^ y, nil },
	"bitshl": func(x, y int) (int, error) {
		if y < 0 {
			return 0, errFail
		}
		return x << y, nil
	},
	"bitshr": func(x, y int) (int, error) {
		if y < 0 {
			return 0, errFail
		}
		return x >> y, nil
	},
	"bitushr": func(x, y int) (int, error) {
		if y < 0 {
			return 0, errFail
		}
		return int(uint(x) >> y), nil
	},
}

// bits lowers the bitwise builtins. Their arguments must be ints as
// such: expr's builtins refuse a pointer to one, even a non-nil one.
func (lw *lowerer) bits(name string, args []ast.Node) value {
	in := make([]value, len(args))
	for i, a := range args {
		v := lw.node(a)
		if v.k != kInt || v.null || v.raw || v.loose {
			lw.fail("%s of a %s", name, v.k)
		}
		in[i] = v
	}
	x := in[0].i
	if name == "bitnot" {
		return fold(value{k: kInt, i: func(f *frame) (int, error) {
			a, err := x(f)
			return ^a, err
		}}, in...)
	}
	op, y := bitOps[name], in[1].i
	return fold(value{k: kInt, i: func(f *frame) (int, error) {
		a, err := x(f)
		if err != nil {
			return 0, err
		}
		b, err := y(f)
		if err != nil {
			return 0, err
		}
		return op(a, b)
	}}, in...)
}

// groupCount lowers len(groupBy(list, key)): the number of distinct keys,
// as expr's groupBy counts them in a map keyed by each element's key. The
// keys are gathered in the frame's arena and sorted, which tells the same
// keys apart as the map does (a NaN from every other, 0 from -0 not), and
// the evaluation is charged as the VM's is: a step for each element
// scanned, and the map's size in memory. A key that may be nil, or of
// either number type, is left to the VM.
func (lw *lowerer) groupCount(g *ast.BuiltinNode) value {
	if len(g.Arguments) != 2 || g.Map != nil {
		lw.fail("groupBy of %d arguments", len(g.Arguments))
	}
	l, lo := lw.list(g.Arguments[0])
	key := lw.predicate(l, g.Arguments[1])
	if key.null || key.raw || key.loose {
		lw.fail("groupBy with a key that may be nil or of either number type")
	}
	switch key.k {
	case kString:
		return value{k: kInt, i: distinct(lo, key.s, func(f *frame) *[]string { return &f.as })}
	case kInt:
		return value{k: kInt, i: distinct(lo, key.i, func(f *frame) *[]int { return &f.ai })}
	case kFloat:
		return value{k: kInt, i: distinct(lo, key.f, func(f *frame) *[]float64 { return &f.af })}
	case kBool:
		toInt := func(e eval[bool]) eval[int] {
			return func(f *frame) (int, error) {
				b, err := e(f)
				if b {
					return 1, err
				}
				return 0, err
			}
		}
		return value{k: kInt, i: distinct(lo, toInt(key.b), func(f *frame) *[]int { return &f.ai })}
	}
	lw.fail("groupBy with a %s key", key.k)
	return value{}
}

// distinct counts the distinct values of key over the elements of lo.
func distinct[T cmp.Ordered](lo *loop, key eval[T], arena func(*frame) *[]T) eval[int] {
	return func(f *frame) (int, error) {
		s, err := lo.scan(f)
		if err != nil {
			return 0, err
		}
		n := s.len
		start := reserve(arena(f), n)
		item, index := f.item, f.index
		for i := 0; i < n; i++ {
			f.item, f.index = lo.at(s.data, i), i
			x, err := key(f)
			if err != nil {
				f.item, f.index = item, index
				return 0, err
			}
			(*arena(f))[start+i] = x
		}
		f.item, f.index = item, index
		keys := (*arena(f))[start : start+n]
		slices.Sort(keys)
		count := 0
		for i, k := range keys {
			// k != k: a NaN, a key of its own in a map.
			if i == 0 || k != keys[i-1] || k != k {
				count++
			}
		}
		trim(arena(f), start, n, 0)
		return count, f.alloc(count * elemBytes)
	}
}
