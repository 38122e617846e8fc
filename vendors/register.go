// Package vendors is a programme's register of non-resident vendors:
// sellers abroad, and e-commerce platforms, that sell into the country
// without a legal presence in it.
//
// The WCO note on applying the AEO concept to e-commerce stakeholders
// offers administrations three ways to reach such vendors: through the
// fulfilment centres that represent them (option 1), through customs
// mutual administrative assistance agreements and MRAs with the vendor's
// own administration (option 2), and through "a registration system of
// foreign vendors and e-commerce platforms/marketplaces", as in the
// seller/vendor collection approach, where "the non-resident vendor would
// be required to assess, collect and remit duty and taxes" (option 3),
// which "combining ... with Option 2" may support. This package is option
// 3: the registration requirements are rules of the programme (the
// programme file's vendors section), each vendor's application is
// assessed against them as an operator's is against the criteria, and a
// registration has a lifecycle of its own, in which an officer registers,
// suspends, reinstates and strikes off. Option 2 is the partner registry
// of package exchange, whose standing a vendor's application and a
// declaration's vendor may carry.
//
// As elsewhere, the engine recommends and Customs decides: an assessment
// recommends a registration, and only an officer's register event, resting
// on it, registers.
package vendors

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/rules"
)

// Config is the vendors section of a programme file: the requirements a
// non-resident vendor must meet to be registered, and the time rules of a
// registration. It is plain data. The zero value has no requirements, and
// Compile refuses it: a register without requirements would register
// anyone.
type Config struct {
	// Title names the register, e.g. "Register of non-resident vendors".
	Title string `json:"title,omitempty"`
	// Facts declares extra facts of an application, read as facts.NAME.
	Facts []criteria.FactDecl `json:"facts,omitempty"`
	// Requirements are the registration requirements, each a rule over the
	// vendor's application; every one must be met.
	Requirements []Requirement `json:"requirements"`
	// ReregistrationBar: after a vendor is struck off, a new registration
	// is refused for this period, counted from the striking off.
	ReregistrationBar calendar.Period `json:"reregistration_bar,omitzero"`
	// Source is the legal basis of the register.
	Source     string `json:"source,omitempty"`
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// A Requirement is one registration requirement.
type Requirement struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text,omitempty"`
	// When is the condition under which it is met, over the application
	// (see [Application] for the names it may read).
	When string `json:"when"`
	// AppliesIf, when given, limits the requirement to the applications
	// for which it holds.
	AppliesIf string `json:"applies_if,omitempty"`
	// Source is required, so that every rule can be audited.
	Source     string `json:"source"`
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
	// Operator is what a vendor that does not meet the requirement is
	// told.
	Operator string `json:"operator,omitempty"`
}

// An Application is a non-resident vendor's application for registration,
// as rules read it (by the expr names). Optional facts are pointers,
// slices or maps: nil means not supplied, and a requirement that reads one
// is indeterminate. The zero value is an empty application.
type Application struct {
	ID      string `json:"id" expr:"id"`
	Name    string `json:"name,omitempty" expr:"name"`
	Country string `json:"country,omitempty" expr:"country"`
	// TIN is its trader identification number, where it has one.
	TIN string `json:"tin,omitempty" expr:"tin"`
	// TaxRegistration is its registration with the customs or tax
	// administration for the collection of duties and taxes on its sales.
	TaxRegistration string `json:"tax_registration,omitempty" expr:"tax_registration"`
	// CollectsDuties reports that it assesses, collects and remits the
	// duties and taxes on its sales (the seller/vendor collection
	// approach).
	CollectsDuties *bool `json:"collects_duties,omitempty" expr:"collects_duties"`
	// Representative is its representative in the country, if any.
	Representative string `json:"representative,omitempty" expr:"representative"`
	// Platforms are the e-commerce platforms it sells through.
	Platforms []string `json:"platforms,omitempty" expr:"platforms"`
	// Partner and PartnerAEO are the partner programme whose AEO status it
	// holds and whether that status is recognised (as the partner
	// registry's standing gives it, under a CMAA or an MRA).
	Partner    string `json:"partner,omitempty" expr:"partner"`
	PartnerAEO *bool  `json:"partner_aeo,omitempty" expr:"partner_aeo"`
	// Facts holds the extra facts the vendors section declares.
	Facts map[string]any `json:"facts,omitempty" expr:"-"`
}

// env is what registration requirements read: the application as of a
// date.
type env struct {
	*Application
	Date  time.Time      `expr:"as_of"`
	facts map[string]any // the declared facts, converted to their types
}

func (e *env) AsOf() time.Time                               { return e.Date }
func (e *env) HasRole(string) (bool, bool)                   { return false, false }
func (e *env) BusinessModel() (string, bool)                 { return "", false }
func (e *env) SME() (bool, bool)                             { return false, false }
func (e *env) Certification(string, []string) (string, bool) { return "", false }
func (e *env) Fact(name string) (any, bool)                  { v, ok := e.facts[name]; return v, ok && v != nil }

// criterionID and authorizationID are the criterion and the authorization
// the requirements are compiled under.
const (
	criterionID     = "registration"
	authorizationID = "registration"
)

// A Register is a compiled vendors section. It is immutable and safe for
// concurrent use by multiple goroutines; the registrations themselves
// ([State]) are the caller's to keep.
type Register struct {
	cfg         Config
	set         *criteria.Set
	fingerprint string
	cal         *calendar.Calendar
	declared    map[string]rules.FactType
}

// An Option configures [Compile].
type Option func(*options)

type options struct {
	cal              *calendar.Calendar
	maxNodes, memory uint
}

// WithCalendar sets the calendar the re-registration bar is counted in.
func WithCalendar(c *calendar.Calendar) Option { return func(o *options) { o.cal = c } }

// WithMaxNodes bounds the size of each expression.
func WithMaxNodes(n uint) Option { return func(o *options) { o.maxNodes = n } }

// WithMemoryBudget bounds what one expression may allocate in one
// evaluation.
func WithMemoryBudget(n uint) Option { return func(o *options) { o.memory = n } }

// Compile checks cfg and compiles its requirements, for the programme
// version with the given fingerprint (a registration rests on an
// assessment of that version). It reports every problem as a diag.List
// whose paths are relative to the vendors section.
func Compile(cfg Config, fingerprint string, opts ...Option) (*Register, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var errs diag.List
	if strings.TrimSpace(fingerprint) == "" {
		return nil, errors.New("vendors: the register needs the fingerprint of the programme version")
	}
	if len(cfg.Requirements) == 0 {
		errs.Add("requirements", "list the registration requirements: a register without them would register anyone")
	}
	if cfg.ReregistrationBar.Negative() {
		errs.Add("reregistration_bar", "period %s is negative", cfg.ReregistrationBar)
	}
	cc := criteria.Config{
		Facts:          cfg.Facts,
		Criteria:       []criteria.Criterion{{ID: criterionID, Title: criteria.NewText("Registration of non-resident vendors"), Source: cfg.Source}},
		Authorizations: []criteria.Authorization{{ID: authorizationID, Title: criteria.NewText("Registration")}},
	}
	for _, r := range cfg.Requirements {
		cc.Requirements = append(cc.Requirements, criteria.Requirement{
			ID: r.ID, Criterion: criterionID, Title: criteria.NewText(r.Title), Text: criteria.NewText(r.Text), When: r.When, AppliesIf: r.AppliesIf,
			Source: r.Source, Unverified: r.Unverified, Note: r.Note, Messages: criteria.Messages{Operator: criteria.NewText(r.Operator)},
		})
	}
	set, err := criteria.Compile(cc, criteria.WithEnv(&env{}), criteria.WithMaxNodes(o.maxNodes), criteria.WithMemoryBudget(o.memory))
	if err != nil {
		var list diag.List
		if !errors.As(err, &list) {
			return nil, err
		}
		errs = append(errs, list...)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	cfg.Facts, cfg.Requirements = slices.Clone(cfg.Facts), slices.Clone(cfg.Requirements)
	r := &Register{cfg: cfg, set: set, fingerprint: fingerprint, cal: o.cal, declared: map[string]rules.FactType{}}
	for _, f := range cfg.Facts {
		r.declared[f.Name] = rules.FactType(f.Type)
	}
	if r.cal == nil {
		if p := cfg.ReregistrationBar; p.WorkingDays != 0 || p.Roll == calendar.RollNext || p.Roll == calendar.RollPrevious {
			return nil, diag.List{{Path: "reregistration_bar", Message: fmt.Sprintf("period %s counts working days or rolls: the programme needs a calendar", p)}}
		}
		r.cal = calendar.MustCompile(calendar.Config{})
	}
	return r, nil
}

// Config returns the configuration r was compiled from; treat its slices
// as read-only.
func (r *Register) Config() Config { return r.cfg }

// Fingerprint returns the fingerprint of the programme version.
func (r *Register) Fingerprint() string { return r.fingerprint }

// An Assessment is the register's recommendation on one application as of
// a date, with a finding per requirement. It recommends; only an officer's
// register event registers.
type Assessment struct {
	Vendor         string                  `json:"vendor"`
	Fingerprint    string                  `json:"fingerprint"`
	AsOf           time.Time               `json:"as_of"`
	Recommendation criteria.Recommendation `json:"recommendation"`
	Findings       []criteria.Finding      `json:"findings"`
	// Reason explains a recommendation that is not to register.
	Reason string `json:"reason,omitempty"`
}

// Finding returns the finding of requirement id.
func (a *Assessment) Finding(id string) (criteria.Finding, bool) {
	for _, f := range a.Findings {
		if f.Requirement == id {
			return f, true
		}
	}
	return criteria.Finding{}, false
}

// Ref returns what a register event needs of the assessment.
func (a *Assessment) Ref() Ref {
	return Ref{Fingerprint: a.Fingerprint, AsOf: a.AsOf, Recommended: a.Recommendation == criteria.Recommend}
}

// Assess assesses app against the registration requirements as of asOf. A
// requirement whose facts the application lacks is indeterminate, and the
// recommendation then pending. It returns an error only when ctx is done
// or app is nil.
func (r *Register) Assess(ctx context.Context, app *Application, asOf time.Time) (*Assessment, error) {
	if app == nil {
		return nil, errors.New("vendors: Assess needs an application")
	}
	facts := map[string]any{}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(app.Facts)) {
		t, ok := r.declared[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("fact %q: the vendors section declares no such fact", name))
		case app.Facts[name] == nil:
		default:
			v, err := rules.ConvertFact(t, app.Facts[name])
			if err != nil {
				problems = append(problems, fmt.Sprintf("fact %q: %v", name, err))
				continue
			}
			facts[name] = v
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("vendors: invalid application %s: %s", app.ID, strings.Join(problems, "; "))
	}
	res, err := r.set.Evaluate(ctx, &env{Application: app, Date: asOf, facts: facts})
	if err != nil {
		return nil, err
	}
	a := &Assessment{Vendor: app.ID, Fingerprint: r.fingerprint, AsOf: asOf, Findings: res.Findings}
	for _, au := range res.Authorizations {
		if au.ID == authorizationID {
			a.Recommendation, a.Reason = au.Recommendation, au.Why()
		}
	}
	return a, nil
}
