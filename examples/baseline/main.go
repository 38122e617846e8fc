// Command baseline is the main job of the reference implementation. It
// loads the built-in SAFE Annex IV baseline (with the illustrative
// national choices of programme.yaml for what SAFE leaves to national
// law), then, as the WCO AEO Implementation Guidance describes:
//
//  1. assesses a handful of contrasting applicants and prints each
//     explanation as an officer reads it (vetting and validation);
//  2. maps each applicant's risk over the guidance's five dimensions and
//     draws up the plan of treatment for the remaining risks (Annex 3);
//  3. takes the compliant importer through the lifecycle: application,
//     acceptance, validation of its sites, a grant refused because one
//     officer acted alone, the grant with a second officer (four eyes),
//     and verifies the hash-chained audit trail by replaying it;
//  4. lists the benefits the new AEO is entitled to, and shows how its
//     status changes the lanes of its declarations.
//
// "AEO status should never be given automatically": the engine
// recommends, the officers decide, and every step is recorded.
//
//	go run ./examples/baseline
//	go run ./examples/baseline -as-of 2025-06-30 -view operator
//	go run ./examples/baseline -format json
package main

import (
	"context"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
)

//go:embed programme.yaml applicants/*.yaml
var files embed.FS

// budgetHours is the staff time a year the control programme of one
// operator may take.
const budgetHours = 60

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

type applicant struct {
	Assessment *aeo.Assessment     `json:"assessment"`
	Risk       *risk.Map           `json:"risk,omitempty"`
	Treatment  *risk.TreatmentPlan `json:"treatment,omitempty"`
}

type output struct {
	Programme   string                 `json:"programme"`
	Fingerprint string                 `json:"fingerprint"`
	Applicants  []applicant            `json:"applicants"`
	Records     []lifecycle.Record     `json:"records,omitempty"`
	Benefits    []benefits.Entitlement `json:"benefits,omitempty"`
	Lanes       []risk.Decision        `json:"lanes,omitempty"`
}

func run(w io.Writer, args []string) error {
	fl := flag.NewFlagSet("baseline", flag.ContinueOnError)
	asOfFlag := fl.String("as-of", "2025-03-31", "assessment date (YYYY-MM-DD)")
	view := fl.String("view", "internal", "internal (officers) or operator (what the applicant may see)")
	format := fl.String("format", "text", "text or json")
	if err := fl.Parse(args); err != nil {
		return err
	}
	asOf, err := time.Parse(time.DateOnly, *asOfFlag)
	if err != nil {
		return fmt.Errorf("-as-of: %w", err)
	}
	if *view != "internal" && *view != "operator" {
		return fmt.Errorf("-view must be internal or operator, not %q", *view)
	}
	if *format != "text" && *format != "json" {
		return fmt.Errorf("-format must be text or json, not %q", *format)
	}
	src, err := files.ReadFile("programme.yaml")
	if err != nil {
		return err
	}
	p, err := aeo.Parse("programme.yaml", src)
	if err != nil {
		return err
	}
	names, err := fs.Glob(files, "applicants/*.yaml")
	if err != nil {
		return err
	}
	sort.Strings(names)
	out := output{Programme: p.Name() + " " + p.Version(), Fingerprint: p.Fingerprint()}
	text := *format == "text"
	if text {
		fmt.Fprintf(w, "%s, version %s: %d requirements over %d criteria, extending the SAFE baseline\n",
			p.Name(), p.Version(), p.NumRequirements(), len(p.File().Criteria))
	}

	// 1 and 2: assess every applicant, map its risk, plan its treatment.
	var profiles []*aeo.Profile
	var assessments []*aeo.Assessment
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		prof, err := aeo.ParseProfile(path.Base(name), data)
		if err != nil {
			return err
		}
		a, err := p.Assess(context.Background(), prof, asOf)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		profiles, assessments = append(profiles, prof), append(assessments, a)
		shown := a
		if *view == "operator" {
			shown = a.OperatorView()
		}
		ap := applicant{Assessment: shown}
		if *view == "internal" {
			m, err := p.MapRisk(context.Background(), prof, a)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			plan := p.Risk().Plan(m.Risks, budgetHours, asOf)
			ap.Risk, ap.Treatment = &m, &plan
		}
		out.Applicants = append(out.Applicants, ap)
		if !text {
			continue
		}
		fmt.Fprintln(w, "\n================================================================================")
		if err := shown.WriteText(w); err != nil {
			return err
		}
		if ap.Risk != nil {
			writeRisk(w, *ap.Risk, *ap.Treatment)
		}
	}
	if *view == "operator" {
		if text {
			return nil
		}
		return writeJSON(w, out)
	}

	// 3: the compliant importer through the lifecycle.
	prof, a := profiles[0], assessments[0]
	auth, records, err := authorize(w, p, prof, a, asOf, text)
	if err != nil {
		return err
	}
	out.Records = records

	// 4: benefits and lanes once the authorization is in effect.
	inForce := auth.EffectiveAt
	h := aeo.Holder(prof, auth, inForce)
	if m := out.Applicants[0].Risk; m != nil {
		h.RiskLevel = m.Level
	}
	for _, e := range p.Benefits().Eligible(&h, inForce) {
		if e.Status == benefits.Granted {
			out.Benefits = append(out.Benefits, e)
		}
	}
	if text {
		fmt.Fprintf(w, "\nBenefits of %s as of %s (%d granted):\n", prof.Name, inForce.Format(time.DateOnly), len(out.Benefits))
		for _, e := range out.Benefits {
			fmt.Fprintf(w, "  %-42s %s\n", e.Benefit, e.Title)
		}
	}
	decls := []risk.Declaration{
		{ID: "XX25IM0000001", Date: inForce, HSCode: "220830", Origin: "GB", Value: 42000, Procedure: "4000"},
		{ID: "XX25IM0000002", Date: inForce, HSCode: "930190", Origin: "US", Value: 9000, Procedure: "4000"},
		{ID: "XX25IM0000003", Date: inForce, HSCode: "851712", Origin: "CN", Value: 610000, Procedure: "4000"},
		{ID: "XX25IM0000004", Date: inForce, HSCode: "610910", Origin: "BD", Value: 18000, Procedure: "5100"},
	}
	before := aeo.Operator(prof.OperatorID, lifecycle.Authorization{}, inForce)
	after := aeo.Operator(prof.OperatorID, auth, inForce)
	if text {
		fmt.Fprintf(w, "\nLanes of its declarations, without and with AEO status:\n")
	}
	for i := range decls {
		d := decls[i]
		d.Operator = prof.OperatorID
		without := p.Selector().Select(&d, &before)
		with := p.Selector().Select(&d, &after)
		out.Lanes = append(out.Lanes, with)
		if text {
			fmt.Fprintf(w, "  %s  HS %s from %s, value %-7.0f  %-6s -> %-6s %s\n", d.ID, d.HSCode, d.Origin, d.Value,
				without.Lane, with.Lane, laneWhy(with))
		}
	}
	if !text {
		return writeJSON(w, out)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func laneWhy(d risk.Decision) string {
	var parts []string
	parts = append(parts, d.Cause.String())
	if d.Rule != "" {
		parts = append(parts, "rule "+d.Rule)
	}
	if d.Treatment != "" {
		parts = append(parts, "treatment "+d.Treatment)
	}
	if d.From != risk.NoLane {
		parts = append(parts, "downgraded from "+d.From.String())
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func writeRisk(w io.Writer, m risk.Map, plan risk.TreatmentPlan) {
	prov := ""
	if m.Provisional {
		prov = fmt.Sprintf(", provisional: %.0f%% of the weight scored", 100*m.Coverage)
	}
	fmt.Fprintf(w, "\nRisk map: score %.1f, level %s%s\n", m.Score, orNone(m.Level), prov)
	for _, c := range m.Contributions {
		fmt.Fprintf(w, "  %-12s %-13s %5.1f x %.2f\n", c.Dimension, c.Status, c.Score, c.Weight)
	}
	for _, r := range m.Risks {
		fmt.Fprintf(w, "  risk %-10s %-7s (%s x %s) from %s\n", r.ID, r.Rating, r.Likelihood, r.Consequence, strings.Join(r.Causes, ", "))
	}
	if len(m.Risks) == 0 {
		return
	}
	fmt.Fprintf(w, "Plan of treatment within %.0f staff hours a year (%.0f used", plan.Budget, plan.Hours)
	if plan.Exact {
		fmt.Fprint(w, ", proven best")
	}
	fmt.Fprintln(w, "):")
	for _, c := range plan.Controls {
		fmt.Fprintf(w, "  %-16s %-22s %3.0f h x %2.0f a year, by %s, covers %s\n", c.ID, c.Kind, c.Hours, c.Frequency, c.Owner, strings.Join(c.Risks, ", "))
	}
	for _, u := range plan.Uncovered {
		fmt.Fprintf(w, "  uncovered: %s (%s)\n", u.Risk, u.Reason)
	}
	if !plan.ChangeMethod.IsZero() {
		fmt.Fprintf(w, "  change the control method by %s; re-analyse by %s\n", plan.ChangeMethod.Format(time.DateOnly), plan.Reanalyse.Format(time.DateOnly))
	}
	for _, p := range plan.DateProblems {
		fmt.Fprintf(w, "  check the date: %s\n", p)
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// authorize takes an applicant from application to authorization, with
// the four-eyes rule refusing a grant by one officer alone, and verifies
// the audit trail.
func authorize(w io.Writer, p *aeo.Programme, prof *aeo.Profile, a *aeo.Assessment, asOf time.Time, text bool) (lifecycle.Authorization, []lifecycle.Record, error) {
	lc := p.Lifecycle()
	day := func(days int) time.Time { return asOf.AddDate(0, 0, days) }
	var sites []string
	for _, s := range prof.Sites {
		sites = append(sites, s.ID)
	}
	ref := a.Ref()
	steps := []lifecycle.Event{
		{Kind: lifecycle.EventLodge, At: day(1), Actor: prof.Name, Role: lifecycle.ActorOperator, Types: []string{"AEO"}, Sites: sites},
		{Kind: lifecycle.EventAccept, At: day(8), Actor: "officer Amara", Role: lifecycle.ActorOfficer},
		{Kind: lifecycle.EventAssignCoordinator, At: day(8), Actor: "officer Amara", Role: lifecycle.ActorOfficer, Coordinator: "officer Chen"},
		{Kind: lifecycle.EventValidate, At: day(40), Actor: "officer Amara", Role: lifecycle.ActorOfficer, Sites: sites,
			Validation: &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true}, Evidence: []string{"visit report V-2025-031"}},
		{Kind: lifecycle.EventGrant, At: day(55), Actor: "officer Amara", Role: lifecycle.ActorOfficer, Types: []string{"AEO"},
			Reasons: []string{"every criterion met; see assessment"}, Assessment: &ref},
		{Kind: lifecycle.EventGrant, At: day(55), Actor: "officer Amara", Approver: "officer Okafor", Role: lifecycle.ActorOfficer, Types: []string{"AEO"},
			Reasons: []string{"every criterion met; see assessment"}, Assessment: &ref},
	}
	if text {
		fmt.Fprintf(w, "\n================================================================================\n")
		fmt.Fprintf(w, "Lifecycle of %s under %s\n", prof.Name, p.Name())
	}
	var auth lifecycle.Authorization
	var records []lifecycle.Record
	for _, ev := range steps {
		next, rec, err := lc.Apply(auth, ev)
		if err != nil {
			if text {
				fmt.Fprintf(w, "  %s %-20s refused: %v\n", ev.At.Format(time.DateOnly), ev.Kind, err)
			}
			continue
		}
		auth, records = next, append(records, rec)
		if text {
			fmt.Fprintf(w, "  %s %-20s -> %s\n", ev.At.Format(time.DateOnly), ev.Kind, auth.Status)
		}
	}
	if auth.Status != lifecycle.StatusAuthorized {
		return auth, records, fmt.Errorf("the importer was not authorized: %s", auth.Status)
	}
	if err := lifecycle.Trail(records).VerifyHead(auth.Head); err != nil {
		return auth, records, err
	}
	replayed, err := lc.Replay(records)
	if err != nil {
		return auth, records, err
	}
	if replayed.Head != auth.Head || replayed.Status != auth.Status {
		return auth, records, fmt.Errorf("replay differs from the live state")
	}
	if text {
		fmt.Fprintf(w, "  in effect from %s; revalidation due %s\n", auth.EffectiveAt.Format(time.DateOnly), auth.RevalidationDue.Format(time.DateOnly))
		fmt.Fprintf(w, "  audit trail: %d records, hash chain verified, replay equals the live state\n", len(records))
		for _, d := range lc.Due(auth, auth.EffectiveAt) {
			fmt.Fprintf(w, "  due: %s by %s\n", d.Kind, d.Due.Format(time.DateOnly))
		}
	}
	return auth, records, nil
}
