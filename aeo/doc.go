// Package aeo is the front door of the engine: the operator profile, the
// national programme loaded from its file, the assessment of an applicant
// and its explanation, and the comparison of two programmes for mutual
// recognition. A [Programme] ties together what the other packages
// compile from its file: the requirements (package criteria), the risk
// model and selectivity (risk), the benefits (benefits) and the
// authorization lifecycle (lifecycle). Fixtures for rule authors and
// their runner are in package aeotest.
//
// # Programmes
//
// A national programme is a YAML or JSON file (see [File]) that extends
// the built-in SAFE Annex IV baseline or stands alone, declares its
// requirements with their legal sources, groups them into criteria and
// authorization types, and sets the time limits of its lifecycle. [Load]
// parses, type-checks and compiles it once; every problem in it is reported
// at once, each as a [diag.Error] with file, line and column, including
// the position inside a rule's expression. The resulting [Programme] is
// immutable, fingerprinted, and safe for concurrent use.
//
// # Vocabulary
//
// The profile's enumerated values (roles, business models, severities,
// certification kinds, countries, self-assessment answers, ...) are closed
// sets, declared with their sources by the baseline and extended by a
// programme's vocabulary section (see [Vocabulary]). A value outside them
// is an error at load wherever it is written: in a programme's roles, in a
// rule that compares a field with it, in a profile ([Programme.ParseProfile]
// reports it with its line and column; [Programme.Assess] refuses it too).
//
// # Assessment
//
// [Programme.Assess] evaluates a [Profile] as of a date the caller passes.
// Each requirement is met, partly met, not met, not applicable, satisfied by
// an equivalent certification, or indeterminate: a requirement whose facts
// the profile lacks is never silently met or not met. An [Assessment]
// names the facts each rule read, the comparison that failed with its
// threshold and actual value, what must still be verified on site, the
// recommendation on each authorization type with its grade, and the
// programme's fingerprint, so that the same decision can be replayed on
// appeal. The engine recommends; Customs decides: nothing here grants a
// status, and [Assessment.OperatorView] leaves out the internal reasoning:
// the operator is told, of each finding, its outcome and the message the
// programme wrote for that outcome, never a rule, a fact value or an
// internal note. Risk maps, plans of treatment and lane decisions have no
// operator view at all (see package risk).
//
// # Lifecycle
//
// [Programme.Lifecycle] is the programme's authorization lifecycle
// (application, validation, decision, monitoring, suspension, revocation,
// appeal): a [lifecycle.Machine] whose state the caller keeps. Every
// officer's decision is an event, checked against the programme's guards
// and time rules and recorded in a hash-chained audit trail; [Holder] and
// [Operator] describe an operator's lifecycle state to the benefits
// catalogue and to selectivity. The programme's calendar section (its
// working week and public holidays, [Programme.Calendar]) is what
// deadlines in working days are counted in.
//
// # Versions in force
//
// Programmes change over time. A [Set] holds the versions of one
// programme, each in force over its dates with no gap and no overlap,
// loaded by [LoadSet] from an index file or a folder. An application is
// decided under the version in force on its filing date, or on the date
// of the assessment or decision when the set says so
// ([Set.ForApplication], [Set.Lifecycle]); each assessment and audit
// record names its version's fingerprint, and [Set.Replay] replays a trail
// made under several versions. [Set.Impact] and [TimeRuleChanges] compare
// two versions.
//
// # Beyond one administration
//
// A programme may be one member's view of a customs union's joint
// programme (its union section, [Union]): a status granted by any member
// holds in all, [Programme.Competent] says which member is competent for
// an applicant by the union's rules in order, and each member keeps the
// shared register from the records the others send. Its recognition list
// ([Recognition]) names the partner programmes whose AEO status it
// recognises, by mutual recognition arrangement (MRA), customs mutual
// administrative assistance agreement (CMAA), unilaterally or by law, for
// the types each covers, and feeds the selectivity profile, the benefits
// and the exchange of records (package exchange): [Programme.NewRegistry]
// holds the statuses partners send, [Programme.Exporter] sends the
// programme's own, each with the holder's consent, and [PartnerOperator]
// and [PartnerHolder] describe what the registry says of an operator to
// selectivity and the benefits. Its vendors section is the register of
// non-resident vendors (package vendors), and its entities section
// ([Entities]) says which establishments a legal entity's authorization
// covers ([Programme.Index] resolves a declarant to the entity whose
// status covers it).
package aeo
