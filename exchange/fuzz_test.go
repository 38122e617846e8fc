package exchange_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safe-aeo/engine/exchange"
)

// FuzzDecode feeds the decoder any bytes: it never panics, and a file that
// decodes and checks clean encodes and decodes back to itself and imports
// or is refused with reasons.
func FuzzDecode(f *testing.F) {
	good, err := exchange.Encode(batch("PL", plRecord("OP-1", 3)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	union, _ := exchange.Encode(batch("XB", unionRecord("XB", "U-1", 4)))
	f.Add(union)
	f.Add([]byte(`{"format": "aeo-exchange/1", "issuer": "PL", "issued": "2025-07-03", "records": [{"issuer": "PL", "seq": 1}]}`))
	f.Add([]byte(`{"records": [{"types": [{"type": "AEOS", "granted": "2025-13-01"}]}]}`))
	f.Add([]byte("format: aeo-exchange/1\nissuer: PL\nrecords: [{consent: {given: 2025-01-01, withdrawn: 2024-01-01}}]\n"))
	f.Add([]byte(`[1, 2, 3]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := exchange.Decode("fuzz.json", data)
		if err != nil {
			return
		}
		if err := b.Check(); err != nil {
			var ie *exchange.ImportError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("Check error %T without problems: %v", err, err)
			}
			return
		}
		out, err := exchange.Encode(*b)
		if err != nil {
			t.Fatalf("Encode of a checked file: %v", err)
		}
		back, err := exchange.Decode("again.json", out)
		if err != nil {
			t.Fatalf("a file Encode wrote does not decode: %v\n%s", err, out)
		}
		if back.Records == nil {
			back.Records = b.Records
		}
		if diff := cmp.Diff(b, back, cmp.AllowUnexported(exchange.Date{})); diff != "" && len(b.Records) > 0 {
			t.Fatalf("round trip mismatch (-first +second):\n%s", diff)
		}
		r, err := exchange.NewRegistry(partners()...)
		if err != nil {
			t.Fatal(err)
		}
		before := r.Records()
		if _, err := r.Import(*b, "fuzz", at("2025-07-04")); err != nil {
			var ie *exchange.ImportError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 || !errors.Is(err, exchange.ErrRefused) {
				t.Fatalf("Import error %T without problems: %v", err, err)
			}
			if len(r.Records()) != len(before) {
				t.Fatalf("a refused import left records")
			}
		}
	})
}

// fuzzRecord makes a record from 6 bytes: an issuer, an operator, a seq,
// types and dates, mostly valid, sometimes not.
func fuzzRecord(b []byte) exchange.Record {
	issuers := []string{"PL", "XB", "XC", "VN"}
	progs := map[string]string{"PL": "Partnerland AEO", "XB": "Union AEO", "XC": "Union AEO", "VN": "Vendorland AEO"}
	iss := issuers[b[0]&3]
	rec := exchange.Record{Issuer: iss, Programme: progs[iss], Seq: int(b[1]%6) + 1, Issued: at("2025-09-01"),
		Operator: exchange.Operator{NationalID: fmt.Sprintf("OP-%d", (b[0]>>2)&3), TIN: fmt.Sprintf("T%d", (b[0]>>4)&3)}}
	types := []string{"AEOS", "AEOC"}
	for i := range 1 + int(b[2]&1) {
		ty := exchange.Type{Type: types[i], Granted: day([]string{"2024-01-01", "2025-08-01", "2025-10-01"}[b[2]>>1%3])}
		if b[3]&1 != 0 {
			ty.Suspended = day([]string{"2025-02-01", "2025-08-15", "2023-01-01"}[(b[3]>>1)%3])
			if b[3]&8 != 0 {
				ty.Lifted = day([]string{"2025-03-01", "2025-01-01"}[(b[3]>>4)&1])
			}
		}
		if b[4]&1 != 0 {
			ty.Revoked = day("2025-08-20")
		}
		rec.Types = append(rec.Types, ty)
	}
	rec.Status = exchange.Status([]string{"authorized", "partly_suspended", "suspended", "revoked", "withdrawn", "annulled", "lapsed", ""}[(b[4]>>1)&7])
	if rec.Status == "withdrawn" || rec.Status == "lapsed" || rec.Status == "annulled" {
		rec.Ended = day("2025-08-25")
	}
	if b[5]&1 == 0 && iss != "XB" && iss != "XC" {
		rec.Consent = &exchange.Consent{Given: day("2025-06-01")}
		if b[5]&2 != 0 {
			rec.Consent.Withdrawn = day("2025-08-30")
			rec.Status, rec.Types, rec.Ended = "", nil, exchange.Date{}
		}
	}
	return rec
}

// FuzzImport imports batches of fuzzed records one after another and
// checks the registry: a refused import changes nothing and logs
// nothing, an accepted one logs its records, and every standing read is
// consistent.
func FuzzImport(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 0, 2, 0, 1, 0, 0})
	f.Add([]byte{1, 1, 0, 0, 0, 1, 2, 1, 0, 1, 0, 1})
	f.Add([]byte{0, 3, 4, 9, 2, 0, 0, 3, 4, 25, 2, 2})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := exchange.NewRegistry(partners()...)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+7 <= len(data) && i < 40*7; i += 7 {
			n := 1 + int(data[i]>>6)
			var recs []exchange.Record
			for j := 0; j < n && i+1+6 <= len(data); j++ {
				recs = append(recs, fuzzRecord(data[i+1:i+7]))
				data[i+1] += 0x11 // the next record differs
			}
			issuer := recs[0].Issuer
			b := exchange.Batch{Format: exchange.Format, Issuer: issuer, Issued: at("2025-09-02"), Records: recs}
			before, logBefore := r.Records(), len(r.Log())
			imp, err := r.Import(b, "fuzz", at("2025-09-03"))
			if err != nil {
				var ie *exchange.ImportError
				if !errors.As(err, &ie) || len(ie.Problems) == 0 {
					t.Fatalf("refusal without problems: %v", err)
				}
				if diff := cmp.Diff(before, r.Records(), cmp.AllowUnexported(exchange.Date{})); diff != "" || len(r.Log()) != logBefore {
					t.Fatalf("a refused import changed the registry:\n%s", diff)
				}
				continue
			}
			if len(imp.Records) != len(recs) || len(r.Log()) != logBefore+1 {
				t.Fatalf("an accepted import of %d records logged %d", len(recs), len(imp.Records))
			}
			for _, rec := range recs {
				for _, d := range []string{"2024-06-01", "2025-08-10", "2025-08-31"} {
					st := r.Standing(rec.Operator.NationalID, at(d))
					if st.Recognised && (!st.Known || len(st.Types) == 0) {
						t.Fatalf("recognised without a type in force: %+v", st)
					}
				}
			}
		}
	})
}
