package lifecycle

import (
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// Operators' issues. "Customs administrations should be receptive to the
// concerns of AEOs and determine, in consultation with them, a formalized
// method of communication, which ensures that issues are properly
// received, addressed and resolved for the benefit of both" (WCO note on
// applying the AEO concept to e-commerce stakeholders, section IX; SAFE
// Annex IV D, Customs' side: procedures through which AEOs raise
// questions). An issue is raised by the operator (raise_issue), its
// receipt acknowledged (acknowledge_issue), answered in writing
// (answer_issue) and closed once resolved (close_issue), each in the
// audit trail. issues.acknowledge_within and issues.answer_within, counted
// from the day it was raised, put the acknowledgement and the answer on
// the officer's work queue ([Machine.Due], [Machine.Queue]).

// IssueRules set the response times to an operator's issues, counted
// from the day the issue is raised. A zero period sets no deadline; the
// issue is still tracked.
type IssueRules struct {
	// AcknowledgeWithin: time to acknowledge receipt.
	AcknowledgeWithin calendar.Period `json:"acknowledge_within,omitzero"`
	// AnswerWithin: time to answer in writing.
	AnswerWithin calendar.Period `json:"answer_within,omitzero"`
}

func (r IssueRules) fields(period func(key string, p calendar.Period)) {
	period("issues.acknowledge_within", r.AcknowledgeWithin)
	period("issues.answer_within", r.AnswerWithin)
}

// An Issue is an issue the operator raised and that is not yet closed.
// Closed issues leave the state; the audit trail keeps them.
type Issue struct {
	// ID is the host's reference of the issue.
	ID             string    `json:"id"`
	RaisedAt       time.Time `json:"raised_at"`
	AcknowledgeDue time.Time `json:"acknowledge_due,omitzero"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	AnswerDue      time.Time `json:"answer_due,omitzero"`
	AnsweredAt     time.Time `json:"answered_at,omitzero"`
	// Officer is the officer who last acted on the issue.
	Officer string `json:"officer,omitempty"`
}

// issue returns the index of the open issue named by the event, or a
// refusal.
func (s *step) issue() (int, error) {
	id := s.ev.Issue
	if strings.TrimSpace(id) == "" {
		return -1, s.fail("event.issue", ErrInvalidEvent, "name the issue")
	}
	i := slices.IndexFunc(s.from.Issues, func(x Issue) bool { return x.ID == id })
	if i < 0 {
		return -1, s.fail("issue-open", ErrInvalidTransition, "no open issue %q", id)
	}
	return i, nil
}

func (s *step) raiseIssue() error {
	ev := s.ev
	if strings.TrimSpace(ev.Issue) == "" {
		return s.fail("event.issue", ErrInvalidEvent, "name the issue raised")
	}
	if slices.ContainsFunc(s.from.Issues, func(x Issue) bool { return x.ID == ev.Issue }) {
		return s.fail("issue-open", ErrInvalidTransition, "issue %q is already open", ev.Issue)
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	r := s.l.cfg.Issues
	s.next.Issues = append(s.next.Issues, Issue{
		ID:             ev.Issue,
		RaisedAt:       ev.At,
		AcknowledgeDue: s.deadline(r.AcknowledgeWithin, ev.At),
		AnswerDue:      s.deadline(r.AnswerWithin, ev.At),
	})
	slices.SortFunc(s.next.Issues, func(x, y Issue) int { return strings.Compare(x.ID, y.ID) })
	return nil
}

func (s *step) acknowledgeIssue() error {
	i, err := s.issue()
	if err != nil {
		return err
	}
	if !s.from.Issues[i].AcknowledgedAt.IsZero() {
		return s.fail("issue-acknowledged", ErrInvalidTransition, "issue %q was acknowledged on %s", s.ev.Issue, day(s.from.Issues[i].AcknowledgedAt))
	}
	is := &s.next.Issues[i]
	is.AcknowledgedAt, is.Officer = s.ev.At, s.ev.Actor
	return nil
}

// answerIssue answers an issue; an answer also acknowledges it.
func (s *step) answerIssue() error {
	i, err := s.issue()
	if err != nil {
		return err
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	is := &s.next.Issues[i]
	if is.AcknowledgedAt.IsZero() {
		is.AcknowledgedAt = s.ev.At
	}
	is.AnsweredAt, is.Officer = s.ev.At, s.ev.Actor
	return nil
}

func (s *step) closeIssue() error {
	i, err := s.issue()
	if err != nil {
		return err
	}
	if s.from.Issues[i].AnsweredAt.IsZero() {
		return s.fail("issue-answered", ErrInvalidTransition, "issue %q has not been answered", s.ev.Issue)
	}
	if err := s.needReasons(); err != nil {
		return err
	}
	s.next.Issues = slices.Delete(s.next.Issues, i, i+1)
	return nil
}

// issuesDue adds what is due on a's open issues.
func issuesDue(a *Authorization, add func(k DueKind, rule string, due time.Time, issue string)) {
	for _, is := range a.Issues {
		if is.AcknowledgedAt.IsZero() {
			add(DueIssueAcknowledgement, "issues.acknowledge_within", is.AcknowledgeDue, is.ID)
		}
		if is.AnsweredAt.IsZero() {
			add(DueIssueAnswer, "issues.answer_within", is.AnswerDue, is.ID)
		}
	}
}
