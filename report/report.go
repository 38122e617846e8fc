package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
	"sync"

	"golang.org/x/text/language"
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

// languages holds, per catalogue language, its locale and the report
// templates bound to it. They are built once, on first use, and never
// modified: html/template escapes a template on its first execution and
// is then safe to execute from many goroutines.
var languages = sync.OnceValues(func() (map[language.Tag]*bound, error) {
	out := map[language.Tag]*bound{}
	for _, tag := range supported {
		l, err := newLocale(tag)
		if err != nil {
			return nil, err
		}
		t, err := template.New("report").Funcs(funcs(l)).ParseFS(templateFiles, "templates/*.html")
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		out[tag] = &bound{l: l, t: t}
	}
	return out, nil
})

// bound is one language's locale and templates.
type bound struct {
	l *locale
	t *template.Template
}

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
		"join":   l.list,
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
	all, err := languages()
	if err != nil {
		return nil, err
	}
	return all[Match(o.Language, fallback)].l, nil
}

// textPrefs are the languages a reader asks for, to choose a programme's
// texts in: those of o.Language, a tag or an Accept-Language value, or
// when it names none the language of the labels, l's.
func textPrefs(o Options, l *locale) []language.Tag {
	if strings.TrimSpace(o.Language) != "" {
		if ts, _, err := language.ParseAcceptLanguage(o.Language); err == nil && len(ts) > 0 {
			return ts
		}
	}
	return []language.Tag{l.tag}
}

// render executes the template name with data in l's language, and
// writes the page only when the whole of it rendered.
func render(w io.Writer, l *locale, name string, data any) error {
	all, err := languages()
	if err != nil {
		return err
	}
	b, ok := all[l.tag]
	if !ok {
		return fmt.Errorf("report: no catalogue for %s", l.tag)
	}
	var buf bytes.Buffer
	if err := b.t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("report: %s: %w", name, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
