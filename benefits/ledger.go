package benefits

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// A Record is one use of a benefit by one operator: a fast-lane crossing,
// inspections avoided in a month, hours of a client coordinator. The seed
// asks that "all benefits ascribed to the programme should be recorded and
// tracked"; records are what the ledger keeps and reports on.
type Record struct {
	Benefit  string    `json:"benefit"`
	Operator string    `json:"operator"`
	At       time.Time `json:"at"`
	// Quantity is how much of the benefit was used, in Unit; zero or
	// more.
	Quantity float64 `json:"quantity"`
	// Unit is the benefit's measure (see [Benefit].Measure); empty means
	// the measure, and the ledger stores the measure.
	Unit string `json:"unit,omitempty"`
	// Minutes is the time the quantity took, in minutes, when measured
	// (e.g. release time in the AEO lane); with the baseline's normal
	// minutes per unit it gives the time saved. Zero means not measured.
	Minutes float64 `json:"minutes,omitempty"`
	// MinutesSaved is the time saved against the normal procedure, when
	// the recorder knows it directly; it takes precedence over the saving
	// computed from Minutes. It may be negative (slower than normal).
	MinutesSaved float64 `json:"minutes_saved,omitempty"`
	// NormalQuantity is the quantity that went the normal way in the same
	// occasion, when known (e.g. the member's crossings in the normal
	// lane), to compare AEO use with normal use.
	NormalQuantity float64 `json:"normal_quantity,omitempty"`
	// Ref is the host's reference (declaration number, case number).
	Ref string `json:"ref,omitempty"`
}

// check validates what can be validated without a catalogue. The decoders
// and the ledger both apply it, so that whatever decodes also encodes.
func (rec *Record) check() *RecordError {
	fail := func(field, msg string, err error) *RecordError {
		return &RecordError{Benefit: printable(rec.Benefit), Operator: printable(rec.Operator), At: rec.At, Field: field, Msg: msg, Err: err}
	}
	for _, f := range [...]struct{ name, v string }{{"benefit", rec.Benefit}, {"operator", rec.Operator}, {"unit", rec.Unit}, {"ref", rec.Ref}} {
		if !isText(f.v) {
			return fail(f.name, "must be printable text (valid UTF-8, no control characters)", ErrInvalidRecord)
		}
	}
	switch {
	case rec.Benefit == "":
		return fail("benefit", "is required", ErrInvalidRecord)
	case rec.Operator == "":
		return fail("operator", "is required", ErrInvalidRecord)
	case rec.At.IsZero():
		return fail("at", "the date of use is required", ErrInvalidRecord)
	case rec.At.Year() < 1 || rec.At.Year() > 9999:
		return fail("at", "the date must be in the years 1 to 9999", ErrInvalidRecord)
	case !validOffset(rec.At):
		// RFC 3339 parsing accepts offsets such as +24:00 that no time
		// zone has and that encoding/json then refuses to write.
		return fail("at", "the time zone offset must be less than 24 hours", ErrInvalidRecord)
	case rec.Unit != "" && !unitPattern.MatchString(rec.Unit):
		return fail("unit", fmt.Sprintf("%q must be lower case letters, digits and _", rec.Unit), ErrWrongUnit)
	}
	for _, f := range [...]struct {
		name string
		v    float64
		neg  bool
	}{{"quantity", rec.Quantity, false}, {"minutes", rec.Minutes, false}, {"minutes_saved", rec.MinutesSaved, true}, {"normal_quantity", rec.NormalQuantity, false}} {
		switch {
		case math.IsNaN(f.v) || math.IsInf(f.v, 0):
			return fail(f.name, fmt.Sprintf("%v is not a number", f.v), ErrInvalidQuantity)
		case f.v < 0 && !f.neg:
			return fail(f.name, fmt.Sprintf("%v is negative", f.v), ErrInvalidQuantity)
		}
	}
	return nil
}

func validOffset(t time.Time) bool {
	_, off := t.Zone()
	return off > -24*3600 && off < 24*3600
}

func isText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// printable returns s, or a quoted form when s is not printable text, so
// that an error message never carries control characters.
func printable(s string) string {
	if isText(s) {
		return s
	}
	return fmt.Sprintf("%q", s)
}

// A Ledger records the use of benefits, validating each record against a
// [Catalogue] on entry, and reports on it. A Ledger is safe for concurrent
// use by multiple goroutines: a mutex guards its records, so that a
// clearance system can record uses while a report runs. Make one with
// [NewLedger]; the zero Ledger has no catalogue and refuses every record.
type Ledger struct {
	c    *Catalogue
	mu   sync.RWMutex
	recs []Record
	// Reports group by benefit and operator; numbering both once, as
	// records are added, spares hashing strings for every record of a
	// report (a ledger may hold millions).
	idx     []int32 // the index of each record's benefit in c
	op      []int32 // the number of each record's operator in ops
	ops     []string
	opIndex map[string]int32
}

// NewLedger returns an empty ledger for the benefits of c.
func NewLedger(c *Catalogue) *Ledger { return &Ledger{c: c} }

// Catalogue returns the catalogue l validates against.
func (l *Ledger) Catalogue() *Catalogue { return l.c }

// validate checks rec against the catalogue (not the holder) and returns
// the benefit's index and the record as stored.
func (l *Ledger) validate(rec Record) (int, Record, *RecordError) {
	if err := rec.check(); err != nil {
		return 0, rec, err
	}
	var i int
	ok := false
	if l.c != nil {
		i, ok = l.c.index[rec.Benefit]
	}
	if !ok {
		return 0, rec, &RecordError{Benefit: rec.Benefit, Operator: rec.Operator, At: rec.At, Field: "benefit", Msg: "not in the programme's catalogue", Err: ErrUnknownBenefit}
	}
	b := l.c.benefits[i]
	switch rec.Unit {
	case "":
		rec.Unit = b.Measure
	case b.Measure:
	default:
		return 0, rec, &RecordError{Benefit: rec.Benefit, Operator: rec.Operator, At: rec.At, Field: "unit",
			Msg: fmt.Sprintf("%q, but the benefit is measured in %s", rec.Unit, b.Measure), Err: ErrWrongUnit}
	}
	return i, rec, nil
}

// Add validates rec and records it. It refuses, with a [*RecordError] and
// without recording anything, a record that:
//   - lacks its benefit, operator or date, or is for another operator
//     than h ([ErrInvalidRecord]);
//   - names a benefit the catalogue lacks ([ErrUnknownBenefit]);
//   - has a negative, infinite or NaN quantity or minutes
//     ([ErrInvalidQuantity]);
//   - has a unit other than the benefit's measure ([ErrWrongUnit]);
//   - is for an operator not entitled to the benefit on the record's date,
//     as decided for h, the holder as it stood on that date
//     ([ErrNotEntitled]; the error carries the [Entitlement]).
//
// An empty Unit is recorded as the benefit's measure.
func (l *Ledger) Add(rec Record, h *Holder) error {
	i, rec, rerr := l.validate(rec)
	if rerr != nil {
		return rerr
	}
	if h != nil && h.Operator != "" && h.Operator != rec.Operator {
		return &RecordError{Benefit: rec.Benefit, Operator: rec.Operator, At: rec.At, Field: "operator",
			Msg: fmt.Sprintf("the holder given is operator %q", h.Operator), Err: ErrInvalidRecord}
	}
	e, err := l.c.Decide(h, rec.Benefit, rec.At)
	if err != nil {
		return err // cannot happen: validate found the benefit
	}
	if e.Status != Granted {
		return &RecordError{Benefit: rec.Benefit, Operator: rec.Operator, At: rec.At,
			Msg: e.Status.String() + ": " + e.Reason, Entitlement: &e, Err: ErrNotEntitled}
	}
	l.mu.Lock()
	l.recs = append(l.recs, rec)
	l.idx = append(l.idx, int32(i))
	l.op = append(l.op, l.operator(rec.Operator))
	l.mu.Unlock()
	return nil
}

// operator returns the number of operator op, numbering it if new. The
// caller holds the write lock.
func (l *Ledger) operator(op string) int32 {
	n, ok := l.opIndex[op]
	if !ok {
		if l.opIndex == nil {
			l.opIndex = map[string]int32{}
		}
		n = int32(len(l.ops))
		l.ops = append(l.ops, op)
		l.opIndex[op] = n
	}
	return n
}

// Restore adds records that were validated when first added and kept by
// the host, such as those read back with [ReadJSON] or [ReadCSV] from the
// host's store. It checks each record as Add does, except the entitlement,
// which depended on the holder at the time. It adds all the records or,
// when one is refused, none; the [*RecordError] names the first refused
// record by its 1-based Index in recs.
func (l *Ledger) Restore(recs []Record) error {
	idx := make([]int32, len(recs))
	out := make([]Record, len(recs))
	for k, rec := range recs {
		i, rec, err := l.validate(rec)
		if err != nil {
			err.Index = k + 1
			return err
		}
		idx[k], out[k] = int32(i), rec
	}
	l.mu.Lock()
	l.recs = append(l.recs, out...)
	l.idx = append(l.idx, idx...)
	for _, rec := range out {
		l.op = append(l.op, l.operator(rec.Operator))
	}
	l.mu.Unlock()
	return nil
}

// Len returns the number of records.
func (l *Ledger) Len() int {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return len(l.recs)
}

// Records returns a copy of the records, in the order they were added.
func (l *Ledger) Records() []Record {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.recs)
}
