package types

// jsonb || jsonb (jsonb_concat). It lives in the operator table, not in
// sql/builtins, because the binder asks this table whether T || T exists
// when one side of || is an untyped literal.

func init() {
	regBinary("||", JSONBOID, JSONBOID, JSONB, func(a, b Datum, _ *Settings) (Datum, error) {
		s, err := JSONBConcat(a.S, b.S)
		return NewJSONB(s), err
	})
}

// JSONBConcat concatenates two jsonb texts as PostgreSQL 15's
// IteratorConcat: objects merge (the right side wins), arrays concatenate,
// and otherwise each side becomes an array element (a scalar is a
// one-element array).
func JSONBConcat(a, b string) (string, error) {
	x, err := parseJSONValue(a)
	if err != nil {
		return "", err
	}
	y, err := parseJSONValue(b)
	if err != nil {
		return "", err
	}
	var r jsonValue
	switch {
	case x.kind == jObject && y.kind == jObject:
		pairs := make([]jsonPair, 0, len(x.obj)+len(y.obj))
		pairs = append(append(pairs, x.obj...), y.obj...)
		r = jsonValue{kind: jObject, obj: normalizeJSONObject(pairs)}
	default:
		r.kind = jArray
		for _, v := range []*jsonValue{&x, &y} {
			if v.kind == jArray {
				r.arr = append(r.arr, v.arr...)
			} else {
				r.arr = append(r.arr, *v)
			}
		}
	}
	return string(appendJSONValue(nil, &r)), nil
}
