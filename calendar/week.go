package calendar

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safe-aeo/engine/diag"
)

// ErrNoHolidays is returned when a working day must be told from a
// holiday in a year for which the calendar lists no holidays. Counting
// on regardless would put a deadline on a public holiday, so the engine
// refuses instead.
var ErrNoHolidays = errors.New("calendar: no holidays listed for the year")

// Config is a programme's calendar as plain data: the calendar section
// of a programme file. The zero value is the Monday-to-Friday week with
// no holidays listed and no roll.
type Config struct {
	// WorkingWeek lists the working days of the week; empty (not given)
	// means Monday to Friday. Given, it must name at least one day.
	WorkingWeek []Weekday `json:"working_week,omitempty"`
	// Roll is the default roll of every deadline: what happens to one
	// that falls on a non-working day (none, next or previous). A period
	// may set its own ("30d roll:none"). Default: none.
	Roll Roll `json:"roll,omitempty"`
	// Holidays lists the public holidays by year ("2025"). A year must
	// be listed, possibly with an empty list, before a working-day
	// period or a roll can count in it.
	Holidays map[string][]Holiday `json:"holidays,omitempty"`
	// HolidayFiles names files of holidays, one year each (see
	// [HolidayFile]), relative to the programme file. The programme
	// loader reads them into Holidays; Compile ignores the names.
	HolidayFiles []string `json:"holiday_files,omitempty"`
	// Source is the legal source of the working week and the holidays.
	Source string `json:"source,omitempty"`
}

// A Holiday is a public holiday. In a programme file it is written as a
// date alone or as a mapping with date and name.
type Holiday struct {
	Date time.Time `json:"date"`
	Name string    `json:"name,omitempty"`
}

// UnmarshalText accepts the short form: a date such as 2025-05-01.
func (h *Holiday) UnmarshalText(b []byte) error {
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return fmt.Errorf("want a date such as 2025-05-01, not %q", b)
	}
	*h = Holiday{Date: t}
	return nil
}

// A HolidayFile is the holidays of one year, in a file of its own.
type HolidayFile struct {
	Year     int       `json:"year"`
	Holidays []Holiday `json:"holidays"`
	Source   string    `json:"source,omitempty"`
}

// Validate reports every problem in f: a year out of range, a holiday
// outside the year, a holiday listed twice. Paths are the file's keys.
func (f HolidayFile) Validate() error {
	var l diag.List
	if f.Year < 1900 || f.Year > 2999 {
		l.Add("year", "want a year such as 2025, got %d", f.Year)
	}
	checkYear(&l, "holidays", f.Year, f.Holidays)
	return l.Err()
}

// checkYear reports holidays outside year and holidays listed twice.
func checkYear(l *diag.List, path string, year int, hs []Holiday) {
	seen := map[time.Time]int{}
	for i, h := range hs {
		key := diag.Index(path, i)
		d := Date(h.Date)
		switch {
		case h.Date.IsZero():
			l.Add(key, "a holiday needs a date")
			continue
		case d.Year() != year:
			l.Add(key, "holiday %s is not in %d, the year it is listed under", d.Format(time.DateOnly), year)
			continue
		}
		if j, ok := seen[d]; ok {
			l.Add(key, "holiday %s is listed twice (also at %d)", d.Format(time.DateOnly), j)
			continue
		}
		seen[d] = i
	}
}

// A Calendar tells working days from non-working ones and counts
// periods in them: the programme's working week and public holidays.
// Build one with [Compile]. A Calendar is immutable and safe for
// concurrent use; the zero value is not usable.
type Calendar struct {
	week     [7]bool
	roll     Roll
	years    map[int]bool
	holidays map[time.Time]string
	cfg      Config
}

// Compile checks cfg and returns its calendar. Problems are a
// [diag.List] whose paths are the calendar section's keys
// ("working_week", "holidays.2025[3]"), all reported at once.
func Compile(cfg Config) (*Calendar, error) {
	var l diag.List
	c := &Calendar{roll: cfg.Roll, years: map[int]bool{}, holidays: map[time.Time]string{}}
	switch {
	case cfg.WorkingWeek == nil:
		for d := time.Monday; d <= time.Friday; d++ {
			c.week[d] = true
		}
	case len(cfg.WorkingWeek) == 0:
		l.Add("working_week", "a working week with no working day: list at least one, e.g. [mon, tue, wed, thu, fri]")
	}
	for i, d := range cfg.WorkingWeek {
		switch {
		case d < 0 || int(d) > 6:
			l.Add(diag.Index("working_week", i), "unknown weekday %d", d)
		case c.week[d]:
			l.Add(diag.Index("working_week", i), "%s is listed twice", d)
		default:
			c.week[d] = true
		}
	}
	if cfg.Roll > RollPrevious {
		l.Add("roll", "unknown roll %d; want none, next or previous", cfg.Roll)
	}
	for _, k := range slices.Sorted(maps.Keys(cfg.Holidays)) {
		path := "holidays." + k
		y, err := strconv.Atoi(k)
		if err != nil || y < 1900 || y > 2999 || strings.TrimSpace(k) != k {
			l.Add(path, "holidays are listed by year, e.g. 2025: %q is not a year", k)
			continue
		}
		checkYear(&l, path, y, cfg.Holidays[k])
		c.years[y] = true
		for _, h := range cfg.Holidays[k] {
			if d := Date(h.Date); d.Year() == y {
				c.holidays[d] = h.Name
			}
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	c.cfg = cfg.clone()
	return c, nil
}

func (cfg Config) clone() Config {
	out := cfg
	out.WorkingWeek = slices.Clone(cfg.WorkingWeek)
	out.HolidayFiles = slices.Clone(cfg.HolidayFiles)
	if cfg.Holidays != nil {
		out.Holidays = make(map[string][]Holiday, len(cfg.Holidays))
		for k, v := range cfg.Holidays {
			out.Holidays[k] = slices.Clone(v)
		}
	}
	return out
}

// MustCompile is Compile for a calendar fixed at build time (tests,
// examples); it panics on a problem.
func MustCompile(cfg Config) *Calendar {
	c, err := Compile(cfg)
	if err != nil {
		panic(err)
	}
	return c
}

// Config returns a copy of the configuration c was compiled from.
func (c *Calendar) Config() Config { return c.cfg.clone() }

// Years returns the years whose holidays c lists, in order.
func (c *Calendar) Years() []int { return slices.Sorted(maps.Keys(c.years)) }

// Working reports whether the day of t is a working day: a day of the
// working week that is not a holiday. It returns an error wrapping
// [ErrNoHolidays] when c lists no holidays for t's year.
func (c *Calendar) Working(t time.Time) (bool, error) {
	d := Date(t)
	if !c.years[d.Year()] {
		return false, fmt.Errorf("%w %d: list its holidays (even none) before counting working days in it", ErrNoHolidays, d.Year())
	}
	if !c.week[d.Weekday()] {
		return false, nil
	}
	_, holiday := c.holidays[d]
	return !holiday, nil
}

// Holiday returns the name of the holiday on the day of t, and whether
// it is one.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	name, ok := c.holidays[Date(t)]
	return name, ok
}

// Add returns the last day of period p started by an event at t: the
// calendar day of t moved by the years, months and days of p, or by its
// working days (each counted day is a working day of c, the day of t
// itself not counted), carried to the end anchor, then rolled when it
// falls on a non-working day (p's roll, else c's). The result is
// midnight UTC. Add returns an error wrapping [ErrNoHolidays] when the
// count or the roll needs a year whose holidays c does not list; a
// period in plain calendar units without a roll never fails.
func (c *Calendar) Add(p Period, t time.Time) (time.Time, error) {
	d := p.addCalendar(Date(t))
	if p.WorkingDays != 0 {
		step := 1
		if p.WorkingDays < 0 {
			step = -1
		}
		for n := p.WorkingDays; n != 0; {
			d = d.AddDate(0, 0, step)
			ok, err := c.Working(d)
			if err != nil {
				return time.Time{}, err
			}
			if ok {
				n -= step
			}
		}
	}
	d = p.End.apply(d)
	roll := p.Roll
	if roll == RollDefault {
		roll = c.roll
	}
	if roll != RollNext && roll != RollPrevious {
		return d, nil
	}
	step := 1
	if roll == RollPrevious {
		step = -1
	}
	for {
		ok, err := c.Working(d)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			return d, nil
		}
		d = d.AddDate(0, 0, step)
	}
}

// WorkingDaysBetween returns the number of working days after the day of
// a up to and including the day of b (negative when b is before a): the
// count that [Calendar.Add] of that many working days to a reaches b
// with, when b is a working day.
func (c *Calendar) WorkingDaysBetween(a, b time.Time) (int, error) {
	from, to := Date(a), Date(b)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		ok, err := c.Working(d)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return sign * n, nil
}
