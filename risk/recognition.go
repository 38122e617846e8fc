package risk

import (
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/diag"
)

// Recognition beyond the programme's own holders, at the border: a
// partner programme's AEOs get the treatment their recognition names
// (selectivity.mra), for the types the arrangement covers; and a
// declaration may name the non-resident vendor behind it (WCO note on AEO
// for e-commerce, options 2 and 3), whose registration and partner AEO
// status lane rules read as vendor.NAME.

// Vendor statuses, as the programme's register of non-resident vendors
// gives them (package vendors).
const (
	VendorRegistered = "registered"
	VendorSuspended  = "suspended"
	VendorStruckOff  = "struck_off"
	VendorNone       = "none"
)

// A Vendor is the non-resident vendor (a seller abroad, an e-commerce
// platform) a declaration or consignment names, with its standing as the
// host finds it: its registration in the programme's register of
// non-resident vendors, and the AEO status it holds in a partner
// programme, obtained under a CMAA or an MRA. A vendor named with an
// empty Status is one whose registration is not known: a rule that reads
// it is skipped (or fires, with if_missing: fire), never given the
// benefit of the doubt. A declaration that names no vendor reads empty
// fields: status "", registered and aeo false.
type Vendor struct {
	ID      string `json:"id"`
	Country string `json:"country,omitempty"`
	// Status is registered, suspended, struck_off, or none when the
	// vendor is not in the register.
	Status string `json:"status,omitempty"`
	// Partner is the partner programme whose AEO status the vendor holds,
	// and PartnerTypes the types it holds in force there.
	Partner      string   `json:"partner,omitempty"`
	PartnerTypes []string `json:"partner_types,omitempty"`
}

// vendorView is what lane rules read of the vendor, as vendor.NAME.
type vendorView struct {
	ID      string `expr:"id"`
	Country string `expr:"country"`
	Status  string `expr:"status"`
	// Registered reports a registration in force.
	Registered   bool     `expr:"registered"`
	Partner      string   `expr:"partner"`
	PartnerTypes []string `expr:"partner_types"`
	// AEO reports that the vendor's partner AEO status is recognised on
	// the declaration's date: its programme is listed under mra, the
	// arrangement applies and a covered type is held.
	AEO bool `expr:"aeo"`
}

// fVendor is the field set of the vendor: missing when the declaration
// names a vendor whose registration is not known.
const fVendor fieldSet = 1 << 20

// vendorField reports whether name, as a rule reads it, is the vendor's.
func vendorField(name string) bool { return name == "vendor" || strings.HasPrefix(name, "vendor.") }

func (s *Selector) vendorView(v *Vendor, date time.Time) vendorView {
	if v == nil {
		return vendorView{PartnerTypes: []string{}}
	}
	out := vendorView{ID: v.ID, Country: v.Country, Status: v.Status, Registered: v.Status == VendorRegistered,
		Partner: v.Partner, PartnerTypes: v.PartnerTypes}
	if out.PartnerTypes == nil {
		out.PartnerTypes = []string{}
	}
	out.AEO = v.Partner != "" && s.recognised(v.Partner, v.PartnerTypes, date) >= 0
	return out
}

// vendorKnown reports whether the vendor's fields are known: the
// declaration names no vendor (they are empty then), or one whose
// registration is known.
func vendorKnown(v *Vendor) bool { return v == nil || v.ID == "" || v.Status != "" }

// recognised returns the index of the treatment a recognition under mra
// gives a member of partner holding types on date, or -1. A recognition
// that lists types needs one of them held; one in force for a period
// needs the date.
func (s *Selector) recognised(partner string, types []string, date time.Time) int {
	for i := range s.mra {
		rc := &s.mra[i]
		if !strings.EqualFold(rc.Programme, partner) {
			continue
		}
		if (!rc.From.IsZero() || !rc.Until.IsZero()) && date.IsZero() {
			continue // an arrangement in force for a period needs the date
		}
		if !rc.From.IsZero() && date.Before(rc.From) || !rc.Until.IsZero() && date.After(rc.Until) {
			continue
		}
		if len(rc.Types) > 0 && !slices.ContainsFunc(types, func(t string) bool { return containsFold(rc.Types, t) }) {
			continue // recognition applies only to the covered types
		}
		return rc.treatment
	}
	return -1
}

// checkRecognition checks the covered types of a recognition.
func checkRecognition(p string, rc *Recognition, errs *diag.List) {
	seen := map[string]bool{}
	for j, t := range rc.Types {
		switch {
		case strings.TrimSpace(t) == "":
			errs.Add(diag.Index(diag.Join(p, "types"), j), "an empty authorization type")
		case seen[t]:
			errs.Add(diag.Index(diag.Join(p, "types"), j), "%s listed twice", t)
		}
		seen[t] = true
	}
}
