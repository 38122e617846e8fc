package aeo

import (
	"golang.org/x/text/language"

	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/safe-aeo/engine/diag"
)

// An Obligation is one of Customs' own obligations under the programme:
// a requirement with side: customs (SAFE Annex IV's Customs-side items),
// and whether the programme meets it. It is met when MetBy lists at least
// one key and the programme file sets every key it lists, or when the
// programme states in words how Customs meets it
// (programme.commitments).
type Obligation struct {
	ID         string   `json:"id"`
	Criterion  string   `json:"criterion"`
	Title      string   `json:"title"`
	Text       string   `json:"text,omitempty"`
	Source     string   `json:"source"`
	Unverified bool     `json:"unverified,omitempty"`
	MetBy      []string `json:"met_by,omitempty"`
	// Missing lists the keys of MetBy the programme does not set.
	Missing []string `json:"missing,omitempty"`
	Met     bool     `json:"met"`
	// Commitment is the programme's statement of how Customs meets it
	// (programme.commitments), if any.
	Commitment string `json:"commitment,omitempty"`
}

// Obligations returns Customs' obligations under the programme, in the
// order of the file, each with whether the programme meets it; titles and
// texts are in the language best matching prefs (see criteria.Text.In),
// the programme's by default.
func (p *Programme) Obligations(prefs ...language.Tag) []Obligation {
	var doc any
	if b, err := json.Marshal(p.file); err == nil {
		_ = json.Unmarshal(b, &doc)
	}
	var out []Obligation
	for _, r := range p.file.Requirements {
		if !r.BindsCustoms() {
			continue
		}
		o := Obligation{ID: r.ID, Criterion: r.Criterion, Title: r.Title.In(p.lang, prefs...), Text: r.Text.In(p.lang, prefs...), Source: r.Source, Unverified: r.Unverified,
			MetBy: slices.Clone(r.MetBy), Commitment: p.file.Programme.Commitments[r.ID]}
		for _, k := range r.MetBy {
			if !setAt(doc, k) {
				o.Missing = append(o.Missing, k)
			}
		}
		o.Met = len(r.MetBy) > 0 && len(o.Missing) == 0 || strings.TrimSpace(o.Commitment) != ""
		out = append(out, o)
	}
	return out
}

// NumRequirements returns how many requirements an operator must meet
// under the programme: its requirements less Customs' obligations.
func (p *Programme) NumRequirements() int {
	n := 0
	for _, r := range p.file.Requirements {
		if !r.BindsCustoms() {
			n++
		}
	}
	return n
}

// OpenObligations describes the obligations of Customs the programme does
// not yet meet, one a line ("D.C2 Procedures through which AEOs raise
// questions: set lifecycle.issues"), for the phases tracker: the
// programme structure is not final while one is open.
func (p *Programme) OpenObligations() []string {
	var out []string
	for _, o := range p.Obligations() {
		if o.Met {
			continue
		}
		need := "state how Customs meets it under programme.commitments." + o.ID
		if len(o.Missing) > 0 {
			need = "set " + strings.Join(o.Missing, ", ") + ", or " + need
		}
		out = append(out, fmt.Sprintf("%s %s: %s", o.ID, o.Title, need))
	}
	return out
}

// topKeys are the keys a met_by key may start with.
var topKeys = []string{"programme", "facts", "scoring", "criteria", "requirements", "equivalences", "authorizations", "calendar", "lifecycle", "benefits", "risk", "selectivity"}

// setAt reports whether the key, dotted, names a value the decoded
// programme file sets: not absent, null, false, zero, empty. In a list of
// elements (criteria, requirements) a key names the element by its ID,
// which may itself hold dots (requirements.A.1).
func setAt(doc any, key string) bool {
	parts := strings.Split(key, ".")
	v := doc
	for len(parts) > 0 {
		switch x := v.(type) {
		case map[string]any:
			// The longest run of parts that is a key: map keys may hold
			// dots (programme.commitments.E.C1).
			found := false
			for n := len(parts); n >= 1; n-- {
				if next, ok := x[strings.Join(parts[:n], ".")]; ok {
					v, parts, found = next, parts[n:], true
					break
				}
			}
			if !found {
				return false
			}
		case []any:
			id := strings.Join(parts, ".")
			found := false
			for n := len(parts); n >= 1 && !found; n-- {
				id = strings.Join(parts[:n], ".")
				for _, el := range x {
					if m, ok := el.(map[string]any); ok && (m["id"] == id || m["name"] == id) {
						v, parts, found = el, parts[n:], true
						break
					}
				}
			}
			if !found {
				return false
			}
		default:
			return false
		}
	}
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return strings.TrimSpace(x) != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

// checkObligations reports met_by keys outside the programme file's
// sections, and commitments that name no obligation of Customs.
func checkObligations(f File, errs *diag.List) {
	customs := map[string]bool{}
	for i, r := range f.Requirements {
		if !r.BindsCustoms() {
			continue
		}
		customs[r.ID] = true
		for j, k := range r.MetBy {
			top, _, _ := strings.Cut(k, ".")
			if !slices.Contains(topKeys, top) {
				errs.Add(diag.Index(diag.Index("requirements", i)+".met_by", j), "%q is not a key of the programme file; it starts with one of %s", k, strings.Join(topKeys, ", "))
			}
		}
	}
	for _, id := range slices.Sorted(maps.Keys(f.Programme.Commitments)) {
		key := "programme.commitments." + id
		switch {
		case !customs[id]:
			errs.Add(key, "no obligation of Customs (a requirement with side: customs) has the ID %q", id)
		case strings.TrimSpace(f.Programme.Commitments[id]) == "":
			errs.Add(key, "state the commitment")
		}
	}
}
