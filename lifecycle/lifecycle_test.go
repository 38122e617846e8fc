package lifecycle_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/diag"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/lifecycle"
)

func TestLifecycleFixtures(t *testing.T) {
	for _, name := range testProgrammes {
		t.Run(name, func(t *testing.T) {
			cfg := loadConfig(t, name)
			require.NoError(t, cfg.Validate())
			l := newMachine(t, cfg)
			assert.Equal(t, testFP, l.Fingerprint())
			for _, r := range cfg.Rules() {
				assert.NotEmpty(t, r.Source.Ref, "rule %s = %s has no source; every rule of a fixture cites one", r.Key, r.Value)
			}
			// The configuration survives a JSON round trip: what the
			// programme fingerprint hashes is stable.
			b, err := json.Marshal(cfg)
			require.NoError(t, err)
			var back lifecycle.Config
			require.NoError(t, json.Unmarshal(b, &back))
			if diff := cmp.Diff(cfg, back); diff != "" {
				t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLifecycleConfigRules(t *testing.T) {
	got := loadConfig(t, "eu").Rules()
	want := map[string]struct{ value, ref string }{
		"decision_deadline":            {"120d", "UCC Art 22(3); DA Art 28"},
		"decision_extension":           {"60d", "DA Art 28"},
		"effect_after":                 {"5d", "DA Art 29"},
		"reapply_bar.after_revocation": {"3y", "DA Art 11(1)(d) and (2)"},
		"validation.sample_minimum":    {"3", `WCO AEO Implementation Guidance, lessons learned ("3 of 25 premises"; "always verify physically")`},
		"appeal.stages[1].stage":       {"customs_review", "UCC Art 43-45"},
		"coordinator.rotation":         {"5y", "WCO AEO Implementation Guidance, Annex 4"},
	}
	seen := 0
	for _, r := range got {
		if w, ok := want[r.Key]; ok {
			seen++
			assert.Equal(t, w.value, r.Value, r.Key)
			assert.Equal(t, w.ref, r.Source.Ref, "%s takes its own source or its section's", r.Key)
		}
		if r.Key == "coordinator.rotation" {
			assert.True(t, r.Source.Unverified, "the guidance sets no rotation period: the fixture's number is marked unverified")
		}
	}
	assert.Equal(t, len(want), seen)
}

func TestLifecycleConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		cfg    lifecycle.Config
		paths  []string
		reason string
	}{{
		name:   "zero",
		reason: "the zero configuration sets no rule and is valid",
	}, {
		name:   "negative period",
		cfg:    lifecycle.Config{DecisionDeadline: calendar.Period{Days: -1}},
		paths:  []string{"decision_deadline"},
		reason: "a period built in Go may be negative; the file syntax cannot express one",
	}, {
		name:   "extension without deadline",
		cfg:    lifecycle.Config{DecisionExtension: calendar.Period{Days: 60}},
		paths:  []string{"decision_extension"},
		reason: "an extension extends a deadline (DA Art 28)",
	}, {
		name:   "sample percent",
		cfg:    lifecycle.Config{Validation: lifecycle.ValidationRules{SampleMinimum: -1, SamplePercent: 150}},
		paths:  []string{"validation.sample_minimum", "validation.sample_percent"},
		reason: "a sample is a share of the sites",
	}, {
		name:   "corrective extension without deadline",
		cfg:    lifecycle.Config{CorrectiveAction: lifecycle.CorrectiveActionRules{Extension: calendar.Period{Days: 90}}},
		paths:  []string{"corrective_action.extension"},
		reason: "an extension extends a deadline (GCC 90 + 90)",
	}, {
		name: "nested grade override",
		cfg: lifecycle.Config{ReapplyBar: lifecycle.ReapplyBar{ByGrade: map[string]lifecycle.ReapplyBar{
			"T3": {ByGrade: map[string]lifecycle.ReapplyBar{"T1": {}}},
		}}},
		paths:  []string{"reapply_bar.by_grade.T3.by_grade"},
		reason: "overrides by grade are one level deep",
	}, {
		name: "stages out of order",
		cfg: lifecycle.Config{Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{
			{Stage: lifecycle.StageIndependentReview}, {Stage: lifecycle.StageCustomsReview}, {Stage: lifecycle.StageCustomsReview}, {},
		}}},
		paths:  []string{"appeal.stages[1].stage", "appeal.stages[2].stage", "appeal.stages[3].stage"},
		reason: "RKC Chapter 10 orders the stages: Customs, then an independent body, then a court",
	}, {
		name: "windows and exclusions",
		cfg: lifecycle.Config{Appeal: lifecycle.AppealRules{
			Windows:  map[string]calendar.Period{"denial": {Days: 90}, "refusal": {Days: 90}},
			Excluded: []string{"refusal", "refusal", "grant"},
		}},
		paths:  []string{"appeal.windows.denial", "appeal.windows.refusal", "appeal.excluded[1]", "appeal.excluded[2]"},
		reason: "windows and exclusions are keyed by decision kind; a window for an excluded decision is a contradiction",
	}, {
		name: "notice and mentoring",
		cfg: lifecycle.Config{
			Revalidation: lifecycle.RevalidationRules{Notice: calendar.Period{Months: 6}},
			Coordinator:  lifecycle.CoordinatorRules{Rotation: calendar.Period{Months: 6}, Mentoring: calendar.Period{Years: 1}},
		},
		paths:  []string{"revalidation.notice", "coordinator.mentoring"},
		reason: "a notice needs a cycle; a mentoring overlap longer than the rotation never ends",
	}, {
		name: "notice longer than cycle",
		cfg: lifecycle.Config{Revalidation: lifecycle.RevalidationRules{
			Cycle: calendar.Period{Months: 6}, Notice: calendar.Period{Years: 1},
		}},
		paths:  []string{"revalidation.notice"},
		reason: "the notice precedes the revalidation within its cycle",
	}, {
		name: "sources",
		cfg: lifecycle.Config{
			DecisionDeadline: calendar.Period{Days: 120},
			Sources: map[string]lifecycle.RuleSource{
				"decision_deadline":  {},
				"decision_extension": {Ref: "DA Art 28"},
				"appeal":             {Ref: "UCC Art 43"},
			},
		},
		paths:  []string{"sources.appeal", "sources.decision_deadline.ref", "sources.decision_extension"},
		reason: "a source cites a rule that is set, and cites something",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if len(tt.paths) == 0 {
				require.NoError(t, err, tt.reason)
				return
			}
			var list diag.List
			require.True(t, errors.As(err, &list), "Validate returns a diag.List; %s", tt.reason)
			var paths []string
			for _, e := range list {
				paths = append(paths, e.Path)
			}
			if diff := cmp.Diff(tt.paths, paths); diff != "" {
				t.Errorf("paths mismatch (-want +got): %s\n%v", tt.reason, err)
			}
			_, err = lifecycle.New(tt.cfg, testFP, nil)
			require.Error(t, err, "New validates; %s", tt.reason)
		})
	}
}

func TestLifecycleConfigDecode(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       lifecycle.Config
		wantErr    bool
		reason     string
	}{{
		name:   "periods",
		yaml:   "decision_deadline: 120d\ndecision_extension: 60d\nreapply_bar:\n  after_revocation: 3y\ncoordinator:\n  rotation: 1y6m\n  mentoring: 2w\n",
		want:   lifecycle.Config{DecisionDeadline: calendar.Period{Days: 120}, DecisionExtension: calendar.Period{Days: 60}, ReapplyBar: lifecycle.ReapplyBar{AfterRevocation: calendar.Period{Years: 3}}, Coordinator: lifecycle.CoordinatorRules{Rotation: calendar.Period{Years: 1, Months: 6}, Mentoring: calendar.Period{Days: 14}}},
		reason: "periods are written as in the law: days, weeks, months, years",
	}, {
		name:   "stage token",
		yaml:   "appeal:\n  stages:\n    - stage: customs_review\n      window: 30d\n",
		want:   lifecycle.Config{Appeal: lifecycle.AppealRules{Stages: []lifecycle.AppealStageRule{{Stage: lifecycle.StageCustomsReview, Window: calendar.Period{Days: 30}}}}},
		reason: "stages are named by their RKC tokens",
	}, {
		name:    "unknown key",
		yaml:    "decision_deadlines: 120d\n",
		wantErr: true,
		reason:  "the decoder is strict: a misspelt rule must not be silently ignored",
	}, {
		name:    "bad period",
		yaml:    "decision_deadline: 120 days\n",
		wantErr: true,
		reason:  "a period the engine cannot read is an error, not a zero",
	}, {
		name:    "bad stage",
		yaml:    "appeal:\n  stages:\n    - stage: tribunal\n",
		wantErr: true,
		reason:  "an unknown stage is an error",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got lifecycle.Config
			_, err := decode.DecodeInto("lifecycle.yaml", []byte(tt.yaml), &got)
			if tt.wantErr {
				require.Error(t, err, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got): %s\n%s", tt.reason, diff)
			}
		})
	}
}

func TestNewLifecycleErrors(t *testing.T) {
	_, err := lifecycle.New(lifecycle.Config{}, " ", nil)
	require.Error(t, err, "a lifecycle checks assessments against a programme version")
	_, err = lifecycle.New(lifecycle.Config{}, testFP, map[string][]string{"": {"AEOC"}})
	require.Error(t, err)
	_, err = lifecycle.New(lifecycle.Config{}, testFP, map[string][]string{"security": {""}})
	require.Error(t, err)
	l, err := lifecycle.New(lifecycle.Config{}, testFP, nil)
	require.NoError(t, err, "no time rule and no cascade is a valid, if bare, lifecycle")
	require.NotNil(t, l)
}

func TestLifecycleNewCopiesItsInputs(t *testing.T) {
	cfg := loadConfig(t, "india")
	deps := testDependsOn()
	l := newMachine(t, cfg)
	cfg.ReapplyBar.ByGrade["T3"] = lifecycle.ReapplyBar{AfterRevocation: calendar.Period{Years: 9}}
	deps["security"][0] = "AEOC"
	got := l.Config()
	assert.Equal(t, calendar.Period{Years: 3}, got.ReapplyBar.ByGrade["T3"].AfterRevocation, "the lifecycle keeps its own copy of the configuration")
}

// TestLifecycleGuards has one row per guard: the event is refused with the
// typed error naming the rule, and the state is unchanged.
func TestLifecycleGuards(t *testing.T) {
	eu := machineFor(t, "eu")
	gcc := machineFor(t, "gcc")
	thirdParty := newMachine(t, lifecycle.Config{Validation: lifecycle.ValidationRules{ThirdParty: true}})
	designated := newMachine(t, lifecycle.Config{Validation: lifecycle.ValidationRules{ThirdParty: true, Validators: []string{"XX-TPV-04"}}})
	day := ymd(2025, time.March, 3)
	examined := func(l *lifecycle.Machine) *flow {
		return startFlow(t, l).do(lodgeEvent(day, "", "AEOC", "AEOS")).do(acceptEvent(day))
	}
	validated := func(l *lifecycle.Machine) *flow {
		return examined(l).do(validateEvent(day.AddDate(0, 0, 5), lifecycle.ValidationOnSite, true))
	}
	authorized := func(l *lifecycle.Machine) *flow { return authorizedFlow(t, l, day, "", "AEOC", "AEOS") }
	later := day.AddDate(0, 0, 30)
	withCoordinator := func(f *flow) *flow {
		ev := officerEvent(lifecycle.EventAssignCoordinator, f.a.LastAt)
		ev.Coordinator = "officer-c"
		return f.do(ev)
	}

	tests := []struct {
		name   string
		flow   func() *flow
		event  func() lifecycle.Event
		want   error
		rule   string
		reason string
	}{{
		name:   "grant without approver",
		flow:   func() *flow { return validated(eu) },
		event:  func() lifecycle.Event { ev := grantEvent(later, "", "AEOC"); ev.Approver = ""; return ev },
		want:   lifecycle.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on grant: a second officer approves",
	}, {
		name:   "grant approved by its proposer",
		flow:   func() *flow { return validated(eu) },
		event:  func() lifecycle.Event { ev := grantEvent(later, "", "AEOC"); ev.Approver = ev.Actor; return ev },
		want:   lifecycle.ErrFourEyes,
		rule:   "four-eyes",
		reason: "proposer and approver differ",
	}, {
		name:   "grant approved by the coordinator",
		flow:   func() *flow { return withCoordinator(validated(eu)) },
		event:  func() lifecycle.Event { ev := grantEvent(later, "", "AEOC"); ev.Approver = "officer-c"; return ev },
		want:   lifecycle.ErrConflictOfInterest,
		rule:   "coordinator-not-approver",
		reason: "Annex 4: the coordinator has new authorisations evaluated by colleagues",
	}, {
		name:   "grant without assessment",
		flow:   func() *flow { return validated(eu) },
		event:  func() lifecycle.Event { ev := grantEvent(later, "", "AEOC"); ev.Assessment = nil; return ev },
		want:   lifecycle.ErrNotRecommended,
		rule:   "assessment-required",
		reason: "status is never given automatically, nor without an assessment",
	}, {
		name: "grant on another programme version",
		flow: func() *flow { return validated(eu) },
		event: func() lifecycle.Event {
			ev := grantEvent(later, "", "AEOC")
			ev.Assessment.Fingerprint = "sha256:old"
			return ev
		},
		want:   lifecycle.ErrStaleAssessment,
		rule:   "current-programme-assessment",
		reason: "the assessment must be of the programme version in force",
	}, {
		name: "grant on an assessment from the future",
		flow: func() *flow { return validated(eu) },
		event: func() lifecycle.Event {
			ev := grantEvent(later, "", "AEOC")
			ev.Assessment.AsOf = later.AddDate(0, 0, 1)
			return ev
		},
		want:   lifecycle.ErrStaleAssessment,
		rule:   "assessment-date",
		reason: "a decision rests on an assessment made before it",
	}, {
		name: "grant of a type not recommended",
		flow: func() *flow { return validated(eu) },
		event: func() lifecycle.Event {
			ev := grantEvent(later, "", "AEOC", "AEOS")
			ev.Assessment = assessmentRef(later, "", "AEOC")
			return ev
		},
		want:   lifecycle.ErrNotRecommended,
		rule:   "recommended",
		reason: "every type granted is recommended",
	}, {
		name: "grant at a grade not recommended",
		flow: func() *flow { return validated(eu) },
		event: func() lifecycle.Event {
			ev := grantEvent(later, "T3", "AEOC")
			ev.Assessment = assessmentRef(later, "T2", "AEOC")
			return ev
		},
		want:   lifecycle.ErrNotRecommended,
		rule:   "recommended",
		reason: "the grade or tier granted is the one recommended",
	}, {
		name: "grant of a type not applied for",
		flow: func() *flow {
			return startFlow(t, eu).do(lodgeEvent(day, "", "AEOC")).do(acceptEvent(day)).do(validateEvent(day, lifecycle.ValidationOnSite, true))
		},
		event:  func() lifecycle.Event { return grantEvent(later, "", "AEOS") },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.types",
		reason: "Customs grants what was applied for",
	}, {
		name:   "grant before validation",
		flow:   func() *flow { return examined(eu) },
		event:  func() lifecycle.Event { return grantEvent(later, "", "AEOC") },
		want:   lifecycle.ErrNotValidated,
		rule:   "validation-complete",
		reason: "Customs verifies before it grants",
	}, {
		name:   "grant on a document review where a visit is required",
		flow:   func() *flow { return examined(eu).do(validateEvent(day, lifecycle.ValidationDocumentReview, true)) },
		event:  func() lifecycle.Event { return grantEvent(later, "", "AEOC") },
		want:   lifecycle.ErrNotValidated,
		rule:   "validation-complete",
		reason: "Customs should always verify physically (validation.require_on_site)",
	}, {
		name:   "grant on a remote validation where a visit is required",
		flow:   func() *flow { return examined(eu).do(validateEvent(day, lifecycle.ValidationRemote, true)) },
		event:  func() lifecycle.Event { return grantEvent(later, "", "AEOC") },
		want:   lifecycle.ErrNotValidated,
		rule:   "validation-complete",
		reason: "an online session is not a visit: where the programme requires one, it does not complete the validation",
	}, {
		name: "grant by the operator",
		flow: func() *flow { return validated(eu) },
		event: func() lifecycle.Event {
			ev := grantEvent(later, "", "AEOC")
			ev.Role = lifecycle.ActorOperator
			return ev
		},
		want:   lifecycle.ErrNotPermitted,
		rule:   "role",
		reason: "only an officer grants",
	}, {
		name: "refusal without reasons",
		flow: func() *flow { return examined(eu) },
		event: func() lifecycle.Event {
			ev := decideEvent(lifecycle.EventRefuse, later)
			ev.Reasons = []string{" "}
			return ev
		},
		want:   lifecycle.ErrNoReasons,
		rule:   "reasons",
		reason: "an adverse decision states its reasons",
	}, {
		name:   "refusal without approver",
		flow:   func() *flow { return examined(eu) },
		event:  func() lifecycle.Event { ev := decideEvent(lifecycle.EventRefuse, later); ev.Approver = ""; return ev },
		want:   lifecycle.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on refusal",
	}, {
		name: "annulment without reasons",
		flow: func() *flow { return authorized(eu) },
		event: func() lifecycle.Event {
			ev := decideEvent(lifecycle.EventAnnul, later)
			ev.Reasons = nil
			return ev
		},
		want:   lifecycle.ErrNoReasons,
		rule:   "reasons",
		reason: "an annulment states the incorrect or incomplete information it rests on",
	}, {
		name:   "revocation without approver",
		flow:   func() *flow { return authorized(gcc) },
		event:  func() lifecycle.Event { ev := decideEvent(lifecycle.EventRevoke, later); ev.Approver = ""; return ev },
		want:   lifecycle.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on revocation",
	}, {
		name: "annulment approved by its proposer",
		flow: func() *flow { return authorized(gcc) },
		event: func() lifecycle.Event {
			ev := decideEvent(lifecycle.EventAnnul, later)
			ev.Approver = ev.Actor
			return ev
		},
		want:   lifecycle.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on annulment, which undoes a grant",
	}, {
		name:   "revocation without a hearing",
		flow:   func() *flow { return authorized(eu) },
		event:  func() lifecycle.Event { return decideEvent(lifecycle.EventRevoke, later) },
		want:   lifecycle.ErrNotHeard,
		rule:   "right-to-be-heard",
		reason: "EU: the grounds are communicated and the holder heard first (UCC Art 22(6))",
	}, {
		name:   "validation of a held authorization without reassessment",
		flow:   func() *flow { return authorized(eu) },
		event:  func() lifecycle.Event { return validateEvent(later, lifecycle.ValidationOnSite, true) },
		want:   lifecycle.ErrInvalidTransition,
		rule:   "reassessment-open",
		reason: "after the grant, validation belongs to a reassessment",
	}, {
		name: "third-party report the programme does not accept",
		flow: func() *flow { return examined(eu) },
		event: func() lifecycle.Event {
			ev := validateEvent(later, lifecycle.ValidationThirdParty, true)
			ev.Validation.Validator = "Validators Ltd"
			return ev
		},
		want:   lifecycle.ErrNotPermitted,
		rule:   "validation.third_party",
		reason: "third-party validators only where the programme designates them",
	}, {
		name: "third-party report by a validator Customs has not designated",
		flow: func() *flow {
			return startFlow(t, designated).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day))
		},
		event: func() lifecycle.Event {
			ev := validateEvent(later, lifecycle.ValidationThirdParty, true)
			ev.Validation.Validator = "Validators Ltd"
			return ev
		},
		want:   lifecycle.ErrNotPermitted,
		rule:   "validation.validators",
		reason: "only the validators Customs has designated may report (SAFE: Customs retains the authority)",
	}, {
		name: "third-party report after the applicant asked for Customs",
		flow: func() *flow {
			return startFlow(t, thirdParty).do(lodgeEvent(day, "", "AEO")).do(operatorEvent(lifecycle.EventRequestCustomsValidation, day)).do(acceptEvent(day))
		},
		event: func() lifecycle.Event {
			ev := validateEvent(later, lifecycle.ValidationThirdParty, true)
			ev.Validation.Validator = "Validators Ltd"
			return ev
		},
		want:   lifecycle.ErrNotPermitted,
		rule:   "customs-validation-requested",
		reason: "the AEO may ask that Customs validate instead of a third party (SAFE)",
	}, {
		name: "validation of an undeclared site",
		flow: func() *flow {
			return startFlow(t, eu).do(lodgeSitesEvent(day, []string{"north", "south"}, "AEOS")).do(acceptEvent(day))
		},
		event:  func() lifecycle.Event { return validateEvent(later, lifecycle.ValidationOnSite, true, "west") },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.sites",
		reason: "the sample is drawn from the declared premises",
	}, {
		name: "validation without evidence",
		flow: func() *flow { return examined(eu) },
		event: func() lifecycle.Event {
			ev := validateEvent(later, lifecycle.ValidationOnSite, true)
			ev.Evidence = nil
			return ev
		},
		want:   lifecycle.ErrNoReasons,
		rule:   "evidence",
		reason: "record in detail and leave an audit trail (Annex 4)",
	}, {
		name:   "suspension for an unknown criterion",
		flow:   func() *flow { return authorized(eu) },
		event:  func() lifecycle.Event { return suspendEvent(later, "honesty") },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.criterion",
		reason: "the cascade follows the programme's criteria",
	}, {
		name:   "suspension of a type not held",
		flow:   func() *flow { return authorizedFlow(t, eu, day, "", "AEOS") },
		event:  func() lifecycle.Event { return suspendEvent(later, "competence") },
		want:   lifecycle.ErrInvalidTransition,
		rule:   "nothing-to-suspend",
		reason: "competence concerns AEOC only (DA Art 30); an AEOS holder has nothing to suspend",
	}, {
		name:   "second extension of the decision deadline",
		flow:   func() *flow { return examined(eu).do(withReasons(officerEvent(lifecycle.EventExtendDeadline, later))) },
		event:  func() lifecycle.Event { return withReasons(officerEvent(lifecycle.EventExtendDeadline, later)) },
		want:   lifecycle.ErrNoExtension,
		rule:   "decision_extension",
		reason: "DA Art 28: one extension",
	}, {
		name:   "extension the programme does not give",
		flow:   func() *flow { return examined(gcc) },
		event:  func() lifecycle.Event { return withReasons(officerEvent(lifecycle.EventExtendDeadline, later)) },
		want:   lifecycle.ErrNoExtension,
		rule:   "decision_extension",
		reason: "no extension unless the programme sets one",
	}, {
		name: "second coordinator",
		flow: func() *flow { return withCoordinator(authorized(eu)) },
		event: func() lifecycle.Event {
			ev := officerEvent(lifecycle.EventAssignCoordinator, later)
			ev.Coordinator = "officer-d"
			return ev
		},
		want:   lifecycle.ErrInvalidTransition,
		rule:   "coordinator-assigned",
		reason: "one coordinator at a time; a change is a rotation",
	}, {
		name: "coordinator with a declared interest",
		flow: func() *flow { return authorized(eu) },
		event: func() lifecycle.Event {
			ev := officerEvent(lifecycle.EventAssignCoordinator, later)
			ev.Coordinator, ev.Interest = "officer-d", true
			return ev
		},
		want:   lifecycle.ErrConflictOfInterest,
		rule:   "coordinator-interest",
		reason: "Annex 4: the coordinator holds no shares in the company",
	}, {
		name: "appeal with nothing to appeal",
		flow: func() *flow { return authorized(eu) },
		event: func() lifecycle.Event {
			return appealEvent(later, lifecycle.StageCustomsReview, lifecycle.DecisionNone)
		},
		want:   lifecycle.ErrInvalidTransition,
		rule:   "nothing-to-appeal",
		reason: "an appeal is against a decision or an omission",
	}, {
		name: "appeal without grounds",
		flow: func() *flow { return examined(eu).do(decideEvent(lifecycle.EventRefuse, later)) },
		event: func() lifecycle.Event {
			ev := appealEvent(later, lifecycle.StageCustomsReview, lifecycle.DecisionNone)
			ev.Reasons = nil
			return ev
		},
		want:   lifecycle.ErrNoReasons,
		rule:   "reasons",
		reason: "RKC Standard 10.7: in writing, with grounds",
	}, {
		name: "appeal straight to the independent body",
		flow: func() *flow { return examined(eu).do(decideEvent(lifecycle.EventRefuse, later)) },
		event: func() lifecycle.Event {
			return appealEvent(later, lifecycle.StageIndependentReview, lifecycle.DecisionNone)
		},
		want:   lifecycle.ErrInvalidTransition,
		rule:   "appeal-stage-order",
		reason: "RKC 10.4-10.5: first to Customs, then to an independent body",
	}, {
		name:   "appeal at a stage the programme lacks",
		flow:   func() *flow { return examined(eu).do(decideEvent(lifecycle.EventRefuse, later)) },
		event:  func() lifecycle.Event { return appealEvent(later, lifecycle.StageJudicial, lifecycle.DecisionNone) },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.stage",
		reason: "the EU fixture lists two review stages",
	}, {
		name: "appeal against a decision not taken",
		flow: func() *flow { return examined(eu).do(decideEvent(lifecycle.EventRefuse, later)) },
		event: func() lifecycle.Event {
			return appealEvent(later, lifecycle.StageCustomsReview, lifecycle.DecisionRevocation)
		},
		want:   lifecycle.ErrInvalidTransition,
		rule:   "nothing-to-appeal",
		reason: "Against must be the latest appealable decision",
	}, {
		name: "event without actor",
		flow: func() *flow { return examined(eu) },
		event: func() lifecycle.Event {
			ev := validateEvent(later, lifecycle.ValidationOnSite, true)
			ev.Actor = ""
			return ev
		},
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.actor",
		reason: "every record names its actor",
	}, {
		name:   "event without time",
		flow:   func() *flow { return examined(eu) },
		event:  func() lifecycle.Event { return validateEvent(time.Time{}, lifecycle.ValidationOnSite, true) },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.at",
		reason: "time is an input",
	}, {
		name:   "event dated before the last one",
		flow:   func() *flow { return examined(eu) },
		event:  func() lifecycle.Event { return validateEvent(day.AddDate(0, 0, -1), lifecycle.ValidationOnSite, true) },
		want:   lifecycle.ErrOutOfOrder,
		rule:   "event-order",
		reason: "back-dating an event could reopen a window",
	}, {
		name:   "unknown event kind",
		flow:   func() *flow { return examined(eu) },
		event:  func() lifecycle.Event { return officerEvent(lifecycle.EventKind(200), later) },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.kind",
		reason: "a kind the engine does not know is refused, not ignored",
	}, {
		name:   "repeated type",
		flow:   func() *flow { return startFlow(t, eu) },
		event:  func() lifecycle.Event { return lodgeEvent(later, "", "AEOC", "AEOC") },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.types",
		reason: "lists name each type once",
	}, {
		name:   "lodge without types",
		flow:   func() *flow { return startFlow(t, eu) },
		event:  func() lifecycle.Event { return lodgeEvent(later, "") },
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.types",
		reason: "an application says what it applies for",
	}, {
		name:   "grant from lodged",
		flow:   func() *flow { return startFlow(t, eu).do(lodgeEvent(day, "", "AEOC")) },
		event:  func() lifecycle.Event { return grantEvent(later, "", "AEOC") },
		want:   lifecycle.ErrInvalidTransition,
		rule:   "transition",
		reason: "an application is accepted and examined before a decision",
	}, {
		name: "lift a type that is not suspended",
		flow: func() *flow { return authorized(eu).do(suspendEvent(later, "competence")) },
		event: func() lifecycle.Event {
			ev := officerEvent(lifecycle.EventLift, later)
			ev.Types = []string{"AEOS"}
			return ev
		},
		want:   lifecycle.ErrInvalidEvent,
		rule:   "event.types",
		reason: "only a suspended type can be lifted",
	}, {
		name: "partial surrender during a proposed revocation",
		flow: func() *flow {
			return authorized(eu).do(withReasons(officerEvent(lifecycle.EventProposeRevocation, later)))
		},
		event: func() lifecycle.Event {
			ev := operatorEvent(lifecycle.EventWithdraw, later)
			ev.Types = []string{"AEOC"}
			return ev
		},
		want:   lifecycle.ErrInvalidTransition,
		rule:   "withdraw-whole",
		reason: "a holder facing revocation surrenders the whole authorization or awaits the decision",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.flow()
			err := f.try(tt.event())
			requireRule(t, err, tt.want, tt.rule, tt.reason)
		})
	}
}

// TestLifecycleValidationSample: for an operator with many premises, a
// sample of sites chosen by the programme's rule, the rest covered when
// the sample satisfies every condition ("3 of 25 premises").
func TestLifecycleValidationSample(t *testing.T) {
	sites := make([]string, 25)
	for i := range sites {
		sites[i] = fmt.Sprintf("site-%02d", i+1)
	}
	tests := []struct {
		name    string
		rules   lifecycle.ValidationRules
		sites   int
		require int
		reason  string
	}{
		{"no rule", lifecycle.ValidationRules{}, 25, 25, "without a sampling rule every site is validated"},
		{"three of 25", lifecycle.ValidationRules{SampleMinimum: 3}, 25, 3, "the guidance: the audit of 3 of 25 premises may satisfy that all conditions are met"},
		{"percent", lifecycle.ValidationRules{SamplePercent: 10}, 25, 3, "10% of 25 rounds up to 3"},
		{"minimum above percent", lifecycle.ValidationRules{SampleMinimum: 5, SamplePercent: 10}, 25, 5, "the larger of the two rules applies"},
		{"percent above minimum", lifecycle.ValidationRules{SampleMinimum: 2, SamplePercent: 20}, 25, 5, "the larger of the two rules applies"},
		{"fewer sites than the minimum", lifecycle.ValidationRules{SampleMinimum: 3}, 2, 2, "a sample is never larger than the sites there are"},
		{"no sites", lifecycle.ValidationRules{SampleMinimum: 3}, 0, 1, "an operator that declares no sites is validated at its premises"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newMachine(t, lifecycle.Config{Validation: tt.rules})
			f := startFlow(t, l).do(lodgeSitesEvent(ymd(2025, 1, 6), sites[:tt.sites], "AEOS"))
			assert.Equal(t, tt.require, f.a.Validation.Required, tt.reason)
		})
	}

	day := ymd(2025, time.January, 6)
	l := machineFor(t, "eu") // sample_minimum 3, require_on_site
	f := startFlow(t, l).do(lodgeSitesEvent(day, sites, "AEOS")).do(acceptEvent(day))
	f.do(validateEvent(day.AddDate(0, 0, 1), lifecycle.ValidationOnSite, true, "site-01", "site-07"))
	f.do(validateEvent(day.AddDate(0, 0, 2), lifecycle.ValidationDocumentReview, true, "site-12"))
	requireRule(t, f.try(grantEvent(day.AddDate(0, 0, 3), "", "AEOS")), lifecycle.ErrNotValidated, "validation-complete",
		"two visits and a document review are not a sample of three visits")
	f.do(validateEvent(day.AddDate(0, 0, 4), lifecycle.ValidationOnSite, false, "site-12"))
	f.do(validateEvent(day.AddDate(0, 0, 4), lifecycle.ValidationOnSite, true, "site-19"))
	requireRule(t, f.try(grantEvent(day.AddDate(0, 0, 5), "", "AEOS")), lifecycle.ErrNotValidated, "validation-complete",
		"a sampled site found wanting spoils the sample until it is remedied")
	f.do(validateEvent(day.AddDate(0, 0, 6), lifecycle.ValidationOnSite, true, "site-12"))
	assert.True(t, f.a.Validation.Complete)
	assert.Equal(t, ymd(2025, time.January, 12), f.a.Validation.CompletedAt)
	f.do(grantEvent(day.AddDate(0, 0, 7), "", "AEOS"))
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, "four satisfactory visits cover all 25 premises")
}

// TestLifecyclePartialSuspension: a failing criterion suspends only the
// types that depend on it (EU DA Art 30), and benefits tied to a suspended
// type stop.
func TestLifecyclePartialSuspension(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.March, 3)
	f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
	granted := f.a.LastAt
	assert.Empty(t, f.a.ActiveTypes(granted), "the authorization takes effect 5 days after the decision (DA Art 29)")
	assert.Equal(t, []string{"AEOC", "AEOS"}, f.a.ActiveTypes(granted.AddDate(0, 0, 5)))

	at := ymd(2025, time.June, 2)
	f.do(suspendEvent(at, "competence"))
	assert.Equal(t, lifecycle.StatusPartlySuspended, f.a.Status, "competence suspends AEOC only")
	assert.False(t, f.a.Active("AEOC", at))
	assert.True(t, f.a.Active("AEOS", at), "AEOS benefits continue")
	assert.Equal(t, []string{"AEOS"}, f.a.ActiveTypes(at))

	f.do(suspendEvent(at.AddDate(0, 0, 1), "security"))
	assert.Equal(t, lifecycle.StatusSuspended, f.a.Status, "security then suspends AEOS: no benefits remain")
	assert.Empty(t, f.a.ActiveTypes(at.AddDate(0, 0, 1)))
	requireRule(t, f.try(suspendEvent(at.AddDate(0, 0, 2), "compliance")), lifecycle.ErrInvalidTransition, "transition",
		"nothing is left in force to suspend")

	lift := officerEvent(lifecycle.EventLift, at.AddDate(0, 0, 3))
	lift.Types = []string{"AEOC"}
	f.do(lift)
	assert.Equal(t, lifecycle.StatusPartlySuspended, f.a.Status)
	assert.Equal(t, []string{"AEOC"}, f.a.ActiveTypes(at.AddDate(0, 0, 3)))

	// The holder appeals the AEOS suspension and wins: the suspension that
	// decision made is lifted.
	f.do(appealEvent(at.AddDate(0, 0, 10), lifecycle.StageCustomsReview, lifecycle.DecisionSuspension))
	f.do(rulingEvent(lifecycle.EventAllowAppeal, at.AddDate(0, 0, 40), "officer-r", lifecycle.ActorOfficer))
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status)
	assert.Equal(t, lifecycle.AppealAllowed, f.a.Appeal.Phase)
	assert.Nil(t, f.a.Decision, "a decision appealed to the end is no longer appealable")

	// A criterion every type depends on suspends the whole authorization.
	g := authorizedFlow(t, l, day, "", "AEOC", "AEOS").do(suspendEvent(at, "solvency"))
	assert.Equal(t, lifecycle.StatusSuspended, g.a.Status)
	assert.Equal(t, []lifecycle.TypeState{
		{Type: "AEOC", Suspended: true, SuspendedAt: at, Criterion: "solvency", SuspensionEnds: dateAt(2025, time.July, 2)},
		{Type: "AEOS", Suspended: true, SuspendedAt: at, Criterion: "solvency", SuspensionEnds: dateAt(2025, time.July, 2)},
	}, g.a.Types)
}

// TestLifecycleAppealChain follows RKC Chapter 10 through reasons on
// request, a review by Customs, then by an independent body.
func TestLifecycleAppealChain(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.January, 6)
	f := startFlow(t, l).do(lodgeEvent(day, "", "AEOC")).do(acceptEvent(day))
	refused := day.AddDate(0, 0, 60)
	f.do(decideEvent(lifecycle.EventRefuse, refused))
	require.Equal(t, lifecycle.StatusRefused, f.a.Status)
	require.Equal(t, lifecycle.DecisionRefusal, f.a.Decision.Kind)

	f.do(operatorEvent(lifecycle.EventRequestReasons, refused.AddDate(0, 0, 2)))
	f.do(withReasons(officerEvent(lifecycle.EventGiveReasons, refused.AddDate(0, 0, 9))))
	f.do(appealEvent(refused.AddDate(0, 0, 20), lifecycle.StageCustomsReview, lifecycle.DecisionNone))

	requireRule(t, f.try(rulingEvent(lifecycle.EventDismissAppeal, refused.AddDate(0, 0, 30), "officer-a", lifecycle.ActorOfficer)),
		lifecycle.ErrConflictOfInterest, "reviewer-not-decider", "the officer who decided does not review the appeal")
	requireRule(t, f.try(rulingEvent(lifecycle.EventDismissAppeal, refused.AddDate(0, 0, 30), "officer-b", lifecycle.ActorOfficer)),
		lifecycle.ErrConflictOfInterest, "reviewer-not-decider", "nor does the officer who approved the decision")
	f.do(rulingEvent(lifecycle.EventDismissAppeal, refused.AddDate(0, 0, 30), "officer-r", lifecycle.ActorOfficer))
	require.Equal(t, lifecycle.AppealDismissed, f.a.Appeal.Phase)
	require.NotNil(t, f.a.Decision, "dismissed at the first stage, the refusal may go further")

	requireRule(t, f.try(appealEvent(refused.AddDate(0, 0, 31), lifecycle.StageCustomsReview, lifecycle.DecisionNone)),
		lifecycle.ErrInvalidTransition, "appeal-stage-order", "after a dismissal, the next stage")
	f.do(appealEvent(refused.AddDate(0, 0, 31), lifecycle.StageIndependentReview, lifecycle.DecisionNone))
	requireRule(t, f.try(rulingEvent(lifecycle.EventAllowAppeal, refused.AddDate(0, 0, 90), "officer-s", lifecycle.ActorOfficer)),
		lifecycle.ErrNotPermitted, "role", "the second appeal is to an authority independent of Customs (RKC 10.5)")
	f.do(rulingEvent(lifecycle.EventAllowAppeal, refused.AddDate(0, 0, 90), "tribunal", lifecycle.ActorReviewBody))

	assert.Equal(t, lifecycle.StatusExamination, f.a.Status, "an allowed appeal against a refusal reopens the examination; nothing grants by itself")
	assert.Equal(t, lifecycle.AppealAllowed, f.a.Appeal.Phase)
	assert.Equal(t, dateAt(2025, time.October, 3), f.a.DecisionDue, "a new decision deadline of 120 days runs from the ruling")
	assert.Nil(t, f.a.Decision)
	requireRule(t, f.try(appealEvent(refused.AddDate(0, 0, 91), lifecycle.StageCustomsReview, lifecycle.DecisionRefusal)),
		lifecycle.ErrInvalidTransition, "nothing-to-appeal", "an overturned refusal cannot be appealed again")
}

// TestLifecycleRevocationAppeal: a revocation overturned on appeal
// restores the types as they stood and lifts the re-application bar.
func TestLifecycleRevocationAppeal(t *testing.T) {
	l := machineFor(t, "india")
	day := ymd(2024, time.April, 1)
	f := authorizedFlow(t, l, day, "T3", "AEO")
	f.do(suspendEvent(day.AddDate(0, 1, 0), ""))
	f.do(decideEvent(lifecycle.EventRevoke, day.AddDate(0, 3, 0)))
	require.Equal(t, lifecycle.StatusRevoked, f.a.Status)
	require.Len(t, f.a.Bars, 1)
	assert.Equal(t, lifecycle.ReapplicationBar{Type: "AEO", Until: dateAt(2027, time.July, 1), Rule: "reapply_bar.by_grade.T3.after_revocation", Seq: 5}, f.a.Bars[0],
		"India: a revoked T3 holder may re-apply after 3 years")

	f.do(appealEvent(day.AddDate(0, 3, 5), lifecycle.StageCustomsReview, lifecycle.DecisionRevocation))
	f.do(rulingEvent(lifecycle.EventAllowAppeal, day.AddDate(0, 4, 0), "officer-r", lifecycle.ActorOfficer))
	assert.Equal(t, lifecycle.StatusSuspended, f.a.Status, "the revoked type comes back as it stood: suspended")
	assert.Equal(t, "T3", f.a.Types[0].Grade)
	assert.Empty(t, f.a.Bars, "the bar fell with the revocation")
}

func TestLifecycleOmission(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.January, 10)
	f := startFlow(t, l).do(lodgeEvent(day, "", "AEOC")).do(acceptEvent(day))
	requireRule(t, f.try(appealEvent(ymd(2025, time.May, 10), lifecycle.StageCustomsReview, lifecycle.DecisionOmission)),
		lifecycle.ErrInvalidTransition, "nothing-to-appeal", "on the last day of the 120 days there is no omission yet")
	f.do(appealEvent(ymd(2025, time.May, 11), lifecycle.StageCustomsReview, lifecycle.DecisionOmission))
	assert.Equal(t, lifecycle.DecisionOmission, f.a.Appeal.Decision.Kind, "UCC Art 44(1), RKC 10.2: a missed deadline is appealable")
	assert.Equal(t, dateAt(2025, time.May, 10), f.a.Appeal.Decision.At)
	f.do(rulingEvent(lifecycle.EventAllowAppeal, ymd(2025, time.June, 1), "officer-r", lifecycle.ActorOfficer))
	assert.Equal(t, lifecycle.StatusExamination, f.a.Status, "an allowed omission appeal changes no status: Customs must now decide")
}

// TestLifecycleApplyIsPure: Apply never modifies its input, and its result
// shares nothing with the input or the event.
func TestLifecycleApplyIsPure(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.March, 3)
	f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
	before := f.a
	snapshot, err := json.Marshal(before)
	require.NoError(t, err)

	ev := suspendEvent(ymd(2025, time.June, 2), "competence")
	next, rec, err := l.Apply(before, ev)
	require.NoError(t, err)
	after, err := json.Marshal(before)
	require.NoError(t, err)
	require.JSONEq(t, string(snapshot), string(after), "Apply modified its input")

	next.Types[0].Type = "changed"
	next.Applied[0] = "changed"
	assert.Equal(t, "AEOC", before.Types[0].Type, "the result shares no slice with the input")
	assert.Equal(t, "AEOC", before.Applied[0])

	ev.Reasons[0] = "rewritten afterwards"
	require.NoError(t, lifecycle.Trail(append(f.recs, rec)).Verify(), "the record shares nothing with the event given")
}

func TestLifecycleStateJSON(t *testing.T) {
	l := machineFor(t, "eu")
	day := ymd(2025, time.March, 3)
	f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
	ev := officerEvent(lifecycle.EventAssignCoordinator, day.AddDate(0, 1, 0))
	ev.Coordinator = "officer-c"
	f.do(ev).do(suspendEvent(day.AddDate(0, 2, 0), "security"))
	f.do(appealEvent(day.AddDate(0, 2, 5), lifecycle.StageCustomsReview, lifecycle.DecisionNone))

	b, err := json.Marshal(f.a)
	require.NoError(t, err)
	var back lifecycle.Authorization
	require.NoError(t, json.Unmarshal(b, &back))
	if diff := cmp.Diff(f.a, back); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	assert.Contains(t, string(b), `"status":"partly_suspended"`, "statuses are written as tokens")
	assert.Contains(t, string(b), `"phase":"lodged"`)

	// The state read back goes on as the live one does.
	next1, _, err := l.Apply(f.a, rulingEvent(lifecycle.EventAllowAppeal, day.AddDate(0, 3, 0), "officer-r", lifecycle.ActorOfficer))
	require.NoError(t, err)
	next2, _, err := l.Apply(back, rulingEvent(lifecycle.EventAllowAppeal, day.AddDate(0, 3, 0), "officer-r", lifecycle.ActorOfficer))
	require.NoError(t, err)
	if diff := cmp.Diff(next1, next2); diff != "" {
		t.Errorf("live and decoded states diverge (-live +decoded):\n%s", diff)
	}
}

func TestLifecycleEnumsText(t *testing.T) {
	for s := lifecycle.StatusNone; s <= lifecycle.StatusAnnulled; s++ {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back lifecycle.Status
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
		assert.Equal(t, string(b), s.String())
	}
	for k := lifecycle.EventLodge; k <= lifecycle.EventWithdrawAppeal; k++ {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var back lifecycle.EventKind
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, k, back)
	}
	var s lifecycle.Status
	require.Error(t, s.UnmarshalText([]byte("authorised")), "tokens are exact")
	_, err := lifecycle.Status(99).MarshalText()
	require.Error(t, err)
	assert.Equal(t, "Status(99)", lifecycle.Status(99).String())
	assert.Equal(t, lifecycle.ActorReviewBody, lifecycle.StageIndependentReview.Reviewer())
}

func TestLifecyclePermitted(t *testing.T) {
	l := machineFor(t, "eu")
	got := l.Permitted(lifecycle.Authorization{})
	assert.Equal(t, []lifecycle.EventKind{lifecycle.EventLodge, lifecycle.EventRequestReasons, lifecycle.EventLodgeAppeal}, got,
		"a new operator can lodge; the appeal events are listed by the table, their guards find nothing to appeal")
}

// TestLifecycleParallel uses one Machine from many goroutines; run with
// -race.
func TestLifecycleParallel(t *testing.T) {
	l := machineFor(t, "eu")
	run := func(i int) lifecycle.Authorization {
		day := ymd(2025, time.January, 1+i%28)
		f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
		f.do(suspendEvent(day.AddDate(0, 2, 0), "competence"))
		f.do(appealEvent(day.AddDate(0, 2, 3), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
		f.do(rulingEvent(lifecycle.EventAllowAppeal, day.AddDate(0, 3, 0), "officer-r", lifecycle.ActorOfficer))
		_ = l.Due(f.a, day.AddDate(1, 0, 0))
		_ = l.DOT()
		got, err := l.Replay(f.recs)
		require.NoError(t, err)
		return got
	}
	want := make([]lifecycle.Authorization, 64)
	for i := range want {
		want[i] = run(i)
	}
	got := make([]lifecycle.Authorization, len(want))
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = run(i)
		}()
	}
	wg.Wait()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("parallel runs differ from serial ones (-serial +parallel):\n%s", diff)
	}
}

// An online validation completes the validation where the programme lets
// it count instead of a visit, with its source (WCO note on AEO for
// e-commerce: online authorization and validation).
func TestLifecycleRemoteValidation(t *testing.T) {
	l := machineFor(t, "ecommerce")
	day := ymd(2025, time.April, 1)
	f := startFlow(t, l).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day.AddDate(0, 0, 7)))
	f.do(validateEvent(day.AddDate(0, 0, 30), lifecycle.ValidationRemote, true))
	assert.True(t, f.a.Validation.Complete, "a satisfactory online session validates an operator with no site to visit")
	f.do(grantEvent(day.AddDate(0, 0, 40), "", "AEO"))
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status)
}
