package lifecycle_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// TestPeriodsAreBounded checks that a period so long that a deadline
// would wrap into the past, or fall after the year 9999, is refused: in
// the programme by New, in an event by Apply.
func TestPeriodsAreBounded(t *testing.T) {
	tests := []struct {
		name   string
		p      calendar.Period
		ok     bool
		reason string
	}{
		{"ten years", calendar.Years(10), true, "a long legal period"},
		{"the bound", calendar.Years(lifecycle.MaxPeriodYears), true, "the bound itself is allowed"},
		{"over the bound", calendar.Years(lifecycle.MaxPeriodYears + 1), false, "centuries are no legal period"},
		{"overflowing years", calendar.Period{Years: math.MaxInt64 / 2}, false, "time.Date wraps such a year into the past"},
		{"overflowing days", calendar.Period{Days: math.MaxInt32}, false, "days count too"},
		{"parts adding up", calendar.Period{Years: 150, Months: 600, Days: 1}, false, "150 years and 50 more in months"},
		{"negative", calendar.Period{Months: -1}, false, "a deadline before the event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := loadConfig(t, "eu")
			cfg.DecisionDeadline = tt.p
			_, err := lifecycle.New(cfg, testFP, testDependsOn())
			if tt.ok {
				require.NoError(t, err, tt.reason)
			} else {
				require.ErrorContains(t, err, "decision_deadline", tt.reason)
			}

			l := machineFor(t, "eu")
			f := authorizedFlow(t, l, ymd(2025, 1, 6), "", "AEOC")
			ev := withReasons(officerEvent(lifecycle.EventRequestCorrectiveAction, ymd(2025, 3, 1)))
			ev.Period = tt.p
			err = f.try(ev)
			if tt.ok {
				require.NoError(t, err, tt.reason)
			} else {
				requireRule(t, err, lifecycle.ErrInvalidEvent, "event.period", tt.reason)
			}
		})
	}
}

// TestDatesStayWithinTheYears checks that an event dated outside the years
// 1 to 9999, or one whose deadlines would fall after 9999, is refused:
// the state must stay what JSON can hold.
func TestDatesStayWithinTheYears(t *testing.T) {
	l := machineFor(t, "eu")
	for _, at := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)} {
		requireRule(t, startFlow(t, l).try(lodgeEvent(at, "", "AEOC")), lifecycle.ErrInvalidEvent, "event.at", "a date JSON cannot hold")
	}
	// The EU decides within 120 days of acceptance: accepted in December
	// 9999, the deadline would fall in 10000.
	f := startFlow(t, l).do(lodgeEvent(time.Date(9999, 11, 30, 0, 0, 0, 0, time.UTC), "", "AEOC"))
	err := f.try(acceptEvent(time.Date(9999, 12, 1, 0, 0, 0, 0, time.UTC)))
	requireRule(t, err, lifecycle.ErrInvalidEvent, "event.at", "a deadline after 9999")
	assert.ErrorContains(t, err, "decision_due would fall after the year 9999")
	startFlow(t, l).do(lodgeEvent(time.Date(9990, 1, 1, 0, 0, 0, 0, time.UTC), "", "AEOC")).do(acceptEvent(time.Date(9990, 1, 2, 0, 0, 0, 0, time.UTC)))
}
