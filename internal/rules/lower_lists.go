package rules

import (
	"reflect"
	"sort"
	"strconv"
	"time"
	"unsafe"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
)

// Lowering of let, of the lists a rule builds (filter, map, ranges,
// sort...) and of the builtins that read lists (first, last, find,
// reduce, mean...).
//
// A list a rule builds is a kList like a list field: its access reaches
// a slice header, kept in one of the frame's header slots (each node
// that builds a list has its own), over elements kept in the frame's
// arenas. A list of records is built as a list of pointers to them, which
// every consumer reads as the VM reads the records themselves. Building
// costs what the guarded VM charges: the input's length in steps, the
// result's 16 bytes an element in memory.

// A letVar is a let variable in scope.
type letVar struct {
	name string
	v    value
}

// let lowers "let name = value; expr": the value is computed first, as
// the VM stores it, then the body reads it from a slot.
func (lw *lowerer) let(n *ast.VariableDeclaratorNode) value {
	v := lw.node(n.Value)
	bound, store := lw.bind(v)
	lw.vars = append(lw.vars, letVar{name: n.Name, v: bound})
	body := lw.node(n.Expr)
	lw.vars = lw.vars[:len(lw.vars)-1]
	if store == nil {
		return body
	}
	return then(store, body)
}

// bind returns the value a variable holding v reads, and the closure that
// computes v and stores it; nil for a constant, which is read as it is.
func (lw *lowerer) bind(v value) (value, func(*frame) error) {
	if v.konst || v.k == kSet || v.k == kArray || v.k == kNil {
		return v, nil
	}
	out := v
	out.dr, out.konst = nil, false
	nullSlot := -1
	if v.null {
		nullSlot = lw.slots.n
		lw.slots.n++
	}
	switch v.k {
	case kBool:
		k := lw.slots.b
		lw.slots.b++
		out.b = slotRead(k, nullSlot, func(f *frame) []bool { return f.vb })
		return out, slotStore(v.b, k, nullSlot, func(f *frame) []bool { return f.vb })
	case kInt:
		k := lw.slots.i
		lw.slots.i++
		out.i = slotRead(k, nullSlot, func(f *frame) []int { return f.vi })
		return out, slotStore(v.i, k, nullSlot, func(f *frame) []int { return f.vi })
	case kFloat:
		k := lw.slots.f
		lw.slots.f++
		out.f = slotRead(k, nullSlot, func(f *frame) []float64 { return f.vf })
		return out, slotStore(v.f, k, nullSlot, func(f *frame) []float64 { return f.vf })
	case kString:
		k := lw.slots.s
		lw.slots.s++
		out.s = slotRead(k, nullSlot, func(f *frame) []string { return f.vs })
		return out, slotStore(v.s, k, nullSlot, func(f *frame) []string { return f.vs })
	case kTime:
		k := lw.slots.t
		lw.slots.t++
		out.t = slotRead(k, nullSlot, func(f *frame) []time.Time { return f.vt })
		return out, slotStore(v.t, k, nullSlot, func(f *frame) []time.Time { return f.vt })
	case kRef:
		k := lw.slots.p
		lw.slots.p++
		ptr := v.ptr
		read := func(f *frame) (unsafe.Pointer, error) { return f.vp[k], nil }
		out.ptr, out.at = read, &access{root: fromBase, base: read, hops: []hop{{}}}
		return out, func(f *frame) error {
			p, err := ptr(f)
			f.vp[k] = p
			return err
		}
	case kList, kMap:
		k := lw.slots.p
		lw.slots.p++
		at := v.at.addr()
		read := func(f *frame) (unsafe.Pointer, error) { return f.vp[k], nil }
		out.at = &access{root: fromBase, base: read, hops: []hop{{}}}
		return out, func(f *frame) error {
			p, err := at(f)
			f.vp[k] = p
			return err
		}
	}
	lw.fail("let of a %s", v.k)
	return value{}, nil
}

func slotRead[T any](k, null int, slots func(*frame) []T) eval[T] {
	if null < 0 {
		return func(f *frame) (T, error) { return slots(f)[k], nil }
	}
	return func(f *frame) (T, error) {
		if f.vn[null] {
			var z T
			return z, errNil
		}
		return slots(f)[k], nil
	}
}

func slotStore[T any](e eval[T], k, null int, slots func(*frame) []T) func(*frame) error {
	if null < 0 {
		return func(f *frame) error {
			x, err := e(f)
			slots(f)[k] = x
			return err
		}
	}
	return func(f *frame) error {
		x, err := e(f)
		f.vn[null] = err == errNil
		if err == errNil {
			return nil
		}
		slots(f)[k] = x
		return err
	}
}

// then returns body, run after first.
func then(first func(*frame) error, body value) value {
	out := body
	out.konst, out.dr = false, nil
	switch body.k {
	case kBool:
		out.b = after(first, body.b)
	case kInt:
		out.i = after(first, body.i)
	case kFloat:
		out.f = after(first, body.f)
	case kString:
		out.s = after(first, body.s)
	case kTime:
		out.t = after(first, body.t)
	case kRef:
		out.ptr = after(first, body.ptr)
		a := body.at.addr()
		out.at = &access{root: fromBase, base: after(first, a), hops: []hop{{}}}
	case kList, kMap:
		a := body.at.addr()
		out.at = &access{root: fromBase, base: after(first, a), hops: []hop{{}}}
	default:
		panic(unsupported{"let whose body is a " + body.k.String()})
	}
	return out
}

func after[T any](first func(*frame) error, e eval[T]) eval[T] {
	return func(f *frame) (T, error) {
		if err := first(f); err != nil {
			var z T
			return z, err
		}
		return e(f)
	}
}

// ---------------------------------------------------------------- lists built

// built returns a list of element type et whose header build computes,
// kept in a header slot of its own.
func (lw *lowerer) built(et reflect.Type, build func(*frame) (sliceHeader, error)) value {
	slot := lw.slots.h
	lw.slots.h++
	base := func(f *frame) (unsafe.Pointer, error) {
		h, err := build(f)
		if err != nil {
			return nil, err
		}
		f.vh[slot] = h
		return unsafe.Pointer(&f.vh[slot]), nil
	}
	return value{k: kList, rt: reflect.SliceOf(et), at: &access{root: fromBase, base: base, hops: []hop{{}}}}
}

// elemOf returns the type of the elements of the list of records or
// scalars as a built list holds them: a pointer for a record.
func elemOf(et reflect.Type) reflect.Type {
	if isRecord(et) {
		return reflect.PointerTo(et)
	}
	return et
}

// appender returns a function that appends the element at p (of type
// et, read from a loop) to an arena reservation made by reserveFor.
type appender struct {
	reserve func(f *frame, n int) int
	put     func(f *frame, start, k int, p unsafe.Pointer)
	trim    func(f *frame, start, n, k int)
	header  func(f *frame, start, k int) sliceHeader
}

// arenaOf returns the arena operations for elements of type et as built
// lists hold them (see elemOf), or false.
func arenaOf(et reflect.Type) (appender, bool) {
	switch {
	case et.Kind() == reflect.Pointer && isRecord(et.Elem()):
		return appender{
			reserve: func(f *frame, n int) int { return reserve(&f.ap, n) },
			put:     func(f *frame, start, k int, p unsafe.Pointer) { f.ap[start+k] = p },
			trim:    func(f *frame, start, n, k int) { trim(&f.ap, start, n, k) },
			header:  func(f *frame, start, k int) sliceHeader { return header(f.ap, start, k) },
		}, true
	}
	switch scalarKind(et) {
	case kInt:
		return arenaFor(func(f *frame) *[]int { return &f.ai }), true
	case kFloat:
		return arenaFor(func(f *frame) *[]float64 { return &f.af }), true
	case kString:
		return arenaFor(func(f *frame) *[]string { return &f.as }), true
	case kBool:
		return arenaFor(func(f *frame) *[]bool { return &f.ab }), true
	case kTime:
		return arenaFor(func(f *frame) *[]time.Time { return &f.at }), true
	}
	return appender{}, false
}

func arenaFor[T any](a func(*frame) *[]T) appender {
	return appender{
		reserve: func(f *frame, n int) int { return reserve(a(f), n) },
		put:     func(f *frame, start, k int, p unsafe.Pointer) { (*a(f))[start+k] = *(*T)(p) },
		trim:    func(f *frame, start, n, k int) { trim(a(f), start, n, k) },
		header:  func(f *frame, start, k int) sliceHeader { return header(*a(f), start, k) },
	}
}

// asList returns v as a list: a list already, or a constant array of
// elements of one scalar type.
func (lw *lowerer) asList(v value) value {
	if v.k == kList {
		return v
	}
	if v.k != kArray {
		lw.fail("builtin over a %s", v.k)
	}
	arr := v.c.([]any)
	if len(arr) == 0 {
		lw.fail("builtin over an empty array")
	}
	var list any
	switch arr[0].(type) {
	case string:
		list = constSlice[string](lw, arr)
	case int:
		list = constSlice[int](lw, arr)
	case float64:
		list = constSlice[float64](lw, arr)
	case bool:
		list = constSlice[bool](lw, arr)
	default:
		lw.fail("array of %T", arr[0])
	}
	hdr := new(sliceHeader)
	*hdr = *(*sliceHeader)((*eface)(unsafe.Pointer(&list)).data)
	keep := list // the array the header points to
	base := func(*frame) (unsafe.Pointer, error) {
		_ = keep
		return unsafe.Pointer(hdr), nil
	}
	return value{k: kList, rt: reflect.TypeOf(list), at: &access{root: fromBase, base: base, hops: []hop{{}}}}
}

func constSlice[T any](lw *lowerer, arr []any) []T {
	out := make([]T, len(arr))
	for i, x := range arr {
		y, ok := x.(T)
		if !ok {
			lw.fail("array of mixed types")
		}
		out[i] = y
	}
	return out
}

// filter lowers filter(l, p), and filter(l, p) | map(m), which expr's
// optimiser folds into one node.
func (lw *lowerer) filter(n *ast.BuiltinNode) value {
	l, lo := lw.list(n.Arguments[0])
	pred := strict(lw.predicate(l, n.Arguments[1]))
	if pred.k != kBool {
		lw.fail("filter by a %s", pred.k)
	}
	p := pred.b
	if n.Map != nil {
		return lw.mapped(l, lo, p, n.Map)
	}
	et := elemOf(l.rt.Elem())
	ar, ok := arenaOf(et)
	if !ok {
		lw.fail("filter of a list of %s", l.rt.Elem())
	}
	return lw.built(et, func(f *frame) (sliceHeader, error) {
		h, err := lo.hdr(f)
		if err != nil {
			return sliceHeader{}, err
		}
		s := *(*sliceHeader)(h)
		if err := f.bud.step(s.len); err != nil {
			return sliceHeader{}, err
		}
		start := ar.reserve(f, s.len)
		item, index := f.item, f.index
		k := 0
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			ok, err := p(f)
			if err != nil {
				f.item, f.index = item, index
				return sliceHeader{}, err
			}
			if ok {
				ar.put(f, start, k, f.item)
				k++
			}
		}
		f.item, f.index = item, index
		ar.trim(f, start, s.len, k)
		if err := f.alloc(k * elemBytes); err != nil {
			return sliceHeader{}, err
		}
		return ar.header(f, start, k), nil
	})
}

// mapped lowers map(l, m), and filter(l, p) | map(m) when p is not nil.
func (lw *lowerer) mapped(l value, lo *loop, p eval[bool], m ast.Node) value {
	if _, ok := m.(*ast.PredicateNode); !ok {
		m = &ast.PredicateNode{Node: m} // filter's Map is the body of map's predicate
	}
	v := strict(lw.predicate(l, m))
	if v.loose {
		lw.fail("map to loose numbers")
	}
	var et reflect.Type
	var put func(f *frame, start, k int) error
	switch v.k {
	case kInt:
		et = intType
		e := v.i
		put = func(f *frame, start, k int) error { x, err := e(f); f.ai[start+k] = x; return err }
	case kFloat:
		et = floatType
		e := v.f
		put = func(f *frame, start, k int) error { x, err := e(f); f.af[start+k] = x; return err }
	case kString:
		et = stringType
		e := v.s
		put = func(f *frame, start, k int) error { x, err := e(f); f.as[start+k] = x; return err }
	case kBool:
		et = boolType
		e := v.b
		put = func(f *frame, start, k int) error { x, err := e(f); f.ab[start+k] = x; return err }
	case kTime:
		et = timeType
		e := v.t
		put = func(f *frame, start, k int) error { x, err := e(f); f.at[start+k] = x; return err }
	case kRef:
		et = reflect.PointerTo(v.rt)
		e := v.ptr
		put = func(f *frame, start, k int) error { x, err := e(f); f.ap[start+k] = x; return err }
	default:
		lw.fail("map to a %s", v.k)
	}
	ar, _ := arenaOf(et)
	return lw.built(et, func(f *frame) (sliceHeader, error) {
		h, err := lo.hdr(f)
		if err != nil {
			return sliceHeader{}, err
		}
		s := *(*sliceHeader)(h)
		if err := f.bud.step(s.len); err != nil {
			return sliceHeader{}, err
		}
		start := ar.reserve(f, s.len)
		item, index := f.item, f.index
		k := 0
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			if p != nil {
				ok, err := p(f)
				if err != nil {
					f.item, f.index = item, index
					return sliceHeader{}, err
				}
				if !ok {
					continue
				}
			}
			if err := put(f, start, k); err != nil {
				f.item, f.index = item, index
				return sliceHeader{}, err
			}
			k++
		}
		f.item, f.index = item, index
		ar.trim(f, start, s.len, k)
		if err := f.alloc(k * elemBytes); err != nil {
			return sliceHeader{}, err
		}
		return ar.header(f, start, k), nil
	})
}

// element returns the value of the element of list l at the index pick
// gives (-1: none, and the value is nil), read as the VM reads what
// first, last and find return.
func (lw *lowerer) element(l value, pick func(f *frame, s sliceHeader, lo *loop) (int, error)) value {
	et := l.rt.Elem()
	lo := &loop{hdr: l.at.addr(), size: et.Size(), ind: et.Kind() == reflect.Pointer}
	elem := func(f *frame) (unsafe.Pointer, error) {
		h, err := lo.hdr(f)
		if err != nil {
			return nil, err
		}
		s := *(*sliceHeader)(h)
		i, err := pick(f, s, lo)
		if err != nil || i < 0 {
			return nil, err
		}
		return unsafe.Add(s.data, uintptr(i)*lo.size), nil
	}
	if lo.ind || isRecord(et) {
		ptr := elem
		if lo.ind {
			ptr = func(f *frame) (unsafe.Pointer, error) {
				p, err := elem(f)
				if p == nil || err != nil {
					return nil, err
				}
				return *(*unsafe.Pointer)(p), nil
			}
		}
		rt := et
		if lo.ind {
			rt = et.Elem()
		}
		return value{k: kRef, rt: rt, ptr: ptr, at: &access{root: fromBase, base: ptr, hops: []hop{{}}}}
	}
	nullable := func(f *frame) (unsafe.Pointer, error) {
		p, err := elem(f)
		if err == nil && p == nil {
			return nil, errNil
		}
		return p, err
	}
	v := lw.field(&access{root: fromBase, base: nullable, hops: []hop{{}}}, et)
	v.null, v.dr = true, nil
	return v
}

// find returns the index of the first (or last) element p holds for.
func find(p eval[bool], last bool) func(f *frame, s sliceHeader, lo *loop) (int, error) {
	return func(f *frame, s sliceHeader, lo *loop) (int, error) {
		if err := f.bud.step(s.len); err != nil {
			return 0, err
		}
		item, index := f.item, f.index
		defer func() { f.item, f.index = item, index }()
		for j := 0; j < s.len; j++ {
			i := j
			if last {
				i = s.len - 1 - j
			}
			f.item, f.index = lo.at(s.data, i), i
			ok, err := p(f)
			if err != nil {
				return 0, err
			}
			if ok {
				return i, nil
			}
		}
		return -1, nil
	}
}

// listBuiltin lowers the builtins over lists beyond the quantifiers,
// count and sum; ok is false for a builtin it does not cover.
func (lw *lowerer) listBuiltin(n *ast.BuiltinNode) (value, bool) {
	args := n.Arguments
	switch n.Name {
	case "filter":
		return lw.filter(n), true
	case "map":
		l, lo := lw.list(args[0])
		return lw.mapped(l, lo, nil, args[1]), true
	case "first", "last":
		l := lw.asList(lw.node(args[0]))
		last := n.Name == "last"
		return lw.element(l, func(f *frame, s sliceHeader, lo *loop) (int, error) {
			switch {
			case s.len == 0:
				return -1, nil
			case last:
				return s.len - 1, nil
			}
			return 0, nil
		}), true
	case "find", "findLast":
		l, _ := lw.list(args[0])
		pred := strict(lw.predicate(l, args[1]))
		if pred.k != kBool {
			lw.fail("find by a %s", pred.k)
		}
		return lw.element(l, find(pred.b, n.Name == "findLast")), true
	case "findIndex", "findLastIndex":
		l, lo := lw.list(args[0])
		pred := strict(lw.predicate(l, args[1]))
		if pred.k != kBool {
			lw.fail("find by a %s", pred.k)
		}
		pick := find(pred.b, n.Name == "findLastIndex")
		// Not found is nil, not -1.
		return value{k: kInt, null: true, i: func(f *frame) (int, error) {
			h, err := lo.hdr(f)
			if err != nil {
				return 0, err
			}
			i, err := pick(f, *(*sliceHeader)(h), lo)
			if err == nil && i < 0 {
				return 0, errNil
			}
			return i, err
		}}, true
	case "take":
		l := lw.asList(lw.node(args[0]))
		cnt := strict(lw.node(args[1]))
		if cnt.k != kInt {
			lw.fail("take of a %s", cnt.k)
		}
		at, c := l.at.addr(), cnt.i
		return lw.built(l.rt.Elem(), func(f *frame) (sliceHeader, error) {
			h, err := at(f)
			if err != nil {
				return sliceHeader{}, err
			}
			s := *(*sliceHeader)(h)
			if err := f.bud.step(s.len); err != nil {
				return sliceHeader{}, err
			}
			k, err := c(f)
			if err != nil {
				return sliceHeader{}, err
			}
			if k < 0 {
				return sliceHeader{}, errFail
			}
			s.len, s.cap = min(k, s.len), min(k, s.len)
			return s, f.alloc(s.len * elemBytes)
		}), true
	case "reverse":
		l := lw.asList(lw.node(args[0]))
		return lw.rebuilt(l, func(f *frame, s sliceHeader, lo *loop, put func(i int)) {
			for i := s.len - 1; i >= 0; i-- {
				put(i)
			}
		}), true
	case "sort":
		if len(args) != 1 {
			lw.fail("sort with an order")
		}
		l := lw.asList(lw.node(args[0]))
		et := l.rt.Elem()
		k := scalarKind(et)
		if k != kInt && k != kFloat && k != kString {
			lw.fail("sort of a list of %s", et)
		}
		built := lw.rebuilt(l, func(f *frame, s sliceHeader, lo *loop, put func(i int)) {
			for i := 0; i < s.len; i++ {
				put(i)
			}
		})
		at := built.at.addr()
		return lw.built(et, func(f *frame) (sliceHeader, error) {
			h, err := at(f)
			if err != nil {
				return sliceHeader{}, err
			}
			s := *(*sliceHeader)(h)
			sortScalars(k, s)
			return s, nil
		}), true
	case "uniq":
		return lw.uniq(lw.asList(lw.node(args[0]))), true
	case "sortBy":
		return lw.sortBy(n), true
	case "concat":
		return lw.concat(args), true
	case "mean", "median":
		if len(args) != 1 {
			lw.fail("%s of several arguments", n.Name)
		}
		l := lw.asList(lw.node(args[0]))
		return value{k: kFloat, f: aggregate(l, n.Name == "median")}, true
	case "reduce":
		return lw.reduce(n), true
	case "keys", "values":
		m := lw.node(args[0])
		if m.k != kMap || m.rt != mapOfString {
			lw.fail("%s of a %s", n.Name, m.k)
		}
		at, keys := m.at.addr(), n.Name == "keys"
		return lw.built(stringType, func(f *frame) (sliceHeader, error) {
			p, err := at(f)
			if err != nil {
				return sliceHeader{}, err
			}
			mm := *(*map[string]string)(p)
			if err := f.bud.step(len(mm)); err != nil {
				return sliceHeader{}, err
			}
			start := reserve(&f.as, len(mm))
			k := 0
			for key, val := range mm {
				if keys {
					f.as[start+k] = key
				} else {
					f.as[start+k] = val
				}
				k++
			}
			return header(f.as, start, k), f.alloc(k * elemBytes)
		}), true
	}
	return value{}, false
}

// rebuilt lowers a builtin that builds a list of l's elements in another
// order: order calls put with the index of each element to keep.
func (lw *lowerer) rebuilt(l value, order func(f *frame, s sliceHeader, lo *loop, put func(i int))) value {
	et := l.rt.Elem()
	lo := &loop{hdr: l.at.addr(), size: et.Size(), ind: et.Kind() == reflect.Pointer}
	out := elemOf(et)
	ar, ok := arenaOf(out)
	if !ok {
		lw.fail("list of %s", et)
	}
	return lw.built(out, func(f *frame) (sliceHeader, error) {
		h, err := lo.hdr(f)
		if err != nil {
			return sliceHeader{}, err
		}
		s := *(*sliceHeader)(h)
		if err := f.bud.step(s.len); err != nil {
			return sliceHeader{}, err
		}
		start := ar.reserve(f, s.len)
		k := 0
		order(f, s, lo, func(i int) {
			ar.put(f, start, k, lo.at(s.data, i))
			k++
		})
		ar.trim(f, start, s.len, k)
		return ar.header(f, start, k), f.alloc(k * elemBytes)
	})
}

func sortScalars(k kind, s sliceHeader) {
	switch k {
	case kInt:
		sort.Ints(unsafe.Slice((*int)(s.data), s.len))
	case kFloat:
		sort.Float64s(unsafe.Slice((*float64)(s.data), s.len))
	case kString:
		sort.Strings(unsafe.Slice((*string)(s.data), s.len))
	}
}

// uniq lowers uniq(l) on a list of scalars: the first of equal elements,
// in order.
func (lw *lowerer) uniq(l value) value {
	et := l.rt.Elem()
	switch scalarKind(et) {
	case kInt:
		return lw.rebuilt(l, uniqOrder[int]())
	case kString:
		return lw.rebuilt(l, uniqOrder[string]())
	case kBool:
		return lw.rebuilt(l, uniqOrder[bool]())
	}
	lw.fail("uniq of a list of %s", et)
	return value{}
}

func uniqOrder[T comparable]() func(f *frame, s sliceHeader, lo *loop, put func(i int)) {
	return func(f *frame, s sliceHeader, lo *loop, put func(i int)) {
		xs := unsafe.Slice((*T)(s.data), s.len)
		for i, x := range xs {
			seen := false
			for _, y := range xs[:i] {
				if x == y {
					seen = true
					break
				}
			}
			if !seen {
				put(i)
			}
		}
	}
}

// concat lowers concat(a, b...) of lists of one element type.
func (lw *lowerer) concat(args []ast.Node) value {
	var lists []value
	var et reflect.Type
	for _, a := range args {
		l := lw.asList(lw.node(a))
		if et != nil && l.rt.Elem() != et {
			lw.fail("concat of lists of %s and %s", et, l.rt.Elem())
		}
		et = l.rt.Elem()
		lists = append(lists, l)
	}
	out := elemOf(et)
	ar, ok := arenaOf(out)
	if !ok {
		lw.fail("concat of lists of %s", et)
	}
	hdrs := make([]eval[unsafe.Pointer], len(lists))
	for i, l := range lists {
		hdrs[i] = l.at.addr()
	}
	lo := &loop{size: et.Size(), ind: et.Kind() == reflect.Pointer}
	return lw.built(out, func(f *frame) (sliceHeader, error) {
		total := 0
		for _, h := range hdrs {
			p, err := h(f)
			if err != nil {
				return sliceHeader{}, err
			}
			total += (*sliceHeader)(p).len
		}
		if err := f.bud.step(total); err != nil {
			return sliceHeader{}, err
		}
		start := ar.reserve(f, total)
		k := 0
		for _, h := range hdrs {
			p, _ := h(f)
			s := *(*sliceHeader)(p)
			for i := 0; i < s.len; i++ {
				ar.put(f, start, k, lo.at(s.data, i))
				k++
			}
		}
		return ar.header(f, start, k), f.alloc(k * elemBytes)
	})
}

// aggregate lowers mean and median of a list of numbers: 0.0 when empty.
func aggregate(l value, median bool) eval[float64] {
	at := l.at.addr()
	k := scalarKind(l.rt.Elem())
	if k != kInt && k != kFloat {
		panic(unsupported{"mean of a list of " + l.rt.Elem().String()})
	}
	return func(f *frame) (float64, error) {
		p, err := at(f)
		if err != nil {
			return 0, err
		}
		s := *(*sliceHeader)(p)
		if err := f.bud.step(s.len); err != nil {
			return 0, err
		}
		if s.len == 0 {
			return 0, nil
		}
		vals := reserve(&f.af, s.len)
		for i := 0; i < s.len; i++ {
			if k == kInt {
				f.af[vals+i] = float64(*(*int)(unsafe.Add(s.data, uintptr(i)*8)))
			} else {
				f.af[vals+i] = *(*float64)(unsafe.Add(s.data, uintptr(i)*8))
			}
		}
		xs := f.af[vals : vals+s.len]
		var out float64
		if median {
			sort.Float64s(xs)
			if s.len%2 == 1 {
				out = xs[s.len/2]
			} else {
				out = (xs[s.len/2-1] + xs[s.len/2]) / 2
			}
		} else {
			for _, x := range xs {
				out += x
			}
			out /= float64(s.len)
		}
		trim(&f.af, vals, s.len, 0)
		if out-out != 0 {
			return 0, errFail // checkedFinite
		}
		return out, nil
	}
}

// reduce lowers reduce(l, p[, init]) with an accumulator of one kind.
func (lw *lowerer) reduce(n *ast.BuiltinNode) value {
	l, lo := lw.list(n.Arguments[0])
	if len(n.Arguments) != 3 {
		lw.fail("reduce without an initial value")
	}
	init := strict(lw.node(n.Arguments[2]))
	body, ok := n.Arguments[1].(*ast.PredicateNode)
	if !ok {
		lw.fail("reduce by a %T", n.Arguments[1])
	}
	// The accumulator has the kind of the body; an int initial value
	// with a float body is the float's loose start.
	v, ok := lw.reduceBody(l, body, init.k, false)
	if !ok && v.k == kFloat && init.k == kInt {
		if init, ok = looseInt(init); !ok {
			lw.fail("reduce from a large int into floats")
		}
		v, ok = lw.reduceBody(l, body, kFloat, true)
	}
	if !ok {
		lw.fail("reduce into a %s of a %s", init.k, v.k)
	}
	return lw.reduceLoop(lo, init, v)
}

// reduceBody lowers the body of a reduce with an accumulator of kind k;
// ok is false when the body gives another kind.
func (lw *lowerer) reduceBody(l value, body *ast.PredicateNode, k kind, loose bool) (value, bool) {
	var acc value
	slot := 0
	switch k {
	case kInt:
		slot = lw.slots.i
		lw.slots.i++
		acc = value{k: kInt, i: func(f *frame) (int, error) { return f.vi[slot], nil }}
	case kFloat:
		slot = lw.slots.f
		lw.slots.f++
		acc = value{k: kFloat, loose: loose, f: func(f *frame) (float64, error) { return f.vf[slot], nil }}
	case kString:
		slot = lw.slots.s
		lw.slots.s++
		acc = value{k: kString, s: func(f *frame) (string, error) { return f.vs[slot], nil }}
	default:
		lw.fail("reduce into a %s", k)
	}
	acc.dr = nil
	lw.accs = append(lw.accs, acc)
	lw.scopes = append(lw.scopes, l.rt.Elem())
	v := strict(lw.node(body.Node))
	lw.scopes = lw.scopes[:len(lw.scopes)-1]
	lw.accs = lw.accs[:len(lw.accs)-1]
	if v.raw {
		lw.fail("reduce into a pointer")
	}
	v.c = slot
	return v, v.k == k && !(v.loose && k != kFloat)
}

// reduceLoop runs body over the list, in the accumulator slot of kind
// body.k that reduceBody chose (kept in body.c).
func (lw *lowerer) reduceLoop(lo *loop, init, v value) value {
	k, slot := v.k, v.c.(int)
	step := func(f *frame) error {
		switch k {
		case kInt:
			x, err := v.i(f)
			f.vi[slot] = x
			return err
		case kFloat:
			x, err := v.f(f)
			f.vf[slot] = x
			return err
		}
		x, err := v.s(f)
		f.vs[slot] = x
		return err
	}
	start := func(f *frame) error {
		switch k {
		case kInt:
			x, err := init.i(f)
			f.vi[slot] = x
			return err
		case kFloat:
			x, err := init.f(f)
			f.vf[slot] = x
			return err
		}
		x, err := init.s(f)
		f.vs[slot] = x
		return err
	}
	run := func(f *frame) error {
		h, err := lo.hdr(f)
		if err != nil {
			return err
		}
		s := *(*sliceHeader)(h)
		if err := f.bud.step(s.len); err != nil {
			return err
		}
		if err := start(f); err != nil {
			return err
		}
		item, index := f.item, f.index
		defer func() { f.item, f.index = item, index }()
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			if err := step(f); err != nil {
				return err
			}
		}
		return nil
	}
	out := value{k: k, loose: init.loose}
	switch k {
	case kInt:
		out.i = func(f *frame) (int, error) { err := run(f); return f.vi[slot], err }
	case kFloat:
		out.f = func(f *frame) (float64, error) { err := run(f); return f.vf[slot], err }
	default:
		out.s = func(f *frame) (string, error) { err := run(f); return f.vs[slot], err }
	}
	return out
}

// rangeList lowers a..b, built as the guarded VM builds it.
func (lw *lowerer) rangeList(l, r value) value {
	if l.k != kInt || r.k != kInt {
		lw.fail(".. of %s and %s", l.k, r.k)
	}
	lo, hi := l.i, r.i
	return lw.built(intType, func(f *frame) (sliceHeader, error) {
		a, err := lo(f)
		if err != nil {
			return sliceHeader{}, err
		}
		b, err := hi(f)
		if err != nil {
			return sliceHeader{}, err
		}
		n := rangeLen(a, b)
		if err := f.alloc(n * elemBytes); err != nil {
			return sliceHeader{}, err
		}
		start := reserve(&f.ai, n)
		for i := 0; i < n; i++ {
			f.ai[start+i] = a + i
		}
		return header(f.ai, start, n), nil
	})
}

// slice lowers list[from:to] and string[from:to], as runtime.Slice:
// bounds out of range are clamped, and a string is cut in bytes.
func (lw *lowerer) slice(n *ast.SliceNode) value {
	l := lw.node(n.Node)
	if l.k != kList && l.k != kString {
		lw.fail("slice of a %s", l.k)
	}
	bound := func(b ast.Node) eval[int] {
		if b == nil {
			return nil
		}
		v := strict(lw.node(b))
		if v.k != kInt {
			lw.fail("slice bound of a %s", v.k)
		}
		return v.i
	}
	from, to := bound(n.From), bound(n.To)
	if l.k == kString {
		return lw.sliceString(strict(l).s, from, to)
	}
	at := l.at.addr()
	size := l.rt.Elem().Size()
	return lw.built(l.rt.Elem(), func(f *frame) (sliceHeader, error) {
		p, err := at(f)
		if err != nil {
			return sliceHeader{}, err
		}
		s := *(*sliceHeader)(p)
		a, b := 0, s.len
		if from != nil {
			if a, err = from(f); err != nil {
				return sliceHeader{}, err
			}
		}
		if to != nil {
			if b, err = to(f); err != nil {
				return sliceHeader{}, err
			}
		}
		a, b = sliceBounds(a, b, s.len)
		return sliceHeader{data: unsafe.Add(s.data, uintptr(a)*size), len: b - a, cap: b - a}, nil
	})
}

// array lowers a list literal whose elements are not all constants
// (expr's optimiser makes the others constants): [value, gross_mass],
// read by max, sum, in or a quantifier. Its elements must be scalars of
// one kind, each read as such: expr keeps a literal's elements as they
// are, so one mixing ints and floats, or holding a pointer, stays on the
// VM. Like the VM's, it costs its length in memory.
func (lw *lowerer) array(n *ast.ArrayNode) value {
	if len(n.Nodes) == 0 {
		lw.fail("empty list literal")
	}
	elems := make([]value, len(n.Nodes))
	for i, e := range n.Nodes {
		v := lw.node(e)
		if v.null || v.raw || v.loose {
			lw.fail("list literal of a value that may be nil or of either number type")
		}
		if v.k != elems[0].k && i > 0 {
			lw.fail("list literal mixing %s and %s", elems[0].k, v.k)
		}
		elems[i] = v
	}
	switch elems[0].k {
	case kInt:
		return lw.built(intType, buildArray(elems, func(v value) eval[int] { return v.i }, func(f *frame) *[]int { return &f.ai }))
	case kFloat:
		return lw.built(floatType, buildArray(elems, func(v value) eval[float64] { return v.f }, func(f *frame) *[]float64 { return &f.af }))
	case kString:
		return lw.built(stringType, buildArray(elems, func(v value) eval[string] { return v.s }, func(f *frame) *[]string { return &f.as }))
	case kBool:
		return lw.built(boolType, buildArray(elems, func(v value) eval[bool] { return v.b }, func(f *frame) *[]bool { return &f.ab }))
	}
	lw.fail("list literal of a %s", elems[0].k)
	return value{}
}

// mapLiteral lowers a map literal of constant string keys and constant
// values of one scalar kind, {"93": 1, "36": 1}, read by in or by key. It
// is built once, here; each evaluation costs its length in memory, as the
// VM charges the map it builds each time. Since expr's literal is a
// map[string]any, a key it lacks gives nil (lit), not the zero value.
func (lw *lowerer) mapLiteral(n *ast.MapNode) value {
	keys := make([]string, len(n.Pairs))
	vals := make([]value, len(n.Pairs))
	for i, p := range n.Pairs {
		pair, ok := p.(*ast.PairNode)
		if !ok {
			lw.fail("map literal entry %T", p)
		}
		k, v := lw.node(pair.Key), lw.node(pair.Value)
		if k.k != kString || !k.konst {
			lw.fail("map literal with a key that is not a constant string")
		}
		if !v.konst || v.null || v.loose || v.k != vals[0].k && i > 0 {
			lw.fail("map literal whose values are not constants of one kind")
		}
		keys[i], vals[i] = cval(k.s), v
	}
	if len(vals) == 0 {
		lw.fail("empty map literal")
	}
	switch vals[0].k {
	case kInt:
		return mapOf(keys, vals, func(v value) int { return cval(v.i) })
	case kFloat:
		return mapOf(keys, vals, func(v value) float64 { return cval(v.f) })
	case kString:
		return mapOf(keys, vals, func(v value) string { return cval(v.s) })
	case kBool:
		return mapOf(keys, vals, func(v value) bool { return cval(v.b) })
	}
	lw.fail("map literal of %s values", vals[0].k)
	return value{}
}

// mapOf builds the map of a literal and the value reaching it. A key
// written twice keeps its first value, as expr's VM builds the map from
// the last pair to the first.
func mapOf[T any](keys []string, vals []value, of func(value) T) value {
	m := make(map[string]T, len(keys))
	for i, k := range keys {
		if _, dup := m[k]; !dup {
			m[k] = of(vals[i])
		}
	}
	cost := len(m) * elemBytes
	base := func(f *frame) (unsafe.Pointer, error) {
		if err := f.alloc(cost); err != nil {
			return nil, err
		}
		return unsafe.Pointer(&m), nil
	}
	return value{k: kMap, lit: true, rt: reflect.TypeOf(m), at: &access{root: fromBase, base: base, hops: []hop{{}}}}
}

// buildArray returns the builder of a list literal of elems into the
// frame's arena for their kind.
func buildArray[T any](elems []value, of func(value) eval[T], arena func(*frame) *[]T) func(*frame) (sliceHeader, error) {
	es := make([]eval[T], len(elems))
	for i, v := range elems {
		es[i] = of(v)
	}
	return func(f *frame) (sliceHeader, error) {
		if err := f.alloc(len(es) * elemBytes); err != nil {
			return sliceHeader{}, err
		}
		start := reserve(arena(f), len(es))
		for i, e := range es {
			x, err := e(f)
			if err != nil {
				return sliceHeader{}, err
			}
			(*arena(f))[start+i] = x
		}
		return header(*arena(f), start, len(es)), nil
	}
}

// sliceString lowers string[from:to]; from and to are nil when omitted.
// The substring shares the string's bytes: nothing is built.
func (lw *lowerer) sliceString(str eval[string], from, to eval[int]) value {
	return value{k: kString, s: func(f *frame) (string, error) {
		x, err := str(f)
		if err != nil {
			return "", err
		}
		a, b := 0, len(x)
		if from != nil {
			if a, err = from(f); err != nil {
				return "", err
			}
		}
		if to != nil {
			if b, err = to(f); err != nil {
				return "", err
			}
		}
		a, b = sliceBounds(a, b, len(x))
		return x[a:b], nil
	}}
}

// sliceBounds are runtime.Slice's: negative bounds count from the end,
// and bounds are clamped to the list.
func sliceBounds(a, b, n int) (int, int) {
	if a < 0 {
		a += n
	}
	if a < 0 {
		a = 0
	}
	if b < 0 {
		b += n
	}
	if b < 0 {
		b = 0
	}
	if b > n {
		b = n
	}
	if a > b {
		a = b
	}
	return a, b
}

// chain lowers a?.b: the optional members return nil for a nil record,
// which the rest of the chain passes on.
func (lw *lowerer) chain(n *ast.ChainNode) value {
	v := lw.node(n.Node)
	return v
}

// optional lowers base?.name, a field of a record that may be nil.
func (lw *lowerer) optional(n *ast.MemberNode, index []int) value {
	b := lw.node(n.Node)
	if b.k != kRef {
		lw.fail("?. on a %s", b.k)
	}
	ptr := b.ptr
	base := func(f *frame) (unsafe.Pointer, error) {
		p, err := ptr(f)
		if err == nil && p == nil {
			return nil, errNil
		}
		return p, err
	}
	hs, t := chain(b.rt, index)
	if t != n.Type() {
		lw.fail("checker and runtime disagree on the type of %s", n)
	}
	v := lw.field((&access{root: fromBase, base: base, hops: []hop{{}}}).then(hs), t)
	if v.k <= kTime {
		v.null = true
	}
	v.dr = nil
	return v
}

// mapIndex lowers m[key] with a key computed at run time.
func (lw *lowerer) mapIndex(m value, key value) value {
	if key.k != kString {
		lw.fail("map key of kind %s", key.k)
	}
	at, k := m.at.addr(), key.s
	switch m.rt {
	case mapOfString:
		return value{k: kString, s: mapReadKey[string](at, k)}
	case mapOfInt:
		return value{k: kInt, i: mapReadKey[int](at, k)}
	case mapOfFloat:
		return value{k: kFloat, f: mapReadKey[float64](at, k)}
	case mapOfBool:
		return value{k: kBool, b: mapReadKey[bool](at, k)}
	}
	et := m.rt.Elem()
	if et.Kind() != reflect.Pointer || !isRecord(et.Elem()) {
		lw.fail("map of %s", et)
	}
	mt := m.rt
	get := func(f *frame) (unsafe.Pointer, error) {
		p, err := at(f)
		if err != nil {
			return nil, err
		}
		s, err := k(f)
		if err != nil {
			return nil, err
		}
		v := reflect.NewAt(mt, p).Elem().MapIndex(reflect.ValueOf(s))
		if !v.IsValid() {
			return nil, nil
		}
		return v.UnsafePointer(), nil
	}
	return value{k: kRef, at: &access{root: fromBase, base: get, hops: []hop{{}}}, rt: et.Elem(), ptr: get}
}

func mapReadKey[T any](at eval[unsafe.Pointer], key eval[string]) eval[T] {
	return func(f *frame) (T, error) {
		p, err := at(f)
		if err != nil {
			var z T
			return z, err
		}
		k, err := key(f)
		if err != nil {
			var z T
			return z, err
		}
		return (*(*map[string]T)(p))[k], nil
	}
}

// get lowers get(m, key): nil, not the zero value, for a key that is
// absent.
func (lw *lowerer) get(m, key value) value {
	if m.k != kMap || key.k != kString {
		lw.fail("get on a %s", m.k)
	}
	v, ok := nullableKey(m, key.s, true)
	if !ok {
		lw.fail("get on a map of %s", m.rt.Elem())
	}
	return v
}

// optionalKey lowers m?.[key] on a map of scalars: nil for a nil map,
// as expr's chain gives, and the zero value for a key that is absent, as
// m[key] gives.
func (lw *lowerer) optionalKey(n *ast.MemberNode) value {
	m := lw.node(n.Node)
	if m.k != kMap {
		lw.fail("?. on a %s", m.k)
	}
	key := lw.node(n.Property)
	if key.k != kString || key.null || key.raw {
		lw.fail("map key of kind %s, or that may be nil", key.k)
	}
	// A literal is never nil, and lacks a key as get does.
	v, ok := nullableKey(m, key.s, m.lit)
	if !ok {
		lw.fail("?. on a map of %s", m.rt.Elem())
	}
	return v
}

// nullableKey reads key in a map of scalars: nil for a nil map, and for
// an absent key nil when absentNil, else the zero value. ok is false for
// a map of other values.
func nullableKey(m value, key eval[string], absentNil bool) (value, bool) {
	at := m.at.addr()
	switch m.rt {
	case mapOfString:
		return value{k: kString, null: true, s: mapNullable[string](at, key, absentNil)}, true
	case mapOfInt:
		return value{k: kInt, null: true, i: mapNullable[int](at, key, absentNil)}, true
	case mapOfFloat:
		return value{k: kFloat, null: true, f: mapNullable[float64](at, key, absentNil)}, true
	case mapOfBool:
		return value{k: kBool, null: true, b: mapNullable[bool](at, key, absentNil)}, true
	}
	return value{}, false
}

func mapNullable[T any](at eval[unsafe.Pointer], key eval[string], absentNil bool) eval[T] {
	return func(f *frame) (T, error) {
		var z T
		p, err := at(f)
		if err != nil {
			return z, err
		}
		k, err := key(f)
		if err != nil {
			return z, err
		}
		m := *(*map[string]T)(p)
		if m == nil {
			return z, errNil
		}
		x, ok := m[k]
		if !ok && absentNil {
			return z, errNil
		}
		return x, nil
	}
}

// intOfString lowers int(s) as builtin.Int parses it.
func intOfString(e eval[string]) eval[int] {
	return func(f *frame) (int, error) {
		s, err := e(f)
		if err != nil {
			return 0, err
		}
		if err := f.step(strSteps(len(s))); err != nil {
			return 0, err
		}
		x, err := strconv.Atoi(s)
		if err != nil {
			return 0, errFail
		}
		return x, nil
	}
}

// constBuiltin evaluates a builtin whose arguments are all constants,
// date("2024-01-01") say, once, at compile time.
func (lw *lowerer) constBuiltin(n *ast.BuiltinNode) (any, bool) {
	id, ok := builtin.Index[n.Name]
	if !ok || builtin.Builtins[id].Func == nil {
		return nil, false
	}
	args := make([]any, len(n.Arguments))
	for i, a := range n.Arguments {
		switch c := a.(type) {
		case *ast.StringNode:
			args[i] = c.Value
		case *ast.ConstantNode:
			args[i] = c.Value
		default:
			return nil, false
		}
	}
	v, err := builtin.Builtins[id].Func(args...)
	if err != nil {
		return nil, false
	}
	return v, true
}

// timeShift lowers t + duration("...") and t - duration("..."), as
// runtime.Add and runtime.Subtract shift a date.
func (lw *lowerer) timeShift(n *ast.BinaryNode) (value, bool) {
	b, ok := n.Right.(*ast.BuiltinNode)
	if !ok || b.Name != "duration" || (n.Operator != "+" && n.Operator != "-") {
		return value{}, false
	}
	c, ok := lw.constBuiltin(b)
	d, isDur := c.(time.Duration)
	if !ok || !isDur {
		return value{}, false
	}
	l := strict(lw.node(n.Left))
	if l.k != kTime {
		lw.fail("duration added to a %s", l.k)
	}
	if n.Operator == "-" {
		d = -d
	}
	t := l.t
	return fold(value{k: kTime, t: func(f *frame) (time.Time, error) {
		x, err := t(f)
		return x.Add(d), err
	}}, l), true
}

// containsList lowers contains_any(list, values) and contains_all of
// lists of strings.
func (lw *lowerer) containsList(all bool, args []ast.Node) value {
	if len(args) != 2 {
		lw.fail("contains of %d arguments", len(args))
	}
	l, v := lw.asList(strict(lw.node(args[0]))), lw.asList(strict(lw.node(args[1])))
	if l.rt.Elem() != stringType || v.rt.Elem() != stringType {
		lw.fail("contains of lists of %s and %s", l.rt.Elem(), v.rt.Elem())
	}
	la, va := l.at.addr(), v.at.addr()
	return value{k: kBool, b: func(f *frame) (bool, error) {
		p, err := la(f)
		if err != nil {
			return false, err
		}
		q, err := va(f)
		if err != nil {
			return false, err
		}
		list, want := *(*[]string)(p), *(*[]string)(q)
		if list == nil || want == nil {
			return false, errFail // containsCount: want two lists
		}
		if err := f.bud.step(len(list) + len(want)); err != nil {
			return false, err
		}
		for _, w := range want {
			found := false
			for _, x := range list {
				if x == w {
					found = true
					break
				}
			}
			if found && !all {
				return true, nil
			}
			if !found && all {
				return false, nil
			}
		}
		return all, nil
	}}
}

// fieldByName lowers record.name where the checker did not type the
// record (it came from a list the rule built): the field expr's
// runtime.Fetch finds by name.
func (lw *lowerer) fieldByName(b value, name string, typ reflect.Type) value {
	index, ok := lw.m.fetchIndex(reflect.PointerTo(b.rt), name)
	if !ok {
		lw.fail("no field %s in %s", name, b.rt)
	}
	hs, t := chain(b.rt, index)
	if k := typ.Kind(); t != typ && k != reflect.Interface {
		lw.fail("checker and runtime disagree on the type of %s", name)
	}
	return lw.field(b.at.then(hs), t)
}

// sortBy lowers sortBy(records, key[, "asc" or "desc"]): the records, by
// pointer, in the order expr's runtime.SortBy gives them (sort.Sort with
// the same comparisons, so that equal keys end where they end there).
func (lw *lowerer) sortBy(n *ast.BuiltinNode) value {
	args := n.Arguments
	desc := false
	if len(args) == 3 {
		s, ok := args[2].(*ast.StringNode)
		if !ok || s.Value != "asc" && s.Value != "desc" {
			lw.fail("sortBy with an order that is not a literal")
		}
		desc = s.Value == "desc"
	}
	l, lo := lw.list(args[0])
	et := l.rt.Elem()
	if !isRecord(et) && !(et.Kind() == reflect.Pointer && isRecord(et.Elem())) {
		lw.fail("sortBy of a list of %s", et)
	}
	key := strict(lw.predicate(l, args[1]))
	out := elemOf(et)
	switch {
	case key.k == kInt:
		return lw.built(out, sortRecords(lo, key.i, desc, func(f *frame) *[]int { return &f.ai }))
	case key.k == kFloat && !key.loose:
		return lw.built(out, sortRecords(lo, key.f, desc, func(f *frame) *[]float64 { return &f.af }))
	case key.k == kString:
		return lw.built(out, sortRecords(lo, key.s, desc, func(f *frame) *[]string { return &f.as }))
	}
	lw.fail("sortBy a %s", key.k)
	return value{}
}

func sortRecords[K ordered](lo *loop, key eval[K], desc bool, arena func(*frame) *[]K) func(*frame) (sliceHeader, error) {
	return func(f *frame) (sliceHeader, error) {
		h, err := lo.hdr(f)
		if err != nil {
			return sliceHeader{}, err
		}
		s := *(*sliceHeader)(h)
		if err := f.bud.step(s.len); err != nil {
			return sliceHeader{}, err
		}
		start := reserve(&f.ap, s.len)
		ks := reserve(arena(f), s.len)
		item, index := f.item, f.index
		for i := 0; i < s.len; i++ {
			f.item, f.index = lo.at(s.data, i), i
			k, err := key(f)
			if err != nil {
				f.item, f.index = item, index
				return sliceHeader{}, err
			}
			f.ap[start+i] = f.item
			(*arena(f))[ks+i] = k
		}
		f.item, f.index = item, index
		sort.Sort(&byKey[K]{keys: (*arena(f))[ks : ks+s.len], ptrs: f.ap[start : start+s.len], desc: desc})
		return header(f.ap, start, s.len), f.alloc(s.len * elemBytes)
	}
}

// byKey sorts records by their keys as runtime.SortBy does.
type byKey[K ordered] struct {
	keys []K
	ptrs []unsafe.Pointer
	desc bool
}

func (s *byKey[K]) Len() int { return len(s.keys) }

func (s *byKey[K]) Swap(i, j int) {
	s.keys[i], s.keys[j] = s.keys[j], s.keys[i]
	s.ptrs[i], s.ptrs[j] = s.ptrs[j], s.ptrs[i]
}

func (s *byKey[K]) Less(i, j int) bool {
	if s.desc {
		return s.keys[j] < s.keys[i]
	}
	return s.keys[i] < s.keys[j]
}
