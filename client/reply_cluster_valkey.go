package client

import (
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of the Valkey cluster commands (CLUSTER SLOT-STATS,
// CLUSTERSCAN, CLUSTER GETSLOTMIGRATIONS) and their decoders; each gives
// the same Go value for a RESP2 and a RESP3 reply.

// SlotStats is the usage of one slot, from CLUSTER SLOT-STATS.
type SlotStats struct {
	Slot     int
	KeyCount int64
	// CPU is the time the slot's commands ran, to the microsecond
	// (cpu-usec; with cluster-slot-stats-enabled yes).
	CPU time.Duration
	// NetworkBytesIn and NetworkBytesOut are the bytes the slot's
	// commands read and wrote (with cluster-slot-stats-enabled yes).
	NetworkBytesIn, NetworkBytesOut int64
	// Metrics holds every metric as the server named it, those above and
	// any a newer server adds.
	Metrics map[string]int64
}

// toSlotStats reads [[slot, {metric: n, ...}], ...], the map a flat array
// under RESP2.
func toSlotStats(v resp.Value) ([]SlotStats, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]SlotStats, len(elems))
	for i, e := range elems {
		parts, err := e.AsValues()
		if err != nil {
			return nil, err
		}
		if len(parts) != 2 {
			return nil, unexpected(e, "SlotStats")
		}
		slot, err := parts[0].AsInt64()
		if err != nil {
			return nil, err
		}
		m, err := parts[1].AsMap()
		if err != nil {
			return nil, err
		}
		st := SlotStats{Slot: int(slot), Metrics: make(map[string]int64, len(m))}
		for name, mv := range m {
			n, err := mv.AsInt64()
			if err != nil {
				return nil, err
			}
			st.Metrics[name] = n
		}
		st.KeyCount = st.Metrics["key-count"]
		st.CPU = time.Duration(st.Metrics["cpu-usec"]) * time.Microsecond
		st.NetworkBytesIn = st.Metrics["network-bytes-in"]
		st.NetworkBytesOut = st.Metrics["network-bytes-out"]
		out[i] = st
	}
	return out, nil
}

// ClusterScanPage is one page of CLUSTERSCAN: the keys it found and the
// cursor of the next page ("0" when the scan is over).
type ClusterScanPage struct {
	Cursor string
	Keys   []string
}

// toClusterScanPage reads [cursor, [key, ...]].
func toClusterScanPage(v resp.Value) (ClusterScanPage, error) {
	elems, err := v.AsValues()
	if err != nil {
		return ClusterScanPage{}, err
	}
	if len(elems) != 2 {
		return ClusterScanPage{}, unexpected(v, "ClusterScanPage")
	}
	var p ClusterScanPage
	if p.Cursor, err = elems[0].AsString(); err != nil {
		return ClusterScanPage{}, err
	}
	if p.Keys, err = elems[1].AsStrings(); err != nil {
		return ClusterScanPage{}, err
	}
	return p, nil
}

// SlotMigrationJob is one slot migration of CLUSTER GETSLOTMIGRATIONS.
type SlotMigrationJob struct {
	// Name identifies the migration (40 hex digits). Valkey sends it as
	// "name"; its reply schema says "link_name", which is read too.
	Name string
	// Operation is "IMPORT" on the target, "EXPORT" on the source.
	Operation  string
	Slots      []SlotRange
	SourceNode string
	TargetNode string
	Created    time.Time
	LastUpdate time.Time
	LastAck    time.Time
	// State and Message say how far it got, in the server's words.
	State   string
	Message string
	// CopyOnWriteSize is the bytes copied on write during the
	// migration's fork (cow_size).
	CopyOnWriteSize int64
	// RemainingReplicationSize is the bytes of the migration's stream
	// not yet sent to the target (remaining_repl_size; not in the reply
	// schema, sent by Valkey 9).
	RemainingReplicationSize int64
}

// toSlotMigrationJobs reads an array of maps (flat arrays under RESP2).
// Fields the server does not send stay zero; unknown ones are ignored.
func toSlotMigrationJobs(v resp.Value) ([]SlotMigrationJob, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]SlotMigrationJob, len(elems))
	for i, e := range elems {
		m, err := e.AsMap()
		if err != nil {
			return nil, err
		}
		j := &out[i]
		for name, dst := range map[string]*string{"name": &j.Name, "link_name": &j.Name, "operation": &j.Operation,
			"source_node": &j.SourceNode, "target_node": &j.TargetNode, "state": &j.State, "message": &j.Message} {
			if fv, ok := m[name]; ok {
				if *dst, err = fv.AsString(); err != nil {
					return nil, err
				}
			}
		}
		for name, dst := range map[string]*time.Time{"create_time": &j.Created,
			"last_update_time": &j.LastUpdate, "last_ack_time": &j.LastAck} {
			if fv, ok := m[name]; ok {
				secs, err := fv.AsInt64()
				if err != nil {
					return nil, err
				}
				*dst = time.Unix(secs, 0)
			}
		}
		for name, dst := range map[string]*int64{"cow_size": &j.CopyOnWriteSize,
			"remaining_repl_size": &j.RemainingReplicationSize} {
			if fv, ok := m[name]; ok {
				if *dst, err = fv.AsInt64(); err != nil {
					return nil, err
				}
			}
		}
		if fv, ok := m["slot_ranges"]; ok {
			s, err := fv.AsString()
			if err != nil {
				return nil, err
			}
			if j.Slots, err = parseSlotRanges(s); err != nil {
				return nil, unexpected(fv, "SlotMigrationJob.Slots")
			}
		}
	}
	return out, nil
}

// parseSlotRanges reads "0-100 200-300".
func parseSlotRanges(s string) ([]SlotRange, error) {
	var out []SlotRange
	for _, f := range strings.Fields(s) {
		a, b, ok := strings.Cut(f, "-")
		if !ok {
			b = a
		}
		start, err := strconv.Atoi(a)
		if err != nil {
			return nil, err
		}
		end, err := strconv.Atoi(b)
		if err != nil {
			return nil, err
		}
		out = append(out, SlotRange{Start: start, End: end})
	}
	return out, nil
}
