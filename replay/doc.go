// Package replay replays a year of declarations and the whole register of
// operators through two versions of a programme before the new one goes
// live, and reports what changes: lanes (old lane × new lane), the rules
// that fire more or less often, the lanes that fall short of their
// expected rates, and the outcomes of requirements, criteria and
// authorizations per operator.
//
// It is a library first: a host replays its own records with
// Replayer.Declarations and Replayer.Operators, which take an iter.Seq, or
// reads files and streams with DeclarationFiles and OperatorFiles. The
// aeo impact command is a thin layer over it.
//
// # Streaming
//
// Inputs are read in blocks of complete lines, a bounded window of them
// in flight (two per worker and two more), decoded and replayed on every
// core, and taken back in input order; memory does not grow with the
// input. Reports are sums: they do not depend on the number of workers or
// on scheduling, and the reports of shards (see Shard) Merge into the
// report of a single run. Declarations are decoded by a purpose-built
// JSON scanner that does not allocate, because at a million declarations
// a second encoding/json would take most of the time.
//
// # Inputs
//
// An Input is JSON Lines, CSV, TSV or a YAML or JSON document,
// gzip-compressed or not (recognised by its magic number); Expand turns
// command-line arguments (files, directories, globs, "-" for standard
// input) into inputs.
//
// A JSON line of declarations is the JSON encoding of a risk.Entry:
//
//	{"declaration": {"id": "25PRT0000001", "date": "2025-03-01", "office": "XXPRT",
//	  "direction": "import", "hs_code": "851712", "origin": "CN", "dispatch": "CN",
//	  "value": 1234.5, "gross_mass": 12.3, "operator": "XXA00001", "procedure": "4000",
//	  "transport_mode": "1", "facts": {"risk_score": 42}},
//	 "operator": {"id": "XXA00001", "status": "authorized", "types": ["AEO"]}}
//
// Dates are YYYY-MM-DD or RFC 3339; a field may be null or left out;
// declaration.id is required (the random draws are keyed by it). A CSV
// file of declarations has a header row naming declaration fields (id,
// date, office, ..., optionally written declaration.NAME), operator.id,
// operator.status, operator.types (separated by ";"), operator.grade,
// operator.partner, and facts as facts.NAME or, for a fact either
// programme declares, NAME. A JSON line of profiles is an aeo.Profile; a
// CSV column of profiles names a profile key (operator_id, name, roles
// separated by ";", employees...), a path into one (records.accounting_system),
// or a fact, and a cell holding a list or an object holds it as JSON. One
// record per line: a CSV field may not hold a line break.
//
// # Problems
//
// Anything wrong with a record is a Problem with its file, line and
// column: a line that is not JSON or is cut short, a field of the wrong
// type, an unknown field (with the closest known name), a line longer
// than WithMaxLine, an empty input, a compressed stream cut short. The
// record is skipped and the run goes on; WithMaxProblems stops it. A fact
// that one programme does not declare is not a problem but the point of
// the exercise: that programme reads the record without it (its rules
// that would read it are indeterminate, or skipped for lane rules), and
// the report counts the records concerned in FactNotes. A fact neither
// declares, or one of the wrong type, is a problem, and the record is
// replayed without it.
//
// # Changes
//
// WithChanges writes every declaration whose lane changes and every
// operator whose outcomes change as JSON lines, in input order:
//
//	{"kind":"declaration","input":0,"file":"2025-03.jsonl.gz","line":17,"declaration":"25PRT0000017",
//	 "operator":"XXA00001","status":"none","old":{"lane":"green","cause":"default"},
//	 "new":{"lane":"yellow","cause":"rule","rule":"excise"}}
//	{"kind":"operator","input":0,"file":"register.jsonl","line":2,"operator":"XX2","name":"Reformed Ltd",
//	 "changes":[{"kind":"authorization","id":"AEO","old":"recommend","new":"refuse"}]}
//
// These files, like the reports, are for the administration: they carry
// rule IDs and outcomes, never for an operator's eyes.
package replay
