package messages

import "strings"

// The flags table: what routing and retry need to know of a command given
// only its name and arguments (Do, and anything else untyped). Typed
// command methods set their flags themselves.

var (
	// blockingCommands may hold their connection until data arrives.
	blockingCommands = set("BLPOP", "BRPOP", "BLMOVE", "BLMPOP", "BRPOPLPUSH", "BZPOPMIN", "BZPOPMAX",
		"BZMPOP", "WAIT", "WAITAOF")
	// statefulCommands change or depend on per-connection state.
	statefulCommands = set("SELECT", "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH", "SUBSCRIBE",
		"PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "MONITOR", "QUIT",
		"RESET", "HELLO", "AUTH", "READONLY", "READWRITE", "ASKING", "SYNC", "PSYNC", "REPLCONF")
	// statefulClientSub are CLIENT subcommands that change the connection.
	statefulClientSub = set("REPLY", "TRACKING", "CACHING", "SETNAME", "NO-EVICT", "NO-TOUCH", "SETINFO")
	readOnlyCommands  = set("GET", "MGET", "STRLEN", "GETRANGE", "SUBSTR", "EXISTS", "TTL", "PTTL",
		"EXPIRETIME", "PEXPIRETIME", "TYPE", "KEYS", "SCAN", "RANDOMKEY", "DUMP", "PING", "ECHO", "LCS",
		"HGET", "HMGET", "HGETALL", "HKEYS", "HVALS", "HLEN", "HEXISTS", "HSTRLEN", "HSCAN", "HRANDFIELD",
		"LRANGE", "LLEN", "LINDEX", "LPOS", "SMEMBERS", "SISMEMBER", "SMISMEMBER", "SCARD", "SRANDMEMBER",
		"SSCAN", "SINTER", "SUNION", "SDIFF", "SINTERCARD", "ZRANGE", "ZRANGEBYSCORE", "ZRANGEBYLEX",
		"ZREVRANGE", "ZREVRANGEBYSCORE", "ZREVRANGEBYLEX", "ZSCORE", "ZMSCORE", "ZRANK", "ZREVRANK",
		"ZCARD", "ZCOUNT", "ZLEXCOUNT", "ZSCAN", "ZRANDMEMBER", "ZINTER", "ZUNION", "ZDIFF", "ZINTERCARD",
		"XRANGE", "XREVRANGE", "XLEN", "XPENDING", "XINFO", "PFCOUNT", "GEOPOS", "GEODIST", "GEOHASH",
		"GEOSEARCH", "GEORADIUS_RO", "GEORADIUSBYMEMBER_RO", "BITCOUNT", "BITPOS", "GETBIT", "BITFIELD_RO",
		"SORT_RO", "EVAL_RO", "EVALSHA_RO", "FCALL_RO", "OBJECT", "MEMORY", "DBSIZE", "INFO", "TIME",
		"LASTSAVE", "COMMAND", "LOLWUT", "ROLE")
)

func set(names ...string) map[string]struct{} {
	m := make(map[string]struct{}, len(names))
	for _, n := range names {
		m[n] = struct{}{}
	}
	return m
}

// LookupFlags returns the flags of a command given its name (any case) and
// its arguments after the name, as strings where they are strings (others
// may be empty). XREAD and XREADGROUP are blocking only with BLOCK.
func LookupFlags(name string, args []string) Flags {
	upper := strings.ToUpper(name)
	switch upper {
	case "XREAD", "XREADGROUP":
		for _, a := range args {
			if strings.EqualFold(a, "BLOCK") {
				return Blocking
			}
		}
		if upper == "XREAD" {
			return ReadOnly | Idempotent
		}
		return 0
	case "CLIENT":
		if len(args) > 0 {
			if _, ok := statefulClientSub[strings.ToUpper(args[0])]; ok {
				return Stateful
			}
			if strings.EqualFold(args[0], "PAUSE") || strings.EqualFold(args[0], "KILL") ||
				strings.EqualFold(args[0], "UNPAUSE") || strings.EqualFold(args[0], "UNBLOCK") {
				return 0
			}
		}
		return ReadOnly | Idempotent
	}
	if _, ok := blockingCommands[upper]; ok {
		return Blocking
	}
	if _, ok := statefulCommands[upper]; ok {
		if upper == "MONITOR" {
			return Stateful | Streams
		}
		if strings.HasSuffix(upper, "SUBSCRIBE") {
			return Stateful | PushReply
		}
		return Stateful
	}
	if _, ok := readOnlyCommands[upper]; ok {
		return ReadOnly | Idempotent
	}
	return 0
}
