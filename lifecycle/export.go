package lifecycle

import (
	"fmt"
	"slices"
	"strings"
)

// A graph edge as drawn: the events that move from one node to another,
// merged into one label.
type drawnEdge struct {
	from, to string
	events   []string
	dashed   bool // an appeal's effect
}

// graph collects the edges of the lifecycle, sorted by source, target and
// event order so that the output is stable.
func (l *Machine) graph() (status, appeal []drawnEdge) {
	add := func(list []drawnEdge, from, to, ev string, dashed bool) []drawnEdge {
		for i := range list {
			if list[i].from == from && list[i].to == to && list[i].dashed == dashed {
				if !slices.Contains(list[i].events, ev) {
					list[i].events = append(list[i].events, ev)
				}
				return list
			}
		}
		return append(list, drawnEdge{from: from, to: to, events: []string{ev}, dashed: dashed})
	}
	for _, t := range Transitions() {
		to := t.To
		if to == nil {
			to = []Status{t.From}
		}
		for _, s := range to {
			status = add(status, t.From.String(), s.String(), t.Event.String(), false)
		}
	}
	for _, e := range AppealEffects() {
		for _, s := range e.To {
			if s != e.From {
				status = add(status, e.From.String(), s.String(), "allow_appeal ("+e.Against.String()+")", true)
			}
		}
	}
	for _, t := range AppealTransitions() {
		appeal = add(appeal, phaseNode(t.From), phaseNode(t.To), t.Event.String(), false)
	}
	return status, appeal
}

func phaseNode(p AppealPhase) string { return "appeal_" + p.String() }

// notes returns, per status or appeal phase node, the time rules of the
// programme that run there ("decision_deadline 120d").
func (l *Machine) notes() map[string][]string {
	where := func(key string) []string {
		has := func(prefix string) bool { return strings.HasPrefix(key, prefix) }
		switch {
		case key == "acceptance_deadline":
			return []string{"lodged"}
		case key == "completion_window":
			return []string{"incomplete"}
		case key == "decision_deadline", key == "decision_extension", has("validation."):
			return []string{"examination"}
		case key == "effect_after", has("revalidation."), has("coordinator."):
			return []string{"authorized"}
		case has("suspension."):
			return []string{"partly_suspended", "suspended"}
		case has("corrective_action."):
			return []string{"authorized"}
		case key == "hearing_period":
			return []string{"revocation_proposed"}
		case has("validity."), has("hearings."):
			return []string{"authorized"}
		case has("certificates."), has("changes."):
			return []string{"authorized"}
		case has("reapply_bar."):
			for _, n := range []struct{ suffix, node string }{
				{"after_refusal", "refused"}, {"after_revocation", "revoked"},
				{"after_withdrawal", "withdrawn"}, {"after_annulment", "annulled"},
			} {
				if strings.HasSuffix(key, n.suffix) {
					return []string{n.node}
				}
			}
		case has("appeal."):
			return []string{phaseNode(AppealLodged)}
		}
		return nil
	}
	out := map[string][]string{}
	l.cfg.walk(func(key, value string) {
		if strings.HasSuffix(key, ".stage") {
			return // names a stage; its limits follow
		}
		label := key + " " + value
		if strings.HasPrefix(key, "appeal.stages[") {
			// Name the stage rather than its index: "customs_review.window 30d".
			var i int
			var field string
			if _, err := fmt.Sscanf(key, "appeal.stages[%d].", &i); err == nil && i < len(l.cfg.Appeal.Stages) {
				field = key[strings.Index(key, "].")+2:]
				label = l.cfg.Appeal.Stages[i].Stage.String() + "." + field + " " + value
				if l.cfg.Appeal.Stages[i].Stage == StageRequestReasons {
					out[phaseNode(AppealReasonsRequested)] = append(out[phaseNode(AppealReasonsRequested)], label)
					return
				}
			}
		}
		for _, n := range where(key) {
			out[n] = append(out[n], label)
		}
	})
	return out
}

// Mermaid returns the lifecycle as a Mermaid state diagram: the statuses
// and their events, the effects of allowed appeals (dotted in DOT, marked
// "allow_appeal (...)" here), the appeal track as a composite state, and
// under each status the programme's time rules that run there. The output
// is sorted and stable.
func (l *Machine) Mermaid() string {
	status, appeal := l.graph()
	notes := l.notes()
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	b.WriteString("    direction LR\n")
	fmt.Fprintf(&b, "    [*] --> %s\n", StatusNone)
	for s := Status(0); s < numStatuses; s++ {
		for _, n := range notes[s.String()] {
			fmt.Fprintf(&b, "    %s : %s\n", s, mermaidText(n))
		}
	}
	for _, e := range status {
		fmt.Fprintf(&b, "    %s --> %s : %s\n", e.from, e.to, mermaidText(strings.Join(e.events, ", ")))
	}
	b.WriteString("    state appeal {\n")
	fmt.Fprintf(&b, "        [*] --> %s\n", phaseNode(AppealNone))
	for p := AppealPhase(0); p < numPhases; p++ {
		for _, n := range notes[phaseNode(p)] {
			fmt.Fprintf(&b, "        %s : %s\n", phaseNode(p), mermaidText(n))
		}
	}
	for _, e := range appeal {
		fmt.Fprintf(&b, "        %s --> %s : %s\n", e.from, e.to, mermaidText(strings.Join(e.events, ", ")))
	}
	b.WriteString("    }\n")
	return b.String()
}

// mermaidText keeps a label on one line and clear of Mermaid's separators.
func mermaidText(s string) string {
	return strings.NewReplacer("\n", " ", ":", "-", ";", ",", "#", "").Replace(s)
}

// DOT returns the lifecycle as a Graphviz digraph: the statuses (with the
// programme's time rules that run there), their events, the effects of
// allowed appeals as dashed edges, and the appeal track as a cluster. The
// output is sorted and stable.
func (l *Machine) DOT() string {
	status, appeal := l.graph()
	notes := l.notes()
	var b strings.Builder
	b.WriteString("digraph lifecycle {\n")
	b.WriteString("\trankdir=LR;\n")
	b.WriteString("\tnode [shape=box, style=rounded];\n")
	node := func(indent, id, name string) {
		label := name
		for _, n := range notes[id] {
			label += "\n" + n
		}
		fmt.Fprintf(&b, "%s%s [label=%s];\n", indent, dotQuote(id), dotQuote(label))
	}
	edge := func(indent string, e drawnEdge) {
		attrs := "label=" + dotQuote(strings.Join(e.events, ", "))
		if e.dashed {
			attrs += ", style=dashed"
		}
		fmt.Fprintf(&b, "%s%s -> %s [%s];\n", indent, dotQuote(e.from), dotQuote(e.to), attrs)
	}
	for s := Status(0); s < numStatuses; s++ {
		node("\t", s.String(), s.String())
	}
	for _, e := range status {
		edge("\t", e)
	}
	b.WriteString("\tsubgraph cluster_appeal {\n")
	b.WriteString("\t\tlabel=\"appeal (runs beside the status)\";\n")
	for p := AppealPhase(0); p < numPhases; p++ {
		node("\t\t", phaseNode(p), p.String())
	}
	for _, e := range appeal {
		edge("\t\t", e)
	}
	b.WriteString("\t}\n")
	b.WriteString("}\n")
	return b.String()
}

// dotQuote quotes s as a DOT string.
func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
