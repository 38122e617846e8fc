package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/examples/internal/golden"
)

func TestFixtures(t *testing.T) {
	aeotest.Run(t, "xa.yaml", "fixtures.yaml")
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden.Check(t, "output.txt", out.Bytes())
}
