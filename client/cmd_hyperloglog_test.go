package client

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestHyperLogLogEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"PFAdd", func(c cmds) error { return c.PFAdd(ctx, "h", "a", 2, []byte("c")).Err() }, "PFADD h a 2 c", idem},
		{"PFAdd create", func(c cmds) error { return c.PFAdd(ctx, "h").Err() }, "PFADD h", idem},
		{"PFCount", func(c cmds) error { return c.PFCount(ctx, "h", "g").Err() }, "PFCOUNT h g", ro},
		{"PFMerge", func(c cmds) error { return c.PFMerge(ctx, "d", "h", "g").Err() }, "PFMERGE d h g", idem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: 1} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
	s, c := replying(t, ":1")
	assert.ErrorIs(t, c.PFCount(ctx).Err(), ErrInvalidArg)
	assert.ErrorIs(t, c.PFAdd(ctx, "h", struct{}{}).Err(), ErrUnsupportedArg)
	assert.Empty(t, s.sent)
}
