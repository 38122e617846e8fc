package replay_test

import (
	"context"
	"fmt"
	"iter"
	"log"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/replay"
	"github.com/safe-aeo/engine/risk"
)

// A host replays declarations from its own store through the profile in
// force and the next one, on its own iterator.
func ExampleReplayer_Declarations() {
	old, err := aeo.Load("../examples/selectivity/programme.yaml")
	if err != nil {
		log.Fatal(err)
	}
	next, err := aeo.Load("../examples/selectivity/next.yaml")
	if err != nil {
		log.Fatal(err)
	}
	r, err := replay.New(old, next)
	if err != nil {
		log.Fatal(err)
	}
	// The host's store: here, declarations of mineral fuels, which the
	// next version selects under a rule of their own.
	var store iter.Seq[risk.Entry] = func(yield func(risk.Entry) bool) {
		for i := range 1000 {
			e := risk.Entry{Declaration: risk.Declaration{ID: fmt.Sprintf("25PRT%07d", i), HSCode: "271019", Origin: "NO", Dispatch: "NO"}}
			if !yield(e) {
				return
			}
		}
	}
	rep, err := r.Declarations(context.Background(), store)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d replayed, %d change lane\n", rep.Replayed, rep.Changed)
	for _, rc := range rep.Rules {
		if rc.Change != 0 {
			fmt.Printf("%s: %d -> %d\n", rc.Rule, rc.OldFired, rc.NewFired)
		}
	}
	// Output:
	// 1000 replayed, 442 change lane
	// fuels: 0 -> 239
	// excise: 409 -> 0
}

// A replay reads files as it goes: JSON Lines or CSV, compressed or not.
func ExampleReplayer_DeclarationFiles() {
	old, _ := aeo.Load("../examples/selectivity/programme.yaml")
	next, _ := aeo.Load("../examples/selectivity/next.yaml")
	r, _ := replay.New(old, next)
	csv := "id,hs_code,value,operator.status\n25PRT0000001,220830,900,none\n25PRT0000002,220830,lots,none\n"
	rep, err := r.DeclarationFiles(context.Background(), []replay.Input{replay.Reader("march.csv", strings.NewReader(csv), replay.Auto)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Replayed, "replayed")
	for _, p := range rep.Listed {
		fmt.Println(p)
	}
	// Output:
	// 1 replayed
	// march.csv:3:21: column 3 (value): want a number, not "lots"
}
