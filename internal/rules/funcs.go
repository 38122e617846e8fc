package rules

import (
	"fmt"
	"reflect"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// builtinFuncs are the functions every model offers, beyond expr's own
// builtins (all, any, none, count, filter, map, sum, mean, len, ...).
// years_since, days_since and within are rewritten into the *_between and
// within_period calls below with the as_of date of the environment, so
// that no rule reads the wall clock.
func builtinFuncs() []Func {
	return []Func{
		{
			Name:  "days_between",
			Doc:   "days_between(a, b): whole calendar days from date a to date b (negative if b is earlier)",
			Types: []any{new(func(time.Time, time.Time) int)},
			Fn: func(args ...any) (any, error) {
				a, b, err := twoDates(args)
				if err != nil {
					return nil, err
				}
				return calendar.DaysBetween(a, b), nil
			},
		},
		{
			Name:  "years_between",
			Doc:   "years_between(a, b): whole years from date a to date b, a year complete on its anniversary",
			Types: []any{new(func(time.Time, time.Time) int)},
			Fn: func(args ...any) (any, error) {
				a, b, err := twoDates(args)
				if err != nil {
					return nil, err
				}
				return calendar.YearsBetween(a, b), nil
			},
		},
		{
			Name:  "within_period",
			Doc:   "within(d, \"3y\"): whether date d falls in the period that ends on the assessment date (as_of), inclusive",
			Types: []any{new(func(time.Time, time.Time, string) bool)},
			Fn: func(args ...any) (any, error) {
				d, asOf, err := twoDates(args[:2])
				if err != nil {
					return nil, err
				}
				p, err := calendar.ParsePeriod(args[2].(string))
				if err != nil {
					return nil, err
				}
				start := calendar.Date(p.Negate().AddTo(asOf))
				day := calendar.Date(d)
				return day.After(start) && !day.After(calendar.Date(asOf)), nil
			},
		},
		{
			Name:  "contains_any",
			Doc:   "contains_any(list, values): whether list holds at least one of values",
			Types: []any{new(func(any, any) bool)},
			Fn:    func(args ...any) (any, error) { return containsCount(args[0], args[1], false) },
		},
		{
			Name:  "contains_all",
			Doc:   "contains_all(list, values): whether list holds every one of values",
			Types: []any{new(func(any, any) bool)},
			Fn:    func(args ...any) (any, error) { return containsCount(args[0], args[1], true) },
		},
	}
}

// years_since and days_since are documented here for rule authors; the
// patcher rewrites them.
var shorthandDocs = []Func{
	{Name: "years_since", Doc: "years_since(d): whole years from date d to the assessment date"},
	{Name: "days_since", Doc: "days_since(d): whole days from date d to the assessment date"},
	{Name: "within", Doc: "within(d, \"3y\"): whether date d falls in the last period (y, m, w, d) up to the assessment date"},
}

// Shorthands returns the date shorthands rule authors may write.
func Shorthands() []Func { return append([]Func(nil), shorthandDocs...) }

func twoDates(args []any) (time.Time, time.Time, error) {
	a, ok1 := args[0].(time.Time)
	b, ok2 := args[1].(time.Time)
	if !ok1 || !ok2 {
		return time.Time{}, time.Time{}, fmt.Errorf("want two dates, got %T and %T", args[0], args[1])
	}
	if a.IsZero() || b.IsZero() {
		return time.Time{}, time.Time{}, fmt.Errorf("date is not set")
	}
	return a, b, nil
}

func containsCount(list, values any, all bool) (bool, error) {
	l, v := reflect.ValueOf(list), reflect.ValueOf(values)
	if !isList(l) || !isList(v) {
		return false, fmt.Errorf("want two lists, got %T and %T", list, values)
	}
	for j := 0; j < v.Len(); j++ {
		found := false
		want := v.Index(j).Interface()
		for i := 0; i < l.Len(); i++ {
			if equal(l.Index(i).Interface(), want) {
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
}

func isList(v reflect.Value) bool {
	return v.IsValid() && (v.Kind() == reflect.Slice || v.Kind() == reflect.Array)
}

func equal(a, b any) bool {
	if fa, ok := ToFloat(a); ok {
		if fb, ok := ToFloat(b); ok {
			return fa == fb
		}
	}
	return fmt.Sprint(a) == fmt.Sprint(b)
}

func validFactType(t FactType) bool {
	for _, k := range FactTypes() {
		if k == t {
			return true
		}
	}
	return false
}

func factFunc(t FactType) string { return "fact_" + string(t) }

func factSignature(t FactType) any {
	switch t {
	case FactInt:
		return new(func(any, string) int)
	case FactFloat:
		return new(func(any, string) float64)
	case FactBool:
		return new(func(any, string) bool)
	case FactString:
		return new(func(any, string) string)
	case FactDate:
		return new(func(any, string) time.Time)
	}
	return new(func(any, string) []any)
}

// factGetter returns the function that reads an extra fact of type t and
// converts it to the declared type (JSON gives every number as float64).
func factGetter(t FactType) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		name, _ := args[1].(string)
		fs, ok := args[0].(FactSource)
		if !ok {
			return nil, fmt.Errorf("facts.%s: this environment carries no extra facts", name)
		}
		v, ok := fs.Fact(name)
		if !ok || v == nil {
			return nil, fmt.Errorf("facts.%s is missing", name)
		}
		out, err := ConvertFact(t, v)
		if err != nil {
			return nil, fmt.Errorf("facts.%s: %w", name, err)
		}
		return out, nil
	}
}

// ConvertFact converts v, as decoded from JSON or YAML or set from Go, to
// the Go type of a fact declared as t: int, float64, bool, string,
// time.Time or []any.
func ConvertFact(t FactType, v any) (any, error) {
	switch t {
	case FactInt:
		if f, ok := ToFloat(v); ok && f == float64(int(f)) {
			return int(f), nil
		}
	case FactFloat:
		if f, ok := ToFloat(v); ok {
			return f, nil
		}
	case FactBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case FactString:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case FactDate:
		switch d := v.(type) {
		case time.Time:
			return d, nil
		case string:
			for _, layout := range []string{"2006-01-02", time.RFC3339} {
				if tt, err := time.Parse(layout, d); err == nil {
					return tt, nil
				}
			}
		}
	case FactStrings:
		rv := reflect.ValueOf(v)
		if isList(rv) {
			out := make([]any, rv.Len())
			for i := range out {
				s, ok := rv.Index(i).Interface().(string)
				if !ok {
					return nil, fmt.Errorf("want a list of strings, element %d is %T", i, rv.Index(i).Interface())
				}
				out[i] = s
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("want %s, got %v (%T)", t, v, v)
}
