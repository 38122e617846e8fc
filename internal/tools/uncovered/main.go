// Command uncovered completes a go-gremlins mutation run.
//
// Gremlins tests only the mutants that Go's coverage profile places inside
// a covered block, and reports the others as NOT COVERED. The profile has
// no block for the expressions of a switch's case clauses (a block ends at
// the switch's opening brace and the next starts after a case's colon), so
// a mutant there is reported NOT COVERED even when the tests run that line
// on every call. This command takes gremlins' machine-readable report,
// applies each NOT COVERED mutant itself (or those of the statuses given
// with -run) through `go test -overlay`, and runs the package's tests on
// it: a failing run kills the mutant, a passing one lets it live, exactly
// as gremlins would have judged it. Mutants on code the tests never reach
// live here too, so nothing is counted killed that no test kills.
//
// Usage, from the module root:
//
//	gremlins unleash -o /tmp/risk.json ./risk
//	go run ./internal/tools/uncovered -report /tmp/risk.json -dir risk
//
// It prints each mutant it ran and the totals over the whole report, and
// with -o writes the report again with the statuses it found.
//
// Gremlins counts a mutant that does not compile (- between two strings)
// as killed. With -build-only -run KILLED this command builds each killed
// mutant instead, and marks those that do not compile NOT VIABLE, so that
// they count on neither side of the figure.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// The statuses of a mutant in gremlins' report. RUNNABLE is what a
// dry run reports for a mutant it would test.
const (
	killed     = "KILLED"
	lived      = "LIVED"
	timedOut   = "TIMED OUT"
	notViable  = "NOT VIABLE"
	notCovered = "NOT COVERED"
	runnable   = "RUNNABLE"
)

var statuses = []string{killed, lived, timedOut, notViable, notCovered, runnable}

type mutation struct {
	Type   string `json:"type"`
	Status string `json:"status"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

type fileReport struct {
	Name      string     `json:"file_name"`
	Mutations []mutation `json:"mutations"`
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "uncovered:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("uncovered", flag.ContinueOnError)
	report := fs.String("report", "", "gremlins' JSON report (gremlins unleash -o FILE)")
	dir := fs.String("dir", ".", "the package directory gremlins was run on, relative to the module root")
	out := fs.String("o", "", "write the report again, with the statuses found, to this file")
	timeout := fs.Duration("timeout", 0, "time allowed for one mutant's tests, build included (default: ten times the unmutated run, at least 30s)")
	buildOnly := fs.Bool("build-only", false, "only build the mutants chosen with -run: those that do not compile become NOT VIABLE, the others keep their status (gremlins counts a mutant that does not compile, such as - between two strings, as KILLED)")
	chosen := fs.String("run", notCovered, "comma-separated statuses of the mutants to run (e.g. \"NOT COVERED,TIMED OUT\" to run again those a loaded machine timed out)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *report == "" {
		return errors.New("-report is required")
	}
	raw, err := os.ReadFile(*report)
	if err != nil {
		return err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("%s: %w", *report, err)
	}
	if doc["files"] == nil {
		return fmt.Errorf("%s: no files: not a gremlins report (gremlins unleash -o FILE)", *report)
	}
	var files []fileReport
	if err := json.Unmarshal(doc["files"], &files); err != nil {
		return fmt.Errorf("%s: files: %w", *report, err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	// A status misspelt would choose no mutant, and the totals would
	// read as if every one had been run.
	torun := map[string]bool{}
	for _, st := range strings.Split(*chosen, ",") {
		st = strings.TrimSpace(st)
		if !slices.Contains(statuses, st) {
			return fmt.Errorf("-run: unknown status %q (want some of %s)", st, strings.Join(statuses, ", "))
		}
		torun[st] = true
	}

	tmp, err := os.MkdirTemp("", "uncovered")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	pkg := filepath.Clean(*dir)
	if !filepath.IsAbs(pkg) {
		pkg = "./" + filepath.ToSlash(pkg)
	}
	// Every mutant is applied before any test runs, so that a report
	// that no longer matches the source is refused at once.
	var jobs []job
	for fi := range files {
		path, err := filepath.Abs(filepath.Join(*dir, files[fi].Name))
		if err != nil {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for mi := range files[fi].Mutations {
			m := &files[fi].Mutations[mi]
			if !torun[m.Status] {
				continue
			}
			mutated, err := mutate(src, m.Line, m.Column, m.Type)
			if err != nil {
				return fmt.Errorf("%s:%w", files[fi].Name, err)
			}
			jobs = append(jobs, job{m, files[fi].Name, path, mutated})
		}
	}
	if *buildOnly {
		for _, j := range jobs {
			ok, err := builds(tmp, j.path, j.mutated, pkg)
			if err != nil {
				return err
			}
			if !ok {
				j.m.Status = notViable
				j.print(stdout, *dir)
			}
		}
		jobs = nil
	}
	if len(jobs) > 0 {
		// The tests must pass on the code as it is, or every mutant
		// would count as killed; their time sets the default timeout.
		start := time.Now()
		if out, err := exec.Command("go", "test", "-count=1", pkg).CombinedOutput(); err != nil {
			return fmt.Errorf("the tests of %s fail without any mutant:\n%s", pkg, out)
		}
		if *timeout <= 0 {
			*timeout = max(30*time.Second, 10*time.Since(start))
		}
	}
	for _, j := range jobs {
		status, err := test(tmp, j.path, j.mutated, pkg, *timeout)
		if err != nil {
			return err
		}
		j.m.Status = status
		j.print(stdout, *dir)
	}

	counts := map[string]int{}
	total := 0
	for _, f := range files {
		for _, m := range f.Mutations {
			counts[m.Status]++
			total++
		}
	}
	fmt.Fprintf(stdout, "\nall %d mutants: killed %d, lived %d, timed out %d, not viable %d, not covered %d\n",
		total, counts[killed], counts[lived], counts[timedOut], counts[notViable], counts[notCovered])
	if viable := total - counts[notViable]; viable > 0 {
		fmt.Fprintf(stdout, "killed: %.1f%% of the viable mutants (%d of %d); timed out counted apart\n",
			100*float64(counts[killed])/float64(viable), counts[killed], viable)
	}
	if *out != "" {
		doc["files"], err = json.Marshal(files)
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(*out, append(b, '\n'), 0o644)
	}
	return nil
}

// A job is a mutant applied to its file's source.
type job struct {
	m          *mutation
	name, path string
	mutated    []byte
}

// print writes the mutant's status and position, as dir/file:line:col.
func (j job) print(w io.Writer, dir string) {
	fmt.Fprintf(w, "%-11s %s:%d:%d %s\n", j.m.Status, filepath.Join(dir, j.name), j.m.Line, j.m.Column, j.m.Type)
}

// overlay writes mutated to tmp and the overlay file that puts it in
// place of path, and returns the overlay file's name.
func overlay(tmp, path string, mutated []byte) (string, error) {
	mutant := filepath.Join(tmp, filepath.Base(path))
	if err := os.WriteFile(mutant, mutated, 0o644); err != nil {
		return "", err
	}
	name := filepath.Join(tmp, "overlay.json")
	b, err := json.Marshal(map[string]map[string]string{"Replace": {path: mutant}})
	if err != nil {
		return "", err
	}
	return name, os.WriteFile(name, b, 0o644)
}

// builds reports whether the package compiles with path replaced by
// mutated.
func builds(tmp, path string, mutated []byte, pkg string) (bool, error) {
	overlay, err := overlay(tmp, path, mutated)
	if err != nil {
		return false, err
	}
	err = exec.Command("go", "build", "-overlay", overlay, pkg).Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return false, nil
	}
	return err == nil, err
}

// test runs the package's tests with path replaced by mutated, and says
// what became of the mutant.
func test(tmp, path string, mutated []byte, pkg string, timeout time.Duration) (string, error) {
	overlay, err := overlay(tmp, path, mutated)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-overlay", overlay, "-timeout", timeout.String(), pkg)
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	err = cmd.Run()
	switch {
	case err == nil:
		return lived, nil
	case ctx.Err() != nil || strings.Contains(output.String(), "test timed out"):
		return timedOut, nil
	case strings.Contains(output.String(), "[build failed]") || strings.Contains(output.String(), "[setup failed]"):
		return notViable, nil
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return killed, nil
	}
	return "", err
}
