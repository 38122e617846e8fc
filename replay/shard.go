package replay

import (
	"fmt"
	"strconv"
	"strings"
)

// A Shard is a deterministic slice of a replay's input, so that a batch
// scheduler can split a replay too large for one machine into jobs and
// Merge their reports. With Count n, shard Index i (0 ≤ i < n) takes, By
// Line, the records whose ordinal (counted from zero over the inputs in
// order, header rows left out) is i modulo n; By File, the inputs whose
// position in the list is i modulo n. The zero value is the whole input.
//
// By Line balances the work whatever the inputs, but every shard reads
// (and decompresses) all of them; By File reads each input once, for
// replays stored as many files of similar size (a file per day, say).
type Shard struct {
	Index int     `json:"index"`
	Count int     `json:"count"`
	By    ShardBy `json:"by"`
}

// ShardBy is the unit a Shard divides: lines (records) or files.
type ShardBy uint8

// Units of sharding.
const (
	ByLine ShardBy = iota
	ByFile
)

// String returns "line" or "file".
func (b ShardBy) String() string {
	if b == ByFile {
		return "file"
	}
	return "line"
}

// MarshalText encodes b as line or file.
func (b ShardBy) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes line or file.
func (b *ShardBy) UnmarshalText(t []byte) error {
	switch string(t) {
	case "line", "":
		*b = ByLine
	case "file":
		*b = ByFile
	default:
		return fmt.Errorf("unknown shard unit %q (want line or file)", t)
	}
	return nil
}

// ParseShard reads "i/n", shard i of n counted from zero, as a batch
// scheduler numbers its jobs (a Kubernetes indexed job's
// JOB_COMPLETION_INDEX, a Slurm array's SLURM_ARRAY_TASK_ID).
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: want i/n, such as 0/4 for the first of four", s)
	}
	sh := Shard{Index: i, Count: n}
	return sh, sh.check()
}

func (s Shard) check() error {
	if s.Count == 0 && s.Index == 0 {
		return nil
	}
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d: want 0 ≤ i < n", s.Index, s.Count)
	}
	if s.By > ByFile {
		return fmt.Errorf("shard %d/%d: unknown unit %d", s.Index, s.Count, s.By)
	}
	return nil
}

// String returns "i/n by line" (or by file), or "all" for the whole input.
func (s Shard) String() string {
	if s.Count <= 1 {
		return "all"
	}
	return fmt.Sprintf("%d/%d by %s", s.Index, s.Count, s.By)
}

// split reports whether the shard takes part of the input only.
func (s Shard) split() bool { return s.Count > 1 }

// ownsRecord reports whether the record of ordinal ord is the shard's.
func (s Shard) ownsRecord(ord int64) bool {
	return !s.split() || s.By == ByFile || ord%int64(s.Count) == int64(s.Index)
}

// ownsInput reports whether the input at position i is the shard's.
func (s Shard) ownsInput(i int) bool {
	return !s.split() || s.By == ByLine || i%s.Count == s.Index
}
