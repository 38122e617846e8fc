package calendar

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		wantErr bool
		reason  string
	}{
		{in: "120d", want: Days(120), reason: "EU decision deadline"},
		{in: "3y", want: Years(3), reason: "EU re-application bar"},
		{in: "1y6m", want: Period{Years: 1, Months: 6}, reason: "units combine in order"},
		{in: "2w", want: Days(14), reason: "weeks are seven days"},
		{in: "", wantErr: true, reason: "an empty period is not zero, it is a mistake"},
		{in: "6m1y", wantErr: true, reason: "units out of order are ambiguous"},
		{in: "-3d", wantErr: true, reason: "negative periods are refused"},
		{in: "3", wantErr: true, reason: "a unit is required"},
		{in: "3q", wantErr: true, reason: "unknown unit"},
		{in: "99999999999d", wantErr: true, reason: "absurd numbers are refused"},
	}
	for _, tt := range tests {
		got, err := ParsePeriod(tt.in)
		if tt.wantErr {
			assert.Error(t, err, tt.reason)
			continue
		}
		require.NoError(t, err, tt.reason)
		assert.Equal(t, tt.want, got, tt.reason)
		back, err := ParsePeriod(got.String())
		require.NoError(t, err)
		assert.Equal(t, got, back, "String round-trips")
	}
}

func TestAddTo(t *testing.T) {
	tests := []struct {
		from   string
		p      Period
		want   string
		reason string
	}{
		{"2024-01-31", Months(1), "2024-02-29", "end of month clamps, leap year"},
		{"2023-01-31", Months(1), "2023-02-28", "end of month clamps"},
		{"2024-02-29", Years(1), "2025-02-28", "29 February plus a year"},
		{"2024-03-01", Days(120), "2024-06-29", "EU 120-day deadline"},
		{"2024-03-01", Period{Years: -3}, "2021-03-01", "negated period goes back"},
	}
	for _, tt := range tests {
		got := tt.p.AddTo(day(tt.from)).Format("2006-01-02")
		assert.Equal(t, tt.want, got, tt.reason)
	}
}

func TestYearsBetween(t *testing.T) {
	tests := []struct {
		a, b   string
		want   int
		reason string
	}{
		{"2021-06-30", "2024-06-30", 3, "the anniversary completes the year"},
		{"2021-07-01", "2024-06-30", 2, "a day short of three years"},
		{"2020-02-29", "2023-02-28", 3, "29 February anniversaries fall on 28 February in common years"},
		{"2024-06-30", "2021-06-30", -3, "reversed order is negative"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, YearsBetween(day(tt.a), day(tt.b)), tt.reason)
	}
	assert.Equal(t, 120, DaysBetween(day("2024-03-01"), day("2024-06-29")))
}
