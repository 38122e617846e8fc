package benefits

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/rules"
)

// A Holder is what eligibility is decided on: the operator's standing in
// the programme on the date in question, as the host reads it from the
// authorization lifecycle (package aeo) and the risk profile. The benefits
// package does not read that state itself. The zero value is a holder whose
// status is not known: nothing can be decided for it.
//
// A nil slice or map, or an empty string, means "not known"; a rule that
// reads an unknown field cannot be decided, unless the fields known settle
// it (a && b with a false is false, !a || b with a false is true: rules
// are decided in three-valued logic, as requirements are). Types,
// Suspended and Milestones are the exception: nil means none. A fact that
// is NaN or infinite is no fact: rules read it as not known.
type Holder struct {
	// Operator identifies the operator; when set, the ledger checks that
	// records for this holder are for the same operator.
	Operator string `json:"operator,omitempty"`
	// Status is the lifecycle status token (package aeo): authorized
	// (or authorised), partly_suspended, suspended, revocation_proposed
	// hold the authorization; lodged, incomplete and examination are
	// pending applications; none, not_accepted, refused, revoked,
	// withdrawn and annulled hold nothing.
	Status string `json:"status"`
	// Types are the authorization types held, in force or suspended
	// (AEOC, AEOS; AEO for a single-status programme).
	Types []string `json:"types,omitempty"`
	// Suspended are the types held that are currently suspended. When
	// Status is suspended, every type is, whatever this lists.
	Suspended []string `json:"suspended,omitempty"`
	// Grade is the grade or tier of the authorization (Korea AA, C-TPAT
	// tier2).
	Grade string `json:"grade,omitempty"`
	// RiskLevel is the operator's risk level (low, medium, high,
	// extreme). The stairway's default steps read it.
	RiskLevel string `json:"risk_level,omitempty"`
	// Roles are the operator's roles in the supply chain.
	Roles []string `json:"roles,omitempty"`
	// BusinessModel is the e-commerce business model ("1" to "4-3").
	BusinessModel string `json:"business_model,omitempty"`
	// Partner is the partner programme the operator is a member of, for
	// benefits extended under mutual recognition (e.g. "US C-TPAT"), and
	// PartnerTypes the types it holds in force there (nil: not known).
	Partner      string   `json:"partner,omitempty"`
	PartnerTypes []string `json:"partner_types,omitempty"`
	// Vendor is the holder's registration in the programme's register of
	// non-resident vendors: registered, suspended, struck_off or none
	// (empty: not known), for benefits marked vendors.
	Vendor string `json:"vendor,omitempty"`
	// Milestones are the milestones of the implementation plan reached,
	// with the date each was reached (package phases keeps them in the
	// same shape); a zero date counts as reached at any date.
	Milestones map[string]time.Time `json:"milestones,omitempty"`
	// Facts are the values of the extra facts the configuration declares.
	Facts map[string]any `json:"facts,omitempty"`
	// Denied are the benefits Customs denied the holder while its status
	// stands (package lifecycle: deny_benefits); they are not granted
	// whatever else the holder qualifies for.
	Denied []string `json:"denied,omitempty"`
}

// env is what eligible expressions and stairway steps read.
type env struct {
	Status        string    `expr:"status"`
	Types         []string  `expr:"types"` // in force
	Held          []string  `expr:"held"`
	Suspended     []string  `expr:"suspended"`
	Grade         string    `expr:"grade"`
	RiskLevel     string    `expr:"risk_level"`
	Roles         []string  `expr:"roles"`
	BusinessModel string    `expr:"business_model"`
	Partner       string    `expr:"partner"`
	PartnerTypes  []string  `expr:"partner_types"`
	Vendor        string    `expr:"vendor"`
	Milestones    []string  `expr:"milestones"`
	AsOf          time.Time `expr:"as_of"`
	facts         map[string]any
}

// Fact returns a declared extra fact.
func (e *env) Fact(name string) (any, bool) {
	v, ok := e.facts[name]
	return v, ok
}

// An Entitlement is the decision on one benefit for one holder on one
// date.
type Entitlement struct {
	Benefit string `json:"benefit"`
	Title   string `json:"title"`
	Status  Status `json:"status"`
	// Reason explains the status in a sentence.
	Reason string `json:"reason"`
	// Via names what entitles a holder that is Granted: the authorization
	// type in force, the partner programme, or the status of a pending
	// application; empty for a status without types.
	Via string `json:"via,omitempty"`
	// Missing lists what the host must supply to decide, for
	// CannotDecide: roles, business_model, status, or the facts a rule
	// reads. The entitlements of one call may share these lists: treat
	// them as read-only.
	Missing []string `json:"missing,omitempty"`
}

type statusClass uint8

const (
	classUnknown statusClass = iota
	classHeld
	classSuspended
	classApplicant
	classNone
)

// statusClasses maps the lifecycle status tokens of package aeo (and the
// British spelling of authorized) to what they mean for benefits. It is a
// table so that a reviewer can check it at a glance.
var statusClasses = map[string]statusClass{
	"authorized":          classHeld,
	"authorised":          classHeld,
	"partly_suspended":    classHeld,
	"revocation_proposed": classHeld,
	"suspended":           classSuspended,
	"lodged":              classApplicant,
	"incomplete":          classApplicant,
	"examination":         classApplicant,
	"none":                classNone,
	"not_accepted":        classNone,
	"refused":             classNone,
	"revoked":             classNone,
	"withdrawn":           classNone,
	"annulled":            classNone,
}

// Reasons that do not depend on the benefit.
const (
	reasonStatusUnknown  = "the holder's status is not known"
	reasonRolesUnknown   = "the holder's roles are not known"
	reasonModelUnknown   = "the holder's business model is not known"
	reasonWholeSuspended = "the authorization is suspended"
	reasonInForce        = "authorization in force"
	reasonStatusInForce  = "AEO status in force"
	reasonApplicant      = "offered to applicants"
	reasonPartner        = "member of a partner programme recognised under mutual recognition"
)

// holderState is a holder prepared for deciding every benefit once.
type holderState struct {
	h            *Holder
	env          env
	class        statusClass
	statusReason string
	partner      partnerStanding

	levelDone    bool
	level        int      // highest step reached
	levelMissing []string // why step level+1 cannot be decided
	levelErr     string

	// notFinite lists the holder's facts, as facts.NAME, that are NaN or
	// infinite: they are left out, so that rules reading them cannot be
	// decided on them.
	notFinite []string
}

// cannotDecide adds to reason, which says that a rule cannot be decided
// for the missing facts, those the holder gave as NaN or infinity.
func (hs *holderState) cannotDecide(missing []string, reason string) string {
	var bad []string
	for _, m := range missing {
		if slices.Contains(hs.notFinite, m) {
			bad = append(bad, m)
		}
	}
	if len(bad) > 0 {
		return reason + " (" + strings.Join(bad, ", ") + " not a finite number)"
	}
	return reason
}

var none = []string{}

func (c *Catalogue) prepare(h *Holder, at time.Time) *holderState {
	hs := &holderState{h: h}
	if h == nil {
		hs.h = &Holder{}
		h = hs.h
	}
	// The conditions here and below are if-else chains rather than
	// switch cases so that coverage, and mutation testing, see them.
	class, known := statusClasses[h.Status]
	if h.Status == "" {
		hs.statusReason = reasonStatusUnknown
	} else if !known {
		hs.statusReason = fmt.Sprintf("unknown status %q", h.Status)
	}
	hs.class = class
	held := h.Types
	if held == nil {
		held = none
	}
	suspended := h.Suspended
	if suspended == nil {
		suspended = none
	}
	inForce := held
	if class == classSuspended {
		inForce, suspended = none, held
	} else if class != classHeld {
		inForce = none
	} else if len(suspended) > 0 {
		inForce = make([]string, 0, len(held))
		for _, t := range held {
			if !slices.Contains(suspended, t) {
				inForce = append(inForce, t)
			}
		}
	}
	var milestones []string
	for m, when := range h.Milestones {
		if reached(when, at) {
			milestones = append(milestones, m)
		}
	}
	if milestones == nil {
		milestones = none
	} else {
		sort.Strings(milestones)
	}
	facts := h.Facts
	for name, v := range h.Facts {
		if !criteria.Finite(v) {
			hs.notFinite = append(hs.notFinite, "facts."+name)
		}
	}
	if hs.notFinite != nil {
		// A NaN makes "not (facts.score < 80)" true: no rule may read it.
		facts = make(map[string]any, len(h.Facts))
		for name, v := range h.Facts {
			if criteria.Finite(v) {
				facts[name] = v
			}
		}
	}
	hs.env = env{
		Status: h.Status, Types: inForce, Held: held, Suspended: suspended,
		Grade: h.Grade, RiskLevel: h.RiskLevel, Roles: h.Roles, BusinessModel: h.BusinessModel,
		Partner: h.Partner, PartnerTypes: h.PartnerTypes, Vendor: h.Vendor, Milestones: milestones, AsOf: at, facts: facts,
	}
	hs.partner = c.partnerStanding(h, at)
	return hs
}

func reached(when, at time.Time) bool {
	return when.IsZero() || !calendar.Date(at).Before(calendar.Date(when))
}

// stairLevel computes, once per holder, the highest stairway step the
// holder stands on.
func (c *Catalogue) stairLevel(r *rules.Runner, hs *holderState) {
	if hs.levelDone {
		return
	}
	hs.levelDone = true
	for _, s := range c.steps {
		if s.when != nil {
			var ok bool
			if missing := s.when.Missing(&hs.env, nil); len(missing) > 0 {
				v, known := r.Decide(s.when, &hs.env)
				if !known {
					hs.levelMissing = missing
					return
				}
				ok = v
			} else {
				v, err := r.Bool(s.when, &hs.env)
				if err != nil {
					hs.levelErr = fmt.Sprintf("stairway %s: rule failed: %v", c.stepNames[s.Level-1], err)
					return
				}
				ok = v
			}
			if !ok {
				return
			}
		}
		hs.level = s.Level
	}
}

// Eligible decides every benefit of c for holder h on date at, in the
// order of [Catalogue.Benefits]. Each benefit is granted, not eligible,
// suspended, not yet introduced, or cannot be decided, with the reason.
// Nothing is granted for an authorization type that is suspended, nor
// for any type while the whole authorization is. A nil holder is one
// whose status is not known. Eligible never fails: a rule that fails at
// run time makes its benefit CannotDecide.
//
// Eligible reads no clock: at is the date the decision is about, which may
// be in the past (an appeal, a ledger record) or the future.
func (c *Catalogue) Eligible(h *Holder, at time.Time) []Entitlement {
	if len(c.benefits) == 0 {
		return []Entitlement{}
	}
	hs := c.prepare(h, at)
	r := c.model.Runner()
	defer r.Release()
	out := make([]Entitlement, len(c.benefits))
	for i, b := range c.benefits {
		c.decide(r, b, hs, at, &out[i])
	}
	return out
}

// Decide decides one benefit, as Eligible does. It returns an error
// wrapping [ErrUnknownBenefit] when c has no benefit id.
func (c *Catalogue) Decide(h *Holder, id string, at time.Time) (Entitlement, error) {
	i, ok := c.index[id]
	if !ok {
		return Entitlement{}, fmt.Errorf("benefits: %q: %w", id, ErrUnknownBenefit)
	}
	hs := c.prepare(h, at)
	r := c.model.Runner()
	defer r.Release()
	var e Entitlement
	c.decide(r, c.benefits[i], hs, at, &e)
	return e, nil
}

// Granted returns the IDs of the benefits granted to h on date at, in
// catalogue order.
func (c *Catalogue) Granted(h *Holder, at time.Time) []string {
	var out []string
	for _, e := range c.Eligible(h, at) {
		if e.Status == Granted {
			out = append(out, e.Benefit)
		}
	}
	return out
}

// decide applies, in order: introduction (a benefit not yet introduced is
// nobody's), the benefit's roles and business models (what the benefit is
// for), the holder's status and types (suspension), the stairway step, and
// the benefit's own rule.
func (c *Catalogue) decide(r *rules.Runner, b *compiled, hs *holderState, at time.Time, e *Entitlement) {
	h := hs.h
	e.Benefit, e.Title = b.ID, b.Title
	if b.hasActivation {
		a := b.activation
		ok := a.Date.IsZero() || !calendar.Date(at).Before(calendar.Date(a.Date))
		if ok && a.Milestone != "" {
			when, hit := h.Milestones[a.Milestone]
			ok = hit && reached(when, at)
		}
		if !ok {
			e.Status, e.Reason = NotYetIntroduced, b.reasonNotIntroduced
			return
		}
	}
	if slices.Contains(h.Denied, b.ID) {
		e.Status, e.Reason = NotEligible, "denied to the holder by a decision of Customs"
		return
	}
	if len(b.Roles) > 0 {
		if h.Roles == nil {
			e.Status, e.Reason, e.Missing = CannotDecide, reasonRolesUnknown, []string{"roles"}
			return
		}
		if !intersects(b.Roles, h.Roles) {
			e.Status, e.Reason = NotEligible, b.reasonRoles
			return
		}
	}
	if len(b.BusinessModels) > 0 {
		if h.BusinessModel == "" {
			e.Status, e.Reason, e.Missing = CannotDecide, reasonModelUnknown, []string{"business_model"}
			return
		}
		if !slices.Contains(b.BusinessModels, h.BusinessModel) {
			e.Status, e.Reason = NotEligible, b.reasonModels
			return
		}
	}
	if !c.qualify(b, hs, e) {
		return
	}
	if b.Level > 0 {
		c.stairLevel(r, hs)
		if hs.level < b.Level {
			if hs.levelErr != "" {
				e.Status, e.Reason = CannotDecide, hs.levelErr
			} else if hs.levelMissing != nil {
				e.Status, e.Missing = CannotDecide, hs.levelMissing
				e.Reason = hs.cannotDecide(hs.levelMissing, "cannot decide the holder's stairway "+c.stepNames[hs.level])
			} else {
				e.Status = NotEligible
				e.Reason = b.reasonLevel + "; the holder stands on " + c.standsOn(hs.level)
			}
			e.Via = ""
			return
		}
	}
	if b.eligible != nil {
		var ok bool
		if missing := b.eligible.Missing(&hs.env, nil); len(missing) > 0 {
			// The facts present may settle the rule on their own (a && b
			// with a false, !a || b with a false): three-valued logic, as
			// requirements are decided.
			v, known := r.Decide(b.eligible, &hs.env)
			if !known {
				e.Status, e.Reason, e.Missing, e.Via = CannotDecide, hs.cannotDecide(missing, "cannot decide: "+b.Eligible), missing, ""
				return
			}
			ok = v
		} else {
			v, err := r.Bool(b.eligible, &hs.env)
			if err != nil {
				e.Status, e.Reason, e.Via = CannotDecide, "rule failed: "+err.Error(), ""
				return
			}
			ok = v
		}
		if !ok {
			e.Status, e.Reason, e.Via = NotEligible, b.reasonEligible, ""
			return
		}
	}
	e.Status = Granted
}

// qualify decides whether the holder's standing entitles it to b: its own
// authorization types in force, a pending application, or a recognised
// partner programme. On success it sets Via and Reason and returns true;
// otherwise it sets the refusal and returns false.
func (c *Catalogue) qualify(b *compiled, hs *holderState, e *Entitlement) bool {
	switch hs.class {
	case classUnknown:
		e.Status, e.Reason, e.Missing = CannotDecide, hs.statusReason, []string{"status"}
		return false
	case classHeld, classSuspended:
		env := &hs.env
		if b.accept == nil {
			if len(env.Types) > 0 {
				e.Via, e.Reason = env.Types[0], reasonInForce
				return true
			}
			if len(env.Held) == 0 && hs.class == classHeld {
				e.Reason = reasonStatusInForce
				return true
			}
			e.Status, e.Reason = Suspended, reasonWholeSuspended
			if hs.class == classHeld {
				e.Reason = "suspended: " + strings.Join(env.Suspended, ", ")
			}
			return false
		}
		for _, t := range env.Types {
			if slices.Contains(b.accept, t) {
				e.Via, e.Reason = t, reasonInForce
				return true
			}
		}
		var susp []string
		for _, t := range env.Held {
			if slices.Contains(b.accept, t) {
				susp = append(susp, t)
			}
		}
		if len(susp) > 0 {
			e.Status, e.Reason = Suspended, reasonWholeSuspended
			if hs.class == classHeld {
				e.Reason = "suspended: " + strings.Join(susp, ", ")
			}
			return false
		}
	case classApplicant:
		if b.Applicants {
			e.Via, e.Reason = hs.h.Status, reasonApplicant
			return true
		}
	}
	if decided, ok := c.qualifyBeyond(b, hs, e); decided {
		return ok
	}
	e.Status, e.Reason = NotEligible, b.reasonRequires
	if b.MRA && hs.partner.reason != "" {
		// Why the partner route failed: the arrangement did not apply on
		// the day, or it does not cover the types the member holds.
		e.Reason += "; " + hs.partner.reason
	}
	return false
}

func (c *Catalogue) standsOn(level int) string {
	if level == 0 {
		return "no step"
	}
	return c.stepNames[level-1]
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}
