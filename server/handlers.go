package server

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
	"golang.org/x/text/language"
)

// OpenAPI is the OpenAPI 3.1 document of the API, as served at
// /v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// handlerFunc is a handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) routes() {
	mux := http.NewServeMux()
	handle := func(pattern, method string, h handlerFunc) {
		mux.Handle(pattern, s.endpoint(method, h))
	}
	handle("/healthz", http.MethodGet, s.healthz)
	handle("/readyz", http.MethodGet, s.readyz)
	mux.Handle("/metrics", s.endpoint(http.MethodGet, func(w http.ResponseWriter, r *http.Request) error {
		s.metrics.handler().ServeHTTP(w, r)
		return nil
	}))
	handle("/v1/openapi.json", http.MethodGet, s.openapi)
	handle("/v1/programmes", http.MethodGet, s.listProgrammes)
	handle("/v1/programmes/{programme}", http.MethodGet, s.getProgramme)
	handle("/v1/validate", http.MethodPost, s.validate)
	handle("/v1/programmes/{programme}/assess", http.MethodPost, s.assess)
	handle("/v1/programmes/{programme}/risk", http.MethodPost, s.risk)
	handle("/v1/programmes/{programme}/benefits", http.MethodPost, s.benefits)
	handle("/v1/programmes/{programme}/lane", http.MethodPost, s.lane)
	handle("/v1/programmes/{programme}/lanes", http.MethodPost, s.lanes)
	handle("/v1/programmes/{programme}/lifecycle/apply", http.MethodPost, s.lifecycleApply)
	handle("/v1/programmes/{programme}/lifecycle/due", http.MethodPost, s.lifecycleDue)
	handle("/v1/programmes/{programme}/lifecycle/verify", http.MethodPost, s.lifecycleVerify)
	mux.Handle("/", s.endpoint("", func(w http.ResponseWriter, r *http.Request) error {
		return errorf(http.StatusNotFound, CodeNotFound, "no endpoint at %s: see /v1/openapi.json", r.URL.Path)
	}))
	s.mux = mux
}

// endpoint checks the method and writes the handler's error, if any, as
// the JSON error response.
func (s *Server) endpoint(method string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if method != "" && r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			writeError(w, errorf(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "%s is not allowed here: use %s", r.Method, method).
				with("allowed", []string{method}))
			return
		}
		if err := h(w, r); err != nil {
			var e *Error
			if !errors.As(err, &e) {
				s.log.Error("internal error", "request_id", requestID(r.Context()), "route", r.Pattern, "err", err.Error())
			}
			writeError(w, err)
		}
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readiness is the body of /readyz.
type readiness struct {
	Status  string `json:"status"`
	Serving int    `json:"serving"`
	Failed  int    `json:"failed"`
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	var rd readiness
	c := s.progs.Load()
	for _, n := range c.names {
		if c.byName[n].prog != nil {
			rd.Serving++
		}
		if c.byName[n].problems != nil {
			rd.Failed++
		}
	}
	switch {
	case s.draining.Load():
		rd.Status = "draining"
	case !s.ready.Load() || rd.Serving == 0:
		rd.Status = "no programme serving"
	default:
		rd.Status = "ready"
		writeJSON(w, http.StatusOK, rd)
		return nil
	}
	writeJSON(w, http.StatusServiceUnavailable, rd)
	return nil
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(OpenAPI)
	return nil
}

// programmeList is the body of GET /v1/programmes.
type programmeList struct {
	Programmes []ProgrammeInfo `json:"programmes"`
}

func (s *Server) listProgrammes(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, programmeList{s.Programmes()})
	return nil
}

func (s *Server) getProgramme(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("programme")
	e := s.progs.Load().byName[name]
	if e == nil {
		return errorf(http.StatusNotFound, CodeUnknownProgramme, "no programme %q is loaded", name).with("programme", name)
	}
	writeJSON(w, http.StatusOK, e.info())
	return nil
}

// validation is the body of POST /v1/validate.
type validation struct {
	Valid       bool      `json:"valid"`
	Title       string    `json:"title,omitempty"`
	Version     string    `json:"version,omitempty"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	Sections    []string  `json:"sections,omitempty"`
	Problems    []Problem `json:"problems"`
}

// validate checks a programme file sent in the body, for authoring
// tools: every problem with its line and column. The file may extend only
// the built-in baseline.
func (s *Server) validate(w http.ResponseWriter, r *http.Request) error {
	name := "programme.yaml"
	switch mediaType(r) {
	case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml":
	case "application/json":
		name = "programme.json"
	default:
		return unsupported(r, "application/yaml", "application/json")
	}
	if q := r.URL.Query().Get("name"); q != "" {
		if !nameRE.MatchString(q) {
			return errorf(http.StatusBadRequest, CodeInvalidRequest, "name %q is not a file name", q).with("field", "name")
		}
		name = q
	}
	body, err := readBody(w, r, s.cfg.MaxProgrammeBytes)
	if err != nil {
		return err
	}
	var p *aeo.Programme
	var loadErr error
	err = s.decide(r.Context(), func(ctx context.Context) error {
		p, loadErr = aeo.Parse(name, body, s.cfg.LoadOptions...)
		return nil
	})
	if err != nil {
		return err
	}
	out := validation{Problems: []Problem{}}
	if loadErr != nil {
		out.Problems = problems(loadErr)
	} else {
		out.Valid, out.Title, out.Version, out.Fingerprint, out.Sections = true, p.Name(), p.Version(), p.Fingerprint(), sections(p)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// assessRequest is the body of POST .../assess.
type assessRequest struct {
	Profile json.RawMessage `json:"profile"`
	AsOf    date            `json:"as_of"`
	// View is operator (the default: what the applicant may see) or
	// internal (for officers).
	View string `json:"view,omitempty"`
}

// profile decodes the profile of a request strictly, with the line and
// column of each problem inside it.
func parseProfile(raw json.RawMessage) (*aeo.Profile, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, missing("profile")
	}
	if raw[0] != '{' {
		return nil, errorf(http.StatusBadRequest, CodeInvalidRequest, `field "profile" must be a JSON object`).with("field", "profile")
	}
	prof, err := aeo.ParseProfile("profile", raw)
	if err != nil {
		return nil, invalidProfile(err)
	}
	return prof, nil
}

func invalidProfile(err error) *Error {
	var pe *aeo.ProfileError
	if errors.As(err, &pe) {
		return errorf(http.StatusBadRequest, CodeInvalidProfile, "the profile does not fit the programme: %s", strings.Join(pe.Problems, "; ")).
			with("problems", pe.Problems)
	}
	return errorf(http.StatusBadRequest, CodeInvalidProfile, "the profile is invalid").with("problems", problems(err))
}

// readerLanguages are the languages the operator view is asked in: the
// lang query parameter (a tag or a list, fr-CA,fr;q=0.8), else the
// Accept-Language header. Unreadable values ask for nothing: the
// programme's language then.
func readerLanguages(r *http.Request) []language.Tag {
	for _, v := range []string{r.URL.Query().Get("lang"), r.Header.Get("Accept-Language")} {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if tags, _, err := language.ParseAcceptLanguage(v); err == nil && len(tags) > 0 {
			return tags
		}
	}
	return nil
}

func (s *Server) assess(w http.ResponseWriter, r *http.Request) error {
	e, p, err := s.lookup(r.PathValue("programme"))
	if err != nil {
		return err
	}
	var req assessRequest
	raw, err := s.decodeJSON(w, r, &req)
	if err != nil {
		return err
	}
	if req.AsOf.IsZero() {
		return missing("as_of")
	}
	if req.View == "" {
		req.View = "operator"
	}
	if req.View != "operator" && req.View != "internal" {
		return errorf(http.StatusBadRequest, CodeInvalidRequest, `field "view": want operator or internal, not %q`, req.View).with("field", "view")
	}
	prof, err := parseProfile(req.Profile)
	if err != nil {
		return err
	}
	var a *aeo.Assessment
	if err := s.decide(r.Context(), func(ctx context.Context) error {
		var err error
		a, err = p.Assess(ctx, prof, req.AsOf.Time)
		return err
	}); err != nil {
		return s.evalError(err)
	}
	outcome := make(map[string]string, len(a.Authorizations))
	for _, ar := range a.Authorizations {
		tok := ar.Recommendation.String()
		s.metrics.decisions.WithLabelValues(e.name, "assess", tok).Inc()
		if ar.Grade != "" {
			tok += " " + ar.Grade
		}
		outcome[ar.ID] = tok
	}
	if err := s.record(r, s.rec(e, p, "assess", req.AsOf.Time, raw, outcome)); err != nil {
		return err
	}
	if req.View == "operator" {
		a = p.OperatorView(a, readerLanguages(r)...)
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// evalError turns an evaluation error into an API error: a profile the
// programme refuses is the client's; anything else is internal.
func (s *Server) evalError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var pe *aeo.ProfileError
	if errors.As(err, &pe) {
		return invalidProfile(err)
	}
	return err
}

func (s *Server) rec(e *entry, p *aeo.Programme, kind string, asOf time.Time, input []byte, outcome any) DecisionRecord {
	rec := DecisionRecord{Programme: e.name, Version: p.Version(), Fingerprint: p.Fingerprint(), Kind: kind,
		InputSHA256: hashInput(input), Outcome: outcome}
	if !asOf.IsZero() {
		rec.AsOf = asOf.Format(time.DateOnly)
	}
	return rec
}

// riskRequest is the body of POST .../risk.
type riskRequest struct {
	Profile json.RawMessage `json:"profile"`
	AsOf    date            `json:"as_of"`
	// BudgetHours is the staff time a year the plan of treatment may
	// take; without it no plan is drawn up.
	BudgetHours *float64 `json:"budget_hours,omitempty"`
}

// riskResponse is the body answering POST .../risk.
type riskResponse struct {
	Programme   string              `json:"programme"`
	Version     string              `json:"version"`
	Fingerprint string              `json:"fingerprint"`
	OperatorID  string              `json:"operator_id"`
	AsOf        date                `json:"as_of"`
	Risk        risk.Map            `json:"risk"`
	Plan        *risk.TreatmentPlan `json:"plan,omitempty"`
}

func (s *Server) risk(w http.ResponseWriter, r *http.Request) error {
	e, p, err := s.lookup(r.PathValue("programme"))
	if err != nil {
		return err
	}
	if p.Risk() == nil {
		return sectionMissing(e.name, "risk")
	}
	var req riskRequest
	raw, err := s.decodeJSON(w, r, &req)
	if err != nil {
		return err
	}
	if req.AsOf.IsZero() {
		return missing("as_of")
	}
	if b := req.BudgetHours; b != nil && (*b < 0 || *b > 1e6) {
		return errorf(http.StatusBadRequest, CodeInvalidRequest, `field "budget_hours": want 0 to 1000000 hours a year`).with("field", "budget_hours")
	}
	prof, err := parseProfile(req.Profile)
	if err != nil {
		return err
	}
	out := riskResponse{Programme: p.Name(), Version: p.Version(), Fingerprint: p.Fingerprint(), OperatorID: prof.OperatorID, AsOf: req.AsOf}
	if err := s.decide(r.Context(), func(ctx context.Context) error {
		a, err := p.Assess(ctx, prof, req.AsOf.Time)
		if err != nil {
			return err
		}
		m, err := p.MapRisk(ctx, prof, a)
		if err != nil {
			return err
		}
		out.Risk = m
		if req.BudgetHours != nil {
			plan := p.Risk().Plan(m.Risks, *req.BudgetHours, req.AsOf.Time)
			out.Plan = &plan
		}
		return nil
	}); err != nil {
		return s.evalError(err)
	}
	level := out.Risk.Level
	if level == "" {
		level = "none"
	}
	s.metrics.decisions.WithLabelValues(e.name, "risk", level).Inc()
	outcome := map[string]any{"level": level, "score": out.Risk.Score, "provisional": out.Risk.Provisional}
	if out.Plan != nil {
		ids := make([]string, 0, len(out.Plan.Controls))
		for _, c := range out.Plan.Controls {
			ids = append(ids, c.ID)
		}
		outcome["controls"] = ids
	}
	if err := s.record(r, s.rec(e, p, "risk", req.AsOf.Time, raw, outcome)); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func sectionMissing(name, section string) *Error {
	return errorf(http.StatusNotFound, CodeSectionMissing, "programme %q has no %s section", name, section).
		with("programme", name).with("section", section)
}

// benefitsRequest is the body of POST .../benefits.
type benefitsRequest struct {
	// Profile is optional: it gives the operator's roles, business
	// model and extra facts.
	Profile       json.RawMessage         `json:"profile,omitempty"`
	Authorization lifecycle.Authorization `json:"authorization"`
	AsOf          date                    `json:"as_of"`
	// RiskLevel, Partner and Milestones are what only the host knows:
	// the operator's risk level, its partner programme under an MRA and
	// the implementation milestones reached.
	RiskLevel  string               `json:"risk_level,omitempty"`
	Partner    string               `json:"partner,omitempty"`
	Milestones map[string]time.Time `json:"milestones,omitempty"`
}

// benefitsResponse is the body answering POST .../benefits.
type benefitsResponse struct {
	Programme    string                 `json:"programme"`
	Version      string                 `json:"version"`
	Fingerprint  string                 `json:"fingerprint"`
	AsOf         date                   `json:"as_of"`
	Holder       benefits.Holder        `json:"holder"`
	Granted      []string               `json:"granted"`
	Entitlements []benefits.Entitlement `json:"entitlements"`
}

func (s *Server) benefits(w http.ResponseWriter, r *http.Request) error {
	e, p, err := s.lookup(r.PathValue("programme"))
	if err != nil {
		return err
	}
	cat := p.Benefits()
	if cat == nil {
		return sectionMissing(e.name, "benefits")
	}
	var req benefitsRequest
	raw, err := s.decodeJSON(w, r, &req)
	if err != nil {
		return err
	}
	if req.AsOf.IsZero() {
		return missing("as_of")
	}
	var prof *aeo.Profile
	if len(req.Profile) > 0 && string(req.Profile) != "null" {
		if prof, err = parseProfile(req.Profile); err != nil {
			return err
		}
	}
	out := benefitsResponse{Programme: p.Name(), Version: p.Version(), Fingerprint: p.Fingerprint(), AsOf: req.AsOf, Granted: []string{}}
	if err := s.decide(r.Context(), func(ctx context.Context) error {
		h := aeo.Holder(prof, req.Authorization, req.AsOf.Time)
		h.RiskLevel, h.Partner, h.Milestones = req.RiskLevel, req.Partner, req.Milestones
		out.Holder = h
		out.Entitlements = cat.Eligible(&h, req.AsOf.Time)
		return nil
	}); err != nil {
		return err
	}
	for _, en := range out.Entitlements {
		if en.Status == benefits.Granted {
			out.Granted = append(out.Granted, en.Benefit)
		}
	}
	s.metrics.decisions.WithLabelValues(e.name, "benefits", "decided").Inc()
	if err := s.record(r, s.rec(e, p, "benefits", req.AsOf.Time, raw, map[string]any{"granted": out.Granted})); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// laneRequest is one declaration with the AEO standing of its operator:
// the body of POST .../lane, and one element or line of POST .../lanes.
type laneRequest struct {
	Declaration *risk.Declaration `json:"declaration"`
	// Operator is the operator's AEO standing as the host's register
	// has it; absent means no AEO status.
	Operator *risk.Operator `json:"operator,omitempty"`
}

// laneResponse is the body answering POST .../lane.
type laneResponse struct {
	Programme   string        `json:"programme"`
	Version     string        `json:"version"`
	Fingerprint string        `json:"fingerprint"`
	Decision    risk.Decision `json:"decision"`
}

func (s *Server) lane(w http.ResponseWriter, r *http.Request) error {
	e, p, err := s.lookup(r.PathValue("programme"))
	if err != nil {
		return err
	}
	sel := p.Selector()
	if sel == nil {
		return sectionMissing(e.name, "selectivity")
	}
	var req laneRequest
	raw, err := s.decodeJSON(w, r, &req)
	if err != nil {
		return err
	}
	dec, err := s.selectLane(r, e, p, sel, &req, raw)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, laneResponse{Programme: p.Name(), Version: p.Version(), Fingerprint: p.Fingerprint(), Decision: dec})
	return nil
}

// selectLane decides and records the lane of one declaration.
func (s *Server) selectLane(r *http.Request, e *entry, p *aeo.Programme, sel *risk.Selector, req *laneRequest, raw []byte) (risk.Decision, error) {
	if req.Declaration == nil {
		return risk.Decision{}, missing("declaration")
	}
	if req.Declaration.ID == "" {
		return risk.Decision{}, missing("declaration.id")
	}
	var dec risk.Decision
	if err := s.decide(r.Context(), func(ctx context.Context) error {
		dec = sel.Select(req.Declaration, req.Operator)
		return nil
	}); err != nil {
		// dec is not read: after a timeout the evaluation may still be
		// writing it.
		return risk.Decision{}, err
	}
	s.metrics.decisions.WithLabelValues(e.name, "lane", dec.Lane.String()).Inc()
	outcome := map[string]any{"declaration": dec.Declaration, "lane": dec.Lane.String(), "cause": dec.Cause.String()}
	if dec.Rule != "" {
		outcome["rule"] = dec.Rule
	}
	return dec, s.record(r, s.rec(e, p, "lane", req.Declaration.Date, raw, outcome))
}

// applyRequest is the body of POST .../lifecycle/apply.
type applyRequest struct {
	// State is the authorization as the host stores it; absent, it is
	// rebuilt from Trail (or is the zero state of a first application).
	State *lifecycle.Authorization `json:"state,omitempty"`
	Event *lifecycle.Event         `json:"event"`
	// Trail, when given, is checked before the event is applied: its
	// hash chain must end at Head (or at State.Head) and replaying it
	// must give State back.
	Trail lifecycle.Trail `json:"trail,omitempty"`
	Head  *string         `json:"head,omitempty"`
}

// applyResponse is the body answering an accepted lifecycle event.
type applyResponse struct {
	Programme   string                  `json:"programme"`
	Version     string                  `json:"version"`
	Fingerprint string                  `json:"fingerprint"`
	State       lifecycle.Authorization `json:"state"`
	Record      lifecycle.Record        `json:"record"`
	Due         []lifecycle.DueItem     `json:"due"`
}

func (s *Server) machine(name string) (*entry, *aeo.Programme, *lifecycle.Machine, error) {
	e, p, err := s.lookup(name)
	if err != nil {
		return nil, nil, nil, err
	}
	m := p.Lifecycle()
	if m == nil {
		return nil, nil, nil, sectionMissing(e.name, "lifecycle")
	}
	return e, p, m, nil
}

func (s *Server) lifecycleApply(w http.ResponseWriter, r *http.Request) error {
	e, p, m, err := s.machine(r.PathValue("programme"))
	if err != nil {
		return err
	}
	var req applyRequest
	raw, err := s.decodeJSON(w, r, &req)
	if err != nil {
		return err
	}
	if req.Event == nil {
		return missing("event")
	}
	var out applyResponse
	var refused *lifecycle.RuleError
	if err := s.decide(r.Context(), func(ctx context.Context) error {
		state, err := s.checkTrail(m, &req)
		if err != nil {
			return err
		}
		next, rec, err := m.Apply(state, *req.Event)
		if err != nil {
			if !errors.As(err, &refused) {
				return err
			}
			return nil
		}
		out = applyResponse{Programme: p.Name(), Version: p.Version(), Fingerprint: p.Fingerprint(),
			State: next, Record: rec, Due: m.Due(next, req.Event.At)}
		return nil
	}); err != nil {
		return err
	}
	if refused != nil {
		s.metrics.decisions.WithLabelValues(e.name, "lifecycle", "refused").Inc()
		if err := s.record(r, s.rec(e, p, "lifecycle", req.Event.At, raw,
			map[string]any{"event": req.Event.Kind.String(), "refused": refused.Rule})); err != nil {
			return err
		}
		return errorf(http.StatusUnprocessableEntity, CodeEventRefused, "%s", refused.Error()).
			with("rule", refused.Rule).with("event", refused.Event.String()).with("status", refused.Status.String()).
			with("reason", strings.TrimPrefix(refused.Err.Error(), "lifecycle: "))
	}
	if out.Due == nil {
		out.Due = []lifecycle.DueItem{}
	}
	s.metrics.decisions.WithLabelValues(e.name, "lifecycle", "applied").Inc()
	if err := s.record(r, s.rec(e, p, "lifecycle", req.Event.At, raw, map[string]any{
		"event": req.Event.Kind.String(), "from": out.Record.From.String(), "to": out.Record.To.String(),
		"seq": out.Record.Seq, "hash": out.Record.Hash})); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// checkTrail returns the state an event applies to. With a trail, the
// chain must be intact and end at the head kept apart, and replaying it
// must give the state sent: otherwise something was tampered with, and
// nothing is applied.
func (s *Server) checkTrail(m *lifecycle.Machine, req *applyRequest) (lifecycle.Authorization, error) {
	if req.Trail == nil {
		if req.State == nil {
			return lifecycle.Authorization{}, nil
		}
		return *req.State, nil
	}
	head := ""
	switch {
	case req.Head != nil:
		head = *req.Head
	case req.State != nil:
		head = req.State.Head
	case len(req.Trail) > 0:
		head = req.Trail[len(req.Trail)-1].Hash
	}
	if err := req.Trail.VerifyHead(head); err != nil {
		return lifecycle.Authorization{}, auditError(err)
	}
	replayed, err := m.Replay(req.Trail)
	if err != nil {
		return lifecycle.Authorization{}, auditError(err)
	}
	if req.State != nil {
		a, _ := json.Marshal(replayed)
		b, _ := json.Marshal(req.State)
		if !bytes.Equal(a, b) {
			return lifecycle.Authorization{}, errorf(http.StatusConflict, CodeStateMismatch,
				"the state sent is not the state its audit trail gives: it was changed outside the lifecycle").
				with("records", len(req.Trail))
		}
	}
	return replayed, nil
}

func auditError(err error) error {
	var ae *lifecycle.AuditError
	if !errors.As(err, &ae) {
		return err
	}
	reason := "tampered"
	if errors.Is(err, lifecycle.ErrReplayMismatch) {
		reason = "replay_mismatch"
	}
	return errorf(http.StatusConflict, CodeTrailTampered, "the audit trail does not verify at record %d: %s", ae.Index, ae.Detail).
		with("index", ae.Index).with("reason", reason)
}

// dueRequest is the body of POST .../lifecycle/due.
type dueRequest struct {
	State lifecycle.Authorization `json:"state"`
	AsOf  date                    `json:"as_of"`
}

// dueResponse is the officer's work queue for one authorization.
type dueResponse struct {
	Programme   string                `json:"programme"`
	Fingerprint string                `json:"fingerprint"`
	AsOf        date                  `json:"as_of"`
	Status      lifecycle.Status      `json:"status"`
	Due         []lifecycle.DueItem   `json:"due"`
	Permitted   []lifecycle.EventKind `json:"permitted"`
}

func (s *Server) lifecycleDue(w http.ResponseWriter, r *http.Request) error {
	_, p, m, err := s.machine(r.PathValue("programme"))
	if err != nil {
		return err
	}
	var req dueRequest
	if _, err := s.decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.AsOf.IsZero() {
		return missing("as_of")
	}
	out := dueResponse{Programme: p.Name(), Fingerprint: p.Fingerprint(), AsOf: req.AsOf, Status: req.State.Status}
	if err := s.decide(r.Context(), func(ctx context.Context) error {
		out.Due, out.Permitted = m.Due(req.State, req.AsOf.Time), m.Permitted(req.State)
		return nil
	}); err != nil {
		return err
	}
	if out.Due == nil {
		out.Due = []lifecycle.DueItem{}
	}
	if out.Permitted == nil {
		out.Permitted = []lifecycle.EventKind{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// verifyRequest is the body of POST .../lifecycle/verify.
type verifyRequest struct {
	Trail lifecycle.Trail `json:"trail"`
	// Head is the hash the host kept apart from the records; when given,
	// the chain must end there.
	Head *string `json:"head,omitempty"`
	// Replay also replays the trail under the programme's rules and
	// returns the state it gives.
	Replay bool `json:"replay,omitempty"`
}

// verifyResponse says whether an audit trail verifies.
type verifyResponse struct {
	Valid   bool                     `json:"valid"`
	Records int                      `json:"records"`
	Index   *int                     `json:"index,omitempty"`
	Reason  string                   `json:"reason,omitempty"`
	Detail  string                   `json:"detail,omitempty"`
	State   *lifecycle.Authorization `json:"state,omitempty"`
}

func (s *Server) lifecycleVerify(w http.ResponseWriter, r *http.Request) error {
	_, _, m, err := s.machine(r.PathValue("programme"))
	if err != nil {
		return err
	}
	var req verifyRequest
	if _, err := s.decodeJSON(w, r, &req); err != nil {
		return err
	}
	out := verifyResponse{Records: len(req.Trail)}
	if err := s.decide(r.Context(), func(ctx context.Context) error {
		var err error
		if req.Head != nil {
			err = req.Trail.VerifyHead(*req.Head)
		} else {
			err = req.Trail.Verify()
		}
		if err == nil && req.Replay {
			var st lifecycle.Authorization
			if st, err = m.Replay(req.Trail); err == nil {
				out.State = &st
			}
		}
		var ae *lifecycle.AuditError
		switch {
		case err == nil:
			out.Valid = true
		case errors.As(err, &ae):
			out.Index, out.Detail, out.Reason = &ae.Index, ae.Detail, "tampered"
			if errors.Is(err, lifecycle.ErrReplayMismatch) {
				out.Reason = "replay_mismatch"
			}
		default:
			return err
		}
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
