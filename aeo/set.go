package aeo

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/lifecycle"
)

// ErrNoVersion is returned when no version of a programme set is in force
// on the date the law says decides (an application filed before the
// first version took effect, or after the last one ended).
var ErrNoVersion = errors.New("aeo: no version of the programme in force")

// InForceBy says which date chooses the version that decides an
// application: the day it was filed (the usual rule: an application
// filed under the old version is decided under it) or the day of the
// assessment or decision.
type InForceBy string

// The rules for choosing a version.
const (
	ByFiling InForceBy = "filing"
	ByAsOf   InForceBy = "as_of"
)

// A SetFile is the index file of a programme set: the versions of one
// programme, each in force from its effective date.
//
//	set:
//	  name: GACC enterprise credit management
//	  in_force_by: filing
//	versions:
//	  - {file: order251.yaml, effective: 2021-11-01, until: 2026-03-31}
//	  - {file: order282.yaml, effective: 2026-04-01}
type SetFile struct {
	Set      SetMeta    `json:"set"`
	Versions []SetEntry `json:"versions"`
}

// SetMeta names a programme set and says which date chooses the version
// for an application (default: filing).
type SetMeta struct {
	Name        string    `json:"name"`
	InForceBy   InForceBy `json:"in_force_by,omitempty"`
	Description string    `json:"description,omitempty"`
}

// A SetEntry is one version of a programme set: its programme file,
// relative to the index, and the dates it is in force. When the index
// gives no dates the programme file's own programme.effective and
// programme.until apply; when both give them they must agree. A version
// without an end is in force until the next one takes effect.
type SetEntry struct {
	File      string    `json:"file"`
	Effective time.Time `json:"effective,omitzero"`
	Until     time.Time `json:"until,omitzero"`
}

// A Version is one version of a set: the programme and the days it is in
// force, Until included (zero: no end).
type Version struct {
	File      string
	Effective time.Time
	Until     time.Time
	Programme *Programme
}

// In reports whether v is in force on the day of t.
func (v Version) In(t time.Time) bool {
	d := calendar.Date(t)
	return !d.Before(v.Effective) && (v.Until.IsZero() || !d.After(v.Until))
}

// A Set is a programme with several versions, each in force over a
// period, with no gap and no overlap: the set of rules an administration
// has applied over time. An application is decided under the version in
// force on the day it was filed, or on the day of the decision (see
// InForceBy); every assessment and audit record names the fingerprint of
// its version.
//
// A Set is immutable and safe for concurrent use.
type Set struct {
	name     string
	by       InForceBy
	versions []Version // in order of Effective
}

// LoadSet loads a programme set from an index file (see [SetFile]) or
// from a folder whose every *.yaml, *.yml and *.json file is a version of
// the programme, dated by its programme.effective and programme.until.
// Every problem is reported at once, with file, line and column: in the
// programmes, versions that overlap, a gap between two versions, a
// version without an effective date.
func LoadSet(name string, opts ...Option) (*Set, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("aeo: %w", err)
	}
	if info.IsDir() {
		return loadFolder(name, opts)
	}
	lim := optionsOf(opts).limits()
	data, err := readLimited(osFS{}, name, filepath.ToSlash(name), lim)
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			return nil, err
		}
		return nil, fmt.Errorf("aeo: %w", err)
	}
	var sf SetFile
	doc, err := decode.ParseLimited(filepath.ToSlash(name), data, lim)
	if err != nil {
		return nil, err
	}
	errs := doc.Decode(&sf)
	if len(errs) == 0 && len(sf.Versions) == 0 {
		errs.Add("versions", "a programme set lists its versions")
	}
	if len(errs) > 0 {
		for _, e := range errs {
			doc.Resolve(e)
		}
		return nil, errs
	}
	s := &Set{name: sf.Set.Name, by: sf.Set.InForceBy}
	var problems diag.List
	at := map[*Programme]string{} // the index path of each version, for problems
	for i, e := range sf.Versions {
		key := diag.Index("versions", i)
		if strings.TrimSpace(e.File) == "" {
			problems.Add(key+".file", "name the programme file of the version")
			continue
		}
		p, err := Load(filepath.Join(filepath.Dir(name), filepath.FromSlash(e.File)), opts...)
		if err != nil {
			problems = append(problems, asList(err)...)
			continue
		}
		v := Version{File: e.File, Effective: e.Effective, Until: e.Until, Programme: p}
		m := p.Meta()
		switch {
		case v.Effective.IsZero():
			v.Effective = m.Effective
		case !m.Effective.IsZero() && !calendar.Date(m.Effective).Equal(calendar.Date(e.Effective)):
			problems.Add(key+".effective", "%s says the version is in force from %s, the index from %s", e.File, day(m.Effective), day(e.Effective))
		}
		switch {
		case v.Until.IsZero():
			v.Until = m.Until
		case !m.Until.IsZero() && !calendar.Date(m.Until).Equal(calendar.Date(e.Until)):
			problems.Add(key+".until", "%s says the version is in force until %s, the index until %s", e.File, day(m.Until), day(e.Until))
		}
		at[p] = key
		s.versions = append(s.versions, v)
	}
	problems = append(problems, s.check(func(v Version) string { return at[v.Programme] + ".effective" })...)
	for _, e := range problems {
		if e.Line == 0 {
			doc.Resolve(e)
		}
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return s.finish()
}

// loadFolder loads every programme file of dir as a version.
func loadFolder(dir string, opts []Option) (*Set, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("aeo: %w", err)
	}
	s := &Set{name: filepath.Base(dir)}
	var problems diag.List
	for _, e := range entries {
		switch strings.ToLower(filepath.Ext(e.Name())) {
		case ".yaml", ".yml", ".json":
		default:
			continue
		}
		if e.IsDir() {
			continue
		}
		file := filepath.Join(dir, e.Name())
		p, err := Load(file, opts...)
		if err != nil {
			problems = append(problems, asList(err)...)
			continue
		}
		m := p.Meta()
		s.versions = append(s.versions, Version{File: e.Name(), Effective: m.Effective, Until: m.Until, Programme: p})
	}
	if len(problems) == 0 && len(s.versions) == 0 {
		return nil, fmt.Errorf("aeo: %s holds no programme file", dir)
	}
	problems = append(problems, s.check(func(Version) string { return "programme.effective" })...)
	for _, e := range problems {
		if e.Line == 0 && e.File != "" {
			// A problem of a version, reported in that version's file.
			name := filepath.Join(dir, e.File)
			e.File = filepath.ToSlash(name)
			if data, err := os.ReadFile(name); err == nil {
				if doc, err := decode.Parse(e.File, data); err == nil {
					doc.Resolve(e)
				}
			}
		}
	}
	if len(problems) > 0 {
		problems.Sort()
		return nil, problems
	}
	return s.finish()
}

// check orders the versions by effective date and reports versions
// without one, versions that end before they start, overlaps and gaps.
// where gives the path of a version's effective date for the problem.
func (s *Set) check(where func(Version) string) diag.List {
	var l diag.List
	add := func(v Version, format string, args ...any) {
		e := &diag.Error{Path: where(v), Message: fmt.Sprintf(format, args...)}
		if where(v) == "programme.effective" {
			e.File = v.File // resolved by the caller in that file
		}
		l = append(l, e)
	}
	var dated []Version
	for _, v := range s.versions {
		switch {
		case v.Effective.IsZero():
			add(v, "version %s of %s has no effective date: the set cannot tell when it is in force", v.Programme.Version(), v.File)
		case !v.Until.IsZero() && v.Until.Before(calendar.Date(v.Effective)):
			add(v, "version %s is in force until %s, before it takes effect on %s", v.Programme.Version(), day(v.Until), day(v.Effective))
		default:
			v.Effective, v.Until = calendar.Date(v.Effective), dateOrZero(v.Until)
			dated = append(dated, v)
		}
	}
	sort.SliceStable(dated, func(i, j int) bool { return dated[i].Effective.Before(dated[j].Effective) })
	seen := map[string]string{}
	for i, v := range dated {
		if f, dup := seen[v.Programme.Version()]; dup {
			add(v, "version %q is also the version of %s: each version of a set has its own", v.Programme.Version(), f)
		}
		seen[v.Programme.Version()] = v.File
		if i == 0 {
			continue
		}
		// Any earlier version still in force on v's first day overlaps
		// it; an open-ended one ends where the next begins, unless both
		// begin on the same day.
		for _, o := range dated[:i] {
			if (!o.Until.IsZero() && !o.Until.Before(v.Effective)) || o.Effective.Equal(v.Effective) {
				add(v, "version %s takes effect on %s, while version %s (%s) is still in force until %s: versions overlap",
					v.Programme.Version(), day(v.Effective), o.Programme.Version(), o.File, untilText(o))
			}
		}
		prev := dated[i-1]
		switch {
		case prev.Until.IsZero() || !prev.Until.Before(v.Effective):
		case prev.Until.AddDate(0, 0, 1).Before(v.Effective):
			add(v, "a gap: version %s (%s) ends on %s and version %s takes effect on %s; no version is in force from %s to %s",
				prev.Programme.Version(), prev.File, day(prev.Until), v.Programme.Version(), day(v.Effective),
				day(prev.Until.AddDate(0, 0, 1)), day(v.Effective.AddDate(0, 0, -1)))
		}
	}
	s.versions = dated
	return l
}

func untilText(v Version) string {
	if v.Until.IsZero() {
		return "further notice"
	}
	return day(v.Until)
}

func dateOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return calendar.Date(t)
}

// finish closes each open-ended version but the last on the day before
// the next takes effect.
func (s *Set) finish() (*Set, error) {
	for i := 0; i+1 < len(s.versions); i++ {
		if s.versions[i].Until.IsZero() {
			s.versions[i].Until = s.versions[i+1].Effective.AddDate(0, 0, -1)
		}
	}
	if s.by == "" {
		s.by = ByFiling
	}
	if s.by != ByFiling && s.by != ByAsOf {
		return nil, fmt.Errorf("aeo: set.in_force_by: want filing or as_of, got %q", s.by)
	}
	return s, nil
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// IsSet reports whether name is a programme set: a folder, or a file
// with a top-level versions key (an index file).
func IsSet(name string) bool {
	info, err := os.Stat(name)
	if err != nil {
		return false
	}
	if info.IsDir() {
		return true
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return false
	}
	doc, err := decode.Parse(name, data)
	if err != nil {
		return false
	}
	_, ok := doc.Locate("versions")
	return ok
}

// NewSet makes a set of loaded programmes, each in force from its
// programme.effective to its programme.until (or the next one's
// effective date), for a host that loads versions itself.
func NewSet(name string, by InForceBy, programmes ...*Programme) (*Set, error) {
	s := &Set{name: name, by: by}
	for _, p := range programmes {
		m := p.Meta()
		s.versions = append(s.versions, Version{File: p.Name() + " " + p.Version(), Effective: m.Effective, Until: m.Until, Programme: p})
	}
	if len(s.versions) == 0 {
		return nil, errors.New("aeo: a set needs at least one version")
	}
	if err := s.check(func(Version) string { return "programme.effective" }).Err(); err != nil {
		return nil, err
	}
	return s.finish()
}

// Name returns the set's name.
func (s *Set) Name() string { return s.name }

// InForceBy returns the date rule of the set.
func (s *Set) InForceBy() InForceBy { return s.by }

// Versions returns the versions in order of their effective dates. The
// slice is fresh; the programmes are shared (and immutable).
func (s *Set) Versions() []Version { return slices.Clone(s.versions) }

// At returns the version in force on the day of t, or an error wrapping
// [ErrNoVersion].
func (s *Set) At(t time.Time) (*Programme, error) {
	for _, v := range s.versions {
		if v.In(t) {
			return v.Programme, nil
		}
	}
	first := s.versions[0]
	if calendar.Date(t).Before(first.Effective) {
		return nil, fmt.Errorf("%w on %s: the first version (%s) takes effect on %s", ErrNoVersion, day(t), first.Programme.Version(), day(first.Effective))
	}
	last := s.versions[len(s.versions)-1]
	return nil, fmt.Errorf("%w on %s: the last version (%s) ended on %s", ErrNoVersion, day(t), last.Programme.Version(), day(last.Until))
}

// ForApplication returns the version that decides an application filed
// on filed and assessed or decided on asOf: the version in force on the
// filing date, or on asOf when the set says in_force_by: as_of. A zero
// filed date means asOf.
func (s *Set) ForApplication(filed, asOf time.Time) (*Programme, error) {
	if s.by == ByAsOf || filed.IsZero() {
		return s.At(asOf)
	}
	return s.At(filed)
}

// Version returns the version whose programme.version is v.
func (s *Set) Version(v string) (*Programme, bool) {
	for _, x := range s.versions {
		if x.Programme.Version() == v {
			return x.Programme, true
		}
	}
	return nil, false
}

// ByFingerprint returns the version with the given fingerprint, so that
// a decision recorded under it can be replayed.
func (s *Set) ByFingerprint(fp string) (*Programme, bool) {
	for _, x := range s.versions {
		if x.Programme.Fingerprint() == fp {
			return x.Programme, true
		}
	}
	return nil, false
}

// Assess assesses an application filed on filed as of asOf, under the
// version the set's rule chooses. The assessment names the version and
// its fingerprint.
func (s *Set) Assess(ctx context.Context, prof *Profile, filed, asOf time.Time) (*Assessment, error) {
	p, err := s.ForApplication(filed, asOf)
	if err != nil {
		return nil, err
	}
	return p.Assess(ctx, prof, asOf)
}

// Lifecycle returns the lifecycle that governs ev on a: while an
// application is pending and the set decides by filing, the version in
// force on the day it was lodged (a lodge event is itself the filing);
// otherwise the version in force on the day of the event. Apply ev with
// the returned machine: its record names that version's fingerprint.
func (s *Set) Lifecycle(a lifecycle.Authorization, ev lifecycle.Event) (*lifecycle.Machine, error) {
	at := ev.At
	pending := a.Status == lifecycle.StatusLodged || a.Status == lifecycle.StatusIncomplete || a.Status == lifecycle.StatusExamination
	if s.by == ByFiling && pending && ev.Kind != lifecycle.EventLodge && !a.LodgedAt.IsZero() {
		at = a.LodgedAt
	}
	p, err := s.At(at)
	if err != nil {
		return nil, err
	}
	if p.Lifecycle() == nil {
		return nil, fmt.Errorf("aeo: version %s has no lifecycle section", p.Version())
	}
	return p.Lifecycle(), nil
}

// Replay rebuilds an authorization from an audit trail whose records may
// have been made under several versions of the set, each under the
// version its fingerprint names.
func (s *Set) Replay(t lifecycle.Trail) (lifecycle.Authorization, error) {
	return lifecycle.ReplayVersions(t, func(fp string) *lifecycle.Machine {
		if p, ok := s.ByFingerprint(fp); ok {
			return p.Lifecycle()
		}
		return nil
	})
}

// Impact assesses every profile under two versions of the set, named by
// their programme.version, as of asOf, and lists every outcome that
// changes (see [Impact]).
func (s *Set) Impact(ctx context.Context, from, to string, profiles []*Profile, asOf time.Time) ([]Change, error) {
	a, ok := s.Version(from)
	if !ok {
		return nil, fmt.Errorf("aeo: impact: the set has no version %q", from)
	}
	b, ok := s.Version(to)
	if !ok {
		return nil, fmt.Errorf("aeo: impact: the set has no version %q", to)
	}
	return Impact(ctx, a, b, profiles, asOf)
}

// A RuleChange is a time rule of the lifecycle that differs between two
// versions: a revalidation cycle changed, a window added or dropped.
// Old or New is empty when the rule is set in one version only.
type RuleChange struct {
	Rule string `json:"rule"`
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

// TimeRuleChanges lists the lifecycle time rules that differ between two
// programmes, sorted by rule.
func TimeRuleChanges(old, new *Programme) []RuleChange {
	rules := func(p *Programme) map[string]string {
		out := map[string]string{}
		if lc := p.File().Lifecycle; lc != nil {
			for _, r := range lc.Rules() {
				out[r.Key] = r.Value
			}
		}
		return out
	}
	a, b := rules(old), rules(new)
	var out []RuleChange
	for k, v := range a {
		if b[k] != v {
			out = append(out, RuleChange{Rule: k, Old: v, New: b[k]})
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			out = append(out, RuleChange{Rule: k, New: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}
