package actors

import (
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// A router is one reader goroutine's side of delivery: the pubsub actor
// makes one for each subscribed connection, whose reader hands it every
// value it reads (route). It collects the messages that go to one set of
// subscriptions (one channel's, mostly) in pending, and queues them on
// each subscription under one lock when the set changes; flush, called
// before the reader waits for the network, hands the queues to the
// consumers' channels. A consumer waiting on its channel is then woken
// once per read from the socket, not once per message.
type router struct {
	ps        *PubSub
	root      *actor.RootContext // for telling the pubsub actor (self)
	self      *actor.PID         // of confirmations and errors
	pending   []messages.Message
	pendingTo []*Subscription // where pending goes: a slice of the routes
	batch     uint64          // this batch's number, unique in the process
	dirty     []*Subscription // queued to since the last flush
	// values read since the last flush, added to seen by flush.
	values uint64
	seen   *atomic.Uint64
}

// batches numbers the routers' batches, so that a subscription tells
// whether it is on a router's list already.
var batches atomic.Uint64

func newRouter(ps *PubSub, seen *atomic.Uint64, root *actor.RootContext, self *actor.PID) *router {
	return &router{ps: ps, root: root, self: self, batch: batches.Add(1), seen: seen}
}

// route runs on the reader goroutine: messages go straight to the
// subscriptions' queues (rt hands them on before the reader next waits
// for the network); confirmations and errors go to the actor.
func (rt *router) route(v resp.Value) {
	rt.values++
	if v.IsError() {
		rt.root.Send(rt.self, &pubsubErr{err: v.Err()})
		return
	}
	if v.Kind != resp.KindArray && v.Kind != resp.KindPush || len(v.Elems) < 2 {
		return // +PONG under RESP3, or other replies
	}
	kind, _ := v.Elems[0].AsString()
	r := rt.ps.routes.Load()
	switch kind {
	case "message", "smessage":
		if len(v.Elems) < 3 {
			return
		}
		ch, _ := v.Elems[1].AsString()
		payload, _ := v.Elems[2].AsString()
		k, mk := kindChannel, messages.KindMessage
		if kind == "smessage" {
			k, mk = kindShard, messages.KindSMessage
		}
		rt.add(r.byKind[k][ch], messages.Message{Kind: mk, Channel: ch, Payload: payload})
	case "pmessage":
		if len(v.Elems) < 4 {
			return
		}
		pat, _ := v.Elems[1].AsString()
		ch, _ := v.Elems[2].AsString()
		payload, _ := v.Elems[3].AsString()
		rt.add(r.byKind[kindPattern][pat], messages.Message{Kind: messages.KindPMessage, Channel: ch, Pattern: pat, Payload: payload})
	case "subscribe", "psubscribe", "ssubscribe":
		name, _ := v.Elems[1].AsString()
		k := kindChannel
		if kind == "psubscribe" {
			k = kindPattern
		} else if kind == "ssubscribe" {
			k = kindShard
		}
		rt.root.Send(rt.self, &confirmed{kind: k, name: name})
	case "sunsubscribe":
		if f := rt.ps.shardGone.Load(); f != nil {
			name, _ := v.Elems[1].AsString()
			(*f)(name)
		}
	}
}

// fail ends this incarnation: every subscription will get a Reconnected

// pendingMax bounds the messages a router collects before it queues them.
const pendingMax = 64

// add routes m to subs (read from the routes, never changed).
func (rt *router) add(subs []*Subscription, m messages.Message) {
	if len(subs) == 0 {
		return
	}
	if len(rt.pending) > 0 && (len(subs) != len(rt.pendingTo) || &subs[0] != &rt.pendingTo[0]) {
		rt.queue()
	}
	rt.pendingTo = subs
	rt.pending = append(rt.pending, m)
	if len(rt.pending) >= pendingMax {
		rt.queue()
	}
}

// queue hands what is pending to its subscriptions' queues.
func (rt *router) queue() {
	for _, s := range rt.pendingTo {
		s.deliver(rt.pending, rt)
	}
	clear(rt.pending)
	rt.pending, rt.pendingTo = rt.pending[:0], nil
}

// flush runs on the reader goroutine before it reads from the socket.
func (rt *router) flush() {
	if len(rt.pending) > 0 {
		rt.queue()
	}
	if rt.values > 0 {
		rt.seen.Add(rt.values)
		rt.values = 0
	}
	if len(rt.dirty) == 0 {
		return
	}
	for _, s := range rt.dirty {
		s.flushQueue()
	}
	clear(rt.dirty)
	rt.dirty = rt.dirty[:0]
	rt.batch = batches.Add(1)
}
