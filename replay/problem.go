package replay

import (
	"cmp"
	"fmt"
	"strconv"
)

// A Problem is something wrong with one record or one input, where it was
// found. The replay goes on after a problem (unless WithMaxProblems says
// otherwise) and counts them.
type Problem struct {
	// Input is the position of the input in the report's list, and File
	// its name; File is empty for a host's own iterator, whose records
	// are numbered from 1 in Line.
	Input int    `json:"input"`
	File  string `json:"file,omitempty"`
	// Line is the line of the record (1 for a problem with the whole
	// input), Column the byte in it where the problem lies, if known.
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
	// Skipped reports that a record was not replayed (a bad line);
	// otherwise the record was replayed without what the message names,
	// or the problem concerns the input as a whole.
	Skipped bool `json:"skipped,omitempty"`
}

// String returns the problem as file:line:column: message.
func (p Problem) String() string {
	return p.Position() + ": " + p.Message
}

// Position returns file:line, with :column when known; #line for a
// record of a host's iterator.
func (p Problem) Position() string {
	var b []byte
	if p.File == "" {
		b = append(b, '#')
	} else {
		b = append(b, p.File...)
		b = append(b, ':')
	}
	b = strconv.AppendInt(b, int64(p.Line), 10)
	if p.Column > 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(p.Column), 10)
	}
	return string(b)
}

// comparePos orders positions by input, line and column.
func comparePos(a, b Problem) int {
	return cmp.Or(cmp.Compare(a.Input, b.Input), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// compareProblems orders problems by position, then message, so that the
// problems listed are the same however the replay was sharded.
func compareProblems(a, b Problem) int {
	return cmp.Or(comparePos(a, b), cmp.Compare(a.Message, b.Message))
}

// A TooManyProblemsError stops a replay that found more problems than
// WithMaxProblems allows.
type TooManyProblemsError struct {
	Max int
	// Last is the problem that went over the limit.
	Last Problem
}

// Error describes the stop.
func (e *TooManyProblemsError) Error() string {
	return fmt.Sprintf("replay: stopped after more than %d problems (the last at %s)", e.Max, e.Last.Position())
}
