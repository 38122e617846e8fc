// Package aeotest runs a programme's fixture files from go test, so that a
// host system proves in its own test suite that the national programme it
// embeds gives the outcomes the rule authors pinned.
//
//	func TestProgramme(t *testing.T) {
//		aeotest.Run(t, "programme.yaml", "fixtures.yaml")
//	}
//
// Each case is a subtest named after it; a failing case reports every
// mismatch as `mismatch (-want +got)`.
package aeotest

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/safe-aeo/engine/aeo"
)

// Run loads programme and fixtures and runs every case as a subtest of t.
// When programme is empty, the fixtures file's own programme key names it.
// Options are passed to aeo.Load: a seed kept out of the published file,
// for instance.
func Run(t *testing.T, programme, fixtures string, opts ...aeo.Option) {
	t.Helper()
	fx, err := LoadFixtures(fixtures)
	if err != nil {
		t.Fatalf("fixtures: %v", err)
	}
	if programme == "" {
		if fx.Programme == "" {
			t.Fatalf("%s names no programme; pass one to Run", fixtures)
		}
		programme = filepath.Join(filepath.Dir(fixtures), fx.Programme)
	}
	if aeo.IsSet(programme) {
		s, err := aeo.LoadSet(programme, opts...)
		if err != nil {
			t.Fatalf("programme set: %v", err)
		}
		RunSetFixtures(t, s, fx)
		return
	}
	p, err := aeo.Load(programme, opts...)
	if err != nil {
		t.Fatalf("programme: %v", err)
	}
	RunFixtures(t, p, fx)
}

// RunSetFixtures runs loaded fixtures against a programme set: each case
// under the version the set chooses for it (see RunSetCase).
func RunSetFixtures(t *testing.T, s *aeo.Set, fx *Fixtures) {
	t.Helper()
	if len(fx.Cases) == 0 {
		t.Fatal("the fixtures hold no case")
	}
	for _, c := range fx.Cases {
		t.Run(c.Name, func(t *testing.T) {
			res := RunSetCase(t.Context(), s, c)
			if res.Err != "" {
				t.Fatalf("case %q: %s", c.Name, res.Err)
			}
			for _, m := range res.Mismatches {
				t.Errorf("case %q: %s", c.Name, m)
			}
		})
	}
}

// RunFixtures runs loaded fixtures against a loaded programme.
func RunFixtures(t *testing.T, p *aeo.Programme, fx *Fixtures) {
	t.Helper()
	if len(fx.Cases) == 0 {
		t.Fatal("the fixtures hold no case")
	}
	for _, c := range fx.Cases {
		t.Run(c.Name, func(t *testing.T) {
			res := RunCase(t.Context(), p, c)
			if res.Err != "" {
				t.Fatalf("%scase %q: %s", at(c.File, c.Line), c.Name, res.Err)
			}
			if len(res.Mismatches) == 0 {
				return
			}
			if diff := cmp.Diff(c.Expect, Observed(res.Assessment, c.Expect)); diff != "" {
				t.Errorf("%scase %q mismatch (-want +got):\n%s", at(c.File, c.Line), c.Name, diff)
			}
			for _, m := range res.Mismatches {
				if m.Part != PartAssessment {
					f, l := Position(c, m)
					t.Errorf("%scase %q: %s", at(f, l), c.Name, m)
				}
			}
		})
	}
}

// at formats a position in a fixtures file as a prefix, "f.yaml:12: ", or
// "" when the case was not read from a file.
func at(file string, line int) string {
	if file == "" || line == 0 {
		return ""
	}
	return fmt.Sprintf("%s:%d: ", file, line)
}
