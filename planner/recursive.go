package planner

import (
	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
)

// recursive plans a WITH RECURSIVE query: the recursive term's work table
// scans share the RecursiveUnion's row buffer.
func recursive(r *bound.RecursiveRel, alias string) (executor.Node, error) {
	table := &executor.WorkTable{}
	r.Work.Plan = table
	nonRec, err := Select(r.NonRec)
	if err != nil {
		return nil, err
	}
	rec, err := Select(r.Rec)
	if err != nil {
		return nil, err
	}
	u := &executor.RecursiveUnion{NonRec: nonRec, Rec: rec, All: r.All, Width: len(r.Types), Table: table}
	return &executor.CTEScan{Name: relName(r.Name, alias), CTE: r.Name, Input: u}, nil
}

// workTableScan plans the recursive self-reference. Unaliased, it is
// named as PostgreSQL names the second reference to the same name in
// EXPLAIN: "w w_1" (the outer query's reference is usually the first).
func workTableScan(r *bound.WorkTableRel, where bound.Expr) executor.Node {
	table, _ := r.Work.Plan.(*executor.WorkTable)
	alias := r.Alias
	if alias == r.Work.Name {
		alias += "_1"
	}
	s := &executor.WorkTableScan{Name: relName(r.Work.Name, alias), Table: table}
	if where != nil {
		s.Pred, s.Text = executor.Compile(where), bound.Format(where)
	}
	return s
}

func relName(name, alias string) string {
	if alias == "" || alias == name {
		return name
	}
	return name + " " + alias
}
