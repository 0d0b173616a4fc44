package client

import (
	"context"
	"iter"
	"net"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/messages"
)

// Commands of the generic group (keys).

// NoExpiry is what TTL and PTTL return for a key that exists but has no
// expiry (the server's -1). It is negative, so it never reads as a real
// time to live. A missing key gives ErrNil instead (the server's -2).
const NoExpiry time.Duration = -1

// Copy copies the value at src to dst in the same database and reports
// whether it did (false when dst already exists). Since Redis 6.2.0.
func (c cmds) Copy(ctx context.Context, src, dst string) *Future[bool] {
	return c.CopyWith(ctx, src, dst, CopyOptions{})
}

// CopyOptions are the optional arguments of COPY.
type CopyOptions struct {
	// DB, when not nil, is the database to copy into (DB n); nil copies
	// into the connection's database. With Go 1.26: DB: new(2).
	DB *int
	// Replace overwrites an existing dst (REPLACE).
	Replace bool
}

// CopyWith is Copy with options. Since Redis 6.2.0.
func (c cmds) CopyWith(ctx context.Context, src, dst string, opts CopyOptions) *Future[bool] {
	var flags messages.Flags
	if opts.Replace {
		flags = idem
	}
	f := newFuture(c.s, ctx, "COPY", flags, toBool)
	f.b.key(src).key(dst)
	if opts.DB != nil {
		f.b.str("DB").int(int64(*opts.DB))
	}
	f.b.strIf(opts.Replace, "REPLACE")
	return send(c.s, f)
}

// Del removes keys and returns how many existed. Since Redis 1.0.0.
func (c cmds) Del(ctx context.Context, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "DEL", messages.Idempotent, toInt64)
	f.b.keys(keys...)
	return send(c.s, f)
}

// Dump returns the value at key in Redis's serialization format, for
// Restore. A missing key gives ErrNil. Since Redis 2.6.0.
func (c cmds) Dump(ctx context.Context, key string) *Future[[]byte] {
	f := newFuture(c.s, ctx, "DUMP", ro, toBytes)
	f.b.key(key)
	return send(c.s, f)
}

// Exists returns how many of keys exist; a key named twice counts twice.
// Since Redis 1.0.0.
func (c cmds) Exists(ctx context.Context, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "EXISTS", ro, toInt64)
	f.b.keys(keys...)
	return send(c.s, f)
}

// ExpireCondition restricts when an EXPIRE-family command sets the expiry.
// The zero value, ExpireAlways, sets it unconditionally.
type ExpireCondition uint8

// The conditions of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT, and of the
// hash-field HEXPIRE family (HExpireWith, about each field's expiry).
const (
	// ExpireAlways sets the expiry in every case (no token).
	ExpireAlways ExpireCondition = iota
	// ExpireNX sets it only when the key has no expiry (NX).
	ExpireNX
	// ExpireXX sets it only when the key already has an expiry (XX).
	ExpireXX
	// ExpireGT sets it only when it is later than the current one (GT); a
	// key without expiry counts as expiring never, so GT never applies.
	ExpireGT
	// ExpireLT sets it only when it is earlier than the current one (LT);
	// a key without expiry always takes it.
	ExpireLT
)

var expireTokens = tokens[ExpireCondition]{typ: "ExpireCondition", zero: "always", list: []string{
	ExpireAlways: "", ExpireNX: "NX", ExpireXX: "XX", ExpireGT: "GT", ExpireLT: "LT",
}}

// String returns the condition's Redis token ("NX", "XX", "GT", "LT"), or
// "always" for ExpireAlways.
func (e ExpireCondition) String() string { return expireTokens.name(e) }

// expire builds every command of the EXPIRE family: the amount is
// appended by add, then the condition.
func expire(s sender, ctx context.Context, name, key string, cond ExpireCondition, add func(*builder)) *Future[bool] {
	flags := idem
	if cond != ExpireAlways {
		flags = 0 // a repeat after success would answer false
	}
	f := newFuture(s, ctx, name, flags, toBool)
	f.b.key(key)
	add(&f.b)
	f.b.token(expireTokens.of(cond))
	return f
}

// Expire sets key to expire after ttl, which must be whole seconds (use
// PExpire for milliseconds; a fraction fails with ErrInvalidArg). A ttl of
// zero or less deletes the key. It reports whether the key exists.
// Since Redis 1.0.0.
func (c cmds) Expire(ctx context.Context, key string, ttl time.Duration) *Future[bool] {
	return c.ExpireWith(ctx, key, ttl, ExpireAlways)
}

// ExpireWith is Expire under a condition; it reports whether the expiry
// was set. Since Redis 1.0.0.
func (c cmds) ExpireWith(ctx context.Context, key string, ttl time.Duration, cond ExpireCondition) *Future[bool] {
	return send(c.s, expire(c.s, ctx, "EXPIRE", key, cond, func(b *builder) { b.wholeSeconds(ttl, "Expire") }))
}

// ExpireAt sets key to expire at t, sent in Unix seconds (the fraction of
// a second is dropped). A time in the past deletes the key. It reports
// whether the key exists. Since Redis 1.2.0.
func (c cmds) ExpireAt(ctx context.Context, key string, t time.Time) *Future[bool] {
	return c.ExpireAtWith(ctx, key, t, ExpireAlways)
}

// ExpireAtWith is ExpireAt under a condition; it reports whether the
// expiry was set. Since Redis 1.2.0.
func (c cmds) ExpireAtWith(ctx context.Context, key string, t time.Time, cond ExpireCondition) *Future[bool] {
	return send(c.s, expire(c.s, ctx, "EXPIREAT", key, cond, func(b *builder) { b.int(t.Unix()) }))
}

// ExpireTime returns when key expires, rounded to the second. A key without expiry
// gives the zero time.Time (IsZero) and no error; a missing key gives
// ErrNil. Since Redis 7.0.0.
func (c cmds) ExpireTime(ctx context.Context, key string) *Future[time.Time] {
	f := newFuture(c.s, ctx, "EXPIRETIME", ro, toUnixSeconds)
	f.b.key(key)
	return send(c.s, f)
}

// Keys returns every key matching the glob-style pattern. It walks the
// whole keyspace in one go; prefer ScanIter on large databases.
// Since Redis 1.0.0.
func (c cmds) Keys(ctx context.Context, pattern string) *Future[[]string] {
	f := newFuture(c.s, ctx, "KEYS", ro, toStrings)
	f.b.str(pattern)
	return send(c.s, f)
}

// Migrate moves keys to database db of the Redis server at addr
// ("host:port"), waiting at most timeout for the transfer to succeed. It
// reports true once they moved, false when none of keys existed (NOKEY).
// One key uses the classic form; more use the KEYS form. The server blocks
// for the transfer, so keep timeout below Options.ReadTimeout.
// Since Redis 2.6.0.
func (c cmds) Migrate(ctx context.Context, addr string, db int, timeout time.Duration, keys ...string) *Future[bool] {
	return c.MigrateWith(ctx, addr, db, timeout, keys, MigrateOptions{})
}

// MigrateOptions are the optional arguments of MIGRATE. Its String and
// GoString never show the password.
type MigrateOptions struct {
	// Copy keeps the keys on the source server (COPY).
	Copy bool
	// Replace overwrites keys that exist on the target (REPLACE).
	Replace bool
	// Username and Password authenticate on the target: AUTH2 with both,
	// AUTH with only a password. A username alone is an error.
	Username string
	Password string
}

// String describes the options without the password.
func (o MigrateOptions) String() string {
	s := "MigrateOptions{Copy:" + strconv.FormatBool(o.Copy) + " Replace:" + strconv.FormatBool(o.Replace) +
		" Username:" + o.Username
	if o.Password != "" {
		s += " Password:<redacted>"
	}
	return s + "}"
}

// GoString keeps %#v from printing the password.
func (o MigrateOptions) GoString() string { return o.String() }

// MigrateWith is Migrate with options. Since Redis 2.6.0.
func (c cmds) MigrateWith(ctx context.Context, addr string, db int, timeout time.Duration, keys []string, opts MigrateOptions) *Future[bool] {
	f := newFuture(c.s, ctx, "MIGRATE", 0, toMigrated)
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		f.b.fail("Migrate needs addr as host:port")
	} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		f.b.fail("Migrate needs a numeric port in addr")
	}
	switch {
	case len(keys) == 0:
		f.b.fail("Migrate needs at least one key")
	case opts.Username != "" && opts.Password == "":
		f.b.fail("MigrateOptions.Username needs a Password")
	case timeout < 0:
		f.b.fail("Migrate timeout must not be negative")
	}
	f.b.str(host).str(port)
	if len(keys) == 1 {
		f.b.key(keys[0])
	} else {
		f.b.str("")
	}
	f.b.int(int64(db)).ms(timeout)
	f.b.strIf(opts.Copy, "COPY").strIf(opts.Replace, "REPLACE")
	switch {
	case opts.Username != "":
		f.b.str("AUTH2").str(opts.Username).str(opts.Password)
	case opts.Password != "":
		f.b.str("AUTH").str(opts.Password)
	}
	if len(keys) > 1 {
		f.b.str("KEYS").keys(keys...)
	}
	return send(c.s, f)
}

// Move moves key to database db and reports whether it did (false when
// key is missing or already exists in db). Since Redis 1.0.0.
func (c cmds) Move(ctx context.Context, key string, db int) *Future[bool] {
	f := newFuture(c.s, ctx, "MOVE", 0, toBool)
	f.b.key(key).int(int64(db))
	return send(c.s, f)
}

// ObjectEncoding returns the internal encoding of the value at key
// ("listpack", "int", "embstr", ...). A missing key gives ErrNil.
// Since Redis 2.2.3.
func (c cmds) ObjectEncoding(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "OBJECT ENCODING", ro, toString)
	f.b.key(key)
	return send(c.s, f)
}

// ObjectFreq returns the logarithmic access frequency counter of key. The
// server answers only under an LFU maxmemory-policy. A missing key gives
// ErrNil. Since Redis 4.0.0.
func (c cmds) ObjectFreq(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "OBJECT FREQ", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// ObjectIdleTime returns how long key has not been accessed, to the
// second. The server refuses under an LFU maxmemory-policy. A missing key
// gives ErrNil. Since Redis 2.2.3.
func (c cmds) ObjectIdleTime(ctx context.Context, key string) *Future[time.Duration] {
	f := newFuture(c.s, ctx, "OBJECT IDLETIME", ro, toSeconds)
	f.b.key(key)
	return send(c.s, f)
}

// ObjectRefCount returns the reference count of the value at key. A
// missing key gives ErrNil. Since Redis 2.2.3.
func (c cmds) ObjectRefCount(ctx context.Context, key string) *Future[int64] {
	f := newFuture(c.s, ctx, "OBJECT REFCOUNT", ro, toInt64)
	f.b.key(key)
	return send(c.s, f)
}

// Persist removes the expiry of key and reports whether there was one.
// Since Redis 2.2.0.
func (c cmds) Persist(ctx context.Context, key string) *Future[bool] {
	f := newFuture(c.s, ctx, "PERSIST", idem, toBool)
	f.b.key(key)
	return send(c.s, f)
}

// PExpire is Expire in milliseconds (a fraction of a millisecond is
// dropped). Since Redis 2.6.0.
func (c cmds) PExpire(ctx context.Context, key string, ttl time.Duration) *Future[bool] {
	return c.PExpireWith(ctx, key, ttl, ExpireAlways)
}

// PExpireWith is PExpire under a condition; it reports whether the expiry
// was set. Since Redis 2.6.0.
func (c cmds) PExpireWith(ctx context.Context, key string, ttl time.Duration, cond ExpireCondition) *Future[bool] {
	return send(c.s, expire(c.s, ctx, "PEXPIRE", key, cond, func(b *builder) { b.ms(ttl) }))
}

// PExpireAt is ExpireAt to the millisecond. Since Redis 2.6.0.
func (c cmds) PExpireAt(ctx context.Context, key string, t time.Time) *Future[bool] {
	return c.PExpireAtWith(ctx, key, t, ExpireAlways)
}

// PExpireAtWith is PExpireAt under a condition; it reports whether the
// expiry was set. Since Redis 2.6.0.
func (c cmds) PExpireAtWith(ctx context.Context, key string, t time.Time, cond ExpireCondition) *Future[bool] {
	return send(c.s, expire(c.s, ctx, "PEXPIREAT", key, cond, func(b *builder) { b.int(t.UnixMilli()) }))
}

// PExpireTime is ExpireTime to the millisecond: the zero time.Time for a
// key without expiry, ErrNil for a missing key. Since Redis 7.0.0.
func (c cmds) PExpireTime(ctx context.Context, key string) *Future[time.Time] {
	f := newFuture(c.s, ctx, "PEXPIRETIME", ro, toUnixMillis)
	f.b.key(key)
	return send(c.s, f)
}

// PTTL is TTL to the millisecond: NoExpiry for a key without expiry,
// ErrNil for a missing key. Since Redis 2.6.0.
func (c cmds) PTTL(ctx context.Context, key string) *Future[time.Duration] {
	f := newFuture(c.s, ctx, "PTTL", ro, toTTLMillis)
	f.b.key(key)
	return send(c.s, f)
}

// RandomKey returns a random key of the database; an empty database gives
// ErrNil. Since Redis 1.0.0.
func (c cmds) RandomKey(ctx context.Context) *Future[string] {
	return send(c.s, newFuture(c.s, ctx, "RANDOMKEY", ro, toString))
}

// Rename renames key to newKey, overwriting newKey, and returns "OK". A
// missing key is a server error ("ERR no such key"). Since Redis 1.0.0.
func (c cmds) Rename(ctx context.Context, key, newKey string) *Future[string] {
	f := newFuture(c.s, ctx, "RENAME", 0, toStatus)
	f.b.key(key).key(newKey)
	return send(c.s, f)
}

// RenameNX renames key to newKey only when newKey does not exist, and
// reports whether it did. Since Redis 1.0.0.
func (c cmds) RenameNX(ctx context.Context, key, newKey string) *Future[bool] {
	f := newFuture(c.s, ctx, "RENAMENX", 0, toBool)
	f.b.key(key).key(newKey)
	return send(c.s, f)
}

// Restore creates key from data made by Dump, expiring after ttl (zero: no
// expiry; to the millisecond), and returns "OK". An existing key is a
// server error (BUSYKEY) unless RestoreOptions.Replace is set.
// Since Redis 2.6.0.
func (c cmds) Restore(ctx context.Context, key string, ttl time.Duration, data []byte) *Future[string] {
	return c.RestoreWith(ctx, key, ttl, data, RestoreOptions{})
}

// RestoreOptions are the optional arguments of RESTORE.
type RestoreOptions struct {
	// Replace overwrites an existing key (REPLACE).
	Replace bool
	// ExpireAt, when not zero, is the key's expiry as an absolute time
	// (ABSTTL, to the millisecond); ttl must then be 0.
	ExpireAt time.Time
	// IdleTime sets the key's idle time, to the second (IDLETIME), for the
	// LRU eviction policies.
	IdleTime time.Duration
	// Freq, when not nil, sets the key's access frequency counter, 0 to
	// 255 (FREQ), for the LFU eviction policies. With Go 1.26: new(10).
	Freq *int
}

// RestoreWith is Restore with options. Since Redis 2.6.0.
func (c cmds) RestoreWith(ctx context.Context, key string, ttl time.Duration, data []byte, opts RestoreOptions) *Future[string] {
	var flags messages.Flags
	if opts.Replace {
		flags = idem
	}
	f := newFuture(c.s, ctx, "RESTORE", flags, toStatus)
	f.b.key(key)
	switch {
	case ttl < 0:
		f.b.fail("Restore ttl must not be negative")
	case !opts.ExpireAt.IsZero() && ttl != 0:
		f.b.fail("Restore takes ttl or RestoreOptions.ExpireAt, not both")
	case !opts.ExpireAt.IsZero():
		f.b.int(opts.ExpireAt.UnixMilli())
	default:
		f.b.ms(ttl)
	}
	f.b.bytes(data)
	f.b.strIf(opts.Replace, "REPLACE").strIf(!opts.ExpireAt.IsZero(), "ABSTTL")
	if opts.IdleTime > 0 {
		f.b.str("IDLETIME").sec(opts.IdleTime)
	}
	if opts.Freq != nil {
		f.b.str("FREQ").int(int64(*opts.Freq))
	}
	return send(c.s, f)
}

// ScanOptions are the optional arguments of SCAN.
type ScanOptions struct {
	// Match keeps the keys matching this glob-style pattern (MATCH).
	Match string
	// Count hints how many keys each call examines (COUNT); 0 leaves the
	// server's default (10).
	Count int64
	// Type keeps the keys holding this type: "string", "list", "set",
	// "zset", "hash", "stream", or a module type's name (TYPE).
	Type string
}

// Scan returns the page of keys at cursor; start at 0 and stop when the
// page's Cursor is 0. A key may appear on more than one page.
// Since Redis 2.8.0.
func (c cmds) Scan(ctx context.Context, cursor uint64) *Future[ScanPage] {
	return c.ScanWith(ctx, cursor, ScanOptions{})
}

// ScanWith is Scan with options. Since Redis 2.8.0.
func (c cmds) ScanWith(ctx context.Context, cursor uint64, opts ScanOptions) *Future[ScanPage] {
	f := newFuture(c.s, ctx, "SCAN", ro, toScanPage)
	f.b.uint(cursor)
	f.b.scanMatchCount(opts.Match, opts.Count)
	if opts.Type != "" {
		f.b.str("TYPE").str(opts.Type)
	}
	return send(c.s, f)
}

// ScanIter walks the whole keyspace with SCAN, from cursor 0 to the end,
// yielding each key. The next page is requested before the keys of the
// current one are yielded, so the round trip overlaps the caller's work.
// An error is yielded once (with an empty key) and ends the walk. As with
// Scan, a key may be yielded more than once, and keys added or removed
// during the walk may or may not appear.
//
//	for key, err := range c.ScanIter(ctx, client.ScanOptions{Match: "user:*"}) {
//		if err != nil {
//			return err
//		}
//		...
//	}
//
// Since Redis 2.8.0.
func (c cmds) ScanIter(ctx context.Context, opts ScanOptions) iter.Seq2[string, error] {
	return walkCursor(func(cur uint64) *Future[ScanPage] { return c.ScanWith(ctx, cur, opts) },
		func(p ScanPage) (uint64, []string) { return p.Cursor, p.Keys })
}

// SortOrder is the direction of SORT. The zero value, SortDefault, sends
// no token: ascending.
type SortOrder uint8

// The orders of SORT and SORT_RO.
const (
	// SortDefault sends no order token; the server sorts ascending.
	SortDefault SortOrder = iota
	// SortAsc sorts ascending (ASC).
	SortAsc
	// SortDesc sorts descending (DESC).
	SortDesc
)

var sortTokens = tokens[SortOrder]{typ: "SortOrder", zero: "default", list: []string{
	SortDefault: "", SortAsc: "ASC", SortDesc: "DESC",
}}

// String returns the order's Redis token ("ASC", "DESC"), or "default".
func (o SortOrder) String() string { return sortTokens.name(o) }

// SortOptions are the optional arguments of SORT and SORT_RO.
type SortOptions struct {
	// By sorts by the values of the keys this pattern names, "*" standing
	// for each element ("weight_*", "obj_*->field"); "nosort" skips
	// sorting (BY).
	By string
	// Offset and Count return only Count elements from Offset (LIMIT).
	// Both zero: no limit; Count zero with an Offset: every element from
	// Offset on.
	Offset int64
	Count  int64
	// Get returns, for each element, the values of the keys these
	// patterns name instead of the element itself ("#" is the element)
	// (GET, repeated).
	Get []string
	// Order is ascending or descending (ASC, DESC).
	Order SortOrder
	// Alpha sorts lexicographically instead of numerically (ALPHA).
	Alpha bool
}

func (o SortOptions) append(b *builder) {
	if o.By != "" {
		b.str("BY").str(o.By)
	}
	if o.Offset != 0 || o.Count != 0 {
		count := o.Count
		if count == 0 {
			count = -1
		}
		b.str("LIMIT").int(o.Offset).int(count)
	}
	for _, g := range o.Get {
		b.str("GET").str(g)
	}
	b.token(sortTokens.of(o.Order))
	b.strIf(o.Alpha, "ALPHA")
}

// Sort returns the elements of the list, set or sorted set at key, sorted
// numerically ascending. Since Redis 1.0.0.
func (c cmds) Sort(ctx context.Context, key string) *Future[[]string] {
	return c.SortWith(ctx, key, SortOptions{})
}

// SortWith is Sort with options. Elements a GET pattern finds no value for
// come back as "". Since Redis 1.0.0.
func (c cmds) SortWith(ctx context.Context, key string, opts SortOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "SORT", idem, toStrings)
	f.b.key(key)
	opts.append(&f.b)
	return send(c.s, f)
}

// SortStore is SORT ... STORE: it stores the sorted elements at dst as a
// list (replacing dst) and returns how many there are. It is the third
// method of SORT because its result differs. Since Redis 1.0.0.
func (c cmds) SortStore(ctx context.Context, key, dst string, opts SortOptions) *Future[int64] {
	f := newFuture(c.s, ctx, "SORT", idem, toInt64)
	f.b.key(key)
	opts.append(&f.b)
	f.b.str("STORE").key(dst)
	return send(c.s, f)
}

// SortRO is Sort in its read-only form, SORT_RO, which replicas accept.
// Since Redis 7.0.0.
func (c cmds) SortRO(ctx context.Context, key string) *Future[[]string] {
	return c.SortROWith(ctx, key, SortOptions{})
}

// SortROWith is SortRO with options. Since Redis 7.0.0.
func (c cmds) SortROWith(ctx context.Context, key string, opts SortOptions) *Future[[]string] {
	f := newFuture(c.s, ctx, "SORT_RO", ro, toStrings)
	f.b.key(key)
	opts.append(&f.b)
	return send(c.s, f)
}

// Touch updates the last access time of keys and returns how many exist.
// Since Redis 3.2.1.
func (c cmds) Touch(ctx context.Context, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "TOUCH", ro, toInt64)
	f.b.keys(keys...)
	return send(c.s, f)
}

// TTL returns how long key has to live, rounded to the second: NoExpiry for a key
// without expiry, ErrNil for a missing key. Since Redis 1.0.0.
func (c cmds) TTL(ctx context.Context, key string) *Future[time.Duration] {
	f := newFuture(c.s, ctx, "TTL", ro, toTTLSeconds)
	f.b.key(key)
	return send(c.s, f)
}

// Type returns the type of the value at key: "string", "list", "set",
// "zset", "hash", "stream" (or a module type's name), and "none" for a
// missing key. Since Redis 1.0.0.
func (c cmds) Type(ctx context.Context, key string) *Future[string] {
	f := newFuture(c.s, ctx, "TYPE", ro, toStatus)
	f.b.key(key)
	return send(c.s, f)
}

// Unlink is Del that frees the values in the background; it returns how
// many keys existed. Since Redis 4.0.0.
func (c cmds) Unlink(ctx context.Context, keys ...string) *Future[int64] {
	f := newFuture(c.s, ctx, "UNLINK", idem, toInt64)
	f.b.keys(keys...)
	return send(c.s, f)
}

// Wait blocks until numReplicas replicas acknowledged the writes sent
// earlier on the same connection, or timeout passed (zero: no limit), and
// returns how many did. It runs on a dedicated connection, so call it on a
// Conn after the writes it is about, or queue it after them in a
// pipeline (which then runs on one dedicated connection); on a Client it
// only counts the replicas that are in sync. In a ClusterPipeline it
// fails with ErrWaitUncovered when a command queued before it was
// redirected or retried on another connection. Since Redis 3.0.0.
func (c cmds) Wait(ctx context.Context, numReplicas int, timeout time.Duration) *Future[int64] {
	f := newFuture(c.s, ctx, "WAIT", messages.Blocking, toInt64)
	if timeout < 0 {
		f.b.fail("Wait timeout must not be negative")
	}
	f.b.int(int64(numReplicas)).ms(timeout)
	return send(c.s, f)
}

// WaitAOF blocks until the writes sent earlier on the same connection are
// fsynced to the append-only file of the server itself (numLocal 1; 0
// skips it) and of at least numReplicas replicas, or timeout passed (zero:
// no limit), and returns how many local AOFs (0 or 1) and replicas did. A
// numLocal of 1 on a server without appendonly fails with the server's
// error. Like Wait it runs on a dedicated connection, so call it on a Conn
// after the writes it is about; on a ClusterClient it goes to one primary.
// Redis 7.2+, Valkey 8.0+.
func (c cmds) WaitAOF(ctx context.Context, numLocal, numReplicas int64, timeout time.Duration) *Future[WaitAOFResult] {
	f := newFuture(c.s, ctx, "WAITAOF", messages.Blocking, toWaitAOF)
	if timeout < 0 {
		f.b.fail("WaitAOF timeout must not be negative")
	}
	f.b.int(numLocal).int(numReplicas).ms(timeout)
	return send(c.s, f)
}
