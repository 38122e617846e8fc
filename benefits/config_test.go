package benefits_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
)

// programmeFile is the part of a programme file the benefits section
// lives in, as the aeo loader decodes it.
type programmeFile struct {
	Benefits benefits.Config `json:"benefits"`
}

// load decodes and compiles a programme file the way the aeo loader does:
// strict keys, then Compile, with problems prefixed by the section key and
// resolved to file positions.
func load(t *testing.T, name string) (*benefits.Catalogue, []string) {
	t.Helper()
	path := filepath.Join("testdata", "programme", name)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var f programmeFile
	doc, err := decode.DecodeInto(path, data, &f)
	var problems diag.List
	if err != nil {
		require.True(t, errors.As(err, &problems), "decode error is %T", err)
	}
	var c *benefits.Catalogue
	if err == nil {
		c, err = benefits.Compile(f.Benefits)
		problems.Wrap("benefits", err)
	}
	var out []string
	for _, p := range problems {
		doc.Resolve(p)
		out = append(out, p.Error())
	}
	return c, out
}

func TestConfig_fromFile(t *testing.T) {
	c, problems := load(t, "good.yaml")
	require.Empty(t, problems)
	h := &benefits.Holder{Status: "authorized", Types: []string{"AEOS"}, Grade: "AA", Roles: []string{"importer"},
		Facts: map[string]any{"declarations_per_year": 250.0}}
	e, err := c.Decide(h, "op.ctpat.priority-search", date(2025, 9, 1))
	require.NoError(t, err)
	assert.Equal(t, benefits.Granted, e.Status, e.Reason)
	e, _ = c.Decide(h, "xx.member-lane", date(2025, 9, 1))
	assert.Equal(t, benefits.NotYetIntroduced, e.Status)
	e, _ = c.Decide(h, "xx.member-lane", date(2026, 1, 1))
	assert.Equal(t, benefits.Granted, e.Status, e.Reason)
	e, _ = c.Decide(h, "stair.periodic-declarations", date(2026, 1, 1))
	assert.Equal(t, benefits.Granted, e.Status, "grade AA stands on step 2 of this programme's stairway")
	b, _ := c.Benefit("safe.info.points-of-contact")
	assert.Equal(t, "hours", b.Measure)
}

// TestConfig_fromFile_errors checks that every problem of a section is
// reported with the file, line and column the rule author must edit,
// inside expressions too.
func TestConfig_fromFile_errors(t *testing.T) {
	_, problems := load(t, "bad.yaml")
	want := []string{
		`testdata/programme/bad.yaml:10:22: benefits.activation.xx.member-lane.when: unknown key "when"; known keys: date, milestone, note`,
	}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("decode problems mismatch (-want +got):\n%s", diff)
	}
	// With the key fixed, Compile reports the rest.
	data, err := os.ReadFile(filepath.Join("testdata", "programme", "bad.yaml"))
	require.NoError(t, err)
	fixed := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(fixed, []byte(string(data[:len(data)-len("{when: 2026-01-01}\n")])+"{date: 2026-01-01}\n"), 0o644))
	var f programmeFile
	doc, err := decode.DecodeInto(fixed, mustRead(t, fixed), &f)
	require.NoError(t, err)
	_, err = benefits.Compile(f.Benefits)
	var problemsList diag.List
	problemsList.Wrap("benefits", err)
	var got []string
	for _, p := range problemsList {
		doc.Resolve(p)
		got = append(got, p.Error())
	}
	want = []string{
		fixed + `:8:16: benefits.add[0].measure: measure "Crossings" must be lower case letters, digits and _, e.g. crossings or minutes_saved`,
		fixed + `:7:28: benefits.add[0].eligible: cannot apply == to a string and a number`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("compile problems mismatch (-want +got):\n%s", diff)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
