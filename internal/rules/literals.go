package rules

import (
	"reflect"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
)

// A Literal is a string constant an expression compares with a field of
// its environment, tests for membership in one, or passes to a function.
// A caller that knows which values a field may take (a closed vocabulary)
// checks them, so that "serius" in a rule is an error at load instead of a
// comparison that is silently never true.
type Literal struct {
	// Field is the field the literal is compared with, as the dotted expr
	// names from the environment: "roles", "business_model",
	// "compliance.infringements.severity", "facts.sector". The element of
	// a list and the value of a map stand for the list or map itself:
	// .severity inside none(compliance.infringements, ...) is
	// "compliance.infringements.severity", self_assessment["D.1"] is
	// "self_assessment". Empty for a function argument.
	Field string
	// Func and Arg name the function the literal is passed to and its
	// 0-based position among the arguments as written; Func is empty for a
	// comparison.
	Func string
	Arg  int
	// Value is the literal.
	Value string
	// Line and Column are the 1-based position of the literal in the
	// expression.
	Line, Column int
}

// Literals returns the string literals src compares (==, !=) with a field
// of the environment, tests for membership (in, not in, contains_any,
// contains_all) in one, or passes to a function, in the order they are
// written. prototype is the environment as for NewModel (a pointer to a
// struct whose fields are read by their `expr` tags); with nil, fields are
// named as written and a membership test in a map is taken for one in a
// list. A key of a map tested with in is not reported: keys are not
// values. Literals returns nil when src does not parse (compiling it
// reports why).
func Literals(prototype any, src string) []Literal {
	tree, err := parseLiterals(src)
	if err != nil || tree == nil {
		return nil
	}
	w := &litWalker{src: src}
	if prototype != nil {
		w.env = reflect.TypeOf(prototype)
	}
	w.walk(tree)
	return w.out
}

// parseLiterals parses src as written, without the type checker or the
// optimizer, so that every literal keeps its place; a panic inside expr's
// parser (which a hostile expression must never cause) is a parse error.
func parseLiterals(src string) (node ast.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			node, err = nil, errLiteralParse
		}
	}()
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, err
	}
	return tree.Node, nil
}

var errLiteralParse = &Error{Line: 1, Column: 1, Message: "cannot parse"}

// A litRef is what the walker knows of a value: the field it comes from
// ("" when none) and its Go type (nil when unknown).
type litRef struct {
	field string
	t     reflect.Type
}

func (r litRef) ok() bool { return r.field != "" }

// isMap reports whether the value is known to be a map.
func (r litRef) isMap() bool {
	t := litDeref(r.t)
	return t != nil && t.Kind() == reflect.Map
}

// elem is the element of a list or the value of a map, which stands for
// the same field.
func (r litRef) elem() litRef {
	t := litDeref(r.t)
	if t == nil {
		return litRef{field: r.field}
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return litRef{field: r.field, t: t.Elem()}
	}
	return litRef{field: r.field}
}

// member is the field name of r, a struct (or, when the type is unknown,
// anything named).
func (r litRef) member(name string) litRef {
	if !r.ok() {
		return litRef{}
	}
	t := litDeref(r.t)
	if t == nil {
		return litRef{field: r.field + "." + name}
	}
	switch t.Kind() {
	case reflect.Map:
		// m.key reads a value of the map, as m["key"] does.
		return litRef{field: r.field, t: t.Elem()}
	case reflect.Struct:
		if f, ok := litLookup(t, name); ok {
			return litRef{field: r.field + "." + name, t: f.Type}
		}
	}
	return litRef{}
}

func litDeref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// litLookup finds the field expr reads as name in struct type t, looking
// through embedded structs as expr does.
func litLookup(t reflect.Type, name string) (reflect.StructField, bool) {
	t = litDeref(t)
	if t == nil || t.Kind() != reflect.Struct {
		return reflect.StructField{}, false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Anonymous {
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
		if f := t.Field(i); f.Anonymous {
			if inner, ok := litLookup(f.Type, name); ok {
				return inner, true
			}
		}
	}
	return reflect.StructField{}, false
}

type litWalker struct {
	src   string
	env   reflect.Type
	out   []Literal
	elems []litRef            // the element each enclosing predicate ranges over
	vars  []map[string]litRef // let bindings, innermost last
}

func (w *litWalker) report(s *ast.StringNode, r litRef) {
	if !r.ok() {
		return
	}
	line, col := litPosition(w.src, s.Location().From)
	w.out = append(w.out, Literal{Field: r.field, Value: s.Value, Line: line, Column: col})
}

func (w *litWalker) reportArg(s *ast.StringNode, fn string, i int) {
	line, col := litPosition(w.src, s.Location().From)
	w.out = append(w.out, Literal{Func: fn, Arg: i, Value: s.Value, Line: line, Column: col})
}

// reportEach reports every string in an array literal against r.
func (w *litWalker) reportEach(n ast.Node, r litRef) bool {
	arr, ok := n.(*ast.ArrayNode)
	if !ok {
		return false
	}
	for _, e := range arr.Nodes {
		if s, ok := e.(*ast.StringNode); ok {
			w.report(s, r)
		} else {
			w.walk(e)
		}
	}
	return true
}

func (w *litWalker) identifier(name string) litRef {
	for i := len(w.vars) - 1; i >= 0; i-- {
		if r, ok := w.vars[i][name]; ok {
			return r
		}
	}
	if name == "facts" {
		return litRef{field: "facts"}
	}
	if w.env == nil {
		return litRef{field: name}
	}
	if f, ok := litLookup(w.env, name); ok {
		return litRef{field: name, t: f.Type}
	}
	return litRef{}
}

// walk visits n and every node under it, reporting literals, and returns
// what it knows of n's value.
func (w *litWalker) walk(n ast.Node) litRef {
	switch x := n.(type) {
	case nil:
		return litRef{}
	case *ast.IdentifierNode:
		return w.identifier(x.Value)
	case *ast.PointerNode:
		if x.Name == "" && len(w.elems) > 0 {
			return w.elems[len(w.elems)-1]
		}
		return litRef{}
	case *ast.ChainNode:
		return w.walk(x.Node)
	case *ast.MemberNode:
		base := w.walk(x.Node)
		if s, ok := x.Property.(*ast.StringNode); ok && !x.Method {
			if base.isMap() {
				return base.elem()
			}
			return base.member(s.Value)
		}
		w.walk(x.Property)
		if x.Method {
			return litRef{}
		}
		return base.elem()
	case *ast.SliceNode:
		w.walk(x.From)
		w.walk(x.To)
		return w.walk(x.Node)
	case *ast.BinaryNode:
		return w.binary(x)
	case *ast.BuiltinNode:
		return w.builtin(x)
	case *ast.CallNode:
		return w.call(x)
	case *ast.VariableDeclaratorNode:
		r := w.walk(x.Value)
		w.vars = append(w.vars, map[string]litRef{x.Name: r})
		out := w.walk(x.Expr)
		w.vars = w.vars[:len(w.vars)-1]
		return out
	case *ast.PredicateNode:
		return w.walk(x.Node)
	case *ast.SequenceNode:
		var last litRef
		for _, c := range x.Nodes {
			last = w.walk(c)
		}
		return last
	case *ast.ConditionalNode:
		w.walk(x.Cond)
		a, b := w.walk(x.Exp1), w.walk(x.Exp2)
		if a == b {
			return a
		}
		return litRef{}
	case *ast.UnaryNode:
		w.walk(x.Node)
		return litRef{}
	case *ast.ArrayNode:
		for _, c := range x.Nodes {
			w.walk(c)
		}
		return litRef{}
	case *ast.MapNode:
		for _, c := range x.Pairs {
			w.walk(c)
		}
		return litRef{}
	case *ast.PairNode:
		w.walk(x.Key)
		w.walk(x.Value)
		return litRef{}
	}
	return litRef{}
}

func (w *litWalker) binary(x *ast.BinaryNode) litRef {
	switch x.Operator {
	case "==", "!=":
		ls, lok := x.Left.(*ast.StringNode)
		rs, rok := x.Right.(*ast.StringNode)
		switch {
		case lok && !rok:
			w.report(ls, w.walk(x.Right))
		case rok && !lok:
			w.report(rs, w.walk(x.Left))
		default:
			w.walk(x.Left)
			w.walk(x.Right)
		}
		return litRef{}
	case "in", "not in":
		if s, ok := x.Left.(*ast.StringNode); ok {
			r := w.walk(x.Right)
			if !r.isMap() {
				w.report(s, r.elem())
			}
			return litRef{}
		}
		l := w.walk(x.Left)
		if !w.reportEach(x.Right, l) {
			w.walk(x.Right)
		}
		return litRef{}
	case "??":
		l, r := w.walk(x.Left), w.walk(x.Right)
		if l.ok() {
			return l
		}
		return r
	}
	w.walk(x.Left)
	w.walk(x.Right)
	return litRef{}
}

// predicates are expr's builtins that run their second argument over the
// elements of their first.
var litPredicates = map[string]bool{
	"all": true, "none": true, "any": true, "one": true, "filter": true, "map": true,
	"count": true, "sum": true, "find": true, "findIndex": true, "findLast": true,
	"findLastIndex": true, "groupBy": true, "sortBy": true, "reduce": true,
}

func (w *litWalker) builtin(x *ast.BuiltinNode) litRef {
	if len(x.Arguments) == 0 {
		return litRef{}
	}
	list := w.walk(x.Arguments[0])
	if litPredicates[x.Name] {
		var body litRef
		w.elems = append(w.elems, list.elem())
		for i, a := range x.Arguments[1:] {
			r := w.walk(a)
			if i == 0 {
				body = r
			}
		}
		w.elems = w.elems[:len(w.elems)-1]
		switch x.Name {
		case "filter", "sortBy":
			return list
		case "find", "findLast":
			return list.elem()
		case "map":
			if body.ok() {
				if body.t != nil {
					return litRef{field: body.field, t: reflect.SliceOf(body.t)}
				}
				return litRef{field: body.field}
			}
		}
		return litRef{}
	}
	for _, a := range x.Arguments[1:] {
		w.walk(a)
	}
	switch x.Name {
	case "first", "last":
		return list.elem()
	case "take", "reverse", "sort", "uniq", "concat", "flatten":
		return list
	case "values":
		if e := list.elem(); e.t != nil {
			return litRef{field: list.field, t: reflect.SliceOf(e.t)}
		}
		return litRef{field: list.field}
	case "lower", "upper", "trim", "trimPrefix", "trimSuffix":
		// Changed text is no longer the field's value.
		return litRef{}
	}
	return litRef{}
}

func (w *litWalker) call(x *ast.CallNode) litRef {
	id, ok := x.Callee.(*ast.IdentifierNode)
	if !ok {
		w.walk(x.Callee)
		for _, a := range x.Arguments {
			w.walk(a)
		}
		return litRef{}
	}
	if (id.Value == "contains_any" || id.Value == "contains_all") && len(x.Arguments) == 2 {
		list := w.walk(x.Arguments[0])
		if !w.reportEach(x.Arguments[1], list.elem()) {
			w.walk(x.Arguments[1])
		}
		return litRef{}
	}
	for i, a := range x.Arguments {
		if s, ok := a.(*ast.StringNode); ok {
			w.reportArg(s, id.Value, i)
			continue
		}
		w.walk(a)
	}
	return litRef{}
}

// litPosition converts a rune offset in src to a 1-based line and column.
func litPosition(src string, offset int) (line, col int) {
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
