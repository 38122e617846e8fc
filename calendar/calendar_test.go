package calendar

import (
	"errors"

	"testing"
	"time"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"

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
		{in: "17000w", wantErr: true, reason: "weeks count as days, and 119000 days is past the bound a day count has"},
		{in: "14285w5d", want: Days(100000), reason: "weeks and days together up to the bound"},
		{in: "14285w6d", wantErr: true, reason: "weeks and days together past the bound"},
		{in: "7wd", want: WorkingDays(7), reason: "working days: GCC SAQ within 15 working days"},
		{in: "0wd", wantErr: true, reason: "zero working days is no period"},
		{in: "-3wd", wantErr: true, reason: "negative working days are refused"},
		{in: "1m7wd", wantErr: true, reason: "working days stand alone"},
		{in: "3m+eom", want: Period{Months: 3, End: AnchorMonth}, reason: "the end of the third month after the event"},
		{in: "eom", want: Period{End: AnchorMonth}, reason: "the end of the month of the event"},
		{in: "1y+eoy", want: Period{Years: 1, End: AnchorYear}, reason: "the end of the following year"},
		{in: "7wd+eom", wantErr: true, reason: "working days take no anchor"},
		{in: "3m+eoq", wantErr: true, reason: "unknown anchor"},
		{in: "30d roll:next", want: Period{Days: 30, Roll: RollNext}, reason: "a deadline on a holiday moves to the next working day"},
		{in: "30d roll:none", want: Period{Days: 30, Roll: RollNone}, reason: "a deadline that stays on a holiday"},
		{in: "3m+eom roll:previous", want: Period{Months: 3, End: AnchorMonth, Roll: RollPrevious}, reason: "anchor and roll together"},
		{in: "30d roll:sideways", wantErr: true, reason: "unknown roll"},
		{in: "30d next", wantErr: true, reason: "only a roll follows the count"},
		{in: "+eom", wantErr: true, reason: "a plus needs a count before it"},
		{in: "2w3wd", wantErr: true, reason: "working days do not mix with weeks"},
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
		{"2024-11-15", Period{Months: 3, End: AnchorMonth}, "2025-02-28", "end of the third month after, common year"},
		{"2023-11-15", Period{Months: 3, End: AnchorMonth}, "2024-02-29", "end of the third month after, leap year"},
		{"2024-01-31", Period{End: AnchorMonth}, "2024-01-31", "the last day of a month is its own end"},
		{"2024-06-10", Period{Years: 1, End: AnchorYear}, "2025-12-31", "end of the following year"},
		{"2025-01-03", WorkingDays(1), "2025-01-06", "without a calendar the week is Monday to Friday: Friday plus one is Monday"},
		{"2025-01-06", WorkingDays(-1), "2025-01-03", "working days count back too"},
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

// testCalendar is a Monday-to-Friday calendar with a few German federal
// holidays of 2024 and 2025 and an empty 2026.
func testCalendar(t testing.TB, roll Roll) *Calendar {
	t.Helper()
	c, err := Compile(Config{
		Roll: roll,
		Holidays: map[string][]Holiday{
			"2024": {{Date: day("2024-12-25"), Name: "Christmas Day"}, {Date: day("2024-12-26"), Name: "Boxing Day"}},
			"2025": {{Date: day("2025-01-01"), Name: "New Year"}, {Date: day("2025-04-18"), Name: "Good Friday"},
				{Date: day("2025-04-21"), Name: "Easter Monday"}, {Date: day("2025-05-01"), Name: "Labour Day"}},
			"2026": {},
		},
	})
	require.NoError(t, err)
	return c
}

func TestCalendarAdd(t *testing.T) {
	tests := []struct {
		from    string
		p       string
		roll    Roll
		want    string
		wantErr bool
		reason  string
	}{
		{from: "2025-04-16", p: "2wd", want: "2025-04-22", reason: "Thursday + 2 working days skips Good Friday, the weekend and Easter Monday"},
		{from: "2024-12-23", p: "3wd", want: "2024-12-30", reason: "Christmas and Boxing Day are not counted"},
		{from: "2024-12-30", p: "3wd", want: "2025-01-03", reason: "the count crosses into a listed year"},
		{from: "2025-12-30", p: "10wd", want: "2026-01-13", reason: "2026 is listed with no holiday: it counts"},
		{from: "2026-12-30", p: "3wd", wantErr: true, reason: "2027 lists no holidays: a working-day count refuses to guess"},
		{from: "2025-03-31", p: "18d", want: "2025-04-18", reason: "a calendar period landing on Good Friday stays without a roll"},
		{from: "2025-03-31", p: "18d", roll: RollNext, want: "2025-04-22", reason: "the calendar's roll moves it to the next working day, after Easter Monday"},
		{from: "2025-03-31", p: "18d", roll: RollPrevious, want: "2025-04-17", reason: "a previous roll moves it back to Maundy Thursday"},
		{from: "2025-03-31", p: "18d roll:none", roll: RollNext, want: "2025-04-18", reason: "a period's own roll overrides the calendar's"},
		{from: "2025-03-31", p: "18d roll:next", want: "2025-04-22", reason: "a period may roll where the calendar does not"},
		{from: "2025-01-15", p: "3m+eom", roll: RollNext, want: "2025-04-30", reason: "end of April is a Wednesday: no roll needed"},
		{from: "2025-03-15", p: "2m+eom", roll: RollNext, want: "2025-06-02", reason: "end of May 2025 is a Saturday: rolled to Monday 2 June"},
		{from: "2027-03-15", p: "3y", roll: RollNone, want: "2030-03-15", reason: "plain calendar periods need no holidays"},
		{from: "2027-03-15", p: "3y", roll: RollNext, wantErr: true, reason: "a roll in an unlisted year refuses to guess"},
	}
	for _, tt := range tests {
		c := testCalendar(t, tt.roll)
		p, err := ParsePeriod(tt.p)
		require.NoError(t, err, tt.reason)
		got, err := c.Add(p, day(tt.from))
		if tt.wantErr {
			require.ErrorIs(t, err, ErrNoHolidays, tt.reason)
			continue
		}
		require.NoError(t, err, tt.reason)
		assert.Equal(t, tt.want, got.Format(time.DateOnly), "%s + %s: %s", tt.from, tt.p, tt.reason)
	}
}

func TestCompileProblems(t *testing.T) {
	tests := []struct {
		cfg    Config
		want   []string
		reason string
	}{{
		cfg:    Config{WorkingWeek: []Weekday{}},
		want:   []string{"working_week: a working week with no working day: list at least one, e.g. [mon, tue, wed, thu, fri]"},
		reason: "an empty working week counts no deadline",
	}, {
		cfg:    Config{WorkingWeek: []Weekday{Weekday(time.Monday), Weekday(time.Monday)}},
		want:   []string{"working_week[1]: mon is listed twice"},
		reason: "a day listed twice is a typo",
	}, {
		cfg:    Config{Holidays: map[string][]Holiday{"2025": {{Date: day("2024-12-25")}}}},
		want:   []string{"holidays.2025[0]: holiday 2024-12-25 is not in 2025, the year it is listed under"},
		reason: "a holiday outside its year",
	}, {
		cfg:    Config{Holidays: map[string][]Holiday{"25": {}}},
		want:   []string{`holidays.25: holidays are listed by year, e.g. 2025: "25" is not a year`},
		reason: "a year that is not one",
	}, {
		cfg:    Config{Holidays: map[string][]Holiday{"2025": {{Date: day("2025-01-01")}, {Date: day("2025-01-01")}}}},
		want:   []string{"holidays.2025[1]: holiday 2025-01-01 is listed twice (also at 0)"},
		reason: "a holiday listed twice",
	}}
	for _, tt := range tests {
		_, err := Compile(tt.cfg)
		require.Error(t, err, tt.reason)
		var got []string
		for _, e := range err.(diag.List) {
			got = append(got, e.Error())
		}
		assert.Equal(t, tt.want, got, tt.reason)
	}
}

// TestWorkingDaysProperty checks, over every start day of two years and
// counts up to 40, that adding n working days and counting the working
// days back agree, that the result is a working day, and that counting
// forward never goes back.
func TestWorkingDaysProperty(t *testing.T) {
	c := testCalendar(t, RollNone)
	for d := day("2024-01-01"); d.Year() < 2026; d = d.AddDate(0, 0, 1) {
		prev := d
		for n := 1; n <= 40; n++ {
			got, err := c.Add(WorkingDays(n), d)
			if err != nil {
				if d.AddDate(0, 0, 70).Year() > 2026 {
					continue // runs past the listed years
				}
				t.Fatalf("Add(%dwd, %s): %v", n, d.Format(time.DateOnly), err)
			}
			back, err := c.WorkingDaysBetween(d, got)
			require.NoError(t, err)
			if back != n {
				t.Fatalf("Add(%dwd, %s) = %s, but %d working days lie between", n, d.Format(time.DateOnly), got.Format(time.DateOnly), back)
			}
			if ok, _ := c.Working(got); !ok {
				t.Fatalf("Add(%dwd, %s) = %s, not a working day", n, d.Format(time.DateOnly), got.Format(time.DateOnly))
			}
			if !got.After(prev) {
				t.Fatalf("Add(%dwd, %s) = %s, not after the %d-day result %s", n, d.Format(time.DateOnly), got.Format(time.DateOnly), n-1, prev.Format(time.DateOnly))
			}
			if neg, err := c.WorkingDaysBetween(got, d); err != nil || neg != -n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", got.Format(time.DateOnly), d.Format(time.DateOnly), neg, err, -n)
			}
			prev = got
		}
	}
}

// TestMonthEndProperty checks month-end clamping and leap years: adding
// months to any day of 1999-2025 never leaves the target month, clamps
// only days past its end, and +eom always lands on the last day.
func TestMonthEndProperty(t *testing.T) {
	for d := day("1999-01-01"); d.Year() < 2026; d = d.AddDate(0, 0, 1) {
		for m := 0; m <= 14; m++ {
			got := Months(m).AddTo(d)
			wantMonth := time.Date(d.Year(), d.Month()+time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			if got.Year() != wantMonth.Year() || got.Month() != wantMonth.Month() {
				t.Fatalf("%s + %dm = %s, left the month %s", d.Format(time.DateOnly), m, got.Format(time.DateOnly), wantMonth.Format("2006-01"))
			}
			last := wantMonth.AddDate(0, 1, -1).Day()
			if want := min(d.Day(), last); got.Day() != want {
				t.Fatalf("%s + %dm = %s, want day %d", d.Format(time.DateOnly), m, got.Format(time.DateOnly), want)
			}
			end := Period{Months: m, End: AnchorMonth}.AddTo(d)
			if end.Day() != last || end.Month() != wantMonth.Month() {
				t.Fatalf("%s + %dm+eom = %s, want the %d of %s", d.Format(time.DateOnly), m, end.Format(time.DateOnly), last, wantMonth.Format("2006-01"))
			}
		}
		feb := time.Date(d.Year(), time.February, 29, 0, 0, 0, 0, time.UTC)
		if leap := feb.Month() == time.February; leap != isLeap(d.Year()) {
			t.Fatalf("isLeap(%d) = %v, time says %v", d.Year(), isLeap(d.Year()), leap)
		}
	}
	assert.Equal(t, "2100-02-28", Years(1).AddTo(day("2099-02-28")).Format(time.DateOnly), "2100 is not a leap year")
	assert.Equal(t, "2000-02-29", Period{Months: 1, End: AnchorMonth}.AddTo(day("2000-01-10")).Format(time.DateOnly), "2000 is a leap year")
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"120d", "3y", "1y6m", "2w", "7wd", "3m+eom", "eoy", "30d roll:next", "1m+eom roll:previous", "-3wd", "0wd", "9"} {
		f.Add(s)
	}
	c := MustCompile(Config{Holidays: map[string][]Holiday{"2025": {{Date: day("2025-05-01")}}, "2026": nil}})
	start := day("2025-03-10")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.Negative() {
			t.Fatalf("ParsePeriod(%q) = %+v, negative", s, p)
		}
		back, err := ParsePeriod(p.String())
		if err != nil || back != p {
			t.Fatalf("ParsePeriod(%q).String() = %q does not round-trip: %+v, %v", s, p.String(), back, err)
		}
		got := p.AddTo(start)
		if got.Before(start) {
			t.Fatalf("%q moves %s back to %s", s, start, got)
		}
		if d, err := c.Add(p, start); err == nil && d.Before(start) && p.Roll != RollPrevious && c.roll != RollPrevious {
			t.Fatalf("Calendar.Add(%q) moves %s back to %s", s, start, d)
		}
	})
}

// FuzzCalendar decodes a calendar section the way a programme file is
// read, compiles it and counts in it: no panic, no hang, and a compiled
// calendar's working-day counts agree both ways.
func FuzzCalendar(f *testing.F) {
	f.Add("working_week: [mon, tue, wed, thu, fri]\nroll: next\nholidays:\n  2025: [2025-01-01, {date: 2025-05-01, name: Labour Day}]\n", uint8(5))
	f.Add("working_week: [sun, mon, tue, wed, thu]\nholidays: {2025: [], 2026: []}\n", uint8(20))
	f.Add("working_week: []\n", uint8(1))
	f.Add("holidays: {2025: [2024-12-31]}\n", uint8(1))
	start := day("2025-02-27")
	f.Fuzz(func(t *testing.T, src string, n uint8) {
		var cfg Config
		if _, err := decode.DecodeInto("calendar.yaml", []byte(src), &cfg); err != nil {
			return
		}
		c, err := Compile(cfg)
		if err != nil {
			var l diag.List
			if !errors.As(err, &l) {
				t.Fatalf("Compile error %T is not a diag.List: %v", err, err)
			}
			return
		}
		k := int(n%60) + 1
		got, err := c.Add(WorkingDays(k), start)
		if err != nil {
			if !errors.Is(err, ErrNoHolidays) {
				t.Fatalf("Add: %v", err)
			}
			return
		}
		back, err := c.WorkingDaysBetween(start, got)
		if err != nil || back != k {
			t.Fatalf("Add(%dwd) = %s but WorkingDaysBetween = %d, %v", k, got.Format(time.DateOnly), back, err)
		}
	})
}
