package report

import (
	"errors"
	"io"
	"slices"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/lifecycle"
	"golang.org/x/text/language"
)

// A Letter is the letter to the operator on the outcome of its
// assessment: the outcome per authorization type, the reasons in the
// operator's terms (the programme's operator messages and requirement
// titles), what to improve, and the operator's rights of appeal and the
// deadlines that the programme's lifecycle section sets.
//
// A letter shows nothing internal: it is drawn from the operator view of
// the assessment ([aeo.Assessment.OperatorView]) and from it takes only
// the outcomes, the requirement titles and the operator messages, never
// internal messages, fact values, reasons, rule text or criteria
// details. It says that Customs decides: the assessment recommends.
type Letter struct {
	// Programme is the programme the assessment was made under; it gives
	// the authority and the appeal rules. Required.
	Programme *aeo.Programme
	// Assessment is the assessment, in either view. Required.
	Assessment *aeo.Assessment
}

type letterView struct {
	Page                      page
	From, Country             string
	Programme, Version        string
	Operator, OperatorID      string
	AsOf                      time.Time
	Outcomes                  []outcomeView
	Reasons, Missing, Improve []reasonView
	AllMet                    bool
	Deadlines                 []string
	AppealSteps               []string
	AppealNote                string
}

type outcomeView struct{ Title, Token, Verdict string }

type reasonView struct{ Title, Status, Text string }

// WriteHTML writes the letter as one self-contained HTML page.
func (lt Letter) WriteHTML(w io.Writer, o Options) error {
	if lt.Programme == nil || lt.Assessment == nil {
		return errors.New("report: a letter needs the programme and the assessment")
	}
	l, err := localeFor(o, lt.Programme.Language().String())
	if err != nil {
		return err
	}
	return render(w, l, "letter", lt.view(l, textPrefs(o, l)))
}

func (lt Letter) view(l *locale, prefs []language.Tag) letterView {
	// The titles and reasons in the reader's language, as far as the
	// programme writes them in it.
	a := lt.Programme.OperatorView(lt.Assessment, prefs...)
	meta := lt.Programme.Meta()
	v := letterView{
		Page:       page{Lang: l.tag.String(), Title: l.T("letter.title", meta.Name)},
		From:       meta.Authority,
		Country:    meta.Country,
		Programme:  meta.Name,
		Version:    meta.Version,
		Operator:   a.Operator,
		OperatorID: a.OperatorID,
		AsOf:       a.AsOf,
	}
	if v.From == "" {
		v.From = meta.Name
	}
	v.Page.Footer = l.T("letter.footer", meta.Name, meta.Version, a.Fingerprint, l.Date(a.AsOf))
	for _, au := range a.Authorizations {
		tok := recommendationToken(au.Recommendation)
		verdict := l.T("letter.verdict." + tok)
		if au.Grade != "" && au.Recommendation == criteria.Recommend {
			verdict = l.T("letter.verdict.recommend_grade", au.Grade)
		}
		v.Outcomes = append(v.Outcomes, outcomeView{Title: au.Title, Token: tok, Verdict: verdict})
	}
	for _, f := range a.Findings {
		if f.Outcome.Satisfied() || f.Outcome == criteria.NotApplicable || f.Level == criteria.Bonus {
			continue
		}
		r := reasonView{Title: f.Title, Status: l.T("letter.status." + outcomeToken(f.Outcome)), Text: operatorText(f)}
		switch {
		case f.Level == criteria.Desired:
			v.Improve = append(v.Improve, r)
		case f.Outcome == criteria.Indeterminate:
			if r.Text == "" {
				r.Text = l.T("letter.provide")
			}
			v.Missing = append(v.Missing, r)
		default:
			v.Reasons = append(v.Reasons, r)
		}
	}
	v.AllMet = len(v.Reasons) == 0 && len(v.Missing) == 0 && len(v.Improve) == 0
	v.Deadlines, v.AppealSteps, v.AppealNote = l.rights(lt.Programme.File().Lifecycle)
	return v
}

// operatorText is what the programme tells the operator about a finding
// not satisfied: its operator message.
func operatorText(f criteria.Finding) string { return f.Messages.Operator }

// rights states the deadlines and the appeal procedure of a programme's
// lifecycle section for an applicant: when Customs decides, when a grant
// takes effect, when a refused applicant may apply again, and the stages
// of an appeal against a refusal with their time limits.
func (l *locale) rights(c *lifecycle.Config) (deadlines, steps []string, note string) {
	if c == nil {
		c = &lifecycle.Config{}
	}
	if p := c.DecisionDeadline; !p.IsZero() {
		s := l.T("letter.deadline.decision", l.Period(p))
		if e := c.DecisionExtension; !e.IsZero() {
			s += " " + l.T("letter.deadline.extension", l.Period(e))
		}
		deadlines = append(deadlines, s)
	} else {
		deadlines = append(deadlines, l.T("letter.deadline.none"))
	}
	if p := c.EffectAfter; !p.IsZero() {
		deadlines = append(deadlines, l.T("letter.deadline.effect", l.Period(p)))
	}
	if p := c.Validity.Term; !p.IsZero() {
		deadlines = append(deadlines, l.T("letter.deadline.validity", l.Period(p)))
	}
	if p := c.ReapplyBar.AfterRefusal; !p.IsZero() {
		deadlines = append(deadlines, l.T("letter.deadline.reapply", l.Period(p)))
	}
	refusal := lifecycle.DecisionRefusal.String()
	if slices.Contains(c.Appeal.Excluded, refusal) {
		return deadlines, nil, l.T("appeal.refusal_excluded")
	}
	if ir := c.Appeal.InformalReview; slices.Contains(ir.Decisions, refusal) {
		// Canada PIP: a refused application is reviewed informally by
		// Customs, and the formal stages are not open to it.
		step := l.T("appeal.stage."+lifecycle.StageInformalReview.String(), l.when(ir.Window, "appeal.within_decision"), l.decided(ir.DecisionDeadline))
		return deadlines, []string{step}, l.T("appeal.informal_only")
	}
	stages := c.Appeal.Stages
	review := false
	for _, s := range stages {
		review = review || s.Stage != lifecycle.StageRequestReasons
	}
	if !review {
		// RKC Chapter 10 applies without time limits when the programme
		// lists no review stage.
		for _, st := range []lifecycle.AppealStage{lifecycle.StageCustomsReview, lifecycle.StageIndependentReview, lifecycle.StageJudicial} {
			stages = append(stages, lifecycle.AppealStageRule{Stage: st})
		}
		note = l.T("appeal.rkc_default")
	}
	first := true
	for _, s := range stages {
		window := s.Window
		var clause string
		switch {
		case s.Stage == lifecycle.StageRequestReasons:
			clause = l.when(window, "appeal.within_decision")
		case first:
			if w, ok := c.Appeal.Windows[lifecycle.DecisionRefusal.String()]; ok {
				window = w
			}
			clause = l.when(window, "appeal.within_decision")
			first = false
		default:
			clause = l.when(window, "appeal.within_dismissal")
		}
		steps = append(steps, l.T("appeal.stage."+s.Stage.String(), clause, l.decided(s.DecisionDeadline)))
	}
	return deadlines, steps, note
}

// decided is the clause of an appeal step that says when it is decided;
// empty when the programme sets no time.
func (l *locale) decided(p calendar.Period) string {
	if p.IsZero() {
		return ""
	}
	return l.T("appeal.decided_within", l.Period(p))
}

// when is the time-limit clause of an appeal step.
func (l *locale) when(p calendar.Period, key string) string {
	if p.IsZero() {
		return l.T("appeal.no_limit")
	}
	return l.T(key, l.Period(p))
}
