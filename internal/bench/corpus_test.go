package bench

// The corpus: expressions as rule authors write them (testdata/corpus.yaml),
// each run on the engine and on expr's VM directly, over environments
// shaped as the engine's own: an operator's profile (aeo.Profile, as
// requirements and risk dimensions read it), the tallies of criteria and
// authorizations, and a declaration (as selectivity rules read it).
//
// TestCorpus checks that each compiles, reports the share the fast
// evaluator lowers, and checks that the engine agrees with expr's VM on
// generated environments. TestCorpusAllocs holds the engine to no more
// allocations than expr per rule; BenchmarkCorpus measures each rule on
// both (the "no cliff" benchmark).

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/rules"
)

type corpusRule struct {
	Env  string `yaml:"env"`
	From string `yaml:"from"`
	Kind string `yaml:"kind"`
	Src  string `yaml:"src"`
}

type corpusFile struct {
	Facts map[string]map[string]string `yaml:"facts"`
	Rules []corpusRule                 `yaml:"rules"`
}

func loadCorpus(t testing.TB) corpusFile {
	t.Helper()
	data, err := os.ReadFile("testdata/corpus.yaml")
	require.NoError(t, err)
	var c corpusFile
	require.NoError(t, yaml.Unmarshal(data, &c))
	return c
}

// ---------------------------------------------------------------- environments

// profileEnv is package aeo's environment of requirements and risk
// dimensions: the profile and the assessment date. F holds the declared
// facts for expr, which reads facts.NAME from it as a map; the engine
// reads them through Fact.
type profileEnv struct {
	*aeo.Profile
	Date time.Time      `expr:"as_of"`
	F    map[string]any `expr:"facts"`
}

func (e *profileEnv) Fact(name string) (any, bool) { v, ok := e.F[name]; return v, ok && v != nil }

// decisionEnv is package criteria's environment of scores, passes,
// grants and grades.
type decisionEnv struct {
	criteria.Tally
	Required criteria.Tally                     `expr:"required"`
	Desired  criteria.Tally                     `expr:"desired"`
	Bonus    criteria.Tally                     `expr:"bonus"`
	Score    float64                            `expr:"score"`
	Criteria map[string]*criteria.CriterionView `expr:"criteria"`
	F        map[string]any                     `expr:"facts"`
}

func (e *decisionEnv) Fact(name string) (any, bool) { v, ok := e.F[name]; return v, ok && v != nil }

// laneOperator and laneEnv are package risk's environment of lane rules.
type laneOperator struct {
	ID        string   `expr:"id"`
	Status    string   `expr:"status"`
	Types     []string `expr:"types"`
	Grade     string   `expr:"grade"`
	Partner   string   `expr:"partner"`
	AEO       bool     `expr:"aeo"`
	Treatment string   `expr:"treatment"`
}

type laneEnv struct {
	ID            string         `expr:"id"`
	Date          time.Time      `expr:"date"`
	AsOf          time.Time      `expr:"as_of"`
	Office        string         `expr:"office"`
	Direction     string         `expr:"direction"`
	HSCode        string         `expr:"hs_code"`
	HSChapter     string         `expr:"hs_chapter"`
	HSHeading     string         `expr:"hs_heading"`
	Origin        string         `expr:"origin"`
	Dispatch      string         `expr:"dispatch"`
	Value         float64        `expr:"value"`
	GrossMass     float64        `expr:"gross_mass"`
	Declarant     string         `expr:"declarant"`
	OperatorID    string         `expr:"operator_id"`
	Procedure     string         `expr:"procedure"`
	TransportMode string         `expr:"transport_mode"`
	Operator      laneOperator   `expr:"operator"`
	F             map[string]any `expr:"facts"`
}

func (e *laneEnv) Fact(name string) (any, bool) { v, ok := e.F[name]; return v, ok && v != nil }

// ---------------------------------------------------------------- functions

// The host functions of package aeo, for both forms: the engine passes
// the environment first, as the programme's functions receive it; expr's
// form of the source passes $env.
func hasCert(args ...any) (any, error) {
	e, ok := args[0].(*profileEnv)
	if !ok || e.Profile == nil {
		return nil, fmt.Errorf("has_cert: no profile")
	}
	for _, c := range e.Certifications {
		if strings.EqualFold(c.Kind, args[1].(string)) && c.ValidOn(e.Date) &&
			(len(args) < 3 || strings.EqualFold(c.Issuer, args[2].(string))) {
			return true, nil
		}
	}
	return false, nil
}

func engineFuncs() []rules.Func {
	return []rules.Func{
		{Name: "has_cert", Env: true, Fn: hasCert, Types: []any{new(func(any, string) bool)}},
		{Name: "has_cert_from", Env: true, Fn: hasCert, Types: []any{new(func(any, string, string) bool)}},
	}
}

func twoDates(args []any) (time.Time, time.Time, error) {
	a, ok1 := args[0].(time.Time)
	b, ok2 := args[1].(time.Time)
	if !ok1 || !ok2 || a.IsZero() || b.IsZero() {
		return time.Time{}, time.Time{}, errors.New("date is not set")
	}
	return a, b, nil
}

func containsCount(args []any, all bool) (any, error) {
	l, ok1 := args[0].([]string)
	v, ok2 := args[1].([]any)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("want two lists, got %T and %T", args[0], args[1])
	}
	for _, x := range v {
		found := false
		for _, y := range l {
			found = found || y == x
		}
		if found && !all {
			return true, nil
		}
		if !found && all {
			return false, nil
		}
	}
	return all, nil
}

var exprFuncs = []expr.Option{
	withinPeriod,
	expr.Function("has_cert", hasCert, new(func(any, string) bool)),
	expr.Function("has_cert_from", hasCert, new(func(any, string, string) bool)),
	expr.Function("days_between", func(args ...any) (any, error) {
		a, b, err := twoDates(args)
		if err != nil {
			return nil, err
		}
		return calendar.DaysBetween(a, b), nil
	}, new(func(time.Time, time.Time) int)),
	expr.Function("years_between", func(args ...any) (any, error) {
		a, b, err := twoDates(args)
		if err != nil {
			return nil, err
		}
		return calendar.YearsBetween(a, b), nil
	}, new(func(time.Time, time.Time) int)),
	expr.Function("contains_any", func(args ...any) (any, error) { return containsCount(args, false) }, new(func(any, any) bool)),
	expr.Function("contains_all", func(args ...any) (any, error) { return containsCount(args, true) }, new(func(any, any) bool)),
}

var (
	sinceCall = regexp.MustCompile(`(years|days)_since\(([^()]*)\)`)
	certCall  = regexp.MustCompile(`has_cert(_from)?\(`)
)

// plainSource does by hand, for expr, what the engine's patcher does:
// the date shorthands count from as_of, host functions receive $env.
func plainSource(src string) string {
	src = exprSource(src)
	src = sinceCall.ReplaceAllString(src, `${1}_between($2, as_of)`)
	return certCall.ReplaceAllString(src, `has_cert$1($$env, `)
}

// ---------------------------------------------------------------- generators

func corpusProfiles(seed uint64, n int) []*profileEnv {
	rnd := rand.New(rand.NewPCG(seed, 7))
	asOf := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	day := func() time.Time { return asOf.AddDate(0, 0, -rnd.IntN(6*365)) }
	maybe := func() bool { return rnd.IntN(4) != 0 }
	pb := func() *bool {
		if rnd.IntN(6) == 0 {
			return nil
		}
		b := rnd.IntN(3) != 0
		return &b
	}
	pick := func(xs ...string) string { return xs[rnd.IntN(len(xs))] }
	out := make([]*profileEnv, n)
	for i := range out {
		p := &aeo.Profile{
			OperatorID:    pick("XE0001", "XE-77-310", "DE123456789012", ""),
			Name:          pick("Example Imports Ltd", "ACME Logistics GmbH", "Test Co", ""),
			Country:       pick("XE", "DE", "xe"),
			BusinessModel: pick("", "1", "3", "4-1", "4-3"),
		}
		if maybe() {
			p.Roles = []string{pick("importer", "exporter", "carrier", "customs_broker", "postal_operator")}
			if maybe() {
				p.Roles = append(p.Roles, pick("exporter", "warehouse", "freight_forwarder"))
			}
		}
		if maybe() {
			b := rnd.IntN(2) == 0
			p.SME = &b
		}
		if maybe() {
			n := rnd.IntN(400)
			p.Employees = &n
		}
		if maybe() {
			p.Established = day()
		}
		if maybe() {
			n := rnd.IntN(15)
			p.YearsTrading = &n
		}
		if maybe() {
			n := rnd.IntN(3) * rnd.IntN(20000)
			p.DeclarationsPerYear = &n
		}
		if maybe() {
			c := &aeo.Compliance{UnpaidDuties: pb(), DesignatedPersonsChecked: pb(), DeclarationQuality: pb()}
			for k := rnd.IntN(4); k > 0; k-- {
				c.Infringements = append(c.Infringements, aeo.Infringement{Date: day(), Severity: pick("minor", "serious", "repeated", "criminal"),
					Kind: pick("customs", "tax", "criminal"), Person: pick("applicant", "director", "customs_manager"), Disclosed: maybe(), Corrected: maybe()})
			}
			if c.Infringements == nil && maybe() {
				c.Infringements = []aeo.Infringement{}
			}
			if maybe() {
				s := float64(rnd.IntN(50)) + 50
				c.ComplianceScore = &s
			}
			p.Compliance = c
		}
		if maybe() {
			r := &aeo.Records{AuditTrail: pb(), CustomsAccess: pb(), InternalControls: pb(), Archiving: pb(), ITSecurity: pb(),
				Integrated: pb(), GoodsStatus: pb(), Licences: pb()}
			if maybe() {
				n := rnd.IntN(12)
				r.RetentionYears = &n
			}
			p.Records = r
		}
		for k := rnd.IntN(4); k > 0; k-- {
			p.Financials = append(p.Financials, aeo.FinancialYear{Year: 2025 - k, NetAssets: float64(rnd.IntN(200000) - 40000),
				Equity: float64(rnd.IntN(100000) - 10000), TotalAssets: float64(rnd.IntN(500000)), Liabilities: float64(rnd.IntN(300000)),
				Turnover: float64(rnd.IntN(3000000)), Profit: float64(rnd.IntN(200000) - 80000), DebtRatio: float64(rnd.IntN(300)),
				IndustryDebtRatio: float64(50 + rnd.IntN(100)), Insolvency: rnd.IntN(10) == 0, TaxesPaid: maybe(),
				CoveredBy: pick("", "", "parent guarantee"), CreditRating: pick("AAA", "BBB", "B", ""), InvestmentGrade: maybe()})
		}
		for k := rnd.IntN(3); k > 0; k-- {
			c := aeo.Certification{Kind: pick("ISO 28000", "ISPS", "AEO"), Issuer: pick("US CBP", "EU", "BSI"), ID: pick("C1", ""),
				Scope: []string{pick("warehousing", "transport")}}
			if maybe() {
				c.ValidFrom = day()
			}
			if maybe() {
				c.ValidUntil = day().AddDate(3, 0, 0)
			}
			p.Certifications = append(p.Certifications, c)
		}
		for k := rnd.IntN(4); k > 0; k-- {
			p.Sites = append(p.Sites, aeo.Site{ID: fmt.Sprint(k), Kind: pick("warehouse", "office", "yard", "plant"),
				Country: pick("XE", "DE", "CN"), Secured: maybe()})
		}
		if maybe() {
			p.Security = &aeo.Security{SecurityManual: pb(), SealsISO17712: pb(), SealProcedures: pb(), SealOfficer: pb(), UnitInspection: pb(),
				IncidentReporting: pb(), ConveyanceSecured: pb(), ConveyanceInspection: pb(), ConveyanceTraining: pb(), AccessControl: pb(),
				Perimeter: pb(), Lighting: pb(), Alarms: pb(), ContingencyPlan: pb(), ContingencyTested: pb()}
			if maybe() {
				p.Security.RiskAssessed = day()
			}
			if maybe() {
				p.Security.SelfReviewed = day()
			}
		}
		if maybe() {
			pe := &aeo.Personnel{PreEmploymentScreening: pb(), PeriodicChecks: pb(), IdentityBadges: pb(), ExitProcedure: pb(),
				SecurityTraining: pb(), TrainingRecords: pb()}
			if maybe() {
				s := float64(rnd.IntN(11)) / 10
				pe.TrainedShare = &s
			}
			p.Personnel = pe
		}
		if maybe() {
			c := &aeo.Competence{Training: pb(), QualityStandard: pb(), Outsourced: pb()}
			if maybe() {
				y := float64(rnd.IntN(80)) / 10
				c.ExperienceYears = &y
			}
			p.Competence = c
		}
		for k := rnd.IntN(5); k > 0; k-- {
			p.Partners = append(p.Partners, aeo.TradingPartner{Name: pick("A", "B"), Country: pick("XE", "CN", "IR", "DE"),
				Role: pick("vendor", "carrier", "supplier"), SecurityClause: maybe(), AEO: maybe(), Reviewed: maybe()})
		}
		for k := rnd.IntN(3); k > 0; k-- {
			p.Incidents = append(p.Incidents, aeo.Incident{Date: day(), Kind: pick("seizure", "theft", "breach"), Reported: maybe()})
		}
		if maybe() {
			p.Establishments = []aeo.Establishment{}
			for k := rnd.IntN(3); k > 0; k-- {
				p.Establishments = append(p.Establishments, aeo.Establishment{ID: pick("B1", "B2"), Kind: pick("branch", "warehouse"), Country: pick("XE", "XF")})
			}
		}
		if maybe() {
			p.EstablishmentOf = &aeo.EstablishmentRef{Entity: pick("E1", "E2"), Kind: "branch"}
		}
		if maybe() {
			p.SelfAssessment = map[string]string{}
			for _, q := range []string{"D.1", "D.2", "E.2", "E.3", "E.4", "G.1", "G.2", "G.3", "G.4", "H.4", "M.3", "CN-IC-1", "IA28-1c"} {
				if maybe() {
					p.SelfAssessment[q] = pick("yes", "partly", "no")
				}
			}
		}
		f := map[string]any{}
		if maybe() {
			f["vat_registered_years"] = rnd.IntN(10)
		}
		if maybe() {
			f["sensitive_goods"] = maybe()
		}
		if maybe() {
			f["licensed_goods"] = maybe()
		}
		if maybe() {
			f["represented_platform"] = pick("", "Amazon", "Shopify")
		}
		if maybe() {
			f["turnover_band"] = pick("micro", "small", "large")
		}
		if maybe() {
			f["audit_date"] = day()
		}
		if maybe() {
			f["export_share"] = float64(rnd.IntN(100)) / 100
		}
		out[i] = &profileEnv{Profile: p, Date: asOf, F: f}
	}
	return out
}

func corpusDecisions(seed uint64, n int) []*decisionEnv {
	rnd := rand.New(rand.NewPCG(seed, 9))
	tally := func() criteria.Tally {
		t := criteria.Tally{Met: rnd.IntN(10), Partly: rnd.IntN(3), NotMet: rnd.IntN(3) * rnd.IntN(2), Indeterminate: rnd.IntN(2) * rnd.IntN(2),
			NotApplicable: rnd.IntN(3), Equivalent: rnd.IntN(2)}
		t.Applicable = t.Met + t.Partly + t.NotMet + t.Indeterminate + t.Equivalent
		t.Points = float64(-2*t.NotMet - t.Partly)
		t.Weight = float64(t.Applicable)
		t.WeightMet = float64(t.Met + t.Equivalent)
		t.WeightPartly = float64(t.Partly)
		return t
	}
	out := make([]*decisionEnv, n)
	for i := range out {
		d := &decisionEnv{Tally: tally(), Required: tally(), Desired: tally(), Bonus: tally(), Score: float64(rnd.IntN(101)),
			Criteria: map[string]*criteria.CriterionView{}, F: map[string]any{}}
		for _, id := range []string{"A", "B", "C", "legal_compliance", "internal_control", "trade_security"} {
			if rnd.IntN(8) == 0 {
				continue
			}
			d.Criteria[id] = &criteria.CriterionView{Tally: tally(), Required: tally(), Score: float64(rnd.IntN(101)), Passed: rnd.IntN(3) != 0}
		}
		if rnd.IntN(4) != 0 {
			d.F["best_practices"] = rnd.IntN(2) == 0
		}
		out[i] = d
	}
	return out
}

func corpusDeclarations(seed uint64, n int) []*laneEnv {
	rnd := rand.New(rand.NewPCG(seed, 5))
	pick := func(xs ...string) string { return xs[rnd.IntN(len(xs))] }
	asOf := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	out := make([]*laneEnv, n)
	for i := range out {
		hs := pick("930190", "220830", "240220", "610910", "847130", "851712", "290110", "080810", "300490", "36", "")
		d := &laneEnv{ID: fmt.Sprint("D", i), Date: asOf.AddDate(0, 0, -rnd.IntN(60)), AsOf: asOf, Office: pick("DEHAM", "NLRTM", "XEAAA"),
			Direction: pick("import", "export", "transit"), HSCode: hs, Origin: pick("CN", "VN", "US", "AF", "", "hk"),
			Dispatch: pick("CN", "US", "DE"), Value: math.Round(rnd.ExpFloat64() * 60000), GrossMass: float64(rnd.IntN(5000)) / 10,
			Declarant: pick("B1", "XE0001"), OperatorID: pick("XE0001", "XE0002"), Procedure: pick("4000", "4200", "5100", "1000"),
			TransportMode: pick("air", "sea", "road"), F: map[string]any{}}
		if len(hs) >= 2 {
			d.HSChapter = hs[:2]
		}
		if len(hs) >= 4 {
			d.HSHeading = hs[:4]
		}
		st := pick("none", "none", "authorized", "suspended")
		d.Operator = laneOperator{ID: d.OperatorID, Status: st, Types: []string{}, Partner: pick("", "", "US C-TPAT")}
		if st == "authorized" {
			d.Operator.Types = []string{pick("AEOC", "AEOS", "AEOF")}
			d.Operator.Grade = pick("", "AA", "AAA")
			d.Operator.AEO, d.Operator.Treatment = true, "aeo"
		}
		if rnd.IntN(3) != 0 {
			d.F["risk_score"] = rnd.Float64()
		}
		if rnd.IntN(3) != 0 {
			d.F["consignee_known"] = rnd.IntN(2) == 0
		}
		if rnd.IntN(3) != 0 {
			d.F["broker_licence"] = pick("", "L-1")
		}
		out[i] = d
	}
	return out
}

// ---------------------------------------------------------------- compiled corpus

// corpusCase is one rule of the corpus, compiled in both forms, with the
// environments it runs on.
type corpusCase struct {
	rule  corpusRule
	eng   *rules.Program
	model *rules.Model
	plain *vm.Program
	envs  []any
}

func compileCorpus(t testing.TB, nEnvs int) []*corpusCase {
	t.Helper()
	c := loadCorpus(t)
	protos := map[string]any{"profile": &profileEnv{}, "decision": &decisionEnv{}, "lane": &laneEnv{}}
	models := map[string]*rules.Model{}
	for env, proto := range protos {
		facts := map[string]rules.FactType{}
		for name, typ := range c.Facts[env] {
			facts[name] = rules.FactType(typ)
		}
		if env == "decision" {
			facts["best_practices"] = rules.FactBool
		}
		opts := []rules.ModelOption{rules.WithFacts(facts)}
		if env == "profile" {
			opts = append(opts, rules.WithFuncs(engineFuncs()...))
		}
		m, err := rules.NewModel(proto, opts...)
		require.NoError(t, err)
		models[env] = m
	}
	var envs = map[string][]any{}
	for _, p := range corpusProfiles(1, nEnvs) {
		envs["profile"] = append(envs["profile"], p)
	}
	for _, d := range corpusDecisions(1, nEnvs) {
		envs["decision"] = append(envs["decision"], d)
	}
	for _, d := range corpusDeclarations(1, nEnvs) {
		envs["lane"] = append(envs["lane"], d)
	}
	var out []*corpusCase
	for _, r := range c.Rules {
		m, ok := models[r.Env]
		require.True(t, ok, "unknown environment %q", r.Env)
		k := rules.Bool
		if r.Kind == "number" {
			k = rules.Number
		}
		p, err := m.Compile(r.Src, k)
		require.NoError(t, err, "%s", r.Src)
		plain, err := expr.Compile(plainSource(r.Src), append([]expr.Option{expr.Env(protos[r.Env])}, exprFuncs...)...)
		require.NoError(t, err, "expr: %s", plainSource(r.Src))
		out = append(out, &corpusCase{rule: r, eng: p, model: m, plain: plain, envs: envs[r.Env]})
	}
	return out
}

// run evaluates the case's rule on env with the engine.
func (c *corpusCase) run(r *rules.Runner, env any) (any, error) {
	if c.rule.Kind == "number" {
		return r.Number(c.eng, env)
	}
	return r.Bool(c.eng, env)
}

// runPlain evaluates the case's rule on env with expr.
func (c *corpusCase) runPlain(v *vm.VM, env any) (any, error) {
	return c.result(v.Run(c.plain, env))
}

// result converts what a VM gave as the engine's Bool or Number does.
func (c *corpusCase) result(out any, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	if c.rule.Kind == "number" {
		f, ok := rules.ToFloat(out)
		if !ok {
			return nil, fmt.Errorf("not a number: %v", out)
		}
		return f, nil
	}
	switch b := out.(type) {
	case bool:
		return b, nil
	case *bool:
		if b != nil {
			return *b, nil
		}
	}
	return nil, fmt.Errorf("not a condition: %v", out)
}

func sameValue(a, b any) bool {
	fa, okA := a.(float64)
	fb, okB := b.(float64)
	if okA && okB {
		return fa == fb || math.IsNaN(fa) && math.IsNaN(fb)
	}
	return a == b
}

// stricter reports an error the engine gives by design where expr
// answers: a number that is not finite, a budget.
func stricter(err error) bool {
	var ae *rules.ArithmeticError
	var le *rules.LimitError
	return errors.As(err, &ae) || errors.As(err, &le)
}

// TestCorpus compiles the corpus, reports the share the fast evaluator
// lowers, and checks the engine against expr's VM on generated
// environments: the engine's answer is its own VM program's (the
// differential contract), and expr's, except where the engine refuses by
// design (a non-finite number, a budget).
func TestCorpus(t *testing.T) {
	cases := compileCorpus(t, 300)
	lowered := 0
	var not []string
	byFrom := map[string][2]int{}
	agreeErr := 0
	var v vm.VM
	for i, c := range cases {
		ok, why := c.eng.Fast()
		f := byFrom[c.rule.From]
		f[1]++
		if ok {
			lowered++
			f[0]++
		} else {
			not = append(not, fmt.Sprintf("%3d %s: %s", i, c.rule.Src, why))
		}
		byFrom[c.rule.From] = f
		r := c.model.Runner()
		for j, env := range c.envs {
			got, err := c.run(r, env)
			ref, refErr := c.result(r.RunVM(c.eng, env))
			if (err == nil) != (refErr == nil) || err == nil && !sameValue(got, ref) {
				t.Errorf("rule %d %q, env %d: engine gives %v, %v; its VM program %v, %v", i, c.rule.Src, j, got, err, ref, refErr)
				continue
			}
			if len(c.eng.Missing(env, nil)) > 0 {
				// The engine's callers do not run a rule whose facts are
				// missing (a nil record, a date not set, an absent fact):
				// it is indeterminate, where expr would run it on nil.
				continue
			}
			want, wantErr := c.runPlain(&v, env)
			switch {
			case err == nil && wantErr == nil:
				if !sameValue(got, want) {
					t.Errorf("rule %d %q, env %d: engine gives %v, expr %v", i, c.rule.Src, j, got, want)
				}
			case err != nil && wantErr == nil:
				if !stricter(err) {
					t.Errorf("rule %d %q, env %d: engine fails (%v), expr gives %v", i, c.rule.Src, j, err, want)
				}
				agreeErr++
			case err == nil && wantErr != nil:
				t.Errorf("rule %d %q, env %d: engine gives %v, expr fails: %v", i, c.rule.Src, j, got, wantErr)
			}
		}
		r.Release()
	}
	froms := make([]string, 0, len(byFrom))
	for k := range byFrom {
		froms = append(froms, k)
	}
	sort.Strings(froms)
	for _, k := range froms {
		t.Logf("%-20s %3d of %3d lowered", k, byFrom[k][0], byFrom[k][1])
	}
	share := 100 * float64(lowered) / float64(len(cases))
	t.Logf("%d of %d corpus expressions lowered (%.1f%%); %d evaluations refused by design where expr answers", lowered, len(cases), share, agreeErr)
	for _, n := range not {
		t.Log("not lowered:", n)
	}
	require.GreaterOrEqual(t, len(cases), 200, "the corpus holds at least 200 expressions")
	require.GreaterOrEqual(t, share, 98.0, "share of the corpus the fast evaluator lowers")
}

// decided returns the environments on which the engine decides the rule
// as its callers run it: its facts present (a rule with missing facts is
// not run, see criteria), and no run-time error.
func (c *corpusCase) decided(t testing.TB) []any {
	r := c.model.Runner()
	defer r.Release()
	var out []any
	for _, env := range c.envs {
		if len(c.eng.Missing(env, nil)) > 0 {
			continue
		}
		if _, err := c.run(r, env); err == nil {
			out = append(out, env)
		}
	}
	if len(out) == 0 {
		t.Fatalf("the corpus rule %q is never decided on the generated environments", c.rule.Src)
	}
	return out
}

// TestCorpusAllocs holds each rule of the corpus, on the engine, to no
// more allocations than the same text on expr's VM, where the engine
// decides it.
func TestCorpusAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts of every rule")
	}
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop what it holds, and the VM's runs allocate again")
	}
	cases := compileCorpus(t, 64)
	var v vm.VM
	for i, c := range cases {
		c.envs = c.decided(t)
		r := c.model.Runner()
		k := 0
		eng := testing.AllocsPerRun(20, func() {
			_, _ = c.run(r, c.envs[k%len(c.envs)])
			k++
		})
		k = 0
		plain := testing.AllocsPerRun(20, func() {
			_, _ = c.runPlain(&v, c.envs[k%len(c.envs)])
			k++
		})
		r.Release()
		if eng > plain {
			t.Errorf("rule %d %q: %.1f allocations per run on the engine, %.1f on expr", i, c.rule.Src, eng, plain)
		}
	}
}

// BenchmarkCorpus measures each rule of the corpus on the engine and on
// expr's VM, over the same environments: benchstat of the two shows any
// rule slower on the engine than on expr (a cliff).
//
//	go test ./internal/bench -run XXX -bench Corpus -benchtime 2000x
func BenchmarkCorpus(b *testing.B) {
	cases := compileCorpus(b, 64)
	for i, c := range cases {
		c.envs = c.decided(b)
		b.Run(fmt.Sprintf("r%03d/engine", i), func(b *testing.B) {
			r := c.model.Runner()
			defer r.Release()
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				_, _ = c.run(r, c.envs[k%len(c.envs)])
				k++
			}
		})
		b.Run(fmt.Sprintf("r%03d/expr", i), func(b *testing.B) {
			var v vm.VM
			b.ReportAllocs()
			k := 0
			for b.Loop() {
				_, _ = c.runPlain(&v, c.envs[k%len(c.envs)])
				k++
			}
		})
	}
}
