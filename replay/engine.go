package replay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"slices"
	"sync"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/risk"
)

// The replay is a pipeline over a bounded window of jobs. One producer
// (the caller's goroutine) cuts the input into jobs: blocks of complete
// lines read from an input, or batches of records from a host's
// iterator. Workers decode and replay the jobs and tally what they find.
// A collector takes the finished jobs back in input order, so that
// problems, changed records and progress come out in the order of the
// input whatever the scheduling, and returns them to the free list. The
// window (2 jobs per worker, plus 2) bounds memory: the producer waits for
// a free job.

// batchSize is how many records of a host's iterator a job carries.
const batchSize = 512

// A job is one slice of the input.
type job struct {
	seq     int
	input   int   // position of the input in the run's list
	line    int   // line (or record number) of the first record
	ordinal int64 // ordinal of the first record, for sharding by line
	data    []byte
	doc     bool     // data is a whole document
	csv     *header  // the header of a CSV input
	bytes   int64    // bytes read from the inputs when the job was cut
	names   []string // names of the run's inputs

	entries  []risk.Entry
	profiles []*aeo.Profile
	lines    []int // record numbers of entries or profiles

	// Filled by the worker.
	problems    []Problem
	out         []byte // changed records, as JSON lines
	operators   []OperatorChange
	declChanges []DeclarationChange
	records     int
	replayed    int

	buf []byte // storage of data, kept across uses
}

func (j *job) reset() {
	*j = job{
		buf:         j.buf[:0],
		entries:     clearSlice(j.entries),
		profiles:    clearSlice(j.profiles),
		lines:       j.lines[:0],
		problems:    clearSlice(j.problems),
		out:         j.out[:0],
		operators:   clearSlice(j.operators),
		declChanges: clearSlice(j.declChanges),
	}
}

// clearSlice empties s, zeroing what it held so that a free job keeps no
// record of the host alive.
func clearSlice[T any](s []T) []T {
	clear(s)
	return s[:0]
}

// A worker decodes and replays jobs; each runs on its own goroutine.
type worker interface {
	process(ctx context.Context, j *job)
}

// A pipe is the running pipeline, as the producer sees it.
type pipe struct {
	ctx    context.Context
	r      *Replayer
	inputs []Input
	names  []string
	free   chan *job
	work   chan *job
	done   chan *job
	seq    int
	// header reads the header row of a CSV input.
	header func(fields []string, sep byte) (*header, []Problem)

	ordinal int64 // ordinal of the next record
	base    int64 // bytes read from the inputs finished
	carry   []byte
}

// get returns a free job, or nil when the replay is stopped.
func (p *pipe) get() *job {
	if p.ctx.Err() != nil {
		return nil // a free job may be waiting too: select would pick at random
	}
	select {
	case j := <-p.free:
		return j
	case <-p.ctx.Done():
		return nil
	}
}

// send hands j to the workers.
func (p *pipe) send(j *job) {
	j.seq = p.seq
	j.names = p.names
	p.seq++
	p.work <- j // never blocks: the channel holds the whole window
}

// collected is what the collector gathered in input order.
type collected struct {
	records, replayed, skipped, problems int
	listed                               []Problem
	operators                            []OperatorChange
	declarations                         []DeclarationChange
}

// run runs the pipeline: produce on the caller's goroutine, workers made
// by newWorker.
func (r *Replayer) run(ctx context.Context, inputs []Input, produce func(p *pipe), newWorker func() worker) (*collected, []worker, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	n := r.o.workers
	window := 2*n + 2
	p := &pipe{ctx: ctx, r: r, inputs: inputs, free: make(chan *job, window), work: make(chan *job, window), done: make(chan *job, window)}
	for range window {
		p.free <- &job{}
	}
	for _, in := range inputs {
		p.names = append(p.names, in.Name)
	}
	workers := make([]worker, n)
	var wg sync.WaitGroup
	for i := range workers {
		w := newWorker()
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range p.work {
				if ctx.Err() == nil {
					w.process(ctx, j)
				}
				p.done <- j
			}
		}()
	}
	c := &collected{}
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		r.collect(ctx, cancel, p, c)
	}()
	produce(p)
	close(p.work)
	wg.Wait()
	close(p.done)
	<-finished
	if err := context.Cause(ctx); err != nil {
		return nil, nil, err
	}
	return c, workers, nil
}

// collect takes finished jobs back in input order.
func (r *Replayer) collect(ctx context.Context, cancel context.CancelCauseFunc, p *pipe, c *collected) {
	pending := map[int]*job{}
	next := 0
	size := int64(0)
	for i, in := range p.inputs {
		if !r.o.shard.ownsInput(i) {
			continue // never read
		}
		if in.Size < 0 {
			size = -1
			break
		}
		size += in.Size
	}
	for j := range p.done {
		pending[j.seq] = j
		for {
			j, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if ctx.Err() == nil {
				if err := r.emit(j, c, size, p.inputs); err != nil {
					cancel(err)
				}
			}
			j.reset()
			p.free <- j
		}
	}
}

// emit accounts for one job, in input order.
func (r *Replayer) emit(j *job, c *collected, size int64, inputs []Input) error {
	slices.SortStableFunc(j.problems, compareProblems)
	for _, pr := range j.problems {
		if pr.File == "" && pr.Input < len(inputs) && inputs != nil {
			pr.File = inputs[pr.Input].Name
		}
		c.problems++
		if pr.Skipped {
			c.skipped++
		}
		if len(c.listed) < r.o.listed {
			c.listed = append(c.listed, pr)
		}
		if r.o.onProblem != nil {
			r.o.onProblem(pr)
		}
		if r.o.maxProblems >= 0 && c.problems > r.o.maxProblems {
			return &TooManyProblemsError{Max: r.o.maxProblems, Last: pr}
		}
	}
	c.records += j.records
	c.replayed += j.replayed
	for _, oc := range j.operators {
		if len(c.operators) >= r.o.listed {
			break
		}
		c.operators = append(c.operators, oc)
	}
	for _, dc := range j.declChanges {
		if len(c.declarations) >= r.o.listed {
			break
		}
		c.declarations = append(c.declarations, dc)
	}
	if len(j.out) > 0 && r.o.changes != nil {
		if _, err := r.o.changes.Write(j.out); err != nil {
			return &writeError{err}
		}
	}
	if r.o.progress != nil {
		r.o.progress(Progress{Records: c.records, Replayed: c.replayed, Problems: c.problems, Bytes: j.bytes, Size: size})
	}
	return nil
}

type writeError struct{ err error }

func (e *writeError) Error() string { return "replay: writing the changes: " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// Progress is how far a replay has got.
type Progress struct {
	// Records counts the records met so far (bad ones included), Replayed
	// those replayed, Problems the problems found.
	Records, Replayed, Problems int
	// Bytes counts the bytes read from the inputs as stored (compressed,
	// if they are); Size is their total, or -1 when unknown (standard
	// input, a host's iterator).
	Bytes, Size int64
}

// produceSeq cuts a host's iterator into jobs of batchSize records.
func produceSeq[T any](p *pipe, seq iter.Seq[T], put func(j *job, v T)) {
	var j *job
	ord := int64(0)
	for v := range seq {
		if !p.r.o.shard.ownsRecord(ord) {
			ord++
			continue
		}
		if j == nil {
			if j = p.get(); j == nil {
				return
			}
			j.ordinal, j.line = ord, int(ord)+1
		}
		put(j, v)
		j.lines = append(j.lines, int(ord)+1)
		ord++
		if len(j.lines) == batchSize {
			p.send(j)
			j = nil
		}
	}
	if j != nil {
		p.send(j)
	}
}

// produceInputs reads every input of the shard in order.
func (p *pipe) produceInputs() {
	for i, in := range p.inputs {
		if !p.r.o.shard.ownsInput(i) {
			continue
		}
		if !p.readInput(i, in) {
			return
		}
	}
}

// problem sends a job holding only a problem with input i found by the
// reader, at line and for the record of ordinal ord.
func (p *pipe) problem(pr Problem, ord int64) bool {
	if !p.r.o.shard.ownsRecord(ord) {
		return true
	}
	j := p.get()
	if j == nil {
		return false
	}
	j.input = pr.Input
	j.problems = append(j.problems, pr)
	if pr.Skipped {
		j.records++
	}
	j.bytes = p.base
	p.send(j)
	return true
}

// readInput reads input i; it reports false when the replay is stopped.
func (p *pipe) readInput(i int, in Input) bool {
	o, err := open(in)
	if err != nil {
		return p.problem(Problem{Input: i, File: in.Name, Line: 1, Message: "cannot read: " + err.Error()}, p.ordinal)
	}
	defer func() {
		p.base += o.raw.n
		o.Close()
	}()
	f := in.format()
	if f == Document {
		return p.readDocument(i, in, o)
	}
	return p.readLines(i, in, o, f)
}

func (p *pipe) readDocument(i int, in Input, o *opened) bool {
	data, err := io.ReadAll(io.LimitReader(o.r, MaxDocument+1))
	pr := Problem{Input: i, File: in.Name, Line: 1, Skipped: true}
	switch {
	case err != nil:
		pr.Message = "cannot read: " + err.Error()
	case len(data) > MaxDocument:
		pr.Message = "the document is larger than 4 MiB and is not replayed: give large inputs as JSON Lines (.jsonl)"
	case len(bytes.TrimSpace(data)) == 0:
		pr.Message, pr.Skipped = "the input is empty", false
	}
	ord := p.ordinal
	p.ordinal++
	if pr.Message != "" {
		return p.problem(pr, ord)
	}
	if !p.r.o.shard.ownsRecord(ord) {
		return true
	}
	j := p.get()
	if j == nil {
		return false
	}
	j.input, j.line, j.ordinal, j.data, j.doc = i, 1, ord, data, true
	j.bytes = p.base + o.raw.n
	p.send(j)
	return true
}

// readLines cuts input i into jobs of complete lines.
func (p *pipe) readLines(i int, in Input, o *opened, f Format) bool {
	block := max(p.r.o.maxLine+1, 64<<10)
	if cap(p.carry) < block {
		p.carry = make([]byte, 0, block)
	}
	carry := p.carry[:0]
	line := 1
	var hdr *header
	needHeader := f == CSV || f == TSV
	empty := true
	for {
		j := p.get()
		if j == nil {
			return false
		}
		if cap(j.buf) < block {
			j.buf = make([]byte, 0, block)
		}
		buf := append(j.buf[:0], carry...)
		carry = carry[:0]
		var err error
		for zero := 0; len(buf) < cap(buf); {
			n, e := o.r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if e != nil {
				err = e
				break
			}
			if n == 0 {
				if zero++; zero > 100 {
					err = io.ErrNoProgress
					break
				}
			}
		}
		j.buf = buf
		if len(buf) > 0 {
			empty = false
		}
		eof := errors.Is(err, io.EOF)
		cut := bytes.LastIndexByte(buf, '\n')
		var data []byte
		partial := 0 // bytes of a line the stream broke off
		switch {
		case eof:
			data = buf
		case err != nil:
			data = buf[:cut+1]
			partial = len(buf) - cut - 1
		case cut >= 0:
			data = buf[:cut+1]
			carry = append(carry, buf[cut+1:]...)
		default:
			// A line longer than the block: skip to its end.
			n, rest, derr := skipLine(o.r, buf)
			carry = append(carry, rest...)
			pr := Problem{Input: i, File: in.Name, Line: line, Skipped: true,
				Message: "the line is " + sizeText(n, derr == nil || errors.Is(derr, io.EOF)) + " long, more than the " + sizeText(int64(p.r.o.maxLine), true) + " a record may take; not replayed"}
			if needHeader {
				pr.Message, pr.Skipped = "the header row is too long; the input is not replayed", false
			}
			j.reset()
			p.free <- j
			if !p.problem(pr, p.ordinal) {
				return false
			}
			if needHeader {
				return true
			}
			line++
			p.ordinal++
			if derr != nil {
				return p.endOfStream(i, in, derr, line, 0)
			}
			continue
		}
		if needHeader && len(data) > 0 {
			needHeader = false
			h, rest := data, []byte(nil)
			if k := bytes.IndexByte(data, '\n'); k >= 0 {
				h, rest = data[:k], data[k+1:]
			}
			sep := byte(',')
			if f == TSV {
				sep = '\t'
			}
			var probs []Problem
			fields, ferr := splitFields(trimLine(h), sep, nil, nil)
			if ferr != nil {
				probs = []Problem{{Line: 1, Column: ferr.col, Message: "header row: " + ferr.msg}}
			} else {
				hdr, probs = p.header(fields, sep)
			}
			if len(probs) > 0 {
				j.reset()
				p.free <- j
				for _, pr := range probs {
					pr.Input, pr.File, pr.Line = i, in.Name, 1
					pr.Message += "; the input is not replayed"
					if !p.problem(pr, p.ordinal) {
						return false
					}
				}
				return true
			}
			data = rest
			line = 2
		}
		j.input, j.line, j.ordinal, j.data, j.csv = i, line, p.ordinal, data, hdr
		nl := countLines(data)
		line += nl
		p.ordinal += int64(nl)
		j.bytes = p.base + o.raw.n
		if len(data) > 0 {
			p.send(j)
		} else {
			j.reset()
			p.free <- j
		}
		if err != nil {
			if eof && empty {
				return p.problem(Problem{Input: i, File: in.Name, Line: 1, Message: "the input is empty"}, p.ordinal)
			}
			if eof {
				return true
			}
			return p.endOfStream(i, in, err, line, partial)
		}
	}
}

// endOfStream reports a stream that broke off (a gzip file cut short, a
// read error): partial bytes of line were lost.
func (p *pipe) endOfStream(i int, in Input, err error, line, partial int) bool {
	if errors.Is(err, io.EOF) {
		return true
	}
	msg := err.Error()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		msg = "the stream ends early (unexpected end of file: a compressed file cut short?)"
	}
	pr := Problem{Input: i, File: in.Name, Line: line, Message: "cannot read further: " + msg}
	ord := p.ordinal
	if partial > 0 {
		pr.Message += "; the incomplete line is not replayed"
		pr.Skipped = true
		p.ordinal++
	} else if line > 1 {
		pr.Line = line - 1
	}
	return p.problem(pr, ord)
}

// skipLine reads r until the end of a line that already filled buf,
// reusing buf; it returns the line's length, what followed it in the last
// read, and the error that ended the line if no newline did.
func skipLine(r io.Reader, buf []byte) (int64, []byte, error) {
	n := int64(len(buf))
	buf = buf[:cap(buf)]
	for zero := 0; ; {
		k, err := r.Read(buf)
		if i := bytes.IndexByte(buf[:k], '\n'); i >= 0 {
			return n + int64(i), buf[i+1 : k], nil
		}
		n += int64(k)
		if err != nil {
			return n, nil, err
		}
		if k == 0 {
			if zero++; zero > 100 {
				return n, nil, io.ErrNoProgress
			}
		}
	}
}

// sizeText writes a byte count for people: 1073741824 as "1 GiB".
func sizeText(n int64, exact bool) string {
	prefix := ""
	if !exact {
		prefix = "at least "
	}
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return prefix + itoa(n>>30) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return prefix + itoa(n>>20) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return prefix + itoa(n>>10) + " KiB"
	}
	return prefix + itoa(n) + " bytes"
}

// countLines counts the lines of data, the last one possibly without its
// newline.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// trimLine drops a line's carriage return, as written on Windows.
func trimLine(l []byte) []byte {
	if n := len(l); n > 0 && l[n-1] == '\r' {
		return l[:n-1]
	}
	return l
}

// blank reports whether l holds nothing but spaces.
func blank(l []byte) bool {
	for _, c := range l {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}

// eachLine calls fn with every line of the job's data the shard owns,
// with its line number, skipping blank lines.
func eachLine(r *Replayer, j *job, fn func(line int, text []byte)) {
	data, line, ord := j.data, j.line, j.ordinal
	for len(data) > 0 {
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		n, o := line, ord
		line++
		ord++
		if !r.o.shard.ownsRecord(o) || len(l) == 0 || (l[0] <= ' ' && blank(l)) {
			continue
		}
		j.records++
		if len(l) > r.o.maxLine {
			j.problems = append(j.problems, Problem{Input: j.input, Line: n, Skipped: true,
				Message: "the line is " + sizeText(int64(len(l)), true) + " long, more than the " + sizeText(int64(r.o.maxLine), true) + " a record may take; not replayed"})
			continue
		}
		fn(n, trimLine(l))
	}
}
