package decode

import (
	"fmt"

	"github.com/safe-aeo/engine/diag"
)

// Defaults of Limits. A programme of a few hundred requirements is some
// 100 KB and 5,000 entries; an applicant's profile a few KB. Building the
// YAML tree costs some 40 bytes of memory per byte of input and 2 KB per
// entry, so the defaults keep the worst file under half a gigabyte and a
// second or two, while leaving room for national programmes far larger
// than any seen.
const (
	DefaultMaxBytes   = 8 << 20
	DefaultMaxEntries = 100_000
)

// Limits bound what Parse accepts. Both are checked on the raw bytes,
// before the YAML tree is built, so that an oversized file costs no more
// than reading it; the entries are counted again, exactly, as the tree is
// decoded.
type Limits struct {
	// MaxBytes bounds the size of the file. Zero means DefaultMaxBytes;
	// a negative value, no bound.
	MaxBytes int64
	// MaxEntries bounds the entries of the file's lists and mappings,
	// counted together (a list of 10 infringements of 3 keys each is 40
	// entries). Zero means DefaultMaxEntries; a negative value, no bound.
	MaxEntries int
}

func (l Limits) maxBytes() int64 {
	if l.MaxBytes == 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

func (l Limits) maxEntries() int {
	if l.MaxEntries == 0 {
		return DefaultMaxEntries
	}
	return l.MaxEntries
}

// TooLarge returns the problem of a file of size bytes over the limit, or
// nil. The loaders call it with the size the file system reports, before
// reading the file.
func (l Limits) TooLarge(file string, size int64) error {
	if max := l.maxBytes(); max >= 0 && size > max {
		return diag.List{{File: file, Line: 1, Column: 1, Err: diag.ErrTooLarge,
			Message: fmt.Sprintf("the file has %d bytes, more than the %d allowed", size, max)}}
	}
	return nil
}

// tooManyEntries returns the problem of a file with more entries than
// allowed, the first entry over the limit being on line.
func (l Limits) tooManyEntries(file string, line int) error {
	return diag.List{{File: file, Line: line, Column: 1, Err: diag.ErrTooLarge,
		Message: fmt.Sprintf("the file has more than %d entries in its lists and mappings", l.maxEntries())}}
}

// countEntries counts the entries of the lists and mappings of a YAML or
// JSON document from its bytes alone, without building a tree, and stops
// at the first entry past max, returning its line. It is a lexer, not a
// parser: it skips comments, quoted strings and block scalars, counts a
// block list's "- " items, a block mapping's "key: " pairs, and a flow
// collection's items ([a, b] and {a: 1, b: 2} both hold two). On odd
// inputs it may count a few entries too many, never a collection's
// entries too few; the decoder counts them again exactly.
func countEntries(data []byte, max int) (over bool, line int) {
	n := 0
	line = 1
	flow := 0        // depth of flow collections
	var lists []bool // for each open flow collection, whether it is a [list]
	atLineStart := true
	valueStart := true // a token may start here: a quote is a string
	expect := false    // in flow, after [, { or ,: the next token is an entry
	block := -1        // indentation above which lines belong to a block scalar
	lineIndent := 0
	prop := false // in a tag or anchor, after which a value starts
	count := func() bool {
		n++
		return n > max
	}
	isSpace := func(i int) bool {
		return i >= len(data) || data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'
	}
	i := 0
	for i < len(data) {
		if atLineStart && flow == 0 {
			indent := 0
			for i < len(data) && data[i] == ' ' {
				i++
				indent++
			}
			if block >= 0 {
				blank := i >= len(data) || data[i] == '\n' || data[i] == '\r'
				if blank || indent > block {
					for i < len(data) && data[i] != '\n' && data[i] != '\r' {
						i++
					}
					atLineStart = false // the newline below starts the next line
					continue
				}
				block = -1
			}
			lineIndent = indent
			atLineStart, valueStart = false, true
			// Block list items, several on a line in "- - a", and
			// explicit keys ("? a"), counted here as their value may be
			// left out.
			for i < len(data) && (data[i] == '-' || data[i] == '?') && isSpace(i+1) {
				if count() {
					return true, line
				}
				i++
				for i < len(data) && (data[i] == ' ' || data[i] == '\t') {
					i++
				}
			}
			if i < len(data) && (data[i] == '|' || data[i] == '>') {
				block = lineIndent
			}
			continue
		}
		c := data[i]
		if c == '\r' && (i+1 >= len(data) || data[i+1] != '\n') {
			c = '\n' // a lone carriage return breaks the line, as in YAML
		}
		switch {
		case c == '\n':
			line++
			prop = false
			atLineStart = flow == 0
			if flow > 0 {
				valueStart = valueStart || expect
			}
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			// A tag or an anchor (!!map, &a) is followed by the value.
			valueStart = valueStart || prop
			prop = false
			i++
			continue
		case c == '#' && (valueStart || i > 0 && (data[i-1] == ' ' || data[i-1] == '\t')):
			for i < len(data) && data[i] != '\n' && data[i] != '\r' {
				i++
			}
			continue
		}
		if flow > 0 && expect && c != ']' && c != '}' && c != ',' {
			if count() {
				return true, line
			}
		}
		expect = false
		switch {
		case (c == '"' || c == '\'') && valueStart:
			i++
			for i < len(data) {
				d := data[i]
				if d == '\n' {
					line++
				}
				if c == '"' && d == '\\' {
					i += 2
					continue
				}
				if d == c {
					if c == '\'' && i+1 < len(data) && data[i+1] == '\'' {
						i += 2
						continue
					}
					break
				}
				i++
			}
			i++
			valueStart = false
			continue
		case (c == '[' || c == '{') && (valueStart || flow > 0):
			flow++
			lists = append(lists, c == '[')
			expect, valueStart = true, true
		case (c == ']' || c == '}') && flow > 0:
			flow--
			lists = lists[:flow]
			valueStart = false
			if flow == 0 {
				atLineStart = false
			}
		case c == ',' && flow > 0:
			expect, valueStart = true, true
		case c == ':' && (isSpace(i+1) || flow > 0 && i+1 < len(data) && (data[i+1] == ',' || data[i+1] == ']' || data[i+1] == '}')):
			if flow > 0 && lists[flow-1] {
				// [a: 1] is a list holding a mapping of one pair.
				if count() {
					return true, line
				}
			}
			if flow == 0 {
				if count() {
					return true, line
				}
				j := i + 1
				for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
					j++
				}
				if j < len(data) && (data[j] == '|' || data[j] == '>') {
					block = lineIndent
				}
			}
			valueStart = true
		default:
			prop = valueStart && (c == '!' || c == '&') || prop
			valueStart = false
		}
		i++
	}
	return false, line
}
