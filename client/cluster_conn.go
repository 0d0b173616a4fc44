package client

import "context"

// Conn leases a dedicated connection to the primary that owns key's hash
// slot in the current topology, from that node's pool: the same Conn as
// Client.Conn, with every command method and the per-connection ones
// (CLIENT SETNAME, CLIENT REPLY, CLIENT TRACKING, blocking commands one
// after another). Its commands go to that node only, whatever their keys:
// no redirect is followed and no command is retried, so a key whose slot
// is elsewhere (or has moved since) gets the server's MOVED reply as an
// error (a *resp.Error). It waits up to Node.PoolTimeout (or until ctx
// ends) when the node's MaxDedicated connections are in use. Close it as
// Client.Conn's.
func (cc *ClusterClient) Conn(ctx context.Context, key string) (*Conn, error) {
	t, err := cc.table(ctx)
	if err != nil {
		return nil, err
	}
	slot := int(Slot(key))
	s := t.Shard(slot)
	if s == nil {
		return nil, errSlotUncovered(slot)
	}
	return nodeClient(s.Primary).Conn(ctx)
}
