package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConsole runs the eval console as on a terminal: a prompt, commands,
// and a problem that is printed without ending the session.
func TestConsole(t *testing.T) {
	p, err := loadProgramme("testdata/small.yaml", "")
	require.NoError(t, err)
	var out bytes.Buffer
	s := &evalSession{p: p, date: time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC), w: &out}
	in := strings.Join([]string{
		"facts.compliance_score >= 80",
		":profile testdata/profiles/a-clean.yaml",
		"facts.compliance_score >= 80",
		"facts.compliance_scor",
		":as-of 2020-01-01",
		"as_of",
		":frobnicate",
		"C.2",
		":help",
		":quit",
		"never read",
	}, "\n")
	require.NoError(t, s.repl(strings.NewReader(in), true), "on a terminal a problem does not end the session")
	got := out.String()
	for _, want := range []string{
		"Small programme 1, an empty profile, as of 2025-03-31. :help for help.\naeo> ",
		"indeterminate: the profile lacks facts.compliance_score",
		"profile testdata/profiles/a-clean.yaml",
		"true (boolean)\n  read: facts.compliance_score = 91",
		`unknown fact "compliance_scor": did you mean facts.compliance_score?`,
		"as of 2020-01-01",
		"2020-01-01 (date)",
		"unknown command :frobnicate; :help lists them",
		"C.2 Compliance score of at least 80: met",
		":profile FILE   evaluate against this profile",
	} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "never read", ":quit ends the session")
}
