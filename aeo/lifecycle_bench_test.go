package aeo_test

import (
	"testing"
	"time"

	"github.com/safe-aeo/engine/aeo"
)

// lcLongHistory returns the records of one operator over n events: an
// authorization followed by years of monitoring, suspensions and lifts,
// corrective actions, reassessments and coordinator rotations.
func lcLongHistory(tb testing.TB, l *aeo.Lifecycle, n int) (*lcFlow, []aeo.Record) {
	tb.Helper()
	day := lcDay(2000, 1, 3)
	f := lcAuthorized(tb, l, day, "", "AEOC", "AEOS")
	f.do(lcAssign(aeo.EventAssignCoordinator, f.a.LastAt, "coord-0"))
	coordinators := []string{"coord-1", "coord-2"}
	for i := 0; len(f.recs) < n; i++ {
		at := f.a.LastAt.Add(6 * time.Hour)
		step := func() time.Time { at = at.Add(6 * time.Hour); return at }
		mon := lcOfficer(aeo.EventMonitor, step())
		mon.Evidence = []string{"visit"}
		cycle := []aeo.Event{
			mon,
			lcSuspend(step(), "competence"),
			lcOfficer(aeo.EventLift, step()),
			lcWithReasons(lcOfficer(aeo.EventRequestCorrectiveAction, step())),
			func() aeo.Event {
				ev := lcOfficer(aeo.EventCompleteCorrectiveAction, step())
				ev.Evidence = []string{"report"}
				return ev
			}(),
			lcOfficer(aeo.EventStartReassessment, step()),
			lcValidate(step(), aeo.ValidationOnSite, true),
			func() aeo.Event {
				ev := lcOfficer(aeo.EventConfirmReassessment, step())
				ev.Assessment = lcAssessment(at, "", "AEOC", "AEOS")
				return ev
			}(),
			lcAssign(aeo.EventRotateCoordinator, step(), coordinators[i%2]),
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
	l := lcLifecycle(b, "eu")
	day := lcDay(2025, 1, 6)
	authorized := lcAuthorized(b, l, day, "", "AEOC", "AEOS")
	examined := lcStart(b, l).do(lcLodge(day, "", "AEOC", "AEOS")).do(lcAccept(day)).
		do(lcValidate(day, aeo.ValidationOnSite, true))
	later := day.AddDate(0, 2, 0)
	mon := lcOfficer(aeo.EventMonitor, later)
	mon.Evidence = []string{"visit"}
	cases := []struct {
		name string
		a    aeo.Authorization
		ev   aeo.Event
	}{
		{"monitor", authorized.a, mon},
		{"grant", examined.a, lcGrant(later, "", "AEOC", "AEOS")},
		{"suspend", authorized.a, lcSuspend(later, "competence")},
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
	l := lcLifecycle(b, "eu")
	f := lcAuthorized(b, l, lcDay(2025, 1, 6), "", "AEOC", "AEOS")
	ev := lcSuspend(lcDay(2025, 3, 3), "competence")
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
	l := lcLifecycle(b, "eu")
	f, recs := lcLongHistory(b, l, 10_000)
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
	l := lcLifecycle(b, "eu")
	_, recs := lcLongHistory(b, l, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := aeo.Verify(recs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDue(b *testing.B) {
	l := lcLifecycle(b, "eu")
	f := lcAuthorized(b, l, lcDay(2025, 1, 6), "", "AEOC", "AEOS")
	f.do(lcAssign(aeo.EventAssignCoordinator, lcDay(2025, 2, 3), "coord-1")).do(lcSuspend(lcDay(2025, 3, 3), "competence"))
	asOf := lcDay(2025, 6, 1)
	b.ReportAllocs()
	for b.Loop() {
		if len(l.Due(f.a, asOf)) == 0 {
			b.Fatal("nothing due")
		}
	}
}

func TestLifecycleLongHistory(t *testing.T) {
	l := lcLifecycle(t, "eu")
	n := 2000
	if testing.Short() {
		n = 300
	}
	f, recs := lcLongHistory(t, l, n)
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
