package aeo

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

// A Union is the union section of a programme file: the customs union
// whose joint AEO programme the programme is one member's view of. A
// status granted by any member holds in all; each member keeps the shared
// register (package exchange, basis union) from the records the others
// send; only the member competent for an operator grants, suspends or
// revokes its status, and a suspension or revocation takes effect
// union-wide from its date. The WCO AEO Implementation Guidance: a
// customs union with a joint AEO concept "will have to consider timely
// exchange of information". It is plain data, decoded from the programme
// file.
type Union struct {
	// Name is the union's name, e.g. "Example Customs Union".
	Name string `json:"name"`
	// Programme is the union's AEO programme, by the name its statuses
	// are exchanged under.
	Programme string `json:"programme"`
	// Member is the ID of the member whose programme this is; default
	// the programme's country, so that the members' programmes can
	// extend one file that holds the union's section.
	Member string `json:"member,omitempty"`
	// Members are the members of the union, this one included.
	Members []UnionMember `json:"members"`
	// Competence are the rules that say which member is competent for an
	// applicant, in order: each a fall-back of the one before. A rule
	// that cannot be decided for the applicant, or names no member, gives
	// way to the next; one that names two members refuses, as does the
	// end of the list.
	Competence []CompetenceRule `json:"competence"`
	Source     string           `json:"source,omitempty"`
	Unverified bool             `json:"unverified,omitempty"`
	Note       string           `json:"note,omitempty"`
}

// A UnionMember is one member of a customs union.
type UnionMember struct {
	// ID is the member's code, as its exchange records name it.
	ID      string `json:"id"`
	Name    string `json:"name,omitempty"`
	Country string `json:"country,omitempty"`
}

// A CompetenceRule says which member is competent for an applicant (EU:
// where its main accounts for customs purposes are held or accessible,
// and at least part of its activities carried out; UCC Art 22(1)). It
// names the member with Member, when its condition holds, or computes it
// with MemberFrom, an expression over the applicant's profile that gives a
// member's ID or a list of IDs (facts.main_accounts).
type CompetenceRule struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// When, if given, is the condition under which the rule applies.
	When string `json:"when,omitempty"`
	// Member is the member competent when the rule applies; MemberFrom
	// computes it. Give one of the two.
	Member     string `json:"member,omitempty"`
	MemberFrom string `json:"member_from,omitempty"`
	Source     string `json:"source"`
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// union is a compiled union section.
type union struct {
	cfg   Union
	ids   []string
	rules []competenceRule
}

type competenceRule struct {
	*CompetenceRule
	when, from *criteria.Expression
}

// compileUnion checks the union section and compiles its competence rules
// over the profile.
func compileUnion(u *Union, country string, set *criteria.Set, errs *diag.List) *union {
	if u == nil {
		return nil
	}
	out := &union{cfg: *u}
	out.cfg.Competence = slices.Clone(u.Competence)
	if out.cfg.Member == "" {
		out.cfg.Member = country
	}
	if strings.TrimSpace(u.Name) == "" {
		errs.Add("union.name", "the union needs a name")
	}
	if strings.TrimSpace(u.Programme) == "" {
		errs.Add("union.programme", "name the union's AEO programme, as its statuses are exchanged under")
	}
	if len(u.Members) < 2 {
		errs.Add("union.members", "a union has at least two members")
	}
	for i, m := range u.Members {
		p := diag.Index("union.members", i)
		switch {
		case !token(m.ID):
			errs.Add(diag.Join(p, "id"), "a member's ID is a code of letters, digits, '-' and '_', such as XA")
		case slices.Contains(out.ids, m.ID):
			errs.Add(diag.Join(p, "id"), "member %s listed twice", m.ID)
		}
		out.ids = append(out.ids, m.ID)
	}
	switch {
	case out.cfg.Member == "":
		errs.Add("union.member", "name the member whose programme this is (or set programme.country)")
	case !slices.Contains(out.ids, out.cfg.Member):
		errs.Add("union.member", "member %q is not among the union's members (%s)", out.cfg.Member, strings.Join(out.ids, ", "))
	}
	if len(u.Competence) == 0 {
		errs.Add("union.competence", "list the rules that say which member is competent for an applicant")
	}
	ids := map[string]bool{}
	for i := range u.Competence {
		r := &out.cfg.Competence[i]
		p := diag.Index("union.competence", i)
		switch {
		case !token(r.ID):
			errs.Add(diag.Join(p, "id"), "a rule's ID is a token of letters, digits, '.', '-' and '_'")
		case ids[r.ID]:
			errs.Add(diag.Join(p, "id"), "rule %q defined twice", r.ID)
		}
		ids[r.ID] = true
		if strings.TrimSpace(r.Source) == "" {
			errs.Add(diag.Join(p, "source"), "a competence rule cites its legal source")
		}
		cr := competenceRule{CompetenceRule: r}
		switch {
		case r.Member == "" && r.MemberFrom == "":
			errs.Add(p, "give member (the member competent when the rule applies) or member_from (an expression that gives its ID)")
		case r.Member != "" && r.MemberFrom != "":
			errs.Add(p, "give member or member_from, not both")
		case r.Member != "" && !slices.Contains(out.ids, r.Member):
			errs.Add(diag.Join(p, "member"), "%q matches no member of the union (%s)", r.Member, strings.Join(out.ids, ", "))
		case r.Member != "" && r.When == "" && i < len(u.Competence)-1:
			errs.Add(diag.Join(p, "when"), "a rule that names a member with no condition always applies: the rules after it are never reached")
		}
		if set != nil {
			cr.when = compileExpr(set, diag.Join(p, "when"), r.When, errs)
			cr.from = compileExpr(set, diag.Join(p, "member_from"), r.MemberFrom, errs)
		}
		out.rules = append(out.rules, cr)
	}
	return out
}

// compileExpr compiles src over the profile, placing a problem at path.
func compileExpr(set *criteria.Set, path, src string, errs *diag.List) *criteria.Expression {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	x, err := set.Expression(src)
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			for _, e := range list {
				c := *e
				c.Path = path
				*errs = append(*errs, &c)
			}
		} else {
			errs.Add(path, "%v", err)
		}
		return nil
	}
	return x
}

func token(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// A MemberCompetence is which member of a customs union is competent for
// an applicant, and how the rules decided it.
type MemberCompetence struct {
	// Member is the competent member; Rule the rule that decided.
	Member string `json:"member"`
	Rule   string `json:"rule"`
	// Steps say what each rule tried gave, in order.
	Steps []CompetenceStep `json:"steps"`
}

// A CompetenceStep is what one competence rule gave for an applicant.
type CompetenceStep struct {
	Rule   string `json:"rule"`
	Result string `json:"result"`
}

// ErrCompetence is wrapped by a [*CompetenceError].
var ErrCompetence = errors.New("aeo: no competent member")

// A CompetenceError reports an applicant for whom the union's rules name
// no competent member, or name two. It wraps [ErrCompetence].
type CompetenceError struct {
	// Members are the members a rule named together, for two or more;
	// empty when no rule named one.
	Members []string
	Rule    string
	Steps   []CompetenceStep
}

func (e *CompetenceError) Error() string {
	var b strings.Builder
	if len(e.Members) > 1 {
		fmt.Fprintf(&b, "aeo: competence rule %s matches %d members (%s): the union's rules must name one", e.Rule, len(e.Members), strings.Join(e.Members, ", "))
	} else {
		b.WriteString("aeo: no competence rule matches a member of the union")
	}
	for _, s := range e.Steps {
		fmt.Fprintf(&b, "; %s: %s", s.Rule, s.Result)
	}
	return b.String()
}

// Unwrap returns ErrCompetence.
func (e *CompetenceError) Unwrap() error { return ErrCompetence }

// Union returns the programme's union section, or nil when the programme
// belongs to no union. It shares memory with p: treat it as read-only.
func (p *Programme) Union() *Union {
	if p.union == nil {
		return nil
	}
	return &p.union.cfg
}

// Competent says which member of the programme's customs union is
// competent for the applicant prof as of asOf, by the union's competence
// rules in order. It returns a [*CompetenceError] when no rule names a
// member or a rule names two, an error for a programme without a union
// section, an invalid profile, or a done ctx.
func (p *Programme) Competent(ctx context.Context, prof *Profile, asOf time.Time) (MemberCompetence, error) {
	if p.union == nil {
		return MemberCompetence{}, errors.New("aeo: the programme belongs to no customs union")
	}
	if prof == nil {
		return MemberCompetence{}, errors.New("aeo: Competent needs a profile")
	}
	facts, err := p.convertFacts(prof)
	if err != nil {
		return MemberCompetence{}, err
	}
	e := &env{Profile: prof, Date: asOf, facts: facts}
	var steps []CompetenceStep
	step := func(rule, format string, args ...any) {
		steps = append(steps, CompetenceStep{Rule: rule, Result: fmt.Sprintf(format, args...)})
	}
	for _, r := range p.union.rules {
		if r.when != nil {
			ev, err := r.when.Eval(ctx, e)
			if err != nil {
				return MemberCompetence{}, err
			}
			switch {
			case !ev.Decided:
				step(r.ID, "cannot be decided%s", missingText(ev.Missing, ev.Err))
				continue
			case ev.Value != true:
				step(r.ID, "does not apply")
				continue
			}
		}
		if r.Member != "" {
			step(r.ID, "names %s", r.Member)
			return MemberCompetence{Member: r.Member, Rule: r.ID, Steps: steps}, nil
		}
		ev, err := r.from.Eval(ctx, e)
		if err != nil {
			return MemberCompetence{}, err
		}
		if !ev.Decided {
			step(r.ID, "cannot be decided%s", missingText(ev.Missing, ev.Err))
			continue
		}
		named, ok := memberIDs(ev.Value)
		if !ok {
			step(r.ID, "gives %s, not a member's ID", TypeOf(ev.Value))
			continue
		}
		var members, others []string
		for _, id := range named {
			switch {
			case slices.Contains(p.union.ids, id):
				if !slices.Contains(members, id) {
					members = append(members, id)
				}
			case id != "":
				others = append(others, id)
			}
		}
		switch len(members) {
		case 0:
			if len(others) > 0 {
				step(r.ID, "names %s, not a member of the union", strings.Join(others, ", "))
			} else {
				step(r.ID, "names no member")
			}
			continue
		case 1:
			step(r.ID, "names %s", members[0])
			return MemberCompetence{Member: members[0], Rule: r.ID, Steps: steps}, nil
		}
		step(r.ID, "names %s", strings.Join(members, ", "))
		return MemberCompetence{}, &CompetenceError{Members: members, Rule: r.ID, Steps: steps}
	}
	return MemberCompetence{}, &CompetenceError{Steps: steps}
}

func missingText(missing []string, err error) string {
	switch {
	case len(missing) > 0:
		return ": " + strings.Join(missing, ", ") + " not known"
	case err != nil:
		return ": " + err.Error()
	}
	return ""
}

// memberIDs reads a member's ID, or a list of them, from a value.
func memberIDs(v any) ([]string, bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []string:
		return x, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil, false
	}
	out := make([]string, 0, rv.Len())
	for i := range rv.Len() {
		s, ok := rv.Index(i).Interface().(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}
