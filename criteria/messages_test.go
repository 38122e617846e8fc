package criteria_test

import (
	"testing"

	"golang.org/x/text/language"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
)

func TestMessagesFor(t *testing.T) {
	full := criteria.Messages{
		NotMet:        &criteria.OutcomeMessage{Internal: "i-not", Operator: criteria.NewText("o-not")},
		Partly:        &criteria.OutcomeMessage{Operator: criteria.NewText("o-partly")},
		Indeterminate: &criteria.OutcomeMessage{Operator: criteria.NewText("o-undecided")},
	}
	short := criteria.Messages{Internal: "i-short", Operator: criteria.NewText("o-short")}
	tests := []struct {
		name   string
		m      criteria.Messages
		o      criteria.Outcome
		want   criteria.Message
		reason string
	}{
		{"not met", full, criteria.NotMet, criteria.Message{Internal: "i-not", Operator: "o-not"}, "each outcome its own message"},
		{"partly", full, criteria.Partly, criteria.Message{Operator: "o-partly"}, "partly met is told apart from not met"},
		{"indeterminate", full, criteria.Indeterminate, criteria.Message{Operator: "o-undecided"}, "undecided is not a finding against the operator"},
		{"met", full, criteria.Met, criteria.Message{}, "a met finding carries no message"},
		{"equivalent", full, criteria.Equivalent, criteria.Message{}, "nor one satisfied by equivalence"},
		{"not applicable", full, criteria.NotApplicable, criteria.Message{}, "nor one that does not apply"},
		{"short form is not met", short, criteria.NotMet, criteria.Message{Internal: "i-short", Operator: "o-short"}, "the short form is the not-met message"},
		{"short form says nothing when partly", short, criteria.Partly, criteria.Message{}, "no text written for partly met"},
		{"short form says nothing when undecided", short, criteria.Indeterminate, criteria.Message{}, "the not-met text would accuse an operator nothing was found against"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.m.For(tt.o, language.English), tt.reason)
		})
	}
}

func TestMessagesBothFormsRefused(t *testing.T) {
	_, err := criteria.Compile(criteria.Config{
		Criteria: []criteria.Criterion{{ID: "A", Title: criteria.NewText("a")}},
		Requirements: []criteria.Requirement{{ID: "A.1", Criterion: "A", Title: criteria.NewText("t"), Source: "s", When: "true",
			Messages: criteria.Messages{Operator: criteria.NewText("short"), NotMet: &criteria.OutcomeMessage{Operator: criteria.NewText("long")}}}},
	})
	require.ErrorContains(t, err, "requirements[0].messages: give the not_met message either under not_met or as the short form")
}

func TestFindingCarriesTheMessageOfItsOutcome(t *testing.T) {
	set := criteria.MustCompile(criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "x", Type: "int"}},
		Criteria: []criteria.Criterion{{ID: "A", Title: criteria.NewText("a")}},
		Requirements: []criteria.Requirement{{ID: "A.1", Criterion: "A", Title: criteria.NewText("t"), Source: "s", When: "facts.x > 1", Partly: "facts.x > 0",
			Messages: criteria.Messages{
				NotMet:        &criteria.OutcomeMessage{Internal: "i", Operator: criteria.NewText("not met")},
				Partly:        &criteria.OutcomeMessage{Operator: criteria.NewText("partly")},
				Indeterminate: &criteria.OutcomeMessage{Operator: criteria.NewText("undecided")},
			}}},
	})
	for _, tt := range []struct {
		facts map[string]any
		want  string
	}{{map[string]any{"x": 2}, ""}, {map[string]any{"x": 1}, "partly"}, {map[string]any{"x": 0}, "not met"}, {nil, "undecided"}} {
		res, err := set.Evaluate(t.Context(), &criteria.Facts{Values: tt.facts})
		require.NoError(t, err)
		assert.Equal(t, tt.want, res.Findings[0].Messages.Operator, "facts %v", tt.facts)
		op := res.OperatorView()
		assert.Equal(t, tt.want, op.Findings[0].Messages.Operator)
		assert.Empty(t, op.Findings[0].Messages.Internal)
	}
}
