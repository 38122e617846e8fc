// Package casebook runs a national programme's fixture cases as a
// walk-through: for each applicant it prints the national outcome per
// authorization type and why, so that each reference programme is one
// `go run` away.
package casebook

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/criteria"
)

// Run loads programme.yaml and fixtures.yaml from fsys, assesses every case
// and prints what the programme recommends for each applicant. It returns
// an error if a case's outcome differs from what its fixture pins.
func Run(w io.Writer, fsys fs.FS) error {
	src, err := fs.ReadFile(fsys, "programme.yaml")
	if err != nil {
		return err
	}
	p, err := aeo.Parse("programme.yaml", src)
	if err != nil {
		return err
	}
	data, err := fs.ReadFile(fsys, "fixtures.yaml")
	if err != nil {
		return err
	}
	fx, err := aeotest.ParseFixtures(fsys, "fixtures.yaml", data)
	if err != nil {
		return err
	}
	m := p.Meta()
	fmt.Fprintf(w, "%s (%s), version %s\n", m.Name, m.Country, m.Version)
	fmt.Fprintf(w, "%d requirements in %d criteria; authorizations:", p.NumRequirements(), len(p.File().Criteria))
	for _, a := range p.File().Authorizations {
		fmt.Fprintf(w, " %s", a.ID)
	}
	fmt.Fprintf(w, "\nfingerprint %s\n", p.Fingerprint())
	failed := 0
	for _, c := range fx.Cases {
		res := aeotest.RunCase(context.Background(), p, c)
		if res.Err != "" {
			return fmt.Errorf("case %s: %s", c.Name, res.Err)
		}
		a := res.Assessment
		fmt.Fprintf(w, "\n%s, as of %s\n", c.Name, c.AsOf.Format("2006-01-02"))
		if c.Description != "" {
			fmt.Fprintf(w, "  %s\n", wrap(strings.TrimSpace(c.Description), 76, "  "))
		}
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for _, au := range a.Authorizations {
			out := au.Recommendation.String()
			if au.Grade != "" {
				out += " " + au.Grade
			}
			var why []string
			if w := au.Why(); w != "" {
				why = append(why, w)
			}
			if au.Tally.Points != 0 {
				why = append(why, fmt.Sprintf("%+g points", au.Tally.Points))
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", au.ID, out, strings.Join(why, "; "))
		}
		_ = tw.Flush()
		for _, f := range a.Findings {
			if f.Outcome == criteria.NotMet || f.Outcome == criteria.Partly {
				fmt.Fprintf(w, "    %s %s: %s\n", f.Requirement, f.Title, f.Outcome)
			}
		}
		applied := 0
		for i, st := range res.Steps {
			ev := c.Lifecycle[i].Event
			if st.Refused != "" {
				fmt.Fprintf(w, "  %s %-10s refused by rule %s\n", ev.At.Format("2006-01-02"), st.Event, st.Refused)
				continue
			}
			if !c.Lifecycle[i].Checked() {
				fmt.Fprintf(w, "  %s %-10s %s -> %s\n", ev.At.Format("2006-01-02"), st.Event, st.From, st.To)
				applied++
				continue
			}
			applied++
			fmt.Fprintf(w, "  %s %-10s %s -> %s", ev.At.Format("2006-01-02"), st.Event, st.From, st.To)
			if ev.Criterion != "" {
				fmt.Fprintf(w, " (criterion %s)", ev.Criterion)
			}
			// The state after this step, rebuilt from the audit trail so
			// far, says which types are in force.
			if state, err := p.Lifecycle().Replay(res.Records[:applied]); err == nil && len(state.Types) > 0 {
				from := ev.At
				if state.EffectiveAt.After(from) {
					from = state.EffectiveAt // a grant takes effect later (DA Art 29)
				}
				fmt.Fprintf(w, ", in force from %s: [%s]", from.Format("2006-01-02"), strings.Join(state.ActiveTypes(from), " "))
			}
			fmt.Fprintln(w)
			printDates(w, c.Lifecycle[i])
		}
		if !res.Passed() {
			failed++
			for _, mm := range res.Mismatches {
				fmt.Fprintf(w, "  FIXTURE MISMATCH: %s\n", mm)
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d case(s) differ from their fixtures", failed)
	}
	return nil
}

func wrap(s string, width int, indent string) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(s) {
		if i > 0 && n+1+len(word) > width {
			b.WriteString("\n" + indent)
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

// printDates prints the dates a step states and the items of Due it
// expects, which the fixture checked.
func printDates(w io.Writer, st aeotest.Step) {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(st.Dates)) {
		parts = append(parts, k+" "+st.Dates[k].String())
	}
	for _, k := range slices.Sorted(maps.Keys(st.Due)) {
		parts = append(parts, "due "+k+" "+st.Due[k].String())
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "      %s\n", wrap(strings.Join(parts, "; "), 72, "      "))
	}
}
