package aeotest

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/risk"
)

// Fixtures are a rule author's test cases for a programme: operator
// profiles with an assessment date and the outcomes the programme must give.
// They are written as YAML or JSON next to the programme file.
type Fixtures struct {
	// Programme is the programme file the cases test, relative to the
	// fixtures file; tools may also be given it directly.
	Programme string `json:"programme,omitempty"`
	// Base is a profile every case starts from; a case's profile is laid
	// over it key by key (mappings merge, lists and values replace).
	Base map[string]any `json:"base,omitempty"`
	// BaseFile names a profile file to use as Base, relative to the
	// fixtures file.
	BaseFile string `json:"base_file,omitempty"`
	Cases    []Case `json:"cases"`

	doc *decode.Doc // the file, to point at a key in it (see position.go)
}

// A Case is one fixture: a profile, a date and what is expected.
type Case struct {
	Name string `json:"name"`
	// Description says what the case proves, in the author's words.
	Description string    `json:"description,omitempty"`
	AsOf        time.Time `json:"as_of"`
	// Profile is laid over the fixtures' base profile.
	Profile map[string]any `json:"profile,omitempty"`
	// ProfileFile names a profile file, relative to the fixtures file,
	// used instead of the base.
	ProfileFile string `json:"profile_file,omitempty"`
	Expect      Expect `json:"expect"`
	// Lifecycle is a sequence of events applied, in order, to a new
	// authorization under the programme's lifecycle, each with the status
	// it must lead to or the rule that must refuse it.
	Lifecycle []Step `json:"lifecycle,omitempty"`
	// Declarations are declarations of this operator put through the
	// programme's selectivity, each with the lane it must get.
	Declarations []DeclarationCase `json:"declarations,omitempty"`
	// doc and path locate the case in its file, for problems found when
	// it runs (an application dated before the first version of a
	// programme set).
	doc  *decode.Doc
	path string
	// Holder describes the operator's AEO standing for the benefits and
	// lanes of the case, as of AsOf; without it, the standing is the
	// state the lifecycle steps end in, as of the last step (or none), or
	// when there are none, what the imports give the registry of partner
	// statuses.
	Holder *CaseHolder `json:"holder,omitempty"`
	// Imports are exchange files imported, in order, into a registry of
	// the programme's partner statuses, each accepted or refused as it
	// says.
	Imports []ImportCase `json:"imports,omitempty"`
	// Vendor is a non-resident vendor's application to the programme's
	// register, with its registration events; declarations of the case
	// that name the vendor read its registration from them.
	Vendor *VendorCase `json:"vendor,omitempty"`

	// File and Line are where the case starts in its fixtures file, when
	// it was read from one.
	File string `json:"-"`
	Line int    `json:"-"`
	at   caseAt // the case's place in its file (see position.go)

	// profile is the case's profile as the strict decoder read it from
	// the fixtures file (and the profile files it names), and layers
	// where each part of it was written, so that a problem in it is
	// reported at its line and column; nil for a case built in Go.
	profile    *aeo.Profile
	layers     []layer
	profileErr diag.List
}

// A layer is one part of a case's profile as written in a file: the value
// at path in doc (the whole document when path is empty).
type layer struct {
	doc  *decode.Doc
	path string
}

// OperatorProfile returns the case's operator profile. A case read from a
// fixtures file has it as the strict decoder read it, with the same
// types, date format and checks as aeo.LoadProfile; a case built in Go
// has it from Profile, through aeo.ProfileFromMap. The profile shares
// memory with the case: treat it as read-only.
func (c Case) OperatorProfile() (*aeo.Profile, error) {
	if len(c.profileErr) > 0 {
		return nil, c.profileErr
	}
	if c.profile != nil {
		p := *c.profile
		return &p, nil
	}
	return aeo.ProfileFromMap(c.Profile)
}

// locate gives e, a problem at a path in the case's profile, the file,
// line and column of the layer that wrote the value (at its key, for a
// mapping entry), the last layer that has it winning as it did when the
// layers were laid over each other.
func (c Case) locate(e *diag.Error) {
	for i := len(c.layers) - 1; i >= 0; i-- {
		l := c.layers[i]
		full := diag.Join(l.path, e.Path)
		if line, col, ok := l.doc.KeyPosition(full); ok || i == 0 {
			e.Path, e.File, e.Line, e.Column = full, l.doc.File, line, col
			return
		}
	}
}

// Check checks every case's profile against p (its declared facts and
// its vocabulary: roles, business model, severities, ...), as Assess
// will, and reports every problem at once with the line and column where
// the fixture wrote the value.
func (fx *Fixtures) Check(p *aeo.Programme) error {
	var errs diag.List
	seen := map[string]bool{}
	for _, c := range fx.Cases {
		// A problem of the base is every case's: reported once.
		for _, e := range c.check(p) {
			if !seen[e.Error()] {
				seen[e.Error()] = true
				errs = append(errs, e)
			}
		}
	}
	errs.Sort()
	return errs.Err()
}

// check returns the problems of the case's profile against p, located.
func (c Case) check(p *aeo.Programme) diag.List {
	prof, err := c.OperatorProfile()
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			return list
		}
		return diag.List{{Path: "profile", Message: err.Error()}}
	}
	err = p.CheckProfile(prof)
	var pe *aeo.ProfileError
	if !errors.As(err, &pe) {
		if err != nil {
			return diag.List{{Path: "profile", Message: err.Error()}}
		}
		return nil
	}
	out := make(diag.List, len(pe.Errors))
	for i, e := range pe.Errors {
		c2 := *e
		c.locate(&c2)
		out[i] = &c2
	}
	return out
}

// A CaseHolder is the AEO standing of a fixture's operator when no
// lifecycle steps establish it.
type CaseHolder struct {
	Status    string   `json:"status"`
	Types     []string `json:"types,omitempty"`
	Suspended []string `json:"suspended,omitempty"`
	Grade     string   `json:"grade,omitempty"`
	// Partner is the partner programme the operator is a member of,
	// under a mutual recognition arrangement, and PartnerTypes the types
	// it holds in force there.
	Partner      string   `json:"partner,omitempty"`
	PartnerTypes []string `json:"partner_types,omitempty"`
	// Vendor is the operator's registration as a non-resident vendor:
	// registered, suspended, struck_off or none.
	Vendor    string `json:"vendor,omitempty"`
	RiskLevel string `json:"risk_level,omitempty"`
	// Milestones reached by the implementation plan, by name, with dates.
	Milestones map[string]time.Time `json:"milestones,omitempty"`
}

// A DeclarationCase is one declaration of a fixture and the lane it must
// get; Rule, when given, is the rule that must decide it.
type DeclarationCase struct {
	Declaration risk.Declaration `json:"declaration"`
	Lane        risk.Lane        `json:"lane"`
	Rule        string           `json:"rule,omitempty"`
}

// A Step is one lifecycle event of a fixture and what it must do.
type Step struct {
	Event lifecycle.Event `json:"event"`
	// UseAssessment attaches the case's own assessment (its fingerprint,
	// date and recommendations) to the event, as a grant needs; AssessOn,
	// when given, makes that assessment of the case's profile on another
	// day (a review after a change the holder notified).
	UseAssessment bool      `json:"use_assessment,omitempty"`
	AssessOn      time.Time `json:"assess_on,omitzero"`
	// Status is the status the event must lead to.
	Status lifecycle.Status `json:"status,omitempty"`
	// Refused names the rule that must refuse the event ("four-eyes",
	// "reapply_bar.after_revocation", ...); the status must then stay as
	// it was.
	Refused string `json:"refused,omitempty"`
	// Dates are dates of the state the event leads to, by the keys of
	// StateDates: decision_due, effective, valid_until, bar_ends.AEOC...
	Dates map[string]Date `json:"dates,omitempty"`
	// Due lists items of the lifecycle's Due as of the event's day, by
	// rule ("decision_deadline") or rule and type ("suspension.period
	// AEOS"), each with its date, or none for an item that must not be
	// due.
	Due map[string]Date `json:"due,omitempty"`
}

// Checked reports whether the step states any expectation. A step that
// states none is applied and not checked.
func (s Step) Checked() bool {
	return s.Status != lifecycle.StatusNone || s.Refused != "" || len(s.Dates) > 0 || len(s.Due) > 0
}

// Expect lists expected outcomes; anything not listed is not checked.
type Expect struct {
	// Requirements maps a requirement ID to its expected outcome (met,
	// partly, not_met, indeterminate, not_applicable, equivalent).
	Requirements map[string]criteria.Outcome `json:"requirements,omitempty"`
	// Criteria maps a criterion ID to its expected outcome.
	Criteria map[string]criteria.Outcome `json:"criteria,omitempty"`
	// Authorizations maps an authorization ID to the expected
	// recommendation and, optionally, grade.
	Authorizations map[string]ExpectAuthorization `json:"authorizations,omitempty"`
	// Scores maps a criterion ID to its expected score (from its score or
	// measure), to within 0.005.
	Scores map[string]float64 `json:"scores,omitempty"`
	// Points maps an authorization ID to the expected points total of its
	// requirements, to within 0.005.
	Points map[string]float64 `json:"points,omitempty"`
	// RiskLevel is the expected level of the operator's risk map.
	RiskLevel string `json:"risk_level,omitempty"`
	// Benefits maps a benefit ID to its expected status (granted,
	// not_eligible, suspended, not_yet_introduced, cannot_decide) as of
	// the case's date.
	Benefits map[string]benefits.Status `json:"benefits,omitempty"`
	// Due lists items of the lifecycle's Due for the state the case's
	// steps end in, as of DueAsOf (default: the case's date or the last
	// step's, whichever is later), as Step.Due does.
	Due     map[string]Date `json:"due,omitempty"`
	DueAsOf time.Time       `json:"due_as_of,omitzero"`
	// Version is the version of a programme set the case must be
	// decided under (its programme.version).
	Version string `json:"version,omitempty"`
	// Competence is the member of the programme's customs union competent
	// for the case's operator, or refused when the union's rules name no
	// member, or two.
	Competence string `json:"competence,omitempty"`
	// Partner is what the registry of partner statuses, after the
	// case's imports, says of the case's operator as of the case's date.
	Partner *ExpectPartner `json:"partner,omitempty"`
	// Resolves maps declarants (establishments, subsidiaries) to the
	// operator whose status covers them: the case's entity, or
	// themselves.
	Resolves map[string]string `json:"resolves,omitempty"`
}

// ExpectPartner is the expected standing of an operator in the registry
// of partner statuses.
type ExpectPartner struct {
	Recognised bool     `json:"recognised"`
	Status     string   `json:"status,omitempty"`
	Types      []string `json:"types,omitempty"`
}

// ExpectAuthorization is the expected recommendation on an authorization.
// In a fixture file it is written either as the recommendation alone
// ("recommend") or as a mapping with recommendation and grade.
type ExpectAuthorization struct {
	Recommendation criteria.Recommendation `json:"recommendation"`
	Grade          string                  `json:"grade,omitempty"`
}

// UnmarshalText accepts the short form: a recommendation alone.
func (e *ExpectAuthorization) UnmarshalText(b []byte) error {
	return e.Recommendation.UnmarshalText(b)
}

// LoadFixtures reads a fixtures file and the profile files it names. Every
// problem is reported at once, with file, line and column.
func LoadFixtures(name string) (*Fixtures, error) {
	dir, base := filepath.Split(name)
	if dir == "" {
		dir = "."
	}
	return loadFixtures(os.DirFS(dir), base, strings.TrimPrefix(filepath.ToSlash(dir), "./"))
}

// ParseFixtures reads fixtures from data, the contents of a file called
// name. Profile files the fixtures name are read from fsys, relative to
// name; fsys may be nil when they name none.
func ParseFixtures(fsys fs.FS, name string, data []byte) (*Fixtures, error) {
	return parseFixtures(fsys, name, "", data)
}

func loadFixtures(fsys fs.FS, name, prefix string) (*Fixtures, error) {
	if prefix == "." {
		prefix = ""
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("aeotest: %w", err)
	}
	return parseFixtures(fsys, name, prefix, data)
}

func parseFixtures(fsys fs.FS, name, prefix string, data []byte) (*Fixtures, error) {
	var fx Fixtures
	doc, err := decode.Parse(prefix+name, data)
	if err != nil {
		return nil, err
	}
	errs := doc.Decode(&fx)
	// readProfile reads a profile file as a mapping (for Base and
	// Profile) and as a document for the strict decoder.
	readProfile := func(p, at string) (map[string]any, *decode.Doc) {
		if fsys == nil {
			e := &diag.Error{Path: at, Message: "profile files cannot be read here"}
			doc.Resolve(e)
			errs = append(errs, e)
			return nil, nil
		}
		file := path.Join(path.Dir(name), p)
		b, err := fs.ReadFile(fsys, file)
		if err != nil {
			e := &diag.Error{Path: at, Message: err.Error()}
			doc.Resolve(e)
			errs = append(errs, e)
			return nil, nil
		}
		pdoc, err := decode.Parse(prefix+file, b)
		if err != nil {
			var list diag.List
			if errors.As(err, &list) {
				errs = append(errs, list...)
			} else {
				errs = append(errs, &diag.Error{File: prefix + file, Line: 1, Column: 1, Message: err.Error()})
			}
			return nil, nil
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			errs = append(errs, &diag.Error{File: prefix + file, Line: 1, Column: 1, Message: err.Error()})
		}
		return m, pdoc
	}
	// The layers of the base profile: the base file, then base.
	var base []layer
	if fx.BaseFile != "" {
		m, pdoc := readProfile(fx.BaseFile, "base_file")
		fx.Base = merge(m, fx.Base)
		if pdoc != nil {
			base = append(base, layer{doc: pdoc})
		}
	}
	fx.doc = doc
	if _, ok := doc.Locate("base"); ok {
		base = append(base, layer{doc: doc, path: "base"})
	}
	names := map[string]bool{}
	for i := range fx.Cases {
		c := &fx.Cases[i]
		p := diag.Index("cases", i)
		c.at = caseAt{fx: &fx, index: i}
		c.File, c.Line = doc.File, c.at.line(nil)
		if c.Name == "" {
			errs.Add(p, "a case needs a name")
		} else if names[c.Name] {
			errs.Add(diag.Join(p, "name"), "case %q defined twice", c.Name)
		}
		names[c.Name] = true
		if c.AsOf.IsZero() {
			errs.Add(p, "as_of is required: the date the case is assessed on")
		}
		for j, st := range c.Lifecycle {
			for _, k := range slices.Sorted(maps.Keys(st.Dates)) {
				if err := checkDateKey(k); err != nil {
					errs.Add(diag.Join(diag.Index(diag.Join(p, "lifecycle"), j), "dates."+k), "%v", err)
				}
			}
		}
		if len(c.Expect.Due) == 0 && !c.Expect.DueAsOf.IsZero() {
			errs.Add(diag.Join(p, "expect.due_as_of"), "due_as_of dates the expect.due items; list them")
		}
		c.doc, c.path = doc, p
		layers := base
		if c.ProfileFile != "" {
			m, pdoc := readProfile(c.ProfileFile, diag.Join(p, "profile_file"))
			c.Profile = merge(m, c.Profile)
			layers = nil
			if pdoc != nil {
				layers = []layer{{doc: pdoc}}
			}
		} else {
			c.Profile = merge(fx.Base, c.Profile)
		}
		// The strict decoder reads the case's profile from the files, so
		// that it takes the types and checks aeo.LoadProfile does. A
		// problem in it is the case's, reported where it was written when
		// the case runs (and by Check), not a reason to refuse the file.
		prof := &aeo.Profile{}
		var perrs diag.List
		for _, l := range layers {
			perrs = append(perrs, l.doc.DecodeAt(l.path, prof)...)
		}
		at := diag.Join(p, "profile")
		if _, ok := doc.Locate(at); ok {
			layers = append(slices.Clone(layers), layer{doc: doc, path: at})
			perrs = append(perrs, doc.DecodeAt(at, prof)...)
		}
		perrs.Sort()
		c.profile, c.layers, c.profileErr = prof, layers, perrs
		for j := range c.Imports {
			at := diag.Index(diag.Join(p, "imports"), j)
			errs = append(errs, c.Imports[j].read(fsys, name, prefix, at)...)
		}
		if c.Vendor != nil {
			errs = append(errs, c.Vendor.decode(diag.Join(p, "vendor"))...)
		}
	}
	for _, e := range errs {
		if e.Line == 0 {
			doc.Resolve(e)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &fx, nil
}

// merge lays over on top of base: mappings merge key by key, anything
// else replaces. Neither argument is modified.
func merge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		bm, ok1 := out[k].(map[string]any)
		om, ok2 := v.(map[string]any)
		if ok1 && ok2 {
			out[k] = merge(bm, om)
			continue
		}
		out[k] = v
	}
	return out
}

// position returns "file:line:col: path" for a path inside the case
// ("lifecycle[0].event.at"), or the path alone when the case was not read
// from a file.
func (c Case) position(path string) string {
	full := diag.Join(c.path, path)
	if c.doc == nil {
		return full
	}
	e := &diag.Error{Path: full}
	c.doc.Resolve(e)
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, full)
}
