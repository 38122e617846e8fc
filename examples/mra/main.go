// Command mra shows mutual recognition of AEO programmes (SAFE Framework;
// WCO AEO Implementation Guidance, Annex 1: "look at how the programmes
// differ and ... how to make them compatible"):
//
//  1. the Republic of Example's programme (programme.yaml) is compared with
//     a partner's, Partnerland's, requirement by requirement, on sample
//     operator profiles (aeo.Compare): first Partnerland's 2024 programme,
//     which is not compatible, then its 2025 revision, which is; and the
//     other way round, as Partnerland would compare them;
//  2. once the arrangement is in force, Partnerland's AEOs are recognised
//     by the selectivity profile (selectivity.mra): the same declarations
//     go down lower lanes for a Partnerland AEO than for a non-member, and
//     a batch of declarations shows the rates;
//  3. and in the benefits (benefits.partners and the benefits marked mra):
//     a Partnerland AEO gets those extended under mutual recognition, a
//     non-member none.
//
// Lanes and benefits come from the programme's fixture cases
// (fixtures.yaml), so what it prints is what `go test` pins. Dates are
// fixed; nothing reads the clock.
//
//	go run ./examples/mra
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"math/rand/v2"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/risk"
)

//go:embed programme.yaml partner-2024.yaml partner-2025.yaml fixtures.yaml samples/*.yaml
var files embed.FS

// compareAsOf is the date the programmes are compared on, after
// Partnerland's 2025 revision took effect.
var compareAsOf = time.Date(2025, 5, 15, 0, 0, 0, 0, time.UTC)

// batchSize is the number of declarations each operator lodges in the
// batch that shows the rates.
const batchSize = 10000

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mra:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	ctx := context.Background()
	home, err := aeo.LoadFS(files, "programme.yaml")
	if err != nil {
		return err
	}
	p2024, err := aeo.LoadFS(files, "partner-2024.yaml")
	if err != nil {
		return err
	}
	p2025, err := aeo.LoadFS(files, "partner-2025.yaml")
	if err != nil {
		return err
	}
	samples, err := loadSamples()
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "%s %s and %s: mutual recognition\n\n", home.Name(), home.Version(), p2025.Name())
	fmt.Fprintf(w, "1. Requirement by requirement, on %d sample operators, as of %s\n", len(samples), compareAsOf.Format(time.DateOnly))
	for _, s := range samples {
		fmt.Fprintf(w, "   sample %s %s (%s)\n", s.OperatorID, s.Name, strings.Join(s.Roles, ", "))
	}
	for _, pair := range []struct{ a, b *aeo.Programme }{{home, p2024}, {home, p2025}, {p2025, home}} {
		c, err := aeo.Compare(ctx, pair.a, pair.b, samples, compareAsOf)
		if err != nil {
			return err
		}
		printComparison(w, c)
	}
	fmt.Fprintln(w, "\n   Each administration decides on its own side: the Republic can recognise Partnerland's 2025")
	fmt.Fprintln(w, "   programme, which asks as much or more everywhere; Partnerland finds the Republic's M.1 looser.")

	data, err := files.ReadFile("fixtures.yaml")
	if err != nil {
		return err
	}
	fx, err := aeotest.ParseFixtures(files, "fixtures.yaml", data)
	if err != nil {
		return err
	}
	var cases []aeotest.Case
	var results []aeotest.CaseResult
	for _, c := range fx.Cases {
		res := aeotest.RunCase(ctx, home, c)
		if !res.Passed() {
			return fmt.Errorf("case %s differs from its fixture: %s%s", c.Name, res.Err, strings.Join(res.Lines(), "; "))
		}
		cases, results = append(cases, c), append(results, res)
	}

	rec := home.File().Selectivity.MRA[0]
	fmt.Fprintf(w, "\n2. At the border: %s recognised from %s (%s)\n", rec.Programme, rec.From.Format(time.DateOnly), rec.Source)
	line := fmt.Sprintf("   %-12s %-8s %-6s", "declaration", "HS", "origin")
	for _, c := range cases {
		line += fmt.Sprintf(" %-24s", c.Name)
	}
	fmt.Fprintln(w, strings.TrimRight(line, " "))
	for i, dc := range cases[0].Declarations {
		d := dc.Declaration
		line := fmt.Sprintf("   %-12s %-8s %-6s", d.ID, d.HSCode, d.Origin)
		for _, res := range results {
			dec := res.Decisions[i]
			cell := dec.Lane.String()
			switch {
			case dec.From != risk.NoLane:
				cell += " (was " + dec.From.String() + ")"
			case dec.Cause == risk.ByRule:
				cell += " (" + dec.Rule + ")"
			case dec.Cause == risk.ByRandom:
				cell += " (random)"
			}
			line += fmt.Sprintf(" %-24s", cell)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}

	fmt.Fprintf(w, "\n   The same %d generated declarations of 2025-H2, lodged by each:\n", batchSize)
	fmt.Fprintf(w, "   %-28s %7s %7s %7s   %s\n", "", "red", "yellow", "green", "treatment")
	for _, c := range cases[:3] {
		op := risk.Operator{ID: "OP-" + c.Name, Status: c.Holder.Status, Types: c.Holder.Types, Partner: c.Holder.Partner}
		sum, err := home.Selector().SelectBatch(ctx, batch(op), 0)
		if err != nil {
			return err
		}
		var treat []string
		for _, g := range sum.Treatments {
			treat = append(treat, fmt.Sprintf("%s %d", g.Group, g.Total))
		}
		fmt.Fprintf(w, "   %-28s %6.2f%% %6.2f%% %6.2f%%   %s\n", c.Name,
			100*sum.Shares.Red, 100*sum.Shares.Yellow, 100*sum.Shares.Green, strings.Join(treat, ", "))
	}

	cat := home.Benefits()
	var partners []string
	for _, pt := range home.File().Benefits.Partners {
		s := pt.Programme
		if !pt.From.IsZero() {
			s += " from " + pt.From.Format(time.DateOnly)
		}
		partners = append(partners, s)
	}
	fmt.Fprintf(w, "\n3. Benefits as of %s (partners recognised: %s)\n", cases[0].AsOf.Format(time.DateOnly), strings.Join(partners, ", "))
	line = fmt.Sprintf("   %-40s %-4s", "benefit", "mra")
	for _, c := range cases[:3] {
		line += fmt.Sprintf(" %-13s", c.Name)
	}
	fmt.Fprintln(w, strings.TrimRight(line, " "))
	for _, b := range cat.Benefits() {
		mra := ""
		if b.MRA {
			mra = "yes"
		}
		line := fmt.Sprintf("   %-40s %-4s", b.ID, mra)
		for _, c := range cases[:3] {
			h := benefits.Holder{Operator: "OP-" + c.Name, Status: c.Holder.Status, Types: c.Holder.Types, Partner: c.Holder.Partner}
			e, err := cat.Decide(&h, b.ID, c.AsOf)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %-13s", e.Status)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	fmt.Fprintf(w, "\nEvery case matches its fixture (%d cases).\n", len(cases))
	return nil
}

// loadSamples reads the sample profiles, in file-name order.
func loadSamples() ([]*aeo.Profile, error) {
	names, err := fs.Glob(files, "samples/*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []*aeo.Profile
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		p, err := aeo.ParseProfile(n, data)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// printComparison prints the summary of a comparison and every match that
// is not the same.
func printComparison(w io.Writer, c *aeo.Comparison) {
	verdict := "not compatible"
	if c.Compatible {
		verdict = "compatible (each requirement of A has a match in B that is the same or stricter)"
	}
	fmt.Fprintf(w, "\n   A = %s, B = %s: %s\n", c.Programmes[0], c.Programmes[1], verdict)
	var counts []string
	for _, r := range []aeo.Relation{aeo.Same, aeo.Stricter, aeo.Looser, aeo.Different, aeo.Missing} {
		if n := c.Summary[string(r)]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", r, n))
		}
	}
	fmt.Fprintf(w, "     %s\n", strings.Join(counts, ", "))
	var viaMapsTo []string
	for _, m := range c.Matches {
		matched := strings.Join(m.Matches, ", ")
		switch {
		case m.Relation == aeo.Missing:
			fmt.Fprintf(w, "     %-9s %s\n", m.Requirement, m.Title)
			fmt.Fprintf(w, "     %-9s missing: %s\n", "", m.Reason)
		case m.Relation != aeo.Same:
			fmt.Fprintf(w, "     %-9s %s\n", m.Requirement, m.Title)
			fmt.Fprintf(w, "     %-9s B's %s is %s: %s\n", "", matched, m.Relation, m.Reason)
		case len(m.Matches) != 1 || m.Matches[0] != m.Requirement:
			viaMapsTo = append(viaMapsTo, m.Requirement+" = "+matched)
		}
	}
	if len(viaMapsTo) > 0 {
		fmt.Fprintf(w, "     matched through maps_to, and the same: %s\n", strings.Join(viaMapsTo, "; "))
	}
}

// batch yields batchSize import declarations of the second half of 2025,
// all lodged for op: the same declarations, with the same IDs and so the
// same random draws, whoever op is. The mix of goods is illustrative.
func batch(op risk.Operator) iter.Seq[risk.Entry] {
	goods := []struct {
		hs     string
		origin string
		perKg  float64 // typical value per kg
	}{
		{"847130", "CN", 120}, {"851712", "CN", 300}, {"620342", "BD", 20}, {"640399", "VN", 25},
		{"220421", "FR", 5}, {"240220", "TR", 40}, {"940360", "VN", 3}, {"870323", "DE", 15},
		{"300490", "IN", 80}, {"930200", "US", 60}, {"392690", "CN", 4}, {"080810", "ZA", 1.2},
	}
	weights := []int{14, 12, 10, 8, 6, 3, 9, 6, 6, 1, 15, 10}
	return func(yield func(risk.Entry) bool) {
		r := rand.New(rand.NewPCG(2025, 7))
		start := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
		total := 0
		for _, wt := range weights {
			total += wt
		}
		for i := range batchSize {
			k, n := 0, r.IntN(total)
			for n >= weights[k] {
				n -= weights[k]
				k++
			}
			g := goods[k]
			mass := 50 + r.Float64()*4000
			// A tenth of the declarations are undervalued: a third of the
			// usual value per kg.
			perKg := g.perKg * (0.7 + 0.6*r.Float64())
			if r.IntN(10) == 0 {
				perKg /= 3
			}
			d := risk.Declaration{
				ID:        fmt.Sprintf("25XXB%06d", i+1),
				Date:      start.AddDate(0, 0, r.IntN(184)),
				Office:    "XXPRT",
				Direction: "import",
				HSCode:    g.hs,
				Origin:    g.origin,
				Value:     mass * perKg,
				GrossMass: mass,
				Operator:  op.ID,
			}
			if !yield(risk.Entry{Declaration: d, Operator: op}) {
				return
			}
		}
	}
}
