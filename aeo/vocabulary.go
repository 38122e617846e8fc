package aeo

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/internal/rules"
)

// A Vocabulary closes the values of the profile's enumerated fields: the
// roles an operator may act in, the e-commerce business models, the
// severities and kinds of infringements, the kinds of certifications,
// sites and incidents, the answers of a self-assessment, the countries,
// and the kinds of evidence a requirement may call for. A value outside
// the vocabulary is an error wherever it is written, in a profile, a
// fixture or a programme (a requirement's roles, a rule comparing
// .severity == "serius"), rather than a value that silently matches
// nothing and turns a requirement not applicable or met.
//
// The built-in baseline declares the SAFE and e-commerce sets with their
// sources, and every programme has them, whether or not it extends the
// baseline; a programme adds values of its own in its vocabulary section,
// each group with its source:
//
//	vocabulary:
//	  roles:
//	    - values: [bonded_transporter]
//	      source: Korea AEO Notice Art 3
type Vocabulary struct {
	// Roles are the roles an operator acts in (Profile.Roles, a
	// requirement's or benefit's roles, a trading partner's role).
	Roles []Terms `json:"roles,omitempty"`
	// BusinessModels are the e-commerce business models
	// (Profile.BusinessModel, a requirement's or benefit's
	// business_models).
	BusinessModels []Terms `json:"business_models,omitempty"`
	// Severities are the severities of an infringement.
	Severities []Terms `json:"severities,omitempty"`
	// InfringementKinds are the kinds of an infringement.
	InfringementKinds []Terms `json:"infringement_kinds,omitempty"`
	// Persons are whom an infringement is recorded against: the applicant
	// or one of its designated persons.
	Persons []Terms `json:"persons,omitempty"`
	// Certifications are the kinds of certification an operator may hold
	// (Certification.Kind, an equivalence's certification, has_cert).
	Certifications []Terms `json:"certifications,omitempty"`
	// AuditKinds are the kinds of audit an operator underwent whose
	// report an equivalence may take into account (Audit.Kind, the
	// certification of an equivalence with evidence: audit).
	AuditKinds []Terms `json:"audit_kinds,omitempty"`
	// SiteKinds are the kinds of premises.
	SiteKinds []Terms `json:"site_kinds,omitempty"`
	// IncidentKinds are the kinds of security incident.
	IncidentKinds []Terms `json:"incident_kinds,omitempty"`
	// PartnerRoles are the roles a trading partner may have besides the
	// roles above (supplier, customer, ...).
	PartnerRoles []Terms `json:"partner_roles,omitempty"`
	// Answers are the answers of a self-assessment
	// (Profile.SelfAssessment's values).
	Answers []Terms `json:"answers,omitempty"`
	// Countries are the country codes of the operator, its sites and its
	// partners.
	Countries []Terms `json:"countries,omitempty"`
	// Evidence are the kinds of evidence a requirement may call for;
	// on_site marks a requirement still to be verified on site.
	Evidence []Terms `json:"evidence,omitempty"`
}

// Terms are values of one vocabulary set with the source that defines
// them.
type Terms struct {
	Values []string `json:"values"`
	// Source is where the values are defined: the SAFE text, a WCO note,
	// a standard, an article of national law. It is required.
	Source string `json:"source"`
	// Unverified marks values whose source could not be checked (the
	// reference's [R]); Note says what is uncertain.
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// vocabSet describes one set of the vocabulary section.
type vocabSet struct {
	key   string // the key in the vocabulary section
	noun  string // what one value is, for messages
	terms func(*Vocabulary) *[]Terms
}

// vocabSets lists the sets in the order of the Vocabulary's fields.
var vocabSets = []vocabSet{
	{"roles", "role", func(v *Vocabulary) *[]Terms { return &v.Roles }},
	{"business_models", "business model", func(v *Vocabulary) *[]Terms { return &v.BusinessModels }},
	{"severities", "severity", func(v *Vocabulary) *[]Terms { return &v.Severities }},
	{"infringement_kinds", "kind of infringement", func(v *Vocabulary) *[]Terms { return &v.InfringementKinds }},
	{"persons", "person", func(v *Vocabulary) *[]Terms { return &v.Persons }},
	{"certifications", "certification", func(v *Vocabulary) *[]Terms { return &v.Certifications }},
	{"audit_kinds", "kind of audit", func(v *Vocabulary) *[]Terms { return &v.AuditKinds }},
	{"site_kinds", "kind of site", func(v *Vocabulary) *[]Terms { return &v.SiteKinds }},
	{"incident_kinds", "kind of incident", func(v *Vocabulary) *[]Terms { return &v.IncidentKinds }},
	{"partner_roles", "partner role", func(v *Vocabulary) *[]Terms { return &v.PartnerRoles }},
	{"answers", "self-assessment answer", func(v *Vocabulary) *[]Terms { return &v.Answers }},
	{"countries", "country code", func(v *Vocabulary) *[]Terms { return &v.Countries }},
	{"evidence", "kind of evidence", func(v *Vocabulary) *[]Terms { return &v.Evidence }},
}

// A field the vocabulary closes: where its values are written and the
// set (or sets: a partner's role is a role or a partner role) they come
// from. Field is the dotted name rules read it by, which is also its key
// in a profile file; Schema names it for the JSON Schema as
// package.Type.key.
type closedField struct {
	field  string
	schema string
	sets   []string
	// optional reports that the field may be left empty (not given).
	optional bool
}

// closedFields are the profile's enumerated fields, and those of a
// programme that take the same values.
var closedFields = []closedField{
	{"roles", "aeo.Profile.roles", []string{"roles"}, false},
	{"business_model", "aeo.Profile.business_model", []string{"business_models"}, true},
	{"country", "aeo.Profile.country", []string{"countries"}, true},
	{"compliance.infringements.severity", "aeo.Infringement.severity", []string{"severities"}, false},
	{"compliance.infringements.kind", "aeo.Infringement.kind", []string{"infringement_kinds"}, true},
	{"compliance.infringements.person", "aeo.Infringement.person", []string{"persons"}, true},
	{"certifications.kind", "aeo.Certification.kind", []string{"certifications"}, false},
	{"audits.kind", "aeo.Audit.kind", []string{"audit_kinds"}, false},
	{"sites.kind", "aeo.Site.kind", []string{"site_kinds"}, true},
	{"sites.country", "aeo.Site.country", []string{"countries"}, true},
	{"partners.role", "aeo.TradingPartner.role", []string{"roles", "partner_roles"}, true},
	{"partners.country", "aeo.TradingPartner.country", []string{"countries"}, true},
	{"incidents.kind", "aeo.Incident.kind", []string{"incident_kinds"}, false},
	{"self_assessment", "aeo.Profile.self_assessment", []string{"answers"}, false},
	{"", "criteria.Requirement.roles", []string{"roles"}, false},
	{"", "criteria.Requirement.business_models", []string{"business_models"}, false},
	{"", "criteria.Requirement.evidence", []string{"evidence"}, false},
	{"", "criteria.Equivalence.certification", []string{"certifications", "audit_kinds"}, false},
	{"", "benefits.Benefit.roles", []string{"roles"}, false},
	{"", "benefits.Benefit.business_models", []string{"business_models"}, false},
}

// certFuncs are the functions whose first argument is a kind of
// certification.
var certFuncs = []string{"has_cert", "has_cert_from"}

// closedSet is one compiled set, or the union of several.
type closedSet struct {
	noun   string
	values []string // in declaration order
	index  map[string]bool
}

func (s *closedSet) has(v string) bool { return s.index[v] }

// unknown describes a value outside s: what it is not, and the value
// nearest to it.
func (s *closedSet) unknown(v string) string {
	if strings.TrimSpace(v) == "" {
		return "empty " + s.noun
	}
	return fmt.Sprintf("unknown %s %q%s", s.noun, v, decode.Suggest(v, s.values, true))
}

// vocabulary is a compiled Vocabulary. It is immutable.
type vocabulary struct {
	sets   map[string]*closedSet // by key, and by "a+b" for unions
	fields map[string]*closedSet // by closedField.field
}

func (v *vocabulary) set(keys ...string) *closedSet {
	if len(keys) == 1 {
		return v.sets[keys[0]]
	}
	return v.sets[strings.Join(keys, "+")]
}

// compileVocabulary builds the sets of voc and reports, at paths under
// "vocabulary", groups without values or source, empty values, and a
// value declared twice in one file (same reports whether two groups come
// from the same file; a value the baseline or an extended programme
// declares already may be declared again).
func compileVocabulary(voc Vocabulary, same func(set string, i, j int) bool, errs *diag.List) *vocabulary {
	out := &vocabulary{sets: map[string]*closedSet{}, fields: map[string]*closedSet{}}
	for _, vs := range vocabSets {
		s := &closedSet{noun: vs.noun, index: map[string]bool{}}
		first := map[string]int{}
		for i, t := range *vs.terms(&voc) {
			p := diag.Index(diag.Join("vocabulary", vs.key), i)
			if strings.TrimSpace(t.Source) == "" {
				errs.Add(p, "source is required: name the text that defines these values")
			}
			if len(t.Values) == 0 {
				errs.Add(p, "values is required: the %ss this group adds", vs.noun)
			}
			for j, val := range t.Values {
				vp := diag.Index(diag.Join(p, "values"), j)
				switch {
				case strings.TrimSpace(val) == "":
					errs.Add(vp, "empty %s", vs.noun)
					continue
				case val != strings.TrimSpace(val):
					errs.Add(vp, "%s %q has spaces around it", vs.noun, val)
				}
				if k, dup := first[val]; dup {
					if same(vs.key, k, i) {
						errs.Add(vp, "%s %q declared twice", vs.noun, val)
					}
					continue
				}
				first[val] = i
				s.index[val] = true
				s.values = append(s.values, val)
			}
		}
		out.sets[vs.key] = s
	}
	for _, cf := range closedFields {
		key := strings.Join(cf.sets, "+")
		s, ok := out.sets[key]
		if !ok {
			s = &closedSet{noun: out.sets[cf.sets[0]].noun, index: map[string]bool{}}
			for _, k := range cf.sets {
				for _, val := range out.sets[k].values {
					if !s.index[val] {
						s.index[val] = true
						s.values = append(s.values, val)
					}
				}
			}
			out.sets[key] = s
		}
		if cf.field != "" {
			out.fields[cf.field] = s
		}
	}
	return out
}

// checkValue reports val at path when it is outside s; an empty val is
// reported only when required.
func checkValue(errs *diag.List, s *closedSet, path, val string, required bool) {
	if !s.accepts(val, required) {
		errs.Add(path, "%s", s.unknown(val))
	}
}

// accepts reports whether val may be written where s closes the values:
// one of them, or empty where the value is optional.
func (s *closedSet) accepts(val string, required bool) bool {
	return val == "" && !required || s.index[val]
}

// checkProfile reports every value of prof outside the vocabulary, and
// the members of a list that lack the value that gives them meaning (an
// infringement's date and severity, a certification's kind, an
// incident's date and kind), at paths in the profile's keys. It runs on
// every assessment, so a profile without problems costs no allocation:
// paths are written only for the values at fault.
func (v *vocabulary) checkProfile(prof *Profile) diag.List {
	var errs diag.List
	roles, models, countries := v.set("roles"), v.set("business_models"), v.set("countries")
	for i, r := range prof.Roles {
		if !roles.accepts(r, true) {
			errs.Add(diag.Index("roles", i), "%s", roles.unknown(r))
		}
	}
	checkValue(&errs, models, "business_model", prof.BusinessModel, false)
	checkValue(&errs, countries, "country", prof.Country, false)
	if c := prof.Compliance; c != nil {
		sev, kinds, persons := v.set("severities"), v.set("infringement_kinds"), v.set("persons")
		for i, in := range c.Infringements {
			if !in.Date.IsZero() && sev.accepts(in.Severity, true) && kinds.accepts(in.Kind, false) && persons.accepts(in.Person, false) {
				continue
			}
			p := diag.Index("compliance.infringements", i)
			if in.Date.IsZero() {
				errs.Add(p, "date is required: an infringement without a date cannot be placed in the period examined")
			}
			checkValue(&errs, sev, diag.Join(p, "severity"), in.Severity, true)
			checkValue(&errs, kinds, diag.Join(p, "kind"), in.Kind, false)
			checkValue(&errs, persons, diag.Join(p, "person"), in.Person, false)
		}
	}
	certs := v.set("certifications")
	for i, c := range prof.Certifications {
		if !certs.accepts(c.Kind, true) {
			errs.Add(diag.Join(diag.Index("certifications", i), "kind"), "%s", certs.unknown(c.Kind))
		}
	}
	audits := v.set("audit_kinds")
	for i, a := range prof.Audits {
		if !audits.accepts(a.Kind, true) {
			errs.Add(diag.Join(diag.Index("audits", i), "kind"), "%s", audits.unknown(a.Kind))
		}
	}
	sites := v.set("site_kinds")
	for i, st := range prof.Sites {
		if sites.accepts(st.Kind, false) && countries.accepts(st.Country, false) {
			continue
		}
		p := diag.Index("sites", i)
		checkValue(&errs, sites, diag.Join(p, "kind"), st.Kind, false)
		checkValue(&errs, countries, diag.Join(p, "country"), st.Country, false)
	}
	partners := v.sets["roles+partner_roles"]
	for i, tp := range prof.Partners {
		if partners.accepts(tp.Role, false) && countries.accepts(tp.Country, false) {
			continue
		}
		p := diag.Index("partners", i)
		checkValue(&errs, partners, diag.Join(p, "role"), tp.Role, false)
		checkValue(&errs, countries, diag.Join(p, "country"), tp.Country, false)
	}
	incidents := v.set("incident_kinds")
	for i, in := range prof.Incidents {
		if !in.Date.IsZero() && incidents.accepts(in.Kind, true) {
			continue
		}
		p := diag.Index("incidents", i)
		if in.Date.IsZero() {
			errs.Add(p, "date is required: an incident without a date cannot be placed in the period examined")
		}
		checkValue(&errs, incidents, diag.Join(p, "kind"), in.Kind, true)
	}
	answers := v.set("answers")
	var bad []string
	for k, a := range prof.SelfAssessment {
		if !answers.accepts(a, true) {
			bad = append(bad, k)
		}
	}
	slices.Sort(bad)
	for _, k := range bad {
		errs.Add(decode.Key("self_assessment", k), "%s", answers.unknown(prof.SelfAssessment[k]))
	}
	return errs
}

// checkProgramme reports every value of f outside the vocabulary: the
// roles and business models of requirements and benefits, the
// certifications of equivalences, and the string literals rules compare
// with a closed field or pass to has_cert. Evidence is checked by
// criteria.Compile, which is given the vocabulary's kinds.
func (v *vocabulary) checkProgramme(f *File, errs *diag.List) {
	for i, r := range f.Requirements {
		p := diag.Index("requirements", i)
		for j, role := range r.Roles {
			checkValue(errs, v.set("roles"), diag.Index(diag.Join(p, "roles"), j), role, true)
		}
		for j, m := range r.BusinessModels {
			checkValue(errs, v.set("business_models"), diag.Index(diag.Join(p, "business_models"), j), m, true)
		}
		v.checkRule(errs, diag.Join(p, "when"), r.When, &env{})
		v.checkRule(errs, diag.Join(p, "partly"), r.Partly, &env{})
		v.checkRule(errs, diag.Join(p, "applies_if"), r.AppliesIf, &env{})
		if r.SME != nil {
			v.checkRule(errs, diag.Join(p, "sme.when"), r.SME.When, &env{})
		}
	}
	for i, c := range f.Criteria {
		v.checkRule(errs, diag.Join(diag.Index("criteria", i), "measure"), c.Measure, &env{})
	}
	for i, e := range f.Equivalences {
		set := v.set("certifications")
		if e.Evidence == criteria.EvidenceAudit {
			set = v.set("audit_kinds")
		}
		checkValue(errs, set, diag.Join(diag.Index("equivalences", i), "certification"), e.Certification, false)
	}
	if f.Risk != nil {
		for i, d := range f.Risk.Dimensions {
			v.checkRule(errs, diag.Join(diag.Index("risk.dimensions", i), "score"), d.Score, &env{})
		}
		for i, r := range f.Risk.Risks {
			v.checkRule(errs, diag.Join(diag.Index("risk.risks", i), "when"), r.When, &env{})
		}
	}
	if b := f.Benefits; b != nil {
		for _, sec := range []struct {
			key  string
			list []benefits.Benefit
		}{{"benefits.add", b.Add}, {"benefits.override", b.Override}} {
			for i, bn := range sec.list {
				p := diag.Index(sec.key, i)
				for j, role := range bn.Roles {
					checkValue(errs, v.set("roles"), diag.Index(diag.Join(p, "roles"), j), role, true)
				}
				for j, m := range bn.BusinessModels {
					checkValue(errs, v.set("business_models"), diag.Index(diag.Join(p, "business_models"), j), m, true)
				}
				v.checkRule(errs, diag.Join(p, "eligible"), bn.Eligible, nil)
			}
		}
		for i, s := range b.Steps {
			v.checkRule(errs, diag.Join(diag.Index("benefits.steps", i), "when"), s.When, nil)
		}
	}
}

// checkCatalogue reports the roles and business models of the benefits
// of cat that the programme file did not write itself (those of the
// built-in catalogues) outside the vocabulary.
func (v *vocabulary) checkCatalogue(cat *benefits.Catalogue, own map[string]bool, errs *diag.List) {
	for _, b := range cat.Benefits() {
		if own[b.ID] {
			continue
		}
		for _, role := range b.Roles {
			if !v.set("roles").has(role) {
				errs.Add("benefits", "benefit %s of the %s catalogue: %s", b.ID, b.Catalogue, v.set("roles").unknown(role))
			}
		}
		for _, m := range b.BusinessModels {
			if !v.set("business_models").has(m) {
				errs.Add("benefits", "benefit %s of the %s catalogue: %s", b.ID, b.Catalogue, v.set("business_models").unknown(m))
			}
		}
	}
}

// checkRule reports the literals of the rule src, at path, that a closed
// field is compared with and its vocabulary lacks. env is the rule's
// environment prototype; nil reads fields by name (benefit rules, whose
// roles and business_model are the holder's).
func (v *vocabulary) checkRule(errs *diag.List, path, src string, env any) {
	if strings.TrimSpace(src) == "" {
		return
	}
	for _, l := range rules.Literals(env, src) {
		var s *closedSet
		switch {
		case l.Func != "" && l.Arg == 0 && slices.Contains(certFuncs, l.Func):
			s = v.set("certifications")
		case l.Func != "":
			continue
		case env == nil && (l.Field == "roles" || l.Field == "business_model"):
			s = v.fields[l.Field]
		case env != nil:
			s = v.fields[l.Field]
		}
		if s == nil || s.has(l.Value) {
			continue
		}
		msg := s.unknown(l.Value)
		if l.Field != "" {
			msg = fmt.Sprintf("%s compared with %s", msg, l.Field)
		}
		*errs = append(*errs, &diag.Error{Path: path, Message: msg, ExprLine: l.Line, ExprColumn: l.Column})
	}
}

// Values returns the values of the set of the vocabulary section named
// key (roles, business_models, severities, ...), in declaration order, or
// nil for an unknown key.
func (v Vocabulary) Values(key string) []string {
	for _, vs := range vocabSets {
		if vs.key != key {
			continue
		}
		var out []string
		seen := map[string]bool{}
		for _, t := range *vs.terms(&v) {
			for _, val := range t.Values {
				if !seen[val] {
					seen[val] = true
					out = append(out, val)
				}
			}
		}
		return out
	}
	return nil
}

// Enums returns the values each closed field of the programme and
// profile files may take, keyed by package.Type.key
// ("aeo.Profile.roles", "criteria.Requirement.evidence"), for a JSON
// Schema. A list field's values are those of its elements; a map's those
// of its values. A field that may be left out (a profile's
// business_model, an infringement's kind) lists the empty string last,
// which means not given.
func (v Vocabulary) Enums() map[string][]string {
	out := map[string][]string{}
	for _, cf := range closedFields {
		var vals []string
		for _, k := range cf.sets {
			for _, val := range v.Values(k) {
				if !slices.Contains(vals, val) {
					vals = append(vals, val)
				}
			}
		}
		if cf.optional {
			vals = append(vals, "")
		}
		out[cf.schema] = vals
	}
	return out
}

// Vocabulary returns the programme's vocabulary: the baseline's sets and
// the values the programme adds.
func (p *Programme) Vocabulary() Vocabulary { return cloneVocabulary(p.file.Vocabulary) }

func cloneVocabulary(v Vocabulary) Vocabulary {
	var out Vocabulary
	for _, vs := range vocabSets {
		src := *vs.terms(&v)
		if src == nil {
			continue
		}
		dst := make([]Terms, len(src))
		for i, t := range src {
			t.Values = slices.Clone(t.Values)
			dst[i] = t
		}
		*vs.terms(&out) = dst
	}
	return out
}

// appendVocabulary returns a with the groups of b added after its own.
func appendVocabulary(a, b Vocabulary) Vocabulary {
	out := cloneVocabulary(a)
	for _, vs := range vocabSets {
		if extra := *vs.terms(&b); len(extra) > 0 {
			*vs.terms(&out) = append(*vs.terms(&out), extra...)
		}
	}
	return out
}

// baselineVocabulary is the vocabulary the built-in baseline declares,
// read once from the embedded file: every programme has it.
var baselineVocabulary = sync.OnceValues(func() (Vocabulary, error) {
	var v Vocabulary
	doc, err := decode.Parse("baseline/safe.yaml", BaselineFile())
	if err != nil {
		return v, err
	}
	return v, doc.DecodeAt("vocabulary", &v).Err()
})

// evidenceKinds returns the kinds of evidence of the vocabulary, for
// criteria.Compile.
func (v *vocabulary) evidenceKinds() []criteria.Evidence {
	out := make([]criteria.Evidence, len(v.set("evidence").values))
	for i, e := range v.set("evidence").values {
		out[i] = criteria.Evidence(e)
	}
	return out
}

// BaselineVocabulary returns the vocabulary the built-in baseline
// declares, which every programme has.
func BaselineVocabulary() Vocabulary {
	v, _ := baselineVocabulary() // the embedded baseline; its tests load it
	return cloneVocabulary(v)
}
