package lifecycle

import (
	"slices"
	"strings"

	"github.com/safe-aeo/engine/diag"
)

// GroundRules state the grounds on which Customs suspends and revokes an
// authorization, each with its legal source, for the programme's public
// document: "The process of suspending and removing companies must be
// outlined at the start of the programme and available to the private
// sector for transparency purposes" (WCO AEO Implementation Guidance,
// Phase Two). They decide nothing: a suspension or a revocation states
// its own reasons, and the guards of [Machine] apply whatever the grounds
// say.
type GroundRules struct {
	Suspension []Ground `json:"suspension,omitempty"`
	Revocation []Ground `json:"revocation,omitempty"`
}

// A Ground is one ground for a decision, in words the operator can read,
// and its legal source.
type Ground struct {
	Text   string `json:"text"`
	Source string `json:"source"`
}

func (g GroundRules) clone() GroundRules {
	return GroundRules{Suspension: slices.Clone(g.Suspension), Revocation: slices.Clone(g.Revocation)}
}

func (g GroundRules) validate(l *diag.List) {
	check := func(key string, list []Ground) {
		for i, gr := range list {
			k := diag.Index(key, i)
			if strings.TrimSpace(gr.Text) == "" {
				l.Add(k+".text", "state the ground")
			}
			if strings.TrimSpace(gr.Source) == "" {
				l.Add(k+".source", "a ground needs its legal source")
			}
		}
	}
	check("grounds.suspension", g.Suspension)
	check("grounds.revocation", g.Revocation)
}
