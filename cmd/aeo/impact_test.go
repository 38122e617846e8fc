package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/safe-aeo/engine/replay"
)

func TestProgressLine(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		p      replay.Progress
		at     time.Duration
		want   string
		reason string
	}{{
		name:   "size known",
		p:      replay.Progress{Records: 2_000_000, Bytes: 250 << 20, Size: 1000 << 20},
		at:     2 * time.Second,
		want:   "declarations: 2000000 read, 1000000/s, 2s elapsed, 25% of the input, about 6s left",
		reason: "with the size of the input, the share read and the time left",
	}, {
		name:   "stdin",
		p:      replay.Progress{Records: 500, Problems: 3, Bytes: 1000, Size: -1},
		at:     10 * time.Second,
		want:   "declarations: 500 read, 50/s, 10s elapsed, 3 problem(s)",
		reason: "standard input has no size: no estimate of the time left",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &progress{what: "declarations", start: start}
			assert.Equal(t, tt.want, p.line(tt.p, start.Add(tt.at)), tt.reason)
		})
	}
}

func TestProgressQuiet(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, true)
	p.begin("declarations", nil)
	p.last = time.Time{} // as if the last line were long ago
	p.update(replay.Progress{Records: 1})
	assert.Empty(t, out.String(), "--quiet prints no progress")
	p = newProgress(&out, false)
	p.begin("declarations", nil)
	p.last = time.Time{}
	p.update(replay.Progress{Records: 1, Size: -1})
	assert.Contains(t, out.String(), "declarations: 1 read", "off a terminal, a plain line every few seconds")
	assert.NotContains(t, out.String(), "\r", "no carriage returns off a terminal")
}
