package report

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/phases"
	"github.com/safe-aeo/engine/risk"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pref, fallback string
		want           language.Tag
		reason         string
	}{
		{"fr", "", language.French, "a catalogue language is taken as is"},
		{"fr-CA", "", language.French, "a regional variant gets its language: Montreal reads French"},
		{"es-PE", "", language.Spanish, "Lima reads Spanish"},
		{"fr-SN,fr;q=0.9,en;q=0.5", "", language.French, "an Accept-Language list is matched in order of preference"},
		{"de;q=0.9,es;q=0.4", "", language.Spanish, "a language without a catalogue gives way to the next preference"},
		{"pt", "es", language.Spanish, "with no match the programme's language is used"},
		{"", "fr", language.French, "no preference: the programme's language"},
		{"pt", "", language.English, "nothing matches: English, the fallback of the catalogues"},
		{"!!", "??", language.English, "malformed tags are ignored"},
		{"", "", language.English, "nothing given: English"},
	}
	for _, tt := range tests {
		if got := Match(tt.pref, tt.fallback); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v; %s", tt.pref, tt.fallback, got, tt.want, tt.reason)
		}
	}
}

// verbs returns the format verbs of a catalogue entry, in a canonical
// form: %[2]s and the second %s are the same argument.
func verbs(format string) []string {
	var out []string
	n := 0
	for _, m := range regexp.MustCompile(`%(\[(\d+)\])?[a-z]`).FindAllStringSubmatch(format, -1) {
		if m[2] != "" {
			out = append(out, m[2])
			continue
		}
		n++
		out = append(out, fmt.Sprint(n))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestCataloguesAgree checks that the three catalogues have the same keys
// and that each translation takes the same arguments as the English.
func TestCataloguesAgree(t *testing.T) {
	en, err := readCatalogue(language.English)
	require.NoError(t, err)
	for _, tag := range supported[1:] {
		other, err := readCatalogue(tag)
		require.NoError(t, err)
		for k, v := range en {
			tr, ok := other[k]
			if !assert.True(t, ok, "%s lacks %q", tag, k) {
				continue
			}
			assert.Equal(t, verbs(v), verbs(tr), "%s %q takes other arguments than the English %q", tag, tr, v)
			assert.NotEmpty(t, strings.TrimSpace(tr), "%s %q is empty", tag, k)
		}
		for k := range other {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %q, which the English catalogue lacks", tag, k)
			}
		}
	}
}

// tokens returns the text of every value of an enumeration, from its
// zero value until String gives the fallback "Type(n)".
func tokens[T ~uint8](skipZero bool) []string {
	var out []string
	for i := 0; i < 256; i++ {
		s := fmt.Sprint(T(i))
		if strings.Contains(s, "(") {
			break
		}
		if i == 0 && skipZero {
			continue
		}
		out = append(out, s)
	}
	return out
}

func marshalTokens[T interface {
	~uint8
	MarshalText() ([]byte, error)
}]() []string {
	var out []string
	for i := 0; i < 256; i++ {
		b, err := T(i).MarshalText()
		if err != nil {
			break
		}
		out = append(out, string(b))
	}
	return out
}

// TestCataloguesComplete checks that every label a report asks for is in
// the English catalogue (and so, by TestCataloguesAgree, in every one):
// the keys written in the templates and the code, and a label for every
// value of every enumeration a report shows, so that a value added to an
// enumeration without its label fails here.
func TestCataloguesComplete(t *testing.T) {
	en, err := readCatalogue(language.English)
	require.NoError(t, err)
	var keys []string
	sources, err := filepath.Glob("*.go")
	require.NoError(t, err)
	templatesFiles, err := filepath.Glob("templates/*.html")
	require.NoError(t, err)
	for _, name := range append(sources, templatesFiles...) {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		data, err := os.ReadFile(name)
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`(?:\bT |l\.T\()"([a-z_.\-]+[a-z_\-])"`).FindAllStringSubmatch(string(data), -1) {
			keys = append(keys, m[1])
		}
	}
	require.NotEmpty(t, keys)
	prefixed := map[string][]string{
		"outcome":            marshalTokens[criteria.Outcome](),
		"letter.status":      {"not_met", "partly", "indeterminate"},
		"recommendation":     marshalTokens[criteria.Recommendation](),
		"level":              {string(criteria.Required), string(criteria.Desired), string(criteria.Bonus)},
		"status":             tokens[lifecycle.Status](false),
		"event":              tokens[lifecycle.EventKind](true),
		"role":               tokens[lifecycle.ActorRole](true),
		"method":             tokens[lifecycle.ValidationMethod](true),
		"stage":              tokens[lifecycle.AppealStage](true),
		"appeal.stage":       tokens[lifecycle.AppealStage](true),
		"due":                tokens[lifecycle.DueKind](true),
		"monitoring":         tokens[lifecycle.MonitoringKind](true),
		"dimension":          tokens[risk.DimensionStatus](false),
		"control":            marshalTokens[risk.ControlKind]()[1:],
		"uncovered":          marshalTokens[risk.UncoveredReason](),
		"interval":           tokens[benefits.Interval](false),
		"gate":               tokens[phases.GateKind](true),
		"indicator":          tokens[phases.IndicatorStatus](false),
		"evaluation":         tokens[phases.EvaluationStatus](false),
		"phase":              tokens[phases.PhaseStatus](false),
		"operator":           tokens[phases.OperatorType](true),
		"history.lane":       {"application", "decision", "suspension", "monitoring", "appeal", "status", "deadlines"},
		"history.deadline":   {"open", "overdue", "closed"},
		"letter.verdict":     marshalTokens[criteria.Recommendation](),
		"period.year":        {"one", "other"},
		"period.month":       {"one", "other"},
		"period.day":         {"one", "other"},
		"period.working_day": {"one", "other"},
		"period.end":         {"eom", "eoy"},
		"period.roll":        {"next", "previous"},
		"value.entries":      {"one", "other"},
	}
	for prefix, toks := range prefixed {
		require.NotEmpty(t, toks, prefix)
		for _, tok := range toks {
			keys = append(keys, prefix+"."+tok)
		}
	}
	for m := 1; m <= 12; m++ {
		keys = append(keys, fmt.Sprintf("month.%d", m), fmt.Sprintf("month.short.%d", m))
	}
	for _, k := range keys {
		if _, ok := en[k]; !ok {
			t.Errorf("the English catalogue lacks %q", k)
		}
	}
}

func TestLocaleFormats(t *testing.T) {
	tests := []struct {
		tag    language.Tag
		f      func(l *locale) string
		want   string
		reason string
	}{
		{language.English, func(l *locale) string { return l.Date(time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)) }, "31 March 2025", "English long date"},
		{language.French, func(l *locale) string { return l.Date(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)) }, "1 mars 2025", "French long date"},
		{language.Spanish, func(l *locale) string { return l.Date(time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)) }, "31 de marzo de 2025", "Spanish long date"},
		{language.English, func(l *locale) string { return l.Period(calendar.Period{Days: 30}) }, "30 days", "plural"},
		{language.English, func(l *locale) string { return l.Period(calendar.Period{Years: 1}) }, "1 year", "singular"},
		{language.French, func(l *locale) string { return l.Period(calendar.Period{Years: 1, Months: 6}) }, "1 an et 6 mois", "two units joined"},
		{language.Spanish, func(l *locale) string { return l.Period(calendar.Period{Years: 2, Months: 1, Days: 3}) }, "2 años, 1 mes y 3 días", "three units"},
		{language.English, func(l *locale) string { return l.Num(1234.5) }, "1,234.5", "English grouping and decimal point"},
		{language.French, func(l *locale) string { return l.Period(calendar.Period{WorkingDays: 7}) }, "7 jours ouvrables", "working days"},
		{language.English, func(l *locale) string {
			return l.Period(calendar.Period{Months: 3, End: calendar.AnchorMonth, Roll: calendar.RollNext})
		}, "3 months to the end of that month (or the next working day)", "an end anchor and a roll rule are stated, not dropped"},
		{language.French, func(l *locale) string { return l.Num(0.25) }, "0,25", "French decimal comma"},
		{language.Spanish, func(l *locale) string { return l.Num(12) }, "12", "integers without decimals"},
		{language.English, func(l *locale) string { return l.Percent(0.998) }, "99%", "a share short of the whole never reads 100%"},
		{language.English, func(l *locale) string { return l.Label("status", "authorized") }, "authorized", "a catalogue label"},
		{language.French, func(l *locale) string { return l.Label("status", "authorized") }, "autorisé", "a translated label"},
		{language.French, func(l *locale) string { return l.Label("rating", "almost_certain") }, "almost certain", "a programme's own token, made readable"},
	}
	for _, tt := range tests {
		l, err := newLocale(tt.tag)
		require.NoError(t, err)
		assert.Equal(t, tt.want, tt.f(l), tt.reason)
	}
}
