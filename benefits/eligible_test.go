package benefits_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
)

// holder returns an EU AEOC+AEOS importer in force, at low risk, with the
// changes of each test applied.
func holder(change ...func(h *benefits.Holder)) *benefits.Holder {
	h := &benefits.Holder{
		Operator:  "EU-IMP-1",
		Status:    "authorized",
		Types:     []string{"AEOC", "AEOS"},
		RiskLevel: "low",
		Roles:     []string{"importer"},
		Facts:     map[string]any{"declarations_per_year": 4200},
	}
	for _, c := range change {
		c(h)
	}
	return h
}

func TestCatalogue_Decide(t *testing.T) {
	c := mustProgramme(t)
	at := date(2025, 9, 1)
	tests := []struct {
		name    string
		benefit string
		holder  *benefits.Holder
		at      time.Time
		want    benefits.Status
		via     string
		reason  string // a part of the entitlement's reason
		missing []string
		why     string
	}{
		// Status and authorization types.
		{
			name: "security benefit with AEOS in force", benefit: "safe.release.fewer-examinations",
			holder: holder(), want: benefits.Granted, via: "AEOS", reason: "authorization in force",
			why: "fewer security examinations depend on the security authorization (AEOS), which is in force",
		},
		{
			name: "security benefit with AEOC only", benefit: "safe.release.fewer-examinations",
			holder: holder(func(h *benefits.Holder) { h.Types = []string{"AEOC"} }),
			want:   benefits.NotEligible, reason: "requires security (AEO, AEOS) in force",
			why: "an AEOC holder has no security authorization",
		},
		{
			name: "security benefit with AEOS suspended", benefit: "safe.release.fewer-examinations",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Suspended = "partly_suspended", []string{"AEOS"} }),
			want:   benefits.Suspended, reason: "suspended: AEOS",
			why: "EU DA Art 30: failing the security criterion suspends AEOS only, and nothing is granted for a suspended type",
		},
		{
			name: "security benefit denied", benefit: "safe.release.fewer-examinations",
			holder: holder(func(h *benefits.Holder) { h.Denied = []string{"safe.release.fewer-examinations"} }),
			want:   benefits.NotEligible, reason: "denied to the holder by a decision of Customs",
			why: "C-TPAT (6 USC 967): benefits may be denied while the status stands; a denied benefit is never granted",
		},
		{
			name: "simplification with AEOS suspended", benefit: "op.eu.simplifications",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Suspended = "partly_suspended", []string{"AEOS"} }),
			want:   benefits.Granted, via: "AEOC",
			why: "AEOC stays in force when only AEOS is suspended, so its benefits continue",
		},
		{
			name: "any-type benefit with one type suspended", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Suspended = "partly_suspended", []string{"AEOC"} }),
			want:   benefits.Granted, via: "AEOS",
			why: "a benefit of any AEO status is granted while one type held is in force",
		},
		{
			name: "whole authorization suspended", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Status = "suspended" }),
			want:   benefits.Suspended, reason: "the authorization is suspended",
			why: "no benefits during suspension (EU: DA Art 16; the seed's suspension)",
		},
		{
			name: "whole authorization suspended, type-specific benefit", benefit: "op.eu.simplifications",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Suspended = "suspended", nil }),
			want:   benefits.Suspended, reason: "the authorization is suspended",
			why: "a suspended status suspends every type, whatever the suspended list says",
		},
		{
			name: "suspended holder of another type", benefit: "safe.release.fewer-examinations",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Types = "suspended", []string{"AEOC"} }),
			want:   benefits.NotEligible, reason: "requires security",
			why: "a benefit the holder would never have is not eligible, not suspended",
		},
		{
			name: "every type suspended under partly_suspended", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Suspended = "partly_suspended", []string{"AEOC", "AEOS"} }),
			want:   benefits.Suspended, reason: "suspended: AEOC, AEOS",
			why: "the suspended list decides, even when the status token lags behind",
		},
		{
			name: "revocation proposed", benefit: "safe.release.fewer-examinations",
			holder: holder(func(h *benefits.Holder) { h.Status = "revocation_proposed" }),
			want:   benefits.Granted, via: "AEOS",
			why: "the authorization is held until revoked; only suspension stops benefits",
		},
		{
			name: "revoked", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Status = "revoked" }),
			want:   benefits.NotEligible, reason: "requires AEO status in force",
			why: "a revoked operator holds no authorization",
		},
		{
			name: "British spelling", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Status = "authorised" }),
			want:   benefits.Granted, via: "AEOC",
			why: "authorised and authorized are the same status",
		},
		{
			name: "status not known", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Status = "" }),
			want:   benefits.CannotDecide, reason: "status is not known", missing: []string{"status"},
			why: "an unknown status is not a refusal",
		},
		{
			name: "unknown status token", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Status = "frozen" }),
			want:   benefits.CannotDecide, reason: `unknown status "frozen"`, missing: []string{"status"},
			why: "a status the engine does not know is not guessed at",
		},
		{
			name: "nil holder", benefit: "op.eu.prior-notification", holder: nil,
			want: benefits.CannotDecide, missing: []string{"status"},
			why: "a nil holder is one whose status is not known",
		},
		{
			name: "single SAFE status", benefit: "safe.disruption.priority-processing",
			holder: holder(func(h *benefits.Holder) { h.Types = []string{"AEO"} }),
			want:   benefits.Granted, via: "AEO",
			why: "the default security group includes the single SAFE status AEO",
		},
		{
			name: "status without types, any-type benefit", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Types = nil }),
			want:   benefits.Granted, reason: "AEO status in force",
			why: "a programme without authorization types grants by status",
		},
		{
			name: "status without types, type-specific benefit", benefit: "safe.release.fewer-examinations",
			holder: holder(func(h *benefits.Holder) { h.Types = nil }),
			want:   benefits.NotEligible,
			why:    "a benefit that depends on a type needs that type",
		},

		// Grades and tiers.
		{
			name: "tier 2 benefit, tier 1", benefit: "op.ctpat.priority-search",
			holder: holder(func(h *benefits.Holder) { h.Grade = "tier1" }),
			want:   benefits.NotEligible, reason: `condition not met: grade in ["tier2", "tier3"]`,
			why: "6 USC 965(b): priority searches are a tier 2 benefit",
		},
		{
			name: "tier 2 benefit, tier 2", benefit: "op.ctpat.priority-search",
			holder: holder(func(h *benefits.Holder) { h.Grade = "tier2" }),
			want:   benefits.Granted, via: "AEOS",
			why: "6 USC 965(b)",
		},
		{
			name: "tier 2 benefit, tier 3", benefit: "op.ctpat.reduced-examinations",
			holder: holder(func(h *benefits.Holder) { h.Grade = "tier3" }),
			want:   benefits.Granted, via: "AEOS",
			why: "tier 3 keeps the tier 2 benefits",
		},
		{
			name: "tier 3 benefit, tier 2", benefit: "op.ctpat.all-threat-levels",
			holder: holder(func(h *benefits.Holder) { h.Grade = "tier2" }),
			want:   benefits.NotEligible, reason: "condition not met",
			why: "6 USC 966: expedited release at all threat levels is tier 3 only",
		},
		{
			name: "tier 3 benefit, tier 3", benefit: "op.ctpat.all-threat-levels",
			holder: holder(func(h *benefits.Holder) { h.Grade = "tier3" }),
			want:   benefits.Granted, via: "AEOS",
			why: "6 USC 966",
		},
		{
			name: "tier benefit, no grade", benefit: "op.ctpat.priority-search",
			holder: holder(), want: benefits.CannotDecide, missing: []string{"grade"},
			why: "without a grade the tier rule cannot be decided, and is not refused",
		},
		{
			name: "tier 1 benefit needs no grade", benefit: "op.ctpat.risk-score",
			holder: holder(), want: benefits.Granted, via: "AEOS",
			why: "tier 1 benefits go with certification itself",
		},
		{
			name: "tier benefit, suspended", benefit: "op.ctpat.all-threat-levels",
			holder: holder(func(h *benefits.Holder) { h.Grade, h.Status = "tier3", "suspended" }),
			want:   benefits.Suspended,
			why:    "suspension is decided before the grade",
		},

		// Roles and business models.
		{
			name: "role matches", benefit: "op.ctpat.isa", holder: holder(),
			want: benefits.Granted, via: "AEOS",
			why: "ISA is for importers",
		},
		{
			name: "role does not match", benefit: "op.ctpat.isa",
			holder: holder(func(h *benefits.Holder) { h.Roles = []string{"exporter"} }),
			want:   benefits.NotEligible, reason: "for importer only",
			why: "operator-specific benefits follow the role",
		},
		{
			name: "roles not known", benefit: "op.ctpat.isa",
			holder: holder(func(h *benefits.Holder) { h.Roles = nil }),
			want:   benefits.CannotDecide, missing: []string{"roles"},
			why: "unknown roles are not a refusal",
		},
		{
			name: "roles not known, benefit for every role", benefit: "op.eu.prior-notification",
			holder: holder(func(h *benefits.Holder) { h.Roles = nil }),
			want:   benefits.Granted, via: "AEOC",
			why: "a benefit for every role does not need the roles",
		},
		{
			name: "e-commerce benefit for an importer", benefit: "ecom.D", holder: holder(),
			want: benefits.NotEligible, reason: "for vendor, ecommerce_platform",
			why: "benefits A–M are for e-commerce stakeholders",
		},
		{
			name: "e-commerce benefit for a platform", benefit: "ecom.D",
			holder: holder(func(h *benefits.Holder) { h.Roles = []string{"ecommerce_platform"} }),
			want:   benefits.Granted,
			why:    "benefit D, paperless declarations, for a platform with AEO status",
		},
		{
			name: "business model matches", benefit: "xx.bonded-fulfilment",
			holder: holder(func(h *benefits.Holder) { h.BusinessModel = "4-2" }),
			want:   benefits.Granted,
			why:    "model 4-2 is the free-zone fulfilment centre",
		},
		{
			name: "business model does not match", benefit: "xx.bonded-fulfilment",
			holder: holder(func(h *benefits.Holder) { h.BusinessModel = "3" }),
			want:   benefits.NotEligible, reason: "for business models 4-2 only",
			why: "a marketplace is not a free-zone fulfilment centre",
		},
		{
			name: "business model not known", benefit: "xx.bonded-fulfilment", holder: holder(),
			want: benefits.CannotDecide, missing: []string{"business_model"},
			why: "an unknown business model is not a refusal",
		},

		// Applicants and partners.
		{
			name: "applicant, benefit offered to applicants", benefit: "ecom.C",
			holder: holder(func(h *benefits.Holder) {
				h.Status, h.Types, h.Roles = "examination", nil, []string{"fulfilment_centre"}
			}),
			want: benefits.Granted, via: "examination", reason: "offered to applicants",
			why: "benefit C, electronic authorization and validation, concerns the application itself",
		},
		{
			name: "applicant, benefit for AEOs", benefit: "ecom.D",
			holder: holder(func(h *benefits.Holder) {
				h.Status, h.Types, h.Roles = "examination", nil, []string{"fulfilment_centre"}
			}),
			want: benefits.NotEligible,
			why:  "AEO status should never be given automatically; neither are its benefits",
		},
		{
			name: "MRA partner, MRA benefit", benefit: "safe.release.fast-lane",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Types, h.Partner = "none", nil, "US C-TPAT" }),
			want:   benefits.Granted, via: "US C-TPAT", reason: "mutual recognition",
			why: "benefits extend to partners under an MRA",
		},
		{
			name: "MRA partner, benefit not extended", benefit: "op.eu.simplifications",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Types, h.Partner = "none", nil, "US C-TPAT" }),
			want:   benefits.NotEligible,
			why:    "only the benefits marked mra extend to partners",
		},
		{
			name: "MRA not yet in force", benefit: "safe.release.fast-lane",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Types, h.Partner = "none", nil, "JP AEO" }),
			want:   benefits.NotEligible, reason: "mutual recognition",
			why: "recognition of JP AEO applies from 2026-01-01 only",
		},
		{
			name: "MRA in force from its date", benefit: "safe.release.fast-lane", at: date(2026, 1, 1),
			holder: holder(func(h *benefits.Holder) { h.Status, h.Types, h.Partner = "none", nil, "JP AEO" }),
			want:   benefits.Granted, via: "JP AEO", reason: "mutual recognition",
			why: "the arrangement applies from its first day",
		},
		{
			name: "partner programme not recognised", benefit: "safe.release.fast-lane",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Types, h.Partner = "none", nil, "XX AEO" }),
			want:   benefits.NotEligible, reason: "mutual recognition",
			why: "only the partners the programme lists are recognised",
		},
		{
			name: "own authorization suspended, partner", benefit: "safe.release.fast-lane",
			holder: holder(func(h *benefits.Holder) { h.Status, h.Partner = "suspended", "US C-TPAT" }),
			want:   benefits.Suspended,
			why:    "suspension wins over the partner route",
		},

		// Sequenced introduction.
		{
			name: "before the activation date", benefit: "ecom.K",
			holder: holder(func(h *benefits.Holder) { h.Roles = []string{"fulfilment_centre"} }),
			at:     date(2025, 12, 31), want: benefits.NotYetIntroduced, reason: "introduced on 2026-01-01",
			why: "benefits are introduced in a sequenced manner",
		},
		{
			name: "on the activation date", benefit: "ecom.K",
			holder: holder(func(h *benefits.Holder) { h.Roles = []string{"fulfilment_centre"} }),
			at:     date(2026, 1, 1), want: benefits.Granted,
			why: "a benefit is introduced on its activation date",
		},
		{
			name: "not introduced comes before the role", benefit: "ecom.K", holder: holder(),
			at: date(2025, 12, 31), want: benefits.NotYetIntroduced,
			why: "a benefit not yet introduced is nobody's",
		},
		{
			name: "milestone not reached", benefit: "stair.centralized-clearance", holder: holder(),
			want: benefits.NotYetIntroduced, reason: `milestone "p8-benefits"`,
			why: "phase 8: sequenced implementation of further tested benefits",
		},
		{
			name: "milestone reached later", benefit: "stair.centralized-clearance",
			holder: holder(func(h *benefits.Holder) { h.Milestones = map[string]time.Time{"p8-benefits": date(2025, 9, 2)} }),
			want:   benefits.NotYetIntroduced,
			why:    "a milestone counts from the day it was reached",
		},
		{
			name: "milestone reached", benefit: "stair.centralized-clearance",
			holder: holder(func(h *benefits.Holder) { h.Milestones = map[string]time.Time{"p8-benefits": date(2025, 9, 1)} }),
			want:   benefits.Granted,
			why:    "introduced on the day the milestone is reached",
		},
		{
			name: "date passed, milestone not reached", benefit: "safe.new-programmes.first-consideration",
			holder: holder(), want: benefits.NotYetIntroduced, reason: "introduced on 2025-07-01 once milestone",
			why: "with a date and a milestone, both must have happened",
		},
		{
			name: "date and milestone passed", benefit: "safe.new-programmes.first-consideration",
			holder: holder(func(h *benefits.Holder) { h.Milestones = map[string]time.Time{"p3-pilot-launched": {}} }),
			want:   benefits.Granted,
			why:    "a milestone without a date counts as reached",
		},

		// The stairway of simplifications.
		{
			name: "step 1 item, risk unknown", benefit: "stair.client-coordinator",
			holder: holder(func(h *benefits.Holder) { h.RiskLevel = "" }),
			want:   benefits.Granted,
			why:    "every compliant company receives a client coordinator (Annex 4)",
		},
		{
			name: "step 2 item, risk unknown", benefit: "stair.periodic-declarations",
			holder: holder(func(h *benefits.Holder) { h.RiskLevel = "" }),
			want:   benefits.CannotDecide, missing: []string{"risk_level"}, reason: "stairway step 2",
			why: "the step cannot be decided without the risk level",
		},
		{
			name: "step 2 item, medium risk", benefit: "stair.periodic-declarations",
			holder: holder(func(h *benefits.Holder) { h.RiskLevel = "medium" }),
			want:   benefits.Granted,
			why:    "medium risk stands on step 2",
		},
		{
			name: "step 3 item, medium risk", benefit: "stair.no-stop-shop",
			holder: holder(func(h *benefits.Holder) { h.RiskLevel = "medium" }),
			want:   benefits.NotEligible, reason: "requires stairway step 3 (Low risk); the holder stands on step 2 (Low or medium risk)",
			why: "the highest simplifications need the highest level of compliance",
		},
		{
			name: "step 2 item, high risk", benefit: "stair.periodic-declarations",
			holder: holder(func(h *benefits.Holder) { h.RiskLevel = "high" }),
			want:   benefits.NotEligible, reason: "the holder stands on step 1 (Compliant operator)",
			why: "a high-risk holder stays on the first step",
		},

		// The programme's own rule over declared facts.
		{
			name: "fact missing", benefit: "xx.green-lane",
			holder: holder(func(h *benefits.Holder) { h.Facts = nil }),
			want:   benefits.CannotDecide, missing: []string{"facts.declarations_per_year"},
			why: "a missing fact makes the rule undecidable, never false",
		},
		{
			name: "fact below the threshold", benefit: "xx.green-lane",
			holder: holder(func(h *benefits.Holder) { h.Facts = map[string]any{"declarations_per_year": 50} }),
			want:   benefits.NotEligible, reason: "condition not met: facts.declarations_per_year >= 100",
			why: "the national rule's threshold",
		},
		{
			name: "fact above the threshold", benefit: "xx.green-lane", holder: holder(),
			want: benefits.Granted, via: "AEOS",
			why: "the national rule's threshold is met",
		},
		{
			name: "fact of the wrong type", benefit: "xx.green-lane",
			holder: holder(func(h *benefits.Holder) { h.Facts = map[string]any{"declarations_per_year": "many"} }),
			want:   benefits.CannotDecide, reason: "rule failed",
			why: "a rule that fails at run time cannot decide; it neither grants nor refuses",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			when := tt.at
			if when.IsZero() {
				when = at
			}
			got, err := c.Decide(tt.holder, tt.benefit, when)
			require.NoError(t, err)
			assert.Equal(t, tt.benefit, got.Benefit)
			if got.Status != tt.want {
				t.Fatalf("Decide(%s) = %v (%s), want %v; %s", tt.benefit, got.Status, got.Reason, tt.want, tt.why)
			}
			if tt.via != "" {
				assert.Equal(t, tt.via, got.Via, tt.why)
			}
			if tt.want != benefits.Granted {
				assert.Empty(t, got.Via, "only a granted benefit names what entitles the holder")
			}
			assert.Contains(t, got.Reason, tt.reason, tt.why)
			if diff := cmp.Diff(tt.missing, got.Missing); diff != "" {
				t.Errorf("Missing mismatch (-want +got):\n%s%s", diff, tt.why)
			}
			// Eligible agrees with Decide.
			for _, e := range c.Eligible(tt.holder, when) {
				if e.Benefit == tt.benefit {
					assert.Equal(t, got, e, "Eligible and Decide disagree")
				}
			}
		})
	}
}

func TestCatalogue_Decide_unknownBenefit(t *testing.T) {
	c := mustProgramme(t)
	_, err := c.Decide(holder(), "no.such", date(2025, 1, 1))
	require.ErrorIs(t, err, benefits.ErrUnknownBenefit)
}

func TestCatalogue_Eligible_orderAndCompleteness(t *testing.T) {
	c := mustProgramme(t)
	got := c.Eligible(holder(), date(2025, 9, 1))
	bs := c.Benefits()
	require.Len(t, got, len(bs))
	for i := range bs {
		assert.Equal(t, bs[i].ID, got[i].Benefit, "entitlements come in catalogue order")
		assert.NotEmpty(t, got[i].Reason, "every entitlement explains itself: %s", bs[i].ID)
	}
}

func TestCatalogue_Granted(t *testing.T) {
	c := mustProgramme(t)
	granted := c.Granted(holder(func(h *benefits.Holder) { h.Status = "suspended" }), date(2025, 9, 1))
	assert.Empty(t, granted, "nothing is granted while the authorization is suspended")
	granted = c.Granted(holder(), date(2025, 9, 1))
	assert.Contains(t, granted, "safe.release.fast-lane")
	assert.NotContains(t, granted, "ecom.A")
}

// TestEligibleGolden records the decisions on the whole programme for a few
// holders, so that a change to a catalogue shows up as a reviewed diff.
func TestEligibleGolden(t *testing.T) {
	c := mustProgramme(t)
	tests := []struct {
		name   string
		holder *benefits.Holder
		reason string
	}{
		{"eu-importer", holder(func(h *benefits.Holder) { h.Grade = "tier2" }), "an EU AEOC+AEOS importer at low risk"},
		{"platform-partly-suspended", &benefits.Holder{
			Operator: "CN-PLAT-1", Status: "partly_suspended", Types: []string{"AEOC", "AEOS"}, Suspended: []string{"AEOS"},
			RiskLevel: "medium", Roles: []string{"ecommerce_platform"}, BusinessModel: "3",
		}, "an e-commerce platform whose security authorization is suspended"},
		{"mra-partner", &benefits.Holder{
			Operator: "US-IMP-9", Status: "none", Partner: "US C-TPAT", Roles: []string{"importer"},
		}, "a foreign importer recognised under the MRA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, encodeJSON(&b, c.Eligible(tt.holder, date(2025, 9, 1))))
			golden(t, "eligible/"+tt.name+".json", b.String())
		})
	}
}

// TestEligibleConcurrent evaluates one catalogue from many goroutines; run
// it with -race.
func TestEligibleConcurrent(t *testing.T) {
	c := mustProgramme(t)
	want := c.Eligible(holder(), date(2025, 9, 1))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				h := holder()
				if g%2 == 1 {
					h.Status = "suspended"
				}
				got := c.Eligible(h, date(2025, 9, 1))
				if g%2 == 0 {
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("concurrent Eligible differs (-want +got):\n%s", diff)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestStatus_text(t *testing.T) {
	for s := benefits.CannotDecide; s <= benefits.NotYetIntroduced; s++ {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back benefits.Status
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
		assert.Equal(t, string(b), s.String())
		assert.False(t, strings.ContainsAny(string(b), " -"), "tokens are snake_case")
	}
	_, err := benefits.Status(99).MarshalText()
	require.Error(t, err)
	assert.Equal(t, "Status(99)", benefits.Status(99).String())
	var s benefits.Status
	require.Error(t, s.UnmarshalText([]byte("granted ")))
	for i := benefits.Whole; i <= benefits.Year; i++ {
		b, err := i.MarshalText()
		require.NoError(t, err)
		var back benefits.Interval
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, i, back)
	}
}
