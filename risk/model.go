package risk

import (
	"context"
	"fmt"
	"math"
	"path"
	"reflect"
	"sort"
	"strings"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

// A Model is a compiled risk configuration: it maps operators and plans
// their treatment. It is immutable and safe for concurrent use by multiple
// goroutines.
type Model struct {
	cfg       Config
	env       *rules.Model
	envType   reflect.Type
	dims      []dimension
	levels    []LevelBand
	matrix    matrix
	risks     []riskDecl
	riskIndex map[string]int
	findings  []findingRule
	controls  []control
	cal       *calendar.Calendar // nil: Monday to Friday, no holidays
}

type dimension struct {
	Dimension
	score *rules.Program
}

type riskDecl struct {
	RiskDecl
	when *rules.Program
	l, c int // 1-based positions on the scales
}

type findingRule struct {
	FindingRule
	risk     int
	outcomes []criteria.Outcome
	l, c     int // 0: the risk's own
}

type control struct {
	Control
	risks []int // indexes into Model.risks, sorted
}

type matrix struct {
	likelihood, consequence map[string]int // label → 1-based position
	ratings                 []RatingBand
	cell                    [][]int // [l-1][c-1] → rating index
	weighted                bool
}

// Compile validates cfg and compiles every expression in it against the
// operator environment (see WithEnv). It reports every problem it finds,
// not only the first, as diag.List whose paths are relative to the
// risk section (dimensions[2].score). It returns another error only when
// an option is unusable, such as a prototype that is not a pointer to a
// struct.
func Compile(cfg Config, opts ...Option) (*Model, error) {
	o := options{env: &Facts{}}
	for _, opt := range opts {
		opt(&o)
	}
	// The Model keeps its own copies of what it reads when mapping, so
	// that a caller changing its configuration afterwards changes nothing.
	cfg.Findings = clone(cfg.Findings)
	for i := range cfg.Findings {
		f := &cfg.Findings[i]
		f.Requirements, f.Criteria, f.Outcomes = clone(f.Requirements), clone(f.Criteria), clone(f.Outcomes)
	}
	cfg.Matrix.Likelihood, cfg.Matrix.Consequence = clone(cfg.Matrix.Likelihood), clone(cfg.Matrix.Consequence)
	cfg.Matrix.Ratings = clone(cfg.Matrix.Ratings)
	cfg.Levels = clone(cfg.Levels)
	c := &compiler{}
	facts := c.facts(o.facts, nil, "")
	env, err := newModel(o.env, facts, &o)
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, env: env, envType: reflect.TypeOf(o.env), levels: cfg.Levels, riskIndex: map[string]int{}, cal: o.cal}

	dimIDs := map[string]bool{}
	for i, d := range cfg.Dimensions {
		p := diag.Index("dimensions", i)
		c.checkID(p, d.ID)
		if dimIDs[d.ID] && d.ID != "" {
			c.errs.Add(diag.Join(p, "id"), "dimension %q defined twice", d.ID)
		}
		dimIDs[d.ID] = true
		if !(d.Weight > 0) || math.IsInf(d.Weight, 0) {
			c.errs.Add(diag.Join(p, "weight"), "weight must be a positive number")
		}
		dim := dimension{Dimension: d}
		if strings.TrimSpace(d.Score) == "" {
			c.errs.Add(p, "score is required: an expression giving the dimension's risk from 0 to 100")
		} else {
			dim.score = c.compile(env, diag.Join(p, "score"), d.Score, rules.Number)
		}
		m.dims = append(m.dims, dim)
	}
	c.checkLevels(cfg)
	if cfg.Unscored > Refer {
		c.errs.Add("unscored", "unscored must be worst or refer")
	}
	needMatrix := len(cfg.Risks) > 0 || len(cfg.Findings) > 0
	m.matrix = c.checkMatrix(cfg.Matrix, needMatrix)

	for i, r := range cfg.Risks {
		p := diag.Index("risks", i)
		c.checkID(p, r.ID)
		if _, dup := m.riskIndex[r.ID]; dup && r.ID != "" {
			c.errs.Add(diag.Join(p, "id"), "risk %q defined twice", r.ID)
		}
		rd := riskDecl{RiskDecl: r}
		rd.l = c.label(m.matrix.likelihood, diag.Join(p, "likelihood"), "likelihood", r.Likelihood, true)
		rd.c = c.label(m.matrix.consequence, diag.Join(p, "consequence"), "consequence", r.Consequence, true)
		if r.When != "" {
			rd.when = c.compile(env, diag.Join(p, "when"), r.When, rules.Bool)
		}
		if _, dup := m.riskIndex[r.ID]; !dup {
			m.riskIndex[r.ID] = len(m.risks)
		}
		m.risks = append(m.risks, rd)
	}
	for i, f := range cfg.Findings {
		p := diag.Index("findings", i)
		fr := findingRule{FindingRule: f, outcomes: f.Outcomes}
		if len(fr.outcomes) == 0 {
			fr.outcomes = []criteria.Outcome{criteria.NotMet, criteria.Partly}
		}
		for j, out := range f.Outcomes {
			if _, err := out.MarshalText(); err != nil {
				c.errs.Add(diag.Index(diag.Join(p, "outcomes"), j), "unknown outcome %d (want not_met, partly, indeterminate, met, not_applicable or equivalent)", out)
			}
		}
		if len(f.Requirements) == 0 && len(f.Criteria) == 0 {
			c.errs.Add(p, "give requirements or criteria: the ID patterns of the findings that raise the risk")
		}
		for _, kp := range []struct {
			key  string
			pats []string
		}{{"requirements", f.Requirements}, {"criteria", f.Criteria}} {
			key := kp.key
			for j, pat := range kp.pats {
				if _, err := path.Match(pat, ""); err != nil || pat == "" {
					c.errs.Add(diag.Index(diag.Join(p, key), j), "bad pattern %q: use * for any run of characters and ? for one", pat)
				}
			}
		}
		ri, ok := m.riskIndex[f.Risk]
		switch {
		case f.Risk == "":
			c.errs.Add(p, "risk is required: the ID of the risk the findings raise")
		case !ok:
			c.errs.Add(diag.Join(p, "risk"), "unknown risk %q: declare it under risks%s", f.Risk, known(m.riskIndex))
		}
		fr.risk = ri
		fr.l = c.label(m.matrix.likelihood, diag.Join(p, "likelihood"), "likelihood", f.Likelihood, false)
		fr.c = c.label(m.matrix.consequence, diag.Join(p, "consequence"), "consequence", f.Consequence, false)
		m.findings = append(m.findings, fr)
	}
	ctlIDs := map[string]bool{}
	for i, ct := range cfg.Controls {
		p := diag.Index("controls", i)
		c.checkID(p, ct.ID)
		if ctlIDs[ct.ID] && ct.ID != "" {
			c.errs.Add(diag.Join(p, "id"), "control %q defined twice", ct.ID)
		}
		ctlIDs[ct.ID] = true
		if ct.Kind < PhysicalInspection || ct.Kind > SelfAssessmentReview {
			c.errs.Add(diag.Join(p, "kind"), "kind is required: physical_inspection, documentary_check, accounting_control, post_clearance_audit, spot_check or self_assessment_review")
		}
		if !(ct.Hours > 0) || math.IsInf(ct.Hours, 0) {
			c.errs.Add(diag.Join(p, "hours"), "hours must be a positive number: the staff hours of one occurrence")
		}
		if !(ct.Frequency > 0) || math.IsInf(ct.Frequency, 0) {
			c.errs.Add(diag.Join(p, "frequency"), "frequency must be a positive number: occurrences per year")
		}
		if len(ct.Addresses) == 0 {
			c.errs.Add(p, "addresses is required: the IDs of the risks the control covers")
		}
		cc := control{Control: ct}
		seen := map[int]bool{}
		for j, id := range ct.Addresses {
			ri, ok := m.riskIndex[id]
			if !ok {
				c.errs.Add(diag.Index(diag.Join(p, "addresses"), j), "unknown risk %q%s", id, known(m.riskIndex))
				continue
			}
			if !seen[ri] {
				seen[ri] = true
				cc.risks = append(cc.risks, ri)
			}
		}
		sort.Ints(cc.risks)
		m.controls = append(m.controls, cc)
	}
	for _, rp := range []struct {
		key string
		per calendar.Period
	}{{"change_method_after", cfg.Review.ChangeMethodAfter}, {"reanalyse_after", cfg.Review.ReanalyseAfter}} {
		if rp.per.Years < 0 || rp.per.Months < 0 || rp.per.Days < 0 {
			c.errs.Add(diag.Join("review", rp.key), "the period must not be negative")
		}
	}
	if err := c.errs.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

func (c *compiler) checkLevels(cfg Config) {
	if len(cfg.Dimensions) > 0 && len(cfg.Levels) == 0 {
		c.errs.Add("levels", "levels are required with dimensions: the bands of the overall score, e.g. low from 0, medium from 40, high from 70")
	}
	seen := map[string]bool{}
	for i, b := range cfg.Levels {
		p := diag.Index("levels", i)
		if strings.TrimSpace(b.Level) == "" {
			c.errs.Add(diag.Join(p, "level"), "level is required: the name of the band")
		} else if seen[b.Level] {
			c.errs.Add(diag.Join(p, "level"), "level %q defined twice", b.Level)
		}
		seen[b.Level] = true
		switch {
		case !(b.Min >= 0 && b.Min <= 100):
			c.errs.Add(diag.Join(p, "min"), "min must be between 0 and 100")
		case i == 0 && b.Min != 0:
			c.errs.Add(diag.Join(p, "min"), "the first band must start at 0, so that every score has a level")
		case i > 0 && !(b.Min > cfg.Levels[i-1].Min):
			c.errs.Add(diag.Join(p, "min"), "bands must be listed lowest first, each min above the one before")
		}
	}
}

// label returns the 1-based position of a label on a scale, or 0.
func (c *compiler) label(scale map[string]int, path, what, label string, required bool) int {
	if label == "" {
		if required {
			c.errs.Add(path, "%s is required: a label of the matrix's %s scale", what, what)
		}
		return 0
	}
	i, ok := scale[label]
	if !ok {
		if len(scale) > 0 {
			c.errs.Add(path, "unknown %s %q%s", what, label, known(scale))
		}
		return 0
	}
	return i + 1
}

func (c *compiler) checkMatrix(mx Matrix, required bool) matrix {
	var out matrix
	empty := len(mx.Likelihood) == 0 && len(mx.Consequence) == 0 && len(mx.Ratings) == 0
	if empty {
		if required {
			c.errs.Add("matrix", "matrix is required with risks: the likelihood and consequence scales and the ratings")
		}
		return out
	}
	scale := func(key string, labels []string) map[string]int {
		if len(labels) == 0 {
			c.errs.Add(diag.Join("matrix", key), "the %s scale needs at least one label", key)
		}
		if len(labels) > 100 {
			c.errs.Add(diag.Join("matrix", key), "the %s scale has more than 100 labels", key)
			return map[string]int{}
		}
		m := map[string]int{}
		for i, l := range labels {
			p := diag.Index(diag.Join("matrix", key), i)
			if strings.TrimSpace(l) == "" {
				c.errs.Add(p, "empty label")
			} else if _, dup := m[l]; dup {
				c.errs.Add(p, "label %q given twice", l)
				continue
			}
			m[l] = i
		}
		return m
	}
	out.likelihood = scale("likelihood", mx.Likelihood)
	out.consequence = scale("consequence", mx.Consequence)
	out.ratings = mx.Ratings
	if len(mx.Ratings) == 0 {
		c.errs.Add("matrix.ratings", "ratings are required: the rating bands, lowest first")
		return out
	}
	ratingIndex := map[string]int{}
	weights := 0
	for i, r := range mx.Ratings {
		p := diag.Index("matrix.ratings", i)
		if strings.TrimSpace(r.Rating) == "" {
			c.errs.Add(diag.Join(p, "rating"), "rating is required: the name of the band")
		} else if _, dup := ratingIndex[r.Rating]; dup {
			c.errs.Add(diag.Join(p, "rating"), "rating %q defined twice", r.Rating)
		}
		ratingIndex[r.Rating] = i
		if r.Weight < 0 || math.IsNaN(r.Weight) || math.IsInf(r.Weight, 0) {
			c.errs.Add(diag.Join(p, "weight"), "weight must be a positive number")
		}
		if r.Weight > 0 {
			weights++
		}
		if len(mx.Grid) == 0 {
			switch {
			case i == 0 && r.Min > 1:
				c.errs.Add(diag.Join(p, "min"), "the lowest band must start at 1 or below, so that every cell has a rating")
			case i > 0 && r.Min <= mx.Ratings[i-1].Min:
				c.errs.Add(diag.Join(p, "min"), "bands must be listed lowest first, each min above the one before")
			}
		}
	}
	if weights > 0 && weights < len(mx.Ratings) {
		c.errs.Add("matrix.ratings", "give a weight to every rating or to none")
	}
	out.weighted = weights > 0
	nl, nc := len(mx.Likelihood), len(mx.Consequence)
	if nl == 0 || nc == 0 || nl > 100 || nc > 100 {
		return out
	}
	out.cell = make([][]int, nl)
	if len(mx.Grid) > 0 {
		if len(mx.Grid) != nl {
			c.errs.Add("matrix.grid", "the grid needs one row per likelihood (%d), lowest first; it has %d", nl, len(mx.Grid))
		}
		for l := range nl {
			out.cell[l] = make([]int, nc)
			if l >= len(mx.Grid) {
				continue
			}
			row := mx.Grid[l]
			if len(row) != nc {
				c.errs.Add(diag.Index("matrix.grid", l), "each row needs one rating per consequence (%d); this one has %d", nc, len(row))
			}
			for ci := 0; ci < nc && ci < len(row); ci++ {
				ri, ok := ratingIndex[row[ci]]
				if !ok {
					c.errs.Add(diag.Index(diag.Index("matrix.grid", l), ci), "unknown rating %q%s", row[ci], known(ratingIndex))
				}
				out.cell[l][ci] = ri
			}
		}
		return out
	}
	for l := range nl {
		out.cell[l] = make([]int, nc)
		for ci := range nc {
			product := (l + 1) * (ci + 1)
			ri := 0
			for i, r := range mx.Ratings {
				if product >= r.Min {
					ri = i
				}
			}
			out.cell[l][ci] = ri
		}
	}
	return out
}

// MustCompile is like Compile but panics on error. It is for
// configurations fixed at build time, in tests and examples.
func MustCompile(cfg Config, opts ...Option) *Model {
	m, err := Compile(cfg, opts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Config returns the configuration m was compiled from. The returned value
// shares slices with m: treat it as read-only.
func (m *Model) Config() Config { return m.cfg }

// A Map is the risk map of one operator: an overall score and level with
// the contribution of each dimension, and the risks found, rated on the
// matrix. The Map owns its slices. It is internal to Customs and has no
// operator view: see the package documentation.
type Map struct {
	// Score is the weighted mean of the dimensions, 0..100, each
	// dimension that could not be scored counted at 100, the worst: it is
	// never lower than the score the operator would have with every
	// dimension known.
	Score float64 `json:"score"`
	// Level is the band of Score. It is empty when Referred.
	Level string `json:"level,omitempty"`
	// Provisional reports that some dimension could not be scored and was
	// counted at the worst score, so Score and Level may overstate the
	// risk until its facts are supplied. Coverage is the share of the
	// configured weight that was scored.
	Provisional bool    `json:"provisional,omitempty"`
	Coverage    float64 `json:"coverage"`
	// Referred reports that the level is left to an officer: some
	// dimension could not be scored and the configuration says
	// unscored: refer. Reason says which dimensions.
	Referred bool `json:"referred,omitempty"`
	// Reason names the dimensions not scored and how they were counted;
	// empty when every dimension was scored.
	Reason string `json:"reason,omitempty"`
	// Contributions are the dimensions in configuration order.
	Contributions []Contribution `json:"contributions"`
	// Risks are sorted by weight and product, highest first, then by ID.
	Risks []Risk `json:"risks,omitempty"`
	// Undecided lists inherent risks whose condition could not be
	// decided, in configuration order.
	Undecided []Undecided `json:"undecided,omitempty"`

	scratch *mapScratch // memory MapInto reuses
}

// A Contribution is what one dimension added to the overall score.
type Contribution struct {
	Dimension string          `json:"dimension"`
	Title     string          `json:"title,omitempty"`
	Status    DimensionStatus `json:"status"`
	// Score is the dimension's own score, 0..100, when Status is Scored,
	// and 100, the worst, as which it is counted, when it is not.
	Score float64 `json:"score"`
	// Weight is the configured weight; Share the weight over the sum of
	// the weights of all dimensions.
	Weight float64 `json:"weight"`
	Share  float64 `json:"share"`
	// Points is Share × Score: this dimension's part of the overall
	// score.
	Points float64 `json:"points"`
	// Missing lists the facts that were absent, for Unknown.
	Missing []string `json:"missing,omitempty"`
	// Reason explains Failed.
	Reason string `json:"reason,omitempty"`
}

// A Risk is one risk of an operator, rated on the matrix.
type Risk struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Likelihood  string `json:"likelihood"`
	Consequence string `json:"consequence"`
	// Product is likelihood × consequence, by their positions on the
	// scales (1-based).
	Product int    `json:"product"`
	Rating  string `json:"rating"`
	// Weight is how much the risk counts in a plan of treatment: the
	// rating's weight, or Product when ratings have no weights.
	Weight float64 `json:"weight"`
	// Causes say what raised the risk: "profile" for an inherent risk,
	// or a requirement (or criterion) ID and its outcome, e.g.
	// "B.2 not_met". Sorted.
	Causes []string `json:"causes"`
}

// rank orders risks of the same ID by severity.
type rank struct{ rating, product, likelihood int }

func (a rank) less(b rank) bool {
	if a.rating != b.rating {
		return a.rating < b.rating
	}
	if a.product != b.product {
		return a.product < b.product
	}
	return a.likelihood < b.likelihood
}

// An Undecided risk is an inherent risk whose condition could not be
// evaluated. Map raises it all the same, as present, with the cause
// "profile (undecided)": a risk nobody could rule out is not ruled out.
type Undecided struct {
	Risk    string   `json:"risk"`
	Missing []string `json:"missing,omitempty"`
	Reason  string   `json:"reason,omitempty"`
}

// Map maps the risk of the operator described by env, which must be of
// the type given to WithEnv (by default *Facts), and of the findings of
// its assessment. It fails closed: a dimension whose facts are missing
// (Unknown), or whose expression fails or gives a value outside 0..100
// (Failed), counts at 100, the worst score, and the map is marked
// provisional, or, under unscored: refer, left without a level for an
// officer; an inherent risk whose condition cannot be decided is raised.
// Map returns an error only when ctx is done, env is of the wrong type, or
// env has a method Validate() error (as *Facts does) that refuses it.
func (m *Model) Map(ctx context.Context, env any, findings []criteria.Finding) (Map, error) {
	var out Map
	if err := m.MapInto(ctx, env, findings, &out); err != nil {
		return Map{}, err
	}
	out.scratch = nil
	return out, nil
}

// MapInto is Map writing into out and reusing its memory: a host that maps
// many operators (a register replay, a benchmark of the model) maps with
// one Map per goroutine and, after the first, allocates nothing per
// operator for the dimensions. Everything out held before is
// overwritten: copy what must outlive the next call. Errors are Map's.
func (m *Model) MapInto(ctx context.Context, env any, findings []criteria.Finding, out *Map) error {
	if env == nil || reflect.TypeOf(env) != m.envType {
		return fmt.Errorf("risk: Map needs a %s, got %T", m.envType, env)
	}
	if v, ok := env.(interface{ Validate() error }); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	r := m.env.Runner()
	defer r.Release()
	// The context is honoured inside each expression, and between them.
	r.SetContext(ctx)
	sc := out.scratch
	if sc == nil {
		sc = &mapScratch{}
	}
	contributions := out.Contributions
	if contributions == nil || cap(contributions) < len(m.dims) {
		contributions = make([]Contribution, len(m.dims))
	}
	*out = Map{Contributions: contributions[:len(m.dims)], Risks: out.Risks[:0], Undecided: out.Undecided[:0], scratch: sc}
	var total, scored float64
	var unscored []string
	for i, d := range m.dims {
		if err := ctx.Err(); err != nil {
			return err
		}
		ct := &out.Contributions[i]
		*ct = Contribution{Dimension: d.ID, Title: d.Title, Weight: d.Weight}
		total += d.Weight
		if !d.score.Present(env) {
			ct.Status, ct.Missing = Unknown, d.score.Missing(env, nil)
		} else {
			v, err := r.Number(d.score, env)
			if err != nil {
				ct.Status, ct.Reason = Failed, "score failed: "+err.Error()
			} else if !(v >= 0 && v <= 100) {
				// NaN fails both comparisons.
				ct.Status, ct.Reason = Failed, fmt.Sprintf("score %v is outside 0..100", v)
			} else {
				ct.Status, ct.Score = Scored, v
				scored += d.Weight
			}
		}
		if ct.Status != Scored {
			// A dimension nobody could score is not low risk: it counts
			// as the worst, so that the map never understates.
			ct.Score = 100
			unscored = append(unscored, d.ID)
		}
	}
	if total > 0 {
		out.Coverage = scored / total
		for i := range out.Contributions {
			ct := &out.Contributions[i]
			ct.Share = ct.Weight / total
			ct.Points = ct.Share * ct.Score
			out.Score += ct.Points
		}
		out.Score = math.Min(100, math.Max(0, out.Score))
		for _, b := range m.levels {
			if out.Score >= b.Min {
				out.Level = b.Level
			}
		}
	}
	if len(unscored) > 0 {
		out.Provisional = true
		out.Reason = "not scored: " + strings.Join(unscored, ", ") + "; counted at the worst score, 100"
		if m.cfg.Unscored == Refer {
			out.Referred, out.Level = true, ""
			out.Reason = "not scored: " + strings.Join(unscored, ", ") + "; the level is referred to an officer"
		}
	}
	// The risks raised, by index into m.risks, in memory out keeps.
	if len(sc.raised) < len(m.risks) {
		sc.raised = make([]raised, len(m.risks))
	}
	found := sc.raised[:len(m.risks)]
	for i := range found {
		found[i] = raised{causes: found[i].causes[:0]}
	}
	raise := func(ri, l, c int, cause string) {
		rd := m.risks[ri]
		if l == 0 {
			l = rd.l
		}
		if c == 0 {
			c = rd.c
		}
		rt, rk := m.rate(l, c)
		f := &found[ri]
		if !f.ok || f.rank.less(rk) {
			f.Risk, f.rank = rt, rk
			f.ID, f.Title = rd.ID, rd.Title
		}
		f.ok = true
		f.causes = append(f.causes, cause)
	}
	for i, rd := range m.risks {
		if rd.when == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		var ok bool
		if !rd.when.Present(env) {
			// The facts present may settle it (a && b with a false).
			v, known := r.Decide(rd.when, env)
			if !known {
				out.Undecided = append(out.Undecided, Undecided{Risk: rd.ID, Missing: rd.when.Missing(env, nil)})
				raise(i, 0, 0, "profile (undecided)")
				continue
			}
			ok = v
		} else {
			v, err := r.Bool(rd.when, env)
			if err != nil {
				out.Undecided = append(out.Undecided, Undecided{Risk: rd.ID, Reason: "condition failed: " + err.Error()})
				raise(i, 0, 0, "profile (undecided)")
				continue
			}
			ok = v
		}
		if ok {
			raise(i, 0, 0, "profile")
		}
	}
	for i := range findings {
		f := &findings[i]
		for _, fr := range m.findings {
			if !fr.matches(f) {
				continue
			}
			id := f.Requirement
			if id == "" {
				id = f.Criterion
			}
			raise(fr.risk, fr.l, fr.c, id+" "+outcomeToken(f.Outcome))
		}
	}
	for i := range found {
		f := &found[i]
		if !f.ok {
			continue
		}
		sort.Strings(f.causes)
		f.causes = compactStrings(f.causes)
		// The Map owns its slices: the causes are copied out of the
		// memory reused for the next call.
		f.Causes = append([]string(nil), f.causes...)
		out.Risks = append(out.Risks, f.Risk)
	}
	if len(out.Risks) == 0 {
		out.Risks = nil
	}
	if len(out.Undecided) == 0 {
		out.Undecided = nil
	}
	sortRisks(out.Risks)
	return nil
}

// raised is a risk found while mapping, with its rank and causes.
type raised struct {
	Risk
	rank   rank
	ok     bool
	causes []string
}

// mapScratch is the memory a Map keeps for reuse by MapInto.
type mapScratch struct {
	raised []raised
}

func compactStrings(s []string) []string {
	if len(s) < 2 {
		return s
	}
	out := s[:1]
	for _, v := range s[1:] {
		if v != out[len(out)-1] {
			out = append(out, v)
		}
	}
	return out
}

// sortRisks orders risks by weight and product, highest first, then by
// ID, so that a map and a plan list them the same way on every run.
func sortRisks(rs []Risk) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Weight != b.Weight {
			return a.Weight > b.Weight
		}
		if a.Product != b.Product {
			return a.Product > b.Product
		}
		return a.ID < b.ID
	})
}

// rate rates a cell of the matrix (1-based positions).
func (m *Model) rate(l, c int) (Risk, rank) {
	mx := &m.matrix
	ri := mx.cell[l-1][c-1]
	band := mx.ratings[ri]
	r := Risk{Product: l * c, Rating: band.Rating}
	r.Likelihood = m.cfg.Matrix.Likelihood[l-1]
	r.Consequence = m.cfg.Matrix.Consequence[c-1]
	r.Weight = float64(r.Product)
	if mx.weighted {
		r.Weight = band.Weight
	}
	return r, rank{rating: ri, product: r.Product, likelihood: l}
}

// Rate rates likelihood × consequence, given as labels of the matrix's
// scales, as Map rates a risk. It reports false for an unknown label.
func (m *Model) Rate(likelihood, consequence string) (Risk, bool) {
	l, ok1 := m.matrix.likelihood[likelihood]
	c, ok2 := m.matrix.consequence[consequence]
	if !ok1 || !ok2 {
		return Risk{}, false
	}
	r, _ := m.rate(l+1, c+1)
	return r, true
}

func (fr *findingRule) matches(f *criteria.Finding) bool {
	hit := false
	for _, o := range fr.outcomes {
		hit = hit || o == f.Outcome
	}
	if !hit {
		return false
	}
	for _, p := range fr.Requirements {
		if ok, _ := path.Match(p, f.Requirement); ok && f.Requirement != "" {
			return true
		}
	}
	for _, p := range fr.Criteria {
		if ok, _ := path.Match(p, f.Criterion); ok && f.Criterion != "" {
			return true
		}
	}
	return false
}

// outcomeToken returns the token of o, as a programme file writes it.
func outcomeToken(o criteria.Outcome) string {
	b, err := o.MarshalText()
	if err != nil {
		return o.String()
	}
	return string(b)
}
