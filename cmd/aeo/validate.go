package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/exchange"
)

// fileReport is what validate says of one file.
type fileReport struct {
	File string `json:"file"`
	// Kind is programme, set (a programme set's index), fixtures or
	// profile.
	Kind     string        `json:"kind"`
	OK       bool          `json:"ok"`
	Problems []*diag.Error `json:"problems,omitempty"`
	// For a programme: its name, version, requirement count and
	// fingerprint (for a set, those of its latest version, and the number
	// of versions); for fixtures, the number of cases.
	Name         string `json:"name,omitempty"`
	Version      string `json:"version,omitempty"`
	Requirements int    `json:"requirements,omitempty"`
	Fingerprint  string `json:"fingerprint,omitempty"`
	Cases        int    `json:"cases,omitempty"`
	Versions     int    `json:"versions,omitempty"`
	// For an exchange file: its issuer and number of records.
	Issuer  string `json:"issuer,omitempty"`
	Records int    `json:"records,omitempty"`
	// For a programme: the languages its operator-facing texts are
	// written in, and the texts that lack one of them (or of those
	// --languages names). A notice: the programme is valid, and readers
	// of a missing language read the programme's.
	Languages    []string          `json:"languages,omitempty"`
	MissingTexts []aeo.MissingText `json:"missing_texts,omitempty"`
}

type validateReport struct {
	OK    bool         `json:"ok"`
	Files []fileReport `json:"files"`
}

func cmdValidate(args []string, w io.Writer) error {
	fs := newFlags("validate", "FILE...",
		"Each file is read as a programme, a fixtures file (it has cases; the programme",
		"it names is checked too), an operator profile or an AEO data exchange file (its",
		"format is aeo-exchange/1), as its keys show. Problems go to standard error as",
		"file:line:col: path: message, all at once; exit 1 if any. A programme's operator",
		"texts that lack a language it uses anywhere (or one --languages names) are listed",
		"by file:line as a notice, which does not fail validation.")
	format := formatFlag(fs, "text", "json")
	kind := fs.String("kind", "", "read every file as this `KIND`: programme, set, fixtures, profile or exchange (default: as its keys show)")
	root := rootFlag(fs)
	languages := fs.String("languages", "", "list the operator texts that lack any of these `LANGS` (fr,es), instead of every language the programme uses")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	var langs []language.Tag
	for _, l := range strings.Split(*languages, ",") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		tag, err := criteria.ParseLanguage(strings.TrimSpace(l))
		if err != nil {
			return usagef("--languages: %q is not a BCP 47 language tag such as fr or es-419", l)
		}
		langs = append(langs, tag)
	}
	if *kind != "" {
		if err := oneOf("kind", *kind, "programme", "set", "fixtures", "profile", "exchange"); err != nil {
			return err
		}
	}
	if len(files) == 0 {
		return usagef("name at least one programme, fixtures or profile file")
	}
	rep := validateReport{OK: true}
	for _, f := range files {
		fr := validateFile(f, *kind, *root, langs)
		rep.OK = rep.OK && fr.OK
		rep.Files = append(rep.Files, fr)
	}
	if *format == "json" {
		if err := writeJSON(w, rep); err != nil {
			return err
		}
	} else {
		for _, fr := range rep.Files {
			switch {
			case !fr.OK:
			case fr.Kind == "fixtures":
				fmt.Fprintf(w, "%s: ok (fixtures, %d cases)\n", fr.File, fr.Cases)
			case fr.Kind == "profile":
				fmt.Fprintf(w, "%s: ok (profile)\n", fr.File)
			case fr.Kind == "exchange":
				fmt.Fprintf(w, "%s: ok (exchange file from %s, %d records)\n", fr.File, fr.Issuer, fr.Records)
			case fr.Kind == "set":
				fmt.Fprintf(w, "%s: ok (set of %d versions, latest %s %s, %d requirements, %s)\n", fr.File, fr.Versions, fr.Name, fr.Version, fr.Requirements, fr.Fingerprint)
			default:
				fmt.Fprintf(w, "%s: ok (%s %s, %d requirements, %s)\n", fr.File, fr.Name, fr.Version, fr.Requirements, fr.Fingerprint)
			}
			writeMissingTexts(w, fr.MissingTexts)
		}
	}
	if !rep.OK {
		var all diag.List
		for _, fr := range rep.Files {
			all = append(all, fr.Problems...)
		}
		return &failedWith{all}
	}
	return nil
}

// failedWith is a command that ran and found problems in its inputs: run
// prints them on standard error and exits 1.
type failedWith struct{ list diag.List }

func (f *failedWith) Error() string { return f.list.Error() }
func (f *failedWith) Unwrap() error { return errFailed }

// writeMissingTexts lists, per language, the operator texts that lack it.
func writeMissingTexts(w io.Writer, missing []aeo.MissingText) {
	for i, m := range missing {
		if i == 0 || missing[i-1].Language != m.Language {
			n := 0
			for _, o := range missing[i:] {
				if o.Language == m.Language {
					n++
				}
			}
			fmt.Fprintf(w, "  notice: %d operator texts have no %s version (readers asking for %s read the programme's language):\n", n, m.Language, m.Language)
		}
		fmt.Fprintf(w, "    %s:%d:%d: %s\n", m.File, m.Line, m.Column, m.Path)
	}
}

func validateFile(f, kind, root string, langs []language.Tag) fileReport {
	fr := fileReport{File: f, Kind: kind}
	fail := func(err error) fileReport {
		fr.Problems = problems(err)
		return fr
	}
	if kind == "" {
		k, err := sniff(f)
		if err != nil {
			return fail(err)
		}
		fr.Kind = k
	}
	switch fr.Kind {
	case "fixtures":
		fx, err := aeotest.LoadFixtures(f)
		if err != nil {
			return fail(err)
		}
		if _, err := fixtureProgramme(f, fx, root); err != nil {
			return fail(err)
		}
		fr.Cases = len(fx.Cases)
	case "profile":
		if _, err := aeo.LoadProfile(f); err != nil {
			return fail(err)
		}
	case "exchange":
		data, err := os.ReadFile(f)
		if err != nil {
			return fail(unwrapPath(err))
		}
		b, err := exchange.Validate(f, data)
		if err != nil {
			return fail(err)
		}
		fr.Issuer, fr.Records = b.Issuer, len(b.Records)
	case "set":
		set, err := aeo.LoadSet(f, aeo.WithRoot(rootOf(f, root)))
		if err != nil {
			return fail(err)
		}
		vs := set.Versions()
		last := vs[len(vs)-1].Programme
		fr.Name, fr.Version, fr.Versions = last.Name(), last.Version(), len(vs)
		fr.Requirements, fr.Fingerprint = last.NumRequirements(), last.Fingerprint()
	default:
		p, err := loadProgramme(f, root)
		if err != nil {
			return fail(err)
		}
		fr.Name, fr.Version, fr.Requirements, fr.Fingerprint = p.Name(), p.Version(), p.NumRequirements(), p.Fingerprint()
		for _, l := range p.Languages() {
			fr.Languages = append(fr.Languages, l.String())
		}
		fr.MissingTexts = p.MissingTexts(langs...)
	}
	fr.OK = true
	return fr
}

// sniff tells a fixtures file (it has cases), a programme set's index (it
// lists versions) and a profile (it has an
// operator's keys and none of a programme's) from a programme file.
func sniff(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", err
	}
	var top map[string]any
	if yaml.Unmarshal(data, &top) != nil {
		return "programme", nil
	}
	if _, ok := top["cases"]; ok {
		return "fixtures", nil
	}
	if _, ok := top["versions"]; ok {
		return "set", nil
	}
	if f, ok := top["format"].(string); ok && strings.HasPrefix(f, "aeo-exchange/") {
		return "exchange", nil
	}
	for _, k := range []string{"programme", "extends", "requirements", "criteria", "authorizations", "override", "drop"} {
		if _, ok := top[k]; ok {
			return "programme", nil
		}
	}
	for _, k := range []string{"operator_id", "roles", "compliance", "financials", "security", "self_assessment", "certifications"} {
		if _, ok := top[k]; ok {
			return "profile", nil
		}
	}
	return "programme", nil
}

// unwrapPath shortens "open x: no such file or directory" errors to one
// clear line.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
