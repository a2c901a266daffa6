package sql

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/prkdb/prkdb-sql/sql/types"
)

// benchCopyInput is rows of (int, int, text) as COPY text and binary.
func benchCopyInput(rows int) (text, bin []byte) {
	var t, b bytes.Buffer
	b.WriteString(copyBinarySignature)
	b.Write(make([]byte, 8))
	for i := 0; i < rows; i++ {
		s := fmt.Sprintf("payload number %d for the copy benchmark", i)
		fmt.Fprintf(&t, "%d\t%d\t%s\n", i, i*7, s)
		var row []byte
		row = binary.BigEndian.AppendUint16(row, 3)
		row = binary.BigEndian.AppendUint32(row, 4)
		row = binary.BigEndian.AppendUint32(row, uint32(i))
		row = binary.BigEndian.AppendUint32(row, 4)
		row = binary.BigEndian.AppendUint32(row, uint32(i*7))
		row = binary.BigEndian.AppendUint32(row, uint32(len(s)))
		row = append(row, s...)
		b.Write(row)
	}
	b.Write([]byte{0xff, 0xff})
	return t.Bytes(), b.Bytes()
}

// BenchmarkCopySource measures COPY FROM's parsing alone (no storage):
// ns and allocations per row.
func BenchmarkCopySource(b *testing.B) {
	const rows = 10000
	text, bin := benchCopyInput(rows)
	for _, bc := range []struct {
		name  string
		o     *copyOptions
		input []byte
	}{
		{"text", &copyOptions{format: copyText, delim: '\t', null: `\N`}, text},
		{"binary", &copyOptions{format: copyBinary}, bin},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				cs := &copySource{o: bc.o, r: bytes.NewReader(bc.input), rel: "t", names: []string{"a", "b", "c"},
					types: []types.Type{types.Int4, types.Int4, types.Text}, settings: types.DefaultSettings()}
				cs.Open(nil)
				n := 0
				for {
					row, err := cs.Next(nil)
					if err != nil {
						b.Fatal(err)
					}
					if row == nil {
						break
					}
					n++
				}
				if n != rows {
					b.Fatalf("%d rows", n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}

// FuzzCopySource: COPY FROM's parsers never panic or hang on any input,
// in any format (go test ./sql -run '^$' -fuzz FuzzCopySource).
func FuzzCopySource(f *testing.F) {
	text, bin := benchCopyInput(3)
	f.Add(uint8(0), text)
	f.Add(uint8(1), []byte("a,\"b\nc\",\"\"\"\"\n\\.\n"))
	f.Add(uint8(2), bin)
	f.Add(uint8(0), []byte("1\t\\x41\\101\\\n\r\n\\.\r\n"))
	f.Add(uint8(3), []byte("a;'b''c';NULL\r2;;\r"))
	opts := []*copyOptions{
		{format: copyText, delim: '\t', null: `\N`},
		{format: copyCSV, delim: ',', null: "", quote: '"', escape: '"'},
		{format: copyBinary},
		{format: copyCSV, delim: ';', null: "NULL", quote: '\'', escape: '\\', header: true},
	}
	f.Fuzz(func(t *testing.T, which uint8, input []byte) {
		o := opts[int(which)%len(opts)]
		cs := &copySource{o: o, r: bytes.NewReader(input), rel: "t", names: []string{"a", "b", "c"},
			types: []types.Type{types.Int4, types.Text, types.Text}, settings: types.DefaultSettings(),
			forceNotNull: make([]bool, 3), forceNull: make([]bool, 3)}
		cs.Open(nil)
		for i := 0; i <= len(input)+1; i++ {
			row, err := cs.Next(nil)
			if err != nil || row == nil {
				return
			}
		}
		t.Fatalf("more rows than input bytes")
	})
}
