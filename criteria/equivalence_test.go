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
		name:   "certification named",
		eq:     criteria.Equivalence{ID: "pca", Evidence: criteria.EvidenceCertification, Certification: "customs warehouse", Satisfies: []string{"B.1"}},
		asOf:   asOf,
		want:   map[string]criteria.Outcome{"B.1": criteria.Equivalent},
		reason: "certification is the default kind of evidence: naming it asks no more",
	}, {
		name:   "scope",
		eq:     criteria.Equivalence{ID: "pca", Certification: "customs warehouse", Scope: []string{"warehousing"}, Satisfies: []string{"B.1"}},
		asOf:   asOf,
		want:   map[string]criteria.Outcome{"B.1": criteria.NotMet},
		reason: "a plain Subject cannot show the certificate's scope",
	}, {
		name:   "age",
		eq:     criteria.Equivalence{ID: "pca", Certification: "customs warehouse", MaxAge: calendar.Period{Years: 3}, Satisfies: []string{"B.1"}},
		asOf:   asOf,
		want:   map[string]criteria.Outcome{"B.1": criteria.NotMet},
		reason: "a plain Subject cannot show when the certificate was issued",
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

// The EvidenceQuery helpers are what an EvidenceSubject uses to match
// its evidence: an age counted back from the assessment date, a scope
// matched without regard to case, the sites a requirement concerns.
func TestEvidenceQueryMatching(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	threeYears := criteria.EvidenceQuery{MaxAge: calendar.Period{Years: 3}}
	tests := []struct {
		name   string
		got    bool
		want   bool
		reason string
	}{
		{name: "no age limit", got: criteria.EvidenceQuery{}.Within(day(1990, 1, 1), asOf), want: true,
			reason: "without max_age any date will do"},
		{name: "no date under an age limit", got: threeYears.Within(time.Time{}, asOf), want: false,
			reason: "evidence without a date cannot show it is recent"},
		{name: "within the age", got: threeYears.Within(day(2023, 6, 1), asOf), want: true,
			reason: "less than three years before the assessment"},
		{name: "exactly the age", got: threeYears.Within(day(2022, 3, 31), asOf), want: true,
			reason: "the first day of the window counts"},
		{name: "a day too old", got: threeYears.Within(day(2022, 3, 30), asOf), want: false,
			reason: "the day before the window is too old"},
		{name: "on the assessment date", got: threeYears.Within(asOf.Add(15*time.Hour), asOf), want: true,
			reason: "the assessment day counts whatever the hour"},
		{name: "after the assessment date", got: threeYears.Within(day(2025, 4, 1), asOf), want: false,
			reason: "evidence dated after the assessment cannot be relied on as of it"},
		{name: "scope covered", got: criteria.EvidenceQuery{Scope: []string{"Warehousing", "transport"}}.Covers([]string{"TRANSPORT", "warehousing", "offices"}), want: true,
			reason: "every entry asked for is in the evidence's scope, whatever the case"},
		{name: "scope not covered", got: criteria.EvidenceQuery{Scope: []string{"warehousing", "transport"}}.Covers([]string{"warehousing"}), want: false,
			reason: "one entry missing is enough to fail"},
		{name: "no scope asked", got: criteria.EvidenceQuery{}.Covers(nil), want: true,
			reason: "a query without scope accepts any"},
		{name: "site kind concerned", got: criteria.EvidenceQuery{Sites: []string{"Warehouse"}}.Concerns("warehouse"), want: true,
			reason: "site kinds match without regard to case"},
		{name: "site kind not concerned", got: criteria.EvidenceQuery{Sites: []string{"warehouse"}}.Concerns("office"), want: false,
			reason: "an office is not a warehouse"},
		{name: "every site", got: criteria.EvidenceQuery{Sites: []string{criteria.SitesAll}}.Concerns("office"), want: true,
			reason: "all concerns every kind of site"},
		{name: "no site", got: criteria.EvidenceQuery{}.Concerns("office"), want: false,
			reason: "a requirement that names no site concerns none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.got, tt.reason)
		})
	}
}

// The programme accepts an equivalence from its from date to its until
// date, both included, counted in days.
func TestEquivalenceWindow(t *testing.T) {
	from, until := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		asOf   time.Time
		want   criteria.Outcome
		reason string
	}{
		{name: "day before from", asOf: from.AddDate(0, 0, -1), want: criteria.NotMet, reason: "not yet accepted"},
		{name: "from", asOf: from, want: criteria.Equivalent, reason: "accepted from its first day"},
		{name: "within", asOf: from.AddDate(0, 2, 0), want: criteria.Equivalent, reason: "accepted inside the window"},
		{name: "until, late in the day", asOf: until.Add(20 * time.Hour), want: criteria.Equivalent, reason: "accepted on its last day, whatever the hour"},
		{name: "day after until", asOf: until.AddDate(0, 0, 1), want: criteria.NotMet, reason: "no longer accepted"},
	}
	eq := criteria.Equivalence{ID: "pca", Certification: "customs warehouse", From: from, Until: until, Satisfies: []string{"B.1"}}
	set, err := criteria.Compile(equivalenceConfig(eq))
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &criteria.Facts{Date: tt.asOf, Values: map[string]any{"records": false, "fenced": false},
				Certificates: map[string]string{"customs warehouse": "CW-1"}}
			res, err := set.Evaluate(t.Context(), f)
			require.NoError(t, err)
			got, _ := res.Finding("B.1")
			assert.Equal(t, tt.want, got.Outcome, tt.reason)
		})
	}
}
