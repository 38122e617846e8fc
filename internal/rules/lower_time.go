package rules

import (
	"time"

	"github.com/expr-lang/expr/ast"
)

// Lowering of the methods of a date that rule authors call the Go way:
// date.Year(), date.Before(as_of), as_of.AddDate(-1, 0, 0). expr calls
// them through reflection; the lowered forms call them directly. Only the
// methods whose results are a bool, an int, a date or a duration are
// lowered, and the float methods of a duration: the others give Go types
// the rules have no kind for (time.Month, int64), which expr's checker
// keeps from mixing with numbers.

// intMethods are the methods of time.Time that take nothing and give an
// int.
var intMethods = map[string]func(time.Time) int{
	"Year":       time.Time.Year,
	"Day":        time.Time.Day,
	"YearDay":    time.Time.YearDay,
	"Hour":       time.Time.Hour,
	"Minute":     time.Time.Minute,
	"Second":     time.Time.Second,
	"Nanosecond": time.Time.Nanosecond,
}

// compareMethods are the methods of time.Time that compare it with
// another date.
var compareMethods = map[string]func(time.Time, time.Time) bool{
	"Before": time.Time.Before,
	"After":  time.Time.After,
	"Equal":  time.Time.Equal,
}

// method lowers a call of a method of a date or a duration; others are
// not lowered. named admits the methods giving a named int type, for
// int(date.Month()).
func (lw *lowerer) method(m *ast.MemberNode, args []ast.Node, named bool) value {
	name, ok := m.Property.(*ast.StringNode)
	if !ok || m.Optional {
		lw.fail("call of %s", m)
	}
	recv := strict(lw.node(m.Node))
	if recv.k == kDur {
		return lw.durationMethod(name.Value, recv, args)
	}
	if recv.k != kTime {
		lw.fail("call of a method of a %s", recv.k)
	}
	t := recv.t
	fn, ok := intMethods[name.Value]
	if !ok && named {
		fn, ok = namedIntMethods[name.Value]
	}
	if ok && len(args) == 0 {
		return value{k: kInt, i: func(f *frame) (int, error) {
			x, err := t(f)
			if err != nil {
				return 0, err
			}
			return fn(x), nil
		}}
	}
	if fn, ok := compareMethods[name.Value]; ok && len(args) == 1 {
		return value{k: kBool, b: both(t, lw.argument(args[0], kTime).t, fn)}
	}
	switch {
	case name.Value == "Sub" && len(args) == 1:
		return value{k: kDur, i: both(t, lw.argument(args[0], kTime).t, timeSub)}
	case name.Value == "IsZero" && len(args) == 0:
		return value{k: kBool, b: func(f *frame) (bool, error) {
			x, err := t(f)
			return x.IsZero(), err
		}}
	case name.Value == "AddDate" && len(args) == 3:
		var n [3]eval[int]
		for i, a := range args {
			n[i] = lw.argument(a, kInt).i
		}
		return value{k: kTime, t: func(f *frame) (time.Time, error) {
			x, err := t(f)
			if err != nil {
				return time.Time{}, err
			}
			var d [3]int
			for i, e := range n {
				if d[i], err = e(f); err != nil {
					return time.Time{}, err
				}
			}
			return x.AddDate(d[0], d[1], d[2]), nil
		}}
	}
	lw.fail("call of date.%s", name.Value)
	return value{}
}

// argument lowers an argument of a method, of kind k. One that may be a
// nil pointer is left to expr, whose calls pass nil differently by the
// method's signature (an error for a date, the zero value for an int).
func (lw *lowerer) argument(n ast.Node, k kind) value {
	v := lw.node(n)
	if v.k != k {
		lw.fail("method argument of a %s", v.k)
	}
	if v.null || v.raw {
		lw.fail("method argument that may be nil")
	}
	return v
}

// durationMethods are the methods of time.Duration that give a float.
var durationMethods = map[string]func(time.Duration) float64{
	"Hours":   time.Duration.Hours,
	"Minutes": time.Duration.Minutes,
	"Seconds": time.Duration.Seconds,
}

// durationMethod lowers d.Hours(), d.Minutes() and d.Seconds().
func (lw *lowerer) durationMethod(name string, d value, args []ast.Node) value {
	fn, ok := durationMethods[name]
	if !ok || len(args) != 0 {
		lw.fail("call of duration.%s", name)
	}
	i := d.i
	return value{k: kFloat, f: func(f *frame) (float64, error) {
		x, err := i(f)
		return fn(time.Duration(x)), err
	}}
}

// namedIntMethods are the methods of time.Time whose result is a named
// int type, which expr's checker compares with nothing but its own kind:
// int(date.Month()) is how authors use them.
var namedIntMethods = map[string]func(time.Time) int{
	"Month":   func(t time.Time) int { return int(t.Month()) },
	"Weekday": func(t time.Time) int { return int(t.Weekday()) },
}

// intOfDatePart lowers int(date.Month()) and int(date.Weekday()); ok is
// false for any other argument of int. Alone, date.Month() is left to
// the VM, whose Run gives a time.Month.
func (lw *lowerer) intOfDatePart(n ast.Node) (value, bool) {
	c, ok := n.(*ast.CallNode)
	if !ok {
		return value{}, false
	}
	m, ok := c.Callee.(*ast.MemberNode)
	if !ok || !m.Method {
		return value{}, false
	}
	if name, ok := m.Property.(*ast.StringNode); !ok || namedIntMethods[name.Value] == nil {
		return value{}, false
	}
	return lw.method(m, c.Arguments, true), true
}
