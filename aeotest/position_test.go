package aeotest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
)

const positioned = `base:
  operator_id: XX2
  compliance: {infringements: []}
  financials: [{year: 2024, net_assets: -5}]
cases:
  - name: wrong expectation
    as_of: 2025-03-31
    expect:
      requirements:
        S.1: met
      authorizations: {AEO: recommend}
  - name: misspelt key
    as_of: 2025-03-31
    profile:
      compliance: {infringments: []}
  - name: undeclared fact
    as_of: 2025-03-31
    profile:
      facts: {scoer: 3}
`

func TestPositions(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "fixtures.yaml")
	require.NoError(t, os.WriteFile(name, []byte(positioned), 0o644))
	fx, err := aeotest.LoadFixtures(name)
	require.NoError(t, err)
	p, err := aeo.Parse("programme.yaml", []byte(programme))
	require.NoError(t, err)

	c := fx.Cases[0]
	assert.Equal(t, name, c.File)
	assert.Equal(t, 6, c.Line, "a case knows where it starts")
	res := aeotest.RunCase(context.Background(), p, c)
	require.Len(t, res.Mismatches, 2)
	lines := map[string]int{}
	for _, m := range res.Mismatches {
		f, l := aeotest.Position(c, m)
		assert.Equal(t, name, f)
		lines[m.What] = l
	}
	assert.Equal(t, map[string]int{"requirement S.1": 10, "authorization AEO": 11}, lines, "each mismatch points at its expectation")

	res = aeotest.RunCase(context.Background(), p, fx.Cases[1])
	assert.Equal(t, name+`:15:20: cases[1].profile.compliance.infringments: unknown key "infringments"; did you mean "infringements"?`, res.Err,
		"a problem in a case's profile is reported in the fixtures file, at the key")

	res = aeotest.RunCase(context.Background(), p, fx.Cases[2])
	assert.Equal(t, name+`:19:15: cases[2].profile.facts.scoer: the programme declares no such fact`, res.Err,
		"an undeclared fact is reported where the case sets it")
}
