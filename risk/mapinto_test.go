package risk_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// TestModel_MapInto checks that mapping into a reused Map gives what Map
// gives, whatever the Map held before.
func TestModel_MapInto(t *testing.T) {
	m := demoModel(t)
	envs := []*operatorEnv{fullOperator(), {AsOf: day("2025-01-31")}, fullOperator()}
	envs[2].Chapters = []string{"93"}
	envs[2].Infringements = ptr(9)
	findings := [][]criteria.Finding{
		{{Requirement: "B.1", Outcome: criteria.NotMet}, {Requirement: "C.1", Outcome: criteria.NotMet}},
		nil,
		{{Requirement: "K.2", Criterion: "security", Outcome: criteria.Partly}},
	}
	var reused risk.Map
	for round := 0; round < 2; round++ {
		for i, env := range envs {
			want, err := m.Map(t.Context(), env, findings[i])
			require.NoError(t, err)
			require.NoError(t, m.MapInto(t.Context(), env, findings[i], &reused))
			if diff := cmp.Diff(want, reused, cmpopts.IgnoreUnexported(risk.Map{})); diff != "" {
				t.Fatalf("round %d, operator %d: MapInto differs from Map (-Map +MapInto):\n%s", round, i, diff)
			}
		}
	}
}

// TestModel_MapIntoAllocs holds mapping the dimensions of an operator into
// a reused Map to no allocation.
func TestModel_MapIntoAllocs(t *testing.T) {
	cfg := demo()
	cfg.Risks, cfg.Findings, cfg.Controls = nil, nil, nil
	m, err := risk.Compile(cfg, risk.WithEnv(&operatorEnv{}))
	require.NoError(t, err)
	env := fullOperator()
	var out risk.Map
	ctx := t.Context()
	require.NoError(t, m.MapInto(ctx, env, nil, &out))
	allocs := testing.AllocsPerRun(200, func() {
		if err := m.MapInto(ctx, env, nil, &out); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 0 {
		t.Errorf("MapInto allocates %v times per operator, want 0", allocs)
	}
}
