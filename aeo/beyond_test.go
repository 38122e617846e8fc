package aeo_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/exchange"
)

// beyondBase is a programme that belongs to a union, recognises partners
// and names its entities' rules; each bad case below changes one thing.
const beyondBase = `programme: {name: Union test, version: "1", country: XA}
extends: baseline
facts:
  - {name: main_accounts, type: string}
union:
  name: Test Union
  programme: TU AEO
  members: [{id: XA}, {id: XB}]
  competence:
    - {id: accounts, member_from: facts.main_accounts, source: s}
    - {id: fallback, member: XA, source: s}
recognition:
  - {programme: Partnerland AEO, partner: PL, basis: mra, types: [AEOS], source: s}
entities:
  covers: [branch]
  barred: [branch]
  source: s
`

func TestBeyondSectionsRefused(t *testing.T) {
	tests := []struct {
		name, from, to string
		want           string
		reason         string
	}{
		{"competence matches no member", "{id: fallback, member: XA, source: s}", "{id: fallback, member: XZ, source: s}",
			`union.competence[1].member: "XZ" matches no member of the union (XA, XB)`, "a rule naming a member that is not in the union"},
		{"member and member_from", "{id: fallback, member: XA, source: s}", "{id: fallback, member: XA, member_from: country, source: s}",
			"give member or member_from, not both", "one way to name the member"},
		{"no source", "{id: fallback, member: XA, source: s}", "{id: fallback, member: XA}",
			"union.competence[1].source: a competence rule cites its legal source", "every rule carries its source"},
		{"rule shadows the rest", "- {id: accounts, member_from: facts.main_accounts, source: s}", "- {id: first, member: XB, source: s}\n    - {id: accounts, member_from: facts.main_accounts, source: s}",
			"the rules after it are never reached", "a fall-back list with an unconditional rule first"},
		{"bad expression", "member_from: facts.main_accounts", "member_from: facts.main_acounts",
			"union.competence[0].member_from", "expressions are checked at load"},
		{"member not in the union", "programme: {name: Union test, version: \"1\", country: XA}", "programme: {name: Union test, version: \"1\", country: XQ}",
			`union.member: member "XQ" is not among the union's members`, "the programme's country is its member"},
		{"recognition without basis", "basis: mra, types", "types",
			"recognition[0].basis: basis is required", "the basis of recognition is stated"},
		{"union basis in the list", "basis: mra", "basis: union",
			"the members of a union are listed under union", "union members are listed under union"},
		{"partner named twice", "partner: PL", "partner: XB",
			"partner XB is named twice", "a partner ID is unique across the union and the list"},
		{"subsidiary covered", "covers: [branch]", "covers: [branch, subsidiary]",
			"a subsidiary is an entity of its own", "an authorization never covers a subsidiary"},
		{"barred but not covered", "barred: [branch]", "barred: [site]",
			"a site barred from an authorization of its own would hold none", "a barred establishment must be covered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(beyondBase, tt.from, tt.to, 1)
			require.NotEqual(t, beyondBase, src, "the case changes the programme")
			_, err := aeo.Parse("union.yaml", []byte(src))
			require.Error(t, err, tt.reason)
			assert.Contains(t, err.Error(), tt.want, tt.reason)
			assert.Regexp(t, `union\.yaml:\d+:\d+: `, err.Error(), "the problem is placed in the file")
		})
	}
	p, err := aeo.Parse("union.yaml", []byte(beyondBase))
	require.NoError(t, err)
	assert.Equal(t, "XA", p.Issuer())
	assert.Equal(t, "TU AEO", p.ExchangeProgramme())
	ids := []string{}
	for _, pt := range p.Partners() {
		ids = append(ids, pt.ID+" "+pt.Basis.String())
	}
	assert.Equal(t, []string{"XB union", "PL mra"}, ids, "the other members, then the recognised partners")
}

func TestCompetent(t *testing.T) {
	src := strings.Replace(beyondBase, "    - {id: fallback, member: XA, source: s}\n", "", 1)
	p, err := aeo.Parse("union.yaml", []byte(src))
	require.NoError(t, err)
	on := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		facts   map[string]any
		want    string
		refused string
		reason  string
	}{
		{"one member", map[string]any{"main_accounts": "XB"}, "XB", "", "the rule names XB"},
		{"not a member", map[string]any{"main_accounts": "FR"}, "", "no competence rule matches a member", "a rule that matches no member is refused"},
		{"not known", nil, "", "cannot be decided", "a rule that cannot be decided falls back, and nothing is left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := p.Competent(t.Context(), &aeo.Profile{OperatorID: "OP", Facts: tt.facts}, on)
			if tt.refused != "" {
				var ce *aeo.CompetenceError
				require.True(t, errors.As(err, &ce), "%v; %s", err, tt.reason)
				require.ErrorIs(t, err, aeo.ErrCompetence)
				assert.Contains(t, err.Error(), tt.refused, tt.reason)
				return
			}
			require.NoError(t, err, tt.reason)
			assert.Equal(t, tt.want, c.Member, tt.reason)
		})
	}
}

func TestEntityIndex(t *testing.T) {
	p, err := aeo.Parse("union.yaml", []byte(beyondBase))
	require.NoError(t, err)
	a := &aeo.Profile{OperatorID: "E1", Establishments: []aeo.Establishment{{ID: "B1", Kind: "branch"}, {ID: "S1", Kind: "site"}}, Subsidiaries: []string{"E2"}}
	x, err := p.Index(a, &aeo.Profile{OperatorID: "E2"})
	require.NoError(t, err)
	for id, want := range map[string]string{"B1": "E1", "S1": "S1", "E2": "E2", "E1": "E1", "Z9": "Z9"} {
		assert.Equal(t, want, x.Resolve(id).Entity, id)
	}
	_, err = p.Index(a, &aeo.Profile{OperatorID: "E3", Establishments: []aeo.Establishment{{ID: "B1", Kind: "branch"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "B1 is claimed as an establishment by E1 and E3")
	err = p.CheckApplicant(&aeo.Profile{OperatorID: "B1", EstablishmentOf: &aeo.EstablishmentRef{Entity: "E1", Kind: "branch"}})
	require.ErrorIs(t, err, aeo.ErrBarred)
	require.NoError(t, p.CheckApplicant(&aeo.Profile{OperatorID: "S1", EstablishmentOf: &aeo.EstablishmentRef{Entity: "E1", Kind: "site"}}))
}

func TestPartnerOperatorFailsClosed(t *testing.T) {
	op := aeo.PartnerOperator("OP", exchange.Standing{Reason: "not in the register"})
	assert.Equal(t, "none", op.Status, "an operator the registry does not know has no status")
	assert.Empty(t, op.Partner)
	op = aeo.PartnerOperator("OP", exchange.Standing{Known: true, Programme: "P", Basis: exchange.BasisMRA, Status: "suspended", Reason: "no type in force"})
	assert.Empty(t, op.Partner, "a standing not recognised gives nothing")
	h := aeo.PartnerHolder(nil, exchange.Standing{Known: true, Basis: exchange.BasisUnion, Status: "revoked"})
	assert.Equal(t, "revoked", h.Status)
	assert.Empty(t, h.Types, "a revoked union status holds no type")
}
