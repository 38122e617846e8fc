// Package diag holds the error type every package of the engine uses to
// report problems in a programme: each problem names the place in the
// programme (a path such as "requirements[3].when") and, once the loader has
// resolved that path against the file, the file, line and column.
//
// Loading a programme reports every problem at once, as a [List] sorted by
// position, in the style of go/scanner's ErrorList:
//
//	p, err := aeo.Load("programme.yaml")
//	var list diag.List
//	if errors.As(err, &list) {
//		for _, e := range list {
//			editor.Mark(e.File, e.Line, e.Column, e.Message)
//		}
//	}
//
// errors.As also finds the first [*Error] of a List.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrTooLarge is wrapped by the problem of a file, a programme or a
// profile, that exceeds a configured limit: its size in bytes or the
// number of entries of its lists and mappings. A host branches on it with
// errors.Is (to answer "content too large", say).
var ErrTooLarge = errors.New("diag: input exceeds a configured limit")

// An Error is one problem in a programme definition.
//
// Path locates the problem in the configuration tree using the keys of the
// programme file: "lifecycle.appeal_window", "requirements[3].when" (indexes
// are 0-based, as in the Go slice). File, Line and Column are filled in by
// the loader when the configuration came from a file; Line and Column are
// 1-based. Line and Column may point inside an expression: the loader adds
// the expression's own offset to the position of the value in the file.
type Error struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`

	// ExprLine and ExprColumn are the 1-based position inside an expression
	// that Message refers to; zero when the problem is not in an expression.
	ExprLine   int `json:"-"`
	ExprColumn int `json:"-"`

	// Err is the underlying error, if any, for errors.Is and errors.As.
	Err error `json:"-"`
}

// Error describes the problem.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		if e.File == "" && e.ExprLine > 0 {
			fmt.Fprintf(&b, ":%d:%d", e.ExprLine, e.ExprColumn)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// A List is every problem found in a programme, in file order once
// positions are known. The zero value is an empty list.
type List []*Error

// Add appends a problem at path.
func (l *List) Add(path, format string, args ...any) {
	*l = append(*l, &Error{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Wrap appends err as a problem at path. A nested List is flattened and its
// paths prefixed with path.
func (l *List) Wrap(path string, err error) {
	if err == nil {
		return
	}
	var nested List
	if errors.As(err, &nested) {
		for _, e := range nested {
			c := *e
			c.Path = Join(path, e.Path)
			*l = append(*l, &c)
		}
		return
	}
	var one *Error
	if errors.As(err, &one) {
		c := *one
		c.Path = Join(path, one.Path)
		*l = append(*l, &c)
		return
	}
	*l = append(*l, &Error{Path: path, Message: err.Error(), Err: err})
}

// Err returns nil for an empty list and the list otherwise, so that a
// function can end with `return x, problems.Err()`.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Error lists every problem, one a line.
func (l List) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the problems, so errors.As finds an *Error in a List.
func (l List) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Sort orders the problems by file, line, column and path.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Path < b.Path
	})
}

// Join joins two path segments: Join("risk", "dimensions[0]") is
// "risk.dimensions[0]" and Join("a", "[2]") is "a[2]".
func Join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "["):
		return a + b
	}
	return a + "." + b
}

// Index formats a path segment for element i of the list at path.
func Index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }
