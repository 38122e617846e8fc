package criteria_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

// equivalenceConfig has one requirement on records and one on premises,
// each with an equivalence.
func equivalenceConfig(eqs ...criteria.Equivalence) criteria.Config {
	return criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "records", Type: "bool"}, {Name: "fenced", Type: "bool"}},
		Criteria: []criteria.Criterion{{ID: "B", Title: criteria.NewText("Records")}, {ID: "I", Title: criteria.NewText("Premises")}},
		Requirements: []criteria.Requirement{
			{ID: "B.1", Criterion: "B", Title: criteria.NewText("records"), When: "facts.records", Source: "SAFE B"},
			{ID: "I.1", Criterion: "I", Title: criteria.NewText("premises"), When: "facts.fenced", Source: "SAFE I", Sites: []string{criteria.SitesAll}},
		},
		Equivalences: eqs,
	}
}

func TestEquivalenceCompile(t *testing.T) {
	tests := []struct {
		name   string
		eq     criteria.Equivalence
		sites  []string
		paths  []string
		reason string
	}{{
		name:   "audit without age",
		eq:     criteria.Equivalence{ID: "pca", Evidence: criteria.EvidenceAudit, Certification: "post-clearance audit", Satisfies: []string{"B.1"}},
		paths:  []string{"equivalences[0].max_age"},
		reason: "an audit counts only while recent",
	}, {
		name:   "unknown evidence and status",
		eq:     criteria.Equivalence{ID: "x", Evidence: "rumour", AEO: "partner", Certification: "x", Satisfies: []string{"B.1"}},
		paths:  []string{"equivalences[0].evidence", "equivalences[0].aeo"},
		reason: "closed vocabularies",
	}, {
		name:   "recognised without issuers",
		eq:     criteria.Equivalence{ID: "mra", AEO: criteria.AEORecognised, Certification: "AEO", Satisfies: []string{"I.1"}},
		paths:  []string{"equivalences[0]"},
		reason: "recognition names the partner administrations",
	}, {
		name: "window upside down",
		eq: criteria.Equivalence{ID: "mra", Certification: "AEO", Satisfies: []string{"I.1"},
			From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
		paths:  []string{"equivalences[0].until"},
		reason: "until before from accepts nothing",
	}, {
		name:   "age in working days",
		eq:     criteria.Equivalence{ID: "pca", Evidence: criteria.EvidenceAudit, Certification: "pca", MaxAge: calendar.WorkingDays(20), Satisfies: []string{"B.1"}},
		paths:  []string{"equivalences[0].max_age"},
		reason: "an age counts back in calendar units",
	}, {
		name:   "all among kinds",
		eq:     criteria.Equivalence{ID: "iso", Certification: "ISO 28000", Satisfies: []string{"B.1"}},
		sites:  []string{"all", "warehouse"},
		paths:  []string{"requirements[1].sites"},
		reason: "all is every site, alone",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := equivalenceConfig(tt.eq)
			if tt.sites != nil {
				cfg.Requirements[1].Sites = tt.sites
			}
			_, err := criteria.Compile(cfg)
			require.Error(t, err, tt.reason)
			var got []string
			for _, e := range err.(diag.List) {
				got = append(got, e.Path)
			}
			assert.ElementsMatch(t, tt.paths, got, tt.reason)
		})
	}
}

// A Subject that cannot answer an evidence query can still show a
// certification valid on the date; an equivalence that asks for more is
// not satisfied and the requirement is decided by its rule.
func TestEquivalenceWithPlainSubject(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		eq     criteria.Equivalence
		asOf   time.Time
		want   map[string]criteria.Outcome
		reason string
	}{{
		name:   "certification",
		eq:     criteria.Equivalence{ID: "pca", Certification: "customs warehouse", Satisfies: []string{"B.1"}},
		asOf:   asOf,
		want:   map[string]criteria.Outcome{"B.1": criteria.Equivalent},
		reason: "kind and validity are all a plain Subject can show, and all this asks",
	}, {
		name:   "sites",
		eq:     criteria.Equivalence{ID: "mra", Certification: "customs warehouse", Satisfies: []string{"I.1"}},
		asOf:   asOf,
		want:   map[string]criteria.Outcome{"I.1": criteria.NotMet},
		reason: "I.1 concerns every site; a plain Subject cannot show the certificate covers them",
	}, {
		name:   "before the window",
		eq:     criteria.Equivalence{ID: "pca", Certification: "customs warehouse", From: from, Satisfies: []string{"B.1"}},
		asOf:   from.AddDate(0, 0, -1),
		want:   map[string]criteria.Outcome{"B.1": criteria.NotMet},
		reason: "the programme accepts the equivalence from its from date",
	}, {
		name:   "audit",
		eq:     criteria.Equivalence{ID: "pca", Evidence: criteria.EvidenceAudit, Certification: "customs warehouse", MaxAge: calendar.Period{Years: 3}, Satisfies: []string{"B.1"}},
		asOf:   asOf,
		want:   map[string]criteria.Outcome{"B.1": criteria.NotMet},
		reason: "a plain Subject holds no audits",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := criteria.Compile(equivalenceConfig(tt.eq))
			require.NoError(t, err)
			f := &criteria.Facts{Date: tt.asOf, Values: map[string]any{"records": false, "fenced": false},
				Certificates: map[string]string{"customs warehouse": "CW-1"}}
			res, err := set.Evaluate(t.Context(), f)
			require.NoError(t, err)
			for id, want := range tt.want {
				got, _ := res.Finding(id)
				assert.Equal(t, want, got.Outcome, "%s: %s", id, tt.reason)
			}
		})
	}
}
