package client_test

import (
	"strings"
	"testing"

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
