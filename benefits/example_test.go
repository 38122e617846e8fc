package benefits_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/diag"
)

func ExampleCompile() {
	c, err := benefits.Compile(benefits.Config{
		Catalogues: []string{"safe", "stairway"},
		Drop:       []string{"safe.info.threat-information"},
		Activation: map[string]benefits.Activation{
			"stair.centralized-clearance": {Milestone: "p8-benefits"},
		},
		Baselines: map[string]benefits.Baseline{
			"safe.release.fast-lane": {NormalMinutes: 45, ExpectedPerMonth: 20},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Len(), "benefits,", len(c.Steps()), "stairway steps")
	b, _ := c.Benefit("safe.release.fast-lane")
	fmt.Println(b.Title, "-", b.Measure)
	// Output:
	// 29 benefits, 3 stairway steps
	// Dedicated AEO lane at the border - crossings
}

func ExampleCompile_error() {
	_, err := benefits.Compile(benefits.Config{
		Catalogues: []string{"safe"},
		Override:   []benefits.Benefit{{ID: "safe.release.fast-lane", Eligible: `risk_level == 1`}},
		Activation: map[string]benefits.Activation{"safe.release.teleport": {Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}},
	})
	fmt.Println(err)
	var ce *diag.Error
	if errors.As(err, &ce) {
		fmt.Println(ce.Path, ce.ExprLine, ce.ExprColumn)
	}
	// Output:
	// activation.safe.release.teleport: unknown benefit "safe.release.teleport"
	// override[0].eligible:1:12: cannot apply == to a string and a number
	// activation.safe.release.teleport 0 0
}

func ExampleCatalogue_Eligible() {
	c, err := benefits.Compile(benefits.Config{Catalogues: []string{"safe"}})
	if err != nil {
		log.Fatal(err)
	}
	// An EU holder of AEOC and AEOS whose AEOS is suspended.
	h := &benefits.Holder{
		Status:    "partly_suspended",
		Types:     []string{"AEOC", "AEOS"},
		Suspended: []string{"AEOS"},
		Roles:     []string{"importer"},
	}
	for _, e := range c.Eligible(h, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) {
		fmt.Printf("%-40s %-9s %s\n", e.Benefit, e.Status, e.Reason)
	}
	// Output:
	// safe.release.reduced-data                granted   authorization in force
	// safe.release.fewer-examinations          suspended suspended: AEOS
	// safe.release.priority-examination        granted   authorization in force
	// safe.release.before-payment              granted   authorization in force
	// safe.release.fast-lane                   granted   authorization in force
	// safe.info.points-of-contact              granted   authorization in force
	// safe.info.threat-information             suspended suspended: AEOS
	// safe.disruption.priority-processing      suspended suspended: AEOS
	// safe.disruption.trade-resumption         suspended suspended: AEOS
	// safe.new-programmes.first-consideration  granted   authorization in force
}

func ExampleCatalogue_Decide() {
	c, err := benefits.Compile(benefits.Config{
		Catalogues: []string{"operator"},
		TypeGroups: map[string][]string{"security": {"CTPAT"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, grade := range []string{"tier1", "tier2", ""} {
		h := &benefits.Holder{Status: "authorized", Types: []string{"CTPAT"}, Grade: grade, Roles: []string{"importer"}}
		e, err := c.Decide(h, "op.ctpat.priority-search", at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%q: %s (%s) %v\n", grade, e.Status, e.Reason, e.Missing)
	}
	// Output:
	// "tier1": not_eligible (condition not met: grade in ["tier2", "tier3"]) []
	// "tier2": granted (authorization in force) []
	// "": cannot_decide (cannot decide: grade in ["tier2", "tier3"]) [grade]
}

func ExampleLedger_Add() {
	c, err := benefits.Compile(benefits.Config{Catalogues: []string{"safe"}})
	if err != nil {
		log.Fatal(err)
	}
	l := benefits.NewLedger(c)
	h := &benefits.Holder{Operator: "OP-1", Status: "authorized", Types: []string{"AEO"}}
	at := time.Date(2025, 3, 3, 9, 30, 0, 0, time.UTC)
	err = l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-1", At: at, Quantity: 1, Minutes: 12}, h)
	if err != nil {
		log.Fatal(err)
	}
	err = l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-1", At: at, Quantity: -1}, h)
	fmt.Println(errors.Is(err, benefits.ErrInvalidQuantity), err)
	fmt.Println(l.Len(), "record")
	// Output:
	// true benefits: record "safe.release.fast-lane" for "OP-1" on 2025-03-03: quantity: -1 is negative: invalid quantity
	// 1 record
}

func ExampleLedger_Add_notEntitled() {
	c, err := benefits.Compile(benefits.Config{Catalogues: []string{"safe"}})
	if err != nil {
		log.Fatal(err)
	}
	l := benefits.NewLedger(c)
	suspended := &benefits.Holder{Operator: "OP-1", Status: "suspended", Types: []string{"AEO"}}
	err = l.Add(benefits.Record{
		Benefit: "safe.release.fast-lane", Operator: "OP-1",
		At: time.Date(2025, 4, 2, 0, 0, 0, 0, time.UTC), Quantity: 1,
	}, suspended)
	var re *benefits.RecordError
	if errors.As(err, &re) && errors.Is(err, benefits.ErrNotEntitled) {
		fmt.Println(re.Entitlement.Status, "-", re.Entitlement.Reason)
	}
	fmt.Println(l.Len(), "records")
	// Output:
	// suspended - the authorization is suspended
	// 0 records
}

func ExampleLedger_Report() {
	c, err := benefits.Compile(benefits.Config{
		Catalogues: []string{"safe"},
		Baselines:  map[string]benefits.Baseline{"safe.release.fast-lane": {NormalMinutes: 45, ExpectedPerMonth: 8}},
	})
	if err != nil {
		log.Fatal(err)
	}
	l := benefits.NewLedger(c)
	h := &benefits.Holder{Operator: "OP-1", Status: "authorized", Types: []string{"AEO"}}
	for day := 1; day <= 28; day += 3 {
		at := time.Date(2025, 3, day, 8, 0, 0, 0, time.UTC)
		rec := benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-1", At: at, Quantity: 1, Minutes: 15, NormalQuantity: 1}
		if err := l.Add(rec, h); err != nil {
			log.Fatal(err)
		}
	}
	rep, err := l.Report(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		benefits.GroupBy{Operator: true, Benefit: true, Interval: benefits.Month})
	if err != nil {
		log.Fatal(err)
	}
	if err := rep.WriteCSV(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// operator,benefit,unit,period,start,end,records,operators,quantity,mean_quantity,normal_quantity,share,minutes,minutes_per_unit,minutes_saved,normal_minutes,saved_per_unit,expected,achieved
	// OP-1,safe.release.fast-lane,crossings,2025-03,2025-03-01,2025-04-01,10,1,10,1,10,0.5,150,15,300,45,30,8,1.25
}

func ExampleReadCSV() {
	in := `benefit,operator,at,quantity,unit
stair.client-coordinator,OP-1,2025-03-15,1.5,hours
stair.client-coordinator,OP-1,2025-03-22,-2,hours
`
	_, err := benefits.ReadCSV(strings.NewReader(in))
	fmt.Println(err)
	// Output:
	// benefits: csv line 3 record 2 field quantity: -2 is negative: invalid quantity
}
