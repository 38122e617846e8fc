package aeo

import (
	"slices"
	"strings"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/lifecycle"
)

// Evidence answers an equivalence's query (see criteria.EvidenceQuery):
// whether the operator holds a certification or a satisfactory audit of
// the kind asked, from an issuer accepted, valid on the assessment date
// (an audit: dated within the query's age), whose scope includes the
// query's; and, for a requirement that concerns sites, whether such
// certifications together cover every site of the operator the
// requirement concerns. It names what it found. An operator whose sites
// are not known, or that has no site the requirement concerns, cannot
// show coverage: the answer is no, and the requirement is decided by its
// own rule.
func (e *env) Evidence(q criteria.EvidenceQuery) (string, bool) {
	var concerned []string
	if len(q.Sites) > 0 {
		for _, s := range e.Sites {
			if q.Concerns(s.Kind) {
				concerned = append(concerned, s.ID)
			}
		}
		if len(concerned) == 0 {
			return "", false
		}
	}
	type held struct {
		id    string
		sites []string
	}
	var found []held
	match := func(kind, issuer string, scope []string) bool {
		if !strings.EqualFold(kind, q.Kind) || !q.Covers(scope) {
			return false
		}
		return len(q.Issuers) == 0 || containsFold(q.Issuers, issuer)
	}
	name := func(id, kind string) string {
		if id != "" {
			return id
		}
		return kind
	}
	if q.Evidence == criteria.EvidenceAudit {
		for _, a := range e.Audits {
			if a.Satisfactory && match(a.Kind, a.Issuer, a.Scope) && q.Within(a.Date, e.Date) {
				found = append(found, held{name(a.ID, a.Kind), a.Sites})
			}
		}
	} else {
		for _, c := range e.Certifications {
			if !match(c.Kind, c.Issuer, c.Scope) || !c.ValidOn(e.Date) || !q.Within(c.ValidFrom, e.Date) {
				continue
			}
			found = append(found, held{name(c.ID, c.Kind), c.Sites})
		}
	}
	if len(found) == 0 {
		return "", false
	}
	if len(concerned) == 0 {
		return found[0].id, true
	}
	var ids []string
	for _, site := range concerned {
		i := slices.IndexFunc(found, func(h held) bool { return slices.Contains(h.sites, site) })
		if i < 0 {
			return "", false
		}
		if !slices.Contains(ids, found[i].id) {
			ids = append(ids, found[i].id)
		}
	}
	return strings.Join(ids, ", "), true
}

// Classes returns the classes of operator a profile describes, as the
// lifecycle's relaxations of on-site verification name them
// (lifecycle.validation.relax[].classes): its roles, "sme" when it is a
// small or medium-sized enterprise, and "model_" followed by its
// e-commerce business model ("model_3", "model_4-3"). Pass them with the
// lodge event (lifecycle.Event.Classes).
func Classes(prof *Profile) []string {
	if prof == nil {
		return nil
	}
	out := slices.Clone(prof.Roles)
	if prof.SME != nil && *prof.SME {
		out = append(out, "sme")
	}
	if prof.BusinessModel != "" {
		out = append(out, "model_"+prof.BusinessModel)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Workload returns what weighs the operator of prof in a client
// coordinator's portfolio (lifecycle.coordinator.capacity): its employees
// and its declarations a year, from the profile, and the class of
// complexity the officer judges it to be in. Pass it with the assignment
// (lifecycle.Event.Workload); a count the profile lacks stays unknown,
// and a programme that weighs by it refuses the assignment.
func Workload(prof *Profile, complexity string) lifecycle.Workload {
	w := lifecycle.Workload{Complexity: complexity}
	if prof != nil {
		if prof.Employees != nil {
			n := *prof.Employees
			w.Employees = &n
		}
		if prof.DeclarationsPerYear != nil {
			n := *prof.DeclarationsPerYear
			w.Declarations = &n
		}
	}
	return w
}

// checkMethod reports the references of the lifecycle section to
// requirements the programme does not have: a relaxation of on-site
// verification for a requirement that is not there relaxes nothing.
func checkMethod(f File, errs *diag.List) {
	if f.Lifecycle == nil {
		return
	}
	ids := map[string]bool{}
	for _, r := range f.Requirements {
		ids[r.ID] = true
	}
	for i, r := range f.Lifecycle.Validation.Relax {
		for j, id := range r.Requirements {
			if !ids[id] {
				errs.Add(diag.Index(diag.Index("lifecycle.validation.relax", i)+".requirements", j), "unknown requirement %q", id)
			}
		}
	}
}
