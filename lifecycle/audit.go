package lifecycle

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"
)

// A Record is one entry of an authorization's audit trail: the event as
// applied (actor, role, time, reasons, evidence references and the rest),
// the status before and after, the fingerprint of the programme version
// it was applied under, and the hash chain. [Machine.Apply] returns one
// per accepted event; the host appends it to the operator's trail and
// never changes it.
//
// Hash is the lowercase hex SHA-256 of the record's canonical encoding:
// the encoding/json encoding of the record with Hash empty (so without the
// "hash" key), fields in declaration order, enumerations as their tokens
// and times in RFC 3339 with the offset they were given in. It covers
// Prev, the hash of the record before ("" for the first), so any change
// to a record, or removal, insertion or reordering of records, breaks the
// chain at that point; see [Trail.Verify].
type Record struct {
	Seq         int    `json:"seq"` // 0-based position in the trail
	Prev        string `json:"prev"`
	Event       Event  `json:"event"`
	From        Status `json:"from"`
	To          Status `json:"to"`
	Fingerprint string `json:"fingerprint"`
	Hash        string `json:"hash,omitempty"`
}

// A Trail is an authorization's audit trail: its records in order, as
// [Machine.Apply] returned them. The host stores it; a Trail holds no
// state of its own.
type Trail []Record

// digest returns the hash of r without its Hash field.
func (r Record) digest() (string, error) {
	r.Hash = ""
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Verify checks the hash chain of the trail, in order. It returns nil
// if every record sits at its place (Seq), follows the one before (Prev)
// and hashes to its Hash; otherwise an [*AuditError] wrapping
// [ErrTampered] whose Index is the first record that does not fit.
//
// A chain verifies on its own only against naive tampering: whoever can
// rewrite every record after a change can also recompute their hashes,
// and cutting records off the end leaves a valid chain. Keep the head
// (Authorization.Head) apart from the records and check it with
// [Trail.VerifyHead].
func (t Trail) Verify() error {
	prev := ""
	for i, r := range t {
		if err := r.linked(i, prev); err != nil {
			return err
		}
		if err := r.intact(i); err != nil {
			return err
		}
		prev = r.Hash
	}
	return nil
}

// linked checks that r sits at position i after a record whose hash is
// prev.
func (r Record) linked(i int, prev string) error {
	if r.Seq != i {
		return &AuditError{Index: i, Detail: fmt.Sprintf("sequence number %d at position %d", r.Seq, i), Err: ErrTampered}
	}
	if r.Prev != prev {
		return &AuditError{Index: i, Detail: "does not follow the record before it", Err: ErrTampered}
	}
	return nil
}

// intact checks that r hashes to its Hash.
func (r Record) intact(i int) error {
	// encoding/json writes an invalid UTF-8 byte as U+FFFD, so two records
	// that differ only in such bytes would hash the same; Apply never
	// makes one, so a record holding one was changed after.
	if path, ok := invalidText(&r); ok {
		return &AuditError{Index: i, Detail: fmt.Sprintf("%s is not valid UTF-8 text", path), Err: ErrTampered}
	}
	h, err := r.digest()
	if err != nil {
		return &AuditError{Index: i, Detail: fmt.Sprintf("cannot be encoded: %v", err), Err: ErrTampered}
	}
	if h != r.Hash {
		return &AuditError{Index: i, Detail: "its hash does not match its content", Err: ErrTampered}
	}
	return nil
}

// VerifyHead checks the chain as [Trail.Verify] does and that it ends at
// head, the hash the host kept apart from the records (Authorization.Head).
// When the chain is sound but ends elsewhere (records cut off the end, or
// the whole chain rewritten), the error's Index is len(t).
func (t Trail) VerifyHead(head string) error {
	if err := t.Verify(); err != nil {
		return err
	}
	last := ""
	if n := len(t); n > 0 {
		last = t[n-1].Hash
	}
	if last != head {
		return &AuditError{Index: len(t), Detail: "the trail does not end at the head kept with the state", Err: ErrTampered}
	}
	return nil
}

// Replay rebuilds an authorization from its audit trail: it applies each
// record's event, from the zero Authorization, under the record's own
// programme fingerprint, and checks that it gives back the same record,
// hash included, so that the trail is verified on the way. The result
// equals the state the events built when they were applied live.
//
// Replay must run on a Machine with the time rules the records were
// made under: other rules may refuse an event or compute other deadlines.
// A record whose event is refused, or whose replay gives a different
// record, is reported as an [*AuditError] wrapping [ErrReplayMismatch]
// (and the [*RuleError], if any); a broken chain as [Trail.Verify] reports it,
// wrapping [ErrTampered].
func (l *Machine) Replay(t Trail) (Authorization, error) {
	return replay(t, func(string) *Machine { return l }, nil)
}

// ReplayStates replays t as [Machine.Replay] does and returns the state
// after each record: states[i] follows t[i]. It is for reports that show
// how the deadlines of an authorization moved over its history. When a
// record does not replay, states holds those before it and the error is
// Replay's.
func (l *Machine) ReplayStates(t Trail) (states []Authorization, err error) {
	states = make([]Authorization, 0, len(t))
	_, err = replay(t, func(string) *Machine { return l }, func(a Authorization) { states = append(states, a) })
	return states, err
}

// ReplayVersions is [Machine.Replay] for a trail made under several
// versions of a programme: each record is replayed on the machine that
// machine returns for the record's fingerprint. A record whose version
// is unknown (machine returns nil) is an [*AuditError] wrapping
// [ErrReplayMismatch].
func ReplayVersions(t Trail, machine func(fingerprint string) *Machine) (Authorization, error) {
	return replay(t, machine, nil)
}

// replay replays t, each record on the machine of its fingerprint,
// calling each, when not nil, with the state after each record.
func replay(t Trail, machine func(fingerprint string) *Machine, each func(Authorization)) (Authorization, error) {
	var a Authorization
	for i, r := range t {
		if err := r.linked(i, a.Head); err != nil {
			return Authorization{}, err
		}
		l := machine(r.Fingerprint)
		if l == nil {
			if terr := r.intact(i); terr != nil {
				return Authorization{}, terr
			}
			return Authorization{}, &AuditError{Index: i, Detail: fmt.Sprintf("no version of the programme has fingerprint %q", r.Fingerprint), Err: ErrReplayMismatch}
		}
		next, rec, err := l.apply(a, r.Event, r.Fingerprint)
		// rec is r rebuilt from r's event, fingerprint and place, so when
		// its statuses and hash equal r's, r is intact and reproduced.
		if err != nil || rec.Hash != r.Hash || rec.From != r.From || rec.To != r.To {
			// Tampering is reported as such; only an intact record that
			// the rules do not reproduce is a mismatch.
			if terr := r.intact(i); terr != nil {
				return Authorization{}, terr
			}
			if err != nil {
				return Authorization{}, &AuditError{Index: i, Detail: "the event is refused on replay", Err: fmt.Errorf("%w: %w", ErrReplayMismatch, err)}
			}
			return Authorization{}, &AuditError{Index: i, Detail: fmt.Sprintf("replay gives %s → %s, the record says %s → %s", rec.From, rec.To, r.From, r.To), Err: ErrReplayMismatch}
		}
		a = next
		if each != nil {
			each(a)
		}
	}
	return a, nil
}

// invalidText returns the path (by JSON keys) of the first string in v, a
// pointer to a record or an event, that is not valid UTF-8: a text JSON
// cannot hold as it is, and that the hash would therefore not tell apart
// from another.
func invalidText(v any) (string, bool) {
	return found(find(reflect.ValueOf(v), func(v reflect.Value) bool {
		return v.Kind() == reflect.String && !utf8.ValidString(v.String())
	}))
}

// timeOutOfRange returns the path of the first time in v, a pointer to a
// state, whose year JSON cannot hold (outside 0 to 9999).
func timeOutOfRange(v any) (string, bool) {
	return found(find(reflect.ValueOf(v), func(v reflect.Value) bool {
		if v.Type() != timeType || !v.CanAddr() {
			return false
		}
		y := v.Addr().Interface().(*time.Time).Year()
		return y < 0 || y > 9999
	}))
}

var timeType = reflect.TypeOf(time.Time{})

// found joins the segments find returns, innermost first, into a path.
func found(rev []string, ok bool) (string, bool) {
	if !ok {
		return "", false
	}
	var b strings.Builder
	for i := len(rev) - 1; i >= 0; i-- {
		if b.Len() > 0 && !strings.HasPrefix(rev[i], "[") {
			b.WriteByte('.')
		}
		b.WriteString(rev[i])
	}
	return b.String(), true
}

// find reports whether bad holds for a value under v, and the path to the
// first such value by JSON keys, as segments innermost first (built only
// on the way back from a find, so that a search that finds nothing
// allocates nothing). A value bad is asked about is searched no further
// when bad holds.
func find(v reflect.Value, bad func(reflect.Value) bool) ([]string, bool) {
	if !v.IsValid() {
		return nil, false
	}
	if bad(v) {
		return nil, true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return find(v.Elem(), bad)
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if p, ok := find(v.Index(i), bad); ok {
				return append(p, fmt.Sprintf("[%d]", i)), true
			}
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			p, ok := find(iter.Key(), bad)
			if !ok {
				p, ok = find(iter.Value(), bad)
			}
			if ok {
				return append(p, fmt.Sprint(iter.Key().Interface())), true
			}
		}
	case reflect.Struct:
		if v.Type() == timeType {
			return nil, false
		}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			p, ok := find(v.Field(i), bad)
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				name = f.Name
			}
			return append(p, name), true
		}
	}
	return nil, false
}

// walk is replay calling visit, when it is not nil, with each record and
// the states before and after it.
func walk(t Trail, machine func(fingerprint string) *Machine, visit func(r Record, before, after Authorization)) (Authorization, error) {
	if visit == nil {
		return replay(t, machine, nil)
	}
	var before Authorization
	i := 0
	return replay(t, machine, func(after Authorization) {
		visit(t[i], before, after)
		before, i = after, i+1
	})
}
