package client

import (
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of the stream commands (cmd_stream.go) and their
// decoders; XMessage and XStream serve the group commands too. Each
// decoder gives the same Go value for a RESP2 and a RESP3 reply: where
// RESP3 sends a map (XREAD, XINFO), RESP2 sends a flat array of keys and
// values, or an array of pairs.

// XMessage is one stream entry: its ID and its field/value pairs in the
// order they were added (Redis keeps that order, so they are not a map;
// Map gives one). Values is nil for an entry that was deleted while it was
// pending, as XREADGROUP reports the history of a consumer.
type XMessage struct {
	ID     string
	Values []string // field0, value0, field1, value1, ...
	// Idle is the time since the entry was last delivered and Deliveries
	// how often it was, for an entry XREADGROUP CLAIM took over (Redis
	// 8.4); both are zero otherwise.
	Idle       time.Duration
	Deliveries int64
}

// Map returns the entry's fields as a map (a field given twice keeps its
// last value).
func (m XMessage) Map() map[string]string {
	out := make(map[string]string, len(m.Values)/2)
	for i := 0; i+1 < len(m.Values); i += 2 {
		out[m.Values[i]] = m.Values[i+1]
	}
	return out
}

// streamToMessage reads one entry: [id, [field, value, ...]], followed by
// [idle-ms, delivery-count] for an entry XREADGROUP CLAIM took over; the
// values are null for an entry deleted while pending.
func streamToMessage(v resp.Value) (XMessage, error) {
	parts, err := v.AsValues()
	if err != nil {
		return XMessage{}, err
	}
	if len(parts) != 2 && len(parts) != 4 {
		return XMessage{}, unexpected(v, "XMessage")
	}
	if len(parts) == 4 {
		m, err := streamToMessage(resp.Value{Kind: v.Kind, Elems: parts[:2]})
		if err != nil {
			return XMessage{}, err
		}
		idle, err := parts[2].AsInt64()
		if err != nil {
			return XMessage{}, err
		}
		m.Idle = time.Duration(idle) * time.Millisecond
		if m.Deliveries, err = parts[3].AsInt64(); err != nil {
			return XMessage{}, err
		}
		return m, nil
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

// XStream is the entries read from one stream by XREAD or XREADGROUP.
type XStream struct {
	Stream   string
	Messages []XMessage
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

// XInfoStream describes a stream (XINFO STREAM). FirstEntry and LastEntry
// are the zero XMessage for an empty stream. MaxDeletedEntryID,
// EntriesAdded and RecordedFirstEntryID come with Redis 7.0.
type XInfoStream struct {
	Length               int64
	RadixTreeKeys        int64
	RadixTreeNodes       int64
	Groups               int64
	LastGeneratedID      string
	MaxDeletedEntryID    string
	EntriesAdded         int64
	RecordedFirstEntryID string
	FirstEntry           XMessage
	LastEntry            XMessage
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

// XInfoStreamFull is the full description of a stream (XINFO STREAM
// FULL): its entries and its groups with their pending entries and
// consumers.
type XInfoStreamFull struct {
	Length               int64
	RadixTreeKeys        int64
	RadixTreeNodes       int64
	LastGeneratedID      string
	MaxDeletedEntryID    string
	EntriesAdded         int64
	RecordedFirstEntryID string
	Entries              []XMessage
	Groups               []XInfoGroupFull
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

// XInfoGroupFull is one group in XInfoStreamFull. EntriesRead and Lag are
// valid only when Redis knows them (EntriesReadValid, LagValid; Redis
// 7.0).
type XInfoGroupFull struct {
	Name             string
	LastDeliveredID  string
	EntriesRead      int64
	EntriesReadValid bool
	Lag              int64
	LagValid         bool
	PendingCount     int64
	Pending          []XPendingEntry
	Consumers        []XInfoConsumerFull
}

// XInfoConsumerFull is one consumer in XInfoGroupFull. SeenTime is its
// last attempted interaction; ActiveTime its last successful one (Redis
// 7.2; the zero time before).
type XInfoConsumerFull struct {
	Name         string
	SeenTime     time.Time
	ActiveTime   time.Time
	PendingCount int64
	Pending      []XPendingEntry
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
		p, err := streamPendingEntry(pv, true)
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
			p, err := streamPendingEntry(pv, false)
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

// XPendingEntry is a pending entry in XInfoStreamFull: delivered to
// Consumer (empty in a consumer's own list) at DeliveryTime,
// DeliveryCount times.
type XPendingEntry struct {
	ID            string
	Consumer      string
	DeliveryTime  time.Time
	DeliveryCount int64
}

// streamPendingEntry reads [id, consumer, delivery ms, count] (a group's
// list) or [id, delivery ms, count] (a consumer's).
func streamPendingEntry(v resp.Value, withConsumer bool) (XPendingEntry, error) {
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
