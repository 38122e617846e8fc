package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/diag"
)

// rootFlag declares --root, the folder programme files may extend files
// anywhere under ("../partner-base.yaml" included).
func rootFlag(fs *flagSet) *string {
	return fs.String("root", "", "`DIR`: the folder programme files may extend files from, with .. (default: the current folder, or the programme's own when it is outside it)")
}

// rootOf returns the root a programme is loaded under: root when given,
// else the current folder when name is inside it, else name's folder.
func rootOf(name, root string) string {
	if root != "" {
		return root
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return filepath.Dir(name)
	}
	wd, err := os.Getwd()
	if err != nil {
		return filepath.Dir(name)
	}
	if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(name) {
		return "."
	}
	return filepath.Dir(name)
}

// loadProgramme loads a programme file under the root rootOf chooses.
func loadProgramme(name, root string) (*aeo.Programme, error) {
	return aeo.Load(name, aeo.WithRoot(rootOf(name, root)))
}

// fixtureProgramme loads the programme a fixtures file names.
func fixtureProgramme(fixtures string, fx *aeotest.Fixtures, root string) (*aeo.Programme, error) {
	if fx.Programme == "" {
		return nil, diag.List{{File: fixtures, Line: 1, Column: 1, Path: "programme", Message: "the fixtures name no programme: set the programme key, or give the programme on the command line"}}
	}
	return loadProgramme(filepath.Join(filepath.Dir(fixtures), fx.Programme), root)
}

// problems returns every problem err holds as diag errors: a load's list
// with positions, a file that cannot be read, or any other error as one
// message.
func problems(err error) []*diag.Error {
	var list diag.List
	if errors.As(err, &list) {
		return list
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return []*diag.Error{{File: pe.Path, Message: pe.Err.Error()}}
	}
	return []*diag.Error{{Message: trimPrefix(err.Error())}}
}

// problemLines formats the problems of err one a line, file:line:col
// first.
func problemLines(err error) []string {
	ps := problems(err)
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Error()
	}
	return out
}

// printProblems prints every problem of err, one a line.
func printProblems(w io.Writer, err error) {
	for _, l := range problemLines(err) {
		fmt.Fprintln(w, l)
	}
}

// loadTwo loads two programmes, reporting the problems of both.
func loadTwo(_ io.Writer, a, b string) (*aeo.Programme, *aeo.Programme, error) {
	pa, errA := loadProgramme(a, "")
	pb, errB := loadProgramme(b, "")
	if err := errors.Join(errA, errB); err != nil {
		var all diag.List
		for _, e := range []error{errA, errB} {
			if e != nil {
				all = append(all, problems(e)...)
			}
		}
		return nil, nil, loadFailed(all)
	}
	return pa, pb, nil
}
