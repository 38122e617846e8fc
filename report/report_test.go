package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden renders every report in every language and compares it with
// its golden file: the HTML is the content, checked here; how it looks is
// checked in a browser (TestBrowser).
func TestGolden(t *testing.T) {
	for _, f := range fixtures(t) {
		for _, lang := range []string{"en", "fr", "es"} {
			t.Run(f.name+"."+lang, func(t *testing.T) {
				var buf bytes.Buffer
				require.NoError(t, f.report.WriteHTML(&buf, report.Options{Language: lang}))
				golden := filepath.Join("testdata", "golden", f.name+"."+lang+".html")
				if *update {
					require.NoError(t, os.MkdirAll(filepath.Dir(golden), 0o755))
					require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
				}
				want, err := os.ReadFile(golden)
				require.NoError(t, err)
				if diff := cmp.Diff(string(want), buf.String()); diff != "" {
					t.Errorf("%s differs from %s; rerun with -update and review the diff (-want +got):\n%s", f.name, golden, diff)
				}
			})
		}
	}
}
