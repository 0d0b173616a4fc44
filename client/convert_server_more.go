package client

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// More result types and conversions of the server group (see convert_server.go).

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
