package sql

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// fkSetDefaults binds the column defaults of every table with an ON
// DELETE/UPDATE SET DEFAULT foreign key, when a statement writes a table
// other tables reference (children non-empty): a cascade may reach any of
// them, and defaults are bound here, once per plan, like INSERT's.
func (b *binder) fkSetDefaults(children []catalog.FKRef) (map[uint32][]bound.Expr, error) {
	if len(children) == 0 {
		return nil, nil
	}
	var out map[uint32][]bound.Expr
	for _, t := range b.cat.Tables(0) {
		for _, fk := range t.ForeignKeys {
			if fk.OnDelete != catalog.FKSetDefault && fk.OnUpdate != catalog.FKSetDefault {
				continue
			}
			defs, err := b.tableDefaults(t)
			if err != nil {
				return nil, err
			}
			if out == nil {
				out = map[uint32][]bound.Expr{}
			}
			out[t.OID] = defs
			break
		}
	}
	return out, nil
}
