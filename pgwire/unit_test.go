package pgwire

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/sql"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

func TestSplitOptions(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  ", nil},
		{"-c a=b", []string{"-c", "a=b"}},
		{"  -c   a=b\t--x=y ", []string{"-c", "a=b", "--x=y"}},
		{`-c search_path=a\ b`, []string{"-c", "search_path=a b"}},
		{`a\\b \`, []string{`a\b`, ""}}, // as pg_split_opts: a lone trailing backslash is an empty argument
	} {
		if got := splitOptions(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("splitOptions(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCommandLineOptions(t *testing.T) {
	for _, tc := range []struct {
		raw   string
		given map[string]string
		want  map[string]string
		err   string // SQLSTATE: message
	}{
		{raw: "-c a=b -cc=d --e-f=g", want: map[string]string{"a": "b", "c": "d", "e_f": "g"}},
		{raw: "-c statement-timeout=5", want: map[string]string{"statement_timeout": "5"}},
		{raw: "-c a=x=y", want: map[string]string{"a": "x=y"}},
		// The startup packet's own parameters win over options.
		{raw: "-c application_name=x", given: map[string]string{"application_name": "y"}, want: map[string]string{"application_name": "y"}},
		{raw: "-c", err: "42601: invalid command-line argument for server process: -c"},
		{raw: "-x foo", err: "42601: invalid command-line argument for server process: -x"},
		{raw: "--a-b", err: "42601: --a-b requires a value"},
		{raw: "-c a", err: "42601: -c a requires a value"},
	} {
		opts := maps.Clone(tc.given)
		if opts == nil {
			opts = map[string]string{}
		}
		perr := applyCommandLineOptions(tc.raw, opts)
		if tc.err != "" {
			if perr == nil || string(perr.Code)+": "+perr.Message != tc.err || perr.Severity != pgerror.SeverityFatal {
				t.Errorf("%q: error %v, want FATAL %s", tc.raw, perr, tc.err)
			}
			continue
		}
		if perr != nil || !maps.Equal(opts, tc.want) {
			t.Errorf("%q: %v, %v; want %v", tc.raw, opts, perr, tc.want)
		}
	}
}

func TestParseStartupMessage(t *testing.T) {
	body := func(s string) []byte { return append([]byte{0, 3, 0, 0}, s...) }
	p, perr := parseStartupMessage(body("user\x00bob\x00application_name\x00app\x00_pq_.x\x001\x00options\x00-c a=b\x00\x00"))
	if perr != nil {
		t.Fatal(perr)
	}
	if p.user != "bob" || p.database != "bob" || p.rawOptions != "-c a=b" ||
		!maps.Equal(p.options, map[string]string{"application_name": "app"}) || !slices.Equal(p.unrecognized, []string{"_pq_.x"}) {
		t.Errorf("parsed %+v", p)
	}
	for _, bad := range []struct{ body, code string }{
		{"user\x00bob\x00", "08P01"},       // no terminator
		{"user\x00bob\x00\x00x", "08P01"},  // bytes after it
		{"user\x00bob", "08P01"},           // unterminated value
		{"database\x00d\x00\x00", "28000"}, // no user
		{"user\x00\x00\x00", "28000"},      // empty user
		{"user\x00u\x00replication\x00true\x00\x00", "0A000"},
		{"user\x00u\x00replication\x00maybe\x00\x00", "22023"},
	} {
		_, perr := parseStartupMessage(body(bad.body))
		if perr == nil || string(perr.Code) != bad.code {
			t.Errorf("%q: %v, want %s", bad.body, perr, bad.code)
		}
	}
	if _, perr := parseStartupMessage(body("user\x00u\x00replication\x00off\x00\x00")); perr != nil {
		t.Errorf("replication=off: %v", perr)
	}
}

// recordConn is a net.Conn that records what the server writes.
type recordConn struct {
	fakeConn
	out bytes.Buffer
}

func (c *recordConn) Write(p []byte) (int, error) { return c.out.Write(p) }

// TestDataRowEncoding: values go out in the format asked for, NULL as -1,
// decodable by pgproto3, and a row costs no allocation.
func TestDataRowEncoding(t *testing.T) {
	rc := &recordConn{fakeConn: fakeConn{r: bytes.NewReader(nil)}}
	s := &Server{lg: discardLogger(), cfg: Config{MaxMessageSize: 1 << 20}}
	c := newConn(s, rc)
	cols := []sql.Column{
		{Name: "i", Type: types.Int4},
		{Name: "t", Type: types.Text},
		{Name: "n", Type: types.Int8},
		{Name: "b", Type: types.Int8},
		{Name: "f", Type: types.Bool},
	}
	formats := []int16{0, 0, 0, 1, 0}
	if err := c.rw.Columns(cols, formats, true); err != nil {
		t.Fatal(err)
	}
	row := []types.Datum{types.NewInt(42), types.NewText("héllo"), types.Null(), types.NewInt(2), types.NewBool(true)}
	if err := c.rw.Row(row); err != nil {
		t.Fatal(err)
	}
	if err := c.rw.Complete("SELECT 1"); err != nil {
		t.Fatal(err)
	}
	c.w.flush()

	fe := pgproto3.NewFrontend(&rc.out, nil)
	var got []string
	for {
		m, err := fe.Receive()
		if err != nil {
			break
		}
		_, line := formatMessage(m)
		got = append(got, line)
	}
	want := []string{
		`RowDescription {"Fields":[` +
			`{"DataTypeOID":23,"DataTypeSize":4,"Format":0,"Name":"i","TableAttributeNumber":0,"TableOID":0,"TypeModifier":-1},` +
			`{"DataTypeOID":25,"DataTypeSize":-1,"Format":0,"Name":"t","TableAttributeNumber":0,"TableOID":0,"TypeModifier":-1},` +
			`{"DataTypeOID":20,"DataTypeSize":8,"Format":0,"Name":"n","TableAttributeNumber":0,"TableOID":0,"TypeModifier":-1},` +
			`{"DataTypeOID":20,"DataTypeSize":8,"Format":1,"Name":"b","TableAttributeNumber":0,"TableOID":0,"TypeModifier":-1},` +
			`{"DataTypeOID":16,"DataTypeSize":1,"Format":0,"Name":"f","TableAttributeNumber":0,"TableOID":0,"TypeModifier":-1}]}`,
		`DataRow {"Values":[{"text":"42"},{"text":"héllo"},null,{"binary":"0000000000000002"},{"text":"t"}]}`,
		`CommandComplete {"CommandTag":"SELECT 1"}`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Steady state: no allocation per row (the buffer is reused after each flush).
	if n := testing.AllocsPerRun(100, func() {
		if err := c.rw.Row(row); err != nil {
			t.Fatal(err)
		}
		c.w.flush()
		rc.out.Reset()
	}); n != 0 {
		t.Errorf("%v allocations per row, want 0", n)
	}
}

// TestWriterFlushesAtMessageBoundaries: a result past the flush threshold
// is written in batches, each ending on a whole message.
func TestWriterFlushesAtMessageBoundaries(t *testing.T) {
	rc := &countingConn{}
	s := &Server{lg: discardLogger(), cfg: Config{MaxMessageSize: 1 << 20}}
	c := newConn(s, rc)
	if err := c.rw.Columns([]sql.Column{{Name: "t", Type: types.Text}}, nil, true); err != nil {
		t.Fatal(err)
	}
	row := []types.Datum{types.NewText(strings.Repeat("x", 1000))}
	for range 100 {
		if err := c.rw.Row(row); err != nil {
			t.Fatal(err)
		}
	}
	if rc.writes == 0 {
		t.Fatalf("100 KB buffered without a flush")
	}
	if rc.writes > 10 {
		t.Errorf("%d writes for 100 rows: flushing per row?", rc.writes)
	}
	c.w.flush()
	if !rc.wholeMessages() {
		t.Errorf("a write ended inside a message")
	}
}

type countingConn struct {
	fakeConn
	writes int
	all    []byte
	ends   []int
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes++
	c.all = append(c.all, p...)
	c.ends = append(c.ends, len(c.all))
	return len(p), nil
}

// wholeMessages reports whether every write ended on a message boundary.
func (c *countingConn) wholeMessages() bool {
	bounds := map[int]bool{0: true}
	for i := 0; i+5 <= len(c.all); {
		i += 1 + int(be32(c.all[i+1:]))
		bounds[i] = true
	}
	for _, e := range c.ends {
		if !bounds[e] {
			return false
		}
	}
	return true
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

var _ net.Conn = (*recordConn)(nil)

func TestToPgError(t *testing.T) {
	live := context.Background()
	shutdown, cancel := context.WithCancelCause(context.Background())
	cancel(errAdminShutdown())
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		want string // severity code
	}{
		{"engine error", live, pgerror.New(pgerror.DivisionByZero, "division by zero"), "ERROR 22012"},
		{"unmapped error", live, errors.New("oops"), "ERROR XX000"},
		{"statement_timeout", live, pgerror.New(pgerror.QueryCanceled, "canceling statement due to statement timeout"), "ERROR 57014"},
		{"shutdown seen as 57014", shutdown, pgerror.New(pgerror.QueryCanceled, "canceling statement due to user request"), "FATAL 57P01"},
		{"shutdown seen as context.Canceled", shutdown, fmt.Errorf("scan: %w", context.Canceled), "FATAL 57P01"},
		{"other error after cancel", shutdown, pgerror.New(pgerror.DivisionByZero, "division by zero"), "ERROR 22012"},
	} {
		pe := toPgError(tc.ctx, tc.err)
		if got := pe.Severity + " " + string(pe.Code); got != tc.want {
			t.Errorf("%s: %s (%s), want %s", tc.name, got, pe.Message, tc.want)
		}
	}
}
