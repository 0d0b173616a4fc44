//go:build integration

package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/actoredis/actoredis/client"
	"github.com/actoredis/actoredis/integration/redistest"
	"github.com/actoredis/actoredis/resp"
)

// scriptingLib is a function library for the FUNCTION tests.
const scriptingLib = `#!lua name=sscriptlib
redis.register_function('sscript_set', function(keys, args) return redis.call('SET', keys[1], args[1]) end)
redis.register_function{function_name='sscript_get', callback=function(keys) return redis.call('GET', keys[1]) end,
  flags={'no-writes'}, description='reads a key'}
`

const scriptingSpinLib = `#!lua name=sscriptspin
redis.register_function{function_name='sscript_spin', callback=function() while true do end end, flags={'no-writes'}}
`

func scriptingStrings(t *testing.T, v resp.Value) []string {
	t.Helper()
	s, err := v.AsStrings()
	require.NoError(t, err)
	return s
}

func TestScriptingEval(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("k")
		const echo = "return {KEYS[1], ARGV[1], ARGV[2]}"

		got := valueOf(t, c.Eval(ctx, echo, []string{k}, "a", 2))
		assert.Equal(t, []string{k, "a", "2"}, scriptingStrings(t, got))
		assert.Equal(t, resp.Value{Kind: resp.KindInteger, Int: 7}, valueOf(t, c.Eval(ctx, "return 7", nil)))
		valueOf(t, c.Eval(ctx, "return redis.call('SET', KEYS[1], ARGV[1])", []string{k}, "v"))
		v, err := valueOf(t, c.EvalRO(ctx, "return redis.call('GET', KEYS[1])", []string{k})).AsString()
		require.NoError(t, err)
		assert.Equal(t, "v", v)
		var se *client.Error
		require.ErrorAs(t, c.EvalRO(ctx, "return redis.call('SET', KEYS[1], 'x')", []string{k}).Err(), &se)

		sha := valueOf(t, c.ScriptLoad(ctx, echo))
		assert.Equal(t, client.NewScript(echo).Hash(), sha)
		assert.Equal(t, []bool{true, false}, valueOf(t, c.ScriptExists(ctx, sha, strings.Repeat("0", 40))))
		got = valueOf(t, c.EvalSha(ctx, sha, []string{k}, "b", "c"))
		assert.Equal(t, []string{k, "b", "c"}, scriptingStrings(t, got))
		got = valueOf(t, c.EvalShaRO(ctx, sha, []string{k}, "d", "e"))
		assert.Equal(t, []string{k, "d", "e"}, scriptingStrings(t, got))

		assert.Equal(t, "OK", valueOf(t, c.ScriptFlush(ctx)))
		assert.Equal(t, []bool{false}, valueOf(t, c.ScriptExists(ctx, sha)))
		require.ErrorAs(t, c.EvalSha(ctx, sha, nil).Err(), &se)
		assert.Equal(t, "NOSCRIPT", se.Prefix())
		valueOf(t, c.ScriptLoad(ctx, echo))
		assert.Equal(t, "OK", valueOf(t, c.ScriptFlushWith(ctx, client.ScriptFlushOptions{Mode: client.ScriptFlushAsync})))
		valueOf(t, c.ScriptLoad(ctx, echo))
		assert.Equal(t, "OK", valueOf(t, c.ScriptFlushWith(ctx, client.ScriptFlushOptions{Mode: client.ScriptFlushSync})))
		assert.Equal(t, []bool{false}, valueOf(t, c.ScriptExists(ctx, sha)))

		// The Script helper, through a Client and a Conn: EVAL loads the
		// script when it is missing, EVALSHA runs it afterwards.
		script := client.NewScript(echo)
		assert.Equal(t, echo, script.Source())
		cn := openConn(t, c)
		for _, s := range []client.Scripter{c, cn} {
			valueOf(t, c.ScriptFlush(ctx))
			got = valueOf(t, script.Run(ctx, s, []string{k}, "x", "y"))
			assert.Equal(t, []string{k, "x", "y"}, scriptingStrings(t, got))
			assert.Equal(t, []bool{true}, valueOf(t, c.ScriptExists(ctx, script.Hash())), "EVAL cached it")
			got = valueOf(t, script.Run(ctx, s, []string{k}, "z", "w"))
			assert.Equal(t, []string{k, "z", "w"}, scriptingStrings(t, got))
			valueOf(t, c.ScriptFlush(ctx))
			got = valueOf(t, script.RunRO(ctx, s, []string{k}, "r", "o"))
			assert.Equal(t, []string{k, "r", "o"}, scriptingStrings(t, got))
			got = valueOf(t, script.RunRO(ctx, s, []string{k}, "o", "r"))
			assert.Equal(t, []string{k, "o", "r"}, scriptingStrings(t, got))
		}
		require.ErrorAs(t, client.NewScript("return redis.call('SET', KEYS[1], 'x')").RunRO(ctx, c, []string{k}).Err(), &se)

		// SCRIPT DEBUG on a Client runs on a connection closed afterwards:
		// the shared connections never enter debug mode.
		assert.Equal(t, "OK", valueOf(t, c.ScriptDebug(ctx, client.ScriptDebugNo)))
		assert.Equal(t, "OK", valueOf(t, c.ScriptDebug(ctx, client.ScriptDebugYes)))
		assert.Equal(t, "OK", valueOf(t, c.ScriptDebug(ctx, client.ScriptDebugSync)))
		assert.Equal(t, resp.Value{Kind: resp.KindInteger, Int: 1}, valueOf(t, c.Eval(ctx, "return 1", nil)))
		assert.Equal(t, "OK", valueOf(t, cn.ScriptDebug(ctx, client.ScriptDebugNo)))
	})
}

func TestScriptingFunctions(t *testing.T) {
	srv := redistest.Start(t)
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		k := key("k")
		valueOf(t, c.FunctionFlush(ctx))

		assert.Equal(t, "sscriptlib", valueOf(t, c.FunctionLoad(ctx, scriptingLib)))
		var se *client.Error
		require.ErrorAs(t, c.FunctionLoad(ctx, scriptingLib).Err(), &se)
		assert.Equal(t, "sscriptlib", valueOf(t, c.FunctionLoadWith(ctx, scriptingLib, client.FunctionLoadOptions{Replace: true})))

		ok, err := valueOf(t, c.FCall(ctx, "sscript_set", []string{k}, "val")).AsString()
		require.NoError(t, err)
		assert.Equal(t, "OK", ok)
		v, err := valueOf(t, c.FCallRO(ctx, "sscript_get", []string{k})).AsString()
		require.NoError(t, err)
		assert.Equal(t, "val", v)
		require.ErrorAs(t, c.FCallRO(ctx, "sscript_set", []string{k}, "x").Err(), &se)

		libs := valueOf(t, c.FunctionList(ctx))
		require.Len(t, libs, 1)
		lib := libs[0]
		assert.Equal(t, "sscriptlib", lib.Name)
		assert.Equal(t, "LUA", lib.Engine)
		assert.Empty(t, lib.Code)
		require.Len(t, lib.Functions, 2)
		byName := map[string]client.FunctionInfo{}
		for _, fn := range lib.Functions {
			byName[fn.Name] = fn
		}
		assert.Equal(t, client.FunctionInfo{Name: "sscript_set", Flags: []string{}}, byName["sscript_set"])
		assert.Equal(t, client.FunctionInfo{Name: "sscript_get", Description: "reads a key", Flags: []string{"no-writes"}}, byName["sscript_get"])
		libs = valueOf(t, c.FunctionListWith(ctx, client.FunctionListOptions{LibraryName: "sscript*", WithCode: true}))
		require.Len(t, libs, 1)
		assert.Equal(t, scriptingLib, libs[0].Code)
		assert.Empty(t, valueOf(t, c.FunctionListWith(ctx, client.FunctionListOptions{LibraryName: "nomatch*"})))

		st := valueOf(t, c.FunctionStats(ctx))
		assert.Nil(t, st.Running)
		assert.Equal(t, map[string]client.FunctionEngineStats{"LUA": {Libraries: 1, Functions: 2}}, st.Engines)

		dump := valueOf(t, c.FunctionDump(ctx))
		require.NotEmpty(t, dump)
		require.ErrorAs(t, c.FunctionRestore(ctx, dump).Err(), &se, "the library is loaded already")
		require.ErrorAs(t, c.FunctionRestoreWith(ctx, dump, client.FunctionRestoreOptions{Policy: client.FunctionRestoreAppend}).Err(), &se)
		assert.Equal(t, "OK", valueOf(t, c.FunctionRestoreWith(ctx, dump, client.FunctionRestoreOptions{Policy: client.FunctionRestoreReplace})))
		valueOf(t, c.FunctionLoad(ctx, scriptingSpinLib))
		assert.Equal(t, "OK", valueOf(t, c.FunctionRestoreWith(ctx, dump, client.FunctionRestoreOptions{Policy: client.FunctionRestoreFlush})))
		libs = valueOf(t, c.FunctionList(ctx))
		require.Len(t, libs, 1, "FLUSH dropped the spin library")
		assert.Equal(t, "OK", valueOf(t, c.FunctionDelete(ctx, "sscriptlib")))
		require.ErrorAs(t, c.FunctionDelete(ctx, "sscriptlib").Err(), &se)
		assert.Equal(t, "OK", valueOf(t, c.FunctionRestore(ctx, dump)))
		assert.Len(t, valueOf(t, c.FunctionList(ctx)), 1)
		assert.Equal(t, "OK", valueOf(t, c.FunctionFlushWith(ctx, client.FunctionFlushOptions{Mode: client.ScriptFlushSync})))
		assert.Empty(t, valueOf(t, c.FunctionList(ctx)))
		valueOf(t, c.FunctionLoad(ctx, scriptingLib))
		assert.Equal(t, "OK", valueOf(t, c.FunctionFlushWith(ctx, client.FunctionFlushOptions{Mode: client.ScriptFlushAsync})))
		assert.Empty(t, valueOf(t, c.FunctionList(ctx)))
	})
}

// TestScriptingKill runs a script and a function that never end, on a
// server that turns busy after 50ms, and stops them through the same
// client: the kill commands and FUNCTION STATS run on a dedicated
// connection, never behind the busy one.
func TestScriptingKill(t *testing.T) {
	srv := redistest.Start(t, redistest.WithArgs("--busy-reply-threshold", "50"))
	eachProtocol(t, client.Options{Addr: srv.Addr()}, func(t *testing.T, c *client.Client, key func(string) string) {
		ctx := context.Background()
		var se *client.Error
		require.ErrorAs(t, c.ScriptKill(ctx).Err(), &se)
		assert.Equal(t, "NOTBUSY", se.Prefix())
		require.ErrorAs(t, c.FunctionKill(ctx).Err(), &se)
		assert.Equal(t, "NOTBUSY", se.Prefix())

		spin := c.Eval(ctx, "while true do end", nil)
		require.Eventually(t, func() bool {
			return c.ScriptKill(ctx).Err() == nil
		}, 10*time.Second, 20*time.Millisecond)
		_, err := spin.Result()
		require.ErrorAs(t, err, &se)
		assert.Contains(t, se.Message, "killed")

		valueOf(t, c.FunctionLoadWith(ctx, scriptingSpinLib, client.FunctionLoadOptions{Replace: true}))
		spin = c.FCallRO(ctx, "sscript_spin", nil)
		var running *client.RunningFunction
		require.Eventually(t, func() bool {
			st, err := c.FunctionStats(ctx).Result()
			running = st.Running
			return err == nil && running != nil && running.Duration >= 50*time.Millisecond
		}, 10*time.Second, 20*time.Millisecond)
		assert.Equal(t, "sscript_spin", running.Name)
		assert.Equal(t, []string{"FCALL_RO", "sscript_spin", "0"}, running.Command)
		assert.Equal(t, "OK", valueOf(t, c.FunctionKill(ctx)))
		_, err = spin.Result()
		require.ErrorAs(t, err, &se)
		assert.Contains(t, se.Message, "killed")
		valueOf(t, c.FunctionDelete(ctx, "sscriptspin"))
		assert.Equal(t, "PONG", valueOf(t, c.Ping(ctx)))
	})
}
