package aeotest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/lifecycle"
)

// A Date is an expected date in a fixture: a day such as 2025-03-31, or
// "none" for a date that must not be set (a deadline that does not run,
// an item Due must not list). Its text is checked when the fixtures are
// read.
type Date string

// DateNone is the Date of a date that must not be set.
const DateNone Date = "none"

// UnmarshalText reads a day (YYYY-MM-DD) or none.
func (d *Date) UnmarshalText(b []byte) error {
	if string(b) != string(DateNone) {
		if _, err := time.Parse(time.DateOnly, string(b)); err != nil {
			return fmt.Errorf("want a date such as 2025-03-31, or none, not %q", b)
		}
	}
	*d = Date(b)
	return nil
}

// String returns the day as YYYY-MM-DD, or none.
func (d Date) String() string {
	if d == "" {
		return string(DateNone)
	}
	return string(d)
}

// None reports whether d is none (or empty).
func (d Date) None() bool { return d == "" || d == DateNone }

// Day returns the day of d, midnight UTC, or the zero time for none.
func (d Date) Day() time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// dayOf formats a date the engine holds, or none when it is zero.
func dayOf(t time.Time) string {
	if t.IsZero() {
		return "none"
	}
	return t.Format(time.DateOnly)
}

// StateDates are the dates a lifecycle step can state, by the key a
// fixture writes under dates:, with what each is. Keys marked with
// ".TYPE" take the authorization type after the dot (bar_ends.AEOC).
var StateDates = map[string]string{
	"lodged":                  "the day the application was lodged",
	"acceptance_due":          "the last day to accept, return or reject the application (acceptance_deadline)",
	"completion_due":          "the last day to complete a returned application (completion_window)",
	"decision_due":            "the decision deadline, extended when it was (decision_deadline, decision_extension)",
	"decided":                 "the day of the grant",
	"effective":               "the day the grant takes effect (effect_after)",
	"valid_until":             "the last day of validity (validity.term)",
	"renewal_opens":           "the first day a renewal may be lodged (validity.renewal_window)",
	"renewal_decision_due":    "the last day to decide the renewal lodged (validity.renewal_decision)",
	"revalidation_due":        "the next revalidation (revalidation.cycle)",
	"revalidation_notice":     "the day the holder is notified of it (revalidation.notice)",
	"self_assessment_due":     "the next self-assessment (monitoring.self_assessment)",
	"spot_check_due":          "the next spot check (monitoring.spot_check)",
	"corrective_action_due":   "the corrective-action deadline (corrective_action.deadline, .extension)",
	"hearing_ends":            "the end of the hearing period of a proposed revocation (hearing_period)",
	"hearing_schedule_due":    "the last day to schedule the hearing requested (hearings.schedule_within)",
	"hearing_on":              "the day the hearing is scheduled for",
	"submissions_due":         "the last day for further arguments after the hearing (hearings.submissions_after)",
	"reasons_due":             "the last day to give the reasons requested",
	"appeal_decision_due":     "the last day to rule on the pending appeal",
	"next_appeal_window_ends": "the last day to appeal to the next stage after a dismissal",
	"rotation_due":            "the client coordinator's rotation (coordinator.rotation)",
	"bar_ends.TYPE":           "the first day a new application for TYPE is accepted again (reapply_bar)",
	"suspension_ends.TYPE":    "the end of TYPE's suspension (suspension.period)",
	"remedy_due.TYPE":         "the last day to remedy TYPE's suspension (suspension.remedy_deadline)",
	"revocation_due.TYPE":     "the day an unremedied suspension of TYPE calls for a proposed revocation (suspension.to_revocation)",
}

// checkDateKey reports whether key names a date of StateDates.
func checkDateKey(key string) error {
	if _, ok := StateDates[key]; ok && !strings.HasSuffix(key, ".TYPE") {
		return nil
	}
	if base, typ, ok := strings.Cut(key, "."); ok && typ != "" {
		if _, ok := StateDates[base+".TYPE"]; ok {
			return nil
		}
	}
	keys := slices.Sorted(maps.Keys(StateDates))
	return fmt.Errorf("unknown date %q; want one of %s", key, strings.Join(keys, ", "))
}

// stateDate returns the date key names in a, as of asOf for those Due
// computes (the renewal window and the revalidation notice).
func stateDate(m *lifecycle.Machine, a lifecycle.Authorization, key string, asOf time.Time) time.Time {
	base, typ, _ := strings.Cut(key, ".")
	if typ != "" {
		switch base {
		case "bar_ends":
			for _, b := range a.Bars {
				if b.Type == typ {
					return b.Until
				}
			}
			return time.Time{}
		}
		for _, t := range a.Types {
			if t.Type != typ {
				continue
			}
			switch base {
			case "suspension_ends":
				return t.SuspensionEnds
			case "remedy_due":
				return t.RemedyDue
			case "revocation_due":
				return t.RevocationDue
			}
		}
		return time.Time{}
	}
	switch key {
	case "lodged":
		return dateOnly(a.LodgedAt)
	case "acceptance_due":
		return a.AcceptanceDue
	case "completion_due":
		return a.CompletionDue
	case "decision_due":
		return a.DecisionDue
	case "decided":
		return dateOnly(a.DecidedAt)
	case "effective":
		return a.EffectiveAt
	case "valid_until":
		return a.ValidUntil
	case "renewal_opens", "revalidation_notice":
		kind := lifecycle.DueRenewal
		if key == "revalidation_notice" {
			kind = lifecycle.DueRevalidationNotice
		}
		for _, d := range m.Due(a, asOf) {
			if d.Kind == kind {
				if kind == lifecycle.DueRenewal {
					return d.From
				}
				return d.Due
			}
		}
		return time.Time{}
	case "renewal_decision_due":
		if a.Renewal != nil {
			return a.Renewal.DecisionDue
		}
	case "revalidation_due":
		return a.RevalidationDue
	case "self_assessment_due":
		return a.SelfAssessmentDue
	case "spot_check_due":
		return a.SpotCheckDue
	case "corrective_action_due":
		if a.CorrectiveAction != nil {
			return a.CorrectiveAction.Due
		}
	case "hearing_ends":
		return a.HearingEnds
	case "hearing_schedule_due", "hearing_on", "submissions_due":
		if h := a.Hearing; h != nil {
			return map[string]time.Time{"hearing_schedule_due": h.ScheduleDue, "hearing_on": h.On, "submissions_due": h.SubmissionsDue}[key]
		}
	case "reasons_due", "appeal_decision_due", "next_appeal_window_ends":
		if ap := a.Appeal; ap != nil {
			switch key {
			case "reasons_due":
				return ap.ReasonsDue
			case "appeal_decision_due":
				if ap.Phase == lifecycle.AppealLodged {
					return ap.DecisionDue
				}
			default:
				return ap.NextWindowEnds
			}
		}
	case "rotation_due":
		if a.Coordinator != nil {
			return a.Coordinator.RotationDue
		}
	}
	return time.Time{}
}

// dateOnly is the calendar day of t, midnight UTC; zero stays zero.
func dateOnly(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// dueKey is how a fixture names an item of Due: its rule, followed by a
// space and the type when the item concerns one, or the issue.
func dueKey(d lifecycle.DueItem) string {
	switch {
	case d.Type != "":
		return d.Rule + " " + d.Type
	case d.Partner != "": // a consent notice: "consent PL"
		return d.Rule + " " + d.Partner
	case d.Change != "": // a reassessment without a deadline: "changes new_site"
		return d.Rule + " " + d.Change
	case d.Issue != "":
		return d.Rule + " " + d.Issue
	}
	return d.Rule
}

// compareDue checks the items of Due a fixture lists against the items
// Due gives, adding a mismatch for each that differs. A key without a
// type matches the one item of that rule, whatever its type.
func (r *runner) compareDue(where string, want map[string]Date, items []lifecycle.DueItem) {
	for _, key := range slices.Sorted(maps.Keys(want)) {
		w := want[key]
		var found []lifecycle.DueItem
		for _, d := range items {
			if dueKey(d) == key || (d.Rule == key && !strings.Contains(key, " ")) {
				found = append(found, d)
			}
		}
		what := where + "due " + key
		switch {
		case len(found) > 1:
			r.add(PartLifecycle, what, w.String(), "", fmt.Sprintf("%d items of that rule are due; name the type, e.g. %q", len(found), dueKey(found[0])))
		case len(found) == 0 && !w.None():
			r.add(PartLifecycle, what, w.String(), "none", dueSummary(items))
		case len(found) == 1 && w.None():
			r.add(PartLifecycle, what, "none", dayOf(found[0].Due), "")
		case len(found) == 1 && !found[0].Due.Equal(w.Day()):
			r.add(PartLifecycle, what, w.String(), dayOf(found[0].Due), "")
		}
		for _, d := range found {
			r.timeRule(d.Rule)
		}
	}
}

// dueSummary lists what is due, for a mismatch's detail.
func dueSummary(items []lifecycle.DueItem) string {
	if len(items) == 0 {
		return "nothing is due"
	}
	parts := make([]string, len(items))
	for i, d := range items {
		parts[i] = dueKey(d) + " " + dayOf(d.Due)
	}
	return "due: " + strings.Join(parts, ", ")
}

// timeRule records a time rule of the programme the case exercised.
func (r *runner) timeRule(rule string) {
	if r.res.TimeRules == nil {
		r.res.TimeRules = map[string]bool{}
	}
	r.res.TimeRules[rule] = true
}

// dateKinds maps a date of StateDates to the item of Due that carries the
// same date, so that checking the date exercises that item's time rule.
var dateKinds = map[string]lifecycle.DueKind{
	"acceptance_due": lifecycle.DueAcceptance, "completion_due": lifecycle.DueCompletion,
	"decision_due": lifecycle.DueDecision, "effective": lifecycle.DueEffect, "valid_until": lifecycle.DueExpiry,
	"renewal_opens": lifecycle.DueRenewal, "renewal_decision_due": lifecycle.DueRenewalDecision,
	"revalidation_due": lifecycle.DueRevalidation, "revalidation_notice": lifecycle.DueRevalidationNotice,
	"self_assessment_due": lifecycle.DueSelfAssessment, "spot_check_due": lifecycle.DueSpotCheck,
	"corrective_action_due": lifecycle.DueCorrectiveAction, "hearing_ends": lifecycle.DueHearing,
	"hearing_schedule_due": lifecycle.DueHearingSchedule, "submissions_due": lifecycle.DueHearingSubmissions,
	"reasons_due": lifecycle.DueReasons, "appeal_decision_due": lifecycle.DueAppealDecision,
	"rotation_due": lifecycle.DueCoordinatorRotation, "suspension_ends": lifecycle.DueSuspensionEnd,
	"remedy_due": lifecycle.DueRemedy, "revocation_due": lifecycle.DueProposeRevocation,
}

// dateRule records the time rule that set the date key of a, if any.
func (r *runner) dateRule(m *lifecycle.Machine, a lifecycle.Authorization, key string, asOf time.Time) {
	base, typ, _ := strings.Cut(key, ".")
	if base == "bar_ends" {
		for _, b := range a.Bars {
			if b.Type == typ {
				r.timeRule(b.Rule)
			}
		}
		return
	}
	kind, ok := dateKinds[base]
	if !ok {
		return
	}
	for _, d := range m.Due(a, asOf) {
		if d.Kind == kind && (typ == "" || d.Type == typ) {
			r.timeRule(d.Rule)
		}
	}
}
