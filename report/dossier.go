package report

import (
	"errors"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// A Dossier is the internal dossier on one applicant, for the officer who
// prepares the decision and the team that validates on site: the
// recommendation per authorization type and grade, the criteria with
// their tallies, every finding with the values read, the thresholds
// missed and the sources, what is still to be verified on site, the risk
// matrix and the plan of treatment. It shows internal material and must
// not be sent to the operator (see [Letter]).
type Dossier struct {
	// Programme is the programme the assessment was made under; it gives
	// the risk matrix. Required.
	Programme *aeo.Programme
	// Assessment is the internal view of the assessment. Required.
	Assessment *aeo.Assessment
	// Risk and Plan, when given, add the operator's risk map (drawn on
	// the programme's matrix) and its plan of treatment.
	Risk *risk.Map
	Plan *risk.TreatmentPlan
}

type dossierView struct {
	Page                            page
	HasScore                        bool
	Programme, Version, Fingerprint string
	Operator, OperatorID            string
	AsOf                            time.Time
	OperatorView                    bool
	Authorizations                  []authView
	Criteria                        []criterionView
	OnSite                          []ref
	Findings                        []findingView
	Risk                            *riskView
	Plan                            *planView
}

type authView struct {
	ID, Title, Token, Grade string
	Failed, Pending         string
	Reason                  string
}

type criterionView struct {
	ID, Title, Outcome string
	Bar                template.HTML
	Tally              string
	Score              string
	Reason             string
}

type ref struct{ ID, Title string }

type findingView struct {
	ID, Title, Outcome string
	Level              string
	Points             string
	Details            []detail
	Internal, Operator string
	Source             string
	Unverified         bool
	Quiet              bool // met with nothing to add: one line
}

type detail struct{ Label, Text string }

type riskView struct {
	Score, Level, Coverage string
	Provisional            bool
	Dimensions             []dimensionView
	Matrix                 template.HTML
	Ratings                []swatch
	MatrixSource           string
	MatrixUnverified       bool
	Risks                  []riskRow
	Undecided              []detail
}

type dimensionView struct {
	ID, Title, Status, Score, Weight, Points string
	Bar                                      template.HTML
	Note                                     string
}

type swatch struct{ Label, Colour string }

type riskRow struct {
	ID, Title, Rating, Colour, Likelihood, Consequence, Causes string
}

type planView struct {
	At                      time.Time
	Bar                     template.HTML
	Exact                   bool
	Covered, Total          string
	Controls                []controlRow
	Uncovered               []detail
	ChangeMethod, Reanalyse time.Time
	DateProblems            []string
}

type controlRow struct {
	ID, Title, Kind, Owner, Hours, Risks string
}

// WriteHTML writes the dossier as one self-contained HTML page.
func (d Dossier) WriteHTML(w io.Writer, o Options) error {
	if d.Programme == nil || d.Assessment == nil {
		return errors.New("report: a dossier needs the programme and the assessment")
	}
	l, err := localeFor(o, "")
	if err != nil {
		return err
	}
	return render(w, l, "dossier", d.view(l))
}

func (d Dossier) view(l *locale) dossierView {
	a := d.Assessment
	v := dossierView{
		Page:         page{Lang: l.tag.String(), Title: l.T("dossier.title", a.Operator)},
		Programme:    a.Programme,
		Version:      a.Version,
		Fingerprint:  a.Fingerprint,
		Operator:     a.Operator,
		OperatorID:   a.OperatorID,
		AsOf:         a.AsOf,
		OperatorView: a.View == "operator",
	}
	v.Page.Footer = l.T("dossier.footer", a.Programme, a.Version, a.Fingerprint, l.Date(a.AsOf))
	for _, au := range a.Authorizations {
		v.Authorizations = append(v.Authorizations, authView{
			ID: au.ID, Title: au.Title, Token: recommendationToken(au.Recommendation), Grade: au.Grade,
			Failed: strings.Join(au.Failed, ", "), Pending: strings.Join(au.Pending, ", "), Reason: au.Reason,
		})
	}
	for _, c := range a.Criteria {
		cv := criterionView{ID: c.ID, Title: c.Title, Outcome: outcomeToken(c.Outcome), Bar: tallyBar(c.Tally, l), Tally: l.tally(c.Tally), Reason: c.Reason}
		if c.HasScore {
			cv.Score, v.HasScore = l.Num(c.Score), true
		}
		v.Criteria = append(v.Criteria, cv)
	}
	titles := map[string]string{}
	for _, f := range a.Findings {
		titles[f.Requirement] = f.Title
		v.Findings = append(v.Findings, l.finding(f))
	}
	for _, id := range a.VerifyOnSite {
		v.OnSite = append(v.OnSite, ref{ID: id, Title: titles[id]})
	}
	if d.Risk != nil {
		v.Risk = d.riskView(l)
	}
	if d.Plan != nil {
		v.Plan = planViewOf(*d.Plan, l)
	}
	return v
}

func (l *locale) tally(t criteria.Tally) string {
	parts := []string{l.T("tally.met", l.Int(t.Met+t.Equivalent))}
	add := func(n int, key string) {
		if n > 0 {
			parts = append(parts, l.T(key, l.Int(n)))
		}
	}
	add(t.Partly, "tally.partly")
	add(t.NotMet, "tally.not_met")
	add(t.Indeterminate, "tally.indeterminate")
	add(t.NotApplicable, "tally.not_applicable")
	if t.Points != 0 {
		parts = append(parts, l.T("tally.points", signed(l, t.Points)))
	}
	return strings.Join(parts, ", ")
}

func signed(l *locale, f float64) string {
	if f > 0 {
		return "+" + l.Num(f)
	}
	return l.Num(f)
}

// finding renders one finding with everything an officer needs to judge
// it: the values read, the comparisons that failed, what is missing.
func (l *locale) finding(f criteria.Finding) findingView {
	fv := findingView{
		ID: f.Requirement, Title: f.Title, Outcome: outcomeToken(f.Outcome),
		Source: f.Source, Unverified: f.Unverified,
	}
	if f.Level != "" && f.Level != criteria.Required {
		fv.Level = l.Label("level", string(f.Level))
	}
	if f.Points != 0 {
		fv.Points = l.T("finding.points", signed(l, f.Points))
	}
	add := func(key, text string) { fv.Details = append(fv.Details, detail{Label: l.T(key), Text: text}) }
	if f.SME {
		add("finding.sme", l.T("finding.sme_applied"))
	}
	if f.Equivalence != "" {
		add("finding.equivalence", f.Equivalence)
	}
	if len(f.Missing) > 0 {
		add("finding.missing", strings.Join(f.Missing, ", "))
	}
	if f.Reason != "" {
		add("finding.reason", f.Reason)
	}
	for _, c := range f.Failed {
		add("finding.failed", l.T("finding.comparison", c.Subject, c.Op, c.Threshold, l.value(c.Actual)))
	}
	if len(f.Facts) > 0 && !f.Outcome.Satisfied() {
		var parts []string
		for _, fv := range f.Facts {
			if fv.Fact == "as_of" || (fv.Value() == nil && slices.Contains(f.Missing, fv.Fact)) {
				continue
			}
			parts = append(parts, fv.Fact+" = "+l.value(fv.Value()))
		}
		if len(parts) > 0 {
			add("finding.read", strings.Join(parts, "; "))
		}
	}
	if f.VerifyOnSite {
		add("finding.on_site", l.T("finding.on_site_text"))
	}
	if !f.Outcome.Satisfied() && f.Outcome != criteria.NotApplicable {
		fv.Internal = f.Messages.Internal
		fv.Operator = f.Messages.Operator
	}
	fv.Quiet = len(fv.Details) == 0 && fv.Internal == "" && fv.Operator == ""
	return fv
}

func (d Dossier) riskView(l *locale) *riskView {
	m := *d.Risk
	rv := &riskView{Score: l.Num(m.Score), Level: m.Level, Provisional: m.Provisional, Coverage: l.Percent(m.Coverage)}
	if rv.Level == "" {
		rv.Level = l.T("risk.no_level")
	}
	for _, c := range m.Contributions {
		dv := dimensionView{ID: c.Dimension, Title: c.Title, Status: l.Label("dimension", c.Status.String()), Weight: l.Num(c.Weight)}
		known := c.Status == risk.Scored
		if known {
			dv.Score = l.Num(c.Score)
		}
		// A dimension not scored counts at the worst score: its points are
		// part of the overall score, and shown so that the rows add up.
		dv.Points = l.Num(c.Points)
		switch {
		case len(c.Missing) > 0:
			dv.Note = l.T("finding.missing") + ": " + strings.Join(c.Missing, ", ")
		case c.Reason != "":
			dv.Note = c.Reason
		}
		dv.Bar = scoreBar(c.Score, known, l)
		rv.Dimensions = append(rv.Dimensions, dv)
	}
	model := d.Programme.Risk()
	ratingIndex := map[string]int{}
	if model != nil {
		cfg := model.Config().Matrix
		rv.Matrix = riskMatrix(model, m.Risks, l)
		rv.MatrixSource, rv.MatrixUnverified = cfg.Source, cfg.Unverified
		for i, r := range cfg.Ratings {
			ratingIndex[r.Rating] = i
			rv.Ratings = append(rv.Ratings, swatch{Label: readable(r.Rating), Colour: ratingColour(i, len(cfg.Ratings))})
		}
	}
	n := len(rv.Ratings)
	for _, r := range m.Risks {
		colour := colBand
		if i, ok := ratingIndex[r.Rating]; ok {
			colour = ratingColour(i, n)
		}
		rv.Risks = append(rv.Risks, riskRow{
			ID: r.ID, Title: r.Title, Rating: readable(r.Rating), Colour: colour,
			Likelihood: readable(r.Likelihood), Consequence: readable(r.Consequence), Causes: strings.Join(r.Causes, ", "),
		})
	}
	for _, u := range m.Undecided {
		text := u.Reason
		if len(u.Missing) > 0 {
			text = l.T("finding.missing") + ": " + strings.Join(u.Missing, ", ")
		}
		rv.Undecided = append(rv.Undecided, detail{Label: u.Risk, Text: text})
	}
	return rv
}

func planViewOf(p risk.TreatmentPlan, l *locale) *planView {
	pv := &planView{At: p.At, Bar: budgetBar(p.Hours, p.Budget, l), Exact: p.Exact,
		Covered: l.Num(p.CoveredWeight), Total: l.Num(p.TotalWeight), ChangeMethod: p.ChangeMethod, Reanalyse: p.Reanalyse, DateProblems: p.DateProblems}
	for _, c := range p.Controls {
		pv.Controls = append(pv.Controls, controlRow{
			ID: c.ID, Title: c.Title, Kind: l.Label("control", c.Kind.String()), Owner: c.Owner,
			Hours: l.T("plan.control_hours", l.Num(c.Hours), l.Num(c.Frequency), l.Num(c.YearlyHours)),
			Risks: strings.Join(c.Risks, ", "),
		})
	}
	for _, u := range p.Uncovered {
		text := l.Label("uncovered", u.Reason.String())
		if len(u.Controls) > 0 {
			text += " (" + strings.Join(u.Controls, ", ") + ")"
		}
		pv.Uncovered = append(pv.Uncovered, detail{Label: u.Risk, Text: text})
	}
	return pv
}
