package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestGenericEncoding(t *testing.T) {
	ctx := context.Background()
	at := time.Unix(1700000000, 250_000_000)
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"Copy", func(c cmds) error { return c.Copy(ctx, "a", "b").Err() }, "COPY a b", 0},
		{"CopyWith", func(c cmds) error {
			return c.CopyWith(ctx, "a", "b", CopyOptions{DB: new(0), Replace: true}).Err()
		}, "COPY a b DB 0 REPLACE", idem},
		{"Del", func(c cmds) error { return c.Del(ctx, "a", "b").Err() }, "DEL a b", idem},
		{"Dump", func(c cmds) error { return c.Dump(ctx, "a").Err() }, "DUMP a", ro},
		{"Exists", func(c cmds) error { return c.Exists(ctx, "a", "a").Err() }, "EXISTS a a", ro},
		{"Expire", func(c cmds) error { return c.Expire(ctx, "a", time.Minute).Err() }, "EXPIRE a 60", idem},
		{"ExpireWith", func(c cmds) error { return c.ExpireWith(ctx, "a", 2*time.Second, ExpireGT).Err() }, "EXPIRE a 2 GT", 0},
		{"ExpireAt", func(c cmds) error { return c.ExpireAt(ctx, "a", at).Err() }, "EXPIREAT a 1700000000", idem},
		{"ExpireAtWith", func(c cmds) error { return c.ExpireAtWith(ctx, "a", at, ExpireNX).Err() }, "EXPIREAT a 1700000000 NX", 0},
		{"ExpireTime", func(c cmds) error { return c.ExpireTime(ctx, "a").Err() }, "EXPIRETIME a", ro},
		{"Keys", func(c cmds) error { return c.Keys(ctx, "p*").Err() }, "KEYS p*", ro},
		{"Move", func(c cmds) error { return c.Move(ctx, "a", 3).Err() }, "MOVE a 3", 0},
		{"ObjectEncoding", func(c cmds) error { return c.ObjectEncoding(ctx, "a").Err() }, "OBJECT ENCODING a", ro},
		{"ObjectFreq", func(c cmds) error { return c.ObjectFreq(ctx, "a").Err() }, "OBJECT FREQ a", ro},
		{"ObjectIdleTime", func(c cmds) error { return c.ObjectIdleTime(ctx, "a").Err() }, "OBJECT IDLETIME a", ro},
		{"ObjectRefCount", func(c cmds) error { return c.ObjectRefCount(ctx, "a").Err() }, "OBJECT REFCOUNT a", ro},
		{"Persist", func(c cmds) error { return c.Persist(ctx, "a").Err() }, "PERSIST a", idem},
		{"PExpire", func(c cmds) error { return c.PExpire(ctx, "a", 1500*time.Millisecond).Err() }, "PEXPIRE a 1500", idem},
		{"PExpireWith", func(c cmds) error { return c.PExpireWith(ctx, "a", time.Second, ExpireLT).Err() }, "PEXPIRE a 1000 LT", 0},
		{"PExpireAt", func(c cmds) error { return c.PExpireAt(ctx, "a", at).Err() }, "PEXPIREAT a 1700000000250", idem},
		{"PExpireAtWith", func(c cmds) error { return c.PExpireAtWith(ctx, "a", at, ExpireXX).Err() }, "PEXPIREAT a 1700000000250 XX", 0},
		{"PExpireTime", func(c cmds) error { return c.PExpireTime(ctx, "a").Err() }, "PEXPIRETIME a", ro},
		{"PTTL", func(c cmds) error { return c.PTTL(ctx, "a").Err() }, "PTTL a", ro},
		{"RandomKey", func(c cmds) error { return c.RandomKey(ctx).Err() }, "RANDOMKEY", ro},
		{"Rename", func(c cmds) error { return c.Rename(ctx, "a", "b").Err() }, "RENAME a b", 0},
		{"RenameNX", func(c cmds) error { return c.RenameNX(ctx, "a", "b").Err() }, "RENAMENX a b", 0},
		{"Restore", func(c cmds) error { return c.Restore(ctx, "a", 0, []byte("\x00data")).Err() }, "RESTORE a 0 \x00data", 0},
		{"RestoreWith", func(c cmds) error {
			return c.RestoreWith(ctx, "a", 0, []byte("d"), RestoreOptions{Replace: true, ExpireAt: at,
				IdleTime: 90 * time.Second, Freq: new(0)}).Err()
		}, "RESTORE a 1700000000250 d REPLACE ABSTTL IDLETIME 90 FREQ 0", idem},
		{"RestoreWith ttl", func(c cmds) error {
			return c.RestoreWith(ctx, "a", 2*time.Second, []byte("d"), RestoreOptions{}).Err()
		}, "RESTORE a 2000 d", 0},
		{"Scan", func(c cmds) error { return c.Scan(ctx, 0).Err() }, "SCAN 0", ro},
		{"ScanWith", func(c cmds) error {
			return c.ScanWith(ctx, 18446744073709551615, ScanOptions{Match: "k:*", Count: 100, Type: "hash"}).Err()
		}, "SCAN 18446744073709551615 MATCH k:* COUNT 100 TYPE hash", ro},
		{"Sort", func(c cmds) error { return c.Sort(ctx, "l").Err() }, "SORT l", idem},
		{"SortWith", func(c cmds) error {
			return c.SortWith(ctx, "l", SortOptions{By: "w_*", Offset: 1, Count: 2, Get: []string{"#", "o_*"},
				Order: SortDesc, Alpha: true}).Err()
		}, "SORT l BY w_* LIMIT 1 2 GET # GET o_* DESC ALPHA", idem},
		{"SortWith offset only", func(c cmds) error {
			return c.SortWith(ctx, "l", SortOptions{Offset: 5, Order: SortAsc}).Err()
		}, "SORT l LIMIT 5 -1 ASC", idem},
		{"SortStore", func(c cmds) error {
			return c.SortStore(ctx, "l", "dst", SortOptions{Alpha: true}).Err()
		}, "SORT l ALPHA STORE dst", idem},
		{"SortRO", func(c cmds) error { return c.SortRO(ctx, "l").Err() }, "SORT_RO l", ro},
		{"SortROWith", func(c cmds) error {
			return c.SortROWith(ctx, "l", SortOptions{Count: 3}).Err()
		}, "SORT_RO l LIMIT 0 3", ro},
		{"Touch", func(c cmds) error { return c.Touch(ctx, "a", "b").Err() }, "TOUCH a b", ro},
		{"TTL", func(c cmds) error { return c.TTL(ctx, "a").Err() }, "TTL a", ro},
		{"Type", func(c cmds) error { return c.Type(ctx, "a").Err() }, "TYPE a", ro},
		{"Unlink", func(c cmds) error { return c.Unlink(ctx, "a").Err() }, "UNLINK a", idem},
		{"Wait", func(c cmds) error { return c.Wait(ctx, 2, 1500*time.Millisecond).Err() }, "WAIT 2 1500", messages.Blocking},
		{"Migrate", func(c cmds) error {
			return c.Migrate(ctx, "10.0.0.2:6380", 1, time.Second, "k").Err()
		}, "MIGRATE 10.0.0.2 6380 k 1 1000", 0},
		{"MigrateWith", func(c cmds) error {
			return c.MigrateWith(ctx, "[::1]:7000", 0, 5*time.Second, []string{"a", "b"},
				MigrateOptions{Copy: true, Replace: true, Username: "u", Password: "pw"}).Err()
		}, "MIGRATE ::1 7000  0 5000 COPY REPLACE AUTH2 u pw KEYS a b", 0},
		{"MigrateWith AUTH", func(c cmds) error {
			return c.MigrateWith(ctx, "h:1", 0, 0, []string{"a"}, MigrateOptions{Password: "pw"}).Err()
		}, "MIGRATE h 1 a 0 0 AUTH pw", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Every reply is accepted by some converter; errors of the
			// conversion do not matter here, only the encoding.
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindInteger, Int: 1} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestGenericRoutesByFirstKey(t *testing.T) {
	ctx := context.Background()
	s, c := replying(t, ":1")
	c.Rename(ctx, "{x}a", "b")
	assert.Equal(t, int(Slot("x")), s.last().slot)
	c.MigrateWith(ctx, "h:1", 0, 0, []string{"{y}a", "b"}, MigrateOptions{})
	assert.Equal(t, int(Slot("y")), s.last().slot, "the empty key placeholder does not route")
	c.Scan(ctx, 0)
	assert.Equal(t, -1, s.last().slot)
}

func TestGenericInvalidArguments(t *testing.T) {
	ctx := context.Background()
	const secret = "hunter2-secret"
	tests := []struct {
		name string
		call func(c cmds) error
	}{
		{"Expire fraction", func(c cmds) error { return c.Expire(ctx, "a", 1500*time.Millisecond).Err() }},
		{"Expire below a second", func(c cmds) error { return c.Expire(ctx, "a", 500*time.Millisecond).Err() }},
		{"ExpireWith unknown condition", func(c cmds) error { return c.ExpireWith(ctx, "a", time.Second, ExpireCondition(9)).Err() }},
		{"Migrate no keys", func(c cmds) error { return c.Migrate(ctx, "h:1", 0, time.Second).Err() }},
		{"Migrate bad addr", func(c cmds) error { return c.Migrate(ctx, secret, 0, time.Second, "k").Err() }},
		{"Migrate bad port", func(c cmds) error { return c.Migrate(ctx, "h:"+secret, 0, time.Second, "k").Err() }},
		{"Migrate username alone", func(c cmds) error {
			return c.MigrateWith(ctx, "h:1", 0, time.Second, []string{"k"}, MigrateOptions{Username: secret}).Err()
		}},
		{"Migrate negative timeout", func(c cmds) error {
			return c.MigrateWith(ctx, "h:1", 0, -time.Second, []string{"k"}, MigrateOptions{Password: secret}).Err()
		}},
		{"Restore negative ttl", func(c cmds) error { return c.Restore(ctx, "a", -time.Second, nil).Err() }},
		{"Restore ttl and ExpireAt", func(c cmds) error {
			return c.RestoreWith(ctx, "a", time.Second, nil, RestoreOptions{ExpireAt: time.Now()}).Err()
		}},
		{"Sort unknown order", func(c cmds) error { return c.SortWith(ctx, "a", SortOptions{Order: SortOrder(7)}).Err() }},
		{"Wait negative timeout", func(c cmds) error { return c.Wait(ctx, 1, -time.Second).Err() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			err := tt.call(c)
			require.ErrorIs(t, err, ErrInvalidArg)
			assert.NotContains(t, err.Error(), secret)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestMigrateOptionsHidePassword(t *testing.T) {
	o := MigrateOptions{Copy: true, Username: "admin", Password: "hunter2"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, o)
		assert.NotContains(t, out, "hunter2", format)
		assert.Contains(t, out, "admin", format)
	}
	assert.NotContains(t, MigrateOptions{}.String(), "Password")
}

// scanScript answers SCAN from pages keyed by cursor.
func scanScript(pages map[string]string) func([]string) resp.Value {
	return func(args []string) resp.Value {
		next, ok := pages[args[1]]
		if !ok {
			return resp.Value{Kind: resp.KindError, Str: "ERR invalid cursor"}
		}
		var keys []resp.Value
		for i := range 2 {
			keys = append(keys, resp.Value{Kind: resp.KindBulkString, Str: "k" + args[1] + "-" + strconv.Itoa(i)})
		}
		return resp.Value{Kind: resp.KindArray, Elems: []resp.Value{
			{Kind: resp.KindBulkString, Str: next},
			{Kind: resp.KindArray, Elems: keys},
		}}
	}
}

func TestScanIter(t *testing.T) {
	ctx := context.Background()
	s, c := newScript(t, scanScript(map[string]string{"0": "7", "7": "3", "3": "0"}))
	var got []string
	for k, err := range c.ScanIter(ctx, ScanOptions{Match: "k*", Count: 2}) {
		require.NoError(t, err)
		got = append(got, k)
	}
	assert.Equal(t, []string{"k0-0", "k0-1", "k7-0", "k7-1", "k3-0", "k3-1"}, got)
	require.Len(t, s.sent, 3)
	for i, cur := range []string{"0", "7", "3"} {
		assert.Equal(t, "SCAN "+cur+" MATCH k* COUNT 2", strings.Join(s.sent[i].args, " "))
	}
}

func TestScanIterStopsEarlyAndOnError(t *testing.T) {
	ctx := context.Background()
	s, c := newScript(t, scanScript(map[string]string{"0": "7", "7": "9"}))
	n := 0
	for _, err := range c.ScanIter(ctx, ScanOptions{}) {
		require.NoError(t, err)
		n++
		if n == 1 {
			break
		}
	}
	assert.Equal(t, 1, n)
	assert.Len(t, s.sent, 2, "the next page was already requested")

	var errs []error
	var keys []string
	for k, err := range c.ScanIter(ctx, ScanOptions{}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		keys = append(keys, k)
	}
	require.Len(t, errs, 1, "an error ends the walk")
	var se *Error
	assert.True(t, errors.As(errs[0], &se))
	assert.Len(t, keys, 4)
}

func TestEnumStrings(t *testing.T) {
	assert.Equal(t, "always", ExpireAlways.String())
	assert.Equal(t, "NX", ExpireNX.String())
	assert.Equal(t, "XX", ExpireXX.String())
	assert.Equal(t, "GT", ExpireGT.String())
	assert.Equal(t, "LT", ExpireLT.String())
	assert.Equal(t, "ExpireCondition(9)", ExpireCondition(9).String())
	assert.Equal(t, "default", SortDefault.String())
	assert.Equal(t, "ASC", SortAsc.String())
	assert.Equal(t, "DESC", SortDesc.String())
	assert.Equal(t, "SortOrder(5)", SortOrder(5).String())
	assert.Equal(t, "always", SetAlways.String())
	assert.Equal(t, "NX", SetIfNotExists.String())
	assert.Equal(t, "XX", SetIfExists.String())
	assert.Equal(t, "SetCondition(3)", SetCondition(3).String())
	assert.Equal(t, "any", ClientAnyType.String())
	assert.Equal(t, "replica", ClientReplica.String())
	assert.Equal(t, "pubsub", ClientPubSub.String())
	assert.Equal(t, "ClientType(8)", ClientType(8).String())
	assert.Equal(t, "ALL", PauseAll.String())
	assert.Equal(t, "WRITE", PauseWrite.String())
	assert.Equal(t, "PauseMode(2)", PauseMode(2).String())
	assert.Equal(t, "TIMEOUT", UnblockTimeout.String())
	assert.Equal(t, "ERROR", UnblockError.String())
	assert.Equal(t, "UnblockMode(2)", UnblockMode(2).String())
	assert.Equal(t, "ON", ReplyOn.String())
	assert.Equal(t, "OFF", ReplyOff.String())
	assert.Equal(t, "SKIP", ReplySkip.String())
	assert.Equal(t, "ReplyMode(3)", ReplyMode(3).String())
}
