package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/safe-aeo/engine/aeo"
)

func cmdAssess(args []string, w io.Writer) error {
	fs := newFlags("assess", "PROGRAMME PROFILE")
	asOf := fs.String("as-of", "", "assessment date, YYYY-MM-DD (default today; the report states it)")
	view := fs.String("view", "internal", "internal (officers) or operator (what the applicant may see)")
	format := fs.String("format", "text", "text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want PROGRAMME PROFILE, got %d arguments", len(pos))
	}
	date, err := dateOrToday(*asOf)
	if err != nil {
		return err
	}
	if err := oneOf("view", *view, "internal", "operator"); err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	p, err := aeo.Load(pos[0])
	if err != nil {
		printProblems(w, err)
		return errFailed
	}
	prof, err := aeo.LoadProfile(pos[1])
	if err != nil {
		printProblems(w, err)
		return errFailed
	}
	a, err := p.Assess(context.Background(), prof, date)
	if err != nil {
		return err
	}
	if *view == "operator" {
		a = a.OperatorView()
	}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	}
	return a.WriteText(w)
}
