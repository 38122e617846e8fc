package benefits

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors, for errors.Is. The ledger and the decoders wrap them in
// a [*RecordError] or a [*DecodeError] that says which record and why.
var (
	// ErrUnknownBenefit: the catalogue has no benefit with that ID.
	ErrUnknownBenefit = errors.New("unknown benefit")
	// ErrInvalidRecord: a record lacks its benefit, operator or date,
	// holds text that is not printable, or is for another operator than
	// the holder given.
	ErrInvalidRecord = errors.New("invalid record")
	// ErrInvalidQuantity: a quantity or a number of minutes is negative,
	// not a number, or infinite.
	ErrInvalidQuantity = errors.New("invalid quantity")
	// ErrWrongUnit: the record's unit is not the benefit's measure.
	ErrWrongUnit = errors.New("wrong unit")
	// ErrNotEntitled: the operator was not entitled to the benefit on the
	// record's date (not eligible, suspended, not yet introduced, or
	// undecidable).
	ErrNotEntitled = errors.New("operator not entitled")
	// ErrInvalidRange: a report's range is empty or its grouping unknown.
	ErrInvalidRange = errors.New("invalid report range")
)

// A RecordError reports a ledger record that was refused. Nothing of the
// record was stored.
type RecordError struct {
	// Index is the 1-based position of the record in a batch given to
	// [Ledger.Restore]; 0 for [Ledger.Add].
	Index    int
	Benefit  string
	Operator string
	At       time.Time
	// Field is the record field at fault (quantity, unit, ...), if one is.
	Field string
	// Msg says what is wrong, without the sentinel's text.
	Msg string
	// Entitlement is the decision that refused the record, for
	// ErrNotEntitled.
	Entitlement *Entitlement
	// Err is the sentinel: ErrUnknownBenefit, ErrInvalidRecord,
	// ErrInvalidQuantity, ErrWrongUnit or ErrNotEntitled.
	Err error
}

// Error describes the problem.
func (e *RecordError) Error() string {
	var b strings.Builder
	b.WriteString("benefits: record")
	if e.Index > 0 {
		fmt.Fprintf(&b, " %d", e.Index)
	}
	if e.Benefit != "" {
		fmt.Fprintf(&b, " %q", e.Benefit)
	}
	if e.Operator != "" {
		fmt.Fprintf(&b, " for %q", e.Operator)
	}
	if !e.At.IsZero() {
		fmt.Fprintf(&b, " on %s", day(e.At))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *RecordError) Unwrap() error { return e.Err }

// A DecodeError reports a record that could not be decoded from JSON or
// CSV. Record is the 1-based index of the record; Line is the line of the
// CSV input (0 for JSON, whose Offset is the byte offset instead).
type DecodeError struct {
	Format string // "json" or "csv"
	Record int
	Line   int
	Offset int64
	Field  string
	Msg    string
	Err    error // a sentinel, or the underlying decoder's error
}

// Error describes the problem.
func (e *DecodeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "benefits: %s", e.Format)
	switch {
	case e.Line > 0:
		fmt.Fprintf(&b, " line %d", e.Line)
	case e.Offset > 0:
		fmt.Fprintf(&b, " offset %d", e.Offset)
	}
	if e.Record > 0 {
		fmt.Fprintf(&b, " record %d", e.Record)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, " field %s", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if isSentinel(e.Err) {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// isSentinel reports whether err is one of the package's sentinels, whose
// text an error message adds after its own (a decoder's error is already
// described by the message).
func isSentinel(err error) bool {
	switch err {
	case ErrUnknownBenefit, ErrInvalidRecord, ErrInvalidQuantity, ErrWrongUnit, ErrNotEntitled, ErrInvalidRange:
		return true
	}
	return false
}
