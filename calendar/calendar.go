// Package calendar holds the calendar arithmetic the engine's time rules
// share: periods written in programme files ("120d", "3y", "6m", "2w"),
// added to dates the caller passes in, and whole years or days between
// dates. Nothing here reads the wall clock.
package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A Period is a calendar period such as 120 days, 3 years or 6 months, as
// national law states time limits. Years and months are calendar units:
// adding 1 month to 31 January gives 28 or 29 February (the end of the
// shorter month), never 2 or 3 March, which is how legal deadlines are
// usually counted. The zero value is the empty period.
type Period struct {
	Years  int `json:"years,omitempty"`
	Months int `json:"months,omitempty"`
	Days   int `json:"days,omitempty"`
}

// Days returns a period of n days.
func Days(n int) Period { return Period{Days: n} }

// Months returns a period of n months.
func Months(n int) Period { return Period{Months: n} }

// Years returns a period of n years.
func Years(n int) Period { return Period{Years: n} }

// IsZero reports whether p is the empty period.
func (p Period) IsZero() bool { return p == Period{} }

// AddTo returns t moved forward by p: years and months first, clamped to
// the end of the month, then days.
func (p Period) AddTo(t time.Time) time.Time {
	if p.Years != 0 || p.Months != 0 {
		y, m, d := t.Date()
		first := time.Date(y+p.Years, m+time.Month(p.Months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
		last := first.AddDate(0, 1, -1).Day()
		if d > last {
			d = last
		}
		t = time.Date(first.Year(), first.Month(), d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	}
	if p.Days != 0 {
		t = t.AddDate(0, 0, p.Days)
	}
	return t
}

// String formats p in the programme-file form, e.g. "3y", "120d", "1y6m".
func (p Period) String() string {
	if p.IsZero() {
		return "0d"
	}
	var b strings.Builder
	if p.Years != 0 {
		fmt.Fprintf(&b, "%dy", p.Years)
	}
	if p.Months != 0 {
		fmt.Fprintf(&b, "%dm", p.Months)
	}
	if p.Days != 0 {
		fmt.Fprintf(&b, "%dd", p.Days)
	}
	return b.String()
}

// MarshalText encodes p as in String.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes a period written as one or more of <n>y, <n>m,
// <n>w and <n>d, in that order, e.g. "3y", "90d", "1y6m", "2w".
// Negative or empty periods are refused.
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// ParsePeriod parses the programme-file form of a period (see
// Period.UnmarshalText).
func ParsePeriod(s string) (Period, error) {
	var p Period
	rest := strings.TrimSpace(s)
	if rest == "" {
		return p, fmt.Errorf("empty period; write e.g. 90d, 6m, 3y or 1y6m")
	}
	order := "ymwd"
	seen := -1
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return Period{}, fmt.Errorf("period %q: want a number followed by y, m, w or d, e.g. 90d, 6m, 3y or 1y6m", s)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 100000 {
			return Period{}, fmt.Errorf("period %q: number out of range", s)
		}
		unit := strings.IndexByte(order, rest[i])
		if unit < 0 {
			return Period{}, fmt.Errorf("period %q: unknown unit %q; use y, m, w or d", s, rest[i])
		}
		if unit <= seen {
			return Period{}, fmt.Errorf("period %q: units must appear once each, in the order y, m, w, d", s)
		}
		seen = unit
		switch order[unit] {
		case 'y':
			p.Years = n
		case 'm':
			p.Months = n
		case 'w':
			p.Days += 7 * n
		case 'd':
			p.Days += n
		}
		rest = rest[i+1:]
	}
	return p, nil
}

// Date returns midnight UTC of the calendar day of t in its own location,
// so that day counts do not depend on the time of day.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DaysBetween returns the number of whole calendar days from a to b
// (negative when b is before a).
func DaysBetween(a, b time.Time) int {
	return int(Date(b).Sub(Date(a)).Hours() / 24)
}

// YearsBetween returns the number of whole years from a to b, counting a
// year complete on its anniversary (29 February anniversaries fall on
// 28 February in common years). It is negative when b is before a.
func YearsBetween(a, b time.Time) int {
	if b.Before(a) {
		return -YearsBetween(b, a)
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	n := by - ay
	if bm < am || (bm == am && bd < ad) {
		// Anniversary not reached yet this year, unless a is 29 February and
		// b is 28 February of a common year (the anniversary's stand-in).
		if !(am == time.February && ad == 29 && bm == time.February && bd == 28 && !isLeap(by)) {
			n--
		}
	}
	return n
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Negate returns the period that moves dates back by p.
func (p Period) Negate() Period { return Period{Years: -p.Years, Months: -p.Months, Days: -p.Days} }
