package sql

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/builtins"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/syscat"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// binder translates one statement's parse tree into package bound's typed
// tree. It infers the types of $n parameters from where they are used.
type binder struct {
	s      *Session
	cat    *catalog.Catalog
	params []types.Type // inferred so far; Unknown where not yet known
	// aggregates collected while binding an aggregating query's targets;
	// nil where aggregates are not allowed.
	aggs    *[]bound.Agg
	aggWhat string // clause name for "aggregate functions are not allowed in X"
	// groupingLocs: argument positions of GROUPING() calls not yet
	// resolved (bind_grouping.go).
	groupingLocs map[groupingAt][]int32
	// deferErrors leaves constant expressions that fail to fold unfolded,
	// so the error comes at execution: the extended protocol's Parse must
	// succeed where PostgreSQL only fails when planning at Bind. The
	// simple protocol plans at once and reports such errors before any
	// RowDescription, as PostgreSQL does.
	deferErrors bool
	// viewDef: binding a view's query to store it, where an unpopulated
	// materialized view may be read (PostgreSQL checks at execution).
	viewDef bool
	// colDeps, when set (binding a view's or materialized view's query to
	// store it), collects the table and view columns the query reads;
	// inView counts the stored view queries being expanded, whose own
	// reads are not the outer query's.
	colDeps *[]catalog.ColDep
	inView  int
	// outerRefs counts column references resolved in an enclosing scope,
	// so binding a subquery can tell whether it is correlated.
	outerRefs int
	// simple: the statement came through the simple protocol, which has
	// no parameters: $n is 42P02.
	simple bool
	// windows collects window function calls of the SELECT being bound
	// (nil where they are not allowed); namedWindows are its WINDOW clause.
	windows      *[]bound.Window
	srfs         *[]bound.TargetSRF
	namedWindows map[string]*pg_query.WindowDef
	// ctes are the WITH queries in scope, innermost last.
	ctes []cte
	// mods are the statement's data-modifying WITH queries, in order.
	mods []*bound.ModifyingCTE
	// preBound holds expressions bound ahead for parse nodes (a row value
	// as an aggregate's argument, bind_rowvalue.go).
	preBound map[*pg_query.Node]bound.Expr
	// lateral holds the columns of the FROM items to the left of the one
	// being bound, which a LATERAL item may reference.
	lateral []scopeCol
	// groupChecks are the GROUP BY items of the SELECT being bound, whose
	// types are checked for equality after its ORDER BY (bind_sortgroup.go).
	groupChecks []typeAt
	// unknownTargets: select-list items that were bare untyped literals,
	// per bound SELECT (bind_unknown_targets.go).
	unknownTargets map[*bound.Select]map[int]bound.Expr
}

// cte is one WITH query: bound afresh at each reference (not
// data-modifying). recursive marks a query of WITH RECURSIVE; self is set
// on the entry that stands for a recursive query inside its own terms.
type cte struct {
	name      string
	query     *pg_query.SelectStmt
	columns   []string
	recursive bool
	self      *recursiveSelf
	mod       *bound.ModifyingCTE // a data-modifying WITH query (query is nil)
}

func newBinder(s *Session, paramTypes []types.Type) *binder {
	return &binder{s: s, cat: s.catalog(), params: append([]types.Type(nil), paramTypes...)}
}

func (b *binder) settings() *types.Settings { return b.s.types }

// bindExpr binds an expression; want is a type hint for untyped literals
// and parameters (types.Unknown when none).
func (b *binder) bindExpr(n *pg_query.Node, sc *scope, want types.Type) (bound.Expr, error) {
	if n == nil {
		return nil, pgerror.New(pgerror.InternalError, "missing expression")
	}
	if e, ok := b.preBound[n]; ok {
		return e, nil
	}
	switch {
	case n.GetColumnRef() != nil:
		e, err := b.bindColumnRef(n.GetColumnRef(), sc)
		if err != nil {
			// t or t.* naming a whole row of a FROM item.
			if rv, ok := b.wholeRowRef(n, sc); ok {
				if rv.scalar != nil {
					return rv.scalar, nil
				}
				return rv.recordText(), nil
			}
		}
		return e, err
	case n.GetAConst() != nil:
		return b.bindConst(n.GetAConst(), want)
	case n.GetParamRef() != nil:
		return b.bindParam(n.GetParamRef(), want)
	case n.GetTypeCast() != nil:
		return b.bindTypeCast(n.GetTypeCast(), sc)
	case n.GetAExpr() != nil:
		return b.bindAExpr(n.GetAExpr(), sc)
	case n.GetBoolExpr() != nil:
		return b.bindBoolExpr(n.GetBoolExpr(), sc)
	case n.GetNullTest() != nil:
		nt := n.GetNullTest()
		x, err := b.bindExpr(nt.Arg, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		return &bound.IsNull{X: b.settle(x), Not: nt.Nulltesttype == pg_query.NullTestType_IS_NOT_NULL}, nil
	case n.GetBooleanTest() != nil:
		return b.bindBooleanTest(n.GetBooleanTest(), sc)
	case n.GetCaseExpr() != nil:
		return b.bindCase(n.GetCaseExpr(), sc, want)
	case n.GetCoalesceExpr() != nil:
		return b.bindCoalesce(n.GetCoalesceExpr().Args, sc, want)
	case n.GetFuncCall() != nil:
		return b.bindFuncCall(n.GetFuncCall(), sc, want)
	case n.GetGroupingFunc() != nil:
		return b.bindGroupingFunc(n.GetGroupingFunc(), sc)
	case n.GetSqlvalueFunction() != nil:
		return b.bindSQLValueFunction(n.GetSqlvalueFunction())
	case n.GetCollateClause() != nil:
		// Only the "C" collation exists (byte order), so COLLATE changes nothing.
		return b.bindExpr(n.GetCollateClause().Arg, sc, want)
	case n.GetSubLink() != nil:
		return b.bindSubLink(n.GetSubLink(), sc)
	case n.GetMinMaxExpr() != nil:
		mm := n.GetMinMaxExpr()
		name := "greatest"
		if mm.Op == pg_query.MinMaxOp_IS_LEAST {
			name = "least"
		}
		return b.bindMinMax(name, mm.Args, sc, want)
	case n.GetSetToDefault() != nil:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "DEFAULT is not allowed in this context").WithPosition(n.GetSetToDefault().Location + 1)
	case n.GetAArrayExpr() != nil:
		return b.bindArrayExpr(n.GetAArrayExpr(), sc, want)
	case n.GetAIndirection() != nil:
		return b.bindIndirection(n.GetAIndirection(), sc)
	case n.GetRowExpr() != nil:
		rv, err := b.rowExprValue(n.GetRowExpr(), sc)
		if err != nil {
			return nil, err
		}
		return rv.recordText(), nil
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "expression %s is not supported yet", nodeName(n))
}

func nodeName(n *pg_query.Node) string {
	s := strings.TrimPrefix(strings.SplitN(strings.TrimSpace(n.String()), ":", 2)[0], "node:")
	return strings.Trim(s, "{ ")
}

func strVal(n *pg_query.Node) string {
	if s := n.GetString_(); s != nil {
		return s.Sval
	}
	return ""
}

func (b *binder) bindColumnRef(cr *pg_query.ColumnRef, sc *scope) (bound.Expr, error) {
	var parts []string
	for _, f := range cr.Fields {
		if f.GetAStar() != nil {
			return nil, pgerror.New(pgerror.SyntaxError, "* is not allowed here").WithPosition(cr.Location + 1)
		}
		parts = append(parts, strVal(f))
	}
	var qual, name string
	switch len(parts) {
	case 1:
		name = parts[0]
	case 2:
		qual, name = parts[0], parts[1]
	case 3:
		qual, name = parts[1], parts[2]
	default:
		return nil, pgerror.New(pgerror.SyntaxError, "improper qualified name (too many dotted names): %s", strings.Join(parts, ".")).WithPosition(cr.Location + 1)
	}
	if sc == nil {
		sc = &scope{}
	}
	col, depth, err := sc.resolve(qual, name, cr.Location)
	if err != nil {
		return nil, err
	}
	b.readColumn(col)
	if depth > 0 {
		b.outerRefs++
		return &bound.OuterRef{Depth: depth, Idx: col.idx, T: col.typ}, nil
	}
	return &bound.ColRef{Idx: col.idx, T: col.typ, Name: col.name, Table: col.table}, nil
}

func (b *binder) bindConst(c *pg_query.A_Const, want types.Type) (bound.Expr, error) {
	if c.Isnull {
		t := want
		if t.OID == 0 {
			t = types.Unknown
		}
		return &bound.Const{T: t}, nil
	}
	switch v := c.Val.(type) {
	case *pg_query.A_Const_Ival:
		return &bound.Const{Val: types.NewInt(int64(v.Ival.Ival)), T: types.Int4}, nil
	case *pg_query.A_Const_Fval:
		s := v.Fval.Fval
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			// An integer literal that overflowed int4 in the lexer may still
			// fit after the parser folded its sign (make_const in parse_node.c).
			if i >= -1<<31 && i < 1<<31 {
				return &bound.Const{Val: types.NewInt(i), T: types.Int4}, nil
			}
			return &bound.Const{Val: types.NewInt(i), T: types.Int8}, nil
		}
		d, err := types.ParseText(types.Numeric, s, b.settings())
		if err != nil {
			return nil, withPos(err, c.Location)
		}
		return &bound.Const{Val: d, T: types.Numeric}, nil
	case *pg_query.A_Const_Boolval:
		return &bound.Const{Val: types.NewBool(v.Boolval.Boolval), T: types.Bool}, nil
	case *pg_query.A_Const_Sval:
		// A quoted literal has type unknown until its context decides.
		return &unknownLit{Const: bound.Const{Val: types.NewText(v.Sval.Sval), T: types.Unknown}, loc: c.Location}, nil
	case *pg_query.A_Const_Bsval:
		return nil, pgerror.New(pgerror.FeatureNotSupported, "bit string literals are not supported").WithPosition(c.Location + 1)
	}
	return &bound.Const{T: types.Unknown}, nil
}

// unknownLit is a quoted literal whose type is not yet decided. It is a
// bound.Const of type unknown (text value) that remembers its position.
type unknownLit struct {
	bound.Const
	loc int32
}

func withPos(err error, loc int32) error {
	if pe, ok := err.(*pgerror.Error); ok && pe.Position == 0 && loc >= 0 {
		pe.Position = loc + 1
	}
	return err
}

func (b *binder) bindParam(p *pg_query.ParamRef, want types.Type) (bound.Expr, error) {
	n := int(p.Number)
	if n < 1 || n > 65535 || b.simple {
		return nil, pgerror.New(pgerror.UndefinedParameter, "there is no parameter $%d", n).WithPosition(p.Location + 1)
	}
	for len(b.params) < n {
		b.params = append(b.params, types.Unknown)
	}
	t := b.params[n-1]
	if t.OID == types.UnknownOID && want.OID != 0 && want.OID != types.UnknownOID {
		b.params[n-1] = want
		t = want
	}
	return &bound.Param{Idx: n - 1, T: t}, nil
}

// settle gives an untyped literal or parameter its default type (text)
// when nothing in its context decided one.
func (b *binder) settle(e bound.Expr) bound.Expr {
	if e.Type().OID != types.UnknownOID {
		return e
	}
	out, err := b.coerce(e, types.Text, castImplicit)
	if err != nil {
		return e
	}
	return out
}

type castContext int

const (
	castImplicit castContext = iota
	castAssignment
	castExplicit
)

// coerce converts e to type to. Untyped literals are parsed as to; untyped
// parameters take the type; other values get a Cast when the context
// allows it (pg_cast's castcontext), else 42804/42846.
func (b *binder) coerce(e bound.Expr, to types.Type, ctx castContext) (bound.Expr, error) {
	from := e.Type()
	if from == to || to.OID == builtins.AnyOID {
		return e, nil
	}
	switch x := e.(type) {
	case *unknownLit:
		if to.OID == types.UnknownOID {
			return e, nil
		}
		if isRegType(to) {
			return b.regLiteral(x.Val.S, to, x.loc)
		}
		if to.Typmod >= 0 && to.OID != types.IntervalOID {
			// Read the literal as the bare type (an input error points at
			// it), then apply the modifier as a cast: 'abcdef'::varchar(3)
			// truncates, while an assignment that is too long fails at
			// execution without a position, as in PostgreSQL.
			base := types.Type{OID: to.OID, Typmod: -1}
			d, err := types.ParseText(base, x.Val.S, b.settings())
			if err != nil {
				return nil, withPos(err, x.loc)
			}
			return b.foldCast(&bound.Cast{X: &bound.Const{Val: d, T: base}, T: to, Explicit: ctx == castExplicit})
		}
		d, err := types.ParseText(to, x.Val.S, b.settings())
		if err != nil {
			return nil, withPos(err, x.loc)
		}
		return &bound.Const{Val: d, T: to}, nil
	case *bound.Const:
		if x.Val.K == types.KindNull {
			return &bound.Const{T: to}, nil
		}
	case *bound.Param:
		if from.OID == types.UnknownOID {
			b.params[x.Idx] = to
			return &bound.Param{Idx: x.Idx, T: to}, nil
		}
	}
	if from.OID == types.UnknownOID {
		return &bound.Cast{X: e, T: to, Explicit: true}, nil
	}
	if from.OID == to.OID {
		// Same type, different modifier (varchar(10) into varchar(5)):
		// assignment and explicit casts apply the modifier.
		if ctx == castImplicit {
			return e, nil
		}
		return b.foldCast(&bound.Cast{X: e, T: to, Explicit: ctx == castExplicit})
	}
	if _, ok := builtins.ImplicitCast(from, to); ok || ctx == castExplicit || (ctx == castAssignment && assignmentCastOK(from, to)) {
		return b.foldCast(&bound.Cast{X: e, T: to, Explicit: ctx == castExplicit})
	}
	if ctx == castExplicit {
		return nil, pgerror.New(pgerror.CannotCoerce, "cannot cast type %s to %s", types.FormatType(from), types.FormatType(to))
	}
	return nil, pgerror.New(pgerror.DatatypeMismatch, "expression is of type %s, expected %s", types.FormatType(from), types.FormatType(to))
}

// assignmentCastOK mirrors castcontext 'a': number narrowing and to/from
// the string types, which INSERT and UPDATE apply.
func assignmentCastOK(from, to types.Type) bool {
	fk, tk := from.Kind(), to.Kind()
	num := func(k types.Kind) bool { return k == types.KindInt || k == types.KindFloat || k == types.KindNumeric }
	switch {
	case num(fk) && num(tk):
		return true
	case tk == types.KindText:
		return true // anything to text/varchar/char through its output
	case fk == types.KindText && tk == types.KindText:
		return true
	case (fk == types.KindTimestamp || fk == types.KindTimestampTZ || fk == types.KindDate) &&
		(tk == types.KindTimestamp || tk == types.KindTimestampTZ || tk == types.KindDate || tk == types.KindTime):
		return true
	case fk == types.KindJSON && tk == types.KindJSON:
		return true
	case fk == types.KindInt && tk == types.KindBool:
		return false
	}
	return false
}

// foldCast evaluates a cast of a constant at bind time.
func (b *binder) foldCast(c *bound.Cast) (bound.Expr, error) {
	if k, ok := c.X.(*bound.Const); ok {
		if k.Val.K == types.KindNull {
			return &bound.Const{T: c.T}, nil
		}
		v, err := types.Cast(k.Val, k.T, c.T, c.Explicit, b.settings())
		if err != nil {
			if b.deferErrors {
				return c, nil
			}
			return nil, err
		}
		return &bound.Const{Val: v, T: c.T}, nil
	}
	return c, nil
}

func isRegType(t types.Type) bool {
	switch t.OID {
	case types.RegclassOID, types.RegtypeOID, types.RegnamespaceOID, types.RegprocOID, types.RegroleOID:
		return true
	}
	return false
}

// regLiteral resolves 'name'::regclass to the relation's OID.
func (b *binder) regLiteral(name string, to types.Type, loc int32) (bound.Expr, error) {
	oid, err := resolveReg(b.s, b.cat, to.OID, name)
	if err != nil {
		return nil, err.WithPosition(loc + 1)
	}
	return &bound.Const{Val: types.NewInt(int64(oid)), T: to}, nil
}

// regOID is the session's reg* input by name (types.Settings.RegOID).
func (s *Session) regOID(regType uint32, name string) (uint32, error) {
	oid, err := resolveReg(s, s.catalog(), regType, name)
	if err != nil {
		return 0, err
	}
	return oid, nil
}

// resolveReg is the reg* input functions' lookup: a numeric OID, or a
// relation, type, schema, role or function by (possibly qualified) name.
func resolveReg(s *Session, cat *catalog.Catalog, regType uint32, name string) (uint32, *pgerror.Error) {
	if oid, err := strconv.ParseUint(strings.TrimSpace(name), 10, 32); err == nil {
		return uint32(oid), nil
	}
	if regType == types.RegclassOID {
		schema, rel := splitQualified(name)
		if oid, _, ok := s.lookupRelation(cat, schema, rel); ok {
			return oid, nil
		}
	}
	// System views, types, schemas, roles and functions by name.
	if oid, ok := syscat.ResolveReg(s, regType, name); ok {
		return oid, nil
	}
	switch regType {
	case types.RegtypeOID:
		return 0, pgerror.New(pgerror.UndefinedObject, "type \"%s\" does not exist", name)
	case types.RegnamespaceOID:
		return 0, pgerror.New(pgerror.InvalidSchemaName, "schema \"%s\" does not exist", name)
	case types.RegroleOID:
		return 0, pgerror.New(pgerror.UndefinedObject, "role \"%s\" does not exist", name)
	case types.RegprocOID:
		return 0, pgerror.New(pgerror.UndefinedFunction, "function \"%s\" does not exist", name)
	}
	return 0, pgerror.New(pgerror.UndefinedTable, "relation \"%s\" does not exist", name)
}

// splitQualified splits "schema.name" (unquoting "quoted" parts; unquoted
// parts fold to lower case as identifiers do).
func splitQualified(s string) (string, string) {
	var parts []string
	var cur strings.Builder
	quoted := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '"' && quoted && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case ch == '"':
			quoted = !quoted
		case ch == '.' && !quoted:
			parts = append(parts, cur.String())
			cur.Reset()
		case !quoted:
			cur.WriteString(strings.ToLower(string(ch)))
		default:
			cur.WriteByte(ch)
		}
	}
	parts = append(parts, cur.String())
	if len(parts) >= 2 {
		return parts[len(parts)-2], parts[len(parts)-1]
	}
	return "", parts[0]
}

func (b *binder) typeName(tn *pg_query.TypeName) (types.Type, error) {
	if tn.TypeOid != 0 && len(tn.Names) == 0 {
		// A type given by OID, as makeTypeNameFromOid builds it (CREATE
		// TABLE AS's columns): the grammar never produces one.
		return types.Type{OID: tn.TypeOid, Typmod: tn.Typemod}, nil
	}
	var names []string
	for _, n := range tn.Names {
		names = append(names, strVal(n))
	}
	qualified := len(names) == 2 && names[0] == "pg_catalog"
	if qualified {
		names = names[1:]
	}
	name := strings.Join(names, ".")
	var mods []int32
	for _, m := range tn.Typmods {
		if c := m.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg_query.A_Const_Ival); ok {
				mods = append(mods, iv.Ival.Ival)
				continue
			}
		}
		return types.Type{}, pgerror.New(pgerror.SyntaxError, "type modifiers must be simple constants").WithPosition(tn.Location + 1)
	}
	// The grammar turns SQL spellings (integer, char(n), varchar) into
	// pg_catalog.<typname>; a bare name is looked up as a typname too, so
	// "char" is the one-byte type while char is bpchar.
	t, err := types.TypeByTypname(name, mods)
	if err != nil && !qualified {
		t, err = types.ResolveType(name, mods)
	}
	if err != nil {
		return types.Type{}, withPos(err, tn.Location)
	}
	if len(tn.ArrayBounds) > 0 {
		at, ok := types.ArrayOf(t)
		if !ok {
			return types.Type{}, pgerror.New(pgerror.UndefinedObject, "type %s[] does not exist", name).WithPosition(tn.Location + 1)
		}
		t = at
	}
	return t, nil
}

func (b *binder) bindTypeCast(tc *pg_query.TypeCast, sc *scope) (bound.Expr, error) {
	to, err := b.typeName(tc.TypeName)
	if err != nil {
		return nil, err
	}
	x, err := b.bindExpr(tc.Arg, sc, to)
	if err != nil {
		return nil, err
	}
	out, err := b.coerce(x, to, castExplicit)
	if err != nil {
		return nil, withPos(err, tc.Location)
	}
	return out, nil
}

func opName(names []*pg_query.Node) string {
	if len(names) == 0 {
		return ""
	}
	return strVal(names[len(names)-1])
}

func (b *binder) bindAExpr(a *pg_query.A_Expr, sc *scope) (bound.Expr, error) {
	op := opName(a.Name)
	switch a.Kind {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		if lk, ok := likeOps[op]; ok && a.Lexpr != nil {
			// x ~~ p is LIKE written as its operator.
			l, err := b.bindExpr(a.Lexpr, sc, types.Text)
			if err != nil {
				return nil, err
			}
			r, err := b.bindExpr(a.Rexpr, sc, types.Text)
			if err != nil {
				return nil, err
			}
			l, r = b.settle(l), b.settle(r)
			if l.Type().Kind() != types.KindText || r.Type().Kind() != types.KindText {
				return nil, b.noOperator(op, l.Type(), r.Type(), a.Location)
			}
			return &bound.Like{X: l, Pattern: r, CaseInsensitive: lk.ci, Not: lk.not}, nil
		}
		if lr, rr := a.Lexpr.GetRowExpr(), a.Rexpr.GetRowExpr(); lr != nil && rr != nil && isComparison(op) {
			return b.bindRowCompare(op, lr.Args, rr.Args, sc, a.Location)
		}
		if a.Lexpr == nil {
			// The parser folds a minus into a numeric literal before typing
			// (doNegate): -2147483648 is an integer, not -(bigint).
			if c := a.Rexpr.GetAConst(); op == "-" && c != nil && !c.Isnull {
				switch v := c.Val.(type) {
				case *pg_query.A_Const_Ival:
					return &bound.Const{Val: types.NewInt(-int64(v.Ival.Ival)), T: types.Int4}, nil
				case *pg_query.A_Const_Fval:
					neg := "-" + v.Fval.Fval
					if i, err := strconv.ParseInt(neg, 10, 64); err == nil {
						if i >= -1<<31 {
							return &bound.Const{Val: types.NewInt(i), T: types.Int4}, nil
						}
						return &bound.Const{Val: types.NewInt(i), T: types.Int8}, nil
					}
					d, err := types.ParseText(types.Numeric, neg, b.settings())
					if err != nil {
						return nil, withPos(err, c.Location)
					}
					return &bound.Const{Val: d, T: types.Numeric}, nil
				}
			}
			x, err := b.bindExpr(a.Rexpr, sc, types.Unknown)
			if err != nil {
				return nil, err
			}
			return b.unaryOp(op, x, a.Location)
		}
		l, r, err := b.bindOperands(op, a.Lexpr, a.Rexpr, sc)
		if err != nil {
			return nil, err
		}
		return b.binaryOp(op, l, r, a.Location)
	case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
		return b.bindArrayCompare(a, sc)
	case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		l, r, err := b.bindPair(a.Lexpr, a.Rexpr, sc)
		if err != nil {
			return nil, err
		}
		if l, r, err = b.unify(l, r, "=", a.Location); err != nil {
			return nil, err
		}
		return &bound.IsDistinct{L: l, R: r, Not: a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT}, nil
	case pg_query.A_Expr_Kind_AEXPR_NULLIF:
		l, r, err := b.bindPair(a.Lexpr, a.Rexpr, sc)
		if err != nil {
			return nil, err
		}
		if l, r, err = b.unify(l, r, "=", a.Location); err != nil {
			return nil, err
		}
		return &bound.NullIf{A: l, B: r}, nil
	case pg_query.A_Expr_Kind_AEXPR_IN:
		if lr := a.Lexpr.GetRowExpr(); lr != nil && a.Rexpr.GetList() != nil {
			return b.bindRowIn(op == "<>", lr.Args, a.Rexpr.GetList().Items, sc, a.Location)
		}
		x, err := b.bindExpr(a.Lexpr, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		list := a.Rexpr.GetList()
		if list == nil {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "IN with this right-hand side is not supported").WithPosition(a.Location + 1)
		}
		in := &bound.InList{Not: op == "<>"}
		items := make([]bound.Expr, len(list.Items))
		for i, it := range list.Items {
			if items[i], err = b.bindExpr(it, sc, x.Type()); err != nil {
				return nil, err
			}
		}
		// Resolve one common type for the operand and every item.
		common := x.Type()
		for _, it := range items {
			if common.OID == types.UnknownOID {
				common = it.Type()
			} else if it.Type().OID != types.UnknownOID && it.Type() != common {
				if _, ok := builtins.ImplicitCast(common, it.Type()); ok && !sameKind(common, it.Type()) {
					common = it.Type()
				}
			}
		}
		if common.OID == types.UnknownOID {
			common = types.Text
		}
		// char(n) IN (text, ...) compares as text (bpcharOperands).
		for _, it := range append([]bound.Expr{x}, items...) {
			if it.Type().OID == types.TextOID && common.OID == types.BPCharOID {
				common = types.Text
			}
		}
		if common.OID == types.JSONOID { // json has no = (nor <>)
			// One item is compared as written (x = item: json = unknown
			// for a literal), several as an array of the common type
			// (transformAExprIn).
			right := common
			if c := list.Items[0].GetAConst(); len(list.Items) == 1 && c != nil && c.GetSval() != nil {
				right = types.Unknown
			}
			return nil, b.noOperator(op, common, right, a.Location)
		}
		if in.X, err = b.coerceCompare(x, common, a.Location); err != nil {
			return nil, err
		}
		for _, it := range items {
			c, err := b.coerceCompare(it, common, a.Location)
			if err != nil {
				return nil, err
			}
			in.List = append(in.List, c)
		}
		return in, nil
	case pg_query.A_Expr_Kind_AEXPR_SIMILAR:
		// The grammar already wrote x SIMILAR TO p [ESCAPE e] as
		// x ~ similar_to_escape(p [, e]) (or !~ for NOT SIMILAR TO).
		l, r, err := b.bindOperands(op, a.Lexpr, a.Rexpr, sc)
		if err != nil {
			return nil, err
		}
		return b.binaryOp(op, l, r, a.Location)
	case pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE:
		l, err := b.bindExpr(a.Lexpr, sc, types.Text)
		if err != nil {
			return nil, err
		}
		var r, esc bound.Expr
		// LIKE ... ESCAPE e arrives as like_escape(pattern, e), which is
		// read here rather than bound as a function.
		if fc := a.Rexpr.GetFuncCall(); fc != nil && opName(fc.Funcname) == "like_escape" && len(fc.Args) == 2 {
			if r, err = b.bindExpr(fc.Args[0], sc, types.Text); err != nil {
				return nil, err
			}
			if esc, err = b.bindExpr(fc.Args[1], sc, types.Text); err != nil {
				return nil, err
			}
			esc = b.settle(esc)
		} else if r, err = b.bindExpr(a.Rexpr, sc, types.Text); err != nil {
			return nil, err
		}
		l, r = b.settle(l), b.settle(r)
		if l.Type().Kind() != types.KindText {
			return nil, b.noOperator(op, l.Type(), r.Type(), a.Location)
		}
		return &bound.Like{X: l, Pattern: r, Escape: esc, CaseInsensitive: a.Kind == pg_query.A_Expr_Kind_AEXPR_ILIKE,
			Not: strings.HasPrefix(op, "!")}, nil
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		x, err := b.bindExpr(a.Lexpr, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		bounds := a.Rexpr.GetList().GetItems()
		lo, err := b.bindExpr(bounds[0], sc, x.Type())
		if err != nil {
			return nil, err
		}
		hi, err := b.bindExpr(bounds[1], sc, x.Type())
		if err != nil {
			return nil, err
		}
		ge, err := b.binaryOp(">=", x, lo, a.Location)
		if err != nil {
			return nil, err
		}
		le, err := b.binaryOp("<=", x, hi, a.Location)
		if err != nil {
			return nil, err
		}
		var e bound.Expr = &bound.And{L: ge, R: le}
		if a.Kind == pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM || a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
			ge2, _ := b.binaryOp(">=", x, hi, a.Location)
			le2, _ := b.binaryOp("<=", x, lo, a.Location)
			e = &bound.Or{L: e, R: &bound.And{L: ge2, R: le2}}
		}
		if a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
			e = &bound.Not{X: e}
		}
		return e, nil
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "operator %s (%s) is not supported yet", op, a.Kind).WithPosition(a.Location + 1)
}

func sameKind(a, b types.Type) bool { return a.Kind() == b.Kind() }

// bindPair binds two operands, letting each typed side hint the other.
func (b *binder) bindPair(ln, rn *pg_query.Node, sc *scope) (bound.Expr, bound.Expr, error) {
	l, err := b.bindExpr(ln, sc, types.Unknown)
	if err != nil {
		return nil, nil, err
	}
	r, err := b.bindExpr(rn, sc, l.Type())
	if err != nil {
		return nil, nil, err
	}
	if l.Type().OID == types.UnknownOID && r.Type().OID != types.UnknownOID {
		if p, ok := l.(*bound.Param); ok {
			l, _ = b.coerce(p, r.Type(), castImplicit)
		}
	}
	return l, r, nil
}

// bindOperands binds an operator's operands. An untyped parameter on the
// right takes the left operand's type only when the operator exists for
// that type on both sides (PostgreSQL's first resolution step); otherwise
// it stays unknown so resolution can pick the operator's own type for it
// (jsonb -> $1 is jsonb -> text).
func (b *binder) bindOperands(op string, ln, rn *pg_query.Node, sc *scope) (bound.Expr, bound.Expr, error) {
	pr := rn.GetParamRef()
	if pr == nil || isComparison(op) {
		return b.bindPair(ln, rn, sc)
	}
	l, err := b.bindExpr(ln, sc, types.Unknown)
	if err != nil {
		return nil, nil, err
	}
	hint := l.Type()
	if ovs := builtins.BinOp(op); hint.OID != types.UnknownOID && ovs != nil {
		if ov, _ := builtins.Resolve(ovs, []types.Type{hint, hint}); ov == nil {
			hint = types.Unknown
		}
	}
	r, err := b.bindParam(pr, hint)
	return l, r, err
}

func isComparison(op string) bool {
	switch op {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

var cmpOps = map[string]bound.CmpOp{"=": bound.CmpEQ, "<>": bound.CmpNE, "!=": bound.CmpNE, "<": bound.CmpLT,
	"<=": bound.CmpLE, ">": bound.CmpGT, ">=": bound.CmpGE}

// comparable kinds: values of these kinds compare with each other.
func comparable(a, b types.Type) bool {
	ka, kb := a.Kind(), b.Kind()
	num := func(k types.Kind) bool { return k == types.KindInt || k == types.KindFloat || k == types.KindNumeric }
	if num(ka) && num(kb) {
		return true
	}
	return ka == kb
}

// unify makes two operands comparable: untyped sides take the other's
// type; otherwise an implicit cast one way or the other.
func (b *binder) unify(l, r bound.Expr, op string, loc int32) (bound.Expr, bound.Expr, error) {
	lt, rt := l.Type(), r.Type()
	var err error
	switch {
	case lt.OID == types.UnknownOID && rt.OID == types.UnknownOID:
		l, r = b.settle(l), b.settle(r)
	case lt.OID == types.UnknownOID:
		l, err = b.coerce(l, rt, castImplicit)
	case rt.OID == types.UnknownOID:
		r, err = b.coerce(r, lt, castImplicit)
	}
	if err != nil {
		return nil, nil, err
	}
	if l, r, err = b.bpcharOperands(l, r); err != nil {
		return nil, nil, err
	}
	lt, rt = l.Type(), r.Type()
	if lt.OID == types.JSONOID || rt.OID == types.JSONOID {
		// json has no comparison operators (jsonb does).
		return nil, nil, b.noOperator(op, lt, rt, loc)
	}
	if comparable(lt, rt) {
		return l, r, nil
	}
	if _, ok := builtins.ImplicitCast(lt, rt); ok {
		l, err = b.coerce(l, rt, castImplicit)
		return l, r, err
	}
	if _, ok := builtins.ImplicitCast(rt, lt); ok {
		r, err = b.coerce(r, lt, castImplicit)
		return l, r, err
	}
	return nil, nil, b.noOperator(op, lt, rt, loc)
}

func (b *binder) coerceCompare(e bound.Expr, t types.Type, loc int32) (bound.Expr, error) {
	bpcharToText := e.Type().OID == types.BPCharOID && t.OID == types.TextOID
	if e.Type().OID == types.UnknownOID || !comparable(e.Type(), t) || bpcharToText {
		c, err := b.coerce(e, t, castImplicit)
		if err != nil {
			return nil, b.noOperator("=", e.Type(), t, loc)
		}
		return c, nil
	}
	return e, nil
}

func (b *binder) noOperator(op string, l, r types.Type, loc int32) error {
	return pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", types.FormatType(l), op, types.FormatType(r)).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.").
		WithPosition(loc + 1)
}

func (b *binder) binaryOp(op string, l, r bound.Expr, loc int32) (bound.Expr, error) {
	if isComparison(op) {
		l, r, err := b.unify(l, r, op, loc)
		if err != nil {
			return nil, err
		}
		return &bound.Compare{Op: cmpOps[op], L: l, R: r}, nil
	}
	if op == "@>" || op == "<@" || op == "&&" {
		if e, ok, err := b.arrayContainment(op, l, r, loc); ok {
			return e, err
		}
	}
	if op == "||" {
		if e, ok, err := b.arrayConcat(l, r, loc); ok {
			return e, err
		}
		// anything || text is text concatenation (anynonarray || text);
		// other pairs (bytea || bytea, arrays, jsonb) resolve normally.
		lt, rt := l.Type(), r.Type()
		textual := func(t types.Type) bool {
			return t.OID == types.UnknownOID || t.Kind() == types.KindText && t.OID != types.CharOID
		}
		// An untyped side takes the other's type when T || T exists
		// (bytea, jsonb); otherwise anynonarray || text applies.
		sameOp := func(t types.Type) bool { _, ok := types.LookupBinaryOp("||", t.OID, t.OID); return ok }
		if lt.Kind() != types.KindArray && rt.Kind() != types.KindArray && (textual(lt) || textual(rt)) &&
			!(lt.OID == types.UnknownOID && !textual(rt) && sameOp(rt)) &&
			!(rt.OID == types.UnknownOID && !textual(lt) && sameOp(lt)) {
			var err error
			if l, err = b.toText(l); err != nil {
				return nil, err
			}
			if r, err = b.toText(r); err != nil {
				return nil, err
			}
		}
	}
	ovs := builtins.BinOp(op)
	if ovs == nil {
		return nil, pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s %s", types.FormatType(l.Type()), op, types.FormatType(r.Type())).WithPosition(loc + 1)
	}
	lt, rt := l.Type(), r.Type()
	// An untyped side takes the other side's type, as PostgreSQL's
	// operator resolution prefers same-typed candidates.
	if lt.OID == types.UnknownOID && rt.OID != types.UnknownOID {
		lt = rt
	} else if rt.OID == types.UnknownOID && lt.OID != types.UnknownOID {
		rt = lt
	}
	ov, ambiguous := builtins.Resolve(ovs, []types.Type{lt, rt})
	if ov == nil && (lt != l.Type() || rt != r.Type()) {
		// No same-typed candidate: resolve again with the literal left
		// unknown (jsonb -> 'key', jsonb ? 'key').
		ov, ambiguous = builtins.Resolve(ovs, []types.Type{l.Type(), r.Type()})
	}
	if ov == nil || ambiguous {
		if ambiguous {
			return nil, pgerror.New(pgerror.AmbiguousFunction, "operator is not unique: %s %s %s", types.FormatType(l.Type()), op, types.FormatType(r.Type())).WithPosition(loc + 1)
		}
		return nil, b.noOperator(op, l.Type(), r.Type(), loc)
	}
	return b.call(op, ov, []bound.Expr{l, r}, true)
}

func (b *binder) toText(e bound.Expr) (bound.Expr, error) {
	if e.Type().Kind() == types.KindText && e.Type().OID != types.UnknownOID {
		if e.Type().OID == types.TextOID {
			return e, nil
		}
		return b.coerce(e, types.Text, castImplicit)
	}
	return b.coerce(e, types.Text, castExplicit)
}

func (b *binder) unaryOp(op string, x bound.Expr, loc int32) (bound.Expr, error) {
	if op == "-" {
		if k, ok := x.(*bound.Const); ok && k.Val.K == types.KindInt {
			return &bound.Const{Val: types.NewInt(-k.Val.I), T: k.T}, nil
		}
	}
	ovs := builtins.UnOp(op)
	t := x.Type()
	if t.OID == types.UnknownOID {
		t = types.Float8
	}
	ov, _ := builtins.Resolve(ovs, []types.Type{t})
	if ov == nil {
		return nil, pgerror.New(pgerror.UndefinedFunction, "operator does not exist: %s %s", op, types.FormatType(x.Type())).WithPosition(loc + 1)
	}
	return b.call(op, ov, []bound.Expr{x}, false)
}

func boolOut(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
	if a[0].I != 0 {
		return types.NewText("t"), nil
	}
	return types.NewText("f"), nil
}

// bpcharOut is char(n)'s output as text: the value with its blanks.
func bpcharOut(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) { return a[0], nil }

// call builds a resolved call, converting arguments to the overload's types.
func (b *binder) call(name string, ov *builtins.Overload, args []bound.Expr, infix bool) (bound.Expr, error) {
	conv := make([]bound.Expr, len(args))
	for i, a := range args {
		want := builtins.Any
		if i < len(ov.Args) {
			want = ov.Args[i]
		} else if len(ov.Args) > 0 {
			want = ov.Args[len(ov.Args)-1]
		}
		if want.OID == builtins.AnyOID {
			if ov.AnyAsText {
				if a.Type().OID == types.BoolOID {
					// "any" arguments are read through the type's output
					// function (t/f for bool), not a cast to text (true/false).
					conv[i] = &bound.Call{Name: "boolout", Args: []bound.Expr{a}, T: types.Text, Fn: boolOut, Strict: true}
					continue
				}
				if a.Type().OID == types.BPCharOID {
					// bpcharout keeps the blanks a cast to text drops:
					// concat('x'::char(3), '|') is 'x  |'.
					conv[i] = &bound.Call{Name: "bpcharout", Args: []bound.Expr{a}, T: types.Text, Fn: bpcharOut, Strict: true}
					continue
				}
				c, err := b.toText(a)
				if err != nil {
					return nil, err
				}
				conv[i] = c
				continue
			}
			conv[i] = b.settle(a)
			continue
		}
		c, err := b.coerce(a, want, castImplicit)
		if err != nil {
			return nil, err
		}
		conv[i] = c
	}
	ret := ov.Ret
	if ret.OID == 0 && ov.RetFromArg >= 0 && ov.RetFromArg < len(conv) {
		ret = conv[ov.RetFromArg].Type()
	}
	c := &bound.Call{Name: name, Args: conv, T: ret, Fn: ov.Fn, Strict: !ov.NullCall, Volatile: ov.Volatile, Infix: infix}
	return b.foldCall(c)
}

// foldCall evaluates a call of constants at bind time when the function
// is immutable (not volatile, and not reading the session).
func (b *binder) foldCall(c *bound.Call) (bound.Expr, error) {
	if c.Volatile || len(c.Args) == 0 {
		return c, nil
	}
	vals := make([]types.Datum, len(c.Args))
	for i, a := range c.Args {
		k, ok := a.(*bound.Const)
		if !ok {
			return c, nil
		}
		vals[i] = k.Val
		if c.Strict && k.Val.K == types.KindNull {
			return &bound.Const{T: c.T}, nil
		}
	}
	v, err := c.Fn(b.s.evalCtx(nil), vals)
	if err != nil {
		if b.deferErrors {
			return c, nil
		}
		return nil, err
	}
	return &bound.Const{Val: v, T: c.T}, nil
}

func (b *binder) bindBoolExpr(be *pg_query.BoolExpr, sc *scope) (bound.Expr, error) {
	args := make([]bound.Expr, len(be.Args))
	for i, a := range be.Args {
		x, err := b.bindExpr(a, sc, types.Bool)
		if err != nil {
			return nil, err
		}
		if x, err = b.asBool(x, boolOpName(be.Boolop)); err != nil {
			return nil, err
		}
		args[i] = x
	}
	switch be.Boolop {
	case pg_query.BoolExprType_NOT_EXPR:
		return &bound.Not{X: args[0]}, nil
	case pg_query.BoolExprType_AND_EXPR:
		e := args[0]
		for _, a := range args[1:] {
			e = &bound.And{L: e, R: a}
		}
		return e, nil
	default:
		e := args[0]
		for _, a := range args[1:] {
			e = &bound.Or{L: e, R: a}
		}
		return e, nil
	}
}

func boolOpName(t pg_query.BoolExprType) string {
	switch t {
	case pg_query.BoolExprType_AND_EXPR:
		return "AND"
	case pg_query.BoolExprType_OR_EXPR:
		return "OR"
	}
	return "NOT"
}

// asBool requires a boolean (an untyped literal is read as one).
func (b *binder) asBool(x bound.Expr, what string) (bound.Expr, error) {
	if x.Type().OID == types.BoolOID {
		return x, nil
	}
	if x.Type().OID == types.UnknownOID {
		return b.coerce(x, types.Bool, castImplicit)
	}
	return nil, pgerror.New(pgerror.DatatypeMismatch, "argument of %s must be type boolean, not type %s", what, types.FormatType(x.Type()))
}

func (b *binder) bindBooleanTest(bt *pg_query.BooleanTest, sc *scope) (bound.Expr, error) {
	x, err := b.bindExpr(bt.Arg, sc, types.Bool)
	if err != nil {
		return nil, err
	}
	if x, err = b.asBool(x, "IS TRUE"); err != nil {
		return nil, err
	}
	e := &bound.IsBool{X: x}
	switch bt.Booltesttype {
	case pg_query.BoolTestType_IS_TRUE:
		e.Value = 1
	case pg_query.BoolTestType_IS_NOT_TRUE:
		e.Value, e.Not = 1, true
	case pg_query.BoolTestType_IS_FALSE:
		e.Value = 0
	case pg_query.BoolTestType_IS_NOT_FALSE:
		e.Value, e.Not = 0, true
	case pg_query.BoolTestType_IS_UNKNOWN:
		e.Value = -1
	case pg_query.BoolTestType_IS_NOT_UNKNOWN:
		e.Value, e.Not = -1, true
	}
	return e, nil
}

// commonType picks the result type of CASE/COALESCE/UNION branches:
// PostgreSQL's select_common_type, simplified: the first typed branch's
// type, widened along implicit casts when another branch needs it.
func (b *binder) commonType(es []bound.Expr, what string) (types.Type, error) {
	common := types.Unknown
	for _, e := range es {
		t := e.Type()
		if t.OID == types.UnknownOID {
			continue
		}
		if common.OID == types.UnknownOID {
			common = t
			continue
		}
		if t.OID == common.OID {
			if t.Typmod != common.Typmod {
				common.Typmod = -1
			}
			continue
		}
		// Switch to t only when the cast is one-way (int4 -> int8), as
		// select_common_type does: oid and regclass, or text and varchar,
		// cast to each other and keep the first branch's type.
		_, up := builtins.ImplicitCast(common, t)
		_, down := builtins.ImplicitCast(t, common)
		if up && !down {
			common = t
		} else if !down && !up {
			return types.Type{}, pgerror.New(pgerror.DatatypeMismatch, "%s types %s and %s cannot be matched", what, types.FormatType(common), types.FormatType(t))
		}
	}
	if common.OID == types.UnknownOID {
		common = types.Text
	}
	// The typmod is kept only when every branch has it
	// (select_common_typmod): an untyped literal or another type coerced
	// to the common type has none, so CASE ... 'ab'::char(4) ELSE 'abcdef'
	// is bpchar, not char(4) (which would reject 'abcdef').
	for _, e := range es {
		if t := e.Type(); t.OID != common.OID || t.Typmod != common.Typmod {
			common.Typmod = -1
			break
		}
	}
	return common, nil
}

func (b *binder) coerceAll(es []bound.Expr, t types.Type) ([]bound.Expr, error) {
	out := make([]bound.Expr, len(es))
	for i, e := range es {
		c, err := b.coerce(e, t, castImplicit)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

func (b *binder) bindCase(ce *pg_query.CaseExpr, sc *scope, want types.Type) (bound.Expr, error) {
	var operand bound.Expr
	var err error
	if ce.Arg != nil {
		if operand, err = b.bindExpr(ce.Arg, sc, types.Unknown); err != nil {
			return nil, err
		}
	}
	var conds, results []bound.Expr
	for _, w := range ce.Args {
		cw := w.GetCaseWhen()
		var cond bound.Expr
		if operand != nil {
			v, err := b.bindExpr(cw.Expr, sc, operand.Type())
			if err != nil {
				return nil, err
			}
			if cond, err = b.binaryOp("=", operand, v, cw.Location); err != nil {
				return nil, err
			}
		} else {
			c, err := b.bindExpr(cw.Expr, sc, types.Bool)
			if err != nil {
				return nil, err
			}
			if cond, err = b.asBool(c, "CASE/WHEN"); err != nil {
				return nil, err
			}
		}
		r, err := b.bindExpr(cw.Result, sc, want)
		if err != nil {
			return nil, err
		}
		conds, results = append(conds, cond), append(results, r)
	}
	all := results
	var els bound.Expr
	if ce.Defresult != nil {
		if els, err = b.bindExpr(ce.Defresult, sc, want); err != nil {
			return nil, err
		}
		all = append(append([]bound.Expr(nil), results...), els)
	}
	t, err := b.commonType(all, "CASE")
	if err != nil {
		return nil, err
	}
	if results, err = b.coerceAll(results, t); err != nil {
		return nil, err
	}
	if els != nil {
		if els, err = b.coerce(els, t, castImplicit); err != nil {
			return nil, err
		}
	}
	c := &bound.Case{T: t, Else: els}
	for i := range conds {
		c.Whens = append(c.Whens, bound.When{Cond: conds[i], Then: results[i]})
	}
	return c, nil
}

func (b *binder) bindCoalesce(args []*pg_query.Node, sc *scope, want types.Type) (bound.Expr, error) {
	es := make([]bound.Expr, len(args))
	for i, a := range args {
		x, err := b.bindExpr(a, sc, want)
		if err != nil {
			return nil, err
		}
		es[i] = x
	}
	t, err := b.commonType(es, "COALESCE")
	if err != nil {
		return nil, err
	}
	if es, err = b.coerceAll(es, t); err != nil {
		return nil, err
	}
	return &bound.Coalesce{Args: es, T: t}, nil
}

func (b *binder) bindMinMax(name string, args []*pg_query.Node, sc *scope, want types.Type) (bound.Expr, error) {
	es := make([]bound.Expr, len(args))
	for i, a := range args {
		x, err := b.bindExpr(a, sc, want)
		if err != nil {
			return nil, err
		}
		es[i] = x
	}
	t, err := b.commonType(es, strings.ToUpper(name))
	if err != nil {
		return nil, err
	}
	if t.OID == types.JSONOID {
		// PostgreSQL fails when the executor looks up the btree
		// comparison (ExecInitExprRec), without a position.
		return nil, pgerror.New(pgerror.UndefinedFunction, "could not identify a comparison function for type %s", types.FormatType(t))
	}
	if es, err = b.coerceAll(es, t); err != nil {
		return nil, err
	}
	greatest := name == "greatest"
	return &bound.Call{Name: name, Args: es, T: t, Fn: func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
		var best types.Datum
		for _, v := range a {
			if v.K == types.KindNull {
				continue
			}
			if best.K == types.KindNull {
				best = v
				continue
			}
			c := types.Compare(v, best)
			if (greatest && c > 0) || (!greatest && c < 0) {
				best = v
			}
		}
		return best, nil
	}}, nil
}

func (b *binder) bindSQLValueFunction(f *pg_query.SQLValueFunction) (bound.Expr, error) {
	var name string
	switch f.Op {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		name = "now"
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		now, err := b.callFunc("now", nil, f.Location)
		if err != nil {
			return nil, err
		}
		return b.coerce(now, types.Timestamp, castExplicit)
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		now, err := b.callFunc("now", nil, f.Location)
		if err != nil {
			return nil, err
		}
		return b.coerce(now, types.Date, castExplicit)
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N,
		pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		now, err := b.callFunc("now", nil, f.Location)
		if err != nil {
			return nil, err
		}
		return b.coerce(now, types.Time, castExplicit)
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:
		name = "current_user"
	case pg_query.SQLValueFunctionOp_SVFOP_USER, pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:
		name = "session_user"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		name = "current_database"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		name = "current_schema"
	}
	return b.callFunc(name, nil, f.Location)
}

// callFunc resolves and builds a call of a builtin function by name.
func (b *binder) callFunc(name string, args []bound.Expr, loc int32) (bound.Expr, error) {
	ovs := builtins.Func(name)
	if ovs == nil {
		return nil, b.noFunction(name, args, loc)
	}
	ts := make([]types.Type, len(args))
	for i, a := range args {
		ts[i] = a.Type()
	}
	ov, ambiguous := builtins.Resolve(ovs, ts)
	if ov == nil {
		return nil, b.noFunction(name, args, loc)
	}
	if ambiguous {
		return nil, pgerror.New(pgerror.AmbiguousFunction, "function %s is not unique", sigText(name, args)).WithPosition(loc + 1)
	}
	return b.call(name, ov, args, false)
}

func sigText(name string, args []bound.Expr) string {
	var ts []string
	for _, a := range args {
		t := a.Type()
		if t.OID == types.UnknownOID {
			ts = append(ts, "unknown")
		} else {
			ts = append(ts, types.FormatType(t))
		}
	}
	return name + "(" + strings.Join(ts, ", ") + ")"
}

func (b *binder) noFunction(name string, args []bound.Expr, loc int32) error {
	return pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", sigText(name, args)).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").
		WithPosition(loc + 1)
}

var aggKinds = map[string]bound.AggKind{
	"count": bound.AggCount, "sum": bound.AggSum, "avg": bound.AggAvg, "min": bound.AggMin, "max": bound.AggMax,
	"bool_and": bound.AggBoolAnd, "bool_or": bound.AggBoolOr, "every": bound.AggBoolAnd,
	"string_agg": bound.AggStringAgg, "array_agg": bound.AggArrayAgg,
	"json_agg": bound.AggJSON, "jsonb_agg": bound.AggJSONB, "json_object_agg": bound.AggJSONObject, "jsonb_object_agg": bound.AggJSONBObject,
	"bit_and": bound.AggBitAnd, "bit_or": bound.AggBitOr, "bit_xor": bound.AggBitXor,
	"variance": bound.AggVarSamp, "var_samp": bound.AggVarSamp, "var_pop": bound.AggVarPop,
	"stddev": bound.AggStddevSamp, "stddev_samp": bound.AggStddevSamp, "stddev_pop": bound.AggStddevPop,
	"corr": bound.AggCorr, "covar_pop": bound.AggCovarPop, "covar_samp": bound.AggCovarSamp,
	"regr_count": bound.AggRegrCount, "regr_avgx": bound.AggRegrAvgX, "regr_avgy": bound.AggRegrAvgY,
	"regr_slope": bound.AggRegrSlope, "regr_intercept": bound.AggRegrIntercept, "regr_r2": bound.AggRegrR2,
	"regr_sxx": bound.AggRegrSxx, "regr_syy": bound.AggRegrSyy, "regr_sxy": bound.AggRegrSxy,
	"percentile_cont": bound.AggPercentileCont, "percentile_disc": bound.AggPercentileDisc, "mode": bound.AggMode,
}

func (b *binder) bindFuncCall(fc *pg_query.FuncCall, sc *scope, want types.Type) (bound.Expr, error) {
	var names []string
	for _, n := range fc.Funcname {
		names = append(names, strVal(n))
	}
	name := names[len(names)-1]
	if len(names) == 2 && names[0] != "pg_catalog" {
		return nil, pgerror.New(pgerror.UndefinedFunction, "function %s does not exist", strings.Join(names, ".")).WithPosition(fc.Location + 1)
	}
	fc, err := positionalArgs(name, fc)
	if err != nil {
		return nil, err
	}
	if e, ok, err := b.rowJSONArg(name, fc, sc); ok || err != nil {
		return e, err
	}
	if e, ok, err := b.arrayConcatFunc(name, fc, sc); ok || err != nil {
		return e, err
	}
	kind, isAgg := aggKinds[name]
	if fc.AggWithinGroup != (isAgg && kind.IsOrderedSet()) {
		// Only ordered-set aggregates take WITHIN GROUP, and they need
		// it: PostgreSQL finds no function of the combined argument list.
		return nil, b.noOrderedSetMatch(name, fc, sc)
	}
	if fc.Over != nil {
		if isAgg && kind.IsOrderedSet() {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "OVER is not supported for ordered-set aggregate %s", name).WithPosition(fc.Location + 1)
		}
		return b.bindWindow(name, fc, sc)
	}
	if isAgg {
		return b.bindAggregate(kind, name, fc, sc)
	}
	if fc.AggStar || fc.AggDistinct || fc.AggFilter != nil || len(fc.AggOrder) > 0 {
		return nil, pgerror.New(pgerror.WrongObjectType, "%s is not an aggregate function", name).WithPosition(fc.Location + 1)
	}
	if builtins.Func(name) == nil && builtins.SetReturning(name) != nil {
		return b.bindTargetSRF(name, fc, sc)
	}
	switch name {
	case "pg_typeof":
		if len(fc.Args) != 1 {
			break
		}
		x, err := b.bindExpr(fc.Args[0], sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		return &bound.Const{Val: types.NewInt(int64(x.Type().OID)), T: types.Regtype}, nil
	case "coalesce":
		return b.bindCoalesce(fc.Args, sc, want)
	case "greatest", "least":
		return b.bindMinMax(name, fc.Args, sc, want)
	}
	args := make([]bound.Expr, len(fc.Args))
	ovs := builtins.Func(name)
	for i, a := range fc.Args {
		hint := types.Unknown
		if len(ovs) == 1 && i < len(ovs[0].Args) && ovs[0].Args[i].OID != builtins.AnyOID {
			hint = ovs[0].Args[i]
		}
		x, err := b.bindExpr(a, sc, hint)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	if !arrayElemArgsMatch(name, args) {
		return nil, b.noFunction(name, args, fc.Location)
	}
	return b.callFunc(name, args, fc.Location)
}

// arrayElemArgsMatch checks the anycompatiblearray/anycompatible pairing
// of array_position(s), array_remove and array_replace: the first argument
// is an array (or untyped) and each element argument is untyped or of the
// element type's category, else PostgreSQL finds no common type and no
// function (array_remove(text[], int) is 42883, not a no-op).
func arrayElemArgsMatch(name string, args []bound.Expr) bool {
	n := 0
	switch name {
	case "array_position", "array_positions", "array_remove":
		n = 2
	case "array_replace":
		n = 3
	default:
		return true
	}
	if len(args) < n {
		return true
	}
	at := args[0].Type()
	if at.OID == types.UnknownOID {
		return true
	}
	elem, ok := at.Elem()
	if !ok {
		return false
	}
	for _, a := range args[1:n] {
		t := a.Type()
		if t.OID != types.UnknownOID && t.OID != elem.OID && t.Category() != elem.Category() {
			return false
		}
	}
	return true
}

func (b *binder) bindAggregate(kind bound.AggKind, name string, fc *pg_query.FuncCall, sc *scope) (bound.Expr, error) {
	if b.aggs == nil {
		what := b.aggWhat
		if what == "" {
			what = "this context"
		}
		return nil, pgerror.New(pgerror.GroupingError, "aggregate functions are not allowed in %s", what).WithPosition(fc.Location + 1)
	}
	// Arguments of an aggregate are evaluated per input row: no nesting.
	outer := b.aggs
	b.aggs = nil
	b.aggWhat = "aggregate function calls cannot be nested"
	defer func() { b.aggs, b.aggWhat = outer, "" }()
	agg := bound.Agg{Kind: kind, Name: name, Distinct: fc.AggDistinct}
	if fc.AggStar {
		if kind != bound.AggCount {
			return nil, pgerror.New(pgerror.SyntaxError, "%s(*) is not allowed", name).WithPosition(fc.Location + 1)
		}
		agg.Kind = bound.AggCountStar
	}
	for _, a := range fc.Args {
		x, err := b.bindExpr(a, sc, types.Unknown)
		if err != nil {
			return nil, nestedAggError(err, fc.Location)
		}
		if err := polymorphicUnknown(name, []bound.Expr{x}, fc.Location); err != nil && len(fc.Args) == 1 {
			return nil, err
		}
		if !kind.IsOrderedSet() && !kind.IsRegr() && !kind.IsVariance() {
			x = b.settle(x) // else coerceAggArgs casts it
		}
		agg.Args = append(agg.Args, x)
	}
	if fc.AggFilter != nil {
		b.aggWhat = "FILTER" // "aggregate functions/grouping operations are not allowed in FILTER"
		f, err := b.bindExpr(fc.AggFilter, sc, types.Bool)
		b.aggWhat = "aggregate function calls cannot be nested"
		if err != nil {
			return nil, err
		}
		if agg.Filter, err = b.asBool(f, "FILTER"); err != nil {
			return nil, err
		}
	}
	for _, o := range fc.AggOrder {
		sb := o.GetSortBy()
		x, err := b.bindExpr(sb.Node, sc, types.Unknown)
		if err != nil {
			return nil, err
		}
		if !kind.IsOrderedSet() {
			x = finalize(b.settle(x)) // else coerceAggArgs types it
			if err := checkSortBy(sb, x.Type()); err != nil {
				return nil, err
			}
		}
		item := bound.OrderItem{Expr: x, Desc: sb.SortbyDir == pg_query.SortByDir_SORTBY_DESC}
		item.NullsFirst = item.Desc
		switch sb.SortbyNulls {
		case pg_query.SortByNulls_SORTBY_NULLS_FIRST:
			item.NullsFirst = true
		case pg_query.SortByNulls_SORTBY_NULLS_LAST:
			item.NullsFirst = false
		}
		agg.OrderBy = append(agg.OrderBy, item)
	}
	if agg.Distinct { // after ORDER BY, as transformAggregateCall checks
		for i, x := range agg.Args {
			if err := checkEquality(x.Type(), leftmostLocation(fc.Args[i])); err != nil {
				return nil, err
			}
		}
	}
	if err := b.coerceAggArgs(&agg, fc.Location); err != nil {
		return nil, err
	}
	t, err := aggResultType(&agg, fc.Location)
	if err != nil {
		return nil, err
	}
	agg.T = t
	*outer = append(*outer, agg)
	return &bound.AggRef{Idx: len(*outer) - 1, T: t}, nil
}

// noOrderedSetMatch is PostgreSQL's error for WITHIN GROUP on anything
// but an ordered-set aggregate, and for an ordered-set aggregate without
// it: no function matches the direct and ordered arguments together.
func (b *binder) noOrderedSetMatch(name string, fc *pg_query.FuncCall, sc *scope) error {
	var args []bound.Expr
	for _, a := range fc.Args {
		x, err := b.bindExpr(a, sc, types.Unknown)
		if err != nil {
			return err
		}
		args = append(args, x)
	}
	if fc.AggWithinGroup {
		for _, o := range fc.AggOrder {
			x, err := b.bindExpr(o.GetSortBy().Node, sc, types.Unknown)
			if err != nil {
				return err
			}
			args = append(args, x)
		}
	}
	return b.noFunction(name, args, fc.Location)
}

// coerceAggArgs casts the arguments of the statistics and ordered-set
// aggregates to the types of their pg_aggregate signatures: (float8,
// float8) for corr/covar/regr, float8 or float8[] for a percentile's
// fraction, float8 or interval for percentile_cont's values.
func (b *binder) coerceAggArgs(a *bound.Agg, loc int32) error {
	all := func() []bound.Expr {
		out := append([]bound.Expr(nil), a.Args...)
		for _, o := range a.OrderBy {
			out = append(out, o.Expr)
		}
		return out
	}
	orig := all() // the message names the types as written
	fail := func() error { return b.noFunction(a.Name, orig, loc) }
	to := func(e bound.Expr, t types.Type) (bound.Expr, error) {
		x, err := b.coerce(e, t, castImplicit)
		if err != nil {
			if _, lit := e.(*unknownLit); lit {
				return nil, err // the literal's input error
			}
			return nil, fail()
		}
		return x, nil
	}
	var err error
	switch {
	case a.Kind.IsVariance():
		// An untyped argument resolves to the float8 form (float8 is the
		// preferred type of the numeric category).
		if len(a.Args) == 1 && a.Args[0].Type().OID == types.UnknownOID {
			if a.Args[0], err = to(a.Args[0], types.Float8); err != nil {
				return err
			}
		}
	case a.Kind.IsRegr():
		if len(a.Args) != 2 {
			return fail()
		}
		for i := range a.Args {
			if a.Args[i], err = to(a.Args[i], types.Float8); err != nil {
				return err
			}
		}
	case a.Kind.IsOrderedSet():
		want := 1
		if a.Kind == bound.AggMode {
			want = 0
		}
		if len(a.Args) != want || len(a.OrderBy) != 1 {
			return fail()
		}
		if want == 1 {
			t := types.Float8
			if a.Args[0].Type().IsArray() {
				t, _ = types.ArrayOf(types.Float8)
			}
			if a.Args[0], err = to(a.Args[0], t); err != nil {
				return err
			}
		}
		if a.Kind == bound.AggPercentileCont {
			o := &a.OrderBy[0]
			if o.Expr.Type().OID != types.IntervalOID {
				if o.Expr, err = to(o.Expr, types.Float8); err != nil {
					return err
				}
			}
		} else {
			switch vt := a.OrderBy[0].Expr.Type(); vt.OID {
			case types.UnknownOID:
				return pgerror.New(pgerror.DatatypeMismatch, "could not determine polymorphic type because input has type unknown")
			case types.JSONOID:
				return pgerror.New(pgerror.UndefinedFunction, "could not identify an ordering operator for type %s", types.FormatType(vt)).
					WithHint("Use an explicit ordering operator or modify the query.")
			}
			a.OrderBy[0].Expr = finalize(a.OrderBy[0].Expr)
		}
	}
	return nil
}

func nestedAggError(err error, loc int32) error {
	if pe, ok := err.(*pgerror.Error); ok && pe.Code == pgerror.GroupingError {
		return pgerror.New(pgerror.GroupingError, "aggregate function calls cannot be nested").WithPosition(pe.Position)
	}
	return err
}

// aggResultType follows PostgreSQL's pg_aggregate: sum(int2/int4) is
// bigint, sum(int8) and avg(ints) numeric, avg(float) double precision.
func aggResultType(a *bound.Agg, loc int32) (types.Type, error) {
	if a.Kind == bound.AggCountStar || a.Kind == bound.AggCount {
		return types.Int8, nil
	}
	if a.Kind == bound.AggRegrCount {
		return types.Int8, nil
	}
	if a.Kind.IsRegr() {
		return types.Float8, nil // the arguments are float8 (coerceAggArgs)
	}
	if a.Kind.IsOrderedSet() {
		// The value type (float8 or interval for percentile_cont), or an
		// array of it for the array forms of the percentiles.
		vt := a.OrderBy[0].Expr.Type()
		vt = types.Type{OID: vt.OID, Typmod: vt.Typmod}
		if a.Kind != bound.AggMode && a.Args[0].Type().IsArray() {
			if t, ok := types.ArrayOf(vt); ok {
				return t, nil
			}
			return types.Type{}, pgerror.New(pgerror.UndefinedFunction, "could not find array type for data type %s", types.FormatType(vt))
		}
		return vt, nil
	}
	if len(a.Args) == 0 {
		return types.Type{}, pgerror.New(pgerror.UndefinedFunction, "function %s() does not exist", a.Name).WithPosition(loc + 1)
	}
	at := a.Args[0].Type()
	bad := func() (types.Type, error) {
		return types.Type{}, pgerror.New(pgerror.UndefinedFunction, "function %s(%s) does not exist", a.Name, types.FormatType(at)).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.").WithPosition(loc + 1)
	}
	switch a.Kind {
	case bound.AggSum:
		switch at.OID {
		case types.Int2OID, types.Int4OID:
			return types.Int8, nil
		case types.Int8OID, types.NumericOID:
			return types.Numeric, nil
		case types.Float4OID, types.Float8OID, types.IntervalOID:
			return types.Type{OID: at.OID, Typmod: -1}, nil
		}
		return bad()
	case bound.AggAvg:
		switch at.OID {
		case types.Int2OID, types.Int4OID, types.Int8OID, types.NumericOID:
			return types.Numeric, nil
		case types.Float4OID, types.Float8OID:
			return types.Float8, nil
		case types.IntervalOID:
			return types.Interval, nil
		}
		return bad()
	case bound.AggMin, bound.AggMax:
		// PostgreSQL has no min/max for json, jsonb or boolean (bool_and/or).
		if at.Kind() == types.KindJSON || at.OID == types.BoolOID {
			return bad()
		}
		return types.Type{OID: at.OID, Typmod: at.Typmod}, nil
	case bound.AggBoolAnd, bound.AggBoolOr:
		if at.OID != types.BoolOID {
			return bad()
		}
		return types.Bool, nil
	case bound.AggStringAgg:
		if at.OID == types.ByteaOID {
			return types.Bytea, nil
		}
		return types.Text, nil
	case bound.AggArrayAgg:
		if t, ok := types.ArrayOf(at); ok {
			return t, nil
		}
		return bad()
	case bound.AggJSON, bound.AggJSONObject:
		return types.JSON, nil
	case bound.AggJSONB, bound.AggJSONBObject:
		return types.JSONB, nil
	case bound.AggBitAnd, bound.AggBitOr, bound.AggBitXor:
		switch at.OID {
		case types.Int2OID, types.Int4OID, types.Int8OID:
			return types.Type{OID: at.OID, Typmod: -1}, nil
		}
		return bad()
	case bound.AggVarSamp, bound.AggVarPop, bound.AggStddevSamp, bound.AggStddevPop:
		if len(a.Args) != 1 {
			break
		}
		switch at.OID {
		case types.Int2OID, types.Int4OID, types.Int8OID, types.NumericOID:
			return types.Numeric, nil
		case types.Float4OID, types.Float8OID:
			return types.Float8, nil
		}
		return bad()
	}
	return bad()
}

func (b *binder) bindSubLink(sl *pg_query.SubLink, sc *scope) (bound.Expr, error) {
	if sc == nil {
		sc = &scope{}
	}
	st := sl.Subselect.GetSelectStmt()
	if st == nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "this subquery is not supported").WithPosition(sl.Location + 1)
	}
	before := b.outerRefs
	saved, savedWhat := b.aggs, b.aggWhat
	b.aggs, b.aggWhat = nil, ""
	q, err := b.bindSelect(st, sc)
	b.aggs, b.aggWhat = saved, savedWhat
	if err != nil {
		return nil, err
	}
	sq := &bound.Subquery{Plan: q, Correlated: b.outerRefs > before}
	switch sl.SubLinkType {
	case pg_query.SubLinkType_EXISTS_SUBLINK:
		sq.Kind, sq.T = bound.SubExists, types.Bool
		return sq, nil
	case pg_query.SubLinkType_EXPR_SUBLINK:
		if q.Visible != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column").WithPosition(sl.Location + 1)
		}
		sq.Kind, sq.T = bound.SubScalar, q.Targets[0].Expr.Type()
		if sq.T.OID == types.UnknownOID {
			sq.T = types.Text
		}
		return sq, nil
	case pg_query.SubLinkType_ARRAY_SUBLINK:
		if q.Visible != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery must return only one column").WithPosition(sl.Location + 1)
		}
		et := q.Targets[0].Expr.Type()
		if et.OID == types.UnknownOID {
			et = types.Text
		}
		at, ok := types.ArrayOf(et)
		if !ok {
			return nil, pgerror.New(pgerror.UndefinedObject, "could not find array type for data type %s", types.FormatType(et)).WithPosition(sl.Location + 1)
		}
		sq.Kind, sq.T = bound.SubArray, at
		return sq, nil
	case pg_query.SubLinkType_ANY_SUBLINK, pg_query.SubLinkType_ALL_SUBLINK:
		if row := sl.Testexpr.GetRowExpr(); row != nil {
			b.outerRefs = before
			return b.bindRowSubLink(sl, row, q.Visible, sc)
		}
		if q.Visible != 1 {
			return nil, pgerror.New(pgerror.SyntaxError, "subquery has too many columns").WithPosition(sl.Location + 1)
		}
		op := "="
		if len(sl.OperName) > 0 {
			op = opName(sl.OperName)
		}
		cmp, ok := cmpOps[op]
		if !ok {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "operator %s with a subquery is not supported yet", op).WithPosition(sl.Location + 1)
		}
		x, err := b.bindExpr(sl.Testexpr, sc, q.Targets[0].Expr.Type())
		if err != nil {
			return nil, err
		}
		col := &bound.ColRef{Idx: 0, T: q.Targets[0].Expr.Type()}
		l, r, err := b.unify(x, col, op, sl.Location)
		if err != nil {
			return nil, err
		}
		if r != bound.Expr(col) {
			// The subquery's column needs a conversion: apply it inside.
			q.Targets[0].Expr = finalize(mustRebase(r, q.Targets[0].Expr))
		}
		sq.X, sq.Op, sq.T = finalize(l), cmp, types.Bool
		sq.Kind = bound.SubAny
		if sl.SubLinkType == pg_query.SubLinkType_ALL_SUBLINK {
			sq.Kind = bound.SubAll
		}
		return sq, nil
	}
	return nil, pgerror.New(pgerror.FeatureNotSupported, "this kind of subquery is not supported yet").WithPosition(sl.Location + 1)
}

// mustRebase replaces ColRef 0 in conv (a conversion of the subquery's
// output column) by the column's own expression.
func mustRebase(conv, colExpr bound.Expr) bound.Expr {
	out, _ := bound.Rewrite(conv, func(x bound.Expr) (bound.Expr, error) {
		if c, ok := x.(*bound.ColRef); ok && c.Idx == 0 {
			return colExpr, nil
		}
		return x, nil
	})
	return out
}

// bindRowCompare binds a row comparison, (a, b) op (c, d), as PostgreSQL
// defines it: = and <> compare every pair (AND / OR), and the ordering
// operators compare lexicographically: a < c OR (a = c AND b < d).
func (b *binder) bindRowCompare(op string, left, right []*pg_query.Node, sc *scope, loc int32) (bound.Expr, error) {
	if op == "!=" {
		op = "<>"
	}
	if len(left) != len(right) {
		return nil, pgerror.New(pgerror.SyntaxError, "unequal number of entries in row expressions").WithPosition(loc + 1)
	}
	pair := func(i int, op string) (bound.Expr, error) {
		l, r, err := b.bindPair(left[i], right[i], sc)
		if err != nil {
			return nil, err
		}
		return b.binaryOp(op, l, r, loc)
	}
	var out bound.Expr
	switch op {
	case "=", "<>":
		for i := range left {
			e, err := pair(i, op)
			if err != nil {
				return nil, err
			}
			switch {
			case out == nil:
				out = e
			case op == "=":
				out = &bound.And{L: out, R: e}
			default:
				out = &bound.Or{L: out, R: e}
			}
		}
		return out, nil
	}
	// Lexicographic: the last column uses op itself; each earlier column
	// decides with its strict form unless equal.
	strict := map[string]string{"<": "<", "<=": "<", ">": ">", ">=": ">"}[op]
	for i := len(left) - 1; i >= 0; i-- {
		cmp := strict
		if i == len(left)-1 {
			cmp = op
		}
		e, err := pair(i, cmp)
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = e
			continue
		}
		eq, err := pair(i, "=")
		if err != nil {
			return nil, err
		}
		out = &bound.Or{L: e, R: &bound.And{L: eq, R: out}}
	}
	return out, nil
}

// bindRowIn binds (a, b) [NOT] IN ((1, 2), (3, 4)) as a disjunction of row
// equalities (a conjunction of row inequalities for NOT IN), which gives
// IN's three-valued result.
func (b *binder) bindRowIn(not bool, left []*pg_query.Node, items []*pg_query.Node, sc *scope, loc int32) (bound.Expr, error) {
	op := "="
	if not {
		op = "<>"
	}
	var out bound.Expr
	for _, it := range items {
		row := it.GetRowExpr()
		if row == nil {
			return nil, pgerror.New(pgerror.FeatureNotSupported, "IN with a row on the left needs rows on the right").WithPosition(loc + 1)
		}
		e, err := b.bindRowCompare(op, left, row.Args, sc, loc)
		if err != nil {
			return nil, err
		}
		switch {
		case out == nil:
			out = e
		case not:
			out = &bound.And{L: out, R: e}
		default:
			out = &bound.Or{L: out, R: e}
		}
	}
	return out, nil
}

// readColumn records a column the query being stored as a view reads.
func (b *binder) readColumn(c scopeCol) {
	if b.colDeps == nil || b.inView > 0 {
		return
	}
	rel, att := c.tableOID, c.attnum
	if c.viewOID != 0 {
		rel, att = c.viewOID, c.viewAtt
	}
	if rel == 0 || att <= 0 || b.cat.Table(rel) == nil {
		return
	}
	for _, d := range *b.colDeps {
		if d.Rel == rel && d.Attnum == att {
			return
		}
	}
	*b.colDeps = append(*b.colDeps, catalog.ColDep{Rel: rel, Attnum: att})
}
