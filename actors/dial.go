package actors

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/actoredis/actoredis/resp"
)

// dialWire opens a socket to cfg.Addr (or where cfg.Resolve says) and
// performs the handshake: HELLO (falling back to RESP2 when the server
// refuses it), AUTH, CLIENT SETNAME, SELECT and, with cfg.Role, ROLE. It
// returns the wire, not yet started, and the protocol agreed.
func dialWire(ctx context.Context, cfg *Config, wantID bool) (*wire, int, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
	defer cancel()
	network, addr := cfg.Network, cfg.Addr
	var conn net.Conn
	var err error
	if cfg.Resolve != nil {
		if network, addr, err = cfg.Resolve(ctx); err != nil {
			return nil, 0, err
		}
	}
	if cfg.Dialer != nil {
		conn, err = cfg.Dialer(ctx, network, addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, network, addr)
	}
	if err != nil {
		return nil, 0, err
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
			return nil, 0, err
		}
		conn = tconn
	}
	rd := resp.NewReader(conn, cfg.Limits)
	proto, id, err := handshake(conn, rd, cfg, wantID)
	if err == nil && cfg.Role != "" {
		err = checkRole(conn, rd, cfg.Role, addr)
	}
	if err != nil {
		_ = conn.Close()
		return nil, 0, err
	}
	_ = conn.SetDeadline(time.Time{})
	w := newWire(conn, rd, cfg, addr)
	w.clientID = id
	return w, proto, nil
}

// HandshakeError is a refusal by the server during the connection
// handshake (wrong password, unknown database, ...).
type HandshakeError struct {
	Step string // "HELLO", "AUTH", "SELECT", "CLIENT SETNAME"
	Err  error
}

func (e *HandshakeError) Error() string {
	return "actoredis: handshake " + e.Step + " failed: " + e.Err.Error()
}

func (e *HandshakeError) Unwrap() error { return e.Err }

func handshake(conn net.Conn, rd *resp.Reader, cfg *Config, wantID bool) (int, int64, error) {
	call := func(step string, args ...string) (resp.Value, error) {
		v, err := roundTrip(conn, rd, args...)
		if err != nil {
			return v, err
		}
		if e := v.Err(); e != nil {
			return v, &HandshakeError{Step: step, Err: e}
		}
		return v, nil
	}
	proto := 2
	authed, named := false, false
	if cfg.Protocol == 3 {
		args := []string{"HELLO", "3"}
		if cfg.Password != "" {
			user := cfg.Username
			if user == "" {
				user = "default"
			}
			args = append(args, "AUTH", user, cfg.Password)
		}
		if cfg.ClientName != "" {
			args = append(args, "SETNAME", cfg.ClientName)
		}
		_, err := call("HELLO", args...)
		var se *resp.Error
		switch {
		case err == nil:
			proto, authed, named = 3, true, true
		case errors.As(err, &se) && (se.Prefix() == "NOPROTO" || se.Prefix() == "ERR" && isUnknownCommand(se.Message)):
			// RESP2 only: fall through to AUTH and CLIENT SETNAME.
		default:
			return 0, 0, err
		}
	}
	if !authed && cfg.Password != "" {
		args := []string{"AUTH", cfg.Password}
		if cfg.Username != "" {
			args = []string{"AUTH", cfg.Username, cfg.Password}
		}
		if _, err := call("AUTH", args...); err != nil {
			return 0, 0, err
		}
	}
	if !named && cfg.ClientName != "" {
		if _, err := call("CLIENT SETNAME", "CLIENT", "SETNAME", cfg.ClientName); err != nil {
			return 0, 0, err
		}
	}
	if cfg.DB != 0 {
		if _, err := call("SELECT", "SELECT", strconv.Itoa(cfg.DB)); err != nil {
			return 0, 0, err
		}
	}
	if cfg.ReadOnlyConn {
		if _, err := call("READONLY", "READONLY"); err != nil {
			return 0, 0, err
		}
	}
	var id int64
	if wantID {
		// Only used to unblock a cancelled blocking command; a server that
		// refuses it now (BUSY running a script) still gives a usable
		// connection.
		v, err := call("CLIENT ID", "CLIENT", "ID")
		var se *resp.Error
		switch {
		case err == nil:
			id = v.Int
		case !errors.As(err, &se):
			return 0, 0, err
		}
	}
	return proto, id, nil
}

// roundTrip writes one command on a connection that carries nothing else
// and reads its reply (an error reply is a value, not an error).
func roundTrip(conn net.Conn, rd *resp.Reader, args ...string) (resp.Value, error) {
	b := resp.AppendArrayHeader(nil, len(args))
	for _, a := range args {
		b = resp.AppendBulkString(b, a)
	}
	if _, err := conn.Write(b); err != nil {
		return resp.Value{}, err
	}
	return rd.ReadValue()
}

func isUnknownCommand(msg string) bool {
	return len(msg) >= 19 && msg[:19] == "ERR unknown command"
}
