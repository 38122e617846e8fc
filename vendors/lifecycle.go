package vendors

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/internal/enum"
)

// Status is where a vendor's registration stands. The zero value,
// StatusNone, is a vendor not in the register.
type Status uint8

// The statuses of a registration.
const (
	StatusNone Status = iota
	// StatusRegistered: in the register; declarations naming the vendor
	// may read it as registered.
	StatusRegistered
	// StatusSuspended: the registration is suspended; it gives nothing
	// until reinstated.
	StatusSuspended
	// StatusStruckOff: struck off the register; a new registration waits
	// for the re-registration bar.
	StatusStruckOff
	numStatuses = iota
)

var statusNames = []string{"none", "registered", "suspended", "struck_off"}

// String returns s as its token.
func (s Status) String() string { return enum.Name(statusNames, uint8(s), "Status") }

// MarshalText writes s as its token, e.g. struck_off.
func (s Status) MarshalText() ([]byte, error) {
	return enum.Marshal("vendors", statusNames, uint8(s), "status")
}

// UnmarshalText reads a token written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := enum.Parse[uint8]("vendors", statusNames, b, "status")
	*s = Status(v)
	return err
}

// Tokens returns the tokens of the statuses, for a schema's enum.
func (Status) Tokens() []string { return slices.Clone(statusNames) }

// EventKind is what an [Event] does. The zero value is not valid.
type EventKind uint8

// The events of a registration, each an officer's act.
const (
	EventUnknown EventKind = iota
	// EventRegister registers the vendor, on an assessment that
	// recommends it.
	EventRegister
	// EventSuspend suspends the registration, with reasons.
	EventSuspend
	// EventReinstate ends a suspension, with reasons.
	EventReinstate
	// EventStrikeOff strikes the vendor off the register, with reasons.
	EventStrikeOff
	numEvents = iota
)

var eventNames = []string{"unknown", "register", "suspend", "reinstate", "strike_off"}

// String returns k as its token.
func (k EventKind) String() string { return enum.Name(eventNames, uint8(k), "EventKind") }

// MarshalText writes k as its token, e.g. strike_off.
func (k EventKind) MarshalText() ([]byte, error) {
	return enum.Marshal("vendors", eventNames, uint8(k), "event kind")
}

// UnmarshalText reads a token written by MarshalText.
func (k *EventKind) UnmarshalText(b []byte) error {
	v, err := enum.Parse[uint8]("vendors", eventNames, b, "event kind")
	*k = EventKind(v)
	return err
}

// Tokens returns the tokens of the valid event kinds.
func (EventKind) Tokens() []string { return slices.Clone(eventNames[1:]) }

// transitions is the whole lifecycle of a registration, as data so that a
// reviewer can audit it: from each status, the events allowed and where
// they lead. The guards are in Apply.
var transitions = map[Status]map[EventKind]Status{
	StatusNone:       {EventRegister: StatusRegistered},
	StatusRegistered: {EventSuspend: StatusSuspended, EventStrikeOff: StatusStruckOff},
	StatusSuspended:  {EventReinstate: StatusRegistered, EventStrikeOff: StatusStruckOff},
	StatusStruckOff:  {EventRegister: StatusRegistered},
}

// A Transition is one edge of the lifecycle.
type Transition struct {
	From  Status
	Event EventKind
	To    Status
}

// Transitions returns the lifecycle of a registration, sorted by status
// and event. The slice is fresh.
func Transitions() []Transition {
	var out []Transition
	for from := Status(0); from < numStatuses; from++ {
		for ev := EventKind(1); ev < numEvents; ev++ {
			if to, ok := transitions[from][ev]; ok {
				out = append(out, Transition{From: from, Event: ev, To: to})
			}
		}
	}
	return out
}

// A State is one vendor's registration: what Apply reads and returns.
// The caller stores it with its records. The zero value is a vendor not
// in the register.
type State struct {
	Status       Status    `json:"status"`
	RegisteredAt time.Time `json:"registered_at,omitzero"`
	SuspendedAt  time.Time `json:"suspended_at,omitzero"`
	StruckOffAt  time.Time `json:"struck_off_at,omitzero"`
	// BarredUntil is the day before which a vendor struck off may not be
	// registered again (reregistration_bar).
	BarredUntil time.Time `json:"barred_until,omitzero"`
	// Seq is the number of records, Head the hash of the last, LastAt the
	// time of the last event.
	Seq    int       `json:"seq"`
	Head   string    `json:"head,omitempty"`
	LastAt time.Time `json:"last_at,omitzero"`
}

// An Event is an officer's act on a registration. It is plain data; the
// zero value is not a valid event.
type Event struct {
	Kind    EventKind `json:"kind"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Reasons []string  `json:"reasons,omitempty"`
	// Assessment is the assessment a registration rests on.
	Assessment *Ref `json:"assessment,omitempty"`
}

// A Ref identifies the assessment a registration rests on.
type Ref struct {
	Fingerprint string    `json:"fingerprint"`
	AsOf        time.Time `json:"as_of"`
	Recommended bool      `json:"recommended"`
}

// A Record is one entry of a registration's audit trail, hash-chained as
// the authorization lifecycle's are: Hash is the SHA-256 of the record's
// encoding/json form without it, and covers Prev.
type Record struct {
	Seq   int    `json:"seq"`
	Prev  string `json:"prev"`
	Event Event  `json:"event"`
	From  Status `json:"from"`
	To    Status `json:"to"`
	Hash  string `json:"hash,omitempty"`
}

func (r Record) digest() string {
	r.Hash = ""
	b, err := json.Marshal(r)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Verify checks a registration's records: each at its place, after the one
// before, hashing to its Hash, and the last ending at head.
func Verify(records []Record, head string) error {
	prev := ""
	for i, r := range records {
		switch {
		case r.Seq != i:
			return fmt.Errorf("vendors: record %d has sequence number %d: %w", i, r.Seq, ErrTampered)
		case r.Prev != prev:
			return fmt.Errorf("vendors: record %d does not follow the one before it: %w", i, ErrTampered)
		case r.digest() != r.Hash:
			return fmt.Errorf("vendors: record %d does not hash to its content: %w", i, ErrTampered)
		}
		prev = r.Hash
	}
	if prev != head {
		return fmt.Errorf("vendors: the records do not end at the head kept with the state: %w", ErrTampered)
	}
	return nil
}

// Errors of Apply, wrapped in a [*RuleError]; test with errors.Is.
var (
	ErrInvalidTransition = errors.New("vendors: invalid transition")
	ErrInvalidEvent      = errors.New("vendors: invalid event")
	ErrOutOfOrder        = errors.New("vendors: event out of order")
	ErrNoReasons         = errors.New("vendors: reasons required")
	ErrNotRecommended    = errors.New("vendors: not recommended by the assessment")
	ErrStaleAssessment   = errors.New("vendors: assessment not of the current programme")
	ErrBarred            = errors.New("vendors: re-registration barred")
	ErrCalendar          = errors.New("vendors: deadline cannot be counted")
	ErrTampered          = errors.New("vendors: records tampered")
)

// A RuleError reports an event Apply refused, and the rule that refused
// it: transition, event.kind, event.at, event.actor, event-order,
// reasons, assessment-required, recommended, current-programme-assessment,
// assessment-date, reregistration_bar or calendar.
type RuleError struct {
	Rule   string
	Event  EventKind
	Status Status
	Detail string
	Err    error
}

func (e *RuleError) Error() string {
	return fmt.Sprintf("vendors: %s in %s: %v (rule %s): %s", e.Event, e.Status, e.Err, e.Rule, e.Detail)
}

// Unwrap returns the sentinel error.
func (e *RuleError) Unwrap() error { return e.Err }

// Apply applies ev to s and returns the new state and the record to
// append to the registration's trail. It is a pure function: s is not
// modified, and a refused event returns s unchanged, a zero Record and a
// [*RuleError].
func (r *Register) Apply(s State, ev Event) (State, Record, error) {
	fail := func(rule string, err error, format string, args ...any) (State, Record, error) {
		return s, Record{}, &RuleError{Rule: rule, Event: ev.Kind, Status: s.Status, Detail: fmt.Sprintf(format, args...), Err: err}
	}
	if ev.Kind == EventUnknown || ev.Kind >= numEvents {
		return fail("event.kind", ErrInvalidEvent, "unknown event kind %d", ev.Kind)
	}
	to, ok := transitions[s.Status][ev.Kind]
	if !ok {
		return fail("transition", ErrInvalidTransition, "not possible for a vendor %s", s.Status)
	}
	switch {
	case ev.At.IsZero():
		return fail("event.at", ErrInvalidEvent, "the event has no time")
	case ev.At.Before(s.LastAt):
		return fail("event-order", ErrOutOfOrder, "dated %s, before the previous event", ev.At.Format(time.RFC3339))
	case strings.TrimSpace(ev.Actor) == "":
		return fail("event.actor", ErrInvalidEvent, "the event names no actor")
	}
	next := s
	switch ev.Kind {
	case EventRegister:
		ref := ev.Assessment
		switch {
		case ref == nil:
			return fail("assessment-required", ErrNotRecommended, "a registration rests on an assessment; none given")
		case ref.Fingerprint != r.fingerprint:
			return fail("current-programme-assessment", ErrStaleAssessment, "the assessment is of programme version %q, the current one is %q", ref.Fingerprint, r.fingerprint)
		case ref.AsOf.IsZero() || ref.AsOf.After(ev.At):
			return fail("assessment-date", ErrStaleAssessment, "the assessment is dated after the registration")
		case !ref.Recommended:
			return fail("recommended", ErrNotRecommended, "the assessment does not recommend the registration")
		case !s.BarredUntil.IsZero() && calendar.Date(ev.At).Before(s.BarredUntil):
			return fail("reregistration_bar", ErrBarred, "the vendor may be registered again from %s", s.BarredUntil.Format(time.DateOnly))
		}
		next = State{Status: StatusRegistered, RegisteredAt: ev.At}
	case EventSuspend, EventReinstate, EventStrikeOff:
		if !slices.ContainsFunc(ev.Reasons, func(x string) bool { return strings.TrimSpace(x) != "" }) {
			return fail("reasons", ErrNoReasons, "%s must state its reasons", ev.Kind)
		}
		switch ev.Kind {
		case EventSuspend:
			next.SuspendedAt = ev.At
		case EventReinstate:
			next.SuspendedAt = time.Time{}
		case EventStrikeOff:
			next.SuspendedAt, next.StruckOffAt = time.Time{}, ev.At
			if p := r.cfg.ReregistrationBar; !p.IsZero() {
				until, err := r.cal.Add(p, ev.At)
				if err != nil {
					return fail("calendar", fmt.Errorf("%w: %w", ErrCalendar, err), "the re-registration bar cannot be counted")
				}
				next.BarredUntil = until
			}
		}
	}
	next.Status = to
	rec := Record{Seq: s.Seq, Prev: s.Head, Event: cloneEvent(ev), From: s.Status, To: to}
	rec.Hash = rec.digest()
	next.Seq, next.Head, next.LastAt = s.Seq+1, rec.Hash, ev.At
	return next, rec, nil
}

func cloneEvent(ev Event) Event {
	ev.Reasons = slices.Clone(ev.Reasons)
	if ev.Assessment != nil {
		a := *ev.Assessment
		ev.Assessment = &a
	}
	return ev
}

// Registered reports whether the registration is in force.
func (s State) Registered() bool { return s.Status == StatusRegistered }
