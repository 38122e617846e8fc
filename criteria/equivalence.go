package criteria

import (
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
)

// Equivalences. An equivalence satisfies the requirements it lists when
// the operator holds the evidence it names on the assessment date:
//
//   - the programme accepts the equivalence on that date (From, Until);
//   - a certification of its kind (a certificate, an existing
//     authorization, another AEO status) from one of its issuers, valid on
//     the date, or an audit of its kind dated within MaxAge;
//   - whose scope includes the equivalence's Scope, and which, when
//     MaxAge is set, is recent enough;
//   - and, for a requirement that concerns sites, whose sites (together,
//     over every such certification) cover every site of the operator the
//     requirement concerns. A certificate that names no site covers none:
//     its scope cannot be checked, and the requirement is decided by its
//     own rule instead.
//
// Matching is the Subject's: an [EvidenceSubject] answers the whole
// question. A Subject that is not one can only show a certification valid
// on the date by kind and issuer ([Subject].Certification); an
// equivalence asking for more (an audit, a scope, an age, sites) is then
// not satisfied, and the requirement is decided by its own rule.

// EvidenceKind is what an equivalence asks the operator to hold.
type EvidenceKind string

// Kinds of evidence an equivalence asks for. The empty kind is a
// certification.
const (
	EvidenceCertification EvidenceKind = "certification"
	EvidenceAudit         EvidenceKind = "audit"
)

// AEOStatus says that an equivalence's certification is another AEO
// status.
type AEOStatus string

// AEO statuses an equivalence may accept.
const (
	// AEODomestic: an AEO status this administration issued under
	// another programme or authorization type.
	AEODomestic AEOStatus = "domestic"
	// AEORecognised: a partner administration's AEO status, recognised
	// under a mutual recognition arrangement.
	AEORecognised AEOStatus = "recognised"
)

// An EvidenceQuery is what an equivalence asks of the operator for one
// requirement.
type EvidenceQuery struct {
	// Evidence is certification (the zero value) or audit.
	Evidence EvidenceKind
	// Kind is the kind of certification or audit, matched without regard
	// to case.
	Kind string
	// Issuers, when given, are the only issuers accepted.
	Issuers []string
	// Scope lists what the evidence's own scope must include.
	Scope []string
	// MaxAge, when set, bounds the age of the evidence: an audit's date,
	// a certification's valid_from.
	MaxAge calendar.Period
	// Sites are the kinds of the operator's sites the requirement
	// concerns, or [all]; empty when it concerns no site.
	Sites []string
}

// An EvidenceSubject is a Subject that can say whether the operator
// holds the evidence a query describes, valid on AsOf, and name it
// (certificate or report identifiers, comma-separated).
type EvidenceSubject interface {
	Subject
	Evidence(q EvidenceQuery) (id string, ok bool)
}

// SitesAll is the word of Requirement.Sites for every site.
const SitesAll = "all"

// simple reports whether q asks no more than Subject.Certification can
// answer.
func (q EvidenceQuery) simple() bool {
	return (q.Evidence == "" || q.Evidence == EvidenceCertification) && len(q.Scope) == 0 && q.MaxAge.IsZero() && len(q.Sites) == 0
}

// Within reports whether d falls within the query's MaxAge before asOf
// (and not after asOf); true when MaxAge is not set.
func (q EvidenceQuery) Within(d, asOf time.Time) bool {
	if q.MaxAge.IsZero() {
		return true
	}
	if d.IsZero() {
		return false
	}
	day, from := calendar.Date(d), calendar.Date(q.MaxAge.Negate().AddTo(asOf))
	return !day.Before(from) && !day.After(calendar.Date(asOf))
}

// Covers reports whether scope includes every entry of the query's
// Scope, without regard to case.
func (q EvidenceQuery) Covers(scope []string) bool {
	for _, want := range q.Scope {
		if !slices.ContainsFunc(scope, func(s string) bool { return strings.EqualFold(s, want) }) {
			return false
		}
	}
	return true
}

// Concerns reports whether a site of the given kind is one the query's
// requirement concerns.
func (q EvidenceQuery) Concerns(kind string) bool {
	return slices.ContainsFunc(q.Sites, func(s string) bool { return s == SitesAll || strings.EqualFold(s, kind) })
}

// accepts reports whether the programme accepts e on the day of asOf.
func (e *Equivalence) accepts(asOf time.Time) bool {
	d := calendar.Date(asOf)
	return (e.From.IsZero() || !d.Before(calendar.Date(e.From))) && (e.Until.IsZero() || !d.After(calendar.Date(e.Until)))
}

// equivalent reports whether subject holds the evidence e asks for, for
// requirement rq, and names it.
func equivalent(e *Equivalence, rq *requirement, subject Subject) (string, bool) {
	if !e.accepts(subject.AsOf()) {
		return "", false
	}
	q := EvidenceQuery{Evidence: e.Evidence, Kind: e.Certification, Issuers: e.Issuers, Scope: e.Scope, MaxAge: e.MaxAge, Sites: rq.Sites}
	if es, ok := subject.(EvidenceSubject); ok {
		return es.Evidence(q)
	}
	if !q.simple() {
		return "", false
	}
	return subject.Certification(e.Certification, e.Issuers)
}

// checkEquivalence reports what is wrong with equivalence e at path p.
func checkEquivalence(errs *diag.List, p string, e *Equivalence) {
	switch e.Evidence {
	case "", EvidenceCertification:
	case EvidenceAudit:
		if e.MaxAge.IsZero() {
			errs.Add(diag.Join(p, "max_age"), "an audit counts only while recent: say how recent with max_age (3y, say)")
		}
		if e.AEO != "" {
			errs.Add(diag.Join(p, "aeo"), "an AEO status is a certification, not an audit")
		}
	default:
		errs.Add(diag.Join(p, "evidence"), "unknown evidence %q (want certification or audit)", e.Evidence)
	}
	switch e.AEO {
	case "", AEODomestic:
	case AEORecognised:
		if len(e.Issuers) == 0 {
			errs.Add(p, "a recognised AEO status names the partner administrations under issuers")
		}
	default:
		errs.Add(diag.Join(p, "aeo"), "unknown AEO status %q (want domestic or recognised)", e.AEO)
	}
	if !e.MaxAge.IsZero() && (e.MaxAge.Negative() || !e.MaxAge.Plain()) {
		errs.Add(diag.Join(p, "max_age"), "the age counts back from the assessment date: write it in calendar years, months, weeks or days")
	}
	if !e.From.IsZero() && !e.Until.IsZero() && e.Until.Before(e.From) {
		errs.Add(diag.Join(p, "until"), "until %s is before from %s", e.Until.Format(time.DateOnly), e.From.Format(time.DateOnly))
	}
	for j, s := range e.Scope {
		if strings.TrimSpace(s) == "" {
			errs.Add(diag.Index(diag.Join(p, "scope"), j), "an empty scope")
		}
	}
	for j, s := range e.Issuers {
		if strings.TrimSpace(s) == "" {
			errs.Add(diag.Index(diag.Join(p, "issuers"), j), "an empty issuer")
		}
	}
}

// checkSites reports what is wrong with a requirement's sites at path p.
func checkSites(errs *diag.List, p string, sites []string) {
	for j, s := range sites {
		switch {
		case strings.TrimSpace(s) == "":
			errs.Add(diag.Index(diag.Join(p, "sites"), j), "an empty site kind")
		case s == SitesAll && len(sites) > 1:
			errs.Add(diag.Join(p, "sites"), "%s is every site: give it alone, or list site kinds", SitesAll)
		}
	}
}
