package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// bpcharOperands resolves a comparison between char(n) and another string
// type as PostgreSQL's operator resolution does: against text, text's
// operator wins (text is the preferred string type), so the char(n) side
// is cast to text, which drops its trailing blanks ('x'::char(4) = 'x'::text
// is true, 'x'::char(4) < 'x '::text too); against varchar, the char(n)
// operator wins (one exact operand), so the varchar side becomes char and
// trailing blanks of both are ignored. The executor compares two char
// operands with CompareBPChar. Other pairs are returned as they are.
func (b *binder) bpcharOperands(l, r bound.Expr) (bound.Expr, bound.Expr, error) {
	lt, rt := l.Type().OID, r.Type().OID
	if (lt == types.BPCharOID) == (rt == types.BPCharOID) {
		return l, r, nil
	}
	var err error
	switch {
	case lt == types.BPCharOID && rt == types.TextOID:
		l, err = b.coerce(l, types.Text, castImplicit)
	case rt == types.BPCharOID && lt == types.TextOID:
		r, err = b.coerce(r, types.Text, castImplicit)
	case lt == types.BPCharOID && rt == types.VarcharOID:
		r, err = b.coerce(r, types.Type{OID: types.BPCharOID, Typmod: -1}, castImplicit)
	case rt == types.BPCharOID && lt == types.VarcharOID:
		l, err = b.coerce(l, types.Type{OID: types.BPCharOID, Typmod: -1}, castImplicit)
	}
	return l, r, err
}
