package aeotest_test

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
)

// TestFixtureProfilesAreStrict checks that a fixture's profile goes
// through the decoder aeo.LoadProfile uses, with the problems where the
// fixture (or the profile file it names) wrote them, and through the
// programme's vocabulary.
func TestFixtureProfilesAreStrict(t *testing.T) {
	fsys := fstest.MapFS{
		"dir/op.yaml": {Data: []byte("operator_id: XX5\nname: File Ltd\nroles: [importr]\n")},
	}
	tests := []struct {
		name   string
		src    string
		check  []string // the problems Check reports, at their places
		reason string
	}{{
		name: "a date aeo assess refuses",
		src: `cases:
  - name: c
    as_of: 2025-01-01
    profile: {operator_id: X, established: 2009-3-1}
`,
		check:  []string{`dir/f.yaml:4:44: cases[0].profile.established: want a date such as 2024-05-01 or 2024-05-01T10:00:00Z, not "2009-3-1"`},
		reason: "YAML's loose timestamps let 2009-3-1 through as a date; the strict decoder does not",
	}, {
		name: "a type error in the base",
		src: `base: {operator_id: X, employees: many}
cases:
  - {name: a, as_of: 2025-01-01}
  - {name: b, as_of: 2025-01-01}
`,
		check:  []string{`dir/f.yaml:1:35: base.employees: want a whole number, not "many"`},
		reason: "a problem of the base is reported once, at the base",
	}, {
		name: "vocabulary in base, case and profile file",
		src: `base: {operator_id: X, roles: [exportr]}
cases:
  - name: a
    as_of: 2025-01-01
    profile: {business_model: "43"}
  - name: b
    as_of: 2025-01-01
    profile_file: op.yaml
`,
		check: []string{
			`dir/f.yaml:1:32: base.roles[0]: unknown role "exportr"; did you mean "exporter"?`,
			`dir/f.yaml:5:15: cases[0].profile.business_model: unknown business model "43"; did you mean "4-3"?`,
			`dir/op.yaml:3:9: roles[0]: unknown role "importr"; did you mean "importer"?`,
		},
		reason: "each problem is where its value was written: the base, the case, or the profile file",
	}, {
		name: "a case overrides the base",
		src: `base: {operator_id: X, roles: [exportr], self_assessment: {D.1: "Yes", D.2: "yes"}}
cases:
  - name: a
    as_of: 2025-01-01
    profile: {roles: [exporter], self_assessment: {D.1: null}}
`,
		reason: "a value the case replaces or removes is no longer the base's problem",
	}}
	p, err := aeo.Baseline()
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx, err := aeotest.ParseFixtures(fsys, "dir/f.yaml", []byte(tt.src))
			require.NoError(t, err, "a case's profile problems are the case's: %s", tt.reason)
			err = fx.Check(p)
			for _, c := range fx.Cases {
				if res := aeotest.RunCase(t.Context(), p, c); len(tt.check) > 0 && res.Err == "" {
					t.Errorf("case %s runs although its profile is refused", c.Name)
				}
			}
			if len(tt.check) == 0 {
				require.NoError(t, err, tt.reason)
				return
			}
			require.Error(t, err, tt.reason)
			assert.Equal(t, tt.check, lines(err.Error()), tt.reason)
		})
	}
}

func lines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// TestFixtureProfileLaidOverBase checks the profile a case gets: the base
// with the case's keys laid over it, mappings merged and lists replaced,
// typed as aeo.LoadProfile types it.
func TestFixtureProfileLaidOverBase(t *testing.T) {
	src := `base:
  operator_id: X
  roles: [importer]
  established: 2009-03-01
  compliance: {unpaid_duties: false, infringements: []}
  self_assessment: {D.1: "yes", D.2: "no"}
cases:
  - name: a
    as_of: 2025-01-01
    profile:
      roles: [exporter]
      compliance: {infringements: [{date: 2024-01-10, severity: minor}]}
      self_assessment: {D.2: partly, D.1: null}
`
	fx, err := aeotest.ParseFixtures(nil, "f.yaml", []byte(src))
	require.NoError(t, err)
	prof, err := fx.Cases[0].OperatorProfile()
	require.NoError(t, err)
	assert.Equal(t, []string{"exporter"}, prof.Roles, "lists replace")
	assert.Equal(t, time.Date(2009, 3, 1, 0, 0, 0, 0, time.UTC), prof.Established)
	require.NotNil(t, prof.Compliance.UnpaidDuties, "mappings merge key by key")
	assert.Len(t, prof.Compliance.Infringements, 1)
	assert.Equal(t, map[string]string{"D.2": "partly"}, prof.SelfAssessment, "null removes an answer")
	again, err := aeo.ProfileFromMap(fx.Cases[0].Profile)
	require.NoError(t, err)
	assert.Equal(t, again.Roles, prof.Roles, "the case's mapping says the same")
}
