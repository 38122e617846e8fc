package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/examples/internal/golden"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, nil))
	golden.Check(t, "output.txt", out.Bytes())
}

// TestRefusals checks that the walk-through shows each refusal the
// guidance calls for, with the gate that refuses it.
func TestRefusals(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, nil))
	tests := []struct {
		name   string
		want   string
		reason string
	}{{
		name:   "incomplete structure",
		want:   "gate programme-structure of phase 1: programme does not define: suspension, appeal",
		reason: "phase 1 ends with a structure that includes removal or suspension and an appeal procedure",
	}, {
		name:   "eleventh operator",
		want:   "gate pilot of phase 3: operator \"XX-P11\" would be pilot operator 11; the pilot takes at most 10",
		reason: "start small, no more than ten",
	}, {
		name:   "brokers too early",
		want:   "gate admission of phase 3: operator \"XX-B01\": wave 2 (broker) opens on 2025-12-02",
		reason: "importers and exporters first, then 6 months later brokers",
	}, {
		name:   "evaluation not held",
		want:   "gate evaluations of phase 4: evaluation 1 (due 2026-01-01) not held",
		reason: "every six months for the first year, evaluate the programme",
	}, {
		name:   "benefits out of sequence",
		want:   "benefit \"member-lane\" is of stage 2; earlier stages are not complete",
		reason: "benefits are introduced in a sequenced manner",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, out.String(), tt.want, tt.reason)
		})
	}
}

func TestFull(t *testing.T) {
	var short, full bytes.Buffer
	require.NoError(t, run(&short, nil))
	require.NoError(t, run(&full, []string{"-full"}))
	assert.Greater(t, strings.Count(full.String(), "phase 2, Strategic Planning:"), strings.Count(short.String(), "phase 2, Strategic Planning:"),
		"-full prints every phase at every key point")
	require.Error(t, run(&bytes.Buffer{}, []string{"-no-such-flag"}))
}
