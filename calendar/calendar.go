// Package calendar holds the calendar arithmetic the engine's time rules
// share: periods written in programme files ("120d", "3y", "6m", "2w",
// "7wd", "3m+eom", "30d roll:next"), a programme's [Calendar] of working
// days and public holidays to count them in, and whole years or days
// between dates. Nothing here reads the wall clock: every count starts
// from a date the caller passes in.
package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A Period is a time limit as national law states it: a count of calendar
// years, months and days ("120d", "3y", "1y6m"), or of working days
// ("7wd"), optionally carried to the end of the month or year it ends in
// ("3m+eom": the end of the third month after the event), with the rule
// for a deadline that falls on a non-working day (Roll).
//
// Years and months are calendar units: adding 1 month to 31 January gives
// 28 or 29 February (the end of the shorter month), never 2 or 3 March,
// which is how legal deadlines are usually counted. Working days need a
// [Calendar]: the programme's working week and public holidays. The zero
// value is the empty period.
type Period struct {
	Years  int `json:"years,omitempty"`
	Months int `json:"months,omitempty"`
	Days   int `json:"days,omitempty"`
	// WorkingDays counts working days of the calendar the period is
	// added with; a period in working days has no other count.
	WorkingDays int `json:"working_days,omitempty"`
	// End carries the date the counts reach to the last day of its month
	// or year.
	End Anchor `json:"end,omitempty"`
	// Roll says what happens to a deadline that falls on a non-working
	// day; the zero value leaves it to the calendar's default.
	Roll Roll `json:"roll,omitempty"`
}

// Days returns a period of n days.
func Days(n int) Period { return Period{Days: n} }

// Months returns a period of n months.
func Months(n int) Period { return Period{Months: n} }

// Years returns a period of n years.
func Years(n int) Period { return Period{Years: n} }

// WorkingDays returns a period of n working days.
func WorkingDays(n int) Period { return Period{WorkingDays: n} }

// IsZero reports whether p is the empty period.
func (p Period) IsZero() bool { return p == Period{} }

// Plain reports whether p counts calendar years, months and days only:
// no working days, no end-of-month anchor and no roll, so that it means
// the same with or without a calendar and can be counted backwards.
func (p Period) Plain() bool {
	return p.WorkingDays == 0 && p.End == AnchorNone && p.Roll == RollDefault
}

// Negative reports whether any count of p is below zero.
func (p Period) Negative() bool {
	return p.Years < 0 || p.Months < 0 || p.Days < 0 || p.WorkingDays < 0
}

// AddTo returns t moved forward by p without a calendar: years and months
// first, clamped to the end of the month, then days, then working days
// counted on a Monday-to-Friday week with no holidays, then the end
// anchor. No roll applies. A programme's deadlines are counted with
// [Calendar.Add], which knows its working week and holidays.
func (p Period) AddTo(t time.Time) time.Time {
	t = p.addCalendar(t)
	if p.WorkingDays != 0 {
		step := 1
		if p.WorkingDays < 0 {
			step = -1
		}
		for n := p.WorkingDays; n != 0; {
			t = t.AddDate(0, 0, step)
			if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n -= step
			}
		}
	}
	return p.End.apply(t)
}

// addCalendar adds the years, months and days of p to t.
func (p Period) addCalendar(t time.Time) time.Time {
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

// String formats p in the programme-file form, e.g. "3y", "120d", "1y6m",
// "7wd", "3m+eom", "30d roll:next".
func (p Period) String() string {
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
	if p.WorkingDays != 0 {
		fmt.Fprintf(&b, "%dwd", p.WorkingDays)
	}
	if p.End != AnchorNone {
		if b.Len() > 0 {
			b.WriteByte('+')
		}
		b.WriteString(p.End.String())
	}
	if b.Len() == 0 {
		b.WriteString("0d")
	}
	if p.Roll != RollDefault {
		b.WriteString(" roll:")
		b.WriteString(p.Roll.String())
	}
	return b.String()
}

// MarshalText encodes p as in String.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText decodes a period in the programme-file form (see
// [ParsePeriod]).
func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}

// maxCount bounds each number of a period, so that no period runs a
// deadline beyond any date a programme could mean (and no count
// overflows).
const maxCount = 100000

const periodHelp = "write e.g. 90d, 6m, 3y, 1y6m, 7wd, 3m+eom or 30d roll:next"

// ParsePeriod parses the programme-file form of a period:
//
//   - a count: one or more of <n>y, <n>m, <n>w and <n>d, in that order
//     ("3y", "90d", "1y6m", "2w"), or working days alone, <n>wd with n at
//     least 1 ("7wd");
//   - then, optionally, an end anchor after a plus sign: +eom carries the
//     date to the last day of its month, +eoy to the last day of its year
//     ("3m+eom"); an anchor may also stand alone ("eom": the end of the
//     month of the event);
//   - then, optionally, after a space, the roll of a deadline that falls
//     on a non-working day: roll:next (the next working day),
//     roll:previous (the working day before) or roll:none (it stays).
//
// Negative, empty and malformed periods are refused.
func ParsePeriod(s string) (Period, error) {
	var p Period
	text := strings.TrimSpace(s)
	if text == "" {
		return p, fmt.Errorf("empty period; %s", periodHelp)
	}
	count, roll, hasRoll := strings.Cut(text, " ")
	if hasRoll {
		roll = strings.TrimSpace(roll)
		name, ok := strings.CutPrefix(roll, "roll:")
		if !ok {
			return Period{}, fmt.Errorf("period %q: after the count comes only roll:next, roll:previous or roll:none", s)
		}
		if err := p.Roll.UnmarshalText([]byte(name)); err != nil || p.Roll == RollDefault {
			return Period{}, fmt.Errorf("period %q: unknown roll %q; use roll:next, roll:previous or roll:none", s, name)
		}
	}
	count, anchor, hasAnchor := strings.Cut(count, "+")
	if hasAnchor && count == "" {
		return Period{}, fmt.Errorf("period %q: a count comes before the plus, e.g. 3m+eom; an anchor alone is written eom", s)
	}
	if !hasAnchor && (count == "eom" || count == "eoy") {
		count, anchor, hasAnchor = "", count, true
	}
	if hasAnchor {
		if err := p.End.UnmarshalText([]byte(anchor)); err != nil || p.End == AnchorNone {
			return Period{}, fmt.Errorf("period %q: unknown end %q; use +eom (end of month) or +eoy (end of year)", s, anchor)
		}
	}
	if count == "" && !hasAnchor {
		return Period{}, fmt.Errorf("period %q: no count; %s", s, periodHelp)
	}
	if strings.HasPrefix(count, "-") {
		return Period{}, fmt.Errorf("period %q: negative periods are refused; a period counts forward from the event", s)
	}
	if err := p.parseCount(s, count); err != nil {
		return Period{}, err
	}
	if p.WorkingDays != 0 && hasAnchor {
		return Period{}, fmt.Errorf("period %q: a period in working days takes no end anchor", s)
	}
	return p, nil
}

// parseCount parses the count part of a period into p.
func (p *Period) parseCount(s, rest string) error {
	order := []string{"y", "m", "w", "d", "wd"}
	seen := -1
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			return fmt.Errorf("period %q: want a number followed by y, m, w, d or wd; %s", s, periodHelp)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > maxCount {
			return fmt.Errorf("period %q: number out of range (at most %d)", s, maxCount)
		}
		j := i
		for j < len(rest) && (rest[j] < '0' || rest[j] > '9') {
			j++
		}
		unit := slices.Index(order, rest[i:j])
		if unit < 0 {
			return fmt.Errorf("period %q: unknown unit %q; use y, m, w, d or wd", s, rest[i:j])
		}
		if unit <= seen {
			return fmt.Errorf("period %q: units must appear once each, in the order y, m, w, d", s)
		}
		if order[unit] == "wd" && seen >= 0 {
			return fmt.Errorf("period %q: working days stand alone; count either working days or calendar units", s)
		}
		seen = unit
		switch order[unit] {
		case "y":
			p.Years = n
		case "m":
			p.Months = n
		case "w":
			p.Days += 7 * n
		case "d":
			p.Days += n
		case "wd":
			if n == 0 {
				return fmt.Errorf("period %q: zero working days is no period; write at least 1wd", s)
			}
			p.WorkingDays = n
		}
		rest = rest[j:]
	}
	if p.Days > maxCount {
		// Weeks and days together: "17000w" is 119000 days.
		return fmt.Errorf("period %q: %d days in all, out of range (at most %d)", s, p.Days, maxCount)
	}
	return nil
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

// Negate returns the period that moves dates back by p's counts. The end
// anchor and the roll are dropped: they say where a period ends going
// forward, and have no meaning going back.
func (p Period) Negate() Period {
	return Period{Years: -p.Years, Months: -p.Months, Days: -p.Days, WorkingDays: -p.WorkingDays}
}
