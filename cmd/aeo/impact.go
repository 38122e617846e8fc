package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/internal/decode"
)

func cmdImpact(args []string, w io.Writer) error {
	fs := newFlags("impact", "OLD NEW")
	profiles := fs.String("profiles", "", "a directory of registered operators' profiles (*.yaml, *.json)")
	declarations := fs.String("declarations", "", "a file listing declarations with their operators' standing, to replay through both selectivity profiles")
	asOf := fs.String("as-of", "", "date the profiles are assessed as of, YYYY-MM-DD (default today)")
	format := fs.String("format", "text", "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want programmes OLD NEW, got %d arguments", len(pos))
	}
	if *profiles == "" && *declarations == "" {
		return usagef("give --profiles DIR (the operators to replay), --declarations FILE, or both")
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	date, err := dateOrToday(*asOf)
	if err != nil {
		return err
	}
	old, nw, err := loadTwo(w, pos[0], pos[1])
	if err != nil {
		return err
	}
	var profs []*aeo.Profile
	var changes []aeo.Change
	if *profiles != "" {
		if profs, err = loadProfiles(w, *profiles); err != nil {
			return err
		}
		if changes, err = aeo.Impact(context.Background(), old, nw, profs, date); err != nil {
			return err
		}
	}
	var cases []aeo.LaneCase
	var lanes []aeo.LaneChange
	if *declarations != "" {
		data, err := os.ReadFile(*declarations)
		if err != nil {
			return unwrapPath(err)
		}
		if _, err := decode.DecodeInto(*declarations, data, &cases); err != nil {
			printProblems(w, err)
			return errFailed
		}
		if lanes, err = aeo.LaneImpact(old, nw, cases); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Old          string           `json:"old"`
			New          string           `json:"new"`
			Profiles     int              `json:"profiles"`
			Changes      []aeo.Change     `json:"changes"`
			Declarations int              `json:"declarations"`
			Lanes        []aeo.LaneChange `json:"lanes"`
		}{old.Fingerprint(), nw.Fingerprint(), len(profs), changes, len(cases), lanes})
	}
	fmt.Fprintf(w, "old: %s %s (%s)\nnew: %s %s (%s)\n",
		old.Name(), old.Version(), old.Fingerprint(), nw.Name(), nw.Version(), nw.Fingerprint())
	if *profiles != "" {
		fmt.Fprintf(w, "%d profiles as of %s\n\n", len(profs), date.Format("2006-01-02"))
		for _, c := range changes {
			fmt.Fprintf(w, "%-20s %-13s %-10s %s -> %s\n", c.Profile, c.Kind, c.ID, c.Old, c.New)
		}
		fmt.Fprintf(w, "%d outcome(s) change\n", len(changes))
	}
	if *declarations != "" {
		fmt.Fprintf(w, "\n%d declarations replayed through both selectivity profiles\n", len(cases))
		for _, l := range lanes {
			fmt.Fprintf(w, "%-20s %s%s -> %s%s\n", l.Declaration, l.Old, ruleSuffix(l.OldRule), l.New, ruleSuffix(l.NewRule))
		}
		fmt.Fprintf(w, "%d lane(s) change\n", len(lanes))
	}
	return nil
}

func ruleSuffix(rule string) string {
	if rule == "" {
		return ""
	}
	return " (" + rule + ")"
}
