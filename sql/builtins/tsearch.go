package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/tsearch"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Full-text search functions and the @@ operator; the work is in
// sql/tsearch. The forms without a regconfig read default_text_search_config,
// so they are marked volatile here: that keeps them from being folded at
// bind time with one session's setting (PostgreSQL calls them stable).

var (
	tTSVector  = types.TSVectorType
	tTSQuery   = types.TSQueryType
	tRegconfig = types.Regconfig
	tFloat4    = types.Float4
)

// defaultTSConfig is default_text_search_config.
func defaultTSConfig(c *bound.EvalCtx) uint32 {
	if c != nil && c.Settings != nil && c.Settings.TSConfig != 0 {
		return c.Settings.TSConfig
	}
	return types.TSConfigEnglish
}

func tsVector(d types.Datum) (*types.TSVector, error) { return types.TSVectorOf(d) }
func tsQuery(d types.Datum) (*types.TSQuery, error)   { return types.TSQueryOf(d) }

// tsQueryFn registers the four tsquery constructors in both forms.
func tsQueryFn(name string, build func(cfg uint32, text string) (*types.TSQuery, error)) {
	fn(name,
		sig(tTSQuery, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			q, err := build(uint32(a[0].I), a[1].S)
			if err != nil {
				return types.Datum{}, err
			}
			return types.NewTSQuery(q), nil
		}, tRegconfig, tText),
		Overload{Args: []types.Type{tText}, Ret: tTSQuery, RetFromArg: -1, Volatile: true,
			Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				q, err := build(defaultTSConfig(c), a[0].S)
				if err != nil {
					return types.Datum{}, err
				}
				return types.NewTSQuery(q), nil
			}})
}

func toTSVector(cfg uint32, text string) (types.Datum, error) {
	v, err := tsearch.ToTSVector(cfg, text)
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewTSVector(v), nil
}

// matchVQ is tsvector @@ tsquery (ts_match_vq).
func matchVQ(vd, qd types.Datum) (types.Datum, error) {
	v, err := tsVector(vd)
	if err != nil {
		return types.Datum{}, err
	}
	q, err := tsQuery(qd)
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewBool(tsearch.Match(v, q)), nil
}

// rankFn is ts_rank with optional weights (float4[4], D C B A) and
// normalization.
func rankFn(weights *types.Datum, vd, qd types.Datum, norm int64) (types.Datum, error) {
	return rankWith(tsearch.Rank, weights, vd, qd, norm)
}

func rankCDFn(weights *types.Datum, vd, qd types.Datum, norm int64) (types.Datum, error) {
	return rankWith(tsearch.RankCD, weights, vd, qd, norm)
}

func rankWith(rank func([4]float32, *types.TSVector, *types.TSQuery, int) float32, weights *types.Datum, vd, qd types.Datum, norm int64) (types.Datum, error) {
	w := tsearch.DefaultWeights
	if weights != nil {
		a := weights.Array()
		if a == nil || len(a.Dims) != 1 {
			return types.Datum{}, pgerror.New(pgerror.ArraySubscriptError, "array of weight must be one-dimensional")
		}
		if len(a.Elems) < 4 {
			return types.Datum{}, pgerror.New(pgerror.ArraySubscriptError, "array of weight is too short")
		}
		for i := 0; i < 4; i++ {
			e := a.Elems[i]
			if e.K == types.KindNull {
				return types.Datum{}, pgerror.New(pgerror.NullValueNotAllowed, "array of weight must not contain nulls")
			}
			if e.F > 1.0 {
				return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "weight out of range")
			}
			if e.F >= 0 {
				w[i] = float32(e.F)
			}
		}
	}
	v, err := tsVector(vd)
	if err != nil {
		return types.Datum{}, err
	}
	q, err := tsQuery(qd)
	if err != nil {
		return types.Datum{}, err
	}
	return types.NewFloat(float64(rank(w, v, q, int(norm)))), nil
}

func init() {
	fn("to_tsvector",
		sig(tTSVector, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return toTSVector(uint32(a[0].I), a[1].S)
		}, tRegconfig, tText),
		Overload{Args: []types.Type{tText}, Ret: tTSVector, RetFromArg: -1, Volatile: true,
			Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return toTSVector(defaultTSConfig(c), a[0].S)
			}})
	tsQueryFn("to_tsquery", tsearch.ToTSQuery)
	tsQueryFn("plainto_tsquery", tsearch.PlainToTSQuery)
	tsQueryFn("phraseto_tsquery", tsearch.PhraseToTSQuery)
	tsQueryFn("websearch_to_tsquery", tsearch.WebsearchToTSQuery)

	tFloat4Array := types.Type{OID: types.Float4ArrayOID, Typmod: -1}
	for _, r := range []struct {
		name string
		fn   func(*types.Datum, types.Datum, types.Datum, int64) (types.Datum, error)
	}{{"ts_rank", rankFn}, {"ts_rank_cd", rankCDFn}} {
		rank := r.fn
		fn(r.name,
			sig(tFloat4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return rank(nil, a[0], a[1], 0)
			}, tTSVector, tTSQuery),
			sig(tFloat4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return rank(nil, a[0], a[1], a[2].I)
			}, tTSVector, tTSQuery, tInt4),
			sig(tFloat4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return rank(&a[0], a[1], a[2], 0)
			}, tFloat4Array, tTSVector, tTSQuery),
			sig(tFloat4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return rank(&a[0], a[1], a[2], a[3].I)
			}, tFloat4Array, tTSVector, tTSQuery, tInt4))
	}

	fn("get_current_ts_config", Overload{Ret: tRegconfig, RetFromArg: -1, Volatile: true,
		Fn: func(c *bound.EvalCtx, _ []types.Datum) (types.Datum, error) {
			return types.NewInt(int64(defaultTSConfig(c))), nil
		}})
	fn("length", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		v, err := tsVector(a[0])
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewInt(int64(len(v.Lexemes))), nil
	}, tTSVector))
	fn("strip", sig(tTSVector, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		v, err := tsVector(a[0])
		if err != nil {
			return types.Datum{}, err
		}
		out := &types.TSVector{Lexemes: make([]types.TSLexeme, len(v.Lexemes))}
		for i, l := range v.Lexemes {
			out.Lexemes[i] = types.TSLexeme{Word: l.Word}
		}
		return types.NewTSVector(out), nil
	}, tTSVector))
	fn("setweight", sig(tTSVector, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return setWeight(a[0], a[1].S)
	}, tTSVector, types.Char))
	fn("numnode", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		q, err := tsQuery(a[0])
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewInt(int64(countNodes(q.Root))), nil
	}, tTSQuery))

	// tsquery <-> tsquery, tsquery_phrase(a, b[, distance]) and !! tsquery.
	phrase := func(a, b types.Datum, dist int64) (types.Datum, error) {
		if dist < 0 || dist > types.TSMaxPos+1 {
			return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "distance in phrase operator must be an integer value between zero and %d inclusive", types.TSMaxPos+1)
		}
		return types.JoinTSQueries(a, b, types.TSPhrase, int(dist))
	}
	binop("<->", sig(tTSQuery, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return phrase(a[0], a[1], 1)
	}, tTSQuery, tTSQuery))
	fn("tsquery_phrase",
		sig(tTSQuery, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return phrase(a[0], a[1], 1)
		}, tTSQuery, tTSQuery),
		sig(tTSQuery, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return phrase(a[0], a[1], a[2].I)
		}, tTSQuery, tTSQuery, tInt4))
	unop("!!", sig(tTSQuery, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		q, err := tsQuery(a[0])
		if err != nil || q.Root == nil {
			return a[0], err
		}
		return types.NewTSQuery(&types.TSQuery{Root: &types.TSNode{Op: types.TSNot, R: q.Root}}), nil
	}, tTSQuery))

	binop("@@",
		sig(tBool, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return matchVQ(a[0], a[1])
		}, tTSVector, tTSQuery),
		sig(tBool, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return matchVQ(a[1], a[0])
		}, tTSQuery, tTSVector),
		// text @@ tsquery is to_tsvector(text) @@ tsquery; text @@ text
		// is to_tsvector(text) @@ plainto_tsquery(text).
		Overload{Args: []types.Type{tText, tTSQuery}, Ret: tBool, Volatile: true,
			Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				v, err := toTSVector(defaultTSConfig(c), a[0].S)
				if err != nil {
					return types.Datum{}, err
				}
				return matchVQ(v, a[1])
			}},
		Overload{Args: []types.Type{tText, tText}, Ret: tBool, Volatile: true,
			Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				v, err := toTSVector(defaultTSConfig(c), a[0].S)
				if err != nil {
					return types.Datum{}, err
				}
				q, err := tsearch.PlainToTSQuery(defaultTSConfig(c), a[1].S)
				if err != nil {
					return types.Datum{}, err
				}
				return matchVQ(v, types.NewTSQuery(q))
			}})
}

func countNodes(n *types.TSNode) int {
	if n == nil {
		return 0
	}
	return 1 + countNodes(n.L) + countNodes(n.R)
}

// setWeight is setweight(tsvector, "char"): every position gets the weight.
func setWeight(vd types.Datum, w string) (types.Datum, error) {
	v, err := tsVector(vd)
	if err != nil {
		return types.Datum{}, err
	}
	var bits uint16
	switch w {
	case "A", "a":
		bits = 3
	case "B", "b":
		bits = 2
	case "C", "c":
		bits = 1
	case "D", "d":
		bits = 0
	default:
		c := byte(0)
		if w != "" {
			c = w[0]
		}
		return types.Datum{}, pgerror.New(pgerror.InternalError, "unrecognized weight: %d", c)
	}
	out := &types.TSVector{Lexemes: make([]types.TSLexeme, len(v.Lexemes))}
	for i, l := range v.Lexemes {
		pos := make([]uint16, len(l.Pos))
		for j, p := range l.Pos {
			pos[j] = p&types.TSMaxPos | bits<<14
		}
		out.Lexemes[i] = types.TSLexeme{Word: l.Word, Pos: pos}
	}
	return types.NewTSVector(out), nil
}
