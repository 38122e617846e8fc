package bench

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/criteria"
)

// TestDecideAgrees checks that decision-only evaluation decides what the
// explained evaluation decides, on every generated operator: the same
// outcomes, points, tallies, scores, recommendations and grades.
func TestDecideAgrees(t *testing.T) {
	cfg := loadProgramme(t)
	set := compileSet(t, cfg)
	var explained, decided criteria.Result
	ignore := cmp.Options{
		cmpopts.IgnoreUnexported(criteria.Result{}),
		cmpopts.IgnoreFields(criteria.Finding{}, "Title", "Source", "Unverified", "Messages", "Facts", "Missing", "Failed", "Equivalence", "Reason"),
		cmpopts.IgnoreFields(criteria.CriterionResult{}, "Title", "Reason"),
		cmpopts.IgnoreFields(criteria.AuthorizationResult{}, "Title", "Reason"),
	}
	for i, o := range Operators(4, 3000) {
		require.NoError(t, set.EvaluateInto(t.Context(), o, &explained))
		require.NoError(t, set.DecideInto(t.Context(), o, &decided))
		if diff := cmp.Diff(explained, decided, ignore); diff != "" {
			t.Fatalf("operator %d: decision-only differs from explained (-explained +decided):\n%s", i, diff)
		}
		for _, f := range decided.Findings {
			require.Nil(t, f.Facts, "decision-only records no fact values")
			require.Empty(t, f.Reason, "decision-only builds no reasons")
		}
	}
}

// TestDecideAllocs holds decision-only evaluation into a reused Result to
// no allocation per operator, on the programme in both forms: a string
// builtin in a natural rule (upper) allocates nothing for its
// arguments.
func TestDecideAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop what it holds")
	}
	for _, tt := range []struct {
		name   string
		cfg    func(testing.TB) criteria.Config
		reason string
	}{
		{"rewritten", loadProgramme, "the forms the fast path covered first"},
		{"natural", loadNatural, "as authors write them: upper(country) in [...] calls a string builtin"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			set := compileSet(t, tt.cfg(t))
			ops := Operators(5, nInputs)
			var res criteria.Result
			ctx := t.Context()
			for _, o := range ops {
				require.NoError(t, set.DecideInto(ctx, o, &res))
			}
			i := 0
			allocs := testing.AllocsPerRun(1000, func() {
				if err := set.DecideInto(ctx, ops[i%nInputs], &res); err != nil {
					t.Fatal(err)
				}
				i++
			})
			if allocs > 0 {
				t.Errorf("DecideInto allocates %v times per operator, want 0: %s", allocs, tt.reason)
			}
		})
	}
}
