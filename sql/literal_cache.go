package sql

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// The literal cache saves the grammar pass for simple-protocol queries that
// differ from an earlier one only in their literals ("... WHERE aid = 4127"
// then "... WHERE aid = 90311"), which is how most applications and pgbench
// -M simple talk. Parsing is a cgo call plus a protobuf decode, about a
// third of the server's CPU on such workloads.
//
// A query's shape is its text with each numeric and string literal replaced
// by a marker carrying the literal's class (int4-sized integer, other
// number, string) and byte length. Two texts of one shape give the grammar
// the same token stream except for the literals' values, and every token at
// the same offset, so they parse to the same tree except for the values in
// the A_Const nodes the literals became (locations included). A hit
// therefore takes the session's private tree of that shape and overwrites
// those values, which is exactly what parsing the new text would produce.
// Anything the scanner is unsure of (escape strings, dollar quotes, comments
// it cannot end, literals that did not become an A_Const at their offset)
// makes the text uncacheable, and it goes through the ordinary parse.
//
// Trees here are private to one session (the shared parse cache's trees are
// never modified) and only top-level SELECT/INSERT/UPDATE/DELETE of a
// single-statement string use it: their plans live only while the statement
// runs, so overwriting the tree for the next query cannot touch a plan in
// use.

// literalCacheMax bounds the shapes a session keeps.
const literalCacheMax = 256

// literalClass is what kind of token the grammar saw for a literal.
type literalClass byte

const (
	litInt    literalClass = 'i' // ICONST: an integer that fits int4
	litNumber literalClass = 'f' // FCONST: any other number, kept as text
	litString literalClass = 's' // SCONST: a standard-conforming '...' string
)

// literal is one literal token of a query text.
type literal struct {
	class      literalClass
	start, end int // byte offsets in the text
}

// shapeEntry is a session's private parse of one shape.
type shapeEntry struct {
	stmt   parsed
	consts []constSlot // one per literal, in text order
}

// constSlot is where a literal's value lives in the tree.
type constSlot struct {
	c *pg_query.A_Const
	// negated: the grammar folded a unary minus before the literal into
	// the constant (its location is the minus sign's).
	negated bool
}

type literalCache struct {
	shapes map[string]*shapeEntry // nil entry: this shape is not cacheable
	key    []byte
	lits   []literal
}

// shapeOf computes q's shape into lc.key and its literals into lc.lits. It
// reports false if q has anything the scanner does not handle exactly.
func (lc *literalCache) shapeOf(q string) bool {
	key, lits := lc.key[:0], lc.lits[:0]
	defer func() { lc.key, lc.lits = key, lits }()
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == 0x01:
			return false // the marker byte itself: keep shapes unambiguous
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			end := strings.IndexByte(q[i:], '\n')
			if end < 0 {
				end = len(q) - i
			}
			key = append(key, q[i:i+end]...)
			i += end
		case c == '/' && i+1 < len(q) && q[i+1] == '*':
			end := strings.Index(q[i+2:], "*/")
			if end < 0 || strings.Contains(q[i+2:i+2+end], "/*") {
				return false // unterminated or nested: leave it to the grammar
			}
			key = append(key, q[i:i+2+end+2]...)
			i += 2 + end + 2
		case c == '"':
			end := i + 1
			for {
				j := strings.IndexByte(q[end:], '"')
				if j < 0 {
					return false
				}
				end += j + 1
				if end < len(q) && q[end] == '"' {
					end++
					continue
				}
				break
			}
			key = append(key, q[i:end]...)
			i = end
		case c == '\'':
			// A letter, digit or & right before the quote makes it E'', B'',
			// X'', N'' or U&'' (not plain strings); a string right after a
			// string (continuation) is the grammar's business too.
			if i > 0 && (isIdentByte(q[i-1]) || q[i-1] == '&') {
				return false
			}
			end := i + 1
			for {
				j := strings.IndexByte(q[end:], '\'')
				if j < 0 {
					return false
				}
				end += j + 1
				if end < len(q) && q[end] == '\'' {
					end++
					continue
				}
				break
			}
			if strings.IndexByte(q[i:end], '\\') >= 0 {
				return false // standard_conforming_strings could matter
			}
			if next := strings.TrimLeft(q[end:], " \t\r\n\f"); strings.HasPrefix(next, "'") {
				return false
			}
			key = appendMarker(key, litString, end-i)
			lits = append(lits, literal{class: litString, start: i, end: end})
			i = end
		case c == '$':
			if i+1 < len(q) && isDigit(q[i+1]) {
				end := i + 1
				for end < len(q) && isDigit(q[end]) {
					end++
				}
				key = append(key, q[i:end]...)
				i = end
				continue
			}
			return false // a dollar-quoted string
		case isDigit(c) || (c == '.' && i+1 < len(q) && isDigit(q[i+1])):
			end, class, ok := scanNumber(q, i)
			if !ok {
				return false
			}
			key = appendMarker(key, class, end-i)
			lits = append(lits, literal{class: class, start: i, end: end})
			i = end
		case isIdentByte(c):
			end := i + 1
			for end < len(q) && (isIdentByte(q[end]) || q[end] == '$') {
				end++
			}
			key = append(key, q[i:end]...)
			i = end
		default:
			key = append(key, c)
			i++
		}
	}
	return true
}

// scanNumber reads a numeric literal at q[i:] as PostgreSQL's scanner does
// for decimal notation; anything fancier (0x.., 1_000, 1abc) is refused.
func scanNumber(q string, i int) (end int, class literalClass, ok bool) {
	end = i
	for end < len(q) && isDigit(q[end]) {
		end++
	}
	class = litInt
	if end < len(q) && q[end] == '.' {
		if end+1 < len(q) && q[end+1] == '.' {
			return 0, 0, false
		}
		class = litNumber
		end++
		for end < len(q) && isDigit(q[end]) {
			end++
		}
	}
	if end < len(q) && (q[end] == 'e' || q[end] == 'E') {
		class = litNumber
		end++
		if end < len(q) && (q[end] == '+' || q[end] == '-') {
			end++
		}
		if end >= len(q) || !isDigit(q[end]) {
			return 0, 0, false
		}
		for end < len(q) && isDigit(q[end]) {
			end++
		}
	}
	if end < len(q) && (isIdentByte(q[end]) || q[end] == '$' || q[end] == '.') {
		return 0, 0, false
	}
	if class == litInt {
		if _, err := strconv.ParseInt(q[i:end], 10, 32); err != nil {
			class = litNumber
		}
	}
	return end, class, true
}

func appendMarker(key []byte, class literalClass, n int) []byte {
	key = append(key, 0x01, byte(class))
	key = strconv.AppendInt(key, int64(n), 10)
	return append(key, 0x01)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentByte(c byte) bool {
	return c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c)
}

// lookup returns the parse of q from its shape's private tree, with q's
// literal values written in, or false (q must then be parsed normally and
// offered to remember).
func (lc *literalCache) lookup(q string) (*parsed, bool) {
	if lc.shapes == nil || !lc.shapeOf(q) {
		return nil, false
	}
	e := lc.shapes[string(lc.key)]
	if e == nil {
		return nil, false
	}
	for i, l := range lc.lits {
		if !e.consts[i].set(q[l.start:l.end], l.class) {
			return nil, false
		}
	}
	e.stmt.text = strings.TrimSpace(q)
	return &e.stmt, true
}

// set writes a literal's text into its constant.
func (s constSlot) set(tok string, class literalClass) bool {
	switch class {
	case litInt:
		v, err := strconv.ParseInt(tok, 10, 32)
		if err != nil {
			return false
		}
		if s.negated {
			v = -v
		}
		s.c.GetIval().Ival = int32(v)
	case litNumber:
		if s.negated {
			tok = "-" + tok
		}
		s.c.GetFval().Fval = tok
	case litString:
		s.c.GetSval().Sval = strings.ReplaceAll(tok[1:len(tok)-1], "''", "'")
	}
	return true
}

// remember parses q privately and keeps the tree as its shape's template
// if every literal maps to a constant; it returns the parse either way (nil
// if q is not a single cacheable statement or does not parse: the caller
// then takes the ordinary path, which reports errors).
func (lc *literalCache) remember(q string) *parsed {
	if !lc.shapeOf(q) {
		return nil
	}
	if lc.shapes == nil || len(lc.shapes) >= literalCacheMax {
		lc.shapes = make(map[string]*shapeEntry)
	}
	key := string(lc.key)
	if e, seen := lc.shapes[key]; seen && e == nil {
		return nil
	}
	res, err := pg_query.Parse(q)
	if err != nil || len(res.Stmts) != 1 || !literalCacheable(res.Stmts[0].Stmt) {
		lc.shapes[key] = nil
		return nil
	}
	rs := res.Stmts[0]
	e := &shapeEntry{stmt: parsed{stmt: rs.Stmt, text: strings.TrimSpace(q), loc: rs.StmtLocation}}
	if !e.mapConsts(q, lc.lits) {
		lc.shapes[key] = nil
		return nil
	}
	lc.shapes[key] = e
	return &e.stmt
}

func literalCacheable(n *pg_query.Node) bool {
	return n.GetSelectStmt() != nil || n.GetInsertStmt() != nil || n.GetUpdateStmt() != nil || n.GetDeleteStmt() != nil
}

// mapConsts finds, for each literal of q, the constant the grammar made of
// it: at the literal's offset, or at a unary minus just before it.
func (e *shapeEntry) mapConsts(q string, lits []literal) bool {
	byLoc := map[int32]*pg_query.A_Const{}
	ok := true
	walkParseTree(e.stmt.stmt.ProtoReflect(), func(c *pg_query.A_Const) {
		if _, dup := byLoc[c.Location]; dup || c.Location < 0 {
			ok = false
		}
		byLoc[c.Location] = c
	})
	if !ok {
		return false
	}
	e.consts = make([]constSlot, len(lits))
	for i, l := range lits {
		slot := constSlot{c: byLoc[int32(l.start)]}
		if slot.c == nil {
			minus := len(strings.TrimRight(q[:l.start], " \t\r\n\f")) - 1
			if minus < 0 || q[minus] != '-' || l.class == litString {
				return false
			}
			slot = constSlot{c: byLoc[int32(minus)], negated: true}
			if slot.c == nil {
				return false
			}
		}
		if slot.c.Isnull || !slot.matches(l.class) {
			return false
		}
		delete(byLoc, slot.c.Location)
		e.consts[i] = slot
	}
	return true
}

func (s constSlot) matches(class literalClass) bool {
	switch class {
	case litInt:
		return s.c.GetIval() != nil
	case litNumber:
		return s.c.GetFval() != nil
	default:
		return s.c.GetSval() != nil
	}
}
