package lifecycle

import (
	"sort"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
)

// Deadlines are calendar dates: a period runs from the calendar day of the
// event that starts it (in the event time's own location) and ends on a
// day, held as midnight UTC. An act on the last day is in time; the day
// after, it is late. Counting days rather than instants keeps a deadline
// the same whatever the time of day or the time zone the host stored.

// after reports whether t falls on a day after the deadline d; a zero d
// never passes.
func after(t, d time.Time) bool {
	return !d.IsZero() && calendar.Date(t).After(d)
}

// A DueItem is something due on an authorization, for an officer's work
// queue: what (Kind), under which rule (Rule, the programme-file key), for
// which type if it concerns one, by when, and whether it is overdue.
type DueItem struct {
	Kind    DueKind   `json:"kind"`
	Rule    string    `json:"rule"`
	Type    string    `json:"type,omitempty"`
	Due     time.Time `json:"due"`
	Overdue bool      `json:"overdue,omitempty"`
	// From is the first day of a window that ends on Due (the renewal
	// window, the re-analysis after a changed method of control); zero for
	// a plain deadline.
	From time.Time `json:"from,omitzero"`
	// Partner is the partner a consent notice is owed to; Change, the
	// kind of change a reassessment is for, with the Requirements and
	// Criteria it affects (none listed: the whole programme).
	Partner      string   `json:"partner,omitempty"`
	Change       string   `json:"change,omitempty"`
	Requirements []string `json:"requirements,omitempty"`
	Criteria     []string `json:"criteria,omitempty"`
	// Issue is the operator's issue an acknowledgement or answer is due
	// on; Step the step of the treatment cycle due.
	Issue string      `json:"issue,omitempty"`
	Step  ControlStep `json:"step,omitempty"`
}

// Due lists what is due on a as of asOf: deadlines Customs must meet,
// periods that end, cycles that come round. An item is overdue when asOf
// falls on a day after its due date. The list is sorted by due date, kind
// and type; it is fresh, and nil when nothing is due.
//
// Due takes no decision: an overdue decision deadline makes the omission
// appealable and a suspension past suspension.to_revocation calls for a
// proposed revocation, but only the events that say so change the state.
func (l *Machine) Due(a Authorization, asOf time.Time) []DueItem {
	return l.due(&a, asOf, nil)
}

// due appends to out what is due on *a as of asOf, sorted (see Due).
func (l *Machine) due(a *Authorization, asOf time.Time, out []DueItem) []DueItem {
	add := func(k DueKind, rule, typ string, due time.Time) {
		if due.IsZero() {
			return
		}
		out = append(out, DueItem{Kind: k, Rule: rule, Type: typ, Due: due, Overdue: after(asOf, due)})
	}
	switch a.Status {
	case StatusLodged:
		add(DueAcceptance, "acceptance_deadline", "", a.AcceptanceDue)
	case StatusIncomplete:
		add(DueCompletion, "completion_window", "", a.CompletionDue)
	case StatusExamination:
		rule := "decision_deadline"
		if a.DecisionExtended {
			rule = "decision_extension"
		}
		add(DueDecision, rule, "", a.DecisionDue)
	}
	if a.Status.held() {
		if !a.EffectiveAt.IsZero() && calendar.Date(asOf).Before(a.EffectiveAt) {
			add(DueEffect, "effect_after", "", a.EffectiveAt)
		}
		for _, t := range a.Types {
			if !t.Suspended {
				continue
			}
			add(DueSuspensionEnd, "suspension.period", t.Type, t.SuspensionEnds)
			add(DueRemedy, "suspension.remedy_deadline", t.Type, t.RemedyDue)
			if a.Status != StatusRevocationProposed {
				add(DueProposeRevocation, "suspension.to_revocation", t.Type, t.RevocationDue)
			}
		}
		if a.Status == StatusRevocationProposed && a.HeardAt.IsZero() {
			add(DueHearing, "hearing_period", "", a.HearingEnds)
		}
		if a.ReassessmentOpen.IsZero() && !a.RevalidationDue.IsZero() {
			if n := l.cfg.Revalidation.Notice; !n.IsZero() {
				add(DueRevalidationNotice, "revalidation.notice", "", n.Negate().AddTo(a.RevalidationDue))
			}
			add(DueRevalidation, "revalidation.cycle", "", a.RevalidationDue)
		}
		add(DueSelfAssessment, "monitoring.self_assessment", "", a.SelfAssessmentDue)
		add(DueSpotCheck, "monitoring.spot_check", "", a.SpotCheckDue)
		if !a.ValidUntil.IsZero() {
			v, prefix := l.cfg.validity(a.typeNames())
			switch {
			case a.Renewal != nil:
				add(DueRenewalDecision, prefix+"renewal_decision", "", a.Renewal.DecisionDue)
			case after(asOf, a.ValidUntil):
				add(DueLapse, prefix+"term", "", a.ValidUntil.AddDate(0, 0, 1))
			case !v.RenewalWindow.IsZero():
				// Without a window a renewal may be lodged at any time up
				// to the expiry, which the expiry item shows.
				add(DueRenewal, prefix+"renewal_window", "", a.ValidUntil)
				out[len(out)-1].From = renewalOpens(v, a.ValidUntil)
			}
			if !after(asOf, a.ValidUntil) {
				add(DueExpiry, prefix+"term", "", a.ValidUntil)
			}
		}
	}
	if h := a.Hearing; h != nil {
		if h.ScheduledAt.IsZero() {
			add(DueHearingSchedule, "hearings.schedule_within", "", h.ScheduleDue)
		} else if !h.HeldAt.IsZero() {
			add(DueHearingSubmissions, "hearings.submissions_after", "", h.SubmissionsDue)
		}
	}
	if (a.Status.held() || a.Status.pending()) && a.CorrectiveAction != nil {
		rule := "corrective_action.deadline"
		if a.CorrectiveAction.Extended {
			rule = "corrective_action.extension"
		}
		add(DueCorrectiveAction, rule, "", a.CorrectiveAction.Due)
	}
	if c := a.Coordinator; c != nil && (a.Status.held() || a.Status.pending()) {
		add(DueCoordinatorRotation, "coordinator.rotation", "", c.RotationDue)
		if c.Mentor != "" && !after(asOf, c.MentorUntil) {
			add(DueMentoringEnd, "coordinator.mentoring", "", c.MentorUntil)
		}
	}
	issuesDue(a, func(k DueKind, rule string, due time.Time, issue string) {
		if !due.IsZero() {
			out = append(out, DueItem{Kind: k, Rule: rule, Due: due, Overdue: after(asOf, due), Issue: issue})
		}
	})
	cycleDue(a, func(d DueItem) {
		d.Overdue = after(asOf, d.Due)
		out = append(out, d)
	})
	if ap := a.Appeal; ap != nil {
		switch ap.Phase {
		case AppealReasonsRequested:
			add(DueReasons, l.stageKey(StageRequestReasons, "decision_deadline"), "", ap.ReasonsDue)
		case AppealLodged:
			add(DueAppealDecision, l.stageKey(ap.Stage, "decision_deadline"), "", ap.DecisionDue)
		}
	}
	out = l.dueExchange(out, a, asOf)
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if !x.Due.Equal(y.Due) {
			return x.Due.Before(y.Due)
		}
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		if x.Type != y.Type {
			return x.Type < y.Type
		}
		if a, b := x.Partner+x.Change, y.Partner+y.Change; a != b {
			return a < b
		}
		return x.Issue < y.Issue
	})
	return out
}

// stage returns the rule for stage st and its index in the programme's
// stages, or a zero rule and -1 when the programme does not list it.
func (l *Machine) stage(st AppealStage) (AppealStageRule, int) {
	for i, s := range l.cfg.Appeal.Stages {
		if s.Stage == st {
			return s, i
		}
	}
	return AppealStageRule{Stage: st}, -1
}

// stageKey returns the programme-file key of field of stage st, e.g.
// "appeal.stages[1].window", or "appeal.informal_review.window" for the
// informal review, which has its own section.
func (l *Machine) stageKey(st AppealStage, field string) string {
	if _, i := l.stage(st); i >= 0 {
		return diag.Index("appeal.stages", i) + "." + field
	}
	if st == StageInformalReview {
		return "appeal.informal_review." + field
	}
	return "appeal.stages"
}
