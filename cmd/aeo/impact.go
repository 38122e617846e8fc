package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/replay"
)

// cmdImpact replays declarations and the register of operators through
// two versions of a programme; the work is package replay's, this is its
// command line. Progress and problems, as they are found, go to standard
// error.
func cmdImpact(args []string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "merge" {
		return cmdImpactMerge(args[1:], stdout)
	}
	fs := newFlags("impact", "OLD NEW",
		"OLD and NEW are programme files, or versions of a programme set (a folder or an index",
		"file) named SET@VERSION (its programme.version) or SET@DATE (the version in force).",
		"Declarations go through both versions' selectivity: the report gives the lane-change",
		"matrix, the rules that fire more or less often and the lanes below their expected",
		"rates. Profiles are assessed under both: the report gives the outcomes that change",
		"and the operators concerned. Inputs stream (JSON Lines, CSV, gzip or not), a bad",
		"line is reported with its file and line, and --shard splits a replay for a batch",
		"scheduler; 'aeo impact merge' combines the shards' JSON reports (docs/replay.md).")
	var declarations, profiles []string
	fs.Func("declarations", "`PATH` of declarations to replay through both selectivity profiles: JSON Lines, CSV, TSV or a YAML/JSON list, gzip-compressed or not; a file, directory or glob, - for standard input (repeatable)", func(s string) error {
		declarations = append(declarations, s)
		return nil
	})
	fs.Func("profiles", "`PATH` of registered operators' profiles to assess under both versions: a directory of YAML/JSON profiles, JSON Lines or CSV; a file, directory or glob, - for standard input (repeatable)", func(s string) error {
		profiles = append(profiles, s)
		return nil
	})
	inputFormat := fs.String("input-format", "auto", "`auto|jsonl|csv|tsv|document`: the format of the inputs (auto: by extension; standard input is JSON Lines)")
	asOf := asOfFlag(fs, "the profiles are assessed")
	format := formatFlag(fs, "text", "json", "csv")
	changes := fs.String("changes", "", "`FILE` to write every declaration whose lane changes and every operator whose outcomes change to, as JSON Lines")
	workers := fs.Int("workers", 0, "`N` goroutines replaying records (default: one per core)")
	shard := fs.String("shard", "", "`i/n`: replay only shard i of n of the input, counted from 0, for a batch scheduler")
	shardBy := fs.String("shard-by", "line", "`line|file`: what --shard divides, every n-th record or every n-th input")
	maxErrors := fs.Int("max-errors", -1, "`N`: stop when more than N problems are found (default: never stop)")
	list := fs.Int("list", 20, "`N` problems, changed declarations and operators the report lists (all are counted)")
	quiet := fs.Bool("quiet", false, "print no progress on standard error")
	root := rootFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("want programmes OLD NEW, got %d arguments (or 'aeo impact merge REPORT.json...')", len(pos))
	}
	if len(profiles) == 0 && len(declarations) == 0 {
		return usagef("give --profiles (the operators to replay), --declarations, or both")
	}
	if slices.Contains(profiles, "-") && slices.Contains(declarations, "-") {
		return usagef("standard input can hold profiles or declarations, not both")
	}
	if err := oneOf("format", *format, "text", "json", "csv"); err != nil {
		return err
	}
	inFormat, err := replay.ParseFormat(*inputFormat)
	if err != nil {
		return usagef("--input-format: %v", err)
	}
	date, err := dateOrToday(*asOf)
	if err != nil {
		return err
	}
	opts := []replay.Option{replay.WithWorkers(*workers), replay.WithListed(*list)}
	if *shard != "" {
		sh, err := replay.ParseShard(*shard)
		if err != nil {
			return usagef("--shard: %v", err)
		}
		if err := sh.By.UnmarshalText([]byte(*shardBy)); err != nil {
			return usagef("--shard-by: %v", err)
		}
		opts = append(opts, replay.WithShard(sh))
	}
	if *maxErrors >= 0 {
		opts = append(opts, replay.WithMaxProblems(*maxErrors))
	}
	declIn, err := replay.Expand(declarations, os.Stdin, inFormat)
	if err != nil {
		return usagef("--declarations %v", err)
	}
	profIn, err := replay.Expand(profiles, os.Stdin, inFormat)
	if err != nil {
		return usagef("--profiles %v", err)
	}
	old, errOld := impactProgramme(pos[0], *root)
	nw, errNew := impactProgramme(pos[1], *root)
	if err := errors.Join(errOld, errNew); err != nil {
		var all diag.List
		for _, e := range []error{errOld, errNew} {
			if e != nil {
				all = append(all, problems(e)...)
			}
		}
		return loadFailed(all)
	}
	var changesFile *os.File
	var changesOut *bufio.Writer
	if *changes != "" {
		if changesFile, err = os.Create(*changes); err != nil {
			return unwrapPath(err)
		}
		defer changesFile.Close()
		changesOut = bufio.NewWriterSize(changesFile, 1<<20)
		opts = append(opts, replay.WithChanges(changesOut))
	}
	prog := newProgress(os.Stderr, *quiet)
	opts = append(opts, replay.WithProgress(prog.update), replay.WithProblemFunc(prog.problem))
	r, err := replay.New(old, nw, opts...)
	if err != nil {
		return err
	}
	ctx := context.Background()
	var lanes *replay.LaneReport
	var ops *replay.OperatorReport
	if len(profIn) > 0 {
		prog.begin("profiles", profIn)
		ops, err = r.OperatorFiles(ctx, profIn, date)
		prog.end()
		if err != nil {
			return err
		}
	}
	if len(declIn) > 0 {
		prog.begin("declarations", declIn)
		lanes, err = r.DeclarationFiles(ctx, declIn)
		prog.end()
		if err != nil {
			return err
		}
	}
	if changesOut != nil {
		if err := changesOut.Flush(); err != nil {
			return err
		}
		if err := changesFile.Close(); err != nil {
			return err
		}
	}
	return writeReport(stdout, r.Report(lanes, ops), *format)
}

// impactProgramme loads one side of a replay: a programme file, or one
// version of a programme set, named SET@VERSION (its programme.version) or
// SET@DATE (the version in force on that day).
func impactProgramme(arg, root string) (*aeo.Programme, error) {
	if i := strings.LastIndexByte(arg, '@'); i > 0 && aeo.IsSet(arg[:i]) {
		path, spec := arg[:i], arg[i+1:]
		set, err := aeo.LoadSet(path, aeo.WithRoot(rootOf(path, root)))
		if err != nil {
			return nil, err
		}
		if day, err := time.Parse(time.DateOnly, spec); err == nil {
			p, err := set.At(day)
			if err != nil {
				return nil, &diag.Error{File: path, Message: trimPrefix(err.Error()), Err: err}
			}
			return p, nil
		}
		if p, ok := set.Version(spec); ok {
			return p, nil
		}
		return nil, usagef("%s has no version %q: name one of %s, or a date (YYYY-MM-DD)", path, spec, setVersions(set))
	}
	if aeo.IsSet(arg) {
		set, err := aeo.LoadSet(arg, aeo.WithRoot(rootOf(arg, root)))
		if err != nil {
			return nil, err
		}
		return nil, usagef("%s is a programme set: name the version to replay as %s@VERSION (%s) or %s@DATE", arg, arg, setVersions(set), arg)
	}
	return loadProgramme(arg, root)
}

// setVersions lists a set's versions with the day each takes effect.
func setVersions(set *aeo.Set) string {
	var b strings.Builder
	for i, v := range set.Versions() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s from %s", v.Programme.Version(), v.Effective.Format(time.DateOnly))
	}
	return b.String()
}

// cmdImpactMerge combines the JSON reports of the shards of one replay.
func cmdImpactMerge(args []string, w io.Writer) error {
	fs := newFlags("impact merge", "REPORT.json...",
		"Combines the JSON reports of the shards of one replay (aeo impact --shard i/n",
		"--format json) into the report a single run gives; refuses reports of other",
		"programmes or inputs, and a shard missing or given twice.")
	format := formatFlag(fs, "text", "json", "csv")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("want the JSON reports of the shards (aeo impact --shard i/n --format json)")
	}
	if err := oneOf("format", *format, "text", "json", "csv"); err != nil {
		return err
	}
	var reports []*replay.Report
	for _, name := range pos {
		data, err := os.ReadFile(name)
		if err != nil {
			return loadFailed(err)
		}
		var rep replay.Report
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rep); err != nil {
			return loadFailed(fmt.Errorf("%s: not a report of aeo impact --format json: %v", name, err))
		}
		reports = append(reports, &rep)
	}
	merged, err := replay.Merge(reports...)
	if err != nil {
		return err
	}
	return writeReport(w, merged, *format)
}

func writeReport(w io.Writer, rep *replay.Report, format string) error {
	switch format {
	case "json":
		return writeJSON(w, rep)
	case "csv":
		return rep.WriteCSV(w)
	}
	return rep.WriteText(w)
}

// progress prints how far a replay has got on standard error: on a
// terminal a line rewritten in place, otherwise a line every few seconds.
// It also prints the first problems as they are found.
type progress struct {
	w       io.Writer
	quiet   bool
	tty     bool
	what    string
	start   time.Time
	last    time.Time
	shown   bool // a live line is on the terminal
	printed int  // problems printed
}

const (
	ttyEvery     = 200 * time.Millisecond
	logEvery     = 5 * time.Second
	showProblems = 20
)

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, quiet: quiet}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) begin(what string, _ []replay.Input) {
	p.what, p.start, p.last, p.printed = what, time.Now(), time.Now(), 0
}

func (p *progress) update(pr replay.Progress) {
	if p.quiet {
		return
	}
	now := time.Now()
	every := logEvery
	if p.tty {
		every = ttyEvery
	}
	if now.Sub(p.last) < every {
		return
	}
	p.last = now
	line := p.line(pr, now)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\x1b[K", line)
		p.shown = true
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) line(pr replay.Progress, now time.Time) string {
	elapsed := now.Sub(p.start)
	rate := float64(pr.Records) / max(elapsed.Seconds(), 1e-9)
	s := fmt.Sprintf("%s: %d read, %.0f/s, %s elapsed", p.what, pr.Records, rate, elapsed.Round(time.Second))
	if pr.Problems > 0 {
		s += fmt.Sprintf(", %d problem(s)", pr.Problems)
	}
	if pr.Size > 0 && pr.Bytes > 0 {
		done := float64(pr.Bytes) / float64(pr.Size)
		left := time.Duration(float64(elapsed) * (1 - done) / done)
		s += fmt.Sprintf(", %.0f%% of the input, about %s left", 100*done, left.Round(time.Second))
	}
	return s
}

func (p *progress) problem(pr replay.Problem) {
	if p.printed > showProblems {
		return
	}
	p.clear()
	if p.printed == showProblems {
		fmt.Fprintf(p.w, "%s: further problems are counted in the report\n", p.what)
	} else {
		fmt.Fprintf(p.w, "%s\n", pr)
	}
	p.printed++
}

func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}

func (p *progress) end() { p.clear() }
