package auth_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestNotifyOverTLS: an idle listener's read is interrupted to send a
// notification (pgwire moves the read deadline); over TLS the interrupted
// read must leave the record layer intact, so many notifications and
// queries interleave on one TLS connection without a torn message.
func TestNotifyOverTLS(t *testing.T) {
	s := startServer(t, serverOpts{auth: "trust", tls: true})
	ctx := context.Background()
	dsn := s.url("postgres", "", "postgres", "sslmode", "require")
	lis, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close(ctx)
	if _, ok := lis.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatal("listener is not on TLS")
	}
	if _, err := lis.Exec(ctx, "LISTEN tls_chan"); err != nil {
		t.Fatal(err)
	}
	snd, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer snd.Close(ctx)
	for i := 0; i < 200; i++ {
		if _, err := snd.Exec(ctx, "SELECT pg_notify('tls_chan', $1)", fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			// A query on the listener while notifications may be arriving.
			var n int
			if err := lis.QueryRow(ctx, "SELECT $1::int", i).Scan(&n); err != nil || n != i {
				t.Fatalf("query %d on the listener: %d, %v", i, n, err)
			}
		}
	}
	for i := 0; i < 200; i++ {
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		n, err := lis.WaitForNotification(wctx)
		cancel()
		if err != nil {
			t.Fatalf("notification %d: %v", i, err)
		}
		if n.Payload != fmt.Sprint(i) {
			t.Fatalf("notification %d: payload %q", i, n.Payload)
		}
	}
}
