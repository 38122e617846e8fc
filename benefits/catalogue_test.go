package benefits_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

// TestBuiltin checks what every built-in catalogue promises: each benefit
// is sourced, anything not checked against its source says so, and IDs are
// unique across catalogues.
func TestBuiltin(t *testing.T) {
	seen := map[string]string{}
	for _, name := range benefits.Catalogues() {
		bs, steps, err := benefits.Builtin(name)
		require.NoError(t, err, name)
		require.NotEmpty(t, bs, name)
		for _, b := range bs {
			assert.Equal(t, name, b.Catalogue, b.ID)
			assert.NotEmpty(t, b.Source, "%s: every benefit names its source", b.ID)
			assert.NotEmpty(t, b.Title, b.ID)
			assert.NotEmpty(t, b.Heading, "%s: every built-in benefit has a heading", b.ID)
			if b.Unverified {
				assert.NotEmpty(t, b.Note, "%s: an unverified benefit says what is uncertain", b.ID)
			}
			if prev, dup := seen[b.ID]; dup {
				t.Errorf("benefit %s in both %s and %s", b.ID, prev, name)
			}
			seen[b.ID] = name
		}
		if name == benefits.CatalogueStairway {
			require.Len(t, steps, 3)
			for i, s := range steps {
				assert.Equal(t, i+1, s.Level)
			}
		} else {
			assert.Empty(t, steps, name)
		}
	}
	_, _, err := benefits.Builtin("nope")
	require.Error(t, err)
}

func TestBuiltin_safeHeadings(t *testing.T) {
	bs, _, err := benefits.Builtin(benefits.CatalogueSAFE)
	require.NoError(t, err)
	var headings []string
	for _, b := range bs {
		if !slices.Contains(headings, b.Heading) {
			headings = append(headings, b.Heading)
		}
		assert.True(t, b.Unverified, "%s: SAFE's headings are [R] in the reference", b.ID)
	}
	want := []string{
		"Measures to expedite cargo release, reduce transit time and lower storage costs",
		"Access to information of value to AEOs",
		"Special measures during periods of trade disruption or elevated threat level",
		"First consideration for participation in new cargo-processing programmes",
	}
	if diff := cmp.Diff(want, headings); diff != "" {
		t.Errorf("SAFE headings mismatch (-want +got):\n%s", diff)
	}
}

func TestBuiltin_operatorRoles(t *testing.T) {
	bs, _, err := benefits.Builtin(benefits.CatalogueOperator)
	require.NoError(t, err)
	// Every role SAFE names for operator-specific benefits receives
	// something: its own items or the items for any role.
	roles := []string{"importer", "exporter", "carrier", "customs_broker", "warehouse", "port_operator", "logistics_operator"}
	for _, role := range roles {
		n := 0
		for _, b := range bs {
			if len(b.Roles) == 0 || slices.Contains(b.Roles, role) {
				n++
			}
		}
		assert.Positive(t, n, role)
	}
	for _, b := range bs {
		assert.Contains(t, b.Note, "SAFE 2018 list unreadable", "%s: the note says why the item is not SAFE's own", b.ID)
	}
}

// TestBuiltin_ecommerce pins the e-commerce benefits A–M of the WCO note,
// whose text the catalogue carries verbatim.
func TestBuiltin_ecommerce(t *testing.T) {
	bs, _, err := benefits.Builtin(benefits.CatalogueEcommerce)
	require.NoError(t, err)
	require.Len(t, bs, 13)
	for i, b := range bs {
		letter := string(rune('A' + i))
		assert.Equal(t, "ecom."+letter, b.ID)
		assert.True(t, strings.HasPrefix(b.Title, letter+". "), b.Title)
		assert.False(t, b.Unverified, "%s: the text is the seed's own", b.ID)
		assert.Contains(t, b.Source, "benefit "+letter)
	}
	assert.Equal(t, "Free to lodge export/import declaration with any Customs office", bs[4].Text)
	assert.Equal(t, "Extended Customs services beyond normal working hours", bs[8].Text)
	assert.True(t, bs[2].Applicants, "benefit C concerns the authorization procedure itself")
}

func TestBuiltin_stairway(t *testing.T) {
	bs, _, err := benefits.Builtin(benefits.CatalogueStairway)
	require.NoError(t, err)
	assert.Len(t, bs, 20, "Annex 2 lists 6 + 10 + 4 simplifications")
	for _, b := range bs {
		assert.GreaterOrEqual(t, b.Level, 1, b.ID)
		assert.LessOrEqual(t, b.Level, 3, b.ID)
		assert.True(t, b.Unverified, "%s: the level of each item is the engine's reading", b.ID)
	}
}

// TestCatalogueGolden lists the compiled default catalogue as a table a
// reviewer can read: ID, catalogue, heading, level, roles, types, MRA,
// rule, unit and source.
func TestCatalogueGolden(t *testing.T) {
	c, err := benefits.Compile(benefits.Config{})
	require.NoError(t, err)
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	require.NoError(t, w.Write([]string{"id", "catalogue", "heading", "title", "level", "roles", "depends_on", "mra", "applicants", "eligible", "measure", "unverified", "source"}))
	for _, x := range c.Benefits() {
		require.NoError(t, w.Write([]string{
			x.ID, x.Catalogue, x.Heading, x.Title, strconv.Itoa(x.Level), strings.Join(x.Roles, " "),
			strings.Join(x.DependsOn, " "), strconv.FormatBool(x.MRA), strconv.FormatBool(x.Applicants),
			x.Eligible, x.Measure, strconv.FormatBool(x.Unverified), x.Source,
		}))
	}
	w.Flush()
	require.NoError(t, w.Error())
	golden(t, "catalogue.csv", b.String())
}

func TestCompile_assembly(t *testing.T) {
	tests := []struct {
		name   string
		cfg    benefits.Config
		check  func(t *testing.T, c *benefits.Catalogue)
		reason string
	}{
		{
			name: "zero config",
			cfg:  benefits.Config{},
			check: func(t *testing.T, c *benefits.Catalogue) {
				n := 0
				for _, name := range benefits.Catalogues() {
					bs, _, _ := benefits.Builtin(name)
					n += len(bs)
				}
				assert.Equal(t, n, c.Len())
				assert.Len(t, c.Steps(), 3)
			},
			reason: "the zero Config offers every built-in catalogue",
		},
		{
			name: "chosen catalogues in order",
			cfg:  benefits.Config{Catalogues: []string{"ecommerce", "safe"}},
			check: func(t *testing.T, c *benefits.Catalogue) {
				bs := c.Benefits()
				assert.Equal(t, "ecom.A", bs[0].ID)
				assert.Equal(t, "safe", bs[len(bs)-1].Catalogue)
				assert.Empty(t, c.Steps(), "no stairway, no steps")
			},
			reason: "catalogues are included in the order listed",
		},
		{
			name: "none",
			cfg: benefits.Config{Catalogues: []string{"none"}, Add: []benefits.Benefit{
				{ID: "own", Title: "Own benefit", Source: "Act 1"},
			}},
			check: func(t *testing.T, c *benefits.Catalogue) {
				require.Equal(t, 1, c.Len())
				b, ok := c.Benefit("own")
				require.True(t, ok)
				assert.Equal(t, benefits.CatalogueProgramme, b.Catalogue)
				assert.Equal(t, benefits.DefaultMeasure, b.Measure)
			},
			reason: "a programme may offer only its own benefits",
		},
		{
			name: "drop, override and add again",
			cfg: benefits.Config{
				Catalogues: []string{"safe"},
				Drop:       []string{"safe.info.threat-information", "safe.release.fast-lane"},
				Override: []benefits.Benefit{{
					ID: "safe.release.reduced-data", Roles: []string{"importer"}, Eligible: `grade == "AAA"`,
					Note: "Korea: AAA only", MRA: true,
				}},
				Add: []benefits.Benefit{{ID: "safe.release.fast-lane", Title: "Member lane at the port of X", Source: "Port order 7", Measure: "crossings"}},
			},
			check: func(t *testing.T, c *benefits.Catalogue) {
				_, ok := c.Benefit("safe.info.threat-information")
				assert.False(t, ok)
				b, _ := c.Benefit("safe.release.reduced-data")
				assert.Equal(t, []string{"importer"}, b.Roles)
				assert.Equal(t, `grade == "AAA"`, b.Eligible)
				assert.Equal(t, "Korea: AAA only", b.Note)
				assert.True(t, b.MRA)
				assert.Equal(t, "declarations", b.Measure, "fields not set in the override are kept")
				assert.Contains(t, b.Source, "SAFE")
				lane, _ := c.Benefit("safe.release.fast-lane")
				assert.Equal(t, "Member lane at the port of X", lane.Title)
				assert.Equal(t, "programme", lane.Catalogue)
				bs := c.Benefits()
				assert.Equal(t, "safe.release.fast-lane", bs[len(bs)-1].ID, "additions come last")
			},
			reason: "drop, then override, then add, so a benefit can be replaced outright",
		},
		{
			name: "measures, activation, baselines",
			cfg: benefits.Config{
				Catalogues: []string{"safe"},
				Measures:   map[string]string{"safe.info.points-of-contact": "hours"},
				Activation: map[string]benefits.Activation{"safe.release.fast-lane": {Date: date(2026, 3, 1)}},
				Baselines:  map[string]benefits.Baseline{"safe.release.fast-lane": {NormalMinutes: 40}},
			},
			check: func(t *testing.T, c *benefits.Catalogue) {
				b, _ := c.Benefit("safe.info.points-of-contact")
				assert.Equal(t, "hours", b.Measure)
				a, ok := c.Activation("safe.release.fast-lane")
				require.True(t, ok)
				assert.Equal(t, date(2026, 3, 1), a.Date)
				_, ok = c.Activation("safe.info.points-of-contact")
				assert.False(t, ok)
				bl, ok := c.Baseline("safe.release.fast-lane")
				require.True(t, ok)
				assert.Equal(t, 40.0, bl.NormalMinutes)
				_, ok = c.Baseline("nope")
				assert.False(t, ok)
			},
			reason: "the programme's per-benefit settings are kept by ID",
		},
		{
			name: "type groups",
			cfg: benefits.Config{
				Catalogues: []string{"safe"},
				TypeGroups: map[string][]string{"security": {"CTPAT"}},
			},
			check: func(t *testing.T, c *benefits.Catalogue) {
				h := &benefits.Holder{Status: "authorized", Types: []string{"CTPAT"}}
				e, err := c.Decide(h, "safe.release.fewer-examinations", date(2025, 1, 1))
				require.NoError(t, err)
				assert.Equal(t, benefits.Granted, e.Status)
				h.Types = []string{"AEOS"}
				e, _ = c.Decide(h, "safe.release.fewer-examinations", date(2025, 1, 1))
				assert.Equal(t, benefits.NotEligible, e.Status, "the group is replaced, not extended")
			},
			reason: "a programme maps the catalogues' type groups to its own authorization types",
		},
		{
			name: "own steps",
			cfg: benefits.Config{
				Catalogues: []string{"stairway"},
				Steps: []benefits.Step{
					{Level: 1, Title: "Registered"},
					{Level: 2, Title: "Grade A", When: `grade in ["A", "AA", "AAA"]`},
					{Level: 3, Title: "Grade AAA", When: `grade == "AAA"`},
				},
			},
			check: func(t *testing.T, c *benefits.Catalogue) {
				h := &benefits.Holder{Status: "authorized", Types: []string{"AEO"}, Grade: "AA"}
				e, _ := c.Decide(h, "stair.periodic-declarations", date(2025, 1, 1))
				assert.Equal(t, benefits.Granted, e.Status)
				e, _ = c.Decide(h, "stair.centralized-clearance", date(2025, 1, 1))
				assert.Equal(t, benefits.NotEligible, e.Status)
				assert.Contains(t, e.Reason, "step 3 (Grade AAA)")
			},
			reason: "a programme sets the conditions of its own stairway",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := benefits.Compile(tt.cfg)
			require.NoError(t, err, tt.reason)
			tt.check(t, c)
		})
	}
}

func TestCompile_errors(t *testing.T) {
	tests := []struct {
		name   string
		cfg    benefits.Config
		want   []diag.Error // Path, Message and expression position
		reason string
	}{
		{
			name: "unknown catalogue",
			cfg:  benefits.Config{Catalogues: []string{"safe", "saef", "safe"}},
			want: []diag.Error{
				{Path: "catalogues[1]", Message: `unknown catalogue "saef" (want safe, operator, ecommerce, stairway or none)`},
				{Path: "catalogues[2]", Message: `catalogue "safe" listed twice`},
			},
			reason: "catalogue names are checked",
		},
		{
			name:   "none with others",
			cfg:    benefits.Config{Catalogues: []string{"none", "safe"}},
			want:   []diag.Error{{Path: "catalogues[0]", Message: "none excludes every other catalogue; list either none or the catalogues to include"}},
			reason: "none is exclusive",
		},
		{
			name: "unknown IDs",
			cfg: benefits.Config{
				Catalogues: []string{"safe"},
				Drop:       []string{"nope"},
				Override:   []benefits.Benefit{{ID: "nada", Title: "x"}, {Title: "no id"}},
				Measures:   map[string]string{"zip": "hours"},
				Activation: map[string]benefits.Activation{"zap": {Date: date(2025, 1, 1)}},
				Baselines:  map[string]benefits.Baseline{"zop": {NormalMinutes: 1}},
			},
			want: []diag.Error{
				{Path: "drop[0]", Message: `unknown benefit "nope": nothing to drop`},
				{Path: "override[0].id", Message: `unknown benefit "nada": nothing to override (use add for a new benefit)`},
				{Path: "override[1]", Message: "id is required: name the benefit to override"},
				{Path: "measures.zip", Message: `unknown benefit "zip"`},
				{Path: "activation.zap", Message: `unknown benefit "zap"`},
				{Path: "baselines.zop", Message: `unknown benefit "zop"`},
			},
			reason: "every per-benefit setting names an existing benefit",
		},
		{
			name: "bad additions",
			cfg: benefits.Config{
				Catalogues: []string{"safe"},
				Add: []benefits.Benefit{
					{ID: "safe.release.fast-lane", Title: "dup", Source: "x"},
					{ID: "bad id", Title: "", Source: "", Measure: "Crossings", Level: 2},
					{ID: "ok", Title: "ok", Source: "x", Roles: []string{""}, DependsOn: []string{" "}},
				},
			},
			want: []diag.Error{
				{Path: "add[0].id", Message: `benefit "safe.release.fast-lane" already exists; change it with override, or drop it first`},
				{Path: "add[1].id", Message: `id "bad id" may hold only letters, digits, '.', '_' and '-'`},
				{Path: "add[1]", Message: "title is required"},
				{Path: "add[1]", Message: "source is required: name the document the benefit comes from"},
				{Path: "add[1].measure", Message: `measure "Crossings" must be lower case letters, digits and _, e.g. crossings or minutes_saved`},
				{Path: "add[1].level", Message: `benefit "bad id" is on step 2 of the stairway, but the programme has no stairway steps (include the stairway catalogue or set steps)`},
				{Path: "add[2].roles[0]", Message: "empty role"},
				{Path: "add[2].depends_on[0]", Message: "empty authorization type"},
			},
			reason: "additions are validated like built-ins, each problem at its place",
		},
		{
			name: "expressions",
			cfg: benefits.Config{
				Catalogues: []string{"stairway"},
				Facts:      []criteria.FactDecl{{Name: "volume", Type: "float"}},
				Override:   []benefits.Benefit{{ID: "stair.speed", Eligible: "grade >= 3"}},
				Add: []benefits.Benefit{
					{ID: "x", Title: "x", Source: "x", Eligible: "facts.volumes > 1"},
					{ID: "y", Title: "y", Source: "y", Eligible: "risk_level"},
				},
				Steps: []benefits.Step{{Level: 1, Title: "one"}, {Level: 2, Title: "two", When: "risk_level =="}, {Level: 3, Title: "three"}},
			},
			want: []diag.Error{
				{Path: "steps[1].when", Message: "unexpected token EOF", ExprLine: 1, ExprColumn: 13},
				{Path: "override[0].eligible", Message: "cannot apply >= to a string and a number", ExprLine: 1, ExprColumn: 7},
				{Path: "add[0].eligible", Message: `unknown fact "volumes": did you mean facts.volume? Otherwise declare it under facts with its type`, ExprLine: 1, ExprColumn: 1},
				{Path: "add[1].eligible", Message: "expression must be a condition (true or false), but it is a string", ExprLine: 1, ExprColumn: 1},
			},
			reason: "expressions are checked at compile time with their 1-based position",
		},
		{
			name: "settings",
			cfg: benefits.Config{
				Catalogues: []string{"safe"},
				Facts:      []criteria.FactDecl{{Name: "Bad", Type: "int"}, {Name: "n", Type: "number"}, {Name: "n", Type: "int"}},
				TypeGroups: map[string][]string{"security": {}, "bad name": {""}},
				Partners:   []benefits.Partner{{Programme: "US C-TPAT"}, {Programme: "US C-TPAT"}, {}},
				Measures:   map[string]string{"safe.release.fast-lane": "Crossings"},
				Activation: map[string]benefits.Activation{"safe.release.fast-lane": {Note: "soon"}},
				Baselines:  map[string]benefits.Baseline{"safe.release.fast-lane": {NormalMinutes: -1, ExpectedPerMonth: 1}},
				Steps:      []benefits.Step{{Level: 2, Title: ""}},
			},
			want: []diag.Error{
				{Path: "facts[0].name", Message: `fact name "Bad" must be lower case letters, digits and _, starting with a letter`},
				{Path: "facts[1].type", Message: `unknown fact type "number" (want int, float, bool, string, date or strings)`},
				{Path: "facts[2].name", Message: `fact "n" declared twice, as float and as int`},
				{Path: "measures.safe.release.fast-lane", Message: `measure "Crossings" must be lower case letters, digits and _, e.g. crossings or minutes_saved`},
				{Path: "activation.safe.release.fast-lane", Message: "an activation needs a date, a milestone, or both"},
				{Path: "baselines.safe.release.fast-lane.normal_minutes", Message: "normal_minutes must be a number of zero or more"},
				{Path: "type_groups.bad name", Message: `group name "bad name" may hold only letters, digits, '.', '_' and '-'`},
				{Path: "type_groups.bad name[0]", Message: "empty authorization type"},
				{Path: "type_groups.security", Message: "a type group lists at least one authorization type"},
				{Path: "partners[1]", Message: `partner programme "US C-TPAT" listed twice`},
				{Path: "partners[2]", Message: "empty partner programme"},
				{Path: "steps[0].level", Message: "steps are levels 1, 2, 3 ... in order: want level 1, not 2"},
				{Path: "steps[0]", Message: "title is required"},
			},
			reason: "every problem is reported at once",
		},
		{
			name: "too few steps for the catalogue",
			cfg:  benefits.Config{Catalogues: []string{"stairway"}, Steps: []benefits.Step{{Level: 1, Title: "only"}}},
			want: []diag.Error{
				{Path: "steps", Message: `benefit "stair.no-interventions" is on step 3 of the stairway, which has steps 1 to 1`},
			},
			reason: "a stairway with fewer steps than the catalogue uses is refused (first problem shown)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := benefits.Compile(tt.cfg)
			require.Error(t, err, tt.reason)
			var list diag.List
			require.True(t, errors.As(err, &list), "Compile returns ConfigErrors, got %T", err)
			var first *diag.Error
			require.True(t, errors.As(err, &first), "errors.As finds a *ConfigError in the list")
			got := make([]diag.Error, len(list))
			for i, e := range list {
				got[i] = diag.Error{Path: e.Path, Message: e.Message, ExprLine: e.ExprLine, ExprColumn: e.ExprColumn}
			}
			if tt.name == "too few steps for the catalogue" {
				got = got[:1]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Compile errors mismatch (-want +got):\n%s%s", diff, tt.reason)
			}
		})
	}
}

func TestMustCompile_panics(t *testing.T) {
	assert.Panics(t, func() { benefits.MustCompile(benefits.Config{Catalogues: []string{"x"}}) })
	assert.NotPanics(t, func() { benefits.MustCompile(benefits.Config{}) })
}

func TestCatalogue_immutable(t *testing.T) {
	c := mustProgramme(t)
	bs := c.Benefits()
	bs[0].Title = "changed"
	b, _ := c.Benefit(bs[0].ID)
	assert.NotEqual(t, "changed", b.Title, "Benefits returns a copy")
	steps := c.Steps()
	steps[0].Title = "changed"
	assert.NotEqual(t, "changed", c.Steps()[0].Title)
	groups := benefits.DefaultTypeGroups()
	groups["security"][0] = "changed"
	assert.Equal(t, "AEO", benefits.DefaultTypeGroups()["security"][0], "DefaultTypeGroups returns a fresh map")
}

func TestCatalogue_zero(t *testing.T) {
	var c benefits.Catalogue
	assert.Empty(t, c.Eligible(holder(), date(2025, 1, 1)), "the zero Catalogue offers nothing")
	_, err := c.Decide(holder(), "safe.release.fast-lane", date(2025, 1, 1))
	require.ErrorIs(t, err, benefits.ErrUnknownBenefit)
	assert.Zero(t, c.Len())
}
