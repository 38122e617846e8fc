package main

import (
	"io"

	"github.com/safe-aeo/engine/aeo"
)

func cmdBaseline(args []string, w io.Writer) error {
	fs := newFlags("baseline", "[programme|profile|fixtures]",
		"The built-in SAFE Annex IV baseline that 'extends: baseline' inherits: its programme",
		"file (the default), a complete operator profile that meets every requirement that",
		"applies to an importer, or the baseline's own fixtures (which name the programme",
		"safe.yaml and the profile profile.yaml).")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef("want at most one of programme, profile or fixtures")
	}
	what := "programme"
	if len(pos) == 1 {
		what = pos[0]
	}
	var b []byte
	switch what {
	case "programme":
		b = aeo.BaselineFile()
	case "profile":
		b = aeo.BaselineProfile()
	case "fixtures":
		b = aeo.BaselineFixtures()
	default:
		return oneOf("what", what, "programme", "profile", "fixtures")
	}
	_, err = w.Write(b)
	return err
}
