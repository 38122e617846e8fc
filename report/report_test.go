package report_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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

// TestConcurrentRendering renders every report from many goroutines at
// once, in every language: the templates and catalogues are shared and
// must not be written to (run under -race).
func TestConcurrentRendering(t *testing.T) {
	fs := fixtures(t)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := fs[i%len(fs)]
			var buf bytes.Buffer
			if err := f.report.WriteHTML(&buf, report.Options{Language: []string{"en", "fr", "es"}[i%3]}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// FuzzOptions renders a letter with any language preference: it renders
// in one of the catalogues' languages and never fails.
func FuzzOptions(f *testing.F) {
	for _, s := range []string{"fr", "es-PE", "fr-CA,fr;q=0.9,en;q=0.5", "*", "zz-Qaaa-XX", ""} {
		f.Add(s)
	}
	var letter renderer
	for _, fx := range fixtures(f) {
		if fx.name == "letter-carrier" {
			letter = fx.report
		}
	}
	f.Fuzz(func(t *testing.T, pref string) {
		var buf bytes.Buffer
		if err := letter.WriteHTML(&buf, report.Options{Language: pref}); err != nil {
			t.Fatalf("WriteHTML with language %q: %v", pref, err)
		}
		page := buf.String()
		if !strings.Contains(page, `<html lang="en">`) && !strings.Contains(page, `<html lang="fr">`) && !strings.Contains(page, `<html lang="es">`) {
			t.Fatalf("language %q: the page is in no catalogue language", pref)
		}
	})
}

// TestSelfContained checks that every report, in every language, is one
// page that needs nothing from elsewhere: no script, no stylesheet or
// font or picture fetched, and the SVG namespace as its only address.
func TestSelfContained(t *testing.T) {
	for _, f := range fixtures(t) {
		for _, lang := range []string{"en", "fr", "es"} {
			var buf bytes.Buffer
			require.NoError(t, f.report.WriteHTML(&buf, report.Options{Language: lang}))
			page := strings.ReplaceAll(buf.String(), `xmlns="http://www.w3.org/2000/svg"`, "")
			for _, bad := range []string{"<script", "<link", "<img", "<iframe", " src=", "url(", "@import", "@font-face", "http://", "https://", " on"} {
				if bad == " on" {
					// Event handler attributes: onload=, onclick=...
					if m := regexp.MustCompile(`\son[a-z]+=`).FindString(page); m != "" {
						t.Errorf("%s.%s has an event handler %q", f.name, lang, m)
					}
					continue
				}
				if strings.Contains(page, bad) {
					t.Errorf("%s.%s is not self-contained: it has %q", f.name, lang, bad)
				}
			}
			require.True(t, strings.HasPrefix(buf.String(), "<!DOCTYPE html>"))
			require.True(t, strings.HasSuffix(strings.TrimSpace(buf.String()), "</html>"))
		}
	}
}
