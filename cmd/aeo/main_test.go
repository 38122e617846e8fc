package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
		stdin    string
		wantCode int
		reason   string
	}{
		{name: "validate-good", args: []string{"validate", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 0,
			reason: "a valid programme and fixtures file"},
		{name: "validate-languages", args: []string{"validate", "testdata/languages.yaml"}, wantCode: 0,
			reason: "the texts that lack a language the programme uses are a notice, by file:line, and the programme is valid"},
		{name: "validate-languages-named", args: []string{"validate", "--languages", "es,de", "testdata/languages.yaml"}, wantCode: 0,
			reason: "--languages names the languages to check instead"},
		{name: "validate-languages-json", args: []string{"validate", "--format", "json", "testdata/languages.yaml"}, wantCode: 0,
			reason: "the notice in JSON: languages and missing_texts"},
		{name: "validate-languages-bad", args: []string{"validate", "--languages", "english", "testdata/languages.yaml"}, wantCode: 2,
			reason: "a bad tag in --languages is a usage error"},
		{name: "validate-broken", args: []string{"validate", "testdata/broken.yaml"}, wantCode: 1,
			reason: "every problem with file:line:col, exit 1"},
		{name: "validate-missing", args: []string{"validate", "testdata/nope.yaml"}, wantCode: 1,
			reason: "a missing file is one line, not a stack trace"},
		{name: "test-text", args: []string{"test", "testdata/small.yaml", "testdata/pass.yaml", "testdata/fail.yaml"}, wantCode: 1,
			reason: "a failing fixture fails the run and shows the mismatch"},
		{name: "test-pass-coverage", args: []string{"test", "--min-coverage", "90", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 1,
			reason: "passing cases with too little coverage still fail"},
		{name: "test-min-coverage-nan", args: []string{"test", "--min-coverage", "NaN", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 2,
			reason: "NaN is not a percentage: refused, never a gate that nothing fails"},
		{name: "test-vocabulary", args: []string{"test", "testdata/small.yaml", "testdata/bad/typos.yaml"}, wantCode: 1,
			reason: "fixture profiles go through the strict decoder and the vocabulary: every typo with its line and column in the fixture"},
		{name: "test-fixture-date", args: []string{"test", "testdata/small.yaml", "testdata/bad/dates.yaml"}, wantCode: 1,
			reason: "a fixture's profile takes the date format aeo assess takes, and its problems their place in the fixture"},
		{name: "test-json", args: []string{"test", "--format", "json", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 0,
			reason: "JSON report for tools"},
		{name: "test-junit", args: []string{"test", "--format", "junit", "testdata/small.yaml", "testdata/pass.yaml", "testdata/fail.yaml"}, wantCode: 1,
			reason: "JUnit XML for CI systems"},
		{name: "test-set", args: []string{"test", "../../aeo/testdata/set/versions.yaml", "../../aeo/testdata/set/fixtures.yaml", "../../aeo/testdata/set/bad/fixtures.yaml"}, wantCode: 1,
			reason: "a programme set runs each case under its version; an application before the first version fails at its line"},
		{name: "assess-text", args: []string{"assess", "testdata/small.yaml", "testdata/profiles/c-covered.yaml", "--as-of", "2025-03-31"}, wantCode: 0,
			reason: "flags may follow the arguments"},
		{name: "assess-vocabulary", args: []string{"assess", "--as-of", "2025-03-31", "testdata/small.yaml", "testdata/bad/profile.yaml"}, wantCode: 2,
			reason: "a profile's values outside the vocabulary are refused with their line and column and a did-you-mean"},
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
		{name: "impact-set-versions", args: []string{"impact", "--profiles", "testdata/set/profiles", "--as-of", "2025-03-31", "--quiet", "testdata/set/versions.yaml@2021.1", "testdata/set/versions.yaml@2026-06-01"}, wantCode: 0,
			reason: "two versions of a programme set, one by its version and one by a date it is in force: the longer look-back catches the 2022 infringement"},
		{name: "impact-set-unnamed", args: []string{"impact", "--profiles", "testdata/set/profiles", "testdata/set/versions.yaml", "testdata/set/versions.yaml@2026.1"}, wantCode: 2,
			reason: "a set has several versions: the command names them rather than guess one"},
		{name: "impact-set-unknown-version", args: []string{"impact", "--profiles", "testdata/set/profiles", "testdata/set/versions.yaml@2021.1", "testdata/set/versions.yaml@2019.1"}, wantCode: 2,
			reason: "a version the set does not have is refused with the versions it has"},
		{name: "impact-set-no-version-then", args: []string{"impact", "--profiles", "testdata/set/profiles", "testdata/set/versions.yaml@2020-01-01", "testdata/set/versions.yaml@2026.1"}, wantCode: 2,
			reason: "no version is in force before the first takes effect"},
		{name: "compare-new-fact", args: []string{"compare", "--profiles", "testdata/profiles-facts", "--as-of", "2025-03-31", "testdata/small.yaml", "testdata/facts.yaml"}, wantCode: 0,
			reason: "a fact A does not declare is absent to A, noted with its file and line, not an abort"},
		{name: "impact-register-jsonl", args: []string{"impact", "--profiles", "testdata/register.jsonl", "--as-of", "2025-03-31", "testdata/small.yaml", "testdata/facts.yaml"}, wantCode: 0,
			reason: "a register as JSON Lines: a fact only the new version declares is counted, a bad line named by file and line, and the run goes on"},
		{name: "impact-declarations-jsonl", args: []string{"impact", "--declarations", "testdata/declarations.jsonl", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 0,
			reason: "declarations as JSON Lines, a non-numeric value reported on stderr as found and in the report"},
		{name: "impact-declarations-csv", args: []string{"impact", "--declarations", "testdata/declarations.csv", "--format", "csv", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 0,
			reason: "declarations as CSV, the report as CSV tables"},
		{name: "impact-shard-json", args: []string{"impact", "--declarations", "testdata/declarations.csv", "--shard", "1/2", "--format", "json", "--quiet", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 0,
			reason: "one shard's JSON report, what aeo impact merge reads"},
		{name: "impact-max-errors", args: []string{"impact", "--declarations", "testdata/declarations.jsonl", "--max-errors", "0", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 1,
			reason: "--max-errors stops the run at the problem that goes over it"},
		{name: "impact-bad-shard", args: []string{"impact", "--declarations", "testdata/declarations.csv", "--shard", "2/2", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 2,
			reason: "a shard index must be below the count"},
		{name: "impact-no-match", args: []string{"impact", "--declarations", "testdata/nothing-*.jsonl", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 2,
			reason: "a pattern matching no file is a mistake, not an empty replay"},
		{name: "unknown-flag", args: []string{"assess", "--colour", "red"}, wantCode: 2, reason: "usage errors exit 2 with one line"},
		{name: "unknown-command", args: []string{"frobnicate"}, wantCode: 2, reason: "unknown commands exit 2 with the usage"},
		{name: "bad-date", args: []string{"assess", "--as-of", "31/03/2025", "testdata/small.yaml", "testdata/profiles/a-clean.yaml"}, wantCode: 2,
			reason: "a malformed date is a usage error"},

		// Help: on standard output, exit 0, every flag with its value and
		// default, named as errors name it.
		{name: "help", args: []string{"--help"}, wantCode: 0, reason: "the usage lists every command"},
		{name: "help-test", args: []string{"test", "-h"}, wantCode: 0, reason: "-h is help, not an error: exit 0 on standard output"},
		{name: "help-validate", args: []string{"help", "validate"}, wantCode: 0, reason: "validate lists its flags"},
		{name: "help-schema", args: []string{"schema", "--help"}, wantCode: 0, reason: "a command without flags says so"},
		{name: "help-assess", args: []string{"assess", "-h"}, wantCode: 0, reason: "no (default today) (default \"\"): a default is shown once"},
		{name: "flag-typo", args: []string{"test", "--min-coverag", "80", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 2,
			reason: "an unknown flag gets the closest one, written as help writes it"},
		{name: "flag-value", args: []string{"test", "--min-coverage", "most", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 2,
			reason: "a bad flag value names the flag with two dashes and says what it wants"},
		{name: "command-typo", args: []string{"tset"}, wantCode: 2, reason: "a misspelt command gets the closest one"},

		// One case at a time.
		{name: "test-run", args: []string{"test", "--run", "^serious|net assets", "testdata/small.yaml", "testdata/pass.yaml", "testdata/fail.yaml"}, wantCode: 1,
			reason: "--run selects cases by name; the failure names its file:line and each expectation's"},
		{name: "test-run-none", args: []string{"test", "--run", "nothing matches", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 0,
			reason: "as go test does, a run that selects nothing warns on standard error"},
		{name: "test-fail-on-empty", args: []string{"test", "--fail-on-empty", "--run", "nothing matches", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 1,
			reason: "--fail-on-empty makes a run that selects nothing fail"},
		{name: "test-explain", args: []string{"test", "--explain", "testdata/small.yaml", "testdata/fail.yaml", "testdata/fail-many.yaml"}, wantCode: 1,
			reason: "--explain shows the findings behind each failure with the rule and the values it read; a bad key in a case is placed in the fixtures file"},
		{name: "test-junit-coverage", args: []string{"test", "--format", "junit", "--min-coverage", "90", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 1,
			reason: "a coverage shortfall is a failing test in the JUnit report, so failures agree with the exit status"},
		{name: "test-json-coverage", args: []string{"test", "--format", "json", "--min-coverage", "90", "--run", "clean", "testdata/small.yaml", "testdata/pass.yaml"}, wantCode: 1,
			reason: "the shortfall is in the JSON report too"},
		{name: "test-json-broken", args: []string{"test", "--format", "json", "testdata/broken.yaml", "testdata/pass.yaml"}, wantCode: 2,
			reason: "a programme that does not load still gives valid JSON, with its problems; exit 2"},
		{name: "test-junit-broken", args: []string{"test", "--format", "junit", "testdata/small.yaml", "testdata/badexpect.yaml"}, wantCode: 2,
			reason: "fixtures that do not load still give valid JUnit, with an error; a misspelt outcome gets the one meant, with one prefix"},
		{name: "test-text-broken", args: []string{"test", "testdata/broken.yaml", "testdata/pass.yaml"}, wantCode: 2,
			reason: "problems go to standard error"},
		{name: "assess-json-broken", args: []string{"assess", "--format", "json", "--as-of", "2025-03-31", "testdata/small.yaml", "testdata/badprofiles/undeclared.yaml"}, wantCode: 2,
			reason: "an undeclared fact in a profile: valid JSON on standard output, file:line on standard error"},
		{name: "validate-json", args: []string{"validate", "--format", "json", "testdata/small.yaml", "testdata/broken.yaml"}, wantCode: 1,
			reason: "validate reports in JSON too"},
		{name: "validate-extends-parent", args: []string{"validate", "testdata/national/programme.yaml"}, wantCode: 0,
			reason: "extends: ../small.yaml is read: the root is the current folder"},
		{name: "validate-extends-root", args: []string{"validate", "--root", "testdata/national", "testdata/national/programme.yaml"}, wantCode: 1,
			reason: "a root the caller chooses is a boundary"},
		{name: "compare-bad-sample", args: []string{"compare", "--profiles", "testdata/badprofiles", "--as-of", "2025-03-31", "testdata/small.yaml", "testdata/stricter.yaml"}, wantCode: 2,
			reason: "a sample with an undeclared fact: its file:line, one prefix"},

		// An expression console.
		{name: "eval-expression", args: []string{"eval", "--profile", "testdata/profiles/b-old-infringement.yaml", "--as-of", "2025-03-31", "testdata/small.yaml", `count(compliance.infringements, .severity == "serious")`}, wantCode: 0,
			reason: "the value, its type and the facts read"},
		{name: "eval-undecided", args: []string{"eval", "--as-of", "2025-03-31", "testdata/small.yaml", "facts.compliance_score >= 80"}, wantCode: 0,
			reason: "on an empty profile a rule is undecided, with the facts it lacks"},
		{name: "eval-requirement", args: []string{"eval", "--profile", "testdata/profiles/c-covered.yaml", "--as-of", "2025-03-31", "testdata/small.yaml", "S.1"}, wantCode: 0,
			reason: "a requirement's ID: its outcome, rule and values read"},
		{name: "eval-error", args: []string{"eval", "testdata/small.yaml", "years_since(established) > 3 && now() > as_of"}, wantCode: 2,
			reason: "a problem in the expression is shown under it, with the hint from now to as_of"},
		{name: "eval-stdin", args: []string{"eval", "--format", "json", "--profile", "testdata/profiles/a-clean.yaml", "--as-of", "2025-03-31", "testdata/small.yaml"},
			stdin: "years_since(established)\n\n# a comment\nlen(financials)\n", wantCode: 0,
			reason: "without an expression, one a line from standard input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(binary, tt.args...)
			cmd.Stdin = strings.NewReader(tt.stdin)
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
			checkFormat(t, tt.args, stdout.Bytes(), code)
			got := "$ aeo " + strings.Join(tt.args, " ") + "\n" + stdout.String()
			if stderr.Len() > 0 {
				got += "--- stderr\n" + stderr.String()
			}
			golden(t, tt.name+".txt", []byte(fingerprint.ReplaceAllString(got, "sha256:…")))
		})
	}
}

// TestSchemaVocabulary checks that the schema closes the profile's
// enumerated values to the vocabulary, the baseline's by default and a
// programme's when it is given.
func TestSchemaVocabulary(t *testing.T) {
	enum := func(args ...string) []string {
		out, err := exec.Command(binary, append([]string{"schema"}, args...)...).Output()
		require.NoError(t, err)
		var s struct {
			Defs map[string]struct {
				Properties map[string]struct {
					Enum []string `json:"enum"`
				} `json:"properties"`
			} `json:"$defs"`
		}
		require.NoError(t, json.Unmarshal(out, &s))
		return s.Defs["aeo.Certification"].Properties["kind"].Enum
	}
	require.Contains(t, enum("profile"), "ISO 28000")
	require.NotContains(t, enum("profile"), "Regulated agent", "not a baseline certification")
	require.Contains(t, enum("--programme", "../../examples/eu/programme.yaml", "profile"), "Regulated agent", "the EU programme declares it")
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

// checkFormat checks that output asked for as JSON or JUnit is valid in
// every outcome, and that a JUnit report fails exactly when the exit
// status does.
func checkFormat(t *testing.T, args []string, out []byte, code int) {
	t.Helper()
	format := ""
	for i, a := range args {
		if a == "--format" && i+1 < len(args) {
			format = args[i+1]
		}
	}
	switch format {
	case "json":
		dec := json.NewDecoder(bytes.NewReader(out))
		n := 0
		for {
			var v any
			err := dec.Decode(&v)
			if errors.Is(err, io.EOF) {
				break
			}
			require.NoError(t, err, "standard output is JSON whatever the outcome:\n%s", out)
			n++
		}
		require.Positive(t, n, "some JSON is written whatever the outcome")
	case "junit":
		var r struct {
			Suites []struct {
				Failures int `xml:"failures,attr"`
				Errors   int `xml:"errors,attr"`
			} `xml:"testsuite"`
		}
		require.NoError(t, xml.Unmarshal(out, &r), "standard output is JUnit XML whatever the outcome:\n%s", out)
		bad := 0
		for _, s := range r.Suites {
			bad += s.Failures + s.Errors
		}
		assert.Equal(t, code != 0, bad > 0, "the report fails exactly when the exit status does (exit %d, %d failures and errors)", code, bad)
	}
}

// TestImpactShards runs a replay as two shards and merges their JSON
// reports: the merged report is the single run's.
func TestImpactShards(t *testing.T) {
	dir := t.TempDir()
	args := []string{"impact", "--declarations", "testdata/declarations.jsonl", "--profiles", "testdata/register.jsonl",
		"--as-of", "2025-03-31", "--quiet", "testdata/small.yaml", "testdata/facts.yaml"}
	single, err := exec.Command(binary, args...).Output()
	require.NoError(t, err)
	var shards []string
	for _, by := range []string{"line", "file"} {
		shards = shards[:0]
		for i := range 3 {
			out, err := exec.Command(binary, append(args, "--shard", fmt.Sprintf("%d/3", i), "--shard-by", by, "--format", "json")...).Output()
			require.NoError(t, err)
			name := filepath.Join(dir, fmt.Sprintf("%s-%d.json", by, i))
			require.NoError(t, os.WriteFile(name, out, 0o644))
			shards = append(shards, name)
		}
		merged, err := exec.Command(binary, append([]string{"impact", "merge"}, shards...)...).Output()
		require.NoError(t, err)
		assert.Equal(t, string(single), string(merged), "by %s: the merged shards report what a single run does", by)
	}
	out, err := exec.Command(binary, "impact", "merge", shards[0], shards[1]).CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "shards 2 of 3 missing")
}

// TestImpactStdin replays declarations given on standard input, and
// writes the changed ones to a file.
func TestImpactStdin(t *testing.T) {
	data, err := os.ReadFile("testdata/declarations.jsonl")
	require.NoError(t, err)
	changes := filepath.Join(t.TempDir(), "changes.jsonl")
	cmd := exec.Command(binary, "impact", "--declarations", "-", "--changes", changes, "--format", "json", "testdata/small.yaml", "testdata/stricter.yaml")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	require.NoError(t, err)
	var rep struct {
		Declarations struct {
			Replayed int `json:"replayed"`
			Changed  int `json:"changed"`
		} `json:"declarations"`
	}
	require.NoError(t, json.Unmarshal(out, &rep))
	assert.Equal(t, 5, rep.Declarations.Replayed)
	got, err := os.ReadFile(changes)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(got)), "\n")
	assert.Len(t, lines, rep.Declarations.Changed, "every changed declaration is in the changes file")
	assert.Contains(t, lines[0], `"file":"-","line":2,"declaration":"D2"`)
}
