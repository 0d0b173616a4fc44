package actors

import (
	"sync/atomic"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/actoredis/actoredis/resp"
)

// PubSub is the client's handle on its pubsub actor:
//
//	pool actor (supervisor: restarts it with the connections' backoff)
//	└── pubsub actor (this)      owns the subscribed connection and the table
//	      ├── writer, reader     the reader routes each message to the
//	      │                      subscriptions' queues, never blocking, and
//	      │                      moves them to the consumers' channels once
//	      │                      per read from the socket
//	      └── one delivery goroutine per Subscription, for what does not fit
//	                             in its channel (a consumer behind)
//
// The table (which subscription listens to which channel, pattern and
// shard channel, with reference counts) lives in PubSub, so it survives the
// actor's restarts: a new incarnation dials, resubscribes everything, and
// hands each subscription one Reconnected event.
type PubSub struct {
	pool *Pool
	pid  *actor.PID

	routes atomic.Pointer[routes] // read by the reader goroutine

	// Owned by the pubsub actor.
	subs     map[*Subscription]struct{}
	refs     [3]map[string]int  // per kind: how many subscriptions listen
	onServer [3]map[string]bool // per kind: confirmed on the current connection
	waiting  []*subscribeReq
	lostSubs map[*Subscription]struct{} // to tell Reconnected after the next resubscription
	failures int

	// shardGone, when set, hears of every SUNSUBSCRIBE reply, including
	// the ones a cluster node sends by itself when a shard channel's slot
	// moved away (see Pool.OnShardUnsubscribed).
	shardGone atomic.Pointer[func(channel string)]
}

// The three kinds of subscription, as indexes.
const (
	kindChannel = iota
	kindPattern
	kindShard
)

var (
	subscribeCmd   = [3]string{"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"}
	unsubscribeCmd = [3]string{"UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"}
)

// routes is the immutable routing table the reader reads; names holds
// every subscribed name, for intern, and lengths the lengths among them
// (bit n-1 for n bytes, up to resp.MaxInternLen).
type routes struct {
	byKind  [3]map[string][]*Subscription
	names   map[string]string
	lengths [(resp.MaxInternLen + 63) / 64]uint64
}

// intern lets the reader reuse the strings every message carries (its kind
// and the subscribed channel or pattern) instead of allocating them.
func (ps *PubSub) intern(b []byte) (string, bool) {
	switch string(b) {
	case "message":
		return "message", true
	case "pmessage":
		return "pmessage", true
	case "smessage":
		return "smessage", true
	}
	r := ps.routes.Load()
	if n := len(b) - 1; n < 0 || n >= resp.MaxInternLen || r.lengths[n/64]&(1<<(n%64)) == 0 {
		// No name is that long (a payload, mostly): spare the lookup.
		return "", false
	}
	s, ok := r.names[string(b)]
	return s, ok
}

func newPubSub(p *Pool) *PubSub {
	ps := &PubSub{pool: p, subs: map[*Subscription]struct{}{}, lostSubs: map[*Subscription]struct{}{}}
	for k := range ps.refs {
		ps.refs[k] = map[string]int{}
		ps.onServer[k] = map[string]bool{}
	}
	ps.routes.Store(&routes{})
	return ps
}

func (ps *PubSub) send(msg any) { ps.pool.root.Send(ps.pid, msg) }

// NewSubscription opens an empty subscription with the given buffer (the
// messages queued before the policy applies), policy and Block's cap;
// Add subscribes it to names.
func (p *Pool) NewSubscription(buffer int, policy Policy, maxPending int) *Subscription {
	return newSubscription(p.pubsub, buffer, policy, maxPending)
}

// OnShardUnsubscribed sets fn to hear, on the subscribed connection's
// reader goroutine (fn must not block), of every SUNSUBSCRIBE reply: a
// cluster node sends one by itself when the slot of a shard channel moved
// away, and the cluster client then moves the subscription.
func (p *Pool) OnShardUnsubscribed(fn func(channel string)) { p.pubsub.shardGone.Store(&fn) }

// Kinds of names for Subscription.Add and Remove.
const (
	Channels      = kindChannel
	Patterns      = kindPattern
	ShardChannels = kindShard
)
