package aeo

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/safe-aeo/engine/internal/rules"
)

func ptr[T any](v T) *T { return &v }

// realisticProfile is an established importer and exporter with a full
// application: compliance history, records, three years of accounts,
// certifications, security and personnel measures, partners and an answer
// to every self-assessment question of p.
func realisticProfile(p *Programme) *Profile {
	sa := map[string]string{}
	for _, r := range p.File().Requirements {
		sa[r.ID] = "yes"
	}
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return &Profile{
		OperatorID: "GB123456789000", Name: "Northwind Trading Ltd", Country: "GB",
		Roles: []string{"importer", "exporter"}, SME: ptr(false), Employees: ptr(240),
		Established: day("2009-04-01"), YearsTrading: ptr(15), DeclarationsPerYear: ptr(4200),
		Compliance: &Compliance{
			Infringements: []Infringement{
				{Date: day("2023-02-11"), Severity: "minor", Kind: "customs", Person: "applicant", Disclosed: true, Corrected: true},
				{Date: day("2019-06-01"), Severity: "serious", Kind: "customs", Person: "applicant", Corrected: true},
			},
			UnpaidDuties: ptr(false), DesignatedPersonsChecked: ptr(true), DeclarationQuality: ptr(true), ComplianceScore: ptr(92.5),
		},
		Records: &Records{AuditTrail: ptr(true), CustomsAccess: ptr(true), InternalControls: ptr(true), Archiving: ptr(true),
			ITSecurity: ptr(true), Integrated: ptr(true), GoodsStatus: ptr(true), Licences: ptr(true), RetentionYears: ptr(10)},
		Financials: []FinancialYear{
			{Year: 2022, NetAssets: 3.1e6, Equity: 2.9e6, Liabilities: 4.0e6, Turnover: 31e6, Profit: 0.8e6, DebtRatio: 138, IndustryDebtRatio: 150, TaxesPaid: true},
			{Year: 2023, NetAssets: 3.4e6, Equity: 3.2e6, Liabilities: 4.1e6, Turnover: 33e6, Profit: 0.9e6, DebtRatio: 128, IndustryDebtRatio: 150, TaxesPaid: true},
			{Year: 2024, NetAssets: 3.9e6, Equity: 3.6e6, Liabilities: 4.3e6, Turnover: 36e6, Profit: 1.1e6, DebtRatio: 119, IndustryDebtRatio: 150, TaxesPaid: true},
		},
		Certifications: []Certification{{Kind: "ISO 9001", Issuer: "BSI", ID: "Q-1", ValidFrom: day("2022-01-01"), ValidUntil: day("2027-01-01")}},
		Sites:          []Site{{ID: "S1", Kind: "warehouse", Country: "GB", Secured: true}, {ID: "S2", Kind: "office", Country: "GB", Secured: true}},
		Security: &Security{SecurityManual: ptr(true), SealsISO17712: ptr(true), SealProcedures: ptr(true), SealOfficer: ptr(true),
			UnitInspection: ptr(true), IncidentReporting: ptr(true), ConveyanceSecured: ptr(true), ConveyanceInspection: ptr(true),
			ConveyanceTraining: ptr(true), AccessControl: ptr(true), Perimeter: ptr(true), Lighting: ptr(true), Alarms: ptr(true),
			ContingencyPlan: ptr(true), ContingencyTested: ptr(true), RiskAssessed: day("2024-09-01"), SelfReviewed: day("2024-10-01")},
		Personnel: &Personnel{PreEmploymentScreening: ptr(true), PeriodicChecks: ptr(true), IdentityBadges: ptr(true), ExitProcedure: ptr(true),
			SecurityTraining: ptr(true), TrainingRecords: ptr(true), TrainedShare: ptr(0.96)},
		Competence: &Competence{ExperienceYears: ptr(12.0), Training: ptr(true), QualityStandard: ptr(false), Outsourced: ptr(false)},
		Partners: []TradingPartner{
			{Name: "Contoso Shipping", Country: "NL", Role: "carrier", SecurityClause: true, AEO: true, Reviewed: true},
			{Name: "Fabrikam", Country: "CN", Role: "supplier", SecurityClause: true, Reviewed: true},
		},
		Incidents:      []Incident{},
		SelfAssessment: sa,
	}
}

var benchAsOf = time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)

// BenchmarkAssess assesses a realistic application against the SAFE
// baseline, explanations and all. BenchmarkAssessExprVM runs the same
// requirement expressions, compiled by expr against the same environment,
// on expr's VM with nothing else: what a host calling expr directly would
// pay. BenchmarkAssessRules runs them through the engine's evaluator
// alone, without findings, tallies or explanations.
func BenchmarkAssess(b *testing.B) {
	p, err := Baseline()
	if err != nil {
		b.Fatal(err)
	}
	prof := realisticProfile(p)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		a, err := p.Assess(ctx, prof, benchAsOf)
		if err != nil {
			b.Fatal(err)
		}
		if len(a.Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}

// BenchmarkAssessInto replays the assessment into one reused Assessment,
// as a host replaying a programme over its register does.
func BenchmarkAssessInto(b *testing.B) {
	p, err := Baseline()
	if err != nil {
		b.Fatal(err)
	}
	prof := realisticProfile(p)
	ctx := context.Background()
	var a Assessment
	b.ReportAllocs()
	for b.Loop() {
		if err := p.AssessInto(ctx, prof, benchAsOf, &a); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAssessIntoParallel(b *testing.B) {
	p, err := Baseline()
	if err != nil {
		b.Fatal(err)
	}
	prof := realisticProfile(p)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		var a Assessment
		for pb.Next() {
			if err := p.AssessInto(ctx, prof, benchAsOf, &a); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkAssessExprVM(b *testing.B) { benchRules(b, true) }

func BenchmarkAssessRules(b *testing.B) { benchRules(b, false) }

func benchRules(b *testing.B, vmOnly bool) {
	p, err := Baseline()
	if err != nil {
		b.Fatal(err)
	}
	m, err := rules.NewModel(&env{}, rules.WithFuncs(rawFuncs()...))
	if err != nil {
		b.Fatal(err)
	}
	var progs []*rules.Program
	for _, r := range p.File().Requirements {
		prog, err := m.Compile(r.When, rules.Bool)
		if err != nil {
			b.Fatal(err)
		}
		progs = append(progs, prog)
	}
	e := &env{Profile: realisticProfile(p), Date: benchAsOf}
	r := m.Runner()
	defer r.Release()
	b.ReportAllocs()
	for b.Loop() {
		for _, prog := range progs {
			var err error
			if vmOnly {
				_, err = r.RunVM(prog, e)
			} else {
				_, err = r.Run(prog, e)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}

func rawFuncs() []rules.Func {
	var out []rules.Func
	for _, f := range profileFunctions() {
		out = append(out, rules.Func{Name: f.Name, Fn: f.Fn, Types: f.Types, Env: f.Subject})
	}
	return out
}

func BenchmarkAssessParallel(b *testing.B) {
	p, err := Baseline()
	if err != nil {
		b.Fatal(err)
	}
	prof := realisticProfile(p)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := p.Assess(ctx, prof, benchAsOf); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// generatedProgramme writes a programme of n requirements over 13
// criteria, each rule of the shapes the baseline uses.
func generatedProgramme(n int) []byte {
	var b strings.Builder
	b.WriteString("programme:\n  name: generated\n  version: \"1\"\ncriteria:\n")
	for c := 0; c < 13; c++ {
		fmt.Fprintf(&b, "  - id: C%d\n    title: Criterion %d\n", c, c)
	}
	b.WriteString("requirements:\n")
	shapes := []string{
		`self_assessment["R%d"] == "yes"`,
		`none(compliance.infringements, .severity in ["serious", "criminal"] && within(.date, "3y")) && %d > 0`,
		`all(financials, .net_assets >= 0 || .covered_by != "") && len(financials) >= %d %% 3`,
		`security.access_control && personnel.pre_employment_screening && %d >= 0`,
		`count(partners, .security_clause) >= len(partners) / 2 && %d >= 0`,
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - id: R%d\n    criterion: C%d\n    title: Requirement %d\n    source: generated\n    when: '%s'\n",
			i, i%13, i, strings.ReplaceAll(fmt.Sprintf(shapes[i%len(shapes)], i), "'", "''"))
	}
	b.WriteString("authorizations:\n  - id: AEO\n    title: AEO\n")
	return []byte(b.String())
}

func BenchmarkLoad(b *testing.B) {
	data := generatedProgramme(1000)
	b.ReportAllocs()
	for b.Loop() {
		p, err := Parse("generated.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if len(p.File().Requirements) != 1000 {
			b.Fatal("wrong size")
		}
	}
}
