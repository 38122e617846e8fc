package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// fuzzRoutes are the endpoints that decode a body.
var fuzzRoutes = []string{
	"/v1/programmes/baseline/assess",
	"/v1/programmes/baseline/risk",
	"/v1/programmes/baseline/benefits",
	"/v1/programmes/baseline/lane",
	"/v1/programmes/baseline/lanes",
	"/v1/programmes/baseline/lifecycle/apply",
	"/v1/programmes/baseline/lifecycle/due",
	"/v1/programmes/baseline/lifecycle/verify",
	"/v1/validate",
}

var fuzzTypes = []string{"application/json", "application/x-ndjson", "application/yaml", "text/plain", ""}

// FuzzRequest sends arbitrary bodies to every endpoint that reads one:
// the answer is never a 500, and always JSON (NDJSON for a stream), with
// an error code when it is an error.
func FuzzRequest(f *testing.F) {
	dir := f.TempDir()
	b, err := os.ReadFile("../examples/baseline/programme.yaml")
	if err != nil {
		f.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "baseline.yaml"), b, 0o644); err != nil {
		f.Fatal(err)
	}
	srv, err := New(Config{Dir: dir, PollInterval: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxBodyBytes: 16 << 10})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), uint8(0), []byte(`{"as_of":"2025-03-31","profile":{"operator_id":"X","facts":{"sensitive_goods":true}}}`))
	f.Add(uint8(3), uint8(0), []byte(`{"declaration":{"id":"D","hs_code":"930190","date":"2025-01-01T00:00:00Z"},"operator":{"status":"authorized"}}`))
	f.Add(uint8(4), uint8(1), []byte("{\"declaration\":{\"id\":\"D\"}}\n{bad\n\n"))
	f.Add(uint8(4), uint8(0), []byte(`[{"declaration":{"id":"D"}}, 1, {"x":2}]`))
	f.Add(uint8(5), uint8(0), []byte(`{"event":{"kind":"lodge","at":"2025-01-01T00:00:00Z","actor":"A","role":"operator","types":["AEO"]}}`))
	f.Add(uint8(7), uint8(0), []byte(`{"trail":[{"seq":0,"prev":"","event":{"kind":"lodge"},"from":"none","to":"lodged","fingerprint":"x","hash":"y"}]}`))
	f.Add(uint8(8), uint8(2), []byte("programme: {name: x, version: \"1\"}\nextends: baseline\n"))
	f.Fuzz(func(t *testing.T, route, ctype uint8, body []byte) {
		path := fuzzRoutes[int(route)%len(fuzzRoutes)]
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		if ct := fuzzTypes[int(ctype)%len(fuzzTypes)]; ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != 503 {
			t.Fatalf("%s: status %d: %s", path, rec.Code, rec.Body)
		}
		out := rec.Body.Bytes()
		if rec.Header().Get("Content-Type") == "application/x-ndjson" {
			sc := bufio.NewScanner(bytes.NewReader(out))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var l streamLine
				if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
					t.Fatalf("a stream line is not JSON: %q", sc.Bytes())
				}
				if l.Error != nil && (l.Error.Code == "" || l.Error.Code == CodeInternal) {
					t.Fatalf("a stream line's error: %+v", l.Error)
				}
			}
			return
		}
		if rec.Code >= 400 {
			var e errorBody
			if err := json.Unmarshal(out, &e); err != nil || e.Error == nil || e.Error.Code == "" {
				t.Fatalf("%s: status %d without an error code: %s", path, rec.Code, out)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("%s: the answer is not JSON: %s", path, out)
		}
	})
}

// FuzzReadLine checks the NDJSON line reader against splitting the whole
// input at newlines.
func FuzzReadLine(f *testing.F) {
	f.Add([]byte("a\nbb\n\nccc"), uint8(2))
	f.Add([]byte("x\n"), uint8(0))
	f.Add(bytes.Repeat([]byte("y"), 300), uint8(20))
	f.Fuzz(func(t *testing.T, in []byte, maxLen uint8) {
		max := int(maxLen)
		br := bufio.NewReaderSize(bytes.NewReader(in), 16) // small, to cross buffer boundaries
		want := bytes.SplitAfter(in, []byte("\n"))
		if len(want) > 0 && len(want[len(want)-1]) == 0 {
			want = want[:len(want)-1]
		}
		for i := 0; ; i++ {
			line, tooLong, err := readLine(br, max)
			if err != nil && err != io.EOF {
				t.Fatal(err)
			}
			if err == io.EOF && len(line) == 0 && !tooLong {
				if i != len(want) {
					t.Fatalf("%d lines read, %d in the input", i, len(want))
				}
				return
			}
			if i >= len(want) {
				t.Fatalf("line %d read past the input", i)
			}
			w := want[i]
			if long := len(w) > max+1 || (len(w) == max+1 && w[len(w)-1] != '\n'); long != tooLong {
				t.Fatalf("line %d (%q): too long %v, want %v", i, w, tooLong, long)
			}
			if !tooLong && !bytes.Equal(line, w) {
				t.Fatalf("line %d: %q, want %q", i, line, w)
			}
			if err == io.EOF {
				if i+1 != len(want) {
					t.Fatalf("EOF after %d lines, %d in the input", i+1, len(want))
				}
				return
			}
		}
	})
}
