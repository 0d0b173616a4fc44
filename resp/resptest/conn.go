package resptest

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/actoredis/actoredis/resp"
)

// Conn is one client connection to the Server, as handlers see it.
type Conn struct {
	s     *Server
	nc    net.Conn
	id    int64
	proto atomic.Int32
	hung  atomic.Bool

	wmu sync.Mutex // serializes writes

	authed bool // touched only by the connection's goroutine

	smu     sync.Mutex // guards name, db, libName and libVer
	name    string
	db      int
	libName string
	libVer  string
}

// ID returns the connection's id, as HELLO and CLIENT ID report it; ids
// count from 1 in the order connections were accepted.
func (c *Conn) ID() int64 { return c.id }

// Protocol returns 3 once the client switched to RESP3 with HELLO 3, else 2.
func (c *Conn) Protocol() int { return int(c.proto.Load()) }

// WriteRaw writes b to the client as is.
func (c *Conn) WriteRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_, err := c.nc.Write(b)
	return err
}

// WriteValue writes v in the protocol the connection negotiated: RESP3
// (resp.AppendValue) or RESP2 (resp.AppendValue2, which turns maps into
// flat arrays, drops attributes and so on).
func (c *Conn) WriteValue(v resp.Value) error {
	if c.Protocol() == 3 {
		return c.WriteRaw(resp.AppendValue(nil, v))
	}
	return c.WriteRaw(resp.AppendValue2(nil, v))
}

// WriteError writes the error reply -msg (for example "ERR syntax error").
func (c *Conn) WriteError(msg string) error {
	return c.WriteValue(resp.Value{Kind: resp.KindError, Str: msg})
}

// Close closes the connection the ordinary way: the client reads a FIN.
func (c *Conn) Close() error { return c.nc.Close() }

// Reset aborts the connection: the client reads an RST (SO_LINGER 0), and
// whatever it had not read yet may be lost.
func (c *Conn) Reset() error {
	if tc, ok := c.nc.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	return c.nc.Close()
}

// Hang stops the connection from answering: it keeps reading and recording
// commands, but never replies again.
func (c *Conn) Hang() { c.hung.Store(true) }

func (c *Conn) serve() {
	defer c.s.wg.Done()
	defer func() {
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
		c.nc.Close()
	}()
	r := resp.NewReader(c.nc, resp.Limits{})
	for {
		v, err := r.ReadValue()
		if err != nil {
			var pe *resp.ProtocolError
			if errors.As(err, &pe) {
				c.WriteError("ERR Protocol error: " + pe.Reason)
			}
			return
		}
		args, ok := commandArgs(v)
		if !ok {
			c.WriteError("ERR Protocol error: expected an array of bulk strings")
			return
		}
		c.s.record(args)
		if c.hung.Load() {
			continue
		}
		if c.s.opts.Password != "" && !c.authed {
			switch strings.ToUpper(args[0]) {
			case "AUTH", "HELLO", "QUIT":
			default:
				c.WriteError("NOAUTH Authentication required.")
				continue
			}
		}
		c.s.dispatch(c, args)
	}
}

// commandArgs returns the strings of a non-empty array of bulk strings.
func commandArgs(v resp.Value) ([]string, bool) {
	if v.Kind != resp.KindArray || len(v.Elems) == 0 {
		return nil, false
	}
	args := make([]string, len(v.Elems))
	for i, e := range v.Elems {
		if e.Kind != resp.KindBulkString {
			return nil, false
		}
		args[i] = e.Str
	}
	return args, true
}

func bulk(s string) resp.Value         { return resp.Value{Kind: resp.KindBulkString, Str: s} }
func integer(i int64) resp.Value       { return resp.Value{Kind: resp.KindInteger, Int: i} }
func simpleString(s string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: s} }

var ok = simpleString("OK")

// builtin answers the handshake commands; it reports false for any other.
func (c *Conn) builtin(name string, args []string) bool {
	switch name {
	case "HELLO":
		c.hello(args)
	case "AUTH":
		switch len(args) {
		case 2:
			if c.s.opts.Password == "" {
				c.WriteError("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
				return true
			}
			c.auth("default", args[1])
		case 3:
			c.auth(args[1], args[2])
		default:
			c.WriteError(wrongArity(name))
		}
	case "SELECT":
		if len(args) != 2 {
			c.WriteError(wrongArity(name))
			return true
		}
		db, err := strconv.Atoi(args[1])
		switch {
		case err != nil:
			c.WriteError("ERR value is not an integer or out of range")
		case db < 0 || db > 15:
			c.WriteError("ERR DB index is out of range")
		default:
			c.smu.Lock()
			c.db = db
			c.smu.Unlock()
			c.WriteValue(ok)
		}
	case "CLIENT":
		return c.client(args)
	case "PING":
		switch len(args) {
		case 1:
			c.WriteValue(simpleString("PONG"))
		case 2:
			c.WriteValue(bulk(args[1]))
		default:
			c.WriteError(wrongArity(name))
		}
	case "ECHO":
		if len(args) != 2 {
			c.WriteError(wrongArity(name))
			return true
		}
		c.WriteValue(bulk(args[1]))
	case "QUIT":
		c.WriteValue(ok)
		c.Close()
	default:
		return false
	}
	return true
}

// auth answers AUTH.
func (c *Conn) auth(user, pass string) {
	if !c.s.credentialsOK(user, pass) {
		c.WriteError(wrongPass)
		return
	}
	c.authed = true
	c.WriteValue(ok)
}

const wrongPass = "WRONGPASS invalid username-password pair or user is disabled."

// credentialsOK checks a user and password as AUTH and HELLO do. With no
// password configured, the default user takes any password (Redis's
// nopass) and there is no other user.
func (s *Server) credentialsOK(user, pass string) bool {
	if s.opts.Password == "" {
		return user == "default"
	}
	return user == s.opts.Username && pass == s.opts.Password
}

func (c *Conn) hello(args []string) {
	o := c.s.opts
	if o.RESP2Only {
		c.WriteError(unknownCommand(args))
		return
	}
	proto := c.Protocol()
	if len(args) > 1 {
		p, err := strconv.Atoi(args[1])
		if err != nil {
			c.WriteError("ERR Protocol version is not an integer or out of range")
			return
		}
		if p != 2 && p != 3 {
			c.WriteError("NOPROTO unsupported protocol version")
			return
		}
		proto = p
	}
	var user, pass, name string
	authGiven, nameGiven := false, false
	for i := 2; i < len(args); i++ {
		switch strings.ToUpper(args[i]) {
		case "AUTH":
			if i+2 >= len(args) {
				c.WriteError("ERR Syntax error in HELLO option '" + args[i] + "'")
				return
			}
			user, pass, authGiven = args[i+1], args[i+2], true
			i += 2
		case "SETNAME":
			if i+1 >= len(args) {
				c.WriteError("ERR Syntax error in HELLO option '" + args[i] + "'")
				return
			}
			name, nameGiven = args[i+1], true
			i++
		default:
			c.WriteError("ERR Syntax error in HELLO option '" + args[i] + "'")
			return
		}
	}
	if authGiven {
		if !c.s.credentialsOK(user, pass) {
			c.WriteError(wrongPass)
			return
		}
		c.authed = true
	}
	if o.Password != "" && !c.authed {
		c.WriteError("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
		return
	}
	if nameGiven {
		c.setName(name)
	}
	c.proto.Store(int32(proto))
	c.WriteValue(resp.Value{Kind: resp.KindMap, Elems: []resp.Value{
		bulk("server"), bulk(o.Server),
		bulk("version"), bulk(o.Version),
		bulk("proto"), integer(int64(proto)),
		bulk("id"), integer(c.id),
		bulk("mode"), bulk("standalone"),
		bulk("role"), bulk("master"),
		bulk("modules"), {Kind: resp.KindArray, Elems: []resp.Value{}},
	}})
}

// client answers the CLIENT subcommands a client library sends while
// connecting; it reports false for the others.
func (c *Conn) client(args []string) bool {
	if len(args) < 2 {
		return false
	}
	switch strings.ToUpper(args[1]) {
	case "SETNAME":
		if len(args) != 3 {
			c.WriteError(wrongArity("client|setname"))
			return true
		}
		if strings.ContainsAny(args[2], " \r\n") {
			c.WriteError("ERR Client names cannot contain spaces, newlines or special characters.")
			return true
		}
		c.setName(args[2])
		c.WriteValue(ok)
	case "GETNAME":
		if name := c.Name(); name != "" {
			c.WriteValue(bulk(name))
		} else {
			c.WriteValue(resp.Value{Kind: resp.KindNull})
		}
	case "SETINFO":
		if !c.s.hasSetInfo() {
			c.WriteError("ERR unknown subcommand '" + args[1] + "'. Try CLIENT HELP.")
			return true
		}
		if len(args) != 4 {
			c.WriteError(wrongArity("client|setinfo"))
			return true
		}
		attr := strings.ToUpper(args[2])
		if attr != "LIB-NAME" && attr != "LIB-VER" {
			c.WriteError("ERR Unrecognized option '" + args[2] + "'")
			return true
		}
		if strings.ContainsFunc(args[3], func(r rune) bool { return r < '!' || r > '~' }) {
			c.WriteError("ERR " + attr + " cannot contain spaces, newlines or special characters.")
			return true
		}
		c.smu.Lock()
		if attr == "LIB-NAME" {
			c.libName = args[3]
		} else {
			c.libVer = args[3]
		}
		c.smu.Unlock()
		c.WriteValue(ok)
	case "ID":
		c.WriteValue(integer(c.id))
	default:
		return false
	}
	return true
}

func wrongArity(name string) string {
	return "ERR wrong number of arguments for '" + strings.ToLower(name) + "' command"
}

// Name returns the connection name set by CLIENT SETNAME or HELLO SETNAME.
func (c *Conn) Name() string {
	c.smu.Lock()
	defer c.smu.Unlock()
	return c.name
}

// DB returns the database selected with SELECT (0 by default).
func (c *Conn) DB() int {
	c.smu.Lock()
	defer c.smu.Unlock()
	return c.db
}

// LibName and LibVer return what CLIENT SETINFO set, as CLIENT LIST
// shows it in lib-name and lib-ver ("" when not set).
func (c *Conn) LibName() string {
	c.smu.Lock()
	defer c.smu.Unlock()
	return c.libName
}

// LibVer: see LibName.
func (c *Conn) LibVer() string {
	c.smu.Lock()
	defer c.smu.Unlock()
	return c.libVer
}

func (c *Conn) setName(name string) {
	c.smu.Lock()
	defer c.smu.Unlock()
	c.name = name
}
