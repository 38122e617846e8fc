package lifecycle_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/safe-aeo/engine/lifecycle"
)

// sampleHistory is one operator's trail under the EU fixture: application,
// validation, grant, coordinator, suspension, appeal allowed, monitoring.
func sampleHistory(t testing.TB) *flow {
	t.Helper()
	l := machineFor(t, "eu")
	f := authorizedFlow(t, l, ymd(2025, 1, 6), "", "AEOC", "AEOS")
	f.do(assignEvent(lifecycle.EventAssignCoordinator, ymd(2025, 2, 3), "officer-c"))
	f.do(suspendEvent(ymd(2025, 6, 2), "security"))
	f.do(appealEvent(ymd(2025, 6, 9), lifecycle.StageCustomsReview, lifecycle.DecisionNone))
	f.do(rulingEvent(lifecycle.EventAllowAppeal, ymd(2025, 7, 1), "officer-r", lifecycle.ActorOfficer))
	mon := officerEvent(lifecycle.EventMonitor, ymd(2025, 9, 1))
	mon.Evidence = []string{"visit-2025-09-01"}
	f.do(mon)
	return f
}

func TestAuditChain(t *testing.T) {
	f := sampleHistory(t)
	require.Len(t, f.recs, 9)
	require.NoError(t, lifecycle.Trail(f.recs).Verify())
	require.NoError(t, lifecycle.Trail(f.recs).VerifyHead(f.a.Head))
	require.NoError(t, lifecycle.Trail(nil).Verify(), "an empty trail is sound")
	require.NoError(t, lifecycle.Trail(nil).VerifyHead(""))
	for i, r := range f.recs {
		assert.Equal(t, i, r.Seq)
		assert.Len(t, r.Hash, 64, "SHA-256 in hex")
		assert.Equal(t, testFP, r.Fingerprint, "each record carries the programme fingerprint")
		if i > 0 {
			assert.Equal(t, f.recs[i-1].Hash, r.Prev, "each record is chained to the one before")
		}
	}
	assert.Equal(t, lifecycle.StatusPartlySuspended, f.recs[5].To)
	assert.Equal(t, []string{"stated in the letter"}, f.recs[5].Event.Reasons, "the record keeps the reasons")
	assert.Equal(t, f.recs[8].Hash, f.a.Head)
	assert.Equal(t, 9, f.a.Seq)
}

// TestAuditTampering: every change, removal, insertion or reordering of
// records is found, at the first record that no longer fits.
func TestAuditTampering(t *testing.T) {
	f := sampleHistory(t)
	tests := []struct {
		name   string
		tamper func(r []lifecycle.Record) []lifecycle.Record
		index  int
		reason string
	}{{
		name: "reasons rewritten",
		tamper: func(r []lifecycle.Record) []lifecycle.Record {
			r[5].Event.Reasons = []string{"other reasons"}
			return r
		},
		index:  5,
		reason: "the reasons are part of the hashed record",
	}, {
		name:   "actor changed",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[3].Event.Approver = "officer-x"; return r },
		index:  3,
		reason: "who approved is part of the record",
	}, {
		name: "time moved",
		tamper: func(r []lifecycle.Record) []lifecycle.Record {
			r[6].Event.At = r[6].Event.At.AddDate(0, 0, -20)
			return r
		},
		index:  6,
		reason: "back-dating an appeal into its window changes the record",
	}, {
		name:   "status changed",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[7].To = lifecycle.StatusSuspended; return r },
		index:  7,
		reason: "the outcome is part of the record",
	}, {
		name:   "prior status changed",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[4].From = lifecycle.StatusSuspended; return r },
		index:  4,
		reason: "the status before is part of the record",
	}, {
		name:   "fingerprint changed",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[2].Fingerprint = "sha256:other"; return r },
		index:  2,
		reason: "the programme version is part of the record",
	}, {
		name:   "evidence dropped",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[2].Event.Evidence = nil; return r },
		index:  2,
		reason: "evidence references are part of the record",
	}, {
		name:   "record removed",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { return slices.Delete(r, 4, 5) },
		index:  4,
		reason: "a gap in the sequence",
	}, {
		name:   "record inserted",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { return slices.Insert(r, 2, r[1]) },
		index:  2,
		reason: "a copied record does not fit its new place",
	}, {
		name:   "records reordered",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[3], r[4] = r[4], r[3]; return r },
		index:  3,
		reason: "order is part of the chain",
	}, {
		name: "sequence renumbered after a removal",
		tamper: func(r []lifecycle.Record) []lifecycle.Record {
			r = slices.Delete(r, 4, 5)
			for i := range r {
				r[i].Seq = i
			}
			return r
		},
		index:  4,
		reason: "renumbering breaks the hashes and the links",
	}, {
		name:   "hash replaced",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[8].Hash = r[7].Hash; return r },
		index:  8,
		reason: "a hash must be the hash of its record",
	}, {
		name:   "link replaced",
		tamper: func(r []lifecycle.Record) []lifecycle.Record { r[1].Prev = ""; return r },
		index:  1,
		reason: "only the first record starts the chain",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := tt.tamper(copyRecords(f.recs))
			err := lifecycle.Trail(recs).Verify()
			require.ErrorIs(t, err, lifecycle.ErrTampered, tt.reason)
			var ae *lifecycle.AuditError
			require.True(t, errors.As(err, &ae))
			assert.Equal(t, tt.index, ae.Index, "%v; %s", err, tt.reason)
			assert.Regexp(t, `^lifecycle: audit record \d+: `, err.Error())
			_, err = f.l.Replay(recs)
			require.ErrorIs(t, err, lifecycle.ErrTampered, "Replay verifies first; %s", tt.reason)
		})
	}
	require.NoError(t, lifecycle.Trail(f.recs).Verify(), "the tests worked on copies")
}

// copyRecords copies records deeply enough for the tampering tests.
func copyRecords(recs []lifecycle.Record) []lifecycle.Record {
	out := slices.Clone(recs)
	for i := range out {
		out[i].Event.Reasons = slices.Clone(out[i].Event.Reasons)
		out[i].Event.Evidence = slices.Clone(out[i].Event.Evidence)
	}
	return out
}

// rechain recomputes the chain after a change, as someone who can
// rewrite the whole trail could: the chain verifies, and only the head kept
// with the state, or a replay, shows the change.
func rechain(t *testing.T, recs []lifecycle.Record) []lifecycle.Record {
	t.Helper()
	out := slices.Clone(recs)
	for i := range out {
		out[i].Seq = i
		out[i].Prev = ""
		if i > 0 {
			out[i].Prev = out[i-1].Hash
		}
		out[i].Hash = hashOf(t, out[i])
	}
	return out
}

// hashOf computes a record's hash as documented: SHA-256 of its JSON
// encoding without the hash.
func hashOf(t *testing.T, r lifecycle.Record) string {
	t.Helper()
	r.Hash = ""
	b, err := json.Marshal(r)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func TestAuditRewrittenChain(t *testing.T) {
	f := sampleHistory(t)
	for i, r := range f.recs {
		require.Equal(t, r.Hash, hashOf(t, r), "record %d: the documented hash can be recomputed by anyone", i)
	}

	forged := copyRecords(f.recs)
	forged[7].To = lifecycle.StatusSuspended
	forged = rechain(t, forged)
	require.NoError(t, lifecycle.Trail(forged).Verify(), "a rewritten chain verifies on its own")
	err := lifecycle.Trail(forged).VerifyHead(f.a.Head)
	require.ErrorIs(t, err, lifecycle.ErrTampered, "but not against the head kept with the state")
	var ae *lifecycle.AuditError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, len(forged), ae.Index)

	_, err = f.l.Replay(forged)
	require.ErrorIs(t, err, lifecycle.ErrReplayMismatch, "and a replay does not reproduce the forged record")
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 7, ae.Index)

	cut := f.recs[:6]
	require.NoError(t, lifecycle.Trail(cut).Verify(), "cutting records off the end leaves a sound chain")
	require.ErrorIs(t, lifecycle.Trail(cut).VerifyHead(f.a.Head), lifecycle.ErrTampered, "which only the head shows")
}

func TestAuditReplay(t *testing.T) {
	f := sampleHistory(t)
	got, err := f.l.Replay(f.recs)
	require.NoError(t, err)
	if diff := cmp.Diff(f.a, got); diff != "" {
		t.Errorf("Replay mismatch (-live +replayed):\n%s", diff)
	}

	// Records survive a JSON round trip: they verify and replay to the
	// same state.
	b, err := json.Marshal(f.recs)
	require.NoError(t, err)
	var back []lifecycle.Record
	require.NoError(t, json.Unmarshal(b, &back))
	require.NoError(t, lifecycle.Trail(back).Verify())
	got, err = f.l.Replay(back)
	require.NoError(t, err)
	if diff := cmp.Diff(f.a, got); diff != "" {
		t.Errorf("Replay after a JSON round trip mismatch (-live +replayed):\n%s", diff)
	}
	assert.Contains(t, string(b), `"kind":"allow_appeal"`, "events are written as tokens")

	// Times in another zone hash the same after the round trip: the
	// encoding keeps their offset.
	zone := time.FixedZone("UTC+4", 4*3600)
	g := startFlow(t, f.l).do(lodgeEvent(time.Date(2025, 1, 6, 23, 30, 0, 0, zone), "", "AEOC"))
	b, err = json.Marshal(g.recs)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &back))
	require.NoError(t, lifecycle.Trail(back).Verify())
}

func TestAuditReplayOtherRules(t *testing.T) {
	// Records made where third-party reports are accepted do not replay
	// where they are not: Replay names the record.
	tp := newMachine(t, lifecycle.Config{Validation: lifecycle.ValidationRules{ThirdParty: true}})
	day := ymd(2025, 1, 6)
	ev := validateEvent(day, lifecycle.ValidationThirdParty, true)
	ev.Validation.Validator = "Validators Ltd"
	f := startFlow(t, tp).do(lodgeEvent(day, "", "AEOS")).do(acceptEvent(day)).do(ev)
	_, err := machineFor(t, "eu").Replay(f.recs)
	require.ErrorIs(t, err, lifecycle.ErrReplayMismatch)
	require.ErrorIs(t, err, lifecycle.ErrNotPermitted, "the rule that refused the event on replay is kept")
	var ae *lifecycle.AuditError
	require.True(t, errors.As(err, &ae))
	assert.Equal(t, 2, ae.Index)

	// A record made under an earlier programme version replays under its
	// own fingerprint.
	old, err := lifecycle.New(lifecycle.Config{}, "sha256:v1", nil)
	require.NoError(t, err)
	g := startFlow(t, old).do(lodgeEvent(day, "", "AEO")).do(acceptEvent(day)).do(validateEvent(day, lifecycle.ValidationOnSite, true))
	grant := grantEvent(day, "", "AEO")
	grant.Assessment.Fingerprint = "sha256:v1"
	g.do(grant)
	replayed, err := newMachine(t, lifecycle.Config{}).Replay(g.recs)
	require.NoError(t, err, "the programme was revised since; the grant was checked against v1")
	assert.Equal(t, g.a, replayed)
}
