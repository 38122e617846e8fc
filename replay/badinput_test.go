package replay

import (
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBadInput feeds each kind of bad input between good lines: each is
// counted and reported with its position, and the run goes on.
func TestBadInput(t *testing.T) {
	old, nw := programmes(t)
	es := entries(200)
	good := jsonl(t, es)
	goodLines := strings.SplitAfter(string(good), "\n")
	around := func(bad string) []byte { // 3 good lines, the bad one (line 4), 3 good lines
		return []byte(strings.Join(goodLines[:3], "") + bad + "\n" + strings.Join(goodLines[3:6], ""))
	}
	cut := gz(t, good)
	cut = cut[:len(cut)*6/10]
	type want struct {
		line     int
		column   int
		message  string
		skipped  bool
		replayed int
	}
	tests := []struct {
		name   string
		input  Input
		opts   []Option
		want   []want
		reason string
	}{{
		name:   "truncated line",
		input:  bytesInput("t.jsonl", around(`{"declaration":{"id":"T1","hs_co`)),
		want:   []want{{line: 4, column: 27, message: "the line ends inside a string (truncated?)", skipped: true, replayed: 6}},
		reason: "a line cut short is a syntax error at the point it stops",
	}, {
		name:   "non-numeric value",
		input:  bytesInput("n.jsonl", around(`{"declaration":{"id":"N1","value":"abc"}}`)),
		want:   []want{{line: 4, column: 35, message: `declaration.value: want a number, not "abc"`, skipped: true, replayed: 6}},
		reason: "a value that is not a number is not read as zero",
	}, {
		name:   "unknown lane field",
		input:  bytesInput("u.jsonl", around(`{"declaration":{"id":"U1","hs_cod":"930100"}}`)),
		want:   []want{{line: 4, column: 27, message: `unknown field "declaration.hs_cod" (did you mean "declaration.hs_code"?)`, skipped: true, replayed: 6}},
		reason: "a misspelt field would make every rule that reads it skip: the line is refused, with the closest name",
	}, {
		name:   "fact neither programme declares",
		input:  bytesInput("f.jsonl", around(`{"declaration":{"id":"F1","hs_code":"930100","facts":{"nope":1}}}`)),
		want:   []want{{line: 4, column: 55, message: `fact "nope" is declared by neither programme; left out`, replayed: 7}},
		reason: "the declaration is replayed without the fact, and the fact is reported",
	}, {
		name:   "fact of the wrong type",
		input:  bytesInput("m.jsonl", around(`{"declaration":{"id":"M1","facts":{"risk_score":"high"}}}`)),
		want:   []want{{line: 4, column: 36, message: `fact "risk_score": want float, got high (string); new declares it float, so reads it as absent (its rules that read it are indeterminate)`, replayed: 7}},
		reason: "a mistyped fact is absent to the programme that declares it (its rule is skipped), and reported",
	}, {
		name:   "missing id",
		input:  bytesInput("i.jsonl", around(`{"declaration":{"hs_code":"930100"},"operator":null}`)),
		want:   []want{{line: 4, column: 1, message: "declaration.id is required", skipped: true, replayed: 6}},
		reason: "the random draws are keyed by the ID",
	}, {
		name:   "text after the object",
		input:  bytesInput("x.jsonl", around(`{"declaration":{"id":"X1"}} {"declaration":{"id":"X2"}}`)),
		want:   []want{{line: 4, column: 29, message: "unexpected text after the object", skipped: true, replayed: 6}},
		reason: "two objects on one line are one bad line, not two declarations",
	}, {
		name:   "key twice",
		input:  bytesInput("k.jsonl", around(`{"declaration":{"id":"K1","value":1,"value":2}}`)),
		want:   []want{{line: 4, column: 37, message: "declaration.value is given twice", skipped: true, replayed: 6}},
		reason: "which of two values would count is not guessed",
	}, {
		name:   "empty file",
		input:  bytesInput("empty.jsonl", nil),
		want:   []want{{line: 1, message: "the input is empty"}},
		reason: "an empty input is reported, not silently replayed as nothing",
	}, {
		name:   "blank lines",
		input:  bytesInput("b.jsonl", []byte("\n  \n"+goodLines[0]+"\r\n\n")),
		want:   []want{{replayed: 1}},
		reason: "blank lines are no records and no problems",
	}, {
		name:   "gzip cut short",
		input:  bytesInput("cut.jsonl.gz", cut),
		want:   []want{{message: "cannot read further: the stream ends early (unexpected end of file: a compressed file cut short?); the incomplete line is not replayed", skipped: true}},
		reason: "what was read is replayed; the broken-off line is not, and the stream's end is reported",
	}, {
		name:   "line longer than allowed",
		input:  bytesInput("long.jsonl", around(`{"declaration":{"id":"L1","office":"`+strings.Repeat("x", 5000)+`"}}`)),
		opts:   []Option{WithMaxLine(4096)},
		want:   []want{{line: 4, message: "more than the 4 KiB a record may take; not replayed", skipped: true, replayed: 6}},
		reason: "a line longer than the bound is skipped, whatever the block it falls in",
	}, {
		name:   "CSV unknown column",
		input:  bytesInput("h.csv", []byte("id,hs_cod,value\nC1,930100,5\n")),
		want:   []want{{line: 1, column: 2, message: `column 2: unknown field "hs_cod" (did you mean "hs_code"?), nor a fact either programme declares (write facts.NAME); the input is not replayed`}},
		reason: "a header naming no known field would misread every line: the input is refused, once",
	}, {
		name:   "CSV non-numeric value",
		input:  bytesInput("v.csv", []byte("id,hs_code,value\nC1,930100,5\nC2,930100,abc\nC3,930100,\"7\"\n")),
		want:   []want{{line: 3, column: 11, message: `column 3 (value): want a number, not "abc"`, skipped: true, replayed: 2}},
		reason: "the position is the line of the file and the byte where the field starts",
	}, {
		name:   "CSV wrong number of fields",
		input:  bytesInput("w.csv", []byte("id,hs_code\nC1,930100,5\nC2,930100\n")),
		want:   []want{{line: 2, column: 1, message: "3 fields, where the header row has 2", skipped: true, replayed: 1}},
		reason: "a shifted line would put values in the wrong fields",
	}, {
		name:   "CSV open quote",
		input:  bytesInput("q.csv", []byte("id,hs_code\n\"C1,930100\nC2,930100\n")),
		want:   []want{{line: 2, column: 1, message: "a quoted field is not closed", skipped: true, replayed: 1}},
		reason: "one record per line: a quote left open is an error on that line, not a record swallowing the next",
	}, {
		name:   "document entry",
		input:  bytesInput("d.yaml", []byte("- declaration: {id: D1, value: 5}\n- declaration: {id: D2, value: lots}\n- declaration: {id: D3}\n")),
		want:   []want{{line: 2, column: 32, message: `[1].declaration.value: want a finite number, not "lots"`, skipped: true, replayed: 2}},
		reason: "a bad entry of a document is skipped; the others are replayed",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(old, nw, append([]Option{WithWorkers(2)}, tt.opts...)...)
			require.NoError(t, err)
			rep, err := r.DeclarationFiles(t.Context(), []Input{tt.input})
			require.NoError(t, err, "a bad input does not stop the run")
			var problems []want
			for _, w := range tt.want {
				if w.message != "" {
					problems = append(problems, w)
				}
			}
			require.Len(t, rep.Listed, len(problems), "%s: %v", tt.reason, rep.Listed)
			assert.Equal(t, len(problems), rep.Problems)
			skipped := 0
			for i, w := range problems {
				p := rep.Listed[i]
				assert.Contains(t, p.Message, w.message, tt.reason)
				assert.Equal(t, tt.input.Name, p.File, "the problem names its input")
				if w.line > 0 {
					assert.Equal(t, w.line, p.Line, "line of %q", w.message)
				}
				if w.column > 0 {
					assert.Equal(t, w.column, p.Column, "column of %q", w.message)
				}
				assert.Equal(t, w.skipped, p.Skipped)
				if p.Skipped {
					skipped++
				}
			}
			assert.Equal(t, skipped, rep.Skipped)
			assert.Equal(t, rep.Records, rep.Replayed+rep.Skipped, "every record met is replayed or skipped")
			if tt.want[0].replayed > 0 {
				assert.Equal(t, tt.want[0].replayed, rep.Replayed, tt.reason)
			} else if tt.name == "gzip cut short" {
				assert.Greater(t, rep.Replayed, 10, "the lines before the cut are replayed")
				assert.Less(t, rep.Replayed, len(es))
			}
		})
	}
}

// hugeLine is a reader of one line of size bytes (a declaration whose
// office never ends), then a good line, produced as read: the test needs
// no gigabyte on disk or in memory, and proves the replay needs none
// either.
type hugeLine struct {
	size int64
	off  int64
	tail []byte
}

func (h *hugeLine) Read(p []byte) (int, error) {
	const head = `{"declaration":{"id":"H1","office":"`
	n := 0
	for n < len(p) {
		switch {
		case h.off < int64(len(head)):
			k := copy(p[n:], head[h.off:])
			n += k
			h.off += int64(k)
		case h.off < h.size:
			k := copy(p[n:min(len(p), n+int(min(h.size-h.off, 1<<30)))], xs[:])
			n += k
			h.off += int64(k)
		case h.off-h.size < int64(len(h.tail)):
			k := copy(p[n:], h.tail[h.off-h.size:])
			n += k
			h.off += int64(k)
		default:
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		}
	}
	return n, nil
}

var xs = [64 << 10]byte(bytes.Repeat([]byte{'x'}, 64<<10))

func TestBadInput_hugeLine(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a gigabyte")
	}
	old, nw := programmes(t)
	size := int64(1 << 30)
	if raceEnabled {
		size = 64 << 20 // the race detector slows the copying tenfold
	}
	good := jsonl(t, entries(1))
	in := Input{Name: "huge.jsonl", Size: -1, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(&hugeLine{size: size, tail: append([]byte("\"}}\n"), good...)}), nil
	}}
	r, err := New(old, nw, WithWorkers(2))
	require.NoError(t, err)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rep, err := r.DeclarationFiles(t.Context(), []Input{in})
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	require.Len(t, rep.Listed, 1)
	p := rep.Listed[0]
	assert.Equal(t, 1, p.Line)
	assert.Contains(t, p.Message, "long, more than the 1 MiB a record may take; not replayed")
	assert.True(t, p.Skipped)
	assert.Equal(t, 1, rep.Replayed, "the line after the huge one is replayed")
	assert.Equal(t, 2, rep.Records)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "the huge line is skipped, not held: memory stays flat")
}

// TestBadInput_maxProblems checks that --max-errors stops a replay, and
// only then.
func TestBadInput_maxProblems(t *testing.T) {
	old, nw := programmes(t)
	var b bytes.Buffer
	b.Write(jsonl(t, entries(10)))
	for range 5 {
		b.WriteString("{broken\n")
	}
	b.Write(jsonl(t, entries(10)))
	data := b.Bytes()
	tests := []struct {
		name   string
		max    int
		stops  bool
		reason string
	}{
		{name: "below", max: 5, stops: false, reason: "five problems are allowed by --max-errors 5"},
		{name: "above", max: 4, stops: true, reason: "the fifth problem goes over --max-errors 4"},
		{name: "zero", max: 0, stops: true, reason: "--max-errors 0 stops at the first problem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := New(old, nw, WithMaxProblems(tt.max), WithWorkers(2))
			require.NoError(t, err)
			rep, err := r.DeclarationFiles(t.Context(), []Input{bytesInput("p.jsonl", data)})
			if !tt.stops {
				require.NoError(t, err, tt.reason)
				assert.Equal(t, 5, rep.Skipped)
				return
			}
			var tm *TooManyProblemsError
			require.ErrorAs(t, err, &tm, tt.reason)
			assert.Equal(t, "p.jsonl", tm.Last.File)
			assert.Equal(t, 11+tt.max, tm.Last.Line, "the problem that went over the limit is named")
		})
	}
}
