package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/examples/internal/golden"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden.Check(t, "output.txt", out.Bytes())
	require.Contains(t, out.String(), "[upu_s58: S58-XX-2024-01]", "S58 satisfies premises and personnel items")
	require.Contains(t, out.String(), "[upu_s59: S59-XX-2024-01]", "S59 satisfies office-of-exchange items")
}
