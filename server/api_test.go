package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/lifecycle"
)

const asOf = "2025-03-31"

func assessBody(t testing.TB, view string) []byte {
	b, err := json.Marshal(map[string]any{"as_of": asOf, "view": view, "profile": profileJSON(t, "01-compliant-importer.yaml")})
	require.NoError(t, err)
	return b
}

// decisionLines returns the decision log's lines.
func (h *harness) decisionLines() []DecisionRecord {
	h.t.Helper()
	var out []DecisionRecord
	for _, l := range strings.Split(strings.TrimSpace(h.dlog.String()), "\n") {
		if l == "" {
			continue
		}
		var r DecisionRecord
		require.NoError(h.t, json.Unmarshal([]byte(l), &r), l)
		out = append(out, r)
	}
	return out
}

func TestHealthReadyProgrammes(t *testing.T) {
	h := start(t, nil)
	var health map[string]string
	require.Equal(t, 200, h.get("/healthz", &health))
	assert.Equal(t, "ok", health["status"])
	var rd readiness
	require.Equal(t, 200, h.get("/readyz", &rd))
	assert.Equal(t, readiness{Status: "ready", Serving: 2}, rd)

	var list programmeList
	require.Equal(t, 200, h.get("/v1/programmes", &list))
	require.Len(t, list.Programmes, 2)
	want, err := aeo.Load("../examples/baseline/programme.yaml")
	require.NoError(t, err)
	b := list.Programmes[0]
	assert.Equal(t, "baseline", b.Name)
	assert.Equal(t, "serving", b.Status)
	assert.Equal(t, want.Fingerprint(), b.Fingerprint)
	assert.Equal(t, want.Version(), b.Version)
	assert.False(t, b.LoadedAt.IsZero())
	assert.Equal(t, []string{"requirements", "risk", "selectivity", "benefits", "lifecycle"}, b.Sections)
	assert.Equal(t, "eu", list.Programmes[1].Name)

	var one ProgrammeInfo
	require.Equal(t, 200, h.get("/v1/programmes/eu", &one))
	assert.Equal(t, "eu.yaml", one.File)

	code, doc, hdr := h.do("GET", "/v1/openapi.json", "", nil)
	require.Equal(t, 200, code)
	assert.Equal(t, OpenAPI, doc)
	assert.Equal(t, "application/json", hdr.Get("Content-Type"))
	assert.NotEmpty(t, hdr.Get("X-Request-ID"))
}

func TestAssess(t *testing.T) {
	h := start(t, nil)
	want, err := aeo.Load("../examples/baseline/programme.yaml")
	require.NoError(t, err)
	prof, err := aeo.ParseProfile("p.json", profileJSON(t, "01-compliant-importer.yaml"))
	require.NoError(t, err)
	day, _ := time.Parse(time.DateOnly, asOf)
	direct, err := want.Assess(t.Context(), prof, day)
	require.NoError(t, err)

	tests := []struct {
		reason string
		view   string
		want   *aeo.Assessment
	}{
		{"the internal view is the library's assessment", "internal", direct},
		{"the operator view leaves out the internal reasoning", "operator", direct.OperatorView()},
		{"without a view the operator view is the safe default", "", direct.OperatorView()},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			body := assessBody(t, tt.view)
			code, got, _ := h.do("POST", "/v1/programmes/baseline/assess", "application/json", body)
			require.Equal(t, 200, code, "%s", got)
			wantJSON, err := json.Marshal(tt.want)
			require.NoError(t, err)
			assert.JSONEq(t, string(wantJSON), string(got))
			lines := h.decisionLines()
			last := lines[len(lines)-1]
			sum := sha256.Sum256(body)
			assert.Equal(t, hex.EncodeToString(sum[:]), last.InputSHA256, "the decision log holds the hash of the input")
			assert.Equal(t, want.Fingerprint(), last.Fingerprint)
			assert.Equal(t, asOf, last.AsOf)
			assert.Equal(t, "assess", last.Kind)
			assert.NotEmpty(t, last.Outcome)
			assert.NotContains(t, h.dlog.String(), "Harbourside", "the decision log holds no operator data")
		})
	}
}

func TestBadInput(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
		programmeFile(t, dir, "eu.yaml", "eu/programme.yaml")
		cfg.MaxBodyBytes = 64 << 10
	})
	good := assessBody(t, "internal")
	huge := append([]byte(`{"as_of":"2025-03-31","profile":{"operator_id":"`), bytes.Repeat([]byte("x"), 70<<10)...)
	huge = append(huge, `"}}`...)
	tests := []struct {
		reason      string
		method      string
		path        string
		contentType string
		body        string
		status      int
		code        string
	}{
		{"malformed JSON", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of": "2025-03-31",`, 400, CodeMalformedJSON},
		{"a syntax error names its offset", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of" "2025-03-31"}`, 400, CodeMalformedJSON},
		{"an empty body", "POST", "/v1/programmes/baseline/assess", "application/json", ``, 400, CodeMalformedJSON},
		{"data after the JSON value", "POST", "/v1/programmes/baseline/assess", "application/json", string(good) + `{}`, 400, CodeMalformedJSON},
		{"a JSON array where an object is due", "POST", "/v1/programmes/baseline/assess", "application/json", `[1]`, 400, CodeInvalidRequest},
		{"a wrong content type", "POST", "/v1/programmes/baseline/assess", "text/plain", string(good), 415, CodeUnsupportedMediaType},
		{"no content type", "POST", "/v1/programmes/baseline/assess", "", string(good), 415, CodeUnsupportedMediaType},
		{"JSON in another charset", "POST", "/v1/programmes/baseline/assess", "application/json; charset=latin1", string(good), 415, CodeUnsupportedMediaType},
		{"an unknown programme", "POST", "/v1/programmes/atlantis/assess", "application/json", string(good), 404, CodeUnknownProgramme},
		{"an unknown programme, listed", "GET", "/v1/programmes/atlantis", "", "", 404, CodeUnknownProgramme},
		{"an unknown field at the top", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"2025-03-31","profile":{},"asof":"2025-01-01"}`, 400, CodeUnknownField},
		{"an unknown field in the profile", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"2025-03-31","profile":{"operator_id":"X","turnover":5}}`, 400, CodeInvalidProfile},
		{"an unknown field in a declaration", "POST", "/v1/programmes/baseline/lane", "application/json", `{"declaration":{"id":"D1","hs":"93"}}`, 400, CodeUnknownField},
		{"an unknown field in an event", "POST", "/v1/programmes/baseline/lifecycle/apply", "application/json", `{"event":{"kind":"lodge","at":"2025-01-01T00:00:00Z","actor":"A","role":"operator","typo":1}}`, 400, CodeUnknownField},
		{"a body over the limit", "POST", "/v1/programmes/baseline/assess", "application/json", string(huge), 413, CodeBodyTooLarge},
		{"as_of missing: time is an input", "POST", "/v1/programmes/baseline/assess", "application/json", `{"profile":{"operator_id":"X"}}`, 400, CodeInvalidRequest},
		{"as_of not a date", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"31/03/2025","profile":{}}`, 400, CodeInvalidRequest},
		{"a view that does not exist", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"2025-03-31","view":"public","profile":{}}`, 400, CodeInvalidRequest},
		{"the profile missing", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"2025-03-31"}`, 400, CodeInvalidRequest},
		{"the profile not an object", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"2025-03-31","profile":"ACME"}`, 400, CodeInvalidRequest},
		{"a profile value of the wrong type", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"2025-03-31","profile":{"employees":"many"}}`, 400, CodeInvalidProfile},
		{"an extra fact the programme does not declare", "POST", "/v1/programmes/baseline/assess", "application/json", `{"as_of":"2025-03-31","profile":{"facts":{"shoe_size":42}}}`, 400, CodeInvalidProfile},
		{"a field of the wrong type", "POST", "/v1/programmes/baseline/risk", "application/json", `{"as_of":"2025-03-31","profile":{},"budget_hours":"lots"}`, 400, CodeInvalidRequest},
		{"a negative budget", "POST", "/v1/programmes/baseline/risk", "application/json", `{"as_of":"2025-03-31","profile":{},"budget_hours":-1}`, 400, CodeInvalidRequest},
		{"a programme without a risk section", "POST", "/v1/programmes/eu/risk", "application/json", string(good), 404, CodeSectionMissing},
		{"a programme without selectivity", "POST", "/v1/programmes/eu/lane", "application/json", `{"declaration":{"id":"D1"}}`, 404, CodeSectionMissing},
		{"a programme without selectivity, streamed", "POST", "/v1/programmes/eu/lanes", "application/x-ndjson", `{"declaration":{"id":"D1"}}`, 404, CodeSectionMissing},
		{"a programme without benefits", "POST", "/v1/programmes/eu/benefits", "application/json", `{"as_of":"2025-03-31","authorization":{"status":"none"}}`, 404, CodeSectionMissing},
		{"a lane without a declaration", "POST", "/v1/programmes/baseline/lane", "application/json", `{}`, 400, CodeInvalidRequest},
		{"a declaration without an ID: the draws are keyed by it", "POST", "/v1/programmes/baseline/lane", "application/json", `{"declaration":{"hs_code":"930190"}}`, 400, CodeInvalidRequest},
		{"an unknown lane token", "POST", "/v1/programmes/baseline/lifecycle/apply", "application/json", `{"event":{"kind":"promote","at":"2025-01-01T00:00:00Z","actor":"A","role":"operator"}}`, 400, CodeInvalidRequest},
		{"an event missing", "POST", "/v1/programmes/baseline/lifecycle/apply", "application/json", `{"state":{"status":"none"}}`, 400, CodeInvalidRequest},
		{"a stream in a wrong content type", "POST", "/v1/programmes/baseline/lanes", "text/csv", "id\nD1\n", 415, CodeUnsupportedMediaType},
		{"a programme to validate in a wrong content type", "POST", "/v1/validate", "text/plain", "programme: {}", 415, CodeUnsupportedMediaType},
		{"a validation file name with a path", "POST", "/v1/validate?name=../../etc/passwd", "application/yaml", "programme: {}", 400, CodeInvalidRequest},
		{"no such endpoint", "GET", "/v2/assess", "", "", 404, CodeNotFound},
		{"a wrong method", "GET", "/v1/programmes/baseline/assess", "", "", 405, CodeMethodNotAllowed},
		{"a wrong method on a list", "DELETE", "/v1/programmes", "", "", 405, CodeMethodNotAllowed},
	}
	before := len(h.decisionLines())
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			code, body, hdr := h.do(tt.method, tt.path, tt.contentType, []byte(tt.body))
			require.Equal(t, tt.status, code, "%s", body)
			var e apiError
			require.NoError(t, json.Unmarshal(body, &e), "%s", body)
			assert.Equal(t, tt.code, e.Error.Code, "%s", body)
			assert.NotEmpty(t, e.Error.Message)
			assert.Equal(t, "application/json", hdr.Get("Content-Type"))
			for _, leak := range []string{"goroutine", ".go:", "panic", "runtime."} {
				assert.NotContains(t, string(body), leak, "no stack trace or source position reaches a client")
			}
		})
	}
	assert.Len(t, h.decisionLines(), before, "bad input decides nothing")

	// The server still serves, and decides as before.
	code, body, _ := h.do("POST", "/v1/programmes/baseline/assess", "application/json", good)
	require.Equal(t, 200, code, "%s", body)
	var rd readiness
	require.Equal(t, 200, h.get("/readyz", &rd))
}

func TestUnknownFieldNamesIt(t *testing.T) {
	h := start(t, nil)
	var e apiError
	require.Equal(t, 400, h.post("/v1/programmes/baseline/assess", map[string]any{"as_of": asOf, "profile": map[string]any{}, "veiw": "internal"}, &e))
	assert.Equal(t, "veiw", e.Error.Details["field"])
	var e2 apiError
	require.Equal(t, 400, h.post("/v1/programmes/baseline/assess", map[string]any{"as_of": asOf, "profile": map[string]any{"compliance": map[string]any{"infringments": []any{}}}}, &e2))
	assert.Equal(t, CodeInvalidProfile, e2.Error.Code)
	probs := e2.Error.Details["problems"].([]any)
	require.NotEmpty(t, probs)
	p := probs[0].(map[string]any)
	assert.Contains(t, p["message"], "infringments")
	assert.NotZero(t, p["line"], "the problem has its position inside the profile")
}

func TestRiskAndBenefits(t *testing.T) {
	h := start(t, nil)
	var rr riskResponse
	budget := 60.0
	require.Equal(t, 200, h.post("/v1/programmes/baseline/risk", map[string]any{
		"as_of": asOf, "profile": profileJSON(t, "04-missing-evidence.yaml"), "budget_hours": budget}, &rr))
	p, err := aeo.Load("../examples/baseline/programme.yaml")
	require.NoError(t, err)
	prof, err := aeo.ParseProfile("p.json", profileJSON(t, "04-missing-evidence.yaml"))
	require.NoError(t, err)
	day, _ := time.Parse(time.DateOnly, asOf)
	a, err := p.Assess(t.Context(), prof, day)
	require.NoError(t, err)
	m, err := p.MapRisk(t.Context(), prof, a)
	require.NoError(t, err)
	plan := p.Risk().Plan(m.Risks, budget, day)
	wantMap, _ := json.Marshal(m)
	gotMap, _ := json.Marshal(rr.Risk)
	assert.JSONEq(t, string(wantMap), string(gotMap))
	require.NotNil(t, rr.Plan)
	wantPlan, _ := json.Marshal(plan)
	gotPlan, _ := json.Marshal(rr.Plan)
	assert.JSONEq(t, string(wantPlan), string(gotPlan))
	assert.Equal(t, p.Fingerprint(), rr.Fingerprint)

	var noPlan riskResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/risk", map[string]any{"as_of": asOf, "profile": profileJSON(t, "04-missing-evidence.yaml")}, &noPlan))
	assert.Nil(t, noPlan.Plan, "no budget, no plan")

	// Benefits: nothing before a grant, the catalogue once in force.
	var none benefitsResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/benefits", map[string]any{
		"as_of": asOf, "authorization": lifecycle.Authorization{}, "profile": profileJSON(t, "01-compliant-importer.yaml")}, &none))
	assert.Empty(t, none.Granted)
	assert.NotEmpty(t, none.Entitlements)

	auth := lifecycle.Authorization{Status: lifecycle.StatusAuthorized, Types: []lifecycle.TypeState{{Type: "AEO"}},
		EffectiveAt: day.AddDate(0, 0, -10), DecidedAt: day.AddDate(0, 0, -15)}
	var held benefitsResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/benefits", map[string]any{
		"as_of": asOf, "authorization": auth, "risk_level": "low", "profile": profileJSON(t, "01-compliant-importer.yaml")}, &held))
	h2 := aeo.Holder(prof, auth, day)
	h2.RiskLevel = "low"
	want := p.Benefits().Granted(&h2, day)
	assert.Equal(t, want, held.Granted)
	assert.NotEmpty(t, held.Granted)
}

func laneReq(id, hs string, op map[string]any) map[string]any {
	r := map[string]any{"declaration": map[string]any{"id": id, "date": "2025-04-01T00:00:00Z", "hs_code": hs, "origin": "US", "value": 9000}}
	if op != nil {
		r["operator"] = op
	}
	return r
}

func TestLane(t *testing.T) {
	h := start(t, nil)
	var lr laneResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lane", laneReq("XX25IM0000002", "930190", nil), &lr))
	assert.Equal(t, "red", lr.Decision.Lane.String(), "weapons go red")
	assert.Equal(t, "weapons", lr.Decision.Rule)
	var aeoLane laneResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lane", laneReq("XX25IM0000002", "930190",
		map[string]any{"id": "OP1", "status": "authorized", "types": []string{"AEO"}}), &aeoLane))
	assert.Equal(t, "yellow", aeoLane.Decision.Lane.String(), "an AEO's red is downgraded to yellow")
	last := h.decisionLines()
	assert.Equal(t, "lane", last[len(last)-1].Kind)
	assert.Equal(t, "2025-04-01", last[len(last)-1].AsOf)
}

// streamLines decodes an NDJSON answer.
func streamLines(t *testing.T, b []byte) []streamLine {
	t.Helper()
	var out []streamLine
	for _, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var sl streamLine
		require.NoError(t, json.Unmarshal(l, &sl), "%s", l)
		out = append(out, sl)
	}
	return out
}

func TestLanesStream(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
		cfg.MaxStreamLines = 5
		cfg.MaxLineBytes = 512
	})
	line := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	ndjson := strings.Join([]string{
		line(laneReq("D1", "930190", nil)),
		`{"declaration": {"id": "D2", "hs_code": `, // malformed
		"", // blank lines are skipped
		line(laneReq("D3", "220830", nil)),
		`{"declaration": {"id": "D4"}, "operater": {}}`, // unknown field
		line(laneReq("D5", "610910", nil)),
	}, "\n") + "\n"
	code, body, hdr := h.do("POST", "/v1/programmes/baseline/lanes", "application/x-ndjson", []byte(ndjson))
	require.Equal(t, 200, code)
	assert.Equal(t, "application/x-ndjson", hdr.Get("Content-Type"))
	got := streamLines(t, body)
	require.Len(t, got, 6, "five answers and the summary")
	assert.Equal(t, "D1", got[0].Declaration)
	assert.Equal(t, "red", got[0].Decision.Lane.String())
	assert.Equal(t, 2, got[1].Line)
	assert.Equal(t, CodeMalformedJSON, got[1].Error.Code, "the bad line gets its error")
	assert.Equal(t, "D3", got[2].Declaration, "and the rest is decided")
	assert.Equal(t, CodeUnknownField, got[3].Error.Code)
	assert.Equal(t, "D5", got[4].Declaration)
	sum := got[5].Summary
	require.NotNil(t, sum)
	assert.Equal(t, streamSummary{Programme: sum.Programme, Version: sum.Version, Fingerprint: sum.Fingerprint, Lines: 5, Decided: 3, Errors: 2, Complete: true}, *sum)

	// The same requests as a JSON array give the same decisions.
	arr := `[` + line(laneReq("D1", "930190", nil)) + `,` + line(laneReq("D3", "220830", nil)) + `]`
	code, body, _ = h.do("POST", "/v1/programmes/baseline/lanes", "application/json", []byte(arr))
	require.Equal(t, 200, code)
	ag := streamLines(t, body)
	require.Len(t, ag, 3)
	assert.Equal(t, *got[0].Decision, *ag[0].Decision)
	assert.Equal(t, *got[2].Decision, *ag[1].Decision)
	assert.True(t, ag[2].Summary.Complete)

	tests := []struct {
		reason   string
		ctype    string
		body     string
		codes    []string // error codes in order; "" for a decision
		complete bool
	}{
		{"a line over the limit is refused and the stream goes on", "application/x-ndjson",
			line(laneReq("L1", "93", nil)) + "\n" + `{"declaration":{"id":"` + strings.Repeat("x", 600) + `"}}` + "\n" + line(laneReq("L3", "93", nil)) + "\n",
			[]string{"", CodeLineTooLong, ""}, true},
		{"a stream over the line limit is cut short", "application/x-ndjson",
			strings.Repeat(line(laneReq("S", "93", nil))+"\n", 7),
			[]string{"", "", "", "", "", CodeStreamTooLong}, false},
		{"a malformed array stops where it breaks", "application/json",
			`[` + line(laneReq("A1", "93", nil)) + `, {"declaration": ]`,
			[]string{"", CodeMalformedJSON}, false},
		{"an array element of the wrong shape is that element's error", "application/json",
			`[` + line(laneReq("A1", "93", nil)) + `, 42, ` + line(laneReq("A3", "93", nil)) + `]`,
			[]string{"", CodeInvalidRequest, ""}, true},
		{"not an array", "application/json", `{"declaration":{"id":"X"}}`, []string{CodeInvalidRequest}, false},
		{"an empty stream", "application/x-ndjson", ``, nil, true},
		{"a last line without a newline", "application/x-ndjson", line(laneReq("N1", "93", nil)), []string{""}, true},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			code, body, _ := h.do("POST", "/v1/programmes/baseline/lanes", tt.ctype, []byte(tt.body))
			require.Equal(t, 200, code)
			got := streamLines(t, body)
			require.Len(t, got, len(tt.codes)+1, "%s", body)
			for i, c := range tt.codes {
				if c == "" {
					assert.NotNil(t, got[i].Decision, "line %d: %s", i+1, body)
				} else {
					require.NotNil(t, got[i].Error, "line %d", i+1)
					assert.Equal(t, c, got[i].Error.Code)
				}
				assert.Equal(t, i+1, got[i].Line)
			}
			assert.Equal(t, tt.complete, got[len(got)-1].Summary.Complete)
		})
	}
}

// ref is what the lifecycle needs of an internal assessment.
func assessmentRef(t *testing.T, h *harness) lifecycle.AssessmentRef {
	var a aeo.Assessment
	require.Equal(t, 200, h.post("/v1/programmes/baseline/assess", json.RawMessage(assessBody(t, "internal")), &a))
	return a.Ref()
}

type applied struct {
	applyResponse
	apiError
}

func TestLifecycle(t *testing.T) {
	h := start(t, nil)
	ref := assessmentRef(t, h)
	day := func(n int) time.Time { return time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	sites := []string{"W1", "O1"}
	events := []struct {
		reason string
		ev     lifecycle.Event
		status int
		rule   string
	}{
		{"the operator lodges", lifecycle.Event{Kind: lifecycle.EventLodge, At: day(1), Actor: "Harbourside", Role: lifecycle.ActorOperator, Types: []string{"AEO"}, Sites: sites}, 200, ""},
		{"an operator cannot accept its own application", lifecycle.Event{Kind: lifecycle.EventAccept, At: day(8), Actor: "Harbourside", Role: lifecycle.ActorOperator}, 422, "role"},
		{"an officer accepts it", lifecycle.Event{Kind: lifecycle.EventAccept, At: day(8), Actor: "officer Amara", Role: lifecycle.ActorOfficer}, 200, ""},
		{"validation of every site", lifecycle.Event{Kind: lifecycle.EventValidate, At: day(40), Actor: "officer Amara", Role: lifecycle.ActorOfficer, Sites: sites,
			Validation: &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true}, Evidence: []string{"visit report"}}, 200, ""},
		{"a grant by one officer alone is refused", lifecycle.Event{Kind: lifecycle.EventGrant, At: day(55), Actor: "officer Amara", Role: lifecycle.ActorOfficer,
			Types: []string{"AEO"}, Reasons: []string{"all met"}, Assessment: &ref}, 422, "four-eyes"},
		{"a grant under four eyes", lifecycle.Event{Kind: lifecycle.EventGrant, At: day(55), Actor: "officer Amara", Approver: "officer Okafor", Role: lifecycle.ActorOfficer,
			Types: []string{"AEO"}, Reasons: []string{"all met"}, Assessment: &ref}, 200, ""},
	}
	var state lifecycle.Authorization
	var trail lifecycle.Trail
	for _, step := range events {
		var out applied
		code := h.post("/v1/programmes/baseline/lifecycle/apply", map[string]any{"state": state, "event": step.ev, "trail": trail}, &out)
		require.Equal(t, step.status, code, "%s: %+v", step.reason, out.apiError)
		if step.status != 200 {
			assert.Equal(t, CodeEventRefused, out.Error.Code, step.reason)
			assert.Equal(t, step.rule, out.Error.Details["rule"], step.reason)
			continue
		}
		assert.Equal(t, len(trail), out.Record.Seq, step.reason)
		state, trail = out.State, append(trail, out.Record)
	}
	require.Equal(t, lifecycle.StatusAuthorized, state.Status)
	require.NoError(t, trail.VerifyHead(state.Head), "the trail the service built verifies")

	var due dueResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lifecycle/due", map[string]any{"state": state, "as_of": "2025-05-25"}, &due))
	assert.NotEmpty(t, due.Due)
	assert.Contains(t, due.Permitted, lifecycle.EventSuspend)

	var ok verifyResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lifecycle/verify", map[string]any{"trail": trail, "head": state.Head, "replay": true}, &ok))
	assert.True(t, ok.Valid)
	require.NotNil(t, ok.State)
	assert.Equal(t, state.Head, ok.State.Head)

	// Tampering: a record's actor changed, the state's status changed, the
	// trail cut short. Each is refused and nothing is applied.
	tampered := append(lifecycle.Trail(nil), trail...)
	tampered[1].Event.Actor = "officer Mallory"
	var bad verifyResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lifecycle/verify", map[string]any{"trail": tampered, "head": state.Head}, &bad))
	assert.False(t, bad.Valid)
	require.NotNil(t, bad.Index)
	assert.Equal(t, 1, *bad.Index)

	suspend := lifecycle.Event{Kind: lifecycle.EventSuspend, At: day(70), Actor: "officer Amara", Role: lifecycle.ActorOfficer, Reasons: []string{"seal breach"}}
	forged := state
	forged.Status = lifecycle.StatusRevoked
	for _, tt := range []struct {
		reason string
		body   map[string]any
		code   string
	}{
		{"a record changed breaks the chain", map[string]any{"state": state, "trail": tampered, "event": suspend}, CodeTrailTampered},
		{"records cut off the end do not reach the head", map[string]any{"state": state, "trail": trail[:3], "event": suspend}, CodeTrailTampered},
		{"a state changed outside the lifecycle", map[string]any{"state": forged, "trail": trail, "event": suspend}, CodeStateMismatch},
	} {
		var e apiError
		require.Equal(t, 409, h.post("/v1/programmes/baseline/lifecycle/apply", tt.body, &e), tt.reason)
		assert.Equal(t, tt.code, e.Error.Code, tt.reason)
	}

	// The intact trail still takes the event.
	var out applied
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lifecycle/apply", map[string]any{"state": state, "trail": trail, "event": suspend}, &out))
	assert.Equal(t, lifecycle.StatusSuspended, out.State.Status)
	// Without the state, the trail gives it.
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lifecycle/apply", map[string]any{"trail": trail, "event": suspend}, &out))
	assert.Equal(t, lifecycle.StatusSuspended, out.State.Status)
}

func TestValidate(t *testing.T) {
	h := start(t, nil)
	good, err := readExample("baseline/programme.yaml")
	require.NoError(t, err)
	var v validation
	code, body, _ := h.do("POST", "/v1/validate", "application/yaml", good)
	require.Equal(t, 200, code)
	require.NoError(t, json.Unmarshal(body, &v))
	assert.True(t, v.Valid)
	assert.Empty(t, v.Problems)
	assert.NotEmpty(t, v.Fingerprint)

	broken := []byte("programme:\n  name: Broken\n  version: \"1\"\nextends: baseline\nrequirements:\n  - id: Z.1\n    criterion: A\n    title: t\n    when: \"compliance.infringments == nil\"\n    source: s\n")
	code, body, _ = h.do("POST", "/v1/validate?name=broken.yaml", "application/yaml", broken)
	require.Equal(t, 200, code)
	require.NoError(t, json.Unmarshal(body, &v))
	assert.False(t, v.Valid)
	require.NotEmpty(t, v.Problems)
	assert.Equal(t, "broken.yaml", v.Problems[0].File)
	assert.Equal(t, 9, v.Problems[0].Line, "the problem has its line: %+v", v.Problems)

	code, body, _ = h.do("POST", "/v1/validate", "application/json", []byte(`{"programme": {"name": "J", "version": "1"}, "extends": "baseline"}`))
	require.Equal(t, 200, code, "%s", body)
	require.NoError(t, json.Unmarshal(body, &v))
	assert.True(t, v.Valid, "%s", body)
}

func readExample(name string) ([]byte, error) {
	return os.ReadFile("../examples/" + name)
}

func TestAuth(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
		cfg.Token = "s3cret-token"
	})
	tests := []struct {
		reason string
		path   string
		header string
		status int
	}{
		{"no token", "/v1/programmes", "", 401},
		{"a wrong token", "/v1/programmes", "Bearer nope", 401},
		{"another scheme", "/v1/programmes", "Basic czNjcmV0LXRva2Vu", 401},
		{"the token", "/v1/programmes", "Bearer s3cret-token", 200},
		{"the scheme in any case", "/v1/programmes", "bearer s3cret-token", 200},
		{"metrics need it too", "/metrics", "", 401},
		{"health stays open for load balancers", "/healthz", "", 200},
		{"readiness too", "/readyz", "", 200},
	}
	h.token = ""
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			req, _ := http.NewRequest("GET", h.url+tt.path, nil)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			resp, err := h.client.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			if tt.status == 401 {
				assert.Equal(t, `Bearer realm="aeo"`, resp.Header.Get("WWW-Authenticate"))
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	h := start(t, nil)
	var lr laneResponse
	require.Equal(t, 200, h.post("/v1/programmes/baseline/lane", laneReq("M1", "930190", nil), &lr))
	code, _, _ := h.do("POST", "/v1/programmes/baseline/assess", "application/json", assessBody(t, ""))
	require.Equal(t, 200, code)
	code, body, _ := h.do("GET", "/metrics", "", nil)
	require.Equal(t, 200, code)
	for _, want := range []string{
		`aeo_decisions_total{kind="lane",outcome="red",programme="baseline"} 1`,
		`aeo_decisions_total{kind="assess",outcome=`,
		`aeo_http_requests_total{code="200",method="POST",route="/v1/programmes/{programme}/lane"} 1`,
		`aeo_http_request_duration_seconds_bucket{route="/v1/programmes/{programme}/assess"`,
		`aeo_programme_reloads_total{programme="eu",result="loaded"} 1`,
		`aeo_programme_serving{programme="baseline"} 1`,
		`aeo_programme_load_errors{programme="baseline"} 0`,
		`go_goroutines`,
	} {
		assert.Contains(t, string(body), want)
	}
}

func TestDecideTimeout(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
		cfg.DecisionTimeout = 20 * time.Millisecond
	})
	release := make(chan struct{})
	err := h.srv.decide(t.Context(), func(ctx context.Context) error {
		<-release // a rule that does not look at its context
		return nil
	})
	close(release)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, CodeDecisionTimeout, e.Code)
	assert.Equal(t, 503, e.Status)
}

func TestDecisionLogFailureFailsClosed(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
		cfg.DecisionLog = failingWriter{}
	})
	var e apiError
	require.Equal(t, 503, h.post("/v1/programmes/baseline/lane", laneReq("F1", "930190", nil), &e))
	assert.Equal(t, CodeDecisionLogFailed, e.Error.Code)
	code, body, _ := h.do("POST", "/v1/programmes/baseline/lanes", "application/x-ndjson", []byte(fmt.Sprintf("%s\n", mustJSON(laneReq("F2", "93", nil)))))
	require.Equal(t, 200, code)
	lines := streamLines(t, body)
	require.NotNil(t, lines[0].Error)
	assert.Equal(t, CodeDecisionLogFailed, lines[0].Error.Code, "a decision not logged is not given, in a stream too")
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, fmt.Errorf("disk full") }

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestLanesStreamSizeLimit(t *testing.T) {
	h := start(t, func(dir string, cfg *Config) {
		programmeFile(t, dir, "baseline.yaml", "baseline/programme.yaml")
		cfg.MaxStreamBytes = 2048
	})
	var in strings.Builder
	for i := range 40 {
		in.WriteString(mustJSON(laneReq(fmt.Sprintf("B%03d", i), "930190", nil)) + "\n")
	}
	for _, ctype := range []string{"application/x-ndjson", "application/json"} {
		body := in.String()
		if ctype == "application/json" {
			body = "[" + strings.ReplaceAll(strings.TrimSpace(body), "\n", ",") + "]"
		}
		code, out, _ := h.do("POST", "/v1/programmes/baseline/lanes", ctype, []byte(body))
		require.Equal(t, 200, code)
		got := streamLines(t, out)
		last, cut := got[len(got)-1], got[len(got)-2]
		require.NotNil(t, cut.Error, ctype)
		assert.Equal(t, CodeBodyTooLarge, cut.Error.Code, ctype)
		assert.False(t, last.Summary.Complete, ctype)
		assert.Equal(t, len(got)-2, last.Summary.Decided, "%s: every line read before the limit was decided", ctype)
		assert.Less(t, last.Summary.Decided, 40)
	}
}

// TestPanicIsAnInternalError: a panic in a handler answers 500 with the
// internal code and nothing else; the stack goes to the log only.
func TestPanicIsAnInternalError(t *testing.T) {
	h := start(t, nil)
	h.srv.mux.Handle("/v1/boom", h.srv.endpoint(http.MethodGet, func(w http.ResponseWriter, r *http.Request) error {
		panic("secret internal state")
	}))
	h.srv.mux.Handle("/v1/fail", h.srv.endpoint(http.MethodGet, func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("database password wrong")
	}))
	for _, path := range []string{"/v1/boom", "/v1/fail"} {
		req, err := http.NewRequest("GET", h.url+path, nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req) // not a documented route: plain client
		require.NoError(t, err)
		var e apiError
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&e))
		resp.Body.Close()
		assert.Equal(t, 500, resp.StatusCode)
		assert.Equal(t, CodeInternal, e.Error.Code)
		assert.Equal(t, "internal error", e.Error.Message)
		assert.Nil(t, e.Error.Details)
	}
	assert.Contains(t, h.logs.String(), "secret internal state", "the log has the panic")
	assert.Contains(t, h.logs.String(), "database password wrong", "and the error")
	assert.Contains(t, h.logs.String(), `"stack":"goroutine`)
	var rd readiness
	require.Equal(t, 200, h.get("/readyz", &rd), "the server keeps serving")
}

func TestAssessInLanguage(t *testing.T) {
	h := start(t, nil)
	p, err := aeo.Load("../examples/baseline/programme.yaml")
	require.NoError(t, err)
	prof, err := aeo.ParseProfile("p.json", profileJSON(t, "04-missing-evidence.yaml"))
	require.NoError(t, err)
	day, _ := time.Parse(time.DateOnly, asOf)
	direct, err := p.Assess(t.Context(), prof, day)
	require.NoError(t, err)
	body, err := json.Marshal(map[string]any{"as_of": asOf, "profile": json.RawMessage(profileJSON(t, "04-missing-evidence.yaml"))})
	require.NoError(t, err)
	tests := []struct {
		reason, query, accept string
		want                  []language.Tag
	}{
		{"the lang query parameter chooses the language", "?lang=fr", "", []language.Tag{language.French}},
		{"Accept-Language chooses it without one", "", "es-419,es;q=0.9", []language.Tag{language.MustParse("es-419")}},
		{"the query parameter wins over the header", "?lang=es", "fr", []language.Tag{language.Spanish}},
		{"neither: the programme's language", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			req, err := http.NewRequest("POST", h.url+"/v1/programmes/baseline/assess"+tt.query, bytes.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			if tt.accept != "" {
				req.Header.Set("Accept-Language", tt.accept)
			}
			resp, err := h.client.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.Equal(t, 200, resp.StatusCode, "%s", got)
			want, err := json.Marshal(p.OperatorView(direct, tt.want...))
			require.NoError(t, err)
			assert.JSONEq(t, string(want), string(got), tt.reason)
		})
	}
	fr, err := json.Marshal(p.OperatorView(direct, language.French))
	require.NoError(t, err)
	assert.Contains(t, string(fr), "Veuillez", "the French view is in French")
}
