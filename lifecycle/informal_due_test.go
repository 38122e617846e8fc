package lifecycle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// TestInformalReviewDue checks the due item of an informal review: the
// review is not one of the stages the programme lists, so its item names
// the informal review's own deadline, while an appeal at a listed stage
// names that stage's key.
func TestInformalReviewDue(t *testing.T) {
	l := newMachine(t, lifecycle.Config{Appeal: lifecycle.AppealRules{
		Stages: []lifecycle.AppealStageRule{
			{Stage: lifecycle.StageCustomsReview, Window: calendar.Days(30), DecisionDeadline: calendar.Days(90)},
		},
		InformalReview: lifecycle.InformalReviewRules{Decisions: []string{"refusal"}, Window: calendar.Days(30), DecisionDeadline: calendar.Days(60)},
	}})
	day := ymd(2025, time.January, 6)
	refused := ymd(2025, time.March, 3)
	tests := []struct {
		name    string
		decide  lifecycle.Event
		stage   lifecycle.AppealStage
		wantDue time.Time
		rule    string // the key of the time rule the item names
		reason  string
	}{
		{"an informal review", decideEvent(lifecycle.EventRefuse, refused), lifecycle.StageInformalReview,
			dateAt(2025, time.May, 9), "appeal.informal_review.decision_deadline",
			"a refusal open only to an informal review, lodged on 10 March: 60 days to conclude it, under the informal review's own deadline"},
		{"a review at the listed stage", decideEvent(lifecycle.EventRevoke, refused), lifecycle.StageCustomsReview,
			dateAt(2025, time.June, 8), "appeal.stages[0].decision_deadline",
			"a revocation appealed to Customs on 10 March: 90 days to rule, under the first listed stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *flow
			if tt.decide.Kind == lifecycle.EventRefuse {
				f = startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day))
			} else {
				f = granted(t, l, day, "AEO")
			}
			f.do(tt.decide).do(appealEvent(ymd(2025, time.March, 10), tt.stage, lifecycle.DecisionNone))
			var items []lifecycle.DueItem
			for _, it := range l.Due(f.a, ymd(2025, time.March, 11)) {
				if it.Kind == lifecycle.DueAppealDecision {
					items = append(items, it)
				}
			}
			require.Len(t, items, 1, tt.reason)
			assert.Equal(t, tt.wantDue, items[0].Due, tt.reason)
			assert.Equal(t, tt.rule, items[0].Rule, tt.reason)
			assert.True(t, l.TimeRule(items[0].Rule), "%s names a time rule of the programme: %s", items[0].Rule, tt.reason)
		})
	}
}
