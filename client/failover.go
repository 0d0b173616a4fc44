package client

import (
	"strings"

	"github.com/actoredis/actoredis/actors"
)

// SentinelOptions configures a client of a Sentinel-managed primary
// (NewFailover). FailoverCommandOptions are those of the FAILOVER command.
type SentinelOptions struct {
	// MasterName is the name the sentinels monitor the primary under.
	// Required.
	MasterName string
	// SentinelAddrs are the sentinels, host:port, asked in order (the one
	// that answered last first). Others found with SENTINEL SENTINELS are
	// added. Required.
	SentinelAddrs []string
	// SentinelUsername and SentinelPassword authenticate the connections to
	// the sentinels (their requirepass or ACL), independently of
	// Options.Username and Options.Password, which authenticate the
	// connections to the primary and replicas. The password never appears
	// in errors, logs or String().
	SentinelUsername string
	SentinelPassword string
	// ReplicaReads sends read-only commands (GET, HGETALL, SCAN, ... as the
	// flags table marks them) to a second pool of PoolSize connections to
	// replicas, each connection to one replica picked at random among the
	// healthy ones (or to the primary while none is). Replication is
	// asynchronous: a read may not see a write made just before, and
	// commands on one key no longer run in issue order across reads and
	// writes. Pipelines, transactions, Conn, Watch, blocking commands and
	// pub/sub stay on the primary. Default false: everything goes to the
	// primary.
	ReplicaReads bool
	// Options configures the connections to the primary and the replicas
	// (credentials, DB, protocol, pool, timeouts, TLS, ...); TLSConfig,
	// Dialer, DialTimeout and ReadTimeout also apply to the sentinels.
	// Addr and Network are not used.
	Options
}

// String describes the options without the passwords.
func (o SentinelOptions) String() string {
	var b strings.Builder
	b.WriteString("SentinelOptions{MasterName:")
	b.WriteString(o.MasterName)
	b.WriteString(" SentinelAddrs:[")
	b.WriteString(strings.Join(o.SentinelAddrs, " "))
	b.WriteString("] SentinelUsername:")
	b.WriteString(o.SentinelUsername)
	if o.SentinelPassword != "" {
		b.WriteString(" SentinelPassword:<redacted>")
	}
	if o.ReplicaReads {
		b.WriteString(" ReplicaReads:true")
	}
	b.WriteString(" ")
	b.WriteString(o.Options.String())
	b.WriteString("}")
	return b.String()
}

// GoString keeps %#v from printing the passwords.
func (o SentinelOptions) GoString() string { return o.String() }

// NewFailover starts a client of the primary that the sentinels name. It
// has every method of a Client (commands, pipelines, Watch, Conn, pub/sub).
//
// Every connection asks the sentinels (SENTINEL GET-MASTER-ADDR-BY-NAME)
// where to dial and checks with ROLE that the server is the primary; a
// replica is refused, so a demoted primary never carries a command, and a
// READONLY reply closes its connection, which then asks the sentinels
// again. A watcher keeps a connection to one sentinel subscribed to
// +switch-master (moving to the next sentinel when it is lost). When the
// primary changes, every connection moves to the new one: commands in
// flight on the old primary fail with a *ConnError wrapping ErrFailover
// (Sent true: they may have run there), later ones wait for the new
// connection; the pub/sub connection subscribes everything again on the
// new primary and each subscription gets a Reconnected event; a Conn (and
// Watch) breaks with ErrLeaseBroken.
//
// NewFailover does not wait for a connection. It fails at once when a
// sentinel answers that it does not know MasterName (ErrMasterNotFound);
// while no sentinel answers, commands fail after PoolTimeout with a
// *PoolTimeoutError whose last dial error is a *SentinelError matching
// ErrSentinelUnreachable.
func NewFailover(opts SentinelOptions) (*Client, error) {
	switch {
	case opts.MasterName == "":
		return nil, &argError{msg: "SentinelOptions.MasterName is required"}
	case len(opts.SentinelAddrs) == 0:
		return nil, &argError{msg: "SentinelOptions.SentinelAddrs needs at least one sentinel"}
	case opts.Network == "unix":
		return nil, &argError{msg: "sentinels name TCP addresses; Network unix cannot be used"}
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	primary, replicas, err := actors.StartFailover(opts.config(), actors.SentinelConfig{
		MasterName: opts.MasterName, Addrs: opts.SentinelAddrs,
		Username: opts.SentinelUsername, Password: opts.SentinelPassword,
		Replicas: opts.ReplicaReads,
	})
	if err != nil {
		return nil, err
	}
	c := &Client{pool: primary, reads: replicas, opts: opts.Options, pipe: new(lastPipeline)}
	c.cmds = cmds{s: clientSender{c}}
	return c, nil
}
