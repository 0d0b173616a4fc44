package client

import (
	"context"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// HOTKEYS (Redis 8.6): a sampling session that finds the keys costing the
// server most CPU time or network bytes. A session belongs to the node it
// runs on: on a ClusterClient, send these to each node with
// ForEachPrimary (or the node's Client).

// HotKeysOptions are the arguments of HOTKEYS START.
type HotKeysOptions struct {
	// CPU and Network choose the metrics to rank keys by: CPU time and
	// network bytes (METRICS n CPU NET). At least one.
	CPU, Network bool
	// Count is how many top keys to keep per metric (COUNT); 0: the
	// server's default.
	Count int64
	// Duration stops the session after this long (DURATION, in whole
	// seconds); 0 runs it until HotKeysStop.
	Duration time.Duration
	// SampleRatio samples each command with probability 1/SampleRatio
	// (SAMPLE); 0: every command.
	SampleRatio int64
	// Slots restricts the session to keys of these slots (SLOTS n
	// slot...); empty: every slot.
	Slots []int
}

// HotKeysStart sends HOTKEYS START METRICS n [CPU] [NET] [COUNT k]
// [DURATION seconds] [SAMPLE ratio] [SLOTS n slot...]: it starts a
// session and returns "OK"; a session already running is an error. Since
// Redis 8.6.0.
func (c cmds) HotKeysStart(ctx context.Context, opts HotKeysOptions) *Future[string] {
	f := newFuture(c.s, ctx, "HOTKEYS START", 0, toStatus)
	metrics := 0
	for _, on := range []bool{opts.CPU, opts.Network} {
		if on {
			metrics++
		}
	}
	if metrics == 0 {
		f.b.fail("HotKeysStart needs CPU or Network")
	}
	f.b.str("METRICS").int(int64(metrics)).strIf(opts.CPU, "CPU").strIf(opts.Network, "NET")
	switch {
	case opts.Count < 0 || opts.SampleRatio < 0:
		f.b.fail("HotKeysOptions.Count and SampleRatio must not be negative")
	case opts.Duration < 0 || opts.Duration%time.Second != 0:
		f.b.fail("HotKeysOptions.Duration must be whole seconds")
	}
	if opts.Count > 0 {
		f.b.str("COUNT").int(opts.Count)
	}
	if opts.Duration > 0 {
		f.b.str("DURATION").sec(opts.Duration)
	}
	if opts.SampleRatio > 0 {
		f.b.str("SAMPLE").int(opts.SampleRatio)
	}
	if len(opts.Slots) > 0 {
		f.b.str("SLOTS").int(int64(len(opts.Slots)))
		for _, s := range opts.Slots {
			if s < 0 || s > 16383 {
				f.b.fail("HotKeysOptions.Slots needs slots from 0 to 16383")
			}
			f.b.int(int64(s))
		}
	}
	return send(c.s, f)
}

// HotKeysStop sends HOTKEYS STOP: it stops the session, keeping its
// results for HotKeysGet, and returns "OK". Since Redis 8.6.0.
func (c cmds) HotKeysStop(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "HOTKEYS STOP", 0, toStatus)
	return send(c.s, f)
}

// HotKeysReset sends HOTKEYS RESET: it drops the results of a stopped
// session and returns "OK". Since Redis 8.6.0.
func (c cmds) HotKeysReset(ctx context.Context) *Future[string] {
	f := newFuture(c.s, ctx, "HOTKEYS RESET", 0, toStatus)
	return send(c.s, f)
}

// HotKeysGet sends HOTKEYS GET and returns the results of the running or
// last session; no session gives ErrNil. Since Redis 8.6.0.
func (c cmds) HotKeysGet(ctx context.Context) *Future[HotKeys] {
	// Not ReadOnly: a replica has its own session, or none.
	f := newFuture(c.s, ctx, "HOTKEYS GET", idem, toHotKeys)
	return send(c.s, f)
}

// HotKeys is the reply of HOTKEYS GET.
type HotKeys struct {
	// Active tells a running session from a stopped one.
	Active bool
	// SampleRatio is the session's sampling ratio (1: every command).
	SampleRatio int64
	// Slots are the slots the session was restricted to; empty for all.
	Slots []SlotRange
	// Started is when the session started, Duration how long it has run.
	Started  time.Time
	Duration time.Duration
	// AllCommandsCPU and AllCommandsNetBytes are the CPU time and network
	// bytes of every command of every tracked slot.
	AllCommandsCPU      time.Duration
	AllCommandsNetBytes int64
	// UserCPU and SystemCPU are the server's CPU time over the session
	// (with the CPU metric), NetBytes its network bytes (with the network
	// metric).
	UserCPU, SystemCPU time.Duration
	NetBytes           int64
	// ByCPU ranks the keys by CPU time (in microseconds), ByNetwork by
	// network bytes, the hottest first; each only with its metric.
	ByCPU, ByNetwork []HotKey
}

// HotKey is one key of a HOTKEYS GET ranking and its metric.
type HotKey struct {
	Key   string
	Value int64
}

// toHotKeys reads HOTKEYS GET: a map (RESP3) or a flat field/value array
// (RESP2); null when there is no session.
func toHotKeys(v resp.Value) (HotKeys, error) {
	if v.IsNull() {
		return HotKeys{}, ErrNil
	}
	var h HotKeys
	var active, allCPU, started, duration, userMS, sysMS int64
	m, err := readFields(v, nil, map[string]*int64{"tracking-active": &active, "sample-ratio": &h.SampleRatio,
		"all-commands-all-slots-us": &allCPU, "net-bytes-all-commands-all-slots": &h.AllCommandsNetBytes,
		"collection-start-time-unix-ms": &started, "collection-duration-ms": &duration,
		"total-cpu-time-user-ms": &userMS, "total-cpu-time-sys-ms": &sysMS, "total-net-bytes": &h.NetBytes})
	if err != nil {
		return HotKeys{}, err
	}
	h.Active = active != 0
	h.AllCommandsCPU = time.Duration(allCPU) * time.Microsecond
	if started != 0 {
		h.Started = time.UnixMilli(started)
	}
	h.Duration = time.Duration(duration) * time.Millisecond
	h.UserCPU = time.Duration(userMS) * time.Millisecond
	h.SystemCPU = time.Duration(sysMS) * time.Millisecond
	if h.ByCPU, err = hotKeyRanking(m["by-cpu-time-us"]); err != nil {
		return HotKeys{}, err
	}
	if h.ByNetwork, err = hotKeyRanking(m["by-net-bytes"]); err != nil {
		return HotKeys{}, err
	}
	if h.Slots, err = hotKeySlots(m["selected-slots"]); err != nil {
		return HotKeys{}, err
	}
	return h, nil
}

// hotKeyRanking reads [key, value, ...] (or a map in RESP3), in order;
// an absent ranking is nil.
func hotKeyRanking(v resp.Value) ([]HotKey, error) {
	if v.Kind == resp.KindInvalid || v.IsNull() {
		return nil, nil
	}
	pairs, err := v.AsPairs()
	if err != nil {
		return nil, err
	}
	out := make([]HotKey, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		var k HotKey
		if k.Key, err = pairs[i].AsString(); err != nil {
			return nil, err
		}
		if k.Value, err = pairs[i+1].AsInt64(); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

// hotKeySlots reads the selected slots: each a slot or a [start, end]
// range.
func hotKeySlots(v resp.Value) ([]SlotRange, error) {
	if v.Kind == resp.KindInvalid || v.IsNull() {
		return nil, nil
	}
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]SlotRange, 0, len(elems))
	for _, e := range elems {
		if e.Kind == resp.KindArray {
			ends, err := e.AsInt64s()
			if err != nil {
				return nil, err
			}
			if len(ends) != 2 {
				return nil, unexpected(e, "slot range")
			}
			out = append(out, SlotRange{Start: int(ends[0]), End: int(ends[1])})
			continue
		}
		s, err := e.AsInt64()
		if err != nil {
			return nil, err
		}
		out = append(out, SlotRange{Start: int(s), End: int(s)})
	}
	return out, nil
}
