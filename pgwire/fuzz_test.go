package pgwire

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/prkdb/prkdb-sql/kv"
	"github.com/prkdb/prkdb-sql/sql"
)

// The fuzz targets feed arbitrary bytes, as the client's side of a
// connection, through the whole connection code path (startup packet
// framing and decoding, message framing, pgproto3 decoding, the handlers
// and the engine behind them). No input may panic: every panic would be
// recovered and counted, so the count must stay 0. Run with e.g.
//
//	go test ./pgwire -run '^$' -fuzz FuzzMessages -fuzztime 60s

func FuzzStartup(f *testing.F) {
	for _, seed := range [][]byte{
		enc(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "u"}}),
		enc(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "u", "database": "d", "options": `-c a=b --c-d=e -cx\ y=z`, "_pq_.x": "1"}}),
		enc(&pgproto3.StartupMessage{ProtocolVersion: 3<<16 | 2, Parameters: map[string]string{"user": "u", "replication": "database"}}),
		append(enc(&pgproto3.SSLRequest{}), enc(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "u"}})...),
		enc(&pgproto3.GSSEncRequest{}),
		enc(&pgproto3.CancelRequest{ProcessID: 1, SecretKey: []byte{1, 2, 3, 4}}),
		{0, 0, 0, 8, 0, 2, 0, 0},
		{0, 0, 0, 3},
		{0, 0, 0x27, 0x11, 0, 3, 0, 0},
	} {
		f.Add(seed)
	}
	s := fuzzServer(f)
	f.Fuzz(func(t *testing.T, data []byte) { runFuzzInput(t, s, data) })
}

func FuzzMessages(f *testing.F) {
	for _, seed := range [][]byte{
		enc(&pgproto3.Query{String: "SELECT 1"}),
		enc(&pgproto3.Parse{Name: "s", Query: "SELECT $1", ParameterOIDs: []uint32{23}},
			&pgproto3.Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{0, 0, 0, 1}}, ResultFormatCodes: []int16{1}},
			&pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{MaxRows: 1}, &pgproto3.Sync{}),
		enc(&pgproto3.Describe{ObjectType: 'S', Name: "s"}, &pgproto3.Close{ObjectType: 'S', Name: "s"}, &pgproto3.Flush{}, &pgproto3.Sync{}),
		enc(&pgproto3.FunctionCall{Function: 1}, &pgproto3.CopyData{Data: []byte("x")}, &pgproto3.CopyDone{}, &pgproto3.Terminate{}),
		{'D', 0, 0, 0, 6, 'X', 0, 'S', 0, 0, 0, 4},
		{'E', 0, 0, 0, 5, 0},
		{'B', 0, 0, 0, 12, 0, 0, 0, 1, 0, 1, 0xff, 0xff, 0xff, 0xfe},
		{'z', 0, 0, 0, 4},
		{'Q', 0x7f, 0xff, 0xff, 0xff},
		{'S', 0, 0, 0, 2},
	} {
		f.Add(seed)
	}
	s := fuzzServer(f)
	startup := enc(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "postgres"}})
	f.Fuzz(func(t *testing.T, data []byte) {
		runFuzzInput(t, s, append(startup[:len(startup):len(startup)], data...))
	})
}

func enc(msgs ...pgproto3.FrontendMessage) []byte {
	var b []byte
	for _, m := range msgs {
		var err error
		if b, err = m.Encode(b); err != nil {
			panic(err)
		}
	}
	return b
}

// fuzzServer is a Server over a real engine that never listens: inputs
// are run through connections over fakeConn.
func fuzzServer(f *testing.F) *Server {
	lg := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := sql.Open(sql.Config{DataDir: f.TempDir(), Sync: kv.SyncOff, Logger: lg})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { eng.Close() })
	s, err := NewServer(Config{Engine: eng, Logger: lg, MaxMessageSize: 64 << 10})
	if err != nil {
		f.Fatal(err)
	}
	return s
}

func runFuzzInput(t *testing.T, s *Server, data []byte) {
	c := newConn(s, &fakeConn{r: bytes.NewReader(data)})
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	c.serve()
	if n := s.recoveredPanics.Swap(0); n != 0 {
		t.Fatalf("input %q: %d panic(s) recovered", data, n)
	}
	if s.sessions != 0 {
		t.Fatalf("input %q: session slot not released", data)
	}
}

// fakeConn is a net.Conn whose peer sent exactly r's bytes and then
// closed; what the server writes is discarded.
type fakeConn struct{ r *bytes.Reader }

func (c *fakeConn) Read(p []byte) (int, error)       { return c.r.Read(p) }
func (c *fakeConn) Write(p []byte) (int, error)      { return len(p), nil }
func (c *fakeConn) Close() error                     { return nil }
func (c *fakeConn) LocalAddr() net.Addr              { return fakeAddr{} }
func (c *fakeConn) RemoteAddr() net.Addr             { return fakeAddr{} }
func (c *fakeConn) SetDeadline(time.Time) error      { return nil }
func (c *fakeConn) SetReadDeadline(time.Time) error  { return nil }
func (c *fakeConn) SetWriteDeadline(time.Time) error { return nil }

type fakeAddr struct{}

func (fakeAddr) Network() string { return "fuzz" }
func (fakeAddr) String() string  { return "fuzz:0" }
