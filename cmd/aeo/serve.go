package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/server"
)

// cmdServe runs the decision service until SIGINT or SIGTERM, reloading
// the programmes on SIGHUP and when a file of the directory changes.
func cmdServe(args []string, w io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	return serve(ctx, args, w, os.Stderr, hup, nil)
}

// serve is the serve command: it runs until ctx is done, reloads on each
// value of hup, and calls started with the address once it listens.
func serve(ctx context.Context, args []string, w, logw io.Writer, hup <-chan os.Signal, started func(addr string)) error {
	fs := newFlags("serve", "DIR",
		"Serves the programme files of DIR (each under its base name) over HTTP/JSON, under /v1;\n"+
			"the OpenAPI document is at /v1/openapi.json. Reloads a file when it changes and on SIGHUP;\n"+
			"stops gracefully on SIGINT or SIGTERM. See docs/service.md.")
	addr := fs.String("addr", "127.0.0.1:8080", "`HOST:PORT` to listen on; the default accepts local connections only")
	dir := fs.String("dir", "", "the programme `DIR`, instead of the argument")
	tokenFile := fs.String("token-file", "", "`FILE` holding the bearer token required on /v1 and /metrics (or set AEO_TOKEN)")
	certFile := fs.String("tls-cert", "", "TLS certificate `FILE` (PEM); with --tls-key, serve HTTPS")
	keyFile := fs.String("tls-key", "", "TLS private key `FILE` (PEM)")
	decisionLog := fs.String("decision-log", "", "append a JSON line per decision to `FILE` (time, fingerprint, as-of, input hash, outcome)")
	seedFile := fs.String("seed-file", "", "`FILE` holding the secret seed of the selectivity draws, kept out of the programme files")
	maxBody := fs.Int64("max-body", server.DefaultMaxBodyBytes, "largest request body, in `BYTES`")
	maxLines := fs.Int("max-stream-lines", server.DefaultMaxStreamLines, "most declarations (`LINES`) in one stream")
	timeout := fs.Duration("decision-timeout", server.DefaultDecisionTimeout, "longest `DURATION` one decision may take")
	poll := fs.Duration("poll", server.DefaultPollInterval, "`DURATION` between looks for changed programme files; 0 turns it off")
	level := fs.String("log-level", "info", "`debug|info|warn|error`: the least level logged")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 1 && *dir == "":
		*dir = pos[0]
	case len(pos) > 1 || (len(pos) == 1 && *dir != ""):
		return usagef("want one programme directory, got %d", len(pos)+min(len(*dir), 1))
	case *dir == "":
		return usagef("name the programme directory: aeo serve DIR")
	}
	if (*certFile == "") != (*keyFile == "") {
		return usagef("--tls-cert and --tls-key go together")
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return usagef("--log-level %q: want debug, info, warn or error", *level)
	}
	cfg := server.Config{
		Dir:             *dir,
		Logger:          slog.New(slog.NewJSONHandler(logw, &slog.HandlerOptions{Level: lv})),
		MaxBodyBytes:    *maxBody,
		MaxStreamLines:  *maxLines,
		DecisionTimeout: *timeout,
		PollInterval:    *poll,
	}
	if *poll == 0 {
		cfg.PollInterval = -1
	}
	if cfg.Token, err = secret(*tokenFile, "AEO_TOKEN"); err != nil {
		return err
	}
	if *seedFile != "" {
		seed, err := secret(*seedFile, "")
		if err != nil {
			return err
		}
		cfg.LoadOptions = append(cfg.LoadOptions, aeo.WithSeed(seed))
	}
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return fmt.Errorf("TLS: %w", err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if *decisionLog != "" {
		f, err := os.OpenFile(*decisionLog, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return fmt.Errorf("decision log: %w", unwrapPath(err))
		}
		defer f.Close()
		cfg.DecisionLog = f
	}
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil && !net.ParseIP(host).IsLoopback() && cfg.Token == "" {
		cfg.Logger.Warn("listening beyond this machine without a bearer token: anyone who reaches the port can ask for decisions",
			"addr", ln.Addr().String())
	}
	scheme := "http"
	if cfg.TLS != nil {
		scheme = "https"
	}
	fmt.Fprintf(w, "aeo serve: %d programmes from %s on %s://%s\n", len(srv.Programmes()), *dir, scheme, ln.Addr())
	if started != nil {
		started(ln.Addr().String())
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				cfg.Logger.Info("SIGHUP: reloading the programmes")
				_, _ = srv.Reload(ctx)
			}
		}
	}()
	return srv.Serve(ctx, ln)
}

// secret reads a secret from a file (so that it does not show in the
// process list), or from the environment variable env when no file is
// named. Surrounding white space is dropped.
func secret(file, env string) (string, error) {
	if file == "" {
		if env == "" {
			return "", nil
		}
		return strings.TrimSpace(os.Getenv(env)), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", unwrapPath(err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("%s is empty", file)
	}
	return s, nil
}
