package benefits_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

// FuzzReadJSON checks that the JSON decoder never panics, fails only with
// a *DecodeError, and that whatever it decodes passes the ledger's record
// checks and survives a write and a second read unchanged.
func FuzzReadJSON(f *testing.F) {
	var b bytes.Buffer
	if err := benefits.WriteJSON(&b, sampleRecords()); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	f.Add(`[]`)
	f.Add(`[{"benefit":"x","operator":"y","at":"2025-01-01T00:00:00Z","quantity":-1}]`)
	f.Add(`[{"benefit":"x\u0000","operator":"y","at":"2025-01-01T00:00:00+14:00","quantity":1e308,"minutes_saved":-0}]`)
	f.Add(`[{"Benefit":"x","OPERATOR":"y","at":"0001-01-01T00:00:00Z","quantity":1}] `)
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := benefits.ReadJSON(strings.NewReader(in))
		if err != nil {
			var de *benefits.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("ReadJSON error is %T, want *DecodeError: %v", err, err)
			}
			return
		}
		roundTrip(t, recs, benefits.WriteJSON, benefits.ReadJSON)
	})
}

// FuzzReadCSV is FuzzReadJSON for CSV.
func FuzzReadCSV(f *testing.F) {
	var b bytes.Buffer
	if err := benefits.WriteCSV(&b, sampleRecords()); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	f.Add("benefit,operator,at,quantity\n")
	f.Add("quantity,at,operator,benefit,ref\n1,2025-01-01,o,b,\"a\r\nb\"\n")
	f.Add("benefit,operator,at,quantity,minutes\nb,o,2025-01-01T00:00:00.5-03:00,0x1p3,1e-300\n")
	f.Add("\ufeffbenefit,operator,at,quantity\nb,\"o\"\"p\",2025-12-31,Inf\n")
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := benefits.ReadCSV(strings.NewReader(in))
		if err != nil {
			var de *benefits.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("ReadCSV error is %T, want *DecodeError: %v", err, err)
			}
			return
		}
		roundTrip(t, recs, benefits.WriteCSV, benefits.ReadCSV)
	})
}

func roundTrip(t *testing.T, recs []benefits.Record, write func(io.Writer, []benefits.Record) error, read func(io.Reader) ([]benefits.Record, error)) {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, recs); err != nil {
		t.Fatalf("write of decoded records: %v", err)
	}
	text := b.String()
	again, err := read(&b)
	if err != nil {
		t.Fatalf("read of written records: %v\n%s", err, text)
	}
	if diff := cmp.Diff(recs, again); diff != "" {
		t.Fatalf("round trip mismatch (-first +second):\n%s\n%s", diff, text)
	}
	// Every decoded record is one the ledger accepts as far as its form
	// goes: any refusal is about the catalogue.
	l := benefits.NewLedger(benefits.MustCompile(benefits.Config{Catalogues: []string{"none"}, Add: []benefits.Benefit{{ID: "b", Title: "b", Source: "s"}}}))
	for _, r := range recs {
		err := l.Restore([]benefits.Record{r})
		if err != nil && !errors.Is(err, benefits.ErrUnknownBenefit) && !errors.Is(err, benefits.ErrWrongUnit) {
			t.Fatalf("decoded record refused for its form: %v", err)
		}
	}
}

// FuzzCompileEligible checks that any eligible expression either compiles
// or is reported as a ConfigError at its place, and that whatever compiles
// decides without panicking on holders with and without facts.
func FuzzCompileEligible(f *testing.F) {
	f.Add(`grade in ["tier2", "tier3"]`)
	f.Add(`risk_level == "low" && "importer" in roles`)
	f.Add(`facts.volume > 1.5 || len(types) > 1`)
	f.Add(`days_since(as_of) > 3 && "p3" in milestones`)
	f.Add(`status ==`)
	f.Fuzz(func(t *testing.T, src string) {
		cfg := benefits.Config{
			Catalogues: []string{"none"},
			Facts:      []criteria.FactDecl{{Name: "volume", Type: "float"}},
			Add:        []benefits.Benefit{{ID: "x", Title: "x", Source: "s", Eligible: src}},
		}
		c, err := benefits.Compile(cfg)
		if err != nil {
			var ce *diag.Error
			if !errors.As(err, &ce) {
				t.Fatalf("Compile(%q) error is %T, want *ConfigError", src, err)
			}
			return
		}
		for _, h := range []*benefits.Holder{nil, holder(), holder(func(h *benefits.Holder) {
			h.Facts = map[string]any{"volume": "x"}
			h.Roles = nil
		})} {
			for _, e := range c.Eligible(h, date(2025, 1, 1)) {
				if e.Reason == "" {
					t.Fatalf("Eligible(%q) gave no reason: %+v", src, e)
				}
			}
		}
	})
}
