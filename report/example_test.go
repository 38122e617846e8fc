package report_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"regexp"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/report"
)

// The letter to an operator in Dakar, in French: the page's title and the
// outcome it states.
func ExampleLetter_WriteHTML() {
	p, err := aeo.Load("testdata/programme.yaml")
	if err != nil {
		log.Fatal(err)
	}
	prof, err := aeo.LoadProfile("testdata/carrier.yaml")
	if err != nil {
		log.Fatal(err)
	}
	a, err := p.Assess(context.Background(), prof, time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	var page bytes.Buffer
	if err := (report.Letter{Programme: p, Assessment: a}).WriteHTML(&page, report.Options{Language: "fr-SN"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(regexp.MustCompile(`<title>(.*)</title>`).FindStringSubmatch(page.String())[1])
	fmt.Println(regexp.MustCompile(`<div class="verdict">(.*?)</div>`).FindStringSubmatch(page.String())[1])
	// Output:
	// Résultat de votre évaluation : SAFE baseline reference programme
	// Les exigences ne sont pas satisfaites
}

func ExampleMatch() {
	fmt.Println(report.Match("es-PE", ""))
	fmt.Println(report.Match("de-CH,de;q=0.9", "fr"))
	fmt.Println(report.Match("pt-BR", ""))
	// Output:
	// es
	// fr
	// en
}
