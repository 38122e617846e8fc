package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOpenAPIDocument checks that the committed openapi.json is the
// document the Go types and the path table give, and that kin-openapi
// loads and validates it as OpenAPI 3.1.
func TestOpenAPIDocument(t *testing.T) {
	built, err := json.MarshalIndent(buildOpenAPI(), "", "  ")
	require.NoError(t, err)
	built = append(built, '\n')
	if *update {
		require.NoError(t, os.WriteFile("openapi.json", built, 0o644))
	}
	committed, err := os.ReadFile("openapi.json")
	require.NoError(t, err)
	if !bytes.Equal(committed, built) {
		var a, b any
		require.NoError(t, json.Unmarshal(committed, &a))
		require.NoError(t, json.Unmarshal(built, &b))
		t.Fatalf("openapi.json is out of date (go test ./server -run TestOpenAPIDocument -update), -committed +built:\n%s", cmp.Diff(a, b))
	}
	require.True(t, bytes.Equal(OpenAPI, committed), "the embedded document is the committed one")
	doc, err := loadDoc()
	require.NoError(t, err)
	require.True(t, doc.IsOpenAPI31OrLater())
}

// TestValidatorCatchesMismatch shows that the response check of every
// test can fail: bodies, statuses and content types the document does
// not allow are caught.
func TestValidatorCatchesMismatch(t *testing.T) {
	v := newValidator(t)
	tests := []struct {
		reason string
		method string
		path   string
		status int
		ctype  string
		body   string
		ok     bool
	}{
		{"a valid list", "GET", "/v1/programmes", 200, "application/json", `{"programmes": []}`, true},
		{"a list of the wrong type", "GET", "/v1/programmes", 200, "application/json", `{"programmes": 5}`, false},
		{"a field the schema does not have", "GET", "/v1/programmes", 200, "application/json", `{"programmes": [], "extra": 1}`, false},
		{"an undocumented status", "GET", "/v1/programmes", 418, "application/json", `{}`, false},
		{"an undocumented content type", "GET", "/v1/programmes", 200, "text/html", `<p>`, false},
		{"an error without its code", "POST", "/v1/programmes/x/assess", 400, "application/json", `{"error": {"message": "m"}}`, false},
		{"a lane that does not exist", "POST", "/v1/programmes/x/lane", 200, "application/json",
			`{"programme":"p","version":"v","fingerprint":"f","decision":{"declaration":"d","lane":"purple","cause":"rule","status":"none","draw":0.5,"random_rate":0.1}}`, false},
		{"a stream line of the wrong shape", "POST", "/v1/programmes/x/lanes", 200, "application/x-ndjson", "{\"line\": \"one\"}\n", false},
		{"an error body for an unknown path", "GET", "/nowhere", 404, "application/json", `{"error": {"code": "not_found", "message": "m"}}`, true},
		{"anything else for an unknown path", "GET", "/nowhere", 200, "application/json", `{}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, "http://127.0.0.1:8080"+tt.path, nil)
			require.NoError(t, err)
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{"Content-Type": {tt.ctype}}}
			err = v.validate(req, resp, []byte(tt.body))
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
