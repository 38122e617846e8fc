package vendors_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/vendors"
)

const fp = "sha256:vendors-test"

func ptr[T any](v T) *T { return &v }

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(10 * time.Hour)
}

// register is an option-3 register: a vendor collects and remits duties
// under a tax registration, or holds a recognised partner AEO status and
// names a representative.
func register(t testing.TB) *vendors.Register {
	t.Helper()
	r, err := vendors.Compile(vendors.Config{
		Title: "Register of non-resident vendors",
		Facts: []criteria.FactDecl{{Name: "annual_parcels", Type: "int"}},
		Requirements: []vendors.Requirement{
			{ID: "V.1", Title: "Collects and remits duties and taxes, or holds a recognised partner AEO status",
				When: `collects_duties && tax_registration != "" || partner_aeo`, Source: "WCO note on AEO for e-commerce, option 3"},
			{ID: "V.2", Title: "A representative in the country for large sellers", When: `representative != ""`,
				AppliesIf: "facts.annual_parcels >= 10000", Source: "illustrative"},
		},
		ReregistrationBar: calendar.Period{Years: 1},
	}, fp)
	require.NoError(t, err)
	return r
}

func TestAssess(t *testing.T) {
	r := register(t)
	tests := []struct {
		name   string
		app    vendors.Application
		want   criteria.Recommendation
		v1     criteria.Outcome
		reason string
	}{
		{"collects duties", vendors.Application{ID: "V-1", CollectsDuties: ptr(true), TaxRegistration: "XX-VAT-1", Facts: map[string]any{"annual_parcels": 500}},
			criteria.Recommend, criteria.Met, "the seller/vendor collection approach"},
		{"partner AEO", vendors.Application{ID: "V-2", CollectsDuties: ptr(false), PartnerAEO: ptr(true), Facts: map[string]any{"annual_parcels": 500}},
			criteria.Recommend, criteria.Met, "option 2 combined with option 3: a partner AEO status obtained under a CMAA"},
		{"neither", vendors.Application{ID: "V-3", CollectsDuties: ptr(false), PartnerAEO: ptr(false), Facts: map[string]any{"annual_parcels": 500}},
			criteria.Refuse, criteria.NotMet, "a vendor that neither collects duties nor holds a status is not registered"},
		{"not known", vendors.Application{ID: "V-4", Facts: map[string]any{"annual_parcels": 500}},
			criteria.Pending, criteria.Indeterminate, "missing facts are indeterminate, never met"},
		{"large seller without representative", vendors.Application{ID: "V-5", CollectsDuties: ptr(true), TaxRegistration: "T", Facts: map[string]any{"annual_parcels": 20000}},
			criteria.Pending, criteria.Met, "a requirement that applies to large sellers; an empty representative is not known, so it cannot be decided"},
		{"large seller with representative", vendors.Application{ID: "V-6", CollectsDuties: ptr(true), TaxRegistration: "T", Representative: "Rep Ltd", Facts: map[string]any{"annual_parcels": 20000}},
			criteria.Recommend, criteria.Met, "the large seller names its representative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := r.Assess(t.Context(), &tt.app, day("2025-09-01"))
			require.NoError(t, err)
			assert.Equal(t, tt.want, a.Recommendation, "%s; %s", a.Reason, tt.reason)
			f, ok := a.Finding("V.1")
			require.True(t, ok)
			assert.Equal(t, tt.v1, f.Outcome, tt.reason)
		})
	}
	_, err := r.Assess(t.Context(), &vendors.Application{ID: "V-6", Facts: map[string]any{"parcels": 1}}, day("2025-09-01"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `fact "parcels": the vendors section declares no such fact`)
}

func TestCompileProblems(t *testing.T) {
	_, err := vendors.Compile(vendors.Config{}, fp)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "list the registration requirements")
	_, err = vendors.Compile(vendors.Config{Requirements: []vendors.Requirement{{ID: "V.1", Title: "t", When: "collects_dutie", Source: "s"}}}, fp)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "requirements[0].when")
}

func registerEvent(at time.Time, recommended bool) vendors.Event {
	return vendors.Event{Kind: vendors.EventRegister, At: at, Actor: "officer-a",
		Assessment: &vendors.Ref{Fingerprint: fp, AsOf: at.Add(-time.Hour), Recommended: recommended}}
}

func act(k vendors.EventKind, at time.Time, reasons ...string) vendors.Event {
	return vendors.Event{Kind: k, At: at, Actor: "officer-a", Reasons: reasons}
}

func TestLifecycle(t *testing.T) {
	r := register(t)
	var s vendors.State
	var recs []vendors.Record
	steps := []struct {
		ev     vendors.Event
		want   vendors.Status
		rule   string
		reason string
	}{
		{act(vendors.EventSuspend, day("2025-01-01"), "x"), vendors.StatusNone, "transition", "nothing to suspend"},
		{registerEvent(day("2025-01-02"), false), vendors.StatusNone, "recommended", "Customs registers on an assessment that recommends it"},
		{vendors.Event{Kind: vendors.EventRegister, At: day("2025-01-02"), Actor: "officer-a"}, vendors.StatusNone, "assessment-required", "no assessment, no registration"},
		{registerEvent(day("2025-01-02"), true), vendors.StatusRegistered, "", "registered"},
		{act(vendors.EventSuspend, day("2025-03-01")), vendors.StatusRegistered, "reasons", "a suspension states its reasons"},
		{act(vendors.EventSuspend, day("2025-03-01"), "undervaluation found"), vendors.StatusSuspended, "", "suspended"},
		{act(vendors.EventReinstate, day("2025-02-01"), "x"), vendors.StatusSuspended, "event-order", "events in order"},
		{act(vendors.EventReinstate, day("2025-04-01"), "remedied"), vendors.StatusRegistered, "", "reinstated"},
		{act(vendors.EventStrikeOff, day("2025-06-01"), "duties not remitted"), vendors.StatusStruckOff, "", "struck off"},
		{registerEvent(day("2026-05-31"), true), vendors.StatusStruckOff, "reregistration_bar", "a year's bar after striking off"},
		{registerEvent(day("2026-06-01"), true), vendors.StatusRegistered, "", "registered again after the bar"},
	}
	for i, st := range steps {
		next, rec, err := r.Apply(s, st.ev)
		if st.rule != "" {
			var re *vendors.RuleError
			require.True(t, errors.As(err, &re), "step %d: want refusal by %s, got %v; %s", i, st.rule, err, st.reason)
			assert.Equal(t, st.rule, re.Rule, st.reason)
			assert.Equal(t, s, next, "a refused event changes nothing")
			continue
		}
		require.NoError(t, err, "step %d; %s", i, st.reason)
		assert.Equal(t, st.want, next.Status, st.reason)
		s, recs = next, append(recs, rec)
	}
	require.NoError(t, vendors.Verify(recs, s.Head))
	recs[1].Event.Reasons = []string{"changed"}
	require.ErrorIs(t, vendors.Verify(recs, s.Head), vendors.ErrTampered)
}

func TestTransitionsTable(t *testing.T) {
	var b bytes.Buffer
	for _, tr := range vendors.Transitions() {
		b.WriteString(tr.From.String() + " " + tr.Event.String() + " " + tr.To.String() + "\n")
	}
	assert.Equal(t, `none register registered
registered suspend suspended
registered strike_off struck_off
suspended reinstate registered
suspended strike_off struck_off
struck_off register registered
`, b.String(), "the lifecycle a reviewer audits")
}

// FuzzApply applies sequences of events made from the input and checks
// the invariants: no panic; a refused event is a *RuleError and changes
// nothing; struck_off is left only by a registration; the records verify
// and survive a JSON round trip.
func FuzzApply(f *testing.F) {
	r := register(f)
	f.Add([]byte{1, 1, 2, 3, 3, 2, 4, 3, 1, 200})
	f.Add([]byte{2, 0, 1, 0, 4, 7, 1, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		var s vendors.State
		var recs []vendors.Record
		at := day("2025-01-01")
		for i := 0; i+1 < len(data) && i < 200; i += 2 {
			k, b := vendors.EventKind(data[i]%6), data[i+1]
			at = at.AddDate(0, 0, int(b&0x3f)-2)
			ev := vendors.Event{Kind: k, At: at, Actor: []string{"officer", ""}[b>>7]}
			if b&0x40 == 0 {
				ev.Reasons = []string{"reasons"}
			}
			if k == vendors.EventRegister && b&0x20 == 0 {
				ev.Assessment = &vendors.Ref{Fingerprint: fp, AsOf: at, Recommended: b&0x10 == 0}
			}
			next, rec, err := r.Apply(s, ev)
			if err != nil {
				var re *vendors.RuleError
				if !errors.As(err, &re) || next != s || rec.Hash != "" {
					t.Fatalf("refused %s: %v, state changed %v", k, err, next != s)
				}
				continue
			}
			if s.Status == vendors.StatusStruckOff && k != vendors.EventRegister {
				t.Fatalf("%s left struck_off", k)
			}
			s, recs = next, append(recs, rec)
		}
		if err := vendors.Verify(recs, s.Head); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(recs)
		if err != nil {
			t.Fatal(err)
		}
		var back []vendors.Record
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := vendors.Verify(back, s.Head); err != nil {
			t.Fatalf("after a JSON round trip: %v", err)
		}
	})
}
