package server

import (
	"reflect"
	"slices"

	"github.com/safe-aeo/engine/aeo"
)

// buildOpenAPI builds the OpenAPI 3.1 document of the API.
func buildOpenAPI() object {
	g := newSchemaGen()
	ref := func(v any) object { return g.schema(reflect.TypeOf(v)) }
	errorRef := ref(errorBody{})
	jsonContent := func(s object) object { return object{"application/json": object{"schema": s}} }
	errResp := func(desc string) object {
		return object{"description": desc, "content": jsonContent(errorRef)}
	}
	errs := map[string]object{
		"400": errResp("Bad input: malformed JSON (`malformed_json`), an unknown field (`unknown_field`), a missing or invalid field (`invalid_request`), a profile the programme refuses (`invalid_profile`)."),
		"401": errResp("No valid bearer token (`unauthorized`), when the server requires one."),
		"404": errResp("No such programme (`unknown_programme`), or the programme lacks the section the endpoint needs (`section_missing`)."),
		"405": errResp("Wrong method (`method_not_allowed`)."),
		"413": errResp("The request body is larger than the limit (`body_too_large`)."),
		"415": errResp("The content type is not accepted (`unsupported_media_type`)."),
		"422": errResp("The lifecycle refused the event (`event_refused`); the details name the rule."),
		"409": errResp("The audit trail sent does not verify (`trail_tampered`), or the state sent is not the one its trail gives (`state_mismatch`); nothing was applied."),
		"500": errResp("An internal error (`internal`): no detail is given; the log has it under the request ID."),
		"503": errResp("No decision within the timeout (`decision_timeout`), the decision log could not be written (`decision_log_failed`), or the programme failed to load and has no version serving (`programme_failed`)."),
	}
	responses := func(okDesc string, ok object, statuses ...string) object {
		rs := object{"200": object{"description": okDesc, "content": jsonContent(ok)}}
		for _, s := range append([]string{"401", "405", "500"}, statuses...) {
			rs[s] = errs[s]
		}
		return rs
	}
	progParam := []any{object{"name": "programme", "in": "path", "required": true,
		"description": "The programme's name: its file's base name without the extension.",
		"schema":      object{"type": "string", "pattern": `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`}}}
	decision := func(id, summary, desc string, req, ok object, statuses ...string) object {
		return object{"post": object{
			"operationId": id, "summary": summary, "description": desc, "parameters": progParam,
			"requestBody": object{"required": true, "content": jsonContent(req)},
			"responses":   responses("The decision.", ok, append([]string{"400", "404", "413", "415", "503"}, statuses...)...),
		}}
	}
	open := []any{}
	withParams := func(op object, params ...any) object {
		post := op["post"].(object)
		post["parameters"] = append(slices.Clone(post["parameters"].([]any)), params...)
		return op
	}

	paths := object{
		"/healthz": object{"get": object{
			"operationId": "healthz", "summary": "Liveness: the process answers.", "security": open,
			"responses": object{"200": object{"description": "Up.", "content": jsonContent(object{
				"type": "object", "properties": object{"status": object{"const": "ok"}}, "required": []any{"status"}})},
				"405": errs["405"], "500": errs["500"]},
		}},
		"/readyz": object{"get": object{
			"operationId": "readyz", "summary": "Readiness: at least one programme is serving and the server is not draining.", "security": open,
			"responses": object{
				"200": object{"description": "Ready.", "content": jsonContent(ref(readiness{}))},
				"503": object{"description": "Not ready: no programme serving, or shutting down.", "content": jsonContent(ref(readiness{}))},
				"405": errs["405"], "500": errs["500"]},
		}},
		"/metrics": object{"get": object{
			"operationId": "metrics", "summary": "Prometheus metrics in the text exposition format.",
			"responses": object{
				"200": object{"description": "The metrics.", "content": object{"text/plain": object{"schema": object{"type": "string"}}}},
				"401": errs["401"], "405": errs["405"], "500": errs["500"]},
		}},
		"/v1/openapi.json": object{"get": object{
			"operationId": "openapi", "summary": "This document.",
			"responses": object{
				"200": object{"description": "The OpenAPI 3.1 document.", "content": jsonContent(object{"type": "object"})},
				"401": errs["401"], "405": errs["405"], "500": errs["500"]},
		}},
		"/v1/programmes": object{"get": object{
			"operationId": "listProgrammes", "summary": "The programmes of the directory: names, versions, fingerprints, load times, and the errors of files that failed to load.",
			"responses": responses("The programmes, by name.", ref(programmeList{})),
		}},
		"/v1/programmes/{programme}": object{"get": object{
			"operationId": "getProgramme", "summary": "One programme.", "parameters": progParam,
			"responses": responses("The programme.", ref(ProgrammeInfo{}), "404"),
		}},
		"/v1/validate": object{"post": object{
			"operationId": "validate", "summary": "Check a programme file sent in the body, for authoring tools.",
			"description": "The body is a programme file, YAML or JSON. It may extend only the built-in baseline. The answer lists every problem with its line and column; `valid` is false when there is any. The query parameter `name` names the file in the problems.",
			"parameters":  []any{object{"name": "name", "in": "query", "required": false, "schema": object{"type": "string"}}},
			"requestBody": object{"required": true, "content": object{
				"application/yaml": object{"schema": object{"type": "string"}},
				"application/json": object{"schema": object{"type": "object"}},
			}},
			"responses": responses("The validation.", ref(validation{}), "400", "413", "415", "503"),
		}},
		"/v1/programmes/{programme}/assess": withParams(decision("assess", "Assess a profile as of a date.",
			"Evaluates every requirement, criterion and authorization type of the programme for the profile as of `as_of`. `view` is `operator` (the default: nothing internal) or `internal` (for officers: fact values, internal messages and reasons). The operator view gives titles and reasons in the language the query parameter `lang` asks for, else the `Accept-Language` header, as far as the programme writes them in it; otherwise in the programme's language. The assessment carries the programme's fingerprint. It recommends; Customs decides.",
			ref(assessRequest{}), ref(aeo.Assessment{})),
			object{"name": "lang", "in": "query", "required": false,
				"description": "The operator's languages: a BCP 47 tag (fr, es-419) or an Accept-Language list (fr-CA,fr;q=0.8). Overrides the Accept-Language header.",
				"schema":      object{"type": "string"}}),
		"/v1/programmes/{programme}/risk": decision("risk", "The risk map of an operator and its plan of treatment.",
			"Assesses the profile as of `as_of`, maps the operator's risk (dimensions and the risks its findings raise) and, given `budget_hours`, draws up the plan of treatment within that many staff hours a year. For Customs' internal use.",
			ref(riskRequest{}), ref(riskResponse{})),
		"/v1/programmes/{programme}/benefits": decision("benefits", "The benefits an operator holds as of a date.",
			"Decides every benefit of the programme's catalogue for the operator described by its authorization (as the lifecycle endpoints return it) and, optionally, its profile, as of `as_of`.",
			ref(benefitsRequest{}), ref(benefitsResponse{})),
		"/v1/programmes/{programme}/lane": decision("lane", "The lane of one declaration.",
			"Selects the lane (red, yellow, blue, green) of the declaration, given its operator's AEO standing, with the rules that fired and the random draw. The same programme, seed and declaration always give the same decision.",
			ref(laneRequest{}), ref(laneResponse{})),
		"/v1/programmes/{programme}/lanes": object{"post": object{
			"operationId": "lanes", "summary": "The lanes of many declarations: NDJSON or a JSON array in, NDJSON out.",
			"description": "Each input line (or array element) is a lane request. The answer is an NDJSON stream, each line of the schema given: one per input line, in order, with its decision or its error, then a last line with the summary. A bad line gets its error and the rest is decided; a stream over the limits is cut short with an error line and `complete: false` in the summary.",
			"parameters":  progParam,
			"requestBody": object{"required": true, "content": object{
				"application/x-ndjson": object{"schema": ref(laneRequest{})},
				"application/json":     object{"schema": object{"type": "array", "items": ref(laneRequest{})}},
			}},
			"responses": func() object {
				rs := responses("", nil, "404", "415", "503")
				rs["200"] = object{"description": "One JSON object a line.", "content": object{"application/x-ndjson": object{"schema": ref(streamLine{})}}}
				return rs
			}(),
		}},
		"/v1/programmes/{programme}/lifecycle/apply": decision("lifecycleApply", "Apply an event to an authorization.",
			"Applies the event to the state the host keeps and returns the new state, the audit record to append and what is then due; or refuses it (422) with the rule that refused it, changing nothing. With `trail`, the audit trail is first verified (its hash chain must end at `head`, or at the state's head) and replayed, and must give back `state`.",
			ref(applyRequest{}), ref(applyResponse{}), "409", "422"),
		"/v1/programmes/{programme}/lifecycle/due": decision("lifecycleDue", "The officer's work queue for an authorization.",
			"What is due on the authorization as of `as_of` (deadlines, periods, cycles) and the events its status permits.",
			ref(dueRequest{}), ref(dueResponse{})),
		"/v1/programmes/{programme}/lifecycle/verify": decision("lifecycleVerify", "Verify an audit trail.",
			"Checks the hash chain of the trail (and that it ends at `head`, when given); with `replay`, also replays it under the programme's rules and returns the state it gives. A trail that does not verify is an answer (`valid: false`, with the first record at fault), not an error.",
			ref(verifyRequest{}), ref(verifyResponse{})),
	}
	return object{
		"openapi": "3.1.0",
		"info": object{
			"title":       "AEO decision service",
			"version":     "1",
			"summary":     "Assessments, risk maps, lanes, benefits and lifecycle steps of Authorized Economic Operator programmes (WCO SAFE Framework).",
			"description": "Every decision is a pure function of (programme, input): the programme is named in the path and its fingerprint returned, and every date is an input. Errors are `{\"error\": {\"code\", \"message\", \"details\"}}` with a 4xx status for bad input; clients branch on `code`. The engine recommends; Customs decides.",
			"license":     object{"name": "Apache-2.0", "identifier": "Apache-2.0"},
		},
		"servers":  []any{object{"url": "http://127.0.0.1:8080", "description": "aeo serve's default address"}},
		"security": []any{object{"bearer": []any{}}, object{}},
		"paths":    paths,
		"components": object{
			"securitySchemes": object{"bearer": object{"type": "http", "scheme": "bearer",
				"description": "Required on /v1 and /metrics when the server is started with a token."}},
			"schemas": g.defs,
		},
	}
}
