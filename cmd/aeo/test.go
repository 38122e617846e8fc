package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/criteria"
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
	File       string   `json:"file"`
	Name       string   `json:"name"`
	Passed     bool     `json:"passed"`
	Error      string   `json:"error,omitempty"`
	Mismatches []string `json:"mismatches,omitempty"`
}

type testReport struct {
	Programme   string       `json:"programme"`
	Fingerprint string       `json:"fingerprint"`
	Cases       []caseReport `json:"cases"`
	Passed      int          `json:"passed"`
	Failed      int          `json:"failed"`
	Coverage    coverage     `json:"coverage"`
}

func cmdTest(args []string, w io.Writer) error {
	fs := newFlags("test", "PROGRAMME FIXTURES...")
	format := fs.String("format", "text", "text, json or junit")
	minCov := fs.Float64("min-coverage", 0, "fail when fewer than this percentage of requirement branches are exercised")
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
	if *minCov < 0 || *minCov > 100 {
		return usagef("--min-coverage must be between 0 and 100")
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
		p, err = aeo.Load(pos[0])
	}
	if err != nil {
		printProblems(w, err)
		return errFailed
	}
	rep := testReport{Programme: p.Name() + " " + p.Version(), Fingerprint: p.Fingerprint()}
	cov := newCoverage(p)
	for _, f := range pos[1:] {
		fx, err := aeotest.LoadFixtures(f)
		if err != nil {
			printProblems(w, err)
			return errFailed
		}
		for _, c := range fx.Cases {
			var res aeotest.CaseResult
			if set != nil {
				res = aeotest.RunSetCase(context.Background(), set, c)
			} else {
				res = aeotest.RunCase(context.Background(), p, c)
			}
			cr := caseReport{File: f, Name: c.Name, Passed: res.Passed(), Error: res.Err, Mismatches: res.Lines()}
			rep.Cases = append(rep.Cases, cr)
			if cr.Passed {
				rep.Passed++
			} else {
				rep.Failed++
			}
			if res.Assessment != nil {
				cov.observe(res.Assessment)
			}
			for _, d := range res.Decisions {
				cov.Lanes[d.Lane.String()]++
				if d.Rule != "" {
					cov.LaneRules[d.Rule]++
				}
			}
			for _, e := range res.Entitlements {
				if cov.Benefits[e.Benefit] == nil {
					cov.Benefits[e.Benefit] = map[string]bool{}
				}
				cov.Benefits[e.Benefit][e.Status.String()] = true
			}
			for rule := range res.TimeRules {
				cov.TimeRules[rule]++
			}
			for _, st := range res.Steps {
				key := fmt.Sprintf("%s: %s -> %s", st.Event, st.From, st.To)
				if st.Refused != "" {
					key = fmt.Sprintf("%s in %s: refused by %s", st.Event, st.From, st.Refused)
				}
				if cov.Transitions == nil {
					cov.Transitions = map[string]int{}
				}
				cov.Transitions[key]++
			}
		}
	}
	cov.finish()
	rep.Coverage = *cov
	switch *format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	case "junit":
		if err := writeJUnit(w, rep); err != nil {
			return err
		}
	default:
		writeTestText(w, p, rep)
	}
	if rep.Failed > 0 || rep.Coverage.Percent < *minCov {
		return errFailed
	}
	return nil
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
		fmt.Fprintf(w, "FAIL  %s (%s)\n", c.Name, c.File)
		if c.Error != "" {
			fmt.Fprintf(w, "      %s\n", c.Error)
		}
		for _, m := range c.Mismatches {
			fmt.Fprintf(w, "      %s\n", m)
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed\n", rep.Passed, rep.Failed)
	fmt.Fprintf(w, "\nCoverage: %.1f%% of requirement branches (seen satisfied and seen not satisfied)\n", rep.Coverage.Percent)
	var never, onlyMet, onlyNot, undecided []string
	for _, r := range p.File().Requirements {
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
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

func writeJUnit(w io.Writer, rep testReport) error {
	s := junitSuite{Name: rep.Programme, Tests: len(rep.Cases), Failures: rep.Failed}
	for _, c := range rep.Cases {
		jc := junitCase{Name: c.Name, Classname: c.File}
		if !c.Passed {
			msg := c.Error
			if msg == "" && len(c.Mismatches) > 0 {
				msg = c.Mismatches[0]
			}
			lines := c.Mismatches
			if c.Error != "" {
				lines = append([]string{c.Error}, lines...)
			}
			jc.Failure = &junitFailure{Message: msg, Text: strings.Join(lines, "\n")}
		}
		s.Cases = append(s.Cases, jc)
	}
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
