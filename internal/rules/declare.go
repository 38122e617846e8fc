package rules

import (
	"errors"
	"regexp"
	"slices"

	"github.com/safe-aeo/engine/diag"
)

var factName = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Declare checks n fact declarations, the ith of which decl gives,
// declared in a configuration at path (a list, so that the first is
// path[0]), and adds them to into. Problems go to errs
// with the path of the key at fault. With path empty the declarations
// come from the host rather than a file: their problems carry no path,
// and a fact the host declares twice with the same type is not a problem.
// A declaration whose type is unknown is added as a float, so that the
// expressions that read it are still checked.
func Declare(into map[string]FactType, path string, n int, decl func(i int) (name, typ string), errs *diag.List) {
	for i := range n {
		name, typ := decl(i)
		where := func(key string) string {
			if path == "" {
				return ""
			}
			return diag.Join(diag.Index(path, i), key)
		}
		if !factName.MatchString(name) {
			errs.Add(where("name"), "fact name %q must be lower case letters, digits and _, starting with a letter", name)
			continue
		}
		ft := FactType(typ)
		if !slices.Contains(FactTypes(), ft) {
			if path == "" {
				errs.Add("", "fact %q: unknown fact type %q (want int, float, bool, string, date or strings)", name, typ)
			} else {
				errs.Add(where("type"), "unknown fact type %q (want int, float, bool, string, date or strings)", typ)
			}
			ft = FactFloat
		}
		if prev, dup := into[name]; dup {
			switch {
			case prev != ft:
				errs.Add(where("name"), "fact %q declared twice, as %s and as %s", name, prev, ft)
			case path != "":
				errs.Add(where("name"), "fact %q declared twice", name)
			}
			continue
		}
		into[name] = ft
	}
}

// CompileAt compiles src as Compile does and reports a problem to errs at
// path, with the position inside the expression when there is one. It
// returns nil when src does not compile.
func (m *Model) CompileAt(path, src string, k Kind, errs *diag.List) *Program {
	p, err := m.Compile(src, k)
	if err == nil {
		return p
	}
	var re *Error
	if errors.As(err, &re) {
		*errs = append(*errs, &diag.Error{Path: path, Message: re.Message, ExprLine: re.Line, ExprColumn: re.Column, Err: err})
	} else {
		errs.Add(path, "%v", err)
	}
	return nil
}
