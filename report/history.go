package report

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/calendar"
	"github.com/safe-aeo/engine/lifecycle"
)

// History is an authorization's history drawn from its audit trail: the
// events on a timeline by kind (application, decisions, suspensions,
// monitoring, appeals), the status the authorization was in between
// them, and the deadlines that ran, each marked open, overdue or closed
// as of the report's date; then the same as tables.
//
// With a Machine, the trail is replayed under its rules (which also
// verifies it) and the deadlines are those of the states it went
// through; without one, only the hash chain is checked and no deadline is
// drawn. A trail that does not verify is drawn up to the first record at
// fault, under a warning.
type History struct {
	// Machine is the lifecycle the trail was recorded under (the
	// programme's, see [aeo.Programme.Lifecycle]); optional.
	Machine *lifecycle.Machine
	// Trail is the authorization's audit trail.
	Trail lifecycle.Trail
	// Head, when given, is the hash kept with the state, checked against
	// the end of the trail (see [lifecycle.Trail.VerifyHead]).
	Head string
	// Operator names the operator; optional.
	Operator string
	// AsOf is the date of the report: open deadlines before it are
	// overdue. Zero takes the date of the last event.
	AsOf time.Time
}

type historyView struct {
	Page      page
	Operator  string
	AsOf      time.Time
	Status    string
	Problem   string
	NoRules   bool
	Chart     template.HTML
	Events    []eventRow
	Deadlines []deadlineRow
	Legend    []swatch
}

type eventRow struct {
	N                  int
	At                 time.Time
	Kind, By, From, To string
	Details            []string
	Colour             string
}

type deadlineRow struct {
	Due              time.Time
	Kind, Type, Rule string
	SetBy            int
	State, Token     string
}

// WriteHTML writes the history as one self-contained HTML page.
func (h History) WriteHTML(w io.Writer, o Options) error {
	l, err := localeFor(o, "")
	if err != nil {
		return err
	}
	return render(w, l, "history", h.view(l))
}

// deadline is one due item of a state the authorization went through.
type deadline struct {
	item  lifecycle.DueItem
	setBy int // 1-based number of the event after which it was first due
	state string
}

func (h History) view(l *locale) historyView {
	v := historyView{Page: page{Lang: l.tag.String(), Title: l.T("history.title", h.Operator)}, Operator: h.Operator}
	trail := h.Trail
	var states []lifecycle.Authorization
	var err error
	if h.Machine != nil {
		states, err = h.Machine.ReplayStates(trail)
		if err == nil && h.Head != "" {
			err = trail.VerifyHead(h.Head)
		}
	} else {
		v.NoRules = true
		err = trail.Verify()
		if err == nil && h.Head != "" {
			err = trail.VerifyHead(h.Head)
		}
	}
	if err != nil {
		v.Problem = l.T("history.problem", err.Error())
		if h.Machine != nil {
			// Draw only what replayed.
			trail = trail[:len(states)]
		}
	}
	asOf := h.AsOf
	if asOf.IsZero() && len(trail) > 0 {
		asOf = trail[len(trail)-1].Event.At
	}
	v.AsOf = asOf
	v.Page.Footer = l.T("history.footer", l.Int(len(h.Trail)), l.Date(asOf))
	if len(trail) == 0 {
		v.Status = l.Label("status", lifecycle.StatusNone.String())
		return v
	}
	v.Status = l.Label("status", trail[len(trail)-1].To.String())
	deadlines := h.deadlines(trail, states, asOf)
	for i, r := range trail {
		ev := r.Event
		row := eventRow{N: i + 1, At: ev.At, Kind: l.Label("event", ev.Kind.String()), From: l.Label("status", r.From.String()), To: l.Label("status", r.To.String()), Colour: eventColour(ev.Kind)}
		row.By = ev.Actor
		if ev.Role != lifecycle.ActorUnknown {
			row.By += " (" + l.Label("role", ev.Role.String()) + ")"
		}
		if ev.Approver != "" {
			row.By += "; " + l.T("history.approver", ev.Approver)
		}
		row.Details = l.eventDetails(ev)
		v.Events = append(v.Events, row)
	}
	for _, d := range deadlines {
		v.Deadlines = append(v.Deadlines, deadlineRow{
			Due: d.item.Due, Kind: l.Label("due", d.item.Kind.String()), Type: d.item.Type, Rule: d.item.Rule,
			SetBy: d.setBy, State: l.T("history.deadline." + d.state), Token: d.state,
		})
	}
	v.Chart = h.chart(l, trail, deadlines, asOf)
	for _, st := range []lifecycle.Status{lifecycle.StatusExamination, lifecycle.StatusAuthorized, lifecycle.StatusPartlySuspended,
		lifecycle.StatusSuspended, lifecycle.StatusRevocationProposed, lifecycle.StatusRefused, lifecycle.StatusWithdrawn} {
		v.Legend = append(v.Legend, swatch{Label: l.Label("status", st.String()), Colour: statusColour(st)})
	}
	return v
}

// deadlines gathers the due items of every state the authorization went
// through, once each, with the event that set it and its state as of
// asOf: open or overdue when the last state still has it due, closed
// when a later event took it away.
func (h History) deadlines(trail lifecycle.Trail, states []lifecycle.Authorization, asOf time.Time) []deadline {
	if h.Machine == nil || len(states) == 0 {
		return nil
	}
	type key struct {
		kind lifecycle.DueKind
		typ  string
		due  time.Time
	}
	seen := map[key]int{}
	var out []deadline
	for i, st := range states {
		for _, d := range h.Machine.Due(st, trail[i].Event.At) {
			k := key{d.Kind, d.Type, d.Due}
			if _, ok := seen[k]; ok {
				continue
			}
			seen[k] = len(out)
			out = append(out, deadline{item: d, setBy: i + 1, state: "closed"})
		}
	}
	for _, d := range h.Machine.Due(states[len(states)-1], asOf) {
		if j, ok := seen[key{d.Kind, d.Type, d.Due}]; ok {
			out[j].state = "open"
			if d.Overdue {
				out[j].state = "overdue"
			}
		}
	}
	slices.SortStableFunc(out, func(a, b deadline) int {
		if c := a.item.Due.Compare(b.item.Due); c != 0 {
			return c
		}
		return cmp.Compare(a.item.Kind, b.item.Kind)
	})
	return out
}

// eventDetails lists what an event carries besides its kind and actor.
func (l *locale) eventDetails(ev lifecycle.Event) []string {
	var out []string
	if len(ev.Types) > 0 {
		out = append(out, l.T("history.types", strings.Join(ev.Types, ", ")))
	}
	if ev.Grade != "" {
		out = append(out, l.T("common.grade", ev.Grade))
	}
	if ev.Criterion != "" {
		out = append(out, l.T("history.criterion", ev.Criterion))
	}
	if !ev.Period.IsZero() {
		out = append(out, l.T("history.period", l.Period(ev.Period)))
	}
	if v := ev.Validation; v != nil {
		s := l.Label("method", v.Method.String())
		if v.Validator != "" {
			s += " (" + v.Validator + ")"
		}
		if v.Satisfied {
			s += ": " + l.T("history.satisfied")
		} else {
			s += ": " + l.T("history.not_satisfied")
		}
		out = append(out, s)
	}
	if len(ev.Sites) > 0 {
		out = append(out, l.T("history.sites", strings.Join(ev.Sites, ", ")))
	}
	if ev.Stage != lifecycle.StageNone {
		out = append(out, l.T("history.stage", l.Label("stage", ev.Stage.String())))
	}
	if ev.Kind == lifecycle.EventMonitor && ev.Monitoring != lifecycle.MonitoringOther {
		out = append(out, l.Label("monitoring", ev.Monitoring.String()))
	}
	if ev.Kind == lifecycle.EventControlStep && ev.Step != lifecycle.StepNone {
		out = append(out, l.T("history.step", ev.Step.Number(), l.Label("step", ev.Step.String())))
	}
	if ev.Issue != "" {
		out = append(out, l.T("history.issue", ev.Issue))
	}
	if ev.Coordinator != "" {
		out = append(out, l.T("history.coordinator", ev.Coordinator))
	}
	for _, r := range ev.Reasons {
		out = append(out, "“"+r+"”")
	}
	if len(ev.Evidence) > 0 {
		out = append(out, l.T("history.evidence", strings.Join(ev.Evidence, ", ")))
	}
	return out
}

// A lane of the timeline groups events of one kind.
type lane struct {
	key   string
	kinds []lifecycle.EventKind
}

var lanes = []lane{
	{"application", []lifecycle.EventKind{lifecycle.EventLodge, lifecycle.EventReturn, lifecycle.EventResubmit, lifecycle.EventAccept,
		lifecycle.EventReject, lifecycle.EventExtendDeadline, lifecycle.EventRequestCustomsValidation, lifecycle.EventValidate, lifecycle.EventWithdraw,
		lifecycle.EventLodgeRenewal}},
	{"decision", []lifecycle.EventKind{lifecycle.EventGrant, lifecycle.EventRefuse, lifecycle.EventRevoke, lifecycle.EventAnnul,
		lifecycle.EventStartReassessment, lifecycle.EventConfirmReassessment, lifecycle.EventRenew, lifecycle.EventRefuseRenewal, lifecycle.EventLapse}},
	{"suspension", []lifecycle.EventKind{lifecycle.EventSuspend, lifecycle.EventLift, lifecycle.EventProposeRevocation, lifecycle.EventObservations,
		lifecycle.EventRequestCorrectiveAction, lifecycle.EventExtendCorrectiveAction, lifecycle.EventCompleteCorrectiveAction,
		lifecycle.EventDenyBenefits, lifecycle.EventRestoreBenefits}},
	{"monitoring", []lifecycle.EventKind{lifecycle.EventMonitor, lifecycle.EventAssignCoordinator, lifecycle.EventRotateCoordinator,
		lifecycle.EventRaiseIssue, lifecycle.EventAcknowledgeIssue, lifecycle.EventAnswerIssue, lifecycle.EventCloseIssue, lifecycle.EventControlStep}},
	{"appeal", []lifecycle.EventKind{lifecycle.EventRequestReasons, lifecycle.EventGiveReasons, lifecycle.EventLodgeAppeal,
		lifecycle.EventAllowAppeal, lifecycle.EventDismissAppeal, lifecycle.EventWithdrawAppeal,
		lifecycle.EventRequestHearing, lifecycle.EventScheduleHearing, lifecycle.EventHoldHearing, lifecycle.EventHearingSubmission}},
}

func laneOf(k lifecycle.EventKind) int {
	for i, ln := range lanes {
		if slices.Contains(ln.kinds, k) {
			return i
		}
	}
	return 0
}

// eventColour is green for events that give or restore, red for those
// that take away, blue for the rest.
func eventColour(k lifecycle.EventKind) string {
	switch k {
	case lifecycle.EventGrant, lifecycle.EventAccept, lifecycle.EventLift, lifecycle.EventAllowAppeal,
		lifecycle.EventConfirmReassessment, lifecycle.EventCompleteCorrectiveAction, lifecycle.EventRenew, lifecycle.EventRestoreBenefits:
		return colMet
	case lifecycle.EventRefuse, lifecycle.EventReject, lifecycle.EventRevoke, lifecycle.EventAnnul, lifecycle.EventSuspend,
		lifecycle.EventProposeRevocation, lifecycle.EventDismissAppeal, lifecycle.EventRefuseRenewal, lifecycle.EventLapse,
		lifecycle.EventDenyBenefits:
		return colNotMet
	}
	return colAccent
}

// statusColour is the fill of a status on the timeline's status band.
func statusColour(s lifecycle.Status) string {
	switch s {
	case lifecycle.StatusLodged, lifecycle.StatusIncomplete, lifecycle.StatusExamination:
		return "#a9c8e8"
	case lifecycle.StatusAuthorized:
		return "#8fce92"
	case lifecycle.StatusPartlySuspended:
		return "#f5cf7a"
	case lifecycle.StatusSuspended:
		return "#f0a064"
	case lifecycle.StatusRevocationProposed:
		return "#e9836b"
	case lifecycle.StatusRefused, lifecycle.StatusNotAccepted, lifecycle.StatusRevoked, lifecycle.StatusAnnulled, lifecycle.StatusLapsed:
		return "#d06a67"
	case lifecycle.StatusWithdrawn:
		return "#c3cad1"
	}
	return "#ffffff"
}

func deadlineColour(state string) string {
	switch state {
	case "overdue":
		return colNotMet
	case "open":
		return colPartly
	}
	return "#9aa4ae"
}

// chart draws the timeline.
func (h History) chart(l *locale, trail lifecycle.Trail, deadlines []deadline, asOf time.Time) template.HTML {
	start := calendar.Date(trail[0].Event.At)
	end := calendar.Date(asOf)
	if last := calendar.Date(trail[len(trail)-1].Event.At); last.After(end) {
		end = last
	}
	// Open deadlines within a year of the end widen the axis to show them.
	horizon := end.AddDate(1, 0, 0)
	for _, d := range deadlines {
		if d.state != "closed" && d.item.Due.After(end) && !d.item.Due.After(horizon) {
			end = d.item.Due
		}
	}
	if !end.After(start) {
		end = start.AddDate(0, 1, 0)
	}
	const width, left, right = 680.0, 96.0, 14.0
	span := end.Sub(start).Hours()
	pad := span * 0.03
	t0 := start.Add(-time.Duration(pad * float64(time.Hour)))
	total := span + 2*pad
	xAt := func(t time.Time) float64 { return left + (width-left-right)*t.Sub(t0).Hours()/total }
	inRange := func(t time.Time) bool {
		return !t.Before(t0) && !t.After(end.Add(time.Duration(pad*float64(time.Hour))))
	}

	// Place events on their lanes, in sub-rows so that markers do not
	// overlap.
	const r, subH, laneGap = 8.0, 19.0, 6.0
	type placed struct {
		x         float64
		lane, sub int
	}
	var marks []placed
	lastX := make([][]float64, len(lanes))
	for _, rec := range trail {
		x := xAt(rec.Event.At)
		ln := laneOf(rec.Event.Kind)
		sub := -1
		for i, lx := range lastX[ln] {
			if x-lx >= 2*r+1 {
				sub = i
				break
			}
		}
		if sub < 0 {
			if len(lastX[ln]) < 3 {
				lastX[ln] = append(lastX[ln], math.Inf(-1))
				sub = len(lastX[ln]) - 1
			} else {
				sub = 0
				for i := range lastX[ln] {
					if lastX[ln][i] < lastX[ln][sub] {
						sub = i
					}
				}
			}
		}
		lastX[ln][sub] = x
		marks = append(marks, placed{x: x, lane: ln, sub: sub})
	}
	laneY := make([]float64, len(lanes))
	y := 8.0
	for i := range lanes {
		laneY[i] = y
		if n := len(lastX[i]); n > 0 {
			y += float64(n)*subH + laneGap
		}
	}
	bandY := y + 4
	const bandH = 18.0
	dlY := bandY + bandH + 8
	dlH := 0.0
	if len(deadlines) > 0 {
		dlH = 22
	}
	axisY := dlY + dlH + 4
	height := axisY + 22
	s := newSVG(width, height, l.T("history.chart"))

	// Lanes: a light band and the lane's name.
	for i, ln := range lanes {
		n := len(lastX[i])
		if n == 0 {
			continue
		}
		s.rect(left, laneY[i], width-left-right, float64(n)*subH, colBand, "rx", "3")
		s.text(left-8, laneY[i]+float64(n)*subH/2+4, "end", 9.5, colMuted, l.T("history.lane."+ln.key))
	}
	// Ticks.
	for _, tk := range ticks(start, end) {
		x := xAt(tk.at)
		if x < left || x > width-right {
			continue
		}
		s.line(x, 4, x, axisY, colRule, 1, "stroke-dasharray", "2 3")
		label := l.Month(tk.at)
		if tk.yearly {
			label = fmt.Sprint(tk.at.Year())
		}
		s.text(x, axisY+14, "middle", 9, colMuted, label)
	}
	s.line(left, axisY, width-right, axisY, colInk, 1)
	// Status band.
	s.text(left-8, bandY+bandH/2+4, "end", 9.5, colMuted, l.T("history.lane.status"))
	for i, rec := range trail {
		if i > 0 && trail[i-1].To == rec.To {
			continue // drawn with the span it continues
		}
		from := xAt(rec.Event.At)
		to := xAt(end)
		for j := i + 1; j < len(trail); j++ {
			if trail[j].To != rec.To {
				to = xAt(trail[j].Event.At)
				break
			}
		}
		if to <= from {
			continue
		}
		st := l.Label("status", rec.To.String())
		s.group(st)
		s.rect(from, bandY, to-from, bandH, statusColour(rec.To), "stroke", "#ffffff", "stroke-width", "1")
		s.end()
		if to-from > textWidth(st, 8.5)+8 {
			s.text((from+to)/2, bandY+12.5, "middle", 8.5, colInk, st)
		}
	}
	// Deadlines: diamonds, coloured by their state.
	if len(deadlines) > 0 {
		s.text(left-8, dlY+dlH/2+4, "end", 9.5, colMuted, l.T("history.lane.deadlines"))
		for _, d := range deadlines {
			if !inRange(d.item.Due) {
				continue
			}
			x, cy := xAt(d.item.Due), dlY+dlH/2
			s.group(l.Label("due", d.item.Kind.String()) + ": " + l.Date(d.item.Due) + " (" + l.T("history.deadline."+d.state) + ")")
			s.polygon([]float64{x, cy - 6, x + 6, cy, x, cy + 6, x - 6, cy}, deadlineColour(d.state), "stroke", "#ffffff", "stroke-width", "1")
			s.end()
		}
	}
	// The report's date.
	if ax := xAt(calendar.Date(asOf)); ax >= left && ax <= width-right {
		s.line(ax, 2, ax, axisY, colInk, 1.2, "stroke-dasharray", "5 3")
	}
	// Events, numbered as in the table.
	for i, m := range marks {
		rec := trail[i]
		cy := laneY[m.lane] + float64(m.sub)*subH + subH/2
		s.group(fmt.Sprintf("%d. %s, %s", i+1, l.Label("event", rec.Event.Kind.String()), l.Date(rec.Event.At)))
		s.circle(m.x, cy, r, eventColour(rec.Event.Kind), "stroke", "#ffffff", "stroke-width", "1.5")
		size := 9.0
		if i+1 >= 100 {
			size = 6.5
		} else if i+1 >= 10 {
			size = 8
		}
		s.text(m.x, cy+3.2, "middle", size, "#ffffff", fmt.Sprint(i+1), "font-weight", "bold")
		s.end()
	}
	return s.HTML()
}

type tick struct {
	at     time.Time
	yearly bool
}

// ticks returns the first days of months between start and end, every
// one, two, three or six months or every one, two, five or ten years,
// whichever gives at most eight.
func ticks(start, end time.Time) []tick {
	months := (end.Year()-start.Year())*12 + int(end.Month()) - int(start.Month()) + 1
	step := 1
	for _, s := range []int{1, 2, 3, 6, 12, 24, 60, 120, 240, 600} {
		step = s
		if months/s <= 8 {
			break
		}
	}
	var out []tick
	m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	for !m.After(end) && len(out) < 64 {
		idx := m.Year()*12 + int(m.Month()) - 1
		if idx%step == 0 && m.After(start.AddDate(0, 0, -1)) {
			out = append(out, tick{at: m, yearly: step >= 12})
		}
		m = m.AddDate(0, 1, 0)
		if step >= 12 {
			// Jump to the next year boundary.
			m = time.Date(m.Year(), time.January, 1, 0, 0, 0, 0, time.UTC)
			if !m.After(start) {
				m = m.AddDate(1, 0, 0)
			}
		}
	}
	return out
}
