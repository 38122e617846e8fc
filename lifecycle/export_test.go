package lifecycle_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/lifecycle"
)

// The -update flag rewrites golden files. Other tests of the package may
// register it too: it is registered here only if no one has, after every
// package-level flag.Bool has run.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares got with testdata/lifecycle/<name>, or rewrites it
// with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "lifecycle", name)
	if updateGolden() {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./aeo -run LifecycleGraph -update to create it")
	if got != string(want) {
		t.Errorf("%s differs; rerun with -update and review the diff:\n%s", path, got)
	}
}

func TestLifecycleGraph(t *testing.T) {
	for _, name := range []string{"eu", "gcc"} {
		l := machineFor(t, name)
		t.Run(name+".dot", func(t *testing.T) { checkGolden(t, name+".dot", l.DOT()) })
		t.Run(name+".mmd", func(t *testing.T) { checkGolden(t, name+".mmd", l.Mermaid()) })
		assert.Equal(t, l.DOT(), l.DOT(), "stable")
	}
	bare := newMachine(t, lifecycle.Config{})
	dot := bare.DOT()
	for _, tr := range lifecycle.Transitions() {
		assert.Contains(t, dot, `"`+tr.From.String()+`" -> `, "every status with an event is drawn")
	}
	assert.True(t, strings.HasPrefix(bare.Mermaid(), "stateDiagram-v2\n"))
}
