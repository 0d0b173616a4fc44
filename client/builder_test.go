package client

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// The array header goes in front of the arguments, whatever its length.
func TestBuilderHeader(t *testing.T) {
	for _, n := range []int{1, 9, 10, 99_999, 100_000, 123_456} {
		f := newFuture(nil, context.Background(), "MSET", 0, toString)
		for i := 1; i < n; i++ {
			f.b.str("a")
		}
		got := f.b.finish()
		want := resp.AppendArrayHeader(nil, n)
		want = resp.AppendBulkString(want, "MSET")
		for i := 1; i < n; i++ {
			want = resp.AppendBulkString(want, "a")
		}
		require.Equal(t, string(want), string(got), "%d arguments", n)
	}
}

// A SET of a 17-byte key and a 16-byte value is encoded inline: building
// the command allocates its future and command, together, and nothing
// else.
func TestSetEncodesInline(t *testing.T) {
	key, value := "user:00000:profile"[:17], "0123456789abcdef"
	allocs := testing.AllocsPerRun(100, func() {
		f := newFuture(nil, context.Background(), "SET", messages.FlagsOf("SET"), toString)
		f.b.key(key).str(value)
		f.b.cmd.Args = f.b.finish()
	})
	assert.Equal(t, 1.0, allocs)
	f := newFuture(nil, context.Background(), "SET", 0, toString)
	f.b.key(key).str(value)
	assert.Equal(t, "*3\r\n$3\r\nSET\r\n$17\r\n"+key+"\r\n$16\r\n"+value+"\r\n", string(f.b.finish()))
}

// A command's route is the hash slot of its first key, read back from the
// encoding wherever the key is among the arguments.
func TestRouteIsTheFirstKeysSlot(t *testing.T) {
	long := strings.Repeat("x", 1_000_003)
	cases := []struct {
		name  string
		build func(b *builder)
		key   string
	}{
		{"GET", func(b *builder) { b.key("user:1") }, "user:1"},
		{"EVAL", func(b *builder) { b.str("return 1").int(2).keys("{tag}a", "{tag}b").str("arg") }, "{tag}a"},
		{"SET", func(b *builder) { b.key(long).str("v") }, long},
		{"MSET", func(b *builder) {
			for i := range 100_001 { // a header longer than headerRoom
				b.key("k" + strconv.Itoa(i)).str("v")
			}
		}, "k0"},
		{"PING", func(b *builder) {}, ""},
	}
	for _, c := range cases {
		f := newFuture(nil, context.Background(), c.name, 0, toString)
		c.build(&f.b)
		f.b.cmd.Args = f.b.finish()
		want := -1
		if c.key != "" {
			want = int(Slot(c.key))
		}
		assert.Equal(t, want, f.b.route().slot(), c.name)
	}
}
