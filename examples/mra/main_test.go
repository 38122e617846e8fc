package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeotest"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestFixtures(t *testing.T) {
	aeotest.Run(t, "programme.yaml", "fixtures.yaml")
}

func TestRun(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	golden := filepath.Join("testdata", "output.txt")
	if *update {
		require.NoError(t, os.WriteFile(golden, out.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("output differs from %s; rerun with -update and review the diff:\n%s", golden, out.String())
	}
}
