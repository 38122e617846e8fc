package benefits_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/safe-aeo/engine/benefits"
)

// BenchmarkEligible decides the whole default catalogue (every built-in
// catalogue, with the test programme's additions) for one holder.
func BenchmarkEligible(b *testing.B) {
	c := mustProgramme(b)
	h := holder(func(h *benefits.Holder) { h.Grade = "tier2" })
	at := date(2025, 9, 1)
	if n := len(c.Eligible(h, at)); n != c.Len() {
		b.Fatalf("Eligible gave %d entitlements, want %d", n, c.Len())
	}
	b.ReportAllocs()
	for b.Loop() {
		if es := c.Eligible(h, at); len(es) == 0 {
			b.Fatal("no entitlements")
		}
	}
}

// BenchmarkEligibleParallel shares one catalogue between goroutines.
func BenchmarkEligibleParallel(b *testing.B) {
	c := mustProgramme(b)
	at := date(2025, 9, 1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		h := holder(func(h *benefits.Holder) { h.Grade = "tier2" })
		for pb.Next() {
			if es := c.Eligible(h, at); len(es) == 0 {
				b.Error("no entitlements")
				return
			}
		}
	})
}

// BenchmarkDecide decides one benefit, as the ledger does for each record.
func BenchmarkDecide(b *testing.B) {
	c := mustProgramme(b)
	h := holder()
	at := date(2025, 9, 1)
	b.ReportAllocs()
	for b.Loop() {
		e, err := c.Decide(h, "safe.release.fast-lane", at)
		if err != nil || e.Status != benefits.Granted {
			b.Fatalf("Decide = %+v, %v", e, err)
		}
	}
}

// BenchmarkAdd validates and records one use.
func BenchmarkAdd(b *testing.B) {
	c := mustProgramme(b)
	l := benefits.NewLedger(c)
	h := holder()
	rec := benefits.Record{Benefit: "safe.release.fast-lane", Operator: "EU-IMP-1", At: date(2025, 9, 1), Quantity: 1, Minutes: 12}
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Add(rec, h); err != nil {
			b.Fatal(err)
		}
	}
}

// millionRecords generates 1,000,000 records over 2025: 1,000 operators,
// the benefits the demo ledger uses, every day of the year.
func millionRecords() []benefits.Record {
	ids := []string{"safe.release.fast-lane", "stair.client-coordinator", "op.eu.fewer-controls", "safe.release.reduced-data", "ecom.D"}
	ops := make([]string, 1000)
	for i := range ops {
		ops[i] = fmt.Sprintf("OP-%04d", i)
	}
	recs := make([]benefits.Record, 1_000_000)
	start := date(2025, 1, 1)
	for i := range recs {
		r := &recs[i]
		r.Benefit = ids[i%len(ids)]
		r.Operator = ops[(i/7)%len(ops)]
		r.At = start.Add(time.Duration(i%(365*24)) * time.Hour)
		r.Quantity = float64(1 + i%5)
		if r.Benefit == "safe.release.fast-lane" {
			r.Minutes = float64(10 + i%20)
			r.NormalQuantity = float64(i % 2)
		}
	}
	return recs
}

// BenchmarkReport reports over a ledger of 1,000,000 records.
func BenchmarkReport(b *testing.B) {
	l := benefits.NewLedger(mustProgramme(b))
	if err := l.Restore(millionRecords()); err != nil {
		b.Fatal(err)
	}
	for _, bb := range []struct {
		name string
		by   benefits.GroupBy
	}{
		{"benefit-month", benefits.GroupBy{Benefit: true, Interval: benefits.Month}},
		{"operator-benefit-quarter", benefits.GroupBy{Operator: true, Benefit: true, Interval: benefits.Quarter}},
		{"whole", benefits.GroupBy{}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep, err := l.Report(date(2025, 1, 1), date(2026, 1, 1), bb.by)
				if err != nil {
					b.Fatal(err)
				}
				if len(rep.Rows) == 0 {
					b.Fatal("empty report")
				}
			}
		})
	}
}
