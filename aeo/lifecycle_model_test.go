package aeo_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
)

// The model-based tests check Apply against the transition tables it
// exports (Transitions, AppealTransitions, AppealEffects), which are the
// model: an event the tables do not allow is refused with
// ErrInvalidTransition under the rule "transition" and changes nothing; an
// event they allow either moves as they say or is refused by a guard,
// with a *RuleError and no change.

const lcLastKind = aeo.EventWithdrawAppeal

// lcModelConfig sets every rule, short decision deadlines (so that
// omissions arise within a few events), and no hearing period (so that
// revocation is possible from every status the table allows it in).
func lcModelConfig() aeo.LifecycleConfig {
	d := func(n int) aeo.Period { return aeo.Period{Days: n} }
	return aeo.LifecycleConfig{
		AcceptanceDeadline: d(3),
		CompletionWindow:   d(30),
		DecisionDeadline:   d(3),
		DecisionExtension:  d(2),
		EffectAfter:        d(1),
		Validation:         aeo.ValidationRules{ThirdParty: true},
		Suspension:         aeo.SuspensionRules{Period: d(30), RemedyDeadline: d(20), ToRevocation: d(60)},
		CorrectiveAction:   aeo.CorrectiveActionRules{Deadline: d(90), Extension: d(90)},
		ReapplyBar: aeo.ReapplyBar{
			AfterRefusal: d(1), AfterRevocation: d(1), AfterWithdrawal: d(1), AfterAnnulment: d(1),
			ByGrade: map[string]aeo.ReapplyBar{"T3": {AfterRevocation: d(2)}},
		},
		Appeal: aeo.AppealRules{Stages: []aeo.AppealStageRule{
			{Stage: aeo.StageRequestReasons, Window: d(400), DecisionDeadline: d(30)},
			{Stage: aeo.StageCustomsReview, Window: d(400), DecisionDeadline: d(60)},
			{Stage: aeo.StageIndependentReview, Window: d(400)},
			{Stage: aeo.StageJudicial, Window: d(400)},
		}},
		Revalidation: aeo.RevalidationRules{Cycle: aeo.Period{Years: 4}, Notice: aeo.Period{Months: 6}},
		Coordinator:  aeo.CoordinatorRules{Rotation: aeo.Period{Years: 5}, Mentoring: aeo.Period{Months: 3}},
	}
}

// lcModel is the oracle built from the exported tables.
type lcModel struct {
	status  map[[2]int][]aeo.Status // (from, event) → to; nil To means unchanged
	appeal  map[[2]int]aeo.AppealPhase
	effects map[[2]int][]aeo.Status // (against, from) → to
}

func lcNewModel() lcModel {
	m := lcModel{status: map[[2]int][]aeo.Status{}, appeal: map[[2]int]aeo.AppealPhase{}, effects: map[[2]int][]aeo.Status{}}
	for _, tr := range aeo.Transitions() {
		to := tr.To
		if to == nil {
			to = []aeo.Status{tr.From}
		}
		m.status[[2]int{int(tr.From), int(tr.Event)}] = to
	}
	for _, tr := range aeo.AppealTransitions() {
		m.appeal[[2]int{int(tr.From), int(tr.Event)}] = tr.To
	}
	for _, e := range aeo.AppealEffects() {
		m.effects[[2]int{int(e.Against), int(e.From)}] = e.To
	}
	return m
}

func lcIsAppeal(k aeo.EventKind) bool { return k >= aeo.EventRequestReasons && k <= lcLastKind }

func lcPhase(a aeo.Authorization) aeo.AppealPhase {
	if a.Appeal == nil {
		return aeo.AppealNone
	}
	return a.Appeal.Phase
}

// allowed reports whether the tables allow k in a.
func (m lcModel) allowed(a aeo.Authorization, k aeo.EventKind) bool {
	if lcIsAppeal(k) {
		_, ok := m.appeal[[2]int{int(lcPhase(a)), int(k)}]
		return ok
	}
	_, ok := m.status[[2]int{int(a.Status), int(k)}]
	return ok
}

// check applies ev to a and checks the outcome against the model. It
// returns the new state, its record and whether the event was accepted,
// and the edge it took ("from event to") if any.
func (m lcModel) check(t *testing.T, l *aeo.Lifecycle, a aeo.Authorization, ev aeo.Event) (aeo.Authorization, aeo.Record, bool, string) {
	t.Helper()
	next, rec, err := l.Apply(a, ev)
	var re *aeo.RuleError
	if !m.allowed(a, ev.Kind) {
		if err == nil || !errors.As(err, &re) || re.Rule != "transition" || !errors.Is(err, aeo.ErrInvalidTransition) {
			t.Fatalf("%s in %s (appeal %s): want a refusal by the transition table, got %v", ev.Kind, a.Status, lcPhase(a), err)
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
		if rec.Hash != "" || rec.Seq != 0 || rec.Event.Kind != aeo.EventUnknown {
			t.Fatalf("%s in %s: refused, yet a record", ev.Kind, a.Status)
		}
		return a, rec, false, ""
	}
	if rec.From != a.Status || rec.To != next.Status || rec.Seq != a.Seq || next.Seq != a.Seq+1 || next.Head != rec.Hash || rec.Prev != a.Head {
		t.Fatalf("%s in %s: record %+v does not match the states", ev.Kind, a.Status, rec)
	}
	if lcIsAppeal(ev.Kind) {
		want := m.appeal[[2]int{int(lcPhase(a)), int(ev.Kind)}]
		if lcPhase(next) != want {
			t.Fatalf("%s in appeal %s: moved to %s, the table says %s", ev.Kind, lcPhase(a), lcPhase(next), want)
		}
		edge := fmt.Sprintf("appeal %s %s %s", lcPhase(a), ev.Kind, want)
		if next.Status != a.Status {
			against := a.Appeal.Decision.Kind
			to := m.effects[[2]int{int(against), int(a.Status)}]
			if ev.Kind != aeo.EventAllowAppeal || !containsStatus(to, next.Status) {
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

func containsStatus(list []aeo.Status, s aeo.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lcCandidates returns well-formed events of kind k for a: the variants
// that can reach each edge of the tables.
func lcCandidates(a aeo.Authorization, k aeo.EventKind, base time.Time) []aeo.Event {
	at := base
	if !a.LastAt.IsZero() {
		at = a.LastAt.AddDate(0, 0, 1)
	}
	officer := func() aeo.Event { return aeo.Event{Kind: k, At: at, Actor: "officer-a", Role: aeo.ActorOfficer} }
	operator := func() aeo.Event { return aeo.Event{Kind: k, At: at, Actor: "operator", Role: aeo.ActorOperator} }
	reasons := []string{"reasons"}
	decision := func() aeo.Event {
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
	perType := func(mk func() aeo.Event, names []string) []aeo.Event {
		out := []aeo.Event{mk()}
		for _, n := range names {
			ev := mk()
			ev.Types = []string{n}
			out = append(out, ev)
		}
		return out
	}
	assess := func(types []aeo.Recommendation) *aeo.AssessmentRef {
		return &aeo.AssessmentRef{Fingerprint: lcFP, AsOf: at, Recommended: types}
	}
	switch k {
	case aeo.EventLodge:
		// Three types, so that a partial suspension can leave one type
		// suspended, one in force and one to act on. AEOX depends on no
		// criterion of its own.
		ev := operator()
		ev.Types, ev.Grade = []string{"AEOC", "AEOS", "AEOX"}, "T3"
		return []aeo.Event{ev}
	case aeo.EventResubmit, aeo.EventRequestCustomsValidation, aeo.EventWithdrawAppeal:
		return []aeo.Event{operator()}
	case aeo.EventObservations, aeo.EventRequestReasons:
		ev := operator()
		ev.Reasons = reasons
		om := ev
		om.Against = aeo.DecisionOmission
		om.At = at.AddDate(0, 0, 9)
		return []aeo.Event{ev, om}
	case aeo.EventWithdraw:
		return perType(operator, held)
	case aeo.EventAccept, aeo.EventMonitor, aeo.EventStartReassessment, aeo.EventExtendCorrectiveAction, aeo.EventLift:
		if k == aeo.EventLift {
			return perType(officer, suspended)
		}
		return []aeo.Event{officer()}
	case aeo.EventReturn, aeo.EventReject, aeo.EventExtendDeadline, aeo.EventProposeRevocation,
		aeo.EventRequestCorrectiveAction, aeo.EventGiveReasons:
		ev := officer()
		ev.Reasons = reasons
		return []aeo.Event{ev}
	case aeo.EventCompleteCorrectiveAction:
		ev := officer()
		ev.Evidence = []string{"evidence"}
		return []aeo.Event{ev}
	case aeo.EventValidate:
		ev := officer()
		ev.Evidence = []string{"report"}
		ev.Validation = &aeo.ValidationReport{Method: aeo.ValidationOnSite, Satisfied: true}
		tp := officer()
		tp.Evidence = []string{"report"}
		tp.Validation = &aeo.ValidationReport{Method: aeo.ValidationThirdParty, Validator: "validators", Satisfied: true}
		return []aeo.Event{ev, tp}
	case aeo.EventGrant:
		ev := decision()
		ev.Types, ev.Grade = a.Applied, a.Grade
		var recs []aeo.Recommendation
		for _, t := range a.Applied {
			recs = append(recs, aeo.Recommendation{Type: t, Grade: a.Grade})
		}
		ev.Assessment = assess(recs)
		return []aeo.Event{ev}
	case aeo.EventConfirmReassessment:
		ev := officer()
		var recs []aeo.Recommendation
		for _, t := range a.Types {
			recs = append(recs, aeo.Recommendation{Type: t.Type, Grade: t.Grade})
		}
		ev.Assessment = assess(recs)
		return []aeo.Event{ev}
	case aeo.EventRefuse, aeo.EventAnnul:
		return []aeo.Event{decision()}
	case aeo.EventRevoke:
		return perType(decision, held)
	case aeo.EventSuspend:
		var out []aeo.Event
		for _, c := range []string{"", "competence", "security"} {
			ev := officer()
			ev.Reasons, ev.Criterion = reasons, c
			out = append(out, ev)
		}
		return out
	case aeo.EventAssignCoordinator, aeo.EventRotateCoordinator:
		ev := officer()
		ev.Coordinator = "coord-1"
		if a.Coordinator != nil && a.Coordinator.Officer == "coord-1" {
			ev.Coordinator = "coord-2"
		}
		return []aeo.Event{ev}
	case aeo.EventLodgeAppeal:
		var out []aeo.Event
		for _, s := range []aeo.AppealStage{aeo.StageCustomsReview, aeo.StageIndependentReview, aeo.StageJudicial} {
			ev := operator()
			ev.Reasons, ev.Stage = reasons, s
			om := ev
			om.Against, om.At = aeo.DecisionOmission, at.AddDate(0, 0, 9)
			out = append(out, ev, om)
		}
		return out
	case aeo.EventAllowAppeal, aeo.EventDismissAppeal:
		role := aeo.ActorOfficer
		if a.Appeal != nil {
			role = a.Appeal.Stage.Reviewer()
		}
		return []aeo.Event{{Kind: k, At: at, Actor: "reviewer", Role: role, Reasons: reasons}}
	}
	return []aeo.Event{officer()}
}

// lcSignature identifies a state for the exploration: what its guards
// depend on, not its dates.
func lcSignature(a aeo.Authorization) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%d|", a.Status, len(a.Applied))
	for _, t := range a.Types {
		fmt.Fprintf(&b, "%s:%v,", t.Type, t.Suspended)
	}
	fmt.Fprintf(&b, "|v%v|r%v|c%v|h%v|k%v", a.Validation.Complete, !a.ReassessmentOpen.IsZero(),
		a.CorrectiveAction != nil, !a.HeardAt.IsZero(), a.Coordinator != nil)
	decision := func(d aeo.AppealableDecision) {
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

// lcStructural are the events that the exploration follows deep; the
// others (coordinator, corrective action, reassessment, reasons,
// monitoring) are applied to every state explored but followed only near
// the start, which keeps the exploration small enough to reach every edge.
var lcStructural = map[aeo.EventKind]bool{
	aeo.EventLodge: true, aeo.EventReturn: true, aeo.EventResubmit: true, aeo.EventAccept: true,
	aeo.EventReject: true, aeo.EventValidate: true, aeo.EventGrant: true, aeo.EventRefuse: true,
	aeo.EventWithdraw: true, aeo.EventSuspend: true, aeo.EventLift: true, aeo.EventProposeRevocation: true,
	aeo.EventObservations: true, aeo.EventRevoke: true, aeo.EventAnnul: true,
	aeo.EventLodgeAppeal: true, aeo.EventAllowAppeal: true, aeo.EventDismissAppeal: true,
}

// TestLifecycleModel explores the states reachable from a new operator
// breadth first, applies every event kind in every variant to each, and
// checks each outcome against the model. It then checks that every edge
// of the tables was taken at least once: the tables have no dead rows.
func TestLifecycleModel(t *testing.T) {
	l := lcNew(t, lcModelConfig())
	m := lcNewModel()
	base := lcDay(2025, 1, 6)
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
		a     aeo.Authorization
		recs  []aeo.Record
		noise int
	}
	seen := map[string]bool{lcSignature(aeo.Authorization{}): true}
	queue := []node{{}}
	taken := map[string]bool{}
	explored := 0
	for len(queue) > 0 && explored < maxStates {
		n := queue[0]
		queue = queue[1:]
		explored++
		before, err := json.Marshal(n.a)
		require.NoError(t, err)
		for k := aeo.EventLodge; k <= lcLastKind; k++ {
			for _, ev := range lcCandidates(n.a, k, base) {
				next, rec, ok, edge := m.check(t, l, n.a, ev)
				if !ok {
					continue
				}
				taken[edge] = true
				noise := n.noise
				if noise > 0 || !lcStructural[ev.Kind] {
					noise++
				}
				sig := lcSignature(next)
				if seen[sig] || len(n.recs) >= maxDepth || noise > 2 {
					continue
				}
				seen[sig] = true
				recs := append(append([]aeo.Record(nil), n.recs...), rec)
				replayed, err := l.Replay(recs)
				require.NoError(t, err)
				if diff := cmp.Diff(next, replayed); diff != "" {
					t.Fatalf("replay of %d records differs from the live state (-live +replayed):\n%s", len(recs), diff)
				}
				queue = append(queue, node{a: next, recs: recs, noise: noise})
			}
		}
		// Invalid kinds are refused in every state.
		for _, k := range []aeo.EventKind{aeo.EventUnknown, lcLastKind + 1} {
			_, _, err := l.Apply(n.a, aeo.Event{Kind: k, At: base, Actor: "x", Role: aeo.ActorOfficer})
			require.ErrorIs(t, err, aeo.ErrInvalidEvent)
		}
		after, err := json.Marshal(n.a)
		require.NoError(t, err)
		require.JSONEq(t, string(before), string(after), "Apply modified its input")
	}
	t.Logf("explored %d states, %d distinct, %d edges taken", explored, len(seen), len(taken))

	var missing []string
	for _, tr := range aeo.Transitions() {
		to := tr.To
		if to == nil {
			to = []aeo.Status{tr.From}
		}
		for _, s := range to {
			if e := fmt.Sprintf("%s %s %s", tr.From, tr.Event, s); !taken[e] {
				missing = append(missing, e)
			}
		}
	}
	for _, tr := range aeo.AppealTransitions() {
		if e := fmt.Sprintf("appeal %s %s %s", tr.From, tr.Event, tr.To); !taken[e] {
			missing = append(missing, e)
		}
	}
	for _, ef := range aeo.AppealEffects() {
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
	l := lcNew(t, lcModelConfig())
	m := lcNewModel()
	base := lcDay(2025, 1, 6)
	refused, allowed := 0, 0
	for s := aeo.StatusNone; s <= aeo.StatusAnnulled; s++ {
		for k := aeo.EventLodge; k <= lcLastKind; k++ {
			if lcIsAppeal(k) {
				continue
			}
			a := aeo.Authorization{Status: s, LastAt: base}
			for _, ev := range lcCandidates(a, k, base) {
				if m.allowed(a, k) {
					allowed++
				} else {
					refused++
				}
				m.check(t, l, a, ev)
			}
		}
	}
	for p := aeo.AppealNone; p <= aeo.AppealWithdrawn; p++ {
		for k := aeo.EventRequestReasons; k <= lcLastKind; k++ {
			a := aeo.Authorization{Status: aeo.StatusRefused, LastAt: base, Appeal: &aeo.AppealState{Phase: p, Stage: aeo.StageCustomsReview}}
			for _, ev := range lcCandidates(a, k, base) {
				m.check(t, l, a, ev)
			}
		}
	}
	t.Logf("%d pairs refused by the table, %d allowed by it", refused, allowed)
}
