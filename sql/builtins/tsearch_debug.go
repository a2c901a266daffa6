package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/tsearch"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The text search debugging functions: ts_debug, ts_parse, ts_token_type
// and ts_lexize, over the one parser (default, OID 3722) and the two
// dictionaries (simple, english_stem) this server has.

const defaultParserOID = 3722

var (
	tRegdictionary      = types.Type{OID: types.RegdictionaryOID, Typmod: -1}
	tRegdictionaryArray = types.Type{OID: types.RegdictionaryArrayOID, Typmod: -1}
	tOID                = types.OID
)

// textArray is a one-dimensional text[] (empty: no dimensions).
func textArray(elems []string) types.Datum {
	a := &types.Array{Elem: types.Text}
	for _, e := range elems {
		a.Elems = append(a.Elems, types.NewText(e))
	}
	if len(a.Elems) > 0 {
		a.Dims = []types.ArrayDim{{Len: int32(len(a.Elems)), Lower: 1}}
	}
	return types.Datum{K: types.KindArray, X: a}
}

func checkParser(d types.Datum, byName bool) error {
	if byName && d.S == "default" || !byName && d.I == defaultParserOID {
		return nil
	}
	if byName {
		return pgerror.New(pgerror.UndefinedObject, "text search parser \"%s\" does not exist", d.S)
	}
	return pgerror.New(pgerror.UndefinedObject, "text search parser %d does not exist", d.I)
}

// debugRows is ts_debug(cfg, text).
func debugRows(cfg uint32, text string, emit func([]types.Datum) error) error {
	if err := tsearch.CheckConfig(cfg); err != nil {
		return err
	}
	for _, tok := range tsearch.ParseAll(text) {
		tt := tsearch.TokenTypes[tok.Type]
		row := []types.Datum{types.NewText(tt.Alias), types.NewText(tt.Description), types.NewText(tok.Text),
			{}, {}, {}}
		dicts := &types.Array{Elem: tRegdictionary}
		if d := tsearch.Dictionary(cfg, tok.Type); d != 0 {
			dicts.Elems = []types.Datum{types.NewInt(int64(d))}
			dicts.Dims = []types.ArrayDim{{Len: 1, Lower: 1}}
			lx, _ := tsearch.Lexize(d, tok.Text)
			row[4], row[5] = types.NewInt(int64(d)), textArray(lx)
		}
		row[3] = types.Datum{K: types.KindArray, X: dicts}
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

func init() {
	debugCols := []SRFColumn{{"alias", tText}, {"description", tText}, {"token", tText},
		{"dictionaries", tRegdictionaryArray}, {"dictionary", tRegdictionary}, {"lexemes", tTextArray}}
	srf("ts_debug",
		SRF{Args: []types.Type{tRegconfig, tText}, Cols: debugCols,
			Gen: func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
				return debugRows(uint32(a[0].I), a[1].S, emit)
			}},
		SRF{Args: []types.Type{tText}, Cols: debugCols,
			Gen: func(c *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
				return debugRows(defaultTSConfig(c), a[0].S, emit)
			}})

	parseCols := []SRFColumn{{"tokid", tInt4}, {"token", tText}}
	parse := func(byName bool) func(*bound.EvalCtx, []types.Datum, func([]types.Datum) error) error {
		return func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
			if err := checkParser(a[0], byName); err != nil {
				return err
			}
			for _, tok := range tsearch.ParseAll(a[1].S) {
				if err := emit([]types.Datum{types.NewInt(int64(tok.Type)), types.NewText(tok.Text)}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	srf("ts_parse",
		SRF{Args: []types.Type{tText, tText}, Cols: parseCols, Gen: parse(true)},
		SRF{Args: []types.Type{tOID, tText}, Cols: parseCols, Gen: parse(false)})

	typeCols := []SRFColumn{{"tokid", tInt4}, {"alias", tText}, {"description", tText}}
	tokenTypes := func(byName bool) func(*bound.EvalCtx, []types.Datum, func([]types.Datum) error) error {
		return func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
			if err := checkParser(a[0], byName); err != nil {
				return err
			}
			for id := 1; id < len(tsearch.TokenTypes); id++ {
				tt := tsearch.TokenTypes[id]
				if err := emit([]types.Datum{types.NewInt(int64(id)), types.NewText(tt.Alias), types.NewText(tt.Description)}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	srf("ts_token_type",
		SRF{Args: []types.Type{tText}, Cols: typeCols, Gen: tokenTypes(true)},
		SRF{Args: []types.Type{tOID}, Cols: typeCols, Gen: tokenTypes(false)})

	fn("ts_lexize", sig(tTextArray, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		lx, ok := tsearch.Lexize(uint32(a[0].I), a[1].S)
		if !ok {
			return types.Datum{}, pgerror.New(pgerror.UndefinedObject, "text search dictionary %d does not exist", a[0].I)
		}
		return textArray(lx), nil
	}, tRegdictionary, tText))
}
