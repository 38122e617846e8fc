package rules

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"

	"github.com/safe-aeo/engine/calendar"
)

// patcher rewrites what rule authors write into what expr runs:
// facts.NAME into a typed getter, the date shorthands into calls that take
// the as_of date, and calls of environment functions into calls that pass
// the environment. Problems are collected, since a visitor cannot fail.
type patcher struct {
	m    *Model
	errs []*Error
	src  string
}

func (pt *patcher) fail(n ast.Node, format string, args ...any) {
	line, col := position(pt.src, n.Location().From)
	pt.errs = append(pt.errs, &Error{Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
}

func (pt *patcher) Visit(n *ast.Node) {
	switch node := (*n).(type) {
	case *ast.MemberNode:
		id, ok := node.Node.(*ast.IdentifierNode)
		if !ok || id.Value != "facts" {
			return
		}
		prop, ok := node.Property.(*ast.StringNode)
		if !ok {
			pt.fail(node, "facts must be read by name, as facts.NAME")
			return
		}
		ft, ok := pt.m.facts[prop.Value]
		if !ok {
			pt.fail(id, "unknown fact %q: declare it under facts with its type", prop.Value)
			return
		}
		ast.Patch(n, &ast.CallNode{
			Callee:    &ast.IdentifierNode{Value: factFunc(ft)},
			Arguments: []ast.Node{&ast.IdentifierNode{Value: "$env"}, &ast.StringNode{Value: prop.Value}},
		})
	case *ast.CallNode:
		id, ok := node.Callee.(*ast.IdentifierNode)
		if !ok {
			return
		}
		switch id.Value {
		case "years_since", "days_since":
			if len(node.Arguments) != 1 {
				pt.fail(node, "%s takes one date", id.Value)
				return
			}
			fn := strings.Replace(id.Value, "_since", "_between", 1)
			ast.Patch(n, &ast.CallNode{
				Callee:    &ast.IdentifierNode{Value: fn},
				Arguments: []ast.Node{node.Arguments[0], &ast.IdentifierNode{Value: "as_of"}},
			})
		case "within":
			if len(node.Arguments) != 2 {
				pt.fail(node, "within takes a date and a period, e.g. within(.date, \"3y\")")
				return
			}
			s, ok := node.Arguments[1].(*ast.StringNode)
			if !ok {
				pt.fail(node.Arguments[1], "the period of within must be written out, e.g. \"3y\" or \"90d\"")
				return
			}
			if p, err := calendar.ParsePeriod(s.Value); err != nil {
				pt.fail(node.Arguments[1], "%v", err)
				return
			} else if !p.Plain() {
				// within counts back from the assessment date, where
				// working days, anchors and rolls have no programme
				// calendar to count in.
				pt.fail(node.Arguments[1], "the period of within counts calendar years, months, weeks and days, e.g. \"3y\" or \"90d\"")
				return
			}
			ast.Patch(n, &ast.CallNode{
				Callee:    &ast.IdentifierNode{Value: "within_period"},
				Arguments: []ast.Node{node.Arguments[0], &ast.IdentifierNode{Value: "as_of"}, s},
			})
		default:
			if !pt.m.envFuncs[id.Value] {
				return
			}
			if len(node.Arguments) > 0 {
				if a, ok := node.Arguments[0].(*ast.IdentifierNode); ok && a.Value == "$env" {
					return
				}
			}
			node.Arguments = append([]ast.Node{&ast.IdentifierNode{Value: "$env"}}, node.Arguments...)
		}
	}
}

// A path is one fact an expression reads: a chain of fields from the
// environment, or an extra fact.
type path struct {
	name  string
	steps []step
	fact  string     // for an extra fact
	fast  *fieldPath // for a path through struct fields only
}

// A step is one field of a struct (index) or one key of a map (key).
type step struct {
	index []int
	key   reflect.Value
}

func (pa *path) walk(rv reflect.Value, env any) (reflect.Value, bool) {
	if pa.fact != "" {
		fs, ok := env.(FactSource)
		if !ok {
			return reflect.Value{}, false
		}
		v, ok := fs.Fact(pa.fact)
		if !ok || v == nil {
			return reflect.Value{}, false
		}
		return reflect.ValueOf(v), true
	}
	for _, st := range pa.steps {
		for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
			if rv.IsNil() {
				return reflect.Value{}, false
			}
			rv = rv.Elem()
		}
		if st.key.IsValid() {
			if rv.Kind() != reflect.Map {
				return reflect.Value{}, false
			}
			v := rv.MapIndex(st.key)
			if !v.IsValid() {
				return reflect.Value{}, false
			}
			rv = v
			continue
		}
		f, err := rv.FieldByIndexErr(st.index)
		if err != nil {
			return reflect.Value{}, false
		}
		rv = f
	}
	return rv, true
}

func (pa *path) present(rv reflect.Value, env any) bool {
	v, ok := pa.walk(rv, env)
	if !ok {
		return false
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return !v.IsNil()
	case reflect.String:
		return v.Len() > 0
	case reflect.Struct:
		if v.Type() == timeType {
			return !v.Interface().(time.Time).IsZero()
		}
	}
	return true
}

func (pa *path) value(rv reflect.Value, env any) reflect.Value {
	v, ok := pa.walk(rv, env)
	if !ok {
		return reflect.Value{}
	}
	return v
}

var timeType = reflect.TypeOf(time.Time{})

// lookupField finds the field expr reads as name in struct type t,
// looking through embedded structs as expr does.
func lookupField(t reflect.Type, name string) (reflect.StructField, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("expr")
		if tag == "-" {
			continue
		}
		if tag == name || (tag == "" && f.Name == name) {
			return f, true
		}
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.Anonymous {
			continue
		}
		if inner, ok := lookupField(f.Type, name); ok {
			inner.Index = append(append([]int(nil), f.Index...), inner.Index...)
			return inner, true
		}
	}
	return reflect.StructField{}, false
}

// collectPaths lists the facts an expression reads, in order of first
// appearance. Fields read inside predicates through # or .field are parts
// of a fact already listed (the collection), not facts of their own.
func (m *Model) collectPaths(root ast.Node) ([]*path, error) {
	var out []*path
	seen := map[string]bool{}
	add := func(p *path) {
		if p != nil && !seen[p.name] {
			seen[p.name] = true
			out = append(out, p)
		}
	}
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		switch node := n.(type) {
		case nil:
		case *ast.IdentifierNode:
			add(m.resolve([]string{node.Value}))
		case *ast.MemberNode:
			names, bottom, rest := memberChain(node)
			if id, ok := bottom.(*ast.IdentifierNode); ok {
				add(m.resolve(append([]string{id.Value}, names...)))
			} else {
				visit(bottom)
			}
			for _, r := range rest {
				visit(r)
			}
		case *ast.CallNode:
			if id, ok := node.Callee.(*ast.IdentifierNode); ok && strings.HasPrefix(id.Value, "fact_") && len(node.Arguments) == 2 {
				if s, ok := node.Arguments[1].(*ast.StringNode); ok {
					add(&path{name: "facts." + s.Value, fact: s.Value})
					return
				}
			}
			if _, ok := node.Callee.(*ast.IdentifierNode); !ok {
				visit(node.Callee)
			}
			for _, a := range node.Arguments {
				visit(a)
			}
		default:
			for _, c := range children(n) {
				visit(c)
			}
		}
	}
	visit(root)
	return out, nil
}

// memberChain splits a.b.c[x] into the names after the root, the root
// node, and the nodes used as computed properties.
func memberChain(n *ast.MemberNode) (names []string, bottom ast.Node, rest []ast.Node) {
	var cur ast.Node = n
	var rev []string
	for {
		mn, ok := cur.(*ast.MemberNode)
		if !ok {
			break
		}
		if s, ok := mn.Property.(*ast.StringNode); ok && !mn.Method {
			rev = append(rev, s.Value)
		} else {
			// A computed property ends the chain of names: the fact is the
			// collection, the index is an expression of its own.
			rev = rev[:0]
			rest = append(rest, mn.Property)
		}
		cur = mn.Node
	}
	for i := len(rev) - 1; i >= 0; i-- {
		names = append(names, rev[i])
	}
	if ch, ok := cur.(*ast.ChainNode); ok {
		cur = ch.Node
	}
	return names, cur, rest
}

// resolve maps names to a path through the environment type, stopping at
// the first value that is not a struct (a map, a list or a scalar).
func (m *Model) resolve(names []string) *path {
	if names[0] == "$env" {
		return nil
	}
	t := m.env
	p := &path{}
	var name strings.Builder
	for _, n := range names {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && len(p.steps) > 0 {
			// A key of a map, such as self_assessment["G.3"]: present only
			// when the key is.
			p.steps = append(p.steps, step{key: reflect.ValueOf(n).Convert(t.Key())})
			fmt.Fprintf(&name, "[%q]", n)
			t = t.Elem()
			continue
		}
		if t.Kind() != reflect.Struct || t == timeType {
			break
		}
		f, ok := lookupField(t, n)
		if !ok {
			break
		}
		p.steps = append(p.steps, step{index: f.Index})
		if name.Len() > 0 {
			name.WriteByte('.')
		}
		name.WriteString(n)
		t = f.Type
	}
	if len(p.steps) == 0 {
		return nil // a let variable, a predicate variable or a function
	}
	p.name = name.String()
	p.fast, _ = newFieldPath(m.env, p.steps)
	return p
}

func children(n ast.Node) []ast.Node {
	switch node := n.(type) {
	case *ast.UnaryNode:
		return []ast.Node{node.Node}
	case *ast.BinaryNode:
		return []ast.Node{node.Left, node.Right}
	case *ast.ChainNode:
		return []ast.Node{node.Node}
	case *ast.SliceNode:
		return []ast.Node{node.Node, node.From, node.To}
	case *ast.BuiltinNode:
		out := append([]ast.Node(nil), node.Arguments...)
		if node.Map != nil {
			out = append(out, node.Map)
		}
		return out
	case *ast.PredicateNode:
		return []ast.Node{node.Node}
	case *ast.ConditionalNode:
		return []ast.Node{node.Cond, node.Exp1, node.Exp2}
	case *ast.VariableDeclaratorNode:
		return []ast.Node{node.Value, node.Expr}
	case *ast.SequenceNode:
		return node.Nodes
	case *ast.ArrayNode:
		return node.Nodes
	case *ast.MapNode:
		return node.Pairs
	case *ast.PairNode:
		return []ast.Node{node.Key, node.Value}
	}
	return nil
}

// A comparison is one conjunct of a condition that compares a value with a
// constant, such as equity_ratio >= 0.2.
type comparison struct {
	subject     string // the value compared, as rule authors write it
	op          string
	threshold   string
	cond, value *sub
}

// A sub is a part of a program run on its own: a comparison or its
// subject, for Failed, a leaf of a condition, for Decide. It is lowered
// with the program. The VM program, needed only when the fast path does
// not apply, is compiled on first use from the part's checked nodes, not
// from their printed text: expr does not print every optimised node as
// source that means the same (a constant set of ints prints with string
// keys).
type sub struct {
	node   ast.Node // guarded for the VM once the program is compiled
	source file.Source
	fast   *fastProg
	once   sync.Once
	prog   *vm.Program
	vars   int
}

func (m *Model) newSub(n ast.Node, source file.Source, c *conf.Config) *sub {
	// A comparison that is also a leaf of the condition's logic is one
	// part, lowered once.
	if s, ok := m.subs[n]; ok {
		return s
	}
	s := &sub{node: n, source: source}
	s.fast, _ = m.lower(n, c)
	if m.subs != nil {
		m.subs[n] = s
	}
	return s
}

func (s *sub) vm(m *Model) *vm.Program {
	s.once.Do(func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		c := *m.base
		prog, err := compiler.Compile(&parser.Tree{Node: s.node, Source: s.source}, &c)
		if err == nil {
			s.prog, s.vars = prog, patchHooks(prog)
		}
	})
	return s.prog
}

// bool runs s as a condition: its value, and whether it gave a boolean
// without error.
func (s *sub) bool(r *Runner, env any) (bool, bool) {
	if s.fast != nil && s.fast.b != nil {
		if v, err := runFast(&r.fr, s.fast, s.fast.b, env); err == nil {
			return v, true
		}
	}
	prog := s.vm(r.m)
	if prog == nil {
		return false, false
	}
	out, err := r.runVM(prog, s.vars, env)
	if err != nil {
		return false, false
	}
	switch v := out.(type) {
	case bool:
		return v, true
	case *bool:
		if v != nil {
			return *v, true
		}
	}
	return false, false
}

// actual runs s for its value, dereferenced; nil on error.
func (s *sub) actual(r *Runner, env any) any {
	if s.fast != nil && s.fast.d != nil {
		if v, err := runFast(&r.fr, s.fast, s.fast.d, env); err == nil {
			return v
		}
	}
	prog := s.vm(r.m)
	if prog == nil {
		return nil
	}
	out, err := r.runVM(prog, s.vars, env)
	if err != nil {
		return nil
	}
	return deref(out)
}

var comparisonOps = map[string]bool{"<": true, "<=": true, ">": true, ">=": true, "==": true, "!=": true}

func (m *Model) collectComparisons(root ast.Node, source file.Source, c *conf.Config) []*comparison {
	var out []*comparison
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		b, ok := n.(*ast.BinaryNode)
		if !ok {
			return
		}
		if b.Operator == "&&" || b.Operator == "and" {
			visit(b.Left)
			visit(b.Right)
			return
		}
		if !comparisonOps[b.Operator] {
			return
		}
		subject, constant := b.Left, b.Right
		if !isConstant(constant) {
			subject, constant = b.Right, b.Left
			if !isConstant(constant) {
				return
			}
		}
		out = append(out, &comparison{
			subject:   display(subject.String()),
			op:        b.Operator,
			threshold: display(constant.String()),
			cond:      m.newSub(b, source, c),
			value:     m.newSub(subject, source, c),
		})
	}
	visit(root)
	return out
}

func isConstant(n ast.Node) bool {
	switch v := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode, *ast.StringNode, *ast.BoolNode, *ast.NilNode, *ast.ConstantNode:
		return true
	case *ast.UnaryNode:
		return v.Operator == "-" && isConstant(v.Node)
	}
	return false
}

var (
	factCall = regexp.MustCompile(`fact_[a-z]+\(\$env, "([^"]+)"\)`)
	envArg   = regexp.MustCompile(`\(\$env(, )?`)
)

// display turns a printed, patched expression back into what the rule
// author wrote.
func display(s string) string {
	s = factCall.ReplaceAllString(s, "facts.$1")
	return envArg.ReplaceAllString(s, "(")
}

// A Comparison explains a failed comparison with a constant: the value
// compared, the operator, the constant and the value found.
type Comparison struct {
	Subject   string `json:"subject"`
	Op        string `json:"op"`
	Threshold string `json:"threshold"`
	Actual    any    `json:"actual"`
}

// Failed evaluates, on env, each top-level comparison of a condition with a
// constant and returns those that do not hold, with the value found. It is
// meant for explaining a condition that evaluated false; it allocates.
func (r *Runner) Failed(p *Program, env any) []Comparison {
	return r.AppendFailed(nil, p, env)
}

// AppendFailed is Failed appending to dst, so that a caller explaining many
// conditions reuses one array. It allocates only to grow dst and to box a
// value found that does not fit in an interface as it is.
func (r *Runner) AppendFailed(dst []Comparison, p *Program, env any) []Comparison {
	out := dst
	for _, c := range p.comparisons {
		if (c.cond.fast == nil || c.cond.fast.b == nil) && c.cond.vm(r.m) == nil {
			continue
		}
		if holds, ok := c.cond.bool(r, env); ok && holds {
			continue
		}
		out = append(out, Comparison{Subject: c.subject, Op: c.op, Threshold: c.threshold, Actual: c.value.actual(r, env)})
	}
	return out
}

func deref(v any) any {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	return rv.Interface()
}

// Deref returns the value v refers to, following pointers; nil for an
// invalid value or a nil pointer.
func Deref(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	return deref(v.Interface())
}

// position converts a rune offset in src to a 1-based line and column.
func position(src string, offset int) (line, col int) {
	line, col = 1, 1
	i := 0
	for _, r := range src {
		if i == offset {
			break
		}
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i++
	}
	return line, col
}

// A logic node is a condition taken apart at its top-level and, or and
// not, so that it can be decided in three-valued (Kleene) logic when some
// of its facts are missing: "a || b" holds when a does, whatever b's facts.
type logic struct {
	op    string // "and", "or", "not" or "" for a leaf
	left  *logic
	right *logic
	leaf  *sub
	paths []*path // the facts a leaf reads
}

// subs appends the leaves of l to acc.
func (l *logic) subs(acc []*sub) []*sub {
	if l == nil {
		return acc
	}
	if l.leaf != nil {
		acc = append(acc, l.leaf)
	}
	return l.right.subs(l.left.subs(acc))
}

func (m *Model) buildLogic(n ast.Node, source file.Source, c *conf.Config) *logic {
	return m.buildLogicIn(n, nil, source, c)
}

// buildLogicIn is buildLogic under the let declarations that enclose n,
// outermost first: "let x = a; x || b" is taken apart as "x || b", each
// leaf carrying the declarations it reads, so that b's missing facts do not
// hide that a holds.
func (m *Model) buildLogicIn(n ast.Node, lets []*ast.VariableDeclaratorNode, source file.Source, c *conf.Config) *logic {
	switch node := n.(type) {
	case *ast.VariableDeclaratorNode:
		return m.buildLogicIn(node.Expr, append(lets[:len(lets):len(lets)], node), source, c)
	case *ast.BinaryNode:
		switch node.Operator {
		case "&&", "and":
			return &logic{op: "and", left: m.buildLogicIn(node.Left, lets, source, c), right: m.buildLogicIn(node.Right, lets, source, c)}
		case "||", "or":
			return &logic{op: "or", left: m.buildLogicIn(node.Left, lets, source, c), right: m.buildLogicIn(node.Right, lets, source, c)}
		}
	case *ast.UnaryNode:
		if node.Operator == "!" || node.Operator == "not" {
			return &logic{op: "not", left: m.buildLogicIn(node.Node, lets, source, c)}
		}
	}
	leaf := withLets(n, lets)
	paths, _ := m.collectPaths(leaf)
	return &logic{leaf: m.newSub(leaf, source, c), paths: paths}
}

// withLets wraps n in the declarations of lets (outermost first) that it
// reads, directly or through another declaration's value: a leaf of a
// condition taken apart evaluates as it does inside the whole, and reads
// the facts of the declarations it needs and no others.
func withLets(n ast.Node, lets []*ast.VariableDeclaratorNode) ast.Node {
	if len(lets) == 0 {
		return n
	}
	needed := map[string]bool{}
	identifiers(n, needed)
	use := make([]bool, len(lets))
	for i := len(lets) - 1; i >= 0; i-- {
		if needed[lets[i].Name] {
			use[i] = true
			identifiers(lets[i].Value, needed)
		}
	}
	out := n
	for i := len(lets) - 1; i >= 0; i-- {
		if !use[i] {
			continue
		}
		w := &ast.VariableDeclaratorNode{Name: lets[i].Name, Value: lets[i].Value, Expr: out}
		w.SetNature(*out.Nature())
		w.SetLocation(lets[i].Location())
		out = w
	}
	return out
}

// identifiers adds to names every identifier n holds, at any depth.
func identifiers(n ast.Node, names map[string]bool) {
	if n == nil {
		return
	}
	ast.Walk(&n, identifierSet(names))
}

// identifierSet collects the identifiers ast.Walk visits.
type identifierSet map[string]bool

func (s identifierSet) Visit(n *ast.Node) {
	if id, ok := (*n).(*ast.IdentifierNode); ok {
		s[id.Value] = true
	}
}

// decide evaluates l in three-valued logic: known is false when the value
// depends on missing facts or on a leaf that failed.
func (l *logic) decide(r *Runner, rv reflect.Value, env any) (value, known bool) {
	switch l.op {
	case "not":
		v, k := l.left.decide(r, rv, env)
		return !v, k
	case "and":
		lv, lk := l.left.decide(r, rv, env)
		if lk && !lv {
			return false, true
		}
		rvv, rk := l.right.decide(r, rv, env)
		if rk && !rvv {
			return false, true
		}
		return true, lk && rk
	case "or":
		lv, lk := l.left.decide(r, rv, env)
		if lk && lv {
			return true, true
		}
		rvv, rk := l.right.decide(r, rv, env)
		if rk && rvv {
			return true, true
		}
		return false, lk && rk
	}
	ptr := envData(env, r.m.envType)
	for _, pa := range l.paths {
		if pa.fast != nil && ptr != nil {
			if !pa.fast.present(ptr) {
				return false, false
			}
		} else if !pa.present(rv, env) {
			return false, false
		}
	}
	return l.leaf.bool(r, env)
}

// Decide evaluates a condition whose facts may be missing in three-valued
// logic: it reports the condition's value and whether the facts present
// decide it. A condition with all its facts present is decided as Bool
// would; "a || b" with a true is decided whatever b's facts.
func (r *Runner) Decide(p *Program, env any) (value, known bool) {
	if p.logic == nil {
		if !p.Present(env) {
			return false, false
		}
		v, err := r.Bool(p, env)
		return v, err == nil
	}
	return p.logic.decide(r, reflect.ValueOf(env), env)
}
