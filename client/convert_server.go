package client

import (
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
