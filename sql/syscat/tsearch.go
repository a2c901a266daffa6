package syscat

import (
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pg_type columns of the full-text search types (sql/types/tstypes.go), as
// PostgreSQL 15 has them.
func init() {
	for name, oid := range map[string]uint32{"regconfigin": 3736, "regconfigout": 3737, "regconfigrecv": 3738,
		"regconfigsend": 3739, "ts_typanalyze": 3688, "tsqueryin": 3612, "tsqueryout": 3613, "tsqueryrecv": 3641,
		"tsquerysend": 3640, "tsvectorin": 3610, "tsvectorout": 3611, "tsvectorrecv": 3639, "tsvectorsend": 3638,
		"regdictionaryin": 3771, "regdictionaryout": 3772, "regdictionaryrecv": 3773, "regdictionarysend": 3774} {
		internalProcOIDs[name] = oid
		internalProcName[oid] = name
	}
	pgTypeData[3614] = pgTypeRow{"b", ",", "-", "tsvectorin", "tsvectorout", "tsvectorrecv", "tsvectorsend", "-", "-", "ts_typanalyze", "x", 0}
	pgTypeData[3615] = pgTypeRow{"b", ",", "-", "tsqueryin", "tsqueryout", "tsqueryrecv", "tsquerysend", "-", "-", "-", "p", 0}
	pgTypeData[3734] = pgTypeRow{"b", ",", "-", "regconfigin", "regconfigout", "regconfigrecv", "regconfigsend", "-", "-", "-", "p", 0}
	pgTypeData[3769] = pgTypeRow{"b", ",", "-", "regdictionaryin", "regdictionaryout", "regdictionaryrecv", "regdictionarysend", "-", "-", "-", "p", 0}
	for _, oid := range []uint32{3643, 3645, 3735, 3770} {
		pgTypeData[oid] = pgTypeRow{"b", ",", "array_subscript_handler", "array_in", "array_out", "array_recv", "array_send", "-", "-", "array_typanalyze", "x", 0}
	}
}

// ginTsvectorOps is pg_opclass.oid of tsvector_ops for gin.
const ginTsvectorOps = 10073

// ginIndexColumns are pg_index's indkey, indcollation and indclass of a
// full-text GIN index: key 0 for the to_tsvector expression, no collation
// (tsvector has none), the tsvector_ops operator class.
func ginIndexColumns(t *catalog.Table, ix *catalog.Index) (keys, colls, classes, opts []int64) {
	key := int64(t.Columns[ix.Columns[0]].Attnum)
	if ix.TSConfig != 0 {
		key = 0
	}
	return []int64{key}, []int64{0}, []int64{ginTsvectorOps}, []int64{0}
}

// ginAttributes is the index relation's one column as pg_attribute shows
// it: named after the function for the expression, and of type text, the
// operator class's storage type (PostgreSQL's \d idx says "text").
func ginAttributes(r relation) []attribute {
	name := r.Table.Columns[r.Index.Columns[0]].Name
	if r.Index.TSConfig != 0 {
		name = "to_tsvector"
	}
	return []attribute{{Name: name, Type: types.Text, Num: 1}}
}
