package actors

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// dialWire opens a socket to cfg.Addr (or where cfg.Resolve says) and
// performs the handshake (see handshake) and, with cfg.Role, ROLE. It
// returns the wire, not yet started, and what the handshake learned of
// the server.
func dialWire(ctx context.Context, cfg *Config, wantID bool) (*wire, *Hello, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	network, addr := cfg.Network, cfg.Addr
	var conn net.Conn
	var err error
	if cfg.Resolve != nil {
		if network, addr, err = cfg.Resolve(ctx); err != nil {
			return nil, nil, err
		}
	}
	if cfg.Dialer != nil {
		conn, err = cfg.Dialer(ctx, network, addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, network, addr)
	}
	if err != nil {
		return nil, nil, err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if cfg.TLSConfig != nil {
		tc := cfg.TLSConfig.Clone()
		if tc.ServerName == "" && !tc.InsecureSkipVerify {
			if host, _, e := net.SplitHostPort(addr); e == nil {
				tc.ServerName = host
			}
		}
		tconn := tls.Client(conn, tc)
		if err := tconn.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return nil, nil, err
		}
		conn = tconn
	}
	rd := resp.NewReader(conn, cfg.Limits)
	hello, id, err := handshake(conn, rd, cfg, wantID)
	if err == nil && cfg.Role != "" {
		err = checkRole(conn, rd, cfg.Role, addr)
	}
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	w := newWire(conn, rd, cfg, addr)
	w.clientID = id
	hello.Addr = addr
	return w, hello, nil
}

// HandshakeError is a refusal by the server during the connection
// handshake (wrong password, unknown database, ...).
type HandshakeError struct {
	Step string // "HELLO", "AUTH", "SELECT", "CLIENT SETNAME", "READONLY", "ROLE"
	Err  error
}

func (e *HandshakeError) Error() string {
	return "actoredis: handshake " + e.Step + " failed: " + e.Err.Error()
}

func (e *HandshakeError) Unwrap() error { return e.Err }

// Hello is what a connection's handshake learned of its server: the
// address dialed, the protocol agreed and HELLO's reply. Pool.Hello
// returns the latest; it is never modified once published.
type Hello struct {
	Addr     string
	Protocol int        // 2 or 3
	Reply    resp.Value // HELLO's map (an array of pairs under RESP2); the zero Value when the server refused HELLO
}

// stepKind is what the handshake does with a step's reply.
type stepKind uint8

const (
	stepHello    stepKind = iota // its map is the server's Hello; a refusal may mean RESP2 only
	stepRequired                 // an error reply fails the handshake
	stepClientID                 // the connection's id; an error reply leaves it 0
	stepSetInfo                  // CLIENT SETINFO: an error reply (Redis before 7.2) is ignored
)

// step is one command of the handshake.
type step struct {
	kind stepKind
	name string // for HandshakeError
	args []string
}

// handshake sets the connection up in one round trip: HELLO with AUTH and
// SETNAME, SELECT, READONLY, CLIENT ID and the two CLIENT SETINFO go out
// in one write and their replies are read in order. A server that refuses
// HELLO (Redis 5 and older, some proxies) gets a second round trip without
// it: AUTH, CLIENT SETNAME and the rest, over RESP2; the replies to the
// first round were all read, so the connection stays in sync.
func handshake(conn net.Conn, rd *resp.Reader, cfg *Config, wantID bool) (*Hello, int64, error) {
	h := &Hello{Protocol: 2}
	hello := []string{"HELLO", strconv.Itoa(cfg.Protocol)}
	if cfg.Password != "" {
		user := cfg.Username
		if user == "" {
			user = "default"
		}
		hello = append(hello, "AUTH", user, cfg.Password)
	}
	if cfg.ClientName != "" {
		hello = append(hello, "SETNAME", cfg.ClientName)
	}
	steps := append([]step{{kind: stepHello, name: "HELLO", args: hello}}, setupSteps(cfg, wantID)...)
	id, helloErr, err := runSteps(conn, rd, steps, h)
	if err != nil || helloErr == nil {
		return h, id, err
	}
	// HELLO refused: RESP2 only. AUTH and CLIENT SETNAME take its place.
	steps = steps[:0]
	if cfg.Password != "" {
		args := []string{"AUTH", cfg.Password}
		if cfg.Username != "" {
			args = []string{"AUTH", cfg.Username, cfg.Password}
		}
		steps = append(steps, step{kind: stepRequired, name: "AUTH", args: args})
	}
	if cfg.ClientName != "" {
		steps = append(steps, step{kind: stepRequired, name: "CLIENT SETNAME", args: []string{"CLIENT", "SETNAME", cfg.ClientName}})
	}
	steps = append(steps, setupSteps(cfg, wantID)...)
	id, _, err = runSteps(conn, rd, steps, h)
	return h, id, err
}

// setupSteps are the steps after HELLO (or after AUTH and CLIENT SETNAME
// under RESP2).
func setupSteps(cfg *Config, wantID bool) []step {
	var steps []step
	if cfg.DB != 0 {
		steps = append(steps, step{kind: stepRequired, name: "SELECT", args: []string{"SELECT", strconv.Itoa(cfg.DB)}})
	}
	if cfg.ReadOnlyConn {
		steps = append(steps, step{kind: stepRequired, name: "READONLY", args: []string{"READONLY"}})
	}
	if wantID {
		// Only used to unblock a cancelled blocking command; a server that
		// refuses it now (BUSY running a script) still gives a usable
		// connection.
		steps = append(steps, step{kind: stepClientID, name: "CLIENT ID", args: []string{"CLIENT", "ID"}})
	}
	if !cfg.DisableClientInfo {
		steps = append(steps,
			step{kind: stepSetInfo, name: "CLIENT SETINFO", args: []string{"CLIENT", "SETINFO", "LIB-NAME", LibName}},
			step{kind: stepSetInfo, name: "CLIENT SETINFO", args: []string{"CLIENT", "SETINFO", "LIB-VER", LibVersion()}})
	}
	return steps
}

// runSteps writes steps in one write and reads their replies in order.
// A refused HELLO that means RESP2 only is returned as helloErr, after
// every other reply was read (and ignored: the steps run again without
// HELLO). Any other refusal of a required step is a *HandshakeError,
// returned at once: the connection is closed then, unread replies and all.
func runSteps(conn net.Conn, rd *resp.Reader, steps []step, h *Hello) (id int64, helloErr, err error) {
	var b []byte
	for _, s := range steps {
		b = appendCommand(b, s.args)
	}
	if _, err := conn.Write(b); err != nil {
		return 0, nil, err
	}
	for _, s := range steps {
		v, err := rd.ReadValue()
		if err != nil {
			return 0, nil, err
		}
		e := v.Err()
		switch {
		case helloErr != nil:
			// Sent after a HELLO the server refused: read, then sent again.
		case s.kind == stepHello && e == nil:
			h.Protocol, h.Reply = helloProtocol(v), v
		case s.kind == stepHello:
			var se *resp.Error
			if !errors.As(e, &se) || !(se.Prefix() == "NOPROTO" || se.Prefix() == "ERR" && isUnknownCommand(se.Message)) {
				return 0, nil, &HandshakeError{Step: s.name, Err: e}
			}
			helloErr = e
		case s.kind == stepRequired && e != nil:
			return 0, nil, &HandshakeError{Step: s.name, Err: e}
		case s.kind == stepClientID && e == nil:
			id = v.Int
		}
	}
	return id, helloErr, nil
}

// helloProtocol reads the protocol from HELLO's reply: "proto", 2 when
// the reply does not say.
func helloProtocol(v resp.Value) int {
	kv, _ := v.AsPairs()
	for i := 0; i+1 < len(kv); i += 2 {
		if k, _ := kv[i].AsString(); k == "proto" && kv[i+1].Int == 3 {
			return 3
		}
	}
	return 2
}

// roundTrip writes one command on a connection that carries nothing else
// and reads its reply (an error reply is a value, not an error).
func roundTrip(conn net.Conn, rd *resp.Reader, args ...string) (resp.Value, error) {
	if _, err := conn.Write(appendCommand(nil, args)); err != nil {
		return resp.Value{}, err
	}
	return rd.ReadValue()
}

// appendCommand appends the encoding of a command of string arguments.
func appendCommand(b []byte, args []string) []byte {
	b = resp.AppendArrayHeader(b, len(args))
	for _, a := range args {
		b = resp.AppendBulkString(b, a)
	}
	return b
}

func isUnknownCommand(msg string) bool {
	return len(msg) >= 19 && msg[:19] == "ERR unknown command"
}

// LibName is what every handshake sends as CLIENT SETINFO LIB-NAME (shown
// as lib-name by CLIENT LIST and CLIENT INFO). Redis refuses spaces and
// other characters outside '!' to '~' in it, so it carries no suffix: a
// wrapper that wants its own name there sends CLIENT SETINFO itself.
const LibName = "actoredis"

// modulePath is the module whose version LibVersion reports.
const modulePath = "github.com/actoredis/actoredis"

// devVersion is LibVersion when the build does not record this module's
// version: a test of this module, a build from its own checkout without
// version control stamping, a replace directive pointing at a directory.
// It is Go's own word for such a build.
const devVersion = "(devel)"

// LibVersion is what every handshake sends as CLIENT SETINFO LIB-VER:
// this module's version as the binary's build information records it,
// without its leading "v" ("1.4.0", "0.0.0-20261207120000-abcdef123456"),
// like the other Go clients send theirs; devVersion when the build does
// not record one or it holds a character Redis would refuse.
var LibVersion = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return devVersion
	}
	v := ""
	if bi.Main.Path == modulePath {
		v = bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == modulePath {
			v = d.Version
			if d.Replace != nil {
				v = d.Replace.Version
			}
		}
	}
	return libVersion(v)
})

// libVersion cleans a module version for CLIENT SETINFO LIB-VER.
func libVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v == devVersion {
		return devVersion
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '!' || v[i] > '~' {
			return devVersion
		}
	}
	return v
}
