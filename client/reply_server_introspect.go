package client

import (
	"math"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of COMMAND, LATENCY, MEMORY, MODULE and SLOWLOG
// (cmd_server_introspect.go) and their decoders. Each decoder gives the
// same Go value for a RESP2 and a RESP3 reply.

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
