package types

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// The operator table: PostgreSQL's pg_operator for the types this package
// implements, with the result type and an evaluation function. Every
// operator here is strict: the caller returns NULL when an operand is NULL
// and only calls Fn with non-NULL datums. Operator resolution (implicit
// casts of the operands, unknown literals) is the binder's; it looks up
// candidates with BinaryOpsNamed and the exact match with LookupBinaryOp.
// varchar and char(n) operands use the text operators after the binder's
// implicit (binary-coercible) cast to text, except the char(n) comparisons,
// which ignore trailing spaces and are listed for bpchar.

// BinaryFn evaluates a binary operator on non-NULL operands.
type BinaryFn func(a, b Datum, set *Settings) (Datum, error)

// UnaryFn evaluates a prefix operator on a non-NULL operand.
type UnaryFn func(a Datum, set *Settings) (Datum, error)

// BinaryOp is one pg_operator row (oprkind 'b').
type BinaryOp struct {
	Name        string
	Left, Right uint32
	Result      Type
	Fn          BinaryFn
}

// UnaryOp is one prefix operator (oprkind 'l').
type UnaryOp struct {
	Name   string
	Arg    uint32
	Result Type
	Fn     UnaryFn
}

type opKey struct {
	name        string
	left, right uint32
}

var (
	binaryOps      = map[opKey]*BinaryOp{}
	binaryOpsNamed = map[string][]*BinaryOp{}
	unaryOps       = map[opKey]*UnaryOp{}
)

func regBinary(name string, l, r uint32, res Type, fn BinaryFn) {
	op := &BinaryOp{Name: name, Left: l, Right: r, Result: res, Fn: fn}
	binaryOps[opKey{name, l, r}] = op
	binaryOpsNamed[name] = append(binaryOpsNamed[name], op)
}

func regUnary(name string, arg uint32, res Type, fn UnaryFn) {
	unaryOps[opKey{name, 0, arg}] = &UnaryOp{Name: name, Arg: arg, Result: res, Fn: fn}
}

// LookupBinaryOp finds the operator name(left, right) exactly. Besides the
// table it resolves PostgreSQL's polymorphic operators: anynonarray || text
// and text || anynonarray (the other side cast to text), array || array,
// array || element, element || array, and the comparison operators on two
// arrays of the same type.
func LookupBinaryOp(name string, left, right uint32) (*BinaryOp, bool) {
	if op, ok := binaryOps[opKey{name, left, right}]; ok {
		return op, true
	}
	return polymorphicBinaryOp(name, left, right)
}

// BinaryOpsNamed lists the table's operators with this name (the candidates
// for operator resolution; polymorphic ones are not listed).
func BinaryOpsNamed(name string) []*BinaryOp { return binaryOpsNamed[name] }

// LookupUnaryOp finds the prefix operator name(arg): -, + and @ (absolute
// value) on numbers, - on interval.
func LookupUnaryOp(name string, arg uint32) (*UnaryOp, bool) {
	op, ok := unaryOps[opKey{name, 0, arg}]
	return op, ok
}

var comparisonOps = []string{"=", "<>", "<", "<=", ">", ">="}

// CompareResult applies a comparison operator to a Compare result.
func CompareResult(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "<>", "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func regCompare(l, r uint32, cmp func(a, b Datum, set *Settings) int) {
	for _, name := range comparisonOps {
		name := name
		regBinary(name, l, r, Bool, func(a, b Datum, set *Settings) (Datum, error) {
			return NewBool(CompareResult(name, cmp(a, b, set))), nil
		})
	}
}

func plainCompare(a, b Datum, _ *Settings) int { return Compare(a, b) }

var intOIDs = []uint32{Int2OID, Int4OID, Int8OID}

func init() {
	// integers
	for _, l := range intOIDs {
		for _, r := range intOIDs {
			res := intResultOID(l, r)
			rt := Type{res, -1}
			regBinary("+", l, r, rt, func(a, b Datum, _ *Settings) (Datum, error) {
				v, err := AddInt(a.I, b.I, res)
				return NewInt(v), err
			})
			regBinary("-", l, r, rt, func(a, b Datum, _ *Settings) (Datum, error) {
				v, err := SubInt(a.I, b.I, res)
				return NewInt(v), err
			})
			regBinary("*", l, r, rt, func(a, b Datum, _ *Settings) (Datum, error) {
				v, err := MulInt(a.I, b.I, res)
				return NewInt(v), err
			})
			regBinary("/", l, r, rt, func(a, b Datum, _ *Settings) (Datum, error) {
				v, err := DivInt(a.I, b.I, res)
				return NewInt(v), err
			})
			regCompare(l, r, plainCompare)
		}
		oid := l
		regBinary("%", l, l, Type{l, -1}, func(a, b Datum, _ *Settings) (Datum, error) {
			v, err := ModInt(a.I, b.I, oid)
			return NewInt(v), err
		})
		regUnary("-", l, Type{l, -1}, func(a Datum, _ *Settings) (Datum, error) {
			v, err := NegInt(a.I, oid)
			return NewInt(v), err
		})
		regUnary("+", l, Type{l, -1}, func(a Datum, _ *Settings) (Datum, error) { return a, nil })
		regUnary("@", l, Type{l, -1}, func(a Datum, _ *Settings) (Datum, error) {
			v, err := AbsInt(a.I, oid)
			return NewInt(v), err
		})
	}
	regCompare(OIDOID, OIDOID, plainCompare)
	regCompare(BoolOID, BoolOID, plainCompare)

	// floats
	floats := []uint32{Float4OID, Float8OID}
	for _, l := range floats {
		for _, r := range floats {
			f4 := l == Float4OID && r == Float4OID
			rt := Float8
			if f4 {
				rt = Float4
			}
			for _, op := range []byte{'+', '-', '*', '/'} {
				op := op
				regBinary(string(op), l, r, rt, func(a, b Datum, _ *Settings) (Datum, error) {
					v, err := FloatOp(op, a.F, b.F, f4)
					return NewFloat(v), err
				})
			}
			regCompare(l, r, plainCompare)
		}
		rt := Type{l, -1}
		regUnary("-", l, rt, func(a Datum, _ *Settings) (Datum, error) { return NewFloat(-a.F), nil })
		regUnary("+", l, rt, func(a Datum, _ *Settings) (Datum, error) { return a, nil })
		regUnary("@", l, rt, func(a Datum, _ *Settings) (Datum, error) {
			f := a.F
			if f < 0 || (f == 0 && 1/f < 0) {
				f = -f
			}
			return NewFloat(f), nil
		})
	}

	// numeric
	numFn := func(f func(x, y *apd.Decimal) (*apd.Decimal, error)) BinaryFn {
		return func(a, b Datum, _ *Settings) (Datum, error) {
			r, err := f(a.Numeric(), b.Numeric())
			if err != nil {
				return Datum{}, err
			}
			return Datum{K: KindNumeric, X: r}, nil
		}
	}
	regBinary("+", NumericOID, NumericOID, Numeric, numFn(func(x, y *apd.Decimal) (*apd.Decimal, error) { return NumericAdd(x, y, false) }))
	regBinary("-", NumericOID, NumericOID, Numeric, numFn(func(x, y *apd.Decimal) (*apd.Decimal, error) { return NumericAdd(x, y, true) }))
	regBinary("*", NumericOID, NumericOID, Numeric, numFn(NumericMul))
	regBinary("/", NumericOID, NumericOID, Numeric, numFn(NumericDiv))
	regBinary("%", NumericOID, NumericOID, Numeric, numFn(NumericMod))
	regCompare(NumericOID, NumericOID, plainCompare)
	regUnary("-", NumericOID, Numeric, func(a Datum, _ *Settings) (Datum, error) {
		return Datum{K: KindNumeric, X: NumericNeg(a.Numeric())}, nil
	})
	regUnary("+", NumericOID, Numeric, func(a Datum, _ *Settings) (Datum, error) { return a, nil })
	regUnary("@", NumericOID, Numeric, func(a Datum, _ *Settings) (Datum, error) {
		return Datum{K: KindNumeric, X: NumericAbs(a.Numeric())}, nil
	})

	// strings
	regBinary("||", TextOID, TextOID, Text, func(a, b Datum, _ *Settings) (Datum, error) {
		return NewText(a.S + b.S), nil
	})
	regBinary("||", ByteaOID, ByteaOID, Bytea, func(a, b Datum, _ *Settings) (Datum, error) {
		return NewBytesString(a.S + b.S), nil
	})
	regCompare(TextOID, TextOID, plainCompare)
	regCompare(NameOID, NameOID, plainCompare)
	regCompare(NameOID, TextOID, plainCompare)
	regCompare(TextOID, NameOID, plainCompare)
	regCompare(CharOID, CharOID, plainCompare)
	regCompare(ByteaOID, ByteaOID, plainCompare)
	regCompare(BPCharOID, BPCharOID, func(a, b Datum, _ *Settings) int { return CompareBPChar(a.S, b.S) })
	for _, op := range []struct {
		name   string
		ci     bool
		negate bool
	}{{"~~", false, false}, {"!~~", false, true}, {"~~*", true, false}, {"!~~*", true, true}} {
		op := op
		regBinary(op.name, TextOID, TextOID, Bool, func(a, b Datum, _ *Settings) (Datum, error) {
			m, err := CompileLike(b.S, op.ci, LikeDefaultEscape)
			if err != nil {
				return Datum{}, err
			}
			return NewBool(m(a.S) != op.negate), nil
		})
	}
	regCompare(UUIDOID, UUIDOID, plainCompare)
	regCompare(JSONBOID, JSONBOID, plainCompare)

	// date/time comparisons, including the cross-type ones
	timeTypes := []uint32{DateOID, TimestampOID, TimestamptzOID}
	for _, l := range timeTypes {
		for _, r := range timeTypes {
			lt, rt := Type{l, -1}, Type{r, -1}
			if l == r || (l != TimestamptzOID && r != TimestamptzOID) {
				regCompare(l, r, plainCompare)
				continue
			}
			regCompare(l, r, func(a, b Datum, set *Settings) int {
				return Compare(toTimestampTZ(a, lt, set), toTimestampTZ(b, rt, set))
			})
		}
	}
	regCompare(TimeOID, TimeOID, plainCompare)
	regCompare(IntervalOID, IntervalOID, plainCompare)

	registerTimeArith()
}

// toTimestampTZ converts date/timestamp to timestamptz in the session zone
// for cross-type comparisons (date_cmp_timestamptz & co).
func toTimestampTZ(d Datum, t Type, set *Settings) Datum {
	if d.K == KindTimestampTZ {
		return d
	}
	r, err := Cast(d, t, TimestampTZ, true, set)
	if err != nil {
		// Out of timestamptz range: keep the order with an infinity.
		if d.I > 0 {
			return NewTimestampTZ(TimestampInfinity)
		}
		return NewTimestampTZ(TimestampNegInfinity)
	}
	return r
}

func registerTimeArith() {
	iv := func(d Datum) IntervalValue { return d.Interval() }
	// date ± integer, date - date
	regBinary("+", DateOID, Int4OID, Date, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := DatePlusDays(a.I, b.I)
		return Datum{K: KindDate, I: v}, err
	})
	regBinary("+", Int4OID, DateOID, Date, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := DatePlusDays(b.I, a.I)
		return Datum{K: KindDate, I: v}, err
	})
	regBinary("-", DateOID, Int4OID, Date, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := DatePlusDays(a.I, -b.I)
		return Datum{K: KindDate, I: v}, err
	})
	regBinary("-", DateOID, DateOID, Int4, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := DateMinusDate(a.I, b.I)
		return NewInt(v), err
	})
	// date + time, date ± interval
	datePlusTime := func(date, t int64) (Datum, error) {
		ts, err := DateToTimestamp(date)
		if err != nil {
			return Datum{}, err
		}
		if ts != TimestampInfinity && ts != TimestampNegInfinity {
			ts += t
			if !validTimestamp(ts) {
				return Datum{}, errTimestampRange
			}
		}
		return NewTimestamp(ts), nil
	}
	regBinary("+", DateOID, TimeOID, Timestamp, func(a, b Datum, _ *Settings) (Datum, error) { return datePlusTime(a.I, b.I) })
	regBinary("+", TimeOID, DateOID, Timestamp, func(a, b Datum, _ *Settings) (Datum, error) { return datePlusTime(b.I, a.I) })
	tsPlus := func(ts int64, v IntervalValue, withTZ bool, set *Settings) (Datum, error) {
		if withTZ {
			r, err := TimestampPlusInterval(ts, v, set.location())
			return NewTimestampTZ(r), err
		}
		r, err := TimestampPlusInterval(ts, v, nil)
		return NewTimestamp(r), err
	}
	regBinary("+", DateOID, IntervalOID, Timestamp, func(a, b Datum, set *Settings) (Datum, error) {
		ts, err := DateToTimestamp(a.I)
		if err != nil {
			return Datum{}, err
		}
		return tsPlus(ts, iv(b), false, set)
	})
	regBinary("+", IntervalOID, DateOID, Timestamp, func(a, b Datum, set *Settings) (Datum, error) {
		ts, err := DateToTimestamp(b.I)
		if err != nil {
			return Datum{}, err
		}
		return tsPlus(ts, iv(a), false, set)
	})
	regBinary("-", DateOID, IntervalOID, Timestamp, func(a, b Datum, set *Settings) (Datum, error) {
		ts, err := DateToTimestamp(a.I)
		if err != nil {
			return Datum{}, err
		}
		n, err := NegInterval(iv(b))
		if err != nil {
			return Datum{}, err
		}
		return tsPlus(ts, n, false, set)
	})
	// timestamp(tz) ± interval, timestamp(tz) - timestamp(tz)
	for _, oid := range []uint32{TimestampOID, TimestamptzOID} {
		withTZ := oid == TimestamptzOID
		rt := Type{oid, -1}
		regBinary("+", oid, IntervalOID, rt, func(a, b Datum, set *Settings) (Datum, error) { return tsPlus(a.I, iv(b), withTZ, set) })
		regBinary("+", IntervalOID, oid, rt, func(a, b Datum, set *Settings) (Datum, error) { return tsPlus(b.I, iv(a), withTZ, set) })
		regBinary("-", oid, IntervalOID, rt, func(a, b Datum, set *Settings) (Datum, error) {
			n, err := NegInterval(iv(b))
			if err != nil {
				return Datum{}, err
			}
			return tsPlus(a.I, n, withTZ, set)
		})
		regBinary("-", oid, oid, Interval, func(a, b Datum, _ *Settings) (Datum, error) {
			v, err := TimestampMinus(a.I, b.I)
			return NewInterval(v), err
		})
	}
	// interval arithmetic
	regBinary("+", IntervalOID, IntervalOID, Interval, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := AddInterval(iv(a), iv(b), false)
		return NewInterval(v), err
	})
	regBinary("-", IntervalOID, IntervalOID, Interval, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := AddInterval(iv(a), iv(b), true)
		return NewInterval(v), err
	})
	regBinary("*", IntervalOID, Float8OID, Interval, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := MulInterval(iv(a), b.F)
		return NewInterval(v), err
	})
	regBinary("*", Float8OID, IntervalOID, Interval, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := MulInterval(iv(b), a.F)
		return NewInterval(v), err
	})
	regBinary("/", IntervalOID, Float8OID, Interval, func(a, b Datum, _ *Settings) (Datum, error) {
		v, err := DivInterval(iv(a), b.F)
		return NewInterval(v), err
	})
	regUnary("-", IntervalOID, Interval, func(a Datum, _ *Settings) (Datum, error) {
		v, err := NegInterval(iv(a))
		return NewInterval(v), err
	})
	regUnary("+", IntervalOID, Interval, func(a Datum, _ *Settings) (Datum, error) { return a, nil })
	// time ± interval, time - time
	regBinary("+", TimeOID, IntervalOID, Time, func(a, b Datum, _ *Settings) (Datum, error) {
		return NewTime(TimePlusInterval(a.I, iv(b))), nil
	})
	regBinary("+", IntervalOID, TimeOID, Time, func(a, b Datum, _ *Settings) (Datum, error) {
		return NewTime(TimePlusInterval(b.I, iv(a))), nil
	})
	regBinary("-", TimeOID, IntervalOID, Time, func(a, b Datum, _ *Settings) (Datum, error) {
		v := iv(b)
		return NewTime(TimePlusInterval(a.I, IntervalValue{Micros: -v.Micros})), nil
	})
	regBinary("-", TimeOID, TimeOID, Interval, func(a, b Datum, _ *Settings) (Datum, error) {
		return NewInterval(IntervalValue{Micros: a.I - b.I}), nil
	})
}

// polymorphicBinaryOp builds the anynonarray/anyarray operators on demand.
func polymorphicBinaryOp(name string, left, right uint32) (*BinaryOp, bool) {
	lt, rt := Type{left, -1}, Type{right, -1}
	switch name {
	case "||":
		la, ra := lt.IsArray(), rt.IsArray()
		switch {
		case la && ra && left == right:
			return &BinaryOp{Name: name, Left: left, Right: right, Result: lt, Fn: arrayCat}, true
		case la && !ra:
			if e, _ := lt.Elem(); e.OID == right || right == UnknownOID {
				return &BinaryOp{Name: name, Left: left, Right: right, Result: lt, Fn: arrayAppend}, true
			}
		case ra && !la:
			if e, _ := rt.Elem(); e.OID == left || left == UnknownOID {
				return &BinaryOp{Name: name, Left: left, Right: right, Result: rt, Fn: arrayPrepend}, true
			}
		}
		if (left == TextOID && !ra && rt.Known()) || (right == TextOID && !la && lt.Known()) {
			return &BinaryOp{Name: name, Left: left, Right: right, Result: Text,
				Fn: func(a, b Datum, set *Settings) (Datum, error) {
					as, err := Cast(a, lt, Text, true, set)
					if err != nil {
						return Datum{}, err
					}
					bs, err := Cast(b, rt, Text, true, set)
					if err != nil {
						return Datum{}, err
					}
					return NewText(as.S + bs.S), nil
				}}, true
		}
	case "=", "<>", "<", "<=", ">", ">=":
		if left == right && lt.IsArray() {
			return &BinaryOp{Name: name, Left: left, Right: right, Result: Bool,
				Fn: func(a, b Datum, _ *Settings) (Datum, error) {
					return NewBool(CompareResult(name, Compare(a, b))), nil
				}}, true
		}
	}
	return nil, false
}

func arrayCat(a, b Datum, _ *Settings) (Datum, error) {
	x, y := a.Array(), b.Array()
	if x == nil || len(x.Elems) == 0 {
		return b, nil
	}
	if y == nil || len(y.Elems) == 0 {
		return a, nil
	}
	if len(x.Dims) != 1 || len(y.Dims) != 1 {
		if len(x.Dims) == len(y.Dims)+1 || len(x.Dims) == len(y.Dims) {
			return concatMultiDim(x, y)
		}
		return Datum{}, pgerror.New(pgerror.ArraySubscriptError, "cannot concatenate incompatible arrays").
			WithDetail("Arrays with differing dimensions are not compatible for concatenation.")
	}
	elems := make([]Datum, 0, len(x.Elems)+len(y.Elems))
	elems = append(append(elems, x.Elems...), y.Elems...)
	return Datum{K: KindArray, X: &Array{Elem: x.Elem, Dims: []ArrayDim{{Len: int32(len(elems)), Lower: x.Dims[0].Lower}}, Elems: elems}}, nil
}

// concatMultiDim handles {{1,2}} || {{3,4}} and {{1,2}} || {3,4} (array_cat).
func concatMultiDim(x, y *Array) (Datum, error) {
	yd := y.Dims
	if len(yd) == len(x.Dims)-1 {
		yd = append([]ArrayDim{{Len: 1, Lower: 1}}, yd...)
	}
	for i := 1; i < len(x.Dims); i++ {
		if x.Dims[i].Len != yd[i].Len {
			return Datum{}, pgerror.New(pgerror.ArraySubscriptError, "cannot concatenate incompatible arrays").
				WithDetail("Arrays with differing element dimensions are not compatible for concatenation.")
		}
	}
	dims := append([]ArrayDim(nil), x.Dims...)
	dims[0].Len += yd[0].Len
	elems := make([]Datum, 0, len(x.Elems)+len(y.Elems))
	elems = append(append(elems, x.Elems...), y.Elems...)
	return Datum{K: KindArray, X: &Array{Elem: x.Elem, Dims: dims, Elems: elems}}, nil
}

func arrayAppend(a, b Datum, _ *Settings) (Datum, error) {
	x := a.Array()
	if x == nil || len(x.Elems) == 0 {
		var elem Type
		if x != nil {
			elem = x.Elem
		}
		return NewArray(elem, []Datum{b}), nil
	}
	if len(x.Dims) != 1 {
		return Datum{}, pgerror.New(pgerror.DataException, "argument must be empty or one-dimensional array")
	}
	elems := append(append(make([]Datum, 0, len(x.Elems)+1), x.Elems...), b)
	return Datum{K: KindArray, X: &Array{Elem: x.Elem, Dims: []ArrayDim{{Len: int32(len(elems)), Lower: x.Dims[0].Lower}}, Elems: elems}}, nil
}

func arrayPrepend(a, b Datum, _ *Settings) (Datum, error) {
	y := b.Array()
	if y == nil || len(y.Elems) == 0 {
		var elem Type
		if y != nil {
			elem = y.Elem
		}
		return NewArray(elem, []Datum{a}), nil
	}
	if len(y.Dims) != 1 {
		return Datum{}, pgerror.New(pgerror.DataException, "argument must be empty or one-dimensional array")
	}
	elems := append(append(make([]Datum, 0, len(y.Elems)+1), a), y.Elems...)
	// PostgreSQL keeps the input's lower bound (array_prepend).
	return Datum{K: KindArray, X: &Array{Elem: y.Elem, Dims: []ArrayDim{{Len: int32(len(elems)), Lower: y.Dims[0].Lower}}, Elems: elems}}, nil
}
