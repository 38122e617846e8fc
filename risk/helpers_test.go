package risk_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with the file testdata/golden/name, rewriting it
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./risk -update to create it")
	if string(want) != string(got) {
		t.Errorf("%s differs; rerun with -update and review the diff:\n%s", path, got)
	}
}

func ptr[T any](v T) *T { return &v }

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// operatorEnv is a test operator environment, as a host's profile would
// be: optional facts are pointers or slices, nil when not supplied.
type operatorEnv struct {
	AsOf          time.Time      `expr:"as_of"`
	YearsTrading  *int           `expr:"years_trading"`
	Infringements *int           `expr:"infringements"`
	Declarations  *int           `expr:"declarations"`
	Chapters      []string       `expr:"hs_chapters"`
	Procedures    []string       `expr:"procedures"`
	Extra         map[string]any `expr:"-"`
}

func (e *operatorEnv) Fact(name string) (any, bool) {
	v, ok := e.Extra[name]
	return v, ok
}

func fullOperator() *operatorEnv {
	return &operatorEnv{
		AsOf:          day("2025-01-31"),
		YearsTrading:  ptr(12),
		Infringements: ptr(1),
		Declarations:  ptr(5000),
		Chapters:      []string{"08", "22"},
		Procedures:    []string{"customs_warehouse"},
		Extra:         map[string]any{"turnover": 2.5e6},
	}
}

// matrix5 is the usual five-by-five matrix. Its labels are [R] in the
// project's reference: the WCO Risk Management Compendium page could not
// be read.
func matrix5() risk.Matrix {
	return risk.Matrix{
		Likelihood:  []string{"rare", "unlikely", "possible", "likely", "almost_certain"},
		Consequence: []string{"insignificant", "minor", "moderate", "major", "severe"},
		Ratings: []risk.RatingBand{
			{Rating: "low", Min: 1, Weight: 1},
			{Rating: "medium", Min: 5, Weight: 2},
			{Rating: "high", Min: 10, Weight: 4},
			{Rating: "extreme", Min: 17, Weight: 8},
		},
		Source:     "WCO Risk Management Compendium, Vol. 1 (likelihood × consequence)",
		Unverified: true,
		Note:       "[R] the 5×5 labels could not be checked against the compendium",
	}
}

// demo is a risk configuration over operatorEnv: the five dimensions of
// the AEO Implementation Guidance, inherent and finding-based risks, and a
// catalogue of controls.
func demo() risk.Config {
	const guidance = "AEO Implementation Guidance, Phase 4: risk mapping"
	return risk.Config{
		Dimensions: []risk.Dimension{
			{ID: "organisation", Title: "Organisational characteristics", Weight: 1, Score: "years_trading >= 10 ? 10 : years_trading >= 3 ? 40 : 80", Source: guidance},
			{ID: "compliance", Title: "Records of compliance", Weight: 3, Score: "min(100, 25 * infringements)", Source: guidance},
			{ID: "volume", Title: "Volume of business", Weight: 1, Score: "declarations > 10000 ? 70 : declarations > 1000 ? 40 : 20", Source: guidance},
			{ID: "goods", Title: "Type of goods", Weight: 2, Score: `contains_any(hs_chapters, ["22", "24", "27", "93"]) ? 90 : 30`, Source: guidance},
			{ID: "procedures", Title: "Procedures", Weight: 1, Score: `"inward_processing" in procedures || "customs_warehouse" in procedures ? 60 : 20`, Source: guidance},
		},
		Levels: []risk.LevelBand{{Level: "low", Min: 0}, {Level: "medium", Min: 35}, {Level: "high", Min: 65}},
		Matrix: matrix5(),
		Risks: []risk.RiskDecl{
			{ID: "excise", Title: "Excise goods diverted", When: `contains_any(hs_chapters, ["22", "24"])`, Likelihood: "possible", Consequence: "major"},
			{ID: "records", Title: "Unreliable commercial records", Likelihood: "likely", Consequence: "moderate"},
			{ID: "security", Title: "Supply chain security breach", Likelihood: "unlikely", Consequence: "severe"},
			{ID: "valuation", Title: "Undervaluation", Likelihood: "possible", Consequence: "moderate"},
			{ID: "solvency", Title: "Duties not paid", Likelihood: "rare", Consequence: "major"},
		},
		Findings: []risk.FindingRule{
			{Requirements: []string{"B.*"}, Outcomes: []criteria.Outcome{criteria.NotMet}, Risk: "records"},
			{Requirements: []string{"B.*"}, Outcomes: []criteria.Outcome{criteria.Partly}, Risk: "records", Likelihood: "possible"},
			{Criteria: []string{"security"}, Risk: "security"},
			{Requirements: []string{"C.1", "C.2"}, Outcomes: []criteria.Outcome{criteria.NotMet, criteria.Indeterminate}, Risk: "solvency"},
		},
		Controls: []risk.Control{
			{ID: "physical", Title: "Physical inspection of excise consignments", Kind: risk.PhysicalInspection, Addresses: []string{"excise", "security"}, Hours: 4, Frequency: 12, Owner: "border team"},
			{ID: "documents", Title: "Documentary check of valuation", Kind: risk.DocumentaryCheck, Addresses: []string{"valuation"}, Hours: 1, Frequency: 24, Owner: "clearance team"},
			{ID: "accounts", Title: "Accounting control", Kind: risk.AccountingControl, Addresses: []string{"records", "valuation", "solvency"}, Hours: 16, Frequency: 2, Owner: "audit unit"},
			{ID: "pca", Title: "Post-clearance audit", Kind: risk.PostClearanceAudit, Addresses: []string{"records", "excise", "valuation"}, Hours: 40, Frequency: 1, Owner: "audit unit"},
			{ID: "spot", Title: "Unannounced spot check of premises", Kind: risk.SpotCheck, Addresses: []string{"security"}, Hours: 3, Frequency: 4, Owner: "client coordinator"},
			{ID: "self", Title: "Review of the self-assessment", Kind: risk.SelfAssessmentReview, Addresses: []string{"records"}, Hours: 2, Frequency: 1, Owner: "client coordinator"},
		},
		Review: risk.Review{ChangeMethodAfter: calendar.Period{Months: 3}, ReanalyseAfter: calendar.Period{Years: 1}},
	}
}

func demoModel(t testing.TB) *risk.Model {
	t.Helper()
	m, err := risk.Compile(demo(), risk.WithEnv(&operatorEnv{}), risk.WithFacts(criteria.FactDecl{Name: "turnover", Type: "float"}))
	require.NoError(t, err)
	return m
}
