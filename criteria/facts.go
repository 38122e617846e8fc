package criteria

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"
)

// Facts is a plain Subject for programmes that need no operator profile:
// every fact is a declared extra fact, read as facts.NAME. Package aeo's
// profile is the richer Subject hosts normally use.
type Facts struct {
	// Date is the assessment date, read in expressions as as_of.
	Date time.Time `expr:"as_of"`
	// Values holds the declared facts by name.
	Values map[string]any `expr:"-"`
	// Roles are the operator's roles; nil means unknown.
	Roles []string `expr:"roles"`
	// Model is the business model; empty means unknown.
	Model string `expr:"business_model"`
	// IsSME reports SME status; nil means unknown.
	IsSME *bool `expr:"sme"`
	// Certificates maps a certification kind to its identifier, for
	// certifications valid on Date.
	Certificates map[string]string `expr:"-"`
}

// AsOf returns f.Date.
func (f *Facts) AsOf() time.Time { return f.Date }

// HasRole reports whether role is among f.Roles.
func (f *Facts) HasRole(role string) (has, known bool) {
	if f.Roles == nil {
		return false, false
	}
	for _, r := range f.Roles {
		if r == role {
			return true, true
		}
	}
	return false, true
}

// BusinessModel returns f.Model.
func (f *Facts) BusinessModel() (string, bool) { return f.Model, f.Model != "" }

// SME returns *f.IsSME.
func (f *Facts) SME() (sme, known bool) {
	if f.IsSME == nil {
		return false, false
	}
	return *f.IsSME, true
}

// Certification looks kind up in f.Certificates; issuers are not checked.
func (f *Facts) Certification(kind string, issuers []string) (string, bool) {
	id, ok := f.Certificates[kind]
	return id, ok
}

// Fact returns f.Values[name].
func (f *Facts) Fact(name string) (any, bool) {
	v, ok := f.Values[name]
	return v, ok
}

// Validate reports a fact no rule can rest on: a number that is NaN or
// infinite (set from Go, or from a division by zero upstream). Evaluate
// calls it and refuses such a subject, so that "not (facts.score < 80)"
// is never met on a NaN.
func (f *Facts) Validate() error {
	for _, v := range f.Values {
		if Finite(v) {
			continue
		}
		// Name the first bad fact in sorted order, so that the error is
		// the same on every run.
		for _, name := range slices.Sorted(maps.Keys(f.Values)) {
			if !Finite(f.Values[name]) {
				return fmt.Errorf("criteria: fact %q is %v, not a finite number", name, f.Values[name])
			}
		}
	}
	return nil
}

// Finite reports whether v, the value of a fact, holds no number that is
// NaN or infinite: a float, a pointer to one, or a list of them. Such a
// number makes comparisons lie (not (NaN < 80) is true) and cannot be
// written as JSON, so no rule may rest on it. Values of other types are
// finite.
func Finite(v any) bool {
	switch x := v.(type) {
	case float64:
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	case float32:
		return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0)
	case *float64:
		return x == nil || Finite(*x)
	case []float64:
		for _, e := range x {
			if !Finite(e) {
				return false
			}
		}
	case []any:
		for _, e := range x {
			if !Finite(e) {
				return false
			}
		}
	}
	return true
}
