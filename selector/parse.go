package selector

import (
	"fmt"
	"slices"
	"strings"
)

// The parser below accepts exactly the language of k8s.io/apimachinery/pkg/labels.Parse, quirks
// included, because selectors written for kubectl must mean the same here:
//   - whitespace is ' ', '\t', '\r' and '\n';
//   - an identifier is any run of bytes that are neither whitespace nor one of = ! ( ) , < >;
//   - operator symbols are read greedily, so "==" and "!=" are one token and "=!" is "=" then "!";
//   - "in" and "notin" are keywords only where an operator is expected;
//   - a NUL byte reads as the end of the input where a token starts, and ends the token it interrupts;
//   - "a=" and "a in ()" mean the empty value; "(a,,b)" holds a, "" and b;
//   - "a>5" and "a<5" are accepted (Gt and Lt), with an integer bound.

type tokKind uint8

const (
	tokEnd tokKind = iota
	tokIdent
	tokIn
	tokNotIn
	tokOpen
	tokClose
	tokComma
	tokNot
	tokEq
	tokEqEq
	tokNotEq
	tokGt
	tokLt
)

type token struct {
	kind tokKind
	lit  string
	pos  int // byte offset of the token in the input
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isSymbol(c byte) bool {
	switch c {
	case '=', '!', '(', ')', ',', '>', '<':
		return true
	}
	return false
}

func symbolToken(s string) (tokKind, bool) {
	switch s {
	case "=":
		return tokEq, true
	case "==":
		return tokEqEq, true
	case "!=":
		return tokNotEq, true
	case "!":
		return tokNot, true
	case "(":
		return tokOpen, true
	case ")":
		return tokClose, true
	case ",":
		return tokComma, true
	case ">":
		return tokGt, true
	case "<":
		return tokLt, true
	}
	return 0, false
}

// lex splits s into tokens, ending with a tokEnd.
func lex(s string) []token {
	var toks []token
	pos := 0
	for {
		for pos < len(s) && isSpace(s[pos]) {
			pos++
		}
		if pos >= len(s) || s[pos] == 0 {
			toks = append(toks, token{kind: tokEnd, pos: pos})
			return toks
		}
		start := pos
		c := s[pos]
		if isSymbol(c) {
			// Longest run of symbol bytes that is still a token; at least one byte, since every
			// symbol byte is a token on its own.
			var kind tokKind
			end := pos
			for pos < len(s) && isSymbol(s[pos]) {
				if k, ok := symbolToken(s[start : pos+1]); ok {
					kind, end = k, pos+1
					pos++
					continue
				}
				break
			}
			pos = end
			lit := s[start:end]
			// A NUL right after a symbol is swallowed with it, as upstream's reader does.
			if pos < len(s) && s[pos] == 0 {
				pos++
			}
			toks = append(toks, token{kind: kind, lit: lit, pos: start})
			continue
		}
		for pos < len(s) && s[pos] != 0 && !isSpace(s[pos]) && !isSymbol(s[pos]) {
			pos++
		}
		lit := s[start:pos]
		if pos < len(s) && s[pos] == 0 {
			pos++
		}
		kind := tokIdent
		switch lit {
		case "in":
			kind = tokIn
		case "notin":
			kind = tokNotIn
		}
		toks = append(toks, token{kind: kind, lit: lit, pos: start})
	}
}

type parser struct {
	src  string
	toks []token
	i    int
}

// peek returns the current token; asValue makes the keywords "in" and "notin" plain identifiers,
// as they are everywhere except in operator position.
func (p *parser) peek(asValue bool) token {
	t := p.toks[p.i]
	if asValue && (t.kind == tokIn || t.kind == tokNotIn) {
		t.kind = tokIdent
	}
	return t
}

func (p *parser) next(asValue bool) token {
	t := p.peek(asValue)
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func describe(t token) string {
	if t.kind == tokEnd {
		return "end of string"
	}
	return fmt.Sprintf("%q", t.lit)
}

// ParseError is a syntax or validation error in a selector string: the byte offset where it was
// found and what was wrong.
type ParseError struct {
	Input  string
	Pos    int
	Detail string
}

// Error prints the offset and the detail, with the input for context.
func (e *ParseError) Error() string {
	return fmt.Sprintf("invalid label selector %q at offset %d: %s", e.Input, e.Pos, e.Detail)
}

func (p *parser) errAt(t token, format string, args ...any) error {
	return &ParseError{Input: p.src, Pos: t.pos, Detail: fmt.Sprintf(format, args...)}
}

// Parse reads a selector in the kubectl syntax: comma-separated requirements, all of which must
// hold. A requirement is "key" (exists), "!key" (does not exist), "key=value", "key==value",
// "key!=value", "key in (v1,v2)", "key notin (v1,v2)", "key>n" or "key<n". Keys must be valid label
// keys and values valid label values. The empty string (or only whitespace) is Everything().
// Parse accepts and rejects exactly what k8s.io/apimachinery/pkg/labels.Parse does; its error
// names the offset and the token at fault, and the Selector returned with it is Nothing().
func Parse(s string) (Selector, error) {
	p := &parser{src: s, toks: lex(s)}
	var reqs []labelReq
	for {
		t := p.peek(true)
		switch t.kind {
		case tokEnd:
			return newSelector(reqs), nil
		case tokIdent, tokNot:
		default:
			return Selector{}, p.errAt(t, "found %s, expected: !, identifier, or end of string", describe(t))
		}
		r, err := p.requirement()
		if err != nil {
			return Selector{}, err
		}
		reqs = append(reqs, r)
		t = p.next(true)
		switch t.kind {
		case tokEnd:
			return newSelector(reqs), nil
		case tokComma:
			if n := p.peek(true); n.kind != tokIdent && n.kind != tokNot {
				return Selector{}, p.errAt(n, "found %s, expected: identifier after ','", describe(n))
			}
		default:
			return Selector{}, p.errAt(t, "found %s, expected: ',' or end of string", describe(t))
		}
	}
}

func (p *parser) requirement() (labelReq, error) {
	t := p.next(true)
	negated := false
	if t.kind == tokNot {
		negated = true
		t = p.next(true)
	}
	if t.kind != tokIdent {
		return labelReq{}, p.errAt(t, "found %s, expected: identifier", describe(t))
	}
	key := t.lit
	if msgs := labelKeyProblems(key); msgs != nil {
		return labelReq{}, p.errAt(t, "invalid label key %q: %s", key, strings.Join(msgs, "; "))
	}
	if negated {
		// "!key" takes no operator; anything after it is caught by the caller.
		return labelReq{key: key, op: OpDoesNotExist}, nil
	}
	if n := p.peek(true); n.kind == tokEnd || n.kind == tokComma {
		return labelReq{key: key, op: OpExists}, nil
	}
	opTok := p.next(false)
	r := labelReq{key: key}
	switch opTok.kind {
	case tokIn:
		r.op = OpIn
	case tokNotIn:
		r.op = OpNotIn
	case tokEq:
		r.op, r.spell = OpIn, spellEquals
	case tokEqEq:
		r.op, r.spell = OpIn, spellDoubleEquals
	case tokNotEq:
		r.op, r.spell = OpNotIn, spellNotEquals
	case tokGt:
		r.op = OpGt
	case tokLt:
		r.op = OpLt
	default:
		return labelReq{}, p.errAt(opTok, "found %s, expected: one of in, notin, =, ==, !=, >, <", describe(opTok))
	}
	var err error
	if r.spell == spellNatural && (r.op == OpIn || r.op == OpNotIn) {
		r.values, err = p.valueSet()
	} else {
		r.values, err = p.exactValue()
	}
	if err != nil {
		return labelReq{}, err
	}
	if r.op == OpGt || r.op == OpLt {
		n, ok := parseInt64(r.values[0])
		if !ok {
			return labelReq{}, p.errAt(opTok, "for '>' and '<' the value must be an integer, not %q", r.values[0])
		}
		r.num, r.numOK = n, true
	}
	for _, v := range r.values {
		if msgs := labelValueProblems(v); msgs != nil {
			return labelReq{}, p.errAt(opTok, "invalid value %q for key %q: %s", v, key, strings.Join(msgs, "; "))
		}
	}
	return r, nil
}

// valueSet reads "(v1,v2,...)". Like upstream it returns a sorted set: repeats collapse, and empty
// entries ("()", "(a,)", "(,a)", "(a,,b)") stand for the empty value.
func (p *parser) valueSet() ([]string, error) {
	open := p.next(true)
	if open.kind != tokOpen {
		return nil, p.errAt(open, "found %s, expected: '('", describe(open))
	}
	var vals []string
	first := p.peek(true)
	switch first.kind {
	case tokClose:
		p.next(true)
		return []string{""}, nil
	case tokIdent, tokComma:
	default:
		return nil, p.errAt(first, "found %s, expected: ',', ')' or identifier", describe(first))
	}
loop:
	for {
		t := p.next(true)
		switch t.kind {
		case tokIdent:
			vals = append(vals, t.lit)
			switch n := p.peek(true); n.kind {
			case tokComma:
			case tokClose:
				break loop
			default:
				return nil, p.errAt(n, "found %s, expected: ',' or ')'", describe(n))
			}
		case tokComma:
			if len(vals) == 0 {
				vals = append(vals, "")
			}
			n := p.peek(true)
			if n.kind == tokClose {
				vals = append(vals, "")
				break loop
			}
			if n.kind == tokComma {
				vals = append(vals, "")
			}
		default:
			return nil, p.errAt(t, "found %s, expected: ',' or identifier", describe(t))
		}
	}
	if c := p.next(true); c.kind != tokClose {
		return nil, p.errAt(c, "found %s, expected: ')'", describe(c))
	}
	slices.Sort(vals)
	return slices.Compact(vals), nil
}

// exactValue reads the single value after =, ==, !=, > or <; nothing there means the empty value.
func (p *parser) exactValue() ([]string, error) {
	n := p.peek(true)
	if n.kind == tokEnd || n.kind == tokComma {
		return []string{""}, nil
	}
	t := p.next(true)
	if t.kind != tokIdent {
		return nil, p.errAt(t, "found %s, expected: identifier", describe(t))
	}
	return []string{t.lit}, nil
}
