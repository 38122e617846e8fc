package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const smallProgramme = `programme: {name: Small, version: "%s"}
extends: baseline
selectivity:
  rules:
    - {id: weapons, lane: red, when: 'hs_chapter == "93"'}
  seed: s
`

func small(version string) []byte {
	return []byte(strings.Replace(smallProgramme, "%s", version, 1))
}

// brokenProgramme has an error on line 4: a rule reading a field that
// does not exist.
var brokenProgramme = []byte("programme: {name: Small, version: \"9\"}\nextends: baseline\nrequirements:\n  - {id: Z.1, criterion: A, title: t, when: \"compliance.infringments == nil\", source: s}\n")

func write(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
}

func (h *harness) info(name string) ProgrammeInfo {
	h.t.Helper()
	var pi ProgrammeInfo
	require.Equal(h.t, 200, h.get("/v1/programmes/"+name, &pi))
	return pi
}

func (h *harness) laneFingerprint(prog string) string {
	h.t.Helper()
	var lr laneResponse
	require.Equal(h.t, 200, h.post("/v1/programmes/"+prog+"/lane", laneReq("R1", "930190", nil), &lr))
	return lr.Fingerprint
}

func TestReload(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) { write(t, dir, "small.yaml", small("1")) })
	v1 := h.info("small")
	require.Equal(t, "serving", v1.Status)

	// A new file that does not load: listed as failed with its errors,
	// answered 503, and counted; the others keep serving.
	write(t, h.dir, "broken.yaml", brokenProgramme)
	rep, err := h.srv.Reload(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"broken"}, rep.Failed)
	assert.Equal(t, []string{"small"}, rep.Unchanged)
	b := h.info("broken")
	assert.Equal(t, "failed", b.Status)
	require.NotEmpty(t, b.Errors)
	assert.Equal(t, "broken.yaml", b.Errors[0].File, "file names are relative to the directory")
	assert.Equal(t, 4, b.Errors[0].Line)
	assert.Contains(t, b.Errors[0].Message, "infringments")
	var e apiError
	require.Equal(t, 503, h.post("/v1/programmes/broken/lane", laneReq("X", "93", nil), &e))
	assert.Equal(t, CodeProgrammeFailed, e.Error.Code)
	assert.NotEmpty(t, e.Error.Details["errors"])
	assert.Equal(t, v1.Fingerprint, h.laneFingerprint("small"))
	assert.Contains(t, h.logs.String(), `"msg":"programme failed to load","programme":"broken"`)
	_, metrics, _ := h.do("GET", "/metrics", "", nil)
	assert.Contains(t, string(metrics), `aeo_programme_load_errors{programme="broken"} 1`)
	assert.Contains(t, string(metrics), `aeo_programme_serving{programme="broken"} 0`)
	assert.Contains(t, string(metrics), `aeo_programme_reloads_total{programme="broken",result="failed"} 1`)
	var rd readiness
	require.Equal(t, 200, h.get("/readyz", &rd))
	assert.Equal(t, readiness{Status: "ready", Serving: 1, Failed: 1}, rd)

	// A serving programme whose file breaks keeps its old version.
	write(t, h.dir, "small.yaml", brokenProgramme)
	rep, err = h.srv.Reload(t.Context())
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"broken", "small"}, rep.Failed)
	stale := h.info("small")
	assert.Equal(t, "stale", stale.Status)
	assert.Equal(t, v1.Fingerprint, stale.Fingerprint)
	assert.Equal(t, v1.LoadedAt, stale.LoadedAt)
	assert.NotEmpty(t, stale.Errors)
	assert.Equal(t, v1.Fingerprint, h.laneFingerprint("small"), "the old version still decides")

	// A good new version replaces it.
	write(t, h.dir, "small.yaml", small("2"))
	rep, err = h.srv.Reload(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"small"}, rep.Loaded)
	v2 := h.info("small")
	assert.Equal(t, "serving", v2.Status)
	assert.Equal(t, "2", v2.Version)
	assert.NotEqual(t, v1.Fingerprint, v2.Fingerprint)
	assert.Empty(t, v2.Errors)
	assert.Equal(t, v2.Fingerprint, h.laneFingerprint("small"))

	// A removed file is no longer served; odd names are reported.
	require.NoError(t, os.Remove(filepath.Join(h.dir, "broken.yaml")))
	write(t, h.dir, "small.json", []byte(`{"programme": {"name": "Dup", "version": "1"}, "extends": "baseline"}`))
	write(t, h.dir, "has space.yaml", small("3"))
	write(t, h.dir, "notes.txt", []byte("not a programme"))
	rep, err = h.srv.Reload(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"broken"}, rep.Removed)
	assert.ElementsMatch(t, []string{"has space", "small.json"}, rep.Failed)
	require.Equal(t, 404, h.post("/v1/programmes/broken/lane", laneReq("X", "93", nil), &e))
	assert.Equal(t, CodeUnknownProgramme, e.Error.Code)
	var list programmeList
	require.Equal(t, 200, h.get("/v1/programmes", &list))
	names := []string{}
	for _, p := range list.Programmes {
		names = append(names, p.Name+":"+p.Status)
	}
	assert.Equal(t, []string{"has space:failed", "small:serving", "small.json:failed"}, names)
	assert.Equal(t, v2.Fingerprint, h.laneFingerprint("small"), "the duplicate does not replace the first")

	// A directory that cannot be read changes nothing.
	require.NoError(t, os.Rename(h.dir, h.dir+".gone"))
	t.Cleanup(func() { _ = os.Rename(h.dir+".gone", h.dir) })
	_, err = h.srv.Reload(t.Context())
	require.Error(t, err)
	assert.Equal(t, v2.Fingerprint, h.laneFingerprint("small"))
}

func TestReloadFollowsExtends(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		write(t, dir, "base.yaml", small("1"))
		write(t, dir, "national.yaml", []byte("programme: {name: National, version: \"1\"}\nextends: base.yaml\n"))
	})
	before := h.info("national").Fingerprint
	write(t, h.dir, "base.yaml", []byte(strings.Replace(string(small("1")), `"93"`, `"97"`, 1)))
	rep, err := h.srv.Reload(t.Context())
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"base", "national"}, rep.Loaded, "a change to a file another extends reloads both")
	assert.NotEqual(t, before, h.info("national").Fingerprint)
}

// TestWatch changes a file under a polling server and waits for the new
// version to serve.
func TestWatch(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		write(t, dir, "small.yaml", small("1"))
		cfg.PollInterval = 10 * time.Millisecond
	})
	write(t, h.dir, "small.yaml", small("2"))
	deadline := time.Now().Add(20 * time.Second)
	for h.info("small").Version != "2" {
		require.True(t, time.Now().Before(deadline), "the change was never picked up")
		time.Sleep(10 * time.Millisecond)
	}
	write(t, h.dir, "small.yaml", brokenProgramme)
	for h.info("small").Status != "stale" {
		require.True(t, time.Now().Before(deadline), "the broken file was never reported")
		time.Sleep(10 * time.Millisecond)
	}
	assert.Equal(t, "2", h.info("small").Version, "the old version keeps serving")
}

// streamClient opens a lanes stream whose body the test writes line by
// line, and reads the answer line by line.
type streamClient struct {
	w      *io.PipeWriter
	lines  *bufio.Scanner
	resp   *http.Response
	cancel context.CancelFunc
}

func (h *harness) openStream(t *testing.T, prog string) *streamClient {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, "POST", h.url+"/v1/programmes/"+prog+"/lanes", pr)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-ndjson")
	respc := make(chan *http.Response, 1)
	errc := make(chan error, 1)
	go func() {
		// A plain client: the validating one reads whole bodies.
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			errc <- err
			return
		}
		respc <- resp
	}()
	sc := &streamClient{w: pw, cancel: cancel}
	sc.send(t, laneReq("S1", "930190", nil))
	select {
	case sc.resp = <-respc:
	case err := <-errc:
		t.Fatal(err)
	}
	require.Equal(t, 200, sc.resp.StatusCode)
	sc.lines = bufio.NewScanner(sc.resp.Body)
	t.Cleanup(func() { cancel(); sc.resp.Body.Close() })
	return sc
}

func (sc *streamClient) send(t *testing.T, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	_, err = sc.w.Write(append(b, '\n'))
	require.NoError(t, err)
}

func (sc *streamClient) next(t *testing.T) streamLine {
	t.Helper()
	require.True(t, sc.lines.Scan(), "the stream ended early: %v", sc.lines.Err())
	var l streamLine
	require.NoError(t, json.Unmarshal(sc.lines.Bytes(), &l))
	return l
}

// TestInFlightKeepsItsProgramme reloads during a stream: the stream
// finishes with the version it started with, new requests get the new
// one.
func TestInFlightKeepsItsProgramme(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) { write(t, dir, "small.yaml", small("1")) })
	sc := h.openStream(t, "small")
	first := sc.next(t)
	require.NotNil(t, first.Decision)
	write(t, h.dir, "small.yaml", small("2"))
	_, err := h.srv.Reload(t.Context())
	require.NoError(t, err)
	newFP := h.laneFingerprint("small")
	require.NotEqual(t, first.Fingerprint, newFP)
	sc.send(t, laneReq("S2", "930190", nil))
	second := sc.next(t)
	assert.Equal(t, first.Fingerprint, second.Fingerprint, "a request in flight keeps its programme")
	require.NoError(t, sc.w.Close())
	sum := sc.next(t)
	require.NotNil(t, sum.Summary)
	assert.True(t, sum.Summary.Complete)
	assert.Equal(t, first.Fingerprint, sum.Summary.Fingerprint)
}

// TestClientGoesAwayMidStream: the decisions made before the client went
// away are in the decision log, and the server keeps serving.
func TestClientGoesAwayMidStream(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) { write(t, dir, "small.yaml", small("1")) })
	sc := h.openStream(t, "small")
	sc.next(t)
	sc.send(t, laneReq("S2", "220830", nil))
	sc.next(t)
	sc.cancel() // the client disconnects mid-stream
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(h.logs.String(), "client went away") {
		require.True(t, time.Now().Before(deadline), "the server never noticed: %s", h.logs.String())
		time.Sleep(10 * time.Millisecond)
	}
	var ids []string
	for _, r := range h.decisionLines() {
		ids = append(ids, r.Outcome.(map[string]any)["declaration"].(string))
	}
	assert.Equal(t, []string{"S1", "S2"}, ids, "nothing decided is lost")
	var rd readiness
	require.Equal(t, 200, h.get("/readyz", &rd))
	assert.NotEmpty(t, h.laneFingerprint("small"))
}

// TestGracefulShutdown stops the server while a stream is in flight: the
// stream is answered to its end, readiness turns to draining, and Serve
// returns cleanly.
func TestGracefulShutdown(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) { write(t, dir, "small.yaml", small("1")) })
	sc := h.openStream(t, "small")
	sc.next(t)
	stopped := make(chan error, 1)
	go func() { stopped <- h.stop() }()
	deadline := time.Now().Add(20 * time.Second)
	for !h.srv.draining.Load() {
		require.True(t, time.Now().Before(deadline))
		time.Sleep(5 * time.Millisecond)
	}
	rec := httptest.NewRecorder()
	h.srv.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	assert.Equal(t, 503, rec.Code)
	assert.Contains(t, rec.Body.String(), "draining")

	sc.send(t, laneReq("S2", "930190", nil))
	assert.NotNil(t, sc.next(t).Decision, "the request in flight is still answered")
	require.NoError(t, sc.w.Close())
	sum := sc.next(t)
	require.NotNil(t, sum.Summary)
	assert.True(t, sum.Summary.Complete)
	select {
	case err := <-stopped:
		assert.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return")
	}
	assert.Len(t, h.decisionLines(), 2)
}

// TestParallel runs every kind of request from many goroutines while the
// programme is reloaded between two versions; run it with -race.
func TestParallel(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		write(t, dir, "small.yaml", small("1"))
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
	})
	fps := map[string]bool{h.info("small").Fingerprint: true}
	write(t, h.dir, "small.yaml", small("2"))
	_, err := h.srv.Reload(t.Context())
	require.NoError(t, err)
	fps[h.info("small").Fingerprint] = true

	stop := make(chan struct{})
	var reloads sync.WaitGroup
	reloads.Add(1)
	go func() {
		defer reloads.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			write(t, h.dir, "small.yaml", small([]string{"1", "2"}[i%2]))
			if _, err := h.srv.Reload(context.Background()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	assess := assessBody(t, "internal")
	ndjson := []byte(mustJSON(laneReq("P1", "930190", nil)) + "\n" + mustJSON(laneReq("P2", "610910", nil)) + "\n")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				switch (g + i) % 4 {
				case 0:
					code, body, _ := h.do("POST", "/v1/programmes/baseline/assess", "application/json", assess)
					assert.Equal(t, 200, code, "%s", body)
				case 1:
					var lr laneResponse
					assert.Equal(t, 200, h.post("/v1/programmes/small/lane", laneReq("P0", "930190", nil), &lr))
					assert.True(t, fps[lr.Fingerprint], "one of the two versions decided")
				case 2:
					code, body, _ := h.do("POST", "/v1/programmes/small/lanes", "application/x-ndjson", ndjson)
					assert.Equal(t, 200, code)
					lines := streamLines(t, body)
					assert.Len(t, lines, 3)
					assert.Equal(t, lines[0].Fingerprint, lines[1].Fingerprint, "one stream, one version")
				case 3:
					var list programmeList
					assert.Equal(t, 200, h.get("/v1/programmes", &list))
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	reloads.Wait()
	// Every decision-log line is whole: 12 assessments, 12 lanes and 12
	// streams of two.
	assert.Len(t, h.decisionLines(), 12+12+24)
}
