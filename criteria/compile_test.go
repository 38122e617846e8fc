package criteria_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

// compileErrors compiles cfg and returns its problems as path: message.
func compileErrors(t *testing.T, cfg criteria.Config) map[string]string {
	t.Helper()
	_, err := criteria.Compile(cfg)
	require.Error(t, err)
	list, ok := err.(diag.List)
	require.True(t, ok, "Compile reports a diag.List, got %T", err)
	got := map[string]string{}
	for _, e := range list {
		got[e.Path] = e.Message
	}
	return got
}

// Each problem is reported at the path of what is wrong, with a message
// naming it.
func TestCompileNamesTheProblem(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(*criteria.Config)
		path   string
		msg    string
		reason string
	}{{
		name: "requirement without criterion",
		mod: func(c *criteria.Config) {
			c.Requirements = append(c.Requirements, criteria.Requirement{ID: "B.2", Title: criteria.NewText("t"), When: "true", Source: "s"})
		},
		path:   "requirements[2]",
		msg:    "criterion is required: name the criterion this requirement belongs to",
		reason: "a requirement belongs to a criterion, and an empty name is not an unknown one",
	}, {
		name: "equivalence defined twice",
		mod: func(c *criteria.Config) {
			c.Equivalences = []criteria.Equivalence{
				{ID: "iso", Certification: "ISO 28000", Satisfies: []string{"B.1"}},
				{ID: "iso", Certification: "ISO 9001", Satisfies: []string{"B.1"}},
			}
		},
		path:   "equivalences[1].id",
		msg:    `equivalence "iso" defined twice`,
		reason: "an equivalence's ID names one equivalence",
	}, {
		name: "authorization defined twice",
		mod: func(c *criteria.Config) {
			c.Authorizations = []criteria.Authorization{{ID: "AEO", Title: criteria.NewText("AEO")}, {ID: "AEO", Title: criteria.NewText("again")}}
		},
		path:   "authorizations[1].id",
		msg:    `authorization "AEO" defined twice`,
		reason: "an authorization's ID names one authorization",
	}, {
		name: "empty scope",
		mod: func(c *criteria.Config) {
			c.Equivalences = []criteria.Equivalence{{ID: "iso", Certification: "ISO 28000", Scope: []string{"warehousing", " "}, Satisfies: []string{"B.1"}}}
		},
		path:   "equivalences[0].scope[1]",
		msg:    "an empty scope",
		reason: "a blank scope entry asks nothing any certificate could show",
	}, {
		name: "empty issuer",
		mod: func(c *criteria.Config) {
			c.Equivalences = []criteria.Equivalence{{ID: "iso", Certification: "ISO 28000", Issuers: []string{""}, Satisfies: []string{"B.1"}}}
		},
		path:   "equivalences[0].issuers[0]",
		msg:    "an empty issuer",
		reason: "a blank issuer names no one",
	}, {
		name: "audit as an AEO status",
		mod: func(c *criteria.Config) {
			c.Equivalences = []criteria.Equivalence{{ID: "mra", Evidence: criteria.EvidenceAudit, AEO: criteria.AEODomestic,
				MaxAge: calendar.Period{Years: 3}, Certification: "AEO", Satisfies: []string{"B.1"}}}
		},
		path:   "equivalences[0].aeo",
		msg:    "an AEO status is a certification, not an audit",
		reason: "an AEO status is held, not audited",
	}, {
		name: "empty site kind",
		mod: func(c *criteria.Config) {
			c.Requirements[1].Sites = []string{"warehouse", ""}
		},
		path:   "requirements[1].sites[1]",
		msg:    "an empty site kind",
		reason: "a blank site kind concerns no site",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := equivalenceConfig()
			tt.mod(&cfg)
			got := compileErrors(t, cfg)
			assert.Equal(t, map[string]string{tt.path: tt.msg}, got, tt.reason)
		})
	}
}

// Problems that are not there are not reported: the checks above do not
// fire on what they do not concern.
func TestCompileAcceptsWhatIsRight(t *testing.T) {
	tests := []struct {
		name   string
		mod    func(*criteria.Config)
		reason string
	}{{
		name: "equivalences with distinct IDs",
		mod: func(c *criteria.Config) {
			c.Equivalences = []criteria.Equivalence{
				{ID: "iso", Certification: "ISO 28000", Satisfies: []string{"B.1"}},
				{ID: "tapa", Certification: "TAPA FSR", Satisfies: []string{"I.1"}},
			}
		},
		reason: "two equivalences, two names",
	}, {
		name: "scope and issuers given",
		mod: func(c *criteria.Config) {
			c.Equivalences = []criteria.Equivalence{{ID: "iso", Certification: "ISO 28000", Scope: []string{"warehousing"},
				Issuers: []string{"DAkkS"}, Satisfies: []string{"B.1"}}}
		},
		reason: "a scope and an issuer that name something are accepted",
	}, {
		name: "recognised status with its partners",
		mod: func(c *criteria.Config) {
			c.Equivalences = []criteria.Equivalence{{ID: "mra", AEO: criteria.AEORecognised, Issuers: []string{"US CBP"}, Certification: "AEO", Satisfies: []string{"I.1"}}}
		},
		reason: "a recognised AEO status that names the partner administrations is complete",
	}, {
		name: "site kinds",
		mod: func(c *criteria.Config) {
			c.Requirements[1].Sites = []string{"warehouse", "office"}
		},
		reason: "several site kinds, none of them all",
	}, {
		name: "authorizations with distinct IDs",
		mod: func(c *criteria.Config) {
			c.Authorizations = []criteria.Authorization{{ID: "AEOC", Title: criteria.NewText("C")}, {ID: "AEOS", Title: criteria.NewText("S")}}
		},
		reason: "two authorizations, two names",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := equivalenceConfig()
			tt.mod(&cfg)
			_, err := criteria.Compile(cfg)
			assert.NoError(t, err, tt.reason)
		})
	}
}

// An unknown criterion's message lists the known ones when they are few
// enough to read (up to 20), and leaves the list out beyond that.
func TestUnknownCriterionListsTheKnown(t *testing.T) {
	tests := []struct {
		name   string
		n      int
		list   bool
		reason string
	}{
		{name: "one", n: 1, list: true, reason: "a single known criterion is worth naming"},
		{name: "twenty", n: 20, list: true, reason: "twenty criteria are still listed"},
		{name: "twenty-one", n: 21, list: false, reason: "beyond twenty the list is noise"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := criteria.Config{}
			var ids []string
			for i := range tt.n {
				id := fmt.Sprintf("C%02d", i)
				ids = append(ids, id)
				cfg.Criteria = append(cfg.Criteria, criteria.Criterion{ID: id, Title: criteria.NewText(id)})
				cfg.Requirements = append(cfg.Requirements, criteria.Requirement{ID: id + ".1", Criterion: id, Title: criteria.NewText("t"), When: "true", Source: "s"})
			}
			cfg.Requirements = append(cfg.Requirements, criteria.Requirement{ID: "Z.1", Criterion: "Z", Title: criteria.NewText("t"), When: "true", Source: "s"})
			got := compileErrors(t, cfg)
			want := `unknown criterion "Z"`
			if tt.list {
				want += " (known: " + strings.Join(ids, ", ") + ")"
			}
			assert.Equal(t, map[string]string{fmt.Sprintf("requirements[%d].criterion", tt.n): want}, got, tt.reason)
		})
	}
}

// A requirement that calls for on-site evidence, met or partly met, is
// still to be verified on site; one that does not call for it never is.
func TestVerifyOnSite(t *testing.T) {
	req := func(id string, ev ...criteria.Evidence) criteria.Requirement {
		return criteria.Requirement{ID: id, Criterion: "G", Title: criteria.NewText(id), When: "facts." + id + " == 'met'",
			Partly: "facts." + id + " == 'partly'", Evidence: ev, Source: "SAFE G"}
	}
	cfg := criteria.Config{
		Facts:    []criteria.FactDecl{{Name: "site", Type: "string"}, {Name: "paper", Type: "string"}, {Name: "both", Type: "string"}},
		Criteria: []criteria.Criterion{{ID: "G", Title: criteria.NewText("Cargo security")}},
		Requirements: []criteria.Requirement{
			req("site", criteria.OnSite),
			req("paper", criteria.Document),
			req("both", criteria.Document, criteria.OnSite),
		},
	}
	set, err := criteria.Compile(cfg)
	require.NoError(t, err)
	tests := []struct {
		name   string
		facts  map[string]any
		want   []string
		reason string
	}{{
		name:   "all met",
		facts:  map[string]any{"site": "met", "paper": "met", "both": "met"},
		want:   []string{"site", "both"},
		reason: "on-site evidence alone or beside a document is verified on site; a document alone is not",
	}, {
		name:   "partly met",
		facts:  map[string]any{"site": "partly", "paper": "partly", "both": "no"},
		want:   []string{"site"},
		reason: "a partly met requirement is verified on site too; a not met one has nothing to verify",
	}, {
		name:   "none met",
		facts:  map[string]any{"site": "no", "paper": "met", "both": "no"},
		want:   nil,
		reason: "nothing met that calls for a visit: no list",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.VerifyOnSite, tt.reason)
			for _, f := range res.Findings {
				assert.Equal(t, slices.Contains(tt.want, f.Requirement), f.VerifyOnSite, "%s: %s", f.Requirement, tt.reason)
			}
		})
	}
}

// A combined authorization is decided on every criterion of the
// authorizations it includes, each once, and says which failed and which
// are pending.
func TestCombinedAuthorizationCriteria(t *testing.T) {
	set := criteria.MustCompile(eu())
	tests := []struct {
		name    string
		facts   map[string]any
		failed  []string
		pending []string
		tally   criteria.Tally
		reason  string
	}{{
		name:    "security fails, competence unknown",
		facts:   map[string]any{"compliance": true, "security": false},
		failed:  []string{"security"},
		pending: []string{"competence"},
		tally:   criteria.Tally{Met: 1, NotMet: 1, Indeterminate: 1, Applicable: 3, Weight: 3, WeightMet: 1},
		reason:  "AEOF takes compliance (once), competence and security from AEOC and AEOS",
	}, {
		name:   "all met",
		facts:  map[string]any{"compliance": true, "competence": true, "security": true},
		tally:  criteria.Tally{Met: 3, Applicable: 3, Weight: 3, WeightMet: 3},
		reason: "compliance, shared by both types, counts once",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := set.Evaluate(t.Context(), subject(tt.facts))
			require.NoError(t, err)
			a, ok := res.Authorization("AEOF")
			require.True(t, ok)
			assert.Equal(t, tt.failed, a.Failed, tt.reason)
			assert.Equal(t, tt.pending, a.Pending, tt.reason)
			assert.Equal(t, tt.tally, a.Tally, tt.reason)
		})
	}
}
