package lifecycle_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// longHistory returns the records of one operator over n events: an
// authorization followed by years of monitoring, suspensions and lifts,
// corrective actions, reassessments and coordinator rotations.
func longHistory(tb testing.TB, l *lifecycle.Machine, n int) (*flow, []lifecycle.Record) {
	tb.Helper()
	day := ymd(2000, 1, 3)
	f := authorizedFlow(tb, l, day, "", "AEOC", "AEOS")
	f.do(assignEvent(lifecycle.EventAssignCoordinator, f.a.LastAt, "coord-0"))
	coordinators := []string{"coord-1", "coord-2"}
	for i := 0; len(f.recs) < n; i++ {
		at := f.a.LastAt.Add(6 * time.Hour)
		step := func() time.Time { at = at.Add(6 * time.Hour); return at }
		mon := officerEvent(lifecycle.EventMonitor, step())
		mon.Evidence = []string{"visit"}
		cycle := []lifecycle.Event{
			mon,
			suspendEvent(step(), "competence"),
			officerEvent(lifecycle.EventLift, step()),
			withReasons(officerEvent(lifecycle.EventRequestCorrectiveAction, step())),
			func() lifecycle.Event {
				ev := officerEvent(lifecycle.EventCompleteCorrectiveAction, step())
				ev.Evidence = []string{"report"}
				return ev
			}(),
			officerEvent(lifecycle.EventStartReassessment, step()),
			validateEvent(step(), lifecycle.ValidationOnSite, true),
			func() lifecycle.Event {
				ev := officerEvent(lifecycle.EventConfirmReassessment, step())
				ev.Assessment = assessmentRef(at, "", "AEOC", "AEOS")
				return ev
			}(),
			assignEvent(lifecycle.EventRotateCoordinator, step(), coordinators[i%2]),
		}
		for _, ev := range cycle {
			if len(f.recs) == n {
				break
			}
			f.do(ev)
		}
	}
	return f, f.recs
}

func BenchmarkApply(b *testing.B) {
	l := machineFor(b, "eu")
	day := ymd(2025, 1, 6)
	authorized := authorizedFlow(b, l, day, "", "AEOC", "AEOS")
	examined := startFlow(b, l).do(lodgeEvent(day, "", "AEOC", "AEOS")).do(acceptEvent(day)).
		do(validateEvent(day, lifecycle.ValidationOnSite, true))
	later := day.AddDate(0, 2, 0)
	mon := officerEvent(lifecycle.EventMonitor, later)
	mon.Evidence = []string{"visit"}
	cases := []struct {
		name string
		a    lifecycle.Authorization
		ev   lifecycle.Event
	}{
		{"monitor", authorized.a, mon},
		{"grant", examined.a, grantEvent(later, "", "AEOC", "AEOS")},
		{"suspend", authorized.a, suspendEvent(later, "competence")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := l.Apply(c.a, c.ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkApplyParallel(b *testing.B) {
	l := machineFor(b, "eu")
	f := authorizedFlow(b, l, ymd(2025, 1, 6), "", "AEOC", "AEOS")
	ev := suspendEvent(ymd(2025, 3, 3), "competence")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := l.Apply(f.a, ev); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkReplay rebuilds an authorization from 10,000 records.
func BenchmarkReplay(b *testing.B) {
	l := machineFor(b, "eu")
	f, recs := longHistory(b, l, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		a, err := l.Replay(recs)
		if err != nil {
			b.Fatal(err)
		}
		if a.Head != f.a.Head {
			b.Fatal("replay ended elsewhere")
		}
	}
}

// BenchmarkVerify checks the hash chain of 10,000 records.
func BenchmarkVerify(b *testing.B) {
	l := machineFor(b, "eu")
	_, recs := longHistory(b, l, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := lifecycle.Trail(recs).Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDue(b *testing.B) {
	l := machineFor(b, "eu")
	f := authorizedFlow(b, l, ymd(2025, 1, 6), "", "AEOC", "AEOS")
	f.do(assignEvent(lifecycle.EventAssignCoordinator, ymd(2025, 2, 3), "coord-1")).do(suspendEvent(ymd(2025, 3, 3), "competence"))
	asOf := ymd(2025, 6, 1)
	b.ReportAllocs()
	for b.Loop() {
		if len(l.Due(f.a, asOf)) == 0 {
			b.Fatal("nothing due")
		}
	}
}

func TestLifecycleLongHistory(t *testing.T) {
	l := machineFor(t, "eu")
	n := 2000
	if testing.Short() {
		n = 300
	}
	f, recs := longHistory(t, l, n)
	if len(recs) != n {
		t.Fatalf("got %d records, want %d", len(recs), n)
	}
	got, err := l.Replay(recs)
	if err != nil {
		t.Fatal(err)
	}
	if got.Head != f.a.Head || got.Seq != n {
		t.Fatalf("replay of %d records ends at %d, %s; live at %d, %s", n, got.Seq, got.Head, f.a.Seq, f.a.Head)
	}
}

// BenchmarkQueue builds the work queue of 1,000 operators, as a host does
// for a regional office each morning.
func BenchmarkQueue(b *testing.B) {
	cfg := capacityConfig()
	cfg.Issues = lifecycle.IssueRules{AcknowledgeWithin: calendar.Period{Days: 5}, AnswerWithin: calendar.Period{Days: 30}}
	cfg.Revalidation = lifecycle.RevalidationRules{Cycle: calendar.Period{Years: 4}}
	l := newMachine(b, cfg)
	day := ymd(2025, 1, 6)
	f := authorizedFlow(b, l, day, "", "AEO")
	assign := officerEvent(lifecycle.EventAssignCoordinator, day.AddDate(0, 0, 16))
	assign.Coordinator, assign.Workload, assign.Portfolio = "coord-0", &lifecycle.Workload{Employees: intp(40), Declarations: intp(300), Complexity: "simple"}, &lifecycle.Portfolio{}
	f.do(assign)
	raise := operatorEvent(lifecycle.EventRaiseIssue, day.AddDate(0, 0, 17))
	raise.Issue, raise.Reasons = "Q-1", []string{"question"}
	f.do(raise)
	cases := make([]lifecycle.Case, 1000)
	for i := range cases {
		a := f.a
		a.Coordinator = &lifecycle.ClientCoordinator{Officer: []string{"coord-0", "coord-1", "coord-2"}[i%3], Weight: 3}
		cases[i] = lifecycle.Case{Operator: "OP" + strconv.Itoa(i), State: a}
	}
	asOf := day.AddDate(0, 2, 0)
	b.ReportAllocs()
	for b.Loop() {
		if q := l.Queue(cases, asOf); len(q.Items) == 0 {
			b.Fatal("nothing due")
		}
	}
}
