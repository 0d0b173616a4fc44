package client_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
)

// laterCommandMethods maps the commands of Redis 8.0 to 8.4 and Valkey 8.0
// to 9.1 typed so far (not in Redis 7.0's list, which commandMethods
// measures) to the methods that send them, in commandMethods' form.
var laterCommandMethods = map[string][]string{
	"hgetdel":                      {"HGetDel"},
	"hgetex":                       {"HGetEx", "HGetExWith"},
	"hsetex":                       {"HSetEx", "HSetExWith"},
	"delifeq":                      {"DelIfEq"},
	"delex":                        {"DelEx"},
	"digest":                       {"Digest"},
	"msetex":                       {"MSetEx", "MSetExWith"},
	"commandlog|get":               {"CommandLogGet"},
	"commandlog|len":               {"CommandLogLen"},
	"commandlog|reset":             {"CommandLogReset"},
	"client|capa":                  {"Conn.ClientCapa"},
	"client|import-source":         {"Conn.ClientImportSource"},
	"script|show":                  {"ScriptShow"},
	"cluster|slot-stats":           {"ClusterSlotStats", "ClusterSlotStatsWith"},
	"clusterscan":                  {"ClusterScan", "ClusterScanIter"},
	"cluster|migrateslots":         {"ClusterMigrateSlots"},
	"cluster|getslotmigrations":    {"ClusterGetSlotMigrations"},
	"cluster|cancelslotmigrations": {"ClusterCancelSlotMigrations"},
	"vadd":                         {"VAdd", "VAddWith"},
	"vsim":                         {"VSim", "VSimWith"},
	"vrem":                         {"VRem"},
	"vcard":                        {"VCard"},
	"vdim":                         {"VDim"},
	"vemb":                         {"VEmb", "VEmbRaw"},
	"vgetattr":                     {"VGetAttr"},
	"vsetattr":                     {"VSetAttr"},
	"vinfo":                        {"VInfo"},
	"vlinks":                       {"VLinks", "VLinksWithScores"},
	"vrandmember":                  {"VRandMember", "VRandMemberWith"},
	"vismember":                    {"VIsMember"},
	"vrange":                       {"VRange", "VRangeWith"},
	"xdelex":                       {"XDelEx"},
	"xackdel":                      {"XAckDel"},
	// Redis 8.4 to 8.10 and Valkey 9 (cmdsrest).
	"cluster|flushslot": {"ClusterFlushSlot", "ClusterFlushSlotWith"},
	"increx":            {"IncrEx", "IncrExFloat"},
	"lmovem":            {"LMoveM"},
	"blmovem":           {"BLMoveM"},
	"sunioncard":        {"SUnionCard", "SUnionCardWith"},
	"sdiffcard":         {"SDiffCard", "SDiffCardWith"},
	"cluster|migration": {"ClusterMigrationImport", "ClusterMigrationCancel", "ClusterMigrationStatus"},
	"hotkeys|start":     {"HotKeysStart"},
	"hotkeys|stop":      {"HotKeysStop"},
	"hotkeys|get":       {"HotKeysGet"},
	"hotkeys|reset":     {"HotKeysReset"},
	"xnack":             {"XNack", "XNackWith"},
	"xcfgset":           {"XCfgSet"},
	// Redis 8.8: the array type.
	"arset":       {"ARSet"},
	"armset":      {"ARMSet"},
	"arget":       {"ARGet"},
	"armget":      {"ARMGet"},
	"argetrange":  {"ARGetRange"},
	"ardel":       {"ARDel"},
	"ardelrange":  {"ARDelRange"},
	"arlen":       {"ARLen"},
	"arcount":     {"ARCount"},
	"arinsert":    {"ARInsert"},
	"arring":      {"ARRing"},
	"arnext":      {"ARNext"},
	"arseek":      {"ARSeek"},
	"arscan":      {"ARScan", "ARScanWith"},
	"arlastitems": {"ARLastItems", "ARLastItemsWith"},
	"arinfo":      {"ARInfo", "ARInfoWith"},
	"arop":        {"AROp"},
	"argrep":      {"ARGrep", "ARGrepWithValues"},
	// Redis 8.10.
	"backup|start":       {"BackupStart"},
	"backup|seal":        {"BackupSeal"},
	"backup|status":      {"BackupStatus"},
	"backup|list":        {"BackupList"},
	"backup|abort":       {"BackupAbort"},
	"backup|cleanup":     {"BackupCleanup"},
	"himport|prepare":    {"Conn.HImportPrepare"},
	"himport|set":        {"Conn.HImportSet"},
	"himport|discard":    {"Conn.HImportDiscard"},
	"himport|discardall": {"Conn.HImportDiscardAll"},
}

// TestLaterCommandMethods holds laterCommandMethods to commandMethods'
// rules: each command is known to the flags, each method exists and is
// named after its command, and the per-connection ones are Stateful.
func TestLaterCommandMethods(t *testing.T) {
	for cmd, entries := range laterCommandMethods {
		if !messages.Known(cmd) {
			t.Errorf("%s is not in the flags (messages laterCommands)", cmd)
		}
		want := strings.NewReplacer("|", "", "_", "", "-", "").Replace(cmd)
		for _, entry := range entries {
			if !hasMethod(entry) {
				t.Errorf("%s: no method %s", cmd, entry)
			}
			typ, name := splitMethod(entry)
			if !strings.HasPrefix(strings.ToLower(name), want) {
				t.Errorf("%s: method %s does not start with %q", cmd, entry, want)
			}
			if typ == "Conn" && !messages.FlagsOf(cmd).Has(messages.Stateful) {
				t.Errorf("%s: a Conn method, but not Stateful", cmd)
			}
		}
	}
}

// redisAfter70 are the core commands Redis added from 7.2 to 8.10, by
// version, as ../shared/commands-after-7.0.md lists them (the 81 of that
// list less its six FT.* and TS.* ones, which belong to the Query Engine
// and TimeSeries).
var redisAfter70 = map[string][]string{
	"7.2": {"client|no-touch", "client|setinfo", "cluster|myshardid", "waitaof"},
	"7.4": {"hexpire", "hpexpire", "hexpireat", "hpexpireat", "httl", "hpttl", "hexpiretime", "hpexpiretime", "hpersist"},
	"8.0": {"hgetdel", "hgetex", "hsetex", "vadd", "vsim", "vrem", "vcard", "vdim", "vemb", "vgetattr", "vsetattr",
		"vinfo", "vlinks", "vrandmember", "vismember"},
	"8.2": {"xdelex", "xackdel", "cluster|slot-stats"},
	"8.4": {"delex", "digest", "msetex", "cluster|migration", "vrange"},
	"8.6": {"hotkeys|start", "hotkeys|stop", "hotkeys|get", "hotkeys|reset", "xcfgset"},
	"8.8": {"arset", "arget", "argetrange", "armset", "armget", "arinsert", "ardel", "ardelrange", "arlen", "arcount",
		"arnext", "arseek", "arscan", "argrep", "arring", "arlastitems", "arinfo", "arop", "increx", "xnack"},
	"8.10": {"himport|prepare", "himport|set", "himport|discard", "himport|discardall", "lmovem", "blmovem",
		"sunioncard", "sdiffcard", "backup|start", "backup|seal", "backup|status", "backup|list", "backup|abort",
		"backup|cleanup"},
}

// valkeyOnly are the commands only Valkey has (8.0 to 9.1).
var valkeyOnly = []string{"delifeq", "commandlog|get", "commandlog|len", "commandlog|reset", "clusterscan",
	"client|capa", "client|import-source", "script|show", "cluster|migrateslots", "cluster|getslotmigrations",
	"cluster|cancelslotmigrations", "cluster|flushslot"}

// TestCommandsAfterRedis70AreTyped counts the commands added after Redis
// 7.0 that have a typed method: every one of Redis 7.2-8.10 (75) and of
// Valkey's own. It also tells how many of them a server of the matrix
// has (their tests run against that server) and how many only Redis 8
// has (tested against their documented replies only).
func TestCommandsAfterRedis70AreTyped(t *testing.T) {
	methods := allCommandMethods()
	onServer := map[string]bool{}
	paths, err := filepath.Glob(filepath.Join(serverLists, "*.tsv"))
	require.NoError(t, err)
	for _, path := range paths {
		for _, c := range readServerList(t, path) {
			onServer[c.name] = true
		}
	}
	count := func(what string, names []string) {
		typed, real := 0, 0
		for _, name := range names {
			if slices.ContainsFunc(methods[name], hasMethod) {
				typed++
			} else {
				t.Errorf("%s: %s has no typed method", what, name)
			}
			if onServer[name] {
				real++
			}
		}
		t.Logf("%s: %d/%d typed; %d on a server of the matrix, %d tested against documented replies only",
			what, typed, len(names), real, len(names)-real)
	}
	var all []string
	for _, v := range []string{"7.2", "7.4", "8.0", "8.2", "8.4", "8.6", "8.8", "8.10"} {
		all = append(all, redisAfter70[v]...)
	}
	require.Len(t, all, 75)
	count("Redis 7.2-8.10", all)
	count("Valkey only", valkeyOnly)
}
