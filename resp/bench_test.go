package resp

import (
	"strings"
	"testing"
)

func benchmarkRead(b *testing.B, reply string) {
	r := NewReader(&repeatReader{data: []byte(reply)}, Limits{})
	b.SetBytes(int64(len(reply)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.ReadValue(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadBulk decodes a GET reply of 32 bytes.
func BenchmarkReadBulk(b *testing.B) {
	benchmarkRead(b, "$32\r\n"+strings.Repeat("v", 32)+"\r\n")
}

// BenchmarkReadArray decodes an MGET reply of ten 16-byte values.
func BenchmarkReadArray(b *testing.B) {
	benchmarkRead(b, "*10\r\n"+strings.Repeat("$16\r\n"+strings.Repeat("v", 16)+"\r\n", 10))
}

// BenchmarkReadSimple decodes +OK.
func BenchmarkReadSimple(b *testing.B) { benchmarkRead(b, "+OK\r\n") }

// BenchmarkReadInteger decodes an INCR reply.
func BenchmarkReadInteger(b *testing.B) { benchmarkRead(b, ":1234567\r\n") }

// BenchmarkReadMap decodes a RESP3 HGETALL reply of five fields.
func BenchmarkReadMap(b *testing.B) {
	benchmarkRead(b, "%5\r\n"+strings.Repeat("$5\r\nfield\r\n$5\r\nvalue\r\n", 5))
}

// BenchmarkReadLargeBulk decodes a 1 MiB bulk string, past the buffer.
func BenchmarkReadLargeBulk(b *testing.B) {
	benchmarkRead(b, "$1048576\r\n"+strings.Repeat("v", 1<<20)+"\r\n")
}

// BenchmarkAppendCommand encodes SET key value.
func BenchmarkAppendCommand(b *testing.B) {
	buf := make([]byte, 0, 128)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		buf, err = AppendCommand(buf[:0], "SET", "key:000001", "some value of moderate length", 3600)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}
