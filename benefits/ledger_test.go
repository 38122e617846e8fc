package benefits_test

import (
	"bytes"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
)

// holderAt is the standing of the three demo operators on a date: OP-A an
// AEOC+AEOS importer at low risk; OP-B an AEOS carrier at medium risk whose
// AEOS is suspended in April 2025; OP-C an e-commerce platform.
func holderAt(op string, at time.Time) *benefits.Holder {
	switch op {
	case "OP-A":
		return &benefits.Holder{Operator: op, Status: "authorized", Types: []string{"AEOC", "AEOS"}, RiskLevel: "low", Roles: []string{"importer"}}
	case "OP-B":
		h := &benefits.Holder{Operator: op, Status: "authorized", Types: []string{"AEOS"}, RiskLevel: "medium", Roles: []string{"carrier"}}
		if at.Month() == time.April && at.Year() == 2025 {
			h.Status = "suspended"
		}
		return h
	case "OP-C":
		return &benefits.Holder{Operator: op, Status: "authorized", Types: []string{"AEO"}, RiskLevel: "low", Roles: []string{"ecommerce_platform"}, BusinessModel: "3"}
	}
	return nil
}

// demoLedger records six months of use by the demo operators. Records
// refused (OP-B in April, while suspended) are counted.
func demoLedger(t testing.TB) (*benefits.Ledger, int) {
	t.Helper()
	l := benefits.NewLedger(mustProgramme(t))
	refused := 0
	add := func(rec benefits.Record) {
		if err := l.Add(rec, holderAt(rec.Operator, rec.At)); err != nil {
			if !errors.Is(err, benefits.ErrNotEntitled) {
				t.Fatalf("Add(%+v): %v", rec, err)
			}
			refused++
		}
	}
	for m := time.January; m <= time.June; m++ {
		for _, d := range []int{3, 10, 17, 24} {
			at := time.Date(2025, m, d, 9, 30, 0, 0, time.UTC)
			add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: at, Quantity: 5, Minutes: 60 + float64(m), NormalQuantity: 1, Ref: "CRX-A"})
			add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-B", At: at.Add(time.Hour), Quantity: 3, MinutesSaved: 80})
		}
		add(benefits.Record{Benefit: "stair.client-coordinator", Operator: "OP-A", At: time.Date(2025, m, 15, 0, 0, 0, 0, time.UTC), Quantity: 1.5, Unit: "hours"})
		add(benefits.Record{Benefit: "op.eu.fewer-controls", Operator: "OP-A", At: time.Date(2025, m, 28, 0, 0, 0, 0, time.UTC), Quantity: float64(m % 3)})
		add(benefits.Record{Benefit: "ecom.D", Operator: "OP-C", At: time.Date(2025, m, 1, 0, 0, 0, 0, time.UTC), Quantity: 100 + 10*float64(m)})
	}
	return l, refused
}

func TestLedger_Add(t *testing.T) {
	at := date(2025, 3, 10)
	ok := benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: at, Quantity: 2, Unit: "crossings"}
	with := func(f func(r *benefits.Record)) benefits.Record {
		r := ok
		f(&r)
		return r
	}
	tests := []struct {
		name     string
		rec      benefits.Record
		holder   *benefits.Holder
		wantErr  error
		field    string
		entitled benefits.Status // for ErrNotEntitled
		reason   string
	}{
		{name: "valid", rec: ok, holder: holderAt("OP-A", at), reason: "an entitled operator's use is recorded"},
		{name: "unit defaults to the measure", rec: with(func(r *benefits.Record) { r.Unit = "" }), holder: holderAt("OP-A", at),
			reason: "an empty unit is the benefit's measure"},
		{name: "zero quantity", rec: with(func(r *benefits.Record) { r.Quantity = 0 }), holder: holderAt("OP-A", at),
			reason: "zero is a quantity, if an odd one"},
		{name: "unknown benefit", rec: with(func(r *benefits.Record) { r.Benefit = "safe.release.teleport" }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrUnknownBenefit, field: "benefit", reason: "only the programme's benefits are recorded"},
		{name: "negative quantity", rec: with(func(r *benefits.Record) { r.Quantity = -1 }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrInvalidQuantity, field: "quantity", reason: "a negative use is not a use"},
		{name: "NaN quantity", rec: with(func(r *benefits.Record) { r.Quantity = math.NaN() }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrInvalidQuantity, field: "quantity", reason: "NaN would poison every total"},
		{name: "infinite minutes", rec: with(func(r *benefits.Record) { r.Minutes = math.Inf(1) }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrInvalidQuantity, field: "minutes", reason: "minutes are finite"},
		{name: "negative normal quantity", rec: with(func(r *benefits.Record) { r.NormalQuantity = -2 }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrInvalidQuantity, field: "normal_quantity", reason: "normal use is zero or more"},
		{name: "negative minutes saved", rec: with(func(r *benefits.Record) { r.MinutesSaved = -5 }), holder: holderAt("OP-A", at),
			reason: "the AEO lane may have been slower: a negative saving is a finding, not an error"},
		{name: "wrong unit", rec: with(func(r *benefits.Record) { r.Unit = "hours" }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrWrongUnit, field: "unit", reason: "crossings and hours do not add up"},
		{name: "malformed unit", rec: with(func(r *benefits.Record) { r.Unit = "Crossings!" }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrWrongUnit, field: "unit", reason: "units are tokens"},
		{name: "no operator", rec: with(func(r *benefits.Record) { r.Operator = "" }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrInvalidRecord, field: "operator", reason: "a use is by someone"},
		{name: "no date", rec: with(func(r *benefits.Record) { r.At = time.Time{} }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrInvalidRecord, field: "at", reason: "a use is on a date"},
		{name: "control character", rec: with(func(r *benefits.Record) { r.Ref = "a\x00b" }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrInvalidRecord, field: "ref", reason: "text fields are printable, so exports stay clean"},
		{name: "other operator's holder", rec: ok, holder: holderAt("OP-B", at),
			wantErr: benefits.ErrInvalidRecord, field: "operator", reason: "the holder must be the record's operator"},
		{name: "suspended on that date", rec: with(func(r *benefits.Record) { r.Operator, r.At = "OP-B", date(2025, 4, 2) }), holder: holderAt("OP-B", date(2025, 4, 2)),
			wantErr: benefits.ErrNotEntitled, entitled: benefits.Suspended, reason: "no benefits during suspension"},
		{name: "not eligible", rec: with(func(r *benefits.Record) { r.Benefit, r.Unit = "ecom.D", "" }), holder: holderAt("OP-A", at),
			wantErr: benefits.ErrNotEntitled, entitled: benefits.NotEligible, reason: "an importer is not an e-commerce stakeholder"},
		{name: "not yet introduced", rec: benefits.Record{Benefit: "ecom.K", Operator: "OP-C", At: at, Quantity: 1}, holder: holderAt("OP-C", at),
			wantErr: benefits.ErrNotEntitled, entitled: benefits.NotYetIntroduced, reason: "a benefit is used only once introduced"},
		{name: "holder not given", rec: ok, holder: nil,
			wantErr: benefits.ErrNotEntitled, entitled: benefits.CannotDecide, reason: "entitlement cannot be checked without the holder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := benefits.NewLedger(mustProgramme(t))
			err := l.Add(tt.rec, tt.holder)
			if tt.wantErr == nil {
				require.NoError(t, err, tt.reason)
				require.Equal(t, 1, l.Len())
				got := l.Records()[0]
				assert.Equal(t, "crossings", got.Unit, "the ledger stores the measure")
				return
			}
			require.ErrorIs(t, err, tt.wantErr, tt.reason)
			assert.Equal(t, 0, l.Len(), "nothing is recorded when a record is refused")
			var re *benefits.RecordError
			require.True(t, errors.As(err, &re), "Add returns a *RecordError, got %T", err)
			if tt.field != "" {
				assert.Equal(t, tt.field, re.Field)
			}
			if tt.wantErr == benefits.ErrNotEntitled {
				require.NotNil(t, re.Entitlement)
				assert.Equal(t, tt.entitled, re.Entitlement.Status, tt.reason)
			}
			assert.Regexp(t, `^benefits: record`, err.Error())
		})
	}
}

func TestLedger_Add_errorMessage(t *testing.T) {
	l := benefits.NewLedger(mustProgramme(t))
	err := l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-B", At: date(2025, 4, 2), Quantity: 1}, holderAt("OP-B", date(2025, 4, 2)))
	assert.EqualError(t, err, `benefits: record "safe.release.fast-lane" for "OP-B" on 2025-04-02: suspended: the authorization is suspended: operator not entitled`)
	err = l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 4, 2), Quantity: -3}, holderAt("OP-A", date(2025, 4, 2)))
	assert.EqualError(t, err, `benefits: record "safe.release.fast-lane" for "OP-A" on 2025-04-02: quantity: -3 is negative: invalid quantity`)
}

func TestLedger_zero(t *testing.T) {
	var l benefits.Ledger
	err := l.Add(benefits.Record{Benefit: "x", Operator: "y", At: date(2025, 1, 1)}, holderAt("OP-A", date(2025, 1, 1)))
	require.ErrorIs(t, err, benefits.ErrUnknownBenefit, "the zero Ledger refuses every record")
	rep, err := l.Report(date(2025, 1, 1), date(2026, 1, 1), benefits.GroupBy{})
	require.NoError(t, err)
	assert.Empty(t, rep.Rows)
}

func TestLedger_Restore(t *testing.T) {
	c := mustProgramme(t)
	good := []benefits.Record{
		{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 1, 1), Quantity: 1},
		{Benefit: "ecom.K", Operator: "OP-C", At: date(2024, 1, 1), Quantity: 1, Unit: "fees_waived"},
	}
	l := benefits.NewLedger(c)
	require.NoError(t, l.Restore(good), "restoring does not re-decide entitlement")
	assert.Equal(t, 2, l.Len())
	assert.Equal(t, "crossings", l.Records()[0].Unit)

	bad := append(append([]benefits.Record(nil), good...), benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 1, 1), Quantity: 1, Unit: "hours"})
	err := l.Restore(bad)
	require.ErrorIs(t, err, benefits.ErrWrongUnit)
	var re *benefits.RecordError
	require.True(t, errors.As(err, &re))
	assert.Equal(t, 3, re.Index)
	assert.Contains(t, err.Error(), "benefits: record 3 ")
	assert.Equal(t, 2, l.Len(), "all or nothing")
}

func TestLedger_Records_copy(t *testing.T) {
	l, _ := demoLedger(t)
	recs := l.Records()
	recs[0].Quantity = 999
	assert.NotEqual(t, 999.0, l.Records()[0].Quantity)
}

func TestLedger_Report(t *testing.T) {
	l, refused := demoLedger(t)
	assert.Equal(t, 4, refused, "OP-B's four crossings in April were refused while suspended")
	rep, err := l.Report(date(2025, 1, 1), date(2025, 7, 1), benefits.GroupBy{Operator: true, Benefit: true})
	require.NoError(t, err)
	var lane *benefits.Row
	for i := range rep.Rows {
		if rep.Rows[i].Operator == "OP-A" && rep.Rows[i].Benefit == "safe.release.fast-lane" {
			lane = &rep.Rows[i]
		}
	}
	require.NotNil(t, lane)
	// 24 records of 5 crossings, 60+m minutes each (m = 1..6), 1 normal crossing each.
	want := benefits.Row{
		Operator: "OP-A", Benefit: "safe.release.fast-lane", Unit: "crossings",
		Period: "2025-01-01/2025-07-01", Start: date(2025, 1, 1), End: date(2025, 7, 1),
		Records: 24, Operators: 1, Quantity: 120, MeanQuantity: 5,
		NormalQuantity: 24, Share: 0.8333,
		Minutes: 1524, MinutesPerUnit: 12.7,
		MinutesSaved: 120*45 - 1524,
		Baseline:     &benefits.Comparison{NormalMinutes: 45, SavedPerUnit: 32.3, Expected: 120, Achieved: 1},
	}
	if diff := cmp.Diff(want, *lane); diff != "" {
		t.Errorf("fast-lane row mismatch (-want +got):\n%s", diff)
	}
}

func TestLedger_Report_range(t *testing.T) {
	l, _ := demoLedger(t)
	for _, tt := range []struct {
		name     string
		from, to time.Time
		by       benefits.GroupBy
		reason   string
	}{
		{"empty range", date(2025, 2, 1), date(2025, 2, 1), benefits.GroupBy{}, "to must be after from"},
		{"reversed", date(2025, 3, 1), date(2025, 2, 1), benefits.GroupBy{}, "to must be after from"},
		{"zero from", time.Time{}, date(2025, 2, 1), benefits.GroupBy{}, "a report has explicit bounds"},
		{"unknown interval", date(2025, 1, 1), date(2025, 2, 1), benefits.GroupBy{Interval: 9}, "intervals are whole, month, quarter or year"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Report(tt.from, tt.to, tt.by)
			require.ErrorIs(t, err, benefits.ErrInvalidRange, tt.reason)
		})
	}
	rep, err := l.Report(date(2025, 3, 2), date(2025, 3, 3), benefits.GroupBy{Benefit: true})
	require.NoError(t, err)
	assert.Empty(t, rep.Rows, "no record falls in [2 March, 3 March): to is excluded")
	rep, err = l.Report(date(2025, 3, 3), date(2025, 3, 4), benefits.GroupBy{Benefit: true, Interval: benefits.Month})
	require.NoError(t, err)
	require.Len(t, rep.Rows, 1, "from is included")
	assert.Equal(t, 2, rep.Rows[0].Records)
	assert.Equal(t, date(2025, 3, 3), rep.Rows[0].Start, "periods are clipped to the range")
	assert.InDelta(t, 20*2/31.0, rep.Rows[0].Baseline.Expected, 1e-4, "20 a month for each of two operators, over one day of March")
}

// TestReportGolden renders reports over the demo ledger; the files are the
// reference for what a programme's benefit report looks like.
func TestReportGolden(t *testing.T) {
	l, _ := demoLedger(t)
	tests := []struct {
		name   string
		by     benefits.GroupBy
		reason string
	}{
		{"operator-benefit-month", benefits.GroupBy{Operator: true, Benefit: true, Interval: benefits.Month}, "the monthly use per member the seed asks for"},
		{"benefit-quarter", benefits.GroupBy{Benefit: true, Interval: benefits.Quarter}, "the programme's quarterly totals, with baselines"},
		{"operator-year", benefits.GroupBy{Operator: true, Interval: benefits.Year}, "per member, by unit"},
		{"whole", benefits.GroupBy{}, "totals by unit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := l.Report(date(2025, 1, 1), date(2025, 7, 1), tt.by)
			require.NoError(t, err)
			var j, c bytes.Buffer
			require.NoError(t, rep.WriteJSON(&j))
			require.NoError(t, rep.WriteCSV(&c))
			golden(t, "reports/"+tt.name+".json", j.String())
			golden(t, "reports/"+tt.name+".csv", c.String())
			// Rendering again gives the same bytes.
			rep2, err := l.Report(date(2025, 1, 1), date(2025, 7, 1), tt.by)
			require.NoError(t, err)
			var j2 bytes.Buffer
			require.NoError(t, rep2.WriteJSON(&j2))
			assert.Equal(t, j.String(), j2.String(), "reports are stable")
		})
	}
}

func TestReport_location(t *testing.T) {
	c := mustProgramme(t)
	l := benefits.NewLedger(c)
	// 23:30 on 31 March in New York is 03:30 on 1 April in UTC.
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database")
	}
	at := time.Date(2025, 3, 31, 23, 30, 0, 0, ny)
	require.NoError(t, l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: at, Quantity: 1}, holderAt("OP-A", at)))
	utc, err := l.Report(date(2025, 1, 1), date(2026, 1, 1), benefits.GroupBy{Interval: benefits.Month})
	require.NoError(t, err)
	assert.Equal(t, "2025-04", utc.Rows[0].Period)
	local, err := l.Report(time.Date(2025, 1, 1, 0, 0, 0, 0, ny), time.Date(2026, 1, 1, 0, 0, 0, 0, ny), benefits.GroupBy{Interval: benefits.Month})
	require.NoError(t, err)
	assert.Equal(t, "2025-03", local.Rows[0].Period, "periods follow the location of from")
}

// TestLedger_concurrent adds records while reports run; run it with -race.
func TestLedger_concurrent(t *testing.T) {
	l := benefits.NewLedger(mustProgramme(t))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 100 {
				at := date(2025, time.Month(1+i%12), 1+g)
				if err := l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: at, Quantity: 1}, holderAt("OP-A", at)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range 20 {
				if _, err := l.Report(date(2025, 1, 1), date(2026, 1, 1), benefits.GroupBy{Benefit: true, Interval: benefits.Month}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 400, l.Len())
}
