package criteria_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/decode"
)

// textHolder is a key holding a Text, as a programme file's keys do.
type textHolder struct {
	Operator criteria.Text `json:"operator"`
}

func TestTextDecode(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    map[string]string // language (und for a plain text) → text
		plain   bool
		wantErr string
		reason  string
	}{{
		name:   "string",
		src:    "operator: Please declare your infringements.\n",
		want:   map[string]string{"und": "Please declare your infringements."},
		plain:  true,
		reason: "a plain string is the text in the programme's language",
	}, {
		name:   "mapping",
		src:    "operator:\n  en: Please declare.\n  fr: Veuillez déclarer.\n  es: Sírvase declarar.\n",
		want:   map[string]string{"en": "Please declare.", "fr": "Veuillez déclarer.", "es": "Sírvase declarar."},
		reason: "a mapping gives the text per language",
	}, {
		name:   "regional tag canonicalised",
		src:    "operator: {en: Declare., ES_419: Declare usted., fr-ca: Déclarez.}\n",
		want:   map[string]string{"en": "Declare.", "es-419": "Declare usted.", "fr-CA": "Déclarez."},
		reason: "tags are BCP 47, read in any case and with underscores, kept in canonical form",
	}, {
		name:    "bad tag",
		src:     "operator:\n  en: Declare.\n  xx: Something.\n",
		wantErr: `t.yaml:3:3: operator.xx: "xx" is not a BCP 47 language tag`,
		reason:  "a well-formed but unknown language is refused at its key",
	}, {
		name:    "unknown key",
		src:     "operator:\n  en: Declare.\n  default: Something.\n",
		wantErr: `t.yaml:3:3: operator.default: "default" is not a BCP 47 language tag`,
		reason:  "a key that is no language tag is refused, not ignored",
	}, {
		name:    "und refused",
		src:     "operator: {und: Declare.}\n",
		wantErr: `t.yaml:1:12: operator.und: "und" is not a BCP 47 language tag`,
		reason:  "und names no language a reader could ask for",
	}, {
		name:    "empty string",
		src:     "operator: \"\"\n",
		wantErr: "t.yaml:1:11: operator: the text is empty",
		reason:  "an empty text says nothing to the operator",
	}, {
		name:    "empty translation",
		src:     "operator:\n  en: Declare.\n  fr: \"  \"\n",
		wantErr: "t.yaml:3:3: operator.fr: the fr text is empty",
		reason:  "a blank translation would show the operator nothing",
	}, {
		name:    "empty mapping",
		src:     "operator: {}\n",
		wantErr: "t.yaml:1:11: operator: want a text, or a mapping from language to text, not an empty mapping",
		reason:  "a mapping with no language has no text",
	}, {
		name:    "same language twice",
		src:     "operator: {fr: Déclarez., FR: Déclarez.}\n",
		wantErr: "operator.FR: FR is given twice (as fr)",
		reason:  "two spellings of one tag are one language given twice",
	}, {
		name:    "duplicate key",
		src:     "operator: {fr: Déclarez., fr: Déclarez.}\n",
		wantErr: `operator.fr: duplicate key "fr"`,
		reason:  "the decoder's duplicate-key rule holds inside a text",
	}, {
		name:    "wrong type list",
		src:     "operator: [Declare.]\n",
		wantErr: "t.yaml:1:11: operator: want a text, or a mapping from language to text, not a list",
		reason:  "a list is neither form",
	}, {
		name:    "wrong type nested",
		src:     "operator:\n  fr: {text: Déclarez.}\n",
		wantErr: "t.yaml:2:7: operator.fr: want a text, not a mapping of keys",
		reason:  "a language's text is one string",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h textHolder
			_, err := decode.DecodeInto("t.yaml", []byte(tt.src), &h)
			if tt.wantErr != "" {
				require.Error(t, err, tt.reason)
				assert.Contains(t, err.Error(), tt.wantErr, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			got := map[string]string{}
			for _, l := range h.Operator.Languages() {
				got[l.String()] = h.Operator.In(language.Und, l)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("texts (-want +got):\n%s\n%s", d, tt.reason)
			}
			assert.Equal(t, tt.plain, h.Operator.Plain(), tt.reason)
		})
	}
}

func TestTextJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name, src, want string
		reason          string
	}{
		{"plain", `"Declare."`, `"Declare."`, "a plain text is written back as one string, so fingerprints of plain programmes do not change"},
		{"mapping", `{"en":"Declare.","fr":"Déclarez."}`, `{"en":"Declare.","fr":"Déclarez."}`, "a text per language is written back per language, in the order written"},
		{"canonical", `{"FR-ca":"Déclarez."}`, `{"fr-CA":"Déclarez."}`, "tags are written in canonical form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var x criteria.Text
			require.NoError(t, json.Unmarshal([]byte(tt.src), &x), tt.reason)
			b, err := json.Marshal(x)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b), tt.reason)
			var y criteria.Text
			require.NoError(t, json.Unmarshal(b, &y))
			assert.True(t, x.Equal(y), tt.reason)
		})
	}
	for _, bad := range []string{`""`, `{}`, `{"xx":"a"}`, `{"fr":3}`, `[]`, `{"fr":""}`} {
		var x criteria.Text
		assert.Error(t, json.Unmarshal([]byte(bad), &x), "%s is refused as encoding/json reads it too", bad)
	}
}

func TestTextIn(t *testing.T) {
	full := criteria.NewText("Declare.").Tagged(language.English).
		With(language.French, "Déclarez.").
		With(language.Spanish, "Declare.es")
	frCA := criteria.NewText("Declare.").With(language.MustParse("fr-CA"), "Déclarez (CA).")
	tests := []struct {
		name   string
		text   criteria.Text
		def    language.Tag
		prefs  []string
		want   string
		reason string
	}{
		{"exact", full, language.English, []string{"fr"}, "Déclarez.", "a language the text has is served as is"},
		{"region to language", full, language.English, []string{"fr-CA"}, "Déclarez.", "fr-CA is served by fr"},
		{"latin american spanish", full, language.English, []string{"es-419"}, "Declare.es", "es-419 is served by es"},
		{"unknown falls back", full, language.English, []string{"pt"}, "Declare.", "pt matches nothing: the programme's language"},
		{"no preference", full, language.English, nil, "Declare.", "no language asked: the programme's language"},
		{"order of preference", full, language.English, []string{"de", "es", "fr"}, "Declare.es", "the first language the text has, in the reader's order"},
		{"regional preference first", full, language.English, []string{"fr-CA", "en"}, "Déclarez.", "fr-CA before en chooses fr, though en is exact"},
		{"plain text fallback", frCA, language.English, []string{"de"}, "Declare.", "a plain text is in the programme's language and is the fallback"},
		{"language to region", frCA, language.English, []string{"fr"}, "Déclarez (CA).", "fr is served by fr-CA when that is all the text has"},
		{"programme language not first", criteria.NewText("x").Tagged(language.French).With(language.English, "y"), language.English, []string{"pt"}, "y", "the fallback is the programme's language wherever it is written"},
		{"zero", criteria.Text{}, language.English, []string{"fr"}, "", "an empty text says nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prefs []language.Tag
			for _, p := range tt.prefs {
				prefs = append(prefs, language.MustParse(p))
			}
			assert.Equal(t, tt.want, tt.text.In(tt.def, prefs...), tt.reason)
		})
	}
}

func TestTextHas(t *testing.T) {
	en, fr, es := language.English, language.French, language.Spanish
	plain := criteria.NewText("Declare.")
	tests := []struct {
		name      string
		text      criteria.Text
		lang, def language.Tag
		want      bool
		reason    string
	}{
		{"plain in the programme's language", plain, en, en, true, "a plain text is written in the programme's language"},
		{"plain in another language", plain, fr, en, false, "a plain text says nothing in French when the programme is in English"},
		{"plain in a French programme", plain, fr, fr, true, "the same plain text is French in a French programme"},
		{"tagged plain", plain.Tagged(fr), fr, en, true, "once tagged, the text is in its tag's language"},
		{"tagged plain, programme's language", plain.Tagged(fr), en, en, false, "a text tagged French is not English because the programme is"},
		{"mapping", plain.Tagged(en).With(es, "Declare.es"), es, en, true, "a language of the mapping"},
		{"mapping without it", plain.Tagged(en).With(es, "Declare.es"), fr, en, false, "a language the mapping lacks"},
		{"region is not the language", plain.Tagged(en).With(language.MustParse("fr-CA"), "x"), fr, en, false, "Has is exact: fr-CA is not fr"},
		{"zero", criteria.Text{}, en, en, false, "an empty text is in no language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.text.Has(tt.lang, tt.def), tt.reason)
		})
	}
}

func TestTextValues(t *testing.T) {
	en, fr := language.English, language.French
	plain := criteria.NewText("Declare.")
	assert.True(t, criteria.NewText("").IsZero(), "an empty string is no text")
	assert.True(t, plain.Plain())
	assert.Equal(t, []language.Tag{language.Und}, plain.Languages(), "a plain text's language is not known until tagged")

	tagged := plain.Tagged(en)
	assert.True(t, tagged.Plain(), "a tagged plain text is still written as one string")
	assert.Equal(t, []language.Tag{en}, tagged.Languages())
	assert.Equal(t, []language.Tag{language.Und}, plain.Languages(), "Tagged leaves the text it is called on alone")
	assert.True(t, tagged.Tagged(en).Equal(tagged), "tagging again in the same language changes nothing")
	assert.Equal(t, []language.Tag{fr}, tagged.Tagged(fr).Languages(), "a plain text takes the language it is tagged with last")

	both := tagged.With(fr, "Déclarez.")
	assert.False(t, both.Plain(), "a text in two languages is a mapping")
	assert.True(t, both.Tagged(fr).Equal(both), "a mapping is not retagged")
	assert.Equal(t, []language.Tag{en, fr}, both.Languages(), "in the order written")
	assert.Equal(t, []language.Tag{en}, tagged.Languages(), "With leaves the text it is called on alone")
	replaced := both.With(en, "Declare now.")
	assert.Equal(t, []language.Tag{fr, en}, replaced.Languages(), "With replaces the text in exactly that language")
	assert.Equal(t, "Declare now.", replaced.In(en, en))
	assert.Equal(t, "Déclarez.", replaced.String(), "String is the text written first")
	assert.False(t, replaced.Equal(both), "different texts are not equal")
	assert.False(t, both.Equal(both.With(fr, "Déclarez.").With(en, "Declare.")), "the same texts in another order are written differently")
	assert.True(t, both.Equal(tagged.With(fr, "Déclarez.")))
	assert.Empty(t, criteria.Text{}.String())
}

func TestTextEdges(t *testing.T) {
	en, fr := language.English, language.French
	zero := criteria.Text{}.With(fr, "Déclarez.")
	assert.Equal(t, []language.Tag{fr}, zero.Languages(), "With on the zero Text makes a text in one language")
	assert.Equal(t, "Déclarez.", zero.In(en), "its only text, whatever is asked")

	// A plain text, in the programme's language, beside a text written
	// in that language by its tag: the one written first is the fallback.
	both := criteria.NewText("Declare.").With(en, "Declare now.")
	assert.Equal(t, "Declare.", both.In(en), "no language asked: the text written first in the programme's language")
	assert.Equal(t, "Declare.", both.In(en, language.German), "a language the text lacks: the same fallback")

	var x criteria.Text
	for _, blank := range []string{"", "  ", "\n"} {
		assert.Error(t, x.UnmarshalJSON([]byte(blank)), "%q is no text", blank)
	}
}

func FuzzTextDecode(f *testing.F) {
	f.Add("operator: Declare.\n")
	f.Add("operator: {en: Declare., fr: Déclarez., es-419: Declare.}\n")
	f.Add("operator:\n  en: a\n  fr: [b]\n")
	f.Add("operator: {xx: a, '': b}\n")
	f.Fuzz(func(t *testing.T, src string) {
		var h textHolder
		if _, err := decode.DecodeInto("f.yaml", []byte(src), &h); err != nil {
			return
		}
		// Whatever decodes round-trips through JSON and serves every
		// language it has.
		b, err := json.Marshal(h.Operator)
		if err != nil {
			t.Fatalf("marshal %q: %v", src, err)
		}
		if h.Operator.IsZero() {
			return
		}
		var back criteria.Text
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("unmarshal %s (from %q): %v", b, src, err)
		}
		if !back.Equal(h.Operator) {
			t.Fatalf("round trip of %q changed the text: %s", src, b)
		}
		for _, l := range h.Operator.Languages() {
			if h.Operator.In(language.English, l) == "" {
				t.Fatalf("%q: no text for %s, a language it has", src, l)
			}
		}
	})
}
