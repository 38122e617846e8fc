package benefits_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
)

// partnerCatalogue recognises Partnerland under an MRA covering its
// security type only (from 2025-07-01), C-TPAT's tiers 2 and 3 as AEOS,
// and Gulfland's status as a whole; it extends a security benefit, a
// simplification and a vendor benefit beyond its own holders.
func partnerCatalogue(t *testing.T) *benefits.Catalogue {
	t.Helper()
	c, err := benefits.Compile(benefits.Config{
		Catalogues: []string{"none"},
		Partners: []benefits.Partner{
			{Programme: "Partnerland AEO", From: date(2025, 7, 1), Types: []string{"AEOS"}},
			{Programme: "US C-TPAT", Types: []string{"tier2", "tier3"}, As: map[string]string{"tier2": "AEOS", "tier3": "AEOS"}},
			{Programme: "Gulfland AEO"},
		},
		Add: []benefits.Benefit{
			{ID: "fewer-checks", Title: "Fewer security checks", DependsOn: []string{"AEOS"}, MRA: true, Source: "test"},
			{ID: "simplified", Title: "Simplified declarations", DependsOn: []string{"AEOC"}, MRA: true, Source: "test"},
			{ID: "contact", Title: "A point of contact", MRA: true, Source: "test"},
			{ID: "vendor-lane", Title: "Fast release for registered vendors", DependsOn: []string{"AEOS"}, Vendors: true, Source: "test"},
		},
	})
	require.NoError(t, err)
	return c
}

func TestPartnerAndVendorBenefits(t *testing.T) {
	c := partnerCatalogue(t)
	on := date(2025, 9, 1)
	none := func(f func(*benefits.Holder)) *benefits.Holder {
		h := &benefits.Holder{Status: "none"}
		f(h)
		return h
	}
	tests := []struct {
		name    string
		benefit string
		holder  *benefits.Holder
		at      time.Time
		want    benefits.Status
		via     string
		missing []string
		// why is what a refusal says of the partner route, if anything.
		why    string
		reason string
	}{{
		name: "covered type", benefit: "fewer-checks",
		holder: none(func(h *benefits.Holder) { h.Partner, h.PartnerTypes = "Partnerland AEO", []string{"AEOS"} }),
		want:   benefits.Granted, via: "Partnerland AEO",
		reason: "the MRA covers AEOS and the member holds it",
	}, {
		name: "type not covered", benefit: "contact",
		holder: none(func(h *benefits.Holder) { h.Partner, h.PartnerTypes = "Partnerland AEO", []string{"AEOC"} }),
		want:   benefits.NotEligible,
		why:    "the arrangement with Partnerland AEO covers AEOS; the holder's AEOC is not covered",
		reason: "recognition applies only to the covered types",
	}, {
		name: "covered type, benefit of another type", benefit: "simplified",
		holder: none(func(h *benefits.Holder) { h.Partner, h.PartnerTypes = "Partnerland AEO", []string{"AEOS"} }),
		want:   benefits.NotEligible,
		reason: "a simplification depends on AEOC, which the MRA does not cover",
	}, {
		name: "no partner type held", benefit: "fewer-checks",
		holder: none(func(h *benefits.Holder) { h.Partner, h.PartnerTypes = "Partnerland AEO", []string{} }),
		want:   benefits.NotEligible,
		why:    "the arrangement with Partnerland AEO covers AEOS; the holder holds none of them",
		reason: "a member known to hold no type is not recognised, and the refusal says so",
	}, {
		name: "partner types unknown", benefit: "fewer-checks",
		holder: none(func(h *benefits.Holder) { h.Partner = "Partnerland AEO" }),
		want:   benefits.CannotDecide, missing: []string{"partner_types"},
		reason: "an arrangement that covers some types needs the types held: fail closed",
	}, {
		name: "before the arrangement", benefit: "fewer-checks", at: date(2025, 6, 30),
		holder: none(func(h *benefits.Holder) { h.Partner, h.PartnerTypes = "Partnerland AEO", []string{"AEOS"} }),
		want:   benefits.NotEligible,
		why:    "the arrangement with Partnerland AEO does not apply on 2025-06-30",
		reason: "the MRA applies from 2025-07-01",
	}, {
		name: "mapped tier", benefit: "fewer-checks",
		holder: none(func(h *benefits.Holder) { h.Partner, h.PartnerTypes = "US C-TPAT", []string{"tier2"} }),
		want:   benefits.Granted, via: "US C-TPAT",
		reason: "C-TPAT tier 2 counts as AEOS",
	}, {
		name: "tier not covered", benefit: "contact",
		holder: none(func(h *benefits.Holder) { h.Partner, h.PartnerTypes = "US C-TPAT", []string{"tier1"} }),
		want:   benefits.NotEligible,
		why:    "the holder's tier1 is not covered",
		reason: "tier 1 is not covered",
	}, {
		name: "whole status", benefit: "simplified",
		holder: none(func(h *benefits.Holder) { h.Partner = "Gulfland AEO" }),
		want:   benefits.Granted, via: "Gulfland AEO",
		reason: "an arrangement that lists no types covers the status as a whole",
	}, {
		name: "registered vendor", benefit: "vendor-lane",
		holder: none(func(h *benefits.Holder) { h.Vendor = "registered" }),
		want:   benefits.Granted, via: "vendor registration",
		reason: "option 3: registered non-resident vendors",
	}, {
		name: "suspended vendor", benefit: "vendor-lane",
		holder: none(func(h *benefits.Holder) { h.Vendor = "suspended" }),
		want:   benefits.NotEligible,
		reason: "a suspended registration gives nothing",
	}, {
		name: "vendor unknown", benefit: "vendor-lane", holder: none(func(*benefits.Holder) {}),
		want: benefits.CannotDecide, missing: []string{"vendor"},
		reason: "a registration not known is not assumed",
	}, {
		name: "own status first", benefit: "vendor-lane",
		holder: &benefits.Holder{Status: "authorized", Types: []string{"AEOS"}},
		want:   benefits.Granted, via: "AEOS",
		reason: "the programme's own holders need no registration",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			when := tt.at
			if when.IsZero() {
				when = on
			}
			got, err := c.Decide(tt.holder, tt.benefit, when)
			require.NoError(t, err)
			if got.Status != tt.want {
				t.Fatalf("Decide(%s) = %v (%s), want %v; %s", tt.benefit, got.Status, got.Reason, tt.want, tt.reason)
			}
			assert.Equal(t, tt.via, got.Via, tt.reason)
			if tt.why != "" {
				assert.Contains(t, got.Reason, tt.why, "the refusal says why the partner route failed; %s", tt.reason)
			} else if got.Status == benefits.NotEligible {
				assert.NotContains(t, got.Reason, "arrangement", "no partner route was tried or it did not fail; %s", tt.reason)
			}
			if diff := cmp.Diff(tt.missing, got.Missing); diff != "" {
				t.Errorf("missing (-want +got); %s:\n%s", tt.reason, diff)
			}
		})
	}
}

func TestPartnerConfigProblems(t *testing.T) {
	_, err := benefits.Compile(benefits.Config{Catalogues: []string{"none"}, Partners: []benefits.Partner{
		{Programme: "P", Types: []string{"AEOS", "AEOS"}, As: map[string]string{"tier2": "AEOS"}},
	}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "partners[0].types[1]: AEOS listed twice")
	assert.Contains(t, err.Error(), "partners[0].as.tier2: tier2 is not among the types the arrangement covers")
}
