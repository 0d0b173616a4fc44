//go:build integration

package integration

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
)

func TestGenericExistsTouchTypeDelUnlink(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		a, b, l, missing := key("a"), key("b"), key("list"), key("missing")
		require.Equal(t, "OK", valueOf(t, c.MSet(ctx, a, 1, b, 2)))
		require.NoError(t, c.Do(ctx, "RPUSH", l, "x").Err())

		assert.Equal(t, int64(3), valueOf(t, c.Exists(ctx, a, b, a, missing)))
		assert.Equal(t, int64(1), valueOf(t, c.Touch(ctx, a, missing)))
		assert.Equal(t, "string", valueOf(t, c.Type(ctx, a)))
		assert.Equal(t, "list", valueOf(t, c.Type(ctx, l)))
		assert.Equal(t, "none", valueOf(t, c.Type(ctx, missing)))
		assert.Equal(t, int64(1), valueOf(t, c.Unlink(ctx, a, missing)))
		assert.Equal(t, int64(2), valueOf(t, c.Del(ctx, b, l, missing)))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, a, b, l)))
	})
}

func TestGenericCopyMoveRename(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		src, dst, other := key("src"), key("dst"), key("other")
		db1 := openClient(t, client.Options{DB: 1, Protocol: c.Options().Protocol})
		db2 := openClient(t, client.Options{DB: 2, Protocol: c.Options().Protocol})
		require.NoError(t, db1.Del(ctx, dst).Err())
		require.NoError(t, db2.Del(ctx, src).Err())
		t.Cleanup(func() {
			_ = db1.Del(context.Background(), dst).Err()
			_ = db2.Del(context.Background(), src).Err()
		})

		require.Equal(t, "OK", valueOf(t, c.Set(ctx, src, "v1", 0)))
		assert.True(t, valueOf(t, c.Copy(ctx, src, dst)))
		assert.False(t, valueOf(t, c.Copy(ctx, src, dst)), "dst exists")
		require.NoError(t, c.Set(ctx, src, "v2", 0).Err())
		assert.True(t, valueOf(t, c.CopyWith(ctx, src, dst, client.CopyOptions{Replace: true})))
		assert.Equal(t, "v2", valueOf(t, c.Get(ctx, dst)))
		assert.True(t, valueOf(t, c.CopyWith(ctx, src, dst, client.CopyOptions{DB: new(1)})))
		assert.Equal(t, "v2", valueOf(t, db1.Get(ctx, dst)))
		assert.False(t, valueOf(t, c.Copy(ctx, key("missing"), dst)))

		assert.True(t, valueOf(t, c.Move(ctx, src, 2)))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, src)))
		assert.Equal(t, "v2", valueOf(t, db2.Get(ctx, src)))
		assert.False(t, valueOf(t, c.Move(ctx, src, 2)), "src is gone")

		assert.Equal(t, "OK", valueOf(t, c.Rename(ctx, dst, src)))
		assert.Equal(t, "v2", valueOf(t, c.Get(ctx, src)))
		var se *client.Error
		require.ErrorAs(t, c.Rename(ctx, dst, src).Err(), &se, "dst was renamed away")
		assert.Equal(t, "ERR", se.Prefix())

		require.NoError(t, c.Set(ctx, other, "o", 0).Err())
		assert.False(t, valueOf(t, c.RenameNX(ctx, src, other)))
		assert.Equal(t, "o", valueOf(t, c.Get(ctx, other)))
		assert.True(t, valueOf(t, c.RenameNX(ctx, src, dst)))
		assert.Equal(t, "v2", valueOf(t, c.Get(ctx, dst)))
	})
}

func TestGenericExpireFamily(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, missing := key("k"), key("missing")
		require.NoError(t, c.Set(ctx, k, "v", 0).Err())

		// No expiry, and no key.
		assert.Equal(t, client.NoExpiry, valueOf(t, c.TTL(ctx, k)))
		assert.Equal(t, client.NoExpiry, valueOf(t, c.PTTL(ctx, k)))
		assert.True(t, valueOf(t, c.ExpireTime(ctx, k)).IsZero())
		assert.True(t, valueOf(t, c.PExpireTime(ctx, k)).IsZero())
		assert.ErrorIs(t, c.TTL(ctx, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.PTTL(ctx, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.ExpireTime(ctx, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.PExpireTime(ctx, missing).Err(), client.ErrNil)
		assert.False(t, valueOf(t, c.Expire(ctx, missing, time.Minute)))

		// Relative, in seconds, with every condition.
		now := time.Now()
		assert.True(t, valueOf(t, c.Expire(ctx, k, 100*time.Second)))
		ttl := valueOf(t, c.TTL(ctx, k))
		assert.True(t, ttl > 98*time.Second && ttl <= 100*time.Second, "TTL %v", ttl)
		pttl := valueOf(t, c.PTTL(ctx, k))
		assert.True(t, pttl > 98*time.Second && pttl <= 100*time.Second, "PTTL %v", pttl)
		assert.WithinDuration(t, now.Add(100*time.Second), valueOf(t, c.ExpireTime(ctx, k)), 2*time.Second)
		assert.WithinDuration(t, now.Add(100*time.Second), valueOf(t, c.PExpireTime(ctx, k)), 2*time.Second)
		assert.False(t, valueOf(t, c.ExpireWith(ctx, k, 200*time.Second, client.ExpireNX)), "has an expiry")
		assert.True(t, valueOf(t, c.ExpireWith(ctx, k, 200*time.Second, client.ExpireGT)))
		assert.False(t, valueOf(t, c.ExpireWith(ctx, k, 300*time.Second, client.ExpireLT)))
		assert.True(t, valueOf(t, c.ExpireWith(ctx, k, 50*time.Second, client.ExpireXX)))
		assert.LessOrEqual(t, valueOf(t, c.TTL(ctx, k)), 50*time.Second)

		assert.True(t, valueOf(t, c.Persist(ctx, k)))
		assert.False(t, valueOf(t, c.Persist(ctx, k)), "no expiry left")
		assert.False(t, valueOf(t, c.ExpireWith(ctx, k, time.Minute, client.ExpireXX)))
		assert.False(t, valueOf(t, c.ExpireWith(ctx, k, time.Minute, client.ExpireGT)), "no expiry counts as infinite")
		assert.True(t, valueOf(t, c.ExpireWith(ctx, k, time.Minute, client.ExpireNX)))

		// Relative, in milliseconds.
		assert.True(t, valueOf(t, c.PExpire(ctx, k, 1500*time.Millisecond)))
		pttl = valueOf(t, c.PTTL(ctx, k))
		assert.True(t, pttl > time.Second && pttl <= 1500*time.Millisecond, "PTTL %v", pttl)
		assert.True(t, valueOf(t, c.PExpireWith(ctx, k, 2500*time.Millisecond, client.ExpireGT)))
		assert.False(t, valueOf(t, c.PExpireWith(ctx, k, 5*time.Second, client.ExpireLT)))

		// Absolute.
		at := time.Now().Add(time.Hour).Truncate(time.Second)
		assert.True(t, valueOf(t, c.ExpireAt(ctx, k, at.Add(300*time.Millisecond))))
		assert.True(t, at.Equal(valueOf(t, c.ExpireTime(ctx, k))), "the fraction of a second is dropped")
		assert.False(t, valueOf(t, c.ExpireAtWith(ctx, k, at.Add(time.Hour), client.ExpireLT)))
		assert.True(t, valueOf(t, c.ExpireAtWith(ctx, k, at.Add(time.Hour), client.ExpireGT)))
		atMs := time.Now().Add(2 * time.Hour).Truncate(time.Millisecond).Add(123 * time.Millisecond)
		assert.True(t, valueOf(t, c.PExpireAt(ctx, k, atMs)))
		assert.True(t, atMs.Equal(valueOf(t, c.PExpireTime(ctx, k))))
		assert.Equal(t, atMs.Round(time.Second).Unix(), valueOf(t, c.ExpireTime(ctx, k)).Unix(), "rounded to the second")
		assert.False(t, valueOf(t, c.PExpireAtWith(ctx, k, atMs, client.ExpireNX)))
		assert.True(t, valueOf(t, c.PExpireAtWith(ctx, k, atMs.Add(-time.Minute), client.ExpireXX)))

		// A ttl with a fraction of a second is refused before sending; a
		// negative one deletes the key.
		assert.ErrorIs(t, c.Expire(ctx, k, 1500*time.Millisecond).Err(), client.ErrInvalidArg)
		assert.True(t, valueOf(t, c.Expire(ctx, k, -time.Second)))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, k)))
	})
}

func TestGenericKeysScan(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		var strs, lists []string
		for i := range 25 {
			k := key("s" + strconv.Itoa(i))
			strs = append(strs, k)
			require.NoError(t, c.Set(ctx, k, i, 0).Err())
		}
		for i := range 3 {
			k := key("l" + strconv.Itoa(i))
			lists = append(lists, k)
			require.NoError(t, c.Do(ctx, "RPUSH", k, "x").Err())
		}
		all := slices.Sorted(slices.Values(append(slices.Clone(strs), lists...)))
		match := key("*")

		got := valueOf(t, c.Keys(ctx, match))
		slices.Sort(got)
		assert.Equal(t, all, got)
		assert.Empty(t, valueOf(t, c.Keys(ctx, key("nothing*"))))

		// Page by page.
		seen := map[string]bool{}
		var cursor uint64
		pages := 0
		for {
			page := valueOf(t, c.ScanWith(ctx, cursor, client.ScanOptions{Match: match, Count: 5}))
			pages++
			for _, k := range page.Keys {
				seen[k] = true
			}
			if page.Cursor == 0 {
				break
			}
			cursor = page.Cursor
		}
		assert.Equal(t, all, slices.Sorted(func(yield func(string) bool) {
			for k := range seen {
				if !yield(k) {
					return
				}
			}
		}))
		assert.Greater(t, pages, 1)
		first := valueOf(t, c.Scan(ctx, 0))
		assert.NotNil(t, first.Keys)

		// The iterator, with a type filter.
		var listsSeen []string
		for k, err := range c.ScanIter(ctx, client.ScanOptions{Match: match, Type: "list", Count: 3}) {
			require.NoError(t, err)
			if !slices.Contains(listsSeen, k) {
				listsSeen = append(listsSeen, k)
			}
		}
		slices.Sort(listsSeen)
		assert.Equal(t, lists, listsSeen)

		n := 0
		for _, err := range c.ScanIter(ctx, client.ScanOptions{Match: match}) {
			require.NoError(t, err)
			if n++; n == 2 {
				break
			}
		}
		assert.Equal(t, 2, n)
	})
}

func TestGenericRandomKey(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		require.NoError(t, c.Do(ctx, "FLUSHDB").Err())
		assert.ErrorIs(t, c.RandomKey(ctx).Err(), client.ErrNil, "empty database")
		require.NoError(t, c.Set(ctx, key("only"), "v", 0).Err())
		assert.Equal(t, key("only"), valueOf(t, c.RandomKey(ctx)))
	})
}

func TestGenericDumpRestore(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		src, dst := key("src"), key("dst")
		require.NoError(t, c.Set(ctx, src, "hello\x00world", 0).Err())
		data := valueOf(t, c.Dump(ctx, src))
		assert.NotEmpty(t, data)
		assert.ErrorIs(t, c.Dump(ctx, key("missing")).Err(), client.ErrNil)

		assert.Equal(t, "OK", valueOf(t, c.Restore(ctx, dst, 0, data)))
		assert.Equal(t, "hello\x00world", valueOf(t, c.Get(ctx, dst)))
		assert.Equal(t, client.NoExpiry, valueOf(t, c.TTL(ctx, dst)))
		var se *client.Error
		require.ErrorAs(t, c.Restore(ctx, dst, 0, data).Err(), &se)
		assert.Equal(t, "BUSYKEY", se.Prefix())

		assert.Equal(t, "OK", valueOf(t, c.RestoreWith(ctx, dst, 10*time.Second, data, client.RestoreOptions{Replace: true})))
		pttl := valueOf(t, c.PTTL(ctx, dst))
		assert.True(t, pttl > 8*time.Second && pttl <= 10*time.Second, "PTTL %v", pttl)

		at := time.Now().Add(time.Hour).Truncate(time.Millisecond)
		assert.Equal(t, "OK", valueOf(t, c.RestoreWith(ctx, dst, 0, data, client.RestoreOptions{Replace: true, ExpireAt: at})))
		assert.True(t, at.Equal(valueOf(t, c.PExpireTime(ctx, dst))))

		assert.Equal(t, "OK", valueOf(t, c.RestoreWith(ctx, dst, 0, data,
			client.RestoreOptions{Replace: true, IdleTime: 1000 * time.Second})))
		idle := valueOf(t, c.ObjectIdleTime(ctx, dst))
		assert.True(t, idle >= 1000*time.Second && idle < 1005*time.Second, "idle %v", idle)

		assert.ErrorIs(t, c.Restore(ctx, dst, -time.Second, data).Err(), client.ErrInvalidArg)
		require.ErrorAs(t, c.RestoreWith(ctx, key("bad"), 0, []byte("garbage"), client.RestoreOptions{}).Err(), &se)
	})
}

func TestGenericObject(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		n, s, missing := key("n"), key("s"), key("missing")
		require.NoError(t, c.Set(ctx, n, 12345, 0).Err())
		require.NoError(t, c.Set(ctx, s, "hello", 0).Err())
		assert.Equal(t, "int", valueOf(t, c.ObjectEncoding(ctx, n)))
		assert.Equal(t, "embstr", valueOf(t, c.ObjectEncoding(ctx, s)))
		assert.Equal(t, int64(1), valueOf(t, c.ObjectRefCount(ctx, s)))
		assert.Less(t, valueOf(t, c.ObjectIdleTime(ctx, s)), 3*time.Second)
		assert.ErrorIs(t, c.ObjectEncoding(ctx, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.ObjectRefCount(ctx, missing).Err(), client.ErrNil)
		assert.ErrorIs(t, c.ObjectIdleTime(ctx, missing).Err(), client.ErrNil)
		var se *client.Error
		assert.ErrorAs(t, c.ObjectFreq(ctx, s).Err(), &se, "FREQ needs an LFU policy")
	})
}

func TestGenericObjectFreqUnderLFU(t *testing.T) {
	srv := redistest.Start(t, redistest.WithArgs("--maxmemory-policy", "allkeys-lfu"))
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k, r := key("k"), key("restored")
		require.NoError(t, c.Set(ctx, k, "v", 0).Err())
		freq := valueOf(t, c.ObjectFreq(ctx, k))
		assert.True(t, freq >= 0 && freq <= 255, "freq %d", freq)
		assert.ErrorIs(t, c.ObjectFreq(ctx, key("missing")).Err(), client.ErrNil)
		var se *client.Error
		assert.ErrorAs(t, c.ObjectIdleTime(ctx, k).Err(), &se, "IDLETIME needs an LRU policy")

		data := valueOf(t, c.Dump(ctx, k))
		require.Equal(t, "OK", valueOf(t, c.RestoreWith(ctx, r, 0, data, client.RestoreOptions{Replace: true, Freq: new(100)})))
		assert.Equal(t, int64(100), valueOf(t, c.ObjectFreq(ctx, r)))
	})
}

func TestGenericSort(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		l, words, dst := key("l"), key("words"), key("dst")
		require.NoError(t, c.Do(ctx, "RPUSH", l, 3, 1, 2).Err())
		require.NoError(t, c.Do(ctx, "RPUSH", words, "pear", "apple", "fig").Err())
		require.NoError(t, c.MSet(ctx, key("w_1"), 30, key("w_2"), 10, key("w_3"), 20,
			key("o_1"), "one", key("o_2"), "two").Err())

		assert.Equal(t, []string{"1", "2", "3"}, valueOf(t, c.Sort(ctx, l)))
		assert.Equal(t, []string{"1", "2", "3"}, valueOf(t, c.SortRO(ctx, l)))
		assert.Equal(t, []string{"3", "2", "1"}, valueOf(t, c.SortWith(ctx, l, client.SortOptions{Order: client.SortDesc})))
		assert.Equal(t, []string{"1", "2"}, valueOf(t, c.SortROWith(ctx, l, client.SortOptions{Count: 2})))
		assert.Equal(t, []string{"2", "3"}, valueOf(t, c.SortWith(ctx, l, client.SortOptions{Offset: 1})))
		assert.Equal(t, []string{"apple", "fig", "pear"},
			valueOf(t, c.SortWith(ctx, words, client.SortOptions{Alpha: true, Order: client.SortAsc})))
		var se *client.Error
		assert.ErrorAs(t, c.Sort(ctx, words).Err(), &se, "words are not numbers")

		// By the weights, fetching the element and its object; 3 has none.
		got := valueOf(t, c.SortWith(ctx, l, client.SortOptions{By: key("w_*"), Get: []string{"#", key("o_*")}}))
		assert.Equal(t, []string{"2", "two", "3", "", "1", "one"}, got)
		got = valueOf(t, c.SortROWith(ctx, l, client.SortOptions{By: key("w_*"), Order: client.SortDesc, Offset: 0, Count: 1}))
		assert.Equal(t, []string{"1"}, got)

		assert.Equal(t, int64(3), valueOf(t, c.SortStore(ctx, l, dst, client.SortOptions{Order: client.SortDesc})))
		stored := valueOf(t, c.Do(ctx, "LRANGE", dst, 0, -1))
		elems, err := stored.AsStrings()
		require.NoError(t, err)
		assert.Equal(t, []string{"3", "2", "1"}, elems)
	})
}

func TestGenericMigrate(t *testing.T) {
	target := redistest.Start(t)
	const password = "s3cret-migrate-pw"
	locked := redistest.Start(t, redistest.WithArgs("--requirepass", password))
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		proto := c.Options().Protocol
		tc := openClient(t, client.Options{Addr: target.Addr(), Protocol: proto})
		lc := openClient(t, client.Options{Addr: locked.Addr(), Password: password, Protocol: proto})
		k, a, b := key("k"), key("a"), key("b")

		require.NoError(t, c.Set(ctx, k, "moved", 0).Err())
		assert.True(t, valueOf(t, c.Migrate(ctx, target.Addr(), 0, 2*time.Second, k)))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, k)))
		assert.Equal(t, "moved", valueOf(t, tc.Get(ctx, k)))
		assert.False(t, valueOf(t, c.Migrate(ctx, target.Addr(), 0, 2*time.Second, key("missing"))), "NOKEY")

		require.NoError(t, c.MSet(ctx, a, "A", b, "B").Err())
		opts := client.MigrateOptions{Copy: true, Replace: true}
		assert.True(t, valueOf(t, c.MigrateWith(ctx, target.Addr(), 0, 2*time.Second, []string{a, b}, opts)))
		assert.True(t, valueOf(t, c.MigrateWith(ctx, target.Addr(), 0, 2*time.Second, []string{a, b}, opts)), "REPLACE")
		assert.Equal(t, int64(2), valueOf(t, c.Exists(ctx, a, b)), "COPY keeps them")
		assert.Equal(t, []client.NullString{{Value: "A", Valid: true}, {Value: "B", Valid: true}}, valueOf(t, tc.MGet(ctx, a, b)))
		var se *client.Error
		require.ErrorAs(t, c.MigrateWith(ctx, target.Addr(), 0, 2*time.Second, []string{a}, client.MigrateOptions{Copy: true}).Err(), &se)
		assert.Contains(t, se.Message, "BUSYKEY", "no REPLACE")

		assert.True(t, valueOf(t, c.MigrateWith(ctx, locked.Addr(), 0, 2*time.Second, []string{a},
			client.MigrateOptions{Copy: true, Replace: true, Password: password})))
		assert.Equal(t, "A", valueOf(t, lc.Get(ctx, a)))
		assert.True(t, valueOf(t, c.MigrateWith(ctx, locked.Addr(), 0, 2*time.Second, []string{b},
			client.MigrateOptions{Copy: true, Replace: true, Username: "default", Password: password})))
		assert.Equal(t, "B", valueOf(t, lc.Get(ctx, b)))
		err := c.MigrateWith(ctx, locked.Addr(), 0, 2*time.Second, []string{a},
			client.MigrateOptions{Copy: true, Replace: true, Password: "wrong-" + password}).Err()
		require.Error(t, err)
		assert.NotContains(t, err.Error(), password)
	})
}

func TestGenericWait(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		assert.Equal(t, int64(0), valueOf(t, c.Wait(ctx, 0, 0)))
		start := time.Now()
		assert.Equal(t, int64(0), valueOf(t, c.Wait(ctx, 1, 100*time.Millisecond)), "no replicas")
		assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)

		cn := openConn(t, c)
		require.NoError(t, cn.Set(ctx, key("k"), "v", 0).Err())
		assert.Equal(t, int64(0), valueOf(t, cn.Wait(ctx, 1, 50*time.Millisecond)))
	})
}
