package aeo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/lifecycle"
)

func dayUTC(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestSetVersionInForce checks which version of a set decides: the one in
// force on the filing date for an application, the one in force on the
// event's date otherwise, and none before the first.
func TestSetVersionInForce(t *testing.T) {
	s, err := aeo.LoadSet("testdata/set/versions.yaml")
	require.NoError(t, err)
	vs := s.Versions()
	require.Len(t, vs, 2)
	assert.Equal(t, dayUTC("2026-03-31"), vs[0].Until)
	assert.True(t, vs[1].Until.IsZero(), "the last version runs until further notice")

	tests := []struct {
		filed, asOf string
		want        string
		reason      string
	}{
		{"2026-03-31", "2026-05-01", "2021.1", "filed on the last day of the old version: decided under it"},
		{"2026-04-01", "2026-05-01", "2026.1", "filed on the first day of the new version"},
		{"", "2026-05-01", "2026.1", "no filing date: the as-of date decides"},
	}
	for _, tt := range tests {
		var filed time.Time
		if tt.filed != "" {
			filed = dayUTC(tt.filed)
		}
		p, err := s.ForApplication(filed, dayUTC(tt.asOf))
		require.NoError(t, err, tt.reason)
		assert.Equal(t, tt.want, p.Version(), tt.reason)
	}
	_, err = s.At(dayUTC("2021-10-31"))
	require.ErrorIs(t, err, aeo.ErrNoVersion)
	assert.Contains(t, err.Error(), "the first version (2021.1) takes effect on 2021-11-01")

	// The lifecycle: an application lodged under the old version stays
	// under it until decided; its records name that version.
	lodge := lifecycle.Event{Kind: lifecycle.EventLodge, At: dayUTC("2026-03-20"), Actor: "op", Role: lifecycle.ActorOperator, Types: []string{"AEO"}}
	m, err := s.Lifecycle(lifecycle.Authorization{}, lodge)
	require.NoError(t, err)
	a, r1, err := m.Apply(lifecycle.Authorization{}, lodge)
	require.NoError(t, err)
	accept := lifecycle.Event{Kind: lifecycle.EventAccept, At: dayUTC("2026-04-10"), Actor: "o", Role: lifecycle.ActorOfficer}
	m, err = s.Lifecycle(a, accept)
	require.NoError(t, err)
	old, _ := s.Version("2021.1")
	assert.Equal(t, old.Fingerprint(), m.Fingerprint(), "a pending application stays under the version it was filed under")
	a, r2, err := m.Apply(a, accept)
	require.NoError(t, err)
	got, err := s.Replay(lifecycle.Trail{r1, r2})
	require.NoError(t, err)
	assert.Equal(t, a, got)

	changes := aeo.TimeRuleChanges(old, vs[1].Programme)
	assert.Equal(t, []aeo.RuleChange{{Rule: "revalidation.cycle", Old: "3y", New: "5y"}}, changes)
	prof, err := aeo.ProfileFromMap(map[string]any{"operator_id": "X", "compliance": map[string]any{"infringements": []any{map[string]any{"date": "2023-09-01", "severity": "serious"}}}})
	require.NoError(t, err)
	impact, err := s.Impact(t.Context(), "2021.1", "2026.1", []*aeo.Profile{prof}, dayUTC("2026-04-15"))
	require.NoError(t, err)
	assert.Contains(t, impact, aeo.Change{Profile: "X", Kind: "requirement", ID: "C.1", Old: "met", New: "not met"})
}

// TestSetBadInput checks that overlapping versions, a gap, and an
// application dated before the first version are each a clear error
// with file, line and column.
func TestSetBadInput(t *testing.T) {
	tests := []struct {
		name   string
		want   []string
		reason string
	}{{
		name: "testdata/set/bad/versions.yaml",
		want: []string{
			"testdata/set/bad/versions.yaml:5:38: versions[2].effective: version \"2021.1\" is also the version of ../v2021.yaml",
			"testdata/set/bad/versions.yaml:4:5: versions[1].effective: version 2026.1 takes effect on 2026-04-01, while version 2021.1 (../v2021.yaml) is still in force until 2026-04-15: versions overlap",
			"testdata/set/bad/versions.yaml:5:38: versions[2].effective: ../v2021.yaml says the version is in force from 2021-11-01, the index from 2021-11-02",
		},
		reason: "overlapping versions, a version listed twice, an index that contradicts its programme",
	}, {
		name:   "testdata/set/bad/gap.yaml",
		want:   []string{"testdata/set/bad/gap.yaml:4:5: versions[1].effective: a gap: version 2021.1 (../v2021.yaml) ends on 2026-02-28 and version 2026.1 takes effect on 2026-04-01; no version is in force from 2026-03-01 to 2026-03-31"},
		reason: "a gap between two versions",
	}, {
		name:   "testdata/set/folder",
		want:   []string{"testdata/set/folder/v2026.yaml:2:83: programme.effective: a gap: version 2021.1 (v2021.yaml) ends on 2026-03-31 and version 2026.1 takes effect on 2026-05-01"},
		reason: "in a folder the programmes date themselves; the gap is reported in the later one",
	}}
	for _, tt := range tests {
		_, err := aeo.LoadSet(tt.name)
		require.Error(t, err, tt.reason)
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: the problems do not include\n\t%s\ngot:\n%s", tt.name, w, err)
			}
		}
	}

	s, err := aeo.LoadSet("testdata/set/versions.yaml")
	require.NoError(t, err)
	fx, err := aeotest.LoadFixtures("testdata/set/bad/fixtures.yaml")
	require.NoError(t, err)
	res := aeotest.RunSetCase(t.Context(), s, fx.Cases[0])
	assert.Equal(t, "testdata/set/bad/fixtures.yaml:7:34: cases[0].lifecycle[0].event.at: no version of the programme in force on 2021-10-15: the first version (2021.1) takes effect on 2021-11-01", res.Err)
}

// TestSetFixtures runs a set's fixtures: each case under the version
// that decides it.
func TestSetFixtures(t *testing.T) {
	aeotest.Run(t, "testdata/set/versions.yaml", "testdata/set/fixtures.yaml")
}
