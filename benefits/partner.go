package benefits

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/diag"
)

// Benefits beyond the programme's own holders: members of partner
// programmes it recognises (an MRA, an assistance agreement, a
// recognition list; Config.Partners) and non-resident vendors registered
// in its register (WCO note on AEO for e-commerce, option 3). A benefit
// marked mra extends to the first, one marked vendors to the second.
//
// A partner arrangement may cover some types only (an MRA covering
// security types): a partner member is then recognised only while it
// holds a covered type in force (Holder.PartnerTypes), and a benefit that
// depends on types needs a covered type that is, or that the arrangement
// maps to (Partner.As), one of them. When the arrangement lists types and
// the holder's partner types are not known, the benefit cannot be
// decided: an unknown partner status never grants a benefit.

// VendorRegistered is the registration status of a vendor in the
// programme's register of non-resident vendors that benefits marked
// vendors extend to (package vendors).
const VendorRegistered = "registered"

// partnerStanding is a holder's standing as a member of a partner
// programme on a date.
type partnerStanding struct {
	listed bool // the programme is a partner and the arrangement applies
	// covered are the partner types held that the arrangement covers,
	// mapped to the programme's own type names; nil when the arrangement
	// lists no types (it covers the status as a whole).
	covered []string
	// missing: the arrangement lists types and the holder's are unknown.
	missing bool
	reason  string
}

func (c *Catalogue) partnerStanding(h *Holder, at time.Time) partnerStanding {
	pt, listed := c.partners[h.Partner]
	if h.Partner == "" || !listed {
		return partnerStanding{}
	}
	if !pt.appliesOn(at) {
		return partnerStanding{reason: fmt.Sprintf("the arrangement with %s does not apply on %s", h.Partner, day(at))}
	}
	ps := partnerStanding{listed: true}
	if len(pt.Types) == 0 {
		return ps
	}
	if h.PartnerTypes == nil {
		ps.missing = true
		return ps
	}
	ps.covered = []string{}
	for _, t := range h.PartnerTypes {
		if slices.Contains(pt.Types, t) {
			if as, ok := pt.As[t]; ok {
				t = as
			}
			ps.covered = append(ps.covered, t)
		}
	}
	if len(ps.covered) == 0 {
		held := "the holder holds none of them"
		if len(h.PartnerTypes) > 0 {
			held = "the holder's " + strings.Join(h.PartnerTypes, ", ") + " is not covered"
		}
		ps.reason = fmt.Sprintf("the arrangement with %s covers %s; %s", h.Partner, strings.Join(pt.Types, ", "), held)
	}
	return ps
}

// qualifyBeyond decides whether a holder that its own standing does not
// entitle to b is entitled as a partner member or a registered vendor. It
// reports whether it decided (entitled, or it cannot be decided, which it
// sets on e), and whether the holder is entitled; undecided leaves the
// refusal to the caller.
func (c *Catalogue) qualifyBeyond(b *compiled, hs *holderState, e *Entitlement) (decided, ok bool) {
	h := hs.h
	var missing []string
	if b.MRA {
		ps := hs.partner
		switch {
		case ps.missing:
			missing = append(missing, "partner_types")
		case ps.listed && ps.covered == nil && len(c.partners[h.Partner].Types) == 0:
			e.Via, e.Reason = h.Partner, reasonPartner
			return true, true
		case ps.listed && len(ps.covered) > 0:
			if b.accept == nil || intersects(b.accept, ps.covered) {
				e.Via, e.Reason = h.Partner, reasonPartner
				return true, true
			}
		}
	}
	if b.Vendors {
		switch h.Vendor {
		case VendorRegistered:
			e.Via, e.Reason = "vendor registration", "non-resident vendor registered in the programme's register"
			return true, true
		case "":
			missing = append(missing, "vendor")
		}
	}
	if len(missing) > 0 {
		e.Status, e.Missing = CannotDecide, missing
		e.Reason = "cannot decide the holder's standing as " + strings.Join(missing, " and ")
		return true, false
	}
	return false, false
}

// checkPartners checks the types and mappings of the partners.
func checkPartners(partners []Partner, errs *diag.List) {
	for i, pt := range partners {
		p := diag.Index("partners", i)
		seen := map[string]bool{}
		for j, t := range pt.Types {
			switch {
			case strings.TrimSpace(t) == "":
				errs.Add(diag.Index(diag.Join(p, "types"), j), "an empty authorization type")
			case seen[t]:
				errs.Add(diag.Index(diag.Join(p, "types"), j), "%s listed twice", t)
			}
			seen[t] = true
		}
		for _, from := range slices.Sorted(maps.Keys(pt.As)) {
			to := pt.As[from]
			if !seen[from] {
				errs.Add(diag.Join(diag.Join(p, "as"), from), "%s is not among the types the arrangement covers", from)
			}
			if strings.TrimSpace(to) == "" {
				errs.Add(diag.Join(diag.Join(p, "as"), from), "map %s to one of the programme's types", from)
			}
		}
	}
}
