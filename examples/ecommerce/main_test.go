package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/examples/internal/golden"

	"github.com/safe-aeo/engine/aeotest"
)

func TestFixtures(t *testing.T) {
	aeotest.Run(t, "programme.yaml", "fixtures.yaml")
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden.Check(t, "output.txt", out.Bytes())
	for _, s := range []string{
		"third_party report of XX-TPV-04 Example Supply Chain Assurance",
		"refused by rule customs-validation-requested",
		"self_assessment_review",
		"spot_check",
		"ecom.K  not_yet_introduced",
	} {
		require.Contains(t, out.String(), s)
	}
}
