package resptest_test

import (
	"fmt"
	"net"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// A test scripts the server, points the code under test at s.Addr() and
// checks what the server saw. In a test, use resptest.New(t, ...), which
// closes the server and checks the expectations at cleanup.
func Example() {
	s, err := resptest.Start(resptest.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	s.Expect("GET", "greeting").Reply(resp.Value{Kind: resp.KindBulkString, Str: "hello"})
	s.Expect("GET", "broken").ReplyRaw("$5\r\nhel").CloseConn()

	// The code under test would dial s.Addr(); here a bare connection.
	nc, err := net.Dial("tcp", s.Addr())
	if err != nil {
		panic(err)
	}
	defer nc.Close()
	r := resp.NewReader(nc, resp.Limits{})
	for _, args := range [][]any{{"HELLO", "3"}, {"GET", "greeting"}, {"GET", "broken"}} {
		cmd, _ := resp.AppendCommand(nil, args...)
		nc.Write(cmd)
		v, err := r.ReadValue()
		if err != nil {
			fmt.Println(args[1], "->", err)
			continue
		}
		fmt.Println(args[1], "->", v.Kind)
	}
	fmt.Println("connections:", s.Accepted(), "GETs:", s.CommandCount("get"), "unmet:", len(s.Unmet()))
	// Output:
	// 3 -> map
	// greeting -> bulk-string
	// broken -> unexpected EOF
	// connections: 1 GETs: 2 unmet: 0
}
