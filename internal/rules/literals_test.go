package rules

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type litInfringement struct {
	Date     time.Time `expr:"date"`
	Severity string    `expr:"severity"`
	Kind     string    `expr:"kind"`
}

type litCompliance struct {
	Infringements []litInfringement `expr:"infringements"`
}

type litPartner struct {
	Role    string `expr:"role"`
	Country string `expr:"country"`
}

type litBase struct {
	Roles []string `expr:"roles"`
}

type litEnv struct {
	litBase
	BusinessModel  string            `expr:"business_model"`
	Compliance     *litCompliance    `expr:"compliance"`
	Partners       []litPartner      `expr:"partners"`
	SelfAssessment map[string]string `expr:"self_assessment"`
	Name           string            `expr:"name"`
}

func TestLiterals(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []Literal
		reason string
	}{{
		name:   "severity in a predicate",
		src:    `none(compliance.infringements, .severity == "serius")`,
		want:   []Literal{{Field: "compliance.infringements.severity", Value: "serius", Line: 1, Column: 45}},
		reason: "the .field of a predicate is the field of the list's elements",
	}, {
		name: "membership of a field in a list of literals",
		src:  `none(compliance.infringements, .severity in ["serious", "repeated"] && within(.date, "3y"))`,
		want: []Literal{
			{Field: "compliance.infringements.severity", Value: "serious", Line: 1, Column: 46},
			{Field: "compliance.infringements.severity", Value: "repeated", Line: 1, Column: 57},
			{Func: "within", Arg: 1, Value: "3y", Line: 1, Column: 86},
		},
		reason: "each literal of the list is a value the field is compared with; a function's literal arguments are reported by position",
	}, {
		name:   "literal in a list field",
		src:    `"importr" in roles`,
		want:   []Literal{{Field: "roles", Value: "importr", Line: 1, Column: 1}},
		reason: "membership in a list of strings tests its elements, read through an embedded struct",
	}, {
		name:   "literal on the left of ==",
		src:    `"43" == business_model`,
		want:   []Literal{{Field: "business_model", Value: "43", Line: 1, Column: 1}},
		reason: "the side the literal is written on does not matter",
	}, {
		name:   "not equal",
		src:    `business_model != "43"`,
		want:   []Literal{{Field: "business_model", Value: "43", Line: 1, Column: 19}},
		reason: "!= compares as much as ==",
	}, {
		name:   "map value",
		src:    `self_assessment["D.1"] == "yse"`,
		want:   []Literal{{Field: "self_assessment", Value: "yse", Line: 1, Column: 27}},
		reason: "a value of a map stands for the map's field; its key is not a value",
	}, {
		name:   "map key test",
		src:    `"D.1" in self_assessment`,
		want:   nil,
		reason: "in on a map tests a key, which is not one of the field's values",
	}, {
		name:   "let binding",
		src:    `let xs = compliance.infringements; any(xs, #.kind == "taxx")`,
		want:   []Literal{{Field: "compliance.infringements.kind", Value: "taxx", Line: 1, Column: 54}},
		reason: "a let variable stands for what it is bound to; # is the element",
	}, {
		name: "filter then quantifier",
		src:  `all(filter(partners, .country == "XX"), .role in ["carier"])`,
		want: []Literal{
			{Field: "partners.country", Value: "XX", Line: 1, Column: 34},
			{Field: "partners.role", Value: "carier", Line: 1, Column: 51},
		},
		reason: "filter keeps the list it filters, so the outer predicate ranges over the same elements",
	}, {
		name:   "map then membership",
		src:    `"tax" in map(compliance.infringements, .kind)`,
		want:   []Literal{{Field: "compliance.infringements.kind", Value: "tax", Line: 1, Column: 1}},
		reason: "map over a field gives a list of that field",
	}, {
		name: "contains_any",
		src:  `contains_any(roles, ["importer", "fulfilment_center"])`,
		want: []Literal{
			{Field: "roles", Value: "importer", Line: 1, Column: 22},
			{Field: "roles", Value: "fulfilment_center", Line: 1, Column: 34},
		},
		reason: "contains_any and contains_all test membership in their first argument",
	}, {
		name:   "function argument",
		src:    `has_cert("ISO 2800")`,
		want:   []Literal{{Func: "has_cert", Arg: 0, Value: "ISO 2800", Line: 1, Column: 10}},
		reason: "a literal passed to a function is reported with the function and position",
	}, {
		name:   "first and last",
		src:    `last(compliance.infringements).severity == "minor"`,
		want:   []Literal{{Field: "compliance.infringements.severity", Value: "minor", Line: 1, Column: 44}},
		reason: "last returns an element of the list",
	}, {
		name:   "free text is not reported",
		src:    `name == "ACME" && lower(business_model) == "x"`,
		want:   []Literal{{Field: "name", Value: "ACME", Line: 1, Column: 9}},
		reason: "a field is reported whatever its vocabulary; text changed by lower is not the field's value",
	}, {
		name:   "second line",
		src:    "true &&\n  business_model == \"9\"",
		want:   []Literal{{Field: "business_model", Value: "9", Line: 2, Column: 21}},
		reason: "positions count lines and columns inside the expression",
	}, {
		name:   "non-ASCII before the literal",
		src:    `name == "Société" || business_model == "9"`,
		want:   []Literal{{Field: "name", Value: "Société", Line: 1, Column: 9}, {Field: "business_model", Value: "9", Line: 1, Column: 40}},
		reason: "columns count characters, not bytes",
	}, {
		name:   "declared fact",
		src:    `facts.sector == "fod"`,
		want:   []Literal{{Field: "facts.sector", Value: "fod", Line: 1, Column: 17}},
		reason: "facts.NAME is a field of its own",
	}, {
		name:   "unknown identifier",
		src:    `nosuch == "x"`,
		want:   nil,
		reason: "a name that is not a field (the type checker refuses it) is not reported",
	}, {
		name:   "does not parse",
		src:    `roles == (`,
		want:   nil,
		reason: "an expression that does not parse has no literals; compiling it reports why",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Literals(&litEnv{}, tt.src)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Literals(%q) mismatch (-want +got):\n%s\n%s", tt.src, diff, tt.reason)
			}
		})
	}
}

func TestLiteralsUntyped(t *testing.T) {
	got := Literals(nil, `"importr" in roles && business_model in ["43"]`)
	want := []Literal{
		{Field: "roles", Value: "importr", Line: 1, Column: 1},
		{Field: "business_model", Value: "43", Line: 1, Column: 42},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Literals without a prototype mismatch (-want +got):\n%s", diff)
	}
}

func FuzzLiterals(f *testing.F) {
	for _, s := range []string{
		`none(compliance.infringements, .severity in ["serious", "repeated"])`,
		`"importr" in roles`,
		`let x = partners; all(x, .role == "carrier")`,
		`self_assessment["D.1"] == "yes"`,
		`map(compliance.infringements, .kind)[0] == "tax"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, l := range Literals(&litEnv{}, src) {
			if l.Line < 1 || l.Column < 1 {
				t.Fatalf("Literals(%q) gave position %d:%d", src, l.Line, l.Column)
			}
			if (l.Field == "") == (l.Func == "") {
				t.Fatalf("Literals(%q) gave %+v: want a field or a function", src, l)
			}
		}
	})
}
