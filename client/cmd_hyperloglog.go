package client

import "context"

// Commands of the hyperloglog group.

// PFAdd sends PFADD key element ...: it adds elements (any argument type
// resp.AppendArg accepts) to the HyperLogLog at key, creating it, and
// reports whether its estimate changed. With no elements it only creates
// the key, reporting whether it did. Since Redis 2.8.9.
func (c cmds) PFAdd(ctx context.Context, key string, elements ...any) *Future[bool] {
	f := newFuture(c.s, ctx, "PFADD", idem, toBool)
	f.b.key(key)
	for _, e := range elements {
		f.b.any(e)
	}
	return send(c.s, f)
}

// PFCount sends PFCOUNT key ...: the estimated number of distinct elements
// added to the HyperLogLog at key, or to the union of several (0 for a
// missing key). Since Redis 2.8.9.
func (c cmds) PFCount(ctx context.Context, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "PFCOUNT", ro, toInt64)
	if len(keys) == 0 {
		f.b.fail("PFCount needs at least one key")
	}
	f.b.keys(keys...)
	return send(c.s, f)
}

// PFMerge sends PFMERGE dst src ...: it merges the HyperLogLogs at srcs
// into dst (keeping what dst held) and returns "OK". Since Redis 2.8.9.
func (c cmds) PFMerge(ctx context.Context, dst string, srcs ...string) *Future[string] {
	f := newFuture(c.s, ctx, "PFMERGE", idem, toStatus)
	f.b.key(dst).keys(srcs...)
	return send(c.s, f)
}
