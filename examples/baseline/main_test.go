package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/examples/internal/golden"
)

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
			golden.Check(t, tt.golden, out.Bytes())
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-as-of", "31/03/2025"}, {"-view", "public"}, {"-format", "xml"}} {
		var out bytes.Buffer
		require.Error(t, run(&out, args), "%v must be refused", args)
	}
}
