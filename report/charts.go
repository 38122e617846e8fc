package report

import (
	"fmt"
	"html/template"
	"math"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// Colours shared by charts and the stylesheet.
const (
	colInk       = "#1d2733"
	colMuted     = "#5b6773"
	colRule      = "#d5dbe1"
	colBand      = "#f3f5f7"
	colAccent    = "#1f4e79"
	colMet       = "#2e7d32"
	colPartly    = "#b26a00"
	colNotMet    = "#c62828"
	colUndecided = "#6a4c93"
	colNA        = "#b9c1c9"
	colEquiv     = "#00796b"
)

// scale interpolates from green through yellow to red: t = 0 is the
// lowest rating or risk, t = 1 the highest.
func scale(t float64) string {
	if math.IsNaN(t) {
		t = 0
	}
	t = min(max(t, 0), 1)
	stops := [3][3]float64{{200, 230, 201}, {255, 236, 160}, {242, 156, 156}}
	a, b, u := stops[0], stops[1], t*2
	if t > 0.5 {
		a, b, u = stops[1], stops[2], (t-0.5)*2
	}
	c := func(i int) int { return int(math.Round(a[i] + (b[i]-a[i])*u)) }
	return fmt.Sprintf("#%02x%02x%02x", c(0), c(1), c(2))
}

// ratingColour is the fill of the i-th of n ratings, lowest first.
func ratingColour(i, n int) string {
	if n <= 1 {
		return scale(0)
	}
	return scale(float64(i) / float64(n-1))
}

// tallyBar draws a criterion's outcomes as one stacked bar.
func tallyBar(t criteria.Tally, l *locale) template.HTML {
	const w, h = 130.0, 11.0
	total := t.Applicable + t.NotApplicable
	s := newSVG(w, h, l.T("chart.tally"))
	s.rect(0, 0, w, h, colBand, "rx", "2")
	if total == 0 {
		return s.HTML()
	}
	x := 0.0
	for _, seg := range []struct {
		n   int
		col string
		key string
	}{
		{t.Met + t.Equivalent, colMet, "outcome.met"},
		{t.Partly, colPartly, "outcome.partly"},
		{t.NotMet, colNotMet, "outcome.not_met"},
		{t.Indeterminate, colUndecided, "outcome.indeterminate"},
		{t.NotApplicable, colNA, "outcome.not_applicable"},
	} {
		if seg.n == 0 {
			continue
		}
		sw := w * float64(seg.n) / float64(total)
		s.group(fmt.Sprintf("%s: %s", l.T(seg.key), l.Int(seg.n)))
		s.rect(x, 0, sw, h, seg.col)
		s.end()
		x += sw
	}
	return s.HTML()
}

// scoreBar draws a risk score from 0 to 100, coloured by the score.
func scoreBar(score float64, known bool, l *locale) template.HTML {
	const w, h = 130.0, 11.0
	s := newSVG(w, h, l.T("chart.score"))
	s.rect(0, 0, w, h, colBand, "rx", "2")
	if !known {
		s.rect(0, 0, w, h, "none", "stroke", colUndecided, "stroke-dasharray", "3 2")
		return s.HTML()
	}
	s.rect(0, 0, w*min(max(score, 0), 100)/100, h, scale(score/100), "stroke", "#00000030")
	return s.HTML()
}

// budgetBar draws the staff hours a plan takes against its budget.
func budgetBar(hours, budget float64, l *locale) template.HTML {
	const w, h = 680.0, 28.0
	s := newSVG(w, h, l.T("plan.budget"))
	s.rect(0, 4, w, 20, colBand, "rx", "3", "stroke", colRule)
	top := max(hours, budget)
	share := 0.0
	if top > 0 {
		share = hours / top
		s.rect(0, 4, w*share, 20, colAccent, "rx", "3")
	}
	label := l.T("plan.hours_of", l.Num(hours), l.Num(budget))
	if share >= 0.45 {
		s.text(8, 18, "start", 11, "#ffffff", label, "font-weight", "bold")
	} else {
		// The bar is too short to hold the label: write it on the track.
		s.text(w-8, 18, "end", 11, colInk, label, "font-weight", "bold")
	}
	return s.HTML()
}

// riskMatrix draws the likelihood × consequence matrix of m, each cell
// coloured by its rating, with risks placed in their cells.
func riskMatrix(m *risk.Model, risks []risk.Risk, l *locale) template.HTML {
	cfg := m.Config().Matrix
	nL, nC := len(cfg.Likelihood), len(cfg.Consequence)
	if nL == 0 || nC == 0 {
		return ""
	}
	ratingIndex := map[string]int{}
	for i, r := range cfg.Ratings {
		ratingIndex[r.Rating] = i
	}
	const width, left, top, axis = 680.0, 128.0, 6.0, 44.0
	cellW := (width - left - 4) / float64(nC)
	cellH := 62.0
	if nL > 6 {
		cellH = 44
	}
	height := top + cellH*float64(nL) + axis
	s := newSVG(width, height, l.T("risk.matrix"))
	// Axis titles.
	s.text(12, top+cellH*float64(nL)/2, "middle", 10, colMuted, l.T("risk.likelihood"),
		"transform", fmt.Sprintf("rotate(-90 12 %s)", f2(top+cellH*float64(nL)/2)), "font-weight", "bold")
	s.text(left+cellW*float64(nC)/2, height-4, "middle", 10, colMuted, l.T("risk.consequence"), "font-weight", "bold")
	// Risks by cell.
	cells := map[[2]int][]risk.Risk{}
	li, ci := map[string]int{}, map[string]int{}
	for i, v := range cfg.Likelihood {
		li[v] = i
	}
	for i, v := range cfg.Consequence {
		ci[v] = i
	}
	for _, r := range risks {
		a, ok1 := li[r.Likelihood]
		b, ok2 := ci[r.Consequence]
		if ok1 && ok2 {
			cells[[2]int{a, b}] = append(cells[[2]int{a, b}], r)
		}
	}
	for row := range nL {
		lk := nL - 1 - row // highest likelihood at the top
		y := top + float64(row)*cellH
		s.text(left-8, y+cellH/2+4, "end", 10, colInk, fit(readable(cfg.Likelihood[lk]), left-28, 10))
		for c := range nC {
			x := left + float64(c)*cellW
			cell, _ := m.Rate(cfg.Likelihood[lk], cfg.Consequence[c])
			fill := ratingColour(ratingIndex[cell.Rating], len(cfg.Ratings))
			s.group(l.T("risk.cell", readable(cfg.Likelihood[lk]), readable(cfg.Consequence[c]), readable(cell.Rating)))
			s.rect(x, y, cellW, cellH, fill, "stroke", "#ffffff", "stroke-width", "2")
			s.end()
			s.text(x+cellW-4, y+cellH-4, "end", 7.5, "#00000080", readable(cell.Rating))
			chips(s, cells[[2]int{lk, c}], x+4, y+4, cellW-8, cellH-16, l)
		}
	}
	for c := range nC {
		x := left + float64(c)*cellW + cellW/2
		s.text(x, top+cellH*float64(nL)+14, "middle", 10, colInk, fit(readable(cfg.Consequence[c]), cellW-4, 10))
	}
	return s.HTML()
}

// chips lays the risks of one cell out as labelled chips, row by row,
// with "+n" for those that do not fit.
func chips(s *svg, rs []risk.Risk, x0, y0, w, h float64, l *locale) {
	const ch, gap, size = 15.0, 3.0, 9.5
	x, y := x0, y0
	for i, r := range rs {
		label := fit(r.ID, w-8, size)
		cw := textWidth(label, size) + 10
		if x+cw > x0+w && x > x0 {
			x, y = x0, y+ch+gap
		}
		last := y+2*ch+gap > y0+h
		if last && i < len(rs)-1 && x+cw+30 > x0+w {
			more := fmt.Sprintf("+%d", len(rs)-i)
			s.group(l.T("risk.more", l.Int(len(rs)-i)))
			s.rect(x, y, textWidth(more, size)+10, ch, "#ffffff", "rx", "7", "stroke", colInk, "stroke-dasharray", "2 1.5")
			s.text(x+5, y+11, "start", size, colInk, more)
			s.end()
			return
		}
		if y+ch > y0+h+gap {
			return
		}
		title := r.ID
		if r.Title != "" {
			title += ": " + r.Title
		}
		s.group(title + " (" + readable(r.Rating) + ")")
		s.rect(x, y, cw, ch, "#ffffff", "rx", "7", "stroke", colInk, "stroke-width", "1")
		s.text(x+5, y+11, "start", size, colInk, label, "font-weight", "bold")
		s.end()
		x += cw + gap
	}
}
