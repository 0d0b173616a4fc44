package client

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/actoredis/actoredis/actors"
	"github.com/actoredis/actoredis/resp"
)

// Options configures a Client. The zero value connects to 127.0.0.1:6379
// with RESP3; every field's default is given in its comment.
type Options struct {
	// Addr is host:port for TCP, or a socket path when Network is "unix".
	// Default "127.0.0.1:6379".
	Addr string
	// Network is "tcp" or "unix". Default "tcp".
	Network string
	// Username and Password authenticate each connection (HELLO AUTH, or
	// AUTH on a server without HELLO). An empty Username with a Password
	// uses "default". The password never appears in errors, logs or
	// String().
	Username string
	Password string
	// DB is selected on every connection. Default 0.
	DB int
	// Protocol is 2 or 3, asked for with HELLO. Default 3; falls back to
	// 2 when the server does not know HELLO.
	Protocol int
	// ClientName is set on every connection (CLIENT SETNAME).
	ClientName string
	// DisableClientInfo stops the handshake from naming the library to
	// the server. Default false: every connection sends CLIENT SETINFO
	// LIB-NAME actoredis and LIB-VER with this module's version (as the
	// binary's build information records it, else "(devel)"), in the
	// same round trip as HELLO, so CLIENT LIST shows which clients are
	// actoredis. A server without CLIENT SETINFO (Redis before 7.2)
	// answers an error, which is ignored.
	DisableClientInfo bool

	// PoolSize is the number of multiplexed connections. Each one
	// pipelines every command that arrives while it is busy, so a few
	// carry thousands of concurrent callers. Default max(2, GOMAXPROCS).
	PoolSize int
	// MinIdle connections stay open while idle; the others close after
	// IdleTimeout and dial again on demand. Default PoolSize.
	MinIdle int
	// MaxDedicated bounds the dedicated connections leased at once for
	// blocking commands and Conn. Default max(16, 10×GOMAXPROCS).
	MaxDedicated int

	// DialTimeout bounds dialing and the handshake. Default 5 s.
	DialTimeout time.Duration
	// ReadTimeout bounds the wait for replies once a command was written
	// (blocking commands excepted). Default 3 s.
	ReadTimeout time.Duration
	// WriteTimeout bounds one write. Default ReadTimeout.
	WriteTimeout time.Duration
	// PoolTimeout is how long a command waits for a usable connection (or a
	// dedicated one) before failing with ErrPoolTimeout. Default
	// ReadTimeout + 1 s.
	PoolTimeout time.Duration
	// IdleTimeout closes connections beyond MinIdle (and unleased dedicated
	// connections) idle this long. Default 0: never.
	IdleTimeout time.Duration
	// MaxLifetime recycles a connection this old, once its in-flight
	// commands are answered. Default 0: never.
	MaxLifetime time.Duration
	// HealthCheckInterval is how often an idle connection is checked with a
	// PING. Default 15 s.
	HealthCheckInterval time.Duration
	// PubSubPingInterval is how often a quiet subscribed connection is
	// checked with a PING; no answer within ReadTimeout counts as a lost
	// connection (then every subscription is renewed on a new one).
	// Default 1 s.
	PubSubPingInterval time.Duration
	// FlushDelay makes a connection's writer wait this long after it is
	// woken before it writes, so that more commands join the write. Off
	// by default: the writer already yields once before each write, which
	// gathers the commands of every caller the reader has just woken (see
	// docs/design.md, "One command"); a delay trades latency for fewer writes
	// and helps only when the server, not the client, is the bottleneck.
	// Go's timers round a sleep below about 1 ms up to about 1 ms.
	FlushDelay time.Duration

	// ReconnectBackoff spaces the restarts of a failed connection (and of
	// the pubsub actor's): the delay before the n-th consecutive restart
	// is ReconnectBackoff.Next(n). Default ExponentialBackoff{Base: 50 ms,
	// Cap: 1 s} (full jitter, so the connections of a pool do not redial
	// in step).
	ReconnectBackoff Backoff

	// Retry decides which failed commands are sent again; its zero value
	// is the default policy (see RetryPolicy). MaxAttempts 1 turns
	// retrying off.
	Retry RetryPolicy
	// MaxPending bounds the commands queued for or in flight on one
	// multiplexed connection; past it a command fails at once with
	// ErrQueueFull instead of queueing without bound while the server is
	// slow, down or unreachable. Default 131072 (room for 100k futures
	// issued before any is awaited).
	MaxPending int
	// OnEvent, when set, is told what the pool's supervision does:
	// connections up and down, restarts with their delay,
	// resubscriptions (see Event). It runs on one goroutine of its own,
	// fed by a bounded queue: it never delays a connection, and a slow
	// OnEvent loses events (counted in Stats().EventsDropped). Events
	// are also logged to Logger at Debug level.
	OnEvent func(Event)

	// TLSConfig enables TLS. ServerName defaults to Addr's host.
	TLSConfig *tls.Config
	// Logger receives the client's logs (and protoactor's). Default: none.
	Logger *slog.Logger
	// Limits bound what the decoder accepts from the server. Zero fields
	// take resp.DefaultLimits().
	Limits resp.Limits
	// Dialer replaces net.Dialer, for proxies and tests.
	Dialer func(ctx context.Context, network, addr string) (net.Conn, error)
}

// String describes the options without the password.
func (o Options) String() string {
	var b strings.Builder
	b.WriteString("Options{Network:")
	b.WriteString(o.Network)
	b.WriteString(" Addr:")
	b.WriteString(o.Addr)
	b.WriteString(" Username:")
	b.WriteString(o.Username)
	if o.Password != "" {
		b.WriteString(" Password:<redacted>")
	}
	b.WriteString(" DB:")
	b.WriteString(strconv.Itoa(o.DB))
	b.WriteString(" Protocol:")
	b.WriteString(strconv.Itoa(o.Protocol))
	b.WriteString("}")
	return b.String()
}

// GoString keeps %#v from printing the password.
func (o Options) GoString() string { return o.String() }

func (o Options) validate() error {
	switch {
	case o.Protocol != 0 && o.Protocol != 2 && o.Protocol != 3:
		return &argError{msg: "Protocol must be 2 or 3, not " + strconv.Itoa(o.Protocol)}
	case o.Network != "" && o.Network != "tcp" && o.Network != "tcp4" && o.Network != "tcp6" && o.Network != "unix":
		return &argError{msg: "Network must be tcp or unix, not " + strconv.Quote(o.Network)}
	case o.DB < 0:
		return &argError{msg: "DB must not be negative"}
	case o.PoolSize < 0, o.MinIdle < 0, o.MaxDedicated < 0, o.MaxPending < 0:
		return &argError{msg: "pool sizes must not be negative"}
	case o.DialTimeout < 0, o.ReadTimeout < 0, o.WriteTimeout < 0, o.PoolTimeout < 0,
		o.IdleTimeout < 0, o.MaxLifetime < 0, o.HealthCheckInterval < 0, o.PubSubPingInterval < 0, o.FlushDelay < 0:
		return &argError{msg: "durations must not be negative"}
	case o.Retry.MaxAttempts < 0:
		return &argError{msg: "Retry.MaxAttempts must not be negative"}
	}
	return nil
}

func (o Options) config() actors.Config {
	return actors.Config{
		Network: o.Network, Addr: o.Addr, Username: o.Username, Password: o.Password,
		DB: o.DB, Protocol: o.Protocol, ClientName: o.ClientName, TLSConfig: o.TLSConfig,
		DisableClientInfo: o.DisableClientInfo,
		Dialer:            o.Dialer,
		PoolSize:          o.PoolSize, MinIdle: o.MinIdle, MaxDedicated: o.MaxDedicated,
		DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout,
		PoolTimeout: o.PoolTimeout, IdleTimeout: o.IdleTimeout, MaxLifetime: o.MaxLifetime,
		HealthCheckInterval: o.HealthCheckInterval, PubSubPingInterval: o.PubSubPingInterval,
		FlushDelay: o.FlushDelay,
		Backoff:    o.ReconnectBackoff, Retry: o.Retry, MaxPending: o.MaxPending, OnEvent: o.OnEvent,
		Limits: o.Limits, Logger: o.Logger,
	}
}
