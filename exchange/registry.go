package exchange

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/safe-aeo/engine/calendar"
)

// A Partner is an administration whose AEO status the programme
// recognises, or with which it exchanges AEO data: a mutual recognition
// partner, a partner under an assistance agreement, another member of a
// customs union, a programme recognised unilaterally or by law. Package
// aeo builds them from a programme's recognition and union sections. It is
// plain data; the zero value is not a valid partner.
type Partner struct {
	// ID is the issuer its records name (a country code, a union
	// member's code).
	ID string `json:"id"`
	// Programme is its AEO programme, by the name its records give. The
	// members of a union share the union's programme.
	Programme string `json:"programme"`
	Basis     Basis  `json:"basis"`
	// Agreement is the arrangement's name, if it has one; From and
	// Until the days recognition applies (inclusive; zero: open).
	Agreement string    `json:"agreement,omitempty"`
	From      time.Time `json:"from,omitzero"`
	Until     time.Time `json:"until,omitzero"`
	// Types are the partner's authorization types the arrangement covers
	// (an MRA may cover security types only); empty: all. A record of
	// any other type is refused.
	Types []string `json:"types,omitempty"`
	// Exports are the programme's own types the partner recognises, the
	// types of the records sent to it; empty: Types, or all when Types is
	// empty too.
	Exports []string `json:"exports,omitempty"`
}

// appliesOn reports whether recognition applies on the day of at.
func (p Partner) appliesOn(at time.Time) bool {
	d := calendar.Date(at)
	return (p.From.IsZero() || !d.Before(calendar.Date(p.From))) && (p.Until.IsZero() || !d.After(calendar.Date(p.Until)))
}

// covers reports whether the arrangement covers the partner's type t.
func (p Partner) covers(t string) bool { return len(p.Types) == 0 || slices.Contains(p.Types, t) }

// sends reports whether the programme's type t is sent to the partner.
func (p Partner) sends(t string) bool {
	switch {
	case len(p.Exports) > 0:
		return slices.Contains(p.Exports, t)
	case len(p.Types) > 0:
		return slices.Contains(p.Types, t)
	}
	return true
}

// A Registry is the register of AEO statuses a programme received from its
// partners: the latest record of each operator of each partner programme,
// and a log of the imports. The selectivity profile and the benefits read
// it through [Registry.Standing].
//
// Imports are all or nothing: a file with any problem is refused whole,
// and the registry is left as it was (see [Registry.Import] for why).
//
// A Registry is safe for concurrent use by multiple goroutines. Create one
// with [NewRegistry]; the zero value has no partners and refuses every
// import.
type Registry struct {
	mu       sync.RWMutex
	partners map[string]Partner
	held     map[heldKey]*held
	// index finds the operators held by trader identification number,
	// by national identifier, and by "ISSUER/NATIONAL_ID".
	index map[string][]heldKey
	log   []Import
}

// heldKey identifies an operator within a partner programme.
type heldKey struct{ programme, id string }

// held is the latest record of an operator, or the notice that withdrew
// its consent (then rec holds the notice and no data).
type held struct {
	rec    Record
	digest string
}

// An Import is one entry of a registry's log: who imported which records
// from which partner, and when. It is plain data.
type Import struct {
	Issuer string    `json:"issuer"`
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	// Records are the records imported, by key and digest; Notices the
	// withdrawal notices among them.
	Records []string `json:"records"`
	Notices []string `json:"notices,omitempty"`
}

// NewRegistry returns an empty registry of statuses from partners. It
// refuses a partner without an ID, programme or basis, two partners of
// one ID, and two partners of one programme under different bases or
// arrangements (the members of a union share the union's programme, and
// are recognised together).
func NewRegistry(partners ...Partner) (*Registry, error) {
	r := &Registry{partners: map[string]Partner{}, held: map[heldKey]*held{}, index: map[string][]heldKey{}}
	programmes := map[string]Partner{}
	for i, p := range partners {
		switch {
		case strings.TrimSpace(p.ID) == "":
			return nil, fmt.Errorf("exchange: partner %d has no ID", i)
		case strings.TrimSpace(p.Programme) == "":
			return nil, fmt.Errorf("exchange: partner %s names no programme", p.ID)
		case p.Basis == BasisUnknown || int(p.Basis) >= len(basisNames):
			return nil, fmt.Errorf("exchange: partner %s has no basis; want one of %s", p.ID, strings.Join(basisNames[1:], ", "))
		case !p.Until.IsZero() && p.Until.Before(p.From):
			return nil, fmt.Errorf("exchange: recognition of partner %s ends before it starts", p.ID)
		}
		if _, dup := r.partners[p.ID]; dup {
			return nil, fmt.Errorf("exchange: partner %s given twice", p.ID)
		}
		if o, dup := programmes[p.Programme]; dup && (o.Basis != p.Basis || o.Agreement != p.Agreement) {
			return nil, fmt.Errorf("exchange: partners %s and %s both name programme %q under different arrangements; only the members of a union share one", o.ID, p.ID, p.Programme)
		}
		programmes[p.Programme] = p
		p.Types, p.Exports = slices.Clone(p.Types), slices.Clone(p.Exports)
		r.partners[p.ID] = p
	}
	return r, nil
}

// Partner returns the partner of the given ID.
func (r *Registry) Partner(id string) (Partner, bool) {
	if r == nil {
		return Partner{}, false
	}
	p, ok := r.partners[id]
	return p, ok
}

// Partners returns the registry's partners, sorted by ID.
func (r *Registry) Partners() []Partner {
	if r == nil {
		return nil
	}
	out := make([]Partner, 0, len(r.partners))
	for _, id := range slices.Sorted(maps.Keys(r.partners)) {
		out = append(out, r.partners[id])
	}
	return out
}

// Import checks every record of b against the registry and, when none has
// a problem, applies them all and logs the import as made by by at at.
// Otherwise it returns an [*ImportError] with every problem found, and the
// registry is unchanged.
//
// An import is all or nothing because a file is one sending of one
// partner's register: applying the valid part of it would leave a
// register the partner never had (a suspension without the lifting sent
// beside it), and the valid records would be duplicates when the partner
// sends the corrected file again. Refused whole, the file is corrected
// and sent again as it is.
//
// A record is refused when the file's issuer is not a partner, it names
// another programme than the partner's or another arrangement, it holds
// a type the arrangement does not cover, its dates contradict each other
// or its status, it is in the file twice or was imported before (the
// same seq), the registry holds a later one, it carries no consent where
// the arrangement needs one, or, within a union, a member other than the
// one that granted the status reports on it while it stands.
func (r *Registry) Import(b Batch, by string, at time.Time) (Import, error) {
	if r == nil || r.partners == nil {
		return Import{}, &ImportError{Issuer: b.Issuer, Problems: []Problem{{Record: -1, Reason: ReasonUnknownPartner, Detail: "the registry has no partners"}}}
	}
	e := &ImportError{Issuer: b.Issuer}
	if err := b.Check(); err != nil {
		e = err.(*ImportError)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p, known := r.partners[b.Issuer]
	if !known && strings.TrimSpace(b.Issuer) != "" {
		e.add(-1, "", "issuer", ReasonUnknownPartner, "%q is not a partner of the programme%s", b.Issuer, r.partnerList())
	}
	if strings.TrimSpace(by) == "" {
		e.add(-1, "", "", ReasonInvalid, "the import names no one who made it")
	}
	if known {
		inFile := map[heldKey]int{}
		for i, rec := range b.Records {
			r.checkAgainst(p, i, rec, inFile, e)
		}
	}
	if len(e.Problems) > 0 {
		return Import{}, e
	}
	imp := Import{Issuer: b.Issuer, At: at, By: by}
	for _, rec := range b.Records {
		k := heldKey{rec.Programme, rec.Operator.NationalID}
		h := &held{rec: rec, digest: rec.Digest()}
		if old, ok := r.held[k]; ok {
			r.unindex(k, old.rec)
		}
		r.held[k] = h
		r.reindex(k, rec)
		ref := rec.Key() + " " + h.digest
		imp.Records = append(imp.Records, ref)
		if rec.Notice() {
			imp.Notices = append(imp.Notices, ref)
		}
	}
	r.log = append(r.log, imp)
	return cloneImport(imp), nil
}

// checkAgainst adds the problems of rec from partner p: against the
// partner's arrangement, the records held, and the records before it in
// the same file.
func (r *Registry) checkAgainst(p Partner, i int, rec Record, inFile map[heldKey]int, e *ImportError) {
	key := rec.Key()
	if rec.Programme != p.Programme {
		e.add(i, key, "programme", ReasonUnknownPartner, "programme %q; %s's programme is %q", rec.Programme, p.ID, p.Programme)
	}
	if a := rec.Agreement; a != nil {
		switch {
		case a.Basis != p.Basis:
			e.add(i, key, "agreement.basis", ReasonAgreement, "exchanged under %s; the programme's arrangement with %s is %s", a.Basis, p.ID, p.Basis)
		case a.Name != "" && p.Agreement != "" && a.Name != p.Agreement:
			e.add(i, key, "agreement.name", ReasonAgreement, "exchanged under %q; the programme's arrangement with %s is %q", a.Name, p.ID, p.Agreement)
		}
	}
	for j, t := range rec.Types {
		if !p.covers(t.Type) {
			e.add(i, key, fmt.Sprintf("types[%d].type", j), ReasonNotCovered, "%s is not covered by the arrangement with %s, which covers %s",
				t.Type, p.ID, strings.Join(p.Types, ", "))
		}
	}
	if p.Basis.NeedsConsent() && (rec.Consent == nil || rec.Consent.Given.IsZero()) {
		e.add(i, key, "consent", ReasonNoConsent, "no consent of the operator to the exchange with this programme; a record goes to a partner only with it")
	}
	k := heldKey{rec.Programme, rec.Operator.NationalID}
	if j, dup := inFile[k]; dup {
		e.add(i, key, "operator.national_id", ReasonDuplicate, "the operator's record is in the file twice (records[%d])", j)
		return
	}
	inFile[k] = i
	h, ok := r.held[k]
	if !ok {
		return
	}
	switch old := h.rec; {
	case old.Issuer == rec.Issuer && old.Seq == rec.Seq:
		e.add(i, key, "seq", ReasonDuplicate, "record %s was imported before", key)
	case old.Issuer == rec.Issuer && old.Seq > rec.Seq:
		e.add(i, key, "seq", ReasonStale, "the registry holds a later record of the operator (seq %d)", old.Seq)
	case old.Issuer != rec.Issuer && !old.Notice() && !ended(old.Status):
		// Within a union, or among a union's members recognised as one
		// programme, the member that granted a status is competent for
		// it until it ends.
		e.add(i, key, "issuer", ReasonNotCompetent, "%s granted the operator's status and is the competent member: only it may suspend or revoke it", old.Issuer)
	}
}

// names returns the names an operator is found by.
func names(rec Record) []string {
	out := []string{rec.Operator.NationalID, rec.Issuer + "/" + rec.Operator.NationalID}
	if rec.Operator.TIN != "" {
		out = append(out, rec.Operator.TIN)
	}
	return out
}

func (r *Registry) reindex(k heldKey, rec Record) {
	for _, n := range names(rec) {
		if !slices.Contains(r.index[n], k) {
			r.index[n] = append(r.index[n], k)
		}
	}
}

func (r *Registry) unindex(k heldKey, rec Record) {
	for _, n := range names(rec) {
		r.index[n] = slices.DeleteFunc(r.index[n], func(x heldKey) bool { return x == k })
		if len(r.index[n]) == 0 {
			delete(r.index, n)
		}
	}
}

func (r *Registry) partnerList() string {
	if len(r.partners) == 0 {
		return ""
	}
	return "; its partners are " + strings.Join(slices.Sorted(maps.Keys(r.partners)), ", ")
}

func cloneImport(i Import) Import {
	i.Records, i.Notices = slices.Clone(i.Records), slices.Clone(i.Notices)
	return i
}

// Log returns the imports made, in order. The slice is fresh.
func (r *Registry) Log() []Import {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Import, len(r.log))
	for i, imp := range r.log {
		out[i] = cloneImport(imp)
	}
	return out
}

// Records returns the records held, withdrawal notices included, sorted by
// programme and operator: what a host persists to rebuild the registry
// (import them again, one file per issuer, into a new registry).
func (r *Registry) Records() []Record {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	keys := slices.SortedFunc(maps.Keys(r.held), func(a, b heldKey) int {
		if c := strings.Compare(a.programme, b.programme); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	out := make([]Record, len(keys))
	for i, k := range keys {
		out[i] = cloneRecord(r.held[k].rec)
	}
	return out
}

func cloneRecord(r Record) Record {
	r.Types = slices.Clone(r.Types)
	if r.Agreement != nil {
		a := *r.Agreement
		r.Agreement = &a
	}
	if r.Consent != nil {
		c := *r.Consent
		r.Consent = &c
	}
	return r
}

// A Standing is what a registry says of an operator on a day: which
// partner programme it is known to, its status and the types in force,
// and whether the programme recognises it then. The zero value is an
// operator the registry does not know: not recognised.
type Standing struct {
	// Known reports that the registry holds data on the operator.
	Known     bool     `json:"known"`
	Partner   string   `json:"partner,omitempty"`
	Programme string   `json:"programme,omitempty"`
	Basis     Basis    `json:"basis,omitempty"`
	Operator  Operator `json:"operator,omitzero"`
	// Status is the status on the day (authorized, partly_suspended,
	// suspended, or the status of an authorization that ended), empty
	// when not known or not yet granted.
	Status Status `json:"status,omitempty"`
	// Types are the types in force on the day, Suspended those
	// suspended, Grade the grade of the types held.
	Types     []string `json:"types,omitempty"`
	Suspended []string `json:"suspended,omitempty"`
	Grade     string   `json:"grade,omitempty"`
	// Recognised reports that the arrangement applies on the day and a
	// type it covers is in force; Reason says why not otherwise.
	Recognised bool   `json:"recognised"`
	Reason     string `json:"reason,omitempty"`
	// Record is the key of the record the standing rests on.
	Record string `json:"record,omitempty"`
}

// Standing returns what the registry says of the operator id on the day
// of asOf: id is its trader identification number, its national
// identifier, or that identifier qualified by its issuer ("PL/OP-1") where
// two partners use the same one. When the operator is known to several
// partner programmes, the first (by programme) that recognises it is
// returned. An operator the registry does not know, whose consent was
// withdrawn, or whose status is not in force on the day is not
// recognised: an unknown partner status never lowers a lane or grants a
// benefit.
func (r *Registry) Standing(id string, asOf time.Time) Standing {
	all := r.Standings(id, asOf)
	for _, st := range all {
		if st.Recognised {
			return st
		}
	}
	if len(all) > 0 {
		return all[0]
	}
	return Standing{Reason: "not in the register of partner statuses"}
}

// Standings returns what the registry says of the operator id on the day
// of asOf in each partner programme that knows it, sorted by programme.
func (r *Registry) Standings(id string, asOf time.Time) []Standing {
	if r == nil || id == "" {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	keys := slices.Clone(r.index[id])
	slices.SortFunc(keys, func(a, b heldKey) int { return strings.Compare(a.programme, b.programme) })
	out := make([]Standing, 0, len(keys))
	for _, k := range keys {
		out = append(out, r.standing(r.held[k].rec, asOf))
	}
	return out
}

func (r *Registry) standing(rec Record, asOf time.Time) Standing {
	p := r.partners[rec.Issuer]
	st := Standing{Known: true, Partner: p.ID, Programme: rec.Programme, Basis: p.Basis, Operator: rec.Operator, Record: rec.Key()}
	if rec.Notice() {
		st.Known = false
		st.Reason = fmt.Sprintf("the operator withdrew its consent on %s; %s's data on it was deleted", rec.Consent.Withdrawn, p.ID)
		return st
	}
	st.Status, st.Types, st.Suspended, st.Grade = rec.standingOn(asOf)
	day := asOf.Format(time.DateOnly)
	switch {
	case st.Status == "":
		st.Reason = fmt.Sprintf("no status granted by %s on %s", p.ID, day)
	case !p.appliesOn(asOf):
		st.Reason = fmt.Sprintf("the arrangement with %s does not apply on %s", p.ID, day)
	case len(st.Types) == 0:
		st.Reason = fmt.Sprintf("no type in force on %s: the status is %s", day, st.Status)
	default:
		st.Recognised = true
	}
	return st
}

// standingOn returns the record's status on the day of at, the types in
// force and suspended then, and the grade. The record is a snapshot: a
// day before its latest events sees what its dates say of that day.
func (r Record) standingOn(at time.Time) (status Status, inForce, suspended []string, grade string) {
	if r.Status == "annulled" {
		return "", nil, nil, "" // annulment takes effect from the grant
	}
	granted, revoked := 0, 0
	for _, t := range r.Types {
		if !t.Granted.onOrBefore(at) {
			continue
		}
		granted++
		if t.Grade != "" {
			grade = t.Grade
		}
		switch {
		case t.Revoked.onOrBefore(at):
			revoked++
		case t.Suspended.onOrBefore(at) && !t.Lifted.onOrBefore(at):
			suspended = append(suspended, t.Type)
		default:
			inForce = append(inForce, t.Type)
		}
	}
	switch {
	case granted == 0:
		return "", nil, nil, ""
	case r.Ended.onOrBefore(at):
		return r.Status, nil, nil, grade
	case len(inForce) > 0 && len(suspended) == 0:
		status = "authorized"
	case len(inForce) > 0:
		status = "partly_suspended"
	case len(suspended) > 0:
		status = "suspended"
	default:
		status = "revoked"
	}
	return status, inForce, suspended, grade
}
