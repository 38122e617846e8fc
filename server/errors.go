package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/safe-aeo/engine/diag"
)

// Error codes, the "code" of every error response. A client branches on
// the code, never on the message, which is for people and may change.
const (
	CodeMalformedJSON        = "malformed_json"
	CodeUnknownField         = "unknown_field"
	CodeInvalidRequest       = "invalid_request"
	CodeInvalidProfile       = "invalid_profile"
	CodeUnsupportedMediaType = "unsupported_media_type"
	CodeBodyTooLarge         = "body_too_large"
	CodeLineTooLong          = "line_too_long"
	CodeStreamTooLong        = "stream_too_long"
	CodeUnknownProgramme     = "unknown_programme"
	CodeProgrammeFailed      = "programme_failed"
	CodeSectionMissing       = "section_missing"
	CodeEventRefused         = "event_refused"
	CodeTrailTampered        = "trail_tampered"
	CodeStateMismatch        = "state_mismatch"
	CodeUnauthorized         = "unauthorized"
	CodeNotFound             = "not_found"
	CodeMethodNotAllowed     = "method_not_allowed"
	CodeDecisionTimeout      = "decision_timeout"
	CodeOverloaded           = "overloaded"
	CodeDecisionLogFailed    = "decision_log_failed"
	CodeShuttingDown         = "shutting_down"
	CodeClientClosed         = "client_closed"
	CodeInternal             = "internal"
)

// An Error is the body of every error response:
//
//	{"error": {"code": "unknown_field", "message": "...", "details": {...}}}
//
// Status is the HTTP status; it is not part of the body.
type Error struct {
	Status  int            `json:"-"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// Error returns the code and the message.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(status int, code, format string, args ...any) *Error {
	return &Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) with(key string, v any) *Error {
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	e.Details[key] = v
	return e
}

// errorBody is the envelope of an error response.
type errorBody struct {
	Error *Error `json:"error"`
}

// writeError writes e as the response. Anything that is not an *Error is
// an internal error: its text is logged by the caller, never sent, so
// that no internal detail reaches a client.
func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = errorf(http.StatusInternalServerError, CodeInternal, "internal error")
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="aeo"`)
	}
	writeJSON(w, e.Status, errorBody{e})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"internal","message":"internal error"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// A Problem is one problem in a programme or a profile, as package diag
// reports it: the file, line and column when known, the path of the key
// at fault, and the message.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
}

// problems lists the diag problems in err, or its text when it carries
// none.
func problems(err error) []Problem {
	var list diag.List
	if errors.As(err, &list) {
		out := make([]Problem, 0, len(list))
		for _, e := range list {
			out = append(out, Problem{e.File, e.Line, e.Column, e.Path, e.Message})
		}
		return out
	}
	var one *diag.Error
	if errors.As(err, &one) {
		return []Problem{{one.File, one.Line, one.Column, one.Path, one.Message}}
	}
	return []Problem{{Message: err.Error()}}
}
