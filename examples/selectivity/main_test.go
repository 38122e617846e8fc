package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/examples/internal/golden"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/replay"
	"github.com/safe-aeo/engine/risk"
)

func TestFixtures(t *testing.T) {
	aeotest.Run(t, "programme.yaml", "fixtures.yaml")
}

// TestRun runs the profile over 20,000 declarations and compares the
// summary with the golden file. Throughput is not printed: it depends on
// the machine.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, []string{"-n", "20000"}))
	golden.Check(t, "summary-20000.txt", out.Bytes())
	assert.NotContains(t, out.String(), "Throughput", "throughput is printed only with -throughput")
}

func TestRunArgs(t *testing.T) {
	summary := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		require.NoError(t, run(&out, args))
		return out.String()
	}
	tests := []struct {
		name   string
		a, b   []string
		same   bool
		reason string
	}{{
		name:   "workers",
		a:      []string{"-n", "5000", "-workers", "1"},
		b:      []string{"-n", "5000", "-workers", "4"},
		same:   true,
		reason: "the summary is a sum, independent of how the batch is spread over workers",
	}, {
		name:   "seed",
		a:      []string{"-n", "5000"},
		b:      []string{"-n", "5000", "-seed", "another-secret"},
		same:   false,
		reason: "the seed keys the random draws, so another seed selects other declarations",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := summary(tt.a...), summary(tt.b...)
			if tt.same {
				assert.Equal(t, a, b, tt.reason)
			} else {
				assert.NotEqual(t, a, b, tt.reason)
			}
		})
	}
	assert.Contains(t, summary("-n", "1000", "-throughput"), "declarations/s")
	require.Error(t, run(&bytes.Buffer{}, []string{"-n", "0"}))
	require.Error(t, run(&bytes.Buffer{}, []string{"-no-such-flag"}))
}

// TestWrite checks that -write writes the generated declarations as JSON
// Lines that read back, with encoding/json and with a replay, as the
// entries the generator yields.
func TestWrite(t *testing.T) {
	for _, name := range []string{"year.jsonl", "year.jsonl.gz"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			var out bytes.Buffer
			require.NoError(t, run(&out, []string{"-n", "300", "-write", path}))
			assert.Equal(t, "wrote 300 declarations to "+path+"\n", out.String())

			old, err := aeo.Parse("programme.yaml", programme)
			require.NoError(t, err)
			next, err := aeo.Load("next.yaml")
			require.NoError(t, err)
			r, err := replay.New(old, next)
			require.NoError(t, err)
			rep, err := r.DeclarationFiles(t.Context(), []replay.Input{replay.File(path, replay.Auto)})
			require.NoError(t, err)
			assert.Equal(t, 300, rep.Replayed)
			assert.Zero(t, rep.Problems, "%v", rep.Listed)

			if strings.HasSuffix(name, ".gz") {
				return
			}
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			// A day, which encoding/json reads into a time.Time only as RFC 3339.
			day := regexp.MustCompile(`"date":"(\d{4}-\d{2}-\d{2})"`)
			var got []risk.Entry
			for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
				var e risk.Entry
				require.NoError(t, json.Unmarshal([]byte(day.ReplaceAllString(line, `"date":"${1}T00:00:00Z"`)), &e))
				got = append(got, e)
			}
			assert.Equal(t, slices.Collect(newGenerator(300).entries()), got, "the file holds the generated entries")
		})
	}
}
