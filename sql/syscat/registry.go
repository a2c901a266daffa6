package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Column is one column of a system view.
type Column struct {
	Name string
	Type types.Type
}

// View is a system view: its columns and its row generator.
type View struct {
	Schema, Name string
	OID          uint32
	Cols         []Column
	Rows         func(env bound.Env) ([][]types.Datum, error)
}

var views = map[string]*View{}

func register(v *View) { views[v.Schema+"."+v.Name] = v }

// Lookup finds a system view by schema ("pg_catalog" or
// "information_schema") and name.
func Lookup(schema, name string) *View { return views[schema+"."+name] }

// Views lists every system view.
func Views() []*View {
	out := make([]*View, 0, len(views))
	for _, v := range views {
		out = append(out, v)
	}
	return out
}

// Datum helpers keep the generators short.
func text(s string) types.Datum  { return types.NewText(s) }
func oid(o uint32) types.Datum   { return types.NewInt(int64(o)) }
func i64(i int64) types.Datum    { return types.NewInt(i) }
func boolean(b bool) types.Datum { return types.NewBool(b) }

var null = types.Datum{}

func textOrNull(s string) types.Datum {
	if s == "" {
		return null
	}
	return text(s)
}

// Common column types.
var (
	tOID   = types.OID
	tName  = types.Name
	tText  = types.Text
	tBool  = types.Bool
	tInt2  = types.Int2
	tInt4  = types.Int4
	tInt8  = types.Int8
	tChar  = types.Char
	tFloat = types.Float4
)
