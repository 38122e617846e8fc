package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPublish runs aeo publish on every example programme, in both
// formats: the document is written from the programme file alone. The
// report package's golden tests check the content.
func TestPublish(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/programme.yaml")
	require.NoError(t, err)
	files = append(files, "../../examples/pilot/draft.yaml", "../../examples/mra/partner-2025.yaml")
	require.GreaterOrEqual(t, len(files), 9)
	for _, f := range files {
		for _, format := range []string{"markdown", "html"} {
			t.Run(filepath.Base(filepath.Dir(f))+"/"+format, func(t *testing.T) {
				var out, errOut bytes.Buffer
				code := run([]string{"publish", "--format", format, f}, &out, &errOut)
				require.Equal(t, 0, code, errOut.String())
				if format == "html" {
					assert.True(t, strings.HasPrefix(out.String(), "<!DOCTYPE html>"))
					assert.NotContains(t, out.String(), "<script", "a page with no script")
				} else {
					assert.Contains(t, out.String(), "## Rights of appeal")
				}
			})
		}
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		reason string
	}{
		{"french", []string{"publish", "--lang", "fr", "../../examples/eu/programme.yaml"}, 0, "the labels in the reader's language"},
		{"no programme", []string{"publish"}, 2, "a usage error"},
		{"bad format", []string{"publish", "--format", "pdf", "../../examples/eu/programme.yaml"}, 2, "markdown or html"},
		{"broken", []string{"publish", "testdata/broken.yaml"}, 2, "a programme that does not load"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			assert.Equal(t, tt.code, run(tt.args, &out, &errOut), "%s: %s", tt.reason, errOut.String())
		})
	}
}
