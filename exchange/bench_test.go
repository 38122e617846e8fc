package exchange_test

import (
	"fmt"
	"testing"

	"github.com/safe-aeo/engine/exchange"
)

// BenchmarkStanding reads a partner status from a registry of 10,000
// operators, as a selectivity host does for each declaration.
func BenchmarkStanding(b *testing.B) {
	r, err := exchange.NewRegistry(partners()...)
	if err != nil {
		b.Fatal(err)
	}
	var recs []exchange.Record
	for i := range 10000 {
		recs = append(recs, plRecord(fmt.Sprintf("OP-%05d", i), 3))
	}
	if _, err := r.Import(batch("PL", recs...), "bench", at("2025-07-04")); err != nil {
		b.Fatal(err)
	}
	on := at("2025-08-01")
	b.ReportAllocs()
	for b.Loop() {
		if st := r.Standing("PLOP-04242", on); !st.Recognised {
			b.Fatal(st.Reason)
		}
	}
}

// BenchmarkImport imports a file of 1,000 records into an empty registry.
func BenchmarkImport(b *testing.B) {
	var recs []exchange.Record
	for i := range 1000 {
		recs = append(recs, plRecord(fmt.Sprintf("OP-%05d", i), 3))
	}
	file := batch("PL", recs...)
	b.ReportAllocs()
	for b.Loop() {
		r, err := exchange.NewRegistry(partners()...)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Import(file, "bench", at("2025-07-04")); err != nil {
			b.Fatal(err)
		}
	}
}
