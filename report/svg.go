package report

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// svg builds one inline SVG drawing. Every text it is given is escaped,
// and every number is written with at most two decimals, so that the
// drawing is safe to embed and renders the same on every run.
type svg struct {
	b    strings.Builder
	w, h float64
}

func newSVG(w, h float64, label string) *svg {
	s := &svg{w: w, h: h}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="%s" font-family="Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif">`,
		f2(w), f2(h), f2(w), f2(h), html.EscapeString(label))
	s.b.WriteByte('\n')
	return s
}

// f2 writes a coordinate with at most two decimals.
func f2(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		f = 0
	}
	return strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
}

// attrs renders extra attributes given as name, value pairs.
func attrs(kv []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		fmt.Fprintf(&b, ` %s="%s"`, kv[i], html.EscapeString(kv[i+1]))
	}
	return b.String()
}

func (s *svg) rect(x, y, w, h float64, fill string, kv ...string) {
	fmt.Fprintf(&s.b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>`+"\n", f2(x), f2(y), f2(max(w, 0)), f2(max(h, 0)), fill, attrs(kv))
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64, kv ...string) {
	fmt.Fprintf(&s.b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"%s/>`+"\n", f2(x1), f2(y1), f2(x2), f2(y2), stroke, f2(width), attrs(kv))
}

func (s *svg) circle(cx, cy, r float64, fill string, kv ...string) {
	fmt.Fprintf(&s.b, `<circle cx="%s" cy="%s" r="%s" fill="%s"%s/>`+"\n", f2(cx), f2(cy), f2(r), fill, attrs(kv))
}

func (s *svg) polygon(points []float64, fill string, kv ...string) {
	var p []string
	for i := 0; i+1 < len(points); i += 2 {
		p = append(p, f2(points[i])+","+f2(points[i+1]))
	}
	fmt.Fprintf(&s.b, `<polygon points="%s" fill="%s"%s/>`+"\n", strings.Join(p, " "), fill, attrs(kv))
}

// text writes txt at x, y (the baseline), anchored start, middle or end.
func (s *svg) text(x, y float64, anchor string, size float64, fill, txt string, kv ...string) {
	fmt.Fprintf(&s.b, `<text x="%s" y="%s" text-anchor="%s" font-size="%s" fill="%s"%s>%s</text>`+"\n",
		f2(x), f2(y), anchor, f2(size), fill, attrs(kv), html.EscapeString(txt))
}

// title opens a group with a tooltip, for the element that follows; end
// closes it.
func (s *svg) group(title string) {
	fmt.Fprintf(&s.b, "<g><title>%s</title>\n", html.EscapeString(title))
}

func (s *svg) end() { s.b.WriteString("</g>\n") }

// HTML returns the drawing. It is safe: svg escapes every text it writes.
func (s *svg) HTML() template.HTML {
	return template.HTML(s.b.String() + "</svg>") //nolint:gosec // built from escaped parts
}

// textWidth estimates the width of txt in a sans-serif font of size px:
// about 0.55 em a character, enough to lay out labels without a font.
func textWidth(txt string, size float64) float64 {
	return float64(utf8.RuneCountInString(txt)) * size * 0.55
}

// fit shortens txt with an ellipsis to fit width at size px.
func fit(txt string, width, size float64) string {
	if textWidth(txt, size) <= width {
		return txt
	}
	n := int(width / (size * 0.55))
	if n <= 1 {
		return "…"
	}
	r := []rune(txt)
	if n-1 > len(r) {
		return txt
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// wrap breaks txt into at most lines lines that fit width at size px,
// between words; the last line is shortened with an ellipsis if need be.
func wrap(txt string, width, size float64, lines int) []string {
	words := strings.Fields(txt)
	var out []string
	cur := ""
	for i, w := range words {
		next := strings.TrimSpace(cur + " " + w)
		if cur == "" || textWidth(next, size) <= width {
			cur = next
			continue
		}
		if len(out) == lines-1 {
			return append(out, fit(strings.Join(append([]string{cur}, words[i:]...), " "), width, size))
		}
		out = append(out, cur)
		cur = w
	}
	if cur != "" || len(out) == 0 {
		out = append(out, fit(cur, width, size))
	}
	return out
}
