package rules

import (
	"math"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unsafe"

	"github.com/expr-lang/expr/ast"
)

func (lw *lowerer) unary(n *ast.UnaryNode) value {
	if b, ok := n.Node.(*ast.BinaryNode); ok && (n.Operator == "!" || n.Operator == "not") {
		switch b.Operator {
		case "in":
			return lw.in(lw.node(b.Left), lw.node(b.Right), true)
		case "==":
			return lw.equal(b, lw.node(b.Left), lw.node(b.Right), true)
		}
	}
	v := lw.node(n.Node)
	switch n.Operator {
	case "!", "not":
		v = strict(v)
		if v.k != kBool {
			lw.fail("! on a %s", v.k)
		}
		b := v.b
		return fold(value{k: kBool, b: func(f *frame) (bool, error) {
			x, err := b(f)
			return !x, err
		}}, v)
	case "+":
		// The compiler emits nothing for +x, not even a check: a nil
		// passes through.
		if v.k != kInt && v.k != kFloat {
			lw.fail("+ on a %s", v.k)
		}
		v.raw = false
		return v
	case "-":
		v = strict(v)
		switch {
		case v.loose:
			lw.fail("- on a sum of floats") // -(int 0) is 0, -(0.0) is -0.0
		case v.k == kInt:
			i := v.i
			return fold(value{k: kInt, i: func(f *frame) (int, error) {
				x, err := i(f)
				if x == math.MinInt {
					return 0, errFail
				}
				return -x, err
			}}, v)
		case v.k == kFloat:
			fl := v.f
			return fold(value{k: kFloat, f: func(f *frame) (float64, error) {
				x, err := fl(f)
				return -x, err
			}}, v)
		}
		lw.fail("- on a %s", v.k)
	}
	lw.fail("unary %s", n.Operator)
	return value{}
}

func (lw *lowerer) binary(n *ast.BinaryNode) value {
	switch n.Operator {
	case "&&", "and", "||", "or":
		return lw.logical(n)
	case "??":
		return lw.coalesce(n)
	case "matches":
		return lw.matches(n)
	}
	if v, ok := lw.timeShift(n); ok {
		return v
	}
	l, r := lw.node(n.Left), lw.node(n.Right)
	switch n.Operator {
	case "==":
		return lw.equal(n, l, r, false)
	case "!=":
		return lw.equal(n, l, r, true)
	case "in":
		return lw.in(l, r, false)
	case "contains", "startsWith", "endsWith":
		return lw.strings(n.Operator, l, r)
	case "..":
		return lw.rangeList(strict(l), strict(r))
	}
	l, r = strict(l), strict(r)
	switch n.Operator {
	case "<", ">", "<=", ">=":
		return fold(lw.compare(n.Operator, l, r), l, r)
	case "+", "-", "*":
		return fold(lw.arith(n.Operator, l, r), l, r)
	case "/":
		if !isNum(l) || !isNum(r) {
			lw.fail("/ on %s and %s", l.k, r.k)
		}
		if !l.konst && !r.konst && l.k != r.k {
			return fold(value{k: kFloat, f: mixedArith("/", l, r)}, l, r)
		}
		return fold(value{k: kFloat, f: floatArith("/", toFloat(l), toFloat(r))}, l, r)
	case "%":
		if l.k != kInt || r.k != kInt {
			lw.fail("%% on %s and %s", l.k, r.k)
		}
		return fold(value{k: kInt, i: modulo(l.i, r.i)}, l, r)
	case "**", "^":
		if !isNum(l) || !isNum(r) {
			lw.fail("** on %s and %s", l.k, r.k)
		}
		a, b := toFloat(l).f, toFloat(r).f
		return fold(value{k: kFloat, f: func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			z := math.Pow(x, y)
			if z-z != 0 {
				return 0, errFail
			}
			return z, nil
		}}, l, r)
	}
	lw.fail("operator %s", n.Operator)
	return value{}
}

func isNum(v value) bool { return v.k == kInt || v.k == kFloat }

// timeSub is x - y of two dates, a time.Duration held as nanoseconds; it
// saturates as Sub does.
func timeSub(x, y time.Time) int { return int(x.Sub(y)) }

// simpleKind is the kind of t if t is unnamed, as the compiler's
// isSimpleType requires.
func simpleKind(t reflect.Type) reflect.Kind {
	if t == nil || t.PkgPath() != "" {
		return reflect.Invalid
	}
	return t.Kind()
}

func isLogical(op string) bool { return op == "&&" || op == "and" || op == "||" || op == "or" }
func isAnd(op string) bool     { return op == "&&" || op == "and" }

// logical lowers && and || with short circuit. A chain a || b || c is one
// closure over its operands. Every operand but the last is used as a
// boolean (a nil fails); the last is the result as it is: the VM does not
// check that it is a boolean, so a nil passes through.
func (lw *lowerer) logical(n *ast.BinaryNode) value {
	and := isAnd(n.Operator)
	var nodes []ast.Node
	var collect func(x ast.Node)
	collect = func(x ast.Node) {
		if b, ok := x.(*ast.BinaryNode); ok && isLogical(b.Operator) && isAnd(b.Operator) == and {
			collect(b.Left)
			collect(b.Right)
			return
		}
		nodes = append(nodes, x)
	}
	collect(n)
	vs := make([]value, len(nodes))
	for i, x := range nodes {
		vs[i] = lw.node(x)
		if i < len(nodes)-1 {
			vs[i] = strict(vs[i])
		}
		if vs[i].k != kBool {
			lw.fail("%s on a %s", n.Operator, vs[i].k)
		}
	}
	// true && x is x; false && x is false (and the reverse for ||).
	for len(vs) > 1 && vs[0].konst {
		if cval(vs[0].b) != and {
			return vs[0]
		}
		vs = vs[1:]
	}
	last := vs[len(vs)-1]
	if len(vs) == 1 {
		return last
	}
	out := value{k: kBool, null: last.null}
	if len(vs) == 2 {
		lb, rb := vs[0].b, vs[1].b
		if and {
			out.b = func(f *frame) (bool, error) {
				x, err := lb(f)
				if err != nil || !x {
					return false, err
				}
				return rb(f)
			}
		} else {
			out.b = func(f *frame) (bool, error) {
				x, err := lb(f)
				if err != nil || x {
					return x, err
				}
				return rb(f)
			}
		}
		return out
	}
	init := make([]eval[bool], len(vs)-1)
	for i, v := range vs[:len(vs)-1] {
		init[i] = v.b
	}
	lb := last.b
	if and {
		out.b = func(f *frame) (bool, error) {
			for _, e := range init {
				if x, err := e(f); err != nil || !x {
					return false, err
				}
			}
			return lb(f)
		}
	} else {
		out.b = func(f *frame) (bool, error) {
			for _, e := range init {
				if x, err := e(f); err != nil || x {
					return x, err
				}
			}
			return lb(f)
		}
	}
	return out
}

// coalesce lowers a ?? b: a unless it is nil.
func (lw *lowerer) coalesce(n *ast.BinaryNode) value {
	l := lw.node(n.Left)
	if l.k == kList && isEmptyList(n.Right) {
		return orEmpty(l)
	}
	if !l.null {
		if l.k > kTime {
			lw.fail("?? on a %s", l.k)
		}
		return l // never nil: the VM does not evaluate b
	}
	r := lw.node(n.Right)
	if l.k == kFloat && r.k == kInt {
		r, _ = looseInt(r)
	}
	if l.k != r.k {
		lw.fail("?? on %s and %s", l.k, r.k)
	}
	out := value{k: l.k, null: r.null, loose: r.loose, lmax: r.lmax}
	switch l.k {
	case kBool:
		out.b = orElse(l.b, r.b)
	case kInt:
		out.i = orElse(l.i, r.i)
	case kFloat:
		out.f = orElse(l.f, r.f)
	case kString:
		out.s = orElse(l.s, r.s)
	case kTime:
		out.t = orElse(l.t, r.t)
	}
	return out
}

// orEmpty lowers list ?? [], the way to read a list that may be missing
// (compliance?.infringements ?? []): the list, or an empty one, not nil,
// when the record holding it is nil or the list itself is, as expr's ??
// takes a nil slice for nil. Every reader of a list sees [] as it sees an
// empty list of the list's own type.
func orEmpty(l value) value {
	addr := l.at.addr()
	base := func(f *frame) (unsafe.Pointer, error) {
		p, err := addr(f)
		if err == errNil || err == nil && (*sliceHeader)(p).data == nil {
			return unsafe.Pointer(&emptyList), nil
		}
		return p, err
	}
	return value{k: kList, rt: l.rt, at: &access{root: fromBase, base: base, hops: []hop{{}}}}
}

// isEmptyList reports whether n is the literal [], as written or as
// expr's optimiser may fold it.
func isEmptyList(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.ArrayNode:
		return len(n.Nodes) == 0
	case *ast.ConstantNode:
		a, ok := n.Value.([]any)
		return ok && len(a) == 0
	}
	return false
}

// emptyList is the header of an empty list that is not nil; it is only
// read.
var emptyList = sliceHeader{data: unsafe.Pointer(&emptyArray)}

func orElse[T any](l, r eval[T]) eval[T] {
	return func(f *frame) (T, error) {
		x, err := l(f)
		if err == errNil {
			return r(f)
		}
		return x, err
	}
}

func (lw *lowerer) conditional(n *ast.ConditionalNode) value {
	c := strict(lw.node(n.Cond))
	if c.k != kBool {
		lw.fail("condition of a %s", c.k)
	}
	a, b := lw.node(n.Exp1), lw.node(n.Exp2)
	if a.k == kFloat && b.k == kInt {
		b, _ = looseInt(b)
	} else if a.k == kInt && b.k == kFloat {
		a, _ = looseInt(a)
	}
	if a.k != b.k || a.k > kTime {
		lw.fail("?: with branches %s and %s", a.k, b.k)
	}
	if c.konst {
		if cval(c.b) {
			return a
		}
		return b
	}
	out := value{k: a.k, null: a.null || b.null, raw: a.raw || b.raw, loose: a.loose || b.loose, lmax: math.Max(a.lmax, b.lmax)}
	cb := c.b
	if a.konst != b.konst {
		switch a.k {
		case kBool:
			out.b = chooseHalf(cb, a.konst, a.b, b.b)
		case kInt:
			out.i = chooseHalf(cb, a.konst, a.i, b.i)
		case kFloat:
			out.f = chooseHalf(cb, a.konst, a.f, b.f)
		case kString:
			out.s = chooseHalf(cb, a.konst, a.s, b.s)
		case kTime:
			out.t = chooseHalf(cb, a.konst, a.t, b.t)
		}
		return out
	}
	if a.konst && b.konst {
		if c.dr != nil && c.dr.root == fromEnv {
			off := c.dr.off
			cb = func(f *frame) (bool, error) { return *(*bool)(unsafe.Add(f.env, off)), nil }
		}
		switch a.k {
		case kBool:
			out.b = chooseConst(cb, cval(a.b), cval(b.b))
		case kInt:
			out.i = chooseConst(cb, cval(a.i), cval(b.i))
		case kFloat:
			out.f = chooseConst(cb, cval(a.f), cval(b.f))
		case kString:
			out.s = chooseConst(cb, cval(a.s), cval(b.s))
		case kTime:
			out.t = chooseConst(cb, cval(a.t), cval(b.t))
		}
		return out
	}
	switch a.k {
	case kBool:
		out.b = choose(cb, a.b, b.b)
	case kInt:
		out.i = choose(cb, a.i, b.i)
	case kFloat:
		out.f = choose(cb, a.f, b.f)
	case kString:
		out.s = choose(cb, a.s, b.s)
	case kTime:
		out.t = choose(cb, a.t, b.t)
	}
	return out
}

// chooseHalf is c ? a : b with one constant branch: the constant is
// returned without a call.
func chooseHalf[T any](c eval[bool], aConst bool, a, b eval[T]) eval[T] {
	if aConst {
		k := cval(a)
		return func(f *frame) (T, error) {
			x, err := c(f)
			if err != nil {
				return k, err
			}
			if x {
				return k, nil
			}
			return b(f)
		}
	}
	k := cval(b)
	return func(f *frame) (T, error) {
		x, err := c(f)
		if err != nil {
			return k, err
		}
		if x {
			return a(f)
		}
		return k, nil
	}
}

func chooseConst[T any](c eval[bool], a, b T) eval[T] {
	return func(f *frame) (T, error) {
		x, err := c(f)
		if x {
			return a, err
		}
		return b, err
	}
}

func choose[T any](c eval[bool], a, b eval[T]) eval[T] {
	return func(f *frame) (T, error) {
		x, err := c(f)
		if err != nil {
			var z T
			return z, err
		}
		if x {
			return a(f)
		}
		return b(f)
	}
}

// equal lowers ==, as runtime.Equal: numbers compare by value across int
// and float, nil equals only nil, values of different types are unequal.
func (lw *lowerer) equal(n *ast.BinaryNode, l, r value, neg bool) value {
	l, r = lw.equalOperands(n, l, r)
	if neg && !l.null && !r.null {
		if b := fuseCompare("!=", l, r); b != nil {
			return value{k: kBool, b: b}
		}
	}
	e := lw.eq(n, l, r)
	if !neg {
		return e
	}
	b := e.b
	return fold(value{k: kBool, b: func(f *frame) (bool, error) {
		x, err := b(f)
		return !x, err
	}}, e)
}

// equalOperands returns the operands of == as the compiler uses them.
func (lw *lowerer) equalOperands(n *ast.BinaryNode, l, r value) (value, value) {
	// The compiler picks OpEqualInt (OpEqualString) from the types the
	// checker recorded, and it fails on anything but two ints (strings):
	// on max(0, 1.5), or on +p with p a nil *int, which the checker types
	// int.
	lk, rk := simpleKind(n.Left.Type()), simpleKind(n.Right.Type())
	switch {
	case lk == reflect.Int && rk == reflect.Int:
		if l.k != kInt || r.k != kInt {
			lw.fail("== typed int on a %s and a %s", l.k, r.k)
		}
		l, r = strict(l), strict(r)
	case lk == reflect.String && rk == reflect.String:
		if l.k != kString || r.k != kString {
			lw.fail("== typed string on a %s and a %s", l.k, r.k)
		}
		l, r = strict(l), strict(r)
	}
	return l, r
}

func (lw *lowerer) eq(n *ast.BinaryNode, l, r value) value {
	if l.k == kNil && r.k == kNil {
		return cBool(true)
	}
	if l.k == kNil || r.k == kNil {
		o := l
		if o.k == kNil {
			o = r
		}
		return value{k: kBool, b: lw.isNil(o)}
	}
	var b eval[bool]
	if !l.null && !r.null {
		b = fuseCompare("==", l, r)
	}
	switch {
	case b != nil:
	case l.k == kInt && r.k == kInt:
		b = eqOp(l.i, r.i, l.null || r.null, l.konst, r.konst)
	case isNum(l) && isNum(r):
		b = eqOp(toFloat(l).f, toFloat(r).f, l.null || r.null, l.konst, r.konst)
	case l.k == kString && r.k == kString:
		b = eqOp(l.s, r.s, l.null || r.null, l.konst, r.konst)
	case l.k == kBool && r.k == kBool:
		b = eqOp(l.b, r.b, l.null || r.null, l.konst, r.konst)
		if l.dr != nil && r.konst && !l.null {
			b = eqDirect(l.dr, cval(r.b), false)
		}
	case l.k == kTime && r.k == kTime:
		b = eqTime(l.t, r.t)
	default:
		lw.fail("== between %s and %s", l.k, r.k)
	}
	return fold(value{k: kBool, b: b}, l, r)
}

// isNil lowers v == nil. Both sides are evaluated, so v's failures stay.
func (lw *lowerer) isNil(v value) eval[bool] {
	switch v.k {
	case kBool:
		return nilTest(v.b)
	case kInt:
		return nilTest(v.i)
	case kFloat:
		return nilTest(v.f)
	case kString:
		return nilTest(v.s)
	case kTime:
		return nilTest(v.t)
	case kRef:
		p := v.ptr
		return func(f *frame) (bool, error) {
			x, err := p(f)
			if err == errNil {
				return true, nil // a?.b of a nil a
			}
			return x == nil, err
		}
	case kList, kMap:
		// A nil slice or map is nil to expr; an empty one is not.
		at := v.at.addr()
		return func(f *frame) (bool, error) {
			p, err := at(f)
			if err != nil {
				return false, err
			}
			return *(*unsafe.Pointer)(p) == nil, nil
		}
	}
	lw.fail("== nil on a %s", v.k)
	return nil
}

func nilTest[T any](e eval[T]) eval[bool] {
	return func(f *frame) (bool, error) {
		_, err := e(f)
		if err == errNil {
			return true, nil
		}
		return false, err
	}
}

func eqOp[T comparable](l, r eval[T], null, lc, rc bool) eval[bool] {
	if null {
		return func(f *frame) (bool, error) {
			x, errx := l(f)
			if errx != nil && errx != errNil {
				return false, errx
			}
			y, erry := r(f)
			if erry != nil && erry != errNil {
				return false, erry
			}
			if errx != nil || erry != nil {
				return errx == erry, nil
			}
			return x == y, nil
		}
	}
	if rc {
		c := cval(r)
		return func(f *frame) (bool, error) {
			x, err := l(f)
			return x == c, err
		}
	}
	if lc {
		c := cval(l)
		return func(f *frame) (bool, error) {
			y, err := r(f)
			return c == y, err
		}
	}
	return func(f *frame) (bool, error) {
		x, err := l(f)
		if err != nil {
			return false, err
		}
		y, err := r(f)
		return x == y, err
	}
}

func eqTime(l, r eval[time.Time]) eval[bool] {
	return func(f *frame) (bool, error) {
		x, errx := l(f)
		if errx != nil && errx != errNil {
			return false, errx
		}
		y, erry := r(f)
		if erry != nil && erry != errNil {
			return false, erry
		}
		if errx != nil || erry != nil {
			return errx == erry, nil
		}
		return x.Equal(y), nil
	}
}

type ordered interface{ ~int | ~float64 | ~string }

// compare lowers <, >, <= and >= on strict operands.
func (lw *lowerer) compare(op string, l, r value) value {
	if b := fuseCompare(op, l, r); b != nil {
		return value{k: kBool, b: b}
	}
	switch {
	case l.k == kInt && r.k == kInt:
		return value{k: kBool, b: cmpOp(op, l.i, r.i, l.konst, r.konst)}
	case isNum(l) && isNum(r):
		return value{k: kBool, b: cmpOp(op, toFloat(l).f, toFloat(r).f, l.konst, r.konst)}
	case l.k == kString && r.k == kString:
		return value{k: kBool, b: cmpOp(op, l.s, r.s, l.konst, r.konst)}
	case l.k == kTime && r.k == kTime:
		return value{k: kBool, b: cmpTime(op, l.t, r.t)}
	case l.k == kDur && r.k == kDur:
		// Durations order against durations only: expr's checker
		// refuses them with numbers.
		return value{k: kBool, b: cmpOp(op, l.i, r.i, l.konst, r.konst)}
	}
	lw.fail("%s between %s and %s", op, l.k, r.k)
	return value{}
}

func cmpOp[T ordered](op string, l, r eval[T], lc, rc bool) eval[bool] {
	if rc {
		c := cval(r)
		switch op {
		case "<":
			return func(f *frame) (bool, error) { x, err := l(f); return x < c, err }
		case ">":
			return func(f *frame) (bool, error) { x, err := l(f); return x > c, err }
		case "<=":
			return func(f *frame) (bool, error) { x, err := l(f); return x <= c, err }
		default:
			return func(f *frame) (bool, error) { x, err := l(f); return x >= c, err }
		}
	}
	if lc {
		c := cval(l)
		switch op {
		case "<":
			return func(f *frame) (bool, error) { y, err := r(f); return c < y, err }
		case ">":
			return func(f *frame) (bool, error) { y, err := r(f); return c > y, err }
		case "<=":
			return func(f *frame) (bool, error) { y, err := r(f); return c <= y, err }
		default:
			return func(f *frame) (bool, error) { y, err := r(f); return c >= y, err }
		}
	}
	switch op {
	case "<":
		return func(f *frame) (bool, error) {
			x, err := l(f)
			if err != nil {
				return false, err
			}
			y, err := r(f)
			return x < y, err
		}
	case ">":
		return func(f *frame) (bool, error) {
			x, err := l(f)
			if err != nil {
				return false, err
			}
			y, err := r(f)
			return x > y, err
		}
	case "<=":
		return func(f *frame) (bool, error) {
			x, err := l(f)
			if err != nil {
				return false, err
			}
			y, err := r(f)
			return x <= y, err
		}
	}
	return func(f *frame) (bool, error) {
		x, err := l(f)
		if err != nil {
			return false, err
		}
		y, err := r(f)
		return x >= y, err
	}
}

func cmpTime(op string, l, r eval[time.Time]) eval[bool] {
	var test func(x, y time.Time) bool
	switch op {
	case "<":
		test = time.Time.Before
	case ">":
		test = time.Time.After
	case "<=":
		test = func(x, y time.Time) bool { return x.Before(y) || x.Equal(y) }
	default:
		test = func(x, y time.Time) bool { return x.After(y) || x.Equal(y) }
	}
	return func(f *frame) (bool, error) {
		x, err := l(f)
		if err != nil {
			return false, err
		}
		y, err := r(f)
		if err != nil {
			return false, err
		}
		return test(x, y), nil
	}
}

// arith lowers +, - and * on strict operands: int with int gives an int,
// any float makes a float, strings concatenate.
func (lw *lowerer) arith(op string, l, r value) value {
	switch {
	case l.k == kInt && r.k == kInt:
		return value{k: kInt, i: intArith(op, l, r)}
	case isNum(l) && isNum(r):
		if l.loose && !(r.k == kFloat && !r.loose) || r.loose && !(l.k == kFloat && !l.loose) {
			return lw.looseArith(op, l, r)
		}
		if !l.konst && !r.konst && l.k != r.k {
			// float op int (or int op float) in one closure, without
			// one for the conversion.
			return value{k: kFloat, f: mixedArith(op, l, r)}
		}
		return value{k: kFloat, f: floatArith(op, toFloat(l), toFloat(r))}
	case op == "+" && l.k == kString && r.k == kString:
		return value{k: kString, s: concat(l.s, r.s)}
	case op == "-" && l.k == kTime && r.k == kTime:
		return value{k: kDur, i: both(l.t, r.t, timeSub)}
	}
	lw.fail("%s between %s and %s", op, l.k, r.k)
	return value{}
}

type number interface{ ~int | ~float64 }

// looseArith lowers l op r with a loose operand and the other an int
// constant or loose too: when both are ints the VM computes an int, here
// a float. The two agree, zero's sign included, for + and -, and for *
// by a positive constant, as long as the ints stay exact as floats.
func (lw *lowerer) looseArith(op string, l, r value) value {
	bound := func(v value) float64 {
		if v.loose {
			return v.lmax
		}
		if v.k != kInt || !v.konst {
			lw.fail("%s between a loose number and a %s", op, v.k)
		}
		return math.Abs(float64(cval(v.i)))
	}
	a, b := bound(l), bound(r)
	var lmax float64
	switch op {
	case "+", "-":
		lmax = a + b
	case "*":
		c := r
		if !r.konst {
			c = l
		}
		if !c.konst || c.k != kInt || cval(c.i) <= 0 {
			lw.fail("* of a loose number by something else than a positive constant")
		}
		lmax = a * b
	default:
		lw.fail("%s of a loose number", op)
	}
	if lmax >= 1<<53 {
		lw.fail("%s of loose numbers past 2^53", op)
	}
	v := value{k: kFloat, f: floatArith(op, toFloat(l), toFloat(r))}
	v.loose, v.lmax = true, lmax
	return v
}

// concat is a + b on strings, within the memory budget.
func concat(a, b eval[string]) eval[string] {
	return func(f *frame) (string, error) {
		x, err := a(f)
		if err != nil {
			return "", err
		}
		y, err := b(f)
		if err != nil {
			return "", err
		}
		if err := f.alloc(len(x) + len(y)); err != nil {
			return "", err
		}
		return x + y, nil
	}
}

// modulo fails on a zero divisor, where Go, and so the VM, panics.
func modulo(l, r eval[int]) eval[int] {
	return func(f *frame) (int, error) {
		x, err := l(f)
		if err != nil {
			return 0, err
		}
		y, err := r(f)
		if err != nil {
			return 0, err
		}
		if y == 0 {
			return 0, errFail
		}
		return x % y, nil
	}
}

// strings lowers contains, startsWith and endsWith: a nil operand makes
// them false, not a failure.
func (lw *lowerer) strings(op string, l, r value) value {
	if l.k != kString || r.k != kString {
		lw.fail("%s on %s and %s", op, l.k, r.k)
	}
	var test func(s, t string) bool
	switch op {
	case "contains":
		test = strings.Contains
	case "startsWith":
		test = strings.HasPrefix
	default:
		test = strings.HasSuffix
	}
	a, b := l.s, r.s
	return fold(value{k: kBool, b: func(f *frame) (bool, error) {
		x, errx := a(f)
		if errx != nil && errx != errNil {
			return false, errx
		}
		y, erry := b(f)
		if erry != nil && erry != errNil {
			return false, erry
		}
		if errx != nil || erry != nil {
			return false, nil
		}
		return test(x, y), nil
	}}, l, r)
}

// matches lowers s matches "literal"; the compiler compiles the pattern
// once, so does this.
func (lw *lowerer) matches(n *ast.BinaryNode) value {
	pat, ok := n.Right.(*ast.StringNode)
	if !ok {
		lw.fail("matches with a computed pattern")
	}
	re, err := regexp.Compile(pat.Value)
	if err != nil {
		lw.fail("bad pattern")
	}
	l := lw.node(n.Left)
	if l.k != kString {
		lw.fail("matches on a %s", l.k)
	}
	s := l.s
	return value{k: kBool, b: func(f *frame) (bool, error) {
		x, err := s(f)
		if err == errNil {
			return false, nil
		}
		return re.MatchString(x), err
	}}
}

// in lowers x in y, as runtime.In: membership by runtime.Equal in a list,
// by key in a set or a map.
func (lw *lowerer) in(l, r value, neg bool) value {
	if r.k == kSet {
		if v, ok := lw.smallSet(l, r.c, neg); ok {
			return v
		}
	}
	v := lw.in1(l, r)
	if !neg {
		return v
	}
	b := v.b
	return fold(value{k: kBool, b: func(f *frame) (bool, error) {
		x, err := b(f)
		return !x, err
	}}, v)
}

func (lw *lowerer) in1(l, r value) value {
	switch r.k {
	case kSet:
		return lw.inSet(l, r.c)
	case kArray:
		return lw.inArray(l, r.c.([]any))
	case kList:
		return lw.inList(l, r)
	case kMap:
		if l.k != kString {
			lw.fail("in on a map with a %s key", l.k)
		}
		return lw.inMap(l, r)
	}
	lw.fail("in on a %s", r.k)
	return value{}
}

// smallSet lowers x in a set of at most 8 elements as a scan.
func (lw *lowerer) smallSet(l value, set any, neg bool) (value, bool) {
	switch s := set.(type) {
	case map[string]struct{}:
		if l.k == kString && len(s) <= 8 {
			keys := make([]string, 0, len(s))
			for k := range s {
				keys = append(keys, k)
			}
			return fold(value{k: kBool, b: smallSet(l, keys, neg)}, l), true
		}
	case map[int]struct{}:
		if l.k == kInt && len(s) <= 8 {
			keys := make([]int, 0, len(s))
			for k := range s {
				keys = append(keys, k)
			}
			return fold(value{k: kBool, b: smallSet(l, keys, neg)}, l), true
		}
	}
	return value{}, false
}

func (lw *lowerer) inSet(l value, set any) value {
	// A nil needle looks up the zero key.
	switch s := set.(type) {
	case map[string]struct{}:
		if l.k == kString {
			e := l.s
			return fold(value{k: kBool, b: func(f *frame) (bool, error) {
				x, err := e(f)
				if err != nil && err != errNil {
					return false, err
				}
				_, ok := s[x]
				return ok, nil
			}}, l)
		}
	case map[int]struct{}:
		if l.k == kInt {
			e := l.i
			return fold(value{k: kBool, b: func(f *frame) (bool, error) {
				x, err := e(f)
				if err != nil && err != errNil {
					return false, err
				}
				_, ok := s[x]
				return ok, nil
			}}, l)
		}
	}
	lw.fail("in on a set of %T with a %s", set, l.k)
	return value{}
}

func (lw *lowerer) inArray(l value, arr []any) value {
	var strs []string
	var ints []int
	var floats []float64
	var bools []bool
	for _, e := range arr {
		switch x := e.(type) {
		case string:
			strs = append(strs, x)
		case int:
			ints = append(ints, x)
		case float64:
			floats = append(floats, x)
		case bool:
			bools = append(bools, x)
		}
	}
	// runtime.Equal compares two ints as ints, an int and a float as
	// float64s.
	var b eval[bool]
	switch l.k {
	case kString:
		b = inConsts(l.s, strs)
	case kInt:
		b = memberNum(l.i, ints, floats)
	case kFloat:
		for _, x := range ints {
			floats = append(floats, float64(x))
		}
		b = inConsts(l.f, floats)
	case kBool:
		b = inConsts(l.b, bools)
	default:
		lw.fail("in on an array with a %s", l.k)
	}
	return fold(value{k: kBool, b: b}, l)
}

func memberNum(e eval[int], ints []int, floats []float64) eval[bool] {
	return func(f *frame) (bool, error) {
		x, err := e(f)
		if err != nil {
			if err == errNil {
				return false, nil
			}
			return false, err
		}
		for _, s := range ints {
			if s == x {
				return true, nil
			}
		}
		for _, s := range floats {
			if s == float64(x) {
				return true, nil
			}
		}
		return false, nil
	}
}

func inConsts[T comparable](e eval[T], set []T) eval[bool] {
	return func(f *frame) (bool, error) {
		x, err := e(f)
		if err != nil {
			if err == errNil {
				return false, nil
			}
			return false, err
		}
		for _, s := range set {
			if s == x {
				return true, nil
			}
		}
		return false, nil
	}
}

func (lw *lowerer) inList(l, r value) value {
	et := r.rt.Elem()
	hdr := r.at.addr()
	ek := scalarKind(et)
	var b eval[bool]
	switch {
	case ek == kString && l.k == kString:
		b = inSlice(l.s, hdr)
	case ek == kInt && l.k == kInt:
		b = inSlice(l.i, hdr)
	case ek == kFloat && isNum(l):
		b = inSlice(toFloat(l).f, hdr)
	case ek == kInt && l.k == kFloat:
		b = inIntsByFloat(l.f, hdr)
	case ek == kBool && l.k == kBool:
		b = inSlice(l.b, hdr)
	default:
		lw.fail("in on a list of %s with a %s", et, l.k)
	}
	return value{k: kBool, b: b}
}

func inSlice[T comparable](e eval[T], hdr eval[unsafe.Pointer]) eval[bool] {
	return func(f *frame) (bool, error) {
		x, errx := e(f)
		if errx != nil && errx != errNil {
			return false, errx
		}
		h, err := hdr(f)
		if err != nil || errx != nil {
			return false, err // a nil needle is in no list of values
		}
		if err := f.bud.step((*sliceHeader)(h).len); err != nil {
			return false, err
		}
		for _, s := range *(*[]T)(h) {
			if s == x {
				return true, nil
			}
		}
		return false, nil
	}
}

func inIntsByFloat(e eval[float64], hdr eval[unsafe.Pointer]) eval[bool] {
	return func(f *frame) (bool, error) {
		x, errx := e(f)
		if errx != nil && errx != errNil {
			return false, errx
		}
		h, err := hdr(f)
		if err != nil || errx != nil {
			return false, err
		}
		if err := f.bud.step((*sliceHeader)(h).len); err != nil {
			return false, err
		}
		for _, s := range *(*[]int)(h) {
			if float64(s) == x {
				return true, nil
			}
		}
		return false, nil
	}
}

func (lw *lowerer) inMap(l, r value) value {
	at := r.at.addr()
	var has func(p unsafe.Pointer, key string) bool
	switch r.rt {
	case mapOfString:
		has = func(p unsafe.Pointer, k string) bool { _, ok := (*(*map[string]string)(p))[k]; return ok }
	case mapOfInt:
		has = func(p unsafe.Pointer, k string) bool { _, ok := (*(*map[string]int)(p))[k]; return ok }
	case mapOfFloat:
		has = func(p unsafe.Pointer, k string) bool { _, ok := (*(*map[string]float64)(p))[k]; return ok }
	case mapOfBool:
		has = func(p unsafe.Pointer, k string) bool { _, ok := (*(*map[string]bool)(p))[k]; return ok }
	default:
		lw.fail("in on a map of %s", r.rt.Elem())
	}
	e := l.s
	return value{k: kBool, b: func(f *frame) (bool, error) {
		x, errx := e(f)
		if errx != nil && errx != errNil {
			return false, errx
		}
		p, err := at(f)
		if err != nil {
			return false, err
		}
		return has(p, x), nil // a nil needle looks up ""
	}}
}
