package client

import (
	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/resp"
)

// HelloInfo is what a connection's handshake learned of its server from
// HELLO's reply: which server (Redis or Valkey) and version it is, its
// mode and role, the protocol agreed. (The report of the INFO command is
// ServerInfo.) Every field is as the server sent it at that moment: a
// primary demoted later still shows Role "master" until a connection
// shakes hands again.
//
// A server that refuses HELLO (Redis 5 and older, some proxies) tells
// nothing: its HelloInfo has Addr and Protocol 2 only, every other field
// empty.
type HelloInfo struct {
	Addr     string       // the address dialed, "host:port" or a socket path
	Name     string       // HELLO's server: "redis" or "valkey"
	Version  string       // HELLO's version: "7.4.1", "8.0.1", ...
	Protocol int          // the protocol agreed: 2 or 3; 0 before the first handshake
	Mode     string       // HELLO's mode: "standalone", "cluster" or "sentinel"
	Role     string       // HELLO's role: "master" or "replica"
	Modules  []ModuleInfo // HELLO's modules, as MODULE LIST gives them; nil when none
}

// HelloInfo returns what the latest handshake of any of the client's
// connections learned of the server: the zero HelloInfo until the first
// connection is up, then that connection's, replaced by each later
// connection's (a reconnect, a new pooled or dedicated connection, the
// primary a NewFailover client moved to). With SentinelOptions.ReplicaReads
// it describes the primary, not the replicas.
//
// It reads a value stored once per handshake: no command is sent, and
// it is safe to call from any goroutine.
func (c *Client) HelloInfo() HelloInfo { return toHelloInfo(c.pool.Hello()) }

// HelloInfo returns the HelloInfo of one node: the first primary of the
// current topology, in slot order, whose connections have shaken hands
// (the zero HelloInfo before the topology is known or any connection is
// up). The nodes of one cluster normally run the same server; to see each
// one, call Client.HelloInfo in ForEachPrimary.
func (cc *ClusterClient) HelloInfo() HelloInfo {
	t := cc.cl.Table()
	if t == nil {
		return HelloInfo{}
	}
	for _, s := range t.Shards {
		if h := s.Primary.Pool.Hello(); h != nil {
			return toHelloInfo(h)
		}
	}
	return HelloInfo{}
}

// toHelloInfo decodes a handshake's HELLO reply. A field of the wrong
// type is left empty: what a server sends here never fails a client.
func toHelloInfo(h *actors.Hello) HelloInfo {
	if h == nil {
		return HelloInfo{}
	}
	info := HelloInfo{Addr: h.Addr, Protocol: h.Protocol}
	kv, _ := h.Reply.AsPairs()
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].AsString()
		v := kv[i+1]
		switch k {
		case "server":
			info.Name = helloString(v)
		case "version":
			info.Version = helloString(v)
		case "mode":
			info.Mode = helloString(v)
		case "role":
			info.Role = helloString(v)
		case "modules":
			if ms, err := srvToModules(v); err == nil && len(ms) > 0 {
				info.Modules = ms
			}
		}
	}
	return info
}

func helloString(v resp.Value) string {
	s, _ := v.AsString()
	return s
}
