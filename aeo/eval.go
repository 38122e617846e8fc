package aeo

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/safe-aeo/engine/criteria"
)

// An Evaluation is the value of an expression on one profile as of a
// date, with what it read: what the aeo eval command prints.
type Evaluation struct {
	Expression string    `json:"expression"`
	AsOf       time.Time `json:"as_of"`
	// Type is the type of Value in a rule author's terms: boolean, number,
	// string, date, list, record or absent (no value).
	Type  string `json:"type"`
	Value any    `json:"value"`
	// Decided is false when the facts the expression needs are missing
	// (Missing lists them) or it failed at run time (Error says why): an
	// undecided rule makes its requirement indeterminate.
	Decided bool                 `json:"decided"`
	Read    []criteria.FactValue `json:"read,omitempty"`
	Missing []string             `json:"missing,omitempty"`
	Error   string               `json:"error,omitempty"`
}

// Eval compiles src as a requirement's rule is compiled, with the
// profile's fields, as_of, the programme's declared facts and its
// functions, but of any type, and evaluates it on prof as of asOf. A
// problem in src is returned as a diag.List, as a programme's are; an
// invalid profile as a *ProfileError. A rule whose facts the profile lacks
// is not run (Decided is false), unless the facts present decide it.
func (p *Programme) Eval(ctx context.Context, src string, prof *Profile, asOf time.Time) (*Evaluation, error) {
	if prof == nil {
		prof = &Profile{}
	}
	x, err := p.set.Expression(src)
	if err != nil {
		return nil, err
	}
	facts, err := p.convertFacts(prof)
	if err != nil {
		return nil, err
	}
	ev, err := x.Eval(ctx, &env{Profile: prof, Date: asOf, facts: facts})
	if err != nil {
		return nil, err
	}
	out := &Evaluation{Expression: src, AsOf: asOf, Type: TypeOf(ev.Value), Value: ev.Value, Decided: ev.Decided, Missing: ev.Missing}
	for _, f := range ev.Facts {
		if f.Fact != "as_of" {
			out.Read = append(out.Read, f)
		}
	}
	if ev.Err != nil {
		out.Error = ev.Err.Error()
	}
	return out, nil
}

// TypeOf names the type of a rule's value in a rule author's terms:
// boolean, number, string, date, list, record, or absent for nil.
func TypeOf(v any) string {
	if v == nil {
		return "absent"
	}
	if _, ok := v.(time.Time); ok {
		return "date"
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "absent"
		}
		rv = rv.Elem()
	}
	if rv.Type() == reflect.TypeOf(time.Time{}) {
		return "date"
	}
	switch rv.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map, reflect.Struct:
		return "record"
	}
	return fmt.Sprintf("%T", v)
}
