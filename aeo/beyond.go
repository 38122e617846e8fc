package aeo

import (
	"maps"
	"slices"

	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/vendors"
)

// The sections of a programme file that reach beyond one administration
// (union, recognition, vendors, entities) are each written once and
// inherited from the programme extended unless the file sets them.

// mergeBeyond records where the file sets those sections.
func mergeBeyond(out *merged, f File, at func(string) origin) {
	if f.Union != nil {
		out.origins["union"] = at("union")
	}
	if f.Recognition != nil {
		out.origins["recognition"] = at("recognition")
	}
	if f.Vendors != nil {
		out.origins["vendors"] = at("vendors")
	}
	if f.Entities != nil {
		out.origins["entities"] = at("entities")
	}
}

// inheritBeyond sets in m the sections of base that f does not set.
func inheritBeyond(m *File, base, f File) {
	m.Union, m.Recognition, m.Vendors, m.Entities = base.Union, base.Recognition, base.Vendors, base.Entities
	if f.Union != nil {
		m.Union = f.Union
	}
	if f.Recognition != nil {
		m.Recognition = f.Recognition
	}
	if f.Vendors != nil {
		m.Vendors = f.Vendors
	}
	if f.Entities != nil {
		m.Entities = f.Entities
	}
}

// Vendors returns the programme's register of non-resident vendors, or nil
// when the programme has no vendors section.
func (p *Programme) Vendors() *vendors.Register { return p.vendors }

// checkChangeKinds checks that the requirements and criteria each kind of
// change puts up for reassessment are the programme's.
func checkChangeKinds(f File, errs *diag.List) {
	if f.Lifecycle == nil {
		return
	}
	reqs, crits := map[string]bool{}, map[string]bool{}
	for _, r := range f.Requirements {
		reqs[r.ID] = true
	}
	for _, c := range f.Criteria {
		crits[c.ID] = true
	}
	kinds := f.Lifecycle.Changes.Kinds
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		prefix := "lifecycle.changes.kinds." + k
		for i, id := range kinds[k].Requirements {
			if id != "" && !reqs[id] {
				errs.Add(diag.Index(prefix+".requirements", i), "unknown requirement %q", id)
			}
		}
		for i, id := range kinds[k].Criteria {
			if id != "" && !crits[id] {
				errs.Add(diag.Index(prefix+".criteria", i), "unknown criterion %q", id)
			}
		}
	}
}
