package suggest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b   string
		want   int
		reason string
	}{
		{"", "", 0, "two empty strings are the same"},
		{"importer", "importer", 0, "the same name"},
		{"importr", "importer", 1, "a letter left out"},
		{"imoprter", "importer", 2, "two letters swapped count as two substitutions"},
		{"serius", "serious", 1, "the severity typo of the bad-input list"},
		{"", "abc", 3, "everything inserted"},
		{"abc", "", 3, "everything deleted"},
		{"kitten", "sitting", 3, "the textbook example"},
		{strings.Repeat("a", 65), "a", 64, "a string over 64 bytes is no typo of a name"},
		{strings.Repeat("a", 64), strings.Repeat("b", 64), 64, "64 bytes each are still compared"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Distance(tt.a, tt.b), tt.reason)
		assert.Equal(t, tt.want, Distance(tt.b, tt.a), "symmetric: %s", tt.reason)
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("importr", "importer")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Distance(a, b)
		if d < 0 || d > 64 {
			t.Fatalf("Distance(%q, %q) = %d, outside 0..64", a, b, d)
		}
		if len(a) <= 64 && len(b) <= 64 {
			if d < abs(len(a)-len(b)) || d > max(len(a), len(b)) {
				t.Fatalf("Distance(%q, %q) = %d, outside its bounds", a, b, d)
			}
			if (d == 0) != (a == b) {
				t.Fatalf("Distance(%q, %q) = %d", a, b, d)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
