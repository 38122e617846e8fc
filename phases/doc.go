// Package phases tracks a customs administration's implementation of an
// Authorized Economic Operator (AEO) programme through the nine-phase
// national approach of the WCO SAFE Package "AEO Implementation Guidance"
// and its Annex 1, "Authorized Economic Operator National Programme Guide":
//
//  1. Preface & Analysis
//  2. Strategic Planning
//  3. Pilot Execution
//  4. Monitoring & Evaluation
//  5. Enlargement
//  6. Implement Pilot
//  7. Further Pilots
//  8. Implement all pilots
//  9. Completion of the programme
//
// # Model
//
// A [Plan] is the immutable configuration: the phases, each with tasks owned
// by the seed's projects (Trade Management, Communication, Legislative, HR
// Development, Risk Management and Intelligence), milestones, performance
// indicators and gates, plus the parameters of the pilot, the admission waves,
// the evaluation cadence and the benefit stages. [Default] returns the plan
// of the seed, embedded as JSON in the package (plan.json; every item cites
// the part of the guidance it comes from). An administration extends it by
// editing a copy of its [Config] and calling [New], or by writing its own file
// and calling [Decode].
//
// A [State] is the tracker state. The package holds none: the caller keeps the
// State, passes it with an [Event] and the event's date to [Plan.Apply], and
// persists the State that comes back. Apply is pure; it never changes the
// State it is given and, on error, returns it unchanged. A State round-trips
// through JSON.
//
// [Plan.Report] summarises a State as of a date, as data with JSON tags or as
// text ([Report.Text]).
//
// # Gates
//
// A gate is a rule that must hold to leave a phase; AdvancePhase is refused
// with a [*GateError] while one is blocked. The default plan uses:
//
//   - tasks and milestones: every required task of the phase done and every
//     milestone reached;
//   - programme-structure (phase 1): the loaded programme defines requirements,
//     application, certification, validation, benefits, suspension and appeal
//     ([StructureSections]); a ProgrammeLoaded event records what a
//     [Programme] (such as *aeo.Programme) defines, and the gate names what is
//     missing, or says that no programme is loaded; a programme that lists
//     Customs' own obligations ([Obligations]) must also meet each;
//   - pilot (phase 3): between one and ten pilot operators, SMEs, large
//     companies and multinationals among them, all volunteers;
//   - benefits (phases 3 and 8): every benefit of the stages up to the gate's
//     stage introduced;
//   - evaluations (phases 4 and 5): the first one, then both, of the
//     evaluations due every six months in the first year after the pilot
//     starts;
//   - admission (phase 5): operators of the second wave (brokers) admitted.
//
// Three of these rules are also checked on every event they govern: an
// admission beyond the pilot limits, or of a wave that is not yet open
// (importers and exporters first, then brokers, then carriers and the rest,
// each wave six months after the first admission of the one before), and a
// benefit introduced before the earlier stages are complete, are refused with
// a *GateError.
//
// # Time
//
// Nothing here reads the clock. Every event carries its date; events must come
// in date order. Evaluation due dates are computed from the date of the
// pilot-launch milestone; whether one is overdue is judged against the as-of
// date given to Report. Adding months clamps to the end of the month.
//
// # Concurrency
//
// A Plan is immutable and safe for concurrent use by multiple goroutines.
// States and Reports are plain values owned by the caller.
package phases
