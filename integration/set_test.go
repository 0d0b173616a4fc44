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

// sortedSet returns the set's members sorted, for comparisons.
func sortedSet(t *testing.T, f *client.Future[[]string]) []string {
	t.Helper()
	m := valueOf(t, f)
	slices.Sort(m)
	return m
}

func TestSetGroupMembers(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		s, other, missing := key("s"), key("other"), key("missing")

		assert.Equal(t, int64(3), valueOf(t, c.SAdd(ctx, s, "a", "b", 1)))
		assert.Equal(t, int64(1), valueOf(t, c.SAdd(ctx, s, "a", []byte("c"))))
		assert.Equal(t, int64(4), valueOf(t, c.SCard(ctx, s)))
		assert.Equal(t, int64(0), valueOf(t, c.SCard(ctx, missing)))
		assert.Equal(t, []string{"1", "a", "b", "c"}, sortedSet(t, c.SMembers(ctx, s)))
		assert.Equal(t, []string{}, valueOf(t, c.SMembers(ctx, missing)))

		assert.True(t, valueOf(t, c.SIsMember(ctx, s, "a")))
		assert.True(t, valueOf(t, c.SIsMember(ctx, s, 1)))
		assert.False(t, valueOf(t, c.SIsMember(ctx, s, "z")))
		assert.False(t, valueOf(t, c.SIsMember(ctx, missing, "a")))
		assert.Equal(t, []bool{true, false, true, true}, valueOf(t, c.SMIsMember(ctx, s, "a", "z", 1, "c")))
		assert.Equal(t, []bool{false, false}, valueOf(t, c.SMIsMember(ctx, missing, "a", "b")))

		assert.Equal(t, int64(2), valueOf(t, c.SRem(ctx, s, "a", "z", 1)))
		assert.Equal(t, int64(0), valueOf(t, c.SRem(ctx, missing, "a")))
		assert.Equal(t, []string{"b", "c"}, sortedSet(t, c.SMembers(ctx, s)))

		assert.True(t, valueOf(t, c.SMove(ctx, s, other, "b")))
		assert.False(t, valueOf(t, c.SMove(ctx, s, other, "b")))
		assert.False(t, valueOf(t, c.SMove(ctx, missing, other, "b")))
		assert.Equal(t, []string{"c"}, valueOf(t, c.SMembers(ctx, s)))
		assert.Equal(t, []string{"b"}, valueOf(t, c.SMembers(ctx, other)))

		var se *client.Error
		require.NoError(t, c.Set(ctx, missing, "str", 0).Err())
		require.ErrorAs(t, c.SAdd(ctx, missing, "a").Err(), &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
		assert.ErrorIs(t, c.SAdd(ctx, s).Err(), client.ErrInvalidArg)
	})
}

func TestSetGroupRandomAndPop(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		s, missing := key("s"), key("missing")
		all := []string{"a", "b", "c", "d", "e"}
		require.NoError(t, c.SAdd(ctx, s, "a", "b", "c", "d", "e").Err())

		assert.Contains(t, all, valueOf(t, c.SRandMember(ctx, s)))
		assert.ErrorIs(t, c.SRandMember(ctx, missing).Err(), client.ErrNil)
		some := valueOf(t, c.SRandMemberWith(ctx, s, 3))
		require.Len(t, some, 3)
		assert.Len(t, slices.Compact(slices.Sorted(slices.Values(some))), 3, "distinct")
		assert.Subset(t, all, some)
		assert.Len(t, valueOf(t, c.SRandMemberWith(ctx, s, 10)), 5, "at most the set's size")
		assert.Len(t, valueOf(t, c.SRandMemberWith(ctx, s, -8)), 8, "exactly -count, repeats allowed")
		assert.Equal(t, []string{}, valueOf(t, c.SRandMemberWith(ctx, missing, 3)))
		assert.Equal(t, int64(5), valueOf(t, c.SCard(ctx, s)), "nothing removed")

		popped := valueOf(t, c.SPop(ctx, s))
		assert.Contains(t, all, popped)
		assert.False(t, valueOf(t, c.SIsMember(ctx, s, popped)))
		more := valueOf(t, c.SPopWith(ctx, s, 2))
		require.Len(t, more, 2)
		assert.NotContains(t, more, popped)
		assert.Equal(t, int64(2), valueOf(t, c.SCard(ctx, s)))
		rest := valueOf(t, c.SPopWith(ctx, s, 10))
		assert.Len(t, rest, 2)
		assert.ElementsMatch(t, all, append(append([]string{popped}, more...), rest...))
		assert.ErrorIs(t, c.SPop(ctx, s).Err(), client.ErrNil)
		assert.Equal(t, []string{}, valueOf(t, c.SPopWith(ctx, missing, 2)))
	})
}

func TestSetGroupAlgebra(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		a, b, d, dst, missing := key("a"), key("b"), key("d"), key("dst"), key("missing")
		require.NoError(t, c.SAdd(ctx, a, "1", "2", "3", "4").Err())
		require.NoError(t, c.SAdd(ctx, b, "3", "4", "5").Err())
		require.NoError(t, c.SAdd(ctx, d, "4", "6").Err())

		assert.Equal(t, []string{"1", "2"}, sortedSet(t, c.SDiff(ctx, a, b)))
		assert.Equal(t, []string{"1", "2", "3"}, sortedSet(t, c.SDiff(ctx, a, d)))
		assert.Equal(t, []string{"1", "2", "3", "4"}, sortedSet(t, c.SDiff(ctx, a, missing)))
		assert.Equal(t, []string{"3", "4"}, sortedSet(t, c.SInter(ctx, a, b)))
		assert.Equal(t, []string{"4"}, sortedSet(t, c.SInter(ctx, a, b, d)))
		assert.Equal(t, []string{}, valueOf(t, c.SInter(ctx, a, missing)))
		assert.Equal(t, []string{"1", "2", "3", "4", "5", "6"}, sortedSet(t, c.SUnion(ctx, a, b, d)))

		assert.Equal(t, int64(2), valueOf(t, c.SDiffStore(ctx, dst, a, b)))
		assert.Equal(t, []string{"1", "2"}, sortedSet(t, c.SMembers(ctx, dst)))
		assert.Equal(t, int64(2), valueOf(t, c.SInterStore(ctx, dst, a, b)))
		assert.Equal(t, []string{"3", "4"}, sortedSet(t, c.SMembers(ctx, dst)))
		assert.Equal(t, int64(6), valueOf(t, c.SUnionStore(ctx, dst, a, b, d)))
		assert.Equal(t, int64(6), valueOf(t, c.SCard(ctx, dst)))
		assert.Equal(t, int64(0), valueOf(t, c.SInterStore(ctx, dst, a, missing)))
		assert.Equal(t, int64(0), valueOf(t, c.Exists(ctx, dst)), "an empty result deletes dst")

		assert.Equal(t, int64(2), valueOf(t, c.SInterCard(ctx, a, b)))
		assert.Equal(t, int64(1), valueOf(t, c.SInterCard(ctx, a, b, d)))
		assert.Equal(t, int64(0), valueOf(t, c.SInterCard(ctx, a, missing)))
		assert.Equal(t, int64(4), valueOf(t, c.SInterCardWith(ctx, []string{a}, client.SInterCardOptions{})))
		assert.Equal(t, int64(1), valueOf(t, c.SInterCardWith(ctx, []string{a, b}, client.SInterCardOptions{Limit: 1})))
		assert.Equal(t, int64(2), valueOf(t, c.SInterCardWith(ctx, []string{a, b}, client.SInterCardOptions{Limit: 10})))
		assert.ErrorIs(t, c.SInterCard(ctx).Err(), client.ErrInvalidArg)
	})
}

func TestSetGroupScan(t *testing.T) {
	eachProtocol(t, client.Options{}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		small, big, missing := key("small"), key("big"), key("missing")
		require.NoError(t, c.SAdd(ctx, small, "x", "y").Err())
		var members []any
		var want []string
		for i := range 1000 { // beyond set-max-intset/listpack-entries: scanned in pages
			m := fmt.Sprintf("m%04d", i)
			members = append(members, m)
			want = append(want, m)
		}
		require.NoError(t, c.SAdd(ctx, big, members...).Err())

		page := valueOf(t, c.SScan(ctx, small, 0))
		assert.Equal(t, uint64(0), page.Cursor)
		assert.ElementsMatch(t, []string{"x", "y"}, page.Keys)
		assert.Equal(t, client.ScanPage{Keys: []string{}}, valueOf(t, c.SScan(ctx, missing, 0)))

		seen := map[string]bool{}
		var cursor uint64
		pages := 0
		for {
			p := valueOf(t, c.SScanWith(ctx, big, cursor, client.SScanOptions{Match: "m01*", Count: 20}))
			pages++
			for _, m := range p.Keys {
				seen[m] = true
			}
			if cursor = p.Cursor; cursor == 0 {
				break
			}
		}
		assert.Greater(t, pages, 1)
		assert.Len(t, seen, 100)

		var got []string
		for m, err := range c.SScanIter(ctx, big, client.SScanOptions{Count: 100}) {
			require.NoError(t, err)
			if !slices.Contains(got, m) {
				got = append(got, m)
			}
		}
		slices.Sort(got)
		assert.Equal(t, want, got)
		got = nil
		for m, err := range c.SScanIter(ctx, big, client.SScanOptions{Match: "m099*"}) {
			require.NoError(t, err)
			got = append(got, m)
		}
		assert.Len(t, got, 10)
		n := 0
		for _, err := range c.SScanIter(ctx, big, client.SScanOptions{}) {
			require.NoError(t, err)
			if n++; n == 3 {
				break
			}
		}
		assert.Equal(t, 3, n)

		require.NoError(t, c.Set(ctx, missing, "s", 0).Err())
		var errs []error
		for _, err := range c.SScanIter(ctx, missing, client.SScanOptions{}) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		var se *client.Error
		require.ErrorAs(t, errs[0], &se)
		assert.Equal(t, "WRONGTYPE", se.Prefix())
	})
}
