//go:build integration

package integration

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

func TestStringSetWith(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, l := key("k"), key("list")
		set := func(v any, o client.SetOptions) client.SetResult { return valueOf(t, c.SetWith(ctx, k, v, o)) }

		assert.ErrorIs(t, c.Get(ctx, k).Err(), client.ErrNil)
		assert.Equal(t, client.SetResult{}, set("x", client.SetOptions{Condition: client.SetIfExists}))
		assert.ErrorIs(t, c.Get(ctx, k).Err(), client.ErrNil, "XX wrote nothing")
		assert.Equal(t, client.SetResult{Written: true}, set("a", client.SetOptions{Condition: client.SetIfNotExists}))
		assert.Equal(t, client.SetResult{}, set("b", client.SetOptions{Condition: client.SetIfNotExists}))
		assert.Equal(t, "a", valueOf(t, c.Get(ctx, k)))
		assert.Equal(t, client.SetResult{Written: true}, set("c", client.SetOptions{Condition: client.SetIfExists}))

		assert.Equal(t, client.SetResult{Written: true, Old: "c", HadOld: true}, set("d", client.SetOptions{Get: true}))
		assert.Equal(t, client.SetResult{Old: "d", HadOld: true},
			set("e", client.SetOptions{Condition: client.SetIfNotExists, Get: true}))
		assert.Equal(t, client.SetResult{Written: true, Old: "d", HadOld: true},
			set("f", client.SetOptions{Condition: client.SetIfExists, Get: true}))
		require.Equal(t, int64(1), valueOf(t, c.Del(ctx, k)))
		assert.Equal(t, client.SetResult{Written: true}, set("g", client.SetOptions{Get: true}))
		require.Equal(t, int64(1), valueOf(t, c.Del(ctx, k)))
		assert.Equal(t, client.SetResult{Written: true},
			set("h", client.SetOptions{Condition: client.SetIfNotExists, Get: true}))
		require.Equal(t, int64(1), valueOf(t, c.Del(ctx, k)))
		assert.Equal(t, client.SetResult{}, set("i", client.SetOptions{Condition: client.SetIfExists, Get: true}))

		// Expirations.
		set("v", client.SetOptions{Expiration: client.ExpiresIn(100 * time.Second)})
		ttl := valueOf(t, c.TTL(ctx, k))
		assert.True(t, ttl > 98*time.Second && ttl <= 100*time.Second, "TTL %v", ttl)
		set("v", client.SetOptions{Expiration: client.ExpiresIn(1500 * time.Millisecond)})
		pttl := valueOf(t, c.PTTL(ctx, k))
		assert.True(t, pttl > time.Second && pttl <= 1500*time.Millisecond, "PTTL %v", pttl)
		set("v", client.SetOptions{Expiration: client.KeepTTL()})
		assert.LessOrEqual(t, valueOf(t, c.PTTL(ctx, k)), 1500*time.Millisecond, "KEEPTTL kept it")
		assert.Greater(t, valueOf(t, c.PTTL(ctx, k)), time.Duration(0))
		set("v", client.SetOptions{Expiration: client.Persistent()})
		assert.Equal(t, client.NoExpiry, valueOf(t, c.TTL(ctx, k)))
		at := time.Now().Add(time.Hour).Truncate(time.Second)
		set("v", client.SetOptions{Expiration: client.ExpiresAt(at)})
		assert.True(t, at.Equal(valueOf(t, c.ExpireTime(ctx, k))))
		atMs := at.Add(time.Hour + 250*time.Millisecond)
		set("v", client.SetOptions{Expiration: client.ExpiresAt(atMs)})
		assert.True(t, atMs.Equal(valueOf(t, c.PExpireTime(ctx, k))))
		set("v", client.SetOptions{})
		assert.Equal(t, client.NoExpiry, valueOf(t, c.TTL(ctx, k)))
		assert.Equal(t, "OK", valueOf(t, c.Set(ctx, k, "w", 2*time.Second)))
		pttl = valueOf(t, c.PTTL(ctx, k))
		assert.True(t, pttl > time.Second && pttl <= 2*time.Second, "PTTL %v", pttl)

		// Errors.
		assert.ErrorIs(t, c.SetWith(ctx, k, "v", client.SetOptions{Expiration: client.ExpiresIn(0)}).Err(), client.ErrInvalidArg)
		require.NoError(t, c.Do(ctx, "RPUSH", l, "x").Err())
		var se *client.Error
		require.ErrorAs(t, c.SetWith(ctx, l, "v", client.SetOptions{Get: true}).Err(), &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
		assert.Equal(t, "list", valueOf(t, c.Type(ctx, l)), "nothing written")
	})
}

func TestStringGetVariants(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, missing := key("k"), key("missing")
		require.NoError(t, c.Set(ctx, k, "This is a string", 0).Err())

		assert.Equal(t, "This is a string", valueOf(t, c.GetEx(ctx, k)))
		assert.Equal(t, client.NoExpiry, valueOf(t, c.TTL(ctx, k)))
		assert.Equal(t, "This is a string", valueOf(t, c.GetExWith(ctx, k, client.GetExOptions{Expiration: client.ExpiresIn(100 * time.Second)})))
		assert.Greater(t, valueOf(t, c.TTL(ctx, k)), 98*time.Second)
		valueOf(t, c.GetExWith(ctx, k, client.GetExOptions{Expiration: client.KeepTTL()}))
		assert.Greater(t, valueOf(t, c.TTL(ctx, k)), 98*time.Second, "kept")
		valueOf(t, c.GetExWith(ctx, k, client.GetExOptions{Expiration: client.ExpiresIn(2500 * time.Millisecond)}))
		pttl := valueOf(t, c.PTTL(ctx, k))
		assert.True(t, pttl > 2*time.Second && pttl <= 2500*time.Millisecond, "PTTL %v", pttl)
		at := time.Now().Add(time.Hour).Truncate(time.Second)
		valueOf(t, c.GetExWith(ctx, k, client.GetExOptions{Expiration: client.ExpiresAt(at)}))
		assert.True(t, at.Equal(valueOf(t, c.ExpireTime(ctx, k))))
		valueOf(t, c.GetExWith(ctx, k, client.GetExOptions{Expiration: client.ExpiresAt(at.Add(7 * time.Millisecond))}))
		assert.True(t, at.Add(7*time.Millisecond).Equal(valueOf(t, c.PExpireTime(ctx, k))))
		valueOf(t, c.GetExWith(ctx, k, client.GetExOptions{Expiration: client.Persistent()}))
		assert.Equal(t, client.NoExpiry, valueOf(t, c.TTL(ctx, k)))
		assert.ErrorIs(t, c.GetEx(ctx, missing).Err(), client.ErrNil)

		assert.Equal(t, "This", valueOf(t, c.GetRange(ctx, k, 0, 3)))
		assert.Equal(t, "ing", valueOf(t, c.GetRange(ctx, k, -3, -1)))
		assert.Equal(t, "This is a string", valueOf(t, c.GetRange(ctx, k, 0, -1)))
		assert.Equal(t, "", valueOf(t, c.GetRange(ctx, missing, 0, -1)))
		assert.Equal(t, "is a", valueOf(t, c.SubStr(ctx, k, 5, 8)))

		assert.Equal(t, "This is a string", valueOf(t, c.GetSet(ctx, k, 42)))
		assert.Equal(t, "42", valueOf(t, c.Get(ctx, k)))
		assert.ErrorIs(t, c.GetSet(ctx, missing, "new").Err(), client.ErrNil)
		assert.Equal(t, "new", valueOf(t, c.Get(ctx, missing)), "set all the same")

		assert.Equal(t, "42", valueOf(t, c.GetDel(ctx, k)))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, k)))
		assert.ErrorIs(t, c.GetDel(ctx, k).Err(), client.ErrNil)
	})
}

func TestStringAppendRangeLength(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, p := key("k"), key("padded")
		assert.Equal(t, int64(5), valueOf(t, c.Append(ctx, k, "Hello")))
		assert.Equal(t, int64(11), valueOf(t, c.Append(ctx, k, []byte(" World"))))
		assert.Equal(t, int64(11), valueOf(t, c.StrLen(ctx, k)))
		assert.Equal(t, int64(11), valueOf(t, c.SetRange(ctx, k, 6, "Redis")))
		assert.Equal(t, "Hello Redis", valueOf(t, c.Get(ctx, k)))
		assert.Equal(t, int64(8), valueOf(t, c.SetRange(ctx, p, 5, "abc")))
		assert.Equal(t, "\x00\x00\x00\x00\x00abc", valueOf(t, c.Get(ctx, p)))
		assert.Equal(t, int64(0), valueOf(t, c.StrLen(ctx, key("missing"))))
	})
}

func TestStringCounters(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		n, f, s := key("n"), key("f"), key("s")
		assert.Equal(t, int64(1), valueOf(t, c.Incr(ctx, n)))
		assert.Equal(t, int64(11), valueOf(t, c.IncrBy(ctx, n, 10)))
		assert.Equal(t, int64(10), valueOf(t, c.Decr(ctx, n)))
		assert.Equal(t, int64(-5), valueOf(t, c.DecrBy(ctx, n, 15)))
		assert.Equal(t, int64(-2), valueOf(t, c.IncrBy(ctx, n, 3)))
		require.NoError(t, c.Set(ctx, f, 10.5, 0).Err())
		assert.Equal(t, 10.6, valueOf(t, c.IncrByFloat(ctx, f, 0.1)))
		assert.Equal(t, 5.6, valueOf(t, c.IncrByFloat(ctx, f, -5)))
		assert.Equal(t, 3.0, valueOf(t, c.IncrByFloat(ctx, key("nf"), 3)))
		require.NoError(t, c.Set(ctx, s, "text", 0).Err())
		var se *client.Error
		assert.ErrorAs(t, c.Incr(ctx, s).Err(), &se)
		assert.ErrorAs(t, c.IncrByFloat(ctx, s, 1).Err(), &se)
	})
}

func TestStringMultiKey(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		a, b, e, l, missing := key("a"), key("b"), key("empty"), key("list"), key("missing")
		assert.Equal(t, "OK", valueOf(t, c.MSet(ctx, a, "A", b, 2, e, "")))
		require.NoError(t, c.Do(ctx, "RPUSH", l, "x").Err())
		assert.Equal(t, []client.NullString{
			{Value: "A", Valid: true}, {Value: "2", Valid: true}, {Value: "", Valid: true}, {}, {},
		}, valueOf(t, c.MGet(ctx, a, b, e, missing, l)))
		assert.ErrorIs(t, c.MSet(ctx, a, "A", b).Err(), client.ErrInvalidArg)
		assert.ErrorIs(t, c.MSet(ctx, 1, "A").Err(), client.ErrInvalidArg)

		n1, n2 := key("n1"), key("n2")
		assert.True(t, valueOf(t, c.MSetNX(ctx, n1, 1, n2, 2)))
		assert.False(t, valueOf(t, c.MSetNX(ctx, n1, 9, key("n3"), 3)))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, key("n3"))), "all or nothing")
		assert.ErrorIs(t, c.MSetNX(ctx, n1).Err(), client.ErrInvalidArg)
	})
}

func TestStringSetVariants(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("k")
		assert.True(t, valueOf(t, c.SetNX(ctx, k, "first")))
		assert.False(t, valueOf(t, c.SetNX(ctx, k, "second")))
		assert.Equal(t, "first", valueOf(t, c.Get(ctx, k)))

		assert.Equal(t, "OK", valueOf(t, c.SetEx(ctx, k, "ex", 100*time.Second)))
		ttl := valueOf(t, c.TTL(ctx, k))
		assert.True(t, ttl > 98*time.Second && ttl <= 100*time.Second, "TTL %v", ttl)
		assert.ErrorIs(t, c.SetEx(ctx, k, "ex", 100*time.Millisecond).Err(), client.ErrInvalidArg)
		assert.Equal(t, "OK", valueOf(t, c.PSetEx(ctx, k, "psex", 1500*time.Millisecond)))
		pttl := valueOf(t, c.PTTL(ctx, k))
		assert.True(t, pttl > time.Second && pttl <= 1500*time.Millisecond, "PTTL %v", pttl)
		assert.Equal(t, "psex", valueOf(t, c.Get(ctx, k)))
	})
}

func TestStringLCS(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k1, k2 := key("k1"), key("k2")
		require.NoError(t, c.MSet(ctx, k1, "ohmytext", k2, "mynewtext").Err())
		assert.Equal(t, "mytext", valueOf(t, c.LCS(ctx, k1, k2)))
		assert.Equal(t, client.LCSResult{Text: "mytext"}, valueOf(t, c.LCSWith(ctx, k1, k2, client.LCSOptions{})))
		assert.Equal(t, client.LCSResult{Length: 6}, valueOf(t, c.LCSWith(ctx, k1, k2, client.LCSOptions{Length: true})))
		all := client.LCSResult{Length: 6, Matches: []client.LCSMatch{
			{Key1: client.LCSRange{Start: 4, End: 7}, Key2: client.LCSRange{Start: 5, End: 8}, Length: 4},
			{Key1: client.LCSRange{Start: 2, End: 3}, Key2: client.LCSRange{Start: 0, End: 1}, Length: 2},
		}}
		assert.Equal(t, all, valueOf(t, c.LCSWith(ctx, k1, k2, client.LCSOptions{Indexes: true})))
		assert.Equal(t, all, valueOf(t, c.LCSWith(ctx, k1, k2, client.LCSOptions{Indexes: true, WithMatchLength: true})))
		long := client.LCSResult{Length: 6, Matches: all.Matches[:1]}
		assert.Equal(t, long, valueOf(t, c.LCSWith(ctx, k1, k2,
			client.LCSOptions{Indexes: true, MinMatchLength: 4, WithMatchLength: true})))
		assert.Equal(t, "", valueOf(t, c.LCS(ctx, k1, key("missing"))))
	})
}
