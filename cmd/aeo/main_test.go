package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// binary is the aeo command built once for the tests, so that they run
// what a rule author runs.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "aeo-cli")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "aeo")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var fingerprint = regexp.MustCompile(`sha256:[0-9a-f]{64}`)

func TestCLI(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		reason   string
	}{
		{name: "validate-good", args: []string{"validate", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 0,
			reason: "a valid programme and fixtures file"},
		{name: "validate-broken", args: []string{"validate", "testdata/broken.yaml"}, wantCode: 1,
			reason: "every problem with file:line:col, exit 1"},
		{name: "validate-missing", args: []string{"validate", "testdata/nope.yaml"}, wantCode: 1,
			reason: "a missing file is one line, not a stack trace"},
		{name: "test-text", args: []string{"test", "testdata/small.yaml", "testdata/pass.yaml", "testdata/fail.yaml"}, wantCode: 1,
			reason: "a failing fixture fails the run and shows the mismatch"},
		{name: "test-pass-coverage", args: []string{"test", "--min-coverage", "90", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 1,
			reason: "passing cases with too little coverage still fail"},
		{name: "test-json", args: []string{"test", "--format", "json", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 0,
			reason: "JSON report for tools"},
		{name: "test-junit", args: []string{"test", "--format", "junit", "testdata/small.yaml", "testdata/pass.yaml", "testdata/fail.yaml"}, wantCode: 1,
			reason: "JUnit XML for CI systems"},
		{name: "test-set", args: []string{"test", "../../aeo/testdata/set/versions.yaml", "../../aeo/testdata/set/fixtures.yaml", "../../aeo/testdata/set/bad/fixtures.yaml"}, wantCode: 1,
			reason: "a programme set runs each case under its version; an application before the first version fails at its line"},
		{name: "assess-text", args: []string{"assess", "testdata/small.yaml", "testdata/profiles/c-covered.yaml", "--as-of", "2025-03-31"}, wantCode: 0,
			reason: "flags may follow the arguments"},
		{name: "assess-operator-json", args: []string{"assess", "--as-of", "2025-03-31", "--view", "operator", "--format", "json", "testdata/small.yaml", "testdata/profiles/b-old-infringement.yaml"}, wantCode: 0,
			reason: "the operator view as JSON"},
		{name: "compare-samples", args: []string{"compare", "--profiles", "testdata/profiles", "--as-of", "2025-03-31", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 0,
			reason: "requirements related on sample profiles"},
		{name: "compare-text", args: []string{"compare", "testdata/stricter.yaml", "testdata/small.yaml"}, wantCode: 0,
			reason: "without samples only text and level are compared"},
		{name: "impact", args: []string{"impact", "--profiles", "testdata/profiles", "--as-of", "2025-03-31", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 0,
			reason: "every outcome the new version changes"},
		{name: "impact-declarations", args: []string{"impact", "--declarations", "testdata/declarations.yaml", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 0,
			reason: "declarations replayed through both selectivity profiles, lanes that change listed"},
		{name: "impact-nothing", args: []string{"impact", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 2,
			reason: "impact needs profiles or declarations to replay"},
		{name: "unknown-flag", args: []string{"assess", "--colour", "red"}, wantCode: 2, reason: "usage errors exit 2 with one line"},
		{name: "unknown-command", args: []string{"frobnicate"}, wantCode: 2, reason: "unknown commands exit 2 with the usage"},
		{name: "bad-date", args: []string{"assess", "--as-of", "31/03/2025", "testdata/small.yaml", "testdata/profiles/a-clean.yaml"}, wantCode: 2,
			reason: "a malformed date is a usage error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(binary, tt.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			if code != tt.wantCode {
				t.Errorf("aeo %s: exit %d, want %d; %s\nstdout:\n%s\nstderr:\n%s", strings.Join(tt.args, " "), code, tt.wantCode, tt.reason, stdout.String(), stderr.String())
			}
			require.NotContains(t, stderr.String(), "goroutine ", "no stack traces")
			got := "$ aeo " + strings.Join(tt.args, " ") + "\n" + stdout.String()
			if stderr.Len() > 0 {
				got += "--- stderr\n" + stderr.String()
			}
			golden(t, tt.name+".txt", []byte(fingerprint.ReplaceAllString(got, "sha256:…")))
		})
	}
}

func TestSchema(t *testing.T) {
	for _, kind := range []string{"programme", "fixtures", "profile"} {
		out, err := exec.Command(binary, "schema", kind).Output()
		require.NoError(t, err)
		golden(t, "schema-"+kind+".json", out)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; rerun with -update and review the diff:\n%s", path, got)
	}
}
