package lifecycle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/safe-aeo/engine/diag"
)

// Physical verification. The guidance is plain: "Customs should always
// verify physically (this means at company premises, not only
// paper-based evaluation) whether the self assessment the trader provided
// is accurate" (WCO AEO Implementation Guidance, lessons learned). So by
// default only a visit counts: an on-site visit by Customs, a joint visit
// with a partner administration, or the report of a designated
// third-party validator Customs accepts. Two things must then hold before
// a grant or a confirmation:
//
//   - the sample of sites (validation.sample_minimum and sample_percent)
//     is found satisfactory by visits, with no site found wanting;
//   - every requirement the assessment marks to be verified on site
//     ([AssessmentRef].VerifyOnSite) was verified by a visit: a report
//     that lists no requirements verified everything examined; one that
//     lists some verified those.
//
// A programme may let a document review or a remote session count, for
// some classes of operator (the classes the host names when the
// application is lodged: its roles, "sme", its business model) or for
// some requirements, in validation.relax, each relaxation with the legal
// source that allows it. Nothing else relaxes it.

// An OnSiteRelaxation lets a method other than a visit count towards
// validation. Classes and Requirements narrow it: with neither, it
// applies to every operator and every requirement; with Classes, to
// operators of one of those classes; with Requirements, to those
// requirements only (the sample of sites still needs visits).
type OnSiteRelaxation struct {
	// Classes are classes of operator, as the host names them when the
	// application is lodged (Event.Classes): a role (vendor,
	// postal_operator), "sme", a business model ("3").
	Classes []string `json:"classes,omitempty"`
	// Requirements are the IDs of the requirements whose verification
	// these methods may give.
	Requirements []string `json:"requirements,omitempty"`
	// Methods are the methods that count: document_review, remote.
	Methods []ValidationMethod `json:"methods"`
	// Source is the legal source that allows the relaxation (the WCO
	// note on AEO for e-commerce allows online validation of operators
	// abroad, section VIII). It is required.
	Source string `json:"source"`
	Note   string `json:"note,omitempty"`
}

// JointRules accept validations by a joint team of Customs and a partner
// administration (WCO AEO Implementation Guidance, Annex 4: the client
// coordinator's yearly audit plan for MultiCom "includes the joint audits
// with the Customs administration of country Y"). The zero value accepts
// none.
type JointRules struct {
	// Partners are the partner administrations Customs validates jointly
	// with; a joint validation with any other is refused.
	Partners []string `json:"partners,omitempty"`
}

// A JointValidation is the partner administration's side of a joint
// validation: who took part and what they found. Customs' own findings
// are the event's Reasons, and its conclusion the report's Satisfied; a
// site counts as satisfactory only when both sides found it so.
type JointValidation struct {
	// Partner is the partner administration, one of
	// validation.joint.partners.
	Partner string `json:"partner"`
	// Team names the partner's officers in the joint team.
	Team []string `json:"team"`
	// Satisfied: the partner found every condition examined met.
	Satisfied bool `json:"satisfied,omitempty"`
	// Findings are the partner's findings, in writing.
	Findings []string `json:"findings"`
}

// A RequirementCheck records that a satisfactory validation report
// verified a requirement (Requirement "" for every requirement the report
// examined) by Method.
type RequirementCheck struct {
	Requirement string           `json:"requirement,omitempty"`
	Method      ValidationMethod `json:"method"`
}

func (v ValidationRules) onSite() bool { return v.RequireOnSite == nil || *v.RequireOnSite }

func (v ValidationRules) clone() ValidationRules {
	out := v
	if v.RequireOnSite != nil {
		b := *v.RequireOnSite
		out.RequireOnSite = &b
	}
	out.Validators = slices.Clone(v.Validators)
	out.Relax = make([]OnSiteRelaxation, len(v.Relax))
	for i, r := range v.Relax {
		r.Classes = slices.Clone(r.Classes)
		r.Requirements = slices.Clone(r.Requirements)
		r.Methods = slices.Clone(r.Methods)
		out.Relax[i] = r
	}
	if len(v.Relax) == 0 {
		out.Relax = nil
	}
	out.Joint.Partners = slices.Clone(v.Joint.Partners)
	return out
}

// fields reports the rules of v that are not periods, in programme-file
// order (see Config.fields).
func (v ValidationRules) fields(value func(key, v string)) {
	for i, r := range v.Relax {
		key := diag.Index("validation.relax", i)
		names := make([]string, len(r.Methods))
		for j, m := range r.Methods {
			names[j] = m.String()
		}
		what := strings.Join(names, ", ")
		if len(r.Classes) > 0 {
			what += " for " + strings.Join(r.Classes, ", ")
		}
		if len(r.Requirements) > 0 {
			what += " on " + strings.Join(r.Requirements, ", ")
		}
		value(key, what)
	}
	for i, p := range v.Joint.Partners {
		value(diag.Index("validation.joint.partners", i), p)
	}
}

func (v ValidationRules) validate(l *diag.List) {
	if v.RequireOnSite != nil && !*v.RequireOnSite {
		l.Add("validation.require_on_site", "on-site verification cannot be switched off (\"Customs should always verify physically\", WCO AEO Implementation Guidance); "+
			"to let a document review or a remote session count, list it under validation.relax with the operators or requirements it serves and its source")
	}
	for i, r := range v.Relax {
		key := diag.Index("validation.relax", i)
		if strings.TrimSpace(r.Source) == "" {
			l.Add(key+".source", "a relaxation of on-site verification needs the legal source that allows it")
		}
		if len(r.Methods) == 0 {
			l.Add(key+".methods", "name the methods that count instead of a visit: document_review, remote")
		}
		for j, m := range r.Methods {
			if m != ValidationDocumentReview && m != ValidationRemote {
				l.Add(diag.Index(key+".methods", j), "%s is not a relaxation: want document_review or remote (a visit or a third-party report always counts)", m)
			}
		}
		noBlankOrRepeat(l, key+".classes", r.Classes)
		noBlankOrRepeat(l, key+".requirements", r.Requirements)
	}
	noBlankOrRepeat(l, "validation.joint.partners", v.Joint.Partners)
}

// noBlankOrRepeat reports empty or repeated names in a list of the
// programme file.
func noBlankOrRepeat(l *diag.List, key string, list []string) {
	seen := map[string]bool{}
	for i, s := range list {
		switch {
		case strings.TrimSpace(s) == "":
			l.Add(diag.Index(key, i), "an empty name")
		case seen[s]:
			l.Add(diag.Index(key, i), "%q listed twice", s)
		}
		seen[s] = true
	}
}

// counts reports whether a satisfactory report by method m counts for an
// operator of the given classes: towards the sample of sites when req is
// "", towards the verification of requirement req otherwise.
func (v ValidationRules) counts(m ValidationMethod, classes []string, req string) bool {
	if m.visit() || !v.onSite() {
		return true
	}
	for _, r := range v.Relax {
		if !slices.Contains(r.Methods, m) {
			continue
		}
		if len(r.Classes) > 0 && !slices.ContainsFunc(r.Classes, func(c string) bool { return slices.Contains(classes, c) }) {
			continue
		}
		if len(r.Requirements) > 0 && (req == "" || !slices.Contains(r.Requirements, req)) {
			continue
		}
		return true
	}
	return false
}

// checkJoint checks the partner's side of a joint validation.
func (s *step) checkJoint() error {
	j := s.ev.Validation.Joint
	if j == nil {
		return nil
	}
	switch {
	case strings.TrimSpace(j.Partner) == "":
		return s.fail("event.validation", ErrInvalidEvent, "a joint validation names the partner administration")
	case !slices.Contains(s.l.cfg.Validation.Joint.Partners, j.Partner):
		if len(s.l.cfg.Validation.Joint.Partners) == 0 {
			return s.fail("validation.joint", ErrNotPermitted, "the programme accepts no joint validation")
		}
		return s.fail("validation.joint.partners", ErrNotPermitted, "%s is not a partner administration the programme validates jointly with", j.Partner)
	case s.ev.Validation.Method == ValidationThirdParty:
		return s.fail("event.validation", ErrInvalidEvent, "a joint validation is Customs' own, not a third-party report")
	case !hasText(j.Team):
		return s.fail("event.validation", ErrInvalidEvent, "name the partner's officers in the joint team")
	case !hasText(j.Findings):
		return s.fail("event.validation", ErrInvalidEvent, "record the partner's findings")
	case !hasText(s.ev.Reasons):
		return s.fail("reasons", ErrNoReasons, "record Customs' own findings of the joint validation as its reasons")
	}
	for _, list := range [][]string{j.Team, j.Findings} {
		if slices.ContainsFunc(list, func(x string) bool { return strings.TrimSpace(x) == "" }) {
			return s.fail("event.validation", ErrInvalidEvent, "an empty entry in the joint team or the partner's findings")
		}
	}
	return nil
}

func hasText(list []string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.TrimSpace(x) != "" })
}

// recordChecks records the requirements a satisfactory report verified.
func (s *step) recordChecks(v *ValidationState, r *ValidationReport, satisfied bool) {
	if !satisfied {
		return
	}
	add := func(req string) {
		c := RequirementCheck{Requirement: req, Method: r.Method}
		if !slices.Contains(v.Checks, c) {
			v.Checks = append(v.Checks, c)
		}
	}
	if len(r.Requirements) == 0 {
		add("")
	}
	for _, req := range r.Requirements {
		add(req)
	}
	slices.SortFunc(v.Checks, func(x, y RequirementCheck) int {
		if c := strings.Compare(x.Requirement, y.Requirement); c != 0 {
			return c
		}
		return int(x.Method) - int(y.Method)
	})
}

// unverified returns the requirements of reqs that no satisfactory report
// verified by a method that counts for them.
func (l *Machine) unverified(a Authorization, reqs []string) []string {
	var out []string
	for _, req := range reqs {
		ok := slices.ContainsFunc(a.Validation.Checks, func(c RequirementCheck) bool {
			return (c.Requirement == "" || c.Requirement == req) && l.cfg.Validation.counts(c.Method, a.Classes, req)
		})
		if !ok {
			out = append(out, req)
		}
	}
	return out
}

// checkRequirementsVerified refuses a grant or a confirmation while a
// requirement the assessment marks for on-site verification was not
// verified.
func (s *step) checkRequirementsVerified() error {
	ref := s.ev.Assessment
	if ref == nil {
		return nil
	}
	if missing := s.l.unverified(s.from, ref.VerifyOnSite); len(missing) > 0 {
		return s.fail("validation-complete", ErrNotValidated,
			"not verified on site: %s (a visit's report verifies the requirements it lists, or all it examined when it lists none)", strings.Join(missing, ", "))
	}
	return nil
}

// methodsFor describes what counts for the operator, for messages.
func (l *Machine) methodsFor(classes []string) string {
	if !l.cfg.Validation.onSite() {
		return "any method"
	}
	var extra []string
	for _, m := range []ValidationMethod{ValidationDocumentReview, ValidationRemote} {
		if l.cfg.Validation.counts(m, classes, "") {
			extra = append(extra, m.String())
		}
	}
	if len(extra) == 0 {
		return "visits"
	}
	return fmt.Sprintf("visits or %s", strings.Join(extra, ", "))
}
