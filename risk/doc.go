// Package risk maps the risk of Authorized Economic Operators, plans their
// treatment under limited staff, and selects the lane of each goods
// declaration.
//
// The WCO AEO Implementation Guidance accredits operators "by applying the
// risk mapping methodology of the operator's organizational
// characteristics, records of compliance, volume of business, type of
// goods, and procedures", then sets up a company-specific control
// programme for the remaining risks (Annex 3, "Ten practical steps to set
// up a sustainable treatment programme for Trusted Traders"). At the
// border, a computerised risk engine must "distinguish AEO cargoes from
// numerous import/export declarations and provide reduced inspections and
// random exams", and recognise members of other programmes. This package
// does the three:
//
//   - [Compile] turns a [Config] (the programme file's risk: section) into
//     a [Model]; [Model.Map] maps one operator into a [Map]: an overall
//     score and level with each dimension's contribution, and the risks
//     found, rated on a likelihood × consequence matrix.
//   - [Model.Plan] draws up a [TreatmentPlan]: the controls that cover the
//     most risk within a budget of staff hours, what stays uncovered and
//     why, and when the plan is reviewed.
//   - [CompileSelectivity] turns a [SelectivityConfig] (the selectivity:
//     section) into a [Selector]; [Selector.Select] gives each
//     [Declaration] a [Decision]: its lane, the rules that fired, and the
//     random draw, reproducibly. [Selector.SelectBatch] runs a stream of
//     declarations on every core and returns a [Summary], so that an
//     administration can see what a profile will do before activating it.
//
// # Risk mapping
//
// Each [Dimension] has a weight and a score expression over the operator's
// facts giving 0 (no risk) to 100. The overall score is the weighted mean
// of the dimensions, and the level is the band of [Config.Levels] the
// score reaches.
//
// Mapping fails closed: it never gives a lower risk because something
// could not be scored. A dimension whose facts are missing is [Unknown]
// and one whose expression fails, or gives NaN or a value outside 0..100,
// is [Failed]; both count at 100, the worst score, so that an operator
// that withholds its compliance record is never mapped lower than one
// that shows it. The map is then marked provisional, with its coverage
// (the share of the weight that was scored) and a reason naming the
// dimensions. [Config.Unscored] chooses the level: [Worst] (the default)
// gives the level of that worst-case score; [Refer] gives none and marks
// the map referred, for an officer to set. (Renormalising the weights over
// the dimensions that could be scored would let a high-risk operator whose
// riskiest dimension fails come out low.)
//
// Risks come from two places: inherent risks declared with a condition
// over the profile (excise goods, say; a condition that cannot be decided,
// its facts missing or its rule failing, raises the risk all the same,
// listed under [Map].Undecided), and findings of an assessment
// (requirements not met or partly met: the [criteria.Finding] values of
// an assessment) matched by ID patterns in
// [Config.Findings]. Each risk is rated on the [Matrix]: the product of the
// 1-based positions of its likelihood and consequence picks a rating band,
// or an explicit grid gives the rating of each cell. The common five-by-five
// labels (likelihood rare … almost certain, consequence insignificant …
// severe, ratings low … extreme) are not built in: the page of the WCO
// Risk Management Compendium that gives them could not be checked, and the
// project's reference marks them [R]. A risk raised several times is
// rated by its worst cause, and lists every cause.
//
// # Plan of treatment
//
// A [Control] is physical inspection, documentary check, accounting
// control, post-clearance audit, spot check or self-assessment review
// (Annex 3, step 6: "the mix of controls includes physical inspections,
// verification of declaration and (post clearance) audits"), with the
// risks it addresses, its hours per occurrence, its frequency a year and
// its owner (step 9). Step 10 chooses which risks to cover when "there is
// not always enough manpower available to inspect everything". Plan counts
// a risk covered when one chosen control addresses it, weighs it by its
// rating (the rating's weight, or the product likelihood × consequence),
// and maximises the weight covered within the budget, then minimises
// hours, then prefers the sorted control IDs that come first: the same
// inputs always give the same plan. This is the budgeted maximum coverage
// problem, NP-hard in general; Plan solves it exactly by branch and bound,
// which is immediate for the tens of controls one operator's plan
// involves, and says so in [TreatmentPlan.Exact]. A search too large to
// finish falls back on the better of what it found and the modified greedy
// algorithm, which covers at least ½(1−1/e) of the optimum. The plan lists
// each uncovered risk with [NoControl] (the catalogue lacks a control) or
// [BudgetExhausted] (and the controls that would have covered it).
//
// [Review] sets the cycle from the date the plan is drawn up:
// change_method_after (step 4 changes the method of control "for a period
// of three months") and reanalyse_after (the ten steps "regularly
// repeated").
//
// # Selectivity
//
// Lanes follow ASYCUDA's selectivity module: [Red] (physical examination),
// [Yellow] (documentary check), [Blue] (post-clearance audit) and [Green]
// (released). Each [Rule] has a lane, a priority, an optional rate and a
// condition over the declaration, which may read:
//
//	id, date, office, direction, hs_code, hs_chapter, hs_heading, origin,
//	dispatch, value, gross_mass, declarant, operator_id, procedure,
//	transport_mode, facts.NAME (declared under facts), and
//	operator.id, operator.status, operator.types, operator.grade,
//	operator.partner, operator.partner_types, operator.aeo,
//	operator.treatment, and the non-resident vendor the declaration names
//	(a [Vendor]): vendor.id, vendor.country, vendor.status,
//	vendor.registered, vendor.partner, vendor.partner_types, vendor.aeo
//
// The date functions (days_since, years_since, within) count from the
// declaration's date. Every rule is evaluated; the lane is the highest
// that any fired rule or the random selection proposes, red > yellow >
// blue > green, and green when nothing proposed one. Priority orders rules
// within a lane and names the deciding rule; it never overrides lane
// precedence. An empty string or zero date is a missing fact: a rule that
// reads one is skipped and reported, unless it says if_missing: fire, so
// that a declaration cannot escape a control by leaving a field empty. The
// operator's fields are never missing: empty means none. The vendor's are
// missing when the declaration names a vendor whose registration is not
// known, so that a rule sparing registered vendors never spares one whose
// registration is not known; a declaration naming no vendor reads them
// empty.
//
// A rule that fails at run time is another matter: a commodity code keyed
// with a letter O for a zero, so that int(facts.code) cannot read it, or a
// value that is NaN. The rule tells nothing about the goods, and a
// selectivity officer expects such a declaration to be looked at, not
// released because the profile broke on it; the officer also needs to
// know which rule broke and how often, to fix the rule or the data. So
// the rule is reported as failed (with the first failure's reason in
// [Decision].Error, and [Cause] error when its lane decided), and it
// proposes the error lane: error_lane, red by default (physical
// examination), or yellow or blue where the administration prefers a
// documentary check or an audit; never green. No AEO treatment lowers it:
// a treatment thins risk-based selection, not the handling of a broken
// rule. A rule with if_missing: fire also fires in its own lane when it
// fails, as it does when it cannot tell for a missing fact. [Summary]
// counts failures per rule, so that a batch run before activation shows a
// rule that fails on real declarations.
//
// ASYCUDA also tops selections up to each lane's expected rate by sending
// would-be green declarations to lanes that are short. That depends on the
// selections made so far at an office, which a decision replayable from
// the declaration alone cannot know, so Select does not do it: the expected
// rates are checked and reported beside the actual shares in a [Summary],
// and a host that wants top-ups keeps the counts itself.
//
// # AEO treatment and mutual recognition
//
// A [Treatment] applies to operators by status, authorization type and
// grade; the first that matches wins, and when none does, the [Recognition]
// of the operator's partner programme under an MRA gives one, while the
// arrangement applies and, when it lists the types it covers (security
// types only, say), the operator holds one of them there
// (Operator.PartnerTypes). A treatment
// multiplies the rates of the red, yellow and blue rules that are not
// fixed (rule_factor), multiplies the random rate (random_factor), and may
// downgrade lanes (red to yellow, say). China's advanced certified
// enterprises, for instance, have an average inspection rate below 20% of
// that of regular enterprises (GACC Order 251): factors of 0.2. C-TPAT's
// risk-score credit of at most 20% of the high-risk threshold belongs to a
// score-based engine and has no direct equivalent here.
//
// # Random selection
//
// Each draw (the random selection, and each rule with a rate below one) is
// a number in [0, 1) computed from the seed, the rule and the
// declaration's ID with FNV-1a and a MurmurHash3 finaliser, so that any
// decision can be replayed exactly, years later, from the programme, the
// seed and the declaration. Whoever knows the seed can predict which
// declarations will be drawn, so the seed must be kept secret and should
// be rotated with the programme version; [WithSeed] lets the host keep it
// out of the published programme file. The hash is not a cryptographic
// function: against an adversary able to choose declaration IDs and
// observe many selections, key the draws with a cryptographic MAC instead.
//
// # Concurrency and performance
//
// A [Model] and a [Selector] are immutable after compilation (a Selector
// keeps only a pool of sessions) and safe for concurrent use by
// multiple goroutines; they keep copies of the configuration they read.
// Results own their slices. Functions passed with [WithFunctions] must be
// safe for concurrent use.
//
// [Model.MapInto] maps into a [Map] the caller reuses, for replays over a
// register: after the first, it allocates nothing for the dimensions.
//
// Select does not allocate: it takes a [Session] from a pool, and returns
// the [Decision] by value, listing up to [MaxListed] rule outcomes inline.
// A host selecting a stream of declarations on one goroutine keeps its
// own Session ([Selector.Session]) and avoids the pool. A Session resolves
// the declared facts once per declaration and serves them to the rules by
// position; a rule whose rate is 0 or 1 decides without a draw, and no
// draw is made when the random rate is 0. The expression layer reads the
// environment by field offsets; a rule it must leave to expr's virtual
// machine reads fields by reflection, which allocates for each value read.
//
// Every evaluation of a dimension, a risk condition or a lane rule is
// bounded in work ([WithMaxSteps]) and memory ([WithMemoryBudget]), and
// arithmetic that gives a number that is not finite fails (see
// internal/rules): such a dimension is Failed (and counted at the worst
// score), such a condition Undecided (and its risk raised), such a lane
// rule failed, which sends the declaration to the error lane.
//
// [Selector.SelectBatch] spreads a batch over goroutines of its own; a host
// that runs its own goroutines (reading declarations from files, say)
// gives each a [Tally] and merges them, for the same [Summary].
//
// # Nothing here is shown to the operator
//
// Risk maps, plans of treatment and lane decisions have no operator view,
// by design rather than by omission: the AEO Implementation Guidance keeps
// the deliberative process "internal to Customs", not "shared with the
// private sector, other than to let them know that companies' history and
// compliance will be reviewed", and a declarant told which rule selected
// a declaration, its score or its random draw could learn to avoid them.
// [Map], [TreatmentPlan] and [Decision] carry rule IDs, scores, weights,
// draws and the profile's risks, and are for officers and the host's
// risk-management systems only. What a declarant learns of a lane is the
// control it must undergo (documents to present, goods to make available),
// which the host's clearance system tells it in its own terms; an
// operator learns of its risk what an officer chooses to explain.
//
// # Configuration format
//
// The JSON tags of [Config] and [SelectivityConfig] are the programme-file
// keys, for example:
//
//	risk:
//	  dimensions:
//	    - {id: compliance, weight: 3, score: "min(100, 25 * infringements)"}
//	  levels: [{level: low, min: 0}, {level: medium, min: 35}, {level: high, min: 65}]
//	  unscored: worst       # or refer: no level while a dimension is unscored
//	  matrix:
//	    likelihood: [rare, unlikely, possible, likely, almost_certain]   # [R]
//	    consequence: [insignificant, minor, moderate, major, severe]     # [R]
//	    ratings: [{rating: low, min: 1}, {rating: medium, min: 5}, {rating: high, min: 10}, {rating: extreme, min: 17}]
//	  risks:
//	    - {id: records, likelihood: likely, consequence: moderate}
//	  findings:
//	    - {requirements: ["B.*"], outcomes: [not_met, partly], risk: records}
//	  controls:
//	    - {id: pca, kind: post_clearance_audit, addresses: [records], hours: 40, frequency: 1, owner: audit unit}
//	  review: {change_method_after: 3m, reanalyse_after: 1y}
//	selectivity:
//	  rules:
//	    - {id: apples-us, lane: red, when: 'hs_code == "080810" && origin == "US"'}
//	  expected_rates: {red: 0.05, yellow: 0.15, blue: 0.05}
//	  min_random_rate: 0.02
//	  random_lane: red
//	  error_lane: red        # where a declaration goes when a rule fails on it
//	  aeo:
//	    - {id: aeo, statuses: [authorized], rule_factor: 0.2, random_factor: 0.2, downgrade: {red: yellow}}
//	  mra:
//	    - {programme: US C-TPAT, treatment: aeo, from: 2024-01-01}
//	  seed: kept-secret
//
// Compile and CompileSelectivity report every problem at once as
// [diag.List], each with its path relative to the section
// (dimensions[2].score, rules[0].when) and, inside an expression, the line
// and column; the programme loader prefixes the section and resolves the
// file position.
//
// # Sources
//
//   - WCO SAFE Package, AEO Implementation Guidance: Phase 4 (risk mapping
//     and the company-specific control programme), Annex 3 (ten steps of a
//     treatment programme for trusted traders), and the call for a
//     computerised risk management programme.
//   - UNCTAD, ASYCUDA++ functional manual, section 6 (selectivity: lanes,
//     expected rates, minimum random rate, precedence Red → Yellow → Blue →
//     Green, criteria as rule scripts).
//   - WCO Risk Management Compendium, Vol. 1 (likelihood × consequence;
//     the 5×5 labels are unverified, [R]).
//   - GACC Order 251 (inspection rates of advanced certified enterprises)
//     and the SAFE Port Act, 6 U.S.C. 965 (C-TPAT tier benefits), as
//     summarised in the project's reference, section 3.
package risk
