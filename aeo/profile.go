package aeo

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
)

// A Profile is what an application for AEO status carries: who the
// operator is, what it does, its compliance record, records, finances,
// certifications, sites, security measures and self-assessment. It is
// JSON-tagged so that a host can store and exchange it; rule authors read
// its fields in expressions under the same names (the `expr` tags).
//
// Optional facts are pointers, slices or maps: nil means the fact was not
// supplied, and a requirement that reads it is indeterminate, never met or
// not met by default. An empty slice means "supplied, and there are none"
// (no infringements). The zero value is an empty application.
type Profile struct {
	OperatorID string `json:"operator_id" expr:"operator_id"`
	// TIN is the operator's trader identification number (an EORI), as
	// exchange records give it.
	TIN     string `json:"tin,omitempty" expr:"tin"`
	Name    string `json:"name" expr:"name"`
	Country string `json:"country,omitempty" expr:"country"`
	// Roles in the supply chain: importer, exporter, carrier,
	// customs_broker, warehouse, port_operator, logistics_operator,
	// manufacturer, freight_forwarder, ecommerce_platform,
	// fulfilment_centre, postal_operator, express_carrier, vendor (a
	// seller on an e-commerce platform).
	Roles []string `json:"roles,omitempty" expr:"roles"`
	// BusinessModel is the e-commerce business model of the WCO note:
	// "1" (self-run), "2" (half-run), "3" (platform or marketplace), "4-1",
	// "4-2", "4-3" (fulfilment centre offshore, in a free zone, domestic).
	BusinessModel string `json:"business_model,omitempty" expr:"business_model"`
	// SME reports whether the operator is a small or medium-sized
	// enterprise under national law.
	SME       *bool `json:"sme,omitempty" expr:"sme"`
	Employees *int  `json:"employees,omitempty" expr:"employees"`
	// Established is the date the operator started trading; years_trading
	// is derived from it when not given.
	Established  time.Time `json:"established,omitempty" expr:"established"`
	YearsTrading *int      `json:"years_trading,omitempty" expr:"years_trading"`
	// DeclarationsPerYear is the number of import and export declarations
	// in the last year (India admits entities with 25 or more).
	DeclarationsPerYear *int `json:"declarations_per_year,omitempty" expr:"declarations_per_year"`

	Compliance     *Compliance       `json:"compliance,omitempty" expr:"compliance"`
	Records        *Records          `json:"records,omitempty" expr:"records"`
	Financials     []FinancialYear   `json:"financials,omitempty" expr:"financials"`
	Certifications []Certification   `json:"certifications,omitempty" expr:"certifications"`
	Audits         []Audit           `json:"audits,omitempty" expr:"audits"`
	Sites          []Site            `json:"sites,omitempty" expr:"sites"`
	Security       *Security         `json:"security,omitempty" expr:"security"`
	Personnel      *Personnel        `json:"personnel,omitempty" expr:"personnel"`
	Competence     *Competence       `json:"competence,omitempty" expr:"competence"`
	Partners       []TradingPartner  `json:"partners,omitempty" expr:"partners"`
	Incidents      []Incident        `json:"incidents,omitempty" expr:"incidents"`
	SelfAssessment map[string]string `json:"self_assessment,omitempty" expr:"self_assessment"`
	// Establishments are the operator's establishments (branches, sites):
	// parts of the same legal entity, which its authorization covers
	// where the programme says (entities.covers). Subsidiaries are the IDs
	// of its subsidiaries, entities of their own that it never covers.
	// EstablishmentOf names the entity the applicant is an establishment
	// of, when it applies as one.
	Establishments  []Establishment   `json:"establishments,omitempty" expr:"establishments"`
	Subsidiaries    []string          `json:"subsidiaries,omitempty" expr:"subsidiaries"`
	EstablishmentOf *EstablishmentRef `json:"establishment_of,omitempty" expr:"establishment_of"`
	// Facts holds the extra facts a programme declares, by name.
	Facts map[string]any `json:"facts,omitempty" expr:"-"`

	// doc is the file the profile was read from, to report a problem
	// found later (an undeclared fact) at its line.
	doc *decode.Doc
}

// Compliance is the operator's record with Customs and tax authorities.
type Compliance struct {
	// Infringements lists established infringements of customs and tax
	// rules and criminal offences, by the applicant and its designated
	// persons. An empty list means a clean record.
	Infringements []Infringement `json:"infringements" expr:"infringements"`
	// UnpaidDuties reports overdue duties or taxes.
	UnpaidDuties *bool `json:"unpaid_duties,omitempty" expr:"unpaid_duties"`
	// DesignatedPersonsChecked reports that the persons in charge of the
	// applicant and of its customs matters were checked too.
	DesignatedPersonsChecked *bool `json:"designated_persons_checked,omitempty" expr:"designated_persons_checked"`
	// DeclarationQuality reports a quality-assurance system for
	// declarations.
	DeclarationQuality *bool `json:"declaration_quality,omitempty" expr:"declaration_quality"`
	// ComplianceScore is a national compliance score where the
	// administration keeps one (Korea's legal-compliance score).
	ComplianceScore *float64 `json:"compliance_score,omitempty" expr:"compliance_score"`
}

// An Infringement is one established infringement or offence.
type Infringement struct {
	Date time.Time `json:"date" expr:"date"`
	// Severity is minor, serious, repeated or criminal.
	Severity string `json:"severity" expr:"severity"`
	// Kind is customs, tax or criminal.
	Kind string `json:"kind,omitempty" expr:"kind"`
	// Person is applicant, or the role of the designated person.
	Person      string `json:"person,omitempty" expr:"person"`
	Description string `json:"description,omitempty" expr:"description"`
	// Disclosed reports voluntary disclosure; Corrected corrective action.
	Disclosed bool `json:"disclosed,omitempty" expr:"disclosed"`
	Corrected bool `json:"corrected,omitempty" expr:"corrected"`
}

// Records describes the system for managing commercial records.
type Records struct {
	AuditTrail       *bool `json:"audit_trail,omitempty" expr:"audit_trail"`
	CustomsAccess    *bool `json:"customs_access,omitempty" expr:"customs_access"`
	InternalControls *bool `json:"internal_controls,omitempty" expr:"internal_controls"`
	Archiving        *bool `json:"archiving,omitempty" expr:"archiving"`
	ITSecurity       *bool `json:"it_security,omitempty" expr:"it_security"`
	// Integrated reports customs records integrated in, or cross-checkable
	// with, the accounting system.
	Integrated *bool `json:"integrated,omitempty" expr:"integrated"`
	// GoodsStatus reports a logistics system that tells goods of different
	// customs status apart.
	GoodsStatus *bool `json:"goods_status,omitempty" expr:"goods_status"`
	// Licences reports procedures for licences and authorizations.
	Licences       *bool `json:"licences,omitempty" expr:"licences"`
	RetentionYears *int  `json:"retention_years,omitempty" expr:"retention_years"`
}

// A FinancialYear is one year of financial statements. Amounts are in the
// national currency.
type FinancialYear struct {
	Year        int     `json:"year" expr:"year"`
	NetAssets   float64 `json:"net_assets" expr:"net_assets"`
	Equity      float64 `json:"equity" expr:"equity"`
	TotalAssets float64 `json:"total_assets,omitempty" expr:"total_assets"`
	Liabilities float64 `json:"liabilities,omitempty" expr:"liabilities"`
	Turnover    float64 `json:"turnover,omitempty" expr:"turnover"`
	Profit      float64 `json:"profit,omitempty" expr:"profit"`
	// DebtRatio is liabilities over equity in percent; IndustryDebtRatio
	// the industry average the administration compares it with.
	DebtRatio         float64 `json:"debt_ratio,omitempty" expr:"debt_ratio"`
	IndustryDebtRatio float64 `json:"industry_debt_ratio,omitempty" expr:"industry_debt_ratio"`
	// Insolvency reports bankruptcy or insolvency proceedings.
	Insolvency bool `json:"insolvency,omitempty" expr:"insolvency"`
	// TaxesPaid reports that customs duties and taxes due were paid.
	TaxesPaid bool `json:"taxes_paid,omitempty" expr:"taxes_paid"`
	// CoveredBy names what covers negative net assets (a parent-company
	// guarantee, a bank facility), if anything.
	CoveredBy string `json:"covered_by,omitempty" expr:"covered_by"`
	// CreditRating is a credit rating, e.g. "BBB"; InvestmentGrade reports
	// whether it is investment grade.
	CreditRating    string `json:"credit_rating,omitempty" expr:"credit_rating"`
	InvestmentGrade bool   `json:"investment_grade,omitempty" expr:"investment_grade"`
}

// A Certification is a certificate, an authorization or a status the
// operator holds: ISO 28000, the ISPS Code, UPU S58/S59, EN 16992, an
// existing customs authorization (a customs warehouse, a simplified
// procedure), another programme's AEO status.
type Certification struct {
	Kind       string    `json:"kind" expr:"kind"`
	Issuer     string    `json:"issuer,omitempty" expr:"issuer"`
	ID         string    `json:"id,omitempty" expr:"id"`
	ValidFrom  time.Time `json:"valid_from,omitempty" expr:"valid_from"`
	ValidUntil time.Time `json:"valid_until,omitempty" expr:"valid_until"`
	// Scope is what the certificate covers (activities, areas).
	Scope []string `json:"scope,omitempty" expr:"scope"`
	// Sites are the IDs of the operator's sites the certificate covers.
	// A certificate that names none covers no site: it cannot satisfy a
	// requirement that concerns sites.
	Sites []string `json:"sites,omitempty" expr:"sites"`
}

// An Audit is the report of an audit the operator underwent: a customs
// post-clearance audit, the audit behind an existing authorization, a
// partner administration's validation. "Customs should ... take existing
// audit reports/authorizations given to the trader into account when
// assessing compliance" (WCO AEO Implementation Guidance, lessons
// learned).
type Audit struct {
	Kind   string    `json:"kind" expr:"kind"`
	Issuer string    `json:"issuer,omitempty" expr:"issuer"`
	ID     string    `json:"id,omitempty" expr:"id"`
	Date   time.Time `json:"date" expr:"date"`
	// Scope is what the audit examined (records, solvency, security).
	Scope []string `json:"scope,omitempty" expr:"scope"`
	// Sites are the IDs of the sites the audit covered.
	Sites []string `json:"sites,omitempty" expr:"sites"`
	// Satisfactory reports that the audit found no deficiency left
	// uncorrected; only a satisfactory audit counts as an equivalence.
	Satisfactory bool `json:"satisfactory,omitempty" expr:"satisfactory"`
}

// ValidOn reports whether c is valid on day t: from ValidFrom (when set)
// to ValidUntil inclusive (when set).
func (c Certification) ValidOn(t time.Time) bool {
	d := dateOf(t)
	if !c.ValidFrom.IsZero() && d.Before(dateOf(c.ValidFrom)) {
		return false
	}
	if !c.ValidUntil.IsZero() && d.After(dateOf(c.ValidUntil)) {
		return false
	}
	return true
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// A Site is a premises the operator uses.
type Site struct {
	ID      string `json:"id" expr:"id"`
	Name    string `json:"name,omitempty" expr:"name"`
	Kind    string `json:"kind,omitempty" expr:"kind"`
	Country string `json:"country,omitempty" expr:"country"`
	// Secured reports that the site meets the premises security
	// requirements on the operator's own assessment.
	Secured bool `json:"secured,omitempty" expr:"secured"`
}

// Security describes security measures (SAFE Annex IV G, H, I, L, M).
type Security struct {
	SecurityManual    *bool `json:"security_manual,omitempty" expr:"security_manual"`
	SealsISO17712     *bool `json:"seals_iso17712,omitempty" expr:"seals_iso17712"`
	SealProcedures    *bool `json:"seal_procedures,omitempty" expr:"seal_procedures"`
	SealOfficer       *bool `json:"seal_officer,omitempty" expr:"seal_officer"`
	UnitInspection    *bool `json:"unit_inspection,omitempty" expr:"unit_inspection"`
	IncidentReporting *bool `json:"incident_reporting,omitempty" expr:"incident_reporting"`
	// Conveyances reports that the operator uses conveyances under its
	// control in its supply chain (its own, chartered, or driven by its
	// staff), whatever its role: SAFE Annex IV H binds it for "all
	// conveyances used in its supply chain", "to the extent within its
	// power and responsibility".
	Conveyances          *bool `json:"conveyances,omitempty" expr:"conveyances"`
	ConveyanceSecured    *bool `json:"conveyance_secured,omitempty" expr:"conveyance_secured"`
	ConveyanceInspection *bool `json:"conveyance_inspection,omitempty" expr:"conveyance_inspection"`
	ConveyanceTraining   *bool `json:"conveyance_training,omitempty" expr:"conveyance_training"`
	AccessControl        *bool `json:"access_control,omitempty" expr:"access_control"`
	Perimeter            *bool `json:"perimeter,omitempty" expr:"perimeter"`
	Lighting             *bool `json:"lighting,omitempty" expr:"lighting"`
	Alarms               *bool `json:"alarms,omitempty" expr:"alarms"`
	ContingencyPlan      *bool `json:"contingency_plan,omitempty" expr:"contingency_plan"`
	ContingencyTested    *bool `json:"contingency_tested,omitempty" expr:"contingency_tested"`
	// RiskAssessed is the date of the last security risk assessment.
	RiskAssessed time.Time `json:"risk_assessed,omitempty" expr:"risk_assessed"`
	// SelfReviewed is the date of the last documented self-assessment of
	// the security management system.
	SelfReviewed time.Time `json:"self_reviewed,omitempty" expr:"self_reviewed"`
}

// Personnel describes personnel security and training (SAFE Annex IV E, J).
type Personnel struct {
	PreEmploymentScreening *bool `json:"pre_employment_screening,omitempty" expr:"pre_employment_screening"`
	PeriodicChecks         *bool `json:"periodic_checks,omitempty" expr:"periodic_checks"`
	IdentityBadges         *bool `json:"identity_badges,omitempty" expr:"identity_badges"`
	ExitProcedure          *bool `json:"exit_procedure,omitempty" expr:"exit_procedure"`
	SecurityTraining       *bool `json:"security_training,omitempty" expr:"security_training"`
	TrainingRecords        *bool `json:"training_records,omitempty" expr:"training_records"`
	// TrainedShare is the share of staff in security-sensitive posts
	// trained in the last year, from 0 to 1.
	TrainedShare *float64 `json:"trained_share,omitempty" expr:"trained_share"`
}

// Competence describes practical standards of competence in customs
// matters (UCC Art. 39(d), IA Art. 27).
type Competence struct {
	// ExperienceYears is the customs experience of the applicant or its
	// person in charge of customs matters.
	ExperienceYears *float64 `json:"experience_years,omitempty" expr:"experience_years"`
	// Training reports recognised customs training completed.
	Training *bool `json:"training,omitempty" expr:"training"`
	// QualityStandard reports a quality standard on customs matters
	// applied (EN 16992).
	QualityStandard *bool `json:"quality_standard,omitempty" expr:"quality_standard"`
	// Outsourced reports customs matters contracted out to a holder of the
	// customs-simplifications authorization.
	Outsourced *bool `json:"outsourced,omitempty" expr:"outsourced"`
}

// A TradingPartner is a business partner in the supply chain.
type TradingPartner struct {
	Name    string `json:"name" expr:"name"`
	Country string `json:"country,omitempty" expr:"country"`
	Role    string `json:"role,omitempty" expr:"role"`
	// SecurityClause reports a contractual security commitment.
	SecurityClause bool `json:"security_clause,omitempty" expr:"security_clause"`
	// AEO reports that the partner holds AEO status (at home or under an
	// MRA).
	AEO bool `json:"aeo,omitempty" expr:"aeo"`
	// Encouraged reports that the operator encouraged the partner, in
	// writing, to assess and improve its security (SAFE Annex IV K), where
	// a contractual clause was not possible.
	Encouraged bool `json:"encouraged,omitempty" expr:"encouraged"`
	// Reviewed reports that the partner's information was reviewed before
	// contracting.
	Reviewed bool `json:"reviewed,omitempty" expr:"reviewed"`
}

// An Incident is a security incident: a seizure, a breach, a theft.
type Incident struct {
	Date        time.Time `json:"date" expr:"date"`
	Kind        string    `json:"kind" expr:"kind"`
	Reported    bool      `json:"reported" expr:"reported"`
	Description string    `json:"description,omitempty" expr:"description"`
}

// A ProfileError reports what is wrong with a profile given to a
// programme: an extra fact the programme does not declare, or one of the
// wrong type; a value outside the programme's vocabulary (a role, a
// business model, a severity, ...); a member of a list without the value
// that gives it meaning (an infringement without a date).
type ProfileError struct {
	// Problems describes each problem in one line, with its path.
	Problems []string
	// Errors are the same problems as diag errors at their keys
	// ("facts.vat_years", "roles[0]", "compliance.infringements[2].severity"),
	// with the file, line and column when the profile was read from a
	// file; errors.As finds them.
	Errors diag.List
}

// Error describes the problem.
func (e *ProfileError) Error() string {
	if len(e.Errors) > 0 && e.Errors[0].File != "" {
		return "aeo: invalid profile: " + e.Errors.Error()
	}
	return "aeo: invalid profile: " + strings.Join(e.Problems, "; ")
}

// Unwrap returns the problems as a diag.List.
func (e *ProfileError) Unwrap() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e.Errors
}

// checkNumbers refuses a profile holding a number that is NaN or infinite,
// as a Go caller may set one (the decoder refuses them in files): not
// (compliance_score < 80) is true on a NaN, and JSON cannot hold one.
// Every float of the profile is listed here; a test checks that none is
// forgotten.
func (p *Profile) checkNumbers() error {
	var pe ProfileError
	check := func(path string, v float64) {
		pe.Problems = append(pe.Problems, fmt.Sprintf("%s is %v, not a finite number", path, v))
		e := &diag.Error{Path: path, Message: fmt.Sprintf("%v is not a finite number", v)}
		if p.doc != nil {
			p.doc.Resolve(e)
		}
		pe.Errors = append(pe.Errors, e)
	}
	checkPtr := func(path string, v *float64) {
		if v != nil && !criteria.Finite(*v) {
			check(path, *v)
		}
	}
	if p.Compliance != nil {
		checkPtr("compliance.compliance_score", p.Compliance.ComplianceScore)
	}
	for i := range p.Financials {
		fy := &p.Financials[i]
		for _, f := range [...]struct {
			key string
			v   float64
		}{{"net_assets", fy.NetAssets}, {"equity", fy.Equity}, {"total_assets", fy.TotalAssets},
			{"liabilities", fy.Liabilities}, {"turnover", fy.Turnover}, {"profit", fy.Profit},
			{"debt_ratio", fy.DebtRatio}, {"industry_debt_ratio", fy.IndustryDebtRatio}} {
			if !criteria.Finite(f.v) {
				check(fmt.Sprintf("financials[%d].%s", i, f.key), f.v)
			}
		}
	}
	if p.Personnel != nil {
		checkPtr("personnel.trained_share", p.Personnel.TrainedShare)
	}
	if p.Competence != nil {
		checkPtr("competence.experience_years", p.Competence.ExperienceYears)
	}
	if len(pe.Problems) > 0 {
		return &pe
	}
	return nil
}

// env is the environment requirements are evaluated against: the profile,
// not copied, and the assessment date.
type env struct {
	*Profile
	Date  time.Time      `expr:"as_of"`
	facts map[string]any // declared facts converted to their types
}

func (e *env) AsOf() time.Time { return e.Date }

func (e *env) HasRole(role string) (has, known bool) {
	if e.Roles == nil {
		return false, false
	}
	for _, r := range e.Roles {
		if r == role {
			return true, true
		}
	}
	return false, true
}

func (e *env) BusinessModel() (string, bool) {
	return e.Profile.BusinessModel, e.Profile.BusinessModel != ""
}

func (e *env) SME() (sme, known bool) {
	if e.Profile.SME == nil {
		return false, false
	}
	return *e.Profile.SME, true
}

func (e *env) Certification(kind string, issuers []string) (string, bool) {
	for _, c := range e.Certifications {
		if !strings.EqualFold(c.Kind, kind) || !c.ValidOn(e.Date) {
			continue
		}
		if len(issuers) > 0 && !containsFold(issuers, c.Issuer) {
			continue
		}
		id := c.ID
		if id == "" {
			id = c.Kind
		}
		return id, true
	}
	return "", false
}

func (e *env) Fact(name string) (any, bool) {
	v, ok := e.facts[name]
	return v, ok
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// UnmarshalJSON decodes a profile from JSON with the decoder LoadProfile
// uses, so that a profile reads the same from a file and from a host's
// JSON: dates as 2024-02-01 or in RFC 3339, unknown keys and wrong types
// refused (as a diag.List of problems with their paths).
func (p *Profile) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	var q Profile
	if _, err := decode.DecodeInto("profile", b, &q); err != nil {
		return err
	}
	*p = q
	return nil
}

// ProfileFromMap decodes a profile given as a generic mapping (as read
// from YAML or JSON), strictly: unknown keys and wrong types are errors.
// The options WithMaxFileSize and WithMaxEntries apply, to the mapping
// written as YAML.
func ProfileFromMap(m map[string]any, opts ...Option) (*Profile, error) {
	if err := finiteMap(m); err != nil {
		return nil, err
	}
	b, err := yaml.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("aeo: profile: %w", err)
	}
	// The positions in YAML written here mean nothing to the caller: the
	// profile keeps no document.
	var p Profile
	if _, err := decode.DecodeLimited("profile", b, &p, optionsOf(opts).limits()); err != nil {
		return nil, err
	}
	return &p, nil
}

// finiteMap refuses a NaN or an infinity anywhere in m, which YAML would
// write as .nan and the decoder then refuse without saying where the
// value came from.
func finiteMap(m map[string]any) error {
	var walk func(path string, v any) error
	walk = func(path string, v any) error {
		switch x := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(x)) {
				if err := walk(diag.Join(path, k), x[k]); err != nil {
					return err
				}
			}
		case []any:
			for i, e := range x {
				if err := walk(diag.Index(path, i), e); err != nil {
					return err
				}
			}
		default:
			if !criteria.Finite(v) {
				msg := fmt.Sprintf("%v is not a finite number", v)
				return &ProfileError{Problems: []string{path + ": " + msg}, Errors: diag.List{{Path: path, Message: msg}}}
			}
		}
		return nil
	}
	return walk("", m)
}

// LoadProfile reads a profile from a YAML or JSON file, strictly: an
// unknown key or a value of the wrong type is a *diag.Error with its
// line and column. The options WithMaxFileSize and WithMaxEntries bound
// the file; the other options do not apply.
func LoadProfile(name string, opts ...Option) (*Profile, error) {
	o := optionsOf(opts)
	data, err := readLimited(osFS{}, name, name, o.limits())
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			return nil, err
		}
		return nil, fmt.Errorf("aeo: %w", err)
	}
	return ParseProfile(name, data, opts...)
}

// osFS opens files by their operating system names, as os.Open does
// (os.DirFS would refuse absolute and ../ paths).
type osFS struct{}

func (osFS) Open(name string) (fs.File, error) { return os.Open(name) }

// ParseProfile reads a profile from YAML or JSON data, the contents of a
// file called name, strictly. A number that is NaN or infinite, anywhere,
// is refused with its position. The options WithMaxFileSize and
// WithMaxEntries bound the data; the other options do not apply.
func ParseProfile(name string, data []byte, opts ...Option) (*Profile, error) {
	o := optionsOf(opts)
	var p Profile
	doc, err := decode.DecodeLimited(name, data, &p, o.limits())
	if err != nil {
		return nil, err
	}
	p.doc = doc
	return &p, nil
}

// label names the profile in a message: its file when it was read from
// one, else its operator ID or name.
func (p *Profile) label() string {
	switch {
	case p.doc != nil:
		return p.doc.File
	case p.OperatorID != "":
		return p.OperatorID
	}
	return p.Name
}

// wrapped is an error with context, whose message carries the package
// prefix once: "aeo: sample a.yaml: invalid profile: ...", not "aeo:
// sample a.yaml: aeo: invalid profile: ...".
type wrapped struct {
	context string
	err     error
}

func wrap(err error, format string, args ...any) error {
	return &wrapped{context: fmt.Sprintf(format, args...), err: err}
}

func (w *wrapped) Error() string {
	return "aeo: " + w.context + ": " + strings.TrimPrefix(w.err.Error(), "aeo: ")
}

func (w *wrapped) Unwrap() error { return w.err }
