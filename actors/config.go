package actors

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"runtime"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// Config is what the pool and its connection actors need. The client fills
// it from its Options; every zero field takes the default documented there
// (see withDefaults).
type Config struct {
	Network    string // "tcp" or "unix"
	Addr       string
	Username   string
	Password   string // never logged, never in an error
	DB         int
	Protocol   int // 2 or 3
	ClientName string
	// DisableClientInfo leaves CLIENT SETINFO LIB-NAME and LIB-VER out of
	// the handshake.
	DisableClientInfo bool
	TLSConfig         *tls.Config
	// Dialer, when set, replaces net.Dialer (tests, proxies).
	Dialer func(ctx context.Context, network, addr string) (net.Conn, error)
	// Resolve, when set, is asked for the server before every dial, in
	// place of Network and Addr (a Sentinel-managed primary); Addr then
	// only names the pool in errors and logs.
	Resolve func(ctx context.Context) (network, addr string, err error)
	// Role, when set ("master" or "slave"), is checked with ROLE at the end
	// of every handshake: a server in another role is refused with a
	// *RoleError, so a connection to a demoted primary never carries a
	// command. With Role "master", a READONLY reply closes its connection,
	// which then dials again.
	Role string

	PoolSize            int // multiplexed connections
	MinIdle             int // connections kept open while idle
	MaxDedicated        int // leased dedicated connections at once
	DialTimeout         time.Duration
	ReadTimeout         time.Duration
	WriteTimeout        time.Duration
	PoolTimeout         time.Duration
	IdleTimeout         time.Duration // 0: never close idle connections
	MaxLifetime         time.Duration // 0: never recycle
	HealthCheckInterval time.Duration
	// FlushDelay is how long the writer waits after a wake-up before it
	// writes (0: it only yields once).
	FlushDelay time.Duration
	// PubSubPingInterval is how often a quiet subscribed connection is
	// PINGed; no answer within ReadTimeout fails it.
	PubSubPingInterval time.Duration

	// Backoff spaces the restarts of a failed connection actor.
	Backoff Backoff
	// RestartBudget restarts are allowed per RestartWindow at the Backoff's
	// pace; past it a connection waits until the window frees a restart.
	RestartBudget int
	RestartWindow time.Duration

	// Retry decides which failed commands are sent again.
	Retry RetryPolicy
	// MaxPending bounds the commands queued for or in flight on one
	// multiplexed connection; past it Send fails at once with
	// ErrQueueFull. Zero means DefaultMaxPending.
	MaxPending int
	// OnEvent, when set, receives the pool's events (connection up and
	// down, restarts, resubscriptions) on a goroutine of its own, through
	// a bounded queue: a slow OnEvent loses events (counted in
	// Stats.EventsDropped), never delays an actor.
	OnEvent func(Event)

	Limits resp.Limits
	Logger *slog.Logger

	// ReadOnlyConn sends READONLY after the handshake: the connections
	// of a cluster replica that serves reads.
	ReadOnlyConn bool
}

func (c Config) withDefaults() Config {
	if c.Network == "" {
		c.Network = "tcp"
	}
	if c.Addr == "" {
		c.Addr = "127.0.0.1:6379"
	}
	if c.Protocol == 0 {
		c.Protocol = 3
	}
	if c.PoolSize <= 0 {
		c.PoolSize = DefaultPoolSize()
	}
	if c.MinIdle <= 0 || c.MinIdle > c.PoolSize {
		c.MinIdle = c.PoolSize
	}
	if c.MaxDedicated <= 0 {
		c.MaxDedicated = max(16, 10*runtime.GOMAXPROCS(0))
	}
	if c.DialTimeout <= 0 {
		c.DialTimeout = 5 * time.Second
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = 3 * time.Second
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = c.ReadTimeout
	}
	if c.PoolTimeout <= 0 {
		c.PoolTimeout = c.ReadTimeout + time.Second
	}
	if c.HealthCheckInterval <= 0 {
		c.HealthCheckInterval = 15 * time.Second
	}
	if c.PubSubPingInterval <= 0 {
		c.PubSubPingInterval = time.Second
	}
	if c.Backoff == nil {
		c.Backoff = ExponentialBackoff{Base: 50 * time.Millisecond, Cap: time.Second}
	}
	if c.RestartBudget <= 0 {
		c.RestartBudget = 100
	}
	if c.RestartWindow <= 0 {
		c.RestartWindow = 10 * time.Second
	}
	c.Retry = c.Retry.withDefaults()
	if c.MaxPending <= 0 {
		c.MaxPending = DefaultMaxPending
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// DefaultPoolSize is the default number of multiplexed connections: one
// per processor, at least 2. Each connection pipelines every command that
// arrives while it is busy, so a few connections carry thousands of
// concurrent callers; measured on 2 cores against one redis-server, 2
// connections carried 1.3x the GETs of 4 at 128 goroutines (deeper
// pipelines, fewer writes), and 8 were no better at 1,024.
func DefaultPoolSize() int { return max(2, runtime.GOMAXPROCS(0)) }
