package exchange

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/lifecycle"
)

// An Exporter makes the records a programme sends its partners, from the
// lifecycle states and audit trails of its holders, and records each
// sending in the holder's trail. Create one with [NewExporter]; it is
// immutable and safe for concurrent use by multiple goroutines (the
// states and trails it reads and returns are the caller's).
type Exporter struct {
	issuer, programme string
	machine           *lifecycle.Machine
	versions          func(fingerprint string) *lifecycle.Machine
	partners          map[string]Partner
}

// NewExporter returns an exporter for the programme of the given name,
// sending as issuer (the ID partners know the administration by). machine
// is the programme's lifecycle: it replays the trails and records the
// sendings. versions, when not nil, gives the machine of an older version
// of the programme by fingerprint, for trails made under several.
func NewExporter(issuer, programme string, machine *lifecycle.Machine, versions func(fingerprint string) *lifecycle.Machine, partners ...Partner) (*Exporter, error) {
	switch {
	case strings.TrimSpace(issuer) == "":
		return nil, errors.New("exchange: the exporter needs the issuer partners know the administration by")
	case strings.TrimSpace(programme) == "":
		return nil, errors.New("exchange: the exporter needs the programme's name")
	case machine == nil:
		return nil, errors.New("exchange: the exporter needs the programme's lifecycle")
	}
	x := &Exporter{issuer: issuer, programme: programme, machine: machine, versions: versions, partners: map[string]Partner{}}
	for _, p := range partners {
		if _, dup := x.partners[p.ID]; dup {
			return nil, fmt.Errorf("exchange: partner %s given twice", p.ID)
		}
		p.Types, p.Exports = slices.Clone(p.Types), slices.Clone(p.Exports)
		x.partners[p.ID] = p
	}
	return x, nil
}

// A Holder is what the exporter reads of one holder: its identifiers, its
// lifecycle state and the audit trail that led to it. It is plain data,
// the caller's; the zero value is a holder that never applied.
type Holder struct {
	Operator Operator
	State    lifecycle.Authorization
	Trail    lifecycle.Trail
}

// Sent is one record sent: the record, and the holder's state and trail
// record after the sending was recorded.
type Sent struct {
	Record Record
	State  lifecycle.Authorization
	Entry  lifecycle.Record
}

// Record returns the record of h for partner as of at, without recording
// a sending. It returns an error wrapping [ErrNotExchanged] for a partner
// the programme sends nothing to, [ErrNoConsent] when the holder's
// consent to the partner is not in force (and no notice of its withdrawal
// is owed), [ErrNothingToExport] when h never held a type the partner's
// arrangement covers, or a *lifecycle.AuditError when the trail does not
// verify or does not lead to h.State.
func (x *Exporter) Record(h Holder, partner string, at time.Time) (Record, error) {
	p, ok := x.partners[partner]
	switch {
	case !ok:
		return Record{}, fmt.Errorf("exchange: %s is not a partner of the programme: %w", partner, ErrNotExchanged)
	case !p.Basis.Exports():
		return Record{}, fmt.Errorf("exchange: %s is recognised %s; nothing is sent to it: %w", partner, p.Basis, ErrNotExchanged)
	case strings.TrimSpace(h.Operator.NationalID) == "":
		return Record{}, errors.New("exchange: the holder has no national identifier")
	}
	rec := Record{Issuer: x.issuer, Programme: x.programme, Seq: h.State.Seq, Issued: at,
		Operator: Operator{NationalID: h.Operator.NationalID, TIN: h.Operator.TIN}}
	if p.Basis.NeedsConsent() {
		i := slices.IndexFunc(h.State.Consent, func(c lifecycle.ConsentState) bool { return c.Partner == partner })
		switch {
		case i >= 0 && h.State.ConsentTo(partner, at):
			rec.Consent = &Consent{Given: DateOf(h.State.Consent[i].Given)}
		case i >= 0 && h.State.Consent[i].NoticeDue:
			c := h.State.Consent[i]
			rec.Consent = &Consent{Given: DateOf(c.Given), Withdrawn: DateOf(c.Withdrawn)}
			return rec, nil
		default:
			return Record{}, fmt.Errorf("exchange: %s has not consented to the exchange of its data with %s: %w", h.Operator.NationalID, partner, ErrNoConsent)
		}
	}
	if err := h.Trail.VerifyHead(h.State.Head); err != nil {
		return Record{}, err
	}
	hist, err := x.history(h.Trail)
	if err != nil {
		return Record{}, err
	}
	if len(hist.types) == 0 {
		return Record{}, fmt.Errorf("exchange: %s was never granted a status: %w", h.Operator.NationalID, ErrNothingToExport)
	}
	for _, t := range hist.types {
		if p.sends(t.Type) {
			rec.Types = append(rec.Types, t)
		}
	}
	if len(rec.Types) == 0 {
		return Record{}, fmt.Errorf("exchange: %s holds no type the arrangement with %s covers (%s): %w",
			h.Operator.NationalID, partner, strings.Join(p.Types, ", "), ErrNothingToExport)
	}
	rec.Operator.Name, rec.Operator.Country = h.Operator.Name, h.Operator.Country
	rec.Status, rec.Ended = hist.status(rec.Types), hist.ended
	rec.Agreement = &Agreement{Basis: p.Basis, Name: p.Agreement, Start: DateOf(p.From)}
	if err := rec.Check(); err != nil {
		// The history of a verified trail gives a consistent record; a
		// failure here is a bug, reported rather than sent.
		return Record{}, fmt.Errorf("exchange: the record of %s is inconsistent: %w", h.Operator.NationalID, err)
	}
	return rec, nil
}

// Export makes the record of h for partner as of at and records the
// sending in h's trail as an export_records event by actor (an officer):
// who, when, to which partner, which record. It returns the record, the
// new state and the trail record, or the error of [Exporter.Record] or
// the lifecycle's refusal.
func (x *Exporter) Export(h Holder, partner, actor string, at time.Time) (Sent, error) {
	rec, err := x.Record(h, partner, at)
	if err != nil {
		return Sent{}, err
	}
	ev := lifecycle.Event{Kind: lifecycle.EventExportRecords, At: at, Actor: actor, Role: lifecycle.ActorOfficer,
		Partners: []string{partner}, Records: []string{rec.Ref()}}
	next, entry, err := x.machine.Apply(h.State, ev)
	if err != nil {
		return Sent{}, err
	}
	return Sent{Record: rec, State: next, Entry: entry}, nil
}

// An Outcome is what a batch export did for one holder: the record sent,
// or why nothing was.
type Outcome struct {
	Operator string
	Sent     *Sent
	Err      error
}

// Batch exports every holder to partner as Export does and returns the
// file of the records sent and an outcome per holder, in order. Holders
// without consent, or with nothing to send, are left out of the file;
// their outcomes say why.
func (x *Exporter) Batch(holders []Holder, partner, actor string, at time.Time) (Batch, []Outcome) {
	b := Batch{Format: Format, Issuer: x.issuer, Issued: at, Records: []Record{}}
	out := make([]Outcome, len(holders))
	for i, h := range holders {
		out[i].Operator = h.Operator.NationalID
		s, err := x.Export(h, partner, actor, at)
		if err != nil {
			out[i].Err = err
			continue
		}
		out[i].Sent = &s
		b.Records = append(b.Records, s.Record)
	}
	return b, out
}

// history is what a trail says of the authorization types: their latest
// dates since the last grant, and how the authorization ended, if it did.
type history struct {
	types     []Type
	endStatus Status
	ended     Date
}

func (h *history) index(t string) int {
	return slices.IndexFunc(h.types, func(x Type) bool { return x.Type == t })
}

// status returns the record's status for the types sent.
func (h *history) status(types []Type) Status {
	if h.endStatus != "" && h.endStatus != "revoked" {
		return h.endStatus
	}
	var inForce, suspended int
	for _, t := range types {
		switch {
		case !t.Revoked.IsZero():
		case !t.Suspended.IsZero() && t.Lifted.IsZero():
			suspended++
		default:
			inForce++
		}
	}
	switch {
	case inForce > 0 && suspended == 0:
		return "authorized"
	case inForce > 0:
		return "partly_suspended"
	case suspended > 0:
		return "suspended"
	}
	return "revoked"
}

func (x *Exporter) history(t lifecycle.Trail) (*history, error) {
	h := &history{}
	visit := func(r lifecycle.Record, before, after lifecycle.Authorization) {
		ev := r.Event
		if ev.Kind == lifecycle.EventGrant {
			*h = history{} // a new authorization: the last one's history is not its own
		}
		for _, ts := range after.Types {
			i := h.index(ts.Type)
			prev := slices.IndexFunc(before.Types, func(b lifecycle.TypeState) bool { return b.Type == ts.Type })
			if i < 0 {
				h.types = append(h.types, Type{Type: ts.Type})
				i = len(h.types) - 1
			}
			t := &h.types[i]
			t.Grade = ts.Grade
			switch {
			case prev < 0 && ev.Kind == lifecycle.EventGrant:
				t.Granted, t.Suspended, t.Lifted, t.Revoked = DateOf(after.EffectiveAt), Date{}, Date{}, Date{}
			case prev < 0:
				// Restored by an allowed appeal, as it stood.
				if t.Granted.IsZero() {
					t.Granted = DateOf(after.EffectiveAt)
				}
				t.Revoked = Date{}
				h.endStatus, h.ended = "", Date{}
			}
			wasSuspended := prev >= 0 && before.Types[prev].Suspended
			switch {
			case ts.Suspended && (!wasSuspended || prev < 0):
				t.Suspended, t.Lifted = DateOf(ts.SuspendedAt), Date{}
			case !ts.Suspended && wasSuspended:
				t.Lifted = DateOf(ev.At)
			}
		}
		for _, b := range before.Types {
			if slices.ContainsFunc(after.Types, func(a lifecycle.TypeState) bool { return a.Type == b.Type }) {
				continue
			}
			i := h.index(b.Type)
			if i < 0 {
				continue
			}
			switch {
			case ev.Kind == lifecycle.EventRevoke:
				h.types[i].Revoked = DateOf(ev.At)
			case len(after.Types) > 0:
				// Surrendered on its own: no longer held, nothing to
				// tell but that.
				h.types = slices.Delete(h.types, i, i+1)
			}
		}
		switch after.Status {
		case lifecycle.StatusRevoked, lifecycle.StatusWithdrawn, lifecycle.StatusAnnulled, lifecycle.StatusLapsed:
			if before.Status != after.Status {
				h.endStatus, h.ended = Status(after.Status.String()), DateOf(ev.At)
				if after.Status == lifecycle.StatusLapsed && !before.ValidUntil.IsZero() {
					// Nothing was in force past the last day of validity,
					// whenever the officer recorded the lapse.
					h.ended = DateOf(before.ValidUntil.AddDate(0, 0, 1))
				}
			}
		}
	}
	machine := func(fp string) *lifecycle.Machine {
		if fp == x.machine.Fingerprint() {
			return x.machine
		}
		if x.versions != nil {
			return x.versions(fp)
		}
		return nil
	}
	if _, err := lifecycle.WalkVersions(t, machine, visit); err != nil {
		return nil, err
	}
	return h, nil
}
