package planner

import (
	"sort"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
)

// Insert plans INSERT.
func Insert(ins *bound.Insert) (executor.Writer, error) {
	src, err := Select(ins.Source)
	if err != nil {
		return nil, err
	}
	if err := planSubqueries(append(append([]bound.Expr{}, ins.Defaults...), targetExprs(ins.Returning)...)...); err != nil {
		return nil, err
	}
	n := &executor.Insert{Codec: executor.NewTableCodec(ins.Table), Source: src, Columns: ins.Columns, HiddenRowID: -1}
	n.Defaults = make([]executor.Eval, len(ins.Table.Columns))
	for i, d := range ins.Defaults {
		if d != nil {
			n.Defaults[i] = executor.Compile(d)
		}
	}
	for i, c := range ins.Table.Columns {
		if c.Hidden {
			n.HiddenRowID = i
		}
	}
	n.Checks = checks(ins.Checks)
	n.Returning = returning(ins.Returning)
	n.FKParents = fkParents(ins.Table, ins.Parents)
	n.Generated = compileOptional(ins.Generated)
	if oc := ins.OnConflict; oc != nil {
		if err := planSubqueries(append([]bound.Expr{oc.Where}, mapExprs(oc.Set)...)...); err != nil {
			return nil, err
		}
		conf := &executor.OnConflict{DoNothing: oc.DoNothing}
		conf.Codec, conf.Checks, conf.FKParents, conf.FKChildren = n.Codec, n.Checks, n.FKParents, fkChildren(ins.Children, ins.FKDefaults)
		conf.Generated = n.Generated
		if oc.Index != nil {
			if oc.Index.ID == catalog.PrimaryIndexID {
				conf.Primary = true
			}
			for i := range n.Codec.Indexes {
				if n.Codec.Indexes[i].Index.ID == oc.Index.ID {
					conf.Arbiter = &n.Codec.Indexes[i]
				}
			}
		}
		conf.Set = setItems(oc.Set)
		if oc.Where != nil {
			conf.Where = executor.Compile(oc.Where)
		}
		n.Conflict = conf
	}
	costModify(n, src)
	return n, nil
}

func mapExprs(m map[int]bound.Expr) []bound.Expr {
	out := make([]bound.Expr, 0, len(m))
	for _, e := range m {
		out = append(out, e)
	}
	return out
}

// setItems compiles SET assignments in column order.
func setItems(m map[int]bound.Expr) []executor.SetItem {
	cols := make([]int, 0, len(m))
	for c := range m {
		cols = append(cols, c)
	}
	sort.Ints(cols)
	out := make([]executor.SetItem, len(cols))
	for i, c := range cols {
		out[i] = executor.SetItem{Col: c, Expr: executor.Compile(m[c])}
	}
	return out
}

// fkParents builds the checks of t's foreign keys.
func fkParents(t *catalog.Table, parents map[uint32]*catalog.Table) []executor.FKParent {
	var out []executor.FKParent
	for _, fk := range t.ForeignKeys {
		p := parents[fk.RefTable]
		if p == nil {
			continue
		}
		out = append(out, fkParent(&fk, p))
	}
	return out
}

// fkParent builds the check that a row's key fk exists in p.
func fkParent(fk *catalog.ForeignKey, p *catalog.Table) executor.FKParent {
	pc := executor.NewTableCodec(p)
	ix := p.KeyIndex(fk.RefCols)
	chk := executor.FKParent{OID: fk.OID, Name: fk.Name, Parent: pc, KeyCols: ix.Columns,
		Deferrable: fk.Deferrable, InitDeferred: fk.InitDeferred}
	// Child columns in the order of the referenced key's columns.
	for _, kc := range ix.Columns {
		for i, rc := range fk.RefCols {
			if rc == kc {
				chk.Cols = append(chk.Cols, fk.Cols[i])
			}
		}
	}
	if ix.ID != catalog.PrimaryIndexID {
		for i := range pc.Indexes {
			if pc.Indexes[i].Index.ID == ix.ID {
				chk.Index = &pc.Indexes[i]
			}
		}
	}
	return chk
}

func fkChildren(refs []catalog.FKRef, defaults map[uint32][]bound.Expr) []executor.FKChild {
	var out []executor.FKChild
	for _, r := range refs {
		ch := executor.FKChild{Name: r.FK.Name, Child: executor.NewTableCodec(r.Table), Cols: r.FK.Cols,
			RefCols: r.FK.RefCols, OnDelete: r.FK.OnDelete, OnUpdate: r.FK.OnUpdate, Grandchildren: grandchildren(r, defaults)}
		setDefaultAction(&ch, r, defaults)
		ch.OID, ch.Deferrable, ch.InitDeferred = r.FK.OID, r.FK.Deferrable, r.FK.InitDeferred
		out = append(out, ch)
	}
	return out
}

// grandchildren builds, on first use, the foreign keys referencing the
// child table of r (cascades follow them).
func grandchildren(r catalog.FKRef, defaults map[uint32][]bound.Expr) func() []executor.FKChild {
	var memo []executor.FKChild
	done := false
	return func() []executor.FKChild {
		if !done && r.Refs != nil {
			done = true
			memo = fkChildren(r.Refs(r.Table.OID), defaults)
		}
		return memo
	}
}

// Update plans UPDATE.
func Update(u *bound.Update) (executor.Writer, error) {
	exprs := append([]bound.Expr{u.Scan.Where}, targetExprs(u.Returning)...)
	for _, e := range u.Set {
		exprs = append(exprs, e)
	}
	if err := planSubqueries(exprs...); err != nil {
		return nil, err
	}
	n := &executor.Update{}
	codec := executor.NewTableCodec(u.Table)
	if sr, ok := u.Scan.From.(*bound.ScanRel); ok {
		n.Scan = dmlScan(sr, u.Scan.Where)
		codec = n.Scan.Codec
	} else {
		in, err := rel(u.Scan.From, u.Scan.Where)
		if err != nil {
			return nil, err
		}
		n.Input = in
	}
	n.Codec, n.Checks, n.FKParents, n.FKChildren = codec, checks(u.Checks), fkParents(u.Table, u.Parents), fkChildren(u.Children, u.FKDefaults)
	n.Generated = compileOptional(u.Generated)
	n.Returning = returning(u.Returning)
	n.Set = setItems(u.Set)
	costModify(n, modifySource(n.Scan, n.Input))
	return n, nil
}

// Delete plans DELETE.
func Delete(d *bound.Delete) (executor.Writer, error) {
	if err := planSubqueries(append([]bound.Expr{d.Scan.Where}, targetExprs(d.Returning)...)...); err != nil {
		return nil, err
	}
	n := &executor.Delete{Codec: executor.NewTableCodec(d.Table), FKChildren: fkChildren(d.Children, d.FKDefaults)}
	if sr, ok := d.Scan.From.(*bound.ScanRel); ok {
		n.Scan = dmlScan(sr, d.Scan.Where)
		n.Codec = n.Scan.Codec
	} else {
		in, err := rel(d.Scan.From, d.Scan.Where)
		if err != nil {
			return nil, err
		}
		n.Input = in
	}
	n.Returning = returning(d.Returning)
	costModify(n, modifySource(n.Scan, n.Input))
	return n, nil
}

// modifySource is the node feeding an UPDATE or DELETE.
func modifySource(s *executor.Scan, in executor.Node) executor.Node {
	if s != nil {
		return s
	}
	return in
}

func checks(cs []bound.CheckExpr) []executor.CheckEval {
	out := make([]executor.CheckEval, len(cs))
	for i, c := range cs {
		out[i] = executor.CheckEval{Name: c.Name, Eval: executor.Compile(c.Expr)}
	}
	return out
}

func returning(ts []bound.Target) []executor.Eval {
	if ts == nil {
		return nil
	}
	out := make([]executor.Eval, len(ts))
	for i, t := range ts {
		out[i] = executor.Compile(t.Expr)
	}
	return out
}

func targetExprs(ts []bound.Target) []bound.Expr {
	out := make([]bound.Expr, len(ts))
	for i, t := range ts {
		out[i] = t.Expr
	}
	return out
}

// compileOptional compiles per-column expressions, keeping nil entries.
func compileOptional(es []bound.Expr) []executor.Eval {
	if es == nil {
		return nil
	}
	out := make([]executor.Eval, len(es))
	for i, e := range es {
		if e != nil {
			out[i] = executor.Compile(e)
		}
	}
	return out
}
