package server

import (
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/criteria"
	"github.com/safe-aeo/engine/risk"
)

// This file builds the OpenAPI document: the schemas from the Go types
// the handlers encode and decode, so that the document cannot drift from
// them, and the paths from the table in openapi_paths_test.go. The
// committed openapi.json must equal what it builds (go test ./server -run
// TestOpenAPIDocument -update rewrites it).

type object = map[string]any

// schemaGen turns Go types into JSON Schema 2020-12, as encoding/json
// encodes them.
type schemaGen struct {
	defs  map[string]any
	named map[reflect.Type]string
	// raw gives the schema of a json.RawMessage field, by JSON name.
	raw map[string]reflect.Type
}

func newSchemaGen() *schemaGen {
	return &schemaGen{
		defs:  map[string]any{},
		named: map[reflect.Type]string{},
		raw:   map[string]reflect.Type{"profile": reflect.TypeFor[aeo.Profile]()},
	}
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	dateType      = reflect.TypeFor[date]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	decisionType  = reflect.TypeFor[risk.Decision]()
	factValueType = reflect.TypeFor[criteria.FactValue]()
)

// componentName names the schema of a named type: its package and name
// for the engine's types (risk.Decision), its exported name for this
// package's (AssessRequest).
func componentName(t reflect.Type) string {
	pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
	if pkg == "server" {
		return strings.ToUpper(t.Name()[:1]) + t.Name()[1:]
	}
	return pkg + "." + t.Name()
}

// schema returns the schema of t: a $ref for a named struct, inline for
// anything else.
func (g *schemaGen) schema(t reflect.Type) object {
	switch t {
	case timeType:
		return object{"type": "string", "format": "date-time"}
	case dateType:
		return object{"type": "string", "format": "date", "examples": []any{"2025-03-31"}}
	case rawType:
		return object{}
	case factValueType:
		return object{"type": "object", "properties": object{"fact": object{"type": "string"}, "value": object{}},
			"required": []any{"fact", "value"}, "additionalProperties": false}
	}
	if t.Kind() == reflect.Pointer {
		return g.schema(t.Elem())
	}
	if t.Implements(textMarshaler) || reflect.PointerTo(t).Implements(textMarshaler) {
		s := object{"type": "string"}
		if enum := enumerate(t); enum != nil {
			s["enum"] = enum
		}
		return s
	}
	switch t.Kind() {
	case reflect.Bool:
		return object{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return object{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return object{"type": "number"}
	case reflect.String:
		return object{"type": "string"}
	case reflect.Interface:
		return object{}
	case reflect.Slice, reflect.Array:
		return object{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return object{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.structSchema(t)
		}
		name, ok := g.named[t]
		if !ok {
			name = componentName(t)
			g.named[t] = name
			g.defs[name] = nil // reserve: recursive types refer to it
			g.defs[name] = g.structSchema(t)
		}
		return object{"$ref": "#/components/schemas/" + name}
	}
	panic("openapi: no schema for " + t.String())
}

// enumerate lists the tokens of an enumeration: an integer type whose
// MarshalText succeeds for a few values and fails for the rest.
func enumerate(t reflect.Type) []any {
	switch t.Kind() {
	case reflect.Uint8, reflect.Uint16, reflect.Int, reflect.Int8:
	default:
		return nil
	}
	var out []any
	for i := range 256 {
		v := reflect.New(t).Elem() // addressable, for pointer methods too
		if v.CanUint() {
			v.SetUint(uint64(i))
		} else {
			v.SetInt(int64(i))
		}
		b, err := v.Addr().Interface().(encoding.TextMarshaler).MarshalText()
		if err == nil && !slices.Contains(out, any(string(b))) {
			out = append(out, string(b))
		}
	}
	if len(out) == 0 || len(out) > 200 {
		return nil
	}
	return out
}

// structSchema is the object encoding/json makes of a struct: its
// exported fields under their JSON names, embedded structs flattened.
// A field without omitempty or omitzero is required; a slice, map or
// pointer among them may also be null.
func (g *schemaGen) structSchema(t reflect.Type) object {
	props := object{}
	var required []any
	g.fields(t, props, &required)
	if t == decisionType { // its MarshalJSON adds the rule lists
		for _, k := range []string{"fired", "spared", "skipped"} {
			props[k] = object{"type": "array", "items": object{"type": "string"}}
		}
	}
	s := object{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		slices.SortFunc(required, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
		s["required"] = required
	}
	return s
}

func (g *schemaGen) fields(t reflect.Type, props object, required *[]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var fs object
		if rt, ok := g.raw[name]; ok && f.Type == rawType {
			fs = g.schema(rt)
		} else {
			fs = g.schema(f.Type)
		}
		optional := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		if !optional {
			*required = append(*required, name)
			switch f.Type.Kind() {
			case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
				if f.Type != rawType && !f.Type.Implements(textMarshaler) {
					fs = nullable(fs)
				}
			}
		}
		props[name] = fs
	}
}

func nullable(s object) object {
	if len(s) == 0 {
		return s
	}
	if t, ok := s["type"].(string); ok {
		c := object{}
		for k, v := range s {
			c[k] = v
		}
		c["type"] = []any{t, "null"}
		return c
	}
	return object{"oneOf": []any{s, object{"type": "null"}}}
}
