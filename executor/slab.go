package executor

// byteSlab hands out the key and value bytes of written rows from shared
// chunks: kv keeps the bytes it is given (as the committed key and version
// value), so one chunk per few hundred rows replaces two allocations per
// row, which a bulk load (COPY, INSERT ... SELECT) pays millions of times.
// A chunk lives as long as any row written from it, a bounded overhang.
type byteSlab struct {
	buf []byte
}

const slabChunk = 32 << 10

// tail is an empty slice over the rest of the current chunk, to append one
// encoded key or value to; hand the result to keep.
func (s *byteSlab) tail(need int) []byte {
	if cap(s.buf)-len(s.buf) < need {
		s.buf = make([]byte, 0, max(slabChunk, need))
	}
	return s.buf[len(s.buf):]
}

// keep marks b (appended to the last tail) as taken and caps it, so that
// nothing appended to b later can reach the next value. If b outgrew the
// chunk, append moved it elsewhere and the chunk is left as it was.
func (s *byteSlab) keep(b []byte) []byte {
	rest := s.buf[len(s.buf):cap(s.buf)]
	if len(b) > 0 && len(rest) >= len(b) && &rest[0] == &b[0] {
		s.buf = s.buf[:len(s.buf)+len(b)]
	}
	return b[:len(b):len(b)]
}
