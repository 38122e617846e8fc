package aeo

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/exchange"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/internal/rules"
	"github.com/safe-aeo/engine/internal/suggest"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
	"github.com/safe-aeo/engine/vendors"
)

// A File is a programme file: the national programme as plain data. Its
// JSON names are the keys of the YAML or JSON file.
type File struct {
	Programme Meta `json:"programme"`
	// Extends names the programme this one builds on: "baseline" for the
	// built-in SAFE Annex IV baseline, or the path of another programme
	// file, relative to this one.
	Extends string `json:"extends,omitempty"`
	// Vocabulary adds values to the closed sets of profile values (roles,
	// business models, severities, ...) that the baseline declares; every
	// programme has the baseline's, whether or not it extends the
	// baseline.
	Vocabulary Vocabulary `json:"vocabulary,omitzero"`
	// The criteria configuration: facts, scoring, criteria, requirements,
	// equivalences and authorizations. Those given here add to what
	// Extends provides (see Override and Drop to change or remove).
	criteria.Config
	// Override changes inherited requirements by ID: every field set in an
	// override replaces the inherited one (to relax a requirement, set its
	// level to desired; to tighten it, give a stricter when).
	Override []criteria.Requirement `json:"override,omitempty"`
	// Drop removes inherited requirements, or whole criteria with their
	// requirements, by ID.
	Drop []string `json:"drop,omitempty"`
	// Calendar is the programme's working week and public holidays, in
	// which deadlines in working days are counted and deadlines that fall
	// on a non-working day roll. Holiday files it names are read into its
	// holidays when the programme is loaded, so that the fingerprint
	// covers them.
	Calendar *calendar.Config `json:"calendar,omitempty"`
	// Lifecycle holds the time rules of the authorization lifecycle.
	Lifecycle *lifecycle.Config `json:"lifecycle,omitempty"`
	// Benefits chooses the benefit catalogues and sets eligibility,
	// sequenced introduction and the ledger's baselines.
	Benefits *benefits.Config `json:"benefits,omitempty"`
	// Risk maps an operator's risk (dimensions over the profile, risks
	// from the assessment's findings) and holds the control programme.
	Risk *risk.Config `json:"risk,omitempty"`
	// Selectivity holds the lane rules for declarations.
	Selectivity *risk.SelectivityConfig `json:"selectivity,omitempty"`
	// Limits bound the evaluation of each rule of the programme; absent,
	// the defaults apply.
	Limits *Limits `json:"limits,omitempty"`
	// Union makes the programme one member's view of a customs union's
	// joint AEO programme: its members, the union's programme and the
	// rules that say which member is competent for an applicant.
	Union *Union `json:"union,omitempty"`
	// Recognition lists the partner programmes whose AEO status the
	// programme recognises (by MRA, assistance agreement, unilaterally or
	// by law), the types each covers, and the data exchanged with them.
	Recognition []Recognition `json:"recognition,omitempty"`
	// Vendors is the register of non-resident vendors: its registration
	// requirements as rules, and its time rules.
	Vendors *vendors.Config `json:"vendors,omitempty"`
	// Entities says which establishments of a legal entity its
	// authorization covers, and which may not hold one of their own.
	Entities *Entities `json:"entities,omitempty"`
}

// Limits bound each evaluation of each rule, so that no rule, whatever
// the profile it reads, runs long or builds much: one that would stops
// and its requirement (or dimension, or lane rule) is indeterminate with
// the reason. The host's WithMaxSteps and WithMemoryBudget override them.
type Limits struct {
	// MaxSteps bounds the work of one evaluation: each loop (all, any,
	// count, filter, map, reduce, a range...) counts the length of the
	// list it goes over, a string scanned one step per 64 bytes. Default
	// 1,000,000.
	MaxSteps int `json:"max_steps,omitempty"`
	// MaxMemory bounds, in bytes, the strings, lists and maps one
	// evaluation builds (16 bytes an element of a list). Default 16 MiB.
	MaxMemory int `json:"max_memory,omitempty"`
}

// Meta identifies a programme version.
type Meta struct {
	Name      string `json:"name"`
	Country   string `json:"country,omitempty"`
	Authority string `json:"authority,omitempty"`
	Version   string `json:"version"`
	// Effective is the date from which this version applies; Until, when
	// set, the last day it applies (see [Set] for programmes with several
	// versions in force one after another).
	Effective   time.Time `json:"effective,omitzero"`
	Until       time.Time `json:"until,omitzero"`
	Description string    `json:"description,omitempty"`
	// Language is the BCP 47 tag (en, fr, es-419) of the language the
	// file's plain operator-facing texts are written in, and of the
	// programme's assessments; default en. Texts written per language
	// must include it.
	Language string `json:"language,omitempty"`
	// Sources are the legal instruments the programme implements.
	Sources []string `json:"sources,omitempty"`
	// Commitments state in words how Customs meets those of its own
	// obligations (requirements with side: customs) that nothing else in
	// the file shows, by the obligation's ID; an obligation's met_by may
	// name programme.commitments.ID, and the published programme prints
	// them.
	Commitments map[string]string `json:"commitments,omitempty"`
}

// A Programme is a loaded national programme: compiled, immutable and
// fingerprinted. It is safe for concurrent use by multiple goroutines.
type Programme struct {
	file        File
	fingerprint string
	set         *criteria.Set
	lifecycle   *lifecycle.Machine
	calendar    *calendar.Calendar
	benefits    *benefits.Catalogue
	risk        *risk.Model
	selector    *risk.Selector
	declared    map[string]rules.FactType
	vocab       *vocabulary
	union       *union
	vendors     *vendors.Register
	partners    []exchange.Partner
	lang        language.Tag
	textIndex   textIndex
	// texts are where the operator-facing texts are written, in the
	// files the programme was loaded from.
	texts []textSite
}

//go:embed baseline/*.yaml
var builtin embed.FS

// BaselineName is the name under which programme files extend the
// built-in SAFE Annex IV baseline.
const BaselineName = "baseline"

// An Option configures loading a programme.
type Option func(*loadOptions)

type loadOptions struct {
	maxNodes   uint
	memory     uint
	steps      uint
	seed       *string
	root       string
	maxBytes   int64
	maxEntries int
}

func optionsOf(opts []Option) loadOptions {
	var o loadOptions
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

func (o loadOptions) limits() decode.Limits {
	return decode.Limits{MaxBytes: o.maxBytes, MaxEntries: o.maxEntries}
}

// Default limits of the files Load and LoadProfile read; see
// WithMaxFileSize and WithMaxEntries.
const (
	DefaultMaxFileSize = decode.DefaultMaxBytes
	DefaultMaxEntries  = decode.DefaultMaxEntries
)

// WithMaxFileSize bounds the size in bytes of each file read: a programme,
// each file it extends, a profile. The default is DefaultMaxFileSize (8
// MiB); a negative n removes the bound. A larger file is refused before
// it is read, with a problem that wraps diag.ErrTooLarge.
func WithMaxFileSize(n int64) Option { return func(o *loadOptions) { o.maxBytes = n } }

// WithMaxEntries bounds the entries of the lists and mappings of each file
// read, counted together (a profile listing 10 infringements of 3 keys
// each has 40 entries). The default is DefaultMaxEntries (100,000); a
// negative n removes the bound. The entries are counted on the file's
// bytes before the file is parsed, so that a profile of a million
// infringements is refused at once, with a problem that wraps
// diag.ErrTooLarge.
func WithMaxEntries(n int) Option { return func(o *loadOptions) { o.maxEntries = n } }

// WithRoot sets the folder Load reads programme files from: a programme
// may extend any file under root, "../partner-base.yaml" included, and no
// file outside it. Without it the root is the programme's own folder, so
// extends may name files beside it or below it only.
func WithRoot(root string) Option { return func(o *loadOptions) { o.root = root } }

// WithSeed sets the seed of the selectivity profile's random draws,
// overriding the programme file's: an administration keeps the seed
// secret, outside the published programme, so that random selection
// cannot be predicted.
func WithSeed(seed string) Option { return func(o *loadOptions) { o.seed = &seed } }

// WithMaxNodes bounds the size of each expression in the programme.
func WithMaxNodes(n uint) Option { return func(o *loadOptions) { o.maxNodes = n } }

// WithMaxSteps bounds the work of one evaluation of one rule, in steps;
// it overrides the programme file's limits.max_steps (default 1,000,000).
func WithMaxSteps(n uint) Option { return func(o *loadOptions) { o.steps = n } }

// WithMemoryBudget bounds, in bytes, the strings, lists and maps one
// expression may build in one evaluation; it overrides the programme
// file's limits.max_memory (default 16 MiB).
func WithMemoryBudget(n uint) Option { return func(o *loadOptions) { o.memory = n } }

// Baseline loads the built-in SAFE Annex IV baseline programme.
func Baseline(opts ...Option) (*Programme, error) {
	return LoadFS(builtin, baselinePath, opts...)
}

const baselinePath = "baseline/safe.yaml"

// BaselineFile returns the built-in SAFE baseline programme file.
func BaselineFile() []byte {
	b, _ := builtin.ReadFile("baseline/safe.yaml")
	return b
}

// BaselineProfile returns a complete operator profile for the baseline, as
// a YAML file: a compliant importer with every fact the baseline reads, so
// that every requirement that applies to it is decided (and met). Fixtures
// start from it as their base.
func BaselineProfile() []byte {
	b, _ := builtin.ReadFile("baseline/profile.yaml")
	return b
}

// BaselineFixtures returns the baseline's own fixtures file, which names
// the baseline as safe.yaml and its base profile as profile.yaml.
func BaselineFixtures() []byte {
	b, _ := builtin.ReadFile("baseline/fixtures.yaml")
	return b
}

// Load loads the programme file at name from the operating system's file
// system. Every problem in the file, and in the files it extends, is
// reported at once as a list of *diag.Error with file, line and column.
// Files it extends are read from its own folder, or from the root that
// WithRoot sets.
func Load(name string, opts ...Option) (*Programme, error) {
	o := optionsOf(opts)
	l := &loader{limits: o.limits()}
	rel := filepath.Base(name)
	if o.root == "" {
		dir := filepath.Dir(name)
		l.fsys, l.root = os.DirFS(dir), dir
		if dir != "." {
			l.prefix = filepath.ToSlash(dir) + "/"
		}
	} else {
		absRoot, err1 := filepath.Abs(o.root)
		absName, err2 := filepath.Abs(name)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("aeo: %w", err)
		}
		r, err := filepath.Rel(absRoot, absName)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("aeo: %s is outside the root %s", name, o.root)
		}
		rel = filepath.ToSlash(r)
		l.fsys, l.root = os.DirFS(o.root), o.root
		if filepath.Clean(o.root) != "." {
			l.prefix = filepath.ToSlash(filepath.Clean(o.root)) + "/"
		}
	}
	f, err := l.load(rel, 0)
	if err != nil {
		return nil, err
	}
	return l.compile(f, opts)
}

// LoadFS is Load from a file system.
func LoadFS(fsys fs.FS, name string, opts ...Option) (*Programme, error) {
	l := &loader{fsys: fsys, limits: optionsOf(opts).limits()}
	f, err := l.load(name, 0)
	if err != nil {
		return nil, err
	}
	return l.compile(f, opts)
}

// Parse loads a programme from data, the contents of a file called name.
// Extends may name only the baseline.
func Parse(name string, data []byte, opts ...Option) (*Programme, error) {
	l := &loader{fsys: builtin, inMemory: map[string][]byte{name: data}, limits: optionsOf(opts).limits()}
	f, err := l.load(name, 0)
	if err != nil {
		return nil, err
	}
	return l.compile(f, opts)
}

// Compile compiles a programme given as Go values. Extends may name only
// the baseline; problems are reported by path, without positions.
func Compile(f File, opts ...Option) (*Programme, error) {
	l := &loader{fsys: builtin, limits: optionsOf(opts).limits()}
	merged, err := l.resolve(&source{file: f}, 0)
	if err != nil {
		return nil, err
	}
	return l.compile(merged, opts)
}

// source is one decoded file and where it came from.
type source struct {
	name string
	doc  *decode.Doc
	file File
}

// origin records where an element of the merged configuration came from,
// so that a problem found in it is reported in the right file and line.
type origin struct {
	src  *source
	path string
}

type loader struct {
	fsys     fs.FS
	inMemory map[string][]byte
	// prefix is prepended to file names in problems, so that they name
	// the file as the caller did.
	prefix string
	// root names the folder fsys reads, for problems; empty for a file
	// system the caller gave.
	root string
	// chain is the files being loaded, each extending the next, to
	// report a cycle by its files.
	chain []string
	// positioned holds the problems found while decoding and merging,
	// already with their file positions, to report with those compiling
	// finds.
	positioned diag.List
	// limits bound each file read.
	limits decode.Limits
	// texts are where the operator-facing texts of the files read are.
	texts []textSite
}

const maxExtends = 8

func (l *loader) read(name string) ([]byte, error) {
	if b, ok := l.inMemory[name]; ok {
		return b, nil
	}
	return readLimited(l.fsys, name, l.prefix+name, l.limits)
}

// readLimited reads the file name of fsys, refusing one larger than lim
// allows before reading it (by its size) or while reading it (a file that
// grows, a device), so that an oversized file never fills memory. shown
// is the name problems give.
func readLimited(fsys fs.FS, name, shown string, lim decode.Limits) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		if err := lim.TooLarge(shown, fi.Size()); err != nil {
			return nil, err
		}
	}
	max := lim.MaxBytes
	if max == 0 {
		max = decode.DefaultMaxBytes
	}
	var r io.Reader = f
	if max > 0 {
		r = io.LimitReader(f, max+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if err := lim.TooLarge(shown, int64(len(data))); err != nil {
		return nil, err
	}
	return data, nil
}

func (l *loader) load(name string, depth int) (*merged, error) {
	data, err := l.read(name)
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			return nil, err
		}
		// Name the file as the caller did, not as the file system saw it.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = &fs.PathError{Op: pe.Op, Path: l.prefix + name, Err: pe.Err}
		}
		return nil, fmt.Errorf("aeo: %w", err)
	}
	return l.parse(name, data, depth)
}

func (l *loader) parse(name string, data []byte, depth int) (*merged, error) {
	var f File
	doc, err := decode.ParseLimited(l.prefix+name, data, l.limits)
	if err != nil {
		return nil, err
	}
	src := &source{name: name, doc: doc}
	// Decoding problems are kept and reported with those compiling finds,
	// so that the author sees every problem at once.
	l.positioned = append(l.positioned, doc.Decode(&f)...)
	src.file = f
	l.settleTexts(src)
	l.chain = append(l.chain, name)
	defer func() { l.chain = l.chain[:len(l.chain)-1] }()
	return l.resolve(src, depth)
}

// merged is a programme after Extends, Override and Drop are applied.
type merged struct {
	file    File
	origins map[string]origin
	fields  map[string]origin // requirements[i].field -> override origin
}

func (l *loader) resolve(src *source, depth int) (*merged, error) {
	f := src.file
	var base *merged
	if f.Extends != "" {
		var err error
		switch {
		case f.Extends == BaselineName:
			bl := &loader{fsys: builtin, limits: l.limits}
			base, err = bl.load(baselinePath, depth+1)
			l.positioned = append(l.positioned, bl.positioned...)
			l.texts = append(l.texts, bl.texts...)
		case l.inMemory != nil || src.doc == nil:
			return nil, l.fail(src, "extends", "extends %q: only %q can be extended here; load the programme from files to extend another file%s", f.Extends, BaselineName, l.suggestBaseline(f.Extends))
		default:
			base, err = l.extend(src, depth)
		}
		if err != nil {
			return nil, err
		}
	}
	return l.merge(base, src)
}

// extend loads the file src extends, relative to src, refusing a file
// outside the loader's root, a cycle and a chain too long to be meant.
func (l *loader) extend(src *source, depth int) (*merged, error) {
	ext := src.file.Extends
	target := path.Join(path.Dir(src.name), filepath.ToSlash(ext))
	if path.IsAbs(ext) || filepath.IsAbs(ext) || target == ".." || strings.HasPrefix(target, "../") {
		where := "the programme's folder"
		if l.root != "" {
			where = fmt.Sprintf("the root %s", l.root)
		}
		return nil, l.fail(src, "extends", "extends %q: the file is outside %s; name it relative to this file, under the root (aeo.WithRoot, or --root on the aeo command, sets a wider one)", ext, where)
	}
	if i := slices.Index(l.chain, target); i >= 0 {
		names := make([]string, 0, len(l.chain)-i+1)
		for _, n := range l.chain[i:] {
			names = append(names, l.prefix+n)
		}
		names = append(names, l.prefix+target)
		return nil, l.fail(src, "extends", "programmes extend each other in a cycle: %s", strings.Join(names, " extends "))
	}
	if depth >= maxExtends {
		return nil, l.fail(src, "extends", "programmes extend each other more than %d deep: %s", maxExtends, strings.Join(l.chain, " extends "))
	}
	data, err := l.read(target)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, l.fail(src, "extends", "extends %q: no such file (looked for %s)%s", ext, l.prefix+target, l.suggestFile(ext, path.Dir(target), path.Base(target)))
		}
		return nil, l.fail(src, "extends", "extends %q: %v", ext, errors.Unwrap(err))
	}
	return l.parse(target, data, depth+1)
}

// suggestBaseline proposes "baseline" for a near miss.
func (l *loader) suggestBaseline(name string) string {
	if d := suggest.Distance(name, BaselineName); d > 0 && d <= 2 {
		return fmt.Sprintf("; did you mean %q?", BaselineName)
	}
	return ""
}

// suggestFile proposes "baseline" or a programme file in dir whose name is
// close to name, written as the author wrote ext.
func (l *loader) suggestFile(ext, dir, name string) string {
	if s := l.suggestBaseline(strings.TrimSuffix(strings.TrimSuffix(name, ".yaml"), ".yml")); s != "" {
		return s
	}
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		return ""
	}
	best, bestD := "", 3
	for _, e := range entries {
		n := e.Name()
		switch path.Ext(n) {
		case ".yaml", ".yml", ".json":
		default:
			continue
		}
		if d := suggest.Distance(name, n); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", path.Join(path.Dir(filepath.ToSlash(ext)), best))
}

func (l *loader) fail(src *source, p, format string, args ...any) error {
	e := &diag.Error{Path: p, Message: fmt.Sprintf(format, args...)}
	if src.doc != nil {
		src.doc.Resolve(e)
	}
	return diag.List{e}
}

// merge applies src on top of base.
func (l *loader) merge(base *merged, src *source) (*merged, error) {
	f := src.file
	out := &merged{origins: map[string]origin{}, fields: map[string]origin{}}
	var errs diag.List
	at := func(p string) origin { return origin{src: src, path: p} }
	// Sections written once: problems in them are reported in the file
	// that set them.
	out.origins["programme"] = at("programme")
	for _, sec := range []string{"calendar", "lifecycle", "scoring", "benefits", "risk", "selectivity", "limits", "union", "recognition", "vendors", "entities"} {
		if base != nil {
			if o, ok := base.origins[sec]; ok {
				out.origins[sec] = o
			}
		}
	}
	if f.Lifecycle != nil {
		out.origins["lifecycle"] = at("lifecycle")
	}
	if f.Calendar != nil {
		out.origins["calendar"] = at("calendar")
		f.Calendar = l.holidayFiles(src, f.Calendar)
	}
	if f.Scoring != (criteria.Scoring{}) {
		out.origins["scoring"] = at("scoring")
	}
	if f.Benefits != nil {
		out.origins["benefits"] = at("benefits")
	}
	if f.Risk != nil {
		out.origins["risk"] = at("risk")
	}
	if f.Selectivity != nil {
		out.origins["selectivity"] = at("selectivity")
	}
	if f.Limits != nil {
		out.origins["limits"] = at("limits")
	}
	mergeBeyond(out, f, at)
	if base == nil {
		out.file = f
		out.file.Extends = ""
		out.file.Override, out.file.Drop = nil, nil
		// Every programme has the baseline's vocabulary, extended or not:
		// its groups come first, but for those the file repeats (a copy of
		// the baseline file), and have no place in this file.
		bv, err := baselineVocabulary()
		if err != nil {
			return nil, fmt.Errorf("aeo: the built-in vocabulary: %w", err)
		}
		var pre Vocabulary
		for _, vs := range vocabSets {
			own := *vs.terms(&f.Vocabulary)
			for _, t := range *vs.terms(&bv) {
				if !slices.ContainsFunc(own, func(o Terms) bool { return reflect.DeepEqual(o, t) }) {
					*vs.terms(&pre) = append(*vs.terms(&pre), t)
				}
			}
			n := len(*vs.terms(&pre))
			for i := range own {
				out.origins[diag.Index(diag.Join("vocabulary", vs.key), n+i)] = at(diag.Index(diag.Join("vocabulary", vs.key), i))
			}
		}
		out.file.Vocabulary = appendVocabulary(pre, f.Vocabulary)
		for i := range f.Requirements {
			out.origins[diag.Index("requirements", i)] = at(diag.Index("requirements", i))
		}
		for i := range f.Criteria {
			out.origins[diag.Index("criteria", i)] = at(diag.Index("criteria", i))
		}
		for i := range f.Equivalences {
			out.origins[diag.Index("equivalences", i)] = at(diag.Index("equivalences", i))
		}
		for i := range f.Authorizations {
			out.origins[diag.Index("authorizations", i)] = at(diag.Index("authorizations", i))
		}
		for i := range f.Facts {
			out.origins[diag.Index("facts", i)] = at(diag.Index("facts", i))
		}
		if len(f.Override) > 0 {
			errs.Add("override", "override needs extends: there is nothing to override")
		}
		if len(f.Drop) > 0 {
			errs.Add("drop", "drop needs extends: there is nothing to drop")
		}
		return out, l.located(errs, src)
	}
	b := base.file
	m := File{Programme: f.Programme, Calendar: b.Calendar, Lifecycle: b.Lifecycle, Benefits: b.Benefits}
	if f.Calendar != nil {
		m.Calendar = f.Calendar
	}
	// Vocabularies add up: the base's groups, then this file's.
	m.Vocabulary = appendVocabulary(b.Vocabulary, f.Vocabulary)
	for _, vs := range vocabSets {
		n := len(*vs.terms(&b.Vocabulary))
		for i := 0; i < n; i++ {
			k := diag.Index(diag.Join("vocabulary", vs.key), i)
			if o, ok := base.origins[k]; ok {
				out.origins[k] = o
			}
		}
		for i := range *vs.terms(&f.Vocabulary) {
			out.origins[diag.Index(diag.Join("vocabulary", vs.key), n+i)] = at(diag.Index(diag.Join("vocabulary", vs.key), i))
		}
	}
	if f.Lifecycle != nil {
		m.Lifecycle = f.Lifecycle
	}
	if f.Benefits != nil {
		m.Benefits = f.Benefits
	}
	m.Risk, m.Selectivity = b.Risk, b.Selectivity
	if f.Risk != nil {
		m.Risk = f.Risk
	}
	if f.Selectivity != nil {
		m.Selectivity = f.Selectivity
	}
	m.Scoring = b.Scoring
	if f.Scoring != (criteria.Scoring{}) {
		m.Scoring = f.Scoring
	}
	m.Limits = b.Limits
	if f.Limits != nil {
		m.Limits = f.Limits
	}
	inheritBeyond(&m, b, f)
	// Drop first: criteria (with their requirements) and requirements.
	drop := map[string]bool{}
	critIDs, reqIDs := map[string]bool{}, map[string]bool{}
	for _, c := range b.Criteria {
		critIDs[c.ID] = true
	}
	for _, r := range b.Requirements {
		reqIDs[r.ID] = true
	}
	for i, id := range f.Drop {
		if !critIDs[id] && !reqIDs[id] {
			errs.Add(diag.Index("drop", i), "cannot drop %q: no inherited criterion or requirement has that ID", id)
		}
		drop[id] = true
	}
	// Criteria: inherited ones in order (replaced by a same-ID one from
	// this file), then new ones.
	ownCrit := map[string]int{}
	for i, c := range f.Criteria {
		ownCrit[c.ID] = i
	}
	for i, c := range b.Criteria {
		if drop[c.ID] {
			continue
		}
		k := diag.Index("criteria", len(m.Criteria))
		if j, ok := ownCrit[c.ID]; ok {
			m.Criteria = append(m.Criteria, f.Criteria[j])
			out.origins[k] = at(diag.Index("criteria", j))
			delete(ownCrit, c.ID)
			continue
		}
		m.Criteria = append(m.Criteria, c)
		out.origins[k] = base.origins[diag.Index("criteria", i)]
	}
	for i, c := range f.Criteria {
		if _, ok := ownCrit[c.ID]; ok {
			out.origins[diag.Index("criteria", len(m.Criteria))] = at(diag.Index("criteria", i))
			m.Criteria = append(m.Criteria, c)
		}
	}
	// Requirements: inherited ones not dropped, with overrides applied,
	// then this file's own.
	overrides := map[string]int{}
	for i, o := range f.Override {
		if !reqIDs[o.ID] {
			errs.Add(diag.Join(diag.Index("override", i), "id"), "cannot override %q: no inherited requirement has that ID", o.ID)
			continue
		}
		overrides[o.ID] = i
	}
	for i, r := range b.Requirements {
		if drop[r.ID] || drop[r.Criterion] {
			continue
		}
		k := diag.Index("requirements", len(m.Requirements))
		out.origins[k] = base.origins[diag.Index("requirements", i)]
		for fk, o := range base.fields {
			if rest, ok := strings.CutPrefix(fk, diag.Index("requirements", i)+"."); ok {
				out.fields[k+"."+rest] = o
			}
		}
		if j, ok := overrides[r.ID]; ok {
			for _, name := range overlay(&r, f.Override[j]) {
				out.fields[k+"."+name] = at(diag.Join(diag.Index("override", j), name))
			}
		}
		m.Requirements = append(m.Requirements, r)
	}
	for i, r := range f.Requirements {
		if reqIDs[r.ID] && !drop[r.ID] {
			errs.Add(diag.Join(diag.Index("requirements", i), "id"), "requirement %q is inherited: change it under override, or drop it first", r.ID)
			continue
		}
		out.origins[diag.Index("requirements", len(m.Requirements))] = at(diag.Index("requirements", i))
		m.Requirements = append(m.Requirements, r)
	}
	// Facts and equivalences add up; authorizations are national, so a
	// file that gives any replaces the inherited ones.
	for i, fd := range b.Facts {
		out.origins[diag.Index("facts", len(m.Facts))] = base.origins[diag.Index("facts", i)]
		m.Facts = append(m.Facts, fd)
	}
	for i, fd := range f.Facts {
		out.origins[diag.Index("facts", len(m.Facts))] = at(diag.Index("facts", i))
		m.Facts = append(m.Facts, fd)
	}
	ownEq := map[string]int{}
	for i, e := range f.Equivalences {
		ownEq[e.ID] = i
	}
	for i, e := range b.Equivalences {
		k := diag.Index("equivalences", len(m.Equivalences))
		if j, ok := ownEq[e.ID]; ok {
			m.Equivalences = append(m.Equivalences, f.Equivalences[j])
			out.origins[k] = at(diag.Index("equivalences", j))
			delete(ownEq, e.ID)
			continue
		}
		e.Satisfies = keep(e.Satisfies, func(id string) bool { return !drop[id] && !droppedByCriterion(b, id, drop) })
		if len(e.Satisfies) == 0 {
			continue
		}
		m.Equivalences = append(m.Equivalences, e)
		out.origins[k] = base.origins[diag.Index("equivalences", i)]
	}
	for i, e := range f.Equivalences {
		if _, ok := ownEq[e.ID]; ok {
			out.origins[diag.Index("equivalences", len(m.Equivalences))] = at(diag.Index("equivalences", i))
			m.Equivalences = append(m.Equivalences, e)
		}
	}
	src2 := b.Authorizations
	authOrigin := func(i int) origin { return base.origins[diag.Index("authorizations", i)] }
	if len(f.Authorizations) > 0 {
		src2 = f.Authorizations
		authOrigin = func(i int) origin { return at(diag.Index("authorizations", i)) }
	}
	for i, a := range src2 {
		a.Criteria = keep(a.Criteria, func(id string) bool { return !drop[id] })
		out.origins[diag.Index("authorizations", len(m.Authorizations))] = authOrigin(i)
		m.Authorizations = append(m.Authorizations, a)
	}
	out.file = m
	return out, l.located(errs, src)
}

func droppedByCriterion(b File, reqID string, drop map[string]bool) bool {
	for _, r := range b.Requirements {
		if r.ID == reqID {
			return drop[r.Criterion]
		}
	}
	return false
}

func keep(ids []string, ok func(string) bool) []string {
	var out []string
	for _, id := range ids {
		if ok(id) {
			out = append(out, id)
		}
	}
	return out
}

// overlay copies into r every field set in o, except the ID, and returns
// the JSON names of the fields it copied.
func overlay(r *criteria.Requirement, o criteria.Requirement) []string {
	var names []string
	rv, ov := reflect.ValueOf(r).Elem(), reflect.ValueOf(o)
	t := rv.Type()
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "id" || ov.Field(i).IsZero() {
			continue
		}
		rv.Field(i).Set(ov.Field(i))
		names = append(names, name)
	}
	return names
}

// located records problems found while merging src, with their
// positions; they are reported with every other problem when compiling.
func (l *loader) located(errs diag.List, src *source) error {
	for _, e := range errs {
		if src.doc != nil {
			src.doc.Resolve(e)
		}
	}
	l.positioned = append(l.positioned, errs...)
	return nil
}

// locate fills in the file, line and column of a problem found in the
// merged configuration.
func (m *merged) locate(e *diag.Error) {
	// The longest recorded prefix of the path decides the file.
	best, bestLen := origin{}, -1
	for k, o := range m.fields {
		if (e.Path == k || strings.HasPrefix(e.Path, k+".") || strings.HasPrefix(e.Path, k+"[")) && len(k) > bestLen {
			best, bestLen = o, len(k)
		}
	}
	for k, o := range m.origins {
		if (e.Path == k || strings.HasPrefix(e.Path, k+".") || strings.HasPrefix(e.Path, k+"[")) && len(k) > bestLen {
			best, bestLen = o, len(k)
		}
	}
	if bestLen < 0 || best.src == nil {
		return
	}
	local := best.path + strings.TrimPrefix(e.Path, pathKey(e.Path, bestLen))
	e.Path = local
	if best.src.doc != nil {
		best.src.doc.Resolve(e)
	} else {
		e.File = ""
	}
}

func pathKey(p string, n int) string {
	if n > len(p) {
		return p
	}
	return p[:n]
}

func (l *loader) compile(m *merged, opts []Option) (*Programme, error) {
	o := optionsOf(opts)
	f := m.file
	var errs diag.List
	errs = append(errs, l.positioned...)
	if strings.TrimSpace(f.Programme.Name) == "" {
		errs.Add("programme.name", "the programme needs a name")
	}
	if strings.TrimSpace(f.Programme.Version) == "" {
		errs.Add("programme.version", "the programme needs a version, so that decisions can name the rules they were made under")
	}
	// The file's limits, unless the host set its own.
	if lim := f.Limits; lim != nil {
		if lim.MaxSteps < 0 {
			errs.Add("limits.max_steps", "max_steps must not be negative (0 keeps the default, 1,000,000)")
		} else if o.steps == 0 {
			o.steps = uint(lim.MaxSteps)
		}
		if lim.MaxMemory < 0 {
			errs.Add("limits.max_memory", "max_memory must not be negative (0 keeps the default, 16 MiB)")
		} else if o.memory == 0 {
			o.memory = uint(lim.MaxMemory)
		}
	}
	vocab := compileVocabulary(f.Vocabulary, func(key string, i, j int) bool {
		a, aok := m.origins[diag.Index(diag.Join("vocabulary", key), i)]
		b, bok := m.origins[diag.Index(diag.Join("vocabulary", key), j)]
		return aok && bok && a.src == b.src
	}, &errs)
	vocab.checkProgramme(&f, &errs)
	lang, err := fileLanguage(f.Programme)
	if err != nil {
		errs.Add("programme.language", "%q is not a BCP 47 language tag such as en, fr or es-419", f.Programme.Language)
	}
	set, err := criteria.Compile(f.Config, criteria.WithLanguage(lang), criteria.WithEnv(&env{}), criteria.WithFunctions(profileFunctions()...),
		criteria.WithEvidence(vocab.evidenceKinds()...),
		criteria.WithMaxNodes(o.maxNodes), criteria.WithMemoryBudget(o.memory), criteria.WithMaxSteps(o.steps))
	if err != nil {
		var list diag.List
		if !errors.As(err, &list) {
			return nil, err
		}
		errs = append(errs, list...)
	}
	checkMethod(f, &errs)
	checkObligations(f, &errs)
	fp, err := fingerprint(f)
	if err != nil {
		errs.Add("programme", "%v", err)
	}
	var cal *calendar.Calendar
	if f.Calendar != nil {
		if cal, err = calendar.Compile(*f.Calendar); err != nil {
			errs.Wrap("calendar", err)
		}
	}
	un := compileUnion(f.Union, f.Programme.Country, set, &errs)
	checkRecognition(f, un, &errs)
	checkEntities(f.Entities, &errs)
	checkChangeKinds(f, &errs)
	partners := exchangePartners(f, un)
	var lc *lifecycle.Machine
	if f.Lifecycle != nil {
		if err := f.Lifecycle.Validate(); err != nil {
			errs.Wrap("lifecycle", err)
		} else if set != nil && (f.Calendar == nil || cal != nil) {
			var types []string
			for _, a := range f.Authorizations {
				types = append(types, a.ID)
			}
			lopts := []lifecycle.Option{lifecycle.WithTypes(types...)}
			if cal != nil {
				lopts = append(lopts, lifecycle.WithCalendar(cal))
				if workingDays(*f.Lifecycle, f.Calendar.Roll) && len(cal.Years()) == 0 {
					errs.Add("calendar.holidays", "the lifecycle counts working days or rolls deadlines: list the public holidays of each year it runs in (holidays or holiday_files)")
				}
			}
			lopts = append(lopts, lifecycle.WithPartners(lifecyclePartners(partners)...))
			lc, err = lifecycle.New(*f.Lifecycle, fp, dependsOn(f.Config), lopts...)
			if err != nil {
				errs.Wrap("lifecycle", err)
			}
		}
	}
	var cat *benefits.Catalogue
	if f.Benefits != nil {
		cat, err = benefits.Compile(withPartners(benefitsConfig(*f.Benefits, f.Facts), f.Recognition), benefits.WithMaxNodes(o.maxNodes), benefits.WithMemoryBudget(o.memory), benefits.WithMaxSteps(o.steps))
		if err != nil {
			errs.Wrap("benefits", err)
		} else {
			own := map[string]bool{}
			for _, b := range append(slices.Clone(f.Benefits.Add), f.Benefits.Override...) {
				own[b.ID] = true
			}
			vocab.checkCatalogue(cat, own, &errs)
		}
	}
	var rm *risk.Model
	if f.Risk != nil {
		rm, err = risk.Compile(*f.Risk, risk.WithEnv(&env{}), risk.WithFacts(f.Facts...), risk.WithFunctions(profileFunctions()...),
			risk.WithMaxNodes(o.maxNodes), risk.WithMemoryBudget(o.memory), risk.WithMaxSteps(o.steps), risk.WithCalendar(cal))
		if err != nil {
			errs.Wrap("risk", err)
		}
	}
	var sel *risk.Selector
	if f.Selectivity != nil {
		sopts := []risk.Option{risk.WithMaxNodes(o.maxNodes), risk.WithMemoryBudget(o.memory), risk.WithMaxSteps(o.steps)}
		if o.seed != nil {
			sopts = append(sopts, risk.WithSeed(*o.seed))
		}
		sel, err = risk.CompileSelectivity(withRecognition(*f.Selectivity, f.Recognition), sopts...)
		if err != nil {
			errs.Wrap("selectivity", err)
		}
	}
	var vr *vendors.Register
	if f.Vendors != nil && (f.Calendar == nil || cal != nil) {
		vopts := []vendors.Option{vendors.WithMaxNodes(o.maxNodes), vendors.WithMemoryBudget(o.memory)}
		if cal != nil {
			vopts = append(vopts, vendors.WithCalendar(cal))
		}
		if vr, err = vendors.Compile(*f.Vendors, fp, vopts...); err != nil {
			errs.Wrap("vendors", err)
		}
	}
	if len(errs) > 0 {
		for _, e := range errs[len(l.positioned):] {
			m.locate(e)
		}
		errs.Sort()
		return nil, errs
	}
	p := &Programme{file: f, fingerprint: fp, set: set, lifecycle: lc, calendar: cal, benefits: cat, risk: rm, selector: sel, declared: map[string]rules.FactType{},
		union: un, vendors: vr, partners: partners, vocab: vocab, lang: lang, texts: l.texts, textIndex: newTextIndex(f.Config)}
	sort.SliceStable(p.texts, func(i, j int) bool {
		a, b := p.texts[i], p.texts[j]
		if a.file != b.file {
			return a.file < b.file
		}
		return a.line < b.line || a.line == b.line && a.column < b.column
	})
	for _, fd := range f.Facts {
		p.declared[fd.Name] = rules.FactType(fd.Type)
	}
	return p, nil
}

// dependsOn maps each criterion to the authorization types decided on it,
// for the partial-suspension cascade (EU DA Art 30: failing competence
// suspends AEOC only).
func dependsOn(c criteria.Config) map[string][]string {
	out := map[string][]string{}
	for _, a := range c.Authorizations {
		if len(a.Includes) > 0 {
			continue
		}
		crits := a.Criteria
		if len(crits) == 0 {
			for _, cr := range c.Criteria {
				crits = append(crits, cr.ID)
			}
		}
		for _, id := range crits {
			out[id] = append(out[id], a.ID)
		}
	}
	return out
}

// fingerprint hashes the canonical JSON form of a merged programme:
// encoding/json writes struct fields in declaration order and map keys
// sorted, so the same programme always gives the same fingerprint.
func fingerprint(f File) (string, error) {
	b, err := json.Marshal(f)
	if err != nil {
		// Only a value JSON cannot hold gets here: a NaN or an infinity
		// set from Go (the decoder refuses them in files).
		return "", fmt.Errorf("cannot fingerprint the programme: %w", err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Name returns the programme's name.
func (p *Programme) Name() string { return p.file.Programme.Name }

// Version returns the programme's version.
func (p *Programme) Version() string { return p.file.Programme.Version }

// Meta returns the programme's metadata.
func (p *Programme) Meta() Meta { return p.file.Programme }

// Fingerprint returns the SHA-256 of the programme's canonical form, after
// extends, overrides and drops are applied. Every assessment carries it,
// so that a decision can be replayed under the rules it was made under.
func (p *Programme) Fingerprint() string { return p.fingerprint }

// File returns the merged programme. It shares memory with p: treat it as
// read-only.
func (p *Programme) File() File { return p.file }

// Criteria returns the compiled criteria set.
func (p *Programme) Criteria() *criteria.Set { return p.set }

// Lifecycle returns the programme's authorization lifecycle, compiled from
// its lifecycle section with the programme's fingerprint and the criteria
// each authorization type depends on; nil when the programme sets no
// lifecycle section.
func (p *Programme) Lifecycle() *lifecycle.Machine { return p.lifecycle }

// Calendar returns the programme's calendar (working week and public
// holidays), or nil when the programme declares none.
func (p *Programme) Calendar() *calendar.Calendar { return p.calendar }

// Benefits returns the programme's benefit catalogue, or nil when the
// programme has no benefits section.
func (p *Programme) Benefits() *benefits.Catalogue { return p.benefits }

// benefitsConfig gives the benefits section the programme's declared facts
// too, so that eligibility rules can read them as facts.NAME; a fact the
// section declares itself takes precedence.
func benefitsConfig(c benefits.Config, facts []criteria.FactDecl) benefits.Config {
	declared := map[string]bool{}
	for _, f := range c.Facts {
		declared[f.Name] = true
	}
	c.Facts = append([]criteria.FactDecl(nil), c.Facts...)
	for _, f := range facts {
		if !declared[f.Name] {
			c.Facts = append(c.Facts, f)
		}
	}
	return c
}

// Holder describes the operator to the benefits catalogue as of a date:
// its lifecycle status, the authorization types it holds and those
// suspended, its grade, roles, business model and extra facts. Until a
// grant takes effect (EU DA Art 29: five days after the decision) the
// operator is described as an applicant under examination, so that no
// benefit of the status applies early. The caller adds what only it
// knows: the operator's risk level, its partner programme under an MRA,
// and the milestones reached.
func Holder(prof *Profile, a lifecycle.Authorization, asOf time.Time) benefits.Holder {
	h := benefits.Holder{Status: a.Status.String()}
	if prof != nil {
		h.Operator, h.Roles, h.BusinessModel, h.Facts = prof.OperatorID, prof.Roles, prof.BusinessModel, prof.Facts
	}
	if len(a.Types) > 0 && !a.EffectiveAt.IsZero() && dateOf(asOf).Before(a.EffectiveAt) {
		h.Status = lifecycle.StatusExamination.String()
		return h
	}
	for _, t := range a.Types {
		h.Types = append(h.Types, t.Type)
		if t.Suspended {
			h.Suspended = append(h.Suspended, t.Type)
		}
		if t.Grade != "" {
			h.Grade = t.Grade
		}
	}
	for _, d := range a.DeniedBenefits {
		h.Denied = append(h.Denied, d.Benefit)
	}
	if len(a.Types) > 0 && a.Expired(asOf) {
		// Past the term of validity with no renewal pending nothing is in
		// force, though the status waits for the officer's lapse.
		h.Suspended = slices.Clone(h.Types)
	}
	return h
}

// Risk returns the programme's risk model, or nil when the programme has
// no risk section.
func (p *Programme) Risk() *risk.Model { return p.risk }

// Selector returns the programme's declaration selectivity, or nil when
// the programme has no selectivity section.
func (p *Programme) Selector() *risk.Selector { return p.selector }

// MapRisk maps the risk of the operator of an assessment: the risk
// dimensions evaluated over its profile as of the assessment's date, and
// the risks its failed or partly met requirements raise.
func (p *Programme) MapRisk(ctx context.Context, prof *Profile, a *Assessment) (risk.Map, error) {
	if p.risk == nil {
		return risk.Map{}, errors.New("aeo: the programme has no risk section")
	}
	if prof == nil || a == nil {
		return risk.Map{}, errors.New("aeo: MapRisk needs a profile and its assessment")
	}
	facts, err := p.checkedFacts(prof)
	if err != nil {
		return risk.Map{}, err
	}
	return p.risk.Map(ctx, &env{Profile: prof, Date: a.AsOf, facts: facts}, a.Findings)
}

// Operator describes an operator to the selectivity profile from its
// lifecycle state as of a date: its status and the types in force, with
// the grade. The caller adds the partner programme under an MRA.
func Operator(id string, a lifecycle.Authorization, asOf time.Time) risk.Operator {
	op := risk.Operator{ID: id, Status: a.Status.String(), Types: a.ActiveTypes(asOf)}
	for _, t := range a.Types {
		if t.Grade != "" {
			op.Grade = t.Grade
		}
	}
	return op
}

// Sections reports which parts of the programme structure the programme
// defines, by the names phases.StructureSections uses: requirements,
// application, certification, validation, benefits, suspension, appeal.
func (p *Programme) Sections() []string {
	var out []string
	if len(p.file.Requirements) > 0 {
		out = append(out, "requirements")
	}
	lc := p.file.Lifecycle
	if lc != nil && (!lc.DecisionDeadline.IsZero() || !lc.AcceptanceDeadline.IsZero()) {
		out = append(out, "application")
	}
	if len(p.file.Authorizations) > 0 {
		out = append(out, "certification")
	}
	if p.benefits != nil {
		out = append(out, "benefits")
	}
	if lc != nil && !reflect.ValueOf(lc.Validation).IsZero() {
		out = append(out, "validation")
	}
	if lc != nil && !reflect.ValueOf(lc.Suspension).IsZero() {
		out = append(out, "suspension")
	}
	if lc != nil && !reflect.ValueOf(lc.Appeal).IsZero() {
		out = append(out, "appeal")
	}
	sort.Strings(out)
	return out
}

// An Assessment is a programme's reasoned recommendation on one operator
// as of a date. It recommends; it never grants: only an officer's
// recorded decision moves an authorization.
type Assessment struct {
	Programme   string `json:"programme"`
	Version     string `json:"version"`
	Fingerprint string `json:"fingerprint"`
	OperatorID  string `json:"operator_id"`
	Operator    string `json:"operator"`
	// View is "internal" for the full assessment, "operator" for what may
	// be shown to the applicant.
	View string `json:"view"`
	criteria.Result
}

// Assess evaluates prof against the programme as of asOf. Requirements
// whose facts the profile lacks are indeterminate. Assess returns an error
// only when ctx is done or the profile is invalid (an undeclared or
// mistyped extra fact, or a number that is NaN or infinite, which the
// decoder refuses in files but a Go caller may set), as a *ProfileError.
func (p *Programme) Assess(ctx context.Context, prof *Profile, asOf time.Time) (*Assessment, error) {
	a := &Assessment{}
	// The Result is new: Evaluate gives it without the memory kept for
	// reuse, and without copying it.
	fresh := func(ctx context.Context, s criteria.Subject, res *criteria.Result) error {
		r, err := p.set.Evaluate(ctx, s)
		*res = r
		return err
	}
	if err := p.assessInto(ctx, prof, asOf, a, fresh); err != nil {
		return nil, err
	}
	return a, nil
}

// DecideInto is AssessInto for replays that need the decisions alone: the
// findings' outcomes and points, the criteria and the recommendations,
// without the explanations (see criteria.Set.DecideInto).
func (p *Programme) DecideInto(ctx context.Context, prof *Profile, asOf time.Time, a *Assessment) error {
	return p.assessInto(ctx, prof, asOf, a, p.set.DecideInto)
}

// AssessInto is Assess writing into a and reusing its memory, for a host
// that replays a programme over many operators: one Assessment per
// goroutine, and almost no allocation per operator after the first.
// Everything a held before is overwritten.
func (p *Programme) AssessInto(ctx context.Context, prof *Profile, asOf time.Time, a *Assessment) error {
	return p.assessInto(ctx, prof, asOf, a, p.set.EvaluateInto)
}

// assessInto checks prof and assesses it into a with evaluate, one of the
// Set's ways of evaluating into a Result.
func (p *Programme) assessInto(ctx context.Context, prof *Profile, asOf time.Time, a *Assessment, evaluate func(context.Context, criteria.Subject, *criteria.Result) error) error {
	if prof == nil {
		return errors.New("aeo: Assess needs a profile")
	}
	facts, err := p.checkedFacts(prof)
	if err != nil {
		return err
	}
	e := &env{Profile: prof, Date: asOf, facts: facts}
	if err := evaluate(ctx, e, &a.Result); err != nil {
		return err
	}
	a.Programme, a.Version, a.Fingerprint = p.file.Programme.Name, p.file.Programme.Version, p.fingerprint
	a.OperatorID, a.Operator, a.View = prof.OperatorID, prof.Name, "internal"
	return nil
}

// convertFacts checks the profile's extra facts against the declarations
// and converts them to their declared types. It refuses a profile holding
// a number that is NaN or infinite, in an extra fact or a field.
func (p *Programme) convertFacts(prof *Profile) (map[string]any, error) {
	if err := prof.checkNumbers(); err != nil {
		return nil, err
	}
	in := prof.Facts
	if len(in) == 0 {
		return nil, nil
	}
	var pe ProfileError
	problem := func(name, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		pe.Problems = append(pe.Problems, fmt.Sprintf("fact %q: %s", name, msg))
		e := &diag.Error{Path: "facts." + name, Message: msg}
		if prof.doc != nil {
			prof.doc.Resolve(e)
		}
		pe.Errors = append(pe.Errors, e)
	}
	out := make(map[string]any, len(in))
	for _, name := range slices.Sorted(maps.Keys(in)) {
		t, ok := p.declared[name]
		if !ok {
			hint := ""
			if s := p.closestFact(name); s != "" {
				hint = fmt.Sprintf("; did you mean %q?", s)
			}
			problem(name, "the programme declares no such fact%s", hint)
			continue
		}
		if in[name] == nil {
			continue
		}
		v, err := rules.ConvertFact(t, in[name])
		if err != nil {
			problem(name, "%v", err)
			continue
		}
		if !criteria.Finite(v) {
			// not (facts.score < 80) is true on NaN.
			problem(name, "%v is not a finite number", v)
			continue
		}
		out[name] = v
	}
	if len(pe.Problems) > 0 {
		return nil, &pe
	}
	return out, nil
}

// checkedFacts checks prof against the programme, its extra facts as
// convertFacts does and its enumerated values against the vocabulary,
// and returns the facts converted to their declared types. Every problem
// is in one *ProfileError, placed in the profile's file when it was read
// from one.
func (p *Programme) checkedFacts(prof *Profile) (map[string]any, error) {
	facts, err := p.convertFacts(prof)
	vocab := p.vocab.checkProfile(prof)
	if len(vocab) == 0 {
		return facts, err
	}
	pe := &ProfileError{}
	var fe *ProfileError
	if errors.As(err, &fe) {
		pe.Problems, pe.Errors = slices.Clone(fe.Problems), slices.Clone(fe.Errors)
	}
	for _, e := range vocab {
		pe.Problems = append(pe.Problems, e.Error())
		if prof.doc != nil {
			prof.doc.Resolve(e)
		}
		pe.Errors = append(pe.Errors, e)
	}
	return nil, pe
}

// CheckProfile checks prof against the programme: its extra facts against
// the facts the programme declares, and its enumerated values (roles,
// business model, severities, kinds, countries, self-assessment answers)
// against the programme's vocabulary. It returns nil or a *ProfileError
// whose Errors name each problem by its path in the profile, and its
// line and column when the profile was read from a file. Assess checks
// the same.
func (p *Programme) CheckProfile(prof *Profile) error {
	if prof == nil {
		return errors.New("aeo: CheckProfile needs a profile")
	}
	_, err := p.checkedFacts(prof)
	return err
}

// LoadProfile reads a profile from a YAML or JSON file strictly, as the
// package's LoadProfile does, and checks it against the programme as
// CheckProfile does, so that a profile is refused at load with every
// problem at its line and column.
func (p *Programme) LoadProfile(name string) (*Profile, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("aeo: %w", err)
	}
	return p.ParseProfile(name, data)
}

// ParseProfile is LoadProfile from data, the contents of a file called
// name.
func (p *Programme) ParseProfile(name string, data []byte) (*Profile, error) {
	prof, err := ParseProfile(name, data)
	if err != nil {
		return nil, err
	}
	if err := p.CheckProfile(prof); err != nil {
		return nil, err
	}
	return prof, nil
}

// closestFact returns the declared fact nearest to name, for a typo.
func (p *Programme) closestFact(name string) string {
	best, bestD := "", 3
	for _, d := range slices.Sorted(maps.Keys(p.declared)) {
		if n := suggest.Distance(name, d); n < bestD {
			best, bestD = d, n
		}
	}
	return best
}

// Ref returns what the lifecycle needs of the assessment to allow a grant:
// the programme fingerprint, the date, each authorization type the
// assessment recommends with its grade, and the requirements still to be
// verified on site, which the validation must cover before the grant.
func (a *Assessment) Ref() lifecycle.AssessmentRef {
	ref := lifecycle.AssessmentRef{Fingerprint: a.Fingerprint, AsOf: a.AsOf, VerifyOnSite: slices.Clone(a.VerifyOnSite)}
	for _, au := range a.Authorizations {
		if au.Recommendation == criteria.Recommend {
			ref.Recommended = append(ref.Recommended, lifecycle.TypeGrade{Type: au.ID, Grade: au.Grade})
		}
	}
	return ref
}

// OperatorView returns the assessment as it may be shown to the operator:
// without internal messages, fact values or internal reasons.
func (a *Assessment) OperatorView() *Assessment {
	out := *a
	out.View = "operator"
	out.Result = a.Result.OperatorView()
	return &out
}

// profileFunctions are the functions over the profile rule authors may
// call besides expr's builtins and the date helpers.
func profileFunctions() []criteria.Function {
	return []criteria.Function{
		{
			Name:    "has_cert",
			Doc:     `has_cert("ISO 28000"): whether the operator holds a certification of that kind valid on the assessment date`,
			Subject: true,
			Types:   []any{new(func(any, string) bool)},
			Fn: func(args ...any) (any, error) {
				e, ok := args[0].(*env)
				if !ok {
					return nil, fmt.Errorf("has_cert: no profile")
				}
				_, held := e.Certification(args[1].(string), nil)
				return held, nil
			},
		},
		{
			Name:    "has_cert_from",
			Doc:     `has_cert_from("AEO", "US CBP"): whether the operator holds a certification of that kind from that issuer valid on the assessment date`,
			Subject: true,
			Types:   []any{new(func(any, string, string) bool)},
			Fn: func(args ...any) (any, error) {
				e, ok := args[0].(*env)
				if !ok {
					return nil, fmt.Errorf("has_cert_from: no profile")
				}
				_, held := e.Certification(args[1].(string), []string{args[2].(string)})
				return held, nil
			},
		},
	}
}
