// Package benefits holds the benefits of an Authorized Economic Operator
// programme: the catalogues they come from, who is entitled to each and
// when, and a ledger that records their use so that benefits are, in the
// words of the WCO AEO Implementation Guidance, "meaningful, measurable
// and reportable".
//
// A [Config] is plain data, the benefits: section of a programme file (see
// package aeo). [Compile] assembles the catalogues it names, applies its
// drops, overrides and additions, and compiles every eligibility rule
// once; the resulting [*Catalogue] decides, for a [Holder] on a date, each
// benefit with its reason ([Catalogue.Eligible], [Catalogue.Decide]). A
// [*Ledger] validates each use of a benefit against the catalogue and the
// holder on the date of use ([Ledger.Add]) and reports on what it holds
// by operator, benefit and period, against the programme's baselines
// ([Ledger.Report]).
//
// Quick start:
//
//	cat, err := benefits.Compile(benefits.Config{
//		Baselines: map[string]benefits.Baseline{
//			"safe.release.fast-lane": {NormalMinutes: 45, ExpectedPerMonth: 20},
//		},
//	})
//	...
//	for _, e := range cat.Eligible(holder, asOf) {
//		fmt.Println(e.Benefit, e.Status, e.Reason)
//	}
//	ledger := benefits.NewLedger(cat)
//	err = ledger.Add(benefits.Record{Benefit: "safe.release.fast-lane",
//		Operator: "OP-1", At: crossedAt, Quantity: 1, Minutes: 12}, holder)
//	report, err := ledger.Report(from, to, benefits.GroupBy{Operator: true,
//		Benefit: true, Interval: benefits.Month})
//
// # Catalogues
//
// Four catalogues are built in, as YAML files embedded in the package
// (catalogues/*.yaml) so that they can be reviewed against their sources.
// Every benefit names its source; a benefit whose source could not be
// checked, or whose placement is the engine's reading, is marked
// Unverified with a Note.
//
//   - safe: SAFE's general benefits under its four headings (measures to
//     expedite cargo release; access to information; special measures
//     during trade disruption or elevated threat; first consideration for
//     new cargo-processing programmes). The headings are recalled from the
//     SAFE text and corroborated by COMCEC's AEO survey; the items are the
//     examples known under each heading, and the Implementation
//     Guidance's AEO fast lane.
//   - operator: operator-specific benefits by role (importer, exporter,
//     carrier, customs broker, warehouse, port and logistics operators).
//     SAFE's own 2018 list could not be read, so each item comes from a
//     named programme: the EU AEO Guidelines 2012 and UCC Art 38(6); the
//     C-TPAT tiers of 6 U.S.C. 964–966; China's differential treatment
//     under GACC Order 251; the Korean programme; COMCEC's catalogue of
//     national programmes.
//   - ecommerce: the operator-specific benefits A–M for e-commerce
//     stakeholders of the WCO note on the AEO concept for e-commerce,
//     with its text verbatim.
//   - stairway: Annex 2 of the Implementation Guidance, the "Swedish
//     Stairway" of simplifications offered "based on the level of security
//     and compliance of the operator", as three ordered steps ([Step]);
//     the items and their groups are the seed's, their steps the engine's
//     reading.
//
// [Catalogues] lists them and [Builtin] returns one as written. A
// programme may offer its own benefits (Config.Add, catalogue
// "programme").
//
// # Eligibility
//
// Each benefit is decided, in this order, as:
//
//   - [NotYetIntroduced] when its activation date or milestone lies ahead
//     (benefits are introduced "in a sequenced manner");
//   - [NotEligible] when it is for other roles or business models;
//   - [Suspended] when the authorization type it depends on is suspended,
//     or the whole authorization is: nothing is granted during suspension;
//   - [NotEligible] when the holder holds none of the types it depends on,
//     is not a pending applicant for a benefit offered to applicants, and
//     is not a member of a recognised partner programme for a benefit
//     extended under mutual recognition;
//   - [NotEligible] when the holder does not stand on the stairway step
//     the benefit needs, or the benefit's own rule (an expression over
//     the holder) is false;
//   - [Granted] otherwise.
//
// [CannotDecide] is returned instead whenever what a step needs is not
// known (the status, the roles, the grade, a fact) or its rule fails at
// run time: an unknown is never reported as a refusal nor as a grant.
// Rules (a benefit's own and the stairway's steps) are decided in
// three-valued logic, as requirements are: "a && b" with a false is not
// eligible and "!a || b" with a false eligible, whatever b; only a rule
// the known facts do not settle cannot be decided. A holder's fact that is
// NaN or infinite counts as not known, and the reason says so.
// Authorization types are matched through type
// groups (Config.TypeGroups): the built-in catalogues depend on "security"
// and "simplifications", which by default stand for the single SAFE
// status AEO and the EU's AEOS and AEOC.
//
// # Ledger and reports
//
// A [Record] is one use: what, who, when, how much in the benefit's unit
// (crossings, inspections_avoided, hours, ...), and optionally the minutes
// it took, the minutes saved, and the quantity that went the normal way.
// [Ledger.Add] refuses, with a [*RecordError] and without recording
// anything, a record for an unknown benefit, with a negative or non-finite
// quantity, in the wrong unit, or for an operator not entitled on that
// date. [Ledger.Report] gives counts, totals, means, the share of use
// against the normal way, the time saved, and the comparison with the
// programme's [Baseline]. Reports and records are written as JSON and CSV
// with a stable order; [ReadJSON] and [ReadCSV] read records back.
//
// # Concurrency
//
// A [*Catalogue] is immutable after Compile and safe for concurrent use
// by multiple goroutines. A [*Ledger] guards its records with a mutex and
// is safe for concurrent use. Nothing in the package reads the clock: the
// date of every decision is an argument.
//
// # Configuration format
//
// The keys of the benefits: section are the JSON names of [Config]'s
// fields: catalogues, facts, type_groups, partners, steps, drop, override,
// add, activation, baselines and measures. Problems are reported all at
// once as [diag.List], each with its path inside the section
// (add[2].eligible, activation.X) and, for expressions, the 1-based line
// and column inside the expression.
package benefits
