package rules

import (
	"math"
	"unsafe"
)

// Checked arithmetic of the lowered closures: a result that is not a
// finite number, and an integer overflow, fail (errFail), and the VM,
// whose guarded program fails there too (see guard.go), gives the error.
// Each kernel is small enough to be inlined into the closures below, one
// closure per operator and shape of operands (a field read straight from
// the environment, a constant, any closure), so that the check costs a
// compare, not a call.

func addF(x, y float64) (float64, error) {
	z := x + y
	if z-z != 0 {
		return z, errFail
	}
	return z, nil
}

func subF(x, y float64) (float64, error) {
	z := x - y
	if z-z != 0 {
		return z, errFail
	}
	return z, nil
}

func mulF(x, y float64) (float64, error) {
	z := x * y
	if z-z != 0 {
		return z, errFail
	}
	return z, nil
}

func divF(x, y float64) (float64, error) {
	z := x / y
	if z-z != 0 {
		return z, errFail
	}
	return z, nil
}

func addI(x, y int) (int, error) {
	z := x + y
	if (x^z)&(y^z) < 0 {
		return z, errFail
	}
	return z, nil
}

func subI(x, y int) (int, error) {
	z := x - y
	if (x^y)&(x^z) < 0 {
		return z, errFail
	}
	return z, nil
}

func mulI(x, y int) (int, error) {
	if x == 0 || y == 0 {
		return 0, nil
	}
	z := x * y
	if z/y != x || (x == -1 && y == math.MinInt) || (y == -1 && x == math.MinInt) {
		return z, errFail
	}
	return z, nil
}

// floatArith returns the closure of l op r (+ - * /) on floats.
func floatArith(op string, l, r value) eval[float64] {
	switch {
	case l.dr != nil && l.dr.root == fromEnv && !l.null && r.konst:
		return floatDirectConst(op, l.dr.off, cval(r.f), false)
	case r.dr != nil && r.dr.root == fromEnv && !r.null && l.konst:
		return floatDirectConst(op, r.dr.off, cval(l.f), true)
	case r.konst:
		return floatEvalConst(op, l.f, cval(r.f), false)
	case l.konst:
		return floatEvalConst(op, r.f, cval(l.f), true)
	}
	a, b := l.f, r.f
	switch op {
	case "+":
		return func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return addF(x, y)
		}
	case "-":
		return func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return subF(x, y)
		}
	case "*":
		return func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return mulF(x, y)
		}
	}
	return func(f *frame) (float64, error) {
		x, err := a(f)
		if err != nil {
			return 0, err
		}
		y, err := b(f)
		if err != nil {
			return 0, err
		}
		return divF(x, y)
	}
}

// floatDirectConst is x op c, or c op x when constLeft, with x the float
// at offset off of the environment.
func floatDirectConst(op string, off uintptr, c float64, constLeft bool) eval[float64] {
	switch {
	case op == "+":
		return func(f *frame) (float64, error) { return addF(*(*float64)(unsafe.Add(f.env, off)), c) }
	case op == "*":
		return func(f *frame) (float64, error) { return mulF(*(*float64)(unsafe.Add(f.env, off)), c) }
	case op == "-" && !constLeft:
		return func(f *frame) (float64, error) { return subF(*(*float64)(unsafe.Add(f.env, off)), c) }
	case op == "-":
		return func(f *frame) (float64, error) { return subF(c, *(*float64)(unsafe.Add(f.env, off))) }
	case op == "/" && !constLeft:
		return func(f *frame) (float64, error) { return divF(*(*float64)(unsafe.Add(f.env, off)), c) }
	}
	return func(f *frame) (float64, error) { return divF(c, *(*float64)(unsafe.Add(f.env, off))) }
}

// floatEvalConst is e op c, or c op e when constLeft.
func floatEvalConst(op string, e eval[float64], c float64, constLeft bool) eval[float64] {
	switch {
	case op == "+":
		return func(f *frame) (float64, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			return addF(x, c)
		}
	case op == "*":
		return func(f *frame) (float64, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			return mulF(x, c)
		}
	case op == "-" && !constLeft:
		return func(f *frame) (float64, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			return subF(x, c)
		}
	case op == "-":
		return func(f *frame) (float64, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			return subF(c, x)
		}
	case op == "/" && !constLeft:
		return func(f *frame) (float64, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			return divF(x, c)
		}
	}
	return func(f *frame) (float64, error) {
		x, err := e(f)
		if err != nil {
			return 0, err
		}
		return divF(c, x)
	}
}

// mixedArith is l op r (+ - * /) with one operand a float and the other
// an int, neither constant, in one closure, the operands evaluated left
// to right.
func mixedArith(op string, l, r value) eval[float64] {
	if l.k == kFloat {
		a, b := l.f, r.i
		switch op {
		case "+":
			return func(f *frame) (float64, error) {
				x, err := a(f)
				if err != nil {
					return 0, err
				}
				y, err := b(f)
				if err != nil {
					return 0, err
				}
				return addF(x, float64(y))
			}
		case "-":
			return func(f *frame) (float64, error) {
				x, err := a(f)
				if err != nil {
					return 0, err
				}
				y, err := b(f)
				if err != nil {
					return 0, err
				}
				return subF(x, float64(y))
			}
		case "*":
			return func(f *frame) (float64, error) {
				x, err := a(f)
				if err != nil {
					return 0, err
				}
				y, err := b(f)
				if err != nil {
					return 0, err
				}
				return mulF(x, float64(y))
			}
		}
		return func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return divF(x, float64(y))
		}
	}
	a, b := l.i, r.f
	switch op {
	case "+":
		return func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return addF(float64(x), y)
		}
	case "-":
		return func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return subF(float64(x), y)
		}
	case "*":
		return func(f *frame) (float64, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return mulF(float64(x), y)
		}
	}
	return func(f *frame) (float64, error) {
		x, err := a(f)
		if err != nil {
			return 0, err
		}
		y, err := b(f)
		if err != nil {
			return 0, err
		}
		return divF(float64(x), y)
	}
}

// intArith returns the closure of l op r (+ - *) on ints.
func intArith(op string, l, r value) eval[int] {
	switch {
	case l.dr != nil && l.dr.root == fromEnv && !l.null && r.konst:
		return intDirectConst(op, l.dr.off, cval(r.i), false)
	case r.dr != nil && r.dr.root == fromEnv && !r.null && l.konst:
		return intDirectConst(op, r.dr.off, cval(l.i), true)
	case r.konst:
		return intEvalConst(op, l.i, cval(r.i), false)
	case l.konst:
		return intEvalConst(op, r.i, cval(l.i), true)
	}
	a, b := l.i, r.i
	switch op {
	case "+":
		return func(f *frame) (int, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return addI(x, y)
		}
	case "-":
		return func(f *frame) (int, error) {
			x, err := a(f)
			if err != nil {
				return 0, err
			}
			y, err := b(f)
			if err != nil {
				return 0, err
			}
			return subI(x, y)
		}
	}
	return func(f *frame) (int, error) {
		x, err := a(f)
		if err != nil {
			return 0, err
		}
		y, err := b(f)
		if err != nil {
			return 0, err
		}
		return mulI(x, y)
	}
}

// mulBounds returns the range of x for which x * c does not overflow.
func mulBounds(c int) (lo, hi int) {
	switch {
	case c == 0:
		return math.MinInt, math.MaxInt
	case c == -1:
		return math.MinInt + 1, math.MaxInt
	case c > 0:
		return math.MinInt / c, math.MaxInt / c
	}
	return math.MaxInt / c, math.MinInt / c
}

// intDirectConst is x op c, or c op x when constLeft, with x the int at
// offset off of the environment.
func intDirectConst(op string, off uintptr, c int, constLeft bool) eval[int] {
	switch {
	case op == "+":
		return func(f *frame) (int, error) { return addI(*(*int)(unsafe.Add(f.env, off)), c) }
	case op == "*":
		lo, hi := mulBounds(c)
		return func(f *frame) (int, error) {
			x := *(*int)(unsafe.Add(f.env, off))
			if x < lo || x > hi {
				return 0, errFail
			}
			return x * c, nil
		}
	case op == "-" && !constLeft:
		return func(f *frame) (int, error) { return subI(*(*int)(unsafe.Add(f.env, off)), c) }
	}
	return func(f *frame) (int, error) { return subI(c, *(*int)(unsafe.Add(f.env, off))) }
}

// intEvalConst is e op c, or c op e when constLeft.
func intEvalConst(op string, e eval[int], c int, constLeft bool) eval[int] {
	switch {
	case op == "+":
		return func(f *frame) (int, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			return addI(x, c)
		}
	case op == "*":
		lo, hi := mulBounds(c)
		return func(f *frame) (int, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			if x < lo || x > hi {
				return 0, errFail
			}
			return x * c, nil
		}
	case op == "-" && !constLeft:
		return func(f *frame) (int, error) {
			x, err := e(f)
			if err != nil {
				return 0, err
			}
			return subI(x, c)
		}
	}
	return func(f *frame) (int, error) {
		x, err := e(f)
		if err != nil {
			return 0, err
		}
		return subI(c, x)
	}
}
