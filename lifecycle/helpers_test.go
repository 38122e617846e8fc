package lifecycle_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/lifecycle"
)

// Helpers shared by the lifecycle tests. Their names start with lc so
// that they cannot clash with the other tests of package aeo_test.

// testFP is the fingerprint of the programme version under test.
const testFP = "sha256:lifecycle-test-programme"

// testProgrammes are the fixtures in testdata/lifecycle.
var testProgrammes = []string{"canada", "china", "ctpat", "eu", "gcc", "india"}

// testDependsOn is the EU cascade (DA Art 30): failing competence suspends
// AEOC only, security and safety AEOS only, the other criteria both.
func testDependsOn() map[string][]string {
	return map[string][]string{
		"compliance": {"AEOC", "AEOS"},
		"records":    {"AEOC", "AEOS"},
		"solvency":   {"AEOC", "AEOS"},
		"competence": {"AEOC"},
		"security":   {"AEOS"},
	}
}

// ymd returns 9:30 in the morning of a day in UTC: not midnight, so that
// the tests show deadlines count calendar days, not instants.
func ymd(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 30, 0, 0, time.UTC)
}

// dateAt returns midnight UTC of a day: how deadlines are held.
func dateAt(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// loadConfig decodes testdata/lifecycle/<name>.yaml with the programme
// file decoder, strictly.
func loadConfig(t testing.TB, name string) lifecycle.Config {
	t.Helper()
	path := filepath.Join("testdata", "lifecycle", name+".yaml")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var cfg lifecycle.Config
	_, err = decode.DecodeInto(path, data, &cfg)
	require.NoError(t, err, "decoding %s", path)
	return cfg
}

func newMachine(t testing.TB, cfg lifecycle.Config) *lifecycle.Machine {
	t.Helper()
	l, err := lifecycle.New(cfg, testFP, testDependsOn())
	require.NoError(t, err)
	return l
}

func machineFor(t testing.TB, name string) *lifecycle.Machine {
	t.Helper()
	return newMachine(t, loadConfig(t, name))
}

// flow applies events to one operator's authorization and keeps its
// records.
type flow struct {
	t    testing.TB
	l    *lifecycle.Machine
	a    lifecycle.Authorization
	recs []lifecycle.Record
}

func startFlow(t testing.TB, l *lifecycle.Machine) *flow { return &flow{t: t, l: l} }

// do applies ev and fails the test if it is refused.
func (f *flow) do(ev lifecycle.Event) *flow {
	f.t.Helper()
	next, rec, err := f.l.Apply(f.a, ev)
	require.NoError(f.t, err, "%s at %s", ev.Kind, ev.At.Format(time.DateOnly))
	f.a = next
	f.recs = append(f.recs, rec)
	return f
}

// try applies ev, keeping the result if it is accepted, and returns the
// error. A refusal must leave the state as it was.
func (f *flow) try(ev lifecycle.Event) error {
	f.t.Helper()
	next, rec, err := f.l.Apply(f.a, ev)
	if err != nil {
		if diff := cmp.Diff(f.a, next); diff != "" {
			f.t.Fatalf("refused %s changed the state (-before +after):\n%s", ev.Kind, diff)
		}
		require.Equal(f.t, lifecycle.Record{}, rec, "a refused event yields no record")
		return err
	}
	f.a = next
	f.recs = append(f.recs, rec)
	return nil
}

// fork returns a copy of f that can go its own way.
func (f *flow) fork() *flow {
	return &flow{t: f.t, l: f.l, a: f.a, recs: append([]lifecycle.Record(nil), f.recs...)}
}

// requireRule checks that err is a *RuleError for rule wrapping want.
func requireRule(t testing.TB, err error, want error, rule string, reason string) {
	t.Helper()
	require.Error(t, err, reason)
	require.ErrorIs(t, err, want, reason)
	var re *lifecycle.RuleError
	require.True(t, errors.As(err, &re), "%T is not a *RuleError; %s", err, reason)
	require.Equal(t, rule, re.Rule, "%v; %s", err, reason)
	require.Regexp(t, `^lifecycle: `, err.Error())
}

// Event builders. Officers are "officer-a" (proposer) and "officer-b"
// (approver); the operator acts as "operator".

func operatorEvent(k lifecycle.EventKind, at time.Time) lifecycle.Event {
	return lifecycle.Event{Kind: k, At: at, Actor: "operator", Role: lifecycle.ActorOperator}
}

func officerEvent(k lifecycle.EventKind, at time.Time) lifecycle.Event {
	return lifecycle.Event{Kind: k, At: at, Actor: "officer-a", Role: lifecycle.ActorOfficer}
}

func withReasons(ev lifecycle.Event, reasons ...string) lifecycle.Event {
	if len(reasons) == 0 {
		reasons = []string{"stated in the letter"}
	}
	ev.Reasons = reasons
	return ev
}

func lodgeEvent(at time.Time, grade string, types ...string) lifecycle.Event {
	ev := operatorEvent(lifecycle.EventLodge, at)
	ev.Types, ev.Grade = types, grade
	return ev
}

func lodgeSitesEvent(at time.Time, sites []string, types ...string) lifecycle.Event {
	ev := lodgeEvent(at, "", types...)
	ev.Sites = sites
	return ev
}

func acceptEvent(at time.Time) lifecycle.Event { return officerEvent(lifecycle.EventAccept, at) }

func validateEvent(at time.Time, m lifecycle.ValidationMethod, satisfied bool, sites ...string) lifecycle.Event {
	ev := officerEvent(lifecycle.EventValidate, at)
	ev.Validation = &lifecycle.ValidationReport{Method: m, Satisfied: satisfied}
	ev.Sites = sites
	ev.Evidence = []string{"report-" + at.Format("20060102")}
	return ev
}

// assessmentRef recommends each type at grade, as of the day before at.
func assessmentRef(at time.Time, grade string, types ...string) *lifecycle.AssessmentRef {
	ref := &lifecycle.AssessmentRef{Fingerprint: testFP, AsOf: at.AddDate(0, 0, -1)}
	for _, t := range types {
		ref.Recommended = append(ref.Recommended, lifecycle.TypeGrade{Type: t, Grade: grade})
	}
	return ref
}

func grantEvent(at time.Time, grade string, types ...string) lifecycle.Event {
	ev := officerEvent(lifecycle.EventGrant, at)
	ev.Approver = "officer-b"
	ev.Types, ev.Grade = types, grade
	ev.Assessment = assessmentRef(at, grade, types...)
	ev.Reasons = []string{"every criterion met"}
	return ev
}

func decideEvent(k lifecycle.EventKind, at time.Time, types ...string) lifecycle.Event {
	ev := withReasons(officerEvent(k, at))
	ev.Approver = "officer-b"
	ev.Types = types
	return ev
}

func suspendEvent(at time.Time, criterion string, types ...string) lifecycle.Event {
	ev := withReasons(officerEvent(lifecycle.EventSuspend, at))
	ev.Criterion, ev.Types = criterion, types
	return ev
}

func appealEvent(at time.Time, stage lifecycle.AppealStage, against lifecycle.DecisionKind) lifecycle.Event {
	ev := withReasons(operatorEvent(lifecycle.EventLodgeAppeal, at), "the facts were misread")
	ev.Stage, ev.Against = stage, against
	return ev
}

func rulingEvent(k lifecycle.EventKind, at time.Time, actor string, role lifecycle.ActorRole) lifecycle.Event {
	return lifecycle.Event{Kind: k, At: at, Actor: actor, Role: role, Reasons: []string{"ruling"}}
}

// authorizedFlow takes an operator from application to authorization: lodged
// and accepted on day, validated on site five days later, granted ten days
// after that, under a programme that does not sample sites.
func authorizedFlow(t testing.TB, l *lifecycle.Machine, day time.Time, grade string, types ...string) *flow {
	t.Helper()
	return startFlow(t, l).
		do(lodgeEvent(day, grade, types...)).
		do(acceptEvent(day)).
		do(validateEvent(day.AddDate(0, 0, 5), lifecycle.ValidationOnSite, true)).
		do(grantEvent(day.AddDate(0, 0, 15), grade, types...))
}
