package catalog

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"sync/atomic"

	"github.com/prkdb/prkdb-sql/kv"
)

// Catalog is every schema object on the node. Published values are
// immutable; DDL mutates a Clone and the engine publishes it at commit.
type Catalog struct {
	Version uint64
	// gen changes with every mutation (and every clone), so a plan built
	// against one catalog state can tell it is stale.
	gen uint64

	databases map[uint32]*Database
	schemas   map[uint32]*Schema
	roles     map[uint32]*Role
	tables    map[uint32]*Table
	sequences map[uint32]*Sequence
	// publications: CREATE PUBLICATION (publication.go).
	publications map[uint32]*Publication
	// relations maps schema OID -> relation name -> OID for every relation
	// kind (tables, views, sequences, indexes share one namespace).
	relations map[uint32]map[string]uint32
	// indexTable maps an index's OID to its table's OID.
	indexTable map[uint32]uint32
	nextOID    uint32

	dirty map[dirtyKey]bool // set on clones only: descriptors to write at commit
}

type dirtyKey struct {
	kind byte
	oid  uint32
}

// New returns an empty catalog.
func New() *Catalog {
	return &Catalog{gen: nextGen(),
		databases: map[uint32]*Database{}, schemas: map[uint32]*Schema{}, roles: map[uint32]*Role{},
		tables: map[uint32]*Table{}, sequences: map[uint32]*Sequence{}, publications: map[uint32]*Publication{},
		relations: map[uint32]map[string]uint32{}, indexTable: map[uint32]uint32{}, nextOID: FirstUserOID,
	}
}

// Clone returns a modifiable copy sharing the (immutable) objects.
func (c *Catalog) Clone() *Catalog {
	n := &Catalog{Version: c.Version, nextOID: c.nextOID, dirty: map[dirtyKey]bool{}, gen: nextGen()}
	for k, v := range c.dirty {
		n.dirty[k] = v
	}
	n.databases = cloneMap(c.databases)
	n.schemas = cloneMap(c.schemas)
	n.roles = cloneMap(c.roles)
	n.tables = cloneMap(c.tables)
	n.sequences = cloneMap(c.sequences)
	n.publications = cloneMap(c.publications)
	n.indexTable = cloneMap(c.indexTable)
	n.relations = make(map[uint32]map[string]uint32, len(c.relations))
	for k, v := range c.relations {
		n.relations[k] = cloneMap(v)
	}
	return n
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

var genCounter atomic.Uint64

func nextGen() uint64 { return genCounter.Add(1) }

// Gen identifies this catalog state; it changes with every mutation.
func (c *Catalog) Gen() uint64 { return c.gen }

func (c *Catalog) touch(kind byte, oid uint32) {
	c.dirty[dirtyKey{kind, oid}] = true
	c.gen = nextGen()
}

// Modified reports whether a clone has changes to persist.
func (c *Catalog) Modified() bool { return len(c.dirty) > 0 }

// AllocOID assigns a new object OID.
func (c *Catalog) AllocOID() uint32 {
	o := c.nextOID
	c.nextOID++
	c.touch(kindNextOID, 0)
	return o
}

// --- lookups ---

func (c *Catalog) Database(oid uint32) *Database { return c.databases[oid] }

func (c *Catalog) DatabaseByName(name string) *Database {
	for _, d := range c.databases {
		if d.Name == name {
			return d
		}
	}
	return nil
}

func (c *Catalog) Databases() []*Database {
	return sortedValues(c.databases, func(d *Database) uint32 { return d.OID })
}

func (c *Catalog) Schema(oid uint32) *Schema { return c.schemas[oid] }

func (c *Catalog) SchemaByName(db uint32, name string) *Schema {
	for _, s := range c.schemas {
		if s.Database == db && s.Name == name {
			return s
		}
	}
	return nil
}

// Schemas lists the schemas of database db.
func (c *Catalog) Schemas(db uint32) []*Schema {
	var out []*Schema
	for _, s := range sortedValues(c.schemas, func(s *Schema) uint32 { return s.OID }) {
		if s.Database == db {
			out = append(out, s)
		}
	}
	return out
}

func (c *Catalog) Role(oid uint32) *Role { return c.roles[oid] }

func (c *Catalog) RoleByName(name string) *Role {
	for _, r := range c.roles {
		if r.Name == name {
			return r
		}
	}
	return nil
}

func (c *Catalog) Roles() []*Role {
	return sortedValues(c.roles, func(r *Role) uint32 { return r.OID })
}

func (c *Catalog) Table(oid uint32) *Table { return c.tables[oid] }

func (c *Catalog) Sequence(oid uint32) *Sequence { return c.sequences[oid] }

// Relation finds a relation by schema and name: its OID and kind.
func (c *Catalog) Relation(schema uint32, name string) (uint32, byte, bool) {
	oid, ok := c.relations[schema][name]
	if !ok {
		return 0, 0, false
	}
	switch {
	case c.tables[oid] != nil:
		return oid, c.tables[oid].Kind, true
	case c.sequences[oid] != nil:
		return oid, RelSequence, true
	default:
		return oid, RelIndex, true
	}
}

// IndexOwner returns the table an index OID belongs to.
func (c *Catalog) IndexOwner(indexOID uint32) (*Table, *Index) {
	t := c.tables[c.indexTable[indexOID]]
	if t == nil {
		return nil, nil
	}
	if t.Primary.OID == indexOID {
		return t, &t.Primary
	}
	for i := range t.Indexes {
		if t.Indexes[i].OID == indexOID {
			return t, &t.Indexes[i]
		}
	}
	return nil, nil
}

// Tables lists the tables and views of schema (all schemas if 0), by OID.
func (c *Catalog) Tables(schema uint32) []*Table {
	var out []*Table
	for _, t := range sortedValues(c.tables, func(t *Table) uint32 { return t.OID }) {
		if schema == 0 || t.Schema == schema {
			out = append(out, t)
		}
	}
	return out
}

// Sequences lists sequences of schema (all if 0).
func (c *Catalog) Sequences(schema uint32) []*Sequence {
	var out []*Sequence
	for _, s := range sortedValues(c.sequences, func(s *Sequence) uint32 { return s.OID }) {
		if schema == 0 || s.Schema == schema {
			out = append(out, s)
		}
	}
	return out
}

// DatabaseOf returns the database a schema belongs to.
func (c *Catalog) DatabaseOf(schema uint32) uint32 {
	if s := c.schemas[schema]; s != nil {
		return s.Database
	}
	return 0
}

func sortedValues[V any](m map[uint32]V, key func(V) uint32) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

// --- mutations (clones only) ---

func (c *Catalog) PutDatabase(d *Database) {
	c.databases[d.OID] = d
	c.touch(kindDatabase, d.OID)
}

func (c *Catalog) DropDatabase(oid uint32) {
	delete(c.databases, oid)
	c.touch(kindDatabase, oid)
}

func (c *Catalog) PutSchema(s *Schema) {
	c.schemas[s.OID] = s
	c.touch(kindSchema, s.OID)
}

func (c *Catalog) DropSchema(oid uint32) {
	delete(c.schemas, oid)
	delete(c.relations, oid)
	c.touch(kindSchema, oid)
}

func (c *Catalog) PutRole(r *Role) {
	c.roles[r.OID] = r
	c.touch(kindRole, r.OID)
}

func (c *Catalog) DropRole(oid uint32) {
	delete(c.roles, oid)
	c.touch(kindRole, oid)
}

// PutTable inserts or replaces a table (a new *Table value: published
// tables are never modified in place).
func (c *Catalog) PutTable(t *Table) {
	if old := c.tables[t.OID]; old != nil {
		c.unindexTable(old)
	}
	c.tables[t.OID] = t
	c.indexTableNames(t)
	c.touch(kindTable, t.OID)
}

func (c *Catalog) DropTable(oid uint32) {
	if old := c.tables[oid]; old != nil {
		c.unindexTable(old)
	}
	delete(c.tables, oid)
	c.touch(kindTable, oid)
}

func (c *Catalog) rels(schema uint32) map[string]uint32 {
	m := c.relations[schema]
	if m == nil {
		m = map[string]uint32{}
		c.relations[schema] = m
	}
	return m
}

func (c *Catalog) indexTableNames(t *Table) {
	m := c.rels(t.Schema)
	m[t.Name] = t.OID
	if t.Primary.Primary {
		m[t.Primary.Name] = t.Primary.OID
		c.indexTable[t.Primary.OID] = t.OID
	}
	for _, ix := range t.Indexes {
		m[ix.Name] = ix.OID
		c.indexTable[ix.OID] = t.OID
	}
}

func (c *Catalog) unindexTable(t *Table) {
	m := c.rels(t.Schema)
	delete(m, t.Name)
	if t.Primary.Primary {
		delete(m, t.Primary.Name)
		delete(c.indexTable, t.Primary.OID)
	}
	for _, ix := range t.Indexes {
		delete(m, ix.Name)
		delete(c.indexTable, ix.OID)
	}
}

func (c *Catalog) PutSequence(s *Sequence) {
	if old := c.sequences[s.OID]; old != nil {
		delete(c.rels(old.Schema), old.Name)
	}
	c.sequences[s.OID] = s
	c.rels(s.Schema)[s.Name] = s.OID
	c.touch(kindSequence, s.OID)
}

func (c *Catalog) DropSequence(oid uint32) {
	if old := c.sequences[oid]; old != nil {
		delete(c.rels(old.Schema), old.Name)
	}
	delete(c.sequences, oid)
	c.touch(kindSequence, oid)
}

// --- persistence ---

// Persist writes every changed descriptor into txn (the DDL transaction's
// own kv transaction), so schema and data commit in one record.
func (c *Catalog) Persist(txn *kv.Txn) error {
	for dk := range c.dirty {
		key := metaKey(dk.kind, dk.oid)
		var obj any
		switch dk.kind {
		case kindDatabase:
			obj = c.databases[dk.oid]
		case kindSchema:
			obj = c.schemas[dk.oid]
		case kindRole:
			obj = c.roles[dk.oid]
		case kindTable:
			obj = c.tables[dk.oid]
		case kindSequence:
			obj = c.sequences[dk.oid]
		case kindPublication:
			obj = c.publications[dk.oid]
		case kindNextOID:
			txn.Put(key, binary.BigEndian.AppendUint32(nil, c.nextOID))
			continue
		}
		if isNil(obj) {
			txn.Delete(key)
			continue
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return err
		}
		txn.Put(key, b)
	}
	return nil
}

func isNil(v any) bool {
	switch x := v.(type) {
	case *Database:
		return x == nil
	case *Schema:
		return x == nil
	case *Role:
		return x == nil
	case *Table:
		return x == nil
	case *Sequence:
		return x == nil
	case *Publication:
		return x == nil
	}
	return v == nil
}

// Published returns a copy for publication: no dirty set, version bumped.
func (c *Catalog) Published() *Catalog {
	c.dirty = nil
	c.Version++
	return c
}

// Load reads the catalog from kv at txn's snapshot.
func Load(txn *kv.Txn) (*Catalog, error) {
	c := New()
	it := txn.Scan(kv.ScanOptions{Prefix: []byte{prefixMeta}})
	defer it.Close()
	for it.Next() {
		k, v := it.Key(), it.Value()
		if len(k) < 2 {
			continue
		}
		var err error
		switch k[1] {
		case kindNextOID:
			if len(v) == 4 {
				c.nextOID = binary.BigEndian.Uint32(v)
			}
		case kindDatabase:
			d := &Database{}
			if err = json.Unmarshal(v, d); err == nil {
				c.databases[d.OID] = d
			}
		case kindSchema:
			s := &Schema{}
			if err = json.Unmarshal(v, s); err == nil {
				c.schemas[s.OID] = s
			}
		case kindRole:
			r := &Role{}
			if err = json.Unmarshal(v, r); err == nil {
				c.roles[r.OID] = r
			}
		case kindTable:
			t := &Table{}
			if err = json.Unmarshal(v, t); err == nil {
				c.tables[t.OID] = t
				c.indexTableNames(t)
			}
		case kindSequence:
			s := &Sequence{}
			if err = json.Unmarshal(v, s); err == nil {
				c.sequences[s.OID] = s
				c.rels(s.Schema)[s.Name] = s.OID
			}
		case kindPublication:
			p := &Publication{}
			if err = json.Unmarshal(v, p); err == nil {
				c.publications[p.OID] = p
			}
		}
		if err != nil {
			return nil, fmt.Errorf("catalog: descriptor %q: %w", k, err)
		}
	}
	return c, it.Err()
}

// Bootstrap fills an empty catalog as initdb does: the superuser role
// postgres, the database postgres and its public schema, and the template
// databases template1 and template0 (which psql's \l lists).
func (c *Catalog) Bootstrap() {
	c.PutRole(&Role{OID: PostgresRoleOID, Name: "postgres", Superuser: true, Login: true, ConnLimit: -1,
		CreateRole: true, CreateDB: true, Replication: true, BypassRLS: true})
	c.PutDatabase(&Database{OID: PostgresDatabaseOID, Name: "postgres", Owner: PostgresRoleOID})
	c.PutSchema(&Schema{OID: PublicSchemaOID, Database: PostgresDatabaseOID, Name: "public", Owner: PostgresRoleOID})
	c.PutDatabase(&Database{OID: Template1OID, Name: "template1", Owner: PostgresRoleOID, Template: true})
	c.PutSchema(&Schema{OID: c.AllocOID(), Database: Template1OID, Name: "public", Owner: PostgresRoleOID})
	c.PutDatabase(&Database{OID: Template0OID, Name: "template0", Owner: PostgresRoleOID, Template: true, NoConnections: true})
	c.PutSchema(&Schema{OID: c.AllocOID(), Database: Template0OID, Name: "public", Owner: PostgresRoleOID})
}

// ReferencingKeys lists the foreign keys (and their tables) that reference
// table oid.
func (c *Catalog) ReferencingKeys(oid uint32) []FKRef {
	var out []FKRef
	for _, t := range c.Tables(0) {
		for i := range t.ForeignKeys {
			if t.ForeignKeys[i].RefTable == oid {
				out = append(out, FKRef{Table: t, FK: &t.ForeignKeys[i], Refs: c.ReferencingKeys})
			}
		}
	}
	return out
}

// FKRef is a foreign key together with the table declaring it.
type FKRef struct {
	Table *Table
	FK    *ForeignKey
	// Refs looks up the keys referencing another table in the same
	// catalog (cascades follow them).
	Refs func(oid uint32) []FKRef
}

// KeyIndex finds the primary key or unique index of t exactly on cols (in
// any order), which a foreign key can reference.
func (t *Table) KeyIndex(cols []int) *Index {
	same := func(ix *Index) bool {
		if !ix.Unique || len(ix.Columns) != len(cols) || ix.Predicate != "" {
			return false
		}
		for _, c := range cols {
			found := false
			for _, ic := range ix.Columns {
				found = found || ic == c
			}
			if !found {
				return false
			}
		}
		return true
	}
	if t.Primary.Primary && same(&t.Primary) {
		return &t.Primary
	}
	for i := range t.Indexes {
		if same(&t.Indexes[i]) {
			return &t.Indexes[i]
		}
	}
	return nil
}
