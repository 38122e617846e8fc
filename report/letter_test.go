package report

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

func TestRights(t *testing.T) {
	days := func(n int) calendar.Period { return calendar.Period{Days: n} }
	tests := []struct {
		name          string
		cfg           *lifecycle.Config
		wantDeadlines []string
		wantSteps     []string
		wantNote      bool
		reason        string
	}{{
		name:          "no lifecycle",
		cfg:           nil,
		wantDeadlines: []string{"The programme sets no time limit for the decision."},
		wantSteps: []string{
			"ask Customs to review the decision (no time limit set);",
			"appeal to an independent body (no time limit set);",
			"appeal to a court (no time limit set).",
		},
		wantNote: true,
		reason:   "without stages the RKC Chapter 10 chain applies, and the letter says no limit is set rather than invent one",
	}, {
		name: "stages with windows",
		cfg: &lifecycle.Config{
			DecisionDeadline: days(120), DecisionExtension: days(60),
			ReapplyBar: lifecycle.ReapplyBar{AfterRefusal: calendar.Period{Years: 1}},
			Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{
				{Stage: lifecycle.StageRequestReasons, Window: days(15)},
				{Stage: lifecycle.StageCustomsReview, Window: days(30), DecisionDeadline: days(60)},
				{Stage: lifecycle.StageJudicial, Window: days(60)},
			}},
		},
		wantDeadlines: []string{
			"Customs decides on your application within 120 days of accepting it. This time may be extended once, by 60 days.",
			"After a refusal, a new application is accepted 1 year after the decision.",
		},
		wantSteps: []string{
			"ask Customs for the full reasons for the decision within 15 days of the decision;",
			"ask Customs to review the decision within 30 days of the decision, to be decided within 60 days;",
			"appeal to a court within 60 days of the dismissal at the previous stage.",
		},
		reason: "the first review stage runs from the decision, the later ones from the dismissal before",
	}, {
		name: "window for refusals",
		cfg: &lifecycle.Config{Appeal: lifecycle.AppealRules{
			Stages:  []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: days(30)}},
			Windows: map[string]calendar.Period{"refusal": days(90), "suspension": days(30)},
		}},
		wantDeadlines: []string{"The programme sets no time limit for the decision."},
		wantSteps:     []string{"ask Customs to review the decision within 90 days of the decision;"},
		reason:        "C-TPAT: a refusal has its own window at the first review stage",
	}, {
		name: "informal review only",
		cfg: &lifecycle.Config{
			Validity: lifecycle.ValidityRules{Term: calendar.Period{Years: 3}},
			Appeal: lifecycle.AppealRules{
				Stages:         []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: days(30)}},
				InformalReview: lifecycle.InformalReviewRules{Decisions: []string{"refusal"}, Window: days(30), DecisionDeadline: calendar.Period{WorkingDays: 20}},
			},
		},
		wantDeadlines: []string{"The programme sets no time limit for the decision.", "A status granted is valid for 3 years and may be renewed."},
		wantSteps:     []string{"ask Customs for an informal review of the decision within 30 days of the decision, to be decided within 20 working days."},
		wantNote:      true,
		reason:        "Canada PIP: a refused application is reviewed informally; the formal stages, open to other decisions, are not offered",
	}, {
		name:          "refusal not appealable",
		cfg:           &lifecycle.Config{DecisionDeadline: days(90), Appeal: lifecycle.AppealRules{Excluded: []string{"refusal"}}},
		wantDeadlines: []string{"Customs decides on your application within 90 days of accepting it."},
		wantNote:      true,
		reason:        "Canada PIP: no formal appeal of a refusal; the letter must not promise one",
	}}
	l, err := newLocale(language.English)
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			deadlines, steps, note := l.rights(tt.cfg)
			if diff := cmp.Diff(tt.wantDeadlines, deadlines); diff != "" {
				t.Errorf("deadlines mismatch (-want +got); %s:\n%s", tt.reason, diff)
			}
			if diff := cmp.Diff(tt.wantSteps, steps); diff != "" {
				t.Errorf("steps mismatch (-want +got); %s:\n%s", tt.reason, diff)
			}
			if (note != "") != tt.wantNote {
				t.Errorf("note = %q, want one: %v; %s", note, tt.wantNote, tt.reason)
			}
		})
	}
}
