package aeo

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
)

// The operator-facing texts of a programme (requirement and criterion
// titles, operator messages, authorization titles) are criteria.Text
// values: one string in the language of the file that writes it
// (programme.language, English by default), or one string per language.
// A programme loaded from files marks each plain text with its file's
// language, so that a French programme extending the English baseline
// keeps both right, and remembers where each text is written, so that
// validation can list the texts that lack a language.

// defaultLanguage is the language of a programme file that names none.
var defaultLanguage = language.English

// fileLanguage returns the language a programme file's plain texts are
// written in, and an error when programme.language is not a BCP 47 tag.
func fileLanguage(m Meta) (language.Tag, error) {
	if m.Language == "" {
		return defaultLanguage, nil
	}
	return criteria.ParseLanguage(m.Language)
}

// A textSite is where an operator-facing text is written, and the
// languages it is written in.
type textSite struct {
	file         string
	line, column int
	path         string
	langs        []language.Tag
}

var textType = reflect.TypeOf(criteria.Text{})

// settleTexts marks every plain text of a decoded file as written in the
// file's language, reports a text written per language that lacks the
// file's language (the default every reader falls back to), and records
// where each text is.
func (l *loader) settleTexts(src *source) {
	lang, err := fileLanguage(src.file.Programme)
	if err != nil {
		// compile reports the bad tag, in its place.
		lang = defaultLanguage
	}
	walkTexts(reflect.ValueOf(&src.file).Elem(), "", func(path string, t *criteria.Text) {
		*t = t.Tagged(lang)
		site := textSite{file: src.doc.File, path: path, langs: t.Languages()}
		site.line, site.column, _ = src.doc.KeyPosition(path)
		l.texts = append(l.texts, site)
		if !t.IsZero() && !t.Has(lang, lang) {
			e := &diag.Error{Path: path, Message: "the text has no " + lang.String() + " version, the programme's language (programme.language): every reader falls back to it"}
			src.doc.Resolve(e)
			l.positioned = append(l.positioned, e)
		}
	})
}

// walkTexts calls fn with every Text in v and its path, as the decoder
// names paths, setting back what fn changes.
func walkTexts(v reflect.Value, path string, fn func(string, *criteria.Text)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkTexts(v.Elem(), path, fn)
		}
	case reflect.Struct:
		t := v.Type()
		if t == textType {
			if v.CanAddr() {
				fn(path, v.Addr().Interface().(*criteria.Text))
			}
			return
		}
		if t == reflect.TypeOf(time.Time{}) {
			return
		}
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			p := path
			if !(f.Anonymous && name == "") {
				if name == "" {
					name = f.Name
				}
				p = diag.Join(path, name)
			}
			walkTexts(v.Field(i), p, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkTexts(v.Index(i), diag.Index(path, i), fn)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || !holdsText(v.Type().Elem(), map[reflect.Type]bool{}) {
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			// A map's values are not addressable: walk a copy and set it
			// back.
			c := reflect.New(v.Type().Elem()).Elem()
			c.Set(v.MapIndex(k))
			walkTexts(c, decode.Key(path, k.String()), fn)
			v.SetMapIndex(k, c)
		}
	}
}

// holdsText reports whether values of type t may hold a Text.
func holdsText(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsText(t.Elem(), seen)
	case reflect.Struct:
		if t == textType {
			return true
		}
		for i := range t.NumField() {
			if t.Field(i).IsExported() && holdsText(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// Language returns the programme's language: the language of its plain
// texts, the one its assessments are written in, and the one every
// reader asking for a language it lacks falls back to.
func (p *Programme) Language() language.Tag { return p.lang }

// Languages returns every language the programme's operator-facing texts
// are written in, in the files it was loaded from (the files it extends
// included), the programme's own first and the others sorted.
func (p *Programme) Languages() []language.Tag {
	seen := map[language.Tag]bool{p.lang: true}
	out := []language.Tag{p.lang}
	var rest []language.Tag
	for _, s := range p.texts {
		for _, t := range s.langs {
			if t != language.Und && !seen[t] {
				seen[t] = true
				rest = append(rest, t)
			}
		}
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].String() < rest[j].String() })
	return append(out, rest...)
}

// A MissingText is an operator-facing text written without one of the
// languages asked for: where it is written, and the language it lacks.
// Operators asking for that language read the programme's language
// instead.
type MissingText struct {
	Language string `json:"language"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Path     string `json:"path"`
}

// MissingTexts lists, for each language of langs (every language the
// programme uses, see Languages, when langs is empty), the operator-facing
// texts that lack it, by file and line, languages in the order given.
// Only texts in files the programme was loaded from are listed: a
// programme compiled from Go values has none.
func (p *Programme) MissingTexts(langs ...language.Tag) []MissingText {
	if len(langs) == 0 {
		langs = p.Languages()
	}
	var out []MissingText
	for _, lang := range langs {
		for _, s := range p.texts {
			if len(s.langs) == 0 || slices.Contains(s.langs, lang) {
				continue
			}
			out = append(out, MissingText{Language: lang.String(), File: s.file, Line: s.line, Column: s.column, Path: s.path})
		}
	}
	return out
}

// textIndex finds the operator-facing texts of a programme's
// requirements, criteria and authorizations by ID.
type textIndex struct {
	reqs, crits, auths map[string]int
}

func newTextIndex(c criteria.Config) textIndex {
	x := textIndex{reqs: map[string]int{}, crits: map[string]int{}, auths: map[string]int{}}
	for i, r := range c.Requirements {
		x.reqs[r.ID] = i
	}
	for i, cr := range c.Criteria {
		x.crits[cr.ID] = i
	}
	for i, a := range c.Authorizations {
		x.auths[a.ID] = i
	}
	return x
}

// OperatorView returns the assessment a as it may be shown to the
// operator (see Assessment.OperatorView), with its titles and reasons in
// the language that best matches prefs, the operator's languages in order
// of preference: each text is chosen by language.Matcher over the
// languages it is written in, and falls back to the programme's language
// (see criteria.Text.In). With no prefs it is a.OperatorView(). An
// assessment made under another version of the rules (another
// fingerprint) is shown as it was made, in its programme's language:
// texts are translated only from the programme that wrote them.
func (p *Programme) OperatorView(a *Assessment, prefs ...language.Tag) *Assessment {
	out := a.OperatorView()
	if len(prefs) == 0 || a.Fingerprint != p.fingerprint {
		return out
	}
	c := &p.file.Config
	for i := range out.Findings {
		f := &out.Findings[i]
		j, ok := p.textIndex.reqs[f.Requirement]
		if !ok {
			continue
		}
		r := &c.Requirements[j]
		if f.Title != "" {
			f.Title = r.Title.In(p.lang, prefs...)
		}
		if f.Messages.Operator != "" {
			f.Messages.Operator = r.Messages.Written(f.Outcome).Operator.In(p.lang, prefs...)
		}
	}
	for i := range out.Criteria {
		cr := &out.Criteria[i]
		if j, ok := p.textIndex.crits[cr.ID]; ok && cr.Title != "" {
			cr.Title = c.Criteria[j].Title.In(p.lang, prefs...)
		}
	}
	for i := range out.Authorizations {
		au := &out.Authorizations[i]
		if j, ok := p.textIndex.auths[au.ID]; ok && au.Title != "" {
			au.Title = c.Authorizations[j].Title.In(p.lang, prefs...)
		}
	}
	return out
}
