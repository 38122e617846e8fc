package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/aeotest"
	"github.com/safe-aeo/engine/exchange"
)

// TestSchema keeps the published schemas (schema/KIND.json, which their
// $id names) equal to what 'aeo schema' prints. Run with -update after a
// change to the types or their doc comments.
func TestSchema(t *testing.T) {
	for _, kind := range []string{"programme", "fixtures", "profile", "exchange"} {
		out, err := exec.Command(binary, "schema", kind).Output()
		require.NoError(t, err)
		p := filepath.Join("..", "..", "schema", kind+".json")
		if *update {
			require.NoError(t, os.WriteFile(p, out, 0o644))
		}
		want, err := os.ReadFile(p)
		require.NoError(t, err)
		if !bytes.Equal(out, want) {
			t.Errorf("%s differs from 'aeo schema %s'; rerun with -update and review the diff", p, kind)
		}
	}
}

// compileSchema compiles the schema of a kind with a validator of the
// JSON Schema 2020-12 specification, which also checks that it is a
// valid schema.
func compileSchema(t *testing.T, kind string) *jsonschema.Schema {
	t.Helper()
	b, err := schemaJSON(kind)
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(schemaID(kind), doc))
	s, err := c.Compile(schemaID(kind))
	require.NoError(t, err, "the %s schema is a valid JSON Schema", kind)
	return s
}

// instance reads a YAML or JSON file as the JSON value a schema
// validator checks: dates as the strings they are written as.
func instance(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal(data, &v))
	b, err := json.Marshal(jsonable(v))
	require.NoError(t, err)
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	return out
}

func jsonable(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339)
	}
	return v
}

// TestSchemaAcceptsEveryFile validates every programme, fixtures and
// profile file of the repository against the schemas: a schema that
// refused a file the loader accepts would mislead an author's editor.
func TestSchemaAcceptsEveryFile(t *testing.T) {
	schemas := map[string]*jsonschema.Schema{}
	for _, k := range []string{"programme", "fixtures", "profile"} {
		schemas[k] = compileSchema(t, k)
	}
	var files []string
	for _, pattern := range []string{"../../examples/*/*.yaml", "../../examples/*/*/*.yaml", "../../aeo/baseline/*.yaml", "testdata/*.yaml", "testdata/profiles/*.yaml"} {
		m, err := filepath.Glob(pattern)
		require.NoError(t, err)
		files = append(files, m...)
	}
	checked := map[string]int{}
	for _, f := range files {
		if filepath.Base(f) == "fail-many.yaml" {
			continue // a case's profile has a misspelt key on purpose
		}
		kind, err := sniff(f)
		require.NoError(t, err)
		fr := validateFile(f, kind, "", nil)
		if !fr.OK {
			continue // not a file the loader accepts (broken on purpose, or not a programme file)
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if err := schemas[kind].Validate(instance(t, data)); err != nil {
			t.Errorf("%s: the loader accepts it as a %s, the schema does not:\n%v", f, kind, err)
		}
		checked[kind]++
	}
	t.Logf("files checked: %v", checked)
	for _, k := range []string{"programme", "fixtures", "profile"} {
		assert.Positive(t, checked[k], "some %s files are checked", k)
	}
}

// TestSchemaRequired removes each key the schema requires from a valid
// file and checks that the loader refuses it too: the schema is never
// stricter than the loader.
func TestSchemaRequired(t *testing.T) {
	const programme = `programme: {name: P, version: "1"}
facts: [{name: x, type: int}]
criteria: [{id: C, title: C}]
requirements: [{id: R, criterion: C, title: R, when: "facts.x > 1", source: s}]
equivalences: [{id: E, certification: ISO 28000, satisfies: [R]}]
authorizations: [{id: AEO, title: AEO, grades: [{id: A, when: "true"}]}]
`
	const fixtures = `cases: [{name: c, as_of: 2025-01-01}]
`
	const exchangeFile = `{"format": "aeo-exchange/1", "issuer": "PL", "issued": "2025-07-02T08:00:00Z", "records": [
  {"issuer": "PL", "programme": "P", "seq": 2, "issued": "2025-07-02T08:00:00Z", "operator": {"national_id": "OP-1"},
   "status": "authorized", "types": [{"type": "AEOS", "granted": "2024-03-01"}],
   "agreement": {"basis": "mra"}, "consent": {"given": "2025-06-01"}}]}
`
	load := map[string]func(data []byte) error{
		"programme": func(data []byte) error { _, err := aeo.Parse("p.yaml", data); return err },
		"fixtures":  func(data []byte) error { _, err := aeotest.ParseFixtures(nil, "f.yaml", data); return err },
		"exchange": func(data []byte) error {
			b, err := exchange.Decode("x.json", data)
			if err != nil {
				return err
			}
			return b.Check()
		},
	}
	docs := map[string]string{"programme": programme, "fixtures": fixtures, "exchange": exchangeFile}
	for kind, src := range docs {
		require.NoError(t, load[kind]([]byte(src)), "the %s is valid", kind)
	}
	paths := map[string][][]any{
		"aeo.File":               {{}},
		"aeo.Meta":               {{"programme"}},
		"criteria.FactDecl":      {{"facts", 0}},
		"criteria.Criterion":     {{"criteria", 0}},
		"criteria.Requirement":   {{"requirements", 0}},
		"criteria.Equivalence":   {{"equivalences", 0}},
		"criteria.Authorization": {{"authorizations", 0}},
		"criteria.Grade":         {{"authorizations", 0, "grades", 0}},
		"aeotest.Fixtures":       {{}},
		"aeotest.Case":           {{"cases", 0}},
		"exchange.Batch":         {{}},
		"exchange.Record":        {{"records", 0}},
		"exchange.Operator":      {{"records", 0, "operator"}},
		"exchange.Type":          {{"records", 0, "types", 0}},
		"exchange.Agreement":     {{"records", 0, "agreement"}},
		"exchange.Consent":       {{"records", 0, "consent"}},
	}
	for def, keys := range requiredKeys {
		kind := "programme"
		switch {
		case strings.HasPrefix(def, "aeotest."):
			kind = "fixtures"
		case strings.HasPrefix(def, "exchange."):
			kind = "exchange"
		}
		at, ok := paths[def]
		require.True(t, ok, "the test knows where a %s is", def)
		for _, key := range keys {
			var root yaml.Node
			require.NoError(t, yaml.Unmarshal([]byte(docs[kind]), &root))
			n := root.Content[0]
			for _, p := range at[0] {
				switch p := p.(type) {
				case int:
					n = n.Content[p]
				case string:
					for i := 0; i+1 < len(n.Content); i += 2 {
						if n.Content[i].Value == p {
							n = n.Content[i+1]
							break
						}
					}
				}
			}
			removed := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					n.Content = append(n.Content[:i], n.Content[i+2:]...)
					removed = true
					break
				}
			}
			require.True(t, removed, "%s.%s is in the test's %s", def, key, kind)
			data, err := yaml.Marshal(&root)
			require.NoError(t, err)
			assert.Error(t, load[kind](data), "the schema requires %s in %s: the loader must refuse a %s without it", key, def, kind)
		}
	}
}

type testVocabulary uint8

func (v *testVocabulary) UnmarshalText([]byte) error { return nil }
func (testVocabulary) Tokens() []string              { return []string{"red", "green"} }

// TestSchemaEnum checks the extension point closed vocabularies use: a
// text type that lists its tokens gets them as its enum.
func TestSchemaEnum(t *testing.T) {
	g := &schemaGen{defs: map[string]any{}}
	assert.Equal(t, map[string]any{"type": "string", "enum": []string{"red", "green"}}, g.schema(reflect.TypeOf(testVocabulary(0))))
}
