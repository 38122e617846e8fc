package aeotest

import (
	"errors"
	"strconv"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/diag"
)

// caseAt is a case's place in its fixtures file.
type caseAt struct {
	fx    *Fixtures
	index int
}

// line returns the line of the key path under the case (nil for the case
// itself), or of the case when the path is not in the file; 0 when the
// case was not read from a file.
func (a caseAt) line(keys []any) int {
	if a.fx == nil || a.fx.doc == nil {
		return 0
	}
	l, _, _ := a.fx.doc.Position(append([]any{"cases", a.index}, keys...)...)
	return l
}

// Position returns the file and line of what a mismatch of case c is
// about: the expectation it names in the fixtures file ("requirements:
// {A.1: met}"), or the case itself when the mismatch names no single
// expectation. The line is 0 when the case was not read from a file.
func Position(c Case, m Mismatch) (file string, line int) {
	keys := mismatchKeys(m)
	if keys == nil {
		return c.File, c.Line
	}
	return c.File, c.at.line(keys)
}

// mismatchKeys returns the key path, under the case, of the expectation a
// mismatch is about, or nil.
func mismatchKeys(m Mismatch) []any {
	kind, id, _ := strings.Cut(m.What, " ")
	switch m.Part {
	case PartAssessment:
		switch {
		case kind == "requirement":
			return []any{"expect", "requirements", id}
		case kind == "criterion" && strings.HasPrefix(m.Want, "score "):
			return []any{"expect", "scores", id}
		case kind == "criterion":
			return []any{"expect", "criteria", id}
		case kind == "authorization" && strings.HasSuffix(m.Want, " points"):
			return []any{"expect", "points", id}
		case kind == "authorization":
			return []any{"expect", "authorizations", id}
		}
	case PartRisk:
		return []any{"expect", "risk_level"}
	case PartBenefits:
		if kind == "benefit" {
			return []any{"expect", "benefits", id}
		}
	case PartDeclarations, PartLifecycle:
		// "declaration 2 (D-1)", "lifecycle step 3 (grant)"
		f := strings.Fields(m.What)
		key := "declarations"
		if m.Part == PartLifecycle {
			key, f = "lifecycle", f[1:]
		}
		if len(f) >= 2 {
			if n, err := strconv.Atoi(f[1]); err == nil {
				return []any{key, n - 1}
			}
		}
	}
	return nil
}

// locateProfileError points the problems of a case's profile at the keys
// of the fixtures file they come from: the case's own profile when it
// sets the key, else the base. Problems found in a profile file the case
// or base names keep that file's positions.
func (a caseAt) locateProfileError(err error) error {
	if a.fx == nil || a.fx.doc == nil {
		return err
	}
	var list diag.List
	if !errors.As(err, &list) {
		return err
	}
	out := make(diag.List, 0, len(list))
	for _, e := range list {
		c := *e
		keys := splitKeys(e.Path)
		file := a.fx.doc.File
		roots := [][]any{{"cases", a.index, "profile"}, {"base"}}
		placed := false
		for _, r := range roots {
			if line, col, ok := a.fx.doc.Position(append(r, keys...)...); ok {
				c.File, c.Line, c.Column = file, line, col
				c.Path = pathOf(append(r, keys...))
				placed = true
				break
			}
		}
		if !placed {
			c.File, c.Line, c.Column = file, a.line(nil), 0
			c.Path = pathOf([]any{"cases", a.index, "profile"}) + "." + e.Path
			if c.Line == 0 {
				c.File = ""
			}
		}
		out = append(out, &c)
	}
	return out
}

// splitKeys splits a decoder path ("compliance.infringements[0].date",
// "facts.vat_years") into keys and indexes. A key holding a dot cannot be
// told apart here; the profile's keys hold none.
func splitKeys(p string) []any {
	var out []any
	for _, part := range strings.Split(p, ".") {
		key, rest, _ := strings.Cut(part, "[")
		if key != "" {
			out = append(out, key)
		}
		for rest != "" {
			num, after, _ := strings.Cut(rest, "]")
			n, err := strconv.Atoi(num)
			if err != nil {
				break
			}
			out = append(out, n)
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return out
}

func pathOf(keys []any) string {
	var b strings.Builder
	for _, k := range keys {
		switch k := k.(type) {
		case int:
			b.WriteString("[" + strconv.Itoa(k) + "]")
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		}
	}
	return b.String()
}

// profileFromCase decodes a case's profile, with its problems placed in
// the fixtures file: the profile the strict decoder read when the case
// was read from a file (see Case.OperatorProfile), else the case's
// mapping.
func profileFromCase(c Case) (*aeo.Profile, error) {
	if c.profile != nil {
		return c.OperatorProfile()
	}
	prof, err := aeo.ProfileFromMap(c.Profile)
	if err != nil {
		return nil, c.at.locateProfileError(err)
	}
	return prof, nil
}
