package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/risk"
)

// streamLine is one line of the NDJSON answer of POST .../lanes: the
// decision on one input line (or array element), or its error; the last
// line is the summary.
type streamLine struct {
	Line        int            `json:"line,omitempty"`
	Declaration string         `json:"declaration,omitempty"`
	Fingerprint string         `json:"fingerprint,omitempty"`
	Decision    *risk.Decision `json:"decision,omitempty"`
	Error       *Error         `json:"error,omitempty"`
	Summary     *streamSummary `json:"summary,omitempty"`
}

// streamSummary closes a stream. Complete is false when the stream was
// cut short (a limit, a malformed array); the lines after the last one
// answered were not decided.
type streamSummary struct {
	Programme   string `json:"programme"`
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
	Lines       int    `json:"lines"`
	Decided     int    `json:"decided"`
	Errors      int    `json:"errors"`
	Complete    bool   `json:"complete"`
}

// lanes decides the lanes of many declarations: an NDJSON stream
// (application/x-ndjson) or a JSON array (application/json) of lane
// requests in, NDJSON out, one line per input line in order, then a
// summary. A bad line gets its error in the stream and the others are
// still decided. The answer is streamed: each decision goes out as soon
// as it is made, and every decision is logged before it is sent, so that
// a client that goes away loses nothing already decided.
func (s *Server) lanes(w http.ResponseWriter, r *http.Request) error {
	e, p, err := s.lookup(r.PathValue("programme"))
	if err != nil {
		return err
	}
	sel := p.Selector()
	if sel == nil {
		return sectionMissing(e.name, "selectivity")
	}
	var array bool
	switch mediaType(r) {
	case "application/x-ndjson", "application/ndjson", "application/jsonl":
	case "application/json":
		array = true
	default:
		return unsupported(r, "application/x-ndjson", "application/json")
	}
	rc := http.NewResponseController(w)
	_ = rc.EnableFullDuplex() // read lines while answering earlier ones
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxStreamBytes)
	st := &stream{s: s, r: r, w: w, rc: rc, e: e, p: p, sel: sel, out: bufio.NewWriterSize(w, 32<<10)}
	st.sum = streamSummary{Programme: p.Name(), Version: p.Version(), Fingerprint: p.Fingerprint()}
	w.Header().Set("Content-Type", "application/x-ndjson")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if array {
		st.readArray(body)
	} else {
		st.readLines(body)
	}
	st.sum.Errors = st.sum.Lines - st.sum.Decided
	if st.gone {
		s.log.Warn("stream: client went away", "request_id", requestID(r.Context()), "lines", st.sum.Lines, "decided", st.sum.Decided)
		return nil
	}
	st.emit(streamLine{Summary: &st.sum})
	st.flush()
	return nil
}

type stream struct {
	s    *Server
	r    *http.Request
	w    http.ResponseWriter
	rc   *http.ResponseController
	e    *entry
	p    *aeo.Programme
	sel  *risk.Selector
	out  *bufio.Writer
	sum  streamSummary
	gone bool // the client went away: stop
}

// extend pushes the connection's deadlines forward: a stream is bounded
// by its size and line count, and each line by the read and write
// timeouts, rather than the whole stream by one timeout.
func (st *stream) extend() {
	now := time.Now()
	_ = st.rc.SetReadDeadline(now.Add(st.s.cfg.ReadTimeout))
	_ = st.rc.SetWriteDeadline(now.Add(st.s.cfg.WriteTimeout))
}

func (st *stream) emit(l streamLine) {
	if st.gone {
		return
	}
	b, err := json.Marshal(l)
	if err != nil {
		b, _ = json.Marshal(streamLine{Line: l.Line, Error: errorf(500, CodeInternal, "internal error")})
	}
	b = append(b, '\n')
	if _, err := st.out.Write(b); err != nil {
		st.gone = true
	}
}

func (st *stream) flush() {
	if st.gone {
		return
	}
	if err := st.out.Flush(); err != nil {
		st.gone = true
		return
	}
	if err := st.rc.Flush(); err != nil {
		st.gone = true
	}
}

// stop ends the stream with an error line for what could not be read.
func (st *stream) stop(err *Error) {
	st.sum.Lines++
	st.s.metrics.lines.WithLabelValues("error").Inc()
	st.emit(streamLine{Line: st.sum.Lines, Error: err})
}

// one decides one input line, or reports its error in the stream.
func (st *stream) one(raw []byte) {
	st.sum.Lines++
	n := st.sum.Lines
	if st.r.Context().Err() != nil {
		st.gone = true
		return
	}
	var req laneRequest
	var dec risk.Decision
	err := unmarshalStrict(raw, &req)
	if err == nil {
		dec, err = st.s.selectLane(st.r, st.e, st.p, st.sel, &req, raw)
	}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			st.s.log.Error("stream: internal error", "request_id", requestID(st.r.Context()), "line", n, "err", err.Error())
			e = errorf(http.StatusInternalServerError, CodeInternal, "internal error")
		}
		if e.Code == CodeClientClosed {
			st.gone = true
			return
		}
		st.s.metrics.lines.WithLabelValues("error").Inc()
		st.emit(streamLine{Line: n, Error: e})
		return
	}
	st.sum.Decided++
	st.s.metrics.lines.WithLabelValues("decided").Inc()
	st.emit(streamLine{Line: n, Declaration: dec.Declaration, Fingerprint: st.p.Fingerprint(), Decision: &dec})
}

func (st *stream) limitReached() bool {
	if st.sum.Lines < st.s.cfg.MaxStreamLines {
		return false
	}
	st.stop(errorf(http.StatusRequestEntityTooLarge, CodeStreamTooLong, "the stream has more than %d lines: the rest was not read", st.s.cfg.MaxStreamLines).
		with("limit", st.s.cfg.MaxStreamLines))
	return true
}

func (st *stream) readErr(err error) {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		st.stop(tooLarge(st.s.cfg.MaxStreamBytes))
		return
	}
	if st.r.Context().Err() != nil {
		st.gone = true
		return
	}
	st.stop(errorf(http.StatusBadRequest, CodeMalformedJSON, "the stream could not be read: the rest was not decided"))
}

// readLines reads NDJSON: one lane request a line. Blank lines are
// skipped and not counted.
func (st *stream) readLines(body io.Reader) {
	br := bufio.NewReaderSize(body, 64<<10)
	max := st.s.cfg.MaxLineBytes
	for !st.gone {
		st.extend()
		line, tooLong, err := readLine(br, max)
		if err != nil && err != io.EOF {
			st.readErr(err) // a line cut short by a limit or a broken connection is not decided
			break
		}
		if len(bytes.TrimSpace(line)) > 0 || tooLong {
			if st.limitReached() {
				break
			}
			if tooLong {
				st.stop(errorf(http.StatusRequestEntityTooLarge, CodeLineTooLong, "the line is longer than %d bytes", max).with("limit", max))
			} else {
				st.one(line)
			}
		}
		if err == io.EOF {
			st.sum.Complete = true
			break
		}
		// Send what is decided before waiting for more input.
		if br.Buffered() == 0 {
			st.flush()
		}
	}
}

// readLine reads up to the next newline. A line longer than max is
// consumed to its end and reported too long, without being kept.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		frag, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(frag) > max+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, frag...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if !tooLong && len(line) > max && line[len(line)-1] != '\n' {
			tooLong, line = true, nil // a last line without its newline
		}
		return line, tooLong, err
	}
}

// readArray reads a JSON array of lane requests, element by element.
func (st *stream) readArray(body io.Reader) {
	dec := json.NewDecoder(body)
	tok, err := dec.Token()
	if err != nil {
		st.readErr(jsonOrRead(err))
		return
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		st.stop(errorf(http.StatusBadRequest, CodeInvalidRequest, "send a JSON array of lane requests, or NDJSON as application/x-ndjson"))
		return
	}
	max := st.s.cfg.MaxLineBytes
	for !st.gone && dec.More() {
		st.extend()
		if st.limitReached() {
			return
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			st.readErr(jsonOrRead(err))
			return
		}
		if len(raw) > max {
			st.stop(errorf(http.StatusRequestEntityTooLarge, CodeLineTooLong, "the element is longer than %d bytes", max).with("limit", max))
			continue
		}
		st.one(raw)
		if st.sum.Lines%256 == 0 {
			st.flush()
		}
	}
	if st.gone {
		return
	}
	if _, err := dec.Token(); err != nil {
		st.readErr(jsonOrRead(err))
		return
	}
	st.sum.Complete = true
}

// jsonOrRead keeps a read error (a limit, a client gone) and turns a
// syntax error into one the stream reports as malformed.
func jsonOrRead(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return err
	}
	return errors.New("malformed")
}
