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
