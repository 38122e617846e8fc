package benefits_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/diag"
)

// Tests of the bounds and edges the other tests pass by: the exact size at
// which records are streamed, the first and last of a range, the smallest
// and largest values each check lets through.

func TestWriteJSON_heldUpTo64KiB(t *testing.T) {
	// WriteJSON holds up to 64 KiB before it writes anything, so that a
	// list that fills exactly that much and then meets a record JSON cannot
	// hold still writes nothing.
	rec := benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 1, 1), Quantity: 1, Ref: "x"}
	one, err := json.Marshal(rec)
	require.NoError(t, err)
	// "[" and "\n  " come before the first record.
	rec.Ref = strings.Repeat("x", 64<<10-len("[\n  ")-len(one)+1)
	var full bytes.Buffer
	require.NoError(t, benefits.WriteJSON(&full, []benefits.Record{rec}))
	require.Equal(t, 64<<10+len("\n]\n"), full.Len(), "the record fills the first 64 KiB exactly")

	bad := rec
	bad.Quantity = math.Inf(1)
	var b bytes.Buffer
	err = benefits.WriteJSON(&b, []benefits.Record{rec, bad})
	require.EqualError(t, err, "benefits: record 2: json: unsupported value: +Inf")
	assert.Zero(t, b.Len(), "exactly 64 KiB is still held: nothing reaches the writer before the refusal")
}

func TestCompile_builtinStepNamed(t *testing.T) {
	// With room for three nodes, the stairway's step 3 (risk_level ==
	// "low") compiles and its step 2 (risk_level in [...]) does not: the
	// problem names the built-in step by its number, 1-based as the steps'
	// levels are.
	_, err := benefits.Compile(benefits.Config{Catalogues: []string{"stairway"}}, benefits.WithMaxNodes(3))
	var list diag.List
	require.True(t, errors.As(err, &list), "Compile returns a diag.List, got %v", err)
	var paths []string
	for _, e := range list {
		paths = append(paths, e.Path)
	}
	assert.Equal(t, []string{"built-in stairway step 2.when"}, paths, "the second built-in step is step 2")
}

func TestCompile_overridesBlameWhatTheySet(t *testing.T) {
	// A benefit overridden twice: the problem is blamed on the override
	// that set the part at fault, not on the later one that changed
	// something else.
	tests := []struct {
		name   string
		first  benefits.Benefit
		want   string
		reason string
	}{
		{"eligible", benefits.Benefit{ID: "stair.speed", Eligible: "grade =="},
			"override[0].eligible", "the first override wrote the rule that does not compile"},
		{"level", benefits.Benefit{ID: "stair.speed", Level: 9},
			"override[0].level", "the first override set the step the stairway lacks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := benefits.Compile(benefits.Config{Catalogues: []string{"stairway"}, Override: []benefits.Benefit{
				tt.first, {ID: "stair.speed", Title: "Faster release"},
			}})
			var list diag.List
			require.True(t, errors.As(err, &list), "Compile returns a diag.List, got %v", err)
			require.Len(t, list, 1, "%v", err)
			assert.Equal(t, tt.want, list[0].Path, tt.reason)
		})
	}
}
