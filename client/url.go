package client

import (
	"crypto/tls"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// NewFromURL is New with the Options read by ParseURL.
func NewFromURL(rawURL string) (*Client, error) {
	opts, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return New(opts)
}

// ParseURL reads a Redis URL into Options:
//
//	redis://[user[:password]@]host[:port][/db]   TCP (port 6379 by default)
//	rediss://...                                 the same over TLS
//	unix://[user[:password]@]/path/to.sock[?db=N]
//
// Query parameters: db, protocol (2 or 3), client_name, pool_size,
// min_idle, dial_timeout, read_timeout, write_timeout, pool_timeout,
// idle_timeout, max_lifetime (durations as Go durations, "500ms", or plain
// seconds). Errors never contain the password.
func ParseURL(rawURL string) (Options, error) {
	var o Options
	u, err := url.Parse(rawURL)
	if err != nil {
		return o, &urlError{msg: "cannot parse"} // url.Error would quote the password
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
		if _, hasPass := u.User.Password(); !hasPass && o.Username != "" {
			// redis://secret@host: a lone userinfo is a password (as
			// redis-cli and redis-py read it).
			o.Password, o.Username = o.Username, ""
		}
	}
	switch u.Scheme {
	case "redis", "rediss":
		host, port := u.Hostname(), u.Port()
		if host == "" {
			host = "localhost"
		}
		if port == "" {
			port = "6379"
		}
		o.Addr = net.JoinHostPort(host, port)
		o.Network = "tcp"
		if p := strings.Trim(u.Path, "/"); p != "" {
			db, err := strconv.Atoi(p)
			if err != nil || db < 0 {
				return Options{}, &urlError{msg: "database must be a non-negative number, not " + strconv.Quote(p)}
			}
			o.DB = db
		}
		if u.Scheme == "rediss" {
			o.TLSConfig = &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		}
	case "unix":
		if u.Path == "" {
			return Options{}, &urlError{msg: "unix URL needs a socket path"}
		}
		o.Network, o.Addr = "unix", u.Path
	default:
		return Options{}, &urlError{msg: "scheme must be redis, rediss or unix, not " + strconv.Quote(u.Scheme)}
	}
	q := u.Query()
	ints := map[string]*int{"db": &o.DB, "protocol": &o.Protocol, "pool_size": &o.PoolSize, "min_idle": &o.MinIdle}
	durs := map[string]*time.Duration{"dial_timeout": &o.DialTimeout, "read_timeout": &o.ReadTimeout,
		"write_timeout": &o.WriteTimeout, "pool_timeout": &o.PoolTimeout, "idle_timeout": &o.IdleTimeout,
		"max_lifetime": &o.MaxLifetime}
	for name, vals := range q {
		v := vals[len(vals)-1]
		switch {
		case ints[name] != nil:
			n, err := strconv.Atoi(v)
			if err != nil {
				return Options{}, &urlError{msg: name + " must be a number, not " + strconv.Quote(v)}
			}
			*ints[name] = n
		case durs[name] != nil:
			d, err := parseDuration(v)
			if err != nil {
				return Options{}, &urlError{msg: name + " must be a duration, not " + strconv.Quote(v)}
			}
			*durs[name] = d
		case name == "client_name":
			o.ClientName = v
		default:
			return Options{}, &urlError{msg: "unknown parameter " + strconv.Quote(name)}
		}
	}
	if err := o.validate(); err != nil {
		return Options{}, &urlError{msg: err.Error()}
	}
	return o, nil
}

func parseDuration(s string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(n * float64(time.Second)), nil
	}
	return time.ParseDuration(s)
}
