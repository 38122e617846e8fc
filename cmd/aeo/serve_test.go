package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
)

// lockedBuffer collects the server's logs from its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServe(t *testing.T) {
	dir := t.TempDir()
	prog, err := os.ReadFile("../../examples/baseline/programme.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "baseline.yaml"), prog, 0o644))
	secrets := t.TempDir()
	tokenFile, seedFile, dlog := filepath.Join(secrets, "token"), filepath.Join(secrets, "seed"), filepath.Join(secrets, "decisions.jsonl")
	require.NoError(t, os.WriteFile(tokenFile, []byte("tok-123\n"), 0o600))
	require.NoError(t, os.WriteFile(seedFile, []byte("a secret seed\n"), 0o600))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hup := make(chan os.Signal, 1)
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	var out bytes.Buffer
	logs := &lockedBuffer{}
	go func() {
		done <- serve(ctx, []string{dir, "--addr", "127.0.0.1:0", "--token-file", tokenFile, "--seed-file", seedFile,
			"--decision-log", dlog, "--poll", "0"}, &out, logs, hup, func(addr string) { addrc <- addr })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	}
	call := func(method, path, token, body string) (int, string) {
		req, err := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		require.NoError(t, err)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, _ := call("GET", "/healthz", "", "")
	assert.Equal(t, 200, code)
	code, _ = call("GET", "/v1/programmes", "", "")
	assert.Equal(t, 401, code, "the token from the file is required")
	code, body := call("GET", "/v1/programmes", "tok-123", "")
	require.Equal(t, 200, code)
	assert.Contains(t, body, `"name":"baseline"`)
	code, body = call("POST", "/v1/programmes/baseline/lane", "tok-123", `{"declaration":{"id":"D1","hs_code":"610910"}}`)
	require.Equal(t, 200, code, body)
	var lr struct {
		Decision struct {
			Draw float64 `json:"draw"`
		} `json:"decision"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &lr))

	hup <- syscall.SIGHUP
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "SIGHUP: reloading") || !strings.Contains(logs.String(), `"programme":"baseline"`) {
		require.True(t, time.Now().Before(deadline), "no reload on SIGHUP: %s", logs.String())
		time.Sleep(10 * time.Millisecond)
	}

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	assert.Contains(t, out.String(), "aeo serve: 1 programmes from "+dir+" on http://127.0.0.1:")
	log, err := os.ReadFile(dlog)
	require.NoError(t, err)
	assert.Equal(t, 1, bytes.Count(log, []byte("\n")), "one decision, one line")
	assert.Contains(t, string(log), `"kind":"lane"`)

	// The seed from the file, not the one published in the programme,
	// keys the draws.
	published, err := aeo.Parse("baseline.yaml", prog)
	require.NoError(t, err)
	secret, err := aeo.Parse("baseline.yaml", prog, aeo.WithSeed("a secret seed"))
	require.NoError(t, err)
	assert.Equal(t, secret.Selector().Draw("D1"), lr.Decision.Draw)
	assert.NotEqual(t, published.Selector().Draw("D1"), lr.Decision.Draw)
	assert.NotContains(t, logs.String(), "a secret seed", "the seed is never logged")
}

func TestServeUsage(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		reason string
		args   []string
		usage  bool
		want   string
	}{
		{"no directory", []string{}, true, "name the programme directory"},
		{"two directories", []string{dir, dir}, true, "want one programme directory"},
		{"a directory twice", []string{dir, "--dir", dir}, true, "want one programme directory"},
		{"a certificate without its key", []string{dir, "--tls-cert", "c.pem"}, true, "go together"},
		{"a log level that does not exist", []string{dir, "--log-level", "loud"}, true, "--log-level"},
		{"an unknown flag", []string{dir, "--port", "80"}, true, "port"},
		{"a certificate that cannot be read", []string{dir, "--tls-cert", filepath.Join(dir, "c.pem"), "--tls-key", filepath.Join(dir, "k.pem")}, false, "TLS:"},
		{"a token file that is missing", []string{dir, "--token-file", filepath.Join(dir, "none")}, false, "none: no such file"},
		{"a directory that is missing", []string{filepath.Join(dir, "none")}, false, "no such file"},
		{"an address already in use or invalid", []string{dir, "--addr", "256.0.0.1:1"}, false, "256.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			err := serve(t.Context(), tt.args, io.Discard, io.Discard, nil, nil)
			require.Error(t, err)
			var ue *usageError
			assert.Equal(t, tt.usage, errors.As(err, &ue), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestPythonClient runs the standard-library Python client of
// examples/client against aeo serve on a loopback port. It is skipped
// where there is no python3; CI installs one and also runs the client
// against the built binary.
func TestPythonClient(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3 on PATH")
	}
	dir := t.TempDir()
	prog, err := os.ReadFile("../../examples/baseline/programme.yaml")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "baseline.yaml"), prog, 0o644))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{dir, "--addr", "127.0.0.1:0", "--poll", "0"}, io.Discard, io.Discard, nil, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("serve stopped: %v", err)
	}
	out, err := exec.Command(py, "../../examples/client/aeo_client.py", "--url", "http://"+addr).CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, want := range []string{
		"AEO: recommend",
		"XX25IM0000002: red (rule weapons)",
		"XX25IM0000002: yellow (rule weapons)",
		"bad input refused: 400 invalid_profile",
	} {
		assert.Contains(t, string(out), want)
	}
	cancel()
	require.NoError(t, <-done)
}
