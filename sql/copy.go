package sql

// COPY: https://www.postgresql.org/docs/15/sql-copy.html
//
// COPY table [(cols)] FROM STDIN and COPY table [(cols)] | (query) TO
// STDOUT, in the text, CSV and binary formats, with PostgreSQL 15's
// options and its error messages and CONTEXT lines. The wire side is
// ResultWriter.CopyIn/CopyOut; this file never sees a protocol message.
//
//   - copy.go: the statement, its options (ProcessCopyOptions in
//     src/backend/commands/copy.c), COPY TO (copyto.c).
//   - copy_from.go: COPY FROM (copyfrom.c, copyfromparse.c): a source node
//     that parses rows from the stream under executor.Insert, so that a
//     copied row goes through exactly what an inserted one does: column
//     defaults, NOT NULL, CHECK, unique indexes, foreign keys, index
//     maintenance. The statement fails as a whole, like any other.
//
// Differences from PostgreSQL 15, deliberate for now: COPY to or from a
// server file or a PROGRAM is refused (0A000; psql's \copy works, it goes
// through STDIN/STDOUT); FREEZE is accepted and ignored (PostgreSQL
// requires the table to be created or truncated in the same
// subtransaction); ENCODING accepts only UTF8 (and SQL_ASCII, read as
// UTF8); COPY FROM ... WHERE is not supported.

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/planner"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

type copyFormat int8

const (
	copyText copyFormat = iota
	copyCSV
	copyBinary
)

// copyOptions are a COPY statement's options after ProcessCopyOptions:
// defaults filled in and combinations checked.
type copyOptions struct {
	format      copyFormat
	header      bool
	headerMatch bool
	delim       byte
	null        string
	quote       byte
	escape      byte
	freeze      bool

	forceQuoteAll bool
	forceQuote    *pg_query.DefElem // the option, for its column list
	forceNotNull  *pg_query.DefElem
	forceNull     *pg_query.DefElem
}

// copyBinarySignature starts a binary COPY file.
const copyBinarySignature = "PGCOPY\n\xff\r\n\x00"

// maxCopyDataDisplay bounds a value quoted in a CONTEXT line (copyfrom.c).
const maxCopyDataDisplay = 100

// execCopy runs COPY.
func (s *Session) execCopy(ctx context.Context, st *pg_query.CopyStmt, w ResultWriter) error {
	if st.Filename != "" || st.IsProgram {
		// PostgreSQL lets superusers (and pg_read_server_files /
		// pg_write_server_files / pg_execute_server_program) do this; the
		// server's file system is not a prkdb-sql client's business.
		return pgerror.New(pgerror.FeatureNotSupported, "COPY to or from a file is not supported").
			WithHint("Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.")
	}
	o, err := copyOptionsOf(st.Options, st.IsFrom)
	if err != nil {
		return err
	}
	if st.WhereClause != nil {
		return pgerror.New(pgerror.FeatureNotSupported, "COPY FROM ... WHERE is not supported")
	}
	if st.IsFrom {
		return s.copyFrom(ctx, st, o, w)
	}
	return s.copyTo(ctx, st, o, w)
}

// ---- options ----------------------------------------------------------

func copyOptionsOf(list []*pg_query.Node, isFrom bool) (*copyOptions, error) {
	o := &copyOptions{}
	var delim, null, quote, escape *string
	var formatSet, freezeSet, headerSet, encodingSet bool
	conflict := func(de *pg_query.DefElem) error {
		return pgerror.New(pgerror.SyntaxError, "conflicting or redundant options").WithPosition(de.Location + 1)
	}
	for _, n := range list {
		de := n.GetDefElem()
		if de == nil {
			continue
		}
		switch de.Defname {
		case "format":
			if formatSet {
				return nil, conflict(de)
			}
			formatSet = true
			f, err := copyDefString(de)
			if err != nil {
				return nil, err
			}
			switch f {
			case "text":
				o.format = copyText
			case "csv":
				o.format = copyCSV
			case "binary":
				o.format = copyBinary
			default:
				return nil, pgerror.New(pgerror.InvalidParameterValue, "COPY format \"%s\" not recognized", f).WithPosition(de.Location + 1)
			}
		case "freeze":
			if freezeSet {
				return nil, conflict(de)
			}
			freezeSet = true
			b, err := copyDefBool(de)
			if err != nil {
				return nil, err
			}
			o.freeze = b
		case "delimiter", "null", "quote", "escape":
			p := map[string]**string{"delimiter": &delim, "null": &null, "quote": &quote, "escape": &escape}[de.Defname]
			if *p != nil {
				return nil, conflict(de)
			}
			v, err := copyDefString(de)
			if err != nil {
				return nil, err
			}
			*p = &v
		case "header":
			if headerSet {
				return nil, conflict(de)
			}
			headerSet = true
			h, match, err := copyDefHeader(de, isFrom)
			if err != nil {
				return nil, err
			}
			o.header, o.headerMatch = h, match
		case "force_quote":
			if o.forceQuote != nil || o.forceQuoteAll {
				return nil, conflict(de)
			}
			switch {
			case de.Arg != nil && de.Arg.GetAStar() != nil:
				o.forceQuoteAll = true
			case de.Arg != nil && de.Arg.GetList() != nil:
				o.forceQuote = de
			default:
				return nil, errCopyColumnList(de)
			}
		case "force_not_null", "force_null":
			p := &o.forceNotNull
			if de.Defname == "force_null" {
				p = &o.forceNull
			}
			if *p != nil {
				return nil, conflict(de)
			}
			if de.Arg == nil || de.Arg.GetList() == nil {
				return nil, errCopyColumnList(de)
			}
			*p = de
		case "encoding":
			if encodingSet {
				return nil, conflict(de)
			}
			encodingSet = true
			v, err := copyDefString(de)
			if err != nil {
				return nil, err
			}
			if err := checkCopyEncoding(v, de); err != nil {
				return nil, err
			}
		default:
			return nil, pgerror.New(pgerror.SyntaxError, "option \"%s\" not recognized", de.Defname).WithPosition(de.Location + 1)
		}
	}

	binaryFmt, csv := o.format == copyBinary, o.format == copyCSV
	if binaryFmt && delim != nil {
		return nil, pgerror.New(pgerror.SyntaxError, "cannot specify DELIMITER in BINARY mode")
	}
	if binaryFmt && null != nil {
		return nil, pgerror.New(pgerror.SyntaxError, "cannot specify NULL in BINARY mode")
	}
	if delim == nil {
		d := "\t"
		if csv {
			d = ","
		}
		delim = &d
	}
	if null == nil {
		n := `\N`
		if csv {
			n = ""
		}
		null = &n
	}
	if csv {
		if quote == nil {
			q := `"`
			quote = &q
		}
		if escape == nil {
			escape = quote
		}
	}
	if len(*delim) != 1 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY delimiter must be a single one-byte character")
	}
	o.delim, o.null = (*delim)[0], *null
	if o.delim == '\r' || o.delim == '\n' {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "COPY delimiter cannot be newline or carriage return")
	}
	if strings.ContainsAny(o.null, "\r\n") {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "COPY null representation cannot use newline or carriage return")
	}
	if !csv && strings.IndexByte(`\.abcdefghijklmnopqrstuvwxyz0123456789`, o.delim) >= 0 {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "COPY delimiter cannot be \"%s\"", *delim)
	}
	if binaryFmt && o.header {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "cannot specify HEADER in BINARY mode")
	}
	if !csv && quote != nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY quote available only in CSV mode")
	}
	if csv && len(*quote) != 1 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY quote must be a single one-byte character")
	}
	if csv && o.delim == (*quote)[0] {
		return nil, pgerror.New(pgerror.InvalidParameterValue, "COPY delimiter and quote must be different")
	}
	if !csv && escape != nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY escape available only in CSV mode")
	}
	if csv && len(*escape) != 1 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY escape must be a single one-byte character")
	}
	if csv {
		o.quote, o.escape = (*quote)[0], (*escape)[0]
	}
	if !csv && (o.forceQuote != nil || o.forceQuoteAll) {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY force quote available only in CSV mode")
	}
	if (o.forceQuote != nil || o.forceQuoteAll) && isFrom {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY force quote only available using COPY TO")
	}
	if !csv && o.forceNotNull != nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY force not null available only in CSV mode")
	}
	if o.forceNotNull != nil && !isFrom {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY force not null only available using COPY FROM")
	}
	if !csv && o.forceNull != nil {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY force null available only in CSV mode")
	}
	if o.forceNull != nil && !isFrom {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY force null only available using COPY FROM")
	}
	if strings.IndexByte(o.null, o.delim) >= 0 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY delimiter must not appear in the NULL specification")
	}
	if csv && strings.IndexByte(o.null, o.quote) >= 0 {
		return nil, pgerror.New(pgerror.FeatureNotSupported, "CSV quote character must not appear in the NULL specification")
	}
	return o, nil
}

func errCopyColumnList(de *pg_query.DefElem) error {
	return pgerror.New(pgerror.InvalidParameterValue, "argument to option \"%s\" must be a list of column names", de.Defname).WithPosition(de.Location + 1)
}

// copyDefString is PostgreSQL's defGetString.
func copyDefString(de *pg_query.DefElem) (string, error) {
	if de.Arg != nil {
		switch v := de.Arg.Node.(type) {
		case *pg_query.Node_String_:
			return v.String_.Sval, nil
		case *pg_query.Node_Integer:
			return itoa(int(v.Integer.Ival)), nil
		case *pg_query.Node_Float:
			return v.Float.Fval, nil
		case *pg_query.Node_Boolean:
			if v.Boolean.Boolval {
				return "true", nil
			}
			return "false", nil
		case *pg_query.Node_AStar:
			return "*", nil
		}
	}
	return "", pgerror.New(pgerror.SyntaxError, "%s requires a parameter", de.Defname)
}

// copyDefBool is PostgreSQL's defGetBoolean.
func copyDefBool(de *pg_query.DefElem) (bool, error) {
	if de.Arg == nil {
		return true, nil
	}
	if iv := de.Arg.GetInteger(); iv != nil {
		switch iv.Ival {
		case 0:
			return false, nil
		case 1:
			return true, nil
		}
	} else if v, err := copyDefString(de); err == nil {
		switch strings.ToLower(v) {
		case "true", "on":
			return true, nil
		case "false", "off":
			return false, nil
		}
	}
	return false, pgerror.New(pgerror.SyntaxError, "%s requires a Boolean value", de.Defname)
}

// copyDefHeader is PostgreSQL 15's defGetCopyHeaderChoice.
func copyDefHeader(de *pg_query.DefElem, isFrom bool) (header, match bool, err error) {
	if de.Arg == nil {
		return true, false, nil
	}
	if iv := de.Arg.GetInteger(); iv != nil {
		switch iv.Ival {
		case 0:
			return false, false, nil
		case 1:
			return true, false, nil
		}
	} else if v, err := copyDefString(de); err == nil {
		switch strings.ToLower(v) {
		case "true", "on":
			return true, false, nil
		case "false", "off":
			return false, false, nil
		case "match":
			if !isFrom {
				return false, false, pgerror.New(pgerror.FeatureNotSupported, "cannot use \"%s\" with HEADER in COPY TO", v)
			}
			return true, true, nil
		}
	}
	return false, false, pgerror.New(pgerror.SyntaxError, "%s requires a Boolean value or \"match\"", de.Defname)
}

// checkCopyEncoding accepts UTF8 (data are never converted) and refuses
// the other encodings PostgreSQL knows.
func checkCopyEncoding(name string, de *pg_query.DefElem) error {
	// pg_char_to_encoding compares names without punctuation, any case.
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, name)
	switch clean {
	case "utf8", "unicode", "sqlascii":
		return nil
	}
	for _, known := range strings.Fields(`abc alt big5 euccn eucjis2004 eucjp euckr euctw gb18030 gbk
		iso88591 iso885910 iso885913 iso885914 iso885915 iso885916 iso88592 iso88593 iso88594 iso88595
		iso88596 iso88597 iso88598 iso88599 johab koi8 koi8r koi8u latin1 latin10 latin2 latin3 latin4
		latin5 latin6 latin7 latin8 latin9 mskanji muleinternal shiftjis shiftjis2004 sjis tcvn tcvn5712
		uhc vscii win win1250 win1251 win1252 win1253 win1254 win1255 win1256 win1257 win1258 win866
		win874 win932 win936 win949 win950 windows1250 windows1251 windows1252 windows1253 windows1254
		windows1255 windows1256 windows1257 windows1258 windows866 windows874 windows932 windows936
		windows949 windows950`) {
		if clean == known {
			return pgerror.New(pgerror.FeatureNotSupported, "COPY with ENCODING \"%s\" is not supported", name).
				WithHint("Only UTF8 is supported.")
		}
	}
	return pgerror.New(pgerror.InvalidParameterValue, "argument to option \"%s\" must be a valid encoding name", de.Defname).WithPosition(de.Location + 1)
}

// ---- columns -------------------------------------------------------------

// copyColumns resolves a COPY column list (CopyGetAttnums): storage
// positions, all visible columns when the list is empty.
func copyColumns(t *catalog.Table, list []*pg_query.Node) ([]int, error) {
	if len(list) == 0 {
		// PostgreSQL 15 leaves generated columns out of COPY: COPY FROM
		// computes them, as INSERT does.
		var out []int
		for _, c := range t.VisibleColumns() {
			if t.Columns[c].Generated == "" {
				out = append(out, c)
			}
		}
		return out, nil
	}
	var out []int
	for _, n := range list {
		name := strVal(n)
		idx, _ := t.ColumnByName(name)
		if idx < 0 {
			return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, t.Name)
		}
		if t.Columns[idx].Generated != "" {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "column \"%s\" is a generated column", name).
				WithDetail("Generated columns cannot be used in COPY.")
		}
		for _, o := range out {
			if o == idx {
				return nil, pgerror.New(pgerror.DuplicateColumn, "column \"%s\" specified more than once", name)
			}
		}
		out = append(out, idx)
	}
	return out, nil
}

// copyForcedColumns marks the COPY columns a FORCE_* option names: one flag
// per COPY column (names, in COPY order). relHas tells whether the
// relation has a column (nil for COPY (query), whose columns are all
// COPY columns).
func copyForcedColumns(de *pg_query.DefElem, what, rel string, names []string, relHas func(string) bool) ([]bool, error) {
	flags := make([]bool, len(names))
	if de == nil {
		return flags, nil
	}
	items := de.Arg.GetList().GetItems()
	// CopyGetAttnums first: every name must be a column, once.
	seen := map[string]bool{}
	for _, n := range items {
		name := strVal(n)
		switch {
		case relHas == nil && !slices.Contains(names, name):
			return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" does not exist", name)
		case relHas != nil && !relHas(name):
			return nil, pgerror.New(pgerror.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, rel)
		case seen[name]:
			return nil, pgerror.New(pgerror.DuplicateColumn, "column \"%s\" specified more than once", name)
		}
		seen[name] = true
	}
	for _, n := range items {
		name := strVal(n)
		i := slices.Index(names, name)
		if i < 0 {
			return nil, pgerror.New(pgerror.InvalidColumnReference, "%s column \"%s\" not referenced by COPY", what, name)
		}
		flags[i] = true
	}
	return flags, nil
}

// copyRelation finds COPY's table. PostgreSQL opens it without parse
// state, so its errors carry no position.
func copyRelation(s *Session, rv *pg_query.RangeVar) (*catalog.Table, error) {
	t, err := s.resolveTable(s.catalog(), rv)
	if err != nil {
		pe := *toPgError(err)
		pe.Position = 0
		return nil, &pe
	}
	return t, nil
}

// copyContext is the CONTEXT line for an error on a line of COPY FROM
// (CopyFromErrorCallback).
func copyContext(rel string, line int64) string {
	return fmt.Sprintf("COPY %s, line %d", rel, line)
}

// limitPrintout shortens a value quoted in a CONTEXT line to 100 bytes
// (on a character boundary) and "...".
func limitPrintout(s string) string {
	if len(s) <= maxCopyDataDisplay {
		return s
	}
	n := maxCopyDataDisplay
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "..."
}

// withCopyContext returns err as a *pgerror.Error with Where set (a copy: the
// error may be shared).
func withCopyContext(err error, where string) error {
	pe := toPgError(err)
	c := *pe
	c.Where = where
	return &c
}

// ---- COPY TO -------------------------------------------------------------

func (s *Session) copyTo(ctx context.Context, st *pg_query.CopyStmt, o *copyOptions, w ResultWriter) error {
	var root executor.Node
	var names []string
	var colTypes []types.Type
	rel := ""
	var relHas func(string) bool
	if st.Query != nil {
		pl, cols, _, err := s.bindAndPlan(&parsed{stmt: st.Query}, nil, false)
		if err != nil {
			return err
		}
		if pl.writer != nil {
			if cols == nil {
				return pgerror.New(pgerror.FeatureNotSupported, "COPY query must have a RETURNING clause")
			}
			if s.txn.readOnly {
				return pgerror.New(pgerror.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", pl.tag)
			}
		}
		root = pl.root
		for _, c := range cols {
			names = append(names, c.Name)
			colTypes = append(colTypes, c.Type)
		}
		rel = "query"
	} else {
		t, err := copyRelation(s, st.Relation)
		if err != nil {
			return err
		}
		if t.Kind == catalog.RelView {
			return pgerror.New(pgerror.WrongObjectType, "cannot copy from view \"%s\"", t.Name).
				WithHint("Try the COPY (SELECT ...) TO variant.")
		}
		if t.Kind == catalog.RelMatView {
			return pgerror.New(pgerror.WrongObjectType, "cannot copy from materialized view \"%s\"", t.Name).
				WithHint("Try the COPY (SELECT ...) TO variant.")
		}
		idx, err := copyColumns(t, st.Attlist)
		if err != nil {
			return err
		}
		sel := &bound.Select{From: &bound.ScanRel{Table: t, Alias: t.Name}, Visible: len(idx)}
		for _, i := range idx {
			c := t.Columns[i]
			sel.Targets = append(sel.Targets, bound.Target{Expr: &bound.ColRef{Idx: i, T: c.Type, Name: c.Name}, Name: c.Name})
			names = append(names, c.Name)
			colTypes = append(colTypes, c.Type)
		}
		if root, err = planner.Select(sel); err != nil {
			return err
		}
		rel = t.Name
		relHas = func(n string) bool { i, _ := t.ColumnByName(n); return i >= 0 }
	}
	forceQuote, err := copyForcedColumns(o.forceQuote, "FORCE_QUOTE", rel, names, relHas)
	if err != nil {
		return err
	}
	if o.forceQuoteAll {
		for i := range forceQuote {
			forceQuote[i] = true
		}
	}

	ctx, cancel := s.startStatement(ctx)
	defer cancel()
	ec := s.execCtx(ctx)

	format := FormatText
	if o.format == copyBinary {
		format = FormatBinary
	}
	formats := make([]int16, len(names))
	for i := range formats {
		formats[i] = format
	}
	out, err := w.CopyOut(format, formats)
	if err != nil {
		return err
	}
	enc := copyEncoder{o: o, types: colTypes, forceQuote: forceQuote, settings: s.types}
	if o.format == copyBinary {
		enc.buf = append(enc.buf, copyBinarySignature...)
		enc.buf = binary.BigEndian.AppendUint32(enc.buf, 0) // flags
		enc.buf = binary.BigEndian.AppendUint32(enc.buf, 0) // no header extension
	} else if o.header {
		enc.header(names)
		if err := enc.flush(out); err != nil {
			return err
		}
	}
	if err := root.Open(ec); err != nil {
		root.Close()
		return err
	}
	defer root.Close()
	var n int64
	for {
		row, err := root.Next(ec)
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		if err := enc.row(row); err != nil {
			return err
		}
		if err := enc.flush(out); err != nil {
			return err
		}
		n++
	}
	if o.format == copyBinary {
		enc.buf = binary.BigEndian.AppendUint16(enc.buf, 0xffff)
		if err := enc.flush(out); err != nil {
			return err
		}
	}
	return w.Complete(fmt.Sprintf("COPY %d", n))
}

// copyEncoder formats rows for COPY TO (CopyOneRowTo): one row per Write.
type copyEncoder struct {
	o          *copyOptions
	types      []types.Type
	forceQuote []bool
	settings   *types.Settings
	buf        []byte
	tmp        []byte
}

func (e *copyEncoder) flush(out io.Writer) error {
	_, err := out.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

func (e *copyEncoder) header(names []string) {
	for i, n := range names {
		if i > 0 {
			e.buf = append(e.buf, e.o.delim)
		}
		if e.o.format == copyCSV {
			e.buf = appendCopyCSV(e.buf, n, e.o, false, len(names) == 1)
		} else {
			e.buf = appendCopyText(e.buf, n, e.o.delim)
		}
	}
	e.buf = append(e.buf, '\n')
}

func (e *copyEncoder) row(row []types.Datum) error {
	o := e.o
	if o.format == copyBinary {
		e.buf = binary.BigEndian.AppendUint16(e.buf, uint16(len(row)))
		for i, d := range row {
			if d.IsNull() {
				e.buf = binary.BigEndian.AppendUint32(e.buf, 0xffffffff)
				continue
			}
			at := len(e.buf)
			e.buf = append(e.buf, 0, 0, 0, 0)
			var err error
			if e.buf, err = types.AppendBinary(e.buf, d, e.types[i]); err != nil {
				return err
			}
			binary.BigEndian.PutUint32(e.buf[at:], uint32(len(e.buf)-at-4))
		}
		return nil
	}
	for i, d := range row {
		if i > 0 {
			e.buf = append(e.buf, o.delim)
		}
		if d.IsNull() {
			e.buf = append(e.buf, o.null...)
			continue
		}
		// Print the value in place; escape only if it needs it.
		at := len(e.buf)
		e.buf = types.AppendText(e.buf, d, e.types[i], e.settings)
		v := e.buf[at:]
		if o.format == copyCSV {
			if !e.forceQuote[i] && !copyCSVNeedsQuote(v, o, len(row) == 1) {
				continue
			}
		} else if !copyTextNeedsEscape(v, o.delim) {
			continue
		}
		e.tmp = append(e.tmp[:0], v...)
		e.buf = e.buf[:at]
		if o.format == copyCSV {
			e.buf = appendCopyCSV(e.buf, string(e.tmp), o, e.forceQuote[i], len(row) == 1)
		} else {
			e.buf = appendCopyText(e.buf, string(e.tmp), o.delim)
		}
	}
	e.buf = append(e.buf, '\n')
	return nil
}

// copyTextNeedsEscape: CopyAttributeOutText changes v.
func copyTextNeedsEscape(v []byte, delim byte) bool {
	for _, c := range v {
		switch c {
		case '\b', '\f', '\n', '\r', '\t', '\v', '\\', delim:
			return true
		}
	}
	return false
}

// appendCopyText is CopyAttributeOutText: backslash, the delimiter and
// \b \f \n \r \t \v are escaped; other control characters pass as is.
func appendCopyText(dst []byte, v string, delim byte) []byte {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 {
			var esc byte
			switch c {
			case '\b':
				esc = 'b'
			case '\f':
				esc = 'f'
			case '\n':
				esc = 'n'
			case '\r':
				esc = 'r'
			case '\t':
				esc = 't'
			case '\v':
				esc = 'v'
			default:
				if c == delim {
					esc = c
				}
			}
			if esc != 0 {
				dst = append(dst, '\\', esc)
				continue
			}
		} else if c == '\\' || c == delim {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return dst
}

// copyCSVNeedsQuote: CopyAttributeOutCSV quotes v (a non-NULL value) when it
// equals the NULL string, contains the delimiter, the quote or a line
// break, or is \. alone in a one-column row.
func copyCSVNeedsQuote(v []byte, o *copyOptions, single bool) bool {
	if string(v) == o.null || single && string(v) == `\.` {
		return true
	}
	for _, c := range v {
		if c == o.delim || c == o.quote || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// appendCopyCSV is CopyAttributeOutCSV.
func appendCopyCSV(dst []byte, v string, o *copyOptions, quote, single bool) []byte {
	if !quote && !copyCSVNeedsQuote([]byte(v), o, single) {
		return append(dst, v...)
	}
	dst = append(dst, o.quote)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == o.quote || c == o.escape {
			dst = append(dst, o.escape)
		}
		dst = append(dst, c)
	}
	return append(dst, o.quote)
}
