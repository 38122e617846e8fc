package lifecycle_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// The model-based tests check Apply against the transition tables it
// exports (Transitions, AppealTransitions, AppealEffects), which are the
// model: an event the tables do not allow is refused with
// ErrInvalidTransition under the rule "transition" and changes nothing; an
// event they allow either moves as they say or is refused by a guard,
// with a *RuleError and no change.

// lastKind is the last event kind; lastAppealKind the last of the appeal
// track, which runs beside the status.
const (
	lastKind       = lifecycle.EventReviewChange
	lastAppealKind = lifecycle.EventWithdrawAppeal
)

// modelConfig sets every rule, short decision deadlines (so that
// omissions arise within a few events), and no hearing period (so that
// revocation is possible from every status the table allows it in).
func modelConfig() lifecycle.Config {
	d := func(n int) calendar.Period { return calendar.Period{Days: n} }
	return lifecycle.Config{
		AcceptanceDeadline: d(3),
		CompletionWindow:   d(30),
		DecisionDeadline:   d(3),
		DecisionExtension:  d(2),
		EffectAfter:        d(1),
		Validation:         lifecycle.ValidationRules{ThirdParty: true},
		Suspension:         lifecycle.SuspensionRules{Period: d(30), RemedyDeadline: d(20), ToRevocation: d(60)},
		CorrectiveAction:   lifecycle.CorrectiveActionRules{Deadline: d(90), Extension: d(90)},
		ReapplyBar: lifecycle.ReapplyBar{
			AfterRefusal: d(1), AfterRevocation: d(1), AfterWithdrawal: d(1), AfterAnnulment: d(1),
			ByGrade: map[string]lifecycle.ReapplyBar{"T3": {AfterRevocation: d(2)}},
		},
		Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{
			{Stage: lifecycle.StageRequestReasons, Window: d(400), DecisionDeadline: d(30)},
			{Stage: lifecycle.StageCustomsReview, Window: d(400), DecisionDeadline: d(60)},
			{Stage: lifecycle.StageIndependentReview, Window: d(400)},
			{Stage: lifecycle.StageJudicial, Window: d(400)},
		}},
		Revalidation: lifecycle.RevalidationRules{Cycle: calendar.Period{Years: 4}, Notice: calendar.Period{Months: 6}},
		Coordinator:  lifecycle.CoordinatorRules{Rotation: calendar.Period{Years: 5}, Mentoring: calendar.Period{Months: 3}},
		Validity:     lifecycle.ValidityRules{Term: d(20), RenewalWindow: d(10), RenewalDecision: d(5)},
		Hearings:     lifecycle.HearingRules{ScheduleWithin: d(15), SubmissionsAfter: d(7)},
		Issues:       lifecycle.IssueRules{AcknowledgeWithin: d(5), AnswerWithin: d(30)},
		ControlCycle: lifecycle.ControlCycleRules{Within: map[string]calendar.Period{"trader_file": d(30)}, Repeat: calendar.Period{Years: 1}},
	}
}

// refModel is the oracle built from the exported tables.
type refModel struct {
	status  map[[2]int][]lifecycle.Status // (from, event) → to; nil To means unchanged
	appeal  map[[2]int]lifecycle.AppealPhase
	effects map[[2]int][]lifecycle.Status // (against, from) → to
}

func newRefModel() refModel {
	m := refModel{status: map[[2]int][]lifecycle.Status{}, appeal: map[[2]int]lifecycle.AppealPhase{}, effects: map[[2]int][]lifecycle.Status{}}
	for _, tr := range lifecycle.Transitions() {
		to := tr.To
		if to == nil {
			to = []lifecycle.Status{tr.From}
		}
		m.status[[2]int{int(tr.From), int(tr.Event)}] = to
	}
	for _, tr := range lifecycle.AppealTransitions() {
		m.appeal[[2]int{int(tr.From), int(tr.Event)}] = tr.To
	}
	for _, e := range lifecycle.AppealEffects() {
		m.effects[[2]int{int(e.Against), int(e.From)}] = e.To
	}
	return m
}

func isAppeal(k lifecycle.EventKind) bool {
	return k >= lifecycle.EventRequestReasons && k <= lastAppealKind
}

func phaseOf(a lifecycle.Authorization) lifecycle.AppealPhase {
	if a.Appeal == nil {
		return lifecycle.AppealNone
	}
	return a.Appeal.Phase
}

// allowed reports whether the tables allow k in a.
func (m refModel) allowed(a lifecycle.Authorization, k lifecycle.EventKind) bool {
	if isAppeal(k) {
		_, ok := m.appeal[[2]int{int(phaseOf(a)), int(k)}]
		return ok
	}
	_, ok := m.status[[2]int{int(a.Status), int(k)}]
	return ok
}

// check applies ev to a and checks the outcome against the model. It
// returns the new state, its record and whether the event was accepted,
// and the edge it took ("from event to") if any.
func (m refModel) check(t *testing.T, l *lifecycle.Machine, a lifecycle.Authorization, ev lifecycle.Event) (lifecycle.Authorization, lifecycle.Record, bool, string) {
	t.Helper()
	next, rec, err := l.Apply(a, ev)
	var re *lifecycle.RuleError
	if !m.allowed(a, ev.Kind) {
		if err == nil || !errors.As(err, &re) || re.Rule != "transition" || !errors.Is(err, lifecycle.ErrInvalidTransition) {
			t.Fatalf("%s in %s (appeal %s): want a refusal by the transition table, got %v", ev.Kind, a.Status, phaseOf(a), err)
		}
		return a, rec, false, ""
	}
	if err != nil {
		if !errors.As(err, &re) {
			t.Fatalf("%s in %s: error %T is not a *RuleError: %v", ev.Kind, a.Status, err, err)
		}
		if re.Rule == "transition" {
			t.Fatalf("%s in %s: the table allows it, yet: %v", ev.Kind, a.Status, err)
		}
		if rec.Hash != "" || rec.Seq != 0 || rec.Event.Kind != lifecycle.EventUnknown {
			t.Fatalf("%s in %s: refused, yet a record", ev.Kind, a.Status)
		}
		return a, rec, false, ""
	}
	if rec.From != a.Status || rec.To != next.Status || rec.Seq != a.Seq || next.Seq != a.Seq+1 || next.Head != rec.Hash || rec.Prev != a.Head {
		t.Fatalf("%s in %s: record %+v does not match the states", ev.Kind, a.Status, rec)
	}
	if isAppeal(ev.Kind) {
		want := m.appeal[[2]int{int(phaseOf(a)), int(ev.Kind)}]
		if phaseOf(next) != want {
			t.Fatalf("%s in appeal %s: moved to %s, the table says %s", ev.Kind, phaseOf(a), phaseOf(next), want)
		}
		edge := fmt.Sprintf("appeal %s %s %s", phaseOf(a), ev.Kind, want)
		if next.Status != a.Status {
			against := a.Appeal.Decision.Kind
			to := m.effects[[2]int{int(against), int(a.Status)}]
			if ev.Kind != lifecycle.EventAllowAppeal || !containsStatus(to, next.Status) {
				t.Fatalf("%s against a %s moved %s to %s, which AppealEffects does not allow", ev.Kind, against, a.Status, next.Status)
			}
			edge += fmt.Sprintf("; effect %s %s %s", against, a.Status, next.Status)
		}
		return next, rec, true, edge
	}
	to := m.status[[2]int{int(a.Status), int(ev.Kind)}]
	if !containsStatus(to, next.Status) {
		t.Fatalf("%s in %s: moved to %s, the table says %v", ev.Kind, a.Status, next.Status, to)
	}
	return next, rec, true, fmt.Sprintf("%s %s %s", a.Status, ev.Kind, next.Status)
}

func containsStatus(list []lifecycle.Status, s lifecycle.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// candidateEvents returns well-formed events of kind k for a: the variants
// that can reach each edge of the tables.
func candidateEvents(a lifecycle.Authorization, k lifecycle.EventKind, base time.Time) []lifecycle.Event {
	at := base
	if !a.LastAt.IsZero() {
		at = a.LastAt.AddDate(0, 0, 1)
	}
	officer := func() lifecycle.Event {
		return lifecycle.Event{Kind: k, At: at, Actor: "officer-a", Role: lifecycle.ActorOfficer}
	}
	operator := func() lifecycle.Event {
		return lifecycle.Event{Kind: k, At: at, Actor: "operator", Role: lifecycle.ActorOperator}
	}
	reasons := []string{"reasons"}
	decision := func() lifecycle.Event {
		ev := officer()
		ev.Approver, ev.Reasons = "officer-b", reasons
		return ev
	}
	var held, suspended []string
	for _, t := range a.Types {
		held = append(held, t.Type)
		if t.Suspended {
			suspended = append(suspended, t.Type)
		}
	}
	perType := func(mk func() lifecycle.Event, names []string) []lifecycle.Event {
		out := []lifecycle.Event{mk()}
		for _, n := range names {
			ev := mk()
			ev.Types = []string{n}
			out = append(out, ev)
		}
		return out
	}
	assess := func(types []lifecycle.TypeGrade) *lifecycle.AssessmentRef {
		return &lifecycle.AssessmentRef{Fingerprint: testFP, AsOf: at, Recommended: types}
	}
	switch k {
	case lifecycle.EventLodge:
		// Three types, so that a partial suspension can leave one type
		// suspended, one in force and one to act on. AEOX depends on no
		// criterion of its own.
		ev := operator()
		ev.Types, ev.Grade = []string{"AEOC", "AEOS", "AEOX"}, "T3"
		return []lifecycle.Event{ev}
	case lifecycle.EventResubmit, lifecycle.EventRequestCustomsValidation, lifecycle.EventWithdrawAppeal:
		return []lifecycle.Event{operator()}
	case lifecycle.EventObservations, lifecycle.EventRequestReasons:
		ev := operator()
		ev.Reasons = reasons
		om := ev
		om.Against = lifecycle.DecisionOmission
		om.At = at.AddDate(0, 0, 9)
		return []lifecycle.Event{ev, om}
	case lifecycle.EventWithdraw:
		return perType(operator, held)
	case lifecycle.EventAccept, lifecycle.EventMonitor, lifecycle.EventStartReassessment, lifecycle.EventExtendCorrectiveAction, lifecycle.EventLift:
		if k == lifecycle.EventLift {
			return perType(officer, suspended)
		}
		return []lifecycle.Event{officer()}
	case lifecycle.EventReturn, lifecycle.EventReject, lifecycle.EventExtendDeadline, lifecycle.EventProposeRevocation,
		lifecycle.EventRequestCorrectiveAction, lifecycle.EventGiveReasons:
		ev := officer()
		ev.Reasons = reasons
		return []lifecycle.Event{ev}
	case lifecycle.EventCompleteCorrectiveAction:
		ev := officer()
		ev.Evidence = []string{"evidence"}
		return []lifecycle.Event{ev}
	case lifecycle.EventValidate:
		ev := officer()
		ev.Evidence = []string{"report"}
		ev.Validation = &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true}
		tp := officer()
		tp.Evidence = []string{"report"}
		tp.Validation = &lifecycle.ValidationReport{Method: lifecycle.ValidationThirdParty, Validator: "validators", Satisfied: true}
		return []lifecycle.Event{ev, tp}
	case lifecycle.EventGrant:
		ev := decision()
		ev.Types, ev.Grade = a.Applied, a.Grade
		var recs []lifecycle.TypeGrade
		for _, t := range a.Applied {
			recs = append(recs, lifecycle.TypeGrade{Type: t, Grade: a.Grade})
		}
		ev.Assessment = assess(recs)
		return []lifecycle.Event{ev}
	case lifecycle.EventConfirmReassessment:
		ev := officer()
		var recs []lifecycle.TypeGrade
		for _, t := range a.Types {
			recs = append(recs, lifecycle.TypeGrade{Type: t.Type, Grade: t.Grade})
		}
		ev.Assessment = assess(recs)
		return []lifecycle.Event{ev}
	case lifecycle.EventRefuse, lifecycle.EventAnnul:
		return []lifecycle.Event{decision()}
	case lifecycle.EventRevoke:
		return perType(decision, held)
	case lifecycle.EventSuspend:
		var out []lifecycle.Event
		for _, c := range []string{"", "competence", "security"} {
			ev := officer()
			ev.Reasons, ev.Criterion = reasons, c
			out = append(out, ev)
		}
		return out
	case lifecycle.EventAssignCoordinator, lifecycle.EventRotateCoordinator:
		ev := officer()
		ev.Coordinator = "coord-1"
		if a.Coordinator != nil && a.Coordinator.Officer == "coord-1" {
			ev.Coordinator = "coord-2"
		}
		return []lifecycle.Event{ev}
	case lifecycle.EventLodgeAppeal:
		var out []lifecycle.Event
		for _, s := range []lifecycle.AppealStage{lifecycle.StageCustomsReview, lifecycle.StageIndependentReview, lifecycle.StageJudicial} {
			ev := operator()
			ev.Reasons, ev.Stage = reasons, s
			om := ev
			om.Against, om.At = lifecycle.DecisionOmission, at.AddDate(0, 0, 9)
			out = append(out, ev, om)
		}
		return out
	case lifecycle.EventLodgeRenewal:
		ev := operator()
		if a.ValidUntil.After(at) {
			ev.At = a.ValidUntil // the last day: always inside the window
		}
		return []lifecycle.Event{ev}
	case lifecycle.EventRenew:
		ev := decision()
		var recs []lifecycle.TypeGrade
		for _, t := range a.Types {
			recs = append(recs, lifecycle.TypeGrade{Type: t.Type, Grade: t.Grade})
		}
		ev.Assessment = assess(recs)
		return []lifecycle.Event{ev}
	case lifecycle.EventRefuseRenewal:
		return []lifecycle.Event{decision()}
	case lifecycle.EventLapse:
		ev := officer()
		late := officer()
		late.At = at.AddDate(0, 0, 60) // past any term of modelConfig
		return []lifecycle.Event{ev, late}
	case lifecycle.EventDenyBenefits:
		ev := officer()
		ev.Reasons, ev.Benefits = reasons, []string{"fast_lane"}
		return []lifecycle.Event{ev}
	case lifecycle.EventRequestHearing, lifecycle.EventHearingSubmission:
		ev := operator()
		ev.Reasons = reasons
		return []lifecycle.Event{ev}
	case lifecycle.EventScheduleHearing:
		ev := officer()
		ev.HearingOn = at
		return []lifecycle.Event{ev}
	case lifecycle.EventHoldHearing:
		ev := officer()
		ev.Evidence = []string{"minutes"}
		return []lifecycle.Event{ev}
	case lifecycle.EventGiveConsent:
		ev := operator()
		ev.Partners = []string{"PL"}
		return []lifecycle.Event{ev}
	case lifecycle.EventWithdrawConsent:
		named := operator()
		named.Partners = []string{"PL"}
		return []lifecycle.Event{operator(), named}
	case lifecycle.EventExportRecords:
		ev := officer()
		ev.Partners, ev.Records = []string{"PL"}, []string{"XX/OP-1#1"}
		return []lifecycle.Event{ev}
	case lifecycle.EventNotifyChange:
		ev := operator()
		ev.Changes = []lifecycle.Change{{Kind: "new_site", Sites: []string{"S-9"}}}
		return []lifecycle.Event{ev}
	case lifecycle.EventReviewChange:
		ev := officer()
		ev.Assessment = assess(nil)
		return []lifecycle.Event{ev}
	case lifecycle.EventRaiseIssue:
		ev := operator()
		ev.Issue, ev.Reasons = "Q-1", reasons
		return []lifecycle.Event{ev}
	case lifecycle.EventAcknowledgeIssue, lifecycle.EventAnswerIssue, lifecycle.EventCloseIssue:
		ev := officer()
		ev.Issue, ev.Reasons = "Q-1", reasons
		return []lifecycle.Event{ev}
	case lifecycle.EventControlStep:
		ev := officer()
		ev.Evidence = []string{"file note"}
		ev.Step = lifecycle.StepTraderFile
		if c := a.Control; c != nil && c.Next != lifecycle.StepNone && len(c.Steps) > 0 {
			ev.Step = c.Next
		}
		return []lifecycle.Event{ev}
	case lifecycle.EventAllowAppeal, lifecycle.EventDismissAppeal:
		role := lifecycle.ActorOfficer
		if a.Appeal != nil {
			role = a.Appeal.Stage.Reviewer()
		}
		return []lifecycle.Event{{Kind: k, At: at, Actor: "reviewer", Role: role, Reasons: reasons}}
	}
	return []lifecycle.Event{officer()}
}

// signatureOf identifies a state for the exploration: what its guards
// depend on, not its dates.
func signatureOf(a lifecycle.Authorization) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%d|", a.Status, len(a.Applied))
	for _, t := range a.Types {
		fmt.Fprintf(&b, "%s:%v,", t.Type, t.Suspended)
	}
	fmt.Fprintf(&b, "|v%v|r%v|c%v|h%v|k%v|n%v|b%d", a.Validation.Complete, !a.ReassessmentOpen.IsZero(),
		a.CorrectiveAction != nil, !a.HeardAt.IsZero(), a.Coordinator != nil, a.Renewal != nil, len(a.DeniedBenefits))
	if h := a.Hearing; h != nil {
		fmt.Fprintf(&b, "|H%v%v", !h.ScheduledAt.IsZero(), !h.HeldAt.IsZero())
	}

	for _, is := range a.Issues {
		fmt.Fprintf(&b, "|i%s%v", is.ID, !is.AnsweredAt.IsZero())
	}
	if c := a.Control; c != nil && len(c.Steps) > 0 {
		b.WriteString("|s")
	}
	decision := func(d lifecycle.AppealableDecision) {
		fmt.Fprintf(&b, "%s:", d.Kind)
		for _, t := range d.Types {
			fmt.Fprintf(&b, "%s%v,", t.Type, t.Suspended)
		}
	}
	if a.Decision != nil {
		b.WriteString("|d")
		decision(*a.Decision)
	}
	if a.Appeal != nil {
		fmt.Fprintf(&b, "|a%s%s", a.Appeal.Phase, a.Appeal.Stage)
		decision(a.Appeal.Decision)
	}
	return b.String()
}

// besideEvents are the events of an operator's issues and of its
// treatment cycle, which move no status: they are walked in every status
// apart from the exploration, which they would only widen.
var besideEvents = map[lifecycle.EventKind]bool{
	lifecycle.EventRaiseIssue: true, lifecycle.EventAcknowledgeIssue: true,
	lifecycle.EventAnswerIssue: true, lifecycle.EventCloseIssue: true,
	lifecycle.EventControlStep: true,
}

// structuralEvents are the events that the exploration follows deep; the
// others (coordinator, corrective action, reassessment, reasons,
// monitoring) are applied to every state explored but followed only near
// the start, which keeps the exploration small enough to reach every edge.
var structuralEvents = map[lifecycle.EventKind]bool{
	lifecycle.EventLodge: true, lifecycle.EventReturn: true, lifecycle.EventResubmit: true, lifecycle.EventAccept: true,
	lifecycle.EventReject: true, lifecycle.EventValidate: true, lifecycle.EventGrant: true, lifecycle.EventRefuse: true,
	lifecycle.EventWithdraw: true, lifecycle.EventSuspend: true, lifecycle.EventLift: true, lifecycle.EventProposeRevocation: true,
	lifecycle.EventObservations: true, lifecycle.EventRevoke: true, lifecycle.EventAnnul: true,
	lifecycle.EventLodgeAppeal: true, lifecycle.EventAllowAppeal: true, lifecycle.EventDismissAppeal: true,
	lifecycle.EventLodgeRenewal: true, lifecycle.EventRequestHearing: true, lifecycle.EventScheduleHearing: true,
	lifecycle.EventHoldHearing: true,
}

// exchangeEvents are the consent and change events: each state they lead
// to is followed one step only.
var exchangeEvents = map[lifecycle.EventKind]bool{
	lifecycle.EventGiveConsent: true, lifecycle.EventWithdrawConsent: true, lifecycle.EventExportRecords: true,
	lifecycle.EventNotifyChange: true, lifecycle.EventReviewChange: true,
}

// TestLifecycleModel explores the states reachable from a new operator
// breadth first, applies every event kind in every variant to each, and
// checks each outcome against the model. It then checks that every edge
// of the tables was taken at least once: the tables have no dead rows.
func TestLifecycleModel(t *testing.T) {
	l := newMachine(t, modelConfig())
	m := newRefModel()
	base := ymd(2025, 1, 6)
	// Depth 8 is the shortest that takes every edge: lodge, accept,
	// validate, grant, suspend, revoke, appeal and the ruling that
	// restores a suspended type.
	maxDepth, maxStates := 8, 8000
	if testing.Short() {
		maxDepth, maxStates = 7, 2000
	}
	// noise counts the events since the first that is not structural; a
	// state is followed while it is at most 2, so that the side events
	// are explored after every structural state without multiplying the
	// structural ones.
	type node struct {
		a     lifecycle.Authorization
		recs  []lifecycle.Record
		noise int
	}
	seen := map[string]bool{signatureOf(lifecycle.Authorization{}): true}
	queue := []node{{}}
	taken := map[string]bool{}
	explored := 0
	for len(queue) > 0 && explored < maxStates {
		n := queue[0]
		queue = queue[1:]
		explored++
		before, err := json.Marshal(n.a)
		require.NoError(t, err)
		for k := lifecycle.EventLodge; k <= lastKind; k++ {
			if besideEvents[k] {
				continue // walked apart below: they move no status
			}
			for _, ev := range candidateEvents(n.a, k, base) {
				next, rec, ok, edge := m.check(t, l, n.a, ev)
				if !ok {
					continue
				}
				taken[edge] = true
				if exchangeEvents[ev.Kind] {
					// Followed one step, by the exchange events alone:
					// far enough to reach the export and the review they
					// enable, without multiplying the states explored.
					for k2 := range exchangeEvents {
						for _, ev2 := range candidateEvents(next, k2, base) {
							if _, _, ok, edge := m.check(t, l, next, ev2); ok {
								taken[edge] = true
							}
						}
					}
					continue
				}
				noise := n.noise
				if noise > 0 || !structuralEvents[ev.Kind] {
					noise++
				}
				sig := signatureOf(next)
				if seen[sig] || len(n.recs) >= maxDepth || noise > 2 {
					continue
				}
				seen[sig] = true
				recs := append(append([]lifecycle.Record(nil), n.recs...), rec)
				replayed, err := l.Replay(recs)
				require.NoError(t, err)
				if diff := cmp.Diff(next, replayed); diff != "" {
					t.Fatalf("replay of %d records differs from the live state (-live +replayed):\n%s", len(recs), diff)
				}
				queue = append(queue, node{a: next, recs: recs, noise: noise})
			}
		}
		// Invalid kinds are refused in every state.
		for _, k := range []lifecycle.EventKind{lifecycle.EventUnknown, lastKind + 1} {
			_, _, err := l.Apply(n.a, lifecycle.Event{Kind: k, At: base, Actor: "x", Role: lifecycle.ActorOfficer})
			require.ErrorIs(t, err, lifecycle.ErrInvalidEvent)
		}
		after, err := json.Marshal(n.a)
		require.NoError(t, err)
		require.JSONEq(t, string(before), string(after), "Apply modified its input")
	}
	// An operator's issues run beside the status in every status but none:
	// raise, acknowledge, answer and close one in each.
	for s := lifecycle.StatusNone; s <= lifecycle.StatusLapsed; s++ {
		a := lifecycle.Authorization{Status: s, LastAt: base}
		for _, k := range []lifecycle.EventKind{lifecycle.EventRaiseIssue, lifecycle.EventAcknowledgeIssue, lifecycle.EventAnswerIssue, lifecycle.EventCloseIssue} {
			evs := candidateEvents(a, k, base)
			require.Len(t, evs, 1)
			next, _, ok, edge := m.check(t, l, a, evs[0])
			if !ok {
				break
			}
			taken[edge] = true
			a = next
		}
		require.Empty(t, a.Issues, "an issue raised, acknowledged, answered and closed in %s leaves none open", s)
		// The treatment cycle's first step, where the table allows it.
		b := lifecycle.Authorization{Status: s, LastAt: base}
		if _, _, ok, edge := m.check(t, l, b, candidateEvents(b, lifecycle.EventControlStep, base)[0]); ok {
			taken[edge] = true
		}
	}
	t.Logf("explored %d states, %d distinct, %d edges taken", explored, len(seen), len(taken))

	var missing []string
	for _, tr := range lifecycle.Transitions() {
		to := tr.To
		if to == nil {
			to = []lifecycle.Status{tr.From}
		}
		for _, s := range to {
			if e := fmt.Sprintf("%s %s %s", tr.From, tr.Event, s); !taken[e] {
				missing = append(missing, e)
			}
		}
	}
	for _, tr := range lifecycle.AppealTransitions() {
		if e := fmt.Sprintf("appeal %s %s %s", tr.From, tr.Event, tr.To); !taken[e] {
			missing = append(missing, e)
		}
	}
	for _, ef := range lifecycle.AppealEffects() {
		for _, s := range ef.To {
			if s == ef.From {
				continue
			}
			found := false
			suffix := fmt.Sprintf("; effect %s %s %s", ef.Against, ef.From, s)
			for e := range taken {
				if strings.HasSuffix(e, suffix) {
					found = true
				}
			}
			if !found {
				missing = append(missing, "effect "+strings.TrimPrefix(suffix, "; effect "))
			}
		}
	}
	if len(missing) > 0 && !testing.Short() {
		t.Errorf("edges of the tables never taken (%d):\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// TestLifecycleEveryStatusEvent applies every event kind to a bare state
// of every status, and every appeal event to a bare state of every appeal
// phase: an event the tables do not allow is refused with
// ErrInvalidTransition and the state is unchanged; one they allow is
// accepted as they say or refused by a guard with a *RuleError.
func TestLifecycleEveryStatusEvent(t *testing.T) {
	l := newMachine(t, modelConfig())
	m := newRefModel()
	base := ymd(2025, 1, 6)
	refused, allowed := 0, 0
	for s := lifecycle.StatusNone; s <= lifecycle.StatusLapsed; s++ {
		for k := lifecycle.EventLodge; k <= lastKind; k++ {
			if isAppeal(k) {
				continue
			}
			a := lifecycle.Authorization{Status: s, LastAt: base}
			for _, ev := range candidateEvents(a, k, base) {
				if m.allowed(a, k) {
					allowed++
				} else {
					refused++
				}
				m.check(t, l, a, ev)
			}
		}
	}
	for p := lifecycle.AppealNone; p <= lifecycle.AppealWithdrawn; p++ {
		for k := lifecycle.EventRequestReasons; k <= lastKind; k++ {
			a := lifecycle.Authorization{Status: lifecycle.StatusRefused, LastAt: base, Appeal: &lifecycle.AppealState{Phase: p, Stage: lifecycle.StageCustomsReview}}
			for _, ev := range candidateEvents(a, k, base) {
				m.check(t, l, a, ev)
			}
		}
	}
	t.Logf("%d pairs refused by the table, %d allowed by it", refused, allowed)
}
