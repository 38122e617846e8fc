package lifecycle_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

func consentEvent(k lifecycle.EventKind, at time.Time, partners ...string) lifecycle.Event {
	ev := operatorEvent(k, at)
	ev.Partners = partners
	return ev
}

func exportEvent(at time.Time, records []string, partners ...string) lifecycle.Event {
	ev := officerEvent(lifecycle.EventExportRecords, at)
	ev.Partners, ev.Records = partners, records
	return ev
}

func newPartnerMachine(t *testing.T, cfg lifecycle.Config) *lifecycle.Machine {
	t.Helper()
	l, err := lifecycle.New(cfg, testFP, testDependsOn(), lifecycle.WithPartners(
		lifecycle.ExchangePartner{ID: "PL"}, lifecycle.ExchangePartner{ID: "US"},
		lifecycle.ExchangePartner{ID: "XB", NoConsent: true}))
	require.NoError(t, err)
	return l
}

// TestConsent follows one holder's consent through exports, a withdrawal
// and its notice, checking the status never moves.
func TestConsent(t *testing.T) {
	l := newPartnerMachine(t, lifecycle.Config{})
	day := ymd(2025, 3, 3)
	f := authorizedFlow(t, l, day, "", "AEOC", "AEOS")
	granted := f.a.Status
	at := day.AddDate(0, 1, 0)

	tests := []struct {
		name   string
		ev     lifecycle.Event
		err    error
		rule   string
		reason string
	}{{
		name: "export without consent", ev: exportEvent(at, []string{"XX/OP-1#4"}, "PL"),
		err: lifecycle.ErrNoConsent, rule: "consent",
		reason: "an operator's data goes to a partner only with its recorded consent",
	}, {
		name:   "export to a union member",
		ev:     exportEvent(at, []string{"XX/OP-1#4"}, "XB"),
		reason: "a member of the union shares the status by law: no consent needed",
	}, {
		name: "consent to an unknown partner", ev: consentEvent(lifecycle.EventGiveConsent, at, "ZZ"),
		err: lifecycle.ErrInvalidEvent, rule: "event.partners",
		reason: "consent names a partner the programme exchanges with",
	}, {
		name: "consent naming no partner", ev: consentEvent(lifecycle.EventGiveConsent, at),
		err: lifecycle.ErrInvalidEvent, rule: "event.partners",
		reason: "consent is given partner by partner",
	}, {
		name:   "consent to PL",
		ev:     consentEvent(lifecycle.EventGiveConsent, at, "PL"),
		reason: "the holder consents to the exchange with PL",
	}, {
		name: "consent twice", ev: consentEvent(lifecycle.EventGiveConsent, at, "PL"),
		err: lifecycle.ErrInvalidTransition, rule: "consent-given",
		reason: "a consent in force is not given again",
	}, {
		name: "export naming no record", ev: exportEvent(at, nil, "PL"),
		err: lifecycle.ErrInvalidEvent, rule: "event.records",
		reason: "the trail says which records went where",
	}, {
		name: "export to PL and US", ev: exportEvent(at, []string{"XX/OP-1#6"}, "PL", "US"),
		err: lifecycle.ErrNoConsent, rule: "consent",
		reason: "consent to PL does not cover US",
	}, {
		name:   "export to PL",
		ev:     exportEvent(at, []string{"XX/OP-1#6"}, "PL"),
		reason: "with consent in force the records go",
	}, {
		name: "withdraw from US", ev: consentEvent(lifecycle.EventWithdrawConsent, at.AddDate(0, 0, 1), "US"),
		err: lifecycle.ErrInvalidTransition, rule: "consent",
		reason: "nothing to withdraw where no consent was given",
	}, {
		name:   "withdraw all",
		ev:     consentEvent(lifecycle.EventWithdrawConsent, at.AddDate(0, 0, 2)),
		reason: "a withdrawal names no partner: every consent in force ends",
	}, {
		name:   "notice of the withdrawal",
		ev:     exportEvent(at.AddDate(0, 0, 3), []string{"XX/OP-1#8 notice"}, "PL"),
		reason: "PL received data, so it is told of the withdrawal",
	}, {
		name: "export after the notice", ev: exportEvent(at.AddDate(0, 0, 4), []string{"XX/OP-1#9"}, "PL"),
		err: lifecycle.ErrNoConsent, rule: "consent",
		reason: "a withdrawal stops future exports",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.try(tt.ev)
			if tt.err == nil {
				require.NoError(t, err, tt.reason)
			} else {
				requireRule(t, err, tt.err, tt.rule, tt.reason)
			}
			assert.Equal(t, granted, f.a.Status, "consent never moves the status; %s", tt.reason)
		})
	}
	want := []lifecycle.ConsentState{{Partner: "PL", Given: at, Withdrawn: at.AddDate(0, 0, 2), Exported: at}}
	if diff := cmp.Diff(want, f.a.Consent); diff != "" {
		t.Errorf("consent mismatch (-want +got):\n%s", diff)
	}
	got, err := l.Replay(f.recs)
	require.NoError(t, err)
	if diff := cmp.Diff(f.a, got); diff != "" {
		t.Errorf("replay mismatch (-live +replayed):\n%s", diff)
	}
}

// TestConsentNoticeDue checks that a withdrawal puts the notice to each
// partner that received data on the work queue, and only to those.
func TestConsentNoticeDue(t *testing.T) {
	l := newPartnerMachine(t, lifecycle.Config{})
	day := ymd(2025, 3, 3)
	f := authorizedFlow(t, l, day, "", "AEOS")
	at := day.AddDate(0, 1, 0)
	f.do(consentEvent(lifecycle.EventGiveConsent, at, "PL", "US")).
		do(exportEvent(at, []string{"XX/OP-1#5"}, "PL")).
		do(consentEvent(lifecycle.EventWithdrawConsent, at.AddDate(0, 0, 1)))
	var notices []lifecycle.DueItem
	for _, it := range l.Due(f.a, at.AddDate(0, 0, 5)) {
		if it.Kind == lifecycle.DueConsentNotice {
			notices = append(notices, it)
		}
	}
	want := []lifecycle.DueItem{{Kind: lifecycle.DueConsentNotice, Rule: "consent", Due: calendar.Date(at.AddDate(0, 0, 1)), Overdue: true, Partner: "PL"}}
	if diff := cmp.Diff(want, notices); diff != "" {
		t.Errorf("notices mismatch (-want +got); only PL received data:\n%s", diff)
	}
	assert.False(t, f.a.ConsentTo("PL", at.AddDate(0, 0, 1)), "withdrawn from the day of the withdrawal")
	assert.True(t, f.a.ConsentTo("PL", at), "in force before it")
}

func notifyEvent(at time.Time, changes ...lifecycle.Change) lifecycle.Event {
	ev := operatorEvent(lifecycle.EventNotifyChange, at)
	ev.Changes = changes
	return ev
}

func reviewEvent(at, asOf time.Time, kinds ...string) lifecycle.Event {
	ev := officerEvent(lifecycle.EventReviewChange, at)
	for _, k := range kinds {
		ev.Changes = append(ev.Changes, lifecycle.Change{Kind: k})
	}
	ev.Assessment = &lifecycle.AssessmentRef{Fingerprint: testFP, AsOf: asOf}
	return ev
}

func changeConfig() lifecycle.Config {
	return lifecycle.Config{Changes: lifecycle.ChangeRules{
		ReassessWithin: calendar.Period{Days: 60},
		Kinds: map[string]lifecycle.ChangeKind{
			"new_site":       {Requirements: []string{"I.1", "I.2"}, ReassessWithin: calendar.Period{Days: 30}},
			"new_directors":  {Requirements: []string{"A.1"}},
			"business_model": {},
		},
	}}
}

// TestNotifyChange checks that a change notification records what changed
// and puts the reassessment of what it affects on the work queue, until an
// officer closes it on an assessment made after it.
func TestNotifyChange(t *testing.T) {
	l := newMachine(t, changeConfig())
	day := ymd(2025, 3, 3)
	f := authorizedFlow(t, l, day, "", "AEOS")
	at := day.AddDate(0, 1, 0)

	requireRule(t, f.try(notifyEvent(at)), lifecycle.ErrInvalidEvent, "event.changes", "a notification names what changed")
	requireRule(t, f.try(notifyEvent(at, lifecycle.Change{Kind: "new_owner"})), lifecycle.ErrInvalidEvent, "changes.kinds",
		"the programme lists the kinds of change")
	requireRule(t, f.try(reviewEvent(at, at)), lifecycle.ErrInvalidTransition, "nothing-to-review", "nothing notified yet")

	f.do(notifyEvent(at, lifecycle.Change{Kind: "new_site", Detail: "a bonded warehouse in the port", Sites: []string{"S-9"}},
		lifecycle.Change{Kind: "new_directors"}))
	assert.Equal(t, lifecycle.StatusAuthorized, f.a.Status, "Customs decides: a notification moves no status")
	assert.Contains(t, f.a.Sites, "S-9", "a new site joins the sites a validation may visit")

	var got []lifecycle.DueItem
	for _, it := range l.Due(f.a, at.AddDate(0, 0, 45)) {
		if it.Kind == lifecycle.DueReassessment {
			got = append(got, it)
		}
	}
	want := []lifecycle.DueItem{
		{Kind: lifecycle.DueReassessment, Rule: "changes.kinds.new_site.reassess_within", Due: calendar.Date(at.AddDate(0, 0, 30)),
			Overdue: true, Change: "new_site", Requirements: []string{"I.1", "I.2"}},
		{Kind: lifecycle.DueReassessment, Rule: "changes.reassess_within", Due: calendar.Date(at.AddDate(0, 0, 60)),
			Change: "new_directors", Requirements: []string{"A.1"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("work queue mismatch (-want +got):\n%s", diff)
	}

	requireRule(t, f.try(reviewEvent(at.AddDate(0, 0, 10), at.AddDate(0, 0, -1), "new_site")), lifecycle.ErrStaleAssessment,
		"change-assessment", "an assessment made before the change cannot reassess it")
	requireRule(t, f.try(reviewEvent(at.AddDate(0, 0, 10), at, "business_model")), lifecycle.ErrInvalidTransition,
		"nothing-to-review", "no business-model change was notified")
	f.do(reviewEvent(at.AddDate(0, 0, 10), at.AddDate(0, 0, 9), "new_site"))
	require.Len(t, f.a.Changes, 1, "the directors' change is still open")
	assert.Equal(t, "new_directors", f.a.Changes[0].Kind)
	f.do(reviewEvent(at.AddDate(0, 0, 11), at.AddDate(0, 0, 11)))
	assert.Empty(t, f.a.Changes, "a review naming no kind closes them all")
	assert.Empty(t, l.Due(f.a, at.AddDate(0, 0, 11)), "nothing left on the queue")
}

// TestChangeRulesValidate checks the changes section's problems.
func TestChangeRulesValidate(t *testing.T) {
	cfg := lifecycle.Config{Changes: lifecycle.ChangeRules{Kinds: map[string]lifecycle.ChangeKind{
		"new site": {Requirements: []string{"I.1", "I.1", ""}},
	}}}
	err := cfg.Validate()
	require.Error(t, err)
	for _, want := range []string{
		"changes.kinds.new site: a kind of change is a token",
		"changes.kinds.new site.requirements[1]: I.1 listed twice",
		"changes.kinds.new site.requirements[2]: an empty ID",
	} {
		assert.Contains(t, err.Error(), want)
	}
	keys := map[string]bool{}
	for _, r := range changeConfig().Rules() {
		keys[r.Key] = true
	}
	assert.True(t, keys["changes.kinds.new_site.reassess_within"] && keys["changes.reassess_within"],
		"the changes section's time rules are listed for audit: %v", keys)
	assert.False(t, keys["changes.kinds.new_site.requirements[0]"], "what a change puts up for reassessment is not a time rule")
}
