package types

// tsvector || tsvector (tsvector_concat in tsvector_op.c): the right
// vector's positions are shifted past the left one's largest position, so
// that the result reads as the two documents one after the other.
func init() {
	regBinary("||", TSVectorOID, TSVectorOID, TSVectorType, func(a, b Datum, _ *Settings) (Datum, error) {
		l, err := TSVectorOf(a)
		if err != nil {
			return Datum{}, err
		}
		r, err := TSVectorOf(b)
		if err != nil {
			return Datum{}, err
		}
		return NewTSVector(concatTSVector(l, r)), nil
	})
}

func concatTSVector(l, r *TSVector) *TSVector {
	maxPos := 0
	for _, x := range l.Lexemes {
		for _, p := range x.Pos {
			maxPos = max(maxPos, TSPosition(p))
		}
	}
	shift := func(dst, pos []uint16) []uint16 {
		for _, p := range pos {
			np := uint16(min(TSPosition(p)+maxPos, TSMaxPos)) | p&tsWeightMask
			if n := len(dst); n > 0 && dst[n-1]&TSMaxPos == np&TSMaxPos {
				continue
			}
			if len(dst) >= TSMaxNumPos {
				break
			}
			dst = append(dst, np)
		}
		return dst
	}
	out := &TSVector{Lexemes: make([]TSLexeme, 0, len(l.Lexemes)+len(r.Lexemes))}
	i, j := 0, 0
	for i < len(l.Lexemes) || j < len(r.Lexemes) {
		switch {
		case j >= len(r.Lexemes) || (i < len(l.Lexemes) && l.Lexemes[i].Word < r.Lexemes[j].Word):
			out.Lexemes = append(out.Lexemes, l.Lexemes[i])
			i++
		case i >= len(l.Lexemes) || r.Lexemes[j].Word < l.Lexemes[i].Word:
			x := r.Lexemes[j]
			out.Lexemes = append(out.Lexemes, TSLexeme{Word: x.Word, Pos: shift(nil, x.Pos)})
			j++
		default:
			x := l.Lexemes[i]
			pos := append([]uint16(nil), x.Pos...)
			out.Lexemes = append(out.Lexemes, TSLexeme{Word: x.Word, Pos: shift(pos, r.Lexemes[j].Pos)})
			i++
			j++
		}
	}
	return out
}

// tsquery && tsquery and tsquery || tsquery (tsquery_and, tsquery_or in
// tsquery_op.c): an empty side yields the other side.
func init() {
	for _, op := range []struct {
		name string
		kind TSOp
	}{{"&&", TSAnd}, {"||", TSOr}} {
		kind := op.kind
		regBinary(op.name, TSQueryOID, TSQueryOID, TSQueryType, func(a, b Datum, _ *Settings) (Datum, error) {
			return JoinTSQueries(a, b, kind, 0)
		})
	}
}

// JoinTSQueries combines two tsqueries under a binary operator (dist is
// the distance of a phrase operator).
func JoinTSQueries(a, b Datum, op TSOp, dist int) (Datum, error) {
	l, err := TSQueryOf(a)
	if err != nil {
		return Datum{}, err
	}
	r, err := TSQueryOf(b)
	if err != nil {
		return Datum{}, err
	}
	switch {
	case l.Root == nil:
		return NewTSQuery(r), nil
	case r.Root == nil:
		return NewTSQuery(l), nil
	}
	return NewTSQuery(&TSQuery{Root: &TSNode{Op: op, L: l.Root, R: r.Root, Dist: dist}}), nil
}
