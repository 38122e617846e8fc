package aeo

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/exchange"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
)

// A Recognition is one entry of the programme's recognition list: a
// partner programme whose AEO status the programme recognises, on what
// basis, for which of its types and when, and the data exchanged with it.
// Besides bilateral MRAs, a programme may recognise statuses unilaterally
// or by law (automatic), and take a partner administration's AEO status
// of vendors abroad under an assistance agreement (cmaa; WCO note on AEO
// for e-commerce, option 2).
//
// One entry serves the selectivity profile (the members get the treatment
// it names), the benefits (those marked mra extend to the members), the
// registry of partner statuses (records are imported from the partner it
// names) and, for mra and cmaa, the export of the programme's own records
// to the partner, with each holder's consent. It is plain data, decoded
// from the programme file.
type Recognition struct {
	// Programme is the partner programme, as its records and operators'
	// partner field name it (e.g. "Partnerland AEO").
	Programme string `json:"programme"`
	// Partner is the ID its records are issued under (a country code),
	// for the exchange of records; Issuers lists the IDs of the members
	// of a customs union recognised as one programme, each of which
	// issues records. Without either no records are exchanged.
	Partner string   `json:"partner,omitempty"`
	Issuers []string `json:"issuers,omitempty"`
	// Basis is mra, cmaa, unilateral or automatic (union members are
	// listed under union).
	Basis exchange.Basis `json:"basis"`
	// Agreement names the arrangement.
	Agreement string `json:"agreement,omitempty"`
	// Types are the partner's types recognised (an MRA may cover
	// security types only); empty: the status as a whole. As maps a
	// covered type to the programme's own type it counts as for benefits
	// that depend on types (tier2: AEOS). Exports are the programme's own
	// types sent to the partner; empty: Types (or all when Types is).
	Types   []string          `json:"types,omitempty"`
	As      map[string]string `json:"as,omitempty"`
	Exports []string          `json:"exports,omitempty"`
	// From and Until are the days recognition applies (inclusive).
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Treatment is the selectivity treatment the partner's AEOs get at
	// the border; required when the programme has a selectivity section.
	Treatment  string `json:"treatment,omitempty"`
	Source     string `json:"source"`
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// checkRecognition checks the recognition list against the rest of the
// programme.
func checkRecognition(f File, u *union, errs *diag.List) {
	programmes, partners := map[string]bool{}, map[string]bool{}
	if u != nil {
		for _, id := range u.ids {
			partners[id] = true
		}
	}
	for i, rc := range f.Recognition {
		p := diag.Index("recognition", i)
		switch {
		case strings.TrimSpace(rc.Programme) == "":
			errs.Add(diag.Join(p, "programme"), "name the partner programme")
		case programmes[rc.Programme]:
			errs.Add(diag.Join(p, "programme"), "%q listed twice; list each programme once, with the types it covers", rc.Programme)
		case u != nil && rc.Programme == u.cfg.Programme:
			errs.Add(diag.Join(p, "programme"), "%q is the union's own programme: its members are recognised under union", rc.Programme)
		}
		programmes[rc.Programme] = true
		switch rc.Basis {
		case exchange.BasisUnknown:
			errs.Add(diag.Join(p, "basis"), "basis is required: mra, cmaa, unilateral or automatic")
		case exchange.BasisUnion:
			errs.Add(diag.Join(p, "basis"), "the members of a union are listed under union, not here")
		}
		if rc.Partner != "" && len(rc.Issuers) > 0 {
			errs.Add(diag.Join(p, "issuers"), "give partner (one administration) or issuers (the members of a union), not both")
		}
		for j, id := range rc.issuers() {
			key := diag.Join(p, "partner")
			if len(rc.Issuers) > 0 {
				key = diag.Index(diag.Join(p, "issuers"), j)
			}
			if !token(id) {
				errs.Add(key, "a partner's ID is a code of letters, digits, '-' and '_'")
			} else if partners[id] {
				errs.Add(key, "partner %s is named twice (here or as a member of the union)", id)
			}
			partners[id] = true
		}
		if len(rc.Exports) > 0 && !rc.Basis.Exports() {
			errs.Add(diag.Join(p, "exports"), "nothing is sent to a programme recognised %s", rc.Basis)
		}
		if !rc.From.IsZero() && !rc.Until.IsZero() && rc.Until.Before(rc.From) {
			errs.Add(diag.Join(p, "until"), "recognition ends before it starts")
		}
		if strings.TrimSpace(rc.Source) == "" {
			errs.Add(diag.Join(p, "source"), "cite the arrangement or the law that recognises the programme")
		}
		checkTypes(diag.Join(p, "types"), rc.Types, errs)
		checkTypes(diag.Join(p, "exports"), rc.Exports, errs)
		for _, from := range slices.Sorted(maps.Keys(rc.As)) {
			if !slices.Contains(rc.Types, from) {
				errs.Add(diag.Join(diag.Join(p, "as"), from), "%s is not among the types recognised", from)
			}
		}
		if s := f.Selectivity; s != nil {
			ids := make([]string, len(s.AEO))
			for j, t := range s.AEO {
				ids[j] = t.ID
			}
			switch {
			case rc.Treatment == "":
				errs.Add(diag.Join(p, "treatment"), "name the selectivity treatment the partner's AEOs get at the border (one of %s)", strings.Join(ids, ", "))
			case !slices.Contains(ids, rc.Treatment):
				errs.Add(diag.Join(p, "treatment"), "unknown treatment %q; want one of %s", rc.Treatment, strings.Join(ids, ", "))
			}
			if slices.ContainsFunc(s.MRA, func(m risk.Recognition) bool { return strings.EqualFold(m.Programme, rc.Programme) }) {
				errs.Add(diag.Join(p, "programme"), "%q is also listed under selectivity.mra: list it once, here", rc.Programme)
			}
		} else if rc.Treatment != "" {
			errs.Add(diag.Join(p, "treatment"), "the programme has no selectivity section")
		}
		if b := f.Benefits; b != nil && slices.ContainsFunc(b.Partners, func(pt benefits.Partner) bool { return pt.Programme == rc.Programme }) {
			errs.Add(diag.Join(p, "programme"), "%q is also listed under benefits.partners: list it once, here", rc.Programme)
		}
	}
}

func checkTypes(path string, types []string, errs *diag.List) {
	seen := map[string]bool{}
	for i, t := range types {
		switch {
		case strings.TrimSpace(t) == "":
			errs.Add(diag.Index(path, i), "an empty authorization type")
		case seen[t]:
			errs.Add(diag.Index(path, i), "%s listed twice", t)
		}
		seen[t] = true
	}
}

// withRecognition returns the selectivity section with the recognition
// list's entries added under mra.
func withRecognition(s risk.SelectivityConfig, list []Recognition) risk.SelectivityConfig {
	if len(list) == 0 {
		return s
	}
	s.MRA = slices.Clone(s.MRA)
	for _, rc := range list {
		s.MRA = append(s.MRA, risk.Recognition{Programme: rc.Programme, Treatment: rc.Treatment, From: rc.From, Until: rc.Until,
			Types: slices.Clone(rc.Types), Source: rc.Source, Unverified: rc.Unverified, Note: rc.Note})
	}
	return s
}

// withPartners returns the benefits section with the recognition list's
// entries added under partners.
func withPartners(b benefits.Config, list []Recognition) benefits.Config {
	if len(list) == 0 {
		return b
	}
	b.Partners = slices.Clone(b.Partners)
	for _, rc := range list {
		b.Partners = append(b.Partners, benefits.Partner{Programme: rc.Programme, From: rc.From, Until: rc.Until,
			Types: slices.Clone(rc.Types), As: maps.Clone(rc.As), Source: rc.Source})
	}
	return b
}

// exchangePartners returns the partners records are exchanged with: the
// other members of the union, and the recognition list's entries that
// name a partner.
func exchangePartners(f File, u *union) []exchange.Partner {
	var out []exchange.Partner
	if u != nil {
		for _, m := range u.cfg.Members {
			if m.ID != u.cfg.Member {
				out = append(out, exchange.Partner{ID: m.ID, Programme: u.cfg.Programme, Basis: exchange.BasisUnion, Agreement: u.cfg.Name})
			}
		}
	}
	for _, rc := range f.Recognition {
		for _, id := range rc.issuers() {
			out = append(out, exchange.Partner{ID: id, Programme: rc.Programme, Basis: rc.Basis, Agreement: rc.Agreement,
				From: rc.From, Until: rc.Until, Types: slices.Clone(rc.Types), Exports: slices.Clone(rc.Exports)})
		}
	}
	return out
}

// issuers returns the IDs the programme's records are issued under.
func (rc Recognition) issuers() []string {
	if rc.Partner != "" {
		return []string{rc.Partner}
	}
	return rc.Issuers
}

// lifecyclePartners are the partners the lifecycle's consent and export
// events may name: those records are sent to.
func lifecyclePartners(partners []exchange.Partner) []lifecycle.ExchangePartner {
	var out []lifecycle.ExchangePartner
	for _, p := range partners {
		if p.Basis.Exports() {
			out = append(out, lifecycle.ExchangePartner{ID: p.ID, NoConsent: !p.Basis.NeedsConsent()})
		}
	}
	return out
}

// Partners returns the partners the programme exchanges records with or
// imports them from: the other members of its union and the recognition
// list's entries that name a partner. The slice is fresh.
func (p *Programme) Partners() []exchange.Partner {
	out := slices.Clone(p.partners)
	for i := range out {
		out[i].Types, out[i].Exports = slices.Clone(out[i].Types), slices.Clone(out[i].Exports)
	}
	return out
}

// NewRegistry returns an empty registry of the statuses the programme's
// partners send (see [exchange.Registry]).
func (p *Programme) NewRegistry() (*exchange.Registry, error) {
	return exchange.NewRegistry(p.partners...)
}

// Issuer returns the ID partners know the programme's administration by:
// its member ID in a union, else the programme's country.
func (p *Programme) Issuer() string {
	if p.union != nil {
		return p.union.cfg.Member
	}
	return p.file.Programme.Country
}

// ExchangeProgramme returns the name the programme's statuses are
// exchanged under: the union's programme for a member of a union, else
// the programme's own name.
func (p *Programme) ExchangeProgramme() string {
	if p.union != nil {
		return p.union.cfg.Programme
	}
	return p.file.Programme.Name
}

// Exporter returns the exporter of the programme's records to its
// partners. versions, when not nil, gives the lifecycle of an older
// version of the programme by fingerprint, for trails made under several.
// It fails for a programme without a lifecycle section, or without a
// country or union member to issue records as.
func (p *Programme) Exporter(versions func(fingerprint string) *lifecycle.Machine) (*exchange.Exporter, error) {
	if p.lifecycle == nil {
		return nil, errors.New("aeo: the programme has no lifecycle section to export from")
	}
	if p.Issuer() == "" {
		return nil, errors.New("aeo: the programme has no country (programme.country) to issue records as")
	}
	return exchange.NewExporter(p.Issuer(), p.ExchangeProgramme(), p.lifecycle, versions, p.partners...)
}

// ExchangeOperator returns the identifiers exchange records give the
// operator of prof: its operator ID, TIN, name and country.
func ExchangeOperator(prof *Profile) exchange.Operator {
	if prof == nil {
		return exchange.Operator{}
	}
	return exchange.Operator{NationalID: prof.OperatorID, TIN: prof.TIN, Name: prof.Name, Country: prof.Country}
}

// PartnerOperator describes to the selectivity profile an operator the
// registry of partner statuses knows, as st gives its standing on the
// declaration's date. A status of the union's shared register is the
// programme's own: the operator gets it as a domestic holder would. A
// partner programme's status gives the operator its partner and the types
// in force there, which the recognition list's treatment reads; a
// standing not recognised gives nothing (status none).
func PartnerOperator(id string, st exchange.Standing) risk.Operator {
	op := risk.Operator{ID: id, Status: "none"}
	switch {
	case !st.Known || st.Status == "":
	case st.Basis == exchange.BasisUnion:
		op.Status, op.Types, op.Grade = string(st.Status), slices.Clone(st.Types), st.Grade
	case st.Recognised:
		op.Partner, op.PartnerTypes = st.Programme, slices.Clone(st.Types)
	}
	return op
}

// PartnerHolder describes to the benefits an operator the registry of
// partner statuses knows, as PartnerOperator does to the selectivity
// profile. prof, when not nil, gives its roles, business model and facts.
func PartnerHolder(prof *Profile, st exchange.Standing) benefits.Holder {
	h := benefits.Holder{Status: "none"}
	if prof != nil {
		h.Operator, h.Roles, h.BusinessModel, h.Facts = prof.OperatorID, prof.Roles, prof.BusinessModel, prof.Facts
	}
	switch {
	case !st.Known || st.Status == "":
	case st.Basis == exchange.BasisUnion:
		h.Status, h.Grade = string(st.Status), st.Grade
		h.Types = append(slices.Clone(st.Types), st.Suspended...)
		h.Suspended = slices.Clone(st.Suspended)
		if exchangeEnded(st.Status) {
			h.Status, h.Types, h.Suspended = string(st.Status), nil, nil
		}
	case st.Recognised:
		h.Partner, h.PartnerTypes = st.Programme, slices.Clone(st.Types)
	}
	return h
}

func exchangeEnded(s exchange.Status) bool {
	switch s {
	case "revoked", "withdrawn", "annulled", "lapsed":
		return true
	}
	return false
}
