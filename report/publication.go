package report

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/lifecycle"
	"golang.org/x/text/language"
)

// A Publication is the public document of a programme: what an operator
// must show, in the programme's own words, criterion by criterion; what
// Customs commits to; the certifications, authorizations and audits
// accepted instead of evidence; how Customs validates; the benefits; the
// time limits; the grounds for suspension and revocation; the rights of
// appeal with their time limits; and how to raise an issue. "Programme
// requirements, suspension/removal criteria, etc. must be made public to
// retain a high level of transparency" (WCO AEO Implementation Guidance,
// Annex 1, Ninth Phase).
//
// It is drawn from the programme file alone, and shows nothing internal:
// no rule (when, partly, applies_if, grades' and grants' conditions,
// benefits' eligibility), no note, no internal message, nothing of the
// risk and selectivity sections, of the coordinators' capacity or of the
// treatment cycle. Requirements binding Customs (side: customs) are
// shown as Customs' commitments. Sources are the legal references, without
// the confidence marks of the project's reference ([V], [R]); a
// requirement whose source could not be checked says so.
type Publication struct {
	// Programme is the programme to publish. Required.
	Programme *aeo.Programme
}

type publicationView struct {
	Page                     page
	Name, Authority, Country string
	Version                  string
	Effective, Until         string
	Description              string
	Sources                  []string
	Statuses                 []pubStatus
	Criteria                 []pubCriterion
	Equivalences             []pubEquivalence
	Validation               []string
	Benefits                 []pubBenefitGroup
	Deadlines                []string
	Suspension, Revocation   []pubGround
	SuspensionRules, Cascade []string
	AppealSteps, AppealOther []string
	AppealNote               string
	Contact                  []string
	Unverified               bool
}

type pubStatus struct {
	ID, Title, Source string
	Criteria          []string
	Grades            []string
	Includes          []string
}

type pubCriterion struct {
	Title, Text, Source string
	Requirements        []pubRequirement
	Customs             []pubRequirement
}

type pubRequirement struct {
	ID, Title, Text, Source string
	Notes                   []string
	Unverified              bool
}

type pubEquivalence struct {
	What      string
	Details   []string
	Satisfies []string
	Source    string
}

type pubBenefitGroup struct {
	Heading string
	Items   []pubBenefit
}

type pubBenefit struct {
	Title, Text string
	Notes       []string
}

type pubGround struct{ Text, Source string }

// WriteHTML writes the publication as one self-contained HTML page.
func (pb Publication) WriteHTML(w io.Writer, o Options) error {
	l, err := pb.locale(o)
	if err != nil {
		return err
	}
	return render(w, l, "publication", pb.view(l, textPrefs(o, l)))
}

// WriteMarkdown writes the publication as Markdown, the same content as
// the HTML page, for a website or a gazette.
func (pb Publication) WriteMarkdown(w io.Writer, o Options) error {
	l, err := pb.locale(o)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, markdown(l, pb.view(l, textPrefs(o, l))))
	return err
}

func (pb Publication) locale(o Options) (*locale, error) {
	if pb.Programme == nil {
		return nil, errors.New("report: a publication needs the programme")
	}
	return localeFor(o, pb.Programme.Language().String())
}

// confidence matches the confidence marks of the project's reference in
// a source: "[V]", "[V-tr]", "[R]", "[V/R]".
var confidence = regexp.MustCompile(`\s*\[(?:V|R|V-tr|V/R)(?:\s[^\]]*)?\]`)

// publicSource is a source without the reference's confidence marks.
func publicSource(s string) string {
	return strings.TrimSpace(confidence.ReplaceAllString(s, ""))
}

func (pb Publication) view(l *locale, prefs []language.Tag) publicationView {
	p := pb.Programme
	f := p.File()
	meta := f.Programme
	lang := p.Language()
	in := func(t criteria.Text) string { return t.In(lang, prefs...) }
	v := publicationView{
		Name: meta.Name, Authority: meta.Authority, Country: meta.Country, Version: meta.Version,
		Description: meta.Description,
	}
	v.Page = page{Lang: l.tag.String(), Title: l.T("publish.title", meta.Name)}
	v.Page.Footer = l.T("publish.footer", meta.Name, meta.Version, p.Fingerprint())
	if !meta.Effective.IsZero() {
		v.Effective = l.Date(meta.Effective)
	}
	if !meta.Until.IsZero() {
		v.Until = l.Date(meta.Until)
	}
	for _, s := range meta.Sources {
		v.Sources = append(v.Sources, publicSource(s))
	}

	critTitle := map[string]string{}
	for _, c := range f.Criteria {
		critTitle[c.ID] = in(c.Title)
	}
	reqTitle := map[string]string{}
	for _, r := range f.Requirements {
		reqTitle[r.ID] = in(r.Title)
	}
	authTitle := map[string]string{}
	for _, a := range f.Authorizations {
		authTitle[a.ID] = in(a.Title)
	}

	for _, a := range f.Authorizations {
		st := pubStatus{ID: a.ID, Title: in(a.Title), Source: publicSource(a.Source)}
		crits := a.Criteria
		if len(crits) == 0 && len(a.Includes) == 0 {
			for _, c := range f.Criteria {
				crits = append(crits, c.ID)
			}
		}
		for _, c := range crits {
			st.Criteria = append(st.Criteria, criterionName(c, critTitle[c]))
		}
		for _, g := range a.Grades {
			name := in(g.Title)
			if name == "" {
				name = g.ID
			}
			st.Grades = append(st.Grades, name)
		}
		for _, id := range a.Includes {
			st.Includes = append(st.Includes, authTitle[id])
		}
		v.Statuses = append(v.Statuses, st)
	}

	for _, c := range f.Criteria {
		pc := pubCriterion{Title: criterionName(c.ID, in(c.Title)), Text: in(c.Text), Source: publicSource(c.Source)}
		for _, r := range f.Requirements {
			if r.Criterion != c.ID {
				continue
			}
			pr := pubRequirement{ID: r.ID, Title: in(r.Title), Text: in(r.Text), Source: publicSource(r.Source), Unverified: r.Unverified}
			v.Unverified = v.Unverified || r.Unverified
			if r.BindsCustoms() {
				if c := meta.Commitments[r.ID]; c != "" {
					pr.Notes = append(pr.Notes, c)
				}
				pc.Customs = append(pc.Customs, pr)
				continue
			}
			pr.Notes = l.requirementNotes(r)
			pc.Requirements = append(pc.Requirements, pr)
		}
		v.Criteria = append(v.Criteria, pc)
	}

	for _, e := range f.Equivalences {
		v.Equivalences = append(v.Equivalences, l.equivalence(e, reqTitle))
	}

	lc := f.Lifecycle
	if lc == nil {
		lc = &lifecycle.Config{}
	}
	v.Validation = l.validation(lc, f.Lifecycle != nil)
	v.Benefits = l.benefits(p, authTitle)
	v.Deadlines, _, _ = l.rights(f.Lifecycle)
	v.Deadlines = append(v.Deadlines, l.timeLimits(lc)...)
	for _, g := range lc.Grounds.Suspension {
		v.Suspension = append(v.Suspension, pubGround{g.Text, publicSource(g.Source)})
	}
	for _, g := range lc.Grounds.Revocation {
		v.Revocation = append(v.Revocation, pubGround{g.Text, publicSource(g.Source)})
	}
	v.SuspensionRules = l.suspension(lc)
	v.Cascade = l.cascade(f, critTitle, authTitle)
	v.AppealSteps, v.AppealNote, v.AppealOther = l.appeals(lc)
	v.Contact = l.contact(lc)
	return v
}

// criterionName names a criterion by its title, after its ID when the ID
// is a letter or a number as in SAFE's A–M ("A. Demonstrated
// compliance"), not a word the title says better ("compliance").
func criterionName(id, title string) string {
	if len(id) <= 3 {
		return id + ". " + title
	}
	return title
}

// requirementNotes says, in the operator's terms, to whom a requirement
// applies, what it counts for, and how it is shown.
func (l *locale) requirementNotes(r criteria.Requirement) []string {
	var out []string
	switch r.Level {
	case criteria.Desired:
		out = append(out, l.T("publish.req.desired"))
	case criteria.Bonus:
		out = append(out, l.T("publish.req.bonus", l.Num(r.Points)))
	}
	if len(r.Roles) > 0 {
		var roles []string
		for _, role := range r.Roles {
			roles = append(roles, l.Label("publish.role", role))
		}
		out = append(out, l.T("publish.req.roles", l.list(roles)))
	}
	if len(r.BusinessModels) > 0 {
		out = append(out, l.T("publish.req.models", l.list(r.BusinessModels)))
	}
	if r.AppliesIf != "" {
		out = append(out, l.T("publish.req.applies_if"))
	}
	if r.SME != nil {
		out = append(out, l.T("publish.req.sme"))
	}
	if len(r.Evidence) > 0 {
		var ev []string
		for _, e := range r.Evidence {
			ev = append(ev, l.Label("publish.evidence", string(e)))
		}
		out = append(out, l.T("publish.req.evidence", l.list(ev)))
	}
	return out
}

// list joins items as a sentence does: "a, b and c".
func (l *locale) list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return l.T("list.and", strings.Join(items[:len(items)-1], l.T("list.sep")), items[len(items)-1])
}

func (l *locale) equivalence(e criteria.Equivalence, reqTitle map[string]string) pubEquivalence {
	pe := pubEquivalence{Source: publicSource(e.Source)}
	switch {
	case e.Evidence == criteria.EvidenceAudit:
		pe.What = l.T("publish.eq.audit", e.Certification)
	case e.AEO == criteria.AEORecognised:
		pe.What = l.T("publish.eq.aeo_recognised", e.Certification)
	case e.AEO == criteria.AEODomestic:
		pe.What = l.T("publish.eq.aeo_domestic", e.Certification)
	default:
		pe.What = l.T("publish.eq.certification", e.Certification)
	}
	if len(e.Issuers) > 0 {
		pe.Details = append(pe.Details, l.T("publish.eq.issuers", l.list(e.Issuers)))
	}
	if len(e.Scope) > 0 {
		pe.Details = append(pe.Details, l.T("publish.eq.scope", l.list(e.Scope)))
	}
	switch {
	case !e.MaxAge.IsZero() && e.Evidence == criteria.EvidenceAudit:
		pe.Details = append(pe.Details, l.T("publish.eq.audit_age", l.Period(e.MaxAge)))
	case !e.MaxAge.IsZero():
		pe.Details = append(pe.Details, l.T("publish.eq.granted_age", l.Period(e.MaxAge)))
	case e.Evidence != criteria.EvidenceAudit:
		pe.Details = append(pe.Details, l.T("publish.eq.valid"))
	}
	switch {
	case !e.From.IsZero() && !e.Until.IsZero():
		pe.Details = append(pe.Details, l.T("publish.eq.from_until", l.Date(e.From), l.Date(e.Until)))
	case !e.From.IsZero():
		pe.Details = append(pe.Details, l.T("publish.eq.from", l.Date(e.From)))
	case !e.Until.IsZero():
		pe.Details = append(pe.Details, l.T("publish.eq.until", l.Date(e.Until)))
	}
	for _, id := range e.Satisfies {
		pe.Satisfies = append(pe.Satisfies, id+" "+reqTitle[id])
	}
	return pe
}

// validation states how Customs validates: on site, the relaxations with
// their sources, the sample of sites, third-party and joint validations.
func (l *locale) validation(lc *lifecycle.Config, set bool) []string {
	v := lc.Validation
	out := []string{l.T("publish.val.on_site")}
	for _, r := range v.Relax {
		var methods []string
		for _, m := range r.Methods {
			methods = append(methods, l.Label("method", m.String()))
		}
		who := l.T("publish.val.relax_all")
		switch {
		case len(r.Classes) > 0 && len(r.Requirements) > 0:
			var classes []string
			for _, c := range r.Classes {
				classes = append(classes, l.Label("publish.role", c))
			}
			who = l.T("publish.val.relax_both", l.list(classes), l.list(r.Requirements))
		case len(r.Classes) > 0:
			var classes []string
			for _, c := range r.Classes {
				classes = append(classes, l.Label("publish.role", c))
			}
			who = l.T("publish.val.relax_classes", l.list(classes))
		case len(r.Requirements) > 0:
			who = l.T("publish.val.relax_requirements", l.list(r.Requirements))
		}
		out = append(out, l.T("publish.val.relax", l.list(methods), who, publicSource(r.Source)))
	}
	switch {
	case v.SampleMinimum > 0 || v.SamplePercent > 0:
		out = append(out, l.T("publish.val.sample", l.Int(v.SampleMinimum), l.Int(v.SamplePercent)))
	default:
		out = append(out, l.T("publish.val.every_site"))
	}
	if v.ThirdParty {
		if len(v.Validators) > 0 {
			out = append(out, l.T("publish.val.third_party_named", l.list(v.Validators)))
		} else {
			out = append(out, l.T("publish.val.third_party"))
		}
	}
	if len(v.Joint.Partners) > 0 {
		out = append(out, l.T("publish.val.joint", l.list(v.Joint.Partners)))
	}
	if !set {
		out = append(out, l.T("publish.val.national"))
	}
	return out
}

func (l *locale) benefits(p *aeo.Programme, authTitle map[string]string) []pubBenefitGroup {
	cat := p.Benefits()
	if cat == nil {
		return nil
	}
	var groups []pubBenefitGroup
	for _, b := range cat.Benefits() {
		heading := b.Heading
		if heading == "" {
			heading = l.T("publish.ben.other")
		}
		if len(groups) == 0 || groups[len(groups)-1].Heading != heading {
			groups = append(groups, pubBenefitGroup{Heading: heading})
		}
		pbn := pubBenefit{Title: b.Title, Text: b.Text}
		var types []string
		for _, t := range cat.Types(b.ID) {
			if title, ok := authTitle[t]; ok {
				types = append(types, title)
			}
		}
		if len(types) > 0 {
			pbn.Notes = append(pbn.Notes, l.T("publish.ben.types", l.list(types)))
		}
		if len(b.Roles) > 0 {
			var roles []string
			for _, r := range b.Roles {
				roles = append(roles, l.Label("publish.role", r))
			}
			pbn.Notes = append(pbn.Notes, l.T("publish.ben.roles", l.list(roles)))
		}
		if len(b.BusinessModels) > 0 {
			pbn.Notes = append(pbn.Notes, l.T("publish.req.models", l.list(b.BusinessModels)))
		}
		if b.Eligible != "" || b.Level > 0 {
			pbn.Notes = append(pbn.Notes, l.T("publish.ben.conditions"))
		}
		if b.MRA {
			pbn.Notes = append(pbn.Notes, l.T("publish.ben.mra"))
		}
		if b.Applicants {
			pbn.Notes = append(pbn.Notes, l.T("publish.ben.applicants"))
		}
		if a, ok := cat.Activation(b.ID); ok {
			if !a.Date.IsZero() && a.Milestone == "" {
				pbn.Notes = append(pbn.Notes, l.T("publish.ben.from", l.Date(a.Date)))
			} else {
				pbn.Notes = append(pbn.Notes, l.T("publish.ben.later"))
			}
		}
		groups[len(groups)-1].Items = append(groups[len(groups)-1].Items, pbn)
	}
	return groups
}

// timeLimits are the time limits of the lifecycle the letter does not
// state already: acceptance, completion, renewal, revalidation,
// monitoring, corrective action and the bars.
func (l *locale) timeLimits(lc *lifecycle.Config) []string {
	var out []string
	add := func(p calendar.Period, key string) {
		if !p.IsZero() {
			out = append(out, l.T(key, l.Period(p)))
		}
	}
	add(lc.AcceptanceDeadline, "publish.time.acceptance")
	add(lc.CompletionWindow, "publish.time.completion")
	add(lc.Validity.RenewalWindow, "publish.time.renewal_window")
	add(lc.Validity.RenewalDecision, "publish.time.renewal_decision")
	add(lc.Revalidation.Cycle, "publish.time.revalidation")
	add(lc.Revalidation.Notice, "publish.time.revalidation_notice")
	add(lc.Monitoring.SelfAssessment, "publish.time.self_assessment")
	add(lc.Monitoring.SpotCheck, "publish.time.spot_check")
	if p := lc.CorrectiveAction.Deadline; !p.IsZero() {
		s := l.T("publish.time.corrective", l.Period(p))
		if e := lc.CorrectiveAction.Extension; !e.IsZero() {
			s += " " + l.T("letter.deadline.extension", l.Period(e))
		}
		out = append(out, s)
	}
	add(lc.ReapplyBar.AfterRevocation, "publish.time.bar_revocation")
	add(lc.ReapplyBar.AfterWithdrawal, "publish.time.bar_withdrawal")
	add(lc.ReapplyBar.AfterAnnulment, "publish.time.bar_annulment")
	for _, g := range slices.Sorted(maps.Keys(lc.ReapplyBar.ByGrade)) {
		b := lc.ReapplyBar.ByGrade[g]
		if !b.AfterRevocation.IsZero() {
			out = append(out, l.T("publish.time.bar_grade", g, l.Period(b.AfterRevocation)))
		}
	}
	for _, t := range slices.Sorted(maps.Keys(lc.Certificates)) {
		if p := lc.Certificates[t].Validity.Term; !p.IsZero() {
			out = append(out, l.T("publish.time.certificate", t, l.Period(p)))
		}
	}
	return out
}

func (l *locale) suspension(lc *lifecycle.Config) []string {
	var out []string
	add := func(p calendar.Period, key string) {
		if !p.IsZero() {
			out = append(out, l.T(key, l.Period(p)))
		}
	}
	add(lc.Suspension.Period, "publish.susp.period")
	add(lc.Suspension.RemedyDeadline, "publish.susp.remedy")
	add(lc.Suspension.ToRevocation, "publish.susp.to_revocation")
	add(lc.HearingPeriod, "publish.susp.hearing")
	out = append(out, l.T("publish.susp.no_benefits"))
	return out
}

// cascade says which statuses a criterion's failure suspends, for a
// programme with several types decided on different criteria (EU DA Art
// 30: failing competence suspends AEOC only).
func (l *locale) cascade(f aeo.File, critTitle, authTitle map[string]string) []string {
	plain := 0
	for _, a := range f.Authorizations {
		if len(a.Includes) == 0 {
			plain++
		}
	}
	if plain < 2 {
		return nil
	}
	var out []string
	for _, c := range f.Criteria {
		var types []string
		for _, a := range f.Authorizations {
			if len(a.Includes) > 0 {
				continue
			}
			if len(a.Criteria) == 0 || slices.Contains(a.Criteria, c.ID) {
				types = append(types, authTitle[a.ID])
			}
		}
		if len(types) > 0 && len(types) < plain {
			out = append(out, l.T("publish.susp.cascade", critTitle[c.ID], l.list(types)))
		}
	}
	return out
}

// appeals states the appeal procedure against a refusal (as the letter
// does), then what differs for other decisions: their windows, the
// decisions excluded from appeal or open only to an informal review, and
// hearings on request.
func (l *locale) appeals(lc *lifecycle.Config) (steps []string, note string, other []string) {
	_, steps, note = l.rights(lc)
	for _, d := range slices.Sorted(maps.Keys(lc.Appeal.Windows)) {
		other = append(other, l.T("publish.appeal.window", l.Label("publish.decision", d), l.Period(lc.Appeal.Windows[d])))
	}
	for _, d := range lc.Appeal.Excluded {
		other = append(other, l.T("publish.appeal.excluded", l.Label("publish.decision", d)))
	}
	if ir := lc.Appeal.InformalReview; len(ir.Decisions) > 0 {
		var ds []string
		for _, d := range ir.Decisions {
			ds = append(ds, l.Label("publish.decision", d))
		}
		other = append(other, l.T("publish.appeal.informal", l.list(ds)))
	}
	other = append(other, l.T("publish.appeal.omission"))
	if h := lc.Hearings; !h.ScheduleWithin.IsZero() || !h.SubmissionsAfter.IsZero() {
		s := l.T("publish.appeal.hearing")
		if !h.ScheduleWithin.IsZero() {
			s += " " + l.T("publish.appeal.hearing_schedule", l.Period(h.ScheduleWithin))
		}
		if !h.SubmissionsAfter.IsZero() {
			s += " " + l.T("publish.appeal.hearing_submissions", l.Period(h.SubmissionsAfter))
		}
		other = append(other, s)
	}
	return steps, note, other
}

// contact says how operators raise issues and who their contact point is.
func (l *locale) contact(lc *lifecycle.Config) []string {
	var out []string
	if c := lc.Coordinator; !c.Rotation.IsZero() || c.Capacity > 0 {
		out = append(out, l.T("publish.contact.coordinator"))
	} else {
		out = append(out, l.T("publish.contact.coordinator_may"))
	}
	if p := lc.Coordinator.Rotation; !p.IsZero() {
		out = append(out, l.T("publish.contact.rotation", l.Period(p)))
	}
	out = append(out, l.T("publish.contact.issues"))
	ack, ans := lc.Issues.AcknowledgeWithin, lc.Issues.AnswerWithin
	switch {
	case !ack.IsZero() && !ans.IsZero():
		out = append(out, l.T("publish.contact.issue_times", l.Period(ack), l.Period(ans)))
	case !ack.IsZero():
		out = append(out, l.T("publish.contact.issue_ack", l.Period(ack)))
	case !ans.IsZero():
		out = append(out, l.T("publish.contact.issue_answer", l.Period(ans)))
	}
	return out
}

// markdown writes the view as Markdown. Every text taken from the
// programme is escaped, so that it cannot open a link or a list of its
// own.
func markdown(l *locale, v publicationView) string {
	var b strings.Builder
	esc := mdEscape
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("# %s", esc(v.Page.Title))
	line("")
	var meta []string
	if v.Authority != "" {
		meta = append(meta, esc(v.Authority))
	}
	if v.Country != "" {
		meta = append(meta, esc(v.Country))
	}
	meta = append(meta, l.T("publish.version", esc(v.Version)))
	if v.Effective != "" {
		meta = append(meta, l.T("publish.effective", v.Effective))
	}
	if v.Until != "" {
		meta = append(meta, l.T("publish.until", v.Until))
	}
	line("%s", strings.Join(meta, " · "))
	line("")
	if v.Description != "" {
		line("%s", esc(v.Description))
		line("")
	}
	line("%s", l.T("publish.intro"))
	line("")
	line("> %s", l.T("publish.decides"))
	line("")
	if len(v.Sources) > 0 {
		line("%s", l.T("publish.sources"))
		line("")
		for _, s := range v.Sources {
			line("- %s", esc(s))
		}
		line("")
	}
	section := func(key string) { line("## %s", l.T(key)); line("") }
	bullets := func(items []string) {
		for _, s := range items {
			line("- %s", esc(s))
		}
		line("")
	}

	section("publish.h.statuses")
	for _, s := range v.Statuses {
		line("### %s", esc(s.Title))
		line("")
		if len(s.Includes) > 0 {
			line("%s", esc(l.T("publish.status.includes", l.list(s.Includes))))
		} else if len(s.Criteria) > 0 {
			line("%s", esc(l.T("publish.status.criteria", l.list(s.Criteria))))
		}
		if len(s.Grades) > 0 {
			line("")
			line("%s", esc(l.T("publish.status.grades", l.list(s.Grades))))
		}
		if s.Source != "" {
			line("")
			line("*%s*", esc(l.T("publish.source", s.Source)))
		}
		line("")
	}

	section("publish.h.requirements")
	line("%s", l.T("publish.requirements_intro"))
	line("")
	for _, c := range v.Criteria {
		line("### %s", esc(c.Title))
		line("")
		if c.Text != "" {
			line("%s", esc(c.Text))
			line("")
		}
		for _, r := range c.Requirements {
			line("- **%s %s**", esc(r.ID), esc(r.Title))
			if r.Text != "" {
				line("  %s", esc(r.Text))
			}
			for _, n := range r.Notes {
				line("  %s", esc(n))
			}
			line("  *%s*", esc(sourceLine(l, r)))
		}
		if len(c.Requirements) > 0 {
			line("")
		}
		if len(c.Customs) > 0 {
			line("%s", l.T("publish.customs_commits"))
			line("")
			for _, r := range c.Customs {
				text := r.Title
				if r.Text != "" {
					text += ": " + r.Text
				}
				line("- %s *(%s)*", esc(text), esc(sourceLine(l, r)))
				for _, n := range r.Notes {
					line("  %s", esc(n))
				}
			}
			line("")
		}
		if c.Source != "" {
			line("*%s*", esc(l.T("publish.source", c.Source)))
			line("")
		}
	}

	if len(v.Equivalences) > 0 {
		section("publish.h.equivalences")
		line("%s", l.T("publish.equivalences_intro"))
		line("")
		for _, e := range v.Equivalences {
			line("- **%s**", esc(e.What))
			for _, d := range e.Details {
				line("  %s", esc(d))
			}
			line("  %s", esc(l.T("publish.eq.satisfies", l.list(e.Satisfies))))
			if e.Source != "" {
				line("  *%s*", esc(l.T("publish.source", e.Source)))
			}
		}
		line("")
		line("%s", l.T("publish.eq.sites"))
		line("")
	}

	section("publish.h.validation")
	bullets(v.Validation)

	if len(v.Benefits) > 0 {
		section("publish.h.benefits")
		line("%s", l.T("publish.benefits_intro"))
		line("")
		for _, g := range v.Benefits {
			line("### %s", esc(g.Heading))
			line("")
			for _, bn := range g.Items {
				line("- **%s**", esc(bn.Title))
				if bn.Text != "" {
					line("  %s", esc(bn.Text))
				}
				for _, n := range bn.Notes {
					line("  %s", esc(n))
				}
			}
			line("")
		}
	}

	section("publish.h.time")
	bullets(v.Deadlines)

	section("publish.h.suspension")
	if len(v.Suspension) > 0 {
		line("%s", l.T("publish.susp.grounds"))
		line("")
		for _, g := range v.Suspension {
			line("- %s *(%s)*", esc(g.Text), esc(g.Source))
		}
		line("")
	} else {
		line("%s", l.T("publish.susp.no_grounds"))
		line("")
	}
	bullets(append(slices.Clone(v.Cascade), v.SuspensionRules...))
	if len(v.Revocation) > 0 {
		line("%s", l.T("publish.rev.grounds"))
		line("")
		for _, g := range v.Revocation {
			line("- %s *(%s)*", esc(g.Text), esc(g.Source))
		}
		line("")
	} else {
		line("%s", l.T("publish.rev.no_grounds"))
		line("")
	}

	section("publish.h.appeal")
	if len(v.AppealSteps) > 0 {
		line("%s", l.T("publish.appeal.intro"))
		line("")
		for i, s := range v.AppealSteps {
			line("%d. %s", i+1, esc(s))
		}
		line("")
	}
	if v.AppealNote != "" {
		line("%s", esc(v.AppealNote))
		line("")
	}
	bullets(v.AppealOther)

	section("publish.h.contact")
	bullets(v.Contact)

	if v.Unverified {
		line("%s", l.T("publish.unverified_note"))
		line("")
	}
	line("---")
	line("")
	line("%s", esc(v.Page.Footer))
	return b.String()
}

// sourceLine is a requirement's source, with the mark of an unverified
// one.
func sourceLine(l *locale, r pubRequirement) string {
	s := l.T("publish.source", r.Source)
	if r.Unverified {
		s += " " + l.T("publish.unverified")
	}
	return s
}

// mdEscape escapes the characters Markdown would read as markup.
var mdEscape = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`, "\n", " ",
).Replace
