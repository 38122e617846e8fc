package phases

import (
	"errors"
	"testing"
	"time"
)

func TestAddMonths(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		from   time.Time
		n      int
		want   time.Time
		reason string
	}{
		{d(2025, 7, 1), 6, d(2026, 1, 1), "six months from the pilot start"},
		{d(2025, 7, 1), 12, d(2026, 7, 1), "the end of the first year"},
		{d(2025, 8, 31), 6, d(2026, 2, 28), "clamped to the end of February, not rolled into March"},
		{d(2027, 8, 31), 6, d(2028, 2, 29), "leap years keep the 29th"},
		{d(2025, 12, 31), 2, d(2026, 2, 28), "across a year end"},
		{d(2025, 5, 15), 0, d(2025, 5, 15), "no interval"},
		{time.Date(2025, 3, 31, 13, 45, 0, 0, time.FixedZone("X", 3600)), 1,
			time.Date(2025, 4, 30, 13, 45, 0, 0, time.FixedZone("X", 3600)), "the clock and zone are kept"},
	}
	for _, tt := range tests {
		if got := addMonths(tt.from, tt.n); !got.Equal(tt.want) {
			t.Errorf("addMonths(%v, %d) = %v, want %v; %s", tt.from, tt.n, got, tt.want, tt.reason)
		}
	}
}

func TestCheckDate(t *testing.T) {
	tests := []struct {
		at     time.Time
		ok     bool
		reason string
	}{
		{time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC), true, "an ordinary date"},
		{time.Date(2025, 1, 6, 0, 0, 0, 0, time.FixedZone("", -9*3600-30*60)), true, "half-hour offsets exist"},
		{time.Time{}, false, "the zero time is no date"},
		{time.Date(maxYear, 12, 31, 0, 0, 0, 0, time.UTC), true, "the last accepted year"},
		{time.Date(maxYear+1, 1, 1, 0, 0, 0, 0, time.UTC), false, "due dates derived from it could pass year 9999"},
		{time.Date(0, 1, 1, 0, 0, 0, 1, time.UTC), false, "year 0 is before the first accepted year"},
		{time.Date(2025, 1, 6, 0, 0, 0, 0, time.FixedZone("", 61)), false, "RFC 3339 offsets have whole minutes"},
		{time.Date(2025, 1, 6, 0, 0, 0, 0, time.FixedZone("", 25*3600)), false, "RFC 3339 offsets are under 24 hours"},
	}
	for _, tt := range tests {
		err := checkDate(tt.at)
		if (err == nil) != tt.ok {
			t.Errorf("checkDate(%v) = %v, want ok=%v; %s", tt.at, err, tt.ok, tt.reason)
		}
		if err != nil && !errors.Is(err, ErrInvalidEvent) {
			t.Errorf("checkDate(%v) = %v, want ErrInvalidEvent", tt.at, err)
		}
		// Every accepted date, and every date derived from it, encodes.
		if err == nil {
			if _, err := addMonths(tt.at, maxMonths).MarshalJSON(); err != nil {
				t.Errorf("date %d months after %v does not encode: %v", maxMonths, tt.at, err)
			}
		}
	}
}
