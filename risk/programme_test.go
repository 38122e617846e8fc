package risk_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/risk"
)

// file is the part of a programme file risk owns, as package aeo will
// embed it.
type file struct {
	Risk        risk.Config            `json:"risk"`
	Selectivity risk.SelectivityConfig `json:"selectivity"`
}

// TestProgrammeFile decodes the risk: and selectivity: sections with the
// programme decoder, strictly, and compiles them: the JSON tags are the
// programme-file keys.
func TestProgrammeFile(t *testing.T) {
	data, err := os.ReadFile("testdata/programme.yaml")
	require.NoError(t, err)
	var f file
	_, err = decode.DecodeInto("programme.yaml", data, &f)
	require.NoError(t, err)
	m, err := risk.Compile(f.Risk, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	s, err := risk.CompileSelectivity(f.Selectivity)
	require.NoError(t, err)

	got, err := m.Map(t.Context(), fullOperator(), []criteria.Finding{{Requirement: "B.4", Outcome: criteria.Partly}})
	require.NoError(t, err)
	assert.Equal(t, "medium", got.Level)
	plan := m.Plan(got.Risks, 50, day("2025-01-31"))
	assert.Equal(t, day("2025-04-30"), plan.ChangeMethod, "3m decodes as a period")
	assert.True(t, plan.Exact)

	d := decl("P1")
	d.Origin = ""
	dec := s.Select(&d, &risk.Operator{Partner: "US C-TPAT"})
	assert.Equal(t, "aeo-security", dec.Treatment, "the MRA date decodes")
	assert.Equal(t, []string{"no-origin"}, dec.Fired(), "if_missing: fire decodes")
}

// TestProgrammeFile_positions shows how the host turns a ConfigError into a
// file position: prefix the section, then resolve the path in the
// document, inside the expression.
func TestProgrammeFile_positions(t *testing.T) {
	data, err := os.ReadFile("testdata/programme.yaml")
	require.NoError(t, err)
	broken := strings.Replace(string(data), `origin == "US"'`, `origin == 1'`, 1)
	var f file
	doc, err := decode.DecodeInto("programme.yaml", []byte(broken), &f)
	require.NoError(t, err)
	_, err = risk.CompileSelectivity(f.Selectivity)
	var list diag.List
	require.True(t, errors.As(err, &list))
	var resolved diag.List
	resolved.Wrap("selectivity", err)
	require.Len(t, resolved, 1)
	doc.Resolve(resolved[0])
	assert.Equal(t, `programme.yaml:70:44: selectivity.rules[0].when: cannot apply == to a string and a number`, resolved[0].Error())

	bad := strings.Replace(string(data), "lane: blue", "lane: amber", 1)
	_, err = decode.DecodeInto("programme.yaml", []byte(bad), &f)
	assert.ErrorContains(t, err, `selectivity.rules[3].lane: unknown lane "amber" (want red, yellow, blue or green)`)
	bad = strings.Replace(string(data), "kind: spot_check", "kind: spot_chek", 1)
	_, err = decode.DecodeInto("programme.yaml", []byte(bad), &f)
	assert.ErrorContains(t, err, `risk.controls[2].kind: unknown control kind "spot_chek"`)
}
