package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/phases"
	htmlreport "github.com/safe-aeo/engine/report"
	"golang.org/x/text/language"
)

const reportUsage = `usage: aeo report <kind> [flags] [arguments]

Each report is one self-contained HTML page, printable on A4, written to
standard output; --lang chooses its language (en, fr, es; default the
programme's, else English).

kinds:
  dossier PROGRAMME PROFILE      the internal dossier: recommendation, criteria, findings, risk matrix, plan of treatment
  letter PROGRAMME PROFILE       the letter to the operator: outcome, reasons, what to improve, rights of appeal
  benefits PROGRAMME LEDGER      the benefits ledger (JSON or CSV records) against the programme's baselines
  history PROGRAMME TRAIL        the authorization's history from its audit trail (a JSON array of records)
  phases STATE                   the implementation's progress from the tracker state (JSON)
`

// cmdReport writes one of the HTML reports.
func cmdReport(args []string, w io.Writer) error {
	if len(args) == 0 {
		return usagef("name a report\n%s", reportUsage)
	}
	kind, args := args[0], args[1:]
	switch kind {
	case "dossier", "letter":
		return reportAssessment(kind, args, w)
	case "benefits":
		return reportBenefits(args, w)
	case "history":
		return reportHistory(args, w)
	case "phases":
		return reportPhases(args, w)
	case "-h", "--help", "help":
		fmt.Fprint(w, reportUsage)
		return nil
	}
	return usagef("unknown report %q\n%s", kind, reportUsage)
}

func reportAssessment(kind string, args []string, w io.Writer) error {
	fs := newFlags("report "+kind, "PROGRAMME PROFILE")
	asOf := asOfFlag(fs, "the profile is assessed")
	lang := langFlag(fs)
	var budget *float64
	if kind == "dossier" {
		budget = budgetFlag(fs)
	}
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
	p, err := loadProgramme(pos[0], *root)
	if err != nil {
		return loadFailed(err)
	}
	prof, err := aeo.LoadProfile(pos[1])
	if err != nil {
		return loadFailed(err)
	}
	a, err := p.Assess(context.Background(), prof, date)
	var pe *aeo.ProfileError
	if errors.As(err, &pe) {
		return loadFailed(err)
	}
	if err != nil {
		return err
	}
	view, hours := "internal", 0.0
	if kind == "letter" {
		view = "operator"
	} else {
		hours = *budget
	}
	return writeAssessmentHTML(w, p, prof, a, view, *lang, hours)
}

// langFlag declares --lang the same way in every command that writes a
// report.
func langFlag(fs *flagSet) *string {
	return fs.String("lang", "", "`LANG` of the report and the programme's texts: a BCP 47 tag (en, fr, es-419) or an Accept-Language list (default: the programme's language)")
}

// langPrefs are the languages --lang asks for, in order of preference;
// none when it is empty or names no language.
func langPrefs(lang string) []language.Tag {
	if strings.TrimSpace(lang) == "" {
		return nil
	}
	tags, _, err := language.ParseAcceptLanguage(lang)
	if err != nil {
		return nil
	}
	return tags
}

// budgetFlag declares --budget, the staff time of the dossier's plan of
// treatment.
func budgetFlag(fs *flagSet) *float64 {
	return fs.Float64("budget", 0, "`HOURS` of staff time a year for the dossier's plan of treatment (0: no plan)")
}

// writeAssessmentHTML writes the dossier (internal view), with the risk
// map and, given a budget, the plan of treatment, or the letter
// (operator view).
func writeAssessmentHTML(w io.Writer, p *aeo.Programme, prof *aeo.Profile, a *aeo.Assessment, view, lang string, budget float64) error {
	opts := htmlreport.Options{Language: lang}
	if view == "operator" {
		return htmlreport.Letter{Programme: p, Assessment: a}.WriteHTML(w, opts)
	}
	d := htmlreport.Dossier{Programme: p, Assessment: a}
	if p.Risk() != nil {
		m, err := p.MapRisk(context.Background(), prof, a)
		if err != nil {
			return err
		}
		d.Risk = &m
		if budget > 0 {
			plan := p.Risk().Plan(m.Risks, budget, a.AsOf)
			d.Plan = &plan
		}
	}
	return d.WriteHTML(w, opts)
}

func reportBenefits(args []string, w io.Writer) error {
	fs := newFlags("report benefits", "PROGRAMME LEDGER")
	from := fs.String("from", "", "first day of the report, YYYY-MM-DD (default: the first record's month)")
	to := fs.String("to", "", "day after the report, YYYY-MM-DD (default: the month after the last record)")
	by := fs.String("by", "quarter", "periods: whole, month, quarter or year")
	perOperator := fs.Bool("operators", false, "one row per operator")
	title := fs.String("title", "", "what the report covers, for its heading")
	lang := langFlag(fs)
	root := rootFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want PROGRAMME LEDGER, got %d arguments", len(pos))
	}
	var interval benefits.Interval
	if err := interval.UnmarshalText([]byte(*by)); err != nil {
		return usagef("--by %q: want whole, month, quarter or year", *by)
	}
	p, err := loadProgramme(pos[0], *root)
	if err != nil {
		return loadFailed(err)
	}
	if p.Benefits() == nil {
		return fmt.Errorf("%s has no benefits section", pos[0])
	}
	recs, err := readLedger(pos[1])
	if err != nil {
		return err
	}
	ledger := benefits.NewLedger(p.Benefits())
	if err := ledger.Restore(recs); err != nil {
		return fmt.Errorf("%s: %w", pos[1], err)
	}
	start, end, err := reportRange(recs, *from, *to)
	if err != nil {
		return err
	}
	r, err := ledger.Report(start, end, benefits.GroupBy{Operator: *perOperator, Benefit: true, Interval: interval})
	if err != nil {
		return err
	}
	return htmlreport.Benefits{Title: *title, Catalogue: p.Benefits(), Report: r}.WriteHTML(w, htmlreport.Options{Language: *lang})
}

// readLedger reads ledger records from a JSON file, or a CSV file when
// its name ends in .csv.
func readLedger(name string) ([]benefits.Record, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var recs []benefits.Record
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		recs, err = benefits.ReadCSV(f)
	} else {
		recs, err = benefits.ReadJSON(f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return recs, nil
}

// reportRange is the range of a benefits report: the dates given, or the
// whole months the records span.
func reportRange(recs []benefits.Record, from, to string) (time.Time, time.Time, error) {
	var start, end time.Time
	for _, r := range recs {
		if start.IsZero() || r.At.Before(start) {
			start = r.At
		}
		if end.IsZero() || r.At.After(end) {
			end = r.At
		}
	}
	if !start.IsZero() {
		start = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
		end = time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	}
	var err error
	if from != "" {
		if start, err = time.Parse(time.DateOnly, from); err != nil {
			return start, end, usagef("--from %q: want a date such as 2025-01-01", from)
		}
	}
	if to != "" {
		if end, err = time.Parse(time.DateOnly, to); err != nil {
			return start, end, usagef("--to %q: want a date such as 2026-01-01", to)
		}
	}
	if start.IsZero() || end.IsZero() {
		return start, end, usagef("the ledger has no record: give --from and --to")
	}
	return start, end, nil
}

func reportHistory(args []string, w io.Writer) error {
	fs := newFlags("report history", "PROGRAMME TRAIL")
	asOf := asOfFlag(fs, "the report is made")
	operator := fs.String("operator", "", "the operator's name, for the heading")
	head := fs.String("head", "", "the hash kept with the state, to check the trail ends there")
	lang := langFlag(fs)
	root := rootFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want PROGRAMME TRAIL, got %d arguments", len(pos))
	}
	date, err := dateOrToday(*asOf)
	if err != nil {
		return err
	}
	p, err := loadProgramme(pos[0], *root)
	if err != nil {
		return loadFailed(err)
	}
	var trail lifecycle.Trail
	if err := readJSON(pos[1], &trail); err != nil {
		return err
	}
	h := htmlreport.History{Machine: p.Lifecycle(), Trail: trail, Head: *head, Operator: *operator, AsOf: date}
	return h.WriteHTML(w, htmlreport.Options{Language: *lang})
}

func reportPhases(args []string, w io.Writer) error {
	fs := newFlags("report phases", "STATE")
	asOf := asOfFlag(fs, "the report is made")
	planFile := fs.String("plan", "", "the implementation plan, JSON (default: the nine-phase plan of the WCO guidance)")
	lang := langFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want STATE, got %d arguments", len(pos))
	}
	date, err := dateOrToday(*asOf)
	if err != nil {
		return err
	}
	plan := phases.Default()
	if *planFile != "" {
		f, err := os.Open(*planFile)
		if err != nil {
			return err
		}
		plan, err = phases.Decode(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *planFile, err)
		}
	}
	var state phases.State
	if err := readJSON(pos[0], &state); err != nil {
		return err
	}
	return htmlreport.Phases{Report: plan.Report(state, date)}.WriteHTML(w, htmlreport.Options{Language: *lang})
}

// readJSON decodes one JSON value from a file, refusing unknown keys.
func readJSON(name string, v any) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
