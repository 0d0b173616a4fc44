package client

import (
	"context"
	"strconv"
	"strings"
	"sync"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// specialCmd is how the cluster sends a command that does not simply go to
// its first key's slot owner.
type specialCmd uint8

const (
	plainCmd           specialCmd = iota
	splitKeys                     // MGET, DEL, EXISTS, UNLINK, TOUCH: one command per slot, joined
	splitPairs                    // MSET: key-value pairs per slot
	refuseCross                   // MSETNX: refused across slots
	refuseCrossCounted            // MSETEX: numkeys, then key-value pairs; refused across slots
	broadcastAll                  // to every primary; the first error, else the first reply
	broadcastSum                  // DBSIZE: the sum
	broadcastCat                  // KEYS, CLUSTER SLOT-STATS: the union
	broadcastAnd                  // SCRIPT EXISTS: true where every primary says so
)

// specialKind classifies a command by its name: a switch on constant
// strings, no map on the hot path. The typed methods' names are in upper
// case; a name from Do that begins in lower case is upper-cased first.
func specialKind(name string) specialCmd {
	if name != "" && name[0] >= 'a' && name[0] <= 'z' {
		name = strings.ToUpper(name)
	}
	switch name {
	case "MGET", "DEL", "EXISTS", "UNLINK", "TOUCH":
		return splitKeys
	case "MSET":
		return splitPairs
	case "MSETNX":
		return refuseCross
	case "MSETEX":
		return refuseCrossCounted
	case "FLUSHALL", "FLUSHDB", "SCRIPT LOAD", "SCRIPT FLUSH", "FUNCTION LOAD", "FUNCTION FLUSH",
		"FUNCTION DELETE", "FUNCTION RESTORE":
		return broadcastAll
	case "DBSIZE":
		return broadcastSum
	case "KEYS", "CLUSTER SLOT-STATS":
		return broadcastCat
	case "SCRIPT EXISTS":
		return broadcastAnd
	}
	return plainCmd
}

// commandArgs returns the arguments of an encoded command (an array of
// bulk strings, as the builder writes it); nil when it is not one.
func commandArgs(enc []byte) [][]byte {
	n, rest, ok := respLen(enc, '*')
	if !ok {
		return nil
	}
	out := make([][]byte, 0, n)
	for range n {
		var l int
		if l, rest, ok = respLen(rest, '$'); !ok || len(rest) < l+2 {
			return nil
		}
		out = append(out, rest[:l])
		rest = rest[l+2:]
	}
	return out
}

func respLen(b []byte, kind byte) (int, []byte, bool) {
	if len(b) < 4 || b[0] != kind {
		return 0, nil, false
	}
	n := 0
	for i := 1; i < len(b); i++ {
		c := b[i]
		if c == '\r' {
			if i+1 >= len(b) || b[i+1] != '\n' || i == 1 {
				return 0, nil, false
			}
			return n, b[i+2:], true
		}
		if c < '0' || c > '9' || n > 1<<28 {
			return 0, nil, false
		}
		n = n*10 + int(c-'0')
	}
	return 0, nil, false
}

func encodeArgs(args [][]byte) []byte {
	size := 16
	for _, a := range args {
		size += len(a) + 16
	}
	b := resp.AppendArrayHeader(make([]byte, 0, size), len(args))
	for _, a := range args {
		b = resp.AppendBulk(b, a)
	}
	return b
}

// joiner completes cmd once every part has: with the first transport error
// or server error, else with merge of the parts' replies.
type joiner struct {
	cmd   *messages.Command
	mu    sync.Mutex
	left  int
	parts []*messages.Command
	merge func(parts []resp.Value) resp.Value
}

func newJoiner(cmd *messages.Command, n int, merge func([]resp.Value) resp.Value) *joiner {
	j := &joiner{cmd: cmd, left: n, merge: merge, parts: make([]*messages.Command, n)}
	for i := range j.parts {
		p := &messages.Command{Name: cmd.Name, Flags: cmd.Flags}
		p.OnComplete(j.partDone)
		j.parts[i] = p
	}
	return j
}

func (j *joiner) partDone() {
	j.mu.Lock()
	j.left--
	last := j.left == 0
	j.mu.Unlock()
	if !last {
		return
	}
	vals := make([]resp.Value, len(j.parts))
	for i, p := range j.parts {
		v, err := p.Result()
		if err != nil || v.IsError() {
			j.cmd.Complete(v, err)
			return
		}
		vals[i] = v
	}
	j.cmd.Complete(j.merge(vals), nil)
}

// sendSpecial sends a command that is split per slot or broadcast.
func (cc *ClusterClient) sendSpecial(ctx context.Context, cmd *messages.Command, kind specialCmd) {
	args := commandArgs(cmd.Args)
	if args == nil {
		cmd.Fail(&argError{msg: "cannot read the encoded " + cmd.Name})
		return
	}
	switch kind {
	case splitKeys, splitPairs, refuseCross:
		cc.sendSplit(ctx, cmd, kind, args)
	case refuseCrossCounted:
		cc.sendCounted(ctx, cmd, args)
	default:
		cc.sendBroadcast(ctx, cmd, kind)
	}
}

// sendSplit sends one command per slot of the keys (or key-value pairs),
// each routed and redirected on its own, and joins the replies.
func (cc *ClusterClient) sendSplit(ctx context.Context, cmd *messages.Command, kind specialCmd, args [][]byte) {
	name, nameLen := args[0], 1
	step := 1
	if kind != splitKeys {
		step = 2
	}
	type group struct {
		slot int
		idx  []int // positions of the keys in the caller's order
		args [][]byte
	}
	var groups []*group
	bySlot := map[int]*group{}
	for i, pos := nameLen, 0; i+step <= len(args); i, pos = i+step, pos+1 {
		slot := int(Slot(string(args[i])))
		g := bySlot[slot]
		if g == nil {
			g = &group{slot: slot, args: [][]byte{name}}
			bySlot[slot] = g
			groups = append(groups, g)
		}
		g.idx = append(g.idx, pos)
		g.args = append(g.args, args[i:i+step]...)
	}
	if len(groups) <= 1 {
		slot := -1
		if len(groups) == 1 {
			slot = groups[0].slot
		}
		(&clusterCall{cc: cc, ctx: ctx, cmd: cmd, slot: slot}).dispatchFirst()
		return
	}
	if kind == refuseCross {
		cmd.Fail(ErrCrossSlot)
		return
	}
	total := (len(args) - nameLen) / step
	j := newJoiner(cmd, len(groups), func(vals []resp.Value) resp.Value {
		switch {
		case strings.EqualFold(cmd.Name, "MGET"):
			out := make([]resp.Value, total)
			for gi, g := range groups {
				for k, pos := range g.idx {
					if k < len(vals[gi].Elems) {
						out[pos] = vals[gi].Elems[k]
					}
				}
			}
			return resp.Value{Kind: resp.KindArray, Elems: out}
		case kind == splitPairs:
			return vals[0]
		default:
			var sum int64
			for _, v := range vals {
				sum += v.Int
			}
			return resp.Value{Kind: resp.KindInteger, Int: sum}
		}
	})
	for gi, g := range groups {
		p := j.parts[gi]
		p.Args = encodeArgs(g.args)
		(&clusterCall{cc: cc, ctx: ctx, cmd: p, slot: g.slot}).dispatchFirst()
	}
}

// sendCounted sends a command whose key-value pairs follow a count
// (MSETEX numkeys key value ... [options]) to the one slot of its keys, and
// fails it with ErrCrossSlot, sending nothing, when they span slots: its
// meaning is all-or-nothing, which no split keeps. A count the arguments
// do not hold is left to the server to refuse.
func (cc *ClusterClient) sendCounted(ctx context.Context, cmd *messages.Command, args [][]byte) {
	slot := -1
	if len(args) > 1 {
		n, err := strconv.Atoi(string(args[1]))
		if err == nil && n > 0 && 2+2*n <= len(args) {
			keys := make([]string, n)
			for i := range keys {
				keys[i] = string(args[2+2*i])
			}
			if slot, err = slotsOf(keys...); err != nil {
				cmd.Fail(err)
				return
			}
		}
	}
	(&clusterCall{cc: cc, ctx: ctx, cmd: cmd, slot: slot}).dispatchFirst()
}

// sendBroadcast sends the command to every primary and merges the
// replies.
func (cc *ClusterClient) sendBroadcast(ctx context.Context, cmd *messages.Command, kind specialCmd) {
	t, err := cc.table(ctx)
	if err != nil {
		cmd.Fail(err)
		return
	}
	j := newJoiner(cmd, len(t.Shards), func(vals []resp.Value) resp.Value {
		switch kind {
		case broadcastSum:
			var sum int64
			for _, v := range vals {
				sum += v.Int
			}
			return resp.Value{Kind: resp.KindInteger, Int: sum}
		case broadcastCat:
			var out []resp.Value
			for _, v := range vals {
				out = append(out, v.Elems...)
			}
			return resp.Value{Kind: resp.KindArray, Elems: out}
		case broadcastAnd:
			out := append([]resp.Value(nil), vals[0].Elems...)
			for _, v := range vals[1:] {
				for i := range out {
					if i < len(v.Elems) && v.Elems[i].Int == 0 {
						out[i] = v.Elems[i]
					}
				}
			}
			return resp.Value{Kind: resp.KindArray, Elems: out}
		}
		return vals[0]
	})
	for i, s := range t.Shards {
		p := j.parts[i]
		p.Args = cmd.Args
		// Keyless, to one node: no redirects, but retried when the node
		// was not reached.
		k := &clusterCall{cc: cc, ctx: ctx, cmd: p, slot: -1, node: s.Primary}
		k.sendTo(t, s.Primary, false, true)
	}
}

// slotsOf returns the one slot of keys, or ErrCrossSlot; -1 for none.
func slotsOf(keys ...string) (int, error) {
	slot := -1
	for _, k := range keys {
		s := int(Slot(k))
		if slot >= 0 && s != slot {
			return -1, ErrCrossSlot
		}
		slot = s
	}
	return slot, nil
}
