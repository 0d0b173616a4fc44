package resp_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/actoredis/actoredis/resp"
)

func ExampleReader() {
	replies := "+OK\r\n" +
		">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n" + // a RESP3 push
		"$-1\r\n" +
		"*100000000\r\n" // a hostile header, then the stream ends
	r := resp.NewReader(strings.NewReader(replies), resp.Limits{})
	for {
		v, err := r.ReadValue()
		if err != nil {
			fmt.Println("error:", err)
			break
		}
		fmt.Println(v.Kind, len(v.Elems))
	}
	// Output:
	// simple-string 0
	// push 3
	// null 0
	// error: unexpected EOF
}

func ExampleReader_limits() {
	r := resp.NewReader(strings.NewReader("$1000000000\r\n"), resp.Limits{MaxBulkLen: 1 << 20})
	_, err := r.ReadValue()
	fmt.Println(errors.Is(err, resp.ErrProtocol))
	fmt.Println(err)
	// Output:
	// true
	// actoredis: protocol error: bulk length 1000000000 exceeds the limit 1048576
}

func ExampleValue_AsStringMap() {
	// HGETALL answered in RESP2 (a flat array) and in RESP3 (a map).
	for _, wire := range []string{
		"*4\r\n$5\r\nfield\r\n$5\r\nvalue\r\n$5\r\nscore\r\n$3\r\n1.5\r\n",
		"%2\r\n$5\r\nfield\r\n$5\r\nvalue\r\n$5\r\nscore\r\n$3\r\n1.5\r\n",
	} {
		v, _ := resp.NewReader(strings.NewReader(wire), resp.Limits{}).ReadValue()
		m, err := v.AsStringMap()
		fmt.Println(v.Kind, m, err)
	}
	// Output:
	// array map[field:value score:1.5] <nil>
	// map map[field:value score:1.5] <nil>
}

func ExampleAppendCommand() {
	buf, err := resp.AppendCommand(nil, "SET", "counter", 42)
	fmt.Printf("%q %v\n", buf, err)
	_, err = resp.AppendCommand(nil, "SET", "k", struct{}{})
	fmt.Println(err)
	// Output:
	// "*3\r\n$3\r\nSET\r\n$7\r\ncounter\r\n$2\r\n42\r\n" <nil>
	// actoredis: argument 2 has unsupported type struct {}
}
