package lifecycle

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
)

// Electronic updates from AEOs: a holder notifies a change (a new site,
// new directors, a changed business model) as an event of its own
// (notify_change) that records what changed, and the programme's changes
// section says which requirements and criteria each kind of change puts
// up for reassessment, and within what time. The reassessment waits on
// the officer's work queue ([Machine.Due]) until an officer closes it
// (review_change) on a current assessment; what that assessment finds is
// then acted on by the usual events (a suspension, a corrective action).
// A notification changes no status: Customs decides.

// ChangeRules is the changes section of the lifecycle: the kinds of change
// a holder notifies and what each puts up for reassessment. The zero
// value lists no kinds: any kind may be notified, and each puts the whole
// programme up for reassessment, with no deadline.
type ChangeRules struct {
	// ReassessWithin: time for Customs to reassess after a notification,
	// unless the kind sets its own.
	ReassessWithin calendar.Period `json:"reassess_within,omitzero"`
	// Kinds are the kinds of change holders notify, by a token of the
	// programme's choosing (new_site, new_directors, business_model).
	// When any is listed, a notification of another kind is refused.
	Kinds map[string]ChangeKind `json:"kinds,omitempty"`
}

// A ChangeKind is one kind of change and what its reassessment covers.
type ChangeKind struct {
	Title string `json:"title,omitempty"`
	// Requirements and Criteria are the requirement and criterion IDs
	// the change puts up for reassessment; both empty: the whole
	// programme.
	Requirements []string `json:"requirements,omitempty"`
	Criteria     []string `json:"criteria,omitempty"`
	// ReassessWithin replaces the section's deadline for this kind.
	ReassessWithin calendar.Period `json:"reassess_within,omitzero"`
	Source         string          `json:"source,omitempty"`
}

// A Change is one change a holder notifies. It is plain data.
type Change struct {
	// Kind is the kind of change, as the programme lists it.
	Kind string `json:"kind"`
	// Detail says what changed, in the holder's words.
	Detail string `json:"detail,omitempty"`
	// Sites are premises the change adds (a new site); they join the
	// sites declared, so that a validation can visit them.
	Sites []string `json:"sites,omitempty"`
}

// A PendingChange is a notified change whose reassessment is open. It is
// plain data, part of an [Authorization].
type PendingChange struct {
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"`
	// Notified is when it was notified; Seq the record of the
	// notification.
	Notified time.Time `json:"notified"`
	Seq      int       `json:"seq"`
	// Requirements and Criteria are what it puts up for reassessment;
	// both empty: the whole programme.
	Requirements []string `json:"requirements,omitempty"`
	Criteria     []string `json:"criteria,omitempty"`
	// Due is the last day of the reassessment, zero without a deadline;
	// Rule the programme-file key that set it.
	Due  time.Time `json:"due,omitzero"`
	Rule string    `json:"rule"`
}

func clonePending(list []PendingChange) []PendingChange {
	out := slices.Clone(list)
	for i := range out {
		out[i].Requirements = slices.Clone(out[i].Requirements)
		out[i].Criteria = slices.Clone(out[i].Criteria)
	}
	return out
}

func cloneChanges(list []Change) []Change {
	out := slices.Clone(list)
	for i := range out {
		out[i].Sites = slices.Clone(out[i].Sites)
	}
	return out
}

func (c ChangeRules) clone() ChangeRules {
	out := c
	if c.Kinds != nil {
		out.Kinds = make(map[string]ChangeKind, len(c.Kinds))
		for k, v := range c.Kinds {
			v.Requirements = slices.Clone(v.Requirements)
			v.Criteria = slices.Clone(v.Criteria)
			out.Kinds[k] = v
		}
	}
	return out
}

// fields lists the section's time rules for Config.fields: what each kind
// puts up for reassessment is not a time rule, and is not listed.
func (c ChangeRules) fields(period func(string, calendar.Period), _ func(string, string)) {
	period("changes.reassess_within", c.ReassessWithin)
	for _, k := range slices.Sorted(maps.Keys(c.Kinds)) {
		period("changes.kinds."+k+".reassess_within", c.Kinds[k].ReassessWithin)
	}
}

func (c ChangeRules) validate(l *diag.List) {
	for _, k := range slices.Sorted(maps.Keys(c.Kinds)) {
		prefix := "changes.kinds." + k
		if !changeToken(k) {
			l.Add(prefix, "a kind of change is a token of letters, digits and '_', such as new_site")
		}
		kind := c.Kinds[k]
		for _, list := range []struct {
			key string
			ids []string
		}{{"requirements", kind.Requirements}, {"criteria", kind.Criteria}} {
			seen := map[string]bool{}
			for i, id := range list.ids {
				switch {
				case strings.TrimSpace(id) == "":
					l.Add(diag.Index(prefix+"."+list.key, i), "an empty ID")
				case seen[id]:
					l.Add(diag.Index(prefix+"."+list.key, i), "%s listed twice", id)
				}
				seen[id] = true
			}
		}
	}
}

func changeToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// ChangeKinds returns the kinds of change the programme lists, sorted.
func (l *Machine) ChangeKinds() []string { return slices.Sorted(maps.Keys(l.cfg.Changes.Kinds)) }

func (s *step) notifyChange() error {
	ev, rules := s.ev, s.l.cfg.Changes
	if len(ev.Changes) == 0 {
		return s.fail("event.changes", ErrInvalidEvent, "a notification names what changed")
	}
	n := &s.next
	seen := map[string]bool{}
	for _, ch := range ev.Changes {
		if strings.TrimSpace(ch.Kind) == "" {
			return s.fail("event.changes", ErrInvalidEvent, "a change names its kind")
		}
		if seen[ch.Kind] {
			return s.fail("event.changes", ErrInvalidEvent, "%q given twice; one change of a kind per notification", ch.Kind)
		}
		seen[ch.Kind] = true
		kind, ok := rules.Kinds[ch.Kind]
		if !ok && len(rules.Kinds) > 0 {
			return s.fail("changes.kinds", ErrInvalidEvent, "the programme lists no change %q; it lists %s",
				ch.Kind, strings.Join(s.l.ChangeKinds(), ", "))
		}
		p, rule := rules.ReassessWithin, "changes.reassess_within"
		if !kind.ReassessWithin.IsZero() {
			p, rule = kind.ReassessWithin, "changes.kinds."+ch.Kind+".reassess_within"
		}
		if p.IsZero() {
			rule = "changes"
			if ok {
				rule = "changes.kinds." + ch.Kind
			}
		}
		for _, site := range ch.Sites {
			if strings.TrimSpace(site) == "" {
				return s.fail("event.changes", ErrInvalidEvent, "an empty site")
			}
			if !slices.Contains(n.Sites, site) {
				n.Sites = append(n.Sites, site)
			}
		}
		// A second notification of a kind still open joins it: one
		// reassessment covers both, by the later deadline.
		pc := PendingChange{Kind: ch.Kind, Detail: ch.Detail, Notified: ev.At, Seq: s.from.Seq,
			Requirements: slices.Clone(kind.Requirements), Criteria: slices.Clone(kind.Criteria),
			Due: s.deadline(p, ev.At), Rule: rule}
		if i := slices.IndexFunc(n.Changes, func(c PendingChange) bool { return c.Kind == ch.Kind }); i >= 0 {
			n.Changes[i] = pc
		} else {
			n.Changes = append(n.Changes, pc)
		}
	}
	slices.Sort(n.Sites)
	return nil
}

func (s *step) reviewChange() error {
	ev := s.ev
	named := map[string]bool{}
	for _, ch := range ev.Changes {
		named[ch.Kind] = true
	}
	var closing []PendingChange
	for _, c := range s.from.Changes {
		if len(ev.Changes) == 0 || named[c.Kind] {
			closing = append(closing, c)
			delete(named, c.Kind)
		}
	}
	if len(named) > 0 {
		return s.fail("nothing-to-review", ErrInvalidTransition, "no reassessment of %s is open", strings.Join(slices.Sorted(maps.Keys(named)), ", "))
	}
	if len(closing) == 0 {
		return s.fail("nothing-to-review", ErrInvalidTransition, "no reassessment of a notified change is open")
	}
	if err := s.checkAssessment(nil); err != nil {
		return err
	}
	for _, c := range closing {
		if calendar.Date(ev.Assessment.AsOf).Before(calendar.Date(c.Notified)) {
			return s.fail("change-assessment", ErrStaleAssessment, "the assessment is dated %s, before the %s change notified on %s",
				day(ev.Assessment.AsOf), c.Kind, day(c.Notified))
		}
	}
	s.next.Changes = slices.DeleteFunc(s.next.Changes, func(c PendingChange) bool {
		return slices.ContainsFunc(closing, func(x PendingChange) bool { return x.Kind == c.Kind })
	})
	return nil
}

// String describes a change for messages.
func (c Change) String() string {
	if c.Detail == "" {
		return c.Kind
	}
	return fmt.Sprintf("%s (%s)", c.Kind, c.Detail)
}
