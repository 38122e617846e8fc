package risk

import "fmt"

// The enums decoded from programme files (Lane, ControlKind,
// MissingPolicy) report bad tokens without the "risk:" prefix, because the
// loader already prefixes the path ("selectivity.rules[3].lane: ...").

// A Lane is the channel a declaration is sent down, as in ASYCUDA's
// selectivity module. Lanes are ordered by precedence: when several apply,
// the greater one wins (Red > Yellow > Blue > Green).
//
// The zero value, NoLane, is not a lane: it marks a rule or setting whose
// lane was not given. A Decision never carries NoLane.
type Lane uint8

// Lanes, in increasing precedence.
const (
	NoLane Lane = iota
	// Green: released without examination (everything not selected).
	Green
	// Blue: released now, selected for post-clearance audit.
	Blue
	// Yellow: full documentary check before release.
	Yellow
	// Red: physical examination of the goods before release.
	Red
)

var laneNames = [...]string{"none", "green", "blue", "yellow", "red"}

// String returns l as text.
func (l Lane) String() string {
	if int(l) < len(laneNames) {
		return laneNames[l]
	}
	return fmt.Sprintf("Lane(%d)", l)
}

// MarshalText encodes l as none, green, blue, yellow or red.
func (l Lane) MarshalText() ([]byte, error) {
	if int(l) < len(laneNames) {
		return []byte(laneNames[l]), nil
	}
	return nil, fmt.Errorf("risk: invalid lane %d", l)
}

// UnmarshalText decodes green, blue, yellow or red (and none, the zero
// value).
func (l *Lane) UnmarshalText(b []byte) error {
	for i, n := range laneNames {
		if string(b) == n {
			*l = Lane(i)
			return nil
		}
	}
	return fmt.Errorf("unknown lane %q (want red, yellow, blue or green)", b)
}

// Lanes returns the four lanes in decreasing precedence: red, yellow,
// blue, green.
func Lanes() []Lane { return []Lane{Red, Yellow, Blue, Green} }

func (l Lane) valid() bool { return l >= Green && l <= Red }

// A ControlKind is a kind of control in an operator's control programme.
// The zero value is not a kind; Compile refuses a control without one.
type ControlKind uint8

// Kinds of control: the mix of physical inspections, verification of
// declarations and (post-clearance) audits of Annex 3, step 6, plus the
// spot checks and self-assessment reviews used to monitor AEOs.
const (
	PhysicalInspection ControlKind = iota + 1
	DocumentaryCheck
	AccountingControl
	PostClearanceAudit
	SpotCheck
	SelfAssessmentReview
)

var controlKindNames = [...]string{"unspecified", "physical_inspection", "documentary_check", "accounting_control",
	"post_clearance_audit", "spot_check", "self_assessment_review"}

// String returns k as text.
func (k ControlKind) String() string {
	if int(k) < len(controlKindNames) {
		return controlKindNames[k]
	}
	return fmt.Sprintf("ControlKind(%d)", k)
}

// MarshalText encodes k as its token, e.g. post_clearance_audit.
func (k ControlKind) MarshalText() ([]byte, error) {
	if int(k) < len(controlKindNames) {
		return []byte(controlKindNames[k]), nil
	}
	return nil, fmt.Errorf("risk: invalid control kind %d", k)
}

// UnmarshalText decodes a token written by MarshalText.
func (k *ControlKind) UnmarshalText(b []byte) error {
	for i, n := range controlKindNames[1:] {
		if string(b) == n {
			*k = ControlKind(i + 1)
			return nil
		}
	}
	return fmt.Errorf("unknown control kind %q (want physical_inspection, documentary_check, accounting_control, post_clearance_audit, spot_check or self_assessment_review)", b)
}

// A DimensionStatus says whether a dimension of the risk map could be
// scored.
type DimensionStatus uint8

// Dimension statuses. The zero value, Unknown, is deliberate: a dimension
// nobody could score is not low risk.
const (
	// Unknown: facts the score needs are missing.
	Unknown DimensionStatus = iota
	// Scored: the score was computed.
	Scored
	// Failed: the score expression failed at run time or gave a value
	// outside 0..100.
	Failed
)

var dimensionStatusNames = [...]string{"unknown", "scored", "failed"}

// String returns s as text.
func (s DimensionStatus) String() string {
	if int(s) < len(dimensionStatusNames) {
		return dimensionStatusNames[s]
	}
	return fmt.Sprintf("DimensionStatus(%d)", s)
}

// MarshalText encodes s as unknown, scored or failed.
func (s DimensionStatus) MarshalText() ([]byte, error) {
	if int(s) < len(dimensionStatusNames) {
		return []byte(dimensionStatusNames[s]), nil
	}
	return nil, fmt.Errorf("risk: invalid dimension status %d", s)
}

// UnmarshalText decodes unknown, scored or failed.
func (s *DimensionStatus) UnmarshalText(b []byte) error {
	for i, n := range dimensionStatusNames {
		if string(b) == n {
			*s = DimensionStatus(i)
			return nil
		}
	}
	return fmt.Errorf("risk: unknown dimension status %q (want unknown, scored or failed)", b)
}

// A Cause says what put a declaration in its lane.
type Cause uint8

// Causes. The zero value, ByDefault, means nothing selected the
// declaration, so it went green.
const (
	ByDefault Cause = iota
	// ByRule: a lane rule fired.
	ByRule
	// ByRandom: the random draw selected the declaration.
	ByRandom
	// ByError: a lane rule failed on the declaration, which went to the
	// error lane.
	ByError
)

var causeNames = [...]string{"default", "rule", "random", "error"}

// String returns c as text.
func (c Cause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return fmt.Sprintf("Cause(%d)", c)
}

// MarshalText encodes c as default, rule, random or error.
func (c Cause) MarshalText() ([]byte, error) {
	if int(c) < len(causeNames) {
		return []byte(causeNames[c]), nil
	}
	return nil, fmt.Errorf("risk: invalid cause %d", c)
}

// UnmarshalText decodes default, rule, random or error.
func (c *Cause) UnmarshalText(b []byte) error {
	for i, n := range causeNames {
		if string(b) == n {
			*c = Cause(i)
			return nil
		}
	}
	return fmt.Errorf("risk: unknown cause %q (want default, rule, random or error)", b)
}

// An UncoveredReason says why a treatment plan leaves a risk uncovered.
type UncoveredReason uint8

// Reasons a risk stays uncovered. The zero value, NoControl, is the
// reason that needs the catalogue changed rather than more staff.
const (
	// NoControl: no control in the catalogue addresses the risk.
	NoControl UncoveredReason = iota
	// BudgetExhausted: controls address the risk, but none fitted in the
	// staff hours left once more risk had been covered.
	BudgetExhausted
)

var uncoveredReasonNames = [...]string{"no_control", "budget_exhausted"}

// String returns r as text.
func (r UncoveredReason) String() string {
	if int(r) < len(uncoveredReasonNames) {
		return uncoveredReasonNames[r]
	}
	return fmt.Sprintf("UncoveredReason(%d)", r)
}

// MarshalText encodes r as no_control or budget_exhausted.
func (r UncoveredReason) MarshalText() ([]byte, error) {
	if int(r) < len(uncoveredReasonNames) {
		return []byte(uncoveredReasonNames[r]), nil
	}
	return nil, fmt.Errorf("risk: invalid uncovered reason %d", r)
}

// UnmarshalText decodes no_control or budget_exhausted.
func (r *UncoveredReason) UnmarshalText(b []byte) error {
	for i, n := range uncoveredReasonNames {
		if string(b) == n {
			*r = UncoveredReason(i)
			return nil
		}
	}
	return fmt.Errorf("risk: unknown reason %q (want no_control or budget_exhausted)", b)
}

// MissingPolicy says what a lane rule does when a fact it reads is absent
// from the declaration.
type MissingPolicy uint8

// Missing-fact policies. The zero value, Skip, leaves the rule out and
// reports it as skipped.
const (
	Skip MissingPolicy = iota
	// Fire: the rule fires, so that a declaration cannot escape a control
	// by leaving a field empty.
	Fire
)

var missingPolicyNames = [...]string{"skip", "fire"}

// String returns p as text.
func (p MissingPolicy) String() string {
	if int(p) < len(missingPolicyNames) {
		return missingPolicyNames[p]
	}
	return fmt.Sprintf("MissingPolicy(%d)", p)
}

// MarshalText encodes p as skip or fire.
func (p MissingPolicy) MarshalText() ([]byte, error) {
	if int(p) < len(missingPolicyNames) {
		return []byte(missingPolicyNames[p]), nil
	}
	return nil, fmt.Errorf("risk: invalid missing policy %d", p)
}

// UnmarshalText decodes skip or fire.
func (p *MissingPolicy) UnmarshalText(b []byte) error {
	for i, n := range missingPolicyNames {
		if string(b) == n {
			*p = MissingPolicy(i)
			return nil
		}
	}
	return fmt.Errorf("unknown policy %q (want skip or fire)", b)
}

// An UnscoredPolicy says what a risk dimension that cannot be scored does
// to the level of a risk map. Either way it counts at 100, the worst, in
// the score: a dimension nobody could score is not low risk.
type UnscoredPolicy uint8

// Policies for unscored dimensions. The zero value, Worst, gives a level
// that can only overstate the risk.
const (
	// Worst: the level is that of the score with every unscored
	// dimension at 100; the map is provisional.
	Worst UnscoredPolicy = iota
	// Refer: the map has no level while a dimension is unscored; an
	// officer sets it.
	Refer
)

var unscoredPolicyNames = [...]string{"worst", "refer"}

// String returns p as text.
func (p UnscoredPolicy) String() string {
	if int(p) < len(unscoredPolicyNames) {
		return unscoredPolicyNames[p]
	}
	return fmt.Sprintf("UnscoredPolicy(%d)", p)
}

// MarshalText encodes p as worst or refer.
func (p UnscoredPolicy) MarshalText() ([]byte, error) {
	if int(p) < len(unscoredPolicyNames) {
		return []byte(unscoredPolicyNames[p]), nil
	}
	return nil, fmt.Errorf("risk: invalid unscored policy %d", p)
}

// UnmarshalText decodes worst or refer.
func (p *UnscoredPolicy) UnmarshalText(b []byte) error {
	for i, n := range unscoredPolicyNames {
		if string(b) == n {
			*p = UnscoredPolicy(i)
			return nil
		}
	}
	return fmt.Errorf("unknown policy %q (want worst or refer)", b)
}
