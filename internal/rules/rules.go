// Package rules is the engine's expression layer and the only package that
// imports github.com/expr-lang/expr. It compiles rule authors' expressions
// once, against a typed fact model, and runs them many times.
//
// A Model describes what expressions may read: the fields of a Go struct
// (named by their `expr` tags), extra facts a programme declares with a type
// (read as facts.NAME), and functions. Compiling an expression type-checks it
// against the model, so that a misspelt fact or a comparison of a date with a
// number is reported when the programme is loaded, with the line and column
// inside the expression. Each compiled Program knows which facts it reads, so
// that a caller can report a rule whose facts are absent as indeterminate
// instead of running it on nil values.
//
// Nothing here reads the wall clock: expr's now() is disabled, and the
// date functions count from the as_of value of the environment.
//
// # Evaluation
//
// Compile also lowers each program into Go closures typed by result, with
// the environment's fields read at offsets worked out once (see fast.go
// and lower.go). A Runner evaluates the lowered form when there is one and
// expr's VM otherwise; the two give the same values and fail on the same
// inputs, which the differential test FuzzFastVsVM checks. Program.Fast
// reports whether a program is lowered and, if not, why.
//
// # Bounds
//
// Each evaluation of a program is bounded (budget.go): its work, in steps
// (each loop counts the length of the list it goes over, a string scanned
// one step per 64 bytes), by Limits.MaxSteps (default 1,000,000); what it
// builds (strings, and lists, ranges and maps at 16 bytes an element) by
// Limits.MaxMemory (default 16 MiB); a regular expression built at run
// time from the environment's values by Limits.MaxPattern (default 256
// bytes). A Runner given a context (SetContext) stops soon after the
// context is done, inside a rule. An evaluation stopped so returns a
// *LimitError or the context's error: callers report the rule as
// indeterminate, never as met or not met. Budgets are charged where loops
// start and where values grow, so that a rule without either pays
// nothing; the VM program is rewritten to charge the same (guard.go).
//
// # Arithmetic
//
// Arithmetic never answers with a number that is not finite: a division
// by zero, an overflow of a float or of an int, a NaN produced by an
// operation or parsed by float() fail with an *ArithmeticError, at run
// time, on both evaluators; on literals, at compile time (expr's optimiser
// would otherwise fold 1 / 0 > 5 into true).
package rules

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// DefaultMaxNodes bounds the size of one expression, in AST nodes after
// parsing. The work and memory of one evaluation are bounded by Limits.
const DefaultMaxNodes = 2000

// A Kind is what an expression must evaluate to.
type Kind uint8

// Kinds of expression.
const (
	Any    Kind = iota // any value
	Bool               // true or false: conditions
	Number             // int or float: scores, points, weights
)

// String returns k as text.
func (k Kind) String() string {
	switch k {
	case Bool:
		return "a condition (true or false)"
	case Number:
		return "a number"
	}
	return "a value"
}

// A FactType is the declared type of an extra fact.
type FactType string

// The types an extra fact may be declared with.
const (
	FactInt     FactType = "int"
	FactFloat   FactType = "float"
	FactBool    FactType = "bool"
	FactString  FactType = "string"
	FactDate    FactType = "date"
	FactStrings FactType = "strings"
)

// FactTypes lists the declarable fact types.
func FactTypes() []FactType {
	return []FactType{FactInt, FactFloat, FactBool, FactString, FactDate, FactStrings}
}

// A FactSource is implemented by environments that carry extra facts.
// Fact reports the value of a declared extra fact and whether it is present.
type FactSource interface {
	Fact(name string) (any, bool)
}

// An IndexedFactSource serves the declared extra facts by their position
// in Model.FactNames, which it may resolve once per environment: lowered
// programs then read a fact without hashing its name. FactAt(i) must
// report what Fact(FactNames()[i]) reports.
type IndexedFactSource interface {
	FactSource
	FactAt(i int) (any, bool)
}

// A Func is a function rule authors may call.
type Func struct {
	Name string
	// Fn receives the arguments as written, preceded by the environment
	// when Env is true. It must be safe for concurrent use, must not
	// retain args (the runner reuses its backing array), and may be
	// called more than once for one evaluation: a result the fast
	// evaluator cannot use is computed again on the VM.
	Fn func(args ...any) (any, error)
	// Types are signatures for type checking, e.g. new(func(string) bool),
	// each including the leading environment parameter (as any) when Env
	// is true.
	Types []any
	// Env makes the call receive the evaluation environment as its first
	// argument; rule authors do not write it.
	Env bool
	// Doc is a one-line description for rule authors.
	Doc string
}

// An Error is a problem in one expression. Line and Column are 1-based
// positions inside the expression text.
type Error struct {
	Line, Column int
	Message      string
}

// Error describes the problem.
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message) }

// A Model is a compiled fact model: the environment type expressions are
// checked against, the declared extra facts and the functions. A Model is
// immutable after NewModel and safe for concurrent use; it keeps a pool of
// expression machines so that evaluation reuses their stacks.
type Model struct {
	env      reflect.Type // pointer to struct
	facts    map[string]FactType
	funcs    []Func
	envFuncs map[string]bool
	maxNodes uint
	limits   Limits
	trusted  bool           // the environment's methods never panic
	factIdx  map[string]int // position of each fact in FactNames
	pool     sync.Pool
	envType  unsafe.Pointer // type word of the environment

	// mu guards base, the expr configuration every compilation starts
	// from: building it once (builtins, functions, the environment's type
	// information) instead of per expression keeps loading a large
	// programme fast. Compilation copies it and adds its own patcher.
	mu   sync.Mutex
	base *conf.Config
	// fields caches fetchIndex, and subs the parts of the program being
	// compiled (see newSub); both are guarded by mu.
	fields map[fieldKey]fieldIndex
	subs   map[ast.Node]*sub
	// progs holds the programs compiled, by text and kind: a Program is
	// immutable, and programmes repeat rules (all(sites, .secured) under
	// several requirements). Guarded by mu.
	progs map[progKey]*Program
}

type progKey struct {
	src  string
	kind Kind
}

type fieldKey struct {
	t    reflect.Type
	name string
}

type fieldIndex struct {
	index []int
	ok    bool
}

// A ModelOption configures NewModel.
type ModelOption func(*Model)

// WithFacts declares extra facts, read in expressions as facts.NAME.
func WithFacts(facts map[string]FactType) ModelOption {
	return func(m *Model) {
		for k, v := range facts {
			m.facts[k] = v
		}
	}
}

// WithFuncs adds functions.
func WithFuncs(fs ...Func) ModelOption {
	return func(m *Model) { m.funcs = append(m.funcs, fs...) }
}

// WithMaxNodes bounds the size of each expression.
func WithMaxNodes(n uint) ModelOption {
	return func(m *Model) {
		if n > 0 {
			m.maxNodes = n
		}
	}
}

// WithMemoryBudget bounds, in bytes, the strings, lists and maps one
// evaluation builds (Limits.MaxMemory). Zero keeps the default.
func WithMemoryBudget(n uint) ModelOption {
	return func(m *Model) {
		if n > 0 {
			m.limits.MaxMemory = int(min(n, math.MaxInt32))
		}
	}
}

// WithTrustedEnv declares that the environment's Fact and FactAt never
// panic (the environment is the caller's own type, not a host's), so that
// programs that read extra facts run without a deferred recover.
func WithTrustedEnv() ModelOption { return func(m *Model) { m.trusted = true } }

// FactNames returns the declared extra facts, sorted: the positions
// IndexedFactSource.FactAt serves.
func (m *Model) FactNames() []string {
	out := make([]string, 0, len(m.facts))
	for name := range m.facts {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// WithLimits sets the bounds of one evaluation; its zero fields keep
// their defaults (or what an earlier option set).
func WithLimits(l Limits) ModelOption {
	return func(m *Model) {
		if l.MaxSteps > 0 {
			m.limits.MaxSteps = l.MaxSteps
		}
		if l.MaxMemory > 0 {
			m.limits.MaxMemory = l.MaxMemory
		}
		if l.MaxPattern > 0 {
			m.limits.MaxPattern = l.MaxPattern
		}
	}
}

// Limits returns the bounds of one evaluation, with their defaults.
func (m *Model) Limits() Limits { return m.limits }

// NewModel returns a model whose environment is the type of prototype, a
// pointer to a struct. Its fields are read under their `expr` tag names.
// If the struct has a field tagged `expr:"as_of"` of type time.Time, the
// date functions years_since, days_since and within count from it.
func NewModel(prototype any, opts ...ModelOption) (*Model, error) {
	t := reflect.TypeOf(prototype)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("rules: environment prototype must be a pointer to a struct, not %T", prototype)
	}
	m := &Model{
		env:      t,
		envType:  typeWord(reflect.New(t.Elem()).Interface()),
		facts:    map[string]FactType{},
		envFuncs: map[string]bool{},
		maxNodes: DefaultMaxNodes,
	}
	for _, o := range opts {
		o(m)
	}
	m.limits = m.limits.withDefaults()
	m.factIdx = map[string]int{}
	for i, name := range m.FactNames() {
		m.factIdx[name] = i
	}
	for name, ft := range m.facts {
		if !validFactType(ft) {
			return nil, fmt.Errorf("rules: fact %q: unknown type %q", name, ft)
		}
	}
	m.funcs = append(builtinFuncs(), m.funcs...)
	options := []expr.Option{
		expr.Env(reflect.New(t.Elem()).Interface()),
		expr.DisableBuiltin("now"),
		expr.Timezone("UTC"),
		expr.MaxNodes(m.maxNodes),
	}
	seen := map[string]bool{}
	for _, f := range m.funcs {
		if seen[f.Name] {
			return nil, fmt.Errorf("rules: function %q defined twice", f.Name)
		}
		seen[f.Name] = true
		if f.Env {
			m.envFuncs[f.Name] = true
		}
		options = append(options, expr.Function(f.Name, f.Fn, f.Types...))
	}
	for _, ft := range FactTypes() {
		options = append(options, expr.Function(factFunc(ft), factGetter(ft), factSignature(ft)))
	}
	if err := m.configure(options); err != nil {
		return nil, err
	}
	m.pool.New = func() any { return m.newRunner() }
	return m, nil
}

// Funcs returns the functions rule authors may call, sorted by name.
func (m *Model) Funcs() []Func {
	fs := append([]Func(nil), m.funcs...)
	sort.Slice(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name })
	return fs
}

// A Runner evaluates programs on one goroutine at a time. Get one from
// Model.Runner and give it back with Release. A Runner runs the programs
// of its model: each evaluation is bounded by the model's Limits and,
// once SetContext is called, by a context.
type Runner struct {
	m  *Model
	vm vm.VM
	fr frame // state of the fast evaluator and the budget
}

// noBudget stands for "no limit" in expr's own memory budget: the hooks
// of the guarded program keep the accounts (see guard.go).
const noBudget = math.MaxInt / 2

func (m *Model) newRunner() *Runner {
	r := &Runner{m: m, vm: vm.VM{MemoryBudget: noBudget}}
	r.fr.bud.limits = m.limits
	r.fr.bud.reset()
	return r
}

// Runner returns a runner from the model's pool.
func (m *Model) Runner() *Runner { return m.pool.Get().(*Runner) }

// Release returns r to its model's pool. r must not be used afterwards.
func (r *Runner) Release() {
	r.fr.bud.bind(nil)
	r.fr.release()
	if len(r.vm.Variables) > numHooks {
		clear(r.vm.Variables[numHooks:])
	}
	r.m.pool.Put(r)
}

// SetContext makes the evaluations r runs until it is released stop
// with ctx's error, soon after ctx is done, even in the middle of a rule
// (see Limits). A nil ctx is never done.
func (r *Runner) SetContext(ctx context.Context) { r.fr.bud.bind(ctx) }

// runVM runs prog, whose guarded form needs vars VM variables, on the
// VM.
func (r *Runner) runVM(prog *vm.Program, vars int, env any) (any, error) {
	if r.vm.Variables == nil {
		// The hooks are made on the first run on the VM: most programs
		// never run there.
		h := r.hooks()
		r.vm.Variables = make([]any, numHooks, numHooks+4)
		copy(r.vm.Variables, h[:])
	}
	if len(r.vm.Variables) < vars {
		vs := make([]any, vars)
		copy(vs, r.vm.Variables[:numHooks])
		r.vm.Variables = vs
	}
	r.fr.bud.reset()
	out, err := r.vm.Run(prog, env)
	if err != nil || r.fr.bud.stopped != nil {
		return nil, r.fr.bud.vmError(err)
	}
	return out, nil
}

// A Program is one compiled expression. It is immutable and safe for
// concurrent use.
type Program struct {
	src  string
	kind Kind
	prog *vm.Program // guarded (see guard.go)
	vars int         // VM variables prog needs
	// fast is the lowered form of prog, held by value so that running it
	// loads no other pointer; its evals are nil when some node of prog is
	// not covered (why says which). See fast.go.
	fast  fastProg
	why   string
	paths []*path
	// envType is the type word of the model's environment, for the fast
	// paths of Missing and Values.
	envType unsafe.Pointer
	// always: every fact p reads is a number or a bool in the
	// environment struct itself, always present.
	always bool
	// comparisons are the top-level conjuncts of a condition that compare
	// a value with a constant, kept to explain a failure.
	comparisons []*comparison
	// logic is the condition taken apart at its top-level and, or and
	// not, for deciding it when facts are missing; nil for a condition
	// that is not such a combination.
	logic *logic
}

// Source returns the expression text.
func (p *Program) Source() string { return p.src }

// Facts returns the facts the expression reads, as dotted paths.
func (p *Program) Facts() []string {
	out := make([]string, len(p.paths))
	for i, pa := range p.paths {
		out[i] = pa.name
	}
	return out
}

// Compile type-checks and compiles src as an expression of kind k.
func (m *Model) Compile(src string, k Kind) (*Program, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &Error{Line: 1, Column: 1, Message: "empty expression"}
	}
	m.mu.Lock()
	if p, ok := m.progs[progKey{src, k}]; ok {
		m.mu.Unlock()
		return p, nil
	}
	m.mu.Unlock()
	pt := &patcher{m: m, src: src}
	p := &Program{src: src, kind: k, envType: m.envType}
	var fast *fastProg
	var kindErr *Error
	prog, vars, err := m.compile(src, pt, func(tree *parser.Tree, c *conf.Config) []*sub {
		root := tree.Node
		if kindErr = checkKind(root, k); kindErr != nil {
			return nil
		}
		fast, p.why = m.lower(root, c)
		var subs []*sub
		if k == Bool {
			p.comparisons = m.collectComparisons(root, tree.Source, c)
			for _, cmp := range p.comparisons {
				subs = append(subs, cmp.cond, cmp.value)
			}
			if l := m.buildLogic(root, tree.Source, c); l.op != "" {
				p.logic = l
				subs = l.subs(subs)
			}
		}
		p.paths, _ = m.collectPaths(root)
		p.always = alwaysPresent(p.paths)
		return subs
	})
	if len(pt.errs) > 0 {
		return nil, m.inAuthorTerms(pt.errs[0])
	}
	if err != nil {
		var re *Error
		if errors.As(err, &re) {
			return nil, m.inAuthorTerms(re)
		}
		return nil, m.inAuthorTerms(toError(err))
	}
	if kindErr != nil {
		return nil, kindErr
	}
	p.prog, p.vars = prog, vars
	if fast != nil {
		p.fast = *fast
	}
	m.mu.Lock()
	if m.progs == nil {
		m.progs = map[progKey]*Program{}
	}
	if len(m.progs) < maxCachedPrograms {
		m.progs[progKey{src, k}] = p
	}
	m.mu.Unlock()
	return p, nil
}

// maxCachedPrograms bounds the programs a Model keeps for reuse.
const maxCachedPrograms = 10_000

// configure applies expr options once to the base configuration.
func (m *Model) configure(options []expr.Option) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rules: %v", r)
		}
	}()
	c := conf.CreateNew()
	for _, o := range options {
		o(c)
	}
	for name := range c.Disabled {
		delete(c.Builtins, name)
	}
	m.base = c
	return nil
}

// compile does what expr.Compile does, from the model's prepared
// configuration, and turns a panic inside expr (which a hostile expression
// must never cause, but expr is not ours) into an error. Arithmetic on
// literals is checked before expr's optimiser folds it. post, if not nil,
// is called with the checked, optimised tree and the configuration, while
// the configuration's type cache is still held; it returns the parts of
// the tree it keeps to run on their own. The tree, and those parts, are
// then guarded for the VM (see guard.go) and the tree compiled; compile
// returns the program and the number of VM variables it needs.
func (m *Model) compile(src string, v ast.Visitor, post func(*parser.Tree, *conf.Config) []*sub) (prog *vm.Program, vars int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, fmt.Errorf("cannot compile expression: %v", r)
		}
	}()
	c := *m.base
	if v != nil {
		c.Visitors = []ast.Visitor{v, recheckCalls{}}
	}
	defer func() { m.base.NtCache = c.NtCache }()
	tree, err := checker.ParseCheck(src, &c)
	if err != nil {
		return nil, 0, err
	}
	if e := checkConstants(tree.Node, src); e != nil {
		return nil, 0, e
	}
	if c.Optimize {
		if err := optimizer.Optimize(&tree.Node, &c); err != nil {
			var fe *file.Error
			if errors.As(err, &fe) {
				return nil, 0, fe.Bind(tree.Source)
			}
			return nil, 0, err
		}
	}
	var subs []*sub
	if post != nil {
		m.subs = map[ast.Node]*sub{}
		subs = post(tree, &c)
		m.subs = nil
	}
	g := newGuarder()
	g.guard(&tree.Node)
	for _, s := range subs {
		g.guard(&s.node)
	}
	prog, err = compiler.Compile(tree, &c)
	if err != nil {
		return nil, 0, err
	}
	return prog, patchHooks(prog), nil
}

func toError(err error) *Error {
	if fe, ok := err.(*file.Error); ok {
		line, col := fe.Line, fe.Column+1
		if line < 1 {
			line = 1
		}
		return &Error{Line: line, Column: col, Message: fe.Message}
	}
	return &Error{Line: 1, Column: 1, Message: err.Error()}
}

func checkKind(root ast.Node, k Kind) *Error {
	t := root.Type()
	if t == nil || t.Kind() == reflect.Interface {
		return nil // checked at run time
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	ok := true
	switch k {
	case Bool:
		ok = t.Kind() == reflect.Bool
	case Number:
		ok = isNumber(t.Kind())
	}
	if !ok {
		return &Error{Line: 1, Column: 1, Message: fmt.Sprintf("expression must be %s, but it is %s", k, describe(t))}
	}
	return nil
}

func isNumber(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func describe(t reflect.Type) string {
	switch {
	case t == reflect.TypeOf(time.Time{}):
		return "a date"
	case isNumber(t.Kind()):
		return "a number"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Slice:
		return "a list"
	case t.Kind() == reflect.Map || t.Kind() == reflect.Struct:
		return "a record"
	}
	return t.String()
}

// Run evaluates p on env, which must be of the model's environment type.
// A panic inside an expression or a function becomes an error.
func (r *Runner) Run(p *Program, env any) (out any, err error) {
	if fn := p.fast.a; fn != nil {
		// runFast, written out: generic calls are not inlined.
		fp, fr, e := &p.fast, &r.fr, (*eface)(unsafe.Pointer(&env))
		if !fp.user && e.typ == fp.typ && e.data != nil && !fr.vmOnly {
			fr.env = e.data
			fr.bud.reset()
			if fp.slots != nil {
				fr.prepare(fp.slots)
			}
			v, err := fn(fr)
			fr.env = nil
			switch err {
			case nil:
				return v, nil
			case errStop:
				return nil, fr.bud.stopped
			}
		} else {
			v, err := runSlow(fr, fp, fn, env)
			switch err {
			case nil:
				return v, nil
			case errStop:
				return nil, fr.bud.stopped
			}
		}
	}
	return r.runVM(p.prog, p.vars, env)
}

// RunVM evaluates p on expr's VM alone, bypassing the lowered closures:
// the referee of differential tests, and the baseline of benchmarks that
// measure the engine against expr.
func (r *Runner) RunVM(p *Program, env any) (any, error) {
	return r.runVM(p.prog, p.vars, env)
}

// Bool evaluates a condition.
func (r *Runner) Bool(p *Program, env any) (bool, error) {
	if fn := p.fast.b; fn != nil {
		// runFast, written out: generic calls are not inlined.
		fp, fr, e := &p.fast, &r.fr, (*eface)(unsafe.Pointer(&env))
		if !fp.user && e.typ == fp.typ && e.data != nil && !fr.vmOnly {
			fr.env = e.data
			fr.bud.reset()
			if fp.slots != nil {
				fr.prepare(fp.slots)
			}
			v, err := fn(fr)
			fr.env = nil
			switch err {
			case nil:
				return v, nil
			case errStop:
				return false, fr.bud.stopped
			}
		} else {
			v, err := runSlow(fr, fp, fn, env)
			switch err {
			case nil:
				return v, nil
			case errStop:
				return false, fr.bud.stopped
			}
		}
	}
	return r.vmBool(p, env)
}

// vmBool evaluates a condition on the VM.
func (r *Runner) vmBool(p *Program, env any) (bool, error) {
	out, err := r.runVM(p.prog, p.vars, env)
	if err != nil {
		return false, err
	}
	switch v := out.(type) {
	case bool:
		return v, nil
	case *bool:
		if v != nil {
			return *v, nil
		}
		return false, fmt.Errorf("condition is nil")
	}
	return false, fmt.Errorf("condition gave %s, want true or false", describeValue(out))
}

// Number evaluates a numeric expression.
func (r *Runner) Number(p *Program, env any) (float64, error) {
	if fn := p.fast.n; fn != nil {
		// runFast, written out: generic calls are not inlined.
		fp, fr, e := &p.fast, &r.fr, (*eface)(unsafe.Pointer(&env))
		if !fp.user && e.typ == fp.typ && e.data != nil && !fr.vmOnly {
			fr.env = e.data
			fr.bud.reset()
			if fp.slots != nil {
				fr.prepare(fp.slots)
			}
			v, err := fn(fr)
			fr.env = nil
			switch err {
			case nil:
				return v, nil
			case errStop:
				return 0, fr.bud.stopped
			}
		} else {
			v, err := runSlow(fr, fp, fn, env)
			switch err {
			case nil:
				return v, nil
			case errStop:
				return 0, fr.bud.stopped
			}
		}
	}
	return r.vmNumber(p, env)
}

// vmNumber evaluates a numeric expression on the VM.
func (r *Runner) vmNumber(p *Program, env any) (float64, error) {
	out, err := r.runVM(p.prog, p.vars, env)
	if err != nil {
		return 0, err
	}
	if f, ok := ToFloat(out); ok {
		return f, nil
	}
	return 0, fmt.Errorf("expression gave %s, want a number", describeValue(out))
}

func describeValue(v any) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprintf("%v (%s)", v, describe(reflect.TypeOf(v)))
}

// ToFloat converts any Go number, or a pointer to one, to float64.
func ToFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case float64:
		return n, true
	case int64:
		return float64(n), true
	case *int:
		if n != nil {
			return float64(*n), true
		}
	case *float64:
		if n != nil {
			return *n, true
		}
	case nil:
		return 0, false
	default:
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		switch rv.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return float64(rv.Int()), true
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return float64(rv.Uint()), true
		case reflect.Float32, reflect.Float64:
			return rv.Float(), true
		}
	}
	return 0, false
}

// Missing appends to dst the facts p reads that are absent from env: a nil
// pointer, slice or map, an empty string, a zero date, or an undeclared
// extra fact. A program with missing facts should not be run: its result
// would be about nil values, not about the operator.
func (p *Program) Missing(env any, dst []string) []string {
	if len(p.paths) == 0 {
		return dst
	}
	ptr := envData(env, p.envType)
	var rv reflect.Value
	for _, pa := range p.paths {
		var ok bool
		if pa.fast != nil && ptr != nil {
			ok = pa.fast.present(ptr)
		} else {
			if !rv.IsValid() {
				rv = reflect.ValueOf(env)
			}
			ok = pa.present(rv, env)
		}
		if !ok {
			dst = append(dst, pa.name)
		}
	}
	return dst
}

// Present reports whether every fact p reads is present in env: Missing
// would append nothing. It allocates nothing.
func (p *Program) Present(env any) bool {
	if p.always && envData(env, p.envType) != nil {
		return true
	}
	if len(p.paths) == 0 {
		return true
	}
	ptr := envData(env, p.envType)
	var rv reflect.Value
	for _, pa := range p.paths {
		if pa.fast != nil && ptr != nil {
			if !pa.fast.present(ptr) {
				return false
			}
			continue
		}
		if !rv.IsValid() {
			rv = reflect.ValueOf(env)
		}
		if !pa.present(rv, env) {
			return false
		}
	}
	return true
}

// alwaysPresent reports whether every path is a number or a bool read
// straight from the environment struct: no pointer on the way, nothing
// that may be nil or empty.
func alwaysPresent(paths []*path) bool {
	for _, pa := range paths {
		if pa.fast == nil || pa.fast.hasKey || len(pa.fast.hops) != 1 {
			return false
		}
		switch pa.fast.leaf.Kind() {
		case reflect.Bool, reflect.Int, reflect.Float64:
		default:
			return false
		}
	}
	return true
}

// A Value is the value of one fact a program read. It refers into the
// environment it was read from, without copying or boxing the value: a
// fact read through struct fields is kept as its address and its compiled
// path, and made into an any only when Interface is called (when an
// explanation is shown). The zero Value is an absent fact.
type Value struct {
	Fact string
	ptr  unsafe.Pointer // address of the fact, for fp; nil when absent
	fp   *fieldPath
	x    any // the fact itself, for a fact not read through fields
}

// ValueOf returns the Value of fact holding x, such as a value decoded
// from JSON.
func ValueOf(fact string, x any) Value { return Value{Fact: fact, x: x} }

// Interface returns the fact's value, following pointers; nil when absent.
func (v Value) Interface() any {
	if v.fp == nil {
		return deref(v.x)
	}
	if v.ptr == nil {
		return nil
	}
	if v.fp.hasKey {
		x, ok := (*(*map[string]string)(v.ptr))[v.fp.key]
		if !ok {
			return nil
		}
		return x
	}
	switch v.fp.leaf {
	case boolType:
		return *(*bool)(v.ptr)
	case intType:
		return *(*int)(v.ptr)
	case floatType:
		return *(*float64)(v.ptr)
	case stringType:
		return *(*string)(v.ptr)
	case timeType:
		return *(*time.Time)(v.ptr)
	}
	return Deref(reflect.NewAt(v.fp.leaf, v.ptr).Elem())
}

// Values appends to dst the values of the facts p reads, without copying
// them: a Value refers into env. Facts read through struct fields cost a
// few loads each.
func (p *Program) Values(env any, dst []Value) []Value {
	ptr := envData(env, p.envType)
	var rv reflect.Value
	for _, pa := range p.paths {
		if pa.fast != nil && ptr != nil {
			a, ok := walk(ptr, pa.fast.hops)
			if !ok {
				a = nil
			}
			dst = append(dst, Value{Fact: pa.name, ptr: a, fp: pa.fast})
			continue
		}
		if !rv.IsValid() {
			rv = reflect.ValueOf(env)
		}
		var x any
		if v := pa.value(rv, env); v.IsValid() {
			x = v.Interface()
		}
		dst = append(dst, Value{Fact: pa.name, x: x})
	}
	return dst
}

// NumFacts returns how many facts p reads.
func (p *Program) NumFacts() int { return len(p.paths) }

// Fast reports whether p runs on the fast evaluator, which lowers the
// expression into Go closures, and if not, why: the first part of the
// expression the lowering does not cover. A program that is not fast runs
// on expr's VM, with the same results.
func (p *Program) Fast() (ok bool, why string) {
	switch p.kind {
	case Bool:
		ok = p.fast.b != nil
	case Number:
		ok = p.fast.n != nil
	default:
		ok = p.fast.a != nil
	}
	switch {
	case ok:
		return true, ""
	case p.why != "":
		return false, p.why
	}
	return false, "the result may be nil or of varying type"
}
