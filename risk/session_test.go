package risk_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/risk"
)

// TestSession_Select checks that a Session decides as the Selector does,
// declaration after declaration, whatever it decided before: facts
// resolved for one declaration do not leak into the next.
func TestSession_Select(t *testing.T) {
	s := lanesSelector(t)
	ss := s.Session()
	ops := []*risk.Operator{nil, {Status: "authorized", Types: []string{"AEOS"}}, {Partner: "US C-TPAT", Status: "authorized"}}
	for i := 0; i < 300; i++ {
		d := decl(fmt.Sprint("D", i))
		switch i % 5 {
		case 0:
			d.Facts = map[string]any{"risk_score": 95.0}
		case 1:
			d.Facts = nil
		case 2:
			d.HSCode, d.Origin = "930100", ""
		case 3:
			d.Value = 200000
		}
		op := ops[i%len(ops)]
		want := s.Select(&d, op)
		got := ss.Select(&d, op)
		require.True(t, want.Equal(got), "declaration %d: session %+v, selector %+v", i, got, want)
	}
}

func TestSession_Select_allocs(t *testing.T) {
	s := risk.MustCompileSelectivity(profile50())
	ss := s.Session()
	d := benchDecl(7)
	op := &risk.Operator{Status: "authorized", Types: []string{"AEOC"}}
	allocs := testing.AllocsPerRun(200, func() {
		if dec := ss.Select(&d, op); dec.Lane == risk.NoLane {
			t.Fatal("no lane")
		}
	})
	assert.Zero(t, allocs, "Session.Select allocates %v times per declaration", allocs)
}
