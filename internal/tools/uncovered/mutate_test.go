package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const source = `package p

func f(a, b int) bool {
	switch {
	case a >= b: // a - b in a comment
		return a-b == 0
	case -a < b:
		a++
	}
	return a%b != 1
}
`

func TestMutate(t *testing.T) {
	tests := []struct {
		reason    string
		line, col int
		kind      string
		want      string // the line as mutated, or "" for an error
	}{
		{"a boundary mutant moves >= to >", 5, 9, "CONDITIONALS_BOUNDARY", "\tcase a > b: // a - b in a comment"},
		{"a negation mutant turns >= into <", 5, 9, "CONDITIONALS_NEGATION", "\tcase a < b: // a - b in a comment"},
		{"arithmetic turns - into +", 6, 11, "ARITHMETIC_BASE", "\t\treturn a+b == 0"},
		{"negation turns == into !=", 6, 14, "CONDITIONALS_NEGATION", "\t\treturn a-b != 0"},
		{"a unary minus is inverted", 7, 7, "INVERT_NEGATIVES", "\tcase +a < b:"},
		{"an increment becomes a decrement", 8, 4, "INCREMENT_DECREMENT", "\t\ta--"},
		{"a remainder becomes a product", 10, 10, "ARITHMETIC_BASE", "\treturn a*b != 1"},
		{"a position inside a token is refused", 5, 10, "CONDITIONALS_BOUNDARY", ""},
		{"an operand is not an operator", 5, 7, "CONDITIONALS_BOUNDARY", ""},
		{"== has no boundary mutant", 6, 14, "CONDITIONALS_BOUNDARY", ""},
		{"an operator in a comment is not code", 5, 20, "ARITHMETIC_BASE", ""},
		{"a type this tool does not apply", 6, 11, "INVERT_LOGICAL", ""},
		{"past the end of the file", 40, 1, "ARITHMETIC_BASE", ""},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			got, err := mutate([]byte(source), tt.line, tt.col, tt.kind)
			if tt.want == "" {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			lines := strings.Split(string(got), "\n")
			assert.Equal(t, tt.want, lines[tt.line-1])
			want := strings.Split(source, "\n")
			want[tt.line-1] = tt.want
			assert.Equal(t, want, lines, "only the mutated line changes")
		})
	}
}
