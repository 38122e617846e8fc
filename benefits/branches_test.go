package benefits_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/diag"
)

// Tests of checks the other tests pass by: what each refusal names, and
// the boundaries of the checks of records and catalogues.

func TestBuiltin_unknown(t *testing.T) {
	for _, name := range []string{"nope", "", "SAFE", "safe "} {
		bs, steps, err := benefits.Builtin(name)
		require.EqualError(t, err, `benefits: unknown catalogue "`+name+`" (want safe, operator, ecommerce or stairway)`,
			"only the four built-in catalogues are known, by their exact names")
		assert.Nil(t, bs)
		assert.Nil(t, steps)
	}
}

func TestWriteJSON_nothingHalfWritten(t *testing.T) {
	ok := benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 1, 1), Quantity: 1}
	bad := ok
	bad.Quantity = math.Inf(1)
	var b bytes.Buffer
	err := benefits.WriteJSON(&b, []benefits.Record{ok, ok, bad})
	require.EqualError(t, err, "benefits: record 3: json: unsupported value: +Inf")
	assert.Zero(t, b.Len(), "a short list with a record JSON cannot hold writes nothing: no half array reaches the writer")
}

func TestDecodeError_Error(t *testing.T) {
	tests := []struct {
		name   string
		e      benefits.DecodeError
		want   string
		reason string
	}{
		{"csv line", benefits.DecodeError{Format: "csv", Record: 2, Line: 3, Field: "operator", Msg: "is required", Err: benefits.ErrInvalidRecord},
			"benefits: csv line 3 record 2 field operator: is required: invalid record", "a CSV problem is placed by line, record and field"},
		{"json offset", benefits.DecodeError{Format: "json", Record: 1, Offset: 57, Msg: "want the end of the list"},
			"benefits: json offset 57 record 1: want the end of the list", "JSON has no lines: the byte offset places the problem"},
		{"line before offset", benefits.DecodeError{Format: "csv", Line: 1, Offset: 12, Msg: "want a header row"},
			"benefits: csv line 1: want a header row", "a line, when known, is what a person looks for"},
		{"first byte", benefits.DecodeError{Format: "json", Msg: "want a list of records", Err: errors.New("EOF")},
			"benefits: json: want a list of records", "offset 0 and record 0 are not shown; a decoder's own error is described by the message"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error(), tt.reason)
	}
}

func TestRecordDates(t *testing.T) {
	const years, offset = "the date must be in the years 1 to 9999", "the time zone offset must be less than 24 hours"
	tests := []struct {
		name    string
		at      string
		wantMsg string
		reason  string
	}{
		{"year 1", "0001-01-02T00:00:00Z", "", "the first year JSON and the calendar can hold"},
		{"year 9999", "9999-12-31T22:00:00-01:00", "", "the last year, in the record's own zone"},
		{"year 0", "0000-12-31T00:00:00Z", years, "before the years 1 to 9999"},
		{"offset just under a day", "2025-01-01T00:00:00+23:59", "", "the largest offset a time zone may have"},
		{"offset just under minus a day", "2025-01-01T00:00:00-23:59", "", "and the smallest"},
		{"offset of minus a day", "2025-01-01T00:00:00-24:00", offset, "no zone is a whole day behind: encoding/json would refuse to write it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := `[{"benefit":"x","operator":"y","at":"` + tt.at + `","quantity":1}]`
			got, err := benefits.ReadJSON(strings.NewReader(in))
			if tt.wantMsg == "" {
				require.NoError(t, err, tt.reason)
				require.Len(t, got, 1)
				var b bytes.Buffer
				require.NoError(t, benefits.WriteJSON(&b, got), "whatever decodes also encodes; %s", tt.reason)
				return
			}
			var de *benefits.DecodeError
			require.True(t, errors.As(err, &de), "want *DecodeError, got %v; %s", err, tt.reason)
			assert.Equal(t, "at", de.Field, tt.reason)
			assert.Equal(t, tt.wantMsg, de.Msg, tt.reason)
			assert.ErrorIs(t, err, benefits.ErrInvalidRecord, tt.reason)
		})
	}

	l := benefits.NewLedger(mustProgramme(t))
	err := l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Quantity: 1}, nil)
	var re *benefits.RecordError
	require.True(t, errors.As(err, &re), "want *RecordError, got %v", err)
	assert.Equal(t, "at", re.Field, "the year 10000 is after the years 1 to 9999")
	assert.ErrorIs(t, err, benefits.ErrInvalidRecord)
}

func TestRecordError_Error(t *testing.T) {
	at := date(2025, 3, 3)
	tests := []struct {
		name   string
		e      benefits.RecordError
		want   string
		reason string
	}{
		{"everything", benefits.RecordError{Index: 2, Benefit: "safe.release.fast-lane", Operator: "OP-A", At: at, Field: "quantity", Msg: "-1 is negative", Err: benefits.ErrInvalidQuantity},
			`benefits: record 2 "safe.release.fast-lane" for "OP-A" on 2025-03-03: quantity: -1 is negative: invalid quantity`,
			"a record of a batch is placed by its position, benefit, operator, date and field"},
		{"added alone", benefits.RecordError{Benefit: "b", Operator: "o", Msg: "is required", Field: "at", Err: benefits.ErrInvalidRecord},
			`benefits: record "b" for "o": at: is required: invalid record`, "a record added alone has no position, and here no date"},
		{"nothing known", benefits.RecordError{Msg: "is required"},
			"benefits: record: is required", "what is unknown is left out"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error(), tt.reason)
	}
}

// compileErrors returns "path: message" for each problem Compile reports.
func compileErrors(t *testing.T, cfg benefits.Config) []string {
	t.Helper()
	_, err := benefits.Compile(cfg)
	if err == nil {
		return nil
	}
	var list diag.List
	require.True(t, errors.As(err, &list), "Compile returns a diag.List, got %T", err)
	var out []string
	for _, e := range list {
		out = append(out, e.Path+": "+e.Message)
	}
	return out
}

func TestCompile_firstBenefit(t *testing.T) {
	// Each setting keyed by a benefit reaches the first benefit of the
	// first catalogue as it reaches the others.
	bs, _, err := benefits.Builtin(benefits.CatalogueSAFE)
	require.NoError(t, err)
	first := bs[0].ID
	tests := []struct {
		name   string
		cfg    benefits.Config
		check  func(t *testing.T, c *benefits.Catalogue)
		reason string
	}{
		{"dropped", benefits.Config{Catalogues: []string{"safe"}, Drop: []string{first}},
			func(t *testing.T, c *benefits.Catalogue) {
				_, ok := c.Benefit(first)
				assert.False(t, ok)
				assert.Equal(t, len(bs)-1, c.Len())
			}, "a benefit dropped is gone"},
		{"overridden", benefits.Config{Catalogues: []string{"safe"}, Override: []benefits.Benefit{{ID: first, Title: "Less data"}}},
			func(t *testing.T, c *benefits.Catalogue) {
				b, ok := c.Benefit(first)
				require.True(t, ok)
				assert.Equal(t, "Less data", b.Title)
			}, "an override changes what it sets"},
		{"measured", benefits.Config{Catalogues: []string{"safe"}, Measures: map[string]string{first: "declarations"}},
			func(t *testing.T, c *benefits.Catalogue) {
				b, _ := c.Benefit(first)
				assert.Equal(t, "declarations", b.Measure)
			}, "a measure set by ID"},
		{"activated", benefits.Config{Catalogues: []string{"safe"}, Activation: map[string]benefits.Activation{first: {Milestone: "p8"}}},
			func(t *testing.T, c *benefits.Catalogue) {
				a, ok := c.Activation(first)
				require.True(t, ok)
				assert.Equal(t, "p8", a.Milestone)
			}, "an activation set by ID"},
		{"baselined", benefits.Config{Catalogues: []string{"safe"}, Baselines: map[string]benefits.Baseline{first: {NormalMinutes: 30}}},
			func(t *testing.T, c *benefits.Catalogue) {
				bl, ok := c.Baseline(first)
				require.True(t, ok)
				assert.InDelta(t, 30, bl.NormalMinutes, 1e-9)
			}, "a baseline set by ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := benefits.Compile(tt.cfg)
			require.NoError(t, err, tt.reason)
			tt.check(t, c)
		})
	}
	got := compileErrors(t, benefits.Config{Catalogues: []string{"safe"}, Add: []benefits.Benefit{{ID: first, Title: "again", Source: "x"}}})
	assert.Equal(t, []string{"add[0].id: benefit \"" + first + "\" already exists; change it with override, or drop it first"}, got,
		"an addition may not redefine the first benefit either")
}

func TestCompile_overridesAndSteps(t *testing.T) {
	c, err := benefits.Compile(benefits.Config{Catalogues: []string{"stairway", "safe"}})
	require.NoError(t, err, "a catalogue without steps keeps the stairway's")
	assert.Len(t, c.Steps(), 3, "the stairway's three steps")

	c, err = benefits.Compile(benefits.Config{Catalogues: []string{"stairway"}, Override: []benefits.Benefit{
		{ID: "stair.speed", BusinessModels: []string{"4-2"}, DependsOn: []string{"AEOS"}, Level: 2},
		{ID: "stair.no-interventions", Title: "No interventions"},
	}})
	require.NoError(t, err)
	b, _ := c.Benefit("stair.speed")
	assert.Equal(t, []string{"4-2"}, b.BusinessModels, "an override sets the business models")
	assert.Equal(t, []string{"AEOS"}, b.DependsOn, "and the types it depends on")
	assert.Equal(t, 2, b.Level, "and the step")
	builtin, _, err := benefits.Builtin(benefits.CatalogueStairway)
	require.NoError(t, err)
	var orig benefits.Benefit
	for _, x := range builtin {
		if x.ID == "stair.no-interventions" {
			orig = x
		}
	}
	b, _ = c.Benefit("stair.no-interventions")
	assert.Equal(t, "No interventions", b.Title)
	assert.Equal(t, orig.Level, b.Level, "what an override does not set stays as it was")
	assert.Equal(t, orig.BusinessModels, b.BusinessModels)
	assert.Equal(t, orig.DependsOn, b.DependsOn)

	tests := []struct {
		name   string
		cfg    benefits.Config
		want   []string
		first  bool // only the first problems matter
		reason string
	}{
		{"an override on a step the stairway lacks",
			benefits.Config{Catalogues: []string{"stairway"}, Override: []benefits.Benefit{{ID: "stair.speed", Level: 9}}},
			[]string{`override[0].level: benefit "stair.speed" is on step 9 of the stairway, which has steps 1 to 3`},
			false, "the override that sets the step is blamed"},
		{"a stairway too short for a built-in benefit overridden",
			benefits.Config{Catalogues: []string{"stairway"}, Steps: []benefits.Step{{Level: 1, Title: "one"}, {Level: 2, Title: "two"}},
				Override: []benefits.Benefit{{ID: "stair.no-interventions", Title: "No interventions"}}},
			[]string{`steps: benefit "stair.no-interventions" is on step 3 of the stairway, which has steps 1 to 2`},
			true, "an override that does not set the step is not blamed for the steps (nor are the other step-3 benefits after it)"},
		{"additions without IDs",
			benefits.Config{Catalogues: []string{"none"}, Add: []benefits.Benefit{{Title: "a", Source: "x"}, {Title: "b", Source: "x"}}},
			[]string{"add[0]: id is required", "add[1]: id is required"},
			false, "each benefit without an ID is reported as such, not as a duplicate of the other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := compileErrors(t, tt.cfg)
			if tt.first && len(got) > len(tt.want) {
				got = got[:len(tt.want)]
			}
			assert.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestEligible_milestones(t *testing.T) {
	c, err := benefits.Compile(benefits.Config{Catalogues: []string{"none"}, Add: []benefits.Benefit{
		{ID: "x.pilot-lane", Title: "Pilot lane", Source: "plan", Eligible: `"pilot" in milestones`},
	}})
	require.NoError(t, err)
	at := date(2025, 6, 1)
	tests := []struct {
		name       string
		milestones map[string]time.Time
		want       benefits.Status
		reason     string
	}{
		{"reached", map[string]time.Time{"pilot": date(2025, 5, 1), "other": date(2025, 4, 1)}, benefits.Granted, "a milestone reached is in milestones"},
		{"not yet", map[string]time.Time{"pilot": date(2025, 7, 1)}, benefits.NotEligible, "a milestone reached later is not yet"},
		{"none", nil, benefits.NotEligible, "no milestone reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &benefits.Holder{Operator: "OP", Status: "authorized", Types: []string{"AEO"}, Milestones: tt.milestones}
			e, err := c.Decide(h, "x.pilot-lane", at)
			require.NoError(t, err)
			assert.Equal(t, tt.want, e.Status, "%s: %s", e.Reason, tt.reason)
		})
	}
}

func TestReport_edges(t *testing.T) {
	c, err := benefits.Compile(benefits.Config{
		Catalogues: []string{"none"},
		Add: []benefits.Benefit{
			{ID: "a.first", Title: "First", Source: "test", Measure: "uses"},
			{ID: "b.timed", Title: "Timed", Source: "test", Measure: "uses"},
			{ID: "c.expected", Title: "Expected", Source: "test", Measure: "uses"},
		},
		Baselines: map[string]benefits.Baseline{
			"b.timed":    {NormalMinutes: 30},
			"c.expected": {ExpectedPerMonth: 4},
			"a.first":    {ExpectedPerMonth: 0.0001},
		},
	})
	require.NoError(t, err)
	l := benefits.NewLedger(c)
	at := date(2025, 3, 3)
	require.NoError(t, l.Restore([]benefits.Record{
		{Benefit: "b.timed", Operator: "OP-A", At: at, Quantity: 2, Minutes: 40},
		{Benefit: "b.timed", Operator: "OP-A", At: at, Quantity: 1},                // not timed: no saving is computed
		{Benefit: "a.first", Operator: "OP-B", At: at, Quantity: 0, Minutes: 10},   // minutes on no quantity
		{Benefit: "c.expected", Operator: "OP-A", At: at, Quantity: 3, Minutes: 9}, // timed, but no normal minutes
	}))
	rep, err := l.Report(date(2025, 3, 3), date(2025, 3, 4), benefits.GroupBy{Benefit: true})
	require.NoError(t, err)
	rows := map[string]benefits.Row{}
	for _, r := range rep.Rows {
		rows[r.Benefit] = r
	}
	require.Len(t, rows, 3, "one row per benefit, the catalogue's first included: %v", rep.Rows)

	first := rows["a.first"]
	assert.Equal(t, 1, first.Operators, "the only operator of a group is counted, whatever its number in the ledger")
	assert.Zero(t, first.MinutesPerUnit, "minutes on no quantity give no minutes per unit, not infinity")
	require.NotNil(t, first.Baseline, "the first benefit's baseline is compared")
	assert.Zero(t, first.Baseline.Expected, "an expectation that rounds to nothing")
	assert.Zero(t, first.Baseline.Achieved, "is achieved by nothing, not by infinity")

	timed := rows["b.timed"]
	assert.InDelta(t, 2*30-40, timed.MinutesSaved, 1e-9, "only the timed record saves time against the 30 normal minutes")
	require.NotNil(t, timed.Baseline)
	assert.InDelta(t, 10, timed.Baseline.SavedPerUnit, 1e-9, "40 minutes for 2 units against 30 each")

	expected := rows["c.expected"]
	assert.Zero(t, expected.MinutesSaved, "without normal minutes nothing is saved, nor lost")
	require.NotNil(t, expected.Baseline)
	assert.Zero(t, expected.Baseline.SavedPerUnit, "without normal minutes there is nothing to save against")
	assert.InDelta(t, 4/31.0, expected.Baseline.Expected, 1e-4, "4 a month over one day of March")

	var b bytes.Buffer
	require.NoError(t, rep.WriteJSON(&b), "a report holds no infinity that JSON cannot write")
}
