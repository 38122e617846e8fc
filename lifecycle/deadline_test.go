package lifecycle_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// TestDeadlineRules has one row per time rule that sets a deadline or a
// date: the programme fixture, the events that start it, and the date
// Due must report, under the programme-file key. The item is not overdue
// on its day and is overdue the day after.
func TestDeadlineRules(t *testing.T) {
	d := ymd
	tests := []struct {
		name      string
		programme string
		events    func(t *testing.T, l *lifecycle.Machine) *flow
		kind      lifecycle.DueKind
		typ       string
		rule      string
		due       time.Time
		reason    string
	}{{
		name:      "EU decision deadline",
		programme: "eu",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "AEOC")).do(acceptEvent(d(2025, 1, 10)))
		},
		kind: lifecycle.DueDecision, rule: "decision_deadline", due: dateAt(2025, time.May, 10),
		reason: "UCC Art 22(3): 120 days from acceptance (10 January + 120 days = 10 May)",
	}, {
		name:      "EU decision deadline extended",
		programme: "eu",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "AEOC")).do(acceptEvent(d(2025, 1, 10))).
				do(withReasons(officerEvent(lifecycle.EventExtendDeadline, d(2025, 5, 2))))
		},
		kind: lifecycle.DueDecision, rule: "decision_extension", due: dateAt(2025, time.July, 9),
		reason: "DA Art 28: the 120 days extended once by 60 (10 May + 60 days = 9 July)",
	}, {
		name:      "EU effect after decision",
		programme: "eu",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "AEOC")).do(acceptEvent(d(2025, 1, 10))).
				do(validateEvent(d(2025, 2, 20), lifecycle.ValidationOnSite, true)).do(grantEvent(d(2025, 2, 26), "", "AEOC"))
		},
		kind: lifecycle.DueEffect, rule: "effect_after", due: dateAt(2025, time.March, 3),
		reason: "DA Art 29: effect 5 days after the decision (26 February + 5 days = 3 March)",
	}, {
		name:      "EU suspension period",
		programme: "eu",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 1, 6), "", "AEOC", "AEOS").do(suspendEvent(d(2025, 6, 2), "security"))
		},
		kind: lifecycle.DueSuspensionEnd, typ: "AEOS", rule: "suspension.period", due: dateAt(2025, time.July, 2),
		reason: "DA Art 17: at most 30 days while Customs establishes the facts; security suspends AEOS only",
	}, {
		name:      "EU hearing period",
		programme: "eu",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 1, 6), "", "AEOC").do(withReasons(officerEvent(lifecycle.EventProposeRevocation, d(2025, 6, 2))))
		},
		kind: lifecycle.DueHearing, rule: "hearing_period", due: dateAt(2025, time.July, 2),
		reason: "DA Art 8(1): 30 days to state a view before an adverse decision",
	}, {
		name:      "EU coordinator rotation",
		programme: "eu",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			ev := officerEvent(lifecycle.EventAssignCoordinator, d(2025, 2, 1))
			ev.Coordinator = "officer-c"
			return authorizedFlow(t, l, d(2025, 1, 6), "", "AEOC").do(ev)
		},
		kind: lifecycle.DueCoordinatorRotation, rule: "coordinator.rotation", due: dateAt(2030, time.February, 1),
		reason: "Annex 4 recommends rotation; the fixture's 5 years are illustrative",
	}, {
		name:      "India suspension turns into proposed revocation",
		programme: "india",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2024, 1, 8), "T2", "AEO").do(suspendEvent(d(2024, 4, 1), ""))
		},
		kind: lifecycle.DueProposeRevocation, typ: "AEO", rule: "suspension.to_revocation", due: dateAt(2024, time.May, 31),
		reason: "India: revocation if a suspended holder does not remedy within 60 days (1 April + 60 days = 31 May, a leap year)",
	}, {
		name:      "GCC acceptance deadline",
		programme: "gcc",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 1), "", "AEO"))
		},
		kind: lifecycle.DueAcceptance, rule: "acceptance_deadline", due: dateAt(2025, time.January, 31),
		reason: "GCC: Customs checks the application conditions within 30 days",
	}, {
		name:      "GCC completion window",
		programme: "gcc",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 1), "", "AEO")).do(withReasons(officerEvent(lifecycle.EventReturn, d(2025, 1, 15))))
		},
		kind: lifecycle.DueCompletion, rule: "completion_window", due: dateAt(2025, time.February, 14),
		reason: "GCC: a returned application is completed within 30 days or rejected",
	}, {
		name:      "GCC corrective action",
		programme: "gcc",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 1, 6), "", "AEO").do(withReasons(officerEvent(lifecycle.EventRequestCorrectiveAction, d(2025, 2, 1))))
		},
		kind: lifecycle.DueCorrectiveAction, rule: "corrective_action.deadline", due: dateAt(2025, time.May, 2),
		reason: "GCC: corrective action within 90 days (1 February + 90 days = 2 May)",
	}, {
		name:      "GCC corrective action extended",
		programme: "gcc",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 1, 6), "", "AEO").
				do(withReasons(officerEvent(lifecycle.EventRequestCorrectiveAction, d(2025, 2, 1)))).
				do(officerEvent(lifecycle.EventExtendCorrectiveAction, d(2025, 4, 30)))
		},
		kind: lifecycle.DueCorrectiveAction, rule: "corrective_action.extension", due: dateAt(2025, time.July, 31),
		reason: "GCC: extendable once by 90 days (2 May + 90 days = 31 July)",
	}, {
		name:      "GCC revalidation",
		programme: "gcc",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 2, 16), "", "AEO") // granted 3 March 2025
		},
		kind: lifecycle.DueRevalidation, rule: "revalidation.cycle", due: dateAt(2030, time.March, 3),
		reason: "GCC: reassessment at most every 5 years",
	}, {
		name:      "GCC revalidation notice",
		programme: "gcc",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 2, 16), "", "AEO")
		},
		kind: lifecycle.DueRevalidationNotice, rule: "revalidation.notice", due: dateAt(2029, time.September, 3),
		reason: "GCC: the reassessment is notified 6 months ahead",
	}, {
		name:      "C-TPAT decision deadline",
		programme: "ctpat",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "CTPAT")).do(acceptEvent(d(2025, 1, 6)))
		},
		kind: lifecycle.DueDecision, rule: "decision_deadline", due: dateAt(2025, time.April, 6),
		reason: "6 USC 964(c): Tier 1 certification within 90 days, to the extent practicable",
	}, {
		name:      "C-TPAT revalidation",
		programme: "ctpat",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2024, 2, 14), "tier-2", "CTPAT") // granted 29 February 2024
		},
		kind: lifecycle.DueRevalidation, rule: "revalidation.cycle", due: dateAt(2028, time.February, 29),
		reason: "6 USC 969: revalidation at least once in each 4-year period (29 February 2024 to 29 February 2028)",
	}, {
		name:      "C-TPAT appeal decision",
		programme: "ctpat",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2024, 11, 4), "", "CTPAT")).do(acceptEvent(d(2024, 11, 4))).
				do(decideEvent(lifecycle.EventRefuse, d(2024, 12, 16))).
				do(appealEvent(d(2025, 1, 10), lifecycle.StageCustomsReview, lifecycle.DecisionRefusal))
		},
		kind: lifecycle.DueAppealDecision, rule: "appeal.stages[0].decision_deadline", due: dateAt(2025, time.July, 9),
		reason: "6 USC 967: the Secretary decides within 180 days",
	}, {
		name:      "China periodic review",
		programme: "china",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2024, 2, 14), "", "ACE") // granted 29 February 2024
		},
		kind: lifecycle.DueRevalidation, rule: "revalidation.cycle", due: dateAt(2029, time.February, 28),
		reason: "GACC Order 251: re-examination every 5 years; 29 February rolls to 28 February",
	}, {
		name:      "Canada revalidation",
		programme: "canada",
		events: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 3, 20), "", "PIP") // granted 4 April 2025
		},
		kind: lifecycle.DueRevalidation, rule: "revalidation.cycle", due: dateAt(2029, time.April, 4),
		reason: "PIP: revalidation after the 4-year anniversary",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := machineFor(t, tt.programme)
			a := tt.events(t, l).a
			find := func(asOf time.Time) (lifecycle.DueItem, bool) {
				for _, it := range l.Due(a, asOf) {
					if it.Kind == tt.kind && it.Type == tt.typ {
						return it, true
					}
				}
				return lifecycle.DueItem{}, false
			}
			onDay := tt.due.Add(17 * time.Hour)
			if tt.kind == lifecycle.DueEffect {
				onDay = tt.due.AddDate(0, 0, -1) // listed until it takes effect
			}
			got, ok := find(onDay)
			require.True(t, ok, "%s not due as of %s; %s\n%v", tt.kind, onDay, tt.reason, l.Due(a, onDay))
			want := lifecycle.DueItem{Kind: tt.kind, Rule: tt.rule, Type: tt.typ, Due: tt.due}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("due item mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
			if tt.kind == lifecycle.DueEffect {
				_, ok := find(tt.due)
				assert.False(t, ok, "once in effect the item goes")
				return
			}
			late, ok := find(tt.due.AddDate(0, 0, 1))
			if tt.kind != lifecycle.DueMentoringEnd {
				require.True(t, ok)
				assert.True(t, late.Overdue, "overdue the day after; %s", tt.reason)
			}
		})
	}
}

// TestDeadlineWindows has one row per time rule that closes a window or
// opens a bar: the event is accepted on the last day it may be made (or
// the first) and refused one day out, with the typed error naming the
// programme-file key.
// TestMonitoringDeadlines follows the monitoring clocks of an e-commerce
// AEO: each runs from the grant, and from the last monitor event of its
// kind; other monitoring moves neither.
func TestMonitoringDeadlines(t *testing.T) {
	d := ymd
	l := machineFor(t, "ecommerce")
	monitor := func(at time.Time, k lifecycle.MonitoringKind) lifecycle.Event {
		ev := officerEvent(lifecycle.EventMonitor, at)
		ev.Monitoring = k
		ev.Evidence = []string{"minutes-" + at.Format("20060102")}
		return ev
	}
	granted := func() *flow { return authorizedFlow(t, l, d(2025, 1, 6), "", "AEO") }
	due := func(f *flow, k lifecycle.DueKind) (time.Time, bool) {
		for _, it := range l.Due(f.a, f.a.LastAt) {
			if it.Kind == k {
				return it.Due, true
			}
		}
		return time.Time{}, false
	}
	tests := []struct {
		name   string
		flow   func() *flow
		kind   lifecycle.DueKind
		want   time.Time
		reason string
	}{
		{name: "first self-assessment", flow: granted, kind: lifecycle.DueSelfAssessment,
			want: granted().a.DecidedAt.AddDate(0, 6, 0), reason: "six months from the grant"},
		{name: "first spot check", flow: granted, kind: lifecycle.DueSpotCheck,
			want: granted().a.DecidedAt.AddDate(1, 0, 0), reason: "a year from the grant"},
		{name: "self-assessment received", flow: func() *flow { return granted().do(monitor(d(2025, 6, 30), lifecycle.MonitoringSelfAssessment)) },
			kind: lifecycle.DueSelfAssessment, want: dateAt(2025, time.December, 30), reason: "the next is due six months after the last one reviewed"},
		{name: "spot check done", flow: func() *flow { return granted().do(monitor(d(2025, 9, 15), lifecycle.MonitoringSpotCheck)) },
			kind: lifecycle.DueSpotCheck, want: dateAt(2026, time.September, 15), reason: "the next spot check is due a year after the last"},
		{name: "other monitoring moves nothing", flow: func() *flow { return granted().do(monitor(d(2025, 6, 30), lifecycle.MonitoringOther)) },
			kind: lifecycle.DueSelfAssessment, want: granted().a.DecidedAt.AddDate(0, 6, 0), reason: "only a self-assessment resets its clock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := due(tt.flow(), tt.kind)
			require.True(t, ok, "Due lists %s; %s", tt.kind, tt.reason)
			assert.Equal(t, dateAt(tt.want.Year(), tt.want.Month(), tt.want.Day()), got, tt.reason)
		})
	}
}

func TestDeadlineWindows(t *testing.T) {
	d := ymd
	tests := []struct {
		name      string
		programme string
		setup     func(t *testing.T, l *lifecycle.Machine) *flow
		event     func(at time.Time) lifecycle.Event
		okAt      time.Time
		refusedAt time.Time
		want      error
		rule      string
		reason    string
	}{{
		name:      "EU 3-year bar after revocation",
		programme: "eu",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2021, 3, 1), "", "AEOC", "AEOS").
				do(withReasons(officerEvent(lifecycle.EventProposeRevocation, d(2022, 4, 1)))).
				do(withReasons(operatorEvent(lifecycle.EventObservations, d(2022, 4, 20)))).
				do(decideEvent(lifecycle.EventRevoke, d(2022, 5, 10)))
		},
		event:     func(at time.Time) lifecycle.Event { return lodgeEvent(at, "", "AEOC") },
		okAt:      d(2025, 5, 10),
		refusedAt: d(2025, 5, 9),
		want:      lifecycle.ErrReapplicationBarred, rule: "reapply_bar.after_revocation",
		reason: "DA Art 11(1)(d) and (2): no new application within 3 years of revocation",
	}, {
		name:      "India T1 bar",
		programme: "india",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2023, 1, 9), "T1", "AEO").do(decideEvent(lifecycle.EventRevoke, d(2024, 2, 29)))
		},
		event:     func(at time.Time) lifecycle.Event { return lodgeEvent(at, "T1", "AEO") },
		okAt:      d(2025, 2, 28),
		refusedAt: d(2025, 2, 27),
		want:      lifecycle.ErrReapplicationBarred, rule: "reapply_bar.after_revocation",
		reason: "India: revoked T1/T2 may re-apply after 1 year (29 February 2024 to 28 February 2025)",
	}, {
		name:      "India T3 bar",
		programme: "india",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2023, 1, 9), "T3", "AEO").do(decideEvent(lifecycle.EventRevoke, d(2024, 3, 15)))
		},
		event:     func(at time.Time) lifecycle.Event { return lodgeEvent(at, "T1", "AEO") },
		okAt:      d(2027, 3, 15),
		refusedAt: d(2027, 3, 14),
		want:      lifecycle.ErrReapplicationBarred, rule: "reapply_bar.by_grade.T3.after_revocation",
		reason: "India: revoked T3/LO may re-apply after 3 years, whatever tier they apply for next",
	}, {
		name:      "India LO bar",
		programme: "india",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2023, 1, 9), "LO", "AEO").do(decideEvent(lifecycle.EventRevoke, d(2024, 3, 15)))
		},
		event:     func(at time.Time) lifecycle.Event { return lodgeEvent(at, "LO", "AEO") },
		okAt:      d(2027, 3, 15),
		refusedAt: d(2027, 3, 14),
		want:      lifecycle.ErrReapplicationBarred, rule: "reapply_bar.by_grade.LO.after_revocation",
		reason: "India: revoked T3/LO may re-apply after 3 years",
	}, {
		name:      "China 1-year bar after refusal",
		programme: "china",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "ACE")).do(acceptEvent(d(2025, 1, 6))).
				do(decideEvent(lifecycle.EventRefuse, d(2025, 4, 1)))
		},
		event:     func(at time.Time) lifecycle.Event { return lodgeEvent(at, "", "ACE") },
		okAt:      d(2026, 4, 1),
		refusedAt: d(2026, 3, 31),
		want:      lifecycle.ErrReapplicationBarred, rule: "reapply_bar.after_refusal",
		reason: "GACC Order 251: 1-year bar after failed certification",
	}, {
		name:      "China 1-year bar after withdrawal",
		programme: "china",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "ACE")).do(operatorEvent(lifecycle.EventWithdraw, d(2025, 2, 3)))
		},
		event:     func(at time.Time) lifecycle.Event { return lodgeEvent(at, "", "ACE") },
		okAt:      d(2026, 2, 3),
		refusedAt: d(2026, 2, 2),
		want:      lifecycle.ErrReapplicationBarred, rule: "reapply_bar.after_withdrawal",
		reason: "GACC Order 251: 1-year bar after abandoning an application",
	}, {
		name:      "C-TPAT appeal of a denial",
		programme: "ctpat",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2024, 11, 4), "", "CTPAT")).do(acceptEvent(d(2024, 11, 4))).
				do(decideEvent(lifecycle.EventRefuse, d(2024, 12, 16)))
		},
		event: func(at time.Time) lifecycle.Event {
			return appealEvent(at, lifecycle.StageCustomsReview, lifecycle.DecisionNone)
		},
		okAt:      d(2025, 3, 16),
		refusedAt: d(2025, 3, 17),
		want:      lifecycle.ErrLate, rule: "appeal.windows.refusal",
		reason: "6 USC 967: appeal of a denial of benefits within 90 days",
	}, {
		name:      "C-TPAT appeal of a suspension",
		programme: "ctpat",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2024, 1, 8), "", "CTPAT").do(suspendEvent(d(2025, 2, 10), ""))
		},
		event: func(at time.Time) lifecycle.Event {
			return appealEvent(at, lifecycle.StageCustomsReview, lifecycle.DecisionSuspension)
		},
		okAt:      d(2025, 3, 12),
		refusedAt: d(2025, 3, 13),
		want:      lifecycle.ErrLate, rule: "appeal.windows.suspension",
		reason: "6 USC 967: appeal of a suspension within 30 days",
	}, {
		name:      "C-TPAT appeal of an expulsion",
		programme: "ctpat",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2024, 1, 8), "", "CTPAT").do(decideEvent(lifecycle.EventRevoke, d(2025, 2, 10)))
		},
		event: func(at time.Time) lifecycle.Event {
			return appealEvent(at, lifecycle.StageCustomsReview, lifecycle.DecisionRevocation)
		},
		okAt:      d(2025, 3, 12),
		refusedAt: d(2025, 3, 13),
		want:      lifecycle.ErrLate, rule: "appeal.windows.revocation",
		reason: "6 USC 967: appeal of an expulsion within 30 days",
	}, {
		name:      "GCC appeal window",
		programme: "gcc",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2024, 1, 8), "", "AEO").do(suspendEvent(d(2025, 1, 20), ""))
		},
		event: func(at time.Time) lifecycle.Event {
			return appealEvent(at, lifecycle.StageCustomsReview, lifecycle.DecisionNone)
		},
		okAt:      d(2025, 2, 19),
		refusedAt: d(2025, 2, 20),
		want:      lifecycle.ErrLate, rule: "appeal.stages[0].window",
		reason: "GCC: appeal within 30 days of notification",
	}, {
		name:      "GCC completion window",
		programme: "gcc",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 1), "", "AEO")).do(withReasons(officerEvent(lifecycle.EventReturn, d(2025, 1, 15))))
		},
		event:     func(at time.Time) lifecycle.Event { return operatorEvent(lifecycle.EventResubmit, at) },
		okAt:      d(2025, 2, 14),
		refusedAt: d(2025, 2, 15),
		want:      lifecycle.ErrLate, rule: "completion_window",
		reason: "GCC: a returned application is completed within 30 days",
	}, {
		name:      "GCC corrective action extended in time",
		programme: "gcc",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 1, 6), "", "AEO").do(withReasons(officerEvent(lifecycle.EventRequestCorrectiveAction, d(2025, 2, 1))))
		},
		event:     func(at time.Time) lifecycle.Event { return officerEvent(lifecycle.EventExtendCorrectiveAction, at) },
		okAt:      d(2025, 5, 2),
		refusedAt: d(2025, 5, 3),
		want:      lifecycle.ErrLate, rule: "corrective_action.deadline",
		reason: "GCC: the 90-day deadline is extended before it expires",
	}, {
		name:      "EU extension in time",
		programme: "eu",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "AEOC")).do(acceptEvent(d(2025, 1, 10)))
		},
		event: func(at time.Time) lifecycle.Event {
			return withReasons(officerEvent(lifecycle.EventExtendDeadline, at))
		},
		okAt:      d(2025, 5, 10),
		refusedAt: d(2025, 5, 11),
		want:      lifecycle.ErrLate, rule: "decision_deadline",
		reason: "DA Art 28: the 60 days extend a deadline that has not yet passed",
	}, {
		name:      "Canada appeal of a cancellation",
		programme: "canada",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2024, 1, 8), "", "PIP").do(decideEvent(lifecycle.EventRevoke, d(2025, 6, 2)))
		},
		event: func(at time.Time) lifecycle.Event {
			return appealEvent(at, lifecycle.StageCustomsReview, lifecycle.DecisionNone)
		},
		okAt:      d(2025, 7, 2),
		refusedAt: d(2025, 7, 3),
		want:      lifecycle.ErrLate, rule: "appeal.windows.revocation",
		reason: "PIP: 30 days to appeal a cancellation",
	}, {
		name:      "EU hearing before revocation",
		programme: "eu",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return authorizedFlow(t, l, d(2025, 1, 6), "", "AEOC").do(withReasons(officerEvent(lifecycle.EventProposeRevocation, d(2025, 6, 2))))
		},
		event:     func(at time.Time) lifecycle.Event { return decideEvent(lifecycle.EventRevoke, at) },
		okAt:      d(2025, 7, 3),
		refusedAt: d(2025, 7, 2),
		want:      lifecycle.ErrNotHeard, rule: "right-to-be-heard",
		reason: "DA Art 8(1): without the holder's observations Customs waits out the 30 days",
	}, {
		name:      "EU omission",
		programme: "eu",
		setup: func(t *testing.T, l *lifecycle.Machine) *flow {
			return startFlow(t, l).do(lodgeEvent(d(2025, 1, 6), "", "AEOC")).do(acceptEvent(d(2025, 1, 10)))
		},
		event: func(at time.Time) lifecycle.Event {
			return appealEvent(at, lifecycle.StageCustomsReview, lifecycle.DecisionOmission)
		},
		okAt:      d(2025, 5, 11),
		refusedAt: d(2025, 5, 10),
		want:      lifecycle.ErrInvalidTransition, rule: "nothing-to-appeal",
		reason: "UCC Art 44(1): no decision within the 120 days is itself appealable, from the day after",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := machineFor(t, tt.programme)
			base := tt.setup(t, l)
			err := base.fork().try(tt.event(tt.refusedAt))
			requireRule(t, err, tt.want, tt.rule, tt.reason)
			require.NoError(t, base.fork().try(tt.event(tt.okAt)), tt.reason)
		})
	}
}

func TestDeadlineOtherRules(t *testing.T) {
	// Canada excludes appeals against refusals.
	l := machineFor(t, "canada")
	f := startFlow(t, l).do(lodgeEvent(ymd(2025, 1, 6), "", "PIP")).do(acceptEvent(ymd(2025, 1, 6))).
		do(decideEvent(lifecycle.EventRefuse, ymd(2025, 3, 3)))
	requireRule(t, f.try(appealEvent(ymd(2025, 3, 4), lifecycle.StageCustomsReview, lifecycle.DecisionNone)),
		lifecycle.ErrNotPermitted, "appeal.excluded", "PIP: no formal appeal of a denied application")

	// With no stages set, RKC's three stages apply without time limits.
	bare := newMachine(t, lifecycle.Config{})
	g := startFlow(t, bare).do(lodgeEvent(ymd(2020, 1, 6), "", "AEO")).do(acceptEvent(ymd(2020, 1, 6))).
		do(decideEvent(lifecycle.EventRefuse, ymd(2020, 3, 3))).
		do(appealEvent(ymd(2024, 3, 3), lifecycle.StageCustomsReview, lifecycle.DecisionNone)).
		do(rulingEvent(lifecycle.EventDismissAppeal, ymd(2024, 6, 3), "officer-r", lifecycle.ActorOfficer)).
		do(appealEvent(ymd(2025, 1, 3), lifecycle.StageIndependentReview, lifecycle.DecisionNone)).
		do(rulingEvent(lifecycle.EventDismissAppeal, ymd(2025, 6, 3), "board", lifecycle.ActorReviewBody)).
		do(appealEvent(ymd(2025, 7, 3), lifecycle.StageJudicial, lifecycle.DecisionNone))
	requireRule(t, g.try(rulingEvent(lifecycle.EventAllowAppeal, ymd(2026, 1, 5), "board", lifecycle.ActorReviewBody)),
		lifecycle.ErrNotPermitted, "role", "RKC 10.6: the final instance is judicial")
	g.do(rulingEvent(lifecycle.EventDismissAppeal, ymd(2026, 1, 5), "court", lifecycle.ActorCourt))
	assert.Nil(t, g.a.Decision, "the refusal stands, appealed to the end")
	requireRule(t, g.try(operatorEvent(lifecycle.EventWithdrawAppeal, ymd(2026, 1, 6))),
		lifecycle.ErrInvalidTransition, "appeal-exhausted", "nothing is left to withdraw after the last ruling")
	assert.Empty(t, bare.Due(g.a, ymd(2030, 1, 1)), "a bare programme sets no deadline")

	// The suspension period the holder notified overrides the programme's
	// (EU DA Art 16(2) and 17).
	eu := machineFor(t, "eu")
	h := authorizedFlow(t, eu, ymd(2025, 1, 6), "", "AEOS")
	ev := suspendEvent(ymd(2025, 6, 2), "")
	ev.Period = calendar.Period{Months: 3}
	h.do(ev)
	assert.Equal(t, dateAt(2025, time.September, 2), h.a.Types[0].SuspensionEnds)
}

func TestDueOrder(t *testing.T) {
	l := machineFor(t, "eu")
	f := authorizedFlow(t, l, ymd(2025, 1, 6), "", "AEOC", "AEOS")
	ev := officerEvent(lifecycle.EventAssignCoordinator, ymd(2025, 2, 1))
	ev.Coordinator = "officer-c"
	f.do(ev).do(suspendEvent(ymd(2025, 6, 2), "security")).do(suspendEvent(ymd(2025, 6, 3), "competence"))
	got := l.Due(f.a, ymd(2025, 7, 2))
	want := []lifecycle.DueItem{
		{Kind: lifecycle.DueSuspensionEnd, Rule: "suspension.period", Type: "AEOS", Due: dateAt(2025, time.July, 2)},
		{Kind: lifecycle.DueSuspensionEnd, Rule: "suspension.period", Type: "AEOC", Due: dateAt(2025, time.July, 3)},
		{Kind: lifecycle.DueCoordinatorRotation, Rule: "coordinator.rotation", Due: dateAt(2030, time.February, 1)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Due mismatch (-want +got):\n%s", diff)
	}
	got = l.Due(f.a, ymd(2025, 7, 3))
	assert.True(t, got[0].Overdue)
	assert.False(t, got[1].Overdue, "due on its own day is not overdue")
}
