package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// A decisionLog writes one JSON line per decision, for audit. The input
// is recorded by its SHA-256 only: the log proves which input was decided
// without holding the operator's data. Each line goes out in one Write
// under a lock, unbuffered, so that lines never interleave and none is
// held in memory when the process stops.
type decisionLog struct {
	mu  sync.Mutex
	w   io.Writer
	now func() time.Time
}

// A DecisionRecord is one line of the decision log.
type DecisionRecord struct {
	Time        time.Time `json:"time"`
	RequestID   string    `json:"request_id,omitempty"`
	Programme   string    `json:"programme"`
	Version     string    `json:"version"`
	Fingerprint string    `json:"fingerprint"`
	// Kind is assess, risk, benefits, lane or lifecycle.
	Kind string `json:"kind"`
	// AsOf is the date the decision is made as of: the as_of of the
	// request, the declaration's date, the event's time.
	AsOf        string `json:"as_of,omitempty"`
	InputSHA256 string `json:"input_sha256"`
	Outcome     any    `json:"outcome"`
}

func hashInput(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func (l *decisionLog) write(rec DecisionRecord) error {
	rec.Time = l.now().UTC()
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.w.Write(b)
	return err
}

// record logs a decision if the log is on. A decision that cannot be
// logged is not given: the caller answers with the error instead.
func (s *Server) record(r *http.Request, rec DecisionRecord) error {
	if s.dlog == nil {
		return nil
	}
	rec.RequestID = requestID(r.Context())
	if err := s.dlog.write(rec); err != nil {
		s.metrics.dlogFails.Inc()
		s.log.Error("decision log: write failed", "request_id", rec.RequestID, "err", err.Error())
		return errorf(http.StatusServiceUnavailable, CodeDecisionLogFailed, "the decision could not be recorded in the decision log, so it is not given")
	}
	return nil
}
