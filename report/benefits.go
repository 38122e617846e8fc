package report

import (
	"html/template"
	"io"
	"math"
	"time"

	"github.com/safe-aeo/engine/benefits"
)

// Benefits is the benefits ledger report: what the operators drew on
// each benefit between two dates, against what the programme's baselines
// expected, as a bar chart (expected and achieved per benefit) and a
// table of the report's rows.
type Benefits struct {
	// Title names what the report covers (the programme, an operator);
	// optional.
	Title string
	// Catalogue gives the benefits' titles; nil shows their IDs.
	Catalogue *benefits.Catalogue
	// Report is the ledger's report (see [benefits.Ledger.Report]).
	Report benefits.Report
}

type benefitsView struct {
	Page        page
	Title       string
	From, To    time.Time
	Grouping    string
	Chart       template.HTML
	HasBaseline bool
	ByOperator  bool
	Rows        []benefitRow
}

type benefitRow struct {
	Benefit, Operator, Period, Unit string
	Records, Quantity               string
	Expected, Achieved, Share       string
	Saved                           string
	Token                           string // achieved, short, or empty without a baseline
}

// WriteHTML writes the report as one self-contained HTML page.
func (b Benefits) WriteHTML(w io.Writer, o Options) error {
	l, err := localeFor(o, "")
	if err != nil {
		return err
	}
	return render(w, l, "benefits", b.view(l))
}

func (b Benefits) title(id string) string {
	if b.Catalogue != nil {
		if bf, ok := b.Catalogue.Benefit(id); ok && bf.Title != "" {
			return bf.Title
		}
	}
	if id == "" {
		return "–"
	}
	return id
}

func (b Benefits) view(l *locale) benefitsView {
	r := b.Report
	v := benefitsView{
		Page:       page{Lang: l.tag.String(), Title: l.T("benefits.title")},
		Title:      b.Title,
		From:       r.From,
		To:         lastDay(r.To),
		ByOperator: r.By.Operator,
	}
	v.Grouping = l.Label("interval", r.By.Interval.String())
	v.Page.Footer = l.T("benefits.footer", l.Date(v.From), l.Date(v.To))
	for _, row := range r.Rows {
		br := benefitRow{
			Benefit: b.title(row.Benefit), Operator: row.Operator, Period: row.Period, Unit: readable(row.Unit),
			Records: l.Int(row.Records), Quantity: l.Num(row.Quantity),
		}
		if row.NormalQuantity > 0 {
			br.Share = l.Percent(row.Share)
		}
		if row.MinutesSaved != 0 {
			br.Saved = l.T("benefits.minutes", l.Num(row.MinutesSaved))
		}
		if c := row.Baseline; c != nil && c.Expected > 0 {
			v.HasBaseline = true
			br.Expected, br.Achieved = l.Num(c.Expected), l.Percent(c.Achieved)
			br.Token = "achieved"
			if c.Achieved < 1 {
				br.Token = "short"
			}
		}
		v.Rows = append(v.Rows, br)
	}
	v.Chart = b.chart(l)
	return v
}

// lastDay returns the last day a report's exclusive end covers.
func lastDay(to time.Time) time.Time {
	if to.IsZero() {
		return to
	}
	if h, m, s := to.Clock(); h == 0 && m == 0 && s == 0 && to.Nanosecond() == 0 {
		return to.AddDate(0, 0, -1)
	}
	return to
}

// benefitTotal is one benefit's quantity and expected quantity in one
// unit, summed over the report's rows that have a baseline.
type benefitTotal struct {
	id, unit           string
	quantity, expected float64
}

// chart draws, per benefit with a baseline, the quantity expected and the
// quantity achieved, both as shares of the expected, on one axis.
func (b Benefits) chart(l *locale) template.HTML {
	var totals []*benefitTotal
	index := map[[2]string]*benefitTotal{}
	for _, row := range b.Report.Rows {
		c := row.Baseline
		if c == nil || !(c.Expected > 0) {
			continue
		}
		k := [2]string{row.Benefit, row.Unit}
		t := index[k]
		if t == nil {
			t = &benefitTotal{id: row.Benefit, unit: row.Unit}
			index[k] = t
			totals = append(totals, t)
		}
		t.quantity += row.Quantity
		t.expected += c.Expected
	}
	if len(totals) == 0 {
		return ""
	}
	const width, labelW, valueW, rowH, top = 680.0, 200.0, 150.0, 50.0, 22.0
	barW := width - labelW - valueW - 10
	ceiling := 1.25
	for _, t := range totals {
		ceiling = max(ceiling, math.Min(t.quantity/t.expected, 3))
	}
	ceiling = math.Ceil(ceiling*4) / 4
	height := top + rowH*float64(len(totals)) + 24
	s := newSVG(width, height, l.T("benefits.chart"))
	x0 := labelW
	xAt := func(share float64) float64 { return x0 + barW*min(share, ceiling)/ceiling }
	// Grid: every 25 %, labelled every 50 %, the baseline (100 %) marked.
	for g := 0.0; g <= ceiling+1e-9; g += 0.25 {
		x := xAt(g)
		col, dash := colRule, "2 3"
		if math.Abs(g-1) < 1e-9 {
			col, dash = colInk, "4 2"
		}
		s.line(x, top-6, x, height-22, col, 1, "stroke-dasharray", dash)
		if math.Mod(g*100, 50) < 1e-6 {
			s.text(x, height-8, "middle", 10, colMuted, l.Percent(g))
		}
	}
	s.text(xAt(1), top-10, "middle", 10, colInk, l.T("benefits.baseline"), "font-weight", "bold")
	for i, t := range totals {
		y := top + float64(i)*rowH
		share := t.quantity / t.expected
		lines := wrap(b.title(t.id), labelW-12, 10.5, 2)
		ly := y + 16
		if len(lines) == 1 {
			ly = y + 20
		}
		for _, line := range lines {
			s.text(labelW-8, ly, "end", 10.5, colInk, line, "font-weight", "bold")
			ly += 12
		}
		s.text(labelW-8, ly, "end", 9, colMuted, fit(readable(t.unit), labelW-12, 9))
		s.group(l.T("benefits.expected") + ": " + l.Num(t.expected) + " " + readable(t.unit))
		s.rect(x0, y+6, xAt(1)-x0, 12, "#c9d1d9", "rx", "2")
		s.end()
		col := colMet
		if share < 1 {
			col = colPartly
		}
		if share < 0.5 {
			col = colNotMet
		}
		s.group(l.T("benefits.achieved") + ": " + l.Num(t.quantity) + " " + readable(t.unit) + " (" + l.Percent(share) + ")")
		s.rect(x0, y+20, max(xAt(share)-x0, 1), 12, col, "rx", "2")
		s.end()
		if share > ceiling {
			s.text(xAt(ceiling)-4, y+30, "end", 9, "#ffffff", "»", "font-weight", "bold")
		}
		s.text(width-valueW+4, y+16, "start", 10, colMuted, l.T("benefits.expected")+" "+l.Num(t.expected))
		s.text(width-valueW+4, y+30, "start", 10.5, colInk, l.T("benefits.achieved")+" "+l.Num(t.quantity)+" · "+l.Percent(share), "font-weight", "bold")
	}
	return s.HTML()
}
