package rules

import (
	"errors"
	"reflect"
	"time"
	"unsafe"
)

// The fast evaluator.
//
// Compile lowers the type-checked expr AST of a program into a tree of Go
// closures typed by result (eval[bool], eval[int], eval[float64], ...), see
// lower.go. The closures read the environment through field offsets worked
// out once, at compile time, so that a rule such as
//
//	years_trading >= 3 && security.seals
//
// costs a few loads and compares instead of a reflective field lookup, an
// allocation to box each value and an interpreter loop. Whatever the
// lowering does not cover is left to expr's VM, whole programs at a time.
//
// The contract is exact equivalence with the VM: a lowered program gives
// the value the VM gives, and fails where the VM fails. Failures are not
// reproduced message for message: when the fast path fails (errFail), or
// meets a value it did not expect (errDefer), or a function panics, the
// Runner runs the program again on the VM, which then produces the value or
// the error the caller sees. The differential fuzz test (FuzzFastVsVM)
// holds the lowering to this contract.
//
// Lowered: literals and expr's constant sets and arrays; fields of the
// environment and of predicate elements (bool, int, float64, string,
// time.Time, pointers to those, structs, slices, maps with string keys),
// through any chain of struct fields and pointers; list[i], list[a:b],
// map["key"] and map[key]; a?.b; let (lower_lists.go); ! - + && || (chains
// of them as one closure) ?: ??; == != < <= > >= on numbers, strings,
// dates and nil; + - * / % ** with expr's int/float promotion, checked
// (arith.go); in over sets, arrays, slices and map keys; contains,
// startsWith, endsWith, matches; all any none one count sum len abs floor
// ceil round int float max min mean median; the lists a rule builds
// (filter, map, ranges, take, reverse, sort, uniq, concat, keys, values)
// and what reads them (first, last, find, findIndex, reduce); the string
// builtins (lower_strings.go); get, date("...") and date ± duration("...");
// facts.NAME; days_between, years_between, within_period (years_since,
// days_since, within); contains_any, contains_all; the model's functions
// with scalar arguments. Not lowered: groupBy, sortBy, type, the time
// methods, other integer and float types, named types: these run on the
// guarded VM (guard.go), with the same bounds and the same results.
//
// expr's own rules that the lowering follows, each where it applies:
// identifiers are read as runtime.Fetch reads them; a pointer is
// dereferenced only where the compiler emits OpDeref (not in predicate
// bodies or arguments); == compiles to OpEqualInt or OpEqualString from the
// types the checker recorded, which fail on nil; an empty sum of floats is
// the int 0; max and min return the winning argument's type; the optimiser
// may copy a folded node's type onto its replacement, so a node whose
// recorded type disagrees with what is read is left to the VM.

// Internal outcomes of a lowered program. None reaches a caller.
var (
	// errNil carries expr's nil through typed closures: the value is a
	// nil pointer. Only the operators that accept nil (==, !=, in, ??) and
	// the pass-through positions (the right operand of && and ||, the
	// branches of ?:) let it through; everything else turns it into
	// errFail, as the VM fails there.
	errNil = errors.New("rules: nil value")
	// errFail means the VM fails at this point too.
	errFail = errors.New("rules: expression fails")
	// errDefer means a value was not of the type the lowering expected
	// (a function returned another type than it declared): the VM decides.
	errDefer = errors.New("rules: deferred to the VM")
)

// An eval is one lowered node.
type eval[T any] func(*frame) (T, error)

// A frame is the state of one evaluation. It lives in the Runner, so that
// evaluating allocates nothing; closures keep no state of their own.
type frame struct {
	env    unsafe.Pointer    // the environment struct
	iface  any               // the environment as given, for functions
	facts  FactSource        // the environment's extra facts, when read
	ifacts IndexedFactSource // the same, by position, when it serves them
	item   unsafe.Pointer    // the element of the innermost predicate
	index  int               // and its index
	args   []any             // arguments of function calls, used as a stack
	bud    budget            // the bounds of the evaluation
	// Slots of let variables, reduce accumulators and the headers of
	// the lists a program builds, by kind, sized by prepare; vn marks a
	// variable that holds nil.
	vi    []int
	vf    []float64
	vs    []string
	vb    []bool
	vt    []time.Time
	vp    []unsafe.Pointer
	vh    []sliceHeader
	vn    []bool
	dirty bool // slots or arenas were used since the last release
	// Arenas of the elements of the lists a program builds, emptied at
	// the start of each evaluation.
	ai []int
	af []float64
	as []string
	ab []bool
	at []time.Time
	ap []unsafe.Pointer
	// vmOnly makes every program run on the VM, for the differential
	// tests.
	vmOnly bool
}

// step charges n steps to the frame's budget; a nil frame is a constant
// being folded at compile time, which costs nothing.
func (f *frame) step(n int) error {
	if f == nil {
		return nil
	}
	return f.bud.step(n)
}

// alloc charges n bytes built, after checking that they fit.
func (f *frame) alloc(n int) error {
	if f == nil {
		return nil
	}
	if err := f.bud.fits(n); err != nil {
		return err
	}
	return f.bud.alloc(n)
}

// slotCounts are the slots of each kind a program needs, and whether it
// builds lists (h > 0: it uses the arenas).
type slotCounts struct{ i, f, s, b, t, p, h, n int }

// prepare sizes the frame's slots for c and empties its arenas.
func (f *frame) prepare(c *slotCounts) {
	if len(f.vi) < c.i || len(f.vf) < c.f || len(f.vs) < c.s || len(f.vb) < c.b ||
		len(f.vt) < c.t || len(f.vp) < c.p || len(f.vh) < c.h || len(f.vn) < c.n {
		f.vi, f.vf, f.vs, f.vb = grown(f.vi, c.i), grown(f.vf, c.f), grown(f.vs, c.s), grown(f.vb, c.b)
		f.vt, f.vp, f.vh, f.vn = grown(f.vt, c.t), grown(f.vp, c.p), grown(f.vh, c.h), grown(f.vn, c.n)
	}
	f.dirty = true
	if c.h > 0 {
		f.ai, f.af, f.as, f.ab, f.at, f.ap = f.ai[:0], f.af[:0], f.as[:0], f.ab[:0], f.at[:0], f.ap[:0]
	}
}

// release drops what the frame's slots and arenas refer to, so that a
// pooled Runner keeps no environment alive.
func (f *frame) release() {
	if !f.dirty {
		return
	}
	f.dirty = false
	clear(f.vs)
	clear(f.vp)
	clear(f.vh)
	clear(f.as[:cap(f.as)])
	clear(f.ap[:cap(f.ap)])
}

func grown[T any](xs []T, n int) []T {
	if len(xs) < n {
		return make([]T, n)
	}
	return xs
}

// reserve appends n zero elements to the arena *a and returns where they
// start. The caller writes them through *a, which nested builds may
// reallocate, and gives back what it did not use with trim.
func reserve[T any](a *[]T, n int) int {
	start := len(*a)
	*a = append(*a, make([]T, n)...)
	return start
}

// trim gives back the end of a reservation made at start for n elements
// of which k were used, when nothing was reserved after it.
func trim[T any](a *[]T, start, n, k int) {
	if len(*a) == start+n {
		*a = (*a)[:start+k]
	}
}

// header returns the header of the k elements of arena a from start.
func header[T any](a []T, start, k int) sliceHeader {
	if k == 0 {
		return sliceHeader{data: unsafe.Pointer(&emptyArray), len: 0}
	}
	return sliceHeader{data: unsafe.Pointer(&a[start]), len: k, cap: k}
}

// emptyArray is where an empty list built by a program points: an empty
// list is not nil.
var emptyArray [1]uint64

// A fastProg is the lowered form of a program.
type fastProg struct {
	typ   unsafe.Pointer // type word of the environment, (*T)
	b     eval[bool]     // for Bool; nil unless the result is a boolean
	n     eval[float64]  // for Number; nil unless the result is a number
	a     eval[any]      // for Run; nil unless the result has a fixed Go type
	d     eval[any]      // the result dereferenced, nil for a nil pointer, for Failed
	facts bool           // reads extra facts
	iface bool           // passes the environment to functions
	user  bool           // calls code that is not ours, or needs iface or facts
	guard bool           // calls code that may panic: run under a recover
	// slots, when not nil, are what the frame must hold: see prepare.
	slots *slotCounts
}

type eface struct {
	typ, data unsafe.Pointer
}

func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// envData returns the struct pointer inside env if env is a non-nil
// pointer of the type whose type word is typ.
func envData(env any, typ unsafe.Pointer) unsafe.Pointer {
	e := (*eface)(unsafe.Pointer(&env))
	if e.typ != typ {
		return nil
	}
	return e.data
}

// start prepares fr to run fp on env and reports whether the fast path
// applies: env must be a non-nil pointer of the environment type.
func (fr *frame) start(fp *fastProg, env any) bool {
	p := envData(env, fp.typ)
	if p == nil {
		return false
	}
	fr.env = p
	if fp.iface {
		fr.iface = env
	}
	if fp.facts {
		fr.facts, _ = env.(FactSource)
		fr.ifacts, _ = env.(IndexedFactSource)
	}
	return true
}

// finish drops the references fr holds, so that a pooled Runner does not
// keep an environment alive.
func (fr *frame) finish() {
	fr.env, fr.item, fr.iface, fr.facts, fr.ifacts = nil, nil, nil, nil, nil
	clear(fr.args[:cap(fr.args)])
	fr.args = fr.args[:0]
}

// runFast evaluates fn on env. err is nil when fn gave the value,
// errStop when the budget or the context stopped it (the frame's budget
// says why), and anything else when the VM must decide: the environment
// is not of the model's type, or the fast path failed. It is small
// enough to inline: a program that calls no code of the host's runs
// with one closure call, and without a deferred recover (which would
// double the cost of a small rule): lowered closures check every
// pointer, index and divisor, so no input makes them panic. Programs
// that call host code (functions, FactSource) run guarded, in runSlow.
func runFast[T any](fr *frame, fp *fastProg, fn eval[T], env any) (v T, err error) {
	e := (*eface)(unsafe.Pointer(&env))
	if fp.user || e.typ != fp.typ || e.data == nil || fr.vmOnly {
		return runSlow(fr, fp, fn, env)
	}
	fr.env = e.data
	fr.bud.reset()
	if fp.slots != nil {
		fr.prepare(fp.slots)
	}
	v, err = fn(fr)
	fr.env = nil
	return v, err
}

// runSlow is runFast for programs that call functions or read extra
// facts, and for environments of another type.
func runSlow[T any](fr *frame, fp *fastProg, fn eval[T], env any) (v T, err error) {
	if fr.vmOnly || !fr.start(fp, env) {
		return v, errDefer
	}
	if fp.slots != nil {
		fr.prepare(fp.slots)
	}
	if !fp.guard {
		fr.bud.reset()
		v, err = fn(fr)
		fr.finish()
		return v, err
	}
	return runGuarded(fr, fn)
}

// runGuarded is runFast for programs that call functions or read extra
// facts: their panics send the program to the VM, which reports them.
func runGuarded[T any](fr *frame, fn eval[T]) (v T, err error) {
	defer func() {
		if recover() != nil {
			err = errDefer
		}
		fr.finish()
	}()
	fr.bud.reset()
	return fn(fr)
}

// sliceHeader is the layout of a Go slice.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

// A hop is one move along a chain of struct fields: add off to the
// pointer, then, if deref, load the pointer stored there (a nil pointer
// ends the walk).
type hop struct {
	off   uintptr
	deref bool
}

// chain works out the hops that reach the field with index path index
// inside struct type st, as expr's runtime.FetchField and reflect's
// FieldByIndex walk it: an embedded pointer between two indexes is
// dereferenced, and a nil one ends the walk. The last hop has deref
// false. chain also returns the field's type.
func chain(st reflect.Type, index []int) ([]hop, reflect.Type) {
	var hops []hop
	var off uintptr
	t := st
	for i, x := range index {
		if i > 0 && t.Kind() == reflect.Pointer {
			hops = append(hops, hop{off: off, deref: true})
			off = 0
			t = t.Elem()
		}
		f := t.Field(x)
		off += f.Offset
		t = f.Type
	}
	return append(hops, hop{off: off}), t
}

// walk follows hops from p; false if a pointer on the way is nil.
func walk(p unsafe.Pointer, hops []hop) (unsafe.Pointer, bool) {
	for _, h := range hops {
		p = unsafe.Add(p, h.off)
		if h.deref {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return nil, false
			}
		}
	}
	return p, true
}

// A fieldPath is the fast form of a path, for Missing and Values: the hops
// from the environment struct to the fact, and the fact's type.
type fieldPath struct {
	hops []hop
	leaf reflect.Type
	// key, when set, is a last step into a map[string]string leaf (a
	// self-assessment answer): present when the key is there and its value
	// is not empty.
	key    string
	hasKey bool
}

// newFieldPath builds the fast form of a path through struct fields in
// environment type env (a pointer to a struct), walking it as path.walk
// does; false when the path crosses a map or an interface.
func newFieldPath(env reflect.Type, steps []step) (*fieldPath, bool) {
	fp := &fieldPath{}
	if n := len(steps); n > 1 && steps[n-1].key.IsValid() && steps[n-1].key.Kind() == reflect.String {
		// A map[string]string key at the end: the map by the fast walk,
		// the key by a plain lookup, so that no value is copied.
		head, ok := newFieldPath(env, steps[:n-1])
		if !ok || head.leaf != stringMapType || head.hasKey {
			return nil, false
		}
		head.key, head.hasKey = steps[n-1].key.String(), true
		return head, true
	}
	t := env.Elem() // the caller starts from the struct
	var off uintptr // offset not yet added to a hop
	for i, st := range steps {
		if st.key.IsValid() {
			return nil, false
		}
		deref := false
		for i > 0 && t.Kind() == reflect.Pointer {
			fp.hops = append(fp.hops, hop{off: off, deref: true})
			off = 0
			t = t.Elem()
			if deref {
				return nil, false // a pointer to a pointer
			}
			deref = true
		}
		if t.Kind() != reflect.Struct {
			return nil, false
		}
		hs, leaf := chain(t, st.index)
		hs[0].off += off
		fp.hops = append(fp.hops, hs[:len(hs)-1]...)
		off = hs[len(hs)-1].off
		t = leaf
	}
	fp.hops = append(fp.hops, hop{off: off})
	fp.leaf = t
	return fp, true
}

// present reports whether the fact at the end of fp is present in the
// environment struct at p, by the rules of path.present.
func (fp *fieldPath) present(p unsafe.Pointer) bool {
	a, ok := walk(p, fp.hops)
	if !ok {
		return false
	}
	if fp.hasKey {
		return len((*(*map[string]string)(a))[fp.key]) > 0
	}
	switch fp.leaf.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface:
		return *(*unsafe.Pointer)(a) != nil
	case reflect.Slice:
		return (*sliceHeader)(a).data != nil
	case reflect.String:
		return len(*(*string)(a)) > 0
	case reflect.Struct:
		if fp.leaf == timeType {
			return !(*time.Time)(a).IsZero()
		}
	}
	return true
}

var stringMapType = reflect.TypeOf(map[string]string(nil))
