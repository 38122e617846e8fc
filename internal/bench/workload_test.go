package bench

import (
	"math/rand/v2"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
)

// ---------------------------------------------------------------- assess

// An Operator is the subject of the assessment workload, shaped like
// package aeo's profile: optional records are pointers, yearly figures and
// sites are lists.
type Operator struct {
	Date         time.Time         `expr:"as_of"`
	RoleList     []string          `expr:"roles"`
	Model        string            `expr:"business_model"`
	IsSME        *bool             `expr:"sme"`
	Country      string            `expr:"country"`
	YearsTrading *int              `expr:"years_trading"`
	Employees    *int              `expr:"employees"`
	Compliance   *Compliance       `expr:"compliance"`
	Records      *Records          `expr:"records"`
	Financials   []FinancialYear   `expr:"financials"`
	Sites        []Site            `expr:"sites"`
	Security     *Security         `expr:"security"`
	Personnel    *Personnel        `expr:"personnel"`
	Partners     []Partner         `expr:"partners"`
	Incidents    []Incident        `expr:"incidents"`
	Certificates map[string]string `expr:"-"`
	// Extra holds the declared facts. Its tag lets the raw expr form read
	// facts.NAME as a map; the engine reads them through Fact.
	Extra map[string]any `expr:"facts"`
}

// Compliance is the operator's record with Customs.
type Compliance struct {
	Infringements []Infringement `expr:"infringements"`
	UnpaidDuties  bool           `expr:"unpaid_duties"`
	ErrorRate     float64        `expr:"error_rate"`
	Declarations  int            `expr:"declarations"`
}

// An Infringement is one established infringement.
type Infringement struct {
	Date     time.Time `expr:"date"`
	Severity string    `expr:"severity"`
}

// Records describes the commercial records.
type Records struct {
	AuditTrail       bool `expr:"audit_trail"`
	Archiving        bool `expr:"archiving"`
	InternalControls bool `expr:"internal_controls"`
	CustomsAccess    bool `expr:"customs_access"`
	ITSecurity       bool `expr:"it_security"`
	RetentionYears   int  `expr:"retention_years"`
}

// A FinancialYear holds one year's accounts.
type FinancialYear struct {
	Year        int     `expr:"year"`
	Equity      float64 `expr:"equity"`
	TotalAssets float64 `expr:"total_assets"`
	Profit      float64 `expr:"profit"`
	Insolvency  bool    `expr:"insolvency"`
	TaxesPaid   bool    `expr:"taxes_paid"`
}

// A Site is a place of business.
type Site struct {
	Kind          string `expr:"kind"`
	Fenced        bool   `expr:"fenced"`
	AccessControl bool   `expr:"access_control"`
	Lighting      bool   `expr:"lighting"`
	Alarm         bool   `expr:"alarm"`
	CCTV          bool   `expr:"cctv"`
	Seals         bool   `expr:"seals"`
}

// Security describes security measures.
type Security struct {
	SealStandard     string   `expr:"seal_standard"`
	Procedures       []string `expr:"procedures"`
	ConveyanceChecks bool     `expr:"conveyance_checks"`
	DataProtection   bool     `expr:"data_protection"`
	IncidentPlan     bool     `expr:"incident_plan"`
	PlanTestedDays   int      `expr:"plan_tested_days"`
	SelfAuditDays    int      `expr:"self_audit_days"`
	TrackingShare    float64  `expr:"tracking_share"`
}

// Personnel describes staff and training.
type Personnel struct {
	Staff            int     `expr:"staff"`
	TrainingHours    int     `expr:"training_hours"`
	BackgroundChecks int     `expr:"background_checks"`
	TrainedShare     float64 `expr:"trained_share"`
	TurnoverRate     float64 `expr:"turnover_rate"`
	Screening        bool    `expr:"screening"`
	ContactVerified  bool    `expr:"contact_verified"`
	SecurityTraining bool    `expr:"security_training"`
}

// A Partner is a trading partner.
type Partner struct {
	Country        string `expr:"country"`
	Screened       bool   `expr:"screened"`
	AEO            bool   `expr:"aeo"`
	SecurityClause bool   `expr:"security_clause"`
}

// An Incident is a security incident.
type Incident struct {
	Date     time.Time `expr:"date"`
	Reported bool      `expr:"reported"`
}

// AsOf implements criteria.Subject.
func (o *Operator) AsOf() time.Time { return o.Date }

// HasRole implements criteria.Subject.
func (o *Operator) HasRole(role string) (has, known bool) {
	if o.RoleList == nil {
		return false, false
	}
	for _, r := range o.RoleList {
		if r == role {
			return true, true
		}
	}
	return false, true
}

// BusinessModel implements criteria.Subject.
func (o *Operator) BusinessModel() (string, bool) { return o.Model, o.Model != "" }

// SME implements criteria.Subject.
func (o *Operator) SME() (sme, known bool) {
	if o.IsSME == nil {
		return false, false
	}
	return *o.IsSME, true
}

// Certification implements criteria.Subject; issuers are not checked.
func (o *Operator) Certification(kind string, issuers []string) (string, bool) {
	id, ok := o.Certificates[kind]
	return id, ok
}

// Fact implements criteria.Subject.
func (o *Operator) Fact(name string) (any, bool) {
	v, ok := o.Extra[name]
	return v, ok
}

var asOf = time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)

// Operators generates n operators from seed. Most are sound applicants
// with a few failings; some lack whole records or optional figures, so
// that every outcome occurs. Missing facts are whole records, optional
// numbers or declared facts, never parts of a record: a record present
// is complete (strings set, lists not nil), as the profile's loader
// guarantees.
func Operators(seed uint64, n int) []*Operator {
	rnd := rand.New(rand.NewPCG(seed, 7))
	chance := func(p float64) bool { return rnd.Float64() < p }
	pick := func(xs ...string) string { return xs[rnd.IntN(len(xs))] }
	day := func(maxYears int) time.Time { return asOf.AddDate(0, 0, -rnd.IntN(maxYears*365)) }
	intp := func(lo, hi int) *int { x := lo + rnd.IntN(hi-lo+1); return &x }
	roles := []string{"importer", "exporter", "carrier", "warehouse", "broker"}
	out := make([]*Operator, n)
	for i := range out {
		o := &Operator{Date: asOf, Country: pick("DE", "FR", "NL", "BE", "IT", "ES", "PL", "CN", "US", "XX"), Model: pick("", "1", "3")}
		for _, r := range roles {
			if chance(0.35) {
				o.RoleList = append(o.RoleList, r)
			}
		}
		if o.RoleList == nil {
			o.RoleList = []string{"importer"}
		}
		if chance(0.8) {
			sme := chance(0.4)
			o.IsSME = &sme
		}
		if chance(0.93) {
			o.YearsTrading = intp(0, 25)
		}
		if chance(0.95) {
			o.Employees = intp(0, 400)
		}
		if chance(0.95) {
			c := &Compliance{Infringements: []Infringement{}, UnpaidDuties: chance(0.02), ErrorRate: rnd.Float64() * 0.022, Declarations: rnd.IntN(5000)}
			for k := rnd.IntN(3); k > 0; k-- {
				c.Infringements = append(c.Infringements, Infringement{Date: day(6), Severity: pick("minor", "minor", "minor", "minor", "minor", "minor", "serious", "repeated")})
			}
			o.Compliance = c
		}
		if chance(0.95) {
			o.Records = &Records{AuditTrail: chance(0.98), Archiving: chance(0.98), InternalControls: chance(0.97), CustomsAccess: chance(0.97), ITSecurity: chance(0.97), RetentionYears: 4 + rnd.IntN(8)}
		}
		o.Financials = []FinancialYear{}
		years := 3 + rnd.IntN(2)
		if chance(0.05) {
			years = 1 + rnd.IntN(2)
		}
		for y, k := 2024, years; k > 0; y, k = y-1, k-1 {
			assets := 1e6 + rnd.Float64()*9e6
			o.Financials = append(o.Financials, FinancialYear{Year: y, TotalAssets: assets, Equity: assets * (rnd.Float64()*0.45 + 0.19),
				Profit: (rnd.Float64() - 0.2) * 1e6, Insolvency: chance(0.01), TaxesPaid: chance(0.99)})
		}
		o.Sites = []Site{}
		for k := 1 + rnd.IntN(3); k > 0; k-- {
			o.Sites = append(o.Sites, Site{Kind: pick("office", "warehouse", "yard", "plant"), Fenced: chance(0.97), AccessControl: chance(0.97),
				Lighting: chance(0.97), Alarm: chance(0.8), CCTV: chance(0.95), Seals: chance(0.95)})
		}
		if chance(0.94) {
			s := &Security{SealStandard: pick("ISO 17712", "ISO 17712", "ISO 17712", "PAS 17712", "none"), Procedures: []string{}, ConveyanceChecks: chance(0.97),
				DataProtection: chance(0.97), IncidentPlan: chance(0.97), PlanTestedDays: rnd.IntN(420), SelfAuditDays: rnd.IntN(400), TrackingShare: 0.2 + rnd.Float64()*0.8}
			for _, p := range []string{"notify", "backup", "encryption", "access-log", "visitor-log"} {
				if chance(0.85) {
					s.Procedures = append(s.Procedures, p)
				}
			}
			o.Security = s
		}
		if chance(0.95) {
			staff := 1 + rnd.IntN(300)
			o.Personnel = &Personnel{Staff: staff, TrainingHours: staff * (3 + rnd.IntN(8)), BackgroundChecks: staff - rnd.IntN(staff/12+1),
				TrainedShare: 0.78 + rnd.Float64()*0.22, TurnoverRate: rnd.Float64() * 0.4, Screening: chance(0.97), ContactVerified: chance(0.98), SecurityTraining: chance(0.9)}
		}
		o.Partners = []Partner{}
		for k := rnd.IntN(6); k > 0; k-- {
			o.Partners = append(o.Partners, Partner{Country: pick("DE", "FR", "CN", "US", "BR", "DE", "FR", "CN", "US", "NL", "IT", "ES", "PL", "JP", "KR", "IN", "BR", "MX", "CA", "XX"), Screened: chance(0.97), AEO: chance(0.8), SecurityClause: chance(0.95)})
		}
		o.Incidents = []Incident{}
		for k := rnd.IntN(4); k > 0; k-- {
			o.Incidents = append(o.Incidents, Incident{Date: day(4), Reported: chance(0.95)})
		}
		if chance(0.15) {
			o.Certificates = map[string]string{"ISO 28000": "cert-1"}
		}
		o.Extra = map[string]any{}
		if chance(0.9) {
			o.Extra["authorised_representative"] = chance(0.9)
		}
		if chance(0.9) {
			o.Extra["customs_debt_eur"] = rnd.Float64() * 1100
		}
		out[i] = o
	}
	return out
}

// A tri is a three-valued truth: the handwritten rules return unknown
// when a fact they read is missing.
type tri uint8

const (
	unknown tri = iota
	yes
	no
)

func of(b bool) tri {
	if b {
		return yes
	}
	return no
}

// within is the engine's within(d, "Ny"): d falls in the n years that
// end on the assessment date, inclusive.
func within(d, asOf time.Time, years int) bool {
	start := calendar.Date(calendar.Years(years).Negate().AddTo(asOf))
	day := calendar.Date(d)
	return day.After(start) && !day.After(calendar.Date(asOf))
}

func inList(s string, list ...string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// goRules are the 50 requirements of testdata/assess.yaml written in Go,
// keyed by requirement ID: "when", "partly" and "sme" conditions.
var goRules = map[string]func(o *Operator) tri{
	"A.1": func(o *Operator) tri {
		if o.Compliance == nil {
			return unknown
		}
		for _, x := range o.Compliance.Infringements {
			if (x.Severity == "serious" || x.Severity == "repeated") && within(x.Date, o.Date, 3) {
				return no
			}
		}
		return yes
	},
	"A.2":        func(o *Operator) tri { return recent(o, 3) },
	"A.2/partly": func(o *Operator) tri { return recent(o, 6) },
	"A.3": func(o *Operator) tri {
		if o.Compliance == nil {
			return unknown
		}
		return of(!o.Compliance.UnpaidDuties)
	},
	"A.4":     func(o *Operator) tri { return intAtLeast(o.YearsTrading, 3) },
	"A.4/sme": func(o *Operator) tri { return intAtLeast(o.YearsTrading, 1) },
	"A.5": func(o *Operator) tri {
		if o.Compliance == nil {
			return unknown
		}
		return of(o.Compliance.ErrorRate < 0.02 || o.Compliance.Declarations < 100)
	},
	"B.1": func(o *Operator) tri {
		if o.Records == nil {
			return unknown
		}
		return of(o.Records.AuditTrail && o.Records.Archiving)
	},
	"B.2": func(o *Operator) tri {
		if o.Records == nil {
			return unknown
		}
		return of(o.Records.RetentionYears >= 5)
	},
	"B.3": func(o *Operator) tri {
		if o.Records == nil {
			return unknown
		}
		return of(o.Records.InternalControls)
	},
	"B.4": func(o *Operator) tri {
		if o.Records == nil {
			return unknown
		}
		return of(o.Records.CustomsAccess)
	},
	"C.1": func(o *Operator) tri { return of(len(o.Financials) >= 3) },
	"C.2": func(o *Operator) tri {
		for _, y := range o.Financials {
			if !(y.Equity > 0) {
				return no
			}
		}
		return yes
	},
	"C.3": func(o *Operator) tri {
		for _, y := range o.Financials {
			if y.Insolvency {
				return no
			}
		}
		return yes
	},
	"C.4": func(o *Operator) tri {
		for _, y := range o.Financials {
			if !(y.TotalAssets > 0 && y.Equity/y.TotalAssets >= 0.2) {
				return no
			}
		}
		return yes
	},
	"C.5": func(o *Operator) tri {
		sum := 0.0
		for _, y := range o.Financials {
			sum = y.Profit + sum
		}
		return of(sum > 0)
	},
	"C.6": func(o *Operator) tri {
		for _, y := range o.Financials {
			if !y.TaxesPaid {
				return no
			}
		}
		return yes
	},
	"D.1": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(o.Personnel.ContactVerified)
	},
	"D.2": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(inList("notify", o.Security.Procedures...))
	},
	"D.3": func(o *Operator) tri {
		v, ok := o.Extra["authorised_representative"].(bool)
		if !ok {
			return unknown
		}
		return of(v)
	},
	"E.1": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(o.Personnel.TrainedShare >= 0.8)
	},
	"E.2": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(float64(o.Personnel.TrainingHours)/float64(o.Personnel.Staff) >= 4)
	},
	"E.3": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(o.Personnel.SecurityTraining)
	},
	"F.1": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.DataProtection)
	},
	"F.2": func(o *Operator) tri {
		if o.Records == nil {
			return unknown
		}
		return of(o.Records.ITSecurity)
	},
	"F.3": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		n := 0
		for _, p := range o.Security.Procedures {
			if p == "backup" || p == "encryption" || p == "access-log" {
				n++
			}
		}
		return of(n >= 2)
	},
	"G.1": func(o *Operator) tri {
		for _, s := range o.Sites {
			if !(s.Seals || s.Kind != "warehouse") {
				return no
			}
		}
		return yes
	},
	"G.2": func(o *Operator) tri {
		n := 0
		for _, s := range o.Sites {
			if s.CCTV {
				n++
			}
		}
		return of(float64(n) >= float64(len(o.Sites))*0.8)
	},
	"G.3": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.SealStandard == "ISO 17712" || o.Security.SealStandard == "PAS 17712")
	},
	"G.4": func(o *Operator) tri {
		for _, s := range o.Sites {
			if !s.Fenced {
				return no
			}
		}
		return yes
	},
	"H.1": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.ConveyanceChecks)
	},
	"H.2": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.TrackingShare >= 0.5)
	},
	"H.2/partly": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.TrackingShare >= 0.25)
	},
	"H.3": func(o *Operator) tri {
		for _, s := range o.Sites {
			if !(s.Kind != "yard" || s.Alarm) {
				return no
			}
		}
		return yes
	},
	"I.1": func(o *Operator) tri {
		for _, s := range o.Sites {
			if !(s.Fenced && s.AccessControl) {
				return no
			}
		}
		return yes
	},
	"I.2": func(o *Operator) tri {
		for _, s := range o.Sites {
			if !s.Lighting {
				return no
			}
		}
		return yes
	},
	"I.3": func(o *Operator) tri {
		for _, s := range o.Sites {
			if s.Alarm {
				return yes
			}
		}
		return no
	},
	"I.4": func(o *Operator) tri { return of(len(o.Sites) > 0) },
	"J.1": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(o.Personnel.Screening)
	},
	"J.2": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(o.Personnel.TurnoverRate < 0.3)
	},
	"J.2/partly": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(o.Personnel.TurnoverRate < 0.5)
	},
	"J.3": func(o *Operator) tri {
		if o.Personnel == nil {
			return unknown
		}
		return of(float64(o.Personnel.BackgroundChecks) >= float64(o.Personnel.Staff)*0.9)
	},
	"J.4": func(o *Operator) tri {
		if o.Employees == nil {
			return unknown
		}
		return of(*o.Employees > 0)
	},
	"K.1": func(o *Operator) tri {
		for _, p := range o.Partners {
			if !p.Screened {
				return no
			}
		}
		return yes
	},
	"K.2": func(o *Operator) tri {
		n := 0
		for _, p := range o.Partners {
			if p.AEO {
				n++
			}
		}
		return of(n*2 >= len(o.Partners))
	},
	"K.3": func(o *Operator) tri {
		for _, p := range o.Partners {
			if p.Country == "XX" || p.Country == "YY" || p.Country == "ZZ" {
				return no
			}
		}
		return yes
	},
	"K.4": func(o *Operator) tri {
		for _, p := range o.Partners {
			if !(p.SecurityClause || p.AEO) {
				return no
			}
		}
		return yes
	},
	"L.1": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.IncidentPlan && o.Security.PlanTestedDays <= 365)
	},
	"L.2": func(o *Operator) tri {
		for _, x := range o.Incidents {
			if within(x.Date, o.Date, 1) && !x.Reported {
				return no
			}
		}
		return yes
	},
	"L.3": func(o *Operator) tri {
		n := 0
		for _, x := range o.Incidents {
			if within(x.Date, o.Date, 3) {
				n++
			}
		}
		return of(n < 5)
	},
	"M.1": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.SelfAuditDays <= 365)
	},
	"M.2": func(o *Operator) tri {
		if o.Security == nil {
			return unknown
		}
		return of(o.Security.SelfAuditDays <= 180)
	},
	"M.3": func(o *Operator) tri {
		v, ok := o.Extra["customs_debt_eur"].(float64)
		if !ok {
			return unknown
		}
		return of(v < 1000)
	},
	"M.4": func(o *Operator) tri {
		switch o.Country {
		case "DE", "FR", "NL", "BE", "IT", "ES":
			return yes
		}
		return intAtLeast(o.YearsTrading, 10)
	},
}

func recent(o *Operator, max int) tri {
	if o.Compliance == nil {
		return unknown
	}
	n := 0
	for _, x := range o.Compliance.Infringements {
		if within(x.Date, o.Date, 3) {
			n++
		}
	}
	return of(n <= max)
}

func intAtLeast(p *int, min int) tri {
	if p == nil {
		return unknown
	}
	return of(*p >= min)
}

// An Assessment is what the three forms of the assess workload compute:
// the outcome of each requirement and criterion, in declaration order, and
// the recommendation on each authorization. It has room for the fixture
// programme without allocating.
type Assessment struct {
	Requirements [64]criteria.Outcome
	Criteria     [16]criteria.Outcome
	Scores       [16]float64
	Auth         [4]criteria.Recommendation
}

// A Decision is what criterion and authorization expressions read: the
// tallies of a group, the criteria, the score. It mirrors criteria's
// decision environment.
type Decision struct {
	criteria.Tally
	Required criteria.Tally                     `expr:"required"`
	Desired  criteria.Tally                     `expr:"desired"`
	Bonus    criteria.Tally                     `expr:"bonus"`
	Score    float64                            `expr:"score"`
	Criteria map[string]*criteria.CriterionView `expr:"criteria"`
}

// levels tallies a group by level, as package criteria does.
type levels struct{ all, required, desired, bonus criteria.Tally }

func addTally(t *criteria.Tally, o criteria.Outcome, points, weight float64) {
	switch o {
	case criteria.Met:
		t.Met++
	case criteria.Partly:
		t.Partly++
	case criteria.NotMet:
		t.NotMet++
	case criteria.Indeterminate:
		t.Indeterminate++
	case criteria.NotApplicable:
		t.NotApplicable++
		return
	case criteria.Equivalent:
		t.Equivalent++
	}
	t.Applicable++
	t.Points += points
	t.Weight += weight
	switch o {
	case criteria.Met, criteria.Equivalent:
		t.WeightMet += weight
	case criteria.Partly:
		t.WeightPartly += weight
	}
}

func (l *levels) add(lv criteria.Level, o criteria.Outcome, points, weight float64) {
	switch lv {
	case criteria.Desired:
		addTally(&l.desired, o, points, weight)
	case criteria.Bonus:
		addTally(&l.bonus, o, points, weight)
		l.all.Points += points
		return
	default:
		addTally(&l.required, o, points, weight)
	}
	addTally(&l.all, o, points, weight)
}

func mergeTally(t *criteria.Tally, u criteria.Tally) {
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

// Rules is how a form of the assess workload evaluates the programme's
// expressions; the decisions around them are Plan's.
type Rules interface {
	// Rule evaluates the when ("" ), "partly" or "sme" condition of
	// requirement i.
	Rule(i int, which string, o *Operator) tri
	// Score and Pass evaluate criterion c's expressions; ok is false when
	// the criterion has none.
	Score(c int, d *Decision) (v float64, ok bool)
	Pass(c int, d *Decision) (v, ok bool)
	// Grant evaluates authorization a's grant; ok is false when it has
	// none, known false when it cannot be decided.
	Grant(a int, d *Decision) (v, known, ok bool)
}

// A Plan is a programme's requirements, criteria and authorizations laid
// out for the Go and expr forms: the decisions criteria.Set.Evaluate
// takes, for this programme's features.
type Plan struct {
	cfg      criteria.Config
	reqCrit  []int
	critAuth [][]int
	partly   []bool
	sme      []bool
	weight   []float64
	levels   []criteria.Level
	equiv    []string // certification that satisfies the requirement
}

// NewPlan lays out cfg.
func NewPlan(cfg criteria.Config) *Plan {
	p := &Plan{cfg: cfg}
	crit := map[string]int{}
	for i, c := range cfg.Criteria {
		crit[c.ID] = i
	}
	equiv := map[string]string{}
	for _, e := range cfg.Equivalences {
		for _, id := range e.Satisfies {
			equiv[id] = e.Certification
		}
	}
	for _, r := range cfg.Requirements {
		p.reqCrit = append(p.reqCrit, crit[r.Criterion])
		p.partly = append(p.partly, r.Partly != "")
		p.sme = append(p.sme, r.SME != nil)
		w := r.Weight
		if w == 0 {
			w = 1
		}
		p.weight = append(p.weight, w)
		lv := r.Level
		if lv == "" {
			lv = criteria.Required
		}
		p.levels = append(p.levels, lv)
		p.equiv = append(p.equiv, equiv[r.ID])
	}
	for _, a := range cfg.Authorizations {
		var cs []int
		for _, id := range a.Criteria {
			cs = append(cs, crit[id])
		}
		if len(cs) == 0 {
			for i := range cfg.Criteria {
				cs = append(cs, i)
			}
		}
		p.critAuth = append(p.critAuth, cs)
	}
	return p
}

// Assess assesses o into out, evaluating expressions with rules. d is
// scratch space for decisions.
func (p *Plan) Assess(o *Operator, rules Rules, d *Decision, out *Assessment) {
	var crit [16]levels
	for i, r := range p.cfg.Requirements {
		oc := p.decide(i, &r, o, rules)
		out.Requirements[i] = oc
		points := 0.0
		if p.levels[i] == criteria.Bonus && oc.Satisfied() {
			points = r.Points
		}
		crit[p.reqCrit[i]].add(p.levels[i], oc, points, p.weight[i])
	}
	for c := range p.cfg.Criteria {
		l := &crit[c]
		d.Tally, d.Required, d.Desired, d.Bonus, d.Score = l.all, l.required, l.desired, l.bonus, 0
		out.Scores[c] = 0
		if v, ok := rules.Score(c, d); ok {
			out.Scores[c], d.Score = v, v
		}
		if l.all.Applicable == 0 && l.bonus.Applicable == 0 {
			out.Criteria[c] = criteria.NotApplicable
			continue
		}
		pass, ok := rules.Pass(c, d)
		if !ok {
			pass = l.required.NotMet == 0 && l.required.Partly == 0 && l.required.Indeterminate == 0
		}
		switch {
		case pass:
			out.Criteria[c] = criteria.Met
		case p.cfg.Criteria[c].Pass == "" && (l.required.NotMet > 0 || l.required.Partly > 0):
			// Under the default rule a required requirement not met
			// decides, whatever is undecided (as criteria does).
			out.Criteria[c] = criteria.NotMet
		case l.all.Indeterminate > 0:
			out.Criteria[c] = criteria.Indeterminate
		default:
			out.Criteria[c] = criteria.NotMet
		}
	}
	if d.Criteria == nil {
		d.Criteria = map[string]*criteria.CriterionView{}
		for _, c := range p.cfg.Criteria {
			d.Criteria[c.ID] = &criteria.CriterionView{}
		}
	}
	for c, cc := range p.cfg.Criteria {
		l := &crit[c]
		*d.Criteria[cc.ID] = criteria.CriterionView{Tally: l.all, Required: l.required, Desired: l.desired, Bonus: l.bonus,
			Score: out.Scores[c], Passed: out.Criteria[c] == criteria.Met}
	}
	for a := range p.cfg.Authorizations {
		var l levels
		failed, pending := 0, 0
		for _, c := range p.critAuth[a] {
			mergeTally(&l.all, crit[c].all)
			mergeTally(&l.required, crit[c].required)
			mergeTally(&l.desired, crit[c].desired)
			mergeTally(&l.bonus, crit[c].bonus)
			switch out.Criteria[c] {
			case criteria.NotMet:
				failed++
			case criteria.Indeterminate:
				pending++
			}
		}
		d.Tally, d.Required, d.Desired, d.Bonus, d.Score = l.all, l.required, l.desired, l.bonus, 0
		grant := failed == 0 && pending == 0
		v, known, explicit := rules.Grant(a, d)
		switch {
		case explicit && !known:
			out.Auth[a] = criteria.Pending
			continue
		case explicit:
			grant = v
		}
		switch {
		case grant:
			out.Auth[a] = criteria.Recommend
		case !explicit && failed > 0:
			out.Auth[a] = criteria.Refuse
		case pending > 0:
			out.Auth[a] = criteria.Pending
		default:
			out.Auth[a] = criteria.Refuse
		}
	}
}

// decide is criteria's decision for one requirement of this programme:
// roles, equivalence, SME alternative, the rule, partly.
func (p *Plan) decide(i int, r *criteria.Requirement, o *Operator, rules Rules) criteria.Outcome {
	if len(r.Roles) > 0 {
		hit := false
		for _, role := range r.Roles {
			has, _ := o.HasRole(role)
			hit = hit || has
		}
		if !hit {
			return criteria.NotApplicable
		}
	}
	if p.equiv[i] != "" {
		if _, ok := o.Certification(p.equiv[i], nil); ok {
			return criteria.Equivalent
		}
	}
	which := ""
	if p.sme[i] {
		if sme, known := o.SME(); known && sme {
			which = "sme"
		}
	}
	switch rules.Rule(i, which, o) {
	case yes:
		return criteria.Met
	case unknown:
		return criteria.Indeterminate
	}
	if p.partly[i] && rules.Rule(i, "partly", o) == yes {
		return criteria.Partly
	}
	return criteria.NotMet
}

// GoRules is the handwritten Go form of the fixture programme.
type GoRules struct {
	rules [][3]func(*Operator) tri // when, partly, sme by requirement
}

// NewGoRules binds the handwritten rules to cfg's requirements.
func NewGoRules(cfg criteria.Config) *GoRules {
	g := &GoRules{}
	for _, r := range cfg.Requirements {
		g.rules = append(g.rules, [3]func(*Operator) tri{goRules[r.ID], goRules[r.ID+"/partly"], goRules[r.ID+"/sme"]})
	}
	return g
}

// Rule implements Rules.
func (g *GoRules) Rule(i int, which string, o *Operator) tri {
	switch which {
	case "partly":
		return g.rules[i][1](o)
	case "sme":
		return g.rules[i][2](o)
	}
	return g.rules[i][0](o)
}

// Score implements Rules: C's score is the weighted share met.
func (g *GoRules) Score(c int, d *Decision) (float64, bool) {
	if c != 2 {
		return 0, false
	}
	return 100 * d.WeightMet / d.Weight, true
}

// Pass implements Rules: C passes at 75, M with at most one item not met
// and none undecided.
func (g *GoRules) Pass(c int, d *Decision) (bool, bool) {
	switch c {
	case 2:
		return d.Score >= 75, true
	case 12:
		return d.NotMet <= 1 && d.Indeterminate == 0, true
	}
	return false, false
}

// Grant implements Rules: AEOS's explicit grant.
func (g *GoRules) Grant(a int, d *Decision) (bool, bool, bool) {
	if a != 1 {
		return false, false, false
	}
	return d.Required.NotMet == 0 && d.Required.Indeterminate == 0 && d.Criteria["C"].Score >= 75 && d.Criteria["G"].Passed, true, true
}

// ---------------------------------------------------------------- risk

// A RiskInput is what the risk score of one operator reads.
type RiskInput struct {
	AEO                  bool    `expr:"aeo"`
	YearsTrading         int     `expr:"years_trading"`
	Infringements3y      int     `expr:"infringements_3y"`
	SeriousInfringements int     `expr:"serious_infringements"`
	LateRate             float64 `expr:"late_rate"`
	ErrorRate            float64 `expr:"error_rate"`
	DebtRatio            float64 `expr:"debt_ratio"`
	UnpaidDuties         float64 `expr:"unpaid_duties"`
	OriginRisk           float64 `expr:"origin_risk"`
	HighRiskShare        float64 `expr:"high_risk_share"`
	Sector               string  `expr:"sector"`
}

// A Dimension is one dimension of the risk score: an expression giving
// 0..100 (clamped) and its weight.
type Dimension struct {
	Name   string
	Weight float64
	Expr   string
}

// RiskModel is the five-dimension model. The expressions are what a risk
// analyst writes: mixed ints and floats, ternaries, list membership.
var RiskModel = []Dimension{
	{"compliance", 0.30, "min(100, 25 * serious_infringements + 10 * infringements_3y + 200 * error_rate + (late_rate > 0.1 ? 15 : 0))"},
	{"financial", 0.20, "(debt_ratio > 2 ? 80 : debt_ratio > 1 ? 40 : 10) + (unpaid_duties > 0 ? 20 : 0)"},
	{"origin", 0.20, "100 * origin_risk * (aeo ? 0.5 : 1.0)"},
	{"goods", 0.20, "100 * high_risk_share + (sector in ['chemicals', 'weapons', 'tobacco', 'pharma'] ? 30 : 0)"},
	{"history", 0.10, "(years_trading < 2 ? 60 : years_trading < 5 ? 30 : 0) + (aeo ? 0 : 20)"},
}

// RiskLevels are the thresholds of the levels, highest first.
var RiskLevels = []struct {
	Level string
	Min   float64
}{{"high", 70}, {"medium", 40}, {"low", 0}}

// Clamp limits x to 0..100.
func Clamp(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case x > 100:
		return 100
	}
	return x
}

// Level returns the level of a score.
func Level(score float64) string {
	for _, l := range RiskLevels {
		if score >= l.Min {
			return l.Level
		}
	}
	return RiskLevels[len(RiskLevels)-1].Level
}

// RiskGo is the handwritten Go form of RiskModel.
func RiskGo(in *RiskInput) (float64, string) {
	var d [5]float64
	late := 0
	if in.LateRate > 0.1 {
		late = 15
	}
	d[0] = min(100, float64(25*in.SeriousInfringements+10*in.Infringements3y)+200*in.ErrorRate+float64(late))
	fin := 10
	switch {
	case in.DebtRatio > 2:
		fin = 80
	case in.DebtRatio > 1:
		fin = 40
	}
	if in.UnpaidDuties > 0 {
		fin += 20
	}
	d[1] = float64(fin)
	aeo := 1.0
	if in.AEO {
		aeo = 0.5
	}
	d[2] = 100 * in.OriginRisk * aeo
	d[3] = 100 * in.HighRiskShare
	switch in.Sector {
	case "chemicals", "weapons", "tobacco", "pharma":
		d[3] += 30
	}
	hist := 0
	switch {
	case in.YearsTrading < 2:
		hist = 60
	case in.YearsTrading < 5:
		hist = 30
	}
	if !in.AEO {
		hist += 20
	}
	d[4] = float64(hist)
	score := 0.0
	for i, dim := range RiskModel {
		score += dim.Weight * Clamp(d[i])
	}
	score = Clamp(score)
	return score, Level(score)
}

// RiskInputs generates n inputs from seed.
func RiskInputs(seed uint64, n int) []*RiskInput {
	rnd := rand.New(rand.NewPCG(seed, 11))
	sectors := []string{"textiles", "machinery", "chemicals", "food", "electronics", "pharma", "tobacco"}
	out := make([]*RiskInput, n)
	for i := range out {
		out[i] = &RiskInput{AEO: rnd.IntN(3) == 0, YearsTrading: rnd.IntN(30), Infringements3y: rnd.IntN(6) * rnd.IntN(2),
			SeriousInfringements: rnd.IntN(2) * rnd.IntN(2), LateRate: rnd.Float64() * 0.3, ErrorRate: rnd.Float64() * 0.1,
			DebtRatio: rnd.Float64() * 3, UnpaidDuties: float64(rnd.IntN(4)/3) * rnd.Float64() * 1e4,
			OriginRisk: rnd.Float64(), HighRiskShare: rnd.Float64() * rnd.Float64(), Sector: sectors[rnd.IntN(len(sectors))]}
	}
	return out
}

// ---------------------------------------------------------------- lane

// A Declaration is what the lane rule of one customs declaration reads.
// Draw is the random draw, made when the declaration is lodged so that
// the decision can be replayed.
type Declaration struct {
	AEOStatus  string  `expr:"aeo_status"`
	HSChapter  int     `expr:"hs_chapter"`
	Origin     string  `expr:"origin"`
	OriginRisk float64 `expr:"origin_risk"`
	Value      float64 `expr:"value"`
	Draw       float64 `expr:"draw"`
}

// Lanes are the selectivity rules, first match wins; a declaration no rule
// selects goes green.
var Lanes = []struct{ Lane, When string }{
	{"red", "hs_chapter in [93, 36] || origin_risk >= 0.9 && aeo_status == '' || draw < (aeo_status == 'AEOF' ? 0.002 : 0.01)"},
	{"yellow", "value > 100000 && aeo_status == '' || origin_risk >= 0.6 && draw < 0.2 || hs_chapter in [28, 29, 38] && aeo_status not in ['AEOS', 'AEOF']"},
}

// LaneGo is the handwritten Go form of Lanes.
func LaneGo(d *Declaration) string {
	limit := 0.01
	if d.AEOStatus == "AEOF" {
		limit = 0.002
	}
	if d.HSChapter == 93 || d.HSChapter == 36 || d.OriginRisk >= 0.9 && d.AEOStatus == "" || d.Draw < limit {
		return "red"
	}
	chem := d.HSChapter == 28 || d.HSChapter == 29 || d.HSChapter == 38
	if d.Value > 100000 && d.AEOStatus == "" || d.OriginRisk >= 0.6 && d.Draw < 0.2 || chem && d.AEOStatus != "AEOS" && d.AEOStatus != "AEOF" {
		return "yellow"
	}
	return "green"
}

// Declarations generates n declarations from seed.
func Declarations(seed uint64, n int) []*Declaration {
	rnd := rand.New(rand.NewPCG(seed, 13))
	statuses := []string{"", "", "", "AEOC", "AEOS", "AEOF"}
	chapters := []int{1, 8, 28, 29, 36, 38, 39, 61, 84, 85, 87, 93}
	origins := []string{"CN", "US", "TR", "VN", "IN", "XX"}
	out := make([]*Declaration, n)
	for i := range out {
		out[i] = &Declaration{AEOStatus: statuses[rnd.IntN(len(statuses))], HSChapter: chapters[rnd.IntN(len(chapters))],
			Origin: origins[rnd.IntN(len(origins))], OriginRisk: rnd.Float64(), Value: rnd.ExpFloat64() * 30000, Draw: rnd.Float64()}
	}
	return out
}
