package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// ModifyingCTEs plans a statement's data-modifying WITH queries. Call it
// before planning the main query: the references find their buffers in
// ModifyingCTE.Plan.
func ModifyingCTEs(ms []*bound.ModifyingCTE) ([]*executor.CTEBuffer, error) {
	out := make([]*executor.CTEBuffer, 0, len(ms))
	for _, m := range ms {
		var w executor.Writer
		var err error
		switch st := m.Stmt.(type) {
		case *bound.Insert:
			w, err = Insert(st)
		case *bound.Update:
			w, err = Update(st)
		case *bound.Delete:
			w, err = Delete(st)
		default:
			err = pgerror.New(pgerror.FeatureNotSupported, "WITH query %T is not supported", st)
		}
		if err != nil {
			return nil, err
		}
		b := &executor.CTEBuffer{Name: m.Name, Input: w}
		m.Plan = b
		out = append(out, b)
	}
	return out, nil
}

// modifyingCTEScan plans a reference to a data-modifying WITH query.
func modifyingCTEScan(r *bound.ModifyingCTERel, where bound.Expr) executor.Node {
	buf, _ := r.CTE.Plan.(*executor.CTEBuffer)
	return filtered(&executor.CTEBufferScan{Name: relName(r.CTE.Name, r.Alias), Buf: buf}, where)
}
