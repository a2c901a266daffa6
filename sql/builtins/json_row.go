package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/types"
)

// RowToJSON is a row value as JSON: to_json(t), row_to_json(t) and the
// elements of json_agg(t) write {"col":value,...} in column order without
// spaces (json.c composite_to_json); the jsonb form orders keys as jsonb
// does. Each value is written as its column type's JSON form.
func RowToJSON(set *types.Settings, names []string, typs []types.Type, vals []types.Datum, jsonb bool) (types.Datum, error) {
	o := jsonOutput{set: set, b: jsonb}
	if !jsonb {
		out := []byte{'{'}
		for i, v := range vals {
			if i > 0 {
				out = append(out, ',')
			}
			out = types.AppendJSONString(out, names[i])
			out = append(out, ':')
			var err error
			if out, err = o.appendDatum(out, v, typs[i]); err != nil {
				return types.Datum{}, err
			}
		}
		return o.result(append(out, '}')), nil
	}
	pairs := make([]jkv, len(vals))
	for i, v := range vals {
		raw, err := o.appendDatum(nil, v, typs[i])
		if err != nil {
			return types.Datum{}, err
		}
		pairs[i] = jkv{key: names[i], val: jv{raw: string(raw)}}
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

// JSONArrayText writes vals as a json array with sep between elements
// (json_agg's ", \n " for composite and array elements).
func JSONArrayText(set *types.Settings, vals []types.Datum, sep string) (types.Datum, error) {
	o := jsonOutput{set: set}
	out := []byte{'['}
	var err error
	for i, v := range vals {
		if i > 0 {
			out = append(out, sep...)
		}
		if out, err = o.appendDatum(out, v, types.Type{}); err != nil {
			return types.Datum{}, err
		}
	}
	return o.result(append(out, ']')), nil
}
