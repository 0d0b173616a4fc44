package client

import (
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of the consumer-group commands of the stream group
// (cmd_stream_group.go) and their decoders.

// XClaimResult is the answer of XClaimWith: the IDs claimed and, without
// JustID, their entries.
type XClaimResult struct {
	IDs      []string
	Messages []XMessage
}

func streamMessageIDs(msgs []XMessage) []string {
	ids := make([]string, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	return ids
}

// streamToClaimed reads XCLAIM without JUSTID.
func streamToClaimed(v resp.Value) (XClaimResult, error) {
	msgs, err := streamToMessages(v)
	if err != nil {
		return XClaimResult{}, err
	}
	return XClaimResult{IDs: streamMessageIDs(msgs), Messages: msgs}, nil
}

// streamToClaimedIDs reads XCLAIM ... JUSTID: an array of IDs.
func streamToClaimedIDs(v resp.Value) (XClaimResult, error) {
	ids, err := v.AsStrings()
	if err != nil {
		return XClaimResult{}, err
	}
	return XClaimResult{IDs: ids}, nil
}

// XAutoClaimResult is the answer of XAUTOCLAIM: the ID to start the next
// call from ("0-0" when the scan is complete), the IDs claimed with their
// entries (Messages is nil under JustID), and the IDs of pending entries
// that no longer existed and were dropped from the pending list (Redis
// 7.0; nil before).
type XAutoClaimResult struct {
	Next     string
	IDs      []string
	Messages []XMessage
	Deleted  []string
}

// streamAutoClaimHead reads the next ID and the deleted IDs of
// XAUTOCLAIM ([next, claimed, deleted]; Redis 6.2 sends no deleted) and
// returns the claimed element.
func streamAutoClaimHead(v resp.Value) (XAutoClaimResult, resp.Value, error) {
	parts, err := v.AsValues()
	if err != nil {
		return XAutoClaimResult{}, resp.Value{}, err
	}
	if len(parts) != 2 && len(parts) != 3 {
		return XAutoClaimResult{}, resp.Value{}, unexpected(v, "XAutoClaimResult")
	}
	var r XAutoClaimResult
	if r.Next, err = parts[0].AsString(); err != nil {
		return XAutoClaimResult{}, resp.Value{}, err
	}
	if len(parts) == 3 {
		if r.Deleted, err = parts[2].AsStrings(); err != nil {
			return XAutoClaimResult{}, resp.Value{}, err
		}
	}
	return r, parts[1], nil
}

func streamToAutoClaim(v resp.Value) (XAutoClaimResult, error) {
	r, claimed, err := streamAutoClaimHead(v)
	if err != nil {
		return XAutoClaimResult{}, err
	}
	if r.Messages, err = streamToMessages(claimed); err != nil {
		return XAutoClaimResult{}, err
	}
	r.IDs = streamMessageIDs(r.Messages)
	return r, nil
}

func streamToAutoClaimIDs(v resp.Value) (XAutoClaimResult, error) {
	r, claimed, err := streamAutoClaimHead(v)
	if err != nil {
		return XAutoClaimResult{}, err
	}
	if r.IDs, err = claimed.AsStrings(); err != nil {
		return XAutoClaimResult{}, err
	}
	return r, nil
}

// XPending is the summary of a group's pending entries: their number, the
// lowest and highest pending IDs ("" when none) and the count per
// consumer.
type XPending struct {
	Count     int64
	Lowest    string
	Highest   string
	Consumers map[string]int64
}

// streamToPending reads the XPENDING summary: [count, lowest, highest,
// [[consumer, count], ...]], the last three null when nothing is pending.
func streamToPending(v resp.Value) (XPending, error) {
	parts, err := v.AsValues()
	if err != nil {
		return XPending{}, err
	}
	if len(parts) != 4 {
		return XPending{}, unexpected(v, "XPending")
	}
	var p XPending
	if p.Count, err = parts[0].AsInt64(); err != nil {
		return XPending{}, err
	}
	if p.Lowest, err = toOptionalString(parts[1]); err != nil {
		return XPending{}, err
	}
	if p.Highest, err = toOptionalString(parts[2]); err != nil {
		return XPending{}, err
	}
	if parts[3].IsNull() {
		return p, nil
	}
	consumers, err := parts[3].AsValues()
	if err != nil {
		return XPending{}, err
	}
	p.Consumers = make(map[string]int64, len(consumers))
	for _, cv := range consumers {
		pair, err := cv.AsValues()
		if err != nil {
			return XPending{}, err
		}
		if len(pair) != 2 {
			return XPending{}, unexpected(cv, "consumer count")
		}
		name, err := pair[0].AsString()
		if err != nil {
			return XPending{}, err
		}
		if p.Consumers[name], err = pair[1].AsInt64(); err != nil {
			return XPending{}, err
		}
	}
	return p, nil
}

// XPendingExt is one pending entry: its ID, the consumer it was delivered
// to, the time since that delivery and how many times it was delivered.
type XPendingExt struct {
	ID            string
	Consumer      string
	Idle          time.Duration
	DeliveryCount int64
}

// streamToPendingExt reads the extended XPENDING: [[id, consumer, idle
// ms, deliveries], ...].
func streamToPendingExt(v resp.Value) ([]XPendingExt, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]XPendingExt, len(elems))
	for i, e := range elems {
		parts, err := e.AsValues()
		if err != nil {
			return nil, err
		}
		if len(parts) != 4 {
			return nil, unexpected(e, "XPendingExt")
		}
		p := &out[i]
		if p.ID, err = parts[0].AsString(); err != nil {
			return nil, err
		}
		if p.Consumer, err = parts[1].AsString(); err != nil {
			return nil, err
		}
		idle, err := parts[2].AsInt64()
		if err != nil {
			return nil, err
		}
		p.Idle = time.Duration(idle) * time.Millisecond
		if p.DeliveryCount, err = parts[3].AsInt64(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// XInfoGroup describes one consumer group (XINFO GROUPS). EntriesRead and
// Lag are valid only when Redis knows them (EntriesReadValid, LagValid;
// Redis 7.0).
type XInfoGroup struct {
	Name             string
	Consumers        int64
	Pending          int64
	LastDeliveredID  string
	EntriesRead      int64
	EntriesReadValid bool
	Lag              int64
	LagValid         bool
}

// streamToGroups reads XINFO GROUPS: an array of maps.
func streamToGroups(v resp.Value) ([]XInfoGroup, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]XInfoGroup, len(elems))
	for i, e := range elems {
		s, err := streamFieldsOf(e)
		if err != nil {
			return nil, err
		}
		g := XInfoGroup{
			Name:            s.str("name"),
			Consumers:       s.int("consumers"),
			Pending:         s.int("pending"),
			LastDeliveredID: s.str("last-delivered-id"),
		}
		g.EntriesRead, g.EntriesReadValid = s.optInt("entries-read")
		g.Lag, g.LagValid = s.optInt("lag")
		if s.err != nil {
			return nil, s.err
		}
		out[i] = g
	}
	return out, nil
}

// XInfoConsumer describes one consumer of a group (XINFO CONSUMERS): its
// pending entries, the time since its last attempted interaction (Idle)
// and since its last successful one (Inactive, Redis 7.2; 0 before).
type XInfoConsumer struct {
	Name     string
	Pending  int64
	Idle     time.Duration
	Inactive time.Duration
}

// streamToConsumers reads XINFO CONSUMERS: an array of maps.
func streamToConsumers(v resp.Value) ([]XInfoConsumer, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]XInfoConsumer, len(elems))
	for i, e := range elems {
		s, err := streamFieldsOf(e)
		if err != nil {
			return nil, err
		}
		out[i] = XInfoConsumer{
			Name:     s.str("name"),
			Pending:  s.int("pending"),
			Idle:     s.millis("idle"),
			Inactive: s.millis("inactive"),
		}
		if s.err != nil {
			return nil, s.err
		}
	}
	return out, nil
}
