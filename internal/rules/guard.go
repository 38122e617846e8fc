package rules

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"
	"github.com/expr-lang/expr/vm/runtime"
)

// The guarded VM.
//
// expr's VM knows nothing of our budgets, of the caller's context or of
// non-finite numbers: it divides by zero into +Inf, loops as long as the
// data lets it and concatenates strings without counting them. Before a
// program is compiled for the VM, guard rewrites its checked tree so that
// the VM enforces what the lowered closures enforce:
//
//   - arithmetic (+ - * / % ** and unary -) calls checked functions that
//     fail on a result that is not a finite number or on an integer
//     overflow, and sum becomes a reduce over the checked +;
//   - the list, map or string a builtin goes over passes through a hook
//     that charges its length to the budget, and what a builtin builds
//     through one that charges its size;
//   - string concatenation, ranges, repeat, replace and matches with a
//     computed pattern are done by hooks that check the budget before
//     building anything.
//
// The checked functions are plain Go functions called through expr's
// OpCallTyped (func(any, any) any), which passes its arguments on the
// stack: no argument slice is allocated. The hooks need the state of the
// evaluation (its budget and context), which belongs to the Runner: a
// hook's call site loads its function from one of the first VM
// variables, which each Runner fills with closures over its own state,
// and the program's own variables (let) are moved up past them (see
// patchHooks).

// A hook names a function of the Runner that a guarded program calls.
type hook struct {
	slot int
	name string
}

// The hooks, by slot.
var (
	hookSteps   = &hook{0, "steps"}   // charges the length of a list, map or string
	hookMem     = &hook{1, "memory"}  // charges the size of a value built
	hookConcat  = &hook{2, "concat"}  // a + b
	hookRange   = &hook{3, "range"}   // a..b
	hookRepeat  = &hook{4, "repeat"}  // repeat(s, n)
	hookReplace = &hook{5, "replace"} // replace(s, [old, new, n])
	hookMatches = &hook{6, "matches"} // s matches pattern, pattern computed
)

const numHooks = 7

var (
	anyFunc1 = reflect.TypeOf(func(any) any { return nil })
	anyFunc2 = reflect.TypeOf(func(any, any) any { return nil })
	anyType  = reflect.TypeOf((*any)(nil)).Elem()
)

// call returns a call of fn (a func(any) any or func(any, any) any, or a
// *hook) on args, typed as n is.
func call(n ast.Node, fn any, args ...ast.Node) *ast.CallNode {
	callee := &ast.ConstantNode{Value: fn}
	if len(args) == 1 {
		callee.SetType(anyFunc1)
	} else {
		callee.SetType(anyFunc2)
	}
	c := &ast.CallNode{Callee: callee, Arguments: args}
	c.SetNature(*n.Nature())
	c.SetLocation(n.Location())
	return c
}

// isGuard reports whether n is a call guard made.
func isGuard(n ast.Node) bool {
	c, ok := n.(*ast.CallNode)
	if !ok {
		return false
	}
	k, ok := c.Callee.(*ast.ConstantNode)
	if !ok {
		return false
	}
	switch k.Value.(type) {
	case *hook, func(any) any, func(any, any) any:
		return true
	}
	return false
}

// A guarder rewrites a tree for the VM. It remembers what it rewrote, so
// that the parts of the tree a program keeps to run on their own (see
// sub) are guarded as the whole tree is, by the same replacements.
type guarder struct {
	done map[ast.Node]ast.Node
}

func newGuarder() *guarder { return &guarder{done: map[ast.Node]ast.Node{}} }

// guard rewrites the tree at root, in place, children first.
func (g *guarder) guard(node *ast.Node) {
	n := *node
	if n == nil {
		return
	}
	if r, ok := g.done[n]; ok {
		*node = r
		return
	}
	if isGuard(n) {
		return
	}
	for _, c := range slots(n) {
		g.guard(c)
	}
	visit(node)
	g.done[n] = *node
}

// slots returns the places of n's children.
func slots(n ast.Node) []*ast.Node {
	switch n := n.(type) {
	case *ast.UnaryNode:
		return []*ast.Node{&n.Node}
	case *ast.BinaryNode:
		return []*ast.Node{&n.Left, &n.Right}
	case *ast.ChainNode:
		return []*ast.Node{&n.Node}
	case *ast.MemberNode:
		return []*ast.Node{&n.Node, &n.Property}
	case *ast.SliceNode:
		return []*ast.Node{&n.Node, &n.From, &n.To}
	case *ast.CallNode:
		out := []*ast.Node{&n.Callee}
		for i := range n.Arguments {
			out = append(out, &n.Arguments[i])
		}
		return out
	case *ast.BuiltinNode:
		var out []*ast.Node
		for i := range n.Arguments {
			out = append(out, &n.Arguments[i])
		}
		if n.Map != nil {
			out = append(out, &n.Map)
		}
		return out
	case *ast.PredicateNode:
		return []*ast.Node{&n.Node}
	case *ast.VariableDeclaratorNode:
		return []*ast.Node{&n.Value, &n.Expr}
	case *ast.SequenceNode:
		out := make([]*ast.Node, len(n.Nodes))
		for i := range n.Nodes {
			out[i] = &n.Nodes[i]
		}
		return out
	case *ast.ConditionalNode:
		return []*ast.Node{&n.Cond, &n.Exp1, &n.Exp2}
	case *ast.ArrayNode:
		out := make([]*ast.Node, len(n.Nodes))
		for i := range n.Nodes {
			out[i] = &n.Nodes[i]
		}
		return out
	case *ast.MapNode:
		out := make([]*ast.Node, len(n.Pairs))
		for i := range n.Pairs {
			out[i] = &n.Pairs[i]
		}
		return out
	case *ast.PairNode:
		return []*ast.Node{&n.Key, &n.Value}
	}
	return nil
}

// visit rewrites one node whose children are guarded.
func visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.BinaryNode:
		switch n.Operator {
		case "+":
			if t := n.Type(); t.Kind() == reflect.String || t.Kind() == reflect.Interface {
				*node = call(n, hookConcat, n.Left, n.Right)
				return
			}
			*node = call(n, checkedAdd, n.Left, n.Right)
		case "-":
			*node = call(n, checkedSub, n.Left, n.Right)
		case "*":
			*node = call(n, checkedMul, n.Left, n.Right)
		case "/":
			*node = call(n, checkedDiv, n.Left, n.Right)
		case "%":
			*node = call(n, checkedMod, n.Left, n.Right)
		case "**", "^":
			*node = call(n, checkedPow, n.Left, n.Right)
		case "..":
			*node = call(n, hookRange, n.Left, n.Right)
		case "in":
			// Membership in a list scans it; in a map or a constant set
			// it is a lookup.
			if k := n.Right.Type().Kind(); sized(n.Right) && k != reflect.Map && k != reflect.String && !isGuard(n.Right) {
				n.Right = call(n.Right, hookSteps, n.Right)
			}
		case "matches":
			if _, ok := n.Right.(*ast.StringNode); !ok {
				*node = call(n, hookMatches, n.Left, n.Right)
			}
		}
	case *ast.UnaryNode:
		if n.Operator == "-" {
			*node = call(n, checkedNeg, n.Node)
		}
	case *ast.BuiltinNode:
		guardBuiltin(node, n)
	case *ast.ArrayNode, *ast.MapNode:
		// A literal is as long as its text, but one built in a loop is
		// built again each time round.
		*node = call(*node, hookMem, *node)
	}
}

// loops are the builtins compiled as loops over their first argument.
var loops = map[string]bool{
	"all": true, "any": true, "none": true, "one": true, "filter": true, "map": true, "count": true,
	"sum": true, "find": true, "findIndex": true, "findLast": true, "findLastIndex": true,
	"groupBy": true, "sortBy": true, "reduce": true,
}

// builds are the builtins whose result is a new string, list or map.
var builds = map[string]bool{
	"filter": true, "map": true, "groupBy": true, "sortBy": true, "sort": true, "reverse": true,
	"uniq": true, "concat": true, "flatten": true, "keys": true, "values": true, "toPairs": true,
	"fromPairs": true, "split": true, "splitAfter": true, "join": true, "upper": true, "lower": true,
	"trim": true, "trimPrefix": true, "trimSuffix": true, "toJSON": true, "fromJSON": true,
	"toBase64": true, "fromBase64": true, "take": true, "string": true,
}

func guardBuiltin(node *ast.Node, n *ast.BuiltinNode) {
	// Every list, map or string a builtin reads costs its length; a
	// predicate's body is not an input.
	for i, a := range n.Arguments {
		if _, pred := a.(*ast.PredicateNode); pred || isHook(a, hookSteps) || !sized(a) {
			continue
		}
		if i > 0 && loops[n.Name] {
			continue // reduce's initial value, a count threshold
		}
		if k := a.Type().Kind(); n.Name == "len" && k != reflect.String && k != reflect.Interface {
			continue // the length of a list or map is known without a scan
		}
		if n.Name == "first" || n.Name == "last" || n.Name == "get" {
			continue // one element, found without a scan
		}
		n.Arguments[i] = call(a, hookSteps, a)
	}
	switch n.Name {
	case "findLast", "findLastIndex":
		*node = forwardLast(n)
	case "sum":
		*node = sumAsReduce(n)
	case "abs":
		*node = call(n, checkedAbs, n.Arguments[0])
	case "int":
		*node = call(n, checkedInt, n.Arguments[0])
	case "float":
		*node = call(n, checkedFloat, n.Arguments[0])
	case "mean", "median":
		*node = call(n, checkedFinite, n)
	case "repeat":
		if len(n.Arguments) == 2 {
			*node = call(n, hookRepeat, n.Arguments[0], n.Arguments[1])
		}
	case "replace":
		if len(n.Arguments) >= 3 {
			rest := &ast.ArrayNode{Nodes: n.Arguments[1:]}
			rest.SetType(reflect.TypeOf([]any(nil)))
			rest.SetLocation(n.Location())
			*node = call(n, hookReplace, n.Arguments[0], rest)
		}
	default:
		if builds[n.Name] && (n.Name != "string" || sized(n.Arguments[0])) {
			// string of a scalar is a few bytes.
			*node = call(n, hookMem, n)
		}
	}
}

// sized reports whether n may be a list, a map or a string of any length:
// constants are not.
func sized(n ast.Node) bool {
	switch n.(type) {
	case *ast.StringNode, *ast.ConstantNode, *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.NilNode:
		return false
	}
	t := n.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map, reflect.String, reflect.Interface:
		return true
	}
	return false
}

// sumAsReduce rewrites sum(l) and sum(l, p) as reduce(l, p + #acc, 0)
// with the checked +, in the order sum adds: element, then accumulator.
func sumAsReduce(n *ast.BuiltinNode) ast.Node {
	var body ast.Node
	if len(n.Arguments) == 2 {
		p, ok := n.Arguments[1].(*ast.PredicateNode)
		if !ok {
			return n
		}
		body = p.Node
	} else {
		ptr := &ast.PointerNode{}
		ptr.SetType(elemType(n.Arguments[0].Type()))
		body = ptr
	}
	acc := &ast.PointerNode{Name: "acc"}
	acc.SetNature(*n.Nature())
	add := &ast.BinaryNode{Operator: "+", Left: body, Right: acc}
	add.SetNature(*n.Nature())
	pred := &ast.PredicateNode{Node: call(add, checkedAdd, body, acc)}
	pred.SetNature(*n.Nature())
	zero := &ast.IntegerNode{Value: 0}
	zero.SetType(reflect.TypeOf(0))
	r := &ast.BuiltinNode{Name: "reduce", Arguments: []ast.Node{n.Arguments[0], pred, zero}}
	r.SetNature(*n.Nature())
	r.SetLocation(n.Location())
	return r
}

// forwardLast rewrites findLast and findLastIndex (and last(filter(...)),
// which expr's optimiser turns into findLast) as forward loops over the
// reversed list. expr's backward loop leaves its loop condition on the
// VM's stack, one boolean for each element it visits, beneath its result:
// an operator or call that reads what lies beneath, as in
// x + findLastIndex(l, p) or [1, findLast(l, p)], then reads a stray
// boolean and answers wrong or fails. find over reverse(l) visits the same
// elements in the same order and stops at the same one, so it gives the
// same element, or the same error, with the stack left as it was.
func forwardLast(n *ast.BuiltinNode) ast.Node {
	if len(n.Arguments) != 2 {
		return n
	}
	list := n.Arguments[0]
	rev := &ast.BuiltinNode{Name: "reverse", Arguments: []ast.Node{list}}
	rev.SetType(reflect.TypeOf([]any(nil)))
	rev.SetLocation(n.Location())
	find := &ast.BuiltinNode{Name: "find", Arguments: []ast.Node{rev, n.Arguments[1]}, Map: n.Map, Throws: n.Throws}
	find.SetNature(*n.Nature())
	find.SetLocation(n.Location())
	if n.Name == "findLast" {
		return find
	}
	// The index in the reversed list, turned back: the list's length less
	// one less it, nil (expr's "not found") staying nil.
	find.Name = "findIndex"
	if isHook(list, hookSteps) {
		list = list.(*ast.CallNode).Arguments[0] // scanned once, by reverse
	}
	size := &ast.BuiltinNode{Name: "len", Arguments: []ast.Node{list}}
	size.SetType(reflect.TypeOf(0))
	size.SetLocation(n.Location())
	return call(n, indexFromEnd, find, size)
}

// indexFromEnd turns an index i in a reversed list of n elements back into
// one in the list; nil stays nil.
var indexFromEnd = func(i, n any) any {
	if i == nil {
		return nil
	}
	return runtime.ToInt(n) - 1 - runtime.ToInt(i)
}

func elemType(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		return t.Elem()
	}
	return anyType
}

// patchHooks replaces, in prog's bytecode, each load of a hook (pushed as
// a constant) by a load of the VM variable that holds the Runner's
// function for it, and moves the program's own variables up past those
// slots. It returns how many VM variables prog then needs.
func patchHooks(prog *vm.Program) int {
	vars := numHooks
	for i, op := range prog.Bytecode {
		switch op {
		case vm.OpPush:
			if h, ok := prog.Constants[prog.Arguments[i]].(*hook); ok {
				prog.Bytecode[i], prog.Arguments[i] = vm.OpLoadVar, h.slot
			}
		case vm.OpStore, vm.OpLoadVar:
			prog.Arguments[i] += numHooks
			vars = max(vars, prog.Arguments[i]+1)
		}
	}
	return vars
}

// ---------------------------------------------------------------- checked arithmetic

func arithError(op, msg string) *ArithmeticError { return &ArithmeticError{Op: op, Msg: msg} }

// finite panics, as the VM's operations do, unless x is a finite number.
func finite(op string, x float64, divisor ...any) float64 {
	if x-x == 0 {
		return x
	}
	if len(divisor) == 1 {
		if d, ok := ToFloat(divisor[0]); ok && d == 0 {
			panic(arithError(op, "division by zero"))
		}
	}
	if math.IsNaN(x) {
		panic(arithError(op, "the result is not a number"))
	}
	panic(arithError(op, "the result overflows"))
}

// checkNumber checks the result of an operation delegated to expr's
// runtime.
func checkNumber(op string, v any, b any) any {
	switch x := v.(type) {
	case float64:
		finite(op, x, b)
	case float32:
		finite(op, float64(x), b)
	}
	return v
}

// asInt returns v as an int when it is an int or an int64.
func asInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	}
	return 0, false
}

var (
	checkedAdd = func(a, b any) any {
		switch x := a.(type) {
		case int:
			if y, ok := b.(int); ok {
				return addInt(x, y)
			}
		case float64:
			if y, ok := b.(float64); ok {
				return finite("+", x+y)
			}
		}
		a, b = deref(a), deref(b)
		if x, ok := asInt(a); ok {
			if y, ok := asInt(b); ok {
				return addInt(x, y)
			}
		}
		return checkNumber("+", runtime.Add(a, b), nil)
	}
	checkedSub = func(a, b any) any {
		switch x := a.(type) {
		case int:
			if y, ok := b.(int); ok {
				return subInt(x, y)
			}
		case float64:
			if y, ok := b.(float64); ok {
				return finite("-", x-y)
			}
		}
		a, b = deref(a), deref(b)
		if x, ok := asInt(a); ok {
			if y, ok := asInt(b); ok {
				return subInt(x, y)
			}
		}
		return checkNumber("-", runtime.Subtract(a, b), nil)
	}
	checkedMul = func(a, b any) any {
		switch x := a.(type) {
		case int:
			if y, ok := b.(int); ok {
				return mulInt(x, y)
			}
		case float64:
			if y, ok := b.(float64); ok {
				return finite("*", x*y)
			}
		}
		a, b = deref(a), deref(b)
		if x, ok := asInt(a); ok {
			if y, ok := asInt(b); ok {
				return mulInt(x, y)
			}
		}
		return checkNumber("*", runtime.Multiply(a, b), nil)
	}
	checkedDiv = func(a, b any) any {
		if x, ok := a.(float64); ok {
			if y, ok := b.(float64); ok {
				return finite("/", x/y, y)
			}
		}
		a, b = deref(a), deref(b)
		return finite("/", runtime.Divide(a, b), b)
	}
	checkedMod = func(a, b any) any {
		a, b = deref(a), deref(b)
		if _, ok := asInt(b); ok {
			if y, _ := asInt(b); y == 0 {
				panic(arithError("%", "division by zero"))
			}
		}
		return runtime.Modulo(a, b)
	}
	checkedPow = func(a, b any) any {
		a, b = deref(a), deref(b)
		return finite("**", runtime.Exponent(a, b))
	}
	checkedNeg = func(a any) any {
		a = deref(a)
		if x, ok := a.(int); ok {
			if x == math.MinInt {
				panic(arithError("-", "the result overflows"))
			}
			return -x
		}
		return runtime.Negate(a)
	}
	checkedAbs = func(a any) any {
		a = deref(a)
		if x, ok := asInt(a); ok && x == math.MinInt {
			panic(arithError("abs", "the result overflows"))
		}
		return builtin.Abs(a)
	}
	checkedInt = func(a any) any {
		a = deref(a)
		if x, ok := ToFloat(a); ok {
			if _, isInt := asInt(a); !isInt {
				if _, isUint := a.(uint64); !isUint && !(x > -(1<<63) && x < 1<<63) {
					panic(arithError("int", fmt.Sprintf("%v does not fit in an integer", a)))
				}
			}
		}
		return builtin.Int(a)
	}
	checkedFloat = func(a any) any {
		// float("NaN") and float("1e999") parse into numbers no
		// arithmetic could use; a number is converted as it is.
		a = deref(a)
		if _, isString := a.(string); isString {
			return checkNumber("float", builtin.Float(a), nil)
		}
		return builtin.Float(a)
	}
	checkedFinite = func(a any) any { return checkNumber("", deref(a), nil) }
)

func addInt(x, y int) any {
	s := x + y
	if (s > x) != (y > 0) {
		panic(arithError("+", "the result overflows"))
	}
	return s
}

func subInt(x, y int) any {
	s := x - y
	if (s < x) != (y > 0) {
		panic(arithError("-", "the result overflows"))
	}
	return s
}

func mulInt(x, y int) any {
	if x == 0 || y == 0 {
		return 0
	}
	p := x * y
	if p/y != x || (x == -1 && y == math.MinInt) || (y == -1 && x == math.MinInt) {
		panic(arithError("*", "the result overflows"))
	}
	return p
}

// ---------------------------------------------------------------- hooks

// hooks returns the Runner's functions for the hooks, by slot.
func (r *Runner) hooks() [numHooks]any {
	b := &r.fr.bud
	must := func(err error) {
		if err != nil {
			panic(b.stopped)
		}
	}
	var h [numHooks]any
	h[hookSteps.slot] = func(x any) any {
		must(b.step(sizeOf(x, true)))
		return x
	}
	h[hookMem.slot] = func(x any) any {
		must(b.alloc(sizeOf(x, false)))
		return x
	}
	h[hookConcat.slot] = func(x, y any) any {
		if s, ok := x.(string); ok {
			if t, ok := y.(string); ok {
				must(b.fits(len(s) + len(t)))
				must(b.alloc(len(s) + len(t)))
				return s + t
			}
		}
		return checkedAdd(x, y)
	}
	h[hookRange.slot] = func(x, y any) any {
		lo, hi := runtime.ToInt(deref(x)), runtime.ToInt(deref(y))
		n := rangeLen(lo, hi)
		must(b.fits(n * elemBytes))
		must(b.alloc(n * elemBytes))
		return runtime.MakeRange(lo, hi)
	}
	h[hookRepeat.slot] = func(x, y any) any {
		s, ok := deref(x).(string)
		if !ok {
			panic(fmt.Sprintf("invalid argument for repeat (type %T)", x))
		}
		n := runtime.ToInt(deref(y))
		if n < 0 {
			panic(fmt.Sprintf("invalid argument for repeat (expected positive integer, got %d)", n))
		}
		if len(s) > 0 && n > (b.limits.MaxMemory+1)/len(s) {
			must(b.fits(b.limits.MaxMemory + 1))
		}
		must(b.alloc(len(s) * n))
		return strings.Repeat(s, n)
	}
	h[hookReplace.slot] = func(x, y any) any {
		s, ok1 := deref(x).(string)
		rest, _ := y.([]any)
		if len(rest) < 2 {
			panic("invalid arguments for replace")
		}
		old, ok2 := deref(rest[0]).(string)
		new, ok3 := deref(rest[1]).(string)
		if !ok1 || !ok2 || !ok3 {
			panic(fmt.Sprintf("invalid arguments for replace (types %T, %T, %T)", x, rest[0], rest[1]))
		}
		n := -1
		if len(rest) > 2 {
			n = runtime.ToInt(deref(rest[2]))
		}
		size := replacedLen(s, old, new, n)
		must(b.step(strSteps(len(s))))
		must(b.fits(size))
		must(b.alloc(size))
		return strings.Replace(s, old, new, n)
	}
	var last *regexp.Regexp // the last pattern compiled, reused
	h[hookMatches.slot] = func(x, y any) any {
		s, ok1 := deref(x).(string)
		p, ok2 := deref(y).(string)
		if !ok1 || !ok2 {
			panic(fmt.Sprintf("invalid operation: %T matches %T", x, y))
		}
		must(b.pattern(p))
		must(b.step(matchSteps(len(s), len(p))))
		if last == nil || last.String() != p {
			re, err := regexp.Compile(p)
			if err != nil {
				panic(err)
			}
			last = re
		}
		return last.MatchString(s)
	}
	return h
}

// rangeLen is the number of ints in lo..hi.
func rangeLen(lo, hi int) int {
	if hi < lo {
		return 0
	}
	n := uint(hi) - uint(lo) + 1
	if n > math.MaxInt/elemBytes || n == 0 {
		return math.MaxInt / elemBytes
	}
	return int(n)
}

// replacedLen is the length of strings.Replace(s, old, new, n), worked
// out without building it.
func replacedLen(s, old, new string, n int) int {
	if old == new || n == 0 {
		return len(s)
	}
	m := 0
	if old == "" {
		m = utf8.RuneCountInString(s) + 1
	} else {
		m = strings.Count(s, old)
	}
	if n >= 0 && n < m {
		m = n
	}
	grow := len(new) - len(old)
	if grow > 0 && m > (math.MaxInt-len(s))/grow {
		return math.MaxInt
	}
	return len(s) + m*grow
}

// matchSteps is what matching a text of n bytes against a pattern of p
// bytes costs.
func matchSteps(n, p int) int { return (n + 1) * (p + 1) >> 12 }

// sizeOf is the cost of a value for the budget: the number of elements
// of a list or map, a string's steps (scan) or bytes (memory). Lists and
// maps cost 16 bytes an element in memory.
func sizeOf(x any, scan bool) int {
	n := 0
	switch v := x.(type) {
	case nil:
		return 0
	case string:
		if scan {
			return strSteps(len(v))
		}
		return len(v)
	case []any:
		n = len(v)
	case []int:
		n = len(v)
	case []string:
		n = len(v)
	case []float64:
		n = len(v)
	case map[string]any:
		n = len(v)
	default:
		rv := reflect.ValueOf(x)
		for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
			if rv.IsNil() {
				return 0
			}
			rv = rv.Elem()
		}
		switch rv.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			n = rv.Len()
		case reflect.String:
			if scan {
				return strSteps(rv.Len())
			}
			return rv.Len()
		}
	}
	if scan {
		return n
	}
	return n * elemBytes
}

// vmError turns an error of the VM into what callers see: the budget's
// own error when the budget stopped the run.
func (b *budget) vmError(err error) error {
	if b.stopped != nil {
		return b.stopped
	}
	var fe *file.Error
	if ok := asFileError(err, &fe); ok {
		if ae, isArith := fe.Prev.(*ArithmeticError); isArith {
			return ae
		}
	}
	return err
}

func asFileError(err error, fe **file.Error) bool {
	e, ok := err.(*file.Error)
	if ok {
		*fe = e
	}
	return ok
}

// ---------------------------------------------------------------- constants

// checkConstants reports arithmetic on literals whose result is not a
// finite number, such as 1 / 0 or 10 ** 400: expr's optimiser would fold
// it into +Inf before any check could see it, and "1 / 0 > 5" into true.
func checkConstants(root ast.Node, src string) *Error {
	var bad *Error
	var eval func(n ast.Node) (any, bool)
	eval = func(n ast.Node) (v any, ok bool) {
		switch x := n.(type) {
		case *ast.IntegerNode:
			if x.Type().Kind() == reflect.Float64 {
				return float64(x.Value), true
			}
			return x.Value, true
		case *ast.FloatNode:
			return x.Value, true
		case *ast.UnaryNode:
			a, ok := eval(x.Node)
			if !ok {
				return nil, false
			}
			switch x.Operator {
			case "+":
				return a, true
			case "-":
				return constOp(x, func() any { return checkedNeg(a) }, &bad, src)
			}
			return nil, false
		case *ast.BinaryNode:
			a, okA := eval(x.Left)
			b, okB := eval(x.Right)
			if !okA || !okB {
				return nil, false
			}
			var fn func(a, b any) any
			switch x.Operator {
			case "+":
				fn = checkedAdd
			case "-":
				fn = checkedSub
			case "*":
				fn = checkedMul
			case "/":
				fn = checkedDiv
			case "%":
				fn = checkedMod
			case "**", "^":
				fn = checkedPow
			default:
				return nil, false
			}
			return constOp(x, func() any { return fn(a, b) }, &bad, src)
		case *ast.BuiltinNode:
			checkTimeLiteral(x, &bad, src)
		}
		for _, c := range children(n) {
			eval(c)
		}
		return nil, false
	}
	eval(root)
	return bad
}

// checkTimeLiteral records in bad a date or duration written out that
// does not parse, date("2024-13-45") or duration("72hours"): an error at
// compile time, where it is written, rather than on every evaluation.
func checkTimeLiteral(n *ast.BuiltinNode, bad **Error, src string) {
	if n.Name != "date" && n.Name != "duration" || *bad != nil {
		return
	}
	args := make([]any, len(n.Arguments))
	for i, a := range n.Arguments {
		s, ok := a.(*ast.StringNode)
		if !ok {
			return // computed: decided when run
		}
		args[i] = s.Value
	}
	id, ok := builtin.Index[n.Name]
	if !ok || builtin.Builtins[id].Func == nil || len(args) == 0 {
		return
	}
	constOp(n, func() any {
		if _, err := builtin.Builtins[id].Func(args...); err != nil {
			hint := ""
			if n.Name == "duration" {
				hint = `; write it in hours, minutes or seconds ("72h", "90m"), and count days and years with days_between or within`
			}
			panic(fmt.Sprintf("%s(%q) is not a valid %s: %v%s", n.Name, args[0], n.Name, err, hint))
		}
		return nil
	}, bad, src)
}

// constOp computes a constant operation, recording its failure in bad.
func constOp(n ast.Node, f func() any, bad **Error, src string) (v any, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			v, ok = nil, false
			if *bad == nil {
				line, col := position(src, n.Location().From)
				*bad = &Error{Line: line, Column: col, Message: fmt.Sprint(r)}
			}
		}
	}()
	return f(), true
}

// isHook reports whether n is a call of hook h.
func isHook(n ast.Node, h *hook) bool {
	c, ok := n.(*ast.CallNode)
	if !ok {
		return false
	}
	k, ok := c.Callee.(*ast.ConstantNode)
	return ok && k.Value == h
}
