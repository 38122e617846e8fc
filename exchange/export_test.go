package exchange_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/exchange"
	"github.com/safe-aeo/engine/lifecycle"
)

const homeFP = "sha256:home-programme"

// home is the Republic of Example (XX) as it exports: its lifecycle knows
// Partnerland (PL, consent needed) and union member XB (none needed).
type home struct {
	t *testing.T
	l *lifecycle.Machine
	x *exchange.Exporter
	h exchange.Holder
}

func newHome(t *testing.T) *home {
	t.Helper()
	l, err := lifecycle.New(lifecycle.Config{}, homeFP, map[string][]string{"competence": {"AEOC"}, "security": {"AEOS"}},
		lifecycle.WithPartners(lifecycle.ExchangePartner{ID: "PL"}, lifecycle.ExchangePartner{ID: "XB", NoConsent: true}))
	require.NoError(t, err)
	x, err := exchange.NewExporter("XX", "Republic AEO", l, nil,
		exchange.Partner{ID: "PL", Programme: "Partnerland AEO", Basis: exchange.BasisMRA, Agreement: "MRA XX-PL", From: at("2025-07-01"), Types: []string{"AEOS"}},
		exchange.Partner{ID: "XB", Programme: "Republic AEO", Basis: exchange.BasisUnion, Agreement: "Example Customs Union"},
		exchange.Partner{ID: "UL", Programme: "Uniland AEO", Basis: exchange.BasisUnilateral})
	require.NoError(t, err)
	return &home{t: t, l: l, x: x, h: exchange.Holder{Operator: exchange.Operator{NationalID: "XX-1", TIN: "XX0001", Name: "Alpha Logistics", Country: "XX"}}}
}

func (hm *home) do(ev lifecycle.Event) {
	hm.t.Helper()
	next, rec, err := hm.l.Apply(hm.h.State, ev)
	require.NoError(hm.t, err, "%s", ev.Kind)
	hm.h.State, hm.h.Trail = next, append(hm.h.Trail, rec)
}

func (hm *home) export(partner string, when time.Time) (exchange.Record, error) {
	hm.t.Helper()
	s, err := hm.x.Export(hm.h, partner, "officer-x", when)
	if err == nil {
		hm.h.State, hm.h.Trail = s.State, append(hm.h.Trail, s.Entry)
	}
	return s.Record, err
}

func officer(k lifecycle.EventKind, when time.Time) lifecycle.Event {
	return lifecycle.Event{Kind: k, At: when, Actor: "officer-a", Role: lifecycle.ActorOfficer, Reasons: []string{"stated"}}
}

func operatorEv(k lifecycle.EventKind, when time.Time, partners ...string) lifecycle.Event {
	return lifecycle.Event{Kind: k, At: when, Actor: "operator", Role: lifecycle.ActorOperator, Partners: partners}
}

// grant takes the holder to AEOC and AEOS granted on 2025-03-20.
func (hm *home) grant() {
	lodge := operatorEv(lifecycle.EventLodge, at("2025-03-01"))
	lodge.Types = []string{"AEOC", "AEOS"}
	hm.do(lodge)
	hm.do(officer(lifecycle.EventAccept, at("2025-03-02")))
	v := officer(lifecycle.EventValidate, at("2025-03-10"))
	v.Validation, v.Evidence, v.Reasons = &lifecycle.ValidationReport{Method: lifecycle.ValidationOnSite, Satisfied: true}, []string{"visit"}, nil
	hm.do(v)
	g := officer(lifecycle.EventGrant, at("2025-03-20"))
	g.Approver, g.Types = "officer-b", []string{"AEOC", "AEOS"}
	g.Assessment = &lifecycle.AssessmentRef{Fingerprint: homeFP, AsOf: at("2025-03-19"),
		Recommended: []lifecycle.TypeGrade{{Type: "AEOC"}, {Type: "AEOS"}}}
	hm.do(g)
}

// TestRoundTrip exports a holder's records from its lifecycle to a
// partner, encodes and decodes the file, checks it against the JSON
// Schema, imports it into the partner's registry and reads the standing
// back; then follows a suspension, a consent withdrawal and its notice.
func TestRoundTrip(t *testing.T) {
	hm := newHome(t)
	hm.grant()
	partner, err := exchange.NewRegistry(exchange.Partner{ID: "XX", Programme: "Republic AEO", Basis: exchange.BasisMRA,
		Agreement: "MRA XX-PL", From: at("2025-07-01"), Types: []string{"AEOS"}})
	require.NoError(t, err)

	_, err = hm.export("PL", at("2025-07-01"))
	require.ErrorIs(t, err, exchange.ErrNoConsent, "no data leaves without consent")
	_, err = hm.export("UL", at("2025-07-01"))
	require.ErrorIs(t, err, exchange.ErrNotExchanged, "nothing is sent to a programme recognised unilaterally")

	hm.do(operatorEv(lifecycle.EventGiveConsent, at("2025-06-15"), "PL"))
	s := officer(lifecycle.EventSuspend, at("2025-07-05"))
	s.Criterion = "competence"
	hm.do(s)

	rec, err := hm.export("PL", at("2025-07-06"))
	require.NoError(t, err)
	want := exchange.Record{
		Issuer: "XX", Programme: "Republic AEO", Seq: 6, Issued: at("2025-07-06"),
		Operator:  exchange.Operator{NationalID: "XX-1", TIN: "XX0001", Name: "Alpha Logistics", Country: "XX"},
		Status:    "authorized",
		Types:     []exchange.Type{{Type: "AEOS", Granted: day("2025-03-20")}},
		Agreement: &exchange.Agreement{Basis: exchange.BasisMRA, Name: "MRA XX-PL", Start: day("2025-07-01")},
		Consent:   &exchange.Consent{Given: day("2025-06-15")},
	}
	if diff := cmp.Diff(want, rec, cmp.AllowUnexported(exchange.Date{})); diff != "" {
		t.Errorf("record mismatch (-want +got); the MRA covers AEOS only, so the suspended AEOC is not sent:\n%s", diff)
	}
	last := hm.h.Trail[len(hm.h.Trail)-1]
	assert.Equal(t, lifecycle.EventExportRecords, last.Event.Kind, "the export is recorded in the trail")
	assert.Equal(t, []string{"PL"}, last.Event.Partners, "to which partner")
	assert.Equal(t, []string{rec.Ref()}, last.Event.Records, "which records")
	assert.Equal(t, "officer-x", last.Event.Actor, "who")
	require.NoError(t, hm.h.Trail.VerifyHead(hm.h.State.Head))

	file, err := exchange.Encode(exchange.Batch{Format: exchange.Format, Issuer: "XX", Issued: at("2025-07-06"), Records: []exchange.Record{rec}})
	require.NoError(t, err)
	validate(t, file)
	b, err := exchange.Decode("xx-2025-07-06.json", file)
	require.NoError(t, err)
	require.Len(t, b.Records, 1)
	if diff := cmp.Diff(rec, b.Records[0], cmp.AllowUnexported(exchange.Date{})); diff != "" {
		t.Errorf("the decoded record differs from the one sent (-sent +decoded):\n%s", diff)
	}
	assert.Equal(t, rec.Digest(), b.Records[0].Digest(), "the digest survives the round trip")
	_, err = partner.Import(*b, "pl-officer", at("2025-07-07"))
	require.NoError(t, err)
	st := partner.Standing("XX0001", at("2025-07-07"))
	assert.True(t, st.Recognised, st.Reason)
	assert.Equal(t, []string{"AEOS"}, st.Types)

	// Within the union the whole status goes, with no consent needed.
	urec, err := hm.export("XB", at("2025-07-06"))
	require.NoError(t, err)
	assert.Equal(t, exchange.Status("partly_suspended"), urec.Status)
	assert.Nil(t, urec.Consent)
	require.Len(t, urec.Types, 2)
	assert.Equal(t, day("2025-07-05"), urec.Types[0].Suspended)

	// The holder withdraws its consent: the next sending to PL is the
	// notice, after which nothing goes, and PL stops recognising it.
	hm.do(operatorEv(lifecycle.EventWithdrawConsent, at("2025-08-01")))
	assert.Equal(t, lifecycle.StatusPartlySuspended, hm.h.State.Status, "the domestic status stays as it is")
	notice, err := hm.export("PL", at("2025-08-02"))
	require.NoError(t, err)
	assert.True(t, notice.Notice())
	assert.Empty(t, notice.Types)
	_, err = hm.export("PL", at("2025-08-03"))
	require.ErrorIs(t, err, exchange.ErrNoConsent, "a withdrawal stops future exports")
	nb := exchange.Batch{Format: exchange.Format, Issuer: "XX", Issued: at("2025-08-02"), Records: []exchange.Record{notice}}
	validate(t, mustEncode(t, nb))
	_, err = partner.Import(nb, "pl-officer", at("2025-08-02"))
	require.NoError(t, err)
	assert.False(t, partner.Standing("XX0001", at("2025-08-02")).Recognised, "partner recognition stops")

	// A revocation is news to the union member.
	rv := officer(lifecycle.EventRevoke, at("2025-09-01"))
	rv.Approver = "officer-b"
	hm.do(rv)
	rrec, err := hm.export("XB", at("2025-09-02"))
	require.NoError(t, err)
	assert.Equal(t, exchange.Status("revoked"), rrec.Status)
	assert.Equal(t, day("2025-09-01"), rrec.Ended)
	for _, ty := range rrec.Types {
		assert.Equal(t, day("2025-09-01"), ty.Revoked, ty.Type)
	}
	require.NoError(t, rrec.Check())
}

// TestExportNothing checks the holders nothing is sent for.
func TestExportNothing(t *testing.T) {
	hm := newHome(t)
	lodge := operatorEv(lifecycle.EventLodge, at("2025-03-01"))
	lodge.Types = []string{"AEOC"}
	hm.do(lodge)
	_, err := hm.export("XB", at("2025-03-02"))
	require.ErrorIs(t, err, exchange.ErrNothingToExport, "an applicant holds nothing yet")

	hm = newHome(t)
	hm.grant()
	hm.h.Trail = hm.h.Trail[:len(hm.h.Trail)-1]
	_, err = hm.export("XB", at("2025-03-21"))
	var ae *lifecycle.AuditError
	require.ErrorAs(t, err, &ae, "a trail that does not lead to the state is not exported")
}

// TestBatchExport exports several holders: those without consent are left
// out and say why.
func TestBatchExport(t *testing.T) {
	a, b := newHome(t), newHome(t)
	a.grant()
	b.grant()
	b.h.Operator.NationalID = "XX-2"
	a.do(operatorEv(lifecycle.EventGiveConsent, at("2025-06-15"), "PL"))
	file, out := a.x.Batch([]exchange.Holder{a.h, b.h}, "PL", "officer-x", at("2025-07-02"))
	require.Len(t, file.Records, 1)
	assert.Equal(t, "XX-1", file.Records[0].Operator.NationalID)
	require.NotNil(t, out[0].Sent)
	assert.ErrorIs(t, out[1].Err, exchange.ErrNoConsent)
	require.NoError(t, file.Check())
}

func mustEncode(t *testing.T, b exchange.Batch) []byte {
	t.Helper()
	out, err := exchange.Encode(b)
	require.NoError(t, err)
	return out
}

// validate checks an exchange file against the published JSON Schema.
func validate(t *testing.T, file []byte) {
	t.Helper()
	schema := compileSchema(t)
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(file))
	require.NoError(t, err)
	require.NoError(t, schema.Validate(v), "the file conforms to schema/exchange.json:\n%s", file)
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "schema", "exchange.json"))
	require.NoError(t, err)
	var id struct {
		ID string `json:"$id"`
	}
	require.NoError(t, json.Unmarshal(data, &id))
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	require.NoError(t, c.AddResource(id.ID, doc))
	s, err := c.Compile(id.ID)
	require.NoError(t, err)
	return s
}
