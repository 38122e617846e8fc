package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/diag"
)

func cmdCompare(args []string, w io.Writer) error {
	fs := newFlags("compare", "A B",
		"Requirements match by ID or by the SAFE items they map to (maps_to). An identical",
		"rule is the same; otherwise, given --profiles, each pair is related on the samples,",
		"and without samples by rule text and level.")
	profiles := fs.String("profiles", "", "a `DIR` of sample profiles (*.yaml, *.json) to relate the requirements on")
	asOf := asOfFlag(fs, "the samples are assessed")
	format := formatFlag(fs, "text", "json")
	root := rootFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want programmes A B, got %d arguments", len(pos))
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	date, err := dateOrToday(*asOf)
	if err != nil {
		return err
	}
	a, errA := loadProgramme(pos[0], *root)
	b, errB := loadProgramme(pos[1], *root)
	if errA != nil || errB != nil {
		var all diag.List
		for _, e := range []error{errA, errB} {
			if e != nil {
				all = append(all, problems(e)...)
			}
		}
		return loadFailed(all)
	}
	var samples []*aeo.Profile
	if *profiles != "" {
		if samples, err = loadProfiles(w, *profiles); err != nil {
			return err
		}
	}
	c, err := aeo.Compare(context.Background(), a, b, samples, date)
	var pe *aeo.ProfileError
	if errors.As(err, &pe) {
		return loadFailed(err)
	}
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	fmt.Fprintf(w, "A: %s\nB: %s\n", c.Programmes[0], c.Programmes[1])
	if c.Samples > 0 {
		fmt.Fprintf(w, "related on %d sample profiles as of %s\n", c.Samples, date.Format("2006-01-02"))
	} else {
		fmt.Fprintln(w, "related by rule text and level (give --profiles to relate them on samples)")
	}
	fmt.Fprintln(w)
	for _, m := range c.Matches {
		match := strings.Join(m.Matches, ", ")
		if match == "" {
			match = "-"
		}
		reason := m.Reason
		if m.Samples != "" {
			reason += "; " + m.Samples
		}
		if len(m.Disagree) > 0 {
			reason += " (" + strings.Join(m.Disagree, ", ") + ")"
		}
		fmt.Fprintf(w, "%-10s %-9s %-14s %s\n", m.Requirement, m.Relation, match, reason)
	}
	var parts []string
	for _, r := range []aeo.Relation{aeo.Same, aeo.Stricter, aeo.Looser, aeo.Different, aeo.Missing} {
		parts = append(parts, fmt.Sprintf("%d %s", c.Summary[string(r)], r))
	}
	verdict := "not compatible: A cannot recognise B's operators without further requirements"
	if c.Compatible {
		verdict = "compatible: every requirement of A is matched in B by one as strict or stricter"
	}
	fmt.Fprintf(w, "\n%s\n%s\n", strings.Join(parts, ", "), verdict)
	for _, f := range c.Ignored {
		at := f.Operator
		if f.File != "" {
			at = fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
		}
		fmt.Fprintf(w, "note: %s: fact %q: %s by %s, which assessed the sample without it\n", at, f.Fact, f.Problem, f.Programme)
	}
	return nil
}

// loadProfiles reads every *.yaml, *.yml and *.json profile in dir, in
// name order.
func loadProfiles(w io.Writer, dir string) ([]*aeo.Profile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, loadFailed(err)
	}
	var names []string
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".yaml", ".yml", ".json":
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, loadFailed(fmt.Errorf("%s: no profiles (*.yaml, *.json)", dir))
	}
	var out []*aeo.Profile
	var bad diag.List
	for _, n := range names {
		p, err := aeo.LoadProfile(filepath.Join(dir, n))
		if err != nil {
			bad = append(bad, problems(err)...)
			continue
		}
		out = append(out, p)
	}
	if len(bad) > 0 {
		return nil, loadFailed(bad)
	}
	return out, nil
}
