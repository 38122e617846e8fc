package main

import (
	"io"

	htmlreport "github.com/safe-aeo/engine/report"
)

// cmdPublish writes the public document of a programme.
func cmdPublish(args []string, w io.Writer) error {
	fs := newFlags("publish", "PROGRAMME",
		"Writes the public document of a programme: what an operator must show, criterion by",
		"criterion, in the programme's own words; what Customs commits to; the certifications,",
		"authorizations and audits accepted; how Customs validates; the benefits; the time limits;",
		"the grounds for suspension and revocation; the rights of appeal; how to raise an issue.",
		"It is drawn from the programme file alone and shows no rule, note or internal message.")
	format := formatFlag(fs, "markdown", "html")
	lang := langFlag(fs)
	root := rootFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want PROGRAMME, got %d arguments", len(pos))
	}
	if err := oneOf("format", *format, "markdown", "html"); err != nil {
		return err
	}
	p, err := loadProgramme(pos[0], *root)
	if err != nil {
		return loadFailed(err)
	}
	pub := htmlreport.Publication{Programme: p}
	opts := htmlreport.Options{Language: *lang}
	if *format == "html" {
		return pub.WriteHTML(w, opts)
	}
	return pub.WriteMarkdown(w, opts)
}
