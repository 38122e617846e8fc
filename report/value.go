package report

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/criteria"
)

// value renders a fact value briefly, in l's language: dates as dates,
// lists by their length (or their items, when a few strings), records by
// their keys; an absent value as such.
func (l *locale) value(v any) string {
	switch x := v.(type) {
	case nil:
		return l.T("value.absent")
	case time.Time:
		return l.Date(x)
	case string:
		return fmt.Sprintf("%q", x)
	case bool:
		if x {
			return l.T("value.true")
		}
		return l.T("value.false")
	case float64:
		return l.Num(x)
	case float32:
		return l.Num(float64(x))
	case int:
		return l.Int(x)
	case int64:
		return l.Num(float64(x))
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return l.T("value.absent")
		}
		return l.value(rv.Elem().Interface())
	case reflect.Slice, reflect.Array:
		n := rv.Len()
		if n == 0 {
			return l.T("value.none")
		}
		if n <= 4 && rv.Type().Elem().Kind() == reflect.String {
			parts := make([]string, n)
			for i := range n {
				parts[i] = rv.Index(i).String()
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
		return l.T("value.entries."+l.plural(n), l.Int(n))
	case reflect.Map:
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, fmt.Sprint(k.Interface()))
		}
		slices.Sort(keys)
		return "{" + strings.Join(keys, ", ") + "}"
	case reflect.Bool:
		return l.value(rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return l.Num(float64(rv.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return l.Num(float64(rv.Uint()))
	case reflect.Float32, reflect.Float64:
		return l.Num(rv.Float())
	case reflect.String:
		return fmt.Sprintf("%q", rv.String())
	}
	return fmt.Sprint(v)
}

// outcomeToken is the stable token of an outcome: the CSS class of its
// badge and the key of its label.
func outcomeToken(o criteria.Outcome) string {
	b, err := o.MarshalText()
	if err != nil {
		return "indeterminate"
	}
	return string(b)
}

func recommendationToken(r criteria.Recommendation) string {
	b, err := r.MarshalText()
	if err != nil {
		return "pending"
	}
	return string(b)
}
