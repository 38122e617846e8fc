// Package server is the engine as a decision service: JSON over HTTP,
// versioned under /v1, for clearance systems that are not written in Go.
// A Server is an http.Handler, so a Go host can mount it in its own mux;
// the aeo command's serve subcommand runs one on its own.
//
// The service keeps the library's promises. Programmes are compiled once,
// from the files of a directory (one per country or version, named by the
// file's base name), and every request is decided by one immutable
// programme, whose fingerprint the response carries. Time is an input:
// every decision states the date it is made as of, and nothing is decided
// from the server's clock. The host keeps the state: a lifecycle step
// takes the authorization and the event and returns the new state and its
// audit record, and the service keeps nothing between requests, so any
// number of copies can run behind a load balancer.
//
// # Endpoints
//
//	GET  /healthz                                     the process is up
//	GET  /readyz                                      a programme is serving and the server is not draining
//	GET  /metrics                                     Prometheus metrics
//	GET  /v1/openapi.json                             the OpenAPI 3.1 document of this API
//	GET  /v1/programmes                               programmes loaded: names, versions, fingerprints, load times, errors
//	GET  /v1/programmes/{programme}                   one of them
//	POST /v1/validate                                 check a programme file sent in the body
//	POST /v1/programmes/{programme}/assess            assess a profile as of a date
//	POST /v1/programmes/{programme}/risk              the risk map and plan of treatment of an operator
//	POST /v1/programmes/{programme}/benefits          the benefits an operator holds as of a date
//	POST /v1/programmes/{programme}/lane              the lane of one declaration
//	POST /v1/programmes/{programme}/lanes             the lanes of many: a JSON array or NDJSON in, NDJSON out
//	POST /v1/programmes/{programme}/lifecycle/apply   apply an event to an authorization
//	POST /v1/programmes/{programme}/lifecycle/due     the officer's work queue for an authorization
//	POST /v1/programmes/{programme}/lifecycle/verify  check an audit trail's hash chain
//
// The OpenAPI document (openapi.json in this package, served at
// /v1/openapi.json) gives every request and response.
//
// # Reload
//
// Reload compiles every programme file aside and swaps the new set in
// atomically: a request in flight finishes with the programme it started
// with. A file that fails to load leaves its previous version serving;
// its errors are logged, counted in the metrics and listed by the
// programmes endpoint. Serve reloads when a file in the directory changes
// (it polls, so that no file-notification dependency is needed); the aeo
// command also reloads on SIGHUP.
//
// # Safety
//
// Errors are JSON, {"error": {"code", "message", "details"}}, with a 4xx
// status for bad input and never a stack trace or any internal text.
// Request bodies, NDJSON streams and their lines are bounded, every
// decision has a timeout and the number of decisions at once is bounded.
// An optional bearer token guards /v1 and /metrics (health and readiness
// stay open for load balancers). An optional decision log records, one
// JSON line per decision, the time, the programme's fingerprint, the
// as-of date, the SHA-256 of the input and the outcome, for audit; a
// decision that cannot be logged is not given.
//
// A Server is safe for concurrent use by multiple goroutines.
package server
