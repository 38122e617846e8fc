package benefits

import (
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
)

// Config is the benefits section of a programme (the programme file's
// benefits: key): which built-in catalogues it offers, what it changes in
// them, when each benefit is introduced, and the baselines and units that
// make benefits measurable. It is plain data; the zero Config offers every
// built-in catalogue unchanged.
type Config struct {
	// Catalogues names the built-in catalogues to include, in this order:
	// safe, operator, ecommerce, stairway (see [Catalogues]). Empty means
	// all four; write [none] to include none and list the programme's own
	// benefits under Add.
	Catalogues []string `json:"catalogues,omitempty"`
	// Facts declares extra facts, beyond the [Holder]'s fields, that
	// eligible expressions may read as facts.NAME.
	Facts []criteria.FactDecl `json:"facts,omitempty"`
	// TypeGroups names groups of authorization types that DependsOn may
	// use, replacing the default groups of the same name. The built-in
	// catalogues use two: security (default AEO, AEOS) and
	// simplifications (default AEO, AEOC), so that they fit a single-status
	// SAFE programme and the EU's AEOC/AEOS alike.
	TypeGroups map[string][]string `json:"type_groups,omitempty"`
	// Partners lists the partner programmes whose members the programme
	// recognises under a mutual recognition arrangement (e.g. "US C-TPAT"),
	// each written as its name alone or as a mapping with the dates the
	// arrangement applies from and until. A holder whose [Holder].Partner
	// is listed receives the benefits marked mra while the arrangement
	// applies.
	Partners []Partner `json:"partners,omitempty"`
	// Steps replaces the built-in steps of the stairway of
	// simplifications: ordered levels 1, 2, 3 ..., each with the
	// condition a holder must meet to stand on it.
	Steps []Step `json:"steps,omitempty"`
	// Drop removes benefits by ID. Drop is applied first, then Override,
	// then Add, so that a benefit may be dropped and added again under the
	// same ID.
	Drop []string `json:"drop,omitempty"`
	// Override changes benefits by ID: every field set in an override
	// replaces the benefit's own (lists replace lists; booleans can only
	// be switched on — to switch one off, drop the benefit and add it; to
	// lift a rule, set eligible to "true").
	Override []Benefit `json:"override,omitempty"`
	// Add adds the programme's own benefits, after the catalogues'.
	Add []Benefit `json:"add,omitempty"`
	// Activation sets when each benefit is introduced, by benefit ID. A
	// benefit without an activation is introduced from the start.
	Activation map[string]Activation `json:"activation,omitempty"`
	// Baselines are the programme's reference figures for the ledger's
	// comparison, by benefit ID.
	Baselines map[string]Baseline `json:"baselines,omitempty"`
	// Measures sets the unit of each benefit's quantity in the ledger, by
	// benefit ID (crossings, inspections_avoided, hours, minutes_saved,
	// ...), replacing the benefit's own measure.
	Measures map[string]string `json:"measures,omitempty"`
}

// A Partner is a partner programme under a mutual recognition
// arrangement, and the dates it applies (both inclusive; zero means
// open-ended). The EU's agreements, for one, let a party suspend
// recognition on notice, so recognition has an end as well as a start.
type Partner struct {
	Programme string    `json:"programme"`
	From      time.Time `json:"from,omitzero"`
	Until     time.Time `json:"until,omitzero"`
	// Types are the partner's authorization types the arrangement covers
	// (an MRA may cover security types only); empty: the status as a
	// whole. A member is recognised only while it holds one of them in
	// force (Holder.PartnerTypes).
	Types []string `json:"types,omitempty"`
	// As maps a covered partner type to the programme's own type it
	// counts as for benefits that depend on types (C-TPAT tier2 as AEOS);
	// a type not mapped counts as the type of the same name.
	As     map[string]string `json:"as,omitempty"`
	Source string            `json:"source,omitempty"`
}

// UnmarshalText reads the short form: the programme's name alone,
// recognised without limit of time.
func (p *Partner) UnmarshalText(b []byte) error {
	*p = Partner{Programme: string(b)}
	return nil
}

// appliesOn reports whether the arrangement applies on the day of at.
func (p Partner) appliesOn(at time.Time) bool {
	d := calendar.Date(at)
	return (p.From.IsZero() || !d.Before(calendar.Date(p.From))) && (p.Until.IsZero() || !d.After(calendar.Date(p.Until)))
}

// A Benefit is one benefit a programme may offer: an entry of a catalogue
// or a programme's own.
type Benefit struct {
	// ID is unique across the catalogues and the programme's additions.
	ID string `json:"id"`
	// Catalogue is the catalogue the benefit comes from: safe, operator,
	// ecommerce, stairway, or programme for the programme's own.
	Catalogue string `json:"catalogue,omitempty"`
	// Heading groups benefits within a catalogue (SAFE's four headings,
	// the role for operator-specific benefits, Annex 2's groups).
	Heading string `json:"heading,omitempty"`
	Title   string `json:"title"`
	Text    string `json:"text,omitempty"`
	// Roles limits the benefit to operators acting in one of these roles
	// (importer, exporter, carrier, customs_broker, warehouse,
	// port_operator, logistics_operator, ...); empty means any role.
	Roles []string `json:"roles,omitempty"`
	// BusinessModels limits the benefit to operators of these e-commerce
	// business models ("1" to "4-3"); empty means any.
	BusinessModels []string `json:"business_models,omitempty"`
	// DependsOn lists the authorization types, or type groups (see
	// [Config].TypeGroups), of which the holder must hold at least one in
	// force. Empty means any AEO status in force. A suspended type gives
	// nothing.
	DependsOn []string `json:"depends_on,omitempty"`
	// MRA extends the benefit to members of the partner programmes listed
	// in [Config].Partners, under mutual recognition (or an assistance
	// agreement or a recognition list), for the types the arrangement
	// covers.
	MRA bool `json:"mra,omitempty"`
	// Vendors extends the benefit to non-resident vendors registered in
	// the programme's register (Holder.Vendor; WCO note on AEO for
	// e-commerce, option 3).
	Vendors bool `json:"vendors,omitempty"`
	// Applicants extends the benefit to operators whose application is
	// pending (lodged, incomplete or under examination), such as an
	// electronic application procedure.
	Applicants bool `json:"applicants,omitempty"`
	// Level is the step of the stairway of simplifications the holder must
	// stand on (1 is the lowest); 0 means the benefit is not on the
	// stairway.
	Level int `json:"level,omitempty"`
	// Eligible is an optional condition over the holder, e.g.
	// grade in ["tier2", "tier3"]. It may read status, types (the
	// authorization types in force), held (all types held), suspended,
	// grade, risk_level, roles, business_model, partner, milestones (the
	// milestones reached by the date), as_of (the date) and the declared
	// facts as facts.NAME.
	Eligible string `json:"eligible,omitempty"`
	// Measure is the unit of the benefit's quantity in the ledger; the
	// default is uses.
	Measure string `json:"measure,omitempty"`
	// Source is the document the benefit comes from. It is required, so
	// that every benefit can be traced.
	Source string `json:"source"`
	// Unverified marks a benefit whose source could not be checked, or
	// that is not the SAFE text itself; Note says what is uncertain.
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// A Step is one level of the stairway of simplifications. A holder stands
// on the highest step whose condition, and every lower step's, holds.
type Step struct {
	Level int    `json:"level"`
	Title string `json:"title"`
	// When is the condition over the holder for standing on the step;
	// empty means every holder with AEO status in force.
	When   string `json:"when,omitempty"`
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
}

// An Activation says when a benefit is introduced: from a date, when a
// milestone of the implementation plan is reached, or (both given) when
// both have happened. The seed asks for benefits to be introduced "in a
// sequenced manner".
type Activation struct {
	Date      time.Time `json:"date,omitzero"`
	Milestone string    `json:"milestone,omitempty"`
	Note      string    `json:"note,omitempty"`
}

// A Baseline is the programme's reference for a benefit, against which the
// ledger's use is compared. Zero fields are not compared.
type Baseline struct {
	// NormalMinutes is the time one unit of the benefit takes outside it,
	// in minutes: e.g. the average release time of a crossing in the
	// normal lane. With the minutes recorded for AEO use it gives the time
	// saved.
	NormalMinutes float64 `json:"normal_minutes,omitempty"`
	// ExpectedPerMonth is the quantity, in the benefit's unit, the
	// programme expects one operator to use per month.
	ExpectedPerMonth float64 `json:"expected_per_month,omitempty"`
	Source           string  `json:"source,omitempty"`
	Note             string  `json:"note,omitempty"`
}
