package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/diag"
)

func cmdValidate(args []string, w io.Writer) error {
	fs := newFlags("validate", "FILE...")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("name at least one programme or fixtures file")
	}
	bad := 0
	for _, f := range files {
		kind, err := sniff(f)
		if err != nil {
			fmt.Fprintln(w, err)
			bad++
			continue
		}
		switch kind {
		case "fixtures":
			fx, err := aeotest.LoadFixtures(f)
			if err == nil {
				_, err = fixtureProgramme(f, fx)
			}
			if err != nil {
				bad++
				printProblems(w, err)
				continue
			}
			fmt.Fprintf(w, "%s: ok (fixtures, %d cases)\n", f, len(fx.Cases))
		default:
			p, err := aeo.Load(f)
			if err != nil {
				bad++
				printProblems(w, err)
				continue
			}
			fmt.Fprintf(w, "%s: ok (%s %s, %d requirements, %s)\n", f, p.Name(), p.Version(), len(p.File().Requirements), p.Fingerprint())
		}
	}
	if bad > 0 {
		return errFailed
	}
	return nil
}

// sniff tells a fixtures file (it has cases) from a programme file.
func sniff(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", unwrapPath(err)
	}
	var top map[string]any
	if yaml.Unmarshal(data, &top) == nil {
		if _, ok := top["cases"]; ok {
			return "fixtures", nil
		}
	}
	return "programme", nil
}

// fixtureProgramme loads the programme a fixtures file names.
func fixtureProgramme(fixtures string, fx *aeotest.Fixtures) (*aeo.Programme, error) {
	if fx.Programme == "" {
		return nil, fmt.Errorf("%s names no programme: set its programme key", fixtures)
	}
	return aeo.Load(filepath.Join(filepath.Dir(fixtures), fx.Programme))
}

// printProblems prints every problem of a load, one a line.
func printProblems(w io.Writer, err error) {
	var list diag.List
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e.Error())
		}
		return
	}
	fmt.Fprintln(w, unwrapPath(err).Error())
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
