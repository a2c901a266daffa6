package catalog

import (
	"github.com/prkdb/prkdb-sql/sql/types"
)

// OIDs below FirstUserOID are fixed (PostgreSQL's own); user objects get
// OIDs from FirstUserOID upwards, stable for the life of the object.
const (
	FirstUserOID = 16384

	PostgresRoleOID     = 10
	PostgresDatabaseOID = 5
	// Template1OID and Template0OID are initdb's template databases.
	Template1OID    = 1
	Template0OID    = 4
	PgCatalogOID    = 11
	PublicSchemaOID = 2200
	InfoSchemaOID   = 13000 // information_schema (PostgreSQL assigns it at initdb)
)

// Database is a database (CREATE DATABASE).
type Database struct {
	OID   uint32 `json:"oid"`
	Name  string `json:"name"`
	Owner uint32 `json:"owner"`
	// Template marks template0 and template1 (pg_database.datistemplate):
	// they cannot be dropped. New databases start empty either way.
	Template bool `json:"template,omitempty"`
	// NoConnections refuses connections (datallowconn = false: template0).
	NoConnections bool `json:"noconn,omitempty"`
}

// Schema is a namespace inside one database.
type Schema struct {
	OID      uint32 `json:"oid"`
	Database uint32 `json:"db"`
	Name     string `json:"name"`
	Owner    uint32 `json:"owner"`
}

// Role is a user or group (pg_authid).
type Role struct {
	OID       uint32 `json:"oid"`
	Name      string `json:"name"`
	Superuser bool   `json:"super,omitempty"`
	Login     bool   `json:"login,omitempty"`
	Password  string `json:"password,omitempty"` // SCRAM verifier or md5 hash, never plain
	ConnLimit int32  `json:"connlimit"`
	// The other attributes of CREATE ROLE, stored and shown in pg_authid;
	// only CreateRole (who may create, alter and drop roles) is enforced.
	CreateRole  bool `json:"createrole,omitempty"`
	CreateDB    bool `json:"createdb,omitempty"`
	NoInherit   bool `json:"noinherit,omitempty"` // NOINHERIT (INHERIT is the default)
	Replication bool `json:"replication,omitempty"`
	BypassRLS   bool `json:"bypassrls,omitempty"`
	// ValidUntil is VALID UNTIL, µs since 2000-01-01 UTC (math.MaxInt64 for
	// 'infinity'); nil: the password never expires. After it, password
	// authentication fails, as in PostgreSQL.
	ValidUntil *int64 `json:"validuntil,omitempty"`
}

// Column is one table column. Attnum is stable: dropping a column marks it
// Dropped and keeps its number, as PostgreSQL does, so stored rows (which are
// encoded by position over all columns) stay readable.
type Column struct {
	Name     string     `json:"name"`
	Type     types.Type `json:"type"`
	Attnum   int16      `json:"attnum"`
	NotNull  bool       `json:"notnull,omitempty"`
	Default  string     `json:"default,omitempty"`  // SQL expression text
	Identity byte       `json:"identity,omitempty"` // 'a' ALWAYS, 'd' BY DEFAULT
	// Generated is the expression of a GENERATED ALWAYS AS (...) STORED column.
	Generated string `json:"generated,omitempty"`
	Dropped   bool   `json:"dropped,omitempty"`
	// Hidden marks the row-id column of a table without a primary key.
	Hidden  bool   `json:"hidden,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// Index is an index of a table. ID 1 is the row storage itself, keyed by
// the primary key (or the hidden row id).
type Index struct {
	ID      uint32 `json:"id"`
	OID     uint32 `json:"oid"`
	Name    string `json:"name"`
	Columns []int  `json:"cols"` // positions in Table.Columns
	Desc    []bool `json:"desc,omitempty"`
	// NullsFirst is each column's NULLS FIRST; when empty, NULLs come
	// first in DESC columns and last in ASC ones (PostgreSQL's default).
	NullsFirst []bool `json:"nullsfirst,omitempty"`
	Unique     bool   `json:"unique,omitempty"`
	Primary    bool   `json:"primary,omitempty"`
	// NullsNotDistinct: a unique index where NULL equals NULL (UNIQUE NULLS
	// NOT DISTINCT, PostgreSQL 15).
	NullsNotDistinct bool `json:"nullsnotdistinct,omitempty"`
	// Include are the INCLUDE columns: not part of the key, not stored in
	// the entries (no index-only scans read them), kept for the catalogs.
	Include []int `json:"include,omitempty"`
	// Constraint: the index backs a PRIMARY KEY or UNIQUE constraint of
	// the same name (rather than a plain CREATE INDEX).
	Constraint    bool   `json:"constraint,omitempty"`
	ConstraintOID uint32 `json:"conoid,omitempty"`
	// Predicate is a partial index's WHERE (SQL text): only rows for
	// which it is true have entries, and uniqueness holds among them.
	Predicate string `json:"pred,omitempty"`
	// PredCols are the columns the predicate reads.
	PredCols []int `json:"predcols,omitempty"`
	// Exprs: expression key columns (indexexpr.go); empty for an index of
	// plain columns.
	Exprs  []IndexExpr `json:"exprs,omitempty"`
	Method string      `json:"method,omitempty"`
	// TSConfig marks a GIN index on to_tsvector(TSConfig, Columns[0]) (a
	// regconfig OID); 0 with Method "gin" indexes the tsvector column
	// Columns[0] itself. See sql/ddl_gin.go.
	TSConfig uint32 `json:"tscfg,omitempty"`
	// GIN is set when the indexed expression is to_tsvector('config', e)
	// with e more than a column (catalog/gin.go).
	GIN *GINExpr `json:"gin,omitempty"`
}

// Check is a CHECK constraint.
type Check struct {
	OID  uint32 `json:"oid"`
	Name string `json:"name"`
	Expr string `json:"expr"`
}

// Foreign key actions, as pg_constraint.confdeltype/confupdtype.
const (
	FKNoAction   = 'a'
	FKRestrict   = 'r'
	FKCascade    = 'c'
	FKSetNull    = 'n'
	FKSetDefault = 'd'
)

// ForeignKey is a FOREIGN KEY constraint of a table (the referencing side).
type ForeignKey struct {
	OID      uint32 `json:"oid"`
	Name     string `json:"name"`
	Cols     []int  `json:"cols"`     // positions in this table
	RefTable uint32 `json:"reftable"` // the referenced table
	RefCols  []int  `json:"refcols"`  // positions there (a primary key or unique index)
	OnDelete byte   `json:"ondelete"`
	OnUpdate byte   `json:"onupdate"`
	// Deferrable: SET CONSTRAINTS may defer the check to commit;
	// InitDeferred: it is deferred unless SET CONSTRAINTS says otherwise.
	Deferrable   bool `json:"deferrable,omitempty"`
	InitDeferred bool `json:"initdeferred,omitempty"`
}

// Relation kinds, as pg_class.relkind.
const (
	RelTable    = 'r'
	RelView     = 'v'
	RelMatView  = 'm'
	RelIndex    = 'i'
	RelSequence = 'S'
)

// Table is a table (or a view, whose Query is set).
type Table struct {
	OID     uint32   `json:"oid"`
	Schema  uint32   `json:"schema"`
	Name    string   `json:"name"`
	Kind    byte     `json:"kind"`
	Owner   uint32   `json:"owner"`
	Columns []Column `json:"cols"`
	// Primary is index ID 1: the row storage. Its Columns are the primary
	// key, or the hidden row-id column.
	Primary Index   `json:"primary"`
	Indexes []Index `json:"indexes,omitempty"`
	Checks  []Check `json:"checks,omitempty"`
	// ForeignKeys this table declares (it references other tables).
	ForeignKeys []ForeignKey `json:"fks,omitempty"`
	// NextIndexID numbers new indexes of this table.
	NextIndexID uint32            `json:"nextindex"`
	Options     map[string]string `json:"options,omitempty"`
	Query       string            `json:"query,omitempty"` // views
	Deps        []uint32          `json:"deps,omitempty"`  // views: the relations the query reads
	// ColDeps: views, the (relation, attnum) pairs the query reads
	// (pg_depend rows with refobjsubid); ColDepsKnown is false for views
	// stored before they were recorded, which then depend on every
	// column of the relations in Deps.
	ColDeps      []ColDep `json:"coldeps,omitempty"`
	ColDepsKnown bool     `json:"coldeps_known,omitempty"`
	// Unpopulated: a materialized view created or refreshed WITH NO DATA
	// (pg_class.relispopulated false); selecting from it is 55000.
	Unpopulated bool   `json:"unpopulated,omitempty"`
	Comment     string `json:"comment,omitempty"`
	// ReplIdent is pg_class.relreplident (ALTER TABLE ... REPLICA
	// IDENTITY): 0 or 'd' default (the primary key), 'f' full, 'n' nothing.
	ReplIdent byte `json:"replident,omitempty"`
	// RowWriteTime: every stored row value of the table ends with its
	// write time (8 bytes, little-endian microseconds since 2000-01-01
	// UTC), which ttl_expire_after counts from. Set when the option is
	// first given (existing rows are rewritten then) and never cleared,
	// so a value's layout never depends on the option's history
	// (executor/ttl.go).
	RowWriteTime bool `json:"rowwritetime,omitempty"`
}

// HasPrimaryKey reports whether the row storage is keyed by a declared key.
func (t *Table) HasPrimaryKey() bool { return t.Primary.Primary }

// ColumnByName finds a live column.
func (t *Table) ColumnByName(name string) (int, *Column) {
	for i := range t.Columns {
		c := &t.Columns[i]
		if !c.Dropped && !c.Hidden && c.Name == name {
			return i, c
		}
	}
	return -1, nil
}

// VisibleColumns returns the positions of the columns SELECT * shows.
func (t *Table) VisibleColumns() []int {
	out := make([]int, 0, len(t.Columns))
	for i := range t.Columns {
		if !t.Columns[i].Dropped && !t.Columns[i].Hidden {
			out = append(out, i)
		}
	}
	return out
}

// ColumnTypes returns every column's type, dropped ones included, in
// storage order: what row encoding needs.
func (t *Table) ColumnTypes() []types.Type {
	out := make([]types.Type, len(t.Columns))
	for i := range t.Columns {
		out[i] = t.Columns[i].Type
	}
	return out
}

// IndexByName finds an index (or the primary key) by name.
func (t *Table) IndexByName(name string) *Index {
	if t.Primary.Primary && t.Primary.Name == name {
		return &t.Primary
	}
	for i := range t.Indexes {
		if t.Indexes[i].Name == name {
			return &t.Indexes[i]
		}
	}
	return nil
}

// Clone deep-copies the table for modification by DDL.
func (t *Table) Clone() *Table {
	c := *t
	c.Columns = append([]Column(nil), t.Columns...)
	c.Primary = t.Primary.clone()
	c.Indexes = make([]Index, len(t.Indexes))
	for i := range t.Indexes {
		c.Indexes[i] = t.Indexes[i].clone()
	}
	c.Checks = append([]Check(nil), t.Checks...)
	c.ForeignKeys = make([]ForeignKey, len(t.ForeignKeys))
	for i, fk := range t.ForeignKeys {
		fk.Cols = append([]int(nil), fk.Cols...)
		fk.RefCols = append([]int(nil), fk.RefCols...)
		c.ForeignKeys[i] = fk
	}
	if t.Options != nil {
		c.Options = make(map[string]string, len(t.Options))
		for k, v := range t.Options {
			c.Options[k] = v
		}
	}
	return &c
}

func (ix Index) clone() Index {
	ix.Columns = append([]int(nil), ix.Columns...)
	ix.Desc = append([]bool(nil), ix.Desc...)
	ix.Exprs = append([]IndexExpr(nil), ix.Exprs...)
	if ix.NullsFirst != nil {
		ix.NullsFirst = append([]bool(nil), ix.NullsFirst...)
	}
	return ix
}

// ColDesc reports whether key column i of the index is DESC.
func (ix *Index) ColDesc(i int) bool { return i < len(ix.Desc) && ix.Desc[i] }

// ColNullsFirst reports whether key column i of the index sorts NULLs
// first.
func (ix *Index) ColNullsFirst(i int) bool {
	if i < len(ix.NullsFirst) {
		return ix.NullsFirst[i]
	}
	return ix.ColDesc(i)
}

// Sequence is a sequence (CREATE SEQUENCE, serial, identity).
type Sequence struct {
	OID       uint32     `json:"oid"`
	Schema    uint32     `json:"schema"`
	Name      string     `json:"name"`
	Owner     uint32     `json:"owner"`
	Type      types.Type `json:"type"`
	Start     int64      `json:"start"`
	Increment int64      `json:"inc"`
	Min       int64      `json:"min"`
	Max       int64      `json:"max"`
	Cache     int64      `json:"cache"`
	Cycle     bool       `json:"cycle,omitempty"`
	// OwnedBy is the table and column position the sequence belongs to
	// (serial and identity columns); dropped with it.
	OwnedByTable  uint32 `json:"ownedtable,omitempty"`
	OwnedByColumn int16  `json:"ownedcol,omitempty"`
}

// ColDep is one column a view's query reads.
type ColDep struct {
	Rel    uint32 `json:"rel"`
	Attnum int16  `json:"att"`
}

// DependsOnColumn reports whether view v reads column attnum of
// relation rel.
func (v *Table) DependsOnColumn(rel uint32, attnum int16) bool {
	if !v.ColDepsKnown {
		for _, d := range v.Deps {
			if d == rel {
				return true
			}
		}
		return false
	}
	for _, d := range v.ColDeps {
		if d.Rel == rel && d.Attnum == attnum {
			return true
		}
	}
	return false
}
