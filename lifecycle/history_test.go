package lifecycle_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/lifecycle"
)

func TestReplayStates(t *testing.T) {
	f := sampleHistory(t)
	states, err := f.l.ReplayStates(f.recs)
	require.NoError(t, err)
	require.Len(t, states, len(f.recs), "one state per record")
	for i := range f.recs {
		want, err := f.l.Replay(f.recs[:i+1])
		require.NoError(t, err)
		if diff := cmp.Diff(want, states[i]); diff != "" {
			t.Errorf("state after record %d differs from the replay of the first %d records (-replay +states):\n%s", i, i+1, diff)
		}
	}
	if diff := cmp.Diff(f.a, states[len(states)-1]); diff != "" {
		t.Errorf("the last state differs from the live one (-live +replayed):\n%s", diff)
	}

	// A forged record stops the replay: the states before it are given,
	// with Replay's error.
	forged := copyRecords(f.recs)
	forged[7].To = lifecycle.StatusSuspended
	forged = rechain(t, forged)
	states, err = f.l.ReplayStates(forged)
	require.ErrorIs(t, err, lifecycle.ErrReplayMismatch)
	require.Len(t, states, 7, "the states of the records before the forged one")
}
