package replay

import (
	"bytes"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/safe-aeo/engine/risk"
)

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportRate reports declarations per second of wall time and per second
// of CPU time: on a shared machine the second is the one that says what a
// core does.
func reportRate(b *testing.B, n int, cpu time.Duration) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "decl/s")
	if cpu > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/cpu.Seconds(), "decl/cpu-s")
	}
}

func BenchmarkDecodeLine(b *testing.B) {
	lines := bytes.Split(bytes.TrimSpace(jsonl(b, entries(1000))), []byte{'\n'})
	var d declDecoder
	var e risk.Entry
	b.ReportAllocs()
	i := 0
	start := cpuTime()
	for b.Loop() {
		if err := d.decode(lines[i%len(lines)], &e); err != nil {
			b.Fatal(err.msg)
		}
		i++
	}
	reportRate(b, 1, cpuTime()-start)
}

// BenchmarkSelectTwice is the selection part of BenchmarkReplayLine: both
// versions' lanes for a declaration already decoded.
func BenchmarkSelectTwice(b *testing.B) {
	old, nw := programmes(b)
	es := entries(1000)
	to, tn := old.Selector().NewTally(), nw.Selector().NewTally()
	b.ReportAllocs()
	i := 0
	start := cpuTime()
	for b.Loop() {
		e := &es[i%len(es)]
		to.Select(&e.Declaration, &e.Operator)
		tn.Select(&e.Declaration, &e.Operator)
		i++
	}
	reportRate(b, 1, cpuTime()-start)
}

// BenchmarkReplayLine is one core's work per declaration: decode a JSON
// line, select its lane under both versions, count.
func BenchmarkReplayLine(b *testing.B) {
	old, nw := programmes(b)
	r, err := New(old, nw)
	if err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(jsonl(b, entries(1000))), []byte{'\n'})
	w := &laneWorker{r: r, old: old.Selector().NewTally(), new: nw.Selector().NewTally(), notes: notes{},
		oldFacts: map[string]any{}, newFacts: map[string]any{}}
	j := &job{}
	b.ReportAllocs()
	i := 0
	start := cpuTime()
	for b.Loop() {
		if err := w.dec.decode(lines[i%len(lines)], &w.e); err != nil {
			b.Fatal(err.msg)
		}
		w.replay(j, &w.e, i, w.dec.facts)
		i++
	}
	reportRate(b, 1, cpuTime()-start)
}

// BenchmarkDeclarationFiles replays 100,000 declarations of JSON Lines
// held in memory, through the whole pipeline.
func BenchmarkDeclarationFiles(b *testing.B) {
	old, nw := programmes(b)
	const n = 100_000
	data := jsonl(b, entries(n))
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			r, err := New(old, nw, WithWorkers(workers))
			if err != nil {
				b.Fatal(err)
			}
			in := Input{Name: "bench.jsonl", Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
				return io.NopCloser(bytes.NewReader(data)), nil
			}}
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			start := cpuTime()
			for b.Loop() {
				rep, err := r.DeclarationFiles(b.Context(), []Input{in})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Replayed != n {
					b.Fatalf("replayed %d, want %d", rep.Replayed, n)
				}
			}
			reportRate(b, n, cpuTime()-start)
		})
	}
}

// BenchmarkFile replays the file named by REPLAY_FILE, for profiling a
// real run; it is skipped without one.
func BenchmarkFile(b *testing.B) {
	name := os.Getenv("REPLAY_FILE")
	if name == "" {
		b.Skip("REPLAY_FILE names a file of declarations to replay")
	}
	old, nw := programmes(b)
	r, err := New(old, nw)
	if err != nil {
		b.Fatal(err)
	}
	start := cpuTime()
	n := 0
	for b.Loop() {
		rep, err := r.DeclarationFiles(b.Context(), []Input{File(name, Auto)})
		if err != nil {
			b.Fatal(err)
		}
		n = rep.Replayed
	}
	reportRate(b, n, cpuTime()-start)
}
