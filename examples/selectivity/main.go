// Command selectivity runs a selectivity profile over a generated year of
// declarations and prints what it did: the share of each lane against
// the expected rates, what each rule did, and how declarations fared by
// the AEO status of their operator and by AEO treatment. It is how an
// administration sees what a profile will do before activating it, as
// ASYCUDA's selectivity module compares actual with expected rates
// (UNCTAD ASYCUDA++ functional manual, section 6), and how it checks that
// the risk engine gives AEOs "reduced inspections and random exams" and
// recognises the AEOs of a partner programme (WCO AEO Implementation
// Guidance; SAFE Framework, mutual recognition).
//
// The declarations are generated from fixed seeds, with mixes of
// directions, offices, HS chapters, origins, values and operators (home
// AEOs, suspended AEOs, AEOs of a partner programme recognised from
// 1 July, and operators without status) that resemble a mid-sized
// administration's year. The summary does not depend on the number of
// workers. Throughput depends on the machine, so it is printed only with
// -throughput.
//
// With -write, the declarations are written to a file as JSON Lines
// instead (gzip-compressed when the name ends in .gz), one
// {"declaration": ..., "operator": ...} object per line, for replaying
// them with aeo impact against the next version of the profile
// (next.yaml; see docs/replay.md).
//
//	go run ./examples/selectivity                      # one million declarations
//	go run ./examples/selectivity -n 100000 -throughput
//	go run ./examples/selectivity -seed "$SELECTIVITY_SEED"
//	go run ./examples/selectivity -n 10000000 -write declarations.jsonl.gz
package main

import (
	"bufio"
	"compress/gzip"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"iter"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/risk"
)

//go:embed programme.yaml
var programme []byte

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "selectivity:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, args []string) error {
	fl := flag.NewFlagSet("selectivity", flag.ContinueOnError)
	fl.SetOutput(w)
	n := fl.Int("n", 1_000_000, "number of declarations to generate")
	workers := fl.Int("workers", 0, "goroutines selecting lanes (0: GOMAXPROCS)")
	seed := fl.String("seed", "", "secret seed of the random draws (default: the programme file's)")
	throughput := fl.Bool("throughput", false, "also print the time taken and declarations per second (not reproducible)")
	write := fl.String("write", "", "write the declarations to this file as JSON Lines (gzip-compressed if it ends in .gz) instead of selecting their lanes")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *n < 1 {
		return fmt.Errorf("-n must be at least 1, got %d", *n)
	}
	if *write != "" {
		if err := writeFile(*write, newGenerator(*n).entries()); err != nil {
			return err
		}
		fmt.Fprintf(w, "wrote %d declarations to %s\n", *n, *write)
		return nil
	}
	var opts []aeo.Option
	if *seed != "" {
		opts = append(opts, aeo.WithSeed(*seed))
	}
	p, err := aeo.Parse("programme.yaml", programme, opts...)
	if err != nil {
		return err
	}
	sel := p.Selector()
	cfg := sel.Config()

	fmt.Fprintf(w, "%s, version %s\n", p.Name(), p.Version())
	fmt.Fprintf(w, "%d rules; random selection %s to %s; AEO treatments %d; partner programmes recognised %d\n",
		len(cfg.Rules), pct(cfg.MinRandomRate), cfg.RandomLane, len(cfg.AEO), len(cfg.MRA))

	gen := newGenerator(*n)
	start := time.Now() // only for -throughput; no decision reads it
	sum, err := sel.SelectBatch(context.Background(), gen.entries(), *workers)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)

	fmt.Fprintf(w, "\n%d declarations of 2025 generated from fixed seeds:\n", sum.Total)
	gen.printMix(w)

	fmt.Fprintf(w, "\nLanes         count    share  expected\n")
	for _, l := range risk.Lanes() {
		exp := "-"
		if l != risk.Green {
			exp = pct(sum.Expected.Get(l))
		}
		fmt.Fprintf(w, "  %-7s %10d  %7s  %8s\n", l, sum.Lanes.Get(l), pct(sum.Shares.Get(l)), exp)
	}
	fmt.Fprintf(w, "Causes: rule %d, random %d, nothing selected (green) %d\n", sum.Causes.Rule, sum.Causes.Random, sum.Causes.Default)
	if sum.Causes.Error > 0 {
		// A rule that fails sends its declarations to the error lane.
		var failing []string
		for _, r := range sum.Rules {
			if r.Failed > 0 {
				failing = append(failing, fmt.Sprintf("%s %d", r.Rule, r.Failed))
			}
		}
		fmt.Fprintf(w, "Sent to the error lane by rules that failed: %d (%s)\n", sum.Causes.Error, strings.Join(failing, ", "))
	}
	// ASYCUDA tops selections up to the expected rates from would-be
	// green declarations; Select does not (a decision must be replayable
	// from the declaration alone), so the shortfall is reported instead.
	var short []string
	for _, l := range []risk.Lane{risk.Red, risk.Yellow, risk.Blue} {
		if gap := int(math.Round(sum.Expected.Get(l)*float64(sum.Total))) - sum.Lanes.Get(l); gap > 0 {
			short = append(short, fmt.Sprintf("%s %d", l, gap))
		}
	}
	if len(short) > 0 {
		fmt.Fprintf(w, "Below the expected rates by: %s declarations (not topped up)\n", strings.Join(short, ", "))
	}

	fmt.Fprintf(w, "\nRules              lane        fired   share   spared  skipped  decided\n")
	for _, r := range sum.Rules {
		fmt.Fprintf(w, "  %-17s %-7s %9d  %6s %8d %8d %8d\n", r.Rule, r.Lane, r.Fired, pct(r.Share), r.Spared, r.Skipped, r.Decided)
	}

	fmt.Fprintf(w, "\nBy AEO status        total      red   yellow     blue    green\n")
	printGroups(w, sum.Statuses)
	fmt.Fprintf(w, "\nBy AEO treatment     total      red   yellow     blue    green\n")
	printGroups(w, sum.Treatments)

	if *throughput {
		secs := elapsed.Seconds()
		fmt.Fprintf(w, "\nThroughput: %d declarations in %s (generation included): %.0f declarations/s\n",
			sum.Total, elapsed.Round(time.Millisecond), float64(sum.Total)/math.Max(secs, 1e-9))
	}
	return nil
}

// printGroups prints the lane shares of each group of a summary.
func printGroups(w io.Writer, gs []risk.GroupStats) {
	for _, g := range gs {
		fmt.Fprintf(w, "  %-15s %9d  %7s  %7s  %7s  %7s\n", g.Group, g.Total,
			pct(g.Shares.Red), pct(g.Shares.Yellow), pct(g.Shares.Blue), pct(g.Shares.Green))
	}
}

// pct formats a rate as a percentage with two decimals.
func pct(r float64) string { return fmt.Sprintf("%.2f%%", 100*r) }

// A picker chooses an index with probability proportional to its weight.
type picker []int // cumulative weights

func newPicker(weights ...int) picker {
	out := make(picker, len(weights))
	total := 0
	for i, w := range weights {
		total += w
		out[i] = total
	}
	return out
}

func (p picker) pick(r *rand.Rand) int {
	n := r.IntN(p[len(p)-1])
	for i, c := range p {
		if n < c {
			return i
		}
	}
	return len(p) - 1
}

// The mixes below are illustrative: shares of a mid-sized
// administration's year, not any one country's statistics.
var (
	// goods: commodity codes with their weight in the declarations and a
	// typical value per kilogram.
	goods = []struct {
		hs     string
		weight int
		perKg  float64
	}{
		{"851712", 70, 400}, {"847130", 60, 150}, {"854231", 20, 2000}, {"850440", 30, 35},
		{"847989", 40, 25}, {"870323", 30, 14}, {"870899", 40, 9}, {"392690", 50, 6},
		{"610910", 40, 18}, {"620342", 35, 22}, {"640399", 30, 28}, {"940360", 35, 4},
		{"950300", 30, 9}, {"300490", 30, 90}, {"220830", 12, 12}, {"240220", 6, 45},
		{"271019", 15, 0.9}, {"720839", 25, 0.7}, {"731815", 30, 4}, {"080810", 20, 1.1},
		{"070200", 15, 1.4}, {"030617", 12, 9}, {"901380", 15, 120}, {"711319", 5, 900},
		{"930200", 1, 70},
	}
	goodsPicker = newPicker(func() []int {
		var w []int
		for _, g := range goods {
			w = append(w, g.weight)
		}
		return w
	}()...)

	origins       = []string{"CN", "US", "DE", "IN", "VN", "TR", "JP", "GB", "BR", "ZA", "TH", "MY", "KR", "FR", "IT", "BD", "MX", "NG", "AE"}
	originsPicker = newPicker(30, 8, 7, 6, 6, 5, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2)
	hubs          = []string{"AE", "SG", "NL", "HK"}

	offices       = []struct{ code, mode string }{{"XXPRT", "1"}, {"XXAIR", "4"}, {"XXRDB", "3"}, {"XXPST", "5"}, {"XXICD", "2"}}
	officesPicker = newPicker(40, 25, 20, 8, 7)

	directions       = []string{"import", "export", "transit"}
	directionsPicker = newPicker(78, 20, 2)

	// standings of the operators behind the declarations: home AEOs lodge
	// many declarations each, so they hold a large share with few
	// operators.
	standings = []struct {
		name      string
		operators int
		op        risk.Operator
	}{
		{"AEO", 150, risk.Operator{Status: "authorized", Types: []string{"AEO"}}},
		{"AEO suspended", 8, risk.Operator{Status: "suspended", Types: []string{"AEO"}}},
		{"partner AEO", 90, risk.Operator{Status: "none", Partner: "Partnerland AEO"}},
		{"no AEO status", 4800, risk.Operator{Status: "none"}},
	}
	standingsPicker = newPicker(38, 1, 6, 55)
)

// A generator yields a year of declarations from fixed seeds, and counts
// the mix it yielded.
type generator struct {
	n         int
	direction map[string]int
	standing  map[string]int
	chapter   map[string]int
	noOrigin  int
}

func newGenerator(n int) *generator {
	return &generator{n: n, direction: map[string]int{}, standing: map[string]int{}, chapter: map[string]int{}}
}

// entries yields the declarations. It runs on the goroutine that consumes
// it (SelectBatch's caller), so the counts need no lock.
func (g *generator) entries() iter.Seq[risk.Entry] {
	return func(yield func(risk.Entry) bool) {
		r := rand.New(rand.NewPCG(2025, 1))
		year := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for i := range g.n {
			st := standings[standingsPicker.pick(r)]
			op := st.op
			op.ID = fmt.Sprintf("XX%c%05d", st.name[0], 1+r.IntN(st.operators))
			off := offices[officesPicker.pick(r)]
			dir := directions[directionsPicker.pick(r)]
			gd := goods[goodsPicker.pick(r)]
			origin := origins[originsPicker.pick(r)]
			dispatch := origin
			procedure := "4000"
			switch dir {
			case "import":
				if r.IntN(100) < 12 {
					dispatch = hubs[r.IntN(len(hubs))]
				}
				switch k := r.IntN(100); {
				case k < 5:
					procedure = "5100"
				case k < 12:
					procedure = "7100"
				}
			case "export":
				if r.IntN(10) > 0 {
					origin = "XX"
				}
				dispatch, procedure = "XX", "1000"
			case "transit":
				procedure = "8000"
			}
			if r.IntN(1000) < 2 {
				origin = "" // left out by the declarant
				g.noOrigin++
			}
			mass := math.Exp(r.Float64() * math.Log(25000))
			value := mass * gd.perKg * math.Exp(0.4*r.NormFloat64())
			if r.IntN(100) < 4 {
				value *= 0.2 // undervalued
			}
			d := risk.Declaration{
				ID:            fmt.Sprintf("25%s%07d", off.code[2:], i+1),
				Date:          year.AddDate(0, 0, r.IntN(365)),
				Office:        off.code,
				Direction:     dir,
				HSCode:        gd.hs,
				Origin:        origin,
				Dispatch:      dispatch,
				Value:         math.Round(value*100) / 100,
				GrossMass:     math.Round(mass*10) / 10,
				Operator:      op.ID,
				Procedure:     procedure,
				TransportMode: off.mode,
			}
			g.direction[dir]++
			g.standing[st.name]++
			g.chapter[gd.hs[:2]]++
			if !yield(risk.Entry{Declaration: d, Operator: op}) {
				return
			}
		}
	}
}

// printMix prints the mix the generator yielded.
func (g *generator) printMix(w io.Writer) {
	share := func(k int) string { return pct(float64(k) / float64(g.n)) }
	var parts []string
	for _, d := range directions {
		parts = append(parts, d+" "+share(g.direction[d]))
	}
	fmt.Fprintf(w, "  directions: %s\n", strings.Join(parts, ", "))
	parts = parts[:0]
	for _, s := range standings {
		parts = append(parts, fmt.Sprintf("%s %s (%d operators)", s.name, share(g.standing[s.name]), s.operators))
	}
	fmt.Fprintf(w, "  lodged for: %s\n", strings.Join(parts, ", "))
	chapters := make([]string, 0, len(g.chapter))
	for c := range g.chapter {
		chapters = append(chapters, c)
	}
	slices.SortFunc(chapters, func(a, b string) int {
		if d := g.chapter[b] - g.chapter[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts = parts[:0]
	for _, c := range chapters[:min(6, len(chapters))] {
		parts = append(parts, c+" "+share(g.chapter[c]))
	}
	fmt.Fprintf(w, "  largest HS chapters: %s (of %d)\n", strings.Join(parts, ", "), len(chapters))
	fmt.Fprintf(w, "  origin left out: %d declarations\n", g.noOrigin)
}

// writeFile writes entries to the file name as JSON Lines, compressed
// with gzip when name ends in .gz.
func writeFile(name string, entries iter.Seq[risk.Entry]) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	var out io.Writer = f
	var zw *gzip.Writer
	if strings.HasSuffix(name, ".gz") {
		zw = gzip.NewWriter(f)
		out = zw
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	var line []byte
	for e := range entries {
		line = appendEntry(line[:0], &e)
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if zw != nil {
		return zw.Close()
	}
	return nil
}

// appendEntry appends e as one line of JSON, in the shape of risk.Entry's
// JSON encoding (json.Marshal gives the same object, more slowly). The
// generated strings are plain ASCII, which Go quotes as JSON does.
func appendEntry(b []byte, e *risk.Entry) []byte {
	d, op := &e.Declaration, &e.Operator
	first := true
	str := func(key, v string) {
		if v == "" {
			return
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = strconv.AppendQuote(append(append(append(b, '"'), key...), `":`...), v)
	}
	b = append(b, `{"declaration":{`...)
	str("id", d.ID)
	if !d.Date.IsZero() {
		b = d.Date.AppendFormat(append(b, `,"date":"`...), time.DateOnly)
		b = append(b, '"')
	}
	str("office", d.Office)
	str("direction", d.Direction)
	str("hs_code", d.HSCode)
	str("origin", d.Origin)
	str("dispatch", d.Dispatch)
	b = strconv.AppendFloat(append(b, `,"value":`...), d.Value, 'f', -1, 64)
	b = strconv.AppendFloat(append(b, `,"gross_mass":`...), d.GrossMass, 'f', -1, 64)
	str("declarant", d.Declarant)
	str("operator", d.Operator)
	str("procedure", d.Procedure)
	str("transport_mode", d.TransportMode)
	b = append(b, `},"operator":{`...)
	first = true
	str("id", op.ID)
	str("status", op.Status)
	if len(op.Types) > 0 {
		b = append(b, `,"types":[`...)
		for i, t := range op.Types {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, t)
		}
		b = append(b, ']')
	}
	str("grade", op.Grade)
	str("partner", op.Partner)
	return append(b, "}}\n"...)
}
