package phases

import (
	"maps"
	"slices"
	"time"
)

// A Programme is what gate 1 reads of a loaded national programme.
// *aeo.Programme satisfies it.
type Programme interface {
	// Sections reports which parts of the programme structure the
	// programme defines, by the names in StructureSections.
	Sections() []string
}

// Obligations is what a Programme that lists Customs' own obligations
// (SAFE Annex IV's Customs-side items: designate contact points,
// establish procedures through which operators raise questions, monitor
// and re-validate...) also reports: those it does not yet meet, one a
// line. *aeo.Programme satisfies it. The programme structure of phase 1
// is not final while one is open: Customs' side of the programme is part
// of its structure.
type Obligations interface {
	OpenObligations() []string
}

// StructureSections returns the parts that the programme structure drafted
// in phase 1 must define: "a finalized draft of the programme structure to
// include clear requirements to join the programme, application process,
// certification, validation, benefits, removal or suspension and an appeal
// procedure" (seed, Phase One, final step). Each call returns a new slice.
func StructureSections() []string {
	return []string{"requirements", "application", "certification", "validation", "benefits", "suspension", "appeal"}
}

// State is the tracker state of one administration's implementation. The
// caller holds and persists it (it is plain JSON-tagged data); [Plan.Apply]
// returns a new State and never modifies the one it is given.
//
// The zero State is the start of phase 1 with nothing recorded; Phase 0 is
// read as phase 1. Dates are kept as given in events.
type State struct {
	// Phase is the current phase, 1-based. Once the last phase is left it
	// stays at the last phase and Left has one date per phase.
	Phase int `json:"phase"`
	// Left[i] is the date phase i+1 was left.
	Left []time.Time `json:"left,omitempty"`
	// Updated is the date of the latest applied event; earlier events are
	// refused.
	Updated time.Time `json:"updated,omitzero"`
	// PilotStart is the date Pilot.StartMilestone was reached; evaluations
	// are due from it.
	PilotStart  time.Time              `json:"pilot_start,omitzero"`
	Tasks       map[string]time.Time   `json:"tasks,omitempty"`      // done tasks: ID → date
	Milestones  map[string]time.Time   `json:"milestones,omitempty"` // reached milestones: ID → date
	Benefits    map[string]time.Time   `json:"benefits,omitempty"`   // introduced benefits: ID → date
	Indicators  map[string]Measurement `json:"indicators,omitempty"` // recorded indicators: ID → latest value
	Operators   []AdmittedOperator     `json:"operators,omitempty"`  // in order of admission
	Evaluations []time.Time            `json:"evaluations,omitempty"`
	Programme   *ProgrammeRecord       `json:"programme,omitempty"` // the latest ProgrammeLoaded, if any
}

// An Operator is an economic operator admitted to the programme.
type Operator struct {
	ID        string       `json:"id"`
	Type      OperatorType `json:"type"`
	Size      Size         `json:"size"`
	Volunteer bool         `json:"volunteer"`
}

// An AdmittedOperator is an operator with the date and phase of its
// admission. Pilot reports whether it was admitted before the enlargement
// phase, and so counts against the pilot limits.
type AdmittedOperator struct {
	Operator Operator  `json:"operator"`
	Admitted time.Time `json:"admitted"`
	Phase    int       `json:"phase"`
	Pilot    bool      `json:"pilot,omitempty"`
}

// A Measurement is the latest recorded value of an indicator.
type Measurement struct {
	Value float64   `json:"value"`
	On    time.Time `json:"on"`
}

// A ProgrammeRecord is what a ProgrammeLoaded event recorded: the parts of
// the programme structure the programme defined, sorted, on that date.
type ProgrammeRecord struct {
	Loaded   time.Time `json:"loaded"`
	Sections []string  `json:"sections,omitempty"`
	// Open lists the obligations of Customs the programme does not yet
	// meet, when it reports them (see [Obligations]).
	Open []string `json:"open,omitempty"`
}

// An Event is something that happened in the implementation, applied to a
// State by [Plan.Apply] with the date it happened. Which fields an event
// takes depends on its Kind:
//
//	TaskDone, MilestoneReached, BenefitIntroduced  ID
//	IndicatorRecorded                              ID, Value
//	OperatorsAdmitted                              Operators
//	ProgrammeLoaded                                Programme
//	EvaluationHeld, AdvancePhase                   nothing
//
// A field the kind does not take must be left zero. The zero Event has
// kind UnknownEvent and is refused.
type Event struct {
	Kind      EventKind  `json:"kind"`
	ID        string     `json:"id,omitempty"`
	Value     float64    `json:"value,omitempty"`
	Operators []Operator `json:"operators,omitempty"`
	// Programme is read, not kept: Apply records its Sections.
	Programme Programme `json:"-"`
}

// clone returns a deep copy of s, with Phase 0 read as 1.
func (s State) clone() State {
	s.Phase = max(s.Phase, 1)
	s.Left = slices.Clone(s.Left)
	s.Tasks = maps.Clone(s.Tasks)
	s.Milestones = maps.Clone(s.Milestones)
	s.Benefits = maps.Clone(s.Benefits)
	s.Indicators = maps.Clone(s.Indicators)
	s.Operators = slices.Clone(s.Operators)
	s.Evaluations = slices.Clone(s.Evaluations)
	if s.Programme != nil {
		pr := *s.Programme
		pr.Sections = slices.Clone(pr.Sections)
		pr.Open = slices.Clone(pr.Open)
		s.Programme = &pr
	}
	return s
}

// put records id → at in *m, allocating the map on first use.
func put[V any](m *map[string]V, id string, v V) {
	if *m == nil {
		*m = map[string]V{}
	}
	(*m)[id] = v
}
