package aeo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/lifecycle"
)

// TestCalendarSection loads a programme whose deadlines count working
// days of its own week, with holidays inline and from a holiday file,
// and checks the deadlines the lifecycle then gives.
func TestCalendarSection(t *testing.T) {
	p, err := aeo.Load("testdata/calendar/programme.yaml")
	require.NoError(t, err)
	require.NotNil(t, p.Calendar())
	assert.Equal(t, []int{2025, 2026}, p.Calendar().Years(), "2025 inline, 2026 from its file")
	name, ok := p.Calendar().Holiday(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	assert.True(t, ok)
	assert.Equal(t, "National Day", name)

	l := p.Lifecycle()
	ev := func(k lifecycle.EventKind, at string, role lifecycle.ActorRole) lifecycle.Event {
		d, _ := time.Parse(time.DateOnly, at)
		return lifecycle.Event{Kind: k, At: d.Add(9 * time.Hour), Actor: role.String(), Role: role, Types: []string{"AEO"}, Reasons: []string{"r"}}
	}
	a, _, err := l.Apply(lifecycle.Authorization{}, ev(lifecycle.EventLodge, "2025-03-01", lifecycle.ActorOperator))
	require.NoError(t, err)
	assert.Equal(t, "2025-04-01", a.AcceptanceDue.Format(time.DateOnly), "30 days is 31 March, Eid: rolled to the next working day")
	a, _, err = l.Apply(a, ev(lifecycle.EventReturn, "2025-11-20", lifecycle.ActorOfficer))
	require.NoError(t, err)
	assert.Equal(t, "2025-12-14", a.CompletionDue.Format(time.DateOnly), "15 working days of a Sunday-to-Thursday week, 2 December a holiday")
	a, _, err = l.Apply(a, ev(lifecycle.EventResubmit, "2025-12-01", lifecycle.ActorOperator))
	require.NoError(t, err)
	a, _, err = l.Apply(a, ev(lifecycle.EventAccept, "2025-12-03", lifecycle.ActorOfficer))
	require.NoError(t, err)
	assert.Equal(t, "2026-03-31", a.DecisionDue.Format(time.DateOnly), "the end of the third month after, not rolled")
}

// TestCalendarBadInput checks that each mistake in a calendar is
// reported at once, with its file, line and column.
func TestCalendarBadInput(t *testing.T) {
	_, err := aeo.Load("testdata/calendar/bad/programme.yaml")
	require.Error(t, err)
	got := err.Error()
	for _, want := range []string{
		"testdata/calendar/bad/2026.yaml:4:5: holidays[1]: holiday 2027-01-01 is not in 2026, the year it is listed under",
		"testdata/calendar/bad/programme.yaml:9:17: calendar.working_week: a working week with no working day",
		"testdata/calendar/bad/programme.yaml:11:24: calendar.holidays.2025[1]: holiday 2024-12-25 is not in 2025",
		"testdata/calendar/bad/programme.yaml:12:30: calendar.holiday_files[1]: open missing.yaml",
		"testdata/calendar/bad/programme.yaml:14:24: lifecycle.acceptance_deadline: period \"0wd\": zero working days is no period",
		"testdata/calendar/bad/programme.yaml:15:22: lifecycle.completion_window: period \"-3wd\": negative periods are refused",
		"testdata/calendar/bad/programme.yaml:16:22: lifecycle.decision_deadline: period \"7wd+eom\": a period in working days takes no end anchor",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the problems do not include\n\t%s\ngot:\n%s", want, got)
		}
	}
}

// TestTimeRuleFixtures runs fixtures that pin, without Go, the time rules
// of several national programmes: working days, a hearing on request, a
// benefit denial's own appeal window, an informal review, a separate
// certificate's bar.
func TestTimeRuleFixtures(t *testing.T) {
	aeotest.Run(t, "testdata/timerules/programme.yaml", "testdata/timerules/fixtures.yaml")
}
