package criteria

import (
	"fmt"

	"github.com/safe-aeo/engine/internal/enum"
)

// Side says whom a requirement binds.
type Side string

// Sides.
const (
	SideAEO     Side = "aeo"
	SideCustoms Side = "customs"
	SideJoint   Side = "joint"
)

// Level says how a requirement counts.
type Level string

// Levels. The empty level is Required.
const (
	Required Level = "required"
	Desired  Level = "desired"
	Bonus    Level = "bonus"
)

// Evidence is a kind of evidence a requirement calls for.
type Evidence string

// Kinds of evidence.
const (
	SelfAssessment Evidence = "self_assessment"
	Document       Evidence = "document"
	OnSite         Evidence = "on_site"
)

func valid[T ~string](v T, allowed ...T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// Outcome is the finding on one requirement.
type Outcome uint8

// Outcomes. The zero value, Indeterminate, is deliberate: a requirement
// nobody could decide is neither met nor not met.
const (
	// Indeterminate: a fact the rule needs is missing, or the rule failed
	// at run time. The officer must obtain the fact or evidence.
	Indeterminate Outcome = iota
	Met
	// Partly: partly met (China's "basically met", −1).
	Partly
	NotMet
	// NotApplicable: the requirement does not apply to this operator's
	// roles or business model.
	NotApplicable
	// Equivalent: satisfied by an equivalent certification.
	Equivalent
)

// numOutcomes is the number of outcomes.
const numOutcomes = int(Equivalent) + 1

var outcomeNames = [...]string{"indeterminate", "met", "partly met", "not met", "not applicable", "satisfied by equivalence"}
var outcomeTokens = [...]string{"indeterminate", "met", "partly", "not_met", "not_applicable", "equivalent"}

// String returns o as text.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", o)
}

// MarshalText encodes o as its stable token (met, partly, not_met, ...).
func (o Outcome) MarshalText() ([]byte, error) {
	if int(o) < len(outcomeTokens) {
		return []byte(outcomeTokens[o]), nil
	}
	return nil, fmt.Errorf("criteria: invalid outcome %d", o)
}

// UnmarshalText decodes a token written by MarshalText.
func (o *Outcome) UnmarshalText(b []byte) error {
	return enum.Unmarshal("criteria", outcomeTokens[:], o, b, "outcome")
}

// Satisfied reports whether o counts as meeting the requirement.
func (o Outcome) Satisfied() bool { return o == Met || o == Equivalent }

// Recommendation is the engine's advice on an authorization. Customs
// decides; the engine only recommends.
type Recommendation uint8

// Recommendations. The zero value, Pending, means the assessment cannot
// conclude yet (facts or evidence missing).
const (
	Pending Recommendation = iota
	Recommend
	Refuse
)

var recommendationTokens = [...]string{"pending", "recommend", "refuse"}

// String returns r as text.
func (r Recommendation) String() string {
	if int(r) < len(recommendationTokens) {
		return recommendationTokens[r]
	}
	return fmt.Sprintf("Recommendation(%d)", r)
}

// MarshalText encodes r as pending, recommend or refuse.
func (r Recommendation) MarshalText() ([]byte, error) {
	if int(r) < len(recommendationTokens) {
		return []byte(recommendationTokens[r]), nil
	}
	return nil, fmt.Errorf("criteria: invalid recommendation %d", r)
}

// UnmarshalText decodes pending, recommend or refuse.
func (r *Recommendation) UnmarshalText(b []byte) error {
	return enum.Unmarshal("criteria", recommendationTokens[:], r, b, "recommendation")
}
