package sql

import (
	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// sequenceRel binds a sequence named in FROM: one row of its state,
// (last_value, log_cnt, is_called), as pg_dump reads it to print setval.
// log_cnt is always 0: values are reserved in chunks, not pre-logged.
// ok is false when rv does not name a sequence.
func (b *binder) sequenceRel(rv *pg_query.RangeVar) (rel bound.Rel, cols []scopeCol, ok bool) {
	oid, kind, found := b.s.lookupRelation(b.cat, rv.Schemaname, rv.Relname)
	if !found || kind != catalog.RelSequence {
		return nil, nil, false
	}
	seq := b.cat.Sequence(oid)
	alias := seq.Name
	if rv.Alias != nil {
		alias = rv.Alias.Aliasname
	}
	seqs := b.s.e.seqs
	colTypes := []types.Type{types.Int8, types.Int8, types.Bool}
	rel = &bound.VirtualRel{Name: seq.Name, Types: colTypes,
		Rows: func(bound.Env) ([][]types.Datum, error) {
			st := seqs.get(seq.OID)
			st.mu.Lock()
			defer st.mu.Unlock()
			if err := seqs.load(seq, st); err != nil {
				return nil, err
			}
			return [][]types.Datum{{types.NewInt(st.last), types.NewInt(0), types.NewBool(st.called)}}, nil
		}}
	for i, name := range []string{"last_value", "log_cnt", "is_called"} {
		cols = append(cols, scopeCol{table: alias, name: name, idx: i, typ: colTypes[i], tableOID: seq.OID, attnum: int16(i + 1)})
	}
	return rel, cols, true
}
