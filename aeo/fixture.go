package aeo

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/internal/diag"
	"github.com/safe-aeo/engine/risk"
)

// Fixtures are a rule author's test cases for a programme: operator
// profiles with an assessment date and the outcomes the programme must give.
// They are written as YAML or JSON next to the programme file.
type Fixtures struct {
	// Programme is the programme file the cases test, relative to the
	// fixtures file; tools may also be given it directly.
	Programme string `json:"programme,omitempty"`
	// Base is a profile every case starts from; a case's profile is laid
	// over it key by key (mappings merge, lists and values replace).
	Base map[string]any `json:"base,omitempty"`
	// BaseFile names a profile file to use as Base, relative to the
	// fixtures file.
	BaseFile string `json:"base_file,omitempty"`
	Cases    []Case `json:"cases"`
}

// A Case is one fixture: a profile, a date and what is expected.
type Case struct {
	Name string `json:"name"`
	// Description says what the case proves, in the author's words.
	Description string    `json:"description,omitempty"`
	AsOf        time.Time `json:"as_of"`
	// Profile is laid over the fixtures' base profile.
	Profile map[string]any `json:"profile,omitempty"`
	// ProfileFile names a profile file, relative to the fixtures file,
	// used instead of the base.
	ProfileFile string `json:"profile_file,omitempty"`
	Expect      Expect `json:"expect"`
	// Lifecycle is a sequence of events applied, in order, to a new
	// authorization under the programme's lifecycle, each with the status
	// it must lead to or the rule that must refuse it.
	Lifecycle []Step `json:"lifecycle,omitempty"`
	// Declarations are declarations of this operator put through the
	// programme's selectivity, each with the lane it must get.
	Declarations []DeclarationCase `json:"declarations,omitempty"`
	// Holder describes the operator's AEO standing for the benefits and
	// lanes of the case, as of AsOf; without it, the standing is the
	// state the lifecycle steps end in, as of the last step (or none).
	Holder *CaseHolder `json:"holder,omitempty"`
}

// A CaseHolder is the AEO standing of a fixture's operator when no
// lifecycle steps establish it.
type CaseHolder struct {
	Status    string   `json:"status"`
	Types     []string `json:"types,omitempty"`
	Suspended []string `json:"suspended,omitempty"`
	Grade     string   `json:"grade,omitempty"`
	// Partner is the partner programme the operator is a member of,
	// under a mutual recognition arrangement.
	Partner   string `json:"partner,omitempty"`
	RiskLevel string `json:"risk_level,omitempty"`
	// Milestones reached by the implementation plan, by name, with dates.
	Milestones map[string]time.Time `json:"milestones,omitempty"`
}

// A DeclarationCase is one declaration of a fixture and the lane it must
// get; Rule, when given, is the rule that must decide it.
type DeclarationCase struct {
	Declaration risk.Declaration `json:"declaration"`
	Lane        risk.Lane        `json:"lane"`
	Rule        string           `json:"rule,omitempty"`
}

// A Step is one lifecycle event of a fixture and what it must do.
type Step struct {
	Event Event `json:"event"`
	// UseAssessment attaches the case's own assessment (its fingerprint,
	// date and recommendations) to the event, as a grant needs.
	UseAssessment bool `json:"use_assessment,omitempty"`
	// Status is the status the event must lead to.
	Status Status `json:"status,omitempty"`
	// Refused names the rule that must refuse the event ("four-eyes",
	// "reapply_bar.after_revocation", ...); the status must then stay as
	// it was.
	Refused string `json:"refused,omitempty"`
}

// Expect lists expected outcomes; anything not listed is not checked.
type Expect struct {
	// Requirements maps a requirement ID to its expected outcome (met,
	// partly, not_met, indeterminate, not_applicable, equivalent).
	Requirements map[string]criteria.Outcome `json:"requirements,omitempty"`
	// Criteria maps a criterion ID to its expected outcome.
	Criteria map[string]criteria.Outcome `json:"criteria,omitempty"`
	// Authorizations maps an authorization ID to the expected
	// recommendation and, optionally, grade.
	Authorizations map[string]ExpectAuthorization `json:"authorizations,omitempty"`
	// Scores maps a criterion ID to its expected score (from its score or
	// measure), to within 0.005.
	Scores map[string]float64 `json:"scores,omitempty"`
	// Points maps an authorization ID to the expected points total of its
	// requirements, to within 0.005.
	Points map[string]float64 `json:"points,omitempty"`
	// RiskLevel is the expected level of the operator's risk map.
	RiskLevel string `json:"risk_level,omitempty"`
	// Benefits maps a benefit ID to its expected status (granted,
	// not_eligible, suspended, not_yet_introduced, cannot_decide) as of
	// the case's date.
	Benefits map[string]benefits.Status `json:"benefits,omitempty"`
}

// ExpectAuthorization is the expected recommendation on an authorization.
// In a fixture file it is written either as the recommendation alone
// ("recommend") or as a mapping with recommendation and grade.
type ExpectAuthorization struct {
	Recommendation criteria.Recommendation `json:"recommendation"`
	Grade          string                  `json:"grade,omitempty"`
}

// UnmarshalText accepts the short form: a recommendation alone.
func (e *ExpectAuthorization) UnmarshalText(b []byte) error {
	return e.Recommendation.UnmarshalText(b)
}

// LoadFixtures reads a fixtures file and the profile files it names. Every
// problem is reported at once, with file, line and column.
func LoadFixtures(name string) (*Fixtures, error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	return loadFixtures(os.DirFS(dir), base, strings.TrimPrefix(filepath.ToSlash(dir), "./"))
}

// ParseFixtures reads fixtures from data, the contents of a file called
// name. Profile files the fixtures name are read from fsys, relative to
// name; fsys may be nil when they name none.
func ParseFixtures(fsys fs.FS, name string, data []byte) (*Fixtures, error) {
	return parseFixtures(fsys, name, "", data)
}

func loadFixtures(fsys fs.FS, name, prefix string) (*Fixtures, error) {
	if prefix == "." {
		prefix = ""
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("aeo: %w", err)
	}
	return parseFixtures(fsys, name, prefix, data)
}

func parseFixtures(fsys fs.FS, name, prefix string, data []byte) (*Fixtures, error) {
	var fx Fixtures
	doc, err := decode.Parse(prefix+name, data)
	if err != nil {
		return nil, err
	}
	errs := doc.Decode(&fx)
	readProfile := func(p, at string) map[string]any {
		if fsys == nil {
			e := &diag.Error{Path: at, Message: "profile files cannot be read here"}
			doc.Resolve(e)
			errs = append(errs, e)
			return nil
		}
		b, err := fs.ReadFile(fsys, path.Join(path.Dir(name), p))
		if err != nil {
			e := &diag.Error{Path: at, Message: err.Error()}
			doc.Resolve(e)
			errs = append(errs, e)
			return nil
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			errs = append(errs, &diag.Error{File: prefix + p, Line: 1, Column: 1, Message: err.Error()})
		}
		return m
	}
	if fx.BaseFile != "" {
		fx.Base = merge(readProfile(fx.BaseFile, "base_file"), fx.Base)
	}
	names := map[string]bool{}
	for i := range fx.Cases {
		c := &fx.Cases[i]
		p := diag.Index("cases", i)
		if c.Name == "" {
			errs.Add(p, "a case needs a name")
		} else if names[c.Name] {
			errs.Add(diag.Join(p, "name"), "case %q defined twice", c.Name)
		}
		names[c.Name] = true
		if c.AsOf.IsZero() {
			errs.Add(p, "as_of is required: the date the case is assessed on")
		}
		if c.ProfileFile != "" {
			c.Profile = merge(readProfile(c.ProfileFile, diag.Join(p, "profile_file")), c.Profile)
		} else {
			c.Profile = merge(fx.Base, c.Profile)
		}
	}
	for _, e := range errs {
		if e.Line == 0 {
			doc.Resolve(e)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &fx, nil
}

// merge lays over on top of base: mappings merge key by key, anything
// else replaces. Neither argument is modified.
func merge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		bm, ok1 := out[k].(map[string]any)
		om, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			out[k] = merge(bm, om)
			continue
		}
		out[k] = v
	}
	return out
}

// ProfileFromMap decodes a profile given as a generic mapping (as read
// from YAML or JSON), strictly: unknown keys and wrong types are errors.
func ProfileFromMap(m map[string]any) (*Profile, error) {
	b, err := yaml.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("aeo: profile: %w", err)
	}
	var p Profile
	if _, err := decode.DecodeInto("profile", b, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// LoadProfile reads a profile from a YAML or JSON file, strictly: an
// unknown key or a value of the wrong type is a *ConfigError with its
// line and column.
func LoadProfile(name string) (*Profile, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("aeo: %w", err)
	}
	return ParseProfile(name, data)
}

// ParseProfile reads a profile from YAML or JSON data, the contents of a
// file called name, strictly.
func ParseProfile(name string, data []byte) (*Profile, error) {
	var p Profile
	if _, err := decode.DecodeInto(name, data, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// A CaseResult is the outcome of one fixture case.
type CaseResult struct {
	Name string `json:"name"`
	// Mismatches lists what differs from the expectation, one line each
	// ("requirement A.1: want met, got not_met"); empty when the case
	// passes.
	Mismatches []string `json:"mismatches,omitempty"`
	// Err is set when the case could not be run (an invalid profile).
	Err        string      `json:"error,omitempty"`
	Assessment *Assessment `json:"-"`
	// Authorization is the state the case's lifecycle steps end in.
	Authorization Authorization `json:"-"`
	// Steps are the lifecycle events tried, refused ones included, for
	// coverage; Records the audit records of those applied.
	Steps   []StepResult `json:"-"`
	Records []Record     `json:"-"`
	// Risk, Entitlements and Decisions are the risk map, the benefit
	// decisions and the lane decisions the case checked.
	Risk         *risk.Map              `json:"-"`
	Entitlements []benefits.Entitlement `json:"-"`
	Decisions    []risk.Decision        `json:"-"`
}

// A StepResult is what one lifecycle event of a fixture did: the status
// before and after, or the rule that refused it (and then To is From).
type StepResult struct {
	From    Status
	Event   EventKind
	To      Status
	Refused string
}

// Passed reports whether the case met every expectation.
func (r CaseResult) Passed() bool { return r.Err == "" && len(r.Mismatches) == 0 }

// RunCase assesses one fixture case and compares the result with what
// it expects.
func (p *Programme) RunCase(ctx context.Context, c Case) CaseResult {
	res := CaseResult{Name: c.Name}
	prof, err := ProfileFromMap(c.Profile)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	a, err := p.Assess(ctx, prof, c.AsOf)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	res.Assessment = a
	res.Mismatches = compareExpect(c.Expect, a)
	auth, steps := p.runSteps(c, a, &res)
	res.Authorization = auth
	res.Mismatches = append(res.Mismatches, steps...)
	res.Mismatches = append(res.Mismatches, p.checkStanding(ctx, c, prof, a, auth, &res)...)
	return res
}

// standing returns the benefits holder and selectivity operator of a
// case, and the date they are judged on: its explicit holder as of the
// case's date, or the state its lifecycle steps end in as of the last
// step (a grant rests on an assessment made before it, so the case's
// date comes first).
func standing(c Case, prof *Profile, auth Authorization) (benefits.Holder, risk.Operator, time.Time) {
	if c.Holder == nil {
		at := c.AsOf
		if auth.LastAt.After(at) {
			at = auth.LastAt
		}
		return Holder(prof, auth, at), Operator(prof.OperatorID, auth, at), at
	}
	h := c.Holder
	bh := benefits.Holder{Operator: prof.OperatorID, Status: h.Status, Types: h.Types, Suspended: h.Suspended, Grade: h.Grade,
		RiskLevel: h.RiskLevel, Roles: prof.Roles, BusinessModel: prof.BusinessModel, Partner: h.Partner, Milestones: h.Milestones, Facts: prof.Facts}
	var active []string
	for _, t := range h.Types {
		if !slices.Contains(h.Suspended, t) {
			active = append(active, t)
		}
	}
	return bh, risk.Operator{ID: prof.OperatorID, Status: h.Status, Types: active, Grade: h.Grade, Partner: h.Partner}, c.AsOf
}

// checkStanding checks the risk level, benefits and lanes a case expects.
func (p *Programme) checkStanding(ctx context.Context, c Case, prof *Profile, a *Assessment, auth Authorization, res *CaseResult) []string {
	var out []string
	holder, op, at := standing(c, prof, auth)
	if c.Expect.RiskLevel != "" || len(c.Expect.Benefits) > 0 {
		if p.risk != nil {
			m, err := p.MapRisk(ctx, prof, a)
			switch {
			case err != nil:
				out = append(out, fmt.Sprintf("risk: %v", err))
			default:
				res.Risk = &m
				if holder.RiskLevel == "" {
					holder.RiskLevel = m.Level
				}
				if c.Expect.RiskLevel != "" && m.Level != c.Expect.RiskLevel {
					out = append(out, fmt.Sprintf("risk level: want %s, got %q (score %s)", c.Expect.RiskLevel, m.Level, number(m.Score)))
				}
			}
		} else if c.Expect.RiskLevel != "" {
			out = append(out, "risk level: the programme has no risk section")
		}
	}
	if len(c.Expect.Benefits) > 0 {
		if p.benefits == nil {
			out = append(out, "benefits: the programme has no benefits section")
		} else {
			for _, id := range sortedKeys(c.Expect.Benefits) {
				e, err := p.benefits.Decide(&holder, id, at)
				if err != nil {
					out = append(out, fmt.Sprintf("benefit %s: %v", id, err))
					continue
				}
				res.Entitlements = append(res.Entitlements, e)
				if want := c.Expect.Benefits[id]; e.Status != want {
					out = append(out, fmt.Sprintf("benefit %s: want %s, got %s (%s)", id, want, e.Status, e.Reason))
				}
			}
		}
	}
	if len(c.Declarations) > 0 {
		if p.selector == nil {
			return append(out, "declarations: the programme has no selectivity section")
		}
		for i, dc := range c.Declarations {
			d := dc.Declaration
			if d.Operator == "" {
				d.Operator = prof.OperatorID
			}
			dec := p.selector.Select(&d, &op)
			res.Decisions = append(res.Decisions, dec)
			if dec.Lane != dc.Lane {
				out = append(out, fmt.Sprintf("declaration %d (%s): want lane %s, got %s (%s %s)", i+1, d.ID, dc.Lane, dec.Lane, dec.Cause, dec.Rule))
			} else if dc.Rule != "" && dec.Rule != dc.Rule {
				out = append(out, fmt.Sprintf("declaration %d (%s): want lane %s by rule %s, got it by %s %s", i+1, d.ID, dc.Lane, dc.Rule, dec.Cause, dec.Rule))
			}
		}
	}
	return out
}

// runSteps applies a case's lifecycle events in order and reports each
// that does not do what the step expects.
func (p *Programme) runSteps(c Case, a *Assessment, res *CaseResult) (Authorization, []string) {
	if len(c.Lifecycle) == 0 {
		return Authorization{}, nil
	}
	if p.lifecycle == nil {
		return Authorization{}, []string{"lifecycle: the programme has no lifecycle section"}
	}
	var out []string
	var auth Authorization
	for i, st := range c.Lifecycle {
		ev := st.Event
		if st.UseAssessment {
			ref := a.Ref()
			ev.Assessment = &ref
		}
		next, rec, err := p.lifecycle.Apply(auth, ev)
		var re *RuleError
		sr := StepResult{From: auth.Status, Event: ev.Kind, To: next.Status}
		if errors.As(err, &re) {
			sr.Refused = re.Rule
		}
		res.Steps = append(res.Steps, sr)
		switch {
		case st.Refused != "" && err == nil:
			out = append(out, fmt.Sprintf("lifecycle step %d (%s): want refused by %s, got %s", i+1, ev.Kind, st.Refused, next.Status))
		case st.Refused != "" && !errors.As(err, &re):
			out = append(out, fmt.Sprintf("lifecycle step %d (%s): want refused by %s, got %v", i+1, ev.Kind, st.Refused, err))
		case st.Refused != "" && re.Rule != st.Refused:
			out = append(out, fmt.Sprintf("lifecycle step %d (%s): want refused by %s, refused by %s: %v", i+1, ev.Kind, st.Refused, re.Rule, err))
		case st.Refused == "" && err != nil:
			out = append(out, fmt.Sprintf("lifecycle step %d (%s): refused: %v", i+1, ev.Kind, err))
		case st.Refused == "" && st.Status != next.Status:
			out = append(out, fmt.Sprintf("lifecycle step %d (%s): want status %s, got %s", i+1, ev.Kind, st.Status, next.Status))
		}
		if err == nil {
			auth = next
			res.Records = append(res.Records, rec)
		}
	}
	return auth, out
}

func compareExpect(want Expect, a *Assessment) []string {
	var out []string
	for _, id := range sortedKeys(want.Requirements) {
		f, ok := a.Finding(id)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("requirement %s: not in the programme", id))
		case f.Outcome != want.Requirements[id]:
			out = append(out, fmt.Sprintf("requirement %s: want %s, got %s%s", id, token(want.Requirements[id]), token(f.Outcome), why(f)))
		}
	}
	for _, id := range sortedKeys(want.Criteria) {
		found := false
		for _, c := range a.Criteria {
			if c.ID != id {
				continue
			}
			found = true
			if c.Outcome != want.Criteria[id] {
				out = append(out, fmt.Sprintf("criterion %s: want %s, got %s", id, token(want.Criteria[id]), token(c.Outcome)))
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("criterion %s: not in the programme", id))
		}
	}
	for _, id := range sortedKeys(want.Authorizations) {
		w := want.Authorizations[id]
		got, ok := a.Authorization(id)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("authorization %s: not in the programme", id))
		case got.Recommendation != w.Recommendation:
			detail := ""
			if why := got.Why(); why != "" {
				detail = " (" + why + ")"
			}
			out = append(out, fmt.Sprintf("authorization %s: want %s, got %s%s", id, w.Recommendation, got.Recommendation, detail))
		case w.Grade != "" && got.Grade != w.Grade:
			out = append(out, fmt.Sprintf("authorization %s: want grade %s, got %q", id, w.Grade, got.Grade))
		}
	}
	for _, id := range sortedKeys(want.Scores) {
		c, ok := criterionResult(a, id)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("criterion %s: not in the programme", id))
		case !c.HasScore:
			out = append(out, fmt.Sprintf("criterion %s: want score %s, got no score", id, number(want.Scores[id])))
		case math.Abs(c.Score-want.Scores[id]) > 0.005:
			out = append(out, fmt.Sprintf("criterion %s: want score %s, got %s", id, number(want.Scores[id]), number(c.Score)))
		}
	}
	for _, id := range sortedKeys(want.Points) {
		au, ok := a.Authorization(id)
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("authorization %s: not in the programme", id))
		case math.Abs(au.Tally.Points-want.Points[id]) > 0.005:
			out = append(out, fmt.Sprintf("authorization %s: want %s points, got %s", id, number(want.Points[id]), number(au.Tally.Points)))
		}
	}
	sort.Strings(out)
	return out
}

func criterionResult(a *Assessment, id string) (criteria.CriterionResult, bool) {
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
		return " (missing " + strings.Join(f.Missing, ", ") + ")"
	case f.Reason != "":
		return " (" + f.Reason + ")"
	case len(f.Failed) > 0:
		var parts []string
		for _, c := range f.Failed {
			parts = append(parts, fmt.Sprintf("%s %s %s, actual %v", c.Subject, c.Op, c.Threshold, c.Actual))
		}
		return " (" + strings.Join(parts, "; ") + ")"
	}
	return ""
}

// Observed returns what an assessment gives for the items want lists, in
// the shape of an Expect, so that a test can print want against got.
func Observed(a *Assessment, want Expect) Expect {
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
