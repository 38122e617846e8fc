package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
)

// A catalogue is the set of programmes at one moment. It is never
// changed once stored: a reload builds a new one and swaps it in, so that
// a request holds one consistent set from start to end.
type catalogue struct {
	byName map[string]*entry
	names  []string // sorted
}

// An entry is one programme file: the version serving, if any, and the
// outcome of the last attempt to load the file.
type entry struct {
	name, file  string
	prog        *aeo.Programme // nil when the file never loaded
	loadedAt    time.Time      // when prog was loaded
	attemptedAt time.Time
	problems    []Problem // of the last attempt; nil when it succeeded
}

// ProgrammeInfo describes one programme of the directory.
type ProgrammeInfo struct {
	// Name is the programme's name in request paths: the file's base
	// name without its extension.
	Name string `json:"name"`
	File string `json:"file"`
	// Status is "serving" when a version is loaded and the last attempt
	// succeeded, "stale" when a version is loaded but the file changed
	// and failed to load (the old version keeps serving), and "failed"
	// when no version could be loaded.
	Status string `json:"status"`
	// Title, Version, Country, Effective and Fingerprint describe the
	// version serving.
	Title       string    `json:"title,omitempty"`
	Version     string    `json:"version,omitempty"`
	Country     string    `json:"country,omitempty"`
	Effective   string    `json:"effective,omitempty"`
	Fingerprint string    `json:"fingerprint,omitempty"`
	LoadedAt    time.Time `json:"loaded_at,omitzero"`
	// Sections lists the parts the programme defines (risk,
	// selectivity, benefits, lifecycle), which say which endpoints it
	// answers.
	Sections []string `json:"sections,omitempty"`
	// AttemptedAt is the last attempt to load the file; Errors its
	// problems, each with file, line and column.
	AttemptedAt time.Time `json:"attempted_at"`
	Errors      []Problem `json:"errors,omitempty"`
}

// ReloadReport is the outcome of a reload: the programmes loaded anew,
// unchanged, failed (the previous version, if any, still serving) and
// removed.
type ReloadReport struct {
	Loaded, Unchanged, Failed, Removed []string
}

func (e *entry) info() ProgrammeInfo {
	pi := ProgrammeInfo{Name: e.name, File: e.file, AttemptedAt: e.attemptedAt, Errors: e.problems}
	switch {
	case e.prog == nil:
		pi.Status = "failed"
	case e.problems != nil:
		pi.Status = "stale"
	default:
		pi.Status = "serving"
	}
	if p := e.prog; p != nil {
		m := p.Meta()
		pi.Title, pi.Version, pi.Country, pi.Fingerprint, pi.LoadedAt = m.Name, m.Version, m.Country, p.Fingerprint(), e.loadedAt
		if !m.Effective.IsZero() {
			pi.Effective = m.Effective.Format(time.DateOnly)
		}
		pi.Sections = sections(p)
	}
	return pi
}

func sections(p *aeo.Programme) []string {
	out := []string{"requirements"}
	if p.Risk() != nil {
		out = append(out, "risk")
	}
	if p.Selector() != nil {
		out = append(out, "selectivity")
	}
	if p.Benefits() != nil {
		out = append(out, "benefits")
	}
	if p.Lifecycle() != nil {
		out = append(out, "lifecycle")
	}
	return out
}

// Programmes describes the programmes of the directory, by name.
func (s *Server) Programmes() []ProgrammeInfo {
	c := s.progs.Load()
	out := make([]ProgrammeInfo, 0, len(c.names))
	for _, n := range c.names {
		out = append(out, c.byName[n].info())
	}
	return out
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

func isProgrammeFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return !strings.HasPrefix(name, ".")
	}
	return false
}

// Reload loads every programme file of the directory aside and swaps the
// new set in at once. A file that fails to load keeps its previous
// version serving, if it had one, and records its problems; a file
// removed is no longer served. Reload returns an error only when the
// directory cannot be read, and then changes nothing.
func (s *Server) Reload(ctx context.Context) (ReloadReport, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	var rep ReloadReport
	// The state is taken before the files are read, so that a change
	// made while they load is seen by the next poll.
	state, _ := dirState(s.cfg.Dir)
	files, err := programmeFiles(s.cfg.Dir)
	if err != nil {
		s.metrics.reloads.WithLabelValues("", "error").Inc()
		s.log.Error("reload: cannot read the programme directory", "dir", s.cfg.Dir, "err", err.Error())
		return rep, fmt.Errorf("server: %w", err)
	}
	old := s.progs.Load()
	next := &catalogue{byName: make(map[string]*entry, len(files))}
	// Two files with one base name (eu.yaml, eu.json) are ambiguous: the
	// one that served the name before keeps it, and the others are
	// reported under their file names.
	owner := map[string]string{}
	for _, f := range files {
		name := strings.TrimSuffix(f, filepath.Ext(f))
		if cur, ok := owner[name]; !ok || (old.byName[name] != nil && old.byName[name].file == f && cur != f) {
			owner[name] = f
		}
	}
	for _, f := range files {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		stem := strings.TrimSuffix(f, filepath.Ext(f))
		name, dup := stem, owner[stem] != f
		if dup {
			name = f
		}
		e := &entry{name: name, file: f, attemptedAt: s.cfg.Now()}
		prev := old.byName[name]
		if prev != nil {
			e.prog, e.loadedAt = prev.prog, prev.loadedAt
		}
		switch {
		case dup:
			e.problems = []Problem{{File: f, Message: fmt.Sprintf("programme %q is also defined by %s: rename one of them", stem, owner[stem])}}
		case !nameRE.MatchString(name):
			e.problems = []Problem{{File: f, Message: "the file name is not a programme name: use letters, digits, '.', '_' and '-'"}}
		default:
			start := s.cfg.Now()
			p, err := aeo.Load(filepath.Join(s.cfg.Dir, f), s.cfg.LoadOptions...)
			took := s.cfg.Now().Sub(start)
			if err != nil {
				e.problems = relative(problems(err), s.cfg.Dir)
				break
			}
			if prev != nil && prev.prog != nil && prev.prog.Fingerprint() == p.Fingerprint() {
				rep.Unchanged = append(rep.Unchanged, name)
				s.metrics.reloads.WithLabelValues(name, "unchanged").Inc()
				break
			}
			e.prog, e.loadedAt = p, s.cfg.Now()
			rep.Loaded = append(rep.Loaded, name)
			s.metrics.reloads.WithLabelValues(name, "loaded").Inc()
			s.log.Info("programme loaded", "programme", name, "file", f, "version", p.Version(),
				"fingerprint", p.Fingerprint(), "duration_ms", took.Milliseconds())
		}
		if e.problems != nil {
			rep.Failed = append(rep.Failed, name)
			s.metrics.reloads.WithLabelValues(name, "failed").Inc()
			serving := ""
			if e.prog != nil {
				serving = e.prog.Fingerprint()
			}
			s.log.Error("programme failed to load", "programme", name, "file", f, "problems", len(e.problems),
				"errors", e.problems, "still_serving", serving)
		}
		next.byName[name] = e
		next.names = append(next.names, name)
	}
	for _, n := range old.names {
		if _, ok := next.byName[n]; !ok {
			rep.Removed = append(rep.Removed, n)
			s.metrics.reloads.WithLabelValues(n, "removed").Inc()
			s.log.Info("programme removed", "programme", n)
		}
	}
	slices.Sort(next.names)
	s.progs.Store(next)
	s.loadedState.Store(state)
	s.metrics.setProgrammes(next, rep.Removed)
	return rep, nil
}

// relative shows file names relative to the directory, so that the
// programmes endpoint does not reveal the server's file system.
func relative(ps []Problem, dir string) []Problem {
	for i := range ps {
		if r, err := filepath.Rel(dir, ps[i].File); err == nil && ps[i].File != "" {
			ps[i].File = r
		}
		ps[i].Message = strings.ReplaceAll(ps[i].Message, dir+string(filepath.Separator), "")
	}
	return ps
}

func programmeFiles(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if e.Type().IsRegular() || e.Type()&os.ModeSymlink != 0 {
			if isProgrammeFile(e.Name()) {
				out = append(out, e.Name())
			}
		}
	}
	slices.Sort(out)
	return out, nil
}

// dirState summarises the directory's programme files (names, sizes,
// modification times) so that a change shows as a different string.
func dirState(dir string) (string, error) {
	files, err := programmeFiles(dir)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range files {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			continue // removed since the listing: the next poll sees it
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", f, fi.Size(), fi.ModTime().UnixNano())
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// watch reloads the programmes whenever the directory's files change,
// until ctx is done.
func (s *Server) watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur, err := dirState(s.cfg.Dir)
		if last, _ := s.loadedState.Load().(string); err != nil || cur == last {
			continue
		}
		s.log.Info("programme files changed: reloading")
		_, _ = s.Reload(ctx)
	}
}

// lookup finds the programme a request names.
func (s *Server) lookup(name string) (*entry, *aeo.Programme, error) {
	c := s.progs.Load()
	e := c.byName[name]
	if e == nil {
		return nil, nil, errorf(404, CodeUnknownProgramme, "no programme %q is loaded", name).with("programme", name)
	}
	if e.prog == nil {
		return e, nil, errorf(503, CodeProgrammeFailed, "programme %q failed to load and has no version serving", name).
			with("programme", name).with("errors", e.problems)
	}
	return e, e.prog, nil
}
