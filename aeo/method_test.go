package aeo_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/lifecycle"
)

func TestClassesAndWorkload(t *testing.T) {
	yes, n, decl := true, 40, 900
	tests := []struct {
		name    string
		prof    *aeo.Profile
		classes []string
		reason  string
	}{
		{"nil", nil, nil, "no profile, no class"},
		{"roles", &aeo.Profile{Roles: []string{"vendor", "importer", "vendor"}}, []string{"importer", "vendor"}, "roles once each, sorted"},
		{"sme and model", &aeo.Profile{Roles: []string{"ecommerce_platform"}, SME: &yes, BusinessModel: "3"}, []string{"ecommerce_platform", "model_3", "sme"},
			"an SME and its business model are classes a relaxation may name"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.classes, aeo.Classes(tt.prof), tt.reason)
	}
	w := aeo.Workload(&aeo.Profile{Employees: &n, DeclarationsPerYear: &decl}, "simple")
	require.NotNil(t, w.Employees)
	assert.Equal(t, lifecycle.Workload{Employees: &n, Declarations: &decl, Complexity: "simple"}, w)
	assert.Nil(t, aeo.Workload(&aeo.Profile{}, "").Employees, "a count the profile lacks stays unknown")
}

func TestRelaxationNamesKnownRequirements(t *testing.T) {
	_, err := aeo.Parse("p.yaml", []byte(`programme: {name: X, version: "1"}
extends: baseline
lifecycle:
  validation:
    relax:
      - {requirements: [C.1, Z.9], methods: [document_review], source: national rule}
`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `p.yaml:6:`)
	assert.Contains(t, err.Error(), `unknown requirement "Z.9"`)
}

func TestObligations(t *testing.T) {
	p, err := aeo.Parse("p.yaml", []byte(`programme:
  name: X
  version: "1"
  commitments:
    E.C1: Customs publishes awareness material on its website.
criteria: [{id: D, title: Communication}, {id: E, title: Training}]
requirements:
  - {id: D.1, criterion: D, title: contact points, when: "true", source: s}
  - {id: D.C2, criterion: D, side: customs, title: Procedures for raising issues, met_by: [lifecycle.issues], source: s}
  - {id: D.C3, criterion: D, side: customs, title: Contact points, met_by: [requirements.D.1, criteria.D], source: s}
  - {id: E.1, criterion: E, title: training, when: "true", source: s}
  - {id: E.C1, criterion: E, side: customs, title: Awareness material, met_by: [programme.commitments.E.C1], source: s}
  - {id: E.C2, criterion: E, side: customs, title: Something unsaid, source: s}
lifecycle:
  decision_deadline: 30d
`))
	require.NoError(t, err)
	got := map[string][]string{}
	for _, o := range p.Obligations() {
		got[o.ID] = o.Missing
		if o.ID == "D.C3" || o.ID == "E.C1" {
			assert.True(t, o.Met, "%s: every key it names is set", o.ID)
		} else {
			assert.False(t, o.Met, "%s is not met", o.ID)
		}
	}
	assert.Equal(t, []string{"lifecycle.issues"}, got["D.C2"], "the lifecycle sets no issues section")
	assert.Len(t, got, 4, "the operator's requirements are not obligations of Customs")
	assert.Equal(t, []string{
		"D.C2 Procedures for raising issues: set lifecycle.issues, or state how Customs meets it under programme.commitments.D.C2",
		"E.C2 Something unsaid: state how Customs meets it under programme.commitments.E.C2",
	}, p.OpenObligations())

	_, err = aeo.Parse("p.yaml", []byte(`programme:
  name: X
  version: "1"
  commitments: {Z.C9: nothing}
criteria: [{id: D, title: Communication}]
requirements:
  - {id: D.1, criterion: D, title: contact points, when: "true", source: s}
  - {id: D.C2, criterion: D, side: customs, title: t, met_by: [lifecycel.issues], source: s}
`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"lifecycel.issues" is not a key of the programme file`)
	assert.Contains(t, err.Error(), `no obligation of Customs (a requirement with side: customs) has the ID "Z.C9"`)
}
