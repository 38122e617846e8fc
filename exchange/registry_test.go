package exchange_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/exchange"
)

func newRegistry(t *testing.T) *exchange.Registry {
	t.Helper()
	r, err := exchange.NewRegistry(partners()...)
	require.NoError(t, err)
	return r
}

// TestImportRefused lists the bad inputs an import refuses, each with its
// reason, and checks that a refused file leaves nothing behind.
func TestImportRefused(t *testing.T) {
	mutate := func(f func(*exchange.Record)) exchange.Record {
		r := plRecord("OP-1", 3)
		f(&r)
		return r
	}
	tests := []struct {
		name   string
		before []exchange.Batch // imported first, and accepted
		b      exchange.Batch
		want   exchange.Reason
		detail string
		reason string
	}{{
		name: "unknown partner", b: batch("ZZ", mutate(func(r *exchange.Record) { r.Issuer = "ZZ" })),
		want: exchange.ReasonUnknownPartner, detail: `"ZZ" is not a partner of the programme`,
		reason: "records are imported only from partners the programme names",
	}, {
		name: "another programme", b: batch("PL", mutate(func(r *exchange.Record) { r.Programme = "Other AEO" })),
		want: exchange.ReasonUnknownPartner, detail: `PL's programme is "Partnerland AEO"`,
		reason: "a partner reports on its own programme",
	}, {
		name: "type not covered", b: batch("PL", mutate(func(r *exchange.Record) {
			r.Types = append(r.Types, exchange.Type{Type: "AEOC", Granted: day("2024-03-01")})
		})),
		want: exchange.ReasonNotCovered, detail: "AEOC is not covered by the arrangement with PL, which covers AEOS",
		reason: "the MRA covers security types only",
	}, {
		name: "lifted before suspended", b: batch("PL", mutate(func(r *exchange.Record) {
			r.Types[0].Suspended, r.Types[0].Lifted = day("2025-05-10"), day("2025-05-01")
		})),
		want: exchange.ReasonDates, detail: "AEOS lifted 2025-05-01, before it was suspended (2025-05-10)",
		reason: "contradictory dates are refused",
	}, {
		name: "suspended before granted", b: batch("PL", mutate(func(r *exchange.Record) { r.Types[0].Suspended = day("2024-01-01") })),
		want: exchange.ReasonDates, detail: "before it was granted",
		reason: "a type cannot be suspended before it was granted",
	}, {
		name: "status contradicts the types", b: batch("PL", mutate(func(r *exchange.Record) { r.Types[0].Suspended = day("2025-06-01") })),
		want: exchange.ReasonDates, detail: "status authorized contradicts the types, which make it suspended",
		reason: "a record that says authorized of a suspended type contradicts itself",
	}, {
		name: "a date after the record", b: batch("PL", mutate(func(r *exchange.Record) { r.Types[0].Granted = day("2025-08-01") })),
		want: exchange.ReasonDates, detail: "is after the record was made",
		reason: "a record cannot report the future",
	}, {
		name: "twice in the file", b: batch("PL", plRecord("OP-1", 3), plRecord("OP-1", 4)),
		want: exchange.ReasonDuplicate, detail: "in the file twice (records[0])",
		reason: "one record per operator per file",
	}, {
		name: "imported before", before: []exchange.Batch{batch("PL", plRecord("OP-1", 3))}, b: batch("PL", plRecord("OP-1", 3)),
		want: exchange.ReasonDuplicate, detail: "record PL/OP-1#3 was imported before",
		reason: "the same record imported twice",
	}, {
		name: "stale", before: []exchange.Batch{batch("PL", plRecord("OP-1", 5))}, b: batch("PL", plRecord("OP-1", 3)),
		want: exchange.ReasonStale, detail: "holds a later record of the operator (seq 5)",
		reason: "an older record never replaces a later one",
	}, {
		name: "no consent", b: batch("PL", mutate(func(r *exchange.Record) { r.Consent = nil })),
		want: exchange.ReasonNoConsent, detail: "no consent of the operator",
		reason: "records without consent are refused",
	}, {
		name: "another arrangement", b: batch("PL", mutate(func(r *exchange.Record) { r.Agreement.Name = "MRA 2019" })),
		want: exchange.ReasonAgreement, detail: `the programme's arrangement with PL is "MRA XX-PL"`,
		reason: "the record names the arrangement it is exchanged under",
	}, {
		name: "not the competent member", before: []exchange.Batch{batch("XB", unionRecord("XB", "U-1", 4))},
		b: batch("XC", func() exchange.Record {
			r := unionRecord("XC", "U-1", 7)
			r.Status = "suspended"
			for i := range r.Types {
				r.Types[i].Suspended = day("2025-07-01")
			}
			return r
		}()),
		want: exchange.ReasonNotCompetent, detail: "XB granted the operator's status and is the competent member",
		reason: "in a union only the member that granted a status suspends or revokes it",
	}, {
		name: "wrong format", b: func() exchange.Batch { b := batch("PL", plRecord("OP-1", 3)); b.Format = "aeo-exchange/0"; return b }(),
		want: exchange.ReasonInvalid, detail: `format "aeo-exchange/0"`,
		reason: "another format is refused",
	}, {
		name: "notice with data", b: batch("PL", mutate(func(r *exchange.Record) { r.Consent.Withdrawn = day("2025-07-01") })),
		want: exchange.ReasonInvalid, detail: "a withdrawal notice names the operator and carries no status data",
		reason: "after a withdrawal nothing but the identifiers may go",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRegistry(t)
			for _, b := range tt.before {
				_, err := r.Import(b, "officer-a", at("2025-07-04"))
				require.NoError(t, err)
			}
			records, log := r.Records(), r.Log()
			// A valid record of another operator rides along: it must not
			// be imported either.
			b := tt.b
			if b.Issuer == "PL" {
				b.Records = append(b.Records, plRecord("OP-9", 2))
			}
			_, err := r.Import(b, "officer-a", at("2025-07-05"))
			require.ErrorIs(t, err, exchange.ErrRefused, tt.reason)
			var ie *exchange.ImportError
			require.True(t, errors.As(err, &ie))
			assert.True(t, ie.Has(tt.want), "want reason %s in %v; %s", tt.want, err, tt.reason)
			assert.Contains(t, err.Error(), tt.detail, tt.reason)
			assert.Contains(t, err.Error(), "nothing imported")
			if diff := cmp.Diff(records, r.Records(), cmp.AllowUnexported(exchange.Date{})); diff != "" {
				t.Errorf("a refused import changed the records (-before +after):\n%s", diff)
			}
			assert.Equal(t, log, r.Log(), "a refused import is not logged as made")
		})
	}
}

// TestImportAndStanding imports records and reads the standing they give
// on different days.
func TestImportAndStanding(t *testing.T) {
	r := newRegistry(t)
	susp := plRecord("OP-2", 4)
	susp.Types[0].Suspended, susp.Types[0].Lifted = day("2025-07-10"), day("2025-07-20")
	susp.Issued = at("2025-07-25")
	b := batch("PL", plRecord("OP-1", 3), susp)
	b.Issued = at("2025-07-25")
	imp, err := r.Import(b, "officer-a", at("2025-07-26"))
	require.NoError(t, err)
	require.Len(t, imp.Records, 2)
	assert.Regexp(t, `^PL/OP-1#3 sha256:[0-9a-f]{64}$`, imp.Records[0], "the log names each record by key and digest")

	tests := []struct {
		id, day    string
		recognised bool
		status     exchange.Status
		reason     string
	}{
		{"OP-1", "2025-06-30", false, "authorized", "the MRA applies from 2025-07-01: an AEO before it is not recognised"},
		{"OP-1", "2025-07-01", true, "authorized", "recognised from the MRA's start"},
		{"PLOP-1", "2025-08-01", true, "authorized", "found by its trader identification number too"},
		{"PL/OP-1", "2025-08-01", true, "authorized", "and by its national identifier qualified by the issuer"},
		{"OP-2", "2025-07-15", false, "suspended", "suspended on the day: not recognised"},
		{"OP-2", "2025-07-20", true, "authorized", "lifted on 2025-07-20: recognised again that day"},
		{"OP-7", "2025-08-01", false, "", "an operator the registry does not know is never recognised"},
	}
	for _, tt := range tests {
		t.Run(tt.id+" "+tt.day, func(t *testing.T) {
			st := r.Standing(tt.id, at(tt.day))
			assert.Equal(t, tt.recognised, st.Recognised, "%s; %s", st.Reason, tt.reason)
			assert.Equal(t, tt.status, st.Status, tt.reason)
			if !tt.recognised {
				assert.NotEmpty(t, st.Reason, "a standing not recognised says why")
			}
		})
	}

	// A withdrawal notice deletes the data: the operator is no longer
	// recognised on any day.
	notice := exchange.Record{Issuer: "PL", Programme: "Partnerland AEO", Seq: 6, Issued: at("2025-08-02"),
		Operator: exchange.Operator{NationalID: "OP-1", TIN: "PLOP-1"},
		Consent:  &exchange.Consent{Given: day("2025-06-01"), Withdrawn: day("2025-08-01")}}
	nb := batch("PL", notice)
	nb.Issued = at("2025-08-02")
	imp, err = r.Import(nb, "officer-b", at("2025-08-03"))
	require.NoError(t, err)
	assert.Len(t, imp.Notices, 1)
	st := r.Standing("OP-1", at("2025-07-15"))
	assert.False(t, st.Recognised, "a withdrawal stops partner recognition")
	assert.Contains(t, st.Reason, "withdrew its consent on 2025-08-01")
	for _, rec := range r.Records() {
		if rec.Operator.NationalID == "OP-1" {
			assert.Empty(t, rec.Types, "the data was deleted")
			assert.Empty(t, rec.Operator.Name)
		}
	}
	assert.Len(t, r.Log(), 2)
}

// TestUnionRegister checks the shared register of a union: a status
// granted by any member holds, and a suspension by the competent member
// takes effect from its date.
func TestUnionRegister(t *testing.T) {
	r := newRegistry(t)
	_, err := r.Import(batch("XB", unionRecord("XB", "U-1", 4)), "officer-a", at("2025-07-04"))
	require.NoError(t, err)
	st := r.Standing("EUU-1", at("2025-07-04"))
	require.True(t, st.Recognised, st.Reason)
	assert.Equal(t, exchange.BasisUnion, st.Basis)
	assert.Equal(t, []string{"AEOC", "AEOS"}, st.Types)

	susp := unionRecord("XB", "U-1", 6)
	susp.Status = "partly_suspended"
	susp.Types[0].Suspended = day("2025-07-01")
	susp.Issued = at("2025-07-09")
	b := batch("XB", susp)
	b.Issued = at("2025-07-09")
	_, err = r.Import(b, "officer-a", at("2025-07-10"))
	require.NoError(t, err, "the competent member suspends")
	st = r.Standing("U-1", at("2025-07-02"))
	assert.Equal(t, exchange.Status("partly_suspended"), st.Status, "union-wide from the suspension's date, though imported later")
	assert.Equal(t, []string{"AEOS"}, st.Types)
	assert.Equal(t, []string{"AEOC"}, st.Suspended)

	// Once the status has ended, another member may grant anew (the
	// operator moved its main accounts).
	rev := unionRecord("XB", "U-1", 8)
	rev.Status, rev.Ended, rev.Issued = "revoked", day("2025-08-01"), at("2025-08-02")
	for i := range rev.Types {
		rev.Types[i].Revoked = day("2025-08-01")
	}
	b = batch("XB", rev)
	b.Issued = at("2025-08-02")
	_, err = r.Import(b, "officer-a", at("2025-08-02"))
	require.NoError(t, err)
	anew := unionRecord("XC", "U-1", 2)
	anew.Issued = at("2025-09-02")
	anew.Types = []exchange.Type{{Type: "AEOS", Granted: day("2025-09-01")}}
	b = batch("XC", anew)
	b.Issued = at("2025-09-02")
	_, err = r.Import(b, "officer-a", at("2025-09-02"))
	require.NoError(t, err, "a new grant by another member after the revocation")
	assert.Equal(t, "XC", r.Standing("U-1", at("2025-09-05")).Partner)
}

func TestNewRegistryRefuses(t *testing.T) {
	tests := []struct {
		name     string
		partners []exchange.Partner
		want     string
	}{
		{"no basis", []exchange.Partner{{ID: "PL", Programme: "P"}}, "partner PL has no basis"},
		{"twice", []exchange.Partner{{ID: "PL", Programme: "P", Basis: exchange.BasisMRA}, {ID: "PL", Programme: "Q", Basis: exchange.BasisMRA}}, "partner PL given twice"},
		{"one programme", []exchange.Partner{{ID: "PL", Programme: "P", Basis: exchange.BasisMRA}, {ID: "PM", Programme: "P", Basis: exchange.BasisCMAA}}, "only the members of a union share one"},
		{"ends before it starts", []exchange.Partner{{ID: "PL", Programme: "P", Basis: exchange.BasisMRA, From: at("2025-01-02"), Until: at("2024-01-01")}}, "ends before it starts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := exchange.NewRegistry(tt.partners...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestRegistryConcurrent imports and reads from many goroutines; run it
// under -race.
func TestRegistryConcurrent(t *testing.T) {
	r := newRegistry(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 20 {
				_, err := r.Import(batch("PL", plRecord(fmt.Sprintf("G%d-%d", g, i), 3)), "officer", at("2025-07-04"))
				assert.NoError(t, err)
			}
		}()
		go func() {
			defer wg.Done()
			for i := range 20 {
				st := r.Standing(fmt.Sprintf("G%d-%d", g, i), at("2025-08-01"))
				if st.Known {
					assert.True(t, st.Recognised, st.Reason)
				}
				_ = r.Records()
			}
		}()
	}
	wg.Wait()
	assert.Len(t, r.Records(), 160)
}
