package criteria

import (
	"time"

	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/calendar"
)

// Config is the criteria part of a programme: what an applicant must show,
// how each requirement is decided, scored and grouped into criteria, and
// which authorization types the criteria lead to. It is plain data, decoded
// from a programme file (see package aeo) or built in Go.
type Config struct {
	// Facts declares extra facts, beyond the operator profile, that
	// expressions may read as facts.NAME.
	Facts []FactDecl `json:"facts,omitempty"`
	// Scoring gives the points of each outcome, for programmes that score.
	Scoring Scoring `json:"scoring,omitempty"`
	// Criteria group requirements (SAFE's A–M, the EU's five criteria,
	// Korea's four areas, China's classes), in reporting order.
	Criteria []Criterion `json:"criteria"`
	// Requirements are evaluated in this order.
	Requirements []Requirement `json:"requirements"`
	// Equivalences are certifications that satisfy named requirements.
	Equivalences []Equivalence `json:"equivalences,omitempty"`
	// Authorizations are the statuses the programme grants (EU AEOC and
	// AEOS, a single SAFE AEO status, C-TPAT tiers), each decided on a
	// subset of the criteria.
	Authorizations []Authorization `json:"authorizations,omitempty"`
}

// A FactDecl declares an extra fact and its type: int, float, bool,
// string, date or strings (a list of strings).
type FactDecl struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Description string `json:"description,omitempty"`
	Source      string `json:"source,omitempty"`
}

// Scoring gives the points each outcome earns, for programmes that total
// points (China: met 0, partly met −1, not met −2). Bonus requirements earn
// their own Points when met, and nothing otherwise.
type Scoring struct {
	Met    float64 `json:"met,omitempty"`
	Partly float64 `json:"partly,omitempty"`
	NotMet float64 `json:"not_met,omitempty"`
}

// A Criterion groups requirements and decides whether the group is met.
type Criterion struct {
	ID string `json:"id"`
	// Title and Text are shown to operators (the published programme):
	// one string in the programme's language, or one per language.
	Title  Text   `json:"title"`
	Text   Text   `json:"text,omitzero"`
	Side   Side   `json:"side,omitempty"`
	Source string `json:"source,omitempty"`
	// Unverified marks a criterion whose source text could not be checked
	// (the reference's [R]); Note says what is uncertain.
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
	// Score is an optional numeric expression over the criterion's tallies
	// (met, partly, not_met, points, weight_met, weight, ...) and declared
	// facts, e.g. 100 * weight_met / weight.
	Score string `json:"score,omitempty"`
	// Measure is an optional numeric expression over the operator's facts
	// (not the tallies) whose value is the criterion's score, for scores a
	// customs administration computes from its own records, such as
	// Korea's legal-compliance score: compliance.compliance_score. A
	// measure whose facts are missing leaves the criterion indeterminate.
	Measure string `json:"measure,omitempty"`
	// Pass is an optional condition over the same tallies and score. The
	// default passes when every applicable required requirement is met
	// or satisfied by equivalence.
	Pass string `json:"pass,omitempty"`
}

// A Requirement is one thing an applicant must (or should) show.
type Requirement struct {
	ID        string `json:"id"`
	Criterion string `json:"criterion"`
	// Title and Text are shown to operators (the letter, the published
	// programme): one string in the programme's language, or one per
	// language.
	Title Text `json:"title"`
	Text  Text `json:"text,omitzero"`
	// Side says who the requirement binds: the AEO, Customs, or both. A
	// requirement that binds Customs alone (side: customs) is one of
	// Customs' own obligations under the criterion (SAFE Annex IV's
	// Customs-side items): it is not evaluated against an operator, has
	// no rule, and says under MetBy what of the programme meets it.
	Side Side `json:"side,omitempty"`
	// Level is required (the default), desired or bonus.
	Level Level `json:"level,omitempty"`
	// When is the condition under which the requirement is met.
	When string `json:"when"`
	// Partly is an optional condition, tried when When is false, under
	// which the requirement is partly met.
	Partly string `json:"partly,omitempty"`
	// Roles and BusinessModels limit the operators the requirement applies
	// to; empty means all. AppliesIf is a further condition.
	Roles          []string `json:"roles,omitempty"`
	BusinessModels []string `json:"business_models,omitempty"`
	AppliesIf      string   `json:"applies_if,omitempty"`
	// SME is a proportionate alternative for small and medium-sized
	// enterprises: when the operator is an SME, its condition replaces
	// When.
	SME *Alternative `json:"sme,omitempty"`
	// Points are earned by a bonus requirement when met.
	Points float64 `json:"points,omitempty"`
	// Weight counts the requirement in weighted scores; default 1.
	Weight float64 `json:"weight,omitempty"`
	// Evidence lists what must be seen: self_assessment, document,
	// on_site. A met requirement that needs on_site evidence is reported as
	// still to be verified on site.
	Evidence []Evidence `json:"evidence,omitempty"`
	// Source is the legal source: the SAFE item, the article of national
	// law. It is required, so that every rule can be audited.
	Source string `json:"source"`
	// Unverified marks a requirement whose source text could not be
	// checked (the reference's [R]); Note says what is uncertain.
	Unverified bool     `json:"unverified,omitempty"`
	Note       string   `json:"note,omitempty"`
	Messages   Messages `json:"messages,omitempty"`
	// MapsTo lists the SAFE baseline requirements (A.1, G.3, ...) this
	// requirement implements, so that two programmes can be compared
	// requirement by requirement for mutual recognition.
	MapsTo []string `json:"maps_to,omitempty"`
	// MetBy, for a requirement that binds Customs, lists the keys of the
	// programme file that meet it when every one is set: a section
	// (lifecycle.issues), a criterion or requirement by ID (criteria.A,
	// requirements.A.1). A programme may instead state in words how
	// Customs meets it (programme.commitments in package aeo).
	MetBy []string `json:"met_by,omitempty"`
	// Sites says which of the operator's sites the requirement concerns,
	// by kind (warehouse, port_facility), or [all] for every site. An
	// equivalence then satisfies it only when the evidence covers every
	// such site: a certificate's scope is the sites it names.
	Sites []string `json:"sites,omitempty"`
}

// An Alternative is a proportionate rule for SMEs.
type Alternative struct {
	When string `json:"when"`
	Note string `json:"note,omitempty"`
}

// Messages are what a requirement's findings say, by outcome: each
// outcome that is not a success (not met, partly met, indeterminate) has
// its own message, and a finding carries the one for its outcome only. A
// met finding, one satisfied by equivalence and one not applicable carry
// none.
//
//	messages:
//	  not_met:
//	    internal: A serious infringement falls within the period.
//	    operator: Your record shows a serious infringement ...
//	  partly: {operator: ...}
//	  indeterminate:
//	    operator:
//	      en: Please declare ...
//	      fr: Veuillez déclarer ...
//
// Internal and Operator directly under messages are the short form of
// not_met, kept for programmes written before messages were chosen by
// outcome; a requirement gives one or the other. Operator texts may be
// written per language (see [Text]); internal ones are for officers, in
// the programme's language.
type Messages struct {
	Internal      string          `json:"internal,omitempty"`
	Operator      Text            `json:"operator,omitzero"`
	NotMet        *OutcomeMessage `json:"not_met,omitempty"`
	Partly        *OutcomeMessage `json:"partly,omitempty"`
	Indeterminate *OutcomeMessage `json:"indeterminate,omitempty"`
}

// An OutcomeMessage is what a programme writes for the findings of one
// outcome: Internal to officers only, Operator to the applicant too.
// Operator text is the only reason an operator is shown: write it for the
// applicant, in plain words, without the rule, the facts read or anything
// Customs keeps to itself.
type OutcomeMessage struct {
	Internal string `json:"internal,omitempty"`
	Operator Text   `json:"operator,omitzero"`
}

// A Message is what a finding of one outcome says, in one language:
// Internal to officers only, Operator to the applicant too.
type Message struct {
	Internal string `json:"internal,omitempty"`
	Operator string `json:"operator,omitempty"`
}

// Written returns what the programme writes for a finding of outcome o:
// the message for not met (or the short form), partly met or
// indeterminate, and the zero OutcomeMessage for any other outcome.
func (m Messages) Written(o Outcome) OutcomeMessage {
	var p *OutcomeMessage
	switch o {
	case NotMet:
		if m.NotMet == nil {
			return OutcomeMessage{Internal: m.Internal, Operator: m.Operator}
		}
		p = m.NotMet
	case Partly:
		p = m.Partly
	case Indeterminate:
		p = m.Indeterminate
	}
	if p == nil {
		return OutcomeMessage{}
	}
	return *p
}

// For returns the message of a finding of outcome o (see Written), its
// operator text in lang, the programme's language (see [Text.In]).
func (m Messages) For(o Outcome, lang language.Tag) Message {
	w := m.Written(o)
	return Message{Internal: w.Internal, Operator: w.Operator.In(lang)}
}

// An Equivalence is evidence the operator already holds that satisfies
// requirements without further evidence: a certification (ISO 28000, the
// ISPS Code, UPU S58/S59), an existing authorization (a customs warehouse,
// a simplified procedure), another AEO status, domestic or recognised
// under a mutual recognition arrangement, or the report of a prior audit
// ("Customs should ... take existing audit reports/authorizations given
// to the trader into account", WCO AEO Implementation Guidance, lessons
// learned). See equivalence.go for how it is matched.
type Equivalence struct {
	ID string `json:"id"`
	// Evidence is what the operator holds: certification (the default: a
	// certificate, an authorization or a status in the profile's
	// certifications, valid on the assessment date) or audit (a report in
	// the profile's audits, dated within MaxAge).
	Evidence EvidenceKind `json:"evidence,omitempty"`
	// Certification is the kind of certification, authorization, status
	// or audit, matched against the kind the operator's holds, e.g.
	// "ISO 28000", "customs warehouse", "AEO", "post-clearance audit".
	Certification string `json:"certification"`
	// Issuers, when given, are the only issuers accepted.
	Issuers []string `json:"issuers,omitempty"`
	// AEO marks the certification as another AEO status: domestic (issued
	// by this administration under another programme or type) or
	// recognised (a partner administration's, under a mutual recognition
	// arrangement; Issuers must name the partners).
	AEO AEOStatus `json:"aeo,omitempty"`
	// Scope, when given, must be within the certificate's or audit's own
	// scope: an audit of records satisfies record-keeping requirements, not
	// premises security.
	Scope []string `json:"scope,omitempty"`
	// MaxAge, when given, is how recent the evidence must be: an audit
	// dated, or a certificate granted (valid_from), within this period
	// before the assessment date. Required for audits.
	MaxAge calendar.Period `json:"max_age,omitzero"`
	// From and Until, when given, are the assessment dates on which the
	// programme accepts the equivalence at all (both inclusive): an
	// arrangement in force, a national rule with a sunset.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// Satisfies lists the requirement IDs the evidence satisfies while
	// valid. For a requirement that concerns sites (Requirement.Sites),
	// the evidence must cover every site concerned.
	Satisfies  []string `json:"satisfies"`
	Source     string   `json:"source,omitempty"`
	Unverified bool     `json:"unverified,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// An Authorization is a status the programme grants.
type Authorization struct {
	ID string `json:"id"`
	// Title is shown to operators (the letter, the published programme):
	// one string in the programme's language, or one per language.
	Title  Text   `json:"title"`
	Source string `json:"source,omitempty"`
	// Criteria are the criteria this authorization is decided on; empty
	// means all.
	Criteria []string `json:"criteria,omitempty"`
	// Includes makes a combined authorization (EU AEOF = AEOC + AEOS):
	// recommended when every included one is.
	Includes []string `json:"includes,omitempty"`
	// Grant is an optional condition over the tallies of the
	// authorization's requirements (met, not_met, points, required.not_met,
	// ...), its criteria (criteria.ID.passed, criteria.ID.score, ...) and
	// declared facts. The default recommends the authorization when every
	// criterion passes.
	Grant string `json:"grant,omitempty"`
	// Grades are ordered from lowest to highest; the highest whose
	// condition holds is recommended. When grades are given, one must hold.
	Grades     []Grade `json:"grades,omitempty"`
	Unverified bool    `json:"unverified,omitempty"`
	Note       string  `json:"note,omitempty"`
}

// A Grade is a grade or tier of an authorization (Korea A/AA/AAA,
// C-TPAT tiers).
type Grade struct {
	ID     string `json:"id"`
	Title  Text   `json:"title,omitzero"`
	When   string `json:"when"`
	Source string `json:"source,omitempty"`
	Note   string `json:"note,omitempty"`
}
