package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; rerun with -update and review the diff:\n%s", path, got)
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		golden string
		reason string
	}{
		{name: "internal", args: nil, golden: "internal.txt", reason: "the officer's explanation of every applicant"},
		{name: "operator", args: []string{"-view", "operator"}, golden: "operator.txt", reason: "what an applicant may see: no internal reasoning"},
		{name: "json", args: []string{"-format", "json"}, golden: "assessments.json", reason: "the result a host persists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, run(&out, tt.args), tt.reason)
			golden(t, tt.golden, out.Bytes())
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-as-of", "31/03/2025"}, {"-view", "public"}, {"-format", "xml"}} {
		var out bytes.Buffer
		require.Error(t, run(&out, args), "%v must be refused", args)
	}
}
