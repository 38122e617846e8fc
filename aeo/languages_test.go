package aeo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
)

// languagesProgramme writes its operator texts per language, one of them
// in English only, and does not extend the baseline.
const languagesProgramme = `programme:
  name: Languages
  version: "1"
  language: en
facts:
  - {name: score, type: int}
criteria:
  - id: A
    title: {en: Compliance, fr: Conformité, es: Cumplimiento}
requirements:
  - id: A.1
    criterion: A
    title:
      en: A score of at least 80
      fr: Un score d'au moins 80
      es: Una puntuación de al menos 80
    when: facts.score >= 80
    source: National law, s. 1
    messages:
      not_met:
        internal: The score is below 80.
        operator:
          en: Your score is too low.
          fr: Votre score est trop bas.
          es: Su puntuación es demasiado baja.
      indeterminate:
        operator: Please give your score.
authorizations:
  - {id: AEO, title: {en: Authorized Economic Operator, fr: Opérateur économique agréé, es: Operador económico autorizado}}
`

func TestOperatorViewInLanguage(t *testing.T) {
	p, err := aeo.Parse("languages.yaml", []byte(languagesProgramme))
	require.NoError(t, err)
	assert.Equal(t, language.English, p.Language())
	assess := func(score any) *aeo.Assessment {
		prof := &aeo.Profile{OperatorID: "X", Facts: map[string]any{}}
		if score != nil {
			prof.Facts["score"] = score
		}
		a, err := p.Assess(context.Background(), prof, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		return a
	}
	notMet, undecided := assess(50), assess(nil)
	tests := []struct {
		name                 string
		a                    *aeo.Assessment
		prefs                []string
		title, message, auth string
		reason               string
	}{
		{"french", notMet, []string{"fr"}, "Un score d'au moins 80", "Votre score est trop bas.", "Opérateur économique agréé", "a language the texts have"},
		{"canadian french", notMet, []string{"fr-CA"}, "Un score d'au moins 80", "Votre score est trop bas.", "Opérateur économique agréé", "fr-CA is served by fr"},
		{"latin american spanish", notMet, []string{"es-419"}, "Una puntuación de al menos 80", "Su puntuación es demasiado baja.", "Operador económico autorizado", "es-419 is served by es"},
		{"portuguese", notMet, []string{"pt"}, "A score of at least 80", "Your score is too low.", "Authorized Economic Operator", "pt matches nothing: the programme's language"},
		{"none", notMet, nil, "A score of at least 80", "Your score is too low.", "Authorized Economic Operator", "no language asked: the programme's language"},
		{"accept-language order", notMet, []string{"de", "es", "fr"}, "Una puntuación de al menos 80", "Su puntuación es demasiado baja.", "Operador económico autorizado", "the first language written, in the reader's order"},
		{"untranslated message", undecided, []string{"fr"}, "Un score d'au moins 80", "Please give your score.", "Opérateur économique agréé", "a text written in English only is read in English"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var prefs []language.Tag
			for _, s := range tt.prefs {
				prefs = append(prefs, language.MustParse(s))
			}
			op := p.OperatorView(tt.a, prefs...)
			assert.Equal(t, "operator", op.View)
			f := op.Findings[0]
			assert.Equal(t, tt.title, f.Title, tt.reason)
			assert.Equal(t, tt.message, f.Messages.Operator, tt.reason)
			assert.Empty(t, f.Messages.Internal, "the operator view shows nothing internal in any language")
			assert.Equal(t, tt.auth, op.Authorizations[0].Title, tt.reason)
		})
	}
	// The internal view and the assessment itself stay in the
	// programme's language.
	assert.Equal(t, "Your score is too low.", notMet.Findings[0].Messages.Operator)
	assert.Equal(t, "The score is below 80.", notMet.Findings[0].Messages.Internal)
	assert.Equal(t, "A score of at least 80", notMet.Findings[0].Title)
}

func TestOperatorViewOfAnotherProgrammeIsNotTranslated(t *testing.T) {
	p, err := aeo.Parse("languages.yaml", []byte(languagesProgramme))
	require.NoError(t, err)
	other, err := aeo.Parse("languages.yaml", []byte(strings.Replace(languagesProgramme, `version: "1"`, `version: "2"`, 1)))
	require.NoError(t, err)
	a, err := other.Assess(context.Background(), &aeo.Profile{OperatorID: "X", Facts: map[string]any{"score": 1}}, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	op := p.OperatorView(a, language.French)
	assert.Equal(t, "Your score is too low.", op.Findings[0].Messages.Operator, "texts are translated only by the programme that made the assessment")
}

func TestProgrammeLanguage(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		wantErr string
		reason  string
	}{{
		name:    "bad tag",
		src:     strings.Replace(languagesProgramme, "language: en", "language: english", 1),
		wantErr: `languages.yaml:4:13: programme.language: "english" is not a BCP 47 language tag`,
		reason:  "programme.language is validated, at its line",
	}, {
		name:    "no text in the programme's language",
		src:     strings.Replace(languagesProgramme, "language: en", "language: de", 1),
		wantErr: "languages.yaml:9:12: criteria[0].title: the text has no de version, the programme's language",
		reason:  "every reader falls back to the programme's language, so a text written per language must have it",
	}, {
		name:    "empty translation",
		src:     strings.Replace(languagesProgramme, "fr: Votre score est trop bas.", `fr: ""`, 1),
		wantErr: "languages.yaml:24:11: requirements[0].messages.not_met.operator.fr: the fr text is empty",
		reason:  "an empty text is an error at its key",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := aeo.Parse("languages.yaml", []byte(tt.src))
			require.Error(t, err, tt.reason)
			assert.Contains(t, err.Error(), tt.wantErr, tt.reason)
		})
	}
}

func TestPlainTextsAreInTheirFilesLanguage(t *testing.T) {
	// A French programme extending the English baseline: its own plain
	// texts are French, the baseline's keep their languages, and an
	// operator asking for nothing reads French where the texts have it.
	src := `programme: {name: Programme national, version: "1", language: fr}
extends: baseline
requirements:
  - id: XX.1
    criterion: A
    title: Un score national d'au moins 80
    when: "true"
    source: Code des douanes, art. 1
`
	p, err := aeo.Parse("fr.yaml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, language.French, p.Language())
	var xx criteria.Requirement
	for _, r := range p.File().Requirements {
		if r.ID == "XX.1" {
			xx = r
		}
	}
	assert.True(t, xx.Title.Has(language.French, language.Und), "a plain text is in its file's language")
	assert.Equal(t, []string{"fr", "en", "es"}, tagStrings(p.Languages()), "the programme's language first, then the others it uses")
	a, err := p.Assess(context.Background(), &aeo.Profile{OperatorID: "X"}, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	f, ok := a.Finding("A.1")
	require.True(t, ok)
	assert.Equal(t, "Aucune infraction douanière ou fiscale grave ou répétée pendant la période du programme", f.Title, "findings are titled in the programme's language")
	// Its own texts lack en and es.
	var missing []string
	for _, m := range p.MissingTexts(language.English, language.Spanish) {
		if m.File == "fr.yaml" {
			missing = append(missing, m.Language+" "+m.Path)
		}
	}
	assert.Equal(t, []string{"en requirements[0].title", "es requirements[0].title"}, missing)
}

func tagStrings(tags []language.Tag) []string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = t.String()
	}
	return out
}
