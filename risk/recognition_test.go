package risk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/risk"
)

// vendorLanes recognises Partnerland's security type only, and every type
// of Otherland's programme, and reads the
// non-resident vendor a consignment names: registered vendors go green,
// unregistered ones yellow, and a vendor with a recognised partner AEO
// status blue.
func vendorLanes(t *testing.T) *risk.Selector {
	t.Helper()
	cfg := risk.SelectivityConfig{
		Rules: []risk.Rule{
			{ID: "unregistered-vendor", Lane: risk.Yellow, When: `vendor.status != "registered" && !vendor.aeo`},
			{ID: "partner-aeo-vendor", Lane: risk.Blue, When: `vendor.aeo && !vendor.registered`},
			{ID: "registered-vendor", Lane: risk.Green, When: `vendor.registered`},
			{ID: "unknown-vendor", Lane: risk.Yellow, IfMissing: risk.Fire, When: `vendor.id == ""`},
		},
		AEO: []risk.Treatment{
			{ID: "aeo", Statuses: []string{"authorized"}, RuleFactor: ptr(0.0), Downgrade: risk.LaneMap{Red: risk.Yellow}},
		},
		MRA: []risk.Recognition{
			{Programme: "Partnerland AEO", Treatment: "aeo", From: day("2025-07-01"), Types: []string{"AEOS"}},
			{Programme: "Otherland AEO", Treatment: "aeo"},
		},
		Seed: "vendors",
	}
	s, err := risk.CompileSelectivity(cfg)
	require.NoError(t, err)
	return s
}

func TestRecognitionByType(t *testing.T) {
	s := vendorLanes(t)
	d := risk.Declaration{ID: "D-1", Date: day("2025-09-01"), HSCode: "850440"}
	tests := []struct {
		name      string
		op        risk.Operator
		treatment string
		reason    string
	}{
		{"covered type", risk.Operator{Partner: "Partnerland AEO", PartnerTypes: []string{"AEOS"}}, "aeo",
			"the MRA covers AEOS: its holders get the AEO treatment"},
		{"type not covered", risk.Operator{Partner: "Partnerland AEO", PartnerTypes: []string{"AEOC"}}, "",
			"recognition applies only to the covered types"},
		{"types unknown", risk.Operator{Partner: "Partnerland AEO"}, "",
			"an arrangement that covers some types is not applied when the types held are not known"},
		{"every type covered", risk.Operator{Partner: "otherland aeo"}, "aeo",
			"an arrangement that lists no types covers every one, known or not; programmes match without regard to case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := s.Select(&d, &tt.op)
			assert.Equal(t, tt.treatment, dec.Treatment, tt.reason)
		})
	}
}

func TestVendorRules(t *testing.T) {
	s := vendorLanes(t)
	base := risk.Declaration{ID: "C-1", Date: day("2025-09-01"), HSCode: "640399"}
	with := func(v *risk.Vendor) *risk.Declaration { d := base; d.Vendor = v; return &d }
	tests := []struct {
		name   string
		d      *risk.Declaration
		lane   risk.Lane
		rule   string
		reason string
	}{
		{"registered", with(&risk.Vendor{ID: "V-1", Status: "registered"}), risk.Green, "registered-vendor",
			"option 3: a registered non-resident vendor"},
		{"struck off", with(&risk.Vendor{ID: "V-2", Status: "struck_off"}), risk.Yellow, "unregistered-vendor",
			"a vendor struck off the register is not registered"},
		{"partner AEO under an MRA", with(&risk.Vendor{ID: "V-3", Status: "none", Partner: "Partnerland AEO", PartnerTypes: []string{"AEOS"}}),
			risk.Blue, "partner-aeo-vendor", "option 2: a partner's AEO status obtained under an MRA"},
		{"partner AEO not covered", with(&risk.Vendor{ID: "V-4", Status: "none", Partner: "Partnerland AEO", PartnerTypes: []string{"AEOC"}}),
			risk.Yellow, "unregistered-vendor", "a type the MRA does not cover is not recognised"},
		{"registration unknown", with(&risk.Vendor{ID: "V-5"}), risk.Yellow, "unknown-vendor",
			"a vendor whose registration is not known never goes green: the rules reading it are missing, and one fires"},
		{"no vendor named", &base, risk.Yellow, "unregistered-vendor", "a consignment naming no vendor reads empty fields: not registered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dec := s.Select(tt.d, nil)
			assert.Equal(t, tt.lane, dec.Lane, "%s (%s %s); %s", dec.Lane, dec.Cause, dec.Rule, tt.reason)
			assert.Equal(t, tt.rule, dec.Rule, tt.reason)
		})
	}
}

func TestRecognitionTypesChecked(t *testing.T) {
	cfg := risk.SelectivityConfig{
		AEO:  []risk.Treatment{{ID: "aeo", Statuses: []string{"authorized"}}},
		MRA:  []risk.Recognition{{Programme: "P", Treatment: "aeo", Types: []string{"AEOS", "", "AEOS"}}},
		Seed: "s",
	}
	_, err := risk.CompileSelectivity(cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mra[0].types[1]: an empty authorization type")
	assert.Contains(t, err.Error(), "mra[0].types[2]: AEOS listed twice")
}
