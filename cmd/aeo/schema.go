package main

import (
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/safe-aeo/engine/aeo"
)

func cmdSchema(args []string, w io.Writer) error {
	fs := newFlags("schema", "[programme|fixtures|profile]")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	kind := "programme"
	if len(pos) > 1 {
		return usagef("want at most one kind")
	}
	if len(pos) == 1 {
		kind = pos[0]
	}
	var root reflect.Type
	var title string
	switch kind {
	case "programme":
		root, title = reflect.TypeOf(aeo.File{}), "AEO programme file"
	case "fixtures":
		root, title = reflect.TypeOf(aeo.Fixtures{}), "AEO programme fixtures"
	case "profile":
		root, title = reflect.TypeOf(aeo.Profile{}), "AEO operator profile"
	default:
		return usagef("unknown kind %q: want programme, fixtures or profile", kind)
	}
	g := &schemaGen{defs: map[string]any{}}
	s := g.schema(root)
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["title"] = title
	s["$defs"] = g.defs
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// schemaGen derives a JSON Schema from the Go types the decoder fills, so
// the schema cannot drift from what the loader accepts: the same json
// tags, no extra keys (the decoder is strict), dates and periods as
// strings.
type schemaGen struct {
	defs map[string]any
}

var (
	timeType      = reflect.TypeOf(time.Time{})
	textUnmarshal = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "description": "a date, 2024-05-01, or a time, 2024-05-01T10:00:00Z"}
	case t.Name() == "Period":
		return map[string]any{"type": "string", "pattern": "^([0-9]+y)?([0-9]+m)?([0-9]+w)?([0-9]+d)?$", "description": "a period such as 90d, 6m, 3y or 1y6m"}
	case reflect.PointerTo(t).Implements(textUnmarshal) && t.Kind() != reflect.Struct:
		return map[string]any{"type": "string"}
	case reflect.PointerTo(t).Implements(textUnmarshal):
		// A struct that may also be written as a single word.
		return map[string]any{"anyOf": []any{map[string]any{"type": "string"}, g.object(t)}}
	}
	switch t.Kind() {
	case reflect.Struct:
		return g.object(t)
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{}
}

// object returns a reference to the definition of struct type t, adding
// it to $defs on first use.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	name := t.Name()
	if name == "" {
		return g.inline(t)
	}
	ref := map[string]any{"$ref": "#/$defs/" + name}
	if _, ok := g.defs[name]; ok {
		return ref
	}
	g.defs[name] = map[string]any{} // reserve, for recursive types
	g.defs[name] = g.inline(t)
	return ref
}

func (g *schemaGen) inline(t reflect.Type) map[string]any {
	props := map[string]any{}
	g.fields(t, props)
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

func (g *schemaGen) fields(t reflect.Type, props map[string]any) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				g.fields(ft, props)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = g.schema(f.Type)
	}
}
