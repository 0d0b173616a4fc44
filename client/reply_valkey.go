package client

import (
	"time"

	"github.com/actoredis/actoredis/resp"
)

// The result types of the Valkey-only commands outside the cluster group
// and their decoders; each gives the same Go value for a RESP2 and a RESP3
// reply.

// CommandLogEntry is one entry of COMMANDLOG GET.
type CommandLogEntry struct {
	ID   int64
	Time time.Time // when the command ran
	// Duration is the command's execution time, to the microsecond: slow
	// log only.
	Duration time.Duration
	// Size is the request's or the reply's size in bytes: large-request
	// and large-reply logs only.
	Size       int64
	Args       []string // the command line (long ones truncated by the server)
	ClientAddr string
	ClientName string
}

// toCommandLogSlow reads COMMANDLOG GET n slow: entries of SLOWLOG GET's
// shape, [id, time, microseconds, args, addr, name].
func toCommandLogSlow(v resp.Value) ([]CommandLogEntry, error) { return toCommandLog(v, false) }

// toCommandLogLarge reads COMMANDLOG GET n large-request|large-reply:
// the same shape, with bytes for microseconds.
func toCommandLogLarge(v resp.Value) ([]CommandLogEntry, error) { return toCommandLog(v, true) }

func toCommandLog(v resp.Value, large bool) ([]CommandLogEntry, error) {
	entries, err := srvToSlowLog(v)
	if err != nil {
		return nil, err
	}
	out := make([]CommandLogEntry, len(entries))
	for i, e := range entries {
		out[i] = CommandLogEntry{ID: e.ID, Time: e.Time, Duration: e.Duration, Args: e.Args,
			ClientAddr: e.ClientAddr, ClientName: e.ClientName}
		if large {
			out[i].Duration, out[i].Size = 0, int64(e.Duration/time.Microsecond)
		}
	}
	return out, nil
}
