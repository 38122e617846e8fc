package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
)

// aeoIn runs the aeo binary in dir and returns its exit status and
// output.
func aeoIn(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return code, stdout.String(), stderr.String()
}

func TestInit(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := aeoIn(t, dir, "init", "--name", "Republic of Example AEO programme", "--country", "XE", "example")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "wrote example/programme.yaml")
	for _, f := range []string{"programme.yaml", "fixtures.yaml", "profile.yaml"} {
		b, err := os.ReadFile(filepath.Join(dir, "example", f))
		require.NoError(t, err)
		kind := strings.TrimSuffix(f, ".yaml")
		first, _, _ := strings.Cut(string(b), "\n")
		assert.Equal(t, "# yaml-language-server: $schema=schemas/"+kind+".json", first, "%s names its schema for editors", f)
		schema, err := os.ReadFile(filepath.Join(dir, "example", "schemas", kind+".json"))
		require.NoError(t, err)
		want, err := schemaJSON(kind)
		require.NoError(t, err)
		assert.Equal(t, string(want)+"\n", string(schema), "the schema beside the files is the command's")
	}
	ex := filepath.Join(dir, "example")
	code, out, errOut = aeoIn(t, ex, "validate", "programme.yaml", "fixtures.yaml", "profile.yaml")
	require.Equal(t, 0, code, "the scaffold validates:\n%s%s", out, errOut)
	assert.Contains(t, out, "programme.yaml: ok (Republic of Example AEO programme 0.1,")
	code, out, errOut = aeoIn(t, ex, "test", "--fail-on-empty", "programme.yaml", "fixtures.yaml")
	require.Equal(t, 0, code, "the scaffold's cases pass:\n%s%s", out, errOut)
	assert.Contains(t, out, "2 passed, 0 failed")

	code, _, errOut = aeoIn(t, dir, "init", "example")
	assert.Equal(t, 1, code, "init never overwrites")
	assert.Contains(t, errOut, "example/programme.yaml")
}

func TestBaselineCommand(t *testing.T) {
	tests := []struct {
		args   []string
		want   []byte
		reason string
	}{
		{[]string{"baseline"}, aeo.BaselineFile(), "the programme 'extends: baseline' inherits"},
		{[]string{"baseline", "profile"}, aeo.BaselineProfile(), "a complete applicant"},
		{[]string{"baseline", "fixtures"}, aeo.BaselineFixtures(), "the baseline's own cases"},
	}
	for _, tt := range tests {
		code, out, errOut := aeoIn(t, ".", tt.args...)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, string(tt.want), out, tt.reason)
	}
	// The complete profile passes: every requirement that applies to an
	// importer is decided and AEO is recommended.
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.yaml"), aeo.BaselineProfile(), 0o644))
	code, out, errOut := aeoIn(t, dir, "assess", "--as-of", "2024-06-30", "--format", "json", filepath.Join(mustAbs(t, "../.."), "aeo/baseline/safe.yaml"), "p.yaml")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"recommendation": "recommend"`)
	assert.NotContains(t, out, `"outcome": "indeterminate"`, "the profile is complete")
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	require.NoError(t, err)
	return a
}

func TestVersion(t *testing.T) {
	code, out, _ := aeoIn(t, ".", "version")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "aeo "), out)
	assert.Contains(t, out, "module github.com/safe-aeo/engine")

	info := &debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Path: "github.com/safe-aeo/engine", Version: "v0.1.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2025-07-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}}
	got := versionText(info)
	assert.True(t, strings.HasPrefix(got, "aeo v0.1.0\ncommit 0123456789ab (2025-07-01T10:00:00Z), with uncommitted changes\nmodule github.com/safe-aeo/engine\ngo1.24.1 "), got)
}

// TestInstallFromCheckout installs the command as the guide says, from the
// checkout, into a folder of the test's, and runs it.
func TestInstallFromCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command once more")
	}
	bin := t.TempDir()
	cmd := exec.Command("go", "install", "./cmd/aeo")
	cmd.Dir = mustAbs(t, "../..")
	cmd.Env = append(os.Environ(), "GOBIN="+bin)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go install ./cmd/aeo: %s", out)
	v, err := exec.Command(filepath.Join(bin, "aeo"), "version").Output()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(v), "aeo "), string(v))
}
