package builtins

import (
	"github.com/prkdb/prkdb-sql/sql/bound"
	"github.com/prkdb/prkdb-sql/sql/pgerror"
	"github.com/prkdb/prkdb-sql/sql/types"
)

// pg_notify(channel, payload), pg_listening_channels() and
// pg_notification_queue_usage(), after
// PostgreSQL 15's async.c. The session does the work (the Env below);
// pg_notify is not strict: a NULL channel is the empty channel name's
// error and a NULL payload is the empty payload.

// notifier is what the session implements (sql.Session).
type notifier interface {
	Notify(channel, payload string) error
	ListeningChannels() []string
	NotificationQueueUsage() float64
}

// AppendJSONValue writes d, a value of type t, as to_json writes it
// (notify_changes payloads use it).
func AppendJSONValue(dst []byte, d types.Datum, t types.Type, set *types.Settings) ([]byte, error) {
	o := jsonOutput{set: set}
	return o.appendDatum(dst, d, t)
}

func init() {
	fnIfAbsent("pg_notify", Overload{Args: args(types.Text, types.Text), Ret: types.Void, RetFromArg: -1, NullCall: true, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			n, ok := c.Env.(notifier)
			if !ok {
				return nullDatum, pgerror.New(pgerror.FeatureNotSupported, "pg_notify is not available here")
			}
			var ch, payload string
			if !a[0].IsNull() {
				ch = a[0].S
			}
			if !a[1].IsNull() {
				payload = a[1].S
			}
			// void's output is the empty string, not NULL.
			return types.NewText(""), n.Notify(ch, payload)
		}})
	fnIfAbsent("pg_notification_queue_usage", Overload{Args: args(), Ret: types.Float8, Volatile: true,
		Fn: func(c *bound.EvalCtx, a []types.Datum) (types.Datum, error) {
			n, ok := c.Env.(notifier)
			if !ok {
				return types.NewFloat(0), nil
			}
			return types.NewFloat(n.NotificationQueueUsage()), nil
		}})
	if SetReturning("pg_listening_channels") == nil {
		srf("pg_listening_channels", SRF{Cols: []SRFColumn{{Name: "", Type: types.Text}},
			Gen: func(c *bound.EvalCtx, _ []types.Datum, emit func([]types.Datum) error) error {
				n, ok := c.Env.(notifier)
				if !ok {
					return nil
				}
				for _, ch := range n.ListeningChannels() {
					if err := emit([]types.Datum{types.NewText(ch)}); err != nil {
						return err
					}
				}
				return nil
			}})
	}
}
