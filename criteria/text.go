package criteria

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// A Text is an operator-facing text of a programme: what a requirement is
// called and what its findings tell the applicant. A programme file writes
// it either as one string, in the programme's language
// (programme.language, English by default), or as a mapping from BCP 47
// language tags to the text in each language:
//
//	operator: Please declare your infringements.
//	operator:
//	  en: Please declare your infringements.
//	  fr: Veuillez déclarer vos infractions.
//	  es: Sírvase declarar sus infracciones.
//
// [Text.In] chooses the text for the languages a reader asks for. Texts
// officers alone read (internal messages, notes) are plain strings, in one
// language.
//
// The zero Text is empty. A Text is a value: its methods return new Texts
// and never modify the one they are called on, so it is safe for
// concurrent use.
type Text struct {
	// entries are in the order written; a plain text is one entry whose
	// tag is und (the programme's language) until Tagged names it.
	entries []textEntry
}

type textEntry struct {
	tag  language.Tag
	text string
	// plain marks the text written as one string, so that it is written
	// back as one.
	plain bool
}

// NewText returns a text written as one string, in the programme's
// language.
func NewText(s string) Text {
	if s == "" {
		return Text{}
	}
	return Text{entries: []textEntry{{tag: language.Und, text: s, plain: true}}}
}

// With returns t with s as its text in lang, replacing any text t had in
// exactly that language.
func (t Text) With(lang language.Tag, s string) Text {
	out := Text{entries: make([]textEntry, 0, len(t.entries)+1)}
	for _, e := range t.entries {
		if e.tag != lang {
			out.entries = append(out.entries, e)
		}
	}
	out.entries = append(out.entries, textEntry{tag: lang, text: s})
	return out
}

// Tagged returns t with its plain form, if it has one, marked as written
// in lang: a programme file's plain strings are in the file's language.
// It is written back as a plain string still.
func (t Text) Tagged(lang language.Tag) Text {
	if len(t.entries) != 1 || !t.entries[0].plain || t.entries[0].tag == lang {
		return t
	}
	return Text{entries: []textEntry{{tag: lang, text: t.entries[0].text, plain: true}}}
}

// IsZero reports whether t has no text in any language.
func (t Text) IsZero() bool { return len(t.entries) == 0 }

// Plain reports whether t was written as one string.
func (t Text) Plain() bool { return len(t.entries) == 1 && t.entries[0].plain }

// Languages returns the languages t is written in, in the order written;
// und stands for a plain text whose language is the programme's.
func (t Text) Languages() []language.Tag {
	out := make([]language.Tag, len(t.entries))
	for i, e := range t.entries {
		out[i] = e.tag
	}
	return out
}

// Has reports whether t is written in exactly lang, a plain text whose
// language is not yet known counting as written in def, the programme's
// language.
func (t Text) Has(lang, def language.Tag) bool {
	for _, e := range t.entries {
		if e.tag == lang || e.tag == language.Und && lang == def {
			return true
		}
	}
	return false
}

// In returns the text in the language that best matches prefs, the
// reader's languages in order of preference, as language.Matcher matches
// them: fr-CA is served by fr, es-419 by es. When none matches, or prefs
// is empty, it returns the text in def, the programme's language, or
// failing that the text written first. A plain text whose language is not
// yet known counts as written in def. In returns "" only for the zero
// Text.
func (t Text) In(def language.Tag, prefs ...language.Tag) string {
	switch len(t.entries) {
	case 0:
		return ""
	case 1:
		return t.entries[0].text
	}
	tags := make([]language.Tag, len(t.entries))
	first := -1
	for i, e := range t.entries {
		tags[i] = e.tag
		if e.tag == language.Und {
			tags[i] = def
		}
		if first < 0 && tags[i] == def {
			first = i
		}
	}
	if first < 0 {
		first = 0
	}
	// The common case, a reader asking first for a language the text has
	// exactly, needs no matcher.
	if len(prefs) > 0 {
		if i := slices.Index(tags, prefs[0]); i >= 0 {
			return t.entries[i].text
		}
	}
	if len(prefs) == 0 {
		return t.entries[first].text
	}
	// The fallback leads the matcher's list: it is what the matcher
	// returns when nothing matches.
	order := make([]int, 0, len(tags))
	order = append(order, first)
	for i := range tags {
		if i != first {
			order = append(order, i)
		}
	}
	supported := make([]language.Tag, len(order))
	for j, i := range order {
		supported[j] = tags[i]
	}
	_, j, conf := language.NewMatcher(supported).Match(prefs...)
	if conf == language.No || j < 0 || j >= len(order) {
		return t.entries[first].text
	}
	return t.entries[order[j]].text
}

// Equal reports whether t and u hold the same texts in the same
// languages, written the same way.
func (t Text) Equal(u Text) bool { return slices.Equal(t.entries, u.entries) }

// String returns the text as written first: the plain text, or the first
// language of a mapping. Use In to choose a language.
func (t Text) String() string {
	if len(t.entries) == 0 {
		return ""
	}
	return t.entries[0].text
}

// ParseLanguage parses a BCP 47 language tag as a programme file writes
// one (en, fr, es-419, fr-CA) into its canonical form. It refuses und
// and private-use tags, which name no language a reader could ask for.
func ParseLanguage(s string) (language.Tag, error) {
	tag, err := language.Parse(s)
	if err != nil || tag == language.Und || strings.HasPrefix(tag.String(), "x-") {
		return language.Und, fmt.Errorf("criteria: %q is not a BCP 47 language tag such as en, fr or es-419", s)
	}
	return tag, nil
}

// UnmarshalText reads the plain form: one text in the programme's
// language. An empty text is an error.
func (t *Text) UnmarshalText(b []byte) error {
	if strings.TrimSpace(string(b)) == "" {
		return errors.New("criteria: the text is empty; write it, or leave the key out")
	}
	*t = NewText(string(b))
	return nil
}

// UnmarshalTextEntry reads one entry of the form per language: the text in
// the language key names. A key that is not a BCP 47 tag, one given twice
// and an empty text are errors.
func (t *Text) UnmarshalTextEntry(key, text string) error {
	tag, err := ParseLanguage(key)
	if err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("criteria: the %s text is empty; write it, or leave the language out", tag)
	}
	for _, e := range t.entries {
		if e.tag == tag {
			return fmt.Errorf("criteria: %s is given twice (as %s)", key, tag)
		}
	}
	t.entries = append(t.entries, textEntry{tag: tag, text: text})
	return nil
}

// MarshalJSON writes t as it was read: one string for the plain form, an
// object from language to text otherwise.
func (t Text) MarshalJSON() ([]byte, error) {
	if len(t.entries) == 0 {
		return []byte(`""`), nil
	}
	if t.Plain() {
		return json.Marshal(t.entries[0].text)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range t.entries {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.tag.String())
		v, err := json.Marshal(e.text)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes, as the programme file's
// decoder reads it.
func (t *Text) UnmarshalJSON(b []byte) error {
	*t = Text{}
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		return t.UnmarshalText([]byte(s))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errors.New("criteria: want a text, or an object from language to text")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var s string
		if err := dec.Decode(&s); err != nil {
			return fmt.Errorf("criteria: the %s text: want a string", key)
		}
		if err := t.UnmarshalTextEntry(key, s); err != nil {
			return err
		}
	}
	if len(t.entries) == 0 {
		return errors.New("criteria: want a text, or an object from language to text, not an empty object")
	}
	return nil
}
