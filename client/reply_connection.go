package client

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of the connection group and their decoders. Like those
// in reply.go, each decoder is a plain function (no closure) and gives the
// same Go value for a RESP2 and a RESP3 reply.

// ClientInfo is one connection as CLIENT INFO and CLIENT LIST describe it.
// Each field names the Redis field it comes from; fields this version does
// not know (lib-name and lib-ver of Redis 7.2, ...) are kept in Other.
type ClientInfo struct {
	ID                   int64             // id: unique, never reused
	Addr                 string            // addr: the client's address
	LocalAddr            string            // laddr: the server side of the connection
	FD                   int64             // fd: its socket, -1 for internal clients
	Name                 string            // name: set with CLIENT SETNAME
	Age                  time.Duration     // age: since it connected, to the second
	Idle                 time.Duration     // idle: since its last command, to the second
	Flags                string            // flags: one letter each, e.g. "N" (none), "b" (blocked), "x" (in MULTI)
	DB                   int               // db: its selected database
	Subscriptions        int64             // sub: channel subscriptions
	PatternSubscriptions int64             // psub: pattern subscriptions
	ShardSubscriptions   int64             // ssub: shard channel subscriptions (Redis 7.0.3+)
	MultiCommands        int64             // multi: commands queued in MULTI, -1 outside one
	QueryBuffer          int64             // qbuf: query buffer length, in bytes
	QueryBufferFree      int64             // qbuf-free: free space in the query buffer
	ArgvMemory           int64             // argv-mem: arguments of the next command
	MultiMemory          int64             // multi-mem: commands queued in MULTI
	ReadBufferSize       int64             // rbs: read buffer size
	ReadBufferPeak       int64             // rbp: read buffer peak since its last resize
	OutputBufferLength   int64             // obl: output buffer length
	OutputListLength     int64             // oll: replies queued in the output list
	OutputMemory         int64             // omem: output memory
	TotalMemory          int64             // tot-mem: all memory it uses
	Events               string            // events: "r", "w" or "rw"
	Cmd                  string            // cmd: its last command, e.g. "client|info"
	User                 string            // user: its ACL user
	Redirect             int64             // redir: client ID receiving its tracking invalidations, -1 for none
	Protocol             int               // resp: 2 or 3
	Other                map[string]string // fields not listed above, by their Redis name; nil when none
}

// toClientInfo reads CLIENT INFO: one line of name=value fields.
func toClientInfo(v resp.Value) (ClientInfo, error) {
	s, err := v.AsString()
	if err != nil {
		return ClientInfo{}, err
	}
	return parseClientInfo(strings.TrimRight(s, "\r\n")), nil
}

// toClientInfos reads CLIENT LIST: one CLIENT INFO line per client.
func toClientInfos(v resp.Value) ([]ClientInfo, error) {
	s, err := v.AsString()
	if err != nil {
		return nil, err
	}
	var out []ClientInfo
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		out = append(out, parseClientInfo(line))
	}
	return out, nil
}

// parseClientInfo reads "id=3 addr=... name= ...". Values hold no spaces
// (Redis refuses client names with spaces). A known field whose value does
// not parse is kept in Other instead, so a format change in a later Redis
// never fails the whole reply.
func parseClientInfo(line string) ClientInfo {
	var ci ClientInfo
	other := func(k, val string) {
		if ci.Other == nil {
			ci.Other = make(map[string]string)
		}
		ci.Other[k] = val
	}
	for field := range strings.FieldsSeq(line) {
		k, val, _ := strings.Cut(field, "=")
		if p := ci.intField(k); p != nil {
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				other(k, val)
				continue
			}
			*p = n
			continue
		}
		switch k {
		case "addr":
			ci.Addr = val
		case "laddr":
			ci.LocalAddr = val
		case "name":
			ci.Name = val
		case "flags":
			ci.Flags = val
		case "events":
			ci.Events = val
		case "cmd":
			ci.Cmd = val
		case "user":
			ci.User = val
		case "age", "idle", "db", "resp":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil {
				other(k, val)
				continue
			}
			switch k {
			case "age":
				ci.Age = time.Duration(n) * time.Second
			case "idle":
				ci.Idle = time.Duration(n) * time.Second
			case "db":
				ci.DB = int(n)
			case "resp":
				ci.Protocol = int(n)
			}
		default:
			other(k, val)
		}
	}
	return ci
}

// intField returns the int64 field named k by Redis, or nil.
func (ci *ClientInfo) intField(k string) *int64 {
	switch k {
	case "id":
		return &ci.ID
	case "fd":
		return &ci.FD
	case "sub":
		return &ci.Subscriptions
	case "psub":
		return &ci.PatternSubscriptions
	case "ssub":
		return &ci.ShardSubscriptions
	case "multi":
		return &ci.MultiCommands
	case "qbuf":
		return &ci.QueryBuffer
	case "qbuf-free":
		return &ci.QueryBufferFree
	case "argv-mem":
		return &ci.ArgvMemory
	case "multi-mem":
		return &ci.MultiMemory
	case "rbs":
		return &ci.ReadBufferSize
	case "rbp":
		return &ci.ReadBufferPeak
	case "obl":
		return &ci.OutputBufferLength
	case "oll":
		return &ci.OutputListLength
	case "omem":
		return &ci.OutputMemory
	case "tot-mem":
		return &ci.TotalMemory
	case "redir":
		return &ci.Redirect
	}
	return nil
}

// TrackingInfo is the client-side caching state of a connection, as CLIENT
// TRACKINGINFO reports it.
type TrackingInfo struct {
	// Flags are the server's words: "off" or "on", then any of "bcast",
	// "optin", "optout", "caching-yes", "caching-no", "noloop",
	// "broken_redirect".
	Flags []string
	// Redirect is the ID of the client receiving the invalidations; 0 when
	// they come to this connection itself (RESP3), -1 when tracking is off.
	Redirect int64
	// Prefixes are the key prefixes of broadcasting mode.
	Prefixes []string
}

// Enabled reports whether tracking is on.
func (t TrackingInfo) Enabled() bool { return slices.Contains(t.Flags, "on") }

// toTrackingInfo reads CLIENT TRACKINGINFO: a map (RESP3) or flat array
// (RESP2) of flags, redirect and prefixes.
func toTrackingInfo(v resp.Value) (TrackingInfo, error) {
	m, err := v.AsMap()
	if err != nil {
		return TrackingInfo{}, err
	}
	var ti TrackingInfo
	if ti.Flags, err = m["flags"].AsStrings(); err != nil {
		return TrackingInfo{}, err
	}
	if ti.Redirect, err = m["redirect"].AsInt64(); err != nil {
		return TrackingInfo{}, err
	}
	if ti.Prefixes, err = m["prefixes"].AsStrings(); err != nil {
		return TrackingInfo{}, err
	}
	return ti, nil
}

// toReplyStatus reads CLIENT REPLY: "OK" for ON, and for OFF and SKIP,
// which get no reply (the connection completes them with a null value
// once written), "OK" as well.
func toReplyStatus(v resp.Value) (string, error) {
	if v.IsNull() {
		return "OK", nil
	}
	return v.AsString()
}
