package risk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/risk"
)

// TestSelectorConfigIsACopy checks that neither the configuration given
// to CompileSelectivity nor the one Config returns shares memory with the
// selector: changing them changes no lane.
func TestSelectorConfigIsACopy(t *testing.T) {
	cfg := lanes()
	s := risk.MustCompileSelectivity(cfg)
	want := s.Config()
	require.NotEmpty(t, want.AEO)
	require.NotEmpty(t, want.AEO[0].Statuses)

	got := s.Config()
	got.Rules[0].ID = "changed"
	got.AEO[0].Statuses[0] = "changed"
	got.Facts[0].Name = "changed"
	if got.AEO[0].RuleFactor != nil {
		*got.AEO[0].RuleFactor = 42
	}
	cfg.Rules[0].ID = "changed too"
	cfg.AEO[0].Statuses[0] = "changed too"
	assert.Equal(t, want, s.Config(), "the selector keeps its own copy and hands out copies")
}
