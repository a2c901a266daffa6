package builtins

import (
	"math"
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// to_json, to_jsonb, json(b)_build_object, json(b)_build_array and the
// json(b)_typeof, _array_length, _strip_nulls and jsonb_pretty functions,
// after PostgreSQL 15's json.c, jsonb.c and jsonfuncs.c.
//
// Arguments of type "any" arrive as bare datums: a value's JSON form is
// chosen from its kind (and, inside arrays, from the element type), as
// datum_to_json chooses it from the type category.

type jsonOutput struct {
	set *types.Settings
	b   bool // jsonb (normalized) rather than json
}

// floatType picks float4 or float8 output for a float of unknown type: a
// value that is exactly a float4 and prints shorter as one came from a
// real column.
func floatType(f float64) types.Type {
	if float64(float32(f)) == f && !math.IsInf(f, 0) && !math.IsNaN(f) {
		s32 := strconv.FormatFloat(f, 'g', -1, 32)
		s64 := strconv.FormatFloat(f, 'g', -1, 64)
		if len(s32) < len(s64) {
			return types.Float4
		}
	}
	return types.Float8
}

// appendNumber writes a number's output text as json/jsonb writes it:
// itself when it is a valid JSON number (normalized through numeric for
// jsonb), otherwise as a string.
func (o *jsonOutput) appendNumber(dst []byte, txt string) []byte {
	if o.b {
		if strings.ContainsAny(txt, "Nn") {
			return types.AppendJSONString(dst, txt)
		}
		if isPlainInt(txt) {
			return append(dst, txt...)
		}
		d, err := types.ParseText(types.Numeric, txt, nil)
		if err != nil {
			return types.AppendJSONString(dst, txt)
		}
		return types.AppendText(dst, d, types.Numeric, nil)
	}
	if isJSONNumber(txt) {
		return append(dst, txt...)
	}
	return types.AppendJSONString(dst, txt)
}

// appendDatum writes d (of type t, or t.OID == 0 when only its kind is
// known) as a JSON value.
func (o *jsonOutput) appendDatum(dst []byte, d types.Datum, t types.Type) ([]byte, error) {
	var buf [64]byte
	switch d.K {
	case types.KindNull:
		return append(dst, "null"...), nil
	case types.KindBool:
		if d.I != 0 {
			return append(dst, "true"...), nil
		}
		return append(dst, "false"...), nil
	case types.KindInt:
		if t.OID != 0 && t.OID != types.Int2OID && t.OID != types.Int4OID && t.OID != types.Int8OID {
			return types.AppendJSONString(dst, string(types.AppendText(buf[:0], d, t, o.set))), nil
		}
		return strconv.AppendInt(dst, d.I, 10), nil
	case types.KindFloat:
		if t.OID == 0 {
			t = floatType(d.F)
		}
		return o.appendNumber(dst, string(types.AppendText(buf[:0], d, t, o.set))), nil
	case types.KindNumeric:
		return o.appendNumber(dst, string(types.AppendText(buf[:0], d, types.Numeric, o.set))), nil
	case types.KindText:
		return types.AppendJSONString(dst, d.S), nil
	case types.KindDate:
		return types.AppendJSONString(dst, string(types.AppendXSDDate(buf[:0], d.I))), nil
	case types.KindTimestamp, types.KindTimestampTZ:
		return types.AppendJSONString(dst, string(types.AppendXSDTimestamp(buf[:0], d.I, d.K == types.KindTimestampTZ, o.set))), nil
	case types.KindJSON:
		if !o.b {
			return append(dst, d.S...), nil
		}
		n, err := types.ParseText(types.JSONB, d.S, nil)
		if err != nil {
			return nil, err
		}
		return append(dst, n.S...), nil
	case types.KindArray:
		return o.appendArray(dst, d.Array())
	}
	if t.OID == 0 {
		t = kindType(d.K)
	}
	return types.AppendJSONString(dst, string(types.AppendText(buf[:0], d, t, o.set))), nil
}

// kindType is the type printing a datum of kind k (for kinds of one type).
func kindType(k types.Kind) types.Type {
	switch k {
	case types.KindBytes:
		return types.Bytea
	case types.KindTime:
		return types.Time
	case types.KindInterval:
		return types.Interval
	case types.KindUUID:
		return types.UUID
	}
	return types.Text
}

// appendArray is array_to_json / array_to_jsonb: nested arrays per dimension.
func (o *jsonOutput) appendArray(dst []byte, a *types.Array) ([]byte, error) {
	if a == nil || len(a.Dims) == 0 || len(a.Elems) == 0 {
		return append(dst, "[]"...), nil
	}
	idx := 0
	return o.appendArrayDim(dst, a, 0, &idx)
}

func (o *jsonOutput) appendArrayDim(dst []byte, a *types.Array, dim int, idx *int) ([]byte, error) {
	sep := ","
	if o.b {
		sep = ", "
	}
	dst = append(dst, '[')
	var err error
	for i := 0; i < int(a.Dims[dim].Len); i++ {
		if i > 0 {
			dst = append(dst, sep...)
		}
		if dim+1 < len(a.Dims) {
			dst, err = o.appendArrayDim(dst, a, dim+1, idx)
		} else {
			dst, err = o.appendDatum(dst, a.Elems[*idx], a.Elem)
			*idx++
		}
		if err != nil {
			return nil, err
		}
	}
	return append(dst, ']'), nil
}

// keyText is the text of an object key (datum_to_json with key_scalar).
func (o *jsonOutput) keyText(d types.Datum) (string, error) {
	var buf [64]byte
	switch d.K {
	case types.KindArray, types.KindJSON:
		return "", pgerror.New(pgerror.InvalidParameterValue, "key value must be scalar, not array, composite, or json")
	case types.KindText:
		return d.S, nil
	case types.KindBool:
		if d.I != 0 {
			return "true", nil
		}
		return "false", nil
	case types.KindInt:
		return strconv.FormatInt(d.I, 10), nil
	case types.KindFloat:
		return string(types.AppendText(buf[:0], d, floatType(d.F), o.set)), nil
	case types.KindNumeric:
		return string(types.AppendText(buf[:0], d, types.Numeric, o.set)), nil
	case types.KindDate:
		return string(types.AppendXSDDate(buf[:0], d.I)), nil
	case types.KindTimestamp, types.KindTimestampTZ:
		return string(types.AppendXSDTimestamp(buf[:0], d.I, d.K == types.KindTimestampTZ, o.set)), nil
	}
	return string(types.AppendText(buf[:0], d, kindType(d.K), o.set)), nil
}

func (o *jsonOutput) result(b []byte) types.Datum {
	if o.b {
		return types.NewJSONB(string(b))
	}
	return types.NewJSON(string(b))
}

// buildObject is json_build_object / jsonb_build_object.
func (o *jsonOutput) buildObject(a []types.Datum) (types.Datum, error) {
	name := "json_build_object"
	if o.b {
		name = "jsonb_build_object"
	}
	if len(a)%2 != 0 {
		return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "argument list must have even number of elements").
			WithHint("The arguments of %s() must consist of alternating keys and values.", name)
	}
	if !o.b {
		out := []byte{'{'}
		for i := 0; i < len(a); i += 2 {
			if a[i].IsNull() {
				return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "argument %d cannot be null", i+1).
					WithHint("Object keys should be text.")
			}
			if i > 0 {
				out = append(out, ", "...)
			}
			k, err := o.keyText(a[i])
			if err != nil {
				return types.Datum{}, err
			}
			out = types.AppendJSONString(out, k)
			out = append(out, " : "...)
			if out, err = o.appendDatum(out, a[i+1], types.Type{}); err != nil {
				return types.Datum{}, err
			}
		}
		return o.result(append(out, '}')), nil
	}
	pairs := make([]jkv, 0, len(a)/2)
	for i := 0; i < len(a); i += 2 {
		if a[i].IsNull() {
			return types.Datum{}, pgerror.New(pgerror.InvalidParameterValue, "argument %d: key must not be null", i+1)
		}
		k, err := o.keyText(a[i])
		if err != nil {
			return types.Datum{}, err
		}
		v, err := o.appendDatum(nil, a[i+1], types.Type{})
		if err != nil {
			return types.Datum{}, err
		}
		pairs = append(pairs, jkv{key: k, val: jv{raw: string(v)}})
	}
	out := []byte{'{'}
	for i, p := range normalizeObj(pairs) {
		if i > 0 {
			out = append(out, ", "...)
		}
		out = types.AppendJSONString(out, p.key)
		out = append(out, ": "...)
		out = append(out, p.val.raw...)
	}
	return o.result(append(out, '}')), nil
}

// buildArray is json_build_array / jsonb_build_array.
func (o *jsonOutput) buildArray(a []types.Datum) (types.Datum, error) {
	out := []byte{'['}
	var err error
	for i, d := range a {
		if i > 0 {
			out = append(out, ", "...)
		}
		if out, err = o.appendDatum(out, d, types.Type{}); err != nil {
			return types.Datum{}, err
		}
	}
	return o.result(append(out, ']')), nil
}

// appendJSONCompact prints a json tree without white space, as
// json_strip_nulls writes it (numbers as written, strings re-escaped).
func appendJSONCompact(dst []byte, v *jv) []byte {
	switch v.k {
	case jkArr:
		dst = append(dst, '[')
		for i := range v.arr {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONCompact(dst, &v.arr[i])
		}
		return append(dst, ']')
	case jkObj:
		dst = append(dst, '{')
		for i := range v.obj {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = types.AppendJSONString(dst, v.obj[i].key)
			dst = append(dst, ':')
			dst = appendJSONCompact(dst, &v.obj[i].val)
		}
		return append(dst, '}')
	case jkStr:
		return types.AppendJSONString(dst, v.s)
	}
	return append(dst, v.raw...)
}

// stripNulls removes object members whose value is null, at every level.
func stripNulls(v *jv) jv {
	switch v.k {
	case jkArr:
		r := jv{k: jkArr, arr: make([]jv, len(v.arr))}
		for i := range v.arr {
			r.arr[i] = stripNulls(&v.arr[i])
		}
		return r
	case jkObj:
		r := jv{k: jkObj}
		for _, p := range v.obj {
			if p.val.k == jkNull {
				continue
			}
			r.obj = append(r.obj, jkv{p.key, stripNulls(&p.val)})
		}
		return r
	}
	return *v
}

var jsonTypeNames = [...]string{jkNull: "null", jkFalse: "boolean", jkTrue: "boolean", jkNum: "number",
	jkStr: "string", jkArr: "array", jkObj: "object"}

func init() {
	for _, isB := range []bool{false, true} {
		isB := isB
		jt, prefix := tJSON, "json"
		if isB {
			jt, prefix = tJSONB, "jsonb"
		}
		fn(prefix+"_build_object", Overload{Args: []types.Type{Any}, Variadic: true, Ret: jt, NullCall: true,
			Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				o := jsonOutput{set: c.Settings, b: isB}
				return o.buildObject(a)
			}})
		fn(prefix+"_build_array", Overload{Args: []types.Type{Any}, Variadic: true, Ret: jt, NullCall: true,
			Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				o := jsonOutput{set: c.Settings, b: isB}
				return o.buildArray(a)
			}})
		toName := "to_json"
		if isB {
			toName = "to_jsonb"
		}
		fn(toName, Overload{Args: []types.Type{Any}, Ret: jt,
			Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				o := jsonOutput{set: c.Settings, b: isB}
				out, err := o.appendDatum(nil, a[0], types.Type{})
				if err != nil {
					return types.Datum{}, err
				}
				return o.result(out), nil
			}})
		fn(prefix+"_typeof", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return types.NewText(jsonTypeNames[jsKindAt(a[0].S, jsSkipWS(a[0].S, 0))]), nil
		}, jt))
		fn(prefix+"_array_length", sig(tInt4, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			s := a[0].S
			i := jsSkipWS(s, 0)
			switch jsKindAt(s, i) {
			case jkArr:
			case jkObj:
				return types.Datum{}, errCannot("cannot get array length of a non-array")
			default:
				return types.Datum{}, errCannot("cannot get array length of a scalar")
			}
			n, err := jsLen(s, i)
			return types.NewInt(int64(n)), err
		}, jt))
		fn(prefix+"_strip_nulls", sig(jt, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			v, err := parseJV(a[0].S)
			if err != nil {
				return types.Datum{}, err
			}
			r := stripNulls(&v)
			if isB {
				return jsonbText(&r, true)
			}
			return types.NewJSON(string(appendJSONCompact(nil, &r))), nil
		}, jt))
	}
	fn("jsonb_pretty", sig(tText, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		v, err := parseJV(a[0].S)
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewText(string(appendJSONBPretty(nil, &v))), nil
	}, tJSONB))
}
