package main

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
)

// coverage records, in rule authors' terms, what the fixtures exercised:
// for each requirement the outcomes seen, for each authorization the
// recommendations seen.
type coverage struct {
	Requirements   map[string]map[string]bool `json:"requirements"`
	Authorizations map[string]map[string]bool `json:"authorizations"`
	// Transitions counts the lifecycle transitions exercised ("lodge:
	// none -> lodged") and the refusals ("grant: refused by four-eyes").
	Transitions map[string]int `json:"transitions,omitempty"`
	// LaneRules counts, per lane rule of the selectivity profile, the
	// fixture declarations whose lane it decided; Lanes per lane.
	LaneRules map[string]int `json:"lane_rules,omitempty"`
	Lanes     map[string]int `json:"lanes,omitempty"`
	// Benefits records, per benefit checked, the statuses seen.
	Benefits map[string]map[string]bool `json:"benefits,omitempty"`
	// TimeRules counts, per time rule of the lifecycle section, the cases
	// that exercised it: a date or an item of Due they checked, or an
	// event it refused.
	TimeRules map[string]int `json:"time_rules,omitempty"`
	// Percent is the share of requirement branches exercised: each
	// requirement has two, seen satisfied and seen not satisfied.
	Percent float64 `json:"percent"`
}

type caseReport struct {
	File string `json:"file"`
	// Line is where the case starts in File.
	Line       int      `json:"line,omitempty"`
	Name       string   `json:"name"`
	Passed     bool     `json:"passed"`
	Error      string   `json:"error,omitempty"`
	Mismatches []string `json:"mismatches,omitempty"`
	// Positions are the file:line of the expectation each mismatch is
	// about, in the order of Mismatches.
	Positions []string `json:"positions,omitempty"`
	// Explain, with --explain, lists the findings behind the mismatches
	// with the rule and the values it read.
	Explain []explained `json:"explain,omitempty"`
}

type testReport struct {
	Programme   string       `json:"programme,omitempty"`
	Fingerprint string       `json:"fingerprint,omitempty"`
	Cases       []caseReport `json:"cases"`
	Passed      int          `json:"passed"`
	Failed      int          `json:"failed"`
	Coverage    *coverage    `json:"coverage,omitempty"`
	// MinCoverage is the --min-coverage asked for; CoverageShort reports
	// that the coverage fell below it.
	MinCoverage   float64 `json:"min_coverage,omitempty"`
	CoverageShort bool    `json:"coverage_short,omitempty"`
	// Empty reports that no case ran (none in the files, or none that
	// --run selects).
	Empty bool `json:"empty,omitempty"`
	// Errors are the problems of a programme or fixtures file that did
	// not load; no case ran.
	Errors []*diag.Error `json:"errors,omitempty"`
}

func cmdTest(args []string, w io.Writer) error {
	fs := newFlags("test", "PROGRAMME FIXTURES...",
		"Runs every case of the fixtures files against the programme and reports each",
		"failure with its file:line, then the coverage of the requirements. Exit 1 when a",
		"case fails or the coverage is below --min-coverage; 2 when a file does not load.")
	format := formatFlag(fs, "text", "json", "junit")
	minCov := fs.Float64("min-coverage", 0, "fail when fewer than `PCT` percent of requirement branches are exercised")
	runPat := fs.String("run", "", "run only the cases whose name matches the regular expression `REGEX`")
	explain := fs.Bool("explain", false, "for each failing case, show the findings behind it: the rule and the values it read")
	failEmpty := fs.Bool("fail-on-empty", false, "fail when no case runs (none in the files, or none that --run selects)")
	root := rootFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneOf("format", *format, "text", "json", "junit"); err != nil {
		return err
	}
	if len(pos) < 2 {
		return usagef("want PROGRAMME FIXTURES..., got %d arguments", len(pos))
	}
	if !(*minCov >= 0 && *minCov <= 100) {
		// Written so that NaN, which no comparison holds for, is refused
		// rather than disabling the gate.
		return usagef("--min-coverage %v: want a percentage from 0 to 100", *minCov)
	}
	var match *regexp.Regexp
	if *runPat != "" {
		if match, err = regexp.Compile(*runPat); err != nil {
			return usagef("--run %q: %v", *runPat, err)
		}
	}
	rep := testReport{MinCoverage: *minCov}
	// loadErr reports inputs that do not load in the format asked for,
	// so that a report file is valid JSON or JUnit whatever happens.
	loadErr := func(err error) error {
		rep.Errors = problems(err)
		if werr := writeTestReport(w, *format, nil, rep); werr != nil {
			return werr
		}
		return loadFailed(err)
	}
	// A programme set runs each case under the version that decides it;
	// the report and the coverage name the latest version.
	var set *aeo.Set
	var p *aeo.Programme
	if aeo.IsSet(pos[0]) {
		set, err = aeo.LoadSet(pos[0])
		if err == nil {
			vs := set.Versions()
			p = vs[len(vs)-1].Programme
		}
	} else {
		p, err = loadProgramme(pos[0], *root)
	}
	if err != nil {
		return loadErr(err)
	}
	rep.Programme, rep.Fingerprint = p.Name()+" "+p.Version(), p.Fingerprint()
	var fixtures []*aeotest.Fixtures
	var bad diag.List
	for _, f := range pos[1:] {
		// A case whose profile is refused (a bad key, a value outside the
		// vocabulary) fails on its own, at its line, when it runs.
		fx, err := aeotest.LoadFixtures(f)
		if err != nil {
			bad = append(bad, problems(err)...)
			continue
		}
		fixtures = append(fixtures, fx)
	}
	if len(bad) > 0 {
		return loadErr(bad)
	}
	cov := newCoverage(p)
	for i, fx := range fixtures {
		for _, c := range fx.Cases {
			if match != nil && !match.MatchString(c.Name) {
				continue
			}
			var res aeotest.CaseResult
			if set != nil {
				res = aeotest.RunSetCase(context.Background(), set, c)
			} else {
				res = aeotest.RunCase(context.Background(), p, c)
			}
			file := c.File
			if file == "" {
				file = pos[1+i]
			}
			cr := caseReport{File: file, Line: c.Line, Name: c.Name, Passed: res.Passed(), Error: res.Err, Mismatches: res.Lines()}
			for _, m := range res.Mismatches {
				f, l := aeotest.Position(c, m)
				cr.Positions = append(cr.Positions, at(f, l))
			}
			if *explain && !cr.Passed && res.Assessment != nil {
				cr.Explain = explainCase(p, res)
			}
			rep.Cases = append(rep.Cases, cr)
			if cr.Passed {
				rep.Passed++
			} else {
				rep.Failed++
			}
			cov.record(res)
		}
	}
	cov.finish()
	rep.Coverage = cov
	rep.CoverageShort = cov.Percent < *minCov
	rep.Empty = len(rep.Cases) == 0
	if err := writeTestReport(w, *format, p, rep); err != nil {
		return err
	}
	var why []string
	if rep.Empty {
		what := "the fixtures hold no case"
		if match != nil {
			what = fmt.Sprintf("--run %q selects no case", *runPat)
		}
		if !*failEmpty {
			// As go test does: a warning, not a failure, unless asked.
			return &warning{"no case ran: " + what}
		}
		why = append(why, "no case ran: "+what)
	}
	if rep.Failed > 0 {
		why = append(why, fmt.Sprintf("%d case(s) failed", rep.Failed))
	}
	if rep.CoverageShort {
		why = append(why, coverageShortfall(rep))
	}
	if len(why) > 0 {
		return &failedWith{diag.List{{Message: strings.Join(why, "; ")}}}
	}
	return nil
}

func coverageShortfall(rep testReport) string {
	return fmt.Sprintf("coverage %.1f%% is below --min-coverage %s%%", rep.Coverage.Percent, strconv.FormatFloat(rep.MinCoverage, 'f', -1, 64))
}

// warning is a note on standard error that does not change the exit
// status.
type warning struct{ msg string }

func (w *warning) Error() string { return w.msg }

func at(file string, line int) string {
	if line == 0 {
		return file
	}
	return fmt.Sprintf("%s:%d", file, line)
}

func writeTestReport(w io.Writer, format string, p *aeo.Programme, rep testReport) error {
	switch format {
	case "json":
		return writeJSON(w, rep)
	case "junit":
		return writeJUnit(w, rep)
	}
	if len(rep.Errors) > 0 {
		return nil // the problems go to standard error
	}
	writeTestText(w, p, rep)
	return nil
}

// record adds what a case exercised.
func (c *coverage) record(res aeotest.CaseResult) {
	if res.Assessment != nil {
		c.observe(res.Assessment)
	}
	for _, d := range res.Decisions {
		c.Lanes[d.Lane.String()]++
		if d.Rule != "" {
			c.LaneRules[d.Rule]++
		}
	}
	for _, e := range res.Entitlements {
		if c.Benefits[e.Benefit] == nil {
			c.Benefits[e.Benefit] = map[string]bool{}
		}
		c.Benefits[e.Benefit][e.Status.String()] = true
	}
	for rule := range res.TimeRules {
		c.TimeRules[rule]++
	}
	for _, st := range res.Steps {
		key := fmt.Sprintf("%s: %s -> %s", st.Event, st.From, st.To)
		if st.Refused != "" {
			key = fmt.Sprintf("%s in %s: refused by %s", st.Event, st.From, st.Refused)
		}
		if c.Transitions == nil {
			c.Transitions = map[string]int{}
		}
		c.Transitions[key]++
	}
}

func newCoverage(p *aeo.Programme) *coverage {
	c := &coverage{Requirements: map[string]map[string]bool{}, Authorizations: map[string]map[string]bool{},
		LaneRules: map[string]int{}, Lanes: map[string]int{}, Benefits: map[string]map[string]bool{}}
	if s := p.Selector(); s != nil {
		for _, r := range s.Config().Rules {
			c.LaneRules[r.ID] = 0
		}
	}
	for _, r := range p.File().Requirements {
		if r.BindsCustoms() {
			continue // Customs' obligations are not decided on operators
		}
		c.Requirements[r.ID] = map[string]bool{}
	}
	if lc := p.File().Lifecycle; lc != nil {
		c.TimeRules = map[string]int{}
		for _, r := range lc.Rules() {
			c.TimeRules[r.Key] = 0
		}
	}
	for _, a := range p.File().Authorizations {
		c.Authorizations[a.ID] = map[string]bool{}
	}
	return c
}

func (c *coverage) observe(a *aeo.Assessment) {
	for _, f := range a.Findings {
		if c.Requirements[f.Requirement] == nil {
			c.Requirements[f.Requirement] = map[string]bool{} // another version's
		}
		c.Requirements[f.Requirement][token(f.Outcome)] = true
	}
	for _, au := range a.Authorizations {
		if c.Authorizations[au.ID] == nil {
			c.Authorizations[au.ID] = map[string]bool{}
		}
		c.Authorizations[au.ID][au.Recommendation.String()] = true
	}
}

func (c *coverage) finish() {
	if len(c.Requirements) == 0 {
		c.Percent = 100
		return
	}
	branches := 0
	for _, seen := range c.Requirements {
		if seen["met"] || seen["equivalent"] {
			branches++
		}
		if seen["not_met"] || seen["partly"] {
			branches++
		}
	}
	c.Percent = 100 * float64(branches) / float64(2*len(c.Requirements))
}

func token(o criteria.Outcome) string {
	b, _ := o.MarshalText()
	return string(b)
}

func writeTestText(w io.Writer, p *aeo.Programme, rep testReport) {
	fmt.Fprintf(w, "%s (%s)\n", rep.Programme, rep.Fingerprint)
	for _, c := range rep.Cases {
		if c.Passed {
			fmt.Fprintf(w, "PASS  %s\n", c.Name)
			continue
		}
		fmt.Fprintf(w, "FAIL  %s (%s)\n", c.Name, at(c.File, c.Line))
		if c.Error != "" {
			for _, l := range strings.Split(c.Error, "\n") {
				fmt.Fprintf(w, "      %s\n", l)
			}
		}
		for i, m := range c.Mismatches {
			fmt.Fprintf(w, "      %s: %s\n", c.Positions[i], m)
		}
		writeExplained(w, c.Explain)
	}
	fmt.Fprintf(w, "\n%d passed, %d failed\n", rep.Passed, rep.Failed)
	fmt.Fprintf(w, "\nCoverage: %.1f%% of requirement branches (seen satisfied and seen not satisfied)\n", rep.Coverage.Percent)
	if rep.CoverageShort {
		fmt.Fprintf(w, "  FAIL: %s\n", coverageShortfall(rep))
	}
	var never, onlyMet, onlyNot, undecided []string
	for _, r := range p.File().Requirements {
		if r.BindsCustoms() {
			continue
		}
		seen := rep.Coverage.Requirements[r.ID]
		sat := seen["met"] || seen["equivalent"]
		not := seen["not_met"] || seen["partly"]
		switch {
		case len(seen) == 0:
			never = append(never, r.ID)
		case sat && !not:
			onlyMet = append(onlyMet, r.ID)
		case not && !sat:
			onlyNot = append(onlyNot, r.ID)
		case !sat && !not:
			undecided = append(undecided, r.ID)
		}
	}
	list := func(label string, ids []string) {
		if len(ids) > 0 {
			fmt.Fprintf(w, "  %s (%d): %s\n", label, len(ids), strings.Join(ids, ", "))
		}
	}
	list("never seen not met", onlyMet)
	list("never seen met", onlyNot)
	list("only indeterminate or not applicable", undecided)
	list("never assessed", never)
	ids := make([]string, 0, len(rep.Coverage.Authorizations))
	for id := range rep.Coverage.Authorizations {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var seen []string
		for _, r := range []string{"recommend", "refuse", "pending"} {
			if rep.Coverage.Authorizations[id][r] {
				seen = append(seen, r)
			}
		}
		fmt.Fprintf(w, "  authorization %s seen: %s\n", id, strings.Join(seen, ", "))
	}
	if len(rep.Coverage.LaneRules) > 0 {
		var fired, never []string
		for _, id := range slices.Sorted(maps.Keys(rep.Coverage.LaneRules)) {
			if n := rep.Coverage.LaneRules[id]; n > 0 {
				fired = append(fired, fmt.Sprintf("%s (%d)", id, n))
			} else {
				never = append(never, id)
			}
		}
		list("lane rules that decided a lane", fired)
		list("lane rules never deciding a lane", never)
	}
	for _, id := range slices.Sorted(maps.Keys(rep.Coverage.Benefits)) {
		fmt.Fprintf(w, "  benefit %s seen: %s\n", id, strings.Join(slices.Sorted(maps.Keys(rep.Coverage.Benefits[id])), ", "))
	}
	if len(rep.Coverage.TimeRules) > 0 {
		var hit, never []string
		for _, k := range slices.Sorted(maps.Keys(rep.Coverage.TimeRules)) {
			if n := rep.Coverage.TimeRules[k]; n > 0 {
				hit = append(hit, fmt.Sprintf("%s (%d)", k, n))
			} else {
				never = append(never, k)
			}
		}
		list("time rules exercised", hit)
		list("time rules never exercised", never)
	}
	if len(rep.Coverage.Transitions) > 0 {
		keys := make([]string, 0, len(rep.Coverage.Transitions))
		for k := range rep.Coverage.Transitions {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(w, "  lifecycle transitions exercised (%d):\n", len(keys))
		for _, k := range keys {
			fmt.Fprintf(w, "    %s\n", k)
		}
	}
}

type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes the report as JUnit XML. Every reason the run fails
// is a failure or an error in it, so that a CI system counts what the
// exit status says: a load problem is an error, a coverage shortfall or
// an empty run under --fail-on-empty a failing test of its own.
func writeJUnit(w io.Writer, rep testReport) error {
	name := rep.Programme
	if name == "" {
		name = "aeo test"
	}
	s := junitSuite{Name: name}
	for _, c := range rep.Cases {
		jc := junitCase{Name: c.Name, Classname: c.File, File: c.File, Line: c.Line}
		if !c.Passed {
			var lines []string
			if c.Error != "" {
				lines = append(lines, c.Error)
			}
			for i, m := range c.Mismatches {
				lines = append(lines, c.Positions[i]+": "+m)
			}
			for _, e := range c.Explain {
				lines = append(lines, e.lines()...)
			}
			msg := c.Error
			if msg == "" && len(c.Mismatches) > 0 {
				msg = c.Mismatches[0]
			}
			jc.Failure = &junitFailure{Message: msg, Text: strings.Join(lines, "\n")}
			s.Failures++
		}
		s.Cases = append(s.Cases, jc)
	}
	if len(rep.Errors) > 0 {
		var lines []string
		for _, e := range rep.Errors {
			lines = append(lines, e.Error())
		}
		s.Cases = append(s.Cases, junitCase{Name: "load", Classname: "aeo", Error: &junitFailure{Message: lines[0], Text: strings.Join(lines, "\n")}})
		s.Errors++
	}
	if rep.CoverageShort {
		s.Cases = append(s.Cases, junitCase{Name: "coverage", Classname: "aeo", Failure: &junitFailure{Message: coverageShortfall(rep)}})
		s.Failures++
	}
	s.Tests = len(s.Cases)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{s}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
