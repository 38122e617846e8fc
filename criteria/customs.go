package criteria

import (
	"strings"

	"github.com/safe-aeo/engine/diag"
)

// Customs' side. SAFE Annex IV sets obligations for Customs under several
// criteria as well as for the operator: take the compliance history into
// account (A), designate points of contact and procedures through which
// AEOs raise questions (D), establish the requirements of premises
// security (I), monitor and re-validate (M). A programme lists them as
// requirements with side: customs. They are not evaluated against an
// operator (they appear in no assessment); the phases tracker asks that the
// programme meet each before its structure is final, and the published
// programme states them as Customs' commitments.

// BindsCustoms reports whether r is one of Customs' own obligations
// (side: customs) rather than something an operator must show.
func (r Requirement) BindsCustoms() bool { return r.Side == SideCustoms }

// checkCustoms reports what is wrong with an obligation of Customs at
// path p: a rule, applicability, evidence or scoring, which only an
// operator's requirement has.
func checkCustoms(errs *diag.List, p string, r Requirement, crits map[string]int) {
	if _, ok := crits[r.Criterion]; !ok && r.Criterion != "" {
		errs.Add(diag.Join(p, "criterion"), "unknown criterion %q%s", r.Criterion, known(crits))
	}
	if r.Criterion == "" {
		errs.Add(p, "criterion is required: name the criterion this obligation belongs to")
	}
	if strings.TrimSpace(r.Title.String()) == "" {
		errs.Add(p, "title is required")
	}
	if strings.TrimSpace(r.Source) == "" {
		errs.Add(p, "source is required: name the SAFE item or the article of national law the obligation comes from")
	}
	operatorOnly := map[string]bool{
		"when": r.When != "", "partly": r.Partly != "", "applies_if": r.AppliesIf != "", "sme": r.SME != nil,
		"evidence": len(r.Evidence) > 0, "roles": len(r.Roles) > 0, "business_models": len(r.BusinessModels) > 0,
		"points": r.Points != 0, "weight": r.Weight != 0, "sites": len(r.Sites) > 0, "level": r.Level != "" && r.Level != Required,
	}
	for _, k := range []string{"when", "partly", "applies_if", "sme", "evidence", "roles", "business_models", "points", "weight", "sites", "level"} {
		if operatorOnly[k] {
			errs.Add(diag.Join(p, k), "%s binds Customs, not the operator: it has no %s; say under met_by what of the programme meets it", r.ID, k)
		}
	}
	for j, k := range r.MetBy {
		if strings.TrimSpace(k) == "" {
			errs.Add(diag.Index(diag.Join(p, "met_by"), j), "an empty key")
		}
	}
}
