package criteria

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safe-aeo/engine/internal/rules"
)

// Tally counts the outcomes of a group of requirements. Expressions in
// criterion scores and passes, and in authorization grants and grades,
// read these fields by their expr names. The top-level tally of a group
// counts its required and desired requirements; bonus requirements are
// counted under bonus, and only their points add to the top-level points.
type Tally struct {
	Met           int `json:"met" expr:"met"`
	Partly        int `json:"partly" expr:"partly"`
	NotMet        int `json:"not_met" expr:"not_met"`
	Indeterminate int `json:"indeterminate" expr:"indeterminate"`
	NotApplicable int `json:"not_applicable" expr:"not_applicable"`
	Equivalent    int `json:"equivalent" expr:"equivalent"`
	// Applicable counts every requirement that applies (all but
	// NotApplicable).
	Applicable int `json:"applicable" expr:"applicable"`
	// Points totals the points earned under the programme's scoring.
	Points float64 `json:"points" expr:"points"`
	// Weight totals the weights of applicable requirements; WeightMet
	// those met or satisfied by equivalence; WeightPartly those partly met.
	Weight       float64 `json:"weight" expr:"weight"`
	WeightMet    float64 `json:"weight_met" expr:"weight_met"`
	WeightPartly float64 `json:"weight_partly" expr:"weight_partly"`
}

func (t *Tally) add(o Outcome, points, weight float64) {
	switch o {
	case Met:
		t.Met++
	case Partly:
		t.Partly++
	case NotMet:
		t.NotMet++
	case Indeterminate:
		t.Indeterminate++
	case NotApplicable:
		t.NotApplicable++
		return
	case Equivalent:
		t.Equivalent++
	}
	t.Applicable++
	t.Points += points
	t.Weight += weight
	switch o {
	case Met, Equivalent:
		t.WeightMet += weight
	case Partly:
		t.WeightPartly += weight
	}
}

func (t *Tally) merge(u Tally) {
	t.Met += u.Met
	t.Partly += u.Partly
	t.NotMet += u.NotMet
	t.Indeterminate += u.Indeterminate
	t.NotApplicable += u.NotApplicable
	t.Equivalent += u.Equivalent
	t.Applicable += u.Applicable
	t.Points += u.Points
	t.Weight += u.Weight
	t.WeightMet += u.WeightMet
	t.WeightPartly += u.WeightPartly
}

// Levels tallies a group by level.
type levels struct {
	All      Tally
	Required Tally
	Desired  Tally
	Bonus    Tally
}

// add counts one outcome. Bonus requirements are optional extras: they
// count in Bonus and add their points to All, but a bonus not earned is
// not a requirement not met, so All's counts leave them out.
func (l *levels) add(lv Level, o Outcome, points, weight float64) {
	switch lv {
	case Desired:
		l.Desired.add(o, points, weight)
	case Bonus:
		l.Bonus.add(o, points, weight)
		l.All.Points += points
		return
	default:
		l.Required.add(o, points, weight)
	}
	l.All.add(o, points, weight)
}

func (l *levels) merge(m levels) {
	l.All.merge(m.All)
	l.Required.merge(m.Required)
	l.Desired.merge(m.Desired)
	l.Bonus.merge(m.Bonus)
}

// CriterionView is what decision expressions see of a criterion, as
// criteria.ID (or criteria["ID"]): its tallies, score and whether it passed.
type CriterionView struct {
	Tally
	Required Tally   `expr:"required"`
	Desired  Tally   `expr:"desired"`
	Bonus    Tally   `expr:"bonus"`
	Score    float64 `expr:"score"`
	Passed   bool    `expr:"passed"`
}

// decisionEnv is the environment of criterion and authorization
// expressions: tallies of the group in scope, the criteria, the score and
// the declared facts.
type decisionEnv struct {
	Tally
	Required Tally                     `expr:"required"`
	Desired  Tally                     `expr:"desired"`
	Bonus    Tally                     `expr:"bonus"`
	Score    float64                   `expr:"score"`
	Criteria map[string]*CriterionView `expr:"criteria"`
	subject  Subject
}

func (d *decisionEnv) Fact(name string) (any, bool) {
	if d.subject == nil {
		return nil, false
	}
	return d.subject.Fact(name)
}

func (d *decisionEnv) set(l levels) {
	d.Tally, d.Required, d.Desired, d.Bonus = l.All, l.Required, l.Desired, l.Bonus
}

// A FactValue is the value of one fact a rule read. It refers into the
// subject it was read from rather than copying it: read it before
// changing the subject.
type FactValue struct {
	Fact string
	val  rules.Value // compiled accessor: boxed only when shown
}

// Value returns the fact's value, following pointers; nil when absent.
func (v FactValue) Value() any { return v.val.Interface() }

// MarshalJSON encodes the fact and its value.
func (v FactValue) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Fact  string `json:"fact"`
		Value any    `json:"value"`
	}{v.Fact, v.Value()})
}

// UnmarshalJSON decodes what MarshalJSON wrote; the value is kept as
// decoded from JSON.
func (v *FactValue) UnmarshalJSON(b []byte) error {
	var x struct {
		Fact  string `json:"fact"`
		Value any    `json:"value"`
	}
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	v.Fact, v.val = x.Fact, rules.ValueOf(x.Fact, x.Value)
	return nil
}

// Comparison explains a failed comparison in a rule: the value compared,
// the operator, the threshold and the actual value.
type Comparison struct {
	Subject   string `json:"subject"`
	Op        string `json:"op"`
	Threshold string `json:"threshold"`
	Actual    any    `json:"actual"`
}

// A Finding is the outcome of one requirement, with its reasons.
type Finding struct {
	Requirement string  `json:"requirement"`
	Criterion   string  `json:"criterion"`
	Title       string  `json:"title"`
	Level       Level   `json:"level"`
	Outcome     Outcome `json:"outcome"`
	Points      float64 `json:"points,omitempty"`
	// Facts are the facts the rule read and their values.
	Facts []FactValue `json:"facts,omitempty"`
	// Missing lists the facts that were absent, for an indeterminate
	// outcome.
	Missing []string `json:"missing,omitempty"`
	// Failed lists the comparisons that did not hold, for a requirement
	// not met.
	Failed []Comparison `json:"failed,omitempty"`
	// Equivalence names the equivalence and certification that satisfied
	// the requirement.
	Equivalence string `json:"equivalence,omitempty"`
	// VerifyOnSite marks a requirement met on paper that the programme
	// requires to be verified on site.
	VerifyOnSite bool `json:"verify_on_site,omitempty"`
	// SME marks that the SME alternative was applied.
	SME bool `json:"sme,omitempty"`
	// Reason explains an indeterminate or not applicable outcome to
	// officers; it may quote the rule and its errors, so the operator view
	// leaves it out.
	Reason     string `json:"reason,omitempty"`
	Source     string `json:"source"`
	Unverified bool   `json:"unverified,omitempty"`
	// Messages is the requirement's message for this outcome (see
	// Messages.For); empty for a met finding.
	Messages Message `json:"messages,omitzero"`
}

// A CriterionResult is the outcome of a criterion: Met when it passes,
// NotMet when it fails, Indeterminate when it fails but undecided
// requirements could change that, NotApplicable when none of its
// requirements applies.
type CriterionResult struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Outcome  Outcome `json:"outcome"`
	Tally    Tally   `json:"tally"`
	Score    float64 `json:"score,omitempty"`
	HasScore bool    `json:"-"`
	Reason   string  `json:"reason,omitempty"`
}

// An AuthorizationResult is the engine's recommendation on one
// authorization type, and the grade or tier when it has grades.
type AuthorizationResult struct {
	ID             string         `json:"id"`
	Title          string         `json:"title"`
	Recommendation Recommendation `json:"recommendation"`
	Grade          string         `json:"grade,omitempty"`
	Tally          Tally          `json:"tally"`
	// Failed lists the criteria that did not pass; Pending those not
	// decided.
	Failed  []string `json:"failed,omitempty"`
	Pending []string `json:"pending,omitempty"`
	Reason  string   `json:"reason,omitempty"`
}

// Why explains the recommendation in one line: the criteria that failed,
// those still pending, and the reason; empty when there is nothing to add.
func (a AuthorizationResult) Why() string {
	var why []string
	if len(a.Failed) > 0 {
		why = append(why, "failed: "+strings.Join(a.Failed, ", "))
	}
	if len(a.Pending) > 0 {
		why = append(why, "pending: "+strings.Join(a.Pending, ", "))
	}
	if a.Reason != "" {
		why = append(why, a.Reason)
	}
	return strings.Join(why, "; ")
}

// A Result is the assessment of one subject against a Set. It recommends;
// it grants nothing.
type Result struct {
	AsOf           time.Time             `json:"as_of"`
	Findings       []Finding             `json:"findings"`
	Criteria       []CriterionResult     `json:"criteria"`
	Authorizations []AuthorizationResult `json:"authorizations,omitempty"`
	// VerifyOnSite lists the requirements still to be verified on site.
	VerifyOnSite []string `json:"verify_on_site,omitempty"`

	scratch *scratch // memory EvaluateInto reuses
}

// Finding returns the finding for requirement id.
func (r *Result) Finding(id string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Requirement == id {
			return f, true
		}
	}
	return Finding{}, false
}

// Authorization returns the result for authorization id.
func (r *Result) Authorization(id string) (AuthorizationResult, bool) {
	for _, a := range r.Authorizations {
		if a.ID == id {
			return a, true
		}
	}
	return AuthorizationResult{}, false
}

// OperatorView returns a copy of r fit to show the operator. The only
// reasons it gives are the operator messages written for each finding's
// outcome; everything Customs keeps to itself is left out: internal
// messages, the facts read and their values, the failed comparisons, the
// facts missing (a rule may read facts the operator is not told of), and
// the reasons of findings, criteria and authorizations, which may quote a
// rule, its applicability condition or a run-time error.
func (r Result) OperatorView() Result {
	out := r
	out.scratch = nil
	out.Findings = make([]Finding, len(r.Findings))
	for i, f := range r.Findings {
		out.Findings[i] = Finding{
			Requirement:  f.Requirement,
			Criterion:    f.Criterion,
			Title:        f.Title,
			Level:        f.Level,
			Outcome:      f.Outcome,
			Points:       f.Points,
			Equivalence:  f.Equivalence,
			VerifyOnSite: f.VerifyOnSite,
			SME:          f.SME,
			Source:       f.Source,
			Unverified:   f.Unverified,
			Messages:     Message{Operator: f.Messages.Operator},
		}
	}
	out.Criteria = append([]CriterionResult(nil), r.Criteria...)
	for i := range out.Criteria {
		out.Criteria[i].Reason = ""
	}
	out.Authorizations = append([]AuthorizationResult(nil), r.Authorizations...)
	for i := range out.Authorizations {
		out.Authorizations[i].Reason = ""
		out.Authorizations[i].Failed = slices.Clone(out.Authorizations[i].Failed)
		out.Authorizations[i].Pending = slices.Clone(out.Authorizations[i].Pending)
	}
	out.VerifyOnSite = slices.Clone(r.VerifyOnSite)
	return out
}

// Evaluate assesses subject against every requirement in declaration
// order, then decides the criteria and authorizations. A requirement whose
// facts are missing, or whose rule fails at run time, is Indeterminate,
// never met or not met. Evaluate returns an error only when ctx is done,
// subject is not of the type the Set was compiled for, its date falls
// outside the years 0 to 9999 (which a result could not be written in
// JSON with), or subject has a method Validate() error (as *Facts does)
// that refuses it: a fact that is NaN or infinite.
func (s *Set) Evaluate(ctx context.Context, subject Subject) (Result, error) {
	var res Result
	if err := s.EvaluateInto(ctx, subject, &res); err != nil {
		return Result{}, err
	}
	res.scratch = nil // res is new: nothing else shares its memory
	return res, nil
}

// EvaluateInto is Evaluate writing into res and reusing its memory: a host
// that replays a programme over many operators evaluates with one Result
// per goroutine and, after the first, allocates almost nothing per
// operator. Everything res held before is overwritten, including the
// findings' lists of facts, missing facts and failed comparisons: copy
// what must outlive the next evaluation (Detach does).
func (s *Set) EvaluateInto(ctx context.Context, subject Subject, res *Result) error {
	return s.evaluate(ctx, subject, res, true)
}

// DecideInto is EvaluateInto for replays that need the decisions alone
// (an impact analysis over a register, a sweep of a programme change):
// it fills the same Result with the same outcomes, points, tallies,
// scores, criteria, recommendations and grades, and the verify-on-site
// list, but no explanation. The findings carry their requirement,
// criterion, level, outcome, points and on-site and SME marks; their
// titles, sources, messages, facts, missing facts, failed comparisons,
// equivalences and reasons are left empty, as are the reasons of
// criteria and authorizations. Errors are Evaluate's.
func (s *Set) DecideInto(ctx context.Context, subject Subject, res *Result) error {
	return s.evaluate(ctx, subject, res, false)
}

// evaluate is EvaluateInto, with the explanations when explain is true.
func (s *Set) evaluate(ctx context.Context, subject Subject, res *Result, explain bool) error {
	if subject == nil || reflect.TypeOf(subject) != s.envType {
		return fmt.Errorf("criteria: Evaluate needs a %s, got %T", s.envType, subject)
	}
	if y := subject.AsOf().Year(); y < 0 || y > 9999 {
		return fmt.Errorf("criteria: the assessment date is in the year %d, outside the years 0 to 9999", y)
	}
	if v, ok := subject.(validator); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	sc := res.scratch
	if sc == nil {
		sc = &scratch{}
	}
	*res = Result{
		AsOf:           subject.AsOf(),
		Findings:       reuse(res.Findings, len(s.reqs)),
		Criteria:       reuse(res.Criteria, len(s.crits)),
		Authorizations: reuse(res.Authorizations, len(s.auths)),
		VerifyOnSite:   res.VerifyOnSite[:0],
		scratch:        sc,
	}
	if res.VerifyOnSite == nil && s.numOnSite > 0 {
		res.VerifyOnSite = make([]string, 0, s.numOnSite)
	}
	if explain && cap(sc.values) < s.numFacts {
		sc.values = make([]FactValue, 0, s.numFacts)
	}
	if explain && cap(sc.raw) < s.maxFacts {
		sc.raw = make([]rules.Value, 0, s.maxFacts)
	}
	values, rawValues := sc.values[:0], sc.raw[:0]
	var ex *scratch // the memory explanations are written into, when asked for
	if explain {
		ex = sc
		sc.missing, sc.cmp = sc.missing[:0], sc.cmp[:0]
	}
	crit := reuse(sc.crit, len(s.crits))
	sc.crit = crit
	r := s.subject.Runner()
	defer r.Release()
	// The context is honoured inside each rule (see internal/rules), and
	// checked between requirements.
	r.SetContext(ctx)
	for i, rq := range s.reqs {
		if i%8 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		f := &res.Findings[i]
		f.Requirement, f.Criterion, f.Level = rq.ID, rq.Criterion, rq.level
		if explain {
			f.Title, f.Source, f.Unverified = rq.title, rq.Source, rq.Unverified
		}
		s.decide(r, rq, subject, f, ex)
		if explain {
			f.Messages = rq.messages[f.Outcome]
		}
		if explain && f.Outcome != NotApplicable {
			rule := rq.when
			if f.SME {
				rule = rq.sme
			}
			rawValues = rule.Values(subject, rawValues[:0])
			start := len(values)
			for _, v := range rawValues {
				values = append(values, FactValue{Fact: v.Fact, val: v})
			}
			f.Facts = values[start:len(values):len(values)]
		}
		f.Points = s.points(rq, f.Outcome)
		if rq.onSite && (f.Outcome == Met || f.Outcome == Partly) {
			f.VerifyOnSite = true
			res.VerifyOnSite = append(res.VerifyOnSite, rq.ID)
		}
		crit[rq.crit].add(rq.level, f.Outcome, f.Points, rq.weight)
	}
	if explain {
		sc.values, sc.raw = values, rawValues
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.decideCriteria(ctx, res, crit, subject, r, explain)
	s.decideAuthorizations(ctx, res, crit, subject, explain)
	if len(res.VerifyOnSite) == 0 {
		res.VerifyOnSite = nil
	}
	return ctx.Err()
}

// A validator is a Subject that can say it holds a value no rule can rest
// on, such as a NaN.
type validator interface{ Validate() error }

// Detach returns a copy of r that shares no memory with r, so that a
// later EvaluateInto into r cannot change the copy.
func (r Result) Detach() Result {
	r.scratch = nil
	r.Findings = slices.Clone(r.Findings)
	var facts, missing, failed int
	for _, f := range r.Findings {
		facts, missing, failed = facts+len(f.Facts), missing+len(f.Missing), failed+len(f.Failed)
	}
	// One array per kind of list, shared out among the findings.
	factArr, missArr, failArr := make([]FactValue, 0, facts), make([]string, 0, missing), make([]Comparison, 0, failed)
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Facts, factArr = carve(factArr, f.Facts)
		f.Missing, missArr = carve(missArr, f.Missing)
		f.Failed, failArr = carve(failArr, f.Failed)
	}
	r.Criteria = slices.Clone(r.Criteria)
	r.Authorizations = slices.Clone(r.Authorizations)
	for i := range r.Authorizations {
		a := &r.Authorizations[i]
		a.Failed, a.Pending = slices.Clone(a.Failed), slices.Clone(a.Pending)
	}
	r.VerifyOnSite = slices.Clone(r.VerifyOnSite)
	return r
}

// carve appends xs to arr, which has room for them, and returns the copy
// and arr; nil stays nil.
func carve[T any](arr, xs []T) (copied, rest []T) {
	if xs == nil {
		return nil, arr
	}
	start := len(arr)
	arr = append(arr, xs...)
	return arr[start:len(arr):len(arr)], arr
}

// scratch is the memory a Result keeps for reuse by EvaluateInto.
type scratch struct {
	values []FactValue
	raw    []rules.Value
	// missing and cmp hold the findings' lists of missing facts and
	// failed comparisons, rawCmp the comparisons as the rules give them,
	// and buf the reason being written.
	missing []string
	cmp     []Comparison
	rawCmp  []rules.Comparison
	buf     []byte
	crit    []levels
	env     decisionEnv
	views   map[string]*CriterionView
	viewAll []CriterionView
	// failed and pending keep the arrays of the authorizations' lists.
	failed, pending [][]string
}

// reuse returns xs with length n and every element zeroed, reusing its
// array when it is large enough.
func reuse[T any](xs []T, n int) []T {
	if n == 0 {
		return nil
	}
	if cap(xs) < n {
		return make([]T, n)
	}
	xs = xs[:n]
	clear(xs)
	return xs
}

func (s *Set) points(rq *requirement, o Outcome) float64 {
	if rq.level == Bonus {
		if o.Satisfied() {
			return rq.Points
		}
		return 0
	}
	switch o {
	case Met, Equivalent:
		return s.cfg.Scoring.Met
	case Partly:
		return s.cfg.Scoring.Partly
	case NotMet:
		return s.cfg.Scoring.NotMet
	}
	return 0
}

// decide sets the outcome of one requirement, and when ex is not nil why,
// written into ex.
func (s *Set) decide(r *rules.Runner, rq *requirement, subject Subject, f *Finding, ex *scratch) {
	explain := ex != nil
	if reason, ok := applies(rq, subject); !ok || reason != "" {
		f.Outcome = NotApplicable
		if ok {
			f.Outcome = Indeterminate
		}
		if explain {
			f.Reason = reason
		}
		return
	}
	if rq.appliesIf != nil {
		var ok bool
		if !rq.appliesIf.Present(subject) {
			// As for when: the facts present may settle it.
			v, known := r.Decide(rq.appliesIf, subject)
			if !known {
				f.Outcome = Indeterminate
				if explain {
					f.Missing, f.Reason = ex.missingFacts(rq.appliesIf, subject), "applicability cannot be decided"
				}
				return
			}
			ok = v
		} else {
			v, err := r.Bool(rq.appliesIf, subject)
			if err != nil {
				f.Outcome = Indeterminate
				if explain {
					f.Reason = "applicability rule failed: " + err.Error()
				}
				return
			}
			ok = v
		}
		if !ok {
			f.Outcome = NotApplicable
			if explain {
				f.Reason = rq.notApplies
			}
			return
		}
	}
	for _, e := range rq.equivalents {
		if id, ok := equivalent(e, rq, subject); ok {
			f.Outcome = Equivalent
			if explain {
				f.Equivalence = e.ID + ": " + id
			}
			return
		}
	}
	rule := rq.when
	if rq.sme != nil {
		if sme, known := subject.SME(); known && sme {
			rule, f.SME = rq.sme, true
		}
	}
	if !rule.Present(subject) {
		if explain {
			f.Missing = ex.missingFacts(rule, subject)
		}
		// The facts present may decide the rule on their own ("a || b"
		// with a true): three-valued logic, never a guess.
		v, known := r.Decide(rule, subject)
		switch {
		case !known:
			f.Outcome = Indeterminate
		case v:
			f.Outcome = Met
		default:
			f.Outcome = NotMet
			if rq.partly != nil {
				if p, known := r.Decide(rq.partly, subject); known && p {
					f.Outcome = Partly
				}
			}
		}
		if explain && known {
			f.Reason = "decided by the facts present"
		}
		return
	}
	ok, err := r.Bool(rule, subject)
	if err != nil {
		f.Outcome = Indeterminate
		if explain {
			f.Reason = "rule failed: " + err.Error()
		}
		return
	}
	if ok {
		f.Outcome = Met
		return
	}
	f.Outcome = NotMet
	if explain {
		f.Failed = ex.failedComparisons(r, rule, subject)
	}
	if rq.partly != nil {
		if p, known := r.Decide(rq.partly, subject); known && p {
			f.Outcome = Partly
		}
	}
}

// applies decides applicability by role and business model. It returns
// ok=false with the reason when the requirement does not apply, and a
// reason with ok=true when applicability cannot be decided.
func applies(rq *requirement, subject Subject) (reason string, ok bool) {
	if len(rq.Roles) > 0 {
		hit, allKnown := false, true
		for _, role := range rq.Roles {
			has, known := subject.HasRole(role)
			hit = hit || has
			allKnown = allKnown && known
		}
		if !allKnown {
			return "the operator's roles are not known", true
		}
		if !hit {
			return rq.notForRoles, false
		}
	}
	if len(rq.BusinessModels) > 0 {
		m, known := subject.BusinessModel()
		if !known {
			return "the operator's business model is not known", true
		}
		for _, want := range rq.BusinessModels {
			if m == want {
				return "", true
			}
		}
		return rq.notForModels, false
	}
	return "", true
}

func (s *Set) decideCriteria(ctx context.Context, res *Result, crit []levels, subject Subject, sr *rules.Runner, explain bool) {
	r := s.decision.Runner()
	defer r.Release()
	r.SetContext(ctx)
	env := &res.scratch.env
	*env = decisionEnv{subject: subject}
	for i, c := range s.crits {
		l := crit[i]
		cr := &res.Criteria[i]
		cr.ID, cr.Tally = c.ID, l.All
		if explain {
			cr.Title = c.title
		}
		env.set(l)
		env.Score = 0
		if c.measure != nil {
			if !c.measure.Present(subject) {
				cr.Outcome = Indeterminate
				if explain {
					cr.Reason = "measure: missing " + strings.Join(c.measure.Missing(subject, nil), ", ")
				}
				continue
			}
			v, err := sr.Number(c.measure, subject)
			if err == nil && !finite(v) {
				err = notFinite(v)
			}
			if err != nil {
				cr.Outcome, cr.Reason = Indeterminate, "measure: "+err.Error()
				continue
			}
			cr.Score, cr.HasScore, env.Score = v, true, v
		}
		if l.All.Applicable == 0 && l.Bonus.Applicable == 0 {
			// A score over no applicable requirement (0/0) means nothing:
			// the criterion is not applicable and has none.
			cr.Outcome = NotApplicable
			continue
		}
		if c.score != nil {
			v, err := runNumber(r, c.score, env)
			if err == nil && !finite(v) {
				err = notFinite(v)
			}
			if err != nil {
				cr.Outcome, cr.Reason = Indeterminate, "score: "+err.Error()
				continue
			}
			cr.Score, cr.HasScore, env.Score = v, true, v
		}
		var pass bool
		if c.pass != nil {
			ok, err := runBool(r, c.pass, env)
			if err != nil {
				cr.Outcome, cr.Reason = Indeterminate, "pass: "+err.Error()
				continue
			}
			pass = ok
		} else {
			pass = l.Required.NotMet == 0 && l.Required.Partly == 0 && l.Required.Indeterminate == 0
		}
		switch {
		case pass:
			cr.Outcome = Met
		case c.pass == nil && (l.Required.NotMet > 0 || l.Required.Partly > 0):
			// Under the default rule a required requirement not met
			// decides, whatever is still undecided.
			cr.Outcome = NotMet
		case l.All.Indeterminate > 0:
			cr.Outcome = Indeterminate
			if explain {
				cr.Reason = s.undecided(l.All.Indeterminate)
			}
		default:
			cr.Outcome = NotMet
		}
	}
}

func (s *Set) decideAuthorizations(ctx context.Context, res *Result, crit []levels, subject Subject, explain bool) {
	if len(s.auths) == 0 {
		return
	}
	r := s.decision.Runner()
	defer r.Release()
	r.SetContext(ctx)
	sc := res.scratch
	if len(sc.failed) < len(s.auths) {
		sc.failed, sc.pending = make([][]string, len(s.auths)), make([][]string, len(s.auths))
	}
	env := &sc.env
	*env = decisionEnv{subject: subject}
	if s.views {
		// Built only for programmes whose authorization rules read them,
		// into memory the Result keeps for the next evaluation.
		if sc.views == nil {
			sc.views = make(map[string]*CriterionView, len(s.crits))
			sc.viewAll = make([]CriterionView, len(s.crits))
			for i, c := range s.crits {
				sc.views[c.ID] = &sc.viewAll[i]
			}
		}
		for i := range s.crits {
			cr := res.Criteria[i]
			sc.viewAll[i] = CriterionView{Tally: crit[i].All, Required: crit[i].Required, Desired: crit[i].Desired, Bonus: crit[i].Bonus, Score: cr.Score, Passed: cr.Outcome == Met}
		}
		env.Criteria = sc.views
	}
	for i, a := range s.auths {
		ar := &res.Authorizations[i]
		ar.ID = a.ID
		if explain {
			ar.Title = a.title
		}
		var l levels
		// The lists grow in memory the Result keeps for the next
		// evaluation; an empty one is nil, as it always was.
		ar.Failed, ar.Pending = sc.failed[i][:0], sc.pending[i][:0]
		for _, ci := range a.crits {
			l.merge(crit[ci])
			switch res.Criteria[ci].Outcome {
			case NotMet:
				ar.Failed = append(ar.Failed, s.crits[ci].ID)
			case Indeterminate:
				ar.Pending = append(ar.Pending, s.crits[ci].ID)
			}
		}
		sc.failed[i], sc.pending[i] = ar.Failed, ar.Pending
		if len(ar.Failed) == 0 {
			ar.Failed = nil
		}
		if len(ar.Pending) == 0 {
			ar.Pending = nil
		}
		ar.Tally = l.All
		if len(a.includes) > 0 {
			s.combine(ar, a, res.Authorizations)
			continue
		}
		env.set(l)
		env.Score = 0
		grant := len(ar.Failed) == 0 && len(ar.Pending) == 0
		if a.grant != nil {
			ok, err := runBool(r, a.grant, env)
			if err != nil {
				ar.Recommendation, ar.Reason = Pending, "grant: "+err.Error()
				continue
			}
			grant = ok
			if !ok && explain {
				ar.Reason = sc.failedReason("grant condition does not hold", r, a.grant, env)
			}
		}
		gradeUndecided := false
		if grant && len(a.grades) > 0 {
			// The highest grade whose condition holds is given, so grades
			// are tried from the highest down: a grade that cannot be
			// decided leaves the recommendation pending, since it might
			// hold, unless a higher grade already holds.
			grade := ""
			for j := len(a.grades) - 1; j >= 0; j-- {
				ok, err := runBool(r, a.grades[j], env)
				if err != nil {
					if explain {
						ar.Reason = fmt.Sprintf("grade %s cannot be decided: %v", a.Grades[j].ID, err)
					}
					gradeUndecided = true
					break
				}
				if ok {
					grade = a.Grades[j].ID
					break
				}
			}
			if grade == "" {
				grant = false
				if !gradeUndecided && explain {
					ar.Reason = sc.failedReason("no grade's condition holds", r, a.grades[0], env)
				}
			}
			ar.Grade = grade
		}
		switch {
		case grant:
			ar.Recommendation = Recommend
		case a.grant == nil && len(ar.Failed) > 0:
			// Under the default grant every criterion must pass: one that
			// failed decides, whatever is still pending.
			ar.Recommendation = Refuse
		case len(ar.Pending) > 0 || gradeUndecided:
			ar.Recommendation = Pending
		default:
			ar.Recommendation = Refuse
		}
	}
}

// finite reports whether v is a number a decision can rest on: neither
// NaN nor an infinity (a division by zero, an overflow).
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func notFinite(v float64) error { return fmt.Errorf("gave %v, not a finite number", v) }

// missingFacts returns the facts p reads that subject lacks, in memory
// the Result keeps; nil when none is.
func (sc *scratch) missingFacts(p *rules.Program, subject any) []string {
	start := len(sc.missing)
	sc.missing = p.Missing(subject, sc.missing)
	if len(sc.missing) == start {
		return nil
	}
	return sc.missing[start:len(sc.missing):len(sc.missing)]
}

// failedComparisons returns the comparisons of p that do not hold on subject, in
// memory the Result keeps; nil when none is.
func (sc *scratch) failedComparisons(r *rules.Runner, p *rules.Program, subject any) []Comparison {
	sc.rawCmp = r.AppendFailed(sc.rawCmp[:0], p, subject)
	if len(sc.rawCmp) == 0 {
		return nil
	}
	start := len(sc.cmp)
	for _, c := range sc.rawCmp {
		sc.cmp = append(sc.cmp, Comparison(c))
	}
	return sc.cmp[start:len(sc.cmp):len(sc.cmp)]
}

// failedReason returns head followed by the comparisons of p that do not
// hold on env ("grant condition does not hold: score >= 70, found 65"),
// written in memory the Result keeps so that only the string is new.
func (sc *scratch) failedReason(head string, r *rules.Runner, p *rules.Program, env any) string {
	sc.rawCmp = r.AppendFailed(sc.rawCmp[:0], p, env)
	if len(sc.rawCmp) == 0 {
		return head
	}
	b := append(sc.buf[:0], head...)
	for i, c := range sc.rawCmp {
		if i == 0 {
			b = append(b, ": "...)
		} else {
			b = append(b, "; "...)
		}
		b = append(b, c.Subject...)
		b = append(b, ' ')
		b = append(b, c.Op...)
		b = append(b, ' ')
		b = append(b, c.Threshold...)
		b = append(b, ", found "...)
		b = fmt.Append(b, c.Actual)
	}
	sc.buf = b
	return string(b)
}

// undecided is a criterion's reason when n of its requirements are
// undecided, written once per count.
func (s *Set) undecided(n int) string {
	if n < len(s.undecidedReasons) {
		return s.undecidedReasons[n]
	}
	return strconv.Itoa(n) + " requirement(s) undecided"
}

// combine decides a combined authorization from the ones it includes.
func (s *Set) combine(ar *AuthorizationResult, a *authorization, done []AuthorizationResult) {
	ar.Recommendation = Recommend
	for _, ai := range a.includes {
		switch done[ai].Recommendation {
		case Refuse:
			ar.Recommendation = Refuse
		case Pending:
			if ar.Recommendation != Refuse {
				ar.Recommendation = Pending
			}
		}
	}
}

func runBool(r *rules.Runner, p *rules.Program, env *decisionEnv) (bool, error) {
	if missing := p.Missing(env, nil); len(missing) > 0 {
		return false, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return r.Bool(p, env)
}

func runNumber(r *rules.Runner, p *rules.Program, env *decisionEnv) (float64, error) {
	if missing := p.Missing(env, nil); len(missing) > 0 {
		return 0, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return r.Number(p, env)
}
