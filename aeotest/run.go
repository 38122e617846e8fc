package aeotest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/exchange"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
	"github.com/safe-aeo/engine/vendors"
)

// A Part is the part of a case a mismatch is in.
type Part string

// Parts of a case.
const (
	// PartAssessment: requirements, criteria, authorizations, scores and
	// points of the case's assessment.
	PartAssessment Part = "assessment"
	PartLifecycle  Part = "lifecycle"
	PartRisk       Part = "risk"
	PartBenefits   Part = "benefits"
	// PartDeclarations: the lanes of the case's declarations.
	PartDeclarations Part = "declarations"
)

// A Mismatch is one thing a case expected that the programme did not give.
type Mismatch struct {
	// Case is the name of the case.
	Case string `json:"case"`
	Part Part   `json:"part"`
	// What names the item checked, in the fixture's terms: "requirement
	// A.1", "criterion B", "authorization AEO", "risk level", "benefit
	// fast_lane", "declaration 2 (D-1)", "lifecycle step 3 (grant)".
	What string `json:"what"`
	// Want and Got are what the case expected and what the programme
	// gave, as the fixture writes them; Got is empty when the item is
	// missing altogether.
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
	// Detail says why, where the engine knows: the facts missing, the
	// failed comparison, the reason of a benefit decision, the rule that
	// refused a lifecycle event.
	Detail string `json:"detail,omitempty"`
}

// String formats m as one line, "requirement A.1: want met, got not_met
// (missing financials)", without the case's name.
func (m Mismatch) String() string {
	var b strings.Builder
	b.WriteString(m.What)
	b.WriteString(": ")
	switch {
	case m.Want != "" && m.Got != "":
		fmt.Fprintf(&b, "want %s, got %s", m.Want, m.Got)
	case m.Want != "":
		fmt.Fprintf(&b, "want %s", m.Want)
	case m.Got != "":
		fmt.Fprintf(&b, "got %s", m.Got)
	}
	if m.Detail != "" {
		if m.Want == "" && m.Got == "" {
			b.WriteString(m.Detail)
		} else {
			fmt.Fprintf(&b, " (%s)", m.Detail)
		}
	}
	return b.String()
}

// A CaseResult is the outcome of one fixture case.
type CaseResult struct {
	Name string `json:"name"`
	// Mismatches lists what differs from the expectation, in the order
	// requirements, criteria, authorizations, scores, points, lifecycle,
	// risk, benefits, declarations; empty when the case passes.
	Mismatches []Mismatch `json:"mismatches,omitempty"`
	// Err is set when the case could not be run (an invalid profile).
	Err        string          `json:"error,omitempty"`
	Assessment *aeo.Assessment `json:"-"`
	// Authorization is the state the case's lifecycle steps end in.
	Authorization lifecycle.Authorization `json:"-"`
	// Steps are the lifecycle events tried, refused ones included, for
	// coverage; Records the audit records of those applied.
	Steps   []StepResult       `json:"-"`
	Records []lifecycle.Record `json:"-"`
	// TimeRules are the time rules of the programme (lifecycle keys such
	// as decision_deadline) the case exercised: an item of Due it
	// checked, a date it checked, or a rule that refused one of its
	// events.
	TimeRules map[string]bool `json:"-"`
	// Version and Fingerprint name the programme version the case was
	// decided under.
	Version     string `json:"version,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	// Risk, Entitlements and Decisions are the risk map, the benefit
	// decisions and the lane decisions the case checked.
	Risk         *risk.Map              `json:"-"`
	Entitlements []benefits.Entitlement `json:"-"`
	Decisions    []risk.Decision        `json:"-"`
	// Sent are the exchange records the case's export events sent;
	// Registry the registry of partner statuses its imports filled (nil
	// without imports); Vendor the registration its vendor steps ended
	// in.
	Sent     []exchange.Record  `json:"-"`
	Registry *exchange.Registry `json:"-"`
	Vendor   *vendors.State     `json:"-"`
}

// A StepResult is what one lifecycle event of a fixture did: the status
// before and after, or the rule that refused it (and then To is From).
type StepResult struct {
	From    lifecycle.Status
	Event   lifecycle.EventKind
	To      lifecycle.Status
	Refused string
}

// Passed reports whether the case met every expectation.
func (r CaseResult) Passed() bool { return r.Err == "" && len(r.Mismatches) == 0 }

// Lines returns the mismatches as text, one line each.
func (r CaseResult) Lines() []string {
	out := make([]string, len(r.Mismatches))
	for i, m := range r.Mismatches {
		out[i] = m.String()
	}
	return out
}

// RunCase assesses one fixture case against p and compares the result with
// what it expects.
func RunCase(ctx context.Context, p *aeo.Programme, c Case) CaseResult {
	res := CaseResult{Name: c.Name}
	prof, err := profileFromCase(c)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	if problems := c.check(p); len(problems) > 0 {
		problems.Sort()
		res.Err = problems.Error()
		return res
	}
	a, err := p.Assess(ctx, prof, c.AsOf)
	if err != nil {
		var pe *aeo.ProfileError
		if errors.As(err, &pe) && len(pe.Errors) > 0 {
			err = c.at.locateProfileError(pe.Errors)
		}
		res.Err = err.Error()
		return res
	}
	r := runner{p: p, c: c, res: &res}
	res.Assessment = a
	res.Version, res.Fingerprint = p.Version(), p.Fingerprint()
	if c.Expect.Version != "" && c.Expect.Version != p.Version() {
		r.add(PartAssessment, "version", c.Expect.Version, p.Version(), "the version of the programme set the case is decided under")
	}
	r.compareExpect(a)
	r.checkCompetence(ctx, prof)
	auth := r.runSteps(ctx, prof, a)
	res.Authorization = auth
	r.checkDue(auth)
	res.Registry = r.runImports()
	r.checkPartner(res.Registry, prof)
	res.Vendor = r.runVendor(ctx)
	r.checkStanding(ctx, prof, a, auth)
	return res
}

// checkDue checks the items of Due the case expects of its final state.
func (r *runner) checkDue(auth lifecycle.Authorization) {
	c := r.c
	if len(c.Expect.Due) == 0 {
		return
	}
	m := r.p.Lifecycle()
	if m == nil {
		r.add(PartLifecycle, "due", "", "", "the programme has no lifecycle section")
		return
	}
	at := c.Expect.DueAsOf
	if at.IsZero() {
		at = c.AsOf
		if auth.LastAt.After(at) {
			at = auth.LastAt
		}
	}
	r.compareDue("", c.Expect.Due, m.Due(auth, at))
}

// RunSetCase runs one fixture case against a programme set, under the
// version that decides its application: the version in force on the day
// of its first lodge event (the filing) or, without one or when the set
// decides by the as-of date, on the case's date. A case whose date has
// no version in force cannot be run: its Err names the date's place in
// the fixtures file.
func RunSetCase(ctx context.Context, s *aeo.Set, c Case) CaseResult {
	filed, where := time.Time{}, "as_of"
	for i, st := range c.Lifecycle {
		if st.Event.Kind == lifecycle.EventLodge {
			filed, where = st.Event.At, fmt.Sprintf("lifecycle[%d].event.at", i)
			break
		}
	}
	if filed.IsZero() || s.InForceBy() == aeo.ByAsOf {
		where = "as_of"
	}
	p, err := s.ForApplication(filed, c.AsOf)
	if err != nil {
		return CaseResult{Name: c.Name, Err: c.position(where) + ": " + strings.TrimPrefix(err.Error(), "aeo: ")}
	}
	return RunCase(ctx, p, c)
}

// runner collects the mismatches of one case.
type runner struct {
	p   *aeo.Programme
	c   Case
	res *CaseResult
}

func (r *runner) add(part Part, what, want, got, detail string) {
	r.res.Mismatches = append(r.res.Mismatches, Mismatch{Case: r.c.Name, Part: part, What: what, Want: want, Got: got, Detail: detail})
}

// standing returns the benefits holder and selectivity operator of a
// case, and the date they are judged on: its explicit holder as of the
// case's date, or the state its lifecycle steps end in as of the last
// step (a grant rests on an assessment made before it, so the case's
// date comes first).
func standing(c Case, prof *aeo.Profile, auth lifecycle.Authorization, reg *exchange.Registry) (benefits.Holder, risk.Operator, time.Time) {
	if c.Holder == nil {
		at := c.AsOf
		if auth.LastAt.After(at) {
			at = auth.LastAt
		}
		if len(c.Lifecycle) == 0 && reg != nil {
			// Known only to the partners: the registry's standing.
			st := partnerStanding(reg, prof, at)
			return aeo.PartnerHolder(prof, st), aeo.PartnerOperator(prof.OperatorID, st), at
		}
		return aeo.Holder(prof, auth, at), aeo.Operator(prof.OperatorID, auth, at), at
	}
	h := c.Holder
	bh := benefits.Holder{Operator: prof.OperatorID, Status: h.Status, Types: h.Types, Suspended: h.Suspended, Grade: h.Grade,
		RiskLevel: h.RiskLevel, Roles: prof.Roles, BusinessModel: prof.BusinessModel, Partner: h.Partner, PartnerTypes: h.PartnerTypes,
		Vendor: h.Vendor, Milestones: h.Milestones, Facts: prof.Facts}
	var active []string
	for _, t := range h.Types {
		if !slices.Contains(h.Suspended, t) {
			active = append(active, t)
		}
	}
	return bh, risk.Operator{ID: prof.OperatorID, Status: h.Status, Types: active, Grade: h.Grade, Partner: h.Partner, PartnerTypes: h.PartnerTypes}, c.AsOf
}

// checkStanding checks the risk level, benefits and lanes a case expects.
func (r *runner) checkStanding(ctx context.Context, prof *aeo.Profile, a *aeo.Assessment, auth lifecycle.Authorization) {
	c, p := r.c, r.p
	holder, op, at := standing(c, prof, auth, r.res.Registry)
	if c.Vendor != nil && c.Vendor.app != nil && c.Vendor.app.ID == prof.OperatorID && holder.Vendor == "" {
		holder.Vendor = vendors.StatusNone.String()
		if r.res.Vendor != nil {
			holder.Vendor = r.res.Vendor.Status.String()
		}
	}
	entities := r.entityIndex(prof)
	if len(c.Expect.Resolves) > 0 {
		r.checkResolves(entities)
	}
	if c.Expect.RiskLevel != "" || len(c.Expect.Benefits) > 0 {
		if p.Risk() != nil {
			m, err := p.MapRisk(ctx, prof, a)
			switch {
			case err != nil:
				r.add(PartRisk, "risk", "", "", err.Error())
			default:
				r.res.Risk = &m
				if holder.RiskLevel == "" {
					holder.RiskLevel = m.Level
				}
				if c.Expect.RiskLevel != "" && m.Level != c.Expect.RiskLevel {
					r.add(PartRisk, "risk level", c.Expect.RiskLevel, strconv.Quote(m.Level), "score "+number(m.Score))
				}
			}
		} else if c.Expect.RiskLevel != "" {
			r.add(PartRisk, "risk level", "", "", "the programme has no risk section")
		}
	}
	if len(c.Expect.Benefits) > 0 {
		if p.Benefits() == nil {
			r.add(PartBenefits, "benefits", "", "", "the programme has no benefits section")
		} else {
			for _, id := range slices.Sorted(maps.Keys(c.Expect.Benefits)) {
				e, err := p.Benefits().Decide(&holder, id, at)
				if err != nil {
					r.add(PartBenefits, "benefit "+id, "", "", err.Error())
					continue
				}
				r.res.Entitlements = append(r.res.Entitlements, e)
				if want := c.Expect.Benefits[id]; e.Status != want {
					r.add(PartBenefits, "benefit "+id, want.String(), e.Status.String(), e.Reason)
				}
			}
		}
	}
	if len(c.Declarations) > 0 {
		sel := p.Selector()
		if sel == nil {
			r.add(PartDeclarations, "declarations", "", "", "the programme has no selectivity section")
			return
		}
		for i, dc := range c.Declarations {
			d := dc.Declaration
			if d.Operator == "" {
				d.Operator = prof.OperatorID
			}
			declarationVendor(c, &d, r.res.Vendor)
			dop := declarationOperator(entities, prof, d, op)
			dec := sel.Select(&d, &dop)
			r.res.Decisions = append(r.res.Decisions, dec)
			what := fmt.Sprintf("declaration %d (%s)", i+1, d.ID)
			if dec.Lane != dc.Lane {
				r.add(PartDeclarations, what, "lane "+dc.Lane.String(), dec.Lane.String(), dec.Cause.String()+" "+dec.Rule)
			} else if dc.Rule != "" && dec.Rule != dc.Rule {
				r.add(PartDeclarations, what, "lane "+dc.Lane.String()+" by rule "+dc.Rule, "it by "+dec.Cause.String()+" "+dec.Rule, "")
			}
		}
	}
}

// runSteps applies a case's lifecycle events in order and reports each
// that does not do what the step expects.
func (r *runner) runSteps(ctx context.Context, prof *aeo.Profile, a *aeo.Assessment) lifecycle.Authorization {
	c := r.c
	if len(c.Lifecycle) == 0 {
		return lifecycle.Authorization{}
	}
	m := r.p.Lifecycle()
	if m == nil {
		r.add(PartLifecycle, "lifecycle", "", "", "the programme has no lifecycle section")
		return lifecycle.Authorization{}
	}
	var auth lifecycle.Authorization
	for i, st := range c.Lifecycle {
		ev := st.Event
		if st.UseAssessment {
			ref := a.Ref()
			if !st.AssessOn.IsZero() {
				later, err := r.p.Assess(ctx, prof, st.AssessOn)
				if err != nil {
					r.add(PartLifecycle, fmt.Sprintf("lifecycle step %d (%s)", i+1, ev.Kind), "", "", err.Error())
					continue
				}
				ref = later.Ref()
			}
			ev.Assessment = &ref
		}
		next, rec, err := auth, lifecycle.Record{}, r.lodgeBarred(prof, auth, ev)
		switch {
		case err != nil:
		case ev.Kind == lifecycle.EventExportRecords && len(ev.Records) == 0:
			next, rec, err = r.exportStep(prof, auth, ev)
		default:
			next, rec, err = m.Apply(auth, ev)
		}
		var re *lifecycle.RuleError
		sr := StepResult{From: auth.Status, Event: ev.Kind, To: next.Status}
		if errors.As(err, &re) {
			sr.Refused = re.Rule
		}
		r.res.Steps = append(r.res.Steps, sr)
		what := fmt.Sprintf("lifecycle step %d (%s)", i+1, ev.Kind)
		if sr.Refused != "" && m.TimeRule(sr.Refused) {
			r.timeRule(sr.Refused)
		}
		switch {
		case !st.Checked():
			// Only what a case lists is checked.
		case st.Refused != "" && err == nil:
			r.add(PartLifecycle, what, "refused by "+st.Refused, next.Status.String(), "")
		case st.Refused != "" && !errors.As(err, &re):
			r.add(PartLifecycle, what, "refused by "+st.Refused, err.Error(), "")
		case st.Refused != "" && re.Rule != st.Refused:
			r.add(PartLifecycle, what, "refused by "+st.Refused, "refused by "+re.Rule, err.Error())
		case st.Refused == "" && err != nil:
			r.add(PartLifecycle, what, "", "refused", err.Error())
		case st.Refused == "" && st.Status != lifecycle.StatusNone && st.Status != next.Status:
			r.add(PartLifecycle, what, "status "+st.Status.String(), next.Status.String(), "")
		}
		if err == nil {
			auth = next
			r.res.Records = append(r.res.Records, rec)
		}
		if st.Refused != "" && err == nil {
			continue // the mismatch says it all; its dates would mislead
		}
		for _, k := range slices.Sorted(maps.Keys(st.Dates)) {
			w := st.Dates[k]
			got := stateDate(m, auth, k, ev.At)
			if (w.None() && !got.IsZero()) || (!w.None() && !got.Equal(w.Day())) {
				r.add(PartLifecycle, what+" date "+k, w.String(), dayOf(got), "")
			}
			r.dateRule(m, auth, k, ev.At)
		}
		if len(st.Due) > 0 {
			r.compareDue(what+" ", st.Due, m.Due(auth, ev.At))
		}
	}
	return auth
}

func (r *runner) compareExpect(a *aeo.Assessment) {
	want := r.c.Expect
	start := len(r.res.Mismatches)
	for _, id := range slices.Sorted(maps.Keys(want.Requirements)) {
		f, ok := a.Finding(id)
		switch {
		case !ok:
			r.add(PartAssessment, "requirement "+id, "", "", "not in the programme")
		case f.Outcome != want.Requirements[id]:
			r.add(PartAssessment, "requirement "+id, token(want.Requirements[id]), token(f.Outcome), why(f))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(want.Criteria)) {
		c, ok := criterionResult(a, id)
		switch {
		case !ok:
			r.add(PartAssessment, "criterion "+id, "", "", "not in the programme")
		case c.Outcome != want.Criteria[id]:
			r.add(PartAssessment, "criterion "+id, token(want.Criteria[id]), token(c.Outcome), "")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(want.Authorizations)) {
		w := want.Authorizations[id]
		got, ok := a.Authorization(id)
		switch {
		case !ok:
			r.add(PartAssessment, "authorization "+id, "", "", "not in the programme")
		case got.Recommendation != w.Recommendation:
			r.add(PartAssessment, "authorization "+id, w.Recommendation.String(), got.Recommendation.String(), got.Why())
		case w.Grade != "" && got.Grade != w.Grade:
			r.add(PartAssessment, "authorization "+id, "grade "+w.Grade, strconv.Quote(got.Grade), "")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(want.Scores)) {
		c, ok := criterionResult(a, id)
		switch {
		case !ok:
			r.add(PartAssessment, "criterion "+id, "", "", "not in the programme")
		case !c.HasScore:
			r.add(PartAssessment, "criterion "+id, "score "+number(want.Scores[id]), "no score", "")
		case math.Abs(c.Score-want.Scores[id]) > 0.005:
			r.add(PartAssessment, "criterion "+id, "score "+number(want.Scores[id]), number(c.Score), "")
		}
	}
	for _, id := range slices.Sorted(maps.Keys(want.Points)) {
		au, ok := a.Authorization(id)
		switch {
		case !ok:
			r.add(PartAssessment, "authorization "+id, "", "", "not in the programme")
		case math.Abs(au.Tally.Points-want.Points[id]) > 0.005:
			r.add(PartAssessment, "authorization "+id, number(want.Points[id])+" points", number(au.Tally.Points), "")
		}
	}
	// The assessment's mismatches are listed in the order of their text,
	// as authors read them: authorizations, criteria, requirements.
	found := r.res.Mismatches[start:]
	sort.SliceStable(found, func(i, j int) bool { return found[i].String() < found[j].String() })
}

func criterionResult(a *aeo.Assessment, id string) (criteria.CriterionResult, bool) {
	for _, c := range a.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return criteria.CriterionResult{}, false
}

func token(o criteria.Outcome) string {
	b, err := o.MarshalText()
	if err != nil {
		return o.String()
	}
	return string(b)
}

func why(f criteria.Finding) string {
	switch {
	case len(f.Missing) > 0:
		return "missing " + strings.Join(f.Missing, ", ")
	case f.Reason != "":
		return f.Reason
	case len(f.Failed) > 0:
		var parts []string
		for _, c := range f.Failed {
			parts = append(parts, fmt.Sprintf("%s %s %s, actual %v", c.Subject, c.Op, c.Threshold, c.Actual))
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// number formats f without trailing zeros.
func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Observed returns what an assessment gives for the items want lists, in
// the shape of an Expect, so that a test can print want against got.
func Observed(a *aeo.Assessment, want Expect) Expect {
	var got Expect
	if len(want.Requirements) > 0 {
		got.Requirements = map[string]criteria.Outcome{}
		for id := range want.Requirements {
			if f, ok := a.Finding(id); ok {
				got.Requirements[id] = f.Outcome
			}
		}
	}
	if len(want.Criteria) > 0 {
		got.Criteria = map[string]criteria.Outcome{}
		for _, c := range a.Criteria {
			if _, ok := want.Criteria[c.ID]; ok {
				got.Criteria[c.ID] = c.Outcome
			}
		}
	}
	if len(want.Scores) > 0 {
		got.Scores = map[string]float64{}
		for id := range want.Scores {
			if c, ok := criterionResult(a, id); ok && c.HasScore {
				got.Scores[id] = c.Score
			}
		}
	}
	if len(want.Points) > 0 {
		got.Points = map[string]float64{}
		for id := range want.Points {
			if au, ok := a.Authorization(id); ok {
				got.Points[id] = au.Tally.Points
			}
		}
	}
	if len(want.Authorizations) > 0 {
		got.Authorizations = map[string]ExpectAuthorization{}
		for id, w := range want.Authorizations {
			if au, ok := a.Authorization(id); ok {
				e := ExpectAuthorization{Recommendation: au.Recommendation}
				if w.Grade != "" {
					e.Grade = au.Grade
				}
				got.Authorizations[id] = e
			}
		}
	}
	return got
}
