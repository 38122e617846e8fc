package risk

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

var (
	idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]*$`)
	factName  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// compiler collects the problems of one configuration while compiling its
// expressions.
type compiler struct {
	errs diag.List
}

func (c *compiler) compile(m *rules.Model, path, src string, k rules.Kind) *rules.Program {
	p, err := m.Compile(src, k)
	if err != nil {
		var re *rules.Error
		if errors.As(err, &re) {
			c.errs = append(c.errs, &diag.Error{Path: path, Message: re.Message, ExprLine: re.Line, ExprColumn: re.Column, Err: err})
		} else {
			c.errs.Add(path, "%v", err)
		}
		return nil
	}
	return p
}

func (c *compiler) checkID(path, id string) {
	if id == "" {
		c.errs.Add(path, "id is required")
		return
	}
	if !idPattern.MatchString(id) {
		c.errs.Add(diag.Join(path, "id"), "id %q may hold only letters, digits, '.', '_' and '-'", id)
	}
}

// facts checks fact declarations and returns them as the expression
// layer's types. decls come first from options (the host's), then from
// the configuration at path (which may be empty).
func (c *compiler) facts(fromOptions []FactDecl, fromConfig []FactDecl, path string) map[string]rules.FactType {
	out := map[string]rules.FactType{}
	check := func(p string, f FactDecl, fromOpt bool) {
		where := func(key string) string {
			if fromOpt {
				return "" // reported without a path: the host declared it
			}
			return diag.Join(p, key)
		}
		switch {
		case !factName.MatchString(f.Name):
			c.errs.Add(where("name"), "fact name %q must be lower case letters, digits and _, starting with a letter", f.Name)
			return
		}
		ft := rules.FactType(f.Type)
		ok := false
		for _, t := range rules.FactTypes() {
			ok = ok || t == ft
		}
		if !ok {
			c.errs.Add(where("type"), "fact %q: unknown type %q (want int, float, bool, string, date or strings)", f.Name, f.Type)
			return
		}
		if prev, dup := out[f.Name]; dup {
			if prev != ft {
				c.errs.Add(where("name"), "fact %q declared twice, as %s and as %s", f.Name, prev, ft)
			} else if !fromOpt {
				c.errs.Add(where("name"), "fact %q declared twice", f.Name)
			}
			return
		}
		out[f.Name] = ft
	}
	for _, f := range fromOptions {
		check("", f, true)
	}
	for i, f := range fromConfig {
		check(diag.Index(path, i), f, false)
	}
	return out
}

func newModel(env any, facts map[string]rules.FactType, o *options) (*rules.Model, error) {
	var funcs []rules.Func
	for _, f := range o.funcs {
		funcs = append(funcs, rules.Func{Name: f.Name, Doc: f.Doc, Fn: f.Fn, Types: f.Types, Env: f.Env})
	}
	m, err := rules.NewModel(env, rules.WithFacts(facts), rules.WithFuncs(funcs...),
		rules.WithMaxNodes(o.maxNodes), rules.WithMemoryBudget(o.memory))
	if err != nil {
		return nil, fmt.Errorf("risk: %w", err)
	}
	return m, nil
}

func known(m map[string]int) string {
	if len(m) == 0 || len(m) > 20 {
		return ""
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return " (known: " + strings.Join(ids, ", ") + ")"
}
