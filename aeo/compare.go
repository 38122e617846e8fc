package aeo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
	"github.com/safe-aeo/engine/risk"
)

// Relation says how a requirement of one programme stands to its match in
// another.
type Relation string

// Relations.
const (
	// Same: the matched requirement is identical (the same rule, level
	// and applicability), or the two agree on every sample profile that
	// decides both.
	Same Relation = "same"
	// Stricter: B's requirement is met on no sample where A's is not, and
	// fails on some where A's is met (or B requires what A only desires).
	Stricter Relation = "stricter"
	// Looser: the reverse of Stricter.
	Looser Relation = "looser"
	// Different: the requirements disagree both ways on the samples, or
	// cannot be compared without samples.
	Different Relation = "different"
	// Missing: B has no requirement matching A's.
	Missing Relation = "missing"
)

// A Match is the comparison of one requirement of programme A with the
// requirements of B that implement the same thing.
type Match struct {
	Requirement string   `json:"requirement"`
	Title       string   `json:"title"`
	Matches     []string `json:"matches,omitempty"`
	Relation    Relation `json:"relation"`
	Reason      string   `json:"reason"`
	// Disagree lists the sample operators on which the two programmes'
	// requirements disagree, for a reviewer to look at.
	Disagree []string `json:"disagree,omitempty"`
	// Samples says what the samples show when it is not what Relation
	// says: identical rules may still decide a sample differently, through
	// an equivalence or a fact one programme declares otherwise.
	Samples string `json:"samples,omitempty"`
}

// A Comparison compares programme A with programme B requirement by
// requirement, as an administration does before mutual recognition: it
// can recognise B's operators when every requirement of its own programme
// has a match in B that is the same or stricter.
type Comparison struct {
	A, B       string         `json:"-"`
	Programmes [2]string      `json:"programmes"`
	Samples    int            `json:"samples"`
	Matches    []Match        `json:"matches"`
	Summary    map[string]int `json:"summary"`
	// Compatible reports whether every requirement of A is matched by a
	// requirement of B that is the same or stricter.
	Compatible bool `json:"compatible"`
	// Ignored lists the facts of samples that one programme could not
	// read: it assessed the sample without them. A fact neither can read
	// is an error, as it is for Assess.
	Ignored []IgnoredFact `json:"ignored,omitempty"`
}

// An IgnoredFact is an extra fact of a profile that one of two compared
// programmes does not declare, or declares with another type. That
// programme assesses the profile as if the fact were absent, so its
// requirements that would read it are indeterminate: a fact one version
// adds is what comparing versions is for, not a reason to stop.
type IgnoredFact struct {
	// Sample is the position of the profile among those compared, and
	// Operator its operator ID (or name).
	Sample   int    `json:"sample"`
	Operator string `json:"operator"`
	// Programme is "A" or "B" for Compare, "old" or "new" for Impact.
	Programme string `json:"programme"`
	Fact      string `json:"fact"`
	// Problem says why: not declared, or the value's type.
	Problem string `json:"problem"`
	// File, Line and Column are where the fact is, when the profile was
	// read from a file.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// assessKnown assesses prof with the extra facts p can read, and reports
// the others: those p does not declare, and those whose value is not of
// the type p declares.
func (p *Programme) assessKnown(ctx context.Context, prof *Profile, asOf time.Time) (*Assessment, []IgnoredFact, error) {
	var ignored []IgnoredFact
	ignore := func(name, problem string) {
		f := IgnoredFact{Fact: name, Problem: problem}
		if prof.doc != nil {
			e := &diag.Error{Path: "facts." + name}
			prof.doc.Resolve(e)
			f.File, f.Line, f.Column = e.File, e.Line, e.Column
		}
		ignored = append(ignored, f)
	}
	if len(prof.Facts) > 0 {
		kept := make(map[string]any, len(prof.Facts))
		for _, name := range slices.Sorted(maps.Keys(prof.Facts)) {
			v := prof.Facts[name]
			t, ok := p.declared[name]
			if !ok {
				ignore(name, "not declared")
				continue
			}
			if v != nil {
				if _, err := rules.ConvertFact(t, v); err != nil {
					ignore(name, err.Error())
					continue
				}
			}
			kept[name] = v
		}
		if len(ignored) > 0 {
			cp := *prof
			cp.Facts = kept
			prof = &cp
		}
	}
	a, err := p.Assess(ctx, prof, asOf)
	return a, ignored, err
}

func operatorName(prof *Profile) string {
	if prof.OperatorID != "" {
		return prof.OperatorID
	}
	return prof.Name
}

// Compare matches each requirement of a with b's and relates them.
// Requirements match when they share an ID or a SAFE item they map to
// (maps_to; a baseline requirement maps to itself). When sample profiles
// are given, each pair is related by running both programmes on every
// sample as of asOf: an empirical, not a logical, comparison, as good as
// the samples. Without samples, rule text and level decide.
func Compare(ctx context.Context, a, b *Programme, samples []*Profile, asOf time.Time) (*Comparison, error) {
	keysB := map[string][]string{}
	for _, r := range b.file.Requirements {
		if r.BindsCustoms() {
			continue // Customs' own obligations are not operators' requirements
		}
		for _, k := range matchKeys(r) {
			keysB[k] = append(keysB[k], r.ID)
		}
	}
	reqB := map[string]criteria.Requirement{}
	for _, r := range b.file.Requirements {
		reqB[r.ID] = r
	}
	c := &Comparison{
		Programmes: [2]string{a.Name() + " " + a.Version(), b.Name() + " " + b.Version()},
		Samples:    len(samples),
		Summary:    map[string]int{},
		Compatible: true,
	}
	var resA, resB []*Assessment
	for i, s := range samples {
		x, ignA, err := a.assessKnown(ctx, s, asOf)
		if err != nil {
			return nil, wrap(err, "sample %s", s.label())
		}
		y, ignB, err := b.assessKnown(ctx, s, asOf)
		if err != nil {
			return nil, wrap(err, "sample %s", s.label())
		}
		if err := unreadable(a, s, ignA, ignB); err != nil {
			return nil, wrap(err, "sample %s", s.label())
		}
		for _, side := range []struct {
			name string
			ign  []IgnoredFact
		}{{"A", ignA}, {"B", ignB}} {
			for _, f := range side.ign {
				f.Sample, f.Operator, f.Programme = i, operatorName(s), side.name
				c.Ignored = append(c.Ignored, f)
			}
		}
		resA, resB = append(resA, x), append(resB, y)
	}
	for _, r := range a.file.Requirements {
		if r.BindsCustoms() {
			continue
		}
		m := Match{Requirement: r.ID, Title: r.Title.In(a.lang)}
		seen := map[string]bool{}
		for _, k := range matchKeys(r) {
			for _, id := range keysB[k] {
				if !seen[id] {
					seen[id] = true
					m.Matches = append(m.Matches, id)
				}
			}
		}
		sort.Strings(m.Matches)
		switch {
		case len(m.Matches) == 0:
			m.Relation, m.Reason = Missing, "no requirement of B has this ID or maps to the same SAFE item"
		case len(m.Matches) == 1 && identical(r, reqB[m.Matches[0]]):
			// The same rule is the same requirement, whatever a handful
			// of samples can or cannot show; what they show is reported
			// beside it when it differs.
			m.Relation, m.Reason = Same, "identical rule, level and applicability"
			if len(samples) > 0 {
				if rel, why, dis := relateOnSamples(r.ID, m.Matches, resA, resB); rel != Same && len(dis) > 0 {
					m.Samples, m.Disagree = string(rel)+" on the samples: "+why, dis
				}
			}
		case len(samples) > 0:
			m.Relation, m.Reason, m.Disagree = relateOnSamples(r.ID, m.Matches, resA, resB)
		default:
			m.Relation, m.Reason = relateByText(r, m.Matches, reqB)
		}
		c.Summary[string(m.Relation)]++
		if m.Relation != Same && m.Relation != Stricter {
			c.Compatible = false
		}
		c.Matches = append(c.Matches, m)
	}
	return c, nil
}

func matchKeys(r criteria.Requirement) []string {
	return append([]string{r.ID}, r.MapsTo...)
}

// relateOnSamples compares requirement id of A with the matched
// requirements of B, taken together (all must be satisfied), on each
// sample where both are decided.
func relateOnSamples(id string, matches []string, resA, resB []*Assessment) (Relation, string, []string) {
	aOnly, bOnly, agree := 0, 0, 0
	var disagree []string
	for i := range resA {
		fa, ok := resA[i].Finding(id)
		if !ok || !decided(fa.Outcome) {
			continue
		}
		sa := fa.Outcome.Satisfied()
		sb, ok := true, true
		for _, m := range matches {
			fb, found := resB[i].Finding(m)
			if !found || !decided(fb.Outcome) {
				ok = false
				break
			}
			sb = sb && fb.Outcome.Satisfied()
		}
		if !ok {
			continue
		}
		switch {
		case sa == sb:
			agree++
			continue
		case sa:
			aOnly++
		default:
			bOnly++
		}
		name := resA[i].OperatorID
		if name == "" {
			name = resA[i].Operator
		}
		disagree = append(disagree, name)
	}
	n := agree + aOnly + bOnly
	switch {
	case n == 0:
		return Different, "no sample decides both requirements", nil
	case aOnly == 0 && bOnly == 0:
		return Same, fmt.Sprintf("agree on all %d samples that decide both", n), nil
	case bOnly == 0:
		return Stricter, fmt.Sprintf("B refuses %d sample(s) A accepts, and accepts none A refuses", aOnly), disagree
	case aOnly == 0:
		return Looser, fmt.Sprintf("B accepts %d sample(s) A refuses", bOnly), disagree
	}
	return Different, fmt.Sprintf("B refuses %d sample(s) A accepts and accepts %d A refuses", aOnly, bOnly), disagree
}

func decided(o criteria.Outcome) bool {
	return o != criteria.Indeterminate && o != criteria.NotApplicable
}

// identical reports whether two requirements decide the same way on any
// profile: the same conditions (up to spacing), level, applicability and
// SME alternative. Titles, sources and messages may differ.
func identical(a, b criteria.Requirement) bool {
	norm := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	sme := func(x *criteria.Alternative) string {
		if x == nil {
			return ""
		}
		return norm(x.When)
	}
	return norm(a.When) == norm(b.When) && norm(a.Partly) == norm(b.Partly) &&
		levelOf(a.Level) == levelOf(b.Level) && norm(a.AppliesIf) == norm(b.AppliesIf) &&
		slices.Equal(a.Roles, b.Roles) && slices.Equal(a.BusinessModels, b.BusinessModels) &&
		sme(a.SME) == sme(b.SME) && a.Points == b.Points
}

func relateByText(r criteria.Requirement, matches []string, reqB map[string]criteria.Requirement) (Relation, string) {
	if len(matches) != 1 {
		return Different, "several requirements of B match; give sample profiles to compare them"
	}
	o := reqB[matches[0]]
	la, lb := levelRank(r.Level), levelRank(o.Level)
	sameRule := strings.Join(strings.Fields(r.When), " ") == strings.Join(strings.Fields(o.When), " ")
	switch {
	case sameRule && la == lb:
		return Same, "same rule and level, applicability differs"
	case sameRule && lb > la:
		return Stricter, "same rule, but B requires what A " + string(levelOf(r.Level))
	case sameRule:
		return Looser, "same rule, but B only " + string(levelOf(o.Level)) + " it"
	}
	return Different, "the rules differ; give sample profiles to compare them"
}

func levelOf(l criteria.Level) criteria.Level {
	if l == "" {
		return criteria.Required
	}
	return l
}

func levelRank(l criteria.Level) int {
	switch levelOf(l) {
	case criteria.Required:
		return 2
	case criteria.Desired:
		return 1
	}
	return 0
}

// A Change is one outcome that differs between two programme versions for
// one profile.
type Change struct {
	Profile string `json:"profile"`
	// Kind is requirement, criterion or authorization; or fact, for an
	// extra fact of the profile that one version cannot read (Old or New
	// says why) and so assesses the profile without.
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// Impact assesses every profile under both versions of a programme as of
// asOf and lists every outcome that changes, before the new version is
// activated. Requirements present in only one version are listed with
// "absent" on the other side. A fact one version does not declare is
// absent to it (a Change of kind fact says so), not an error. Package
// replay does the same for a register of any size, streaming.
func Impact(ctx context.Context, old, new *Programme, profiles []*Profile, asOf time.Time) ([]Change, error) {
	var out []Change
	for i, prof := range profiles {
		name := operatorName(prof)
		a, ignOld, err := old.assessKnown(ctx, prof, asOf)
		if err != nil {
			return nil, wrap(err, "impact: profile %d (%s)", i+1, prof.label())
		}
		b, ignNew, err := new.assessKnown(ctx, prof, asOf)
		if err != nil {
			return nil, wrap(err, "impact: profile %d (%s)", i+1, prof.label())
		}
		if err := unreadable(old, prof, ignOld, ignNew); err != nil {
			return nil, wrap(err, "impact: profile %d (%s)", i+1, prof.label())
		}
		out = append(out, factChanges(name, ignOld, ignNew)...)
		out = append(out, diffOutcomes(name, "requirement", findingMap(a), findingMap(b))...)
		out = append(out, diffOutcomes(name, "criterion", criterionMap(a), criterionMap(b))...)
		out = append(out, diffOutcomes(name, "authorization", authMap(a), authMap(b))...)
	}
	return out, nil
}

// factChanges lists the facts of a profile that one version reads and
// the other cannot (unreadable has checked that none is unreadable to
// both).
func factChanges(profile string, old, new []IgnoredFact) []Change {
	problem := map[string][2]string{}
	for _, f := range old {
		p := problem[f.Fact]
		p[0] = f.Problem
		problem[f.Fact] = p
	}
	for _, f := range new {
		p := problem[f.Fact]
		p[1] = f.Problem
		problem[f.Fact] = p
	}
	var out []Change
	for _, fact := range slices.Sorted(maps.Keys(problem)) {
		p := problem[fact]
		c := Change{Profile: profile, Kind: "fact", ID: fact, Old: "read", New: "read"}
		if p[0] != "" {
			c.Old = p[0]
		} else {
			c.New = p[1]
		}
		out = append(out, c)
	}
	return out
}

// unreadable returns the error Assess gives for the facts of prof that
// neither programme can read (undeclared by both, say: a typo until
// proven otherwise), as p reports them; nil when each fact is read by one
// programme at least.
func unreadable(p *Programme, prof *Profile, a, b []IgnoredFact) error {
	inB := map[string]bool{}
	for _, f := range b {
		inB[f.Fact] = true
	}
	both := map[string]any{}
	for _, f := range a {
		if inB[f.Fact] {
			both[f.Fact] = prof.Facts[f.Fact]
		}
	}
	if len(both) == 0 {
		return nil
	}
	cp := *prof
	cp.Facts = both
	_, err := p.convertFacts(&cp)
	return err
}

func findingMap(a *Assessment) outcomes {
	var ids []string
	m := map[string]string{}
	for _, f := range a.Findings {
		ids = append(ids, f.Requirement)
		m[f.Requirement] = f.Outcome.String()
	}
	return outcomes{ids, m}
}

func criterionMap(a *Assessment) outcomes {
	var ids []string
	m := map[string]string{}
	for _, c := range a.Criteria {
		ids = append(ids, c.ID)
		m[c.ID] = c.Outcome.String()
	}
	return outcomes{ids, m}
}

func authMap(a *Assessment) outcomes {
	var ids []string
	m := map[string]string{}
	for _, au := range a.Authorizations {
		ids = append(ids, au.ID)
		v := au.Recommendation.String()
		if au.Grade != "" {
			v += " " + au.Grade
		}
		m[au.ID] = v
	}
	return outcomes{ids, m}
}

// outcomes are the outcomes of one kind in an assessment, in order.
type outcomes struct {
	ids []string
	m   map[string]string
}

func diffOutcomes(profile, kind string, old, new outcomes) []Change {
	var out []Change
	seen := map[string]bool{}
	oldM, newM := old.m, new.m
	for _, id := range append(append([]string(nil), old.ids...), new.ids...) {
		if seen[id] {
			continue
		}
		seen[id] = true
		o, ok1 := oldM[id]
		n, ok2 := newM[id]
		if !ok1 {
			o = "absent"
		}
		if !ok2 {
			n = "absent"
		}
		if o != n {
			out = append(out, Change{Profile: profile, Kind: kind, ID: id, Old: o, New: n})
		}
	}
	return out
}

// A LaneCase is a declaration and the standing of its operator, for
// replaying a selectivity profile.
type LaneCase struct {
	Declaration risk.Declaration `json:"declaration"`
	Operator    risk.Operator    `json:"operator"`
}

// A LaneChange is a declaration whose lane differs between two versions
// of a programme's selectivity profile.
type LaneChange struct {
	Declaration string    `json:"declaration"`
	Old         risk.Lane `json:"old"`
	OldRule     string    `json:"old_rule,omitempty"`
	New         risk.Lane `json:"new"`
	NewRule     string    `json:"new_rule,omitempty"`
}

// LaneImpact puts every declaration through both versions' selectivity
// and lists those whose lane changes. Both programmes need a selectivity
// section; the random draws depend on each version's seed, so compare
// versions that share it to see the effect of the rules alone.
func LaneImpact(old, new *Programme, cases []LaneCase) ([]LaneChange, error) {
	if old.selector == nil || new.selector == nil {
		return nil, errors.New("aeo: lane impact needs a selectivity section in both programmes")
	}
	var out []LaneChange
	for i := range cases {
		c := &cases[i]
		a := old.selector.Select(&c.Declaration, &c.Operator)
		b := new.selector.Select(&c.Declaration, &c.Operator)
		if a.Lane != b.Lane {
			out = append(out, LaneChange{Declaration: c.Declaration.ID, Old: a.Lane, OldRule: a.Rule, New: b.Lane, NewRule: b.Rule})
		}
	}
	return out, nil
}
