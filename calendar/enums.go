package calendar

import (
	"time"

	"github.com/safe-aeo/engine/internal/enum"
)

// Anchor carries the date a period reaches to the end of a calendar unit.
// The zero value, AnchorNone, leaves the date where the counts put it.
type Anchor uint8

// The end anchors.
const (
	AnchorNone Anchor = iota
	// AnchorMonth: the last day of the month ("eom").
	AnchorMonth
	// AnchorYear: the last day of the year ("eoy").
	AnchorYear
)

var anchorNames = [...]string{"", "eom", "eoy"}

// String returns a as its token: "", "eom" or "eoy".
func (a Anchor) String() string { return enum.Name(anchorNames[:], a, "Anchor") }

// MarshalText encodes a as its token.
func (a Anchor) MarshalText() ([]byte, error) {
	return enum.Marshal("calendar", anchorNames[:], a, "anchor")
}

// UnmarshalText decodes eom or eoy (or the empty token).
func (a *Anchor) UnmarshalText(b []byte) error {
	return enum.Unmarshal("calendar", anchorNames[:], a, b, "anchor")
}

// apply carries t to the end of its month or year.
func (a Anchor) apply(t time.Time) time.Time {
	switch a {
	case AnchorMonth:
		y, m, _ := t.Date()
		return time.Date(y, m+1, 0, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	case AnchorYear:
		return time.Date(t.Year(), time.December, 31, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	}
	return t
}

// Roll says where a deadline that falls on a non-working day moves. The
// zero value, RollDefault, leaves it to the calendar's own rule.
type Roll uint8

// The roll rules.
const (
	RollDefault Roll = iota
	// RollNone: the deadline stays on the day the counts give.
	RollNone
	// RollNext: the deadline moves to the next working day (the common
	// rule: EU Reg 1182/71 Art 3(4)).
	RollNext
	// RollPrevious: the deadline moves back to the working day before.
	RollPrevious
)

var rollNames = [...]string{"", "none", "next", "previous"}

// String returns r as its token: "", "none", "next" or "previous".
func (r Roll) String() string { return enum.Name(rollNames[:], r, "Roll") }

// MarshalText encodes r as its token.
func (r Roll) MarshalText() ([]byte, error) {
	return enum.Marshal("calendar", rollNames[:], r, "roll")
}

// UnmarshalText decodes none, next or previous (or the empty token).
func (r *Roll) UnmarshalText(b []byte) error {
	return enum.Unmarshal("calendar", rollNames[:], r, b, "roll")
}

// A Weekday is a day of the week in a programme file: mon, tue, wed, thu,
// fri, sat or sun. It converts to time.Weekday.
type Weekday time.Weekday

var weekdayNames = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// String returns d as its token, e.g. "mon".
func (d Weekday) String() string { return enum.Name(weekdayNames[:], uint8(d), "Weekday") }

// MarshalText encodes d as its token.
func (d Weekday) MarshalText() ([]byte, error) {
	return enum.Marshal("calendar", weekdayNames[:], uint8(d), "weekday")
}

// UnmarshalText decodes mon, tue, wed, thu, fri, sat or sun.
func (d *Weekday) UnmarshalText(b []byte) error {
	v, err := enum.Parse[uint8]("calendar", weekdayNames[:], b, "weekday")
	if err == nil {
		*d = Weekday(v)
	}
	return err
}
