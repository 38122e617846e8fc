package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoad measures the service on this machine: requests per second and
// the 50th and 99th percentile latencies of assessments, single lanes and
// streamed lanes, over HTTP on the loopback interface. It runs only with
// AEO_LOADTEST=1, is bounded in requests and in time, and sends nothing
// beyond 127.0.0.1. The client shares the machine's cores with the
// server, as a sidecar's caller would.
//
//	AEO_LOADTEST=1 go test ./server -run TestLoad -count=1 -v
//
// AEO_LOADTEST_CLIENTS sets the concurrent clients (default 8) and
// AEO_LOADTEST_SECONDS the time bound of each scenario (default 20).
func TestLoad(t *testing.T) {
	if os.Getenv("AEO_LOADTEST") != "1" {
		t.Skip("set AEO_LOADTEST=1 to run the load test")
	}
	clients := envInt("AEO_LOADTEST_CLIENTS", 8)
	bound := time.Duration(envInt("AEO_LOADTEST_SECONDS", 20)) * time.Second

	dir := t.TempDir()
	programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
	logFile, err := os.Create(filepath.Join(t.TempDir(), "decisions.jsonl"))
	require.NoError(t, err)
	defer logFile.Close()
	srv, err := New(Config{Dir: dir, PollInterval: -1, DecisionLog: logFile,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}, Timeout: time.Minute}

	assess := assessBody(t, "operator")
	lane := []byte(mustJSON(laneReq("L0000001", "930190", map[string]any{"status": "authorized", "types": []string{"AEO"}})))
	const perStream = 1000
	var stream bytes.Buffer
	hs := []string{"930190", "220830", "851712", "610910", "080810"}
	for i := range perStream {
		stream.WriteString(mustJSON(laneReq(fmt.Sprintf("S%07d", i), hs[i%len(hs)], nil)))
		stream.WriteByte('\n')
	}

	scenarios := []struct {
		name     string
		path     string
		ctype    string
		body     []byte
		requests int
		perReq   int // decisions per request
	}{
		{"assess (operator view)", "/v1/programmes/baseline/assess", "application/json", assess, 4000, 1},
		{"lane, one per request", "/v1/programmes/baseline/lane", "application/json", lane, 40000, 1},
		{"lanes, NDJSON streams of 1000", "/v1/programmes/baseline/lanes", "application/x-ndjson", stream.Bytes(), 200, perStream},
	}
	t.Logf("GOMAXPROCS=%d, %d clients, at most %s a scenario, decision log on", runtime.GOMAXPROCS(0), clients, bound)
	t.Logf("%-32s %9s %12s %14s %10s %10s", "scenario", "requests", "requests/s", "decisions/s", "p50", "p99")
	for _, sc := range scenarios {
		// Warm up the connections and the pools.
		for range clients {
			code, _ := send(client, base+sc.path, sc.ctype, sc.body)
			require.Equal(t, 200, code, sc.name)
		}
		var next atomic.Int64
		lat := make([][]time.Duration, clients)
		deadline := time.Now().Add(bound)
		start := time.Now()
		var wg sync.WaitGroup
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(sc.requests) && time.Now().Before(deadline) {
					t0 := time.Now()
					code, err := send(client, base+sc.path, sc.ctype, sc.body)
					if err != nil || code != 200 {
						t.Errorf("%s: %d %v", sc.name, code, err)
						return
					}
					lat[c] = append(lat[c], time.Since(t0))
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		all := slices.Concat(lat...)
		slices.Sort(all)
		if len(all) == 0 {
			t.Fatalf("%s: no request completed", sc.name)
		}
		rps := float64(len(all)) / elapsed.Seconds()
		t.Logf("%-32s %9d %12.0f %14.0f %10s %10s", sc.name, len(all), rps, rps*float64(sc.perReq),
			round(pct(all, 50)), round(pct(all, 99)))
	}
}

func send(c *http.Client, url, ctype string, body []byte) (int, error) {
	resp, err := c.Post(url, ctype, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}

func round(d time.Duration) string {
	switch {
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	}
	return d.Round(time.Microsecond).String()
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(strings.TrimSpace(os.Getenv(name))); err == nil && v > 0 {
		return v
	}
	return def
}
