package exchange

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
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
)

// Format is the format token of exchange files, version 1. A file of
// another format is refused: a partner's system that changes the format
// must say so.
const Format = "aeo-exchange/1"

// A Batch is an exchange file: the records one administration sends
// another in one sending. It is imported whole or not at all (see
// [Registry.Import]). The zero value is an empty batch of no issuer.
type Batch struct {
	// Format is [Format].
	Format string `json:"format"`
	// Issuer is the administration that sends the records, by the ID its
	// partners know it by (a country code, a union member's code).
	Issuer string `json:"issuer"`
	// Issued is when the file was made.
	Issued time.Time `json:"issued"`
	// Records are the records sent, at most one per operator.
	Records []Record `json:"records"`
}

// A Record is what one administration tells another about one operator's
// AEO status: who the operator is, its status and the authorization types
// it holds, with the dates of their grant, suspension, lifting and
// revocation, the arrangement under which the data is exchanged, and the
// operator's consent. It is a snapshot as of Issued: the dates are those
// of the latest events of each type.
//
// A record whose Consent.Withdrawn is set is a withdrawal notice: it names
// the operator and carries no status, so that the partner deletes what it
// holds and stops recognising the status.
//
// The zero value is not a valid record. A Record is plain data.
type Record struct {
	// Issuer is the administration that holds the authorization (and, in
	// a customs union, the competent member); Programme its AEO
	// programme, by name.
	Issuer    string `json:"issuer"`
	Programme string `json:"programme"`
	// Seq orders the records of one operator from one issuer: the length
	// of the operator's audit trail when the record was made. A record
	// replaces one of a lower Seq and is refused against one of the same
	// (a duplicate) or a higher (stale).
	Seq int `json:"seq"`
	// Issued is when the record was made; no date in it may be later.
	Issued   time.Time `json:"issued"`
	Operator Operator  `json:"operator"`
	// Status is the status as of Issued: authorized, partly_suspended,
	// suspended, revoked, withdrawn, annulled or lapsed (the lifecycle's
	// tokens); empty in a withdrawal notice.
	Status Status `json:"status,omitempty"`
	// Types are the authorization types held, or held last, with their
	// dates.
	Types []Type `json:"types,omitempty"`
	// Ended is the day the authorization ended as a whole: revoked,
	// surrendered, annulled or lapsed.
	Ended Date `json:"ended,omitzero"`
	// Agreement is the arrangement under which the record is exchanged.
	Agreement *Agreement `json:"agreement,omitempty"`
	// Consent is the operator's consent to the exchange with the partner
	// the record goes to. Records within a customs union need none.
	Consent *Consent `json:"consent,omitempty"`
}

// Operator identifies an operator: by the national identifier the issuer
// gives it and by its trader identification number (an EORI, a TIN), with
// its name and country.
type Operator struct {
	NationalID string `json:"national_id"`
	TIN        string `json:"tin,omitempty"`
	Name       string `json:"name,omitempty"`
	Country    string `json:"country,omitempty"`
}

// A Type is one authorization type in a record, with its grade and the
// days of its latest events. Lifted is the day the latest suspension was
// lifted: a type suspended and not lifted is suspended.
type Type struct {
	Type      string `json:"type"`
	Grade     string `json:"grade,omitempty"`
	Granted   Date   `json:"granted"`
	Suspended Date   `json:"suspended,omitzero"`
	Lifted    Date   `json:"lifted,omitzero"`
	Revoked   Date   `json:"revoked,omitzero"`
}

// An Agreement names the arrangement under which data is exchanged: its
// basis (mra, cmaa, union, unilateral, automatic), its name and the day
// it started.
type Agreement struct {
	Basis Basis  `json:"basis"`
	Name  string `json:"name,omitempty"`
	Start Date   `json:"start,omitzero"`
}

// Consent is the operator's consent to the exchange of its data: the day
// it was given and, in a withdrawal notice, the day it was withdrawn.
type Consent struct {
	Given     Date `json:"given"`
	Withdrawn Date `json:"withdrawn,omitzero"`
}

// A Date is a calendar day, written 2025-07-01. The zero value is no
// date.
type Date struct{ t time.Time }

// DateOf returns the day of t (in t's own location).
func DateOf(t time.Time) Date {
	if t.IsZero() {
		return Date{}
	}
	return Date{calendar.Date(t)}
}

// Time returns the day as midnight UTC, or the zero time.
func (d Date) Time() time.Time { return d.t }

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// String returns the day as 2025-07-01, or the empty string.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalText writes the day as 2025-07-01.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a day written 2025-07-01.
func (d *Date) UnmarshalText(b []byte) error {
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return fmt.Errorf("want a date such as 2025-07-01, not %q", b)
	}
	*d = Date{t}
	return nil
}

// onOrBefore reports whether d is set and falls on or before the day of t.
func (d Date) onOrBefore(t time.Time) bool {
	return !d.IsZero() && !calendar.Date(t).Before(d.t)
}

// Notice reports whether r is a withdrawal notice.
func (r Record) Notice() bool { return r.Consent != nil && !r.Consent.Withdrawn.IsZero() }

// Key identifies the record: its issuer, the operator's national
// identifier and its sequence number, as "XA/OP-1#12".
func (r Record) Key() string { return fmt.Sprintf("%s/%s#%d", r.Issuer, r.Operator.NationalID, r.Seq) }

// Digest returns the SHA-256 of the record's canonical encoding (its
// encoding/json form, fields in declaration order), as "sha256:...". An
// export names each record it sent by key and digest.
func (r Record) Digest() string {
	b, err := json.Marshal(r)
	if err != nil {
		// A Record holds strings, integers and dates only.
		return ""
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// Ref returns the key and the digest of r, as an export event names it.
func (r Record) Ref() string { return r.Key() + " " + r.Digest() }

// statusTokens are the statuses a record may carry: the lifecycle's
// statuses in which an authorization is held or has ended after a grant.
var statusTokens = []string{"authorized", "partly_suspended", "suspended", "revoked", "withdrawn", "annulled", "lapsed"}

// A Status is the status a record reports, by the lifecycle's token:
// authorized, partly_suspended, suspended, revoked, withdrawn, annulled
// or lapsed. The zero value, empty, is the status of a withdrawal notice.
type Status string

// UnmarshalText reads one of the tokens.
func (s *Status) UnmarshalText(b []byte) error {
	if !slices.Contains(statusTokens, string(b)) {
		return fmt.Errorf("unknown status %q (want one of %s)", b, strings.Join(statusTokens, ", "))
	}
	*s = Status(b)
	return nil
}

// MarshalText writes the token.
func (s Status) MarshalText() ([]byte, error) { return []byte(s), nil }

// Tokens returns the statuses a record may carry, for a schema's enum.
func (Status) Tokens() []string { return slices.Clone(statusTokens) }

// ended reports whether status is one of an authorization that ended.
func ended[S ~string](status S) bool {
	switch status {
	case "revoked", "withdrawn", "annulled", "lapsed":
		return true
	}
	return false
}

// Decode reads an exchange file (JSON, or YAML with the same keys),
// strictly: an unknown key, a value of the wrong type or a malformed date
// is a problem with its line and column, and every such problem is
// reported at once as a diag.List. Decode checks the form only; what the
// records say is checked by [Batch.Check] and [Registry.Import].
func Decode(name string, data []byte) (*Batch, error) {
	var b Batch
	if _, err := decode.DecodeInto(name, data, &b); err != nil {
		return nil, err
	}
	return &b, nil
}

// Validate decodes an exchange file as Decode does and checks it on its
// own as [Batch.Check] does, returning every problem as a diag.List whose
// errors carry the file, line and column of the value at fault.
func Validate(name string, data []byte) (*Batch, error) {
	var b Batch
	doc, err := decode.DecodeInto(name, data, &b)
	if err != nil {
		return nil, err
	}
	err = b.Check()
	var ie *ImportError
	if !errors.As(err, &ie) {
		return &b, err
	}
	var list diag.List
	for _, p := range ie.Problems {
		e := &diag.Error{Path: p.Path, Message: p.Reason.String() + ": " + p.Detail}
		if p.Record >= 0 {
			e.Path = diag.Join(fmt.Sprintf("records[%d]", p.Record), p.Path)
		}
		doc.Resolve(e)
		list = append(list, e)
	}
	list.Sort()
	return &b, list
}

// Encode writes b as an exchange file: indented JSON ending in a newline.
func Encode(b Batch) ([]byte, error) {
	if b.Records == nil {
		b.Records = []Record{}
	}
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	return append(out, '\n'), nil
}

// Check reports what is wrong with b on its own, without a registry: its
// format and issuer, and each record's fields, dates and status. Every
// problem is reported, as an [*ImportError]; nil when there is none.
func (b Batch) Check() error {
	e := &ImportError{Issuer: b.Issuer}
	if b.Format != Format {
		e.add(-1, "", "format", ReasonInvalid, "format %q; this engine reads %q", b.Format, Format)
	}
	if strings.TrimSpace(b.Issuer) == "" {
		e.add(-1, "", "issuer", ReasonInvalid, "the file names no issuer")
	}
	if b.Issued.IsZero() {
		e.add(-1, "", "issued", ReasonInvalid, "the file has no time of issue")
	}
	for i, r := range b.Records {
		if r.Issuer != b.Issuer && strings.TrimSpace(b.Issuer) != "" {
			e.add(i, r.Key(), "issuer", ReasonInvalid, "issued by %q in a file from %q", r.Issuer, b.Issuer)
		}
		if !b.Issued.IsZero() && r.Issued.After(b.Issued) {
			e.add(i, r.Key(), "issued", ReasonDates, "made %s, after the file (%s)", stamp(r.Issued), stamp(b.Issued))
		}
		r.check(i, e)
	}
	return e.err()
}

// Check reports what is wrong with r on its own, as an [*ImportError].
func (r Record) Check() error {
	e := &ImportError{Issuer: r.Issuer}
	r.check(-1, e)
	return e.err()
}

func (r Record) check(i int, e *ImportError) {
	key := r.Key()
	bad := func(path string, format string, args ...any) { e.add(i, key, path, ReasonInvalid, format, args...) }
	dates := func(path string, format string, args ...any) { e.add(i, key, path, ReasonDates, format, args...) }
	if strings.TrimSpace(r.Issuer) == "" {
		bad("issuer", "the record names no issuer")
	}
	if strings.TrimSpace(r.Programme) == "" {
		bad("programme", "the record names no programme")
	}
	if r.Seq < 1 {
		bad("seq", "seq must be 1 or more, the length of the operator's trail")
	}
	if r.Issued.IsZero() {
		bad("issued", "the record has no time of issue")
	}
	if strings.TrimSpace(r.Operator.NationalID) == "" {
		bad("operator.national_id", "the record names no operator")
	}
	future := func(path string, d Date) {
		if !d.IsZero() && !r.Issued.IsZero() && calendar.Date(r.Issued).Before(d.t) {
			dates(path, "%s is after the record was made (%s)", d, stamp(r.Issued))
		}
	}
	if c := r.Consent; c != nil {
		switch {
		case c.Given.IsZero():
			bad("consent.given", "a consent has the day it was given")
		case !c.Withdrawn.IsZero() && c.Withdrawn.Before(c.Given):
			dates("consent.withdrawn", "withdrawn %s, before it was given (%s)", c.Withdrawn, c.Given)
		}
		future("consent.given", c.Given)
		future("consent.withdrawn", c.Withdrawn)
	}
	if a := r.Agreement; a != nil && a.Basis == BasisUnknown {
		bad("agreement.basis", "the agreement has no basis; want one of %s", strings.Join(basisNames[1:], ", "))
	}
	if r.Notice() {
		if r.Status != "" || len(r.Types) > 0 || !r.Ended.IsZero() || r.Operator.Name != "" {
			bad("status", "a withdrawal notice names the operator and carries no status data")
		}
		return
	}
	if !slices.Contains(statusTokens, string(r.Status)) {
		bad("status", "status %q; want one of %s", r.Status, strings.Join(statusTokens, ", "))
	}
	if len(r.Types) == 0 {
		bad("types", "the record lists no authorization type")
	}
	future("ended", r.Ended)
	seen := map[string]bool{}
	var inForce, suspended, revoked int
	for j, t := range r.Types {
		p := fmt.Sprintf("types[%d]", j)
		switch {
		case strings.TrimSpace(t.Type) == "":
			bad(p+".type", "an empty authorization type")
		case seen[t.Type]:
			bad(p+".type", "%s listed twice", t.Type)
		}
		seen[t.Type] = true
		if t.Granted.IsZero() {
			bad(p+".granted", "%s has no grant date", t.Type)
			continue
		}
		for _, d := range []struct {
			name string
			d    Date
		}{{"granted", t.Granted}, {"suspended", t.Suspended}, {"lifted", t.Lifted}, {"revoked", t.Revoked}} {
			future(p+"."+d.name, d.d)
		}
		switch {
		case !t.Suspended.IsZero() && t.Suspended.Before(t.Granted):
			dates(p+".suspended", "%s suspended %s, before it was granted (%s)", t.Type, t.Suspended, t.Granted)
		case !t.Lifted.IsZero() && t.Suspended.IsZero():
			dates(p+".lifted", "%s lifted %s with no suspension", t.Type, t.Lifted)
		case !t.Lifted.IsZero() && t.Lifted.Before(t.Suspended):
			dates(p+".lifted", "%s lifted %s, before it was suspended (%s)", t.Type, t.Lifted, t.Suspended)
		}
		if !t.Revoked.IsZero() && t.Revoked.Before(t.Granted) {
			dates(p+".revoked", "%s revoked %s, before it was granted (%s)", t.Type, t.Revoked, t.Granted)
		}
		if !r.Ended.IsZero() && r.Ended.Before(t.Granted) {
			dates("ended", "ended %s, before %s was granted (%s)", r.Ended, t.Type, t.Granted)
		}
		switch {
		case !t.Revoked.IsZero():
			revoked++
		case !t.Suspended.IsZero() && t.Lifted.IsZero():
			suspended++
		default:
			inForce++
		}
	}
	r.checkStatus(i, e, inForce, suspended, revoked)
}

// checkStatus refuses a status that contradicts the types: a record that
// says authorized of an operator whose only type is suspended.
func (r Record) checkStatus(i int, e *ImportError, inForce, suspended, revoked int) {
	var want Status
	switch {
	case r.Status == "revoked" && inForce+suspended == 0:
		want = "revoked"
	case ended(r.Status) && r.Status != "revoked":
		want = r.Status
		if r.Ended.IsZero() {
			e.add(i, r.Key(), "ended", ReasonDates, "a %s authorization has the day it ended", r.Status)
		}
		return
	case inForce > 0 && suspended == 0:
		want = "authorized"
	case inForce > 0:
		want = "partly_suspended"
	case suspended > 0:
		want = "suspended"
	default:
		want = "revoked"
	}
	if r.Status != want && slices.Contains(statusTokens, string(r.Status)) {
		e.add(i, r.Key(), "status", ReasonDates, "status %s contradicts the types, which make it %s", r.Status, want)
	}
	if !ended(r.Status) && !r.Ended.IsZero() {
		e.add(i, r.Key(), "ended", ReasonDates, "an authorization that is %s has not ended", r.Status)
	}
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }
