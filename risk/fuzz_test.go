package risk_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/risk"
)

// FuzzCompile: any rule text either compiles or gives ConfigErrors, and a
// profile that compiles selects a lane for any declaration without
// panicking. The same text as a dimension score must compile or give
// ConfigErrors, and map without error.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		`hs_code == "080810" && origin == "US"`,
		`hs_chapter in ["22", "24"] && value > 1000`,
		`procedure startsWith "51" || operator.status == "suspended"`,
		`facts.risk_score >= 80`,
		`days_since(date) > 30`,
		`"AEOS" in operator.types`,
		`value / gross_mass > 1e6`,
		`len(hs_code) != 6`,
		`all(operator.types, # != "AEOS")`,
		`origin matches "^(CN|VN)$"`,
		`years_trading >= 3`,
		`min(100, 25 * infringements)`,
		`value >`,
		`1/0 > 1`,
	} {
		f.Add(s)
	}
	decls := []risk.Declaration{
		{},
		{ID: "F1", Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), HSCode: "080810", Origin: "US", Value: 2000, GrossMass: 0,
			Procedure: "5100", Facts: map[string]any{"risk_score": 90.0}},
		{ID: "F2", HSCode: "9", Value: math.Inf(1), GrossMass: math.NaN(), Facts: map[string]any{"risk_score": "x"}},
	}
	ops := []*risk.Operator{nil, {Status: "authorized", Types: []string{"AEOS"}}, {Partner: "US C-TPAT"}}
	f.Fuzz(func(t *testing.T, when string) {
		cfg := lanes()
		cfg.Rules = append(cfg.Rules, risk.Rule{ID: "fuzz", Lane: risk.Red, When: when})
		s, err := risk.CompileSelectivity(cfg)
		if err != nil {
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("CompileSelectivity(%q) error is %T, want ConfigErrors", when, err)
			}
		} else {
			for i := range decls {
				for _, op := range ops {
					dec := s.Select(&decls[i], op)
					if dec.Lane < risk.Green || dec.Lane > risk.Red {
						t.Fatalf("Select gave lane %v for %q", dec.Lane, when)
					}
					if again := s.Select(&decls[i], op); again != dec {
						t.Fatalf("Select is not reproducible for %q", when)
					}
				}
			}
		}
		rcfg := demo()
		rcfg.Dimensions = append(rcfg.Dimensions, risk.Dimension{ID: "fuzz", Weight: 1, Score: when})
		m, err := risk.Compile(rcfg, risk.WithEnv(&operatorEnv{}))
		if err != nil {
			var list diag.List
			if !errors.As(err, &list) {
				t.Fatalf("Compile(%q) error is %T, want ConfigErrors", when, err)
			}
			return
		}
		for _, env := range []*operatorEnv{fullOperator(), {}} {
			if _, err := m.Map(t.Context(), env, nil); err != nil {
				t.Fatalf("Map after Compile(%q): %v", when, err)
			}
		}
	})
}

// FuzzSelect: any declaration gets a lane, the same one each time, and a
// decision that lists no more rules than fired, spared and skipped.
func FuzzSelect(f *testing.F) {
	f.Add("D1", "080810", "US", 2000.0, "4000", "authorized", "AEOS", "", 50.0)
	f.Add("", "", "", 0.0, "", "", "", "US C-TPAT", math.NaN())
	f.Add("2025/IM/1", "9301", "", -1.0, "5100", "suspended", "", "", 80.0)
	s := risk.MustCompileSelectivity(lanes())
	f.Fuzz(func(t *testing.T, id, hs, origin string, value float64, procedure, status, typ, partner string, score float64) {
		d := risk.Declaration{ID: id, HSCode: hs, Origin: origin, Value: value, Procedure: procedure,
			Date: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Facts: map[string]any{"risk_score": score}}
		op := &risk.Operator{Status: status, Types: []string{typ}, Partner: partner}
		dec := s.Select(&d, op)
		if !(dec.Lane >= risk.Green && dec.Lane <= risk.Red) {
			t.Fatalf("lane %v", dec.Lane)
		}
		if dec.Draw < 0 || dec.Draw >= 1 {
			t.Fatalf("draw %v outside [0, 1)", dec.Draw)
		}
		if s.Select(&d, op) != dec {
			t.Fatal("not reproducible")
		}
		if dec.Cause == risk.ByRule && dec.NumFired() == 0 {
			t.Fatal("decided by a rule, but none fired")
		}
		if n := len(dec.Fired()) + len(dec.Spared()) + len(dec.Skipped()); n > dec.NumFired()+dec.NumSpared()+dec.NumSkipped() {
			t.Fatal("lists more rules than counted")
		}
	})
}
