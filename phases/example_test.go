package phases_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/safe-aeo/engine/phases"
)

// structure stands in for a loaded *aeo.Programme.
type structure []string

func (s structure) Sections() []string { return s }

func ExamplePlan_Apply() {
	p := phases.Default()
	day := time.Date(2025, time.March, 3, 0, 0, 0, 0, time.UTC)

	// Do every task of phase 1 and reach its milestone.
	var s phases.State
	for _, task := range p.Config().Phases[0].Tasks {
		var err error
		if s, err = p.Apply(s, phases.Event{Kind: phases.TaskDone, ID: task.ID}, day); err != nil {
			log.Fatal(err)
		}
	}
	s, err := p.Apply(s, phases.Event{Kind: phases.MilestoneReached, ID: "p1-structure-approved"}, day)
	if err != nil {
		log.Fatal(err)
	}

	// The drafted programme has no appeal procedure yet: phase 1 cannot end.
	draft := structure{"requirements", "application", "certification", "validation", "benefits", "suspension"}
	if s, err = p.Apply(s, phases.Event{Kind: phases.ProgrammeLoaded, Programme: draft}, day); err != nil {
		log.Fatal(err)
	}
	_, err = p.Apply(s, phases.Event{Kind: phases.AdvancePhase}, day)
	var ge *phases.GateError
	if errors.As(err, &ge) {
		fmt.Printf("phase %d, gate %v: %s\n", ge.Phase, ge.Gate, ge.Reason)
	}

	// With the appeal procedure added, the programme moves to phase 2.
	full := append(draft, "appeal")
	if s, err = p.Apply(s, phases.Event{Kind: phases.ProgrammeLoaded, Programme: full}, day); err != nil {
		log.Fatal(err)
	}
	if s, err = p.Apply(s, phases.Event{Kind: phases.AdvancePhase}, day); err != nil {
		log.Fatal(err)
	}
	fmt.Println("now in phase", s.Phase)
	// Output:
	// phase 1, gate programme-structure: programme does not define: appeal
	// now in phase 2
}

func ExamplePlan_Report() {
	p := phases.Default()
	r := p.Report(phases.State{}, time.Date(2025, time.January, 6, 0, 0, 0, 0, time.UTC))
	fmt.Printf("phase %d, %s\n", r.Phase, r.Phases[r.Phase-1].Name)
	for _, g := range r.Blocking {
		if g.Gate != phases.GateTasks { // the list of 15 open tasks is long
			fmt.Printf("blocked by %v: %s\n", g.Gate, g.Reason)
		}
	}
	// Output:
	// phase 1, Preface & Analysis
	// blocked by milestones: milestones not reached: p1-structure-approved
	// blocked by programme-structure: no programme loaded
}

// ExampleNew extends the default plan: a national task in phase 1 and a
// pilot of at most five operators.
func ExampleNew() {
	cfg := phases.Default().Config()
	cfg.Name = "Ruritania AEO"
	cfg.Phases[0].Tasks = append(cfg.Phases[0].Tasks, phases.Task{
		ID:     "p1-customs-union",
		Name:   "Agree the joint AEO concept with the customs union partners",
		Owners: []phases.Project{phases.Legislative},
		Source: "national decision",
	})
	cfg.Pilot.MaxOperators = 5
	p, err := phases.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Name(), len(p.Config().Phases[0].Tasks), "tasks in phase 1")

	cfg.Pilot.MaxOperators = 0
	_, err = phases.New(cfg)
	fmt.Println(err)
	// Output:
	// Ruritania AEO 16 tasks in phase 1
	// phases: pilot.max_operators: must be at least 1
}
