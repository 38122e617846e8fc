package replay

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A Format is how an input holds its records.
type Format uint8

// Formats. The zero value, Auto, picks the format from the input's name.
const (
	// Auto: .jsonl and .ndjson are JSONL, .csv is CSV, .tsv is TSV, and
	// .yaml, .yml and .json are documents, after any .gz suffix is set
	// aside; anything else, standard input included, is JSONL.
	Auto Format = iota
	// JSONL is JSON Lines: one JSON object per line (a declaration entry
	// or an operator profile).
	JSONL
	// CSV is comma-separated values, one record per line, under a header
	// row naming the fields (see the package documentation).
	CSV
	// TSV is CSV separated by tabs.
	TSV
	// Document is one YAML or JSON document per input: a list of entries
	// for declarations, one profile for operators. It is read whole, so it
	// is for small inputs (at most MaxDocument bytes).
	Document
)

var formatNames = [...]string{"auto", "jsonl", "csv", "tsv", "document"}

// String returns f's name, as ParseFormat reads it.
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", f)
}

// ParseFormat reads a format name: auto, jsonl, csv, tsv or document.
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if strings.EqualFold(s, n) {
			return Format(i), nil
		}
	}
	return Auto, fmt.Errorf("unknown input format %q (want auto, jsonl, csv, tsv or document)", s)
}

// MaxDocument bounds the size of a Document input, which is decoded
// whole: a larger one is reported as a problem and not replayed. JSON
// Lines has no such bound.
const MaxDocument = 4 << 20

// An Input is one source of records: a file, standard input, or any
// stream a host opens. Gzip-compressed data is recognised by its magic
// number and decompressed, whatever the name.
type Input struct {
	// Name names the input in problems and reports: a file name, or "-"
	// for standard input.
	Name string
	// Format is how the input holds its records; Auto decides by Name.
	Format Format
	// Size is the input's size in bytes as stored (compressed, if it
	// is), or -1 when unknown. Progress estimates the time left from it.
	Size int64
	// Open opens the input; the replay closes what it returns.
	Open func() (io.ReadCloser, error)
}

// File returns the input of the file at path, with its size.
func File(path string, f Format) Input {
	size := int64(-1)
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		size = st.Size()
	}
	return Input{Name: path, Format: f, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// Reader returns an input that reads r, once.
func Reader(name string, r io.Reader, f Format) Input {
	return Input{Name: name, Format: f, Size: -1, Open: func() (io.ReadCloser, error) { return io.NopCloser(r), nil }}
}

// format resolves Auto from the name.
func (in Input) format() Format {
	if in.Format != Auto {
		return in.Format
	}
	name := strings.ToLower(in.Name)
	name = strings.TrimSuffix(name, ".gz")
	switch filepath.Ext(name) {
	case ".csv":
		return CSV
	case ".tsv":
		return TSV
	case ".yaml", ".yml", ".json":
		return Document
	}
	return JSONL
}

// recordExts are the extensions Expand takes from a directory.
var recordExts = []string{".jsonl", ".ndjson", ".csv", ".tsv", ".yaml", ".yml", ".json"}

// Expand turns command-line arguments into inputs, in order: "-" is
// stdin; a directory gives its files with a record extension (.jsonl,
// .ndjson, .csv, .tsv, .yaml, .yml, .json, each optionally .gz), in name
// order; a pattern with *, ? or [ gives the files it matches (see
// filepath.Match), in name order; anything else is a file. Every input has
// format f (Auto: by its name). A pattern matching nothing, a missing
// file or stdin given twice is an error: a replay that silently reads
// less than it was asked to would mislead.
func Expand(args []string, stdin io.Reader, f Format) ([]Input, error) {
	var out []Input
	usedStdin := false
	for _, arg := range args {
		switch {
		case arg == "-":
			if usedStdin {
				return nil, errors.New(`standard input ("-") given twice`)
			}
			usedStdin = true
			out = append(out, Reader("-", stdin, f))
		case strings.ContainsAny(arg, "*?["):
			matches, err := filepath.Glob(arg)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", arg, err)
			}
			var files []string
			for _, m := range matches {
				if st, err := os.Stat(m); err == nil && st.Mode().IsRegular() {
					files = append(files, m)
				}
			}
			if len(files) == 0 {
				return nil, fmt.Errorf("%s: no file matches", arg)
			}
			slices.Sort(files)
			for _, m := range files {
				out = append(out, File(m, f))
			}
		default:
			st, err := os.Stat(arg)
			if err != nil {
				var pe *os.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				return nil, fmt.Errorf("%s: %w", arg, err)
			}
			if !st.IsDir() {
				out = append(out, File(arg, f))
				continue
			}
			entries, err := os.ReadDir(arg)
			if err != nil {
				return nil, err
			}
			n := len(out)
			for _, e := range entries {
				name := strings.TrimSuffix(strings.ToLower(e.Name()), ".gz")
				if e.Type().IsRegular() && slices.Contains(recordExts, filepath.Ext(name)) {
					out = append(out, File(filepath.Join(arg, e.Name()), f))
				}
			}
			if len(out) == n {
				return nil, fmt.Errorf("%s: no input files (*.jsonl, *.csv, *.yaml, *.json, optionally .gz)", arg)
			}
		}
	}
	return out, nil
}

// opened is an input open for reading: the decompressed stream, and a
// count of the bytes read from the stored one, for progress.
type opened struct {
	r      io.Reader
	raw    *countingReader
	closer io.Closer
}

func (o *opened) Close() error { return o.closer.Close() }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// open opens in and recognises gzip by its magic number.
func open(in Input) (*opened, error) {
	if in.Open == nil {
		return nil, errors.New("the input cannot be opened")
	}
	rc, err := in.Open()
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, err
	}
	cr := &countingReader{r: rc}
	br := bufio.NewReaderSize(cr, 64<<10)
	o := &opened{r: br, raw: cr, closer: rc}
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("gzip: %w", err)
		}
		o.r = zr
	}
	return o, nil
}

func names(inputs []Input) []string {
	var out []string
	for _, in := range inputs {
		out = append(out, in.Name)
	}
	return out
}
