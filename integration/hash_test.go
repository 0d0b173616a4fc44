//go:build integration

package integration

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
)

func TestHashSetGet(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		h, missing := key("h"), key("missing")

		assert.Equal(t, int64(2), valueOf(t, c.HSet(ctx, h, "a", 1, "b", "two")))
		assert.Equal(t, int64(1), valueOf(t, c.HSet(ctx, h, "a", 1.5, "c", []byte("x\x00y"))), "a updated, c added")
		assert.Equal(t, "OK", valueOf(t, c.HMSet(ctx, h, "d", "4", "e", true)))
		assert.Equal(t, "1.5", valueOf(t, c.HGet(ctx, h, "a")))
		assert.Equal(t, "x\x00y", valueOf(t, c.HGet(ctx, h, "c")))
		assert.ErrorIs(t, c.HGet(ctx, h, "zz").Err(), client.ErrNil)
		assert.ErrorIs(t, c.HGet(ctx, missing, "a").Err(), client.ErrNil)

		want := map[string]string{"a": "1.5", "b": "two", "c": "x\x00y", "d": "4", "e": "1"}
		assert.Equal(t, want, valueOf(t, c.HGetAll(ctx, h)))
		assert.Equal(t, map[string]string{}, valueOf(t, c.HGetAll(ctx, missing)))

		assert.Equal(t, []client.NullString{{Value: "two", Valid: true}, {}, {Value: "4", Valid: true}},
			valueOf(t, c.HMGet(ctx, h, "b", "zz", "d")))
		assert.Equal(t, []client.NullString{{}}, valueOf(t, c.HMGet(ctx, missing, "a")))

		assert.True(t, valueOf(t, c.HExists(ctx, h, "a")))
		assert.False(t, valueOf(t, c.HExists(ctx, h, "zz")))
		assert.False(t, valueOf(t, c.HExists(ctx, missing, "a")))
		assert.Equal(t, int64(5), valueOf(t, c.HLen(ctx, h)))
		assert.Equal(t, int64(0), valueOf(t, c.HLen(ctx, missing)))
		assert.Equal(t, int64(3), valueOf(t, c.HStrLen(ctx, h, "c")))
		assert.Equal(t, int64(0), valueOf(t, c.HStrLen(ctx, h, "zz")))

		keys := valueOf(t, c.HKeys(ctx, h))
		slices.Sort(keys)
		assert.Equal(t, []string{"a", "b", "c", "d", "e"}, keys)
		vals := valueOf(t, c.HVals(ctx, h))
		slices.Sort(vals)
		assert.Equal(t, []string{"1", "1.5", "4", "two", "x\x00y"}, vals)
		assert.Equal(t, []string{}, valueOf(t, c.HKeys(ctx, missing)))
		assert.Equal(t, []string{}, valueOf(t, c.HVals(ctx, missing)))

		assert.True(t, valueOf(t, c.HSetNX(ctx, h, "f", "new")))
		assert.False(t, valueOf(t, c.HSetNX(ctx, h, "f", "newer")))
		assert.Equal(t, "new", valueOf(t, c.HGet(ctx, h, "f")))

		assert.Equal(t, int64(2), valueOf(t, c.HDel(ctx, h, "a", "b", "zz")))
		assert.Equal(t, int64(0), valueOf(t, c.HDel(ctx, missing, "a")))
		assert.Equal(t, int64(4), valueOf(t, c.HLen(ctx, h)))

		assert.ErrorIs(t, c.HSet(ctx, h, "odd").Err(), client.ErrInvalidArg)
		var se *client.Error
		require.NoError(t, c.Set(ctx, missing, "s", 0).Err())
		require.ErrorAs(t, c.HGetAll(ctx, missing).Err(), &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
	})
}

func TestHashIncr(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		h := key("h")
		assert.Equal(t, int64(5), valueOf(t, c.HIncrBy(ctx, h, "n", 5)))
		assert.Equal(t, int64(-2), valueOf(t, c.HIncrBy(ctx, h, "n", -7)))
		assert.Equal(t, 10.5, valueOf(t, c.HIncrByFloat(ctx, h, "f", 10.5)))
		assert.Equal(t, 10.25, valueOf(t, c.HIncrByFloat(ctx, h, "f", -0.25)))
		assert.Equal(t, 0.5, valueOf(t, c.HIncrByFloat(ctx, h, "n", 2.5)))
		var se *client.Error
		require.NoError(t, c.HSet(ctx, h, "s", "abc").Err())
		require.ErrorAs(t, c.HIncrBy(ctx, h, "s", 1).Err(), &se)
		assert.Equal(t, "ERR", se.Prefix())
	})
}

func TestHashRandField(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		h, missing := key("h"), key("missing")
		all := map[string]string{"a": "1", "b": "2", "c": "3"}
		require.NoError(t, c.HSet(ctx, h, "a", 1, "b", 2, "c", 3).Err())

		f := valueOf(t, c.HRandField(ctx, h))
		assert.Contains(t, all, f)
		assert.ErrorIs(t, c.HRandField(ctx, missing).Err(), client.ErrNil)

		distinct := valueOf(t, c.HRandFieldWith(ctx, h, 5, client.HRandFieldOptions{}))
		require.Len(t, distinct, 3, "at most the hash's size, distinct")
		seen := map[string]bool{}
		for _, fv := range distinct {
			assert.Contains(t, all, fv.Field)
			assert.Empty(t, fv.Value, "no values asked for")
			seen[fv.Field] = true
		}
		assert.Len(t, seen, 3)

		repeated := valueOf(t, c.HRandFieldWith(ctx, h, -7, client.HRandFieldOptions{}))
		assert.Len(t, repeated, 7, "exactly -count, repeats allowed")

		withValues := valueOf(t, c.HRandFieldWith(ctx, h, 2, client.HRandFieldOptions{WithValues: true}))
		require.Len(t, withValues, 2)
		for _, fv := range withValues {
			assert.Equal(t, all[fv.Field], fv.Value, "the value of %s", fv.Field)
		}
		withValues = valueOf(t, c.HRandFieldWith(ctx, h, -5, client.HRandFieldOptions{WithValues: true}))
		require.Len(t, withValues, 5)
		for _, fv := range withValues {
			assert.Equal(t, all[fv.Field], fv.Value, "the value of %s", fv.Field)
		}
		assert.Empty(t, valueOf(t, c.HRandFieldWith(ctx, missing, 3, client.HRandFieldOptions{WithValues: true})))
		assert.Empty(t, valueOf(t, c.HRandFieldWith(ctx, h, 0, client.HRandFieldOptions{})))
	})
}

func TestHashScan(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		small, big, missing := key("small"), key("big"), key("missing")
		require.NoError(t, c.HSet(ctx, small, "a", 1, "b", 2).Err())
		var pairs []any
		want := map[string]string{}
		for i := range 1000 { // beyond hash-max-listpack-entries: a real hash table, scanned in pages
			f, v := fmt.Sprintf("f%04d", i), fmt.Sprintf("v%d", i)
			pairs = append(pairs, f, v)
			want[f] = v
		}
		require.NoError(t, c.HSet(ctx, big, pairs...).Err())

		// A small (listpack) hash comes in one page.
		page := valueOf(t, c.HScan(ctx, small, 0))
		assert.Equal(t, uint64(0), page.Cursor)
		assert.ElementsMatch(t, []client.HashField{{Field: "a", Value: "1"}, {Field: "b", Value: "2"}}, page.Fields)
		assert.Equal(t, client.HScanPage{Fields: []client.HashField{}}, valueOf(t, c.HScan(ctx, missing, 0)))

		// Walking the cursor by hand, with MATCH and COUNT.
		got := map[string]string{}
		var cursor uint64
		pages := 0
		for {
			p := valueOf(t, c.HScanWith(ctx, big, cursor, client.HScanOptions{Match: "f01*", Count: 20}))
			pages++
			for _, fv := range p.Fields {
				got[fv.Field] = fv.Value
			}
			if cursor = p.Cursor; cursor == 0 {
				break
			}
		}
		assert.Greater(t, pages, 1)
		assert.Len(t, got, 100)
		for f, v := range got {
			assert.Equal(t, want[f], v)
		}

		// The iterator walks to the end.
		got = map[string]string{}
		for fv, err := range c.HScanIter(ctx, big, client.HScanOptions{Count: 50}) {
			require.NoError(t, err)
			got[fv.Field] = fv.Value
		}
		assert.Equal(t, want, got)
		got = map[string]string{}
		for fv, err := range c.HScanIter(ctx, big, client.HScanOptions{Match: "f029*"}) {
			require.NoError(t, err)
			got[fv.Field] = fv.Value
		}
		assert.Len(t, got, 10)
		n := 0
		for _, err := range c.HScanIter(ctx, big, client.HScanOptions{}) {
			require.NoError(t, err)
			if n++; n == 3 {
				break
			}
		}
		assert.Equal(t, 3, n)
		for _, err := range c.HScanIter(ctx, missing, client.HScanOptions{}) {
			require.NoError(t, err)
			t.Fatal("a missing key yields nothing")
		}

		// An error is yielded once.
		require.NoError(t, c.Set(ctx, missing, "s", 0).Err())
		var errs []error
		for _, err := range c.HScanIter(ctx, missing, client.HScanOptions{}) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		var se *client.Error
		require.ErrorAs(t, errs[0], &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
	})
}
