package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"sync"
)

// Options configure the rendering of a report. The zero value renders in
// the programme's language, or in English when the report has no
// programme or its language has no catalogue.
type Options struct {
	// Language is the reader's language: a BCP 47 tag ("fr", "es-PE") or
	// an Accept-Language value ("fr-CA,fr;q=0.9,en;q=0.5"), matched
	// against the catalogues' languages (see [Languages]).
	Language string
}

//go:embed templates/*.html
var templateFiles embed.FS

// templates is every report template, parsed once and never executed:
// each rendering executes a clone with the functions of its language.
var templates = sync.OnceValues(func() (*template.Template, error) {
	return template.New("report").Funcs(funcs(nil)).ParseFS(templateFiles, "templates/*.html")
})

// funcs are the functions templates call, bound to a language.
func funcs(l *locale) template.FuncMap {
	return template.FuncMap{
		"T":      func(key string, args ...any) string { return l.T(key, args...) },
		"date":   l.Date,
		"num":    l.Num,
		"int":    l.Int,
		"pct":    l.Percent,
		"period": l.Period,
		"label":  l.Label,
	}
}

// page is what every report's layout reads: the language, the title and
// the footer line.
type page struct {
	Lang   string
	Title  string
	Footer string
}

// localeFor returns the locale of o's language, falling back to fallback
// (the programme's language, if any).
func localeFor(o Options, fallback string) (*locale, error) {
	return newLocale(Match(o.Language, fallback))
}

// render executes the template name with data in l's language, and
// writes the page only when the whole of it rendered.
func render(w io.Writer, l *locale, name string, data any) error {
	base, err := templates()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	t, err := base.Clone()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Funcs(funcs(l)).ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("report: %s: %w", name, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
