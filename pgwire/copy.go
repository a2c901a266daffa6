package pgwire

import (
	"io"

	"github.com/prkdb/prkdb-sql/sql/pgerror"
)

// CopyIn implements sql.ResultWriter. (COPY sub-protocol: in progress.)
func (w *resultWriter) CopyIn(format int16, columnFormats []int16) (io.Reader, error) {
	return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY FROM STDIN is not supported yet")
}

// CopyOut implements sql.ResultWriter. (COPY sub-protocol: in progress.)
func (w *resultWriter) CopyOut(format int16, columnFormats []int16) (io.Writer, error) {
	return nil, pgerror.New(pgerror.FeatureNotSupported, "COPY TO STDOUT is not supported yet")
}
