package rules

import "unsafe"

// Fused closures: an operator whose one operand is a field read straight
// from the environment or a predicate's element (a direct read) and whose
// other operand is a constant runs as one closure, without calling the
// read. These are the leaves of most rules (value >= 100000,
// aeo_status == "", .equity > 0), so this halves the calls of a typical
// condition.

// fuseCompare returns the fused closure for l op r, one a direct read and
// the other a constant of the same kind, or nil.
func fuseCompare(op string, l, r value) eval[bool] {
	if l.konst && r.dr != nil {
		l, r = r, l
		op = flip[op]
	}
	if l.k == kFloat && r.k == kInt && r.konst {
		r = toFloat(r) // expr compares an int with a float as float64s
	}
	if l.dr == nil || l.k != r.k {
		return nil
	}
	if !r.konst {
		switch l.k {
		case kInt:
			return cmpDirectEval(op, l.dr, r.i)
		case kFloat:
			return cmpDirectEval(op, l.dr, r.f)
		case kString:
			return cmpDirectEval(op, l.dr, r.s)
		}
		return nil
	}
	switch l.k {
	case kInt:
		return cmpDirect(op, l.dr, cval(r.i))
	case kFloat:
		return cmpDirect(op, l.dr, cval(r.f))
	case kString:
		return cmpDirect(op, l.dr, cval(r.s))
	}
	return nil
}

// flip turns c op x into x flip[op] c; exact for NaN too, where both sides
// are false.
var flip = map[string]string{"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}

func cmpDirect[T ordered](op string, d *direct, c T) eval[bool] {
	off := d.off
	if d.root == fromEnv {
		switch op {
		case "<":
			return func(f *frame) (bool, error) { return *(*T)(unsafe.Add(f.env, off)) < c, nil }
		case ">":
			return func(f *frame) (bool, error) { return *(*T)(unsafe.Add(f.env, off)) > c, nil }
		case "<=":
			return func(f *frame) (bool, error) { return *(*T)(unsafe.Add(f.env, off)) <= c, nil }
		case ">=":
			return func(f *frame) (bool, error) { return *(*T)(unsafe.Add(f.env, off)) >= c, nil }
		case "==":
			return func(f *frame) (bool, error) { return *(*T)(unsafe.Add(f.env, off)) == c, nil }
		case "!=":
			return func(f *frame) (bool, error) { return *(*T)(unsafe.Add(f.env, off)) != c, nil }
		}
		return nil
	}
	switch op {
	case "<":
		return func(f *frame) (bool, error) {
			if f.item == nil {
				return false, errFail
			}
			return *(*T)(unsafe.Add(f.item, off)) < c, nil
		}
	case ">":
		return func(f *frame) (bool, error) {
			if f.item == nil {
				return false, errFail
			}
			return *(*T)(unsafe.Add(f.item, off)) > c, nil
		}
	case "<=":
		return func(f *frame) (bool, error) {
			if f.item == nil {
				return false, errFail
			}
			return *(*T)(unsafe.Add(f.item, off)) <= c, nil
		}
	case ">=":
		return func(f *frame) (bool, error) {
			if f.item == nil {
				return false, errFail
			}
			return *(*T)(unsafe.Add(f.item, off)) >= c, nil
		}
	case "==":
		return func(f *frame) (bool, error) {
			if f.item == nil {
				return false, errFail
			}
			return *(*T)(unsafe.Add(f.item, off)) == c, nil
		}
	case "!=":
		return func(f *frame) (bool, error) {
			if f.item == nil {
				return false, errFail
			}
			return *(*T)(unsafe.Add(f.item, off)) != c, nil
		}
	}
	return nil
}

func eqDirect(d *direct, c, neg bool) eval[bool] {
	off := d.off
	c = c != neg
	if d.root == fromEnv {
		return func(f *frame) (bool, error) { return *(*bool)(unsafe.Add(f.env, off)) == c, nil }
	}
	return func(f *frame) (bool, error) {
		if f.item == nil {
			return false, errFail
		}
		return *(*bool)(unsafe.Add(f.item, off)) == c, nil
	}
}

// smallSet is x in a constant set of a few elements: a scan beats a hash.
// A nil x looks up the zero value, as runtime.In does on a map.
func smallSet[T int | string](x value, keys []T, neg bool) eval[bool] {
	if x.dr != nil && x.dr.root == fromEnv && !x.null {
		off := x.dr.off
		return func(f *frame) (bool, error) {
			v := *(*T)(unsafe.Add(f.env, off))
			for _, k := range keys {
				if v == k {
					return !neg, nil
				}
			}
			return neg, nil
		}
	}
	var e eval[T]
	switch any(keys).(type) {
	case []int:
		e = any(x.i).(eval[T])
	case []string:
		e = any(x.s).(eval[T])
	}
	return func(f *frame) (bool, error) {
		v, err := e(f)
		if err != nil && err != errNil {
			return false, err
		}
		for _, k := range keys {
			if v == k {
				return !neg, nil
			}
		}
		return neg, nil
	}
}

// cmpDirectEval is x op e, with x read at d in the environment and e any
// closure of the same type, evaluated after the read as the VM does.
func cmpDirectEval[T ordered](op string, d *direct, e eval[T]) eval[bool] {
	if d.root != fromEnv {
		return nil
	}
	off := d.off
	switch op {
	case "<":
		return func(f *frame) (bool, error) { x := *(*T)(unsafe.Add(f.env, off)); y, err := e(f); return x < y, err }
	case ">":
		return func(f *frame) (bool, error) { x := *(*T)(unsafe.Add(f.env, off)); y, err := e(f); return x > y, err }
	case "<=":
		return func(f *frame) (bool, error) { x := *(*T)(unsafe.Add(f.env, off)); y, err := e(f); return x <= y, err }
	case ">=":
		return func(f *frame) (bool, error) { x := *(*T)(unsafe.Add(f.env, off)); y, err := e(f); return x >= y, err }
	}
	return nil
}
