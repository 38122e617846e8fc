package aeo_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/internal/decode"
)

// Helpers shared by the lifecycle tests. Their names start with lc so
// that they cannot clash with the other tests of package aeo_test.

// lcFP is the fingerprint of the programme version under test.
const lcFP = "sha256:lifecycle-test-programme"

// lcProgrammes are the fixtures in testdata/lifecycle.
var lcProgrammes = []string{"canada", "china", "ctpat", "eu", "gcc", "india"}

// lcDependsOn is the EU cascade (DA Art 30): failing competence suspends
// AEOC only, security and safety AEOS only, the other criteria both.
func lcDependsOn() map[string][]string {
	return map[string][]string{
		"compliance": {"AEOC", "AEOS"},
		"records":    {"AEOC", "AEOS"},
		"solvency":   {"AEOC", "AEOS"},
		"competence": {"AEOC"},
		"security":   {"AEOS"},
	}
}

// lcDay returns 9:30 in the morning of a day in UTC: not midnight, so that
// the tests show deadlines count calendar days, not instants.
func lcDay(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 30, 0, 0, time.UTC)
}

// lcDate returns midnight UTC of a day: how deadlines are held.
func lcDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// lcConfig decodes testdata/lifecycle/<name>.yaml with the programme
// file decoder, strictly.
func lcConfig(t testing.TB, name string) aeo.LifecycleConfig {
	t.Helper()
	path := filepath.Join("testdata", "lifecycle", name+".yaml")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var cfg aeo.LifecycleConfig
	_, err = decode.DecodeInto(path, data, &cfg)
	require.NoError(t, err, "decoding %s", path)
	return cfg
}

func lcNew(t testing.TB, cfg aeo.LifecycleConfig) *aeo.Lifecycle {
	t.Helper()
	l, err := aeo.NewLifecycle(cfg, lcFP, lcDependsOn())
	require.NoError(t, err)
	return l
}

func lcLifecycle(t testing.TB, name string) *aeo.Lifecycle {
	t.Helper()
	return lcNew(t, lcConfig(t, name))
}

// lcFlow applies events to one operator's authorization and keeps its
// records.
type lcFlow struct {
	t    testing.TB
	l    *aeo.Lifecycle
	a    aeo.Authorization
	recs []aeo.Record
}

func lcStart(t testing.TB, l *aeo.Lifecycle) *lcFlow { return &lcFlow{t: t, l: l} }

// do applies ev and fails the test if it is refused.
func (f *lcFlow) do(ev aeo.Event) *lcFlow {
	f.t.Helper()
	next, rec, err := f.l.Apply(f.a, ev)
	require.NoError(f.t, err, "%s at %s", ev.Kind, ev.At.Format(time.DateOnly))
	f.a = next
	f.recs = append(f.recs, rec)
	return f
}

// try applies ev, keeping the result if it is accepted, and returns the
// error. A refusal must leave the state as it was.
func (f *lcFlow) try(ev aeo.Event) error {
	f.t.Helper()
	next, rec, err := f.l.Apply(f.a, ev)
	if err != nil {
		if diff := cmp.Diff(f.a, next); diff != "" {
			f.t.Fatalf("refused %s changed the state (-before +after):\n%s", ev.Kind, diff)
		}
		require.Equal(f.t, aeo.Record{}, rec, "a refused event yields no record")
		return err
	}
	f.a = next
	f.recs = append(f.recs, rec)
	return nil
}

// fork returns a copy of f that can go its own way.
func (f *lcFlow) fork() *lcFlow {
	return &lcFlow{t: f.t, l: f.l, a: f.a, recs: append([]aeo.Record(nil), f.recs...)}
}

// requireRule checks that err is a *RuleError for rule wrapping want.
func requireRule(t testing.TB, err error, want error, rule string, reason string) {
	t.Helper()
	require.Error(t, err, reason)
	require.ErrorIs(t, err, want, reason)
	var re *aeo.RuleError
	require.True(t, errors.As(err, &re), "%T is not a *RuleError; %s", err, reason)
	require.Equal(t, rule, re.Rule, "%v; %s", err, reason)
	require.Regexp(t, `^aeo: `, err.Error())
}

// Event builders. Officers are "officer-a" (proposer) and "officer-b"
// (approver); the operator acts as "operator".

func lcOperator(k aeo.EventKind, at time.Time) aeo.Event {
	return aeo.Event{Kind: k, At: at, Actor: "operator", Role: aeo.ActorOperator}
}

func lcOfficer(k aeo.EventKind, at time.Time) aeo.Event {
	return aeo.Event{Kind: k, At: at, Actor: "officer-a", Role: aeo.ActorOfficer}
}

func lcWithReasons(ev aeo.Event, reasons ...string) aeo.Event {
	if len(reasons) == 0 {
		reasons = []string{"stated in the letter"}
	}
	ev.Reasons = reasons
	return ev
}

func lcLodge(at time.Time, grade string, types ...string) aeo.Event {
	ev := lcOperator(aeo.EventLodge, at)
	ev.Types, ev.Grade = types, grade
	return ev
}

func lcLodgeSites(at time.Time, sites []string, types ...string) aeo.Event {
	ev := lcLodge(at, "", types...)
	ev.Sites = sites
	return ev
}

func lcAccept(at time.Time) aeo.Event { return lcOfficer(aeo.EventAccept, at) }

func lcValidate(at time.Time, m aeo.ValidationMethod, satisfied bool, sites ...string) aeo.Event {
	ev := lcOfficer(aeo.EventValidate, at)
	ev.Validation = &aeo.ValidationReport{Method: m, Satisfied: satisfied}
	ev.Sites = sites
	ev.Evidence = []string{"report-" + at.Format("20060102")}
	return ev
}

// lcAssessment recommends each type at grade, as of the day before at.
func lcAssessment(at time.Time, grade string, types ...string) *aeo.AssessmentRef {
	ref := &aeo.AssessmentRef{Fingerprint: lcFP, AsOf: at.AddDate(0, 0, -1)}
	for _, t := range types {
		ref.Recommended = append(ref.Recommended, aeo.Recommendation{Type: t, Grade: grade})
	}
	return ref
}

func lcGrant(at time.Time, grade string, types ...string) aeo.Event {
	ev := lcOfficer(aeo.EventGrant, at)
	ev.Approver = "officer-b"
	ev.Types, ev.Grade = types, grade
	ev.Assessment = lcAssessment(at, grade, types...)
	ev.Reasons = []string{"every criterion met"}
	return ev
}

func lcDecide(k aeo.EventKind, at time.Time, types ...string) aeo.Event {
	ev := lcWithReasons(lcOfficer(k, at))
	ev.Approver = "officer-b"
	ev.Types = types
	return ev
}

func lcSuspend(at time.Time, criterion string, types ...string) aeo.Event {
	ev := lcWithReasons(lcOfficer(aeo.EventSuspend, at))
	ev.Criterion, ev.Types = criterion, types
	return ev
}

func lcAppeal(at time.Time, stage aeo.AppealStage, against aeo.DecisionKind) aeo.Event {
	ev := lcWithReasons(lcOperator(aeo.EventLodgeAppeal, at), "the facts were misread")
	ev.Stage, ev.Against = stage, against
	return ev
}

func lcRuling(k aeo.EventKind, at time.Time, actor string, role aeo.ActorRole) aeo.Event {
	return aeo.Event{Kind: k, At: at, Actor: actor, Role: role, Reasons: []string{"ruling"}}
}

// lcAuthorized takes an operator from application to authorization: lodged
// and accepted on day, validated on site five days later, granted ten days
// after that, under a programme that does not sample sites.
func lcAuthorized(t testing.TB, l *aeo.Lifecycle, day time.Time, grade string, types ...string) *lcFlow {
	t.Helper()
	return lcStart(t, l).
		do(lcLodge(day, grade, types...)).
		do(lcAccept(day)).
		do(lcValidate(day.AddDate(0, 0, 5), aeo.ValidationOnSite, true)).
		do(lcGrant(day.AddDate(0, 0, 15), grade, types...))
}
