package risk

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

var (
	idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]*$`)
)

// compiler collects the problems of one configuration while compiling its
// expressions.
type compiler struct {
	errs diag.List
}

func (c *compiler) compile(m *rules.Model, path, src string, k rules.Kind) *rules.Program {
	return m.CompileAt(path, src, k, &c.errs)
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
func (c *compiler) facts(fromOptions []criteria.FactDecl, fromConfig []criteria.FactDecl, path string) map[string]rules.FactType {
	out := map[string]rules.FactType{}
	rules.Declare(out, "", len(fromOptions), func(i int) (string, string) { return fromOptions[i].Name, fromOptions[i].Type }, &c.errs)
	rules.Declare(out, path, len(fromConfig), func(i int) (string, string) { return fromConfig[i].Name, fromConfig[i].Type }, &c.errs)
	return out
}

// newModel returns the expression model of env; extra are options of the
// caller's own (the lane environment is trusted, a host's is not).
func newModel(env any, facts map[string]rules.FactType, o *options, extra ...rules.ModelOption) (*rules.Model, error) {
	var funcs []rules.Func
	for _, f := range o.funcs {
		funcs = append(funcs, rules.Func{Name: f.Name, Doc: f.Doc, Fn: f.Fn, Types: f.Types, Env: f.Subject})
	}
	opts := []rules.ModelOption{rules.WithFacts(facts), rules.WithFuncs(funcs...),
		rules.WithMaxNodes(o.maxNodes), rules.WithMemoryBudget(o.memory), rules.WithLimits(rules.Limits{MaxSteps: o.steps})}
	m, err := rules.NewModel(env, append(opts, extra...)...)
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
