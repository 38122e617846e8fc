package exchange

import (
	"errors"
	"fmt"
	"strings"

	"github.com/safe-aeo/engine/internal/enum"
)

// Basis is the basis on which a partner's AEO status is recognised and
// data exchanged with it. The zero value, BasisUnknown, is not valid.
type Basis uint8

// The bases of recognition and exchange.
const (
	BasisUnknown Basis = iota
	// BasisMRA: a mutual recognition arrangement or agreement. Each side
	// recognises the other's AEOs for the types it covers, and data is
	// exchanged both ways, with each operator's consent.
	BasisMRA
	// BasisCMAA: a customs mutual administrative assistance agreement,
	// under which the partner administration gives the AEO status of
	// operators it authorized, such as vendors abroad (WCO note on AEO
	// for e-commerce, option 2). Data is exchanged with consent.
	BasisCMAA
	// BasisUnion: another member of the same customs union. The status
	// is the union's own and holds in every member; data is shared
	// without consent, and only the member that granted a status may
	// suspend or revoke it.
	BasisUnion
	// BasisUnilateral: the programme recognises the partner's AEOs
	// without reciprocity. Its records may be imported; nothing is sent
	// to it.
	BasisUnilateral
	// BasisAutomatic: the partner's AEOs are recognised by law, without
	// an arrangement of the administration's own (a list a regional
	// agreement sets). Its records may be imported; nothing is sent to
	// it.
	BasisAutomatic
)

var basisNames = []string{"unknown", "mra", "cmaa", "union", "unilateral", "automatic"}

// String returns b as its token.
func (b Basis) String() string { return enum.Name(basisNames, uint8(b), "Basis") }

// MarshalText writes b as its token, e.g. mra.
func (b Basis) MarshalText() ([]byte, error) {
	return enum.Marshal("exchange", basisNames, uint8(b), "basis")
}

// UnmarshalText reads a token written by MarshalText.
func (b *Basis) UnmarshalText(t []byte) error {
	v, err := enum.Parse[uint8]("exchange", basisNames, t, "basis")
	*b = Basis(v)
	return err
}

// Tokens returns the tokens of the valid bases, for a schema's enum.
func (Basis) Tokens() []string { return append([]string(nil), basisNames[1:]...) }

// Exports reports whether records are sent to partners on basis b: under
// an arrangement to exchange data (mra, cmaa) or within a union.
func (b Basis) Exports() bool { return b == BasisMRA || b == BasisCMAA || b == BasisUnion }

// NeedsConsent reports whether data goes to a partner on basis b only with
// the operator's consent: everywhere but within a union.
func (b Basis) NeedsConsent() bool { return b != BasisUnion }

// Errors of the package; test for them with errors.Is.
var (
	// ErrRefused: an import was refused whole (see [ImportError]).
	ErrRefused = errors.New("exchange: import refused")
	// ErrNoConsent: the operator has not consented to the exchange of
	// its data with the partner.
	ErrNoConsent = errors.New("exchange: no consent")
	// ErrNothingToExport: the operator holds nothing the partner's
	// arrangement covers, or was never granted a status.
	ErrNothingToExport = errors.New("exchange: nothing to export")
	// ErrNotExchanged: the programme sends no data to the partner (it is
	// unknown, or recognised unilaterally or automatically).
	ErrNotExchanged = errors.New("exchange: no exchange with the partner")
)

// Reason is why an import refused a record (or a whole file). The zero
// value is ReasonInvalid.
type Reason uint8

// The reasons an import refuses.
const (
	// ReasonInvalid: a field is missing or malformed.
	ReasonInvalid Reason = iota
	// ReasonUnknownPartner: the file's issuer is not a partner of the
	// programme, or the record names another programme than the
	// partner's.
	ReasonUnknownPartner
	// ReasonNotCovered: the record holds a type the arrangement does not
	// cover.
	ReasonNotCovered
	// ReasonDates: the dates contradict each other or the status (lifted
	// before suspended, a date after the record was made).
	ReasonDates
	// ReasonDuplicate: the record was imported before, or is in the file
	// twice.
	ReasonDuplicate
	// ReasonStale: the registry holds a later record of the operator.
	ReasonStale
	// ReasonNoConsent: the record carries no consent of the operator
	// where the arrangement needs one.
	ReasonNoConsent
	// ReasonNotCompetent: within a union, a member other than the one
	// that granted the status reports on it.
	ReasonNotCompetent
	// ReasonAgreement: the record names another arrangement than the
	// programme has with the partner.
	ReasonAgreement
)

var reasonNames = []string{"invalid", "unknown_partner", "not_covered", "dates", "duplicate", "stale", "no_consent", "not_competent", "agreement"}

// String returns r as its token.
func (r Reason) String() string { return enum.Name(reasonNames, uint8(r), "Reason") }

// MarshalText writes r as its token, e.g. not_covered.
func (r Reason) MarshalText() ([]byte, error) {
	return enum.Marshal("exchange", reasonNames, uint8(r), "reason")
}

// UnmarshalText reads a token written by MarshalText.
func (r *Reason) UnmarshalText(t []byte) error {
	v, err := enum.Parse[uint8]("exchange", reasonNames, t, "reason")
	*r = Reason(v)
	return err
}

// A Problem is one reason an import was refused.
type Problem struct {
	// Record is the index of the record in the file, or -1 for the file
	// as a whole; Key the record's key.
	Record int    `json:"record"`
	Key    string `json:"key,omitempty"`
	// Path is the key of the field at fault within the record (or the
	// file), such as types[0].lifted.
	Path   string `json:"path,omitempty"`
	Reason Reason `json:"reason"`
	Detail string `json:"detail"`
}

// String describes the problem on one line.
func (p Problem) String() string {
	var b strings.Builder
	if p.Record >= 0 {
		fmt.Fprintf(&b, "records[%d]", p.Record)
		if p.Key != "" {
			fmt.Fprintf(&b, " (%s)", p.Key)
		}
	} else {
		b.WriteString("file")
	}
	if p.Path != "" {
		b.WriteString(" " + p.Path)
	}
	fmt.Fprintf(&b, ": %s: %s", p.Reason, p.Detail)
	return b.String()
}

// An ImportError reports an import refused whole, with every reason found.
// It wraps [ErrRefused].
type ImportError struct {
	// Issuer is the issuer the file names.
	Issuer   string    `json:"issuer"`
	Problems []Problem `json:"problems"`
}

func (e *ImportError) add(record int, key, path string, reason Reason, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{Record: record, Key: key, Path: path, Reason: reason, Detail: fmt.Sprintf(format, args...)})
}

func (e *ImportError) err() error {
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Error lists the problems, one a line after the first.
func (e *ImportError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	n := "problem"
	if len(lines) > 1 {
		n = "problems"
	}
	return fmt.Sprintf("exchange: import from %q refused, nothing imported (%d %s):\n\t%s", e.Issuer, len(lines), n, strings.Join(lines, "\n\t"))
}

// Unwrap returns ErrRefused.
func (e *ImportError) Unwrap() error { return ErrRefused }

// Has reports whether any problem has reason r.
func (e *ImportError) Has(r Reason) bool {
	for _, p := range e.Problems {
		if p.Reason == r {
			return true
		}
	}
	return false
}
