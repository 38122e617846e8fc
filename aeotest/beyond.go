package aeotest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/exchange"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
	"github.com/safe-aeo/engine/vendors"
)

// Parts of a case beyond one administration.
const (
	// PartUnion: the competent member of a customs union.
	PartUnion Part = "union"
	// PartExchange: imports of exchange files and the registry's
	// standing.
	PartExchange Part = "exchange"
	// PartVendor: a non-resident vendor's assessment and registration.
	PartVendor Part = "vendor"
	// PartEntities: the resolution of declarants to entities.
	PartEntities Part = "entities"
)

// An ImportCase is an exchange file a case imports into the registry of
// partner statuses, from a file beside the fixtures or written inline,
// with the reasons it must be refused for (none: it must be accepted).
type ImportCase struct {
	File  string          `json:"file,omitempty"`
	Batch *exchange.Batch `json:"batch,omitempty"`
	// At is when it is imported; default the case's date.
	At time.Time `json:"at,omitzero"`
	// Refused lists reasons the import must be refused for (unknown_partner,
	// not_covered, dates, duplicate, stale, no_consent, not_competent,
	// agreement, invalid); each must be among the reasons given.
	Refused []exchange.Reason `json:"refused,omitempty"`
}

func (ic *ImportCase) read(fsys fs.FS, name, prefix, at string) diag.List {
	switch {
	case ic.File == "" && ic.Batch == nil:
		return diag.List{{Path: at, Message: "an import names a file or writes the batch inline"}}
	case ic.File != "" && ic.Batch != nil:
		return diag.List{{Path: at, Message: "an import names a file or writes the batch inline, not both"}}
	case ic.File == "":
		return nil
	case fsys == nil:
		return diag.List{{Path: diag.Join(at, "file"), Message: "exchange files cannot be read here"}}
	}
	data, err := fs.ReadFile(fsys, path.Join(path.Dir(name), ic.File))
	if err != nil {
		return diag.List{{Path: diag.Join(at, "file"), Message: err.Error()}}
	}
	b, err := exchange.Decode(prefix+path.Join(path.Dir(name), ic.File), data)
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			return list
		}
		return diag.List{{Path: diag.Join(at, "file"), Message: err.Error()}}
	}
	ic.Batch = b
	return nil
}

// A VendorCase is a non-resident vendor's application to the programme's
// register of vendors, its registration events, and what they must give.
type VendorCase struct {
	// Application is the vendor's application (see vendors.Application
	// for its keys).
	Application map[string]any `json:"application"`
	Steps       []VendorStep   `json:"steps,omitempty"`
	// Registration is the recommendation the assessment must give
	// (recommend, refuse, pending); Requirements the outcome of each
	// requirement listed.
	Registration *criteria.Recommendation    `json:"registration,omitempty"`
	Requirements map[string]criteria.Outcome `json:"requirements,omitempty"`

	app *vendors.Application
}

// A VendorStep is one registration event of a fixture's vendor and what
// it must do, as a lifecycle Step.
type VendorStep struct {
	Event vendors.Event `json:"event"`
	// UseAssessment attaches the vendor's assessment to the event, as a
	// registration needs.
	UseAssessment bool           `json:"use_assessment,omitempty"`
	Status        vendors.Status `json:"status,omitempty"`
	Refused       string         `json:"refused,omitempty"`
}

func (vc *VendorCase) decode(at string) diag.List {
	b, err := yaml.Marshal(vc.Application)
	if err != nil {
		return diag.List{{Path: diag.Join(at, "application"), Message: err.Error()}}
	}
	var app vendors.Application
	if _, err := decode.DecodeInto("application", b, &app); err != nil {
		var list diag.List
		if errors.As(err, &list) {
			out := make(diag.List, len(list))
			for i, e := range list {
				out[i] = &diag.Error{Path: diag.Join(diag.Join(at, "application"), e.Path), Message: e.Message}
			}
			return out
		}
		return diag.List{{Path: diag.Join(at, "application"), Message: err.Error()}}
	}
	if app.ID == "" {
		return diag.List{{Path: diag.Join(at, "application"), Message: "the application names the vendor's id"}}
	}
	vc.app = &app
	return nil
}

// runImports imports the case's exchange files into a new registry of the
// programme's partner statuses.
func (r *runner) runImports() *exchange.Registry {
	c := r.c
	if len(c.Imports) == 0 {
		return nil
	}
	reg, err := r.p.NewRegistry()
	if err != nil {
		r.add(PartExchange, "imports", "", "", err.Error())
		return nil
	}
	for i, ic := range c.Imports {
		what := fmt.Sprintf("import %d", i+1)
		if ic.File != "" {
			what += " (" + ic.File + ")"
		}
		at := ic.At
		if at.IsZero() {
			at = c.AsOf
		}
		_, err := reg.Import(*ic.Batch, "fixture", at)
		var ie *exchange.ImportError
		switch {
		case len(ic.Refused) == 0 && err != nil:
			r.add(PartExchange, what, "imported", "refused", err.Error())
		case len(ic.Refused) > 0 && err == nil:
			r.add(PartExchange, what, "refused for "+reasons(ic.Refused), "imported", "")
		case len(ic.Refused) > 0 && !errors.As(err, &ie):
			r.add(PartExchange, what, "refused for "+reasons(ic.Refused), "", err.Error())
		case len(ic.Refused) > 0:
			for _, want := range ic.Refused {
				if !ie.Has(want) {
					r.add(PartExchange, what, "refused for "+want.String(), "refused for "+problemReasons(ie), err.Error())
				}
			}
		}
	}
	return reg
}

func reasons(rs []exchange.Reason) string {
	out := make([]string, len(rs))
	for i, x := range rs {
		out[i] = x.String()
	}
	return strings.Join(out, ", ")
}

func problemReasons(e *exchange.ImportError) string {
	var out []string
	for _, p := range e.Problems {
		if s := p.Reason.String(); !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// checkCompetence checks the competent member the case expects.
func (r *runner) checkCompetence(ctx context.Context, prof *aeo.Profile) {
	want := r.c.Expect.Competence
	if want == "" {
		return
	}
	got, err := r.p.Competent(ctx, prof, r.c.AsOf)
	var ce *aeo.CompetenceError
	switch {
	case errors.As(err, &ce):
		if want != "refused" {
			r.add(PartUnion, "competence", want, "refused", strings.TrimPrefix(err.Error(), "aeo: "))
		}
	case err != nil:
		r.add(PartUnion, "competence", want, "", err.Error())
	case got.Member != want:
		r.add(PartUnion, "competence", want, got.Member, "by rule "+got.Rule)
	}
}

// partnerStanding returns what the registry says of the case's operator,
// by its operator ID or its TIN.
func partnerStanding(reg *exchange.Registry, prof *aeo.Profile, at time.Time) exchange.Standing {
	st := reg.Standing(prof.OperatorID, at)
	if !st.Known && prof.TIN != "" {
		if byTIN := reg.Standing(prof.TIN, at); byTIN.Known {
			return byTIN
		}
	}
	return st
}

// checkPartner checks the registry's standing the case expects.
func (r *runner) checkPartner(reg *exchange.Registry, prof *aeo.Profile) {
	want := r.c.Expect.Partner
	if want == nil {
		return
	}
	if reg == nil {
		r.add(PartExchange, "partner standing", "", "", "the case imports nothing")
		return
	}
	st := partnerStanding(reg, prof, r.c.AsOf)
	if st.Recognised != want.Recognised {
		r.add(PartExchange, "partner standing", fmt.Sprintf("recognised %v", want.Recognised), fmt.Sprintf("recognised %v", st.Recognised), st.Reason)
	}
	if want.Status != "" && string(st.Status) != want.Status {
		r.add(PartExchange, "partner status", want.Status, string(st.Status), st.Reason)
	}
	if want.Types != nil && !slices.Equal(want.Types, st.Types) {
		r.add(PartExchange, "partner types", strings.Join(want.Types, ", "), strings.Join(st.Types, ", "), "")
	}
}

// entityIndex returns the index of the case's operator's establishments,
// or nil when the case names none.
func (r *runner) entityIndex(prof *aeo.Profile) *aeo.EntityIndex {
	if len(prof.Establishments) == 0 && len(prof.Subsidiaries) == 0 {
		return nil
	}
	x, err := r.p.Index(prof)
	if err != nil {
		r.add(PartEntities, "entities", "", "", err.Error())
		return nil
	}
	return x
}

// checkResolves checks whose status covers each declarant the case lists.
func (r *runner) checkResolves(x *aeo.EntityIndex) {
	for _, id := range slices.Sorted(maps.Keys(r.c.Expect.Resolves)) {
		got := x.Resolve(id)
		if want := r.c.Expect.Resolves[id]; got.Entity != want {
			r.add(PartEntities, "declarant "+id, want, got.Entity, got.Reason)
		}
	}
}

// runVendor assesses the case's vendor and applies its registration
// events, checking what they must give; it returns the registration.
func (r *runner) runVendor(ctx context.Context) *vendors.State {
	vc := r.c.Vendor
	if vc == nil {
		return nil
	}
	reg := r.p.Vendors()
	if reg == nil {
		r.add(PartVendor, "vendor", "", "", "the programme has no vendors section")
		return nil
	}
	a, err := reg.Assess(ctx, vc.app, r.c.AsOf)
	if err != nil {
		r.add(PartVendor, "vendor "+vc.app.ID, "", "", err.Error())
		return nil
	}
	if vc.Registration != nil && a.Recommendation != *vc.Registration {
		r.add(PartVendor, "vendor "+vc.app.ID+" registration", vc.Registration.String(), a.Recommendation.String(), a.Reason)
	}
	for _, id := range slices.Sorted(maps.Keys(vc.Requirements)) {
		f, ok := a.Finding(id)
		switch {
		case !ok:
			r.add(PartVendor, "vendor requirement "+id, "", "", "not in the register's requirements")
		case f.Outcome != vc.Requirements[id]:
			r.add(PartVendor, "vendor requirement "+id, token(vc.Requirements[id]), token(f.Outcome), why(f))
		}
	}
	var s vendors.State
	for i, st := range vc.Steps {
		ev := st.Event
		if st.UseAssessment {
			ref := a.Ref()
			ev.Assessment = &ref
		}
		next, _, err := reg.Apply(s, ev)
		var re *vendors.RuleError
		what := fmt.Sprintf("vendor step %d (%s)", i+1, ev.Kind)
		switch {
		case st.Refused != "" && err == nil:
			r.add(PartVendor, what, "refused by "+st.Refused, next.Status.String(), "")
		case st.Refused != "" && (!errors.As(err, &re) || re.Rule != st.Refused):
			r.add(PartVendor, what, "refused by "+st.Refused, "", err.Error())
		case st.Refused == "" && err != nil:
			r.add(PartVendor, what, "", "refused", err.Error())
		case st.Refused == "" && st.Status != vendors.StatusNone && st.Status != next.Status:
			r.add(PartVendor, what, "status "+st.Status.String(), next.Status.String(), "")
		}
		if err == nil {
			s = next
		}
	}
	return &s
}

// declarationVendor fills the registration of the case's vendor into a
// declaration that names it without one.
func declarationVendor(c Case, d *risk.Declaration, s *vendors.State) {
	if d.Vendor == nil || c.Vendor == nil || c.Vendor.app == nil || d.Vendor.ID != c.Vendor.app.ID || d.Vendor.Status != "" {
		return
	}
	v := *d.Vendor
	v.Status = risk.VendorNone
	if s != nil {
		v.Status = s.Status.String()
	}
	if v.Country == "" {
		v.Country = c.Vendor.app.Country
	}
	d.Vendor = &v
}

// declarationOperator returns the operator a case's declaration is
// lodged for, resolved through the case's entities: the case's own
// standing for the entity and the establishments its authorization
// covers, none for anyone else (a subsidiary, an establishment not
// covered).
func declarationOperator(x *aeo.EntityIndex, prof *aeo.Profile, d risk.Declaration, op risk.Operator) risk.Operator {
	if x == nil || d.Operator == "" || d.Operator == prof.OperatorID {
		return op
	}
	if res := x.Resolve(d.Operator); res.Entity == prof.OperatorID {
		return op
	}
	return risk.Operator{ID: d.Operator, Status: "none"}
}

// exportStep runs an export_records event that names no record through
// the programme's exporter, so that the record sent is the one the
// holder's trail and state give.
func (r *runner) exportStep(prof *aeo.Profile, auth lifecycle.Authorization, ev lifecycle.Event) (lifecycle.Authorization, lifecycle.Record, error) {
	x, err := r.p.Exporter(nil)
	if err != nil {
		return auth, lifecycle.Record{}, err
	}
	if len(ev.Partners) != 1 {
		return auth, lifecycle.Record{}, errors.New("an export a fixture runs names one partner")
	}
	sent, err := x.Export(exchange.Holder{Operator: aeo.ExchangeOperator(prof), State: auth, Trail: r.res.Records}, ev.Partners[0], ev.Actor, ev.At)
	if err != nil {
		if errors.Is(err, exchange.ErrNoConsent) {
			// Refused as the lifecycle would: by the consent rule.
			return auth, lifecycle.Record{}, &lifecycle.RuleError{Rule: "consent", Event: ev.Kind, Status: auth.Status, Detail: err.Error(), Err: lifecycle.ErrNoConsent}
		}
		return auth, lifecycle.Record{}, err
	}
	r.res.Sent = append(r.res.Sent, sent.Record)
	return sent.State, sent.Entry, nil
}

// lodgeBarred refuses a lodge event of an establishment the programme
// bars from an authorization of its own.
func (r *runner) lodgeBarred(prof *aeo.Profile, auth lifecycle.Authorization, ev lifecycle.Event) error {
	if ev.Kind != lifecycle.EventLodge {
		return nil
	}
	if err := r.p.CheckApplicant(prof); err != nil {
		return &lifecycle.RuleError{Rule: "entities.barred", Event: ev.Kind, Status: auth.Status, Detail: strings.TrimPrefix(err.Error(), "aeo: "), Err: lifecycle.ErrNotPermitted}
	}
	return nil
}
