package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/examples/internal/golden"

	"github.com/safe-aeo/engine/aeotest"
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
