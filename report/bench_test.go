package report_test

import (
	"io"
	"testing"

	"github.com/safe-aeo/engine/report"
)

// BenchmarkReports renders each report, as a decision service would on
// every request.
func BenchmarkReports(b *testing.B) {
	for _, f := range fixtures(b) {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.report.WriteHTML(io.Discard, report.Options{Language: "fr"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
