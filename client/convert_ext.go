package client

import (
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Conversions for the generic, string and connection groups. Like those in
// convert.go, each is a plain function (no closure) and gives the same Go
// value for a RESP2 and a RESP3 reply.

// unexpected is the error for a reply of the right kind but the wrong
// shape or value.
func unexpected(v resp.Value, want string) error {
	return &resp.TypeError{Kind: v.Kind, Want: want}
}

// ttlFrom reads TTL and PTTL: -2 (no key) is ErrNil, -1 (no expiry) is
// NoExpiry.
func ttlFrom(v resp.Value, unit time.Duration) (time.Duration, error) {
	n, err := v.AsInt64()
	switch {
	case err != nil:
		return 0, err
	case n == -2:
		return 0, ErrNil
	case n == -1:
		return NoExpiry, nil
	case n < 0:
		return 0, unexpected(v, "time.Duration")
	}
	return time.Duration(n) * unit, nil
}

func toTTLSeconds(v resp.Value) (time.Duration, error) { return ttlFrom(v, time.Second) }
func toTTLMillis(v resp.Value) (time.Duration, error)  { return ttlFrom(v, time.Millisecond) }

// unixFrom reads EXPIRETIME and PEXPIRETIME: -2 (no key) is ErrNil, -1 (no
// expiry) is the zero time.Time.
func unixFrom(v resp.Value, millis bool) (time.Time, error) {
	n, err := v.AsInt64()
	switch {
	case err != nil:
		return time.Time{}, err
	case n == -2:
		return time.Time{}, ErrNil
	case n == -1:
		return time.Time{}, nil
	case n < 0:
		return time.Time{}, unexpected(v, "time.Time")
	case millis:
		return time.UnixMilli(n), nil
	}
	return time.Unix(n, 0), nil
}

func toUnixSeconds(v resp.Value) (time.Time, error) { return unixFrom(v, false) }
func toUnixMillis(v resp.Value) (time.Time, error)  { return unixFrom(v, true) }

// toMigrated reads MIGRATE: "OK" is true, "NOKEY" false.
func toMigrated(v resp.Value) (bool, error) {
	s, err := v.AsString()
	switch {
	case err != nil:
		return false, err
	case s == "OK":
		return true, nil
	case s == "NOKEY":
		return false, nil
	}
	return false, unexpected(v, "bool")
}

// toScanPage reads [cursor, [key, ...]].
func toScanPage(v resp.Value) (ScanPage, error) {
	elems, err := v.AsValues()
	if err != nil {
		return ScanPage{}, err
	}
	if len(elems) != 2 {
		return ScanPage{}, unexpected(v, "ScanPage")
	}
	cur, err := elems[0].AsString()
	if err != nil {
		return ScanPage{}, err
	}
	n, err := strconv.ParseUint(cur, 10, 64)
	if err != nil {
		return ScanPage{}, unexpected(elems[0], "cursor")
	}
	keys, err := elems[1].AsStrings()
	if err != nil {
		return ScanPage{}, err
	}
	return ScanPage{Cursor: n, Keys: keys}, nil
}

// toNullStrings reads MGET: a null element is an invalid NullString.
func toNullStrings(v resp.Value) ([]NullString, error) {
	elems, err := v.AsValues()
	if err != nil {
		return nil, err
	}
	out := make([]NullString, len(elems))
	for i, e := range elems {
		if e.IsNull() {
			continue
		}
		s, err := e.AsString()
		if err != nil {
			return nil, err
		}
		out[i] = NullString{Value: s, Valid: true}
	}
	return out, nil
}

// The four readings of SET, chosen by SetWith from its options so the
// future holds a plain function.

// toSetWritten reads SET without GET: "OK" when written, null when NX or
// XX stopped it.
func toSetWritten(v resp.Value) (SetResult, error) {
	if v.IsNull() {
		return SetResult{}, nil
	}
	if _, err := v.AsString(); err != nil {
		return SetResult{}, err
	}
	return SetResult{Written: true}, nil
}

// oldValue reads the old value of SET ... GET (null: none).
func oldValue(v resp.Value) (SetResult, error) {
	if v.IsNull() {
		return SetResult{}, nil
	}
	s, err := v.AsString()
	if err != nil {
		return SetResult{}, err
	}
	return SetResult{Old: s, HadOld: true}, nil
}

// toSetGet reads SET ... GET: always written.
func toSetGet(v resp.Value) (SetResult, error) {
	r, err := oldValue(v)
	r.Written = err == nil
	return r, err
}

// toSetGetNX reads SET ... NX GET: written when there was no old value.
func toSetGetNX(v resp.Value) (SetResult, error) {
	r, err := oldValue(v)
	r.Written = err == nil && !r.HadOld
	return r, err
}

// toSetGetXX reads SET ... XX GET: written when there was an old value.
func toSetGetXX(v resp.Value) (SetResult, error) {
	r, err := oldValue(v)
	r.Written = err == nil && r.HadOld
	return r, err
}

// toLCSText reads LCS without LEN or IDX.
func toLCSText(v resp.Value) (LCSResult, error) {
	s, err := v.AsString()
	return LCSResult{Text: s}, err
}

// toLCSLength reads LCS ... LEN.
func toLCSLength(v resp.Value) (LCSResult, error) {
	n, err := v.AsInt64()
	return LCSResult{Length: n}, err
}

// toLCSMatches reads LCS ... IDX: a map (RESP3) or flat array (RESP2) of
// "matches" and "len"; each match is [[start1, end1], [start2, end2]] with
// the match length as a third element under WITHMATCHLEN.
func toLCSMatches(v resp.Value) (LCSResult, error) {
	m, err := v.AsMap()
	if err != nil {
		return LCSResult{}, err
	}
	var r LCSResult
	if r.Length, err = m["len"].AsInt64(); err != nil {
		return LCSResult{}, err
	}
	matches, err := m["matches"].AsValues()
	if err != nil {
		return LCSResult{}, err
	}
	r.Matches = make([]LCSMatch, len(matches))
	for i, mv := range matches {
		parts, err := mv.AsValues()
		if err != nil {
			return LCSResult{}, err
		}
		if len(parts) != 2 && len(parts) != 3 {
			return LCSResult{}, unexpected(mv, "LCSMatch")
		}
		if r.Matches[i].Key1, err = lcsRange(parts[0]); err != nil {
			return LCSResult{}, err
		}
		if r.Matches[i].Key2, err = lcsRange(parts[1]); err != nil {
			return LCSResult{}, err
		}
		if len(parts) == 3 {
			if r.Matches[i].Length, err = parts[2].AsInt64(); err != nil {
				return LCSResult{}, err
			}
		} else {
			r.Matches[i].Length = r.Matches[i].Key1.End - r.Matches[i].Key1.Start + 1
		}
	}
	return r, nil
}

func lcsRange(v resp.Value) (LCSRange, error) {
	ns, err := v.AsInt64s()
	if err != nil {
		return LCSRange{}, err
	}
	if len(ns) != 2 {
		return LCSRange{}, unexpected(v, "LCSRange")
	}
	return LCSRange{Start: ns[0], End: ns[1]}, nil
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
