package sql

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
	"unsafe"

	pg_query "github.com/pganalyze/pg_query_go/v6"

	"github.com/prkdb/prkdb-sql/executor"
	"github.com/prkdb/prkdb-sql/planner"
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/catalog"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// copyFrom runs COPY table FROM STDIN: executor.Insert over a copySource.
func (s *Session) copyFrom(ctx context.Context, st *pg_query.CopyStmt, o *copyOptions, w ResultWriter) error {
	t, err := copyRelation(s, st.Relation)
	if err != nil {
		return err
	}
	if s.txn.readOnly {
		return pgerror.New(pgerror.ReadOnlySQLTransaction, "cannot execute COPY FROM in a read-only transaction")
	}
	cols, err := copyColumns(t, st.Attlist)
	if err != nil {
		return err
	}
	src := &copySource{o: o, rel: t.Name, settings: s.types}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = t.Columns[c].Name
		src.types = append(src.types, t.Columns[c].Type)
	}
	src.names = names
	relHas := func(n string) bool { i, _ := t.ColumnByName(n); return i >= 0 }
	if src.forceNotNull, err = copyForcedColumns(o.forceNotNull, "FORCE_NOT_NULL", t.Name, names, relHas); err != nil {
		return err
	}
	if src.forceNull, err = copyForcedColumns(o.forceNull, "FORCE_NULL", t.Name, names, relHas); err != nil {
		return err
	}
	format := FormatText
	if o.format == copyBinary {
		format = FormatBinary
	}
	formats := make([]int16, len(cols))
	for i := range formats {
		formats[i] = format
	}
	if t.Kind != catalog.RelTable {
		// PostgreSQL finds out once COPY has started (CopyFrom).
		if _, err := w.CopyIn(format, formats); err != nil {
			return err
		}
		if t.Kind == catalog.RelView {
			return pgerror.New(pgerror.WrongObjectType, "cannot copy to view \"%s\"", t.Name).
				WithHint("To enable copying to a view, provide an INSTEAD OF INSERT trigger.")
		}
		if t.Kind == catalog.RelMatView {
			return pgerror.New(pgerror.WrongObjectType, "cannot change materialized view \"%s\"", t.Name)
		}
		return pgerror.New(pgerror.WrongObjectType, "cannot copy to non-table relation \"%s\"", t.Name)
	}

	// The INSERT plan, with the copy source in place of VALUES.
	b := newBinder(s, nil)
	ins := &bound.Insert{Table: t, Columns: cols, Source: &bound.Select{}}
	if ins.Defaults, err = b.tableDefaults(t); err != nil {
		return err
	}
	if ins.Checks, err = b.tableChecks(t); err != nil {
		return err
	}
	if ins.Generated, err = b.tableGenerated(t); err != nil {
		return err
	}
	ins.Parents = b.parentTables(t)
	wr, err := planner.Insert(ins)
	if err != nil {
		return err
	}
	node, ok := wr.(*executor.Insert)
	if !ok {
		return pgerror.New(pgerror.InternalError, "COPY FROM: unexpected insert plan %T", wr)
	}
	node.Source = src

	ctx, cancel := s.startStatement(ctx)
	defer cancel()
	ec := s.execCtx(ctx)

	if src.r, err = w.CopyIn(format, formats); err != nil {
		return err
	}
	if err := node.Open(ec); err != nil {
		node.Close()
		return err
	}
	defer node.Close()
	for {
		row, err := node.Next(ec)
		if err != nil {
			return src.context(err)
		}
		if row == nil {
			break
		}
	}
	s.e.stats.noteWrites(t.OID, node.RowsAffected())
	return w.Complete(fmt.Sprintf("COPY %d", node.RowsAffected()))
}

// Line endings (the first line decides; mixing them is an error).
const (
	copyEOLUnknown = iota
	copyEOLNL
	copyEOLCR
	copyEOLCRNL
)

const (
	copyBufSize    = 64 << 10 // the input buffer (PostgreSQL's RAW_BUF_SIZE)
	copyArenaChunk = 64 << 10
)

// copySource is the executor node that parses COPY FROM input into rows
// of the COPY columns (their storage types, typmods applied).
//
// Allocation: input is read into one reused buffer; fields are
// de-escaped into an append-only arena and become strings without a copy
// (the arena's bytes are never written again once handed out); the row
// slice is reused (Insert copies it). So a row costs no allocation of its
// own beyond what the values' types need (numeric, arrays...).
type copySource struct {
	o        *copyOptions
	r        io.Reader
	rel      string
	names    []string
	types    []types.Type
	settings *types.Settings

	forceNotNull, forceNull []bool

	// Input: buf[pos:end] is unread; pos is also the start of the line
	// (or binary field) being read, which refills keep.
	buf      []byte
	pos, end int
	eof      bool // the reader has reported io.EOF (CopyDone)

	lineno    int64
	line      []byte // the current line, EOL stripped, escapes intact
	lineValid bool   // line may be quoted in a CONTEXT line
	eol       int
	started   bool // the header (or binary header) has been read
	done      bool // end of data seen

	fields []copyField
	arena  []byte
	row    []types.Datum
	// special marks the bytes readLine must look at one by one.
	special [256]bool

	// srcErr: the last error came from parsing (it carries its CONTEXT).
	srcErr bool
}

type copyField struct {
	s    string
	null bool
}

func (cs *copySource) Open(c *executor.Ctx) error {
	cs.row = make([]types.Datum, len(cs.types))
	if cs.buf == nil {
		cs.buf = make([]byte, copyBufSize)
	}
	cs.special['\n'], cs.special['\r'], cs.special['\\'] = true, true, true
	if cs.o.format == copyCSV {
		cs.special[cs.o.quote], cs.special[cs.o.escape] = true, true
	}
	return nil
}

func (cs *copySource) Close() {}

func (cs *copySource) Explain() *executor.Explain {
	return &executor.Explain{Name: "Copy From " + cs.rel}
}

func (cs *copySource) Next(c *executor.Ctx) ([]types.Datum, error) {
	if cs.done {
		return nil, nil
	}
	var row []types.Datum
	var err error
	if cs.o.format == copyBinary {
		row, err = cs.nextBinary()
	} else {
		row, err = cs.nextText()
	}
	if err != nil {
		cs.srcErr = true
		return nil, err
	}
	if row == nil {
		cs.done = true
	}
	return row, nil
}

// context adds the CONTEXT line PostgreSQL's CopyFromErrorCallback gives
// an error raised while inserting the current row. Errors of the parser
// have theirs already.
func (cs *copySource) context(err error) error {
	if cs.srcErr {
		return err
	}
	pe := toPgError(err)
	if pe.Where != "" {
		return pe
	}
	switch {
	case pe.Code == pgerror.ForeignKeyViolation:
		// PostgreSQL checks foreign keys in AFTER triggers, once the COPY
		// itself is over.
		return pe
	case pe.Code == pgerror.UniqueViolation || cs.o.format == copyBinary || !cs.lineValid:
		// Unique indexes are checked when PostgreSQL flushes its batch of
		// rows, with the line number but no longer the line.
		return withCopyContext(pe, copyContext(cs.rel, cs.lineno))
	}
	return withCopyContext(pe, cs.lineContext())
}

func (cs *copySource) lineContext() string {
	if !cs.lineValid {
		return copyContext(cs.rel, cs.lineno)
	}
	return fmt.Sprintf("COPY %s, line %d: \"%s\"", cs.rel, cs.lineno, limitPrintout(string(cs.line)))
}

func (cs *copySource) fieldContext(i int, f copyField) string {
	if cs.o.format == copyBinary {
		return fmt.Sprintf("COPY %s, line %d, column %s", cs.rel, cs.lineno, cs.names[i])
	}
	if f.null {
		return fmt.Sprintf("COPY %s, line %d, column %s: null input", cs.rel, cs.lineno, cs.names[i])
	}
	return fmt.Sprintf("COPY %s, line %d, column %s: \"%s\"", cs.rel, cs.lineno, cs.names[i], limitPrintout(f.s))
}

func errBadCopyFormat(format string, args ...any) *pgerror.Error {
	return pgerror.New(pgerror.BadCopyFileFormat, format, args...)
}

// ---- input ----------------------------------------------------------------

// fill reads more input after buf[pos:end], moving it to the front and
// growing the buffer when it is full.
func (cs *copySource) fill() error {
	if cs.pos > 0 {
		n := copy(cs.buf, cs.buf[cs.pos:cs.end])
		cs.pos, cs.end = 0, n
	}
	if cs.end == len(cs.buf) {
		nb := make([]byte, 2*len(cs.buf))
		copy(nb, cs.buf[:cs.end])
		cs.buf = nb
	}
	for {
		n, err := cs.r.Read(cs.buf[cs.end:])
		cs.end += n
		if err == io.EOF {
			cs.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
}

// ensure makes n bytes from pos available; false if the input ends first.
func (cs *copySource) ensure(n int) (bool, error) {
	for cs.end-cs.pos < n {
		if cs.eof {
			return false, nil
		}
		if err := cs.fill(); err != nil {
			return false, err
		}
	}
	return true, nil
}

// at returns the byte n bytes past pos, or 0 if the input ends first
// (PostgreSQL's input buffer is NUL-padded the same way).
func (cs *copySource) at(n int) (byte, bool, error) {
	ok, err := cs.ensure(n + 1)
	if !ok || err != nil {
		return 0, false, err
	}
	return cs.buf[cs.pos+n], true, nil
}

// discardRest reads and drops the input up to CopyDone, after the
// end-of-data marker (a CopyFail still fails the COPY).
func (cs *copySource) discardRest() error {
	for !cs.eof {
		cs.pos, cs.end = 0, 0
		if err := cs.fill(); err != nil {
			return err
		}
	}
	cs.pos, cs.end = 0, 0
	return nil
}

// readError is a failure of the input itself (CopyFail, the connection):
// it gets the line number as CONTEXT.
func (cs *copySource) readError(err error) error {
	return withCopyContext(err, copyContext(cs.rel, cs.lineno))
}

// ---- text and CSV ---------------------------------------------------------

func (cs *copySource) nextText() ([]types.Datum, error) {
	if !cs.started {
		cs.started = true
		if cs.o.header {
			cs.lineno++
			done, err := cs.readLine()
			if err != nil {
				return nil, err
			}
			if cs.o.headerMatch {
				if err := cs.matchHeader(); err != nil {
					return nil, err
				}
			}
			if done {
				return nil, nil
			}
		}
	}
	cs.lineno++
	done, err := cs.readLine()
	if err != nil {
		return nil, err
	}
	if done {
		cs.done = true
		if len(cs.line) == 0 {
			return nil, nil
		}
	}
	nf, err := cs.splitLine()
	if err != nil {
		return nil, err
	}
	if len(cs.types) > 0 && nf > len(cs.types) {
		return nil, withCopyContext(errBadCopyFormat("extra data after last expected column"), cs.lineContext())
	}
	for i, t := range cs.types {
		if i >= nf {
			return nil, withCopyContext(errBadCopyFormat("missing data for column \"%s\"", cs.names[i]), cs.lineContext())
		}
		f := cs.fields[i]
		if cs.o.format == copyCSV {
			if f.null && cs.forceNotNull[i] {
				f = copyField{s: cs.o.null}
			} else if !f.null && cs.forceNull[i] && f.s == cs.o.null {
				f = copyField{null: true}
			}
		}
		if f.null {
			cs.row[i] = types.Datum{}
			continue
		}
		d, err := types.ParseText(t, f.s, cs.settings)
		if err != nil {
			return nil, withCopyContext(err, cs.fieldContext(i, f))
		}
		cs.row[i] = d
	}
	return cs.row, nil
}

// matchHeader is HEADER MATCH: the header line must name the COPY columns.
func (cs *copySource) matchHeader() error {
	nf, err := cs.splitLine()
	if err != nil {
		return err
	}
	if nf != len(cs.names) {
		return withCopyContext(errBadCopyFormat("wrong number of fields in header line: got %d, expected %d", nf, len(cs.names)), cs.lineContext())
	}
	for i, name := range cs.names {
		f := cs.fields[i]
		if f.null {
			return withCopyContext(errBadCopyFormat("column name mismatch in header line field %d: got null value (\"%s\"), expected \"%s\"", i+1, cs.o.null, name), cs.lineContext())
		}
		if f.s != name {
			return withCopyContext(errBadCopyFormat("column name mismatch in header line field %d: got \"%s\", expected \"%s\"", i+1, f.s, name), cs.lineContext())
		}
	}
	return nil
}

// readLine reads the next line into cs.line (CopyReadLine): done reports
// the end of the data — the end of the input, or the \. marker, after
// which the rest of the input is read and dropped. A line that ends at
// the end of the input (no newline) is still a line.
func (cs *copySource) readLine() (done bool, err error) {
	cs.lineValid = false
	cs.line = nil
	csv := cs.o.format == copyCSV
	var quotec, escapec byte
	if csv {
		quotec, escapec = cs.o.quote, cs.o.escape
		if quotec == escapec {
			escapec = 0 // no separate escape processing
		}
	}
	inQuote, lastWasEsc, first := false, false, true
	j := 0 // offset of the next byte from pos
	end := func(lineLen, consumed int, eof bool) (bool, error) {
		cs.line = cs.buf[cs.pos : cs.pos+lineLen]
		cs.pos += consumed
		if eof {
			// The line stays valid: discardRest reuses the buffer, so keep
			// a copy of it.
			cs.line = append([]byte(nil), cs.line...)
			if err := cs.discardRest(); err != nil {
				return false, cs.readError(err)
			}
		}
		if err := cs.checkEncoding(); err != nil {
			return false, err
		}
		cs.lineValid = true
		return eof, nil
	}
	for {
		ok, err := cs.ensure(j + 1)
		if err != nil {
			return false, cs.readError(err)
		}
		if !ok {
			return end(j, j, true)
		}
		// Skip ordinary bytes in bulk: only line breaks, backslashes and
		// (CSV) quotes and escapes matter here.
		if b := cs.buf[cs.pos+j : cs.end]; !cs.special[b[0]] {
			k := 1
			for k < len(b) && !cs.special[b[k]] {
				k++
			}
			j += k
			first, lastWasEsc = false, false
			continue
		}
		c := cs.buf[cs.pos+j]
		j++
		if csv {
			if c == '\\' || c == '\r' {
				if _, err := cs.ensure(j + 1); err != nil {
					return false, cs.readError(err)
				}
			}
			if inQuote && c == escapec && escapec != 0 {
				lastWasEsc = !lastWasEsc
			}
			if c == quotec && !lastWasEsc {
				inQuote = !inQuote
			}
			if c != escapec || escapec == 0 {
				lastWasEsc = false
			}
			// A line break inside quotes counts as a line, as far as
			// PostgreSQL can tell.
			nl := byte('\r')
			if cs.eol == copyEOLNL {
				nl = '\n'
			}
			if inQuote && c == nl {
				cs.lineno++
			}
		}
		if c == '\r' && (!csv || !inQuote) {
			switch cs.eol {
			case copyEOLUnknown, copyEOLCRNL:
				c2, _, err := cs.at(j)
				if err != nil {
					return false, cs.readError(err)
				}
				if c2 == '\n' {
					cs.eol = copyEOLCRNL
					return end(j-1, j+1, false)
				}
				if cs.eol == copyEOLCRNL {
					return false, cs.crError(csv)
				}
				cs.eol = copyEOLCR
			case copyEOLNL:
				return false, cs.crError(csv)
			}
			return end(j-1, j, false)
		}
		if c == '\n' && (!csv || !inQuote) {
			if cs.eol == copyEOLCR || cs.eol == copyEOLCRNL {
				msg, hint := "literal newline found in data", `Use "\n" to represent newline.`
				if csv {
					msg, hint = "unquoted newline found in data", "Use quoted CSV field to represent newline."
				}
				return false, withCopyContext(errBadCopyFormat("%s", msg).WithHint("%s", hint), copyContext(cs.rel, cs.lineno))
			}
			cs.eol = copyEOLNL
			return end(j-1, j, false)
		}
		if c == '\\' && (!csv || first) {
			c2, ok, err := cs.at(j)
			if err != nil {
				return false, cs.readError(err)
			}
			if !ok {
				// A backslash just before the end is data.
				return end(j, j, true)
			}
			if c2 == '.' {
				marker := j - 1
				k := j + 1
				notEnd := false
				if cs.eol == copyEOLCRNL {
					c3, _, err := cs.at(k)
					if err != nil {
						return false, cs.readError(err)
					}
					k++
					switch {
					case c3 == '\n' && !csv:
						return false, cs.markerError("end-of-copy marker does not match previous newline style")
					case c3 != '\r' && !csv:
						return false, cs.markerError("end-of-copy marker corrupt")
					case c3 != '\r':
						notEnd = true
					}
				}
				if !notEnd {
					c3, _, err := cs.at(k)
					if err != nil {
						return false, cs.readError(err)
					}
					k++
					switch {
					case c3 != '\r' && c3 != '\n' && !csv:
						return false, cs.markerError("end-of-copy marker corrupt")
					case c3 != '\r' && c3 != '\n':
						notEnd = true
					case cs.eol == copyEOLNL && c3 != '\n', cs.eol == copyEOLCRNL && c3 != '\n', cs.eol == copyEOLCR && c3 != '\r':
						return false, cs.markerError("end-of-copy marker does not match previous newline style")
					}
				}
				if !notEnd {
					return end(marker, min(k, cs.end-cs.pos), true)
				}
				// \. followed by data: an ordinary CSV value.
			} else if !csv {
				j++ // the escaped byte is data, even a line break
			}
		}
		first = false
	}
}

func (cs *copySource) crError(csv bool) error {
	msg, hint := "literal carriage return found in data", `Use "\r" to represent carriage return.`
	if csv {
		msg, hint = "unquoted carriage return found in data", "Use quoted CSV field to represent carriage return."
	}
	return withCopyContext(errBadCopyFormat("%s", msg).WithHint("%s", hint), copyContext(cs.rel, cs.lineno))
}

func (cs *copySource) markerError(msg string) error {
	return withCopyContext(errBadCopyFormat("%s", msg), copyContext(cs.rel, cs.lineno))
}

// checkEncoding verifies that the line is UTF-8 without NULs, as
// PostgreSQL verifies its input before splitting it into lines.
func (cs *copySource) checkEncoding() error {
	l := cs.line
	if bytes.IndexByte(l, 0) < 0 && utf8.Valid(l) {
		return nil
	}
	bad := 0
	for bad < len(l) {
		c := l[bad]
		if c != 0 && c < utf8.RuneSelf {
			bad++
			continue
		}
		r, size := utf8.DecodeRune(l[bad:])
		if c == 0 || r == utf8.RuneError && size <= 1 {
			break
		}
		bad += size
	}
	// Quote the bad sequence with what follows it in the input, as
	// PostgreSQL's report_invalid_encoding does.
	tail := l[bad:]
	if len(tail) < 4 {
		tail = append(append([]byte(nil), tail...), cs.buf[cs.pos:min(cs.end, cs.pos+4)]...)
	}
	_, err := types.ParseText(types.Text, string(tail), nil)
	if err == nil {
		err = pgerror.New(pgerror.CharacterNotInRepertoire, "invalid byte sequence for encoding \"UTF8\"")
	}
	return withCopyContext(err, copyContext(cs.rel, cs.lineno))
}

// arenaString makes a string of the arena's bytes from start on; they are
// never written again.
func (cs *copySource) arenaString(start int) string {
	if len(cs.arena) == start {
		return ""
	}
	return unsafe.String(&cs.arena[start], len(cs.arena)-start)
}

// reserve makes room for n more bytes in the arena without moving it.
func (cs *copySource) reserve(n int) {
	if cap(cs.arena)-len(cs.arena) < n {
		cs.arena = make([]byte, 0, max(copyArenaChunk, n))
	}
}

// splitLine splits cs.line into de-escaped fields (CopyReadAttributesText
// or CopyReadAttributesCSV) and returns their number.
func (cs *copySource) splitLine() (int, error) {
	if len(cs.names) == 0 {
		if len(cs.line) != 0 {
			return 0, withCopyContext(errBadCopyFormat("extra data after last expected column"), cs.lineContext())
		}
		return 0, nil
	}
	cs.fields = cs.fields[:0]
	cs.reserve(len(cs.line) + 1)
	if cs.o.format == copyCSV {
		return cs.splitCSV()
	}
	return cs.splitText()
}

func (cs *copySource) splitText() (int, error) {
	line, delim, null := cs.line, cs.o.delim, cs.o.null
	i := 0
	for {
		start := i
		at := len(cs.arena)
		foundDelim, sawNonASCII := false, false
		for i < len(line) {
			// A run of ordinary bytes at once.
			k := i
			for k < len(line) && line[k] != delim && line[k] != '\\' {
				k++
			}
			cs.arena = append(cs.arena, line[i:k]...)
			if i = k; i >= len(line) {
				break
			}
			c := line[i]
			i++
			if c == delim {
				foundDelim = true
				break
			}
			{
				// A backslash: what follows is escaped. One that ends the
				// line is dropped, and is not part of the field as
				// compared with the NULL string either.
				if i >= len(line) {
					i--
					break
				}
				c = line[i]
				i++
				switch c {
				case '0', '1', '2', '3', '4', '5', '6', '7':
					v := int(c - '0')
					if i < len(line) && line[i] >= '0' && line[i] <= '7' {
						v = v<<3 + int(line[i]-'0')
						i++
						if i < len(line) && line[i] >= '0' && line[i] <= '7' {
							v = v<<3 + int(line[i]-'0')
							i++
						}
					}
					c = byte(v)
					if c == 0 || c >= 0x80 {
						sawNonASCII = true
					}
				case 'x':
					if i < len(line) && copyIsHex(line[i]) {
						v := copyHexValue(line[i])
						i++
						if i < len(line) && copyIsHex(line[i]) {
							v = v<<4 + copyHexValue(line[i])
							i++
						}
						c = byte(v)
						if c == 0 || c >= 0x80 {
							sawNonASCII = true
						}
					}
				case 'b':
					c = '\b'
				case 'f':
					c = '\f'
				case 'n':
					c = '\n'
				case 'r':
					c = '\r'
				case 't':
					c = '\t'
				case 'v':
					c = '\v'
				}
			}
			cs.arena = append(cs.arena, c)
		}
		raw := line[start:i]
		if foundDelim {
			raw = raw[:len(raw)-1]
		}
		if string(raw) == null {
			cs.arena = cs.arena[:at]
			cs.fields = append(cs.fields, copyField{null: true})
		} else {
			f := cs.arenaString(at)
			if sawNonASCII {
				if _, err := types.ParseText(types.Text, f, nil); err != nil {
					return 0, withCopyContext(err, cs.lineContext())
				}
			}
			cs.fields = append(cs.fields, copyField{s: f})
		}
		if !foundDelim {
			return len(cs.fields), nil
		}
	}
}

func (cs *copySource) splitCSV() (int, error) {
	line, delim, quote, esc, null := cs.line, cs.o.delim, cs.o.quote, cs.o.escape, cs.o.null
	i := 0
	for {
		start := i
		at := len(cs.arena)
		foundDelim, sawQuote := false, false
		end := i
	field:
		for {
			// Not in quotes.
			for {
				end = i
				if i >= len(line) {
					break field
				}
				c := line[i]
				i++
				if c == delim {
					foundDelim = true
					break field
				}
				if c == quote {
					sawQuote = true
					break
				}
				cs.arena = append(cs.arena, c)
			}
			// In quotes.
			for {
				end = i
				if i >= len(line) {
					return 0, withCopyContext(errBadCopyFormat("unterminated CSV quoted field"), cs.lineContext())
				}
				c := line[i]
				i++
				if c == esc && i < len(line) && (line[i] == esc || line[i] == quote) {
					cs.arena = append(cs.arena, line[i])
					i++
					continue
				}
				if c == quote {
					break
				}
				cs.arena = append(cs.arena, c)
			}
		}
		if !sawQuote && string(line[start:end]) == null {
			cs.arena = cs.arena[:at]
			cs.fields = append(cs.fields, copyField{null: true})
		} else {
			cs.fields = append(cs.fields, copyField{s: cs.arenaString(at)})
		}
		if !foundDelim {
			return len(cs.fields), nil
		}
	}
}

func copyIsHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func copyHexValue(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// ---- binary -----------------------------------------------------------------

func (cs *copySource) nextBinary() ([]types.Datum, error) {
	if !cs.started {
		cs.started = true
		if err := cs.binaryHeader(); err != nil {
			return nil, err
		}
	}
	cs.lineno++
	ok, err := cs.ensure(2)
	if err != nil {
		return nil, cs.readError(err)
	}
	if !ok {
		return nil, nil // the end without a trailer: accepted, as PostgreSQL does
	}
	count := int16(binary.BigEndian.Uint16(cs.buf[cs.pos:]))
	cs.pos += 2
	if count == -1 {
		// The trailer: CopyDone must follow at once.
		more, err := cs.ensure(1)
		if err != nil {
			return nil, cs.readError(err)
		}
		if more {
			return nil, withCopyContext(errBadCopyFormat("received copy data after EOF marker"), copyContext(cs.rel, cs.lineno))
		}
		return nil, nil
	}
	if int(count) != len(cs.types) {
		return nil, withCopyContext(errBadCopyFormat("row field count is %d, expected %d", count, len(cs.types)), copyContext(cs.rel, cs.lineno))
	}
	for i, t := range cs.types {
		where := func() string { return cs.fieldContext(i, copyField{}) }
		ok, err := cs.ensure(4)
		if err != nil {
			return nil, withCopyContext(err, where())
		}
		if !ok {
			return nil, withCopyContext(errBadCopyFormat("unexpected EOF in COPY data"), where())
		}
		size := int32(binary.BigEndian.Uint32(cs.buf[cs.pos:]))
		cs.pos += 4
		if size == -1 {
			cs.row[i] = types.Datum{}
			continue
		}
		if size < 0 {
			return nil, withCopyContext(errBadCopyFormat("invalid field size"), where())
		}
		if ok, err = cs.ensure(int(size)); err != nil {
			return nil, withCopyContext(err, where())
		} else if !ok {
			return nil, withCopyContext(errBadCopyFormat("unexpected EOF in COPY data"), where())
		}
		data := cs.buf[cs.pos : cs.pos+int(size)]
		cs.pos += int(size)
		var d types.Datum
		switch t.OID {
		case types.TextOID, types.VarcharOID, types.BPCharOID:
			// textrecv, varcharrecv and bpcharrecv read what the input
			// functions read: parse the bytes in place in the arena.
			cs.reserve(len(data))
			at := len(cs.arena)
			cs.arena = append(cs.arena, data...)
			d, err = types.ParseText(t, cs.arenaString(at), cs.settings)
		default:
			d, err = types.ParseBinary(t, data)
			if pe := (*pgerror.Error)(nil); err != nil && errors.As(err, &pe) && pe.Message == "insufficient data left in message" {
				// A receive function that runs out of data reports it as
				// a protocol violation (pq_getmsgbytes).
				c := *pe
				c.Code = pgerror.ProtocolViolation
				err = &c
			}
		}
		if err != nil {
			return nil, withCopyContext(err, where())
		}
		cs.row[i] = d
	}
	return cs.row, nil
}

// binaryHeader reads the signature, flags and header extension
// (ReceiveCopyBinaryHeader).
// PostgreSQL reads it before it installs COPY's error context: its errors
// have no CONTEXT line.
func (cs *copySource) binaryHeader() error {
	fail := func(msg string) error { return errBadCopyFormat("%s", msg) }
	ok, err := cs.ensure(len(copyBinarySignature))
	if err != nil {
		return err
	}
	if !ok || string(cs.buf[cs.pos:cs.pos+len(copyBinarySignature)]) != copyBinarySignature {
		return fail("COPY file signature not recognized")
	}
	cs.pos += len(copyBinarySignature)
	if ok, err = cs.ensure(4); err != nil {
		return err
	} else if !ok {
		return fail("invalid COPY file header (missing flags)")
	}
	flags := binary.BigEndian.Uint32(cs.buf[cs.pos:])
	cs.pos += 4
	if flags&(1<<16) != 0 {
		return fail("invalid COPY file header (WITH OIDS)")
	}
	if (flags&^(1<<16))>>16 != 0 {
		return fail("unrecognized critical flags in COPY file header")
	}
	if ok, err = cs.ensure(4); err != nil {
		return err
	}
	ext := int32(0)
	if ok {
		ext = int32(binary.BigEndian.Uint32(cs.buf[cs.pos:]))
		cs.pos += 4
	}
	if !ok || ext < 0 {
		return fail("invalid COPY file header (missing length)")
	}
	for ext > 0 {
		ok, err := cs.ensure(1)
		if err != nil {
			return err
		}
		if !ok {
			return fail("invalid COPY file header (wrong length)")
		}
		n := min(int(ext), cs.end-cs.pos)
		cs.pos += n
		ext -= int32(n)
	}
	return nil
}
