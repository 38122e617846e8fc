package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite openapi.json from the Go types and the path table")

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is a real server on a loopback port, with a client whose every
// response is validated against the OpenAPI document.
type harness struct {
	t      *testing.T
	srv    *Server
	url    string
	dir    string
	client *http.Client
	logs   *syncBuffer
	dlog   *syncBuffer
	token  string
	stop   func() error
}

// programmeFile copies an example programme into dir under name.
func programmeFile(t testing.TB, dir, name, example string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", example))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
}

// start serves the programmes of a fresh directory (baseline and eu
// unless setup writes others) on 127.0.0.1:0.
func start(t *testing.T, setup func(dir string, cfg *Config)) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{t: t, dir: dir, logs: &syncBuffer{}, dlog: &syncBuffer{}}
	cfg := Config{Dir: dir, DecisionLog: h.dlog, PollInterval: -1}
	cfg.Logger = slog.New(slog.NewJSONHandler(h.logs, nil))
	if setup != nil {
		setup(dir, &cfg)
	} else {
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
		programmeFile(t, dir, "eu.yaml", "eu/programme.yaml")
	}
	h.token = cfg.Token
	srv, err := New(cfg)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	h.srv, h.url = srv, "http://"+ln.Addr().String()
	var once sync.Once
	var stopErr error
	h.stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() { _ = h.stop() })
	h.client = &http.Client{Transport: newValidator(t), Timeout: 60 * time.Second}
	return h
}

// do sends a request and returns the status and body. The validator has
// already checked the response against the OpenAPI document.
func (h *harness) do(method, path, contentType string, body []byte) (int, []byte, http.Header) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.url+path, bytes.NewReader(body))
	require.NoError(h.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	resp, err := h.client.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return resp.StatusCode, b, resp.Header
}

// post sends v as JSON and decodes the JSON answer into out (if not nil).
func (h *harness) post(path string, v any, out any) int {
	h.t.Helper()
	body, err := json.Marshal(v)
	require.NoError(h.t, err)
	code, b, _ := h.do(http.MethodPost, path, "application/json", body)
	if out != nil {
		require.NoError(h.t, json.Unmarshal(b, out), "%s", b)
	}
	return code
}

func (h *harness) get(path string, out any) int {
	h.t.Helper()
	code, b, _ := h.do(http.MethodGet, path, "", nil)
	if out != nil {
		require.NoError(h.t, json.Unmarshal(b, out), "%s", b)
	}
	return code
}

// apiError is an error response as a client reads it.
type apiError struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

// profileJSON reads an example applicant's YAML profile as JSON.
func profileJSON(t testing.TB, name string) json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", "baseline", "applicants", name))
	require.NoError(t, err)
	var v any
	require.NoError(t, yaml.Unmarshal(b, &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return out
}

// validator is an http.RoundTripper that validates every response
// against the OpenAPI document with kin-openapi: the status must be
// documented for the operation, the content type listed, and the body
// valid against its schema (each line of an NDJSON stream against the
// line schema). A request to no documented operation must get an error
// body.
type validator struct {
	t      *testing.T
	doc    *openapi3.T
	router routers.Router
}

var (
	docOnce   sync.Once
	sharedDoc *openapi3.T
	sharedRtr routers.Router
	docErr    error
)

// loadDoc loads and validates the OpenAPI document with kin-openapi.
func loadDoc() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(OpenAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, err
	}
	return doc, nil
}

// newValidator validates against the document loaded once; its router
// matches paths on any loopback port.
func newValidator(t *testing.T) *validator {
	docOnce.Do(func() {
		if sharedDoc, docErr = loadDoc(); docErr != nil {
			return
		}
		sharedDoc.Servers = openapi3.Servers{{URL: "/"}}
		sharedRtr, docErr = gorillamux.NewRouter(sharedDoc)
	})
	require.NoError(t, docErr, "the OpenAPI document does not load")
	return &validator{t: t, doc: sharedDoc, router: sharedRtr}
}

func (v *validator) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := v.validate(req, resp, body); err != nil {
		v.t.Errorf("%s %s -> %d: response does not match the OpenAPI document: %v\nbody: %.600s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp, nil
}

func (v *validator) validate(req *http.Request, resp *http.Response, body []byte) error {
	opts := []openapi3.SchemaValidationOption{openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()}
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		// No operation: the server must answer with an error body.
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusUnauthorized {
			return errors.New("no documented operation, and the status is not 401, 404 or 405")
		}
		var val any
		if err := json.Unmarshal(body, &val); err != nil {
			return err
		}
		return v.doc.Components.Schemas["ErrorBody"].Value.VisitJSON(val, opts...)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	ndjson := strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-ndjson")
	in.Options.ExcludeResponseBody = ndjson
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		return err
	}
	if !ndjson {
		return nil
	}
	mt := route.Operation.Responses.Status(resp.StatusCode).Value.Content.Get("application/x-ndjson")
	if mt == nil {
		return errors.New("NDJSON is not documented for this status")
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		var val any
		if err := json.Unmarshal(sc.Bytes(), &val); err != nil {
			return err
		}
		if err := mt.Schema.Value.VisitJSON(val, opts...); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}
