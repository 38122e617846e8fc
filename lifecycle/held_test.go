package lifecycle_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// Tests of events on an authorization held: the holder's surrender of some
// or all of its types, and the grade a reassessment or a renewal gives.

func TestSurrender(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.January, 6)
	at := ymd(2025, time.June, 2)
	tests := []struct {
		name       string
		types      []string
		wantStatus lifecycle.Status
		wantTypes  []string
		reason     string
	}{
		{"one type of two", []string{"AEOS"}, lifecycle.StatusAuthorized, []string{"AEOC"},
			"the holder gives up AEOS and keeps AEOC in force"},
		{"every type named", []string{"AEOC", "AEOS"}, lifecycle.StatusWithdrawn, nil,
			"nothing is left held: the authorization is withdrawn"},
		{"the whole authorization", nil, lifecycle.StatusWithdrawn, nil,
			"naming no type surrenders them all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
			ev := withReasons(operatorEvent(lifecycle.EventWithdraw, at), "the business is sold")
			ev.Types = tt.types
			f.do(ev)
			assert.Equal(t, tt.wantStatus, f.a.Status, tt.reason)
			var held []string
			for _, ty := range f.a.Types {
				held = append(held, ty.Type)
			}
			assert.Equal(t, tt.wantTypes, held, tt.reason)
			assert.Equal(t, tt.wantTypes, nilIfEmpty(f.a.ActiveTypes(at)), tt.reason)
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// TestGradeConfirmed checks the grade a reassessment confirms and a
// renewal renews: the one the decision names, or the one held when it
// names none, and in either case only one the assessment recommends.
func TestGradeConfirmed(t *testing.T) {
	eu := machineFor(t, "eu")
	renewing := newMachine(t, lifecycle.Config{Validity: lifecycle.ValidityRules{Term: calendar.Years(5), RenewalWindow: calendar.Months(6)}})
	reassessedAt, renewedAt := ymd(2026, time.March, 2), ymd(2029, time.January, 15)
	// Each way to a decision on the grade: the flow up to it, the
	// decision event, and what else the decision settles.
	ways := []struct {
		name    string
		upTo    func(t *testing.T) *flow
		decide  lifecycle.Event
		settled func(t *testing.T, a lifecycle.Authorization)
	}{{
		name: "reassessment",
		upTo: func(t *testing.T) *flow {
			return authorizedFlow(t, eu, ymd(2025, time.January, 6), "T1", "AEOC", "AEOS").
				do(officerEvent(lifecycle.EventStartReassessment, reassessedAt)).
				do(validateEvent(reassessedAt.AddDate(0, 0, 7), lifecycle.ValidationOnSite, true))
		},
		decide: officerEvent(lifecycle.EventConfirmReassessment, reassessedAt.AddDate(0, 0, 14)),
		settled: func(t *testing.T, a lifecycle.Authorization) {
			assert.True(t, a.ReassessmentOpen.IsZero(), "the reassessment is closed")
		},
	}, {
		name: "renewal",
		upTo: func(t *testing.T) *flow {
			return startFlow(t, renewing).
				do(lodgeEvent(ymd(2023, time.December, 1), "T1", "AEOC", "AEOS")).
				do(acceptEvent(ymd(2023, time.December, 2))).
				do(validateEvent(ymd(2024, time.February, 23), lifecycle.ValidationOnSite, true)).
				do(grantEvent(ymd(2024, time.March, 1), "T1", "AEOC", "AEOS")).
				do(operatorEvent(lifecycle.EventLodgeRenewal, ymd(2028, time.December, 1)))
		},
		decide: decideEvent(lifecycle.EventRenew, renewedAt),
		settled: func(t *testing.T, a lifecycle.Authorization) {
			assert.Nil(t, a.Renewal, "the renewal is decided")
			assert.Equal(t, dateAt(2034, time.March, 1), a.ValidUntil, "a further term from the end of the last")
		},
	}}
	tests := []struct {
		name      string
		grade     string
		recommend string
		ok        bool
		want      string
		reason    string
	}{
		{"no grade given", "", "T1", true, "T1",
			"a decision that names no grade keeps the grade held, on an assessment that recommends it"},
		{"a new grade", "T2", "T2", true, "T2",
			"the grade named is the one given, on an assessment that recommends it"},
		{"no grade given, the held grade not recommended", "", "T2", false, "",
			"the grade held must be the one the assessment recommends"},
		{"a new grade not recommended", "T2", "T1", false, "",
			"a grade the assessment does not recommend is not given"},
	}
	for _, w := range ways {
		for _, tt := range tests {
			t.Run(w.name+"/"+tt.name, func(t *testing.T) {
				f := w.upTo(t)
				ev := w.decide
				ev.Grade = tt.grade
				ev.Assessment = assessmentRef(ev.At, tt.recommend, "AEOC", "AEOS")
				err := f.try(ev)
				if !tt.ok {
					requireRule(t, err, lifecycle.ErrNotRecommended, "recommended", tt.reason)
					return
				}
				require.NoError(t, err, tt.reason)
				w.settled(t, f.a)
				for _, ty := range f.a.Types {
					assert.Equal(t, tt.want, ty.Grade, "%s: %s", ty.Type, tt.reason)
				}
			})
		}
	}
}
