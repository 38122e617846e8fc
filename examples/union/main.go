// Command union shows an AEO programme that reaches beyond one
// administration: the Example Customs Union of three members (XA, XB, XC)
// with one AEO status, and its partners.
//
//  1. Competence: which member is competent for an applicant, by the
//     union's rules in order (main accounts, activities, establishment),
//     refusing when they name none or two.
//  2. The shared register: XB grants Bravo Freight AEOC and AEOS; its
//     records go to XA and XC, whose lanes and benefits then treat Bravo as
//     their own AEO; XB suspends AEOS and the suspension holds union-wide
//     from its date; XC, not competent, cannot suspend it.
//  3. The recognition list: Partnerland's security type under an MRA,
//     C-TPAT's tiers 2 and 3 unilaterally, Vendorland's status under a
//     CMAA, each for the types it covers only.
//  4. A data-exchange round trip between two registries, XA's and
//     Partnerland's, each record sent with the holder's consent and the
//     sending in its trail; a withdrawal of consent, its notice, and the
//     end of the partner's recognition, the status at home unchanged.
//  5. Non-resident vendors: a register with its requirements as rules, a
//     registration and the lanes of the vendors' consignments.
//  6. Legal entities: an authorization covers the branch and the site, not
//     the warehouse of another kind nor the subsidiary.
//  7. A change notified electronically, on the officer's work queue until
//     it is reassessed.
//
// The programme's fixtures (fixtures.yaml) pin the same behaviour case by
// case. Dates are fixed; nothing reads the clock.
//
//	go run ./examples/union
package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/exchange"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
	"github.com/safe-aeo/engine/vendors"
)

//go:embed union.yaml xa.yaml xb.yaml xc.yaml partner.yaml fixtures.yaml samples/*.yaml records/*.json
var files embed.FS

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "union:", err)
		os.Exit(1)
	}
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(9 * time.Hour)
}

// programmes are the members' programmes and Partnerland's.
type programmes struct {
	xa, xb, xc, pl *aeo.Programme
}

func load() (programmes, error) {
	var ps programmes
	for _, x := range []struct {
		name string
		p    **aeo.Programme
	}{{"xa.yaml", &ps.xa}, {"xb.yaml", &ps.xb}, {"xc.yaml", &ps.xc}, {"partner.yaml", &ps.pl}} {
		p, err := aeo.LoadFS(files, x.name)
		if err != nil {
			return ps, err
		}
		*x.p = p
	}
	return ps, nil
}

func sample() (*aeo.Profile, error) {
	data, err := files.ReadFile("samples/alpha.yaml")
	if err != nil {
		return nil, err
	}
	return aeo.ParseProfile("samples/alpha.yaml", data)
}

func run(w io.Writer) error {
	ctx := context.Background()
	ps, err := load()
	if err != nil {
		return err
	}
	alpha, err := sample()
	if err != nil {
		return err
	}
	u := ps.xa.Union()
	var members []string
	for _, m := range u.Members {
		members = append(members, m.ID+" "+m.Name)
	}
	fmt.Fprintf(w, "%s: one AEO status, %q, in %s\n", u.Name, u.Programme, strings.Join(members, ", "))

	if err := competence(ctx, w, ps.xa, alpha); err != nil {
		return err
	}
	if err := sharedRegister(ctx, w, ps, alpha); err != nil {
		return err
	}
	if err := recognitionList(w, ps.xa); err != nil {
		return err
	}
	if err := roundTrip(ctx, w, ps, alpha); err != nil {
		return err
	}
	if err := nonResidentVendors(ctx, w, ps.xa); err != nil {
		return err
	}
	if err := entities(w, ps.xa, alpha); err != nil {
		return err
	}
	if err := changeNotified(ctx, w, ps.xa, alpha); err != nil {
		return err
	}
	return fixtures(ctx, w, ps.xa)
}

// competence prints the competent member for variations of the sample.
func competence(ctx context.Context, w io.Writer, p *aeo.Programme, alpha *aeo.Profile) error {
	fmt.Fprintf(w, "\n1. Which member is competent, by the union's rules in order\n")
	tests := []struct {
		label    string
		accounts any
		acts     any
		country  string
	}{
		{"accounts in XB", "XB", []any{"XA", "XB"}, "XA"},
		{"accounts abroad, activities in XC", "FR", []any{"XC"}, "XA"},
		{"nothing known but the establishment", nil, nil, "XA"},
		{"accounts abroad, activities in XA and XB", "FR", []any{"XA", "XB"}, "XA"},
		{"established abroad, nothing in the union", "FR", []any{}, "FR"},
	}
	for _, tt := range tests {
		prof := *alpha
		prof.Country = tt.country
		prof.Facts = map[string]any{"main_accounts": tt.accounts, "activities": tt.acts}
		c, err := p.Competent(ctx, &prof, day("2025-06-01"))
		var ce *aeo.CompetenceError
		switch {
		case errors.As(err, &ce):
			fmt.Fprintf(w, "   %-43s refused: %s\n", tt.label, strings.TrimPrefix(err.Error(), "aeo: "))
		case err != nil:
			return err
		default:
			var steps []string
			for _, s := range c.Steps {
				steps = append(steps, s.Rule+" "+s.Result)
			}
			fmt.Fprintf(w, "   %-43s %s (%s)\n", tt.label, c.Member, strings.Join(steps, "; "))
		}
	}
	return nil
}

// holder is one operator's authorization in one member's system.
type holder struct {
	p    *aeo.Programme
	prof *aeo.Profile
	h    exchange.Holder
}

func (h *holder) apply(ev lifecycle.Event) error {
	next, rec, err := h.p.Lifecycle().Apply(h.h.State, ev)
	if err != nil {
		return err
	}
	h.h.State, h.h.Trail = next, append(h.h.Trail, rec)
	return nil
}

// grant takes the holder from application to the grant of types on
// granted, on an assessment of its profile.
func (h *holder) grant(ctx context.Context, granted time.Time, types ...string) error {
	a, err := h.p.Assess(ctx, h.prof, granted.AddDate(0, 0, -1))
	if err != nil {
		return err
	}
	ref := a.Ref()
	steps := []lifecycle.Event{
		{Kind: lifecycle.EventLodge, At: granted.AddDate(0, 0, -30), Actor: h.prof.Name, Role: lifecycle.ActorOperator, Types: types},
		{Kind: lifecycle.EventAccept, At: granted.AddDate(0, 0, -29), Actor: "officer-a", Role: lifecycle.ActorOfficer},
		{Kind: lifecycle.EventValidate, At: granted.AddDate(0, 0, -10), Actor: "officer-a", Role: lifecycle.ActorOfficer,
			Validation: &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true}, Evidence: []string{"visit report"}},
		{Kind: lifecycle.EventGrant, At: granted, Actor: "officer-a", Approver: "officer-b", Role: lifecycle.ActorOfficer, Types: types, Assessment: &ref},
	}
	for _, ev := range steps {
		if err := h.apply(ev); err != nil {
			return err
		}
	}
	return nil
}

// send exports the holder's record to the partner, recording the sending
// in its trail, and returns the file.
func (h *holder) send(partner, actor string, at time.Time) (exchange.Batch, error) {
	x, err := h.p.Exporter(nil)
	if err != nil {
		return exchange.Batch{}, err
	}
	b, out := x.Batch([]exchange.Holder{h.h}, partner, actor, at)
	if out[0].Err != nil {
		return b, out[0].Err
	}
	h.h.State, h.h.Trail = out[0].Sent.State, append(h.h.Trail, out[0].Sent.Entry)
	return b, nil
}

// receive encodes a file, decodes it as the receiving system reads it,
// and imports it.
func receive(reg *exchange.Registry, b exchange.Batch, by string, at time.Time) (exchange.Import, error) {
	data, err := exchange.Encode(b)
	if err != nil {
		return exchange.Import{}, err
	}
	got, err := exchange.Decode("received.json", data)
	if err != nil {
		return exchange.Import{}, err
	}
	return reg.Import(*got, by, at)
}

func bravo(alpha *aeo.Profile) *aeo.Profile {
	b := *alpha
	b.OperatorID, b.TIN, b.Name, b.Country = "XB-0777", "ECU0777", "Bravo Freight", "XB"
	b.Establishments, b.Subsidiaries = nil, nil
	b.Facts = map[string]any{"main_accounts": "XB"}
	return &b
}

// sharedRegister follows a status XB grants through the union's shared
// register.
func sharedRegister(ctx context.Context, w io.Writer, ps programmes, alpha *aeo.Profile) error {
	fmt.Fprintf(w, "\n2. The shared register: a status granted by XB holds in XA and XC\n")
	prof := bravo(alpha)
	c, err := ps.xb.Competent(ctx, prof, day("2025-02-01"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Bravo Freight keeps its main accounts in XB: %s is competent (rule %s)\n", c.Member, c.Rule)
	h := &holder{p: ps.xb, prof: prof, h: exchange.Holder{Operator: aeo.ExchangeOperator(prof)}}
	if err := h.grant(ctx, day("2025-03-20"), "AEOC", "AEOS"); err != nil {
		return err
	}
	regs := map[string]*exchange.Registry{}
	for _, m := range []struct {
		id string
		p  *aeo.Programme
	}{{"XA", ps.xa}, {"XC", ps.xc}} {
		r, err := m.p.NewRegistry()
		if err != nil {
			return err
		}
		regs[m.id] = r
	}
	for _, to := range []string{"XA", "XC"} {
		b, err := h.send(to, "xb-officer", day("2025-07-01"))
		if err != nil {
			return err
		}
		if _, err := receive(regs[to], b, to+"-officer", day("2025-07-01")); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "   XB grants AEOC and AEOS on 2025-03-20 (in effect the 25th) and sends its record to XA and XC\n")

	sel := ps.xa.Selector()
	cat := ps.xa.Benefits()
	d := risk.Declaration{ID: "25XA620012", Office: "XAPRT", Direction: "import", HSCode: "620342", Origin: "BD", Value: 18000, GrossMass: 900}
	show := func(on string) {
		st := regs["XA"].Standing("ECU0777", day(on))
		op := aeo.PartnerOperator(prof.OperatorID, st)
		hd := aeo.PartnerHolder(prof, st)
		d.Date = day(on)
		dec := sel.Select(&d, &op)
		e, _ := cat.Decide(&hd, "safe.release.fewer-examinations", day(on))
		lane := dec.Lane.String()
		if dec.From != risk.NoLane {
			lane += " (was " + dec.From.String() + ")"
		}
		fmt.Fprintf(w, "   in XA on %s: %-16s in force %-10s treatment %-5s apparel from BD: %-18s fewer examinations: %s\n",
			on, st.Status, strings.Join(st.Types, "+"), orDash(dec.Treatment), lane, e.Status)
	}
	show("2025-08-03")

	susp := lifecycle.Event{Kind: lifecycle.EventSuspend, At: day("2025-08-04"), Actor: "xb-officer", Role: lifecycle.ActorOfficer,
		Types: []string{"AEOS"}, Reasons: []string{"seal procedures not followed at the XB depot"}}
	if err := h.apply(susp); err != nil {
		return err
	}
	for _, to := range []string{"XA", "XC"} {
		b, err := h.send(to, "xb-officer", day("2025-08-05"))
		if err != nil {
			return err
		}
		if _, err := receive(regs[to], b, to+"-officer", day("2025-08-06")); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "   XB, the competent member, suspends AEOS on 2025-08-04; its record reaches XA on the 6th\n")
	show("2025-08-03")
	show("2025-08-04")

	// XC holds no authority over the status XB granted.
	xcHolder := &holder{p: ps.xc, prof: prof, h: exchange.Holder{Operator: aeo.ExchangeOperator(prof)}}
	if err := xcHolder.grant(ctx, day("2025-05-02"), "AEOC"); err != nil {
		return err
	}
	b, err := xcHolder.send("XA", "xc-officer", day("2025-08-12"))
	if err != nil {
		return err
	}
	_, err = receive(regs["XA"], b, "XA-officer", day("2025-08-12"))
	var ie *exchange.ImportError
	if !errors.As(err, &ie) {
		return fmt.Errorf("XC's record should be refused, got %v", err)
	}
	fmt.Fprintf(w, "   XC sends a record of its own on Bravo; XA refuses it whole:\n     %s\n", ie.Problems[0])
	fmt.Fprintf(w, "   XB's trail of Bravo (%d records) ends with the sendings:\n", len(h.h.Trail))
	for _, rec := range h.h.Trail[len(h.h.Trail)-2:] {
		fmt.Fprintf(w, "     %s %s by %s to %s: %s\n", rec.Event.At.Format(time.DateOnly), rec.Event.Kind, rec.Event.Actor,
			strings.Join(rec.Event.Partners, ", "), shortRef(rec.Event.Records[0]))
	}
	return nil
}

// shortRef shortens a record's key and digest for printing.
func shortRef(ref string) string {
	key, digest, _ := strings.Cut(ref, " ")
	if len(digest) > 15 {
		digest = digest[:15] + "…"
	}
	return key + " " + digest
}

// laneOf describes a lane decision: the lane and what decided it.
func laneOf(dec risk.Decision) string {
	s := dec.Lane.String() + " (" + dec.Cause.String()
	if dec.Rule != "" {
		s += " " + dec.Rule
	}
	return s + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// recognitionList prints the recognition list and what each entry gives.
func recognitionList(w io.Writer, p *aeo.Programme) error {
	fmt.Fprintf(w, "\n3. The recognition list: each entry for the types it covers\n")
	for _, rc := range p.File().Recognition {
		types := "all types"
		if len(rc.Types) > 0 {
			types = strings.Join(rc.Types, ", ")
		}
		from := ""
		if !rc.From.IsZero() {
			from = " from " + rc.From.Format(time.DateOnly)
		}
		fmt.Fprintf(w, "   %s", strings.TrimRight(fmt.Sprintf("%-16s %-10s %-14s%s", rc.Programme, rc.Basis, types, from), " ")+"\n")
	}
	sel, cat := p.Selector(), p.Benefits()
	d := risk.Declaration{ID: "25XA620012", Date: day("2025-09-01"), Office: "XAPRT", Direction: "import", HSCode: "620342", Origin: "BD", Value: 18000, GrossMass: 900}
	fmt.Fprintf(w, "   %-36s %-10s %-19s %s\n", "member of", "treatment", "fewer examinations", "before payment")
	for _, m := range []struct {
		programme string
		types     []string
	}{
		{"Partnerland AEO", []string{"AEOS"}},
		{"Partnerland AEO", []string{"AEOC"}},
		{"US C-TPAT", []string{"tier2"}},
		{"US C-TPAT", []string{"tier1"}},
		{"Vendorland AEO", []string{"AEO"}},
		{"Gulfland AEO", []string{"AEO"}},
	} {
		op := risk.Operator{Status: "none", Partner: m.programme, PartnerTypes: m.types}
		h := benefits.Holder{Status: "none", Partner: m.programme, PartnerTypes: m.types}
		dec := sel.Select(&d, &op)
		fe, err := cat.Decide(&h, "safe.release.fewer-examinations", d.Date)
		if err != nil {
			return err
		}
		bp, err := cat.Decide(&h, "safe.release.before-payment", d.Date)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "   %-36s %-10s %-19s %s\n", m.programme+" "+strings.Join(m.types, ", "), orDash(dec.Treatment), fe.Status, bp.Status)
	}
	return nil
}

// roundTrip exchanges records between XA's and Partnerland's registries.
func roundTrip(ctx context.Context, w io.Writer, ps programmes, alpha *aeo.Profile) error {
	fmt.Fprintf(w, "\n4. A round trip between two registries: XA and Partnerland, under the MRA\n")
	home := &holder{p: ps.xa, prof: alpha, h: exchange.Holder{Operator: aeo.ExchangeOperator(alpha)}}
	if err := home.grant(ctx, day("2025-06-20"), "AEOC", "AEOS"); err != nil {
		return err
	}
	polderProf := *alpha
	polderProf.OperatorID, polderProf.TIN, polderProf.Name, polderProf.Country = "PL-0042", "PL0042", "Polder Exports", "PL"
	polderProf.Establishments, polderProf.Subsidiaries, polderProf.Facts = nil, nil, nil
	polder := &holder{p: ps.pl, prof: &polderProf, h: exchange.Holder{Operator: aeo.ExchangeOperator(&polderProf)}}
	if err := polder.grant(ctx, day("2025-05-01"), "AEOS"); err != nil {
		return err
	}
	xaReg, err := ps.xa.NewRegistry()
	if err != nil {
		return err
	}
	plReg, err := ps.pl.NewRegistry()
	if err != nil {
		return err
	}
	if _, err := home.send("PL", "xa-officer", day("2025-07-01")); !errors.Is(err, exchange.ErrNoConsent) {
		return fmt.Errorf("a record without consent should not go: %v", err)
	}
	fmt.Fprintf(w, "   XA cannot send Alpha's record to Partnerland: Alpha has not consented\n")
	consent := func(h *holder, k lifecycle.EventKind, at time.Time, partners ...string) error {
		return h.apply(lifecycle.Event{Kind: k, At: at, Actor: h.prof.Name, Role: lifecycle.ActorOperator, Partners: partners})
	}
	if err := consent(home, lifecycle.EventGiveConsent, day("2025-07-01"), "PL"); err != nil {
		return err
	}
	if err := consent(polder, lifecycle.EventGiveConsent, day("2025-07-01"), "XA"); err != nil {
		return err
	}
	out, err := home.send("PL", "xa-officer", day("2025-07-02"))
	if err != nil {
		return err
	}
	data, err := exchange.Encode(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   Alpha consents; the file XA sends (the MRA covers AEOS, so AEOC is not in it):\n")
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		fmt.Fprintf(w, "     %s\n", l)
	}
	if _, err := receive(plReg, out, "pl-officer", day("2025-07-02")); err != nil {
		return err
	}
	back, err := polder.send("XA", "pl-officer", day("2025-07-02"))
	if err != nil {
		return err
	}
	if _, err := receive(xaReg, back, "xa-officer", day("2025-07-03")); err != nil {
		return err
	}
	standing := func(who string, r *exchange.Registry, id, on string) {
		st := r.Standing(id, day(on))
		what := "recognised: " + string(st.Status) + " " + strings.Join(st.Types, ", ")
		if !st.Recognised {
			what = "not recognised: " + st.Reason
		}
		fmt.Fprintf(w, "   %-34s %s\n", who+" on "+on, what)
	}
	standing("Partnerland's registry, Alpha,", plReg, "ECU0100", "2025-07-10")
	standing("XA's registry, Polder,", xaReg, "PL0042", "2025-07-10")

	if err := consent(home, lifecycle.EventWithdrawConsent, day("2025-09-01")); err != nil {
		return err
	}
	for _, it := range ps.xa.Lifecycle().Due(home.h.State, day("2025-09-01")) {
		if it.Kind == lifecycle.DueConsentNotice {
			fmt.Fprintf(w, "   Alpha withdraws its consent on 2025-09-01; on XA's queue: %s to %s\n", it.Kind, it.Partner)
		}
	}
	notice, err := home.send("PL", "xa-officer", day("2025-09-02"))
	if err != nil {
		return err
	}
	if _, err := receive(plReg, notice, "pl-officer", day("2025-09-02")); err != nil {
		return err
	}
	standing("Partnerland's registry, Alpha,", plReg, "ECU0100", "2025-09-02")
	if _, err := home.send("PL", "xa-officer", day("2025-09-03")); !errors.Is(err, exchange.ErrNoConsent) {
		return fmt.Errorf("nothing should go after the withdrawal: %v", err)
	}
	fmt.Fprintf(w, "   Nothing more goes to Partnerland; Alpha's status in XA is still %s\n", home.h.State.Status)
	fmt.Fprintf(w, "   Alpha's trail records each sending (who, when, to whom, which record):\n")
	for _, rec := range home.h.Trail {
		if rec.Event.Kind == lifecycle.EventExportRecords {
			fmt.Fprintf(w, "     %s %s to %s: %s\n", rec.Event.At.Format(time.DateOnly), rec.Event.Actor, strings.Join(rec.Event.Partners, ", "), shortRef(rec.Event.Records[0]))
		}
	}
	if err := home.h.Trail.VerifyHead(home.h.State.Head); err != nil {
		return err
	}
	log := plReg.Log()
	fmt.Fprintf(w, "   Partnerland's import log: %d imports, the last by %s on %s (%d notice)\n", len(log), log[len(log)-1].By,
		log[len(log)-1].At.Format(time.DateOnly), len(log[len(log)-1].Notices))
	return nil
}

// nonResidentVendors assesses and registers vendors abroad, and lanes
// their consignments.
func nonResidentVendors(ctx context.Context, w io.Writer, p *aeo.Programme) error {
	reg := p.Vendors()
	fmt.Fprintf(w, "\n5. Non-resident vendors: %s\n", reg.Config().Title)
	yes, no := true, false
	apps := []vendors.Application{
		{ID: "V-100", Name: "Far Shore Goods", Country: "VN", CollectsDuties: &yes, TaxRegistration: "ECU-VAT-100", Facts: map[string]any{"annual_parcels": 4000}},
		{ID: "V-200", Name: "Quick Parcels", Country: "ZZ", CollectsDuties: &no, PartnerAEO: &no, Facts: map[string]any{"annual_parcels": 500}},
		{ID: "V-300", Name: "Lotus Wares", Country: "VN", CollectsDuties: &no, Partner: "Vendorland AEO", PartnerAEO: &yes, Facts: map[string]any{"annual_parcels": 25000}},
	}
	states := map[string]vendors.State{}
	for _, app := range apps {
		a, err := reg.Assess(ctx, &app, day("2025-09-01"))
		if err != nil {
			return err
		}
		var outcomes []string
		for _, f := range a.Findings {
			b, _ := f.Outcome.MarshalText()
			outcomes = append(outcomes, f.Requirement+" "+string(b))
		}
		line := fmt.Sprintf("   %-5s %-15s %-26s -> %s", app.ID, app.Name, strings.Join(outcomes, ", "), a.Recommendation)
		if a.Recommendation.String() == "recommend" {
			ref := a.Ref()
			s, _, err := reg.Apply(vendors.State{}, vendors.Event{Kind: vendors.EventRegister, At: day("2025-09-01"), Actor: "officer-v", Assessment: &ref})
			if err != nil {
				return err
			}
			states[app.ID] = s
			line += ", registered"
		}
		fmt.Fprintln(w, line)
	}
	sel := p.Selector()
	fmt.Fprintf(w, "   E-commerce consignments from vendors abroad:\n")
	for i, v := range []risk.Vendor{
		{ID: "V-100"}, {ID: "V-200"}, {ID: "V-300", Partner: "Vendorland AEO", PartnerTypes: []string{"AEO"}}, {ID: "V-999"},
	} {
		v := v
		if s, ok := states[v.ID]; ok {
			v.Status = s.Status.String()
		} else if v.ID != "V-999" {
			v.Status = risk.VendorNone
		}
		d := risk.Declaration{ID: fmt.Sprintf("25XAEC%04d", i+1), Date: day("2025-09-01"), Office: "XAAIR", Direction: "import",
			HSCode: "640399", Origin: "VN", Value: 40, GrossMass: 1, Procedure: "EC", Vendor: &v}
		dec := sel.Select(&d, nil)
		status := v.Status
		if status == "" {
			status = "not known"
		}
		partner := "-"
		if v.Partner != "" {
			partner = v.Partner + " " + strings.Join(v.PartnerTypes, ", ")
		}
		fmt.Fprintf(w, "     %s vendor %-5s registration %-10s partner AEO %-18s -> %s\n", d.ID, v.ID, status, partner, laneOf(dec))
	}
	return nil
}

// entities resolves declarants to the entity whose status covers them.
func entities(w io.Writer, p *aeo.Programme, alpha *aeo.Profile) error {
	fmt.Fprintf(w, "\n6. Legal entities: whose status covers a declarant (entities.covers: %s)\n", strings.Join(p.Entities().Covers, ", "))
	x, err := p.Index(alpha)
	if err != nil {
		return err
	}
	for _, id := range []string{"XA-0100", "XA-0100-BR1", "XA-0100-S2", "XA-0100-W3", "XA-0300"} {
		r := x.Resolve(id)
		fmt.Fprintf(w, "   %-12s -> %-12s %s\n", id, r.Entity, r.Reason)
	}
	branch := *alpha
	branch.OperatorID, branch.EstablishmentOf = "XA-0100-BR1", &aeo.EstablishmentRef{Entity: "XA-0100", Kind: "branch"}
	if err := p.CheckApplicant(&branch); err != nil {
		fmt.Fprintf(w, "   the branch applies on its own: %s\n", strings.TrimPrefix(err.Error(), "aeo: "))
	}
	return nil
}

// changeNotified puts a notified change on the work queue.
func changeNotified(ctx context.Context, w io.Writer, p *aeo.Programme, alpha *aeo.Profile) error {
	fmt.Fprintf(w, "\n7. A change notified electronically\n")
	h := &holder{p: p, prof: alpha, h: exchange.Holder{Operator: aeo.ExchangeOperator(alpha)}}
	if err := h.grant(ctx, day("2025-06-20"), "AEOC", "AEOS"); err != nil {
		return err
	}
	if err := h.apply(lifecycle.Event{Kind: lifecycle.EventNotifyChange, At: day("2025-09-01"), Actor: alpha.Name, Role: lifecycle.ActorOperator,
		Changes: []lifecycle.Change{{Kind: "new_site", Detail: "a cold store at the airport", Sites: []string{"S-9"}},
			{Kind: "new_directors", Detail: "a new managing director"}}}); err != nil {
		return err
	}
	fmt.Fprintf(w, "   Alpha notifies a new site and new directors on 2025-09-01; status %s; on the officer's queue:\n", h.h.State.Status)
	for _, it := range p.Lifecycle().Due(h.h.State, day("2025-09-15")) {
		if it.Kind != lifecycle.DueReassessment {
			continue
		}
		what := slices.Concat(it.Criteria, it.Requirements)
		fmt.Fprintf(w, "     reassess %-13s by %s (%s): %s\n", it.Change, it.Due.Format(time.DateOnly), it.Rule, strings.Join(what, ", "))
	}
	a, err := p.Assess(ctx, alpha, day("2025-09-20"))
	if err != nil {
		return err
	}
	ref := a.Ref()
	if err := h.apply(lifecycle.Event{Kind: lifecycle.EventReviewChange, At: day("2025-09-25"), Actor: "officer-a", Role: lifecycle.ActorOfficer,
		Changes: []lifecycle.Change{{Kind: "new_site"}}, Assessment: &ref}); err != nil {
		return err
	}
	fmt.Fprintf(w, "   The new site is reassessed on 2025-09-25; still open: %d (%s)\n", len(h.h.State.Changes), h.h.State.Changes[0].Kind)
	return nil
}

// fixtures runs the programme's fixture cases.
func fixtures(ctx context.Context, w io.Writer, p *aeo.Programme) error {
	data, err := files.ReadFile("fixtures.yaml")
	if err != nil {
		return err
	}
	fx, err := aeotest.ParseFixtures(files, "fixtures.yaml", data)
	if err != nil {
		return err
	}
	for _, c := range fx.Cases {
		if res := aeotest.RunCase(ctx, p, c); !res.Passed() {
			return fmt.Errorf("case %s differs from its fixture: %s%s", c.Name, res.Err, strings.Join(res.Lines(), "; "))
		}
	}
	fmt.Fprintf(w, "\nEvery case matches its fixture (%d cases).\n", len(fx.Cases))
	return nil
}
