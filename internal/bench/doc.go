// Package bench is the engine's evaluation benchmark suite: three
// workloads shaped like the real thing, each in three forms measured in the
// same run — handwritten Go (the floor), the same expressions run directly
// on expr's VM, and the engine.
//
//   - Assess: an operator against the 50-requirement programme in
//     testdata/assess.yaml, criteria A–M.
//   - Risk: a five-dimension weighted risk score clamped to 0..100, with a
//     level by thresholds.
//   - Lane: a selectivity rule per declaration: AEO status, HS chapter,
//     origin risk, value and a random draw.
//
// workload_test.go holds the environments, the input generators and the
// handwritten Go forms; bench_test.go the expr and engine forms, the
// benchmarks and TestAgree, which proves the three forms agree.
//
// The assess workload's engine form is package criteria from the programme
// file. Besides it, the "rules" form runs the engine's evaluator in the
// scaffold the Go and expr forms share, to separate the cost of evaluating
// the rules from the cost of the explanations criteria builds.
//
// natural_test.go runs each workload with its rules in the forms authors
// write (let, clamps with integer literals, list membership, filter,
// reduce) next to the rewritten forms, through the engine's public paths:
// criteria.Set (explained and decision-only), risk.Model.MapInto and
// risk.Session.Select. corpus_test.go holds the corpus of author-style
// expressions, its lowering share, its agreement with expr and the
// per-rule benchmark against expr (BenchmarkCorpus).
package bench
