package benefits

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// GroupBy says how a [Report] groups the ledger's records. The zero value
// gives one row per unit of measure over the whole range. Quantities in
// different units are never added: rows are always split by unit.
type GroupBy struct {
	Operator bool     `json:"operator,omitempty"`
	Benefit  bool     `json:"benefit,omitempty"`
	Interval Interval `json:"interval"`
}

// A Report sums the ledger's records between two dates, grouped by
// operator, benefit and period, and compares them with the programme's
// baselines. Rows are sorted by operator, benefit (in catalogue order),
// unit and period, so that a report renders the same way every time.
// Groups without records have no row.
type Report struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	By   GroupBy   `json:"by"`
	Rows []Row     `json:"rows"`
}

// A Row is one group of records. Numbers other than counts are rounded to
// four decimal places. Fields that could not be computed are zero.
type Row struct {
	// Operator and Benefit are empty when the report is not grouped by
	// them.
	Operator string `json:"operator,omitempty"`
	Benefit  string `json:"benefit,omitempty"`
	Unit     string `json:"unit"`
	// Period is "2025-03", "2025-Q1", "2025", or for a report over the
	// whole range the range itself, "2025-01-01/2026-01-01". Start and
	// End bound it, clipped to the report's range.
	Period string    `json:"period"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	// Records counts the records; Operators the distinct operators among
	// them.
	Records   int `json:"records"`
	Operators int `json:"operators"`
	// Quantity is the total quantity, MeanQuantity the mean per record.
	Quantity     float64 `json:"quantity"`
	MeanQuantity float64 `json:"mean_quantity"`
	// NormalQuantity is the total quantity that went the normal way, and
	// Share the part of the whole that used the benefit, over the records
	// that give a normal quantity: their quantity / (their quantity +
	// NormalQuantity). Both are zero when no normal use was recorded.
	NormalQuantity float64 `json:"normal_quantity,omitempty"`
	Share          float64 `json:"share,omitempty"`
	// Minutes is the total time recorded, and MinutesPerUnit that time
	// per unit of the quantity it was recorded for.
	Minutes        float64 `json:"minutes,omitempty"`
	MinutesPerUnit float64 `json:"minutes_per_unit,omitempty"`
	// MinutesSaved is the total time saved against the normal procedure:
	// the minutes saved recorded, or, for records with minutes, the
	// baseline's normal minutes times the quantity less the minutes.
	MinutesSaved float64 `json:"minutes_saved,omitempty"`
	// Baseline compares the row with the programme's baseline, for rows
	// of one benefit that has one.
	Baseline *Comparison `json:"baseline,omitempty"`
}

// A Comparison sets a row against the programme's [Baseline].
type Comparison struct {
	// NormalMinutes is the baseline's time per unit in the normal
	// procedure; SavedPerUnit is NormalMinutes less the row's
	// MinutesPerUnit (zero when no minutes were recorded).
	NormalMinutes float64 `json:"normal_minutes,omitempty"`
	SavedPerUnit  float64 `json:"saved_per_unit,omitempty"`
	// Expected is the quantity the baseline expects of the row's
	// operators over the row's period (expected per month × months ×
	// operators), and Achieved the row's Quantity / Expected.
	Expected float64 `json:"expected,omitempty"`
	Achieved float64 `json:"achieved,omitempty"`
}

type groupKey struct {
	op     int32 // operator number, or -1
	b      int32 // benefit index, or -1
	unit   string
	period int32
}

type accum struct {
	key                         groupKey
	records                     int
	qty, normal, minutes, timed float64
	normalQty                   float64 // quantity of the records that give a normal quantity
	saved                       float64
	ops                         []uint64 // a bit per operator number
	lastOp                      int32
	hasNormal, hasMinutes       bool
}

// Report sums the records dated in [from, to) — from included, to
// excluded — grouped as by says. Periods are calendar months, quarters or
// years in the location of from (use UTC, or the administration's time
// zone, consistently). It returns an error wrapping [ErrInvalidRange] when
// from or to is zero, to is not after from, or the interval is unknown.
func (l *Ledger) Report(from, to time.Time, by GroupBy) (Report, error) {
	if from.IsZero() || to.IsZero() || !from.Before(to) {
		return Report{}, fmt.Errorf("benefits: report from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), ErrInvalidRange)
	}
	if by.Interval > Year {
		return Report{}, fmt.Errorf("benefits: report by %v: %w", by.Interval, ErrInvalidRange)
	}
	loc := from.Location()
	var normalMinutes []float64
	if l.c != nil {
		normalMinutes = make([]float64, len(l.c.benefits))
		for i, b := range l.c.benefits {
			normalMinutes[i] = b.baseline.NormalMinutes
		}
	}
	groups := map[groupKey]*accum{}
	l.mu.RLock()
	for i := range l.recs {
		rec := &l.recs[i]
		if rec.At.Before(from) || !rec.At.Before(to) {
			continue
		}
		bi, op := l.idx[i], l.op[i]
		k := groupKey{op: -1, b: -1, period: periodIndex(rec.At.In(loc), by.Interval)}
		if by.Operator {
			k.op = op
		}
		if by.Benefit {
			k.b = bi
		} else {
			k.unit = rec.Unit
		}
		a := groups[k]
		if a == nil {
			a = &accum{key: k, lastOp: -1}
			groups[k] = a
		}
		a.records++
		a.qty += rec.Quantity
		if rec.NormalQuantity > 0 {
			a.normal += rec.NormalQuantity
			a.normalQty += rec.Quantity
			a.hasNormal = true
		}
		if rec.Minutes > 0 {
			a.minutes += rec.Minutes
			a.timed += rec.Quantity
			a.hasMinutes = true
		}
		switch {
		case rec.MinutesSaved != 0:
			a.saved += rec.MinutesSaved
		case rec.Minutes > 0 && normalMinutes[bi] > 0:
			a.saved += normalMinutes[bi]*rec.Quantity - rec.Minutes
		}
		if !by.Operator && op != a.lastOp {
			if a.ops == nil {
				a.ops = make([]uint64, (len(l.ops)+63)/64)
			}
			a.ops[op/64] |= 1 << (op % 64)
			a.lastOp = op
		}
	}

	accs := make([]*accum, 0, len(groups))
	for _, a := range groups {
		accs = append(accs, a)
	}
	slices.SortFunc(accs, func(x, y *accum) int {
		return cmp.Or(
			cmp.Compare(l.opName(x.key.op), l.opName(y.key.op)),
			cmp.Compare(x.key.b, y.key.b),
			cmp.Compare(x.key.unit, y.key.unit),
			cmp.Compare(x.key.period, y.key.period),
		)
	})
	rep := Report{From: from, To: to, By: by, Rows: make([]Row, len(accs))}
	for i, a := range accs {
		row := &rep.Rows[i]
		row.Operator, row.Unit, row.Records = l.opName(a.key.op), a.key.unit, a.records
		for _, w := range a.ops {
			row.Operators += bits.OnesCount64(w)
		}
		if by.Operator {
			row.Operators = 1
		}
		row.Period, row.Start, row.End = periodBounds(a.key.period, by.Interval, from, to)
		row.Quantity = round4(a.qty)
		row.MeanQuantity = round4(a.qty / float64(a.records))
		if a.hasNormal {
			row.NormalQuantity = round4(a.normal)
			row.Share = round4(a.normalQty / (a.normalQty + a.normal))
		}
		if a.hasMinutes {
			row.Minutes = round4(a.minutes)
			if a.timed > 0 {
				row.MinutesPerUnit = round4(a.minutes / a.timed)
			}
		}
		row.MinutesSaved = round4(a.saved)
		if a.key.b < 0 {
			continue
		}
		b := l.c.benefits[a.key.b]
		row.Benefit, row.Unit = b.ID, b.Measure
		if !b.hasBaseline {
			continue
		}
		bl := b.baseline
		c := &Comparison{NormalMinutes: bl.NormalMinutes}
		if bl.NormalMinutes > 0 && a.timed > 0 {
			c.SavedPerUnit = round4(bl.NormalMinutes - a.minutes/a.timed)
		}
		if bl.ExpectedPerMonth > 0 {
			c.Expected = round4(bl.ExpectedPerMonth * months(row.Start, row.End) * float64(row.Operators))
			if c.Expected > 0 {
				c.Achieved = round4(a.qty / c.Expected)
			}
		}
		row.Baseline = c
	}
	l.mu.RUnlock()
	return rep, nil
}

// opName returns the operator numbered n, or "" for -1. The caller holds
// the read lock.
func (l *Ledger) opName(n int32) string {
	if n < 0 {
		return ""
	}
	return l.ops[n]
}

func round4(f float64) float64 {
	r := math.Round(f*1e4) / 1e4
	if r == 0 {
		return 0 // no negative zero in reports
	}
	return r
}

// periodIndex numbers the period t falls in.
func periodIndex(t time.Time, iv Interval) int32 {
	y, m, _ := t.Date()
	switch iv {
	case Month:
		return int32(y*12 + int(m) - 1)
	case Quarter:
		return int32(y*4 + (int(m)-1)/3)
	case Year:
		return int32(y)
	}
	return 0
}

// periodBounds returns the label and bounds of period p, clipped to
// [from, to), in the location of from.
func periodBounds(p int32, iv Interval, from, to time.Time) (string, time.Time, time.Time) {
	loc := from.Location()
	var label string
	var start, end time.Time
	switch iv {
	case Month:
		y, m := int(p)/12, time.Month(int(p)%12+1)
		start = time.Date(y, m, 1, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 1, 0)
		label = fmt.Sprintf("%04d-%02d", y, m)
	case Quarter:
		y, q := int(p)/4, int(p)%4
		start = time.Date(y, time.Month(q*3+1), 1, 0, 0, 0, 0, loc)
		end = start.AddDate(0, 3, 0)
		label = fmt.Sprintf("%04d-Q%d", y, q+1)
	case Year:
		start = time.Date(int(p), 1, 1, 0, 0, 0, 0, loc)
		end = start.AddDate(1, 0, 0)
		label = fmt.Sprintf("%04d", p)
	default:
		return stamp(from) + "/" + stamp(to), from, to
	}
	if start.Before(from) {
		start = from
	}
	if end.After(to) {
		end = to
	}
	return label, start, end
}

// months returns the length of [start, end) in calendar months, counting
// each month's part by its share of the month's length.
func months(start, end time.Time) float64 {
	var n float64
	loc := start.Location()
	y, m, _ := start.Date()
	for ms := time.Date(y, m, 1, 0, 0, 0, 0, loc); ms.Before(end); ms = ms.AddDate(0, 1, 0) {
		me := ms.AddDate(0, 1, 0)
		lo, hi := ms, me
		if start.After(lo) {
			lo = start
		}
		if end.Before(hi) {
			hi = end
		}
		if hi.After(lo) {
			n += float64(hi.Sub(lo)) / float64(me.Sub(ms))
		}
	}
	return n
}

// stamp formats t as a date when it is midnight, and in full otherwise.
func stamp(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339Nano)
}

// WriteJSON writes r as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	if r.Rows == nil {
		r.Rows = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// reportColumns are the columns of a report in CSV.
var reportColumns = []string{
	"operator", "benefit", "unit", "period", "start", "end", "records", "operators",
	"quantity", "mean_quantity", "normal_quantity", "share", "minutes", "minutes_per_unit",
	"minutes_saved", "normal_minutes", "saved_per_unit", "expected", "achieved",
}

// WriteCSV writes r's rows as CSV with a header row. Empty cells are
// values that could not be computed or were not recorded.
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(reportColumns); err != nil {
		return err
	}
	opt := func(f float64) string {
		if f == 0 {
			return ""
		}
		return num(f)
	}
	for _, row := range r.Rows {
		var c Comparison
		if row.Baseline != nil {
			c = *row.Baseline
		}
		rec := []string{
			row.Operator, row.Benefit, row.Unit, row.Period, stamp(row.Start), stamp(row.End),
			strconv.Itoa(row.Records), strconv.Itoa(row.Operators),
			num(row.Quantity), num(row.MeanQuantity), opt(row.NormalQuantity), opt(row.Share),
			opt(row.Minutes), opt(row.MinutesPerUnit), opt(row.MinutesSaved),
			opt(c.NormalMinutes), opt(c.SavedPerUnit), opt(c.Expected), opt(c.Achieved),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
