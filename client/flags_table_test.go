package client

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

// methodCall is what one command method sent, found by calling it with
// placeholder arguments.
type methodCall struct {
	method string
	name   string // the command, as newFuture got it: "CLIENT LIST"
	flags  messages.Flags
}

// callEveryMethod calls every command method of cmds and Conn with
// placeholder arguments and reports the command each one built. Methods
// that return no Future (iterators, Do) are left out.
func callEveryMethod(t *testing.T) []methodCall {
	t.Helper()
	ctx := context.Background()
	_, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
	cn := &Conn{cmds: c}
	var calls []methodCall
	for _, recv := range []reflect.Value{reflect.ValueOf(c), reflect.ValueOf(cn)} {
		rt := recv.Type()
		for i := range rt.NumMethod() {
			m := rt.Method(i)
			if recv.Kind() == reflect.Pointer {
				if _, shared := reflect.TypeFor[cmds]().MethodByName(m.Name); shared {
					continue
				}
			}
			if m.Name == "Do" || m.Name == "ClientReply" { // ClientReply writes through the Conn's lease
				continue
			}
			ft := m.Type
			if ft.NumOut() == 0 || !isFuture(ft.Out(0)) {
				continue
			}
			args := []reflect.Value{recv}
			for j := 1; j < ft.NumIn(); j++ {
				in := ft.In(j)
				if j == ft.NumIn()-1 && ft.IsVariadic() {
					args = append(args, placeholder(ctx, in.Elem()))
					continue
				}
				args = append(args, placeholder(ctx, in))
			}
			out := m.Func.Call(args)[0]
			cmd := out.Elem().FieldByName("b").FieldByName("cmd").Elem()
			calls = append(calls, methodCall{
				method: m.Name,
				name:   cmd.FieldByName("Name").String(),
				flags:  messages.Flags(cmd.FieldByName("Flags").Uint()),
			})
		}
	}
	return calls
}

func isFuture(t reflect.Type) bool {
	return t.Kind() == reflect.Pointer && strings.HasPrefix(t.Elem().Name(), "Future[")
}

// placeholder returns a plausible argument of type t: a context, a
// non-empty string, one, one second, a slice of one placeholder, zero
// options.
func placeholder(ctx context.Context, t reflect.Type) reflect.Value {
	switch {
	case t == reflect.TypeFor[context.Context]():
		return reflect.ValueOf(&ctx).Elem()
	case t == reflect.TypeFor[time.Duration]():
		return reflect.ValueOf(time.Second)
	case t == reflect.TypeFor[time.Time]():
		return reflect.ValueOf(time.Unix(1700000000, 0))
	case t.Kind() == reflect.Interface:
		v := reflect.New(t).Elem()
		if reflect.TypeFor[string]().Implements(t) {
			v.Set(reflect.ValueOf("x"))
		}
		return v
	}
	v := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64, reflect.Int32:
		if t.Name() == "int" || t.Name() == "int64" || t.Name() == "int32" {
			v.SetInt(1)
		}
	case reflect.Uint, reflect.Uint64, reflect.Uint16:
		if t.Name() == "uint" || t.Name() == "uint64" || t.Name() == "uint16" {
			v.SetUint(1)
		}
	case reflect.Float64:
		v.SetFloat(1)
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 {
			v = reflect.Append(v, placeholder(ctx, t.Elem()))
		}
	}
	return v
}

// TestMethodFlagsAgreeWithTable: every command method sets at least the
// ReadOnly and Blocking bits of the flags table (messages.FlagsOf), so that
// routing and retry treat a typed call as they treat the same command
// through Do, and no more Blocking or Stateful bits: those decide the
// connection, which must be the same both ways. A method may add
// ReadOnly to a command that reads only server or connection state (the
// server flags only key-space reads readonly); the test logs those.
func TestMethodFlagsAgreeWithTable(t *testing.T) {
	calls := callEveryMethod(t)
	if len(calls) < 300 {
		t.Fatalf("only %d methods called", len(calls))
	}
	var extraReadOnly []string
	for _, c := range calls {
		if c.name == "" {
			t.Errorf("%s: no command name", c.method)
			continue
		}
		want := messages.FlagsOf(c.name)
		if want == 0 && !knownCommand(c.name) {
			t.Errorf("%s sends %q, which is not in the flags table", c.method, c.name)
			continue
		}
		need := want & (messages.ReadOnly | messages.Blocking)
		if !c.flags.Has(need) {
			t.Errorf("%s (%s): flags %v lack %v of the table's %v", c.method, c.name, c.flags, need&^c.flags, want)
		}
		extra := c.flags &^ want
		if extra&(messages.Blocking|messages.Stateful) != 0 {
			t.Errorf("%s (%s): %v, but the table says %v", c.method, c.name, c.flags, want)
		}
		if extra.Has(messages.ReadOnly) {
			extraReadOnly = append(extraReadOnly, c.name)
		}
		if want.Has(messages.Stateful) && !c.flags.Has(messages.Stateful) {
			t.Errorf("%s (%s): flags %v lack Stateful", c.method, c.name, c.flags)
		}
	}
	slices.Sort(extraReadOnly)
	t.Logf("%d methods checked; read-only beyond the server's readonly flag: %s",
		len(calls), strings.Join(slices.Compact(extraReadOnly), ", "))
}

// knownCommand tells a command with no flags from an unknown one.
func knownCommand(name string) bool { return messages.Known(name) }
