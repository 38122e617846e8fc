package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/safe-aeo/engine/aeo"
)

// Defaults of the limits and timeouts a zero Config field stands for.
const (
	DefaultMaxBodyBytes      = 1 << 20  // a request body: a profile, an event, a declaration
	DefaultMaxProgrammeBytes = 8 << 20  // a programme file sent to /v1/validate
	DefaultMaxStreamBytes    = 64 << 20 // a whole stream of declarations
	DefaultMaxLineBytes      = 64 << 10 // one line of an NDJSON stream
	DefaultMaxStreamLines    = 100_000  // lines of one stream
	DefaultDecisionTimeout   = 5 * time.Second
	DefaultPollInterval      = 2 * time.Second
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
	DefaultShutdownTimeout   = 30 * time.Second
)

// Config configures a Server. The zero value of each field stands for its
// default; Dir is required.
type Config struct {
	// Dir is the directory of programme files: every *.yaml, *.yml and
	// *.json file directly in it is a programme, named by its base name
	// without the extension (eu.yaml serves as "eu"). A programme may
	// extend another file of the directory.
	Dir string
	// LoadOptions are passed to aeo.Load for every programme (a secret
	// selectivity seed, expression bounds).
	LoadOptions []aeo.Option

	// Logger receives the structured logs; nil logs JSON to standard
	// error.
	Logger *slog.Logger
	// Registry receives the metrics and is served at /metrics; nil makes
	// a new registry with the Go and process collectors.
	Registry *prometheus.Registry
	// DecisionLog, when set, receives one JSON line per decision: time,
	// programme fingerprint, as-of date, SHA-256 of the input, outcome.
	// Each line is written with one Write call; a failed write fails the
	// decision.
	DecisionLog io.Writer

	// Token, when set, is the bearer token every request to /v1 and
	// /metrics must carry.
	Token string

	// MaxBodyBytes bounds a request body, MaxProgrammeBytes a programme
	// sent for validation, MaxStreamBytes a whole NDJSON stream or JSON
	// array of declarations, MaxLineBytes one of its lines and
	// MaxStreamLines its number of lines.
	MaxBodyBytes      int64
	MaxProgrammeBytes int64
	MaxStreamBytes    int64
	MaxLineBytes      int
	MaxStreamLines    int

	// DecisionTimeout bounds one decision (an assessment, a risk map, a
	// lane, a lifecycle step). MaxConcurrent bounds the decisions under
	// way at once; default four per CPU.
	DecisionTimeout time.Duration
	MaxConcurrent   int

	// PollInterval is how often Serve looks for changed programme files;
	// negative turns polling off (Reload still works).
	PollInterval time.Duration

	// Settings of the http.Server that Serve runs. ReadTimeout and
	// WriteTimeout apply to a whole request, except for streams, whose
	// deadlines are extended line by line. TLS, when set, serves HTTPS
	// with its certificates.
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	ShutdownTimeout   time.Duration
	TLS               *tls.Config

	// Now is the clock of logs, load times and decision-log lines; it
	// never enters a decision. Nil means time.Now.
	Now func() time.Time
}

func (c *Config) setDefaults() {
	setDefault(&c.MaxBodyBytes, DefaultMaxBodyBytes)
	setDefault(&c.MaxProgrammeBytes, DefaultMaxProgrammeBytes)
	setDefault(&c.MaxStreamBytes, DefaultMaxStreamBytes)
	setDefault(&c.MaxLineBytes, DefaultMaxLineBytes)
	setDefault(&c.MaxStreamLines, DefaultMaxStreamLines)
	setDefault(&c.DecisionTimeout, DefaultDecisionTimeout)
	setDefault(&c.MaxConcurrent, 4*runtime.GOMAXPROCS(0))
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	setDefault(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	setDefault(&c.ReadTimeout, DefaultReadTimeout)
	setDefault(&c.WriteTimeout, DefaultWriteTimeout)
	setDefault(&c.IdleTimeout, DefaultIdleTimeout)
	setDefault(&c.ShutdownTimeout, DefaultShutdownTimeout)
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// setDefault replaces a zero or negative limit by its default.
func setDefault[T int | int64 | time.Duration](v *T, def T) {
	if *v <= 0 {
		*v = def
	}
}

// A Server is the decision service. Make one with New; it is an
// http.Handler, and Serve runs it on a listener. A Server is safe for
// concurrent use by multiple goroutines.
type Server struct {
	cfg     Config
	log     *slog.Logger
	mux     *http.ServeMux
	metrics *metrics
	dlog    *decisionLog
	sem     chan struct{}

	progs    atomic.Pointer[catalogue]
	reloadMu sync.Mutex // one reload at a time
	// loadedState is the dirState the last reload read the files in.
	loadedState atomic.Value
	ready       atomic.Bool
	draining    atomic.Bool
}

// New loads every programme of cfg.Dir and returns the server. A file
// that fails to load is reported by the programmes endpoint, the logs and
// the metrics, and does not stop the others; New fails only when the
// directory cannot be read.
func New(cfg Config) (*Server, error) {
	if cfg.Dir == "" {
		return nil, errors.New("server: no programme directory")
	}
	cfg.setDefaults()
	s := &Server{
		cfg: cfg,
		log: cfg.Logger,
		sem: make(chan struct{}, cfg.MaxConcurrent),
	}
	m, err := newMetrics(cfg.Registry)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if cfg.DecisionLog != nil {
		s.dlog = &decisionLog{w: cfg.DecisionLog, now: cfg.Now}
	}
	s.progs.Store(&catalogue{byName: map[string]*entry{}})
	if _, err := s.Reload(context.Background()); err != nil {
		return nil, err
	}
	s.ready.Store(true)
	s.routes()
	return s, nil
}

// Serve serves HTTP (HTTPS with Config.TLS) on ln until ctx is done,
// reloading the programmes when a file of the directory changes. It then
// stops accepting connections, reports not ready, and waits up to
// Config.ShutdownTimeout for the requests in flight to finish before
// closing the rest. It returns nil after a graceful shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		TLSConfig:         s.cfg.TLS,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if s.cfg.PollInterval > 0 {
		go s.watch(watchCtx, s.cfg.PollInterval)
	}
	errc := make(chan error, 1)
	go func() {
		if s.cfg.TLS != nil {
			errc <- hs.ServeTLS(ln, "", "")
			return
		}
		errc <- hs.Serve(ln)
	}()
	s.log.Info("serving", "addr", ln.Addr().String(), "tls", s.cfg.TLS != nil, "auth", s.cfg.Token != "")
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("shutting down: draining requests in flight", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		s.log.Warn("shutdown timed out: closing the connections left", "err", err.Error())
		_ = hs.Close()
	}
	if f, ok := s.cfg.DecisionLog.(interface{ Sync() error }); ok {
		if serr := f.Sync(); serr != nil {
			s.log.Error("decision log: sync failed", "err", serr.Error())
		}
	}
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
		return e
	}
	if err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	s.log.Info("stopped")
	return nil
}

// ServeHTTP serves one request: authentication, the route, and the
// request's log line and metrics.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := s.cfg.Now()
	rw := &recorder{ResponseWriter: w}
	id := r.Header.Get("X-Request-ID")
	if id == "" || len(id) > 128 {
		id = newRequestID()
	}
	rw.Header().Set("X-Request-ID", id)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	s.metrics.inflight.Inc()
	defer func() {
		s.metrics.inflight.Dec()
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			buf := make([]byte, 8<<10)
			buf = buf[:runtime.Stack(buf, false)]
			s.log.Error("panic serving request", "request_id", id, "panic", fmt.Sprint(v), "stack", string(buf))
			if !rw.wrote {
				writeError(rw, nil)
			}
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		d := s.cfg.Now().Sub(start)
		s.metrics.observe(route, r.Method, rw.status(), d)
		s.log.Info("request", "request_id", id, "method", r.Method, "route", route, "path", r.URL.Path,
			"status", rw.status(), "bytes", rw.bytes, "duration_ms", float64(d.Microseconds())/1000)
	}()
	if s.needsAuth(r.URL.Path) && !s.authorized(r) {
		writeError(rw, errorf(http.StatusUnauthorized, CodeUnauthorized, "a valid bearer token is required"))
		return
	}
	s.mux.ServeHTTP(rw, r)
}

func (s *Server) needsAuth(path string) bool {
	return s.cfg.Token != "" && (strings.HasPrefix(path, "/v1/") || path == "/v1" || path == "/metrics")
}

func (s *Server) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(h[len(prefix):])), []byte(s.cfg.Token)) == 1
}

type requestIDKey struct{}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// recorder remembers the status and size of a response for the log and
// the metrics. It passes Flush and deadlines through (see Unwrap), which
// streams need.
type recorder struct {
	http.ResponseWriter
	code  int
	bytes int64
	wrote bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.code, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection's deadlines.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) status() int {
	if !r.wrote {
		return http.StatusOK
	}
	return r.code
}
