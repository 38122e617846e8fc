package benefits

import (
	"embed"
	"fmt"

	"github.com/safe-aeo/engine/internal/decode"
)

// The built-in catalogues are data files, not Go, so that the people who
// check them against their sources (customs lawyers, the WCO texts) can
// read and review them.
//
//go:embed catalogues/*.yaml
var builtinFS embed.FS

// The names of the built-in catalogues, in the order Compile includes them.
const (
	// CatalogueSAFE holds SAFE's general benefits under its four headings.
	CatalogueSAFE = "safe"
	// CatalogueOperator holds operator-specific benefits by role, from the
	// EU, C-TPAT, China, Korea and COMCEC.
	CatalogueOperator = "operator"
	// CatalogueEcommerce holds the e-commerce benefits A–M.
	CatalogueEcommerce = "ecommerce"
	// CatalogueStairway holds Annex 2's stairway of simplifications.
	CatalogueStairway = "stairway"
	// CatalogueProgramme is the catalogue of a programme's own benefits
	// (Config.Add).
	CatalogueProgramme = "programme"
	// noCatalogues in Config.Catalogues includes no built-in catalogue.
	noCatalogues = "none"
)

// Catalogues returns the names of the built-in catalogues, in the order
// Compile includes them by default.
func Catalogues() []string {
	return []string{CatalogueSAFE, CatalogueOperator, CatalogueEcommerce, CatalogueStairway}
}

// catalogueFile is the shape of a built-in catalogue file.
type catalogueFile struct {
	Catalogue string    `json:"catalogue"`
	Title     string    `json:"title"`
	Source    string    `json:"source"`
	Steps     []Step    `json:"steps,omitempty"`
	Benefits  []Benefit `json:"benefits"`
}

// loadBuiltin decodes a built-in catalogue. The files are part of the
// package and tested, so an error here is a bug in the package, reported
// as an error rather than a panic all the same.
func loadBuiltin(name string) (catalogueFile, error) {
	var f catalogueFile
	file := "catalogues/" + name + ".yaml"
	data, err := builtinFS.ReadFile(file)
	if err != nil {
		return f, fmt.Errorf("benefits: built-in catalogue %q: %w", name, err)
	}
	if _, err := decode.DecodeInto(file, data, &f); err != nil {
		return f, fmt.Errorf("benefits: built-in catalogue %q: %w", name, err)
	}
	if f.Catalogue != name {
		return f, fmt.Errorf("benefits: built-in catalogue %q names itself %q", name, f.Catalogue)
	}
	for i := range f.Benefits {
		f.Benefits[i].Catalogue = name
	}
	return f, nil
}

// Builtin returns the benefits of the built-in catalogue name, as written
// in its file, and its stairway steps (for the stairway catalogue). It
// returns an error for an unknown name. The slices are fresh copies.
func Builtin(name string) ([]Benefit, []Step, error) {
	known := false
	for _, c := range Catalogues() {
		known = known || c == name
	}
	if !known {
		return nil, nil, fmt.Errorf("benefits: unknown catalogue %q (want safe, operator, ecommerce or stairway)", name)
	}
	f, err := loadBuiltin(name)
	if err != nil {
		return nil, nil, err
	}
	return f.Benefits, f.Steps, nil
}
