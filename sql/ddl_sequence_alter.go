package sql

import (
	"fmt"
	"math"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// alterSequenceOptions applies ALTER SEQUENCE's options (sql-altersequence.html)
// to seq: INCREMENT, [NO] MINVALUE/MAXVALUE, START, RESTART [WITH], CACHE,
// [NO] CYCLE, AS and OWNED BY. It returns the value a RESTART asks for (nil
// without one); the caller applies it after the catalog change. The bounds
// are checked as PostgreSQL's init_params does.
func (s *Session) alterSequenceOptions(cat *catalog.Catalog, seq *catalog.Sequence, opts []*pg_query.Node) (*int64, error) {
	var restart *int64
	bits := map[uint32]int{types.Int2OID: 16, types.Int4OID: 32, types.Int8OID: 64}[seq.Type.OID]
	noMin, noMax := false, false
	for _, o := range opts {
		de := o.GetDefElem()
		iv, hasVal := defElemInt(de)
		switch de.Defname {
		case "increment":
			if iv == 0 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "INCREMENT must not be zero")
			}
			seq.Increment = iv
		case "minvalue":
			if hasVal {
				seq.Min = iv
			} else {
				noMin = true
			}
		case "maxvalue":
			if hasVal {
				seq.Max = iv
			} else {
				noMax = true
			}
		case "start":
			seq.Start = iv
		case "restart":
			v := seq.Start
			if hasVal {
				v = iv
			}
			restart = &v
		case "cache":
			if iv <= 0 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "CACHE (%d) must be greater than zero", iv)
			}
			seq.Cache = iv
		case "cycle":
			seq.Cycle = de.Arg == nil || de.Arg.GetBoolean().GetBoolval()
		case "as":
			b := newBinder(s, nil)
			t, err := b.typeName(de.Arg.GetTypeName())
			if err != nil {
				return nil, err
			}
			nb := map[uint32]int{types.Int2OID: 16, types.Int4OID: 32, types.Int8OID: 64}[t.OID]
			if nb == 0 {
				return nil, pgerror.New(pgerror.InvalidParameterValue, "sequence type must be smallint, integer, or bigint")
			}
			// Bounds that were the old type's defaults follow the new type.
			oldMin, oldMax := seqDefaultBounds(bits, seq.Increment)
			noMin, noMax = noMin || seq.Min == oldMin, noMax || seq.Max == oldMax
			seq.Type, bits = t, nb
		case "owned_by":
			var err error
			if seq.OwnedByTable, seq.OwnedByColumn, err = s.sequenceOwner(cat, de.Arg.GetList().GetItems()); err != nil {
				return nil, err
			}
		default:
			return nil, pgerror.New(pgerror.SyntaxError, "option \"%s\" not recognized", de.Defname)
		}
	}
	dMin, dMax := seqDefaultBounds(bits, seq.Increment)
	if noMin {
		seq.Min = dMin
	}
	if noMax {
		seq.Max = dMax
	}
	if seq.Min >= seq.Max {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "MINVALUE (%d) must be less than MAXVALUE (%d)", seq.Min, seq.Max)
	}
	if seq.Min < dMin || seq.Max > dMax {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "MAXVALUE (%d) is out of range for sequence data type %s", seq.Max, types.FormatType(seq.Type))
	}
	if seq.Start < seq.Min {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be less than MINVALUE (%d)", seq.Start, seq.Min)
	}
	if seq.Start > seq.Max {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "START value (%d) cannot be greater than MAXVALUE (%d)", seq.Start, seq.Max)
	}
	if restart != nil && *restart < seq.Min {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "RESTART value (%d) cannot be less than MINVALUE (%d)", *restart, seq.Min)
	}
	if restart != nil && *restart > seq.Max {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "RESTART value (%d) cannot be greater than MAXVALUE (%d)", *restart, seq.Max)
	}
	return restart, nil
}

// seqDefaultBounds are PostgreSQL's MINVALUE and MAXVALUE defaults for a
// sequence of the type's width and the increment's direction.
func seqDefaultBounds(bits int, inc int64) (int64, int64) {
	max := int64(math.MaxInt64)
	switch bits {
	case 16:
		max = math.MaxInt16
	case 32:
		max = math.MaxInt32
	}
	if inc < 0 {
		return -max - 1, -1
	}
	return 1, max
}

// defElemInt reads an integer option value (absent for NO MINVALUE etc.).
func defElemInt(de *pg_query.DefElem) (int64, bool) {
	if de.Arg == nil {
		return 0, false
	}
	if c := de.Arg.GetInteger(); c != nil {
		return int64(c.Ival), true
	}
	if f := de.Arg.GetFloat(); f != nil {
		var v int64
		fmt.Sscan(f.Fval, &v)
		return v, true
	}
	return 0, false
}

// renameSequence is ALTER SEQUENCE name RENAME TO new.
func (s *Session) renameSequence(cat *catalog.Catalog, st *pg_query.RenameStmt, w ResultWriter) error {
	oid, kind, ok := s.lookupRelation(cat, st.Relation.Schemaname, st.Relation.Relname)
	if !ok || kind != catalog.RelSequence {
		if !ok && st.MissingOk {
			w.Notice(pgerror.Notice("relation \"%s\" does not exist, skipping", st.Relation.Relname))
			return w.Complete("ALTER SEQUENCE")
		}
		if ok {
			return pgerror.New(pgerror.WrongObjectType, "\"%s\" is not a sequence", st.Relation.Relname)
		}
		return pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", st.Relation.Relname)
	}
	seq := *cat.Sequence(oid)
	if _, _, exists := cat.Relation(seq.Schema, st.Newname); exists {
		return pgerror.New(pgerror.DuplicateTable, "relation \"%s\" already exists", st.Newname)
	}
	seq.Name = st.Newname
	cat.PutSequence(&seq)
	return w.Complete("ALTER SEQUENCE")
}

// setIdentity is ALTER TABLE ... ALTER COLUMN c {SET GENERATED {ALWAYS |
// BY DEFAULT} | SET sequence_option | RESTART [WITH n]} ...: the options go
// to the column's identity sequence.
func (s *Session) setIdentity(cat *catalog.Catalog, t *catalog.Table, col int, opts []*pg_query.Node) error {
	c := &t.Columns[col]
	if c.Identity == 0 {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" is not an identity column", c.Name, t.Name)
	}
	var seqOpts []*pg_query.Node
	for _, o := range opts {
		de := o.GetDefElem()
		if de.Defname == "generated" {
			if iv, ok := defElemInt(de); ok {
				c.Identity = byte(iv)
			}
			continue
		}
		seqOpts = append(seqOpts, o)
	}
	cat.PutTable(t)
	if len(seqOpts) == 0 {
		return nil
	}
	var seq *catalog.Sequence
	for _, sq := range cat.Sequences(t.Schema) {
		if sq.OwnedByTable == t.OID && sq.OwnedByColumn == c.Attnum {
			cp := *sq
			seq = &cp
		}
	}
	if seq == nil {
		return pgerror.New(pgerror.ObjectNotInPrerequisiteState, "column \"%s\" of relation \"%s\" has no identity sequence", c.Name, t.Name)
	}
	restart, err := s.alterSequenceOptions(cat, seq, seqOpts)
	if err != nil {
		return err
	}
	cat.PutSequence(seq)
	if restart != nil {
		return s.e.seqs.set(seq, *restart, false)
	}
	return nil
}
