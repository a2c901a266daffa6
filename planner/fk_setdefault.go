package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// setDefaultAction gives a foreign key with ON DELETE/UPDATE SET DEFAULT
// the compiled defaults of its child columns (nil: NULL).
func setDefaultAction(ch *executor.FKChild, r catalog.FKRef, defaults map[uint32][]bound.Expr) {
	if r.FK.OnDelete != catalog.FKSetDefault && r.FK.OnUpdate != catalog.FKSetDefault {
		return
	}
	defs := defaults[r.Table.OID]
	ch.Defaults = make([]executor.Eval, len(r.FK.Cols))
	for i, c := range r.FK.Cols {
		if c < len(defs) && defs[c] != nil {
			ch.Defaults[i] = executor.Compile(defs[c])
		}
	}
}
