package phases_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/phases"
)

// TestDefault checks the embedded plan against the seed: the nine phases in
// order, projects as owners, a source on every item, and the gate
// parameters the issue names.
func TestDefault(t *testing.T) {
	p := phases.Default()
	require.Same(t, p, phases.Default(), "Default returns one shared plan")
	cfg := p.Config()

	var names []string
	for _, ph := range cfg.Phases {
		names = append(names, ph.Name)
	}
	want := []string{"Preface & Analysis", "Strategic Planning", "Pilot Execution", "Monitoring & Evaluation",
		"Enlargement", "Implement Pilot", "Further Pilots", "Implement all pilots", "Completion of the programme"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("phase names mismatch (-want +got):\n%s", diff)
	}

	owners := map[phases.Project]int{}
	for _, ph := range cfg.Phases {
		assert.NotEmpty(t, ph.Source, "phase %d source", ph.Number)
		assert.NotEmpty(t, ph.Tasks, "phase %d has tasks", ph.Number)
		assert.NotEmpty(t, ph.Gates, "phase %d has gates", ph.Number)
		assert.Equal(t, phases.GateTasks, ph.Gates[0].Kind, "phase %d: the tasks gate comes first", ph.Number)
		for _, task := range ph.Tasks {
			assert.NotEmpty(t, task.Source, "task %s source", task.ID)
			assert.True(t, strings.HasPrefix(task.ID, "p"+string(rune('0'+ph.Number))+"-"), "task %s is named for its phase", task.ID)
			for _, o := range task.Owners {
				owners[o]++
			}
		}
		for _, m := range ph.Milestones {
			assert.NotEmpty(t, m.Source, "milestone %s source", m.ID)
		}
		for _, ind := range ph.Indicators {
			assert.NotEmpty(t, ind.Source, "indicator %s source", ind.ID)
		}
		for _, g := range ph.Gates {
			assert.NotEmpty(t, g.Source, "phase %d gate %v source", ph.Number, g.Kind)
		}
	}
	for _, proj := range []phases.Project{phases.TradeManagement, phases.Communication, phases.Legislative,
		phases.HRDevelopment, phases.RiskManagement} {
		assert.Positive(t, owners[proj], "project %v owns tasks", proj)
	}
	for _, b := range cfg.Benefits {
		assert.NotEmpty(t, b.Source, "benefit %s source", b.ID)
	}

	assert.Equal(t, 10, cfg.Pilot.MaxOperators, "start small, no more than ten")
	assert.Equal(t, []phases.Size{phases.SME, phases.Large, phases.Multinational}, cfg.Pilot.Sizes)
	assert.True(t, cfg.Pilot.Volunteers)
	assert.Equal(t, 6, cfg.Admission.IntervalMonths, "then 6 months later allow in brokers")
	assert.Equal(t, []phases.OperatorType{phases.Importer, phases.Exporter}, cfg.Admission.Waves[0].Types)
	assert.Equal(t, []phases.OperatorType{phases.Broker}, cfg.Admission.Waves[1].Types)
	assert.Equal(t, phases.Cadence{EveryMonths: 6, ForMonths: 12, Source: cfg.Evaluations.Source}, cfg.Evaluations,
		"every six months for the first year")
	assert.Contains(t, cfg.Phases[0].Gates, phases.Gate{Kind: phases.GateProgrammeStructure, Source: cfg.Phases[0].Gates[2].Source})
}

func TestConfigIsACopy(t *testing.T) {
	p := phases.Default()
	cfg := p.Config()
	cfg.Phases[0].Tasks[0].ID = "changed"
	cfg.Phases[0].Tasks[2].Owners[0] = phases.Legislative
	cfg.Admission.Waves[0].Types[0] = phases.Broker
	cfg.Pilot.Sizes[0] = phases.Large
	fresh := p.Config()
	assert.Equal(t, "p1-dg-decision", fresh.Phases[0].Tasks[0].ID)
	assert.Equal(t, phases.TradeManagement, fresh.Phases[0].Tasks[2].Owners[0])
	assert.Equal(t, phases.Importer, fresh.Admission.Waves[0].Types[0])
	assert.Equal(t, phases.SME, fresh.Pilot.Sizes[0])

	// New keeps its own copy too.
	cfg = p.Config()
	p2, err := phases.New(cfg)
	require.NoError(t, err)
	cfg.Phases[0].Tasks[0].ID = "changed"
	assert.Equal(t, "p1-dg-decision", p2.Config().Phases[0].Tasks[0].ID)
}

// TestExtend shows an administration adding a task of its own and
// tightening the pilot.
func TestExtend(t *testing.T) {
	cfg := phases.Default().Config()
	cfg.Name = "Ruritania AEO"
	cfg.Phases[0].Tasks = append(cfg.Phases[0].Tasks, phases.Task{
		ID: "p1-customs-union", Name: "Agree the joint AEO concept with the customs union partners",
		Owners: []phases.Project{phases.Legislative}, Source: "national decision",
	})
	cfg.Pilot.MaxOperators = 5
	p, err := phases.New(cfg)
	require.NoError(t, err)

	s := satisfied(1)
	_, err = p.Apply(s, phases.Event{Kind: phases.AdvancePhase}, date(2026, 7, 1))
	var ge *phases.GateError
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, "open tasks: p1-customs-union", ge.Reason)

	s = satisfied(3)
	_, err = p.Apply(s, phases.Event{Kind: phases.AdvancePhase}, date(2026, 7, 1))
	require.ErrorAs(t, err, &ge)
	assert.Equal(t, phases.GatePilot, ge.Gate)
	assert.Equal(t, "10 pilot operators, at most 5", ge.Reason)
}

func TestNew(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *phases.Config)
		want   []string // "path: message" parts, in order
		reason string
	}{
		{name: "default", edit: func(*phases.Config) {}, reason: "the embedded plan is valid"},
		{name: "zero config", edit: func(c *phases.Config) { *c = phases.Config{} },
			want:   []string{"name: missing plan name", "phases: no phases", "pilot.phase:", "pilot.max_operators:", "pilot.start_milestone:", "admission.waves:", "evaluations.every_months:"},
			reason: "every problem is reported at once"},
		{name: "phase numbered out of order", edit: func(c *phases.Config) { c.Phases[1].Number = 3 },
			want: []string{"phases[1].number: number 3, want 2"}, reason: "phases are numbered in order from 1"},
		{name: "duplicate task ID", edit: func(c *phases.Config) { c.Phases[2].Tasks[1].ID = "p1-scope" },
			want: []string{`phases[2].tasks[1].id: duplicate task ID "p1-scope"`}, reason: "task IDs are unique in a plan"},
		{name: "missing task ID and name", edit: func(c *phases.Config) { c.Phases[0].Tasks[0].ID, c.Phases[0].Tasks[0].Name = "", "" },
			want:   []string{"phases[0].tasks[0].id: missing task ID", "phases[0].tasks[0].name: missing task name"},
			reason: "tasks need an ID and a name"},
		{name: "invalid owner", edit: func(c *phases.Config) { c.Phases[0].Tasks[2].Owners = []phases.Project{0, 9} },
			want:   []string{"phases[0].tasks[2].owners[0]: invalid project unknown", "phases[0].tasks[2].owners[1]: invalid project Project(9)"},
			reason: "owners are the seed's projects"},
		{name: "duplicate milestone ID", edit: func(c *phases.Config) { c.Phases[5].Milestones[0].ID = "p1-structure-approved" },
			want: []string{`phases[5].milestones[0].id: duplicate milestone ID`}, reason: "milestone IDs are unique"},
		{name: "NaN target", edit: func(c *phases.Config) { c.Phases[2].Indicators[0].Target = math.NaN() },
			want: []string{"phases[2].indicators[0].target: target must be a finite number"}, reason: "targets must encode as JSON"},
		{name: "target without goal", edit: func(c *phases.Config) { c.Phases[1].Indicators[0].Target = 3 },
			want: []string{"phases[1].indicators[0].target: target 3 without a goal"}, reason: "a target needs a goal to compare with"},
		{name: "duplicate gate", edit: func(c *phases.Config) {
			c.Phases[0].Gates = append(c.Phases[0].Gates, phases.Gate{Kind: phases.GateTasks})
		}, want: []string{"phases[0].gates[3].kind: duplicate gate tasks"}, reason: "one gate of each kind per phase"},
		{name: "unknown gate", edit: func(c *phases.Config) { c.Phases[0].Gates[0].Kind = 0 },
			want: []string{"phases[0].gates[0].kind: invalid gate unknown"}, reason: "gates are the declared kinds"},
		{name: "gate parameter of another kind", edit: func(c *phases.Config) { c.Phases[0].Gates[0].Stage = 1 },
			want: []string{"phases[0].gates[0].stage: gate tasks takes no stage"}, reason: "parameters belong to their kind"},
		{name: "more evaluations than scheduled", edit: func(c *phases.Config) { c.Phases[4].Gates[1].Evaluations = 3 },
			want: []string{"phases[4].gates[1].evaluations: evaluations 3 out of range [1, 2]"}, reason: "12 months every 6 schedules two"},
		{name: "benefit gate without benefits", edit: func(c *phases.Config) { c.Benefits = nil },
			want: []string{"phases[2].gates[3].stage: gate benefits needs stage, but the plan has none",
				"phases[7].gates[1].stage: gate benefits needs stage, but the plan has none"},
			reason: "a benefits gate needs benefits"},
		{name: "wave out of range", edit: func(c *phases.Config) { c.Phases[4].Gates[2].Wave = 4 },
			want: []string{"phases[4].gates[2].wave: wave 4 out of range [1, 3]"}, reason: "the default plan has three waves"},
		{name: "enlargement before pilot", edit: func(c *phases.Config) { c.Pilot.EnlargementPhase = 3 },
			want: []string{"pilot.enlargement_phase: phase 3 must come after the pilot phase 3"}, reason: "enlargement follows the pilot"},
		{name: "unknown start milestone", edit: func(c *phases.Config) { c.Pilot.StartMilestone = "launch" },
			want: []string{`pilot.start_milestone: unknown milestone "launch"`}, reason: "the pilot clock needs a milestone"},
		{name: "more sizes than places", edit: func(c *phases.Config) { c.Pilot.MaxOperators = 2 },
			want: []string{"pilot.sizes: 3 sizes cannot all fit in a pilot of 2"}, reason: "the cross-section must fit the pilot"},
		{name: "duplicate size", edit: func(c *phases.Config) { c.Pilot.Sizes = []phases.Size{phases.SME, phases.SME} },
			want: []string{"pilot.sizes[1]: duplicate size sme"}, reason: "sizes are listed once"},
		{name: "type in two waves", edit: func(c *phases.Config) {
			c.Admission.Waves[2].Types = append(c.Admission.Waves[2].Types, phases.Importer)
		}, want: []string{"admission.waves[2].types[4]: operator type importer already in wave 1"}, reason: "a type has one place in the sequence"},
		{name: "empty wave", edit: func(c *phases.Config) { c.Admission.Waves[1].Types = nil },
			want: []string{"admission.waves[1].types: empty wave"}, reason: "a wave admits someone"},
		{name: "negative interval", edit: func(c *phases.Config) { c.Admission.IntervalMonths = -1 },
			want: []string{"admission.interval_months: must be between 0 and 1200"}, reason: "time between waves cannot be negative"},
		{name: "huge cadence", edit: func(c *phases.Config) { c.Evaluations.ForMonths = 5000 },
			want: []string{"evaluations.for_months: must be between 0 and 1200"}, reason: "derived dates must stay encodable"},
		{name: "benefit without stage", edit: func(c *phases.Config) { c.Benefits[0].Stage = 0 },
			want: []string{"benefits[0].stage: stage must be at least 1"}, reason: "stages count from 1"},
		{name: "duplicate benefit", edit: func(c *phases.Config) { c.Benefits[1].ID = "expedited-clearance" },
			want: []string{`benefits[1].id: duplicate benefit ID "expedited-clearance"`}, reason: "benefit IDs are unique"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := phases.Default().Config()
			tt.edit(&cfg)
			p, err := phases.New(cfg)
			if len(tt.want) == 0 {
				require.NoError(t, err, tt.reason)
				require.NotNil(t, p)
				return
			}
			require.Error(t, err, tt.reason)
			assert.Nil(t, p)
			require.ErrorIs(t, err, phases.ErrInvalidPlan)
			var ce *phases.ConfigError
			require.ErrorAs(t, err, &ce)
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				require.True(t, errors.As(e, &ce), "%T is not a *ConfigError", e)
				got = append(got, ce.Path+": "+ce.Msg)
			}
			i := 0
			for _, g := range got {
				if i < len(tt.want) && strings.HasPrefix(g, tt.want[i]) {
					i++
				}
			}
			assert.Equal(t, len(tt.want), i, "want, in order, %q\ngot %q\n%s", tt.want, got, tt.reason)
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string
		reason  string
	}{
		{name: "minimal plan", json: `{"name": "mini", "phases": [
			{"number": 1, "name": "Only", "tasks": [{"id": "t", "name": "T"}], "milestones": [{"id": "go", "name": "Go"}],
			 "gates": [{"kind": "tasks"}]},
			{"number": 2, "name": "Later"}],
			"pilot": {"phase": 1, "enlargement_phase": 2, "max_operators": 3, "start_milestone": "go"},
			"admission": {"waves": [{"types": ["exporter"]}]},
			"evaluations": {"every_months": 6}}`,
			reason: "a plan needs only names, a pilot, a wave and a cadence"},
		{name: "not JSON", json: `phases:`, wantErr: "phases: decode plan: invalid character",
			reason: "syntax errors are reported"},
		{name: "unknown field", json: `{"name": "x", "phasez": []}`, wantErr: `unknown field "phasez"`,
			reason: "a misspelt field must not silently drop configuration"},
		{name: "unknown enum token", json: `{"name": "x", "pilot": {"sizes": ["micro"]}}`,
			wantErr: `phases: unknown size "micro" (want one of unknown, sme, large, multinational)`,
			reason:  "enumerations accept their tokens only"},
		{name: "trailing data", json: `{"name": "x"} {}`, wantErr: "trailing data",
			reason: "one file, one plan"},
		{name: "invalid plan", json: `{"name": "x"}`, wantErr: "phases: phases: no phases",
			reason: "Decode validates with New"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := phases.Decode(strings.NewReader(tt.json))
			if tt.wantErr == "" {
				require.NoError(t, err, tt.reason)
				assert.Equal(t, "mini", p.Name())
				return
			}
			require.Error(t, err, tt.reason)
			assert.Contains(t, err.Error(), tt.wantErr, tt.reason)
		})
	}
}

// TestDefaultJSONRoundTrip checks that Config encodes back to a plan equal
// to the default, so administrations can export, edit and reload it.
func TestDefaultJSONRoundTrip(t *testing.T) {
	cfg := phases.Default().Config()
	var b strings.Builder
	require.NoError(t, encodeJSON(&b, cfg))
	p, err := phases.Decode(strings.NewReader(b.String()))
	require.NoError(t, err)
	if diff := cmp.Diff(cfg, p.Config()); diff != "" {
		t.Errorf("Config JSON round trip mismatch (-want +got):\n%s", diff)
	}
	assert.True(t, slices.Equal(phases.StructureSections(), []string{
		"requirements", "application", "certification", "validation", "benefits", "suspension", "appeal"}))
}
