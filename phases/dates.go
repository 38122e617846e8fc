package phases

import (
	"fmt"
	"time"
)

// Event dates must fall in [minYear, maxYear]. Every date derived from an
// event (a due evaluation, the opening of a wave) lies at most maxMonths
// later, so it too has the four-digit year that RFC 3339, and so JSON, needs.
const (
	minYear = 1
	maxYear = 9999 - maxMonths/12 - 1
)

// checkDate reports why t cannot date an event, or nil.
func checkDate(t time.Time) error {
	if t.IsZero() {
		return fmt.Errorf("phases: event has no date: %w", ErrInvalidEvent)
	}
	if y := t.Year(); y < minYear || y > maxYear {
		return fmt.Errorf("phases: event year %d outside [%d, %d]: %w", y, minYear, maxYear, ErrInvalidEvent)
	}
	// RFC 3339 offsets have whole minutes and fewer than 24 hours; any other
	// offset would not survive a JSON round trip of the state.
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		return fmt.Errorf("phases: event date has zone offset %ds, which RFC 3339 cannot express: %w", off, ErrInvalidEvent)
	}
	return nil
}

// addMonths returns t plus n months. A day that does not exist in the target
// month is clamped to that month's last day (31 August + 6 months is
// 28 or 29 February), unlike time.AddDate, which would roll into March.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	first := time.Date(y, m+time.Month(n), 1, hh, mm, ss, t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// day formats t as a date for messages and text reports.
func day(t time.Time) string { return t.Format(time.DateOnly) }
