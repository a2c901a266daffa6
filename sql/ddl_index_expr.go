package sql

import (
	"slices"
	"strconv"

	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// Expression and partial btree indexes. The key expressions and the
// predicate are stored as SQL text (catalog.IndexExpr, Index.Predicate) and
// bound again whenever a codec of the table is built: executor.BindIndexExpr
// is bindStoredIndexExpr, so every writer of the table (DML, COPY, FK
// cascades, rewrites, the TTL sweeper) maintains the entries without
// knowing about expressions.

func init() { executor.BindIndexExpr = bindStoredIndexExpr }

// indexBinder is a binder for stored index expressions, which may read no
// session state (they are immutable); its session exists only to give
// constant folding a clock and default settings.
var indexSession = sync.OnceValue(func() *Session {
	return &Session{types: types.DefaultSettings(), e: &Engine{cfg: Config{Now: time.Now}}}
})

func bindStoredIndexExpr(t *catalog.Table, sql string, want types.Type) (e bound.Expr, err error) {
	// The index binder has no catalog; an expression needing one (a
	// regclass literal) is refused at CREATE INDEX (storedBindable), and
	// anything else unforeseen fails the statement instead of the server.
	defer func() {
		if r := recover(); r != nil {
			e, err = nil, pgerror.New(pgerror.InternalError, "cannot evaluate index expression %s: %v", sql, r)
		}
	}()
	n, err := parseExprText(sql)
	if err != nil {
		return nil, err
	}
	b := &binder{s: indexSession()}
	return b.bindIndexExpr(t, n, want)
}

// bindIndexExpr binds a key expression (want Unknown) or a predicate (want
// bool) over t's storage row.
func (b *binder) bindIndexExpr(t *catalog.Table, n *pg_query.Node, want types.Type) (bound.Expr, error) {
	e, err := b.bindExpr(n, &scope{cols: tableScope(t, t.Name, 0)}, want)
	if err != nil {
		return nil, err
	}
	if want.OID == types.BoolOID {
		if e, err = b.asBool(e, "WHERE"); err != nil {
			return nil, err
		}
	}
	return finalize(e), nil
}

// indexKeyExpr reads one expression key column of CREATE INDEX.
func (s *Session) indexKeyExpr(t *catalog.Table, n *pg_query.Node) (catalog.IndexExpr, error) {
	e, err := newBinder(s, nil).bindIndexExpr(t, n, types.Unknown)
	if err != nil {
		return catalog.IndexExpr{}, err
	}
	if err := indexExprAllowed(e, "index expression"); err != nil {
		return catalog.IndexExpr{}, err
	}
	sqlText, err := deparseExpr(n)
	if err != nil {
		return catalog.IndexExpr{}, err
	}
	if err := storedBindable(t, sqlText, types.Unknown); err != nil {
		return catalog.IndexExpr{}, err
	}
	x := catalog.IndexExpr{SQL: sqlText, Type: e.Type(), Cols: exprColumns(e), Match: bound.Format(e)}
	// The 23505 detail names the key as pg_get_indexdef_columns does, pretty.
	d := &builtins.Deparser{Rels: []builtins.DeparseRel{{Ref: t.Name, Table: t}}, Pretty: true}
	x.Text = builtins.IndexKeyText(d.DeparseExpr(sqlText, x.Type))
	return x, nil
}

// indexPredicate reads the WHERE of a partial index.
func (s *Session) indexPredicate(t *catalog.Table, n *pg_query.Node, ix *catalog.Index) error {
	e, err := newBinder(s, nil).bindIndexExpr(t, n, types.Bool)
	if err != nil {
		return err
	}
	if err := indexExprAllowed(e, "index predicate"); err != nil {
		return err
	}
	sqlText, err := deparseExpr(n)
	if err != nil {
		return err
	}
	if err := storedBindable(t, sqlText, types.Bool); err != nil {
		return err
	}
	ix.Predicate, ix.PredCols = sqlText, exprColumns(e)
	return nil
}

// storedBindable checks that the stored text binds as codecs will bind
// it, with no session or catalog.
func storedBindable(t *catalog.Table, sql string, want types.Type) error {
	if _, err := bindStoredIndexExpr(t, sql, want); err != nil {
		return pgerror.New(pgerror.FeatureNotSupported, "index expression or predicate %s is not supported: %v", sql, err)
	}
	return nil
}

// indexExprAllowed refuses what PostgreSQL refuses in index expressions
// and predicates: subqueries, aggregates, and functions that are not
// immutable (their entries could not be found again).
func indexExprAllowed(e bound.Expr, what string) error {
	var bad error
	bound.Walk(e, func(x bound.Expr) bool {
		switch x := x.(type) {
		case *bound.Subquery:
			bad = pgerror.New(pgerror.FeatureNotSupported, "cannot use subquery in %s", what)
		case *bound.AggRef:
			bad = pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in %ss", what)
		case *bound.Call:
			if x.Volatile || stableFuncs[x.Name] {
				bad = pgerror.New(pgerror.InvalidObjectDefinition, "functions in %s must be marked IMMUTABLE", what)
			}
		}
		return bad == nil
	})
	return bad
}

// stableFuncs are functions whose result depends on the session or the
// time, which PostgreSQL marks STABLE (not volatile, so Call.Volatile does
// not say it).
var stableFuncs = map[string]bool{"now": true, "current_timestamp": true, "statement_timestamp": true,
	"transaction_timestamp": true, "localtimestamp": true, "current_date": true, "current_time": true,
	"current_setting": true, "to_char": true, "current_user": true, "session_user": true}

// exprColumns lists the storage columns an expression reads.
func exprColumns(e bound.Expr) []int {
	var cols []int
	bound.Walk(e, func(x bound.Expr) bool {
		if c, ok := x.(*bound.ColRef); ok && !slices.Contains(cols, c.Idx) {
			cols = append(cols, c.Idx)
		}
		return true
	})
	slices.Sort(cols)
	return cols
}

// indexExprName is the word an expression key contributes to the
// index's default name: the function's name for a call, else "expr"
// (PostgreSQL's FigureColname then ChooseIndexColumnNames).
func indexExprName(n *pg_query.Node) string {
	if fc := n.GetFuncCall(); fc != nil && len(fc.Funcname) > 0 {
		return fc.Funcname[len(fc.Funcname)-1].GetString_().GetSval()
	}
	if tc := n.GetTypeCast(); tc != nil {
		if names := tc.TypeName.GetNames(); len(names) > 0 {
			return names[len(names)-1].GetString_().GetSval()
		}
	}
	return "expr"
}

// renameIndexExprColumn rewrites the stored key expressions and
// predicates of t's indexes that name column old (PostgreSQL stores node
// trees with column numbers, so a rename is free there; here the SQL text
// is parsed, its column references renamed and deparsed again).
func renameIndexExprColumn(t *catalog.Table, col int, old, new string) error {
	rename := func(sql string) (string, error) {
		parsed, err := parseExprText(sql)
		if err != nil {
			return "", err
		}
		// A copy: parse trees are shared through the parse cache.
		n := proto.Clone(parsed).(*pg_query.Node)
		walkParseTree(n.ProtoReflect(), func(cr *pg_query.ColumnRef) {
			if len(cr.Fields) == 0 {
				return
			}
			last := cr.Fields[len(cr.Fields)-1].GetString_()
			if last != nil && last.Sval == old {
				last.Sval = new
			}
		})
		return deparseExpr(n)
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		for k := range ix.Exprs {
			x := &ix.Exprs[k]
			if x.SQL == "" || !slices.Contains(x.Cols, col) {
				continue
			}
			var err error
			if x.SQL, err = rename(x.SQL); err != nil {
				return err
			}
		}
		if ix.Predicate != "" && slices.Contains(ix.PredCols, col) {
			var err error
			if ix.Predicate, err = rename(ix.Predicate); err != nil {
				return err
			}
		}
	}
	return nil
}

// refreshIndexExprs binds t's key expressions again after a column
// changed (its name or type): their type, printed form and 23505 text
// follow the column, as PostgreSQL's rebuilt index would. A failure (an
// expression no longer valid for the new type) fails the ALTER.
func (s *Session) refreshIndexExprs(t *catalog.Table) error {
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		for k := range ix.Exprs {
			x := &ix.Exprs[k]
			if x.SQL == "" {
				continue
			}
			n, err := parseExprText(x.SQL)
			if err != nil {
				return err
			}
			nx, err := s.indexKeyExpr(t, n)
			if err != nil {
				return err
			}
			*x = nx
		}
		if ix.Predicate != "" {
			if _, err := bindStoredIndexExpr(t, ix.Predicate, types.Bool); err != nil {
				return err
			}
		}
	}
	return nil
}

// partialArbiter finds the partial unique index ON CONFLICT (cols) WHERE
// pred names: its key columns are cols (in any order) and its predicate
// is pred as written (PostgreSQL accepts any WHERE implying the
// predicate; the spelling GORM and hand-written upserts use is the
// index's own).
func partialArbiter(t *catalog.Table, cols []int, pred *pg_query.Node) *catalog.Index {
	text, err := deparseExpr(pred)
	if err != nil {
		return nil
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Unique || ix.Predicate != text || ix.HasExprs() || len(ix.Columns) != len(cols) {
			continue
		}
		same := true
		for _, c := range cols {
			same = same && slices.Contains(ix.Columns, c)
		}
		if same {
			return ix
		}
	}
	return nil
}

// indexColumnNames makes the key column names of a new index distinct as
// PostgreSQL's ChooseIndexColumnNames does (expr, expr1, expr2 ...), which
// its default name is built from.
func indexColumnNames(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		name := n
		for i := 1; slices.Contains(out, name); i++ {
			name = n + strconv.Itoa(i)
		}
		out = append(out, name)
	}
	return out
}

// exprArbiter finds the unique index ON CONFLICT (...) names when some of
// its elements are expressions: the same key columns and expressions (as
// deparsed) in any order, and the same predicate when one is given.
func exprArbiter(t *catalog.Table, inf *pg_query.InferClause) *catalog.Index {
	var keys []string
	hasExpr := false
	for _, e := range inf.IndexElems {
		ie := e.GetIndexElem()
		if ie.Expr == nil {
			keys = append(keys, "col:"+ie.Name)
			continue
		}
		text, err := deparseExpr(ie.Expr)
		if err != nil {
			return nil
		}
		hasExpr = true
		keys = append(keys, "expr:"+text)
	}
	if !hasExpr {
		return nil
	}
	pred := ""
	if inf.WhereClause != nil {
		var err error
		if pred, err = deparseExpr(inf.WhereClause); err != nil {
			return nil
		}
	}
	for i := range t.Indexes {
		ix := &t.Indexes[i]
		if !ix.Unique || ix.Predicate != pred || len(ix.Columns) != len(keys) {
			continue
		}
		same := true
		for k, c := range ix.Columns {
			key := "expr:"
			if x := ix.KeyExpr(k); x != nil {
				key += x.SQL
			} else {
				key = "col:" + t.Columns[c].Name
			}
			same = same && slices.Contains(keys, key)
		}
		if same {
			return ix
		}
	}
	return nil
}
