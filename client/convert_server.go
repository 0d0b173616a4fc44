package client

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Result types of the server group and the conversions that make them.
// Each conversion gives the same Go value for a RESP2 and a RESP3 reply.

// ACLDryRunResult is the answer of ACL DRYRUN.
type ACLDryRunResult struct {
	// Allowed is true when the server answered "OK".
	Allowed bool
	// Reason is the server's explanation when the command is not allowed.
	Reason string
}

func srvToDryRun(v resp.Value) (ACLDryRunResult, error) {
	s, err := v.AsString()
	if err != nil {
		return ACLDryRunResult{}, err
	}
	if s == "OK" {
		return ACLDryRunResult{Allowed: true}, nil
	}
	return ACLDryRunResult{Reason: s}, nil
}

// ACLUser is an ACL user as ACL GETUSER describes it.
type ACLUser struct {
	Flags     []string // "on", "off", "nopass", ...
	Passwords []string // SHA-256 hashes of its passwords, hex-encoded
	Commands  string   // command rules, e.g. "+@all -debug"
	Keys      string   // key patterns, e.g. "~* %R~read:*"
	Channels  string   // channel patterns, e.g. "&*"
	Selectors []ACLSelector
}

// ACLSelector is one selector (Redis 7.0) of an ACLUser.
type ACLSelector struct {
	Commands string
	Keys     string
	Channels string
}

// srvRules reads a rule field: a string (Redis 7.0) or a list of patterns
// (Redis 6.x), joined with spaces.
func srvRules(v resp.Value) (string, error) {
	switch v.Kind {
	case resp.KindInvalid, resp.KindNull:
		return "", nil
	case resp.KindArray, resp.KindSet:
		ss, err := v.AsStrings()
		return strings.Join(ss, " "), err
	}
	return v.AsString()
}

func srvOptStrings(v resp.Value) ([]string, error) {
	if v.Kind == resp.KindInvalid || v.IsNull() {
		return nil, nil
	}
	return v.AsStrings()
}

func srvToACLUser(v resp.Value) (ACLUser, error) {
	m, err := v.AsMap()
	if err != nil {
		return ACLUser{}, err
	}
	var u ACLUser
	if u.Flags, err = srvOptStrings(m["flags"]); err != nil {
		return ACLUser{}, err
	}
	if u.Passwords, err = srvOptStrings(m["passwords"]); err != nil {
		return ACLUser{}, err
	}
	if u.Commands, err = srvRules(m["commands"]); err != nil {
		return ACLUser{}, err
	}
	if u.Keys, err = srvRules(m["keys"]); err != nil {
		return ACLUser{}, err
	}
	if u.Channels, err = srvRules(m["channels"]); err != nil {
		return ACLUser{}, err
	}
	if sel, ok := m["selectors"]; ok && !sel.IsNull() {
		elems, err := sel.AsValues()
		if err != nil {
			return ACLUser{}, err
		}
		for _, e := range elems {
			sm, err := e.AsMap()
			if err != nil {
				return ACLUser{}, err
			}
			var s ACLSelector
			if s.Commands, err = srvRules(sm["commands"]); err != nil {
				return ACLUser{}, err
			}
			if s.Keys, err = srvRules(sm["keys"]); err != nil {
				return ACLUser{}, err
			}
			if s.Channels, err = srvRules(sm["channels"]); err != nil {
				return ACLUser{}, err
			}
			u.Selectors = append(u.Selectors, s)
		}
	}
	return u, nil
}

// ACLLogEntry is one security event of ACL LOG.
type ACLLogEntry struct {
	Count      int64         // count: how many times it happened within 60 s
	Reason     string        // reason: "auth", "command", "key" or "channel"
	Context    string        // context: "toplevel", "multi", "lua" or "module"
	Object     string        // object: the command, key or channel denied
	Username   string        // username
	Age        time.Duration // age-seconds: since the latest occurrence
	ClientInfo ClientInfo    // client-info: the client, as CLIENT INFO describes it
	// EntryID, Created and LastUpdated come with Redis 7.2 (entry-id,
	// timestamp-created, timestamp-last-updated); zero before.
	EntryID     int64
	Created     time.Time
	LastUpdated time.Time
}

func srvToACLLog(v resp.Value) ([]ACLLogEntry, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]ACLLogEntry, len(elems))
	for i, e := range elems {
		m, err := e.AsMap()
		if err != nil {
			return nil, err
		}
		en := &out[i]
		if en.Count, err = m["count"].AsInt64(); err != nil {
			return nil, err
		}
		for k, p := range map[string]*string{"reason": &en.Reason, "context": &en.Context, "object": &en.Object, "username": &en.Username} {
			if *p, err = m[k].AsString(); err != nil {
				return nil, err
			}
		}
		age, err := m["age-seconds"].AsFloat64()
		if err != nil {
			return nil, err
		}
		en.Age = time.Duration(age * float64(time.Second))
		ci, err := m["client-info"].AsString()
		if err != nil {
			return nil, err
		}
		en.ClientInfo = parseClientInfo(strings.TrimSpace(ci))
		if id, ok := m["entry-id"]; ok {
			if en.EntryID, err = id.AsInt64(); err != nil {
				return nil, err
			}
		}
		for k, p := range map[string]*time.Time{"timestamp-created": &en.Created, "timestamp-last-updated": &en.LastUpdated} {
			if tv, ok := m[k]; ok {
				ms, err := tv.AsInt64()
				if err != nil {
					return nil, err
				}
				*p = time.UnixMilli(ms)
			}
		}
	}
	return out, nil
}

// srvToUnixTime reads a Unix time in seconds (LASTSAVE).
func srvToUnixTime(v resp.Value) (time.Time, error) {
	n, err := v.AsInt64()
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(n, 0), nil
}

// srvToTime reads TIME: [seconds, microseconds].
func srvToTime(v resp.Value) (time.Time, error) {
	ns, err := v.AsInt64s()
	if err != nil {
		return time.Time{}, err
	}
	if len(ns) != 2 {
		return time.Time{}, unexpected(v, "time.Time")
	}
	return time.Unix(ns[0], ns[1]*1000), nil
}

func srvToStringMap(v resp.Value) (map[string]string, error) { return v.AsStringMap() }

// CommandDoc is the documentation of one command, from COMMAND DOCS.
type CommandDoc struct {
	Summary         string
	Since           string // the Redis version that introduced it
	Group           string // "string", "server", ...
	Complexity      string
	DocFlags        []string // doc_flags: "deprecated", "syscmd"
	DeprecatedSince string
	ReplacedBy      string
	History         []CommandHistoryEntry
	Arguments       []CommandDocArg
	Subcommands     map[string]CommandDoc // by full name, e.g. "client|list"
}

// CommandHistoryEntry is one change of a command: the version and what
// changed.
type CommandHistoryEntry struct {
	Version     string
	Description string
}

// CommandDocArg is one argument of a command in COMMAND DOCS.
type CommandDocArg struct {
	Name            string
	Type            string // "key", "string", "integer", "oneof", "block", "pure-token", ...
	DisplayText     string
	KeySpecIndex    int64 // -1 when the argument is not a key
	Token           string
	Summary         string
	Since           string
	DeprecatedSince string
	Flags           []string // "optional", "multiple", "multiple_token"
	Arguments       []CommandDocArg
}

func srvToCommandDocs(v resp.Value) (map[string]CommandDoc, error) {
	m, err := v.AsMap()
	if err != nil {
		return nil, err
	}
	out := make(map[string]CommandDoc, len(m))
	for name, dv := range m {
		d, err := srvCommandDoc(dv)
		if err != nil {
			return nil, err
		}
		out[name] = d
	}
	return out, nil
}

func srvCommandDoc(v resp.Value) (CommandDoc, error) {
	m, err := v.AsMap()
	if err != nil {
		return CommandDoc{}, err
	}
	var d CommandDoc
	for k, p := range map[string]*string{"summary": &d.Summary, "since": &d.Since, "group": &d.Group,
		"complexity": &d.Complexity, "deprecated_since": &d.DeprecatedSince, "replaced_by": &d.ReplacedBy} {
		if e, ok := m[k]; ok {
			if *p, err = e.AsString(); err != nil {
				return CommandDoc{}, err
			}
		}
	}
	if d.DocFlags, err = srvOptStrings(m["doc_flags"]); err != nil {
		return CommandDoc{}, err
	}
	if h, ok := m["history"]; ok {
		entries, err := h.AsValues()
		if err != nil {
			return CommandDoc{}, err
		}
		for _, e := range entries {
			ss, err := e.AsStrings()
			if err != nil {
				return CommandDoc{}, err
			}
			if len(ss) != 2 {
				return CommandDoc{}, unexpected(e, "CommandHistoryEntry")
			}
			d.History = append(d.History, CommandHistoryEntry{Version: ss[0], Description: ss[1]})
		}
	}
	if a, ok := m["arguments"]; ok {
		if d.Arguments, err = srvDocArgs(a); err != nil {
			return CommandDoc{}, err
		}
	}
	if s, ok := m["subcommands"]; ok {
		if d.Subcommands, err = srvToCommandDocs(s); err != nil {
			return CommandDoc{}, err
		}
	}
	return d, nil
}

func srvDocArgs(v resp.Value) ([]CommandDocArg, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]CommandDocArg, len(elems))
	for i, e := range elems {
		m, err := e.AsMap()
		if err != nil {
			return nil, err
		}
		a := &out[i]
		a.KeySpecIndex = -1
		for k, p := range map[string]*string{"name": &a.Name, "type": &a.Type, "display_text": &a.DisplayText,
			"token": &a.Token, "summary": &a.Summary, "since": &a.Since, "deprecated_since": &a.DeprecatedSince} {
			if e, ok := m[k]; ok {
				if *p, err = e.AsString(); err != nil {
					return nil, err
				}
			}
		}
		if e, ok := m["key_spec_index"]; ok {
			if a.KeySpecIndex, err = e.AsInt64(); err != nil {
				return nil, err
			}
		}
		if a.Flags, err = srvOptStrings(m["flags"]); err != nil {
			return nil, err
		}
		if e, ok := m["arguments"]; ok {
			if a.Arguments, err = srvDocArgs(e); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// CommandKeyFlags is one key of COMMAND GETKEYSANDFLAGS with its flags
// ("RW", "access", "update", ...).
type CommandKeyFlags struct {
	Key   string
	Flags []string
}

func srvToKeyFlags(v resp.Value) ([]CommandKeyFlags, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]CommandKeyFlags, len(elems))
	for i, e := range elems {
		parts, err := e.AsValues()
		if err != nil {
			return nil, err
		}
		if len(parts) != 2 {
			return nil, unexpected(e, "CommandKeyFlags")
		}
		if out[i].Key, err = parts[0].AsString(); err != nil {
			return nil, err
		}
		if out[i].Flags, err = parts[1].AsStrings(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CommandInfo describes one command as COMMAND INFO does. Key
// specifications (its ninth element) are not decoded.
type CommandInfo struct {
	Name          string
	Arity         int64 // number of arguments with the name; negative: at least -Arity
	Flags         []string
	FirstKey      int64
	LastKey       int64
	Step          int64
	ACLCategories []string // Redis 6.0
	Tips          []string // Redis 7.0
	Subcommands   []CommandInfo
}

func srvToCommandInfos(v resp.Value) ([]CommandInfo, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]CommandInfo, len(elems))
	for i, e := range elems {
		if e.IsNull() {
			continue
		}
		if out[i], err = srvCommandInfo(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func srvCommandInfo(v resp.Value) (CommandInfo, error) {
	parts, err := v.AsValues()
	if err != nil {
		return CommandInfo{}, err
	}
	if len(parts) < 6 {
		return CommandInfo{}, unexpected(v, "CommandInfo")
	}
	var ci CommandInfo
	if ci.Name, err = parts[0].AsString(); err != nil {
		return CommandInfo{}, err
	}
	if ci.Flags, err = parts[2].AsStrings(); err != nil {
		return CommandInfo{}, err
	}
	for j, p := range []*int64{&ci.Arity, nil, &ci.FirstKey, &ci.LastKey, &ci.Step} {
		if p != nil {
			if *p, err = parts[j+1].AsInt64(); err != nil {
				return CommandInfo{}, err
			}
		}
	}
	if len(parts) > 6 {
		if ci.ACLCategories, err = parts[6].AsStrings(); err != nil {
			return CommandInfo{}, err
		}
	}
	if len(parts) > 7 {
		if ci.Tips, err = parts[7].AsStrings(); err != nil {
			return CommandInfo{}, err
		}
	}
	if len(parts) > 9 {
		if ci.Subcommands, err = srvToCommandInfos(parts[9]); err != nil {
			return CommandInfo{}, err
		}
	}
	return ci, nil
}

// ServerInfo is the report of INFO: every "name:value" line by section.
type ServerInfo struct {
	// Sections maps each section's name, in lower case ("server",
	// "keyspace", ...), to its fields.
	Sections map[string]map[string]string
	// Raw is the report as the server wrote it.
	Raw string
}

// Get returns the value of field name in whichever section holds it.
func (si ServerInfo) Get(name string) (string, bool) {
	for _, fields := range si.Sections {
		if v, ok := fields[name]; ok {
			return v, true
		}
	}
	return "", false
}

func srvToInfo(v resp.Value) (ServerInfo, error) {
	s, err := v.AsString()
	if err != nil {
		return ServerInfo{}, err
	}
	return srvParseInfo(s), nil
}

// srvParseInfo reads "# Section" headers and "name:value" lines; fields
// before any header go to the section "".
func srvParseInfo(s string) ServerInfo {
	si := ServerInfo{Sections: map[string]map[string]string{}, Raw: s}
	section := ""
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if name, ok := strings.CutPrefix(line, "#"); ok {
			section = strings.ToLower(strings.TrimSpace(name))
			if si.Sections[section] == nil {
				si.Sections[section] = map[string]string{}
			}
			continue
		}
		k, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if si.Sections[section] == nil {
			si.Sections[section] = map[string]string{}
		}
		si.Sections[section][k] = val
	}
	return si
}

// CommandHistogram is the latency histogram of one command (LATENCY
// HISTOGRAM).
type CommandHistogram struct {
	// Calls is the number of calls.
	Calls int64
	// Buckets maps each bucket's upper bound, in microseconds, to the
	// number of calls at or below it (cumulative).
	Buckets map[int64]int64
}

func srvToHistograms(v resp.Value) (map[string]CommandHistogram, error) {
	m, err := v.AsMap()
	if err != nil {
		return nil, err
	}
	out := make(map[string]CommandHistogram, len(m))
	for name, hv := range m {
		hm, err := hv.AsMap()
		if err != nil {
			return nil, err
		}
		var h CommandHistogram
		if h.Calls, err = hm["calls"].AsInt64(); err != nil {
			return nil, err
		}
		pairs, err := hm["histogram_usec"].AsPairs()
		if err != nil {
			return nil, err
		}
		h.Buckets = make(map[int64]int64, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			b, err := pairs[i].AsInt64()
			if err != nil {
				return nil, err
			}
			if h.Buckets[b], err = pairs[i+1].AsInt64(); err != nil {
				return nil, err
			}
		}
		out[name] = h
	}
	return out, nil
}

// LatencySample is one sample of LATENCY HISTORY.
type LatencySample struct {
	Time    time.Time
	Latency time.Duration // to the millisecond
}

func srvToLatencySamples(v resp.Value) ([]LatencySample, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]LatencySample, len(elems))
	for i, e := range elems {
		ns, err := e.AsInt64s()
		if err != nil {
			return nil, err
		}
		if len(ns) != 2 {
			return nil, unexpected(e, "LatencySample")
		}
		out[i] = LatencySample{Time: time.Unix(ns[0], 0), Latency: time.Duration(ns[1]) * time.Millisecond}
	}
	return out, nil
}

// LatencyEvent is one event of LATENCY LATEST.
type LatencyEvent struct {
	Name   string
	Time   time.Time     // of the latest sample
	Latest time.Duration // the latest sample, to the millisecond
	Max    time.Duration // the highest sample
}

func srvToLatencyEvents(v resp.Value) ([]LatencyEvent, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]LatencyEvent, len(elems))
	for i, e := range elems {
		parts, err := e.AsValues()
		if err != nil {
			return nil, err
		}
		if len(parts) < 4 {
			return nil, unexpected(e, "LatencyEvent")
		}
		if out[i].Name, err = parts[0].AsString(); err != nil {
			return nil, err
		}
		var ns [3]int64
		for j := range ns {
			if ns[j], err = parts[j+1].AsInt64(); err != nil {
				return nil, err
			}
		}
		out[i].Time = time.Unix(ns[0], 0)
		out[i].Latest = time.Duration(ns[1]) * time.Millisecond
		out[i].Max = time.Duration(ns[2]) * time.Millisecond
	}
	return out, nil
}

// MemoryStats holds the figures of MEMORY STATS by their Redis names
// ("peak.allocated", "dataset.percentage", ...). Nested figures are
// flattened with a dot: "db.0.overhead.hashtable.main". Bytes, counts,
// ratios and percentages are all numbers; a field that is not a number is
// left out.
type MemoryStats map[string]float64

func srvToMemoryStats(v resp.Value) (MemoryStats, error) {
	out := MemoryStats{}
	return out, srvFlattenStats(out, "", v)
}

func srvFlattenStats(out MemoryStats, prefix string, v resp.Value) error {
	pairs, err := v.AsPairs()
	if err != nil {
		return err
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		k, err := pairs[i].AsString()
		if err != nil {
			return err
		}
		val := pairs[i+1]
		switch val.Kind {
		case resp.KindMap, resp.KindArray:
			if err := srvFlattenStats(out, prefix+k+".", val); err != nil {
				return err
			}
		default:
			if f, err := val.AsFloat64(); err == nil && !math.IsNaN(f) {
				out[prefix+k] = f
			}
		}
	}
	return nil
}

// ModuleInfo is one module of MODULE LIST.
type ModuleInfo struct {
	Name    string
	Version int64
	Path    string   // Redis 7.0
	Args    []string // Redis 7.0
}

func srvToModules(v resp.Value) ([]ModuleInfo, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]ModuleInfo, len(elems))
	for i, e := range elems {
		m, err := e.AsMap()
		if err != nil {
			return nil, err
		}
		if out[i].Name, err = m["name"].AsString(); err != nil {
			return nil, err
		}
		if out[i].Version, err = m["ver"].AsInt64(); err != nil {
			return nil, err
		}
		if p, ok := m["path"]; ok {
			if out[i].Path, err = p.AsString(); err != nil {
				return nil, err
			}
		}
		if out[i].Args, err = srvOptStrings(m["args"]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// RoleKind is the part a server plays in replication.
type RoleKind uint8

// The roles of ROLE.
const (
	RoleUnknown  RoleKind = iota // a role this version does not know
	RoleMaster                   // "master"
	RoleReplica                  // "slave"
	RoleSentinel                 // "sentinel"
)

// String returns "master", "replica", "sentinel" or "unknown".
func (k RoleKind) String() string {
	switch k {
	case RoleMaster:
		return "master"
	case RoleReplica:
		return "replica"
	case RoleSentinel:
		return "sentinel"
	}
	return "unknown"
}

// Role is the reply of ROLE. Which fields are set depends on Kind.
type Role struct {
	Kind RoleKind
	// Master: its replication offset and its replicas. Replica: the offset
	// it has received (-1 before the first sync).
	ReplicationOffset int64
	Replicas          []ReplicaInfo
	// Replica: its master and the state of the link ("connect",
	// "connecting", "sync", "connected", "handshake", ...).
	MasterHost string
	MasterPort int
	State      string
	// Sentinel: the names of the masters it monitors.
	MasterNames []string
}

// ReplicaInfo is one replica of a master in ROLE.
type ReplicaInfo struct {
	Host              string
	Port              int
	ReplicationOffset int64
}

func srvToRole(v resp.Value) (Role, error) {
	parts, err := v.AsValues()
	if err != nil {
		return Role{}, err
	}
	if len(parts) == 0 {
		return Role{}, unexpected(v, "Role")
	}
	kind, err := parts[0].AsString()
	if err != nil {
		return Role{}, err
	}
	var r Role
	switch {
	case kind == "master" && len(parts) >= 3:
		r.Kind = RoleMaster
		if r.ReplicationOffset, err = parts[1].AsInt64(); err != nil {
			return Role{}, err
		}
		reps, err := parts[2].AsValues()
		if err != nil {
			return Role{}, err
		}
		for _, rv := range reps {
			ss, err := rv.AsStrings()
			if err != nil {
				return Role{}, err
			}
			if len(ss) < 3 {
				return Role{}, unexpected(rv, "ReplicaInfo")
			}
			port, err1 := strconv.Atoi(ss[1])
			off, err2 := strconv.ParseInt(ss[2], 10, 64)
			if err1 != nil || err2 != nil {
				return Role{}, unexpected(rv, "ReplicaInfo")
			}
			r.Replicas = append(r.Replicas, ReplicaInfo{Host: ss[0], Port: port, ReplicationOffset: off})
		}
	case kind == "slave" && len(parts) >= 5:
		r.Kind = RoleReplica
		if r.MasterHost, err = parts[1].AsString(); err != nil {
			return Role{}, err
		}
		port, err := parts[2].AsInt64()
		if err != nil {
			return Role{}, err
		}
		r.MasterPort = int(port)
		if r.State, err = parts[3].AsString(); err != nil {
			return Role{}, err
		}
		if r.ReplicationOffset, err = parts[4].AsInt64(); err != nil {
			return Role{}, err
		}
	case kind == "sentinel" && len(parts) >= 2:
		r.Kind = RoleSentinel
		if r.MasterNames, err = parts[1].AsStrings(); err != nil {
			return Role{}, err
		}
	}
	return r, nil
}

// SlowLogEntry is one entry of SLOWLOG GET.
type SlowLogEntry struct {
	ID         int64
	Time       time.Time     // when the command ran
	Duration   time.Duration // its execution time, to the microsecond
	Args       []string      // the command line (long ones truncated by the server)
	ClientAddr string        // Redis 4.0
	ClientName string        // Redis 4.0
}

func srvToSlowLog(v resp.Value) ([]SlowLogEntry, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]SlowLogEntry, len(elems))
	for i, e := range elems {
		parts, err := e.AsValues()
		if err != nil {
			return nil, err
		}
		if len(parts) < 4 {
			return nil, unexpected(e, "SlowLogEntry")
		}
		en := &out[i]
		var ns [3]int64
		for j := range ns {
			if ns[j], err = parts[j].AsInt64(); err != nil {
				return nil, err
			}
		}
		en.ID, en.Time, en.Duration = ns[0], time.Unix(ns[1], 0), time.Duration(ns[2])*time.Microsecond
		if en.Args, err = parts[3].AsStrings(); err != nil {
			return nil, err
		}
		if len(parts) >= 6 {
			if en.ClientAddr, err = parts[4].AsString(); err != nil {
				return nil, err
			}
			if en.ClientName, err = parts[5].AsString(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
