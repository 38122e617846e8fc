package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/safe-aeo/engine/phases"
)

// Phases is the progress report of a national implementation: the nine
// phases (or however many the plan has) as bars filled by the tasks done,
// with each phase's gates passed or blocked, then what blocks the current
// phase, the indicators, the evaluation schedule, the admission waves and
// the benefits introduced.
type Phases struct {
	// Report is the tracker's report (see [phases.Plan.Report]).
	Report phases.Report
}

type phasesView struct {
	Page        page
	Plan        string
	AsOf        time.Time
	Phase       int
	Completed   time.Time
	PilotStart  time.Time
	Invalid     string
	Chart       template.HTML
	Blocking    []detail
	Indicators  []indicatorRow
	Evaluations []evaluationRow
	Overdue     int
	Waves       []waveRow
	Benefits    []benefitIntro
}

type indicatorRow struct {
	Phase                       int
	Name, Value, Target, Status string
	Token                       string
}

type evaluationRow struct {
	Number    int
	Due, Held time.Time
	Status    string
	Token     string
}

type waveRow struct {
	Wave            int
	Types           string
	Open            bool
	Opens           time.Time
	Admitted, Pilot int
}

type benefitIntro struct {
	Name       string
	Stage      int
	Introduced time.Time
}

// WriteHTML writes the report as one self-contained HTML page.
func (p Phases) WriteHTML(w io.Writer, o Options) error {
	l, err := localeFor(o, "")
	if err != nil {
		return err
	}
	return render(w, l, "phases", p.view(l))
}

func (p Phases) view(l *locale) phasesView {
	r := p.Report
	v := phasesView{
		Page: page{Lang: l.tag.String(), Title: l.T("phases.title", r.Plan)},
		Plan: r.Plan, AsOf: r.AsOf, Phase: r.Phase, Completed: r.Completed, PilotStart: r.PilotStart, Invalid: r.Invalid,
		Overdue: r.Overdue,
	}
	v.Page.Footer = l.T("phases.footer", r.Plan, l.Date(r.AsOf))
	for _, g := range r.Blocking {
		v.Blocking = append(v.Blocking, detail{Label: l.T("phases.gate_of", l.Label("gate", g.Gate.String()), l.Int(g.Phase)), Text: g.Reason})
	}
	for _, ph := range r.Phases {
		for _, ind := range ph.Indicators {
			row := indicatorRow{Phase: ph.Number, Name: ind.Name, Status: l.Label("indicator", ind.Status.String()), Token: ind.Status.String()}
			if ind.Status != phases.NotMeasured {
				row.Value = l.Num(ind.Value)
				if ind.Unit != "" {
					row.Value += " " + ind.Unit
				}
			}
			switch ind.Goal {
			case phases.AtLeast:
				row.Target = "≥ " + l.Num(ind.Target)
			case phases.AtMost:
				row.Target = "≤ " + l.Num(ind.Target)
			}
			v.Indicators = append(v.Indicators, row)
		}
	}
	for _, e := range r.Evaluations {
		v.Evaluations = append(v.Evaluations, evaluationRow{Number: e.Number, Due: e.Due, Held: e.Held, Status: l.Label("evaluation", e.Status.String()), Token: e.Status.String()})
	}
	for _, w := range r.Waves {
		var types []string
		for _, t := range w.Types {
			types = append(types, l.Label("operator", t.String()))
		}
		v.Waves = append(v.Waves, waveRow{Wave: w.Wave, Types: strings.Join(types, ", "), Open: w.Open, Opens: w.Opens, Admitted: w.Admitted, Pilot: w.Pilot})
	}
	for _, b := range r.Benefits {
		v.Benefits = append(v.Benefits, benefitIntro{Name: b.Name, Stage: b.Stage, Introduced: b.Introduced})
	}
	if r.Invalid == "" && len(r.Phases) > 0 {
		v.Chart = phasesChart(r, l)
	}
	return v
}

// phasesChart draws one bar per phase, filled by the share of its tasks
// done and coloured by its standing, with its gates passed or blocked.
func phasesChart(r phases.Report, l *locale) template.HTML {
	const width, labelW, barW, rowH, top = 680.0, 230.0, 250.0, 30.0, 18.0
	gx := labelW + barW + 18
	height := top + rowH*float64(len(r.Phases)) + 6
	s := newSVG(width, height, l.T("phases.chart"))
	s.text(labelW, 11, "start", 9, colMuted, l.T("phases.tasks_done"), "font-weight", "bold")
	s.text(gx, 11, "start", 9, colMuted, l.T("phases.gates"), "font-weight", "bold")
	for i, ph := range r.Phases {
		y := top + float64(i)*rowH
		fill, ink := "#c3cad1", colMuted
		switch ph.Status {
		case phases.Done:
			fill, ink = colMet, colInk
		case phases.Current:
			fill, ink = colAccent, colInk
		}
		weight := "normal"
		if ph.Status == phases.Current {
			weight = "bold"
			s.rect(0, y-2, width, rowH-2, "#eaf1f8", "rx", "3")
		}
		s.text(8, y+16, "start", 10, ink, fit(fmt.Sprintf("%d. %s", ph.Number, ph.Name), labelW-14, 10), "font-weight", weight)
		done, total := len(ph.Done), len(ph.Done)+len(ph.Open)
		s.rect(labelW, y+5, barW, 16, colBand, "rx", "3", "stroke", colRule)
		share := 1.0
		if total > 0 {
			share = float64(done) / float64(total)
		}
		if ph.Status == phases.Done {
			share = max(share, 1e-9)
		}
		s.group(l.T("phases.bar", l.Int(done), l.Int(total), l.Label("phase", ph.Status.String())))
		if share > 0 {
			s.rect(labelW, y+5, barW*share, 16, fill, "rx", "3")
		}
		s.end()
		label := l.T("phases.count", l.Int(done), l.Int(total))
		if n := len(ph.Milestones); n > 0 {
			reached := 0
			for _, m := range ph.Milestones {
				if !m.Reached.IsZero() {
					reached++
				}
			}
			label += " · " + l.T("phases.milestones", l.Int(reached), l.Int(n))
		}
		labelInk := colInk
		if share >= 0.6 && ph.Status != phases.Ahead {
			labelInk = "#ffffff"
		}
		s.text(labelW+barW-6, y+17, "end", 9, labelInk, label)
		x := gx
		for _, g := range ph.Gates {
			name := l.Label("gate", g.Gate.String())
			tip := name + ": " + l.T("phases.passed")
			if g.Blocked {
				tip = name + ": " + l.T("phases.blocked")
				if g.Reason != "" {
					tip += " (" + g.Reason + ")"
				}
			}
			s.group(tip)
			cy := y + 13
			if g.Blocked {
				// The gates of phases ahead are not yet due: muted.
				col := colNotMet
				if ph.Status == phases.Ahead {
					col = "#b9c1c9"
				}
				s.circle(x+7, cy, 7, col)
				s.line(x+4, cy-3, x+10, cy+3, "#ffffff", 1.8)
				s.line(x+10, cy-3, x+4, cy+3, "#ffffff", 1.8)
			} else {
				s.circle(x+7, cy, 7, colMet)
				s.line(x+3.5, cy, x+6, cy+3, "#ffffff", 1.8)
				s.line(x+6, cy+3, x+10.5, cy-3.5, "#ffffff", 1.8)
			}
			s.end()
			x += 18
			if x > width-30 {
				break
			}
		}
		if len(ph.Gates) > 0 && x+4 < width-20 {
			names := make([]string, 0, len(ph.Gates))
			for _, g := range ph.Gates {
				names = append(names, l.Label("gate", g.Gate.String()))
			}
			s.text(x+4, y+17, "start", 8.5, colMuted, fit(strings.Join(names, ", "), width-x-8, 8.5))
		}
	}
	return s.HTML()
}
