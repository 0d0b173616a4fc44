package client_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/messages"
)

// commandsTSV is the list of Redis 7.0's commands that the command
// interface is measured against (a copy of ../shared/redis-7.0-commands.tsv,
// so the test needs nothing outside the repository).
const commandsTSV = "testdata/redis-7.0-commands.tsv"

// sharedTSV is the original, one level above the module root; when it is
// there, the copy must not have drifted from it.
const sharedTSV = "../../shared/redis-7.0-commands.tsv"

// commandMethods maps every counted command of Redis 7.0, named as in the
// TSV (lowercase, "container|sub" for a subcommand), to the methods that
// send it. A bare name is a method of the command set that Client, Conn and
// Pipeline share; "Client.X" and "Conn.X" are methods of that type alone,
// for the commands that hold on to a connection (WATCH, MONITOR, the CLIENT
// subcommands that change per-connection state).
//
// The names follow STYLE.md: the command's name with its container joined,
// in Go initialisms (CLIENT LIST is ClientList, GEORADIUS_RO is
// GeoRadiusRO), optionally followed by a variant's suffix (With,
// WithScores, Iter, ...). Splitting Redis names into words needs a human,
// hence the table; TestCommandMethodNames checks what a program can.
var commandMethods = map[string][]string{
	"acl|cat":                       {"ACLCat", "ACLCatWith"},
	"acl|deluser":                   {"ACLDelUser"},
	"acl|dryrun":                    {"ACLDryRun"},
	"acl|genpass":                   {"ACLGenPass", "ACLGenPassWith"},
	"acl|getuser":                   {"ACLGetUser"},
	"acl|list":                      {"ACLList"},
	"acl|load":                      {"ACLLoad"},
	"acl|log":                       {"ACLLog", "ACLLogReset"},
	"acl|save":                      {"ACLSave"},
	"acl|setuser":                   {"ACLSetUser"},
	"acl|users":                     {"ACLUsers"},
	"acl|whoami":                    {"ACLWhoAmI"},
	"append":                        {"Append"},
	"bgrewriteaof":                  {"BGRewriteAOF"},
	"bgsave":                        {"BGSave", "BGSaveWith"},
	"bitcount":                      {"BitCount", "BitCountWith"},
	"bitfield":                      {"BitField"},
	"bitfield_ro":                   {"BitFieldRO"},
	"bitop":                         {"BitOp"},
	"bitpos":                        {"BitPos", "BitPosWith"},
	"blmove":                        {"BLMove"},
	"blmpop":                        {"BLMPop", "BLMPopWith"},
	"blpop":                         {"BLPop"},
	"brpop":                         {"BRPop"},
	"brpoplpush":                    {"BRPopLPush"},
	"bzmpop":                        {"BZMPop"},
	"bzpopmax":                      {"BZPopMax"},
	"bzpopmin":                      {"BZPopMin"},
	"client|caching":                {"Conn.ClientCaching"},
	"client|getname":                {"ClientGetName"},
	"client|getredir":               {"Conn.ClientGetRedir"},
	"client|id":                     {"ClientID"},
	"client|info":                   {"ClientInfo"},
	"client|kill":                   {"ClientKill", "ClientKillWith"},
	"client|list":                   {"ClientList", "ClientListWith"},
	"client|no-evict":               {"Conn.ClientNoEvict"},
	"client|pause":                  {"ClientPause", "ClientPauseWith"},
	"client|reply":                  {"Conn.ClientReply"},
	"client|setname":                {"Conn.ClientSetName"},
	"client|tracking":               {"Conn.ClientTracking", "Conn.ClientTrackingWith"},
	"client|trackinginfo":           {"ClientTrackingInfo"},
	"client|unblock":                {"ClientUnblock", "ClientUnblockWith"},
	"client|unpause":                {"ClientUnpause"},
	"cluster|addslots":              {"ClusterAddSlots"},
	"cluster|addslotsrange":         {"ClusterAddSlotsRange"},
	"cluster|bumpepoch":             {"ClusterBumpEpoch"},
	"cluster|count-failure-reports": {"ClusterCountFailureReports"},
	"cluster|countkeysinslot":       {"ClusterCountKeysInSlot"},
	"cluster|delslots":              {"ClusterDelSlots"},
	"cluster|delslotsrange":         {"ClusterDelSlotsRange"},
	"cluster|failover":              {"ClusterFailover", "ClusterFailoverWith"},
	"cluster|flushslots":            {"ClusterFlushSlots"},
	"cluster|forget":                {"ClusterForget"},
	"cluster|getkeysinslot":         {"ClusterGetKeysInSlot"},
	"cluster|info":                  {"ClusterInfo"},
	"cluster|keyslot":               {"ClusterKeySlot"},
	"cluster|links":                 {"ClusterLinks"},
	"cluster|meet":                  {"ClusterMeet", "ClusterMeetWith"},
	"cluster|myid":                  {"ClusterMyID"},
	"cluster|nodes":                 {"ClusterNodes"},
	"cluster|replicas":              {"ClusterReplicas"},
	"cluster|replicate":             {"ClusterReplicate"},
	"cluster|reset":                 {"ClusterReset", "ClusterResetWith"},
	"cluster|saveconfig":            {"ClusterSaveConfig"},
	"cluster|set-config-epoch":      {"ClusterSetConfigEpoch"},
	"cluster|setslot":               {"ClusterSetSlot"},
	"cluster|shards":                {"ClusterShards"},
	"cluster|slaves":                {"ClusterSlaves"},
	"cluster|slots":                 {"ClusterSlots"},
	"command|count":                 {"CommandCount"},
	"command|docs":                  {"CommandDocs"},
	"command|getkeys":               {"CommandGetKeys"},
	"command|getkeysandflags":       {"CommandGetKeysAndFlags"},
	"command|info":                  {"CommandInfo"},
	"command|list":                  {"CommandList", "CommandListWith"},
	"config|get":                    {"ConfigGet"},
	"config|resetstat":              {"ConfigResetStat"},
	"config|rewrite":                {"ConfigRewrite"},
	"config|set":                    {"ConfigSet"},
	"copy":                          {"Copy", "CopyWith"},
	"dbsize":                        {"DBSize"},
	"decr":                          {"Decr"},
	"decrby":                        {"DecrBy"},
	"del":                           {"Del"},
	"dump":                          {"Dump"},
	"echo":                          {"Echo"},
	"eval":                          {"Eval"},
	"eval_ro":                       {"EvalRO"},
	"evalsha":                       {"EvalSha"},
	"evalsha_ro":                    {"EvalShaRO"},
	"exists":                        {"Exists"},
	"expire":                        {"Expire", "ExpireWith"},
	"expireat":                      {"ExpireAt", "ExpireAtWith"},
	"expiretime":                    {"ExpireTime"},
	"failover":                      {"Failover", "FailoverWith"},
	"fcall":                         {"FCall"},
	"fcall_ro":                      {"FCallRO"},
	"flushall":                      {"FlushAll", "FlushAllWith"},
	"flushdb":                       {"FlushDB", "FlushDBWith"},
	"function|delete":               {"FunctionDelete"},
	"function|dump":                 {"FunctionDump"},
	"function|flush":                {"FunctionFlush", "FunctionFlushWith"},
	"function|kill":                 {"FunctionKill"},
	"function|list":                 {"FunctionList", "FunctionListWith"},
	"function|load":                 {"FunctionLoad", "FunctionLoadWith"},
	"function|restore":              {"FunctionRestore", "FunctionRestoreWith"},
	"function|stats":                {"FunctionStats"},
	"geoadd":                        {"GeoAdd", "GeoAddWith"},
	"geodist":                       {"GeoDist"},
	"geohash":                       {"GeoHash"},
	"geopos":                        {"GeoPos"},
	"georadius":                     {"GeoRadius", "GeoRadiusWith"},
	"georadius_ro":                  {"GeoRadiusRO", "GeoRadiusROWith"},
	"georadiusbymember":             {"GeoRadiusByMember", "GeoRadiusByMemberWith"},
	"georadiusbymember_ro":          {"GeoRadiusByMemberRO", "GeoRadiusByMemberROWith"},
	"geosearch":                     {"GeoSearch", "GeoSearchWith"},
	"geosearchstore":                {"GeoSearchStore", "GeoSearchStoreWith"},
	"get":                           {"Get"},
	"getbit":                        {"GetBit"},
	"getdel":                        {"GetDel"},
	"getex":                         {"GetEx", "GetExWith"},
	"getrange":                      {"GetRange"},
	"getset":                        {"GetSet"},
	"hdel":                          {"HDel"},
	"hexists":                       {"HExists"},
	"hget":                          {"HGet"},
	"hgetall":                       {"HGetAll"},
	"hincrby":                       {"HIncrBy"},
	"hincrbyfloat":                  {"HIncrByFloat"},
	"hkeys":                         {"HKeys"},
	"hlen":                          {"HLen"},
	"hmget":                         {"HMGet"},
	"hmset":                         {"HMSet"},
	"hrandfield":                    {"HRandField", "HRandFieldWith"},
	"hscan":                         {"HScan", "HScanIter", "HScanWith"},
	"hset":                          {"HSet"},
	"hsetnx":                        {"HSetNX"},
	"hstrlen":                       {"HStrLen"},
	"hvals":                         {"HVals"},
	"incr":                          {"Incr"},
	"incrby":                        {"IncrBy"},
	"incrbyfloat":                   {"IncrByFloat"},
	"info":                          {"Info"},
	"keys":                          {"Keys"},
	"lastsave":                      {"LastSave"},
	"latency|doctor":                {"LatencyDoctor"},
	"latency|graph":                 {"LatencyGraph"},
	"latency|histogram":             {"LatencyHistogram"},
	"latency|history":               {"LatencyHistory"},
	"latency|latest":                {"LatencyLatest"},
	"latency|reset":                 {"LatencyReset"},
	"lcs":                           {"LCS", "LCSWith"},
	"lindex":                        {"LIndex"},
	"linsert":                       {"LInsert"},
	"llen":                          {"LLen"},
	"lmove":                         {"LMove"},
	"lmpop":                         {"LMPop", "LMPopWith"},
	"lolwut":                        {"LolWut", "LolWutWith"},
	"lpop":                          {"LPop", "LPopWith"},
	"lpos":                          {"LPos", "LPosWith"},
	"lpush":                         {"LPush"},
	"lpushx":                        {"LPushX"},
	"lrange":                        {"LRange"},
	"lrem":                          {"LRem"},
	"lset":                          {"LSet"},
	"ltrim":                         {"LTrim"},
	"memory|doctor":                 {"MemoryDoctor"},
	"memory|malloc-stats":           {"MemoryMallocStats"},
	"memory|purge":                  {"MemoryPurge"},
	"memory|stats":                  {"MemoryStats"},
	"memory|usage":                  {"MemoryUsage", "MemoryUsageWith"},
	"mget":                          {"MGet"},
	"migrate":                       {"Migrate", "MigrateWith"},
	"module|list":                   {"ModuleList"},
	"module|load":                   {"ModuleLoad"},
	"module|loadex":                 {"ModuleLoadEx"},
	"module|unload":                 {"ModuleUnload"},
	"monitor":                       {"Client.Monitor"},
	"move":                          {"Move"},
	"mset":                          {"MSet"},
	"msetnx":                        {"MSetNX"},
	"object|encoding":               {"ObjectEncoding"},
	"object|freq":                   {"ObjectFreq"},
	"object|idletime":               {"ObjectIdleTime"},
	"object|refcount":               {"ObjectRefCount"},
	"persist":                       {"Persist"},
	"pexpire":                       {"PExpire", "PExpireWith"},
	"pexpireat":                     {"PExpireAt", "PExpireAtWith"},
	"pexpiretime":                   {"PExpireTime"},
	"pfadd":                         {"PFAdd"},
	"pfcount":                       {"PFCount"},
	"pfmerge":                       {"PFMerge"},
	"ping":                          {"Ping"},
	"psetex":                        {"PSetEx"},
	"pttl":                          {"PTTL"},
	"publish":                       {"Publish"},
	"pubsub|channels":               {"PubSubChannels"},
	"pubsub|numpat":                 {"PubSubNumPat"},
	"pubsub|numsub":                 {"PubSubNumSub"},
	"pubsub|shardchannels":          {"PubSubShardChannels"},
	"pubsub|shardnumsub":            {"PubSubShardNumSub"},
	"randomkey":                     {"RandomKey"},
	"rename":                        {"Rename"},
	"renamenx":                      {"RenameNX"},
	"replicaof":                     {"ReplicaOf", "ReplicaOfNoOne"},
	"restore":                       {"Restore", "RestoreWith"},
	"role":                          {"Role"},
	"rpop":                          {"RPop", "RPopWith"},
	"rpoplpush":                     {"RPopLPush"},
	"rpush":                         {"RPush"},
	"rpushx":                        {"RPushX"},
	"sadd":                          {"SAdd"},
	"save":                          {"Save"},
	"scan":                          {"Scan", "ScanIter", "ScanWith"},
	"scard":                         {"SCard"},
	"script|debug":                  {"ScriptDebug"},
	"script|exists":                 {"ScriptExists"},
	"script|flush":                  {"ScriptFlush", "ScriptFlushWith"},
	"script|kill":                   {"ScriptKill"},
	"script|load":                   {"ScriptLoad"},
	"sdiff":                         {"SDiff"},
	"sdiffstore":                    {"SDiffStore"},
	"set":                           {"Set", "SetWith"},
	"setbit":                        {"SetBit"},
	"setex":                         {"SetEx"},
	"setnx":                         {"SetNX"},
	"setrange":                      {"SetRange"},
	"shutdown":                      {"Shutdown", "ShutdownWith"},
	"sinter":                        {"SInter"},
	"sintercard":                    {"SInterCard", "SInterCardWith"},
	"sinterstore":                   {"SInterStore"},
	"sismember":                     {"SIsMember"},
	"slaveof":                       {"SlaveOf", "SlaveOfNoOne"},
	"slowlog|get":                   {"SlowLogGet", "SlowLogGetWith"},
	"slowlog|len":                   {"SlowLogLen"},
	"slowlog|reset":                 {"SlowLogReset"},
	"smembers":                      {"SMembers"},
	"smismember":                    {"SMIsMember"},
	"smove":                         {"SMove"},
	"sort":                          {"Sort", "SortWith", "SortStore"},
	"sort_ro":                       {"SortRO", "SortROWith"},
	"spop":                          {"SPop", "SPopWith"},
	"spublish":                      {"SPublish"},
	"srandmember":                   {"SRandMember", "SRandMemberWith"},
	"srem":                          {"SRem"},
	"sscan":                         {"SScan", "SScanIter", "SScanWith"},
	"strlen":                        {"StrLen"},
	"substr":                        {"SubStr"},
	"sunion":                        {"SUnion"},
	"sunionstore":                   {"SUnionStore"},
	"swapdb":                        {"SwapDB"},
	"time":                          {"Time"},
	"touch":                         {"Touch"},
	"ttl":                           {"TTL"},
	"type":                          {"Type"},
	"unlink":                        {"Unlink"},
	"wait":                          {"Wait"},
	"watch":                         {"Client.Watch"},
	"xack":                          {"XAck"},
	"xadd":                          {"XAdd", "XAddWith"},
	"xautoclaim":                    {"XAutoClaim", "XAutoClaimWith"},
	"xclaim":                        {"XClaim", "XClaimWith"},
	"xdel":                          {"XDel"},
	"xgroup|create":                 {"XGroupCreate", "XGroupCreateWith"},
	"xgroup|createconsumer":         {"XGroupCreateConsumer"},
	"xgroup|delconsumer":            {"XGroupDelConsumer"},
	"xgroup|destroy":                {"XGroupDestroy"},
	"xgroup|setid":                  {"XGroupSetID", "XGroupSetIDWith"},
	"xinfo|consumers":               {"XInfoConsumers"},
	"xinfo|groups":                  {"XInfoGroups"},
	"xinfo|stream":                  {"XInfoStream", "XInfoStreamFull"},
	"xlen":                          {"XLen"},
	"xpending":                      {"XPending", "XPendingExt"},
	"xrange":                        {"XRange", "XRangeWith"},
	"xread":                         {"XRead", "XReadWith"},
	"xreadgroup":                    {"XReadGroup", "XReadGroupWith"},
	"xrevrange":                     {"XRevRange", "XRevRangeWith"},
	"xsetid":                        {"XSetID", "XSetIDWith"},
	"xtrim":                         {"XTrim", "XTrimWith"},
	"zadd":                          {"ZAdd", "ZAddIncr", "ZAddWith"},
	"zcard":                         {"ZCard"},
	"zcount":                        {"ZCount"},
	"zdiff":                         {"ZDiff", "ZDiffWithScores"},
	"zdiffstore":                    {"ZDiffStore"},
	"zincrby":                       {"ZIncrBy"},
	"zinter":                        {"ZInter", "ZInterWith", "ZInterWithScores"},
	"zintercard":                    {"ZInterCard", "ZInterCardWith"},
	"zinterstore":                   {"ZInterStore", "ZInterStoreWith"},
	"zlexcount":                     {"ZLexCount"},
	"zmpop":                         {"ZMPop"},
	"zmscore":                       {"ZMScore"},
	"zpopmax":                       {"ZPopMax"},
	"zpopmin":                       {"ZPopMin"},
	"zrandmember":                   {"ZRandMember", "ZRandMemberWithScores"},
	"zrange":                        {"ZRange", "ZRangeWith", "ZRangeWithScores"},
	"zrangebylex":                   {"ZRangeByLex", "ZRangeByLexWith"},
	"zrangebyscore":                 {"ZRangeByScore", "ZRangeByScoreWith", "ZRangeByScoreWithScores"},
	"zrangestore":                   {"ZRangeStore"},
	"zrank":                         {"ZRank", "ZRankWithScore"},
	"zrem":                          {"ZRem"},
	"zremrangebylex":                {"ZRemRangeByLex"},
	"zremrangebyrank":               {"ZRemRangeByRank"},
	"zremrangebyscore":              {"ZRemRangeByScore"},
	"zrevrange":                     {"ZRevRange", "ZRevRangeWithScores"},
	"zrevrangebylex":                {"ZRevRangeByLex", "ZRevRangeByLexWith"},
	"zrevrangebyscore":              {"ZRevRangeByScore", "ZRevRangeByScoreWith", "ZRevRangeByScoreWithScores"},
	"zrevrank":                      {"ZRevRank", "ZRevRankWithScore"},
	"zscan":                         {"ZScan", "ZScanIter", "ZScanWith"},
	"zscore":                        {"ZScore"},
	"zunion":                        {"ZUnion", "ZUnionWith", "ZUnionWithScores"},
	"zunionstore":                   {"ZUnionStore", "ZUnionStoreWith"},
}

// command is one row of the TSV.
type command struct {
	name    string // "client|list"
	group   string // "connection"
	since   string // "2.4.0": the Redis version that added it
	counted bool
}

// readCommands reads the TSV and checks the copy against the original
// when the original is at hand.
func readCommands(t *testing.T) []command {
	t.Helper()
	data, err := os.ReadFile(commandsTSV)
	require.NoError(t, err)
	if orig, err := os.ReadFile(sharedTSV); err == nil {
		require.True(t, bytes.Equal(data, orig), "%s differs from %s: copy it again", commandsTSV, sharedTSV)
	} else {
		t.Logf("%s not found; using %s alone", sharedTSV, commandsTSV)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = '\t'
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	header, err := r.Read()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, h := range []string{"command", "group", "since", "counted"} {
		require.Contains(t, col, h, "column %q", h)
	}
	var cmds []command
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		cmds = append(cmds, command{
			name:    rec[col["command"]],
			group:   rec[col["group"]],
			since:   rec[col["since"]],
			counted: rec[col["counted"]] == "yes",
		})
	}
	require.NotEmpty(t, cmds)
	return cmds
}

var (
	clientType   = reflect.TypeFor[*client.Client]()
	connType     = reflect.TypeFor[*client.Conn]()
	pipelineType = reflect.TypeFor[*client.Pipeline]()
)

// splitMethod returns the type a table entry names ("" for the shared
// command set) and the method's name.
func splitMethod(entry string) (typ, method string) {
	if i := strings.IndexByte(entry, '.'); i >= 0 {
		return entry[:i], entry[i+1:]
	}
	return "", entry
}

// hasMethod reports whether the method of a table entry exists: a shared
// one on Client, Conn and Pipeline alike, the others on their own type.
func hasMethod(entry string) bool {
	typ, name := splitMethod(entry)
	var types []reflect.Type
	switch typ {
	case "":
		types = []reflect.Type{clientType, connType, pipelineType}
	case "Client":
		types = []reflect.Type{clientType}
	case "Conn":
		types = []reflect.Type{connType}
	default:
		return false
	}
	for _, rt := range types {
		if _, ok := rt.MethodByName(name); !ok {
			return false
		}
	}
	return true
}

// TestCommandCoverage fails for every counted command of Redis 7.0 without
// a typed method, and logs the coverage, in all and by group.
func TestCommandCoverage(t *testing.T) {
	type tally struct{ covered, total int }
	groups := map[string]*tally{}
	var missing, stale []string
	covered, total := 0, 0
	known := map[string]bool{}
	for _, c := range readCommands(t) {
		known[c.name] = true
		if !c.counted {
			if _, ok := commandMethods[c.name]; ok {
				t.Errorf("%s is not counted but has an entry in commandMethods", c.name)
			}
			continue
		}
		total++
		g := groups[c.group]
		if g == nil {
			g = &tally{}
			groups[c.group] = g
		}
		g.total++
		found := false
		for _, entry := range commandMethods[c.name] {
			if hasMethod(entry) {
				found = true
			} else {
				stale = append(stale, c.name+" -> "+entry)
			}
		}
		if !found {
			missing = append(missing, c.name)
			continue
		}
		covered++
		g.covered++
	}
	names := make([]string, 0, len(groups))
	for name := range groups {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Logf("group %s: %d/%d", name, groups[name].covered, groups[name].total)
	}
	t.Logf("command coverage: %d/%d", covered, total)
	if len(missing) > 0 {
		t.Errorf("%d counted commands without a method:\n\t%s", len(missing), strings.Join(missing, "\n\t"))
	}
	if len(stale) > 0 {
		t.Errorf("commandMethods names methods that do not exist:\n\t%s", strings.Join(stale, "\n\t"))
	}
	for name := range commandMethods {
		if !known[name] {
			t.Errorf("commandMethods has %q, which is not a Redis 7.0 command", name)
		}
	}
}

// TestCommandMethodNames checks the naming rule as far as a program can:
// every method's name, lowercased, starts with its command's name with the
// separators ("|", "_", "-") taken out.
func TestCommandMethodNames(t *testing.T) {
	for cmd, entries := range allCommandMethods() {
		want := strings.NewReplacer("|", "", "_", "", "-", "").Replace(cmd)
		require.NotEmpty(t, entries, cmd)
		for _, entry := range entries {
			_, name := splitMethod(entry)
			if !strings.HasPrefix(strings.ToLower(name), want) {
				t.Errorf("%s: method %s does not start with %q", cmd, entry, want)
			}
		}
	}
}

// TestEveryCommandMethodIsListed keeps the table complete the other way
// round: every method of the shared command set (the methods Client, Conn
// and Pipeline all have) is listed for some command, except Do.
func TestEveryCommandMethodIsListed(t *testing.T) {
	listed := map[string]bool{"Do": true}
	for _, entries := range allCommandMethods() {
		for _, entry := range entries {
			if typ, name := splitMethod(entry); typ == "" {
				listed[name] = true
			}
		}
	}
	for i := range clientType.NumMethod() {
		name := clientType.Method(i).Name
		_, onConn := connType.MethodByName(name)
		_, onPipeline := pipelineType.MethodByName(name)
		if onConn && onPipeline && !listed[name] {
			t.Errorf("method %s is in no entry of commandMethods", name)
		}
	}
}

// TestSharedCommandsOnPipeline: every command but those bound to one
// connection (the entries naming Client or Conn) can be queued on a
// Pipeline, through the same method as on Client.
func TestSharedCommandsOnPipeline(t *testing.T) {
	for cmd, entries := range allCommandMethods() {
		shared := 0
		for _, entry := range entries {
			typ, name := splitMethod(entry)
			if typ != "" {
				continue
			}
			shared++
			_, ok := pipelineType.MethodByName(name)
			if !ok {
				t.Errorf("%s: Pipeline has no %s", cmd, name)
			}
		}
		if shared == 0 && !connectionBound[cmd] {
			t.Errorf("%s has no method shared with Pipeline", cmd)
		}
	}
}

// connectionBound are the commands served only by Client or Conn methods:
// they change per-connection state (messages flags them Stateful), or read
// state only a Conn has (CLIENT GETREDIR, the target of the Conn's
// tracking), so a pipeline on a shared connection cannot carry them.
var connectionBound = map[string]bool{
	"client|caching": true, "client|getredir": true, "client|no-evict": true, "client|reply": true,
	"client|setname": true, "client|tracking": true, "monitor": true, "watch": true,
	"client|no-touch": true, "client|setinfo": true, "client|capa": true, "client|import-source": true,
	"himport|prepare": true, "himport|set": true, "himport|discard": true, "himport|discardall": true,
}

func TestConnectionBoundAreStateful(t *testing.T) {
	for cmd := range connectionBound {
		if cmd != "client|getredir" {
			assert.True(t, messages.FlagsOf(cmd).Has(messages.Stateful), "%s", cmd)
		}
	}
}
