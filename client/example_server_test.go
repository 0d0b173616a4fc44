package client_test

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/actoredis/actoredis/resp"
	"github.com/actoredis/actoredis/resp/resptest"
)

// exampleServer starts a stand-in for redis-server on a free loopback
// port, so that the examples with an Output section run anywhere. It is
// resptest's scripted fake server with a small in-memory keyspace behind
// it: strings, lists, SCAN, MULTI/EXEC with WATCH, and pub/sub. It knows
// only the commands the examples send.
func exampleServer() (addr string, stop func()) {
	st := &exampleStore{
		data:     map[string]any{},
		versions: map[string]int{},
		conns:    map[*resptest.Conn]*exampleConn{},
	}
	s, err := resptest.Start(resptest.Options{Handler: st.serve})
	if err != nil {
		panic(err)
	}
	return s.Addr(), func() { s.Close() }
}

// exampleStore is the keyspace of exampleServer: a string or a []string
// (a list) per key, and a version per key that WATCH compares.
type exampleStore struct {
	mu       sync.Mutex
	data     map[string]any
	versions map[string]int
	conns    map[*resptest.Conn]*exampleConn
}

// exampleConn is the state of one connection: an open MULTI's queue, the
// versions of the keys it watches, the channels it subscribed to.
type exampleConn struct {
	multi   bool
	queued  [][]string
	watched map[string]int
	subs    []string
}

func (st *exampleStore) serve(c *resptest.Conn, args []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	cs := st.conns[c]
	if cs == nil {
		cs = &exampleConn{}
		st.conns[c] = cs
	}
	name := strings.ToUpper(args[0])
	switch {
	case name == "MULTI":
		cs.multi, cs.queued = true, nil
		c.WriteValue(exampleStatus("OK"))
	case name == "DISCARD":
		cs.multi, cs.queued, cs.watched = false, nil, nil
		c.WriteValue(exampleStatus("OK"))
	case name == "EXEC":
		c.WriteValue(st.exec(cs))
	case cs.multi:
		cs.queued = append(cs.queued, args)
		c.WriteValue(exampleStatus("QUEUED"))
	case name == "WATCH":
		if cs.watched == nil {
			cs.watched = map[string]int{}
		}
		for _, k := range args[1:] {
			cs.watched[k] = st.versions[k]
		}
		c.WriteValue(exampleStatus("OK"))
	case name == "UNWATCH":
		cs.watched = nil
		c.WriteValue(exampleStatus("OK"))
	case name == "SUBSCRIBE":
		for _, ch := range args[1:] {
			cs.subs = append(cs.subs, ch)
			c.WriteValue(examplePush("subscribe", ch, len(cs.subs)))
		}
	case name == "UNSUBSCRIBE":
		drop := args[1:]
		if len(drop) == 0 {
			drop = slices.Clone(cs.subs)
		}
		for _, ch := range drop {
			cs.subs = slices.DeleteFunc(cs.subs, func(s string) bool { return s == ch })
			c.WriteValue(examplePush("unsubscribe", ch, len(cs.subs)))
		}
	case name == "PUBLISH":
		n := 0
		for other, os := range st.conns {
			if slices.Contains(os.subs, args[1]) {
				other.WriteValue(resp.Value{Kind: resp.KindPush, Elems: []resp.Value{
					exampleBulk("message"), exampleBulk(args[1]), exampleBulk(args[2])}})
				n++
			}
		}
		c.WriteValue(resp.Value{Kind: resp.KindInteger, Int: int64(n)})
	default:
		c.WriteValue(st.run(args))
	}
}

// exec runs a MULTI's queue, or answers null when a watched key changed.
func (st *exampleStore) exec(cs *exampleConn) resp.Value {
	queued, watched := cs.queued, cs.watched
	cs.multi, cs.queued, cs.watched = false, nil, nil
	for k, v := range watched {
		if st.versions[k] != v {
			return resp.Value{Kind: resp.KindNull}
		}
	}
	out := resp.Value{Kind: resp.KindArray, Elems: []resp.Value{}}
	for _, args := range queued {
		out.Elems = append(out.Elems, st.run(args))
	}
	return out
}

// run executes one data command.
func (st *exampleStore) run(args []string) resp.Value {
	wrongType := resp.Value{Kind: resp.KindError, Str: "WRONGTYPE Operation against a key holding the wrong kind of value"}
	key := ""
	if len(args) > 1 {
		key = args[1]
	}
	switch strings.ToUpper(args[0]) {
	case "GET":
		switch v := st.data[key].(type) {
		case nil:
			return resp.Value{Kind: resp.KindNull}
		case string:
			return exampleBulk(v)
		}
		return wrongType
	case "SET":
		st.write(key, args[2])
		return exampleStatus("OK")
	case "INCR", "INCRBY":
		by := int64(1)
		if len(args) > 2 {
			by, _ = strconv.ParseInt(args[2], 10, 64)
		}
		old, isString := st.data[key].(string)
		if st.data[key] != nil && !isString {
			return wrongType
		}
		n, err := strconv.ParseInt(old, 10, 64)
		if old != "" && err != nil {
			return resp.Value{Kind: resp.KindError, Str: "ERR value is not an integer or out of range"}
		}
		st.write(key, strconv.FormatInt(n+by, 10))
		return resp.Value{Kind: resp.KindInteger, Int: n + by}
	case "LPUSH", "RPUSH":
		list, isList := st.data[key].([]string)
		if st.data[key] != nil && !isList {
			return wrongType
		}
		for _, e := range args[2:] {
			if args[0][0] == 'L' || args[0][0] == 'l' {
				list = append([]string{e}, list...)
			} else {
				list = append(list, e)
			}
		}
		st.write(key, list)
		return resp.Value{Kind: resp.KindInteger, Int: int64(len(list))}
	case "DEL":
		n := 0
		for _, k := range args[1:] {
			if st.data[k] != nil {
				st.write(k, nil)
				n++
			}
		}
		return resp.Value{Kind: resp.KindInteger, Int: int64(n)}
	case "SCAN":
		match := "*"
		for i := 2; i+1 < len(args); i += 2 {
			if strings.EqualFold(args[i], "MATCH") {
				match = args[i+1]
			}
		}
		var names []string
		for k := range st.data {
			if ok, _ := path.Match(match, k); ok {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		keys := []resp.Value{}
		for _, k := range names {
			keys = append(keys, exampleBulk(k))
		}
		return resp.Value{Kind: resp.KindArray, Elems: []resp.Value{exampleBulk("0"), {Kind: resp.KindArray, Elems: keys}}}
	}
	return resp.Value{Kind: resp.KindError, Str: "ERR unknown command '" + args[0] + "'"}
}

// write sets key to v (nil deletes it) and bumps its version.
func (st *exampleStore) write(key string, v any) {
	if v == nil {
		delete(st.data, key)
	} else {
		st.data[key] = v
	}
	st.versions[key]++
}

func exampleBulk(s string) resp.Value   { return resp.Value{Kind: resp.KindBulkString, Str: s} }
func exampleStatus(s string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: s} }

func examplePush(kind, channel string, count int) resp.Value {
	return resp.Value{Kind: resp.KindPush, Elems: []resp.Value{
		exampleBulk(kind), exampleBulk(channel), {Kind: resp.KindInteger, Int: int64(count)}}}
}
