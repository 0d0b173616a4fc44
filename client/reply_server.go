package client

import (
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of cmd_server.go (INFO, ROLE) and their decoders, and
// the decoders shared by the server group's reply files. Each decoder
// gives the same Go value for a RESP2 and a RESP3 reply.

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

func srvOptStrings(v resp.Value) ([]string, error) {
	if v.Kind == resp.KindInvalid || v.IsNull() {
		return nil, nil
	}
	return v.AsStrings()
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
