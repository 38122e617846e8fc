package criteria

import (
	"context"
	"fmt"
	"reflect"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

// An Expression is an expression compiled against the facts, functions
// and subject a Set's requirements read, outside any requirement: for a
// tool that lets a rule author try a rule out (the aeo eval command). It
// is immutable and safe for concurrent use.
type Expression struct {
	set  *Set
	prog *rules.Program
	// cond is the expression compiled as a condition, when it is one, so
	// that missing facts are decided as a requirement's are.
	cond *rules.Program
}

// Expression compiles src as it compiles a requirement's rule, but src may
// be of any type. A problem is a diag.List of one *diag.Error at path
// "expression" whose ExprLine and ExprColumn point into src.
func (s *Set) Expression(src string) (*Expression, error) {
	var errs diag.List
	p := s.subject.CompileAt("expression", src, rules.Any, &errs)
	if p == nil {
		return nil, errs
	}
	e := &Expression{set: s, prog: p}
	if c, err := s.subject.Compile(src, rules.Bool); err == nil {
		e.cond = c
	}
	return e, nil
}

// An Evaluation is the value of an Expression on one subject.
type Evaluation struct {
	// Value is the expression's value; nil when it is not Decided.
	Value any
	// Decided is false when facts the expression reads are missing and
	// the facts present do not decide it (a condition "a || b" with a
	// true is decided whatever b's facts), or when it failed at run time.
	Decided bool
	// Facts are the facts the expression read and their values; Missing
	// those absent from the subject.
	Facts   []FactValue
	Missing []string
	// Err is a failure at run time.
	Err error
}

// Eval evaluates e on subject, which must be of the type the Set was
// compiled for. An expression whose facts are missing is not run, as a
// requirement's rule is not: its value would be about absent values, not
// about the operator. Eval returns an error only for a subject of the
// wrong type or a done ctx.
func (e *Expression) Eval(ctx context.Context, subject Subject) (Evaluation, error) {
	if subject == nil || reflect.TypeOf(subject) != e.set.envType {
		return Evaluation{}, fmt.Errorf("criteria: Eval needs a %s, got %T", e.set.envType, subject)
	}
	if err := ctx.Err(); err != nil {
		return Evaluation{}, err
	}
	var ev Evaluation
	for _, v := range e.prog.Values(subject, nil) {
		ev.Facts = append(ev.Facts, FactValue{Fact: v.Fact, val: v})
	}
	ev.Missing = e.prog.Missing(subject, nil)
	r := e.set.subject.Runner()
	defer r.Release()
	r.SetContext(ctx)
	switch {
	case e.cond != nil:
		v, known := r.Decide(e.cond, subject)
		if known {
			ev.Value, ev.Decided = v, true
		} else if len(ev.Missing) == 0 {
			_, ev.Err = r.Bool(e.cond, subject)
		}
	case len(ev.Missing) == 0:
		v, err := r.Run(e.prog, subject)
		if err != nil {
			ev.Err = err
		} else {
			ev.Value, ev.Decided = rules.Deref(reflect.ValueOf(v)), true
		}
	}
	return ev, nil
}
