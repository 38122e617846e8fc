package aeo_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
)

// A refItem is one item of SAFE Annex IV, criteria A–M, as the project's
// reference (shared/reference/programmes.md §1.1) lists it: a required
// item of the operator, a WCO Compendium check point, or something
// Customs must do; its confidence tag; and the baseline requirements that
// encode it.
type refItem struct {
	criterion string
	customs   bool   // an obligation of Customs, not of the operator
	tag       string // V, V-tr or R
	text      string // the reference's words, shortened
	by        []string
}

// reference is §1.1 of the reference, item by item, and the items of the
// two seed documents that state one of Customs' obligations more firmly
// (marked "seed"). Headlines count where they state something the
// operator or Customs must do.
var reference = []refItem{
	{"A", true, "V", "Customs take into account the demonstrated compliance history (headline)", []string{"A.C1"}},
	{"A", false, "V-tr", "no infringement precluding designation over the period the programme sets", []string{"A.1"}},
	{"A", true, "V-tr", "an operator established for less than the period judged on available records", []string{"A.C3"}},
	{"A", false, "V-tr", "credible compliance record, also of the legal representative or investors", []string{"A.3"}},
	{"A", false, "V", "applicant and designated persons have no infringements (Compendium)", []string{"A.1", "A.3"}},
	{"A", false, "V", "no serious criminal offence linked to the economic activity (Compendium)", []string{"A.2"}},
	{"A", true, "V", "the programme distinguishes serious, repeated and minor infringements (Compendium)", []string{"A.C2"}},
	{"A", false, "V", "no overdue or unpaid duties or taxes (Compendium)", []string{"A.4"}},
	{"A", true, "V", "a contact channel for arrears (Compendium)", []string{"A.C4"}},
	{"A", false, "V", "a quality-assurance system for declarations (Compendium)", []string{"A.5"}},

	{"B", false, "V-tr", "record systems that let Customs audit import/export movements", []string{"B.1"}},
	{"B", false, "V-tr", "Customs access to the records it needs, subject to national law", []string{"B.2"}},
	{"B", false, "V-tr", "internal record-access and control systems", []string{"B.3"}},
	{"B", false, "R", "authorizations, powers of attorney and licences kept and available", []string{"B.4"}},
	{"B", false, "R", "records archived for later production", []string{"B.5"}},
	{"B", false, "R", "IT security against unauthorized access", []string{"B.6"}},
	{"B", false, "V", "archiving and loss-protection procedures (Compendium)", []string{"B.5"}},
	{"B", false, "V", "an audit trail tracing every supply-chain transaction (Compendium)", []string{"B.1"}},
	{"B", false, "V", "records cross-checkable against actual operations (Compendium)", []string{"B.7"}},

	{"C", false, "R", "good financial standing sufficient to fulfil commitments", []string{"C.1"}},
	{"C", false, "V", "proven standing over an assessment period before applying (Compendium)", []string{"C.1"}},
	{"C", false, "V", "not subject to bankruptcy proceedings (Compendium)", []string{"C.2"}},
	{"C", false, "V", "duties and taxes paid during the assessment period (Compendium)", []string{"C.3"}},
	{"C", true, "V", "financial indicators may be used; the assessment period (Compendium)", []string{"C.C1"}},

	{"D", false, "R", "identified, accessible points of contact", []string{"D.1"}},
	{"D", false, "R", "unusual documentation and abnormal requests notified to Customs", []string{"D.2"}},
	{"D", false, "R", "illegal, suspicious or unaccounted-for cargo notified and secured", []string{"D.3"}},
	{"D", true, "R", "Customs designate contacts", []string{"D.C1"}},
	{"D", true, "V", "seed 000, lessons learned: appoint client coordinators or contact points for companies", []string{"D.C1"}},
	{"D", true, "R", "Customs establish procedures for AEOs to raise questions and report", []string{"D.C2"}},
	{"D", true, "V", "seed 004, section IX: a formalized method of communication for issues", []string{"D.C2"}},
	{"D", true, "R", "consult regularly; the results feed Customs' risk management (headline)", []string{"D.C3"}},

	{"E", false, "V", "personnel (and partners) educated on supply-chain risks", []string{"E.1"}},
	{"E", false, "V", "security plan and awareness programme: crisis handling, business continuity", []string{"E.2"}},
	{"E", false, "V", "proper investigation and analysis of incidents", []string{"E.2"}},
	{"E", false, "V", "procedures for timely reporting of incidents to Customs", []string{"E.3"}},
	{"E", false, "V", "staff trained in contingency measures", []string{"E.3"}},
	{"E", false, "R", "training on identifying potentially suspect cargo", []string{"E.4"}},
	{"E", false, "R", "records of training delivered", []string{"E.5"}},
	{"E", false, "R", "staff aware of incident-reporting procedures", []string{"E.3"}},
	{"E", false, "R", "specific training on cargo integrity, internal threats, access control", []string{"E.4"}},
	{"E", true, "R", "Customs share information on training, offer awareness material", []string{"E.C1"}},

	{"F", false, "R", "confidentiality and integrity of data exchanged", []string{"F.1"}},
	{"F", false, "R", "advance electronic information as required", []string{"F.2"}},
	{"F", false, "R", "IT security, access control, backup", []string{"F.4"}},
	{"F", true, "R", "Customs protect information entrusted to them (headline)", []string{"F.C1"}},
	{"F", true, "V", "seed 004, section VIII: information obtained is confidential, used solely for its purpose", []string{"F.C1"}},

	{"G", false, "V-tr", "security manual or tangible guidance", []string{"G.1"}},
	{"G", false, "V-tr", "written procedures for timely sealing", []string{"G.2"}},
	{"G", false, "V-tr", "seals meet ISO/PAS 17712", []string{"G.3"}},
	{"G", false, "V-tr", "procedures for affixing and checking seals, reporting compromised ones", []string{"G.4"}},
	{"G", false, "V-tr", "a designated person responsible for seals", []string{"G.5"}},
	{"G", false, "V-tr", "transport unit inspection, seven-point", []string{"G.6"}},
	{"G", false, "V-tr", "regular review of security and control procedures", []string{"G.7"}},
	{"G", true, "V-tr", "the review mechanisms set in the national programme", []string{"G.C1"}},
	{"G", false, "R", "secure storage and access control to cargo areas", []string{"G.8"}},
	{"G", false, "R", "discrepancies and anomalies reported", []string{"G.9"}},

	{"H", false, "V-tr", "all conveyances used can be effectively secured", []string{"H.1"}},
	{"H", false, "V-tr", "unattended conveyances secured and checked on return", []string{"H.2"}},
	{"H", false, "V-tr", "conveyance operators trained", []string{"H.3"}},
	{"H", false, "V-tr", "incidents reported to security staff and Customs, kept on record", []string{"H.4"}},
	{"H", true, "V-tr", "to whom incidents are reported, as the national programme provides", []string{"H.C1"}},
	{"H", false, "V-tr", "concealment places inspected routinely, inspections recorded", []string{"H.5"}},

	{"I", true, "V", "Customs establish the requirements of premises security protocols (headline)", []string{"I.C1"}},
	{"I", false, "R", "intrusion-resistant buildings inspected periodically", []string{"I.1"}},
	{"I", false, "R", "locking devices on windows, gates, fences", []string{"I.2"}},
	{"I", false, "R", "key and lock control", []string{"I.2"}},
	{"I", false, "R", "adequate lighting", []string{"I.3"}},
	{"I", false, "R", "access limited to authorised persons", []string{"I.4"}},
	{"I", false, "R", "private parking separated from cargo areas", []string{"I.5"}},
	{"I", false, "R", "alarms and CCTV where appropriate", []string{"I.6"}},

	{"J", false, "V", "screen prospective employees to the extent legally possible (headline)", []string{"J.1"}},
	{"J", false, "V", "prohibit unauthorised access to facilities, conveyances, loading docks and cargo areas (headline)", []string{"I.4"}},
	{"J", false, "R", "pre-employment checks as national law permits", []string{"J.1"}},
	{"J", false, "R", "periodic checks in security-sensitive posts", []string{"J.2"}},
	{"J", false, "R", "company identification for employees", []string{"J.3"}},
	{"J", false, "R", "unidentified persons and visitors challenged and recorded", []string{"J.4"}},
	{"J", false, "R", "identification and access removed on termination", []string{"J.5"}},

	{"K", true, "V", "Customs establish requirements and mechanisms for partners' commitment (headline)", []string{"K.C1"}},
	{"K", false, "R", "encourage partners to assess and improve security, in contracts where possible", []string{"K.1"}},
	{"K", false, "R", "documentation showing it", []string{"K.1"}},
	{"K", false, "R", "partners' information reviewed before contracting", []string{"K.2"}},

	{"L", false, "V", "crisis management includes advance planning for extraordinary circumstances (headline)", []string{"L.1"}},
	{"L", false, "R", "documented contingency plans, with other authorities", []string{"L.1"}},
	{"L", false, "R", "periodic training and testing of the plans", []string{"L.2"}},
	{"L", true, "R", "Customs plan with AEOs and other authorities for emergencies and recovery", []string{"L.C1"}},

	{"M", false, "R", "regular security risk assessments with mitigation", []string{"M.1"}},
	{"M", false, "R", "documented self-assessment of the security management system", []string{"M.2"}},
	{"M", false, "R", "management review feeding the next period's plan", []string{"M.3"}},
	{"M", true, "V", "Customs plan and implement monitoring (headline)", []string{"M.C1"}},
}

// additions are the baseline's requirements that no item of §1.1 names,
// each with the source that justifies it.
var additions = map[string]string{
	"F.3": "WCO note on AEO for e-commerce, section V.i (UPU Acts: electronic advance data on postal items)",
}

// TestBaselineAgainstReference checks the built-in baseline against the
// reference's SAFE Annex IV table, criterion by criterion: every item is
// encoded by a requirement of its criterion, on the right side; every
// requirement encodes an item (or is a listed addition); a requirement is
// unverified exactly when every item it encodes is recalled [R]; nothing
// is desired, since SAFE's "desired"
// items could not be read. It logs the counts per criterion.
func TestBaselineAgainstReference(t *testing.T) {
	p, err := aeo.Baseline()
	require.NoError(t, err)
	reqs := map[string]criteria.Requirement{}
	var order []string
	for _, r := range p.File().Requirements {
		reqs[r.ID] = r
		order = append(order, r.ID)
	}
	encodes := map[string][]refItem{}
	for _, it := range reference {
		for _, id := range it.by {
			r, ok := reqs[id]
			if !assert.True(t, ok, "%s: %q is encoded by %s, which the baseline lacks", it.criterion, it.text, id) {
				continue
			}
			if !(it.criterion == "J" && id == "I.4") {
				// The joint headline of J prohibits unauthorised access to
				// facilities, which premises security (I.4) encodes.
				assert.Equal(t, it.criterion, r.Criterion, "%s belongs to criterion %s", id, it.criterion)
			}
			assert.Equal(t, it.customs, r.BindsCustoms(), "%s: %q binds %s", id, it.text, map[bool]string{true: "Customs", false: "the operator"}[it.customs])
			encodes[id] = append(encodes[id], it)
		}
	}
	for _, id := range order {
		r := reqs[id]
		items := encodes[id]
		if why, ok := additions[id]; ok {
			assert.Empty(t, items, "%s is listed as an addition but encodes a reference item", id)
			assert.Contains(t, r.Source, strings.Split(why, ",")[0], "%s cites the source of the addition", id)
			continue
		}
		if !assert.NotEmpty(t, items, "%s (%s) encodes no item of the reference", id, r.Title) {
			continue
		}
		assert.NotEqual(t, criteria.Desired, r.Level, "%s is desired, but no source says so", id)
		recalledOnly := !slices.ContainsFunc(items, func(it refItem) bool { return it.tag != "R" })
		assert.Equal(t, recalledOnly, r.Unverified,
			"%s: unverified must be kept exactly where the reference has nothing checked (items %v)", id, tags(items))
		if !recalledOnly {
			assert.Regexp(t, `\[V(-tr)?\]`, r.Source, "%s rests on a checked item: its source cites it", id)
		}
	}

	// The counts, per criterion, against the reference.
	type count struct{ refOp, refCustoms, op, customs int }
	counts := map[string]*count{}
	for _, c := range p.File().Criteria {
		counts[c.ID] = &count{}
	}
	for _, it := range reference {
		if strings.HasPrefix(it.text, "seed") {
			continue // the seeds restate an item of the reference
		}
		if it.customs {
			counts[it.criterion].refCustoms++
		} else {
			counts[it.criterion].refOp++
		}
	}
	for _, r := range p.File().Requirements {
		if r.BindsCustoms() {
			counts[r.Criterion].customs++
		} else {
			counts[r.Criterion].op++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "criterion  reference items (operator + Customs)  baseline requirements (operator + Customs)\n")
	var total count
	for _, c := range p.File().Criteria {
		n := counts[c.ID]
		fmt.Fprintf(&b, "%-9s  %2d + %d %32s %2d + %d\n", c.ID, n.refOp, n.refCustoms, "", n.op, n.customs)
		total.refOp, total.refCustoms, total.op, total.customs = total.refOp+n.refOp, total.refCustoms+n.refCustoms, total.op+n.op, total.customs+n.customs
		// Requirements may merge items of the reference (B.1 is the
		// record system and its audit trail), never leave one out.
		assert.LessOrEqual(t, n.customs, n.refCustoms, "%s: an obligation of Customs the reference does not name", c.ID)
		assert.Equal(t, n.refCustoms > 0, n.customs > 0, "%s: Customs' side of the criterion is encoded where the reference has one", c.ID)
	}
	fmt.Fprintf(&b, "total      %2d + %d %32s %2d + %d\n", total.refOp, total.refCustoms, "", total.op, total.customs)
	t.Logf("SAFE Annex IV against the baseline:\n%s", b.String())
}

func tags(items []refItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.tag)
	}
	return out
}
