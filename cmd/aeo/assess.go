package main

import (
	"context"
	"errors"
	"io"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/diag"
)

func cmdAssess(args []string, w io.Writer) error {
	fs := newFlags("assess", "PROGRAMME PROFILE",
		"Prints every finding with the facts it read, each criterion, and the recommendation",
		"on each authorization type. The engine recommends; Customs decides. With --format html,",
		"writes the internal dossier, or with --view operator the letter to the operator, as a page.")
	asOf := asOfFlag(fs, "the profile is assessed")
	view := fs.String("view", "internal", "`VIEW`: internal (what officers see) or operator (what the applicant may see)")
	format := formatFlag(fs, "text", "json", "html")
	lang := langFlag(fs)
	budget := budgetFlag(fs)
	root := rootFlag(fs)
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
	if err := oneOf("format", *format, "text", "json", "html"); err != nil {
		return err
	}
	// loadErr keeps JSON output valid when an input does not load.
	loadErr := func(err error) error {
		if *format == "json" {
			if werr := writeJSON(w, errorReport{Errors: problems(err)}); werr != nil {
				return werr
			}
		}
		return loadFailed(err)
	}
	p, errP := loadProgramme(pos[0], *root)
	prof, errF := aeo.LoadProfile(pos[1])
	if errP != nil || errF != nil {
		var all diag.List
		for _, e := range []error{errP, errF} {
			if e != nil {
				all = append(all, problems(e)...)
			}
		}
		return loadErr(all)
	}
	a, err := p.Assess(context.Background(), prof, date)
	var pe *aeo.ProfileError
	if errors.As(err, &pe) {
		return loadErr(err)
	}
	if err != nil {
		return err
	}
	if *format == "html" {
		return writeAssessmentHTML(w, p, prof, a, *view, *lang, *budget)
	}
	if *view == "operator" {
		a = p.OperatorView(a, langPrefs(*lang)...)
	}
	if *format == "json" {
		return writeJSON(w, a)
	}
	return a.WriteText(w)
}

// errorReport is the JSON a command writes when its inputs do not load,
// so that a tool reading its output always gets JSON.
type errorReport struct {
	Errors []*diag.Error `json:"errors"`
}
