package risk

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/internal/rules"
)

// A Declaration is what lane rules read of one goods declaration. Strings
// left empty and a zero Date are absent facts: a rule that reads them is
// skipped (or fires, with if_missing: fire). Numbers are always present; a
// number that is NaN or infinite (set from Go) makes every rule that reads
// it fail, which sends the declaration to the error lane.
type Declaration struct {
	// ID identifies the declaration (the customs registration number).
	// The random draws are keyed by it, so it must be unique.
	ID   string    `json:"id"`
	Date time.Time `json:"date,omitzero"`
	// Office is the customs office; Direction import, export or transit.
	Office    string `json:"office,omitempty"`
	Direction string `json:"direction,omitempty"`
	// HSCode is the commodity code, digits only (e.g. "080810"); rules
	// also read its first two and four characters as hs_chapter and
	// hs_heading.
	HSCode string `json:"hs_code,omitempty"`
	// Origin and Dispatch are ISO country codes of origin and of
	// dispatch (or export).
	Origin   string `json:"origin,omitempty"`
	Dispatch string `json:"dispatch,omitempty"`
	// Value is the customs value in national currency; GrossMass in kg.
	Value     float64 `json:"value,omitempty"`
	GrossMass float64 `json:"gross_mass,omitempty"`
	// Declarant is who lodged the declaration (a broker, say); Operator
	// the importer or exporter whose AEO status counts.
	Declarant string `json:"declarant,omitempty"`
	Operator  string `json:"operator,omitempty"`
	// Procedure is the customs procedure code; TransportMode the mode of
	// transport at the border.
	Procedure     string `json:"procedure,omitempty"`
	TransportMode string `json:"transport_mode,omitempty"`
	// Facts holds declared extra facts by name, read as facts.NAME.
	Facts map[string]any `json:"facts,omitempty"`
	// Vendor is the non-resident vendor the declaration or consignment
	// names, with its standing, read as vendor.NAME (recognition.go).
	Vendor *Vendor `json:"vendor,omitempty"`
}

// An Operator is the AEO profile of the operator behind a declaration, as
// the host finds it in its register. A nil *Operator, or an empty Status,
// means the operator holds no AEO status (status "none").
type Operator struct {
	ID string `json:"id,omitempty"`
	// Status is the operator's AEO status token, e.g. authorized,
	// suspended or none.
	Status string `json:"status,omitempty"`
	// Types are the authorization types held, e.g. AEOC and AEOS.
	Types []string `json:"types,omitempty"`
	// Grade is the grade or tier, e.g. AA or tier2.
	Grade string `json:"grade,omitempty"`
	// Partner names the partner programme whose AEO status the operator
	// holds, e.g. "US C-TPAT", for recognition under an MRA, and
	// PartnerTypes the types it holds in force there.
	Partner      string   `json:"partner,omitempty"`
	PartnerTypes []string `json:"partner_types,omitempty"`
}

// laneEnv is what lane rules read. Select fills one taken from the
// Selector's pool and passes a pointer to it, so that boxing it for the
// expression layer allocates nothing; the expression layer reads its
// fields by their offsets when it can, and by reflection otherwise.
type laneEnv struct {
	ID            string       `expr:"id"`
	Date          time.Time    `expr:"date"`
	AsOf          time.Time    `expr:"as_of"`
	Office        string       `expr:"office"`
	Direction     string       `expr:"direction"`
	HSCode        string       `expr:"hs_code"`
	HSChapter     string       `expr:"hs_chapter"`
	HSHeading     string       `expr:"hs_heading"`
	Origin        string       `expr:"origin"`
	Dispatch      string       `expr:"dispatch"`
	Value         float64      `expr:"value"`
	GrossMass     float64      `expr:"gross_mass"`
	Declarant     string       `expr:"declarant"`
	OperatorID    string       `expr:"operator_id"`
	Procedure     string       `expr:"procedure"`
	TransportMode string       `expr:"transport_mode"`
	Operator      operatorView `expr:"operator"`
	Vendor        vendorView   `expr:"vendor"`
	facts         map[string]any
	// vals are the declared extra facts, resolved once per declaration
	// in the order of the model's FactNames (nil when absent).
	vals        []any
	vendorKnown bool
}

// operatorView is what lane rules read of the operator, as operator.NAME.
// Its fields are always present: empty means none.
type operatorView struct {
	ID           string   `expr:"id"`
	Status       string   `expr:"status"`
	Types        []string `expr:"types"`
	Grade        string   `expr:"grade"`
	Partner      string   `expr:"partner"`
	PartnerTypes []string `expr:"partner_types"`
	// AEO reports that a treatment applies (the operator's own status or
	// a recognised partner programme's); Treatment names it.
	AEO       bool   `expr:"aeo"`
	Treatment string `expr:"treatment"`
}

func (e *laneEnv) Fact(name string) (any, bool) {
	v, ok := e.facts[name]
	return v, ok && v != nil
}

// FactAt serves the declared facts resolved for the declaration.
func (e *laneEnv) FactAt(i int) (any, bool) {
	if i >= len(e.vals) {
		return nil, false
	}
	v := e.vals[i]
	return v, v != nil
}

// A fieldSet is a set of declaration fields, by bit.
type fieldSet uint32

const (
	fID fieldSet = 1 << iota
	fDate
	fOffice
	fDirection
	fHSCode
	fOrigin
	fDispatch
	fDeclarant
	fOperatorID
	fProcedure
	fTransportMode
	// Numbers are always present, but may be NaN or infinite (see
	// Declaration.invalid).
	fValue
	fGrossMass
)

// fieldBits maps the names rules read to the fields that must be present.
var fieldBits = map[string]fieldSet{
	"id": fID, "date": fDate, "as_of": fDate, "office": fOffice, "direction": fDirection,
	"hs_code": fHSCode, "hs_chapter": fHSCode, "hs_heading": fHSCode, "origin": fOrigin,
	"dispatch": fDispatch, "declarant": fDeclarant, "operator_id": fOperatorID,
	"procedure": fProcedure, "transport_mode": fTransportMode,
	"value": fValue, "gross_mass": fGrossMass,
}

// reads returns the declaration fields and the extra facts p reads, by
// their position in names. Numbers and the operator's fields are always
// present.
func reads(p *rules.Program, names []string) (fieldSet, []int) {
	var need fieldSet
	var facts []int
	for _, name := range p.Facts() {
		if f, ok := strings.CutPrefix(name, "facts."); ok {
			if i, found := slices.BinarySearch(names, f); found {
				facts = append(facts, i)
			}
			continue
		}
		if vendorField(name) {
			need |= fVendor
			continue
		}
		need |= fieldBits[name]
	}
	return need, facts
}

func (e *laneEnv) present() fieldSet {
	var s fieldSet
	set := func(f fieldSet, ok bool) {
		if ok {
			s |= f
		}
	}
	set(fID, e.ID != "")
	set(fDate, !e.Date.IsZero())
	set(fOffice, e.Office != "")
	set(fDirection, e.Direction != "")
	set(fHSCode, e.HSCode != "")
	set(fOrigin, e.Origin != "")
	set(fDispatch, e.Dispatch != "")
	set(fDeclarant, e.Declarant != "")
	set(fOperatorID, e.OperatorID != "")
	set(fProcedure, e.Procedure != "")
	set(fTransportMode, e.TransportMode != "")
	set(fVendor, e.vendorKnown)
	return s | fValue | fGrossMass
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// The random draws hash the seed, a purpose and the declaration ID with
// 64-bit FNV-1a, finished with MurmurHash3's fmix64 so that IDs differing
// in their last characters still spread over the whole range.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func fnvLen(h uint64, n int) uint64 {
	for i := 0; i < 8; i++ {
		h ^= uint64(n>>(8*i)) & 0xff
		h *= fnvPrime
	}
	return h
}

// hashPrefix hashes the parts that precede the declaration ID, each with
// its length, so that no two (seed, purpose, name) collide by
// concatenation.
func hashPrefix(seed, purpose, name string) uint64 {
	h := uint64(fnvOffset)
	for _, s := range []string{seed, purpose, name} {
		h = fnvString(fnvLen(h, len(s)), s)
	}
	return h
}

// draw returns a number uniform in [0, 1) determined by prefix and id.
func draw(prefix uint64, id string) float64 {
	h := fnvString(fnvLen(prefix, len(id)), id)
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return float64(h>>11) / (1 << 53)
}

// Draw returns the random draw Select uses for the declaration ID: a
// number in [0, 1) determined by the seed and id alone. A declaration is
// selected at random when its draw is below the random rate.
func (s *Selector) Draw(id string) float64 { return draw(s.random, id) }

// A Decision is the lane chosen for one declaration and why. It is a
// value: Select fills it without allocating, keeping the first MaxListed
// rule outcomes inline. It is internal to Customs and has no operator
// view: see the package documentation.
type Decision struct {
	Declaration string `json:"declaration"`
	Lane        Lane   `json:"lane"`
	Cause       Cause  `json:"cause"`
	// Rule is the ID of the rule that decided the lane: for ByRule the
	// first, in precedence order, of the fired rules with the highest
	// lane; for ByError the first rule that failed.
	Rule string `json:"rule,omitempty"`
	// From is the lane before the AEO treatment's downgrade, when the
	// downgrade changed it.
	From Lane `json:"from,omitempty"`
	// Status is the operator's status ("none" when it has none);
	// Treatment the AEO treatment applied, if any.
	Status    string `json:"status"`
	Treatment string `json:"treatment,omitempty"`
	// Draw is the declaration's random draw and RandomRate the random
	// rate after the treatment; the declaration was selected at random
	// when Draw < RandomRate. Draw is 0 when RandomRate is 0.
	Draw       float64 `json:"draw"`
	RandomRate float64 `json:"random_rate"`
	// Error explains the first rule that failed on the declaration (see
	// Failed), which sent it to the error lane; empty when none failed.
	Error string `json:"error,omitempty"`

	sel                            *Selector
	outcomes                       [MaxListed]ruleOutcome
	listed                         uint8
	fired, spared, skipped, failed uint16
}

// MaxListed is how many rule outcomes a Decision lists; NumFired,
// NumSpared, NumSkipped and NumFailed count all of them.
const MaxListed = 16

type ruleOutcome struct {
	rule uint16 // position in the configuration
	kind outcomeKind
}

type outcomeKind uint8

const (
	kindFired outcomeKind = iota
	kindSpared
	kindSkipped
	kindFailed
)

func (d *Decision) record(rule int, k outcomeKind) {
	switch k {
	case kindFired:
		d.fired++
	case kindSpared:
		d.spared++
	case kindSkipped:
		d.skipped++
	case kindFailed:
		d.failed++
	}
	if int(d.listed) < MaxListed {
		d.outcomes[d.listed] = ruleOutcome{rule: uint16(rule), kind: k}
		d.listed++
	}
}

func (d *Decision) list(k outcomeKind) []string {
	var out []string
	for _, o := range d.outcomes[:d.listed] {
		if o.kind == k && d.sel != nil {
			out = append(out, d.sel.cfg.Rules[o.rule].ID)
		}
	}
	return out
}

// Fired returns the IDs of the rules that fired, in precedence order: their
// condition held (or a fact was missing and the rule fires then) and the
// draw fell within their rate. Only the first MaxListed outcomes are
// kept; NumFired counts them all. It allocates a new slice.
func (d *Decision) Fired() []string { return d.list(kindFired) }

// Spared returns the IDs of the rules whose condition held but whose
// draw fell outside their rate (as lowered by an AEO treatment).
func (d *Decision) Spared() []string { return d.list(kindSpared) }

// Skipped returns the IDs of the rules left out because a fact they read
// was missing (and their if_missing is skip).
func (d *Decision) Skipped() []string { return d.list(kindSkipped) }

// Failed returns the IDs of the rules that failed at run time on the
// declaration, which sent it to the error lane; Error explains the first.
func (d *Decision) Failed() []string { return d.list(kindFailed) }

// NumFired returns how many rules fired.
func (d *Decision) NumFired() int { return int(d.fired) }

// NumSpared returns how many rules matched but were spared by their rate.
func (d *Decision) NumSpared() int { return int(d.spared) }

// NumSkipped returns how many rules were skipped.
func (d *Decision) NumSkipped() int { return int(d.skipped) }

// NumFailed returns how many rules failed.
func (d *Decision) NumFailed() int { return int(d.failed) }

// Equal reports whether d and o are the same decision. Decisions may also
// be compared with ==; Equal lets go-cmp compare them.
func (d Decision) Equal(o Decision) bool { return d == o }

// MarshalJSON encodes the decision with the lists of fired, spared and
// skipped rules.
func (d Decision) MarshalJSON() ([]byte, error) {
	type plain Decision
	return json.Marshal(struct {
		plain
		Fired   []string `json:"fired,omitempty"`
		Spared  []string `json:"spared,omitempty"`
		Skipped []string `json:"skipped,omitempty"`
		Failed  []string `json:"failed,omitempty"`
	}{plain(d), d.Fired(), d.Spared(), d.Skipped(), d.Failed()})
}

// Select chooses the lane of declaration d, lodged for the operator op
// (nil for an operator without AEO status). A nil d is a declaration
// with every field missing. It evaluates every rule, in
// precedence order, so that the decision lists all that fired:
//
//  1. The AEO treatment is found: the first under aeo matching op's
//     status, types and grade, else the one an MRA gives op's partner
//     programme.
//  2. A rule whose condition holds fires with probability rate (times the
//     treatment's rule factor, unless the rule is fixed or green); its
//     lane may be downgraded by the treatment.
//  3. A rule that fails at run time proposes the error lane, which no
//     treatment lowers, and, with if_missing: fire, fires as well.
//  4. The declaration is selected at random, to the random lane, with
//     probability min_random_rate times the treatment's random factor.
//  5. The lane is the highest proposed, red > yellow > blue > green, and
//     green when nothing proposed one.
//
// Every draw is a hash of the seed, the rule and d.ID, so the same
// configuration, seed, declaration and operator always give the same
// decision. Select never fails: a rule whose facts are missing is
// reported as skipped (or fires, with if_missing: fire), and a rule that
// fails as failed, with the reason in Decision.Error. It does not
// allocate unless a rule fails (see "Concurrency and performance" in the
// package documentation).
func (s *Selector) Select(d *Declaration, op *Operator) Decision {
	ss := s.sessions.Get().(*Session)
	dec := ss.Select(d, op)
	s.sessions.Put(ss)
	return dec
}

// A Session selects the lanes of declarations one after another, keeping
// the lane rules' environment and expression runner between them: Select
// through a Session makes no pool round trip. A Session is not safe for
// concurrent use; a host selecting on many goroutines uses one Session
// per goroutine (or Selector.Select, which keeps a pool of them). The
// zero Session is not usable: get one from Selector.Session.
type Session struct {
	s   *Selector
	env laneEnv
	r   *rules.Runner
	// bad marks the declared facts of the declaration in hand that are
	// numbers but not finite, by position in the selector's factNames.
	bad []bool
}

// Session returns a new Session of s.
func (s *Selector) Session() *Session {
	return &Session{s: s, r: s.model.Runner(), env: laneEnv{vals: make([]any, len(s.factNames))}, bad: make([]bool, len(s.factNames))}
}

// Select is Selector.Select.
func (ss *Session) Select(d *Declaration, op *Operator) Decision {
	if d == nil {
		d = &noDeclaration
	}
	var dec Decision
	ss.decide(d, op, &dec, nil)
	return dec
}

// noDeclaration stands for a nil *Declaration: every field is missing.
// It is only read.
var noDeclaration Declaration

// counts receives the per-rule outcomes of a batch; nil for Select.
type counts struct {
	fired, spared, skipped, failed, decided []int
}

// decide fills dec and returns the index of the treatment applied, or -1.
func (ss *Session) decide(d *Declaration, op *Operator, dec *Decision, c *counts) int {
	s := ss.s
	var o Operator
	if op != nil {
		o = *op
	}
	if o.Status == "" {
		o.Status = "none"
	}
	ti := s.treatment(&o, d.Date)
	env := &ss.env
	defer func() {
		// keep no declaration alive in the session
		vals := env.vals
		clear(vals)
		*env = laneEnv{vals: vals}
	}()
	vals := env.vals
	*env = laneEnv{
		ID: d.ID, Date: d.Date, AsOf: d.Date, Office: d.Office, Direction: d.Direction,
		HSCode: d.HSCode, HSChapter: prefix(d.HSCode, 2), HSHeading: prefix(d.HSCode, 4),
		Origin: d.Origin, Dispatch: d.Dispatch, Value: d.Value, GrossMass: d.GrossMass,
		Declarant: d.Declarant, OperatorID: d.Operator, Procedure: d.Procedure, TransportMode: d.TransportMode,
		Operator: operatorView{ID: o.ID, Status: o.Status, Types: o.Types, Grade: o.Grade, Partner: o.Partner, PartnerTypes: o.PartnerTypes},
		facts:    d.Facts,
		vals:     vals,
	}
	if s.readsVendor {
		env.Vendor = s.vendorView(d.Vendor, d.Date)
	}
	// Each declared fact is looked up once, and checked once for a
	// number that is not finite, whatever the number of rules reading it.
	bad := ss.bad
	if len(d.Facts) > 0 {
		for i, name := range s.factNames {
			v := d.Facts[name]
			vals[i], bad[i] = v, v != nil && !criteria.Finite(v)
		}
	} else {
		clear(bad)
	}
	env.vendorKnown = vendorKnown(d.Vendor)
	if env.Operator.Types == nil {
		env.Operator.Types = []string{}
	}
	if env.Operator.PartnerTypes == nil {
		env.Operator.PartnerTypes = []string{}
	}
	dec.Declaration, dec.Status, dec.sel = d.ID, o.Status, s
	ruleFactor, randomFactor := 1.0, 1.0
	var downgrade LaneMap
	if ti >= 0 {
		t := &s.treatments[ti]
		env.Operator.AEO, env.Operator.Treatment = true, t.ID
		dec.Treatment = t.ID
		ruleFactor, randomFactor, downgrade = t.ruleFactor, t.randomFactor, t.Downgrade
	}
	present, invalid := env.present(), d.invalid()
	var boxed any = env
	r := ss.r

	lane, raw := NoLane, NoLane
	decider := -1
	byError := false
	for i := range s.rules {
		ru := &s.rules[i]
		if ru.prog == nil {
			continue
		}
		missing := ru.need&^present != 0
		bad := ru.need&invalid != 0
		for _, f := range ru.facts {
			if vals[f] == nil {
				missing = true
			} else if ss.bad[f] {
				bad = true
			}
		}
		if missing && !bad && ru.IfMissing != Fire {
			dec.record(ru.index, kindSkipped)
			if c != nil {
				c.skipped[ru.index]++
			}
			continue
		}
		if !missing || bad {
			var ok bool
			var err error
			if bad {
				err = errNotFinite
			} else {
				ok, err = r.Bool(ru.prog, boxed)
			}
			if err != nil {
				// A rule that cannot be evaluated says nothing about the
				// declaration: the declaration goes to the error lane,
				// whatever treatment applies, never green.
				dec.record(ru.index, kindFailed)
				if c != nil {
					c.failed[ru.index]++
				}
				if dec.Error == "" {
					dec.Error = "rule " + ru.ID + " failed: " + firstLine(err.Error())
				}
				raw = max(raw, s.errorLane)
				if s.errorLane > lane {
					lane, decider, byError = s.errorLane, i, true
				}
				if ru.IfMissing != Fire {
					continue
				}
				ok = true
			} else if !ok {
				continue
			} else {
				rate := ru.rate
				if !ru.Fixed && ru.Lane != Green {
					rate = math.Min(1, rate*ruleFactor)
				}
				// A rate of 1 always fires and one of 0 (a treatment's rule
				// factor of 0) never does: neither needs the draw.
				if rate < 1 && (rate <= 0 || draw(ru.prefix, d.ID) >= rate) {
					dec.record(ru.index, kindSpared)
					if c != nil {
						c.spared[ru.index]++
					}
					continue
				}
			}
		}
		dec.record(ru.index, kindFired)
		if c != nil {
			c.fired[ru.index]++
		}
		eff := ru.Lane
		if !ru.Fixed {
			eff = downgrade.apply(eff)
		}
		raw = max(raw, ru.Lane)
		if eff > lane {
			lane, decider, byError = eff, i, false
		}
	}
	dec.RandomRate = math.Min(1, s.minRandom*randomFactor)
	if dec.RandomRate > 0 {
		// Without random selection the draw decides nothing: it is not
		// made (Decision.Draw is 0).
		dec.Draw = draw(s.random, d.ID)
	}
	dec.Cause = ByDefault
	if decider >= 0 {
		dec.Cause, dec.Rule = ByRule, s.rules[decider].ID
		if byError {
			dec.Cause = ByError
		}
	}
	if dec.Draw < dec.RandomRate {
		raw = max(raw, s.randomLane)
		if rl := downgrade.apply(s.randomLane); rl > lane {
			lane, dec.Cause, dec.Rule, decider = rl, ByRandom, "", -1
		}
	}
	if decider >= 0 && c != nil && !byError {
		c.decided[s.rules[decider].index]++
	}
	if lane == NoLane {
		lane = Green
	}
	raw = max(raw, Green)
	dec.Lane = lane
	if raw != lane {
		dec.From = raw
	}
	return ti
}

// errNotFinite is the failure of a rule that reads a number of the
// declaration that is NaN or infinite.
var errNotFinite = errors.New("a number it reads is NaN or infinite")

// firstLine returns the first line of an error message: expr's errors
// go on with the expression and a caret.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// invalid returns the declaration's number fields that are present but
// that no rule can rest on: NaN or infinite.
func (d *Declaration) invalid() fieldSet {
	var s fieldSet
	if !finite(d.Value) {
		s |= fValue
	}
	if !finite(d.GrossMass) {
		s |= fGrossMass
	}
	return s
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
