package replay

import (
	"encoding/binary"
	"math/bits"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"
)

// A scan reads one line of JSON. It is a purpose-built scanner rather than
// encoding/json, because a replay decodes a year of declarations and
// encoding/json's reflection and allocations would take most of the time:
// strings are returned as views of the line (or of the decoder's scratch
// when they hold escapes), valid until the next line is decoded, and the
// first error sticks, with its column.
type scan struct {
	b       []byte
	i       int
	err     *lineError
	scratch *[]byte
}

// A lineError is a problem in one line, at a 1-based byte column.
type lineError struct {
	col int
	msg string
}

func (s *scan) fail(msg string) {
	if s.err == nil {
		s.err = &lineError{col: s.i + 1, msg: msg}
	}
}

func (s *scan) failAt(i int, msg string) {
	if s.err == nil {
		s.err = &lineError{col: i + 1, msg: msg}
	}
}

func (s *scan) ws() {
	// Encoders write no spaces between tokens: check once before looping.
	if s.i < len(s.b) && s.b[s.i] > ' ' {
		return
	}
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// eat consumes c, after spaces, if it comes next.
func (s *scan) eat(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

func (s *scan) peek() byte {
	s.ws()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// null consumes a JSON null if one comes next.
func (s *scan) null() bool {
	if s.peek() == 'n' && len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// enter starts reading an object: it reports whether members follow (false
// for an empty object or an error).
func (s *scan) enter(what string) bool {
	if !s.eat('{') {
		s.fail(what + ": want an object {...}, not " + s.token())
		return false
	}
	return !s.eat('}')
}

// key reads the next member's key and the colon after it, and where the
// key starts.
func (s *scan) key(what string) (string, int, bool) {
	s.ws()
	at := s.i
	if at >= len(s.b) || s.b[at] != '"' {
		s.fail(what + `: want a key in quotes, not ` + s.token())
		return "", at, false
	}
	k := s.str()
	if !s.eat(':') {
		s.fail(what + `: want ":" after the key`)
		return "", at, false
	}
	return k, at, s.err == nil
}

// expectKey consumes quoted, a key in quotes and its colon, if it comes
// next exactly so (no spaces).
func (s *scan) expectKey(quoted string) bool {
	s.ws()
	if len(s.b)-s.i >= len(quoted) && string(s.b[s.i:s.i+len(quoted)]) == quoted {
		s.i += len(quoted)
		return true
	}
	return false
}

// more reads what follows a member: true after a comma, false at the end
// of the object or on an error.
func (s *scan) more(what string) bool {
	if s.err != nil {
		return false
	}
	if s.eat(',') {
		return true
	}
	if s.eat('}') {
		return false
	}
	if s.i >= len(s.b) {
		s.fail(what + ": the line ends inside the object (truncated?)")
	} else {
		s.fail(what + `: want "," or "}", not ` + s.token())
	}
	return false
}

// object reads the members of an object, calling member with each key
// (a view, valid during the call), which must read the value.
func (s *scan) object(what string, member func(key string, at int)) {
	if !s.eat('{') {
		s.fail(what + ": want an object {...}, not " + s.token())
		return
	}
	if s.eat('}') {
		return
	}
	for s.err == nil {
		s.ws()
		at := s.i
		if s.peek() != '"' {
			s.fail(what + `: want a key in quotes, not ` + s.token())
			return
		}
		key := s.str()
		if !s.eat(':') {
			s.fail(what + `: want ":" after the key`)
			return
		}
		member(key, at)
		if s.err != nil {
			return
		}
		if s.eat(',') {
			continue
		}
		if s.eat('}') {
			return
		}
		if s.i >= len(s.b) {
			s.fail(what + ": the line ends inside the object (truncated?)")
		} else {
			s.fail(what + `: want "," or "}", not ` + s.token())
		}
	}
}

// str reads a string; the caller has checked that one comes next.
func (s *scan) str() string {
	start := s.i + 1
	i := start
	// Eight bytes at a time while none is a quote, a backslash or a
	// control character: the lowest flagged byte is exact, which is all
	// that is needed to stop there.
	for i+8 <= len(s.b) {
		x := binary.LittleEndian.Uint64(s.b[i:])
		if m := special(x); m != 0 {
			i += bits.TrailingZeros64(m) / 8
			break
		}
		i += 8
	}
	for i < len(s.b) {
		c := s.b[i]
		if c == '"' {
			s.i = i + 1
			return view(s.b[start:i])
		}
		if c == '\\' || c < 0x20 {
			break
		}
		i++
	}
	return s.slowStr(start, i)
}

const (
	lows  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special flags (in the high bit of each byte) the bytes of x that are a
// quote, a backslash or below 0x20; a byte above a flagged one may be
// flagged wrongly, the lowest never is.
func special(x uint64) uint64 {
	q := x ^ (lows * '"')
	b := x ^ (lows * '\\')
	return ((q-lows)&^q | (b-lows)&^b | (x-lows*0x20)&^x) & highs
}

// slowStr decodes a string holding escapes into the scratch buffer.
func (s *scan) slowStr(start, i int) string {
	buf := *s.scratch
	from := len(buf)
	buf = append(buf, s.b[start:i]...)
	for i < len(s.b) {
		c := s.b[i]
		switch {
		case c == '"':
			s.i = i + 1
			*s.scratch = buf
			return view(buf[from:])
		case c < 0x20:
			s.failAt(i, "a control character inside a string (escape it)")
			return ""
		case c != '\\':
			buf = append(buf, c)
			i++
			continue
		}
		if i+1 >= len(s.b) {
			break
		}
		e := s.b[i+1]
		i += 2
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, n := s.hex4(i)
			if n == 0 {
				s.failAt(i-2, `a \u escape needs four hexadecimal digits`)
				return ""
			}
			i += n
			if r >= 0xd800 && r < 0xdc00 && i+1 < len(s.b) && s.b[i] == '\\' && s.b[i+1] == 'u' {
				if r2, n2 := s.hex4(i + 2); n2 > 0 && r2 >= 0xdc00 && r2 < 0xe000 {
					r = (r-0xd800)<<10 | (r2 - 0xdc00) + 0x10000
					i += 2 + n2
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			s.failAt(i-2, "an unknown escape \\"+string(e)+" in a string")
			return ""
		}
	}
	*s.scratch = buf
	s.failAt(start-1, "the line ends inside a string (truncated?)")
	s.i = len(s.b)
	return ""
}

func (s *scan) hex4(i int) (rune, int) {
	if i+4 > len(s.b) {
		return 0, 0
	}
	var r rune
	for _, c := range s.b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, 0
		}
	}
	return r, 4
}

// view returns b as a string without copying. The string is valid as
// long as b is not written to: until the line's buffer is reused.
func view(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// number reads a JSON number, or reports false if none comes next.
func (s *scan) number() (float64, bool) {
	s.ws()
	b, i := s.b, s.i
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	intStart := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		mant = mant*10 + uint64(b[i]-'0')
		digits++
		i++
	}
	if i == intStart || (b[intStart] == '0' && i-intStart > 1) {
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		fracStart := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			mant = mant*10 + uint64(b[i]-'0')
			digits++
			i++
		}
		if i == fracStart {
			return 0, false
		}
		frac = i - fracStart
	}
	exp := false
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		exp = true
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		expStart := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == expStart {
			return 0, false
		}
	}
	s.i = i
	// Below 10^15 the digits are exact in a float64 and so is a power of
	// ten up to 10^22: one correctly rounded division gives the value
	// strconv would.
	if !exp && digits <= 15 {
		f := float64(mant) / pow10[frac]
		if b[start] == '-' {
			f = -f
		}
		return f, true
	}
	f, err := strconv.ParseFloat(view(b[start:i]), 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// token describes what comes next, for an error message.
func (s *scan) token() string {
	s.ws()
	if s.i >= len(s.b) {
		return "the end of the line"
	}
	rest := s.b[s.i:]
	n := 0
	switch rest[0] {
	case '"':
		n = 1
		for n < len(rest) && rest[n] != '"' {
			if rest[n] == '\\' {
				n++
			}
			n++
		}
		n++
	case '{':
		return "an object"
	case '[':
		return "a list"
	default:
		for n < len(rest) && rest[n] != ',' && rest[n] != '}' && rest[n] != ']' && rest[n] != ' ' {
			n++
		}
	}
	n = min(n, len(rest))
	if n > 40 {
		return string(rest[:37]) + "..."
	}
	if n == 0 {
		n = 1
	}
	return string(rest[:n])
}

// skip reads any JSON value, reporting false on a syntax error.
func (s *scan) skip(depth int) bool {
	if depth > 64 {
		s.fail("values nest too deeply")
		return false
	}
	switch s.peek() {
	case '"':
		s.str()
	case '{':
		s.object("value", func(string, int) { s.skip(depth + 1) })
	case '[':
		s.list("value", func() { s.skip(depth + 1) })
	case 't', 'f', 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
				s.i += len(lit)
				return true
			}
		}
		s.fail("want a value, not " + s.token())
	default:
		if _, ok := s.number(); !ok {
			s.fail("want a value, not " + s.token())
		}
	}
	return s.err == nil
}

// list reads the elements of a list, calling elem to read each.
func (s *scan) list(what string, elem func()) {
	if !s.eat('[') {
		s.fail(what + ": want a list [...], not " + s.token())
		return
	}
	if s.eat(']') {
		return
	}
	for s.err == nil {
		elem()
		if s.err != nil {
			return
		}
		if s.eat(',') {
			continue
		}
		if s.eat(']') {
			return
		}
		if s.i >= len(s.b) {
			s.fail(what + ": the line ends inside the list (truncated?)")
		} else {
			s.fail(what + `: want "," or "]", not ` + s.token())
		}
	}
}

// literal reads true, false or null as a Go value.
func (s *scan) literal() (any, bool) {
	for _, lit := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(s.b)-s.i >= len(lit.text) && string(s.b[s.i:s.i+len(lit.text)]) == lit.text {
			s.i += len(lit.text)
			return lit.v, true
		}
	}
	return nil, false
}

// A dateCache remembers the last date parsed: the declarations of a year
// repeat a few hundred dates, often in runs.
type dateCache struct {
	key [32]byte
	n   int
	t   time.Time
}

// parseDate reads a date as YYYY-MM-DD or RFC 3339.
func (c *dateCache) parseDate(s string) (time.Time, bool) {
	if c.n > 0 && len(s) == c.n && string(c.key[:c.n]) == s {
		return c.t, true
	}
	var t time.Time
	var ok bool
	if len(s) == 10 {
		t, ok = dayOf(s)
	} else if len(s) == 20 && s[10:] == "T00:00:00Z" {
		t, ok = dayOf(s[:10]) // as encoding/json writes a date
	} else {
		var err error
		t, err = time.Parse(time.RFC3339, s)
		ok = err == nil
	}
	if ok && len(s) <= len(c.key) {
		c.n = copy(c.key[:], s)
		c.t = t
	}
	return t, ok
}

// dayOf reads YYYY-MM-DD, checking the day exists.
func dayOf(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	num := func(p string) (int, bool) {
		n := 0
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return 0, false
			}
			n = n*10 + int(p[i]-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 31 April
	}
	return t, true
}
