package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/safe-aeo/engine/aeo"
)

// The files aeo init writes. Each YAML file names its schema in its first
// line, which editors with the YAML language server read for completion
// and checking.
const initProgramme = `# yaml-language-server: $schema=schemas/programme.json
#
# A national AEO programme built on the SAFE Annex IV baseline, which it
# inherits whole: 13 criteria A-M and their requirements, each with its
# source ('aeo baseline' prints them). Adapt it to your law:
#   override:  change inherited requirements by ID (only the keys you give)
#   drop:      remove inherited requirements or whole criteria
#   requirements, facts, authorizations: add your own
# Check it with 'aeo validate programme.yaml'; pin its outcomes in
# fixtures.yaml and run them with 'aeo test programme.yaml fixtures.yaml'.
programme:
  name: %s
  country: %s
  version: "0.1"
  effective: 2025-01-01
  sources: ["SAFE Framework of Standards, Annex IV"]
extends: baseline
`

const initFixtures = `# yaml-language-server: $schema=schemas/fixtures.json
#
# Fixtures pin what the programme must decide. Every case starts from the
# complete applicant of profile.yaml, lays its own profile over it (mappings
# merge key by key, lists and values replace) and is assessed as of its
# date. Only what a case lists under expect is checked.
programme: programme.yaml
base_file: profile.yaml
cases:
  - name: complete applicant is recommended
    description: The compliant importer of profile.yaml meets every requirement that applies to it.
    as_of: 2024-06-30
    expect:
      requirements: {A.1: met, B.1: met, C.1: met}
      criteria: {A: met, B: met, C: met}
      authorizations: {AEO: recommend}

  - name: serious infringement within three years is refused
    description: SAFE Annex IV A - no serious infringement in the period before the application.
    as_of: 2024-06-30
    profile:
      compliance:
        infringements:
          - {date: 2023-01-15, severity: serious, kind: customs, person: applicant}
    expect:
      requirements: {A.1: not_met}
      criteria: {A: not_met}
      authorizations: {AEO: refuse}
`

const profileHeader = "# yaml-language-server: $schema=schemas/profile.json\n#\n"

func cmdInit(args []string, w io.Writer) error {
	fs := newFlags("init", "DIR",
		"Writes, in DIR (created if need be), a programme that extends the SAFE baseline",
		"(programme.yaml), a complete applicant (profile.yaml), fixtures whose cases pass",
		"(fixtures.yaml), and the JSON Schemas the files name for editors (schemas/). It",
		"never overwrites a file.")
	name := fs.String("name", "National AEO programme", "the programme's `NAME`")
	country := fs.String("country", "XX", "the programme's `COUNTRY` code")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want DIR, the folder to write the programme in")
	}
	dir := pos[0]
	files := map[string][]byte{
		"programme.yaml": fmt.Appendf(nil, initProgramme, yamlString(*name), yamlString(*country)),
		"fixtures.yaml":  []byte(initFixtures),
		"profile.yaml":   append([]byte(profileHeader), aeo.BaselineProfile()...),
	}
	for _, kind := range []string{"programme", "fixtures", "profile"} {
		b, err := schemaJSON(kind)
		if err != nil {
			return err
		}
		files[filepath.Join("schemas", kind+".json")] = append(b, '\n')
	}
	order := []string{"programme.yaml", "fixtures.yaml", "profile.yaml",
		filepath.Join("schemas", "programme.json"), filepath.Join("schemas", "fixtures.json"), filepath.Join("schemas", "profile.json")}
	var exist []string
	for _, f := range order {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			exist = append(exist, filepath.Join(dir, f))
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if len(exist) > 0 {
		return fmt.Errorf("%s already exist(s); init writes only new files", strings.Join(exist, ", "))
	}
	if err := os.MkdirAll(filepath.Join(dir, "schemas"), 0o755); err != nil {
		return err
	}
	for _, f := range order {
		if err := os.WriteFile(filepath.Join(dir, f), files[f], 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %s\n", filepath.Join(dir, f))
	}
	fmt.Fprintf(w, "\nnext:\n  cd %s\n  aeo validate programme.yaml fixtures.yaml\n  aeo test programme.yaml fixtures.yaml\n", dir)
	return nil
}

// yamlString quotes s for a YAML value when it needs it.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") || strings.TrimSpace(s) != s {
		return fmt.Sprintf("%q", s)
	}
	return s
}
