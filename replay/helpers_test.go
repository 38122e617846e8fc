package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/aeo"
	"github.com/safe-aeo/engine/risk"
)

// programmes loads the selectivity example's profile and its next
// version.
func programmes(tb testing.TB) (*aeo.Programme, *aeo.Programme) {
	tb.Helper()
	old, err := aeo.Load("../examples/selectivity/programme.yaml")
	require.NoError(tb, err)
	nw, err := aeo.Load("../examples/selectivity/next.yaml")
	require.NoError(tb, err)
	return old, nw
}

// entries returns n declarations shaped like the selectivity example's:
// a mix of offices, directions, commodities, origins, values and
// operators of each standing, from a fixed seed.
func entries(n int) []risk.Entry {
	r := rand.New(rand.NewPCG(7, 11))
	hs := []string{"851712", "847130", "854231", "392690", "610910", "620342", "220830", "240220", "271019",
		"080810", "030617", "300490", "930200", "870899", "940360"}
	origins := []string{"CN", "US", "DE", "IN", "VN", "TR", "BD", "GB"}
	offices := []struct{ code, mode string }{{"XXPRT", "1"}, {"XXAIR", "4"}, {"XXRDB", "3"}, {"XXPST", "5"}}
	ops := []risk.Operator{
		{Status: "authorized", Types: []string{"AEO"}},
		{Status: "suspended", Types: []string{"AEO"}},
		{Status: "none", Partner: "Partnerland AEO"},
		{Status: "none"},
		{Status: "none"},
	}
	out := make([]risk.Entry, n)
	year := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range out {
		off := offices[r.IntN(len(offices))]
		op := ops[r.IntN(len(ops))]
		op.ID = fmt.Sprintf("XX%c%05d", 'A'+byte(r.IntN(4)), r.IntN(5000))
		origin := origins[r.IntN(len(origins))]
		dispatch := origin
		if r.IntN(8) == 0 {
			dispatch = "AE"
		}
		if r.IntN(500) == 0 {
			origin = ""
		}
		dir := []string{"import", "import", "import", "export", "transit"}[r.IntN(5)]
		out[i] = risk.Entry{
			Declaration: risk.Declaration{
				ID: fmt.Sprintf("25%s%07d", off.code[2:], i+1), Date: year.AddDate(0, 0, r.IntN(365)),
				Office: off.code, Direction: dir, HSCode: hs[r.IntN(len(hs))], Origin: origin, Dispatch: dispatch,
				Value: float64(r.IntN(2_000_000_00)) / 100, GrossMass: float64(r.IntN(250000)) / 10,
				Operator: op.ID, Procedure: []string{"4000", "4000", "5100", "7100"}[r.IntN(4)], TransportMode: off.mode,
			},
			Operator: op,
		}
	}
	return out
}

// jsonl encodes entries as JSON Lines with encoding/json, as a host would
// write them.
func jsonl(tb testing.TB, es []risk.Entry) []byte {
	tb.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for i := range es {
		require.NoError(tb, enc.Encode(es[i]))
	}
	return b.Bytes()
}

var errCanceled = context.Canceled

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}
