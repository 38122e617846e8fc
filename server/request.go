package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// date is a calendar date on the wire: "2025-03-31".
type date struct{ time.Time }

func (d *date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a date such as \"2025-03-31\"")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("%q is not a date such as \"2025-03-31\"", s)
	}
	d.Time = t
	return nil
}

func (d date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.Format(time.DateOnly))
}

// mediaType returns the media type of the request, lower case, without
// parameters; "" when it has none or it cannot be parsed.
func mediaType(r *http.Request) string {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return ""
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return "" // JSON is UTF-8 (RFC 8259)
	}
	return mt
}

func unsupported(r *http.Request, want ...string) *Error {
	return errorf(http.StatusUnsupportedMediaType, CodeUnsupportedMediaType,
		"content type %q is not accepted here: send %s", r.Header.Get("Content-Type"), strings.Join(want, " or ")).
		with("accepted", want)
}

// readBody reads the whole body, up to limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, tooLarge(limit)
		}
		return nil, errorf(http.StatusBadRequest, CodeMalformedJSON, "the request body could not be read").with("reason", err.Error())
	}
	return b, nil
}

func tooLarge(limit int64) *Error {
	return errorf(http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "the request body is larger than the limit of %d bytes", limit).
		with("limit", limit)
}

// decodeJSON reads a JSON request body into v, strictly: an unknown
// field, a value of the wrong type, or anything after the value is an
// error. It returns the raw body, whose hash the decision log records.
func (s *Server) decodeJSON(w http.ResponseWriter, r *http.Request, v any) ([]byte, error) {
	if mediaType(r) != "application/json" {
		return nil, unsupported(r, "application/json")
	}
	b, err := readBody(w, r, s.cfg.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	return b, unmarshalStrict(b, v)
}

// unmarshalStrict decodes one JSON value from b into v, refusing unknown
// fields and trailing data, and turns the decoder's errors into API
// errors that say where.
func unmarshalStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, b, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return errorf(http.StatusBadRequest, CodeMalformedJSON, "unexpected data after the JSON value").
			with("offset", dec.InputOffset())
	}
	return nil
}

func jsonError(err error, body []byte, offset int64) *Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, CodeMalformedJSON, "the request body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, CodeMalformedJSON, "the JSON ends early").with("offset", len(body))
	case errors.As(err, &syn):
		return errorf(http.StatusBadRequest, CodeMalformedJSON, "malformed JSON at byte %d: %s", syn.Offset, strings.TrimPrefix(syn.Error(), "json: ")).
			with("offset", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return errorf(http.StatusBadRequest, CodeInvalidRequest, "the request body must be a JSON %s, not %s", kindOf(typ.Type.Kind().String()), typ.Value).
				with("offset", typ.Offset)
		}
		return errorf(http.StatusBadRequest, CodeInvalidRequest, "field %q: want %s, not %s", field, kindOf(typ.Type.Kind().String()), typ.Value).
			with("field", field).with("offset", typ.Offset)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errorf(http.StatusBadRequest, CodeUnknownField, "unknown field %q", name).
			with("field", name).with("offset", offset)
	}
	// A value the engine's types refused (an unknown lane, event kind or
	// date): the message names the value, which the client sent.
	return errorf(http.StatusBadRequest, CodeInvalidRequest, "%s", strings.TrimPrefix(err.Error(), "json: ")).with("offset", offset)
}

func kindOf(k string) string {
	switch k {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "bool":
		return "boolean"
	}
	return k
}

func missing(field string) *Error {
	return errorf(http.StatusBadRequest, CodeInvalidRequest, "field %q is required", field).with("field", field)
}

// decide runs fn with the per-decision timeout, at most
// Config.MaxConcurrent at once. The evaluation runs on its own goroutine
// so that the response is not held past the timeout even by a rule that
// does not look at its context; it keeps its slot until it returns, so
// abandoned evaluations still count against the bound.
func (s *Server) decide(ctx context.Context, fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.DecisionTimeout)
	defer cancel()
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return s.ctxError(ctx, "waiting for a free evaluation slot")
	}
	done := make(chan error, 1)
	go func() {
		defer func() { <-s.sem }()
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic in a decision", "request_id", requestID(ctx), "panic", fmt.Sprint(v))
				done <- errors.New("panic in a decision")
			}
		}()
		done <- fn(ctx)
	}()
	select {
	case err := <-done:
		if err != nil && ctx.Err() != nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
			return s.ctxError(ctx, "evaluating")
		}
		return err
	case <-ctx.Done():
		return s.ctxError(ctx, "evaluating")
	}
}

func (s *Server) ctxError(ctx context.Context, doing string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return errorf(http.StatusServiceUnavailable, CodeDecisionTimeout, "no decision within %s (%s): nothing was decided", s.cfg.DecisionTimeout, doing).
			with("timeout_ms", s.cfg.DecisionTimeout.Milliseconds())
	}
	return errorf(499, CodeClientClosed, "the client closed the request")
}
