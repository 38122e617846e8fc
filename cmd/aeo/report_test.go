package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/benefits"
	"github.com/safe-aeo/engine/lifecycle"
	"github.com/safe-aeo/engine/phases"
)

// The programme and profiles of the report package's tests.
const (
	reportProgramme = "../../report/testdata/programme.yaml"
	reportCarrier   = "../../report/testdata/carrier.yaml"
	reportCompliant = "../../report/testdata/compliant.yaml"
)

// reportInputs writes a ledger, an audit trail and a tracker state for
// the report commands to read, as a host would export them.
func reportInputs(t *testing.T) (ledger, trail, state string) {
	t.Helper()
	dir := t.TempDir()
	p, err := aeo.Load(reportProgramme)
	require.NoError(t, err)

	var recs []benefits.Record
	for m := time.January; m <= time.June; m++ {
		recs = append(recs, benefits.Record{Benefit: "safe.release.fast-lane", Operator: "XX0100000001", At: time.Date(2025, m, 10, 0, 0, 0, 0, time.UTC), Quantity: 35})
	}
	var buf bytes.Buffer
	require.NoError(t, benefits.WriteJSON(&buf, recs))
	ledger = filepath.Join(dir, "ledger.json")
	require.NoError(t, os.WriteFile(ledger, buf.Bytes(), 0o644))

	prof, err := aeo.LoadProfile(reportCompliant)
	require.NoError(t, err)
	asOf := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	a, err := p.Assess(context.Background(), prof, asOf)
	require.NoError(t, err)
	ref := a.Ref()
	var auth lifecycle.Authorization
	var records []lifecycle.Record
	for _, ev := range []lifecycle.Event{
		{Kind: lifecycle.EventLodge, At: asOf.AddDate(0, 0, 1), Actor: prof.Name, Role: lifecycle.ActorOperator, Types: []string{"AEO"}, Sites: []string{"W1", "O1"}},
		{Kind: lifecycle.EventAccept, At: asOf.AddDate(0, 0, 8), Actor: "officer Amara", Role: lifecycle.ActorOfficer},
		{Kind: lifecycle.EventValidate, At: asOf.AddDate(0, 0, 40), Actor: "officer Amara", Role: lifecycle.ActorOfficer, Sites: []string{"W1", "O1"},
			Validation: &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true}, Evidence: []string{"visit report V-2025-031"}},
		{Kind: lifecycle.EventGrant, At: asOf.AddDate(0, 0, 55), Actor: "officer Amara", Approver: "officer Okafor", Role: lifecycle.ActorOfficer,
			Types: []string{"AEO"}, Reasons: []string{"every criterion met"}, Assessment: &ref},
	} {
		next, rec, err := p.Lifecycle().Apply(auth, ev)
		require.NoError(t, err, ev.Kind.String())
		auth, records = next, append(records, rec)
	}
	b, err := json.Marshal(records)
	require.NoError(t, err)
	trail = filepath.Join(dir, "trail.json")
	require.NoError(t, os.WriteFile(trail, b, 0o644))

	plan := phases.Default()
	s, err := plan.Apply(phases.State{}, phases.Event{Kind: phases.TaskDone, ID: plan.Config().Phases[0].Tasks[0].ID}, time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	b, err = json.Marshal(s)
	require.NoError(t, err)
	state = filepath.Join(dir, "state.json")
	require.NoError(t, os.WriteFile(state, b, 0o644))
	return ledger, trail, state
}

// TestReportCommands runs each HTML report from the command line and
// checks it is a whole page in the language asked for, with nothing
// fetched from elsewhere.
func TestReportCommands(t *testing.T) {
	ledger, trail, state := reportInputs(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
		reason   string
	}{
		{name: "assess letter in French", args: []string{"assess", "--format", "html", "--view", "operator", "--lang", "fr", "--as-of", "2025-03-31", reportProgramme, reportCarrier},
			want:   []string{`<html lang="fr">`, "Résultat de votre évaluation", "Délais et voies de recours"},
			reason: "the operator letter an operator in Dakar prints"},
		{name: "assess dossier", args: []string{"assess", "--format", "html", "--budget", "60", "--as-of", "2025-03-31", reportProgramme, reportCarrier},
			want:   []string{`<html lang="en">`, "Risk matrix: likelihood × consequence", "Plan of treatment", "<svg"},
			reason: "the internal dossier shows the risk matrix and the plan"},
		{name: "report letter in Spanish", args: []string{"report", "letter", "--lang", "es-PE", "--as-of", "2025-03-31", reportProgramme, reportCarrier},
			want:   []string{`<html lang="es">`, "Plazos y derecho de recurso"},
			reason: "a regional tag matches its language"},
		{name: "report dossier", args: []string{"report", "dossier", "--as-of", "2025-03-31", reportProgramme, reportCarrier},
			want:   []string{"Internal dossier", "Findings"},
			reason: "the dossier without a plan when no budget is given"},
		{name: "report benefits", args: []string{"report", "benefits", "--by", "month", reportProgramme, ledger},
			want:   []string{"Expected and achieved, per benefit", "Dedicated AEO lane at the border", "2025-06"},
			reason: "the range defaults to the months the records span"},
		{name: "report history", args: []string{"report", "history", "--as-of", "2025-12-31", "--operator", "Harbourside Imports Ltd", reportProgramme, trail},
			want:   []string{"Authorization history", "Harbourside Imports Ltd", "granted", "revalidation"},
			reason: "the trail is replayed under the programme's rules, with its deadlines"},
		{name: "report phases", args: []string{"report", "phases", "--as-of", "2025-02-01", "--lang", "fr", state},
			want:   []string{"Avancement de la mise en œuvre", "1/"},
			reason: "the default nine-phase plan"},
		{name: "unknown report", args: []string{"report", "poster"}, wantCode: 2, reason: "an unknown report is a usage error"},
		{name: "benefits bad interval", args: []string{"report", "benefits", "--by", "week", reportProgramme, ledger}, wantCode: 2,
			reason: "the periods are whole, month, quarter or year"},
		{name: "history of a trail that is not JSON", args: []string{"report", "history", reportProgramme, reportCarrier}, wantCode: 1,
			reason: "a file that is not a trail is an error, not a report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(binary, tt.args...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tt.wantCode, code, "%s; stderr: %s", tt.reason, stderr.String())
			if tt.wantCode != 0 {
				return
			}
			page := stdout.String()
			require.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"), "%s: not an HTML page", tt.name)
			for _, w := range tt.want {
				assert.Contains(t, page, w, tt.reason)
			}
			for _, bad := range []string{"<script", "<link", " src=", "url(", "@import", "https://"} {
				assert.NotContains(t, page, bad, "%s: the page must be self-contained", tt.name)
			}
		})
	}
}
