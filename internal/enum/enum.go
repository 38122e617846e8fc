// Package enum holds the text form the engine's enumerations share (as
// slog.Level does): String and MarshalText give a stable lowercase token,
// UnmarshalText accepts exactly those tokens, and an out-of-range value is
// shown as Type(n) rather than hidden.
package enum

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/safe-aeo/engine/internal/suggest"
)

// Name returns the token of v, or typ(v) when v has none.
func Name[T ~uint8](names []string, v T, typ string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// Marshal returns the token of v, or an error prefixed with pkg when v has
// none.
func Marshal[T ~uint8](pkg string, names []string, v T, typ string) ([]byte, error) {
	if int(v) < len(names) {
		return []byte(names[v]), nil
	}
	return nil, fmt.Errorf("%s: invalid %s %d", pkg, typ, v)
}

// Parse returns the value whose token is text, or an error prefixed with
// pkg that lists the tokens.
func Parse[T ~uint8](pkg string, names []string, text []byte, typ string) (T, error) {
	for i, n := range names {
		if n == string(text) {
			return T(i), nil
		}
	}
	hint := ""
	if s := closest(string(text), names); s != "" {
		hint = fmt.Sprintf("; did you mean %q?", s)
	}
	return 0, fmt.Errorf("%s: unknown %s %q%s (want one of %s)", pkg, typ, text, hint, strings.Join(names, ", "))
}

// closest returns the token nearest to s when it is near enough to be a
// typo of it ("notmet" for "not_met"), or "".
func closest(s string, names []string) string {
	best, bestD := "", 3
	if len(s) <= 4 {
		bestD = 2
	}
	for _, n := range names {
		if d := suggest.Distance(strings.ToLower(s), n); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// Unmarshal sets *v to the value whose token is text, as UnmarshalText
// does; *v is unchanged on error.
func Unmarshal[T ~uint8](pkg string, names []string, v *T, text []byte, typ string) error {
	x, err := Parse[T](pkg, names, text, typ)
	if err == nil {
		*v = x
	}
	return err
}
