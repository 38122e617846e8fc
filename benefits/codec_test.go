package benefits_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
)

func sampleRecords() []benefits.Record {
	return []benefits.Record{
		{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: time.Date(2025, 3, 3, 9, 30, 0, 0, time.UTC), Quantity: 5, Unit: "crossings", Minutes: 61, NormalQuantity: 1, Ref: "CRX, \"north\" gate"},
		{Benefit: "stair.client-coordinator", Operator: "OP-A", At: time.Date(2025, 3, 15, 0, 0, 0, 0, time.FixedZone("", 2*3600)), Quantity: 1.25, Unit: "hours"},
		{Benefit: "safe.release.fast-lane", Operator: "OP-B", At: time.Date(2025, 3, 3, 10, 30, 0, 123456789, time.UTC), Quantity: 3, MinutesSaved: -4.5},
		{Benefit: "ecom.D", Operator: "Fulfilment Ltd — Zone 2", At: date(2025, 4, 1), Quantity: 1e6},
	}
}

func TestCodec_roundTrip(t *testing.T) {
	recs := sampleRecords()
	for _, format := range []struct {
		name  string
		write func(*bytes.Buffer, []benefits.Record) error
		read  func(*bytes.Buffer) ([]benefits.Record, error)
	}{
		{"json", func(b *bytes.Buffer, r []benefits.Record) error { return benefits.WriteJSON(b, r) }, func(b *bytes.Buffer) ([]benefits.Record, error) { return benefits.ReadJSON(b) }},
		{"csv", func(b *bytes.Buffer, r []benefits.Record) error { return benefits.WriteCSV(b, r) }, func(b *bytes.Buffer) ([]benefits.Record, error) { return benefits.ReadCSV(b) }},
	} {
		t.Run(format.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, format.write(&b, recs))
			text := b.String()
			got, err := format.read(&b)
			require.NoError(t, err, text)
			if diff := cmp.Diff(recs, got); diff != "" {
				t.Errorf("round trip mismatch (-want +got):\n%s\n%s", diff, text)
			}
			golden(t, "records."+format.name, text)
		})
	}
	var b bytes.Buffer
	require.NoError(t, benefits.WriteJSON(&b, nil))
	assert.Equal(t, "[]\n", b.String())
	got, err := benefits.ReadJSON(&b)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestReadCSV_lenient(t *testing.T) {
	in := "\ufeffoperator,at,benefit,quantity\nOP-A,2025-03-01,safe.release.fast-lane,2\n"
	got, err := benefits.ReadCSV(strings.NewReader(in))
	require.NoError(t, err)
	want := []benefits.Record{{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 3, 1), Quantity: 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestDecode_errors(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		in      string
		wantErr error // a sentinel, if any
		record  int
		line    int
		field   string
		msg     string // a part of the message
		reason  string
	}{
		{name: "json not a list", format: "json", in: `{"benefit":"x"}`, msg: "want a list of records", reason: "the format is a list"},
		{name: "json empty input", format: "json", in: ``, msg: "want a list of records", reason: "nothing is not a list"},
		{name: "json unknown key", format: "json", in: `[{"benefit":"x","operator":"y","at":"2025-01-01T00:00:00Z","quantity":1,"qty":2}]`, record: 1, msg: `unknown field "qty"`, reason: "keys are checked strictly"},
		{name: "json wrong type", format: "json", in: `[{"benefit":"x","operator":"y","at":"2025-01-01T00:00:00Z","quantity":"1"}]`, record: 1, msg: "field quantity: want a number, not a JSON string", reason: "numbers are numbers"},
		{name: "json bad date", format: "json", in: `[{"benefit":"x","operator":"y","at":"March","quantity":1}]`, record: 1, msg: "parsing time", reason: "dates are RFC 3339"},
		{name: "json negative", format: "json", in: `[{"benefit":"x","operator":"y","at":"2025-01-01T00:00:00Z","quantity":-1}]`, wantErr: benefits.ErrInvalidQuantity, record: 1, field: "quantity", reason: "records are checked as they are decoded"},
		{name: "json no operator", format: "json", in: `[{"benefit":"x","at":"2025-01-01T00:00:00Z","quantity":1}]`, wantErr: benefits.ErrInvalidRecord, record: 1, field: "operator", reason: "an operator is required"},
		{name: "json second record", format: "json", in: `[{"benefit":"x","operator":"y","at":"2025-01-01T00:00:00Z","quantity":1},{"benefit":"x","operator":"y","quantity":1}]`, wantErr: benefits.ErrInvalidRecord, record: 2, field: "at", reason: "the failing record is named"},
		{name: "json offset of 24 hours", format: "json", in: `[{"benefit":"x","operator":"y","at":"2025-01-01T00:00:00+24:00","quantity":1}]`, wantErr: benefits.ErrInvalidRecord, record: 1, field: "at", msg: "offset", reason: "found by FuzzReadJSON: such a time decodes but cannot be written back"},
		{name: "json trailing data", format: "json", in: `[] []`, msg: "want nothing after the list", reason: "one list per input"},
		{name: "json unterminated", format: "json", in: `[{"benefit":"x","operator":"y","at":"2025-01-01T00:00:00Z","quantity":1}`, msg: "want the end of the list", reason: "a truncated file is an error, not a shorter ledger"},
		{name: "csv empty", format: "csv", in: ``, line: 1, msg: "want a header row", reason: "the header names the columns"},
		{name: "csv unknown column", format: "csv", in: "benefit,operator,at,quantity,lane\n", line: 1, field: "lane", msg: "unknown column", reason: "columns are checked strictly"},
		{name: "csv duplicate column", format: "csv", in: "benefit,operator,at,quantity,at\n", line: 1, field: "at", msg: "column listed twice", reason: "one column per field"},
		{name: "csv missing column", format: "csv", in: "benefit,operator,at\n", line: 1, field: "quantity", msg: "required column missing", reason: "quantity is required"},
		{name: "csv bad number", format: "csv", in: "benefit,operator,at,quantity\nx,y,2025-01-01,two\n", wantErr: benefits.ErrInvalidQuantity, record: 1, line: 2, field: "quantity", msg: `want a number, not "two"`, reason: "numbers are numbers"},
		{name: "csv empty quantity", format: "csv", in: "benefit,operator,at,quantity\nx,y,2025-01-01,\n", wantErr: benefits.ErrInvalidQuantity, record: 1, line: 2, field: "quantity", reason: "quantity is required, even in a cell"},
		{name: "csv NaN", format: "csv", in: "benefit,operator,at,quantity\nx,y,2025-01-01,NaN\n", wantErr: benefits.ErrInvalidQuantity, record: 1, line: 2, field: "quantity", msg: "not a number", reason: "NaN is refused on entry"},
		{name: "csv bad date", format: "csv", in: "benefit,operator,at,quantity\nx,y,01/02/2025,1\n", record: 1, line: 2, field: "at", msg: "want a date such as 2025-03-01", reason: "dates are ISO 8601"},
		{name: "csv short row", format: "csv", in: "benefit,operator,at,quantity\nx,y,2025-01-01\n", record: 1, line: 2, msg: "wrong number of fields", reason: "every row has every column"},
		{name: "csv third line", format: "csv", in: "benefit,operator,at,quantity\nx,y,2025-01-01,1\nx,,2025-01-01,1\n", wantErr: benefits.ErrInvalidRecord, record: 2, line: 3, field: "operator", reason: "the failing line is named"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			var got []benefits.Record
			if tt.format == "json" {
				got, err = benefits.ReadJSON(strings.NewReader(tt.in))
			} else {
				got, err = benefits.ReadCSV(strings.NewReader(tt.in))
			}
			require.Error(t, err, tt.reason)
			assert.Nil(t, got, "no records on error")
			var de *benefits.DecodeError
			require.True(t, errors.As(err, &de), "want *DecodeError, got %T", err)
			assert.Equal(t, tt.format, de.Format)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr, tt.reason)
			}
			assert.Equal(t, tt.record, de.Record, "record; %s", tt.reason)
			if tt.line > 0 {
				assert.Equal(t, tt.line, de.Line, "line; %s", tt.reason)
			}
			assert.Equal(t, tt.field, de.Field, tt.reason)
			assert.Contains(t, err.Error(), tt.msg, tt.reason)
			assert.True(t, strings.HasPrefix(err.Error(), "benefits: "+tt.format), err.Error())
		})
	}
}
