package benefits

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// The record formats. Both carry the same fields under the same names
// (the JSON keys of [Record]) and round-trip: whatever ReadJSON or ReadCSV
// returns, WriteJSON or WriteCSV writes back so that it reads the same.

// WriteJSON writes recs as a JSON array, one record a line.
func WriteJSON(w io.Writer, recs []Record) error {
	var buf bytes.Buffer
	buf.WriteString("[")
	for i := range recs {
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n  ")
		b, err := json.Marshal(&recs[i])
		if err != nil {
			return fmt.Errorf("benefits: record %d: %w", i+1, err)
		}
		buf.Write(b)
		if buf.Len() > 64<<10 {
			if _, err := w.Write(buf.Bytes()); err != nil {
				return err
			}
			buf.Reset()
		}
	}
	if len(recs) > 0 {
		buf.WriteString("\n")
	}
	buf.WriteString("]\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// ReadJSON reads a JSON array of records, as WriteJSON writes it. Keys are
// the JSON names of [Record]'s fields; an unknown key is an error. Each
// record is checked as the ledger checks it before consulting the
// catalogue: benefit, operator and date present, text printable,
// quantities zero or more and finite. The first problem is returned as a
// [*DecodeError], with the record's number and the byte offset, and no
// records.
func ReadJSON(r io.Reader) ([]Record, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	fail := func(n int, msg string, err error) error {
		return &DecodeError{Format: "json", Record: n, Offset: dec.InputOffset(), Msg: msg, Err: err}
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, fail(0, "want a list of records", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fail(0, "want a list of records", nil)
	}
	var out []Record
	for n := 1; dec.More(); n++ {
		var rec Record
		if err := dec.Decode(&rec); err != nil {
			return nil, fail(n, jsonMessage(err), err)
		}
		if rerr := rec.check(); rerr != nil {
			de := &DecodeError{Format: "json", Record: n, Offset: dec.InputOffset(), Field: rerr.Field, Msg: rerr.Msg, Err: rerr.Err}
			return nil, de
		}
		out = append(out, rec)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fail(0, "want the end of the list", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail(0, "want nothing after the list", nil)
	}
	if out == nil {
		out = []Record{}
	}
	return out, nil
}

// jsonMessage turns encoding/json's errors into a message for the rule
// author, without Go type names where it can.
func jsonMessage(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %s: want %s, not a JSON %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(k string) string {
	switch k {
	case "float64":
		return "a number"
	case "string":
		return "text"
	case "struct":
		return "a record or a date"
	}
	return k
}

// csvColumns are the columns of the record CSV format, in the order
// WriteCSV writes them.
var csvColumns = []string{"benefit", "operator", "at", "quantity", "unit", "minutes", "minutes_saved", "normal_quantity", "ref"}

// csvRequired are the columns ReadCSV requires.
var csvRequired = []string{"benefit", "operator", "at", "quantity"}

// WriteCSV writes recs as CSV with a header row. Dates are RFC 3339 with
// their offset; numbers are written so that they read back exactly.
func WriteCSV(w io.Writer, recs []Record) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	row := make([]string, len(csvColumns))
	opt := func(f float64) string {
		if f == 0 {
			return ""
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	for i := range recs {
		r := &recs[i]
		row[0], row[1], row[2] = r.Benefit, r.Operator, r.At.Format(time.RFC3339Nano)
		row[3], row[4] = strconv.FormatFloat(r.Quantity, 'g', -1, 64), r.Unit
		row[5], row[6], row[7], row[8] = opt(r.Minutes), opt(r.MinutesSaved), opt(r.NormalQuantity), r.Ref
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadCSV reads records from CSV with a header row naming the columns:
// benefit, operator, at and quantity are required; unit, minutes,
// minutes_saved, normal_quantity and ref are optional, and an empty cell
// is zero or empty. The at column holds a date (2025-03-01) or an RFC 3339
// time. Each record is checked as ReadJSON checks it. The first problem is
// returned as a [*DecodeError] with its line, and no records.
func ReadCSV(r io.Reader) ([]Record, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, &DecodeError{Format: "csv", Line: 1, Msg: "want a header row naming the columns"}
		}
		return nil, csvError(cr, 0, err)
	}
	col := map[string]int{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark from spreadsheets
		}
		switch {
		case !contains(csvColumns, h):
			return nil, &DecodeError{Format: "csv", Line: 1, Field: printable(h), Msg: "unknown column (want " + strings.Join(csvColumns, ", ") + ")"}
		case col[h] > 0:
			return nil, &DecodeError{Format: "csv", Line: 1, Field: h, Msg: "column listed twice"}
		}
		col[h] = i + 1 // 0 means absent
	}
	for _, req := range csvRequired {
		if col[req] == 0 {
			return nil, &DecodeError{Format: "csv", Line: 1, Field: req, Msg: "required column missing"}
		}
	}
	out := []Record{}
	for n := 1; ; n++ {
		row, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, csvError(cr, n, err)
		}
		line, _ := cr.FieldPos(0)
		cell := func(name string) string {
			if i := col[name]; i > 0 {
				return row[i-1]
			}
			return ""
		}
		rec := Record{Benefit: cell("benefit"), Operator: cell("operator"), Unit: cell("unit"), Ref: cell("ref")}
		fail := func(field, msg string, err error) error {
			return &DecodeError{Format: "csv", Record: n, Line: line, Field: field, Msg: msg, Err: err}
		}
		if rec.At, err = parseTime(cell("at")); err != nil {
			return nil, fail("at", err.Error(), nil)
		}
		for _, f := range []struct {
			name string
			dst  *float64
		}{{"quantity", &rec.Quantity}, {"minutes", &rec.Minutes}, {"minutes_saved", &rec.MinutesSaved}, {"normal_quantity", &rec.NormalQuantity}} {
			s := cell(f.name)
			if s == "" && f.name != "quantity" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, fail(f.name, fmt.Sprintf("want a number, not %q", s), ErrInvalidQuantity)
			}
			*f.dst = v
		}
		if rerr := rec.check(); rerr != nil {
			return nil, fail(rerr.Field, rerr.Msg, rerr.Err)
		}
		out = append(out, rec)
	}
}

func csvError(cr *csv.Reader, n int, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &DecodeError{Format: "csv", Record: n, Line: pe.Line, Msg: pe.Err.Error(), Err: err}
	}
	return &DecodeError{Format: "csv", Record: n, Msg: err.Error(), Err: err}
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("want a date such as 2025-03-01 or 2025-03-01T10:00:00Z, not %q", printable(s))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
