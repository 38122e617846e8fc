package lifecycle_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/lifecycle"
)

// TestStateDatesJSONCanHold gives Apply a state, as a host stores it, that
// carries a date at or beyond the years JSON can hold (0 to 9999): a state
// JSON holds is taken as it is, one it cannot hold is refused rather than
// recorded.
func TestStateDatesJSONCanHold(t *testing.T) {
	l := machineFor(t, "eu")
	tests := []struct {
		name   string
		year   int
		ok     bool
		reason string
	}{
		{"the year 0", 0, true, "the first year JSON holds: a bar long run out"},
		{"the year 9999", 9999, true, "the last year JSON holds"},
		{"the year -1", -1, false, "a year before 0 has no JSON form"},
		{"the year 10000", 10000, false, "a year after 9999 has no JSON form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			until := time.Date(tt.year, time.June, 1, 0, 0, 0, 0, time.UTC)
			a := authorizedFlow(t, l, ymd(2025, time.January, 6), "", "AEOC").a
			a.Bars = []lifecycle.ReapplicationBar{{Type: "AEOS", Until: until, Rule: "reapply_bar.after_withdrawal"}}
			_, jsonErr := json.Marshal(a)
			require.Equal(t, tt.ok, jsonErr == nil, "the premise: JSON holds the year %d", tt.year)

			mon := officerEvent(lifecycle.EventMonitor, ymd(2025, time.March, 3))
			mon.Evidence = []string{"visit"}
			next, _, err := l.Apply(a, mon)
			if !tt.ok {
				requireRule(t, err, lifecycle.ErrInvalidEvent, "event.at", tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, lifecycle.StatusAuthorized, next.Status, tt.reason)
			require.Equal(t, until, next.Bars[0].Until, "the bar is kept as it was")
		})
	}
}
