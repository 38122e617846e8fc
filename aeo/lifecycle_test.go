package aeo_test

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

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/internal/decode"
	"github.com/safe-aeo/engine/internal/diag"
)

func TestLifecycleFixtures(t *testing.T) {
	for _, name := range lcProgrammes {
		t.Run(name, func(t *testing.T) {
			cfg := lcConfig(t, name)
			require.NoError(t, cfg.Validate())
			l := lcNew(t, cfg)
			assert.Equal(t, lcFP, l.Fingerprint())
			for _, r := range cfg.Rules() {
				assert.NotEmpty(t, r.Source.Ref, "rule %s = %s has no source; every rule of a fixture cites one", r.Key, r.Value)
			}
			// The configuration survives a JSON round trip: what the
			// programme fingerprint hashes is stable.
			b, err := json.Marshal(cfg)
			require.NoError(t, err)
			var back aeo.LifecycleConfig
			require.NoError(t, json.Unmarshal(b, &back))
			if diff := cmp.Diff(cfg, back); diff != "" {
				t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLifecycleConfigRules(t *testing.T) {
	got := lcConfig(t, "eu").Rules()
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
		cfg    aeo.LifecycleConfig
		paths  []string
		reason string
	}{{
		name:   "zero",
		reason: "the zero configuration sets no rule and is valid",
	}, {
		name:   "negative period",
		cfg:    aeo.LifecycleConfig{DecisionDeadline: aeo.Period{Days: -1}},
		paths:  []string{"decision_deadline"},
		reason: "a period built in Go may be negative; the file syntax cannot express one",
	}, {
		name:   "extension without deadline",
		cfg:    aeo.LifecycleConfig{DecisionExtension: aeo.Period{Days: 60}},
		paths:  []string{"decision_extension"},
		reason: "an extension extends a deadline (DA Art 28)",
	}, {
		name:   "sample percent",
		cfg:    aeo.LifecycleConfig{Validation: aeo.ValidationRules{SampleMinimum: -1, SamplePercent: 150}},
		paths:  []string{"validation.sample_minimum", "validation.sample_percent"},
		reason: "a sample is a share of the sites",
	}, {
		name:   "corrective extension without deadline",
		cfg:    aeo.LifecycleConfig{CorrectiveAction: aeo.CorrectiveActionRules{Extension: aeo.Period{Days: 90}}},
		paths:  []string{"corrective_action.extension"},
		reason: "an extension extends a deadline (GCC 90 + 90)",
	}, {
		name: "nested grade override",
		cfg: aeo.LifecycleConfig{ReapplyBar: aeo.ReapplyBar{ByGrade: map[string]aeo.ReapplyBar{
			"T3": {ByGrade: map[string]aeo.ReapplyBar{"T1": {}}},
		}}},
		paths:  []string{"reapply_bar.by_grade.T3.by_grade"},
		reason: "overrides by grade are one level deep",
	}, {
		name: "stages out of order",
		cfg: aeo.LifecycleConfig{Appeal: aeo.AppealRules{Stages: []aeo.AppealStageRule{
			{Stage: aeo.StageIndependentReview}, {Stage: aeo.StageCustomsReview}, {Stage: aeo.StageCustomsReview}, {},
		}}},
		paths:  []string{"appeal.stages[1].stage", "appeal.stages[2].stage", "appeal.stages[3].stage"},
		reason: "RKC Chapter 10 orders the stages: Customs, then an independent body, then a court",
	}, {
		name: "windows and exclusions",
		cfg: aeo.LifecycleConfig{Appeal: aeo.AppealRules{
			Windows:  map[string]aeo.Period{"denial": {Days: 90}, "refusal": {Days: 90}},
			Excluded: []string{"refusal", "refusal", "grant"},
		}},
		paths:  []string{"appeal.windows.denial", "appeal.windows.refusal", "appeal.excluded[1]", "appeal.excluded[2]"},
		reason: "windows and exclusions are keyed by decision kind; a window for an excluded decision is a contradiction",
	}, {
		name: "notice and mentoring",
		cfg: aeo.LifecycleConfig{
			Revalidation: aeo.RevalidationRules{Notice: aeo.Period{Months: 6}},
			Coordinator:  aeo.CoordinatorRules{Rotation: aeo.Period{Months: 6}, Mentoring: aeo.Period{Years: 1}},
		},
		paths:  []string{"revalidation.notice", "coordinator.mentoring"},
		reason: "a notice needs a cycle; a mentoring overlap longer than the rotation never ends",
	}, {
		name: "notice longer than cycle",
		cfg: aeo.LifecycleConfig{Revalidation: aeo.RevalidationRules{
			Cycle: aeo.Period{Months: 6}, Notice: aeo.Period{Years: 1},
		}},
		paths:  []string{"revalidation.notice"},
		reason: "the notice precedes the revalidation within its cycle",
	}, {
		name: "sources",
		cfg: aeo.LifecycleConfig{
			DecisionDeadline: aeo.Period{Days: 120},
			Sources: map[string]aeo.RuleSource{
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
			_, err = aeo.NewLifecycle(tt.cfg, lcFP, nil)
			require.Error(t, err, "NewLifecycle validates; %s", tt.reason)
		})
	}
}

func TestLifecycleConfigDecode(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       aeo.LifecycleConfig
		wantErr    bool
		reason     string
	}{{
		name:   "periods",
		yaml:   "decision_deadline: 120d\ndecision_extension: 60d\nreapply_bar:\n  after_revocation: 3y\ncoordinator:\n  rotation: 1y6m\n  mentoring: 2w\n",
		want:   aeo.LifecycleConfig{DecisionDeadline: aeo.Period{Days: 120}, DecisionExtension: aeo.Period{Days: 60}, ReapplyBar: aeo.ReapplyBar{AfterRevocation: aeo.Period{Years: 3}}, Coordinator: aeo.CoordinatorRules{Rotation: aeo.Period{Years: 1, Months: 6}, Mentoring: aeo.Period{Days: 14}}},
		reason: "periods are written as in the law: days, weeks, months, years",
	}, {
		name:   "stage token",
		yaml:   "appeal:\n  stages:\n    - stage: customs_review\n      window: 30d\n",
		want:   aeo.LifecycleConfig{Appeal: aeo.AppealRules{Stages: []aeo.AppealStageRule{{Stage: aeo.StageCustomsReview, Window: aeo.Period{Days: 30}}}}},
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
			var got aeo.LifecycleConfig
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
	_, err := aeo.NewLifecycle(aeo.LifecycleConfig{}, " ", nil)
	require.Error(t, err, "a lifecycle checks assessments against a programme version")
	_, err = aeo.NewLifecycle(aeo.LifecycleConfig{}, lcFP, map[string][]string{"": {"AEOC"}})
	require.Error(t, err)
	_, err = aeo.NewLifecycle(aeo.LifecycleConfig{}, lcFP, map[string][]string{"security": {""}})
	require.Error(t, err)
	l, err := aeo.NewLifecycle(aeo.LifecycleConfig{}, lcFP, nil)
	require.NoError(t, err, "no time rule and no cascade is a valid, if bare, lifecycle")
	require.NotNil(t, l)
}

func TestLifecycleNewCopiesItsInputs(t *testing.T) {
	cfg := lcConfig(t, "india")
	deps := lcDependsOn()
	l := lcNew(t, cfg)
	cfg.ReapplyBar.ByGrade["T3"] = aeo.ReapplyBar{AfterRevocation: aeo.Period{Years: 9}}
	deps["security"][0] = "AEOC"
	got := l.Config()
	assert.Equal(t, aeo.Period{Years: 3}, got.ReapplyBar.ByGrade["T3"].AfterRevocation, "the lifecycle keeps its own copy of the configuration")
}

// TestLifecycleGuards has one row per guard: the event is refused with the
// typed error naming the rule, and the state is unchanged.
func TestLifecycleGuards(t *testing.T) {
	eu := lcLifecycle(t, "eu")
	gcc := lcLifecycle(t, "gcc")
	thirdParty := lcNew(t, aeo.LifecycleConfig{Validation: aeo.ValidationRules{ThirdParty: true}})
	designated := lcNew(t, aeo.LifecycleConfig{Validation: aeo.ValidationRules{ThirdParty: true, Validators: []string{"XX-TPV-04"}}})
	day := lcDay(2025, time.March, 3)
	examined := func(l *aeo.Lifecycle) *lcFlow {
		return lcStart(t, l).do(lcLodge(day, "", "AEOC", "AEOS")).do(lcAccept(day))
	}
	validated := func(l *aeo.Lifecycle) *lcFlow {
		return examined(l).do(lcValidate(day.AddDate(0, 0, 5), aeo.ValidationOnSite, true))
	}
	authorized := func(l *aeo.Lifecycle) *lcFlow { return lcAuthorized(t, l, day, "", "AEOC", "AEOS") }
	later := day.AddDate(0, 0, 30)
	withCoordinator := func(f *lcFlow) *lcFlow {
		ev := lcOfficer(aeo.EventAssignCoordinator, f.a.LastAt)
		ev.Coordinator = "officer-c"
		return f.do(ev)
	}

	tests := []struct {
		name   string
		flow   func() *lcFlow
		event  func() aeo.Event
		want   error
		rule   string
		reason string
	}{{
		name:   "grant without approver",
		flow:   func() *lcFlow { return validated(eu) },
		event:  func() aeo.Event { ev := lcGrant(later, "", "AEOC"); ev.Approver = ""; return ev },
		want:   aeo.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on grant: a second officer approves",
	}, {
		name:   "grant approved by its proposer",
		flow:   func() *lcFlow { return validated(eu) },
		event:  func() aeo.Event { ev := lcGrant(later, "", "AEOC"); ev.Approver = ev.Actor; return ev },
		want:   aeo.ErrFourEyes,
		rule:   "four-eyes",
		reason: "proposer and approver differ",
	}, {
		name:   "grant approved by the coordinator",
		flow:   func() *lcFlow { return withCoordinator(validated(eu)) },
		event:  func() aeo.Event { ev := lcGrant(later, "", "AEOC"); ev.Approver = "officer-c"; return ev },
		want:   aeo.ErrConflictOfInterest,
		rule:   "coordinator-not-approver",
		reason: "Annex 4: the coordinator has new authorisations evaluated by colleagues",
	}, {
		name:   "grant without assessment",
		flow:   func() *lcFlow { return validated(eu) },
		event:  func() aeo.Event { ev := lcGrant(later, "", "AEOC"); ev.Assessment = nil; return ev },
		want:   aeo.ErrNotRecommended,
		rule:   "assessment-required",
		reason: "status is never given automatically, nor without an assessment",
	}, {
		name: "grant on another programme version",
		flow: func() *lcFlow { return validated(eu) },
		event: func() aeo.Event {
			ev := lcGrant(later, "", "AEOC")
			ev.Assessment.Fingerprint = "sha256:old"
			return ev
		},
		want:   aeo.ErrStaleAssessment,
		rule:   "current-programme-assessment",
		reason: "the assessment must be of the programme version in force",
	}, {
		name: "grant on an assessment from the future",
		flow: func() *lcFlow { return validated(eu) },
		event: func() aeo.Event {
			ev := lcGrant(later, "", "AEOC")
			ev.Assessment.AsOf = later.AddDate(0, 0, 1)
			return ev
		},
		want:   aeo.ErrStaleAssessment,
		rule:   "assessment-date",
		reason: "a decision rests on an assessment made before it",
	}, {
		name: "grant of a type not recommended",
		flow: func() *lcFlow { return validated(eu) },
		event: func() aeo.Event {
			ev := lcGrant(later, "", "AEOC", "AEOS")
			ev.Assessment = lcAssessment(later, "", "AEOC")
			return ev
		},
		want:   aeo.ErrNotRecommended,
		rule:   "recommended",
		reason: "every type granted is recommended",
	}, {
		name: "grant at a grade not recommended",
		flow: func() *lcFlow { return validated(eu) },
		event: func() aeo.Event {
			ev := lcGrant(later, "T3", "AEOC")
			ev.Assessment = lcAssessment(later, "T2", "AEOC")
			return ev
		},
		want:   aeo.ErrNotRecommended,
		rule:   "recommended",
		reason: "the grade or tier granted is the one recommended",
	}, {
		name: "grant of a type not applied for",
		flow: func() *lcFlow {
			return lcStart(t, eu).do(lcLodge(day, "", "AEOC")).do(lcAccept(day)).do(lcValidate(day, aeo.ValidationOnSite, true))
		},
		event:  func() aeo.Event { return lcGrant(later, "", "AEOS") },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.types",
		reason: "Customs grants what was applied for",
	}, {
		name:   "grant before validation",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { return lcGrant(later, "", "AEOC") },
		want:   aeo.ErrNotValidated,
		rule:   "validation-complete",
		reason: "Customs verifies before it grants",
	}, {
		name:   "grant on a document review where a visit is required",
		flow:   func() *lcFlow { return examined(eu).do(lcValidate(day, aeo.ValidationDocumentReview, true)) },
		event:  func() aeo.Event { return lcGrant(later, "", "AEOC") },
		want:   aeo.ErrNotValidated,
		rule:   "validation-complete",
		reason: "Customs should always verify physically (validation.require_on_site)",
	}, {
		name:   "grant on a remote validation where a visit is required",
		flow:   func() *lcFlow { return examined(eu).do(lcValidate(day, aeo.ValidationRemote, true)) },
		event:  func() aeo.Event { return lcGrant(later, "", "AEOC") },
		want:   aeo.ErrNotValidated,
		rule:   "validation-complete",
		reason: "an online session is not a visit: where the programme requires one, it does not complete the validation",
	}, {
		name:   "grant by the operator",
		flow:   func() *lcFlow { return validated(eu) },
		event:  func() aeo.Event { ev := lcGrant(later, "", "AEOC"); ev.Role = aeo.ActorOperator; return ev },
		want:   aeo.ErrNotPermitted,
		rule:   "role",
		reason: "only an officer grants",
	}, {
		name:   "refusal without reasons",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { ev := lcDecide(aeo.EventRefuse, later); ev.Reasons = []string{" "}; return ev },
		want:   aeo.ErrNoReasons,
		rule:   "reasons",
		reason: "an adverse decision states its reasons",
	}, {
		name:   "refusal without approver",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { ev := lcDecide(aeo.EventRefuse, later); ev.Approver = ""; return ev },
		want:   aeo.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on refusal",
	}, {
		name:   "revocation without approver",
		flow:   func() *lcFlow { return authorized(gcc) },
		event:  func() aeo.Event { ev := lcDecide(aeo.EventRevoke, later); ev.Approver = ""; return ev },
		want:   aeo.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on revocation",
	}, {
		name:   "annulment approved by its proposer",
		flow:   func() *lcFlow { return authorized(gcc) },
		event:  func() aeo.Event { ev := lcDecide(aeo.EventAnnul, later); ev.Approver = ev.Actor; return ev },
		want:   aeo.ErrFourEyes,
		rule:   "four-eyes",
		reason: "four eyes on annulment, which undoes a grant",
	}, {
		name:   "revocation without a hearing",
		flow:   func() *lcFlow { return authorized(eu) },
		event:  func() aeo.Event { return lcDecide(aeo.EventRevoke, later) },
		want:   aeo.ErrNotHeard,
		rule:   "right-to-be-heard",
		reason: "EU: the grounds are communicated and the holder heard first (UCC Art 22(6))",
	}, {
		name:   "validation of a held authorization without reassessment",
		flow:   func() *lcFlow { return authorized(eu) },
		event:  func() aeo.Event { return lcValidate(later, aeo.ValidationOnSite, true) },
		want:   aeo.ErrInvalidTransition,
		rule:   "reassessment-open",
		reason: "after the grant, validation belongs to a reassessment",
	}, {
		name: "third-party report the programme does not accept",
		flow: func() *lcFlow { return examined(eu) },
		event: func() aeo.Event {
			ev := lcValidate(later, aeo.ValidationThirdParty, true)
			ev.Validation.Validator = "Validators Ltd"
			return ev
		},
		want:   aeo.ErrNotPermitted,
		rule:   "validation.third_party",
		reason: "third-party validators only where the programme designates them",
	}, {
		name: "third-party report by a validator Customs has not designated",
		flow: func() *lcFlow {
			return lcStart(t, designated).do(lcLodge(day, "", "AEO")).do(lcAccept(day))
		},
		event: func() aeo.Event {
			ev := lcValidate(later, aeo.ValidationThirdParty, true)
			ev.Validation.Validator = "Validators Ltd"
			return ev
		},
		want:   aeo.ErrNotPermitted,
		rule:   "validation.validators",
		reason: "only the validators Customs has designated may report (SAFE: Customs retains the authority)",
	}, {
		name: "third-party report after the applicant asked for Customs",
		flow: func() *lcFlow {
			return lcStart(t, thirdParty).do(lcLodge(day, "", "AEO")).do(lcOperator(aeo.EventRequestCustomsValidation, day)).do(lcAccept(day))
		},
		event: func() aeo.Event {
			ev := lcValidate(later, aeo.ValidationThirdParty, true)
			ev.Validation.Validator = "Validators Ltd"
			return ev
		},
		want:   aeo.ErrNotPermitted,
		rule:   "customs-validation-requested",
		reason: "the AEO may ask that Customs validate instead of a third party (SAFE)",
	}, {
		name: "validation of an undeclared site",
		flow: func() *lcFlow {
			return lcStart(t, eu).do(lcLodgeSites(day, []string{"north", "south"}, "AEOS")).do(lcAccept(day))
		},
		event:  func() aeo.Event { return lcValidate(later, aeo.ValidationOnSite, true, "west") },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.sites",
		reason: "the sample is drawn from the declared premises",
	}, {
		name:   "validation without evidence",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { ev := lcValidate(later, aeo.ValidationOnSite, true); ev.Evidence = nil; return ev },
		want:   aeo.ErrNoReasons,
		rule:   "evidence",
		reason: "record in detail and leave an audit trail (Annex 4)",
	}, {
		name:   "suspension for an unknown criterion",
		flow:   func() *lcFlow { return authorized(eu) },
		event:  func() aeo.Event { return lcSuspend(later, "honesty") },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.criterion",
		reason: "the cascade follows the programme's criteria",
	}, {
		name:   "suspension of a type not held",
		flow:   func() *lcFlow { return lcAuthorized(t, eu, day, "", "AEOS") },
		event:  func() aeo.Event { return lcSuspend(later, "competence") },
		want:   aeo.ErrInvalidTransition,
		rule:   "nothing-to-suspend",
		reason: "competence concerns AEOC only (DA Art 30); an AEOS holder has nothing to suspend",
	}, {
		name:   "second extension of the decision deadline",
		flow:   func() *lcFlow { return examined(eu).do(lcWithReasons(lcOfficer(aeo.EventExtendDeadline, later))) },
		event:  func() aeo.Event { return lcWithReasons(lcOfficer(aeo.EventExtendDeadline, later)) },
		want:   aeo.ErrNoExtension,
		rule:   "decision_extension",
		reason: "DA Art 28: one extension",
	}, {
		name:   "extension the programme does not give",
		flow:   func() *lcFlow { return examined(gcc) },
		event:  func() aeo.Event { return lcWithReasons(lcOfficer(aeo.EventExtendDeadline, later)) },
		want:   aeo.ErrNoExtension,
		rule:   "decision_extension",
		reason: "no extension unless the programme sets one",
	}, {
		name: "second coordinator",
		flow: func() *lcFlow { return withCoordinator(authorized(eu)) },
		event: func() aeo.Event {
			ev := lcOfficer(aeo.EventAssignCoordinator, later)
			ev.Coordinator = "officer-d"
			return ev
		},
		want:   aeo.ErrInvalidTransition,
		rule:   "coordinator-assigned",
		reason: "one coordinator at a time; a change is a rotation",
	}, {
		name: "coordinator with a declared interest",
		flow: func() *lcFlow { return authorized(eu) },
		event: func() aeo.Event {
			ev := lcOfficer(aeo.EventAssignCoordinator, later)
			ev.Coordinator, ev.Interest = "officer-d", true
			return ev
		},
		want:   aeo.ErrConflictOfInterest,
		rule:   "coordinator-interest",
		reason: "Annex 4: the coordinator holds no shares in the company",
	}, {
		name:   "appeal with nothing to appeal",
		flow:   func() *lcFlow { return authorized(eu) },
		event:  func() aeo.Event { return lcAppeal(later, aeo.StageCustomsReview, aeo.DecisionNone) },
		want:   aeo.ErrInvalidTransition,
		rule:   "nothing-to-appeal",
		reason: "an appeal is against a decision or an omission",
	}, {
		name: "appeal without grounds",
		flow: func() *lcFlow { return examined(eu).do(lcDecide(aeo.EventRefuse, later)) },
		event: func() aeo.Event {
			ev := lcAppeal(later, aeo.StageCustomsReview, aeo.DecisionNone)
			ev.Reasons = nil
			return ev
		},
		want:   aeo.ErrNoReasons,
		rule:   "reasons",
		reason: "RKC Standard 10.7: in writing, with grounds",
	}, {
		name:   "appeal straight to the independent body",
		flow:   func() *lcFlow { return examined(eu).do(lcDecide(aeo.EventRefuse, later)) },
		event:  func() aeo.Event { return lcAppeal(later, aeo.StageIndependentReview, aeo.DecisionNone) },
		want:   aeo.ErrInvalidTransition,
		rule:   "appeal-stage-order",
		reason: "RKC 10.4-10.5: first to Customs, then to an independent body",
	}, {
		name:   "appeal at a stage the programme lacks",
		flow:   func() *lcFlow { return examined(eu).do(lcDecide(aeo.EventRefuse, later)) },
		event:  func() aeo.Event { return lcAppeal(later, aeo.StageJudicial, aeo.DecisionNone) },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.stage",
		reason: "the EU fixture lists two review stages",
	}, {
		name:   "appeal against a decision not taken",
		flow:   func() *lcFlow { return examined(eu).do(lcDecide(aeo.EventRefuse, later)) },
		event:  func() aeo.Event { return lcAppeal(later, aeo.StageCustomsReview, aeo.DecisionRevocation) },
		want:   aeo.ErrInvalidTransition,
		rule:   "nothing-to-appeal",
		reason: "Against must be the latest appealable decision",
	}, {
		name:   "event without actor",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { ev := lcValidate(later, aeo.ValidationOnSite, true); ev.Actor = ""; return ev },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.actor",
		reason: "every record names its actor",
	}, {
		name:   "event without time",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { return lcValidate(time.Time{}, aeo.ValidationOnSite, true) },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.at",
		reason: "time is an input",
	}, {
		name:   "event dated before the last one",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { return lcValidate(day.AddDate(0, 0, -1), aeo.ValidationOnSite, true) },
		want:   aeo.ErrOutOfOrder,
		rule:   "event-order",
		reason: "back-dating an event could reopen a window",
	}, {
		name:   "unknown event kind",
		flow:   func() *lcFlow { return examined(eu) },
		event:  func() aeo.Event { return lcOfficer(aeo.EventKind(200), later) },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.kind",
		reason: "a kind the engine does not know is refused, not ignored",
	}, {
		name:   "repeated type",
		flow:   func() *lcFlow { return lcStart(t, eu) },
		event:  func() aeo.Event { return lcLodge(later, "", "AEOC", "AEOC") },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.types",
		reason: "lists name each type once",
	}, {
		name:   "lodge without types",
		flow:   func() *lcFlow { return lcStart(t, eu) },
		event:  func() aeo.Event { return lcLodge(later, "") },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.types",
		reason: "an application says what it applies for",
	}, {
		name:   "grant from lodged",
		flow:   func() *lcFlow { return lcStart(t, eu).do(lcLodge(day, "", "AEOC")) },
		event:  func() aeo.Event { return lcGrant(later, "", "AEOC") },
		want:   aeo.ErrInvalidTransition,
		rule:   "transition",
		reason: "an application is accepted and examined before a decision",
	}, {
		name:   "lift a type that is not suspended",
		flow:   func() *lcFlow { return authorized(eu).do(lcSuspend(later, "competence")) },
		event:  func() aeo.Event { ev := lcOfficer(aeo.EventLift, later); ev.Types = []string{"AEOS"}; return ev },
		want:   aeo.ErrInvalidEvent,
		rule:   "event.types",
		reason: "only a suspended type can be lifted",
	}, {
		name: "partial surrender during a proposed revocation",
		flow: func() *lcFlow {
			return authorized(eu).do(lcWithReasons(lcOfficer(aeo.EventProposeRevocation, later)))
		},
		event:  func() aeo.Event { ev := lcOperator(aeo.EventWithdraw, later); ev.Types = []string{"AEOC"}; return ev },
		want:   aeo.ErrInvalidTransition,
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
		rules   aeo.ValidationRules
		sites   int
		require int
		reason  string
	}{
		{"no rule", aeo.ValidationRules{}, 25, 25, "without a sampling rule every site is validated"},
		{"three of 25", aeo.ValidationRules{SampleMinimum: 3}, 25, 3, "the guidance: the audit of 3 of 25 premises may satisfy that all conditions are met"},
		{"percent", aeo.ValidationRules{SamplePercent: 10}, 25, 3, "10% of 25 rounds up to 3"},
		{"minimum above percent", aeo.ValidationRules{SampleMinimum: 5, SamplePercent: 10}, 25, 5, "the larger of the two rules applies"},
		{"percent above minimum", aeo.ValidationRules{SampleMinimum: 2, SamplePercent: 20}, 25, 5, "the larger of the two rules applies"},
		{"fewer sites than the minimum", aeo.ValidationRules{SampleMinimum: 3}, 2, 2, "a sample is never larger than the sites there are"},
		{"no sites", aeo.ValidationRules{SampleMinimum: 3}, 0, 1, "an operator that declares no sites is validated at its premises"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := lcNew(t, aeo.LifecycleConfig{Validation: tt.rules})
			f := lcStart(t, l).do(lcLodgeSites(lcDay(2025, 1, 6), sites[:tt.sites], "AEOS"))
			assert.Equal(t, tt.require, f.a.Validation.Required, tt.reason)
		})
	}

	day := lcDay(2025, time.January, 6)
	l := lcLifecycle(t, "eu") // sample_minimum 3, require_on_site
	f := lcStart(t, l).do(lcLodgeSites(day, sites, "AEOS")).do(lcAccept(day))
	f.do(lcValidate(day.AddDate(0, 0, 1), aeo.ValidationOnSite, true, "site-01", "site-07"))
	f.do(lcValidate(day.AddDate(0, 0, 2), aeo.ValidationDocumentReview, true, "site-12"))
	requireRule(t, f.try(lcGrant(day.AddDate(0, 0, 3), "", "AEOS")), aeo.ErrNotValidated, "validation-complete",
		"two visits and a document review are not a sample of three visits")
	f.do(lcValidate(day.AddDate(0, 0, 4), aeo.ValidationOnSite, false, "site-12"))
	f.do(lcValidate(day.AddDate(0, 0, 4), aeo.ValidationOnSite, true, "site-19"))
	requireRule(t, f.try(lcGrant(day.AddDate(0, 0, 5), "", "AEOS")), aeo.ErrNotValidated, "validation-complete",
		"a sampled site found wanting spoils the sample until it is remedied")
	f.do(lcValidate(day.AddDate(0, 0, 6), aeo.ValidationOnSite, true, "site-12"))
	assert.True(t, f.a.Validation.Complete)
	assert.Equal(t, lcDay(2025, time.January, 12), f.a.Validation.CompletedAt)
	f.do(lcGrant(day.AddDate(0, 0, 7), "", "AEOS"))
	assert.Equal(t, aeo.StatusAuthorized, f.a.Status, "four satisfactory visits cover all 25 premises")
}

// TestLifecyclePartialSuspension: a failing criterion suspends only the
// types that depend on it (EU DA Art 30), and benefits tied to a suspended
// type stop.
func TestLifecyclePartialSuspension(t *testing.T) {
	l := lcLifecycle(t, "eu")
	day := lcDay(2025, time.March, 3)
	f := lcAuthorized(t, l, day, "", "AEOC", "AEOS")
	granted := f.a.LastAt
	assert.Empty(t, f.a.ActiveTypes(granted), "the authorization takes effect 5 days after the decision (DA Art 29)")
	assert.Equal(t, []string{"AEOC", "AEOS"}, f.a.ActiveTypes(granted.AddDate(0, 0, 5)))

	at := lcDay(2025, time.June, 2)
	f.do(lcSuspend(at, "competence"))
	assert.Equal(t, aeo.StatusPartlySuspended, f.a.Status, "competence suspends AEOC only")
	assert.False(t, f.a.Active("AEOC", at))
	assert.True(t, f.a.Active("AEOS", at), "AEOS benefits continue")
	assert.Equal(t, []string{"AEOS"}, f.a.ActiveTypes(at))

	f.do(lcSuspend(at.AddDate(0, 0, 1), "security"))
	assert.Equal(t, aeo.StatusSuspended, f.a.Status, "security then suspends AEOS: no benefits remain")
	assert.Empty(t, f.a.ActiveTypes(at.AddDate(0, 0, 1)))
	requireRule(t, f.try(lcSuspend(at.AddDate(0, 0, 2), "compliance")), aeo.ErrInvalidTransition, "transition",
		"nothing is left in force to suspend")

	lift := lcOfficer(aeo.EventLift, at.AddDate(0, 0, 3))
	lift.Types = []string{"AEOC"}
	f.do(lift)
	assert.Equal(t, aeo.StatusPartlySuspended, f.a.Status)
	assert.Equal(t, []string{"AEOC"}, f.a.ActiveTypes(at.AddDate(0, 0, 3)))

	// The holder appeals the AEOS suspension and wins: the suspension that
	// decision made is lifted.
	f.do(lcAppeal(at.AddDate(0, 0, 10), aeo.StageCustomsReview, aeo.DecisionSuspension))
	f.do(lcRuling(aeo.EventAllowAppeal, at.AddDate(0, 0, 40), "officer-r", aeo.ActorOfficer))
	assert.Equal(t, aeo.StatusAuthorized, f.a.Status)
	assert.Equal(t, aeo.AppealAllowed, f.a.Appeal.Phase)
	assert.Nil(t, f.a.Decision, "a decision appealed to the end is no longer appealable")

	// A criterion every type depends on suspends the whole authorization.
	g := lcAuthorized(t, l, day, "", "AEOC", "AEOS").do(lcSuspend(at, "solvency"))
	assert.Equal(t, aeo.StatusSuspended, g.a.Status)
	assert.Equal(t, []aeo.TypeState{
		{Type: "AEOC", Suspended: true, SuspendedAt: at, Criterion: "solvency", SuspensionEnds: lcDate(2025, time.July, 2)},
		{Type: "AEOS", Suspended: true, SuspendedAt: at, Criterion: "solvency", SuspensionEnds: lcDate(2025, time.July, 2)},
	}, g.a.Types)
}

// TestLifecycleAppealChain follows RKC Chapter 10 through reasons on
// request, a review by Customs, then by an independent body.
func TestLifecycleAppealChain(t *testing.T) {
	l := lcLifecycle(t, "eu")
	day := lcDay(2025, time.January, 6)
	f := lcStart(t, l).do(lcLodge(day, "", "AEOC")).do(lcAccept(day))
	refused := day.AddDate(0, 0, 60)
	f.do(lcDecide(aeo.EventRefuse, refused))
	require.Equal(t, aeo.StatusRefused, f.a.Status)
	require.Equal(t, aeo.DecisionRefusal, f.a.Decision.Kind)

	f.do(lcOperator(aeo.EventRequestReasons, refused.AddDate(0, 0, 2)))
	f.do(lcWithReasons(lcOfficer(aeo.EventGiveReasons, refused.AddDate(0, 0, 9))))
	f.do(lcAppeal(refused.AddDate(0, 0, 20), aeo.StageCustomsReview, aeo.DecisionNone))

	requireRule(t, f.try(lcRuling(aeo.EventDismissAppeal, refused.AddDate(0, 0, 30), "officer-a", aeo.ActorOfficer)),
		aeo.ErrConflictOfInterest, "reviewer-not-decider", "the officer who decided does not review the appeal")
	requireRule(t, f.try(lcRuling(aeo.EventDismissAppeal, refused.AddDate(0, 0, 30), "officer-b", aeo.ActorOfficer)),
		aeo.ErrConflictOfInterest, "reviewer-not-decider", "nor does the officer who approved the decision")
	f.do(lcRuling(aeo.EventDismissAppeal, refused.AddDate(0, 0, 30), "officer-r", aeo.ActorOfficer))
	require.Equal(t, aeo.AppealDismissed, f.a.Appeal.Phase)
	require.NotNil(t, f.a.Decision, "dismissed at the first stage, the refusal may go further")

	requireRule(t, f.try(lcAppeal(refused.AddDate(0, 0, 31), aeo.StageCustomsReview, aeo.DecisionNone)),
		aeo.ErrInvalidTransition, "appeal-stage-order", "after a dismissal, the next stage")
	f.do(lcAppeal(refused.AddDate(0, 0, 31), aeo.StageIndependentReview, aeo.DecisionNone))
	requireRule(t, f.try(lcRuling(aeo.EventAllowAppeal, refused.AddDate(0, 0, 90), "officer-s", aeo.ActorOfficer)),
		aeo.ErrNotPermitted, "role", "the second appeal is to an authority independent of Customs (RKC 10.5)")
	f.do(lcRuling(aeo.EventAllowAppeal, refused.AddDate(0, 0, 90), "tribunal", aeo.ActorReviewBody))

	assert.Equal(t, aeo.StatusExamination, f.a.Status, "an allowed appeal against a refusal reopens the examination; nothing grants by itself")
	assert.Equal(t, aeo.AppealAllowed, f.a.Appeal.Phase)
	assert.Equal(t, lcDate(2025, time.October, 3), f.a.DecisionDue, "a new decision deadline of 120 days runs from the ruling")
	assert.Nil(t, f.a.Decision)
	requireRule(t, f.try(lcAppeal(refused.AddDate(0, 0, 91), aeo.StageCustomsReview, aeo.DecisionRefusal)),
		aeo.ErrInvalidTransition, "nothing-to-appeal", "an overturned refusal cannot be appealed again")
}

// TestLifecycleRevocationAppeal: a revocation overturned on appeal
// restores the types as they stood and lifts the re-application bar.
func TestLifecycleRevocationAppeal(t *testing.T) {
	l := lcLifecycle(t, "india")
	day := lcDay(2024, time.April, 1)
	f := lcAuthorized(t, l, day, "T3", "AEO")
	f.do(lcSuspend(day.AddDate(0, 1, 0), ""))
	f.do(lcDecide(aeo.EventRevoke, day.AddDate(0, 3, 0)))
	require.Equal(t, aeo.StatusRevoked, f.a.Status)
	require.Len(t, f.a.Bars, 1)
	assert.Equal(t, aeo.ReapplicationBar{Type: "AEO", Until: lcDate(2027, time.July, 1), Rule: "reapply_bar.by_grade.T3.after_revocation", Seq: 5}, f.a.Bars[0],
		"India: a revoked T3 holder may re-apply after 3 years")

	f.do(lcAppeal(day.AddDate(0, 3, 5), aeo.StageCustomsReview, aeo.DecisionRevocation))
	f.do(lcRuling(aeo.EventAllowAppeal, day.AddDate(0, 4, 0), "officer-r", aeo.ActorOfficer))
	assert.Equal(t, aeo.StatusSuspended, f.a.Status, "the revoked type comes back as it stood: suspended")
	assert.Equal(t, "T3", f.a.Types[0].Grade)
	assert.Empty(t, f.a.Bars, "the bar fell with the revocation")
}

func TestLifecycleOmission(t *testing.T) {
	l := lcLifecycle(t, "eu")
	day := lcDay(2025, time.January, 10)
	f := lcStart(t, l).do(lcLodge(day, "", "AEOC")).do(lcAccept(day))
	requireRule(t, f.try(lcAppeal(lcDay(2025, time.May, 10), aeo.StageCustomsReview, aeo.DecisionOmission)),
		aeo.ErrInvalidTransition, "nothing-to-appeal", "on the last day of the 120 days there is no omission yet")
	f.do(lcAppeal(lcDay(2025, time.May, 11), aeo.StageCustomsReview, aeo.DecisionOmission))
	assert.Equal(t, aeo.DecisionOmission, f.a.Appeal.Decision.Kind, "UCC Art 44(1), RKC 10.2: a missed deadline is appealable")
	assert.Equal(t, lcDate(2025, time.May, 10), f.a.Appeal.Decision.At)
	f.do(lcRuling(aeo.EventAllowAppeal, lcDay(2025, time.June, 1), "officer-r", aeo.ActorOfficer))
	assert.Equal(t, aeo.StatusExamination, f.a.Status, "an allowed omission appeal changes no status: Customs must now decide")
}

// TestLifecycleApplyIsPure: Apply never modifies its input, and its result
// shares nothing with the input or the event.
func TestLifecycleApplyIsPure(t *testing.T) {
	l := lcLifecycle(t, "eu")
	day := lcDay(2025, time.March, 3)
	f := lcAuthorized(t, l, day, "", "AEOC", "AEOS")
	before := f.a
	snapshot, err := json.Marshal(before)
	require.NoError(t, err)

	ev := lcSuspend(lcDay(2025, time.June, 2), "competence")
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
	require.NoError(t, aeo.Verify(append(f.recs, rec)), "the record shares nothing with the event given")
}

func TestLifecycleStateJSON(t *testing.T) {
	l := lcLifecycle(t, "eu")
	day := lcDay(2025, time.March, 3)
	f := lcAuthorized(t, l, day, "", "AEOC", "AEOS")
	ev := lcOfficer(aeo.EventAssignCoordinator, day.AddDate(0, 1, 0))
	ev.Coordinator = "officer-c"
	f.do(ev).do(lcSuspend(day.AddDate(0, 2, 0), "security"))
	f.do(lcAppeal(day.AddDate(0, 2, 5), aeo.StageCustomsReview, aeo.DecisionNone))

	b, err := json.Marshal(f.a)
	require.NoError(t, err)
	var back aeo.Authorization
	require.NoError(t, json.Unmarshal(b, &back))
	if diff := cmp.Diff(f.a, back); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
	assert.Contains(t, string(b), `"status":"partly_suspended"`, "statuses are written as tokens")
	assert.Contains(t, string(b), `"phase":"lodged"`)

	// The state read back goes on as the live one does.
	next1, _, err := l.Apply(f.a, lcRuling(aeo.EventAllowAppeal, day.AddDate(0, 3, 0), "officer-r", aeo.ActorOfficer))
	require.NoError(t, err)
	next2, _, err := l.Apply(back, lcRuling(aeo.EventAllowAppeal, day.AddDate(0, 3, 0), "officer-r", aeo.ActorOfficer))
	require.NoError(t, err)
	if diff := cmp.Diff(next1, next2); diff != "" {
		t.Errorf("live and decoded states diverge (-live +decoded):\n%s", diff)
	}
}

func TestLifecycleEnumsText(t *testing.T) {
	for s := aeo.StatusNone; s <= aeo.StatusAnnulled; s++ {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var back aeo.Status
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
		assert.Equal(t, string(b), s.String())
	}
	for k := aeo.EventLodge; k <= aeo.EventWithdrawAppeal; k++ {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var back aeo.EventKind
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, k, back)
	}
	var s aeo.Status
	require.Error(t, s.UnmarshalText([]byte("authorised")), "tokens are exact")
	_, err := aeo.Status(99).MarshalText()
	require.Error(t, err)
	assert.Equal(t, "Status(99)", aeo.Status(99).String())
	assert.Equal(t, aeo.ActorReviewBody, aeo.StageIndependentReview.Reviewer())
}

func TestLifecyclePermitted(t *testing.T) {
	l := lcLifecycle(t, "eu")
	got := l.Permitted(aeo.Authorization{})
	assert.Equal(t, []aeo.EventKind{aeo.EventLodge, aeo.EventRequestReasons, aeo.EventLodgeAppeal}, got,
		"a new operator can lodge; the appeal events are listed by the table, their guards find nothing to appeal")
}

// TestLifecycleParallel uses one Lifecycle from many goroutines; run with
// -race.
func TestLifecycleParallel(t *testing.T) {
	l := lcLifecycle(t, "eu")
	run := func(i int) aeo.Authorization {
		day := lcDay(2025, time.January, 1+i%28)
		f := lcAuthorized(t, l, day, "", "AEOC", "AEOS")
		f.do(lcSuspend(day.AddDate(0, 2, 0), "competence"))
		f.do(lcAppeal(day.AddDate(0, 2, 3), aeo.StageCustomsReview, aeo.DecisionNone))
		f.do(lcRuling(aeo.EventAllowAppeal, day.AddDate(0, 3, 0), "officer-r", aeo.ActorOfficer))
		_ = l.Due(f.a, day.AddDate(1, 0, 0))
		_ = l.DOT()
		got, err := l.Replay(f.recs)
		require.NoError(t, err)
		return got
	}
	want := make([]aeo.Authorization, 64)
	for i := range want {
		want[i] = run(i)
	}
	got := make([]aeo.Authorization, len(want))
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

// An online validation completes the validation where the programme does
// not require a visit (WCO note on AEO for e-commerce: online
// authorization and validation).
func TestLifecycleRemoteValidation(t *testing.T) {
	l := lcLifecycle(t, "ecommerce")
	day := lcDay(2025, time.April, 1)
	f := lcStart(t, l).do(lcLodge(day, "", "AEO")).do(lcAccept(day.AddDate(0, 0, 7)))
	f.do(lcValidate(day.AddDate(0, 0, 30), aeo.ValidationRemote, true))
	assert.True(t, f.a.Validation.Complete, "a satisfactory online session validates an operator with no site to visit")
	f.do(lcGrant(day.AddDate(0, 0, 40), "", "AEO"))
	assert.Equal(t, aeo.StatusAuthorized, f.a.Status)
}
