package pgwire

import (
	"github.com/prkdb/prkdb-sql/sql/types"
)

// appendText and appendBinary encode one non-NULL DataRow value straight
// into the write buffer with sql/types' encoders (PostgreSQL 15's output
// and send functions). s is the session's type settings (nil: defaults).
func appendText(dst []byte, d types.Datum, t types.Type, s *types.Settings) ([]byte, error) {
	return types.AppendText(dst, d, t, s), nil
}

// appendBinary fails (0A000) for a type without a binary encoder; the
// engine sees the error from ResultWriter.Row.
func appendBinary(dst []byte, d types.Datum, t types.Type) ([]byte, error) {
	return types.AppendBinary(dst, d, t)
}
