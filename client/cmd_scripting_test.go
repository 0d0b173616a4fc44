package client

import (
	"context"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/messages"
	"github.com/actoredis/actoredis/resp"
)

func TestScriptingEncoding(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		call  func(c cmds) error
		want  string
		flags messages.Flags
	}{
		{"Eval", func(c cmds) error { return c.Eval(ctx, "return 1", []string{"a", "b"}, "x", 2).Err() }, "EVAL return 1 2 a b x 2", 0},
		{"Eval no keys", func(c cmds) error { return c.Eval(ctx, "return 1", nil).Err() }, "EVAL return 1 0", 0},
		{"EvalRO", func(c cmds) error { return c.EvalRO(ctx, "s", []string{"a"}).Err() }, "EVAL_RO s 1 a", ro},
		{"EvalSha", func(c cmds) error { return c.EvalSha(ctx, "abc", []string{"a"}, 1.5).Err() }, "EVALSHA abc 1 a 1.5", 0},
		{"EvalShaRO", func(c cmds) error { return c.EvalShaRO(ctx, "abc", nil, "x").Err() }, "EVALSHA_RO abc 0 x", ro},
		{"FCall", func(c cmds) error { return c.FCall(ctx, "fn", []string{"a"}, "x").Err() }, "FCALL fn 1 a x", 0},
		{"FCallRO", func(c cmds) error { return c.FCallRO(ctx, "fn", nil).Err() }, "FCALL_RO fn 0", ro},
		{"ScriptLoad", func(c cmds) error { return c.ScriptLoad(ctx, "return 1").Err() }, "SCRIPT LOAD return 1", idem},
		{"ScriptExists", func(c cmds) error { return c.ScriptExists(ctx, "a", "b").Err() }, "SCRIPT EXISTS a b", ro},
		{"ScriptFlush", func(c cmds) error { return c.ScriptFlush(ctx).Err() }, "SCRIPT FLUSH", idem},
		{"ScriptFlushWith async", func(c cmds) error {
			return c.ScriptFlushWith(ctx, ScriptFlushOptions{Mode: ScriptFlushAsync}).Err()
		}, "SCRIPT FLUSH ASYNC", idem},
		{"ScriptFlushWith sync", func(c cmds) error {
			return c.ScriptFlushWith(ctx, ScriptFlushOptions{Mode: ScriptFlushSync}).Err()
		}, "SCRIPT FLUSH SYNC", idem},
		{"ScriptKill", func(c cmds) error { return c.ScriptKill(ctx).Err() }, "SCRIPT KILL", messages.Blocking},
		{"ScriptDebug", func(c cmds) error { return c.ScriptDebug(ctx, ScriptDebugYes).Err() }, "SCRIPT DEBUG YES", messages.Stateful},
		{"ScriptDebug no", func(c cmds) error { return c.ScriptDebug(ctx, ScriptDebugNo).Err() }, "SCRIPT DEBUG NO", messages.Stateful},
		{"FunctionLoad", func(c cmds) error { return c.FunctionLoad(ctx, "code").Err() }, "FUNCTION LOAD code", 0},
		{"FunctionLoadWith", func(c cmds) error {
			return c.FunctionLoadWith(ctx, "code", FunctionLoadOptions{Replace: true}).Err()
		}, "FUNCTION LOAD REPLACE code", idem},
		{"FunctionDelete", func(c cmds) error { return c.FunctionDelete(ctx, "lib").Err() }, "FUNCTION DELETE lib", 0},
		{"FunctionFlush", func(c cmds) error { return c.FunctionFlush(ctx).Err() }, "FUNCTION FLUSH", idem},
		{"FunctionFlushWith", func(c cmds) error {
			return c.FunctionFlushWith(ctx, FunctionFlushOptions{Mode: ScriptFlushAsync}).Err()
		}, "FUNCTION FLUSH ASYNC", idem},
		{"FunctionKill", func(c cmds) error { return c.FunctionKill(ctx).Err() }, "FUNCTION KILL", messages.Blocking},
		{"FunctionList", func(c cmds) error { return c.FunctionList(ctx).Err() }, "FUNCTION LIST", ro},
		{"FunctionListWith", func(c cmds) error {
			return c.FunctionListWith(ctx, FunctionListOptions{LibraryName: "l*", WithCode: true}).Err()
		}, "FUNCTION LIST LIBRARYNAME l* WITHCODE", ro},
		{"FunctionDump", func(c cmds) error { return c.FunctionDump(ctx).Err() }, "FUNCTION DUMP", ro},
		{"FunctionRestore", func(c cmds) error { return c.FunctionRestore(ctx, []byte("p")).Err() }, "FUNCTION RESTORE p", 0},
		{"FunctionRestoreWith append", func(c cmds) error {
			return c.FunctionRestoreWith(ctx, []byte("p"), FunctionRestoreOptions{Policy: FunctionRestoreAppend}).Err()
		}, "FUNCTION RESTORE p APPEND", 0},
		{"FunctionRestoreWith replace", func(c cmds) error {
			return c.FunctionRestoreWith(ctx, []byte("p"), FunctionRestoreOptions{Policy: FunctionRestoreReplace}).Err()
		}, "FUNCTION RESTORE p REPLACE", idem},
		{"FunctionRestoreWith flush", func(c cmds) error {
			return c.FunctionRestoreWith(ctx, []byte("p"), FunctionRestoreOptions{Policy: FunctionRestoreFlush}).Err()
		}, "FUNCTION RESTORE p FLUSH", idem},
		{"FunctionStats", func(c cmds) error { return c.FunctionStats(ctx).Err() }, "FUNCTION STATS", messages.Blocking},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, c := newScript(t, func([]string) resp.Value { return resp.Value{Kind: resp.KindSimpleString, Str: "OK"} })
			_ = tt.call(c)
			assert.Equal(t, tt.want, s.line())
			assert.Equal(t, tt.flags, s.last().flags, "flags: %v", s.last().flags)
		})
	}
}

func TestScriptingRoutesByFirstKey(t *testing.T) {
	s, c := replying(t, ":1")
	require.NoError(t, c.Eval(context.Background(), "return 1", []string{"{t}a", "{t}b"}).Err())
	assert.Equal(t, int(Slot("t")), s.last().slot)
	require.NoError(t, c.FCall(context.Background(), "f", nil).Err())
	assert.Equal(t, -1, s.last().slot, "keyless")
}

func TestScriptingInvalidArguments(t *testing.T) {
	ctx := context.Background()
	tests := map[string]func(c cmds) error{
		"ScriptExists none":  func(c cmds) error { return c.ScriptExists(ctx).Err() },
		"ScriptFlush mode":   func(c cmds) error { return c.ScriptFlushWith(ctx, ScriptFlushOptions{Mode: 9}).Err() },
		"FunctionFlush mode": func(c cmds) error { return c.FunctionFlushWith(ctx, FunctionFlushOptions{Mode: 9}).Err() },
		"ScriptDebug mode":   func(c cmds) error { return c.ScriptDebug(ctx, 7).Err() },
		"FunctionRestore policy": func(c cmds) error {
			return c.FunctionRestoreWith(ctx, nil, FunctionRestoreOptions{Policy: 9}).Err()
		},
	}
	for name, call := range tests {
		t.Run(name, func(t *testing.T) {
			s, c := replying(t, "+OK")
			assert.ErrorIs(t, call(c), ErrInvalidArg)
			assert.Empty(t, s.sent, "nothing is sent")
		})
	}
}

func TestScriptingEnumStrings(t *testing.T) {
	assert.Equal(t, "default", ScriptFlushDefault.String())
	assert.Equal(t, "ASYNC", ScriptFlushAsync.String())
	assert.Equal(t, "ScriptFlushMode(9)", ScriptFlushMode(9).String())
	assert.Equal(t, "SYNC", ScriptDebugSync.String())
	assert.Equal(t, "ScriptDebugMode(9)", ScriptDebugMode(9).String())
	assert.Equal(t, "default", FunctionRestoreDefault.String())
	assert.Equal(t, "FLUSH", FunctionRestoreFlush.String())
	assert.Equal(t, "FunctionRestorePolicy(9)", FunctionRestorePolicy(9).String())
}

func TestScriptRunFallsBackOnNoScript(t *testing.T) {
	ctx := context.Background()
	script := NewScript("return 1")
	assert.Equal(t, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", script.Hash())
	cached := false
	s, c := newScript(t, func(args []string) resp.Value {
		switch args[0] {
		case "EVALSHA", "EVALSHA_RO":
			if !cached {
				return resp.Value{Kind: resp.KindError, Str: "NOSCRIPT No matching script. Please use EVAL."}
			}
		case "EVAL", "EVAL_RO":
			cached = true
		}
		return resp.Value{Kind: resp.KindInteger, Int: 1}
	})
	sc := Client{cmds: c}
	got, err := script.Run(ctx, &sc, []string{"k"}, "a").Result()
	require.NoError(t, err)
	assert.Equal(t, int64(1), got.Int)
	require.Len(t, s.sent, 2)
	assert.Equal(t, []string{"EVALSHA", script.Hash(), "1", "k", "a"}, s.sent[0].args)
	assert.Equal(t, []string{"EVAL", "return 1", "1", "k", "a"}, s.sent[1].args)
	_, err = script.Run(ctx, &sc, nil).Result()
	require.NoError(t, err)
	assert.Len(t, s.sent, 3, "cached: EVALSHA only")

	cached = false
	_, err = script.RunRO(ctx, &sc, nil).Result()
	require.NoError(t, err)
	assert.Equal(t, "EVALSHA_RO", s.sent[3].args[0])
	assert.Equal(t, "EVAL_RO", s.sent[4].args[0])

	// Another error is returned as it is, with no EVAL.
	_, c = replying(t, "-ERR boom")
	sc = Client{cmds: c}
	_, err = script.Run(ctx, &sc, nil).Result()
	var se *Error
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "ERR", se.Prefix())
}

// Script.Run waits for EVALSHA's reply, which a pipeline gives only at
// Exec: handing it a pipeline does not compile.
func TestScripterIsNotAPipeline(t *testing.T) {
	scripter := reflect.TypeFor[Scripter]()
	for _, typ := range []reflect.Type{reflect.TypeFor[*Client](), reflect.TypeFor[*Conn](),
		reflect.TypeFor[*Tx](), reflect.TypeFor[*ClusterClient]()} {
		assert.True(t, typ.Implements(scripter), "%v", typ)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[*Pipeline](), reflect.TypeFor[*ClusterPipeline]()} {
		assert.False(t, typ.Implements(scripter), "%v", typ)
	}
}
