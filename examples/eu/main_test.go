package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/examples/internal/golden"

	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/examples/internal/casebook"
)

func TestFixtures(t *testing.T) {
	aeotest.Run(t, "programme.yaml", "fixtures.yaml")
}

func TestOutput(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, casebook.Run(&out, files))
	golden.Check(t, "output.txt", out.Bytes())
}
