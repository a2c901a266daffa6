package builtins

import (
	"regexp"
	"strings"
	"sync"

	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// The POSIX regular-expression match operators ~ !~ ~* !~* on text, which
// every catalog query of psql uses (n.nspname !~ '^pg_',
// c.relname OPERATOR(pg_catalog.~) '^(orders)$'). PostgreSQL's advanced
// regular expressions are translated to Go's RE2 syntax for the common
// differences (\m \M \y \Y word boundaries, \Z); back-references, which
// RE2 lacks, are reported as an invalid expression.

var regexCache sync.Map // pattern+flag -> *regexp.Regexp

// CompileRegex compiles a PostgreSQL regular expression (ci: case
// insensitive), caching the result.
func CompileRegex(pattern string, ci bool) (*regexp.Regexp, error) {
	key := pattern
	if ci {
		key = "i\x00" + pattern
	} else {
		key = "c\x00" + pattern
	}
	if re, ok := regexCache.Load(key); ok {
		return re.(*regexp.Regexp), nil
	}
	src := translateRegex(pattern)
	if ci {
		src = "(?i)" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, pgerror.New(pgerror.InvalidRegularExpression, "invalid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	regexCache.Store(key, re)
	return re, nil
}

func translateRegex(p string) string {
	if !strings.ContainsAny(p, `\[`) {
		return p
	}
	r := strings.NewReplacer(`\m`, `\b`, `\M`, `\b`, `\y`, `\b`, `\Y`, `\B`, `\Z`, `\z`, `[[:<:]]`, `\b`, `[[:>:]]`, `\b`)
	return r.Replace(p)
}

func init() {
	for _, op := range []struct {
		name   string
		ci     bool
		negate bool
	}{{"~", false, false}, {"!~", false, true}, {"~*", true, false}, {"!~*", true, true}} {
		op := op
		exists := false
		for _, ov := range binops[op.name] {
			if sameArgs(ov.Args, []types.Type{types.Text, types.Text}) {
				exists = true
			}
		}
		if _, ok := types.LookupBinaryOp(op.name, types.TextOID, types.TextOID); ok || exists {
			continue
		}
		match := func(_ *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			re, err := CompileRegex(a[1].S, op.ci)
			if err != nil {
				return types.Datum{}, err
			}
			return types.NewBool(re.MatchString(a[0].S) != op.negate), nil
		}
		binop(op.name, Overload{Args: []types.Type{types.Text, types.Text}, Ret: types.Bool, Fn: match})
		// bpcharregexeq and friends: char(n) is matched with its trailing
		// blanks ('x'::char(4) ~ ' $'), where a cast to text would drop them.
		binop(op.name, Overload{Args: []types.Type{types.BPChar, types.Text}, Ret: types.Bool, Fn: match})
	}
}
