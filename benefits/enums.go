package benefits

import "github.com/safe-aeo/engine/internal/enum"

// The enumerations below share one pattern (as slog.Level does): String and
// MarshalText give a stable lowercase token, UnmarshalText accepts exactly
// those tokens, and the zero value is deliberate.

// Status is the decision on one benefit for one holder on one date.
type Status uint8

const (
	// CannotDecide is the zero Status, and deliberately distinct from
	// NotEligible: when the holder's roles, grade or risk level, or a
	// fact the benefit's rule reads, is not known, nobody has found the
	// operator ineligible. The host must supply what is missing.
	CannotDecide Status = iota
	// Granted: the holder is entitled to the benefit on that date.
	Granted
	// NotEligible: the benefit is not for this holder (its role, its
	// authorization types, its grade, its stairway step, or the
	// benefit's rule).
	NotEligible
	// Suspended: the holder would be entitled, but the authorization type
	// the benefit depends on is suspended, or the whole authorization is.
	// No benefit is granted during suspension.
	Suspended
	// NotYetIntroduced: the programme has not introduced the benefit by
	// that date (its activation date or milestone lies ahead).
	NotYetIntroduced
)

var statusNames = [...]string{"cannot_decide", "granted", "not_eligible", "suspended", "not_yet_introduced"}

// String returns s as text.
func (s Status) String() string { return enum.Name(statusNames[:], s, "Status") }

// MarshalText encodes s as its token.
func (s Status) MarshalText() ([]byte, error) {
	return enum.Marshal("benefits", statusNames[:], s, "status")
}

// UnmarshalText sets s from its token, e.g. "not_yet_introduced".
func (s *Status) UnmarshalText(text []byte) error {
	return enum.Unmarshal("benefits", statusNames[:], s, text, "status")
}

// An Interval is the length of the periods a [Report] is split into. The
// zero value, Whole, does not split: one period covers the whole range.
type Interval uint8

const (
	// Whole reports the whole range as one period.
	Whole Interval = iota
	// Month splits the range into calendar months ("2025-03").
	Month
	// Quarter splits the range into calendar quarters ("2025-Q1").
	Quarter
	// Year splits the range into calendar years ("2025").
	Year
)

var intervalNames = [...]string{"whole", "month", "quarter", "year"}

// String returns i as text.
func (i Interval) String() string { return enum.Name(intervalNames[:], i, "Interval") }

// MarshalText encodes i as its token.
func (i Interval) MarshalText() ([]byte, error) {
	return enum.Marshal("benefits", intervalNames[:], i, "interval")
}

// UnmarshalText sets i from its token, e.g. "quarter".
func (i *Interval) UnmarshalText(text []byte) error {
	return enum.Unmarshal("benefits", intervalNames[:], i, text, "interval")
}
