// Command ecommerce shows an AEO programme opened to e-commerce
// stakeholders, after the WCO note on applying the AEO concept to
// cross-border e-commerce (sections IV to VIII):
//
//   - a domestic fulfilment centre (business model 4-3) applying as the
//     local representative of a marketplace, with the foreign vendors it
//     serves registered as its supply-chain partners (partnership option 1);
//   - e-commerce requirements limited by business model, beside the 13
//     SAFE criteria of the baseline the programme extends;
//   - online application and validation, with the report of a designated
//     third-party validator accepted by Customs, and an applicant's right to
//     ask Customs to validate instead;
//   - monitoring between validations by periodical self-assessment and
//     random spot checks, planned as the operator's plan of treatment;
//   - the operator-specific e-commerce benefits A–M and their status;
//   - an e-commerce platform of model 3 applying beside it.
//
// The walk-through is driven by the programme's fixture cases
// (fixtures.yaml), so what it prints is what `go test` pins. Dates are
// fixed; nothing reads the clock.
//
//	go run ./examples/ecommerce
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
)

//go:embed programme.yaml fixtures.yaml profiles/*.yaml
var files embed.FS

// The dates the walk-through reports on, after the lifecycle events of
// the fixtures: the benefits half a year after the grant, the plan of
// treatment on the day of the grant.
var (
	benefitsAsOf = time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC)
	planAsOf     = time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
)

// monitoringHours is the staff time a year Customs gives to monitoring
// one e-commerce AEO between validations: the budget of its plan of
// treatment.
const monitoringHours = 40

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ecommerce:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx := context.Background()
	src, err := files.ReadFile("programme.yaml")
	if err != nil {
		return err
	}
	p, err := aeo.Parse("programme.yaml", src)
	if err != nil {
		return err
	}
	data, err := files.ReadFile("fixtures.yaml")
	if err != nil {
		return err
	}
	fx, err := aeotest.ParseFixtures(files, "fixtures.yaml", data)
	if err != nil {
		return err
	}
	results := map[string]caseRun{}
	for _, c := range fx.Cases {
		res := aeotest.RunCase(ctx, p, c)
		if !res.Passed() {
			return fmt.Errorf("case %s differs from its fixture: %s%s", c.Name, res.Err, strings.Join(res.Lines(), "; "))
		}
		prof, err := c.OperatorProfile()
		if err != nil {
			return err
		}
		results[c.Name] = caseRun{c: c, res: res, prof: prof}
	}

	m := p.Meta()
	fmt.Fprintf(w, "%s, version %s\n", m.Name, m.Version)
	fmt.Fprintf(w, "Extends the SAFE baseline: %d requirements in %d criteria. E-commerce requirements, by business model:\n",
		p.NumRequirements(), len(p.File().Criteria))
	for _, r := range p.File().Requirements {
		if strings.HasPrefix(r.ID, "EC.") {
			fmt.Fprintf(w, "  %-5s %s  %-19s %s\n", r.ID, r.Criterion, strings.Join(r.BusinessModels, " "), r.Title)
		}
	}

	fc := results["fulfilment_centre_option_1"]
	fmt.Fprintf(w, "\n1. %s: fulfilment centre, business model %s\n", fc.prof.Name, fc.prof.BusinessModel)
	fmt.Fprintf(w, "   Applies as the representative of %v (partnership option 1). Registered foreign vendors:\n", fc.prof.Facts["represented_platform"])
	for _, pt := range fc.prof.Partners {
		if pt.Role == "vendor" {
			fmt.Fprintf(w, "     %-32s %s  reviewed %-5t security clause %t\n", pt.Name, pt.Country, pt.Reviewed, pt.SecurityClause)
		}
	}
	printAssessment(w, fc.res.Assessment)
	printSteps(w, fc)

	auth, err := p.Lifecycle().Replay(fc.res.Records)
	if err != nil {
		return err
	}
	rm, err := p.MapRisk(ctx, fc.prof, fc.res.Assessment)
	if err != nil {
		return err
	}
	plan := p.Risk().Plan(rm.Risks, monitoringHours, planAsOf)
	fmt.Fprintf(w, "\n   Monitoring between validations: risk level %s (score %.1f); plan of treatment within %d staff hours a year:\n",
		rm.Level, rm.Score, monitoringHours)
	for _, r := range rm.Risks {
		fmt.Fprintf(w, "     risk    %-10s %-7s %s\n", r.ID, r.Rating, strings.Join(r.Causes, ", "))
	}
	for _, c := range plan.Controls {
		fmt.Fprintf(w, "     control %-10s %-22s %g x %gh = %gh a year, covers %s (%s)\n",
			c.ID, c.Kind, c.Frequency, c.Hours, c.YearlyHours, strings.Join(c.Risks, ", "), c.Owner)
	}
	for _, u := range plan.Uncovered {
		fmt.Fprintf(w, "     uncovered %s: %s\n", u.Risk, u.Reason)
	}
	fmt.Fprintf(w, "     %g of %g hours used; method changed from %s, plan redrawn by %s\n",
		plan.Hours, plan.Budget, plan.ChangeMethod.Format(time.DateOnly), plan.Reanalyse.Format(time.DateOnly))

	h := aeo.Holder(fc.prof, auth, benefitsAsOf)
	h.RiskLevel = rm.Level
	fmt.Fprintf(w, "\n   E-commerce benefits A–M as of %s (status %s, types %s):\n", benefitsAsOf.Format(time.DateOnly), h.Status, strings.Join(h.Types, ", "))
	printBenefits(w, p.Benefits().Eligible(&h, benefitsAsOf))

	pf := results["platform_model_3"]
	fmt.Fprintf(w, "\n2. %s: e-commerce platform, business model %s\n", pf.prof.Name, pf.prof.BusinessModel)
	printAssessment(w, pf.res.Assessment)
	printSteps(w, pf)
	pauth, err := p.Lifecycle().Replay(pf.res.Records)
	if err != nil {
		return err
	}
	ph := aeo.Holder(pf.prof, pauth, benefitsAsOf)
	var granted []string
	for _, e := range p.Benefits().Eligible(&ph, benefitsAsOf) {
		if e.Status == benefits.Granted {
			granted = append(granted, e.Benefit+" ("+e.Reason+")")
		}
	}
	fmt.Fprintf(w, "\n   As an applicant (status %s) on %s it is granted: %s\n", ph.Status, benefitsAsOf.Format(time.DateOnly), strings.Join(granted, "; "))

	fmt.Fprintf(w, "\n3. Other cases of the fixtures\n")
	for _, c := range fx.Cases {
		switch c.Name {
		case "fulfilment_centre_option_1", "fulfilment_centre_benefits", "platform_model_3":
			continue
		}
		r := results[c.Name]
		au, _ := r.res.Assessment.Authorization("AEO")
		fmt.Fprintf(w, "   %s: AEO %s", c.Name, au.Recommendation)
		var notes []string
		for _, f := range r.res.Assessment.Findings {
			if _, pinned := c.Expect.Requirements[f.Requirement]; pinned && f.Outcome != criteria.Met {
				notes = append(notes, f.Requirement+" "+f.Outcome.String())
			}
		}
		if len(notes) > 0 {
			fmt.Fprintf(w, "; %s", strings.Join(notes, ", "))
		}
		if r.res.Risk != nil {
			fmt.Fprintf(w, "; risk level %s", r.res.Risk.Level)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nEvery case matches its fixture (%d cases). Customs keeps the final authority: the engine recommends.\n", len(fx.Cases))
	return nil
}

// caseRun is a fixture case, its result and its profile.
type caseRun struct {
	c    aeotest.Case
	res  aeotest.CaseResult
	prof *aeo.Profile
}

// printAssessment prints the e-commerce findings and the recommendation.
func printAssessment(w io.Writer, a *aeo.Assessment) {
	fmt.Fprintf(w, "   Assessed as of %s:\n", a.AsOf.Format(time.DateOnly))
	for _, f := range a.Findings {
		if !strings.HasPrefix(f.Requirement, "EC.") {
			continue
		}
		line := fmt.Sprintf("     %-5s %-15s", f.Requirement, f.Outcome)
		if f.Outcome != criteria.Met {
			line += " " + f.Reason
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	for _, au := range a.Authorizations {
		fmt.Fprintf(w, "   Recommendation on %s: %s\n", au.ID, au.Recommendation)
	}
}

// printSteps prints the lifecycle events of a case as they were applied
// or refused.
func printSteps(w io.Writer, r caseRun) {
	fmt.Fprintln(w, "   Lifecycle:")
	for i, st := range r.res.Steps {
		ev := r.c.Lifecycle[i].Event
		outcome := st.From.String() + " -> " + st.To.String()
		if st.Refused != "" {
			outcome = "refused by rule " + st.Refused
		}
		fmt.Fprintf(w, "     %s  %-26s %s (%s)\n", ev.At.Format(time.DateOnly), ev.Kind, outcome, ev.Actor)
		if v := ev.Validation; v != nil {
			line := v.Method.String() + " report"
			if v.Validator != "" {
				line += " of " + v.Validator
			}
			if v.Satisfied {
				line += ": satisfied"
			}
			fmt.Fprintf(w, "%17s%s\n", "", line)
		}
		for _, t := range append(append([]string(nil), ev.Reasons...), ev.Evidence...) {
			fmt.Fprintf(w, "%17s%s\n", "", t)
		}
	}
}

// printBenefits prints entitlements, with the reason for those not granted.
func printBenefits(w io.Writer, ents []benefits.Entitlement) {
	for _, e := range ents {
		line := fmt.Sprintf("     %-7s %-19s %s", e.Benefit, e.Status, e.Title)
		if e.Status != benefits.Granted {
			line += " (" + e.Reason + ")"
		}
		fmt.Fprintln(w, line)
	}
}
