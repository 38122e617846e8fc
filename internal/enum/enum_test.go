package enum

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type colour uint8

var colours = []string{"red", "green"}

func TestRoundTrip(t *testing.T) {
	for i := range colours {
		b, err := Marshal("test", colours, colour(i), "colour")
		require.NoError(t, err)
		got, err := Parse[colour]("test", colours, b, "colour")
		require.NoError(t, err)
		assert.Equal(t, colour(i), got, "every token reads back as its value")
		assert.Equal(t, colours[i], Name(colours, colour(i), "Colour"))
	}
	assert.Equal(t, "Colour(7)", Name(colours, colour(7), "Colour"), "an out-of-range value shows its number")
	_, err := Marshal("test", colours, colour(7), "colour")
	assert.EqualError(t, err, "test: invalid colour 7", "an out-of-range value cannot be written")
	_, err = Parse[colour]("test", colours, []byte("blue"), "colour")
	assert.EqualError(t, err, `test: unknown colour "blue" (want one of red, green)`, "an unknown token names the known ones")
}

func TestParseSuggests(t *testing.T) {
	tests := []struct {
		text, want, reason string
	}{
		{"gren", `test: unknown colour "gren"; did you mean "green"? (want one of red, green)`, "a typo gets the token it is nearest to"},
		{"Red", `test: unknown colour "Red"; did you mean "red"? (want one of red, green)`, "case is a typo too: tokens are lowercase"},
		{"purple", `test: unknown colour "purple" (want one of red, green)`, "nothing near: no suggestion"},
	}
	for _, tt := range tests {
		_, err := Parse[colour]("test", colours, []byte(tt.text), "colour")
		assert.EqualError(t, err, tt.want, tt.reason)
	}
}
