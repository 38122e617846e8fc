package exchange_test

import (
	"time"

	"github.com/safe-aeo/engine/exchange"
)

// day returns a Date for a day.
func day(s string) exchange.Date {
	var d exchange.Date
	if err := d.UnmarshalText([]byte(s)); err != nil {
		panic(err)
	}
	return d
}

func at(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

// partners are those of the Republic of Example's registry in the tests:
// Partnerland under an MRA covering security types only, a CMAA partner,
// a programme recognised unilaterally, and two fellow union members.
func partners() []exchange.Partner {
	return []exchange.Partner{
		{ID: "PL", Programme: "Partnerland AEO", Basis: exchange.BasisMRA, Agreement: "MRA XX-PL", From: at("2025-07-01"), Types: []string{"AEOS"}},
		{ID: "VN", Programme: "Vendorland AEO", Basis: exchange.BasisCMAA, Agreement: "CMAA XX-VN"},
		{ID: "UL", Programme: "Uniland AEO", Basis: exchange.BasisUnilateral},
		{ID: "XB", Programme: "Union AEO", Basis: exchange.BasisUnion, Agreement: "Example Customs Union"},
		{ID: "XC", Programme: "Union AEO", Basis: exchange.BasisUnion, Agreement: "Example Customs Union"},
	}
}

// plRecord is a valid record from Partnerland: an AEOS granted in 2024.
func plRecord(id string, seq int) exchange.Record {
	return exchange.Record{
		Issuer: "PL", Programme: "Partnerland AEO", Seq: seq, Issued: at("2025-07-02"),
		Operator:  exchange.Operator{NationalID: id, TIN: "PL" + id, Name: "Operator " + id, Country: "PL"},
		Status:    "authorized",
		Types:     []exchange.Type{{Type: "AEOS", Granted: day("2024-03-01")}},
		Agreement: &exchange.Agreement{Basis: exchange.BasisMRA, Name: "MRA XX-PL", Start: day("2025-07-01")},
		Consent:   &exchange.Consent{Given: day("2025-06-01")},
	}
}

func unionRecord(issuer, id string, seq int) exchange.Record {
	return exchange.Record{
		Issuer: issuer, Programme: "Union AEO", Seq: seq, Issued: at("2025-07-02"),
		Operator:  exchange.Operator{NationalID: id, TIN: "EU" + id},
		Status:    "authorized",
		Types:     []exchange.Type{{Type: "AEOC", Granted: day("2025-02-01")}, {Type: "AEOS", Granted: day("2025-02-01")}},
		Agreement: &exchange.Agreement{Basis: exchange.BasisUnion, Name: "Example Customs Union"},
	}
}

func batch(issuer string, recs ...exchange.Record) exchange.Batch {
	return exchange.Batch{Format: exchange.Format, Issuer: issuer, Issued: at("2025-07-03"), Records: recs}
}
