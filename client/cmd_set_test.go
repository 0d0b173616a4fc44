package client

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestSetGroupEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"SAdd", func(c cmds) error { return c.SAdd(ctx, "s", "a", 1).Err() }, "SADD s a 1", idem},
		{"SCard", func(c cmds) error { return c.SCard(ctx, "s").Err() }, "SCARD s", ro},
		{"SDiff", func(c cmds) error { return c.SDiff(ctx, "s", "t").Err() }, "SDIFF s t", ro},
		{"SDiffStore", func(c cmds) error { return c.SDiffStore(ctx, "s", "t", "u").Err() }, "SDIFFSTORE s t u", idem},
		{"SInter", func(c cmds) error { return c.SInter(ctx, "s", "t").Err() }, "SINTER s t", ro},
		{"SInterCard", func(c cmds) error { return c.SInterCard(ctx, "s", "t").Err() }, "SINTERCARD 2 s t", ro},
		{"SInterCardWith", func(c cmds) error {
			return c.SInterCardWith(ctx, []string{"s"}, SInterCardOptions{Limit: 5}).Err()
		}, "SINTERCARD 1 s LIMIT 5", ro},
		{"SInterStore", func(c cmds) error { return c.SInterStore(ctx, "s", "t").Err() }, "SINTERSTORE s t", idem},
		{"SIsMember", func(c cmds) error { return c.SIsMember(ctx, "s", 3).Err() }, "SISMEMBER s 3", ro},
		{"SMembers", func(c cmds) error { return c.SMembers(ctx, "s").Err() }, "SMEMBERS s", ro},
		{"SMIsMember", func(c cmds) error { return c.SMIsMember(ctx, "s", "a", "b").Err() }, "SMISMEMBER s a b", ro},
		{"SMove", func(c cmds) error { return c.SMove(ctx, "s", "t", "m").Err() }, "SMOVE s t m", 0},
		{"SPop", func(c cmds) error { return c.SPop(ctx, "s").Err() }, "SPOP s", 0},
		{"SPopWith", func(c cmds) error { return c.SPopWith(ctx, "s", 2).Err() }, "SPOP s 2", 0},
		{"SRandMember", func(c cmds) error { return c.SRandMember(ctx, "s").Err() }, "SRANDMEMBER s", ro},
		{"SRandMemberWith", func(c cmds) error { return c.SRandMemberWith(ctx, "s", -5).Err() }, "SRANDMEMBER s -5", ro},
		{"SRem", func(c cmds) error { return c.SRem(ctx, "s", "a", []byte("b")).Err() }, "SREM s a b", idem},
		{"SScan", func(c cmds) error { return c.SScan(ctx, "s", 0).Err() }, "SSCAN s 0", ro},
		{"SScanWith", func(c cmds) error {
			return c.SScanWith(ctx, "s", 3, SScanOptions{Match: "a*", Count: 50}).Err()
		}, "SSCAN s 3 MATCH a* COUNT 50", ro},
		{"SUnion", func(c cmds) error { return c.SUnion(ctx, "s", "t").Err() }, "SUNION s t", ro},
		{"SUnionStore", func(c cmds) error { return c.SUnionStore(ctx, "s", "t").Err() }, "SUNIONSTORE s t", idem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
			assert.Equal(t, int(Slot("s")), s.last().slot, "routed by the first key")
		})
	}
}

func TestSetGroupInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"SAdd no member", func(c cmds) error { return c.SAdd(ctx, "s").Err() }},
		{"SRem no member", func(c cmds) error { return c.SRem(ctx, "s").Err() }},
		{"SMIsMember no member", func(c cmds) error { return c.SMIsMember(ctx, "s").Err() }},
		{"SDiff no key", func(c cmds) error { return c.SDiff(ctx).Err() }},
		{"SInter no key", func(c cmds) error { return c.SInter(ctx).Err() }},
		{"SUnion no key", func(c cmds) error { return c.SUnion(ctx).Err() }},
		{"SDiffStore no key", func(c cmds) error { return c.SDiffStore(ctx, "d").Err() }},
		{"SInterStore no key", func(c cmds) error { return c.SInterStore(ctx, "d").Err() }},
		{"SUnionStore no key", func(c cmds) error { return c.SUnionStore(ctx, "d").Err() }},
		{"SInterCard no key", func(c cmds) error { return c.SInterCard(ctx).Err() }},
		{"SInterCardWith negative limit", func(c cmds) error {
			return c.SInterCardWith(ctx, []string{"s"}, SInterCardOptions{Limit: -1}).Err()
		}},
		{"SPopWith negative", func(c cmds) error { return c.SPopWith(ctx, "s", -1).Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			assert.ErrorIs(t, tt.call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing sent")
		})
	}
}

func TestSScanIter(t *testing.T) {
	ctx := context.Background()
	s, c := newScript(t, lhsScanScript(map[string]string{"0": "4", "4": "0"}))
	var got []string
	for m, err := range c.SScanIter(ctx, "s", SScanOptions{Match: "m*"}) {
		require.NoError(t, err)
		got = append(got, m)
	}
	assert.Equal(t, []string{"m0-0", "m0-1", "m4-0", "m4-1"}, got)
	require.Len(t, s.sent, 2)
	assert.Equal(t, "SSCAN s 4 MATCH m*", strings.Join(s.sent[1].args, " "))

	s, c = newScript(t, lhsScanScript(map[string]string{"0": "5", "5": "9"}))
	for range c.SScanIter(ctx, "s", SScanOptions{}) {
		break
	}
	assert.Len(t, s.sent, 2, "the next page was already requested")
	var errs []error
	n := 0
	for _, err := range c.SScanIter(ctx, "s", SScanOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	require.Len(t, errs, 1, "an error ends the walk")
	var se *Error
	assert.True(t, errors.As(errs[0], &se))
	assert.Equal(t, 4, n)
}
