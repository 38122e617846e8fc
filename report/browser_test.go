package report_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/report"
)

// The browser test is run by .ci/run, which installs Debian's chromium
// package; elsewhere it runs when asked:
//
//	AEO_BROWSER_TEST=1 go test -run TestBrowser ./report/
//
// AEO_CHROMIUM names the browser binary (default: chromium, then
// chromium-browser, on the PATH); AEO_BROWSER_OUT, a directory where the
// HTML, PNG and PDF files are kept for people to look at (default: a
// temporary directory, removed after the test). Nothing is written into
// the repository.

// browserCases are the reports the browser renders, with the number of A4
// pages each prints on. The French and Spanish letters are there because
// those are what an operator in Dakar or Lima prints.
var browserCases = []struct {
	fixture, lang string
	pages         int
}{
	{"dossier-carrier", "en", 7},
	{"dossier-missing", "en", 9},
	{"letter-carrier", "en", 1},
	{"letter-carrier", "fr", 1},
	{"letter-carrier", "es", 1},
	{"letter-missing", "fr", 3},
	{"benefits", "en", 2},
	{"history", "en", 2},
	{"phases", "en", 2},
}

func chromium(t *testing.T) string {
	t.Helper()
	if os.Getenv("AEO_BROWSER_TEST") == "" {
		t.Skip("set AEO_BROWSER_TEST=1 to render the reports in headless Chromium")
	}
	if p := os.Getenv("AEO_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("AEO_BROWSER_TEST is set but no chromium is on the PATH; install Debian's chromium package or set AEO_CHROMIUM")
	return ""
}

// TestBrowser renders each report in headless Chromium to a PNG and to a
// PDF, and checks that the picture is not blank and that the report
// prints on the expected number of A4 pages. The golden HTML files cover
// the content; this covers that a browser lays it out.
func TestBrowser(t *testing.T) {
	bin := chromium(t)
	out := os.Getenv("AEO_BROWSER_OUT")
	if out == "" {
		out = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(out, 0o755))
	byName := map[string]renderer{}
	for _, f := range fixtures(t) {
		byName[f.name] = f.report
	}
	for _, c := range browserCases {
		name := c.fixture + "." + c.lang
		t.Run(name, func(t *testing.T) {
			r, ok := byName[c.fixture]
			require.True(t, ok, "no fixture %s", c.fixture)
			var buf bytes.Buffer
			require.NoError(t, r.WriteHTML(&buf, report.Options{Language: c.lang}))
			page, err := filepath.Abs(filepath.Join(out, name+".html"))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(page, buf.Bytes(), 0o644))

			shot := filepath.Join(out, name+".png")
			runChromium(t, bin, "--screenshot="+shot, "--window-size=794,1123", "--hide-scrollbars", "file://"+page)
			mean, variance, ink := pixels(t, shot)
			t.Logf("%s: mean luminance %.1f, variance %.1f, %.1f%% of pixels inked", shot, mean, variance, 100*ink)
			if variance < 200 || ink < 0.02 {
				t.Errorf("%s looks blank: luminance variance %.1f, %.1f%% of pixels inked", shot, variance, 100*ink)
			}

			pdf := filepath.Join(out, name+".pdf")
			runChromium(t, bin, "--print-to-pdf="+pdf, "--no-pdf-header-footer", "file://"+page)
			data, err := os.ReadFile(pdf)
			require.NoError(t, err)
			if got := pdfPages(data); got != c.pages {
				t.Errorf("%s prints on %d A4 pages, want %d", pdf, got, c.pages)
			}
		})
	}
}

// runChromium runs the browser headless with a fresh profile, offline in
// all but name: no first-run, sync, component updates or background
// networking.
func runChromium(t *testing.T, bin string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", bin, args, err, stderr.String())
	}
}

// pixels returns the mean and variance of the luminance of the picture
// (0–255), and the share of its pixels that are not near white.
func pixels(t *testing.T, name string) (mean, variance, ink float64) {
	t.Helper()
	f, err := os.Open(name)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	b := img.Bounds()
	require.False(t, b.Empty(), "%s is empty", name)
	var sum, sq float64
	var n, inked int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			l := luminance(img, x, y)
			sum += l
			sq += l * l
			n++
			if l < 230 {
				inked++
			}
		}
	}
	mean = sum / float64(n)
	return mean, sq/float64(n) - mean*mean, float64(inked) / float64(n)
}

func luminance(img image.Image, x, y int) float64 {
	r, g, b, _ := img.At(x, y).RGBA()
	return (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)) / 257
}

var (
	pageObject = regexp.MustCompile(`/Type\s*/Page\b[^s]`)
	pageCount  = regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)`)
)

// pdfPages counts the pages of a PDF: the page objects, checked against
// the count its page tree states when it can be read.
func pdfPages(data []byte) int {
	n := len(pageObject.FindAll(data, -1))
	// A page tree may have inner nodes; the root counts every page, so
	// the largest count is the document's.
	root := -1
	for _, m := range pageCount.FindAllSubmatch(data, -1) {
		if c, err := strconv.Atoi(string(m[1])); err == nil && c > root {
			root = c
		}
	}
	if root >= 0 && root != n {
		return -1 // the two disagree: report neither
	}
	return n
}

func TestPDFPages(t *testing.T) {
	tests := []struct {
		pdf    string
		want   int
		reason string
	}{
		{"<</Type /Pages /Count 2 /Kids [3 0 R 4 0 R]>> <</Type /Page /Parent 2 0 R>> <</Type /Page /Parent 2 0 R>>", 2, "two page objects, as the tree says"},
		{"<</Type/Page/Parent 2 0 R>>", 1, "no space between the names"},
		{"<</Type /Pages /Count 3>> <</Type /Page >>", -1, "the tree and the objects disagree"},
		{"<</Type /Pages /Count 3 /Kids [3 0 R 4 0 R]>> <</Type /Pages /Count 2 /Parent 2 0 R>> <</Type /Page>> <</Type /Page>> <</Type /Page>>", 3, "an inner node of the page tree counts its own pages; the root counts them all"},
		{"no pdf at all", 0, "nothing"},
	}
	for _, tt := range tests {
		if got := pdfPages([]byte(tt.pdf)); got != tt.want {
			t.Errorf("pdfPages(%q) = %d, want %d; %s", tt.pdf, got, tt.want, tt.reason)
		}
	}

}
