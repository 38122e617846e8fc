package rules

import (
	"strconv"
	"strings"
	"unsafe"

	"github.com/expr-lang/expr/ast"
)

// Lowering of expr's string builtins. Each charges what the guarded VM
// charges: every argument that is not a constant costs its scan (one step
// per 64 bytes), and a string or list built costs its size in memory.

// strArg is a string argument: its closure, and whether it is charged.
type strArg struct {
	s     eval[string]
	konst bool
}

// strArgs lowers the string arguments of a builtin.
func (lw *lowerer) strArgs(name string, args []ast.Node) []strArg {
	out := make([]strArg, len(args))
	for i, a := range args {
		v := strict(lw.node(a))
		if v.k != kString {
			lw.fail("%s of a %s", name, v.k)
		}
		out[i] = strArg{s: v.s, konst: v.konst || !sized(a)}
	}
	return out
}

// read evaluates the arguments into xs, charging their scans.
func readStrs(f *frame, args []strArg, xs []string) error {
	for i, a := range args {
		x, err := a.s(f)
		if err != nil {
			return err
		}
		if !a.konst {
			if err := f.step(strSteps(len(x))); err != nil {
				return err
			}
		}
		xs[i] = x
	}
	return nil
}

// readStr2 evaluates one or two arguments, as readStrs does; y is empty
// when there is one.
func readStr2(f *frame, args []strArg) (x, y string, err error) {
	var xs [2]string
	if err := readStrs(f, args, xs[:len(args)]); err != nil {
		return "", "", err
	}
	return xs[0], xs[1], nil
}

// stringBuiltin lowers the string builtins; ok is false for another.
func (lw *lowerer) stringBuiltin(n *ast.BuiltinNode) (value, bool) {
	args := n.Arguments
	// The builtins take one or two strings, passed as such: a slice
	// passed to a function value would escape, one allocation a call.
	var fn func(x, y string) string // a builtin that builds a string
	var test func(x, y string) bool
	var index func(x, y string) int
	switch n.Name {
	case "upper":
		fn = func(x, y string) string { return strings.ToUpper(x) }
	case "lower":
		fn = func(x, y string) string { return strings.ToLower(x) }
	case "trim":
		if len(args) == 1 {
			fn = func(x, y string) string { return strings.TrimSpace(x) }
		} else {
			fn = func(x, y string) string { return strings.Trim(x, y) }
		}
	case "trimPrefix":
		fn = func(x, y string) string { return strings.TrimPrefix(x, y) }
	case "trimSuffix":
		fn = func(x, y string) string { return strings.TrimSuffix(x, y) }
	case "hasPrefix":
		test = func(x, y string) bool { return strings.HasPrefix(x, y) }
	case "hasSuffix":
		test = func(x, y string) bool { return strings.HasSuffix(x, y) }
	case "indexOf":
		index = func(x, y string) int { return strings.Index(x, y) }
	case "lastIndexOf":
		index = func(x, y string) int { return strings.LastIndex(x, y) }
	case "split", "splitAfter":
		if len(args) != 2 {
			lw.fail("%s with a count", n.Name)
		}
		return lw.split(n.Name == "splitAfter", lw.strArgs(n.Name, args)), true
	case "replace":
		if len(args) != 3 {
			lw.fail("replace with a count")
		}
		return lw.replace(lw.strArgs(n.Name, args)), true
	case "repeat":
		return lw.repeat(args), true
	case "join":
		return lw.join(args), true
	case "string":
		return lw.toString(args[0]), true
	default:
		return value{}, false
	}
	if len(args) > 2 {
		lw.fail("%s of %d arguments", n.Name, len(args))
	}
	sa := lw.strArgs(n.Name, args)
	switch {
	case fn != nil:
		return value{k: kString, s: func(f *frame) (string, error) {
			x, y, err := readStr2(f, sa)
			if err != nil {
				return "", err
			}
			out := fn(x, y)
			return out, f.alloc(len(out))
		}}, true
	case test != nil:
		return value{k: kBool, b: func(f *frame) (bool, error) {
			x, y, err := readStr2(f, sa)
			if err != nil {
				return false, err
			}
			return test(x, y), nil
		}}, true
	}
	return value{k: kInt, i: func(f *frame) (int, error) {
		x, y, err := readStr2(f, sa)
		if err != nil {
			return 0, err
		}
		return index(x, y), nil
	}}, true
}

// split lowers split(s, sep) and splitAfter(s, sep) into a list of
// strings.
func (lw *lowerer) split(after bool, sa []strArg) value {
	return lw.built(stringType, func(f *frame) (sliceHeader, error) {
		var xs [2]string
		if err := readStrs(f, sa, xs[:]); err != nil {
			return sliceHeader{}, err
		}
		s, sep := xs[0], xs[1]
		if sep == "" {
			// Rare: into UTF-8 sequences, as strings.Split does.
			parts := strings.Split(s, "")
			if after {
				parts = strings.SplitAfter(s, "")
			}
			if err := f.alloc(len(parts) * elemBytes); err != nil {
				return sliceHeader{}, err
			}
			start := reserve(&f.as, len(parts))
			copy(f.as[start:], parts)
			return header(f.as, start, len(parts)), nil
		}
		n := strings.Count(s, sep) + 1
		if err := f.alloc(n * elemBytes); err != nil {
			return sliceHeader{}, err
		}
		start := reserve(&f.as, n)
		k := 0
		for k < n-1 {
			i := strings.Index(s, sep)
			if i < 0 {
				break
			}
			end := i
			if after {
				end = i + len(sep)
			}
			f.as[start+k] = s[:end]
			s = s[i+len(sep):]
			k++
		}
		f.as[start+k] = s
		return header(f.as, start, k+1), nil
	})
}

// replace lowers replace(s, old, new), its size checked before it is
// built.
func (lw *lowerer) replace(sa []strArg) value {
	return value{k: kString, s: func(f *frame) (string, error) {
		var xs [3]string
		if err := readStrs(f, sa, xs[:]); err != nil {
			return "", err
		}
		if err := f.step(strSteps(len(xs[0]))); err != nil {
			return "", err
		}
		if err := f.alloc(replacedLen(xs[0], xs[1], xs[2], -1)); err != nil {
			return "", err
		}
		return strings.ReplaceAll(xs[0], xs[1], xs[2]), nil
	}}
}

// repeat lowers repeat(s, n), its size checked before it is built.
func (lw *lowerer) repeat(args []ast.Node) value {
	sa := lw.strArgs("repeat", args[:1])
	c := strict(lw.node(args[1]))
	if c.k != kInt {
		lw.fail("repeat of a %s", c.k)
	}
	cnt := c.i
	return value{k: kString, s: func(f *frame) (string, error) {
		var xs [1]string
		if err := readStrs(f, sa, xs[:]); err != nil {
			return "", err
		}
		n, err := cnt(f)
		if err != nil {
			return "", err
		}
		if n < 0 {
			return "", errFail
		}
		s := xs[0]
		if len(s) > 0 && n > (f.bud.limits.MaxMemory+1)/len(s) {
			return "", f.alloc(f.bud.limits.MaxMemory + 1)
		}
		if err := f.alloc(len(s) * n); err != nil {
			return "", err
		}
		return strings.Repeat(s, n), nil
	}}
}

// join lowers join(list[, sep]) of a list of strings.
func (lw *lowerer) join(args []ast.Node) value {
	l := lw.asList(lw.node(args[0]))
	if l.rt.Elem() != stringType {
		lw.fail("join of a list of %s", l.rt.Elem())
	}
	var sep []strArg
	if len(args) == 2 {
		sep = lw.strArgs("join", args[1:])
	}
	at := l.at.addr()
	return value{k: kString, s: func(f *frame) (string, error) {
		p, err := at(f)
		if err != nil {
			return "", err
		}
		h := (*sliceHeader)(p)
		if err := f.step(h.len); err != nil {
			return "", err
		}
		var xs [1]string
		if err := readStrs(f, sep, xs[:len(sep)]); err != nil {
			return "", err
		}
		parts := unsafe.Slice((*string)(h.data), h.len)
		size := len(xs[0]) * max(0, h.len-1)
		for _, s := range parts {
			size += len(s)
		}
		if err := f.alloc(size); err != nil {
			return "", err
		}
		return strings.Join(parts, xs[0]), nil
	}}
}

// toString lowers string(x) of a scalar, as fmt's %v prints it: a few
// bytes, which the guarded VM does not charge either.
func (lw *lowerer) toString(a ast.Node) value {
	v := lw.node(a) // a builtin's argument is dereferenced: nil prints <nil>
	var fn func(f *frame) (string, error)
	switch v.k {
	case kString:
		if !v.null {
			return v
		}
		e := v.s
		fn = func(f *frame) (string, error) { return e(f) }
	case kInt:
		e := v.i
		fn = func(f *frame) (string, error) { x, err := e(f); return strconv.Itoa(x), err }
	case kFloat:
		if v.loose {
			lw.fail("string of a loose number")
		}
		e := v.f
		fn = func(f *frame) (string, error) { x, err := e(f); return strconv.FormatFloat(x, 'g', -1, 64), err }
	case kBool:
		e := v.b
		fn = func(f *frame) (string, error) { x, err := e(f); return strconv.FormatBool(x), err }
	default:
		lw.fail("string of a %s", v.k)
	}
	return fold(value{k: kString, s: func(f *frame) (string, error) {
		s, err := fn(f)
		if err == errNil {
			s, err = "<nil>", nil // fmt's %v of nil
		}
		return s, err
	}}, v)
}
