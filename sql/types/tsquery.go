package types

import (
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// TSQuery is a parsed tsquery: a tree of operands and the operators ! & |
// and <N> (src/backend/utils/adt/tsquery.c). A nil Root is the empty query.
type TSQuery struct {
	Root *TSNode
}

// TSOp is a tsquery node kind.
type TSOp uint8

const (
	TSVal    TSOp = iota // operand
	TSNot                // !x (only R is set)
	TSAnd                // L & R
	TSOr                 // L | R
	TSPhrase             // L <Dist> R
)

// TSNode is one node of a TSQuery; nodes are immutable once built.
type TSNode struct {
	Op   TSOp
	L, R *TSNode
	Dist int // TSPhrase: the distance N of <N>
	// Operands: the lexeme, a prefix match (:*) and the weight mask (bit 3
	// = A .. bit 0 = D; 0 = any), as QueryOperand.
	Word   string
	Prefix bool
	Weight uint8
}

// Operator priorities of tsquery_util.c (tsearch_op_priority).
func (o TSOp) priority() int {
	switch o {
	case TSNot:
		return 4
	case TSPhrase:
		return 3
	case TSAnd:
		return 2
	case TSOr:
		return 1
	}
	return 5
}

// NewTSQuery is a tsquery datum; S holds the text form (see NewTSVector).
func NewTSQuery(q *TSQuery) Datum {
	return Datum{K: KindTSQuery, S: string(AppendTSQuery(nil, q)), X: q}
}

// TSQueryOf returns the parsed value of a tsquery datum.
func TSQueryOf(d Datum) (*TSQuery, error) {
	if q, ok := d.X.(*TSQuery); ok {
		return q, nil
	}
	return parseTSQueryText(d.S)
}

// ParseTSQuery is tsqueryin: operands are taken as they are written.
func ParseTSQuery(s string) (Datum, error) {
	q, err := parseTSQueryText(s)
	if err != nil {
		return Datum{}, err
	}
	return NewTSQuery(q), nil
}

func parseTSQueryText(s string) (*TSQuery, error) {
	if err := checkUTF8(s); err != nil {
		return nil, err
	}
	root, err := ParseTSQueryWith(s, func(w string, weight uint8, prefix bool) (*TSNode, error) {
		return &TSNode{Op: TSVal, Word: w, Weight: weight, Prefix: prefix}, nil
	})
	if err != nil {
		return nil, err
	}
	return &TSQuery{Root: root}, nil
}

// TSOperandFunc turns an operand of a tsquery's text into a subtree (nil
// for an operand that yields no lexeme, such as a stop word).
type TSOperandFunc func(word string, weight uint8, prefix bool) (*TSNode, error)

// ParseTSQueryWith parses tsquery syntax (gettoken_query_standard and
// makepol): operands, ! & | <-> <N> and parentheses, with PostgreSQL's
// priorities (! > <-> > & > |), binary operators left-associative. Each
// operand goes through operand; subtrees it drops are removed from the
// tree afterwards as clean_stopwords does.
func ParseTSQueryWith(s string, operand TSOperandFunc) (*TSNode, error) {
	p := &tsqParser{r: tsWordReader{s: s, opDelim: true}, s: s, operand: operand}
	if p.atEnd() {
		return nil, nil
	}
	n, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if !p.atEnd() {
		return nil, p.errSyntax()
	}
	return CleanTSQuery(n), nil
}

type tsqParser struct {
	r       tsWordReader
	s       string
	operand TSOperandFunc
}

// tsStop marks an operand that produced no lexeme until CleanTSQuery.
var tsStop = &TSNode{Op: TSVal}

func (p *tsqParser) errSyntax() error {
	return pgerror.New(pgerror.SyntaxError, "syntax error in tsquery: \"%s\"", p.s)
}

func (p *tsqParser) skipSpace() {
	for p.r.i < len(p.s) && isTSSpace(p.s[p.r.i]) {
		p.r.i++
	}
}

func (p *tsqParser) atEnd() bool {
	p.skipSpace()
	return p.r.i >= len(p.s)
}

func (p *tsqParser) peek() byte {
	p.skipSpace()
	if p.r.i >= len(p.s) {
		return 0
	}
	return p.s[p.r.i]
}

func (p *tsqParser) parseOr() (*TSNode, error) {
	l, err := p.parseAnd()
	for err == nil && p.peek() == '|' {
		p.r.i++
		var r *TSNode
		if r, err = p.parseAnd(); err == nil {
			l = &TSNode{Op: TSOr, L: l, R: r}
		}
	}
	return l, err
}

func (p *tsqParser) parseAnd() (*TSNode, error) {
	l, err := p.parsePhrase()
	for err == nil && p.peek() == '&' {
		p.r.i++
		var r *TSNode
		if r, err = p.parsePhrase(); err == nil {
			l = &TSNode{Op: TSAnd, L: l, R: r}
		}
	}
	return l, err
}

func (p *tsqParser) parsePhrase() (*TSNode, error) {
	l, err := p.parseUnary()
	for err == nil && p.peek() == '<' {
		var dist int
		if dist, err = p.phraseOp(); err != nil {
			return nil, err
		}
		var r *TSNode
		if r, err = p.parseUnary(); err == nil {
			l = &TSNode{Op: TSPhrase, L: l, R: r, Dist: dist}
		}
	}
	return l, err
}

// phraseOp reads <-> or <N> (parse_phrase_operator).
func (p *tsqParser) phraseOp() (int, error) {
	s, i := p.s, p.r.i+1
	if strings.HasPrefix(s[i:], "->") {
		p.r.i = i + 2
		return 1, nil
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i || j >= len(s) || s[j] != '>' {
		return 0, p.errSyntax()
	}
	n, err := strconv.Atoi(s[i:j])
	if err != nil || n > TSMaxPos+1 {
		return 0, pgerror.New(pgerror.InvalidParameterValue, "distance in phrase operator must be an integer value between zero and %d inclusive", TSMaxPos+1)
	}
	p.r.i = j + 1
	return n, nil
}

func (p *tsqParser) parseUnary() (*TSNode, error) {
	switch p.peek() {
	case '!':
		p.r.i++
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &TSNode{Op: TSNot, R: x}, nil
	case '(':
		p.r.i++
		x, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, p.errSyntax()
		}
		p.r.i++
		return x, nil
	case 0:
		return nil, pgerror.New(pgerror.SyntaxError, "no operand in tsquery: \"%s\"", p.s)
	case ':', ')', '&', '|', '<':
		return nil, p.errSyntax()
	}
	w, _, ok, err := p.r.next(p.errSyntax)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.errSyntax()
	}
	weight, prefix := p.modifiers()
	if len(w) > TSMaxLexeme {
		return nil, pgerror.New(pgerror.ProgramLimitExceeded, "word is too long in tsquery: \"%s\"", p.s)
	}
	n, err := p.operand(w, weight, prefix)
	if n == nil && err == nil {
		n = tsStop
	}
	return n, err
}

// modifiers reads :* and weight letters after an operand (get_modifiers).
func (p *tsqParser) modifiers() (weight uint8, prefix bool) {
	s := p.s
	if p.r.i >= len(s) || s[p.r.i] != ':' {
		return 0, false
	}
	for p.r.i++; p.r.i < len(s); p.r.i++ {
		switch s[p.r.i] {
		case 'a', 'A':
			weight |= 1 << 3
		case 'b', 'B':
			weight |= 1 << 2
		case 'c', 'C':
			weight |= 1 << 1
		case 'd', 'D':
			weight |= 1
		case '*':
			prefix = true
		default:
			return weight, prefix
		}
	}
	return weight, prefix
}

// TSStop returns the placeholder of a dropped operand (a stop word) for
// trees built outside ParseTSQueryWith; CleanTSQuery removes it.
func TSStop() *TSNode { return tsStop }

// CleanTSQuery removes stop-word placeholders, adding the distances they
// covered to the phrase operators around them (clean_stopwords_intree in
// tsquery_cleanup.c). It returns nil if nothing is left.
func CleanTSQuery(n *TSNode) *TSNode {
	r, _, _ := cleanStop(n)
	return r
}

func cleanStop(n *TSNode) (res *TSNode, ladd, radd int) {
	switch {
	case n == tsStop:
		return nil, 0, 0
	case n.Op == TSVal:
		return n, 0, 0
	case n.Op == TSNot:
		r, la, ra := cleanStop(n.R)
		if r == nil {
			return nil, la, ra
		}
		if r == n.R {
			return n, la, ra
		}
		return &TSNode{Op: TSNot, R: r}, la, ra
	}
	l, lladd, lradd := cleanStop(n.L)
	r, rladd, rradd := cleanStop(n.R)
	isPhrase := n.Op == TSPhrase
	dist := 0
	if isPhrase {
		dist = n.Dist
	}
	switch {
	case l == nil && r == nil:
		if isPhrase {
			d := lladd + dist + rladd
			return nil, d, d
		}
		return nil, 0, 0
	case l == nil:
		if isPhrase {
			return r, lladd + dist + rladd, rradd
		}
		return r, rladd, rradd
	case r == nil:
		if isPhrase {
			return l, lladd, lradd + dist + rradd
		}
		return l, lladd, lradd
	case isPhrase:
		return &TSNode{Op: TSPhrase, L: l, R: r, Dist: dist + lradd + rladd}, lladd, rradd
	}
	if l == n.L && r == n.R {
		return n, 0, 0
	}
	return &TSNode{Op: n.Op, L: l, R: r}, 0, 0
}

// AppendTSQuery is tsqueryout (infix() in tsquery.c): parentheses where a
// child binds less tightly than its parent, and around a phrase operator
// that is the right operand of a phrase operator.
func AppendTSQuery(dst []byte, q *TSQuery) []byte {
	if q == nil || q.Root == nil {
		return dst
	}
	return appendTSNode(dst, q.Root, 0, false)
}

func appendTSNode(dst []byte, n *TSNode, parentPrio int, rightPhrase bool) []byte {
	switch n.Op {
	case TSVal:
		dst = appendTSLexeme(dst, n.Word)
		if n.Weight != 0 || n.Prefix {
			dst = append(dst, ':')
			if n.Prefix {
				dst = append(dst, '*')
			}
			for i, c := range "ABCD" {
				if n.Weight&(1<<(3-i)) != 0 {
					dst = append(dst, byte(c))
				}
			}
		}
		return dst
	case TSNot:
		prio := n.Op.priority()
		if prio < parentPrio {
			dst = append(dst, "( "...)
		}
		dst = append(dst, '!')
		dst = appendTSNode(dst, n.R, prio, false)
		if prio < parentPrio {
			dst = append(dst, " )"...)
		}
		return dst
	}
	prio := n.Op.priority()
	paren := prio < parentPrio || (n.Op == TSPhrase && rightPhrase)
	if paren {
		dst = append(dst, "( "...)
	}
	dst = appendTSNode(dst, n.L, prio, false)
	switch n.Op {
	case TSOr:
		dst = append(dst, " | "...)
	case TSAnd:
		dst = append(dst, " & "...)
	case TSPhrase:
		if n.Dist == 1 {
			dst = append(dst, " <-> "...)
		} else {
			dst = append(dst, " <"...)
			dst = strconv.AppendInt(dst, int64(n.Dist), 10)
			dst = append(dst, "> "...)
		}
	}
	dst = appendTSNode(dst, n.R, prio, n.Op == TSPhrase)
	if paren {
		dst = append(dst, " )"...)
	}
	return dst
}
