package report

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
	"golang.org/x/text/number"

	"github.com/safe-aeo/engine/calendar"
)

// The labels of every report come from one message catalogue per
// language, locales/<tag>.json: a flat object from key to a format in
// the syntax of package fmt, arguments numbered where a language needs
// another order (%[2]s). Numbers are formatted for the language by
// golang.org/x/text/message; dates and periods by the catalogue's own
// month names and units.

//go:embed locales/*.json
var localeFiles embed.FS

// Languages returns the languages the report catalogues are written in,
// the first being the fallback: en, fr and es.
func Languages() []language.Tag { return slices.Clone(supported) }

var supported = []language.Tag{language.English, language.French, language.Spanish}

var matcher = language.NewMatcher(supported)

// cataloguesData is every catalogue: the builder the printers read, and
// the keys of each language, to tell a label the catalogue lacks.
type cataloguesData struct {
	builder *catalog.Builder
	keys    map[language.Tag]map[string]string
}

// catalogues holds every catalogue, read once; it is never modified
// after.
var catalogues = sync.OnceValues(func() (*cataloguesData, error) {
	c := &cataloguesData{builder: catalog.NewBuilder(catalog.Fallback(supported[0])), keys: map[language.Tag]map[string]string{}}
	for _, tag := range supported {
		keys, err := readCatalogue(tag)
		if err != nil {
			return nil, err
		}
		c.keys[tag] = keys
		for k, v := range keys {
			if err := c.builder.SetString(tag, k, v); err != nil {
				return nil, fmt.Errorf("report: catalogue %s: %s: %w", tag, k, err)
			}
		}
	}
	return c, nil
})

func readCatalogue(tag language.Tag) (map[string]string, error) {
	data, err := fs.ReadFile(localeFiles, path.Join("locales", tag.String()+".json"))
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var keys map[string]string
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("report: catalogue %s: %w", tag, err)
	}
	return keys, nil
}

// Match returns the catalogue language that best serves the preference
// pref, a BCP 47 tag ("fr", "es-PE") or an Accept-Language value
// ("fr-CA,fr;q=0.9,en;q=0.5"), with fallback (usually the programme's
// language) as the last preference. When neither matches a catalogue,
// Match returns English.
func Match(pref, fallback string) language.Tag {
	var tags []language.Tag
	if strings.TrimSpace(pref) != "" {
		if ts, _, err := language.ParseAcceptLanguage(pref); err == nil {
			tags = append(tags, ts...)
		}
	}
	if strings.TrimSpace(fallback) != "" {
		if t, err := language.Parse(fallback); err == nil {
			tags = append(tags, t)
		}
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(supported) {
		return supported[0]
	}
	return supported[i]
}

// A locale renders labels, numbers, dates and periods in one language.
type locale struct {
	tag  language.Tag
	p    *message.Printer
	keys map[string]string // this language's catalogue
	base map[string]string // the fallback's
}

func newLocale(tag language.Tag) (*locale, error) {
	cat, err := catalogues()
	if err != nil {
		return nil, err
	}
	return &locale{tag: tag, p: message.NewPrinter(tag, message.Catalog(cat.builder)), keys: cat.keys[tag], base: cat.keys[supported[0]]}, nil
}

// T returns the label key, formatted with args.
func (l *locale) T(key string, args ...any) string { return l.p.Sprintf(key, args...) }

// Num formats f for the language: integers without decimals, other
// numbers with up to two.
func (l *locale) Num(f float64) string {
	return l.p.Sprint(number.Decimal(f, number.MaxFractionDigits(2)))
}

// Int formats n for the language.
func (l *locale) Int(n int) string { return l.p.Sprint(number.Decimal(n)) }

// Percent formats a share (0.5 is 50 %) for the language, in whole per
// cent rounded down, so that a share short of the whole never reads 100 %.
func (l *locale) Percent(f float64) string {
	if !math.IsNaN(f) && !math.IsInf(f, 0) {
		f = math.Floor(f*100+1e-9) / 100
	}
	return l.p.Sprint(number.Percent(f, number.MaxFractionDigits(0)))
}

// Date formats t as a long date ("31 March 2025", "31 mars 2025"); the
// zero time as a dash.
func (l *locale) Date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return l.T("date.long", strconv.Itoa(t.Day()), l.T("month."+strconv.Itoa(int(t.Month()))), strconv.Itoa(t.Year()))
}

// Month formats the month of t briefly, for chart axes ("Mar 2025").
func (l *locale) Month(t time.Time) string {
	return l.T("date.month", l.T("month.short."+strconv.Itoa(int(t.Month()))), strconv.Itoa(t.Year()))
}

// Period formats a legal period ("30 days", "1 an et 6 mois", "7
// working days"), with its end anchor and roll rule when it has them.
func (l *locale) Period(p calendar.Period) string {
	var parts []string
	add := func(n int, unit string) {
		if n != 0 {
			parts = append(parts, l.T("period."+unit+"."+l.plural(n), l.Int(n)))
		}
	}
	add(p.Years, "year")
	add(p.Months, "month")
	add(p.Days, "day")
	add(p.WorkingDays, "working_day")
	var s string
	switch len(parts) {
	case 0:
		s = l.T("period.none")
	case 1:
		s = parts[0]
	default:
		s = l.T("list.and", strings.Join(parts[:len(parts)-1], l.T("list.sep")), parts[len(parts)-1])
	}
	if p.End != calendar.AnchorNone {
		s += l.T("period.end." + p.End.String())
	}
	if p.Roll == calendar.RollNext || p.Roll == calendar.RollPrevious {
		s += l.T("period.roll." + p.Roll.String())
	}
	return s
}

// plural returns the plural category of n: French counts 0 and 1 as
// singular, English and Spanish only 1.
func (l *locale) plural(n int) string {
	if n == 1 || (n == 0 && l.tag == language.French) {
		return "one"
	}
	return "other"
}

// Label returns the catalogue's label for token under prefix, or the
// token made readable when the catalogue has none (a token the programme
// defines, such as a rating or a lane).
func (l *locale) Label(prefix, token string) string {
	key := prefix + "." + token
	if _, ok := l.keys[key]; ok {
		return l.T(key)
	}
	if _, ok := l.base[key]; ok {
		return l.T(key)
	}
	return readable(token)
}

// readable turns a token into words: "almost_certain" → "almost certain".
func readable(token string) string {
	return strings.NewReplacer("_", " ", "-", " ").Replace(token)
}
