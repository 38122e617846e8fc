package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun runs two NOT COVERED mutants of a small module's switch: the
// tests reach one case and kill its mutant; the other case is never
// reached, so its boundary mutant lives. A mutant that timed out is run
// again when asked.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a module twice")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("go.mod", "module example.com/m\n\ngo 1.25\n")
	write("p/p.go", `package p

func Sign(a int) int {
	switch {
	case a > 0:
		return 1
	case a < -100:
		return -100
	}
	return 0
}
`)
	write("p/p_test.go", `package p

import "testing"

func TestSign(t *testing.T) {
	if Sign(5) != 1 || Sign(0) != 0 {
		t.Fatal("wrong sign")
	}
}
`)
	report := map[string]any{
		"go_module": "example.com/m",
		"files": []fileReport{{Name: "p.go", Mutations: []mutation{
			{Type: "CONDITIONALS_NEGATION", Status: "NOT COVERED", Line: 5, Column: 9},
			{Type: "CONDITIONALS_BOUNDARY", Status: "NOT COVERED", Line: 7, Column: 9},
			{Type: "ARITHMETIC_BASE", Status: "KILLED", Line: 3, Column: 1},
			{Type: "CONDITIONALS_NEGATION", Status: "TIMED OUT", Line: 7, Column: 9},
		}}},
	}
	b, err := json.Marshal(report)
	require.NoError(t, err)
	write("report.json", string(b))

	t.Chdir(dir)
	var out bytes.Buffer
	require.NoError(t, run([]string{"-report", "report.json", "-dir", "p", "-o", "after.json", "-run", "NOT COVERED, TIMED OUT"}, &out))
	assert.Contains(t, out.String(), "KILLED      p/p.go:5:9 CONDITIONALS_NEGATION")
	assert.Contains(t, out.String(), "LIVED       p/p.go:7:9 CONDITIONALS_BOUNDARY")
	assert.Contains(t, out.String(), "KILLED      p/p.go:7:9 CONDITIONALS_NEGATION", "a mutant timed out on a loaded machine is run again")
	assert.NotContains(t, out.String(), "p/p.go:3:1", "a killed mutant is not run again")
	assert.Contains(t, out.String(), "all 4 mutants: killed 3, lived 1, timed out 0, not viable 0, not covered 0")

	var after struct {
		Module string       `json:"go_module"`
		Files  []fileReport `json:"files"`
	}
	raw, err := os.ReadFile("after.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &after))
	assert.Equal(t, "example.com/m", after.Module, "the rest of the report is kept")
	require.Len(t, after.Files, 1)
	var statuses []string
	for _, m := range after.Files[0].Mutations {
		statuses = append(statuses, m.Status)
	}
	assert.Equal(t, []string{"KILLED", "LIVED", "KILLED", "KILLED"}, statuses)
	src, err := os.ReadFile("p/p.go")
	require.NoError(t, err)
	assert.Contains(t, string(src), "case a > 0:", "the source itself is never changed")
}

func TestRunRefusesAStaleReport(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n\nvar x = 1\n"), 0o644))
	b, err := json.Marshal(map[string]any{"files": []fileReport{{Name: "p.go", Mutations: []mutation{
		{Type: "ARITHMETIC_BASE", Status: "NOT COVERED", Line: 3, Column: 9},
	}}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "r.json"), b, 0o644))
	err = run([]string{"-report", filepath.Join(dir, "r.json"), "-dir", dir}, &bytes.Buffer{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "p.go:3:9")
}

func TestRunRefusesFailingTests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and tests a module")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.25\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n\nfunc One() int { return 1 + 0 }\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p_test.go"), []byte("package p\n\nimport \"testing\"\n\nfunc TestOne(t *testing.T) {\n\tif One() != 2 {\n\t\tt.Fatal(\"not two\")\n\t}\n}\n"), 0o644))
	b, err := json.Marshal(map[string]any{"files": []fileReport{{Name: "p.go", Mutations: []mutation{
		{Type: "ARITHMETIC_BASE", Status: "NOT COVERED", Line: 3, Column: 27},
	}}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "r.json"), b, 0o644))
	t.Chdir(dir)
	var out bytes.Buffer
	err = run([]string{"-report", "r.json"}, &out)
	require.Error(t, err, "tests that fail on the code as it is would count every mutant killed")
	assert.Contains(t, err.Error(), "fail without any mutant")
	assert.Empty(t, out.String(), "no mutant is run")
}

// TestRunBuildOnly checks that a killed mutant that does not compile (-
// between two strings) is marked not viable, and one that compiles keeps
// its status.
func TestRunBuildOnly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module twice")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.25\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n\nfunc Name(s string) string { return \"x\" + s }\n\nfunc Add(a, b int) int { return a + b }\n"), 0o644))
	b, err := json.Marshal(map[string]any{"files": []fileReport{{Name: "p.go", Mutations: []mutation{
		{Type: "ARITHMETIC_BASE", Status: "KILLED", Line: 3, Column: 41},
		{Type: "ARITHMETIC_BASE", Status: "KILLED", Line: 5, Column: 35},
	}}}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "r.json"), b, 0o644))
	t.Chdir(dir)
	var out bytes.Buffer
	require.NoError(t, run([]string{"-report", "r.json", "-build-only", "-run", "KILLED"}, &out))
	assert.Contains(t, out.String(), "NOT VIABLE  p.go:3:41 ARITHMETIC_BASE")
	assert.NotContains(t, out.String(), "p.go:5:35", "a mutant that compiles is left as it was")
	assert.Contains(t, out.String(), "all 2 mutants: killed 1, lived 0, timed out 0, not viable 1, not covered 0")
	assert.Contains(t, out.String(), "killed: 100.0% of the viable mutants (1 of 1)")
}

// TestRunRefusesBadInput checks the mistakes that would otherwise print
// totals as if every mutant had been run.
func TestRunRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	report := write("r.json", `{"files":[]}`)
	tests := []struct {
		name   string
		args   []string
		want   string
		reason string
	}{
		{"misspelt status", []string{"-report", report, "-run", "LIVD"}, `unknown status "LIVD"`,
			"a misspelt status would choose no mutant"},
		{"one of several misspelt", []string{"-report", report, "-run", "LIVED, TIMEDOUT"}, `unknown status "TIMEDOUT"`,
			"every status named is checked"},
		{"no files", []string{"-report", write("other.json", `{"mutants_total": 3}`)}, "not a gremlins report",
			"a JSON file that is not gremlins' report is refused, not read as empty"},
		{"not JSON", []string{"-report", write("bad.json", `KILLED 3`)}, "bad.json",
			"the file that is not JSON is named"},
		{"no report", nil, "-report is required", "there is nothing to run without a report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(tt.args, &out)
			require.Error(t, err, tt.reason)
			assert.Contains(t, err.Error(), tt.want, tt.reason)
			assert.Empty(t, out.String(), "no totals are printed: %s", tt.reason)
		})
	}
}
