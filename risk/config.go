package risk

import (
	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/criteria"
)

// Config is the risk part of a programme (the programme file's risk:
// section): how an operator is risk-mapped, how findings of an assessment
// become risks, which controls the administration can apply, and when a
// plan of treatment is reviewed. It is plain data, decoded from a
// programme file or built in Go.
type Config struct {
	// Dimensions are the aspects of the operator that are scored, e.g.
	// the five of the AEO Implementation Guidance: organisational
	// characteristics, records of compliance, volume of business, type of
	// goods and procedures.
	Dimensions []Dimension `json:"dimensions,omitempty"`
	// Levels turn the overall weighted score (0..100) into a level.
	Levels []LevelBand `json:"levels,omitempty"`
	// Unscored says what a dimension that cannot be scored (its facts
	// missing, its expression failing or out of 0..100) does to the
	// level: worst (the default) counts it at 100 and gives the level of
	// that score; refer gives no level and refers the map to an officer.
	// Either way the score counts it at 100, so that it never understates.
	Unscored UnscoredPolicy `json:"unscored,omitempty"`
	// Matrix rates a risk by its likelihood and consequence.
	Matrix Matrix `json:"matrix,omitzero"`
	// Risks is the catalogue of risks: those that findings map to, and
	// inherent risks that arise from the profile itself (When).
	Risks []RiskDecl `json:"risks,omitempty"`
	// Findings map requirements that are not met (or partly met) to risks.
	Findings []FindingRule `json:"findings,omitempty"`
	// Controls is the catalogue of controls a plan of treatment chooses
	// from.
	Controls []Control `json:"controls,omitempty"`
	// Review sets when a plan of treatment is reviewed.
	Review Review `json:"review,omitzero"`
}

// A Dimension is one scored aspect of the operator.
type Dimension struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// Weight is the dimension's share of the overall score, relative to
	// the others; it must be positive.
	Weight float64 `json:"weight"`
	// Score is a numeric expression over the operator's facts giving the
	// dimension's risk from 0 (none) to 100 (highest).
	Score  string `json:"score"`
	Source string `json:"source,omitempty"`
	// Unverified marks a dimension whose source could not be checked
	// (the reference's [R]); Note says what is uncertain.
	Unverified bool   `json:"unverified,omitempty"`
	Note       string `json:"note,omitempty"`
}

// A LevelBand is one band of the overall score: a score of Min or more
// (up to the next band's Min) has this Level.
type LevelBand struct {
	Level string  `json:"level"`
	Min   float64 `json:"min"`
}

// A Matrix rates risks by likelihood × consequence, as in the WCO Risk
// Management Compendium. Its scales and ratings are configured: the usual
// five-by-five labels (likelihood rare … almost certain, consequence
// insignificant … severe, ratings low … extreme) are not hard-wired,
// since the compendium page that gives them could not be checked (they
// are marked [R] in the project's reference).
type Matrix struct {
	// Likelihood and Consequence are the scale labels, lowest first. A
	// label's 1-based position is its value.
	Likelihood  []string `json:"likelihood"`
	Consequence []string `json:"consequence"`
	// Ratings are the rating bands, lowest first.
	Ratings []RatingBand `json:"ratings"`
	// Grid, when given, rates each cell explicitly: one row per
	// likelihood (lowest first), each with one rating per consequence
	// (lowest first). Otherwise a cell is rated by the band whose Min the
	// product likelihood × consequence reaches.
	Grid       [][]string `json:"grid,omitempty"`
	Source     string     `json:"source,omitempty"`
	Unverified bool       `json:"unverified,omitempty"`
	Note       string     `json:"note,omitempty"`
}

// A RatingBand is one rating of the matrix.
type RatingBand struct {
	Rating string `json:"rating"`
	// Min is the smallest product likelihood × consequence with this
	// rating; ignored when the matrix has a grid.
	Min int `json:"min,omitempty"`
	// Weight is how much a risk with this rating counts when a plan of
	// treatment chooses what to cover. When no band sets a weight, a
	// risk's weight is its product likelihood × consequence.
	Weight float64 `json:"weight,omitempty"`
}

// A RiskDecl declares a risk.
type RiskDecl struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// When, if given, is a condition over the operator's facts under
	// which the risk is present whatever the assessment found (an
	// inherent risk, e.g. excise goods). Without When the risk arises
	// only from findings.
	When string `json:"when,omitempty"`
	// Likelihood and Consequence are labels of the matrix's scales.
	Likelihood  string `json:"likelihood"`
	Consequence string `json:"consequence"`
	Source      string `json:"source,omitempty"`
	Unverified  bool   `json:"unverified,omitempty"`
	Note        string `json:"note,omitempty"`
}

// A FindingRule maps findings of an assessment to a risk: a finding whose
// requirement matches one of Requirements, or whose criterion matches one
// of Criteria, with one of Outcomes, raises Risk.
type FindingRule struct {
	// Requirements and Criteria are ID patterns: * matches any run of
	// characters, ? one character ("B.*", "A.2").
	Requirements []string `json:"requirements,omitempty"`
	Criteria     []string `json:"criteria,omitempty"`
	// Outcomes that raise the risk; default not_met and partly.
	Outcomes []criteria.Outcome `json:"outcomes,omitempty"`
	Risk     string             `json:"risk"`
	// Likelihood and Consequence, if given, replace the risk's own for
	// findings matched by this rule (a partly met requirement may be
	// rated less likely than one not met).
	Likelihood  string `json:"likelihood,omitempty"`
	Consequence string `json:"consequence,omitempty"`
	Note        string `json:"note,omitempty"`
}

// A Control is one control the administration can apply to an operator.
type Control struct {
	ID    string      `json:"id"`
	Title string      `json:"title,omitempty"`
	Kind  ControlKind `json:"kind"`
	// Addresses lists the risk IDs the control covers.
	Addresses []string `json:"addresses"`
	// Hours is the staff time of one occurrence; Frequency the
	// occurrences per year. Their product is the control's yearly cost.
	Hours     float64 `json:"hours"`
	Frequency float64 `json:"frequency"`
	// Owner is who carries the control out (a team, the client
	// coordinator, the audit unit).
	Owner  string `json:"owner,omitempty"`
	Source string `json:"source,omitempty"`
}

// Review sets the cycle of a plan of treatment (Annex 3 of the AEO
// Implementation Guidance): after ChangeMethodAfter the method of control
// is changed (step 4 runs a changed method "for a period of three
// months"), and after ReanalyseAfter the information is re-analysed and
// the plan drawn up again, since "it is very important for the 10 steps to
// be regularly repeated". A zero period sets no date.
type Review struct {
	ChangeMethodAfter calendar.Period `json:"change_method_after,omitzero"`
	ReanalyseAfter    calendar.Period `json:"reanalyse_after,omitzero"`
}
