package tsearch

import (
	"strings"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// morph is pushval_morph (src/backend/utils/adt/to_tsany.c): an operand's
// text goes through the configuration like a document, and its lexemes
// are joined by op (<-> for to_tsquery, & for plainto_tsquery). Stop words
// between lexemes leave placeholders, so that cleaning the tree later
// widens the phrase distances over them. No lexeme at all gives the
// placeholder alone.
func morph(cfg uint32, text string, weight uint8, prefix bool, op types.TSOp) *types.TSNode {
	words := parseText(cfg, text)
	if len(words) == 0 {
		return types.TSStop()
	}
	join := func(l, r *types.TSNode) *types.TSNode {
		if l == nil {
			return r
		}
		n := &types.TSNode{Op: op, L: l, R: r}
		if op == types.TSPhrase {
			n.Dist = 1
		}
		return n
	}
	var res *types.TSNode
	last := 0
	for _, w := range words {
		for last > 0 && last+1 < w.pos {
			res = join(res, types.TSStop())
			last++
		}
		res = join(res, &types.TSNode{Op: types.TSVal, Word: w.word, Weight: weight, Prefix: prefix})
		last = w.pos
	}
	return res
}

// ToTSQuery is to_tsquery(cfg, text).
func ToTSQuery(cfg uint32, text string) (*types.TSQuery, error) {
	if err := CheckConfig(cfg); err != nil {
		return nil, err
	}
	root, err := types.ParseTSQueryWith(text, func(w string, weight uint8, prefix bool) (*types.TSNode, error) {
		return morph(cfg, w, weight, prefix, types.TSPhrase), nil
	})
	if err != nil {
		return nil, err
	}
	return &types.TSQuery{Root: root}, nil
}

// PlainToTSQuery is plainto_tsquery: the lexemes of the text joined by &.
func PlainToTSQuery(cfg uint32, text string) (*types.TSQuery, error) {
	return wholeText(cfg, text, types.TSAnd)
}

// PhraseToTSQuery is phraseto_tsquery: the lexemes joined by <->, with
// stop words widening the distances.
func PhraseToTSQuery(cfg uint32, text string) (*types.TSQuery, error) {
	return wholeText(cfg, text, types.TSPhrase)
}

func wholeText(cfg uint32, text string, op types.TSOp) (*types.TSQuery, error) {
	if err := CheckConfig(cfg); err != nil {
		return nil, err
	}
	return &types.TSQuery{Root: types.CleanTSQuery(morph(cfg, text, 0, false, op))}, nil
}

// WebsearchToTSQuery is websearch_to_tsquery: words are joined by &,
// "quoted text" becomes a phrase, "or" is |, a leading - is !, and other
// punctuation is ignored (gettoken_query_websearch in tsquery.c).
func WebsearchToTSQuery(cfg uint32, text string) (*types.TSQuery, error) {
	if err := CheckConfig(cfg); err != nil {
		return nil, err
	}
	var out []*types.TSNode // operands, and operators in the order they apply
	var ops []types.TSOp
	apply := func(op types.TSOp) {
		if op == types.TSNot {
			x := out[len(out)-1]
			out[len(out)-1] = &types.TSNode{Op: types.TSNot, R: x}
			return
		}
		l, r := out[len(out)-2], out[len(out)-1]
		out = append(out[:len(out)-2], &types.TSNode{Op: op, L: l, R: r})
	}
	// pushOp is makepol's operator stack: ! is right-associative, the
	// binary operators left-associative.
	pushOp := func(op types.TSOp) {
		for len(ops) > 0 {
			top := ops[len(ops)-1]
			if (op != types.TSNot && tsPrio(op) > tsPrio(top)) || (op == types.TSNot && tsPrio(op) >= tsPrio(top)) {
				break
			}
			ops = ops[:len(ops)-1]
			apply(top)
		}
		ops = append(ops, op)
	}
	pushVal := func(s string) { out = append(out, morph(cfg, s, 0, false, types.TSPhrase)) }

	s, i := text, 0
	waitOperand, first := true, true
	for {
		if waitOperand {
			for i < len(s) && isTSSpaceByte(s[i]) {
				i++
			}
			if i >= len(s) {
				if !first {
					pushVal("")
				}
				break
			}
			switch c := s[i]; {
			case c == '-':
				i++
				first = false
				pushOp(types.TSNot)
				continue
			case c == '"':
				j := strings.IndexByte(s[i+1:], '"')
				var phrase string
				if j < 0 {
					phrase, i = s[i+1:], len(s)
				} else {
					phrase, i = s[i+1:i+1+j], i+2+j
				}
				pushVal(phrase)
				waitOperand, first = false, false
				continue
			case isWebOperator(c):
				i++
				continue
			}
			j := i
			for j < len(s) && !isTSSpaceByte(s[j]) && !isWebOperator(s[j]) && s[j] != '"' {
				j++
			}
			pushVal(s[i:j])
			i = j
			waitOperand, first = false, false
			continue
		}
		for i < len(s) && isTSSpaceByte(s[i]) {
			i++
		}
		if i >= len(s) {
			break
		}
		if n := orOperator(s[i:]); n > 0 {
			i += n
			pushOp(types.TSOr)
		} else {
			pushOp(types.TSAnd)
		}
		waitOperand = true
	}
	for len(ops) > 0 {
		apply(ops[len(ops)-1])
		ops = ops[:len(ops)-1]
	}
	if len(out) == 0 {
		return &types.TSQuery{}, nil
	}
	return &types.TSQuery{Root: types.CleanTSQuery(out[0])}, nil
}

func tsPrio(op types.TSOp) int {
	switch op {
	case types.TSNot:
		return 4
	case types.TSPhrase:
		return 3
	case types.TSAnd:
		return 2
	}
	return 1
}

func isTSSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isWebOperator: tsquery operator characters, which websearch ignores.
func isWebOperator(c byte) bool {
	return c == '!' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == ':'
}

// orOperator is parse_or_operator: "or" (any case) not part of a word and
// followed by something other than blanks; returns its length or 0.
func orOperator(s string) int {
	if len(s) < 2 || !strings.EqualFold(s[:2], "or") {
		return 0
	}
	rest := s[2:]
	if rest == "" {
		return 0
	}
	c := rest[0]
	if c == '-' || c == '_' || isASCIILetter(c) || isDigit(c) || c >= 0x80 {
		return 0
	}
	for k := 1; k < len(rest); k++ {
		if !isTSSpaceByte(rest[k]) {
			return 2
		}
	}
	return 0
}
