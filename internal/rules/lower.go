package rules

import (
	"fmt"
	"math"
	"reflect"
	"time"
	"unsafe"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/checker/nature"
	"github.com/expr-lang/expr/conf"
)

// A kind is the static kind of a lowered node.
type kind uint8

const (
	kBool kind = iota + 1
	kInt
	kFloat
	kString
	kTime
	kRef   // a struct, reached through an access
	kList  // a slice, reached through an access to its header
	kMap   // a map with string keys, reached through an access to it
	kSet   // a constant set built by expr's optimiser for x in [...]
	kArray // a constant []any built by expr's optimiser
	kNil   // the nil literal
	kEnv   // $env, passed to functions
	// kDur is a time.Duration, the difference of two dates, held in i as
	// nanoseconds. It compares with durations only, and Run leaves it to
	// the VM, which gives its Go type.
	kDur
)

var kindNames = [...]string{kBool: "bool", kInt: "int", kFloat: "float", kString: "string", kTime: "date",
	kRef: "record", kList: "list", kMap: "map", kSet: "set", kArray: "array", kNil: "nil", kEnv: "$env", kDur: "duration"}

func (k kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// A value is a lowered node: its kind and the closure that computes it.
type value struct {
	k kind
	// null: a scalar read through a pointer, which may be nil; its eval
	// may return errNil.
	null bool
	// raw: where the compiler does not dereference (a predicate's body, a
	// function's argument), the VM holds the pointer itself, not the
	// scalar: a field read through a pointer, or a ?: branch that is one.
	// The operators that dereference (all but ?:) clear it.
	raw bool
	// loose: a float whose Go type may be int (an empty sum of floats is
	// the int 0; pf ?? 0 is a float or the int 0). When it is an int, it is
	// one of magnitude below 2^53, which compares and computes exactly as a
	// float64: only the consumers that see the Go type (Run, arithmetic
	// with an int, unary minus, abs, min, max, arguments) refuse it.
	loose bool
	// lmax bounds the magnitude of a loose value when it is an int.
	lmax float64
	// konst: a constant; its eval ignores the frame.
	konst bool

	b eval[bool]
	i eval[int]
	f eval[float64]
	s eval[string]
	t eval[time.Time]

	// dr, for a scalar read straight from the environment or a
	// predicate's element, is where: operators fuse such reads with a
	// constant operand into one closure.
	dr *direct

	// For kRef, kList and kMap: how to reach the value, and its type (the
	// struct type for kRef).
	at *access
	rt reflect.Type
	// For kRef: the struct pointer, nil (not an error) when the pointer
	// holding it is nil.
	ptr eval[unsafe.Pointer]

	c any // kSet, kArray: the constant

	// lit: a kMap written as a literal, whose Go type is map[string]any
	// in expr: an absent key gives nil, not the zero value.
	lit bool
}

// Where an access starts.
const (
	fromEnv  = iota // the environment struct
	fromItem        // the element of the innermost predicate
	fromBase        // the pointer computed by base
)

// An access reaches a place in memory: a root, then hops. All hops but the
// last dereference a pointer.
type access struct {
	root int
	base eval[unsafe.Pointer]
	hops []hop
}

// then returns the access that continues a with the hops of a field chain.
func (a *access) then(hs []hop) *access {
	last := a.hops[len(a.hops)-1]
	out := make([]hop, 0, len(a.hops)+len(hs))
	out = append(out, a.hops[:len(a.hops)-1]...)
	out = append(out, hop{off: last.off + hs[0].off, deref: hs[0].deref})
	out = append(out, hs[1:]...)
	return &access{root: a.root, base: a.base, hops: out}
}

// addr returns an eval of the address a reaches; a nil pointer on the way
// fails, as expr's field access does.
func (a *access) addr() eval[unsafe.Pointer] {
	hops := a.hops
	switch a.root {
	case fromEnv:
		if len(hops) == 1 {
			off := hops[0].off
			return func(f *frame) (unsafe.Pointer, error) { return unsafe.Add(f.env, off), nil }
		}
		return func(f *frame) (unsafe.Pointer, error) {
			p, ok := walk(f.env, hops)
			if !ok {
				return nil, errFail
			}
			return p, nil
		}
	case fromItem:
		return func(f *frame) (unsafe.Pointer, error) {
			if f.item == nil {
				return nil, errFail
			}
			p, ok := walk(f.item, hops)
			if !ok {
				return nil, errFail
			}
			return p, nil
		}
	}
	base := a.base
	return func(f *frame) (unsafe.Pointer, error) {
		p, err := base(f)
		if err != nil {
			return nil, err
		}
		if p == nil {
			return nil, errFail
		}
		p, ok := walk(p, hops)
		if !ok {
			return nil, errFail
		}
		return p, nil
	}
}

// A direct read is a field at offset off of the environment (fromEnv) or
// of the predicate's element (fromItem).
type direct struct {
	root int
	off  uintptr
}

func directOf(a *access) *direct {
	if (a.root == fromEnv || a.root == fromItem) && len(a.hops) == 1 {
		return &direct{root: a.root, off: a.hops[0].off}
	}
	return nil
}

// read returns an eval of the T that a reaches. The common shapes, a field
// of the environment or of a predicate's element, directly or through one
// pointer, get closures of their own.
func read[T any](a *access) eval[T] {
	h := a.hops
	switch {
	case a.root == fromEnv && len(h) == 1:
		off := h[0].off
		return func(f *frame) (T, error) { return *(*T)(unsafe.Add(f.env, off)), nil }
	case a.root == fromEnv && len(h) == 2:
		o1, o2 := h[0].off, h[1].off
		return func(f *frame) (T, error) {
			p := *(*unsafe.Pointer)(unsafe.Add(f.env, o1))
			if p == nil {
				var z T
				return z, errFail
			}
			return *(*T)(unsafe.Add(p, o2)), nil
		}
	case a.root == fromItem && len(h) == 1:
		off := h[0].off
		return func(f *frame) (T, error) {
			if f.item == nil {
				var z T
				return z, errFail
			}
			return *(*T)(unsafe.Add(f.item, off)), nil
		}
	}
	at := a.addr()
	return func(f *frame) (T, error) {
		p, err := at(f)
		if err != nil {
			var z T
			return z, err
		}
		return *(*T)(p), nil
	}
}

// readPtr returns an eval of the T that the *T at a points to; a nil
// pointer gives errNil.
func readPtr[T any](a *access) eval[T] {
	h := a.hops
	if a.root == fromEnv && len(h) == 1 {
		off := h[0].off
		return func(f *frame) (T, error) {
			p := *(**T)(unsafe.Add(f.env, off))
			if p == nil {
				var z T
				return z, errNil
			}
			return *p, nil
		}
	}
	if a.root == fromEnv && len(h) == 2 {
		o1, o2 := h[0].off, h[1].off
		return func(f *frame) (T, error) {
			s := *(*unsafe.Pointer)(unsafe.Add(f.env, o1))
			if s == nil {
				var z T
				return z, errFail
			}
			p := *(**T)(unsafe.Add(s, o2))
			if p == nil {
				var z T
				return z, errNil
			}
			return *p, nil
		}
	}
	at := a.addr()
	return func(f *frame) (T, error) {
		q, err := at(f)
		if err != nil {
			var z T
			return z, err
		}
		p := *(**T)(q)
		if p == nil {
			var z T
			return z, errNil
		}
		return *p, nil
	}
}

var (
	boolType   = reflect.TypeOf(false)
	intType    = reflect.TypeOf(0)
	floatType  = reflect.TypeOf(0.0)
	stringType = reflect.TypeOf("")

	mapOfString = reflect.TypeOf(map[string]string(nil))
	mapOfInt    = reflect.TypeOf(map[string]int(nil))
	mapOfFloat  = reflect.TypeOf(map[string]float64(nil))
	mapOfBool   = reflect.TypeOf(map[string]bool(nil))
)

// scalarKind maps the Go types the lowering reads to kinds. Other integer
// and float types, and named types, are left to the VM: expr treats them
// differently in places (a named string is not equal to a string).
func scalarKind(t reflect.Type) kind {
	switch t {
	case boolType:
		return kBool
	case intType:
		return kInt
	case floatType:
		return kFloat
	case stringType:
		return kString
	case timeType:
		return kTime
	}
	return 0
}

// isRecord reports whether t is a struct the lowering reads fields of.
func isRecord(t reflect.Type) bool { return t.Kind() == reflect.Struct && t != timeType }

// elemOK reports whether the lowering iterates over slices of t.
func elemOK(t reflect.Type) bool {
	return scalarKind(t) != 0 || isRecord(t) || t.Kind() == reflect.Pointer && isRecord(t.Elem())
}

// unsupported is the panic value that abandons a lowering.
type unsupported struct{ why string }

// A lowerer lowers one program.
type lowerer struct {
	m      *Model
	cache  *nature.Cache
	env    nature.Nature
	conf   *conf.Config
	scopes []reflect.Type // element types of the enclosing predicates
	facts  bool
	iface  bool
	user   bool
	slots  slotCounts // frame slots the program needs
	vars   []letVar   // let variables in scope, innermost last
	accs   []value    // accumulators of the enclosing reduces
}

func (lw *lowerer) fail(format string, args ...any) {
	panic(unsupported{fmt.Sprintf(format, args...)})
}

// lower lowers the program whose checked, optimised AST is root. It
// returns nil, and the reason, when any node is outside what the lowering
// covers: the whole program then runs on the VM.
func (m *Model) lower(root ast.Node, c *conf.Config) (fp *fastProg, why string) {
	lw := &lowerer{m: m, cache: &c.NtCache, env: c.Env, conf: c}
	defer func() {
		if r := recover(); r != nil {
			if u, ok := r.(unsupported); ok {
				fp, why = nil, u.why
				return
			}
			// A bug in the lowering must not stop a programme from
			// loading: the VM runs it.
			fp, why = nil, fmt.Sprintf("lowering failed: %v", r)
		}
	}()
	v := lw.node(root)
	fp = &fastProg{typ: typeWord(reflect.New(m.env.Elem()).Interface()), facts: lw.facts, iface: lw.iface, user: lw.user || lw.facts || lw.iface,
		guard: lw.user || (lw.facts || lw.iface) && !m.trusted}
	if lw.slots != (slotCounts{}) {
		fp.slots = &lw.slots
	}
	switch v.k {
	case kBool:
		fp.b = v.b
	case kInt:
		fp.n = toFloat(v).f
	case kFloat:
		fp.n = v.f
	}
	if !v.null && !v.loose {
		fp.a = box(v)
	}
	if !v.loose {
		fp.d = boxDeref(v)
	}
	if fp.b == nil && fp.n == nil && fp.a == nil && fp.d == nil {
		return nil, "the result is a " + v.k.String()
	}
	return fp, ""
}

// box returns an eval of v as the any the VM would return.
func box(v value) eval[any] {
	if v.konst {
		var c any
		switch v.k {
		case kBool:
			c, _ = v.b(nil)
		case kInt:
			c, _ = v.i(nil)
		case kFloat:
			c, _ = v.f(nil)
		case kString:
			c, _ = v.s(nil)
		case kTime:
			c, _ = v.t(nil)
		default:
			return nil
		}
		return func(*frame) (any, error) { return c, nil }
	}
	switch v.k {
	case kBool:
		return boxed(v.b)
	case kInt:
		return boxed(v.i)
	case kFloat:
		return boxed(v.f)
	case kString:
		return boxed(v.s)
	case kTime:
		return boxed(v.t)
	}
	return nil
}

// boxDeref returns an eval of v as deref would give the VM's value: the
// scalar a pointer points to, or nil.
func boxDeref(v value) eval[any] {
	b := box(strict(v))
	if b == nil || !v.null {
		return b
	}
	e := box(value{k: v.k, b: v.b, i: v.i, f: v.f, s: v.s, t: v.t})
	return func(f *frame) (any, error) {
		x, err := e(f)
		if err == errNil {
			return nil, nil
		}
		return x, err
	}
}

func boxed[T any](e eval[T]) eval[any] {
	return func(f *frame) (any, error) {
		x, err := e(f)
		if err != nil {
			return nil, err
		}
		return x, nil
	}
}

// Constants.

func constant[T any](x T) eval[T] { return func(*frame) (T, error) { return x, nil } }

func cBool(x bool) value      { return value{k: kBool, konst: true, b: constant(x)} }
func cInt(x int) value        { return value{k: kInt, konst: true, i: constant(x)} }
func cFloat(x float64) value  { return value{k: kFloat, konst: true, f: constant(x)} }
func cString(x string) value  { return value{k: kString, konst: true, s: constant(x)} }
func cTime(x time.Time) value { return value{k: kTime, konst: true, t: constant(x)} }
func cDur(x time.Duration) value {
	return value{k: kDur, konst: true, i: constant(int(x))}
}

// cval returns the value of a constant.
func cval[T any](e eval[T]) T {
	x, _ := e(nil)
	return x
}

// fold replaces v by its value when every input is a constant and v
// evaluates without error. Every operator the lowering folds is pure.
func fold(v value, inputs ...value) value {
	for _, in := range inputs {
		if !in.konst {
			return v
		}
	}
	if v.null || v.loose {
		return v
	}
	switch v.k {
	case kBool:
		if x, err := v.b(nil); err == nil {
			return cBool(x)
		}
	case kInt:
		if x, err := v.i(nil); err == nil {
			return cInt(x)
		}
	case kFloat:
		if x, err := v.f(nil); err == nil {
			return cFloat(x)
		}
	case kString:
		if x, err := v.s(nil); err == nil {
			return cString(x)
		}
	case kTime:
		if x, err := v.t(nil); err == nil {
			return cTime(x)
		}
	}
	return v
}

// strict returns v where the VM uses the value, so that nil is a failure
// there: an arithmetic or logical operand, a condition, an argument.
func strict(v value) value {
	if !v.null {
		return v
	}
	v.null = false
	switch v.k {
	case kBool:
		v.b = failNil(v.b)
	case kInt:
		v.i = failNil(v.i)
	case kFloat:
		v.f = failNil(v.f)
	case kString:
		v.s = failNil(v.s)
	case kTime:
		v.t = failNil(v.t)
	}
	return v
}

// both returns the eval of fn on the values of a and b, evaluated in
// that order; the first error is the result's.
func both[A, B, R any](a eval[A], b eval[B], fn func(A, B) R) eval[R] {
	return func(f *frame) (R, error) {
		var zero R
		x, err := a(f)
		if err != nil {
			return zero, err
		}
		y, err := b(f)
		if err != nil {
			return zero, err
		}
		return fn(x, y), nil
	}
}

func failNil[T any](e eval[T]) eval[T] {
	return func(f *frame) (T, error) {
		x, err := e(f)
		if err == errNil {
			err = errFail
		}
		return x, err
	}
}

// toFloat converts an int value to a float one; expr promotes ints so in
// mixed arithmetic and comparisons.
func toFloat(v value) value {
	if v.k == kFloat {
		return v
	}
	if v.konst {
		return cFloat(float64(cval(v.i)))
	}
	i := v.i
	return value{k: kFloat, null: v.null, f: func(f *frame) (float64, error) {
		x, err := i(f)
		return float64(x), err
	}}
}

// looseInt returns v, an int constant, as a loose float, if it is small
// enough to be exact as one.
func looseInt(v value) (value, bool) {
	if v.k != kInt || !v.konst {
		return v, false
	}
	if c := cval(v.i); c <= -1<<53 || c >= 1<<53 {
		return v, false
	}
	c := cval(v.i)
	v = toFloat(v)
	v.loose, v.lmax = true, math.Abs(float64(c))
	return v, true
}

// node lowers one node.
func (lw *lowerer) node(n ast.Node) value {
	v := lw.node1(n)
	if v.raw {
		// The compiler dereferences a value where it is used only if the
		// checker typed it as a pointer (or unknown). expr's optimiser
		// copies the type of a node it folds onto the node replacing it:
		// (true && (c ? pa : pb)) == x compares the pointer itself.
		if k := n.Type().Kind(); k != reflect.Pointer && k != reflect.Interface {
			lw.fail("%s holds a pointer but is typed %s", n, n.Type())
		}
	}
	return v
}

func (lw *lowerer) node1(n ast.Node) value {
	switch n := n.(type) {
	case *ast.NilNode:
		return value{k: kNil, konst: true}
	case *ast.BoolNode:
		return cBool(n.Value)
	case *ast.IntegerNode:
		// The checker retypes integer literals passed as float arguments;
		// the compiler then pushes a float.
		switch n.Type().Kind() {
		case reflect.Int, reflect.Interface:
			return cInt(n.Value)
		case reflect.Float64:
			return cFloat(float64(n.Value))
		}
		lw.fail("integer literal of type %s", n.Type())
	case *ast.FloatNode:
		if n.Type().Kind() == reflect.Float32 {
			lw.fail("float32 literal")
		}
		return cFloat(n.Value)
	case *ast.StringNode:
		return cString(n.Value)
	case *ast.ConstantNode:
		return lw.constant(n.Value)
	case *ast.IdentifierNode:
		return lw.identifier(n)
	case *ast.MemberNode:
		return lw.member(n)
	case *ast.UnaryNode:
		return lw.unary(n)
	case *ast.BinaryNode:
		return lw.binary(n)
	case *ast.ConditionalNode:
		return lw.conditional(n)
	case *ast.BuiltinNode:
		return lw.builtin(n)
	case *ast.CallNode:
		return lw.call(n)
	case *ast.PointerNode:
		return lw.pointer(n)
	case *ast.VariableDeclaratorNode:
		return lw.let(n)
	case *ast.ChainNode:
		return lw.chain(n)
	case *ast.SliceNode:
		return lw.slice(n)
	case *ast.ArrayNode:
		return lw.array(n)
	case *ast.MapNode:
		return lw.mapLiteral(n)
	}
	lw.fail("%T", n)
	return value{}
}

func (lw *lowerer) constant(c any) value {
	switch x := c.(type) {
	case nil:
		return value{k: kNil, konst: true}
	case bool:
		return cBool(x)
	case int:
		return cInt(x)
	case float64:
		return cFloat(x)
	case string:
		return cString(x)
	case time.Duration:
		return cDur(x)
	case map[string]struct{}, map[int]struct{}:
		return value{k: kSet, konst: true, c: x}
	case []any:
		for _, e := range x {
			switch e.(type) {
			case bool, int, float64, string:
			default:
				lw.fail("constant array of %T", e)
			}
		}
		return value{k: kArray, konst: true, c: x}
	}
	lw.fail("constant of type %T", c)
	return value{}
}

// fetchIndex resolves a top-level name as expr's runtime.Fetch does on a
// pointer environment (the compiler emits OpLoadConst for it): a method of
// that name wins, then the field found by reflect's FieldByNameFunc with
// expr's tag rules.
func (m *Model) fetchIndex(env reflect.Type, name string) ([]int, bool) {
	k := fieldKey{env, name}
	if f, ok := m.fields[k]; ok {
		return f.index, f.ok
	}
	index, ok := fetchIndex(env, name)
	if m.fields == nil {
		m.fields = map[fieldKey]fieldIndex{}
	}
	m.fields[k] = fieldIndex{index, ok}
	return index, ok
}

func fetchIndex(env reflect.Type, name string) ([]int, bool) {
	if _, ok := env.MethodByName(name); ok {
		return nil, false
	}
	t := env.Elem()
	field, ok := t.FieldByNameFunc(func(n string) bool {
		field, _ := t.FieldByName(n)
		switch field.Tag.Get("expr") {
		case "-":
			return false
		case name:
			return true
		default:
			return n == name
		}
	})
	if !ok {
		return nil, false
	}
	return field.Index, true
}

func (lw *lowerer) identifier(n *ast.IdentifierNode) value {
	if n.Value == "$env" {
		lw.iface = true
		return value{k: kEnv}
	}
	for i := len(lw.vars) - 1; i >= 0; i-- {
		if lw.vars[i].name == n.Value {
			return lw.vars[i].v
		}
	}
	if ok, _, _ := checker.FieldIndex(lw.cache, lw.env, n); ok {
		// A struct environment (not ours: NewModel takes a pointer) would
		// compile to OpLoadField.
		lw.fail("field of a struct environment")
	}
	index, ok := lw.m.fetchIndex(lw.m.env, n.Value)
	if !ok {
		lw.fail("name %s is not a field", n.Value)
	}
	hs, t := chain(lw.m.env.Elem(), index)
	if t != n.Type() {
		lw.fail("name %s: checker and runtime disagree on its type", n.Value)
	}
	return lw.field(&access{root: fromEnv, hops: hs}, t)
}

// field returns the value of type t that a reaches.
func (lw *lowerer) field(a *access, t reflect.Type) value {
	switch scalarKind(t) {
	case kBool:
		return value{k: kBool, b: read[bool](a), dr: directOf(a)}
	case kInt:
		return value{k: kInt, i: read[int](a), dr: directOf(a)}
	case kFloat:
		return value{k: kFloat, f: read[float64](a), dr: directOf(a)}
	case kString:
		return value{k: kString, s: read[string](a), dr: directOf(a)}
	case kTime:
		return value{k: kTime, t: read[time.Time](a)}
	}
	switch {
	case t.Kind() == reflect.Pointer && scalarKind(t.Elem()) != 0:
		switch scalarKind(t.Elem()) {
		case kBool:
			return value{k: kBool, null: true, raw: true, b: readPtr[bool](a)}
		case kInt:
			return value{k: kInt, null: true, raw: true, i: readPtr[int](a)}
		case kFloat:
			return value{k: kFloat, null: true, raw: true, f: readPtr[float64](a)}
		case kString:
			return value{k: kString, null: true, raw: true, s: readPtr[string](a)}
		case kTime:
			return value{k: kTime, null: true, raw: true, t: readPtr[time.Time](a)}
		}
	case isRecord(t):
		return value{k: kRef, at: a, rt: t, ptr: a.addr()}
	case t.Kind() == reflect.Pointer && isRecord(t.Elem()):
		// The struct is reached through the pointer; the pointer itself
		// may be nil, which only a field access fails on.
		loaded := a.then([]hop{{deref: true}, {}})
		return value{k: kRef, at: loaded, rt: t.Elem(), ptr: read[unsafe.Pointer](a)}
	case t.Kind() == reflect.Slice && elemOK(t.Elem()):
		return value{k: kList, at: a, rt: t}
	case t.Kind() == reflect.Map && t.Key() == stringType && t.Name() == "":
		return value{k: kMap, at: a, rt: t}
	}
	lw.fail("field of type %s", t)
	return value{}
}

// member lowers a.b and a[i], following expr's compiler: a chain of
// struct fields is one fetch with the concatenated index, anything else a
// runtime.Fetch.
func (lw *lowerer) member(n *ast.MemberNode) value {
	if n.Method {
		lw.fail("method member")
	}
	if ok, _, _ := checker.MethodIndex(lw.cache, lw.env, n); ok {
		lw.fail("method %s", n)
	}
	if n.Optional {
		ok, index, _ := checker.FieldIndex(lw.cache, lw.env, n)
		if !ok {
			return lw.optionalKey(n)
		}
		return lw.optional(n, append([]int(nil), index...))
	}
	if ok, index, _ := checker.FieldIndex(lw.cache, lw.env, n); ok {
		index = append([]int(nil), index...)
		node, base := n, n.Node
		for !node.Optional {
			if id, isIdent := base.(*ast.IdentifierNode); isIdent {
				if ok, _, _ := checker.FieldIndex(lw.cache, lw.env, id); ok {
					lw.fail("field of a struct environment")
				}
			}
			mb, isMember := base.(*ast.MemberNode)
			if !isMember {
				break
			}
			ok, mi, _ := checker.FieldIndex(lw.cache, lw.env, mb)
			if !ok {
				break
			}
			index = append(append([]int(nil), mi...), index...)
			node, base = mb, mb.Node
		}
		if node.Optional {
			lw.fail("optional member")
		}
		b := lw.node(base)
		if b.k != kRef {
			lw.fail("field of a %s", b.k)
		}
		if bt := base.Type(); bt != b.rt && !(bt.Kind() == reflect.Pointer && bt.Elem() == b.rt) {
			lw.fail("checker and runtime disagree on the type of %s", base)
		}
		hs, t := chain(b.rt, index)
		if t != n.Type() {
			lw.fail("checker and runtime disagree on the type of %s", n)
		}
		return lw.field(b.at.then(hs), t)
	}
	b := lw.node(n.Node)
	switch b.k {
	case kList:
		return lw.index(b, strict(lw.node(n.Property)))
	case kMap:
		if b.lit {
			// A nil key is one the map lacks: left to the VM.
			key := lw.node(n.Property)
			if key.null || key.raw {
				lw.fail("key of a map literal that may be nil")
			}
			return lw.get(b, key)
		}
		key, ok := n.Property.(*ast.StringNode)
		if !ok {
			return lw.mapIndex(b, strict(lw.node(n.Property)))
		}
		return lw.mapKey(b, key.Value)
	case kRef:
		if key, ok := n.Property.(*ast.StringNode); ok {
			return lw.fieldByName(b, key.Value, n.Type())
		}
	}
	lw.fail("fetch from a %s", b.k)
	return value{}
}

// index lowers list[i], as runtime.Fetch: a negative index counts from
// the end, one out of range fails.
func (lw *lowerer) index(l, i value) value {
	if i.k != kInt {
		lw.fail("index of kind %s", i.k)
	}
	et := l.rt.Elem()
	size := et.Size()
	hdr := l.at.addr()
	idx := i.i
	elem := func(f *frame) (unsafe.Pointer, error) {
		h, err := hdr(f)
		if err != nil {
			return nil, err
		}
		x, err := idx(f)
		if err != nil {
			return nil, err
		}
		s := (*sliceHeader)(h)
		if x < 0 {
			x += s.len
		}
		if x < 0 || x >= s.len {
			return nil, errFail
		}
		return unsafe.Add(s.data, uintptr(x)*size), nil
	}
	if et.Kind() == reflect.Pointer {
		// The element is a pointer to a struct: load it; nil fails only
		// when a field is read.
		return value{k: kRef, at: &access{root: fromBase, base: derefEval(elem), hops: []hop{{}}}, rt: et.Elem(), ptr: derefEval(elem)}
	}
	return lw.field(&access{root: fromBase, base: elem, hops: []hop{{}}}, et)
}

func derefEval(e eval[unsafe.Pointer]) eval[unsafe.Pointer] {
	return func(f *frame) (unsafe.Pointer, error) {
		p, err := e(f)
		if err != nil {
			return nil, err
		}
		return *(*unsafe.Pointer)(p), nil
	}
}

// mapKey lowers m["key"]: runtime.Fetch gives the zero value for a key
// that is absent.
func (lw *lowerer) mapKey(m value, key string) value {
	at := m.at.addr()
	switch m.rt {
	case mapOfString:
		return value{k: kString, s: mapRead[string](at, key)}
	case mapOfInt:
		return value{k: kInt, i: mapRead[int](at, key)}
	case mapOfFloat:
		return value{k: kFloat, f: mapRead[float64](at, key)}
	case mapOfBool:
		return value{k: kBool, b: mapRead[bool](at, key)}
	}
	et := m.rt.Elem()
	if et.Kind() != reflect.Pointer || !isRecord(et.Elem()) {
		lw.fail("map of %s", et)
	}
	mt, k := m.rt, reflect.ValueOf(key)
	get := func(f *frame) (unsafe.Pointer, error) {
		p, err := at(f)
		if err != nil {
			return nil, err
		}
		v := reflect.NewAt(mt, p).Elem().MapIndex(k)
		if !v.IsValid() {
			return nil, nil
		}
		return v.UnsafePointer(), nil
	}
	return value{k: kRef, at: &access{root: fromBase, base: get, hops: []hop{{}}}, rt: et.Elem(), ptr: get}
}

func mapRead[T any](at eval[unsafe.Pointer], key string) eval[T] {
	return func(f *frame) (T, error) {
		p, err := at(f)
		if err != nil {
			var z T
			return z, err
		}
		return (*(*map[string]T)(p))[key], nil
	}
}

// pointer lowers # and #index inside a predicate.
func (lw *lowerer) pointer(n *ast.PointerNode) value {
	if len(lw.scopes) == 0 {
		lw.fail("# outside a predicate")
	}
	et := lw.scopes[len(lw.scopes)-1]
	switch n.Name {
	case "acc":
		if len(lw.accs) == 0 {
			lw.fail("#acc outside reduce")
		}
		return lw.accs[len(lw.accs)-1]
	case "index":
		return value{k: kInt, i: func(f *frame) (int, error) { return f.index, nil }}
	case "":
		if et.Kind() == reflect.Pointer {
			et = et.Elem() // the loop puts the loaded pointer in f.item
		}
		item := func(f *frame) (unsafe.Pointer, error) { return f.item, nil }
		a := &access{root: fromItem, hops: []hop{{}}}
		if isRecord(et) {
			return value{k: kRef, at: a, rt: et, ptr: item}
		}
		return lw.field(a, et)
	}
	lw.fail("#%s", n.Name)
	return value{}
}
