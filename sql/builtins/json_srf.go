package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The set-returning json functions: json(b)_each, json(b)_each_text,
// json(b)_array_elements, json(b)_array_elements_text and
// json(b)_object_keys, after PostgreSQL 15's jsonfuncs.c. json keeps the
// members as written (duplicates included); jsonb in its key order.

type jsonSRFKind uint8

const (
	srfEach jsonSRFKind = iota
	srfEachText
	srfElements
	srfElementsText
	srfKeys
)

func jsonSRFGen(name string, kind jsonSRFKind, isB bool) func(*bound.EvalCtx, []types.Datum, func([]types.Datum) error) error {
	return func(_ *bound.EvalCtx, a []types.Datum, emit func([]types.Datum) error) error {
		s := a[0].S
		i := jsSkipWS(s, 0)
		k := jsKindAt(s, i)
		var row [2]types.Datum
		var emitErr error
		switch kind {
		case srfEach, srfEachText, srfKeys:
			if k != jkObj {
				return jsonSRFShapeError(name, kind, k, isB)
			}
			_, err := jsEachPair(s, i, func(key string, vs, ve int) bool {
				if kind == srfKeys {
					row[0] = types.NewText(key)
					emitErr = emit(row[:1])
					return emitErr == nil
				}
				row[0] = types.NewText(key)
				row[1] = jsonOut(s[vs:ve], isB, kind == srfEachText)
				emitErr = emit(row[:2])
				return emitErr == nil
			})
			if err != nil {
				return err
			}
			return emitErr
		}
		if k != jkArr {
			return jsonSRFShapeError(name, kind, k, isB)
		}
		_, err := jsEachElem(s, i, func(vs, ve int) bool {
			row[0] = jsonOut(s[vs:ve], isB, kind == srfElementsText)
			emitErr = emit(row[:1])
			return emitErr == nil
		})
		if err != nil {
			return err
		}
		return emitErr
	}
}

// jsonSRFShapeError is the error for an input of the wrong shape.
func jsonSRFShapeError(name string, kind jsonSRFKind, k jkind, isB bool) error {
	scalar := k != jkObj && k != jkArr
	switch kind {
	case srfEach, srfEachText:
		switch {
		case isB:
			return errCannot("cannot call " + name + " on a non-object")
		case scalar:
			return errCannot("cannot deconstruct a scalar")
		}
		return errCannot("cannot deconstruct an array as an object")
	case srfKeys:
		if scalar {
			return errCannot("cannot call " + name + " on a scalar")
		}
		return errCannot("cannot call " + name + " on an array")
	}
	if isB {
		if scalar {
			return errCannot("cannot extract elements from a scalar")
		}
		return errCannot("cannot extract elements from an object")
	}
	if scalar {
		return errCannot("cannot call " + name + " on a scalar")
	}
	return errCannot("cannot call " + name + " on a non-array")
}

func init() {
	for _, isB := range []bool{false, true} {
		jt, prefix := tJSON, "json"
		if isB {
			jt, prefix = tJSONB, "jsonb"
		}
		args := []types.Type{jt}
		srf(prefix+"_each", SRF{Args: args, Cols: []SRFColumn{{"key", tText}, {"value", jt}},
			Gen: jsonSRFGen(prefix+"_each", srfEach, isB)})
		srf(prefix+"_each_text", SRF{Args: args, Cols: []SRFColumn{{"key", tText}, {"value", tText}},
			Gen: jsonSRFGen(prefix+"_each_text", srfEachText, isB)})
		srf(prefix+"_array_elements", SRF{Args: args, Cols: []SRFColumn{{"value", jt}},
			Gen: jsonSRFGen(prefix+"_array_elements", srfElements, isB)})
		srf(prefix+"_array_elements_text", SRF{Args: args, Cols: []SRFColumn{{"value", tText}},
			Gen: jsonSRFGen(prefix+"_array_elements_text", srfElementsText, isB)})
		srf(prefix+"_object_keys", SRF{Args: args, Cols: []SRFColumn{{"", tText}},
			Gen: jsonSRFGen(prefix+"_object_keys", srfKeys, isB)})
	}
}
