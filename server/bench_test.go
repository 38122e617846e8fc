package server

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// benchServer serves the baseline example with the decision log on (to
// a discarding writer) and the request log off.
func benchServer(b *testing.B) *Server {
	dir := b.TempDir()
	prog, err := os.ReadFile("../examples/baseline/programme.yaml")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "baseline.yaml"), prog, 0o644); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Dir: dir, PollInterval: -1, DecisionLog: io.Discard,
		Logger: slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		b.Fatal(err)
	}
	return srv
}

func benchRequest(b *testing.B, srv *Server, path, ctype string, body []byte) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d: %s", rec.Code, rec.Body)
		}
	}
}

// The handlers alone, without the network: what the service adds to the
// library's own cost (decoding, the decision log, encoding).
func BenchmarkAssessHandler(b *testing.B) {
	benchRequest(b, benchServer(b), "/v1/programmes/baseline/assess", "application/json", assessBody(b, "operator"))
}

func BenchmarkLaneHandler(b *testing.B) {
	body := []byte(mustJSON(laneReq("L1", "930190", map[string]any{"status": "authorized", "types": []string{"AEO"}})))
	benchRequest(b, benchServer(b), "/v1/programmes/baseline/lane", "application/json", body)
}

func BenchmarkLanesStreamHandler(b *testing.B) {
	var in bytes.Buffer
	for i := range 1000 {
		in.WriteString(mustJSON(laneReq(fmt.Sprintf("S%07d", i), "930190", nil)) + "\n")
	}
	benchRequest(b, benchServer(b), "/v1/programmes/baseline/lanes", "application/x-ndjson", in.Bytes())
}
