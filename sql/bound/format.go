package bound

import (
	"strconv"
	"strings"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// Format renders an expression for EXPLAIN, close to PostgreSQL's style:
// operators parenthesized, constants quoted and cast where PostgreSQL would.
func Format(e Expr) string {
	var b strings.Builder
	format(&b, e, true)
	return b.String()
}

func format(b *strings.Builder, e Expr, top bool) {
	switch e := e.(type) {
	case *Const:
		if e.Val.K == types.KindNull {
			b.WriteString("NULL")
			return
		}
		txt := string(types.AppendText(nil, e.Val, e.T, nil))
		switch e.Val.K {
		case types.KindInt, types.KindFloat, types.KindNumeric:
			if e.T.OID == types.RegconfigOID {
				// A configuration prints by name: 'english'::regconfig.
				b.WriteString("'" + txt + "'::regconfig")
			} else if strings.HasPrefix(txt, "-") {
				b.WriteString("'" + txt + "'::" + types.FormatType(e.T))
			} else {
				b.WriteString(txt)
			}
		case types.KindBool:
			if e.Val.I == 1 {
				b.WriteString("true")
			} else {
				b.WriteString("false")
			}
		default:
			b.WriteString("'" + strings.ReplaceAll(txt, "'", "''") + "'::" + types.FormatType(e.T))
		}
	case *Param:
		b.WriteString("$")
		b.WriteString(itoa(e.Idx + 1))
	case *ColRef:
		b.WriteString(e.Name)
	case *OuterRef:
		b.WriteString("$outer")
	case *Compare:
		binop(b, e.L, e.Op.String(), e.R)
	case *And:
		b.WriteString("(")
		format(b, e.L, false)
		b.WriteString(" AND ")
		format(b, e.R, false)
		b.WriteString(")")
	case *Or:
		b.WriteString("(")
		format(b, e.L, false)
		b.WriteString(" OR ")
		format(b, e.R, false)
		b.WriteString(")")
	case *Not:
		b.WriteString("(NOT ")
		format(b, e.X, false)
		b.WriteString(")")
	case *IsNull:
		b.WriteString("(")
		format(b, e.X, false)
		if e.Not {
			b.WriteString(" IS NOT NULL)")
		} else {
			b.WriteString(" IS NULL)")
		}
	case *Call:
		if e.Infix && len(e.Args) == 2 {
			binop(b, e.Args[0], e.Name, e.Args[1])
			return
		}
		b.WriteString(e.Name)
		b.WriteString("(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, a, false)
		}
		b.WriteString(")")
	case *Cast:
		b.WriteString("(")
		format(b, e.X, false)
		b.WriteString(")::")
		b.WriteString(types.FormatType(e.T))
	case *InList:
		b.WriteString("(")
		format(b, e.X, false)
		if e.Not {
			b.WriteString(" NOT IN (")
		} else {
			b.WriteString(" IN (")
		}
		for i, a := range e.List {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, a, false)
		}
		b.WriteString("))")
	case *Like:
		op := " ~~ "
		switch {
		case e.CaseInsensitive && e.Not:
			op = " !~~* "
		case e.CaseInsensitive:
			op = " ~~* "
		case e.Not:
			op = " !~~ "
		}
		binop(b, e.X, strings.TrimSpace(op), e.Pattern)
	case *Case:
		b.WriteString("CASE")
		for _, w := range e.Whens {
			b.WriteString(" WHEN ")
			format(b, w.Cond, false)
			b.WriteString(" THEN ")
			format(b, w.Then, false)
		}
		if e.Else != nil {
			b.WriteString(" ELSE ")
			format(b, e.Else, false)
		}
		b.WriteString(" END")
	case *Coalesce:
		b.WriteString("COALESCE(")
		for i, a := range e.Args {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, a, false)
		}
		b.WriteString(")")
	case *NullIf:
		b.WriteString("NULLIF(")
		format(b, e.A, false)
		b.WriteString(", ")
		format(b, e.B, false)
		b.WriteString(")")
	default:
		b.WriteString("?")
	}
}

func binop(b *strings.Builder, l Expr, op string, r Expr) {
	b.WriteString("(")
	format(b, l, false)
	b.WriteString(" " + op + " ")
	format(b, r, false)
	b.WriteString(")")
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var buf [20]byte
	n := len(buf)
	for i > 0 {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
	}
	return string(buf[n:])
}

// Walk calls fn for e and every sub-expression (not into subquery plans).
func Walk(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	switch e := e.(type) {
	case *Call:
		for _, a := range e.Args {
			Walk(a, fn)
		}
	case *Compare:
		Walk(e.L, fn)
		Walk(e.R, fn)
	case *And:
		Walk(e.L, fn)
		Walk(e.R, fn)
	case *Or:
		Walk(e.L, fn)
		Walk(e.R, fn)
	case *Not:
		Walk(e.X, fn)
	case *IsNull:
		Walk(e.X, fn)
	case *IsBool:
		Walk(e.X, fn)
	case *IsDistinct:
		Walk(e.L, fn)
		Walk(e.R, fn)
	case *Case:
		for _, w := range e.Whens {
			Walk(w.Cond, fn)
			Walk(w.Then, fn)
		}
		Walk(e.Else, fn)
	case *Cast:
		Walk(e.X, fn)
	case *Coalesce:
		for _, a := range e.Args {
			Walk(a, fn)
		}
	case *NullIf:
		Walk(e.A, fn)
		Walk(e.B, fn)
	case *InList:
		Walk(e.X, fn)
		for _, a := range e.List {
			Walk(a, fn)
		}
	case *Like:
		Walk(e.X, fn)
		Walk(e.Pattern, fn)
		Walk(e.Escape, fn)
	case *Subquery:
		Walk(e.X, fn)
	}
}

// RowFree reports whether e reads nothing from the current row (it may
// read parameters and constants): such a value is fixed for one execution.
func RowFree(e Expr) bool {
	free := true
	Walk(e, func(x Expr) bool {
		switch x := x.(type) {
		case *ColRef, *OuterRef, *AggRef, *Subquery:
			free = false
		case *Call:
			if x.Volatile {
				free = false
			}
		}
		return free
	})
	return free
}

// Conjuncts splits e on AND.
func Conjuncts(e Expr) []Expr {
	if e == nil {
		return nil
	}
	if a, ok := e.(*And); ok {
		return append(Conjuncts(a.L), Conjuncts(a.R)...)
	}
	return []Expr{e}
}

// MatchKey identifies an expression for matching ORDER BY and GROUP BY
// items against targets and group keys: its text, plus which input
// columns it reads, since two columns of one name (o.id, c.id) print alike.
func MatchKey(e Expr) string {
	var b strings.Builder
	b.WriteString(Format(e))
	Walk(e, func(x Expr) bool {
		switch c := x.(type) {
		case *ColRef:
			b.WriteString("|")
			b.WriteString(strconv.Itoa(c.Idx))
		case *OuterRef:
			b.WriteString("|^")
			b.WriteString(strconv.Itoa(c.Depth))
			b.WriteString(".")
			b.WriteString(strconv.Itoa(c.Idx))
		}
		return true
	})
	return b.String()
}
