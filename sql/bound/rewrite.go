package bound

// MapChildren returns a copy of e whose direct sub-expressions are replaced
// by f's results. Leaves are returned as they are.
func MapChildren(e Expr, f func(Expr) (Expr, error)) (Expr, error) {
	var err error
	m := func(x Expr) Expr {
		if err != nil || x == nil {
			return x
		}
		var y Expr
		y, err = f(x)
		return y
	}
	mAll := func(xs []Expr) []Expr {
		out := make([]Expr, len(xs))
		for i, x := range xs {
			out[i] = m(x)
		}
		return out
	}
	var n Expr
	switch e := e.(type) {
	case *Call:
		c := *e
		c.Args = mAll(e.Args)
		n = &c
	case *Compare:
		n = &Compare{Op: e.Op, L: m(e.L), R: m(e.R)}
	case *And:
		n = &And{L: m(e.L), R: m(e.R)}
	case *Or:
		n = &Or{L: m(e.L), R: m(e.R)}
	case *Not:
		n = &Not{X: m(e.X)}
	case *IsNull:
		n = &IsNull{X: m(e.X), Not: e.Not}
	case *IsBool:
		n = &IsBool{X: m(e.X), Value: e.Value, Not: e.Not}
	case *IsDistinct:
		n = &IsDistinct{L: m(e.L), R: m(e.R), Not: e.Not}
	case *Case:
		c := &Case{T: e.T, Else: m(e.Else)}
		for _, w := range e.Whens {
			c.Whens = append(c.Whens, When{Cond: m(w.Cond), Then: m(w.Then)})
		}
		n = c
	case *Cast:
		n = &Cast{X: m(e.X), T: e.T, Explicit: e.Explicit}
	case *Coalesce:
		n = &Coalesce{Args: mAll(e.Args), T: e.T}
	case *NullIf:
		n = &NullIf{A: m(e.A), B: m(e.B)}
	case *InList:
		n = &InList{X: m(e.X), List: mAll(e.List), Not: e.Not}
	case *Like:
		n = &Like{X: m(e.X), Pattern: m(e.Pattern), Escape: m(e.Escape), CaseInsensitive: e.CaseInsensitive, Not: e.Not}
	case *Subquery:
		c := *e
		c.X = m(e.X)
		n = &c
	default:
		n = e
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Rewrite rebuilds e bottom-up: fn sees each node after its children were
// rewritten and returns its replacement. Nodes are copied, never modified.
func Rewrite(e Expr, fn func(Expr) (Expr, error)) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	n, err := MapChildren(e, func(x Expr) (Expr, error) { return Rewrite(x, fn) })
	if err != nil {
		return nil, err
	}
	return fn(n)
}

// Transform rewrites e top-down: pre sees a node first and either replaces
// it (done) or lets Transform descend into its children.
func Transform(e Expr, pre func(Expr) (Expr, bool, error)) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	r, done, err := pre(e)
	if err != nil || done {
		return r, err
	}
	return MapChildren(e, func(x Expr) (Expr, error) { return Transform(x, pre) })
}
