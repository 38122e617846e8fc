package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// Consent gates the exchange of an operator's AEO data with partners
// (mutual recognition partners, administrations under an assistance
// agreement): its data goes to a partner only while its consent to that
// partner is in force, and each sending is an event of its own trail
// (export_records), naming who sent which records to whom and when. A
// withdrawal stops further sending and, once the partners that received
// data are told (a notice, itself sent by export_records), their
// recognition of the status; the status at home is unchanged. Partners
// that share the status by law (the members of a customs union) need no
// consent: see [WithPartners].

// A ConsentState is the holder's consent to the exchange of its data with
// one partner. It is plain data, part of an [Authorization].
type ConsentState struct {
	Partner string `json:"partner"`
	// Given is when the consent was given; Withdrawn, when it was
	// withdrawn (zero while it is in force).
	Given     time.Time `json:"given"`
	Withdrawn time.Time `json:"withdrawn,omitzero"`
	// Exported is when data was last sent to the partner.
	Exported time.Time `json:"exported,omitzero"`
	// NoticeDue reports that consent was withdrawn after data was sent to
	// the partner, which has not yet been told.
	NoticeDue bool `json:"notice_due,omitempty"`
}

// An ExchangePartner is a partner the programme exchanges AEO data with,
// by the ID exchange records and events name it by. NoConsent marks a
// partner that shares the status by law, such as another member of a
// customs union: data goes to it without the holder's consent.
type ExchangePartner struct {
	ID        string `json:"id"`
	NoConsent bool   `json:"no_consent,omitempty"`
}

// WithPartners sets the partners the programme exchanges AEO data with.
// Consent events and exports that name any other partner are then
// refused. Without it any partner may be named, and each needs the
// holder's consent.
func WithPartners(partners ...ExchangePartner) Option {
	return func(o *options) { o.partners = append(o.partners, partners...) }
}

func (l *Machine) setPartners(partners []ExchangePartner) error {
	if partners == nil {
		return nil
	}
	l.partners = make(map[string]ExchangePartner, len(partners))
	for _, p := range partners {
		if strings.TrimSpace(p.ID) == "" {
			return fmt.Errorf("lifecycle: an exchange partner has an empty ID")
		}
		if _, dup := l.partners[p.ID]; dup {
			return fmt.Errorf("lifecycle: exchange partner %q given twice", p.ID)
		}
		l.partners[p.ID] = p
	}
	return nil
}

// Partners returns the partners set by [WithPartners], sorted by ID; nil
// when none was set.
func (l *Machine) Partners() []ExchangePartner {
	if l.partners == nil {
		return nil
	}
	out := make([]ExchangePartner, 0, len(l.partners))
	for _, p := range l.partners {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b ExchangePartner) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// ConsentTo reports whether the holder's consent to partner is in force on
// the day of at.
func (a Authorization) ConsentTo(partner string, at time.Time) bool {
	i := a.consentIndex(partner)
	if i < 0 {
		return false
	}
	c := a.Consent[i]
	d := calendar.Date(at)
	return !d.Before(calendar.Date(c.Given)) && (c.Withdrawn.IsZero() || d.Before(calendar.Date(c.Withdrawn)))
}

func (a Authorization) consentIndex(partner string) int {
	return slices.IndexFunc(a.Consent, func(c ConsentState) bool { return c.Partner == partner })
}

// knownPartners refuses an event that names no partner, or one the
// programme does not exchange with.
func (s *step) knownPartners(required bool) error {
	if required && len(s.ev.Partners) == 0 {
		return s.fail("event.partners", ErrInvalidEvent, "name the partners")
	}
	if s.l.partners == nil {
		return nil
	}
	for _, p := range s.ev.Partners {
		if _, ok := s.l.partners[p]; !ok {
			return s.fail("event.partners", ErrInvalidEvent, "the programme exchanges no data with %q%s", p, s.l.partnerList())
		}
	}
	return nil
}

func (l *Machine) partnerList() string {
	ps := l.Partners()
	if len(ps) == 0 {
		return ""
	}
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	return "; it exchanges with " + strings.Join(ids, ", ")
}

func (s *step) giveConsent() error {
	if err := s.knownPartners(true); err != nil {
		return err
	}
	n := &s.next
	for _, p := range s.ev.Partners {
		if s.from.ConsentTo(p, s.ev.At) {
			return s.fail("consent-given", ErrInvalidTransition, "consent to %s is already in force", p)
		}
		c := ConsentState{Partner: p, Given: s.ev.At}
		if i := n.consentIndex(p); i >= 0 {
			// A renewed consent keeps what was sent under the old one; a
			// notice still owed stays owed until it is sent or data is.
			c.Exported, c.NoticeDue = n.Consent[i].Exported, n.Consent[i].NoticeDue
			n.Consent[i] = c
		} else {
			n.Consent = append(n.Consent, c)
		}
	}
	slices.SortFunc(n.Consent, func(a, b ConsentState) int { return strings.Compare(a.Partner, b.Partner) })
	return nil
}

func (s *step) withdrawConsent() error {
	if err := s.knownPartners(false); err != nil {
		return err
	}
	partners := s.ev.Partners
	if len(partners) == 0 {
		for _, c := range s.from.Consent {
			if s.from.ConsentTo(c.Partner, s.ev.At) {
				partners = append(partners, c.Partner)
			}
		}
		if len(partners) == 0 {
			return s.fail("consent", ErrInvalidTransition, "no consent is in force")
		}
	}
	n := &s.next
	for _, p := range partners {
		i := n.consentIndex(p)
		if i < 0 || !s.from.ConsentTo(p, s.ev.At) {
			return s.fail("consent", ErrInvalidTransition, "no consent to %s is in force", p)
		}
		n.Consent[i].Withdrawn = s.ev.At
		n.Consent[i].NoticeDue = !n.Consent[i].Exported.IsZero()
	}
	return nil
}

// exportRecords records a sending of exchange records. To each partner it
// is either data, under consent in force (or to a partner that needs
// none), or the notice of a withdrawal owed to it; anything else is
// refused.
func (s *step) exportRecords() error {
	if err := s.knownPartners(true); err != nil {
		return err
	}
	if len(s.ev.Records) == 0 {
		return s.fail("event.records", ErrInvalidEvent, "name the records sent")
	}
	n := &s.next
	for _, p := range s.ev.Partners {
		i := n.consentIndex(p)
		switch {
		case s.l.partners != nil && s.l.partners[p].NoConsent:
			continue // shares the status by law; nothing to track
		case s.from.ConsentTo(p, s.ev.At):
			n.Consent[i].Exported = s.ev.At
			n.Consent[i].NoticeDue = false
		case i >= 0 && n.Consent[i].NoticeDue:
			n.Consent[i].NoticeDue = false
		default:
			return s.fail("consent", ErrNoConsent, "the holder has not consented to the exchange of its data with %s", p)
		}
	}
	return nil
}

// dueExchange adds the consent notices and the reassessments owed on a.
func (l *Machine) dueExchange(out []DueItem, a *Authorization, asOf time.Time) []DueItem {
	for _, c := range a.Consent {
		if c.NoticeDue {
			out = append(out, DueItem{Kind: DueConsentNotice, Rule: "consent", Due: calendar.Date(c.Withdrawn),
				Overdue: after(asOf, calendar.Date(c.Withdrawn)), Partner: c.Partner})
		}
	}
	if a.Status.held() || a.Status.pending() {
		for _, c := range a.Changes {
			it := DueItem{Kind: DueReassessment, Rule: c.Rule, Due: c.Due, Change: c.Kind,
				Requirements: slices.Clone(c.Requirements), Criteria: slices.Clone(c.Criteria)}
			if it.Due.IsZero() {
				it.Due = calendar.Date(c.Notified) // due from the notification, with no deadline
			} else {
				it.Overdue = after(asOf, c.Due)
			}
			out = append(out, it)
		}
	}
	return out
}
