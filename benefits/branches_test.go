package benefits_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/benefits"
)

// Tests of checks the other tests pass by: what each refusal names, and
// the boundaries of the checks of records and catalogues.

func TestBuiltin_unknown(t *testing.T) {
	for _, name := range []string{"nope", "", "SAFE", "safe "} {
		bs, steps, err := benefits.Builtin(name)
		require.EqualError(t, err, `benefits: unknown catalogue "`+name+`" (want safe, operator, ecommerce or stairway)`,
			"only the four built-in catalogues are known, by their exact names")
		assert.Nil(t, bs)
		assert.Nil(t, steps)
	}
}

func TestWriteJSON_nothingHalfWritten(t *testing.T) {
	ok := benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: date(2025, 1, 1), Quantity: 1}
	bad := ok
	bad.Quantity = math.Inf(1)
	var b bytes.Buffer
	err := benefits.WriteJSON(&b, []benefits.Record{ok, ok, bad})
	require.EqualError(t, err, "benefits: record 3: json: unsupported value: +Inf")
	assert.Zero(t, b.Len(), "a short list with a record JSON cannot hold writes nothing: no half array reaches the writer")
}

func TestDecodeError_Error(t *testing.T) {
	tests := []struct {
		name   string
		e      benefits.DecodeError
		want   string
		reason string
	}{
		{"csv line", benefits.DecodeError{Format: "csv", Record: 2, Line: 3, Field: "operator", Msg: "is required", Err: benefits.ErrInvalidRecord},
			"benefits: csv line 3 record 2 field operator: is required: invalid record", "a CSV problem is placed by line, record and field"},
		{"json offset", benefits.DecodeError{Format: "json", Record: 1, Offset: 57, Msg: "want the end of the list"},
			"benefits: json offset 57 record 1: want the end of the list", "JSON has no lines: the byte offset places the problem"},
		{"line before offset", benefits.DecodeError{Format: "csv", Line: 1, Offset: 12, Msg: "want a header row"},
			"benefits: csv line 1: want a header row", "a line, when known, is what a person looks for"},
		{"first byte", benefits.DecodeError{Format: "json", Msg: "want a list of records", Err: errors.New("EOF")},
			"benefits: json: want a list of records", "offset 0 and record 0 are not shown; a decoder's own error is described by the message"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error(), tt.reason)
	}
}

func TestRecordDates(t *testing.T) {
	const years, offset = "the date must be in the years 1 to 9999", "the time zone offset must be less than 24 hours"
	tests := []struct {
		name    string
		at      string
		wantMsg string
		reason  string
	}{
		{"year 1", "0001-01-02T00:00:00Z", "", "the first year JSON and the calendar can hold"},
		{"year 9999", "9999-12-31T22:00:00-01:00", "", "the last year, in the record's own zone"},
		{"year 0", "0000-12-31T00:00:00Z", years, "before the years 1 to 9999"},
		{"offset just under a day", "2025-01-01T00:00:00+23:59", "", "the largest offset a time zone may have"},
		{"offset just under minus a day", "2025-01-01T00:00:00-23:59", "", "and the smallest"},
		{"offset of minus a day", "2025-01-01T00:00:00-24:00", offset, "no zone is a whole day behind: encoding/json would refuse to write it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := `[{"benefit":"x","operator":"y","at":"` + tt.at + `","quantity":1}]`
			got, err := benefits.ReadJSON(strings.NewReader(in))
			if tt.wantMsg == "" {
				require.NoError(t, err, tt.reason)
				require.Len(t, got, 1)
				var b bytes.Buffer
				require.NoError(t, benefits.WriteJSON(&b, got), "whatever decodes also encodes; %s", tt.reason)
				return
			}
			var de *benefits.DecodeError
			require.True(t, errors.As(err, &de), "want *DecodeError, got %v; %s", err, tt.reason)
			assert.Equal(t, "at", de.Field, tt.reason)
			assert.Equal(t, tt.wantMsg, de.Msg, tt.reason)
			assert.ErrorIs(t, err, benefits.ErrInvalidRecord, tt.reason)
		})
	}

	l := benefits.NewLedger(mustProgramme(t))
	err := l.Add(benefits.Record{Benefit: "safe.release.fast-lane", Operator: "OP-A", At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), Quantity: 1}, nil)
	var re *benefits.RecordError
	require.True(t, errors.As(err, &re), "want *RecordError, got %v", err)
	assert.Equal(t, "at", re.Field, "the year 10000 is after the years 1 to 9999")
	assert.ErrorIs(t, err, benefits.ErrInvalidRecord)
}

func TestRecordError_Error(t *testing.T) {
	at := date(2025, 3, 3)
	tests := []struct {
		name   string
		e      benefits.RecordError
		want   string
		reason string
	}{
		{"everything", benefits.RecordError{Index: 2, Benefit: "safe.release.fast-lane", Operator: "OP-A", At: at, Field: "quantity", Msg: "-1 is negative", Err: benefits.ErrInvalidQuantity},
			`benefits: record 2 "safe.release.fast-lane" for "OP-A" on 2025-03-03: quantity: -1 is negative: invalid quantity`,
			"a record of a batch is placed by its position, benefit, operator, date and field"},
		{"added alone", benefits.RecordError{Benefit: "b", Operator: "o", Msg: "is required", Field: "at", Err: benefits.ErrInvalidRecord},
			`benefits: record "b" for "o": at: is required: invalid record`, "a record added alone has no position, and here no date"},
		{"nothing known", benefits.RecordError{Msg: "is required"},
			"benefits: record: is required", "what is unknown is left out"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error(), tt.reason)
	}
}
