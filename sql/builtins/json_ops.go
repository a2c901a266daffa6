package builtins

import (
	"math"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The json/jsonb operators ->, ->>, #>, #>>, @>, <@, ?, ?|, ?&, - and #-,
// and the extract-path functions, after PostgreSQL 15's jsonfuncs.c.
// (jsonb || jsonb is in the sql/types operator table.)

var (
	tJSON      = types.JSON
	tJSONB     = types.JSONB
	tTextArray = types.TextArray
)

func jsonResult(v string, isB bool) types.Datum {
	if isB {
		return types.NewJSONB(v)
	}
	return types.NewJSON(v)
}

// jsonGetField is -> / ->> with a key.
func jsonGetField(s, key string, isB, asText bool) (types.Datum, error) {
	i := jsSkipWS(s, 0)
	if jsKindAt(s, i) != jkObj {
		return types.Datum{}, nil
	}
	vs, ve, ok, err := jsField(s, i, key)
	if err != nil || !ok {
		return types.Datum{}, err
	}
	return jsonOut(s[vs:ve], isB, asText), nil
}

// jsonGetElem is -> / ->> with an array index (negative counts from the
// end). A jsonb scalar behaves as a one-element array here.
func jsonGetElem(s string, idx int64, isB, asText bool) (types.Datum, error) {
	i := jsSkipWS(s, 0)
	switch jsKindAt(s, i) {
	case jkArr:
	case jkObj:
		return types.Datum{}, nil
	default:
		if isB && (idx == 0 || idx == -1) {
			return jsonOut(s[i:], isB, asText), nil
		}
		return types.Datum{}, nil
	}
	if idx > math.MaxInt32 || idx < math.MinInt32 {
		return types.Datum{}, nil
	}
	vs, ve, ok, err := jsElem(s, i, int(idx))
	if err != nil || !ok {
		return types.Datum{}, err
	}
	return jsonOut(s[vs:ve], isB, asText), nil
}

func jsonOut(v string, isB, asText bool) types.Datum {
	if !asText {
		return jsonResult(v, isB)
	}
	t, ok := jsText(v)
	if !ok {
		return types.Datum{}
	}
	return types.NewText(t)
}

// textArrayElems returns the elements of a text[] datum (NULL elements as
// NULL datums).
func textArrayElems(d types.Datum) []types.Datum {
	if a := d.Array(); a != nil {
		return a.Elems
	}
	return nil
}

// jsonGetPath is #> / #>> and json(b)_extract_path(_text).
func jsonGetPath(s string, path []types.Datum, isB, asText bool) (types.Datum, error) {
	for _, p := range path {
		if p.IsNull() {
			return types.Datum{}, nil
		}
	}
	i := jsSkipWS(s, 0)
	v := s[i:]
	if len(path) > 0 && isB {
		if k := jsKindAt(v, 0); k != jkObj && k != jkArr {
			return types.Datum{}, nil
		}
	}
	for _, p := range path {
		switch jsKindAt(v, 0) {
		case jkObj:
			vs, ve, ok, err := jsField(v, 0, p.S)
			if err != nil || !ok {
				return types.Datum{}, err
			}
			v = v[vs:ve]
		case jkArr:
			idx, ok := parsePathIndex(p.S)
			if !ok {
				return types.Datum{}, nil
			}
			vs, ve, found, err := jsElem(v, 0, idx)
			if err != nil || !found {
				return types.Datum{}, err
			}
			v = v[vs:ve]
		default:
			return types.Datum{}, nil
		}
	}
	return jsonOut(trimJSONSpace(v), isB, asText), nil
}

// jsonbEqualScalar is equalsJsonbScalarValue.
func jsonbEqualScalar(a, b *jv) bool {
	switch {
	case a.k == jkTrue || a.k == jkFalse:
		return a.k == b.k
	case a.k != b.k:
		return false
	case a.k == jkStr:
		return a.s == b.s
	case a.k == jkNum:
		if a.s == b.s {
			return true
		}
		x, err1 := types.ParseText(types.Numeric, a.s, nil)
		y, err2 := types.ParseText(types.Numeric, b.s, nil)
		return err1 == nil && err2 == nil && types.Compare(x, y) == 0
	}
	return true
}

func isBool(k jkind) bool      { return k == jkTrue || k == jkFalse }
func isContainer(k jkind) bool { return k == jkArr || k == jkObj }

// sameScalarType is the jbvType comparison (true and false are one type).
func sameScalarType(a, b jkind) bool { return a == b || isBool(a) && isBool(b) }

// jsonbContains is jsonb_contains (a @> b).
func jsonbContains(a, b *jv) bool {
	if (a.k == jkObj) != (b.k == jkObj) {
		return false
	}
	if a.k != jkObj && !isContainer(a.k) {
		a = &jv{k: jkArr, arr: []jv{*a}}
		if !isContainer(b.k) {
			b = &jv{k: jkArr, arr: []jv{*b}}
		} else {
			return false // a raw scalar does not contain an array
		}
	} else if !isContainer(b.k) {
		b = &jv{k: jkArr, arr: []jv{*b}}
	}
	return deepContains(a, b)
}

func objLookup(o *jv, key string) *jv {
	for i := range o.obj {
		if o.obj[i].key == key {
			return &o.obj[i].val
		}
	}
	return nil
}

// deepContains is JsonbDeepContains for two containers.
func deepContains(a, b *jv) bool {
	if a.k != b.k {
		return false
	}
	if a.k == jkObj {
		for i := range b.obj {
			c := &b.obj[i].val
			l := objLookup(a, b.obj[i].key)
			if l == nil {
				return false
			}
			if isContainer(l.k) != isContainer(c.k) {
				return false
			}
			if !isContainer(l.k) {
				if !sameScalarType(l.k, c.k) || !jsonbEqualScalar(l, c) {
					return false
				}
			} else if !deepContains(l, c) {
				return false
			}
		}
		return true
	}
	for i := range b.arr {
		c := &b.arr[i]
		found := false
		for j := range a.arr {
			l := &a.arr[j]
			if isContainer(c.k) {
				if isContainer(l.k) && deepContains(l, c) {
					found = true
					break
				}
			} else if !isContainer(l.k) && sameScalarType(l.k, c.k) && jsonbEqualScalar(l, c) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// jsonbExists is jsonb ? key: an object key, or a string element of an
// array (or the scalar itself).
func jsonbExists(s, key string) (bool, error) {
	i := jsSkipWS(s, 0)
	switch jsKindAt(s, i) {
	case jkObj:
		found := false
		_, err := jsEachPair(s, i, func(k string, _, _ int) bool {
			found = k == key
			return !found
		})
		return found, err
	case jkArr:
		found := false
		_, err := jsEachElem(s, i, func(vs, ve int) bool {
			if jsKindAt(s, vs) == jkStr {
				t, _ := jsText(s[vs:ve])
				found = t == key
			}
			return !found
		})
		return found, err
	case jkStr:
		t, _ := jsText(s[i:])
		return t == key, nil
	}
	return false, nil
}

func jsonbExistsAny(s string, keys []types.Datum, all bool) (bool, error) {
	for _, k := range keys {
		if k.IsNull() {
			continue
		}
		ok, err := jsonbExists(s, k.S)
		if err != nil {
			return false, err
		}
		if ok != all {
			return ok, nil
		}
	}
	return all, nil
}

func jsonbParse(d types.Datum) (jv, error) { return parseJV(d.S) }

func errCannot(msg string) error { return pgerror.New(pgerror.InvalidParameterValue, "%s", msg) }

// jsonbDeleteKeys is jsonb - text and jsonb - text[].
func jsonbDeleteKeys(d types.Datum, keys []types.Datum) (types.Datum, error) {
	v, err := jsonbParse(d)
	if err != nil {
		return types.Datum{}, err
	}
	if !isContainer(v.k) {
		return types.Datum{}, errCannot("cannot delete from scalar")
	}
	match := func(s string) bool {
		for _, k := range keys {
			if !k.IsNull() && k.S == s {
				return true
			}
		}
		return false
	}
	r := jv{k: v.k}
	changed := false
	if v.k == jkObj {
		for _, p := range v.obj {
			if match(p.key) {
				changed = true
				continue
			}
			r.obj = append(r.obj, p)
		}
	} else {
		for _, e := range v.arr {
			if e.k == jkStr && match(e.s) {
				changed = true
				continue
			}
			r.arr = append(r.arr, e)
		}
	}
	if !changed {
		return d, nil
	}
	return jsonbText(&r, true)
}

// jsonbDeleteIdx is jsonb - integer.
func jsonbDeleteIdx(d types.Datum, idx int64) (types.Datum, error) {
	v, err := jsonbParse(d)
	if err != nil {
		return types.Datum{}, err
	}
	switch v.k {
	case jkObj:
		return types.Datum{}, errCannot("cannot delete from object using integer index")
	case jkArr:
	default:
		return types.Datum{}, errCannot("cannot delete from scalar")
	}
	n := int64(len(v.arr))
	if idx < 0 {
		if -idx > n {
			return d, nil
		}
		idx += n
	}
	if idx >= n {
		return d, nil
	}
	r := jv{k: jkArr, arr: make([]jv, 0, n-1)}
	r.arr = append(append(r.arr, v.arr[:idx]...), v.arr[idx+1:]...)
	return jsonbText(&r, true)
}

// Path operations of setPath (jsonb_set, jsonb_insert, #-).
const (
	pathCreate = 1 << iota
	pathInsertBefore
	pathInsertAfter
	pathReplace
	pathDelete
	pathCreateOrInsert = pathCreate | pathInsertBefore | pathInsertAfter
)

func pathArray(d types.Datum) ([]types.Datum, error) {
	a := d.Array()
	if a == nil {
		return nil, nil
	}
	if len(a.Dims) > 1 {
		return nil, pgerror.New(pgerror.ArraySubscriptError, "wrong number of array subscripts")
	}
	return a.Elems, nil
}

// setPath is PostgreSQL's setPath on a tree.
func setPath(v *jv, path []types.Datum, level int, newval *jv, op int) (jv, error) {
	if path[level].IsNull() {
		return jv{}, pgerror.New(pgerror.NullValueNotAllowed, "path element at position %d is null", level+1)
	}
	switch v.k {
	case jkObj:
		return setPathObject(v, path, level, newval, op)
	case jkArr:
		return setPathArray(v, path, level, newval, op)
	}
	return *v, nil
}

func setPathObject(v *jv, path []types.Datum, level int, newval *jv, op int) (jv, error) {
	key := path[level].S
	last := level == len(path)-1
	r := jv{k: jkObj, obj: make([]jkv, 0, len(v.obj)+1)}
	if len(v.obj) == 0 && op&pathCreateOrInsert != 0 && last {
		r.obj = append(r.obj, jkv{key, *newval})
	}
	done := false
	for i, p := range v.obj {
		if !done && p.key == key {
			done = true
			if last {
				if op&(pathInsertBefore|pathInsertAfter) != 0 {
					return jv{}, pgerror.New(pgerror.InvalidParameterValue, "cannot replace existing key").
						WithHint("Try using the function jsonb_set to replace key value.")
				}
				if op&pathDelete == 0 {
					r.obj = append(r.obj, jkv{p.key, *newval})
				}
				continue
			}
			nv, err := setPath(&p.val, path, level+1, newval, op)
			if err != nil {
				return jv{}, err
			}
			r.obj = append(r.obj, jkv{p.key, nv})
			continue
		}
		if op&pathCreateOrInsert != 0 && !done && last && i == len(v.obj)-1 {
			r.obj = append(r.obj, jkv{key, *newval})
		}
		r.obj = append(r.obj, p)
	}
	return r, nil
}

func setPathArray(v *jv, path []types.Datum, level int, newval *jv, op int) (jv, error) {
	n := len(v.arr)
	idx := n
	if level < len(path) && !path[level].IsNull() {
		var ok bool
		if idx, ok = parsePathIndex(path[level].S); !ok {
			return jv{}, pgerror.New(pgerror.InvalidTextRepresentation, "path element at position %d is not an integer: \"%s\"",
				level+1, path[level].S)
		}
	}
	prepend := false
	if idx < 0 {
		if -idx > n {
			prepend = true
		} else {
			idx += n
		}
	}
	if !prepend && idx > n {
		idx = n
	}
	last := level == len(path)-1
	r := jv{k: jkArr, arr: make([]jv, 0, n+1)}
	done := false
	if (prepend || n == 0) && last && op&pathCreateOrInsert != 0 {
		r.arr = append(r.arr, *newval)
		done = true
	}
	for i := range v.arr {
		if !prepend && i == idx && level < len(path) {
			done = true
			if last {
				if op&(pathInsertBefore|pathCreate) != 0 {
					r.arr = append(r.arr, *newval)
				}
				if op&(pathInsertAfter|pathInsertBefore) != 0 {
					r.arr = append(r.arr, v.arr[i])
				}
				if op&(pathInsertAfter|pathReplace) != 0 {
					r.arr = append(r.arr, *newval)
				}
				continue
			}
			nv, err := setPath(&v.arr[i], path, level+1, newval, op)
			if err != nil {
				return jv{}, err
			}
			r.arr = append(r.arr, nv)
			continue
		}
		r.arr = append(r.arr, v.arr[i])
	}
	if op&pathCreateOrInsert != 0 && !done && last {
		r.arr = append(r.arr, *newval)
	}
	return r, nil
}

// jsonbSetPath runs setPath for jsonb_set, jsonb_insert and #-.
func jsonbSetPath(d types.Datum, pathD types.Datum, newval *jv, op int, scalarMsg string) (types.Datum, error) {
	v, err := jsonbParse(d)
	if err != nil {
		return types.Datum{}, err
	}
	if !isContainer(v.k) {
		return types.Datum{}, errCannot(scalarMsg)
	}
	path, err := pathArray(pathD)
	if err != nil {
		return types.Datum{}, err
	}
	empty := (v.k == jkArr && len(v.arr) == 0) || (v.k == jkObj && len(v.obj) == 0)
	if empty && (op == pathReplace || op == pathDelete) {
		return d, nil
	}
	if len(path) == 0 {
		return d, nil
	}
	r, err := setPath(&v, path, 0, newval, op)
	if err != nil {
		return types.Datum{}, err
	}
	return jsonbText(&r, true)
}

func jsonbSet(a []types.Datum, create bool) (types.Datum, error) {
	nv, err := jsonbParse(a[2])
	if err != nil {
		return types.Datum{}, err
	}
	op := pathReplace
	if create {
		op = pathCreate
	}
	return jsonbSetPath(a[0], a[1], &nv, op, "cannot set path in scalar")
}

func jsonbInsert(a []types.Datum, after bool) (types.Datum, error) {
	nv, err := jsonbParse(a[2])
	if err != nil {
		return types.Datum{}, err
	}
	op := pathInsertBefore
	if after {
		op = pathInsertAfter
	}
	return jsonbSetPath(a[0], a[1], &nv, op, "cannot set path in scalar")
}

func boolOp(f func(a, b types.Datum) (bool, error)) bound.Fn {
	return func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		r, err := f(a[0], a[1])
		if err != nil {
			return types.Datum{}, err
		}
		return types.NewBool(r), nil
	}
}

func init() {
	for _, isB := range []bool{false, true} {
		isB := isB
		jt := tJSON
		if isB {
			jt = tJSONB
		}
		for _, asText := range []bool{false, true} {
			asText := asText
			name, ret := "->", jt
			pathName := "#>"
			if asText {
				name, ret, pathName = "->>", tText, "#>>"
			}
			binop(name,
				sig(ret, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
					return jsonGetField(a[0].S, a[1].S, isB, asText)
				}, jt, tText),
				sig(ret, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
					return jsonGetElem(a[0].S, a[1].I, isB, asText)
				}, jt, tInt4))
			binop(pathName, sig(ret, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
				return jsonGetPath(a[0].S, textArrayElems(a[1]), isB, asText)
			}, jt, tTextArray))
			fname := "json_extract_path"
			jt := jt
			if isB {
				fname = "jsonb_extract_path"
			}
			if asText {
				fname += "_text"
			}
			fn(fname, Overload{Args: []types.Type{jt, tText}, Variadic: true, Ret: ret, NullCall: true,
				Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
					if len(a) < 2 {
						// VARIADIC text[] needs at least one path element.
						return types.Datum{}, pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist",
							fname, types.FormatType(jt)).
							WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
					}
					if a[0].IsNull() {
						return types.Datum{}, nil
					}
					return jsonGetPath(a[0].S, a[1:], isB, asText)
				}})
		}
	}
	contains := func(x, y types.Datum) (bool, error) {
		a, err := jsonbParse(x)
		if err != nil {
			return false, err
		}
		b, err := jsonbParse(y)
		if err != nil {
			return false, err
		}
		return jsonbContains(&a, &b), nil
	}
	binop("@>", sig(tBool, boolOp(contains), tJSONB, tJSONB))
	binop("<@", sig(tBool, boolOp(func(x, y types.Datum) (bool, error) { return contains(y, x) }), tJSONB, tJSONB))
	binop("?", sig(tBool, boolOp(func(x, y types.Datum) (bool, error) { return jsonbExists(x.S, y.S) }), tJSONB, tText))
	binop("?|", sig(tBool, boolOp(func(x, y types.Datum) (bool, error) {
		return jsonbExistsAny(x.S, textArrayElems(y), false)
	}), tJSONB, tTextArray))
	binop("?&", sig(tBool, boolOp(func(x, y types.Datum) (bool, error) {
		return jsonbExistsAny(x.S, textArrayElems(y), true)
	}), tJSONB, tTextArray))
	binop("-",
		sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return jsonbDeleteKeys(a[0], a[1:2])
		}, tJSONB, tText),
		sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return jsonbDeleteKeys(a[0], textArrayElems(a[1]))
		}, tJSONB, tTextArray),
		sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			return jsonbDeleteIdx(a[0], a[1].I)
		}, tJSONB, tInt4))
	binop("#-", sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return jsonbSetPath(a[0], a[1], nil, pathDelete, "cannot delete path in scalar")
	}, tJSONB, tTextArray))
	fn("jsonb_set",
		sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return jsonbSet(a, true) },
			tJSONB, tTextArray, tJSONB),
		sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return jsonbSet(a, a[3].I == 1) },
			tJSONB, tTextArray, tJSONB, tBool))
	fn("jsonb_insert",
		sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return jsonbInsert(a, false) },
			tJSONB, tTextArray, tJSONB),
		sig(tJSONB, func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return jsonbInsert(a, a[3].I == 1) },
			tJSONB, tTextArray, tJSONB, tBool))
}
