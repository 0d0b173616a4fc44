package client

import (
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Conversions for the stream group. Each gives the same Go value for a
// RESP2 and a RESP3 reply: where RESP3 sends a map (XREAD, XINFO), RESP2
// sends a flat array of keys and values, or an array of pairs.

// streamToMessage reads one entry: [id, [field, value, ...]]; the values
// are null for an entry deleted while pending.
func streamToMessage(v resp.Value) (XMessage, error) {
	parts, err := v.AsValues()
	if err != nil {
		return XMessage{}, err
	}
	if len(parts) != 2 {
		return XMessage{}, unexpected(v, "XMessage")
	}
	id, err := parts[0].AsString()
	if err != nil {
		return XMessage{}, err
	}
	m := XMessage{ID: id}
	if parts[1].IsNull() {
		return m, nil
	}
	if m.Values, err = parts[1].AsStrings(); err != nil {
		return XMessage{}, err
	}
	if len(m.Values)%2 != 0 {
		return XMessage{}, unexpected(parts[1], "field/value pairs")
	}
	return m, nil
}

// streamToMessages reads an array of entries; a null element (an entry
// deleted meanwhile, as Redis before 7.0 reports it in XCLAIM) is left out.
func streamToMessages(v resp.Value) ([]XMessage, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]XMessage, 0, len(elems))
	for _, e := range elems {
		if e.IsNull() {
			continue
		}
		m, err := streamToMessage(e)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// streamToStreams reads XREAD and XREADGROUP: a map of stream name to
// entries (RESP3), an array of [name, entries] pairs (RESP2), or null when
// nothing was read.
func streamToStreams(v resp.Value) ([]XStream, error) {
	if v.IsNull() {
		return nil, nil
	}
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	var pairs []resp.Value
	if v.Kind == resp.KindMap {
		pairs = elems
	} else {
		pairs = make([]resp.Value, 0, 2*len(elems))
		for _, e := range elems {
			kv, err := e.AsValues()
			if err != nil {
				return nil, err
			}
			if len(kv) != 2 {
				return nil, unexpected(e, "XStream")
			}
			pairs = append(pairs, kv...)
		}
	}
	out := make([]XStream, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		name, err := pairs[i].AsString()
		if err != nil {
			return nil, err
		}
		msgs, err := streamToMessages(pairs[i+1])
		if err != nil {
			return nil, err
		}
		out = append(out, XStream{Stream: name, Messages: msgs})
	}
	return out, nil
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

// streamFields reads the maps of XINFO, keeping the first error: a field
// missing from the reply (one that an older Redis does not send) reads as
// its zero value.
type streamFields struct {
	m   map[string]resp.Value
	err error
}

func streamFieldsOf(v resp.Value) (*streamFields, error) {
	m, err := v.AsMap()
	if err != nil {
		return nil, err
	}
	return &streamFields{m: m}, nil
}

func (s *streamFields) int(k string) int64 {
	n, _ := s.optInt(k)
	return n
}

// optInt reads an integer that may be null (entries-read, lag).
func (s *streamFields) optInt(k string) (int64, bool) {
	v, ok := s.m[k]
	if !ok || v.IsNull() || s.err != nil {
		return 0, false
	}
	n, err := v.AsInt64()
	if err != nil {
		s.err = err
		return 0, false
	}
	return n, true
}

func (s *streamFields) str(k string) string {
	v, ok := s.m[k]
	if !ok || v.IsNull() || s.err != nil {
		return ""
	}
	str, err := v.AsString()
	if err != nil {
		s.err = err
	}
	return str
}

func (s *streamFields) millis(k string) time.Duration {
	return time.Duration(s.int(k)) * time.Millisecond
}

// unixMillis reads a Unix time in milliseconds; missing is the zero time.
func (s *streamFields) unixMillis(k string) time.Time {
	n, ok := s.optInt(k)
	if !ok {
		return time.Time{}
	}
	return time.UnixMilli(n)
}

func (s *streamFields) message(k string) XMessage {
	v, ok := s.m[k]
	if !ok || v.IsNull() || s.err != nil {
		return XMessage{}
	}
	m, err := streamToMessage(v)
	if err != nil {
		s.err = err
	}
	return m
}

// list returns the elements of an array field (nil when missing or null).
func (s *streamFields) list(k string) []resp.Value {
	v, ok := s.m[k]
	if !ok || v.IsNull() || s.err != nil {
		return nil
	}
	elems, err := v.AsValues()
	if err != nil {
		s.err = err
	}
	return elems
}

// streamToInfo reads XINFO STREAM.
func streamToInfo(v resp.Value) (XInfoStream, error) {
	s, err := streamFieldsOf(v)
	if err != nil {
		return XInfoStream{}, err
	}
	info := XInfoStream{
		Length:               s.int("length"),
		RadixTreeKeys:        s.int("radix-tree-keys"),
		RadixTreeNodes:       s.int("radix-tree-nodes"),
		Groups:               s.int("groups"),
		LastGeneratedID:      s.str("last-generated-id"),
		MaxDeletedEntryID:    s.str("max-deleted-entry-id"),
		EntriesAdded:         s.int("entries-added"),
		RecordedFirstEntryID: s.str("recorded-first-entry-id"),
		FirstEntry:           s.message("first-entry"),
		LastEntry:            s.message("last-entry"),
	}
	if s.err != nil {
		return XInfoStream{}, s.err
	}
	return info, nil
}

// streamToInfoFull reads XINFO STREAM FULL.
func streamToInfoFull(v resp.Value) (XInfoStreamFull, error) {
	s, err := streamFieldsOf(v)
	if err != nil {
		return XInfoStreamFull{}, err
	}
	info := XInfoStreamFull{
		Length:               s.int("length"),
		RadixTreeKeys:        s.int("radix-tree-keys"),
		RadixTreeNodes:       s.int("radix-tree-nodes"),
		LastGeneratedID:      s.str("last-generated-id"),
		MaxDeletedEntryID:    s.str("max-deleted-entry-id"),
		EntriesAdded:         s.int("entries-added"),
		RecordedFirstEntryID: s.str("recorded-first-entry-id"),
	}
	if ev, ok := s.m["entries"]; ok && !ev.IsNull() {
		if info.Entries, err = streamToMessages(ev); err != nil {
			return XInfoStreamFull{}, err
		}
	}
	for _, gv := range s.list("groups") {
		g, err := streamToGroupFull(gv)
		if err != nil {
			return XInfoStreamFull{}, err
		}
		info.Groups = append(info.Groups, g)
	}
	if s.err != nil {
		return XInfoStreamFull{}, s.err
	}
	return info, nil
}

func streamToGroupFull(v resp.Value) (XInfoGroupFull, error) {
	s, err := streamFieldsOf(v)
	if err != nil {
		return XInfoGroupFull{}, err
	}
	g := XInfoGroupFull{
		Name:            s.str("name"),
		LastDeliveredID: s.str("last-delivered-id"),
		PendingCount:    s.int("pel-count"),
	}
	g.EntriesRead, g.EntriesReadValid = s.optInt("entries-read")
	g.Lag, g.LagValid = s.optInt("lag")
	for _, pv := range s.list("pending") {
		p, err := streamToPendingEntry(pv, true)
		if err != nil {
			return XInfoGroupFull{}, err
		}
		g.Pending = append(g.Pending, p)
	}
	for _, cv := range s.list("consumers") {
		cs, err := streamFieldsOf(cv)
		if err != nil {
			return XInfoGroupFull{}, err
		}
		c := XInfoConsumerFull{
			Name:         cs.str("name"),
			SeenTime:     cs.unixMillis("seen-time"),
			ActiveTime:   cs.unixMillis("active-time"),
			PendingCount: cs.int("pel-count"),
		}
		for _, pv := range cs.list("pending") {
			p, err := streamToPendingEntry(pv, false)
			if err != nil {
				return XInfoGroupFull{}, err
			}
			c.Pending = append(c.Pending, p)
		}
		if cs.err != nil {
			return XInfoGroupFull{}, cs.err
		}
		g.Consumers = append(g.Consumers, c)
	}
	if s.err != nil {
		return XInfoGroupFull{}, s.err
	}
	return g, nil
}

// streamToPendingEntry reads [id, consumer, delivery ms, count] (a group's
// list) or [id, delivery ms, count] (a consumer's).
func streamToPendingEntry(v resp.Value, withConsumer bool) (XPendingEntry, error) {
	parts, err := v.AsValues()
	if err != nil {
		return XPendingEntry{}, err
	}
	want := 3
	if withConsumer {
		want = 4
	}
	if len(parts) != want {
		return XPendingEntry{}, unexpected(v, "XPendingEntry")
	}
	var p XPendingEntry
	if p.ID, err = parts[0].AsString(); err != nil {
		return XPendingEntry{}, err
	}
	rest := parts[1:]
	if withConsumer {
		if p.Consumer, err = parts[1].AsString(); err != nil {
			return XPendingEntry{}, err
		}
		rest = parts[2:]
	}
	ms, err := rest[0].AsInt64()
	if err != nil {
		return XPendingEntry{}, err
	}
	p.DeliveryTime = time.UnixMilli(ms)
	if p.DeliveryCount, err = rest[1].AsInt64(); err != nil {
		return XPendingEntry{}, err
	}
	return p, nil
}

// streamToInfoGroups reads XINFO GROUPS: an array of maps.
func streamToInfoGroups(v resp.Value) ([]XInfoGroup, error) {
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

// streamToInfoConsumers reads XINFO CONSUMERS: an array of maps.
func streamToInfoConsumers(v resp.Value) ([]XInfoConsumer, error) {
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
