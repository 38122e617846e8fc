package main

import (
	"bytes"
	"fmt"
	"go/scanner"
	"go/token"
)

// mutations is the token each mutant type puts in place of another, as
// go-gremlins v0.6 defines them for its default mutant types.
var mutations = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE": {
		token.ADD: token.SUB,
		token.MUL: token.QUO,
		token.QUO: token.MUL,
		token.REM: token.MUL,
		token.SUB: token.ADD,
	},
	"CONDITIONALS_BOUNDARY": {
		token.GEQ: token.GTR,
		token.GTR: token.GEQ,
		token.LEQ: token.LSS,
		token.LSS: token.LEQ,
	},
	"CONDITIONALS_NEGATION": {
		token.EQL: token.NEQ,
		token.GEQ: token.LSS,
		token.GTR: token.LEQ,
		token.LEQ: token.GTR,
		token.LSS: token.GEQ,
		token.NEQ: token.EQL,
	},
	"INCREMENT_DECREMENT": {
		token.DEC: token.INC,
		token.INC: token.DEC,
	},
	"INVERT_NEGATIVES": {
		token.SUB: token.ADD,
	},
}

// mutate returns src with the operator at line:col (1-based, columns in
// bytes, as go/token counts them) replaced as the mutant type says. It
// refuses a position that holds no operator the type mutates, so a report
// that no longer matches the source is caught instead of testing
// something else.
func mutate(src []byte, line, col int, kind string) ([]byte, error) {
	table, ok := mutations[kind]
	if !ok {
		return nil, fmt.Errorf("mutant type %q is not one this tool applies", kind)
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return nil, fmt.Errorf("%d:%d: no token starts there", line, col)
		}
		p := fset.Position(pos)
		if p.Line < line || (p.Line == line && p.Column < col) {
			continue
		}
		if p.Line != line || p.Column != col {
			return nil, fmt.Errorf("%d:%d: no token starts there", line, col)
		}
		to, ok := table[tok]
		if !ok {
			return nil, fmt.Errorf("%d:%d: %s is not mutated by %s", line, col, describe(tok, lit), kind)
		}
		off := file.Offset(pos)
		var out bytes.Buffer
		out.Grow(len(src) + 1)
		out.Write(src[:off])
		out.WriteString(to.String())
		out.Write(src[off+len(tok.String()):])
		return out.Bytes(), nil
	}
}

func describe(tok token.Token, lit string) string {
	if lit != "" {
		return fmt.Sprintf("%s %q", tok, lit)
	}
	return fmt.Sprintf("%q", tok.String())
}
