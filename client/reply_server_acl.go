package client

import (
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of ACL (cmd_server_acl.go) and their decoders. Each
// decoder gives the same Go value for a RESP2 and a RESP3 reply.

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
