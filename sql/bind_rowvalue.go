package sql

import (
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Row values: a whole-row reference (t, t.* as an argument) and ROW(...) /
// (a, b) outside comparisons. There is no composite datum yet: a row value
// is its record text, "(1,x)" as record_out prints it, typed record; the
// JSON functions (to_json, to_jsonb, row_to_json, json_agg, jsonb_agg) read
// the fields themselves and write an object with the column names.

// rowValue is what the binder knows of a row value it built.
type rowValue struct {
	names  []string
	fields []bound.Expr
	scalar bound.Expr // set when the row is a scalar function's single value
}

// wholeRowRef reports whether a column reference names a whole row: t (a
// FROM item that has no column t) or t.*, and returns its columns.
func (b *binder) wholeRowRef(n *pg_query.Node, sc *scope) (*rowValue, bool) {
	cr := n.GetColumnRef()
	if cr == nil || sc == nil {
		return nil, false
	}
	var table string
	switch {
	case len(cr.Fields) == 1 && cr.Fields[0].GetString_() != nil:
		table = strVal(cr.Fields[0])
		if _, _, err := sc.resolve("", table, cr.Location); err == nil || pgerror.CodeOf(err) != pgerror.UndefinedColumn {
			return nil, false
		}
	case len(cr.Fields) == 2 && cr.Fields[1].GetAStar() != nil:
		table = strVal(cr.Fields[0])
	default:
		return nil, false
	}
	if !sc.hasTable(table) {
		return nil, false
	}
	rv := &rowValue{}
	for _, c := range sc.cols {
		if c.table != table || c.hidden || c.system {
			continue
		}
		if c.scalar {
			// A function returning a scalar: its whole row is the value.
			rv.scalar = &bound.ColRef{Idx: c.idx, T: c.typ, Name: c.name, Table: c.table}
		}
		rv.names = append(rv.names, c.name)
		rv.fields = append(rv.fields, &bound.ColRef{Idx: c.idx, T: c.typ, Name: c.name, Table: c.table})
	}
	return rv, true
}

// rowExprValue binds ROW(a, b) / (a, b): fields named f1, f2, ...
func (b *binder) rowExprValue(re *pg_query.RowExpr, sc *scope) (*rowValue, error) {
	rv := &rowValue{}
	for i, a := range re.Args {
		e, err := b.bindExpr(a, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		rv.names = append(rv.names, "f"+itoa(i+1))
		rv.fields = append(rv.fields, finalize(b.settle(e)))
	}
	return rv, nil
}

func (rv *rowValue) types() []types.Type {
	ts := make([]types.Type, len(rv.fields))
	for i, f := range rv.fields {
		ts[i] = f.Type()
	}
	return ts
}

// recordText is the row as record_out prints it (typed record).
func (rv *rowValue) recordText() bound.Expr {
	typs := rv.types()
	return &bound.Call{Name: "ROW", Args: rv.fields, T: types.Record, Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return recordDatum(a, typs, c.Settings), nil
	}}
}

// recordDatum is the record of fields (of types typs) as record_out
// prints it: a record value is its text here.
func recordDatum(fields []types.Datum, typs []types.Type, set *types.Settings) types.Datum {
	var sb strings.Builder
	sb.WriteByte('(')
	for i, d := range fields {
		if i > 0 {
			sb.WriteByte(',')
		}
		if d.IsNull() {
			continue
		}
		writeRecordField(&sb, types.FormatText(d, typs[i], set))
	}
	sb.WriteByte(')')
	return types.NewText(sb.String())
}

// writeRecordField quotes a field as record_out does: when it is empty or
// has a quote, backslash, parenthesis, comma or white space, with quotes
// and backslashes doubled.
func writeRecordField(sb *strings.Builder, s string) {
	if s != "" && !strings.ContainsAny(s, "\"\\(),") && !strings.ContainsAny(s, " \t\n\r\v\f") {
		sb.WriteString(s)
		return
	}
	sb.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			sb.WriteByte(s[i])
		}
		sb.WriteByte(s[i])
	}
	sb.WriteByte('"')
}

// rowJSON is the row as a json or jsonb object.
func (rv *rowValue) rowJSON(jsonb bool) bound.Expr {
	typs, names := rv.types(), rv.names
	t := types.JSON
	if jsonb {
		t = types.JSONB
	}
	return &bound.Call{Name: "row_to_json", Args: rv.fields, T: t, Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		return builtins.RowToJSON(c.Settings, names, typs, a, jsonb)
	}}
}

// rowJSONArg handles to_json(t), to_jsonb(t), row_to_json(t) and
// json_agg(t) / jsonb_agg(t): for the ones that are plain functions it
// returns the call; for the aggregates it records the argument's JSON form
// in b.preBound for the aggregate's own binding. ok is false when the
// argument is no row value.
func (b *binder) rowJSONArg(name string, fc *pg_query.FuncCall, sc *scope) (bound.Expr, bool, error) {
	jsonb := name == "to_jsonb" || name == "jsonb_agg"
	switch name {
	case "to_json", "to_jsonb", "row_to_json", "json_agg", "jsonb_agg":
	default:
		return nil, false, nil
	}
	if len(fc.Args) != 1 {
		return nil, false, nil
	}
	var rv *rowValue
	if re := fc.Args[0].GetRowExpr(); re != nil {
		v, err := b.rowExprValue(re, sc)
		if err != nil {
			return nil, true, err
		}
		rv = v
	} else if v, ok := b.wholeRowRef(fc.Args[0], sc); ok && v.scalar == nil {
		rv = v
	} else {
		return nil, false, nil
	}
	e := rv.rowJSON(jsonb)
	if name == "json_agg" || name == "jsonb_agg" {
		// The aggregate sees a composite argument (its elements are written
		// as objects, separated as composites are).
		e.(*bound.Call).T = types.Record
		if b.preBound == nil {
			b.preBound = map[*pg_query.Node]bound.Expr{}
		}
		b.preBound[fc.Args[0]] = e
		return nil, false, nil
	}
	return e, true, nil
}

// rowFieldSelect binds (t).col, a field of a whole-row reference, as the
// column t.col (followed by any further subscripts).
func (b *binder) rowFieldSelect(ind *pg_query.A_Indirection, sc *scope) (bound.Expr, bool, error) {
	cr := ind.Arg.GetColumnRef()
	if cr == nil || len(cr.Fields) != 1 || len(ind.Indirection) == 0 || ind.Indirection[0].GetString_() == nil {
		return nil, false, nil
	}
	if _, ok := b.wholeRowRef(ind.Arg, sc); !ok {
		return nil, false, nil
	}
	ref := &pg_query.Node{Node: &pg_query.Node_ColumnRef{ColumnRef: &pg_query.ColumnRef{
		Fields: []*pg_query.Node{cr.Fields[0], ind.Indirection[0]}, Location: cr.Location}}}
	if len(ind.Indirection) == 1 {
		e, err := b.bindExpr(ref, sc, types.Unknown)
		return e, true, err
	}
	e, err := b.bindIndirection(&pg_query.A_Indirection{Arg: ref, Indirection: ind.Indirection[1:]}, sc)
	return e, true, err
}
