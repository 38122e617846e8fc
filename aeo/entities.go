package aeo

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/safe-aeo/engine/diag"
)

// Entities is the entities section of a programme file: an authorization
// is held by a legal entity and covers its establishments (branches,
// sites) of the kinds the programme lists, never its subsidiaries, which
// are entities of their own; an establishment of a kind the programme
// bars may not hold an authorization of its own. Lanes and benefits then
// resolve a declarant to the entity whose status covers it. It is plain
// data, decoded from the programme file.
type Entities struct {
	// Covers lists the kinds of establishment (branch, site, warehouse,
	// as the programme names them) an entity's authorization covers.
	Covers []string `json:"covers"`
	// Barred lists the kinds of establishment that may not hold an
	// authorization of their own; each must be covered.
	Barred     []string `json:"barred,omitempty"`
	Source     string   `json:"source"`
	Unverified bool     `json:"unverified,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// An Establishment is an establishment of an operator: a branch, a site, a
// warehouse, part of the same legal entity.
type Establishment struct {
	ID      string `json:"id" expr:"id"`
	Kind    string `json:"kind" expr:"kind"`
	Name    string `json:"name,omitempty" expr:"name"`
	Country string `json:"country,omitempty" expr:"country"`
}

// An EstablishmentRef names the entity an applicant is an establishment
// of, and the kind of establishment it is.
type EstablishmentRef struct {
	Entity string `json:"entity" expr:"entity"`
	Kind   string `json:"kind" expr:"kind"`
}

// subsidiary is the kind no authorization covers: a subsidiary is an
// entity of its own.
const subsidiary = "subsidiary"

func checkEntities(e *Entities, errs *diag.List) {
	if e == nil {
		return
	}
	if len(e.Covers) == 0 {
		errs.Add("entities.covers", "list the kinds of establishment an entity's authorization covers (branch, site, ...)")
	}
	if strings.TrimSpace(e.Source) == "" {
		errs.Add("entities.source", "cite the rule that says what an authorization covers")
	}
	for _, list := range []struct {
		key   string
		kinds []string
	}{{"entities.covers", e.Covers}, {"entities.barred", e.Barred}} {
		seen := map[string]bool{}
		for i, k := range list.kinds {
			p := diag.Index(list.key, i)
			switch {
			case !token(k):
				errs.Add(p, "a kind of establishment is a token such as branch")
			case k == subsidiary:
				errs.Add(p, "a subsidiary is an entity of its own: its parent's authorization never covers it")
			case seen[k]:
				errs.Add(p, "%s listed twice", k)
			}
			seen[k] = true
		}
	}
	for i, k := range e.Barred {
		if !slices.Contains(e.Covers, k) && k != subsidiary {
			errs.Add(diag.Index("entities.barred", i), "a %s barred from an authorization of its own would hold none: list it under covers too", k)
		}
	}
}

// Entities returns the programme's entities section, or nil.
func (p *Programme) Entities() *Entities { return p.file.Entities }

// ErrBarred is wrapped by the error CheckApplicant returns for an
// establishment barred from holding an authorization of its own.
var ErrBarred = errors.New("aeo: barred from an authorization of its own")

// CheckApplicant checks that the operator of prof may hold an
// authorization of its own: an establishment of a kind the programme's
// entities section bars is covered by its entity's authorization and may
// not apply itself. The error wraps [ErrBarred]; the rule is
// entities.barred.
func (p *Programme) CheckApplicant(prof *Profile) error {
	e := p.file.Entities
	if e == nil || prof == nil || prof.EstablishmentOf == nil {
		return nil
	}
	ref := prof.EstablishmentOf
	if slices.Contains(e.Barred, ref.Kind) {
		return fmt.Errorf("%w: %s is a %s of %s, whose authorization covers it (entities.barred)", ErrBarred, prof.OperatorID, ref.Kind, ref.Entity)
	}
	return nil
}

// An EntityIndex resolves declarants to the entities whose status covers
// them, from the operators' profiles: each entity's establishments and
// subsidiaries. Build one with [Programme.Entities]; it is immutable and
// safe for concurrent use.
type EntityIndex struct {
	covers       []string
	entities     map[string]bool
	est          map[string]entityLink // establishment ID -> its entity
	subsidiaries map[string]string     // subsidiary ID -> its parent
}

type entityLink struct {
	entity, kind string
}

// A Resolution says whose status covers a declarant.
type Resolution struct {
	// Entity is the operator whose status counts: the declarant's entity
	// when its authorization covers the declarant, else the declarant
	// itself.
	Entity string `json:"entity"`
	// Covered reports that Entity is another operator, whose
	// authorization covers the declarant as one of its establishments.
	Covered bool   `json:"covered"`
	Reason  string `json:"reason"`
}

// Index builds the index of entities from the profiles of the operators
// the host holds. Two entities claiming one establishment, an operator
// listed as an establishment of one and a subsidiary of another, or an
// establishment with no ID or kind, is an error.
func (p *Programme) Index(profiles ...*Profile) (*EntityIndex, error) {
	x := &EntityIndex{entities: map[string]bool{}, est: map[string]entityLink{}, subsidiaries: map[string]string{}}
	if e := p.file.Entities; e != nil {
		x.covers = slices.Clone(e.Covers)
	}
	var problems []string
	for _, prof := range profiles {
		if prof == nil || prof.OperatorID == "" {
			continue
		}
		x.entities[prof.OperatorID] = true
		for _, est := range prof.Establishments {
			switch {
			case est.ID == "" || est.Kind == "":
				problems = append(problems, fmt.Sprintf("%s lists an establishment without an ID or kind", prof.OperatorID))
			case est.Kind == subsidiary:
				problems = append(problems, fmt.Sprintf("%s lists %s as an establishment of kind subsidiary: list it under subsidiaries, an entity of its own", prof.OperatorID, est.ID))
			case x.est[est.ID].entity != "" && x.est[est.ID].entity != prof.OperatorID:
				problems = append(problems, fmt.Sprintf("%s is claimed as an establishment by %s and %s", est.ID, x.est[est.ID].entity, prof.OperatorID))
			default:
				x.est[est.ID] = entityLink{entity: prof.OperatorID, kind: est.Kind}
			}
		}
		for _, sub := range prof.Subsidiaries {
			x.subsidiaries[sub] = prof.OperatorID
		}
	}
	for sub, parent := range x.subsidiaries {
		if l, ok := x.est[sub]; ok {
			problems = append(problems, fmt.Sprintf("%s is an establishment of %s and a subsidiary of %s", sub, l.entity, parent))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, fmt.Errorf("aeo: entities: %s", strings.Join(problems, "; "))
	}
	return x, nil
}

// Resolve returns the operator whose status covers the declarant id: the
// entity it is an establishment of, when the programme says the entity's
// authorization covers that kind; the declarant itself otherwise (a
// subsidiary, an establishment of a kind not covered, an entity, or an
// operator the index does not know).
func (x *EntityIndex) Resolve(id string) Resolution {
	if x == nil {
		return Resolution{Entity: id, Reason: "no index of entities"}
	}
	if l, ok := x.est[id]; ok {
		if slices.Contains(x.covers, l.kind) {
			return Resolution{Entity: l.entity, Covered: true, Reason: fmt.Sprintf("a %s of %s, whose authorization covers it", l.kind, l.entity)}
		}
		return Resolution{Entity: id, Reason: fmt.Sprintf("a %s of %s; the programme does not extend an authorization to its %s establishments", l.kind, l.entity, l.kind)}
	}
	if parent, ok := x.subsidiaries[id]; ok {
		return Resolution{Entity: id, Reason: fmt.Sprintf("a subsidiary of %s: an entity of its own, which %s's authorization does not cover", parent, parent)}
	}
	if x.entities[id] {
		return Resolution{Entity: id, Reason: "a legal entity"}
	}
	return Resolution{Entity: id, Reason: "not known to the index"}
}
