package benefits_test

import (
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test ./benefits -run %s -update", t.Name())
	if got != string(want) {
		t.Errorf("output differs from %s; rerun with -update and review the diff:\n%s", path, got)
	}
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// programme is the configuration most tests use: every built-in catalogue,
// a recognised MRA partner, two sequenced benefits, a programme benefit
// with a fact, a benefit for one business model, and fast-lane baselines.
func programme() benefits.Config {
	return benefits.Config{
		Partners: []benefits.Partner{{Programme: "US C-TPAT"}, {Programme: "JP AEO", From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}},
		Facts:    []criteria.FactDecl{{Name: "declarations_per_year", Type: "int"}},
		Activation: map[string]benefits.Activation{
			"ecom.K":                      {Date: date(2026, 1, 1), Note: "fee regulation in force"},
			"stair.centralized-clearance": {Milestone: "p8-benefits"},
			"safe.new-programmes.first-consideration": {Date: date(2025, 7, 1), Milestone: "p3-pilot-launched"},
		},
		Baselines: map[string]benefits.Baseline{
			"safe.release.fast-lane":   {NormalMinutes: 45, ExpectedPerMonth: 20, Source: "border agency lane survey 2024"},
			"stair.client-coordinator": {ExpectedPerMonth: 4},
		},
		Add: []benefits.Benefit{
			{
				ID: "xx.green-lane", Title: "Green lane for frequent AEOS importers",
				Roles: []string{"importer"}, DependsOn: []string{"AEOS"},
				Eligible: "facts.declarations_per_year >= 100",
				Measure:  "declarations", Source: "National AEO regulation, art. 12",
			},
			{
				ID: "xx.bonded-fulfilment", Title: "Bonded stock for fulfilment centres in a free zone",
				BusinessModels: []string{"4-2"}, Source: "National e-commerce decree, art. 4",
			},
		},
	}
}

func mustProgramme(t testing.TB) *benefits.Catalogue {
	t.Helper()
	c, err := benefits.Compile(programme())
	require.NoError(t, err)
	return c
}
