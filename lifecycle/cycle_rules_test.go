package lifecycle_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// TestControlCycleRulesListedOnce checks that Rules lists each time of the
// treatment cycle once, in the order of the steps, then the keys that
// name no step in the order of their names; among them a key that reads
// as the engine's name for the number after the last step. Validate
// reports each problem of such a key once.
func TestControlCycleRulesListedOnce(t *testing.T) {
	beyond := lifecycle.ControlStep(lifecycle.StepTreatmentPlan + 1).String()
	cfg := lifecycle.Config{ControlCycle: lifecycle.ControlCycleRules{Within: map[string]calendar.Period{
		"treatment_plan": calendar.Days(10),
		"trader_file":    calendar.Days(30),
		beyond:           {Days: -1},
		"audit":          calendar.Days(5),
	}}}
	var got []string
	for _, r := range cfg.Rules() {
		got = append(got, r.Key+" "+r.Value)
	}
	want := []string{
		"control_cycle.within.trader_file 30d",
		"control_cycle.within.treatment_plan 10d",
		"control_cycle.within." + beyond + " -1d",
		"control_cycle.within.audit 5d",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("each time listed once, steps first in their order (-want +got):\n%s", diff)
	}
	assert.Equal(t, []string{
		"control_cycle.within." + beyond + ": period -1d is negative",
		`control_cycle.within.` + beyond + `: unknown step "` + beyond + `"; want one of trader_file, analysis, file_processed, control_changed, reanalysis, audit_prepared, audit_done, audit_report, control_programme, treatment_plan`,
		`control_cycle.within.audit: unknown step "audit"; want one of trader_file, analysis, file_processed, control_changed, reanalysis, audit_prepared, audit_done, audit_report, control_programme, treatment_plan`,
	}, problems(t, cfg), "a key that is no step is reported, each problem once")
}
