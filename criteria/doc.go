// Package criteria compiles the requirements of an Authorized Economic
// Operator programme and evaluates them against an operator's facts: which
// requirements apply to whom, how each is decided, scored and grouped into
// criteria, and which authorization types the criteria lead to. It also
// holds the vocabulary packages risk and benefits share with it: fact
// declarations ([FactDecl]), functions rule authors may call
// ([Function]), outcomes ([Outcome]) and findings ([Finding]).
//
// # Quick start
//
// A [Config] is plain data, usually the criteria part of a programme file
// loaded by package aeo. [Compile] checks it once (every problem at once,
// as a [diag.List] whose paths name the place in the configuration) and
// returns a [*Set]; [Set.Evaluate] may then be called any number of times,
// from any number of goroutines:
//
//	set, err := criteria.Compile(cfg)
//	if err != nil {
//		return err // each problem a *diag.Error: requirements[3].when:1:14: ...
//	}
//	res, err := set.Evaluate(ctx, &criteria.Facts{Date: asOf, Values: facts})
//
// Rules are expr expressions (https://expr-lang.org) over the [Subject]:
// the operator's facts as of the assessment date. Expressions are
// type-checked when the Set is compiled; date functions (within,
// years_since, days_since ...) count from the subject's date, never from
// the wall clock.
//
// # Outcomes
//
// Each requirement is [Met], [Partly] met, [NotMet], [NotApplicable] (by
// role, business model or its applies_if condition), [Equivalent]
// (satisfied by an equivalent certification) or [Indeterminate].
// Indeterminate is deliberately the zero value and distinct from NotMet:
// a requirement whose facts are missing, or whose rule fails at run time,
// is never silently met or not met. When some facts are missing but those
// present settle the rule (a || b with a true), the requirement is decided
// in three-valued logic.
//
// Every other rule fails closed the same way. An applies_if that fails is
// Indeterminate (decided in three-valued logic when facts are missing, as
// when is); a measure or score that fails, or that gives NaN or an
// infinity (a division by zero), leaves its criterion Indeterminate with
// no score; a pass or grant that fails leaves the criterion undecided and
// the recommendation pending; and grades are tried from the highest down,
// so that a grade rule that cannot be decided leaves the recommendation
// pending rather than giving a lower grade. A [Subject] holding a NaN or
// infinite fact is refused by [Set.Evaluate] (see [Facts.Validate]).
//
// A [Finding] names the facts the rule read with their values, the
// comparisons that failed with their thresholds, what is still to be
// verified on site, the legal source, and messages for officers and for
// the operator. Criteria decide on the tallies of their requirements
// (score, measure, pass), and each [Authorization] on its criteria
// (grant, grades), giving a [Recommendation]: recommend, refuse, or
// pending while facts or evidence are missing. The engine recommends;
// Customs decides.
//
// # Concurrency
//
// A Set is immutable and safe for concurrent use by multiple goroutines.
// [Set.EvaluateInto] reuses one [Result] per goroutine for replays over a
// whole register; [Set.DecideInto] does the same without the
// explanations (fact values, failed comparisons, reasons, titles and
// messages), for replays that need only the decisions. Functions a host
// adds with [WithFunctions] run on the caller's goroutine and must be
// safe for concurrent use.
//
// # Bounds
//
// Each evaluation of each rule is bounded in work ([WithMaxSteps],
// default 1,000,000 steps) and in memory ([WithMemoryBudget], default 16
// MiB), and honours the context inside the rule; arithmetic that gives a
// number that is not finite fails. A rule stopped or failed so makes its
// requirement Indeterminate with the reason (see internal/rules).
package criteria
